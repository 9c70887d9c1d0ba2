/*
 * cycle.c -- the invoice viewer's billing-cycle drop-down without script
 * (the brand's Content-Security-Policy allows none inline): its form asks
 * GET /billing/cycle?invoice=ID, answered with a redirect to that
 * invoice's page, which checks the id against the viewer's subtree.
 */
#include "invoices.h"

tp_rc inv_cycle_choose(tp_req *r)
{
	int64_t id = 0;
	const char *s = tp_query(r, "invoice");
	if (s == NULL || tp_parse_i64(s, &id) != TP_OK || id <= 0)
		return tp_fail(r, TP_EINVAL, "invoice",
		               _("choose a billing cycle"));
	tp_set_status(r, 303);
	tp_set_header(r, "Location",
	              tp_printf(r, "/invoices/%lld", (long long)id));
	return TP_OK;
}
