{{%AUTOESCAPE context="HTML"}}
{{! credit.tpl -- an operator issues a credit note against an invoice }}
<h1>{{_}}Issue a credit note{{/_}}</h1>
{{#INVOICE}}<p>{{_}}Invoice <a href="/invoices/{{ID}}">{{NUMBER}}</a> of account {{ACCOUNT_NUMBER}} {{ACCOUNT_NAME}}: {{CREDITABLE_TEXT}} can still be credited.{{/_}}</p>{{/INVOICE}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#INVOICE}}
<form method="post" action="/invoices/{{ID}}/credit" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="cn-amount">{{_}}Amount to credit, tax included ({{CURRENCY}}){{/_}}</label>
<input id="cn-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="cn-reason">{{_}}Reason (shown on the credit note){{/_}}</label>
<input id="cn-reason" name="reason" value="{{REASON}}" required maxlength="255">
<button type="submit">{{_}}Issue the credit note{{/_}}</button>
</form>
{{/INVOICE}}
