/*
 * payout.h -- paying partners (docs/commissions.md, "Disbursements and
 * payouts"): the payout provider interface, and what payout.c,
 * details.c and requests.c share.
 *
 * A payout provider is one file payout_NAME.c exporting a const struct
 * cms_payout_provider and a line in cms_payout_provider(). It is called
 * with no DB transaction of ours open (its books are its own: a rollback
 * here could not undo a payment made), once per disbursement, with the
 * disbursement's idem_key: a provider pays a key once however often it is
 * asked, and answers for it again later (lookup). A BILL.com provider
 * would be one more file: send is a POST over libcurl with the key as its
 * idempotency key, lookup a GET by the key; a timeout is CMS_PO_UNKNOWN.
 */
#ifndef COMMISSIONS_PAYOUT_H
#define COMMISSIONS_PAYOUT_H

#include "commissions.h"

enum cms_po_result {
	CMS_PO_PAID = 1, /* reference says where (a transfer id, a file) */
	CMS_PO_FAILED,   /* nothing was paid; reason says why */
	CMS_PO_UNKNOWN,  /* no answer: it may or may not be paid */
};

/* One payout: a disbursement to a partner's confirmed bank account. The
 * account number is opened from the key store for this call only and
 * wiped after. */
struct cms_payout {
	const char *key; /* the disbursement's idem_key: paid once, ever */
	uint64_t disbursement_id;
	const char *number; /* "D-000001" */
	uint64_t partner_id;
	const char *partner_name;
	int64_t amount; /* > 0, ten-thousandths */
	const char *ccy;
	int64_t lines;
	const char *holder, *routing, *account_type; /* checking|savings */
	const char *account_number;
};

struct cms_po_answer {
	enum cms_po_result result;
	char reference[128];
	char reason[192];
};

struct cms_payout_provider {
	const char *name;
	/* pays p; the answer in *a */
	tp_rc (*send)(tp_req *r, const struct cms_payout *p,
	              struct cms_po_answer *a);
	/* a payout run's n payouts at once under the run's name (the file
	 * provider: one file), a[i] answering p[i]; NULL: send each */
	tp_rc (*send_run)(tp_req *r, const char *run,
	                  const struct cms_payout *p, size_t n,
	                  struct cms_po_answer *a);
	/* what became of key: PAID, FAILED (a key never received is FAILED:
	 * nothing was paid), or UNKNOWN (the provider cannot say now) */
	tp_rc (*lookup)(tp_req *r, const char *key, struct cms_po_answer *a);
};

/* payout_file.c: a NACHA-style ACH file and a CSV remittance advice per
 * run, under [module.commissions] payout_dir; answers paid with the file
 * name as reference. */
extern const struct cms_payout_provider cms_po_file;
/* payout_test.c: by the last four digits of the partner's bank account
 * number: 0000 fails ("the bank refused the credit"), 9999 is paid but
 * the answer is lost (unknown; lookup says paid), anything else is paid.
 * Moves no money anywhere. */
extern const struct cms_payout_provider cms_po_test;
/* by its name (commission_settings.payout_provider), NULL if none */
const struct cms_payout_provider *cms_payout_provider(const char *name);

/* the built-in providers' books (commission_payout_books), written at
 * once: get answers what key got (TP_ENOENT: never seen, *a then FAILED
 * "never reached the provider") */
tp_rc cms_po_books_get(tp_req *r, const char *provider, const char *key,
                       struct cms_po_answer *a);
tp_rc cms_po_books_put(tp_req *r, const char *provider,
                       const struct cms_payout *p,
                       const struct cms_po_answer *a);

/* the directory payout files go to ([module.commissions] payout_dir) */
const char *cms_payout_dir(void);

/* payout.c: disbursements ----------------------------------------- */

/* What a new disbursement pays: the partner's approved lines in no
 * disbursement (or only those of `lines`, n of them, when n > 0). */
struct cms_disb_in {
	uint64_t partner;
	const char *description, *reference, *comments;
	const char *destination; /* "bank" or "balance" */
	const char *idem_key;    /* the disbursement's, deterministic */
	uint64_t request_id, run_id;
	const int64_t *lines;
	size_t n;
};
/* In the caller's open transaction: locks and gathers the lines, checks
 * the minimum (a 400 naming `partner` with the amounts) and the bank
 * details (destination bank: confirmed ones, else a 400), takes the next
 * number and writes the disbursement 'sending' with its lines. *id: the
 * new disbursement. */
tp_rc cms_disb_make(tp_req *r, const struct cms_disb_in *in, uint64_t *id);
/* Outside any transaction: sends disbursement id to the brand's provider
 * and writes the answer in a transaction of its own. *status: its status
 * after ("paid", "failed", "unknown", or "sending" if the answer could
 * not be written). */
tp_rc cms_disb_send(tp_req *r, uint64_t id, const char **status);
/* In the caller's open transaction: pays disbursement id (lines 'paid',
 * the ledger, commission.paid) -- the provider's answer "paid", or a
 * withdrawal to the partner's balance at once. */
tp_rc cms_disb_paid(tp_req *r, uint64_t id, const char *reference);
/* a disbursement's idem_key from a user action's key (up to 128
 * characters, so hashed: "PREFIX:SHA256HEX", and ":N" when n > 0) */
const char *cms_disb_key(tp_req *r, const char *prefix, const char *key,
                         uint64_t n);
/* a disbursement-making action's result kept under its key (its id), in
 * the open transaction; and the id back from a retry's replay */
tp_rc cms_disb_idem_end(tp_req *r, uint64_t id);
uint64_t cms_disb_replayed(json_object *replay);
/* a disbursement's state as an action's answer (a new object) */
json_object *cms_disb_json(tp_req *r, uint64_t id);

/* details.c: payout bank details ---------------------------------- */

/* the partner's newest confirmed details, 0 if none */
tp_rc cms_details_confirmed(tp_req *r, uint64_t partner, uint64_t *id);
/* For commands and the demo (no page, no mail), in the caller's open
 * transaction: the partner's details, confirmed at once, the number
 * sealed (routing: nine digits with a valid check digit; number: 4 to 17
 * digits; else TP_EINVAL). *id: the new row. */
tp_rc cms_details_set(tp_req *r, uint64_t partner, const char *holder,
                      const char *routing, const char *number,
                      const char *account_type, uint64_t *id);

#endif /* COMMISSIONS_PAYOUT_H */
