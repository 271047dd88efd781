{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>{{MESSAGE}}</h1>
</div>
<p class="text-muted">Error {{STATUS}}. <a href="/">Go to the home page</a>.</p>
