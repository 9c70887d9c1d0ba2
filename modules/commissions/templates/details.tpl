{{%AUTOESCAPE context="HTML"}}
{{! details.tpl -- a partner's payout bank details: the number only ever masked }}
<h1>Payout bank details</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#MESSAGE}}<p class="tp-notice" role="status">{{MESSAGE}}</p>{{/MESSAGE}}
<p>Your commission is paid to this bank account. A change is used only once one of your admins confirms it by the link mailed to them.</p>
{{#CURRENT}}<p>Payouts go to <strong>{{ACCOUNT}}</strong> ({{ACCOUNT_TYPE}}, routing {{ROUTING}}), held by {{HOLDER}}; confirmed {{CONFIRMED_AT}}.</p>{{/CURRENT}}
{{#CURRENT_EMPTY}}<p>No confirmed bank account yet: no payout can be made to you.</p>{{/CURRENT_EMPTY}}
{{#PENDING}}<p>Waiting for confirmation by mail: <strong>{{ACCOUNT}}</strong> ({{ACCOUNT_TYPE}}, routing {{ROUTING}}), entered {{CREATED_AT}}.</p>{{/PENDING}}
<h2>Enter a bank account</h2>
<form method="post" action="/commissions/payout-details" class="tp-form cms-details" autocomplete="off">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="pd-holder">Account holder</label><input id="pd-holder" name="holder" value="{{FORM_HOLDER}}" required maxlength="128">
<label for="pd-routing">Routing number (nine digits)</label><input id="pd-routing" name="routing" value="{{FORM_ROUTING}}" required inputmode="numeric" maxlength="9" pattern="[0-9]{9}">
<label for="pd-account">Account number</label><input id="pd-account" name="account_number" required inputmode="numeric" maxlength="17" pattern="[0-9]{4,17}" autocomplete="off">
<label for="pd-type">Account type</label><select id="pd-type" name="account_type"><option value="checking">Checking</option><option value="savings">Savings</option></select>
<button type="submit">Save and mail the confirmation</button>
</form>
<h2>History</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Payout bank details history">
<table class="tp-table cms-details-history">
<thead><tr><th scope="col">Account</th><th scope="col">Type</th><th scope="col">Routing</th><th scope="col">Holder</th><th scope="col">Entered</th><th scope="col">Status</th></tr></thead>
<tbody>
{{#HISTORY}}<tr><td>{{ACCOUNT}}</td><td>{{ACCOUNT_TYPE}}</td><td>{{ROUTING}}</td><td>{{HOLDER}}</td><td>{{CREATED_AT}}</td><td>{{STATUS}}{{#CONFIRMED_AT}} {{CONFIRMED_AT}}{{/CONFIRMED_AT}}</td></tr>
{{/HISTORY}}
{{#HISTORY_EMPTY}}<tr><td colspan="6">None entered yet.</td></tr>{{/HISTORY_EMPTY}}
</tbody></table></div>
