/*
 * summary.c -- the commission summary (TimelyBill's agent and sub-agent
 * view): customers, active and pending services with their recurring
 * amount, pending approval, pending payment, YTD revenue and
 * compensation, for the partner the viewer sees now (the switcher's) or
 * the whole brand (operators); and the partners' home panel of it.
 *
 * An aggregate, never a balance: it is computed from MariaDB and kept in
 * Redis per brand, partner and the brand's "commissions" generation, so
 * it says when it was computed ("as of"). The generation is bumped by
 * sql/004's trigger when a line changes status (an approval, a payment)
 * and by cms_summary_on_event for the events of lines earned or reversed,
 * payments, services, invoices and accounts; a fact no event names (a new
 * account) shows within CMS_SUMMARY_TTL. With Redis down every answer is
 * computed from MariaDB.
 */
#include "commissions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* seconds a computed summary may be served for at most */
#define CMS_SUMMARY_TTL 300
/* currencies one summary keeps apart (more: the rest are left out and
 * the page says so) */
#define CMS_SUMMARY_CCY 8

struct sums {
	char ccy[4];
	int64_t active_rec, pending_rec, approval, payment, ytd_rev, ytd_comp;
	int64_t approval_n, payment_n;
};

struct summary {
	struct sums c[CMS_SUMMARY_CCY];
	size_t n;
	bool truncated;
};

/* the currency's sums, added if new; NULL past CMS_SUMMARY_CCY */
static struct sums *sums_of(struct summary *s, const char *ccy)
{
	if (ccy == NULL)
		ccy = "";
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->c[i].ccy, ccy) == 0)
			return &s->c[i];
	if (s->n == CMS_SUMMARY_CCY) {
		s->truncated = true;
		return NULL;
	}
	struct sums *c = &s->c[s->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->ccy, sizeof(c->ccy), "%s", ccy);
	return c;
}

/* Each aggregate twice: over a partner's subtree (partner_tree, ancestor
 * = ?) and over the whole brand, so neither asks MariaDB for an OR. */
#define TREE_JOIN(col)                                                         \
	" JOIN partner_tree t ON t.descendant = " col " AND t.ancestor = ?"

static const char *const customers_sql[2] = {
    "SELECT COUNT(*) FROM accounts a" TREE_JOIN(
        "a.partner_id") " WHERE a.tenant_id = ? AND a.status <> 'closed'",
    "SELECT COUNT(*) FROM accounts a WHERE a.tenant_id = ? AND a.status "
    "<> 'closed'"};

#define SERVICES_COLS                                                          \
	"SELECT s.status, s.currency, s.bill_cycle, COUNT(*), "                \
	"SUM(s.periodic_charge) FROM services s"
#define SERVICES_WHERE                                                         \
	" WHERE s.tenant_id = ? AND s.status IN ('active', 'pending') GROUP "  \
	"BY s.status, s.currency, s.bill_cycle"
static const char *const services_sql[2] = {
    SERVICES_COLS TREE_JOIN("s.partner_id") SERVICES_WHERE,
    SERVICES_COLS SERVICES_WHERE};

/* a partner's compensation is its own lines (partner_id: the earner);
 * its sub-partners' are theirs */
#define LINES_COLS                                                             \
	"SELECT l.currency, "                                                  \
	"IFNULL(SUM(IF(l.status IN ('pending', 'approvable'), l.amount, "      \
	"0)), 0), SUM(l.status IN ('pending', 'approvable')), "                \
	"IFNULL(SUM(IF(l.status = 'approved', l.amount, 0)), 0), "             \
	"SUM(l.status = 'approved'), "                                         \
	"IFNULL(SUM(IF(l.earned_on >= ? AND l.earned_on <= ? AND l.status "    \
	"NOT IN ('declined', 'cancelled'), l.amount, 0)), 0) FROM "            \
	"commission_lines l WHERE l.tenant_id = ?"
static const char *const lines_sql[2] = {
    LINES_COLS " AND l.partner_id = ? GROUP BY l.currency",
    LINES_COLS " GROUP BY l.currency"};

/* revenue: what its customers were invoiced this year, net of tax and
 * of credit notes */
#define REVENUE_COLS                                                           \
	"SELECT i.currency, IFNULL(SUM(IF(i.kind = 'invoice', i.subtotal, "    \
	"-i.subtotal)), 0) FROM invoices i"
#define REVENUE_WHERE                                                          \
	" WHERE i.tenant_id = ? AND i.status = 'issued' AND i.issue_date >= "  \
	"? AND i.issue_date <= ? GROUP BY i.currency"
static const char *const revenue_sql[2] = {
    REVENUE_COLS TREE_JOIN("i.partner_id") REVENUE_WHERE,
    REVENUE_COLS REVENUE_WHERE};

/* a service's periodic charge as a monthly amount, rounded once */
static tp_rc monthly(int64_t charge, const char *cycle, const char *ccy,
                     int64_t *out)
{
	int64_t months = strcmp(cycle, "monthly") == 0     ? 1
	                 : strcmp(cycle, "quarterly") == 0 ? 3
	                 : strcmp(cycle, "yearly") == 0    ? 12
	                                                   : 0;
	*out = 0;
	return months == 0 ? TP_OK
	                   : tp_money_mul_div(charge, 1, months, ccy, out);
}

static void add_sums(tp_req *r, json_object *o, const struct sums *c)
{
	tp_json_add_str(o, "currency", c->ccy);
	tp_json_add_money(r, o, "active_recurring", c->active_rec, c->ccy);
	tp_json_add_money(r, o, "pending_recurring", c->pending_rec, c->ccy);
	tp_json_add_money(r, o, "pending_approval", c->approval, c->ccy);
	tp_json_add_i64(o, "pending_approval_lines", c->approval_n);
	tp_json_add_money(r, o, "pending_payment", c->payment, c->ccy);
	tp_json_add_i64(o, "pending_payment_lines", c->payment_n);
	tp_json_add_money(r, o, "ytd_revenue", c->ytd_rev, c->ccy);
	tp_json_add_money(r, o, "ytd_compensation", c->ytd_comp, c->ccy);
}

/* The summary of partner's subtree (0: the brand's), computed now. */
static tp_rc summary_compute(tp_req *r, uint64_t partner, json_object *o)
{
	tp_db *db = tp_req_db(r);
	int64_t T = (int64_t)tp_tenant_id(r), P = (int64_t)partner;
	int brand = partner == 0;
	const char *today = cms_today(r), *ccy;
	char year[11];
	struct summary s = {.n = 0};
	int64_t customers, active_n = 0, pending_n = 0;
	tp_rows *rs;
	tp_rc rc;

	snprintf(year, sizeof(year), "%.4s-01-01", today);
	if (brand) {
		ccy = cms_brand_ccy(r);
	} else {
		rc = tp_db_query(db, r, &rs,
		                 "SELECT currency, name FROM partners WHERE id "
		                 "= ? AND tenant_id = ?",
		                 "II", P, T);
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) == 0)
			return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
		ccy = tp_rows_get(rs, 0, 0);
		json_object *p = json_object_new_object();
		tp_json_add_i64(p, "id", P);
		tp_json_add_str(p, "name", tp_rows_get(rs, 0, 1));
		json_object_object_add(o, "partner", p);
	}
	/* the viewer's currency first, even when it has nothing yet */
	sums_of(&s, ccy);

	rc = brand ? tp_db_query(db, r, &rs, customers_sql[1], "I", T)
	           : tp_db_query(db, r, &rs, customers_sql[0], "II", P, T);
	if (rc != TP_OK)
		return rc;
	customers = tp_rows_i64(rs, 0, 0);

	rc = brand ? tp_db_query(db, r, &rs, services_sql[1], "I", T)
	           : tp_db_query(db, r, &rs, services_sql[0], "II", P, T);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		bool active = strcmp(tp_rows_get(rs, i, 0), "active") == 0;
		struct sums *c = sums_of(&s, tp_rows_get(rs, i, 1));
		int64_t m;
		*(active ? &active_n : &pending_n) += tp_rows_i64(rs, i, 3);
		if (c == NULL)
			continue;
		rc = monthly(tp_rows_i64(rs, i, 4), tp_rows_get(rs, i, 2),
		             c->ccy, &m);
		if (rc != TP_OK)
			return rc;
		*(active ? &c->active_rec : &c->pending_rec) += m;
	}

	rc = brand
	         ? tp_db_query(db, r, &rs, lines_sql[1], "ssI", year, today, T)
	         : tp_db_query(db, r, &rs, lines_sql[0], "ssII", year, today, T,
	                       P);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		struct sums *c = sums_of(&s, tp_rows_get(rs, i, 0));
		if (c == NULL)
			continue;
		c->approval += tp_rows_i64(rs, i, 1);
		c->approval_n += tp_rows_i64(rs, i, 2);
		c->payment += tp_rows_i64(rs, i, 3);
		c->payment_n += tp_rows_i64(rs, i, 4);
		c->ytd_comp += tp_rows_i64(rs, i, 5);
	}

	rc = brand ? tp_db_query(db, r, &rs, revenue_sql[1], "Iss", T, year,
	                         today)
	           : tp_db_query(db, r, &rs, revenue_sql[0], "IIss", P, T, year,
	                         today);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		struct sums *c = sums_of(&s, tp_rows_get(rs, i, 0));
		if (c != NULL)
			c->ytd_rev += tp_rows_i64(rs, i, 1);
	}

	time_t now = (time_t)tp_now();
	struct tm tm;
	char asof[32];
	gmtime_r(&now, &tm);
	strftime(asof, sizeof(asof), "%Y-%m-%d %H:%M:%S UTC", &tm);
	tp_json_add_i64(o, "computed_at", (int64_t)now);
	tp_json_add_str(o, "as_of", asof);
	tp_json_add_str(o, "year", tp_printf(r, "%.4s", today));
	tp_json_add_i64(o, "customers", customers);
	tp_json_add_i64(o, "active_services", active_n);
	tp_json_add_i64(o, "pending_services", pending_n);
	add_sums(r, o, &s.c[0]);
	json_object *others = json_object_new_array();
	for (size_t i = 1; i < s.n; i++) {
		json_object *c = json_object_new_object();
		add_sums(r, c, &s.c[i]);
		json_object_array_add(others, c);
	}
	json_object_object_add(o, "other_currencies", others);
	json_object_object_add(o, "currencies_left_out",
	                       json_object_new_boolean(s.truncated));
	return TP_OK;
}

/* The summary the viewer sees now into o: Redis's copy under the
 * brand's commissions generation, else computed (and kept). */
static tp_rc summary_fill(tp_req *r, json_object *o)
{
	uint64_t partner = tp_scope_partner_root(r), gen = 0;
	const char *source = "cache";
	char *val = NULL;
	size_t len = 0;
	json_object *kept = NULL;

	/* no partner and no operator: a customer's view (a partner viewing
	 * as one of its customers) has no commissions */
	if (partner == 0 && !tp_scope_is_operator(r))
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	tp_rc rc = tp_gen_get(r, "commissions", &gen);
	if (rc != TP_OK)
		return rc;
	const char *key =
	    tp_printf(r, "cms:summary:%llu:%llu:%llu",
	              (unsigned long long)tp_tenant_id(r),
	              (unsigned long long)partner, (unsigned long long)gen);
	tp_rc crc = tp_cache_get(r, key, &val, &len);
	if (crc == TP_OK && (kept = json_tokener_parse(val)) != NULL)
		tp_json_owned(r, kept);
	if (kept != NULL && json_object_is_type(kept, json_type_object)) {
		json_object_object_foreach(kept, k, v)
		    json_object_object_add(o, k, json_object_get(v));
	} else {
		source = "db";
		json_object *fresh = tp_json_owned(r, json_object_new_object());
		if ((rc = summary_compute(r, partner, fresh)) != TP_OK)
			return rc;
		if (crc != TP_EUNAVAIL) {
			const char *s = json_object_to_json_string_ext(
			    fresh, JSON_C_TO_STRING_PLAIN);
			tp_cache_set(r, key, s, strlen(s), CMS_SUMMARY_TTL);
		}
		json_object_object_foreach(fresh, k, v)
		    json_object_object_add(o, k, json_object_get(v));
	}
	tp_json_add_str(o, "source", source);
	return TP_OK;
}

tp_rc cms_summary_page(tp_req *r)
{
	json_object *v = tp_view(r);
	tp_rc rc = summary_fill(r, v);
	if (rc != TP_OK)
		return rc;
	json_object_object_add(
	    v, "is_operator", json_object_new_boolean(tp_scope_is_operator(r)));
	tp_view_title(r, _("Commission summary"));
	return TP_OK;
}

tp_rc cms_summary_panel(tp_req *r, json_object *panel)
{
	/* a partner's own numbers; a partner viewing as a customer has none */
	if (tp_scope_partner_root(r) == 0)
		return TP_DECLINED;
	return summary_fill(r, panel);
}

/* Lines earned or reversed, payments, services, invoices, accounts and
 * moved partners change some summary of the brand: a new generation, in
 * the delivery's transaction, so no copy kept before it is served again.
 */
tp_rc cms_summary_on_event(tp_req *ctx, const tp_event_msg *ev)
{
	(void)ev;
	return tp_gen_bump(ctx, "commissions");
}
