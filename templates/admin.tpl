{{%AUTOESCAPE context="HTML"}}
{{! admin.tpl -- the operator overview: links to the admin pages, the }}
{{! brand's plan and its modules (read-only). Keys: BRAND_NAME, SLUG, }}
{{! PLATFORM, PLAN (ID, NAME, MODULES). }}
<h1>{{_}}Admin{{/_}}</h1>
<p>{{_}}Brand <strong class="brand-name">{{BRAND_NAME}}</strong> (<code>{{SLUG}}</code>){{/_}}</p>
<ul class="tp-links admin">
<li>{{_}}<a href="/admin/brand">Brand settings</a>: name, logo, colours, custom CSS, contact details, social links, terms, host names{{/_}}</li>
<li>{{_}}<a href="/admin/security-questions">Security questions</a>: the questions logins answer, to check a caller's identity{{/_}}</li>
<li>{{_}}<a href="/categories">Product categories</a>: the names of the categories products are in (revenue is booked by category){{/_}}</li>
<li>{{_}}<a href="/admin/tiers">Tiers</a>: points thresholds, support levels and the modules each tier enables{{/_}}</li>
{{#PLATFORM}}<li>{{_}}<a href="/admin/plans">Plans</a>: which modules a brand may use{{/_}}</li>
<li>{{_}}<a href="/admin/brands">Brands</a>: create, change plan, disable{{/_}}</li>{{/PLATFORM}}
</ul>
{{#PLAN}}<h2>{{_}}Plan{{/_}}</h2>
<p class="plan">{{NAME}}</p>
<ul class="plan-modules">{{#MODULES}}<li>{{VALUE}}</li>{{/MODULES}}</ul>
{{#MODULES_EMPTY}}<p>{{_}}The plan has no modules.{{/_}}</p>{{/MODULES_EMPTY}}{{/PLAN}}
