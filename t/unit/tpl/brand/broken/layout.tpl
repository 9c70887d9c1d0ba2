{{%AUTOESCAPE context="HTML"}}
<html>{{#UNCLOSED}}
