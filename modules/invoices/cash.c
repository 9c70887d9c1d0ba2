/*
 * cash.c -- a partner (a distributor) records the cash a customer in its
 * subtree paid it (PortaBilling's distributors; docs/money.md, "Partners'
 * balances"): the customer's balance falls by the amount, the partner is
 * charged what it collected (Dr partner.receivable / Cr the customer, by
 * inv_payment_record), never past its credit limit. The core checked the
 * account is in the viewer's subtree before the handler runs.
 */
#include "invoices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tp_rc again(tp_req *r, tp_rc rc)
{
	if (rc == TP_EINVAL || rc == TP_ECONFLICT)
		inv_funds_page(r);
	return rc;
}

tp_rc inv_cash_record(tp_req *r, uint64_t partner, uint64_t account,
                      int64_t amount, const char *ccy, const char *reference,
                      const char *idem_key, uint64_t *id)
{
	/* under the partner's row lock: what it collected is charged to it,
	 * within its credit */
	tp_rc rc = inv_partner_credit_need(r, partner, amount, "amount");
	struct inv_payment pay = {
	    .account = account,
	    .amount = amount,
	    .ccy = ccy,
	    .method = "cash",
	    .recorded_by = partner,
	    .debit = "partner.receivable",
	    .reference = reference && reference[0] ? reference : NULL,
	    .idem_key = idem_key};
	if (rc == TP_OK)
		rc = inv_payment_record(r, &pay, id);
	if (rc == TP_OK)
		rc = inv_partner_credit_watch(r, partner);
	return rc;
}

/* POST /funds/cash-payments: account (a body id), amount, currency
 * (optional: must be the account's), reference (the receipt the partner
 * gave), an idempotency key */
tp_rc inv_cash_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	uint64_t partner = tp_scope_partner_root(r), id = 0;
	const char *acct_s, *amount_s, *cur, *reference;
	int64_t account = 0, amount;
	struct inv_partner_credit p;
	json_object *replay;
	tp_rows *rs;
	tp_rc rc;

	if (partner == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = inv_partner_load(r, partner, false, &p)) != TP_OK)
		return rc;
	if ((rc = tp_input(r, "account", &acct_s)) != TP_OK || acct_s == NULL ||
	    tp_parse_i64(acct_s, &account) != TP_OK)
		return again(r, tp_fail(r, TP_EINVAL, "account",
		                        _("Customer: choose an account")));
	rc = tp_db_query(db, r, &rs,
	                 "SELECT currency, number, name FROM accounts WHERE "
	                 "id = ? AND tenant_id = ?",
	                 "II", account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such account"));
	const char *ccy = tp_rows_get(rs, 0, 0);
	if ((rc = tp_field_text(r, "amount", _("Amount"), 32, 1, &amount_s)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "currency", _("Currency"), 3, 0, &cur)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "reference", _("Reference"), 64, 0,
	                        &reference)) != TP_OK)
		return again(r, rc);
	if (cur[0] != '\0' && strcmp(cur, ccy) != 0)
		return again(r, tp_fail(r, TP_EINVAL, "currency",
		                        _("Currency must be %s, the account's"),
		                        ccy));
	/* the partner is charged in its own currency: the ledger keeps one
	 * currency per transaction */
	if (strcmp(ccy, p.ccy) != 0)
		return again(r, tp_fail(r, TP_EINVAL, "account",
		                        _("Customer %s is billed in %s; %s is "
		                          "billed in %s"),
		                        tp_rows_get(rs, 0, 1), ccy, p.name,
		                        p.ccy));
	if ((rc = inv_amount_field(r, amount_s, ccy, &amount)) != TP_OK)
		return again(r, rc);

	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(
	    r, "partner.cash_payment",
	    tp_printf(r, "%llu|%lld|%lld|%s|%s", (unsigned long long)partner,
	              (long long)account, (long long)amount, ccy, reference),
	    &replay);
	if (rc == TP_OK && replay != NULL) {
		tp_db_rollback(db);
		return tp_answer(r, json_object_get(replay), "/funds", 201);
	}
	if (rc == TP_OK)
		rc = inv_cash_record(
		    r, partner, (uint64_t)account, amount, ccy, reference,
		    tp_printf(r, "cash:%s", tp_idem_key(r)), &id);
	json_object *res = NULL;
	if (rc == TP_OK) {
		res = json_object_new_object();
		json_object_object_add(res, "payment_id",
		                       json_object_new_int64((int64_t)id));
		json_object_object_add(res, "amount",
		                       tp_json_money(amount, ccy));
		rc =
		    tp_db_query(db, r, &rs,
		                "SELECT a.balance, a.billing_type = 'prepaid', "
		                "p.number FROM accounts a JOIN payments p ON "
		                "p.id = ? WHERE a.id = ?",
		                "II", (int64_t)id, account);
	}
	if (rc == TP_OK && tp_rows_count(rs) > 0) {
		tp_json_add_str(res, "receipt", tp_rows_get(rs, 0, 2));
		tp_json_add_str(res, "account_balance_words",
		                tp_balance_words(r, tp_rows_i64(rs, 0, 0), ccy,
		                                 tp_rows_i64(rs, 0, 1) != 0));
		if ((rc = inv_partner_load(r, partner, false, &p)) == TP_OK)
			tp_json_add_str(
			    res, "partner_balance_words",
			    inv_partner_words(r, p.balance, p.ccy, true));
	}
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "amount", tp_json_money(amount, ccy));
		json_object_object_add(d, "payment_id",
		                       json_object_new_int64((int64_t)id));
		tp_json_add_str(d, "reference", reference);
		tp_audit_log(r, "partner.cash_payment", "account", account, d);
		rc = tp_idem_end(r, res);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		if (res != NULL)
			json_object_put(res);
		tp_db_rollback(db);
		return again(r, rc);
	}
	return tp_answer(r, res, "/funds", 201);
}

/* ------------------------------------------------------------------ */
/* the demo brand's partners' money (tierportctl demo, after its money   */
/* history): credit limits and warnings, an agent's refill and          */
/* transfers, a distributor's cash payments                             */

static const struct demo_step {
	const char *partner, *what, *account, *amount, *reference;
} demo_steps[] = {
    {"Street Distribution", "credit", NULL, "500", "90%"},
    {"North Agency", "credit", NULL, "200", "80%"},
    {"South Agency", "credit", NULL, "100", "250"},
    {"North Agency", "refill", NULL, "1000", "Wire transfer 2026-001"},
    {"South Agency", "refill", NULL, "300", "Cheque 5521"},
    {"North Agency", "transfer", "100002", "40", "Top-up"},
    {"North Agency", "transfer", "100004", "25", "Top-up"},
    {"Street Distribution", "cash", "100001", "30", "CASH-0001"},
    {"Street Distribution", "cash", "100001", "20", "CASH-0002"},
};

static tp_rc demo_step(tp_req *ctx, const struct demo_step *s, size_t i)
{
	tp_db *db = tp_req_db(ctx);
	tp_rows *rs;
	uint64_t id;
	int64_t amount, thr = 0;
	tp_rc rc =
	    tp_db_query(db, ctx, &rs,
	                "SELECT p.id, p.currency, IFNULL((SELECT a.id "
	                "FROM accounts a WHERE a.tenant_id = p.tenant_id "
	                "AND a.number = ?), 0) FROM partners p WHERE "
	                "p.tenant_id = ? AND p.name = ?",
	                "sIs", s->account ? s->account : "",
	                (int64_t)tp_tenant_id(ctx), s->partner);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	uint64_t partner = (uint64_t)tp_rows_i64(rs, 0, 0),
	         account = (uint64_t)tp_rows_i64(rs, 0, 2);
	const char *ccy = tp_rows_get(rs, 0, 1);
	if (tp_money_parse_ccy(s->amount, ccy, &amount) != TP_OK)
		return TP_EINVAL;
	if (strcmp(s->what, "credit") == 0) {
		bool pct = strchr(s->reference, '%') != NULL;
		if (!pct &&
		    tp_money_parse_ccy(s->reference, ccy, &thr) != TP_OK)
			return TP_EINVAL;
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE partners SET credit_limit = ?, warning_kind = ?, "
		    "warning_threshold = ?, warning_ppm = ? WHERE id = ?",
		    "IsIII", amount, pct ? "percent" : "amount", thr,
		    pct ? (int64_t)atoi(s->reference) * 10000 : 0,
		    (int64_t)partner);
		return rc == TP_OK ? inv_partner_credit_watch(ctx, partner)
		                   : rc;
	}
	if (s->account != NULL && account == 0)
		return TP_ENOENT;
	if (strcmp(s->what, "cash") == 0)
		return inv_cash_record(ctx, partner, account, amount, ccy,
		                       s->reference,
		                       tp_printf(ctx, "demo:cash:%zu", i), &id);
	return inv_funds_record(ctx, partner, account, amount, s->reference,
	                        &id);
}

int inv_partner_demo_cmd(tp_req *ctx, int argc, char **argv)
{
	tp_db *db = tp_req_db(ctx);
	(void)argv;
	if (tp_tenant_id(ctx) == 0 || argc != 1) {
		fprintf(stderr, "usage: tierportctl invoices partner_demo "
		                "--brand SLUG\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(demo_steps) / sizeof(*demo_steps); i++) {
		tp_rc rc = tp_db_begin(db);
		if (rc == TP_OK)
			rc = demo_step(ctx, &demo_steps[i], i);
		if (rc == TP_OK)
			rc = tp_db_commit(db);
		else
			tp_db_rollback(db);
		if (rc != TP_OK) {
			fprintf(stderr,
			        "invoices partner_demo: %s %s %s: failed\n",
			        demo_steps[i].partner, demo_steps[i].what,
			        demo_steps[i].amount);
			return 1;
		}
	}
	printf("partners: credit limits, refills, an agent's transfers and a "
	       "distributor's cash payments\n");
	return 0;
}
