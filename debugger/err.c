/* err — formatting of the error record (see err.h). */
#include "err.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int dbg_err_set(struct dbg_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

int dbg_err_errno(struct dbg_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
		size_t len = strlen(e->msg);
		if (len < sizeof(e->msg)) {
			snprintf(e->msg + len, sizeof(e->msg) - len, ": %s",
				 strerror(code < 0 ? -code : code));
			/* strerror capitalises ("Input/output error"). */
			if (len + 2 < sizeof(e->msg))
				e->msg[len + 2] = (char)tolower(
					(unsigned char)e->msg[len + 2]);
		}
	}
	return code;
}

void dbg_err_prefix(struct dbg_err *e, const char *fmt, ...)
{
	if (!e)
		return;
	char head[sizeof(e->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	size_t hl = strlen(head);
	if (hl + 2 >= sizeof(e->msg))
		hl = sizeof(e->msg) - 3;
	size_t ol = strlen(e->msg);
	if (hl + 2 + ol >= sizeof(e->msg))
		ol = sizeof(e->msg) - hl - 3;
	memmove(e->msg + hl + 2, e->msg, ol);
	e->msg[hl + 2 + ol] = '\0';
	memcpy(e->msg, head, hl);
	e->msg[hl] = ':';
	e->msg[hl + 1] = ' ';
}

void dbg_err_clear(struct dbg_err *e)
{
	if (e)
		e->msg[0] = '\0';
}
