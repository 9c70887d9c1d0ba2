{{%AUTOESCAPE context="HTML"}}
{{! product_form.tpl -- an operator adds a product to the brand's catalog or }}
{{! changes one (core/builtin/selfcare.c). Keys: PRODUCT (NAME, PRODUCT_TYPE, }}
{{! CURRENCY, PERIODIC_CHARGE, ONE_TIME_CHARGE, TERM_MONTHS, EARLY_TERMINATION_FEE, }}
{{! CATEGORY, TAX_CLASS, CATEGORIES (VALUE: the code, NAME), TYPES and CYCLES: }}
{{! VALUE, SELECTED; INACTIVE, EDIT, ID, CSRF_TOKEN), ERROR. }}
{{#PRODUCT}}
{{#EDIT}}<h1>{{_}}Change a product{{/_}}</h1>{{/EDIT}}{{#EDIT_EMPTY}}<h1>{{_}}Add a product{{/_}}</h1>{{/EDIT_EMPTY}}
{{/PRODUCT}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#PRODUCT}}
<form method="post" action="/products{{#EDIT}}/{{ID}}{{/EDIT}}" class="tp-form {{#EDIT}}product-edit{{/EDIT}}{{#EDIT_EMPTY}}product-add{{/EDIT_EMPTY}}">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="p-name">{{_}}Name{{/_}}</label><input id="p-name" name="name" value="{{NAME}}" required maxlength="128">
<label for="p-type">{{_}}Type{{/_}}</label>
<select id="p-type" name="product_type">{{#TYPES}}<option{{#SELECTED}} selected{{/SELECTED}}>{{VALUE}}</option>{{/TYPES}}</select>
<label for="p-currency">{{_}}Currency{{/_}}</label><input id="p-currency" name="currency" value="{{CURRENCY}}" required maxlength="3" placeholder="EUR">
<label for="p-periodic">{{_}}Periodic charge{{/_}}</label><input id="p-periodic" name="periodic_charge" value="{{PERIODIC_CHARGE}}" inputmode="decimal" placeholder="0.00">
<label for="p-cycle">{{_}}Bill cycle{{/_}}</label>
<select id="p-cycle" name="bill_cycle">{{#CYCLES}}<option{{#SELECTED}} selected{{/SELECTED}}>{{VALUE}}</option>{{/CYCLES}}</select>
<label for="p-nrc">{{_}}One-time charge{{/_}}</label><input id="p-nrc" name="one_time_charge" value="{{ONE_TIME_CHARGE}}" inputmode="decimal" placeholder="0.00">
<label for="p-term">{{_}}Term (months, 0 for none){{/_}}</label><input id="p-term" name="term_months" value="{{TERM_MONTHS}}" inputmode="numeric" placeholder="0">
<label for="p-etf">{{_}}Early termination fee (a term broken early){{/_}}</label><input id="p-etf" name="early_termination_fee" value="{{EARLY_TERMINATION_FEE}}" inputmode="decimal" placeholder="0.00">
<label for="p-category">{{_}}Revenue category: its code (voice, hosting, equipment…; <a href="/categories">the categories</a>){{/_}}</label><input id="p-category" name="category" value="{{CATEGORY}}" maxlength="32" pattern="[a-z0-9_]+" list="p-categories">
<datalist id="p-categories">{{#CATEGORIES}}<option value="{{VALUE}}" label="{{NAME}}">{{NAME}}</option>{{/CATEGORIES}}</datalist>
<label for="p-tax">{{_}}Tax class (its rates are in Billing settings){{/_}}</label><input id="p-tax" name="tax_class" value="{{TAX_CLASS}}" maxlength="32" pattern="[a-z0-9_]+">
<label for="p-active">{{_}}Offered{{/_}}</label>
<select id="p-active" name="active"><option value="1">{{_}}active{{/_}}</option><option value="0"{{#INACTIVE}} selected{{/INACTIVE}}>{{_}}inactive{{/_}}</option></select>
<button type="submit">{{#EDIT}}{{_}}Save{{/_}}{{/EDIT}}{{#EDIT_EMPTY}}{{_}}Add product{{/_}}{{/EDIT_EMPTY}}</button>
</form>
{{/PRODUCT}}
<p><a href="/products">{{_}}Back to the catalog{{/_}}</a></p>
