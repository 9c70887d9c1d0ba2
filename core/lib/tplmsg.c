/*
 * tplmsg.c -- the text a template marks for translation.
 *
 * ctemplate has no gettext of its own, so a template marks its text:
 *
 *   <h1>{{_}}Sign in to {{BRAND_NAME}}{{/_}}</h1>
 *
 * The msgid is the text between {{_}} and {{/_}} with every run of blanks
 * (space, tab, newline) made one space and none at either end. It may hold
 * ctemplate markers ({{BRAND_NAME}}); a translation must hold the same ones.
 * It is HTML written by us, like the rest of the template: tags and
 * entities stay as they are, and translations are HTML too.
 *
 * The template bridge (http/tmpl.cc) replaces each marked text with its
 * translation when it loads a template for a language -- once per thread,
 * never per request -- and `make update-po` (tools/tplpot) lists the
 * msgids for the catalogs. Both read templates through tp_tplmsg_each, so
 * they cannot disagree on what a msgid is.
 */
#include "config.h"
#include "lib/lib.h"

#include <stdio.h>
#include <string.h>

#define OPEN  "{{_}}"
#define CLOSE "{{/_}}"

size_t tp_tplmsg_norm(const char *raw, size_t n, char *out)
{
	size_t o = 0;
	bool blank = false;

	for (size_t i = 0; i < n; i++) {
		char c = raw[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			blank = o > 0;
			continue;
		}
		if (blank)
			out[o++] = ' ';
		blank = false;
		out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

static unsigned lines_in(const char *p, size_t n)
{
	unsigned k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == '\n';
	return k;
}

int tp_tplmsg_each(const char *s, size_t n, tp_tplmsg_fn text, tp_tplmsg_fn msg,
                   void *ud, char *err, size_t errlen)
{
	size_t at = 0;
	unsigned line = 1;

	while (at < n) {
		const char *o = memmem(s + at, n - at, OPEN, sizeof(OPEN) - 1);
		size_t pre = o != NULL ? (size_t)(o - (s + at)) : n - at;
		const char *c0 = memmem(s + at, pre, CLOSE, sizeof(CLOSE) - 1);
		if (c0 != NULL) {
			snprintf(err, errlen, "line %u: %s without %s",
			         line +
			             lines_in(s + at, (size_t)(c0 - (s + at))),
			         CLOSE, OPEN);
			return -1;
		}
		if (pre > 0 && text(ud, s + at, pre, line) != 0)
			return -1;
		line += lines_in(s + at, pre);
		if (o == NULL)
			break;
		at += pre + sizeof(OPEN) - 1;
		const char *c =
		    memmem(s + at, n - at, CLOSE, sizeof(CLOSE) - 1);
		if (c == NULL) {
			snprintf(err, errlen, "line %u: %s is never closed",
			         line, OPEN);
			return -1;
		}
		size_t len = (size_t)(c - (s + at));
		if (memmem(s + at, len, OPEN, sizeof(OPEN) - 1) != NULL) {
			snprintf(err, errlen, "line %u: %s inside %s", line,
			         OPEN, OPEN);
			return -1;
		}
		bool empty = true;
		for (size_t i = 0; i < len && empty; i++)
			empty = strchr(" \t\r\n", s[at + i]) != NULL;
		if (empty) {
			snprintf(err, errlen, "line %u: %s%s marks no text",
			         line, OPEN, CLOSE);
			return -1;
		}
		if (msg(ud, s + at, len, line) != 0)
			return -1;
		line += lines_in(s + at, len);
		at += len + sizeof(CLOSE) - 1;
	}
	return 0;
}

/* The {{...}} markers of s, one after the other, for comparing. */
static size_t markers(const char *s, const char **m, size_t *ml, size_t max)
{
	size_t k = 0;
	const char *p = s;
	while ((p = strstr(p, "{{")) != NULL && k < max) {
		const char *e = strstr(p, "}}");
		if (e == NULL)
			break;
		m[k] = p;
		ml[k++] = (size_t)(e + 2 - p);
		p = e + 2;
	}
	return k;
}

bool tp_tplmsg_same_markers(const char *msgid, const char *tr)
{
	const char *a[32], *b[32];
	size_t al[32], bl[32];
	size_t na = markers(msgid, a, al, 32), nb = markers(tr, b, bl, 32);
	if (na != nb)
		return false;
	/* each marker of the msgid is used as often in the translation;
	 * their order may change with the language's word order */
	bool used[32] = {false};
	for (size_t i = 0; i < na; i++) {
		size_t j = 0;
		for (; j < nb; j++)
			if (!used[j] && al[i] == bl[j] &&
			    memcmp(a[i], b[j], al[i]) == 0)
				break;
		if (j == nb)
			return false;
		used[j] = true;
	}
	return true;
}
