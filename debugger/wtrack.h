/*
 * wtrack.h — which pages of a traced process were written, from the
 * kernel's asynchronous write protection (userfaultfd in its WP_ASYNC
 * mode, Linux 6.7 and later) read back with the PAGEMAP_SCAN ioctl of
 * /proc/PID/pagemap: a write to a protected page lifts the protection
 * without a fault reaching anyone, and the scan names the pages whose
 * protection was lifted and protects them again. Works where the kernel
 * keeps no soft-dirty bits (CONFIG_MEM_SOFT_DIRTY unset).
 *
 * The userfaultfd must be made by the process itself: dbg_wtrack_open has
 * a stopped thread run the system call, takes the descriptor over with
 * pidfd_getfd and has the thread close its own.
 */
#ifndef DBG_WTRACK_H
#define DBG_WTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptrace.h"

struct dbg_wtrack {
	bool on;
	pid_t pid;
	int uffd;
};

struct dbg_wrange {
	uint64_t start, end; /* [start, end), page aligned */
};

/* Whether this kernel can do it (probed once in our own process);
 * BOOTSCOPE_NO_WRITE_TRACKING=1 says no. */
bool dbg_wtrack_supported(void);

/*
 * Make the userfaultfd of the traced process, through its thread tid,
 * which must be stopped at a trap outside any system call
 * (dbg_ptrace_syscall_in). The thread's registers and memory are as they
 * were after it. 0, or a negative errno (the process runs as before; w
 * stays off).
 */
int dbg_wtrack_open(struct dbg_wtrack *w, struct dbg_ptrace *pt, pid_t tid);

/* Track the writes to [start, end) (one mapping, private): from now on a
 * write to any of its pages is named by the next scan. 0 or -errno. */
int dbg_wtrack_protect(struct dbg_wtrack *w, uint64_t start, uint64_t end);

/*
 * With the process stopped: the extents whose writes are tracked
 * (tracked, ascending, adjacent ones merged), the pages written in them
 * since they were protected or last scanned (written, ascending), which
 * are protected again, and the pages of them present in memory (present:
 * a page neither written nor present may still have lost its contents to
 * reclaim, as after MADV_FREE). pmfd is an open /proc/PID/pagemap. The
 * lists grow as needed (caller frees). 0 or -errno.
 */
struct dbg_wlist {
	struct dbg_wrange *v;
	size_t n, cap;
};
int dbg_wtrack_scan(struct dbg_wtrack *w, int pmfd, struct dbg_wlist *tracked,
		    struct dbg_wlist *written, struct dbg_wlist *present);

/* Whether address a lies in one of the ranges of l. */
bool dbg_wlist_has(const struct dbg_wlist *l, uint64_t a);

void dbg_wtrack_close(struct dbg_wtrack *w);

#endif
