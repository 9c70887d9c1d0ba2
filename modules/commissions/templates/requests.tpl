{{%AUTOESCAPE context="HTML"}}
{{! requests.tpl -- payout requests: a partner asks for its approved commission or withdraws it to its balance; operators pay or refuse }}
<h1>Payout requests</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#MINE}}
<p>Approved commission not paid yet: <strong>{{APPROVED_TEXT}}</strong> ({{LINES}} lines). A request needs at least {{MIN_PAYOUT_TEXT}}{{#DETAILS_CONFIRMED_EMPTY}}; a payout to your bank needs <a href="/commissions/payout-details">confirmed bank details</a>{{/DETAILS_CONFIRMED_EMPTY}}.</p>
{{#CAN_REQUEST}}<form method="post" action="/commissions/requests" class="tp-form cms-request">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="rq-dest">Pay it to</label><select id="rq-dest" name="destination"><option value="bank">my bank account</option><option value="balance">my prepaid balance</option></select>
<button type="submit">Ask for {{APPROVED_TEXT}}</button>
</form>{{/CAN_REQUEST}}
{{#CAN_WITHDRAW}}<form method="post" action="/commissions/withdraw" class="tp-form cms-withdraw">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}-w">
<button type="submit">Move {{APPROVED_TEXT}} to my prepaid balance now</button>
</form>{{/CAN_WITHDRAW}}
{{/MINE}}
<div class="tp-scroll" tabindex="0" role="region" aria-label="Payout requests">
<table class="tp-table cms-requests">
<thead><tr><th scope="col">Request</th><th scope="col">Partner</th><th scope="col">To</th><th scope="col" class="num">Amount asked</th><th scope="col">Asked</th><th scope="col">Status</th><th scope="col">Disbursement</th></tr></thead>
<tbody>
{{#REQUESTS}}<tr><td>{{ID}}</td><td>{{PARTNER}}</td><td>{{DESTINATION}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>{{CREATED_AT}}</td><td>{{STATUS}}{{#REASON}}: {{REASON}}{{/REASON}}
{{#OPEN}}{{#OPERATOR}}<form method="post" action="/commissions/requests/{{ID}}/decision" class="tp-form tp-inline cms-decide">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}-{{ID}}">
<label for="rd-action-{{ID}}">Decision</label><select id="rd-action-{{ID}}" name="action"><option value="pay">pay</option><option value="refuse">refuse</option></select>
<label for="rd-reason-{{ID}}">Reason (needed to refuse)</label><input id="rd-reason-{{ID}}" name="reason" maxlength="255">
<button type="submit">Decide</button></form>{{/OPERATOR}}{{/OPEN}}</td><td>{{DISBURSEMENT}}</td></tr>
{{/REQUESTS}}
{{#REQUESTS_EMPTY}}<tr><td colspan="7">No payout requests.</td></tr>{{/REQUESTS_EMPTY}}
</tbody></table></div>
