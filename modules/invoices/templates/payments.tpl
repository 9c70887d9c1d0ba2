{{%AUTOESCAPE context="HTML"}}
{{! payments.tpl -- an account's payments: make a payment, its payment methods }}
{{! (cards by token, bank accounts masked), autopay, the low-balance alert, }}
{{! payment history, "Mail a payment" (modules/invoices/methods.c pay_page). }}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#ACCOUNT}}
<h1>Payments</h1>
<p class="pay-balance">Account {{NUMBER}} {{NAME}}: <strong>{{BALANCE_WORDS}}</strong></p>
{{/ACCOUNT}}
<h2>Make a payment</h2>
{{#METHODS_EMPTY}}<p>Add a card or a bank account below to pay online.</p>{{/METHODS_EMPTY}}
{{#METHODS}}{{/METHODS}}
<form method="post" action="{{BASE}}/payments" class="tp-form pay-make">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="pay-method">Pay with</label>
<select id="pay-method" name="method_id" required>{{#METHODS}}<option value="{{ID}}">{{LABEL}}</option>{{/METHODS}}</select>
<label for="pay-invoice">Pay</label>
<select id="pay-invoice" name="invoice"><option value="">against my balance</option>{{#OPEN_INVOICES}}<option value="{{ID}}">invoice {{NUMBER}} ({{OPEN_TEXT}} open, due {{DUE_DATE}})</option>{{/OPEN_INVOICES}}</select>
<label for="pay-amount">Amount{{#ACCOUNT}} ({{CURRENCY}}){{/ACCOUNT}}</label>
<input id="pay-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<button type="submit">Pay now</button>
</form>
<h2>Payment methods</h2>
<ul class="pay-methods">
{{#METHODS}}<li>{{LABEL}}{{#AUTOPAY}} <strong>(pays automatically)</strong>{{/AUTOPAY}}
{{#CAN_DELETE_METHODS}}<form method="post" action="{{BASE}}/methods/{{ID}}/remove" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">Remove<span class="tp-sr"> {{LABEL}}</span></button></form>{{/CAN_DELETE_METHODS}}</li>
{{/METHODS}}
</ul>
<details class="pay-add-card"><summary>Add a card</summary>
<p><small>Your card number goes to the payment gateway only; we keep its token, brand, last four digits and expiry.</small></p>
<form method="post" action="{{BASE}}/methods" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="kind" value="card">
<label for="card-token">Gateway token</label><input id="card-token" name="token" required maxlength="64">
<label for="card-brand">Brand</label><input id="card-brand" name="card_brand" required maxlength="16">
<label for="card-last4">Last four digits</label><input id="card-last4" name="last4" required maxlength="4" inputmode="numeric">
<label for="card-month">Expiry month</label><input id="card-month" name="exp_month" required maxlength="2" inputmode="numeric">
<label for="card-year">Expiry year</label><input id="card-year" name="exp_year" required maxlength="4" inputmode="numeric">
<label for="card-holder">Name on the card</label><input id="card-holder" name="holder" maxlength="128">
<button type="submit">Add the card</button>
</form></details>
<details class="pay-add-bank"><summary>Add a bank account</summary>
<form method="post" action="{{BASE}}/methods" class="tp-form" autocomplete="off">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="kind" value="ach">
<label for="ach-routing">Routing number</label><input id="ach-routing" name="routing" required maxlength="9" inputmode="numeric">
<label for="ach-number">Account number</label><input id="ach-number" name="account_number" required maxlength="17" inputmode="numeric" autocomplete="off">
<label for="ach-holder">Account holder</label><input id="ach-holder" name="holder" maxlength="128">
<button type="submit">Add the bank account</button>
</form></details>
<h2>Automatic payments</h2>
{{#AUTOPAY}}<p class="pay-autopay">Your invoices are paid automatically with {{LABEL}}.</p>{{/AUTOPAY}}
{{#AUTOPAY_EMPTY}}<p class="pay-autopay">Automatic payments are off.</p>{{/AUTOPAY_EMPTY}}
<form method="post" action="{{BASE}}/autopay" class="tp-form pay-autopay-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="ap-method">Pay automatically with</label>
<select id="ap-method" name="method_id">{{#CAN_LEAVE_AUTOPAY}}<option value="">no automatic payments</option>{{/CAN_LEAVE_AUTOPAY}}{{#METHODS}}<option value="{{ID}}"{{#AUTOPAY}} selected{{/AUTOPAY}}>{{LABEL}}</option>{{/METHODS}}</select>
<button type="submit">Save</button>
</form>
{{#ACCOUNT}}{{#PREPAID}}<h2>Low-balance alert</h2>
<form method="post" action="{{BASE}}/low-balance" class="tp-form pay-low-balance">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="lb-threshold">E-mail me when my available balance falls below ({{CURRENCY}}; empty: never)</label>
<input id="lb-threshold" name="threshold" value="{{LOW_BALANCE_THRESHOLD_TEXT}}" maxlength="32" inputmode="decimal">
<button type="submit">Save</button>
</form>{{/PREPAID}}{{/ACCOUNT}}
{{#OPERATOR}}{{#ACCOUNT}}<form method="post" action="/accounts/{{ID}}/ach-authorisation" class="tp-form pay-ach-auth">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="authorised" value="{{#ACH_AUTHORISED}}0{{/ACH_AUTHORISED}}{{#ACH_AUTHORISED_EMPTY}}1{{/ACH_AUTHORISED_EMPTY}}">
<p>Signed bank authorisation: {{#ACH_AUTHORISED}}on file{{/ACH_AUTHORISED}}{{#ACH_AUTHORISED_EMPTY}}none{{/ACH_AUTHORISED_EMPTY}}</p>
<button type="submit">{{#ACH_AUTHORISED}}Withdraw it{{/ACH_AUTHORISED}}{{#ACH_AUTHORISED_EMPTY}}Record a signed authorisation{{/ACH_AUTHORISED_EMPTY}}</button>
</form>{{/ACCOUNT}}{{/OPERATOR}}
{{#PAYMENT_ADDRESS}}<h2>Mail a payment</h2>
<p class="pay-address">Send a cheque to: {{PAYMENT_ADDRESS}}</p>{{/PAYMENT_ADDRESS}}
<h2>Payment history</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Payment history">
<table class="tp-table pay-history">
<thead><tr><th scope="col">Date</th><th scope="col">Receipt</th><th scope="col">Method</th><th scope="col">Status</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Refunded</th></tr></thead>
<tbody>
{{#PAYMENTS}}<tr><td>{{DATE}}</td><td><a href="/payments/{{ID}}">{{#NUMBER}}{{NUMBER}}{{/NUMBER}}{{#NUMBER_EMPTY}}payment {{ID}}{{/NUMBER_EMPTY}}</a></td><td>{{METHOD_LABEL}}</td><td>{{STATUS}}{{#DECLINE_REASON}}: {{DECLINE_REASON}}{{/DECLINE_REASON}}</td><td class="num">{{AMOUNT_TEXT}}</td><td class="num">{{REFUNDED_TEXT}}</td></tr>
{{/PAYMENTS}}
</tbody></table></div>
