/*
 * json.c -- one value into a view's json object under a key, as every
 * page's view holds it: a string never null, money twice (for the API and
 * for people). Only the request's arena, never its DB or its answer.
 */
#include "config.h"
#include "http/http.h"

void tp_json_add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

void tp_json_add_i64(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

void tp_json_add_money(tp_req *r, json_object *o, const char *k, int64_t v,
                       const char *ccy)
{
	char buf[64];
	json_object_object_add(o, k, tp_json_money(v, ccy));
	tp_json_add_str(o, tp_printf(r, "%s_text", k),
	                tp_money_text(v, ccy, buf, sizeof(buf)));
}
