{{%AUTOESCAPE context="HTML"}}
{{! view.tpl -- GET /view: whom the login may view (its own subtree; a partner also its customers; }}
{{! an operator its whole brand, OWN_VIEW: its own view), narrowed by Q; each choice switches and goes BACK (a local path) or here. }}
<h1>{{_}}Currently viewing: <span class="tp-current">{{VIEWING}}</span>{{/_}}</h1>
{{#NOW}}{{#AS_CUSTOMER}}<p class="tp-viewing-as" role="status">{{_}}Viewing as customer {{NUMBER}} {{LABEL}}{{/_}}{{#READ_ONLY}} {{_}}(read-only): your login may look, not change anything{{/_}}{{/READ_ONLY}}</p>{{/AS_CUSTOMER}}{{/NOW}}
<p>{{_}}Choose whose portal to see. Every page and API call shows only what lies below your choice until you change it.{{/_}}</p>
<form method="get" action="/view" class="tp-filter" role="search">
<label for="view-q">{{_}}Name or number contains{{/_}}</label> <input type="search" id="view-q" name="q" value="{{Q}}">
{{#BACK}}<input type="hidden" name="back" value="{{BACK}}">{{/BACK}}
<button type="submit">{{_}}Find{{/_}}</button>
</form>
{{#OWN_VIEW}}<form method="post" action="/view/reset" class="tp-inline tp-switcher-own">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">{{#BACK}}<input type="hidden" name="back" value="{{BACK}}">{{/BACK}}
<button type="submit"{{#CURRENT}} aria-current="true" disabled{{/CURRENT}}>{{_}}Back to your own view: {{NAME}}{{/_}}</button>
</form>{{/OWN_VIEW}}
<ul class="tp-switcher partners">
{{#PARTNERS}}<li class="depth-{{DEPTH}}">
<form method="post" action="/view/partner/{{ID}}" class="tp-inline">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">{{#BACK}}<input type="hidden" name="back" value="{{BACK}}">{{/BACK}}
<button type="submit" name="partner" value="{{ID}}"{{#CURRENT}} aria-current="true" disabled{{/CURRENT}}>{{NAME}}</button> <small>{{KIND}}</small>
</form></li>
{{/PARTNERS}}
</ul>
<ul class="tp-switcher customers">
{{#CUSTOMERS}}<li>
<form method="post" action="/view/account/{{ID}}" class="tp-inline">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">{{#BACK}}<input type="hidden" name="back" value="{{BACK}}">{{/BACK}}
<button type="submit" name="account" value="{{ID}}"{{#CURRENT}} aria-current="true" disabled{{/CURRENT}}>{{_}}Customer {{NUMBER}} {{NAME}}{{/_}}</button>
</form></li>
{{/CUSTOMERS}}
</ul>
<ul class="tp-switcher accounts">
{{#ACCOUNTS}}<li class="depth-{{DEPTH}}">
<form method="post" action="/view/account/{{ID}}" class="tp-inline">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">{{#BACK}}<input type="hidden" name="back" value="{{BACK}}">{{/BACK}}
<button type="submit" name="account" value="{{ID}}"{{#CURRENT}} aria-current="true" disabled{{/CURRENT}}>{{NUMBER}} {{NAME}}</button>{{#DEPTH_EMPTY}} <small>{{_}}(entire corporate view){{/_}}</small>{{/DEPTH_EMPTY}}
</form></li>
{{/ACCOUNTS}}
</ul>
{{#NONE}}<p>{{_}}Nothing matches “{{Q}}”.{{/_}}</p>{{/NONE}}
