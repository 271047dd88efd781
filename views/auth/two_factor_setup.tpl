{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Set up two-factor login</h1>
</div>
<p>Scan this code with an authenticator app, or type the key into it.</p>
<div class="mb-3">{{QR_SVG:none}}</div>
<p>Key: <code id="totp-secret">{{SECRET}}</code></p>
<p class="small text-break">Link: <code id="otpauth-uri">{{URI}}</code></p>
<form method="post" action="/auth/two-factor/enable" class="col-md-6">
  <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
  <div class="mb-3"><label class="form-label" for="code">The 6-digit code your app shows</label><input class="form-control" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required></div>
  <button class="btn btn-primary" type="submit">Turn on two-factor login</button>
</form>
