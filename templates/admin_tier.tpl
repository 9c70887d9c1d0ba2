{{%AUTOESCAPE context="HTML"}}
{{! admin_tier.tpl -- one tier of the brand: the form, and delete. Keys: }}
{{! TIER (ID, NAME, RANK, POINTS_THRESHOLD, SUPPORT_LEVEL, PARTNERS), }}
{{! MODULE_CHOICES (NAME, ON), SUPPORT_LEVELS (NAME, SELECTED), SAVED. }}
{{#TIER}}
<h1>{{_}}Tier {{NAME}}{{/_}}</h1>
{{#SAVED}}<p class="tp-ok" role="status">{{_}}Saved.{{/_}}</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/admin/tiers/{{ID}}" class="tp-form tier">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="name">{{_}}Name{{/_}}</label><input id="name" name="name" value="{{NAME}}" required maxlength="32">
<label for="rank">{{_}}Rank{{/_}}</label><input id="rank" name="rank" value="{{RANK}}" inputmode="numeric">
<label for="points_threshold">{{_}}Points threshold{{/_}}</label><input id="points_threshold" name="points_threshold" value="{{POINTS_THRESHOLD}}" inputmode="numeric">
<label for="support_level">{{_}}Support level{{/_}}</label><select id="support_level" name="support_level">{{#SUPPORT_LEVELS}}<option{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/SUPPORT_LEVELS}}</select>
<fieldset class="modules"><legend>{{_}}Modules (from the brand's plan){{/_}}</legend><input type="hidden" name="modules" value="">
{{#MODULE_CHOICES}}<label><input type="checkbox" name="modules" value="{{NAME}}"{{#ON}} checked{{/ON}}> {{NAME}}</label>
{{/MODULE_CHOICES}}{{#MODULE_CHOICES_EMPTY}}<p>{{_}}The brand's plan has no modules.{{/_}}</p>{{/MODULE_CHOICES_EMPTY}}</fieldset>
<button type="submit">{{_}}Save{{/_}}</button>
</form>
<h2>{{_}}Delete{{/_}}</h2>
{{#PARTNERS}}<p class="tp-note">{{_}}{{PARTNERS}} partners are on this tier: move them first.{{/_}}</p>{{/PARTNERS}}
{{#PARTNERS_EMPTY}}<form method="post" action="/admin/tiers/{{ID}}/delete" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">{{_}}Delete this tier{{/_}}</button></form>{{/PARTNERS_EMPTY}}
{{/TIER}}
<p><a href="/admin/tiers">{{_}}All tiers{{/_}}</a></p>
