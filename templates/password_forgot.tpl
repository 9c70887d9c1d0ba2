{{%AUTOESCAPE context="HTML"}}
<section class="tp-login">
<h1>{{_}}Forgotten password{{/_}}</h1>
{{#SENT}}<p class="tp-ok" role="status">{{MESSAGE}}</p>{{/SENT}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>{{#BRAND_NAME}}{{_}}Enter your login and we will e-mail you a link to choose a new password for {{BRAND_NAME}}.{{/_}}{{/BRAND_NAME}}{{#BRAND_NAME_EMPTY}}{{_}}Enter your login and we will e-mail you a link to choose a new password.{{/_}}{{/BRAND_NAME_EMPTY}}</p>
<form method="post" action="/password/forgot" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<label for="login">{{_}}Login or account number{{/_}}</label>
<input id="login" name="login" value="{{LOGIN}}" autocomplete="username" required autofocus maxlength="128">
<button type="submit">{{_}}Send me a link{{/_}}</button>
</form>
<p><a href="/login">{{_}}Back to sign in{{/_}}</a></p>
</section>
