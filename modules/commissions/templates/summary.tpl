{{%AUTOESCAPE context="HTML"}}
{{! summary.tpl -- the commission summary: the partner viewed now (the switcher's), or the brand for operators }}
<h1>Commission summary{{#PARTNER}}: {{NAME}}{{/PARTNER}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p class="cms-as-of">As of {{AS_OF}}. Customers, services and revenue are {{#PARTNER}}those of {{NAME}} and every partner below it{{/PARTNER}}{{#IS_OPERATOR}}the brand's{{/IS_OPERATOR}}; compensation is {{#PARTNER}}what {{NAME}} earned{{/PARTNER}}{{#IS_OPERATOR}}every partner's{{/IS_OPERATOR}}.</p>
<dl class="tp-summary cms-summary">
<dt>Customer count</dt><dd class="cms-customers">{{CUSTOMERS}}</dd>
<dt>Active services / recurring amount (a month)</dt><dd class="cms-active">{{ACTIVE_SERVICES}} / {{ACTIVE_RECURRING_TEXT}}</dd>
<dt>Pending services / recurring amount (a month)</dt><dd class="cms-pending">{{PENDING_SERVICES}} / {{PENDING_RECURRING_TEXT}}</dd>
<dt>Pending approval</dt><dd class="cms-pending-approval">{{PENDING_APPROVAL_TEXT}} ({{PENDING_APPROVAL_LINES}} lines)</dd>
<dt>Pending payment</dt><dd class="cms-pending-payment">{{PENDING_PAYMENT_TEXT}} ({{PENDING_PAYMENT_LINES}} lines)</dd>
<dt>Revenue {{YEAR}} to date (invoiced, net of tax)</dt><dd class="cms-ytd-revenue">{{YTD_REVENUE_TEXT}}</dd>
<dt>Compensation {{YEAR}} to date</dt><dd class="cms-ytd-compensation">{{YTD_COMPENSATION_TEXT}}</dd>
</dl>
{{#OTHER_CURRENCIES}}<h2>In {{CURRENCY}}</h2>
<dl class="tp-summary cms-summary-other">
<dt>Recurring amount of active / pending services (a month)</dt><dd>{{ACTIVE_RECURRING_TEXT}} / {{PENDING_RECURRING_TEXT}}</dd>
<dt>Pending approval</dt><dd>{{PENDING_APPROVAL_TEXT}} ({{PENDING_APPROVAL_LINES}} lines)</dd>
<dt>Pending payment</dt><dd>{{PENDING_PAYMENT_TEXT}} ({{PENDING_PAYMENT_LINES}} lines)</dd>
<dt>Revenue to date</dt><dd>{{YTD_REVENUE_TEXT}}</dd>
<dt>Compensation to date</dt><dd>{{YTD_COMPENSATION_TEXT}}</dd>
</dl>
{{/OTHER_CURRENCIES}}
{{#CURRENCIES_LEFT_OUT}}<p class="tp-note">Some currencies are left out: there are too many to show.</p>{{/CURRENCIES_LEFT_OUT}}
<p class="tp-actions"><a href="/commissions/history">Compensation history</a> <a href="/commissions/disbursements">Disbursement history</a>{{#IS_OPERATOR}} <a href="/commissions/approvals">Approvals</a>{{/IS_OPERATOR}}</p>
