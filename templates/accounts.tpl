{{%AUTOESCAPE context="HTML"}}
<h1>Accounts</h1>
<div class="tp-scroll">
<table class="tp-table accounts">
<thead><tr><th>Number</th><th>Name</th><th>Kind</th><th>Status</th><th>Currency</th><th>Partner</th></tr></thead>
<tbody>
{{#ACCOUNTS}}<tr data-id="{{ID}}"><td><a href="/accounts/{{ID}}">{{NUMBER}}</a></td><td>{{NAME}}</td><td>{{KIND}}</td><td>{{STATUS}}</td><td>{{CURRENCY}}</td><td>{{PARTNER}}</td></tr>
{{/ACCOUNTS}}
</tbody>
</table>
</div>
{{#ACCOUNTS_EMPTY}}<p>No accounts.</p>{{/ACCOUNTS_EMPTY}}
{{#TRUNCATED}}<p class="tp-note">Only the first 500 are shown.</p>{{/TRUNCATED}}
