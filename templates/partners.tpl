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
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#ADD_AGENT}}
<h2 id="add-agent">Add a top-level agent</h2>
<form method="post" action="/partners" class="tp-form agent-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="agent-name">Name</label><input id="agent-name" name="name" required maxlength="128">
<label for="agent-currency">Currency</label><input id="agent-currency" name="currency" required maxlength="3" placeholder="EUR">
<label for="agent-tier">Tier</label>
<select id="agent-tier" name="tier">{{#TIERS}}<option value="{{NAME}}">{{NAME}}</option>{{/TIERS}}</select>
<button type="submit">Add agent</button>
</form>
{{/ADD_AGENT}}
