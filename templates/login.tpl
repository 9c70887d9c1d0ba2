{{%AUTOESCAPE context="HTML"}}
{{! login.tpl -- sign-in: one name field (a login or an account number: the name says which, }}
{{! the brand decides when it could be both; login.c), password, one-time code. }}
<section class="tp-login">
<h1>Sign in{{#BRAND_NAME}} to {{BRAND_NAME}}{{/BRAND_NAME}}</h1>
{{#RESET_DONE}}<p class="tp-ok" role="status">Your password has been changed. Sign in with the new one.</p>{{/RESET_DONE}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form method="post" action="/login" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<input type="hidden" name="next" value="{{NEXT}}">
<label for="login">Login or account number</label>
<input id="login" name="login" value="{{LOGIN}}" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<label for="otp">One-time code <small>(if your login uses two-factor sign-in)</small></label>
<input id="otp" name="otp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code">
<button type="submit">Sign in</button>
</form>
<p><a href="/password/forgot">Forgot your password?</a></p>
</section>
