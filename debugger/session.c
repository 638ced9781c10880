/* session — ties ELF, DWARF, stages and the process together (see session.h). */
#include "session.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "timeline.h"

/* si_code of a finished single step (asm-generic/siginfo.h). */
#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif

/* Steps per stepi call from which pinning to one CPU pays off. */
#define PIN_THRESHOLD 16

struct dbg_session {
	struct dbg_target t; /* the image, the process, breakpoints, progress */
	unsigned image_gen;
	dbg_image_fn *image_hook;
	void *image_arg;
	/* one internal temporary breakpoint (nexti, finish, until, start) */
	bool internal_on;
	uint64_t internal_addr;

	bool free_ran;         /* a free run of this command is under way: it
				  counts as one step (the timeline's jump) */
	bool starting;         /* running the interpreter up to the entry */
	pid_t gaveup_tid;      /* its single step was given up: its trap
				  comes during the free run and is dropped */
	uint64_t run_budget;   /* instructions a command may still single-step
				  in full mode before it runs freely */

	int out_fd, err_fd;
	dbg_output_fn *output_fn; /* dbg_session_set_output_fn(), or NULL */
	void *output_arg;
	char *no_symbols; /* dbg_session_no_symbols() text, or NULL */
	struct dbg_timeline *tl; /* the record (owned), or NULL */
	/* pcs known to hold an instruction other than cpuid (see step_once);
	 * 0 = empty slot; cleared for each new image */
	uint64_t *plain_pcs;
};

#define PLAIN_PCS 4096

/* ---- lifecycle ---------------------------------------------------------- */

static void reset_stages(struct dbg_session *s)
{
	for (size_t i = 0; i < s->t.stages.n; i++) {
		s->t.stage_steps[i] = DBG_NOT_REACHED;
		s->t.stage_rank[i] = 0;
	}
	s->t.nreached = 0;
	s->t.cur_stage = -1;
}

static int build_stages(struct dbg_session *s, struct dbg_err *err)
{
	dbg_stages_release(&s->t.stages);
	free(s->t.stage_steps);
	free(s->t.stage_rank);
	s->t.stage_steps = NULL;
	s->t.stage_rank = NULL;
	int rc = dbg_stages_build(&s->t.stages, s->t.elf, s->t.dis, err);
	if (rc < 0)
		return rc;
	s->t.stage_steps = malloc((s->t.stages.n ? s->t.stages.n : 1) * sizeof(uint64_t));
	s->t.stage_rank = malloc((s->t.stages.n ? s->t.stages.n : 1) * sizeof(uint32_t));
	if (!s->t.stage_steps || !s->t.stage_rank)
		return dbg_err_errno(err, -ENOMEM, "cannot build the stage catalog");
	reset_stages(s);
	return 0;
}

/*
 * Make path the program: ELF (required), DWARF (optional: runtime views
 * say they need it), stages, the no-symbols note. The old image is
 * replaced only when the new one loads.
 */
static int load_image(struct dbg_session *s, const char *path, struct dbg_err *err)
{
	struct dbg_elf *elf = NULL;
	struct dbg_dwarf *dwarf = NULL;
	char *no_symbols = NULL;
	int rc = dbg_elf_open(&elf, path, err);
	if (rc < 0)
		return rc;
	if (!dbg_elf_has_symtab(elf) &&
	    asprintf(&no_symbols, "%s has no symbol table (stripped, e.g. by go build -ldflags=-s)",
		     path) < 0) {
		dbg_elf_free(elf);
		return dbg_err_errno(err, -ENOMEM, "cannot open %s", path);
	}
	if (dbg_dwarf_open(&dwarf, path, NULL) < 0)
		dwarf = NULL;
	dbg_dwarf_free(s->t.dwarf);
	dbg_elf_free(s->t.elf);
	free(s->no_symbols);
	s->t.elf = elf;
	s->t.dwarf = dwarf;
	s->no_symbols = no_symbols;
	s->image_gen++;
	return build_stages(s, err);
}

int dbg_session_open(struct dbg_session **out, const char *path,
		     struct dbg_err *err)
{
	*out = NULL;
	struct dbg_session *s = calloc(1, sizeof(*s));
	if (!s)
		return dbg_err_errno(err, -ENOMEM, "cannot open %s", path);
	s->out_fd = s->err_fd = -1;
	s->t.mem.memfd = -1;
	s->t.pt.pin_cpu = -1;
	dbg_bps_init(&s->t.bps);
	s->t.cur_stage = -1;
	s->t.steps_exact = true;
	int rc = -ENOMEM;
	s->t.path = strdup(path);
	if (!s->t.path) {
		rc = dbg_err_errno(err, -ENOMEM, "cannot open %s", path);
		goto fail;
	}
	rc = dbg_disasm_open(&s->t.dis, err);
	if (rc < 0)
		goto fail;
	rc = load_image(s, path, err);
	if (rc < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	dbg_session_free(s);
	return rc;
}

static void close_output(struct dbg_session *s)
{
	if (s->out_fd >= 0)
		close(s->out_fd);
	if (s->err_fd >= 0)
		close(s->err_fd);
	s->out_fd = s->err_fd = -1;
}

/* Forget the process (already dead or killed). */
static void drop_process(struct dbg_session *s)
{
	dbg_ptrace_free(&s->t.pt);
	dbg_proc_release(&s->t.mem);
	s->t.bps.nsites = 0;
	s->internal_on = false;
	s->t.live = false;
	if (s->tl)
		dbg_tl_on_exit(s->tl);
}

void dbg_session_kill(struct dbg_session *s)
{
	if (s->t.live)
		drop_process(s);
}

void dbg_session_free(struct dbg_session *s)
{
	if (!s)
		return;
	dbg_session_kill(s);
	close_output(s);
	dbg_stages_release(&s->t.stages);
	free(s->t.stage_steps);
	free(s->t.stage_rank);
	free(s->plain_pcs);
	dbg_disasm_free(s->t.dis);
	dbg_dwarf_free(s->t.dwarf);
	dbg_elf_free(s->t.elf);
	dbg_bps_release(&s->t.bps);
	free(s->t.path);
	free(s->t.image);
	free(s->no_symbols);
	dbg_tl_free(s->tl);
	free(s);
}

/* Whether the views answer from the timeline (history, or a replay). */
static bool history(const struct dbg_session *s)
{
	return s->tl && dbg_tl_active(s->tl);
}

bool dbg_session_running(const struct dbg_session *s) { return s->t.live || history(s); }
pid_t dbg_session_pid(const struct dbg_session *s) { return s->t.live ? s->t.pt.pid : 0; }
const struct dbg_stop *dbg_session_last_stop(const struct dbg_session *s)
{
	return history(s) ? dbg_tl_last_stop(s->tl) : &s->t.last;
}

struct dbg_elf *dbg_session_elf(struct dbg_session *s) { return s->t.elf; }
struct dbg_dwarf *dbg_session_dwarf(struct dbg_session *s) { return s->t.dwarf; }
struct dbg_disasm *dbg_session_disasm_handle(struct dbg_session *s) { return s->t.dis; }
const char *dbg_session_path(const struct dbg_session *s) { return s->t.image ? s->t.image : s->t.path; }
unsigned dbg_session_image_gen(const struct dbg_session *s) { return s->image_gen; }

void dbg_session_set_image_hook(struct dbg_session *s, dbg_image_fn *fn, void *arg)
{
	s->image_hook = fn;
	s->image_arg = arg;
}
const char *dbg_session_no_symbols(const struct dbg_session *s) { return s->no_symbols; }
const struct dbg_stages *dbg_session_stages(const struct dbg_session *s) { return &s->t.stages; }
uint64_t dbg_session_steps(const struct dbg_session *s)
{
	return history(s) ? dbg_tl_view(s->tl) : s->t.steps;
}

int dbg_session_current_stage(const struct dbg_session *s)
{
	return history(s) ? dbg_tl_current_stage(s->tl) : s->t.cur_stage;
}

uint64_t dbg_session_entry_sp(const struct dbg_session *s) { return s->t.entry_sp; }

bool dbg_session_stage_reached(const struct dbg_session *s, size_t i,
			       uint64_t *steps)
{
	if (history(s))
		return dbg_tl_stage_reached(s->tl, i, steps);
	return dbg_target_stage_reached(&s->t, i, steps);
}

unsigned dbg_session_stage_rank(const struct dbg_session *s, size_t i)
{
	if (i >= s->t.stages.n)
		return 0;
	return history(s) ? dbg_tl_stage_rank(s->tl, i) : s->t.stage_rank[i];
}

bool dbg_session_steps_exact(const struct dbg_session *s) { return s->t.steps_exact; }

bool dbg_session_stage_steps_exact(const struct dbg_session *s, size_t i)
{
	if (history(s))
		return dbg_tl_stage_exact(s->tl, i);
	return dbg_target_stage_exact(&s->t, i);
}

int dbg_session_symbolize(struct dbg_session *s, uint64_t addr, char *buf,
			  size_t n)
{
	return dbg_elf_symbolize(s->t.elf, addr, buf, n);
}

static int no_process(struct dbg_err *err)
{
	return dbg_err_set(err, -ESRCH, "the program is not being run");
}

/* A process to run, or a recorded run to replay. */
static bool can_run(const struct dbg_session *s)
{
	return s->t.live || history(s);
}

/* ---- breakpoint bytes --------------------------------------------------- */

/* A boot stage not reached yet starts at addr: a free run stops there
 * once, so that every stage it passes is marked reached, in order. */
static bool stage_pending(const struct dbg_session *s, uint64_t addr)
{
	int i = dbg_stages_at(&s->t.stages, addr);
	return i >= 0 && s->t.stage_steps[i] == DBG_NOT_REACHED;
}

static bool wanted(const struct dbg_session *s, uint64_t addr)
{
	return s->t.live && (dbg_bps_at(&s->t.bps, addr) || (s->internal_on && s->internal_addr == addr) ||
			   stage_pending(s, addr));
}

/* Make memory at addr agree with the breakpoints that want it. */
static int sync_site(struct dbg_session *s, uint64_t addr, struct dbg_err *err)
{
	struct dbg_site *st = dbg_bps_site(&s->t.bps, addr);
	bool want = wanted(s, addr);
	if (want && !st) {
		uint8_t orig, cc = 0xcc;
		int rc = dbg_proc_read(&s->t.mem, addr, &orig, 1, err);
		if (rc < 0)
			return rc;
		rc = dbg_proc_write(&s->t.mem, addr, &cc, 1, err);
		if (rc < 0)
			return dbg_err_errno(err, rc, "cannot insert breakpoint at 0x%" PRIx64, addr);
		dbg_bps_site_add(&s->t.bps, addr, orig);
	} else if (!want && st) {
		if (s->t.live) {
			int rc = dbg_proc_write(&s->t.mem, addr, &st->orig, 1, err);
			if (rc < 0)
				return rc;
		}
		dbg_bps_site_remove(&s->t.bps, st);
	}
	return 0;
}

static int set_internal(struct dbg_session *s, uint64_t addr, struct dbg_err *err)
{
	s->internal_on = true;
	s->internal_addr = addr;
	int rc = sync_site(s, addr, err);
	if (rc < 0)
		s->internal_on = false;
	return rc;
}

static void clear_internal(struct dbg_session *s)
{
	if (!s->internal_on)
		return;
	s->internal_on = false;
	sync_site(s, s->internal_addr, NULL);
}

/* Breakpoint bytes at every stage not reached yet (see stage_pending). */
static int arm_stages(struct dbg_session *s, struct dbg_err *err)
{
	for (size_t i = 0; i < s->t.stages.n; i++) {
		int rc = sync_site(s, s->t.stages.v[i].addr, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- stops -------------------------------------------------------------- */

static struct dbg_thread *cur(struct dbg_session *s)
{
	return dbg_ptrace_cur(&s->t.pt);
}

/* Registers of the state shown: the current thread's, or the record's. */
static const struct dbg_regs *now(struct dbg_session *s)
{
	return history(s) ? dbg_tl_regs(s->tl) : &cur(s)->regs;
}

/* Mark the stage at pc reached; returns its index or -1. */
static int note_pc(struct dbg_session *s, uint64_t pc)
{
	int i = dbg_stages_at(&s->t.stages, pc);
	if (i >= 0) {
		if (s->t.stage_steps[i] == DBG_NOT_REACHED) {
			/* a free run is the step after the one shown */
			s->t.stage_steps[i] = (s->free_ran ? s->t.steps - 1 : s->t.steps) |
					    (s->t.steps_exact ? 0 : DBG_STEPS_INEXACT);
			if (s->free_ran && s->tl)
				dbg_tl_run_stage(s->tl, i);
			s->t.stage_rank[i] = ++s->t.nreached;
			/* its one-shot stop is no longer needed */
			if (s->t.live && s->t.bps.nsites)
				sync_site(s, pc, NULL);
		}
		s->t.cur_stage = i;
	}
	return i;
}

static int return_slot(struct dbg_session *s, uint64_t *slot, struct dbg_err *err);

/*
 * A signal can stop the program far from any stage address (a crash in a
 * callee of main.main after a plain run). Walk up the calls from pc — the
 * current function's return slot as finish finds it, then the
 * frame-pointer chain — and mark the innermost function that is a stage
 * as reached and current, so the stop names the stage it happened in.
 */
static void note_frames(struct dbg_session *s)
{
	const struct dbg_regs *r = &cur(s)->regs;
	uint64_t pc = r->rip, fp = r->rbp;
	bool last = false;
	for (int depth = 0; depth < 64; depth++) {
		const struct dbg_sym *sym = dbg_elf_sym_at(s->t.elf, pc);
		if (sym && sym->kind == DBG_SYM_FUNC &&
		    dbg_stages_at(&s->t.stages, sym->addr) >= 0) {
			note_pc(s, sym->addr);
			return;
		}
		if (last)
			return;
		uint64_t slot, ret, next_fp;
		if (depth == 0 && return_slot(s, &slot, NULL) == 0 && slot != fp + 8) {
			/* no frame of its own yet (a leaf, or a prologue): rbp
			 * is still the caller's */
			if (dbg_session_read_u64(s, slot, &ret, NULL) < 0)
				return;
			next_fp = fp;
		} else {
			uint64_t frame[2]; /* saved rbp, return address */
			if (fp == 0 || dbg_session_read(s, fp, frame, sizeof(frame), NULL) < 0)
				return;
			next_fp = frame[0];
			ret = frame[1];
			last = next_fp <= fp; /* the chain ends (or loops) */
		}
		if (ret == 0)
			return;
		pc = ret - 1; /* inside the call, not after it */
		fp = next_fp;
	}
}

static void fill_stop(struct dbg_session *s, struct dbg_stop *stop,
		      enum dbg_stop_reason r)
{
	memset(stop, 0, sizeof(*stop));
	stop->reason = r;
	stop->stage = -1;
	if (history(s)) {
		stop->tid = dbg_tl_tid(s->tl);
		stop->pc = dbg_tl_regs(s->tl)->rip;
		stop->stage = dbg_stages_at(&s->t.stages, stop->pc);
	} else if (s->t.live) {
		struct dbg_thread *t = cur(s);
		stop->tid = t->tid;
		stop->pc = t->regs.rip;
		stop->stage = note_pc(s, stop->pc);
	}
}

/* A process event that ends the run: fills stop. */
static void event_stop(struct dbg_session *s, const struct dbg_pt_stop *ps,
		       struct dbg_stop *stop)
{
	switch (ps->event) {
	case DBG_PT_EXITED:
	case DBG_PT_SIGNALED:
		drop_process(s);
		fill_stop(s, stop, ps->event == DBG_PT_EXITED ? DBG_STOP_EXITED : DBG_STOP_SIGNALED);
		stop->code = ps->event == DBG_PT_EXITED ? ps->code : 0;
		stop->signo = ps->event == DBG_PT_SIGNALED ? ps->signo : 0;
		break;
	case DBG_PT_STOPPED:
		fill_stop(s, stop, DBG_STOP_INTERRUPTED);
		break;
	case DBG_PT_SIGNAL:
		fill_stop(s, stop, DBG_STOP_SIGNAL);
		stop->signo = ps->signo;
		stop->code = ps->code;
		stop->fault_addr = ps->addr;
		stop->has_fault_addr = ps->has_addr;
		stop->sender_pid = ps->sender;
		note_frames(s);
		break;
	default:
		fill_stop(s, stop, DBG_STOP_STEP);
		break;
	}
}

static int user_bp_index(const struct dbg_session *s, uint64_t addr)
{
	const struct dbg_bp *b = dbg_bps_at(&s->t.bps, addr);
	return b ? (int)(b - s->t.bps.v) : -1;
}

/* The current thread sits on enabled user breakpoint i: count the hit,
 * delete it if temporary, and describe the stop. */
static void bp_stop(struct dbg_session *s, int i, struct dbg_stop *stop)
{
	s->t.bps.v[i].hits++;
	int id = s->t.bps.v[i].id;
	bool temp = s->t.bps.v[i].temporary;
	fill_stop(s, stop, DBG_STOP_BREAKPOINT);
	stop->bp_id = id;
	if (temp)
		dbg_session_delete(s, id, NULL);
}

/* ---- stepping ----------------------------------------------------------- */

/* The code of a new image: nothing is known about its pcs. */
static void forget_code(struct dbg_session *s)
{
	if (s->plain_pcs)
		memset(s->plain_pcs, 0, PLAIN_PCS * sizeof(*s->plain_pcs));
}

/*
 * Whether the instruction at pc is cpuid, whose single-step trap some
 * hypervisors lose. Text does not change under us (our own int3 bytes are
 * lifted before a step), so each pc is read once: a direct-mapped cache
 * keeps the pcs known to hold something else.
 */
static bool is_cpuid(struct dbg_session *s, pid_t tid, uint64_t pc)
{
	if (!s->plain_pcs && !(s->plain_pcs = calloc(PLAIN_PCS, sizeof(*s->plain_pcs))))
		return false;
	uint64_t *slot = &s->plain_pcs[(pc ^ (pc >> 12)) & (PLAIN_PCS - 1)];
	if (*slot == pc && pc)
		return false;
	uint64_t w;
	if (dbg_ptrace_peek(tid, pc, &w) < 0)
		return false;
	if ((w & 0xffff) == 0xa20f)
		return true;
	*slot = pc;
	return false;
}

static int on_exec(struct dbg_session *s, struct dbg_err *err);

/* One single step of the current thread, stepping over our int3 at pc. */
static int step_once(struct dbg_session *s, struct dbg_pt_stop *ps,
		     struct dbg_err *err)
{
	if (history(s)) {
		/* replay the record up to the live step (-ENODATA past its end) */
		int rc = dbg_tl_replay_step(s->tl, &s->t, err);
		if (rc == 0)
			ps->event = DBG_PT_TRAP;
		return rc;
	}
	struct dbg_thread *t = cur(s);
	struct dbg_site *st = s->t.bps.nsites ? dbg_bps_site(&s->t.bps, t->regs.rip) : NULL;
	uint64_t over = 0;
	if (st) {
		over = st->addr;
		int rc = dbg_proc_write(&s->t.mem, over, &st->orig, 1, err);
		if (rc < 0)
			return rc;
	}
	/* the steps of a free run (over a breakpoint) are part of its jump */
	bool rec = s->tl && !s->free_ran;
	if (rec)
		dbg_tl_before_step(s->tl, &s->t, &t->regs, t->tid);
	int rc = is_cpuid(s, t->tid, t->regs.rip)
		 ? dbg_ptrace_step_to(&s->t.pt, t->regs.rip + 2, ps, err)
		 : dbg_ptrace_step(&s->t.pt, ps, err);
	if (rc == 0 && ps->event == DBG_PT_EXEC) {
		/* the step ran execve: it ends at the new program's first
		 * instruction, and the old int3 went with the old memory */
		forget_code(s);
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
	if (rc == 0 && ps->event == DBG_PT_TRAP && !s->free_ran)
		s->t.steps++;
	if (rec) {
		bool alive = !s->t.pt.gone && s->t.pt.nthreads;
		dbg_tl_after_step(s->tl, &s->t, alive ? &cur(s)->regs : NULL, alive ? cur(s)->tid : 0,
				  rc == 0 && ps->event == DBG_PT_TRAP);
		/* a trace that cannot be written (a full disk) stops the run now */
		if (rc == 0)
			rc = dbg_tl_trace_status(s->tl, err);
	}
	return rc;
}

static int stepi_loop(struct dbg_session *s, uint64_t n, dbg_step_fn *fn,
		      void *arg, struct dbg_stop *stop, struct dbg_err *err)
{
	if (!can_run(s))
		return no_process(err);
	if (n == 0)
		n = 1;
	bool pinned = n >= PIN_THRESHOLD && s->t.live && dbg_ptrace_pin(&s->t.pt, true) == 0;
	int rc = 0;
	struct dbg_pt_stop ps;
	for (uint64_t i = 0; i < n; i++) {
		rc = step_once(s, &ps, err);
		if (rc == -ENODATA && history(s)) {
			rc = 0;
			fill_stop(s, stop, DBG_STOP_NO_HISTORY);
			goto out;
		}
		if (rc < 0)
			break;
		if (ps.event != DBG_PT_TRAP) {
			event_stop(s, &ps, stop);
			goto out;
		}
		uint64_t pc = now(s)->rip;
		note_pc(s, pc);
		if (s->t.pt.interrupt) {
			/* the SIGSTOP is still on its way: absorb it later */
			s->t.pt.interrupt = 0;
			s->t.pt.stale_sigstops++;
			fill_stop(s, stop, DBG_STOP_INTERRUPTED);
			goto out;
		}
		if (s->t.bps.n) {
			int b = user_bp_index(s, pc);
			if (b >= 0) {
				bp_stop(s, b, stop);
				goto out;
			}
		}
		if (fn && fn(s, arg))
			break;
	}
	if (rc == 0)
		fill_stop(s, stop, DBG_STOP_STEP);
out:
	if (pinned && s->t.live)
		dbg_ptrace_pin(&s->t.pt, false);
	if (rc == 0)
		s->t.last = *stop;
	return rc;
}

int dbg_session_stepi(struct dbg_session *s, uint64_t n, struct dbg_stop *stop,
		      struct dbg_err *err)
{
	return stepi_loop(s, n, NULL, NULL, stop, err);
}

int dbg_session_stepi_each(struct dbg_session *s, uint64_t n, dbg_step_fn *fn,
			   void *arg, struct dbg_stop *stop, struct dbg_err *err)
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
	uint64_t pc = now(s)->rip;
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

int dbg_session_stepi_until(struct dbg_session *s, const uint64_t *addrs,
			    size_t n_addrs, uint64_t max, struct dbg_stop *stop,
			    struct dbg_err *err)
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

/* Outcome of run(): a final stop, or the internal breakpoint was reached. */
enum run_result { RUN_STOP, RUN_INTERNAL };

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
		note_pc(s, o->regs.rip);
		int b = user_bp_index(s, o->regs.rip);
		if (b < 0)
			continue;
		s->t.pt.cur = i;
		bp_stop(s, b, stop);
		return true;
	}
	return false;
}

/*
 * One step of a run that single-steps because the timeline records every
 * instruction or replays its history: 1 when the run ends there (*stop
 * filled, or *res RUN_INTERNAL), 0 to go on, or a negative errno.
 */
static int run_step(struct dbg_session *s, struct dbg_stop *stop,
		    enum run_result *res, struct dbg_err *err)
{
	struct dbg_pt_stop ps;
	int rc = step_once(s, &ps, err);
	if (rc == -ENODATA && history(s)) {
		fill_stop(s, stop, DBG_STOP_NO_HISTORY);
		return 1;
	}
	if (rc < 0)
		return rc;
	if (ps.event != DBG_PT_TRAP) {
		event_stop(s, &ps, stop);
		return 1;
	}
	uint64_t pc = now(s)->rip;
	note_pc(s, pc);
	if (s->t.pt.interrupt) {
		s->t.pt.interrupt = 0;
		s->t.pt.stale_sigstops++;
		fill_stop(s, stop, DBG_STOP_INTERRUPTED);
		return 1;
	}
	int b = user_bp_index(s, pc);
	if (b >= 0) {
		bp_stop(s, b, stop);
		return 1;
	}
	if (!history(s) && held_bp_stop(s, stop))
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
static int run(struct dbg_session *s, struct dbg_stop *stop,
	       enum run_result *res, struct dbg_err *err)
{
	struct dbg_pt_stop ps;
	*res = RUN_STOP;
	for (;;) {
		if (s->tl && dbg_tl_single_steps(s->tl) && (history(s) || s->run_budget)) {
			bool live = !history(s);
			if (live)
				s->run_budget--;
			s->t.pt.give_up_ms = live ? STEP_GIVE_UP_MS : 0;
			int rc = run_step(s, stop, res, err);
			s->t.pt.give_up_ms = 0;
			if (rc == -EINPROGRESS) {
				/* The step waits for the other threads (a blocking
				 * system call), or one of them stopped: the rest
				 * of the run is free, one jump of the record. */
				s->run_budget = 0;
				s->gaveup_tid = cur(s)->tid;
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
		struct dbg_thread *t = cur(s);
		if (s->t.bps.nsites && !t->running && dbg_bps_site(&s->t.bps, t->regs.rip)) {
			int rc = step_once(s, &ps, err);
			if (rc < 0)
				return rc;
			if (ps.event != DBG_PT_TRAP) {
				event_stop(s, &ps, stop);
				return 0;
			}
			uint64_t pc = cur(s)->regs.rip;
			int b = user_bp_index(s, pc);
			if (b >= 0) {
				bp_stop(s, b, stop);
				return 0;
			}
			note_pc(s, pc);
			if (s->internal_on && s->internal_addr == pc) {
				*res = RUN_INTERNAL;
				return 0;
			}
		}
		if (!s->free_ran) {
			/* the run is one step of the timeline, its jump */
			t = cur(s);
			if (s->tl && !s->starting)
				dbg_tl_before_run(s->tl, &s->t, &t->regs, t->tid);
			s->free_ran = true;
			s->t.steps++;
		}
		s->t.steps_exact = false;
		int rc = dbg_ptrace_cont(&s->t.pt, &ps, err);
		if (rc < 0)
			return rc;
		if (ps.event == DBG_PT_EXEC) {
			forget_code(s);
			rc = on_exec(s, err);
			if (rc < 0)
				return rc;
			/* at the new program's first instruction, which the
			 * step over a breakpoint above would pass */
			uint64_t pc = cur(s)->regs.rip;
			note_pc(s, pc);
			int b = user_bp_index(s, pc);
			if (b >= 0) {
				bp_stop(s, b, stop);
				return 0;
			}
			continue;
		}
		if (ps.event != DBG_PT_TRAP) {
			event_stop(s, &ps, stop);
			return 0;
		}
		t = cur(s);
		uint64_t at = t->regs.rip - 1;
		if (dbg_bps_site(&s->t.bps, at)) {
			t->regs.rip = at;
			rc = dbg_ptrace_set_regs(&s->t.pt, t, err);
			if (rc < 0)
				return rc;
			int b = user_bp_index(s, at);
			if (b >= 0) {
				bp_stop(s, b, stop);
				return 0;
			}
			if (s->internal_on && s->internal_addr == at) {
				note_pc(s, at);
				*res = RUN_INTERNAL;
				return 0;
			}
			/* a stage's one-shot stop: mark it and run on */
			note_pc(s, at);
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
			continue;
		}
		t->pending_sig = SIGTRAP;
		fill_stop(s, stop, DBG_STOP_SIGNAL);
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
		dbg_tl_after_run(s->tl, &s->t, alive ? &cur(s)->regs : NULL, alive ? cur(s)->tid : 0);
	}
}

int dbg_session_cont(struct dbg_session *s, struct dbg_stop *stop,
		     struct dbg_err *err)
{
	if (!can_run(s))
		return no_process(err);
	enum run_result res;
	int rc;
	s->run_budget = DBG_RECORD_CONTINUE_MAX;
	do
		rc = run(s, stop, &res, err);
	while (rc == 0 && res == RUN_INTERNAL); /* a stale internal bp */
	end_run(s);
	if (rc == 0)
		s->t.last = *stop;
	return rc;
}

/* Run until the internal breakpoint at addr is hit with rsp >= min_sp. */
/* The word at fs:-8 of the current thread (Go's g), 0 without TLS. */
static uint64_t tls_g(struct dbg_session *s)
{
	uint64_t g = 0, fs = now(s)->fs_base;
	if (fs >= 8 && dbg_session_read_u64(s, fs - 8, &g, NULL) < 0)
		g = 0;
	return g;
}

/*
 * Run until the internal breakpoint at addr is hit with rsp >= min_sp and,
 * when want_g is not 0, with that g at fs:-8: the frame being returned to
 * lives on that goroutine's stack, whichever thread runs it now, and other
 * goroutines pass the same return address on their own stacks.
 */
static int run_to(struct dbg_session *s, uint64_t addr, uint64_t min_sp,
		  uint64_t want_g, enum dbg_stop_reason reason,
		  struct dbg_stop *stop, struct dbg_err *err)
{
	int rc = set_internal(s, addr, err);
	if (rc < 0)
		return rc;
	s->run_budget = DBG_RECORD_CONTINUE_MAX;
	for (;;) {
		enum run_result res;
		rc = run(s, stop, &res, err);
		if (rc < 0 || res == RUN_STOP)
			break;
		if (now(s)->rsp >= min_sp && (!want_g || tls_g(s) == want_g)) {
			fill_stop(s, stop, reason);
			break;
		}
	}
	if (s->t.live)
		clear_internal(s);
	else
		s->internal_on = false;
	end_run(s);
	if (rc == 0)
		s->t.last = *stop;
	return rc;
}

int dbg_session_until(struct dbg_session *s, uint64_t addr,
		      struct dbg_stop *stop, struct dbg_err *err)
{
	if (!can_run(s))
		return no_process(err);
	return run_to(s, addr, 0, 0, DBG_STOP_UNTIL, stop, err);
}

int dbg_session_nexti(struct dbg_session *s, uint64_t n, struct dbg_stop *stop,
		      struct dbg_err *err)
{
	if (!can_run(s))
		return no_process(err);
	if (n == 0)
		n = 1;
	for (uint64_t i = 0; i < n; i++) {
		struct dbg_insn in;
		uint64_t pc = now(s)->rip;
		int rc = dbg_session_disasm(s, pc, 1, &in, err);
		if (rc < 0)
			return rc;
		if (in.is_call) {
			uint64_t sp = now(s)->rsp;
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
static int return_slot(struct dbg_session *s, uint64_t *slot, struct dbg_err *err)
{
	const struct dbg_regs *r = now(s);
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
				   "cannot find the return address at 0x%" PRIx64 ": no function there", pc);
	if (pc - sym->addr > 65536)
		return dbg_err_set(err, -EINVAL, "cannot find the return address of %s: function too large",
				   sym->name);
	size_t len = (size_t)(pc - sym->addr);
	uint8_t *code = malloc(len ? len : 1);
	if (!code)
		return dbg_err_errno(err, -ENOMEM, "cannot find the return address of %s", sym->name);
	rc = dbg_session_read(s, sym->addr, code, len, err);
	if (rc < 0) {
		free(code);
		return rc;
	}
	int64_t delta = 0;
	bool pushed_rbp = false, frame = false, modeled = true;
	size_t pos = 0;
	while (pos < len && dbg_disasm_one(s->t.dis, code + pos, len - pos, sym->addr + pos, &in, NULL) == 0) {
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
			 in.op[0].mem.index == DBG_REG_NONE &&
			 in.op[1].type == DBG_OP_REG && in.op[1].reg == DBG_REG_RBP)
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

int dbg_session_finish(struct dbg_session *s, struct dbg_stop *stop,
		       struct dbg_err *err)
{
	if (!can_run(s))
		return no_process(err);
	uint64_t slot, ret;
	int rc = return_slot(s, &slot, err);
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
	return build_stages(s, err);
}

/* The program changed (an execve, or back to the first one at a start):
 * every breakpoint is pending until the hook resolves it again. */
static void image_changed(struct dbg_session *s, bool exec)
{
	for (size_t i = 0; i < s->t.bps.n; i++)
		s->t.bps.v[i].pending = true;
	reset_stages(s);
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
	int rc = load_image(s, path, err);
	if (rc < 0)
		return rc;
	char *image = strdup(path);
	if (!image)
		return dbg_err_errno(err, -ENOMEM, "cannot load %s", path);
	free(s->t.image);
	s->t.image = image;
	rc = apply_bias(s, err);
	if (rc < 0)
		return rc;
	struct dbg_thread *t = cur(s);
	rc = dbg_ptrace_regs(&s->t.pt, t, err);
	if (rc < 0)
		return rc;
	s->t.entry_sp = t->regs.rsp;
	if (s->tl)
		dbg_tl_on_exec(s->tl);
	image_changed(s, true);
	for (size_t i = 0; i < s->t.bps.n; i++) {
		rc = sync_site(s, s->t.bps.v[i].addr, err);
		if (rc < 0)
			return rc;
	}
	return arm_stages(s, err);
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
static void watch_output(struct dbg_session *s)
{
	s->t.pt.out_fd[0] = s->out_fd;
	s->t.pt.out_fd[1] = s->err_fd;
	s->t.pt.on_output = s->output_fn ? pump_output : NULL;
	s->t.pt.output_arg = s;
}

int dbg_session_start(struct dbg_session *s, char *const argv[],
		      char *const envp[], const struct dbg_start_opts *opts,
		      struct dbg_stop *stop, struct dbg_err *err)
{
	if (s->tl && dbg_tl_from_file(s->tl)) {
		/* a recording, not a program: back to its first step */
		int rc = dbg_tl_rewind(s->tl, &s->t, stop, err);
		if (rc == 0)
			s->t.last = *stop;
		return rc;
	}
	dbg_session_kill(s);
	close_output(s);
	s->t.steps = 0;
	s->t.steps_exact = true;
	s->t.entry_sp = 0;
	if (s->t.image) {
		/* an execve replaced the program: start the first one again */
		int rc = load_image(s, s->t.path, err);
		if (rc < 0)
			return rc;
		free(s->t.image);
		s->t.image = NULL;
		if (s->tl)
			dbg_tl_on_exec(s->tl);
		image_changed(s, false);
	}
	reset_stages(s);

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
	dbg_proc_init(&s->t.mem, s->t.pt.pid);
	s->t.live = true;
	forget_code(s);
	s->t.pt.sched_lock = s->t.sched_lock;
	watch_output(s);

	rc = apply_bias(s, err);
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < s->t.bps.n; i++) {
		rc = sync_site(s, s->t.bps.v[i].addr, err);
		if (rc < 0)
			goto fail;
	}
	uint64_t entry = dbg_elf_entry(s->t.elf);
	if (cur(s)->regs.rip != entry) {
		/* An interpreter runs first: let it, up to the program's entry. */
		s->starting = true;
		rc = run_to(s, entry, 0, 0, DBG_STOP_ENTRY, stop, err);
		s->starting = false;
		if (rc < 0)
			goto fail;
		if (stop->reason != DBG_STOP_ENTRY) {
			rc = dbg_err_set(err, -ECHILD, "cannot start %s: it stopped (%s) before its entry point",
					 s->t.path, dbg_stop_reason_name(stop->reason));
			goto fail;
		}
	}
	s->t.entry_sp = cur(s)->regs.rsp;
	s->t.steps = 0; /* the interpreter's run does not count */
	s->t.steps_exact = true;
	reset_stages(s);
	rc = arm_stages(s, err);
	if (rc < 0)
		goto fail;
	fill_stop(s, stop, DBG_STOP_ENTRY);
	s->t.last = *stop;
	if (s->tl)
		dbg_tl_on_start(s->tl, &s->t);
	return 0;
fail:
	dbg_session_kill(s);
	return rc;
}

/* ---- breakpoints -------------------------------------------------------- */

/* Whether addr is code: in an executable mapping of the process, or of
 * an executable PT_LOAD segment before it runs. An int3 written into data
 * would corrupt the program instead of stopping it. */
static bool in_code(struct dbg_session *s, uint64_t addr)
{
	if (s->t.live) {
		struct dbg_map *maps;
		size_t n;
		if (dbg_proc_maps(s->t.pt.pid, &maps, &n, NULL) < 0)
			return true; /* cannot tell: the write decides */
		const struct dbg_map *m = dbg_proc_map_at(maps, n, addr);
		bool x = m && m->x;
		free(maps);
		return x;
	}
	for (size_t i = 0; i < dbg_elf_nsegments(s->t.elf); i++) {
		const struct dbg_segment *g = dbg_elf_segment(s->t.elf, i);
		if (g->type == PT_LOAD && (g->flags & PF_X) && addr >= g->vaddr &&
		    addr - g->vaddr < g->memsz)
			return true;
	}
	return false;
}


int dbg_session_break(struct dbg_session *s, uint64_t addr, bool temporary,
		      struct dbg_err *err)
{
	if (!in_code(s, addr))
		return dbg_err_set(err, -EFAULT,
				   "cannot set a breakpoint at 0x%" PRIx64 ": not in executable code",
				   addr);
	const struct dbg_bp *old = dbg_bps_placed(&s->t.bps, addr);
	if (old)
		return dbg_err_set(err, -EEXIST, "breakpoint %d is already at 0x%" PRIx64,
				   old->id, addr);
	int id = dbg_bps_add(&s->t.bps, addr, temporary, false)->id;
	if (s->t.live) {
		int rc = sync_site(s, addr, err);
		if (rc < 0) {
			dbg_bps_remove(&s->t.bps, s->t.bps.n - 1);
			return rc;
		}
	}
	return id;
}

int dbg_session_break_pending(struct dbg_session *s, bool temporary,
			      struct dbg_err *err)
{
	(void)err; /* nothing fails: running out of memory aborts (err.h) */
	return dbg_bps_add(&s->t.bps, 0, temporary, true)->id;
}

int dbg_session_bp_set_spec(struct dbg_session *s, int id, const char *spec,
			    struct dbg_err *err)
{
	int i = dbg_bps_index(&s->t.bps, id);
	if (i < 0)
		return dbg_err_set(err, -ENOENT, "no breakpoint number %d", id);
	char *copy = strdup(spec);
	if (!copy)
		return dbg_err_errno(err, -ENOMEM, "cannot add a breakpoint");
	free((char *)s->t.bps.v[i].spec);
	s->t.bps.v[i].spec = copy;
	return 0;
}

int dbg_session_rebind(struct dbg_session *s, int id, uint64_t addr,
		       struct dbg_err *err)
{
	int i = dbg_bps_index(&s->t.bps, id);
	if (i < 0)
		return dbg_err_set(err, -ENOENT, "no breakpoint number %d", id);
	if (!in_code(s, addr))
		return dbg_err_set(err, -EFAULT,
				   "cannot set a breakpoint at 0x%" PRIx64 ": not in executable code",
				   addr);
	uint64_t old = s->t.bps.v[i].addr;
	bool was_pending = s->t.bps.v[i].pending;
	s->t.bps.v[i].addr = addr;
	s->t.bps.v[i].pending = false;
	if (!s->t.live)
		return 0;
	if (!was_pending && old != addr)
		sync_site(s, old, NULL);
	int rc = sync_site(s, addr, err);
	if (rc < 0)
		s->t.bps.v[i].pending = true;
	return rc;
}

int dbg_session_delete(struct dbg_session *s, int id, struct dbg_err *err)
{
	int i = dbg_bps_index(&s->t.bps, id);
	if (i < 0)
		return dbg_err_set(err, -ENOENT, "no breakpoint number %d", id);
	uint64_t addr = s->t.bps.v[i].addr;
	bool pending = s->t.bps.v[i].pending;
	dbg_bps_remove(&s->t.bps, (size_t)i);
	return s->t.live && !pending ? sync_site(s, addr, err) : 0;
}

void dbg_session_delete_all(struct dbg_session *s)
{
	while (s->t.bps.n)
		dbg_session_delete(s, s->t.bps.v[0].id, NULL);
}

int dbg_session_enable(struct dbg_session *s, int id, bool on,
		       struct dbg_err *err)
{
	int i = dbg_bps_index(&s->t.bps, id);
	if (i < 0)
		return dbg_err_set(err, -ENOENT, "no breakpoint number %d", id);
	s->t.bps.v[i].enabled = on;
	return s->t.live ? sync_site(s, s->t.bps.v[i].addr, err) : 0;
}

size_t dbg_session_breakpoints(const struct dbg_session *s,
			       const struct dbg_bp **out)
{
	*out = s->t.bps.v;
	return s->t.bps.n;
}

/* ---- state -------------------------------------------------------------- */

const struct dbg_regs *dbg_session_regs(struct dbg_session *s)
{
	if (history(s))
		return dbg_tl_regs(s->tl);
	if (!s->t.live)
		return NULL;
	struct dbg_thread *t = cur(s);
	if (dbg_ptrace_regs(&s->t.pt, t, NULL) < 0)
		return NULL;
	return &t->regs;
}

static int no_rewrite(struct dbg_session *s, struct dbg_err *err)
{
	return dbg_err_set(err, -EROFS, "cannot change step %" PRIu64 ": it is history; step forward to the live step first",
			   dbg_tl_view(s->tl));
}

int dbg_session_set_reg(struct dbg_session *s, const char *name, uint64_t v,
			struct dbg_err *err)
{
	if (history(s))
		return no_rewrite(s, err);
	if (!s->t.live)
		return no_process(err);
	if (s->tl)
		dbg_tl_on_gap(s->tl);
	struct dbg_thread *t = cur(s);
	int rc = dbg_ptrace_regs(&s->t.pt, t, err);
	if (rc < 0)
		return rc;
	if (dbg_regs_set(&t->regs, name, v) < 0)
		return dbg_err_set(err, -ENOENT, "no register named '%s'", name);
	t->regs_dirty = true;
	return 0;
}

int dbg_session_read(struct dbg_session *s, uint64_t addr, void *buf, size_t n,
		     struct dbg_err *err)
{
	if (history(s))
		return dbg_tl_read(s->tl, &s->t, addr, buf, n, err);
	if (!s->t.live)
		return dbg_elf_read(s->t.elf, addr, buf, n, err);
	int rc = dbg_proc_read(&s->t.mem, addr, buf, n, err);
	if (rc < 0)
		return rc;
	dbg_bps_hide(&s->t.bps, addr, buf, n);
	return 0;
}

int dbg_session_readv(struct dbg_session *s, const struct dbg_read *v, size_t n,
		      struct dbg_err *err)
{
	for (size_t i = 0; history(s) && i < n; i++) {
		int rc = dbg_tl_read(s->tl, &s->t, v[i].addr, v[i].buf, v[i].n, err);
		if (rc < 0 || i + 1 == n)
			return rc;
	}
	if (!s->t.live) {
		for (size_t i = 0; i < n; i++) {
			int rc = dbg_elf_read(s->t.elf, v[i].addr, v[i].buf, v[i].n, err);
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	int rc = dbg_proc_readv(&s->t.mem, v, n, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; s->t.bps.nsites && i < n; i++)
		dbg_bps_hide(&s->t.bps, v[i].addr, v[i].buf, v[i].n);
	return 0;
}

int dbg_session_read_u64(struct dbg_session *s, uint64_t addr, uint64_t *v,
			 struct dbg_err *err)
{
	return dbg_session_read(s, addr, v, sizeof(*v), err);
}

int dbg_session_write(struct dbg_session *s, uint64_t addr, const void *buf,
		      size_t n, struct dbg_err *err)
{
	if (history(s))
		return no_rewrite(s, err);
	if (!s->t.live)
		return no_process(err);
	if (s->tl)
		dbg_tl_on_gap(s->tl);
	int rc = dbg_proc_write(&s->t.mem, addr, buf, n, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < s->t.bps.nsites; i++) {
		uint64_t a = s->t.bps.sites[i].addr;
		if (a >= addr && a - addr < n) {
			uint8_t cc = 0xcc;
			s->t.bps.sites[i].orig = ((const uint8_t *)buf)[a - addr];
			dbg_proc_write(&s->t.mem, a, &cc, 1, NULL);
		}
	}
	return 0;
}

size_t dbg_session_threads(struct dbg_session *s, struct dbg_thread_info *out,
			   size_t max)
{
	if (history(s))
		return (size_t)dbg_tl_threads(s->tl, &s->t, out, max);
	return dbg_target_threads(&s->t, out, max);
}

void dbg_session_set_sched_lock(struct dbg_session *s, enum dbg_sched_lock l)
{
	s->t.sched_lock = l;
	s->t.pt.sched_lock = l;
}

enum dbg_sched_lock dbg_session_sched_lock(const struct dbg_session *s)
{
	return s->t.sched_lock;
}

int dbg_session_select_thread(struct dbg_session *s, pid_t tid,
			      struct dbg_err *err)
{
	if (history(s))
		return no_rewrite(s, err);
	if (!s->t.live)
		return no_process(err);
	if (dbg_ptrace_select(&s->t.pt, tid) < 0)
		return dbg_err_set(err, -ESRCH, "no thread %d", (int)tid);
	return dbg_ptrace_regs(&s->t.pt, cur(s), err);
}

/* ---- disassembly -------------------------------------------------------- */

/* Read up to n bytes at addr, fewer when the tail is unreadable. */
static int read_some(struct dbg_session *s, uint64_t addr, uint8_t *buf, size_t n,
		     size_t *got, struct dbg_err *err)
{
	if (!s->t.live) {
		/* the file image: up to the end of the segment holding addr */
		for (size_t i = 0; i < dbg_elf_nsegments(s->t.elf); i++) {
			const struct dbg_segment *g = dbg_elf_segment(s->t.elf, i);
			if (g->type == PT_LOAD && addr >= g->vaddr && addr < g->vaddr + g->memsz &&
			    g->vaddr + g->memsz - addr < n)
				n = (size_t)(g->vaddr + g->memsz - addr);
		}
	}
	if (dbg_session_read(s, addr, buf, n, NULL) == 0) {
		*got = n;
		return 0;
	}
	size_t to_page = (size_t)(((addr | 0xfff) + 1) - addr);
	if (to_page < n && dbg_session_read(s, addr, buf, to_page, NULL) == 0) {
		*got = to_page;
		return 0;
	}
	/* byte by byte up to the first failure, for odd boundaries */
	size_t k = 0;
	while (k < n && k < 16 && dbg_session_read(s, addr + k, buf + k, 1, NULL) == 0)
		k++;
	if (k == 0)
		return dbg_session_read(s, addr, buf, 1, err);
	*got = k;
	return 0;
}

int dbg_session_disasm(struct dbg_session *s, uint64_t addr, size_t n,
		       struct dbg_insn *out, struct dbg_err *err)
{
	if (n == 0)
		return 0;
	size_t len = n * 15;
	if (len > 65536)
		len = 65536;
	uint8_t *code = malloc(len);
	if (!code)
		return dbg_err_errno(err, -ENOMEM, "cannot disassemble at 0x%" PRIx64, addr);
	size_t got = 0;
	int rc = read_some(s, addr, code, len, &got, err);
	if (rc == 0) {
		size_t k = dbg_disasm_buf(s->t.dis, code, got, addr, out, n);
		rc = k ? (int)k : dbg_err_set(err, -EILSEQ, "cannot decode instruction at 0x%" PRIx64,
					      addr);
	}
	free(code);
	return rc;
}

int dbg_session_disasm_around(struct dbg_session *s, uint64_t pc,
			      size_t before, size_t after, struct dbg_insn *out,
			      size_t *pc_index, struct dbg_err *err)
{
	const struct dbg_sym *sym = dbg_elf_sym_at(s->t.elf, pc);
	uint64_t start = sym && pc - sym->addr <= 65536 ? sym->addr : pc;
	size_t nb = 0;
	if (before && start < pc) {
		size_t len = (size_t)(pc - start);
		uint8_t *code = malloc(len);
		if (!code)
			return dbg_err_errno(err, -ENOMEM, "cannot disassemble at 0x%" PRIx64, pc);
		if (dbg_session_read(s, start, code, len, NULL) == 0) {
			/* out[0..before) as a ring of the last instructions */
			size_t pos = 0, total = 0;
			struct dbg_insn in;
			while (pos < len && dbg_disasm_one(s->t.dis, code + pos, len - pos, start + pos, &in,
							  NULL) == 0) {
				out[total % before] = in;
				total++;
				pos += in.size;
			}
			if (pos == len) { /* boundaries line up with pc */
				nb = total < before ? total : before;
				if (total > before) {
					/* rotate so the oldest comes first */
					size_t first = total % before;
					struct dbg_insn tmp;
					for (size_t r = 0; r < first; r++) {
						tmp = out[0];
						memmove(&out[0], &out[1], (before - 1) * sizeof(*out));
						out[before - 1] = tmp;
					}
				}
			}
		}
		free(code);
	}
	int k = dbg_session_disasm(s, pc, after + 1, out + nb, err);
	if (k < 0)
		return k;
	*pc_index = nb;
	return (int)nb + k;
}

int dbg_session_insn_boundary(struct dbg_session *s, uint64_t addr,
			      uint64_t *prev, uint64_t *next)
{
	const struct dbg_sym *sym = dbg_elf_sym_at(s->t.elf, addr);
	if (!sym || sym->kind != DBG_SYM_FUNC || addr == sym->addr ||
	    addr - sym->addr > 65536)
		return 0;
	size_t off = (size_t)(addr - sym->addr), len = 0;
	uint8_t *code = malloc(off + 16);
	if (!code)
		return 0;
	int rc = 0;
	if (read_some(s, sym->addr, code, off + 16, &len, NULL) == 0) {
		size_t pos = 0;
		struct dbg_insn in;
		while (pos < off && pos < len && dbg_disasm_one(s->t.dis, code + pos, len - pos, sym->addr + pos,
						   &in, NULL) == 0) {
			if (pos + in.size > off) {
				if (prev)
					*prev = sym->addr + pos;
				if (next)
					*next = sym->addr + pos + in.size;
				rc = -EINVAL;
				break;
			}
			pos += in.size;
		}
	}
	free(code);
	return rc;
}

/* ---- output ------------------------------------------------------------- */

void dbg_session_set_output_fn(struct dbg_session *s, dbg_output_fn *fn,
			       void *arg)
{
	s->output_fn = fn;
	s->output_arg = arg;
	if (s->t.live)
		watch_output(s);
}

ssize_t dbg_session_read_output(struct dbg_session *s, enum dbg_stream stream,
				void *buf, size_t n)
{
	int fd = stream == DBG_STREAM_STDERR ? s->err_fd : s->out_fd;
	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t k = read(fd, buf, n);
		if (k >= 0)
			return k;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return -errno;
	}
}

/* ---- timeline ----------------------------------------------------------- */

void dbg_session_set_timeline(struct dbg_session *s, struct dbg_timeline *tl)
{
	dbg_tl_free(s->tl);
	s->tl = tl;
	if (!tl)
		return;
	if (dbg_tl_from_file(tl)) {
		/* a recording: the addresses it was made at */
		uint64_t bias = dbg_tl_bias(tl), old = dbg_elf_bias(s->t.elf);
		if (bias != old) {
			dbg_elf_set_bias(s->t.elf, bias);
			if (s->t.dwarf)
				dbg_dwarf_set_bias(s->t.dwarf, bias);
			for (size_t i = 0; i < s->t.bps.n; i++)
				s->t.bps.v[i].addr += bias - old;
			build_stages(s, NULL);
		}
		s->t.entry_sp = dbg_tl_entry_sp(tl);
	}
	dbg_tl_on_attach(tl, &s->t);
}

struct dbg_timeline *dbg_session_timeline(const struct dbg_session *s) { return s->tl; }

static int no_record(struct dbg_err *err)
{
	return dbg_err_set(err, -ENODATA, "no recorded history: recording is off (record on)");
}

int dbg_session_goto(struct dbg_session *s, uint64_t step, struct dbg_stop *stop,
		     struct dbg_err *err)
{
	return s->tl ? dbg_tl_goto(s->tl, &s->t, step, stop, err) : no_record(err);
}

int dbg_session_reverse_step(struct dbg_session *s, uint64_t n, bool over,
			     struct dbg_stop *stop, struct dbg_err *err)
{
	return s->tl ? dbg_tl_reverse_step(s->tl, &s->t, n, over, stop, err) : no_record(err);
}

int dbg_session_reverse_cont(struct dbg_session *s, struct dbg_stop *stop,
			     struct dbg_err *err)
{
	return s->tl ? dbg_tl_reverse_cont(s->tl, &s->t, stop, err) : no_record(err);
}

int dbg_session_record_save(struct dbg_session *s, const char *path,
			    struct dbg_err *err)
{
	return s->tl ? dbg_tl_save(s->tl, &s->t, path, err) : no_record(err);
}

const struct dbg_bp *dbg_session_bp_at(const struct dbg_session *s, uint64_t addr)
{
	return dbg_bps_at(&s->t.bps, addr);
}

int dbg_session_maps(struct dbg_session *s, struct dbg_map **maps, size_t *n,
		     struct dbg_err *err)
{
	if (!s->t.live && s->tl && dbg_tl_active(s->tl))
		return dbg_tl_maps(s->tl, maps, n, err);
	return dbg_proc_maps(dbg_session_pid(s), maps, n, err);
}
