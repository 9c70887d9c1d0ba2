{{%AUTOESCAPE context="HTML"}}
{{! grid_settings.tpl -- a brand admin renames, hides and orders a grid's }}
{{! columns (core/builtin/customers.c). Keys: GRID, TITLE, BACK (the list's }}
{{! path), COLUMNS (KEY, }}
{{! DEFAULT_LABEL, LABEL, SHOW_OPTIONS, DECLARED, POSITION), SAVED, ERROR. }}
<h1>{{_}}{{TITLE}}: columns for the brand{{/_}}</h1>
{{#SAVED}}<p class="tp-note" role="status">{{_}}Saved. Every login of the brand sees the new labels.{{/_}}</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/grids/{{GRID}}/settings?back={{BACK}}" class="tp-form grid-settings">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Columns (scrolls sideways){{/_}}">
<table class="tp-table">
<thead><tr><th>{{_}}Column{{/_}}</th><th>{{_}}Label{{/_}}</th><th>{{_}}Shown{{/_}}</th><th>{{_}}Position{{/_}}</th></tr></thead>
<tbody>
{{#COLUMNS}}<tr data-key="{{KEY}}"><td>{{DEFAULT_LABEL}}</td>
<td><input name="label.{{KEY}}" value="{{LABEL}}" placeholder="{{DEFAULT_LABEL}}" maxlength="64" aria-label="{{_}}Label of {{DEFAULT_LABEL}}{{/_}}"></td>
<td><select name="show.{{KEY}}" aria-label="{{_}}Is {{DEFAULT_LABEL}} shown{{/_}}">{{#SHOW_OPTIONS}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/SHOW_OPTIONS}}</select> <small>{{_}}(default: {{DECLARED}}){{/_}}</small></td>
<td><input name="position.{{KEY}}" value="{{POSITION}}" inputmode="numeric" size="3" aria-label="{{_}}Position of {{DEFAULT_LABEL}}{{/_}}"></td></tr>
{{/COLUMNS}}
</tbody>
</table>
</div>
<button type="submit">{{_}}Save{{/_}}</button>
</form>
<p><a href="{{BACK}}">{{_}}Back to the list{{/_}}</a></p>
