{{%AUTOESCAPE context="HTML"}}
{{! receipt.tpl -- a payment: its receipt (what it paid, how), its refunds, }}
{{! an operator's refund form (modules/invoices/receipt.c pay_receipt_page). }}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#PAYMENT}}
<h1>{{#SETTLED}}{{_}}Receipt {{NUMBER}}{{/_}}{{/SETTLED}}{{#SETTLED_EMPTY}}{{_}}Payment {{ID}}{{/_}}{{/SETTLED_EMPTY}}</h1>
<dl class="pay-receipt">
<dt>{{_}}Status{{/_}}</dt><dd class="pay-status">{{STATUS_LABEL}}{{#DECLINE_REASON}}: {{DECLINE_REASON}}{{/DECLINE_REASON}}</dd>
<dt>{{_}}Date{{/_}}</dt><dd>{{DATE}}</dd>
<dt>{{_}}Account{{/_}}</dt><dd>{{ACCOUNT_NUMBER}} {{ACCOUNT_NAME}}</dd>
<dt>{{_}}Amount{{/_}}</dt><dd class="pay-amount">{{AMOUNT_TEXT}}</dd>
<dt>{{_}}Method{{/_}}</dt><dd class="pay-method">{{METHOD_LABEL}}</dd>
{{#REFERENCE}}<dt>{{_}}Reference{{/_}}</dt><dd>{{REFERENCE}}</dd>{{/REFERENCE}}
{{#REFUNDED_TEXT}}<dt>{{_}}Refunded{{/_}}</dt><dd class="pay-refunded">{{REFUNDED_TEXT}}</dd>{{/REFUNDED_TEXT}}
</dl>
{{#ALLOCATIONS}}<p>{{_}}Paid on invoice <a href="/invoices/{{INVOICE_ID}}">{{NUMBER}}</a>: {{AMOUNT_TEXT}}{{/_}}</p>{{/ALLOCATIONS}}
{{#REFUNDS}}<p>{{_}}Refunded on {{DATE}}: {{AMOUNT_TEXT}} ({{REASON}}){{/_}}</p>{{/REFUNDS}}
{{#SETTLED}}<p><a class="pay-pdf" href="/payments/{{ID}}/pdf" download>{{_}}Download the receipt (PDF){{/_}}</a></p>{{/SETTLED}}
{{/PAYMENT}}
{{#CAN_REFUND}}{{#PAYMENT}}<h2>{{_}}Refund{{/_}}</h2>
<form method="post" action="/payments/{{ID}}/refunds" class="tp-form pay-refund">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="rf-amount">{{_}}Amount (at most {{REFUNDABLE_TEXT}}){{/_}}</label><input id="rf-amount" name="amount" required inputmode="decimal" maxlength="32">
<label for="rf-reason">{{_}}Reason{{/_}}</label><input id="rf-reason" name="reason" required maxlength="255">
<button type="submit">{{_}}Refund to {{METHOD_LABEL}}{{/_}}</button>
</form>{{/PAYMENT}}{{/CAN_REFUND}}
