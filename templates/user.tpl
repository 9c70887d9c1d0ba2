{{%AUTOESCAPE context="HTML"}}
{{! user.tpl -- one user the viewer manages: who it is, its rights per area }}
{{! (a form when the viewer may change them) and disable / enable. Keys: }}
{{! USER, AREAS (NAME, LABEL, BITS: RIGHT, BIT, ON, EDITABLE), SELF, }}
{{! MANAGEABLE, CAN_UPDATE, SAVED, SECURITY_QUESTIONS_SET (SLOT, QUESTION, }}
{{! CHECKED), SECURITY_QUESTIONS_ANSWERED, SECURITY_CHECK (QUESTION, MATCHES). }}
{{#USER}}
<h1>{{LOGIN}}</h1>
{{#SAVED}}<p class="tp-ok" role="status">Saved.</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}{{#FIELD}} (<code>{{FIELD}}</code>){{/FIELD}}</p>{{/ERROR}}
<dl class="tp-facts user" data-id="{{ID}}">
<dt>Name</dt><dd class="name">{{NAME}}</dd>
<dt>E-mail</dt><dd class="email">{{EMAIL}}</dd>
<dt>Login type</dt><dd class="kind">{{KIND}}</dd>
<dt>Partner or account</dt><dd class="owner">{{OWNER}}</dd>
<dt>Status</dt><dd class="status">{{STATUS}}</dd>
<dt>Admin</dt><dd class="admin">{{#ADMIN}}yes{{/ADMIN}}{{#ADMIN_EMPTY}}no{{/ADMIN_EMPTY}}</dd>
</dl>
{{/USER}}
{{#SELF}}<p class="tp-note">This is your own login: another administrator changes its rights.</p>{{/SELF}}
{{#MANAGEABLE_EMPTY}}<p class="tp-note">This user holds rights your login does not, so you cannot change it.</p>{{/MANAGEABLE_EMPTY}}
<h2>Security questions</h2>
{{#SECURITY_CHECK}}<p class="{{#MATCHES}}tp-ok{{/MATCHES}}{{#MATCHES_EMPTY}}tp-error{{/MATCHES_EMPTY}} security-check" role="status">{{QUESTION}}: {{#MATCHES}}the answer matches.{{/MATCHES}}{{#MATCHES_EMPTY}}the answer does not match.{{/MATCHES_EMPTY}}</p>{{/SECURITY_CHECK}}
{{#SECURITY_QUESTIONS_ANSWERED}}<p>To check a caller's identity, ask one of the questions this login answered and type what the caller says: you see only whether it matches. Five wrong answers within the hour lock the check.</p>
<form method="post" action="/users/{{#USER}}{{ID}}{{/USER}}/security-check" class="tp-form security-check">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<fieldset><legend>Question</legend>
{{#SECURITY_QUESTIONS_SET}}<label><input type="radio" name="slot" value="{{SLOT}}"{{#CHECKED}} checked{{/CHECKED}}> {{QUESTION}}</label>
{{/SECURITY_QUESTIONS_SET}}</fieldset>
<label for="secq_answer">The caller's answer</label><input id="secq_answer" name="answer" autocomplete="off" required maxlength="128">
<button type="submit">Check the answer</button>
</form>{{/SECURITY_QUESTIONS_ANSWERED}}
{{#SECURITY_QUESTIONS_SET_EMPTY}}<p class="security-questions-none">This login has not answered security questions.</p>{{/SECURITY_QUESTIONS_SET_EMPTY}}
<h2>Rights</h2>
<form method="post" action="/users/{{#USER}}{{ID}}{{/USER}}/rights" class="tp-form user-rights">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<table class="tp-table rights">
<thead><tr><th>Area</th><th>Rights</th></tr></thead>
<tbody>
{{#AREAS}}<tr data-area="{{NAME}}"><th scope="row">{{LABEL}}</th><td><input type="hidden" name="rights[{{NAME}}]" value="0">
{{#BITS}}<label><input type="checkbox" name="rights[{{NAME}}]" value="{{BIT}}"{{#ON}} checked{{/ON}}{{#EDITABLE_EMPTY}} disabled{{/EDITABLE_EMPTY}}> {{RIGHT}}</label>
{{/BITS}}</td></tr>
{{/AREAS}}
</tbody>
</table>
{{#CAN_UPDATE}}<button type="submit">Save rights</button>{{/CAN_UPDATE}}
</form>
{{#CAN_UPDATE}}{{#USER}}
{{#ACTIVE}}<form method="post" action="/users/{{ID}}/disable" class="tp-inline user-disable"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">Disable this login</button></form>{{/ACTIVE}}
{{#ACTIVE_EMPTY}}<form method="post" action="/users/{{ID}}/enable" class="tp-inline user-enable"><input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}"><button type="submit">Enable this login</button></form>{{/ACTIVE_EMPTY}}
{{/USER}}{{/CAN_UPDATE}}
<p><a href="/users">All users</a></p>
