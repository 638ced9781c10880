/*
 * err — the error record every fallible debugger function fills.
 *
 * Convention for the whole library: a fallible function returns 0 (or a
 * non-negative result) on success and a negative errno on failure, after
 * writing one line into a caller-provided struct dbg_err:
 *
 *     struct dbg_err err;
 *     if (dbg_session_read(s, addr, buf, 8, &err) < 0)
 *             show(err.msg);   // "cannot read memory at 0x4010a0: input/output error"
 *
 * Messages are lowercase, say what failed first, name the file or address,
 * and have no full stop. The err pointer may be NULL when the caller does not
 * want the text. Programmer errors (NULL session, bad index) abort instead.
 *
 * A message quotes user input (a command, a path), so every message is
 * passed through dbg_escape() as it is made: it stays one line and cannot
 * drive a terminal, whatever the input held.
 */
#ifndef DBG_ERR_H
#define DBG_ERR_H

#include <stddef.h>

struct dbg_err {
	char msg[512]; /* NUL-terminated message; "" when nothing failed */
};

/*
 * Format a message into e (if e is not NULL) and return code, which must be a
 * negative errno, so callers can write `return dbg_err_set(e, -EIO, "...")`.
 */
int dbg_err_set(struct dbg_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Like dbg_err_set, with ": <strerror(-code)>" appended:
 * dbg_err_errno(e, -EIO, "cannot read memory at 0x%lx", a) gives
 * "cannot read memory at 0x4010a0: input/output error". The strerror text is
 * lowercased at its first letter to keep the message style.
 */
int dbg_err_errno(struct dbg_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix e's current message with "<fmt>: " (context added by a caller). */
void dbg_err_prefix(struct dbg_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Memory, the one policy of the library and the front ends: running out of
 * it aborts (nothing sensible can go on in a debugger that cannot hold
 * what it has read), so they never fail.
 * dbg_xrealloc: realloc of n bytes (n 0 gives a 1-byte block); never NULL.
 * dbg_grow: p (*cap elements of elem bytes) with room for need elements,
 * the capacity doubled from 16 as needed; *cap updated. p itself when it
 * has room already (so NULL for need 0 and no block yet).
 */
void *dbg_xrealloc(void *p, size_t n) __attribute__((returns_nonnull));
void *dbg_grow(void *p, size_t *cap, size_t need, size_t elem);

/* Write all n bytes to fd, again after EINTR and short writes: 0, or the
 * negative errno of the write that failed (what was written stays). */
int dbg_write_all(int fd, const void *p, size_t n);

/* Length of the valid UTF-8 sequence at s (n >= 1 bytes left): 1 for
 * ASCII, 2 to 4 for a well-formed sequence, 0 for an invalid one (a stray
 * byte, a cut sequence, an overlong form, a surrogate, past U+10FFFF). */
size_t dbg_utf8_len(const unsigned char *s, size_t n);

/*
 * Copy len bytes of src to dst (cap bytes, always NUL-terminated when cap
 * > 0) with what could break a line or drive a terminal escaped: \n \t \r
 * and \xNN for the other C0 controls, DEL, bytes that are not valid UTF-8
 * and the C1 controls (U+0080..U+009F, as the \xNN of their two bytes).
 * Valid UTF-8 text, a backslash included, is copied as is; an escape is
 * never cut in half. Returns the length the whole result needs (as
 * snprintf), excluding the NUL.
 */
size_t dbg_escape(char *dst, size_t cap, const char *src, size_t len);

/* Empty the message. */
void dbg_err_clear(struct dbg_err *e);

#endif
