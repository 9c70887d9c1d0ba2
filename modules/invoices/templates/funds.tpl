{{%AUTOESCAPE context="HTML"}}
{{! funds.tpl -- a partner's own balance and credit, its transfer form and its reports }}
<h1>Balance and credit</h1>
{{#PARTNER}}
<dl class="tp-facts">
<dt>Balance</dt><dd class="funds-balance">{{BALANCE_WORDS}}</dd>
<dt>Credit limit</dt><dd>{{CREDIT_LIMIT_TEXT}}</dd>
<dt>You can still use</dt><dd class="funds-available">{{AVAILABLE_TEXT}}</dd>
<dt>Warning threshold</dt><dd>{{WARNING_WORDS}}</dd>
</dl>
{{#OVER_LIMIT}}<p class="tp-error" role="alert">You are past your credit limit: you cannot record cash payments or transfer funds until you pay in.</p>{{/OVER_LIMIT}}
{{/PARTNER}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#PARTNER}}
<h2>Transfer to a customer</h2>
<form method="post" action="/funds/transfers" class="tp-form" id="funds-transfer">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="transfer-account">Customer</label>
<select id="transfer-account" name="account" required><option value="">Choose an account</option>{{#CUSTOMERS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NUMBER}} {{NAME}}</option>{{/CUSTOMERS}}</select>
<label for="transfer-amount">Amount ({{CURRENCY}})</label>
<input id="transfer-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="transfer-reference">Reference</label>
<input id="transfer-reference" name="reference" value="{{REFERENCE}}" maxlength="128">
<button type="submit">Transfer</button>
</form>
{{/PARTNER}}
{{#PARTNER}}
<h2>Record a cash payment</h2>
<p>Cash a customer paid you: their balance falls by the amount, and you are charged what you collected.</p>
<form method="post" action="/funds/cash-payments" class="tp-form" id="funds-cash">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="cash-account">Customer</label>
<select id="cash-account" name="account" required><option value="">Choose an account</option>{{#CUSTOMERS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NUMBER}} {{NAME}}</option>{{/CUSTOMERS}}</select>
<label for="cash-amount">Amount ({{CURRENCY}})</label>
<input id="cash-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="cash-reference">Receipt or reference</label>
<input id="cash-reference" name="reference" value="{{REFERENCE}}" maxlength="64">
<button type="submit">Record payment</button>
</form>
{{/PARTNER}}
<h2>Reports</h2>
<ul class="funds-reports">
<li><a href="/funds/customers">Account balances</a> of your customers</li>
<li><a href="/funds/refills">Own refills</a>: funds added to your account</li>
<li><a href="/funds/transfers">Customers' refills</a>: your transfers to customers</li>
<li><a href="/funds/payments">Own payments</a>: the cash you recorded</li>
<li><a href="/funds/customer-payments">Customers' payments</a>: every payment into your customers' accounts</li>
<li><a href="/funds/log">Payment log</a>: every deposit</li>
</ul>
