/*
 * instant.c -- PortaBilling's distributor commissions, posted at the
 * event within seconds, with no hold and no approval (seed 002):
 *
 *   sales commission   an account created with an opening balance (the
 *                      distributor is charged it: core's
 *                      account.opening_balance) earns the rule `sales`
 *                      of the distributor's plan: 15 % of 10.00 -> it is
 *                      charged 10.00 and credited 1.50: it owes 8.50;
 *   payment commission a cash payment the distributor records (the
 *                      invoices module's payment.recorded with
 *                      recorded_by; the distributor is charged the
 *                      gross) earns the rule `payment`: 10 % of a 10.00
 *                      payment -> charged 10.00, credited 1.00: owes 9.00.
 *
 * An account created with no opening balance earns nothing until a
 * payment is recorded. The credit is Dr commission.expense / Cr the
 * distributor's partner.receivable (it nets against what it owes: no
 * disbursement pays it), and the line is 'paid' at once. Delivered at
 * least once: the line's source key and the ledger key make a second
 * delivery a no-op.
 */
#include "commissions.h"

#include <string.h>
#include <time.h>

struct instant {
	const char *kind;   /* "sales", "payment" */
	const char *source; /* the line's source key */
	uint64_t partner, account, payment;
	int64_t basis;
	const char *ccy;
	int64_t when; /* epoch seconds of the event's money */
};

static tp_rc post(tp_req *ctx, const struct instant *in)
{
	tp_db *db = tp_req_db(ctx);
	tp_rows *rs;
	uint64_t plan;
	struct cms_rule rule;
	char day[11], period[8];
	time_t t = (time_t)in->when;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	strftime(period, sizeof(period), "%Y-%m", &tm);

	/* once: a second delivery finds the line */
	tp_rc rc = tp_db_query(db, ctx, &rs,
	                       "SELECT id FROM commission_lines WHERE "
	                       "tenant_id = ? AND source_key = ?",
	                       "Is", (int64_t)tp_tenant_id(ctx), in->source);
	if (rc != TP_OK || tp_rows_count(rs) > 0)
		return rc;
	if ((rc = cms_partner_plan(ctx, in->partner, &plan)) != TP_OK ||
	    plan == 0)
		return rc;
	if ((rc = cms_rule_find(ctx, plan, in->kind, 0, day, 0, &rule)) !=
	        TP_OK ||
	    rule.id == 0)
		return rc;
	/* the distributor's row first (the ledger locks it too), its
	 * currency must be the money's */
	rc =
	    tp_db_query(db, ctx, &rs,
	                "SELECT currency FROM partners WHERE id = ? FOR UPDATE",
	                "I", (int64_t)in->partner);
	if (rc != TP_OK || tp_rows_count(rs) == 0)
		return rc;
	if (strcmp(tp_rows_get(rs, 0, 0), in->ccy) != 0) {
		tp_log(TP_LOG_WARN, "CMS0101",
		       "no %s commission on %s: partner %llu is in %s, the "
		       "money in %s",
		       in->kind, in->source, (unsigned long long)in->partner,
		       tp_rows_get(rs, 0, 0), in->ccy);
		return TP_OK;
	}
	int64_t amount;
	if ((rc = tp_money_mul_div(in->basis, rule.rate_ppm, 1000000, in->ccy,
	                           &amount)) != TP_OK)
		return rc;
	if (amount <= 0)
		return TP_OK;
	rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO commission_lines (tenant_id, period, source_key, "
	    "kind, partner_id, seller_id, level, account_id, payment_id, "
	    "rule_id, earned_on, basis, rate_ppm, amount, currency, status, "
	    "status_at, paid_at) VALUES (?, ?, ?, ?, ?, ?, 0, NULLIF(?, 0), "
	    "NULLIF(?, 0), ?, ?, ?, ?, ?, ?, 'paid', FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?))",
	    "IsssIIIIIsIIIsII", (int64_t)tp_tenant_id(ctx), period, in->source,
	    in->kind, (int64_t)in->partner, (int64_t)in->partner,
	    (int64_t)in->account, (int64_t)in->payment, (int64_t)rule.id, day,
	    in->basis, rule.rate_ppm, amount, in->ccy, tp_now(), tp_now());
	if (rc != TP_OK)
		return rc;
	uint64_t line = tp_db_last_id(db), txn = 0;
	tp_ledger_line lv[2] = {{.account = "commission.expense",
	                         .amount = amount,
	                         .account_id = in->account},
	                        {.account = "partner.receivable",
	                         .amount = -amount,
	                         .partner_id = in->partner,
	                         .account_id = in->account}};
	tp_ledger_txn lt = {
	    .kind = "commission",
	    .idem_key = tp_printf(ctx, "commission:%s", in->source),
	    .currency = in->ccy,
	    .account_id = in->account,
	    .partner_id = in->partner,
	    .document_type = "commission_line",
	    .document_id = line,
	    .memo = strcmp(in->kind, "sales") == 0 ? "Sales commission"
	                                           : "Payment commission",
	    .lines = lv,
	    .n = 2};
	if ((rc = tp_ledger_post(ctx, &lt, &txn, NULL)) != TP_OK)
		return rc;
	rc =
	    tp_db_exec(db, NULL,
	               "UPDATE commission_lines SET ledger_txn_id = ? WHERE id "
	               "= ?",
	               "II", (int64_t)txn, (int64_t)line);
	if (rc != TP_OK)
		return rc;
	json_object *ev = json_object_new_object();
	tp_json_add_i64(ev, "line", (int64_t)line);
	tp_json_add_str(ev, "kind", in->kind);
	json_object_object_add(ev, "amount", tp_json_money(amount, in->ccy));
	json_object_object_add(ev, "basis", tp_json_money(in->basis, in->ccy));
	tp_json_add_i64(ev, "rate_ppm", rule.rate_ppm);
	return tp_event_emit(ctx, "commission.earned", in->partner, in->account,
	                     ev);
}

/* an amount of an event's payload: {"value": "10.0000", "currency": ..} */
static bool payload_money(const tp_event_msg *ev, const char *k, int64_t *v,
                          const char **ccy)
{
	json_object *m, *x, *c;
	if (ev->payload == NULL ||
	    !json_object_object_get_ex(ev->payload, k, &m) ||
	    !json_object_object_get_ex(m, "value", &x) ||
	    !json_object_object_get_ex(m, "currency", &c) ||
	    tp_money_parse(json_object_get_string(x), v) != TP_OK)
		return false;
	*ccy = json_object_get_string(c);
	return *ccy != NULL;
}

tp_rc cms_on_account(tp_req *ctx, const tp_event_msg *ev)
{
	struct instant in = {.kind = "sales",
	                     .partner = ev->partner_id,
	                     .account = ev->account_id,
	                     .when = tp_now()};
	if (ev->partner_id == 0 || ev->account_id == 0 ||
	    !payload_money(ev, "amount", &in.basis, &in.ccy) || in.basis <= 0)
		return TP_OK;
	tp_rc rc = tp_ctx_brand(ctx, ev->tenant_id);
	if (rc != TP_OK)
		return rc == TP_ENOENT ? TP_OK : rc;
	in.source =
	    tp_printf(ctx, "sales:%llu", (unsigned long long)ev->account_id);
	return post(ctx, &in);
}

tp_rc cms_on_payment(tp_req *ctx, const tp_event_msg *ev)
{
	json_object *x;
	int64_t by = 0, pid = 0;
	if (ev->payload == NULL ||
	    !json_object_object_get_ex(ev->payload, "recorded_by", &x) ||
	    (by = json_object_get_int64(x)) <= 0 ||
	    !json_object_object_get_ex(ev->payload, "payment_id", &x) ||
	    (pid = json_object_get_int64(x)) <= 0)
		return TP_OK; /* not a payment a partner took */
	tp_rc rc = tp_ctx_brand(ctx, ev->tenant_id);
	if (rc != TP_OK)
		return rc == TP_ENOENT ? TP_OK : rc;
	/* the payment as it was recorded (settled: the date of the money) */
	tp_rows *rs;
	rc = tp_db_query(tp_req_db(ctx), ctx, &rs,
	                 "SELECT amount, currency, account_id, "
	                 "UNIX_TIMESTAMP(IFNULL(settled_at, created_at)), "
	                 "status FROM payments WHERE id = ? AND tenant_id = ?",
	                 "II", pid, (int64_t)tp_tenant_id(ctx));
	if (rc != TP_OK || tp_rows_count(rs) == 0 ||
	    strcmp(tp_rows_get(rs, 0, 4), "settled") != 0)
		return rc;
	struct instant in = {.kind = "payment",
	                     .source =
	                         tp_printf(ctx, "pay:%lld", (long long)pid),
	                     .partner = (uint64_t)by,
	                     .account = (uint64_t)tp_rows_i64(rs, 0, 2),
	                     .payment = (uint64_t)pid,
	                     .basis = tp_rows_i64(rs, 0, 0),
	                     .ccy = tp_strdup(ctx, tp_rows_get(rs, 0, 1)),
	                     .when = tp_rows_i64(rs, 0, 3)};
	return post(ctx, &in);
}
