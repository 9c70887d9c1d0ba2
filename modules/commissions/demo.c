/*
 * demo.c -- `tierportctl commissions demo --brand SLUG plans|pay`: the
 * demo brand's commissions (tierportctl demo calls it along its money
 * timeline, core/ctl/demo_money.c). "plans", before the first billing
 * run: the brand's settings (a 30-day hold, 20.00 minimum payout, a 25 %
 * cap, the test payout provider), the plan "Agents" (residual 10 %, usage
 * 5 %, 25.00 on each activation, overrides of 5 % and 3 % on the
 * commission one and two levels down) for North and South Agency (City
 * Resellers inherits it), the plan "Distributors" (residual 8 %, sales
 * 15 %, payment 10 %) for Street Distribution.
 */
#include "commissions.h"

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
    {"Agents", "override", "percent", "commission", 50000, 0, 1, 0},
    {"Agents", "override", "percent", "commission", 30000, 0, 2, 0},
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
	/* valid from five months back: before the first demo invoice */
	const char *from = tp_printf(ctx, "%.8s01", cms_today(ctx));
	tp_rc rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO commission_settings (tenant_id, hold_days, "
	    "min_payout, cap_ppm, payout_provider) VALUES (?, 30, 200000, "
	    "250000, 'test') ON DUPLICATE KEY UPDATE tenant_id = tenant_id",
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
		    "DATE_SUB(?, INTERVAL 5 MONTH) FROM commission_plans p "
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
		rc = TP_OK; /* filled in with the run and the payouts */
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
