/*
 * addrmap — what each range of a stopped process's address space is for:
 * the mappings of /proc/PID/maps, each with its part in the program and
 * in the Go runtime, and the runtime's own ranges inside them (goroutine
 * stacks, each M's g0 and gsignal stack, heap arenas).
 *
 * A mapping is named by what it holds:
 *   - the program's image (its file, or the anonymous rest of its .bss):
 *     the kinds of the ELF sections it overlaps, "text", "rodata",
 *     "data", "bss", joined by "/" ("data/bss");
 *   - "[stack]": "OS stack", and "OS stack, g0 stack of m0" when
 *     runtime.g0's stack (set by rt0_go from the OS stack) lies in it;
 *   - "vdso", "vvar" ([vvar], [vvar_vclock]), "vsyscall", "brk heap";
 *   - a file: "ld.so" (the dynamic loader), "libc", "shared library",
 *     "file";
 *   - anonymous memory: "heap arena" where it overlaps one of Go's heap
 *     arenas (runtime.mheap_.allArenas, 64 MiB each on linux/amd64, needs
 *     DWARF), else "runtime heap" when it holds a stack or a g the runtime
 *     knows (the bundled runtime's persistentalloc, Go's off-heap
 *     allocations), else "anonymous".
 * Areas: every g the decoder knows (struct dbg_rt: allgs, each M's g0 and
 * gsignal) with a stack, "stack of goroutine N", "g0 stack of mN",
 * "gsignal stack of mN"; and each heap arena. Areas are listed under every
 * mapping they overlap.
 *
 *   struct dbg_addrmap am = {0};
 *   if (dbg_addrmap_read(s, &rt_or_NULL, &am, &err) == 0) use(am.maps ...);
 *   dbg_addrmap_release(&am);
 */
#ifndef DBG_ADDRMAP_H
#define DBG_ADDRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "proc.h"
#include "rt.h"
#include "session.h"

enum dbg_area_kind {
	DBG_AREA_G_STACK,       /* a goroutine's stack (goid) */
	DBG_AREA_G0_STACK,      /* an M's g0 stack (m_id) */
	DBG_AREA_GSIGNAL_STACK, /* an M's signal stack (m_id) */
	DBG_AREA_ARENA,         /* one of Go's heap arenas */
};

struct dbg_area {
	uint64_t lo, hi; /* [lo, hi) */
	enum dbg_area_kind kind;
	int64_t goid;  /* G_STACK: the goroutine; else -1 */
	int64_t m_id;  /* G0/GSIGNAL: the M; else -1 */
	int64_t tid;   /* G0/GSIGNAL: the M's thread (m.procid); -1 when
			  unknown or not an M's */
	uint64_t g;    /* the g whose stack it is, 0 for an arena */
	char what[48]; /* "stack of goroutine 1", "g0 stack of m0" … */
};

struct dbg_addrmap_entry {
	struct dbg_map map;
	char what[64];   /* see top: "text", "OS stack, g0 stack of m0" … */
	size_t first, n; /* its areas: areas[first .. first + n) of idx */
};

struct dbg_addrmap {
	struct dbg_addrmap_entry *maps; /* /proc/PID/maps order */
	size_t nmaps;
	struct dbg_area *areas; /* by lo */
	size_t nareas;
	size_t *idx; /* the areas of each mapping, in runs (entry.first) */
	size_t nidx;
	bool rt; /* the runtime's ranges were known (a decoded rt) */
	/* storage (internal) */
	size_t maps_cap, areas_cap, idx_cap;
};

/*
 * Read /proc/PID/maps of the live process and name every range. rt (may
 * be NULL: no runtime ranges) is a decoded dbg_rt of this stop. 0 or a
 * negative errno (-ESRCH without a process).
 */
int dbg_addrmap_read(struct dbg_session *s, const struct dbg_rt *rt, struct dbg_addrmap *am,
		     struct dbg_err *err);

void dbg_addrmap_release(struct dbg_addrmap *am);

/* The mapping holding addr, or NULL. */
const struct dbg_addrmap_entry *dbg_addrmap_map_at(const struct dbg_addrmap *am, uint64_t addr);

/* The innermost area holding addr (a stack before the arena around it),
 * or NULL. */
const struct dbg_area *dbg_addrmap_area_at(const struct dbg_addrmap *am, uint64_t addr);

/* The arena holding addr, or NULL. */
const struct dbg_area *dbg_addrmap_arena_at(const struct dbg_addrmap *am, uint64_t addr);

/* "r-xp": the permissions of a mapping as /proc shows them (buf >= 5). */
const char *dbg_addrmap_perms(const struct dbg_map *m, char *buf);

/*
 * The field path of byte off inside a value of type t: ".p", ".tls[3]",
 * ".sched.sp" (without following pointers), into buf; "" at a place no
 * field describes (padding). Always NUL-terminated.
 */
void dbg_addrmap_field_path(const struct dbg_type *t, uint64_t off, char *buf, size_t n);

#endif
