/*
 * form.c -- a field read and checked in one step, for every form and JSON
 * body alike: the failure names the field and says in words what is wrong
 * with the label the user sees, so the form comes back with the message
 * beside the field (HTML) or a 400 naming it (API).
 */
#include "config.h"
#include "http/http.h"

tp_rc tp_field_text(tp_req *r, const char *field, const char *label, size_t max,
                    int required, const char **out)
{
	const char *v = NULL, *why;
	tp_rc rc = tp_input(r, field, &v);

	*out = "";
	if (rc != TP_OK)
		return rc;
	if ((why = tp_check_text(v, max, !required)) != NULL)
		/* TRANSLATORS: a field's label or name, then what is wrong
		 * with it ("is too long", translated on its own) */
		return tp_fail(r, TP_EINVAL, field, _("%s %s"),
		               label != NULL ? label : field, why);
	*out = v != NULL ? v : "";
	return TP_OK;
}
