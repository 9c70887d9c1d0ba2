{{%AUTOESCAPE context="HTML"}}
{{#PARTNER}}
<h1>{{NAME}}</h1>
<dl class="tp-facts partner" data-id="{{ID}}">
<dt>Kind</dt><dd>{{KIND}}</dd>
<dt>Tier</dt><dd>{{TIER}}</dd>
<dt>Status</dt><dd>{{STATUS}}</dd>
<dt>Currency</dt><dd>{{CURRENCY}}</dd>
<dt>Time zone</dt><dd>{{TIMEZONE}}</dd>
<dt>Parent</dt><dd>{{PARENT}}</dd>
<dt>Accounts</dt><dd>{{ACCOUNTS}}</dd>
</dl>
{{/PARTNER}}
<h2>Below it</h2>
<ul class="children">{{#CHILDREN}}<li><a href="/partners/{{ID}}">{{NAME}}</a> ({{KIND}})</li>{{/CHILDREN}}</ul>
{{#CHILDREN_EMPTY}}<p>No partners below this one.</p>{{/CHILDREN_EMPTY}}
