# modules/hello/local.mk -- how the one Makefile.am builds and installs the
# hello module (included from there; paths are from the top of the tree).
# A new module copies this file and replaces "hello" throughout.

pkgmodule_LTLIBRARIES += modules/hello/hello.la
modules_hello_hello_la_SOURCES = modules/hello/hello.c
modules_hello_hello_la_LDFLAGS = $(AM_LDFLAGS) $(MODULE_LDFLAGS)

# data under $(pkgdatadir)/modules/hello/{sql,templates,static}
hello_sqldir = $(moduledatadir)/hello/sql
dist_hello_sql_DATA = modules/hello/sql/001_hello_messages.sql
hello_tpldir = $(moduledatadir)/hello/templates
dist_hello_tpl_DATA = modules/hello/templates/message.tpl
hello_staticdir = $(moduledatadir)/hello/static
dist_hello_static_DATA = modules/hello/static/hello.css

# its tests: integration scripts that tools/test runs after t/integration/
MODULE_TESTS += modules/hello/t/message.sh
