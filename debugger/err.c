/* err — formatting of the error record (see err.h). */
#include "err.h"

#include <stdlib.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

size_t dbg_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Length of the valid UTF-8 sequence at s (n bytes left) that is neither
 * ASCII nor a C1 control (U+0080..U+009F, encoded c2 80..c2 9f), or 0. */
static size_t utf8_text_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80 || (s[0] == 0xc2 && n > 1 && s[1] < 0xa0))
		return 0;
	return dbg_utf8_len(s, n);
}

size_t dbg_escape(char *dst, size_t cap, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, out = 0;
	bool full = false;

	while (i < len) {
		char esc[5];
		const char *piece = esc;
		size_t n;

		if (s[i] >= 0x20 && s[i] < 0x7f) {
			piece = (const char *)s + i;
			n = 1;
			i++;
		} else if (s[i] >= 0x80 && (n = utf8_text_len(s + i, len - i))) {
			piece = (const char *)s + i;
			i += n;
		} else {
			switch (s[i]) {
			case '\n':
				memcpy(esc, "\\n", 3);
				break;
			case '\t':
				memcpy(esc, "\\t", 3);
				break;
			case '\r':
				memcpy(esc, "\\r", 3);
				break;
			default:
				snprintf(esc, sizeof(esc), "\\x%02x", s[i]);
				break;
			}
			n = strlen(esc);
			i++;
		}
		if (!full && out + n < cap)
			memcpy(dst + out, piece, n);
		else if (!full && cap)
			full = true, dst[out] = '\0';
		out += n;
	}
	if (!full && cap)
		dst[out] = '\0';
	return out;
}

/* e->msg from the formatted raw text, escaped. */
static void set_escaped(struct dbg_err *e, const char *raw)
{
	dbg_escape(e->msg, sizeof(e->msg), raw, strlen(raw));
}

int dbg_err_set(struct dbg_err *e, int code, const char *fmt, ...)
{
	if (e) {
		char raw[sizeof(e->msg)];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(raw, sizeof(raw), fmt, ap);
		va_end(ap);
		set_escaped(e, raw);
	}
	return code;
}

int dbg_err_errno(struct dbg_err *e, int code, const char *fmt, ...)
{
	if (e) {
		char raw[sizeof(e->msg)];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(raw, sizeof(raw), fmt, ap);
		va_end(ap);
		set_escaped(e, raw);
		size_t len = strlen(e->msg);
		if (len < sizeof(e->msg)) {
			snprintf(e->msg + len, sizeof(e->msg) - len, ": %s",
				 strerror(code < 0 ? -code : code));
			/* strerror capitalises ("Input/output error"). */
			if (len + 2 < sizeof(e->msg))
				e->msg[len + 2] = (char)tolower((unsigned char)e->msg[len + 2]);
		}
	}
	return code;
}

void dbg_err_prefix(struct dbg_err *e, const char *fmt, ...)
{
	if (!e)
		return;
	char raw[sizeof(e->msg)], head[sizeof(e->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	dbg_escape(head, sizeof(head), raw, strlen(raw));
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

void *dbg_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		abort();
	return q;
}

void *dbg_grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 16;
	while (c < need) {
		if (c > SIZE_MAX / 2 / elem)
			abort();
		c *= 2;
	}
	p = dbg_xrealloc(p, c * elem);
	*cap = c;
	return p;
}

int dbg_write_all(int fd, const void *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t k = write(fd, (const char *)p + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		done += (size_t)k;
	}
	return 0;
}
