{{%AUTOESCAPE context="HTML"}}
{{! home.tpl -- the viewer's home: HOME {ACCOUNT | PARTNER | BRAND} and the }}
{{! modules' panels of the "home" slot (SLOTS.HOME: TITLE, HTML rendered by }}
{{! the panel's own auto-escaped template). }}
<h1>Home</h1>
{{#HOME}}
{{#ACCOUNT}}<section class="tp-panel home-account" aria-labelledby="home-account">
<h2 id="home-account">Your account</h2>
<dl class="tp-facts">
<dt>Account number</dt><dd>{{NUMBER}}</dd>
<dt>Name</dt><dd>{{NAME}}</dd>
<dt>Status</dt><dd>{{STATUS}}</dd>
<dt>Balance</dt><dd class="num">{{BALANCE}} {{CURRENCY}}</dd>
</dl>
<p><a href="/accounts/{{ID}}">Account details and services</a></p>
</section>{{/ACCOUNT}}
{{#PARTNER}}<section class="tp-panel home-partner" aria-labelledby="home-partner">
<h2 id="home-partner">{{NAME}}</h2>
<dl class="tp-facts">
<dt>Partner type</dt><dd>{{KIND}}</dd>
<dt>Tier</dt><dd>{{TIER}}</dd>
<dt>Customers in your network</dt><dd class="num">{{CUSTOMERS}}</dd>
<dt>Partners below you</dt><dd class="num">{{PARTNERS}}</dd>
</dl>
<p><a href="/accounts">Customers</a> &middot; <a href="/partners">Partners</a></p>
</section>{{/PARTNER}}
{{#BRAND}}<section class="tp-panel home-brand" aria-labelledby="home-brand">
<h2 id="home-brand">{{NAME}}</h2>
<dl class="tp-facts">
<dt>Partners</dt><dd class="num">{{PARTNERS}}</dd>
<dt>Customer accounts</dt><dd class="num">{{ACCOUNTS}}</dd>
<dt>Logins</dt><dd class="num">{{USERS}}</dd>
</dl>
<p><a href="/partners">Partners</a> &middot; <a href="/accounts">Accounts</a> &middot; <a href="/users">Users</a> &middot; <a href="/admin">Brand settings</a></p>
</section>{{/BRAND}}
{{/HOME}}
{{#SLOTS}}{{#HOME}}<section class="tp-panel" aria-label="{{TITLE}}">
{{#TITLE}}<h2>{{TITLE}}</h2>{{/TITLE}}
{{HTML:none}}
</section>
{{/HOME}}{{/SLOTS}}
