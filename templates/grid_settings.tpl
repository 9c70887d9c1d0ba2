{{%AUTOESCAPE context="HTML"}}
{{! grid_settings.tpl -- a brand admin renames, hides and orders a grid's }}
{{! columns (core/builtin/customers.c). Keys: GRID, TITLE, BACK (the list's }}
{{! path), COLUMNS (KEY, }}
{{! DEFAULT_LABEL, LABEL, SHOW_OPTIONS, DECLARED, POSITION), SAVED, ERROR. }}
<h1>{{TITLE}}: columns for the brand</h1>
{{#SAVED}}<p class="tp-note" role="status">Saved. Every login of the brand sees the new labels.</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/grids/{{GRID}}/settings?back={{BACK}}" class="tp-form grid-settings">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<div class="tp-scroll" tabindex="0" role="region" aria-label="Columns (scrolls sideways)">
<table class="tp-table">
<thead><tr><th>Column</th><th>Label</th><th>Shown</th><th>Position</th></tr></thead>
<tbody>
{{#COLUMNS}}<tr data-key="{{KEY}}"><td>{{DEFAULT_LABEL}}</td>
<td><input name="label.{{KEY}}" value="{{LABEL}}" placeholder="{{DEFAULT_LABEL}}" maxlength="64" aria-label="Label of {{DEFAULT_LABEL}}"></td>
<td><select name="show.{{KEY}}" aria-label="Is {{DEFAULT_LABEL}} shown">{{#SHOW_OPTIONS}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{VALUE}}</option>{{/SHOW_OPTIONS}}</select> <small>(default: {{DECLARED}})</small></td>
<td><input name="position.{{KEY}}" value="{{POSITION}}" inputmode="numeric" size="3" aria-label="Position of {{DEFAULT_LABEL}}"></td></tr>
{{/COLUMNS}}
</tbody>
</table>
</div>
<button type="submit">Save</button>
</form>
<p><a href="{{BACK}}">Back to the list</a></p>
