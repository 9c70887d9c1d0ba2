{{%AUTOESCAPE context="HTML"}}
{{! admin_tiers.tpl -- the brand's tiers, and the form to add one. Keys: }}
{{! TIERS (ID, NAME, RANK, POINTS_THRESHOLD, SUPPORT_LEVEL, PARTNERS, }}
{{! MODULES), MODULE_CHOICES (NAME, ON), SUPPORT_LEVELS (NAME, SELECTED). }}
<h1>Tiers</h1>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Tiers (scrolls sideways)">
<table class="tp-table tiers">
<thead><tr><th>Rank</th><th>Name</th><th>Points from</th><th>Support</th><th>Modules</th><th>Partners</th></tr></thead>
<tbody>
{{#TIERS}}<tr data-id="{{ID}}"><td>{{RANK}}</td><td><a href="/admin/tiers/{{ID}}">{{NAME}}</a></td><td>{{POINTS_THRESHOLD}}</td><td>{{SUPPORT_LEVEL}}</td><td>{{#MODULES}}<span class="module">{{VALUE}}</span> {{/MODULES}}</td><td>{{PARTNERS}}</td></tr>
{{/TIERS}}
</tbody>
</table>
</div>
{{#TIERS_EMPTY}}<p>No tiers.</p>{{/TIERS_EMPTY}}
<h2 id="add">Add a tier</h2>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/admin/tiers" class="tp-form tier-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="name">Name</label><input id="name" name="name" required maxlength="32">
<label for="rank">Rank (empty: after the last)</label><input id="rank" name="rank" inputmode="numeric">
<label for="points_threshold">Points threshold</label><input id="points_threshold" name="points_threshold" inputmode="numeric" value="0">
<label for="support_level">Support level</label><select id="support_level" name="support_level">{{#SUPPORT_LEVELS}}<option{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/SUPPORT_LEVELS}}</select>
<fieldset class="modules"><legend>Modules (from the brand's plan)</legend><input type="hidden" name="modules" value="">
{{#MODULE_CHOICES}}<label><input type="checkbox" name="modules" value="{{NAME}}"{{#ON}} checked{{/ON}}> {{NAME}}</label>
{{/MODULE_CHOICES}}{{#MODULE_CHOICES_EMPTY}}<p>The brand's plan has no modules.</p>{{/MODULE_CHOICES_EMPTY}}</fieldset>
<button type="submit">Add tier</button>
</form>
