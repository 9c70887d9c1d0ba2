{{%AUTOESCAPE context="HTML"}}
{{! summary.tpl -- an account's billing: the summary, the past-due notice, }}
{{! delivery options, payments, the last invoice, statements, transactions }}
{{! (modules/invoices/pages.c inv_summary). }}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#ACCOUNT}}
<h1>{{_}}Account summary{{/_}}</h1>
{{#PAST_DUE_NOTICE}}<p class="tp-error inv-past-due" role="alert">{{PAST_DUE_NOTICE}}</p>{{/PAST_DUE_NOTICE}}
<dl class="inv-summary">
<dt>{{_}}Account{{/_}}</dt><dd class="inv-account">{{NUMBER}} {{NAME}}</dd>
<dt>{{_}}Balance{{/_}}</dt><dd class="inv-balance">{{BALANCE_WORDS}}</dd>
{{#DUE_DATE}}<dt>{{_}}Due date{{/_}}</dt><dd class="inv-due">{{DUE_DATE}}</dd>{{/DUE_DATE}}
{{#LAST_PAYMENT_DATE}}<dt>{{_}}Last payment{{/_}}</dt><dd class="inv-last-payment">{{_}}{{LAST_PAYMENT_TEXT}} on {{LAST_PAYMENT_DATE}}{{/_}}</dd>{{/LAST_PAYMENT_DATE}}
<dt>{{_}}Pending usage{{/_}}</dt><dd class="inv-pending-usage">{{_}}{{PENDING_USAGE_TEXT}} ({{PENDING_USAGE_COUNT}} records, not billed yet){{/_}}</dd>
</dl>
{{/ACCOUNT}}
{{#LAST_INVOICE}}
<h2>{{_}}Charges on the current invoice{{/_}}</h2>
<table class="tp-table inv-current"><caption>{{_}}Invoice <a href="/invoices/{{ID}}">{{NUMBER}}</a>, {{PERIOD_START}} to {{PERIOD_END}}{{/_}}</caption>
<tbody>
<tr><th scope="row">{{_}}Recurring charges{{/_}}</th><td class="num">{{RECURRING_TEXT}}</td></tr>
<tr><th scope="row">{{_}}One-time charges{{/_}}</th><td class="num">{{ONE_TIME_TEXT}}</td></tr>
<tr><th scope="row">{{_}}Usage charges{{/_}}</th><td class="num">{{USAGE_TEXT}}</td></tr>
<tr><th scope="row">{{_}}Late fees{{/_}}</th><td class="num">{{LATE_FEES_TEXT}}</td></tr>
<tr><th scope="row">{{_}}Taxes{{/_}}</th><td class="num">{{TAX_TEXT}}</td></tr>
<tr><th scope="row">{{_}}Total{{/_}}</th><td class="num"><strong>{{TOTAL_TEXT}}</strong></td></tr>
</tbody></table>
{{/LAST_INVOICE}}
<h2>{{_}}Charges for the next invoice{{/_}}</h2>
<ul class="inv-pending">{{#PENDING_CHARGES}}<li>{{DATE}} {{DESCRIPTION}}: {{AMOUNT_TEXT}}</li>{{/PENDING_CHARGES}}</ul>
{{#PENDING_CHARGES_EMPTY}}<p>{{_}}None.{{/_}}</p>{{/PENDING_CHARGES_EMPTY}}
{{#OPERATOR}}{{#ACCOUNT}}<form method="post" action="/accounts/{{ID}}/charges" class="tp-form inv-charge-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="ch-desc">{{_}}One-time charge{{/_}}</label><input id="ch-desc" name="description" required maxlength="255">
<label for="ch-amount">{{_}}Amount{{/_}}</label><input id="ch-amount" name="amount" required inputmode="decimal" maxlength="32">
<label for="ch-date">{{_}}Date (YYYY-MM-DD; empty: today){{/_}}</label><input id="ch-date" name="effective" maxlength="10">
<button type="submit">{{_}}Add to the next invoice{{/_}}</button>
</form>{{/ACCOUNT}}{{/OPERATOR}}
{{#DELIVERY}}
<h2>{{_}}Invoice delivery{{/_}}</h2>
<p class="inv-delivery">{{#PAPER}}{{_}}Paper{{/_}}{{/PAPER}}{{#PAPER}}{{#EMAIL}} {{_}}and{{/_}} {{/EMAIL}}{{/PAPER}}{{#EMAIL}}{{_}}E-mail{{/_}}{{/EMAIL}}{{#READ_ONLY}} <small>{{_}}(set by your provider){{/_}}</small>{{/READ_ONLY}}</p>
{{#READ_ONLY_EMPTY}}<form method="post" action="{{#OWN}}/billing/delivery{{/OWN}}{{#OWN_EMPTY}}/accounts/{{ACCOUNT_ID}}/delivery{{/OWN_EMPTY}}" class="tp-form inv-delivery-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<fieldset><legend>{{_}}Send my invoices by{{/_}}</legend>
<label class="tp-check"><input type="checkbox" name="paper" value="1"{{#PAPER}} checked{{/PAPER}}> {{_}}paper{{/_}}</label>
<label class="tp-check"><input type="checkbox" name="email" value="1"{{#EMAIL}} checked{{/EMAIL}}> {{_}}e-mail{{/_}}</label>
</fieldset>
<button type="submit">{{_}}Save delivery options{{/_}}</button>
</form>{{/READ_ONLY_EMPTY}}
{{/DELIVERY}}
<h2>{{_}}Payment history{{/_}}</h2>
<ul class="inv-payments">
{{#PAYMENTS}}<li>{{DATE}}: {{AMOUNT_TEXT}}</li>
{{/PAYMENTS}}
</ul>
<h2>{{_}}Billing statements{{/_}}</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Billing statements{{/_}}">
<table class="tp-table inv-statements">
<thead><tr><th scope="col">{{_}}Document{{/_}}</th><th scope="col">{{_}}Period{{/_}}</th><th scope="col">{{_}}Issued{{/_}}</th><th scope="col">{{_}}Due{{/_}}</th><th scope="col" class="num">{{_}}Total{{/_}}</th><th scope="col" class="num">{{_}}Open{{/_}}</th><th scope="col">{{_}}PDF{{/_}}</th></tr></thead>
<tbody>
{{#STATEMENTS}}<tr><td><a href="/invoices/{{ID}}">{{#CREDIT_NOTE}}{{_}}Credit note{{/_}} {{/CREDIT_NOTE}}{{NUMBER}}</a></td><td>{{PERIOD_START}} {{#PERIOD_END}}{{_}}to {{PERIOD_END}}{{/_}}{{/PERIOD_END}}</td><td>{{ISSUE_DATE}}</td><td>{{DUE_DATE}}</td><td class="num">{{TOTAL_TEXT}}</td><td class="num">{{OPEN_TEXT}}</td><td><a href="/invoices/{{ID}}/pdf">{{_}}PDF<span class="tp-sr"> of {{NUMBER}}</span>{{/_}}</a></td></tr>
{{/STATEMENTS}}
</tbody></table></div>
<h2>{{_}}Transaction history{{/_}}</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Transaction history{{/_}}">
<table class="tp-table inv-transactions">
<thead><tr><th scope="col">{{_}}Date{{/_}}</th><th scope="col">{{_}}Type{{/_}}</th><th scope="col">{{_}}Details{{/_}}</th><th scope="col" class="num">{{_}}Amount{{/_}}</th><th scope="col" class="num">{{_}}Balance{{/_}}</th></tr></thead>
<tbody>
{{#TRANSACTIONS}}<tr><td>{{DATE}}</td><td>{{TYPE}}</td><td>{{#INVOICE_NUMBER}}<a href="/invoices/{{INVOICE_ID}}">{{INVOICE_NUMBER}}</a> {{/INVOICE_NUMBER}}{{MEMO}}</td><td class="num">{{AMOUNT_TEXT}}</td><td class="num">{{BALANCE_AFTER_TEXT}}</td></tr>
{{/TRANSACTIONS}}
</tbody></table></div>
{{#OPERATOR}}{{#ACCOUNT}}<p><a href="/accounts/{{ID}}/adjustments/new">{{_}}Credit, debit or write off{{/_}}</a></p>{{/ACCOUNT}}{{/OPERATOR}}
