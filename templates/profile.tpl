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
<button type="submit">Save</button>
</form>
<h2>Change password</h2>
<form method="post" action="/profile/password" class="tp-form password">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="current_password">Current password</label><input id="current_password" name="current_password" type="password" autocomplete="current-password" required>
<label for="new_password">New password</label><input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10">
<label for="confirm_password">New password again</label><input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required minlength="10">
<button type="submit">Change password</button>
</form>
