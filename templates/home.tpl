{{%AUTOESCAPE context="HTML"}}
<h1>tierport</h1>
<p>Modules loaded in this worker:</p>
<ul class="modules">{{#MODULES}}<li><strong>{{NAME}}</strong> {{VERSION}} &mdash; {{DESCRIPTION}}</li>{{/MODULES}}</ul>
{{#MODULES_EMPTY}}<p>No modules are loaded.</p>{{/MODULES_EMPTY}}
