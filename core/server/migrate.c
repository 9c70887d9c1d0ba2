/*
 * migrate.c -- applies core sql/ and each module's migrations once, in
 * file-name order, recording each with a checksum in schema_migrations.
 * A recorded migration whose file changed is an error, never re-run.
 */
#include "config.h"
#include "server/server.h"

#include <dirent.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char create_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " component VARCHAR(64) NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
    " PRIMARY KEY (component, name)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || st.st_size > 64 * 1024 * 1024) {
		fclose(f);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t n = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void checksum(const char *data, size_t len, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)data, len, NULL,
	                   0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static tp_rc migrate_dir(tp_db *db, const char *component, const char *dir,
                         bool dry_run, FILE *out, int *applied)
{
	DIR *dh = opendir(dir);
	if (dh == NULL) {
		fprintf(out, "%s: no migrations directory %s\n", component,
		        dir);
		return TP_ENOENT;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 4 && strcmp(de->d_name + l - 4, ".sql") == 0) {
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n++] = strdup(de->d_name);
		}
	}
	closedir(dh);
	qsort(names, n, sizeof(*names), cmp_str);

	tp_rc rc = TP_OK;
	for (size_t i = 0; i < n && rc == TP_OK; i++) {
		char path[4096], sum[65], err[1024];
		size_t len;
		tp_arena a;
		tp_rows *rs;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		char *sql = read_file(path, &len);
		if (sql == NULL) {
			fprintf(out, "%s: cannot read %s\n", component, path);
			rc = TP_EINVAL;
			break;
		}
		checksum(sql, len, sum);
		tp_arena_init(&a);
		rc = tp_db_query_a(db, &a, &rs,
		                   "SELECT checksum FROM schema_migrations "
		                   "WHERE component = ? AND name = ?",
		                   "ss", component, names[i]);
		if (rc == TP_OK && tp_rows_count(rs) > 0) {
			if (strcmp(tp_rows_get(rs, 0, 0), sum) != 0) {
				fprintf(out,
				        "%s/%s: changed after it was applied; "
				        "write a new migration instead\n",
				        component, names[i]);
				rc = TP_ECONFLICT;
			}
		} else if (rc == TP_OK && dry_run) {
			fprintf(out, "would apply %s/%s\n", component,
			        names[i]);
		} else if (rc == TP_OK) {
			rc = tp_db_script(db, sql, err, sizeof(err));
			if (rc != TP_OK) {
				fprintf(out, "%s/%s: failed: %s\n", component,
				        names[i], err);
			} else {
				rc =
				    tp_db_exec(db, NULL,
				               "INSERT INTO schema_migrations "
				               "(component, name, checksum) "
				               "VALUES (?, ?, ?)",
				               "sss", component, names[i], sum);
				if (rc == TP_OK) {
					fprintf(out, "applied %s/%s\n",
					        component, names[i]);
					(*applied)++;
				}
			}
		}
		tp_arena_destroy(&a);
		free(sql);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

tp_rc tp_migrate(tp_config *cfg, tp_db *db, bool dry_run, FILE *out)
{
	tp_modules ms = {0};
	int refused = 0, applied = 0;
	char err[512];
	tp_arena a;
	tp_rows *rs;

	if (sodium_init() < 0)
		return TP_EINTERNAL;
	if (tp_db_script(db, create_sql, err, sizeof(err)) != TP_OK) {
		fprintf(out, "cannot create schema_migrations: %s\n", err);
		return TP_EDB;
	}
	/* one migrator at a time */
	tp_arena_init(&a);
	tp_rc rc = tp_db_query_a(db, &a, &rs, "SELECT GET_LOCK(?, 60)", "s",
	                         "tierport_migrate");
	if (rc != TP_OK || tp_rows_i64(rs, 0, 0) != 1) {
		fprintf(out, "cannot take the migration lock\n");
		tp_arena_destroy(&a);
		return TP_ECONFLICT;
	}
	rc = migrate_dir(db, "core", cfg->sql_dir, dry_run, out, &applied);
	if (rc == TP_OK) {
		tp_modules_load(&ms, cfg, NULL, &refused);
		for (size_t i = 0; i < ms.n && rc == TP_OK; i++) {
			const tp_module *m = ms.mods[i].mod;
			if (m->migrations == NULL)
				continue;
			char *base = tp_module_data_dir(cfg, m->name);
			char dir[4096];
			if (base == NULL) {
				fprintf(out,
				        "%s: data directory not found in "
				        "[modules] data\n",
				        m->name);
				rc = TP_ENOENT;
				break;
			}
			snprintf(dir, sizeof(dir), "%s/%s", base,
			         m->migrations);
			free(base);
			rc = migrate_dir(db, m->name, dir, dry_run, out,
			                 &applied);
		}
		/* descriptors only: no init ran, so no fini */
		for (size_t i = 0; i < ms.n; i++)
			ms.mods[i].inited = false;
		tp_modules_fini(&ms);
	}
	/* secrets stored in plain text before sealing existed (TOTP, sql/
	 * 009): sealed now, so none is left once migrate has run (the core's
	 * columns: a module's never held plain text) */
	if (rc == TP_OK && !dry_run) {
		unsigned sealed = 0, failed = 0;
		err[0] = '\0';
		if (!tp_keystore_loaded())
			tp_keystore_load(cfg->key_file, err, sizeof(err));
		rc = tp_reseal_all(db, NULL, true, out, &sealed, &failed);
		if (failed > 0 && err[0] != '\0')
			fprintf(out, "key store: %s\n", err);
		if (sealed > 0)
			fprintf(out,
			        "sealed %u secret(s) stored in plain text\n",
			        sealed);
		if (rc == TP_OK && failed > 0) {
			fprintf(out,
			        "%u secret(s) left in plain text: the key "
			        "store is needed ([security] key_file)\n",
			        failed);
			rc = TP_EUNAVAIL;
		}
	}
	tp_db_query_a(db, &a, &rs, "SELECT RELEASE_LOCK(?)", "s",
	              "tierport_migrate");
	tp_arena_destroy(&a);
	if (rc == TP_OK)
		fprintf(out, "%d migration(s) %s\n", applied,
		        dry_run ? "pending" : "applied");
	if (refused > 0)
		fprintf(out, "warning: %d module(s) refused (see log)\n",
		        refused);
	return rc;
}
