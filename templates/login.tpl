{{%AUTOESCAPE context="HTML"}}
{{! login.tpl -- sign-in: one name field (a login or an account number: the name says which, }}
{{! the brand decides when it could be both; login.c), password, one-time code. }}
<section class="tp-login">
<h1>{{#BRAND_NAME}}{{_}}Sign in to {{BRAND_NAME}}{{/_}}{{/BRAND_NAME}}{{#BRAND_NAME_EMPTY}}{{_}}Sign in{{/_}}{{/BRAND_NAME_EMPTY}}</h1>
{{#RESET_DONE}}<p class="tp-ok" role="status">{{_}}Your password has been changed. Sign in with the new one.{{/_}}</p>{{/RESET_DONE}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form method="post" action="/login" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<input type="hidden" name="next" value="{{NEXT}}">
<label for="login">{{_}}Login or account number{{/_}}</label>
<input id="login" name="login" value="{{LOGIN}}" autocomplete="username" required autofocus>
<label for="password">{{_}}Password{{/_}}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<label for="otp">{{_}}One-time code <small>(if your login uses two-factor sign-in)</small>{{/_}}</label>
<input id="otp" name="otp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code">
<button type="submit">{{_}}Sign in{{/_}}</button>
</form>
<p><a href="/password/forgot">{{_}}Forgot your password?{{/_}}</a></p>
</section>
