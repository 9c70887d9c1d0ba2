{{%AUTOESCAPE context="HTML"}}
{{! location_form.tpl -- add or change one of an account's locations }}
{{! (core/builtin/selfcare.c). Keys: LOCATION (ACCOUNT_ID, ACCOUNT_NUMBER, }}
{{! ACCOUNT_NAME, ID, EDIT, NAME, STREET, CITY, POSTCODE, REGION, COUNTRY, }}
{{! IS_BILL_TO: the stored mark, BILL_TO_CHECKED: the box as sent, }}
{{! CSRF_TOKEN), ERROR. }}
{{#LOCATION}}
{{#EDIT}}<h1>{{_}}Change a location{{/_}}</h1>{{/EDIT}}{{#EDIT_EMPTY}}<h1>{{_}}Add a location{{/_}}</h1>{{/EDIT_EMPTY}}
<p>{{_}}Account <a href="/accounts/{{ACCOUNT_ID}}">{{ACCOUNT_NUMBER}}</a> {{ACCOUNT_NAME}}{{/_}}</p>
{{/LOCATION}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#LOCATION}}
<form method="post" action="/accounts/{{ACCOUNT_ID}}/locations{{#EDIT}}/{{ID}}{{/EDIT}}" class="tp-form {{#EDIT}}location-edit{{/EDIT}}{{#EDIT_EMPTY}}location-add{{/EDIT_EMPTY}}">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="loc-name">{{_}}Name{{/_}}</label><input id="loc-name" name="name" value="{{NAME}}" maxlength="128">
<label for="loc-street">{{_}}Street{{/_}}</label><input id="loc-street" name="street" value="{{STREET}}" required maxlength="255">
<label for="loc-city">{{_}}City{{/_}}</label><input id="loc-city" name="city" value="{{CITY}}" required maxlength="128">
<label for="loc-postcode">{{_}}Postcode{{/_}}</label><input id="loc-postcode" name="postcode" value="{{POSTCODE}}" maxlength="16">
<label for="loc-region">{{_}}Region{{/_}}</label><input id="loc-region" name="region" value="{{REGION}}" maxlength="64">
<label for="loc-country">{{_}}Country (ISO, 2 letters){{/_}}</label><input id="loc-country" name="country" value="{{COUNTRY}}" required maxlength="2" pattern="[A-Z]{2}">
{{#IS_BILL_TO}}<p class="tp-note">{{_}}This is the account's Bill To location. To move the mark, make another location the Bill To.{{/_}}</p>{{/IS_BILL_TO}}
{{#IS_BILL_TO_EMPTY}}<label class="tp-check"><input type="checkbox" name="is_bill_to" value="1"{{#BILL_TO_CHECKED}} checked{{/BILL_TO_CHECKED}}> {{_}}Bill To{{/_}}{{#EDIT_EMPTY}} {{_}}(the first location of an account always is){{/_}}{{/EDIT_EMPTY}}</label>{{/IS_BILL_TO_EMPTY}}
<button type="submit">{{#EDIT}}{{_}}Save{{/_}}{{/EDIT}}{{#EDIT_EMPTY}}{{_}}Add location{{/_}}{{/EDIT_EMPTY}}</button>
</form>
<p><a href="/accounts/{{ACCOUNT_ID}}/locations">{{_}}Back to the locations{{/_}}</a></p>
{{/LOCATION}}
