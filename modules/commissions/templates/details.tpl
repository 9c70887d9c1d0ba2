{{%AUTOESCAPE context="HTML"}}
{{! details.tpl -- a partner's payout bank details: the number only ever masked }}
<h1>{{_}}Payout bank details{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#MESSAGE}}<p class="tp-notice" role="status">{{MESSAGE}}</p>{{/MESSAGE}}
<p>{{_}}Your commission is paid to this bank account.{{/_}} {{_}}A change is used only once one of your admins confirms it by the link mailed to them.{{/_}}</p>
{{#CURRENT}}<p>{{_}}Payouts go to <strong>{{ACCOUNT}}</strong> ({{ACCOUNT_TYPE_LABEL}}, routing {{ROUTING}}), held by {{HOLDER}}; confirmed {{CONFIRMED_AT_TEXT}}.{{/_}}</p>{{/CURRENT}}
{{#CURRENT_EMPTY}}<p>{{_}}No confirmed bank account yet: no payout can be made to you.{{/_}}</p>{{/CURRENT_EMPTY}}
{{#PENDING}}<p>{{_}}Waiting for confirmation by mail: <strong>{{ACCOUNT}}</strong> ({{ACCOUNT_TYPE_LABEL}}, routing {{ROUTING}}), entered {{CREATED_AT_TEXT}}.{{/_}}</p>{{/PENDING}}
<h2>{{_}}Enter a bank account{{/_}}</h2>
<form method="post" action="/commissions/payout-details" class="tp-form cms-details" autocomplete="off">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="pd-holder">{{_}}Account holder{{/_}}</label><input id="pd-holder" name="holder" value="{{FORM_HOLDER}}" required maxlength="128">
<label for="pd-routing">{{_}}Routing number (nine digits){{/_}}</label><input id="pd-routing" name="routing" value="{{FORM_ROUTING}}" required inputmode="numeric" maxlength="9" pattern="[0-9]{9}">
<label for="pd-account">{{_}}Account number{{/_}}</label><input id="pd-account" name="account_number" required inputmode="numeric" maxlength="17" pattern="[0-9]{4,17}" autocomplete="off">
<label for="pd-type">{{_}}Account type{{/_}}</label><select id="pd-type" name="account_type"><option value="checking">{{_}}Checking{{/_}}</option><option value="savings">{{_}}Savings{{/_}}</option></select>
<button type="submit">{{_}}Save and mail the confirmation{{/_}}</button>
</form>
<h2>{{_}}History{{/_}}</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Payout bank details history{{/_}}">
<table class="tp-table cms-details-history">
<thead><tr><th scope="col">{{_}}Account{{/_}}</th><th scope="col">{{_}}Type{{/_}}</th><th scope="col">{{_}}Routing{{/_}}</th><th scope="col">{{_}}Holder{{/_}}</th><th scope="col">{{_}}Entered{{/_}}</th><th scope="col">{{_}}Status{{/_}}</th></tr></thead>
<tbody>
{{#HISTORY}}<tr><td>{{ACCOUNT}}</td><td>{{ACCOUNT_TYPE_LABEL}}</td><td>{{ROUTING}}</td><td>{{HOLDER}}</td><td>{{CREATED_AT_TEXT}}</td><td>{{STATUS_LABEL}}{{#CONFIRMED_AT}} {{CONFIRMED_AT_TEXT}}{{/CONFIRMED_AT}}</td></tr>
{{/HISTORY}}
{{#HISTORY_EMPTY}}<tr><td colspan="6">{{_}}None entered yet.{{/_}}</td></tr>{{/HISTORY_EMPTY}}
</tbody></table></div>
