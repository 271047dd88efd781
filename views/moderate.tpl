{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Comment Moderation</h1>
</div>
{{>COMMENTS}}
{{>PAGINATION}}
