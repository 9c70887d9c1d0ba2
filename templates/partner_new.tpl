{{%AUTOESCAPE context="HTML"}}
{{! partner_new.tpl -- an operator adds a top-level agent (core/builtin/tree.c). }}
{{! Keys: ADD_AGENT (CSRF_TOKEN, TIERS: NAME), ERROR. }}
<h1>{{_}}Add a top-level agent{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
{{#ADD_AGENT}}
<form method="post" action="/partners" class="tp-form agent-add">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="agent-name">{{_}}Name{{/_}}</label><input id="agent-name" name="name" required maxlength="128">
<label for="agent-currency">{{_}}Currency{{/_}}</label><input id="agent-currency" name="currency" required maxlength="3" placeholder="EUR">
<label for="agent-tier">{{_}}Tier{{/_}}</label>
<select id="agent-tier" name="tier">{{#TIERS}}<option value="{{NAME}}">{{NAME}}</option>{{/TIERS}}</select>
<button type="submit">{{_}}Add agent{{/_}}</button>
</form>
{{/ADD_AGENT}}
<p><a href="/partners">{{_}}Back to the partners{{/_}}</a></p>
