{{%AUTOESCAPE context="HTML"}}
<p>{{#OPEN}} never closed</p>
