{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>Edit Post</h1>
</div>
<div class="post-form">
{{>FORM}}
</div>
