{{%AUTOESCAPE context="HTML"}}
{{! transactions.tpl -- charges, payments, credits and debits of the account }}
{{#ACCOUNT}}<h1>{{_}}Transaction history{{/_}}</h1><p>{{_}}Account {{NUMBER}} {{NAME}}: {{BALANCE_WORDS}}{{/_}}</p>{{/ACCOUNT}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Transaction history{{/_}}">
<table class="tp-table inv-transactions">
<thead><tr><th scope="col">{{_}}Date{{/_}}</th><th scope="col">{{_}}Type{{/_}}</th><th scope="col">{{_}}Details{{/_}}</th><th scope="col" class="num">{{_}}Amount{{/_}}</th><th scope="col" class="num">{{_}}Balance{{/_}}</th></tr></thead>
<tbody>
{{#TRANSACTIONS}}<tr><td>{{DATE}}</td><td>{{TYPE}}</td><td>{{#INVOICE_NUMBER}}<a href="/invoices/{{INVOICE_ID}}">{{_}}View invoice {{INVOICE_NUMBER}}{{/_}}</a> {{/INVOICE_NUMBER}}{{MEMO}}</td><td class="num">{{AMOUNT_TEXT}}</td><td class="num">{{BALANCE_AFTER_TEXT}}</td></tr>
{{/TRANSACTIONS}}
</tbody></table></div>
