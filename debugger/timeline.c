/*
 * timeline — per-step records, reconstruction of any recorded step, the
 * recording file and the JSON Lines trace (see timeline.h and
 * docs/timeline.md for the encoding).
 */
#include "timeline.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disasm.h"
#include "elf.h"
#include "target.h"
#include "stages.h"

#define PAGE 4096u
#define PAGE_MASK (~(uint64_t)(PAGE - 1))
#define NREGS 27          /* struct dbg_regs as uint64_t[NREGS] */
#define RIP 16            /* index of rip in that array */
#define RSP 7
#define MIN_LIMIT ((size_t)64 << 10)
#define MAX_RANGE ((uint64_t)1 << 20) /* largest buffer a system call may fill */
#define MAX_SNAPSHOT ((uint64_t)256 << 20)
#define NOT_REACHED UINT64_MAX

_Static_assert(sizeof(struct dbg_regs) == NREGS * sizeof(uint64_t),
	       "struct dbg_regs is read as an array of 27 words");
_Static_assert(offsetof(struct dbg_regs, rip) == RIP * 8, "rip index");
_Static_assert(offsetof(struct dbg_regs, rsp) == RSP * 8, "rsp index");

/* Record body flags (docs/timeline.md). */
enum { F_TID = 1, F_MEM = 2, F_SYSCALL = 4, F_JUMP = 8 };

/* ---- small helpers ------------------------------------------------------ */


static uint64_t *words(struct dbg_regs *r) { return (uint64_t *)(void *)r; }
static const uint64_t *cwords(const struct dbg_regs *r) { return (const uint64_t *)(const void *)r; }

static size_t put_uv(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static uint64_t zz(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzz(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

/* A bounds-checked reader over untrusted bytes. */
struct rd {
	const uint8_t *p, *end;
	bool bad;
};

static uint64_t rd_uv(struct rd *r)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end) {
			r->bad = true;
			return 0;
		}
		uint8_t b = *r->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

static uint8_t rd_u8(struct rd *r)
{
	if (r->p >= r->end) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

static const uint8_t *rd_bytes(struct rd *r, uint64_t n)
{
	if ((uint64_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	const uint8_t *q = r->p;
	r->p += n;
	return q;
}

static uint64_t rd_u64(struct rd *r)
{
	const uint8_t *q = rd_bytes(r, 8);
	uint64_t v = 0;
	if (q)
		for (int i = 7; i >= 0; i--)
			v = v << 8 | q[i];
	return v;
}

static uint32_t rd_u32(struct rd *r)
{
	const uint8_t *q = rd_bytes(r, 4);
	return q ? (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24 : 0;
}

/* CRC-32 (IEEE 802.3, as zlib's crc32). */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- the timeline ------------------------------------------------------- */

struct page {
	uint64_t addr;
	uint8_t *base;  /* contents at step first; NULL: zeros */
	uint8_t *view;  /* contents at the viewed step; NULL: same as the reference */
	uint8_t *cur;   /* contents at step last as recorded (NULL: zeros; may
			   be base itself until one of them changes) */
};

struct region {
	uint64_t addr, len;
};

struct hit {
	uint64_t step;
	int stage;
};

/* A stage as a recording file lists it (by address). */
struct file_stage {
	uint64_t addr, first, shown, seq;
	bool exact;
};

struct hit_addr {
	uint64_t step, addr;
};

/* A thread as the threads view shows it; the g is read at fs_base - 8. */
struct thr {
	pid_t tid;
	uint64_t rip, fs_base;
	int64_t syscall;
};

/* The threads from step `step` on: thr[off .. off + n). */
struct thr_snap {
	uint64_t step;
	size_t off, n;
};

/* A written operand as decoded: registers as enum dbg_reg. */
struct dmem {
	uint8_t seg, base, index, scale;
	uint32_t size;
	int64_t disp;
};

enum { D_SYSCALL = 1, D_UNKNOWN = 2 };

struct dec {
	uint64_t pc;     /* 0: empty slot */
	int16_t stage;   /* the stage at pc, or -1 */
	uint8_t size;
	uint8_t flags;
	uint8_t push;    /* bytes written below rsp (push, call) */
	uint8_t nmem;
	struct dmem mem[4];
	uint8_t bytes[16];
};

/* One buffer an instruction (or system call) may write: old bytes before
 * the step and new ones after it, in the scratch buffers at off. */
struct range {
	uint64_t addr;
	uint32_t len;
	uint32_t off;
	bool old_ok, new_ok;
	bool syscall;   /* a system call's buffer: the kernel may fill less */
};

/* A page read for the first time before a step. */
struct newpage {
	uint64_t addr;
	uint8_t *buf;
	bool ok;
};

struct dbg_timeline {
	bool enabled, full;
	size_t limit;

	bool started;       /* a base state exists */
	bool gap;           /* restart before the next use */
	bool has_process;   /* the reference is the live process at `last` */
	bool offline_view;  /* no process: views answer from the record */
	bool from_file;

	uint64_t first, last;
	struct dbg_regs base_regs, last_regs;
	pid_t base_tid, last_tid;

	/* encoded records of steps first+1 .. last; logical positions */
	uint8_t *rec;
	size_t rhead, rtail, rcap;
	uint64_t rbase;     /* logical position of rec[0] */
	uint64_t dropped, nwrites;

	struct page *pages;
	size_t npages, pages_cap;
	uint32_t *phash;    /* page index + 1; 0 = empty */
	size_t phash_cap;
	size_t page_bytes;

	struct region *zero; /* anonymous mappings made by the program */
	size_t nzero, zero_cap;
	struct dbg_map *maps; /* mappings at the start */
	size_t nmaps;

	struct hit *hits;
	size_t nhits, hits_cap;
	/* the threads, each time their set or their places changed */
	struct thr *thr;
	size_t nthr, thr_cap;
	struct thr_snap *tsnap;
	size_t ntsnap, tsnap_cap;
	uint64_t *stage_first; /* per stage: first step reaching it */
	uint64_t *stage_shown; /* the step count shown for it (after_step when inexact) */
	bool *stage_exact;
	unsigned *stage_seq;   /* order of arrival, from 1 */
	unsigned seq;
	size_t nstages;
	/* stages as a loaded file gives them, resolved at attach */
	struct file_stage *fstages;
	size_t nfstages;
	struct hit_addr *fhits;
	size_t nfhits;
	bool file_stages;

	/* free runs: the one in progress, and the steps that are free runs */
	bool run_pending, run_dirty, last_dirty;
	int *run_stages;
	size_t nrun_stages, run_stages_cap;
	uint64_t *jumps;
	size_t njumps, jumps_cap;
	uint8_t *jbuf;
	size_t jbuf_cap;
	uint64_t *pm;
	size_t pm_cap;
	uint64_t *jaddrs;
	size_t njaddrs, jaddrs_cap;
	int stage_at_first;

	/* the view */
	uint64_t view;
	uint64_t view_pos;  /* logical position of record view+1 */
	struct dbg_regs view_regs;
	pid_t view_tid;
	uint32_t *views;    /* indices of pages with a view buffer */
	size_t nviews, views_cap;
	struct dbg_stop view_stop;

	/* decode cache */
	struct dec *dcache;
	size_t dcache_cap, dcache_n;

	/* the step being recorded */
	bool pending;
	uint64_t pre_rip, pre_rsp; /* of the thread stepped */
	const struct dec *pre_dec;
	bool scan;          /* compare every known page around this step */
	struct range *ranges;
	size_t nranges, ranges_cap;
	struct newpage *newpages;
	size_t nnew, new_cap;
	uint8_t *old, *new;
	size_t scratch_len, scratch_cap;
	uint8_t *scan_old, *scan_new;
	size_t scan_cap, scan_np;
	struct change *changes;
	size_t nchanges, changes_cap;
	struct dbg_read *iov;
	bool *iov_ok;
	size_t iov_cap;
	uint8_t *body;
	size_t body_cap;
	uint64_t sc_nr, sc_args[6];

	/* trace */
	int trace_fd;       /* -1: no trace */
	char *trace_path;
	char *tbuf;         /* whole lines not yet written */
	size_t tbuf_n, tbuf_cap;
	off_t trace_off;    /* bytes of whole lines written */
	int trace_err;      /* negative errno of the failed write, or 0 */
	bool trace_told;    /* that failure was returned once */

	/* a loaded recording */
	uint64_t bias, entry_sp;
	uint64_t stage_first_addr; /* address of stage_at_first, from the file */
	char *prog_path;
	char *file_path;    /* the recording's name, for errors */
	uint8_t *elf;
	size_t elf_size;
	int elf_fd;
};

/* ---- pages -------------------------------------------------------------- */

static size_t phash_slot(uint64_t addr, size_t cap)
{
	uint64_t h = (addr >> 12) * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 20) & (cap - 1);
}

static struct page *page_find(const struct dbg_timeline *tl, uint64_t addr)
{
	if (!tl->phash_cap)
		return NULL;
	for (size_t i = phash_slot(addr, tl->phash_cap);; i = (i + 1) & (tl->phash_cap - 1)) {
		uint32_t v = tl->phash[i];
		if (!v)
			return NULL;
		if (tl->pages[v - 1].addr == addr)
			return &tl->pages[v - 1];
	}
}

static void phash_put(struct dbg_timeline *tl, uint64_t addr, uint32_t idx)
{
	size_t i = phash_slot(addr, tl->phash_cap);
	while (tl->phash[i])
		i = (i + 1) & (tl->phash_cap - 1);
	tl->phash[i] = idx + 1;
}

/* Add a page (addr aligned, not yet present); base is taken over. */
static struct page *page_add(struct dbg_timeline *tl, uint64_t addr, uint8_t *base)
{
	if (base && all_zero(base, PAGE)) {
		free(base);
		base = NULL;
	}
	if ((tl->npages + 1) * 2 > tl->phash_cap) {
		size_t cap = tl->phash_cap ? tl->phash_cap * 2 : 1024;
		free(tl->phash);
		tl->phash = calloc(cap, sizeof(*tl->phash));
		if (!tl->phash)
			abort();
		tl->phash_cap = cap;
		for (size_t i = 0; i < tl->npages; i++)
			phash_put(tl, tl->pages[i].addr, (uint32_t)i);
	}
	if (tl->npages == tl->pages_cap) {
		tl->pages_cap = tl->pages_cap ? tl->pages_cap * 2 : 256;
		tl->pages = dbg_xrealloc(tl->pages, tl->pages_cap * sizeof(*tl->pages));
	}
	struct page *p = &tl->pages[tl->npages];
	*p = (struct page){ .addr = addr, .base = base, .view = NULL, .cur = base };
	phash_put(tl, addr, (uint32_t)tl->npages);
	tl->npages++;
	if (base)
		tl->page_bytes += PAGE;
	return p;
}

static void views_clear(struct dbg_timeline *tl)
{
	for (size_t i = 0; i < tl->nviews; i++) {
		struct page *p = &tl->pages[tl->views[i]];
		free(p->view);
		p->view = NULL;
	}
	tl->nviews = 0;
}

static void pages_clear(struct dbg_timeline *tl)
{
	views_clear(tl);
	for (size_t i = 0; i < tl->npages; i++) {
		if (tl->pages[i].cur != tl->pages[i].base)
			free(tl->pages[i].cur);
		free(tl->pages[i].base);
	}
	tl->npages = 0;
	tl->page_bytes = 0;
	if (tl->phash)
		memset(tl->phash, 0, tl->phash_cap * sizeof(*tl->phash));
}

/* The page's contents at step last, its own copy, to be changed. */
static uint8_t *cur_own(struct page *pg)
{
	if (pg->cur && pg->cur != pg->base)
		return pg->cur;
	uint8_t *c = dbg_xrealloc(NULL, PAGE);
	if (pg->cur)
		memcpy(c, pg->cur, PAGE);
	else
		memset(c, 0, PAGE);
	pg->cur = c;
	return c;
}


static bool in_zero(const struct dbg_timeline *tl, uint64_t addr)
{
	for (size_t i = 0; i < tl->nzero; i++)
		if (addr >= tl->zero[i].addr && addr - tl->zero[i].addr < tl->zero[i].len)
			return true;
	return false;
}

static void zero_add(struct dbg_timeline *tl, uint64_t addr, uint64_t len)
{
	if (tl->nzero == tl->zero_cap) {
		tl->zero_cap = tl->zero_cap ? tl->zero_cap * 2 : 16;
		tl->zero = dbg_xrealloc(tl->zero, tl->zero_cap * sizeof(*tl->zero));
	}
	tl->zero[tl->nzero++] = (struct region){ addr, len };
}

/* ---- lifecycle ---------------------------------------------------------- */

int dbg_tl_new(struct dbg_timeline **out, struct dbg_err *err)
{
	struct dbg_timeline *tl = calloc(1, sizeof(*tl));
	if (!tl)
		return dbg_err_errno(err, -ENOMEM, "cannot create the timeline");
	tl->enabled = true;
	tl->limit = DBG_TL_DEFAULT_LIMIT;
	tl->elf_fd = -1;
	tl->trace_fd = -1;
	tl->stage_at_first = -1;
	*out = tl;
	return 0;
}

/* Forget the record and the base state. */
static void clear(struct dbg_timeline *tl)
{
	pages_clear(tl);
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
}

void dbg_tl_free(struct dbg_timeline *tl)
{
	if (!tl)
		return;
	clear(tl);
	dbg_tl_trace_close(tl, NULL);
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
	free(tl->run_stages);
	free(tl->jumps);
	free(tl->jbuf);
	free(tl->pm);
	free(tl->jaddrs);
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

void dbg_tl_set_enabled(struct dbg_timeline *tl, bool on)
{
	if (tl->from_file)
		return;
	if (!on) {
		clear(tl);
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

uint64_t dbg_tl_view(const struct dbg_timeline *tl) { return tl->view; }
const struct dbg_regs *dbg_tl_regs(const struct dbg_timeline *tl) { return &tl->view_regs; }
pid_t dbg_tl_tid(const struct dbg_timeline *tl) { return tl->view_tid; }
const struct dbg_stop *dbg_tl_last_stop(const struct dbg_timeline *tl) { return &tl->view_stop; }
uint64_t dbg_tl_bias(const struct dbg_timeline *tl) { return tl->bias; }
uint64_t dbg_tl_entry_sp(const struct dbg_timeline *tl) { return tl->entry_sp; }
bool dbg_tl_from_file(const struct dbg_timeline *tl) { return tl->from_file; }

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
}

/* The last stage reached at or before step. */
static int stage_at(const struct dbg_timeline *tl, uint64_t step)
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
	return stage_at(tl, tl->view);
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
	if (i >= tl->nstages || tl->stage_first[i] == NOT_REACHED ||
	    tl->stage_first[i] > tl->view)
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
		if (j != i && dbg_tl_stage_reached(tl, j, NULL) && tl->stage_seq[j] < tl->stage_seq[i])
			rank++;
	return rank;
}

/* Stage `stage` reached at step (shown as `shown`: the step before a free
 * run for the stages it passed). */
static void hit_add(struct dbg_timeline *tl, uint64_t step, int stage, uint64_t shown, bool exact)
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

static void thr_add(struct dbg_timeline *tl, const struct thr *t)
{
	if (tl->nthr == tl->thr_cap) {
		tl->thr_cap = tl->thr_cap ? tl->thr_cap * 2 : 16;
		tl->thr = dbg_xrealloc(tl->thr, tl->thr_cap * sizeof(*tl->thr));
	}
	tl->thr[tl->nthr++] = *t;
}

static void tsnap_add(struct dbg_timeline *tl, uint64_t step, size_t off, size_t n)
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
static void threads_note(struct dbg_timeline *tl, struct dbg_target *t, uint64_t step)
{
	size_t n = dbg_target_threads(t, NULL, 0);
	struct dbg_thread_info *v = dbg_xrealloc(NULL, (n ? n : 1) * sizeof(*v));
	n = dbg_target_threads(t, v, n);
	size_t off = tl->nthr;
	for (size_t i = 0; i < n; i++)
		thr_add(tl, &(struct thr){ v[i].tid, v[i].rip, v[i].fs_base, v[i].syscall });
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
	tsnap_add(tl, step, off, n);
}

int dbg_tl_threads(struct dbg_timeline *tl, struct dbg_target *t,
		   struct dbg_thread_info *out, size_t max)
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
				.tid = th.tid, .rip = th.rip, .fs_base = th.fs_base,
				.current = th.tid == tl->view_tid, .syscall = th.syscall,
			};
			if (th.fs_base < 8 ||
			    dbg_tl_read(tl, t, th.fs_base - 8, &out[k].g, sizeof(out[k].g), NULL) < 0)
				out[k].g = 0;
		}
		k++;
	}
	if (!seen) {
		if (k < max) {
			out[k] = (struct dbg_thread_info){
				.tid = self.tid, .rip = self.rip, .fs_base = self.fs_base, .current = true,
				.syscall = -1,
			};
			if (self.fs_base < 8 ||
			    dbg_tl_read(tl, t, self.fs_base - 8, &out[k].g, sizeof(out[k].g), NULL) < 0)
				out[k].g = 0;
		}
		k++;
	}
	return (int)k;
}

static pid_t live_pid(const struct dbg_target *t) { return t->live ? t->pt.pid : 0; }

static void stages_init(struct dbg_timeline *tl, struct dbg_target *t, bool from_session)
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

/* ---- the record ring ---------------------------------------------------- */

static uint64_t rec_end(const struct dbg_timeline *tl) { return tl->rbase + tl->rtail; }
static uint64_t rec_start(const struct dbg_timeline *tl) { return tl->rbase + tl->rhead; }

/* The frame starting at logical position pos: its body and the position
 * after it. Frames are [uv L][body][uv L, bytes reversed]. */
static int frame_fwd(const struct dbg_timeline *tl, uint64_t pos, const uint8_t **body,
		     size_t *len, uint64_t *next)
{
	struct rd r = { tl->rec + (pos - tl->rbase), tl->rec + tl->rtail, false };
	const uint8_t *p0 = r.p;
	uint64_t l = rd_uv(&r);
	size_t nh = (size_t)(r.p - p0);
	const uint8_t *b = rd_bytes(&r, l);
	const uint8_t *t = r.bad ? NULL : rd_bytes(&r, nh);
	if (r.bad || !t)
		return -EINVAL;
	/* the trailing copy is what frame_back reads: it must agree */
	for (size_t i = 0; i < nh; i++)
		if (t[i] != p0[nh - 1 - i])
			return -EINVAL;
	*body = b;
	*len = (size_t)l;
	*next = pos + nh + l + nh;
	return 0;
}

/* The frame ending at logical position pos. */
static int frame_back(const struct dbg_timeline *tl, uint64_t pos, const uint8_t **body,
		      size_t *len, uint64_t *start)
{
	const uint8_t *lo = tl->rec + tl->rhead, *q = tl->rec + (pos - tl->rbase);
	uint64_t l = 0;
	unsigned shift = 0;
	size_t nt = 0;
	uint8_t b;
	do {
		if (q <= lo || shift >= 64)
			return -EINVAL;
		b = *--q;
		l |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		nt++;
	} while (b & 0x80);
	if ((uint64_t)(q - lo) < l + nt)
		return -EINVAL;
	*body = q - l;
	*len = (size_t)l;
	*start = pos - nt - l - nt;
	return 0;
}

static uint8_t *materialize(struct dbg_timeline *tl, struct dbg_target *t, struct page *pg)
{
	if (pg->view)
		return pg->view;
	uint8_t *buf = dbg_xrealloc(NULL, PAGE);
	struct dbg_read v = { pg->addr, buf, PAGE };
	if (!tl->has_process || dbg_target_readv(t, &v, 1, NULL) < 0) {
		if (pg->base)
			memcpy(buf, pg->base, PAGE);
		else
			memset(buf, 0, PAGE);
	}
	if (tl->nviews == tl->views_cap) {
		tl->views_cap = tl->views_cap ? tl->views_cap * 2 : 64;
		tl->views = dbg_xrealloc(tl->views, tl->views_cap * sizeof(*tl->views));
	}
	tl->views[tl->nviews++] = (uint32_t)(pg - tl->pages);
	pg->view = buf;
	return buf;
}

/* What xor_mem changes: the view, the base image (x XORed into them), or
 * the state at step last (x copied into it). */
enum target { TG_VIEW, TG_BASE, TG_CUR };

static void xor_mem(struct dbg_timeline *tl, struct dbg_target *t, enum target tg,
		    uint64_t addr, const uint8_t *x, size_t n)
{
	while (n) {
		uint64_t pa = addr & PAGE_MASK;
		size_t off = (size_t)(addr - pa), k = PAGE - off < n ? PAGE - off : n;
		struct page *pg = page_find(tl, pa);
		if (!pg)
			pg = page_add(tl, pa, NULL);
		uint8_t *dst;
		if (tg == TG_CUR) {
			memcpy(cur_own(pg) + off, x, k);
			addr += k;
			x += k;
			n -= k;
			continue;
		}
		if (tg == TG_VIEW) {
			dst = materialize(tl, t, pg);
		} else {
			if (pg->cur == pg->base && pg->base)
				cur_own(pg); /* the base changes, step last does not */
			if (!pg->base) {
				pg->base = calloc(1, PAGE);
				if (!pg->base)
					abort();
				tl->page_bytes += PAGE;
			}
			dst = pg->base;
		}
		for (size_t i = 0; i < k; i++)
			dst[off + i] ^= x[i];
		addr += k;
		x += k;
		n -= k;
	}
}

/*
 * The register part of a record body, applied to regs and tid forward
 * (dir 1: state k-1 becomes k) or backward (dir -1). Registers are stored
 * as old XOR new, rip as a difference. *rsp0 receives rsp before the step,
 * the base of the write addresses that follow in r.
 */
static int body_regs(struct rd *r, struct dbg_regs *regs, pid_t *tid, int dir, uint8_t *flags,
		     uint64_t *rsp0)
{
	*flags = rd_u8(r);
	int64_t drip = unzz(rd_uv(r));
	uint8_t nregs = rd_u8(r);
	*rsp0 = regs->rsp;
	for (uint8_t k = 0; k < nregs && !r->bad; k++) {
		uint8_t idx = rd_u8(r);
		uint64_t x = rd_uv(r);
		if (idx >= NREGS || idx == RIP)
			return -EINVAL;
		words(regs)[idx] ^= x;
	}
	regs->rip += dir > 0 ? (uint64_t)drip : (uint64_t)-drip;
	if (dir < 0)
		*rsp0 = regs->rsp;
	if (*flags & F_TID)
		*tid ^= (pid_t)rd_uv(r);
	return r->bad ? -EINVAL : 0;
}

/* Apply one record body to the view or the base state (memory as old XOR
 * new at rsp0-relative addresses). */
static int apply(struct dbg_timeline *tl, struct dbg_target *t, const uint8_t *body,
		 size_t len, int dir, enum target tg)
{
	struct dbg_regs *regs = tg == TG_VIEW ? &tl->view_regs : &tl->base_regs;
	pid_t *tid = tg == TG_VIEW ? &tl->view_tid : &tl->base_tid;
	struct dbg_regs nregs = *regs;
	pid_t ntid = *tid;
	struct rd r = { body, body + len, false };
	uint8_t flags;
	uint64_t rsp0;
	if (body_regs(&r, &nregs, &ntid, dir, &flags, &rsp0) < 0)
		return -EINVAL;
	/* a damaged record changes nothing: check it whole first */
	struct rd w = r;
	uint64_t nw = 0;
	if (flags & F_MEM) {
		nw = rd_uv(&r);
		for (uint64_t k = 0; k < nw && !r.bad; k++) {
			uint64_t addr = rsp0 + (uint64_t)unzz(rd_uv(&r));
			uint64_t n = rd_uv(&r);
			if (rd_bytes(&r, n) && addr + n < addr)
				r.bad = true;
		}
	}
	if (r.bad || r.p != r.end)
		return -EINVAL;
	*regs = nregs;
	*tid = ntid;
	if (flags & F_MEM) {
		rd_uv(&w);
		for (uint64_t k = 0; k < nw; k++) {
			uint64_t addr = rsp0 + (uint64_t)unzz(rd_uv(&w));
			uint64_t n = rd_uv(&w);
			xor_mem(tl, t, tg, addr, rd_bytes(&w, n), (size_t)n);
		}
	}
	return 0;
}

/* Fold the oldest record into the base image. */
static void drop_oldest(struct dbg_timeline *tl)
{
	const uint8_t *body;
	size_t len;
	uint64_t next;
	if (frame_fwd(tl, rec_start(tl), &body, &len, &next) < 0 ||
	    apply(tl, NULL, body, len, 1, TG_BASE) < 0)
		abort(); /* records made by this process: a bug, not bad input */
	tl->rhead = (size_t)(next - tl->rbase);
	tl->first++;
	tl->dropped++;
	if (tl->view < tl->first) {
		tl->view = tl->first;
		tl->view_pos = rec_start(tl);
	}
}

/* Room for need more bytes at the tail, within the limit: the oldest
 * records go in bulk (an eighth of the limit) so compaction stays rare. */
static void make_room(struct dbg_timeline *tl, size_t need)
{
	if (tl->rtail - tl->rhead + need > tl->limit) {
		size_t target = tl->limit - tl->limit / 8;
		while (tl->rhead < tl->rtail && tl->rtail - tl->rhead + need > target)
			drop_oldest(tl);
	}
	if (tl->rtail + need <= tl->rcap)
		return;
	if (tl->rhead) {
		memmove(tl->rec, tl->rec + tl->rhead, tl->rtail - tl->rhead);
		tl->rbase += tl->rhead;
		tl->rtail -= tl->rhead;
		tl->rhead = 0;
		if (tl->rtail + need <= tl->rcap)
			return;
	}
	size_t want = tl->rtail + need;
	size_t cap = tl->rcap ? tl->rcap * 2 : (size_t)64 << 10;
	if (cap < want)
		cap = want;
	if (cap > tl->limit && tl->limit >= want)
		cap = tl->limit;
	tl->rec = dbg_xrealloc(tl->rec, cap);
	tl->rcap = cap;
}

static void append_frame(struct dbg_timeline *tl, const uint8_t *body, size_t n)
{
	uint8_t hdr[10];
	size_t nh = put_uv(hdr, n);
	make_room(tl, nh + n + nh);
	uint8_t *p = tl->rec + tl->rtail;
	memcpy(p, hdr, nh);
	memcpy(p + nh, body, n);
	for (size_t i = 0; i < nh; i++)
		p[nh + n + i] = hdr[nh - 1 - i];
	tl->rtail += nh + n + nh;
}

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
	if (dbg_proc_maps(live_pid(t), &maps, &n, NULL) < 0)
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
			bool untouched = anon && dbg_proc_pagemap(live_pid(t), a, np, pm, NULL) == 0;
			for (size_t k = 0; untouched && k < np; k++)
				untouched = !(pm[k] & (DBG_PM_PRESENT | DBG_PM_SWAPPED));
			if (untouched) {
				for (size_t k = 0; k < np; k++)
					if (!page_find(tl, a + k * PAGE))
						page_add(tl, a + k * PAGE, NULL);
				a += len;
				continue;
			}
			struct dbg_read v = { a, buf, (size_t)len };
			bool whole = dbg_target_readv(t, &v, 1, NULL) == 0;
			for (uint64_t off = 0; off < len; off += PAGE) {
				struct dbg_read pv = { a + off, buf + off, PAGE };
				if (page_find(tl, a + off))
					continue;
				if (!whole && dbg_target_readv(t, &pv, 1, NULL) < 0)
					continue;
				uint8_t *copy = NULL;
				if (!all_zero(buf + off, PAGE)) {
					copy = dbg_xrealloc(NULL, PAGE);
					memcpy(copy, buf + off, PAGE);
				}
				page_add(tl, a + off, copy);
			}
			a += len;
			total += len;
		}
	}
	free(buf);
}

static void restart(struct dbg_timeline *tl, struct dbg_target *t,
		    const struct dbg_regs *r, pid_t tid)
{
	clear(tl);
	tl->gap = false;
	tl->has_process = true;
	tl->from_file = false;
	tl->first = tl->last = tl->view = t->steps;
	tl->base_regs = tl->last_regs = tl->view_regs = *r;
	tl->base_tid = tl->last_tid = tl->view_tid = tid;
	tl->view_pos = rec_end(tl);
	stages_init(tl, t, true);
	tl->stage_at_first = t->cur_stage;
	tl->entry_sp = t->entry_sp;
	tl->bias = dbg_elf_bias(t->elf);
	snapshot(tl, t);
	threads_note(tl, t, tl->first);
	tl->started = true;
}

void dbg_tl_on_start(struct dbg_timeline *tl, struct dbg_target *t)
{
	(void)t;
	if (tl->from_file)
		return;
	views_clear(tl);
	tl->offline_view = false;
	tl->has_process = true;
	tl->gap = true;
}

void dbg_tl_on_exec(struct dbg_timeline *tl)
{
	if (tl->from_file)
		return;
	clear(tl);
	tl->gap = true;
	/* the instructions decoded so far belong to the other program */
	free(tl->dcache);
	tl->dcache = NULL;
	tl->dcache_cap = tl->dcache_n = 0;
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
	views_clear(tl);
	if (tl->gap || !tl->started) {
		clear(tl);
		return;
	}
	/* The base image is the reference from now on; the view is rebuilt
	 * from it when history is entered. */
	tl->offline_view = false;
	tl->view = tl->first;
	tl->view_pos = rec_start(tl);
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
	if (dbg_proc_maps(live_pid(t), &maps, &n, NULL) < 0)
		return;
	const struct dbg_map *m = dbg_proc_map_at(maps, n, addr);
	if (m) {
		if (!in_zero(tl, addr))
			zero_add(tl, m->start, m->end - m->start);
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

static size_t dslot(uint64_t pc, size_t cap)
{
	return (size_t)((pc * 0x9e3779b97f4a7c15ull) >> 24) & (cap - 1);
}

static bool mnem_is(const char *m, const char *prefix)
{
	return strncmp(m, prefix, strlen(prefix)) == 0;
}

/* Instructions whose memory operand is only read even where AT&T puts it
 * last (the destination place). */
static bool only_reads(const char *m)
{
#define R(s) { s, sizeof(s) - 1 }
	static const struct {
		const char *s;
		size_t n;
	} readers[] = {
		R("test"), R("ucomis"), R("comis"), R("vucomis"), R("vcomis"), R("ptest"),
		R("vptest"), R("push"), R("mul"), R("imul"), R("div"), R("idiv"), R("fld"),
		R("fild"), R("fbld"), R("ldmxcsr"), R("vldmxcsr"), R("fldcw"), R("fldenv"),
		R("frstor"), R("fxrstor"), R("xrstor"), R("clflush"), R("prefetch"), R("lea"),
		R("nop"), R("scas"), R("lgdt"), R("lidt"), R("lldt"), R("ltr"), R("verr"),
		R("verw"), R("fcom"), R("ficom"), R("fucom"), R("fadd"), R("fiadd"), R("fsub"),
		R("fisub"), R("fmul"), R("fimul"), R("fdiv"), R("fidiv"),
	};
#undef R
	if (mnem_is(m, "cmp"))
		return !mnem_is(m, "cmpxchg");
	if (m[0] == 'b' && m[1] == 't' && (!m[2] || (strchr("wlq", m[2]) && !m[3])))
		return true; /* bt; bts, btr and btc write */
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (m[0] == readers[i].s[0] && strncmp(m, readers[i].s, readers[i].n) == 0)
			return true;
	return false;
}

/*
 * What one instruction may write, from its decoded form. capstone 4's
 * access flags miss many stores (cmpxchg, stos, SSE and AVX stores), so a
 * memory operand in the destination place counts as written unless the
 * instruction only reads it; a write that changes nothing costs a read
 * and is not stored.
 */
static void decode_insn(const struct dbg_insn *in, struct dec *d)
{
	memset(d, 0, sizeof(*d));
	d->pc = in->addr;
	d->size = in->size;
	memcpy(d->bytes, in->bytes, sizeof(d->bytes));
	if (in->is_syscall)
		d->flags |= D_SYSCALL;
	/* capstone keeps prefixes in the mnemonic: "rep stosq", "lock xaddl" */
	const char *m = strrchr(in->mnemonic, ' ');
	m = m ? m + 1 : in->mnemonic;
	if (in->is_call || mnem_is(m, "enter"))
		d->push = 8;
	else if (mnem_is(m, "push"))
		d->push = strcmp(m, "pushw") == 0 ? 2 : 8;
	bool reads = in->is_call || in->is_jump || only_reads(m);
	bool no_access = mnem_is(m, "lea") || mnem_is(m, "nop") || mnem_is(m, "prefetch");
	for (uint8_t i = 0; i < in->nops && !no_access; i++) {
		const struct dbg_operand *op = &in->op[i];
		if (op->type != DBG_OP_MEM)
			continue;
		if (!op->write && (reads || i + 1 != in->nops))
			continue;
		if (op->mem.base == DBG_REG_OTHER || op->mem.index == DBG_REG_OTHER) {
			d->flags |= D_UNKNOWN;
			continue;
		}
		if (d->nmem == 4)
			break;
		uint32_t size = op->size ? op->size : 8;
		if (mnem_is(m, "fxsave"))
			size = 512;
		else if (mnem_is(m, "xsave"))
			size = 4096;
		else if (mnem_is(m, "cmpxchg16b"))
			size = 16;
		d->mem[d->nmem++] = (struct dmem){
			.seg = (uint8_t)op->mem.seg, .base = (uint8_t)op->mem.base,
			.index = (uint8_t)op->mem.index, .scale = (uint8_t)op->mem.scale,
			.size = size, .disp = op->mem.disp,
		};
	}
	/* string stores through rdi when capstone lists no operand */
	if (!d->nmem && strlen(m) == 5 && (mnem_is(m, "stos") || mnem_is(m, "movs"))) {
		static const char sfx[] = "bwlqd";
		static const uint8_t sz[] = { 1, 2, 4, 8, 4 };
		const char *k = strchr(sfx, m[4]);
		if (k)
			d->mem[d->nmem++] = (struct dmem){ .base = DBG_REG_RDI, .size = sz[k - sfx] };
	}
}

static const struct dec *decode(struct dbg_timeline *tl, struct dbg_target *t, uint64_t pc)
{
	if (tl->dcache_cap) {
		for (size_t i = dslot(pc, tl->dcache_cap);; i = (i + 1) & (tl->dcache_cap - 1)) {
			if (tl->dcache[i].pc == pc)
				return &tl->dcache[i];
			if (!tl->dcache[i].pc)
				break;
		}
	}
	struct dbg_insn in;
	if (pc == 0 || dbg_target_insn(t, pc, &in) < 0)
		return NULL;
	if ((tl->dcache_n + 1) * 2 > tl->dcache_cap) {
		size_t cap = tl->dcache_cap ? tl->dcache_cap * 2 : 4096;
		struct dec *nc = calloc(cap, sizeof(*nc));
		if (!nc)
			abort();
		for (size_t i = 0; i < tl->dcache_cap; i++) {
			if (!tl->dcache[i].pc)
				continue;
			size_t j = dslot(tl->dcache[i].pc, cap);
			while (nc[j].pc)
				j = (j + 1) & (cap - 1);
			nc[j] = tl->dcache[i];
		}
		free(tl->dcache);
		tl->dcache = nc;
		tl->dcache_cap = cap;
	}
	size_t i = dslot(pc, tl->dcache_cap);
	while (tl->dcache[i].pc)
		i = (i + 1) & (tl->dcache_cap - 1);
	decode_insn(&in, &tl->dcache[i]);
	tl->dcache[i].stage = (int16_t)dbg_stages_at(&t->stages, pc);
	tl->dcache_n++;
	return &tl->dcache[i];
}

/* The stage at pc: from the decode cache when pc was decoded already. */
static int stage_of(const struct dbg_timeline *tl, struct dbg_target *t, uint64_t pc)
{
	if (tl->dcache_cap)
		for (size_t i = dslot(pc, tl->dcache_cap);; i = (i + 1) & (tl->dcache_cap - 1)) {
			if (tl->dcache[i].pc == pc)
				return tl->dcache[i].stage;
			if (!tl->dcache[i].pc)
				break;
		}
	return dbg_stages_at(&t->stages, pc);
}

static bool reg_value(const struct dbg_regs *r, uint8_t reg, uint64_t next_pc, uint64_t *v)
{
	if (reg == DBG_REG_NONE)
		*v = 0;
	else if (reg >= DBG_REG_RAX && reg <= DBG_REG_R15)
		*v = cwords(r)[reg - DBG_REG_RAX];
	else if (reg == DBG_REG_RIP)
		*v = next_pc;
	else
		return false;
	return true;
}

static void add_range(struct dbg_timeline *tl, uint64_t addr, uint64_t len, bool syscall)
{
	/* none in the kernel's half: such a write faults (and a page loop
	 * over the last page would wrap around) */
	if (!len || len > MAX_RANGE || addr + len < addr || addr + len > (uint64_t)1 << 63)
		return;
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
		.addr = addr, .len = (uint32_t)len, .off = (uint32_t)tl->scratch_len, .syscall = syscall,
	};
	tl->scratch_len += len;
}

/* User buffers the kernel fills, by system call: args[ptr] for
 * len + args[len_arg] * mul bytes (len_arg -1: len only). */
static const struct {
	uint16_t nr;
	int8_t ptr, len_arg;
	uint16_t len, mul;
} sc_bufs[] = {
	{ 0, 1, 2, 0, 1 },      /* read(fd, buf, count) */
	{ 4, 1, -1, 144, 0 },   /* stat(path, st) */
	{ 5, 1, -1, 144, 0 },   /* fstat(fd, st) */
	{ 6, 1, -1, 144, 0 },   /* lstat(path, st) */
	{ 7, 0, 1, 0, 8 },      /* poll(fds, nfds, timeout) */
	{ 13, 2, 3, 24, 1 },    /* rt_sigaction(sig, act, oact, sigsetsize) */
	{ 14, 2, 3, 0, 1 },     /* rt_sigprocmask(how, set, oset, sigsetsize) */
	{ 17, 1, 2, 0, 1 },     /* pread64(fd, buf, count, off) */
	{ 22, 0, -1, 8, 0 },    /* pipe(fds) */
	{ 35, 1, -1, 16, 0 },   /* nanosleep(req, rem) */
	{ 61, 1, -1, 4, 0 },    /* wait4(pid, status, options, rusage) */
	{ 61, 3, -1, 144, 0 },
	{ 63, 0, -1, 390, 0 },  /* uname(buf) */
	{ 79, 0, 1, 0, 1 },     /* getcwd(buf, size) */
	{ 89, 1, 2, 0, 1 },     /* readlink(path, buf, size) */
	{ 96, 0, -1, 16, 0 },   /* gettimeofday(tv, tz) */
	{ 97, 1, -1, 16, 0 },   /* getrlimit(resource, rlim) */
	{ 98, 1, -1, 144, 0 },  /* getrusage(who, usage) */
	{ 131, 1, -1, 24, 0 },  /* sigaltstack(ss, old) */
	{ 204, 2, 1, 0, 1 },    /* sched_getaffinity(pid, len, mask) */
	{ 228, 1, -1, 16, 0 },  /* clock_gettime(clock, tp) */
	{ 229, 1, -1, 16, 0 },  /* clock_getres(clock, res) */
	{ 230, 3, -1, 16, 0 },  /* clock_nanosleep(clock, flags, req, rem) */
	{ 232, 1, 2, 0, 12 },   /* epoll_wait(epfd, events, max, timeout) */
	{ 262, 2, -1, 144, 0 }, /* newfstatat(dirfd, path, st, flags) */
	{ 267, 2, 3, 0, 1 },    /* readlinkat(dirfd, path, buf, size) */
	{ 281, 1, 2, 0, 12 },   /* epoll_pwait(epfd, events, max, …) */
	{ 293, 0, -1, 8, 0 },   /* pipe2(fds, flags) */
	{ 302, 3, -1, 16, 0 },  /* prlimit64(pid, resource, new, old) */
	{ 318, 0, 1, 0, 1 },    /* getrandom(buf, len, flags) */
	{ 332, 4, -1, 256, 0 }, /* statx(dirfd, path, flags, mask, buf) */
};

enum {
	SYS_MMAP = 9, SYS_MADVISE = 28, SYS_CLONE = 56, SYS_ARCH_PRCTL = 158,
	ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004, MAP_ANON_FLAG = 0x20, MAP_FIXED_FLAG = 0x10,
	MADV_DONTNEED_ADVICE = 4, MADV_REMOVE_ADVICE = 9,
	CLONE_PARENT_SETTID_FLAG = 0x00100000, CLONE_CHILD_SETTID_FLAG = 0x01000000,
};

static void syscall_ranges(struct dbg_timeline *tl, const struct dbg_regs *r)
{
	uint64_t *a = tl->sc_args;
	tl->sc_nr = r->rax;
	a[0] = r->rdi;
	a[1] = r->rsi;
	a[2] = r->rdx;
	a[3] = r->r10;
	a[4] = r->r8;
	a[5] = r->r9;
	for (size_t i = 0; i < sizeof(sc_bufs) / sizeof(sc_bufs[0]); i++) {
		if (sc_bufs[i].nr != tl->sc_nr || !a[sc_bufs[i].ptr])
			continue;
		uint64_t len = sc_bufs[i].len;
		if (sc_bufs[i].len_arg >= 0) {
			uint64_t v = a[sc_bufs[i].len_arg];
			if (v > MAX_RANGE)
				v = MAX_RANGE;
			len += v * sc_bufs[i].mul;
		}
		add_range(tl, a[sc_bufs[i].ptr], len > MAX_RANGE ? MAX_RANGE : len, true);
	}
	if (tl->sc_nr == SYS_ARCH_PRCTL && (a[0] == ARCH_GET_FS || a[0] == ARCH_GET_GS) && a[1])
		add_range(tl, a[1], 8, true);
	/* a mapping over existing memory, or pages dropped, read as zeros
	 * afterwards (the first MAX_RANGE bytes are recorded) */
	if ((tl->sc_nr == SYS_MMAP && (a[3] & MAP_FIXED_FLAG)) ||
	    (tl->sc_nr == SYS_MADVISE && (a[2] == MADV_DONTNEED_ADVICE || a[2] == MADV_REMOVE_ADVICE)))
		add_range(tl, a[0], a[1] > MAX_RANGE ? MAX_RANGE : a[1], true);
	if (tl->sc_nr == SYS_CLONE) {
		if ((a[0] & CLONE_PARENT_SETTID_FLAG) && a[2])
			add_range(tl, a[2], 4, true);
		if ((a[0] & CLONE_CHILD_SETTID_FLAG) && a[3])
			add_range(tl, a[3], 4, true);
	}
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

/* Read tl->iov[0..n) from the live process; iov_ok says which worked. */
static void read_iov(struct dbg_timeline *tl, struct dbg_target *t, size_t n)
{
	if (dbg_target_readv(t, tl->iov, n, NULL) == 0) {
		for (size_t i = 0; i < n; i++)
			tl->iov_ok[i] = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		tl->iov_ok[i] = dbg_target_readv(t, &tl->iov[i], 1, NULL) == 0;
}

/* The first n known pages, into buf (n * PAGE); unreadable ones as zeros. */
static void scan_read(struct dbg_timeline *tl, struct dbg_target *t, uint8_t *buf, size_t n)
{
	iov_reserve(tl, n);
	for (size_t i = 0; i < n; i++)
		tl->iov[i] = (struct dbg_read){ tl->pages[i].addr, buf + i * PAGE, PAGE };
	read_iov(tl, t, n);
	for (size_t i = 0; i < n; i++)
		if (!tl->iov_ok[i])
			memset(buf + i * PAGE, 0, PAGE);
}

static bool newpage_listed(const struct dbg_timeline *tl, uint64_t pa)
{
	for (size_t i = 0; i < tl->nnew; i++)
		if (tl->newpages[i].addr == pa)
			return true;
	return false;
}

/* ---- recording ---------------------------------------------------------- */

void dbg_tl_before_step(struct dbg_timeline *tl, struct dbg_target *t,
			const struct dbg_regs *r, pid_t tid)
{
	tl->pending = false;
	if (!tl->enabled || tl->from_file)
		return;
	if (!tl->started || tl->gap || !tl->has_process)
		restart(tl, t, r, tid);
	if (tl->view != tl->last)
		return;
	tl->pre_rip = r->rip;
	tl->pre_rsp = r->rsp;
	tl->nranges = tl->nnew = 0;
	tl->scratch_len = 0;
	tl->scan = false;
	const struct dec *d = decode(tl, t, r->rip);
	tl->pre_dec = d;
	if (d) {
		uint64_t next = r->rip + d->size;
		if (d->push)
			add_range(tl, r->rsp - d->push, d->push, false);
		for (uint8_t i = 0; i < d->nmem; i++) {
			const struct dmem *m = &d->mem[i];
			uint64_t b, x;
			if (!reg_value(r, m->base, next, &b) || !reg_value(r, m->index, next, &x))
				continue;
			uint64_t ea = b + x * m->scale + (uint64_t)m->disp;
			if (m->seg == DBG_REG_FS)
				ea += r->fs_base;
			else if (m->seg == DBG_REG_GS)
				ea += r->gs_base;
			add_range(tl, ea, m->size, false);
		}
		if (d->flags & D_SYSCALL)
			syscall_ranges(tl, r);
	}
	/* other threads run while this one is in a system call, or all the
	 * time without scheduler locking */
	if ((d && (d->flags & D_SYSCALL)) || t->sched_lock == DBG_SCHED_LOCK_OFF)
		tl->scan = dbg_target_threads(t, NULL, 0) > 1;
	/* pages written for the first time: their contents now are their
	 * contents at step first */
	for (size_t i = 0; i < tl->nranges; i++) {
		const struct range *rg = &tl->ranges[i];
		for (uint64_t pa = rg->addr & PAGE_MASK; pa < rg->addr + rg->len; pa += PAGE) {
			if (page_find(tl, pa) || newpage_listed(tl, pa))
				continue;
			if (tl->nnew == tl->new_cap) {
				tl->new_cap = tl->new_cap ? tl->new_cap * 2 : 8;
				tl->newpages = dbg_xrealloc(tl->newpages, tl->new_cap * sizeof(*tl->newpages));
			}
			tl->newpages[tl->nnew++] = (struct newpage){ pa, dbg_xrealloc(NULL, PAGE), false };
		}
	}
	size_t n = tl->nranges + tl->nnew;
	if (!n)
		goto scan;
	iov_reserve(tl, n);
	for (size_t i = 0; i < tl->nranges; i++)
		tl->iov[i] = (struct dbg_read){ tl->ranges[i].addr, tl->old + tl->ranges[i].off,
						tl->ranges[i].len };
	for (size_t i = 0; i < tl->nnew; i++)
		tl->iov[tl->nranges + i] = (struct dbg_read){ tl->newpages[i].addr, tl->newpages[i].buf, PAGE };
	read_iov(tl, t, n);
	for (size_t i = 0; i < tl->nranges; i++)
		tl->ranges[i].old_ok = tl->iov_ok[i];
	for (size_t i = 0; i < tl->nnew; i++) {
		uint64_t pa = tl->newpages[i].addr;
		if (!tl->iov_ok[tl->nranges + i]) {
			free(tl->newpages[i].buf);
			continue;
		}
		page_add(tl, pa, tl->newpages[i].buf);
		/* outside what was mapped at the start: the stack grew (reading
		 * it may grow it) or a mapping appeared */
		if (!in_zero(tl, pa) && !dbg_proc_map_at(tl->maps, tl->nmaps, pa))
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

/* Encode the step from the last recorded state (last_regs: the thread
 * stepped before may not be this one) to r with the changes collected. */
static size_t encode(struct dbg_timeline *tl, const struct dbg_regs *r, pid_t tid,
		     uint64_t *nwrites)
{
	size_t bound = 1 + 10 + 1 + NREGS * 11 + 10 + 10;
	for (size_t i = 0; i < tl->nchanges; i++)
		bound += 20 + tl->changes[i].n;
	body_reserve(tl, bound);
	uint8_t *b = tl->body;
	const uint64_t *o = cwords(&tl->last_regs), *w = cwords(r);
	uint8_t flags = 0, nregs = 0;
	size_t n = 1;
	n += put_uv(b + n, zz((int64_t)(r->rip - tl->last_regs.rip)));
	size_t at = n++;
	/* rax .. eflags change often; segments, bases and orig_rax rarely */
	uint32_t changed = 0;
	for (uint8_t i = 0; i < 18; i++)
		changed |= (uint32_t)(o[i] != w[i]) << i;
	if (memcmp(o + 18, w + 18, (NREGS - 18) * 8) != 0)
		for (uint8_t i = 18; i < NREGS; i++)
			changed |= (uint32_t)(o[i] != w[i]) << i;
	changed &= ~(1u << RIP);
	while (changed) {
		uint8_t i = (uint8_t)__builtin_ctz(changed);
		changed &= changed - 1;
		b[n++] = i;
		n += put_uv(b + n, o[i] ^ w[i]);
		nregs++;
	}
	b[at] = nregs;
	if (tid != tl->last_tid) {
		flags |= F_TID;
		n += put_uv(b + n, (uint64_t)(uint32_t)(tid ^ tl->last_tid));
	}
	/* changes sorted and clipped so no byte is stored twice */
	changes_sort(tl->changes, tl->nchanges);
	uint64_t covered = 0, count = 0;
	size_t count_at = n;
	uint8_t tmp[10];
	for (size_t i = 0; i < tl->nchanges; i++) {
		struct change c = tl->changes[i];
		if (i && c.addr < covered) {
			uint64_t skip = covered - c.addr;
			if (skip >= c.n)
				continue;
			c.addr += skip;
			c.old += skip;
			c.new += skip;
			c.n -= (size_t)skip;
		}
		covered = c.addr + c.n;
		size_t lo = 0, hi = c.n;
		while (lo < hi && c.old[lo] == c.new[lo])
			lo++;
		while (hi > lo && c.old[hi - 1] == c.new[hi - 1])
			hi--;
		if (lo == hi)
			continue;
		if (!count)
			n += 10; /* room for the count, moved into place below */
		n += put_uv(b + n, zz((int64_t)(c.addr + lo - tl->last_regs.rsp)));
		n += put_uv(b + n, hi - lo);
		for (size_t k = lo; k < hi; k++)
			b[n++] = c.old[k] ^ c.new[k];
		xor_mem(tl, NULL, TG_CUR, c.addr + lo, c.new + lo, hi - lo);
		count++;
	}
	if (count) {
		flags |= F_MEM;
		size_t k = put_uv(tmp, count);
		memmove(b + count_at + k, b + count_at + 10, n - count_at - 10);
		memcpy(b + count_at, tmp, k);
		n -= 10 - k;
	}
	if (tl->pre_dec && (tl->pre_dec->flags & D_SYSCALL))
		flags |= F_SYSCALL;
	b[0] = flags;
	*nwrites = count;
	return n;
}

static void trace_step(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r);
static int write_all(int fd, const uint8_t *p, size_t n);

void dbg_tl_after_step(struct dbg_timeline *tl, struct dbg_target *t,
		       const struct dbg_regs *r, pid_t tid, bool trapped)
{
	if (!tl->pending)
		return;
	tl->pending = false;
	if (!trapped) {
		/* a signal or an exit instead of a finished step: a state that
		 * changed anyway cannot be told from the record */
		if (r && (r->rip != tl->pre_rip || r->rsp != tl->pre_rsp))
			tl->gap = true;
		return;
	}
	if (tl->nranges) {
		iov_reserve(tl, tl->nranges);
		for (size_t i = 0; i < tl->nranges; i++)
			tl->iov[i] = (struct dbg_read){ tl->ranges[i].addr, tl->new + tl->ranges[i].off,
							tl->ranges[i].len };
		read_iov(tl, t, tl->nranges);
	}
	tl->nchanges = 0;
	for (size_t i = 0; i < tl->nranges; i++) {
		struct range *rg = &tl->ranges[i];
		rg->new_ok = tl->iov_ok[i];
		if (!rg->new_ok)
			continue;
		if (!rg->old_ok) {
			/* memory that did not exist before the step (the stack
			 * grew, a mapping appeared): it was zeros */
			memset(tl->old + rg->off, 0, rg->len);
			for (uint64_t pa = rg->addr & PAGE_MASK; pa < rg->addr + rg->len; pa += PAGE)
				if (!page_find(tl, pa))
					page_add(tl, pa, NULL);
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
			page_diff(tl, tl->pages[i].addr, tl->scan_old + i * PAGE, tl->scan_new + i * PAGE);
	}
	const struct dec *d = tl->pre_dec;
	if (d && (d->flags & D_SYSCALL) && tl->sc_nr == SYS_MMAP && r->rax < (uint64_t)-4095 &&
	    (tl->sc_args[3] & MAP_ANON_FLAG))
		zero_add(tl, r->rax, (tl->sc_args[1] + PAGE - 1) & PAGE_MASK);
	uint64_t nw;
	size_t n = encode(tl, r, tid, &nw);
	append_frame(tl, tl->body, n);
	tl->nwrites += nw;
	tl->last++;
	tl->view = tl->last;
	tl->view_pos = rec_end(tl);
	int st = stage_of(tl, t, r->rip);
	if (st >= 0)
		hit_add(tl, tl->last, st, tl->last, t->steps_exact);
	/* other threads moved, came or went: they run only while the stepped
	 * thread is in a system call (or always, without scheduler locking,
	 * when every step scans) */
	if (tl->scan || (d && (d->flags & D_SYSCALL)))
		threads_note(tl, t, tl->last);
	if (tl->trace_fd >= 0)
		trace_step(tl, t, r);
	/* the view's registers are set when it leaves the live step */
	tl->last_regs = *r;
	tl->last_tid = tid;
}

/* ---- free runs ---------------------------------------------------------- */

static void jump_add(struct dbg_timeline *tl, uint64_t step)
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

void dbg_tl_before_run(struct dbg_timeline *tl, struct dbg_target *t,
		       const struct dbg_regs *r, pid_t tid)
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
		restart(tl, t, r, tid);
	if (tl->view != tl->last)
		return;
	/* with the bits cleared now, the pages the run writes read dirty */
	tl->run_dirty = dbg_proc_softdirty_works() &&
			dbg_proc_clear_softdirty(live_pid(t), NULL) == 0;
	tl->nrun_stages = 0;
	tl->run_pending = true;
}

void dbg_tl_run_stage(struct dbg_timeline *tl, int stage)
{
	if (!tl->run_pending)
		return;
	if (tl->nrun_stages == tl->run_stages_cap) {
		tl->run_stages_cap = tl->run_stages_cap ? tl->run_stages_cap * 2 : 32;
		tl->run_stages = dbg_xrealloc(tl->run_stages, tl->run_stages_cap * sizeof(*tl->run_stages));
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

/*
 * The pages a free run may have changed: with soft-dirty bits, those that
 * read dirty; without them, every page of the writable mappings. A page
 * never populated (neither present nor swapped) reads as zeros, which
 * changes nothing where the record has zeros too.
 */
static void dirty_pages(struct dbg_timeline *tl, pid_t pid, const struct dbg_map *maps, size_t n)
{
	enum { CHUNK = 4096 };
	tl->njaddrs = 0;
	if (tl->pm_cap < CHUNK) {
		tl->pm_cap = CHUNK;
		tl->pm = dbg_xrealloc(tl->pm, CHUNK * sizeof(*tl->pm));
	}
	for (size_t i = 0; i < n; i++) {
		if (skip_map(&maps[i]))
			continue;
		for (uint64_t a = maps[i].start; a < maps[i].end;) {
			size_t np = (size_t)((maps[i].end - a) / PAGE);
			if (np > CHUNK)
				np = CHUNK;
			bool pm_ok = dbg_proc_pagemap(pid, a, np, tl->pm, NULL) == 0;
			for (size_t k = 0; k < np; k++) {
				uint64_t pa = a + k * PAGE, e = pm_ok ? tl->pm[k] : DBG_PM_PRESENT;
				if (tl->run_dirty && pm_ok && !(e & DBG_PM_SOFT_DIRTY))
					continue;
				if (!(e & (DBG_PM_PRESENT | DBG_PM_SWAPPED))) {
					const struct page *pg = page_find(tl, pa);
					if (!pg || !pg->cur)
						continue;
				}
				jaddr_add(tl, pa);
			}
			a += (uint64_t)np * PAGE;
		}
	}
}

void dbg_tl_after_run(struct dbg_timeline *tl, struct dbg_target *t,
		      const struct dbg_regs *r, pid_t tid)
{
	if (!tl->run_pending)
		return;
	tl->run_pending = false;
	if (!tl->has_process || !r)
		return;
	pid_t pid = live_pid(t);
	struct dbg_map *maps;
	size_t nmaps;
	if (dbg_proc_maps(pid, &maps, &nmaps, NULL) < 0) {
		tl->gap = true;
		return;
	}
	dirty_pages(tl, pid, maps, nmaps);
	tl->last_dirty = tl->run_dirty;
	/* read them, as many at a time as one system call takes */
	if (tl->jbuf_cap < tl->njaddrs) {
		tl->jbuf_cap = tl->njaddrs + 64;
		tl->jbuf = dbg_xrealloc(tl->jbuf, tl->jbuf_cap * PAGE);
	}
	iov_reserve(tl, tl->njaddrs);
	for (size_t i = 0; i < tl->njaddrs; i++)
		tl->iov[i] = (struct dbg_read){ tl->jaddrs[i], tl->jbuf + i * PAGE, PAGE };
	read_iov(tl, t, tl->njaddrs);
	static const uint8_t zeros[PAGE];
	tl->nchanges = 0;
	for (size_t i = 0; i < tl->njaddrs; i++) {
		if (!tl->iov_ok[i])
			continue;
		uint64_t pa = tl->jaddrs[i];
		struct page *pg = page_find(tl, pa);
		if (!pg) {
			/* mapped by the run: zeros before it */
			pg = page_add(tl, pa, NULL);
			if (!in_zero(tl, pa) && !dbg_proc_map_at(tl->maps, tl->nmaps, pa)) {
				const struct dbg_map *m = dbg_proc_map_at(maps, nmaps, pa);
				if (m) {
					zero_add(tl, m->start, m->end - m->start);
					tl->maps = dbg_xrealloc(tl->maps, (tl->nmaps + 1) * sizeof(*tl->maps));
					tl->maps[tl->nmaps++] = *m;
				}
			}
		}
		page_diff(tl, pa, pg->cur ? pg->cur : zeros, tl->jbuf + i * PAGE);
	}
	free(maps);
	tl->pre_dec = NULL;
	uint64_t nw;
	size_t n = encode(tl, r, tid, &nw);
	tl->body[0] |= F_JUMP;
	append_frame(tl, tl->body, n);
	tl->nwrites += nw;
	tl->last++;
	tl->view = tl->last;
	tl->view_pos = rec_end(tl);
	jump_add(tl, tl->last);
	/* the stages the run passed, in order, then the one it stopped at */
	int last_st = -1;
	for (size_t i = 0; i < tl->nrun_stages; i++)
		hit_add(tl, tl->last, last_st = tl->run_stages[i], tl->last - 1, false);
	int st = stage_of(tl, t, r->rip);
	if (st >= 0 && st != last_st)
		hit_add(tl, tl->last, st, tl->last - 1, false);
	threads_note(tl, t, tl->last);
	tl->last_regs = *r;
	tl->last_tid = tid;
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

/* ---- the trace ---------------------------------------------------------- */

/* Trace lines are built whole in tbuf and written whole, so a failed write
 * can be cut off at the last complete line. */
enum { TRACE_FLUSH = 64 << 10 };

static void tb_room(struct dbg_timeline *tl, size_t n)
{
	if (tl->tbuf_n + n <= tl->tbuf_cap)
		return;
	size_t cap = tl->tbuf_cap ? tl->tbuf_cap : 2 * TRACE_FLUSH;
	while (cap < tl->tbuf_n + n)
		cap *= 2;
	tl->tbuf = dbg_xrealloc(tl->tbuf, cap);
	tl->tbuf_cap = cap;
}

static void tb_put(struct dbg_timeline *tl, const char *p, size_t n)
{
	tb_room(tl, n);
	memcpy(tl->tbuf + tl->tbuf_n, p, n);
	tl->tbuf_n += n;
}

static void tb_puts(struct dbg_timeline *tl, const char *p) { tb_put(tl, p, strlen(p)); }

static void tb_printf(struct dbg_timeline *tl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void tb_printf(struct dbg_timeline *tl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	tb_room(tl, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(tl->tbuf + tl->tbuf_n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	tl->tbuf_n += (size_t)n;
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0:
 * overlong forms, surrogates and values past U+10FFFF are not valid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp;
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* A JSON string as docs/json.md writes them: valid UTF-8 as is, control
 * characters and DEL escaped, and a byte that is not valid UTF-8 as
 * \u00XX (its Latin-1 reading), so any bytes give valid JSON. */
static void json_str(struct dbg_timeline *tl, const char *str)
{
	const unsigned char *p = (const unsigned char *)str;
	size_t n = strlen(str);
	tb_put(tl, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t l = utf8_len(p + i, n - i);
		if (c == '"' || c == '\\') {
			tb_printf(tl, "\\%c", c);
			i++;
		} else if (c < 0x20 || c == 0x7f || l == 0) {
			tb_printf(tl, "\\u%04x", c);
			i++;
		} else {
			tb_put(tl, str + i, l);
			i += l;
		}
	}
	tb_put(tl, "\"", 1);
}

static void hex(struct dbg_timeline *tl, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	tb_room(tl, 2 * n + 2);
	char *o = tl->tbuf + tl->tbuf_n;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		*o++ = digits[p[i] >> 4];
		*o++ = digits[p[i] & 15];
	}
	*o++ = '"';
	tl->tbuf_n += 2 * n + 2;
}

/* Write the buffered lines. On the first failure the trace stops: what a
 * short write left of a line is cut off (where the file allows), and the
 * error waits for dbg_tl_trace_status. */
static int trace_flush(struct dbg_timeline *tl)
{
	if (tl->trace_fd < 0 || !tl->tbuf_n)
		return tl->trace_err;
	int rc = write_all(tl->trace_fd, (const uint8_t *)tl->tbuf, tl->tbuf_n);
	if (rc < 0) {
		if (ftruncate(tl->trace_fd, tl->trace_off) < 0) {
			/* a device or a pipe: nothing to cut */
		}
		close(tl->trace_fd);
		tl->trace_fd = -1;
		tl->trace_err = rc;
	} else {
		tl->trace_off += (off_t)tl->tbuf_n;
	}
	tl->tbuf_n = 0;
	return rc;
}

static void trace_step(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r)
{
	char sym[256], text[256];
	uint64_t pc = tl->pre_rip;
	tb_printf(tl, "{\"step\":%" PRIu64 ",\"pc\":\"0x%" PRIx64 "\",\"symbol\":", tl->last, pc);
	if (dbg_elf_symbolize(t->elf, pc, sym, sizeof(sym)) < 0)
		tb_puts(tl, "null");
	else
		json_str(tl, sym);
	int st = stage_at(tl, tl->last);
	const struct dbg_stages *stages = &t->stages;
	tb_puts(tl, ",\"stage\":");
	if (st >= 0 && (size_t)st < stages->n)
		json_str(tl, stages->v[st].name);
	else
		tb_puts(tl, "null");
	struct dbg_insn in;
	tb_puts(tl, ",\"insn\":");
	if (tl->pre_dec && dbg_disasm_one(t->dis, tl->pre_dec->bytes,
					  tl->pre_dec->size, pc, &in, NULL) == 0) {
		dbg_insn_text(&in, text, sizeof(text));
		json_str(tl, text);
	} else {
		tb_puts(tl, "null");
	}
	tb_puts(tl, ",\"regs\":{");
	const uint64_t *o = cwords(&tl->last_regs), *w = cwords(r);
	bool comma = false;
	for (size_t i = 0; i < dbg_regs_count; i++) {
		size_t k = dbg_regs_table[i].offset / 8;
		if (o[k] == w[k])
			continue;
		tb_printf(tl, "%s\"%s\":\"0x%" PRIx64 "\"", comma ? "," : "", dbg_regs_table[i].name,
			  w[k]);
		comma = true;
	}
	tb_puts(tl, "},\"mem\":[");
	comma = false;
	for (size_t i = 0; i < tl->nranges; i++) {
		const struct range *rg = &tl->ranges[i];
		if (!rg->old_ok || !rg->new_ok)
			continue;
		const uint8_t *a = tl->old + rg->off, *b = tl->new + rg->off;
		size_t lo = 0, hi = rg->len;
		if (rg->syscall) { /* the kernel fills what it fills: show that */
			while (lo < hi && a[lo] == b[lo])
				lo++;
			while (hi > lo && a[hi - 1] == b[hi - 1])
				hi--;
			if (lo == hi)
				continue;
		}
		tb_printf(tl, "%s{\"addr\":\"0x%" PRIx64 "\",\"size\":%zu,\"old\":", comma ? "," : "",
			  rg->addr + lo, hi - lo);
		hex(tl, a + lo, hi - lo);
		tb_puts(tl, ",\"new\":");
		hex(tl, b + lo, hi - lo);
		tb_put(tl, "}", 1);
		comma = true;
	}
	tb_puts(tl, "]}\n");
	if (tl->tbuf_n >= TRACE_FLUSH)
		trace_flush(tl);
}

int dbg_tl_trace_open(struct dbg_timeline *tl, const char *path, struct dbg_err *err)
{
	dbg_tl_trace_close(tl, NULL);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return dbg_err_errno(err, -errno, "cannot write the trace %s", path);
	tl->trace_path = strdup(path);
	if (!tl->trace_path)
		abort();
	tl->trace_fd = fd;
	tl->tbuf_n = 0;
	tl->trace_off = 0;
	tl->trace_err = 0;
	tl->trace_told = false;
	dbg_tl_set_full(tl, true);
	return 0;
}

int dbg_tl_trace_status(struct dbg_timeline *tl, struct dbg_err *err)
{
	if (!tl->trace_err || tl->trace_told)
		return 0;
	tl->trace_told = true;
	return dbg_err_errno(err, tl->trace_err, "cannot write the trace %s", tl->trace_path);
}

int dbg_tl_trace_close(struct dbg_timeline *tl, struct dbg_err *err)
{
	if (!tl->trace_path)
		return 0;
	trace_flush(tl);
	if (tl->trace_fd >= 0 && close(tl->trace_fd) < 0 && !tl->trace_err)
		tl->trace_err = -errno;
	tl->trace_fd = -1;
	int rc = dbg_tl_trace_status(tl, err);
	free(tl->trace_path);
	tl->trace_path = NULL;
	free(tl->tbuf);
	tl->tbuf = NULL;
	tl->tbuf_n = tl->tbuf_cap = 0;
	tl->trace_err = 0;
	return rc;
}

/* ---- the view ----------------------------------------------------------- */

static void view_stop(struct dbg_timeline *tl, struct dbg_target *t,
		      enum dbg_stop_reason reason, int bp_id)
{
	struct dbg_stop *st = &tl->view_stop;
	bool live = tl->has_process && tl->view == tl->last;
	memset(st, 0, sizeof(*st));
	st->reason = reason;
	st->tid = live ? tl->last_tid : tl->view_tid;
	st->pc = live ? tl->last_regs.rip : tl->view_regs.rip;
	st->bp_id = bp_id;
	st->stage = dbg_stages_at(&t->stages, st->pc);
}

/* A record that cannot be applied: the view stays where it is. */
static int damaged(const struct dbg_timeline *tl, uint64_t step, struct dbg_err *err)
{
	if (tl->file_path)
		return dbg_err_set(err, -EINVAL, "step %" PRIu64 " of %s is damaged", step,
				   tl->file_path);
	return dbg_err_set(err, -EINVAL, "step %" PRIu64 " of the record is damaged", step);
}

/* Move the view one step (dir 1 or -1): 0, -ENODATA at either end, or
 * -EINVAL when the record of that step is damaged. */
static int step_view(struct dbg_timeline *tl, struct dbg_target *t, int dir,
		     struct dbg_err *err)
{
	const uint8_t *body;
	size_t len;
	uint64_t pos;
	if (dir > 0) {
		if (tl->view >= tl->last)
			return -ENODATA;
		if (frame_fwd(tl, tl->view_pos, &body, &len, &pos) < 0 ||
		    apply(tl, t, body, len, 1, TG_VIEW) < 0)
			return damaged(tl, tl->view + 1, err);
		tl->view++;
		tl->view_pos = pos;
		if (tl->has_process && tl->view == tl->last)
			views_clear(tl); /* the live process is this state */
	} else {
		if (tl->view <= tl->first)
			return -ENODATA;
		if (tl->has_process && tl->view == tl->last) {
			tl->view_regs = tl->last_regs;
			tl->view_tid = tl->last_tid;
		}
		if (frame_back(tl, tl->view_pos, &body, &len, &pos) < 0 ||
		    apply(tl, t, body, len, -1, TG_VIEW) < 0)
			return damaged(tl, tl->view, err);
		tl->view--;
		tl->view_pos = pos;
	}
	return 0;
}

static int move_to(struct dbg_timeline *tl, struct dbg_target *t, uint64_t step,
		   struct dbg_err *err)
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
static int ready(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_err *err)
{
	if (!tl->enabled)
		return dbg_err_set(err, -ENODATA, "no recorded history: recording is off (record on)");
	if (tl->gap && tl->has_process && t->live) {
		const struct dbg_regs *r = dbg_target_regs(t);
		if (r)
			restart(tl, t, r, (&t->last)->tid);
	}
	if (!tl->started || tl->gap)
		return dbg_err_set(err, -ENODATA,
				   "no recorded history: the program has not run under the recorder");
	if (!tl->has_process && !tl->offline_view) {
		tl->offline_view = true;
		int rc = move_to(tl, t, tl->last, err);
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
static bool insn_at(struct dbg_timeline *tl, struct dbg_target *t, uint64_t pc,
		    struct dbg_insn *in)
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

int dbg_tl_reverse_step(struct dbg_timeline *tl, struct dbg_target *t, uint64_t n,
			bool over, struct dbg_stop *stop, struct dbg_err *err)
{
	int rc = ready(tl, t, err);
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
	view_stop(tl, t, reason, bp);
	*stop = tl->view_stop;
	return 0;
}

int dbg_tl_reverse_cont(struct dbg_timeline *tl, struct dbg_target *t,
			struct dbg_stop *stop, struct dbg_err *err)
{
	int rc = ready(tl, t, err);
	if (rc < 0)
		return rc;
	const struct dbg_stages *st = &t->stages;
	enum dbg_stop_reason reason = DBG_STOP_STEP;
	int bp = 0;
	for (;;) {
		if ((rc = step_view(tl, t, -1, err)) < 0) {
			if (rc != -ENODATA)
				return rc;
			reason = DBG_STOP_NO_HISTORY;
			break;
		}
		if ((bp = bp_at(t, tl->view_regs.rip)) != 0) {
			reason = DBG_STOP_BREAKPOINT;
			break;
		}
		if (dbg_stages_at(st, tl->view_regs.rip) >= 0)
			break;
	}
	view_stop(tl, t, reason, bp);
	*stop = tl->view_stop;
	return 0;
}

int dbg_tl_goto(struct dbg_timeline *tl, struct dbg_target *t, uint64_t step,
		struct dbg_stop *stop, struct dbg_err *err)
{
	int rc = ready(tl, t, err);
	if (rc < 0)
		return rc;
	if (step < tl->first || step > tl->last)
		return dbg_err_set(err, -ERANGE,
				   "step %" PRIu64 " is not recorded (the record holds steps %" PRIu64
				   "..%" PRIu64 ")", step, tl->first, tl->last);
	rc = move_to(tl, t, step, err);
	if (rc < 0)
		return rc;
	view_stop(tl, t, DBG_STOP_STEP, 0);
	*stop = tl->view_stop;
	return 0;
}

int dbg_tl_replay_step(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_err *err)
{
	int rc = step_view(tl, t, 1, err);
	if (rc == -ENODATA)
		return dbg_err_set(err, -ENODATA, "no more history: step %" PRIu64 " is the last recorded",
				   tl->last);
	if (rc < 0)
		return rc;
	view_stop(tl, t, DBG_STOP_STEP, 0);
	return 0;
}

int dbg_tl_read(struct dbg_timeline *tl, struct dbg_target *t, uint64_t addr, void *buf,
		size_t n, struct dbg_err *err)
{
	uint8_t *out = buf;
	while (n) {
		uint64_t pa = addr & PAGE_MASK;
		size_t off = (size_t)(addr - pa), k = PAGE - off < n ? PAGE - off : n;
		const struct page *pg = page_find(tl, pa);
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
		} else if (in_zero(tl, pa)) {
			memset(out, 0, k);
		} else if (dbg_elf_read(t->elf, addr, out, k, NULL) < 0) {
			return dbg_err_set(err, -EIO, "cannot read memory at 0x%" PRIx64 ": not in the recording",
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
			.start = tl->zero[i].addr, .end = tl->zero[i].addr + tl->zero[i].len,
			.r = true, .w = true,
		};
	*maps = v;
	*n = tl->nmaps + tl->nzero;
	return 0;
}

/* ---- the recording file (docs/timeline.md) ------------------------------ */

static const char MAGIC[8] = { 'B', 'S', 'C', 'O', 'P', 'E', 'T', 'L' };
enum { HEADER_SIZE = 48 };
enum { S_PROGRAM = 1, S_STATE = 2, S_MAPS = 3, S_ZERO = 4, S_PAGES = 5, S_STEPS = 6, S_THREADS = 7,
       S_STAGES = 8 };

struct wbuf {
	uint8_t *p;
	size_t n, cap;
};

static uint8_t *wb_room(struct wbuf *w, size_t n)
{
	if (w->n + n > w->cap) {
		size_t cap = w->cap ? w->cap : (size_t)1 << 16;
		while (cap < w->n + n)
			cap *= 2;
		w->p = dbg_xrealloc(w->p, cap);
		w->cap = cap;
	}
	uint8_t *at = w->p + w->n;
	w->n += n;
	return at;
}

static void wb_bytes(struct wbuf *w, const void *p, size_t n)
{
	if (n)
		memcpy(wb_room(w, n), p, n);
}

static void wb_le(struct wbuf *w, uint64_t v, size_t n)
{
	uint8_t *p = wb_room(w, n);
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void wb_pad8(struct wbuf *w)
{
	while (w->n % 8)
		wb_le(w, 0, 1);
}

static size_t section_begin(struct wbuf *w, uint32_t type)
{
	wb_le(w, type, 4);
	wb_le(w, 0, 4);
	wb_le(w, 0, 8); /* size, patched by section_end */
	return w->n;
}

static void section_end(struct wbuf *w, size_t start)
{
	uint64_t size = w->n - start;
	for (size_t i = 0; i < 8; i++)
		w->p[start - 8 + i] = (uint8_t)(size >> (8 * i));
	wb_pad8(w);
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device" :
	       S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "of an unknown kind";
}

static int read_file(const char *path, uint8_t **out, size_t *n, struct dbg_err *err,
		     const char *what)
{
	/* O_NONBLOCK: opening a FIFO would wait for a writer */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return dbg_err_errno(err, -errno, "cannot %s %s", what, path);
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int rc = -errno;
		close(fd);
		return dbg_err_errno(err, rc, "cannot %s %s", what, path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return dbg_err_set(err, -EINVAL, "cannot %s %s: not a regular file (%s)", what, path,
				   file_kind(st.st_mode));
	}
	uint8_t *buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return dbg_err_errno(err, -ENOMEM, "cannot %s %s", what, path);
	}
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int rc = k < 0 ? -errno : -EIO;
			free(buf);
			close(fd);
			return dbg_err_errno(err, rc, "cannot %s %s", what, path);
		}
		got += (size_t)k;
	}
	close(fd);
	*out = buf;
	*n = got;
	return 0;
}

/*
 * A new temporary file next to path, "PATH.XXXXXX.tmp", created with
 * O_EXCL so that two savers never share one: its name into tmp. An fd, or
 * a negative errno.
 */
static int temp_open(const char *path, char *tmp, size_t tmp_n)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	for (int tries = 0; tries < 100; tries++) {
		uint8_t rnd[6];
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			/* no entropy yet: vary by process and attempt */
			uint64_t v = (uint64_t)getpid() * 0x9e3779b97f4a7c15ull + (uint64_t)tries;
			for (size_t i = 0; i < sizeof(rnd); i++)
				rnd[i] = (uint8_t)(v >> (8 * i));
		}
		char sfx[7];
		for (size_t i = 0; i < 6; i++)
			sfx[i] = alnum[rnd[i] % (sizeof(alnum) - 1)];
		sfx[6] = 0;
		if (snprintf(tmp, tmp_n, "%s.%s.tmp", path, sfx) >= (int)tmp_n)
			return -ENAMETOOLONG;
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

/* Make a rename in path's directory durable. Filesystems that cannot sync
 * a directory (EINVAL) have nothing more to do. */
static int sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = fsync(fd) < 0 && errno != EINVAL ? -errno : 0;
	close(fd);
	return rc;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t k = write(fd, p + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		done += (size_t)k;
	}
	return 0;
}

int dbg_tl_save_check(const char *path, struct dbg_err *err)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return dbg_err_errno(err, -EISDIR, "cannot save the recording %s", path);
		/* a device or a pipe is written in place */
		if (access(path, W_OK) < 0)
			return dbg_err_errno(err, -errno, "cannot save the recording %s", path);
		return 0;
	}
	char tmp[4096];
	int fd = temp_open(path, tmp, sizeof(tmp));
	if (fd < 0)
		return dbg_err_errno(err, fd, "cannot save the recording %s", path);
	close(fd);
	unlink(tmp);
	return 0;
}

/*
 * Write a new file and rename it over path, so that path always holds a
 * whole recording: the old one or the new one. The signals that end a
 * session wait while the temporary file exists, so a kill cannot leave it
 * behind; they are delivered when it is gone.
 */
static int write_file(const char *path, const uint8_t *p, size_t n, struct dbg_err *err)
{
	char tmp[4096];
	/* A device or a pipe (/dev/null, /dev/stdout) is written in place: renaming
	 * a temporary file over it would replace the device node. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return dbg_err_errno(err, -EISDIR, "cannot save the recording %s", path);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return dbg_err_errno(err, -errno, "cannot save the recording %s", path);
		int rc = write_all(fd, p, n);
		if (close(fd) < 0 && rc == 0)
			rc = -errno;
		return rc < 0 ? dbg_err_errno(err, rc, "cannot save the recording %s", path) : 0;
	}
	sigset_t hold, old;
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	sigaddset(&hold, SIGPIPE);
	sigprocmask(SIG_BLOCK, &hold, &old);
	int rc, fd = temp_open(path, tmp, sizeof(tmp));
	if (fd < 0) {
		rc = fd;
		goto out;
	}
	rc = write_all(fd, p, n);
	/* the data reaches the disk before the name does */
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	else
		rc = sync_dir(path);
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc < 0)
		return dbg_err_errno(err, rc, "cannot save the recording %s", path);
	return 0;
}

int dbg_tl_save(struct dbg_timeline *tl, struct dbg_target *t, const char *path,
		struct dbg_err *err)
{
	if (tl->gap && tl->has_process && t->live) {
		const struct dbg_regs *r = dbg_target_regs(t);
		if (r)
			restart(tl, t, r, (&t->last)->tid);
	}
	if (!tl->started || tl->gap)
		return dbg_err_set(err, -ENODATA, "cannot save the recording %s: nothing recorded", path);
	uint8_t *elf = tl->elf;
	size_t elf_size = tl->elf_size;
	const char *prog = tl->from_file ? tl->prog_path : dbg_target_path(t);
	if (!tl->from_file) {
		int rc = read_file(dbg_target_path(t), &elf, &elf_size, err, "read the program");
		if (rc < 0)
			return rc;
	}
	struct wbuf w = { NULL, 0, 0 };
	wb_room(&w, HEADER_SIZE);
	memset(w.p, 0, HEADER_SIZE);
	uint32_t nsec = 0;

	size_t at = section_begin(&w, S_PROGRAM);
	wb_le(&w, tl->bias, 8);
	wb_le(&w, tl->entry_sp, 8);
	wb_le(&w, strlen(prog), 4);
	wb_le(&w, 0, 4);
	wb_bytes(&w, prog, strlen(prog));
	wb_pad8(&w);
	wb_le(&w, elf_size, 8);
	wb_bytes(&w, elf, elf_size);
	section_end(&w, at);
	nsec++;

	const struct dbg_stages *st = &t->stages;
	at = section_begin(&w, S_STATE);
	wb_le(&w, (uint32_t)tl->base_tid, 4);
	wb_le(&w, NREGS, 4);
	for (size_t i = 0; i < NREGS; i++)
		wb_le(&w, cwords(&tl->base_regs)[i], 8);
	wb_le(&w, tl->stage_at_first >= 0 && (size_t)tl->stage_at_first < st->n ?
		  st->v[tl->stage_at_first].addr : 0, 8);
	section_end(&w, at);
	nsec++;

	at = section_begin(&w, S_MAPS);
	wb_le(&w, tl->nmaps, 8);
	for (size_t i = 0; i < tl->nmaps; i++) {
		const struct dbg_map *m = &tl->maps[i];
		wb_le(&w, m->start, 8);
		wb_le(&w, m->end, 8);
		wb_le(&w, m->offset, 8);
		wb_le(&w, (uint64_t)m->r | (uint64_t)m->w << 1 | (uint64_t)m->x << 2 |
			  (uint64_t)m->shared << 3, 4);
		wb_le(&w, strlen(m->name), 4);
		wb_bytes(&w, m->name, strlen(m->name));
		wb_pad8(&w);
	}
	section_end(&w, at);
	nsec++;

	at = section_begin(&w, S_ZERO);
	wb_le(&w, tl->nzero, 8);
	for (size_t i = 0; i < tl->nzero; i++) {
		wb_le(&w, tl->zero[i].addr, 8);
		wb_le(&w, tl->zero[i].len, 8);
	}
	section_end(&w, at);
	nsec++;

	at = section_begin(&w, S_PAGES);
	wb_le(&w, tl->npages, 8);
	for (size_t i = 0; i < tl->npages; i++) {
		wb_le(&w, tl->pages[i].addr, 8);
		wb_le(&w, tl->pages[i].base ? 1 : 0, 8);
		if (tl->pages[i].base)
			wb_bytes(&w, tl->pages[i].base, PAGE);
	}
	section_end(&w, at);
	nsec++;

	at = section_begin(&w, S_THREADS);
	wb_le(&w, tl->ntsnap, 8);
	for (size_t i = 0; i < tl->ntsnap; i++) {
		wb_le(&w, tl->tsnap[i].step, 8);
		wb_le(&w, tl->tsnap[i].n, 8);
		for (size_t k = 0; k < tl->tsnap[i].n; k++) {
			const struct thr *t = &tl->thr[tl->tsnap[i].off + k];
			wb_le(&w, (uint32_t)t->tid, 8);
			wb_le(&w, t->rip, 8);
			wb_le(&w, t->fs_base, 8);
			wb_le(&w, (uint64_t)t->syscall, 8);
		}
	}
	section_end(&w, at);
	nsec++;

	/* the stages as the session counted them (free runs included) */
	at = section_begin(&w, S_STAGES);
	wb_le(&w, tl->nstages, 8);
	for (size_t i = 0; i < tl->nstages; i++) {
		wb_le(&w, i < st->n ? st->v[i].addr : 0, 8);
		wb_le(&w, tl->stage_first[i], 8);
		wb_le(&w, tl->stage_shown[i], 8);
		wb_le(&w, tl->stage_seq[i], 8);
		wb_le(&w, tl->stage_exact[i], 8);
	}
	wb_le(&w, tl->nhits, 8);
	for (size_t i = 0; i < tl->nhits; i++) {
		wb_le(&w, tl->hits[i].step, 8);
		wb_le(&w, (size_t)tl->hits[i].stage < st->n ? st->v[tl->hits[i].stage].addr : 0, 8);
	}
	section_end(&w, at);
	nsec++;

	at = section_begin(&w, S_STEPS);
	wb_le(&w, tl->last - tl->first, 8);
	wb_le(&w, tl->rtail - tl->rhead, 8);
	wb_bytes(&w, tl->rec + tl->rhead, tl->rtail - tl->rhead);
	section_end(&w, at);
	nsec++;

	memcpy(w.p, MAGIC, 8);
	for (size_t i = 0; i < 4; i++) {
		w.p[8 + i] = (uint8_t)(DBG_TL_FORMAT_VERSION >> (8 * i));
		w.p[12 + i] = (uint8_t)(HEADER_SIZE >> (8 * i));
		w.p[24 + i] = (uint8_t)(nsec >> (8 * i));
	}
	for (size_t i = 0; i < 8; i++) {
		w.p[16 + i] = (uint8_t)((uint64_t)w.n >> (8 * i));
		w.p[32 + i] = (uint8_t)(tl->first >> (8 * i));
		w.p[40 + i] = (uint8_t)(tl->last >> (8 * i));
	}
	uint32_t crc = crc32_update(0, w.p, w.n);
	for (size_t i = 0; i < 4; i++)
		w.p[28 + i] = (uint8_t)(crc >> (8 * i));
	int rc = write_file(path, w.p, w.n, err);
	free(w.p);
	if (!tl->from_file)
		free(elf);
	return rc;
}

/* Check every step record: well-formed, and writing only recorded pages. */
static int check_steps(struct dbg_timeline *tl, const char *path, struct dbg_err *err)
{
	struct dbg_regs regs = tl->base_regs;
	pid_t tid = tl->base_tid;
	uint64_t pos = rec_start(tl), step = tl->first;
	while (pos < rec_end(tl)) {
		const uint8_t *body;
		size_t len;
		uint64_t next;
		if (frame_fwd(tl, pos, &body, &len, &next) < 0)
			return dbg_err_set(err, -EINVAL, "cannot load recording %s: step %" PRIu64
					   " is damaged (bad frame)", path, step + 1);
		struct rd r = { body, body + len, false };
		uint8_t flags;
		uint64_t rsp0;
		bool bad = body_regs(&r, &regs, &tid, 1, &flags, &rsp0) < 0;
		if (!bad && (flags & F_MEM)) {
			uint64_t nw = rd_uv(&r);
			for (uint64_t k = 0; k < nw && !r.bad; k++) {
				uint64_t addr = rsp0 + (uint64_t)unzz(rd_uv(&r));
				uint64_t n = rd_uv(&r);
				if (!rd_bytes(&r, n))
					break;
				if (addr + n < addr) {
					r.bad = true;
					break;
				}
				for (uint64_t pa = addr & PAGE_MASK; pa < addr + n; pa += PAGE)
					if (!page_find(tl, pa))
						return dbg_err_set(err, -EINVAL,
								   "cannot load recording %s: step %" PRIu64
								   " writes to 0x%" PRIx64 ", outside the recorded pages",
								   path, step + 1, addr);
			}
		}
		if (bad || r.bad || r.p != r.end)
			return dbg_err_set(err, -EINVAL, "cannot load recording %s: step %" PRIu64
					   " is damaged (bad record)", path, step + 1);
		pos = next;
		step++;
		if (flags & F_JUMP)
			jump_add(tl, step);
	}
	if (step != tl->last)
		return dbg_err_set(err, -EINVAL, "cannot load recording %s: %" PRIu64
				   " step records, the header says %" PRIu64, path, step - tl->first,
				   tl->last - tl->first);
	tl->last_regs = regs;
	tl->last_tid = tid;
	return 0;
}

/* The executable to open: the recorded path when it still holds the same
 * bytes, else a private copy. */
static int place_program(struct dbg_timeline *tl, const char *path, char *prog, size_t n,
			 struct dbg_err *err)
{
	uint8_t *cur;
	size_t cur_n;
	if (read_file(tl->prog_path, &cur, &cur_n, NULL, "read") == 0) {
		bool same = cur_n == tl->elf_size && memcmp(cur, tl->elf, cur_n) == 0;
		free(cur);
		if (same && strlen(tl->prog_path) < n) {
			snprintf(prog, n, "%s", tl->prog_path);
			return 0;
		}
	}
	const char *base = strrchr(tl->prog_path, '/');
	int fd = memfd_create(base ? base + 1 : tl->prog_path, MFD_CLOEXEC);
	if (fd < 0)
		return dbg_err_errno(err, -errno, "cannot load recording %s: cannot place the program", path);
	size_t done = 0;
	while (done < tl->elf_size) {
		ssize_t k = write(fd, tl->elf + done, tl->elf_size - done);
		if (k <= 0) {
			int rc = k < 0 ? -errno : -EIO;
			close(fd);
			return dbg_err_errno(err, rc, "cannot load recording %s: cannot place the program",
					     path);
		}
		done += (size_t)k;
	}
	tl->elf_fd = fd;
	snprintf(prog, n, "/proc/self/fd/%d", fd);
	return 0;
}

static const char *section_name(uint32_t type)
{
	static const char *const names[] = {
		[S_PROGRAM] = "program", [S_STATE] = "state", [S_MAPS] = "maps",
		[S_ZERO] = "zero", [S_PAGES] = "pages", [S_STEPS] = "steps",
		[S_THREADS] = "threads", [S_STAGES] = "stages",
	};
	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "unknown";
}

static int bad_file(struct dbg_err *err, const char *path, const char *what)
{
	return dbg_err_set(err, -EINVAL, "cannot load recording %s: %s", path, what);
}

int dbg_tl_load(struct dbg_timeline **out, const char *path, char *prog, size_t n,
		struct dbg_err *err)
{
	uint8_t *buf;
	size_t size;
	*out = NULL;
	int rc = read_file(path, &buf, &size, err, "load recording");
	if (rc < 0)
		return rc;
	struct dbg_timeline *tl = NULL;
	struct rd r = { buf, buf + size, false };
	if (size < 8 || memcmp(buf, MAGIC, 8) != 0) {
		rc = bad_file(err, path, "not a bootscope recording (bad magic)");
		goto fail;
	}
	if (size < HEADER_SIZE) {
		rc = dbg_err_set(err, -EINVAL, "cannot load recording %s: truncated (%zu bytes, shorter than the header)",
				 path, size);
		goto fail;
	}
	r.p += 8;
	uint32_t version = rd_u32(&r), hsize = rd_u32(&r);
	uint64_t fsize = rd_u64(&r);
	uint32_t nsec = rd_u32(&r), crc = rd_u32(&r);
	uint64_t first = rd_u64(&r), last = rd_u64(&r);
	if (version < 1 || version > DBG_TL_FORMAT_VERSION) {
		rc = dbg_err_set(err, -EINVAL, "cannot load recording %s: format version %u is not supported (this bootscope reads versions 1 to %d)",
				 path, version, DBG_TL_FORMAT_VERSION);
		goto fail;
	}
	if (hsize != HEADER_SIZE) {
		rc = dbg_err_set(err, -EINVAL, "cannot load recording %s: bad header size %u", path, hsize);
		goto fail;
	}
	if (fsize != size) {
		rc = dbg_err_set(err, -EINVAL, fsize > size ?
				 "cannot load recording %s: truncated (the header says %" PRIu64 " bytes, the file has %zu)" :
				 "cannot load recording %s: wrong size (the header says %" PRIu64 " bytes, the file has %zu)",
				 path, fsize, size);
		goto fail;
	}
	memset(buf + 28, 0, 4);
	uint32_t got = crc32_update(0, buf, size);
	if (got != crc) {
		rc = dbg_err_set(err, -EINVAL, "cannot load recording %s: checksum mismatch (stored 0x%08x, computed 0x%08x): the file is damaged",
				 path, crc, got);
		goto fail;
	}
	if (last < first) {
		rc = bad_file(err, path, "bad step range in the header");
		goto fail;
	}
	rc = dbg_tl_new(&tl, err);
	if (rc < 0)
		goto fail;
	tl->from_file = true;
	tl->file_path = strdup(path);
	if (!tl->file_path)
		abort();
	tl->first = first;
	tl->last = last;
	bool have[9] = { false };
	r.p = buf + HEADER_SIZE;
	for (uint32_t i = 0; i < nsec; i++) {
		uint32_t type = rd_u32(&r);
		rd_u32(&r);
		uint64_t ssize = rd_u64(&r);
		const uint8_t *sp = rd_bytes(&r, ssize);
		if (r.bad || !sp) {
			rc = dbg_err_set(err, -EINVAL, "cannot load recording %s: section %u runs past the end of the file",
					 path, i + 1);
			goto fail;
		}
		rd_bytes(&r, (8 - ssize % 8) % 8);
		struct rd q = { sp, sp + ssize, false };
		if (type >= S_PROGRAM && type <= S_STAGES) {
			/* a second copy would replace (and leak) the first */
			if (have[type]) {
				rc = dbg_err_set(err, -EINVAL, "cannot load recording %s: section %u repeats the %s section (type %u)",
						 path, i + 1, section_name(type), type);
				goto fail;
			}
			have[type] = true;
		}
		switch (type) {
		case S_PROGRAM: {
			tl->bias = rd_u64(&q);
			tl->entry_sp = rd_u64(&q);
			uint32_t plen = rd_u32(&q);
			rd_u32(&q);
			const uint8_t *pp = rd_bytes(&q, plen);
			rd_bytes(&q, (8 - plen % 8) % 8);
			uint64_t esize = rd_u64(&q);
			const uint8_t *ep = rd_bytes(&q, esize);
			if (q.bad || !pp || !ep || !plen)
				break;
			tl->prog_path = strndup((const char *)pp, plen);
			tl->elf = malloc(esize ? (size_t)esize : 1);
			if (!tl->prog_path || !tl->elf)
				abort();
			memcpy(tl->elf, ep, (size_t)esize);
			tl->elf_size = (size_t)esize;
			break;
		}
		case S_STATE: {
			tl->base_tid = (pid_t)rd_u32(&q);
			if (rd_u32(&q) != NREGS) {
				q.bad = true;
				break;
			}
			for (size_t k = 0; k < NREGS; k++)
				words(&tl->base_regs)[k] = rd_u64(&q);
			tl->stage_at_first = -1;
			tl->stage_first_addr = rd_u64(&q); /* resolved at attach */
			break;
		}
		case S_MAPS: {
			uint64_t cnt = rd_u64(&q);
			if (cnt > ssize / 32) {
				q.bad = true;
				break;
			}
			tl->maps = calloc(cnt + 1, sizeof(*tl->maps));
			if (!tl->maps)
				abort();
			for (uint64_t k = 0; k < cnt && !q.bad; k++) {
				struct dbg_map *m = &tl->maps[k];
				m->start = rd_u64(&q);
				m->end = rd_u64(&q);
				m->offset = rd_u64(&q);
				uint32_t fl = rd_u32(&q), nl = rd_u32(&q);
				m->r = fl & 1;
				m->w = fl & 2;
				m->x = fl & 4;
				m->shared = fl & 8;
				const uint8_t *np = rd_bytes(&q, nl);
				rd_bytes(&q, (8 - nl % 8) % 8);
				if (np)
					snprintf(m->name, sizeof(m->name), "%.*s", (int)nl, (const char *)np);
			}
			tl->nmaps = (size_t)cnt;
			break;
		}
		case S_ZERO: {
			uint64_t cnt = rd_u64(&q);
			if (cnt > ssize / 16) {
				q.bad = true;
				break;
			}
			for (uint64_t k = 0; k < cnt && !q.bad; k++) {
				uint64_t a = rd_u64(&q), l = rd_u64(&q);
				zero_add(tl, a, l);
			}
			break;
		}
		case S_PAGES: {
			uint64_t cnt = rd_u64(&q);
			if (cnt > ssize / 16) {
				q.bad = true;
				break;
			}
			for (uint64_t k = 0; k < cnt && !q.bad; k++) {
				uint64_t a = rd_u64(&q), kind = rd_u64(&q);
				const uint8_t *d = kind ? rd_bytes(&q, PAGE) : NULL;
				if (q.bad || (a & ~PAGE_MASK) || kind > 1 || page_find(tl, a)) {
					q.bad = true;
					break;
				}
				uint8_t *copy = NULL;
				if (d) {
					copy = dbg_xrealloc(NULL, PAGE);
					memcpy(copy, d, PAGE);
				}
				page_add(tl, a, copy);
			}
			break;
		}
		case S_STEPS: {
			uint64_t cnt = rd_u64(&q), bytes = rd_u64(&q);
			const uint8_t *d = rd_bytes(&q, bytes);
			if (q.bad || cnt != last - first) {
				q.bad = true;
				break;
			}
			tl->rec = dbg_xrealloc(NULL, bytes ? (size_t)bytes : 1);
			memcpy(tl->rec, d, (size_t)bytes);
			tl->rcap = tl->rtail = (size_t)bytes;
			break;
		}
		case S_THREADS: {
			uint64_t cnt = rd_u64(&q);
			uint64_t prev = 0;
			if (cnt > ssize / 16) {
				q.bad = true;
				break;
			}
			for (uint64_t k = 0; k < cnt && !q.bad; k++) {
				uint64_t step = rd_u64(&q), nt = rd_u64(&q);
				if (nt > ssize / 32 || step < prev || step > last) {
					q.bad = true;
					break;
				}
				prev = step;
				size_t off = tl->nthr;
				for (uint64_t j = 0; j < nt && !q.bad; j++) {
					struct thr t;
					t.tid = (pid_t)rd_u64(&q);
					t.rip = rd_u64(&q);
					t.fs_base = rd_u64(&q);
					t.syscall = (int64_t)rd_u64(&q);
					thr_add(tl, &t);
				}
				tsnap_add(tl, step, off, (size_t)nt);
			}
			break;
		}
		case S_STAGES: {
			uint64_t cnt = rd_u64(&q);
			if (cnt > ssize / 40) {
				q.bad = true;
				break;
			}
			tl->fstages = dbg_xrealloc(NULL, (size_t)(cnt ? cnt : 1) * sizeof(*tl->fstages));
			for (uint64_t k = 0; k < cnt && !q.bad; k++) {
				struct file_stage *f = &tl->fstages[k];
				f->addr = rd_u64(&q);
				f->first = rd_u64(&q);
				f->shown = rd_u64(&q);
				f->seq = rd_u64(&q);
				uint64_t ex = rd_u64(&q);
				f->exact = ex == 1;
				if (ex > 1 || f->seq > cnt ||
				    (f->first != NOT_REACHED && (f->first > last || f->shown > last)))
					q.bad = true;
			}
			tl->nfstages = (size_t)cnt;
			uint64_t nh = rd_u64(&q), prev = 0;
			if (q.bad || nh > ssize / 16) {
				q.bad = true;
				break;
			}
			tl->fhits = dbg_xrealloc(NULL, (size_t)(nh ? nh : 1) * sizeof(*tl->fhits));
			for (uint64_t k = 0; k < nh && !q.bad; k++) {
				tl->fhits[k].step = rd_u64(&q);
				tl->fhits[k].addr = rd_u64(&q);
				if (tl->fhits[k].step < prev || tl->fhits[k].step < first ||
				    tl->fhits[k].step > last)
					q.bad = true;
				prev = tl->fhits[k].step;
			}
			tl->nfhits = (size_t)nh;
			tl->file_stages = true;
			break;
		}
		default:
			break; /* a section this version does not know: skipped */
		}
		if (q.bad || q.p != q.end) {
			char what[96];
			snprintf(what, sizeof(what), "section %u (type %u) is damaged", i + 1, type);
			rc = bad_file(err, path, what);
			goto fail;
		}
	}
	if (r.bad || r.p != r.end) {
		rc = dbg_err_set(err, -EINVAL, "cannot load recording %s: %zu bytes after the last of its %u sections",
				 path, (size_t)(r.end - r.p), nsec);
		goto fail;
	}
	static const uint32_t required[] = { S_PROGRAM, S_STATE, S_PAGES, S_STEPS };
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!have[required[i]]) {
			rc = dbg_err_set(err, -EINVAL, "cannot load recording %s: the %s section (type %u) is missing",
					 path, section_name(required[i]), required[i]);
			goto fail;
		}
	if (!tl->prog_path) {
		rc = bad_file(err, path, "the program section names no program");
		goto fail;
	}
	rc = check_steps(tl, path, err);
	if (rc < 0)
		goto fail;
	rc = place_program(tl, path, prog, n, err);
	if (rc < 0)
		goto fail;
	tl->started = true;
	tl->has_process = false;
	tl->offline_view = true;
	tl->enabled = true;
	tl->view = first;
	tl->view_pos = rec_start(tl);
	tl->view_regs = tl->base_regs;
	tl->view_tid = tl->base_tid;
	free(buf);
	*out = tl;
	return 0;
fail:
	dbg_tl_free(tl);
	free(buf);
	return rc;
}

/* A loaded recording opens where the recorded session ended (starti and
 * run go back to its first step). */
static void at_end(struct dbg_timeline *tl, struct dbg_target *t)
{
	if (move_to(tl, t, tl->last, NULL) < 0 || tl->view != tl->last) {
		view_stop(tl, t, DBG_STOP_ENTRY, 0);
		return;
	}
	view_stop(tl, t, tl->first == tl->last ? DBG_STOP_ENTRY : DBG_STOP_NO_HISTORY, 0);
}

void dbg_tl_on_attach(struct dbg_timeline *tl, struct dbg_target *t)
{
	if (!tl->from_file) {
		if (t->live)
			tl->gap = true;
		return;
	}
	const struct dbg_stages *st = &t->stages;
	stages_init(tl, t, false);
	tl->stage_at_first = tl->stage_first_addr ? dbg_stages_at(st, tl->stage_first_addr) : -1;
	if (tl->file_stages) {
		/* as the live session counted them, free runs included */
		for (size_t k = 0; k < tl->nfhits; k++) {
			int i = dbg_stages_at(st, tl->fhits[k].addr);
			if (i >= 0)
				hit_add(tl, tl->fhits[k].step, i, tl->fhits[k].step, true);
		}
		for (size_t k = 0; k < tl->nfstages; k++) {
			const struct file_stage *f = &tl->fstages[k];
			int i = dbg_stages_at(st, f->addr);
			if (i < 0)
				continue;
			tl->stage_first[i] = f->first;
			tl->stage_shown[i] = f->shown;
			tl->stage_exact[i] = f->exact;
			tl->stage_seq[i] = (unsigned)f->seq;
		}
		at_end(tl, t);
		return;
	}
	/* a version 1 file: stage hits from the pcs of every step */
	struct dbg_regs regs = tl->base_regs;
	pid_t tid = tl->base_tid;
	int i = dbg_stages_at(st, regs.rip);
	if (i >= 0)
		hit_add(tl, tl->first, i, tl->first, true);
	uint64_t pos = rec_start(tl), step = tl->first;
	while (pos < rec_end(tl)) {
		const uint8_t *body;
		size_t len;
		uint64_t next, rsp0;
		uint8_t flags;
		if (frame_fwd(tl, pos, &body, &len, &next) < 0)
			break;
		struct rd r = { body, body + len, false };
		body_regs(&r, &regs, &tid, 1, &flags, &rsp0);
		step++;
		if ((i = dbg_stages_at(st, regs.rip)) >= 0)
			hit_add(tl, step, i, step, true);
		pos = next;
	}
	at_end(tl, t);
}

int dbg_tl_rewind(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_stop *stop,
		  struct dbg_err *err)
{
	int rc = ready(tl, t, err);
	if (rc < 0)
		return rc;
	rc = move_to(tl, t, tl->first, err);
	if (rc < 0)
		return rc;
	view_stop(tl, t, DBG_STOP_ENTRY, 0);
	*stop = tl->view_stop;
	return 0;
}
