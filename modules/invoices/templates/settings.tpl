{{%AUTOESCAPE context="HTML"}}
{{! settings.tpl -- the brand's billing settings and tax rates (operators) }}
<h1>{{_}}Billing settings{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#SETTINGS}}
<form method="post" action="/billing/settings" class="tp-form inv-settings">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<fieldset><legend>{{_}}The seller on invoices{{/_}}</legend>
<label for="bs-legal-name">{{_}}Legal name{{/_}}</label><input id="bs-legal-name" name="legal_name" value="{{LEGAL_NAME}}" maxlength="128">
<label for="bs-legal-address">{{_}}Legal address{{/_}}</label><input id="bs-legal-address" name="legal_address" value="{{LEGAL_ADDRESS}}" maxlength="255">
<label for="bs-tax-id">{{_}}Tax id{{/_}}</label><input id="bs-tax-id" name="tax_id" value="{{TAX_ID}}" maxlength="32">
</fieldset>
<fieldset><legend>{{_}}Billing, collections, approvals{{/_}}</legend>
{{#FIELDS}}<label for="bs-{{KEY}}">{{LABEL}}</label><input id="bs-{{KEY}}" name="{{KEY}}" value="{{VALUE}}" required maxlength="32">
{{/FIELDS}}
<label class="tp-check"><input type="checkbox" name="delivery_read_only" value="1"{{#DELIVERY_READ_ONLY}} checked{{/DELIVERY_READ_ONLY}}> {{_}}Customers cannot change how invoices reach them{{/_}}</label>
</fieldset>
<button type="submit">{{_}}Save the billing settings{{/_}}</button>
</form>
{{/SETTINGS}}
<h2>{{_}}Tax rates{{/_}}</h2>
<p>{{_}}Each invoice line is taxed at every active rate of its product's tax class, computed and rounded on the line.{{/_}}</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Tax rates{{/_}}">
<table class="tp-table inv-tax-rates">
<thead><tr><th scope="col">{{_}}Tax class{{/_}}</th><th scope="col">{{_}}Name{{/_}}</th><th scope="col" class="num">{{_}}Rate (%){{/_}}</th><th scope="col">{{_}}Applies{{/_}}</th></tr></thead>
<tbody>
{{#TAX_RATES}}<tr><td>{{TAX_CLASS}}</td><td>{{NAME}}</td><td class="num">{{PERCENT}}</td><td>
<form method="post" action="/billing/tax-rates/{{ID}}" class="tp-inline">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
{{#ACTIVE}}{{_}}yes{{/_}} <input type="hidden" name="active" value="0"><button type="submit">{{_}}Stop applying<span class="tp-sr"> {{NAME}}</span>{{/_}}</button>{{/ACTIVE}}{{#ACTIVE_EMPTY}}{{_}}no{{/_}} <input type="hidden" name="active" value="1"><button type="submit">{{_}}Apply again<span class="tp-sr"> {{NAME}}</span>{{/_}}</button>{{/ACTIVE_EMPTY}}
</form></td></tr>
{{/TAX_RATES}}
</tbody></table></div>
<h3>{{_}}Add a tax rate{{/_}}</h3>
<form method="post" action="/billing/tax-rates" class="tp-form inv-tax-rate-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="tr-class">{{_}}Tax class{{/_}}</label><input id="tr-class" name="tax_class" value="standard" required maxlength="32" pattern="[a-z0-9_]+">
<label for="tr-name">{{_}}Name{{/_}}</label><input id="tr-name" name="name" required maxlength="64">
<label for="tr-percent">{{_}}Rate (%){{/_}}</label><input id="tr-percent" name="percent" required inputmode="decimal" maxlength="16">
<button type="submit">{{_}}Add the rate{{/_}}</button>
</form>
