{{%AUTOESCAPE context="HTML"}}<div class="page-header">
  <h1>{{HEADING}}</h1>
</div>
{{>POSTS}}
<h2 class="h4" id="comments">Comments</h2>
{{#COMMENT_FORM}}<div class="comment-form mb-3">
{{>FORM}}
</div>
{{/COMMENT_FORM}}{{#LOGIN_TO_COMMENT}}<p class="login-to-comment"><a href="{{LOGIN_URL}}">Log in to comment</a></p>
{{/LOGIN_TO_COMMENT}}{{>COMMENTS}}
{{>PAGINATION}}
