# modules/commissions/local.mk -- the commissions module in the one
# Makefile.am (included from there; paths are from the top of the tree).

pkgmodule_LTLIBRARIES += modules/commissions/commissions.la
modules_commissions_commissions_la_SOURCES = \
	modules/commissions/commissions.h modules/commissions/commissions.c \
	modules/commissions/util.c modules/commissions/plans.c \
	modules/commissions/approve.c modules/commissions/instant.c \
	modules/commissions/demo.c modules/commissions/run.c \
	modules/commissions/payout.h modules/commissions/payout.c \
	modules/commissions/payout_file.c modules/commissions/payout_test.c \
	modules/commissions/details.c modules/commissions/requests.c
modules_commissions_commissions_la_LDFLAGS = $(AM_LDFLAGS) $(MODULE_LDFLAGS)
modules_commissions_commissions_la_LIBADD = $(SODIUM_LIBS)

commissions_sqldir = $(moduledatadir)/commissions/sql
dist_commissions_sql_DATA = modules/commissions/sql/001_commissions.sql \
	modules/commissions/sql/002_run_cursor.sql \
	modules/commissions/sql/003_payouts.sql
commissions_tpldir = $(moduledatadir)/commissions/templates
dist_commissions_tpl_DATA = modules/commissions/templates/plans.tpl \
	modules/commissions/templates/plan.tpl \
	modules/commissions/templates/settings.tpl \
	modules/commissions/templates/runs.tpl \
	modules/commissions/templates/payouts.tpl \
	modules/commissions/templates/details.tpl \
	modules/commissions/templates/details_confirm.tpl \
	modules/commissions/templates/requests.tpl

# (lib.bash is what the scripts source: shipped with them, never run)
MODULE_TESTS += modules/commissions/t/lib.bash modules/commissions/t/plans.sh \
	modules/commissions/t/distributor.sh modules/commissions/t/run.sh \
	modules/commissions/t/chargeback.sh modules/commissions/t/rerun.sh \
	modules/commissions/t/approve.sh
MODULE_TESTS += modules/commissions/t/payout.bash modules/commissions/t/payout.sh \
	modules/commissions/t/payout_file.sh modules/commissions/t/requests.sh

# pages.c, summary.c: the partner and operator pages
modules_commissions_commissions_la_SOURCES += modules/commissions/pages.c \
	modules/commissions/summary.c
dist_commissions_sql_DATA += modules/commissions/sql/004_summary_generation.sql
dist_commissions_tpl_DATA += modules/commissions/templates/summary.tpl \
	modules/commissions/templates/summary_panel.tpl \
	modules/commissions/templates/approvals.tpl
MODULE_TESTS += modules/commissions/t/pages.sh

# the module's catalog (docs/i18n.md): joined into tierport.mo with the
# core's; `make update-po` keeps commissions.pot and de.po up to date
PO_de += modules/commissions/po/de.po
MODULE_TESTS += modules/commissions/t/i18n.sh
