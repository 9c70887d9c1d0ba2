{{%AUTOESCAPE context="HTML"}}
{{! summary.tpl -- an account's billing: the summary, the past-due notice, }}
{{! delivery options, payments, the last invoice, statements, transactions }}
{{! (modules/invoices/pages.c inv_summary). }}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#ACCOUNT}}
<h1>Account summary</h1>
{{#PAST_DUE_NOTICE}}<p class="tp-error inv-past-due" role="alert">{{PAST_DUE_NOTICE}}</p>{{/PAST_DUE_NOTICE}}
<dl class="inv-summary">
<dt>Account</dt><dd class="inv-account">{{NUMBER}} {{NAME}}</dd>
<dt>Balance</dt><dd class="inv-balance">{{BALANCE_WORDS}}</dd>
{{#DUE_DATE}}<dt>Due date</dt><dd class="inv-due">{{DUE_DATE}}</dd>{{/DUE_DATE}}
{{#LAST_PAYMENT_DATE}}<dt>Last payment</dt><dd class="inv-last-payment">{{LAST_PAYMENT_TEXT}} on {{LAST_PAYMENT_DATE}}</dd>{{/LAST_PAYMENT_DATE}}
<dt>Pending usage</dt><dd class="inv-pending-usage">{{PENDING_USAGE_TEXT}} ({{PENDING_USAGE_COUNT}} records, not billed yet)</dd>
</dl>
{{/ACCOUNT}}
{{#LAST_INVOICE}}
<h2>Charges on the current invoice</h2>
<table class="tp-table inv-current"><caption>Invoice <a href="/invoices/{{ID}}">{{NUMBER}}</a>, {{PERIOD_START}} to {{PERIOD_END}}</caption>
<tbody>
<tr><th scope="row">Recurring charges</th><td class="num">{{RECURRING_TEXT}}</td></tr>
<tr><th scope="row">One-time charges</th><td class="num">{{ONE_TIME_TEXT}}</td></tr>
<tr><th scope="row">Usage charges</th><td class="num">{{USAGE_TEXT}}</td></tr>
<tr><th scope="row">Late fees</th><td class="num">{{LATE_FEES_TEXT}}</td></tr>
<tr><th scope="row">Taxes</th><td class="num">{{TAX_TEXT}}</td></tr>
<tr><th scope="row">Total</th><td class="num"><strong>{{TOTAL_TEXT}}</strong></td></tr>
</tbody></table>
{{/LAST_INVOICE}}
{{#DELIVERY}}
<h2>Invoice delivery</h2>
<p class="inv-delivery">{{#PAPER}}Paper{{/PAPER}}{{#PAPER}}{{#EMAIL}} and {{/EMAIL}}{{/PAPER}}{{#EMAIL}}E-mail{{/EMAIL}}{{#READ_ONLY}} <small>(set by your provider)</small>{{/READ_ONLY}}</p>
{{#READ_ONLY_EMPTY}}<form method="post" action="{{#OWN}}/billing/delivery{{/OWN}}{{#OWN_EMPTY}}/accounts/{{ACCOUNT_ID}}/delivery{{/OWN_EMPTY}}" class="tp-form inv-delivery-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<fieldset><legend>Send my invoices by</legend>
<label class="tp-check"><input type="checkbox" name="paper" value="1"{{#PAPER}} checked{{/PAPER}}> paper</label>
<label class="tp-check"><input type="checkbox" name="email" value="1"{{#EMAIL}} checked{{/EMAIL}}> e-mail</label>
</fieldset>
<button type="submit">Save delivery options</button>
</form>{{/READ_ONLY_EMPTY}}
{{/DELIVERY}}
<h2>Payment history</h2>
<ul class="inv-payments">
{{#PAYMENTS}}<li>{{DATE}}: {{AMOUNT_TEXT}}</li>
{{/PAYMENTS}}
</ul>
<h2>Billing statements</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Billing statements">
<table class="tp-table inv-statements">
<thead><tr><th scope="col">Document</th><th scope="col">Period</th><th scope="col">Issued</th><th scope="col">Due</th><th scope="col" class="num">Total</th><th scope="col" class="num">Open</th><th scope="col">PDF</th></tr></thead>
<tbody>
{{#STATEMENTS}}<tr><td><a href="/invoices/{{ID}}">{{#CREDIT_NOTE}}Credit note {{/CREDIT_NOTE}}{{NUMBER}}</a></td><td>{{PERIOD_START}} {{#PERIOD_END}}to {{PERIOD_END}}{{/PERIOD_END}}</td><td>{{ISSUE_DATE}}</td><td>{{DUE_DATE}}</td><td class="num">{{TOTAL_TEXT}}</td><td class="num">{{OPEN_TEXT}}</td><td><a href="/invoices/{{ID}}/pdf">PDF<span class="tp-sr"> of {{NUMBER}}</span></a></td></tr>
{{/STATEMENTS}}
</tbody></table></div>
<h2>Transaction history</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Transaction history">
<table class="tp-table inv-transactions">
<thead><tr><th scope="col">Date</th><th scope="col">Type</th><th scope="col">Details</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Balance</th></tr></thead>
<tbody>
{{#TRANSACTIONS}}<tr><td>{{DATE}}</td><td>{{TYPE}}</td><td>{{#INVOICE_NUMBER}}<a href="/invoices/{{INVOICE_ID}}">{{INVOICE_NUMBER}}</a> {{/INVOICE_NUMBER}}{{MEMO}}</td><td class="num">{{AMOUNT_TEXT}}</td><td class="num">{{BALANCE_AFTER_TEXT}}</td></tr>
{{/TRANSACTIONS}}
</tbody></table></div>
{{#OPERATOR}}{{#ACCOUNT}}<p><a href="/accounts/{{ID}}/adjustments/new">Credit, debit or write off</a></p>{{/ACCOUNT}}{{/OPERATOR}}
