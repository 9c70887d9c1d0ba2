{{%AUTOESCAPE context="HTML"}}
{{! admin_security_questions.tpl -- the brand's security questions, one }}
{{! per line (core/builtin/secq.c). Keys: QUESTIONS (the text), COUNT, }}
{{! CSRF_TOKEN, SAVED, ERROR (MESSAGE, FIELD). }}
<h1>{{_}}Security questions{{/_}}</h1>
{{#SAVED}}<p class="tp-ok" role="status">{{_}}Saved.{{/_}}</p>{{/SAVED}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>{{_}}Each login chooses two of these questions on its profile and answers them. On a support call, staff type the caller's answer on the login's user page and see only whether it matches: the answers are stored hashed and never shown.{{/_}}</p>
<form method="post" action="/admin/security-questions" class="tp-form security-questions">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="questions">{{_}}Questions, one per line ({{COUNT}} offered now; at most 20; none: the profile offers none). A question taken off the list still checks the answers given to it.{{/_}}</label>
<textarea id="questions" name="questions" rows="10">{{QUESTIONS}}</textarea>
<button type="submit">{{_}}Save the questions{{/_}}</button>
</form>
<p><a href="/admin">{{_}}Admin{{/_}}</a></p>
