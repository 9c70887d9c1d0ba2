{{%AUTOESCAPE context="HTML"}}
{{#ACCOUNT}}
<h1>{{NAME}}</h1>
<dl class="tp-facts account" data-id="{{ID}}">
<dt>Number</dt><dd>{{NUMBER}}</dd>
<dt>Kind</dt><dd>{{KIND}}</dd>
<dt>Status</dt><dd>{{STATUS}}</dd>
<dt>Currency</dt><dd>{{CURRENCY}}</dd>
<dt>Partner</dt><dd>{{PARTNER}}</dd>
</dl>
{{/ACCOUNT}}
<h2>Sub-accounts</h2>
<ul class="sub-accounts">{{#SUB_ACCOUNTS}}<li><a href="/accounts/{{ID}}">{{NUMBER}}</a> {{NAME}}</li>{{/SUB_ACCOUNTS}}</ul>
{{#SUB_ACCOUNTS_EMPTY}}<p>None.</p>{{/SUB_ACCOUNTS_EMPTY}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#SAVED}}<p class="tp-note" role="status">Saved.</p>{{/SAVED}}
{{#FORMS}}
{{#ADD_SUB}}
<h2 id="add-sub">Add a sub-account</h2>
<form method="post" action="/accounts/{{ACCOUNT_ID}}/subaccounts" class="tp-form subaccount-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="sub-number">Account number</label><input id="sub-number" name="number" required maxlength="32">
<label for="sub-name">Name</label><input id="sub-name" name="name" required maxlength="128">
<button type="submit">Add sub-account</button>
</form>
{{/ADD_SUB}}
{{#CAN_STATUS}}
<form method="post" action="/accounts/{{ACCOUNT_ID}}/status" class="tp-form account-status">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="acc-status">Status</label>
<select id="acc-status" name="status">{{#STATES}}<option value="{{VALUE}}"{{#CURRENT}} selected{{/CURRENT}}>{{VALUE}}</option>{{/STATES}}</select>
<button type="submit">Change status</button>
</form>
{{/CAN_STATUS}}
{{/FORMS}}
