{{%AUTOESCAPE context="HTML"}}
{{! admin_brand.tpl -- the viewer's own brand: settings form and host names. }}
{{! Keys: NAME, LOGO_URL, COLOR_PRIMARY, COLOR_ACCENT, CUSTOM_CSS, }}
{{! SUPPORT_PHONE, SUPPORT_EMAIL, SUPPORT_ADDRESS, PAYMENT_ADDRESS, }}
{{! TERMS_REQUIRED, TERMS_TEXT, TERMS_VERSION, BASE_URL, FAVICON_URL, OTHER_ADDRESS, }}
{{! LOGIN_FIRST (CUSTOMERS_FIRST), CSV_PLAIN, SOCIAL_LINKS (NAME, LABEL, }}
{{! URL), HOSTS (HOST, CURRENT), SAVED, ERROR. }}
<h1>{{_}}Brand settings{{/_}}</h1>
{{#SAVED}}<p class="tp-ok" role="status">{{_}}Saved.{{/_}}</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/admin/brand" class="tp-form brand-settings">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="name">{{_}}Name{{/_}}</label><input id="name" name="name" value="{{NAME}}" required maxlength="128">
<label for="logo_url">{{_}}Logo address (https:// or a path such as /static/logo.svg){{/_}}</label><input id="logo_url" name="logo_url" value="{{LOGO_URL}}" maxlength="255">
<label for="color_primary">{{_}}Primary colour{{/_}}</label><input id="color_primary" name="color_primary" type="color" value="{{COLOR_PRIMARY}}">
<label for="color_accent">{{_}}Accent colour{{/_}}</label><input id="color_accent" name="color_accent" type="color" value="{{COLOR_ACCENT}}">
<label for="favicon_url">{{_}}Favicon address (https:// or a path; empty: the portal's own){{/_}}</label><input id="favicon_url" name="favicon_url" value="{{FAVICON_URL}}" maxlength="255">
<label for="asset_hosts">{{_}}Image hosts (host names, space-separated: the pages may show images from these and the logo's host only){{/_}}</label><input id="asset_hosts" name="asset_hosts" value="{{ASSET_HOSTS}}" maxlength="512">
<label for="custom_css">{{_}}Custom CSS (at most 32 KB; served from /brand.css; no @import, and url() only of paths on this site){{/_}}</label><textarea id="custom_css" name="custom_css" rows="8" maxlength="32768">{{CUSTOM_CSS}}</textarea>
<label for="support_phone">{{_}}Customer service phone{{/_}}</label><input id="support_phone" name="support_phone" value="{{SUPPORT_PHONE}}" maxlength="32">
<label for="support_email">{{_}}Customer service e-mail{{/_}}</label><input id="support_email" name="support_email" type="email" value="{{SUPPORT_EMAIL}}" maxlength="255">
<label for="support_address">{{_}}Customer service address{{/_}}</label><input id="support_address" name="support_address" value="{{SUPPORT_ADDRESS}}" maxlength="255">
<label for="payment_address">{{_}}Payment address{{/_}}</label><input id="payment_address" name="payment_address" value="{{PAYMENT_ADDRESS}}" maxlength="255">
<label for="other_address">{{_}}Other address (shown on Help &gt; Contact us){{/_}}</label><input id="other_address" name="other_address" value="{{OTHER_ADDRESS}}" maxlength="255">
<label for="base_url">{{_}}Portal address in mails (such as https://portal.example.com; empty: the first host name){{/_}}</label><input id="base_url" name="base_url" value="{{BASE_URL}}" maxlength="255" placeholder="https://portal.example.com">
<label for="login_first">{{_}}A sign-in name that is both a customer's account number and a partner's or operator's login signs in as{{/_}}</label><select id="login_first" name="login_first"><option value="staff"{{#CUSTOMERS_FIRST_EMPTY}} selected{{/CUSTOMERS_FIRST_EMPTY}}>{{_}}the partner or operator{{/_}}</option><option value="customer"{{#CUSTOMERS_FIRST}} selected{{/CUSTOMERS_FIRST}}>{{_}}the customer{{/_}}</option></select>
<label for="language">{{_}}Language of the brand's pages <small>(a login may choose its own)</small>{{/_}}</label><select id="language" name="language">{{#LANGUAGES}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/LANGUAGES}}</select>
<label for="time_zone">{{_}}Time zone times are shown in <small>(a login may choose its own)</small>{{/_}}</label><select id="time_zone" name="time_zone">{{#TIME_ZONES}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/TIME_ZONES}}</select>
<label><input type="checkbox" name="csv_plain" value="1"{{#CSV_PLAIN}} checked{{/CSV_PLAIN}}> {{_}}Plain CSV for trusted spreadsheets: write every cell of a CSV export as it is, without the apostrophe before a cell that begins with = + - or @ (only if your users open exports in spreadsheets you trust){{/_}}</label><input type="hidden" name="csv_plain" value="0">
<fieldset class="social"><legend>{{_}}Social links (https:// addresses){{/_}}</legend>
{{#SOCIAL_LINKS}}<label for="social-{{NAME}}">{{LABEL}}</label><input id="social-{{NAME}}" name="social[{{NAME}}]" type="url" value="{{URL}}" maxlength="255">
{{/SOCIAL_LINKS}}</fieldset>
<fieldset class="terms"><legend>{{_}}Terms and conditions (version {{TERMS_VERSION}}; a changed text must be accepted again by everyone){{/_}}</legend>
<label><input type="checkbox" name="terms_required" value="1"{{#TERMS_REQUIRED}} checked{{/TERMS_REQUIRED}}> {{_}}Users must accept the terms{{/_}}</label><input type="hidden" name="terms_required" value="0">
<label for="terms_text">{{_}}Text{{/_}}</label><textarea id="terms_text" name="terms_text" rows="8" maxlength="32768">{{TERMS_TEXT}}</textarea>
</fieldset>
<button type="submit">{{_}}Save{{/_}}</button>
</form>
<h2 id="hosts">{{_}}Host names{{/_}}</h2>
<ul class="hosts">
{{#HOSTS}}<li data-host="{{HOST}}">{{HOST}}{{#CURRENT}} {{_}}(this one){{/_}}{{/CURRENT}}{{#CURRENT_EMPTY}}
<form method="post" action="/admin/brand/hosts/remove" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="host" value="{{HOST}}"><button type="submit" class="tp-link">{{_}}Remove{{/_}}</button></form>{{/CURRENT_EMPTY}}</li>
{{/HOSTS}}
</ul>
<form method="post" action="/admin/brand/hosts" class="tp-form host-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="host">{{_}}Add a host name{{/_}}</label><input id="host" name="host" maxlength="255" placeholder="portal.example.com">
<button type="submit">{{_}}Add{{/_}}</button>
</form>
