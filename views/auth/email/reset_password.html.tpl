{{%AUTOESCAPE context="HTML"}}<p>Dear {{USERNAME}},</p>
<p>To reset your password <a href="{{LINK}}">click here</a>.</p>
<p>Alternatively, you can paste the following link in your browser's address bar:</p>
<p>{{LINK}}</p>
<p>If you have not requested a password reset simply ignore this message.</p>
<p>Sincerely,</p>
<p>The Inkwell Team</p>
<p><small>Note: replies to this email address are not monitored.</small></p>
