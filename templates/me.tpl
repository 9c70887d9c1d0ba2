{{%AUTOESCAPE context="HTML"}}
<h1>{{#USER}}{{NAME}}{{/USER}}</h1>
{{#USER}}
<dl class="tp-me">
<dt>{{_}}Login{{/_}}</dt><dd class="login">{{LOGIN}}</dd>
<dt>{{_}}Login type{{/_}}</dt><dd class="kind">{{KIND}}</dd>
</dl>
{{/USER}}
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">{{_}}Sign out{{/_}}</button></form>
<form method="post" action="/logout/everywhere"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">{{_}}Sign out everywhere{{/_}}</button></form>
