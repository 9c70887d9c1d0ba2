{{%AUTOESCAPE context="HTML"}}
{{! transactions.tpl -- charges, payments, credits and debits of the account }}
{{#ACCOUNT}}<h1>Transaction history</h1><p>Account {{NUMBER}} {{NAME}}: {{BALANCE_WORDS}}</p>{{/ACCOUNT}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="Transaction history">
<table class="tp-table inv-transactions">
<thead><tr><th scope="col">Date</th><th scope="col">Type</th><th scope="col">Details</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Balance</th></tr></thead>
<tbody>
{{#TRANSACTIONS}}<tr><td>{{DATE}}</td><td>{{TYPE}}</td><td>{{#INVOICE_NUMBER}}<a href="/invoices/{{INVOICE_ID}}">View invoice {{INVOICE_NUMBER}}</a> {{/INVOICE_NUMBER}}{{MEMO}}</td><td class="num">{{AMOUNT_TEXT}}</td><td class="num">{{BALANCE_AFTER_TEXT}}</td></tr>
{{/TRANSACTIONS}}
</tbody></table></div>
