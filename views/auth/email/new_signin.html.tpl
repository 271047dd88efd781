{{%AUTOESCAPE context="HTML"}}<p>Dear {{USERNAME}},</p>
<p>Your Inkwell account was just signed in to from a browser or address it has not been used from lately:</p>
<ul>
<li>Time: {{TIME}} (UTC)</li>
<li>Address: {{ADDRESS}}</li>
<li>Browser: {{BROWSER}}</li>
</ul>
<p>If this was you, there is nothing to do. If it was not, change your password and log out everywhere else from <a href="{{LINK}}">your account page</a>:</p>
<p>{{LINK}}</p>
<p>You can turn these mails off on that page.</p>
<p>Sincerely,</p>
<p>The Inkwell Team</p>
<p><small>Note: replies to this email address are not monitored.</small></p>
