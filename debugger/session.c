/*
 * session — ties ELF, DWARF, stages and the process together (see
 * session.h): lifecycle, breakpoint bytes, stops, breakpoints, state,
 * disassembly, output and the timeline's hooks. Running: session_run.c.
 */
#include "session_int.h"

#include "unwind.h"

#include <poll.h>
#include <time.h>

/* ---- lifecycle ---------------------------------------------------------- */

void sess_reset_stages(struct dbg_session *s)
{
	for (size_t i = 0; i < s->t.stages.n; i++) {
		s->t.stage_steps[i] = DBG_NOT_REACHED;
		s->t.stage_rank[i] = 0;
	}
	s->t.nreached = 0;
	s->t.cur_stage = -1;
}

int sess_build_stages(struct dbg_session *s, struct dbg_err *err)
{
	dbg_stages_release(&s->t.stages);
	free(s->t.stage_steps);
	free(s->t.stage_rank);
	s->t.stage_steps = NULL;
	s->t.stage_rank = NULL;
	int rc = dbg_stages_build(&s->t.stages, s->t.elf, s->t.dis, s->t.interp_entry, err);
	if (rc < 0)
		return rc;
	s->t.stage_steps = malloc((s->t.stages.n ? s->t.stages.n : 1) * sizeof(uint64_t));
	s->t.stage_rank = malloc((s->t.stages.n ? s->t.stages.n : 1) * sizeof(uint32_t));
	if (!s->t.stage_steps || !s->t.stage_rank)
		return dbg_err_errno(err, -ENOMEM, "cannot build the stage catalog");
	sess_reset_stages(s);
	sess_forget_pcs(s);
	return 0;
}

/*
 * Make path the program: ELF (required), DWARF (optional: runtime views
 * say they need it), stages, the no-symbols note. The old image is
 * replaced only when the new one loads.
 */
int sess_load_image(struct dbg_session *s, const char *path, struct dbg_err *err)
{
	struct dbg_elf *elf = NULL;
	struct dbg_dwarf *dwarf = NULL;
	char *no_symbols = NULL;
	int rc = dbg_elf_open(&elf, path, err);
	if (rc < 0)
		return rc;
	if (!dbg_elf_has_symtab(elf) &&
	    asprintf(&no_symbols,
		     dbg_elf_pclntab(elf) ?
			     "%s has no symbol table (stripped, e.g. by go build -ldflags=-s): "
			     "function names come from Go's pclntab, data has no names" :
			     "%s has no symbol table (stripped, e.g. by go build -ldflags=-s)",
		     path) < 0) {
		dbg_elf_free(elf);
		return dbg_err_errno(err, -ENOMEM, "cannot open %s", path);
	}
	if (dbg_dwarf_open(&dwarf, path, NULL) < 0)
		dwarf = NULL;
	sess_forget_lines(s);
	dbg_dwarf_free(s->t.dwarf);
	dbg_elf_free(s->t.elf);
	free(s->no_symbols);
	s->t.elf = elf;
	s->t.dwarf = dwarf;
	s->no_symbols = no_symbols;
	s->image_gen++;
	return sess_build_stages(s, err);
}

int dbg_session_open(struct dbg_session **out, const char *path, struct dbg_err *err)
{
	*out = NULL;
	struct dbg_session *s = calloc(1, sizeof(*s));
	if (!s)
		return dbg_err_errno(err, -ENOMEM, "cannot open %s", path);
	s->out_fd = s->err_fd = -1;
	s->t.mem.memfd = -1;
	s->t.pt.pin_cpu = -1;
	s->t.pt.next_sys = -1;
	dbg_bps_init(&s->t.bps);
	s->t.cur_stage = -1;
	s->t.steps_exact = true;
	s->step_sys = s->sys_hit = -1;
	int rc = -ENOMEM;
	s->t.path = strdup(path);
	if (!s->t.path) {
		rc = dbg_err_errno(err, -ENOMEM, "cannot open %s", path);
		goto fail;
	}
	rc = dbg_disasm_open(&s->t.dis, err);
	if (rc < 0)
		goto fail;
	rc = sess_load_image(s, path, err);
	if (rc < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	dbg_session_free(s);
	return rc;
}

void sess_close_output(struct dbg_session *s)
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
	sess_close_output(s);
	dbg_stages_release(&s->t.stages);
	free(s->t.stage_steps);
	free(s->t.stage_rank);
	free(s->plain_pcs);
	dbg_disasm_free(s->t.dis);
	sess_free_src(s);
	dbg_rt_forget_session(s);
	dbg_dwarf_free(s->t.dwarf);
	dbg_elf_free(s->t.elf);
	dbg_elf_free(s->t.vdso);
	dbg_bps_release(&s->t.bps);
	dbg_syslog_release(&s->t.sys);
	free(s->t.path);
	free(s->t.image);
	free(s->no_symbols);
	dbg_tl_free(s->tl);
	dbg_unwind_free(s->sys_unwind);
	free(s);
}

/* Whether the views answer from the timeline (history, or a replay). */
bool sess_history(const struct dbg_session *s)
{
	return s->tl && dbg_tl_active(s->tl);
}

bool dbg_session_running(const struct dbg_session *s)
{
	return s->t.live || sess_history(s);
}
pid_t dbg_session_pid(const struct dbg_session *s)
{
	return s->t.live ? s->t.pt.pid : 0;
}
const struct dbg_stop *dbg_session_last_stop(const struct dbg_session *s)
{
	return sess_history(s) ? dbg_tl_last_stop(s->tl) : &s->t.last;
}

struct dbg_elf *dbg_session_elf(struct dbg_session *s)
{
	return s->t.elf;
}
struct dbg_dwarf *dbg_session_dwarf(struct dbg_session *s)
{
	return s->t.dwarf;
}
struct dbg_disasm *dbg_session_disasm_handle(struct dbg_session *s)
{
	return s->t.dis;
}
const char *dbg_session_path(const struct dbg_session *s)
{
	return s->t.image ? s->t.image : s->t.path;
}
unsigned dbg_session_image_gen(const struct dbg_session *s)
{
	return s->image_gen;
}

void dbg_session_set_image_hook(struct dbg_session *s, dbg_image_fn *fn, void *arg)
{
	s->image_hook = fn;
	s->image_arg = arg;
}
const char *dbg_session_no_symbols(const struct dbg_session *s)
{
	return s->no_symbols;
}
const struct dbg_stages *dbg_session_stages(const struct dbg_session *s)
{
	return &s->t.stages;
}
uint64_t dbg_session_steps(const struct dbg_session *s)
{
	return sess_history(s) ? dbg_tl_view(s->tl) : s->t.steps;
}

int dbg_session_current_stage(const struct dbg_session *s)
{
	return sess_history(s) ? dbg_tl_current_stage(s->tl) : s->t.cur_stage;
}

uint64_t dbg_session_entry_sp(const struct dbg_session *s)
{
	return s->t.entry_sp;
}

bool dbg_session_stage_reached(const struct dbg_session *s, size_t i, uint64_t *steps)
{
	if (sess_history(s))
		return dbg_tl_stage_reached(s->tl, i, steps);
	return dbg_target_stage_reached(&s->t, i, steps);
}

unsigned dbg_session_stage_rank(const struct dbg_session *s, size_t i)
{
	if (i >= s->t.stages.n)
		return 0;
	return sess_history(s) ? dbg_tl_stage_rank(s->tl, i) : s->t.stage_rank[i];
}

bool dbg_session_steps_exact(const struct dbg_session *s)
{
	return s->t.steps_exact;
}

bool dbg_session_stage_steps_exact(const struct dbg_session *s, size_t i)
{
	if (sess_history(s))
		return dbg_tl_stage_exact(s->tl, i);
	return dbg_target_stage_exact(&s->t, i);
}

int dbg_session_symbolize(struct dbg_session *s, uint64_t addr, char *buf, size_t n)
{
	return dbg_target_symbolize(&s->t, addr, buf, n);
}

const struct dbg_sym *dbg_session_sym_at(struct dbg_session *s, uint64_t addr)
{
	return dbg_target_sym_at(&s->t, addr);
}

const struct dbg_elf *dbg_session_vdso(struct dbg_session *s, uint64_t *lo, uint64_t *hi)
{
	if (lo)
		*lo = s->t.vdso_lo;
	if (hi)
		*hi = s->t.vdso_hi;
	return s->t.vdso;
}

int sess_no_process(struct dbg_err *err)
{
	return dbg_err_set(err, -ESRCH, "the program is not being run");
}

/* A process to run, or a recorded run to replay. */
bool sess_can_run(const struct dbg_session *s)
{
	return s->t.live || sess_history(s);
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
	return s->t.live &&
	       (dbg_bps_at(&s->t.bps, addr) || (s->internal_on && s->internal_addr == addr) ||
		stage_pending(s, addr));
}

/* Make memory at addr agree with the breakpoints that want it. */
int sess_sync_site(struct dbg_session *s, uint64_t addr, struct dbg_err *err)
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
			return dbg_err_errno(err, rc, "cannot insert breakpoint at 0x%" PRIx64,
					     addr);
		dbg_bps_site_add(&s->t.bps, addr, orig);
		if (sess_pc_plain(s, addr))
			*sess_pc_slot(s, addr) = 0;
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

int sess_set_internal(struct dbg_session *s, uint64_t addr, struct dbg_err *err)
{
	s->internal_on = true;
	s->internal_addr = addr;
	int rc = sess_sync_site(s, addr, err);
	if (rc < 0)
		s->internal_on = false;
	return rc;
}

void sess_clear_internal(struct dbg_session *s)
{
	if (!s->internal_on)
		return;
	s->internal_on = false;
	sess_sync_site(s, s->internal_addr, NULL);
}

/* Breakpoint bytes at every stage not reached yet (see stage_pending). */
int sess_arm_stages(struct dbg_session *s, struct dbg_err *err)
{
	for (size_t i = 0; i < s->t.stages.n; i++) {
		int rc = sess_sync_site(s, s->t.stages.v[i].addr, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- stops -------------------------------------------------------------- */

/* Registers of the state shown: the current thread's, or the record's. */
const struct dbg_regs *sess_now(struct dbg_session *s)
{
	return sess_history(s) ? dbg_tl_regs(s->tl) : &sess_cur(s)->regs;
}

/* Mark the stage at pc reached; returns its index or -1. */
int sess_note_pc(struct dbg_session *s, uint64_t pc)
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
				sess_sync_site(s, pc, NULL);
		}
		s->t.cur_stage = i;
	}
	return i;
}

/*
 * A signal can stop the program far from any stage address (a crash in a
 * callee of main.main after a plain run). Walk up the calls from pc — the
 * current function's return slot as finish finds it, then the
 * frame-pointer chain — and mark the innermost function that is a stage
 * as reached and current, so the stop names the stage it happened in.
 */
static void note_frames(struct dbg_session *s)
{
	const struct dbg_regs *r = &sess_cur(s)->regs;
	uint64_t pc = r->rip, fp = r->rbp;
	bool last = false;
	for (int depth = 0; depth < 64; depth++) {
		const struct dbg_sym *sym = dbg_elf_sym_at(s->t.elf, pc);
		if (sym && sym->kind == DBG_SYM_FUNC &&
		    dbg_stages_at(&s->t.stages, sym->addr) >= 0) {
			sess_note_pc(s, sym->addr);
			return;
		}
		if (last)
			return;
		uint64_t slot, ret, next_fp;
		if (depth == 0 && sess_return_slot(s, &slot, NULL) == 0 && slot != fp + 8) {
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

void sess_fill_stop(struct dbg_session *s, struct dbg_stop *stop, enum dbg_stop_reason r)
{
	memset(stop, 0, sizeof(*stop));
	stop->reason = r;
	stop->stage = -1;
	stop->sys_index = r == DBG_STOP_STEP ? s->step_sys : -1;
	if (sess_history(s)) {
		stop->tid = dbg_tl_tid(s->tl);
		stop->pc = dbg_tl_regs(s->tl)->rip;
		stop->stage = dbg_stages_at(&s->t.stages, stop->pc);
		uint64_t view = dbg_tl_view(s->tl);
		if (r == DBG_STOP_STEP && view)
			stop->sys_index = dbg_syslog_at_step(&s->t.sys, view - 1);
	} else if (s->t.live) {
		struct dbg_thread *t = sess_cur(s);
		stop->tid = t->tid;
		stop->pc = t->regs.rip;
		stop->stage = sess_note_pc(s, stop->pc);
	}
}

/* A process event that ends the run: fills stop. */
void sess_event_stop(struct dbg_session *s, const struct dbg_pt_stop *ps, struct dbg_stop *stop)
{
	switch (ps->event) {
	case DBG_PT_EXITED:
	case DBG_PT_SIGNALED:
		drop_process(s);
		sess_fill_stop(s, stop,
			       ps->event == DBG_PT_EXITED ? DBG_STOP_EXITED : DBG_STOP_SIGNALED);
		stop->code = ps->event == DBG_PT_EXITED ? ps->code : 0;
		stop->signo = ps->event == DBG_PT_SIGNALED ? ps->signo : 0;
		break;
	case DBG_PT_STOPPED:
		sess_fill_stop(s, stop, DBG_STOP_INTERRUPTED);
		break;
	case DBG_PT_SYSCALL:
		sess_sys_stop(s, s->sys_hit, s->sys_hit_catch, ps->sys_exit, stop);
		break;
	case DBG_PT_SIGNAL:
		sess_fill_stop(s, stop, DBG_STOP_SIGNAL);
		stop->signo = ps->signo;
		stop->code = ps->code;
		stop->fault_addr = ps->addr;
		stop->has_fault_addr = ps->has_addr;
		stop->sender_pid = ps->sender;
		note_frames(s);
		break;
	default:
		sess_fill_stop(s, stop, DBG_STOP_STEP);
		break;
	}
}

int sess_user_bp_index(const struct dbg_session *s, uint64_t addr)
{
	const struct dbg_bp *b = dbg_bps_at(&s->t.bps, addr);
	return b ? (int)(b - s->t.bps.v) : -1;
}

bool dbg_session_hit_here(struct dbg_session *s, struct dbg_stop *stop)
{
	if (!s->t.live || sess_history(s))
		return false;
	int i = sess_user_bp_index(s, sess_cur(s)->regs.rip);
	if (i < 0)
		return false;
	sess_bp_stop(s, i, stop);
	s->t.last = *stop;
	return true;
}

/* The current thread sits on enabled user breakpoint i: count the hit,
 * delete it if temporary, and describe the stop. */
void sess_bp_stop(struct dbg_session *s, int i, struct dbg_stop *stop)
{
	s->t.bps.v[i].hits++;
	int id = s->t.bps.v[i].id;
	bool temp = s->t.bps.v[i].temporary;
	sess_fill_stop(s, stop, DBG_STOP_BREAKPOINT);
	stop->bp_id = id;
	if (temp)
		dbg_session_delete(s, id, NULL);
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

int dbg_session_break(struct dbg_session *s, uint64_t addr, bool temporary, struct dbg_err *err)
{
	if (!in_code(s, addr))
		return dbg_err_set(err, -EFAULT,
				   "cannot set a breakpoint at 0x%" PRIx64
				   ": not in executable code",
				   addr);
	const struct dbg_bp *old = dbg_bps_placed(&s->t.bps, addr);
	if (old)
		return dbg_err_set(err, -EEXIST, "breakpoint %d is already at 0x%" PRIx64, old->id,
				   addr);
	int id = dbg_bps_add(&s->t.bps, addr, temporary, false)->id;
	if (s->t.live) {
		int rc = sess_sync_site(s, addr, err);
		if (rc < 0) {
			dbg_bps_remove(&s->t.bps, s->t.bps.n - 1);
			return rc;
		}
	}
	return id;
}

int dbg_session_break_pending(struct dbg_session *s, bool temporary, struct dbg_err *err)
{
	(void)err; /* nothing fails: running out of memory aborts (err.h) */
	return dbg_bps_add(&s->t.bps, 0, temporary, true)->id;
}

int dbg_session_bp_set_spec(struct dbg_session *s, int id, const char *spec, struct dbg_err *err)
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

int dbg_session_rebind(struct dbg_session *s, int id, uint64_t addr, struct dbg_err *err)
{
	int i = dbg_bps_index(&s->t.bps, id);
	if (i < 0)
		return dbg_err_set(err, -ENOENT, "no breakpoint number %d", id);
	if (!in_code(s, addr))
		return dbg_err_set(err, -EFAULT,
				   "cannot set a breakpoint at 0x%" PRIx64
				   ": not in executable code",
				   addr);
	uint64_t old = s->t.bps.v[i].addr;
	bool was_pending = s->t.bps.v[i].pending;
	s->t.bps.v[i].addr = addr;
	s->t.bps.v[i].pending = false;
	if (!s->t.live)
		return 0;
	if (!was_pending && old != addr)
		sess_sync_site(s, old, NULL);
	int rc = sess_sync_site(s, addr, err);
	if (rc < 0)
		s->t.bps.v[i].pending = true;
	return rc;
}

int dbg_session_delete(struct dbg_session *s, int id, struct dbg_err *err)
{
	int wi = dbg_bps_watch_index(&s->t.bps, id);
	if (wi >= 0)
		return sess_watch_delete(s, (size_t)wi, err);
	int ci = dbg_bps_catch_index(&s->t.bps, id);
	if (ci >= 0) {
		dbg_bps_catch_remove(&s->t.bps, (size_t)ci);
		return 0;
	}
	int i = dbg_bps_index(&s->t.bps, id);
	if (i < 0)
		return dbg_err_set(err, -ENOENT, "no breakpoint number %d", id);
	uint64_t addr = s->t.bps.v[i].addr;
	bool pending = s->t.bps.v[i].pending;
	dbg_bps_remove(&s->t.bps, (size_t)i);
	return s->t.live && !pending ? sess_sync_site(s, addr, err) : 0;
}

void dbg_session_delete_all(struct dbg_session *s)
{
	while (s->t.bps.n)
		dbg_session_delete(s, s->t.bps.v[0].id, NULL);
	while (s->t.bps.nw)
		sess_watch_delete(s, 0, NULL);
	while (s->t.bps.nc)
		dbg_bps_catch_remove(&s->t.bps, 0);
}

int dbg_session_enable(struct dbg_session *s, int id, bool on, struct dbg_err *err)
{
	int ci = dbg_bps_catch_index(&s->t.bps, id);
	if (ci >= 0) {
		s->t.bps.c[ci].enabled = on;
		return 0;
	}
	int i = dbg_bps_index(&s->t.bps, id);
	if (i < 0)
		return dbg_err_set(err, -ENOENT, "no breakpoint number %d", id);
	s->t.bps.v[i].enabled = on;
	return s->t.live ? sess_sync_site(s, s->t.bps.v[i].addr, err) : 0;
}

size_t dbg_session_breakpoints(const struct dbg_session *s, const struct dbg_bp **out)
{
	*out = s->t.bps.v;
	return s->t.bps.n;
}

/* ---- state -------------------------------------------------------------- */

const struct dbg_regs *dbg_session_regs(struct dbg_session *s)
{
	if (sess_history(s))
		return dbg_tl_regs(s->tl);
	if (!s->t.live)
		return NULL;
	struct dbg_thread *t = sess_cur(s);
	if (dbg_ptrace_regs(&s->t.pt, t, NULL) < 0)
		return NULL;
	return &t->regs;
}

static int no_rewrite(struct dbg_session *s, struct dbg_err *err)
{
	return dbg_err_set(err, -EROFS,
			   "cannot change step %" PRIu64
			   ": it is history; step forward to the live step first",
			   dbg_tl_view(s->tl));
}

int dbg_session_set_reg(struct dbg_session *s, const char *name, uint64_t v, struct dbg_err *err)
{
	if (sess_history(s))
		return no_rewrite(s, err);
	if (!s->t.live)
		return sess_no_process(err);
	if (s->tl)
		dbg_tl_on_gap(s->tl);
	struct dbg_thread *t = sess_cur(s);
	int rc = dbg_ptrace_regs(&s->t.pt, t, err);
	if (rc < 0)
		return rc;
	if (dbg_regs_set(&t->regs, name, v) < 0)
		return dbg_err_set(err, -ENOENT, "no register named '%s'", name);
	t->regs_dirty = true;
	return 0;
}

int dbg_session_read(struct dbg_session *s, uint64_t addr, void *buf, size_t n, struct dbg_err *err)
{
	if (sess_history(s))
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
	for (size_t i = 0; sess_history(s) && i < n; i++) {
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

int dbg_session_read_u64(struct dbg_session *s, uint64_t addr, uint64_t *v, struct dbg_err *err)
{
	return dbg_session_read(s, addr, v, sizeof(*v), err);
}

int dbg_session_write(struct dbg_session *s, uint64_t addr, const void *buf, size_t n,
		      struct dbg_err *err)
{
	if (sess_history(s))
		return no_rewrite(s, err);
	if (!s->t.live)
		return sess_no_process(err);
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

/* ---- memory kept from one stop to the next ------------------------------ */

static void kept_drop(void *arg, uint64_t addr, size_t len)
{
	struct sess_kept *k = arg;
	for (size_t i = 0; i < k->nwords;) {
		if (k->words[i].addr < addr + len && addr < k->words[i].addr + 8) {
			k->words[i] = k->words[--k->nwords];
			k->gen++;
		} else {
			i++;
		}
	}
	for (size_t i = 0; i < KEPT_CODE; i++) {
		if (k->code[i].len && k->code[i].addr < addr + len &&
		    addr < k->code[i].addr + k->code[i].len) {
			k->code[i].len = 0;
			k->gen++;
		}
	}
}

/* Whether kept memory may serve (the live process, not the record's
 * history), with what can no longer be trusted dropped first. */
static bool kept_sync(struct dbg_session *s)
{
	struct sess_kept *k = &s->kept;
	const struct dbg_ptrace *pt = &s->t.pt;
	if (!s->t.live || sess_history(s) || pt->gone || !pt->nthreads)
		return false;
	if (k->pid == pt->pid && k->writes == s->t.mem.writes && k->loud == pt->loud) {
		if (k->resumes == pt->resumes)
			return true;
		/* one quiet step since: what the record says it wrote goes */
		if (pt->resumes == k->resumes + 1 && s->tl && s->t.steps == k->steps + 1 &&
		    dbg_tl_step_writes(s->tl, s->t.steps, k->epoch, kept_drop, k)) {
			k->resumes = pt->resumes;
			k->steps = s->t.steps;
			return true;
		}
	}
	if (k->nwords)
		k->gen++;
	k->nwords = 0;
	for (size_t i = 0; i < KEPT_CODE; i++) {
		if (k->code[i].len)
			k->gen++;
		k->code[i].len = 0;
	}
	k->pid = pt->pid;
	k->resumes = pt->resumes;
	k->loud = pt->loud;
	k->writes = s->t.mem.writes;
	k->steps = s->t.steps;
	k->epoch = s->tl ? dbg_tl_epoch(s->tl) : 0;
	return true;
}

int dbg_session_read_kept(struct dbg_session *s, uint64_t addr, uint64_t *v, struct dbg_err *err)
{
	if (!kept_sync(s))
		return dbg_session_read_u64(s, addr, v, err);
	struct sess_kept *k = &s->kept;
	for (size_t i = 0; i < k->nwords; i++) {
		if (k->words[i].addr == addr) {
			*v = k->words[i].val;
			return 0;
		}
	}
	int rc = dbg_session_read_u64(s, addr, v, err);
	if (rc < 0)
		return rc;
	if (k->nwords == KEPT_WORDS) {
		k->nwords = 0;
		k->gen++;
	}
	k->words[k->nwords].addr = addr;
	k->words[k->nwords++].val = *v;
	return 0;
}

bool dbg_session_kept_gen(struct dbg_session *s, unsigned *gen)
{
	if (!kept_sync(s))
		return false;
	*gen = s->kept.gen;
	return true;
}

bool sess_kept_code(struct dbg_session *s, uint64_t addr, void *buf, size_t n, bool fill)
{
	struct sess_kept *k = &s->kept;
	if (!fill) {
		/* nothing kept: nothing to check either */
		bool any = false;
		for (size_t i = 0; i < KEPT_CODE; i++)
			any |= k->code[i].len != 0;
		if (!any)
			return false;
	}
	if (n > 16 || !kept_sync(s))
		return false;
	for (size_t i = 0; i < KEPT_CODE; i++) {
		if (k->code[i].len >= n && addr >= k->code[i].addr &&
		    addr - k->code[i].addr <= k->code[i].len - n) {
			memcpy(buf, k->code[i].b + (addr - k->code[i].addr), n);
			return true;
		}
	}
	if (!fill)
		return false;
	/* a block from addr, within its page (the next may not be mapped) */
	size_t to_page = (size_t)(((addr | 0xfff) + 1) - addr);
	size_t len = to_page < KEPT_CODE_LEN ? to_page : KEPT_CODE_LEN;
	if (len < n)
		return false;
	size_t i = k->next_code;
	if (dbg_session_read(s, addr, k->code[i].b, len, NULL) < 0)
		return false;
	if (k->code[i].len)
		k->gen++;
	k->code[i].addr = addr;
	k->code[i].len = len;
	k->next_code = (i + 1) % KEPT_CODE;
	memcpy(buf, k->code[i].b, n);
	return true;
}

bool dbg_session_g_slot(struct dbg_session *s, uint64_t fs_base, uint64_t *slot)
{
	return dbg_target_g_slot(&s->t, fs_base, slot);
}

int64_t dbg_session_tls_g(struct dbg_session *s)
{
	return dbg_target_tls_g(&s->t);
}

size_t dbg_session_threads(struct dbg_session *s, struct dbg_thread_info *out, size_t max)
{
	if (sess_history(s))
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

int dbg_session_select_thread(struct dbg_session *s, pid_t tid, struct dbg_err *err)
{
	if (sess_history(s))
		return no_rewrite(s, err);
	if (!s->t.live)
		return sess_no_process(err);
	if (dbg_ptrace_select(&s->t.pt, tid) < 0)
		return dbg_err_set(err, -ESRCH, "no thread %d", (int)tid);
	return dbg_ptrace_regs(&s->t.pt, sess_cur(s), err);
}

/* ---- disassembly -------------------------------------------------------- */

/* Read up to n bytes at addr, fewer when the tail is unreadable. */
static int read_some(struct dbg_session *s, uint64_t addr, uint8_t *buf, size_t n, size_t *got,
		     struct dbg_err *err)
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
	/* one instruction (a stop's): from the code kept since the last
	 * stop, or a block of it read now */
	if (n <= 16 && s->t.live && sess_kept_code(s, addr, buf, n, true)) {
		*got = n;
		return 0;
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

int dbg_session_disasm(struct dbg_session *s, uint64_t addr, size_t n, struct dbg_insn *out,
		       struct dbg_err *err)
{
	if (n == 0)
		return 0;
	size_t len = n * 15;
	if (len > 65536)
		len = 65536;
	uint8_t small[64];
	uint8_t *code = len <= sizeof(small) ? small : malloc(len);
	if (!code)
		return dbg_err_errno(err, -ENOMEM, "cannot disassemble at 0x%" PRIx64, addr);
	size_t got = 0;
	int rc = read_some(s, addr, code, len, &got, err);
	if (rc == 0) {
		size_t k = dbg_disasm_buf(s->t.dis, code, got, addr, out, n);
		rc = k ? (int)k :
			 dbg_err_set(err, -EILSEQ, "cannot decode instruction at 0x%" PRIx64, addr);
	}
	if (code != small)
		free(code);
	return rc;
}

int dbg_session_disasm_around(struct dbg_session *s, uint64_t pc, size_t before, size_t after,
			      struct dbg_insn *out, size_t *pc_index, struct dbg_err *err)
{
	const struct dbg_sym *sym = dbg_target_sym_at(&s->t, pc);
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
			while (pos < len && dbg_disasm_one(s->t.dis, code + pos, len - pos,
							   start + pos, &in, NULL) == 0) {
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
						memmove(&out[0], &out[1],
							(before - 1) * sizeof(*out));
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

int dbg_session_insn_boundary(struct dbg_session *s, uint64_t addr, uint64_t *prev, uint64_t *next)
{
	const struct dbg_sym *sym = dbg_target_sym_at(&s->t, addr);
	if (!sym || sym->kind != DBG_SYM_FUNC || addr == sym->addr || addr - sym->addr > 65536)
		return 0;
	size_t off = (size_t)(addr - sym->addr), len = 0;
	uint8_t *code = malloc(off + 16);
	if (!code)
		return 0;
	int rc = 0;
	if (read_some(s, sym->addr, code, off + 16, &len, NULL) == 0) {
		size_t pos = 0;
		struct dbg_insn in;
		while (pos < off && pos < len &&
		       dbg_disasm_one(s->t.dis, code + pos, len - pos, sym->addr + pos, &in,
				      NULL) == 0) {
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

void dbg_session_set_output_fn(struct dbg_session *s, dbg_output_fn *fn, void *arg)
{
	s->output_fn = fn;
	s->output_arg = arg;
	if (s->t.live)
		sess_watch_output(s);
}

/* How long a poll that found nothing holds while the program only took
 * single steps that could not write: what its untraced children (or the
 * kernel on its behalf) write meanwhile shows at most this much later. */
#define OUTPUT_QUIET_MS 10

static int64_t coarse_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool dbg_session_output_pending(struct dbg_session *s)
{
	struct pollfd p[2] = { { .fd = s->out_fd, .events = POLLIN },
			       { .fd = s->err_fd, .events = POLLIN } };
	int rc;

	if (s->out_fd < 0 && s->err_fd < 0)
		return false;
	/* nothing since the last poll found nothing: the program took only
	 * steps of an instruction that is no system call, its other threads
	 * stopped (no thread runs on after a step given up) */
	bool quiet = s->t.live && !s->t.pt.gone && !s->t.pt.may_output;
	for (size_t i = 0; quiet && i < s->t.pt.nthreads; i++)
		quiet = !s->t.pt.threads[i].running;
	int64_t now = coarse_ms();
	if (quiet && now - s->polled_ms < OUTPUT_QUIET_MS)
		return false;
	/* poll ignores negative descriptors */
	do
		rc = poll(p, 2, 0);
	while (rc < 0 && errno == EINTR);
	if (rc == 0 && s->t.live) {
		s->t.pt.may_output = false;
		s->polled_ms = now;
	}
	return rc != 0;
}

ssize_t dbg_session_read_output(struct dbg_session *s, enum dbg_stream stream, void *buf, size_t n)
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
			sess_build_stages(s, NULL);
		}
		/* a dynamic program's record from its start begins in its
		 * loader: the loader stage is at that step's pc */
		uint64_t step, pc = dbg_tl_first_pc(tl, &step);
		if (dbg_elf_interp(s->t.elf) && step == 0 && pc && pc != s->t.interp_entry) {
			s->t.interp_entry = pc;
			sess_build_stages(s, NULL);
		}
		s->t.entry_sp = dbg_tl_entry_sp(tl);
	}
	dbg_tl_on_attach(tl, &s->t);
}

struct dbg_timeline *dbg_session_timeline(const struct dbg_session *s)
{
	return s->tl;
}

static int no_record(struct dbg_err *err)
{
	return dbg_err_set(err, -ENODATA, "no recorded history: recording is off (record on)");
}

int dbg_session_goto(struct dbg_session *s, uint64_t step, struct dbg_stop *stop,
		     struct dbg_err *err)
{
	return s->tl ? dbg_tl_goto(s->tl, &s->t, step, stop, err) : no_record(err);
}

int dbg_session_reverse_step(struct dbg_session *s, uint64_t n, bool over, struct dbg_stop *stop,
			     struct dbg_err *err)
{
	return s->tl ? dbg_tl_reverse_step(s->tl, &s->t, n, over, stop, err) : no_record(err);
}

int dbg_session_reverse_cont(struct dbg_session *s, struct dbg_stop *stop, struct dbg_err *err)
{
	return s->tl ? dbg_tl_reverse_cont(s->tl, &s->t, stop, err) : no_record(err);
}

int dbg_session_record_save(struct dbg_session *s, const char *path, struct dbg_err *err)
{
	return s->tl ? dbg_tl_save(s->tl, &s->t, path, err) : no_record(err);
}

int dbg_session_writes(struct dbg_session *s, uint64_t addr, size_t len, struct dbg_tl_wlist *out,
		       struct dbg_err *err)
{
	return s->tl ? dbg_tl_writes(s->tl, &s->t, addr, len, out, err) : no_record(err);
}

const struct dbg_bp *dbg_session_bp_at(const struct dbg_session *s, uint64_t addr)
{
	return dbg_bps_at(&s->t.bps, addr);
}

const struct dbg_bp *dbg_session_bp_placed(const struct dbg_session *s, uint64_t addr)
{
	return dbg_bps_placed(&s->t.bps, addr);
}

int dbg_session_maps(struct dbg_session *s, struct dbg_map **maps, size_t *n, struct dbg_err *err)
{
	if (!s->t.live && s->tl && dbg_tl_active(s->tl))
		return dbg_tl_maps(s->tl, maps, n, err);
	return dbg_proc_maps(dbg_session_pid(s), maps, n, err);
}
