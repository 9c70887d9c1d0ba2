{{%AUTOESCAPE context="HTML"}}
{{! adjust.tpl -- an operator's manual credit, debit or write-off }}
<h1>Credit, debit or write off</h1>
{{#ACCOUNT}}<p>Account <a href="/accounts/{{ID}}/billing">{{NUMBER}} {{NAME}}</a>: {{BALANCE_WORDS}}. Above {{THRESHOLD_TEXT}} a second operator must approve.</p>{{/ACCOUNT}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#ACCOUNT}}
<form method="post" action="/accounts/{{ID}}/adjustments" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
<label for="adj-kind">Kind</label>
<select id="adj-kind" name="kind">{{#KINDS}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/KINDS}}</select>
<label for="adj-amount">Amount ({{CURRENCY}})</label>
<input id="adj-amount" name="amount" value="{{AMOUNT}}" required inputmode="decimal" maxlength="32">
<label for="adj-reason">Reason</label>
<select id="adj-reason" name="reason_code">{{#REASONS}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{VALUE}}</option>{{/REASONS}}</select>
<label for="adj-note">Note</label>
<input id="adj-note" name="note" value="{{NOTE}}" maxlength="500">
<button type="submit">Post</button>
</form>
{{/ACCOUNT}}
