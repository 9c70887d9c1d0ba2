{{%AUTOESCAPE context="HTML"}}
{{! confirm.tpl -- the confirmation step of a change that is hard to undo, }}
{{! without JavaScript: the same POST again with confirm=1. Keys: CONFIRM }}
{{! {QUESTION, CONSEQUENCE, ACTION, FIELDS [{NAME, VALUE}], BUTTON, CANCEL}, }}
{{! CSRF_TOKEN. }}
{{#CONFIRM}}
<section class="tp-confirm" aria-labelledby="confirm-q">
<h1 id="confirm-q">{{QUESTION}}</h1>
<p>{{CONSEQUENCE}}</p>
<form method="post" action="{{ACTION}}" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
{{#FIELDS}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">
{{/FIELDS}}<input type="hidden" name="confirm" value="1">
<button type="submit" class="tp-danger">{{BUTTON}}</button>
<a href="{{CANCEL}}">{{_}}Cancel, keep it as it is{{/_}}</a>
</form>
</section>
{{/CONFIRM}}
