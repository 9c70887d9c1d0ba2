{{%AUTOESCAPE context="HTML"}}
{{! hello/message.tpl -- Help > Message support: BRAND_NAME, MESSAGES_SENT, SENT and ID after a send, ERROR. }}
<link rel="stylesheet" href="/modules/hello/static/hello.css">
<section class="hello-message">
<h1>Message support</h1>
<p>Write to the {{BRAND_NAME}} support desk; their phone and addresses are on <a href="/help/contact">Contact us</a>.</p>
{{#SENT}}<p class="tp-ok" role="status">Thank you: your message (reference {{ID}}) is with our support desk.</p>{{/SENT}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form method="post" action="/help/message" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="subject">Subject</label>
<input id="subject" name="subject" required maxlength="120">
<label for="message">Message</label>
<textarea id="message" name="message" required maxlength="4000" rows="6"></textarea>
<button type="submit">Send</button>
</form>
<p class="hello-sent">Messages sent from here: {{MESSAGES_SENT}}</p>
</section>
