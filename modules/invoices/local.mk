# modules/invoices/local.mk -- the invoices module in the one Makefile.am
# (included from there; paths are from the top of the tree).

pkgmodule_LTLIBRARIES += modules/invoices/invoices.la
modules_invoices_invoices_la_SOURCES = modules/invoices/invoices.h \
	modules/invoices/invoices.c modules/invoices/run.c \
	modules/invoices/pages.c modules/invoices/credit.c \
	modules/invoices/pdf.c modules/invoices/settings.c \
	modules/invoices/collect.c modules/invoices/dispute.c \
	modules/invoices/demo.c modules/invoices/cycle.c \
	modules/invoices/run.h modules/invoices/runbatch.c \
	modules/invoices/pay.c modules/invoices/pay.h \
	modules/invoices/gateway.h modules/invoices/gw_test.c \
	modules/invoices/methods.c modules/invoices/receipt.c \
	modules/invoices/autopay.c \
	modules/invoices/funds.c modules/invoices/cash.c \
	modules/invoices/preports.c
modules_invoices_invoices_la_LDFLAGS = $(AM_LDFLAGS) $(MODULE_LDFLAGS)
modules_invoices_invoices_la_CPPFLAGS = $(AM_CPPFLAGS) $(PNG_CFLAGS)
modules_invoices_invoices_la_LIBADD = $(HPDF_LIBS) $(SODIUM_LIBS) $(PNG_LIBS)

invoices_sqldir = $(moduledatadir)/invoices/sql
dist_invoices_sql_DATA = modules/invoices/sql/001_invoices.sql \
	modules/invoices/sql/002_disputes.sql \
	modules/invoices/sql/003_payments.sql \
	modules/invoices/sql/004_partner_funds.sql \
	modules/invoices/sql/005_ach_to_core.sql
invoices_tpldir = $(moduledatadir)/invoices/templates
dist_invoices_tpl_DATA = modules/invoices/templates/summary.tpl \
	modules/invoices/templates/statements.tpl \
	modules/invoices/templates/transactions.tpl \
	modules/invoices/templates/invoice.tpl \
	modules/invoices/templates/credit.tpl \
	modules/invoices/templates/adjust.tpl \
	modules/invoices/templates/panel.tpl \
	modules/invoices/templates/settings.tpl \
	modules/invoices/templates/disputes.tpl \
	modules/invoices/templates/payments.tpl \
	modules/invoices/templates/receipt.tpl \
	modules/invoices/templates/payrules.tpl \
	modules/invoices/templates/funds.tpl \
	modules/invoices/templates/funds_panel.tpl \
	modules/invoices/templates/partner_credit.tpl

# (lib.bash is what the scripts source: shipped with them, never run)
MODULE_TESTS += modules/invoices/t/money.sh modules/invoices/t/rerun.sh \
	modules/invoices/t/zone.sh \
	modules/invoices/t/batch.sh \
	modules/invoices/t/collect.sh modules/invoices/t/dispute.sh \
	modules/invoices/t/demo.sh modules/invoices/t/lib.bash \
	modules/invoices/t/pay.sh modules/invoices/t/pay_autopay.sh \
	modules/invoices/t/pay_prepaid.sh \
	modules/invoices/t/partner_credit.sh modules/invoices/t/partner_funds.sh \
	modules/invoices/t/partner_cash.sh modules/invoices/t/partner_demo.sh \
	modules/invoices/t/pdf_logo.sh

# the module's catalog (docs/i18n.md): joined into tierport.mo with the
# core's; `make update-po` keeps invoices.pot and de.po up to date
PO_de += modules/invoices/po/de.po
MODULE_TESTS += modules/invoices/t/i18n.sh
# lang.c: the customer's language for its documents and mails
modules_invoices_invoices_la_SOURCES += modules/invoices/lang.c
