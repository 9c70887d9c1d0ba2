#!/usr/bin/env bash
# modules/commissions/t/i18n.sh -- issue 10 for commissions: a German
# partner's commission pages in German with German money separators (the
# summary, its payout requests), the same pages in English for an English
# partner of the same brand, the API's money values unchanged.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 10

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo cms18n
login en agent.south partner
sql "UPDATE users SET language = 'de' WHERE tenant_id = $T AND login = 'agent.north'"
login de agent.north partner

page de /commissions
is "$STATUS" 200 "the German partner's commission summary"
like "$(body)" '<h1>Provisionsübersicht' "  is German (template text)"
like "$(body)" '<dt>Ausstehende Zahlung</dt>' "  every marked label of it"
like "$(body)" '[0-9],[0-9]{2} [A-Z]{3}' "  money with a decimal comma"
unlike "$(body)" '[0-9]\.[0-9]{2} [A-Z]{3}' "  and never with a decimal point"
page de /commissions/requests
like "$(body)" '<h1>Auszahlungsanfragen</h1>' "its payout requests page is German"
page en /commissions
like "$(body)" '<h1>Commission summary' "an English partner of the same brand: English"
like "$(body)" '[0-9]\.[0-9]{2} [A-Z]{3}' "  money with a decimal point"
as de GET /commissions
is "$STATUS" 200 "the German partner's summary as JSON"
unlike "$(body)" '"[0-9]+,[0-9]+"' "  its money values stay decimal strings"

done_testing
