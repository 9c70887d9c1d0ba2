{{%AUTOESCAPE context="HTML"}}
{{! runs.tpl -- the brand's commission runs (operators) }}
<h1>Commission runs</h1>
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>A run computes the commission lines of everything dated up to its period's last day that no run has taken yet (a late payment of an old period is taken by the next run, once) and posts them as payables to the partners. It runs by itself each night for the month that ended; a rerun of a period adds nothing.</p>
<div class="tp-scroll" tabindex="0" role="region" aria-label="Commission runs">
<table class="tp-table cms-runs">
<thead><tr><th scope="col">Run</th><th scope="col">Period</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col" class="num">Lines</th></tr></thead>
<tbody>
{{#RUNS}}<tr><td>{{ID}}</td><td>{{PERIOD}}</td><td>{{STATUS}}</td><td>{{STARTED}}</td><td>{{FINISHED}}</td><td class="num">{{LINES}}</td></tr>
{{/RUNS}}
{{#RUNS_EMPTY}}<tr><td colspan="6">No runs yet.</td></tr>{{/RUNS_EMPTY}}
</tbody></table></div>
<h2>Run a period now</h2>
<form method="post" action="/commissions/runs" class="tp-form cms-run">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="cr-period">Period (YYYY-MM)</label><input id="cr-period" name="period" value="{{FORM_PERIOD}}" required maxlength="7" pattern="[0-9]{4}-[0-9]{2}">
<button type="submit">Run the period</button>
</form>
