{{%AUTOESCAPE context="HTML"}}
{{! summary_panel.tpl -- the home page's commissions panel for a partner (summary.c) }}
<p class="cms-panel-payment">{{_}}Pending payment {{PENDING_PAYMENT_TEXT}}; pending approval {{PENDING_APPROVAL_TEXT}}.{{/_}}</p>
<p>{{_}}Compensation {{YEAR}} to date {{YTD_COMPENSATION_TEXT}} from {{CUSTOMERS}} customers (as of {{AS_OF}}).{{/_}}</p>
<p><a href="/commissions">{{_}}Commission summary{{/_}}</a></p>
