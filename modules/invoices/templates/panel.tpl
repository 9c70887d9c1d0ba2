{{%AUTOESCAPE context="HTML"}}
{{! panel.tpl -- the home page's "Your bill" panel for a customer }}
{{#ACCOUNT}}<p class="inv-panel-balance">{{BALANCE_WORDS}}</p>{{/ACCOUNT}}
{{#LAST_INVOICE}}<p>Last invoice <a href="/invoices/{{ID}}">{{NUMBER}}</a>: {{TOTAL_TEXT}}{{#DUE_DATE}}, due {{DUE_DATE}}{{/DUE_DATE}}.</p>{{/LAST_INVOICE}}
<p><a href="/billing">Account summary</a></p>
