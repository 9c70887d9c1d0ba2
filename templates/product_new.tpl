{{%AUTOESCAPE context="HTML"}}
{{! product_new.tpl -- an operator adds a product to the brand's catalog }}
{{! (core/selfcare.c). Keys: PRODUCT (NAME, PRODUCT_TYPE, CURRENCY, }}
{{! PERIODIC_CHARGE, BILL_CYCLE, ONE_TIME_CHARGE, TERM_MONTHS, TYPES: VALUE, }}
{{! CSRF_TOKEN), ERROR. }}
<h1>Add a product</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#PRODUCT}}
<form method="post" action="/products" class="tp-form product-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="p-name">Name</label><input id="p-name" name="name" value="{{NAME}}" required maxlength="128">
<label for="p-type">Type</label>
<select id="p-type" name="product_type">{{#TYPES}}<option>{{VALUE}}</option>{{/TYPES}}</select>
<label for="p-currency">Currency</label><input id="p-currency" name="currency" value="{{CURRENCY}}" required maxlength="3" placeholder="EUR">
<label for="p-periodic">Periodic charge</label><input id="p-periodic" name="periodic_charge" value="{{PERIODIC_CHARGE}}" inputmode="decimal" placeholder="0.00">
<label for="p-cycle">Bill cycle</label>
<select id="p-cycle" name="bill_cycle"><option>monthly</option><option>quarterly</option><option>yearly</option><option>none</option></select>
<label for="p-nrc">One-time charge</label><input id="p-nrc" name="one_time_charge" value="{{ONE_TIME_CHARGE}}" inputmode="decimal" placeholder="0.00">
<label for="p-term">Term (months, 0 for none)</label><input id="p-term" name="term_months" value="{{TERM_MONTHS}}" inputmode="numeric" placeholder="0">
<button type="submit">Add product</button>
</form>
{{/PRODUCT}}
<p><a href="/products">Back to the catalog</a></p>
