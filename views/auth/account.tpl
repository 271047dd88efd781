{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Your account</h1>
</div>
<dl class="row">
  <dt class="col-sm-3">Email</dt><dd class="col-sm-9">{{EMAIL}}</dd>
  <dt class="col-sm-3">Active sessions</dt><dd class="col-sm-9" id="session-count">{{SESSION_COUNT}}</dd>
</dl>
<p><a href="/auth/change-password">Change Password</a> · <a href="/auth/change_email">Change Email</a></p>
<h2 class="h4">Log out everywhere else</h2>
<p>Ends every other session of yours, including "keep me logged in" on other browsers, and revokes every API token and every reset or email-change link sent so far. This browser stays logged in.</p>
<form method="post" action="/auth/sessions/revoke-others"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="btn btn-danger" type="submit">Log out everywhere else</button></form>
