/*
 * commissions.h -- what the commissions module's files share. The module
 * includes core/tierport.h and nothing else from core (docs/modules.md);
 * it reads the invoices module's payments and invoice lines (its plan
 * needs both modules) and posts to the core ledger (docs/money.md).
 *
 * Files: commissions.c the descriptor; util.c small helpers; plans.c
 * plans, rules, assignments, settings (operators); instant.c the
 * PortaBilling distributor commissions posted at the event; run.c the
 * period run (lines, overrides, chargebacks, the hold); approve.c and
 * pages.c the partner and operator pages; payout.c, payout_*.c
 * disbursements and payout providers. docs/commissions.md is the map.
 */
#ifndef COMMISSIONS_H
#define COMMISSIONS_H

#include "tierport.h"

#include <stdbool.h>

/* util.c ------------------------------------------------------------ */

/* a rate twice: K_ppm (150000) and K ("15.00 %" style "15.00") */
void cms_add_rate(tp_req *r, json_object *o, const char *k, int64_t ppm);
/* a percentage a person typed ("15", "7.25", up to 4 decimals) -> ppm,
 * 0..1000000; else the 400 on field */
tp_rc cms_rate_field(tp_req *r, const char *field, const char *label,
                     int64_t *ppm);
/* "YYYY-MM" -> first and last day ("2026-11-01", "2026-11-30"), false if
 * not a month */
bool cms_period(const char *s, char first[11], char last[11]);

/* today in UTC by tp_now() (tests move the clock), "YYYY-MM-DD" */
const char *cms_today(tp_req *r);
/* a calendar date "YYYY-MM-DD" */
bool cms_date_ok(const char *s);

/* who is signed in (0: a job or command) */
uint64_t cms_user_id(tp_req *r);
/* the brand's main currency: its partners' most common, else EUR */
const char *cms_brand_ccy(tp_req *r);
/* the language (tp_lang_find) of a mail to the partner: util.c */
int cms_partner_lang(tp_req *r, uint64_t partner);
/* a stored state or kind as a page shows it, translated: util.c */
const char *cms_state_label(const char *v);

/* the brand's settings (defaults when it has none) */
struct cms_settings {
	int64_t hold_days, min_payout, cap_ppm;
	const char *payout_provider;
};
tp_rc cms_settings_load(tp_req *r, struct cms_settings *s);

/* plans.c ----------------------------------------------------------- */

/* operator pages and API */
tp_rc cms_plans_page(tp_req *r);
tp_rc cms_plan_create(tp_req *r);
tp_rc cms_plan_page(tp_req *r);
tp_rc cms_rule_add(tp_req *r);
tp_rc cms_rule_end(tp_req *r);
tp_rc cms_assign(tp_req *r);
tp_rc cms_settings_page(tp_req *r);
tp_rc cms_settings_post(tp_req *r);
/* the plan partner earns by: its own, else its nearest ancestor's; 0 if
 * none up the tree */
tp_rc cms_partner_plan(tp_req *r, uint64_t partner, uint64_t *plan);
/* the rule of plan for kind valid on day ("YYYY-MM-DD") that fits the
 * product (a product's rule before its category's before an
 * all-products one); level for overrides, else 0. *rule 0: none. */
struct cms_rule {
	uint64_t id;
	const char *calc;
	int64_t rate_ppm, amount, months, chargeback_days;
	int level;
	const char *basis;
};
tp_rc cms_rule_find(tp_req *r, uint64_t plan, const char *kind,
                    uint64_t product, const char *day, int level,
                    struct cms_rule *rule);

/* approve.c: POST /commissions/lines/decision (operators) */
tp_rc cms_lines_decide(tp_req *r);
/* the same decision in the caller's transaction (a command, the demo):
 * action "approve", "hold" or "decline" on the brand's lines ids */
tp_rc cms_lines_apply(tp_req *r, const int64_t *ids, size_t n,
                      const char *action, const char *note, unsigned *changed);

/* run.c: the period run ------------------------------------------- */

struct cms_run_result {
	uint64_t run_id;
	unsigned lines, cancelled, released;
};
/* the run of period ("2026-11") for the context's brand: every source
 * dated up to its last day not yet taken, a batch per transaction (job:
 * its checkpoints; may be NULL), then the release. A run of the period
 * left 'running' (killed) is carried on. TP_EINVAL "period". */
tp_rc cms_run_period(tp_req *r, tp_job_run *job, const char *period,
                     struct cms_run_result *out);
/* pending lines past their hold_until become approvable */
tp_rc cms_release(tp_req *r, unsigned *released);
/* the last ended month by tp_now(), "YYYY-MM" */
const char *cms_last_period(tp_req *r);
int cms_cmd_run(tp_req *ctx, int argc, char **argv);
tp_rc cms_job_run(tp_req *ctx, tp_job_run *run);
tp_rc cms_runs_page(tp_req *r);
tp_rc cms_run_post(tp_req *r);

/* pages.c: the compensation and disbursement histories (grids), the
 * operators' lines grid and approvals form ---------------------------- */

extern const tp_grid cms_history_grid;
extern const tp_grid cms_disbursements_grid;
tp_rc cms_history_page(tp_req *r);
tp_rc cms_lines_page(tp_req *r);
tp_rc cms_disbursements_page(tp_req *r);
tp_rc cms_disbursement_page(tp_req *r);
tp_rc cms_approvals_page(tp_req *r);

/* summary.c: the commission summary, Redis-cached per brand, partner and
 * the brand's "commissions" generation --------------------------------- */

tp_rc cms_summary_page(tp_req *r);
tp_rc cms_summary_panel(tp_req *r, json_object *panel);
/* an event that changes some summary: a new generation */
tp_rc cms_summary_on_event(tp_req *ctx, const tp_event_msg *ev);

/* instant.c: PortaBilling's distributor commissions, at the event ---- */

tp_rc cms_on_payment(tp_req *ctx, const tp_event_msg *ev);
tp_rc cms_on_account(tp_req *ctx, const tp_event_msg *ev);

/* demo.c: `tierportctl commissions demo` */
int cms_demo_cmd(tp_req *ctx, int argc, char **argv);

/* payout.c, details.c, requests.c: disbursements, payout providers,
 * payout bank details, requests, withdrawals (payout.h has the rest) -- */

tp_rc cms_payout_init(tp_core *core);
tp_rc cms_payouts_page(tp_req *r);
tp_rc cms_disb_post(tp_req *r);
tp_rc cms_disb_retry(tp_req *r);
tp_rc cms_payout_run_post(tp_req *r);
tp_rc cms_payouts_job(tp_req *ctx, tp_job_run *run);
int cms_payouts_cmd(tp_req *ctx, int argc, char **argv);
tp_rc cms_details_page(tp_req *r);
tp_rc cms_details_post(tp_req *r);
tp_rc cms_details_confirm_page(tp_req *r);
tp_rc cms_details_confirm(tp_req *r);
tp_rc cms_requests_page(tp_req *r);
tp_rc cms_request_post(tp_req *r);
tp_rc cms_request_decide(tp_req *r);
tp_rc cms_withdraw_post(tp_req *r);
tp_rc cms_fixture_request(tp_req *ctx, uint64_t partner_id, uint64_t account_id,
                          int64_t *id);
tp_rc cms_fixture_disbursement(tp_req *ctx, uint64_t partner_id,
                               uint64_t account_id, int64_t *id);

#endif
