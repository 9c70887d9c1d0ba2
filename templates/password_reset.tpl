{{%AUTOESCAPE context="HTML"}}
<section class="tp-login">
<h1>{{_}}Choose a new password{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#LINK_OK}}
<form method="post" action="/password/reset" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<input type="hidden" name="token" value="{{TOKEN}}">
<label for="new_password">{{_}}New password <small>(at least 10 characters, of two kinds or more: lower case, upper case, digits, others)</small>{{/_}}</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10" maxlength="128" autofocus>
<label for="confirm_password">{{_}}New password again{{/_}}</label>
<input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required minlength="10" maxlength="128">
{{#NEEDS_CODE}}
<label for="security_code">{{_}}Your security code <small>(the one you set in your profile)</small>{{/_}}</label>
<input id="security_code" name="security_code" type="password" autocomplete="off" required minlength="6" maxlength="12">
{{/NEEDS_CODE}}
<button type="submit">{{_}}Set the new password{{/_}}</button>
</form>
<p>{{_}}Every place where you are signed in will be signed out.{{/_}}</p>
{{/LINK_OK}}
{{#LINK_OK_EMPTY}}
<p><a href="/password/forgot">{{_}}Ask for a new link{{/_}}</a></p>
{{/LINK_OK_EMPTY}}
<p><a href="/login">{{_}}Back to sign in{{/_}}</a></p>
</section>
