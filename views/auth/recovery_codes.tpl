{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Two-factor login is on</h1>
</div>
<p>Keep these recovery codes somewhere safe. Each one logs you in once without your phone. They are shown only now.</p>
<ul class="list-unstyled font-monospace" id="recovery-codes">
{{#CODE}}  <li class="recovery-code">{{CODE}}</li>
{{/CODE}}</ul>
<p><a href="/auth/two-factor">Done</a></p>
