/*
 * collect.c -- collections (docs/money.md, "Collections"): reminders
 * before and after an invoice's due date, a late fee per overdue invoice,
 * suspension of an account's services for non-payment and their restore
 * once nothing is overdue. Every step of an invoice happens once (the
 * invoice_collections row, written in the step's transaction), is audited
 * and mails through the outbox. Money never moves here: a late fee is a
 * pending charge the next billing run invoices.
 */
#include "invoices.h"

#include <stdio.h>
#include <string.h>

/* what an invoice still asks for: an issued invoice's total less what
 * credit notes took off, what payments and credits paid and what is under
 * dispute */
#define INV_OPEN "(i.total - i.credited - i.paid - i.disputed)"

struct rules {
	int64_t late_fixed, late_ppm, grace, before, after, suspend;
};

static tp_rc load_rules(tp_req *ctx, struct rules *s)
{
	tp_rows *rs;
	/* a brand without a billing_settings row has the defaults of
	 * sql/012_ledger.sql */
	tp_rc rc = tp_db_query(
	    tp_req_db(ctx), ctx, &rs,
	    "SELECT IFNULL(MAX(late_fee_fixed), 0), IFNULL(MAX(late_fee_ppm), "
	    "0), IFNULL(MAX(late_fee_grace_days), 0), "
	    "IFNULL(MAX(remind_before_days), 3), "
	    "IFNULL(MAX(remind_after_days), "
	    "7), IFNULL(MAX(suspend_after_days), 30) FROM billing_settings "
	    "WHERE tenant_id = ?",
	    "I", (int64_t)tp_tenant_id(ctx));
	if (rc != TP_OK)
		return rc;
	s->late_fixed = tp_rows_i64(rs, 0, 0);
	s->late_ppm = tp_rows_i64(rs, 0, 1);
	s->grace = tp_rows_i64(rs, 0, 2);
	s->before = tp_rows_i64(rs, 0, 3);
	s->after = tp_rows_i64(rs, 0, 4);
	s->suspend = tp_rows_i64(rs, 0, 5);
	return TP_OK;
}

/* Claims step of invoice: *first is true only for the one transaction
 * that writes the row (a concurrent run waits on its key, then skips). */
static tp_rc claim(tp_req *ctx, int64_t invoice, const char *step, bool *first)
{
	uint64_t n = 0;
	tp_rc rc = tp_db_exec(tp_req_db(ctx), &n,
	                      "INSERT IGNORE INTO invoice_collections "
	                      "(tenant_id, invoice_id, step, done_at) VALUES "
	                      "(?, ?, ?, FROM_UNIXTIME(?))",
	                      "IIsI", (int64_t)tp_tenant_id(ctx), invoice, step,
	                      tp_now());
	*first = rc == TP_OK && n == 1;
	return rc;
}

struct acct {
	int64_t id, partner, balance;
	const char *number, *name, *ccy, *email;
};

/* a mail to the account's billing address (none: the step is still done
 * and audited, with mailed false) */
static tp_rc mail(tp_req *ctx, const struct acct *a, int64_t invoice,
                  const char *subject, const char *text, bool *mailed)
{
	char url[512];
	*mailed = false;
	if (a->email == NULL || *a->email == '\0')
		return TP_OK;
	const char *path =
	    invoice ? tp_printf(ctx, "/invoices/%lld", (long long)invoice)
	            : "/billing";
	if (tp_brand_url_db(tp_req_db(ctx), tp_tenant_id(ctx), path, url,
	                    sizeof(url)) != TP_OK)
		snprintf(url, sizeof(url), "%s", path);
	*mailed = true;
	return tp_mail_queue(ctx, a->email, subject,
	                     tp_printf(ctx,
	                               _("Dear %s (account %s),\n\n%s\n\n%s\n"),
	                               a->name, a->number, text, url));
}

static const char *amount_text(tp_req *ctx, int64_t v, const char *ccy)
{
	char buf[64];
	return tp_strdup(ctx, tp_money_text(v, ccy, buf, sizeof(buf)));
}

static void audit(tp_req *ctx, const char *step, int64_t invoice,
                  const char *number, int64_t open, const char *ccy,
                  bool mailed, json_object *more)
{
	json_object *d = more ? more : json_object_new_object();
	tp_json_add_str(d, "number", number);
	json_object_object_add(d, "open", tp_json_money(open, ccy));
	json_object_object_add(d, "mailed", json_object_new_boolean(mailed));
	tp_audit_log(ctx, tp_printf(ctx, "collections.%s", step), "invoice",
	             invoice, d);
}

/* Moves an account's services from one state to the other for reason
 * ("non_payment" here, "prepaid_empty" for autopay.c's prepaid block):
 * suspending takes every active service, restoring only those suspended
 * for that reason; the status, a history row from today (the run prorates
 * by it: suspended days are not billed; back = the restore's reason) and
 * the lifecycle event selfcare's status change emits. *n gets how many
 * moved. */
tp_rc inv_services_move(tp_req *ctx, int64_t account, int64_t partner,
                        bool suspend, const char *reason, const char *back,
                        int64_t today, unsigned *n)
{
	tp_db *db = tp_req_db(ctx);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, ctx, &rs,
	    suspend ? "SELECT id FROM services WHERE account_id = ? AND "
	              "status = 'active' AND ? <> '' ORDER BY id FOR UPDATE"
	            : "SELECT id FROM services WHERE account_id = ? AND "
	              "status = 'suspended' AND suspend_reason = ? ORDER BY "
	              "id FOR UPDATE",
	    "Is", account, reason);
	*n = 0;
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		int64_t sid = tp_rows_i64(rs, i, 0);
		rc = tp_db_exec(db, NULL,
		                "UPDATE services SET status = ?, "
		                "suspend_reason = ? WHERE id = ?",
		                "ssI", suspend ? "suspended" : "active",
		                suspend ? reason : "none", sid);
		if (rc == TP_OK)
			rc = tp_db_exec(
			    db, NULL,
			    "INSERT INTO service_history (tenant_id, "
			    "service_id, status, periodic_charge, effective, "
			    "reason) SELECT tenant_id, id, status, "
			    "periodic_charge, FROM_DAYS(? + 719528), ? FROM "
			    "services WHERE id = ?",
			    "IsI", today, suspend ? reason : back, sid);
		if (rc != TP_OK)
			break;
		json_object *ev = json_object_new_object();
		json_object_object_add(ev, "service_id",
		                       json_object_new_int64(sid));
		tp_json_add_str(ev, "from", suspend ? "active" : "suspended");
		tp_json_add_str(ev, "to", suspend ? "suspended" : "active");
		tp_json_add_str(ev, "reason", reason);
		rc = tp_event_emit(
		    ctx, suspend ? "service.suspended" : "service.activated",
		    (uint64_t)partner, (uint64_t)account, ev);
		*n += rc == TP_OK;
	}
	return rc;
}

static tp_rc move_services(tp_req *ctx, const struct acct *a, bool suspend,
                           int64_t today, unsigned *n)
{
	return inv_services_move(ctx, a->id, a->partner, suspend, "non_payment",
	                         "paid", today, n);
}

/* The late fee of an overdue invoice: the brand's fixed part plus its
 * rate of the open amount, one pending charge (untaxed: class "exempt"
 * in the run) that the next run bills. */
static tp_rc late_fee(tp_req *ctx, const struct rules *s, const struct acct *a,
                      const char *number, int64_t open, int64_t due,
                      int64_t today, int64_t *fee)
{
	int64_t part = 0;
	if (s->late_ppm > 0 && tp_money_mul_div(open, s->late_ppm, 1000000,
	                                        a->ccy, &part) != TP_OK)
		return TP_EINVAL;
	*fee = tp_money_round(s->late_fixed, a->ccy) + part;
	if (*fee <= 0)
		return TP_OK;
	return tp_db_exec(
	    tp_req_db(ctx), NULL,
	    "INSERT INTO pending_charges (tenant_id, account_id, kind, "
	    "description, amount, currency, effective, idem_key) VALUES (?, "
	    "?, 'late_fee', ?, ?, ?, FROM_DAYS(? + 719528), ?)",
	    "IIsIsIs", (int64_t)tp_tenant_id(ctx), a->id,
	    tp_printf(ctx, _("Late fee: invoice %s, due %s"), number,
	              inv_date(ctx, due)),
	    *fee, a->ccy, today, tp_printf(ctx, "late_fee:%s", number));
}

/* Every step due for one account today, in ctx's open transaction (in
 * the account's language: collect_account). */
static tp_rc collect_account_steps(tp_req *ctx, const struct rules *s,
                                   int64_t account, int64_t today,
                                   struct inv_collect_counts *c)
{
	tp_db *db = tp_req_db(ctx);
	tp_rows *rs, *iv;
	struct acct a;
	bool first, mailed;

	/* the account's row first, as the run and the ledger take it */
	tp_rc rc = tp_db_query(
	    db, ctx, &rs,
	    "SELECT partner_id, balance, number, name, currency, "
	    "IF(billing_email <> '', billing_email, email) FROM accounts "
	    "WHERE id = ? AND tenant_id = ? FOR UPDATE",
	    "II", account, (int64_t)tp_tenant_id(ctx));
	if (rc != TP_OK || tp_rows_count(rs) == 0)
		return rc;
	a = (struct acct){.id = account,
	                  .partner = tp_rows_i64(rs, 0, 0),
	                  .balance = tp_rows_i64(rs, 0, 1),
	                  .number = tp_rows_get(rs, 0, 2),
	                  .name = tp_rows_get(rs, 0, 3),
	                  .ccy = tp_rows_get(rs, 0, 4),
	                  .email = tp_rows_get(rs, 0, 5)};
	rc = tp_db_query(db, ctx, &iv,
	                 "SELECT i.id, i.number, TO_DAYS(i.due_date) - "
	                 "719528, " INV_OPEN " FROM invoices i WHERE "
	                 "i.account_id = ? AND i.kind = 'invoice' AND "
	                 "i.status = 'issued' AND i.due_date IS NOT NULL AND "
	                 "i.currency = ? AND " INV_OPEN
	                 " > 0 ORDER BY i.due_date, i.id FOR UPDATE",
	                 "Is", account, a.ccy);
	if (rc != TP_OK)
		return rc;
	/* an account that owes nothing (a credit not yet allocated, a
	 * payment on account) is chased for nothing */
	size_t n = a.balance > 0 ? tp_rows_count(iv) : 0;
	for (size_t i = 0; rc == TP_OK && i < n; i++) {
		int64_t id = tp_rows_i64(iv, i, 0), due = tp_rows_i64(iv, i, 2),
		        open = tp_rows_i64(iv, i, 3);
		const char *num = tp_rows_get(iv, i, 1);
		if (s->before > 0 && today >= due - s->before && today < due &&
		    (rc = claim(ctx, id, "remind_before", &first)) == TP_OK &&
		    first) {
			rc = mail(ctx, &a, id,
			          tp_printf(ctx, _("Invoice %s is due on %s"),
			                    num, inv_date(ctx, due)),
			          tp_printf(ctx,
			                    _("Invoice %s is due on %s: %s are "
			                      "open on it."),
			                    num, inv_date(ctx, due),
			                    amount_text(ctx, open, a.ccy)),
			          &mailed);
			audit(ctx, "remind_before", id, num, open, a.ccy,
			      mailed, NULL);
			c->reminders++;
		}
		if (rc == TP_OK && s->after > 0 && today >= due + s->after &&
		    (rc = claim(ctx, id, "remind_after", &first)) == TP_OK &&
		    first) {
			rc = mail(
			    ctx, &a, id,
			    tp_printf(ctx, _("Invoice %s is past due"), num),
			    tp_printf(ctx,
			              _("Invoice %s was due on %s and %s "
			                "are still open on it. Please pay "
			                "it now."),
			              num, inv_date(ctx, due),
			              amount_text(ctx, open, a.ccy)),
			    &mailed);
			audit(ctx, "remind_after", id, num, open, a.ccy, mailed,
			      NULL);
			c->reminders++;
		}
		if (rc == TP_OK && (s->late_fixed > 0 || s->late_ppm > 0) &&
		    today > due + s->grace &&
		    (rc = claim(ctx, id, "late_fee", &first)) == TP_OK &&
		    first) {
			int64_t fee = 0;
			if ((rc = late_fee(ctx, s, &a, num, open, due, today,
			                   &fee)) != TP_OK)
				break;
			json_object *d = json_object_new_object();
			json_object_object_add(d, "fee",
			                       tp_json_money(fee, a.ccy));
			audit(ctx, "late_fee", id, num, open, a.ccy, false, d);
			c->late_fees += fee > 0;
		}
	}
	if (rc != TP_OK)
		return rc;

	/* past due: the oldest open invoice's due date has passed while
	 * the account owes something */
	bool past_due = n > 0 && tp_rows_i64(iv, 0, 2) < today;
	if (past_due && s->suspend > 0 &&
	    today >= tp_rows_i64(iv, 0, 2) + s->suspend) {
		int64_t id = tp_rows_i64(iv, 0, 0),
		        open = tp_rows_i64(iv, 0, 3);
		const char *num = tp_rows_get(iv, 0, 1);
		unsigned moved = 0;
		if ((rc = claim(ctx, id, "suspend", &first)) != TP_OK || !first)
			return rc;
		if ((rc = move_services(ctx, &a, true, today, &moved)) != TP_OK)
			return rc;
		if (moved > 0)
			rc = mail(
			    ctx, &a, id,
			    _("Your services are suspended for non-payment"),
			    tp_printf(
			        ctx,
			        moved == 1
			            ? _("Invoice %s was due on %s and %s are "
			                "still open on it: %u service of "
			                "your account is suspended until it "
			                "is paid.")
			            : _("Invoice %s was due on %s and %s are "
			                "still open on it: %u services of "
			                "your account are suspended until it "
			                "is paid."),
			        num, inv_date(ctx, tp_rows_i64(iv, 0, 2)),
			        amount_text(ctx, open, a.ccy), moved),
			    &mailed);
		else
			mailed = false;
		json_object *d = json_object_new_object();
		json_object_object_add(d, "services",
		                       json_object_new_int64(moved));
		audit(ctx, "suspend", id, num, open, a.ccy, mailed, d);
		c->suspended += moved > 0;
		return rc;
	}
	if (past_due)
		return TP_OK;

	/* nothing overdue: lift each suspension of this account that has
	 * not been lifted yet */
	rc = tp_db_query(db, ctx, &rs,
	                 "SELECT i.id, i.number FROM invoice_collections c "
	                 "JOIN invoices i ON i.id = c.invoice_id WHERE "
	                 "i.account_id = ? AND c.step = 'suspend' AND NOT "
	                 "EXISTS (SELECT 1 FROM invoice_collections r WHERE "
	                 "r.invoice_id = c.invoice_id AND r.step = "
	                 "'restore') ORDER BY i.id",
	                 "I", account);
	if (rc != TP_OK || tp_rows_count(rs) == 0)
		return rc;
	unsigned moved = 0;
	if ((rc = move_services(ctx, &a, false, today, &moved)) != TP_OK)
		return rc;
	mailed = false;
	if (moved > 0 &&
	    (rc = mail(ctx, &a, 0, _("Your services are active again"),
	               tp_printf(ctx,
	                         moved == 1
	                             ? _("Thank you: nothing is overdue on "
	                                 "your account any more, and its %u "
	                                 "suspended service is active again.")
	                             : _("Thank you: nothing is overdue on "
	                                 "your account any more, and its %u "
	                                 "suspended services are active "
	                                 "again."),
	                         moved),
	               &mailed)) != TP_OK)
		return rc;
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		int64_t id = tp_rows_i64(rs, i, 0);
		if ((rc = claim(ctx, id, "restore", &first)) != TP_OK || !first)
			continue;
		json_object *d = json_object_new_object();
		json_object_object_add(d, "services",
		                       json_object_new_int64(moved));
		audit(ctx, "restore", id, tp_rows_get(rs, i, 1), 0, a.ccy,
		      mailed, d);
		moved = 0; /* counted once however many suspensions end */
	}
	c->restored += tp_rows_count(rs) > 0;
	return rc;
}

/* The account's mails (and the late fee's line) in its customer's
 * language (lang.c); the job goes on in its own afterwards. */
static tp_rc collect_account(tp_req *ctx, const struct rules *s,
                             int64_t account, int64_t today,
                             struct inv_collect_counts *c)
{
	int old = inv_lang_enter(inv_account_lang(ctx, account));
	tp_rc rc = collect_account_steps(ctx, s, account, today, c);
	tp_i18n_use(old);
	return rc;
}

tp_rc inv_collect_brand(tp_req *ctx, tp_job_run *run, uint64_t *after,
                        struct inv_collect_counts *c)
{
	tp_db *db = tp_req_db(ctx);
	int64_t tenant = (int64_t)tp_tenant_id(ctx);
	int64_t today = tp_brand_day(ctx);
	struct rules s;
	tp_rows *rs;
	tp_rc rc = load_rules(ctx, &s);

	while (rc == TP_OK) {
		/* the next accounts with something to chase, or a suspension
		 * to lift */
		rc = tp_db_query(
		    db, ctx, &rs,
		    "SELECT i.account_id FROM invoices i WHERE i.tenant_id = "
		    "? AND i.kind = 'invoice' AND i.status = 'issued' AND "
		    "i.due_date <= FROM_DAYS(? + 719528) AND " INV_OPEN
		    " > 0 AND i.account_id > ? UNION SELECT s.account_id FROM "
		    "services s WHERE s.tenant_id = ? AND s.status = "
		    "'suspended' AND s.suspend_reason = 'non_payment' AND "
		    "s.account_id > ? ORDER BY 1 LIMIT 100",
		    "IIIII", tenant, today + s.before, (int64_t)*after, tenant,
		    (int64_t)*after);
		if (rc != TP_OK || tp_rows_count(rs) == 0)
			break;
		/* a transaction per account: one account's trouble (a lock
		 * wait) costs only its own steps, retried next hour */
		for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
			int64_t account = tp_rows_i64(rs, i, 0);
			if ((rc = tp_db_begin(db)) != TP_OK)
				break;
			rc = collect_account(ctx, &s, account, today, c);
			if (rc == TP_OK && run != NULL)
				rc = tp_job_save(run,
				                 tp_printf(ctx, "%lld/%lld",
				                           (long long)tenant,
				                           (long long)account));
			if (rc == TP_OK)
				rc = tp_db_commit(db);
			else
				tp_db_rollback(db);
			if (rc == TP_OK)
				*after = (uint64_t)account;
		}
	}
	return rc;
}

/* the job: every brand with the module, hourly */
tp_rc inv_collect_job(tp_req *ctx, tp_job_run *run)
{
	const char *cp = tp_job_checkpoint(run);
	unsigned long long cp_tenant = 0, cp_after = 0;
	struct inv_collect_counts c = {0};
	tp_rows *brands;

	if (cp != NULL && sscanf(cp, "%llu/%llu", &cp_tenant, &cp_after) != 2)
		cp_tenant = cp_after = 0;
	tp_rc rc = tp_db_query(
	    tp_req_db(ctx), ctx, &brands,
	    "SELECT t.id FROM tenants t JOIN plan_modules pm ON pm.plan_id = "
	    "t.plan_id AND pm.module = 'invoices' WHERE t.status = 'active' "
	    "AND t.id >= ? ORDER BY t.id",
	    "I", (int64_t)cp_tenant);
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(brands); i++) {
		uint64_t tenant = (uint64_t)tp_rows_i64(brands, i, 0);
		uint64_t after = tenant == cp_tenant ? cp_after : 0;
		if ((rc = tp_ctx_brand(ctx, tenant)) == TP_OK)
			rc = inv_collect_brand(ctx, run, &after, &c);
	}
	if (rc == TP_OK)
		tp_log(TP_LOG_INFO, "INV0002",
		       "collections: %u reminders, %u late fees, %u accounts "
		       "suspended, %u restored",
		       c.reminders, c.late_fees, c.suspended, c.restored);
	return rc;
}

/* tierportctl invoices collect --brand SLUG */
int inv_collect_cmd(tp_req *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc > 1 || tp_tenant_id(ctx) == 0) {
		fprintf(stderr, "usage: tierportctl invoices collect --brand "
		                "SLUG\n");
		return 2;
	}
	uint64_t after = 0;
	struct inv_collect_counts c = {0};
	tp_rc rc = inv_collect_brand(ctx, NULL, &after, &c);
	if (rc != TP_OK) {
		fprintf(stderr, "invoices collect: failed (%d)\n", rc);
		return 1;
	}
	printf("collections %s: %u reminders, %u late fees, %u suspended, %u "
	       "restored\n",
	       inv_date(ctx, tp_brand_day(ctx)), c.reminders, c.late_fees,
	       c.suspended, c.restored);
	return 0;
}

/* Gives amount (a credit, a write-off) to the account's open invoices,
 * oldest due first (docs/money.md: allocation), as paid; what is left
 * stays on the account as credit. In the caller's transaction, after
 * the ledger took the account's row. */
tp_rc inv_allocate(tp_req *r, uint64_t account, int64_t amount)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT i.id, " INV_OPEN
	                       " FROM invoices i WHERE i.account_id = ? AND "
	                       "i.kind = 'invoice' AND i.status = 'issued' AND "
	                       "" INV_OPEN " > 0 ORDER BY i.due_date, i.id "
	                       "FOR UPDATE",
	                       "I", (int64_t)account);
	for (size_t i = 0; rc == TP_OK && amount > 0 && i < tp_rows_count(rs);
	     i++) {
		int64_t part = tp_rows_i64(rs, i, 1);
		if (part > amount)
			part = amount;
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE invoices SET paid = paid + ? WHERE id = ?", "II",
		    part, tp_rows_i64(rs, i, 0));
		amount -= part;
	}
	return rc;
}
