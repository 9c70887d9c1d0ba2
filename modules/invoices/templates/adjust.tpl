{{%AUTOESCAPE context="HTML"}}
{{! adjust.tpl -- an operator's manual credit, debit or write-off }}
<h1>{{_}}Credit, debit or write off{{/_}}</h1>
{{#ACCOUNT}}<p>{{_}}Account <a href="/accounts/{{ID}}/billing">{{NUMBER}} {{NAME}}</a>: {{BALANCE_WORDS}}.{{/_}} {{_}}Above {{THRESHOLD_TEXT}} a second operator must approve.{{/_}}</p>{{/ACCOUNT}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#ACCOUNT}}
<form method="post" action="/accounts/{{ID}}/adjustments" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="adj-kind">{{_}}Kind{{/_}}</label>
<select id="adj-kind" name="kind">{{#KINDS}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/KINDS}}</select>
<label for="adj-amount">{{_}}Amount ({{CURRENCY}}){{/_}}</label>
<input id="adj-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="adj-reason">{{_}}Reason{{/_}}</label>
<select id="adj-reason" name="reason_code">{{#REASONS}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{VALUE}}</option>{{/REASONS}}</select>
<label for="adj-note">{{_}}Note{{/_}}</label>
<input id="adj-note" name="note" value="{{NOTE}}" maxlength="500">
<button type="submit">{{_}}Post{{/_}}</button>
</form>
{{/ACCOUNT}}
