{{%AUTOESCAPE context="HTML"}}<div class="page-header profile d-flex flex-wrap gap-4 pb-3">
  <img class="rounded profile-thumbnail" src="{{AVATAR_URL}}" width="256" height="256" alt="">
  <div class="profile-header">
    <h1>{{USERNAME}}</h1>
{{#IDENTITY}}    <p>{{#HAS_NAME}}<span class="profile-name">{{NAME}}</span><br>{{/HAS_NAME}}{{#HAS_LOCATION}}from <a class="profile-location" href="{{MAPS_URL}}">{{LOCATION}}</a><br>{{/HAS_LOCATION}}</p>
{{/IDENTITY}}{{#HAS_EMAIL}}    <p><a class="profile-email" href="mailto:{{EMAIL}}">{{EMAIL}}</a></p>
{{/HAS_EMAIL}}{{#HAS_ABOUT_ME}}    <p class="about-me">{{ABOUT_ME:pre_escape}}</p>
{{/HAS_ABOUT_ME}}    <p>Member since <time datetime="{{MEMBER_SINCE}}" class="ago" title="{{MEMBER_SINCE_TITLE}}">{{MEMBER_SINCE_TEXT}}</time>. Last seen <time datetime="{{LAST_SEEN}}" class="ago" title="{{LAST_SEEN_TITLE}}">{{LAST_SEEN_TEXT}}</time>.</p>
    <p><span class="post-count">{{POST_COUNT}}</span> blog posts.</p>
    <div class="d-flex flex-wrap align-items-center gap-3 mb-3">
{{#FOLLOW}}      <form method="post" action="{{ACTION}}"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="btn btn-primary" type="submit">Follow</button></form>
{{/FOLLOW}}{{#UNFOLLOW}}      <form method="post" action="{{ACTION}}"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="btn btn-outline-secondary" type="submit">Unfollow</button></form>
{{/UNFOLLOW}}      <a class="followers-link" href="{{FOLLOWERS_URL}}">Followers: <span class="badge bg-secondary">{{FOLLOWERS_COUNT}}</span></a>
      <a class="following-link" href="{{FOLLOWING_URL}}">Following: <span class="badge bg-secondary">{{FOLLOWING_COUNT}}</span></a>
{{#FOLLOWS_YOU}}      <span class="badge bg-info text-dark follows-you">Follows you</span>
{{/FOLLOWS_YOU}}    </div>
{{#EDIT_SELF}}    <a class="btn btn-outline-secondary" href="{{EDIT_URL}}">Edit Profile</a>
{{/EDIT_SELF}}{{#EDIT_ADMIN}}    <a class="btn btn-danger" href="{{EDIT_ADMIN_URL}}">Edit Profile [Admin]</a>
{{/EDIT_ADMIN}}  </div>
</div>
<h2 class="h3">Posts by {{USERNAME}}</h2>
{{>POSTS}}
{{>PAGINATION}}
