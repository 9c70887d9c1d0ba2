{{%AUTOESCAPE context="HTML"}}
{{! partner_credit.tpl -- an operator's page of a partner's balance, credit limit and warning threshold, with its refill form }}
{{#PARTNER}}
<h1>{{_}}{{NAME}}: balance and credit{{/_}}</h1>
<dl class="tp-facts">
<dt>{{_}}Balance{{/_}}</dt><dd class="funds-balance">{{BALANCE_WORDS}}</dd>
<dt>{{_}}Credit limit{{/_}}</dt><dd>{{CREDIT_LIMIT_TEXT}}</dd>
<dt>{{_}}Can still use{{/_}}</dt><dd>{{AVAILABLE_TEXT}}</dd>
<dt>{{_}}Warning threshold{{/_}}</dt><dd>{{WARNING_WORDS}}{{#WARNED}} {{_}}(warned){{/_}}{{/WARNED}}</dd>
</dl>
{{/PARTNER}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#PARTNER}}
<h2>{{_}}Credit limit{{/_}}</h2>
<form method="post" action="/funds/partners/{{ID}}/credit" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="credit-limit">{{_}}Credit limit ({{CURRENCY}}){{/_}}</label>
<input id="credit-limit" name="credit_limit" value="{{FORM_CREDIT_LIMIT}}" required inputmode="decimal" maxlength="32">
<label for="credit-warning">{{_}}Warning threshold (a percentage of the limit like 90%, an amount, or empty for none){{/_}}</label>
<input id="credit-warning" name="warning_threshold" value="{{FORM_WARNING_THRESHOLD}}" maxlength="32">
<label for="credit-email">{{_}}Billing e-mail (else its first admin's){{/_}}</label>
<input id="credit-email" name="billing_email" type="email" value="{{FORM_BILLING_EMAIL}}" maxlength="255">
<button type="submit">{{_}}Save{{/_}}</button>
</form>
<h2>{{_}}Add funds{{/_}}</h2>
<form method="post" action="/funds/partners/{{ID}}/refills" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="refill-amount">{{_}}Amount ({{CURRENCY}}){{/_}}</label>
<input id="refill-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="refill-reference">{{_}}Reference{{/_}}</label>
<input id="refill-reference" name="reference" value="{{REFERENCE}}" maxlength="128">
<button type="submit">{{_}}Add funds{{/_}}</button>
</form>
{{/PARTNER}}
<p><a href="/funds/partners">{{_}}Partner balances and credit{{/_}}</a></p>
