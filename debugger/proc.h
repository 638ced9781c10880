/*
 * proc — memory and /proc views of a traced process.
 *
 * Reads go through process_vm_readv (one syscall, no ptrace round trip);
 * pages it refuses (e.g. read-only text mapped without read permission)
 * fall back to /proc/PID/mem, then to PTRACE_PEEKDATA. Writes go through
 * /proc/PID/mem, falling back to PTRACE_POKEDATA (which may write into
 * read-only text, as breakpoints need).
 *
 * These functions see raw memory, breakpoint bytes included; session.h's
 * dbg_session_read hides the breakpoints.
 */
#ifndef DBG_PROC_H
#define DBG_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

struct dbg_proc {
	pid_t pid;       /* thread-group id, 0 when closed */
	int memfd;       /* /proc/PID/mem, opened lazily, -1 when not open */
	uint64_t writes; /* dbg_proc_write calls, ever (over every pid) */
};

/* Bind to pid (no syscalls yet). */
void dbg_proc_init(struct dbg_proc *p, pid_t pid);

/* Close the mem file. */
void dbg_proc_release(struct dbg_proc *p);

/*
 * Read n bytes at addr. 0, or a negative errno with
 * "cannot read memory at 0x...: input/output error" (the address named is the
 * first one that could not be read).
 */
int dbg_proc_read(struct dbg_proc *p, uint64_t addr, void *buf, size_t n, struct dbg_err *err);

/* One of several reads done together: n bytes at addr into buf. */
struct dbg_read {
	uint64_t addr;
	void *buf;
	size_t n;
};

/*
 * Do n reads with as few syscalls as possible (one process_vm_readv for up
 * to DBG_PROC_READV_MAX of them). Same result as dbg_proc_read on each in
 * turn: 0, or the error of the first read that fails (the reads before it
 * are done; those after it may or may not be).
 */
#define DBG_PROC_READV_MAX 128
int dbg_proc_readv(struct dbg_proc *p, const struct dbg_read *v, size_t n, struct dbg_err *err);

/* Write n bytes at addr; 0 or a negative errno ("cannot write memory at ..."). */
int dbg_proc_write(struct dbg_proc *p, uint64_t addr, const void *buf, size_t n,
		   struct dbg_err *err);

/* One line of /proc/PID/maps. */
struct dbg_map {
	uint64_t start, end;  /* [start, end) */
	uint64_t offset;      /* file offset of start */
	bool r, w, x, shared; /* permissions */
	char name[256];       /* path, "[stack]", "[vdso]", or "" */
};

/*
 * Parse /proc/PID/maps into *maps (malloc'd, caller frees) with *n entries.
 * 0 or a negative errno.
 */
int dbg_proc_maps(pid_t pid, struct dbg_map **maps, size_t *n, struct dbg_err *err);

/* The map containing addr in maps[0..n), or NULL. */
const struct dbg_map *dbg_proc_map_at(const struct dbg_map *maps, size_t n, uint64_t addr);

/* What gdb's `info proc` shows of a process. */
struct dbg_proc_info {
	char cmdline[4096]; /* /proc/PID/cmdline, arguments joined by spaces */
	char cwd[4096];     /* the link /proc/PID/cwd */
	char exe[4096];     /* the link /proc/PID/exe */
};

/* Fill *info from /proc/PID: 0 or a negative errno ("cannot read
 * /proc/123/cmdline: …"). */
int dbg_proc_info(pid_t pid, struct dbg_proc_info *info, struct dbg_err *err);

/*
 * Read /proc/PID/auxv: up to max (type, value) pairs into out, AT_NULL
 * excluded. Returns the count or a negative errno.
 */
int dbg_proc_auxv(pid_t pid, uint64_t (*out)[2], size_t max, struct dbg_err *err);

/*
 * Which pages a process wrote, from the kernel's soft-dirty bits
 * (Documentation/admin-guide/mm/soft-dirty.rst).
 *
 * dbg_proc_softdirty_works: whether this kernel keeps them (tried once, in
 * a child process that writes a page after clearing them).
 * dbg_proc_clear_softdirty: clear them for every page of pid (writes "4"
 * to /proc/PID/clear_refs). 0 or a negative errno.
 * dbg_proc_pagemap: the /proc/PID/pagemap entries of npages pages from
 * start (page aligned) into out; 0 or a negative errno.
 */
#define DBG_PM_SOFT_DIRTY ((uint64_t)1 << 55)
#define DBG_PM_SWAPPED ((uint64_t)1 << 62)
#define DBG_PM_PRESENT ((uint64_t)1 << 63)
bool dbg_proc_softdirty_works(void);
int dbg_proc_clear_softdirty(pid_t pid, struct dbg_err *err);
int dbg_proc_pagemap(pid_t pid, uint64_t start, size_t npages, uint64_t *out, struct dbg_err *err);
/* The same through one open descriptor, for many ranges in a row:
 * dbg_proc_pagemap_open gives the descriptor (or a negative errno, which
 * dbg_proc_pagemap_fd then returns), the caller closes it. */
int dbg_proc_pagemap_open(pid_t pid);
int dbg_proc_pagemap_fd(int fd, uint64_t start, size_t npages, uint64_t *out);

#endif
