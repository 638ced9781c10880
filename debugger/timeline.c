/*
 * timeline — lifecycle, the queries the session asks while the view is in
 * history, and navigation (reverse stepping, goto, replay); see timeline.h.
 * The parts: timeline_int.h.
 */
#include "timeline_int.h"

/* ---- lifecycle ---------------------------------------------------------- */

int dbg_tl_new(struct dbg_timeline **out, struct dbg_err *err)
{
	struct dbg_timeline *tl = calloc(1, sizeof(*tl));
	if (!tl)
		return dbg_err_errno(err, -ENOMEM, "cannot create the timeline");
	tl->enabled = true;
	tl->limit = DBG_TL_DEFAULT_LIMIT;
	tl->elf_fd = -1;
	tl->stage_at_first = -1;
	*out = tl;
	return 0;
}

/* Forget the record and the base state. */
void tl_clear(struct dbg_timeline *tl)
{
	tl_pages_clear(tl);
	tl_index_clear(tl);
	tl->rhead = tl->rtail = 0;
	tl->rbase = 0;
	tl->nzero = 0;
	free(tl->maps);
	tl->maps = NULL;
	tl->nmaps = 0;
	tl->nhits = 0;
	tl->njumps = 0;
	tl->run_pending = false;
	tl->nthr = tl->ntsnap = 0;
	tl->dropped = tl->nwrites = 0;
	tl->started = false;
	tl->offline_view = false;
	tl->pending = false;
	tl->first = tl->last = tl->view = 0;
	tl->view_pos = 0;
	tl->plain_last = 0;
	tl->restarts++;
}

void dbg_tl_free(struct dbg_timeline *tl)
{
	if (!tl)
		return;
	tl_clear(tl);
	tl_index_free(tl);
	free(tl->pages);
	free(tl->phash);
	free(tl->rec);
	free(tl->zero);
	free(tl->hits);
	free(tl->thr);
	free(tl->tsnap);
	free(tl->stage_first);
	free(tl->stage_shown);
	free(tl->stage_exact);
	free(tl->stage_seq);
	free(tl->fstages);
	free(tl->fhits);
	dbg_syslog_release(&tl->fsys);
	free(tl->run_stages);
	free(tl->jumps);
	free(tl->jbuf);
	free(tl->pm);
	free(tl->jaddrs);
	dbg_wtrack_close(&tl->wt);
	free(tl->wt_tracked.v);
	free(tl->wt_written.v);
	free(tl->wt_present.v);
	free(tl->wt_sel.v);
	free(tl->wt_arm);
	free(tl->views);
	free(tl->dcache);
	free(tl->ranges);
	free(tl->newpages);
	free(tl->old);
	free(tl->new);
	free(tl->scan_old);
	free(tl->scan_new);
	free(tl->iov);
	free(tl->iov_ok);
	free(tl->body);
	free(tl->obs_mem);
	free(tl->changes);
	free(tl->prog_path);
	free(tl->file_path);
	free(tl->elf);
	if (tl->elf_fd >= 0)
		close(tl->elf_fd);
	free(tl);
}

void dbg_tl_set_limit(struct dbg_timeline *tl, size_t bytes)
{
	tl->limit = bytes < MIN_LIMIT ? MIN_LIMIT : bytes;
}

bool dbg_tl_records(const struct dbg_timeline *tl)
{
	return tl->enabled && !tl->from_file;
}

void dbg_tl_set_enabled(struct dbg_timeline *tl, bool on)
{
	if (tl->from_file)
		return;
	if (!on) {
		tl_clear(tl);
		tl->full = false;
	} else if (!tl->enabled) {
		tl->gap = true;
	}
	tl->enabled = on;
}

void dbg_tl_set_full(struct dbg_timeline *tl, bool on)
{
	if (on)
		dbg_tl_set_enabled(tl, true);
	tl->full = on;
}

/* ---- queries ------------------------------------------------------------ */

bool dbg_tl_active(const struct dbg_timeline *tl)
{
	if (!tl->started || tl->gap)
		return false;
	return tl->has_process ? tl->view < tl->last : tl->offline_view;
}

bool dbg_tl_single_steps(const struct dbg_timeline *tl)
{
	return (tl->enabled && tl->full) || dbg_tl_active(tl);
}

uint64_t dbg_tl_view(const struct dbg_timeline *tl)
{
	return tl->view;
}
const struct dbg_regs *dbg_tl_regs(const struct dbg_timeline *tl)
{
	return &tl->view_regs;
}
pid_t dbg_tl_tid(const struct dbg_timeline *tl)
{
	return tl->view_tid;
}
const struct dbg_stop *dbg_tl_last_stop(const struct dbg_timeline *tl)
{
	return &tl->view_stop;
}
uint64_t dbg_tl_bias(const struct dbg_timeline *tl)
{
	return tl->bias;
}
uint64_t dbg_tl_first_pc(const struct dbg_timeline *tl, uint64_t *step)
{
	*step = tl->first;
	return tl->started ? tl->base_regs.rip : 0;
}

uint64_t dbg_tl_entry_sp(const struct dbg_timeline *tl)
{
	return tl->entry_sp;
}
bool dbg_tl_from_file(const struct dbg_timeline *tl)
{
	return tl->from_file;
}

void dbg_tl_info(const struct dbg_timeline *tl, struct dbg_tl_info *o)
{
	memset(o, 0, sizeof(*o));
	o->enabled = tl->enabled;
	o->full = tl->full;
	o->replay = tl->started && !tl->has_process && tl->offline_view;
	o->history = dbg_tl_active(tl);
	if (tl->started && !tl->gap) {
		o->first = tl->first;
		o->last = tl->last;
		o->view = tl->offline_view || tl->has_process ? tl->view : tl->last;
	}
	o->record_bytes = tl->rtail - tl->rhead;
	o->pages = tl->npages;
	o->page_bytes = tl->page_bytes;
	o->limit = tl->limit;
	o->dropped = tl->dropped;
	o->writes = tl->nwrites;
	for (size_t i = 0; i < tl->njumps; i++)
		o->jumps += tl->jumps[i] > tl->first && tl->jumps[i] <= tl->last;
	o->soft_dirty = tl->last_dirty;
	o->write_tracking = tl->last_tracked;
	o->write_tracking_missed = tl->wt_missed;
	o->old_bytes_missed = tl->old_missed;
}

/* The last stage reached at or before step. */
int tl_stage_at(const struct dbg_timeline *tl, uint64_t step)
{
	size_t lo = 0, hi = tl->nhits;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tl->hits[mid].step <= step)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? tl->hits[lo - 1].stage : tl->stage_at_first;
}

int dbg_tl_current_stage(const struct dbg_timeline *tl)
{
	return tl_stage_at(tl, tl->view);
}

bool dbg_tl_stage_first(const struct dbg_timeline *tl, size_t i, uint64_t *steps)
{
	if (i >= tl->nstages || tl->stage_first[i] == NOT_REACHED)
		return false;
	if (steps)
		*steps = tl->stage_first[i];
	return true;
}

bool dbg_tl_stage_reached(const struct dbg_timeline *tl, size_t i, uint64_t *steps)
{
	if (i >= tl->nstages || tl->stage_first[i] == NOT_REACHED || tl->stage_first[i] > tl->view)
		return false;
	if (steps)
		*steps = tl->stage_shown[i];
	return true;
}

bool dbg_tl_stage_exact(const struct dbg_timeline *tl, size_t i)
{
	return dbg_tl_stage_reached(tl, i, NULL) && tl->stage_exact[i];
}

unsigned dbg_tl_stage_rank(const struct dbg_timeline *tl, size_t i)
{
	if (!dbg_tl_stage_reached(tl, i, NULL))
		return 0;
	unsigned rank = 1;
	for (size_t j = 0; j < tl->nstages; j++)
		if (j != i && dbg_tl_stage_reached(tl, j, NULL) &&
		    tl->stage_seq[j] < tl->stage_seq[i])
			rank++;
	return rank;
}

/* Stage `stage` reached at step (shown as `shown`: the step before a free
 * run for the stages it passed). */
void tl_hit_add(struct dbg_timeline *tl, uint64_t step, int stage, uint64_t shown, bool exact)
{
	if (tl->nhits == tl->hits_cap) {
		tl->hits_cap = tl->hits_cap ? tl->hits_cap * 2 : 64;
		tl->hits = dbg_xrealloc(tl->hits, tl->hits_cap * sizeof(*tl->hits));
	}
	tl->hits[tl->nhits++] = (struct hit){ step, stage };
	if ((size_t)stage < tl->nstages && tl->stage_first[stage] == NOT_REACHED) {
		tl->stage_first[stage] = step;
		tl->stage_shown[stage] = shown;
		tl->stage_exact[stage] = exact;
		tl->stage_seq[stage] = ++tl->seq;
	}
}

void tl_thr_add(struct dbg_timeline *tl, const struct thr *t)
{
	if (tl->nthr == tl->thr_cap) {
		tl->thr_cap = tl->thr_cap ? tl->thr_cap * 2 : 16;
		tl->thr = dbg_xrealloc(tl->thr, tl->thr_cap * sizeof(*tl->thr));
	}
	tl->thr[tl->nthr++] = *t;
}

void tl_tsnap_add(struct dbg_timeline *tl, uint64_t step, size_t off, size_t n)
{
	if (tl->ntsnap == tl->tsnap_cap) {
		tl->tsnap_cap = tl->tsnap_cap ? tl->tsnap_cap * 2 : 16;
		tl->tsnap = dbg_xrealloc(tl->tsnap, tl->tsnap_cap * sizeof(*tl->tsnap));
	}
	tl->tsnap[tl->ntsnap++] = (struct thr_snap){ step, off, n };
}

/* Field by field: struct thr has padding after tid, which memcmp would
 * read uninitialised. */
static bool thr_eq(const struct thr *a, const struct thr *b)
{
	return a->tid == b->tid && a->rip == b->rip && a->fs_base == b->fs_base &&
	       a->syscall == b->syscall;
}

/* Keep the live threads as of step, unless they are as last kept. */
void tl_threads_note(struct dbg_timeline *tl, struct dbg_target *t, uint64_t step)
{
	size_t n = dbg_target_threads(t, NULL, 0);
	struct dbg_thread_info *v = dbg_xrealloc(NULL, (n ? n : 1) * sizeof(*v));
	n = dbg_target_threads(t, v, n);
	size_t off = tl->nthr;
	for (size_t i = 0; i < n; i++)
		tl_thr_add(tl, &(struct thr){ v[i].tid, v[i].rip, v[i].fs_base, v[i].syscall });
	free(v);
	if (tl->ntsnap) {
		const struct thr_snap *p = &tl->tsnap[tl->ntsnap - 1];
		bool same = p->n == n;
		for (size_t i = 0; same && i < n; i++)
			same = thr_eq(&tl->thr[p->off + i], &tl->thr[off + i]);
		if (same) {
			tl->nthr = off;
			return;
		}
	}
	tl_tsnap_add(tl, step, off, n);
}

int dbg_tl_threads(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_thread_info *out,
		   size_t max)
{
	size_t lo = 0, hi = tl->ntsnap;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tl->tsnap[mid].step <= tl->view)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the stepped thread is where the view is; the others where they
	 * were last seen */
	struct thr self = { tl->view_tid, tl->view_regs.rip, tl->view_regs.fs_base, -1 };
	const struct thr *v = lo ? &tl->thr[tl->tsnap[lo - 1].off] : &self;
	size_t n = lo ? tl->tsnap[lo - 1].n : 1, k = 0;
	bool seen = false;
	for (size_t i = 0; i < n; i++) {
		struct thr th = v[i];
		if (th.tid == tl->view_tid) {
			th = self;
			seen = true;
		}
		if (k < max) {
			out[k] = (struct dbg_thread_info){
				.tid = th.tid,
				.rip = th.rip,
				.fs_base = th.fs_base,
				.current = th.tid == tl->view_tid,
				.syscall = th.syscall,
			};
			uint64_t slot;
			if (!dbg_target_g_slot(t, th.fs_base, &slot) ||
			    dbg_tl_read(tl, t, slot, &out[k].g, sizeof(out[k].g), NULL) < 0)
				out[k].g = 0;
		}
		k++;
	}
	if (!seen) {
		if (k < max) {
			out[k] = (struct dbg_thread_info){
				.tid = self.tid,
				.rip = self.rip,
				.fs_base = self.fs_base,
				.current = true,
				.syscall = -1,
			};
			uint64_t slot;
			if (!dbg_target_g_slot(t, self.fs_base, &slot) ||
			    dbg_tl_read(tl, t, slot, &out[k].g, sizeof(out[k].g), NULL) < 0)
				out[k].g = 0;
		}
		k++;
	}
	return (int)k;
}

void tl_stages_init(struct dbg_timeline *tl, struct dbg_target *t, bool from_session)
{
	const struct dbg_stages *st = &t->stages;
	size_t n = st->n ? st->n : 1;
	tl->nstages = st->n;
	tl->stage_first = dbg_xrealloc(tl->stage_first, n * sizeof(*tl->stage_first));
	tl->stage_shown = dbg_xrealloc(tl->stage_shown, n * sizeof(*tl->stage_shown));
	tl->stage_exact = dbg_xrealloc(tl->stage_exact, n * sizeof(*tl->stage_exact));
	tl->stage_seq = dbg_xrealloc(tl->stage_seq, n * sizeof(*tl->stage_seq));
	tl->seq = 0;
	for (size_t i = 0; i < st->n; i++) {
		uint64_t at = 0;
		bool got = from_session && dbg_target_stage_reached(t, i, &at);
		/* reached before the record starts: at its first step */
		tl->stage_first[i] = !got ? NOT_REACHED : at < tl->first ? at : tl->first;
		tl->stage_shown[i] = at;
		tl->stage_exact[i] = got && dbg_target_stage_exact(t, i);
		tl->stage_seq[i] = got ? dbg_target_stage_rank(t, i) : 0;
		if (tl->stage_seq[i] > tl->seq)
			tl->seq = tl->stage_seq[i];
	}
	tl->nhits = 0;
}

/* ---- the view ----------------------------------------------------------- */

void tl_view_stop(struct dbg_timeline *tl, struct dbg_target *t, enum dbg_stop_reason reason,
		  int bp_id)
{
	struct dbg_stop *st = &tl->view_stop;
	bool live = tl->has_process && tl->view == tl->last;
	memset(st, 0, sizeof(*st));
	st->reason = reason;
	st->tid = live ? tl->last_tid : tl->view_tid;
	st->pc = live ? tl->last_regs.rip : tl->view_regs.rip;
	st->bp_id = bp_id;
	st->stage = dbg_stages_at(&t->stages, st->pc);
	/* a step forward names the call its instruction made */
	st->sys_index = reason == DBG_STOP_STEP && tl->view ?
				dbg_syslog_at_step(&t->sys, tl->view - 1) :
				-1;
}

/* A record that cannot be applied: the view stays where it is. */
int tl_damaged(const struct dbg_timeline *tl, uint64_t step, struct dbg_err *err)
{
	if (tl->file_path)
		return dbg_err_set(err, -EINVAL, "step %" PRIu64 " of %s is damaged", step,
				   tl->file_path);
	return dbg_err_set(err, -EINVAL, "step %" PRIu64 " of the record is damaged", step);
}

/* Move the view one step (dir 1 or -1): 0, -ENODATA at either end, or
 * -EINVAL when the record of that step is damaged. */
static int step_view(struct dbg_timeline *tl, struct dbg_target *t, int dir, struct dbg_err *err)
{
	const uint8_t *body;
	size_t len;
	uint64_t pos;
	if (dir > 0) {
		if (tl->view >= tl->last)
			return -ENODATA;
		if (tl_frame_fwd(tl, tl->view_pos, &body, &len, &pos) < 0 ||
		    tl_apply(tl, t, body, len, 1, TG_VIEW) < 0)
			return tl_damaged(tl, tl->view + 1, err);
		tl->view++;
		tl->view_pos = pos;
		if (tl->has_process && tl->view == tl->last)
			tl_views_clear(tl); /* the live process is this state */
	} else {
		if (tl->view <= tl->first)
			return -ENODATA;
		if (tl->has_process && tl->view == tl->last) {
			tl->view_regs = tl->last_regs;
			tl->view_tid = tl->last_tid;
		}
		if (tl_frame_back(tl, tl->view_pos, &body, &len, &pos) < 0 ||
		    tl_apply(tl, t, body, len, -1, TG_VIEW) < 0)
			return tl_damaged(tl, tl->view, err);
		tl->view--;
		tl->view_pos = pos;
	}
	return 0;
}

int tl_move_to(struct dbg_timeline *tl, struct dbg_target *t, uint64_t step, struct dbg_err *err)
{
	int rc = 0;
	while (tl->view < step && (rc = step_view(tl, t, 1, err)) == 0)
		;
	while (rc == 0 && tl->view > step && (rc = step_view(tl, t, -1, err)) == 0)
		;
	return rc == -ENODATA ? 0 : rc;
}

/* Make the record usable for navigation: restart after a gap, enter the
 * recorded state of a program that ended. */
int tl_ready(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_err *err)
{
	if (!tl->enabled)
		return dbg_err_set(err, -ENODATA,
				   "no recorded history: recording is off (record on)");
	if (tl->gap && tl->has_process && t->live) {
		const struct dbg_regs *r = dbg_target_regs(t);
		if (r)
			tl_restart(tl, t, r, (&t->last)->tid);
	}
	if (!tl->started || tl->gap)
		return dbg_err_set(err, -ENODATA,
				   "no recorded history: the program has not run under the recorder");
	if (!tl->has_process && !tl->offline_view) {
		tl->offline_view = true;
		int rc = tl_move_to(tl, t, tl->last, err);
		if (rc < 0)
			return rc;
	}
	if (tl->has_process && tl->view == tl->last) {
		tl->view_regs = tl->last_regs;
		tl->view_tid = tl->last_tid;
	}
	return 0;
}

static int bp_at(struct dbg_target *t, uint64_t pc)
{
	const struct dbg_bp *b = dbg_bps_at(&t->bps, pc);
	return b ? b->id : 0;
}

/* The instruction at pc in the state shown. */
static bool insn_at(struct dbg_timeline *tl, struct dbg_target *t, uint64_t pc, struct dbg_insn *in)
{
	uint8_t code[16];
	size_t len = sizeof(code), to_page = (size_t)(((pc | 0xfff) + 1) - pc);
	if (dbg_tl_read(tl, t, pc, code, len, NULL) < 0) {
		if (to_page >= len || dbg_tl_read(tl, t, pc, code, to_page, NULL) < 0)
			return false;
		len = to_page;
	}
	return dbg_disasm_one(t->dis, code, len, pc, in, NULL) == 0;
}

int dbg_tl_reverse_step(struct dbg_timeline *tl, struct dbg_target *t, uint64_t n, bool over,
			struct dbg_stop *stop, struct dbg_err *err)
{
	int rc = tl_ready(tl, t, err);
	if (rc < 0)
		return rc;
	enum dbg_stop_reason reason = DBG_STOP_STEP;
	int bp = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t sp_after = tl->view_regs.rsp;
		if ((rc = step_view(tl, t, -1, err)) < 0) {
			if (rc != -ENODATA)
				return rc;
			reason = DBG_STOP_NO_HISTORY;
			break;
		}
		struct dbg_insn in;
		if (over && insn_at(tl, t, tl->view_regs.rip, &in) && in.is_ret) {
			/* back over the whole call: to the call that rsp came from */
			while (!(insn_at(tl, t, tl->view_regs.rip, &in) && in.is_call &&
				 tl->view_regs.rsp == sp_after)) {
				if ((rc = step_view(tl, t, -1, err)) < 0) {
					if (rc != -ENODATA)
						return rc;
					reason = DBG_STOP_NO_HISTORY;
					break;
				}
			}
			if (reason == DBG_STOP_NO_HISTORY)
				break;
		}
		if ((bp = bp_at(t, tl->view_regs.rip)) != 0) {
			reason = DBG_STOP_BREAKPOINT;
			break;
		}
	}
	tl_view_stop(tl, t, reason, bp);
	*stop = tl->view_stop;
	return 0;
}

/*
 * With watchpoints, reverse-continue looks for the newest step before the
 * one shown that changed a watched location (the writes index): it stops
 * before that step, at the instruction that wrote, with the change seen
 * backwards as gdb reports it (old: the value after the write, new: the
 * value before). Boot stages do not stop it then, breakpoints do.
 */
static int last_watched_write(struct dbg_timeline *tl, struct dbg_target *t, uint64_t *step)
{
	int found = -1;
	for (size_t i = 0; i < t->bps.nw; i++) {
		const struct dbg_watch *w = &t->bps.w[i];
		uint64_t s;
		if (w->kind == DBG_WATCH_READ ||
		    dbg_tl_last_write(tl, w->addr, w->len, tl->view, &s) < 0)
			continue;
		if (found < 0 || s > *step) {
			*step = s;
			found = (int)i;
		}
	}
	return found;
}

int dbg_tl_reverse_cont(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_stop *stop,
			struct dbg_err *err)
{
	int rc = tl_ready(tl, t, err);
	if (rc < 0)
		return rc;
	const struct dbg_stages *st = &t->stages;
	enum dbg_stop_reason reason = DBG_STOP_STEP;
	int bp = 0;
	uint64_t wstep = 0;
	int wi = last_watched_write(tl, t, &wstep);
	for (;;) {
		if ((rc = step_view(tl, t, -1, err)) < 0) {
			if (rc != -ENODATA)
				return rc;
			reason = DBG_STOP_NO_HISTORY;
			break;
		}
		if (wi >= 0 && tl->view + 1 == wstep) {
			reason = DBG_STOP_WATCHPOINT;
			break;
		}
		if ((bp = bp_at(t, tl->view_regs.rip)) != 0) {
			reason = DBG_STOP_BREAKPOINT;
			break;
		}
		if (!t->bps.nw && dbg_stages_at(st, tl->view_regs.rip) >= 0)
			break;
	}
	if (reason == DBG_STOP_WATCHPOINT) {
		struct dbg_watch *w = &t->bps.w[wi];
		uint8_t x[8] = { 0 };
		uint64_t before = 0, xv = 0;
		dbg_tl_step_wrote(tl, wstep, w->addr, w->len, x);
		dbg_tl_read(tl, t, w->addr, &before, w->len, NULL);
		memcpy(&xv, x, w->len);
		w->hits++;
		tl_view_stop(tl, t, reason, w->id);
		tl->view_stop.watch_old = before ^ xv;
		tl->view_stop.watch_new = before;
		tl->view_stop.watch_pc = tl->view_regs.rip;
	} else {
		tl_view_stop(tl, t, reason, bp);
	}
	*stop = tl->view_stop;
	return 0;
}

int dbg_tl_goto(struct dbg_timeline *tl, struct dbg_target *t, uint64_t step, struct dbg_stop *stop,
		struct dbg_err *err)
{
	int rc = tl_ready(tl, t, err);
	if (rc < 0)
		return rc;
	if (step < tl->first || step > tl->last)
		return dbg_err_set(err, -ERANGE,
				   "step %" PRIu64
				   " is not recorded (the record holds steps %" PRIu64 "..%" PRIu64
				   ")",
				   step, tl->first, tl->last);
	rc = tl_move_to(tl, t, step, err);
	if (rc < 0)
		return rc;
	tl_view_stop(tl, t, DBG_STOP_STEP, 0);
	*stop = tl->view_stop;
	return 0;
}

int dbg_tl_replay_step(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_err *err)
{
	int rc = step_view(tl, t, 1, err);
	if (rc == -ENODATA)
		return dbg_err_set(err, -ENODATA,
				   "no more history: step %" PRIu64 " is the last recorded",
				   tl->last);
	if (rc < 0)
		return rc;
	tl_view_stop(tl, t, DBG_STOP_STEP, 0);
	return 0;
}

int dbg_tl_read(struct dbg_timeline *tl, struct dbg_target *t, uint64_t addr, void *buf, size_t n,
		struct dbg_err *err)
{
	uint8_t *out = buf;
	while (n) {
		uint64_t pa = addr & PAGE_MASK;
		size_t off = (size_t)(addr - pa), k = PAGE - off < n ? PAGE - off : n;
		const struct page *pg = tl_page_find(tl, pa);
		if (pg && pg->view) {
			memcpy(out, pg->view + off, k);
		} else if (tl->has_process) {
			struct dbg_read v = { addr, out, k };
			int rc = dbg_target_readv(t, &v, 1, err);
			if (rc < 0)
				return rc;
		} else if (pg) {
			if (pg->base)
				memcpy(out, pg->base + off, k);
			else
				memset(out, 0, k);
		} else if (tl_in_zero(tl, pa)) {
			memset(out, 0, k);
		} else if (dbg_elf_read(t->elf, addr, out, k, NULL) < 0) {
			return dbg_err_set(err, -EIO,
					   "cannot read memory at 0x%" PRIx64
					   ": not in the recording",
					   addr);
		}
		addr += k;
		out += k;
		n -= k;
	}
	return 0;
}

int dbg_tl_maps(const struct dbg_timeline *tl, struct dbg_map **maps, size_t *n,
		struct dbg_err *err)
{
	if (!tl->started)
		return dbg_err_set(err, -ENODATA, "no recorded mappings");
	struct dbg_map *v = calloc(tl->nmaps + tl->nzero + 1, sizeof(*v));
	if (!v)
		return dbg_err_errno(err, -ENOMEM, "cannot list the recorded mappings");
	if (tl->nmaps) /* a recording without the optional maps section has none */
		memcpy(v, tl->maps, tl->nmaps * sizeof(*v));
	for (size_t i = 0; i < tl->nzero; i++)
		v[tl->nmaps + i] = (struct dbg_map){
			.start = tl->zero[i].addr,
			.end = tl->zero[i].addr + tl->zero[i].len,
			.r = true,
			.w = true,
		};
	*maps = v;
	*n = tl->nmaps + tl->nzero;
	return 0;
}

uint64_t dbg_tl_epoch(const struct dbg_timeline *tl)
{
	return tl->restarts;
}

bool dbg_tl_step_writes(const struct dbg_timeline *tl, uint64_t step, uint64_t epoch,
			void (*fn)(void *arg, uint64_t addr, size_t len), void *arg)
{
	if (!tl->enabled || tl->from_file || tl->gap || !tl->started || tl->pending ||
	    tl->restarts != epoch || !step || tl->plain_last != step || tl->last != step ||
	    tl->view != step || step - 1 < tl->first)
		return false;
	for (size_t i = 0; i < tl->nranges; i++)
		fn(arg, tl->ranges[i].addr, tl->ranges[i].len);
	return true;
}
