{{%AUTOESCAPE context="HTML"}}
{{! payouts.tpl -- disbursements (operators): partners with approved commission, a Pay form each, a payout run, the disbursements and a retry of an unknown one }}
<h1>{{_}}Commission payouts{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>{{_}}A disbursement pays a partner's approved lines (clawbacks netted) through the payout provider <strong>{{PAYOUT_PROVIDER}}</strong>, to the bank details the partner confirmed; the minimum payout is {{MIN_PAYOUT_TEXT}}.{{/_}} {{_}}A failed payout leaves its lines approved.{{/_}} {{#OPEN_REQUESTS}}<a href="/commissions/requests">{{_}}{{OPEN_REQUESTS}} payout request(s) wait for a decision{{/_}}</a>.{{/OPEN_REQUESTS}}</p>
<h2>{{_}}Approved, not paid yet{{/_}}</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Approved commission by partner{{/_}}">
<table class="tp-table cms-payable">
<thead><tr><th scope="col">{{_}}Partner{{/_}}</th><th scope="col" class="num">{{_}}Lines{{/_}}</th><th scope="col" class="num">{{_}}Approved{{/_}}</th><th scope="col">{{_}}Bank details{{/_}}</th><th scope="col">{{_}}Pay{{/_}}</th></tr></thead>
<tbody>
{{#PARTNERS}}<tr><td>{{NAME}}</td><td class="num">{{LINES}}</td><td class="num">{{APPROVED_TEXT}}</td><td>{{#DETAILS_CONFIRMED}}{{_}}confirmed{{/_}}{{/DETAILS_CONFIRMED}}{{#DETAILS_CONFIRMED_EMPTY}}{{_}}none confirmed{{/_}}{{/DETAILS_CONFIRMED_EMPTY}}</td>
<td>{{#PAYABLE}}<form method="post" action="/commissions/disbursements" class="tp-form tp-inline cms-pay">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}-{{ID}}"><input type="hidden" name="partner" value="{{ID}}">
<label for="cd-desc-{{ID}}">{{_}}Description{{/_}}</label><input id="cd-desc-{{ID}}" name="description" maxlength="255">
<label for="cd-ref-{{ID}}">{{_}}Reference{{/_}}</label><input id="cd-ref-{{ID}}" name="reference" maxlength="64">
<label for="cd-com-{{ID}}">{{_}}Comments{{/_}}</label><input id="cd-com-{{ID}}" name="comments" maxlength="500">
<button type="submit">{{_}}Pay {{APPROVED_TEXT}}{{/_}}</button></form>{{/PAYABLE}}{{#PAYABLE_EMPTY}}{{_}}not payable yet{{/_}}{{/PAYABLE_EMPTY}}</td></tr>
{{/PARTNERS}}
{{#PARTNERS_EMPTY}}<tr><td colspan="5">{{_}}No approved commission waits for payment.{{/_}}</td></tr>{{/PARTNERS_EMPTY}}
</tbody></table></div>
<h2>{{_}}Pay everyone due{{/_}}</h2>
<form method="post" action="/commissions/payout-runs" class="tp-form cms-run">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="cr-desc">{{_}}Description{{/_}}</label><input id="cr-desc" name="description" maxlength="255">
<label for="cr-ref">{{_}}Reference{{/_}}</label><input id="cr-ref" name="reference" maxlength="64">
<button type="submit">{{_}}Pay every partner over the minimum (one payout run){{/_}}</button>
</form>
<h2>{{_}}Disbursements{{/_}}</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Disbursements{{/_}}">
<table class="tp-table cms-disbursements">
<thead><tr><th scope="col">{{_}}Number{{/_}}</th><th scope="col">{{_}}Partner{{/_}}</th><th scope="col">{{_}}Description{{/_}}</th><th scope="col">{{_}}Reference{{/_}}</th><th scope="col">{{_}}To{{/_}}</th><th scope="col" class="num">{{_}}Lines{{/_}}</th><th scope="col" class="num">{{_}}Amount{{/_}}</th><th scope="col">{{_}}Made{{/_}}</th><th scope="col">{{_}}Status{{/_}}</th><th scope="col">{{_}}Provider's reference{{/_}}</th></tr></thead>
<tbody>
{{#DISBURSEMENTS}}<tr><td>{{NUMBER}}</td><td>{{PARTNER}}</td><td>{{DESCRIPTION}}</td><td>{{REFERENCE}}</td><td>{{DESTINATION_LABEL}}</td><td class="num">{{LINES}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>{{CREATED_AT_TEXT}}</td>
<td>{{STATUS_LABEL}}{{#PAID_AT}} {{PAID_AT}}{{/PAID_AT}}{{#FAILURE}}: {{FAILURE}}{{/FAILURE}}{{#RETRY}}<form method="post" action="/commissions/disbursements/{{ID}}/retry" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">{{_}}Ask the provider again{{/_}}</button></form>{{/RETRY}}</td><td>{{PROVIDER_REF}}</td></tr>
{{/DISBURSEMENTS}}
{{#DISBURSEMENTS_EMPTY}}<tr><td colspan="10">{{_}}No disbursements yet.{{/_}}</td></tr>{{/DISBURSEMENTS_EMPTY}}
</tbody></table></div>
