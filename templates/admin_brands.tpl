{{%AUTOESCAPE context="HTML"}}
{{! admin_brands.tpl -- every brand (platform operators), and the form to }}
{{! create one. Keys: BRANDS (ID, SLUG, NAME, PLAN, STATUS, PLATFORM, }}
{{! HOSTS), TRUNCATED, PLAN_OPTIONS (ID, NAME, SELECTED). }}
<h1>{{_}}Brands{{/_}}</h1>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Brands (scrolls sideways){{/_}}">
<table class="tp-table brands">
<thead><tr><th>{{_}}Slug{{/_}}</th><th>{{_}}Name{{/_}}</th><th>{{_}}Plan{{/_}}</th><th>{{_}}Status{{/_}}</th><th>{{_}}Hosts{{/_}}</th></tr></thead>
<tbody>
{{#BRANDS}}<tr data-id="{{ID}}" class="status-{{STATUS}}"><td><a href="/admin/brands/{{ID}}">{{SLUG}}</a></td><td>{{NAME}}{{#PLATFORM}} {{_}}(platform){{/_}}{{/PLATFORM}}</td><td>{{PLAN}}</td><td>{{STATUS}}</td><td>{{HOSTS}}</td></tr>
{{/BRANDS}}
</tbody>
</table>
</div>
{{#TRUNCATED}}<p class="tp-note">{{_}}Only the first 500 are shown.{{/_}}</p>{{/TRUNCATED}}
<h2 id="add">{{_}}Create a brand{{/_}}</h2>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<form method="post" action="/admin/brands" class="tp-form brand-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="slug">{{_}}Slug (a-z, 0-9, -){{/_}}</label><input id="slug" name="slug" required maxlength="64">
<label for="name">{{_}}Name{{/_}}</label><input id="name" name="name" required maxlength="128">
<label for="plan_id">{{_}}Plan{{/_}}</label><select id="plan_id" name="plan_id">{{#PLAN_OPTIONS}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/PLAN_OPTIONS}}</select>
<label for="host">{{_}}Host name{{/_}}</label><input id="host" name="host" required maxlength="255" placeholder="portal.example.com">
<button type="submit">{{_}}Create brand{{/_}}</button>
</form>
