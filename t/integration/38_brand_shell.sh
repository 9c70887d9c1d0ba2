#!/usr/bin/env bash
# 38_brand_shell.sh -- what a brand publishes shows where the brand has it
# (issue 10): its logo and support contacts in the layout, its social links
# in the footer, its favicon (a default one otherwise, from /static/), and
# Help > Contact us in the core with the customer service phone, e-mail and
# address, the payment address and another address; the demo brand has
# them all so the demo shows them.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 21

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo bsh
login c1 100001 customer

page c1 /
is "$STATUS" 200 "the demo brand's home as 100001: 200"
like "$(body)" '<img class="tp-logo" src="/static/img/demo-logo.svg"' "  the demo's logo in the header"
like "$(body)" 'class="tp-support-phone">\+49 30 1234 5600<' "  its phone in the footer"
like "$(body)" 'href="mailto:support@demo.example"' "  its e-mail in the footer"
like "$(body)" '<nav class="tp-social" aria-label="Follow us"><ul><li><a class="tp-social-facebook" href="https://www.facebook.com/demotelecom.example"' "  its social links in the footer"
like "$(body)" 'tp-social-linkedin.*tp-social-x' "  LinkedIn and X too, in order"
like "$(body)" '<link rel="icon" href="/static/favicon.svg">' "  the default favicon"
req GET /static/favicon.svg
is "$STATUS" 200 "/static/favicon.svg: 200"
req GET /static/img/demo-logo.svg
is "$STATUS" 200 "/static/img/demo-logo.svg: 200"

page c1 /help/contact
is "$STATUS" 200 "GET /help/contact: 200"
like "$(body)" '<h1>Contact us</h1>' "  the core's page"
like "$(body)" '<dt>Customer service phone</dt><dd class="tp-contact-phone"><a href="tel:\+49 30 1234 5600">' "  customer service phone"
like "$(body)" '<dt>Customer service address</dt><dd class="tp-contact-address">Demo Telecom Customer Service' "  customer service address"
like "$(body)" '<dt>Payment address</dt><dd class="tp-contact-payment">Demo Telecom Payments' "  payment address"
like "$(body)" '<dt>Other address</dt><dd class="tp-contact-other">Demo Telecom Head Office' "  other address"
like "$(body)" '<span class="tp-group-label">Help</span><ul>.*<a href="/help/contact" aria-current="page">Contact us</a>' "  reached from the menu's Help group"
as c1 GET /api/v1/help/contact
like "$(body)" '"email":"support@demo.example"' "the API: the same contacts"

# a brand that published nothing, then a favicon of its own
new_brand bsn
op_login
req GET /help/contact "${H[@]}" -b "$COOKIE=${SESS[op]}"
like "$(body)" 'has not published its contacts yet' "a brand without contacts says so"
unlike "$(body)" 'tp-social' "  and has no social links"
as op POST /api/v1/admin/brand '{"favicon_url":"/static/img/demo-logo.svg"}'
is "$STATUS" 200 "the brand sets a favicon: 200"
for _ in $(seq 1 12); do
	req GET /help/contact "${H[@]}" -b "$COOKIE=${SESS[op]}"
	grep -q 'rel="icon" href="/static/img/demo-logo.svg"' "$BODY" && break
	sleep 1
done
like "$(body)" '<link rel="icon" href="/static/img/demo-logo.svg">' "  the pages link it"

done_testing
