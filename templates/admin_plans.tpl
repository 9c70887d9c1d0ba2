{{%AUTOESCAPE context="HTML"}}
{{! admin_plans.tpl -- every plan (platform operators), and the form to }}
{{! add one. Keys: PLANS (ID, NAME, MODULES, BRANDS), MODULE_CHOICES }}
{{! (NAME, ON). }}
<h1>{{_}}Plans{{/_}}</h1>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Plans (scrolls sideways){{/_}}">
<table class="tp-table plans">
<thead><tr><th>{{_}}Name{{/_}}</th><th>{{_}}Modules{{/_}}</th><th>{{_}}Brands{{/_}}</th></tr></thead>
<tbody>
{{#PLANS}}<tr data-id="{{ID}}"><td><a href="/admin/plans/{{ID}}">{{NAME}}</a></td><td>{{#MODULES}}<span class="module">{{VALUE}}</span> {{/MODULES}}</td><td>{{BRANDS}}</td></tr>
{{/PLANS}}
</tbody>
</table>
</div>
<h2 id="add">{{_}}Add a plan{{/_}}</h2>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/admin/plans" class="tp-form plan-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="name">{{_}}Name{{/_}}</label><input id="name" name="name" required maxlength="64">
<fieldset class="modules"><legend>{{_}}Modules{{/_}}</legend><input type="hidden" name="modules" value="">
{{#MODULE_CHOICES}}<label><input type="checkbox" name="modules" value="{{NAME}}"{{#ON}} checked{{/ON}}> {{NAME}}</label>
{{/MODULE_CHOICES}}</fieldset>
<button type="submit">{{_}}Add plan{{/_}}</button>
</form>
