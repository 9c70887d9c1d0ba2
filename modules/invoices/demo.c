/*
 * demo.c -- `tierportctl invoices demo`: the two things of the demo
 * brand's money history no run or job makes: an account paying what it
 * owes, and a credit note. `tierportctl demo` calls it along its timeline
 * (core/ctl/demo_money.c). A payment is a bank transfer recorded as
 * settled (inv_payment_record), which pays the oldest invoices first.
 * "autopay" enrols an account in automatic
 * payments with a test card and charges what it owes; "card" is a card
 * declined, then another that pays (both through the test gateway).
 */
#include "pay.h"

#include <stdio.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: tierportctl invoices demo --brand SLUG pay "
	                "ACCOUNT | credit ACCOUNT AMOUNT REASON | autopay "
	                "ACCOUNT | card ACCOUNT\n");
	return 2;
}

/* the account's balance, paid by bank transfer: a payment recorded as
 * settled (inv_payment_record), keyed by the account and the day */
static tp_rc pay(tp_req *ctx, const char *number, int64_t *paid)
{
	tp_rows *rs;
	uint64_t id;
	tp_rc rc = tp_db_query(tp_req_db(ctx), ctx, &rs,
	                       "SELECT id, currency, balance FROM accounts "
	                       "WHERE tenant_id = ? AND number = ? FOR UPDATE",
	                       "Is", (int64_t)tp_tenant_id(ctx), number);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	*paid = tp_rows_i64(rs, 0, 2);
	if (*paid <= 0)
		return TP_OK;
	struct inv_payment p = {
	    .account = (uint64_t)tp_rows_i64(rs, 0, 0),
	    .amount = *paid,
	    .ccy = tp_rows_get(rs, 0, 1),
	    .method = "transfer",
	    .debit = "cash",
	    .reference = "bank transfer (demo data)",
	    .idem_key = tp_printf(ctx, "demo:pay:%s:%s", number,
	                          inv_date(ctx, tp_brand_day(ctx)))};
	return inv_payment_record(ctx, &p, &id);
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

/* a test card of the account (in its own transaction) */
static tp_rc demo_card(tp_req *ctx, int64_t account, const char *token,
                       const char *last4, int64_t *method)
{
	tp_rc rc =
	    tp_db_exec(tp_req_db(ctx), NULL,
	               "INSERT INTO payment_methods (tenant_id, "
	               "partner_id, account_id, kind, holder, token, "
	               "card_brand, last4, exp_month, exp_year) SELECT "
	               "tenant_id, partner_id, id, 'card', name, ?, "
	               "'Visa', ?, 12, YEAR(CURDATE()) + 3 FROM accounts "
	               "WHERE id = ?",
	               "ssI", token, last4, account);
	*method = (int64_t)tp_db_last_id(tp_req_db(ctx));
	return rc;
}

/* a card payment of what the account owes, through the gateway */
static tp_rc demo_charge(tp_req *ctx, int64_t account, int64_t method,
                         const char *ccy, int64_t amount, const char *key)
{
	tp_db *db = tp_req_db(ctx);
	const char *status;
	uint64_t id = 0;
	struct inv_payment p = {.account = (uint64_t)account,
	                        .amount = amount,
	                        .ccy = ccy,
	                        .method = "card",
	                        .method_id = (uint64_t)method,
	                        .debit = "gateway.clearing",
	                        .idem_key = key};
	tp_rc rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc = inv_pay_insert(ctx, &p, "customer", &id);
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	else
		tp_db_rollback(db);
	return rc == TP_OK ? pay_charge(ctx, id, &status) : rc;
}

static tp_rc card_story(tp_req *ctx, const char *number, bool autopay)
{
	tp_db *db = tp_req_db(ctx);
	tp_rows *rs;
	int64_t m1 = 0, m2 = 0;
	tp_rc rc = tp_db_query(db, ctx, &rs,
	                       "SELECT id, currency, balance FROM accounts "
	                       "WHERE tenant_id = ? AND number = ?",
	                       "Is", (int64_t)tp_tenant_id(ctx), number);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	int64_t account = tp_rows_i64(rs, 0, 0), owed = tp_rows_i64(rs, 0, 2);
	const char *ccy = tp_rows_get(rs, 0, 1);
	const char *day = inv_date(ctx, tp_brand_day(ctx));
	if (autopay) {
		rc = demo_card(ctx, account, "tok_ok_demo", "4242", &m1);
		if (rc == TP_OK)
			rc = tp_db_exec(
			    db, NULL,
			    "INSERT INTO payment_profiles (account_id, "
			    "tenant_id, autopay_method_id) VALUES (?, "
			    "?, ?) ON DUPLICATE KEY UPDATE "
			    "autopay_method_id = ?",
			    "IIII", account, (int64_t)tp_tenant_id(ctx), m1,
			    m1);
		char *args[] = {"autopay", NULL};
		return rc == TP_OK && pay_autopay_cmd(ctx, 1, args) != 0
		           ? TP_EINTERNAL
		           : rc;
	}
	if (owed <= 0)
		return TP_OK;
	rc = demo_card(ctx, account, "tok_decline_demo", "0002", &m1);
	if (rc == TP_OK)
		rc = demo_charge(
		    ctx, account, m1, ccy, owed,
		    tp_printf(ctx, "demo:card:%s:%s:1", number, day));
	if (rc == TP_OK)
		rc = demo_card(ctx, account, "tok_ok_demo", "4444", &m2);
	if (rc == TP_OK)
		rc = demo_charge(
		    ctx, account, m2, ccy, owed,
		    tp_printf(ctx, "demo:card:%s:%s:2", number, day));
	return rc;
}

int inv_demo_cmd(tp_req *ctx, int argc, char **argv)
{
	if (tp_tenant_id(ctx) != 0 && argc == 3 &&
	    (strcmp(argv[1], "autopay") == 0 || strcmp(argv[1], "card") == 0)) {
		tp_rc rc = card_story(ctx, argv[2], argv[1][0] == 'a');
		if (rc != TP_OK)
			fprintf(stderr, "invoices demo %s %s: failed (%d)\n",
			        argv[1], argv[2], rc);
		return rc == TP_OK ? 0 : 1;
	}
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
