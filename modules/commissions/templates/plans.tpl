{{%AUTOESCAPE context="HTML"}}
{{! plans.tpl -- the brand's commission plans (operators) }}
<h1>{{_}}Commission plans{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>{{_}}A plan is assigned to a partner; its sub-partners earn by it too unless they have their own.{{/_}} {{_}}Open a plan to see and change its rules and partners.{{/_}} {{_}}The hold, the minimum payout and the cap are the brand's <a href="/commissions/settings">commission settings</a>.{{/_}}</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Commission plans{{/_}}">
<table class="tp-table cms-plans">
<thead><tr><th scope="col">{{_}}Plan{{/_}}</th><th scope="col">{{_}}Description{{/_}}</th><th scope="col">{{_}}Currency{{/_}}</th><th scope="col">{{_}}Status{{/_}}</th><th scope="col" class="num">{{_}}Rules in force{{/_}}</th><th scope="col" class="num">{{_}}Partners{{/_}}</th></tr></thead>
<tbody>
{{#PLANS}}<tr><td><a href="/commissions/plans/{{ID}}">{{NAME}}</a></td><td>{{DESCRIPTION}}</td><td>{{CURRENCY}}</td><td>{{STATUS_LABEL}}</td><td class="num">{{RULES}}</td><td class="num">{{PARTNERS}}</td></tr>
{{/PLANS}}
{{#PLANS_EMPTY}}<tr><td colspan="6">{{_}}No plans yet: partners earn nothing until one is assigned.{{/_}}</td></tr>{{/PLANS_EMPTY}}
</tbody></table></div>
<h2>{{_}}Add a plan{{/_}}</h2>
<form method="post" action="/commissions/plans" class="tp-form cms-plan-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="cp-name">{{_}}Name{{/_}}</label><input id="cp-name" name="name" value="{{FORM_NAME}}" required maxlength="64">
<label for="cp-description">{{_}}Description{{/_}}</label><input id="cp-description" name="description" value="{{FORM_DESCRIPTION}}" maxlength="255">
<label for="cp-currency">{{_}}Currency (of its fixed amounts){{/_}}</label><input id="cp-currency" name="currency" value="{{FORM_CURRENCY}}" required maxlength="3" pattern="[A-Z]{3}">
<button type="submit">{{_}}Add the plan{{/_}}</button>
</form>
