/*
 * preports.c -- a partner's payment reports (A2Billing's billing reports,
 * TimelyBill's payment history) as grids with export: the cash payments it
 * recorded, its customers' payments (the partner payment history over its
 * subtree) and the payment log of every deposit. Read-only; the core
 * scopes every row to the viewer's subtree.
 */
#include "invoices.h"

static const char *const pay_status[] = {"pending", "unknown", "settled",
                                         "declined", NULL};
static const char *const pay_method[] = {"card", "ach", "cash", "transfer",
                                         NULL};

static const tp_grid_col payments_cols[] = {
    {.key = "id",
     .label = N_("Payment"),
     .type = TP_COL_NUMBER,
     .flags = TP_COL_SORT,
     .expr = "y.id"},
    {.key = "date",
     .label = N_("Date"),
     .type = TP_COL_DATE,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "DATE(y.created_at)"},
    {.key = "account",
     .label = N_("Account"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "a.number"},
    {.key = "method",
     .label = N_("Method"),
     .type = TP_COL_STATUS,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "y.method",
     .values = pay_method},
    {.key = "amount",
     .label = N_("Amount"),
     .type = TP_COL_MONEY,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "y.amount",
     .currency_expr = "y.currency"},
    {.key = "reference",
     .label = N_("Reference"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "IFNULL(y.reference, '')"},
    {.key = "receipt",
     .label = N_("Receipt"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "IFNULL(y.number, '')"},
    {.key = "status",
     .label = N_("Status"),
     .type = TP_COL_STATUS,
     .flags = TP_COL_FILTER,
     .expr = "y.status",
     .values = pay_status},
    {0}};

/* the cash a partner (or one below it) recorded: its own payments */
const tp_grid inv_own_payments_grid = {
    .name = "funds_own_payments",
    .title = N_("Own payments: cash you recorded"),
    .cols = payments_cols,
    .from = "payments y JOIN accounts a ON a.id = y.account_id",
    .id_expr = "y.id",
    .tenant_expr = "y.tenant_id",
    .partner_expr = "y.recorded_by",
    .default_sort = "-id",
};

/* every payment into the accounts of its subtree */
const tp_grid inv_customer_payments_grid = {
    .name = "funds_customer_payments",
    .title = N_("Customers' payments"),
    .cols = payments_cols,
    .from = "payments y JOIN accounts a ON a.id = y.account_id",
    .id_expr = "y.id",
    .tenant_expr = "y.tenant_id",
    .partner_expr = "y.partner_id",
    .account_expr = "y.account_id",
    .default_sort = "-id",
};

static const char *const log_kinds[] = {"payment", "refill", "transfer", NULL};

static const tp_grid_col log_cols[] = {{.key = "date",
                                        .label = N_("Date"),
                                        .type = TP_COL_DATE,
                                        .flags = TP_COL_SORT | TP_COL_FILTER,
                                        .expr = "DATE(x.created_at)"},
                                       {.key = "kind",
                                        .label = N_("Kind"),
                                        .type = TP_COL_STATUS,
                                        .flags = TP_COL_FILTER | TP_COL_GROUP,
                                        .expr = "x.kind",
                                        .values = log_kinds},
                                       {.key = "doc",
                                        .label = N_("No."),
                                        .type = TP_COL_NUMBER,
                                        .expr = "x.doc_id"},
                                       {.key = "method",
                                        .label = N_("Method"),
                                        .type = TP_COL_TEXT,
                                        .flags = TP_COL_FILTER,
                                        .expr = "x.method"},
                                       {.key = "to",
                                        .label = N_("Into"),
                                        .type = TP_COL_TEXT,
                                        .flags = TP_COL_FILTER,
                                        .expr = "x.into_name"},
                                       {.key = "amount",
                                        .label = N_("Amount"),
                                        .type = TP_COL_MONEY,
                                        .flags = TP_COL_SORT | TP_COL_FILTER,
                                        .expr = "x.amount",
                                        .currency_expr = "x.currency"},
                                       {.key = "reference",
                                        .label = N_("Reference"),
                                        .type = TP_COL_TEXT,
                                        .flags = TP_COL_FILTER,
                                        .expr = "x.reference"},
                                       {0}};

/* every deposit: settled payments into its customers' accounts, refills
 * of its (and its sub-partners') funds, transfers to customers; one id
 * space (a payment's id * 2, a funds row's * 2 + 1) for the cursors */
const tp_grid inv_payment_log_grid = {
    .name = "funds_payment_log",
    .title = N_("Payment log"),
    .cols = log_cols,
    .from = "(SELECT y.id * 2 AS uid, y.id AS doc_id, y.tenant_id, "
            "y.partner_id, y.account_id, 'payment' AS kind, y.method, "
            "a.number AS into_name, y.amount, y.currency, "
            "IFNULL(y.reference, '') AS reference, y.created_at FROM "
            "payments y JOIN accounts a ON a.id = y.account_id WHERE "
            "y.status = 'settled' UNION ALL SELECT f.id * 2 + 1, f.id, "
            "f.tenant_id, f.partner_id, f.account_id, f.kind, '', "
            "IFNULL(a.number, p.name), f.amount, f.currency, f.reference, "
            "f.created_at FROM partner_funds f JOIN partners p ON p.id = "
            "f.partner_id LEFT JOIN accounts a ON a.id = f.account_id) x",
    .id_expr = "x.uid",
    .tenant_expr = "x.tenant_id",
    .partner_expr = "x.partner_id",
    .default_sort = "-date",
};

tp_rc inv_own_payments(tp_req *r)
{
	return tp_grid_respond(r, &inv_own_payments_grid,
	                       "y.method = 'cash' AND y.id > ?", 0);
}

tp_rc inv_customer_payments(tp_req *r)
{
	return tp_grid_respond(r, &inv_customer_payments_grid, NULL, 0);
}

tp_rc inv_payment_log(tp_req *r)
{
	return tp_grid_respond(r, &inv_payment_log_grid, NULL, 0);
}
