{{%AUTOESCAPE context="HTML"}}
{{! layout.tpl -- the page frame every HTML response is rendered in; the page }}
{{! itself is the CONTENT include. Keys: PAGE_TITLE, SITE_NAME, BRAND, }}
{{! REQUEST_ID, MENU (LABEL, HREF, ACTIVE, COUNT; or LABEL, MENU_GROUP {ITEMS}), SIGNED_IN, USER_NAME, VIEWING, CSRF_TOKEN, }}
{{! VIEW_SWITCH (NOW: LABEL, NUMBER, AS_CUSTOMER, READ_ONLY; BACK; SEARCH; GROUPS: LABEL, OPTIONS: VALUE, TEXT, CURRENT) or VIEWING_LINK, }}
{{! BRAND_LOGO, BRAND_PHONE, BRAND_EMAIL, BRAND_SOCIAL (NAME, LABEL, URL) when the brand has them, FAVICON. The brand's }}
{{! colours and custom CSS come from /brand.css. A brand overrides it with }}
{{! <brand_dir>/<brand>/layout.tpl. No inline script or style (CSP). }}
<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{#PAGE_TITLE}}{{PAGE_TITLE}} | {{/PAGE_TITLE}}{{SITE_NAME}}</title>
<link rel="icon" href="{{FAVICON}}">
<link rel="stylesheet" href="/static/css/tierport.css">
<link rel="stylesheet" href="/brand.css">
</head>
<body class="tp" data-brand="{{BRAND}}">
<a class="tp-skip" href="#tp-main">{{_}}Skip to content{{/_}}</a>
<header class="tp-header">
<a class="tp-site" href="/">{{#BRAND_LOGO}}<img class="tp-logo" src="{{BRAND_LOGO}}" alt="">{{/BRAND_LOGO}}{{SITE_NAME}}</a>
<nav class="tp-nav" aria-label="{{_}}Main{{/_}}">
<ul>
{{#MENU}}{{#MENU_GROUP}}<li class="tp-group"><span class="tp-group-label">{{LABEL}}</span><ul>{{#ITEMS}}<li><a href="{{HREF}}"{{#ACTIVE}} aria-current="page"{{/ACTIVE}}>{{LABEL}}{{#COUNT}} <span class="tp-count">{{COUNT}}</span>{{/COUNT}}</a></li>{{/ITEMS}}</ul></li>
{{/MENU_GROUP}}{{#HREF}}<li><a href="{{HREF}}"{{#ACTIVE}} aria-current="page"{{/ACTIVE}}>{{LABEL}}{{#COUNT}} <span class="tp-count">{{COUNT}}</span>{{/COUNT}}</a></li>
{{/HREF}}{{/MENU}}
</ul>
</nav>
{{#SIGNED_IN}}<div class="tp-user">{{_}}Signed in as <span class="tp-user-name">{{USER_NAME}}</span>{{/_}}
{{#VIEW_SWITCH}}{{#NOW}}{{#AS_CUSTOMER}}<p class="tp-viewing-as" role="status">{{_}}Viewing as customer {{NUMBER}} {{LABEL}}{{/_}}{{#READ_ONLY}} {{_}}(read-only){{/_}}{{/READ_ONLY}}</p>{{/AS_CUSTOMER}}{{/NOW}}
{{#SEARCH}}&middot; {{_}}currently viewing <a class="tp-viewing" href="/view">{{VIEWING}}</a>{{/_}} <form method="get" action="/view" class="tp-viewswitch" role="search"><label for="tp-view-q">{{_}}Find another view{{/_}}</label> <input type="search" id="tp-view-q" name="q" placeholder="{{_}}name or number{{/_}}"><input type="hidden" name="back" value="{{BACK}}"> <button type="submit">{{_}}Find{{/_}}</button></form>{{/SEARCH}}
{{#SEARCH_EMPTY}}<form method="post" action="/view/switch" class="tp-viewswitch"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="back" value="{{BACK}}"><label for="tp-view-to">{{_}}Currently viewing{{/_}}</label> <select id="tp-view-to" name="to">{{#GROUPS}}<optgroup label="{{LABEL}}">{{#OPTIONS}}<option value="{{VALUE}}"{{#CURRENT}} selected{{/CURRENT}}>{{TEXT}}</option>{{/OPTIONS}}</optgroup>{{/GROUPS}}</select> <button type="submit">{{_}}Switch{{/_}}</button></form>{{/SEARCH_EMPTY}}
{{/VIEW_SWITCH}}{{#VIEWING_LINK}}&middot; {{_}}currently viewing <a class="tp-viewing" href="/view">{{VIEWING}}</a>{{/_}}{{/VIEWING_LINK}}
<form method="post" action="/logout" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit" class="tp-link">{{_}}Sign out{{/_}}</button></form></div>{{/SIGNED_IN}}
</header>
<main class="tp-main" id="tp-main">
{{>CONTENT}}
</main>
<footer class="tp-footer">
<small>{{SITE_NAME}}{{#BRAND_PHONE}} &middot; <span class="tp-support-phone">{{BRAND_PHONE}}</span>{{/BRAND_PHONE}}{{#BRAND_EMAIL}} &middot; <a class="tp-support-email" href="mailto:{{BRAND_EMAIL}}">{{BRAND_EMAIL}}</a>{{/BRAND_EMAIL}}{{#SIGNED_IN}} &middot; <a href="/help/contact">{{_}}Contact us{{/_}}</a>{{/SIGNED_IN}} &middot; {{_}}reference <code>{{REQUEST_ID}}</code>{{/_}}</small>
{{#BRAND_HAS_SOCIAL}}<nav class="tp-social" aria-label="{{_}}Follow us{{/_}}"><ul>{{#BRAND_SOCIAL}}<li><a class="tp-social-{{NAME}}" href="{{URL}}" rel="noopener">{{LABEL}}</a></li>{{/BRAND_SOCIAL}}</ul></nav>{{/BRAND_HAS_SOCIAL}}
</footer>
</body>
</html>
