{{%AUTOESCAPE context="HTML"}}
{{! credit.tpl -- an operator issues a credit note against an invoice }}
<h1>Issue a credit note</h1>
{{#INVOICE}}<p>Invoice <a href="/invoices/{{ID}}">{{NUMBER}}</a> of account {{ACCOUNT_NUMBER}} {{ACCOUNT_NAME}}: {{CREDITABLE_TEXT}} can still be credited.</p>{{/INVOICE}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#INVOICE}}
<form method="post" action="/invoices/{{ID}}/credit" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="cn-amount">Amount to credit, tax included ({{CURRENCY}})</label>
<input id="cn-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="cn-reason">Reason (shown on the credit note)</label>
<input id="cn-reason" name="reason" value="{{REASON}}" required maxlength="255">
<button type="submit">Issue the credit note</button>
</form>
{{/INVOICE}}
