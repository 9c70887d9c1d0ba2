{{%AUTOESCAPE context="HTML"}}
{{! settings.tpl -- the brand's commission settings (operators) }}
<h1>Commission settings</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#SETTINGS}}
<form method="post" action="/commissions/settings" class="tp-form cms-settings">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="cs-hold">Hold (days a line stays pending; a refund inside it cancels the line)</label><input id="cs-hold" name="hold_days" value="{{HOLD_DAYS_VALUE}}" required inputmode="numeric" maxlength="3">
<label for="cs-min">Minimum payout ({{CURRENCY}})</label><input id="cs-min" name="min_payout" value="{{MIN_PAYOUT_VALUE}}" required inputmode="decimal" maxlength="32">
<label for="cs-cap">Cap: the most a revenue line pays out, every level together (%; 0: no cap)</label><input id="cs-cap" name="cap" value="{{CAP_VALUE}}" required inputmode="decimal" maxlength="16">
<label for="cs-provider">Payout provider</label><input id="cs-provider" name="payout_provider" value="{{PAYOUT_PROVIDER_VALUE}}" required maxlength="32">
<button type="submit">Save the commission settings</button>
</form>
{{/SETTINGS}}
