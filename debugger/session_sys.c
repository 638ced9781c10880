/*
 * session_sys — system calls as events: the log, catchpoints, and the
 * decoding of a call from a thread's registers (see session.h).
 */
#include "session_int.h"

int dbg_session_catch_syscall(struct dbg_session *s, const uint64_t *nrs, size_t n, bool temporary,
			      const char *spec, struct dbg_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (nrs[i] >= DBG_SYSCALL_MAX)
			return dbg_err_set(err, -EINVAL, "unknown system call number %" PRIu64,
					   nrs[i]);
	struct dbg_catch *c = dbg_bps_catch_add(&s->t.bps, temporary, n ? spec : NULL);
	for (size_t i = 0; i < n; i++)
		dbg_catch_add(c, nrs[i]);
	return c->id;
}

size_t dbg_session_catchpoints(const struct dbg_session *s, const struct dbg_catch **out)
{
	*out = s->t.bps.c;
	return s->t.bps.nc;
}

size_t dbg_session_syscalls(struct dbg_session *s, const struct dbg_sys_event **out)
{
	*out = s->t.sys.v;
	return s->t.sys.n;
}

int dbg_session_syscall_next(struct dbg_session *s, struct dbg_sys_event *out, struct dbg_err *err)
{
	(void)s;
	(void)out;
	return dbg_err_set(err, -ENOENT, "not at a system call");
}
