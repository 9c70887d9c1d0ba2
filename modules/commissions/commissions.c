/*
 * commissions.c -- the commissions module's descriptor: what it adds to
 * the portal (routes, menu, grids), the kinds of id the core checks for
 * it, its jobs, commands and event subscriptions. Partners are paid for
 * what they sell: plans (plans.c) say how much; the run (run.c) computes
 * lines from the ledger and posts them as payables; disbursements
 * (payout.c) pay them; the pages (pages.c) show them. docs/commissions.md
 * is the map.
 *
 * The route table is grouped by file; each group's routes are declared
 * in commissions.h.
 */
#include "commissions.h"

static const tp_area cms_areas[] = {
    {.name = "commissions",
     .label = N_("Commissions: plans, lines, approvals, disbursements"),
     .rights = TP_RIGHT_VIEW | TP_RIGHT_ADD | TP_RIGHT_UPDATE},
    {0}};

static const tp_scope_def cms_scopes[] = {{.name = "commission_plan",
                                           .table = "commission_plans",
                                           .id_col = "id",
                                           .tenant_col = "tenant_id"},
                                          {.name = "commission_rule",
                                           .table = "commission_rules",
                                           .id_col = "id",
                                           .tenant_col = "tenant_id"},
                                          /* a line is its earner's; a
                                           * disbursement its payee's */
                                          {.name = "commission_line",
                                           .table = "commission_lines",
                                           .id_col = "id",
                                           .tenant_col = "tenant_id",
                                           .partner_col = "partner_id"},
                                          {.name = "commission_disbursement",
                                           .table = "commission_disbursements",
                                           .id_col = "id",
                                           .tenant_col = "tenant_id",
                                           .partner_col = "partner_id",
                                           .fixture = cms_fixture_disbursement},
                                          /* payout.c: a payout request
                                           * is its partner's */
                                          {.name = "commission_request",
                                           .table = "commission_requests",
                                           .id_col = "id",
                                           .tenant_col = "tenant_id",
                                           .partner_col = "partner_id",
                                           .fixture = cms_fixture_request},
                                          {0}};

static const tp_param_scope by_plan[] = {
    {.param = "plan", .kind = TP_SCOPE_NAMED, .kind_name = "commission_plan"},
    {0}};
static const tp_param_scope by_plan_rule[] = {
    {.param = "plan", .kind = TP_SCOPE_NAMED, .kind_name = "commission_plan"},
    {.param = "rule", .kind = TP_SCOPE_NAMED, .kind_name = "commission_rule"},
    {0}};
static const tp_param_scope body_partner[] = {
    {.param = "partner", .kind = TP_SCOPE_PARTNER, .flags = TP_PARAM_BODY},
    {0}};

static const tp_param_scope by_disbursement[] = {
    {.param = "disbursement",
     .kind = TP_SCOPE_NAMED,
     .kind_name = "commission_disbursement"},
    {0}};
static const tp_param_scope by_request[] = {{.param = "request",
                                             .kind = TP_SCOPE_NAMED,
                                             .kind_name = "commission_request"},
                                            {0}};
static const tp_param_scope body_partner_opt[] = {
    {.param = "partner",
     .kind = TP_SCOPE_PARTNER,
     .flags = TP_PARAM_BODY | TP_PARAM_OPTIONAL},
    {0}};

static const tp_route cms_routes[] = {
    /* plans.c: plans, rules, assignments, settings (operators) */
    {.methods = TP_GET,
     .path = "/commissions/plans",
     .handler = cms_plans_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "commissions/plans.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/commissions/plans",
     .handler = cms_plan_create,
     .area = "commissions",
     .right = TP_RIGHT_ADD,
     .tmpl = "commissions/plans.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_GET,
     .path = "/commissions/plans/{plan}",
     .handler = cms_plan_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "commissions/plan.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_plan},
    {.methods = TP_POST,
     .path = "/commissions/plans/{plan}/rules",
     .handler = cms_rule_add,
     .area = "commissions",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "commissions/plan.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_plan},
    {.methods = TP_POST,
     .path = "/commissions/plans/{plan}/rules/{rule}/end",
     .handler = cms_rule_end,
     .area = "commissions",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "commissions/plan.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_plan_rule},
    {.methods = TP_POST,
     .path = "/commissions/assignments",
     .handler = cms_assign,
     .area = "commissions",
     .right = TP_RIGHT_UPDATE,
     .flags = TP_ROUTE_OPERATOR,
     .scopes = body_partner},
    {.methods = TP_GET,
     .path = "/commissions/settings",
     .handler = cms_settings_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "commissions/settings.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/commissions/settings",
     .handler = cms_settings_post,
     .area = "commissions",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "commissions/settings.tpl",
     .flags = TP_ROUTE_OPERATOR},

    /* approve.c: operators' decisions on lines */
    {.methods = TP_POST,
     .path = "/commissions/lines/decision",
     .handler = cms_lines_decide,
     .area = "commissions",
     .right = TP_RIGHT_UPDATE,
     .flags = TP_ROUTE_OPERATOR,
     .scopes = body_partner_opt},

    /* run.c: runs (operators) */
    {.methods = TP_GET,
     .path = "/commissions/runs",
     .handler = cms_runs_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "commissions/runs.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/commissions/runs",
     .handler = cms_run_post,
     .area = "commissions",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "commissions/runs.tpl",
     .flags = TP_ROUTE_OPERATOR},

    /* pages.c, summary.c: the partner's pages, the operator's approvals
     * form */
    {.methods = TP_GET,
     .path = "/commissions",
     .handler = cms_summary_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "commissions/summary.tpl"},
    {.methods = TP_GET,
     .path = "/commissions/history",
     .handler = cms_history_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl"},
    {.methods = TP_GET,
     .path = "/commissions/disbursements",
     .handler = cms_disbursements_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl"},
    {.methods = TP_GET,
     .path = "/commissions/disbursements/{disbursement}",
     .handler = cms_disbursement_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl",
     .scopes = by_disbursement},
    {.methods = TP_GET,
     .path = "/commissions/lines",
     .handler = cms_lines_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_GET,
     .path = "/commissions/approvals",
     .handler = cms_approvals_page,
     .area = "commissions",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "commissions/approvals.tpl",
     .flags = TP_ROUTE_OPERATOR},

    /* payout.c: disbursements, payout details, requests, withdrawals */
    {.methods = TP_GET,
     .path = "/commissions/payouts",
     .handler = cms_payouts_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "commissions/payouts.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/commissions/disbursements",
     .handler = cms_disb_post,
     .area = "commissions",
     .right = TP_RIGHT_ADD,
     .tmpl = "commissions/payouts.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = body_partner},
    {.methods = TP_POST,
     .path = "/commissions/disbursements/{disbursement}/retry",
     .handler = cms_disb_retry,
     .area = "commissions",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "commissions/payouts.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_disbursement},
    {.methods = TP_POST,
     .path = "/commissions/payout-runs",
     .handler = cms_payout_run_post,
     .area = "commissions",
     .right = TP_RIGHT_ADD,
     .tmpl = "commissions/payouts.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_GET,
     .path = "/commissions/payout-details",
     .handler = cms_details_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "commissions/details.tpl"},
    {.methods = TP_POST,
     .path = "/commissions/payout-details",
     .handler = cms_details_post,
     .area = "commissions",
     .right = TP_RIGHT_ADD,
     .tmpl = "commissions/details.tpl"},
    {.methods = TP_GET,
     .path = "/commissions/payout-details/confirm",
     .handler = cms_details_confirm_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "commissions/details_confirm.tpl"},
    {.methods = TP_POST,
     .path = "/commissions/payout-details/confirm",
     .handler = cms_details_confirm,
     .area = "commissions",
     .right = TP_RIGHT_ADD,
     .tmpl = "commissions/details_confirm.tpl"},
    {.methods = TP_GET,
     .path = "/commissions/requests",
     .handler = cms_requests_page,
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .tmpl = "commissions/requests.tpl"},
    {.methods = TP_POST,
     .path = "/commissions/requests",
     .handler = cms_request_post,
     .area = "commissions",
     .right = TP_RIGHT_ADD,
     .tmpl = "commissions/requests.tpl"},
    {.methods = TP_POST,
     .path = "/commissions/requests/{request}/decision",
     .handler = cms_request_decide,
     .area = "commissions",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "commissions/requests.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_request},
    {.methods = TP_POST,
     .path = "/commissions/withdraw",
     .handler = cms_withdraw_post,
     .area = "commissions",
     .right = TP_RIGHT_ADD,
     .tmpl = "commissions/requests.tpl"},

    {0}};

static const tp_menu cms_menu[] = {
    {.label = N_("Commission plans"),
     .href = "/commissions/plans",
     .area = "commissions",
     .order = 10,
     .group = N_("Commissions"),
     .flags = TP_MENU_OPERATOR},
    {.label = N_("Commission runs"),
     .href = "/commissions/runs",
     .area = "commissions",
     .order = 20,
     .group = N_("Commissions"),
     .flags = TP_MENU_OPERATOR},
    /* pages.c, summary.c */
    {.label = N_("Commission summary"),
     .href = "/commissions",
     .area = "commissions",
     .order = 15,
     .group = N_("Commissions"),
     .flags = TP_MENU_PARTNER | TP_MENU_OPERATOR},
    {.label = N_("Compensation history"),
     .href = "/commissions/history",
     .area = "commissions",
     .order = 30,
     .group = N_("Commissions"),
     .flags = TP_MENU_PARTNER},
    {.label = N_("Historic remittance"),
     .href = "/commissions/history?f.status="
             "paid&sort=-paid",
     .area = "commissions",
     .order = 35,
     .group = N_("Commissions"),
     .flags = TP_MENU_PARTNER},
    {.label = N_("Commission lines"),
     .href = "/commissions/lines",
     .area = "commissions",
     .order = 30,
     .group = N_("Commissions"),
     .flags = TP_MENU_OPERATOR},
    {.label = N_("Commission approvals"),
     .href = "/commissions/approvals",
     .area = "commissions",
     .order = 35,
     .group = N_("Commissions"),
     .flags = TP_MENU_OPERATOR},
    {.label = N_("Disbursement history"),
     .href = "/commissions/disbursements",
     .area = "commissions",
     .order = 40,
     .group = N_("Commissions"),
     .flags = TP_MENU_PARTNER | TP_MENU_OPERATOR},
    /* seed 003's "Commission" billing
     * report: the same grid, by period */
    {.label = N_("Commission"),
     .href = "/commissions/history?group="
             "period",
     .area = "commissions",
     .order = 60,
     .group = N_("Billing"),
     .flags = TP_MENU_PARTNER},
    /* payout.c */
    {.label = N_("Commission payouts"),
     .href = "/commissions/payouts",
     .area = "commissions",
     .order = 60,
     .group = N_("Commissions"),
     .flags = TP_MENU_OPERATOR},
    {.label = N_("Payout requests"),
     .href = "/commissions/requests",
     .area = "commissions",
     .order = 70,
     .group = N_("Commissions")},
    {.label = N_("Payout bank details"),
     .href = "/commissions/payout-details",
     .area = "commissions",
     .order = 80,
     .group = N_("Commissions"),
     .flags = TP_MENU_PARTNER},
    {.label = N_("Commission settings"),
     .href = "/commissions/settings",
     .area = "commissions",
     .order = 90,
     .group = N_("Commissions"),
     .flags = TP_MENU_OPERATOR},
    {0}};

static const tp_event cms_events[] = {
    /* instant.c: PortaBilling's distributor commissions, at the event */
    {.name = "account.opening_balance", .handler = cms_on_account},
    {.name = "payment.recorded", .handler = cms_on_payment},

    /* summary.c: a new generation of the summaries. LAST: the core runs
     * a module's first subscription that takes a name, so the exact
     * names above keep theirs (what they post is a line: sql/004's
     * trigger bumps the generation for it) */
    {.name = "commission.", .handler = cms_summary_on_event},
    {.name = "payment.", .handler = cms_summary_on_event},
    {.name = "service.", .handler = cms_summary_on_event},
    {.name = "invoice.", .handler = cms_summary_on_event},
    {.name = "account.", .handler = cms_summary_on_event},
    {.name = "partner.moved", .handler = cms_summary_on_event},
    {0}};

static const tp_panel cms_panels[] = {
    /* summary.c */
    {.slot = "home",
     .name = "commissions",
     .title = N_("Commissions"),
     .area = "commissions",
     .right = TP_RIGHT_VIEW,
     .order = 30,
     .tmpl = "commissions/summary_panel.tpl",
     .fill = cms_summary_panel,
     .flags = TP_MENU_PARTNER},
    {0}};

static const tp_grid *const cms_grids[] = {
    /* pages.c */
    &cms_history_grid, &cms_disbursements_grid, NULL};

static const tp_job cms_jobs[] = {
    /* run.c */
    {.name = "run",
     .schedule = "daily 02:00",
     .help = "each brand's last ended month once (a killed run goes on), "
             "and pending lines past their hold made approvable",
     .run = cms_job_run,
     .lease_seconds = 3600},
    /* payout.c */
    {.name = "payouts",
     .schedule = "every 5m",
     .help = "asks the payout provider again about payouts whose answer "
             "was lost (never sends one twice)",
     .run = cms_payouts_job},
    {0}};

static const tp_command cms_commands[] = {
    /* run.c */
    {.name = "run",
     .usage = "--brand SLUG [--period YYYY-MM]",
     .help = "compute and post a period's commission lines now (default: "
             "the last ended month); a rerun adds nothing",
     .run = cms_cmd_run},
    /* payout.c */
    {.name = "payouts",
     .usage = "--brand SLUG",
     .help = "asks the payout provider now about every payout whose "
             "answer was lost",
     .run = cms_payouts_cmd},

    /* demo.c */
    {.name = "demo",
     .usage = "--brand SLUG plans|pay",
     .help = "demo data (tierportctl demo): the demo partners' plans; "
             "then their lines computed, approved and paid",
     .run = cms_demo_cmd},
    {0}};

/* what `tierportctl key reencrypt` seals again after a key rotation */
static const tp_sealed_col cms_sealed[] = {
    /* details.c: a partner's payout bank account number */
    {.table = "commission_payout_details", .id = "id", .col = "account_sealed"},
    {0}};

const tp_module tierport_module = {
    TP_MODULE_HEAD,
    .name = "commissions",
    .version = "1.0",
    .description = "Commissions: plans, multi-level overrides, runs, "
                   "approvals, disbursements and payouts",
    .areas = cms_areas,
    .routes = cms_routes,
    .menu = cms_menu,
    .events = cms_events,
    .panels = cms_panels,
    .grids = cms_grids,
    .scopes = cms_scopes,
    .jobs = cms_jobs,
    .commands = cms_commands,
    .sealed = cms_sealed,
    .migrations = "sql",
    .init = cms_payout_init,
};
