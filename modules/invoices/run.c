/*
 * run.c -- the billing run (docs/money.md): for one account and one bill
 * cycle, the invoice of what the cycle owes -- recurring charges prorated
 * by the service's history, one-time and pending charges, early
 * termination fees, rated usage, taxes per line and rate -- issued with a
 * gapless number and posted to the ledger in one transaction. Exactly
 * once: the invoice's run key and the ledger's idempotency key are both
 * "invoice:CYCLE_START:ACCOUNT_NUMBER", and a batch of accounts commits
 * with its checkpoint.
 */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* days                                                                 */

/* Howard Hinnant's days_from_civil and civil_from_days */
int64_t inv_days(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy =
	    (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void inv_civil(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

char *inv_date(tp_req *r, int64_t days)
{
	int y, m, d;
	inv_civil(days, &y, &m, &d);
	return tp_printf(r, "%04d-%02d-%02d", y, m, d);
}

bool inv_parse_date(const char *s, int64_t *days)
{
	int y, m, d;
	if (s == NULL || tp_check_date(s, &y, &m, &d) != NULL)
		return false;
	*days = inv_days(y, m, d);
	return true;
}

void inv_cycle(int64_t day, int bd, int64_t *start, int64_t *end)
{
	int y, m, d;
	inv_civil(day, &y, &m, &d);
	if (d < bd && --m == 0) {
		m = 12;
		y--;
	}
	*start = inv_days(y, m, bd);
	*end = inv_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, bd) - 1;
}

/* ------------------------------------------------------------------ */
/* one account                                                          */

static struct line *add_line(struct bill *b)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct line *v = tp_alloc(b->r, cap * sizeof(*v));
		if (b->n)
			memcpy(v, b->v, b->n * sizeof(*v));
		b->v = v;
		b->cap = cap;
	}
	struct line *l = &b->v[b->n++];
	memset(l, 0, sizeof(*l));
	l->from = l->to = -1;
	l->qty = 1;
	l->category = "other";
	l->tax_class = "standard";
	return l;
}

tp_rc inv_load_rates(tp_req *r, struct bill *b)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT tax_class, name, rate_ppm FROM "
	                       "tax_rates WHERE tenant_id = ? AND active = 1 "
	                       "ORDER BY tax_class, id",
	                       "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	b->nrates = tp_rows_count(rs);
	b->rates = tp_calloc(r, (b->nrates + 1) * sizeof(*b->rates));
	for (size_t i = 0; i < b->nrates; i++) {
		snprintf(b->rates[i].tax_class, sizeof(b->rates[i].tax_class),
		         "%s", tp_rows_get(rs, i, 0));
		snprintf(b->rates[i].name, sizeof(b->rates[i].name), "%s",
		         tp_rows_get(rs, i, 1));
		b->rates[i].ppm = tp_rows_i64(rs, i, 2);
	}
	return TP_OK;
}

/* "VoIP line +4420... 17 Nov - 30 Nov 2026 (14 of 30 days)" */
static const char *period_text(tp_req *r, const char *what, int64_t from,
                               int64_t to, int64_t days, int64_t of)
{
	const char *s = tp_printf(r, "%s, %s to %s", what, inv_date(r, from),
	                          inv_date(r, to));
	return days == of ? s
	                  : tp_printf(r, "%s (%lld of %lld days)", s,
	                              (long long)days, (long long)of);
}

/* Recurring charges, one line per segment of the service's history in
 * the cycle where it was active; one-time charges of services that
 * started in it; an early-termination fee for a term broken in it. */
static tp_rc services(struct bill *b, uint64_t account, int64_t ps, int64_t pe)
{
	tp_req *r = b->r;
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       INV_SERVICES_SQL "WHERE s.account_id = ? AND "
	                                        "s.start_date <= FROM_DAYS(? "
	                                        "+ 719528) AND (h.id IS NULL "
	                                        "OR h.effective <= FROM_DAYS(? "
	                                        "+ 719528)) ORDER BY s.id, "
	                                        "h.effective, h.id",
	                       "III", (int64_t)account, pe, pe);
	if (rc != TP_OK)
		return rc;
	return inv_service_lines(b, rs, 0, tp_rows_count(rs), ps, pe);
}

/* The lines of rows [i0, i1) of INV_SERVICES_SQL: one account's, in
 * service, history order. */
tp_rc inv_service_lines(struct bill *b, const tp_rows *rs, size_t i0, size_t n,
                        int64_t ps, int64_t pe)
{
	tp_req *r = b->r;
	int64_t cycle_days = pe - ps + 1;
	for (size_t i = i0; i < n; i++) {
		uint64_t sid = (uint64_t)tp_rows_i64(rs, i, 0);
		bool first =
		    i == i0 || (uint64_t)tp_rows_i64(rs, i - 1, 0) != sid;
		bool last =
		    i + 1 == n || (uint64_t)tp_rows_i64(rs, i + 1, 0) != sid;
		const char *pname = tp_rows_get(rs, i, 3);
		const char *phone = tp_rows_get(rs, i, 7);
		const char *what =
		    *phone ? tp_printf(r, "%s %s", pname, phone) : pname;
		const char *cycle = tp_rows_get(rs, i, 6);
		const char *status = tp_rows_get(rs, i, 9);
		int64_t end = tp_rows_i64(rs, i, 8);
		int64_t from = tp_rows_i64(rs, i, 11);
		int64_t charge = tp_rows_i64(rs, i, 10);
		int64_t start = tp_rows_i64(rs, i, 13);
		int64_t nrc = tp_rows_i64(rs, i, 12);
		int64_t term_end = tp_rows_i64(rs, i, 14);
		int64_t fee = tp_rows_i64(rs, i, 15);
		struct line proto = {.service = sid,
		                     .product = (uint64_t)tp_rows_i64(rs, i, 1),
		                     .location =
		                         (uint64_t)tp_rows_i64(rs, i, 2),
		                     .category = tp_rows_get(rs, i, 4),
		                     .tax_class = tp_rows_get(rs, i, 5),
		                     .qty = 1};
		struct line *l;

		/* this state lasts until the next row's day, the service's
		 * end, or the cycle's */
		int64_t to = last ? pe : tp_rows_i64(rs, i + 1, 11) - 1;
		if (end >= 0 && end < to)
			to = end;
		int64_t a = from > ps ? from : ps, z = to < pe ? to : pe;
		/* a quarterly or yearly charge is billed monthly in equal
		 * parts; "none" has no recurring charge */
		int64_t div = strcmp(cycle, "quarterly") == 0 ? 3
		              : strcmp(cycle, "yearly") == 0  ? 12
		                                              : 1;
		int64_t amount = 0;
		if (strcmp(status, "active") == 0 && a <= z && charge != 0 &&
		    strcmp(cycle, "none") != 0 &&
		    tp_money_mul_div(charge, z - a + 1, cycle_days * div,
		                     b->ccy, &amount) != TP_OK)
			return tp_fail(r, TP_EINVAL, NULL,
			               _("service %llu: charge overflows"),
			               (unsigned long long)sid);
		if (amount != 0) {
			l = add_line(b);
			*l = proto;
			l->kind = "recurring";
			l->desc =
			    period_text(r, what, a, z, z - a + 1, cycle_days);
			l->from = a;
			l->to = z;
			l->unit = charge;
			l->amount = amount;
		}
		/* its one-time charge, in the cycle it started in */
		if (first && start >= ps && start <= pe && nrc != 0) {
			l = add_line(b);
			*l = proto;
			l->kind = "one_time";
			l->desc = tp_printf(r, "Activation: %s", what);
			l->unit = nrc;
			l->amount = tp_money_round(nrc, b->ccy);
			l->from = l->to = start;
		}
		/* disconnected in this cycle before its term's end */
		if (strcmp(status, "disconnected") == 0 && from >= ps &&
		    from <= pe && term_end > from && fee != 0) {
			l = add_line(b);
			*l = proto;
			l->kind = "etf";
			l->desc =
			    tp_printf(r, "Early termination: %s (term to %s)",
			              what, inv_date(r, term_end));
			l->unit = fee;
			l->amount = tp_money_round(fee, b->ccy);
			l->from = l->to = from;
		}
	}
	return TP_OK;
}

/* Pending charges (one-time, fees, late fees) due by the cycle's end,
 * marked with the invoice that bills them. No row lock is needed: the
 * account's row lock orders the runs that could bill the same charge, and
 * a charge added meanwhile waits for the next cycle. */
static tp_rc pending(struct bill *b, uint64_t account, int64_t pe)
{
	tp_req *r = b->r;
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    INV_PENDING_SQL "WHERE c.account_id = ? AND c.invoice_id IS NULL "
	                    "AND c.effective <= FROM_DAYS(? + 719528) AND "
	                    "c.currency = ? ORDER BY c.effective, c.id",
	    "IIs", (int64_t)account, pe, b->ccy);
	if (rc != TP_OK)
		return rc;
	inv_pending_lines(b, rs, 0, tp_rows_count(rs));
	return TP_OK;
}

/* The lines of rows [i0, n) of INV_PENDING_SQL: one account's. */
void inv_pending_lines(struct bill *b, const tp_rows *rs, size_t i0, size_t n)
{
	for (size_t i = i0; i < n; i++) {
		struct line *l = add_line(b);
		const char *k = tp_rows_get(rs, i, 1);
		l->pending = (uint64_t)tp_rows_i64(rs, i, 0);
		l->kind = strcmp(k, "late_fee") == 0     ? "late_fee"
		          : strcmp(k, "etf") == 0        ? "etf"
		          : strcmp(k, "adjustment") == 0 ? "adjustment"
		                                         : "one_time";
		l->desc = tp_rows_get(rs, i, 2);
		l->service = (uint64_t)tp_rows_i64(rs, i, 3);
		l->product = (uint64_t)tp_rows_i64(rs, i, 4);
		l->unit = tp_rows_i64(rs, i, 5);
		l->amount = tp_money_round(l->unit, b->ccy);
		l->category = strcmp(l->kind, "late_fee") == 0
		                  ? "fees"
		                  : tp_rows_get(rs, i, 6);
		/* late fees are not taxed (docs/money.md) */
		l->tax_class = strcmp(l->kind, "late_fee") == 0
		                   ? "exempt"
		                   : tp_rows_get(rs, i, 7);
		l->from = l->to = tp_rows_i64(rs, i, 8);
	}
}

/* Rated usage not billed yet, by service and kind; *max_id bounds the
 * rows the invoice takes (usage rated meanwhile waits for the next). */
static tp_rc usage(struct bill *b, uint64_t account, int64_t pe,
                   int64_t *max_id)
{
	tp_req *r = b->r;
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    INV_USAGE_SQL "WHERE u.account_id = ? AND u.status = 'rated' AND "
	                  "u.invoice_id IS NULL AND u.started_at < FROM_DAYS(? "
	                  "+ 719529) AND u.currency = ? GROUP BY u.service_id, "
	                  "u.product_id, u.kind ORDER BY 1, 3, 2",
	    "IIs", (int64_t)account, pe, b->ccy);
	if (rc != TP_OK)
		return rc;
	inv_usage_lines(b, rs, 0, tp_rows_count(rs), max_id);
	return TP_OK;
}

/* The lines of rows [i0, n) of INV_USAGE_SQL: one account's, by service,
 * kind and product; *max_id: the highest usage row they bill. */
void inv_usage_lines(struct bill *b, const tp_rows *rs, size_t i0, size_t n,
                     int64_t *max_id)
{
	tp_req *r = b->r;
	*max_id = 0;
	for (size_t i = i0; i < n; i++) {
		int64_t sum = tp_rows_i64(rs, i, 4);
		if (tp_rows_i64(rs, i, 5) > *max_id)
			*max_id = tp_rows_i64(rs, i, 5);
		struct line *l = add_line(b);
		const char *k = tp_rows_get(rs, i, 2),
		           *ph = tp_rows_get(rs, i, 8);
		l->kind = "usage";
		l->desc =
		    tp_printf(r, "%s%s%s (%s)",
		              strcmp(k, "call") == 0   ? "Calls"
		              : strcmp(k, "sms") == 0  ? "Messages"
		              : strcmp(k, "data") == 0 ? "Data"
		                                       : "Usage",
		              *ph ? " from " : "", ph, tp_rows_get(rs, i, 3));
		l->service = (uint64_t)tp_rows_i64(rs, i, 0);
		l->product = (uint64_t)tp_rows_i64(rs, i, 1);
		l->qty = tp_rows_i64(rs, i, 3);
		l->unit = sum;
		l->amount = tp_money_round(sum, b->ccy);
		l->category = tp_rows_get(rs, i, 6);
		l->tax_class = tp_rows_get(rs, i, 7);
	}
}

/* each rate of the line's class, computed and rounded on the line */
tp_rc inv_taxes(struct bill *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct line *l = &b->v[i];
		for (size_t k = 0; k < b->nrates; k++) {
			struct rate *t = &b->rates[k];
			int64_t tax;
			if (strcmp(t->tax_class, l->tax_class) != 0)
				continue;
			if (tp_money_mul_div(l->amount, t->ppm, 1000000, b->ccy,
			                     &tax) != TP_OK)
				return TP_EINVAL;
			l->tax += tax;
			t->base += l->amount;
			t->sum += tax;
		}
	}
	return TP_OK;
}

tp_rc inv_next_number(tp_req *r, const char *series, uint64_t *seq,
                      const char **number)
{
	tp_rc rc = inv_take_numbers(r, series, 1, seq);
	if (rc != TP_OK)
		return rc;
	*number = tp_printf(r, "%s-%06llu", series, (unsigned long long)*seq);
	return TP_OK;
}

tp_rc inv_take_numbers(tp_req *r, const char *series, unsigned count,
                       uint64_t *first)
{
	tp_db *db = tp_req_db(r);
	uint64_t n = 0;
	/* one statement: the row lock is held to the commit, so the numbers
	 * are gapless (a rollback gives them back with the documents), and
	 * LAST_INSERT_ID(expr) hands the first one back on this
	 * connection */
	tp_rc rc =
	    tp_db_exec(db, &n,
	               "UPDATE invoice_numbers SET next_seq = "
	               "LAST_INSERT_ID(next_seq) + ? WHERE tenant_id = ? "
	               "AND series = ?",
	               "IIs", (int64_t)count, (int64_t)tp_tenant_id(r), series);
	if (rc == TP_OK && n == 0) {
		/* the series' first number */
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO invoice_numbers (tenant_id, series) "
		    "VALUES (?, ?) ON DUPLICATE KEY UPDATE series = "
		    "series",
		    "Is", (int64_t)tp_tenant_id(r), series);
		if (rc == TP_OK)
			rc = tp_db_exec(db, &n,
			                "UPDATE invoice_numbers SET next_seq = "
			                "LAST_INSERT_ID(next_seq) + ? WHERE "
			                "tenant_id = ? AND series = ?",
			                "IIs", (int64_t)count,
			                (int64_t)tp_tenant_id(r), series);
	}
	if (rc != TP_OK)
		return rc;
	*first = tp_db_last_id(db);
	return TP_OK;
}

int64_t inv_sum_kind(const struct bill *b, const char *kind)
{
	int64_t s = 0;
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->v[i].kind, kind) == 0)
			s += b->v[i].amount;
	return s;
}

/* the ledger: the customer owes the total; revenue by category and the
 * line's service and product; tax payable by rate (*n < 2: nothing
 * moves, lines that cancel out) */
tp_ledger_line *inv_ledger_lines(const struct bill *b, uint64_t account,
                                 uint64_t partner, int64_t total, size_t *n)
{
	tp_req *r = b->r;
	tp_ledger_line *v = tp_calloc(r, (b->n + b->nrates + 1) * sizeof(*v));
	*n = 0;
	if (total != 0)
		v[(*n)++] = (tp_ledger_line){.account = "customer",
		                             .amount = total,
		                             .account_id = account,
		                             .partner_id = partner};
	for (size_t i = 0; i < b->n; i++) {
		const struct line *l = &b->v[i];
		if (l->amount == 0)
			continue;
		v[(*n)++] = (tp_ledger_line){
		    .account = tp_printf(r, "revenue.%s", l->category),
		    .amount = -l->amount,
		    .account_id = account,
		    .partner_id = partner,
		    .service_id = l->service,
		    .product_id = l->product,
		    .memo = l->kind};
	}
	for (size_t k = 0; k < b->nrates; k++)
		if (b->rates[k].sum != 0)
			v[(*n)++] = (tp_ledger_line){.account = "tax.payable",
			                             .amount = -b->rates[k].sum,
			                             .account_id = account,
			                             .partner_id = partner,
			                             .memo = b->rates[k].name};
	return v;
}

static tp_rc post(struct bill *b, const char *key, uint64_t account,
                  uint64_t partner, uint64_t invoice, int64_t total,
                  int64_t issued, uint64_t *txn)
{
	size_t n;
	tp_ledger_line *v = inv_ledger_lines(b, account, partner, total, &n);
	*txn = 0;
	if (n < 2)
		return TP_OK; /* lines that cancel out: nothing moves */
	tp_ledger_txn t = {.kind = "invoice",
	                   .idem_key = key,
	                   .currency = b->ccy,
	                   .account_id = account,
	                   .partner_id = partner,
	                   .document_type = "invoice",
	                   .document_id = invoice,
	                   .effective = issued,
	                   .lines = v,
	                   .n = n};
	return tp_ledger_post(b->r, &t, txn, NULL);
}

/* how the invoice goes out, from accounts.invoice_delivery */
const char *inv_method(const char *delivery)
{
	return strcmp(delivery, "paper,email") == 0 ? "email+paper"
	       : *delivery                          ? delivery
	                                            : "email";
}

/* invoice.issued's payload */
json_object *inv_issued_event(tp_req *r, uint64_t invoice, const char *number,
                              int64_t total, int64_t tax, const char *ccy,
                              int64_t ps, int64_t pe, int64_t due, uint64_t txn)
{
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "invoice_id",
	                       json_object_new_int64((int64_t)invoice));
	json_object_object_add(ev, "number", json_object_new_string(number));
	json_object_object_add(ev, "total", tp_json_money(total, ccy));
	json_object_object_add(ev, "tax", tp_json_money(tax, ccy));
	json_object_object_add(ev, "period_start",
	                       json_object_new_string(inv_date(r, ps)));
	json_object_object_add(ev, "period_end",
	                       json_object_new_string(inv_date(r, pe)));
	json_object_object_add(ev, "due_date",
	                       json_object_new_string(inv_date(r, due)));
	json_object_object_add(ev, "ledger_txn_id",
	                       json_object_new_int64((int64_t)txn));
	return ev;
}

static tp_rc write_lines(struct bill *b, uint64_t invoice, unsigned *lines)
{
	tp_db *db = tp_req_db(b->r);
	unsigned no = 0;
	tp_rc rc = TP_OK;
	for (size_t i = 0; rc == TP_OK && i < b->n; i++) {
		const struct line *l = &b->v[i];
		rc = tp_db_exec(
		    db, NULL, INV_LINES_INSERT INV_LINES_ROW,
		    "IIissIIIssIIIIIIII", (int64_t)tp_tenant_id(b->r),
		    (int64_t)invoice, (int)++no, l->kind, l->desc,
		    (int64_t)l->service, (int64_t)l->product,
		    (int64_t)l->location, l->category, l->tax_class, l->from,
		    l->from, l->to, l->to, l->qty, l->unit, l->amount, l->tax);
		if (rc == TP_OK && l->pending != 0)
			rc = tp_db_exec(
			    db, NULL,
			    "UPDATE pending_charges SET invoice_id = "
			    "? WHERE id = ?",
			    "II", (int64_t)invoice, (int64_t)l->pending);
	}
	for (size_t k = 0; rc == TP_OK && k < b->nrates; k++) {
		const struct rate *t = &b->rates[k];
		if (t->base == 0 && t->sum == 0)
			continue;
		rc = tp_db_exec(
		    db, NULL, INV_TAX_LINES_INSERT INV_TAX_LINES_ROW,
		    "IIissIII", (int64_t)tp_tenant_id(b->r), (int64_t)invoice,
		    (int)++no, t->name, t->tax_class, t->sum, t->ppm, t->base);
	}
	*lines = no;
	return rc;
}

static tp_rc bill_one(tp_req *r, struct bill *b, uint64_t account, int64_t ps,
                      int64_t pe, uint64_t run_id, unsigned *lines)
{
	tp_db *db = tp_req_db(r);
	tp_rows *ac, *br;
	int64_t max_usage = 0;

	*lines = 0;
	/* the account first: one writer of its balance at a time */
	tp_rc rc = tp_db_query(
	    db, r, &ac,
	    "SELECT a.partner_id, a.number, a.name, a.currency, a.tax_id, "
	    "a.invoice_delivery, IFNULL(a.language, 'en'), a.due_days, "
	    "a.balance FROM accounts a WHERE a.id = ? AND a.tenant_id = ? FOR "
	    "UPDATE",
	    "II", (int64_t)account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(ac) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no account %llu"),
		               (unsigned long long)account);
	const char *number = tp_rows_get(ac, 0, 1);
	const char *key =
	    tp_printf(r, "invoice:%s:%s", inv_date(r, ps), number);
	/* billed already (a resumed run): nothing to do */
	rc = tp_db_query(db, r, &br,
	                 "SELECT id FROM invoices WHERE tenant_id = ? AND "
	                 "run_key = ?",
	                 "Is", (int64_t)tp_tenant_id(r), key);
	if (rc != TP_OK || tp_rows_count(br) > 0)
		return rc;

	b->r = r;
	b->ccy = tp_rows_get(ac, 0, 3);
	b->n = 0;
	for (size_t k = 0; k < b->nrates; k++)
		b->rates[k].base = b->rates[k].sum = 0;
	if ((rc = services(b, account, ps, pe)) != TP_OK ||
	    (rc = pending(b, account, pe)) != TP_OK ||
	    (rc = usage(b, account, pe, &max_usage)) != TP_OK ||
	    (rc = inv_taxes(b)) != TP_OK)
		return rc;
	if (b->n == 0)
		return TP_OK;

	int64_t subtotal = 0, tax = 0;
	for (size_t i = 0; i < b->n; i++) {
		subtotal += b->v[i].amount;
		tax += b->v[i].tax;
	}
	rc = tp_db_query(
	    db, r, &br,
	    "SELECT IFNULL(t.legal_name, t.name), IFNULL(t.legal_address, "
	    "''), IFNULL(t.tax_id, ''), IFNULL(bs.due_days, 14), "
	    "IFNULL((SELECT CONCAT_WS(', ', NULLIF(l.street, ''), "
	    "NULLIF(l.city, ''), NULLIF(l.postcode, ''), NULLIF(l.region, ''), "
	    "l.country) FROM locations l WHERE l.bill_to_account = ?), '') "
	    "FROM tenants t LEFT JOIN billing_settings bs ON bs.tenant_id = "
	    "t.id WHERE t.id = ?",
	    "II", (int64_t)account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	int64_t today = tp_brand_day(r);
	int64_t issue = today > pe ? today : pe + 1;
	int64_t due_days = tp_rows_get(ac, 0, 7) ? tp_rows_i64(ac, 0, 7)
	                                         : tp_rows_i64(br, 0, 3);
	uint64_t seq;
	const char *inv_number;
	if ((rc = inv_next_number(r, "INV", &seq, &inv_number)) != TP_OK)
		return rc;
	const char *method = inv_method(tp_rows_get(ac, 0, 5));
	rc = tp_db_exec(
	    db, NULL, INV_INVOICES_INSERT INV_INVOICES_ROW,
	    "IIIIsIssIIIIssIIIIIIIIsssissss", (int64_t)tp_tenant_id(r),
	    tp_rows_i64(ac, 0, 0), (int64_t)account, (int64_t)seq, inv_number,
	    (int64_t)run_id, key, b->ccy, ps, pe, issue, issue + due_days,
	    method, tp_rows_get(ac, 0, 6), tp_rows_i64(ac, 0, 8),
	    inv_sum_kind(b, "recurring"),
	    inv_sum_kind(b, "one_time") + inv_sum_kind(b, "etf"),
	    inv_sum_kind(b, "usage"), inv_sum_kind(b, "late_fee"), subtotal,
	    tax, subtotal + tax, tp_rows_get(ac, 0, 2), number,
	    tp_rows_get(br, 0, 4), (int)(tp_rows_get(ac, 0, 4) == NULL),
	    tp_rows_get(ac, 0, 4) ? tp_rows_get(ac, 0, 4) : "",
	    tp_rows_get(br, 0, 0), tp_rows_get(br, 0, 1),
	    tp_rows_get(br, 0, 2));
	if (rc != TP_OK)
		return rc;
	uint64_t invoice = tp_db_last_id(db), txn = 0;
	uint64_t partner = (uint64_t)tp_rows_i64(ac, 0, 0);
	unsigned written = 0;
	if ((rc = write_lines(b, invoice, &written)) != TP_OK)
		return rc;
	if (max_usage > 0 &&
	    (rc = tp_db_exec(db, NULL,
	                     "UPDATE rated_usage SET status = 'invoiced', "
	                     "invoice_id = ? WHERE account_id = ? AND status "
	                     "= 'rated' AND invoice_id IS NULL AND started_at "
	                     "< FROM_DAYS(? + 719529) AND currency = ? AND id "
	                     "<= ?",
	                     "IIIsI", (int64_t)invoice, (int64_t)account, pe,
	                     b->ccy, max_usage)) != TP_OK)
		return rc;
	if ((rc = post(b, key, account, partner, invoice, subtotal + tax,
	               issue * 86400, &txn)) != TP_OK)
		return rc;
	if (txn != 0 &&
	    (rc = tp_db_exec(db, NULL,
	                     "UPDATE invoices SET ledger_txn_id = ? WHERE id "
	                     "= ?",
	                     "II", (int64_t)txn, (int64_t)invoice)) != TP_OK)
		return rc;
	json_object *ev =
	    inv_issued_event(r, invoice, inv_number, subtotal + tax, tax,
	                     b->ccy, ps, pe, issue + due_days, txn);
	if ((rc = tp_event_emit(r, "invoice.issued", partner, account, ev)) !=
	    TP_OK)
		return rc;
	*lines = written;
	return TP_OK;
}

tp_rc inv_bill_account(tp_req *ctx, uint64_t account, int64_t ps, int64_t pe,
                       uint64_t run_id, unsigned *lines)
{
	struct bill b = {.r = ctx};
	tp_rc rc = inv_load_rates(ctx, &b);
	return rc != TP_OK ? rc
	                   : bill_one(ctx, &b, account, ps, pe, run_id, lines);
}

/* ------------------------------------------------------------------ */
/* a cycle of a brand                                                   */

tp_rc inv_bill_cycle(tp_req *ctx, tp_job_run *run, int64_t ps, uint64_t *after,
                     unsigned *invoices, unsigned *lines)
{
	return inv_bill_cycle_by(ctx, run, ps, false, after, invoices, lines);
}

tp_rc inv_bill_cycle_by(tp_req *ctx, tp_job_run *run, int64_t ps,
                        bool one_by_one, uint64_t *after, unsigned *invoices,
                        unsigned *lines)
{
	tp_db *db = tp_req_db(ctx);
	uint64_t tenant = tp_tenant_id(ctx);
	int y, m, d;
	int64_t start, pe;
	struct bill b = {.r = ctx};
	tp_rows *rs;
	tp_rc rc;

	inv_civil(ps, &y, &m, &d);
	if (d > 28)
		return tp_fail(ctx, TP_EINVAL, "cycle",
		               _("a bill cycle starts on day 1 to 28"));
	inv_cycle(ps, d, &start, &pe);
	if ((rc = inv_load_rates(ctx, &b)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO invoice_runs (tenant_id, cycle_start, "
	                "cycle_end, started_at) VALUES (?, FROM_DAYS(? + "
	                "719528), FROM_DAYS(? + 719528), FROM_UNIXTIME(?)) ON "
	                "DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",
	                "IIII", (int64_t)tenant, ps, pe, tp_now());
	if (rc != TP_OK)
		return rc;
	uint64_t run_id = tp_db_last_id(db);
	for (;;) {
		/* the next batch: accounts whose bill day is the cycle's */
		rc = tp_db_query(
		    db, ctx, &rs,
		    "SELECT a.id FROM accounts a LEFT JOIN billing_settings bs "
		    "ON bs.tenant_id = a.tenant_id WHERE a.tenant_id = ? AND "
		    "a.id > ? AND IFNULL(a.bill_day, IFNULL(bs.bill_day, 1)) = "
		    "? ORDER BY a.id LIMIT ?",
		    "IIii", (int64_t)tenant, (int64_t)*after, d,
		    one_by_one ? 100 : INV_BATCH);
		if (rc != TP_OK || tp_rows_count(rs) == 0)
			break;
		if ((rc = tp_db_begin(db)) != TP_OK)
			break;
		unsigned inv = 0, ln = 0;
		size_t na = tp_rows_count(rs);
		uint64_t last = (uint64_t)tp_rows_i64(rs, na - 1, 0);
		if (one_by_one) {
			/* the reference: one account after the other */
			for (size_t i = 0; rc == TP_OK && i < na; i++) {
				unsigned n = 0;
				rc = bill_one(ctx, &b,
				              (uint64_t)tp_rows_i64(rs, i, 0),
				              ps, pe, run_id, &n);
				inv += n > 0;
				ln += n;
			}
		} else {
			uint64_t *ids = tp_alloc(ctx, na * sizeof(*ids));
			for (size_t i = 0; i < na; i++)
				ids[i] = (uint64_t)tp_rows_i64(rs, i, 0);
			rc = inv_bill_batch(ctx, &b, ids, na, ps, pe, run_id,
			                    &inv, &ln);
		}
		if (rc == TP_OK)
			rc = tp_db_exec(
			    db, NULL,
			    "UPDATE invoice_runs SET accounts_billed "
			    "= accounts_billed + ?, invoices_issued = "
			    "invoices_issued + ?, lines_written = "
			    "lines_written + ? WHERE id = ?",
			    "IIII", (int64_t)tp_rows_count(rs), (int64_t)inv,
			    (int64_t)ln, (int64_t)run_id);
		if (rc == TP_OK && run != NULL)
			rc = tp_job_save(run,
			                 tp_printf(ctx, "%llu/%s/%llu",
			                           (unsigned long long)tenant,
			                           inv_date(ctx, ps),
			                           (unsigned long long)last));
		if (rc == TP_OK)
			rc = tp_db_commit(db);
		else
			tp_db_rollback(db);
		if (rc != TP_OK)
			break;
		*after = last;
		*invoices += inv;
		*lines += ln;
	}
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE invoice_runs SET status = 'done', "
		                "finished_at = FROM_UNIXTIME(?) WHERE id = ?",
		                "II", tp_now(), (int64_t)run_id);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the job: every brand with the module, every cycle that has ended      */

tp_rc inv_job_run(tp_req *ctx, tp_job_run *run)
{
	tp_db *db = tp_req_db(ctx);
	const char *cp = tp_job_checkpoint(run);
	unsigned long long cp_tenant = 0, cp_after = 0;
	char cp_cycle[11] = "";
	tp_rows *brands;
	int64_t today; /* per brand, in its time zone (below) */

	if (cp != NULL && sscanf(cp, "%llu/%10[0-9-]/%llu", &cp_tenant,
	                         cp_cycle, &cp_after) != 3)
		cp_tenant = 0;
	tp_rc rc = tp_db_query(
	    db, ctx, &brands,
	    "SELECT t.id FROM tenants t JOIN plan_modules pm ON pm.plan_id = "
	    "t.plan_id AND pm.module = 'invoices' WHERE t.status = 'active' "
	    "AND t.id >= ? ORDER BY t.id",
	    "I", (int64_t)cp_tenant);
	if (rc != TP_OK)
		return rc;
	/* a brand that fails is said and left for the next run: the others
	 * are billed all the same */
	unsigned failed = 0;
	uint64_t first_failed = 0;
	tp_rc first_rc = TP_OK;
	for (size_t i = 0; i < tp_rows_count(brands); i++) {
		uint64_t tenant = (uint64_t)tp_rows_i64(brands, i, 0);
		tp_rows *days;
		if ((rc = tp_ctx_brand(ctx, tenant)) != TP_OK)
			goto brand_failed;
		/* the brand's own day (its time zone) */
		today = tp_brand_day(ctx);
		/* the bill days in use, and each one's last ended cycle */
		rc = tp_db_query(
		    db, ctx, &days,
		    "SELECT DISTINCT IFNULL(a.bill_day, IFNULL(bs.bill_day, "
		    "1)) "
		    "FROM accounts a LEFT JOIN billing_settings bs ON "
		    "bs.tenant_id = a.tenant_id WHERE a.tenant_id = ? ORDER BY "
		    "1",
		    "I", (int64_t)tenant);
		if (rc != TP_OK)
			goto brand_failed;
		for (size_t k = 0; k < tp_rows_count(days); k++) {
			int bd = (int)tp_rows_i64(days, k, 0);
			int64_t ps, pe;
			inv_cycle(today - 1, bd, &ps, &pe);
			if (pe >= today)
				inv_cycle(ps - 1, bd, &ps, &pe);
			tp_rows *done;
			rc = tp_db_query(db, ctx, &done,
			                 "SELECT 1 FROM invoice_runs WHERE "
			                 "tenant_id = ? AND cycle_start = "
			                 "FROM_DAYS(? + 719528) AND status = "
			                 "'done'",
			                 "II", (int64_t)tenant, ps);
			if (rc != TP_OK)
				goto brand_failed;
			if (tp_rows_count(done) > 0)
				continue;
			uint64_t after = 0;
			if (cp_tenant == tenant &&
			    strcmp(cp_cycle, inv_date(ctx, ps)) == 0)
				after = cp_after;
			unsigned inv = 0, lines = 0;
			rc = inv_bill_cycle(ctx, run, ps, &after, &inv, &lines);
			if (rc != TP_OK) {
				tp_log(TP_LOG_ERR, "INV0003",
				       "brand %llu cycle %s: not billed (error "
				       "%d; `tierportctl invoices run --cycle "
				       "%s` for the brand says more)",
				       (unsigned long long)tenant,
				       inv_date(ctx, ps), (int)rc,
				       inv_date(ctx, ps));
				goto brand_failed;
			}
			tp_log(TP_LOG_INFO, "INV0001",
			       "brand %llu cycle %s: %u invoices, %u lines",
			       (unsigned long long)tenant, inv_date(ctx, ps),
			       inv, lines);
		}
		continue;
	brand_failed: /* (inv_bill_cycle rolled back its batch) */
		if (failed++ == 0) {
			first_failed = tenant;
			first_rc = rc;
		}
	}
	if (failed == 0)
		return TP_OK;
	/* the next run starts from the first brand again, not from the
	 * checkpoint of a brand after the one that failed */
	tp_job_save(run, NULL);
	return tp_fail(ctx, first_rc, NULL,
	               _("%u brand(s) not billed, the first brand %llu "
	                 "(the log says why)"),
	               failed, (unsigned long long)first_failed);
}

/* tierportctl invoices run --brand SLUG [--cycle YYYY-MM-DD] [--account N |
 * --one-by-one]: --one-by-one bills the cycle account after account (the
 * reference the set-based run is tested against, t/batch.sh) */
int inv_cmd_run(tp_req *ctx, int argc, char **argv)
{
	int64_t ps, pe, today = tp_brand_day(ctx);
	const char *cycle = NULL, *number = NULL;
	bool one_by_one = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cycle") == 0 && i + 1 < argc)
			cycle = argv[++i];
		else if (strcmp(argv[i], "--account") == 0 && i + 1 < argc)
			number = argv[++i];
		else if (strcmp(argv[i], "--one-by-one") == 0)
			one_by_one = true;
		else {
			fprintf(stderr,
			        "usage: tierportctl invoices run --brand "
			        "SLUG [--cycle YYYY-MM-DD] [--account "
			        "NUMBER | --one-by-one]\n");
			return 2;
		}
	}
	if (tp_tenant_id(ctx) == 0) {
		fprintf(stderr, "invoices run: --brand SLUG is needed\n");
		return 2;
	}
	if (cycle != NULL) {
		if (!inv_parse_date(cycle, &ps)) {
			fprintf(stderr,
			        "invoices run: --cycle %s is not a date "
			        "(YYYY-MM-DD)\n",
			        cycle);
			return 2;
		}
	} else {
		inv_cycle(today - 1, 1, &ps, &pe);
		if (pe >= today)
			inv_cycle(ps - 1, 1, &ps, &pe);
	}
	uint64_t after = 0;
	unsigned inv = 0, lines = 0;
	tp_rc rc;
	if (number != NULL) {
		/* one account now, in its own transaction */
		tp_db *db = tp_req_db(ctx);
		tp_rows *rs;
		int y, m, d;
		inv_civil(ps, &y, &m, &d);
		inv_cycle(ps, d, &ps, &pe);
		rc = tp_db_query(
		    db, ctx, &rs,
		    "SELECT id FROM accounts WHERE tenant_id = ? AND "
		    "number = ?",
		    "Is", (int64_t)tp_tenant_id(ctx), number);
		if (rc == TP_OK && tp_rows_count(rs) == 0) {
			fprintf(stderr, "invoices run: no account %s\n",
			        number);
			return 1;
		}
		if (rc == TP_OK && (rc = tp_db_begin(db)) == TP_OK) {
			rc = inv_bill_account(ctx,
			                      (uint64_t)tp_rows_i64(rs, 0, 0),
			                      ps, pe, 0, &lines);
			rc = rc == TP_OK ? tp_db_commit(db) : rc;
			if (rc != TP_OK)
				tp_db_rollback(db);
			inv = lines > 0;
		}
	} else {
		rc = inv_bill_cycle_by(ctx, NULL, ps, one_by_one, &after, &inv,
		                       &lines);
	}
	if (rc != TP_OK) {
		fprintf(stderr, "invoices run: %s\n",
		        tp_printf(ctx, "failed (%d)", rc));
		return 1;
	}
	printf("cycle %s: %u invoices, %u lines\n", inv_date(ctx, ps), inv,
	       lines);
	return 0;
}
