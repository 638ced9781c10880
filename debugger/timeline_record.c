/*
 * timeline_record — recording: the state at the start, what each single
 * step wrote (before and after it), and free runs as jumps.
 */
#include "timeline_int.h"

/* ---- the state at the start --------------------------------------------- */

static bool skip_map(const struct dbg_map *m)
{
	return !m->w || m->shared || strcmp(m->name, "[vvar]") == 0 ||
	       strcmp(m->name, "[vsyscall]") == 0;
}

/* Every page of the writable private mappings, as the base image. */
static void snapshot(struct dbg_timeline *tl, struct dbg_target *t)
{
	struct dbg_map *maps;
	size_t n;
	if (dbg_proc_maps(tl_live_pid(t), &maps, &n, NULL) < 0)
		return;
	tl->maps = maps;
	tl->nmaps = n;
	enum { CHUNK = 64 };
	uint8_t *buf = dbg_xrealloc(NULL, (size_t)CHUNK * PAGE);
	uint64_t pm[CHUNK];
	uint64_t total = 0;
	for (size_t i = 0; i < n && total < MAX_SNAPSHOT; i++) {
		if (skip_map(&maps[i]))
			continue;
		/* anonymous memory never touched reads as zeros: not read */
		bool anon = !maps[i].name[0] || maps[i].name[0] == '[';
		for (uint64_t a = maps[i].start; a < maps[i].end && total < MAX_SNAPSHOT;) {
			uint64_t len = maps[i].end - a;
			if (len > (uint64_t)CHUNK * PAGE)
				len = (uint64_t)CHUNK * PAGE;
			size_t np = (size_t)(len / PAGE);
			bool untouched =
				anon && dbg_proc_pagemap(tl_live_pid(t), a, np, pm, NULL) == 0;
			for (size_t k = 0; untouched && k < np; k++)
				untouched = !(pm[k] & (DBG_PM_PRESENT | DBG_PM_SWAPPED));
			if (untouched) {
				for (size_t k = 0; k < np; k++)
					if (!tl_page_find(tl, a + k * PAGE))
						tl_page_add(tl, a + k * PAGE, NULL);
				a += len;
				continue;
			}
			struct dbg_read v = { a, buf, (size_t)len };
			bool whole = dbg_target_readv(t, &v, 1, NULL) == 0;
			for (uint64_t off = 0; off < len; off += PAGE) {
				struct dbg_read pv = { a + off, buf + off, PAGE };
				if (tl_page_find(tl, a + off))
					continue;
				if (!whole && dbg_target_readv(t, &pv, 1, NULL) < 0)
					continue;
				uint8_t *copy = NULL;
				if (!tl_all_zero(buf + off, PAGE)) {
					copy = dbg_xrealloc(NULL, PAGE);
					memcpy(copy, buf + off, PAGE);
				}
				tl_page_add(tl, a + off, copy);
			}
			a += len;
			total += len;
		}
	}
	free(buf);
}

void tl_restart(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r, pid_t tid)
{
	tl_clear(tl);
	tl->gap = false;
	tl->has_process = true;
	tl->from_file = false;
	tl->first = tl->last = tl->view = t->steps;
	tl->base_regs = tl->last_regs = tl->view_regs = *r;
	tl->base_tid = tl->last_tid = tl->view_tid = tid;
	tl->view_pos = tl_rec_end(tl);
	tl_stages_init(tl, t, true);
	tl->stage_at_first = t->cur_stage;
	tl->entry_sp = t->entry_sp;
	tl->bias = dbg_elf_bias(t->elf);
	snapshot(tl, t);
	tl_index_start(tl);
	tl_threads_note(tl, t, tl->first);
	tl->started = true;
}

/* The decoded instructions, dropped when the code at their pcs may have
 * changed: a new process or image, a free run, a stepped mapping call. */
static void tl_forget_code(struct dbg_timeline *tl)
{
	free(tl->dcache);
	tl->dcache = NULL;
	tl->dcache_cap = tl->dcache_n = 0;
	tl->code_len = 0;
	tl->pre_dec = NULL;
	tl->next_dec = NULL;
}

void dbg_tl_on_start(struct dbg_timeline *tl, struct dbg_target *t)
{
	(void)t;
	if (tl->from_file)
		return;
	tl_forget_code(tl);
	tl_views_clear(tl);
	tl->offline_view = false;
	tl->has_process = true;
	tl->gap = true;
}

void dbg_tl_on_exec(struct dbg_timeline *tl)
{
	if (tl->from_file)
		return;
	tl_clear(tl);
	tl->gap = true;
	/* the instructions decoded so far belong to the other program */
	tl_forget_code(tl);
	/* and the write tracking to its memory, gone */
	dbg_wtrack_close(&tl->wt);
	tl->wt_refused = 0;
}

void dbg_tl_on_gap(struct dbg_timeline *tl)
{
	if (!tl->from_file)
		tl->gap = true;
}

void dbg_tl_on_exit(struct dbg_timeline *tl)
{
	if (tl->from_file || !tl->has_process)
		return;
	tl->has_process = false;
	tl->pending = false;
	tl->run_pending = false;
	tl_views_clear(tl);
	if (tl->gap || !tl->started) {
		tl_clear(tl);
		return;
	}
	/* The base image is the reference from now on; the view is rebuilt
	 * from it when history is entered. */
	tl->offline_view = false;
	tl->view = tl->first;
	tl->view_pos = tl_rec_start(tl);
	tl->view_regs = tl->base_regs;
	tl->view_tid = tl->base_tid;
}

/*
 * A step wrote memory that could not be read before it: the stack grew, or
 * a mapping appeared. The whole new mapping reads as zeros where no page
 * says otherwise, and the recorded mappings follow it.
 */
static void note_new_memory(struct dbg_timeline *tl, struct dbg_target *t, uint64_t addr)
{
	struct dbg_map *maps;
	size_t n;
	if (dbg_proc_maps(tl_live_pid(t), &maps, &n, NULL) < 0)
		return;
	const struct dbg_map *m = dbg_proc_map_at(maps, n, addr);
	if (m) {
		if (!tl_in_zero(tl, addr))
			tl_zero_add(tl, m->start, m->end - m->start);
		size_t i;
		for (i = 0; i < tl->nmaps; i++)
			if (m->name[0] && strcmp(tl->maps[i].name, m->name) == 0 &&
			    m->start < tl->maps[i].end && tl->maps[i].start < m->end)
				break;
		if (i == tl->nmaps) {
			tl->maps = dbg_xrealloc(tl->maps, (tl->nmaps + 1) * sizeof(*tl->maps));
			tl->nmaps++;
		}
		tl->maps[i] = *m;
	}
	free(maps);
}

/* ---- decoding what a step writes ---------------------------------------- */

/* Bytes read at a new pc outside the last read: the instructions after
 * it are decoded from them when they run. */
enum { AHEAD = 256 };

static size_t dslot(uint64_t pc, size_t cap)
{
	return (size_t)((pc * 0x9e3779b97f4a7c15ull) >> 24) & (cap - 1);
}

static struct dec *dfind(const struct dbg_timeline *tl, uint64_t pc)
{
	if (tl->dcache_cap)
		for (size_t i = dslot(pc, tl->dcache_cap);; i = (i + 1) & (tl->dcache_cap - 1)) {
			if (tl->dcache[i].ws.pc == pc)
				return &tl->dcache[i];
			if (!tl->dcache[i].ws.pc)
				break;
		}
	return NULL;
}

/* dreserve when the cache must grow. */
static void dgrow(struct dbg_timeline *tl, size_t k)
{
	size_t cap = tl->dcache_cap ? tl->dcache_cap * 2 : 4096;
	while ((tl->dcache_n + k) * 2 > cap)
		cap *= 2;
	struct dec *nc = calloc(cap, sizeof(*nc));
	if (!nc)
		abort();
	for (size_t i = 0; i < tl->dcache_cap; i++) {
		if (!tl->dcache[i].ws.pc)
			continue;
		size_t j = dslot(tl->dcache[i].ws.pc, cap);
		while (nc[j].ws.pc)
			j = (j + 1) & (cap - 1);
		nc[j] = tl->dcache[i];
	}
	uint64_t pre = tl->pre_dec ? tl->pre_dec->ws.pc : 0;
	uint64_t next = tl->next_dec ? tl->next_dec->ws.pc : 0;
	free(tl->dcache);
	tl->dcache = nc;
	tl->dcache_cap = cap;
	/* the entries moved */
	tl->pre_dec = pre ? dfind(tl, pre) : NULL;
	tl->next_dec = next ? dfind(tl, next) : NULL;
}

/* Room for k more entries without moving the others. */
static inline void dreserve(struct dbg_timeline *tl, size_t k)
{
	if ((tl->dcache_n + k) * 2 > tl->dcache_cap)
		dgrow(tl, k);
}

/*
 * What the instruction at pc may write, decoded once per pc: text does not
 * change under the recorder (the bytes are read with breakpoints hidden),
 * and the cache is dropped when the code may have changed (tl_forget_code).
 * The common instructions are decoded from their bytes (dbg_ws_fast), the
 * rest by capstone. The bytes come from the last read when pc lies in it
 * with room for the longest instruction (the cache is dropped with it),
 * else from a read of up to AHEAD bytes at pc.
 */
__attribute__((noinline)) static struct dec *decode_new(struct dbg_timeline *tl,
							struct dbg_target *t, uint64_t pc)
{
	if (pc == 0)
		return NULL;
	const uint8_t *code;
	size_t len;
	if (pc - tl->code_at < tl->code_len && tl->code_at + tl->code_len - pc >= 16) {
		/* the bytes of an earlier read: the longest instruction fits */
		code = tl->code + (pc - tl->code_at);
		len = (size_t)(tl->code_at + tl->code_len - pc);
	} else {
		/* the instruction may end just before an unreadable page */
		size_t to_page = (size_t)(((pc | 0xfff) + 1) - pc);
		len = to_page < 16 ? 16 : to_page < AHEAD ? to_page : AHEAD;
		tl->code_len = 0;
		if (dbg_target_read(t, pc, tl->code, len, NULL) < 0) {
			if (to_page >= len || dbg_target_read(t, pc, tl->code, to_page, NULL) < 0)
				return NULL;
			len = to_page;
		}
		tl->code_at = pc;
		tl->code_len = len;
		code = tl->code;
	}
	/* decoded in place, into the free slot pc's probe ends at (ws.pc
	 * stays 0 where the fast path gives up) */
	dreserve(tl, 1);
	size_t i = dslot(pc, tl->dcache_cap);
	while (tl->dcache[i].ws.pc)
		i = (i + 1) & (tl->dcache_cap - 1);
	struct dec *e = &tl->dcache[i];
	if (!dbg_ws_fast(code, len, pc, &e->ws)) {
		struct dbg_insn in;
		if (dbg_disasm_one(t->dis, code, len, pc, &in, NULL) < 0)
			return NULL;
		dbg_ws_decode(&in, &e->ws);
	}
	e->stage = DEC_STAGE_UNKNOWN;
	e->quiet = !e->ws.push && !e->ws.nmem && !e->ws.flags;
	tl->dcache_n++;
	return e;
}

static inline struct dec *decode(struct dbg_timeline *tl, struct dbg_target *t, uint64_t pc)
{
	struct dec *hit = dfind(tl, pc);
	return hit ? hit : decode_new(tl, t, pc);
}

/* The stage at pc: from the decode cache when pc was decoded already. */
static int stage_of(struct dbg_timeline *tl, struct dbg_target *t, uint64_t pc)
{
	struct dec *d = dfind(tl, pc);
	if (!d)
		return dbg_stages_at(&t->stages, pc);
	if (d->stage == DEC_STAGE_UNKNOWN)
		d->stage = (int16_t)dbg_stages_at(&t->stages, pc);
	return d->stage;
}

/* The stage at pc, where the last step ended, decoding the instruction
 * there for the next step. */
static inline __attribute__((always_inline)) int stage_next(struct dbg_timeline *tl,
							    struct dbg_target *t, uint64_t pc)
{
	struct dec *d = tl->next_dec = decode(tl, t, pc);
	if (!d)
		return dbg_stages_at(&t->stages, pc);
	if (d->stage == DEC_STAGE_UNKNOWN)
		d->stage = (int16_t)dbg_stages_at(&t->stages, pc);
	return d->stage;
}

/* dbg_ws_fn: one buffer the step may write, kept with room for its old
 * and new bytes. */
static void add_range(void *arg, uint64_t addr, uint64_t len, bool syscall)
{
	struct dbg_timeline *tl = arg;
	if (tl->nranges == tl->ranges_cap) {
		tl->ranges_cap = tl->ranges_cap ? tl->ranges_cap * 2 : 16;
		tl->ranges = dbg_xrealloc(tl->ranges, tl->ranges_cap * sizeof(*tl->ranges));
	}
	if (tl->scratch_len + len > tl->scratch_cap) {
		size_t cap = tl->scratch_cap ? tl->scratch_cap : 4096;
		while (cap < tl->scratch_len + len)
			cap *= 2;
		tl->old = dbg_xrealloc(tl->old, cap);
		tl->new = dbg_xrealloc(tl->new, cap);
		tl->scratch_cap = cap;
	}
	tl->ranges[tl->nranges++] = (struct range){
		.addr = addr,
		.len = (uint32_t)len,
		.off = (uint32_t)tl->scratch_len,
		.syscall = syscall,
	};
	tl->scratch_len += len;
}

static void iov_reserve(struct dbg_timeline *tl, size_t n)
{
	if (n <= tl->iov_cap)
		return;
	size_t cap = tl->iov_cap ? tl->iov_cap : 32;
	while (cap < n)
		cap *= 2;
	tl->iov = dbg_xrealloc(tl->iov, cap * sizeof(*tl->iov));
	tl->iov_ok = dbg_xrealloc(tl->iov_ok, cap * sizeof(*tl->iov_ok));
	tl->iov_cap = cap;
}

/* Read tl->iov[0..n) from the live process: true when every read
 * worked, else iov_ok says which did. */
static bool read_iov(struct dbg_timeline *tl, struct dbg_target *t, size_t n)
{
	if (dbg_target_readv(t, tl->iov, n, NULL) == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		tl->iov_ok[i] = dbg_target_readv(t, &tl->iov[i], 1, NULL) == 0;
	return false;
}

/* The first n known pages, into buf (n * PAGE); unreadable ones as zeros. */
static void scan_read(struct dbg_timeline *tl, struct dbg_target *t, uint8_t *buf, size_t n)
{
	iov_reserve(tl, n);
	for (size_t i = 0; i < n; i++)
		tl->iov[i] = (struct dbg_read){ tl->pages[i].addr, buf + i * PAGE, PAGE };
	if (read_iov(tl, t, n))
		return;
	for (size_t i = 0; i < n; i++)
		if (!tl->iov_ok[i])
			memset(buf + i * PAGE, 0, PAGE);
}

/* The record's bytes at [addr, addr + n) at its last step, from pages it
 * holds (every page of the range is one: kept ranges). */
static void kept_read(struct dbg_timeline *tl, uint64_t addr, uint8_t *buf, size_t n)
{
	while (n) {
		uint64_t pa = addr & PAGE_MASK;
		size_t off = (size_t)(addr - pa), k = PAGE - off < n ? PAGE - off : n;
		const struct page *pg = tl_page_at(tl, pa);
		if (pg && pg->cur)
			memcpy(buf, pg->cur + off, k);
		else
			memset(buf, 0, k);
		addr += k;
		buf += k;
		n -= k;
	}
}

/* BOOTSCOPE_CHECK_OLD_BYTES=1: the bytes a step's writes had before it are
 * read from the process as well as taken from the record, and the ranges
 * where the two differ counted (info record: old_bytes_missed). */
static bool old_check(void)
{
	static int known = -1;
	if (known < 0) {
		const char *e = getenv("BOOTSCOPE_CHECK_OLD_BYTES");
		known = e && *e && strcmp(e, "0") != 0;
	}
	return known == 1;
}

static bool newpage_listed(const struct dbg_timeline *tl, uint64_t pa)
{
	for (size_t i = 0; i < tl->nnew; i++)
		if (tl->newpages[i].addr == pa)
			return true;
	return false;
}

/* ---- recording ---------------------------------------------------------- */

__attribute__((noinline)) static bool
before_step_full(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r, pid_t tid)
{
	tl->pending = false;
	if (!tl->enabled || tl->from_file)
		return false;
	if (!tl->started || tl->gap || !tl->has_process)
		tl_restart(tl, t, r, tid);
	if (tl->view != tl->last)
		return false;
	tl->pre_rip = r->rip;
	tl->pre_rsp = r->rsp;
	tl->nranges = 0;
	tl->scan = false;
	/* a pointer into the decode cache: dgrow moves pre_dec and next_dec
	 * with the entries */
	const struct dec *d = tl->next_dec && tl->next_dec->ws.pc == r->rip ? tl->next_dec :
									      decode(tl, t, r->rip);
	tl->next_dec = NULL;
	tl->pre_dec = d;
	if (d && d->quiet && t->sched_lock != DBG_SCHED_LOCK_OFF) {
		/* nothing to read: the step changes registers only */
		tl->pending = true;
		return true;
	}
	tl->nnew = 0;
	tl->scratch_len = 0;
	if (d) {
		if (d->ws.push || d->ws.nmem)
			dbg_ws_ranges(&d->ws, r, add_range, tl);
		if (d->ws.flags & DBG_WS_SYSCALL) {
			tl->sc_nr = r->rax;
			tl->sc_args[0] = r->rdi;
			tl->sc_args[1] = r->rsi;
			tl->sc_args[2] = r->rdx;
			tl->sc_args[3] = r->r10;
			tl->sc_args[4] = r->r8;
			tl->sc_args[5] = r->r9;
			dbg_ws_syscall(r, add_range, tl);
		}
	}
	/* other threads run while this one is in a system call, or all the
	 * time without scheduler locking */
	if ((d && (d->ws.flags & DBG_WS_SYSCALL)) || t->sched_lock == DBG_SCHED_LOCK_OFF)
		tl->scan = dbg_target_threads(t, NULL, 0) > 1;
	/* pages written for the first time: their contents now are their
	 * contents at step first. In pages the record holds, the bytes now
	 * are the record's at its last step: only this thread ran since,
	 * and it wrote what the record has (the others ran only in steps
	 * that scan, and a free run's pages are compared after it) */
	for (size_t i = 0; i < tl->nranges; i++) {
		struct range *rg = &tl->ranges[i];
		rg->kept = !tl->scan;
		for (uint64_t pa = rg->addr & PAGE_MASK; pa < rg->addr + rg->len; pa += PAGE) {
			if (tl_page_at(tl, pa))
				continue;
			rg->kept = false;
			if (newpage_listed(tl, pa))
				continue;
			if (tl->nnew == tl->new_cap) {
				tl->new_cap = tl->new_cap ? tl->new_cap * 2 : 8;
				tl->newpages = dbg_xrealloc(tl->newpages,
							    tl->new_cap * sizeof(*tl->newpages));
			}
			tl->newpages[tl->nnew++] =
				(struct newpage){ pa, dbg_xrealloc(NULL, PAGE), false };
		}
	}
	const bool check = old_check();
	size_t n = 0;
	iov_reserve(tl, tl->nranges + tl->nnew);
	for (size_t i = 0; i < tl->nranges; i++) {
		struct range *rg = &tl->ranges[i];
		if (rg->kept && !check) {
			kept_read(tl, rg->addr, tl->old + rg->off, rg->len);
			rg->old_ok = true;
			continue;
		}
		rg->at = (uint32_t)n;
		tl->iov[n++] = (struct dbg_read){ rg->addr, tl->old + rg->off, rg->len };
	}
	const size_t nr = n;
	for (size_t i = 0; i < tl->nnew; i++)
		tl->iov[n++] = (struct dbg_read){ tl->newpages[i].addr, tl->newpages[i].buf, PAGE };
	if (!n)
		goto scan;
	const bool all = read_iov(tl, t, n);
	for (size_t i = 0; i < tl->nranges; i++) {
		struct range *rg = &tl->ranges[i];
		if (rg->kept && !check)
			continue;
		rg->old_ok = all || tl->iov_ok[rg->at];
		if (check && rg->kept && rg->old_ok) {
			uint8_t kept[256];
			for (uint32_t o = 0; o < rg->len; o += sizeof(kept)) {
				uint32_t k =
					rg->len - o < sizeof(kept) ? rg->len - o : sizeof(kept);
				kept_read(tl, rg->addr + o, kept, k);
				if (memcmp(kept, tl->old + rg->off + o, k) != 0) {
					tl->old_missed++;
					break;
				}
			}
		}
	}
	for (size_t i = 0; i < tl->nnew; i++) {
		uint64_t pa = tl->newpages[i].addr;
		if (!all && !tl->iov_ok[nr + i]) {
			free(tl->newpages[i].buf);
			continue;
		}
		tl_page_add(tl, pa, tl->newpages[i].buf);
		/* outside what was mapped at the start: the stack grew (reading
		 * it may grow it) or a mapping appeared */
		if (!tl_in_zero(tl, pa) && !dbg_proc_map_at(tl->maps, tl->nmaps, pa))
			note_new_memory(tl, t, pa);
	}
	tl->nnew = 0;
scan:
	if (tl->scan) {
		if (tl->scan_cap < tl->npages) {
			tl->scan_cap = tl->npages + 64;
			tl->scan_old = dbg_xrealloc(tl->scan_old, tl->scan_cap * PAGE);
			tl->scan_new = dbg_xrealloc(tl->scan_new, tl->scan_cap * PAGE);
		}
		tl->scan_np = tl->npages;
		scan_read(tl, t, tl->scan_old, tl->scan_np);
	}
	tl->pending = true;
	return true;
}

/* One change to encode: n bytes at addr, before and after. */
struct change {
	uint64_t addr;
	size_t n;
	const uint8_t *old, *new;
};

/* By address; a step makes a handful of changes, so insertion sort. */
static void changes_sort(struct change *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct change c = v[i];
		size_t k = i;
		for (; k && v[k - 1].addr > c.addr; k--)
			v[k] = v[k - 1];
		v[k] = c;
	}
}

static void change_add(struct dbg_timeline *tl, uint64_t addr, size_t n, const uint8_t *old,
		       const uint8_t *new)
{
	if (tl->nchanges == tl->changes_cap) {
		tl->changes_cap = tl->changes_cap ? tl->changes_cap * 2 : 32;
		tl->changes = dbg_xrealloc(tl->changes, tl->changes_cap * sizeof(*tl->changes));
	}
	tl->changes[tl->nchanges++] = (struct change){ addr, n, old, new };
}

/* Differences between two copies of a page, as changes (runs of equal
 * bytes shorter than 16 are kept inside a change). */
static void page_diff(struct dbg_timeline *tl, uint64_t addr, const uint8_t *a, const uint8_t *b)
{
	size_t i = 0;
	if (memcmp(a, b, PAGE) == 0)
		return;
	while (i < PAGE) {
		if (i % 64 == 0 && i + 64 <= PAGE && memcmp(a + i, b + i, 64) == 0) {
			i += 64;
			continue;
		}
		if (a[i] == b[i]) {
			i++;
			continue;
		}
		size_t start = i, last = i;
		for (; i < PAGE && i - last < 16; i++)
			if (a[i] != b[i])
				last = i;
		change_add(tl, addr + start, last - start + 1, a + start, b + start);
		i = last + 1;
	}
}

static void body_reserve(struct dbg_timeline *tl, size_t n)
{
	if (n <= tl->body_cap)
		return;
	size_t cap = tl->body_cap ? tl->body_cap : 1024;
	while (cap < n)
		cap *= 2;
	tl->body = dbg_xrealloc(tl->body, cap);
	tl->body_cap = cap;
}

/* The most bytes encode() writes for the changes collected. */
static size_t encode_bound(const struct dbg_timeline *tl)
{
	size_t bound = 1 + 10 + 1 + NREGS * 11 + 10 + 10;
	for (size_t i = 0; i < tl->nchanges; i++)
		bound += 20 + tl->changes[i].n;
	return bound;
}

/* A frame's register part, after its flags byte at b[0]: rip's delta,
 * then the count and the XOR of each other register that changed since
 * last_regs (tl->regs_diff says which). The bytes written, b[0] included. */
static inline __attribute__((always_inline)) size_t put_regs(struct dbg_timeline *tl,
							     const struct dbg_regs *r, uint8_t *b)
{
	const uint64_t *o = tl_cwords(&tl->last_regs), *w = tl_cwords(r);
	size_t n = 1;
	n += tl_put_uv(b + n, tl_zz((int64_t)(r->rip - tl->last_regs.rip)));
	size_t at = n++;
	tl->regs_diff = dbg_regs_diff(&tl->last_regs, r);
	uint64_t changed = tl->regs_diff & ~(1ull << RIP);
	uint8_t nregs = 0;
	while (changed) {
		uint8_t i = (uint8_t)__builtin_ctzll(changed);
		changed &= changed - 1;
		b[n++] = i;
		n += tl_put_uv(b + n, o[i] ^ w[i]);
		nregs++;
	}
	b[at] = nregs;
	return n;
}

/* Encode the step from the last recorded state (last_regs: the thread
 * stepped before may not be this one) to r with the changes collected,
 * into b (encode_bound bytes). The changes are left as stored: clipped
 * to the bytes that changed, n 0 for those that changed nothing. */
static size_t encode(struct dbg_timeline *tl, const struct dbg_regs *r, pid_t tid,
		     uint64_t *nwrites, uint8_t *b)
{
	uint8_t flags = 0;
	*nwrites = 0;
	size_t n = put_regs(tl, r, b);
	if (tid != tl->last_tid) {
		flags |= F_TID;
		n += tl_put_uv(b + n, (uint64_t)(uint32_t)(tid ^ tl->last_tid));
	}
	if (!tl->nchanges)
		goto done;
	/* changes sorted and clipped so no byte is stored twice */
	changes_sort(tl->changes, tl->nchanges);
	uint64_t covered = 0, count = 0;
	size_t count_at = n;
	/* the count is at most nchanges: one byte below 128 */
	const size_t room = tl->nchanges < 0x80 ? 1 : 10;
	uint8_t tmp[10];
	for (size_t i = 0; i < tl->nchanges; i++) {
		struct change *c = &tl->changes[i];
		if (i && c->addr < covered) {
			uint64_t skip = covered - c->addr;
			if (skip >= c->n) {
				c->n = 0;
				continue;
			}
			c->addr += skip;
			c->old += skip;
			c->new += skip;
			c->n -= (size_t)skip;
		}
		covered = c->addr + c->n;
		size_t lo = 0, hi = c->n;
		if (c->n == 8) {
			/* a word (a push, a call, a 64-bit store): its first and
			 * last changed bytes from the XOR of old and new */
			uint64_t a, x;
			memcpy(&a, c->old, 8);
			memcpy(&x, c->new, 8);
			x ^= a;
			if (x) {
				lo = (size_t)__builtin_ctzll(x) / 8;
				hi = 8 - (size_t)__builtin_clzll(x) / 8;
			} else {
				hi = 0;
			}
		} else {
			while (lo < hi && c->old[lo] == c->new[lo])
				lo++;
			while (hi - lo >= 8 && memcmp(c->old + hi - 8, c->new + hi - 8, 8) == 0)
				hi -= 8;
			while (hi > lo && c->old[hi - 1] == c->new[hi - 1])
				hi--;
		}
		c->addr += lo;
		c->old += lo;
		c->new += lo;
		c->n = hi - lo;
		if (!c->n)
			continue;
		if (!count)
			n += room; /* room for the count, moved into place below */
		n += tl_put_uv(b + n, tl_zz((int64_t)(c->addr - tl->last_regs.rsp)));
		n += tl_put_uv(b + n, c->n);
		for (size_t k = 0; k < c->n; k++)
			b[n++] = c->old[k] ^ c->new[k];
		tl_xor_mem(tl, NULL, TG_CUR, c->addr, c->new, c->n);
		count++;
	}
	if (count) {
		flags |= F_MEM;
		size_t k = tl_put_uv(tmp, count);
		if (k != room) {
			memmove(b + count_at + k, b + count_at + room, n - count_at - room);
			n -= room - k;
		}
		memcpy(b + count_at, tmp, k);
	}
	*nwrites = count;
done:
	if (tl->pre_dec && (tl->pre_dec->ws.flags & DBG_WS_SYSCALL))
		flags |= F_SYSCALL;
	b[0] = flags;
	return n;
}

/*
 * The step from last_regs to r (with the changes collected) appended to
 * the record, and to the writes index when that follows the record (the
 * caller sets last_regs and last_tid to r and tid next). jump: a free
 * run.
 */
static uint64_t record_frame(struct dbg_timeline *tl, const struct dbg_regs *r, pid_t tid,
			     bool jump)
{
	size_t bound = encode_bound(tl);
	uint8_t *b = tl_frame_begin(tl, bound);
	if (!b) {
		body_reserve(tl, bound);
		b = tl->body;
	}
	uint64_t nw, pos = tl_rec_end(tl);
	size_t n = encode(tl, r, tid, &nw, b);
	if (jump)
		b[0] |= F_JUMP;
	if (b == tl->body)
		tl_append_frame(tl, b, n);
	else
		tl_frame_commit(tl, n);
	tl->nwrites += nw;
	tl->last++;
	if (!tl_index_follows(tl))
		return nw;
	uint64_t pc = tl_index_thread(tl, tl->last_tid, tl->last_regs.rip, tid);
	if (nw) {
		uint32_t e = tl_index_add(tl, &(struct wstep){
						      .step = tl->last,
						      .pos = pos,
						      .pc = pc,
						      .rsp0 = tl->last_regs.rsp,
						      .tid = tid,
						      .jump = jump,
					      });
		struct page *pg = NULL;
		for (size_t i = 0; i < tl->nchanges; i++) {
			const struct change *c = &tl->changes[i];
			if (!c->n)
				continue;
			for (uint64_t pa = c->addr & PAGE_MASK;
			     pa <= ((c->addr + c->n - 1) & PAGE_MASK); pa += PAGE) {
				if (!pg || pg->addr != pa)
					pg = tl_page_at(tl, pa);
				if (pg)
					tl_index_page(tl, pg, e);
			}
		}
	}
	return nw;
}

/* record_frame for a step that wrote no memory (no changes collected,
 * not a system call, not a jump): the same frame, encoded without the
 * memory part's bookkeeping. */
static inline __attribute__((always_inline)) void record_regs(struct dbg_timeline *tl,
							      const struct dbg_regs *r, pid_t tid)
{
	enum { BOUND = 1 + 10 + 1 + NREGS * 11 + 10 + 10 };
	uint8_t *b = tl_frame_begin(tl, BOUND);
	if (!b) {
		record_frame(tl, r, tid, false);
		return;
	}
	size_t n = put_regs(tl, r, b);
	b[0] = 0;
	if (tid != tl->last_tid) {
		b[0] = F_TID;
		n += tl_put_uv(b + n, (uint64_t)(uint32_t)(tid ^ tl->last_tid));
		if (tl_index_follows(tl))
			tl_index_other(tl, tl->last_tid, tl->last_regs.rip, tid);
	}
	tl_frame_commit(tl, n);
	tl->last++;
}

/* The last_regs words put_regs found changed, from r; the thread tid. */
static inline void last_regs_set(struct dbg_timeline *tl, const struct dbg_regs *r, pid_t tid)
{
	uint64_t *lw = (uint64_t *)(void *)&tl->last_regs;
	const uint64_t *rw = tl_cwords(r);
	for (uint64_t m = tl->regs_diff; m; m &= m - 1) {
		unsigned i = (unsigned)__builtin_ctzll(m);
		lw[i] = rw[i];
	}
	tl->last_tid = tid;
}

__attribute__((noinline)) static int after_step_full(struct dbg_timeline *tl, struct dbg_target *t,
						     const struct dbg_regs *r, pid_t tid,
						     bool trapped, struct dbg_err *err)
{
	if (!trapped) {
		/* a signal or an exit instead of a finished step: a state that
		 * changed anyway cannot be told from the record */
		if (r && (r->rip != tl->pre_rip || r->rsp != tl->pre_rsp))
			tl->gap = true;
		return 0;
	}
	const struct dec *d = tl->pre_dec;
	/* pre_dec's flags, read before the next pc's decode may move it */
	const bool sys = d && (d->ws.flags & DBG_WS_SYSCALL);
	if (d && d->quiet && !tl->scan) {
		/* an instruction that wrote no memory: its registers alone */
		tl->nchanges = 0;
		record_regs(tl, r, tid);
		tl->plain_last = tl->last;
		goto recorded;
	}
	bool all = true;
	if (tl->nranges) {
		iov_reserve(tl, tl->nranges);
		for (size_t i = 0; i < tl->nranges; i++)
			tl->iov[i] =
				(struct dbg_read){ tl->ranges[i].addr, tl->new + tl->ranges[i].off,
						   tl->ranges[i].len };
		all = read_iov(tl, t, tl->nranges);
	}
	tl->nchanges = 0;
	for (size_t i = 0; i < tl->nranges; i++) {
		struct range *rg = &tl->ranges[i];
		rg->new_ok = all || tl->iov_ok[i];
		if (!rg->new_ok)
			continue;
		if (!rg->old_ok) {
			/* memory that did not exist before the step (the stack
			 * grew, a mapping appeared): it was zeros */
			memset(tl->old + rg->off, 0, rg->len);
			for (uint64_t pa = rg->addr & PAGE_MASK; pa < rg->addr + rg->len;
			     pa += PAGE)
				if (!tl_page_find(tl, pa))
					tl_page_add(tl, pa, NULL);
			rg->old_ok = true;
			note_new_memory(tl, t, rg->addr);
		} else if (tl->scan) {
			continue; /* the page comparison below covers it */
		}
		change_add(tl, rg->addr, rg->len, tl->old + rg->off, tl->new + rg->off);
	}
	if (tl->scan) {
		/* pages added since the first read were zeros before */
		scan_read(tl, t, tl->scan_new, tl->scan_np);
		for (size_t i = 0; i < tl->scan_np; i++)
			page_diff(tl, tl->pages[i].addr, tl->scan_old + i * PAGE,
				  tl->scan_new + i * PAGE);
	}
	if (sys && tl->sc_nr == DBG_WS_SYS_MMAP && r->rax < (uint64_t)-4095 &&
	    (tl->sc_args[3] & DBG_WS_MAP_ANON))
		tl_zero_add(tl, r->rax, (tl->sc_args[1] + PAGE - 1) & PAGE_MASK);
	record_frame(tl, r, tid, false);
	/* an instruction alone: what it wrote lies in its ranges */
	tl->plain_last =
		d && !tl->scan && !(d->ws.flags & (DBG_WS_SYSCALL | DBG_WS_UNKNOWN)) ? tl->last : 0;
recorded:
	tl->view = tl->last;
	tl->view_pos = tl_rec_end(tl);
	int st = stage_next(tl, t, r->rip);
	if (st >= 0)
		tl_hit_add(tl, tl->last, st, tl->last, t->steps_exact);
	/* other threads moved, came or went: they run only while the stepped
	 * thread is in a system call (or always, without scheduler locking,
	 * when every step scans) */
	if (tl->scan || sys)
		tl_threads_note(tl, t, tl->last);
	bool obs_failed = false;
	if (tl->obs_fn) {
		tl_observe_step(tl, t, r);
		obs_failed = tl->obs_rc != 0;
	}
	/* the view's registers are set when it leaves the live step; of
	 * last_regs, only the words encode found changed differ from r */
	last_regs_set(tl, r, tid);
	/* code mapped (or made executable) where other code may have been
	 * decoded: mmap or mprotect with PROT_EXEC, mremap */
	enum { SYS_MPROTECT = 10, SYS_MREMAP = 25, PROT_EXEC_FLAG = 4 };
	if (sys && (((tl->sc_nr == DBG_WS_SYS_MMAP || tl->sc_nr == SYS_MPROTECT) &&
		     (tl->sc_args[2] & PROT_EXEC_FLAG)) ||
		    tl->sc_nr == SYS_MREMAP))
		tl_forget_code(tl);
	/* an observer that failed (a trace on a full disk) stops the run now */
	return obs_failed ? dbg_tl_observer_status(tl, err) : 0;
}

/*
 * The usual step, kept small for the caller to inline: one whose
 * instruction (decoded when the step before ended) writes no memory, with
 * the record live and scheduler locking on. Anything else takes the whole
 * way.
 */
bool dbg_tl_before_step(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r,
			pid_t tid)
{
	const struct dec *d = tl->next_dec;
	if (tl->state_word == TL_LIVE_WORD && tl->view == tl->last && d && d->ws.pc == r->rip &&
	    d->quiet && !tl->obs_fn && t->sched_lock != DBG_SCHED_LOCK_OFF) {
		tl->pre_rip = r->rip;
		tl->pre_rsp = r->rsp;
		tl->nranges = 0;
		tl->scan = false;
		tl->pre_dec = d;
		tl->next_dec = NULL;
		tl->pending = PENDING_QUIET;
		return true;
	}
	return before_step_full(tl, t, r, tid);
}

int dbg_tl_after_step(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r,
		      pid_t tid, bool trapped, struct dbg_err *err)
{
	const uint8_t pending = tl->pending;
	tl->pending = PENDING_NONE;
	if (pending != PENDING_QUIET || !trapped)
		return pending ? after_step_full(tl, t, r, tid, trapped, err) : 0;
	/* an instruction that wrote no memory: its registers alone */
	tl->nchanges = 0;
	record_regs(tl, r, tid);
	tl->plain_last = tl->last;
	tl->view = tl->last;
	tl->view_pos = tl_rec_end(tl);
	int st = stage_next(tl, t, r->rip);
	if (st >= 0)
		tl_hit_add(tl, tl->last, st, tl->last, t->steps_exact);
	last_regs_set(tl, r, tid);
	return 0;
}

bool dbg_tl_insn_start(const struct dbg_timeline *tl, uint64_t pc, uint16_t *w)
{
	const struct dec *d = tl->next_dec;
	if (tl->state_word != TL_LIVE_WORD || !d || d->ws.pc != pc)
		return false;
	*w = (uint16_t)(d->ws.bytes[0] | d->ws.bytes[1] << 8);
	return true;
}

/* ---- free runs ---------------------------------------------------------- */

void tl_jump_add(struct dbg_timeline *tl, uint64_t step)
{
	if (tl->njumps == tl->jumps_cap) {
		tl->jumps_cap = tl->jumps_cap ? tl->jumps_cap * 2 : 16;
		tl->jumps = dbg_xrealloc(tl->jumps, tl->jumps_cap * sizeof(*tl->jumps));
	}
	tl->jumps[tl->njumps++] = step;
}

void dbg_tl_abandon_step(struct dbg_timeline *tl)
{
	tl->pending = false;
}

void dbg_tl_before_run(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r,
		       pid_t tid)
{
	tl->run_pending = false;
	if (!tl->enabled || tl->from_file)
		return;
	if (!r) {
		/* the run began with a step that was given up: the threads
		 * already ran, every writable page is compared after it */
		if (!tl->started || tl->gap || !tl->has_process || tl->view != tl->last) {
			tl->gap = true;
			return;
		}
		tl->run_dirty = false;
		tl->nrun_stages = 0;
		tl->run_pending = true;
		return;
	}
	if (!tl->started || tl->gap || !tl->has_process)
		tl_restart(tl, t, r, tid);
	if (tl->view != tl->last)
		return;
	/* with the bits cleared now, the pages the run writes read dirty */
	tl->run_dirty =
		dbg_proc_softdirty_works() && dbg_proc_clear_softdirty(tl_live_pid(t), NULL) == 0;
	tl->nrun_stages = 0;
	tl->run_pending = true;
}

void dbg_tl_run_stage(struct dbg_timeline *tl, int stage)
{
	if (!tl->run_pending)
		return;
	if (tl->nrun_stages == tl->run_stages_cap) {
		tl->run_stages_cap = tl->run_stages_cap ? tl->run_stages_cap * 2 : 32;
		tl->run_stages =
			dbg_xrealloc(tl->run_stages, tl->run_stages_cap * sizeof(*tl->run_stages));
	}
	tl->run_stages[tl->nrun_stages++] = stage;
}

static void jaddr_add(struct dbg_timeline *tl, uint64_t pa)
{
	if (tl->njaddrs == tl->jaddrs_cap) {
		tl->jaddrs_cap = tl->jaddrs_cap ? tl->jaddrs_cap * 2 : 256;
		tl->jaddrs = dbg_xrealloc(tl->jaddrs, tl->jaddrs_cap * sizeof(*tl->jaddrs));
	}
	tl->jaddrs[tl->njaddrs++] = pa;
}

/* BOOTSCOPE_CHECK_WRITE_TRACKING=1: every writable page compared as
 * without the tracking, and the pages the run changed that the tracking
 * did not select counted (info record: write_tracking_missed). */
static bool wt_check(void)
{
	static int known = -1;
	if (known < 0) {
		const char *e = getenv("BOOTSCOPE_CHECK_WRITE_TRACKING");
		known = e && *e && strcmp(e, "0") != 0;
	}
	return known == 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void wt_arm_add(struct dbg_timeline *tl, const struct dbg_map *m)
{
	if (tl->wt_narm == tl->wt_arm_cap) {
		tl->wt_arm_cap = tl->wt_arm_cap ? tl->wt_arm_cap * 2 : 32;
		tl->wt_arm = dbg_xrealloc(tl->wt_arm, tl->wt_arm_cap * sizeof(*tl->wt_arm));
	}
	tl->wt_arm[tl->wt_narm++] = (struct dbg_wrange){ m->start, m->end };
}

/*
 * The pages a free run may have changed. In a mapping whose writes the
 * kernel tracks (wtrack.h), those it names as written: a page the run
 * wrote, or emptied (madvise), or mapped anew where the mapping grew. In
 * the other mappings, with soft-dirty bits, those that read dirty;
 * without them, every page of the writable mappings. A page never
 * populated (neither present nor swapped) reads as zeros, which changes
 * nothing where the record has zeros too. tracked: the tracking's lists
 * are fresh; use: select by them (else every page, as without them).
 */
static void select_pages(struct dbg_timeline *tl, int pmfd, const struct dbg_map *maps, size_t n,
			 bool tracked, bool use)
{
	enum { CHUNK = 4096 };
	tl->njaddrs = 0;
	tl->wt_narm = 0;
	if (tl->pm_cap < CHUNK) {
		tl->pm_cap = CHUNK;
		tl->pm = dbg_xrealloc(tl->pm, CHUNK * sizeof(*tl->pm));
	}
	const struct dbg_wrange *tv = tl->wt_tracked.v, *wv = tl->wt_written.v;
	size_t ti = 0, wi = 0, nt = tracked ? tl->wt_tracked.n : 0, nw = tl->wt_written.n;
	for (size_t i = 0; i < n; i++) {
		const struct dbg_map *m = &maps[i];
		while (ti < nt && tv[ti].end <= m->start)
			ti++;
		bool covered = ti < nt && tv[ti].start <= m->start && tv[ti].end >= m->end;
		if (use && covered) {
			/* (a tracked mapping made read-only since still names
			 * the pages written before) */
			while (wi < nw && wv[wi].end <= m->start)
				wi++;
			for (size_t j = wi; j < nw && wv[j].start < m->end; j++) {
				uint64_t s = wv[j].start > m->start ? wv[j].start : m->start;
				uint64_t e = wv[j].end < m->end ? wv[j].end : m->end;
				for (uint64_t a = s; a < e; a += PAGE)
					jaddr_add(tl, a);
			}
			continue;
		}
		if (skip_map(m))
			continue;
		if (tl->wt.on && !covered)
			wt_arm_add(tl, m);
		for (uint64_t a = m->start; a < m->end;) {
			size_t np = (size_t)((m->end - a) / PAGE);
			if (np > CHUNK)
				np = CHUNK;
			bool pm_ok = dbg_proc_pagemap_fd(pmfd, a, np, tl->pm) == 0;
			for (size_t k = 0; k < np; k++) {
				uint64_t pa = a + k * PAGE, e = pm_ok ? tl->pm[k] : DBG_PM_PRESENT;
				if (tl->run_dirty && pm_ok && !(e & DBG_PM_SOFT_DIRTY))
					continue;
				if (!(e & (DBG_PM_PRESENT | DBG_PM_SWAPPED))) {
					const struct page *pg = tl_page_find(tl, pa);
					if (!pg || !pg->cur)
						continue;
				}
				jaddr_add(tl, pa);
			}
			a += (uint64_t)np * PAGE;
		}
	}
	if (use) {
		/* a tracked page the record holds other than zeros that is
		 * not in memory any more: reclaimed after MADV_FREE (zeros
		 * now), or swapped out; the tracking names neither */
		size_t before = tl->njaddrs;
		for (size_t i = 0; i < tl->npages; i++) {
			uint64_t pa = tl->pages[i].addr;
			if (tl->pages[i].cur && dbg_wlist_has(&tl->wt_tracked, pa) &&
			    !dbg_wlist_has(&tl->wt_present, pa) &&
			    !dbg_wlist_has(&tl->wt_written, pa))
				jaddr_add(tl, pa);
		}
		if (tl->njaddrs > before)
			qsort(tl->jaddrs, tl->njaddrs, sizeof(*tl->jaddrs), cmp_u64);
	}
}

/* The pages of the run in tl->jaddrs, ascending; whether the tracking
 * answered. */
static bool dirty_pages(struct dbg_timeline *tl, pid_t pid, const struct dbg_map *maps, size_t n)
{
	/* one descriptor for every mapping (an open and a close each cost as
	 * much as the read) */
	int pmfd = dbg_proc_pagemap_open(pid);
	if (tl->wt.on && tl->wt.pid != pid)
		dbg_wtrack_close(&tl->wt);
	bool tracked = false;
	if (tl->wt.on) {
		tracked = pmfd >= 0 && dbg_wtrack_scan(&tl->wt, pmfd, &tl->wt_tracked,
						       &tl->wt_written, &tl->wt_present) == 0;
		if (!tracked) {
			/* not again for this process */
			dbg_wtrack_close(&tl->wt);
			tl->wt_refused = pid;
		}
	}
	select_pages(tl, pmfd, maps, n, tracked, tracked);
	if (tracked && wt_check()) {
		/* what the tracking selected, then every page */
		tl->wt_sel.n = 0;
		for (size_t i = 0; i < tl->njaddrs; i++) {
			if (tl->wt_sel.n == tl->wt_sel.cap) {
				tl->wt_sel.cap = tl->wt_sel.cap ? tl->wt_sel.cap * 2 : 256;
				tl->wt_sel.v = dbg_xrealloc(tl->wt_sel.v,
							    tl->wt_sel.cap * sizeof(*tl->wt_sel.v));
			}
			tl->wt_sel.v[tl->wt_sel.n++] =
				(struct dbg_wrange){ tl->jaddrs[i], tl->jaddrs[i] + PAGE };
		}
		select_pages(tl, pmfd, maps, n, tracked, false);
	}
	if (pmfd >= 0)
		close(pmfd);
	return tracked;
}

/*
 * After a jump is recorded (the record's copy equals the process): the
 * writable mappings not tracked yet are tracked from now on; at the second
 * jump, the tracking is set up by the stopped thread tid (not inside a
 * system call).
 */
static void wt_arm(struct dbg_timeline *tl, struct dbg_target *t, pid_t pid, pid_t tid,
		   const struct dbg_regs *r, const struct dbg_map *maps, size_t n)
{
	if (!tl->wt.on) {
		/* set up after the second jump: a run to one breakpoint
		 * (a process that jumps once) does not pay for it */
		if (tl->njumps < 1 || tl->wt_refused == pid || r->orig_rax != UINT64_MAX ||
		    !dbg_wtrack_supported())
			return;
		int rc = dbg_wtrack_open(&tl->wt, &t->pt, tid);
		if (rc < 0) {
			/* a signal or a system call in the way: another stop */
			if (rc != -EINTR && rc != -EBUSY)
				tl->wt_refused = pid;
			return;
		}
		tl->wt_narm = 0;
		for (size_t i = 0; i < n; i++)
			if (!skip_map(&maps[i]))
				wt_arm_add(tl, &maps[i]);
	}
	for (size_t i = 0; i < tl->wt_narm; i++)
		if (dbg_wtrack_protect(&tl->wt, tl->wt_arm[i].start, tl->wt_arm[i].end) == -ESRCH) {
			/* the memory it was made for is gone (an exec) */
			dbg_wtrack_close(&tl->wt);
			break;
		}
	tl->wt_narm = 0;
}

void dbg_tl_after_run(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r,
		      pid_t tid)
{
	if (!tl->run_pending)
		return;
	tl->run_pending = false;
	if (!tl->has_process || !r)
		return;
	pid_t pid = tl_live_pid(t);
	struct dbg_map *maps;
	size_t nmaps;
	if (dbg_proc_maps(pid, &maps, &nmaps, NULL) < 0) {
		tl->gap = true;
		return;
	}
	bool tracked = dirty_pages(tl, pid, maps, nmaps);
	bool check = tracked && wt_check();
	tl->last_dirty = tl->run_dirty;
	tl->last_tracked = tracked;
	/* read them, as many at a time as one system call takes */
	if (tl->jbuf_cap < tl->njaddrs) {
		tl->jbuf_cap = tl->njaddrs + 64;
		tl->jbuf = dbg_xrealloc(tl->jbuf, tl->jbuf_cap * PAGE);
	}
	iov_reserve(tl, tl->njaddrs);
	for (size_t i = 0; i < tl->njaddrs; i++)
		tl->iov[i] = (struct dbg_read){ tl->jaddrs[i], tl->jbuf + i * PAGE, PAGE };
	const bool all = read_iov(tl, t, tl->njaddrs);
	static const uint8_t zeros[PAGE];
	tl->nchanges = 0;
	for (size_t i = 0; i < tl->njaddrs; i++) {
		if (!all && !tl->iov_ok[i])
			continue;
		uint64_t pa = tl->jaddrs[i];
		struct page *pg = tl_page_find(tl, pa);
		if (!pg) {
			/* mapped by the run: zeros before it */
			pg = tl_page_add(tl, pa, NULL);
			if (!tl_in_zero(tl, pa) && !dbg_proc_map_at(tl->maps, tl->nmaps, pa)) {
				const struct dbg_map *m = dbg_proc_map_at(maps, nmaps, pa);
				if (m) {
					tl_zero_add(tl, m->start, m->end - m->start);
					tl->maps = dbg_xrealloc(tl->maps, (tl->nmaps +
									   1) * sizeof(*tl->maps));
					tl->maps[tl->nmaps++] = *m;
				}
			}
		}
		const uint8_t *old = pg->cur ? pg->cur : zeros;
		if (check && !dbg_wlist_has(&tl->wt_sel, pa) &&
		    memcmp(old, tl->jbuf + i * PAGE, PAGE) != 0)
			tl->wt_missed++;
		page_diff(tl, pa, old, tl->jbuf + i * PAGE);
	}
	wt_arm(tl, t, pid, tid, r, maps, nmaps);
	free(maps);
	tl->pre_dec = NULL;
	record_frame(tl, r, tid, true);
	tl->view = tl->last;
	tl->view_pos = tl_rec_end(tl);
	tl_jump_add(tl, tl->last);
	/* the stages the run passed, in order, then the one it stopped at */
	int last_st = -1;
	for (size_t i = 0; i < tl->nrun_stages; i++)
		tl_hit_add(tl, tl->last, last_st = tl->run_stages[i], tl->last - 1, false);
	int st = stage_of(tl, t, r->rip);
	if (st >= 0 && st != last_st)
		tl_hit_add(tl, tl->last, st, tl->last - 1, false);
	tl_threads_note(tl, t, tl->last);
	tl->last_regs = *r;
	tl->last_tid = tid;
	tl_forget_code(tl);
}

bool dbg_tl_is_jump(const struct dbg_timeline *tl, uint64_t step)
{
	size_t lo = 0, hi = tl->njumps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tl->jumps[mid] < step)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tl->njumps && tl->jumps[lo] == step;
}

size_t dbg_tl_jumps(const struct dbg_timeline *tl, const uint64_t **steps)
{
	*steps = tl->jumps;
	return tl->njumps;
}
