{{%AUTOESCAPE context="HTML"}}
<h1 class="vt-page">Hello, {{NAME}}!</h1>
<ul class="items">{{#ITEMS}}<li data-id="{{ID}}">{{LABEL}}</li>{{/ITEMS}}</ul>
{{#ITEMS_EMPTY}}<p class="none">no items</p>{{/ITEMS_EMPTY}}
{{#TAGS_EMPTY}}<p class="no-tags">no tags</p>{{/TAGS_EMPTY}}
