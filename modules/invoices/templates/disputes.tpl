{{%AUTOESCAPE context="HTML"}}
{{! disputes.tpl -- an invoice's disputes: the customer disputes a line (its }}
{{! amount held out of collections), an operator accepts (a credit note) or }}
{{! rejects (modules/invoices/dispute.c) }}
{{#INVOICE}}<h1>{{_}}Disputes: invoice <a href="/invoices/{{ID}}">{{NUMBER}}</a>{{/_}}</h1>{{/INVOICE}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<h2>{{_}}Disputes{{/_}}</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Disputes{{/_}}">
<table class="tp-table inv-disputes">
<thead><tr><th scope="col">{{_}}Date{{/_}}</th><th scope="col">{{_}}Line{{/_}}</th><th scope="col" class="num">{{_}}Amount{{/_}}</th><th scope="col">{{_}}Reason{{/_}}</th><th scope="col">{{_}}Status{{/_}}</th><th scope="col">{{_}}Resolution{{/_}}</th></tr></thead>
<tbody>
{{#DISPUTES}}<tr><td>{{DATE}}</td><td>{{LINE}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>{{REASON}}</td><td class="inv-dispute-status">{{STATUS_LABEL}}</td>
<td>{{RESOLUTION}}{{#CREDIT_NOTE_NUMBER}} <a href="/invoices/{{CREDIT_NOTE_ID}}">{{CREDIT_NOTE_NUMBER}}</a>{{/CREDIT_NOTE_NUMBER}}
{{#CAN_DECIDE}}<form method="post" action="/disputes/{{ID}}/decision" class="tp-inline inv-decide">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="dd-{{ID}}">{{_}}Resolution{{/_}}</label>
<input id="dd-{{ID}}" name="resolution" maxlength="500">
<button type="submit" name="decision" value="accept">{{_}}Accept (credit note){{/_}}</button>
<button type="submit" name="decision" value="reject">{{_}}Reject{{/_}}</button>
</form>{{/CAN_DECIDE}}</td></tr>
{{/DISPUTES}}
</tbody></table></div>
{{#CAN_DISPUTE}}
<h2>{{_}}Dispute a charge{{/_}}</h2>
<p>{{_}}What you dispute is not chased for payment until we have looked at it.{{/_}}</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Charges{{/_}}">
<table class="tp-table inv-dispute-lines">
<thead><tr><th scope="col">{{_}}Charge{{/_}}</th><th scope="col" class="num">{{_}}Amount, tax included{{/_}}</th><th scope="col">{{_}}Dispute{{/_}}</th></tr></thead>
<tbody>
{{#LINES}}<tr><td>{{DESCRIPTION}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>
{{#DISPUTED}}{{_}}under dispute{{/_}}{{/DISPUTED}}
{{#CAN_DISPUTE}}<form method="post" action="/invoices/{{INVOICE_ID}}/lines/{{ID}}/dispute" class="tp-form inv-dispute">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="dl-{{ID}}-reason">{{_}}Reason{{/_}}</label>
<input id="dl-{{ID}}-reason" name="reason" required maxlength="500">
<label for="dl-{{ID}}-amount">{{_}}Amount (empty: the whole charge){{/_}}</label>
<input id="dl-{{ID}}-amount" name="amount" inputmode="decimal" maxlength="32">
<button type="submit">{{_}}Dispute{{/_}}</button>
</form>{{/CAN_DISPUTE}}</td></tr>
{{/LINES}}
</tbody></table></div>
{{/CAN_DISPUTE}}
