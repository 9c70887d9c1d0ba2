{{%AUTOESCAPE context="HTML"}}
{{! partner.tpl -- a partner: an overview (facts, the partners below, what }}
{{! an action said), then each action (add a partner, an account, import, }}
{{! move) in a collapsed section, all open when a form came back with an }}
{{! error (FORMS.OPEN). }}
{{#PARTNER}}
<h1>{{NAME}}</h1>
<dl class="tp-facts partner" data-id="{{ID}}">
<dt>Partner type</dt><dd>{{KIND}}</dd>
<dt>Tier</dt><dd>{{TIER}}</dd>
<dt>Status</dt><dd>{{STATUS}}</dd>
<dt>Currency</dt><dd>{{CURRENCY}}</dd>
<dt>Time zone</dt><dd>{{TIMEZONE}}</dd>
<dt>Parent</dt><dd>{{PARENT}}</dd>
<dt>Accounts</dt><dd>{{ACCOUNTS}}</dd>
</dl>
{{/PARTNER}}
<h2>Below it</h2>
<ul class="children">{{#CHILDREN}}<li><a href="/partners/{{ID}}">{{NAME}}</a> ({{KIND}})</li>{{/CHILDREN}}</ul>
{{#CHILDREN_EMPTY}}<p>No partners below this one.</p>{{/CHILDREN_EMPTY}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#SAVED}}<p class="tp-note" role="status">Saved.</p>{{/SAVED}}
{{#IMPORTED_COUNT}}<p class="tp-note" role="status">Imported {{IMPORTED_COUNT}} account(s).</p>{{/IMPORTED_COUNT}}
{{#IMPORTED}}<p class="tp-note" role="status">Imported {{COUNT}} account(s); {{SKIPPED_LINES}} line(s) skipped, with {{SKIPPED_TOTAL}} problem(s):</p>
<ul class="import-skipped">{{#SKIPPED}}<li>line {{LINE}}{{#FIELD}} ({{FIELD}}){{/FIELD}}: {{MESSAGE}}</li>{{/SKIPPED}}</ul>{{/IMPORTED}}
{{#CREATED_ANY}}<p>The accounts imported:</p>
<ul class="import-created">{{#CREATED}}<li><a href="/accounts/{{ID}}">{{NUMBER}}</a>{{#NAME}} {{NAME}}{{/NAME}}</li>{{/CREATED}}</ul>{{/CREATED_ANY}}
{{#ERRORS}}<p class="tp-error import-error">line {{LINE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}: {{MESSAGE}}</p>{{/ERRORS}}
{{#FORMS}}
{{#ADD_CHILD}}
<details class="tp-action" id="add-partner"{{#OPEN}} open{{/OPEN}}><summary><h2>Add a partner below</h2></summary>
<form method="post" action="/partners/{{PARTNER_ID}}/children" class="tp-form partner-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="child-name">Name</label><input id="child-name" name="name" required maxlength="128">
<label for="child-kind">Partner type</label>
<select id="child-kind" name="kind"><option value="sub-agent">sub-agent</option><option value="distributor">distributor</option></select>
<label for="child-currency">Currency</label><input id="child-currency" name="currency" maxlength="3" placeholder="as this partner">
<label for="child-tier">Tier</label>
<select id="child-tier" name="tier"><option value="">as this partner</option>{{#TIERS}}<option value="{{NAME}}">{{NAME}}</option>{{/TIERS}}</select>
<button type="submit">Add partner</button>
</form>
</details>
{{/ADD_CHILD}}
{{#ADD_ACCOUNT}}
<details class="tp-action" id="add-account"{{#OPEN}} open{{/OPEN}}><summary><h2>Add an account</h2></summary>
<form method="post" action="/partners/{{PARTNER_ID}}/accounts" class="tp-form account-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="acc-number">Account number</label><input id="acc-number" name="number" maxlength="32" placeholder="empty: the next free number">
<label for="acc-name">Name</label><input id="acc-name" name="name" required maxlength="128">
<label for="acc-kind">Account type</label>
<select id="acc-kind" name="kind"><option value="standard">standard</option><option value="corporate">corporate (has sub-accounts)</option></select>
<label for="acc-contact">Contact name</label><input id="acc-contact" name="contact_name" maxlength="128">
<label for="acc-email">E-mail</label><input id="acc-email" name="email" type="email" maxlength="255">
<label for="acc-phone">Phone</label><input id="acc-phone" name="phone" maxlength="32">
<label for="acc-currency">Currency</label><input id="acc-currency" name="currency" maxlength="3" placeholder="as this partner">
<label for="acc-credit">Credit limit</label><input id="acc-credit" name="credit_limit" inputmode="decimal" placeholder="0.00">
<p>A new account starts with a zero balance{{#DISTRIBUTOR}} and may have a zero credit limit{{/DISTRIBUTOR}}: payments are recorded afterwards.</p>
<fieldset><legend>Bill To address (optional)</legend>
<label for="acc-street">Street</label><input id="acc-street" name="street" maxlength="255">
<label for="acc-city">City</label><input id="acc-city" name="city" maxlength="128">
<label for="acc-postcode">Postcode</label><input id="acc-postcode" name="postcode" maxlength="16">
<label for="acc-region">Region</label><input id="acc-region" name="region" maxlength="64">
<label for="acc-country">Country (ISO, 2 letters)</label><input id="acc-country" name="country" maxlength="2">
</fieldset>
<button type="submit">Add account</button>
</form>
</details>
<details class="tp-action" id="import"{{#OPEN}} open{{/OPEN}}><summary><h2>Import accounts from a CSV file</h2></summary>
<form method="post" action="/partners/{{PARTNER_ID}}/accounts/import" enctype="multipart/form-data" class="tp-form account-import">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<p>UTF-8, a header line naming the columns number, name, contact_name, email, phone, currency, credit_limit, street, city, postcode, country; at most 10,000 lines and 5 MB.</p>
<label for="imp-file">File</label><input id="imp-file" name="file" type="file" accept=".csv,text/csv" required>
<label for="imp-mode">If some lines are wrong</label>
<select id="imp-mode" name="mode"><option value="all">import nothing</option><option value="valid">import the valid lines, list the others</option></select>
<button type="submit">Import</button>
</form>
</details>
{{/ADD_ACCOUNT}}
{{#MOVE}}
<details class="tp-action" id="move"{{#OPEN}} open{{/OPEN}}><summary><h2>Move in the tree</h2></summary>
<form method="post" action="/partners/{{PARTNER_ID}}/move" class="tp-form partner-move">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="move-parent">New parent</label>
<select id="move-parent" name="parent_id">{{#TOP_LEVEL}}<option value="">(top level)</option>{{/TOP_LEVEL}}{{#TARGETS}}<option value="{{ID}}">{{NAME}}</option>{{/TARGETS}}</select>
<button type="submit">Move</button>
</form>
</details>
{{/MOVE}}
{{#DISABLE}}
<form method="post" action="/partners/{{PARTNER_ID}}/disable" class="tp-form partner-disable">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<p>Disabling stops the logins of this partner and of every partner below it; its customers and history stay.</p>
<button type="submit" class="tp-danger">Disable partner</button>
</form>
{{/DISABLE}}
{{#ENABLE}}
<form method="post" action="/partners/{{PARTNER_ID}}/enable" class="tp-form partner-enable">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<button type="submit">Enable partner</button>
</form>
{{/ENABLE}}
{{/FORMS}}
