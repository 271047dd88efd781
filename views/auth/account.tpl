{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Your account</h1>
</div>
<p>{{EMAIL}} · <a href="/auth/change-password">Change Password</a> · <a href="/auth/change_email">Change Email</a></p>

<h2 class="h4 mt-4">Logins</h2>
<dl class="row" id="login-record">
  <dt class="col-sm-3">This login</dt><dd class="col-sm-9">{{#CURRENT_LOGIN}}<time datetime="{{AT}}" class="ago" title="{{READABLE}}">{{RELATIVE}}</time> from {{IP}}{{/CURRENT_LOGIN}}{{#NO_CURRENT_LOGIN}}none yet{{/NO_CURRENT_LOGIN}}</dd>
  <dt class="col-sm-3">Previous login</dt><dd class="col-sm-9" id="last-login">{{#LAST_LOGIN}}<time datetime="{{AT}}" class="ago" title="{{READABLE}}">{{RELATIVE}}</time> from {{IP}}{{/LAST_LOGIN}}{{#NO_LAST_LOGIN}}none{{/NO_LAST_LOGIN}}</dd>
  <dt class="col-sm-3">Logins</dt><dd class="col-sm-9" id="login-count">{{LOGIN_COUNT}}</dd>
</dl>

<form method="post" action="/auth/account/sign-in-mail" id="sign-in-mail"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
{{#SIGNIN_MAIL_ON}}  <p>A mail tells you of each sign-in from a new browser or address. <input type="hidden" name="enabled" value="0"><button class="btn btn-outline-secondary btn-sm" type="submit">Turn off</button></p>
{{/SIGNIN_MAIL_ON}}{{#SIGNIN_MAIL_OFF}}  <p>You get no mail when your account is signed in to from a new browser or address. <input type="hidden" name="enabled" value="1"><button class="btn btn-outline-primary btn-sm" type="submit">Turn on</button></p>
{{/SIGNIN_MAIL_OFF}}</form>

<h2 class="h4 mt-4">Where you are logged in</h2>
<div class="table-responsive"><table class="table" id="sessions">
  <thead><tr><th scope="col">Browser</th><th scope="col">Address</th><th scope="col">Started</th><th scope="col">Last seen</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
{{#SESSION}}    <tr class="session" data-session-id="{{ID}}">
      <td>{{BROWSER}}{{#THIS_DEVICE}} <span class="badge bg-success this-device">this device</span>{{/THIS_DEVICE}}{{#REMEMBERED}} <span class="badge bg-secondary remembered">remember me</span>{{/REMEMBERED}}</td>
      <td>{{ADDRESS}}</td>
      <td><time datetime="{{STARTED}}" class="ago" title="{{STARTED_READABLE}}">{{STARTED_RELATIVE}}</time></td>
      <td><time datetime="{{SEEN}}" class="ago" title="{{SEEN_READABLE}}">{{SEEN_RELATIVE}}</time></td>
      <td><form method="post" action="/auth/sessions/{{ID}}/revoke"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="btn btn-outline-danger btn-sm" type="submit">Log out</button></form></td>
    </tr>
{{/SESSION}}  </tbody>
</table></div>
<form method="post" action="/auth/sessions/revoke-others"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="btn btn-danger" type="submit">Log out everywhere else</button></form>
<p class="form-text">Ends every other session of yours, "keep me logged in" on other browsers included, and revokes every API token and every reset or email-change link sent so far. This browser stays logged in.</p>

<h2 class="h4 mt-4">Personal API tokens</h2>
{{#NEW_TOKEN}}<div class="alert alert-warning" role="status">
  <p>Your new token <strong>{{NAME}}</strong>. Copy it now: it is not shown again.</p>
  <p><code id="new-token">{{TOKEN}}</code></p>
  <p class="mb-0">Use it as the user name of HTTP Basic with an empty password: <code>curl -u {{TOKEN}}: {{BASE_URL}}/api/v1/posts/</code></p>
</div>
{{/NEW_TOKEN}}<div class="table-responsive"><table class="table" id="api-tokens">
  <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
{{#API_TOKEN}}    <tr class="api-token" data-token-id="{{ID}}">
      <td>{{NAME}}</td>
      <td><time datetime="{{CREATED}}" class="ago" title="{{CREATED_READABLE}}">{{CREATED_RELATIVE}}</time></td>
      <td>{{#USED}}<time datetime="{{AT}}" class="ago" title="{{READABLE}}">{{RELATIVE}}</time>{{/USED}}{{#NEVER_USED}}never{{/NEVER_USED}}</td>
      <td>{{#EXPIRES}}<time datetime="{{AT}}">{{READABLE}}</time>{{/EXPIRES}}{{#NEVER_EXPIRES}}never{{/NEVER_EXPIRES}}</td>
      <td><form method="post" action="/auth/tokens/{{ID}}/revoke"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="btn btn-outline-danger btn-sm" type="submit">Revoke</button></form></td>
    </tr>
{{/API_TOKEN}}  </tbody>
</table></div>
<form method="post" action="/auth/tokens" class="row g-2 align-items-end">
  <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
  <div class="col-sm-5"><label class="form-label" for="token-name">Name</label><input class="form-control" id="token-name" name="name" maxlength="64" required></div>
  <div class="col-sm-3"><label class="form-label" for="token-expires">Expires in days (0 = never)</label><input class="form-control" id="token-expires" name="expires_days" type="number" min="0" max="3650" value="90" required></div>
  <div class="col-sm-4"><button class="btn btn-primary" type="submit">Create token</button></div>
</form>
