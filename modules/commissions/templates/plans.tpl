{{%AUTOESCAPE context="HTML"}}
{{! plans.tpl -- the brand's commission plans (operators) }}
<h1>Commission plans</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>A plan is assigned to a partner; its sub-partners earn by it too unless they have their own. Open a plan to see and change its rules and partners. The hold, the minimum payout and the cap are the brand's <a href="/commissions/settings">commission settings</a>.</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Commission plans">
<table class="tp-table cms-plans">
<thead><tr><th scope="col">Plan</th><th scope="col">Description</th><th scope="col">Currency</th><th scope="col">Status</th><th scope="col" class="num">Rules in force</th><th scope="col" class="num">Partners</th></tr></thead>
<tbody>
{{#PLANS}}<tr><td><a href="/commissions/plans/{{ID}}">{{NAME}}</a></td><td>{{DESCRIPTION}}</td><td>{{CURRENCY}}</td><td>{{STATUS}}</td><td class="num">{{RULES}}</td><td class="num">{{PARTNERS}}</td></tr>
{{/PLANS}}
{{#PLANS_EMPTY}}<tr><td colspan="6">No plans yet: partners earn nothing until one is assigned.</td></tr>{{/PLANS_EMPTY}}
</tbody></table></div>
<h2>Add a plan</h2>
<form method="post" action="/commissions/plans" class="tp-form cms-plan-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="cp-name">Name</label><input id="cp-name" name="name" value="{{FORM_NAME}}" required maxlength="64">
<label for="cp-description">Description</label><input id="cp-description" name="description" value="{{FORM_DESCRIPTION}}" maxlength="255">
<label for="cp-currency">Currency (of its fixed amounts)</label><input id="cp-currency" name="currency" value="{{FORM_CURRENCY}}" required maxlength="3" pattern="[A-Z]{3}">
<button type="submit">Add the plan</button>
</form>
