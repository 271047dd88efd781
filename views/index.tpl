{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Hello, {{NAME}}!</h1>
</div>
{{#POST_FORM}}<div class="post-form mb-4">
{{>FORM}}
</div>
{{/POST_FORM}}{{#TABS}}<ul class="nav nav-tabs mb-3 post-tabs">
  <li class="nav-item"><a class="nav-link{{#ALL_ACTIVE}} active{{/ALL_ACTIVE}}"{{#ALL_ACTIVE}} aria-current="page"{{/ALL_ACTIVE}} href="/all">All</a></li>
  <li class="nav-item"><a class="nav-link{{#FOLLOWED_ACTIVE}} active{{/FOLLOWED_ACTIVE}}"{{#FOLLOWED_ACTIVE}} aria-current="page"{{/FOLLOWED_ACTIVE}} href="/followed">Followed</a></li>
</ul>
{{/TABS}}{{>POSTS}}
{{>PAGINATION}}
