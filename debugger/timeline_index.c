/*
 * timeline_index — the recorded writes indexed by page, and the queries
 * over them (timeline.h, "dataflow"): which steps changed a range, with
 * the range's bytes before and after each.
 *
 * The index is a list of the steps that wrote memory (struct wstep: where
 * the record is, the pc, rsp before the step) and, per page of the store,
 * the entries of that list that wrote the page. The recorder adds each
 * step as it records it (a few look-ups for a step that wrote memory,
 * nothing for the others), and loading a recording indexes it while its
 * records are checked; a query brings it up to date first (records
 * folded into the base image start it again). A query reads only the
 * records of the steps that wrote the range's pages.
 */
#include "timeline_int.h"

void tl_index_clear(struct dbg_timeline *tl)
{
	for (size_t i = 0; i < tl->npages; i++)
		tl->pages[i].nws = 0;
	tl->nix = 0;
	tl->nix_thr = 0;
	tl->ix_on = false;
	tl->ix_live = false;
}

void tl_index_free(struct dbg_timeline *tl)
{
	free(tl->ix);
	free(tl->ix_thr);
	free(tl->ix_scratch);
	tl->ix = NULL;
	tl->ix_thr = NULL;
	tl->ix_scratch = NULL;
	tl->nix = tl->ix_cap = tl->nix_thr = tl->ix_thr_cap = tl->ix_scratch_cap = 0;
}

/* The pc a thread was last seen at, kept when the stepped thread changes. */
static void thr_note(struct dbg_timeline *tl, pid_t tid, uint64_t rip)
{
	for (size_t i = 0; i < tl->nix_thr; i++)
		if (tl->ix_thr[i].tid == tid) {
			tl->ix_thr[i].rip = rip;
			return;
		}
	if (tl->nix_thr == tl->ix_thr_cap) {
		tl->ix_thr_cap = tl->ix_thr_cap ? tl->ix_thr_cap * 2 : 8;
		tl->ix_thr = dbg_xrealloc(tl->ix_thr, tl->ix_thr_cap * sizeof(*tl->ix_thr));
	}
	tl->ix_thr[tl->nix_thr++] = (struct ix_thr){ tid, rip };
}

static uint64_t thr_rip(const struct dbg_timeline *tl, pid_t tid)
{
	for (size_t i = 0; i < tl->nix_thr; i++)
		if (tl->ix_thr[i].tid == tid)
			return tl->ix_thr[i].rip;
	return 0;
}

/* The index empty, at the start of the record. */
void tl_index_start(struct dbg_timeline *tl)
{
	tl_index_clear(tl);
	tl->ix_on = true;
	tl->ix_pos = tl->ix_start = tl_rec_start(tl);
	tl->ix_step = tl->first;
	tl->ix_regs = tl->base_regs;
	tl->ix_tid = tl->base_tid;
	tl->ix_live = tl->last == tl->first;
}

/* The pc of a step of thread tid whose record follows a step of another
 * thread, from, that ended at rip: where tid was last seen (see
 * tl_index_thread). */
uint64_t tl_index_other(struct dbg_timeline *tl, pid_t from, uint64_t rip, pid_t tid)
{
	thr_note(tl, from, rip);
	return thr_rip(tl, tid);
}

/* A step that wrote memory, as entry of the list: its number. */
uint32_t tl_index_add(struct dbg_timeline *tl, const struct wstep *w)
{
	if (tl->nix == tl->ix_cap) {
		tl->ix_cap = tl->ix_cap ? tl->ix_cap * 2 : 4096;
		tl->ix = dbg_xrealloc(tl->ix, tl->ix_cap * sizeof(*tl->ix));
	}
	tl->ix[tl->nix] = *w;
	return (uint32_t)tl->nix++;
}

/* Entry e wrote page pg. */
void tl_index_page(struct dbg_timeline *tl, struct page *pg, uint32_t e)
{
	(void)tl;
	if (pg->nws && pg->ws[pg->nws - 1] == e)
		return;
	if (pg->nws == pg->ws_cap) {
		pg->ws_cap = pg->ws_cap ? pg->ws_cap * 2 : 8;
		pg->ws = dbg_xrealloc(pg->ws, pg->ws_cap * sizeof(*pg->ws));
	}
	pg->ws[pg->nws++] = e;
}

/* Entry e wrote page pa; *last caches the page looked up last (the
 * store does not grow while indexing, and most steps write one stack
 * page). */
static void page_note(struct dbg_timeline *tl, uint64_t pa, uint32_t e, struct page **last)
{
	struct page *pg = *last && (*last)->addr == pa ? *last : tl_page_find(tl, pa);
	if (!pg) /* every page a record writes is in the store */
		return;
	*last = pg;
	tl_index_page(tl, pg, e);
}

/* Index the records not indexed yet. Records folded into the base image
 * since the index started start it again. */
static void index_update(struct dbg_timeline *tl)
{
	if (!tl->ix_on || tl->ix_start < tl_rec_start(tl) || tl->ix_pos < tl_rec_start(tl) ||
	    tl->ix_step < tl->first)
		tl_index_start(tl);
	if (tl->ix_live) {
		tl->ix_pos = tl_rec_end(tl);
		tl->ix_step = tl->last;
		tl->ix_regs = tl->last_regs;
		tl->ix_tid = tl->last_tid;
		return;
	}
	uint64_t end = tl_rec_end(tl);
	struct page *last = NULL;
	while (tl->ix_pos < end && tl->ix_step < tl->last) {
		const uint8_t *body;
		size_t len;
		uint64_t next;
		if (tl_frame_fwd(tl, tl->ix_pos, &body, &len, &next) < 0)
			return; /* a damaged record: the index stops before it */
		struct dbg_regs regs = tl->ix_regs;
		pid_t tid = tl->ix_tid;
		struct rd r = { body, body + len, false };
		uint8_t flags;
		uint64_t rsp0;
		if (tl_body_regs(&r, &regs, &tid, 1, &flags, &rsp0) < 0)
			return;
		uint64_t pc = tl_index_thread(tl, tl->ix_tid, tl->ix_regs.rip, tid);
		if (flags & F_MEM) {
			uint32_t e = tl_index_add(tl, &(struct wstep){
							      .step = tl->ix_step + 1,
							      .pos = tl->ix_pos,
							      .pc = pc,
							      .rsp0 = rsp0,
							      .tid = tid,
							      .jump = (flags & F_JUMP) != 0,
						      });
			uint64_t nw = tl_rd_uv(&r);
			for (uint64_t k = 0; k < nw && !r.bad; k++) {
				uint64_t a = rsp0 + (uint64_t)tl_unzz(tl_rd_uv(&r));
				uint64_t n = tl_rd_uv(&r);
				if (!tl_rd_bytes(&r, n) || !n)
					continue;
				for (uint64_t pa = a & PAGE_MASK; pa <= ((a + n - 1) & PAGE_MASK);
				     pa += PAGE)
					page_note(tl, pa, e, &last);
			}
		}
		tl->ix_pos = next;
		tl->ix_step++;
		tl->ix_regs = regs;
		tl->ix_tid = tid;
	}
	/* caught up with the recorder: it adds the next steps itself */
	tl->ix_live =
		tl->has_process && !tl->from_file && tl->ix_pos == end && tl->ix_step == tl->last;
}

/*
 * Old XOR new of [addr, addr + len) by the step of entry w, into x
 * (zeroed first): whether any byte changed.
 */
static bool entry_xor(const struct dbg_timeline *tl, const struct wstep *w, uint64_t addr,
		      size_t len, uint8_t *x)
{
	const uint8_t *body;
	size_t blen;
	uint64_t next;
	memset(x, 0, len);
	if (tl_frame_fwd(tl, w->pos, &body, &blen, &next) < 0)
		return false;
	struct rd r = { body, body + blen, false };
	struct dbg_regs regs = { 0 };
	pid_t tid = 0;
	uint8_t flags;
	uint64_t rsp0;
	if (tl_body_regs(&r, &regs, &tid, 1, &flags, &rsp0) < 0 || !(flags & F_MEM))
		return false;
	bool any = false;
	uint64_t nw = tl_rd_uv(&r);
	for (uint64_t k = 0; k < nw && !r.bad; k++) {
		uint64_t a = w->rsp0 + (uint64_t)tl_unzz(tl_rd_uv(&r));
		uint64_t n = tl_rd_uv(&r);
		const uint8_t *b = tl_rd_bytes(&r, n);
		if (!b || a >= addr + len || addr >= a + n)
			continue;
		uint64_t lo = a > addr ? a : addr, hi = a + n < addr + len ? a + n : addr + len;
		for (uint64_t p = lo; p < hi; p++) {
			x[p - addr] ^= b[p - a];
			any |= b[p - a] != 0;
		}
	}
	return any;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The entries that wrote a page of [addr, addr + len), ascending, in
 * tl->ix_scratch: their count. */
static size_t candidates(struct dbg_timeline *tl, uint64_t addr, size_t len)
{
	size_t n = 0, np = 0;
	for (uint64_t pa = addr & PAGE_MASK; pa <= ((addr + len - 1) & PAGE_MASK); pa += PAGE) {
		const struct page *pg = tl_page_find(tl, pa);
		if (!pg || !pg->nws)
			continue;
		if (n + pg->nws > tl->ix_scratch_cap) {
			tl->ix_scratch_cap = (n + pg->nws) * 2;
			tl->ix_scratch = dbg_xrealloc(tl->ix_scratch,
						      tl->ix_scratch_cap * sizeof(*tl->ix_scratch));
		}
		memcpy(tl->ix_scratch + n, pg->ws, pg->nws * sizeof(*pg->ws));
		n += pg->nws;
		np++;
	}
	if (np > 1) {
		qsort(tl->ix_scratch, n, sizeof(*tl->ix_scratch), cmp_u32);
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (!k || tl->ix_scratch[k - 1] != tl->ix_scratch[i])
				tl->ix_scratch[k++] = tl->ix_scratch[i];
		n = k;
	}
	return n;
}

/* The record can be queried: it exists and matches the process. */
static int usable(const struct dbg_timeline *tl, struct dbg_err *err)
{
	if (!tl->enabled && !tl->from_file)
		return dbg_err_set(err, -ENODATA,
				   "no recorded history: recording is off (record on)");
	if (!tl->started || tl->gap)
		return dbg_err_set(err, -ENODATA,
				   "no recorded history: the program has not run under the recorder");
	return 0;
}

/* Whether entry w is a step of the record now (older ones were folded
 * into the base image). */
static bool held(const struct dbg_timeline *tl, const struct wstep *w)
{
	return w->step > tl->first && w->step <= tl->last;
}

static void wr_add(struct dbg_tl_wlist *l, size_t *cap, const struct dbg_timeline *tl,
		   const struct wstep *w, const uint8_t *before, const uint8_t *after)
{
	if (l->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		l->v = dbg_xrealloc(l->v, *cap * sizeof(*l->v));
		l->bytes = dbg_xrealloc(l->bytes, *cap * 2 * l->len);
	}
	struct dbg_tl_wr *o = &l->v[l->n];
	*o = (struct dbg_tl_wr){
		.step = w->step,
		.pc = w->pc,
		.tid = w->tid,
		.stage = tl_stage_at(tl, w->step - 1),
		.jump = w->jump,
		.off = l->n * 2 * l->len,
	};
	memcpy(l->bytes + o->off, before, l->len);
	memcpy(l->bytes + o->off + l->len, after, l->len);
	l->n++;
}

int dbg_tl_writes(struct dbg_timeline *tl, struct dbg_target *t, uint64_t addr, size_t len,
		  struct dbg_tl_wlist *out, struct dbg_err *err)
{
	memset(out, 0, sizeof(*out));
	int rc = usable(tl, err);
	if (rc < 0)
		return rc;
	if (!len || len > DBG_TL_WRITES_MAX || addr + len < addr)
		return dbg_err_set(err, -EINVAL,
				   "cannot look for writes of %zu bytes: from 1 to %u bytes", len,
				   DBG_TL_WRITES_MAX);
	/* the range at the step shown, the reference both ways */
	uint8_t *cur = dbg_xrealloc(NULL, len * 3);
	uint8_t *x = cur + len, *prev = cur + 2 * len;
	rc = dbg_tl_read(tl, t, addr, cur, len, err);
	if (rc < 0) {
		free(cur);
		return rc;
	}
	index_update(tl);
	size_t n = candidates(tl, addr, len), cap = 0;
	uint64_t view = dbg_tl_active(tl) || !tl->has_process ? tl->view : tl->last;
	out->len = len;
	/* older steps: undo them from the step shown backwards, then put the
	 * hits in order */
	size_t split = 0;
	while (split < n && tl->ix[tl->ix_scratch[split]].step <= view)
		split++;
	memcpy(prev, cur, len);
	for (size_t i = split; i-- > 0;) {
		const struct wstep *w = &tl->ix[tl->ix_scratch[i]];
		if (!held(tl, w))
			break;
		out->looked++;
		if (!entry_xor(tl, w, addr, len, x))
			continue;
		uint8_t before[DBG_TL_WRITES_MAX];
		for (size_t k = 0; k < len; k++)
			before[k] = prev[k] ^ x[k];
		wr_add(out, &cap, tl, w, before, prev);
		memcpy(prev, before, len);
	}
	for (size_t i = 0, j = out->n; i < j / 2; i++) {
		struct dbg_tl_wr a = out->v[i];
		out->v[i] = out->v[j - 1 - i];
		out->v[j - 1 - i] = a;
	}
	/* newer ones: apply them forwards */
	memcpy(prev, cur, len);
	for (size_t i = split; i < n; i++) {
		const struct wstep *w = &tl->ix[tl->ix_scratch[i]];
		if (!held(tl, w))
			continue;
		out->looked++;
		if (!entry_xor(tl, w, addr, len, x))
			continue;
		uint8_t after[DBG_TL_WRITES_MAX];
		for (size_t k = 0; k < len; k++)
			after[k] = prev[k] ^ x[k];
		wr_add(out, &cap, tl, w, prev, after);
		memcpy(prev, after, len);
	}
	free(cur);
	return 0;
}

void dbg_tl_wlist_release(struct dbg_tl_wlist *l)
{
	free(l->v);
	free(l->bytes);
	memset(l, 0, sizeof(*l));
}

/* The entry of step, or NULL when it wrote nothing. */
static const struct wstep *entry_of(const struct dbg_timeline *tl, uint64_t step)
{
	size_t lo = 0, hi = tl->nix;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tl->ix[mid].step < step)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tl->nix && tl->ix[lo].step == step ? &tl->ix[lo] : NULL;
}

bool dbg_tl_step_wrote(struct dbg_timeline *tl, uint64_t step, uint64_t addr, size_t len,
		       uint8_t *x)
{
	uint8_t tmp[DBG_TL_WRITES_MAX];
	if (usable(tl, NULL) < 0 || !len || len > DBG_TL_WRITES_MAX)
		return false;
	index_update(tl);
	const struct wstep *w = entry_of(tl, step);
	return w && held(tl, w) && entry_xor(tl, w, addr, len, x ? x : tmp);
}

int dbg_tl_last_write(struct dbg_timeline *tl, uint64_t addr, size_t len, uint64_t upto,
		      uint64_t *step)
{
	uint8_t x[DBG_TL_WRITES_MAX];
	if (usable(tl, NULL) < 0 || !len || len > DBG_TL_WRITES_MAX)
		return -ENOENT;
	index_update(tl);
	size_t n = candidates(tl, addr, len);
	for (size_t i = n; i-- > 0;) {
		const struct wstep *w = &tl->ix[tl->ix_scratch[i]];
		if (w->step > upto)
			continue;
		if (!held(tl, w))
			break;
		if (entry_xor(tl, w, addr, len, x)) {
			*step = w->step;
			return 0;
		}
	}
	return -ENOENT;
}

int dbg_tl_step_ranges(struct dbg_timeline *tl, uint64_t step, struct dbg_tl_range *v, size_t max,
		       struct dbg_tl_stepw *info, struct dbg_err *err)
{
	memset(info, 0, sizeof(*info));
	info->stage = -1;
	int rc = usable(tl, err);
	if (rc < 0)
		return rc;
	if (step <= tl->first || step > tl->last)
		return dbg_err_set(err, -ERANGE,
				   "step %" PRIu64
				   " is not recorded (the record holds steps %" PRIu64 "..%" PRIu64
				   ")",
				   step, tl->first + 1, tl->last);
	index_update(tl);
	const struct wstep *w = entry_of(tl, step);
	if (!w || !held(tl, w))
		return -ENOENT;
	const uint8_t *body;
	size_t blen;
	uint64_t next;
	if (tl_frame_fwd(tl, w->pos, &body, &blen, &next) < 0)
		return -ENOENT;
	struct rd r = { body, body + blen, false };
	struct dbg_regs regs = { 0 };
	pid_t tid = 0;
	uint8_t flags;
	uint64_t rsp0;
	if (tl_body_regs(&r, &regs, &tid, 1, &flags, &rsp0) < 0 || !(flags & F_MEM))
		return -ENOENT;
	info->pc = w->pc;
	info->tid = w->tid;
	info->jump = w->jump;
	info->stage = tl_stage_at(tl, w->step - 1);
	uint64_t nw = tl_rd_uv(&r);
	for (uint64_t k = 0; k < nw && !r.bad; k++) {
		uint64_t a = w->rsp0 + (uint64_t)tl_unzz(tl_rd_uv(&r));
		uint64_t n = tl_rd_uv(&r);
		if (!tl_rd_bytes(&r, n) || !n)
			continue;
		if (info->n < max)
			v[info->n] = (struct dbg_tl_range){ a, n };
		info->n++;
	}
	return 0;
}

int dbg_tl_reg_last_set(struct dbg_timeline *tl, uint64_t step, unsigned reg, size_t max,
			uint64_t *out)
{
	if (usable(tl, NULL) < 0 || reg >= RIP || step <= tl->first || step > tl->last)
		return -ENOENT;
	index_update(tl);
	const struct wstep *w = entry_of(tl, step);
	if (!w || !held(tl, w))
		return -ENOENT;
	uint64_t pos = w->pos;
	for (uint64_t s = step - 1; s > tl->first && max--; s--) {
		const uint8_t *body;
		size_t len;
		uint64_t start;
		if (tl_frame_back(tl, pos, &body, &len, &start) < 0)
			return -ENOENT;
		/* from zero, the registers become the record's XOR deltas */
		struct rd r = { body, body + len, false };
		struct dbg_regs x = { 0 };
		pid_t tid = 0;
		uint8_t flags;
		uint64_t rsp0;
		if (tl_body_regs(&r, &x, &tid, 1, &flags, &rsp0) < 0 || (flags & F_TID))
			return -ENOENT;
		if (tl_words(&x)[reg]) {
			*out = s;
			return 0;
		}
		pos = start;
	}
	return -ENOENT;
}

int dbg_tl_reg_last_change(struct dbg_timeline *tl, uint64_t upto, unsigned reg, size_t max,
			   struct dbg_tl_regset *out)
{
	if (usable(tl, NULL) < 0 || reg >= NREGS || reg == RIP)
		return -EINVAL;
	if (upto > tl->view)
		upto = tl->view;
	/* from the registers shown, back one record at a time: a record's
	 * XOR deltas applied backwards give the registers before its step */
	struct dbg_regs regs = tl->view == tl->last ? tl->last_regs : tl->view_regs;
	pid_t tid = 0;
	uint64_t pos = tl->view_pos;
	for (uint64_t s = tl->view; s > tl->first && max--; s--) {
		const uint8_t *body;
		size_t len;
		uint64_t start;
		if (tl_frame_back(tl, pos, &body, &len, &start) < 0)
			return -ENOENT;
		struct rd r = { body, body + len, false };
		uint64_t was = tl_words(&regs)[reg];
		uint8_t flags;
		uint64_t rsp0;
		if (tl_body_regs(&r, &regs, &tid, -1, &flags, &rsp0) < 0)
			return -ENOENT;
		if (flags & F_TID) {
			/* before it, the registers are another thread's */
			out->step = s;
			out->other_thread = true;
			return -ESRCH;
		}
		if (s <= upto && tl_words(&regs)[reg] != was) {
			out->step = s;
			out->pc = regs.rip;
			out->before = tl_words(&regs)[reg];
			out->after = was;
			out->jump = (flags & F_JUMP) != 0;
			out->other_thread = false;
			return 0;
		}
		pos = start;
	}
	return -ENOENT;
}
