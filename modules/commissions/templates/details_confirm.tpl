{{%AUTOESCAPE context="HTML"}}
{{! details_confirm.tpl -- the mailed link's page: a button, since opening a link changes nothing }}
<h1>{{_}}Confirm the payout bank account{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>{{_}}Confirm that your commission payouts go to the bank account entered on your <a href="/commissions/payout-details">payout details</a> page.{{/_}}</p>
<form method="post" action="/commissions/payout-details/confirm" class="tp-form cms-details-confirm">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="token" value="{{TOKEN}}">
<button type="submit">{{_}}Confirm the bank account{{/_}}</button>
</form>
