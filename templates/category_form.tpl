{{%AUTOESCAPE context="HTML"}}
{{! category_form.tpl -- an operator adds a product category to the brand or }}
{{! renames one (core/builtin/categories.c). Keys: CATEGORY (ID, EDIT, CODE, }}
{{! NAME, CSRF_TOKEN), ERROR. }}
{{#CATEGORY}}
{{#EDIT}}<h1>{{_}}Rename a category{{/_}}</h1>{{/EDIT}}{{#EDIT_EMPTY}}<h1>{{_}}Add a category{{/_}}</h1>{{/EDIT_EMPTY}}
{{/CATEGORY}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#CATEGORY}}
<form method="post" action="/categories{{#EDIT}}/{{ID}}{{/EDIT}}" class="tp-form {{#EDIT}}category-edit{{/EDIT}}{{#EDIT_EMPTY}}category-add{{/EDIT_EMPTY}}">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
{{#EDIT}}<p>{{_}}Code <code>{{CODE}}</code>: revenue is booked under it, so it stays; the name is what people read.{{/_}}</p>{{/EDIT}}
{{#EDIT_EMPTY}}<label for="c-code">{{_}}Code (lower-case letters, digits and _; it names the revenue account and cannot change){{/_}}</label><input id="c-code" name="code" value="{{CODE}}" required maxlength="32" pattern="[a-z0-9_]+">{{/EDIT_EMPTY}}
<label for="c-name">{{_}}Name{{/_}}</label><input id="c-name" name="name" value="{{NAME}}" required maxlength="64">
<button type="submit">{{#EDIT}}{{_}}Rename{{/_}}{{/EDIT}}{{#EDIT_EMPTY}}{{_}}Add category{{/_}}{{/EDIT_EMPTY}}</button>
</form>
{{/CATEGORY}}
<p><a href="/categories">{{_}}Back to the categories{{/_}}</a></p>
