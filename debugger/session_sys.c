/*
 * session_sys — system calls as events: the log made while stepping (the
 * `syscall` instruction about to run) and in free runs (the kernel's
 * syscall stops, through ptrace's on_sys hook), catchpoints, and the
 * decoding of a call from a thread's registers (see session.h).
 */
#include "session_int.h"

#include <ctype.h>
#include <sys/syscall.h>

#include "rt.h"
#include "unwind.h"

/* ---- catchpoints and the log -------------------------------------------- */

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

/* ---- decoding ----------------------------------------------------------- */

struct dec_ctx {
	struct dbg_session *s;
	uint64_t nr;
};

static int dec_read(void *arg, uint64_t addr, void *buf, size_t n)
{
	struct dec_ctx *c = arg;
	struct dbg_session *s = c->s;
	if (s->sys_blk_ok && addr >= s->sys_blk_base &&
	    addr - s->sys_blk_base <= sizeof(s->sys_blk) && n <= sizeof(s->sys_blk) &&
	    addr - s->sys_blk_base + n <= sizeof(s->sys_blk)) {
		memcpy(buf, s->sys_blk + (addr - s->sys_blk_base), n);
		return 0;
	}
	return dbg_session_read(s, addr, buf, n, NULL);
}

/* "&runtime.m0.tls[0]+8" or "&m2.tls[0]+8" for the fs_base Go gives an M
 * (arch_prctl's and clone's tls argument), else NULL. Reads only memory:
 * in a free run the current thread may be running. */
static const char *m_tls_name(struct dbg_session *s, uint64_t addr, char *buf, size_t n)
{
	uint64_t off;
	if (addr < 8 || dbg_rt_m_tls(s, &off) < 0)
		return NULL;
	uint64_t m = addr - 8 - off;
	uint64_t m0;
	if (dbg_elf_lookup(s->t.elf, "runtime.m0", &m0) == 0 && m == m0) {
		snprintf(buf, n, "&runtime.m0.tls[0]+8");
		return buf;
	}
	int64_t id;
	if (dbg_rt_m_id_at(s, m, &id) < 0)
		return NULL;
	snprintf(buf, n, "&m%" PRId64 ".tls[0]+8", id);
	return buf;
}

static const char *dec_name(void *arg, uint64_t addr, char *buf, size_t n)
{
	struct dec_ctx *c = arg;
	if (!addr)
		return NULL;
	const struct dbg_sym *sym = dbg_target_sym_at(&c->s->t, addr);
	if (sym && sym->kind == DBG_SYM_FUNC) {
		if (addr == sym->addr)
			snprintf(buf, n, "%s", sym->name);
		else
			snprintf(buf, n, "%s+%#" PRIx64, sym->name, addr - sym->addr);
		return buf;
	}
	if ((c->nr == SYS_arch_prctl || c->nr == SYS_clone) && m_tls_name(c->s, addr, buf, n))
		return buf;
	if (sym) {
		if (addr == sym->addr)
			snprintf(buf, n, "&%s", sym->name);
		else
			snprintf(buf, n, "&%s+%" PRIu64, sym->name, addr - sym->addr);
		return buf;
	}
	return NULL;
}

static void decode(struct dbg_session *s, struct dbg_sys_event *e)
{
	struct dec_ctx c = { .s = s, .nr = e->nr };
	struct dbg_sysdec d = { .read = dec_read, .addr_name = dec_name, .arg = &c };
	e->nargs = dbg_syscall_decode(&d, e->nr, e->args, e->returned, e->ret, e->arg);
	/* the stop's block is done with: the program may run next */
	if (s->sys_blk_ok) {
		s->sys_blk_ok = false;
		dbg_unwind_prime(s->sys_unwind, 0, NULL);
	}
}

/* ---- who made the call -------------------------------------------------- */

/* name's last element, lower case, without "sys"/"raw" in front, digits
 * and underscores: "runtime.sysMmap" -> "mmap", "rt_sigaction" ->
 * "rtsigaction", "runtime.write1" -> "write". */
static void norm(const char *name, char *out, size_t n)
{
	/* Go's assembly functions: "runtime.rt_sigaction.abi0" */
	char tmp[128];
	snprintf(tmp, sizeof(tmp), "%s", name);
	char *dot = strrchr(tmp, '.');
	if (dot && (strcmp(dot, ".abi0") == 0 || strcmp(dot, ".abiinternal") == 0))
		*dot = 0;
	const char *p = strrchr(tmp, '.');
	p = p ? p + 1 : tmp;
	if (strncasecmp(p, "sys", 3) == 0 && strlen(p) > 3 && strncasecmp(p, "syscall", 7) != 0)
		p += 3;
	size_t k = 0;
	for (; *p && k + 1 < n; p++)
		if (isalpha((unsigned char)*p))
			out[k++] = (char)tolower((unsigned char)*p);
	out[k] = 0;
}

/* Whether func is a thin wrapper of call nr: named after it (write1,
 * sysMmap, rt_sigaction, sigaction for rt_sigaction, exit for exit_group)
 * or a generic one (syscall.Syscall6, RawSyscall, rawSyscallNoError). */
static bool is_wrapper(const char *func, uint64_t nr)
{
	char f[64], c[64];
	norm(func, f, sizeof(f));
	if (!f[0])
		return false;
	const char *p = f;
	if (strncmp(p, "raw", 3) == 0)
		p += 3;
	if (strncmp(p, "syscall", 7) == 0 && (!p[7] || strcmp(p + 7, "noerror") == 0))
		return true;
	const char *name = dbg_syscall_name(nr);
	if (!name)
		return false;
	norm(name, c, sizeof(c));
	return strstr(c, f) || strstr(f, c);
}

/* A pc in the innermost function above the call's raw wrappers, 0 when
 * the stack cannot be walked. */
static uint64_t find_caller(struct dbg_session *s, const struct dbg_regs *r, uint64_t g,
			    uint64_t nr)
{
	if (!s->sys_unwind)
		s->sys_unwind = dbg_unwind_new();
	struct dbg_frame f[8];
	/* Most calls have their caller within 4 frames (rt_sigaction.abi0,
	 * sysSigaction, sigaction, getsig): walk that far first, then the
	 * whole 8 when they are all wrappers. */
	for (int max = 4;; max = 8) {
		int n = dbg_unwind_frames(s->sys_unwind, s, r, g, NULL, f, (size_t)max, NULL);
		if (n <= 0)
			return 0;
		for (int i = 0; i < n; i++)
			if (!f[i].func || !is_wrapper(f[i].func, nr))
				return i ? f[i].pc - 1 : f[i].pc;
		if (n < max || max == 8)
			return f[n - 1].pc;
	}
}

/* The guesses of thread tid (see sys_guess), made if new. */
static int guess_of(struct dbg_session *s, pid_t tid)
{
	const unsigned n = sizeof(s->sys_guess) / sizeof(s->sys_guess[0]);
	for (unsigned i = 0; i < n; i++)
		if (s->sys_guess[i].tid == tid)
			return (int)i;
	unsigned i = s->sys_guess_next;
	s->sys_guess_next = (i + 1) % n;
	s->sys_guess[i].tid = tid;
	s->sys_guess[i].g = s->sys_guess[i].m = 0;
	return (int)i;
}

/*
 * The g in the slot of the thread with registers r, and its goid and m's
 * id into e; for a call, the stack's block at rsp too (sys_blk). What
 * can be is read at once: the block, the slot, and the goid and g.m of
 * the g the thread had at its last stop with the id of its m (an M is an
 * OS thread: the same for life), which count when the slot and g.m read
 * here say so. Returns the g (0: none or unreadable).
 */
static uint64_t stop_reads(struct dbg_session *s, struct dbg_sys_event *e, const struct dbg_regs *r)
{
	uint64_t slot, g = 0;
	bool has_slot = dbg_target_g_slot(&s->t, r->fs_base, &slot);
	bool call = e->kind == DBG_SYS_CALL;
	s->sys_blk_ok = false;
	if (call && !s->sys_unwind)
		s->sys_unwind = dbg_unwind_new();
	_Static_assert(sizeof(s->sys_blk) == DBG_UNWIND_BLOCK, "the unwinder's block");
	struct dbg_rt_ids L;
	bool ids = has_slot && dbg_rt_ids_layout(s, &L) == 0;
	uint64_t lo = 0, len = 0;
	if (ids) {
		lo = L.goid_off < L.m_off ? L.goid_off : L.m_off;
		uint64_t hg = L.goid_off + L.goid_size, hm = L.m_off + 8;
		len = (hg > hm ? hg : hm) - lo;
		ids = len <= 256;
	}
	int gi = ids ? guess_of(s, e->tid) : -1;
	uint64_t gg = gi >= 0 ? s->sys_guess[gi].g : 0, gm = gi >= 0 ? s->sys_guess[gi].m : 0;
	uint8_t span[256];
	uint64_t id = 0;
	struct dbg_read v[4];
	size_t n = 0;
	if (call) {
		s->sys_blk_base = r->rsp & ~(uint64_t)(DBG_UNWIND_BLOCK - 1);
		v[n++] = (struct dbg_read){ s->sys_blk_base, s->sys_blk, sizeof(s->sys_blk) };
	}
	if (has_slot)
		v[n++] = (struct dbg_read){ slot, &g, 8 };
	size_t sure = n; /* the reads after these are guesses */
	if (gg)
		v[n++] = (struct dbg_read){ gg + lo, span, len };
	if (gg && gm)
		v[n++] = (struct dbg_read){ gm + L.id_off, &id, 8 };
	bool read = n && dbg_target_readv(&s->t, v, n, NULL) == 0;
	if (!read && n > sure) {
		/* a guess that cannot be read: the sure reads alone */
		gg = gm = 0;
		read = sure && dbg_target_readv(&s->t, v, sure, NULL) == 0;
	}
	if (!read)
		g = 0;
	if (read && call) {
		s->sys_blk_ok = true;
		dbg_unwind_prime(s->sys_unwind, s->sys_blk_base, s->sys_blk);
	} else if (!read && has_slot && dbg_target_read(&s->t, slot, &g, 8, NULL) < 0) {
		g = 0;
	}
	if (!g)
		return 0;
	if (!ids) {
		dbg_rt_g_ids(s, g, &e->goid, &e->m);
		return g;
	}
	/* as dbg_rt_g_ids finds them */
	if (g != gg && dbg_target_read(&s->t, g + lo, span, len, NULL) < 0)
		return g;
	uint64_t goid = 0, m = 0;
	memcpy(&goid, span + (L.goid_off - lo), L.goid_size);
	memcpy(&m, span + (L.m_off - lo), 8);
	e->goid = (int64_t)goid;
	bool guessed = g == gg && m == gm; /* id was read with the guesses */
	if (m && (guessed || dbg_target_read(&s->t, m + L.id_off, &id, 8, NULL) == 0))
		e->m = (int64_t)id;
	s->sys_guess[gi].g = g;
	s->sys_guess[gi].m = m;
	return g;
}

/* thread, M, g, stage and step of an entry from the thread's registers */
static void context(struct dbg_session *s, struct dbg_sys_event *e, const struct dbg_regs *r)
{
	e->step = s->t.steps | (s->t.steps_exact ? 0 : DBG_STEPS_INEXACT);
	e->stage = s->t.cur_stage;
	uint64_t g = stop_reads(s, e, r);
	if (e->kind == DBG_SYS_CALL)
		e->caller = find_caller(s, r, g, e->nr);
}

static void call_from_regs(struct dbg_sys_event *e, const struct dbg_regs *r, uint64_t nr)
{
	e->kind = DBG_SYS_CALL;
	e->nr = nr;
	e->args[0] = r->rdi;
	e->args[1] = r->rsi;
	e->args[2] = r->rdx;
	e->args[3] = r->r10;
	e->args[4] = r->r8;
	e->args[5] = r->r9;
}

/* Whether the instruction at pc of tid is `syscall`. */
static bool at_syscall(struct dbg_session *s, uint64_t pc)
{
	uint8_t b[2];
	return dbg_session_read(s, pc, b, 2, NULL) == 0 && b[0] == 0x0f && b[1] == 0x05;
}

int dbg_session_syscall_next(struct dbg_session *s, struct dbg_sys_event *out, struct dbg_err *err)
{
	const struct dbg_regs *r = dbg_session_regs(s);
	if (!r)
		return sess_no_process(err);
	if (!at_syscall(s, r->rip))
		return dbg_err_set(err, -ENOENT, "not at a system call");
	*out = (struct dbg_sys_event){ .m = -1, .goid = -1, .stage = -1 };
	call_from_regs(out, r, r->rax);
	out->tid = dbg_session_last_stop(s)->tid;
	out->pc = r->rip;
	if (!sess_history(s)) {
		out->tid = sess_cur(s)->tid;
		context(s, out, r);
	}
	decode(s, out);
	return 0;
}

/* ---- the log while stepping ----------------------------------------------- */

long sess_sys_before_step(struct dbg_session *s, struct dbg_thread *t)
{
	struct dbg_sys_event *open = dbg_syslog_open_call(&s->t.sys, t->tid);
	if (open) {
		/* its entry stop was reported at this instruction, or the
		 * thread is inside the kernel: the step completes it */
		if (open->in_kernel || open->pc == t->regs.rip)
			return open - s->t.sys.v;
	}
	struct dbg_sys_event *e = dbg_syslog_add(&s->t.sys);
	e->tid = t->tid;
	e->pc = t->regs.rip;
	call_from_regs(e, &t->regs, t->regs.rax);
	context(s, e, &t->regs);
	decode(s, e);
	return e - s->t.sys.v;
}

void sess_sys_after_step(struct dbg_session *s, long idx, const struct dbg_thread *t)
{
	if (idx < 0 || (size_t)idx >= s->t.sys.n)
		return;
	struct dbg_sys_event *e = &s->t.sys.v[idx];
	if (!t || t->tid != e->tid || !t->regs_valid)
		return;
	e->returned = true;
	e->in_kernel = false;
	e->ret = (int64_t)t->regs.rax;
	decode(s, e);
	s->step_sys = idx;
}

/* ---- the log in free runs (ptrace's on_sys hook) -------------------------- */

/* -ERESTARTSYS, -ERESTARTNOINTR, -ERESTARTNOHAND, -ERESTART_RESTARTBLOCK
 * (include/linux/errno.h): the kernel's own codes for a call a signal or
 * stop interrupted, which it runs again. */
static bool restart_code(int64_t ret)
{
	return ret == -512 || ret == -513 || ret == -514 || ret == -516;
}

static bool on_sys(void *arg, struct dbg_thread *t, const struct dbg_pt_sys *ev)
{
	struct dbg_session *s = arg;
	struct dbg_sys_event *e = ev->signal ? NULL : dbg_syslog_open_call(&s->t.sys, t->tid);
	/* The return of a call whose entry was logged needs only its result
	 * (PTRACE_GET_SYSCALL_INFO's) and memory: its registers are not
	 * fetched. */
	bool need_regs = ev->signal || !ev->exit || !e;
	if (need_regs && dbg_ptrace_regs(&s->t.pt, t, NULL) < 0)
		return false;
	const struct dbg_regs *r = &t->regs;
	if (ev->signal) {
		struct dbg_sys_event *open = dbg_syslog_open_call(&s->t.sys, t->tid);
		if (open && open->restarting) {
			/* the signal's handler runs first: the call ended
			 * there (strace: "= ? ERESTARTSYS") */
			open->restarting = false;
			open->in_kernel = false;
			open->returned = true;
		}
		struct dbg_sys_event *e = dbg_syslog_add(&s->t.sys);
		e->kind = DBG_SYS_SIGNAL;
		e->tid = t->tid;
		e->pc = r->rip;
		e->signo = ev->signo;
		e->code = ev->code;
		e->stopped = ev->reported;
		context(s, e, r);
		return false;
	}
	if (!ev->exit && e && e->restarting) {
		/* the kernel restarts the call a stop of ours interrupted
		 * (the same number, or restart_syscall): the same call */
		e->restarting = false;
		e->in_kernel = true;
		s->sys_in_kernel = true;
		return false;
	}
	if (ev->exit && e && restart_code(ev->ret)) {
		e->restarting = true;
		e->ret = ev->ret;
		return false;
	}
	if (!ev->exit) {
		e = dbg_syslog_add(&s->t.sys);
		e->tid = t->tid;
		e->pc = ev->pc - 2;
		e->in_kernel = true;
		s->sys_in_kernel = true;
		e->kind = DBG_SYS_CALL;
		e->nr = ev->nr;
		memcpy(e->args, ev->args, sizeof(e->args));
		context(s, e, r);
		decode(s, e);
	} else {
		if (!e) {
			/* entered while it was not traced (a step given up) */
			e = dbg_syslog_add(&s->t.sys);
			e->tid = t->tid;
			e->pc = ev->pc - 2;
			call_from_regs(e, r, r->orig_rax);
			context(s, e, r);
		}
		e->returned = true;
		e->in_kernel = false;
		e->ret = ev->ret;
		decode(s, e);
	}
	if (!ev->may_report)
		return false;
	struct dbg_catch *c = dbg_bps_catch_at(&s->t.bps, e->nr);
	if (!c)
		return false;
	s->sys_hit = e - s->t.sys.v;
	s->sys_hit_catch = c->id;
	return true;
}

void sess_sys_attach(struct dbg_session *s)
{
	dbg_syslog_clear(&s->t.sys);
	s->step_sys = -1;
	s->sys_hit = -1;
	s->t.pt.on_sys = on_sys;
	s->t.pt.sys_arg = s;
	s->t.pt.trace_sys = true;
	/* the log's stops wake the debugger on its own CPU while the program
	 * has one thread */
	s->t.pt.pin_runs = true;
}

/* ---- catchpoint stops ------------------------------------------------------ */

/* A catchpoint's stop at log entry idx (ret: at its return). */
void sess_sys_stop(struct dbg_session *s, long idx, int catch_id, bool ret, struct dbg_stop *stop)
{
	sess_fill_stop(s, stop, DBG_STOP_SYSCALL);
	stop->bp_id = catch_id;
	stop->sys_index = idx;
	stop->sys_return = ret;
	int ci = dbg_bps_catch_index(&s->t.bps, catch_id);
	if (ci >= 0) {
		s->t.bps.c[ci].hits++;
		if (s->t.bps.c[ci].temporary)
			dbg_bps_catch_remove(&s->t.bps, (size_t)ci);
	}
}

/*
 * Single-stepped runs: before the step, a caught call's entry (once per
 * call: not again when resuming from that stop); 1 when *stop is filled.
 */
int sess_sys_catch_entry(struct dbg_session *s, struct dbg_stop *stop)
{
	struct dbg_thread *t = sess_cur(s);
	if (!t->regs_valid || !dbg_bps_catch_at(&s->t.bps, t->regs.rax) ||
	    !at_syscall(s, t->regs.rip))
		return 0;
	struct dbg_sys_event *open = dbg_syslog_open_call(&s->t.sys, t->tid);
	if (open && open->pc == t->regs.rip)
		return 0; /* reported: this resume runs it */
	struct dbg_catch *c = dbg_bps_catch_at(&s->t.bps, t->regs.rax);
	long idx = sess_sys_before_step(s, t);
	sess_sys_stop(s, idx, c->id, false, stop);
	return 1;
}

/* After a step that ran a caught call: its return stop; 1 when filled. */
int sess_sys_catch_return(struct dbg_session *s, struct dbg_stop *stop)
{
	if (s->step_sys < 0)
		return 0;
	struct dbg_catch *c = dbg_bps_catch_at(&s->t.bps, s->t.sys.v[s->step_sys].nr);
	if (!c)
		return 0;
	sess_sys_stop(s, s->step_sys, c->id, true, stop);
	return 1;
}
