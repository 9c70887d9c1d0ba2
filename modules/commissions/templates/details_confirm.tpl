{{%AUTOESCAPE context="HTML"}}
{{! details_confirm.tpl -- the mailed link's page: a button, since opening a link changes nothing }}
<h1>Confirm the payout bank account</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>Confirm that your commission payouts go to the bank account entered on your <a href="/commissions/payout-details">payout details</a> page.</p>
<form method="post" action="/commissions/payout-details/confirm" class="tp-form cms-details-confirm">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="token" value="{{TOKEN}}">
<button type="submit">Confirm the bank account</button>
</form>
