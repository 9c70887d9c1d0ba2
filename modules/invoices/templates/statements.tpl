{{%AUTOESCAPE context="HTML"}}
{{! statements.tpl -- every invoice and credit note of the account }}
{{#ACCOUNT}}<h1>{{_}}Billing statements{{/_}}</h1><p>{{_}}Account {{NUMBER}} {{NAME}}: {{BALANCE_WORDS}}{{/_}}</p>{{/ACCOUNT}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Billing statements{{/_}}">
<table class="tp-table inv-statements">
<thead><tr><th scope="col">{{_}}Document{{/_}}</th><th scope="col">{{_}}Period{{/_}}</th><th scope="col">{{_}}Issued{{/_}}</th><th scope="col">{{_}}Due{{/_}}</th><th scope="col" class="num">{{_}}Total{{/_}}</th><th scope="col" class="num">{{_}}Open{{/_}}</th><th scope="col">{{_}}View{{/_}}</th></tr></thead>
<tbody>
{{#STATEMENTS}}<tr><td>{{#CREDIT_NOTE}}{{_}}Credit note{{/_}} {{/CREDIT_NOTE}}{{NUMBER}}</td><td>{{PERIOD_START}} {{#PERIOD_END}}{{_}}to {{PERIOD_END}}{{/_}}{{/PERIOD_END}}</td><td>{{ISSUE_DATE}}</td><td>{{DUE_DATE}}</td><td class="num">{{TOTAL_TEXT}}</td><td class="num">{{OPEN_TEXT}}</td><td><a href="/invoices/{{ID}}">{{_}}View invoice<span class="tp-sr"> {{NUMBER}}</span>{{/_}}</a> · <a href="/invoices/{{ID}}/pdf">{{_}}PDF<span class="tp-sr"> of {{NUMBER}}</span>{{/_}}</a></td></tr>
{{/STATEMENTS}}
</tbody></table></div>
