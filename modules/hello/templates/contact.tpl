{{%AUTOESCAPE context="HTML"}}
<link rel="stylesheet" href="/modules/hello/static/hello.css">
<section class="hello-contact">
<h1>Contact us</h1>
{{#NO_CONTACTS}}<p>{{BRAND_NAME}} has not published its support contacts yet; leave a message below.</p>{{/NO_CONTACTS}}
<dl class="hello-contacts">
{{#PHONE}}<dt>Phone</dt><dd class="hello-phone"><a href="tel:{{PHONE}}">{{PHONE}}</a></dd>{{/PHONE}}
{{#EMAIL}}<dt>E-mail</dt><dd class="hello-email"><a href="mailto:{{EMAIL}}">{{EMAIL}}</a></dd>{{/EMAIL}}
{{#ADDRESS}}<dt>Address</dt><dd class="hello-address">{{ADDRESS}}</dd>{{/ADDRESS}}
</dl>
{{#SENT}}<p class="tp-ok" role="status">Thank you: your message (reference {{ID}}) is with our support desk.</p>{{/SENT}}
{{#ERROR}}<p class="tp-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<h2>Send us a message</h2>
<form method="post" action="/help/contact" class="tp-form">
<input type="hidden" name="_csrf" value="{{CSRF_TOKEN}}">
<label for="subject">Subject</label>
<input id="subject" name="subject" required maxlength="120">
<label for="message">Message</label>
<textarea id="message" name="message" required maxlength="4000" rows="6"></textarea>
<button type="submit">Send</button>
</form>
<p class="hello-sent">Messages sent from here: {{MESSAGES_SENT}}</p>
</section>
