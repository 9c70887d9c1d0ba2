/*
 * pages.c -- what partners and operators read of commissions: the
 * compensation history (every line of the viewer's subtree, so a
 * sub-agent never sees its parent's override), the disbursement history
 * and each disbursement's lines, the operators' lines grid and their
 * approvals form (posting to approve.c). Read-only: the grids come from
 * the core (sort, filter, group, renamed columns, CSV/XLSX/PDF), which
 * scopes every row to the viewer.
 */
#include "commissions.h"

#include <string.h>

static const char *const line_status[] = {"pending",   "approvable", "approved",
                                          "held",      "declined",   "paid",
                                          "cancelled", NULL};
static const char *const line_kinds[] = {"nrc",        "residual", "usage",
                                         "override",   "sales",    "payment",
                                         "chargeback", NULL};

/* a rate in ppm as people read it: 150000 -> "15 %", 72500 -> "7.25 %";
 * none for a fixed amount */
#define RATE_EXPR                                                              \
	"IF(l.rate_ppm = 0, '', CONCAT(TRIM(TRAILING '.' FROM TRIM(TRAILING "  \
	"'0' FROM CAST(l.rate_ppm / 10000 AS DECIMAL(12, 4)))), ' %'))"

static const tp_grid_col line_cols[] = {
    {.key = "line",
     .label = N_("Line"),
     .type = TP_COL_NUMBER,
     .flags = TP_COL_SORT,
     .expr = "l.id"},
    {.key = "status",
     .label = N_("Status"),
     .type = TP_COL_STATUS,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "l.status",
     .values = line_status},
    {.key = "paid",
     .label = N_("Date paid"),
     .type = TP_COL_DATE,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "DATE(l.paid_at)"},
    {.key = "invoice",
     .label = N_("Invoice"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "i.number"},
    {.key = "invoice_date",
     .label = N_("Invoice date"),
     .type = TP_COL_DATE,
     .flags = TP_COL_FILTER,
     .expr = "i.issue_date"},
    {.key = "invoice_total",
     .label = N_("Invoice total"),
     .type = TP_COL_MONEY,
     .expr = "i.total",
     .currency_expr = "i.currency"},
    {.key = "customer",
     .label = N_("Customer"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "IFNULL(a.name, '')"},
    {.key = "partner",
     .label = N_("Earned by"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "p.name"},
    {.key = "kind",
     .label = N_("Kind"),
     .type = TP_COL_STATUS,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "l.kind",
     .values = line_kinds},
    {.key = "level",
     .label = N_("Level"),
     .type = TP_COL_NUMBER,
     .flags = TP_COL_SORT | TP_COL_FILTER | TP_COL_GROUP,
     .expr = "l.level"},
    {.key = "basis",
     .label = N_("Comp basis"),
     .type = TP_COL_MONEY,
     .flags = TP_COL_FILTER,
     .expr = "l.basis",
     .currency_expr = "l.currency"},
    {.key = "rate",
     .label = N_("Rate"),
     .type = TP_COL_TEXT,
     .expr = RATE_EXPR},
    {.key = "amount",
     .label = N_("Amount"),
     .type = TP_COL_MONEY,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "l.amount",
     .currency_expr = "l.currency"},
    {.key = "period",
     .label = N_("Period"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_SORT | TP_COL_FILTER | TP_COL_GROUP,
     .expr = "l.period"},
    {.key = "earned",
     .label = N_("Earned on"),
     .type = TP_COL_DATE,
     .flags = TP_COL_SORT | TP_COL_FILTER | TP_COL_OPTIONAL,
     .expr = "l.earned_on"},
    {.key = "rule",
     .label = N_("Rule"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "IFNULL(CONCAT(cp.name, ' #', l.rule_id), '')"},
    {.key = "note",
     .label = N_("Note"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_OPTIONAL,
     .expr = "l.status_note"},
    {0}};

/* every line of the viewer's subtree: partner_expr is the earner's, so
 * a line earned above the viewer (its parent's override) is never in */
const tp_grid cms_history_grid = {
    .name = "commission_history",
    .title = N_("Compensation history"),
    .cols = line_cols,
    .from = "commission_lines l JOIN partners p ON p.id = l.partner_id "
            "LEFT JOIN invoices i ON i.id = l.invoice_id LEFT JOIN "
            "accounts a ON a.id = l.account_id LEFT JOIN commission_rules "
            "cr ON cr.id = l.rule_id LEFT JOIN commission_plans cp ON "
            "cp.id = cr.plan_id",
    .id_expr = "l.id",
    .tenant_expr = "l.tenant_id",
    .partner_expr = "l.partner_id",
    .default_sort = "-line",
};

static const char *const disb_status[] = {"sending", "paid", "failed",
                                          "unknown", NULL};

static const tp_grid_col disb_cols[] = {{.key = "number",
                                         .label = N_("Disbursement"),
                                         .type = TP_COL_TEXT,
                                         .flags = TP_COL_FILTER,
                                         .expr = "d.number"},
                                        {.key = "description",
                                         .label = N_("Description"),
                                         .type = TP_COL_TEXT,
                                         .flags = TP_COL_FILTER,
                                         .expr = "d.description"},
                                        {.key = "agent_id",
                                         .label = N_("Agent ID"),
                                         .type = TP_COL_NUMBER,
                                         .flags = TP_COL_SORT,
                                         .expr = "d.partner_id"},
                                        {.key = "agent",
                                         .label = N_("Agent"),
                                         .type = TP_COL_TEXT,
                                         .flags = TP_COL_FILTER | TP_COL_GROUP,
                                         .expr = "p.name"},
                                        {.key = "reference",
                                         .label = N_("Reference"),
                                         .type = TP_COL_TEXT,
                                         .flags = TP_COL_FILTER,
                                         .expr = "d.reference"},
                                        {.key = "comments",
                                         .label = N_("Comments"),
                                         .type = TP_COL_TEXT,
                                         .expr = "d.comments"},
                                        {.key = "date",
                                         .label = N_("Date"),
                                         .type = TP_COL_DATE,
                                         .flags = TP_COL_SORT | TP_COL_FILTER,
                                         .expr = "DATE(d.created_at)"},
                                        {.key = "amount",
                                         .label = N_("Amount"),
                                         .type = TP_COL_MONEY,
                                         .flags = TP_COL_SORT | TP_COL_FILTER,
                                         .expr = "d.amount",
                                         .currency_expr = "d.currency"},
                                        {.key = "lines",
                                         .label = N_("Lines"),
                                         .type = TP_COL_NUMBER,
                                         .flags = TP_COL_OPTIONAL,
                                         .expr = "d.line_count"},
                                        {.key = "status",
                                         .label = N_("Status"),
                                         .type = TP_COL_STATUS,
                                         .flags = TP_COL_FILTER | TP_COL_GROUP,
                                         .expr = "d.status",
                                         .values = disb_status},
                                        {0}};

const tp_grid cms_disbursements_grid = {
    .name = "commission_disbursements",
    .title = N_("Disbursement history"),
    .cols = disb_cols,
    .from = "commission_disbursements d JOIN partners p ON p.id = "
            "d.partner_id",
    .id_expr = "d.id",
    .tenant_expr = "d.tenant_id",
    .partner_expr = "d.partner_id",
    .default_sort = "-date",
    .link = "/commissions/disbursements/",
};

/* a link above a grid (grid.tpl's ACTIONS) */
static void grid_link(tp_req *r, const char *href, const char *label)
{
	json_object *v = tp_view(r), *a, *o = json_object_new_object();
	if (!json_object_object_get_ex(v, "actions", &a)) {
		a = json_object_new_array();
		json_object_object_add(v, "actions", a);
	}
	tp_json_add_str(o, "href", href);
	tp_json_add_str(o, "label", label);
	json_object_array_add(a, o);
}

/* GET /commissions/history (the "Historic remittance" and "Commission"
 * report entries are this grid, filtered) */
tp_rc cms_history_page(tp_req *r)
{
	if (!tp_wants_json(r) && tp_query(r, "format") == NULL) {
		grid_link(r, "/commissions", _("Commission summary"));
		grid_link(r, "/commissions/disbursements",
		          _("Disbursement history"));
	}
	return tp_grid_respond(r, &cms_history_grid, NULL, 0);
}

/* GET /commissions/lines: the same grid for operators, with the way to
 * their decisions */
tp_rc cms_lines_page(tp_req *r)
{
	if (!tp_wants_json(r) && tp_query(r, "format") == NULL) {
		grid_link(r, "/commissions/approvals",
		          _("Approve, hold or decline lines"));
		grid_link(r, "/commissions/lines?f.status=approvable",
		          _("Approvable lines"));
		grid_link(r, "/commissions/lines?f.status=held",
		          _("Held lines"));
	}
	return tp_grid_respond(r, &cms_history_grid, NULL, 0);
}

tp_rc cms_disbursements_page(tp_req *r)
{
	if (!tp_wants_json(r) && tp_query(r, "format") == NULL)
		grid_link(r, "/commissions/history", _("Compensation history"));
	return tp_grid_respond(r, &cms_disbursements_grid, NULL, 0);
}

/* GET /commissions/disbursements/{disbursement}: its lines (the core
 * checked the disbursement is the viewer's subtree's) */
tp_rc cms_disbursement_page(tp_req *r)
{
	int64_t id = tp_param_id(r, "disbursement");
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT d.id, d.number, d.description, d.partner_id, p.name, "
	    "d.reference, d.comments, DATE(d.created_at), d.amount, "
	    "d.currency, d.status, d.line_count, IFNULL(DATE(d.paid_at), '') "
	    "FROM "
	    "commission_disbursements d JOIN partners p ON p.id = d.partner_id "
	    "WHERE d.id = ? AND d.tenant_id = ?",
	    "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	json_object *d = json_object_new_object();
	tp_json_add_i64(d, "id", tp_rows_i64(rs, 0, 0));
	tp_json_add_str(d, "number", tp_rows_get(rs, 0, 1));
	tp_json_add_str(d, "description", tp_rows_get(rs, 0, 2));
	tp_json_add_i64(d, "agent_id", tp_rows_i64(rs, 0, 3));
	tp_json_add_str(d, "agent", tp_rows_get(rs, 0, 4));
	tp_json_add_str(d, "reference", tp_rows_get(rs, 0, 5));
	tp_json_add_str(d, "comments", tp_rows_get(rs, 0, 6));
	tp_json_add_str(d, "date", tp_rows_get(rs, 0, 7));
	tp_json_add_money(r, d, "amount", tp_rows_i64(rs, 0, 8),
	                  tp_rows_get(rs, 0, 9));
	tp_json_add_str(d, "status", tp_rows_get(rs, 0, 10));
	tp_json_add_i64(d, "lines", tp_rows_i64(rs, 0, 11));
	tp_json_add_str(d, "paid", tp_rows_get(rs, 0, 12));
	const char *number = tp_rows_get(rs, 0, 1);
	const char *amount =
	    json_object_get_string(json_object_object_get(d, "amount_text"));
	json_object_object_add(tp_view(r), "disbursement", d);
	if (!tp_wants_json(r) && tp_query(r, "format") == NULL)
		grid_link(r, "/commissions/disbursements",
		          _("Disbursement history"));
	rc = tp_grid_respond(r, &cms_history_grid, "l.disbursement_id = ?", id);
	if (rc == TP_OK && tp_query(r, "format") == NULL) {
		/* grid.tpl's heading says which disbursement */
		const char *t =
		    tp_printf(r, _("Disbursement %s: %s, %s"), number, amount,
		              tp_rows_get(rs, 0, 10));
		tp_json_add_str(tp_view(r), "title", t);
		tp_view_title(r, t);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* the operators' approvals form                                        */

#define APPROVALS_MAX 500

/* GET /commissions/approvals[?partner=ID]: the lines waiting for a
 * decision (approvable and held), with checkboxes for approve.c's POST
 * /commissions/lines/decision, and each partner's approvable total for a
 * decision on all of them at once */
tp_rc cms_approvals_page(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	json_object *v = tp_view(r);
	int64_t T = (int64_t)tp_tenant_id(r), partner = 0;
	const char *ps = tp_query(r, "partner");
	tp_rows *rs;
	tp_rc rc;

	if (ps != NULL && *ps != '\0' &&
	    (tp_parse_i64(ps, &partner) != TP_OK || partner <= 0))
		return tp_fail(r, TP_EINVAL, "partner",
		               _("Partner must be an id"));
	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT l.id, l.status, p.id, p.name, IFNULL(a.name, ''), l.kind, "
	    "l.level, l.period, l.basis, l.amount, l.currency, l.status_note "
	    "FROM commission_lines l JOIN partners p ON p.id = l.partner_id "
	    "LEFT JOIN accounts a ON a.id = l.account_id WHERE l.tenant_id = ? "
	    "AND l.status IN ('approvable', 'held') AND (? = 0 OR "
	    "l.partner_id = ?) ORDER BY l.id LIMIT 501",
	    "III", T, partner, partner);
	if (rc != TP_OK)
		return rc;
	json_object *lines = json_object_new_array();
	size_t n = tp_rows_count(rs);
	for (size_t i = 0; i < n && i < APPROVALS_MAX; i++) {
		json_object *o = json_object_new_object();
		tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
		tp_json_add_str(o, "status", tp_rows_get(rs, i, 1));
		tp_json_add_str(o, "status_label",
		                cms_state_label(tp_rows_get(rs, i, 1)));
		tp_json_add_i64(o, "partner_id", tp_rows_i64(rs, i, 2));
		tp_json_add_str(o, "partner", tp_rows_get(rs, i, 3));
		tp_json_add_str(o, "customer", tp_rows_get(rs, i, 4));
		tp_json_add_str(o, "kind", tp_rows_get(rs, i, 5));
		tp_json_add_str(o, "kind_label",
		                cms_state_label(tp_rows_get(rs, i, 5)));
		tp_json_add_i64(o, "level", tp_rows_i64(rs, i, 6));
		tp_json_add_str(o, "period", tp_rows_get(rs, i, 7));
		tp_json_add_money(r, o, "basis", tp_rows_i64(rs, i, 8),
		                  tp_rows_get(rs, i, 10));
		tp_json_add_money(r, o, "amount", tp_rows_i64(rs, i, 9),
		                  tp_rows_get(rs, i, 10));
		tp_json_add_str(o, "note", tp_rows_get(rs, i, 11));
		json_object_array_add(lines, o);
	}
	json_object_object_add(v, "lines", lines);
	json_object_object_add(v, "has_lines", json_object_new_boolean(n > 0));
	json_object_object_add(v, "lines_more",
	                       json_object_new_boolean(n > APPROVALS_MAX));

	rc = tp_db_query(db, r, &rs,
	                 "SELECT p.id, p.name, l.currency, COUNT(*), "
	                 "SUM(l.amount) FROM commission_lines l JOIN partners "
	                 "p ON p.id = l.partner_id WHERE l.tenant_id = ? AND "
	                 "l.status = 'approvable' GROUP BY p.id, p.name, "
	                 "l.currency ORDER BY p.name, p.id LIMIT 200",
	                 "I", T);
	if (rc != TP_OK)
		return rc;
	json_object *partners = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
		tp_json_add_str(o, "name", tp_rows_get(rs, i, 1));
		tp_json_add_i64(o, "lines", tp_rows_i64(rs, i, 3));
		tp_json_add_money(r, o, "amount", tp_rows_i64(rs, i, 4),
		                  tp_rows_get(rs, i, 2));
		json_object_array_add(partners, o);
	}
	json_object_object_add(v, "partners", partners);
	if (partner != 0)
		tp_json_add_i64(v, "partner", partner);
	tp_json_add_str(v, "back",
	                partner != 0
	                    ? tp_printf(r,
	                                "/commissions/approvals?partner=%"
	                                "lld",
	                                (long long)partner)
	                    : "/commissions/approvals");
	tp_view_title(r, _("Commission approvals"));
	return TP_OK;
}
