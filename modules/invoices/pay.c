/*
 * pay.c -- a settled payment into a customer's account: its row, its
 * ledger transaction, its allocation to open invoices and its event, all
 * in the caller's one DB transaction (docs/money.md: payments). Every way
 * money comes in -- a card through the gateway, autopay, a partner's cash
 * -- ends here; nothing here talks to a gateway or reads a request's form.
 */
#include "invoices.h"

#include <string.h>

#define INV_OPEN "(i.total - i.credited - i.paid - i.disputed)"

static const char *const pay_methods[] = {"card", "ach", "cash", "transfer",
                                          NULL};
static const char *const pay_debits[] = {"cash", "gateway.clearing",
                                         "partner.receivable", NULL};

static bool listed(const char *s, const char *const *v)
{
	for (; s != NULL && *v != NULL; v++)
		if (strcmp(s, *v) == 0)
			return true;
	return false;
}

/* The payment's facts against the account (locked for the ledger, which
 * takes the same row first) and the invoice it names. */
static tp_rc pay_check(tp_req *r, const struct inv_payment *p,
                       uint64_t *partner)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	if (p->amount <= 0)
		return tp_fail(r, TP_EINVAL, "amount",
		               "Amount must be more than zero");
	if (p->ccy == NULL || tp_check_currency(p->ccy) != NULL)
		return tp_fail(r, TP_EINVAL, "currency",
		               "Currency must be a currency code like EUR");
	if (tp_money_round(p->amount, p->ccy) != p->amount)
		return tp_fail(r, TP_EINVAL, "amount",
		               "Amount has more decimals than %s has (%d)",
		               p->ccy, tp_currency_minor(p->ccy));
	if (!listed(p->method, pay_methods))
		return tp_fail(r, TP_EINVAL, "method",
		               "Method must be card, ach, cash or transfer");
	if (!listed(p->debit, pay_debits) ||
	    (strcmp(p->debit, "partner.receivable") == 0 &&
	     p->recorded_by == 0))
		return tp_fail(r, TP_EINVAL, "debit",
		               "is not a ledger account a payment debits");
	if (p->idem_key == NULL || *p->idem_key == '\0' ||
	    strlen(p->idem_key) > 128)
		return tp_fail(r, TP_EINVAL, "idempotency_key",
		               "must be 1 to 128 characters");
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT currency, partner_id FROM accounts "
	                       "WHERE id = ? AND tenant_id = ? FOR UPDATE",
	                       "II", (int64_t)p->account,
	                       (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, "account", "no such account");
	if (strcmp(tp_rows_get(rs, 0, 0), p->ccy) != 0)
		return tp_fail(r, TP_EINVAL, "currency",
		               "Currency must be the account's (%s)",
		               tp_rows_get(rs, 0, 0));
	*partner = (uint64_t)tp_rows_i64(rs, 0, 1);
	if (p->invoice == 0)
		return TP_OK;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT 1 FROM invoices WHERE id = ? AND account_id "
	                 "= ? AND kind = 'invoice' AND status = 'issued'",
	                 "II", (int64_t)p->invoice, (int64_t)p->account);
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, "invoice",
		               "no such invoice on this account");
	return rc;
}

tp_rc inv_pay_insert(tp_req *r, const struct inv_payment *p,
                     const char *source, uint64_t *id)
{
	uint64_t partner = 0;
	tp_who w;
	tp_rc rc = pay_check(r, p, &partner);
	if (rc != TP_OK)
		return rc;
	tp_who_get(r, &w);
	rc = tp_db_exec(
	    tp_req_db(r), NULL,
	    "INSERT INTO payments (tenant_id, partner_id, account_id, "
	    "invoice_id, status, source, method, method_id, recorded_by, "
	    "debit_account, amount, currency, reference, idem_key, "
	    "created_by) VALUES (?, ?, ?, NULLIF(?, 0), 'pending', ?, ?, "
	    "NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, ?, ?, NULLIF(?, 0))",
	    "IIIIssIIsIsssI", (int64_t)tp_tenant_id(r), (int64_t)partner,
	    (int64_t)p->account, (int64_t)p->invoice, source, p->method,
	    (int64_t)p->method_id, (int64_t)p->recorded_by, p->debit,
	    p->amount, p->ccy, p->reference, p->idem_key, (int64_t)w.user_id);
	if (rc == TP_OK)
		*id = tp_db_last_id(tp_req_db(r));
	return rc;
}

/* amount to the open invoices: first (when not 0) first, then the oldest
 * due first, as inv_allocate; each part a payment_allocations row */
static tp_rc pay_allocate(tp_req *r, uint64_t payment, uint64_t account,
                          uint64_t first, int64_t amount)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT i.id, " INV_OPEN " FROM invoices i WHERE i.account_id = ? "
	    "AND i.kind = 'invoice' AND i.status = 'issued' AND " INV_OPEN
	    " > 0 ORDER BY i.id <> ?, i.due_date, i.id FOR UPDATE",
	    "II", (int64_t)account, (int64_t)first);
	for (size_t i = 0; rc == TP_OK && amount > 0 && i < tp_rows_count(rs);
	     i++) {
		int64_t part = tp_rows_i64(rs, i, 1);
		if (part > amount)
			part = amount;
		rc = tp_db_exec(db, NULL,
		                "UPDATE invoices SET paid = paid + ? WHERE id "
		                "= ?",
		                "II", part, tp_rows_i64(rs, i, 0));
		if (rc == TP_OK)
			rc = tp_db_exec(db, NULL,
			                "INSERT INTO payment_allocations "
			                "(tenant_id, payment_id, invoice_id, "
			                "amount) VALUES (?, ?, ?, ?)",
			                "IIII", (int64_t)tp_tenant_id(r),
			                (int64_t)payment, tp_rows_i64(rs, i, 0),
			                part);
		amount -= part;
	}
	return rc;
}

tp_rc inv_pay_settle(tp_req *r, uint64_t id, const char *reference)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT account_id, partner_id, IFNULL(invoice_id, 0), method, "
	    "IFNULL(recorded_by, 0), debit_account, amount, currency, "
	    "idem_key, status, IFNULL(method_id, 0), source FROM payments "
	    "WHERE id = ? AND tenant_id = ? FOR UPDATE",
	    "II", (int64_t)id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, "no such payment");
	const char *status = tp_rows_get(rs, 0, 9);
	if (strcmp(status, "settled") == 0)
		return TP_OK;
	if (strcmp(status, "declined") == 0)
		return tp_fail(r, TP_ECONFLICT, NULL,
		               "this payment was declined");
	uint64_t account = (uint64_t)tp_rows_i64(rs, 0, 0),
	         partner = (uint64_t)tp_rows_i64(rs, 0, 1),
	         invoice = (uint64_t)tp_rows_i64(rs, 0, 2),
	         by = (uint64_t)tp_rows_i64(rs, 0, 4);
	const char *debit = tp_rows_get(rs, 0, 5), *ccy = tp_rows_get(rs, 0, 7);
	int64_t amount = tp_rows_i64(rs, 0, 6);
	bool held = strcmp(debit, "partner.receivable") == 0;
	uint64_t seq, txn;
	const char *number;
	if ((rc = inv_next_number(r, "RC", &seq, &number)) != TP_OK)
		return rc;
	/* the debit names the partner that took the money when it holds
	 * it (partner.receivable), else the account's partner as a
	 * reference */
	tp_ledger_line lv[2] = {{.account = debit,
	                         .amount = amount,
	                         .account_id = account,
	                         .partner_id = held || by ? by : partner},
	                        {.account = "customer",
	                         .amount = -amount,
	                         .account_id = account,
	                         .partner_id = partner}};
	tp_ledger_txn t = {.kind = "payment",
	                   .idem_key = tp_rows_get(rs, 0, 8),
	                   .currency = ccy,
	                   .account_id = account,
	                   .partner_id = partner,
	                   .document_type = "payment",
	                   .document_id = id,
	                   .memo = tp_printf(r, "Payment %s (%s)", number,
	                                     tp_rows_get(rs, 0, 3)),
	                   .lines = lv,
	                   .n = 2};
	if ((rc = tp_ledger_post(r, &t, &txn, NULL)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE payments SET status = 'settled', series = "
	                "'RC', seq = ?, number = ?, ledger_txn_id = ?, "
	                "settled_at = FROM_UNIXTIME(?), reference = "
	                "IFNULL(?, reference) WHERE id = ?",
	                "IsIIsI", (int64_t)seq, number, (int64_t)txn, tp_now(),
	                reference, (int64_t)id);
	if (rc == TP_OK)
		rc = pay_allocate(r, id, account, invoice, amount);
	if (rc != TP_OK)
		return rc;
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "payment_id",
	                       json_object_new_int64((int64_t)id));
	inv_add_str(ev, "number", number);
	json_object_object_add(ev, "amount", tp_json_money(amount, ccy));
	inv_add_str(ev, "method", tp_rows_get(rs, 0, 3));
	inv_add_str(ev, "source", tp_rows_get(rs, 0, 11));
	json_object_object_add(ev, "invoice_id",
	                       json_object_new_int64((int64_t)invoice));
	json_object_object_add(ev, "recorded_by",
	                       json_object_new_int64((int64_t)by));
	json_object_object_add(ev, "ledger_txn_id",
	                       json_object_new_int64((int64_t)txn));
	return tp_event_emit(r, "payment.recorded", partner, account, ev);
}

tp_rc inv_payment_record(tp_req *r, const struct inv_payment *p, uint64_t *id)
{
	tp_rows *rs;
	/* the same key again: the first payment, if it is the same one */
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT id, account_id, amount, currency, "
	                       "status FROM payments WHERE tenant_id = ? AND "
	                       "idem_key = ? FOR UPDATE",
	                       "Is", (int64_t)tp_tenant_id(r),
	                       p->idem_key ? p->idem_key : "");
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) > 0) {
		if ((uint64_t)tp_rows_i64(rs, 0, 1) != p->account ||
		    tp_rows_i64(rs, 0, 2) != p->amount ||
		    strcmp(tp_rows_get(rs, 0, 3), p->ccy ? p->ccy : "") != 0)
			return tp_fail(r, TP_ECONFLICT, "idempotency_key",
			               "was already used for a different "
			               "payment");
		*id = (uint64_t)tp_rows_i64(rs, 0, 0);
		return inv_pay_settle(r, *id, p->reference);
	}
	tp_who w;
	tp_who_get(r, &w);
	const char *source = p->recorded_by != 0 ? "partner"
	                     : w.kind == TP_USER_OPERATOR ? "operator"
	                     : w.kind == 0                ? "autopay"
	                                                  : "customer";
	if ((rc = inv_pay_insert(r, p, source, id)) != TP_OK)
		return rc;
	return inv_pay_settle(r, *id, p->reference);
}
