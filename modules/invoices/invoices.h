/*
 * invoices.h -- what the invoices module's files share. The module
 * includes core/tierport.h and nothing else from core (docs/modules.md).
 */
#ifndef INVOICES_H
#define INVOICES_H

#include "tierport.h"

#include <stdbool.h>

/* days since 1970-01-01 <-> "YYYY-MM-DD" (the proleptic Gregorian
 * calendar; billing dates are whole days in UTC) */
int64_t inv_days(int y, int m, int d);
void inv_civil(int64_t days, int *y, int *m, int *d);
char *inv_date(tp_req *r, int64_t days);
/* "YYYY-MM-DD" -> days; false if not a calendar date */
bool inv_parse_date(const char *s, int64_t *days);
/* the cycle of bill day bd (1..28) that contains day: [*start, *end] */
void inv_cycle(int64_t day, int bd, int64_t *start, int64_t *end);

/* run.c: one account's invoice for the cycle [ps, pe] (days), in ctx's
 * open transaction; *lines gets the lines written (0: nothing to bill,
 * no invoice). run_id may be 0 (a command's run). */
tp_rc inv_bill_account(tp_req *ctx, uint64_t account, int64_t ps, int64_t pe,
                       uint64_t run_id, unsigned *lines);
/* Bills every account of ctx's brand whose cycle starts on ps, in batches
 * of a transaction each, after account id *after (updated as it goes;
 * run may be NULL: no checkpoints). */
tp_rc inv_bill_cycle(tp_req *ctx, tp_job_run *run, int64_t ps, uint64_t *after,
                     unsigned *invoices, unsigned *lines);
/* the job and the command */
tp_rc inv_job_run(tp_req *ctx, tp_job_run *run);
int inv_cmd_run(tp_req *ctx, int argc, char **argv);

/* credit.c: a credit note against an issued invoice, in ctx/r's open
 * transaction: amount (positive, at most what is left to credit) taken
 * off the invoice's lines in proportion, with their tax */
tp_rc inv_credit_note(tp_req *r, uint64_t invoice, int64_t amount,
                      const char *reason, const char *idem_key, uint64_t *note);

/* collect.c: collections (reminders, late fees, suspension for
 * non-payment and its restore), each step once per invoice */
struct inv_collect_counts {
	unsigned reminders, late_fees, suspended, restored;
};
/* every account of ctx's brand after account *after (updated as it goes;
 * run may be NULL: no checkpoints), a transaction each */
tp_rc inv_collect_brand(tp_req *ctx, tp_job_run *run, uint64_t *after,
                        struct inv_collect_counts *c);
tp_rc inv_collect_job(tp_req *ctx, tp_job_run *run);
/* an account's services suspended for reason (every active one), or
 * restored (those suspended for reason; their history says back), each
 * with its history row and event, in the caller's transaction */
tp_rc inv_services_move(tp_req *ctx, int64_t account, int64_t partner,
                        bool suspend, const char *reason, const char *back,
                        int64_t today, unsigned *n);
int inv_collect_cmd(tp_req *ctx, int argc, char **argv);
/* a credit or write-off of amount paid to the account's open invoices,
 * oldest due first, in the caller's transaction */
tp_rc inv_allocate(tp_req *r, uint64_t account, int64_t amount);

/* dispute.c: a customer's dispute of an invoice line (held out of
 * collections), an operator's decision (accept: a credit note) */
tp_rc inv_disputes_page(tp_req *r);
tp_rc inv_dispute_post(tp_req *r);
tp_rc inv_dispute_decide(tp_req *r);

/* credit.c: posts money_adjustments row id (a credit, debit or
 * write-off decided) to the ledger, in the caller's transaction */
tp_rc inv_adjust_ledger(tp_req *r, int64_t id);

/* demo.c: `tierportctl invoices demo`: the demo brand's payments and
 * credit note (tierportctl demo drives it through its timeline) */
int inv_demo_cmd(tp_req *ctx, int argc, char **argv);

/* cycle.c: GET /billing/cycle?invoice=ID, the drop-down's redirect */
tp_rc inv_cycle_choose(tp_req *r);

/* credit.c: an amount a person typed in ccy (field "amount"): more than
 * zero, no more decimals than the currency has; else the 400 */
tp_rc inv_amount_field(tp_req *r, const char *s, const char *ccy, int64_t *out);

/* the next number of a series, in the caller's transaction (gapless) */
tp_rc inv_next_number(tp_req *r, const char *series, uint64_t *seq,
                      const char **number);

/* pages.c */
tp_rc inv_statements(tp_req *r);
tp_rc inv_invoice_page(tp_req *r);
tp_rc inv_invoice_pdf(tp_req *r);
tp_rc inv_invoice_cdrs(tp_req *r);
tp_rc inv_transactions(tp_req *r);
tp_rc inv_summary(tp_req *r);
tp_rc inv_delivery_post(tp_req *r);
tp_rc inv_panel_home(tp_req *r, json_object *panel);
tp_rc inv_partner_history(tp_req *r);
tp_rc inv_credit_form(tp_req *r);
tp_rc inv_credit_post(tp_req *r);
tp_rc inv_adjust_form(tp_req *r);
tp_rc inv_adjust_post(tp_req *r);
tp_rc inv_adjust_approve(tp_req *r);
tp_rc inv_charge_post(tp_req *r);
extern const tp_grid inv_history_grid;

/* settings.c: the brand's billing settings and tax rates (operators) */
tp_rc inv_settings_page(tp_req *r);
tp_rc inv_settings_post(tp_req *r);
tp_rc inv_tax_rate_add(tp_req *r);
tp_rc inv_tax_rate_active(tp_req *r);

/* pdf.c: the invoice as a branded PDF, streamed; the init hook reads
 * [module.invoices] static_dir, where the brand's logo is found */
tp_rc inv_pdf_stream(tp_req *r, uint64_t invoice);
tp_rc inv_pdf_init(tp_core *core);
/* UTF-8 -> the Windows-1252 of libharu's Helvetica, in r's arena */
char *inv_winansi(tp_req *r, const char *s);
/* lang.c: the language (tp_lang_find's index, -1: none) a document or
 * mail for an account or a partner is written in; inv_lang_enter makes it
 * the thread's and returns the one to put back with tp_i18n_use. */
int inv_account_lang(tp_req *r, int64_t account);
int inv_partner_lang(tp_req *r, int64_t partner);
int inv_lang_enter(int lang);
/* a stored state ("settled", "open") as the page shows it: translated */
const char *inv_state_label(const char *v);

/* pay.c: one settled payment into a customer's account, in the caller's
 * open transaction: the payments row, its ledger transaction (debit
 * p->debit -- "cash", "gateway.clearing", or "partner.receivable" of
 * p->recorded_by -- credit the account's receivable/prepaid: "customer"),
 * its allocation to open invoices (p->invoice first when not 0, then
 * oldest due first, as inv_allocate), and the "payment.recorded" event. */
struct inv_payment {
	uint64_t account;      /* the customer's account (scope checked) */
	uint64_t invoice;      /* 0: against the balance */
	int64_t amount;        /* > 0, ten-thousandths of ccy */
	const char *ccy;       /* the account's currency */
	const char *method;    /* "card", "ach", "cash", "transfer" */
	uint64_t method_id;    /* payment_methods.id, or 0 */
	uint64_t recorded_by;  /* the partner that took it (cash), or 0 */
	const char *debit;     /* the ledger account debited */
	const char *reference; /* gateway or receipt reference, or NULL */
	const char *idem_key;  /* the ledger transaction's key */
};
tp_rc inv_payment_record(tp_req *r, const struct inv_payment *p, uint64_t *id);
/* pay.c: the two halves of inv_payment_record, for a payment the gateway
 * answers later: the row alone, status 'pending' (p checked the same
 * way; source "customer", "autopay", "partner", "operator"), and its
 * settling (ledger, allocation, receipt number, event; reference, if not
 * NULL, the gateway's). Settling a settled payment does nothing. */
tp_rc inv_pay_insert(tp_req *r, const struct inv_payment *p, const char *source,
                     uint64_t *id);
tp_rc inv_pay_settle(tp_req *r, uint64_t id, const char *reference);

/* funds.c: a partner's balance and credit (docs/money.md, "Partners'
 * balances"): balance > 0 is what it owes the provider, < 0 its prepaid
 * funds */
struct inv_partner_credit {
	uint64_t id;
	const char *name, *ccy, *warning_kind, *email;
	int64_t balance, limit, warning_amount, warning_ppm;
	bool warned;
};
tp_rc inv_partner_load(tp_req *r, uint64_t partner, bool lock,
                       struct inv_partner_credit *p);
/* the balance past which the partner is warned; false: no warning */
bool inv_partner_threshold(const struct inv_partner_credit *p, int64_t *thr);
/* "you owe the provider 12.00 EUR", "prepaid funds 40.00 EUR" */
const char *inv_partner_words(tp_req *r, int64_t balance, const char *ccy,
                              bool own);
/* In the caller's transaction, before posting amount that needs the
 * partner's credit: locks its row; past its credit limit, the 400 on
 * field that says why */
tp_rc inv_partner_credit_need(tp_req *r, uint64_t partner, int64_t amount,
                              const char *field);
/* In the caller's transaction, after the partner's balance moved: one
 * mail per crossing of the warning threshold (state on the row) */
tp_rc inv_partner_credit_watch(tp_req *r, uint64_t partner);
tp_rc inv_credit_watch_brand(tp_req *ctx, unsigned *warned);
tp_rc inv_credit_watch_job(tp_req *ctx, tp_job_run *run);
tp_rc inv_funds_page(tp_req *r);
tp_rc inv_funds_panel(tp_req *r, json_object *panel);
tp_rc inv_partner_credit_page(tp_req *r);
tp_rc inv_partner_credit_post(tp_req *r);
tp_rc inv_refill_post(tp_req *r);
tp_rc inv_transfer_post(tp_req *r);
tp_rc inv_funds_customers(tp_req *r);
tp_rc inv_funds_refills(tp_req *r);
tp_rc inv_funds_transfers(tp_req *r);
tp_rc inv_funds_partners(tp_req *r);
extern const tp_grid inv_funds_customers_grid, inv_funds_refills_grid,
    inv_funds_transfers_grid, inv_funds_partners_grid;

/* funds.c: a refill of the partner's funds (account 0) or a transfer
 * from them to account (within its funds and credit), in the caller's
 * transaction; *id the partner_funds row */
tp_rc inv_funds_record(tp_req *r, uint64_t partner, uint64_t account,
                       int64_t amount, const char *reference, uint64_t *id);

/* cash.c: a partner's cash payment for a customer in its subtree, in the
 * caller's transaction: within its credit limit, a payment by
 * inv_payment_record charged to the partner, the warning watched */
tp_rc inv_cash_record(tp_req *r, uint64_t partner, uint64_t account,
                      int64_t amount, const char *ccy, const char *reference,
                      const char *idem_key, uint64_t *id);
tp_rc inv_cash_post(tp_req *r);
/* cash.c: `tierportctl invoices partner_demo --brand SLUG`: the demo
 * brand's partner credit, refills, transfers and cash payments */
int inv_partner_demo_cmd(tp_req *ctx, int argc, char **argv);

/* preports.c: the partner's payment reports (grids) */
tp_rc inv_own_payments(tp_req *r);
tp_rc inv_customer_payments(tp_req *r);
tp_rc inv_payment_log(tp_req *r);
extern const tp_grid inv_own_payments_grid, inv_customer_payments_grid,
    inv_payment_log_grid;

#endif /* INVOICES_H */
