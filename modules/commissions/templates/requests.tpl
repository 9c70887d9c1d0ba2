{{%AUTOESCAPE context="HTML"}}
{{! requests.tpl -- payout requests: a partner asks for its approved commission or withdraws it to its balance; operators pay or refuse }}
<h1>{{_}}Payout requests{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#MINE}}
<p>{{_}}Approved commission not paid yet: <strong>{{APPROVED_TEXT}}</strong> ({{LINES}} lines).{{/_}} {{_}}A request needs at least {{MIN_PAYOUT_TEXT}}{{/_}}{{#DETAILS_CONFIRMED_EMPTY}}{{_}}; a payout to your bank needs <a href="/commissions/payout-details">confirmed bank details</a>{{/_}}{{/DETAILS_CONFIRMED_EMPTY}}.</p>
{{#CAN_REQUEST}}<form method="post" action="/commissions/requests" class="tp-form cms-request">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="rq-dest">{{_}}Pay it to{{/_}}</label><select id="rq-dest" name="destination"><option value="bank">{{_}}my bank account{{/_}}</option><option value="balance">{{_}}my prepaid balance{{/_}}</option></select>
<button type="submit">{{_}}Ask for {{APPROVED_TEXT}}{{/_}}</button>
</form>{{/CAN_REQUEST}}
{{#CAN_WITHDRAW}}<form method="post" action="/commissions/withdraw" class="tp-form cms-withdraw">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}-w">
<button type="submit">{{_}}Move {{APPROVED_TEXT}} to my prepaid balance now{{/_}}</button>
</form>{{/CAN_WITHDRAW}}
{{/MINE}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Payout requests{{/_}}">
<table class="tp-table cms-requests">
<thead><tr><th scope="col">{{_}}Request{{/_}}</th><th scope="col">{{_}}Partner{{/_}}</th><th scope="col">{{_}}To{{/_}}</th><th scope="col" class="num">{{_}}Amount asked{{/_}}</th><th scope="col">{{_}}Asked{{/_}}</th><th scope="col">{{_}}Status{{/_}}</th><th scope="col">{{_}}Disbursement{{/_}}</th></tr></thead>
<tbody>
{{#REQUESTS}}<tr><td>{{ID}}</td><td>{{PARTNER}}</td><td>{{DESTINATION_LABEL}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>{{CREATED_AT_TEXT}}</td><td>{{STATUS_LABEL}}{{#REASON}}: {{REASON}}{{/REASON}}
{{#OPEN}}{{#OPERATOR}}<form method="post" action="/commissions/requests/{{ID}}/decision" class="tp-form tp-inline cms-decide">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}-{{ID}}">
<label for="rd-action-{{ID}}">{{_}}Decision{{/_}}</label><select id="rd-action-{{ID}}" name="action"><option value="pay">{{_}}pay{{/_}}</option><option value="refuse">{{_}}refuse{{/_}}</option></select>
<label for="rd-reason-{{ID}}">{{_}}Reason (needed to refuse){{/_}}</label><input id="rd-reason-{{ID}}" name="reason" maxlength="255">
<button type="submit">{{_}}Decide{{/_}}</button></form>{{/OPERATOR}}{{/OPEN}}</td><td>{{DISBURSEMENT}}</td></tr>
{{/REQUESTS}}
{{#REQUESTS_EMPTY}}<tr><td colspan="7">{{_}}No payout requests.{{/_}}</td></tr>{{/REQUESTS_EMPTY}}
</tbody></table></div>
