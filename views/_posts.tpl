{{%AUTOESCAPE context="HTML"}}<ul class="posts list-unstyled">
{{#POST}}  <li class="post" id="post-{{ID}}">
    <a class="post-thumbnail" href="/user/{{AUTHOR}}" tabindex="-1" aria-hidden="true"><img class="rounded profile-thumbnail" src="{{AVATAR_URL}}" width="40" height="40" alt="" loading="lazy"></a>
    <div class="post-content">
      <div class="post-date"><time datetime="{{TIMESTAMP}}" class="ago" title="{{READABLE}}">{{RELATIVE}}</time></div>
      <div class="post-author"><a href="/user/{{AUTHOR}}">{{AUTHOR}}</a></div>
      <div class="post-body">{{BODY_HTML:none}}</div>
      <div class="post-footer">
{{#EDIT}}        <a href="/edit/{{ID}}"><span class="badge bg-primary">Edit</span></a>
{{/EDIT}}{{#EDIT_ADMIN}}        <a href="/edit/{{ID}}"><span class="badge bg-danger">Edit [Admin]</span></a>
{{/EDIT_ADMIN}}        <a href="/post/{{ID}}"><span class="badge bg-secondary">Permalink</span></a>
        <a href="/post/{{ID}}#comments"><span class="badge bg-primary">{{COMMENT_COUNT}} Comments</span></a>
      </div>
    </div>
  </li>
{{/POST}}{{#EMPTY}}  <li class="text-muted">No posts yet.</li>
{{/EMPTY}}</ul>
