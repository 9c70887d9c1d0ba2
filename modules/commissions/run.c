/*
 * run.c -- the commission run of a period (`tierportctl commissions run
 * --brand SLUG --period 2026-11`, POST /commissions/runs, the daily job):
 * commission lines computed from what happened up to the period's last
 * day and not yet taken, posted as payables in the transaction that
 * writes them.
 *
 * Sources, in phases, each a batch at a time in id order:
 *   0 activations: a service's first 'active' history row -> its seller's
 *     nrc rule ("nrc:SERVICE:L0")
 *   1 payments: a settled payment's allocation x the recurring and usage
 *     lines of the invoice it paid -> residual / usage rules; the basis is
 *     the allocation's net share of the line, allocation x line / invoice
 *     total, so tax never earns ("res:ALLOCATION:LINE:L0")
 *   2 cancellations: a service disconnected within its nrc rule's
 *     chargeback_days -> a negative line per level ("cb:nrc:S:Ln")
 *   3 refunds: inside the hold (the line not yet approved) a full refund
 *     cancels the payment's lines and reverses their postings; otherwise
 *     a negative line in proportion per level ("rf:REFUND:LINE")
 * and then the release: pending lines past hold_until are approvable.
 *
 * Every level-0 line earns the seller's ancestors their overrides: the
 * ancestor d levels up whose plan (cms_partner_plan) has an override rule
 * of level d earns rate x the level-0 amount (basis commission) or x the
 * revenue (basis revenue), under the brand's cap (cut from the top).
 *
 * The exactly-once is commission_lines.source_key. A batch is one DB
 * transaction: its lines, one ledger transaction per partner and sign
 * ("commission:B{brand's batch number}:P{partner's rank}:earned"), the
 * events, and the run's cursor (sql/002), so a killed run resumed by the
 * next run of its period makes the batches, and the ledger, an
 * uninterrupted run makes. The plans, rules, partners and products of the
 * brand are read once per run; rules are found as cms_rule_find finds
 * them.
 */
#include "commissions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* sources per batch (a payment's invoice has a few lines: ~2-6 lines
 * per source with overrides) */
#define CMS_BATCH 2000
#define NO_END    INT64_C(99999999)

enum { PH_NRC, PH_RES, PH_CB, PH_REFUND, PH_DONE };

struct partner {
	uint64_t id, parent, own, plan;
	int rank; /* its place by id among the brand's, as the ledger hash */
	const char *ccy;
	bool resolved;
	int64_t earned, reversed; /* this batch's sums */
	unsigned n_earned, n_reversed;
	uint64_t txn_earned, txn_reversed;
};

struct rule {
	uint64_t id, plan, product, category;
	const char *kind, *calc, *basis;
	int64_t rate, amount, months, cb_days, from, to;
	int level;
};

struct product {
	uint64_t id, category;
};

struct line {
	const char *key, *kind;
	struct partner *earner;
	uint64_t seller, account, service, product, invoice, iline, payment,
	    rule, reverses;
	int level;
	int64_t earned, basis, rate, amount;
	const char *ccy;
};

struct run {
	tp_req *r;
	tp_job_run *job;
	const char *period;
	int64_t pe; /* the period's last day, days since 1970 */
	struct cms_settings set;
	struct partner *pv;
	size_t np;
	struct rule *rv;
	size_t nr;
	struct product *prv;
	size_t nprod;
	uint64_t run_id;
	/* the batch */
	struct line *lv;
	size_t nl, cap;
	uint64_t *cancel; /* lines a refund cancels */
	size_t ncancel, capcancel;
	const char *cancel_note;
	unsigned lines, cancelled;
};

static int by_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static struct partner *partner(struct run *c, uint64_t id)
{
	return id ? bsearch(&id, c->pv, c->np, sizeof(*c->pv), by_id) : NULL;
}

/* the plan it earns by: its own, else its nearest ancestor's */
static uint64_t plan_of(struct run *c, struct partner *p)
{
	if (p == NULL)
		return 0;
	if (!p->resolved) {
		p->resolved = true; /* a cycle (never) ends here */
		p->plan = p->own ? p->own : plan_of(c, partner(c, p->parent));
	}
	return p->plan;
}

static uint64_t category_of(struct run *c, uint64_t product)
{
	struct product *p = product ? bsearch(&product, c->prv, c->nprod,
	                                      sizeof(*c->prv), by_id)
	                            : NULL;
	return p ? p->category : 0;
}

/* cms_rule_find in memory: the product's rule before its category's
 * before an all-products one, the newest first (c->rv is by plan, then
 * id desc) */
static const struct rule *rule_find(struct run *c, uint64_t plan,
                                    const char *kind, uint64_t product,
                                    int64_t day, int level)
{
	const struct rule *best = NULL;
	int best_rank = 3;
	uint64_t cat = category_of(c, product);
	if (plan == 0)
		return NULL;
	/* the plan's first rule */
	size_t lo = 0, hi = c->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->rv[mid].plan < plan)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < c->nr && c->rv[i].plan == plan; i++) {
		const struct rule *x = &c->rv[i];
		int rank;
		if (x->level != level || strcmp(x->kind, kind) != 0 ||
		    x->from > day || x->to < day)
			continue;
		if (x->product)
			rank = product && x->product == product ? 0 : 3;
		else if (x->category)
			rank = cat && x->category == cat ? 1 : 3;
		else
			rank = 2;
		if (rank < best_rank) {
			best = x;
			best_rank = rank;
		}
	}
	return best;
}

/* ------------------------------------------------------------------ */
/* what the run reads once                                              */

static tp_rc load(struct run *c)
{
	tp_req *r = c->r;
	tp_db *db = tp_req_db(r);
	int64_t tenant = (int64_t)tp_tenant_id(r);
	tp_rows *rs;
	tp_rc rc;

	if ((rc = cms_settings_load(r, &c->set)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT id, IFNULL(parent_id, 0), currency FROM "
	                 "partners WHERE tenant_id = ? ORDER BY id",
	                 "I", tenant);
	if (rc != TP_OK)
		return rc;
	c->np = tp_rows_count(rs);
	c->pv = tp_calloc(r, (c->np + 1) * sizeof(*c->pv));
	for (size_t i = 0; i < c->np; i++) {
		c->pv[i].id = (uint64_t)tp_rows_i64(rs, i, 0);
		c->pv[i].parent = (uint64_t)tp_rows_i64(rs, i, 1);
		c->pv[i].ccy = tp_rows_get(rs, i, 2);
		c->pv[i].rank = (int)i + 1;
	}
	rc = tp_db_query(db, r, &rs,
	                 "SELECT a.partner_id, a.plan_id FROM "
	                 "commission_assignments a JOIN commission_plans p ON "
	                 "p.id = a.plan_id AND p.status = 'active' WHERE "
	                 "a.tenant_id = ?",
	                 "I", tenant);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		struct partner *p = partner(c, (uint64_t)tp_rows_i64(rs, i, 0));
		if (p != NULL)
			p->own = (uint64_t)tp_rows_i64(rs, i, 1);
	}
	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT id, plan_id, kind, IFNULL(product_id, 0), "
	    "IFNULL(category_id, 0), calc, rate_ppm, amount, IFNULL(months, "
	    "-1), level, basis, chargeback_days, TO_DAYS(valid_from) - "
	    "719528, IFNULL(TO_DAYS(valid_to) - 719528, ?) FROM "
	    "commission_rules WHERE tenant_id = ? ORDER BY plan_id, id DESC",
	    "II", NO_END, tenant);
	if (rc != TP_OK)
		return rc;
	c->nr = tp_rows_count(rs);
	c->rv = tp_calloc(r, (c->nr + 1) * sizeof(*c->rv));
	for (size_t i = 0; i < c->nr; i++) {
		struct rule *x = &c->rv[i];
		x->id = (uint64_t)tp_rows_i64(rs, i, 0);
		x->plan = (uint64_t)tp_rows_i64(rs, i, 1);
		x->kind = tp_rows_get(rs, i, 2);
		x->product = (uint64_t)tp_rows_i64(rs, i, 3);
		x->category = (uint64_t)tp_rows_i64(rs, i, 4);
		x->calc = tp_rows_get(rs, i, 5);
		x->rate = tp_rows_i64(rs, i, 6);
		x->amount = tp_rows_i64(rs, i, 7);
		x->months = tp_rows_i64(rs, i, 8);
		x->level = (int)tp_rows_i64(rs, i, 9);
		x->basis = tp_rows_get(rs, i, 10);
		x->cb_days = tp_rows_i64(rs, i, 11);
		x->from = tp_rows_i64(rs, i, 12);
		x->to = tp_rows_i64(rs, i, 13);
	}
	rc = tp_db_query(db, r, &rs,
	                 "SELECT id, IFNULL(category_id, 0) FROM products "
	                 "WHERE tenant_id = ? ORDER BY id",
	                 "I", tenant);
	if (rc != TP_OK)
		return rc;
	c->nprod = tp_rows_count(rs);
	c->prv = tp_calloc(r, (c->nprod + 1) * sizeof(*c->prv));
	for (size_t i = 0; i < c->nprod; i++) {
		c->prv[i].id = (uint64_t)tp_rows_i64(rs, i, 0);
		c->prv[i].category = (uint64_t)tp_rows_i64(rs, i, 1);
	}
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* computing lines                                                      */

static struct line *add_line(struct run *c)
{
	if (c->nl == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct line *v = tp_calloc(c->r, cap * sizeof(*v));
		if (c->nl)
			memcpy(v, c->lv, c->nl * sizeof(*v));
		c->lv = v;
		c->cap = cap;
	}
	struct line *l = &c->lv[c->nl++];
	memset(l, 0, sizeof(*l));
	return l;
}

/* a revenue source: what a seller's sale earns it and its ancestors */
struct src {
	const char *key;  /* "nrc:S" / "res:A:L": the lines' keys are KEY:Ln */
	const char *kind; /* nrc, residual, usage */
	uint64_t seller, account, service, product, invoice, iline, payment;
	int64_t day, basis, months_in; /* months_in: -1 unknown */
	const char *ccy;
};

static tp_rc earn(struct run *c, const struct src *s)
{
	struct partner *seller = partner(c, s->seller);
	if (seller == NULL || s->basis < 0)
		return TP_OK;
	const struct rule *r0 =
	    rule_find(c, plan_of(c, seller), s->kind, s->product, s->day, 0);
	if (r0 == NULL)
		return TP_OK;
	/* residual for N months from the service's start */
	if (strcmp(s->kind, "residual") == 0 && r0->months >= 0 &&
	    s->months_in >= 0 && s->months_in >= r0->months)
		return TP_OK;
	int64_t a0 = 0;
	tp_rc rc;
	if (strcmp(r0->calc, "fixed") == 0)
		a0 = r0->amount;
	else if ((rc = tp_money_mul_div(s->basis, r0->rate, 1000000, s->ccy,
	                                &a0)) != TP_OK)
		return rc;
	if (a0 <= 0)
		return TP_OK;

	/* the overrides, level 1 up */
	struct ov {
		struct partner *p;
		const struct rule *rule;
		int64_t basis, amount;
		int level;
	} ov[64];
	int n = 0;
	struct partner *up = partner(c, seller->parent);
	for (int d = 1; up != NULL && d < 64; d++) {
		const struct rule *x = rule_find(c, plan_of(c, up), "override",
		                                 s->product, s->day, d);
		if (x != NULL) {
			int64_t b = strcmp(x->basis, "revenue") == 0 ? s->basis
			                                             : a0,
			        amt;
			if ((rc = tp_money_mul_div(b, x->rate, 1000000, s->ccy,
			                           &amt)) != TP_OK)
				return rc;
			ov[n++] = (struct ov){up, x, b, amt, d};
		}
		up = partner(c, up->parent);
	}
	/* the cap: level 0 and every override of this revenue line together
	 * never more than cap x the revenue; the seller's own never cut,
	 * the highest ancestor first */
	if (c->set.cap_ppm > 0 && n > 0) {
		int64_t cap, sum = 0;
		if ((rc = tp_money_mul_div(s->basis, c->set.cap_ppm, 1000000,
		                           s->ccy, &cap)) != TP_OK)
			return rc;
		for (int i = 0; i < n; i++)
			sum += ov[i].amount;
		int64_t room = cap > a0 ? cap - a0 : 0,
		        excess = sum > room ? sum - room : 0;
		for (int i = n - 1; i >= 0 && excess > 0; i--) {
			int64_t cut =
			    excess < ov[i].amount ? excess : ov[i].amount;
			ov[i].amount -= cut;
			excess -= cut;
		}
	}

	for (int i = -1; i < n; i++) {
		struct partner *p = i < 0 ? seller : ov[i].p;
		int64_t amt = i < 0 ? a0 : ov[i].amount;
		/* a payable is in its partner's currency: another one's
		 * revenue earns it nothing here */
		if (amt <= 0 || strcmp(p->ccy, s->ccy) != 0)
			continue;
		struct line *l = add_line(c);
		int level = i < 0 ? 0 : ov[i].level;
		l->key = tp_printf(c->r, "%s:L%d", s->key, level);
		l->kind = i < 0 ? s->kind : "override";
		l->earner = p;
		l->seller = seller->id;
		l->level = level;
		l->account = s->account;
		l->service = s->service;
		l->product = s->product;
		l->invoice = s->invoice;
		l->iline = s->iline;
		l->payment = s->payment;
		l->rule = i < 0 ? r0->id : ov[i].rule->id;
		l->earned = s->day;
		l->basis = i < 0 ? s->basis : ov[i].basis;
		l->rate = i < 0
		              ? (strcmp(r0->calc, "fixed") == 0 ? 0 : r0->rate)
		              : ov[i].rule->rate;
		l->amount = amt;
		l->ccy = s->ccy;
	}
	return TP_OK;
}

/* a negative line taking back share num/den of line (the row of rs) */
static tp_rc take_back(struct run *c, const char *key, const tp_rows *rs,
                       size_t i, int64_t num, int64_t den, int64_t day)
{
	/* rs: id, partner, seller, level, account, service, product,
	 * invoice, invoice line, payment, rule, basis, rate, amount,
	 * currency (as clawback_cols) */
	struct partner *p = partner(c, (uint64_t)tp_rows_i64(rs, i, 1));
	const char *ccy = tp_rows_get(rs, i, 14);
	int64_t amt = tp_rows_i64(rs, i, 13), basis = tp_rows_i64(rs, i, 11);
	tp_rc rc;
	if (p == NULL)
		return TP_OK;
	if (num != den &&
	    ((rc = tp_money_mul_div(amt, num, den, ccy, &amt)) != TP_OK ||
	     (rc = tp_money_mul_div(basis, num, den, ccy, &basis)) != TP_OK))
		return rc;
	if (amt <= 0)
		return TP_OK;
	struct line *l = add_line(c);
	l->key = key;
	l->kind = "chargeback";
	l->earner = p;
	l->seller = (uint64_t)tp_rows_i64(rs, i, 2);
	l->level = (int)tp_rows_i64(rs, i, 3);
	l->account = (uint64_t)tp_rows_i64(rs, i, 4);
	l->service = (uint64_t)tp_rows_i64(rs, i, 5);
	l->product = (uint64_t)tp_rows_i64(rs, i, 6);
	l->invoice = (uint64_t)tp_rows_i64(rs, i, 7);
	l->iline = (uint64_t)tp_rows_i64(rs, i, 8);
	l->payment = (uint64_t)tp_rows_i64(rs, i, 9);
	l->rule = (uint64_t)tp_rows_i64(rs, i, 10);
	l->reverses = (uint64_t)tp_rows_i64(rs, i, 0);
	l->earned = day;
	l->basis = -basis;
	l->rate = tp_rows_i64(rs, i, 12);
	l->amount = -amt;
	l->ccy = ccy;
	return TP_OK;
}

#define CLAWBACK_COLS                                                          \
	"c.id, c.partner_id, c.seller_id, c.level, IFNULL(c.account_id, 0), "  \
	"IFNULL(c.service_id, 0), IFNULL(c.product_id, 0), "                   \
	"IFNULL(c.invoice_id, 0), IFNULL(c.invoice_line_id, 0), "              \
	"IFNULL(c.payment_id, 0), IFNULL(c.rule_id, 0), c.basis, c.rate_ppm, " \
	"c.amount, c.currency"

/* ------------------------------------------------------------------ */
/* the phases: each reads the batch after cursor, computes its lines and
 * says the batch's last id (0: nothing left) */

static void ids_of(tp_req *r, const tp_rows *rs, tp_db_arg **a, size_t *n)
{
	*n = tp_rows_count(rs);
	*a = tp_alloc(r, (*n + 1) * sizeof(**a));
	for (size_t i = 0; i < *n; i++)
		(*a)[i] = (tp_db_arg){.i = tp_rows_i64(rs, i, 0)};
}

/* whether the brand has a rule of kind (with chargeback days): a phase
 * no rule can earn in is skipped, not scanned */
static bool has_rule(const struct run *c, const char *kind, bool cb)
{
	for (size_t i = 0; i < c->nr; i++)
		if (strcmp(c->rv[i].kind, kind) == 0 &&
		    (!cb || c->rv[i].cb_days))
			return true;
	return false;
}

static tp_rc phase_nrc(struct run *c, uint64_t after, uint64_t *last)
{
	tp_req *r = c->r;
	tp_db *db = tp_req_db(r);
	int64_t tenant = (int64_t)tp_tenant_id(r);
	tp_rows *rs;
	*last = 0;
	if (!has_rule(c, "nrc", false))
		return TP_OK;
	/* the services activated by the period's end, not yet taken: their
	 * first 'active' row is the activation */
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT s.id, s.partner_id, s.account_id, s.product_id, "
	    "s.one_time_charge, s.currency, TO_DAYS(MIN(h.effective)) - "
	    "719528 FROM services s JOIN service_history h ON h.service_id = "
	    "s.id AND h.status = 'active' WHERE s.tenant_id = ? AND s.id > ? "
	    "AND NOT EXISTS (SELECT 1 FROM commission_lines c WHERE "
	    "c.tenant_id = s.tenant_id AND c.source_key = CONCAT('nrc:', "
	    "s.id, ':L0')) GROUP BY s.id HAVING MIN(h.effective) <= "
	    "FROM_DAYS(? + 719528) ORDER BY s.id LIMIT ?",
	    "IIIi", tenant, (int64_t)after, c->pe, CMS_BATCH);
	if (rc != TP_OK)
		return rc;
	size_t n = tp_rows_count(rs);
	*last = n ? (uint64_t)tp_rows_i64(rs, n - 1, 0) : 0;
	for (size_t i = 0; i < n; i++) {
		struct src s = {
		    .key = tp_printf(r, "nrc:%s", tp_rows_get(rs, i, 0)),
		    .kind = "nrc",
		    .seller = (uint64_t)tp_rows_i64(rs, i, 1),
		    .account = (uint64_t)tp_rows_i64(rs, i, 2),
		    .service = (uint64_t)tp_rows_i64(rs, i, 0),
		    .product = (uint64_t)tp_rows_i64(rs, i, 3),
		    .basis = tp_rows_i64(rs, i, 4),
		    .ccy = tp_rows_get(rs, i, 5),
		    .day = tp_rows_i64(rs, i, 6),
		    .months_in = -1};
		if ((rc = earn(c, &s)) != TP_OK)
			return rc;
	}
	return TP_OK;
}

static tp_rc phase_res(struct run *c, uint64_t after, uint64_t *last)
{
	tp_req *r = c->r;
	tp_db *db = tp_req_db(r);
	int64_t tenant = (int64_t)tp_tenant_id(r);
	tp_rows *rs;
	/* the allocations of payments settled by the period's end with
	 * nothing taken yet (a refund's negative allocation is the refund
	 * phase's; taken: one of its payment's lines has its key) */
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT pa.id FROM payment_allocations pa JOIN payments p ON p.id "
	    "= pa.payment_id WHERE pa.tenant_id = ? AND pa.id > ? AND "
	    "pa.amount > 0 AND p.status = 'settled' AND p.settled_at < "
	    "FROM_DAYS(? + 719529) AND NOT EXISTS (SELECT 1 FROM "
	    "commission_lines c WHERE c.payment_id = pa.payment_id AND "
	    "c.source_key LIKE CONCAT('res:', pa.id, ':%')) ORDER BY pa.id "
	    "LIMIT ?",
	    "IIIi", tenant, (int64_t)after, c->pe, CMS_BATCH);
	if (rc != TP_OK)
		return rc;
	size_t n;
	tp_db_arg *a;
	ids_of(r, rs, &a, &n);
	*last = n ? (uint64_t)a[n - 1].i : 0;
	if (n == 0)
		return TP_OK;
	rc = tp_db_query_args(
	    db, r, &rs,
	    tp_printf(
	        r,
	        "SELECT pa.id, il.id, pa.amount, il.amount, i.total, i.id, "
	        "i.account_id, IFNULL(s.partner_id, i.partner_id), il.kind, "
	        "IFNULL(il.service_id, 0), IFNULL(il.product_id, 0), "
	        "TO_DAYS(p.settled_at) - 719528, IFNULL(TIMESTAMPDIFF(MONTH, "
	        "s.start_date, il.period_start), -1), i.currency, p.id FROM "
	        "payment_allocations pa JOIN payments p ON p.id = "
	        "pa.payment_id JOIN invoices i ON i.id = pa.invoice_id JOIN "
	        "invoice_lines il ON il.invoice_id = i.id AND il.kind IN "
	        "('recurring', 'usage') LEFT JOIN services s ON s.id = "
	        "il.service_id WHERE pa.id IN (%s) ORDER BY pa.id, il.id",
	        tp_db_marks(r, n)),
	    a, n);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		int64_t total = tp_rows_i64(rs, i, 4), basis;
		const char *ccy = tp_rows_get(rs, i, 13);
		if (total <= 0)
			continue;
		/* the net share of the line in what was paid, rounded once */
		if ((rc = tp_money_mul_div(tp_rows_i64(rs, i, 2),
		                           tp_rows_i64(rs, i, 3), total, ccy,
		                           &basis)) != TP_OK)
			return rc;
		struct src s = {
		    .key = tp_printf(r, "res:%s:%s", tp_rows_get(rs, i, 0),
		                     tp_rows_get(rs, i, 1)),
		    .kind = strcmp(tp_rows_get(rs, i, 8), "usage") == 0
		                ? "usage"
		                : "residual",
		    .seller = (uint64_t)tp_rows_i64(rs, i, 7),
		    .account = (uint64_t)tp_rows_i64(rs, i, 6),
		    .service = (uint64_t)tp_rows_i64(rs, i, 9),
		    .product = (uint64_t)tp_rows_i64(rs, i, 10),
		    .invoice = (uint64_t)tp_rows_i64(rs, i, 5),
		    .iline = (uint64_t)tp_rows_i64(rs, i, 1),
		    .payment = (uint64_t)tp_rows_i64(rs, i, 14),
		    .day = tp_rows_i64(rs, i, 11),
		    .basis = basis,
		    .months_in = tp_rows_i64(rs, i, 12),
		    .ccy = ccy};
		if ((rc = earn(c, &s)) != TP_OK)
			return rc;
	}
	return TP_OK;
}

static tp_rc phase_cb(struct run *c, uint64_t after, uint64_t *last)
{
	tp_req *r = c->r;
	tp_db *db = tp_req_db(r);
	int64_t tenant = (int64_t)tp_tenant_id(r);
	tp_rows *rs;
	*last = 0;
	if (!has_rule(c, "nrc", true))
		return TP_OK;
	/* level-0 activation lines whose service was disconnected within
	 * the rule's days of activation, by the period's end, not yet taken
	 * back */
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT c.id, c.service_id, (SELECT TO_DAYS(MIN(h.effective)) - "
	    "719528 FROM service_history h WHERE h.service_id = c.service_id "
	    "AND h.status = 'disconnected' AND h.effective >= c.earned_on) "
	    "AS d, TO_DAYS(c.earned_on) - 719528 + r.chargeback_days FROM "
	    "commission_lines c JOIN commission_rules r ON r.id = c.rule_id "
	    "WHERE c.tenant_id = ? AND c.id > ? AND c.kind = 'nrc' AND "
	    "c.level = 0 AND c.amount > 0 AND r.chargeback_days > 0 AND NOT "
	    "EXISTS (SELECT 1 FROM commission_lines x WHERE x.tenant_id = "
	    "c.tenant_id AND x.source_key = CONCAT('cb:', c.source_key)) "
	    "ORDER BY c.id LIMIT ?",
	    "IIi", tenant, (int64_t)after, CMS_BATCH);
	if (rc != TP_OK)
		return rc;
	size_t n = tp_rows_count(rs);
	*last = n ? (uint64_t)tp_rows_i64(rs, n - 1, 0) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *d = tp_rows_get(rs, i, 2);
		int64_t day = d ? tp_rows_i64(rs, i, 2) : 0;
		if (d == NULL || day > c->pe || day > tp_rows_i64(rs, i, 3))
			continue;
		/* every level of the activation, each taken back whole */
		tp_rows *ls;
		rc = tp_db_query(
		    db, r, &ls,
		    "SELECT " CLAWBACK_COLS ", c.source_key FROM "
		    "commission_lines c WHERE c.tenant_id = ? AND c.service_id "
		    "= ? AND c.kind IN ('nrc', 'override') AND c.source_key "
		    "LIKE 'nrc:%' AND c.amount > 0 AND NOT EXISTS (SELECT 1 "
		    "FROM commission_lines x WHERE x.tenant_id = c.tenant_id "
		    "AND x.source_key = CONCAT('cb:', c.source_key)) ORDER BY "
		    "c.level, c.id",
		    "II", tenant, tp_rows_i64(rs, i, 1));
		if (rc != TP_OK)
			return rc;
		for (size_t k = 0; k < tp_rows_count(ls); k++)
			if ((rc = take_back(
			         c,
			         tp_printf(r, "cb:%s", tp_rows_get(ls, k, 15)),
			         ls, k, 1, 1, day)) != TP_OK)
				return rc;
	}
	return TP_OK;
}

static tp_rc phase_refund(struct run *c, uint64_t after, uint64_t *last)
{
	tp_req *r = c->r;
	tp_db *db = tp_req_db(r);
	int64_t tenant = (int64_t)tp_tenant_id(r);
	tp_rows *rs;
	/* refunds by the period's end: their day (the ledger's), the
	 * payment's amount and what is refunded of it up to this one */
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT f.id, f.payment_id, f.amount, p.amount, "
	    "TO_DAYS(IFNULL(t.effective_at, f.created_at)) - 719528, (SELECT "
	    "SUM(x.amount) FROM payment_refunds x WHERE x.payment_id = "
	    "f.payment_id AND x.id <= f.id) FROM payment_refunds f JOIN "
	    "payments p ON p.id = f.payment_id LEFT JOIN ledger_txns t ON t.id "
	    "= f.ledger_txn_id WHERE f.tenant_id = ? AND f.id > ? AND "
	    "IFNULL(t.effective_at, f.created_at) < FROM_DAYS(? + 719529) "
	    "ORDER BY f.id LIMIT ?",
	    "IIIi", tenant, (int64_t)after, c->pe, CMS_BATCH);
	if (rc != TP_OK)
		return rc;
	size_t n = tp_rows_count(rs);
	*last = n ? (uint64_t)tp_rows_i64(rs, n - 1, 0) : 0;
	c->cancel_note = "payment refunded inside the hold";
	for (size_t i = 0; i < n; i++) {
		int64_t refund = tp_rows_i64(rs, i, 2),
		        paid = tp_rows_i64(rs, i, 3),
		        day = tp_rows_i64(rs, i, 4);
		bool full = tp_rows_i64(rs, i, 5) >= paid;
		tp_rows *ls;
		/* the payment's lines still standing; for each, whether the
		 * refund came inside its hold (not yet approved) */
		rc = tp_db_query(
		    db, r, &ls,
		    "SELECT " CLAWBACK_COLS ", c.status IN ('pending', "
		    "'approvable') AND c.hold_until >= FROM_DAYS(? + 719528) "
		    "FROM commission_lines c WHERE c.tenant_id = ? AND "
		    "c.payment_id = ? AND c.kind IN ('residual', 'usage', "
		    "'override') AND c.amount > 0 AND c.status <> 'cancelled' "
		    "AND c.reverses_line_id IS NULL ORDER BY c.id",
		    "III", day, tenant, tp_rows_i64(rs, i, 1));
		if (rc != TP_OK)
			return rc;
		for (size_t k = 0; k < tp_rows_count(ls); k++) {
			uint64_t id = (uint64_t)tp_rows_i64(ls, k, 0);
			if (full && tp_rows_i64(ls, k, 15)) {
				/* cancelled (twice in a batch: once) */
				bool seen = false;
				for (size_t q = 0; q < c->ncancel; q++)
					seen |= c->cancel[q] == id;
				if (seen)
					continue;
				if (c->ncancel == c->capcancel) {
					size_t cap = c->capcancel * 2 + 64;
					uint64_t *v =
					    tp_alloc(r, cap * sizeof(*v));
					if (c->ncancel)
						memcpy(v, c->cancel,
						       c->ncancel * sizeof(*v));
					c->cancel = v;
					c->capcancel = cap;
				}
				c->cancel[c->ncancel++] = id;
				continue;
			}
			tp_rows *done;
			const char *key =
			    tp_printf(r, "rf:%s:%llu", tp_rows_get(rs, i, 0),
			              (unsigned long long)id);
			rc = tp_db_query(db, r, &done,
			                 "SELECT 1 FROM commission_lines WHERE "
			                 "tenant_id = ? AND source_key = ?",
			                 "Is", tenant, key);
			if (rc != TP_OK)
				return rc;
			if (tp_rows_count(done) == 0 &&
			    (rc = take_back(c, key, ls, k, refund, paid,
			                    day)) != TP_OK)
				return rc;
		}
	}
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* writing a batch                                                      */

/* the lines a refund cancels, with what they had posted (and any
 * clawback of them still in its hold, which goes with them) */
static tp_rc cancelled_lines(struct run *c, tp_rows **out)
{
	tp_req *r = c->r;
	size_t n = c->ncancel;
	tp_db_arg *a = tp_alloc(r, (2 * n + 1) * sizeof(*a));
	a[0] = (tp_db_arg){.i = (int64_t)tp_tenant_id(r)};
	for (size_t i = 0; i < n; i++)
		a[1 + i] = a[1 + n + i] =
		    (tp_db_arg){.i = (int64_t)c->cancel[i]};
	const char *in = tp_db_marks(r, n);
	return tp_db_query_args(
	    tp_req_db(r), r, out,
	    tp_printf(r,
	              "SELECT id, partner_id, amount FROM commission_lines "
	              "WHERE tenant_id = ? AND status IN ('pending', "
	              "'approvable') AND (id IN (%s) OR reverses_line_id IN "
	              "(%s)) ORDER BY id FOR UPDATE",
	              in, in),
	    a, 2 * n + 1);
}

static tp_rc post_batch(struct run *c, int64_t batch_no)
{
	tp_req *r = c->r;
	tp_db *db = tp_req_db(r);
	int64_t tenant = (int64_t)tp_tenant_id(r);
	tp_rows *cl = NULL;
	tp_rc rc;

	for (size_t i = 0; i < c->np; i++) {
		struct partner *p = &c->pv[i];
		p->earned = p->reversed = 0;
		p->n_earned = p->n_reversed = 0;
		p->txn_earned = p->txn_reversed = 0;
	}
	for (size_t i = 0; i < c->nl; i++) {
		struct line *l = &c->lv[i];
		if (l->amount > 0) {
			l->earner->earned += l->amount;
			l->earner->n_earned++;
		} else {
			l->earner->reversed += l->amount;
			l->earner->n_reversed++;
		}
	}
	if (c->ncancel > 0) {
		if ((rc = cancelled_lines(c, &cl)) != TP_OK)
			return rc;
		for (size_t i = 0; i < tp_rows_count(cl); i++) {
			struct partner *p =
			    partner(c, (uint64_t)tp_rows_i64(cl, i, 1));
			if (p == NULL)
				continue;
			p->reversed -= tp_rows_i64(cl, i, 2);
			p->n_reversed++;
		}
	}

	/* one ledger transaction per partner and sign, in partner order */
	tp_ledger_txn *t = tp_calloc(r, (2 * c->np + 1) * sizeof(*t));
	struct partner **of = tp_calloc(r, (2 * c->np + 1) * sizeof(*of));
	int *neg = tp_calloc(r, (2 * c->np + 1) * sizeof(*neg));
	size_t nt = 0;
	for (size_t i = 0; i < c->np; i++) {
		struct partner *p = &c->pv[i];
		for (int sign = 0; sign < 2; sign++) {
			int64_t amt = sign == 0 ? p->earned : p->reversed;
			if (amt == 0)
				continue;
			tp_ledger_line *ll = tp_calloc(r, 2 * sizeof(*ll));
			ll[0] = (tp_ledger_line){
			    .account = "commission.expense", .amount = amt};
			ll[1] = (tp_ledger_line){.account = "partner.payable",
			                         .amount = -amt,
			                         .partner_id = p->id};
			t[nt] = (tp_ledger_txn){
			    .kind = "commission",
			    .idem_key = tp_printf(r, "commission:B%lld:P%d:%s",
			                          (long long)batch_no, p->rank,
			                          sign ? "reversed" : "earned"),
			    .currency = p->ccy,
			    .partner_id = p->id,
			    .memo = tp_printf(r, "commissions %s", c->period),
			    .lines = ll,
			    .n = 2};
			neg[nt] = sign;
			of[nt++] = p;
		}
	}
	uint64_t *ids = tp_calloc(r, (nt + 1) * sizeof(*ids));
	for (size_t at = 0; at < nt; at += TP_LEDGER_BATCH_MAX) {
		size_t k = nt - at < TP_LEDGER_BATCH_MAX ? nt - at
		                                         : TP_LEDGER_BATCH_MAX;
		if ((rc = tp_ledger_post_batch(r, t + at, k, ids + at, NULL)) !=
		    TP_OK)
			return rc;
	}
	for (size_t q = 0; q < nt; q++) {
		if (neg[q])
			of[q]->txn_reversed = ids[q];
		else
			of[q]->txn_earned = ids[q];
	}

	/* the lines */
	const size_t W = 23;
	/* on the heap, not the run's arena: a run of many batches would
	 * keep every batch's */
	tp_db_arg *a = malloc((c->nl * W + 1) * sizeof(*a));
	if (a == NULL)
		return tp_fail(r, TP_EINTERNAL, NULL,
		               _("no memory for %zu lines"), c->nl);
	for (size_t i = 0; i < c->nl; i++) {
		const struct line *l = &c->lv[i];
		tp_db_arg *x = &a[i * W];
		x[0] = (tp_db_arg){.i = tenant};
		x[1] = (tp_db_arg){.i = (int64_t)c->run_id};
		x[2] = (tp_db_arg){.s = c->period};
		x[3] = (tp_db_arg){.s = l->key};
		x[4] = (tp_db_arg){.s = l->kind};
		x[5] = (tp_db_arg){.i = (int64_t)l->earner->id};
		x[6] = (tp_db_arg){.i = (int64_t)l->seller};
		x[7] = (tp_db_arg){.i = l->level};
		x[8] = (tp_db_arg){.i = (int64_t)l->account};
		x[9] = (tp_db_arg){.i = (int64_t)l->service};
		x[10] = (tp_db_arg){.i = (int64_t)l->product};
		x[11] = (tp_db_arg){.i = (int64_t)l->invoice};
		x[12] = (tp_db_arg){.i = (int64_t)l->iline};
		x[13] = (tp_db_arg){.i = (int64_t)l->payment};
		x[14] = (tp_db_arg){.i = (int64_t)l->rule};
		x[15] = (tp_db_arg){.i = (int64_t)l->reverses};
		x[16] = (tp_db_arg){.i = l->earned};
		x[17] = (tp_db_arg){.i = l->basis};
		x[18] = (tp_db_arg){.i = l->rate};
		x[19] = (tp_db_arg){.i = l->amount};
		x[20] = (tp_db_arg){.s = l->ccy};
		x[21] = (tp_db_arg){.i = l->earned + c->set.hold_days};
		x[22] = (tp_db_arg){
		    .i = (int64_t)(l->amount > 0 ? l->earner->txn_earned
		                                 : l->earner->txn_reversed)};
	}
	rc = TP_OK;
	if (c->nl > 0)
		rc = tp_db_exec_rows(
		    db, NULL,
		    "INSERT INTO commission_lines (tenant_id, run_id, period, "
		    "source_key, kind, partner_id, seller_id, level, "
		    "account_id, "
		    "service_id, product_id, invoice_id, invoice_line_id, "
		    "payment_id, rule_id, reverses_line_id, earned_on, basis, "
		    "rate_ppm, amount, currency, hold_until, ledger_txn_id) "
		    "VALUES ",
		    "(?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), "
		    "NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), "
		    "NULLIF(?, 0), NULLIF(?, 0), FROM_DAYS(? + 719528), ?, ?, "
		    "?, "
		    "?, FROM_DAYS(? + 719528), NULLIF(?, 0))",
		    ", ", "", a, W, c->nl);
	free(a);
	if (rc != TP_OK)
		return rc;

	/* a refund inside the hold: the lines cancelled (rare: one by one) */
	for (size_t i = 0; cl != NULL && i < tp_rows_count(cl); i++) {
		rc = tp_db_exec(db, NULL,
		                "UPDATE commission_lines SET status = "
		                "'cancelled', status_note = ?, status_at = "
		                "FROM_UNIXTIME(?) WHERE id = ?",
		                "sII", c->cancel_note, tp_now(),
		                tp_rows_i64(cl, i, 0));
		if (rc != TP_OK)
			return rc;
		c->cancelled++;
	}

	/* the events: one per partner and sign, with the batch's totals,
	 * written as tp_event_emit writes each (in one statement) */
	tp_db_arg *e = tp_alloc(r, (nt * 5 + 1) * sizeof(*e));
	for (size_t q = 0; q < nt; q++) {
		struct partner *p = of[q];
		json_object *o = json_object_new_object();
		tp_json_add_str(o, "period", c->period);
		tp_json_add_i64(o, "run_id", (int64_t)c->run_id);
		tp_json_add_i64(o, "lines",
		                neg[q] ? p->n_reversed : p->n_earned);
		json_object_object_add(
		    o, "amount",
		    tp_json_money(neg[q] ? p->reversed : p->earned, p->ccy));
		tp_json_add_i64(o, "ledger_txn_id", (int64_t)ids[q]);
		e[q * 5] = (tp_db_arg){.i = tenant};
		e[q * 5 + 1] = (tp_db_arg){.i = (int64_t)p->id};
		e[q * 5 + 2] = (tp_db_arg){.i = 0};
		e[q * 5 + 3] = (tp_db_arg){.s = neg[q] ? "commission.reversed"
		                                       : "commission.earned"};
		e[q * 5 + 4] = (tp_db_arg){
		    .s = tp_strdup(r, json_object_to_json_string_ext(
		                          o, JSON_C_TO_STRING_PLAIN))};
		json_object_put(o);
	}
	if (nt > 0 &&
	    (rc = tp_db_exec_rows(db, NULL,
	                          "INSERT INTO events (tenant_id, partner_id, "
	                          "account_id, name, payload) VALUES ",
	                          "(NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), "
	                          "?, ?)",
	                          ", ", "", e, 5, nt)) != TP_OK)
		return rc;
	c->lines += (unsigned)c->nl;
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* a period's run                                                       */

static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

const char *cms_last_period(tp_req *r)
{
	/* the brand's day (its time zone) */
	time_t t = (time_t)tp_brand_day(r) * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	int y = tm.tm_year + 1900, m = tm.tm_mon; /* the month before */
	if (m == 0) {
		m = 12;
		y--;
	}
	return tp_printf(r, "%04d-%02d", y, m);
}

tp_rc cms_release(tp_req *r, unsigned *released)
{
	tp_db *db = tp_req_db(r);
	uint64_t n = 0;
	tp_rc rc = tp_db_begin(db);
	if (rc != TP_OK)
		return rc;
	/* past hold_until: the day after it at the earliest */
	rc = tp_db_exec(db, &n,
	                "UPDATE commission_lines SET status = 'approvable', "
	                "status_at = FROM_UNIXTIME(?) WHERE tenant_id = ? AND "
	                "status = 'pending' AND hold_until < FROM_DAYS(? + "
	                "719528)",
	                "III", tp_now(), (int64_t)tp_tenant_id(r),
	                tp_brand_day(r));
	if (rc == TP_OK && n > 0)
		rc = tp_gen_bump(r, "commissions");
	rc = rc == TP_OK ? tp_db_commit(db) : rc;
	if (rc != TP_OK)
		tp_db_rollback(db);
	if (released != NULL)
		*released = (unsigned)n;
	return rc;
}

typedef tp_rc (*phase_fn)(struct run *, uint64_t, uint64_t *);

/* one batch of the run's current phase in its own transaction; *done
 * once every phase is through */
static tp_rc run_batch(struct run *c, bool *done)
{
	static const phase_fn phases[] = {phase_nrc, phase_res, phase_cb,
	                                  phase_refund};
	tp_req *r = c->r;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_begin(db);
	if (rc != TP_OK)
		return rc;
	/* the run's row, locked: one batch of a run at a time */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT phase, cursor_id FROM commission_runs WHERE "
	                 "id = ? FOR UPDATE",
	                 "I", (int64_t)c->run_id);
	if (rc != TP_OK || tp_rows_count(rs) == 0)
		goto fail;
	int phase = (int)tp_rows_i64(rs, 0, 0);
	uint64_t after = (uint64_t)tp_rows_i64(rs, 0, 1), last = 0;
	if (phase >= PH_DONE) {
		*done = true;
		tp_db_rollback(db);
		return TP_OK;
	}
	c->nl = c->ncancel = 0;
	if ((rc = phases[phase](c, after, &last)) != TP_OK)
		goto fail;
	int64_t batches = 0;
	if (c->nl > 0 || c->ncancel > 0) {
		/* the brand's batches so far: the ledger keys count them */
		rc = tp_db_query(db, r, &rs,
		                 "SELECT IFNULL(SUM(batches), 0) FROM "
		                 "commission_runs WHERE tenant_id = ?",
		                 "I", (int64_t)tp_tenant_id(r));
		if (rc != TP_OK ||
		    (rc = post_batch(c, tp_rows_i64(rs, 0, 0) + 1)) != TP_OK ||
		    (rc = tp_gen_bump(r, "commissions")) != TP_OK)
			goto fail;
		batches = 1;
	}
	if (last == 0)
		rc = tp_db_exec(db, NULL,
		                "UPDATE commission_runs SET phase = phase + 1, "
		                "cursor_id = 0 WHERE id = ?",
		                "I", (int64_t)c->run_id);
	else
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE commission_runs SET cursor_id = ?, line_count "
		    "= line_count + ?, batches = batches + ? WHERE id = ?",
		    "IIII", (int64_t)last, (int64_t)c->nl, batches,
		    (int64_t)c->run_id);
	if (rc == TP_OK && c->job != NULL)
		rc = tp_job_save(c->job,
		                 tp_printf(r, "%llu/%s",
		                           (unsigned long long)tp_tenant_id(r),
		                           c->period));
	if (rc == TP_OK && (rc = tp_db_commit(db)) == TP_OK)
		return TP_OK;
fail:
	tp_db_rollback(db);
	return rc != TP_OK ? rc
	                   : tp_fail(r, TP_ENOENT, NULL, _("the run is gone"));
}

tp_rc cms_run_period(tp_req *r, tp_job_run *job, const char *period,
                     struct cms_run_result *out)
{
	tp_db *db = tp_req_db(r);
	char first[11], last[11];
	tp_rows *rs;
	tp_rc rc;
	int y, m, d;

	memset(out, 0, sizeof(*out));
	if (!cms_period(period, first, last) ||
	    sscanf(last, "%d-%d-%d", &y, &m, &d) != 3)
		return tp_fail(r, TP_EINVAL, "period",
		               _("Period must be a month such as 2026-11"));
	struct run c = {.r = r, .job = job, .period = tp_strdup(r, period)};
	c.pe = days_from_civil(y, m, d);
	/* the month under way may run (what happened so far), a later one
	 * not: its lines would carry a period still to come */
	if (c.pe - d + 1 > tp_brand_day(r))
		return tp_fail(r, TP_EINVAL, "period",
		               _("Period %s has not begun yet"), period);
	if ((rc = load(&c)) != TP_OK)
		return rc;
	/* a run of the period killed half-way goes on, else a new one */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT id FROM commission_runs WHERE tenant_id = ? "
	                 "AND period = ? AND status = 'running' ORDER BY id "
	                 "LIMIT 1",
	                 "Is", (int64_t)tp_tenant_id(r), c.period);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) > 0) {
		c.run_id = (uint64_t)tp_rows_i64(rs, 0, 0);
	} else {
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO commission_runs (tenant_id, period, "
		    "started_at, started_by) VALUES (?, ?, "
		    "FROM_UNIXTIME(?), NULLIF(?, 0))",
		    "IsII", (int64_t)tp_tenant_id(r), c.period, tp_now(),
		    (int64_t)cms_user_id(r));
		if (rc != TP_OK)
			return rc;
		c.run_id = tp_db_last_id(db);
	}
	out->run_id = c.run_id;
	for (bool done = false; !done;)
		if ((rc = run_batch(&c, &done)) != TP_OK)
			return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE commission_runs SET status = 'done', "
	                "finished_at = FROM_UNIXTIME(?) WHERE id = ? AND "
	                "status = 'running'",
	                "II", tp_now(), (int64_t)c.run_id);
	if (rc == TP_OK)
		rc = cms_release(r, &out->released);
	out->lines = c.lines;
	out->cancelled = c.cancelled;
	return rc;
}

/* ------------------------------------------------------------------ */
/* the command and the job                                              */

/* tierportctl commissions run --brand SLUG [--period YYYY-MM] */
int cms_cmd_run(tp_req *ctx, int argc, char **argv)
{
	const char *period = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--period") == 0 && i + 1 < argc)
			period = argv[++i];
		else {
			fprintf(stderr, "usage: tierportctl commissions run "
			                "--brand SLUG [--period YYYY-MM]\n");
			return 2;
		}
	}
	if (tp_tenant_id(ctx) == 0) {
		fprintf(stderr, "commissions run: --brand SLUG is needed\n");
		return 2;
	}
	if (period == NULL)
		period = cms_last_period(ctx);
	char first[11], last[11];
	if (!cms_period(period, first, last)) {
		fprintf(stderr,
		        "commissions run: --period %s is not a month "
		        "(YYYY-MM)\n",
		        period);
		return 2;
	}
	struct cms_run_result res;
	if (cms_run_period(ctx, NULL, period, &res) != TP_OK) {
		fprintf(stderr, "commissions run: %s failed\n", period);
		return 1;
	}
	printf("period %s: run %llu, %u lines, %u cancelled, %u released\n",
	       period, (unsigned long long)res.run_id, res.lines, res.cancelled,
	       res.released);
	return 0;
}

/* daily: each brand's last ended month once (a killed run goes on), and
 * every brand's release */
tp_rc cms_job_run(tp_req *ctx, tp_job_run *run)
{
	tp_db *db = tp_req_db(ctx);
	tp_rows *brands, *rs;
	const char *cp = tp_job_checkpoint(run);
	unsigned long long cp_tenant = 0;
	if (cp == NULL || sscanf(cp, "%llu/", &cp_tenant) != 1)
		cp_tenant = 0;
	tp_rc rc = tp_db_query(
	    db, ctx, &brands,
	    "SELECT t.id FROM tenants t JOIN plan_modules pm ON pm.plan_id = "
	    "t.plan_id AND pm.module = 'commissions' WHERE t.status = "
	    "'active' ORDER BY t.id >= ? DESC, t.id",
	    "I", (int64_t)cp_tenant);
	if (rc != TP_OK)
		return rc;
	/* a brand that fails is said and left for the next run: the others
	 * earn all the same */
	unsigned failed = 0;
	uint64_t first_failed = 0;
	tp_rc first_rc = TP_OK;
	for (size_t i = 0; i < tp_rows_count(brands); i++) {
		uint64_t tenant = (uint64_t)tp_rows_i64(brands, i, 0);
		const char *period = "";
		struct cms_run_result res = {0};
		if ((rc = tp_ctx_brand(ctx, tenant)) == TP_OK) {
			period = cms_last_period(ctx);
			rc = tp_db_query(
			    db, ctx, &rs,
			    "SELECT 1 FROM commission_runs WHERE tenant_id "
			    "= ? AND period = ? AND status = 'done' LIMIT 1",
			    "Is", (int64_t)tenant, period);
		}
		if (rc == TP_OK && tp_rows_count(rs) == 0) {
			if ((rc = cms_run_period(ctx, run, period, &res)) ==
			    TP_OK)
				tp_log(TP_LOG_INFO, "CMS0001",
				       "brand %llu period %s: %u lines, %u "
				       "cancelled",
				       (unsigned long long)tenant, period,
				       res.lines, res.cancelled);
		} else if (rc == TP_OK) {
			rc = cms_release(ctx, &res.released);
		}
		if (rc == TP_OK)
			continue;
		tp_log(TP_LOG_ERR, "CMS0002",
		       "brand %llu period %s: not run (error %d; `tierportctl "
		       "commissions run` for the brand says more)",
		       (unsigned long long)tenant, period, (int)rc);
		if (failed++ == 0) {
			first_failed = tenant;
			first_rc = rc;
		}
	}
	if (failed == 0)
		return TP_OK;
	return tp_fail(ctx, first_rc, NULL,
	               _("%u brand(s) not run, the first brand %llu (the log "
	                 "says why)"),
	               failed, (unsigned long long)first_failed);
}

/* ------------------------------------------------------------------ */
/* operators: the runs                                                  */

static tp_rc runs_view(tp_req *r)
{
	json_object *v = tp_view(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT id, period, status, DATE_FORMAT(started_at, '%Y-%m-%d "
	    "%H:%i'), IFNULL(DATE_FORMAT(finished_at, '%Y-%m-%d %H:%i'), ''), "
	    "line_count FROM commission_runs WHERE tenant_id = ? ORDER BY id "
	    "DESC "
	    "LIMIT 200",
	    "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
		tp_json_add_str(o, "period", tp_rows_get(rs, i, 1));
		tp_json_add_str(o, "status", tp_rows_get(rs, i, 2));
		tp_json_add_str(o, "status_label",
		                cms_state_label(tp_rows_get(rs, i, 2)));
		tp_json_add_str(o, "started", tp_rows_get(rs, i, 3));
		tp_json_add_str(o, "finished", tp_rows_get(rs, i, 4));
		/* for people: in the viewer's zone (the API's stay UTC) */
		tp_json_add_str(o, "started_text",
		                tp_time_text(r, tp_rows_get(rs, i, 3), 0));
		tp_json_add_str(o, "finished_text",
		                tp_time_text(r, tp_rows_get(rs, i, 4), 0));
		tp_json_add_i64(o, "lines", tp_rows_i64(rs, i, 5));
		json_object_array_add(list, o);
	}
	json_object_object_add(v, "runs", list);
	const char *p = tp_form(r, "period");
	tp_json_add_str(v, "form_period", p && *p ? p : cms_last_period(r));
	tp_view_title(r, _("Commission runs"));
	return TP_OK;
}

tp_rc cms_runs_page(tp_req *r)
{
	return runs_view(r);
}

/* POST /commissions/runs {period}: the command's run, now */
tp_rc cms_run_post(tp_req *r)
{
	const char *period;
	char first[11], last[11];
	struct cms_run_result res;
	tp_rc rc = tp_field_text(r, "period", _("Period"), 7, 1, &period);
	if (rc == TP_OK && !cms_period(period, first, last))
		rc = tp_fail(r, TP_EINVAL, "period",
		             _("Period must be a month such as 2026-11"));
	if (rc == TP_OK)
		rc = cms_run_period(r, NULL, period, &res);
	if (rc != TP_OK) {
		if (rc == TP_EINVAL)
			runs_view(r);
		return rc;
	}
	json_object *d = json_object_new_object();
	tp_json_add_str(d, "period", period);
	tp_json_add_i64(d, "lines", res.lines);
	tp_audit_log(r, "commissions.run", "commission_run",
	             (int64_t)res.run_id, d);
	json_object *o = json_object_new_object();
	tp_json_add_i64(o, "id", (int64_t)res.run_id);
	tp_json_add_str(o, "period", period);
	tp_json_add_i64(o, "lines", res.lines);
	tp_json_add_i64(o, "cancelled", res.cancelled);
	tp_json_add_i64(o, "released", res.released);
	return tp_answer(r, o, "/commissions/runs", 201);
}
