/*
 * pay.c -- a settled payment into a customer's account: its row, its
 * ledger transaction, its allocation to open invoices and its event, all
 * in the caller's one DB transaction (docs/money.md: payments). Every way
 * money comes in -- a card through the gateway, autopay, a partner's cash
 * -- ends here; nothing here talks to a gateway or reads a request's form.
 */
#include "pay.h"

#include <sodium.h>
#include <stdio.h>
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
		               _("Amount must be more than zero"));
	if (p->ccy == NULL || tp_check_currency(p->ccy) != NULL)
		return tp_fail(r, TP_EINVAL, "currency",
		               _("Currency must be a currency code like EUR"));
	if (tp_money_round(p->amount, p->ccy) != p->amount)
		return tp_fail(r, TP_EINVAL, "amount",
		               _("Amount has more decimals than %s has (%d)"),
		               p->ccy, tp_currency_minor(p->ccy));
	if (!listed(p->method, pay_methods))
		return tp_fail(r, TP_EINVAL, "method",
		               _("Method must be card, ach, cash or transfer"));
	if (!listed(p->debit, pay_debits) ||
	    (strcmp(p->debit, "partner.receivable") == 0 &&
	     p->recorded_by == 0))
		return tp_fail(r, TP_EINVAL, "debit",
		               _("is not a ledger account a payment debits"));
	if (p->idem_key == NULL || *p->idem_key == '\0' ||
	    strlen(p->idem_key) > 150)
		return tp_fail(r, TP_EINVAL, "idempotency_key",
		               _("must be 1 to 150 characters"));
	tp_rc rc =
	    tp_db_query(db, r, &rs,
	                "SELECT currency, partner_id FROM accounts "
	                "WHERE id = ? AND tenant_id = ? FOR UPDATE",
	                "II", (int64_t)p->account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, "account", _("no such account"));
	if (strcmp(tp_rows_get(rs, 0, 0), p->ccy) != 0)
		return tp_fail(r, TP_EINVAL, "currency",
		               _("Currency must be the account's (%s)"),
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
		               _("no such invoice on this account"));
	return rc;
}

tp_rc inv_pay_insert(tp_req *r, const struct inv_payment *p, const char *source,
                     uint64_t *id)
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
	    (int64_t)p->method_id, (int64_t)p->recorded_by, p->debit, p->amount,
	    p->ccy, p->reference, p->idem_key, (int64_t)w.user_id);
	if (rc == TP_OK)
		*id = tp_db_last_id(tp_req_db(r));
	return rc;
}

/* amount over the invoices of rs (id, what may move) in order: each part
 * moves invoices.paid by sign (1: paid, -1: taken back) and is a
 * payment_allocations row of payment, signed alike */
static tp_rc move_parts(tp_req *r, uint64_t payment, tp_rows *rs,
                        int64_t amount, int sign)
{
	tp_db *db = tp_req_db(r);
	tp_rc rc = TP_OK;
	for (size_t i = 0; rc == TP_OK && amount > 0 && i < tp_rows_count(rs);
	     i++) {
		int64_t part = tp_rows_i64(rs, i, 1);
		if (part > amount)
			part = amount;
		rc = tp_db_exec(db, NULL,
		                "UPDATE invoices SET paid = paid + ? WHERE id "
		                "= ?",
		                "II", sign * part, tp_rows_i64(rs, i, 0));
		if (rc == TP_OK)
			rc = tp_db_exec(db, NULL,
			                "INSERT INTO payment_allocations "
			                "(tenant_id, payment_id, invoice_id, "
			                "amount) VALUES (?, ?, ?, ?)",
			                "IIII", (int64_t)tp_tenant_id(r),
			                (int64_t)payment, tp_rows_i64(rs, i, 0),
			                sign * part);
		amount -= part;
	}
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
	if (rc == TP_OK)
		rc = move_parts(r, payment, rs, amount, 1);
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
		return tp_fail(r, TP_ENOENT, NULL, _("no such payment"));
	const char *status = tp_rows_get(rs, 0, 9);
	if (strcmp(status, "settled") == 0)
		return TP_OK;
	if (strcmp(status, "declined") == 0)
		return tp_fail(r, TP_ECONFLICT, NULL,
		               _("this payment was declined"));
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
	tp_json_add_str(ev, "number", number);
	json_object_object_add(ev, "amount", tp_json_money(amount, ccy));
	tp_json_add_str(ev, "method", tp_rows_get(rs, 0, 3));
	tp_json_add_str(ev, "source", tp_rows_get(rs, 0, 11));
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
			               _("was already used for a different "
			                 "payment"));
		*id = (uint64_t)tp_rows_i64(rs, 0, 0);
		return inv_pay_settle(r, *id, p->reference);
	}
	tp_who w;
	tp_who_get(r, &w);
	/* a command's or job's context records for the back office */
	const char *source = p->recorded_by != 0 || w.kind == TP_USER_PARTNER
	                         ? "partner"
	                     : w.kind == TP_USER_CUSTOMER ? "customer"
	                                                  : "operator";
	if ((rc = inv_pay_insert(r, p, source, id)) != TP_OK)
		return rc;
	return inv_pay_settle(r, *id, p->reference);
}

/* ------------------------------------------------------------------ */
/* a gateway payment                                                    */

tp_rc pay_answer(tp_req *r, uint64_t id, const struct inv_gw_answer *a)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT status FROM payments WHERE id = ? AND "
	                       "tenant_id = ? FOR UPDATE",
	                       "II", (int64_t)id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	const char *st = tp_rows_get(rs, 0, 0);
	if (strcmp(st, "pending") != 0 && strcmp(st, "unknown") != 0)
		return TP_OK; /* answered already */
	switch (a->result) {
	case INV_GW_APPROVED:
		rc = inv_pay_settle(r, id, a->reference);
		return rc == TP_OK ? pay_receipt_mail(r, id) : rc;
	case INV_GW_TIMEOUT:
		return tp_db_exec(db, NULL,
		                  "UPDATE payments SET status = 'unknown' "
		                  "WHERE id = ?",
		                  "I", (int64_t)id);
	default:
		/* declined, or the gateway never saw it: nothing was taken */
		return tp_db_exec(
		    db, NULL,
		    "UPDATE payments SET status = 'declined', decline_reason = "
		    "?, reference = NULLIF(?, '') WHERE id = ?",
		    "ssI",
		    a->result == INV_GW_DECLINED
		        ? (*a->reason ? a->reason : "declined")
		        : "the payment never reached the gateway",
		    a->reference, (int64_t)id);
	}
}

tp_rc pay_charge(tp_req *r, uint64_t id, const char **status)
{
	tp_db *db = tp_req_db(r);
	const struct inv_gateway *gw = inv_gateway(r);
	struct inv_gw_answer a;
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT p.idem_key, p.amount, p.currency, m.kind, "
	    "IFNULL(m.token, ''), IFNULL(m.routing, ''), m.account_sealed "
	    "FROM payments p JOIN payment_methods m ON m.id = p.method_id "
	    "WHERE p.id = ? AND p.tenant_id = ? AND p.status = 'pending'",
	    "II", (int64_t)id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("no such pending payment"));
	struct inv_gw_charge c = {.key = tp_rows_get(rs, 0, 0),
	                          .kind = tp_rows_get(rs, 0, 3),
	                          .token = tp_rows_get(rs, 0, 4),
	                          .routing = tp_rows_get(rs, 0, 5),
	                          .amount = tp_rows_i64(rs, 0, 1),
	                          .ccy = tp_rows_get(rs, 0, 2)};
	/* a bank account's number opened for this call only */
	char num[64] = "";
	const char *sealed = tp_rows_get(rs, 0, 6);
	bool sealed_off = false;
	if (sealed != NULL) {
		size_t n = 0;
		if (tp_unseal(sealed, num, sizeof(num) - 1, &n) != TP_OK) {
			n = 0;
			sealed_off = true;
		}
		num[n] = '\0';
		c.account_number = num;
	}
	memset(&a, 0, sizeof(a));
	if (sealed_off) {
		/* never a debit with no account number: declined, saying
		 * why, and the gateway never sees it */
		a.result = INV_GW_DECLINED;
		snprintf(a.reason, sizeof(a.reason),
		         "the bank account number cannot be opened (a key is "
		         "missing from the key store)");
		tp_log(TP_LOG_ERR, "INV0004", "payment %llu not sent: %s",
		       (unsigned long long)id, a.reason);
	} else if (gw->charge(r, &c, &a) != TP_OK) {
		/* no transaction is open: the gateway's books are its own,
		 * and a failure on the way is a charge whose answer we do
		 * not know */
		a.result = INV_GW_TIMEOUT;
	}
	sodium_memzero(num, sizeof(num));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = pay_answer(r, id, &a);
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		/* the answer is lost: the payment stays pending and the
		 * resolve job asks the gateway again */
		tp_db_rollback(db);
		return rc;
	}
	*status = a.result == INV_GW_APPROVED  ? "settled"
	          : a.result == INV_GW_TIMEOUT ? "unknown"
	                                       : "declined";
	return TP_OK;
}

/* the payment's state as an action's answer */
static json_object *pay_result(tp_req *r, uint64_t id)
{
	tp_rows *rs;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "payment_id",
	                       json_object_new_int64((int64_t)id));
	if (tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT status, IFNULL(number, ''), amount, currency, "
	                "IFNULL(decline_reason, '') FROM payments WHERE id = ?",
	                "I", (int64_t)id) == TP_OK &&
	    tp_rows_count(rs) > 0) {
		tp_json_add_str(o, "status", tp_rows_get(rs, 0, 0));
		tp_json_add_str(o, "number", tp_rows_get(rs, 0, 1));
		json_object_object_add(o, "amount",
		                       tp_json_money(tp_rows_i64(rs, 0, 2),
		                                     tp_rows_get(rs, 0, 3)));
		if (*tp_rows_get(rs, 0, 4))
			tp_json_add_str(o, "decline_reason",
			                tp_rows_get(rs, 0, 4));
	}
	return o;
}

/* POST /billing/payments, /accounts/{account}/payments: a payment by one
 * of the account's methods, against the balance or an invoice (partial
 * allowed), once per idempotency key */
tp_rc pay_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t account = pay_account(r), method = 0, invoice = 0, amount = 0;
	const char *ms, *is, *as, *ccy, *status = "pending";
	json_object *replay;
	tp_rows *rs;
	uint64_t id = 0;
	tp_rc rc;

	if (account == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	rc = tp_db_query(db, r, &rs,
	                 "SELECT currency FROM accounts WHERE id = ? AND "
	                 "tenant_id = ?",
	                 "II", account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such account"));
	ccy = tp_rows_get(rs, 0, 0);
	if ((rc = tp_field_text(r, "method_id", _("Method"), 20, 1, &ms)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "amount", _("Amount"), 32, 1, &as)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "invoice", _("Invoice"), 20, 0, &is)) !=
	        TP_OK)
		return pay_again(r, rc, account);
	if (tp_parse_i64(ms, &method) != TP_OK || method <= 0)
		rc = tp_fail(r, TP_EINVAL, "method_id",
		             _("Method must be one of your payment methods"));
	else if (*is && (tp_parse_i64(is, &invoice) != TP_OK || invoice <= 0))
		rc = tp_fail(r, TP_EINVAL, "invoice",
		             _("Invoice must be one of your open invoices"));
	else if ((rc = tp_input(r, "currency", &is)) == TP_OK && is &&
	         strcmp(is, ccy) != 0)
		rc = tp_fail(r, TP_EINVAL, "currency",
		             _("Currency must be the account's (%s)"), ccy);
	if (rc == TP_OK)
		rc = inv_amount_field(r, as, ccy, &amount);
	if (rc == TP_OK) {
		rc =
		    tp_db_query(db, r, &rs,
		                "SELECT kind FROM payment_methods WHERE id = ? "
		                "AND account_id = ? AND status = 'active'",
		                "II", method, account);
		if (rc == TP_OK && tp_rows_count(rs) == 0)
			rc = tp_fail(
			    r, TP_ENOENT, "method_id",
			    _("no such payment method on this account"));
	}
	if (rc != TP_OK)
		return pay_again(r, rc, account);
	const char *kind = tp_rows_get(rs, 0, 0);

	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(r, "billing.pay",
	                   tp_printf(r, "%lld|%lld|%lld|%lld",
	                             (long long)account, (long long)method,
	                             (long long)amount, (long long)invoice),
	                   &replay);
	if (rc == TP_OK && replay != NULL) {
		/* a retry: the payment's state now, nothing charged again */
		tp_db_rollback(db);
		json_object *pid = json_object_object_get(replay, "payment_id");
		id = (uint64_t)json_object_get_int64(pid);
		return tp_answer(
		    r, pay_result(r, id),
		    tp_printf(r, "/payments/%llu", (unsigned long long)id),
		    201);
	}
	struct inv_payment p = {
	    .account = (uint64_t)account,
	    .invoice = (uint64_t)invoice,
	    .amount = amount,
	    .ccy = ccy,
	    .method = kind,
	    .method_id = (uint64_t)method,
	    .debit = "gateway.clearing",
	    .idem_key = tp_printf(r, "pay:%s", tp_idem_key(r)),
	};
	if (rc == TP_OK)
		rc = inv_pay_insert(r, &p, "customer", &id);
	if (rc == TP_OK) {
		json_object *res = json_object_new_object();
		json_object_object_add(res, "payment_id",
		                       json_object_new_int64((int64_t)id));
		rc = tp_idem_end(r, res);
		json_object_put(res);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return pay_again(r, rc, account);
	}
	/* the row is committed: whatever happens now, the payment is on
	 * record and its key is the gateway's */
	if ((rc = pay_charge(r, id, &status)) != TP_OK)
		tp_log(TP_LOG_WARN, "INV0111",
		       "payment %llu: the gateway's answer was not written "
		       "(%d): left for the resolve job",
		       (unsigned long long)id, rc);
	json_object *d = json_object_new_object();
	json_object_object_add(d, "amount", tp_json_money(amount, ccy));
	tp_json_add_str(d, "status", status);
	tp_audit_log(r, "payment.make", "payment", (int64_t)id, d);
	return tp_answer(r, pay_result(r, id),
	                 tp_printf(r, "/payments/%llu", (unsigned long long)id),
	                 201);
}

/* ------------------------------------------------------------------ */
/* payments whose answer was lost                                       */

tp_rc pay_resolve_brand(tp_req *ctx, int64_t min_age, unsigned *settled,
                        unsigned *declined, unsigned *still)
{
	tp_db *db = tp_req_db(ctx);
	const struct inv_gateway *gw = inv_gateway(ctx);
	tp_rows *rs;
	/* a pending one may still be waiting for its answer in a request:
	 * left alone for two minutes; an unknown one min_age seconds */
	tp_rc rc = tp_db_query(
	    db, ctx, &rs,
	    "SELECT id, idem_key FROM payments WHERE tenant_id = ? AND "
	    "((status = 'unknown' AND created_at <= FROM_UNIXTIME(?)) OR "
	    "(status = 'pending' AND method_id IS NOT NULL AND created_at < "
	    "FROM_UNIXTIME(?))) ORDER BY id",
	    "III", (int64_t)tp_tenant_id(ctx), tp_now() - min_age,
	    tp_now() - 120);
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		struct inv_gw_answer a;
		memset(&a, 0, sizeof(a));
		if (gw->lookup(ctx, tp_rows_get(rs, i, 1), &a) != TP_OK) {
			(*still)++;
			continue;
		}
		if ((rc = tp_db_begin(db)) != TP_OK)
			break;
		rc = pay_answer(ctx, (uint64_t)tp_rows_i64(rs, i, 0), &a);
		if (rc == TP_OK)
			rc = tp_db_commit(db);
		else
			tp_db_rollback(db);
		if (a.result == INV_GW_APPROVED)
			(*settled)++;
		else
			(*declined)++;
	}
	return rc;
}

tp_rc pay_resolve_job(tp_req *ctx, tp_job_run *run)
{
	tp_rows *brands;
	unsigned s = 0, d = 0, n = 0;
	(void)run;
	tp_rc rc = tp_db_query(
	    tp_req_db(ctx), ctx, &brands,
	    "SELECT DISTINCT tenant_id FROM payments WHERE status = 'unknown' "
	    "OR status = 'pending' ORDER BY tenant_id",
	    "");
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(brands); i++)
		if ((rc = tp_ctx_brand(
		         ctx, (uint64_t)tp_rows_i64(brands, i, 0))) == TP_OK)
			rc = pay_resolve_brand(ctx, 120, &s, &d, &n);
	if (rc == TP_OK && s + d + n > 0)
		tp_log(TP_LOG_INFO, "INV0112",
		       "payments resolved: %u settled, %u declined, %u still "
		       "unknown",
		       s, d, n);
	/* and the prepaid block (autopay.c), within minutes of a balance
	 * reaching zero or of a top-up */
	unsigned blocked = 0, restored = 0;
	if (rc == TP_OK)
		rc = tp_db_query(tp_req_db(ctx), ctx, &brands,
		                 "SELECT tenant_id FROM payment_settings WHERE "
		                 "block_prepaid_at_zero = 1 UNION SELECT "
		                 "DISTINCT tenant_id FROM services WHERE "
		                 "suspend_reason = 'prepaid_empty' ORDER BY 1",
		                 "");
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(brands); i++)
		if ((rc = tp_ctx_brand(
		         ctx, (uint64_t)tp_rows_i64(brands, i, 0))) == TP_OK)
			rc = pay_prepaid_block(ctx, &blocked, &restored);
	if (rc == TP_OK && blocked + restored > 0)
		tp_log(TP_LOG_INFO, "INV0115",
		       "prepaid at zero: %u account(s) blocked, %u restored",
		       blocked, restored);
	return rc;
}

/* tierportctl invoices resolve --brand SLUG: every unknown payment now
 * (the job leaves them two minutes for a late answer) */
int pay_resolve_cmd(tp_req *ctx, int argc, char **argv)
{
	unsigned s = 0, d = 0, n = 0;
	(void)argv;
	if (argc > 1 || tp_tenant_id(ctx) == 0) {
		fprintf(stderr,
		        "usage: tierportctl invoices resolve --brand SLUG\n");
		return 2;
	}
	if (pay_resolve_brand(ctx, 0, &s, &d, &n) != TP_OK) {
		fprintf(stderr, "invoices resolve: failed\n");
		return 1;
	}
	printf("payments resolved: %u settled, %u declined, %u still "
	       "unknown\n",
	       s, d, n);
	return 0;
}

/* ------------------------------------------------------------------ */
/* refunds                                                              */

/* amount of payment id's allocations taken back, newest first, after
 * what the payment left unallocated (the account's credit) */
static tp_rc unallocate(tp_req *r, uint64_t id, int64_t paid, int64_t refunded,
                        int64_t amount)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT invoice_id, SUM(amount), MAX(id) FROM "
	                       "payment_allocations WHERE payment_id = ? "
	                       "GROUP BY invoice_id HAVING SUM(amount) > 0 "
	                       "ORDER BY MAX(id) DESC",
	                       "I", (int64_t)id);
	if (rc != TP_OK)
		return rc;
	int64_t allocated = 0;
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		allocated += tp_rows_i64(rs, i, 1);
	int64_t loose = paid - refunded - allocated;
	amount -= loose > 0 ? (loose < amount ? loose : amount) : 0;
	return move_parts(r, id, rs, amount, -1);
}

/* POST /payments/{payment}/refunds: part or all of what is left of a
 * settled payment, to its original method: the gateway's refund, the
 * reversing ledger entries, the invoices it paid open again, the
 * "payment.refunded" event */
tp_rc pay_refund_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t id = tp_param_id(r, "payment"), amount = 0;
	const char *as, *reason;
	json_object *replay;
	tp_rows *rs;
	tp_who w;
	tp_rc rc;

	tp_who_get(r, &w);
	rc = tp_db_query(db, r, &rs,
	                 "SELECT currency FROM payments WHERE id = ? AND "
	                 "tenant_id = ?",
	                 "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such payment"));
	const char *ccy = tp_rows_get(rs, 0, 0);
	if ((rc = tp_field_text(r, "amount", _("Amount"), 32, 1, &as)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "reason", _("Reason"), 255, 1, &reason)) !=
	        TP_OK ||
	    (rc = inv_amount_field(r, as, ccy, &amount)) != TP_OK)
		return rc;
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(r, "payment.refund",
	                   tp_printf(r, "%lld|%lld|%s", (long long)id,
	                             (long long)amount, reason),
	                   &replay);
	if (rc == TP_OK && replay != NULL) {
		tp_db_rollback(db);
		json_object_object_foreach(replay, k, val)
		    json_object_object_add(tp_view(r), k, json_object_get(val));
		tp_set_status(r, 201);
		return TP_OK;
	}
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, r, &rs,
		    "SELECT account_id, partner_id, status, amount, refunded, "
		    "debit_account, IFNULL(recorded_by, 0), idem_key, method, "
		    "IFNULL(method_id, 0) FROM payments WHERE id = ? FOR "
		    "UPDATE",
		    "I", id);
	if (rc != TP_OK)
		goto fail;
	uint64_t account = (uint64_t)tp_rows_i64(rs, 0, 0),
	         partner = (uint64_t)tp_rows_i64(rs, 0, 1),
	         by = (uint64_t)tp_rows_i64(rs, 0, 6);
	int64_t paid = tp_rows_i64(rs, 0, 3), refunded = tp_rows_i64(rs, 0, 4);
	const char *debit = tp_rows_get(rs, 0, 5);
	char left[32];
	if (strcmp(tp_rows_get(rs, 0, 2), "settled") != 0) {
		rc = tp_fail(r, TP_ECONFLICT, "payment",
		             _("only a settled payment can be refunded"));
		goto fail;
	}
	if (amount > paid - refunded) {
		rc = tp_fail(r, TP_EINVAL, "amount",
		             _("Amount is more than is left to refund of this "
		               "payment (%s %s)"),
		             tp_money_format_ccy(paid - refunded, ccy, left,
		                                 sizeof(left)),
		             ccy);
		goto fail;
	}
	/* to the original method: the gateway's refund of its charge */
	struct inv_gw_answer a = {.result = INV_GW_APPROVED};
	const char *key = tp_printf(r, "refund:%s", tp_idem_key(r));
	if (strcmp(debit, "gateway.clearing") == 0) {
		rc = inv_gateway(r)->refund(r, key, tp_rows_get(rs, 0, 7),
		                            amount, ccy, &a);
		if (rc == TP_OK && a.result != INV_GW_APPROVED)
			rc = tp_fail(r, TP_ECONFLICT, "payment",
			             _("The gateway refused the refund: %s"),
			             a.reason);
		if (rc != TP_OK)
			goto fail;
	}
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO payment_refunds (tenant_id, partner_id, "
	                "account_id, payment_id, amount, currency, reason, "
	                "reference, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, "
	                "NULLIF(?, ''), NULLIF(?, 0))",
	                "IIIIIsssI", (int64_t)tp_tenant_id(r), (int64_t)partner,
	                (int64_t)account, id, amount, ccy, reason, a.reference,
	                (int64_t)w.user_id);
	uint64_t rid = rc == TP_OK ? tp_db_last_id(db) : 0, txn = 0;
	bool held = strcmp(debit, "partner.receivable") == 0;
	tp_ledger_line lv[2] = {{.account = "customer",
	                         .amount = amount,
	                         .account_id = account,
	                         .partner_id = partner},
	                        {.account = debit,
	                         .amount = -amount,
	                         .account_id = account,
	                         .partner_id = held || by ? by : partner}};
	tp_ledger_txn t = {.kind = "refund",
	                   .idem_key = key,
	                   .currency = ccy,
	                   .account_id = account,
	                   .partner_id = partner,
	                   .document_type = "payment",
	                   .document_id = (uint64_t)id,
	                   .memo = reason,
	                   .lines = lv,
	                   .n = 2};
	if (rc == TP_OK)
		rc = tp_ledger_post(r, &t, &txn, NULL);
	if (rc == TP_OK)
		rc = unallocate(r, (uint64_t)id, paid, refunded, amount);
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE payment_refunds SET ledger_txn_id = ? "
		                "WHERE id = ?",
		                "II", (int64_t)txn, (int64_t)rid);
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE payments SET refunded = refunded + ? "
		                "WHERE id = ?",
		                "II", amount, id);
	if (rc == TP_OK) {
		json_object *ev = json_object_new_object();
		json_object_object_add(ev, "payment_id",
		                       json_object_new_int64(id));
		json_object_object_add(ev, "refund_id",
		                       json_object_new_int64((int64_t)rid));
		json_object_object_add(ev, "amount",
		                       tp_json_money(amount, ccy));
		tp_json_add_str(ev, "method", tp_rows_get(rs, 0, 8));
		json_object_object_add(ev, "recorded_by",
		                       json_object_new_int64((int64_t)by));
		rc = tp_event_emit(r, "payment.refunded", partner, account, ev);
	}
	json_object *res = json_object_new_object();
	json_object_object_add(res, "refund_id",
	                       json_object_new_int64((int64_t)rid));
	json_object_object_add(res, "payment_id", json_object_new_int64(id));
	json_object_object_add(res, "amount", tp_json_money(amount, ccy));
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "amount", tp_json_money(amount, ccy));
		tp_json_add_str(d, "reason", reason);
		tp_audit_log(r, "payment.refund", "payment", id, d);
		rc = tp_idem_end(r, res);
	}
	if (rc == TP_OK && (rc = tp_db_commit(db)) == TP_OK)
		return tp_answer(
		    r, res, tp_printf(r, "/payments/%lld", (long long)id), 201);
	json_object_put(res);
fail:
	tp_db_rollback(db);
	return rc;
}
