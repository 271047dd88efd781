{{%AUTOESCAPE context="HTML"}}<p>Dear {{USERNAME}},</p>
<p>{{WHAT}}</p>
<p>If this was not you, reset your password at once and log out everywhere else from <a href="{{LINK}}">your account page</a>:</p>
<p>{{LINK}}</p>
<p>Sincerely,</p>
<p>The Inkwell Team</p>
<p><small>Note: replies to this email address are not monitored.</small></p>
