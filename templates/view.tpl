{{%AUTOESCAPE context="HTML"}}
<h1>Currently viewing: <span class="tp-current">{{VIEWING}}</span></h1>
<p>Choose whose portal to see. Every page and API call shows only what lies below your choice until you change it.</p>
<ul class="tp-switcher partners">
{{#PARTNERS}}<li class="depth-{{DEPTH}}">
<form method="post" action="/view/partner/{{ID}}" class="tp-inline">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<button type="submit" name="partner" value="{{ID}}"{{#CURRENT}} aria-current="true" disabled{{/CURRENT}}>{{NAME}}</button> <small>{{KIND}}</small>
</form></li>
{{/PARTNERS}}
</ul>
<ul class="tp-switcher accounts">
{{#ACCOUNTS}}<li class="depth-{{DEPTH}}">
<form method="post" action="/view/account/{{ID}}" class="tp-inline">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<button type="submit" name="account" value="{{ID}}"{{#CURRENT}} aria-current="true" disabled{{/CURRENT}}>{{NUMBER}} {{NAME}}</button>{{#DEPTH_EMPTY}} <small>(entire corporate view)</small>{{/DEPTH_EMPTY}}
</form></li>
{{/ACCOUNTS}}
</ul>
