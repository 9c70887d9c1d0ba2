{{%AUTOESCAPE context="HTML"}}
{{! funds_panel.tpl -- the home page's "Balance and credit" panel for a partner }}
{{#PARTNER}}<p class="funds-panel-balance">{{BALANCE_WORDS}}</p>
<p>{{_}}Credit limit {{CREDIT_LIMIT_TEXT}}; you can still use {{AVAILABLE_TEXT}}.{{/_}}</p>{{/PARTNER}}
<p><a href="/funds">{{_}}Balance and credit{{/_}}</a></p>
