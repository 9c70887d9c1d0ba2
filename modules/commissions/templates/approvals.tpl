{{%AUTOESCAPE context="HTML"}}
{{! approvals.tpl -- operators decide on commission lines (pages.c; the POST is approve.c's) }}
<h1>Commission approvals</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<p>Lines past their hold wait here for a decision: approved lines can be paid by a disbursement; a held line waits with its reason; a declined line is never paid (its posting is reversed). Every line: <a href="/commissions/lines">the lines grid</a>.</p>
<h2>By partner</h2>
{{#PARTNERS}}<form method="post" action="/commissions/lines/decision" class="tp-form tp-inline cms-partner-approve">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="back" value="/commissions/approvals">
<input type="hidden" name="partner" value="{{ID}}">
<input type="hidden" name="action" value="approve">
<a href="/commissions/approvals?partner={{ID}}">{{NAME}}</a>: {{LINES}} approvable lines, {{AMOUNT_TEXT}}
<button type="submit">Approve all of {{NAME}}'s</button>
</form>
{{/PARTNERS}}
<h2>Lines{{#PARTNER}} of one partner (<a href="/commissions/approvals">every partner</a>){{/PARTNER}}</h2>
{{#LINES_EMPTY}}<p>No line waits for a decision.</p>{{/LINES_EMPTY}}
{{#HAS_LINES}}
{{! the table stands outside the form (a form's width is a field's): its checkboxes join it by form="cms-decide" }}
<div class="tp-scroll" tabindex="0" role="region" aria-label="Lines waiting for a decision">
<table class="tp-table cms-approval-lines">
<thead><tr><th scope="col">Choose</th><th scope="col">Line</th><th scope="col">Status</th><th scope="col">Earned by</th><th scope="col">Customer</th><th scope="col">Kind</th><th scope="col" class="num">Level</th><th scope="col">Period</th><th scope="col" class="num">Comp basis</th><th scope="col" class="num">Amount</th><th scope="col">Note</th></tr></thead>
<tbody>
{{#LINES}}<tr data-id="{{ID}}"><td><input type="checkbox" form="cms-decide" name="line" value="{{ID}}" id="line-{{ID}}" aria-label="Line {{ID}}"></td><td><label for="line-{{ID}}">{{ID}}</label></td><td>{{STATUS}}</td><td>{{PARTNER}}</td><td>{{CUSTOMER}}</td><td>{{KIND}}</td><td class="num">{{LEVEL}}</td><td>{{PERIOD}}</td><td class="num">{{BASIS_TEXT}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>{{NOTE}}</td></tr>
{{/LINES}}
</tbody></table></div>
{{#LINES_MORE}}<p class="tp-note">Only the first 500 lines are shown: decide on these, or choose a partner.</p>{{/LINES_MORE}}
<form method="post" action="/commissions/lines/decision" class="tp-form cms-approvals" id="cms-decide">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="back" value="{{BACK}}">
<label for="ca-action">Decision</label><select id="ca-action" name="action"><option value="approve">Approve</option><option value="hold">Hold</option><option value="decline">Decline</option></select>
<label for="ca-note">Note (the partner sees it; needed to hold or decline)</label><input id="ca-note" name="note" maxlength="255">
<button type="submit">Decide on the chosen lines</button>
</form>
{{/HAS_LINES}}
