{{%AUTOESCAPE context="HTML"}}
{{! runs.tpl -- the brand's commission runs (operators) }}
<h1>{{_}}Commission runs{{/_}}</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>{{_}}A run computes the commission lines of everything dated up to its period's last day that no run has taken yet (a late payment of an old period is taken by the next run, once) and posts them as payables to the partners.{{/_}} {{_}}It runs by itself each night for the month that ended; a rerun of a period adds nothing.{{/_}}</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="{{_}}Commission runs{{/_}}">
<table class="tp-table cms-runs">
<thead><tr><th scope="col">{{_}}Run{{/_}}</th><th scope="col">{{_}}Period{{/_}}</th><th scope="col">{{_}}Status{{/_}}</th><th scope="col">{{_}}Started{{/_}}</th><th scope="col">{{_}}Finished{{/_}}</th><th scope="col" class="num">{{_}}Lines{{/_}}</th></tr></thead>
<tbody>
{{#RUNS}}<tr><td>{{ID}}</td><td>{{PERIOD}}</td><td>{{STATUS_LABEL}}</td><td>{{STARTED_TEXT}}</td><td>{{FINISHED_TEXT}}</td><td class="num">{{LINES}}</td></tr>
{{/RUNS}}
{{#RUNS_EMPTY}}<tr><td colspan="6">{{_}}No runs yet.{{/_}}</td></tr>{{/RUNS_EMPTY}}
</tbody></table></div>
<h2>{{_}}Run a period now{{/_}}</h2>
<form method="post" action="/commissions/runs" class="tp-form cms-run">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="cr-period">{{_}}Period (YYYY-MM){{/_}}</label><input id="cr-period" name="period" value="{{FORM_PERIOD}}" required maxlength="7" pattern="[0-9]{4}-[0-9]{2}">
<button type="submit">{{_}}Run the period{{/_}}</button>
</form>
