/* syslog — the system calls and signals a run has seen (see syslog.h). */
#include "syslog.h"

#include <stdlib.h>

#include "err.h"

void dbg_syslog_clear(struct dbg_syslog *l)
{
	l->n = 0;
}

void dbg_syslog_release(struct dbg_syslog *l)
{
	free(l->v);
	*l = (struct dbg_syslog){ 0 };
}

struct dbg_sys_event *dbg_syslog_add(struct dbg_syslog *l)
{
	l->v = dbg_grow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	struct dbg_sys_event *e = &l->v[l->n++];
	*e = (struct dbg_sys_event){ .m = -1, .goid = -1, .stage = -1 };
	return e;
}

struct dbg_sys_event *dbg_syslog_open_call(struct dbg_syslog *l, pid_t tid)
{
	for (size_t i = l->n; i-- > 0;) {
		struct dbg_sys_event *e = &l->v[i];
		if (e->kind == DBG_SYS_CALL && e->tid == tid)
			return e->returned ? NULL : e;
	}
	return NULL;
}

long dbg_syslog_at_step(const struct dbg_syslog *l, uint64_t step)
{
	for (size_t i = l->n; i-- > 0;) {
		const struct dbg_sys_event *e = &l->v[i];
		if (e->kind != DBG_SYS_CALL || (e->step >> 63))
			continue;
		if (e->step == step)
			return (long)i;
		if (e->step < step)
			break;
	}
	return -1;
}
