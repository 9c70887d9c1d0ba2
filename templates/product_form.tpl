{{%AUTOESCAPE context="HTML"}}
{{! product_form.tpl -- an operator adds a product to the brand's catalog or }}
{{! changes one (core/builtin/selfcare.c). Keys: PRODUCT (NAME, PRODUCT_TYPE, }}
{{! CURRENCY, PERIODIC_CHARGE, ONE_TIME_CHARGE, TERM_MONTHS, EARLY_TERMINATION_FEE, }}
{{! CATEGORY, TAX_CLASS, CATEGORIES (VALUE: the code, NAME), TYPES and CYCLES: }}
{{! VALUE, SELECTED; INACTIVE, EDIT, ID, CSRF_TOKEN), ERROR. }}
{{#PRODUCT}}
{{#EDIT}}<h1>Change a product</h1>{{/EDIT}}{{#EDIT_EMPTY}}<h1>Add a product</h1>{{/EDIT_EMPTY}}
{{/PRODUCT}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#PRODUCT}}
<form method="post" action="/products{{#EDIT}}/{{ID}}{{/EDIT}}" class="tp-form {{#EDIT}}product-edit{{/EDIT}}{{#EDIT_EMPTY}}product-add{{/EDIT_EMPTY}}">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="p-name">Name</label><input id="p-name" name="name" value="{{NAME}}" required maxlength="128">
<label for="p-type">Type</label>
<select id="p-type" name="product_type">{{#TYPES}}<option{{#SELECTED}} selected{{/SELECTED}}>{{VALUE}}</option>{{/TYPES}}</select>
<label for="p-currency">Currency</label><input id="p-currency" name="currency" value="{{CURRENCY}}" required maxlength="3" placeholder="EUR">
<label for="p-periodic">Periodic charge</label><input id="p-periodic" name="periodic_charge" value="{{PERIODIC_CHARGE}}" inputmode="decimal" placeholder="0.00">
<label for="p-cycle">Bill cycle</label>
<select id="p-cycle" name="bill_cycle">{{#CYCLES}}<option{{#SELECTED}} selected{{/SELECTED}}>{{VALUE}}</option>{{/CYCLES}}</select>
<label for="p-nrc">One-time charge</label><input id="p-nrc" name="one_time_charge" value="{{ONE_TIME_CHARGE}}" inputmode="decimal" placeholder="0.00">
<label for="p-term">Term (months, 0 for none)</label><input id="p-term" name="term_months" value="{{TERM_MONTHS}}" inputmode="numeric" placeholder="0">
<label for="p-etf">Early termination fee (a term broken early)</label><input id="p-etf" name="early_termination_fee" value="{{EARLY_TERMINATION_FEE}}" inputmode="decimal" placeholder="0.00">
<label for="p-category">Revenue category: its code (voice, hosting, equipment…; <a href="/categories">the categories</a>)</label><input id="p-category" name="category" value="{{CATEGORY}}" maxlength="32" pattern="[a-z0-9_]+" list="p-categories">
<datalist id="p-categories">{{#CATEGORIES}}<option value="{{VALUE}}" label="{{NAME}}">{{NAME}}</option>{{/CATEGORIES}}</datalist>
<label for="p-tax">Tax class (its rates are in Billing settings)</label><input id="p-tax" name="tax_class" value="{{TAX_CLASS}}" maxlength="32" pattern="[a-z0-9_]+">
<label for="p-active">Offered</label>
<select id="p-active" name="active"><option value="1">active</option><option value="0"{{#INACTIVE}} selected{{/INACTIVE}}>inactive</option></select>
<button type="submit">{{#EDIT}}Save{{/EDIT}}{{#EDIT_EMPTY}}Add product{{/EDIT_EMPTY}}</button>
</form>
{{/PRODUCT}}
<p><a href="/products">Back to the catalog</a></p>
