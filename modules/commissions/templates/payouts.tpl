{{%AUTOESCAPE context="HTML"}}
{{! payouts.tpl -- disbursements (operators): partners with approved commission, a Pay form each, a payout run, the disbursements and a retry of an unknown one }}
<h1>Commission payouts</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>A disbursement pays a partner's approved lines (clawbacks netted) through the payout provider <strong>{{PAYOUT_PROVIDER}}</strong>, to the bank details the partner confirmed; the minimum payout is {{MIN_PAYOUT_TEXT}}. A failed payout leaves its lines approved. {{#OPEN_REQUESTS}}<a href="/commissions/requests">{{OPEN_REQUESTS}} payout request(s) wait for a decision</a>.{{/OPEN_REQUESTS}}</p>
<h2>Approved, not paid yet</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Approved commission by partner">
<table class="tp-table cms-payable">
<thead><tr><th scope="col">Partner</th><th scope="col" class="num">Lines</th><th scope="col" class="num">Approved</th><th scope="col">Bank details</th><th scope="col">Pay</th></tr></thead>
<tbody>
{{#PARTNERS}}<tr><td>{{NAME}}</td><td class="num">{{LINES}}</td><td class="num">{{APPROVED_TEXT}}</td><td>{{#DETAILS_CONFIRMED}}confirmed{{/DETAILS_CONFIRMED}}{{#DETAILS_CONFIRMED_EMPTY}}none confirmed{{/DETAILS_CONFIRMED_EMPTY}}</td>
<td>{{#PAYABLE}}<form method="post" action="/commissions/disbursements" class="tp-form tp-inline cms-pay">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}-{{ID}}"><input type="hidden" name="partner" value="{{ID}}">
<label for="cd-desc-{{ID}}">Description</label><input id="cd-desc-{{ID}}" name="description" maxlength="255">
<label for="cd-ref-{{ID}}">Reference</label><input id="cd-ref-{{ID}}" name="reference" maxlength="64">
<label for="cd-com-{{ID}}">Comments</label><input id="cd-com-{{ID}}" name="comments" maxlength="500">
<button type="submit">Pay {{APPROVED_TEXT}}</button></form>{{/PAYABLE}}{{#PAYABLE_EMPTY}}not payable yet{{/PAYABLE_EMPTY}}</td></tr>
{{/PARTNERS}}
{{#PARTNERS_EMPTY}}<tr><td colspan="5">No approved commission waits for payment.</td></tr>{{/PARTNERS_EMPTY}}
</tbody></table></div>
<h2>Pay everyone due</h2>
<form method="post" action="/commissions/payout-runs" class="tp-form cms-run">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="cr-desc">Description</label><input id="cr-desc" name="description" maxlength="255">
<label for="cr-ref">Reference</label><input id="cr-ref" name="reference" maxlength="64">
<button type="submit">Pay every partner over the minimum (one payout run)</button>
</form>
<h2>Disbursements</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Disbursements">
<table class="tp-table cms-disbursements">
<thead><tr><th scope="col">Number</th><th scope="col">Partner</th><th scope="col">Description</th><th scope="col">Reference</th><th scope="col">To</th><th scope="col" class="num">Lines</th><th scope="col" class="num">Amount</th><th scope="col">Made</th><th scope="col">Status</th><th scope="col">Provider's reference</th></tr></thead>
<tbody>
{{#DISBURSEMENTS}}<tr><td>{{NUMBER}}</td><td>{{PARTNER}}</td><td>{{DESCRIPTION}}</td><td>{{REFERENCE}}</td><td>{{DESTINATION}}</td><td class="num">{{LINES}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>{{CREATED_AT}}</td>
<td>{{STATUS}}{{#PAID_AT}} {{PAID_AT}}{{/PAID_AT}}{{#FAILURE}}: {{FAILURE}}{{/FAILURE}}{{#RETRY}}<form method="post" action="/commissions/disbursements/{{ID}}/retry" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">Ask the provider again</button></form>{{/RETRY}}</td><td>{{PROVIDER_REF}}</td></tr>
{{/DISBURSEMENTS}}
{{#DISBURSEMENTS_EMPTY}}<tr><td colspan="10">No disbursements yet.</td></tr>{{/DISBURSEMENTS_EMPTY}}
</tbody></table></div>
