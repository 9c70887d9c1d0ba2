{{%AUTOESCAPE context="HTML"}}
{{! panel.tpl -- the home page's "Your bill" panel for a customer }}
{{#ACCOUNT}}<p class="inv-panel-balance">{{BALANCE_WORDS}}</p>{{/ACCOUNT}}
{{#LAST_INVOICE}}<p>{{_}}Last invoice <a href="/invoices/{{ID}}">{{NUMBER}}</a>: {{TOTAL_TEXT}}{{/_}}{{#DUE_DATE}}{{_}}, due {{DUE_DATE}}{{/_}}{{/DUE_DATE}}.</p>{{/LAST_INVOICE}}
<p><a href="/billing">{{_}}Account summary{{/_}}</a></p>
