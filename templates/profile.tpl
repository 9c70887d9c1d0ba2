{{%AUTOESCAPE context="HTML"}}
<h1>My profile</h1>
{{#SAVED}}<p class="tp-ok" role="status">Saved.</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form method="post" action="/profile" class="tp-form profile">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<p>Login: <strong class="login">{{LOGIN}}</strong></p>
<label for="name">Name</label><input id="name" name="name" value="{{NAME}}" required maxlength="128">
<label for="email">E-mail</label><input id="email" name="email" type="email" value="{{EMAIL}}" maxlength="255">
<label for="phone">Phone</label><input id="phone" name="phone" value="{{PHONE}}" maxlength="32">
<label for="billing_email">Billing notices go to</label><input id="billing_email" name="billing_email" type="email" value="{{BILLING_EMAIL}}" maxlength="255">
<label for="payment_email">Payment confirmations go to</label><input id="payment_email" name="payment_email" type="email" value="{{PAYMENT_EMAIL}}" maxlength="255">
<label for="language">Language</label><select id="language" name="language">{{#LANGUAGES}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/LANGUAGES}}</select>
<label for="time_zone">Time zone <small>(times are shown in it)</small></label><select id="time_zone" name="time_zone">{{#TIME_ZONES}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/TIME_ZONES}}</select>
<button type="submit">Save</button>
</form>
{{#BILL_TO}}<h2>Contact information</h2>
<p>Bills are addressed to this location (the Bill To):</p>
<address class="bill-to">{{#NAME}}{{NAME}}<br>{{/NAME}}{{STREET}}<br>{{POSTCODE}} {{CITY}}{{#REGION}}, {{REGION}}{{/REGION}}<br>{{COUNTRY}}</address>
{{#EDIT_HREF}}<p><a href="{{EDIT_HREF}}">Change the Bill To address</a></p>{{/EDIT_HREF}}{{/BILL_TO}}
<h2>Change password</h2>
<form method="post" action="/profile/password" class="tp-form password">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="current_password">Current password</label><input id="current_password" name="current_password" type="password" autocomplete="current-password" required>
<label for="new_password">New password</label><input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10">
<label for="confirm_password">New password again</label><input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required minlength="10">
<button type="submit">Change password</button>
</form>
<h2>Security code</h2>
{{#SECURITY_CODE_SET}}<p class="security-code-state">A security code is set (since {{SECURITY_CODE_SET_AT_TEXT}}).</p>{{/SECURITY_CODE_SET}}
{{#SECURITY_CODE_SET_EMPTY}}<p class="security-code-state">No security code is set.</p>{{/SECURITY_CODE_SET_EMPTY}}
<p>With a security code, resetting a forgotten password by e-mail also asks for it, so the e-mail alone is not enough.</p>
<form method="post" action="/profile/security-code" class="tp-form security-code">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="security_code">{{#SECURITY_CODE_SET}}New security code{{/SECURITY_CODE_SET}}{{#SECURITY_CODE_SET_EMPTY}}Security code{{/SECURITY_CODE_SET_EMPTY}} <small>(6 to 12 letters and digits)</small></label><input id="security_code" name="security_code" type="password" autocomplete="off" required minlength="6" maxlength="12" pattern="[A-Za-z0-9]{6,12}">
<label for="confirm_security_code">The code again</label><input id="confirm_security_code" name="confirm_security_code" type="password" autocomplete="off" required minlength="6" maxlength="12">
<label for="code_current_password">Current password</label><input id="code_current_password" name="current_password" type="password" autocomplete="current-password" required>
<button type="submit">{{#SECURITY_CODE_SET}}Change the code{{/SECURITY_CODE_SET}}{{#SECURITY_CODE_SET_EMPTY}}Set the code{{/SECURITY_CODE_SET_EMPTY}}</button>
</form>
{{#SECURITY_CODE_SET}}
<form method="post" action="/profile/security-code/remove" class="tp-form security-code-remove">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="remove_current_password">Current password</label><input id="remove_current_password" name="current_password" type="password" autocomplete="current-password" required>
<button type="submit">Remove the code</button>
</form>
{{/SECURITY_CODE_SET}}
{{#SECURITY_QUESTIONS_OFFERED}}
<h2>Security questions</h2>
{{#SECURITY_QUESTIONS_SET}}<p class="security-questions-state">Answered: {{QUESTION}} (since {{SET_AT}})</p>
{{/SECURITY_QUESTIONS_SET}}{{#SECURITY_QUESTIONS_SET_EMPTY}}<p class="security-questions-state">No security questions answered yet.</p>{{/SECURITY_QUESTIONS_SET_EMPTY}}
<p>On a support call, staff may ask one of your questions to check it is you: they see only whether your answer matches, never the answer. Answers are compared without regard to capitals or extra spaces.</p>
<form method="post" action="/profile/security-questions" class="tp-form security-questions">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="question_1">First question</label><select id="question_1" name="question_1" required>{{#SECURITY_QUESTION_1}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{QUESTION}}</option>{{/SECURITY_QUESTION_1}}</select>
<label for="answer_1">Answer</label><input id="answer_1" name="answer_1" type="password" autocomplete="off" required minlength="2" maxlength="128">
<label for="question_2">Second question</label><select id="question_2" name="question_2" required>{{#SECURITY_QUESTION_2}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{QUESTION}}</option>{{/SECURITY_QUESTION_2}}</select>
<label for="answer_2">Answer</label><input id="answer_2" name="answer_2" type="password" autocomplete="off" required minlength="2" maxlength="128">
<label for="secq_current_password">Current password</label><input id="secq_current_password" name="current_password" type="password" autocomplete="current-password" required>
<button type="submit">Save the questions</button>
</form>
{{/SECURITY_QUESTIONS_OFFERED}}
