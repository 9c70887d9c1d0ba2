{{%AUTOESCAPE context="HTML"}}
{{! error.tpl -- the page for every error response. Keys: STATUS, REASON, }}
{{! MESSAGE, FIELD (only when the failure names one), REQUEST_ID. }}
<section class="tp-error" role="alert">
<h1><span class="tp-error-status">{{STATUS}}</span> {{REASON}}</h1>
<p class="tp-error-message">{{MESSAGE}}</p>
{{#FIELD}}<p class="tp-error-field">{{_}}Field: <code>{{FIELD}}</code>{{/_}}</p>
{{/FIELD}}
<p class="tp-error-ref">{{_}}If you contact support, quote reference <code>{{REQUEST_ID}}</code>.{{/_}}</p>
<p><a href="/">{{_}}Back to the start page{{/_}}</a></p>
</section>
