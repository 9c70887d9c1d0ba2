{{%AUTOESCAPE context="HTML"}}
{{#ACCOUNT}}
<h1>{{NAME}}</h1>
<dl class="tp-facts account" data-id="{{ID}}">
<dt>Number</dt><dd>{{NUMBER}}</dd>
<dt>Account type</dt><dd>{{KIND}}</dd>
<dt>Status</dt><dd>{{STATUS}}</dd>
<dt>Currency</dt><dd>{{CURRENCY}}</dd>
<dt>Partner</dt><dd>{{PARTNER}}</dd>
<dt>Contact</dt><dd>{{CONTACT_NAME}}</dd>
<dt>E-mail</dt><dd>{{EMAIL}}</dd>
<dt>Phone</dt><dd>{{PHONE}}</dd>
<dt>Credit limit</dt><dd>{{CREDIT_LIMIT}} {{CURRENCY}}</dd>
<dt>Balance</dt><dd>{{BALANCE}} {{CURRENCY}}</dd>
{{#CLOSED_AT}}<dt>Closed</dt><dd>{{CLOSED_AT}}</dd>{{/CLOSED_AT}}
</dl>
{{/ACCOUNT}}
<h2>Locations</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Locations (scrolls sideways)"><table class="tp-table locations">
<thead><tr><th>Name</th><th>Street</th><th>City</th><th>Postcode</th><th>Country</th><th>Bill To</th></tr></thead>
<tbody>{{#LOCATIONS}}<tr data-id="{{ID}}"><td>{{NAME}}</td><td>{{STREET}}</td><td>{{CITY}}</td><td>{{POSTCODE}}</td><td>{{COUNTRY}}</td><td>{{BILL_TO}}{{#EDIT_HREF}} <a class="location-edit" href="{{EDIT_HREF}}">Edit</a>{{/EDIT_HREF}}{{#BILL_TO_FORM}}<form method="post" action="/accounts/{{ACCOUNT_ID}}/locations/{{ID}}" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><input type="hidden" name="is_bill_to" value="1"><button type="submit">Make Bill To</button></form>{{/BILL_TO_FORM}}</td></tr>{{/LOCATIONS}}</tbody>
</table></div>
{{#LOCATIONS_EMPTY}}<p>No locations.</p>{{/LOCATIONS_EMPTY}}
{{#ACCOUNT}}<p><a href="/accounts/{{ID}}/locations">All locations</a></p>{{/ACCOUNT}}
<h2>Services</h2>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Services (scrolls sideways)"><table class="tp-table services">
<thead><tr><th>Service</th><th>Account</th><th>Product</th><th>Phone number</th><th>Start date</th><th>Term end</th><th>Periodic charge</th><th>Status</th></tr></thead>
<tbody>{{#SERVICES}}<tr data-id="{{ID}}"><td>{{ID}}</td><td>{{ACCOUNT}}</td><td>{{PRODUCT}} ({{TYPE}})</td><td>{{PHONE_NUMBER}}</td><td>{{START_DATE}}</td><td>{{TERM_END}}</td><td>{{PERIODIC_CHARGE}} {{CURRENCY}} {{BILL_CYCLE}}</td><td>{{STATUS}}{{#STATUS_FORM}}<form method="post" action="/accounts/{{ACCOUNT_ID}}/services/{{ID}}/status" class="tp-inline"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><select name="status" aria-label="New status">{{#STATES}}<option value="{{VALUE}}"{{#CURRENT}} selected{{/CURRENT}}>{{VALUE}}</option>{{/STATES}}</select><button type="submit">Set</button></form>{{/STATUS_FORM}}</td></tr>{{/SERVICES}}</tbody>
</table></div>
{{#SERVICES_EMPTY}}<p>No services.</p>{{/SERVICES_EMPTY}}
{{#ACCOUNT}}<p><a href="/accounts/{{ID}}/services">All services</a></p>{{/ACCOUNT}}
<h2>Sub-accounts</h2>
<ul class="sub-accounts">{{#SUB_ACCOUNTS}}<li><a href="/accounts/{{ID}}">{{NUMBER}}</a> {{NAME}}</li>{{/SUB_ACCOUNTS}}</ul>
{{#SUB_ACCOUNTS_EMPTY}}<p>None.</p>{{/SUB_ACCOUNTS_EMPTY}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#SAVED}}<p class="tp-note" role="status">Saved.</p>{{/SAVED}}
{{#FORMS}}
{{#ADD_SUB}}
<h2 id="add-sub">Add a sub-account</h2>
<form method="post" action="/accounts/{{ACCOUNT_ID}}/subaccounts" class="tp-form subaccount-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="sub-number">Account number</label><input id="sub-number" name="number" required maxlength="32">
<label for="sub-name">Name</label><input id="sub-name" name="name" required maxlength="128">
<button type="submit">Add sub-account</button>
</form>
{{/ADD_SUB}}
{{#CAN_EDIT}}
<h2 id="edit">Edit the customer</h2>
<form method="post" action="/accounts/{{ACCOUNT_ID}}" class="tp-form account-edit">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
{{#CURRENT}}
<label for="ed-name">Name</label><input id="ed-name" name="name" required maxlength="128" value="{{NAME}}">
<label for="ed-contact">Contact name</label><input id="ed-contact" name="contact_name" maxlength="128" value="{{CONTACT_NAME}}">
<label for="ed-email">E-mail</label><input id="ed-email" name="email" type="email" maxlength="255" value="{{EMAIL}}">
<label for="ed-phone">Phone</label><input id="ed-phone" name="phone" maxlength="32" value="{{PHONE}}">
<label for="ed-credit">Credit limit</label><input id="ed-credit" name="credit_limit" inputmode="decimal" value="{{CREDIT_LIMIT}}">
{{/CURRENT}}
<button type="submit">Save</button>
</form>
{{/CAN_EDIT}}
{{#CAN_ADD}}
<p><a href="/accounts/{{ACCOUNT_ID}}/locations/new">Add a location</a></p>
<h2 id="add-service">Add a service</h2>
<form method="post" action="/accounts/{{ACCOUNT_ID}}/services" class="tp-form service-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="svc-product">Product</label>
<select id="svc-product" name="product_id" required>{{#PRODUCTS}}<option value="{{ID}}">{{NAME}} ({{TYPE}}, {{CURRENCY}})</option>{{/PRODUCTS}}</select>
<label for="svc-status">Status</label>
<select id="svc-status" name="status"><option value="pending">pending</option><option value="active">active</option></select>
<label for="svc-start">Start date</label><input id="svc-start" name="start_date" type="date">
<label for="svc-phone">Phone number (SIP accounts, lines: typed in)</label><input id="svc-phone" name="phone_number" maxlength="17" placeholder="+4930123456">
<label for="svc-btn">Billing telephone number (BTN)</label><input id="svc-btn" name="btn" maxlength="17">
<label for="svc-location">Location</label>
<select id="svc-location" name="location_id"><option value="">(none)</option>{{#LOCATIONS}}<option value="{{ID}}">{{STREET}}, {{CITY}}</option>{{/LOCATIONS}}</select>
<label for="svc-parent">PBX seat (extensions only)</label>
<select id="svc-parent" name="parent_service_id"><option value="">(none)</option>{{#PBX_SEATS}}<option value="{{ID}}">seat {{ID}} ({{ACCOUNT}})</option>{{/PBX_SEATS}}</select>
<label for="svc-periodic">Periodic charge (empty: the product's)</label><input id="svc-periodic" name="periodic_charge" inputmode="decimal">
<label for="svc-nrc">One-time charge (empty: the product's)</label><input id="svc-nrc" name="one_time_charge" inputmode="decimal">
<label for="svc-comments">Comments</label><textarea id="svc-comments" name="comments" maxlength="500"></textarea>
<button type="submit">Add service</button>
</form>
{{/CAN_ADD}}
{{#CAN_STATUS}}
<form method="post" action="/accounts/{{ACCOUNT_ID}}/status" class="tp-form account-status">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="acc-status">Status</label>
<select id="acc-status" name="status">{{#STATES}}<option value="{{VALUE}}"{{#CURRENT}} selected{{/CURRENT}}>{{VALUE}}</option>{{/STATES}}</select>
<button type="submit">Change status</button>
</form>
{{/CAN_STATUS}}
{{/FORMS}}
