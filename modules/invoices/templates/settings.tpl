{{%AUTOESCAPE context="HTML"}}
{{! settings.tpl -- the brand's billing settings and tax rates (operators) }}
<h1>Billing settings</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#SETTINGS}}
<form method="post" action="/billing/settings" class="tp-form inv-settings">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<fieldset><legend>The seller on invoices</legend>
<label for="bs-legal-name">Legal name</label><input id="bs-legal-name" name="legal_name" value="{{LEGAL_NAME}}" maxlength="128">
<label for="bs-legal-address">Legal address</label><input id="bs-legal-address" name="legal_address" value="{{LEGAL_ADDRESS}}" maxlength="255">
<label for="bs-tax-id">Tax id</label><input id="bs-tax-id" name="tax_id" value="{{TAX_ID}}" maxlength="32">
</fieldset>
<fieldset><legend>Billing, collections, approvals</legend>
{{#FIELDS}}<label for="bs-{{KEY}}">{{LABEL}}</label><input id="bs-{{KEY}}" name="{{KEY}}" value="{{VALUE}}" required maxlength="32">
{{/FIELDS}}
<label class="tp-check"><input type="checkbox" name="delivery_read_only" value="1"{{#DELIVERY_READ_ONLY}} checked{{/DELIVERY_READ_ONLY}}> Customers cannot change how invoices reach them</label>
</fieldset>
<button type="submit">Save the billing settings</button>
</form>
{{/SETTINGS}}
<h2>Tax rates</h2>
<p>Each invoice line is taxed at every active rate of its product's tax class, computed and rounded on the line.</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Tax rates">
<table class="tp-table inv-tax-rates">
<thead><tr><th scope="col">Tax class</th><th scope="col">Name</th><th scope="col" class="num">Rate (%)</th><th scope="col">Applies</th></tr></thead>
<tbody>
{{#TAX_RATES}}<tr><td>{{TAX_CLASS}}</td><td>{{NAME}}</td><td class="num">{{PERCENT}}</td><td>
<form method="post" action="/billing/tax-rates/{{ID}}" class="tp-inline">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
{{#ACTIVE}}yes <input type="hidden" name="active" value="0"><button type="submit">Stop applying<span class="tp-sr"> {{NAME}}</span></button>{{/ACTIVE}}{{#ACTIVE_EMPTY}}no <input type="hidden" name="active" value="1"><button type="submit">Apply again<span class="tp-sr"> {{NAME}}</span></button>{{/ACTIVE_EMPTY}}
</form></td></tr>
{{/TAX_RATES}}
</tbody></table></div>
<h3>Add a tax rate</h3>
<form method="post" action="/billing/tax-rates" class="tp-form inv-tax-rate-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="tr-class">Tax class</label><input id="tr-class" name="tax_class" value="standard" required maxlength="32" pattern="[a-z0-9_]+">
<label for="tr-name">Name</label><input id="tr-name" name="name" required maxlength="64">
<label for="tr-percent">Rate (%)</label><input id="tr-percent" name="percent" required inputmode="decimal" maxlength="16">
<button type="submit">Add the rate</button>
</form>
