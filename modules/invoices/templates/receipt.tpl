{{%AUTOESCAPE context="HTML"}}
{{! receipt.tpl -- a payment: its receipt (what it paid, how), its refunds, }}
{{! an operator's refund form (modules/invoices/receipt.c pay_receipt_page). }}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#PAYMENT}}
<h1>{{#SETTLED}}Receipt {{NUMBER}}{{/SETTLED}}{{#SETTLED_EMPTY}}Payment {{ID}}{{/SETTLED_EMPTY}}</h1>
<dl class="pay-receipt">
<dt>Status</dt><dd class="pay-status">{{STATUS}}{{#DECLINE_REASON}}: {{DECLINE_REASON}}{{/DECLINE_REASON}}</dd>
<dt>Date</dt><dd>{{DATE}}</dd>
<dt>Account</dt><dd>{{ACCOUNT_NUMBER}} {{ACCOUNT_NAME}}</dd>
<dt>Amount</dt><dd class="pay-amount">{{AMOUNT_TEXT}}</dd>
<dt>Method</dt><dd class="pay-method">{{METHOD_LABEL}}</dd>
{{#REFERENCE}}<dt>Reference</dt><dd>{{REFERENCE}}</dd>{{/REFERENCE}}
{{#REFUNDED_TEXT}}<dt>Refunded</dt><dd class="pay-refunded">{{REFUNDED_TEXT}}</dd>{{/REFUNDED_TEXT}}
</dl>
{{#ALLOCATIONS}}<p>Paid on invoice <a href="/invoices/{{INVOICE_ID}}">{{NUMBER}}</a>: {{AMOUNT_TEXT}}</p>{{/ALLOCATIONS}}
{{#REFUNDS}}<p>Refunded on {{DATE}}: {{AMOUNT_TEXT}} ({{REASON}})</p>{{/REFUNDS}}
{{#SETTLED}}<p><a class="pay-pdf" href="/payments/{{ID}}/pdf">Download the receipt (PDF)</a></p>{{/SETTLED}}
{{/PAYMENT}}
{{#CAN_REFUND}}{{#PAYMENT}}<h2>Refund</h2>
<form method="post" action="/payments/{{ID}}/refunds" class="tp-form pay-refund">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="rf-amount">Amount (at most {{REFUNDABLE_TEXT}})</label><input id="rf-amount" name="amount" required inputmode="decimal" maxlength="32">
<label for="rf-reason">Reason</label><input id="rf-reason" name="reason" required maxlength="255">
<button type="submit">Refund to {{METHOD_LABEL}}</button>
</form>{{/PAYMENT}}{{/CAN_REFUND}}
