/*
 * demo.c -- `tierportctl invoices demo`: the two things of the demo
 * brand's money history no run or job makes: an account paying what it
 * owes, and a credit note. `tierportctl demo` calls it along its timeline
 * (core/ctl/demo_money.c). Until a payments module exists a payment is an
 * operator's credit (reason "other"), which pays the oldest invoices
 * first like any credit.
 */
#include "invoices.h"

#include <stdio.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: tierportctl invoices demo --brand SLUG pay "
	                "ACCOUNT | credit ACCOUNT AMOUNT REASON\n");
	return 2;
}

/* the account's balance, paid by a credit requested by the brand's
 * first operator */
static tp_rc pay(tp_req *ctx, const char *number, int64_t *paid)
{
	tp_db *db = tp_req_db(ctx);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, ctx, &rs,
	    "SELECT a.id, a.partner_id, a.currency, a.balance, (SELECT "
	    "MIN(u.id) FROM users u WHERE u.tenant_id = a.tenant_id AND "
	    "u.kind = 'operator') FROM accounts a WHERE a.tenant_id = ? AND "
	    "a.number = ? FOR UPDATE",
	    "Is", (int64_t)tp_tenant_id(ctx), number);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0 || tp_rows_get(rs, 0, 4) == NULL)
		return TP_ENOENT;
	*paid = tp_rows_i64(rs, 0, 3);
	if (*paid <= 0)
		return TP_OK;
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO money_adjustments (tenant_id, "
	                "partner_id, account_id, kind, amount, currency, "
	                "reason_code, note, status, requested_by) VALUES (?, "
	                "?, ?, 'credit', ?, ?, 'other', 'Payment received "
	                "(demo data)', 'posted', ?)",
	                "IIIIsI", (int64_t)tp_tenant_id(ctx),
	                tp_rows_i64(rs, 0, 1), tp_rows_i64(rs, 0, 0), *paid,
	                tp_rows_get(rs, 0, 2), tp_rows_i64(rs, 0, 4));
	return rc == TP_OK ? inv_adjust_ledger(ctx, (int64_t)tp_db_last_id(db))
	                   : rc;
}

/* a credit note of amount on the account's last invoice */
static tp_rc credit(tp_req *ctx, const char *number, const char *amount_s,
                    const char *reason)
{
	tp_rows *rs;
	int64_t amount;
	uint64_t note;
	tp_rc rc = tp_db_query(tp_req_db(ctx), ctx, &rs,
	                       "SELECT i.id, i.currency FROM invoices i JOIN "
	                       "accounts a ON a.id = i.account_id WHERE "
	                       "a.tenant_id = ? AND a.number = ? AND i.kind = "
	                       "'invoice' AND i.status = 'issued' ORDER BY "
	                       "i.issue_date DESC, i.id DESC LIMIT 1",
	                       "Is", (int64_t)tp_tenant_id(ctx), number);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	if (tp_money_parse_ccy(amount_s, tp_rows_get(rs, 0, 1), &amount) !=
	        TP_OK ||
	    amount <= 0)
		return TP_EINVAL;
	return inv_credit_note(ctx, (uint64_t)tp_rows_i64(rs, 0, 0), amount,
	                       reason, NULL, &note);
}

int inv_demo_cmd(tp_req *ctx, int argc, char **argv)
{
	bool is_pay = argc == 3 && strcmp(argv[1], "pay") == 0;
	bool is_credit = argc == 5 && strcmp(argv[1], "credit") == 0;
	if (tp_tenant_id(ctx) == 0 || (!is_pay && !is_credit))
		return usage();
	tp_db *db = tp_req_db(ctx);
	int64_t paid = 0;
	tp_rc rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc = is_pay ? pay(ctx, argv[2], &paid)
		            : credit(ctx, argv[2], argv[3], argv[4]);
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	else
		tp_db_rollback(db);
	if (rc != TP_OK) {
		fprintf(stderr, "invoices demo %s %s: %s\n", argv[1], argv[2],
		        rc == TP_ENOENT   ? "no such account (or invoice)"
		        : rc == TP_EINVAL ? "not possible (the amount?)"
		                          : "failed");
		return 1;
	}
	return 0;
}
