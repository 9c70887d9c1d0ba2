/* test_grid_rows.c -- core/data/grid.c's row writers (issue 15): the rows
 * of a page written straight from the row source must be, byte for byte,
 * what the json-c tree and the ctemplate section they replace gave --
 * HTML text, attribute and URL contexts escaped exactly as ctemplate's
 * auto-escaping does, JSON exactly as json-c writes it -- on hostile cell
 * values (<script>, quotes, &, control characters, non-ASCII UTF-8,
 * javascript: links). The reference is the old code (old_cell below, kept
 * here only to compare against) rendered through the old ROWS section.
 * Static functions, hence the #include. */
#include "../../core/data/grid.c"

#include "tp_check.h"

#include <unistd.h>

/* core/data/db.c's result, built by hand: no database here */
struct tp_rows {
	unsigned ncols;
	size_t nrows;
	char **cells;
};

static const tp_grid_col cols[] = {
    {.key = "name",
     .label = "Name",
     .type = TP_COL_TEXT,
     .flags = TP_COL_SORT,
     .expr = "a.name"},
    {.key = "count", .label = "Count", .type = TP_COL_NUMBER, .expr = "a.n"},
    {.key = "balance",
     .label = "Balance",
     .type = TP_COL_MONEY,
     .expr = "a.balance",
     .currency_expr = "a.currency"},
    {.key = "day", .label = "Day", .type = TP_COL_DATE, .expr = "a.day"},
    {.key = "note\"/<k>",
     .label = "Note",
     .type = TP_COL_STATUS,
     .expr = "a.note"},
    {0}};

/* hostile values: every character either escaper treats specially, and
 * what neither may touch */
static const char *const hostile[] = {
    "<script>alert(\"x\")</script>",
    "O'Brien & \"Sons\" <b>",
    "Z\xc3\xbcrich \xe2\x98\x83 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
    "tab\tnl\ncr\rvt\vff\fbs\b \x01\x1f\x7f end",
    "slash/back\\slash &amp; &#39; &lt;",
    "",
    "javascript:alert(1)",
    "  spaced  "};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* the links' prefixes: relative, absolute, and schemes ctemplate refuses */
static const char *const links[] = {"/accounts/",
                                    "http://h.test/a?x=1&y=\"2\"/",
                                    "HTTPS://h/",
                                    "javascript:x/",
                                    "mailto:a@b/",
                                    "data:text/html,",
                                    "java\nscript:x/",
                                    "?q=<b>&id=",
                                    "#top:",
                                    "http:x/",
                                    "/a:b/",
                                    "a/b:c/",
                                    "HtTp://",
                                    "https:/",
                                    "",
                                    NULL};

static tp_req req;
static tp_grid_run run;
static tp_grid grid;
static struct tp_rows rows;
static char *cells[NHOSTILE * 10];

static void setup(void)
{
	tp_req_init(&req, NULL, NULL);
	memset(&run, 0, sizeof(run));
	grid = (tp_grid){.name = "t",
	                 .title = "T",
	                 .cols = cols,
	                 .from = "a",
	                 .id_expr = "a.id",
	                 .tenant_expr = "a.tenant_id",
	                 .default_sort = "name"};
	run.g = &grid;
	run.where.r = &req;
	run.ncols = 5;
	run.nvis = 5;
	for (int k = 0; k < 5; k++)
		run.vis[k] = k;
	/* result columns: id, sort value, the 5 visible, the currency */
	rows.ncols = 8;
	rows.nrows = NHOSTILE;
	rows.cells = cells;
	for (size_t i = 0; i < NHOSTILE; i++) {
		char **c = cells + i * 8;
		c[0] = tp_printf(&req, "%zu", 1000 + i);
		c[1] = (char *)hostile[i];
		c[2] = (char *)hostile[i];
		c[3] = i % 3 == 0 ? NULL : tp_printf(&req, "%zu", i * 7);
		c[4] = i % 4 == 0 ? NULL
		                  : tp_printf(&req, "%lld",
		                              (long long)i * -123456789 + 5);
		c[5] = i % 2 ? (char *)"2025-01-0\"1" : NULL;
		c[6] = (char *)hostile[(i + 3) % NHOSTILE];
		/* a currency that is not one, escaped too */
		c[7] = i % 3 == 1 ? (char *)"<E&R>"
		       : i % 3    ? (char *)"EUR"
		                  : NULL;
	}
}

static void teardown(void)
{
	tp_req_reset(&req);
	tp_arena_destroy(&req.arena);
}

/* ---- the reference: the old per-cell tree (grid.c before issue 15) */

static void old_cell(tp_grid_run *g, bool html, json_object *row, size_t k,
                     const char *v, const char *cur, const char *link,
                     json_object *plain)
{
	const tp_grid_col *c = &g->g->cols[g->vis[k]];
	char buf[32];
	json_object *x;

	if (html) {
		const char *text = v ? v : "";
		if (c->type == TP_COL_MONEY && v != NULL) {
			int64_t n = 0;
			tp_parse_i64(v, &n);
			text = tp_printf(
			    g->where.r, "%s %s",
			    tp_money_format_ccy(n, cur, buf, sizeof(buf)),
			    cur ? cur : "");
		}
		x = json_object_new_object();
		json_object_object_add(x, "text", jstr(text));
		if (c->type == TP_COL_NUMBER || c->type == TP_COL_MONEY)
			json_object_object_add(x, "num",
			                       json_object_get(plain));
		if (k == 0 && link != NULL)
			json_object_object_add(x, "link", jstr(link));
		else
			json_object_object_add(x, "plain",
			                       json_object_get(plain));
		json_object_array_add(row, x);
		return;
	}
	if (v == NULL) {
		x = NULL;
	} else if (c->type == TP_COL_NUMBER) {
		int64_t n = 0;
		tp_parse_i64(v, &n);
		x = json_object_new_int64(n);
	} else if (c->type == TP_COL_MONEY) {
		int64_t n = 0;
		tp_parse_i64(v, &n);
		x = tp_json_money(n, cur);
	} else {
		x = jstr(v);
	}
	json_object_object_add(row, c->key, x);
}

static json_object *old_rows(tp_grid_run *g, bool html)
{
	json_object *list = json_object_new_array();
	json_object *plain = json_object_new_boolean(1);
	for (size_t j = 0; j < rows.nrows; j++) {
		size_t i = g->backward ? rows.nrows - 1 - j : j;
		json_object *row = json_object_new_object();
		const char *link = NULL;
		json_object_object_add(
		    row, "id", json_object_new_int64(tp_rows_i64(&rows, i, 0)));
		if (g->g->link != NULL) {
			link = tp_printf(&req, "%s%s", g->g->link,
			                 tp_rows_get(&rows, i, 0));
			json_object_object_add(row, "href", jstr(link));
		}
		json_object *cl = html ? json_object_new_array() : row;
		for (size_t k = 0; k < g->nvis; k++)
			old_cell(g, html, cl, k, tp_rows_get(&rows, i, 2 + k),
			         g->g->cols[g->vis[k]].type == TP_COL_MONEY
			             ? tp_rows_get(&rows, i, 7)
			             : NULL,
			         link, plain);
		if (html)
			json_object_object_add(row, "cells", cl);
		if (html && g->act_pre != NULL) {
			json_object *a = json_object_new_object();
			json_object_object_add(
			    a, "href",
			    jstr(tp_printf(&req, "%s%s%s", g->act_pre,
			                   tp_rows_get(&rows, i, 0),
			                   g->act_post)));
			json_object_object_add(a, "label", jstr(g->act_label));
			json_object_object_add(row, "action", a);
		}
		json_object_array_add(list, row);
	}
	json_object_put(plain);
	return list;
}

/* ---- rendering both ways */

/* got == want, or a failure showing where they part (whole pages are too
 * long for a check message) */
static void same(const char *what, const char *got, const char *want)
{
	size_t i = 0;
	while (got[i] != '\0' && got[i] == want[i])
		i++;
	if (got[i] == want[i])
		return;
	size_t from = i > 60 ? i - 60 : 0;
	ck_abort_msg("%s differs at byte %zu (link %s, action %s, %s):\n"
	             "got  ...%.120s\nwant ...%.120s",
	             what, i, grid.link ? grid.link : "none",
	             run.act_pre ? run.act_pre : "none",
	             run.backward ? "backward" : "forward", got + from,
	             want + from);
}

static const char old_tpl[] =
    "{{%AUTOESCAPE context=\"HTML\"}}\n<tbody>\n"
    "{{#ROWS}}<tr data-id=\"{{ID}}\">{{#CELLS}}<td{{#NUM}} "
    "class=\"num\"{{/NUM}}>{{#LINK}}<a "
    "href=\"{{LINK}}\">{{TEXT}}</a>{{/LINK}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}</"
    "td>{{/CELLS}}{{#ACTION}}<td class=\"tp-row-action\"><a "
    "href=\"{{HREF}}\">{{LABEL}}</a></td>{{/ACTION}}</tr>\n"
    "{{/ROWS}}\n</tbody>\n";
static const char new_tpl[] = "{{%AUTOESCAPE context=\"HTML\"}}\n<tbody>\n"
                              "{{ROWS_HTML:none}}</tbody>\n";

static char *render(const char *tpl, json_object *data)
{
	char path[] = "/tmp/tp-test-grid-rows-XXXXXX.tpl", err[256];
	char *out = NULL;
	size_t len = 0;
	int fd = mkstemps(path, 4);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, tpl, strlen(tpl)), (ssize_t)strlen(tpl));
	close(fd);
	int rc = tp_tmpl_render(path, NULL, data, &out, &len, err, sizeof(err));
	unlink(path);
	ck_assert_msg(rc == 0, "%s", err);
	char *copy = tp_printf(&req, "%s", out);
	free(out);
	return copy;
}

static void check_html(void)
{
	json_object *d = json_object_new_object();
	json_object_object_add(d, "rows", old_rows(&run, true));
	char *want = render(old_tpl, d);
	json_object_put(d);

	grid_rows *src = rows_source(&run, &rows, rows.nrows);
	sbuf b = {.r = &req};
	rows_html(src, &b);
	d = json_object_new_object();
	json_object_object_add(
	    d, "rows_html",
	    json_object_new_string_len(b.len ? b.p : "", (int)b.len));
	char *got = render(new_tpl, d);
	json_object_put(d);
	same("HTML", got, want);
}

static void check_json(void)
{
	json_object *d = json_object_new_object();
	json_object_object_add(d, "rows", old_rows(&run, false));
	const char *want = tp_printf(
	    &req, "%s",
	    json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN));
	json_object_put(d);

	d = json_object_new_object();
	json_object *a = json_object_new_array();
	json_object_set_serializer(a, rows_serialize,
	                           rows_source(&run, &rows, rows.nrows), NULL);
	json_object_object_add(d, "rows", a);
	const char *got = tp_printf(
	    &req, "%s",
	    json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN));
	json_object_put(d);
	same("JSON", got, want);
}

START_TEST(rows_as_before)
{
	/* every link prefix, with and without a row action, both ways round */
	for (int l = -1; links[l < 0 ? 0 : l] != NULL; l++) {
		grid.link = l < 0 ? NULL : links[l];
		for (int act = 0; act < 2; act++) {
			run.act_pre = act ? links[(l + 2) % 15] : NULL;
			run.act_post = act ? "/edit?a=1&b='2'" : NULL;
			run.act_label = act ? "Edit <it> & \"go\"" : NULL;
			for (int back = 0; back < 2; back++) {
				run.backward = back;
				check_html();
				check_json();
			}
		}
	}
}
END_TEST

START_TEST(no_rows)
{
	rows.nrows = 0;
	check_html();
	check_json();
}
END_TEST

static Suite *grid_rows_suite(void)
{
	Suite *s = suite_create("grid_rows");
	TCase *tc = tcase_create("writers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rows_as_before);
	tcase_add_test(tc, no_rows);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(grid_rows_suite)
