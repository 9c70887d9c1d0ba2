/*
 * invoices.c -- the invoices module's descriptor: what it adds to the
 * portal (routes, menu, home panel, the invoice history grid), the kinds
 * of id the core checks for it (an invoice, an adjustment), its billing
 * run job and command. The money itself moves in the core ledger
 * (docs/money.md); this module writes the documents.
 */
#include "invoices.h"

#include <string.h>

static const tp_area inv_areas[] = {
    {.name = "billing",
     .label = "Billing: invoices, statements, credits",
     .rights = TP_RIGHT_VIEW | TP_RIGHT_ADD | TP_RIGHT_UPDATE},
    {.name = "funds",
     .label = "Partner funds: balance, credit, transfers, cash payments",
     .rights = TP_RIGHT_VIEW | TP_RIGHT_ADD | TP_RIGHT_UPDATE},
    {0}};

static const tp_scope_def inv_scopes[] = {{.name = "invoice",
                                           .table = "invoices",
                                           .id_col = "id",
                                           .tenant_col = "tenant_id",
                                           .partner_col = "partner_id",
                                           .account_col = "account_id"},
                                          {.name = "tax_rate",
                                           .table = "tax_rates",
                                           .id_col = "id",
                                           .tenant_col = "tenant_id"},
                                          {.name = "adjustment",
                                           .table = "money_adjustments",
                                           .id_col = "id",
                                           .tenant_col = "tenant_id",
                                           .partner_col = "partner_id",
                                           .account_col = "account_id"},
                                          {.name = "dispute",
                                           .table = "invoice_disputes",
                                           .id_col = "id",
                                           .tenant_col = "tenant_id",
                                           .partner_col = "partner_id",
                                           .account_col = "account_id"},
                                          {0}};

static const tp_param_scope by_account[] = {
    {.param = "account", .kind = TP_SCOPE_ACCOUNT}, {0}};
static const tp_param_scope by_invoice[] = {
    {.param = "invoice", .kind = TP_SCOPE_NAMED, .kind_name = "invoice"}, {0}};
static const tp_param_scope by_tax_rate[] = {
    {.param = "tax_rate", .kind = TP_SCOPE_NAMED, .kind_name = "tax_rate"},
    {0}};
static const tp_param_scope by_adjustment[] = {
    {.param = "adjustment", .kind = TP_SCOPE_NAMED, .kind_name = "adjustment"},
    {0}};

static const tp_param_scope by_dispute[] = {
    {.param = "dispute", .kind = TP_SCOPE_NAMED, .kind_name = "dispute"}, {0}};
static const tp_param_scope by_partner[] = {
    {.param = "partner", .kind = TP_SCOPE_PARTNER}, {0}};
static const tp_param_scope body_account[] = {
    {.param = "account", .kind = TP_SCOPE_ACCOUNT, .flags = TP_PARAM_BODY},
    {0}};

static tp_rc customer_only(tp_req *r, tp_handler h)
{
	/* /billing is a customer's own; partners and operators open an
	 * account's /accounts/{account}/billing */
	if (tp_scope_account_root(r) == 0)
		return tp_fail(r, TP_ENOENT, NULL, "no such page");
	return h(r);
}

static tp_rc my_summary(tp_req *r)
{
	return customer_only(r, inv_summary);
}

static tp_rc my_statements(tp_req *r)
{
	return customer_only(r, inv_statements);
}

static tp_rc my_delivery(tp_req *r)
{
	return customer_only(r, inv_delivery_post);
}

static tp_rc my_transactions(tp_req *r)
{
	return customer_only(r, inv_transactions);
}

static const tp_route inv_routes[] = {
    /* a customer's own billing */
    {.methods = TP_GET,
     .path = "/billing",
     .handler = my_summary,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/summary.tpl"},
    {.methods = TP_GET,
     .path = "/billing/statements",
     .handler = my_statements,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/statements.tpl"},
    {.methods = TP_GET,
     .path = "/billing/transactions",
     .handler = my_transactions,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/transactions.tpl"},
    {.methods = TP_POST,
     .path = "/billing/delivery",
     .handler = my_delivery,
     .area = "billing",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "invoices/summary.tpl"},
    {.methods = TP_GET,
     .path = "/billing/cycle",
     .handler = inv_cycle_choose,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .flags = TP_ROUTE_HTML_ONLY},
    /* any account in the viewer's subtree */
    {.methods = TP_POST,
     .path = "/accounts/{account}/delivery",
     .handler = inv_delivery_post,
     .area = "billing",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "invoices/summary.tpl",
     .scopes = by_account},
    {.methods = TP_GET,
     .path = "/accounts/{account}/billing",
     .handler = inv_summary,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/summary.tpl",
     .scopes = by_account},
    {.methods = TP_GET,
     .path = "/accounts/{account}/statements",
     .handler = inv_statements,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/statements.tpl",
     .scopes = by_account},
    {.methods = TP_GET,
     .path = "/accounts/{account}/transactions",
     .handler = inv_transactions,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/transactions.tpl",
     .scopes = by_account},
    /* the invoice viewer, its PDF */
    {.methods = TP_GET,
     .path = "/invoices/{invoice}",
     .handler = inv_invoice_page,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/invoice.tpl",
     .scopes = by_invoice},
    {.methods = TP_GET,
     .path = "/invoices/{invoice}/pdf",
     .handler = inv_invoice_pdf,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .flags = TP_ROUTE_STREAM | TP_ROUTE_HTML_ONLY,
     .scopes = by_invoice},
    {.methods = TP_GET,
     .path = "/invoices/{invoice}/calls.csv",
     .handler = inv_invoice_cdrs,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .flags = TP_ROUTE_STREAM | TP_ROUTE_HTML_ONLY,
     .scopes = by_invoice},
    /* the partner's invoice history over its subtree (a grid) */
    {.methods = TP_GET,
     .path = "/invoices",
     .handler = inv_partner_history,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl"},
    /* operator tools */
    {.methods = TP_GET,
     .path = "/invoices/{invoice}/credit",
     .handler = inv_credit_form,
     .area = "billing",
     .right = TP_RIGHT_ADD,
     .tmpl = "invoices/credit.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_invoice},
    {.methods = TP_POST,
     .path = "/invoices/{invoice}/credit",
     .handler = inv_credit_post,
     .area = "billing",
     .right = TP_RIGHT_ADD,
     .tmpl = "invoices/credit.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_invoice},
    {.methods = TP_GET,
     .path = "/accounts/{account}/adjustments/new",
     .handler = inv_adjust_form,
     .area = "billing",
     .right = TP_RIGHT_ADD,
     .tmpl = "invoices/adjust.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_account},
    {.methods = TP_POST,
     .path = "/accounts/{account}/adjustments",
     .handler = inv_adjust_post,
     .area = "billing",
     .right = TP_RIGHT_ADD,
     .tmpl = "invoices/adjust.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_account},
    {.methods = TP_GET,
     .path = "/billing/settings",
     .handler = inv_settings_page,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/settings.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/billing/settings",
     .handler = inv_settings_post,
     .area = "billing",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "invoices/settings.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/billing/tax-rates",
     .handler = inv_tax_rate_add,
     .area = "billing",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "invoices/settings.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/billing/tax-rates/{tax_rate}",
     .handler = inv_tax_rate_active,
     .area = "billing",
     .right = TP_RIGHT_UPDATE,
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_tax_rate},
    {.methods = TP_POST,
     .path = "/accounts/{account}/charges",
     .handler = inv_charge_post,
     .area = "billing",
     .right = TP_RIGHT_ADD,
     .tmpl = "invoices/summary.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_account},
    {.methods = TP_POST,
     .path = "/adjustments/{adjustment}/decision",
     .handler = inv_adjust_approve,
     .area = "billing",
     .right = TP_RIGHT_UPDATE,
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_adjustment},
    /* disputes (dispute.c): the customer disputes a line, an operator
     * decides */
    {.methods = TP_GET,
     .path = "/invoices/{invoice}/disputes",
     .handler = inv_disputes_page,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/disputes.tpl",
     .scopes = by_invoice},
    {.methods = TP_POST,
     .path = "/invoices/{invoice}/lines/{line}/dispute",
     .handler = inv_dispute_post,
     .area = "billing",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/disputes.tpl",
     .scopes = by_invoice},
    {.methods = TP_POST,
     .path = "/disputes/{dispute}/decision",
     .handler = inv_dispute_decide,
     .area = "billing",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "invoices/disputes.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_dispute},
    /* a partner's balance, credit and funds (funds.c) */
    {.methods = TP_GET,
     .path = "/funds",
     .handler = inv_funds_page,
     .area = "funds",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/funds.tpl"},
    {.methods = TP_POST,
     .path = "/funds/transfers",
     .handler = inv_transfer_post,
     .area = "funds",
     .right = TP_RIGHT_ADD,
     .tmpl = "invoices/funds.tpl",
     .scopes = body_account},
    {.methods = TP_GET,
     .path = "/funds/transfers",
     .handler = inv_funds_transfers,
     .area = "funds",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl"},
    {.methods = TP_GET,
     .path = "/funds/customers",
     .handler = inv_funds_customers,
     .area = "funds",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl"},
    {.methods = TP_GET,
     .path = "/funds/refills",
     .handler = inv_funds_refills,
     .area = "funds",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl"},
    {.methods = TP_GET,
     .path = "/funds/partners",
     .handler = inv_funds_partners,
     .area = "funds",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_GET,
     .path = "/funds/partners/{partner}",
     .handler = inv_partner_credit_page,
     .area = "funds",
     .right = TP_RIGHT_VIEW,
     .tmpl = "invoices/partner_credit.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_partner},
    {.methods = TP_POST,
     .path = "/funds/partners/{partner}/credit",
     .handler = inv_partner_credit_post,
     .area = "funds",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "invoices/partner_credit.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_partner},
    {.methods = TP_POST,
     .path = "/funds/partners/{partner}/refills",
     .handler = inv_refill_post,
     .area = "funds",
     .right = TP_RIGHT_ADD,
     .tmpl = "invoices/partner_credit.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = by_partner},
    {0}};

static const tp_menu inv_menu[] = {
    {.label = "Account summary",
     .href = "/billing",
     .area = "billing",
     .order = 10,
     .group = "Billing",
     .flags = TP_MENU_CUSTOMER},
    {.label = "Billing statements",
     .href = "/billing/statements",
     .area = "billing",
     .order = 20,
     .group = "Billing",
     .flags = TP_MENU_CUSTOMER},
    {.label = "Transaction history",
     .href = "/billing/transactions",
     .area = "billing",
     .order = 30,
     .group = "Billing",
     .flags = TP_MENU_CUSTOMER},
    {.label = "Invoice history",
     .href = "/invoices",
     .area = "billing",
     .order = 10,
     .group = "Billing",
     .flags = TP_MENU_PARTNER | TP_MENU_OPERATOR},
    {.label = "Billing settings",
     .href = "/billing/settings",
     .area = "billing",
     .order = 90,
     .group = "Billing",
     .flags = TP_MENU_OPERATOR},
    {.label = "Balance and credit",
     .href = "/funds",
     .area = "funds",
     .order = 40,
     .group = "Billing",
     .flags = TP_MENU_PARTNER},
    {.label = "Partner balances and credit",
     .href = "/funds/partners",
     .area = "funds",
     .order = 40,
     .group = "Billing",
     .flags = TP_MENU_OPERATOR},
    {0}};

static const tp_panel inv_panels[] = {{.slot = "home",
                                       .name = "balance",
                                       .title = "Your bill",
                                       .area = "billing",
                                       .right = TP_RIGHT_VIEW,
                                       .order = 10,
                                       .tmpl = "invoices/panel.tpl",
                                       .fill = inv_panel_home,
                                       .flags = TP_MENU_CUSTOMER},
                                      {.slot = "home",
                                       .name = "funds",
                                       .title = "Balance and credit",
                                       .area = "funds",
                                       .right = TP_RIGHT_VIEW,
                                       .order = 20,
                                       .tmpl = "invoices/funds_panel.tpl",
                                       .fill = inv_funds_panel,
                                       .flags = TP_MENU_PARTNER},
                                      {0}};

static const tp_grid *const inv_grids[] = {
    &inv_history_grid,        &inv_funds_customers_grid,
    &inv_funds_refills_grid,  &inv_funds_transfers_grid,
    &inv_funds_partners_grid, NULL};

static const tp_job inv_jobs[] = {
    {.name = "run",
     .schedule = "daily 01:00",
     .help = "bills every ended cycle of every brand (resumable, once)",
     .run = inv_job_run,
     .lease_seconds = 3600},
    {.name = "collect",
     .schedule = "hourly",
     .help = "collections: reminders, late fees, suspension for "
             "non-payment and restore (each step once per invoice)",
     .run = inv_collect_job,
     .lease_seconds = 1800},
    {.name = "credit_watch",
     .schedule = "every 60s",
     .help = "warns partners past their credit warning threshold (one "
             "mail per crossing) after postings made elsewhere",
     .run = inv_credit_watch_job,
     .lease_seconds = 300},
    {0}};

static const tp_command inv_commands[] = {
    {.name = "run",
     .usage = "--brand SLUG [--cycle YYYY-MM-DD]",
     .help = "bill one cycle of a brand now (default: the last ended "
             "calendar month)",
     .run = inv_cmd_run},
    {.name = "collect",
     .usage = "--brand SLUG",
     .help = "run a brand's collections now (by tp_now(): tests move "
             "the clock)",
     .run = inv_collect_cmd},
    {.name = "demo",
     .usage = "--brand SLUG pay ACCOUNT | credit ACCOUNT AMOUNT REASON",
     .help = "demo data (tierportctl demo): an account pays what it "
             "owes (a credit), or gets a credit note on its last invoice",
     .run = inv_demo_cmd},
    {0}};

const tp_module tierport_module = {
    TP_MODULE_HEAD,
    .name = "invoices",
    .version = "1.0",
    .description = "Invoices: billing runs, statements, the invoice "
                   "viewer and PDF, credit notes and adjustments",
    .areas = inv_areas,
    .routes = inv_routes,
    .menu = inv_menu,
    .panels = inv_panels,
    .grids = inv_grids,
    .scopes = inv_scopes,
    .jobs = inv_jobs,
    .commands = inv_commands,
    .migrations = "sql",
};
