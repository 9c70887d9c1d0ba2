{{%AUTOESCAPE context="HTML"}}
{{#ACCOUNT}}
<h1>{{NAME}}</h1>
<dl class="tp-facts account" data-id="{{ID}}">
<dt>{{_}}Number{{/_}}</dt><dd>{{NUMBER}}</dd>
<dt>{{_}}Account type{{/_}}</dt><dd>{{KIND}}</dd>
<dt>{{_}}Status{{/_}}</dt><dd>{{STATUS}}</dd>
<dt>{{_}}Currency{{/_}}</dt><dd>{{CURRENCY}}</dd>
<dt>{{_}}Partner{{/_}}</dt><dd>{{PARTNER}}</dd>
<dt>{{_}}Contact{{/_}}</dt><dd>{{CONTACT_NAME}}</dd>
<dt>{{_}}E-mail{{/_}}</dt><dd>{{EMAIL}}</dd>
<dt>{{_}}Phone{{/_}}</dt><dd>{{PHONE}}</dd>
<dt>{{_}}Credit limit{{/_}}</dt><dd>{{CREDIT_LIMIT}} {{CURRENCY}}</dd>
<dt>{{_}}Balance{{/_}}</dt><dd>{{BALANCE}} {{CURRENCY}}</dd>
{{#CLOSED_AT}}<dt>{{_}}Closed{{/_}}</dt><dd>{{CLOSED_AT}}</dd>{{/CLOSED_AT}}
</dl>
{{/ACCOUNT}}
<h2>{{_}}Locations{{/_}}</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Locations (scrolls sideways){{/_}}"><table class="tp-table locations">
<thead><tr><th>{{_}}Name{{/_}}</th><th>{{_}}Street{{/_}}</th><th>{{_}}City{{/_}}</th><th>{{_}}Postcode{{/_}}</th><th>{{_}}Country{{/_}}</th><th>{{_}}Bill To{{/_}}</th></tr></thead>
<tbody>{{#LOCATIONS}}<tr data-id="{{ID}}"><td>{{NAME}}</td><td>{{STREET}}</td><td>{{CITY}}</td><td>{{POSTCODE}}</td><td>{{COUNTRY}}</td><td>{{BILL_TO}}{{#EDIT_HREF}} <a class="location-edit" href="{{EDIT_HREF}}">{{_}}Edit{{/_}}</a>{{/EDIT_HREF}}{{#BILL_TO_FORM}}<form method="post" action="/accounts/{{ACCOUNT_ID}}/locations/{{ID}}" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="is_bill_to" value="1"><button type="submit">{{_}}Make Bill To{{/_}}</button></form>{{/BILL_TO_FORM}}</td></tr>{{/LOCATIONS}}</tbody>
</table></div>
{{#LOCATIONS_EMPTY}}<p>{{_}}No locations.{{/_}}</p>{{/LOCATIONS_EMPTY}}
{{#ACCOUNT}}<p><a href="/accounts/{{ID}}/locations">{{_}}All locations{{/_}}</a></p>{{/ACCOUNT}}
<h2>{{_}}Services{{/_}}</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Services (scrolls sideways){{/_}}"><table class="tp-table services">
<thead><tr><th>{{_}}Service{{/_}}</th><th>{{_}}Account{{/_}}</th><th>{{_}}Product{{/_}}</th><th>{{_}}Phone number{{/_}}</th><th>{{_}}Start date{{/_}}</th><th>{{_}}Term end{{/_}}</th><th>{{_}}Periodic charge{{/_}}</th><th>{{_}}Status{{/_}}</th></tr></thead>
<tbody>{{#SERVICES}}<tr data-id="{{ID}}"><td>{{ID}}</td><td>{{ACCOUNT}}</td><td>{{PRODUCT}} ({{TYPE}})</td><td>{{PHONE_NUMBER}}</td><td>{{START_DATE}}</td><td>{{TERM_END}}</td><td>{{PERIODIC_CHARGE}} {{CURRENCY}} {{BILL_CYCLE}}</td><td>{{STATUS}}{{#STATUS_FORM}}<form method="post" action="/accounts/{{ACCOUNT_ID}}/services/{{ID}}/status" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><select name="status" aria-label="{{_}}New status{{/_}}">{{#STATES}}<option value="{{VALUE}}"{{#CURRENT}} selected{{/CURRENT}}>{{VALUE}}</option>{{/STATES}}</select><button type="submit">{{_}}Set{{/_}}</button></form>{{/STATUS_FORM}}</td></tr>{{/SERVICES}}</tbody>
</table></div>
{{#SERVICES_EMPTY}}<p>{{_}}No services.{{/_}}</p>{{/SERVICES_EMPTY}}
{{#ACCOUNT}}<p><a href="/accounts/{{ID}}/services">{{_}}All services{{/_}}</a></p>{{/ACCOUNT}}
<h2>{{_}}Sub-accounts{{/_}}</h2>
<ul class="sub-accounts">{{#SUB_ACCOUNTS}}<li><a href="/accounts/{{ID}}">{{NUMBER}}</a> {{NAME}}</li>{{/SUB_ACCOUNTS}}</ul>
{{#SUB_ACCOUNTS_EMPTY}}<p>{{_}}None.{{/_}}</p>{{/SUB_ACCOUNTS_EMPTY}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#SAVED}}<p class="tp-note" role="status">{{_}}Saved.{{/_}}</p>{{/SAVED}}
{{#FORMS}}
{{#ADD_SUB}}
<h2 id="add-sub">{{_}}Add a sub-account{{/_}}</h2>
<form method="post" action="/accounts/{{ACCOUNT_ID}}/subaccounts" class="tp-form subaccount-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="sub-number">{{_}}Account number{{/_}}</label><input id="sub-number" name="number" required maxlength="32">
<label for="sub-name">{{_}}Name{{/_}}</label><input id="sub-name" name="name" required maxlength="128">
<button type="submit">{{_}}Add sub-account{{/_}}</button>
</form>
{{/ADD_SUB}}
{{#CAN_EDIT}}
<h2 id="edit">{{_}}Edit the customer{{/_}}</h2>
<form method="post" action="/accounts/{{ACCOUNT_ID}}" class="tp-form account-edit">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
{{#CURRENT}}
<label for="ed-name">{{_}}Name{{/_}}</label><input id="ed-name" name="name" required maxlength="128" value="{{NAME}}">
<label for="ed-contact">{{_}}Contact name{{/_}}</label><input id="ed-contact" name="contact_name" maxlength="128" value="{{CONTACT_NAME}}">
<label for="ed-email">{{_}}E-mail{{/_}}</label><input id="ed-email" name="email" type="email" maxlength="255" value="{{EMAIL}}">
<label for="ed-phone">{{_}}Phone{{/_}}</label><input id="ed-phone" name="phone" maxlength="32" value="{{PHONE}}">
<label for="ed-credit">{{_}}Credit limit{{/_}}</label><input id="ed-credit" name="credit_limit" inputmode="decimal" value="{{CREDIT_LIMIT}}">
{{/CURRENT}}
<button type="submit">{{_}}Save{{/_}}</button>
</form>
{{/CAN_EDIT}}
{{#CAN_ADD}}
<p><a href="/accounts/{{ACCOUNT_ID}}/locations/new">{{_}}Add a location{{/_}}</a></p>
<h2 id="add-service">{{_}}Add a service{{/_}}</h2>
<form method="post" action="/accounts/{{ACCOUNT_ID}}/services" class="tp-form service-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="svc-product">{{_}}Product{{/_}}</label>
<select id="svc-product" name="product_id" required>{{#PRODUCTS}}<option value="{{ID}}">{{NAME}} ({{TYPE}}, {{CURRENCY}})</option>{{/PRODUCTS}}</select>
<label for="svc-status">{{_}}Status{{/_}}</label>
<select id="svc-status" name="status"><option value="pending">{{_}}pending{{/_}}</option><option value="active">{{_}}active{{/_}}</option></select>
<label for="svc-start">{{_}}Start date{{/_}}</label><input id="svc-start" name="start_date" type="date">
<label for="svc-phone">{{_}}Phone number (SIP accounts, lines: typed in){{/_}}</label><input id="svc-phone" name="phone_number" maxlength="17" placeholder="+4930123456">
<label for="svc-btn">{{_}}Billing telephone number (BTN){{/_}}</label><input id="svc-btn" name="btn" maxlength="17">
<label for="svc-location">{{_}}Location{{/_}}</label>
<select id="svc-location" name="location_id"><option value="">{{_}}(none){{/_}}</option>{{#LOCATIONS}}<option value="{{ID}}">{{STREET}}, {{CITY}}</option>{{/LOCATIONS}}</select>
<label for="svc-parent">{{_}}PBX seat (extensions only){{/_}}</label>
<select id="svc-parent" name="parent_service_id"><option value="">{{_}}(none){{/_}}</option>{{#PBX_SEATS}}<option value="{{ID}}">{{_}}seat {{ID}} ({{ACCOUNT}}){{/_}}</option>{{/PBX_SEATS}}</select>
<label for="svc-periodic">{{_}}Periodic charge (empty: the product's){{/_}}</label><input id="svc-periodic" name="periodic_charge" inputmode="decimal">
<label for="svc-nrc">{{_}}One-time charge (empty: the product's){{/_}}</label><input id="svc-nrc" name="one_time_charge" inputmode="decimal">
<label for="svc-comments">{{_}}Comments{{/_}}</label><textarea id="svc-comments" name="comments" maxlength="500"></textarea>
<button type="submit">{{_}}Add service{{/_}}</button>
</form>
{{/CAN_ADD}}
{{#CAN_STATUS}}
<form method="post" action="/accounts/{{ACCOUNT_ID}}/status" class="tp-form account-status">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="acc-status">{{_}}Status{{/_}}</label>
<select id="acc-status" name="status">{{#STATES}}<option value="{{VALUE}}"{{#CURRENT}} selected{{/CURRENT}}>{{VALUE}}</option>{{/STATES}}</select>
<button type="submit">{{_}}Change status{{/_}}</button>
</form>
{{/CAN_STATUS}}
{{/FORMS}}
