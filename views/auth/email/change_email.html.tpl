{{%AUTOESCAPE context="HTML"}}<p>Dear {{USERNAME}},</p>
<p>To confirm your new email address <a href="{{LINK}}">click here</a>.</p>
<p>Alternatively, you can paste the following link in your browser's address bar:</p>
<p>{{LINK}}</p>
<p>Sincerely,</p>
<p>The Inkwell Team</p>
<p><small>Note: replies to this email address are not monitored.</small></p>
