/*
 * payout_test.c -- the built-in test payout provider (payout.h): pays,
 * fails or loses the answer by the last four digits of the partner's bank
 * account number, like the payments test gateway's tok_decline and
 * tok_timeout:
 *   ...0000  failed: "the bank refused the credit"
 *   ...9999  paid, but the answer is lost (unknown); lookup says paid
 *   else     paid
 * It remembers each key in commission_payout_books, committed at once
 * like a real provider's own books, so a key is paid once however often
 * it is sent. Never a real transfer: it moves no money anywhere.
 */
#include "payout.h"

#include <stdio.h>
#include <string.h>

static bool ends(const char *s, const char *tail)
{
	size_t n = s ? strlen(s) : 0, t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* what the test provider does with p the first time it sees its key */
static tp_rc pot_first(tp_req *r, const struct cms_payout *p,
                       struct cms_po_answer *a)
{
	memset(a, 0, sizeof(*a));
	/* the reference is the provider's: made from the key, never from a
	 * bank number */
	unsigned h = 5381;
	for (const char *s = p->key; *s; s++)
		h = h * 33u + (unsigned char)*s;
	snprintf(a->reference, sizeof(a->reference), "pot_%08x", h);
	if (ends(p->account_number, "0000")) {
		a->result = CMS_PO_FAILED;
		snprintf(a->reason, sizeof(a->reason),
		         "the bank refused the credit");
	} else {
		a->result = CMS_PO_PAID;
	}
	return cms_po_books_put(r, "test", p, a);
}

static tp_rc pot_pay(tp_req *r, const struct cms_payout *p,
                     struct cms_po_answer *a)
{
	tp_rc rc = cms_po_books_get(r, "test", p->key, a);
	/* seen before: its first answer stands */
	if (rc != TP_ENOENT)
		return rc;
	if ((rc = pot_first(r, p, a)) != TP_OK)
		return rc;
	/* made, but the answer is lost on the way back */
	if (a->result == CMS_PO_PAID && ends(p->account_number, "9999"))
		a->result = CMS_PO_UNKNOWN;
	return TP_OK;
}

static tp_rc pot_lookup(tp_req *r, const char *key, struct cms_po_answer *a)
{
	tp_rc rc = cms_po_books_get(r, "test", key, a);
	return rc == TP_ENOENT ? TP_OK : rc;
}

const struct cms_payout_provider cms_po_test = {
    .name = "test", .send = pot_pay, .send_run = NULL, .lookup = pot_lookup};
