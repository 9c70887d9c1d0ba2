/*
 * fuzz_json.c -- libFuzzer target for the JSON body reader: the body
 * parsed as a handler's request would be (core/http/request.c's JSON
 * path: depth limit, trailing data, NUL in strings), then every member
 * of the object read back through tp_input and tp_field_text (form.c), as
 * handlers read them. Built and run by tools/fuzz json.
 */
#include "config.h"
#include "http/http.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tp_config cfg;

struct in {
	const uint8_t *p;
	size_t len, pos;
};

static ssize_t in_read(void *ud, char *buf, size_t len)
{
	struct in *in = ud;
	size_t n = in->len - in->pos;

	if (n > len)
		n = len;
	memcpy(buf, in->p + in->pos, n);
	in->pos += n;
	return (ssize_t)n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	cfg.max_body = 64 * 1024;
	cfg.max_fields = 32;
	cfg.max_field_len = 2048;
	cfg.max_json_depth = 16;
	cfg.max_query = 1024;
	cfg.upload_dir = "/tmp";
	tp_log_open(NULL, TP_LOG_ERR);
	return 0;
}

/* what a handler gets for name must be a whole C string of the member */
static void read_member(tp_req *r, const char *name, json_object *x)
{
	const char *v, *t;

	r->fail_rc = TP_OK;
	r->fail_msg = NULL;
	tp_rc rc = tp_input(r, name, &v);
	bool scalar = json_object_is_type(x, json_type_string) ||
	              json_object_is_type(x, json_type_int) ||
	              json_object_is_type(x, json_type_boolean);
	if (rc == TP_OK) {
		if (!scalar || v == NULL)
			abort(); /* an object, array, double or null let through
			          */
		if (json_object_is_type(x, json_type_string) &&
		    strlen(v) != (size_t)json_object_get_string_len(x))
			abort(); /* a string cut at a NUL */
	} else if (scalar || r->fail_msg == NULL || r->fail_field == NULL ||
	           strcmp(r->fail_field, name) != 0) {
		abort(); /* a refusal names the field and says why */
	}
	r->fail_rc = TP_OK;
	rc = tp_field_text(r, name, NULL, 64, 0, &t);
	if (t == NULL || (rc == TP_OK && strlen(t) > 64))
		abort();
	if (rc != TP_OK && r->fail_msg == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = {data, size, 0};
	tp_req r;

	tp_req_init(&r, NULL, &cfg);
	r.method = TP_POST;
	r.content_type = "application/json";
	r.content_length = (long long)size;
	r.body_read = in_read;
	r.body_ud = &in;

	tp_rc rc = tp_req_parse_body(&r);
	json_object *b = tp_body_json(&r);
	if (rc != TP_OK) {
		if (r.fail_rc != rc || r.fail_msg == NULL || b != NULL)
			abort(); /* every failure must say why, and keep nothing
			          */
	} else if (b == NULL) {
		abort();
	} else if (json_object_is_type(b, json_type_object)) {
		json_object_object_foreach(b, k, x)
		{
			if (x != NULL)
				read_member(&r, k, x);
		}
		/* a member that is not there is no value and no failure */
		const char *v;
		r.fail_rc = TP_OK;
		if (!json_object_object_get_ex(b, "fuzz-absent", NULL) &&
		    (tp_input(&r, "fuzz-absent", &v) != TP_OK || v != NULL))
			abort();
	}
	tp_req_reset(&r);
	tp_arena_destroy(&r.arena);
	return 0;
}
