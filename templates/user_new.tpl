{{%AUTOESCAPE context="HTML"}}
{{! user_new.tpl -- the form to add a user (core/builtin/users.c); the list of }}
{{! users is a grid. Keys: FORM, PARTNER_SELECT, ACCOUNT_SELECT, AREAS (NAME, }}
{{! LABEL, BITS: RIGHT, BIT, ON, EDITABLE), CSRF_TOKEN, ERROR. }}
<h1>{{_}}Add a user{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/users" class="tp-form user-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
{{#PARTNER_SELECT}}<label for="partner_id">{{_}}Partner{{/_}}</label>
<select id="partner_id" name="partner_id">{{#OPTIONAL}}<option value="">{{_}}(none){{/_}}</option>{{/OPTIONAL}}
{{#OPTIONS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/OPTIONS}}</select>
{{/PARTNER_SELECT}}
{{#ACCOUNT_SELECT}}<label for="account_id">{{_}}Account{{/_}}</label>
<select id="account_id" name="account_id">{{#OPTIONAL}}<option value="">{{_}}(none){{/_}}</option>{{/OPTIONAL}}
{{#OPTIONS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/OPTIONS}}</select>
{{/ACCOUNT_SELECT}}
<label for="login">{{_}}Login{{/_}}</label><input id="login" name="login" value="{{#FORM}}{{LOGIN}}{{/FORM}}" required maxlength="128" autocomplete="off">
<label for="name">{{_}}Name{{/_}}</label><input id="name" name="name" value="{{#FORM}}{{NAME}}{{/FORM}}" maxlength="128">
<label for="email">{{_}}E-mail{{/_}}</label><input id="email" name="email" type="email" value="{{#FORM}}{{EMAIL}}{{/FORM}}" maxlength="255">
<label for="password">{{_}}Password{{/_}}</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10">
<fieldset class="rights">
<legend>{{_}}Rights (you can grant only the rights you hold){{/_}}</legend>
<table class="tp-table rights">
<thead><tr><th>{{_}}Area{{/_}}</th><th>{{_}}Rights{{/_}}</th></tr></thead>
<tbody>
{{#AREAS}}<tr data-area="{{NAME}}"><th scope="row">{{LABEL}}</th><td><input type="hidden" name="rights[{{NAME}}]" value="0">
{{#BITS}}<label><input type="checkbox" name="rights[{{NAME}}]" value="{{BIT}}"{{#ON}} checked{{/ON}}{{#EDITABLE_EMPTY}} disabled{{/EDITABLE_EMPTY}}> {{RIGHT}}</label>
{{/BITS}}</td></tr>
{{/AREAS}}
</tbody>
</table>
</fieldset>
<button type="submit">{{_}}Add user{{/_}}</button>
</form>
<p><a href="/users">{{_}}Back to the users{{/_}}</a></p>
