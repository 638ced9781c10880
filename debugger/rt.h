/*
 * rt — the Go runtime decoder: the current g, and every G, M and P, plus the
 * scheduler (runtime.sched), read from the stopped target.
 *
 * Everything is found through DWARF and ELF symbols, never a target header:
 * struct layouts by name (g, m, p, schedt, with or without the "runtime."
 * prefix), globals by symbol (runtime.g0, runtime.m0, runtime.allgs,
 * runtime.allglen, runtime.allm, runtime.allp, runtime.sched). A missing
 * field or global makes that part empty, not an error. g.atomicstatus may be
 * a plain uint32 (Go 1.19) or an atomic wrapper struct with a `value`
 * member (newer Go); both are read.
 *
 * Without DWARF (go build -ldflags=-w) the layouts come from golayout's
 * table, by the Go release of the binary's build info, and the globals from
 * the symbol table; rt.layout says which ("dwarf", "go1.19 table").
 * dbg_rt_read() fails with -ENODATA "the G/M/P view needs DWARF…" when
 * neither serves: no DWARF and no build info, no symbol table either
 * (-ldflags=-s), or a release the table lacks (the message names it and
 * the releases covered).
 *
 * Before runtime.settls fs_base is 0 and there is no current g (g = 0,
 * label "none"). Labels: "g0" for runtime.g0, "g<goid>" for goroutines,
 * "m<id>.g0" for another M's g0, "m<id>.gsignal" for signal stacks,
 * "0x..." for an address that is none of them.
 *
 * g.lockedm and m.lockedg (runtime.LockOSThread) are read when the layout
 * has them (has_locked): DWARF, or golayout's entries that give them.
 *
 *   struct dbg_rt rt = {0};
 *   if (dbg_rt_read(s, &rt, &err) == 0) use(rt.gs, rt.ngs ...);
 *   dbg_rt_release(&rt);
 *
 * A struct dbg_rt is reused across calls: its arrays grow and are kept.
 */
#ifndef DBG_RT_H
#define DBG_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "session.h"

/* Go's status values (runtime2.go), the same in the bundled runtime. */
enum {
	DBG_G_IDLE = 0,
	DBG_G_RUNNABLE = 1,
	DBG_G_RUNNING = 2,
	DBG_G_SYSCALL = 3,
	DBG_G_WAITING = 4,
	DBG_G_DEAD = 6,
	DBG_G_COPYSTACK = 8,
	DBG_G_PREEMPTED = 9,
	DBG_G_SCAN = 0x1000,
};
enum {
	DBG_P_IDLE = 0,
	DBG_P_RUNNING = 1,
	DBG_P_SYSCALL = 2,
	DBG_P_GCSTOP = 3,
	DBG_P_DEAD = 4,
};

/* "_Grunnable", "_Gscanrunning" (scan bit), "_G?" for unknown values.
 * Static storage. */
const char *dbg_rt_gstatus_name(uint32_t status);
/* "_Prunning" … , "_P?" for unknown values. */
const char *dbg_rt_pstatus_name(uint32_t status);

struct dbg_rt_g {
	uint64_t addr;
	int64_t goid;
	uint32_t status;             /* raw atomicstatus */
	const char *status_name;     /* dbg_rt_gstatus_name(status) */
	uint64_t sched_pc, sched_sp; /* saved gobuf (valid when not running) */
	uint64_t sched_bp;           /* its frame pointer (0 if not saved) */
	uint64_t stack_lo, stack_hi;
	uint64_t m;                  /* g.m (0 when not on an M) */
	uint64_t schedlink;          /* next g in a run queue list */
	uint64_t startpc;            /* the goroutine's function, if recorded */
	int32_t waitreason;          /* g.waitreason, -1 when the layout lacks it
			       (no DWARF) */
	const char *waitreason_name; /* its text in the target's
					runtime.waitReasonStrings ("" for
					waitReasonZero), NULL when the table
					is absent or the value beyond it */
	uint64_t lockedm;            /* the M it is locked to (LockOSThread), or 0 */
	bool has_locked;             /* g.lockedm is known (the layout has it) */
	char label[24];              /* "g0", "g1", "m1.g0" */
};

struct dbg_rt_m {
	uint64_t addr;
	int64_t id;
	uint64_t procid;      /* the OS thread id */
	uint64_t g0, curg, p; /* addresses, 0 if none */
	uint64_t gsignal;
	uint64_t tls0;        /* m.tls[0]: the g at fs:-8 on that thread */
	uint64_t tls;         /* &m.tls[0]; the M's thread has fs_base =
				     tls + 8 (0 when m has no tls field) */
	uint64_t oldp, nextp; /* the P left for a syscall / to start with */
	uint64_t mstartfn;    /* what the M ran first (sysmon's M: sysmon) */
	bool spinning;        /* looking for work to steal */
	bool idle;            /* parked on sched.midle */
	bool sysmon;          /* the system monitor's M */
	uint64_t lockedg;     /* the g locked to it (LockOSThread), or 0 */
	bool has_locked;      /* m.lockedg is known (the layout has it) */
};

struct dbg_rt_p {
	uint64_t addr;
	int32_t id;
	uint32_t status;
	const char *status_name;
	uint64_t m; /* 0 when no M holds it */
	uint32_t runqhead, runqtail;
	const int64_t *runq; /* goids in the ring, head .. tail */
	size_t nrunq;
	uint64_t runnext;     /* g address or 0 */
	int64_t runnext_goid; /* -1 when runnext is 0 */
	uint32_t schedtick;
};

struct dbg_rt_sched {
	bool valid; /* runtime.sched and its type were found */
	uint64_t addr;
	uint64_t goidgen;
	const int64_t *runq; /* goids of the global run queue, in order */
	size_t nrunq;
	int64_t runqsize;
	const int32_t *pidle; /* ids of the idle Ps, list order */
	size_t npidle_list;
	int64_t npidle; /* the counter */
	uint64_t midle; /* head of the idle M list */
	int64_t nmidle;
	int64_t nmspinning; /* Ms looking for work */
	int64_t nmsys;      /* system Ms (sysmon), not counted by checkdead */
	int64_t mnext;      /* Ms created so far (the next M's id) */
};

struct dbg_rt {
	char layout[24]; /* where the offsets came from: "dwarf", or
			     "go1.19 table" (golayout) without DWARF */
	bool partial;    /* no symbol table either (go build -ldflags=-s):
			    the runtime's globals are unknown, so only the
			    current g, its M, that M's g0 and P are decoded */
	uint64_t fs_base;
	uint64_t g;       /* the g at fs:-8, 0 before settls */
	char g_label[24]; /* its label, "none" when 0 */
	uint64_t g0, m0;  /* runtime.g0 / runtime.m0 addresses, or 0 */

	struct dbg_rt_g *gs; /* runtime.g0 first, then allgs, then the
				     g0 and gsignal of every M, which Go
				     keeps out of allgs */
	size_t ngs;
	struct dbg_rt_m *ms; /* allm order */
	size_t nms;
	struct dbg_rt_p *ps; /* allp order */
	size_t nps;
	struct dbg_rt_sched sched;
	/* the last dbg_rt_read kept the decode before it: one recorded step
	 * later, and that step wrote none of the bytes it was made from */
	bool unchanged;

	/* storage reused across calls (internal) */
	size_t gs_cap, ms_cap, ps_cap;
	int64_t *goids;
	size_t goids_len, goids_cap;
	int32_t *pids;
	size_t pids_len, pids_cap;
	struct dbg_rt_cache *cache; /* layouts, globals, read buffers */
};

/* Decode everything (see top). 0 or negative errno (no process, no DWARF,
 * or unreadable memory of a global that exists). With the timeline
 * recording (timeline.h), a decode one step after the last one in rt is
 * kept as it is when that step, an instruction that ran alone, wrote none
 * of the bytes it was made from (rt.unchanged; no read of the process). */
int dbg_rt_read(struct dbg_session *s, struct dbg_rt *rt, struct dbg_err *err);

void dbg_rt_release(struct dbg_rt *rt);

/* The label of g address addr in a decoded rt ("g0", "g3", "m1.g0", "0x…").
 * The text stays valid until the next call in this thread. */
const char *dbg_rt_g_label(const struct dbg_rt *rt, uint64_t addr);

/* The decoded g at addr, or NULL. */
const struct dbg_rt_g *dbg_rt_find_g(const struct dbg_rt *rt, uint64_t addr);

/* The M a thread is, or NULL: the one whose TLS it uses (fs_base ==
 * &m.tls[0] + 8, where Go sets fs_base itself), else the one whose procid
 * is its thread id (libc owns fs in a cgo binary), else, before minit
 * records the id, the M whose g0 or current goroutine the thread runs. */
const struct dbg_rt_m *dbg_rt_m_of(const struct dbg_rt *rt, const struct dbg_thread_info *th);

/*
 * What the thread of M m is doing, as its runtime sees it, into buf:
 * "running g5", "syscall g5" (its goroutine is in the kernel), "signal
 * handler" (on its M's gsignal, as in runtime.sighandler), "sysmon",
 * "idle" (parked on sched.midle), "spinning" (looking for work), "scheduler"
 * (on g0 holding a P), "no P" (on g0 without one), "starting" (a new
 * thread before it stored its g); "no M" when m is NULL.
 * g is the thread's g (fs:-8). Returns buf.
 */
const char *dbg_rt_thread_state(const struct dbg_rt *rt, const struct dbg_rt_m *m, uint64_t g,
				char *buf, size_t n);

/* The current g only (fs:-8 of the current thread), cheap: one read.
 * *g = 0 when fs_base is 0. 0 or negative errno. */
int dbg_rt_cur_g(struct dbg_session *s, uint64_t *g, struct dbg_err *err);

/* A label for g without a full decode (reads goid, compares with
 * runtime.g0 and the M's g0s), through the same layout as dbg_rt_read.
 * Writes "none" for 0. 0, or -ENODATA (with "0x…" written) when there is
 * no layout (see top) and g is not runtime.g0. */
int dbg_rt_label(struct dbg_session *s, uint64_t g, char *buf, size_t n);

/* g's goid and the id of its M (g.m), cheaply (a few reads through the
 * layout dbg_rt_read uses): -1 for what is unknown or absent (g 0, no
 * M yet). 0, or -ENODATA without a layout. */
int dbg_rt_g_ids(struct dbg_session *s, uint64_t g, int64_t *goid, int64_t *mid);

/*
 * Where dbg_rt_g_ids finds them, for a caller that reads them together
 * with other memory: a g's goid (goid_size bytes at goid_off, 1 to 8) and
 * m (8 bytes at m_off), an m's id (8 bytes at id_off). 0, or -ENODATA
 * without a layout, -ENOENT when the fields are not so (then only
 * dbg_rt_g_ids reads them).
 */
struct dbg_rt_ids {
	uint64_t goid_off, goid_size, m_off, id_off;
};
int dbg_rt_ids_layout(struct dbg_session *s, struct dbg_rt_ids *out);

/* Whether m is the address of a struct m (its g0's g.m points back to
 * it), without a full decode and without the current thread's registers
 * (a running program's): 0 with *id its m.id, -ENOENT when it is not one,
 * -ENODATA without a layout. */
int dbg_rt_m_id_at(struct dbg_session *s, uint64_t m, int64_t *id);

/* The offset of m.tls[0] in struct m, from the layout dbg_rt_read uses:
 * 0, or -ENODATA (no layout) / -ENOENT (no such field). */
int dbg_rt_m_tls(struct dbg_session *s, uint64_t *off);

/* Drops what the look-ups above keep of s (a session being closed). */
void dbg_rt_forget_session(const struct dbg_session *s);

/*
 * The text of wait reason `reason` ("chan receive", "semacquire", "" for
 * waitReasonZero) in the target's own table, runtime.waitReasonStrings
 * (an array of Go strings; Go 1.19's in the bundled runtime). The table is
 * read once per program image and process, from the file or else the
 * process, and kept in rt's cache. NULL when the table is absent or reason
 * is beyond it. The text stays valid until the table is read again (a new
 * image or process) or rt is released.
 */
const char *dbg_rt_waitreason_name(struct dbg_rt *rt, struct dbg_session *s, uint32_t reason);

/* DWARF type of struct g / m / p (NULL without DWARF: the table has no
 * members to type an expression with). */
const struct dbg_type *dbg_rt_type(struct dbg_session *s, const char *name);

#endif
