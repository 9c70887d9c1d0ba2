{{%AUTOESCAPE context="HTML"}}
{{! healthz.tpl -- /healthz for people; monitors read the status code or the }}
{{! JSON. Keys: DB ("ok" / "down"), CACHE ("up" / "down" / "off"), VERSION, }}
{{! ABI (the module ABI), MODULES (NAME, VERSION, ABI of each loaded module). }}
<section class="tp-health">
<h1>{{_}}Health{{/_}}</h1>
<dl class="tp-health-list">
<dt>{{_}}Database{{/_}}</dt>
<dd class="tp-state tp-state-{{DB}}" data-check="db">{{DB}}</dd>
<dt>{{_}}Cache{{/_}}</dt>
<dd class="tp-state tp-state-{{CACHE}}" data-check="cache">{{CACHE}}</dd>
{{#VERSION}}<dt>{{_}}Version{{/_}}</dt>
<dd>{{VERSION}}</dd>
{{/VERSION}}
{{#ABI}}<dt>{{_}}Module ABI{{/_}}</dt>
<dd>{{ABI}}</dd>
{{/ABI}}
<dt>{{_}}Modules{{/_}}</dt>
<dd><ul class="tp-health-modules">{{#MODULES}}<li data-module="{{NAME}}">{{NAME}} {{VERSION}} (ABI {{ABI}})</li>{{/MODULES}}</ul></dd>
</dl>
</section>
