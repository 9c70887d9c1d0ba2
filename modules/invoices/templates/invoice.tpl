{{%AUTOESCAPE context="HTML"}}
{{! invoice.tpl -- the invoice viewer: the billing-cycle drop-down, the }}
{{! invoice summary and location summary (details shown or hidden), taxes per }}
{{! rate, credit notes, PDF (modules/invoices/pages.c inv_invoice_page). }}
{{#INVOICE}}
<h1>{{#CREDIT_NOTE}}{{_}}Credit note{{/_}}{{/CREDIT_NOTE}}{{#CREDIT_NOTE_EMPTY}}{{_}}Invoice{{/_}}{{/CREDIT_NOTE_EMPTY}} <span class="inv-number">{{NUMBER}}</span></h1>
{{/INVOICE}}
<form method="get" action="/billing/cycle" class="tp-inline inv-cycle">
<label for="inv-cycle">{{_}}Billing cycle{{/_}}</label>
<select id="inv-cycle" name="invoice">
{{#CYCLES}}<option value="{{ID}}"{{#CURRENT}} selected{{/CURRENT}}>{{#CREDIT_NOTE}}{{_}}Credit note{{/_}} {{/CREDIT_NOTE}}{{NUMBER}} {{PERIOD_START}}{{#PERIOD_END}} {{_}}to {{PERIOD_END}}{{/_}}{{/PERIOD_END}}</option>
{{/CYCLES}}
</select>
<button type="submit">{{_}}Show{{/_}}</button>
</form>
<ul class="inv-cycle-links">{{#CYCLES}}{{#CURRENT_EMPTY}}<li><a href="/invoices/{{ID}}">{{NUMBER}}</a></li>{{/CURRENT_EMPTY}}{{/CYCLES}}</ul>
{{#INVOICE}}
<div class="inv-parties">
<section><h2>{{_}}From{{/_}}</h2><p>{{SELLER_NAME}}<br>{{SELLER_ADDRESS}}{{#SELLER_TAX_ID}}<br>{{_}}Tax id {{SELLER_TAX_ID}}{{/_}}{{/SELLER_TAX_ID}}</p></section>
<section><h2>{{_}}Bill to{{/_}}</h2><p>{{_}}{{BUYER_NAME}} (account {{BUYER_NUMBER}}){{/_}}<br>{{BUYER_ADDRESS}}{{#BUYER_TAX_ID}}<br>{{_}}Tax id {{BUYER_TAX_ID}}{{/_}}{{/BUYER_TAX_ID}}</p></section>
</div>
<dl class="inv-dates">
<dt>{{_}}Issued{{/_}}</dt><dd>{{ISSUE_DATE}}</dd>
{{#PERIOD_START}}<dt>{{_}}Billing period{{/_}}</dt><dd>{{_}}{{PERIOD_START}} to {{PERIOD_END}}{{/_}}</dd>{{/PERIOD_START}}
{{#DUE_DATE}}<dt>{{_}}Due date{{/_}}</dt><dd class="inv-due">{{DUE_DATE}}</dd>{{/DUE_DATE}}
{{#CREDITS_INVOICE_NUMBER}}<dt>{{_}}Credits{{/_}}</dt><dd>{{_}}invoice <a href="/invoices/{{CREDITS_INVOICE_ID}}">{{CREDITS_INVOICE_NUMBER}}</a>{{/_}}</dd>{{/CREDITS_INVOICE_NUMBER}}
</dl>
<p><a class="inv-pdf" href="/invoices/{{ID}}/pdf" download>{{_}}Download the PDF{{/_}}</a> · <a class="inv-cdrs" href="/invoices/{{ID}}/calls.csv">{{_}}Download the call records (CSV){{/_}}</a>{{#CREDIT_NOTE_EMPTY}} · <a class="inv-disputes" href="/invoices/{{ID}}/disputes">{{_}}Disputes{{/_}}</a>{{/CREDIT_NOTE_EMPTY}}</p>
{{/INVOICE}}
<h2>{{_}}Invoice summary{{/_}}</h2>
{{#DETAILS}}<p><a href="?details=0">{{_}}Hide details{{/_}}</a></p>{{/DETAILS}}{{#DETAILS_EMPTY}}<p><a href="?details=1">{{_}}Show details{{/_}}</a></p>{{/DETAILS_EMPTY}}
<table class="tp-table inv-summary">
<tbody>
{{#SUMMARY}}<tr><th scope="row">{{LABEL}}</th><td class="num">{{AMOUNT_TEXT}}</td></tr>
{{/SUMMARY}}
{{#INVOICE}}<tr><th scope="row">{{_}}Subtotal{{/_}}</th><td class="num">{{SUBTOTAL_TEXT}}</td></tr>{{/INVOICE}}
{{#TAXES}}<tr><th scope="row">{{_}}{{DESCRIPTION}} ({{RATE}} of {{BASE_TEXT}}){{/_}}</th><td class="num">{{AMOUNT_TEXT}}</td></tr>
{{/TAXES}}
{{#INVOICE}}<tr class="inv-total"><th scope="row">{{_}}Total{{/_}}</th><td class="num"><strong>{{TOTAL_TEXT}}</strong></td></tr>
{{#CREDIT_NOTE_EMPTY}}<tr><th scope="row">{{_}}Balance forward{{/_}}</th><td class="num">{{BALANCE_FORWARD_TEXT}}</td></tr>
<tr><th scope="row">{{_}}Amount due{{/_}}</th><td class="num">{{AMOUNT_DUE_TEXT}}</td></tr>
<tr><th scope="row">{{_}}Credited{{/_}}</th><td class="num">{{CREDITED_TEXT}}</td></tr>{{/CREDIT_NOTE_EMPTY}}{{/INVOICE}}
</tbody></table>
{{#DETAILS}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Invoice lines{{/_}}">
<table class="tp-table inv-lines">
<thead><tr><th scope="col">{{_}}Charge{{/_}}</th><th scope="col">{{_}}Description{{/_}}</th><th scope="col" class="num">{{_}}Amount{{/_}}</th><th scope="col" class="num">{{_}}Tax{{/_}}</th></tr></thead>
<tbody>
{{#LINES}}<tr><td>{{KIND_LABEL}}</td><td>{{DESCRIPTION}}</td><td class="num">{{AMOUNT_TEXT}}</td><td class="num">{{TAX_TEXT}}</td></tr>
{{/LINES}}
</tbody></table></div>
{{/DETAILS}}
<h2>{{_}}Location summary{{/_}}</h2>
{{#LOCATIONS}}<section class="inv-location"><h3>{{LOCATION}}: {{AMOUNT_TEXT}}</h3>
<ul>{{#PRODUCTS}}<li>{{PRODUCT}}: {{AMOUNT_TEXT}}{{#DETAILS}}<ul>{{#LINES}}<li>{{DESCRIPTION}}: {{AMOUNT_TEXT}}</li>{{/LINES}}</ul>{{/DETAILS}}</li>{{/PRODUCTS}}</ul>
</section>
{{/LOCATIONS}}
<h2>{{_}}Credit notes{{/_}}</h2>
<ul class="inv-credit-notes">{{#CREDIT_NOTES}}<li><a href="/invoices/{{ID}}">{{NUMBER}}</a> {{ISSUE_DATE}}: {{TOTAL_TEXT}}</li>{{/CREDIT_NOTES}}</ul>
{{#CAN_CREDIT}}{{#INVOICE}}<p><a href="/invoices/{{ID}}/credit">{{_}}Issue a credit note{{/_}}</a></p>{{/INVOICE}}{{/CAN_CREDIT}}
