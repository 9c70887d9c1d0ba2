/*
 * cash.c -- a partner (a distributor) records the cash a customer in its
 * subtree paid it (PortaBilling's distributors; docs/money.md, "Partners'
 * balances"): the customer's balance falls by the amount, the partner is
 * charged what it collected (Dr partner.receivable / Cr the customer, by
 * inv_payment_record), never past its credit limit. The core checked the
 * account is in the viewer's subtree before the handler runs.
 */
#include "invoices.h"

#include <string.h>

static tp_rc again(tp_req *r, tp_rc rc)
{
	if (rc == TP_EINVAL || rc == TP_ECONFLICT)
		inv_funds_page(r);
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
		return tp_fail(r, TP_ENOENT, NULL, "no such page");
	if ((rc = inv_partner_load(r, partner, false, &p)) != TP_OK)
		return rc;
	if ((rc = tp_input(r, "account", &acct_s)) != TP_OK || acct_s == NULL ||
	    tp_parse_i64(acct_s, &account) != TP_OK)
		return again(r, tp_fail(r, TP_EINVAL, "account",
		                        "Customer: choose an account"));
	rc = tp_db_query(db, r, &rs,
	                 "SELECT currency, number, name FROM accounts WHERE "
	                 "id = ? AND tenant_id = ?",
	                 "II", account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, "no such account");
	const char *ccy = tp_rows_get(rs, 0, 0);
	if ((rc = tp_field_text(r, "amount", "Amount", 32, 1, &amount_s)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "currency", "Currency", 3, 0, &cur)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "reference", "Reference", 64, 0,
	                        &reference)) != TP_OK)
		return again(r, rc);
	if (cur[0] != '\0' && strcmp(cur, ccy) != 0)
		return again(r, tp_fail(r, TP_EINVAL, "currency",
		                        "Currency must be %s, the account's",
		                        ccy));
	/* the partner is charged in its own currency: the ledger keeps one
	 * currency per transaction */
	if (strcmp(ccy, p.ccy) != 0)
		return again(r, tp_fail(r, TP_EINVAL, "account",
		                        "Customer %s is billed in %s; %s is "
		                        "billed in %s",
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
		return inv_answer(r, json_object_get(replay), "/funds", 201);
	}
	/* under the partner's row lock: what it collected is charged to it,
	 * within its credit */
	if (rc == TP_OK)
		rc = inv_partner_credit_need(r, partner, amount, "amount");
	struct inv_payment pay = {.account = (uint64_t)account,
	                          .amount = amount,
	                          .ccy = ccy,
	                          .method = "cash",
	                          .recorded_by = partner,
	                          .debit = "partner.receivable",
	                          .reference = reference[0] ? reference : NULL,
	                          .idem_key =
	                              tp_printf(r, "cash:%s", tp_idem_key(r))};
	if (rc == TP_OK)
		rc = inv_payment_record(r, &pay, &id);
	if (rc == TP_OK)
		rc = inv_partner_credit_watch(r, partner);
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
		inv_add_str(res, "receipt", tp_rows_get(rs, 0, 2));
		inv_add_str(res, "account_balance_words",
		            tp_balance_words(r, tp_rows_i64(rs, 0, 0), ccy,
		                             tp_rows_i64(rs, 0, 1) != 0));
		if ((rc = inv_partner_load(r, partner, false, &p)) == TP_OK)
			inv_add_str(
			    res, "partner_balance_words",
			    inv_partner_words(r, p.balance, p.ccy, true));
	}
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "amount", tp_json_money(amount, ccy));
		json_object_object_add(d, "payment_id",
		                       json_object_new_int64((int64_t)id));
		inv_add_str(d, "reference", reference);
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
	return inv_answer(r, res, "/funds", 201);
}
