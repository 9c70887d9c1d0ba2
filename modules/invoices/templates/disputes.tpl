{{%AUTOESCAPE context="HTML"}}
{{! disputes.tpl -- an invoice's disputes: the customer disputes a line (its }}
{{! amount held out of collections), an operator accepts (a credit note) or }}
{{! rejects (modules/invoices/dispute.c) }}
{{#INVOICE}}<h1>Disputes: invoice <a href="/invoices/{{ID}}">{{NUMBER}}</a></h1>{{/INVOICE}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<h2>Disputes</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Disputes">
<table class="tp-table inv-disputes">
<thead><tr><th scope="col">Date</th><th scope="col">Line</th><th scope="col" class="num">Amount</th><th scope="col">Reason</th><th scope="col">Status</th><th scope="col">Resolution</th></tr></thead>
<tbody>
{{#DISPUTES}}<tr><td>{{DATE}}</td><td>{{LINE}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>{{REASON}}</td><td class="inv-dispute-status">{{STATUS}}</td>
<td>{{RESOLUTION}}{{#CREDIT_NOTE_NUMBER}} <a href="/invoices/{{CREDIT_NOTE_ID}}">{{CREDIT_NOTE_NUMBER}}</a>{{/CREDIT_NOTE_NUMBER}}
{{#CAN_DECIDE}}<form method="post" action="/disputes/{{ID}}/decision" class="tp-inline inv-decide">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="dd-{{ID}}">Resolution</label>
<input id="dd-{{ID}}" name="resolution" maxlength="500">
<button type="submit" name="decision" value="accept">Accept (credit note)</button>
<button type="submit" name="decision" value="reject">Reject</button>
</form>{{/CAN_DECIDE}}</td></tr>
{{/DISPUTES}}
</tbody></table></div>
{{#CAN_DISPUTE}}
<h2>Dispute a charge</h2>
<p>What you dispute is not chased for payment until we have looked at it.</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Charges">
<table class="tp-table inv-dispute-lines">
<thead><tr><th scope="col">Charge</th><th scope="col" class="num">Amount, tax included</th><th scope="col">Dispute</th></tr></thead>
<tbody>
{{#LINES}}<tr><td>{{DESCRIPTION}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>
{{#DISPUTED}}under dispute{{/DISPUTED}}
{{#CAN_DISPUTE}}<form method="post" action="/invoices/{{INVOICE_ID}}/lines/{{ID}}/dispute" class="tp-form inv-dispute">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="dl-{{ID}}-reason">Reason</label>
<input id="dl-{{ID}}-reason" name="reason" required maxlength="500">
<label for="dl-{{ID}}-amount">Amount (empty: the whole charge)</label>
<input id="dl-{{ID}}-amount" name="amount" inputmode="decimal" maxlength="32">
<button type="submit">Dispute</button>
</form>{{/CAN_DISPUTE}}</td></tr>
{{/LINES}}
</tbody></table></div>
{{/CAN_DISPUTE}}
