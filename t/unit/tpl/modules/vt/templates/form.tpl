{{%AUTOESCAPE context="HTML"}}
<form class="vt-form" method="post">
{{#ERROR}}<p class="form-error" data-status="{{STATUS}}">{{MESSAGE}}</p>{{/ERROR}}
<input name="amount" value="{{AMOUNT}}"{{#ERROR_FIELD_AMOUNT}} class="invalid"{{/ERROR_FIELD_AMOUNT}}>
</form>
