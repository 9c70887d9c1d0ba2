{{%AUTOESCAPE context="HTML"}}
{{! settings.tpl -- the brand's commission settings (operators) }}
<h1>{{_}}Commission settings{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#SETTINGS}}
<form method="post" action="/commissions/settings" class="tp-form cms-settings">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="cs-hold">{{_}}Hold (days a line stays pending; a refund inside it cancels the line){{/_}}</label><input id="cs-hold" name="hold_days" value="{{HOLD_DAYS_VALUE}}" required inputmode="numeric" maxlength="3">
<label for="cs-min">{{_}}Minimum payout ({{CURRENCY}}){{/_}}</label><input id="cs-min" name="min_payout" value="{{MIN_PAYOUT_VALUE}}" required inputmode="decimal" maxlength="32">
<label for="cs-cap">{{_}}Cap: the most a revenue line pays out, every level together (%; 0: no cap){{/_}}</label><input id="cs-cap" name="cap" value="{{CAP_VALUE}}" required inputmode="decimal" maxlength="16">
<label for="cs-provider">{{_}}Payout provider{{/_}}</label><input id="cs-provider" name="payout_provider" value="{{PAYOUT_PROVIDER_VALUE}}" required maxlength="32">
<button type="submit">{{_}}Save the commission settings{{/_}}</button>
</form>
{{/SETTINGS}}
