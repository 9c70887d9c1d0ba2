/*
 * util.c -- small helpers the commissions module's pages share: rates in
 * the view, a rate a person typed, a period, the brand's settings (the
 * helpers every module's pages share are the core's: tp_json_add_*,
 * tp_param_id, tp_answer, tp_form_idem_key).
 */
#include "commissions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cms_add_rate(tp_req *r, json_object *o, const char *k, int64_t ppm)
{
	/* ppm of 1000000 is the percentage with four decimals: trailing
	 * zeros past two dropped (15.00, 7.25, 0.0125) */
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%lld.%04lld",
	                 (long long)(ppm / 10000), (long long)(ppm % 10000));
	while (n > 0 && buf[n - 1] == '0' && strchr(buf, '.') < buf + n - 3)
		buf[--n] = '\0';
	tp_json_add_str(o, k, buf);
	tp_json_add_i64(o, tp_printf(r, "%s_ppm", k), ppm);
}

tp_rc cms_rate_field(tp_req *r, const char *field, const char *label,
                     int64_t *ppm)
{
	const char *s;
	int64_t v;
	tp_rc rc = tp_field_text(r, field, label, 16, 1, &s);
	if (rc != TP_OK)
		return rc;
	/* the money parser reads up to four decimals: 15.5 % -> 155000 */
	if (tp_money_parse(s, &v) != TP_OK || v < 0)
		return tp_fail(
		    r, TP_EINVAL, field,
		    _("%s must be a percentage from 0 to 100 with at "
		      "most 4 decimals"),
		    label);
	if (v > 1000000)
		return tp_fail(r, TP_EINVAL, field,
		               _("%s cannot be over 100 %%"), label);
	*ppm = v;
	return TP_OK;
}

bool cms_period(const char *s, char first[11], char last[11])
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int y, m;
	char end;
	if (s == NULL || strlen(s) != 7 || s[4] != '-' ||
	    sscanf(s, "%4d-%2d%c", &y, &m, &end) != 2 || y < 2000 || y > 2999 ||
	    m < 1 || m > 12)
		return false;
	int d = mdays[m - 1] +
	        (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	snprintf(first, 11, "%04d-%02d-01", y, m);
	snprintf(last, 11, "%04d-%02d-%02d", y, m, d);
	return true;
}

tp_rc cms_settings_load(tp_req *r, struct cms_settings *s)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT hold_days, min_payout, cap_ppm, payout_provider FROM "
	    "commission_settings WHERE tenant_id = ?",
	    "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	/* the defaults of sql/001_commissions.sql */
	*s = (struct cms_settings){30, 500000, 0, "file"};
	if (tp_rows_count(rs) > 0) {
		s->hold_days = tp_rows_i64(rs, 0, 0);
		s->min_payout = tp_rows_i64(rs, 0, 1);
		s->cap_ppm = tp_rows_i64(rs, 0, 2);
		s->payout_provider = tp_rows_get(rs, 0, 3);
	}
	return TP_OK;
}

const char *cms_today(tp_req *r)
{
	/* the brand's day (its time zone), as the billing run counts */
	time_t t = (time_t)tp_brand_day(r) * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	return tp_printf(r, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	                 tm.tm_mday);
}

bool cms_date_ok(const char *s)
{
	int y, m, d;
	char end;
	char first[11], last[11];
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || d < 1)
		return false;
	char ym[8];
	snprintf(ym, sizeof(ym), "%04d-%02d", y, m);
	return cms_period(ym, first, last) && d <= atoi(last + 8);
}

uint64_t cms_user_id(tp_req *r)
{
	tp_who w;
	tp_who_get(r, &w);
	return w.user_id;
}

const char *cms_brand_ccy(tp_req *r)
{
	tp_rows *rs;
	/* a brand has no currency of its own: its partners' most common */
	if (tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT currency FROM partners WHERE tenant_id = ? "
	                "GROUP BY currency ORDER BY COUNT(*) DESC, currency "
	                "LIMIT 1",
	                "I", (int64_t)tp_tenant_id(r)) != TP_OK ||
	    tp_rows_count(rs) == 0)
		return "EUR";
	return tp_strdup(r, tp_rows_get(rs, 0, 0));
}

/* The language a mail to a partner is written in (issue 12): its first
 * active admin's (users.language), else the brand's (tenants.language);
 * -1 when neither names a language tierport has. */
int cms_partner_lang(tp_req *r, uint64_t partner)
{
	tp_rows *rs;
	if (tp_db_query(
	        tp_req_db(r), r, &rs,
	        "SELECT IFNULL((SELECT u.language FROM users u WHERE "
	        "u.partner_id = p.id AND u.kind = 'partner' ORDER BY "
	        "u.status = 'active' DESC, u.is_admin DESC, u.id LIMIT 1), "
	        "t.language) FROM partners p JOIN tenants t ON t.id = "
	        "p.tenant_id WHERE p.id = ? AND p.tenant_id = ?",
	        "II", (int64_t)partner, (int64_t)tp_tenant_id(r)) != TP_OK ||
	    tp_rows_count(rs) == 0)
		return -1;
	return tp_lang_find(tp_rows_get(rs, 0, 0));
}

/* The word a page shows for a stored state or kind ("approvable", "bank",
 * "residual"): the value itself in English, its translation in the
 * viewer's language. Only the values listed are looked up. */
static const char *const states[] = {
    /* TRANSLATORS: states of commission lines, payouts, requests, runs
     * and bank details, shown in tables */
    N_("pending"), N_("approvable"), N_("approved"), N_("held"), N_("declined"),
    N_("paid"), N_("cancelled"), N_("sending"), N_("failed"), N_("unknown"),
    N_("confirmed"), N_("replaced"), N_("open"), N_("refused"), N_("running"),
    N_("done"),
    /* TRANSLATORS: where a payout goes: a bank account or the partner's
     * prepaid balance */
    N_("bank"), N_("balance"),
    /* TRANSLATORS: bank account types */
    N_("checking"), N_("savings"),
    /* TRANSLATORS: kinds of commission rules and lines */
    N_("nrc"), N_("residual"), N_("usage"), N_("override"), N_("sales"),
    N_("payment"), N_("chargeback"),
    /* TRANSLATORS: what an override rule pays on */
    N_("commission"), N_("revenue"),
    /* TRANSLATORS: kinds of partners */
    N_("agent"), N_("sub-agent"), N_("distributor"), NULL};

const char *cms_state_label(const char *v)
{
	for (size_t i = 0; v != NULL && states[i] != NULL; i++)
		if (strcmp(states[i], v) == 0)
			return tp_tr(states[i]);
	return v;
}
