/*
 * bps — the breakpoint list and the int3 bytes in memory ("sites").
 *
 * A breakpoint is what the user asked for (an id, an address, enabled,
 * temporary, pending); a site is an address where an int3 byte is written
 * in the process, with the byte it replaced. Several wishes share one site
 * (a user breakpoint, the session's internal one, a stage's one-shot stop);
 * which sites must exist is the session's business (session.c): this
 * module only keeps both lists and answers the questions asked of them:
 * "which breakpoint stops at this address" (dbg_bps_at, the one lookup
 * every part of the program uses) and "what did memory hold under our
 * int3 bytes" (dbg_bps_hide).
 *
 * Watchpoints (dbg_watch) are kept here too, numbered from the same
 * sequence as breakpoints (gdb: "Hardware watchpoint 2"). Each watches
 * len bytes at addr; a hardware one holds one of the CPU's four debug
 * registers (its slot), a software one is checked around every single
 * step (session.h).
 *
 * No process access and no allocation failure: growth aborts on running
 * out of memory (err.h).
 */
#ifndef DBG_BPS_H
#define DBG_BPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syscalls.h"

struct dbg_bp {
	int id;         /* > 0, never reused within a session */
	uint64_t addr;  /* while pending: the last address it had, or 0 */
	bool temporary; /* deleted when hit */
	bool enabled;
	bool pending; /* no address in the current program (see execve in
			   * session.h): never inserted, never hit */
	uint64_t hits;
	const char *spec; /* how the front end wrote its location, to
			   * resolve it again in another program; NULL when
			   * not given (dbg_session_bp_set_spec) */
};

struct dbg_site {
	uint64_t addr;
	uint8_t orig; /* the byte under the int3 */
};

/* What a watchpoint stops on. */
enum dbg_watch_kind {
	DBG_WATCH_WRITE,  /* watch: a write that changes the value */
	DBG_WATCH_READ,   /* rwatch: a read (x86 traps reads and writes:
			   * an access that changed the value is a write) */
	DBG_WATCH_ACCESS, /* awatch: any read or write */
};

struct dbg_watch {
	int id; /* from the breakpoints' sequence */
	enum dbg_watch_kind kind;
	uint64_t addr;
	unsigned len;   /* 1, 2, 4 or 8, addr a multiple of it */
	bool hw;        /* a debug register (slot 0-3), else software */
	int slot;       /* hw: DR0-DR3 */
	uint64_t old;   /* the value last seen (len bytes, little-endian) */
	bool old_valid; /* old was read (false before the process runs) */
	uint64_t hits;
	char *expr;     /* the expression as written (owned) */
	bool touched;   /* software read/access: the instruction about to be
			 * stepped accesses it (session_watch.c) */
	bool is_signed; /* how the front end shows the value */
	bool is_ptr;
};

/* A syscall catchpoint (gdb's catch syscall): stops at the entry and at
 * the return of the calls in its set. Numbered from the breakpoints'
 * sequence ("Catchpoint 3 (syscall 'arch_prctl' [158])"). */
struct dbg_catch {
	int id;
	bool temporary; /* deleted when hit (tcatch) */
	bool enabled;
	bool any;                           /* every call (catch syscall without names) */
	uint64_t set[DBG_SYSCALL_MAX / 64]; /* bit nr: caught */
	uint64_t hits;
	char *spec; /* the names as written ("arch_prctl group:memory"),
		     * owned; NULL for any */
};

struct dbg_bps {
	struct dbg_bp *v; /* by id, ascending */
	size_t n, cap;
	int next_id;
	struct dbg_watch *w; /* by id, ascending */
	size_t nw, wcap;
	struct dbg_site *sites;
	size_t nsites, sites_cap;
	uint64_t site_lo, site_hi; /* every site in [site_lo, site_hi) (the
				      bounds only grow; 0, 0 before the
				      first) */
	uint64_t site_filter[4];   /* bit h(addr) set for every site's addr
				      (only grows; cleared at the first site
				      added to an empty list) */
	struct dbg_catch *c;       /* by id, ascending */
	size_t nc, ccap;
};

/* An empty list; ids start at 1. */
void dbg_bps_init(struct dbg_bps *b);

/* Free both lists (and the specs). */
void dbg_bps_release(struct dbg_bps *b);

/* The enabled, placed (not pending) breakpoint at addr, or NULL: the
 * breakpoint a thread arriving at addr stops at. */
const struct dbg_bp *dbg_bps_at(const struct dbg_bps *b, uint64_t addr);

/* Any placed breakpoint at addr, enabled or not, or NULL. */
const struct dbg_bp *dbg_bps_placed(const struct dbg_bps *b, uint64_t addr);

/* Index of breakpoint id in b->v, or -1. */
int dbg_bps_index(const struct dbg_bps *b, int id);

/* Append a new breakpoint (the next id) and return it. */
struct dbg_bp *dbg_bps_add(struct dbg_bps *b, uint64_t addr, bool temporary, bool pending);

/* Remove b->v[i] (i < b->n), freeing its spec. */
void dbg_bps_remove(struct dbg_bps *b, size_t i);

/* Append a new watchpoint (the next id; expr copied) and return it. */
struct dbg_watch *dbg_bps_watch_add(struct dbg_bps *b, enum dbg_watch_kind kind, uint64_t addr,
				    unsigned len, const char *expr);

/* Index of watchpoint id in b->w, or -1. */
int dbg_bps_watch_index(const struct dbg_bps *b, int id);

/* Remove b->w[i] (i < b->nw). */
void dbg_bps_watch_remove(struct dbg_bps *b, size_t i);

/* Append a new catchpoint (the next id; spec copied, NULL: any call) and
 * return it: set its calls with dbg_catch_add. */
struct dbg_catch *dbg_bps_catch_add(struct dbg_bps *b, bool temporary, const char *spec);

/* Index of catchpoint id in b->c, or -1. */
int dbg_bps_catch_index(const struct dbg_bps *b, int id);

/* Remove b->c[i] (i < b->nc). */
void dbg_bps_catch_remove(struct dbg_bps *b, size_t i);

/* Add call nr (< DBG_SYSCALL_MAX) to c's set. */
void dbg_catch_add(struct dbg_catch *c, uint64_t nr);

/* Whether c catches call nr (enabled or not). */
bool dbg_catch_has(const struct dbg_catch *c, uint64_t nr);

/* The first enabled catchpoint catching nr, or NULL. */
struct dbg_catch *dbg_bps_catch_at(struct dbg_bps *b, uint64_t nr);

/* The site at addr, or NULL. */
struct dbg_site *dbg_bps_site(struct dbg_bps *b, uint64_t addr);

/* A new site (addr must have none). */
void dbg_bps_site_add(struct dbg_bps *b, uint64_t addr, uint8_t orig);

/* Remove a site returned by dbg_bps_site. */
void dbg_bps_site_remove(struct dbg_bps *b, struct dbg_site *st);

/* Put the original bytes back where our int3s are in buf (n bytes read at
 * addr). */
void dbg_bps_hide(const struct dbg_bps *b, uint64_t addr, void *buf, size_t n);

#endif
