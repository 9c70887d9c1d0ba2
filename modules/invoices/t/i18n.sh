#!/usr/bin/env bash
# modules/invoices/t/i18n.sh -- issues 10 and 12 for billing: a German
# customer's billing pages in German with German money separators; its
# invoice PDF and receipt PDF in German (umlauts included) whoever
# downloads them -- the customer or an operator -- while an English
# customer of the same brand gets English ones; a page in English stays
# English.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 21

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo inv18n
acct() { sql "SELECT id FROM accounts WHERE tenant_id = $T AND number = '$1'"; }
last_invoice() { sql "SELECT id FROM invoices WHERE account_id = $1 AND kind = 'invoice' AND status = 'issued' ORDER BY id DESC LIMIT 1"; }
pdf_text() { pdftotext -q -layout "$BODY" - 2>/dev/null; }
A1=$(acct 100001) A5=$(acct 100005)
I1=$(last_invoice "$A1") I5=$(last_invoice "$A5")
sql "UPDATE users SET language = 'de' WHERE tenant_id = $T AND login = '100001'"
login de 100001 customer
login en 100005 customer

# pages
page de /billing
is "$STATUS" 200 "the German customer's account summary"
like "$(body)" '<h1>Kontoübersicht</h1>' "  is German (template text)"
like "$(body)" '<th scope="row">Wiederkehrende Entgelte</th>' "  every marked label of it"
like "$(body)" '[0-9],[0-9]{2} [A-Z]{3}' "  money with a decimal comma"
unlike "$(body)" '[0-9]\.[0-9]{2} [A-Z]{3}' "  and never with a decimal point"
page de "/invoices/$I1"
like "$(body)" '<h1>Rechnung <span' "its invoice page is German"
like "$(body)" 'Zwischensumme' "  the summary too"
page en /billing
like "$(body)" '<h1>Account summary</h1>' "an English customer of the same brand: English"
like "$(body)" '[0-9]\.[0-9]{2} [A-Z]{3}' "  money with a decimal point"

# the invoice PDF in the customer's language (issue 12)
page de "/invoices/$I1/pdf"
is "$STATUS $(header content-type | cut -d';' -f1)" "200 application/pdf" "the German customer's invoice PDF"
T1=$(pdf_text)
like "$T1" 'Rechnung INV-' "  titled Rechnung"
like "$T1" 'Fällig' "  umlauts come out right (WinAnsi)"
like "$T1" 'Fälliger Betrag +[0-9.]*[0-9],[0-9]{2} [A-Z]{3}' "  German amounts"
page en "/invoices/$I5/pdf"
T5=$(pdf_text)
like "$T5" 'Invoice INV-' "the English customer's invoice PDF is English"
unlike "$T5" 'Rechnung' "  with no German in it"
# an account's own document language wins over its login's
sql "UPDATE accounts SET language = 'de' WHERE id = $A5"
page en "/invoices/$I5/pdf"
like "$(pdf_text)" 'Rechnung INV-' "an account whose documents are set to German: its PDF is German"
sql "UPDATE accounts SET language = NULL WHERE id = $A5"
page en "/invoices/$I5/pdf"
like "$(pdf_text)" 'Invoice INV-' "  and English again without it"
OPT=$("$CTL" -c "$INI" token add --brand "$SLUG" --login operator --kind operator --name t | grep -oE '[A-Za-z0-9_-]{43}' | head -n 1)
req GET "/invoices/$I1/pdf" "${H[@]}" -H "Authorization: Bearer $OPT"
like "$(pdf_text)" 'Rechnung INV-' "an operator (English) downloads the German customer's PDF: German"

# the receipt PDF the same way
P1=$(sql "SELECT id FROM payments WHERE account_id = $A1 AND status = 'settled' ORDER BY id DESC LIMIT 1")
page de "/payments/$P1/pdf"
like "$(pdf_text)" 'Zahlungsbeleg' "the German customer's receipt PDF is German"
page de "/payments/$P1"
like "$(body)" '<dt>Betrag</dt>' "  and its receipt page"
req GET "/payments/$P1/pdf" "${H[@]}" -H "Authorization: Bearer $OPT"
like "$(pdf_text)" 'Zahlungsbeleg' "  whoever downloads it"

done_testing
