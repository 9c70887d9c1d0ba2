{{%AUTOESCAPE context="HTML"}}
{{#PARTNER}}
<h1>{{NAME}}</h1>
<dl class="tp-facts partner" data-id="{{ID}}">
<dt>Kind</dt><dd>{{KIND}}</dd>
<dt>Tier</dt><dd>{{TIER}}</dd>
<dt>Status</dt><dd>{{STATUS}}</dd>
<dt>Currency</dt><dd>{{CURRENCY}}</dd>
<dt>Time zone</dt><dd>{{TIMEZONE}}</dd>
<dt>Parent</dt><dd>{{PARENT}}</dd>
<dt>Accounts</dt><dd>{{ACCOUNTS}}</dd>
</dl>
{{/PARTNER}}
<h2>Below it</h2>
<ul class="children">{{#CHILDREN}}<li><a href="/partners/{{ID}}">{{NAME}}</a> ({{KIND}})</li>{{/CHILDREN}}</ul>
{{#CHILDREN_EMPTY}}<p>No partners below this one.</p>{{/CHILDREN_EMPTY}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#SAVED}}<p class="tp-note" role="status">Saved.</p>{{/SAVED}}
{{#FORMS}}
{{#ADD_CHILD}}
<h2 id="add-partner">Add a partner below</h2>
<form method="post" action="/partners/{{PARTNER_ID}}/children" class="tp-form partner-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="child-name">Name</label><input id="child-name" name="name" required maxlength="128">
<label for="child-kind">Kind</label>
<select id="child-kind" name="kind"><option value="sub-agent">sub-agent</option><option value="distributor">distributor</option></select>
<label for="child-currency">Currency</label><input id="child-currency" name="currency" maxlength="3" placeholder="as this partner">
<label for="child-tier">Tier</label>
<select id="child-tier" name="tier"><option value="">as this partner</option>{{#TIERS}}<option value="{{NAME}}">{{NAME}}</option>{{/TIERS}}</select>
<button type="submit">Add partner</button>
</form>
{{/ADD_CHILD}}
{{#ADD_ACCOUNT}}
<h2 id="add-account">Add an account</h2>
<form method="post" action="/partners/{{PARTNER_ID}}/accounts" class="tp-form account-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="acc-number">Account number</label><input id="acc-number" name="number" required maxlength="32">
<label for="acc-name">Name</label><input id="acc-name" name="name" required maxlength="128">
<label for="acc-kind">Kind</label>
<select id="acc-kind" name="kind"><option value="standard">standard</option><option value="corporate">corporate (has sub-accounts)</option></select>
<label for="acc-currency">Currency</label><input id="acc-currency" name="currency" maxlength="3" placeholder="as this partner">
<button type="submit">Add account</button>
</form>
{{/ADD_ACCOUNT}}
{{#MOVE}}
<h2 id="move">Move in the tree</h2>
<form method="post" action="/partners/{{PARTNER_ID}}/move" class="tp-form partner-move">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="move-parent">New parent</label>
<select id="move-parent" name="parent_id">{{#TOP_LEVEL}}<option value="">(top level)</option>{{/TOP_LEVEL}}{{#TARGETS}}<option value="{{ID}}">{{NAME}}</option>{{/TARGETS}}</select>
<button type="submit">Move</button>
</form>
{{/MOVE}}
{{#DISABLE}}
<form method="post" action="/partners/{{PARTNER_ID}}/disable" class="tp-form partner-disable">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<p>Disabling stops the logins of this partner and of every partner below it; its customers and history stay.</p>
<button type="submit" class="tp-danger">Disable partner</button>
</form>
{{/DISABLE}}
{{#ENABLE}}
<form method="post" action="/partners/{{PARTNER_ID}}/enable" class="tp-form partner-enable">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<button type="submit">Enable partner</button>
</form>
{{/ENABLE}}
{{/FORMS}}
