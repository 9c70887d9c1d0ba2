{{%AUTOESCAPE context="HTML"}}
<h1>Terms and conditions</h1>
<div class="tp-terms">{{TEXT}}</div>
{{#ACCEPTED}}<p class="tp-ok">You have accepted these terms.</p>{{/ACCEPTED}}
{{#ACCEPTED_EMPTY}}
<form method="post" action="/terms/accept" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<button type="submit">I accept the terms and conditions</button>
</form>
{{/ACCEPTED_EMPTY}}
