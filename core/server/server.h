/*
 * server/server.h -- the composition root: tierportd, the master and its
 * workers, the pipeline, the module loader, migrations. Includes everything
 * below.
 */
#ifndef TP_SERVER_H
#define TP_SERVER_H

#include "builtin/builtin.h"

/* ------------------------------------------------------------------ */
/* module.c: the loader                                                 */

/* ------------------------------------------------------------------ */
/* module.c: the loader                                                 */

/* Scans the configured dirs, dlopens every *.so, checks the descriptor,
 * refuses bad ones (logged, unloaded) and adds routes to rt (rt may be
 * NULL: tierportctl only reads descriptors). Returns the number refused
 * in *refused. */
tp_rc tp_modules_load(tp_modules *ms, const tp_config *cfg, tp_router *rt,
                      int *refused);
/* Checks one descriptor; NULL if fine, else a static reason. */
const char *tp_module_check(const tp_module *m);
/* The tables of a module's sealed columns are its own: named after it
 * (NAME or NAME_...) or made by one of its migrations (CREATE TABLE in a
 * .sql file of its migrations directory under [modules] data). NULL if
 * so, else why (in buf). */
const char *tp_module_sealed_owned(const tp_config *cfg, const tp_module *m,
                                   char *buf, size_t len);
tp_rc tp_modules_init(tp_modules *ms, tp_core *core, tp_router *rt);
void tp_modules_fini(tp_modules *ms);
tp_rc tp_modules_thread_init(tp_modules *ms, tp_db *db);
void tp_modules_thread_fini(tp_modules *ms);
/* The modules' menu entries as a json array of {label, href, order,
 * group, ...}, sorted by order (stable); the caller owns it. hooks (room
 * for tp_modules_menu_size entries, or NULL) gets the entries with a
 * per-viewer count, *nhooks how many; their "hook" key is the index. */
json_object *tp_modules_menu(const tp_modules *ms, const tp_menu **hooks,
                             size_t *nhooks);
/* How many menu entries the loaded modules declare (room for hooks). */
size_t tp_modules_menu_size(const tp_modules *ms);
/* The loaded modules as a json array of {name, version, abi} in load
 * order (/healthz, tierportctl modules); the caller owns it. */
json_object *tp_modules_json(const tp_modules *ms);
/* Directory holding module m's data (NAME/ under one of cfg->module_data) */
char *tp_module_data_dir(const tp_config *cfg, const char *name);

/* Route, parse, run the handler and respond. The transport has filled
 * the raw fields of r. */
void tp_handle(tp_app *app, tp_req *r);
/* Core routes (healthz). */
tp_rc tp_core_routes_add(tp_router *rt);

/* ------------------------------------------------------------------ */
/* worker.c / master.c                                                  */

int tp_master_run(const char *config_path, bool foreground);
/* Runs one worker: loads modules, T threads, serves until SIGTERM.
 * ready_fd gets one byte once serving (or is closed on failure). */
int tp_worker_run(tp_config *cfg, int listen_fd, int ready_fd);
int tp_listen_open(const tp_config *cfg);

/* ------------------------------------------------------------------ */
/* scheduler.c: `tierportctl scheduler`                                 */

/* Until SIGTERM/SIGINT (or one pass when once): every [scheduler]
 * interval_ms, a child process per due job of ms and an event delivery
 * pass. ms is loaded and initialised by the caller. */
int tp_scheduler_run(const tp_config *cfg, tp_modules *ms, bool once);

/* ------------------------------------------------------------------ */
/* migrate.c                                                            */

tp_rc tp_migrate(tp_config *cfg, tp_db *db, bool dry_run, FILE *out);

#endif /* TP_SERVER_H */
