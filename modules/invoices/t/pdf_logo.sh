#!/usr/bin/env bash
# modules/invoices/t/pdf_logo.sh -- the brand's logo in the invoice PDF
# (modules/invoices/pdf.c), on a brand of its own: none, a PNG under
# /static/ (an image in the PDF, and the name beside it), an SVG and an
# https address (the name alone: libharu draws no SVG, and the PDF fetches
# nothing from another host), a missing file, a corrupt PNG and JPEG (the
# name alone, a warning INV0102 in the log, and the worker alive: libharu
# 2.3 aborts on a corrupt PNG of its own reading).
# tp-test: parallel (its own brand; its temporary logos have its own names)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 31

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand pdflogo invoices
source "$(dirname "$0")/lib.bash"
NAME=$(sql "SELECT name FROM tenants WHERE id = $T")

# corrupt logos, in the directory nginx serves /static/ from (tools/stack:
# [module.invoices] static_dir), removed at the end
BAD=t-bad-logo-$SLUG
on_exit() { rm -f "$TP_SRC/static/img/$BAD.png" "$TP_SRC/static/img/$BAD.jpg"; }
head -c 60 "$TP_SRC/static/img/demo-logo.png" >"$TP_SRC/static/img/$BAD.png" # cut in its pixels
printf '\xff\xd8\xff\xe0%s' "not a JPEG at all" >"$TP_SRC/static/img/$BAD.jpg"

# ------------------------------------------------------------- an invoice
by OP POST /api/v1/partners '{"name":"Logo Partner","currency":"EUR"}'
P=$(json_num id)
by OP POST "/api/v1/partners/$P/accounts" '{"number":"L-1","name":"Logo Customer","currency":"EUR","street":"Main St 1","city":"Berlin","postcode":"10115","country":"DE"}'
A=$(json_num id)
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"31","category":"voice"}'
PR=$(json_num id)
by OP POST "/api/v1/accounts/$A/services" "{\"product_id\":\"$PR\",\"phone_number\":\"+4930555001\",\"start_date\":\"2026-10-01\",\"status\":\"active\"}"
is "$STATUS" 201 "a line on the account"
"$CTL" -c "$INI" invoices run --brand "$SLUG" --cycle 2026-10-01 >/dev/null
INV=$(sql "SELECT IFNULL(MAX(id), 0) FROM invoices WHERE tenant_id = $T AND account_id = ${A:-0}")
[ "$INV" != 0 ] || { echo "Bail out! no invoice"; exit 1; }

# pdf LABEL: the invoice's PDF into $T_DIR/LABEL.pdf; its text in TXT, its
# images' rows (pdfimages -list, without its two heading lines) in IMGS
pdf() {
	req GET "/invoices/$INV/pdf" "${H[@]}" -H "Authorization: Bearer $OP"
	cp "$BODY" "$T_DIR/$1.pdf"
	TXT=$(pdftotext "$T_DIR/$1.pdf" - 2>/dev/null || true)
	IMGS=$(pdfimages -list "$T_DIR/$1.pdf" 2>/dev/null | sed 1,2d || true)
}
logo() {
	by OP POST /api/v1/admin/brand "{\"logo_url\":\"$1\"}"
	is "$STATUS" 200 "the brand's logo: $1"
}
warnings() { grep -c "INV0102: brand $T: " "$TP_LOG" || true; }

# ------------------------------------------------------------- no logo
pdf none
is "$STATUS|$(header Content-Type)" "200|application/pdf" "no logo: the PDF"
like "$TXT" "$NAME" "  with the brand's name"
is "$IMGS" "" "  and no image"

# ------------------------------------------------------------- a PNG
logo /static/img/demo-logo.png
pdf png
is "$STATUS" 200 "a PNG logo: the PDF"
like "$IMGS" "^ *1 +0 +image +80 +80 +rgb +3 +8" "  holds the logo: one 80 x 80 RGB image"
check "  an image XObject" grep -qa '/Subtype /Image' "$T_DIR/png.pdf"
like "$TXT" "$NAME" "  and still the brand's name"
like "$TXT" "Logo Customer" "  and the buyer"
# the PDF was inflated in the check above; that it renders at all:
check "  poppler reads it without complaint" bash -c "pdftoppm -r 20 -png '$T_DIR/png.pdf' '$T_DIR/png' 2>'$T_DIR/png.err' && ! [ -s '$T_DIR/png.err' ]"

# ------------------------------------------------------------- no image: the name
w0=$(warnings)
for u in /static/img/demo-logo.svg https://cdn.example.com/logo.png; do
	logo "$u"
	pdf other
	is "$STATUS|$IMGS" "200|" "  the PDF, with no image"
	like "$TXT" "$NAME" "  the brand's name"
done
is "$(warnings)" "$w0" "an SVG or an https logo is no warning: the name is what the docs say"

# ------------------------------------------------------------- what cannot be drawn
for f in /static/img/t-missing-$SLUG.png "/static/img/$BAD.png" "/static/img/$BAD.jpg"; do
	w0=$(warnings)
	logo "$f"
	pdf bad
	is "$STATUS|$(header Content-Type)|$IMGS" "200|application/pdf|" "  the PDF, with no image"
	like "$TXT" "$NAME" "  the brand's name"
	is "$(($(warnings) - w0))" 1 "  one warning INV0102 in the log"
done
req GET /healthz
is "$STATUS" 200 "the portal still answers"

done_testing
