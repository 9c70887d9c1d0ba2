{{%AUTOESCAPE context="HTML"}}
{{! admin_brand_edit.tpl -- one brand (platform operators): plan and }}
{{! status. Keys: TENANT (ID, SLUG, NAME, PLAN, STATUS, PLATFORM, HOSTS), }}
{{! PLAN_OPTIONS (ID, NAME, SELECTED), STATUSES (NAME, SELECTED), SELF. }}
{{#TENANT}}
<h1>Brand {{NAME}}</h1>
{{#SAVED}}<p class="tp-ok" role="status">Saved.</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<dl class="tp-facts brand" data-id="{{ID}}">
<dt>Slug</dt><dd class="slug">{{SLUG}}</dd>
<dt>Host names</dt><dd class="hosts">{{HOSTS}}</dd>
<dt>Platform</dt><dd>{{#PLATFORM}}yes{{/PLATFORM}}{{#PLATFORM_EMPTY}}no{{/PLATFORM_EMPTY}}</dd>
</dl>
<form method="post" action="/admin/brands/{{ID}}" class="tp-form brand-admin">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="plan_id">Plan (modules the new plan lacks leave the brand's tiers)</label><select id="plan_id" name="plan_id">{{#PLAN_OPTIONS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/PLAN_OPTIONS}}</select>
<label for="status">Status (a disabled brand's host names answer 404)</label><select id="status" name="status">{{#STATUSES}}<option{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/STATUSES}}</select>
{{#SELF}}<p class="tp-note">You are signed in to this brand: it cannot disable itself.</p>{{/SELF}}
<button type="submit">Save</button>
</form>
{{/TENANT}}
<p><a href="/admin/brands">All brands</a></p>
