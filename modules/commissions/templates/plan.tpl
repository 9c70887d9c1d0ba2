{{%AUTOESCAPE context="HTML"}}
{{! plan.tpl -- one commission plan: its rules, its partners (operators) }}
{{#PLAN}}<h1>{{_}}Commission plan {{NAME}}{{/_}}</h1>
<p>{{DESCRIPTION}} {{_}}Fixed amounts in {{CURRENCY}}.{{/_}} <a href="/commissions/plans">{{_}}All plans{{/_}}</a></p>{{/PLAN}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<h2>{{_}}Rules{{/_}}</h2>
<p>{{_}}A rule pays on revenue dated from its first to its last day.{{/_}} {{_}}A change is a new rule that replaces the old one from a date: commission already computed keeps the rate it was computed with.{{/_}}</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Rules{{/_}}">
<table class="tp-table cms-rules">
<thead><tr><th scope="col">{{_}}Rule{{/_}}</th><th scope="col">{{_}}Kind{{/_}}</th><th scope="col">{{_}}For{{/_}}</th><th scope="col" class="num">{{_}}Pays{{/_}}</th><th scope="col">{{_}}Details{{/_}}</th><th scope="col">{{_}}Valid from{{/_}}</th><th scope="col">{{_}}Valid to{{/_}}</th><th scope="col">{{_}}End it{{/_}}</th></tr></thead>
<tbody>
{{#RULES}}<tr{{#CURRENT}} class="cms-current"{{/CURRENT}}><td>{{ID}}</td><td>{{KIND_LABEL}}</td><td>{{APPLIES_TO}}</td><td class="num">{{PAYS}}</td><td>{{#LEVEL}}{{_}}level {{LEVEL}} on {{BASIS_LABEL}}{{/_}} {{/LEVEL}}{{#MONTHS}}{{_}}for {{MONTHS}} months{{/_}} {{/MONTHS}}{{#CHARGEBACK_DAYS}}{{_}}taken back if cancelled within {{CHARGEBACK_DAYS}} days{{/_}}{{/CHARGEBACK_DAYS}}</td><td>{{VALID_FROM}}</td><td>{{VALID_TO}}</td>
<td>{{#CURRENT}}<form method="post" action="/commissions/plans/{{PLAN_ID}}/rules/{{ID}}/end" class="tp-inline">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="end-{{ID}}" class="tp-sr">{{_}}Last day of rule {{ID}}{{/_}}</label><input id="end-{{ID}}" name="valid_to" type="date" required>
<button type="submit">{{_}}End<span class="tp-sr"> rule {{ID}}</span>{{/_}}</button></form>{{/CURRENT}}</td></tr>
{{/RULES}}
{{#RULES_EMPTY}}<tr><td colspan="8">{{_}}No rules yet.{{/_}}</td></tr>{{/RULES_EMPTY}}
</tbody></table></div>
<h2>{{_}}Add a rule{{/_}}</h2>
{{#FORM}}
<form method="post" action="/commissions/plans/{{PLAN_ID}}/rules" class="tp-form cms-rule-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="cr-kind">{{_}}Kind{{/_}}</label>
<select id="cr-kind" name="kind" required>
<option value="residual">{{_}}Residual: a share of what the customer paid for recurring charges{{/_}}</option>
<option value="nrc">{{_}}One-time: on a service's activation{{/_}}</option>
<option value="usage">{{_}}Usage: a share of what the customer paid for usage{{/_}}</option>
<option value="override">{{_}}Override: on sub-partners' sales, by level{{/_}}</option>
<option value="sales">{{_}}Distributor sales commission: on an account's opening balance{{/_}}</option>
<option value="payment">{{_}}Distributor payment commission: on a cash payment it records{{/_}}</option>
</select>
<label for="cr-product">{{_}}Product{{/_}}</label>
<select id="cr-product" name="product"><option value="">{{_}}every product{{/_}}</option>{{#PRODUCTS}}<option value="{{ID}}">{{NAME}}</option>{{/PRODUCTS}}</select>
<label for="cr-category">{{_}}or category{{/_}}</label>
<select id="cr-category" name="category"><option value="">{{_}}none{{/_}}</option>{{#CATEGORIES}}<option value="{{ID}}">{{NAME}}</option>{{/CATEGORIES}}</select>
<label for="cr-calc">{{_}}Calculation{{/_}}</label>
<select id="cr-calc" name="calc"><option value="percent">{{_}}a percentage{{/_}}</option><option value="fixed">{{_}}a fixed amount (one-time only){{/_}}</option></select>
<label for="cr-percent">{{_}}Rate (%){{/_}}</label><input id="cr-percent" name="percent" value="{{PERCENT}}" inputmode="decimal" maxlength="16">
<label for="cr-amount">{{_}}Fixed amount{{/_}}</label><input id="cr-amount" name="amount" value="{{AMOUNT}}" inputmode="decimal" maxlength="32">
<label for="cr-months">{{_}}Months (residual; empty: for life){{/_}}</label><input id="cr-months" name="months" value="{{MONTHS}}" inputmode="numeric" maxlength="4">
<label for="cr-level">{{_}}Level (override: 1 = its own sub-partners){{/_}}</label><input id="cr-level" name="level" value="{{LEVEL}}" inputmode="numeric" maxlength="2">
<label for="cr-basis">{{_}}Override basis{{/_}}</label>
<select id="cr-basis" name="basis"><option value="commission">{{_}}the sub-partner's commission{{/_}}</option><option value="revenue">{{_}}the revenue{{/_}}</option></select>
<label for="cr-cb">{{_}}Chargeback days (one-time){{/_}}</label><input id="cr-cb" name="chargeback_days" value="{{CHARGEBACK_DAYS}}" inputmode="numeric" maxlength="4">
<label for="cr-from">{{_}}Valid from{{/_}}</label><input id="cr-from" name="valid_from" type="date" value="{{VALID_FROM}}" required>
<label for="cr-to">{{_}}Valid to (empty: open){{/_}}</label><input id="cr-to" name="valid_to" type="date" value="{{VALID_TO}}">
<label for="cr-replaces">{{_}}Replaces rule (its last day becomes the day before){{/_}}</label><input id="cr-replaces" name="replaces" value="{{REPLACES}}" inputmode="numeric" maxlength="20">
<button type="submit">{{_}}Add the rule{{/_}}</button>
</form>
{{/FORM}}
<h2>{{_}}Partners on this plan{{/_}}</h2>
<ul class="cms-partners">{{#PARTNERS}}<li>{{NAME}} ({{KIND_LABEL}})</li>{{/PARTNERS}}</ul>
{{#PARTNERS_EMPTY}}<p>{{_}}No partner is on this plan.{{/_}}</p>{{/PARTNERS_EMPTY}}
<form method="post" action="/commissions/assignments" class="tp-form cms-assign">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="plan" value="{{PLAN_ID}}">
<input type="hidden" name="back" value="/commissions/plans/{{PLAN_ID}}">
<label for="ca-partner">{{_}}Partner{{/_}}</label>
<select id="ca-partner" name="partner" required>{{#ALL_PARTNERS}}<option value="{{ID}}">{{NAME}}</option>{{/ALL_PARTNERS}}</select>
<button type="submit">{{_}}Put the partner on this plan{{/_}}</button>
</form>
