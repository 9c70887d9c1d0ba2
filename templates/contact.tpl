{{%AUTOESCAPE context="HTML"}}
{{! contact.tpl -- Help > Contact us: CONTACT (BRAND_NAME, PHONE, EMAIL, ADDRESS, PAYMENT_ADDRESS, }}
{{! OTHER_ADDRESS: each only when the brand publishes it; NONE; SOCIAL: NAME, LABEL, URL). }}
{{#CONTACT}}<section class="tp-contact">
<h1>{{_}}Contact us{{/_}}</h1>
{{#NONE}}<p>{{_}}{{BRAND_NAME}} has not published its contacts yet.{{/_}}</p>{{/NONE}}
<dl class="tp-contacts">
{{#PHONE}}<dt>{{_}}Customer service phone{{/_}}</dt><dd class="tp-contact-phone"><a href="tel:{{PHONE}}">{{PHONE}}</a></dd>{{/PHONE}}
{{#EMAIL}}<dt>{{_}}Customer service e-mail{{/_}}</dt><dd class="tp-contact-email"><a href="mailto:{{EMAIL}}">{{EMAIL}}</a></dd>{{/EMAIL}}
{{#ADDRESS}}<dt>{{_}}Customer service address{{/_}}</dt><dd class="tp-contact-address">{{ADDRESS}}</dd>{{/ADDRESS}}
{{#PAYMENT_ADDRESS}}<dt>{{_}}Payment address{{/_}}</dt><dd class="tp-contact-payment">{{PAYMENT_ADDRESS}}</dd>{{/PAYMENT_ADDRESS}}
{{#OTHER_ADDRESS}}<dt>{{_}}Other address{{/_}}</dt><dd class="tp-contact-other">{{OTHER_ADDRESS}}</dd>{{/OTHER_ADDRESS}}
</dl>
{{#SOCIAL}}<p class="tp-contact-social"><a href="{{URL}}" rel="noopener">{{LABEL}}</a></p>{{/SOCIAL}}
</section>{{/CONTACT}}
