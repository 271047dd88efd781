{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Hello, {{NAME}}!</h1>
</div>
