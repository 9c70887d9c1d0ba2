{{%AUTOESCAPE context="HTML"}}
s=[{{STR}}] i=[{{INT}}] big=[{{BIG}}] huge=[{{HUGE}}] neg=[{{NEG}}] d=[{{DBL}}] t=[{{YES}}] f=[{{NO}}]
{{#YES}}yes-shown{{/YES}}{{#NO}}no-shown{{/NO}}{{#NO_EMPTY}}no-empty{{/NO_EMPTY}}
{{#ZERO}}zero-shown{{/ZERO}}{{#ZERO_EMPTY}}zero-empty{{/ZERO_EMPTY}}
{{#BLANK}}blank-shown{{/BLANK}}{{#BLANK_EMPTY}}blank-empty{{/BLANK_EMPTY}}
{{#NOTHING}}null-shown{{/NOTHING}}{{#NOTHING_EMPTY}}null-empty{{/NOTHING_EMPTY}}
{{#STR}}str-shown:{{STR}}{{/STR}}
dash=[{{FIRST_NAME}}] digit=[{{2FA}}]
{{#USER}}user:{{LOGIN}}/{{STR}}{{#ROLE}}role:{{NAME}}{{/ROLE}}{{/USER}}
{{#EMPTYOBJ}}emptyobj-shown{{/EMPTYOBJ}}
scalars:{{#NUMS}}<{{VALUE}}>{{#NUMS_separator}},{{/NUMS_separator}}{{/NUMS}}
nested:{{#GRID}}[{{#VALUE}}{{VALUE}}{{/VALUE}}]{{/GRID}}
{{#LIST_EMPTY}}list-empty{{/LIST_EMPTY}}{{#LIST}}list-shown{{/LIST}}
opts:{{#OPTS}}{{V}}{{#CURRENT}}*{{/CURRENT}};{{/OPTS}} rows:{{#ROWS}}[{{EMAIL}}]{{/ROWS}}
