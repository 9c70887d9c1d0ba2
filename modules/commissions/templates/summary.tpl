{{%AUTOESCAPE context="HTML"}}
{{! summary.tpl -- the commission summary: the partner viewed now (the switcher's), or the brand for operators }}
<h1>{{_}}Commission summary{{/_}}{{#PARTNER}}: {{NAME}}{{/PARTNER}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p class="cms-as-of">{{_}}As of {{AS_OF}}.{{/_}} {{_}}Customers, services and revenue are{{/_}} {{#PARTNER}}{{_}}those of {{NAME}} and every partner below it{{/_}}{{/PARTNER}}{{#IS_OPERATOR}}{{_}}the brand's{{/_}}{{/IS_OPERATOR}}{{_}}; compensation is{{/_}} {{#PARTNER}}{{_}}what {{NAME}} earned{{/_}}{{/PARTNER}}{{#IS_OPERATOR}}{{_}}every partner's{{/_}}{{/IS_OPERATOR}}.</p>
<dl class="tp-summary cms-summary">
<dt>{{_}}Customer count{{/_}}</dt><dd class="cms-customers">{{CUSTOMERS}}</dd>
<dt>{{_}}Active services / recurring amount (a month){{/_}}</dt><dd class="cms-active">{{ACTIVE_SERVICES}} / {{ACTIVE_RECURRING_TEXT}}</dd>
<dt>{{_}}Pending services / recurring amount (a month){{/_}}</dt><dd class="cms-pending">{{PENDING_SERVICES}} / {{PENDING_RECURRING_TEXT}}</dd>
<dt>{{_}}Pending approval{{/_}}</dt><dd class="cms-pending-approval">{{_}}{{PENDING_APPROVAL_TEXT}} ({{PENDING_APPROVAL_LINES}} lines){{/_}}</dd>
<dt>{{_}}Pending payment{{/_}}</dt><dd class="cms-pending-payment">{{_}}{{PENDING_PAYMENT_TEXT}} ({{PENDING_PAYMENT_LINES}} lines){{/_}}</dd>
<dt>{{_}}Revenue {{YEAR}} to date (invoiced, net of tax){{/_}}</dt><dd class="cms-ytd-revenue">{{YTD_REVENUE_TEXT}}</dd>
<dt>{{_}}Compensation {{YEAR}} to date{{/_}}</dt><dd class="cms-ytd-compensation">{{YTD_COMPENSATION_TEXT}}</dd>
</dl>
{{#OTHER_CURRENCIES}}<h2>{{_}}In {{CURRENCY}}{{/_}}</h2>
<dl class="tp-summary cms-summary-other">
<dt>{{_}}Recurring amount of active / pending services (a month){{/_}}</dt><dd>{{ACTIVE_RECURRING_TEXT}} / {{PENDING_RECURRING_TEXT}}</dd>
<dt>{{_}}Pending approval{{/_}}</dt><dd>{{_}}{{PENDING_APPROVAL_TEXT}} ({{PENDING_APPROVAL_LINES}} lines){{/_}}</dd>
<dt>{{_}}Pending payment{{/_}}</dt><dd>{{_}}{{PENDING_PAYMENT_TEXT}} ({{PENDING_PAYMENT_LINES}} lines){{/_}}</dd>
<dt>{{_}}Revenue to date{{/_}}</dt><dd>{{YTD_REVENUE_TEXT}}</dd>
<dt>{{_}}Compensation to date{{/_}}</dt><dd>{{YTD_COMPENSATION_TEXT}}</dd>
</dl>
{{/OTHER_CURRENCIES}}
{{#CURRENCIES_LEFT_OUT}}<p class="tp-note">{{_}}Some currencies are left out: there are too many to show.{{/_}}</p>{{/CURRENCIES_LEFT_OUT}}
<p class="tp-actions"><a href="/commissions/history">{{_}}Compensation history{{/_}}</a> <a href="/commissions/disbursements">{{_}}Disbursement history{{/_}}</a>{{#IS_OPERATOR}} <a href="/commissions/approvals">{{_}}Approvals{{/_}}</a>{{/IS_OPERATOR}}</p>
