{{%AUTOESCAPE context="HTML"}}
{{! home.tpl -- the viewer's home: HOME {ACCOUNT | PARTNER | BRAND} and the }}
{{! modules' panels of the "home" slot (SLOTS.HOME: TITLE, HTML rendered by }}
{{! the panel's own auto-escaped template). }}
<h1>{{_}}Home{{/_}}</h1>
{{#HOME}}
{{#ACCOUNT}}<section class="tp-panel home-account" aria-labelledby="home-account">
<h2 id="home-account">{{_}}Your account{{/_}}</h2>
<dl class="tp-facts">
<dt>{{_}}Account number{{/_}}</dt><dd>{{NUMBER}}</dd>
<dt>{{_}}Name{{/_}}</dt><dd>{{NAME}}</dd>
<dt>{{_}}Status{{/_}}</dt><dd>{{STATUS}}</dd>
<dt>{{_}}Balance{{/_}}</dt><dd class="num">{{BALANCE}} {{CURRENCY}}</dd>
</dl>
<p><a href="/accounts/{{ID}}">{{_}}Account details and services{{/_}}</a></p>
</section>{{/ACCOUNT}}
{{#PARTNER}}<section class="tp-panel home-partner" aria-labelledby="home-partner">
<h2 id="home-partner">{{NAME}}</h2>
<dl class="tp-facts">
<dt>{{_}}Partner type{{/_}}</dt><dd>{{KIND}}</dd>
<dt>{{_}}Tier{{/_}}</dt><dd>{{TIER}}</dd>
<dt>{{_}}Customers in your network{{/_}}</dt><dd class="num">{{CUSTOMERS}}</dd>
<dt>{{_}}Partners below you{{/_}}</dt><dd class="num">{{PARTNERS}}</dd>
</dl>
<p><a href="/accounts">{{_}}Customers{{/_}}</a> &middot; <a href="/partners">{{_}}Partners{{/_}}</a></p>
</section>{{/PARTNER}}
{{#BRAND}}<section class="tp-panel home-brand" aria-labelledby="home-brand">
<h2 id="home-brand">{{NAME}}</h2>
<dl class="tp-facts">
<dt>{{_}}Partners{{/_}}</dt><dd class="num">{{PARTNERS}}</dd>
<dt>{{_}}Customer accounts{{/_}}</dt><dd class="num">{{ACCOUNTS}}</dd>
<dt>{{_}}Logins{{/_}}</dt><dd class="num">{{USERS}}</dd>
</dl>
<p><a href="/partners">{{_}}Partners{{/_}}</a> &middot; <a href="/accounts">{{_}}Accounts{{/_}}</a> &middot; <a href="/users">{{_}}Users{{/_}}</a> &middot; <a href="/admin">{{_}}Brand settings{{/_}}</a></p>
</section>{{/BRAND}}
{{/HOME}}
{{#SLOTS}}{{#HOME}}<section class="tp-panel" aria-label="{{TITLE}}">
{{#TITLE}}<h2>{{TITLE}}</h2>{{/TITLE}}
{{HTML:none}}
</section>
{{/HOME}}{{/SLOTS}}
