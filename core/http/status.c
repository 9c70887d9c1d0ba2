/*
 * status.c -- the one place where result codes become HTTP statuses and
 * error codes. Every error response, JSON or HTML, goes through here.
 */
#include "config.h"
#include "http/http.h"

static const struct {
	int status;
	const char *code;
} rc_map[TP_RC_MAX] = {
    [TP_OK] = {200, "ok"},
    [TP_DECLINED] = {404, "not_found"},
    [TP_EINVAL] = {400, "invalid"},
    [TP_EAUTH] = {401, "unauthenticated"},
    [TP_EPERM] = {403, "forbidden"},
    [TP_ENOENT] = {404, "not_found"},
    [TP_EMETHOD] = {405, "method_not_allowed"},
    [TP_ECONFLICT] = {409, "conflict"},
    [TP_ETOOBIG] = {413, "too_large"},
    [TP_EMEDIA] = {415, "unsupported_media_type"},
    [TP_EDB] = {500, "database_error"},
    [TP_EUNAVAIL] = {503, "unavailable"},
    [TP_EINTERNAL] = {500, "internal_error"},
};

int tp_rc_http_status(tp_rc rc)
{
	if ((unsigned)rc >= TP_RC_MAX)
		return 500;
	return rc_map[rc].status;
}

const char *tp_rc_code(tp_rc rc)
{
	if ((unsigned)rc >= TP_RC_MAX)
		return "internal_error";
	return rc_map[rc].code;
}

/* N_: the status line keeps the English reason; an error page for people
 * shows it translated (tp_tr in view.c) */
const char *tp_http_reason(int status)
{
	switch (status) {
	case 200: return N_("OK");
	case 201: return N_("Created");
	case 202: return N_("Accepted");
	case 204: return N_("No Content");
	case 301: return N_("Moved Permanently");
	case 302: return N_("Found");
	case 303: return N_("See Other");
	case 304: return N_("Not Modified");
	case 400: return N_("Bad Request");
	case 401: return N_("Unauthorized");
	case 403: return N_("Forbidden");
	case 404: return N_("Not Found");
	case 405: return N_("Method Not Allowed");
	case 409: return N_("Conflict");
	case 413: return N_("Payload Too Large");
	case 415: return N_("Unsupported Media Type");
	case 429: return N_("Too Many Requests");
	case 500: return N_("Internal Server Error");
	case 503: return N_("Service Unavailable");
	default: return N_("Unknown");
	}
}
