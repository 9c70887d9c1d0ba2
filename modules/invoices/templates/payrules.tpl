{{%AUTOESCAPE context="HTML"}}
{{! payrules.tpl -- the brand's payment rules (operators; methods.c pay_rules_page) }}
<h1>{{_}}Payment rules{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#RULES}}
<form method="post" action="/billing/payment-rules" class="tp-form pay-rules">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label class="tp-check"><input type="checkbox" name="can_delete_methods" value="1"{{#CAN_DELETE_METHODS}} checked{{/CAN_DELETE_METHODS}}> {{_}}Customers may remove their payment methods{{/_}}</label>
<label class="tp-check"><input type="checkbox" name="can_leave_autopay" value="1"{{#CAN_LEAVE_AUTOPAY}} checked{{/CAN_LEAVE_AUTOPAY}}> {{_}}Customers may leave automatic payments{{/_}}</label>
<label class="tp-check"><input type="checkbox" name="block_prepaid_at_zero" value="1"{{#BLOCK_PREPAID_AT_ZERO}} checked{{/BLOCK_PREPAID_AT_ZERO}}> {{_}}Block prepaid accounts at zero: their services are suspended while they have no funds, and come back within minutes of a top-up{{/_}}</label>
<label for="pr-dunning">{{_}}Retry a declined automatic payment this many days after the first decline (like 1,3,7; empty: never){{/_}}</label>
<input id="pr-dunning" name="dunning_days" value="{{DUNNING_DAYS}}" maxlength="63">
<button type="submit">{{_}}Save the payment rules{{/_}}</button>
</form>
{{/RULES}}
