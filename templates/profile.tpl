{{%AUTOESCAPE context="HTML"}}
<h1>{{_}}My profile{{/_}}</h1>
{{#SAVED}}<p class="tp-ok" role="status">{{_}}Saved.{{/_}}</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form method="post" action="/profile" class="tp-form profile">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<p>{{_}}Login: <strong class="login">{{LOGIN}}</strong>{{/_}}</p>
<label for="name">{{_}}Name{{/_}}</label><input id="name" name="name" value="{{NAME}}" required maxlength="128">
<label for="email">{{_}}E-mail{{/_}}</label><input id="email" name="email" type="email" value="{{EMAIL}}" maxlength="255">
<label for="phone">{{_}}Phone{{/_}}</label><input id="phone" name="phone" value="{{PHONE}}" maxlength="32">
<label for="billing_email">{{_}}Billing notices go to{{/_}}</label><input id="billing_email" name="billing_email" type="email" value="{{BILLING_EMAIL}}" maxlength="255">
<label for="payment_email">{{_}}Payment confirmations go to{{/_}}</label><input id="payment_email" name="payment_email" type="email" value="{{PAYMENT_EMAIL}}" maxlength="255">
<label for="language">{{_}}Language{{/_}}</label><select id="language" name="language">{{#LANGUAGES}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/LANGUAGES}}</select>
<label for="time_zone">{{_}}Time zone <small>(times are shown in it)</small>{{/_}}</label><select id="time_zone" name="time_zone">{{#TIME_ZONES}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/TIME_ZONES}}</select>
<button type="submit">{{_}}Save{{/_}}</button>
</form>
{{#BILL_TO}}<h2>{{_}}Contact information{{/_}}</h2>
<p>{{_}}Bills are addressed to this location (the Bill To):{{/_}}</p>
<address class="bill-to">{{#NAME}}{{NAME}}<br>{{/NAME}}{{STREET}}<br>{{POSTCODE}} {{CITY}}{{#REGION}}, {{REGION}}{{/REGION}}<br>{{COUNTRY}}</address>
{{#EDIT_HREF}}<p><a href="{{EDIT_HREF}}">{{_}}Change the Bill To address{{/_}}</a></p>{{/EDIT_HREF}}{{/BILL_TO}}
<h2>{{_}}Change password{{/_}}</h2>
<form method="post" action="/profile/password" class="tp-form password">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="current_password">{{_}}Current password{{/_}}</label><input id="current_password" name="current_password" type="password" autocomplete="current-password" required>
<label for="new_password">{{_}}New password{{/_}}</label><input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10">
<label for="confirm_password">{{_}}New password again{{/_}}</label><input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required minlength="10">
<button type="submit">{{_}}Change password{{/_}}</button>
</form>
<h2>{{_}}Security code{{/_}}</h2>
{{#SECURITY_CODE_SET}}<p class="security-code-state">{{_}}A security code is set (since {{SECURITY_CODE_SET_AT_TEXT}}).{{/_}}</p>{{/SECURITY_CODE_SET}}
{{#SECURITY_CODE_SET_EMPTY}}<p class="security-code-state">{{_}}No security code is set.{{/_}}</p>{{/SECURITY_CODE_SET_EMPTY}}
<p>{{_}}With a security code, resetting a forgotten password by e-mail also asks for it, so the e-mail alone is not enough.{{/_}}</p>
<form method="post" action="/profile/security-code" class="tp-form security-code">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="security_code">{{#SECURITY_CODE_SET}}{{_}}New security code{{/_}}{{/SECURITY_CODE_SET}}{{#SECURITY_CODE_SET_EMPTY}}{{_}}Security code{{/_}}{{/SECURITY_CODE_SET_EMPTY}} {{_}}<small>(6 to 12 letters and digits)</small>{{/_}}</label><input id="security_code" name="security_code" type="password" autocomplete="off" required minlength="6" maxlength="12" pattern="[A-Za-z0-9]{6,12}">
<label for="confirm_security_code">{{_}}The code again{{/_}}</label><input id="confirm_security_code" name="confirm_security_code" type="password" autocomplete="off" required minlength="6" maxlength="12">
<label for="code_current_password">{{_}}Current password{{/_}}</label><input id="code_current_password" name="current_password" type="password" autocomplete="current-password" required>
<button type="submit">{{#SECURITY_CODE_SET}}{{_}}Change the code{{/_}}{{/SECURITY_CODE_SET}}{{#SECURITY_CODE_SET_EMPTY}}{{_}}Set the code{{/_}}{{/SECURITY_CODE_SET_EMPTY}}</button>
</form>
{{#SECURITY_CODE_SET}}
<form method="post" action="/profile/security-code/remove" class="tp-form security-code-remove">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="remove_current_password">{{_}}Current password{{/_}}</label><input id="remove_current_password" name="current_password" type="password" autocomplete="current-password" required>
<button type="submit">{{_}}Remove the code{{/_}}</button>
</form>
{{/SECURITY_CODE_SET}}
{{#SECURITY_QUESTIONS_OFFERED}}
<h2>{{_}}Security questions{{/_}}</h2>
{{#SECURITY_QUESTIONS_SET}}<p class="security-questions-state">{{_}}Answered: {{QUESTION}} (since {{SET_AT_TEXT}}){{/_}}</p>
{{/SECURITY_QUESTIONS_SET}}{{#SECURITY_QUESTIONS_SET_EMPTY}}<p class="security-questions-state">{{_}}No security questions answered yet.{{/_}}</p>{{/SECURITY_QUESTIONS_SET_EMPTY}}
<p>{{_}}On a support call, staff may ask one of your questions to check it is you: they see only whether your answer matches, never the answer. Answers are compared without regard to capitals or extra spaces.{{/_}}</p>
<form method="post" action="/profile/security-questions" class="tp-form security-questions">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="question_1">{{_}}First question{{/_}}</label><select id="question_1" name="question_1" required>{{#SECURITY_QUESTION_1}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{QUESTION}}</option>{{/SECURITY_QUESTION_1}}</select>
<label for="answer_1">{{_}}Answer{{/_}}</label><input id="answer_1" name="answer_1" type="password" autocomplete="off" required minlength="2" maxlength="128">
<label for="question_2">{{_}}Second question{{/_}}</label><select id="question_2" name="question_2" required>{{#SECURITY_QUESTION_2}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{QUESTION}}</option>{{/SECURITY_QUESTION_2}}</select>
<label for="answer_2">{{_}}Answer{{/_}}</label><input id="answer_2" name="answer_2" type="password" autocomplete="off" required minlength="2" maxlength="128">
<label for="secq_current_password">{{_}}Current password{{/_}}</label><input id="secq_current_password" name="current_password" type="password" autocomplete="current-password" required>
<button type="submit">{{_}}Save the questions{{/_}}</button>
</form>
{{/SECURITY_QUESTIONS_OFFERED}}
