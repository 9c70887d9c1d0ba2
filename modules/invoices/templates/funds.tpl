{{%AUTOESCAPE context="HTML"}}
{{! funds.tpl -- a partner's own balance and credit, its transfer form and its reports }}
<h1>{{_}}Balance and credit{{/_}}</h1>
{{#PARTNER}}
<dl class="tp-facts">
<dt>{{_}}Balance{{/_}}</dt><dd class="funds-balance">{{BALANCE_WORDS}}</dd>
<dt>{{_}}Credit limit{{/_}}</dt><dd>{{CREDIT_LIMIT_TEXT}}</dd>
<dt>{{_}}You can still use{{/_}}</dt><dd class="funds-available">{{AVAILABLE_TEXT}}</dd>
<dt>{{_}}Warning threshold{{/_}}</dt><dd>{{WARNING_WORDS}}</dd>
</dl>
{{#OVER_LIMIT}}<p class="tp-error" role="alert">{{_}}You are past your credit limit: you cannot record cash payments or transfer funds until you pay in.{{/_}}</p>{{/OVER_LIMIT}}
{{/PARTNER}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#PARTNER}}
<h2>{{_}}Transfer to a customer{{/_}}</h2>
<form method="post" action="/funds/transfers" class="tp-form" id="funds-transfer">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="transfer-account">{{_}}Customer{{/_}}</label>
<select id="transfer-account" name="account" required><option value="">{{_}}Choose an account{{/_}}</option>{{#CUSTOMERS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NUMBER}} {{NAME}}</option>{{/CUSTOMERS}}</select>
<label for="transfer-amount">{{_}}Amount ({{CURRENCY}}){{/_}}</label>
<input id="transfer-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="transfer-reference">{{_}}Reference{{/_}}</label>
<input id="transfer-reference" name="reference" value="{{REFERENCE}}" maxlength="128">
<button type="submit">{{_}}Transfer{{/_}}</button>
</form>
{{/PARTNER}}
{{#PARTNER}}
<h2>{{_}}Record a cash payment{{/_}}</h2>
<p>{{_}}Cash a customer paid you: their balance falls by the amount, and you are charged what you collected.{{/_}}</p>
<form method="post" action="/funds/cash-payments" class="tp-form" id="funds-cash">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="cash-account">{{_}}Customer{{/_}}</label>
<select id="cash-account" name="account" required><option value="">{{_}}Choose an account{{/_}}</option>{{#CUSTOMERS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NUMBER}} {{NAME}}</option>{{/CUSTOMERS}}</select>
<label for="cash-amount">{{_}}Amount ({{CURRENCY}}){{/_}}</label>
<input id="cash-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="cash-reference">{{_}}Receipt or reference{{/_}}</label>
<input id="cash-reference" name="reference" value="{{REFERENCE}}" maxlength="64">
<button type="submit">{{_}}Record payment{{/_}}</button>
</form>
{{/PARTNER}}
<h2>{{_}}Reports{{/_}}</h2>
<ul class="funds-reports">
<li>{{_}}<a href="/funds/customers">Account balances</a> of your customers{{/_}}</li>
<li>{{_}}<a href="/funds/refills">Own refills</a>: funds added to your account{{/_}}</li>
<li>{{_}}<a href="/funds/transfers">Customers' refills</a>: your transfers to customers{{/_}}</li>
<li>{{_}}<a href="/funds/payments">Own payments</a>: the cash you recorded{{/_}}</li>
<li>{{_}}<a href="/funds/customer-payments">Customers' payments</a>: every payment into your customers' accounts{{/_}}</li>
<li>{{_}}<a href="/funds/log">Payment log</a>: every deposit{{/_}}</li>
</ul>
