/*
 * demo.c -- `tierportctl commissions demo --brand SLUG plans|pay`: the
 * demo brand's commissions (tierportctl demo calls it along its money
 * timeline, core/ctl/demo_money.c). "plans", before the first billing
 * run: the brand's settings (a 30-day hold, 10.00 minimum payout, no
 * cap: fixed activation fees pass any share of a one-time charge; the
 * test payout provider), the plan "Agents" (residual 10 %, usage
 * 5 %, 25.00 on each activation, overrides of 20 % and 10 % of the
 * commission one and two levels down) for North and South Agency (City
 * Resellers inherits it), the plan "Distributors" (residual 8 %, sales
 * 15 %, payment 10 %) for Street Distribution. "pay", today: the runs
 * of the three months before this one, North Agency's and City
 * Resellers' payout bank details, their lines past the hold approved
 * (one of City Resellers' held, with the reason), and a disbursement of
 * North Agency's approved lines through the test provider.
 */
#include "commissions.h"
#include "payout.h"

#include <stdio.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr,
	        "usage: tierportctl commissions demo --brand SLUG plans|pay\n");
	return 2;
}

static const struct {
	const char *plan, *kind, *calc, *basis;
	int64_t rate_ppm, amount, level, cb_days;
} demo_rules[] = {
    {"Agents", "residual", "percent", "commission", 100000, 0, 0, 0},
    {"Agents", "usage", "percent", "commission", 50000, 0, 0, 0},
    {"Agents", "nrc", "fixed", "commission", 0, 250000, 0, 30},
    {"Agents", "override", "percent", "commission", 200000, 0, 1, 0},
    {"Agents", "override", "percent", "commission", 100000, 0, 2, 0},
    {"Distributors", "residual", "percent", "commission", 80000, 0, 0, 0},
    {"Distributors", "sales", "percent", "commission", 150000, 0, 0, 0},
    {"Distributors", "payment", "percent", "commission", 100000, 0, 0, 0},
};

static const struct {
	const char *partner, *plan;
} demo_assign[] = {{"North Agency", "Agents"},
                   {"South Agency", "Agents"},
                   {"Street Distribution", "Distributors"}};

static tp_rc plans(tp_req *ctx)
{
	tp_db *db = tp_req_db(ctx);
	int64_t t = (int64_t)tp_tenant_id(ctx);
	/* valid from a year back: before the demo services' activation */
	const char *from = tp_printf(ctx, "%.8s01", cms_today(ctx));
	tp_rc rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO commission_settings (tenant_id, hold_days, "
	    "min_payout, cap_ppm, payout_provider) VALUES (?, 30, 100000, "
	    "0, 'test') ON DUPLICATE KEY UPDATE tenant_id = tenant_id",
	    "I", t);
	for (unsigned i = 0; rc == TP_OK && i < 2; i++)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT IGNORE INTO commission_plans (tenant_id, "
		    "name, description, currency) VALUES (?, ?, ?, "
		    "'EUR')",
		    "Iss", t, i == 0 ? "Agents" : "Distributors",
		    i == 0 ? "Residual, usage and activations, "
		             "overrides two levels up"
		           : "PortaBilling distributors: sales and "
		             "payment commission");
	for (size_t i = 0;
	     rc == TP_OK && i < sizeof(demo_rules) / sizeof(demo_rules[0]); i++)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO commission_rules (tenant_id, plan_id, kind, "
		    "calc, "
		    "rate_ppm, amount, level, basis, chargeback_days, "
		    "valid_from) SELECT p.tenant_id, p.id, ?, ?, ?, ?, ?, ?, "
		    "?, "
		    "DATE_SUB(?, INTERVAL 12 MONTH) FROM commission_plans p "
		    "WHERE p.tenant_id = ? AND p.name = ? AND NOT EXISTS "
		    "(SELECT 1 FROM commission_rules r WHERE r.plan_id = p.id "
		    "AND r.kind = ? AND r.level = ?)",
		    "ssIIIsIsIssI", demo_rules[i].kind, demo_rules[i].calc,
		    demo_rules[i].rate_ppm, demo_rules[i].amount,
		    demo_rules[i].level, demo_rules[i].basis,
		    demo_rules[i].cb_days, from, t, demo_rules[i].plan,
		    demo_rules[i].kind, demo_rules[i].level);
	for (size_t i = 0;
	     rc == TP_OK && i < sizeof(demo_assign) / sizeof(demo_assign[0]);
	     i++)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT IGNORE INTO commission_assignments "
		    "(tenant_id, partner_id, plan_id) SELECT "
		    "pa.tenant_id, pa.id, p.id FROM partners pa JOIN "
		    "commission_plans p ON p.tenant_id = pa.tenant_id "
		    "AND p.name = ? WHERE pa.tenant_id = ? AND "
		    "pa.name = ?",
		    "sIs", demo_assign[i].plan, t, demo_assign[i].partner);
	return rc;
}

/* the ids of partner's lines in status, into *ids */
static tp_rc partner_lines(tp_req *ctx, const char *partner, const char *status,
                           int64_t **ids, size_t *n)
{
	tp_rows *rs;
	tp_rc rc =
	    tp_db_query(tp_req_db(ctx), ctx, &rs,
	                "SELECT l.id FROM commission_lines l JOIN "
	                "partners p ON p.id = l.partner_id WHERE "
	                "l.tenant_id = ? AND p.name = ? AND l.status = ? "
	                "ORDER BY l.id",
	                "Iss", (int64_t)tp_tenant_id(ctx), partner, status);
	if (rc != TP_OK)
		return rc;
	*n = tp_rows_count(rs);
	*ids = tp_alloc(ctx, (*n + 1) * sizeof(**ids));
	for (size_t i = 0; i < *n; i++)
		(*ids)[i] = tp_rows_i64(rs, i, 0);
	return TP_OK;
}

static uint64_t partner_id(tp_req *ctx, const char *name)
{
	tp_rows *rs;
	if (tp_db_query(
	        tp_req_db(ctx), ctx, &rs,
	        "SELECT id FROM partners WHERE tenant_id = ? AND name = "
	        "?",
	        "Is", (int64_t)tp_tenant_id(ctx), name) != TP_OK ||
	    tp_rows_count(rs) == 0)
		return 0;
	return (uint64_t)tp_rows_i64(rs, 0, 0);
}

static tp_rc pay(tp_req *ctx)
{
	tp_db *db = tp_req_db(ctx);
	struct cms_run_result res;
	const char *today = cms_today(ctx);
	int y = 0, m = 0;
	tp_rc rc = TP_OK;
	sscanf(today, "%d-%d", &y, &m);
	/* the months three and two before this one, oldest first; last
	 * month's after the payout, its lines left to the operator */
	const char *period[3];
	for (int k = 3; k >= 1; k--) {
		int py = y, pm = m - k;
		if (pm < 1) {
			pm += 12;
			py--;
		}
		period[3 - k] = tp_printf(ctx, "%04d-%02d", py, pm);
	}
	for (int k = 0; rc == TP_OK && k < 2; k++)
		rc = cms_run_period(ctx, NULL, period[k], &res);
	if (rc != TP_OK || (rc = tp_db_begin(db)) != TP_OK)
		return rc;
	uint64_t north = partner_id(ctx, "North Agency"),
	         city = partner_id(ctx, "City Resellers"), det;
	if (north == 0 || city == 0)
		return TP_ENOENT;
	rc = cms_details_set(ctx, north, "North Agency Ltd", "021000021",
	                     "000123456789", "checking", &det);
	if (rc == TP_OK)
		rc = cms_details_set(ctx, city, "City Resellers GmbH",
		                     "011000015", "000987654321", "checking",
		                     &det);
	int64_t *ids;
	size_t n;
	unsigned changed;
	/* City Resellers' newest approvable line held, the rest approved */
	if (rc == TP_OK &&
	    (rc = partner_lines(ctx, "City Resellers", "approvable", &ids,
	                        &n)) == TP_OK &&
	    n > 0)
		rc = cms_lines_apply(ctx, &ids[n - 1], 1, "hold",
		                     "The customer disputes this invoice",
		                     &changed);
	for (int i = 0; rc == TP_OK && i < 2; i++)
		if ((rc = partner_lines(
		         ctx, i == 0 ? "North Agency" : "City Resellers",
		         "approvable", &ids, &n)) == TP_OK &&
		    n > 0)
			rc = cms_lines_apply(ctx, ids, n, "approve",
			                     "Checked against the invoices",
			                     &changed);
	uint64_t disb = 0;
	if (rc == TP_OK) {
		struct cms_disb_in in = {
		    .partner = north,
		    .description = "Commissions to date",
		    .reference = "DEMO-ACH-1",
		    .comments = "the demo's first payout",
		    .destination = "bank",
		    .idem_key = tp_printf(ctx, "demo:disbursement:%s", today)};
		rc = cms_disb_make(ctx, &in, &disb);
	}
	if (rc != TP_OK || (rc = tp_db_commit(db)) != TP_OK)
		return rc;
	/* outside the transaction, as every payout */
	const char *status;
	if ((rc = cms_disb_send(ctx, disb, &status)) != TP_OK)
		return rc;
	return cms_run_period(ctx, NULL, period[2], &res);
}

int cms_demo_cmd(tp_req *ctx, int argc, char **argv)
{
	if (argc < 2 || tp_tenant_id(ctx) == 0)
		return usage();
	tp_db *db = tp_req_db(ctx);
	tp_rc rc;
	if (strcmp(argv[1], "plans") == 0) {
		if ((rc = tp_db_begin(db)) == TP_OK &&
		    (rc = plans(ctx)) == TP_OK)
			rc = tp_db_commit(db);
	} else if (strcmp(argv[1], "pay") == 0) {
		rc = pay(ctx);
	} else
		return usage();
	if (rc != TP_OK) {
		tp_db_rollback(db);
		fprintf(stderr,
		        "tierportctl: commissions demo %s: failed (%d)\n",
		        argv[1], rc);
		return 1;
	}
	printf("commissions demo %s: done\n", argv[1]);
	return 0;
}
