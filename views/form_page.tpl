{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>{{HEADING}}</h1>
</div>
<div class="row">
  <div class="col-md-6">
{{>FORM}}
{{#LOGIN_LINKS}}    <p class="mt-3">Forgot your password? <a href="/auth/reset">Click here to reset it</a>.</p>
    <p>New user? <a href="/auth/register">Click here to register</a>.</p>
{{/LOGIN_LINKS}}  </div>
</div>
