{{%AUTOESCAPE context="HTML"}}
{{#ACCOUNT}}
<h1>{{NAME}}</h1>
<dl class="tp-facts account" data-id="{{ID}}">
<dt>Number</dt><dd>{{NUMBER}}</dd>
<dt>Kind</dt><dd>{{KIND}}</dd>
<dt>Status</dt><dd>{{STATUS}}</dd>
<dt>Currency</dt><dd>{{CURRENCY}}</dd>
<dt>Partner</dt><dd>{{PARTNER}}</dd>
</dl>
{{/ACCOUNT}}
<h2>Sub-accounts</h2>
<ul class="sub-accounts">{{#SUB_ACCOUNTS}}<li><a href="/accounts/{{ID}}">{{NUMBER}}</a> {{NAME}}</li>{{/SUB_ACCOUNTS}}</ul>
{{#SUB_ACCOUNTS_EMPTY}}<p>None.</p>{{/SUB_ACCOUNTS_EMPTY}}
