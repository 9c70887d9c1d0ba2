/*
 * gateway.h -- what the payments code asks of a payment gateway: a
 * charge, the answer to a charge asked again, a refund. A gateway is a
 * struct of function pointers; a real one is one more file like
 * gw_test.c and a line in inv_gateway(). Every call carries the charge's
 * key, and a gateway charges a key once however often it is asked: that
 * is what keeps a timed-out payment from being charged twice.
 */
#ifndef INVOICES_GATEWAY_H
#define INVOICES_GATEWAY_H

#include "invoices.h"

enum inv_gw_result {
	INV_GW_APPROVED = 1,
	INV_GW_DECLINED,
	INV_GW_TIMEOUT, /* no answer: the charge may or may not be made */
	INV_GW_UNKNOWN, /* lookup: the gateway never saw the key */
};

/* What is charged: a card by the gateway's token, or a bank account by
 * its routing and number (opened from the key store for this call only,
 * wiped after). */
struct inv_gw_charge {
	const char *key; /* one charge per key, ever */
	const char *kind; /* "card", "ach" */
	const char *token;
	const char *routing, *account_number;
	int64_t amount;
	const char *ccy;
};

struct inv_gw_answer {
	enum inv_gw_result result;
	char reference[64]; /* the gateway's id of the charge or refund */
	char reason[128];   /* a decline's, for people */
};

struct inv_gateway {
	const char *name;
	/* the charge in its own transaction on the gateway's side (never
	 * inside one of ours: a rollback here cannot undo it) */
	tp_rc (*charge)(tp_req *r, const struct inv_gw_charge *c,
	                struct inv_gw_answer *a);
	/* what became of the charge under key: APPROVED, DECLINED, or
	 * UNKNOWN (never made) */
	tp_rc (*lookup)(tp_req *r, const char *key, struct inv_gw_answer *a);
	/* amount back to the charge under charge_key, itself under key */
	tp_rc (*refund)(tp_req *r, const char *key, const char *charge_key,
	                int64_t amount, const char *ccy,
	                struct inv_gw_answer *a);
};

/* gw_test.c: the built-in test gateway. Card tokens say what it does:
 * tok_decline... declines, tok_timeout... charges but never answers
 * (lookup says approved), anything else approves; a bank account whose
 * number ends in 0000 is declined. */
extern const struct inv_gateway inv_gw_test;

/* the brand's gateway (the test gateway until a real one is configured) */
const struct inv_gateway *inv_gateway(tp_req *r);

#endif /* INVOICES_GATEWAY_H */
