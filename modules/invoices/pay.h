/*
 * pay.h -- what the payments files (pay.c, methods.c, receipt.c,
 * autopay.c) share, private to them: the brand's payment rules, the
 * account a payments page is about, a method's masked label, and the
 * steps of a gateway payment. invoices.h holds what the rest of the
 * module (and the partner code) may call.
 */
#ifndef INVOICES_PAY_H
#define INVOICES_PAY_H

#include "gateway.h"

/* a brand's payment_settings (the defaults without a row) */
struct pay_rules {
	bool can_delete_methods, can_leave_autopay, block_prepaid_at_zero;
	int dunning[8]; /* days after the first decline a retry is due */
	unsigned n_dunning;
};
tp_rc pay_rules_get(tp_req *r, struct pay_rules *out);
/* autopay.c: the brand's prepaid accounts at zero blocked (their services
 * suspended, reason prepaid_empty) or, with funds again, restored */
tp_rc pay_prepaid_block(tp_req *ctx, unsigned *blocked, unsigned *restored);

/* methods.c: the account of a payments page or action: the path's
 * {account}, else the customer's own; its page's base path ("/billing"
 * or "/accounts/ID") */
int64_t pay_account(tp_req *r);
const char *pay_base(tp_req *r, int64_t account);
/* "Visa •••• 4242 (12/2028)", "Bank •••• 6789" */
const char *pay_method_label(tp_req *r, const char *kind, const char *brand,
                             const char *last4, const char *month,
                             const char *year);

/* pay.c: asks the gateway for payment id (a 'pending' row committed by
 * inv_pay_insert, debit "gateway.clearing", its method_id an active
 * method) outside any transaction, then writes its answer in one:
 * settled (with the receipt mail), declined, or unknown on a timeout.
 * No transaction may be open. *status is the payment's after. */
tp_rc pay_charge(tp_req *r, uint64_t id, const char **status);
/* pay.c: the gateway's answer for a payment that is pending or unknown,
 * in the caller's transaction */
tp_rc pay_answer(tp_req *r, uint64_t id, const struct inv_gw_answer *a);
/* pay.c: payments left unknown for min_age seconds (or pending for two
 * minutes) asked again */
tp_rc pay_resolve_brand(tp_req *ctx, int64_t min_age, unsigned *settled,
                        unsigned *declined, unsigned *still);

/* receipt.c: the receipt mail of a settled payment, in the caller's
 * transaction */
tp_rc pay_receipt_mail(tp_req *r, uint64_t id);

/* autopay.c: dunning starts over (a new card, autopay changed) */
tp_rc pay_dunning_reset(tp_req *r, uint64_t account);

/* the handlers and the jobs (invoices.c's tables) */
tp_rc pay_page(tp_req *r);
tp_rc pay_again(tp_req *r, tp_rc rc, int64_t account);
tp_rc pay_post(tp_req *r);
tp_rc pay_method_add(tp_req *r);
tp_rc pay_method_remove(tp_req *r);
tp_rc pay_autopay_post(tp_req *r);
tp_rc pay_low_balance_post(tp_req *r);
tp_rc pay_ach_authorise(tp_req *r);
tp_rc pay_rules_page(tp_req *r);
tp_rc pay_rules_post(tp_req *r);
tp_rc pay_receipt_page(tp_req *r);
tp_rc pay_receipt_pdf(tp_req *r);
tp_rc pay_refund_post(tp_req *r);
tp_rc pay_resolve_job(tp_req *ctx, tp_job_run *run);
int pay_resolve_cmd(tp_req *ctx, int argc, char **argv);
tp_rc pay_autopay_job(tp_req *ctx, tp_job_run *run);
int pay_autopay_cmd(tp_req *ctx, int argc, char **argv);
tp_rc pay_fixture_method(tp_req *ctx, uint64_t partner_id, uint64_t account_id,
                         int64_t *id);
tp_rc pay_fixture_payment(tp_req *ctx, uint64_t partner_id, uint64_t account_id,
                          int64_t *id);

#endif /* INVOICES_PAY_H */
