{{%AUTOESCAPE context="HTML"}}<p>User <b>{{USERNAME}}</b> has joined.</p>
<p>Email: {{EMAIL}}</p>
