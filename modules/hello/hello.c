/*
 * hello.c -- the example module (docs/modules.md walks through it): Help >
 * Message support, a form that leaves the brand's support desk a message
 * and counts the messages the viewer's own account or partner has left
 * (the brand's published contacts are the core's Help > Contact us).
 * Includes tierport.h only; the core checks the login, the brand's plan
 * and CSRF before these handlers run.
 */
#include "tierport.h"

#include <string.h>

#define SUBJECT_MAX 120
#define MESSAGE_MAX 4000

/* The page: the brand's name and how many messages the viewer's own
 * account or partner has left. */
static tp_rc hello_fill(tp_req *r)
{
	json_object *v = tp_view(r);
	tp_rows *rs;
	tp_brand_info b;
	tp_brand_get(r, &b);
	json_object_object_add(v, "brand_name", json_object_new_string(b.name));
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT COUNT(*) FROM hello_messages WHERE tenant_id "
	                "= ? AND partner_id = ? AND account_id = ?",
	                "III", (int64_t)b.id, (int64_t)tp_scope_partner_root(r),
	                (int64_t)tp_scope_account_root(r));
	if (rc != TP_OK)
		return rc;
	json_object_object_add(v, "messages_sent",
	                       json_object_new_int64(tp_rows_i64(rs, 0, 0)));
	tp_view_title(r, "Message support");
	return TP_OK;
}

static tp_rc hello_page(tp_req *r)
{
	return hello_fill(r);
}

/* text FIELD MAX: required, at most MAX bytes, no control characters but
 * line breaks and tabs */
static tp_rc text_field(tp_req *r, const char *field, size_t max,
                        const char **out)
{
	tp_rc rc = tp_input(r, field, out);
	if (rc != TP_OK)
		return rc;
	if (*out == NULL || **out == '\0')
		return tp_fail(r, TP_EINVAL, field, "%s is required", field);
	if (strlen(*out) > max)
		return tp_fail(r, TP_EINVAL, field,
		               "%s is longer than %zu characters", field, max);
	for (const unsigned char *p = (const unsigned char *)*out; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t')
			return tp_fail(r, TP_EINVAL, field,
			               "%s holds a control character", field);
	return TP_OK;
}

/* A message for the brand's support desk: one row, one transaction. */
static tp_rc hello_send(tp_req *r)
{
	const char *subject, *message;
	tp_rc rc;
	if ((rc = text_field(r, "subject", SUBJECT_MAX, &subject)) != TP_OK ||
	    (rc = text_field(r, "message", MESSAGE_MAX, &message)) != TP_OK) {
		/* the page again, with what was typed and the error */
		if (rc == TP_EINVAL)
			hello_fill(r);
		return rc;
	}
	tp_db *db = tp_req_db(r);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO hello_messages (tenant_id, partner_id, "
	                "account_id, subject, message) VALUES (?, ?, ?, ?, ?)",
	                "IIIss", (int64_t)tp_tenant_id(r),
	                (int64_t)tp_scope_partner_root(r),
	                (int64_t)tp_scope_account_root(r), subject, message);
	if (rc != TP_OK)
		return rc; /* the core rolls back what is left open */
	uint64_t id = tp_db_last_id(db);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rc;
	if ((rc = hello_fill(r)) != TP_OK)
		return rc;
	json_object *v = tp_view(r);
	json_object_object_add(v, "id", json_object_new_int64((int64_t)id));
	json_object_object_add(v, "sent", json_object_new_boolean(1));
	tp_set_status(r, 201);
	return TP_OK;
}

static const tp_route hello_routes[] = {{.methods = TP_GET,
                                         .path = "/help/message",
                                         .handler = hello_page,
                                         .tmpl = "hello/message.tpl"},
                                        {.methods = TP_POST,
                                         .path = "/help/message",
                                         .handler = hello_send,
                                         .tmpl = "hello/message.tpl"},
                                        {0}};

static const tp_menu hello_menu[] = {{.label = "Message support",
                                      .href = "/help/message",
                                      .order = 85,
                                      .group = "Help"},
                                     {0}};

const tp_module tierport_module = {
    TP_MODULE_HEAD,
    .name = "hello",
    .version = "1.0",
    .description = "Help > Message support: a message for the brand's "
                   "support desk",
    .routes = hello_routes,
    .menu = hello_menu,
    .migrations = "sql",
};
