{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>{{HEADING}}</h1>
</div>
<div class="row">
  <div class="col-md-6">
{{>FORM}}
  </div>
</div>
