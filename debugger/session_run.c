/*
 * session_run — stepping, continue, finish, until and nexti, the free runs
 * of full mode, and starting the process (see session.h).
 */
#include "session_int.h"

/* ---- stepping ----------------------------------------------------------- */

/* The code of a new image, or new stages: nothing is known about its pcs. */
void sess_forget_pcs(struct dbg_session *s)
{
	if (s->plain_pcs)
		memset(s->plain_pcs, 0, PLAIN_PCS * sizeof(*s->plain_pcs));
	s->nostage_pc = 0;
}

/*
 * What a step must know of the instruction at pc: whether it is cpuid,
 * whose single-step trap some hypervisors lose, or `syscall`, which the log
 * records. Text does not change under us (our own int3 bytes are lifted
 * before a step), so each pc is read once: a direct-mapped cache keeps the
 * pcs known to be plain, where moreover no breakpoint site and no stage
 * is, so that a step from or to such a pc looks nothing else up.
 */
enum insn_kind { INSN_PLAIN, INSN_CPUID, INSN_SYSCALL };

static enum insn_kind insn_kind(struct dbg_session *s, pid_t tid, uint64_t pc, bool site)
{
	if (sess_pc_plain(s, pc))
		return INSN_PLAIN;
	if (!s->plain_pcs && !(s->plain_pcs = calloc(PLAIN_PCS, sizeof(*s->plain_pcs))))
		return INSN_PLAIN;
	/* the code kept since the stop (its disassembly read it), else a
	 * PEEK (a block read at every new pc of a long stepi costs more) */
	uint64_t w = 0;
	uint16_t first;
	if (s->tl && dbg_tl_insn_start(s->tl, pc, &first))
		w = first;
	else if (!sess_kept_code(s, pc, &w, 2, false) && dbg_ptrace_peek(tid, pc, &w) < 0)
		return INSN_PLAIN;
	if ((w & 0xffff) == 0xa20f)
		return INSN_CPUID;
	if ((w & 0xffff) == 0x050f)
		return INSN_SYSCALL;
	if (pc && !site && (pc == s->nostage_pc || dbg_stages_at(&s->t.stages, pc) < 0))
		*sess_pc_slot(s, pc) = pc;
	return INSN_PLAIN;
}

static int on_exec(struct dbg_session *s, struct dbg_err *err);

/* One single step of the current thread, stepping over our int3 at pc
 * (hist: sess_history(s); plain: the caller found its pc plain just now). */
static int step_once_in(struct dbg_session *s, bool hist, bool plain, struct dbg_pt_stop *ps,
			struct dbg_err *err)
{
	if (hist) {
		/* replay the record up to the live step (-ENODATA past its end) */
		int rc = dbg_tl_replay_step(s->tl, &s->t, err);
		if (rc == 0)
			ps->event = DBG_PT_TRAP;
		return rc;
	}
	struct dbg_thread *t = sess_cur(s);
	uint64_t over = 0;
	enum insn_kind kind = INSN_PLAIN;
	if (!plain && !sess_pc_plain(s, t->regs.rip)) {
		struct dbg_site *st = s->t.bps.nsites ? dbg_bps_site(&s->t.bps, t->regs.rip) : NULL;
		if (st) {
			over = st->addr;
			int rc = dbg_proc_write(&s->t.mem, over, &st->orig, 1, err);
			if (rc < 0)
				return rc;
		}
		kind = insn_kind(s, t->tid, t->regs.rip, st != NULL);
	}
	/* a `syscall` about to run is logged (session_sys.c) */
	s->step_sys = -1;
	long sys = kind == INSN_SYSCALL ? sess_sys_before_step(s, t) : -1;
	if (sys < 0 && s->sys_in_kernel) {
		/* a thread inside the kernel (its entry stop reported): the
		 * step completes the call */
		struct dbg_sys_event *open = dbg_syslog_open_call(&s->t.sys, t->tid);
		if (open && open->in_kernel)
			sys = open - s->t.sys.v;
	}
	/* the steps of a free run (over a breakpoint) are part of its jump */
	bool rec = s->tl && !s->free_ran && dbg_tl_before_step(s->tl, &s->t, &t->regs, t->tid);
	/* what ptrace would otherwise read again */
	s->t.pt.next_sys = kind == INSN_SYSCALL;
	s->t.pt.quiet_next = kind == INSN_PLAIN && sys < 0;
	int rc = kind == INSN_CPUID ? dbg_ptrace_step_to(&s->t.pt, t->regs.rip + 2, ps, err) :
				      dbg_ptrace_step(&s->t.pt, ps, err);
	s->t.pt.next_sys = -1;
	if (rc == 0 && ps->event == DBG_PT_EXEC) {
		/* the step ran execve: it ends at the new program's first
		 * instruction, and the old int3 went with the old memory */
		sess_forget_pcs(s);
		over = 0;
		rc = on_exec(s, err);
		/* the kernel still owes the step's trap: it comes on the way
		 * back to user mode, before the first instruction runs */
		if (rc == 0)
			rc = dbg_ptrace_step(&s->t.pt, ps, err);
	}
	if (over && !s->t.pt.gone) {
		uint8_t cc = 0xcc;
		dbg_proc_write(&s->t.mem, over, &cc, 1, NULL);
	}
	if (rc == -EINPROGRESS) {
		/* given up (run() goes on freely): not a step of the record */
		if (rec)
			dbg_tl_abandon_step(s->tl);
		return rc;
	}
	if (rc == 0 && ps->event == DBG_PT_TRAP && sys >= 0 && !s->t.pt.gone && s->t.pt.nthreads)
		sess_sys_after_step(s, sys, sess_cur(s));
	if (rc == 0 && ps->event == DBG_PT_TRAP && !s->free_ran)
		s->t.steps++;
	if (rec) {
		struct dbg_thread *now = !s->t.pt.gone && s->t.pt.nthreads ? sess_cur(s) : NULL;
		/* an observer that failed (a trace on a full disk) stops the
		 * run now */
		int orc =
			dbg_tl_after_step(s->tl, &s->t, now ? &now->regs : NULL, now ? now->tid : 0,
					  rc == 0 && ps->event == DBG_PT_TRAP, err);
		if (rc == 0)
			rc = orc;
	}
	return rc;
}

static int step_once(struct dbg_session *s, struct dbg_pt_stop *ps, struct dbg_err *err)
{
	return step_once_in(s, sess_history(s), false, ps, err);
}

static int stepi_loop(struct dbg_session *s, uint64_t n, dbg_step_fn *fn, void *arg,
		      struct dbg_stop *stop, struct dbg_err *err)
{
	if (!sess_can_run(s))
		return sess_no_process(err);
	if (n == 0)
		n = 1;
	/* the pin is kept after the steps (so that a front end stepping one
	 * instruction at a time pays for it once): a free run, the program's
	 * end and dbg_session_idle() release it */
	if (s->t.live && !sess_history(s))
		dbg_ptrace_pin(&s->t.pt, true);
	int rc = 0;
	struct dbg_pt_stop ps;
	/* a live step stays live: only the record's replay looks the
	 * current state up again */
	bool hist = sess_history(s);
	bool plain = false; /* the current pc found plain after the last step */
	for (uint64_t i = 0; i < n; i++) {
		s->watch_replay = false;
		uint64_t from = s->t.bps.nw ? sess_watch_before(s) : 0;
		if (hist)
			hist = sess_history(s);
		rc = step_once_in(s, hist, plain, &ps, err);
		plain = false;
		if (rc == -ENODATA && sess_history(s)) {
			rc = 0;
			sess_fill_stop(s, stop, DBG_STOP_NO_HISTORY);
			goto out;
		}
		if (rc < 0)
			break;
		if (ps.event != DBG_PT_TRAP) {
			sess_event_stop(s, &ps, stop);
			goto out;
		}
		uint64_t pc = hist ? sess_now(s)->rip : sess_cur(s)->regs.rip;
		if (sess_pc_plain(s, pc))
			plain = !hist;
		else if (sess_note_pc(s, pc) < 0)
			s->nostage_pc = pc;
		if (dbg_ptrace_take_interrupt(&s->t.pt)) {
			sess_fill_stop(s, stop, DBG_STOP_INTERRUPTED);
			goto out;
		}
		if (s->t.bps.nw && sess_watch_check(s, from, stop) == 1)
			goto out;
		if (s->t.bps.n) {
			int b = sess_user_bp_index(s, pc);
			if (b >= 0) {
				sess_bp_stop(s, b, stop);
				goto out;
			}
		}
		if (fn) {
			plain = false;
			if (fn(s, arg))
				break;
			/* the observer may have moved along the record */
			hist = sess_history(s);
		}
	}
	if (rc == 0)
		sess_fill_stop(s, stop, DBG_STOP_STEP);
out:
	if (s->t.pt.pin_cpu >= 0 && (s->t.pt.gone || !s->t.live))
		dbg_ptrace_pin(&s->t.pt, false);
	if (rc == 0)
		s->t.last = *stop;
	return rc;
}

void dbg_session_idle(struct dbg_session *s)
{
	if (s && s->t.pt.pin_cpu >= 0)
		dbg_ptrace_pin(&s->t.pt, false);
}

/* Out of line even with link-time optimization: bench/ counts the
 * instructions run inside it (callgrind --toggle-collect). */
__attribute__((noinline)) int dbg_session_stepi(struct dbg_session *s, uint64_t n,
						struct dbg_stop *stop, struct dbg_err *err)
{
	return stepi_loop(s, n, NULL, NULL, stop, err);
}

int dbg_session_stepi_each(struct dbg_session *s, uint64_t n, dbg_step_fn *fn, void *arg,
			   struct dbg_stop *stop, struct dbg_err *err)
{
	return stepi_loop(s, n, fn, arg, stop, err);
}

struct addr_set {
	const uint64_t *v; /* sorted */
	size_t n;
	bool hit;
};

static bool at_addr_set(struct dbg_session *s, void *arg)
{
	struct addr_set *a = arg;
	uint64_t pc = sess_now(s)->rip;
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->v[mid] < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	a->hit = lo < a->n && a->v[lo] == pc;
	return a->hit;
}

int dbg_session_stepi_until(struct dbg_session *s, const uint64_t *addrs, size_t n_addrs,
			    uint64_t max, struct dbg_stop *stop, struct dbg_err *err)
{
	struct addr_set a = { addrs, n_addrs, false };
	for (size_t i = 1; i < n_addrs; i++)
		if (addrs[i - 1] > addrs[i])
			abort(); /* the caller's array must be sorted */
	int rc = stepi_loop(s, max, &at_addr_set, &a, stop, err);
	if (rc == 0 && a.hit) {
		stop->reason = DBG_STOP_UNTIL;
		s->t.last = *stop;
	}
	return rc;
}

/* How long a single step of a recorded run may wait for the other threads
 * before the run goes on freely. */
#define STEP_GIVE_UP_MS 250

/*
 * While the stepped thread was in a system call, the others ran; one that
 * hit a breakpoint was stopped back on it. A run that single-steps stops
 * there, in that thread, as a free run would have; a stage's one-shot stop
 * is only marked.
 */
static bool held_bp_stop(struct dbg_session *s, struct dbg_stop *stop)
{
	if (!s->t.pt.held)
		return false;
	s->t.pt.held = false;
	for (size_t i = 0; i < s->t.pt.nthreads; i++) {
		struct dbg_thread *o = &s->t.pt.threads[i];
		if (!o->held_bp || !o->regs_valid)
			continue;
		o->held_bp = false;
		sess_note_pc(s, o->regs.rip);
		int b = sess_user_bp_index(s, o->regs.rip);
		if (b < 0)
			continue;
		s->t.pt.cur = i;
		sess_bp_stop(s, b, stop);
		return true;
	}
	return false;
}

/*
 * One step of a run that single-steps because the timeline records every
 * instruction or replays its history: 1 when the run ends there (*stop
 * filled, or *res RUN_INTERNAL), 0 to go on, or a negative errno.
 */
static int run_step(struct dbg_session *s, struct dbg_stop *stop, enum run_result *res,
		    struct dbg_err *err)
{
	struct dbg_pt_stop ps;
	if (s->t.bps.nc && !sess_history(s) && sess_sys_catch_entry(s, stop))
		return 1;
	uint64_t from = sess_watch_before(s);
	int rc = step_once(s, &ps, err);
	if (rc == -ENODATA && sess_history(s)) {
		sess_fill_stop(s, stop, DBG_STOP_NO_HISTORY);
		return 1;
	}
	if (rc < 0)
		return rc;
	if (ps.event != DBG_PT_TRAP) {
		sess_event_stop(s, &ps, stop);
		return 1;
	}
	uint64_t pc = sess_now(s)->rip;
	sess_note_pc(s, pc);
	if (dbg_ptrace_take_interrupt(&s->t.pt)) {
		sess_fill_stop(s, stop, DBG_STOP_INTERRUPTED);
		return 1;
	}
	if (s->t.bps.nw && sess_watch_check(s, from, stop) == 1)
		return 1;
	if (s->t.bps.nc && !sess_history(s) && sess_sys_catch_return(s, stop))
		return 1;
	int b = sess_user_bp_index(s, pc);
	if (b >= 0) {
		sess_bp_stop(s, b, stop);
		return 1;
	}
	if (!sess_history(s) && held_bp_stop(s, stop))
		return 1;
	if (s->internal_on && s->internal_addr == pc) {
		*res = RUN_INTERNAL;
		return 1;
	}
	return 0;
}

/*
 * Continue all threads from the current state until something happens.
 * A hit of the internal breakpoint that is not also a user breakpoint
 * returns RUN_INTERNAL with the current thread on it; everything else
 * fills *stop.
 */
static int run_loop(struct dbg_session *s, struct dbg_stop *stop, enum run_result *res,
		    struct dbg_err *err);

int sess_run(struct dbg_session *s, struct dbg_stop *stop, enum run_result *res,
	     struct dbg_err *err)
{
	*res = RUN_STOP;
	/* a run may let the threads go (a step given up): they get their
	 * own CPU masks back first */
	dbg_session_idle(s);
	/* the free runs' pin (ptrace.h: dbg_ptrace_cont) holds across the
	 * stops the run goes on from, and ends with the run */
	int rc = run_loop(s, stop, res, err);
	dbg_session_idle(s);
	return rc;
}

static int run_loop(struct dbg_session *s, struct dbg_stop *stop, enum run_result *res,
		    struct dbg_err *err)
{
	struct dbg_pt_stop ps;
	for (;;) {
		/* a software watchpoint is checked after every step */
		bool soft = s->t.bps.nw && !sess_history(s) && sess_soft_watches(s);
		if (soft ||
		    (s->tl && dbg_tl_single_steps(s->tl) && (sess_history(s) || s->run_budget))) {
			bool live = !sess_history(s);
			if (live && !soft)
				s->run_budget--;
			s->t.pt.give_up_ms = live && !soft ? STEP_GIVE_UP_MS : 0;
			int rc = run_step(s, stop, res, err);
			s->t.pt.give_up_ms = 0;
			if (rc == -EINPROGRESS) {
				/* The step waits for the other threads (a blocking
				 * system call), or one of them stopped: the rest
				 * of the run is free, one jump of the record. */
				s->run_budget = 0;
				s->gaveup_tid = sess_cur(s)->tid;
				if (s->tl)
					dbg_tl_before_run(s->tl, &s->t, NULL, 0);
				s->free_ran = true;
				s->t.steps++;
				continue;
			}
			if (rc != 0)
				return rc < 0 ? rc : 0;
			continue;
		}
		/* Leave a breakpoint we are sitting on by stepping over it. */
		struct dbg_thread *t = sess_cur(s);
		if (s->t.bps.nsites && !t->running && dbg_bps_site(&s->t.bps, t->regs.rip)) {
			uint64_t from = t->regs.rip;
			int rc = step_once(s, &ps, err);
			if (rc < 0)
				return rc;
			if (ps.event != DBG_PT_TRAP) {
				sess_event_stop(s, &ps, stop);
				return 0;
			}
			if (s->t.bps.nw && sess_watch_check(s, from, stop) == 1)
				return 0;
			uint64_t pc = sess_cur(s)->regs.rip;
			int b = sess_user_bp_index(s, pc);
			if (b >= 0) {
				sess_bp_stop(s, b, stop);
				return 0;
			}
			sess_note_pc(s, pc);
			if (s->internal_on && s->internal_addr == pc) {
				*res = RUN_INTERNAL;
				return 0;
			}
		}
		if (!s->free_ran) {
			/* the run is one step of the timeline, its jump */
			t = sess_cur(s);
			if (s->tl)
				dbg_tl_before_run(s->tl, &s->t, &t->regs, t->tid);
			s->free_ran = true;
			s->t.steps++;
		}
		s->t.steps_exact = false;
		int rc = dbg_ptrace_cont(&s->t.pt, &ps, err);
		if (rc < 0)
			return rc;
		if (ps.event == DBG_PT_EXEC) {
			sess_forget_pcs(s);
			rc = on_exec(s, err);
			if (rc < 0)
				return rc;
			/* at the new program's first instruction, which the
			 * step over a breakpoint above would pass */
			uint64_t pc = sess_cur(s)->regs.rip;
			sess_note_pc(s, pc);
			int b = sess_user_bp_index(s, pc);
			if (b >= 0) {
				sess_bp_stop(s, b, stop);
				return 0;
			}
			continue;
		}
		if (ps.event != DBG_PT_TRAP) {
			sess_event_stop(s, &ps, stop);
			return 0;
		}
		t = sess_cur(s);
		if (s->t.bps.nw) {
			/* a debug register's trap: stop, or run on */
			int w = sess_watch_check(s, 0, stop);
			if (w == 1)
				return 0;
			if (w == 2)
				continue;
		}
		uint64_t at = t->regs.rip - 1;
		if (dbg_bps_site(&s->t.bps, at)) {
			t->regs.rip = at;
			rc = dbg_ptrace_set_regs(&s->t.pt, t, err);
			if (rc < 0)
				return rc;
			int b = sess_user_bp_index(s, at);
			if (b >= 0) {
				sess_bp_stop(s, b, stop);
				return 0;
			}
			if (s->internal_on && s->internal_addr == at) {
				sess_note_pc(s, at);
				*res = RUN_INTERNAL;
				return 0;
			}
			/* a stage's one-shot stop: mark it and run on */
			sess_note_pc(s, at);
			continue;
		}
		/* Not ours: a stale single-step trap is dropped, a real SIGTRAP
		 * (the program's own int3) is reported and delivered later. */
		int code = 0;
		dbg_ptrace_siginfo(t->tid, NULL, &code, NULL);
		if (code == TRAP_TRACE)
			continue;
		/* the trap of a step given up (after a system call the kernel
		 * reports it as TRAP_BRKPT) */
		if (t->tid == s->gaveup_tid) {
			s->gaveup_tid = 0;
			/* the blocking call it was stepping over returned */
			struct dbg_sys_event *open = dbg_syslog_open_call(&s->t.sys, t->tid);
			if (open && !open->in_kernel)
				sess_sys_after_step(s, open - s->t.sys.v, t);
			continue;
		}
		t->pending_sig = SIGTRAP;
		sess_fill_stop(s, stop, DBG_STOP_SIGNAL);
		stop->signo = SIGTRAP;
		stop->code = code;
		return 0;
	}
}

/* The free run of a command is over: the timeline records its jump. */
static void end_run(struct dbg_session *s)
{
	s->gaveup_tid = 0;
	if (!s->free_ran)
		return;
	s->free_ran = false;
	if (s->tl) {
		bool alive = s->t.live && !s->t.pt.gone && s->t.pt.nthreads;
		dbg_tl_after_run(s->tl, &s->t, alive ? &sess_cur(s)->regs : NULL,
				 alive ? sess_cur(s)->tid : 0);
	}
}

int dbg_session_cont(struct dbg_session *s, struct dbg_stop *stop, struct dbg_err *err)
{
	if (!sess_can_run(s))
		return sess_no_process(err);
	enum run_result res;
	int rc;
	s->run_budget = DBG_RECORD_CONTINUE_MAX;
	do
		rc = sess_run(s, stop, &res, err);
	while (rc == 0 && res == RUN_INTERNAL); /* a stale internal bp */
	end_run(s);
	if (rc == 0)
		s->t.last = *stop;
	return rc;
}

/* Run until the internal breakpoint at addr is hit with rsp >= min_sp. */
/* The current thread's g (in its TLS slot), 0 without TLS. */
static uint64_t tls_g(struct dbg_session *s)
{
	uint64_t g = 0, slot;
	if (!dbg_target_g_slot(&s->t, sess_now(s)->fs_base, &slot) ||
	    dbg_session_read_u64(s, slot, &g, NULL) < 0)
		g = 0;
	return g;
}

/*
 * Run until the internal breakpoint at addr is hit with rsp >= min_sp and,
 * when want_g is not 0, with that g at fs:-8: the frame being returned to
 * lives on that goroutine's stack, whichever thread runs it now, and other
 * goroutines pass the same return address on their own stacks.
 */
static int run_to(struct dbg_session *s, uint64_t addr, uint64_t min_sp, uint64_t want_g,
		  enum dbg_stop_reason reason, struct dbg_stop *stop, struct dbg_err *err)
{
	int rc = sess_set_internal(s, addr, err);
	if (rc < 0)
		return rc;
	s->run_budget = DBG_RECORD_CONTINUE_MAX;
	for (;;) {
		enum run_result res;
		rc = sess_run(s, stop, &res, err);
		if (rc < 0 || res == RUN_STOP)
			break;
		if (sess_now(s)->rsp >= min_sp && (!want_g || tls_g(s) == want_g)) {
			sess_fill_stop(s, stop, reason);
			break;
		}
	}
	if (s->t.live)
		sess_clear_internal(s);
	else
		s->internal_on = false;
	end_run(s);
	if (rc == 0)
		s->t.last = *stop;
	return rc;
}

int dbg_session_until(struct dbg_session *s, uint64_t addr, struct dbg_stop *stop,
		      struct dbg_err *err)
{
	if (!sess_can_run(s))
		return sess_no_process(err);
	return run_to(s, addr, 0, 0, DBG_STOP_UNTIL, stop, err);
}

int dbg_session_nexti(struct dbg_session *s, uint64_t n, struct dbg_stop *stop, struct dbg_err *err)
{
	if (!sess_can_run(s))
		return sess_no_process(err);
	if (n == 0)
		n = 1;
	for (uint64_t i = 0; i < n; i++) {
		struct dbg_insn in;
		uint64_t pc = sess_now(s)->rip;
		int rc = dbg_session_disasm(s, pc, 1, &in, err);
		if (rc < 0)
			return rc;
		if (in.is_call) {
			uint64_t sp = sess_now(s)->rsp;
			rc = run_to(s, pc + in.size, sp, tls_g(s), DBG_STOP_STEP, stop, err);
		} else {
			rc = dbg_session_stepi(s, 1, stop, err);
		}
		if (rc < 0)
			return rc;
		if (stop->reason != DBG_STOP_STEP)
			return 0;
	}
	return 0;
}

/* Push/pop/sub/add effects on rsp of one instruction, for finish's walk.
 * Returns false when the instruction changes rsp in a way we do not model. */
static bool rsp_effect(const struct dbg_insn *in, int64_t *delta)
{
	const struct dbg_operand *dst = dbg_insn_dst(in);
	if (strncmp(in->mnemonic, "push", 4) == 0) {
		*delta += in->op[0].size ? in->op[0].size : 8;
		return true;
	}
	if (strncmp(in->mnemonic, "pop", 3) == 0) {
		*delta -= 8;
		return true;
	}
	if (!dst || dst->type != DBG_OP_REG || dst->reg != DBG_REG_RSP)
		return true;
	if (in->nops == 2 && in->op[0].type == DBG_OP_IMM) {
		if (strncmp(in->mnemonic, "sub", 3) == 0) {
			*delta += in->op[0].imm;
			return true;
		}
		if (strncmp(in->mnemonic, "add", 3) == 0) {
			*delta -= in->op[0].imm;
			return true;
		}
	}
	return strncmp(in->mnemonic, "cmp", 3) == 0 || strncmp(in->mnemonic, "test", 4) == 0;
}

/*
 * The address of the return-address slot of the current function:
 *  - at a ret instruction: rsp;
 *  - once the function has run `push %rbp; mov %rsp,%rbp` (found by
 *    decoding from the function's start to pc): rbp + 8;
 *  - otherwise rsp + the stack growth of the straight-line prologue from the
 *    start to pc (push/pop/sub/add of immediates).
 */
int sess_return_slot(struct dbg_session *s, uint64_t *slot, struct dbg_err *err)
{
	const struct dbg_regs *r = sess_now(s);
	uint64_t pc = r->rip;
	struct dbg_insn in;
	int rc = dbg_session_disasm(s, pc, 1, &in, err);
	if (rc < 0)
		return rc;
	if (in.is_ret) {
		*slot = r->rsp;
		return 0;
	}
	/* an epilogue after rbp was restored: `pop %rbp; ret` or
	 * `add $n,%rsp; ret` */
	struct dbg_insn two[2];
	if (dbg_session_disasm(s, pc, 2, two, NULL) == 2 && two[1].is_ret) {
		if (strncmp(in.mnemonic, "pop", 3) == 0) {
			*slot = r->rsp + 8;
			return 0;
		}
		if (strncmp(in.mnemonic, "add", 3) == 0 && in.nops == 2 &&
		    in.op[0].type == DBG_OP_IMM && in.op[1].type == DBG_OP_REG &&
		    in.op[1].reg == DBG_REG_RSP) {
			*slot = r->rsp + (uint64_t)in.op[0].imm;
			return 0;
		}
	}
	const struct dbg_sym *sym = dbg_elf_sym_at(s->t.elf, pc);
	if (!sym || sym->kind != DBG_SYM_FUNC)
		return dbg_err_set(err, -EINVAL,
				   "cannot find the return address at 0x%" PRIx64
				   ": no function there",
				   pc);
	if (pc - sym->addr > 65536)
		return dbg_err_set(err, -EINVAL,
				   "cannot find the return address of %s: function too large",
				   sym->name);
	size_t len = (size_t)(pc - sym->addr);
	uint8_t *code = malloc(len ? len : 1);
	if (!code)
		return dbg_err_errno(err, -ENOMEM, "cannot find the return address of %s",
				     sym->name);
	rc = dbg_session_read(s, sym->addr, code, len, err);
	if (rc < 0) {
		free(code);
		return rc;
	}
	int64_t delta = 0;
	bool pushed_rbp = false, frame = false, modeled = true;
	size_t pos = 0;
	while (pos < len &&
	       dbg_disasm_one(s->t.dis, code + pos, len - pos, sym->addr + pos, &in, NULL) == 0) {
		pos += in.size;
		if (strncmp(in.mnemonic, "push", 4) == 0 && in.op[0].type == DBG_OP_REG &&
		    in.op[0].reg == DBG_REG_RBP)
			pushed_rbp = true;
		else if (pushed_rbp && strncmp(in.mnemonic, "mov", 3) == 0 && in.nops == 2 &&
			 in.op[0].type == DBG_OP_REG && in.op[0].reg == DBG_REG_RSP &&
			 in.op[1].type == DBG_OP_REG && in.op[1].reg == DBG_REG_RBP)
			frame = true;
		/* Go: sub $n,%rsp; mov %rbp,n-8(%rsp); lea n-8(%rsp),%rbp */
		else if (strncmp(in.mnemonic, "lea", 3) == 0 && in.nops == 2 &&
			 in.op[0].type == DBG_OP_MEM && in.op[0].mem.base == DBG_REG_RSP &&
			 in.op[0].mem.index == DBG_REG_NONE && in.op[1].type == DBG_OP_REG &&
			 in.op[1].reg == DBG_REG_RBP)
			frame = true;
		if (modeled && !rsp_effect(&in, &delta))
			modeled = false;
		if (in.is_ret || strncmp(in.mnemonic, "jmp", 3) == 0)
			modeled = false; /* past these the straight-line sum is void */
	}
	free(code);
	if (frame) {
		*slot = r->rbp + 8;
		return 0;
	}
	if (modeled && delta >= 0) {
		*slot = r->rsp + (uint64_t)delta;
		return 0;
	}
	return dbg_err_set(err, -EINVAL, "cannot find the return address of %s: no frame pointer",
			   sym->name);
}

int dbg_session_finish(struct dbg_session *s, struct dbg_stop *stop, struct dbg_err *err)
{
	if (!sess_can_run(s))
		return sess_no_process(err);
	uint64_t slot, ret;
	int rc = sess_return_slot(s, &slot, err);
	if (rc < 0)
		return rc;
	rc = dbg_session_read_u64(s, slot, &ret, err);
	if (rc < 0)
		return rc;
	return run_to(s, ret, slot + 8, tls_g(s), DBG_STOP_FINISH, stop, err);
}

void dbg_session_interrupt(struct dbg_session *s)
{
	if (s && s->t.live)
		dbg_ptrace_interrupt(&s->t.pt);
}

bool dbg_session_wait_may_last(const struct dbg_session *s)
{
	return !s->t.pt.waiting_quiet;
}

void dbg_session_set_wait_hook(void (*fn)(void *arg), void *arg)
{
	dbg_ptrace_set_wait_hook(fn, arg);
}

/* ---- start -------------------------------------------------------------- */

static int make_pipe(int fds[2], struct dbg_err *err)
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return dbg_err_errno(err, -errno, "cannot create a pipe for the program's output");
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	/* room for chatty targets while we wait in waitpid */
	fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);
	return 0;
}

/* A dynamic binary starts in its loader, not at its entry (as gdb's
 * starti shows): where the kernel started it is the ld.so stage. */
static int note_interp(struct dbg_session *s, struct dbg_err *err)
{
	uint64_t pc = sess_cur(s)->regs.rip;
	uint64_t at = dbg_elf_interp(s->t.elf) ? pc : 0;
	if (at == s->t.interp_entry)
		return 0;
	s->t.interp_entry = at;
	return sess_build_stages(s, err);
}

/* Load bias and the real entry from the kernel's AT_ENTRY: the program's
 * addresses (symbols, DWARF, stages, breakpoints) move with a PIE's bias. */
static int apply_bias(struct dbg_session *s, struct dbg_err *err)
{
	uint64_t auxv[64][2];
	int na = dbg_proc_auxv(s->t.pt.pid, auxv, 64, NULL);
	uint64_t at_entry = 0;
	for (int i = 0; i < na; i++)
		if (auxv[i][0] == AT_ENTRY)
			at_entry = auxv[i][1];
	if (!at_entry)
		return 0;
	uint64_t link_entry = dbg_elf_entry(s->t.elf) - dbg_elf_bias(s->t.elf);
	uint64_t bias = dbg_elf_is_pie(s->t.elf) ? at_entry - link_entry : 0;
	uint64_t old = dbg_elf_bias(s->t.elf);
	if (bias == old)
		return 0;
	dbg_elf_set_bias(s->t.elf, bias);
	if (s->t.dwarf)
		dbg_dwarf_set_bias(s->t.dwarf, bias);
	for (size_t i = 0; i < s->t.bps.n; i++)
		if (!s->t.bps.v[i].pending)
			s->t.bps.v[i].addr += bias - old;
	return sess_build_stages(s, err);
}

/* The program changed (an execve, or back to the first one at a start):
 * every breakpoint is pending until the hook resolves it again. */
static void image_changed(struct dbg_session *s, bool exec)
{
	for (size_t i = 0; i < s->t.bps.n; i++)
		s->t.bps.v[i].pending = true;
	sess_reset_stages(s);
	if (s->image_hook)
		s->image_hook(s, exec, s->image_arg);
}

/*
 * The process called execve (see session.h): its old memory, our int3
 * bytes and the bytes saved under them are gone; load the new program and
 * resolve the breakpoints there.
 */
static int on_exec(struct dbg_session *s, struct dbg_err *err)
{
	s->t.bps.nsites = 0;
	s->internal_on = false;
	/* the old addresses mean nothing now, also if loading fails below */
	for (size_t i = 0; i < s->t.bps.n; i++)
		s->t.bps.v[i].pending = true;
	/* /proc/PID/mem opened before the exec still reads the old memory */
	dbg_proc_release(&s->t.mem);
	dbg_proc_init(&s->t.mem, s->t.pt.pid);
	char link[64], path[4096];
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)s->t.pt.pid);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return dbg_err_errno(err, -errno, "cannot find the program process %d executes",
				     (int)s->t.pt.pid);
	path[n] = '\0';
	int rc = sess_load_image(s, path, err);
	if (rc < 0)
		return rc;
	char *image = strdup(path);
	if (!image)
		return dbg_err_errno(err, -ENOMEM, "cannot load %s", path);
	free(s->t.image);
	s->t.image = image;
	rc = note_interp(s, err);
	if (rc < 0)
		return rc;
	rc = apply_bias(s, err);
	if (rc < 0)
		return rc;
	dbg_target_load_vdso(&s->t, NULL);
	struct dbg_thread *t = sess_cur(s);
	rc = dbg_ptrace_regs(&s->t.pt, t, err);
	if (rc < 0)
		return rc;
	s->t.entry_sp = t->regs.rsp;
	if (s->tl)
		dbg_tl_on_exec(s->tl);
	image_changed(s, true);
	for (size_t i = 0; i < s->t.bps.n; i++) {
		rc = sess_sync_site(s, s->t.bps.v[i].addr, err);
		if (rc < 0)
			return rc;
	}
	/* the kernel cleared the debug registers at the execve */
	rc = sess_arm_watches(s, err);
	if (rc < 0)
		return rc;
	return sess_arm_stages(s, err);
}

/* ptrace's on_output: one read of fd, handed to the front end. */
static int pump_output(void *arg, int fd)
{
	struct dbg_session *s = arg;
	char buf[64 * 1024];
	ssize_t k;
	do
		k = read(fd, buf, sizeof(buf));
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 1 : -errno;
	if (k == 0)
		return 0;
	if (s->output_fn)
		s->output_fn(s->output_arg, fd == s->err_fd ? DBG_STREAM_STDERR : DBG_STREAM_STDOUT,
			     buf, (size_t)k);
	return 1;
}

/* Let the process layer read the pipes while the process runs. */
void sess_watch_output(struct dbg_session *s)
{
	s->t.pt.out_fd[0] = s->out_fd;
	s->t.pt.out_fd[1] = s->err_fd;
	s->t.pt.on_output = s->output_fn ? pump_output : NULL;
	s->t.pt.output_arg = s;
}

int dbg_session_start(struct dbg_session *s, char *const argv[], char *const envp[],
		      const struct dbg_start_opts *opts, struct dbg_stop *stop, struct dbg_err *err)
{
	if (s->tl && dbg_tl_from_file(s->tl)) {
		/* a recording, not a program: back to its first step */
		int rc = dbg_tl_rewind(s->tl, &s->t, stop, err);
		if (rc == 0)
			s->t.last = *stop;
		return rc;
	}
	dbg_session_kill(s);
	sess_close_output(s);
	s->t.steps = 0;
	s->t.steps_exact = true;
	s->t.entry_sp = 0;
	if (s->t.image) {
		/* an execve replaced the program: start the first one again */
		int rc = sess_load_image(s, s->t.path, err);
		if (rc < 0)
			return rc;
		free(s->t.image);
		s->t.image = NULL;
		if (s->tl)
			dbg_tl_on_exec(s->tl);
		image_changed(s, false);
	}
	sess_reset_stages(s);

	int out[2], errp[2];
	int rc = make_pipe(out, err);
	if (rc < 0)
		return rc;
	rc = make_pipe(errp, err);
	if (rc < 0) {
		close(out[0]);
		close(out[1]);
		return rc;
	}
	struct dbg_launch_opts lo = {
		.keep_aslr = opts && opts->keep_aslr,
		.stdin_fd = opts ? opts->stdin_fd : -1,
		.stdout_fd = out[1],
		.stderr_fd = errp[1],
	};
	char *const def_argv[] = { s->t.path, NULL };
	rc = dbg_ptrace_launch(&s->t.pt, s->t.path, argv ? argv : def_argv, envp, &lo, err);
	close(out[1]);
	close(errp[1]);
	s->out_fd = out[0];
	s->err_fd = errp[0];
	if (rc < 0)
		return rc;
	sess_sys_attach(s);
	dbg_proc_init(&s->t.mem, s->t.pt.pid);
	s->t.live = true;
	sess_forget_pcs(s);
	s->t.pt.sched_lock = s->t.sched_lock;
	sess_watch_output(s);

	rc = note_interp(s, err);
	if (rc < 0)
		goto fail;
	rc = apply_bias(s, err);
	if (rc < 0)
		goto fail;
	/* without its symbols a stop in the vDSO is only an address */
	dbg_target_load_vdso(&s->t, NULL);
	for (size_t i = 0; i < s->t.bps.n; i++) {
		rc = sess_sync_site(s, s->t.bps.v[i].addr, err);
		if (rc < 0)
			goto fail;
	}
	rc = sess_arm_watches(s, err);
	if (rc < 0)
		goto fail;
	s->t.entry_sp = sess_cur(s)->regs.rsp;
	sess_reset_stages(s);
	rc = sess_arm_stages(s, err);
	if (rc < 0)
		goto fail;
	sess_fill_stop(s, stop, DBG_STOP_ENTRY);
	s->t.last = *stop;
	if (s->tl)
		dbg_tl_on_start(s->tl, &s->t);
	return 0;
fail:
	dbg_session_kill(s);
	return rc;
}

/* ---- step and next by source line --------------------------------------- */

/* One line of step (over false) or next: see session.h. */
static int step_one_line(struct dbg_session *s, bool over, struct dbg_stop *stop,
			 struct dbg_err *err)
{
	struct dbg_line cur, ln;
	uint64_t pc = sess_now(s)->rip;
	if (!dbg_session_line_at(s, pc, &cur)) {
		/* gdb: single stepping until exit from a function without
		 * line information */
		uint64_t slot, ret;
		int rc = sess_return_slot(s, &slot, err);
		if (rc == 0)
			rc = dbg_session_read_u64(s, slot, &ret, err);
		if (rc < 0)
			return rc;
		return run_to(s, ret, slot + 8, tls_g(s), DBG_STOP_STEP, stop, err);
	}
	uint64_t lo = cur.addr, hi = cur.end;
	const char *file = cur.file;
	unsigned line = cur.line;
	for (;;) {
		struct dbg_insn in;
		int rc = dbg_session_disasm(s, pc, 1, &in, err);
		if (rc < 0)
			return rc;
		uint64_t sp = sess_now(s)->rsp;
		uint64_t g = in.is_call ? tls_g(s) : 0;
		rc = dbg_session_stepi(s, 1, stop, err);
		/* a call into a function that has a caller to return to (not
		 * the outermost frame, which gdb cannot tell from a jump) */
		if (rc == 0 && stop->reason == DBG_STOP_STEP && in.is_call &&
		    sess_now(s)->rsp == sp - 8 &&
		    !(s->t.dwarf && dbg_dwarf_outermost(s->t.dwarf, sess_now(s)->rip))) {
			/* step stops in a callee that has lines, else the call
			 * runs to its return */
			uint64_t entry = sess_now(s)->rip;
			if (!over && dbg_session_line_at(s, entry, &ln)) {
				uint64_t to = dbg_session_step_into_addr(s, entry);
				if (to != entry)
					rc = run_to(s, to, 0, 0, DBG_STOP_STEP, stop, err);
				return rc;
			}
			rc = run_to(s, pc + in.size, sp, g, DBG_STOP_STEP, stop, err);
		}
		if (rc < 0 || stop->reason != DBG_STOP_STEP)
			return rc;
		pc = sess_now(s)->rip;
		if (pc >= lo && pc < hi)
			continue;
		if (!dbg_session_line_at(s, pc, &ln))
			return 0; /* code without lines */
		if (pc == ln.addr && (ln.line != line || strcmp(ln.file, file) != 0)) {
			if (ln.is_stmt)
				return 0; /* the start of another line */
			lo = ln.addr;
			hi = ln.end;
			continue;
		}
		/* inside a line (back in the caller after a return, as
		 * well): on to the start of the next one */
		lo = ln.addr;
		hi = ln.end;
		if (ln.is_stmt) {
			line = ln.line;
			file = ln.file;
		}
	}
}

int dbg_session_step_line(struct dbg_session *s, bool over, uint64_t n, struct dbg_stop *stop,
			  struct dbg_err *err)
{
	if (!sess_can_run(s))
		return sess_no_process(err);
	if (n == 0)
		n = 1;
	for (uint64_t i = 0; i < n; i++) {
		int rc = step_one_line(s, over, stop, err);
		if (rc < 0)
			return rc;
		if (stop->reason != DBG_STOP_STEP)
			break;
	}
	s->t.last = *stop;
	return 0;
}
