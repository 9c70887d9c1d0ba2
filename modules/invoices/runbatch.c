/*
 * runbatch.c -- the billing run set-based (issue 12's speed target): a
 * batch of accounts billed in one transaction with a few statements per
 * kind of row instead of ~27 per invoice. The accounts are locked in id
 * order, their services, pending charges and usage read in one query
 * each, the lines computed by run.c's own functions (the same half-even
 * rounding), then the invoices, lines, ledger (tp_ledger_post_batch),
 * balances and events written with multi-row statements. The result is
 * bill_one's for each account in turn: the same numbers in the same
 * order, the same ledger entries in the same order (so the same ledger
 * hash), the same events; t/batch.sh compares the two paths.
 */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct acct {
	uint64_t id, partner;
	const char *number, *name, *ccy, *tax_id, *method, *lang, *key;
	const char *address;
	int64_t balance, due; /* due: the account's due days, -1: brand's */
	bool billed;          /* an invoice under its key already */
	struct bill b;        /* its lines and rate sums (b.n 0: none) */
	int64_t max_usage, subtotal, tax;
	uint64_t seq, invoice, txn;
	const char *inv_number;
	unsigned written;
};

static int by_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* v is sorted by id, its first member */
static struct acct *find(struct acct *v, size_t n, uint64_t id)
{
	return bsearch(&id, v, n, sizeof(*v), by_id);
}

/* the ids of the accounts that get an invoice */
static tp_db_arg *invoiced_ids(tp_req *r, const struct acct *v, size_t n,
                               size_t *k)
{
	tp_db_arg *a = tp_alloc(r, (n + 1) * sizeof(*a));
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!v[i].billed && v[i].b.n > 0)
			a[m++] = (tp_db_arg){.i = (int64_t)v[i].id};
	*k = m;
	return a;
}

/* The rows [*at, end) of rs whose account column is id (rs ordered by
 * account); *at moves past them. */
static size_t rows_of(const tp_rows *rs, unsigned col, uint64_t id, size_t *at)
{
	size_t n = tp_rows_count(rs);
	while (*at < n && (uint64_t)tp_rows_i64(rs, *at, col) < id)
		(*at)++;
	size_t end = *at;
	while (end < n && (uint64_t)tp_rows_i64(rs, end, col) == id)
		end++;
	return end;
}

/* Reads the batch's services, pending charges and usage (one query
 * each) and computes every unbilled account's lines. */
static tp_rc compute(tp_req *r, struct bill *proto, struct acct *v, size_t n,
                     int64_t ps, int64_t pe)
{
	tp_db *db = tp_req_db(r);
	tp_rows *srs, *prs, *urs;
	tp_db_arg *a = tp_alloc(r, (n + 2) * sizeof(*a));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!v[i].billed)
			a[k++] = (tp_db_arg){.i = (int64_t)v[i].id};
	if (k == 0)
		return TP_OK;
	const char *in = tp_db_marks(r, k);
	a[k] = (tp_db_arg){.i = pe};
	a[k + 1] = (tp_db_arg){.i = pe};
	tp_rc rc = tp_db_query_args(
	    db, r, &srs,
	    tp_printf(r,
	              INV_SERVICES_SQL
	              "WHERE s.account_id IN (%s) AND s.start_date <= "
	              "FROM_DAYS(? + 719528) AND (h.id IS NULL OR "
	              "h.effective <= FROM_DAYS(? + 719528)) ORDER BY "
	              "s.account_id, s.id, h.effective, h.id",
	              in),
	    a, k + 2);
	if (rc != TP_OK)
		return rc;
	rc = tp_db_query_args(
	    db, r, &prs,
	    tp_printf(r,
	              INV_PENDING_SQL
	              "JOIN accounts a ON a.id = c.account_id WHERE "
	              "c.account_id IN (%s) AND c.invoice_id IS NULL AND "
	              "c.effective <= FROM_DAYS(? + 719528) AND c.currency = "
	              "a.currency ORDER BY c.account_id, c.effective, c.id",
	              in),
	    a, k + 1);
	if (rc != TP_OK)
		return rc;
	rc = tp_db_query_args(
	    db, r, &urs,
	    tp_printf(r,
	              INV_USAGE_SQL
	              "JOIN accounts a ON a.id = u.account_id WHERE "
	              "u.account_id IN (%s) AND u.status = 'rated' AND "
	              "u.invoice_id IS NULL AND u.started_at < FROM_DAYS(? + "
	              "719529) AND u.currency = a.currency GROUP BY "
	              "u.account_id, u.service_id, u.product_id, u.kind "
	              "ORDER BY 10, 1, 3, 2",
	              in),
	    a, k + 1);
	if (rc != TP_OK)
		return rc;

	size_t si = 0, pi = 0, ui = 0;
	for (size_t i = 0; i < n; i++) {
		struct acct *x = &v[i];
		if (x->billed)
			continue;
		struct bill *b = &x->b;
		*b = *proto;
		b->r = r;
		b->ccy = x->ccy;
		b->v = NULL;
		b->n = b->cap = 0;
		b->rates = tp_alloc(r, (proto->nrates + 1) * sizeof(*b->rates));
		memcpy(b->rates, proto->rates,
		       proto->nrates * sizeof(*b->rates));
		for (size_t q = 0; q < b->nrates; q++)
			b->rates[q].base = b->rates[q].sum = 0;
		size_t end = rows_of(srs, INV_SERVICES_ACCOUNT, x->id, &si);
		if ((rc = inv_service_lines(b, srs, si, end, ps, pe)) != TP_OK)
			return rc;
		end = rows_of(prs, INV_PENDING_ACCOUNT, x->id, &pi);
		inv_pending_lines(b, prs, pi, end);
		end = rows_of(urs, INV_USAGE_ACCOUNT, x->id, &ui);
		inv_usage_lines(b, urs, ui, end, &x->max_usage);
		if ((rc = inv_taxes(b)) != TP_OK)
			return rc;
		for (size_t q = 0; q < b->n; q++) {
			x->subtotal += b->v[q].amount;
			x->tax += b->v[q].tax;
		}
	}
	return TP_OK;
}

/* the invoices' rows, then their ids */
static tp_rc write_invoices(tp_req *r, struct acct *v, size_t n, size_t k,
                            int64_t ps, int64_t pe, int64_t issue,
                            int64_t brand_due, uint64_t run_id,
                            const tp_rows *seller)
{
	tp_db *db = tp_req_db(r);
	const size_t W = 30;
	tp_db_arg *args = tp_alloc(r, k * W * sizeof(*args));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		struct acct *x = &v[i];
		if (x->billed || x->b.n == 0)
			continue;
		const struct bill *b = &x->b;
		tp_db_arg *a = &args[m++ * W];
		int64_t due = x->due >= 0 ? x->due : brand_due;
		a[0] = (tp_db_arg){.i = (int64_t)tp_tenant_id(r)};
		a[1] = (tp_db_arg){.i = (int64_t)x->partner};
		a[2] = (tp_db_arg){.i = (int64_t)x->id};
		a[3] = (tp_db_arg){.i = (int64_t)x->seq};
		a[4] = (tp_db_arg){.s = x->inv_number};
		a[5] = (tp_db_arg){.i = (int64_t)run_id};
		a[6] = (tp_db_arg){.s = x->key};
		a[7] = (tp_db_arg){.s = x->ccy};
		a[8] = (tp_db_arg){.i = ps};
		a[9] = (tp_db_arg){.i = pe};
		a[10] = (tp_db_arg){.i = issue};
		a[11] = (tp_db_arg){.i = issue + due};
		a[12] = (tp_db_arg){.s = x->method};
		a[13] = (tp_db_arg){.s = x->lang};
		a[14] = (tp_db_arg){.i = x->balance};
		a[15] = (tp_db_arg){.i = inv_sum_kind(b, "recurring")};
		a[16] = (tp_db_arg){.i = inv_sum_kind(b, "one_time") +
		                         inv_sum_kind(b, "etf")};
		a[17] = (tp_db_arg){.i = inv_sum_kind(b, "usage")};
		a[18] = (tp_db_arg){.i = inv_sum_kind(b, "late_fee")};
		a[19] = (tp_db_arg){.i = x->subtotal};
		a[20] = (tp_db_arg){.i = x->tax};
		a[21] = (tp_db_arg){.i = x->subtotal + x->tax};
		a[22] = (tp_db_arg){.s = x->name};
		a[23] = (tp_db_arg){.s = x->number};
		a[24] = (tp_db_arg){.s = x->address};
		/* a NULL tax id stays NULL (an argument's NULL is no string) */
		a[25] = (tp_db_arg){.i = x->tax_id == NULL};
		a[26] = (tp_db_arg){.s = x->tax_id ? x->tax_id : ""};
		a[27] = (tp_db_arg){.s = tp_rows_get(seller, 0, 0)};
		a[28] = (tp_db_arg){.s = tp_rows_get(seller, 0, 1)};
		a[29] = (tp_db_arg){.s = tp_rows_get(seller, 0, 2)};
	}
	tp_rc rc = tp_db_exec_rows(db, NULL, INV_INVOICES_INSERT,
	                           INV_INVOICES_ROW, ", ", "", args, W, k);
	if (rc != TP_OK)
		return rc;
	/* their ids, by their run keys (unique per brand) */
	tp_db_arg *a = tp_alloc(r, (k + 1) * sizeof(*a));
	size_t nk = 0;
	a[nk++] = (tp_db_arg){.i = (int64_t)tp_tenant_id(r)};
	for (size_t i = 0; i < n; i++)
		if (!v[i].billed && v[i].b.n > 0)
			a[nk++] = (tp_db_arg){.s = v[i].key};
	tp_rows *rs;
	rc = tp_db_query_args(db, r, &rs,
	                      tp_printf(r,
	                                "SELECT account_id, id FROM invoices "
	                                "WHERE tenant_id = ? AND run_key IN "
	                                "(%s)",
	                                tp_db_marks(r, k)),
	                      a, nk);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		struct acct *x = find(v, n, (uint64_t)tp_rows_i64(rs, i, 0));
		if (x != NULL && !x->billed && x->b.n > 0)
			x->invoice = (uint64_t)tp_rows_i64(rs, i, 1);
	}
	for (size_t i = 0; i < n; i++)
		if (!v[i].billed && v[i].b.n > 0 && v[i].invoice == 0)
			return tp_fail(r, TP_EINTERNAL, NULL,
			               _("invoice of account %llu not found"),
			               (unsigned long long)v[i].id);
	return TP_OK;
}

/* every invoice's lines (as write_lines numbers them), the pending
 * charges and usage they bill */
static tp_rc write_lines(tp_req *r, struct acct *v, size_t n, int64_t pe)
{
	tp_db *db = tp_req_db(r);
	size_t nl = 0, nt = 0, np = 0, nu = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].billed || v[i].b.n == 0)
			continue;
		nl += v[i].b.n;
		nt += v[i].b.nrates;
		nu += v[i].max_usage > 0;
		for (size_t q = 0; q < v[i].b.n; q++)
			np += v[i].b.v[q].pending != 0;
	}
	const size_t WL = 18, WT = 8;
	tp_db_arg *la = tp_alloc(r, (nl * WL + 1) * sizeof(*la));
	tp_db_arg *ta = tp_alloc(r, (nt * WT + 1) * sizeof(*ta));
	tp_db_arg *pa = tp_alloc(r, (np * 2 + 1) * sizeof(*pa));
	tp_db_arg *ua = tp_alloc(r, (nu * 5 + 1) * sizeof(*ua));
	size_t l = 0, t = 0, p = 0, u = 0;
	int64_t tenant = (int64_t)tp_tenant_id(r);
	for (size_t i = 0; i < n; i++) {
		struct acct *x = &v[i];
		if (x->billed || x->b.n == 0)
			continue;
		unsigned no = 0;
		for (size_t q = 0; q < x->b.n; q++) {
			const struct line *ln = &x->b.v[q];
			tp_db_arg *a = &la[l++ * WL];
			a[0] = (tp_db_arg){.i = tenant};
			a[1] = (tp_db_arg){.i = (int64_t)x->invoice};
			a[2] = (tp_db_arg){.i = ++no};
			a[3] = (tp_db_arg){.s = ln->kind};
			a[4] = (tp_db_arg){.s = ln->desc};
			a[5] = (tp_db_arg){.i = (int64_t)ln->service};
			a[6] = (tp_db_arg){.i = (int64_t)ln->product};
			a[7] = (tp_db_arg){.i = (int64_t)ln->location};
			a[8] = (tp_db_arg){.s = ln->category};
			a[9] = (tp_db_arg){.s = ln->tax_class};
			a[10] = (tp_db_arg){.i = ln->from};
			a[11] = (tp_db_arg){.i = ln->from};
			a[12] = (tp_db_arg){.i = ln->to};
			a[13] = (tp_db_arg){.i = ln->to};
			a[14] = (tp_db_arg){.i = ln->qty};
			a[15] = (tp_db_arg){.i = ln->unit};
			a[16] = (tp_db_arg){.i = ln->amount};
			a[17] = (tp_db_arg){.i = ln->tax};
			if (ln->pending != 0) {
				pa[p++] =
				    (tp_db_arg){.i = (int64_t)ln->pending};
				pa[p++] = (tp_db_arg){.i = (int64_t)x->invoice};
			}
		}
		for (size_t q = 0; q < x->b.nrates; q++) {
			const struct rate *rt = &x->b.rates[q];
			if (rt->base == 0 && rt->sum == 0)
				continue;
			tp_db_arg *a = &ta[t++ * WT];
			a[0] = (tp_db_arg){.i = tenant};
			a[1] = (tp_db_arg){.i = (int64_t)x->invoice};
			a[2] = (tp_db_arg){.i = ++no};
			a[3] = (tp_db_arg){.s = rt->name};
			a[4] = (tp_db_arg){.s = rt->tax_class};
			a[5] = (tp_db_arg){.i = rt->sum};
			a[6] = (tp_db_arg){.i = rt->ppm};
			a[7] = (tp_db_arg){.i = rt->base};
		}
		x->written = no;
		if (x->max_usage > 0) {
			ua[u++] = (tp_db_arg){.i = (int64_t)x->id};
			ua[u++] = (tp_db_arg){.i = (int64_t)x->invoice};
			ua[u++] = (tp_db_arg){.i = x->max_usage};
			ua[u++] = (tp_db_arg){.s = x->ccy};
			ua[u++] = (tp_db_arg){.i = pe};
		}
	}
	tp_rc rc = tp_db_exec_rows(db, NULL, INV_LINES_INSERT, INV_LINES_ROW,
	                           ", ", "", la, WL, l);
	if (rc == TP_OK && t > 0)
		rc = tp_db_exec_rows(db, NULL, INV_TAX_LINES_INSERT,
		                     INV_TAX_LINES_ROW, ", ", "", ta, WT, t);
	if (rc == TP_OK && p > 0)
		rc = tp_db_exec_rows(
		    db, NULL, "UPDATE pending_charges c JOIN (",
		    "SELECT ? AS id, ? AS invoice", " UNION ALL ",
		    ") d ON d.id = c.id SET c.invoice_id = d.invoice", pa, 2,
		    p / 2);
	if (rc == TP_OK && u > 0)
		rc = tp_db_exec_rows(
		    db, NULL, "UPDATE rated_usage u JOIN (",
		    "SELECT ? AS account, ? AS invoice, ? AS max_id, ? AS "
		    "currency, ? AS pe",
		    " UNION ALL ",
		    ") d ON u.account_id = d.account SET u.status = "
		    "'invoiced', "
		    "u.invoice_id = d.invoice WHERE u.status = 'rated' AND "
		    "u.invoice_id IS NULL AND u.started_at < FROM_DAYS(d.pe + "
		    "719529) AND u.currency = d.currency AND u.id <= d.max_id",
		    ua, 5, u / 5);
	return rc;
}

/* the ledger, the invoices' transactions, the events */
static tp_rc post(tp_req *r, struct acct *v, size_t n, size_t k, int64_t ps,
                  int64_t pe, int64_t issue, int64_t brand_due)
{
	tp_db *db = tp_req_db(r);
	tp_ledger_txn *t = tp_calloc(r, (k + 1) * sizeof(*t));
	size_t *of = tp_alloc(r, (k + 1) * sizeof(*of));
	size_t nt = 0;
	for (size_t i = 0; i < n; i++) {
		struct acct *x = &v[i];
		if (x->billed || x->b.n == 0)
			continue;
		size_t nl;
		tp_ledger_line *ll = inv_ledger_lines(
		    &x->b, x->id, x->partner, x->subtotal + x->tax, &nl);
		if (nl < 2)
			continue; /* lines that cancel out: nothing moves */
		t[nt] = (tp_ledger_txn){.kind = "invoice",
		                        .idem_key = x->key,
		                        .currency = x->ccy,
		                        .account_id = x->id,
		                        .partner_id = x->partner,
		                        .document_type = "invoice",
		                        .document_id = x->invoice,
		                        .effective = issue * 86400,
		                        .lines = ll,
		                        .n = nl};
		of[nt++] = i;
	}
	uint64_t *ids = tp_calloc(r, (nt + 1) * sizeof(*ids));
	tp_rc rc = tp_ledger_post_batch(r, t, nt, ids, NULL);
	if (rc != TP_OK)
		return rc;
	tp_db_arg *a = tp_alloc(r, (nt * 2 + 1) * sizeof(*a));
	for (size_t q = 0; q < nt; q++) {
		v[of[q]].txn = ids[q];
		a[2 * q] = (tp_db_arg){.i = (int64_t)v[of[q]].invoice};
		a[2 * q + 1] = (tp_db_arg){.i = (int64_t)ids[q]};
	}
	if (nt > 0 && (rc = tp_db_exec_rows(
	                   db, NULL, "UPDATE invoices i JOIN (",
	                   "SELECT ? AS id, ? AS txn", " UNION ALL ",
	                   ") d ON d.id = i.id SET i.ledger_txn_id = d.txn", a,
	                   2, nt)) != TP_OK)
		return rc;

	/* invoice.issued, as tp_event_emit writes it */
	a = tp_alloc(r, (k * 4 + 1) * sizeof(*a));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		struct acct *x = &v[i];
		if (x->billed || x->b.n == 0)
			continue;
		int64_t due = x->due >= 0 ? x->due : brand_due;
		json_object *ev = inv_issued_event(
		    r, x->invoice, x->inv_number, x->subtotal + x->tax, x->tax,
		    x->ccy, ps, pe, issue + due, x->txn);
		a[m++] = (tp_db_arg){.i = (int64_t)tp_tenant_id(r)};
		a[m++] = (tp_db_arg){.i = (int64_t)x->partner};
		a[m++] = (tp_db_arg){.i = (int64_t)x->id};
		a[m++] = (tp_db_arg){
		    .s = tp_strdup(r, json_object_to_json_string_ext(
		                          ev, JSON_C_TO_STRING_PLAIN))};
		json_object_put(ev);
	}
	return tp_db_exec_rows(db, NULL,
	                       "INSERT INTO events (tenant_id, partner_id, "
	                       "account_id, name, payload) VALUES ",
	                       "(NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), "
	                       "'invoice.issued', ?)",
	                       ", ", "", a, 4, m / 4);
}

tp_rc inv_bill_batch(tp_req *r, struct bill *proto, const uint64_t *ids,
                     size_t n, int64_t ps, int64_t pe, uint64_t run_id,
                     unsigned *invoices, unsigned *lines)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;

	*invoices = *lines = 0;
	if (n == 0)
		return TP_OK;
	/* the accounts first, locked in id order: one writer of a balance
	 * at a time */
	tp_db_arg *a = tp_alloc(r, (n + 1) * sizeof(*a));
	a[0] = (tp_db_arg){.i = (int64_t)tp_tenant_id(r)};
	for (size_t i = 0; i < n; i++)
		a[i + 1] = (tp_db_arg){.i = (int64_t)ids[i]};
	rc = tp_db_query_args(
	    db, r, &rs,
	    tp_printf(r,
	              "SELECT a.id, a.partner_id, a.number, a.name, "
	              "a.currency, a.tax_id, a.invoice_delivery, "
	              "IFNULL(a.language, 'en'), IFNULL(a.due_days, -1), "
	              "a.balance FROM accounts a WHERE a.tenant_id = ? AND "
	              "a.id IN (%s) ORDER BY a.id FOR UPDATE",
	              tp_db_marks(r, n)),
	    a, n + 1);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) != n)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("%zu of the batch's %zu accounts are gone"),
		               n - tp_rows_count(rs), n);
	struct acct *v = tp_calloc(r, n * sizeof(*v));
	const char *day = inv_date(r, ps);
	for (size_t i = 0; i < n; i++) {
		struct acct *x = &v[i];
		x->id = (uint64_t)tp_rows_i64(rs, i, 0);
		x->partner = (uint64_t)tp_rows_i64(rs, i, 1);
		x->number = tp_rows_get(rs, i, 2);
		x->name = tp_rows_get(rs, i, 3);
		x->ccy = tp_rows_get(rs, i, 4);
		x->tax_id = tp_rows_get(rs, i, 5);
		x->method = inv_method(tp_rows_get(rs, i, 6));
		x->lang = tp_rows_get(rs, i, 7);
		x->due = tp_rows_i64(rs, i, 8);
		x->balance = tp_rows_i64(rs, i, 9);
		x->key = tp_printf(r, "invoice:%s:%s", day, x->number);
		x->address = "";
	}
	/* billed already (a resumed run): nothing to do for those */
	a = tp_alloc(r, (n + 1) * sizeof(*a));
	a[0] = (tp_db_arg){.i = (int64_t)tp_tenant_id(r)};
	for (size_t i = 0; i < n; i++)
		a[i + 1] = (tp_db_arg){.s = v[i].key};
	rc = tp_db_query_args(db, r, &rs,
	                      tp_printf(r,
	                                "SELECT account_id FROM invoices WHERE "
	                                "tenant_id = ? AND run_key IN (%s)",
	                                tp_db_marks(r, n)),
	                      a, n + 1);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		struct acct *x = find(v, n, (uint64_t)tp_rows_i64(rs, i, 0));
		if (x != NULL)
			x->billed = true;
	}
	if ((rc = compute(r, proto, v, n, ps, pe)) != TP_OK)
		return rc;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += !v[i].billed && v[i].b.n > 0;
	if (k == 0)
		return TP_OK;

	/* the seller, the buyers' bill-to addresses */
	tp_rows *seller, *addr;
	rc = tp_db_query(db, r, &seller,
	                 "SELECT IFNULL(t.legal_name, t.name), "
	                 "IFNULL(t.legal_address, ''), IFNULL(t.tax_id, ''), "
	                 "IFNULL(bs.due_days, 14) FROM tenants t LEFT JOIN "
	                 "billing_settings bs ON bs.tenant_id = t.id WHERE "
	                 "t.id = ?",
	                 "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(seller) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no brand"));
	size_t nk;
	a = invoiced_ids(r, v, n, &nk);
	rc = tp_db_query_args(
	    db, r, &addr,
	    tp_printf(r,
	              "SELECT l.bill_to_account, CONCAT_WS(', ', "
	              "NULLIF(l.street, ''), NULLIF(l.city, ''), "
	              "NULLIF(l.postcode, ''), NULLIF(l.region, ''), "
	              "l.country) FROM locations l WHERE l.bill_to_account IN "
	              "(%s)",
	              tp_db_marks(r, nk)),
	    a, nk);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(addr); i++) {
		struct acct *x = find(v, n, (uint64_t)tp_rows_i64(addr, i, 0));
		if (x != NULL && tp_rows_get(addr, i, 1) != NULL)
			x->address = tp_rows_get(addr, i, 1);
	}

	/* numbers in account order, as bill_one takes them one by one */
	uint64_t seq;
	if ((rc = inv_take_numbers(r, "INV", (unsigned)k, &seq)) != TP_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (!v[i].billed && v[i].b.n > 0) {
			v[i].seq = seq++;
			v[i].inv_number = tp_printf(
			    r, "INV-%06llu", (unsigned long long)v[i].seq);
		}
	int64_t today = tp_brand_day(r);
	int64_t issue = today > pe ? today : pe + 1;
	int64_t brand_due = tp_rows_i64(seller, 0, 3);
	if ((rc = write_invoices(r, v, n, k, ps, pe, issue, brand_due, run_id,
	                         seller)) != TP_OK ||
	    (rc = write_lines(r, v, n, pe)) != TP_OK ||
	    (rc = post(r, v, n, k, ps, pe, issue, brand_due)) != TP_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (!v[i].billed && v[i].b.n > 0) {
			(*invoices)++;
			*lines += v[i].written;
		}
	return TP_OK;
}
