{{%AUTOESCAPE context="HTML"}}
{{! grid.tpl -- every list of core/data/grid.c. Keys: GRID, TITLE, COLUMNS (KEY, }}
{{! LABEL, TYPE, SORT_HREF, SORTED_ASC, SORTED_DESC), ROWS_HTML (the rows' <tr>s, }}
{{! written by grid.c rows_html with every cell escaped as auto-escape would: hence :none), }}
{{! ROWS_EMPTY, NEXT, PREV, FIRST, FILTERS, CHOOSE, GROUPABLE, }}
{{! GROUPS (VALUE, CURRENCY, COUNT, SUMS: LABEL, TEXT; HREF), EXPORTS, CSV_PLAIN (the brand turned the CSV formula guard off), SORT, }}
{{! ACTIONS (HREF, LABEL: the list's own links, set by its handler), }}
{{! ROW_ACTIONS (each row then ends with its own action link, e.g. its edit form). }}
<h1>{{TITLE}}</h1>
{{#ACTIONS}}<p class="tp-actions"><a href="{{HREF}}">{{LABEL}}</a></p>{{/ACTIONS}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<details class="tp-grid-tools">
<summary>{{_}}Filter, group and columns{{/_}}</summary>
<form method="get" class="tp-form tp-grid-filters">
<input type="hidden" name="sort" value="{{SORT}}">
{{#FILTERS}}<div class="tp-filter filter-{{KEY}}"><label for="f-{{KEY}}">{{LABEL}}</label>
{{#TEXT}}<input id="f-{{KEY}}" name="f.{{KEY}}" value="{{VALUE}}" placeholder="{{_}}starts with{{/_}}">{{/TEXT}}
{{#STATUS}}<select id="f-{{KEY}}" name="f.{{KEY}}"><option value="">{{_}}(any){{/_}}</option>{{#OPTIONS}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/OPTIONS}}</select>{{/STATUS}}
{{#RANGE}}<input id="f-{{KEY}}" name="f.{{KEY}}.{{LO}}" value="{{LO_VALUE}}" placeholder="{{_}}from{{/_}}" inputmode="decimal"> &ndash; <input name="f.{{KEY}}.{{HI}}" value="{{HI_VALUE}}" placeholder="{{_}}to{{/_}}" inputmode="decimal" aria-label="{{_}}{{LABEL}} to{{/_}}">{{/RANGE}}
{{#DATE}}<input id="f-{{KEY}}" type="date" name="f.{{KEY}}.{{LO}}" value="{{LO_VALUE}}"> &ndash; <input type="date" name="f.{{KEY}}.{{HI}}" value="{{HI_VALUE}}" aria-label="{{_}}{{LABEL}} to{{/_}}">{{/DATE}}
</div>
{{/FILTERS}}
{{#CAN_GROUP}}<div class="tp-filter"><label for="grid-group">{{_}}Group by{{/_}}</label>
<select id="grid-group" name="group"><option value="">{{_}}(none){{/_}}</option>{{#GROUPABLE}}<option value="{{KEY}}"{{#ON}} selected{{/ON}}>{{LABEL}}</option>{{/GROUPABLE}}</select></div>{{/CAN_GROUP}}
<button type="submit">{{_}}Apply{{/_}}</button> <a href="?">{{_}}Clear{{/_}}</a>
</form>
<form method="post" action="/grids/{{GRID}}/columns" class="tp-form tp-grid-columns">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="back" value="{{BACK}}">
<fieldset><legend>{{_}}Columns shown to you{{/_}}</legend>
{{#CHOOSE}}<span class="tp-choice"><label class="tp-check"><input type="checkbox" name="col" value="{{KEY}}"{{#ON}} checked{{/ON}}> {{LABEL}}</label> <input class="tp-order" name="order.{{KEY}}" value="{{ORDER}}" inputmode="numeric" size="2" aria-label="{{_}}Place of {{LABEL}}{{/_}}"></span>
{{/CHOOSE}}</fieldset>
<button type="submit">{{_}}Save columns{{/_}}</button> <button type="submit" name="reset" value="1" class="tp-link">{{_}}Back to the default{{/_}}</button>
</form>
{{#CAN_RENAME}}<p><a href="/grids/{{GRID}}/settings?back={{LIST_PATH}}">{{_}}Rename, hide and order the columns for the brand{{/_}}</a></p>{{/CAN_RENAME}}
</details>
<p class="tp-grid-exports">{{_}}Export:{{/_}} {{#EXPORTS}}<a class="export-{{FORMAT}}" href="{{HREF}}" download>{{FORMAT}}</a>{{#EXPORTS_separator}} &middot; {{/EXPORTS_separator}}{{/EXPORTS}}<br><small class="tp-csv-note">{{#CSV_PLAIN}}{{_}}In CSV every cell is written as it is: this brand turned the formula guard off for trusted spreadsheets, so a cell that begins with = + - or @ may run as a formula when opened.{{/_}}{{/CSV_PLAIN}}{{#CSV_PLAIN_EMPTY}}{{_}}In CSV a cell that begins with = + - or @ starts with an apostrophe, so a spreadsheet never runs it as a formula (a phone number such as +4930123456 is left as it is).{{/_}}{{/CSV_PLAIN_EMPTY}}</small></p>
{{#GROUP_BY}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Subtotals (scrolls sideways){{/_}}">
<table class="tp-table tp-grid-groups grid-{{GRID}}">
<thead><tr><th>{{GROUP_LABEL}}</th><th>{{_}}Count{{/_}}</th><th>{{_}}Subtotals{{/_}}</th></tr></thead>
<tbody>
{{#GROUPS}}<tr><td>{{#HREF}}<a href="{{HREF}}">{{/HREF}}{{VALUE}}{{#HREF}}</a>{{/HREF}}{{#CURRENCY}} ({{CURRENCY}}){{/CURRENCY}}</td><td class="number">{{COUNT}}</td><td>{{#SUMS}}{{LABEL}}: {{TEXT}}{{#SUMS_separator}}; {{/SUMS_separator}}{{/SUMS}}</td></tr>
{{/GROUPS}}
</tbody>
</table>
</div>
{{#GROUPS_TRUNCATED}}<p class="tp-note">{{_}}Only the first 1000 groups are shown.{{/_}}</p>{{/GROUPS_TRUNCATED}}
{{/GROUP_BY}}
{{#LIST}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}{{TITLE}} (scrolls sideways){{/_}}">
<table class="tp-table tp-grid grid-{{GRID}}">
<thead><tr>{{#COLUMNS}}<th scope="col" class="col-{{KEY}} type-{{TYPE}}">{{#SORT_HREF}}<a href="{{SORT_HREF}}">{{LABEL}}{{#SORTED_ASC}} &#9650;{{/SORTED_ASC}}{{#SORTED_DESC}} &#9660;{{/SORTED_DESC}}</a>{{/SORT_HREF}}{{#NOSORT}}{{LABEL}}{{/NOSORT}}</th>{{/COLUMNS}}{{#ROW_ACTIONS}}<th scope="col" class="col-action"></th>{{/ROW_ACTIONS}}</tr></thead>
<tbody>
{{ROWS_HTML:none}}</tbody>
</table>
</div>
{{#ROWS_EMPTY}}<p>{{_}}Nothing to show.{{/_}}</p>{{/ROWS_EMPTY}}
<nav class="tp-pager" aria-label="{{_}}Pages{{/_}}">{{#FIRST}}<a href="{{FIRST}}" rel="first">{{_}}First{{/_}}</a> {{/FIRST}}{{#PREV}}<a href="{{PREV}}" rel="prev">{{_}}Previous{{/_}}</a> {{/PREV}}{{#NEXT}}<a href="{{NEXT}}" rel="next">{{_}}Next{{/_}}</a>{{/NEXT}}</nav>
{{/LIST}}
