{{%AUTOESCAPE context="HTML"}}
{{! admin_plan.tpl -- one plan: name and modules (the loaded modules and }}
{{! any it lists already), the brands on it. Keys: PLAN (ID, NAME), }}
{{! MODULE_CHOICES (NAME, ON), BRANDS (ID, SLUG, NAME), SAVED. }}
{{#PLAN}}
<h1>{{_}}Plan {{NAME}}{{/_}}</h1>
{{#SAVED}}<p class="tp-ok" role="status">{{_}}Saved.{{/_}}</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/admin/plans/{{ID}}" class="tp-form plan">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="name">{{_}}Name{{/_}}</label><input id="name" name="name" value="{{NAME}}" required maxlength="64">
<fieldset class="modules"><legend>{{_}}Modules (a module taken away leaves every tier of every brand on this plan){{/_}}</legend><input type="hidden" name="modules" value="">
{{#MODULE_CHOICES}}<label><input type="checkbox" name="modules" value="{{NAME}}"{{#ON}} checked{{/ON}}> {{NAME}}</label>
{{/MODULE_CHOICES}}</fieldset>
<button type="submit">{{_}}Save{{/_}}</button>
</form>
{{/PLAN}}
<h2>{{_}}Brands on this plan{{/_}}</h2>
<ul class="brands">{{#BRANDS}}<li><a href="/admin/brands/{{ID}}">{{NAME}}</a> (<code>{{SLUG}}</code>)</li>{{/BRANDS}}</ul>
{{#BRANDS_EMPTY}}<p>{{_}}None.{{/_}}</p>{{/BRANDS_EMPTY}}
<p><a href="/admin/plans">{{_}}All plans{{/_}}</a></p>
