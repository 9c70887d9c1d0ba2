/*
 * fuzz_csv.c -- libFuzzer target for the CSV import reader (core/lib/csv.c).
 * The first input byte picks the limits (so the fuzzer reaches them), the
 * rest is the file. Built and run by tools/fuzz csv.
 */
#include "config.h"
#include "lib/lib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t field_max[] = {1, 8, 64, 4096};
	static const size_t fields_max[] = {1, 3, 16, 256};
	tp_csv c;

	if (size < 1)
		return 0;
	size_t max_field = field_max[data[0] & 3];
	size_t max_fields = fields_max[(data[0] >> 2) & 3];
	size_t len = size - 1;
	/* a copy: fmemopen wants a writable buffer, and a byte more so an
	 * empty file is one too (read past, as test_csv.c does) */
	char *buf = malloc(len + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, len);
	FILE *f = fmemopen(buf, len ? len : 1, "r");
	if (f == NULL)
		abort();
	if (len == 0)
		fgetc(f);
	tp_csv_init(&c, f, max_field, max_fields);

	/* every call either consumes input or ends: at most one record per
	 * byte (and one more for the end) */
	size_t calls = 0, last_line = 0;
	tp_rc rc;
	while ((rc = tp_csv_next(&c)) != TP_ENOENT) {
		if (++calls > len + 2) {
			fprintf(stderr, "tp_csv_next does not advance\n");
			abort();
		}
		if (rc == TP_OK) {
			if (c.nf < 1 || c.nf > max_fields)
				abort();
			for (size_t i = 0; i < c.nf; i++)
				if (strlen(c.fields[i]) > max_field)
					abort();
			if (c.rec_line < 1 || c.rec_line > c.line ||
			    c.rec_line <= last_line)
				abort(); /* lines only go forward */
			last_line = c.rec_line;
		} else if (rc != TP_EINVAL || c.err == NULL) {
			abort(); /* a bad record says why */
		}
	}
	tp_csv_free(&c);
	fclose(f);
	free(buf);
	return 0;
}
