{{%AUTOESCAPE context="HTML"}}
{{! approvals.tpl -- operators decide on commission lines (pages.c; the POST is approve.c's) }}
<h1>{{_}}Commission approvals{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<p>{{_}}Lines past their hold wait here for a decision: approved lines can be paid by a disbursement; a held line waits with its reason; a declined line is never paid (its posting is reversed).{{/_}} {{_}}Every line: <a href="/commissions/lines">the lines grid</a>.{{/_}}</p>
<h2>{{_}}By partner{{/_}}</h2>
{{#PARTNERS}}<form method="post" action="/commissions/lines/decision" class="tp-form tp-inline cms-partner-approve">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="back" value="/commissions/approvals">
<input type="hidden" name="partner" value="{{ID}}">
<input type="hidden" name="action" value="approve">
{{_}}<a href="/commissions/approvals?partner={{ID}}">{{NAME}}</a>: {{LINES}} approvable lines, {{AMOUNT_TEXT}}{{/_}}
<button type="submit">{{_}}Approve all of {{NAME}}'s{{/_}}</button>
</form>
{{/PARTNERS}}
<h2>{{_}}Lines{{/_}}{{#PARTNER}} {{_}}of one partner (<a href="/commissions/approvals">every partner</a>){{/_}}{{/PARTNER}}</h2>
{{#LINES_EMPTY}}<p>{{_}}No line waits for a decision.{{/_}}</p>{{/LINES_EMPTY}}
{{#HAS_LINES}}
{{! the table stands outside the form (a form's width is a field's): its checkboxes join it by form="cms-decide" }}
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Lines waiting for a decision{{/_}}">
<table class="tp-table cms-approval-lines">
<thead><tr><th scope="col">{{_}}Choose{{/_}}</th><th scope="col">{{_}}Line{{/_}}</th><th scope="col">{{_}}Status{{/_}}</th><th scope="col">{{_}}Earned by{{/_}}</th><th scope="col">{{_}}Customer{{/_}}</th><th scope="col">{{_}}Kind{{/_}}</th><th scope="col" class="num">{{_}}Level{{/_}}</th><th scope="col">{{_}}Period{{/_}}</th><th scope="col" class="num">{{_}}Comp basis{{/_}}</th><th scope="col" class="num">{{_}}Amount{{/_}}</th><th scope="col">{{_}}Note{{/_}}</th></tr></thead>
<tbody>
{{#LINES}}<tr data-id="{{ID}}"><td><input type="checkbox" form="cms-decide" name="line" value="{{ID}}" id="line-{{ID}}" aria-label="{{_}}Line {{ID}}{{/_}}"></td><td><label for="line-{{ID}}">{{ID}}</label></td><td>{{STATUS_LABEL}}</td><td>{{PARTNER}}</td><td>{{CUSTOMER}}</td><td>{{KIND_LABEL}}</td><td class="num">{{LEVEL}}</td><td>{{PERIOD}}</td><td class="num">{{BASIS_TEXT}}</td><td class="num">{{AMOUNT_TEXT}}</td><td>{{NOTE}}</td></tr>
{{/LINES}}
</tbody></table></div>
{{#LINES_MORE}}<p class="tp-note">{{_}}Only the first 500 lines are shown: decide on these, or choose a partner.{{/_}}</p>{{/LINES_MORE}}
<form method="post" action="/commissions/lines/decision" class="tp-form cms-approvals" id="cms-decide">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="back" value="{{BACK}}">
<label for="ca-action">{{_}}Decision{{/_}}</label><select id="ca-action" name="action"><option value="approve">{{_}}Approve{{/_}}</option><option value="hold">{{_}}Hold{{/_}}</option><option value="decline">{{_}}Decline{{/_}}</option></select>
<label for="ca-note">{{_}}Note (the partner sees it; needed to hold or decline){{/_}}</label><input id="ca-note" name="note" maxlength="255">
<button type="submit">{{_}}Decide on the chosen lines{{/_}}</button>
</form>
{{/HAS_LINES}}
