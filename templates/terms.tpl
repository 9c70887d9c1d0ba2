{{%AUTOESCAPE context="HTML"}}
<h1>{{_}}Terms and conditions{{/_}}</h1>
<div class="tp-terms">{{TEXT}}</div>
{{#ACCEPTED}}<p class="tp-ok">{{_}}You have accepted these terms.{{/_}}</p>{{/ACCEPTED}}
{{#ACCEPTED_EMPTY}}
<form method="post" action="/terms/accept" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<button type="submit">{{_}}I accept the terms and conditions{{/_}}</button>
</form>
{{/ACCEPTED_EMPTY}}
