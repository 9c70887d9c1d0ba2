{{%AUTOESCAPE context="HTML"}}
{{! admin_brand_edit.tpl -- one brand (platform operators): plan and }}
{{! status. Keys: TENANT (ID, SLUG, NAME, PLAN, STATUS, PLATFORM, HOSTS), }}
{{! PLAN_OPTIONS (ID, NAME, SELECTED), STATUSES (NAME, SELECTED), SELF. }}
{{#TENANT}}
<h1>{{_}}Brand {{NAME}}{{/_}}</h1>
{{#SAVED}}<p class="tp-ok" role="status">{{_}}Saved.{{/_}}</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<dl class="tp-facts brand" data-id="{{ID}}">
<dt>{{_}}Slug{{/_}}</dt><dd class="slug">{{SLUG}}</dd>
<dt>{{_}}Host names{{/_}}</dt><dd class="hosts">{{HOSTS}}</dd>
<dt>{{_}}Platform{{/_}}</dt><dd>{{#PLATFORM}}{{_}}yes{{/_}}{{/PLATFORM}}{{#PLATFORM_EMPTY}}{{_}}no{{/_}}{{/PLATFORM_EMPTY}}</dd>
</dl>
<form method="post" action="/admin/brands/{{ID}}" class="tp-form brand-admin">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="plan_id">{{_}}Plan (modules the new plan lacks leave the brand's tiers){{/_}}</label><select id="plan_id" name="plan_id">{{#PLAN_OPTIONS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/PLAN_OPTIONS}}</select>
<label for="status">{{_}}Status (a disabled brand's host names answer 404){{/_}}</label><select id="status" name="status">{{#STATUSES}}<option{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/STATUSES}}</select>
{{#SELF}}<p class="tp-note">{{_}}You are signed in to this brand: it cannot disable itself.{{/_}}</p>{{/SELF}}
<button type="submit">{{_}}Save{{/_}}</button>
</form>
{{/TENANT}}
<p><a href="/admin/brands">{{_}}All brands{{/_}}</a></p>
