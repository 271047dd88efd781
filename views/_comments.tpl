{{%AUTOESCAPE context="HTML"}}<ul class="comments list-unstyled">
{{#COMMENT}}  <li class="comment" id="comment-{{ID}}">
    <a class="comment-thumbnail" href="/user/{{AUTHOR}}" tabindex="-1" aria-hidden="true"><img class="rounded profile-thumbnail" src="{{AVATAR_URL}}" width="40" height="40" alt="" loading="lazy"></a>
    <div class="comment-content">
      <div class="comment-date"><time datetime="{{TIMESTAMP}}" class="ago" title="{{READABLE}}">{{RELATIVE}}</time></div>
      <div class="comment-author"><a href="/user/{{AUTHOR}}">{{AUTHOR}}</a></div>
      <div class="comment-body">
{{#DISABLED}}        <p><i>This comment has been disabled by a moderator.</i></p>
{{/DISABLED}}{{#BODY}}        {{BODY_HTML:none}}
{{/BODY}}      </div>
{{#ENABLE}}      <form class="comment-moderation" method="post" action="/moderate/enable/{{ID}}"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><input type="hidden" name="page" value="{{MODERATION_PAGE}}"><button class="btn btn-outline-secondary btn-sm" type="submit">Enable</button></form>
{{/ENABLE}}{{#DISABLE}}      <form class="comment-moderation" method="post" action="/moderate/disable/{{ID}}"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><input type="hidden" name="page" value="{{MODERATION_PAGE}}"><button class="btn btn-danger btn-sm" type="submit">Disable</button></form>
{{/DISABLE}}    </div>
  </li>
{{/COMMENT}}{{#EMPTY}}  <li class="text-muted">No comments yet.</li>
{{/EMPTY}}</ul>
