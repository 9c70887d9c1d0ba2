/*
 * gw_test.c -- the built-in test gateway (gateway.h): approves, declines
 * or times out by card token, and remembers each charge by its key in
 * gw_test_charges, committed at once like a real gateway's own books, so
 * a charge asked twice is made once and a lost answer can be asked for
 * again. Never a real card: it moves no money anywhere.
 */
#include "gateway.h"

#include <stdio.h>
#include <string.h>

static bool starts(const char *s, const char *p)
{
	return s != NULL && strncmp(s, p, strlen(p)) == 0;
}

/* what the gateway remembers under key: 0 none, else the result */
static tp_rc remembered(tp_req *r, const char *key, struct inv_gw_answer *a)
{
	tp_rows *rs;
	memset(a, 0, sizeof(*a));
	a->result = INV_GW_UNKNOWN;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT result, reference FROM gw_test_charges "
	                       "WHERE tenant_id = ? AND idem_key = ?",
	                       "Is", (int64_t)tp_tenant_id(r), key);
	if (rc != TP_OK || tp_rows_count(rs) == 0)
		return rc;
	a->result = strcmp(tp_rows_get(rs, 0, 0), "approved") == 0
	                ? INV_GW_APPROVED
	                : INV_GW_DECLINED;
	snprintf(a->reference, sizeof(a->reference), "%s",
	         tp_rows_get(rs, 0, 1));
	if (a->result == INV_GW_DECLINED)
		snprintf(a->reason, sizeof(a->reason),
		         "the card was declined by its bank");
	return TP_OK;
}

static tp_rc remember(tp_req *r, const char *key, const char *kind,
                      const char *token, int64_t amount, const char *ccy,
                      bool approved, struct inv_gw_answer *a)
{
	/* the reference is the gateway's: made from the key, never from a
	 * card or bank number */
	unsigned h = 5381;
	for (const char *p = key; *p; p++)
		h = h * 33u + (unsigned char)*p;
	snprintf(a->reference, sizeof(a->reference), "gwt_%s_%08x",
	         strcmp(kind, "refund") == 0 ? "re" : "ch", h);
	a->result = approved ? INV_GW_APPROVED : INV_GW_DECLINED;
	/* ON DUPLICATE: asked twice, the first answer stands */
	return tp_db_exec_idem(
	    tp_req_db(r), NULL,
	    "INSERT INTO gw_test_charges (tenant_id, idem_key, kind, token, "
	    "amount, currency, result, reference) VALUES (?, ?, ?, ?, ?, ?, "
	    "?, ?) ON DUPLICATE KEY UPDATE idem_key = idem_key",
	    "IsssIsss", (int64_t)tp_tenant_id(r), key, kind, token, amount, ccy,
	    approved ? "approved" : "declined", a->reference);
}

static tp_rc gwt_charge(tp_req *r, const struct inv_gw_charge *c,
                        struct inv_gw_answer *a)
{
	tp_rc rc = remembered(r, c->key, a);
	if (rc != TP_OK || a->result != INV_GW_UNKNOWN)
		return rc;
	bool ach = strcmp(c->kind, "ach") == 0;
	const char *num = c->account_number ? c->account_number : "";
	size_t n = strlen(num);
	bool declined = ach ? n >= 4 && strcmp(num + n - 4, "0000") == 0
	                    : starts(c->token, "tok_decline");
	rc = remember(r, c->key, "charge",
	              ach ? "ach" : (c->token ? c->token : ""), c->amount,
	              c->ccy, !declined, a);
	if (rc != TP_OK)
		return rc;
	if (declined)
		snprintf(a->reason, sizeof(a->reason), "%s",
		         ach ? "the bank refused the debit"
		             : "the card was declined by its bank");
	/* made, but the answer is lost on the way back */
	if (!ach && starts(c->token, "tok_timeout"))
		a->result = INV_GW_TIMEOUT;
	return TP_OK;
}

static tp_rc gwt_lookup(tp_req *r, const char *key, struct inv_gw_answer *a)
{
	return remembered(r, key, a);
}

static tp_rc gwt_refund(tp_req *r, const char *key, const char *charge_key,
                        int64_t amount, const char *ccy,
                        struct inv_gw_answer *a)
{
	struct inv_gw_answer ch;
	tp_rc rc = remembered(r, charge_key, &ch);
	if (rc != TP_OK)
		return rc;
	if (ch.result != INV_GW_APPROVED) {
		a->result = INV_GW_DECLINED;
		snprintf(a->reason, sizeof(a->reason),
		         "the gateway has no such charge");
		return TP_OK;
	}
	if ((rc = remembered(r, key, a)) != TP_OK ||
	    a->result != INV_GW_UNKNOWN)
		return rc;
	return remember(r, key, "refund", ch.reference, amount, ccy, true, a);
}

const struct inv_gateway inv_gw_test = {.name = "test",
                                        .charge = gwt_charge,
                                        .lookup = gwt_lookup,
                                        .refund = gwt_refund};

const struct inv_gateway *inv_gateway(tp_req *r)
{
	(void)r;
	return &inv_gw_test;
}
