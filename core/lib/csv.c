/*
 * csv.c -- a streaming RFC 4180 reader for imports: quoted fields with
 * commas, doubled quotes and line breaks, CRLF or LF, a UTF-8 BOM skipped.
 * It reads one record at a time from a FILE and never holds more than one
 * record (at most max_fields x max_field bytes); it never stops at the
 * first bad record when it can find the start of the next one.
 */
#include "config.h"
#include "lib/lib.h"

#include <stdlib.h>
#include <string.h>

void tp_csv_init(tp_csv *c, FILE *f, size_t max_field, size_t max_fields)
{
	memset(c, 0, sizeof(*c));
	c->f = f;
	c->max_field = max_field;
	c->max_fields = max_fields;
	c->line = 1;
}

void tp_csv_free(tp_csv *c)
{
	free(c->buf);
	free(c->fields);
	c->buf = NULL;
	c->fields = NULL;
}

/* room for n more bytes of the record */
static bool grow(tp_csv *c, size_t n)
{
	if (c->len + n <= c->cap)
		return true;
	size_t ncap = c->cap ? c->cap : 256;
	while (ncap < c->len + n)
		ncap *= 2;
	char *nb = realloc(c->buf, ncap);
	if (nb == NULL) {
		c->err = "out of memory";
		return false;
	}
	c->buf = nb;
	c->cap = ncap;
	return true;
}

/* one byte more of the field; false when a limit or malloc refuses */
static bool put(tp_csv *c, char ch)
{
	if (c->flen >= c->max_field) {
		c->err = "a field is too long";
		return false;
	}
	if (!grow(c, 1))
		return false;
	c->buf[c->len++] = ch;
	c->flen++;
	return true;
}

/* ends the field being read: a NUL after it, its offset kept (the
 * buffer may still move; tp_csv_next makes them pointers at the end) */
static bool end_field(tp_csv *c)
{
	if (c->nf >= c->max_fields) {
		c->err = "a line has too many fields";
		return false;
	}
	if (c->nf + 1 > c->fcap) {
		size_t ncap = c->fcap ? c->fcap * 2 : 16;
		char **nf = realloc(c->fields, ncap * sizeof(*nf));
		if (nf == NULL) {
			c->err = "out of memory";
			return false;
		}
		c->fields = nf;
		c->fcap = ncap;
	}
	if (!grow(c, 1))
		return false;
	c->fields[c->nf++] = (char *)(uintptr_t)(c->len - c->flen);
	c->buf[c->len++] = '\0';
	c->flen = 0;
	return true;
}

/* A bad record: skip to the end of its physical line, so the next call
 * starts on the next one. */
static tp_rc skip_line(tp_csv *c)
{
	int ch;
	while ((ch = getc(c->f)) != EOF && ch != '\n')
		;
	if (ch == '\n')
		c->line++;
	return TP_EINVAL;
}

/* a line break after '\r': "\r\n" is one, a lone '\r' is one too */
static void crlf(tp_csv *c)
{
	int ch = getc(c->f);
	if (ch != '\n' && ch != EOF)
		ungetc(ch, c->f);
	c->line++;
}

/* past the line break ch (or the end of the file) */
static void line_end(tp_csv *c, int ch)
{
	if (ch == '\n')
		c->line++;
	else if (ch == '\r')
		crlf(c);
}

/* A record that went bad at ch: if ch ended its line, the next record
 * starts right after; else the rest of the line goes too. */
static tp_rc bad_at(tp_csv *c, int ch)
{
	if (ch != '\n' && ch != '\r' && ch != EOF)
		return skip_line(c);
	line_end(c, ch);
	return TP_EINVAL;
}

tp_rc tp_csv_next(tp_csv *c)
{
	enum { START, PLAIN, QUOTED, QUOTE } st = START;
	int ch;

	c->len = c->nf = c->flen = 0;
	c->err = NULL;
	if (!c->started) {
		/* a UTF-8 byte order mark, as spreadsheets write; the
		 * files read here (uploads, fmemopen) can seek */
		unsigned char bom[3];
		long at = ftell(c->f);
		c->started = true;
		if (!(fread(bom, 1, 3, c->f) == 3 && bom[0] == 0xef &&
		      bom[1] == 0xbb && bom[2] == 0xbf) &&
		    (at < 0 || fseek(c->f, at, SEEK_SET) != 0)) {
			c->err = "cannot read the file";
			return TP_EINVAL;
		}
	}
	/* blank lines between records are not records */
	for (;;) {
		ch = getc(c->f);
		if (ch == '\n') {
			c->line++;
		} else if (ch == '\r') {
			crlf(c);
		} else {
			break;
		}
	}
	if (ch == EOF)
		return ferror(c->f) ? (c->err = "read error", TP_EINVAL)
		                    : TP_ENOENT;
	c->rec_line = c->line;
	for (;; ch = getc(c->f)) {
		if (ch == '\0' && st != QUOTE) {
			c->err = "a line holds a NUL byte";
			return skip_line(c);
		}
		switch (st) {
		case START:
		case PLAIN:
			if (ch == EOF || ch == '\n' || ch == '\r') {
				if (!end_field(c))
					return bad_at(c, ch);
				line_end(c, ch);
				goto done;
			}
			if (ch == ',') {
				if (!end_field(c))
					return bad_at(c, ch);
				st = START;
			} else if (ch == '"' && st == START) {
				st = QUOTED;
			} else if (ch == '"') {
				c->err =
				    "a quote inside an unquoted field (quote "
				    "the whole field and double the quote)";
				return skip_line(c);
			} else {
				if (!put(c, (char)ch))
					return bad_at(c, ch);
				st = PLAIN;
			}
			break;
		case QUOTED:
			if (ch == EOF) {
				c->err = "a quoted field is never closed";
				return TP_EINVAL;
			}
			if (ch == '"') {
				st = QUOTE;
				break;
			}
			if (!put(c, (char)ch))
				return bad_at(c, ch);
			if (ch == '\n')
				c->line++;
			break;
		case QUOTE:
			if (ch == '"') {
				if (!put(c, '"'))
					return skip_line(c);
				st = QUOTED;
			} else if (ch == ',') {
				if (!end_field(c))
					return bad_at(c, ch);
				st = START;
			} else if (ch == EOF || ch == '\n' || ch == '\r') {
				if (!end_field(c))
					return bad_at(c, ch);
				line_end(c, ch);
				goto done;
			} else {
				c->err = "characters after a closing quote";
				return bad_at(c, ch);
			}
			break;
		}
	}
done:
	for (size_t i = 0; i < c->nf; i++)
		c->fields[i] = c->buf + (uintptr_t)c->fields[i];
	return TP_OK;
}
