/*
 * timeline_int.h — what the timeline's files share (not an API: only
 * debugger/timeline*.c include it). The timeline is one module in seven
 * files: timeline.c (lifecycle, queries, navigation), timeline_codec.c,
 * timeline_store.c, timeline_record.c, timeline_observe.c, timeline_file.c,
 * timeline_index.c.
 */
#ifndef DBG_TIMELINE_INT_H
#define DBG_TIMELINE_INT_H

#include "timeline.h"
#include "writeset.h"
#include "wtrack.h"

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
#include "stages.h"
#include "target.h"

#define PAGE 4096u
#define PAGE_MASK (~(uint64_t)(PAGE - 1))
#define NREGS 27 /* struct dbg_regs as uint64_t[NREGS] */
#define RIP 16   /* index of rip in that array */
#define RSP 7
#define MIN_LIMIT ((size_t)64 << 10)
#define MAX_SNAPSHOT ((uint64_t)256 << 20)
#define NOT_REACHED UINT64_MAX

_Static_assert(sizeof(bool) == 1, "the state word holds the flags a byte each");

_Static_assert(sizeof(struct dbg_regs) == NREGS * sizeof(uint64_t),
	       "struct dbg_regs is read as an array of 27 words");
_Static_assert(offsetof(struct dbg_regs, rip) == RIP * 8, "rip index");
_Static_assert(offsetof(struct dbg_regs, rsp) == RSP * 8, "rsp index");

/* Record body flags (docs/timeline.md). */
enum { F_TID = 1, F_MEM = 2, F_SYSCALL = 4, F_JUMP = 8 };

/* ---- the timeline ------------------------------------------------------- */

struct page {
	uint64_t addr;
	uint8_t *base; /* contents at step first; NULL: zeros */
	uint8_t *view; /* contents at the viewed step; NULL: same as the reference */
	uint8_t *cur;  /* contents at step last as recorded (NULL: zeros; may
			   be base itself until one of them changes) */
	uint32_t *ws;  /* the writes index: entries of tl->ix that changed
			   bytes of this page, ascending */
	uint32_t nws, ws_cap;
};

/* A step of the record that wrote memory, as the writes index keeps it
 * (timeline_index.c): where its record is and what the record alone does
 * not say (the pc of a step follows from the step before it). */
struct wstep {
	uint64_t step;
	uint64_t pos;  /* logical position of its frame */
	uint64_t pc;   /* the instruction, or where a free run started; 0 unknown */
	uint64_t rsp0; /* rsp before it: the base of its write addresses */
	pid_t tid;
	bool jump;
};

/* The last pc seen of a thread, while indexing. */
struct ix_thr {
	pid_t tid;
	uint64_t rip;
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

/* A decoded instruction: what it may write, and the stage at its pc. */
/* A decoded instruction's stage not looked up yet. */
#define DEC_STAGE_UNKNOWN INT16_MIN

struct dec {
	struct dbg_ws_insn ws; /* ws.pc 0: an empty slot */
	int16_t stage;         /* the stage at pc, -1, or DEC_STAGE_UNKNOWN */
	bool quiet;            /* writes no memory and is no system call (nor
				  unknown): its step's record is registers only */
};

/* One buffer an instruction (or system call) may write: old bytes before
 * the step and new ones after it, in the scratch buffers at off. */
struct range {
	uint64_t addr;
	uint32_t len;
	uint32_t off;
	bool old_ok, new_ok;
	bool syscall; /* a system call's buffer: the kernel may fill less */
	bool kept;    /* its old bytes are the record's (every page of it is
			 in the record, and nothing else ran) */
	uint32_t at;  /* else its place in the read before the step */
};

/* A page read for the first time before a step. */
struct newpage {
	uint64_t addr;
	uint8_t *buf;
	bool ok;
};

/* The record's state word (dbg_timeline's five flags read at once) while
 * it records the live process: enabled, started, has_process; no gap, not
 * from a file. */
#define TL_LIVE_WORD 0x010101ull

/* A step under way (pending): none, one recorded the whole way, or one of
 * an instruction that writes no memory (the short way). */
enum { PENDING_NONE, PENDING_FULL, PENDING_QUIET };

struct dbg_timeline {
	union {
		struct {
			bool enabled;
			bool started;     /* a base state exists */
			bool has_process; /* the reference is the live process
					     at `last` */
			bool gap;         /* restart before the next use */
			bool from_file;
		};
		uint64_t state_word; /* the five at once (its other bytes
					stay zero) */
	};
	bool full;
	size_t limit;

	bool offline_view; /* no process: views answer from the record */

	uint64_t first, last;
	struct dbg_regs base_regs, last_regs;
	uint64_t regs_diff; /* the words of last_regs the last encode found
			       changed: bit i for word i (dbg_regs_diff) */
	pid_t base_tid, last_tid;

	/* encoded records of steps first+1 .. last; logical positions */
	uint8_t *rec;
	size_t rhead, rtail, rcap;
	uint64_t rbase; /* logical position of rec[0] */
	uint64_t dropped, nwrites;

	struct page *pages;
	size_t npages, pages_cap;
	uint32_t *phash; /* page index + 1; 0 = empty */
	size_t phash_cap;
	uint32_t page_last; /* the index tl_page_at found last */
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
	unsigned *stage_seq; /* order of arrival, from 1 */
	unsigned seq;
	size_t nstages;
	/* stages as a loaded file gives them, resolved at attach */
	struct file_stage *fstages;
	size_t nfstages;
	struct hit_addr *fhits;
	size_t nfhits;
	bool file_stages;
	/* the system calls and signals a loaded file gives (syslog.h),
	 * handed to the target at attach */
	struct dbg_syslog fsys;

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
	/* the kernel's write tracking of the live process (wtrack.h): the
	 * extents tracked and the pages written, from the last scan; the
	 * writable mappings to track once the jump is recorded */
	struct dbg_wtrack wt;
	pid_t wt_refused; /* the process whose thread could not open it */
	bool last_tracked;
	uint64_t old_missed; /* BOOTSCOPE_CHECK_OLD_BYTES: writes whose bytes
				before the step the record had wrong */
	uint64_t wt_missed;  /* BOOTSCOPE_CHECK_WRITE_TRACKING: pages changed
			       that the tracking did not name */
	struct dbg_wlist wt_tracked, wt_written, wt_present;
	struct dbg_wlist wt_sel; /* BOOTSCOPE_CHECK_WRITE_TRACKING: the pages
				    the tracking selected (ascending) */
	struct dbg_wrange *wt_arm;
	size_t wt_narm, wt_arm_cap;
	int stage_at_first;

	/* the view */
	uint64_t view;
	uint64_t view_pos; /* logical position of record view+1 */
	struct dbg_regs view_regs;
	pid_t view_tid;
	uint32_t *views; /* indices of pages with a view buffer */
	size_t nviews, views_cap;
	struct dbg_stop view_stop;

	/* the writes index (timeline_index.c): built on the first query,
	 * brought up to date by each later one */
	struct wstep *ix;
	size_t nix, ix_cap;
	bool ix_on;        /* ix_pos, ix_regs, ix_tid are valid */
	bool ix_live;      /* the index covers the whole record, and the
			     recorder adds each step: the state after the
			     last step is last_regs and last_tid, not ix_* */
	uint64_t ix_start; /* logical position the index starts at */
	uint64_t ix_pos;   /* logical position of the next frame to index */
	uint64_t ix_step;  /* the step ix_regs and ix_tid are at */
	struct dbg_regs ix_regs;
	pid_t ix_tid;
	struct ix_thr *ix_thr;
	size_t nix_thr, ix_thr_cap;
	uint32_t *ix_scratch;
	size_t ix_scratch_cap;

	/* decode cache */
	struct dec *dcache;
	size_t dcache_cap, dcache_n;
	/* the code bytes of the last read at a new pc: code_len bytes at
	 * code_at (0 len: none), dropped with the decode cache */
	uint64_t code_at;
	size_t code_len;
	uint8_t code[256]; /* AHEAD bytes */

	/* what the newest step may have written (dbg_tl_step_writes):
	 * plain_last is that step when it was an instruction that ran alone
	 * and its writes are the ranges below (0: not so); restarts counts
	 * the times the record was cleared or restarted */
	uint64_t plain_last, restarts;

	/* the step being recorded */
	uint8_t pending;           /* PENDING_* */
	uint64_t pre_rip, pre_rsp; /* of the thread stepped */
	const struct dec *pre_dec;
	struct dec *next_dec; /* the decode of the pc the last step ended at */
	bool scan;            /* compare every known page around this step */
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

	/* the observer (dbg_tl_set_observer) */
	dbg_tl_observer *obs_fn; /* NULL: none, or it failed */
	void *obs_arg;
	int obs_rc;    /* its negative return, or 0 */
	bool obs_told; /* that failure was returned once */
	struct dbg_err obs_err;
	struct dbg_tl_write *obs_mem; /* the step's writes as it is told them */
	size_t obs_mem_cap;

	/* a loaded recording */
	uint64_t bias, entry_sp;
	uint64_t stage_first_addr; /* address of stage_at_first, from the file */
	char *prog_path;
	char *file_path; /* the recording's name, for errors */
	uint8_t *elf;
	size_t elf_size;
	int elf_fd;
};

/* A bounds-checked reader over untrusted bytes. */
struct rd {
	const uint8_t *p, *end;
	bool bad;
};

/* What xor_mem changes: the view, the base image (x XORed into them), or
 * the state at step last (x copied into it). */
enum target { TG_VIEW, TG_BASE, TG_CUR };

static inline uint64_t *tl_words(struct dbg_regs *r)
{
	return (uint64_t *)(void *)r;
}
static inline const uint64_t *tl_cwords(const struct dbg_regs *r)
{
	return (const uint64_t *)(const void *)r;
}
static inline uint64_t tl_zz(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}
static inline int64_t tl_unzz(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}
static inline uint64_t tl_rec_end(const struct dbg_timeline *tl)
{
	return tl->rbase + tl->rtail;
}
static inline uint64_t tl_rec_start(const struct dbg_timeline *tl)
{
	return tl->rbase + tl->rhead;
}
uint64_t tl_index_other(struct dbg_timeline *tl, pid_t from, uint64_t rip, pid_t tid);

/* Whether the writes index covers the whole record and follows it: the
 * recorder indexes the step it appends (timeline_index.c). */
static inline bool tl_index_follows(const struct dbg_timeline *tl)
{
	return tl->ix_live && tl->ix_start >= tl_rec_start(tl);
}
/* The pc of a step of thread tid whose record follows a step of thread
 * from that ended at rip: rip itself, or where tid was last seen. */
static inline uint64_t tl_index_thread(struct dbg_timeline *tl, pid_t from, uint64_t rip, pid_t tid)
{
	return tid == from ? rip : tl_index_other(tl, from, rip, tid);
}
static inline pid_t tl_live_pid(const struct dbg_target *t)
{
	return t->live ? t->pt.pid : 0;
}

/* ---- shared functions ---------------------------------------------------- */

static inline size_t tl_put_uv(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}
uint64_t tl_rd_uv(struct rd *r);
uint8_t tl_rd_u8(struct rd *r);
const uint8_t *tl_rd_bytes(struct rd *r, uint64_t n);
uint64_t tl_rd_u64(struct rd *r);
uint32_t tl_rd_u32(struct rd *r);
uint32_t tl_crc32_update(uint32_t crc, const uint8_t *p, size_t n);
bool tl_all_zero(const uint8_t *p, size_t n);
struct page *tl_page_find(const struct dbg_timeline *tl, uint64_t addr);
struct page *tl_page_add(struct dbg_timeline *tl, uint64_t addr, uint8_t *base);

/* tl_page_find, first trying the page found last: a step that writes
 * looks its page up before the step, for its copy of the state and for
 * its index entry, and the next step most often writes the same page
 * (the index is checked against the page's address, so it needs no
 * reset when the pages are cleared). */
static inline struct page *tl_page_at(struct dbg_timeline *tl, uint64_t addr)
{
	uint32_t i = tl->page_last;
	if (i < tl->npages && tl->pages[i].addr == addr)
		return &tl->pages[i];
	struct page *pg = tl_page_find(tl, addr);
	if (pg)
		tl->page_last = (uint32_t)(pg - tl->pages);
	return pg;
}
void tl_views_clear(struct dbg_timeline *tl);
void tl_pages_clear(struct dbg_timeline *tl);
bool tl_in_zero(const struct dbg_timeline *tl, uint64_t addr);
void tl_zero_add(struct dbg_timeline *tl, uint64_t addr, uint64_t len);
int tl_frame_fwd(const struct dbg_timeline *tl, uint64_t pos, const uint8_t **body, size_t *len,
		 uint64_t *next);
int tl_frame_back(const struct dbg_timeline *tl, uint64_t pos, const uint8_t **body, size_t *len,
		  uint64_t *start);
void tl_xor_mem(struct dbg_timeline *tl, struct dbg_target *t, enum target tg, uint64_t addr,
		const uint8_t *x, size_t n);
int tl_body_regs(struct rd *r, struct dbg_regs *regs, pid_t *tid, int dir, uint8_t *flags,
		 uint64_t *rsp0);
int tl_apply(struct dbg_timeline *tl, struct dbg_target *t, const uint8_t *body, size_t len,
	     int dir, enum target tg);
void tl_append_frame(struct dbg_timeline *tl, const uint8_t *body, size_t n);
uint8_t *tl_frame_room(struct dbg_timeline *tl, size_t need);
void tl_frame_commit_long(struct dbg_timeline *tl, size_t n);

/*
 * A frame encoded in place: room at the tail for a body of at most bound
 * bytes, written at the pointer returned, then tl_frame_commit(tl, n) with
 * its length. NULL when the record is near its limit (the caller encodes
 * elsewhere and appends with tl_append_frame, which drops the oldest
 * records by the frame's exact size).
 */
static inline uint8_t *tl_frame_begin(struct dbg_timeline *tl, size_t bound)
{
	size_t need = bound + 2 * 10;
	if (tl->rtail + need <= tl->rcap && tl->rtail - tl->rhead + need <= tl->limit)
		return tl->rec + tl->rtail + 1;
	return tl_frame_room(tl, need);
}

static inline void tl_frame_commit(struct dbg_timeline *tl, size_t n)
{
	if (n >= 0x80) {
		tl_frame_commit_long(tl, n);
		return;
	}
	uint8_t *p = tl->rec + tl->rtail;
	p[0] = p[n + 1] = (uint8_t)n;
	tl->rtail += n + 2;
}
void tl_index_start(struct dbg_timeline *tl);
uint32_t tl_index_add(struct dbg_timeline *tl, const struct wstep *w);
void tl_index_page(struct dbg_timeline *tl, struct page *pg, uint32_t e);
void tl_clear(struct dbg_timeline *tl);
int tl_stage_at(const struct dbg_timeline *tl, uint64_t step);
void tl_hit_add(struct dbg_timeline *tl, uint64_t step, int stage, uint64_t shown, bool exact);
void tl_thr_add(struct dbg_timeline *tl, const struct thr *t);
void tl_tsnap_add(struct dbg_timeline *tl, uint64_t step, size_t off, size_t n);
void tl_threads_note(struct dbg_timeline *tl, struct dbg_target *t, uint64_t step);
void tl_stages_init(struct dbg_timeline *tl, struct dbg_target *t, bool from_session);
void tl_view_stop(struct dbg_timeline *tl, struct dbg_target *t, enum dbg_stop_reason reason,
		  int bp_id);
int tl_damaged(const struct dbg_timeline *tl, uint64_t step, struct dbg_err *err);
int tl_move_to(struct dbg_timeline *tl, struct dbg_target *t, uint64_t step, struct dbg_err *err);
int tl_ready(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_err *err);
void tl_restart(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r, pid_t tid);
void tl_jump_add(struct dbg_timeline *tl, uint64_t step);
void tl_observe_step(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r);
void tl_index_clear(struct dbg_timeline *tl);
void tl_index_free(struct dbg_timeline *tl);

#endif
