#!/usr/bin/env bash
# modules/commissions/t/i18n.sh -- issue 10 for commissions: a German
# partner's commission pages in German with German money separators (the
# summary, its payout requests), the same pages in English for an English
# partner of the same brand, the API's money values unchanged.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 13

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
# times for people in the viewer's zone; the API's stay UTC
PN=$(sql "SELECT partner_id FROM users WHERE tenant_id = $T AND login = 'agent.north'")
sql "INSERT INTO commission_requests (tenant_id, partner_id, destination, amount, currency, status, reason, created_at)
	VALUES ($T, $PN, 'bank', 100000, 'EUR', 'refused', 'zone test', '2026-07-01 12:00:00')"
as de PATCH /api/v1/profile '{"time_zone":"Asia/Tokyo"}'
page de /commissions/requests
like "$(body)" '<td>2026-07-01 21:00</td>' "  a request's time in the partner's zone (Tokyo: UTC+9)"
as de GET /commissions/requests
check "  the API's created_at stays UTC" json_has created_at '"2026-07-01 12:00"'
sql "DELETE FROM commission_requests WHERE tenant_id = $T AND reason = 'zone test'"
is "$?" 0 "  (the test's request removed)"
page en /commissions
like "$(body)" '<h1>Commission summary' "an English partner of the same brand: English"
like "$(body)" '[0-9]\.[0-9]{2} [A-Z]{3}' "  money with a decimal point"
as de GET /commissions
is "$STATUS" 200 "the German partner's summary as JSON"
unlike "$(body)" '"[0-9]+,[0-9]+"' "  its money values stay decimal strings"

done_testing
