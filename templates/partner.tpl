{{%AUTOESCAPE context="HTML"}}
{{! partner.tpl -- a partner: an overview (facts, the partners below, what }}
{{! an action said), then each action (add a partner, an account, import, }}
{{! move) in a collapsed section, all open when a form came back with an }}
{{! error (FORMS.OPEN). }}
{{#PARTNER}}
<h1>{{NAME}}</h1>
<dl class="tp-facts partner" data-id="{{ID}}">
<dt>{{_}}Partner type{{/_}}</dt><dd>{{KIND}}</dd>
<dt>{{_}}Tier{{/_}}</dt><dd>{{TIER}}</dd>
<dt>{{_}}Status{{/_}}</dt><dd>{{STATUS}}</dd>
<dt>{{_}}Currency{{/_}}</dt><dd>{{CURRENCY}}</dd>
<dt>{{_}}Time zone{{/_}}</dt><dd>{{TIMEZONE}}</dd>
<dt>{{_}}Parent{{/_}}</dt><dd>{{PARENT}}</dd>
<dt>{{_}}Accounts{{/_}}</dt><dd>{{ACCOUNTS}}</dd>
</dl>
{{/PARTNER}}
<h2>{{_}}Below it{{/_}}</h2>
<ul class="children">{{#CHILDREN}}<li><a href="/partners/{{ID}}">{{NAME}}</a> ({{KIND}})</li>{{/CHILDREN}}</ul>
{{#CHILDREN_EMPTY}}<p>{{_}}No partners below this one.{{/_}}</p>{{/CHILDREN_EMPTY}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#SAVED}}<p class="tp-note" role="status">{{_}}Saved.{{/_}}</p>{{/SAVED}}
{{#IMPORTED_COUNT}}<p class="tp-note" role="status">{{_}}Imported {{IMPORTED_COUNT}} account(s).{{/_}}</p>{{/IMPORTED_COUNT}}
{{#IMPORTED}}<p class="tp-note" role="status">{{_}}Imported {{COUNT}} account(s); {{SKIPPED_LINES}} line(s) skipped, with {{SKIPPED_TOTAL}} problem(s):{{/_}}</p>
<ul class="import-skipped">{{#SKIPPED}}<li>{{_}}line {{LINE}}{{/_}}{{#FIELD}} ({{FIELD}}){{/FIELD}}: {{MESSAGE}}</li>{{/SKIPPED}}</ul>{{/IMPORTED}}
{{#CREATED_ANY}}<p>{{_}}The accounts imported:{{/_}}</p>
<ul class="import-created">{{#CREATED}}<li><a href="/accounts/{{ID}}">{{NUMBER}}</a>{{#NAME}} {{NAME}}{{/NAME}}</li>{{/CREATED}}</ul>{{/CREATED_ANY}}
{{#ERRORS}}<p class="tp-error import-error">{{_}}line {{LINE}}{{/_}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}: {{MESSAGE}}</p>{{/ERRORS}}
{{#FORMS}}
{{#ADD_CHILD}}
<details class="tp-action" id="add-partner"{{#OPEN}} open{{/OPEN}}><summary><h2>{{_}}Add a partner below{{/_}}</h2></summary>
<form method="post" action="/partners/{{PARTNER_ID}}/children" class="tp-form partner-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="child-name">{{_}}Name{{/_}}</label><input id="child-name" name="name" required maxlength="128">
<label for="child-kind">{{_}}Partner type{{/_}}</label>
<select id="child-kind" name="kind"><option value="sub-agent">{{_}}sub-agent{{/_}}</option><option value="distributor">{{_}}distributor{{/_}}</option></select>
<label for="child-currency">{{_}}Currency{{/_}}</label><input id="child-currency" name="currency" maxlength="3" placeholder="{{_}}as this partner{{/_}}">
<label for="child-tier">{{_}}Tier{{/_}}</label>
<select id="child-tier" name="tier"><option value="">{{_}}as this partner{{/_}}</option>{{#TIERS}}<option value="{{NAME}}">{{NAME}}</option>{{/TIERS}}</select>
<button type="submit">{{_}}Add partner{{/_}}</button>
</form>
</details>
{{/ADD_CHILD}}
{{#ADD_ACCOUNT}}
<details class="tp-action" id="add-account"{{#OPEN}} open{{/OPEN}}><summary><h2>{{_}}Add an account{{/_}}</h2></summary>
<form method="post" action="/partners/{{PARTNER_ID}}/accounts" class="tp-form account-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="acc-number">{{_}}Account number{{/_}}</label><input id="acc-number" name="number" maxlength="32" placeholder="{{_}}empty: the next free number{{/_}}">
<label for="acc-name">{{_}}Name{{/_}}</label><input id="acc-name" name="name" required maxlength="128">
<label for="acc-kind">{{_}}Account type{{/_}}</label>
<select id="acc-kind" name="kind"><option value="standard">{{_}}standard{{/_}}</option><option value="corporate">{{_}}corporate (has sub-accounts){{/_}}</option></select>
<label for="acc-contact">{{_}}Contact name{{/_}}</label><input id="acc-contact" name="contact_name" maxlength="128">
<label for="acc-email">{{_}}E-mail{{/_}}</label><input id="acc-email" name="email" type="email" maxlength="255">
<label for="acc-phone">{{_}}Phone{{/_}}</label><input id="acc-phone" name="phone" maxlength="32">
<label for="acc-currency">{{_}}Currency{{/_}}</label><input id="acc-currency" name="currency" maxlength="3" placeholder="{{_}}as this partner{{/_}}">
<label for="acc-credit">{{_}}Credit limit{{/_}}</label><input id="acc-credit" name="credit_limit" inputmode="decimal" placeholder="0.00">
<p>{{#DISTRIBUTOR}}{{_}}A new account starts with a zero balance and may have a zero credit limit: payments are recorded afterwards.{{/_}}{{/DISTRIBUTOR}}{{#DISTRIBUTOR_EMPTY}}{{_}}A new account starts with a zero balance: payments are recorded afterwards.{{/_}}{{/DISTRIBUTOR_EMPTY}}</p>
<fieldset><legend>{{_}}Bill To address (optional){{/_}}</legend>
<label for="acc-street">{{_}}Street{{/_}}</label><input id="acc-street" name="street" maxlength="255">
<label for="acc-city">{{_}}City{{/_}}</label><input id="acc-city" name="city" maxlength="128">
<label for="acc-postcode">{{_}}Postcode{{/_}}</label><input id="acc-postcode" name="postcode" maxlength="16">
<label for="acc-region">{{_}}Region{{/_}}</label><input id="acc-region" name="region" maxlength="64">
<label for="acc-country">{{_}}Country (ISO, 2 letters){{/_}}</label><input id="acc-country" name="country" maxlength="2">
</fieldset>
<button type="submit">{{_}}Add account{{/_}}</button>
</form>
</details>
<details class="tp-action" id="import"{{#OPEN}} open{{/OPEN}}><summary><h2>{{_}}Import accounts from a CSV file{{/_}}</h2></summary>
<form method="post" action="/partners/{{PARTNER_ID}}/accounts/import" enctype="multipart/form-data" class="tp-form account-import">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<p>{{_}}UTF-8, a header line naming the columns number, name, contact_name, email, phone, currency, credit_limit, street, city, postcode, country; at most 10,000 lines and 5 MB.{{/_}}</p>
<label for="imp-file">{{_}}File{{/_}}</label><input id="imp-file" name="file" type="file" accept=".csv,text/csv" required>
<label for="imp-mode">{{_}}If some lines are wrong{{/_}}</label>
<select id="imp-mode" name="mode"><option value="all">{{_}}import nothing{{/_}}</option><option value="valid">{{_}}import the valid lines, list the others{{/_}}</option></select>
<button type="submit">{{_}}Import{{/_}}</button>
</form>
</details>
{{/ADD_ACCOUNT}}
{{#MOVE}}
<details class="tp-action" id="move"{{#OPEN}} open{{/OPEN}}><summary><h2>{{_}}Move in the tree{{/_}}</h2></summary>
<form method="post" action="/partners/{{PARTNER_ID}}/move" class="tp-form partner-move">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="move-parent">{{_}}New parent{{/_}}</label>
<select id="move-parent" name="parent_id">{{#TOP_LEVEL}}<option value="">{{_}}(top level){{/_}}</option>{{/TOP_LEVEL}}{{#TARGETS}}<option value="{{ID}}">{{NAME}}</option>{{/TARGETS}}</select>
<button type="submit">{{_}}Move{{/_}}</button>
</form>
</details>
{{/MOVE}}
{{#DISABLE}}
<form method="post" action="/partners/{{PARTNER_ID}}/disable" class="tp-form partner-disable">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<p>{{_}}Disabling stops the logins of this partner and of every partner below it; its customers and history stay.{{/_}}</p>
<button type="submit" class="tp-danger">{{_}}Disable partner{{/_}}</button>
</form>
{{/DISABLE}}
{{#ENABLE}}
<form method="post" action="/partners/{{PARTNER_ID}}/enable" class="tp-form partner-enable">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<button type="submit">{{_}}Enable partner{{/_}}</button>
</form>
{{/ENABLE}}
{{/FORMS}}
