/*
 * grid.h -- the grid engine's state for one request, shared by grid.c
 * (parameters, SQL, the page) and export.c (the downloads). Core-private.
 */
#ifndef TP_GRID_H
#define TP_GRID_H

#include "core.h"

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
	bool paged;    /* a cursor was given */
	bool backward; /* the cursor is "before" */
	int format;    /* enum tp_grid_format */
	/* " WHERE ..." with its bound values */
	tp_gsb where;
	tp_db_arg args[TP_GRID_MAX_ARGS];
	size_t nargs;
} tp_grid_run;

/* The rows' SELECT (id, sort value, visible columns, currencies of the
 * visible money columns) in the grid's order; LIMIT n when n > 0. */
char *tp_grid_sql(tp_grid_run *g, int limit);
/* format=csv|xlsx|pdf: every row of the list streamed as a download
 * (export.c). */
tp_rc tp_grid_export(tp_req *r, tp_grid_run *g);

#endif
