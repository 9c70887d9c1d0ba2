/*
 * autopay.c -- automatic payments, dunning and prepaid alerts: the job
 * `invoices.autopay` (daily) or `tierportctl invoices autopay --brand
 * SLUG`, by tp_now()'s day. An enrolled account's open invoices are
 * charged to its autopay method once a day at most (the charge's key names
 * the account and the day); a decline is retried on the brand's dunning
 * days with a mail each time carrying the link to update the card; an
 * account with a payment still unknown is never charged again until the
 * resolve job knows. A prepaid account below the threshold its customer
 * set gets one alert per crossing; where the brand says so, a prepaid
 * account at zero has its services suspended until it has funds again
 * (also every 5 minutes with the resolve job, pay.c).
 */
#include "pay.h"

#include <stdio.h>
#include <string.h>

struct autopay_counts {
	unsigned charged, declined, unknown, alerts, blocked, restored;
};

tp_rc pay_dunning_reset(tp_req *r, uint64_t account)
{
	return tp_db_exec(tp_req_db(r), NULL,
	                  "UPDATE payment_profiles SET dunning_step = 0, "
	                  "dunning_first_day = NULL, dunning_next_day = NULL "
	                  "WHERE account_id = ?",
	                  "I", (int64_t)account);
}

static tp_rc mail_account(tp_req *ctx, const char *to, const char *subject,
                          const char *body)
{
	return to && *to ? tp_mail_queue(ctx, to, subject, body) : TP_OK;
}

/* a declined autopay: the next try on the brand's schedule, and a mail
 * with the link to update the card */
static tp_rc dunning(tp_req *ctx, const struct pay_rules *rules,
                     uint64_t account, const char *number, const char *email,
                     int step, int64_t first, int64_t today, uint64_t pid)
{
	tp_db *db = tp_req_db(ctx);
	char link[512];
	tp_rows *rs;
	if (first == 0)
		first = today;
	step++;
	bool more = (unsigned)step <= rules->n_dunning;
	int64_t next = more ? first + rules->dunning[step - 1] : 0;
	if (more && next <= today)
		next = today + 1;
	if (tp_brand_url_db(db, tp_tenant_id(ctx), "/billing/payments", link,
	                    sizeof(link)) != TP_OK)
		link[0] = '\0';
	tp_rc rc = tp_db_query(db, ctx, &rs,
	                       "SELECT IFNULL(decline_reason, 'declined') "
	                       "FROM payments WHERE id = ?",
	                       "I", (int64_t)pid);
	if (rc != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE payment_profiles SET dunning_step = ?, "
	                "dunning_first_day = ?, dunning_next_day = NULLIF(?, "
	                "0) WHERE account_id = ?",
	                "iIII", step, first, next, (int64_t)account);
	if (rc != TP_OK)
		return rc;
	/* the mail in the customer's language (lang.c) */
	int old = inv_lang_enter(inv_account_lang(ctx, (int64_t)account));
	const char *when =
	    more ? tp_printf(ctx, _("We will try again on %s."),
	                     inv_date(ctx, next))
	         : _("We will not try again: please pay by another way.");
	rc = mail_account(
	    ctx, email,
	    tp_printf(ctx, _("Your automatic payment was declined (%s)"),
	              number),
	    tp_printf(ctx,
	              _("Your automatic payment for account %s was declined: "
	                "%s.\n%s\n\nUpdate your card: %s\n"),
	              number,
	              tp_rows_count(rs) ? tp_rows_get(rs, 0, 0) : _("declined"),
	              when, link));
	tp_i18n_use(old);
	return rc;
}

/* the prepaid low-balance alert, once per crossing of the threshold */
static tp_rc alerts(tp_req *ctx, struct autopay_counts *c)
{
	tp_db *db = tp_req_db(ctx);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, ctx, &rs,
	    "SELECT a.id, a.number, a.currency, -a.balance, "
	    "pp.low_balance_threshold, pp.low_balance_alerted, "
	    "IF(a.payment_email <> '', a.payment_email, a.billing_email) FROM "
	    "payment_profiles pp JOIN accounts a ON a.id = pp.account_id "
	    "WHERE pp.tenant_id = ? AND a.billing_type = 'prepaid' AND "
	    "pp.low_balance_threshold IS NOT NULL AND "
	    "(-a.balance < pp.low_balance_threshold) <> "
	    "pp.low_balance_alerted",
	    "I", (int64_t)tp_tenant_id(ctx));
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		bool below = tp_rows_i64(rs, i, 3) < tp_rows_i64(rs, i, 4);
		const char *ccy = tp_rows_get(rs, i, 2);
		char a[64], t[64];
		if ((rc = tp_db_begin(db)) != TP_OK)
			break;
		rc = tp_db_exec(db, NULL,
		                "UPDATE payment_profiles SET "
		                "low_balance_alerted = ? WHERE account_id = ?",
		                "iI", below ? 1 : 0, tp_rows_i64(rs, i, 0));
		if (rc == TP_OK && below) {
			/* in the customer's language (lang.c) */
			int old = inv_lang_enter(
			    inv_account_lang(ctx, tp_rows_i64(rs, i, 0)));
			rc = mail_account(
			    ctx, tp_rows_get(rs, i, 6),
			    tp_printf(ctx, _("Low balance on account %s"),
			              tp_rows_get(rs, i, 1)),
			    tp_printf(
			        ctx,
			        _("Your available balance is %s, below "
			          "the %s you asked us to warn you at.\n"),
			        tp_money_text(tp_rows_i64(rs, i, 3), ccy, a,
			                      sizeof(a)),
			        tp_money_text(tp_rows_i64(rs, i, 4), ccy, t,
			                      sizeof(t))));
			tp_i18n_use(old);
			c->alerts++;
		}
		if (rc == TP_OK)
			rc = tp_db_commit(db);
		else
			tp_db_rollback(db);
	}
	return rc;
}

/* The brand's block of prepaid accounts at zero: an account with no
 * funds left (a prepaid balance of 0 or below) has its active services
 * suspended, reason "prepaid_empty"; once it has funds again, or the
 * brand no longer blocks, they come back ("funds"). A transaction per
 * account. Collections never lift this suspension (theirs is
 * "non_payment"), nor this one theirs. */
tp_rc pay_prepaid_block(tp_req *ctx, unsigned *blocked, unsigned *restored)
{
	tp_db *db = tp_req_db(ctx);
	struct pay_rules rules;
	int64_t today = tp_brand_day(ctx);
	tp_rows *rs;
	tp_rc rc = pay_rules_get(ctx, &rules);
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, ctx, &rs,
		    "SELECT a.id, a.partner_id, -a.balance <= 0 AND ? AND "
		    "a.status = 'active' FROM accounts a WHERE a.tenant_id = ? "
		    "AND a.billing_type = 'prepaid' AND (EXISTS (SELECT 1 FROM "
		    "services s WHERE s.account_id = a.id AND s.status = "
		    "'suspended' AND s.suspend_reason = 'prepaid_empty') OR "
		    "(? AND -a.balance <= 0 AND a.status = 'active' AND EXISTS "
		    "(SELECT 1 FROM services s WHERE s.account_id = a.id AND "
		    "s.status = 'active'))) ORDER BY a.id",
		    "iIi", (int)rules.block_prepaid_at_zero,
		    (int64_t)tp_tenant_id(ctx),
		    (int)rules.block_prepaid_at_zero);
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		bool block = tp_rows_i64(rs, i, 2) != 0;
		unsigned n = 0;
		if ((rc = tp_db_begin(db)) != TP_OK)
			break;
		rc = inv_services_move(ctx, tp_rows_i64(rs, i, 0),
		                       tp_rows_i64(rs, i, 1), block,
		                       "prepaid_empty", "funds", today, &n);
		if (rc == TP_OK)
			rc = tp_db_commit(db);
		else
			tp_db_rollback(db);
		if (rc == TP_OK && n > 0)
			(*(block ? blocked : restored))++;
	}
	return rc;
}

static tp_rc pay_autopay_brand(tp_req *ctx, struct autopay_counts *c)
{
	tp_db *db = tp_req_db(ctx);
	struct pay_rules rules;
	int64_t today = tp_brand_day(ctx);
	tp_rows *rs;
	tp_rc rc = pay_rules_get(ctx, &rules);
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, ctx, &rs,
		    "SELECT a.id, a.number, a.currency, LEAST(a.balance, "
		    "(SELECT "
		    "IFNULL(SUM(i.total - i.credited - i.paid - i.disputed), "
		    "0) "
		    "FROM invoices i WHERE i.account_id = a.id AND i.kind = "
		    "'invoice' AND i.status = 'issued' AND i.issue_date <= "
		    "FROM_DAYS(? + 719528))), pp.autopay_method_id, m.kind, "
		    "pp.dunning_step, IFNULL(pp.dunning_first_day, 0), "
		    "IFNULL(pp.dunning_next_day, 0), IF(a.payment_email <> '', "
		    "a.payment_email, a.billing_email) FROM payment_profiles "
		    "pp "
		    "JOIN accounts a ON a.id = pp.account_id JOIN "
		    "payment_methods m ON m.id = pp.autopay_method_id AND "
		    "m.status = 'active' WHERE pp.tenant_id = ? AND a.status "
		    "<> "
		    "'closed' AND (m.kind = 'card' OR a.ach_authorised = 1) "
		    "AND "
		    "NOT EXISTS (SELECT 1 FROM payments p WHERE p.account_id = "
		    "a.id AND p.status IN ('pending', 'unknown')) ORDER BY "
		    "a.id",
		    "II", today, (int64_t)tp_tenant_id(ctx));
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		uint64_t account = (uint64_t)tp_rows_i64(rs, i, 0), id = 0;
		const char *number = tp_rows_get(rs, i, 1), *status = "";
		int64_t amount = tp_rows_i64(rs, i, 3);
		int step = (int)tp_rows_i64(rs, i, 6);
		int64_t next = tp_rows_i64(rs, i, 8);
		if (amount <= 0 || (step > 0 && next == 0) ||
		    (next != 0 && today < next))
			continue; /* nothing due, given up, or not yet */
		struct inv_payment p = {
		    .account = account,
		    .amount = amount,
		    .ccy = tp_rows_get(rs, i, 2),
		    .method = tp_rows_get(rs, i, 5),
		    .method_id = (uint64_t)tp_rows_i64(rs, i, 4),
		    .debit = "gateway.clearing",
		    .idem_key = tp_printf(ctx, "autopay:%s:%s", number,
		                          inv_date(ctx, today))};
		tp_rows *dup;
		if ((rc = tp_db_begin(db)) != TP_OK)
			break;
		/* today's charge was made already (a rerun) */
		rc = tp_db_query(db, ctx, &dup,
		                 "SELECT 1 FROM payments WHERE tenant_id = ? "
		                 "AND idem_key = ?",
		                 "Is", (int64_t)tp_tenant_id(ctx), p.idem_key);
		if (rc == TP_OK && tp_rows_count(dup) == 0)
			rc = inv_pay_insert(ctx, &p, "autopay", &id);
		if (rc == TP_OK)
			rc = tp_db_commit(db);
		else
			tp_db_rollback(db);
		if (rc != TP_OK || id == 0)
			continue;
		if ((rc = pay_charge(ctx, id, &status)) != TP_OK)
			break;
		if (strcmp(status, "settled") == 0) {
			c->charged++;
			rc = pay_dunning_reset(ctx, account);
		} else if (strcmp(status, "declined") == 0) {
			c->declined++;
			if ((rc = tp_db_begin(db)) != TP_OK)
				break;
			rc = dunning(ctx, &rules, account, number,
			             tp_rows_get(rs, i, 9), step,
			             tp_rows_i64(rs, i, 7), today, id);
			if (rc == TP_OK)
				rc = tp_db_commit(db);
			else
				tp_db_rollback(db);
		} else {
			c->unknown++;
		}
	}
	if (rc == TP_OK)
		rc = alerts(ctx, c);
	if (rc == TP_OK)
		rc = pay_prepaid_block(ctx, &c->blocked, &c->restored);
	return rc;
}

tp_rc pay_autopay_job(tp_req *ctx, tp_job_run *run)
{
	tp_rows *brands;
	struct autopay_counts c = {0};
	(void)run;
	tp_rc rc = tp_db_query(tp_req_db(ctx), ctx, &brands,
	                       "SELECT DISTINCT tenant_id FROM "
	                       "payment_profiles ORDER BY tenant_id",
	                       "");
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(brands); i++)
		if ((rc = tp_ctx_brand(
		         ctx, (uint64_t)tp_rows_i64(brands, i, 0))) == TP_OK)
			rc = pay_autopay_brand(ctx, &c);
	if (rc == TP_OK)
		tp_log(TP_LOG_INFO, "INV0114",
		       "autopay: %u charged, %u declined, %u unknown, %u "
		       "low-balance alerts, %u prepaid blocked, %u restored",
		       c.charged, c.declined, c.unknown, c.alerts, c.blocked,
		       c.restored);
	return rc;
}

/* tierportctl invoices autopay --brand SLUG */
int pay_autopay_cmd(tp_req *ctx, int argc, char **argv)
{
	struct autopay_counts c = {0};
	(void)argv;
	if (argc > 1 || tp_tenant_id(ctx) == 0) {
		fprintf(stderr,
		        "usage: tierportctl invoices autopay --brand SLUG\n");
		return 2;
	}
	if (pay_autopay_brand(ctx, &c) != TP_OK) {
		fprintf(stderr, "invoices autopay: failed\n");
		return 1;
	}
	printf("autopay %s: %u charged, %u declined, %u unknown, %u "
	       "low-balance alerts, %u prepaid blocked, %u restored\n",
	       inv_date(ctx, tp_brand_day(ctx)), c.charged, c.declined,
	       c.unknown, c.alerts, c.blocked, c.restored);
	return 0;
}

/* POST /billing/low-balance: the prepaid customer's alert threshold
 * (threshold empty: none) */
tp_rc pay_low_balance_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t account = pay_account(r), v = 0;
	const char *s;
	tp_rows *rs;
	tp_rc rc;
	if (account == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	rc = tp_db_query(db, r, &rs,
	                 "SELECT currency, billing_type = 'prepaid' FROM "
	                 "accounts WHERE id = ? AND tenant_id = ?",
	                 "II", account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such account"));
	if ((rc = tp_field_text(r, "threshold", _("Threshold"), 32, 0, &s)) !=
	    TP_OK)
		return pay_again(r, rc, account);
	if (tp_rows_i64(rs, 0, 1) == 0)
		return pay_again(r,
		                 tp_fail(r, TP_EINVAL, "threshold",
		                         _("A low-balance alert is for prepaid "
		                           "accounts")),
		                 account);
	if (*s && tp_money_parse_ccy(s, tp_rows_get(rs, 0, 0), &v) != TP_OK)
		return pay_again(r,
		                 tp_fail(r, TP_EINVAL, "threshold",
		                         _("Threshold must be an amount in %s"),
		                         tp_rows_get(rs, 0, 0)),
		                 account);
	if (*s && v < 0)
		return pay_again(r,
		                 tp_fail(r, TP_EINVAL, "threshold",
		                         _("Threshold must not be negative")),
		                 account);
	rc =
	    tp_db_exec(db, NULL,
	               "INSERT INTO payment_profiles (account_id, tenant_id, "
	               "low_balance_threshold) VALUES (?, ?, ?) ON DUPLICATE "
	               "KEY UPDATE low_balance_threshold = "
	               "VALUES(low_balance_threshold), low_balance_alerted = 0",
	               "IIs", account, (int64_t)tp_tenant_id(r),
	               *s ? tp_printf(r, "%lld", (long long)v) : NULL);
	if (rc != TP_OK)
		return rc;
	return tp_answer(
	    r, NULL, tp_printf(r, "%s/payments", pay_base(r, account)), 200);
}
