{{%AUTOESCAPE context="HTML"}}<form method="post" novalidate>
  <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
{{#FIELD}}
{{#INPUT}}  <div class="mb-3">
    <label class="form-label" for="{{NAME}}">{{LABEL}}</label>
    <input class="form-control{{#INVALID}} is-invalid{{/INVALID}}" id="{{NAME}}" name="{{NAME}}" type="{{TYPE}}" value="{{VALUE}}"{{#AUTOCOMPLETE}} autocomplete="{{AC}}"{{/AUTOCOMPLETE}}{{#INVALID}} aria-invalid="true"{{/INVALID}}{{#DESCRIBED}} aria-describedby="{{IDS}}"{{/DESCRIBED}}{{#REQUIRED}} required{{/REQUIRED}}{{#MAX_LENGTH}} maxlength="{{MAX}}"{{/MAX_LENGTH}}>
{{#ERROR}}    <div class="invalid-feedback" id="{{NAME}}-error">{{MESSAGE}}</div>
{{/ERROR}}  </div>
{{/INPUT}}{{#TEXTAREA}}  <div class="mb-3">
    <label class="form-label" for="{{NAME}}">{{LABEL}}</label>
    <textarea class="form-control{{#INVALID}} is-invalid{{/INVALID}}" id="{{NAME}}" name="{{NAME}}" rows="5"{{#MARKDOWN}} data-preview-url="/preview"{{/MARKDOWN}}{{#INVALID}} aria-invalid="true"{{/INVALID}}{{#DESCRIBED}} aria-describedby="{{IDS}}"{{/DESCRIBED}}{{#REQUIRED}} required{{/REQUIRED}}{{#MAX_LENGTH}} maxlength="{{MAX}}"{{/MAX_LENGTH}}>{{VALUE:pre_escape}}</textarea>
{{#ERROR}}    <div class="invalid-feedback" id="{{NAME}}-error">{{MESSAGE}}</div>
{{/ERROR}}{{#MARKDOWN}}    <div class="form-text" id="{{NAME}}-hint">You can use <a href="https://commonmark.org/help/">Markdown</a>: *emphasis*, **strong**, [links](https://example.com), lists and `code`.</div>
    <div class="markdown-preview post-body" id="{{NAME}}-preview" aria-live="polite" hidden></div>
{{/MARKDOWN}}  </div>
{{/TEXTAREA}}{{#SELECT}}  <div class="mb-3">
    <label class="form-label" for="{{NAME}}">{{LABEL}}</label>
    <select class="form-select{{#INVALID}} is-invalid{{/INVALID}}" id="{{NAME}}" name="{{NAME}}">
{{#OPTION}}      <option value="{{OPTION_VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{OPTION_LABEL}}</option>
{{/OPTION}}    </select>
{{#ERROR}}    <div class="invalid-feedback" id="{{NAME}}-error">{{MESSAGE}}</div>
{{/ERROR}}  </div>
{{/SELECT}}{{#CHECKBOX}}  <div class="form-check mb-3">
    <input class="form-check-input{{#INVALID}} is-invalid{{/INVALID}}" id="{{NAME}}" name="{{NAME}}" type="checkbox" value="y"{{#CHECKED}} checked{{/CHECKED}}>
    <label class="form-check-label" for="{{NAME}}">{{LABEL}}</label>
{{#ERROR}}    <div class="invalid-feedback" id="{{NAME}}-error">{{MESSAGE}}</div>
{{/ERROR}}  </div>
{{/CHECKBOX}}{{/FIELD}}
  <button class="btn btn-primary" type="submit">{{SUBMIT}}</button>
</form>
