{{%AUTOESCAPE context="HTML"}}{{>POSTS}}
<h4 id="comments">Comments</h4>
{{#COMMENT_FORM}}<div class="comment-form mb-3">
{{>FORM}}
</div>
{{/COMMENT_FORM}}{{>COMMENTS}}
{{>PAGINATION}}
