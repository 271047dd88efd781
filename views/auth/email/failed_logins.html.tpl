{{%AUTOESCAPE context="HTML"}}<p>Dear {{USERNAME}},</p>
<p>Someone has been trying to sign in to your Inkwell account with wrong passwords, from several different addresses.</p>
<p>Your account is not locked: you can still sign in as usual. The addresses that keep failing are being slowed down.</p>
<p>If you think someone may know your password, <a href="{{LINK}}">change it</a>:</p>
<p>{{LINK}}</p>
<p>Sincerely,</p>
<p>The Inkwell Team</p>
<p><small>Note: replies to this email address are not monitored.</small></p>
