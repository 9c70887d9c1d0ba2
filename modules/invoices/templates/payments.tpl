{{%AUTOESCAPE context="HTML"}}
{{! payments.tpl -- an account's payments: make a payment, its payment methods }}
{{! (cards by token, bank accounts masked), autopay, the low-balance alert, }}
{{! payment history, "Mail a payment" (modules/invoices/methods.c pay_page). }}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#ACCOUNT}}
<h1>{{_}}Payments{{/_}}</h1>
<p class="pay-balance">{{_}}Account {{NUMBER}} {{NAME}}: <strong>{{BALANCE_WORDS}}</strong>{{/_}}</p>
{{/ACCOUNT}}
<h2>{{_}}Make a payment{{/_}}</h2>
{{#METHODS_EMPTY}}<p>{{_}}Add a card or a bank account below to pay online.{{/_}}</p>{{/METHODS_EMPTY}}
{{#METHODS}}{{/METHODS}}
<form method="post" action="{{BASE}}/payments" class="tp-form pay-make">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="pay-method">{{_}}Pay with{{/_}}</label>
<select id="pay-method" name="method_id" required>{{#METHODS}}<option value="{{ID}}">{{LABEL}}</option>{{/METHODS}}</select>
<label for="pay-invoice">{{_}}Pay{{/_}}</label>
<select id="pay-invoice" name="invoice"><option value="">{{_}}against my balance{{/_}}</option>{{#OPEN_INVOICES}}<option value="{{ID}}">{{_}}invoice {{NUMBER}} ({{OPEN_TEXT}} open, due {{DUE_DATE}}){{/_}}</option>{{/OPEN_INVOICES}}</select>
<label for="pay-amount">{{_}}Amount{{/_}}{{#ACCOUNT}} ({{CURRENCY}}){{/ACCOUNT}}</label>
<input id="pay-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<button type="submit">{{_}}Pay now{{/_}}</button>
</form>
<h2>{{_}}Payment methods{{/_}}</h2>
<ul class="pay-methods">
{{#METHODS}}<li>{{LABEL}}{{#AUTOPAY}} <strong>{{_}}(pays automatically){{/_}}</strong>{{/AUTOPAY}}
{{#CAN_DELETE_METHODS}}<form method="post" action="{{BASE}}/methods/{{ID}}/remove" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">{{_}}Remove<span class="tp-sr"> {{LABEL}}</span>{{/_}}</button></form>{{/CAN_DELETE_METHODS}}</li>
{{/METHODS}}
</ul>
<details class="pay-add-card"><summary>{{_}}Add a card{{/_}}</summary>
<p><small>{{_}}Your card number goes to the payment gateway only; we keep its token, brand, last four digits and expiry.{{/_}}</small></p>
<form method="post" action="{{BASE}}/methods" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="kind" value="card">
<label for="card-token">{{_}}Gateway token{{/_}}</label><input id="card-token" name="token" required maxlength="64">
<label for="card-brand">{{_}}Brand{{/_}}</label><input id="card-brand" name="card_brand" required maxlength="16">
<label for="card-last4">{{_}}Last four digits{{/_}}</label><input id="card-last4" name="last4" required maxlength="4" inputmode="numeric">
<label for="card-month">{{_}}Expiry month{{/_}}</label><input id="card-month" name="exp_month" required maxlength="2" inputmode="numeric">
<label for="card-year">{{_}}Expiry year{{/_}}</label><input id="card-year" name="exp_year" required maxlength="4" inputmode="numeric">
<label for="card-holder">{{_}}Name on the card{{/_}}</label><input id="card-holder" name="holder" maxlength="128">
<button type="submit">{{_}}Add the card{{/_}}</button>
</form></details>
<details class="pay-add-bank"><summary>{{_}}Add a bank account{{/_}}</summary>
<form method="post" action="{{BASE}}/methods" class="tp-form" autocomplete="off">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="kind" value="ach">
<label for="ach-routing">{{_}}Routing number{{/_}}</label><input id="ach-routing" name="routing" required maxlength="9" inputmode="numeric">
<label for="ach-number">{{_}}Account number{{/_}}</label><input id="ach-number" name="account_number" required maxlength="17" inputmode="numeric" autocomplete="off">
<label for="ach-holder">{{_}}Account holder{{/_}}</label><input id="ach-holder" name="holder" maxlength="128">
<button type="submit">{{_}}Add the bank account{{/_}}</button>
</form></details>
<h2>{{_}}Automatic payments{{/_}}</h2>
{{#AUTOPAY}}<p class="pay-autopay">{{_}}Your invoices are paid automatically with {{LABEL}}.{{/_}}</p>{{/AUTOPAY}}
{{#AUTOPAY_EMPTY}}<p class="pay-autopay">{{_}}Automatic payments are off.{{/_}}</p>{{/AUTOPAY_EMPTY}}
<form method="post" action="{{BASE}}/autopay" class="tp-form pay-autopay-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="ap-method">{{_}}Pay automatically with{{/_}}</label>
<select id="ap-method" name="method_id">{{#CAN_LEAVE_AUTOPAY}}<option value="">{{_}}no automatic payments{{/_}}</option>{{/CAN_LEAVE_AUTOPAY}}{{#METHODS}}<option value="{{ID}}"{{#AUTOPAY}} selected{{/AUTOPAY}}>{{LABEL}}</option>{{/METHODS}}</select>
<button type="submit">{{_}}Save{{/_}}</button>
</form>
{{#ACCOUNT}}{{#PREPAID}}<h2>{{_}}Low-balance alert{{/_}}</h2>
<form method="post" action="{{BASE}}/low-balance" class="tp-form pay-low-balance">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="lb-threshold">{{_}}E-mail me when my available balance falls below ({{CURRENCY}}; empty: never){{/_}}</label>
<input id="lb-threshold" name="threshold" value="{{LOW_BALANCE_THRESHOLD_TEXT}}" maxlength="32" inputmode="decimal">
<button type="submit">{{_}}Save{{/_}}</button>
</form>{{/PREPAID}}{{/ACCOUNT}}
{{#OPERATOR}}{{#ACCOUNT}}<form method="post" action="/accounts/{{ID}}/ach-authorisation" class="tp-form pay-ach-auth">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="authorised" value="{{#ACH_AUTHORISED}}0{{/ACH_AUTHORISED}}{{#ACH_AUTHORISED_EMPTY}}1{{/ACH_AUTHORISED_EMPTY}}">
<p>{{_}}Signed bank authorisation:{{/_}} {{#ACH_AUTHORISED}}{{_}}on file{{/_}}{{/ACH_AUTHORISED}}{{#ACH_AUTHORISED_EMPTY}}{{_}}none{{/_}}{{/ACH_AUTHORISED_EMPTY}}</p>
<button type="submit">{{#ACH_AUTHORISED}}{{_}}Withdraw it{{/_}}{{/ACH_AUTHORISED}}{{#ACH_AUTHORISED_EMPTY}}{{_}}Record a signed authorisation{{/_}}{{/ACH_AUTHORISED_EMPTY}}</button>
</form>{{/ACCOUNT}}{{/OPERATOR}}
{{#PAYMENT_ADDRESS}}<h2>{{_}}Mail a payment{{/_}}</h2>
<p class="pay-address">{{_}}Send a cheque to: {{PAYMENT_ADDRESS}}{{/_}}</p>{{/PAYMENT_ADDRESS}}
<h2>{{_}}Payment history{{/_}}</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Payment history{{/_}}">
<table class="tp-table pay-history">
<thead><tr><th scope="col">{{_}}Date{{/_}}</th><th scope="col">{{_}}Receipt{{/_}}</th><th scope="col">{{_}}Method{{/_}}</th><th scope="col">{{_}}Status{{/_}}</th><th scope="col" class="num">{{_}}Amount{{/_}}</th><th scope="col" class="num">{{_}}Refunded{{/_}}</th></tr></thead>
<tbody>
{{#PAYMENTS}}<tr><td>{{DATE}}</td><td><a href="/payments/{{ID}}">{{#NUMBER}}{{NUMBER}}{{/NUMBER}}{{#NUMBER_EMPTY}}{{_}}payment {{ID}}{{/_}}{{/NUMBER_EMPTY}}</a></td><td>{{METHOD_LABEL}}</td><td>{{STATUS_LABEL}}{{#DECLINE_REASON}}: {{DECLINE_REASON}}{{/DECLINE_REASON}}</td><td class="num">{{AMOUNT_TEXT}}</td><td class="num">{{REFUNDED_TEXT}}</td></tr>
{{/PAYMENTS}}
</tbody></table></div>
