{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Hello, {{USERNAME}}!</h1>
  <h2 class="h3">You have not confirmed your account yet.</h2>
  <p>Before you can access this site you need to confirm your account. Check your inbox, you should have received an email with a confirmation link.</p>
  <p>Need another confirmation email? <a href="/auth/confirm">Click here</a></p>
</div>
