{{%AUTOESCAPE context="HTML"}}
{{! statements.tpl -- every invoice and credit note of the account }}
{{#ACCOUNT}}<h1>Billing statements</h1><p>Account {{NUMBER}} {{NAME}}: {{BALANCE_WORDS}}</p>{{/ACCOUNT}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="Billing statements">
<table class="tp-table inv-statements">
<thead><tr><th scope="col">Document</th><th scope="col">Period</th><th scope="col">Issued</th><th scope="col">Due</th><th scope="col" class="num">Total</th><th scope="col" class="num">Open</th><th scope="col">View</th></tr></thead>
<tbody>
{{#STATEMENTS}}<tr><td>{{#CREDIT_NOTE}}Credit note {{/CREDIT_NOTE}}{{NUMBER}}</td><td>{{PERIOD_START}} {{#PERIOD_END}}to {{PERIOD_END}}{{/PERIOD_END}}</td><td>{{ISSUE_DATE}}</td><td>{{DUE_DATE}}</td><td class="num">{{TOTAL_TEXT}}</td><td class="num">{{OPEN_TEXT}}</td><td><a href="/invoices/{{ID}}">View invoice<span class="tp-sr"> {{NUMBER}}</span></a> · <a href="/invoices/{{ID}}/pdf">PDF<span class="tp-sr"> of {{NUMBER}}</span></a></td></tr>
{{/STATEMENTS}}
</tbody></table></div>
