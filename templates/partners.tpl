{{%AUTOESCAPE context="HTML"}}
<h1>Partners</h1>
<div class="tp-scroll">
<table class="tp-table partners">
<thead><tr><th>Name</th><th>Kind</th><th>Tier</th><th>Status</th><th>Currency</th></tr></thead>
<tbody>
{{#PARTNERS}}<tr data-id="{{ID}}"><td class="depth-{{DEPTH}}"><a href="/partners/{{ID}}">{{NAME}}</a></td><td>{{KIND}}</td><td>{{TIER}}</td><td>{{STATUS}}</td><td>{{CURRENCY}}</td></tr>
{{/PARTNERS}}
</tbody>
</table>
</div>
{{#PARTNERS_EMPTY}}<p>No partners.</p>{{/PARTNERS_EMPTY}}
{{#TRUNCATED}}<p class="tp-note">Only the first 500 are shown.</p>{{/TRUNCATED}}
