/*
 * tplpot -- the text templates mark for translation, as PO entries.
 *
 *   tplpot templates/login.tpl ... > tpl.pot    (then msguniq; tools/update-po)
 *
 * Reads each template with tp_tplmsg_each, the function the template bridge
 * translates with, and prints one entry per marked text: "#: FILE" and the
 * msgid (blanks collapsed). Exit 1 on a template whose markers are wrong.
 */
#include "config.h"
#include "lib/lib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct st {
	const char *file;
};

static int skip(void *ud, const char *p, size_t n, unsigned line)
{
	(void)ud, (void)p, (void)n, (void)line;
	return 0;
}

static int entry(void *ud, const char *p, size_t n, unsigned line)
{
	struct st *st = ud;
	char *id = malloc(n + 1);
	if (id == NULL)
		return -1;
	tp_tplmsg_norm(p, n, id);
	printf("#: %s:%u\n", st->file, line);
	if (strstr(id, "{{") != NULL)
		printf("#. {{NAME}} markers are filled in by the page: keep "
		       "each one\n");
	fputs("msgid \"", stdout);
	for (const char *c = id; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			putchar('\\');
		putchar(*c);
	}
	fputs("\"\nmsgstr \"\"\n\n", stdout);
	free(id);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	puts("msgid \"\"\nmsgstr \"\"\n"
	     "\"Content-Type: text/plain; charset=UTF-8\\n\"\n");
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (f == NULL) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		char *buf = NULL;
		size_t len = 0, cap = 0, n;
		char chunk[8192];
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			if (len + n > cap) {
				cap = (len + n) * 2;
				char *nb = realloc(buf, cap);
				if (nb == NULL) {
					free(buf);
					fclose(f);
					return 2;
				}
				buf = nb;
			}
			memcpy(buf + len, chunk, n);
			len += n;
		}
		fclose(f);
		struct st st = {argv[i]};
		char err[200];
		if (tp_tplmsg_each(buf != NULL ? buf : "", len, skip, entry, &st,
		                   err, sizeof(err)) != 0) {
			fprintf(stderr, "%s: %s\n", argv[i], err);
			bad = 1;
		}
		free(buf);
	}
	return bad;
}
