/*
 * catch — system calls as boot events: catch syscall and tcatch syscall
 * (gdb's syntax), enable and disable, the catchpoints' entries of info
 * breakpoints, the "syscall" object of the stop event and of every entry
 * of info syscalls (one shape everywhere, docs/json.md). The engine's side
 * is session.h's "system calls and catchpoints".
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regs.h"
#include "syscalls.h"
#include "syslog.h"

/* The calls a spec names, in the order written (each once): "arch_prctl",
 * "1 read", "group:memory g:process". n 0: the spec is empty (any call). */
struct sys_set {
	uint64_t nr[DBG_SYSCALL_MAX];
	size_t n;
	uint64_t seen[DBG_SYSCALL_MAX / 64];
};

static void set_add(struct sys_set *set, uint64_t nr)
{
	if (set->seen[nr / 64] >> (nr % 64) & 1)
		return;
	set->seen[nr / 64] |= 1ull << (nr % 64);
	set->nr[set->n++] = nr;
}

/* One word of a spec into set: a number, a name, group:NAME or g:NAME. */
static int parse_word(const char *w, size_t l, struct sys_set *set, struct dbg_err *err)
{
	char name[128];
	uint64_t nr;

	if (cmd_parse_u64(w, l, &nr)) {
		if (nr >= DBG_SYSCALL_MAX)
			return dbg_err_set(err, -EINVAL,
					   "syscall number %" PRIu64
					   " is too large: the system calls are 0 to %d",
					   nr, DBG_SYSCALL_MAX - 1);
		set_add(set, nr);
		return 0;
	}
	if (l >= sizeof(name))
		return dbg_err_set(err, -EINVAL, "unknown syscall name '%.*s'", (int)l, w);
	memcpy(name, w, l);
	name[l] = '\0';
	if (strncmp(name, "group:", 6) == 0 || strncmp(name, "g:", 2) == 0) {
		const char *group = strchr(name, ':') + 1;

		if (!dbg_syscall_group_known(group))
			return dbg_err_set(err, -EINVAL, "unknown syscall group '%s'", group);
		for (nr = 0; nr < DBG_SYSCALL_MAX; nr++)
			if (dbg_syscall_in_group(nr, group))
				set_add(set, nr);
		return 0;
	}
	int64_t by = dbg_syscall_by_name(name);
	if (by < 0)
		return dbg_err_set(err, -EINVAL, "unknown syscall name '%s'", name);
	set_add(set, (uint64_t)by);
	return 0;
}

static int parse_spec(const char *spec, struct sys_set *set, struct dbg_err *err)
{
	const char *p = spec;

	memset(set->seen, 0, sizeof(set->seen));
	set->n = 0;
	while (p && *(p = cmd_skip_ws(p))) {
		size_t l = strcspn(p, " \t");
		int rc = parse_word(p, l, set, err);

		if (rc < 0)
			return rc;
		p += l;
	}
	return 0;
}

/* The calls of catchpoint c in the order its spec names them. */
static void catch_calls(const struct dbg_catch *c, struct sys_set *set)
{
	uint64_t nr;

	if (c->any) {
		set->n = 0;
		return;
	}
	if (c->spec && parse_spec(c->spec, set, NULL) == 0 && set->n)
		return;
	memset(set->seen, 0, sizeof(set->seen));
	set->n = 0;
	for (nr = 0; nr < DBG_SYSCALL_MAX; nr++)
		if (dbg_catch_has(c, nr))
			set_add(set, nr);
}

/* [{name, nr}] of the calls in set. */
static void add_calls(struct dbg_val *obj, const struct sys_set *set)
{
	struct dbg_val *arr = dbg_obj_array(obj, "syscalls");
	size_t i;

	for (i = 0; i < set->n; i++) {
		struct dbg_val *o = dbg_arr_object(arr);

		dbg_obj_str(o, "name", dbg_syscall_name(set->nr[i]));
		dbg_obj_uint(o, "nr", set->nr[i]);
	}
}

/* catch syscall SPEC and tcatch syscall SPEC. */
static int set_catch(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, bool temporary,
		     struct dbg_err *err)
{
	static const char kw[] = "syscall";
	const char *a = cmd->args, *spec;
	size_t l = strcspn(a, " \t");
	struct sys_set *set;
	struct dbg_val *ev;
	int id, rc;

	/* gdb's catch has more events; this one knows system calls (a
	 * unique prefix of the word, as gdb reads it) */
	if (l < 2 || l > sizeof(kw) - 1 || strncmp(a, kw, l) != 0)
		return dbg_err_set(err, -EINVAL,
				   "undefined %s command '%.*s'; the %s commands are syscall",
				   cmd->name, (int)l, a, cmd->name);
	spec = cmd_skip_ws(a + l);
	set = malloc(sizeof(*set));
	if (!set)
		abort();
	rc = parse_spec(spec, set, err);
	if (rc == 0 && *spec && set->n == 0)
		rc = dbg_err_set(err, -EINVAL, "no system calls in '%s'", spec);
	if (rc < 0)
		goto out;
	id = dbg_session_catch_syscall(ctx->s, set->nr, set->n, temporary, *spec ? spec : NULL,
				       err);
	if (id < 0) {
		rc = id;
		goto out;
	}
	ev = cmd_ev_new(ctx, "catch");
	dbg_obj_int(ev, "id", id);
	dbg_obj_bool(ev, "temporary", temporary);
	dbg_obj_bool(ev, "any", set->n == 0);
	add_calls(ev, set);
	dbg_obj_str(ev, "spec", *spec ? spec : NULL);
	cmd_ev_emit(ctx, ev);
out:
	free(set);
	return rc;
}

int cmd_catch(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return set_catch(ctx, cmd, false, err);
}

int cmd_tcatch(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return set_catch(ctx, cmd, true, err);
}

void cmd_add_catch_entry(struct dbg_cmd_ctx *ctx, struct dbg_val *arr, const struct dbg_catch *c)
{
	struct dbg_val *o = dbg_arr_object(arr);
	struct sys_set *set = malloc(sizeof(*set));

	(void)ctx;
	if (!set)
		abort();
	catch_calls(c, set);
	dbg_obj_int(o, "id", c->id);
	dbg_obj_str(o, "type", "catchpoint");
	dbg_obj_null(o, "addr");
	dbg_obj_null(o, "symbol");
	dbg_obj_null(o, "stage");
	dbg_obj_bool(o, "temporary", c->temporary);
	dbg_obj_bool(o, "enabled", c->enabled);
	dbg_obj_uint(o, "hits", c->hits);
	dbg_obj_bool(o, "pending", false);
	dbg_obj_str(o, "spec", c->spec);
	dbg_obj_bool(o, "any", c->any || set->n == 0);
	add_calls(o, set);
	free(set);
}

/* ---- enable, disable ------------------------------------------------------ */

/* enable [N...] / disable [N...]: every breakpoint and catchpoint when no
 * number is given. */
static int set_enabled(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, bool on,
		       struct dbg_err *err)
{
	struct dbg_val *ev = cmd_ev_new(ctx, on ? "enable" : "disable");
	struct dbg_val *ids = dbg_obj_array(ev, "ids");
	const char *p = cmd->args;
	int rc;

	if (!*p) {
		const struct dbg_bp *bps;
		const struct dbg_catch *cs;
		size_t i, n = dbg_session_breakpoints(ctx->s, &bps);
		size_t nc = dbg_session_catchpoints(ctx->s, &cs);
		int *all = malloc((n + nc + 1) * sizeof(*all));

		if (!all)
			abort();
		for (i = 0; i < n; i++)
			all[i] = bps[i].id;
		for (i = 0; i < nc; i++)
			all[n + i] = cs[i].id;
		for (i = 0; i < n + nc; i++) {
			rc = dbg_session_enable(ctx->s, all[i], on, err);
			if (rc < 0) {
				free(all);
				dbg_arena_reset(&ctx->arena);
				return rc;
			}
			dbg_arr_push(ids, dbg_val_int(&ctx->arena, all[i]));
		}
		free(all);
		cmd_ev_emit(ctx, ev);
		return 0;
	}
	while (*(p = cmd_skip_ws(p))) {
		const struct dbg_watch *ws;
		size_t i, l = strcspn(p, " \t"), nw = dbg_session_watchpoints(ctx->s, &ws);
		uint64_t id = 0;

		cmd_parse_u64(p, l, &id);
		for (i = 0; i < nw; i++)
			if (ws[i].id == (int)id) {
				dbg_arena_reset(&ctx->arena);
				return dbg_err_set(err, -EINVAL,
						   "watchpoint %d is always enabled; delete removes it",
						   (int)id);
			}
		rc = dbg_session_enable(ctx->s, (int)id, on, err);
		if (rc < 0) {
			dbg_arena_reset(&ctx->arena);
			return rc;
		}
		dbg_arr_push(ids, dbg_val_int(&ctx->arena, (int64_t)id));
		p += l;
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_enable(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return set_enabled(ctx, cmd, true, err);
}

int cmd_disable(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return set_enabled(ctx, cmd, false, err);
}

/* ---- the syscall object --------------------------------------------------- */

/* strace's names of si_code (siginfo.h), the signal's own first. */
static const char *si_code_name(int signo, int code)
{
	switch (code) {
	case SI_USER:
		return "SI_USER";
	case SI_KERNEL:
		return "SI_KERNEL";
	case SI_QUEUE:
		return "SI_QUEUE";
	case SI_TIMER:
		return "SI_TIMER";
	case SI_MESGQ:
		return "SI_MESGQ";
	case SI_ASYNCIO:
		return "SI_ASYNCIO";
	case SI_SIGIO:
		return "SI_SIGIO";
	case SI_TKILL:
		return "SI_TKILL";
	default:
		break;
	}
	if (signo == SIGSEGV && code == SEGV_MAPERR)
		return "SEGV_MAPERR";
	if (signo == SIGSEGV && code == SEGV_ACCERR)
		return "SEGV_ACCERR";
	if (signo == SIGBUS && code == BUS_ADRALN)
		return "BUS_ADRALN";
	if (signo == SIGBUS && code == BUS_ADRERR)
		return "BUS_ADRERR";
	if (signo == SIGTRAP && code == TRAP_BRKPT)
		return "TRAP_BRKPT";
	if (signo == SIGTRAP && code == TRAP_TRACE)
		return "TRAP_TRACE";
	if (signo == SIGCHLD && code == CLD_EXITED)
		return "CLD_EXITED";
	if (signo == SIGCHLD && code == CLD_KILLED)
		return "CLD_KILLED";
	if (signo == SIGFPE && code == FPE_INTDIV)
		return "FPE_INTDIV";
	if (signo == SIGILL && code == ILL_ILLOPN)
		return "ILL_ILLOPN";
	return NULL;
}

/* The function of a pc, without the offset, as Go's sources name it
 * ("runtime.settls": an assembly function's symbol runtime.settls.abi0
 * without its ABI suffix). */
static const char *function_of(struct dbg_cmd_ctx *ctx, uint64_t pc)
{
	static const char abi0[] = ".abi0";
	char buf[256];
	char *plus;
	size_t l;

	if (!pc || dbg_session_symbolize(ctx->s, pc, buf, sizeof(buf)) < 0 ||
	    strncmp(buf, "0x", 2) == 0)
		return NULL;
	plus = strstr(buf, "+0x");
	if (plus)
		*plus = '\0';
	l = strlen(buf);
	if (l > sizeof(abi0) - 1 && strcmp(buf + l - (sizeof(abi0) - 1), abi0) == 0)
		buf[l - (sizeof(abi0) - 1)] = '\0';
	return dbg_arena_strdup(&ctx->arena, buf);
}

void cmd_add_sys_event(struct dbg_cmd_ctx *ctx, struct dbg_val *o, long index,
		       const struct dbg_sys_event *e)
{
	const struct dbg_stages *st = cmd_stages_of(ctx);
	char buf[64];
	unsigned i;

	dbg_obj_int(o, "index", index);
	dbg_obj_str(o, "kind", e->kind == DBG_SYS_CALL ? "call" : "signal");
	dbg_obj_uint(o, "step", e->step & ~DBG_STEPS_INEXACT);
	dbg_obj_bool(o, "step_exact", !(e->step & DBG_STEPS_INEXACT));
	dbg_obj_int(o, "tid", e->tid);
	if (e->m >= 0)
		dbg_obj_int(o, "m", e->m);
	else
		dbg_obj_null(o, "m");
	if (e->goid >= 0)
		dbg_obj_int(o, "goid", e->goid);
	else
		dbg_obj_null(o, "goid");
	if (e->stage >= 0 && (size_t)e->stage < st->n)
		dbg_obj_str(o, "stage", st->v[e->stage].name);
	else
		dbg_obj_null(o, "stage");
	dbg_obj_addr(o, "pc", e->pc);
	dbg_obj_str(o, "symbol", cmd_symbolize(ctx, e->pc));
	if (e->caller) {
		dbg_obj_str(o, "caller", function_of(ctx, e->caller));
		dbg_obj_addr(o, "caller_pc", e->caller);
	} else {
		dbg_obj_null(o, "caller");
		dbg_obj_null(o, "caller_pc");
	}
	if (e->kind == DBG_SYS_SIGNAL) {
		dbg_obj_str(o, "signal", dbg_signal_name(e->signo, buf, sizeof(buf)));
		dbg_obj_int(o, "code", e->code);
		dbg_obj_str(o, "code_name", si_code_name(e->signo, e->code));
		dbg_obj_bool(o, "stopped", e->stopped);
		return;
	}
	dbg_obj_str(o, "name", dbg_syscall_name(e->nr));
	dbg_obj_uint(o, "nr", e->nr);
	struct dbg_val *args = dbg_obj_array(o, "args");
	for (i = 0; i < e->nargs && i < 6; i++) {
		struct dbg_val *a = dbg_arr_object(args);

		dbg_obj_addr(a, "raw", e->arg[i].raw);
		dbg_obj_str(a, "text", e->arg[i].text);
	}
	dbg_obj_bool(o, "returned", e->returned);
	if (e->returned) {
		char res[160];

		dbg_syscall_result(e->nr, e->ret, res, sizeof(res));
		dbg_obj_int(o, "ret", e->ret);
		dbg_obj_str(o, "ret_text", res);
	} else {
		dbg_obj_null(o, "ret");
		dbg_obj_null(o, "ret_text");
	}
}

void cmd_add_sys_stop(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, const struct dbg_stop *stop)
{
	const struct dbg_sys_event *log;
	size_t n = dbg_session_syscalls(ctx->s, &log);

	if (stop->reason == DBG_STOP_SYSCALL) {
		dbg_obj_int(ev, "catchpoint", stop->bp_id);
		dbg_obj_bool(ev, "syscall_return", stop->sys_return);
	}
	if (stop->sys_index < 0 || (size_t)stop->sys_index >= n)
		return;
	/* a step's call is the one its last instruction ran: seen one step
	 * before the step shown (live, or a recorded step) */
	if (stop->reason == DBG_STOP_STEP &&
	    (log[stop->sys_index].step & ~DBG_STEPS_INEXACT) + 1 != dbg_session_steps(ctx->s))
		return;
	cmd_add_sys_event(ctx, dbg_obj_object(ev, "syscall"), stop->sys_index,
			  &log[stop->sys_index]);
}

/* ---- info syscalls -------------------------------------------------------- */

/* One name's line of the summary: how many calls, how many failed, and
 * where the first one was made. */
struct sys_count {
	const char *name; /* the call's, or the signal's */
	bool signal;
	uint64_t key; /* nr, or the signal number */
	uint64_t count, errors;
	size_t first;
};

int cmd_info_syscalls(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_sys_event *log;
	size_t i, j, n = dbg_session_syscalls(ctx->s, &log), nc = 0;
	bool counts_only = false;
	struct sys_count *c;

	if (strcmp(cmd->args, "-c") == 0)
		counts_only = true;
	else if (cmd->args[0])
		return dbg_err_set(err, -EINVAL, "info syscalls takes no argument but -c, not '%s'",
				   cmd->args);
	c = malloc((n + 1) * sizeof(*c));
	if (!c)
		abort();
	struct dbg_val *ev = cmd_ev_new(ctx, "syscalls");
	if (!counts_only) {
		struct dbg_val *arr = dbg_obj_array(ev, "syscalls");

		for (i = 0; i < n; i++)
			cmd_add_sys_event(ctx, dbg_arr_object(arr), (long)i, &log[i]);
	}
	for (i = 0; i < n; i++) {
		bool sig = log[i].kind == DBG_SYS_SIGNAL;
		uint64_t key = sig ? (uint64_t)log[i].signo : log[i].nr;

		for (j = 0; j < nc && (c[j].signal != sig || c[j].key != key); j++)
			;
		if (j == nc) {
			char buf[64];

			c[nc] = (struct sys_count){ .signal = sig, .key = key, .first = i };
			c[nc].name = sig ? dbg_arena_strdup(&ctx->arena,
							    dbg_signal_name(log[i].signo, buf,
									    sizeof(buf))) :
					   dbg_syscall_name(key);
			nc++;
		}
		c[j].count++;
		if (!sig && log[i].returned && dbg_syscall_failed(log[i].ret))
			c[j].errors++;
	}
	struct dbg_val *sum = dbg_obj_array(ev, "counts");
	for (j = 0; j < nc; j++) {
		const struct dbg_sys_event *f = &log[c[j].first];
		const struct dbg_stages *st = cmd_stages_of(ctx);
		struct dbg_val *o = dbg_arr_object(sum);

		dbg_obj_str(o, "kind", c[j].signal ? "signal" : "call");
		if (c[j].name)
			dbg_obj_str(o, "name", c[j].name);
		else
			dbg_obj_strf(o, "name", "syscall_%" PRIu64, c[j].key);
		dbg_obj_uint(o, "count", c[j].count);
		dbg_obj_uint(o, "errors", c[j].errors);
		dbg_obj_uint(o, "first", c[j].first);
		if (f->stage >= 0 && (size_t)f->stage < st->n)
			dbg_obj_str(o, "first_stage", st->v[f->stage].name);
		else
			dbg_obj_null(o, "first_stage");
		dbg_obj_str(o, "first_caller", function_of(ctx, f->caller));
	}
	dbg_obj_uint(ev, "total", n);
	free(c);
	cmd_ev_emit(ctx, ev);
	return 0;
}
