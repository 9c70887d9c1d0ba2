{{%AUTOESCAPE context="HTML"}}
{{! partner_credit.tpl -- an operator's page of a partner's balance, credit limit and warning threshold, with its refill form }}
{{#PARTNER}}
<h1>{{NAME}}: balance and credit</h1>
<dl class="tp-facts">
<dt>Balance</dt><dd class="funds-balance">{{BALANCE_WORDS}}</dd>
<dt>Credit limit</dt><dd>{{CREDIT_LIMIT_TEXT}}</dd>
<dt>Can still use</dt><dd>{{AVAILABLE_TEXT}}</dd>
<dt>Warning threshold</dt><dd>{{WARNING_WORDS}}{{#WARNED}} (warned){{/WARNED}}</dd>
</dl>
{{/PARTNER}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#PARTNER}}
<h2>Credit limit</h2>
<form method="post" action="/funds/partners/{{ID}}/credit" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="credit-limit">Credit limit ({{CURRENCY}})</label>
<input id="credit-limit" name="credit_limit" value="{{FORM_CREDIT_LIMIT}}" required inputmode="decimal" maxlength="32">
<label for="credit-warning">Warning threshold (a percentage of the limit like 90%, an amount, or empty for none)</label>
<input id="credit-warning" name="warning_threshold" value="{{FORM_WARNING_THRESHOLD}}" maxlength="32">
<label for="credit-email">Billing e-mail (else its first admin's)</label>
<input id="credit-email" name="billing_email" type="email" value="{{FORM_BILLING_EMAIL}}" maxlength="255">
<button type="submit">Save</button>
</form>
<h2>Add funds</h2>
<form method="post" action="/funds/partners/{{ID}}/refills" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="refill-amount">Amount ({{CURRENCY}})</label>
<input id="refill-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="refill-reference">Reference</label>
<input id="refill-reference" name="reference" value="{{REFERENCE}}" maxlength="128">
<button type="submit">Add funds</button>
</form>
{{/PARTNER}}
<p><a href="/funds/partners">Partner balances and credit</a></p>
