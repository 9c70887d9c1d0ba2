{{%AUTOESCAPE context="HTML"}}
<section class="tp-login">
<h1>Forgotten password</h1>
{{#SENT}}<p class="tp-ok" role="status">{{MESSAGE}}</p>{{/SENT}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>Enter your login and we will e-mail you a link to choose a new password{{#BRAND_NAME}} for {{BRAND_NAME}}{{/BRAND_NAME}}.</p>
<form method="post" action="/password/forgot" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="login">Login or account number</label>
<input id="login" name="login" value="{{LOGIN}}" autocomplete="username" required autofocus maxlength="128">
<button type="submit">Send me a link</button>
</form>
<p><a href="/login">Back to sign in</a></p>
</section>
