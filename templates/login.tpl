{{%AUTOESCAPE context="HTML"}}
<section class="tp-login">
<h1>Sign in{{#BRAND_NAME}} to {{BRAND_NAME}}{{/BRAND_NAME}}</h1>
{{#RESET_DONE}}<p class="tp-ok" role="status">Your password has been changed. Sign in with the new one.</p>{{/RESET_DONE}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form method="post" action="/login" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<input type="hidden" name="next" value="{{NEXT}}">
<fieldset class="tp-login-as">
<legend>I am</legend>
<label><input type="radio" name="as" value="partner"{{#AS_CUSTOMER_EMPTY}} checked{{/AS_CUSTOMER_EMPTY}}> a partner or staff member</label>
<label><input type="radio" name="as" value="customer"{{#AS_CUSTOMER}} checked{{/AS_CUSTOMER}}> a customer</label>
</fieldset>
<label for="login">Login or account number</label>
<input id="login" name="login" value="{{LOGIN}}" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<label for="otp">One-time code <small>(if your login uses two-factor sign-in)</small></label>
<input id="otp" name="otp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code">
<button type="submit">Sign in</button>
</form>
<p><a href="/password/forgot{{#AS_CUSTOMER}}?as=customer{{/AS_CUSTOMER}}">Forgot your password?</a></p>
</section>
