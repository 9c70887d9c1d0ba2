{{%AUTOESCAPE context="HTML"}}
{{! plan.tpl -- one commission plan: its rules, its partners (operators) }}
{{#PLAN}}<h1>Commission plan {{NAME}}</h1>
<p>{{DESCRIPTION}} Fixed amounts in {{CURRENCY}}. <a href="/commissions/plans">All plans</a></p>{{/PLAN}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<h2>Rules</h2>
<p>A rule pays on revenue dated from its first to its last day. A change is a new rule that replaces the old one from a date: commission already computed keeps the rate it was computed with.</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Rules">
<table class="tp-table cms-rules">
<thead><tr><th scope="col">Rule</th><th scope="col">Kind</th><th scope="col">For</th><th scope="col" class="num">Pays</th><th scope="col">Details</th><th scope="col">Valid from</th><th scope="col">Valid to</th><th scope="col">End it</th></tr></thead>
<tbody>
{{#RULES}}<tr{{#CURRENT}} class="cms-current"{{/CURRENT}}><td>{{ID}}</td><td>{{KIND}}</td><td>{{APPLIES_TO}}</td><td class="num">{{PAYS}}</td><td>{{#LEVEL}}level {{LEVEL}} on {{BASIS}} {{/LEVEL}}{{#MONTHS}}for {{MONTHS}} months {{/MONTHS}}{{#CHARGEBACK_DAYS}}taken back if cancelled within {{CHARGEBACK_DAYS}} days{{/CHARGEBACK_DAYS}}</td><td>{{VALID_FROM}}</td><td>{{VALID_TO}}</td>
<td>{{#CURRENT}}<form method="post" action="/commissions/plans/{{PLAN_ID}}/rules/{{ID}}/end" class="tp-inline">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="end-{{ID}}" class="tp-sr">Last day of rule {{ID}}</label><input id="end-{{ID}}" name="valid_to" type="date" required>
<button type="submit">End<span class="tp-sr"> rule {{ID}}</span></button></form>{{/CURRENT}}</td></tr>
{{/RULES}}
{{#RULES_EMPTY}}<tr><td colspan="8">No rules yet.</td></tr>{{/RULES_EMPTY}}
</tbody></table></div>
<h2>Add a rule</h2>
{{#FORM}}
<form method="post" action="/commissions/plans/{{PLAN_ID}}/rules" class="tp-form cms-rule-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="cr-kind">Kind</label>
<select id="cr-kind" name="kind" required>
<option value="residual">Residual: a share of what the customer paid for recurring charges</option>
<option value="nrc">One-time: on a service's activation</option>
<option value="usage">Usage: a share of what the customer paid for usage</option>
<option value="override">Override: on sub-partners' sales, by level</option>
<option value="sales">Distributor sales commission: on an account's opening balance</option>
<option value="payment">Distributor payment commission: on a cash payment it records</option>
</select>
<label for="cr-product">Product</label>
<select id="cr-product" name="product"><option value="">every product</option>{{#PRODUCTS}}<option value="{{ID}}">{{NAME}}</option>{{/PRODUCTS}}</select>
<label for="cr-category">or category</label>
<select id="cr-category" name="category"><option value="">none</option>{{#CATEGORIES}}<option value="{{ID}}">{{NAME}}</option>{{/CATEGORIES}}</select>
<label for="cr-calc">Calculation</label>
<select id="cr-calc" name="calc"><option value="percent">a percentage</option><option value="fixed">a fixed amount (one-time only)</option></select>
<label for="cr-percent">Rate (%)</label><input id="cr-percent" name="percent" value="{{PERCENT}}" inputmode="decimal" maxlength="16">
<label for="cr-amount">Fixed amount</label><input id="cr-amount" name="amount" value="{{AMOUNT}}" inputmode="decimal" maxlength="32">
<label for="cr-months">Months (residual; empty: for life)</label><input id="cr-months" name="months" value="{{MONTHS}}" inputmode="numeric" maxlength="4">
<label for="cr-level">Level (override: 1 = its own sub-partners)</label><input id="cr-level" name="level" value="{{LEVEL}}" inputmode="numeric" maxlength="2">
<label for="cr-basis">Override basis</label>
<select id="cr-basis" name="basis"><option value="commission">the sub-partner's commission</option><option value="revenue">the revenue</option></select>
<label for="cr-cb">Chargeback days (one-time)</label><input id="cr-cb" name="chargeback_days" value="{{CHARGEBACK_DAYS}}" inputmode="numeric" maxlength="4">
<label for="cr-from">Valid from</label><input id="cr-from" name="valid_from" type="date" value="{{VALID_FROM}}" required>
<label for="cr-to">Valid to (empty: open)</label><input id="cr-to" name="valid_to" type="date" value="{{VALID_TO}}">
<label for="cr-replaces">Replaces rule (its last day becomes the day before)</label><input id="cr-replaces" name="replaces" value="{{REPLACES}}" inputmode="numeric" maxlength="20">
<button type="submit">Add the rule</button>
</form>
{{/FORM}}
<h2>Partners on this plan</h2>
<ul class="cms-partners">{{#PARTNERS}}<li>{{NAME}} ({{KIND}})</li>{{/PARTNERS}}</ul>
{{#PARTNERS_EMPTY}}<p>No partner is on this plan.</p>{{/PARTNERS_EMPTY}}
<form method="post" action="/commissions/assignments" class="tp-form cms-assign">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="plan" value="{{PLAN_ID}}">
<input type="hidden" name="back" value="/commissions/plans/{{PLAN_ID}}">
<label for="ca-partner">Partner</label>
<select id="ca-partner" name="partner" required>{{#ALL_PARTNERS}}<option value="{{ID}}">{{NAME}}</option>{{/ALL_PARTNERS}}</select>
<button type="submit">Put the partner on this plan</button>
</form>
