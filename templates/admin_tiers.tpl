{{%AUTOESCAPE context="HTML"}}
{{! admin_tiers.tpl -- the brand's tiers, and the form to add one. Keys: }}
{{! TIERS (ID, NAME, RANK, POINTS_THRESHOLD, SUPPORT_LEVEL, PARTNERS, }}
{{! MODULES), MODULE_CHOICES (NAME, ON), SUPPORT_LEVELS (NAME, SELECTED). }}
<h1>{{_}}Tiers{{/_}}</h1>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Tiers (scrolls sideways){{/_}}">
<table class="tp-table tiers">
<thead><tr><th>{{_}}Rank{{/_}}</th><th>{{_}}Name{{/_}}</th><th>{{_}}Points from{{/_}}</th><th>{{_}}Support{{/_}}</th><th>{{_}}Modules{{/_}}</th><th>{{_}}Partners{{/_}}</th></tr></thead>
<tbody>
{{#TIERS}}<tr data-id="{{ID}}"><td>{{RANK}}</td><td><a href="/admin/tiers/{{ID}}">{{NAME}}</a></td><td>{{POINTS_THRESHOLD}}</td><td>{{SUPPORT_LEVEL}}</td><td>{{#MODULES}}<span class="module">{{VALUE}}</span> {{/MODULES}}</td><td>{{PARTNERS}}</td></tr>
{{/TIERS}}
</tbody>
</table>
</div>
{{#TIERS_EMPTY}}<p>{{_}}No tiers.{{/_}}</p>{{/TIERS_EMPTY}}
<h2 id="add">{{_}}Add a tier{{/_}}</h2>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/admin/tiers" class="tp-form tier-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="name">{{_}}Name{{/_}}</label><input id="name" name="name" required maxlength="32">
<label for="rank">{{_}}Rank (empty: after the last){{/_}}</label><input id="rank" name="rank" inputmode="numeric">
<label for="points_threshold">{{_}}Points threshold{{/_}}</label><input id="points_threshold" name="points_threshold" inputmode="numeric" value="0">
<label for="support_level">{{_}}Support level{{/_}}</label><select id="support_level" name="support_level">{{#SUPPORT_LEVELS}}<option{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/SUPPORT_LEVELS}}</select>
<fieldset class="modules"><legend>{{_}}Modules (from the brand's plan){{/_}}</legend><input type="hidden" name="modules" value="">
{{#MODULE_CHOICES}}<label><input type="checkbox" name="modules" value="{{NAME}}"{{#ON}} checked{{/ON}}> {{NAME}}</label>
{{/MODULE_CHOICES}}{{#MODULE_CHOICES_EMPTY}}<p>{{_}}The brand's plan has no modules.{{/_}}</p>{{/MODULE_CHOICES_EMPTY}}</fieldset>
<button type="submit">{{_}}Add tier{{/_}}</button>
</form>
