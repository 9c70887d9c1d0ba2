/*
 * grid.h -- the grid engine's state for one request, shared by grid.c
 * (parameters, SQL, the page) and export.c (the downloads). Core-private.
 */
#ifndef TP_GRID_H
#define TP_GRID_H

#include "data/data.h"

#define TP_GRID_MAX_COLS 48
#define TP_GRID_MAX_ARGS 60

/* a growing string in the request arena */
typedef struct tp_gsb {
	tp_req *r;
	char *p;
	size_t len, cap;
} tp_gsb;

enum tp_grid_format {
	TP_GRID_NONE = 0,
	TP_GRID_CSV,
	TP_GRID_XLSX,
	TP_GRID_PDF
};

typedef struct tp_grid_run {
	const tp_grid *g;
	size_t ncols;
	/* per declared column: the brand's label, available (not hidden by
	 * the brand), shown by default, position in the brand's order */
	const char *label[TP_GRID_MAX_COLS];
	bool avail[TP_GRID_MAX_COLS];
	bool shown[TP_GRID_MAX_COLS];
	int pos[TP_GRID_MAX_COLS];
	const char *user_cols; /* the user's saved choice, or NULL */
	/* the visible columns, in order (indexes into g->cols) */
	int vis[TP_GRID_MAX_COLS];
	size_t nvis;
	int sort;  /* column index */
	bool desc; /* sort descending */
	int group; /* column index, -1: none */
	int limit;
	bool paged;            /* a cursor was given */
	bool backward;         /* the cursor is "before" */
	int format;            /* enum tp_grid_format */
	uint64_t partner_root; /* a partner login's scope, 0 otherwise */
	bool in_order;         /* a big subtree: read the sort index in order */
	bool whole_brand;      /* the viewer sees all of the brand's rows */
	bool have_gen;         /* gen read (a cached grid's page) */
	uint64_t gen;          /* the brand's data generation */
	bool force_index;      /* a page after a cursor: read the sort
	                          column's index from there (its .index) */
	/* " WHERE ..." with its bound values */
	tp_gsb where;
	tp_db_arg args[TP_GRID_MAX_ARGS];
	/* the HTML rows' own link (tp_grid_respond_action), or NULL */
	const char *act_label, *act_pre, *act_post;
	size_t nargs;
	/* a download's connection (export.c: tp_grid_export) */
	tp_db *db;
} tp_grid_run;

/* Column i's label as people read it: a declared label (N_ in the grid)
 * in the viewer's language, a brand's own label as the brand wrote it.
 * The CSV's header keeps g->label itself (machine-readable). */
static inline const char *tp_grid_label(const tp_grid_run *g, int i)
{
	return g->label[i] == g->g->cols[i].label ? tp_tr(g->label[i])
	                                          : g->label[i];
}

/* The rows' SELECT (id, sort value, visible columns, currencies of the
 * visible money columns) in the grid's order; LIMIT n when n > 0. */
char *tp_grid_sql(tp_grid_run *g, int limit);
/* "SELECT 1" over the grid's rows after the first N, N the one parameter
 * after g's own (export caps) */
char *tp_grid_sql_after(tp_grid_run *g);
/* format=csv|xlsx|pdf: every row of the list streamed as a download
 * (export.c). */
tp_rc tp_grid_export(tp_req *r, tp_grid_run *g);

/* export.c, for the writers that build a whole file first (XLSX, PDF). */
/* Before a writer starts: a 400 on "format" when the list holds more than
 * max rows (one query that stops after max + 1), else *path is a fresh
 * unique file in the upload directory, removed when the request ends
 * whatever happens. */
tp_rc tp_export_prepare(tp_req *r, tp_grid_run *g, long max, const char *what,
                        char **path);
/* Opens path, unlinks it, streams it out in chunks as a download. */
tp_rc tp_export_send(tp_req *r, const char *path, const char *content_type,
                     const char *download_name);
/* Whether a money column is visible (the downloads then end every row with
 * a Currency column), and a row's value for it: the currency of the first
 * money column with a value, or NULL. */
bool tp_export_has_money(const tp_grid_run *g);
const char *tp_export_currency(const tp_grid_run *g, const char **cols);

/* export_xlsx.c, export_pdf.c */
tp_rc tp_export_xlsx(tp_req *r, tp_grid_run *g);
tp_rc tp_export_pdf(tp_req *r, tp_grid_run *g);

#endif
