{{%AUTOESCAPE context="HTML"}}
{{! user.tpl -- one user the viewer manages: who it is, its rights per area }}
{{! (a form when the viewer may change them) and disable / enable. Keys: }}
{{! USER, AREAS (NAME, LABEL, BITS: RIGHT, BIT, ON, EDITABLE), SELF, }}
{{! MANAGEABLE, CAN_UPDATE, SAVED, SECURITY_QUESTIONS_SET (SLOT, QUESTION, }}
{{! CHECKED), SECURITY_QUESTIONS_ANSWERED, SECURITY_CHECK (QUESTION, MATCHES). }}
{{#USER}}
<h1>{{LOGIN}}</h1>
{{#SAVED}}<p class="tp-ok" role="status">{{_}}Saved.{{/_}}</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<dl class="tp-facts user" data-id="{{ID}}">
<dt>{{_}}Name{{/_}}</dt><dd class="name">{{NAME}}</dd>
<dt>{{_}}E-mail{{/_}}</dt><dd class="email">{{EMAIL}}</dd>
<dt>{{_}}Login type{{/_}}</dt><dd class="kind">{{KIND}}</dd>
<dt>{{_}}Partner or account{{/_}}</dt><dd class="owner">{{OWNER}}</dd>
<dt>{{_}}Status{{/_}}</dt><dd class="status">{{STATUS}}</dd>
<dt>{{_}}Admin{{/_}}</dt><dd class="admin">{{#ADMIN}}{{_}}yes{{/_}}{{/ADMIN}}{{#ADMIN_EMPTY}}{{_}}no{{/_}}{{/ADMIN_EMPTY}}</dd>
</dl>
{{/USER}}
{{#SELF}}<p class="tp-note">{{_}}This is your own login: another administrator changes its rights.{{/_}}</p>{{/SELF}}
{{#MANAGEABLE_EMPTY}}<p class="tp-note">{{_}}This user holds rights your login does not, so you cannot change it.{{/_}}</p>{{/MANAGEABLE_EMPTY}}
<h2>{{_}}Security questions{{/_}}</h2>
{{#SECURITY_CHECK}}<p class="{{#MATCHES}}tp-ok{{/MATCHES}}{{#MATCHES_EMPTY}}tp-error{{/MATCHES_EMPTY}} security-check" role="status">{{QUESTION}}: {{#MATCHES}}{{_}}the answer matches.{{/_}}{{/MATCHES}}{{#MATCHES_EMPTY}}{{_}}the answer does not match.{{/_}}{{/MATCHES_EMPTY}}</p>{{/SECURITY_CHECK}}
{{#SECURITY_QUESTIONS_ANSWERED}}<p>{{_}}To check a caller's identity, ask one of the questions this login answered and type what the caller says: you see only whether it matches. Five wrong answers within the hour lock the check.{{/_}}</p>
<form method="post" action="/users/{{#USER}}{{ID}}{{/USER}}/security-check" class="tp-form security-check">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<fieldset><legend>{{_}}Question{{/_}}</legend>
{{#SECURITY_QUESTIONS_SET}}<label><input type="radio" name="slot" value="{{SLOT}}"{{#CHECKED}} checked{{/CHECKED}}> {{QUESTION}}</label>
{{/SECURITY_QUESTIONS_SET}}</fieldset>
<label for="secq_answer">{{_}}The caller's answer{{/_}}</label><input id="secq_answer" name="answer" autocomplete="off" required maxlength="128">
<button type="submit">{{_}}Check the answer{{/_}}</button>
</form>{{/SECURITY_QUESTIONS_ANSWERED}}
{{#SECURITY_QUESTIONS_SET_EMPTY}}<p class="security-questions-none">{{_}}This login has not answered security questions.{{/_}}</p>{{/SECURITY_QUESTIONS_SET_EMPTY}}
<h2>{{_}}Rights{{/_}}</h2>
<form method="post" action="/users/{{#USER}}{{ID}}{{/USER}}/rights" class="tp-form user-rights">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<table class="tp-table rights">
<thead><tr><th>{{_}}Area{{/_}}</th><th>{{_}}Rights{{/_}}</th></tr></thead>
<tbody>
{{#AREAS}}<tr data-area="{{NAME}}"><th scope="row">{{LABEL}}</th><td><input type="hidden" name="rights[{{NAME}}]" value="0">
{{#BITS}}<label><input type="checkbox" name="rights[{{NAME}}]" value="{{BIT}}"{{#ON}} checked{{/ON}}{{#EDITABLE_EMPTY}} disabled{{/EDITABLE_EMPTY}}> {{RIGHT}}</label>
{{/BITS}}</td></tr>
{{/AREAS}}
</tbody>
</table>
{{#CAN_UPDATE}}<button type="submit">{{_}}Save rights{{/_}}</button>{{/CAN_UPDATE}}
</form>
{{#CAN_UPDATE}}{{#USER}}
{{#ACTIVE}}<form method="post" action="/users/{{ID}}/disable" class="tp-inline user-disable"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">{{_}}Disable this login{{/_}}</button></form>{{/ACTIVE}}
{{#ACTIVE_EMPTY}}<form method="post" action="/users/{{ID}}/enable" class="tp-inline user-enable"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">{{_}}Enable this login{{/_}}</button></form>{{/ACTIVE_EMPTY}}
{{/USER}}{{/CAN_UPDATE}}
<p><a href="/users">{{_}}All users{{/_}}</a></p>
