{{%AUTOESCAPE context="HTML"}}
<h1 class="acme-page">ACME greets {{NAME}}</h1>
