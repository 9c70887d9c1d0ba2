{{%AUTOESCAPE context="HTML"}}
{{! admin.tpl -- the operator overview: links to the admin pages, the }}
{{! brand's plan and its modules (read-only). Keys: BRAND_NAME, SLUG, }}
{{! PLATFORM, PLAN (ID, NAME, MODULES). }}
<h1>Admin</h1>
<p>Brand <strong class="brand-name">{{BRAND_NAME}}</strong> (<code>{{SLUG}}</code>)</p>
<ul class="tp-links admin">
<li><a href="/admin/brand">Brand settings</a>: name, logo, colours, custom CSS, contact details, social links, terms, host names</li>
<li><a href="/admin/security-questions">Security questions</a>: the questions logins answer, to check a caller's identity</li>
<li><a href="/categories">Product categories</a>: the names of the categories products are in (revenue is booked by category)</li>
<li><a href="/admin/tiers">Tiers</a>: points thresholds, support levels and the modules each tier enables</li>
{{#PLATFORM}}<li><a href="/admin/plans">Plans</a>: which modules a brand may use</li>
<li><a href="/admin/brands">Brands</a>: create, change plan, disable</li>{{/PLATFORM}}
</ul>
{{#PLAN}}<h2>Plan</h2>
<p class="plan">{{NAME}}</p>
<ul class="plan-modules">{{#MODULES}}<li>{{VALUE}}</li>{{/MODULES}}</ul>
{{#MODULES_EMPTY}}<p>The plan has no modules.</p>{{/MODULES_EMPTY}}{{/PLAN}}
