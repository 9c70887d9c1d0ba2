/*
 * outbox.c -- mail queued in the caller's transaction (mail_outbox), so a
 * change and its mail commit or roll back together; `tierportctl mail
 * send` (mail.c) delivers the rows after the commit.
 */
#include "config.h"
#include "data/data.h"

#include <string.h>

tp_rc tp_mail_queue(tp_req *r, const char *to, const char *subject,
                    const char *body)
{
	const char *why;
	if (to == NULL || *to == '\0' || (why = tp_check_email(to)) != NULL) {
		tp_log(TP_LOG_ERR, "TP1401", "mail not queued: bad address");
		return TP_EINVAL;
	}
	if (tp_tenant_id(r) == 0)
		return TP_EINVAL; /* every mail is some brand's */
	return tp_db_exec(tp_req_db(r), NULL,
	                  "INSERT INTO mail_outbox (tenant_id, to_addr, "
	                  "subject, body) VALUES (?, ?, LEFT(?, 255), ?)",
	                  "Isss", (int64_t)tp_tenant_id(r), to,
	                  subject != NULL ? subject : "",
	                  body != NULL ? body : "");
}
