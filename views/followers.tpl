{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>{{HEADING}}</h1>
</div>
<p><a href="{{PROFILE_URL}}">Back to the profile</a></p>
<table class="table table-hover align-middle follows">
  <thead><tr><th>User</th><th>Since</th></tr></thead>
  <tbody>
{{#ENTRY}}    <tr>
      <td><a href="{{URL}}"><img class="rounded me-2" src="{{AVATAR_URL}}" width="32" height="32" alt="">{{USERNAME}}</a></td>
      <td><time datetime="{{TIMESTAMP}}" class="ago" title="{{READABLE}}">{{RELATIVE}}</time></td>
    </tr>
{{/ENTRY}}{{#EMPTY}}    <tr><td class="text-muted" colspan="2">{{EMPTY_TEXT}}</td></tr>
{{/EMPTY}}  </tbody>
</table>
{{>PAGINATION}}
