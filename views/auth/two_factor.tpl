{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Two-factor login</h1>
</div>
{{#OFF}}<p id="two-factor-status">Two-factor login is <strong>off</strong>. Turn it on and each login asks, after your password, for a code from an authenticator app on your phone.</p>
<form method="post" action="/auth/two-factor/setup"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="btn btn-primary" type="submit">Set up two-factor login</button></form>
{{/OFF}}{{#ON}}<p id="two-factor-status">Two-factor login is <strong>on</strong>. Recovery codes left: <span id="recovery-codes-left">{{CODES_LEFT}}</span>.</p>
<p>Scripts use the API with a personal token from <a href="/auth/account">your account page</a>.</p>
<h2 class="h4 mt-4">Turn it off</h2>
<form method="post" action="/auth/two-factor/disable" class="col-md-6">
  <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
  <div class="mb-3"><label class="form-label" for="password">Password</label><input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required></div>
  <div class="mb-3"><label class="form-label" for="code">Code from your app, or a recovery code</label><input class="form-control" id="code" name="code" autocomplete="one-time-code" required></div>
  <button class="btn btn-danger" type="submit">Turn off two-factor login</button>
</form>
{{/ON}}
