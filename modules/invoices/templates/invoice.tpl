{{%AUTOESCAPE context="HTML"}}
{{! invoice.tpl -- the invoice viewer: the billing-cycle drop-down, the }}
{{! invoice summary and location summary (details shown or hidden), taxes per }}
{{! rate, credit notes, PDF (modules/invoices/pages.c inv_invoice_page). }}
{{#INVOICE}}
<h1>{{#CREDIT_NOTE}}Credit note{{/CREDIT_NOTE}}{{#CREDIT_NOTE_EMPTY}}Invoice{{/CREDIT_NOTE_EMPTY}} <span class="inv-number">{{NUMBER}}</span></h1>
{{/INVOICE}}
<form method="get" action="/billing/cycle" class="tp-inline inv-cycle">
<label for="inv-cycle">Billing cycle</label>
<select id="inv-cycle" name="invoice">
{{#CYCLES}}<option value="{{ID}}"{{#CURRENT}} selected{{/CURRENT}}>{{#CREDIT_NOTE}}Credit note {{/CREDIT_NOTE}}{{NUMBER}} {{PERIOD_START}}{{#PERIOD_END}} to {{PERIOD_END}}{{/PERIOD_END}}</option>
{{/CYCLES}}
</select>
<button type="submit">Show</button>
</form>
<ul class="inv-cycle-links">{{#CYCLES}}{{#CURRENT_EMPTY}}<li><a href="/invoices/{{ID}}">{{NUMBER}}</a></li>{{/CURRENT_EMPTY}}{{/CYCLES}}</ul>
{{#INVOICE}}
<div class="inv-parties">
<section><h2>From</h2><p>{{SELLER_NAME}}<br>{{SELLER_ADDRESS}}{{#SELLER_TAX_ID}}<br>Tax id {{SELLER_TAX_ID}}{{/SELLER_TAX_ID}}</p></section>
<section><h2>Bill to</h2><p>{{BUYER_NAME}} (account {{BUYER_NUMBER}})<br>{{BUYER_ADDRESS}}{{#BUYER_TAX_ID}}<br>Tax id {{BUYER_TAX_ID}}{{/BUYER_TAX_ID}}</p></section>
</div>
<dl class="inv-dates">
<dt>Issued</dt><dd>{{ISSUE_DATE}}</dd>
{{#PERIOD_START}}<dt>Billing period</dt><dd>{{PERIOD_START}} to {{PERIOD_END}}</dd>{{/PERIOD_START}}
{{#DUE_DATE}}<dt>Due date</dt><dd class="inv-due">{{DUE_DATE}}</dd>{{/DUE_DATE}}
{{#CREDITS_INVOICE_NUMBER}}<dt>Credits</dt><dd>invoice <a href="/invoices/{{CREDITS_INVOICE_ID}}">{{CREDITS_INVOICE_NUMBER}}</a></dd>{{/CREDITS_INVOICE_NUMBER}}
</dl>
<p><a class="inv-pdf" href="/invoices/{{ID}}/pdf" download>Download the PDF</a> · <a class="inv-cdrs" href="/invoices/{{ID}}/calls.csv">Download the call records (CSV)</a>{{#CREDIT_NOTE_EMPTY}} · <a class="inv-disputes" href="/invoices/{{ID}}/disputes">Disputes</a>{{/CREDIT_NOTE_EMPTY}}</p>
{{/INVOICE}}
<h2>Invoice summary</h2>
{{#DETAILS}}<p><a href="?details=0">Hide details</a></p>{{/DETAILS}}{{#DETAILS_EMPTY}}<p><a href="?details=1">Show details</a></p>{{/DETAILS_EMPTY}}
<table class="tp-table inv-summary">
<tbody>
{{#SUMMARY}}<tr><th scope="row">{{LABEL}}</th><td class="num">{{AMOUNT_TEXT}}</td></tr>
{{/SUMMARY}}
{{#INVOICE}}<tr><th scope="row">Subtotal</th><td class="num">{{SUBTOTAL_TEXT}}</td></tr>{{/INVOICE}}
{{#TAXES}}<tr><th scope="row">{{DESCRIPTION}} ({{RATE}} of {{BASE_TEXT}})</th><td class="num">{{AMOUNT_TEXT}}</td></tr>
{{/TAXES}}
{{#INVOICE}}<tr class="inv-total"><th scope="row">Total</th><td class="num"><strong>{{TOTAL_TEXT}}</strong></td></tr>
{{#CREDIT_NOTE_EMPTY}}<tr><th scope="row">Balance forward</th><td class="num">{{BALANCE_FORWARD_TEXT}}</td></tr>
<tr><th scope="row">Amount due</th><td class="num">{{AMOUNT_DUE_TEXT}}</td></tr>
<tr><th scope="row">Credited</th><td class="num">{{CREDITED_TEXT}}</td></tr>{{/CREDIT_NOTE_EMPTY}}{{/INVOICE}}
</tbody></table>
{{#DETAILS}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="Invoice lines">
<table class="tp-table inv-lines">
<thead><tr><th scope="col">Charge</th><th scope="col">Description</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Tax</th></tr></thead>
<tbody>
{{#LINES}}<tr><td>{{KIND_LABEL}}</td><td>{{DESCRIPTION}}</td><td class="num">{{AMOUNT_TEXT}}</td><td class="num">{{TAX_TEXT}}</td></tr>
{{/LINES}}
</tbody></table></div>
{{/DETAILS}}
<h2>Location summary</h2>
{{#LOCATIONS}}<section class="inv-location"><h3>{{LOCATION}}: {{AMOUNT_TEXT}}</h3>
<ul>{{#PRODUCTS}}<li>{{PRODUCT}}: {{AMOUNT_TEXT}}{{#DETAILS}}<ul>{{#LINES}}<li>{{DESCRIPTION}}: {{AMOUNT_TEXT}}</li>{{/LINES}}</ul>{{/DETAILS}}</li>{{/PRODUCTS}}</ul>
</section>
{{/LOCATIONS}}
<h2>Credit notes</h2>
<ul class="inv-credit-notes">{{#CREDIT_NOTES}}<li><a href="/invoices/{{ID}}">{{NUMBER}}</a> {{ISSUE_DATE}}: {{TOTAL_TEXT}}</li>{{/CREDIT_NOTES}}</ul>
{{#CAN_CREDIT}}{{#INVOICE}}<p><a href="/invoices/{{ID}}/credit">Issue a credit note</a></p>{{/INVOICE}}{{/CAN_CREDIT}}
