{{%AUTOESCAPE context="HTML"}}
<h1>{{#USER}}{{NAME}}{{/USER}}</h1>
{{#USER}}
<dl class="tp-me">
<dt>Login</dt><dd class="login">{{LOGIN}}</dd>
<dt>Login type</dt><dd class="kind">{{KIND}}</dd>
</dl>
{{/USER}}
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">Sign out</button></form>
<form method="post" action="/logout/everywhere"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">Sign out everywhere</button></form>
