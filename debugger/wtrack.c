/*
 * wtrack.c — the pages a traced process wrote, from asynchronous
 * userfaultfd write protection and PAGEMAP_SCAN (see wtrack.h).
 */
#include "wtrack.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "err.h"

/* Older headers lack these (the kernel decides at run time). */
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif
#ifndef PAGEMAP_SCAN
struct page_region {
	uint64_t start, end, categories;
};
struct pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted,
		category_mask, category_anyof_mask, return_mask;
};
#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#define PM_SCAN_WP_MATCHING (1 << 0)
#define PAGE_IS_WPALLOWED (1 << 0)
#define PAGE_IS_WRITTEN (1 << 1)
#define PAGE_IS_PRESENT (1 << 3)
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* the end of the user address space the scan walks (4-level paging) */
#define USER_END 0x7ffffffff000ull
#define WPAGE 4096u

static int uffd_new(void)
{
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	return fd < 0 ? -errno : fd;
}

static int uffd_api(int fd)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED };
	return ioctl(fd, UFFDIO_API, &api) < 0 ? -errno : 0;
}

static int protect_fd(int fd, uint64_t start, uint64_t end)
{
	struct uffdio_register reg = { .range = { start, end - start },
				       .mode = UFFDIO_REGISTER_MODE_WP };
	if (ioctl(fd, UFFDIO_REGISTER, &reg) < 0)
		return -errno;
	struct uffdio_writeprotect wp = { .range = { start, end - start },
					  .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	return ioctl(fd, UFFDIO_WRITEPROTECT, &wp) < 0 ? -errno : 0;
}

/* One scan over [start, end) into vec: the written pages protected again,
 * every tracked page returned (WPALLOWED, WRITTEN where written). */
static long scan_once(int pmfd, uint64_t start, uint64_t end, struct page_region *vec, size_t n,
		      uint64_t *walk_end)
{
	struct pm_scan_arg a = { .size = sizeof(a),
				 .flags = PM_SCAN_WP_MATCHING,
				 .start = start,
				 .end = end,
				 .vec = (uint64_t)(uintptr_t)vec,
				 .vec_len = n,
				 .category_anyof_mask = PAGE_IS_WPALLOWED,
				 .return_mask =
					 PAGE_IS_WPALLOWED | PAGE_IS_WRITTEN | PAGE_IS_PRESENT };
	long k = ioctl(pmfd, PAGEMAP_SCAN, &a);
	if (k < 0)
		return -errno;
	*walk_end = a.walk_end;
	return k;
}

/* A page of our own, protected, written, and scanned: reads written, and
 * a second page not written does not. */
static bool probe(void)
{
	int fd = uffd_new();
	if (fd < 0)
		return false;
	bool ok = false;
	uint8_t *pg =
		mmap(NULL, 2 * WPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pg != MAP_FAILED && pm >= 0 && uffd_api(fd) == 0) {
		uint64_t a = (uint64_t)(uintptr_t)pg;
		pg[0] = 1;
		pg[WPAGE] = 1;
		if (protect_fd(fd, a, a + 2 * WPAGE) == 0) {
			*(volatile uint8_t *)&pg[WPAGE] = 2;
			struct page_region v[4];
			uint64_t we;
			long k = scan_once(pm, a, a + 2 * WPAGE, v, 4, &we);
			ok = k == 2 && v[0].start == a && v[0].end == a + WPAGE &&
			     v[0].categories == (PAGE_IS_WPALLOWED | PAGE_IS_PRESENT) &&
			     v[1].start == a + WPAGE && v[1].end == a + 2 * WPAGE &&
			     v[1].categories ==
				     (PAGE_IS_WPALLOWED | PAGE_IS_WRITTEN | PAGE_IS_PRESENT);
		}
	}
	if (pm >= 0)
		close(pm);
	if (pg != MAP_FAILED)
		munmap(pg, 2 * WPAGE);
	close(fd);
	return ok;
}

/* Under valgrind (its preload library is mapped), which knows neither
 * userfaultfd, pidfd_getfd nor PAGEMAP_SCAN and warns about each. */
static bool under_valgrind(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	if (!f)
		return false;
	char line[512];
	bool vg = false;
	while (!vg && fgets(line, sizeof(line), f))
		vg = strstr(line, "vgpreload") != NULL;
	fclose(f);
	return vg;
}

bool dbg_wtrack_supported(void)
{
	static int known = -1;
	if (known < 0) {
		const char *off = getenv("BOOTSCOPE_NO_WRITE_TRACKING");
		known = (off && *off && strcmp(off, "0") != 0) || under_valgrind() ? 0 : probe();
	}
	return known == 1;
}

int dbg_wtrack_open(struct dbg_wtrack *w, struct dbg_ptrace *pt, pid_t tid)
{
	w->on = false;
	pid_t pid = pt->pid;
	long tfd = -1;
	int rc = dbg_ptrace_syscall_in(pt, tid, SYS_userfaultfd,
				       O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY, 0, &tfd);
	if (rc < 0)
		return rc;
	if (tfd < 0)
		return (int)tfd;
	int fd = -1;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)tfd, 0);
		if (fd < 0)
			rc = -errno;
		close(pidfd);
	} else {
		rc = -errno;
	}
	long cret = 0;
	int crc = dbg_ptrace_syscall_in(pt, tid, SYS_close, tfd, 0, &cret);
	if (rc == 0 && crc < 0)
		rc = crc;
	if (rc == 0)
		rc = uffd_api(fd);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	w->on = true;
	w->pid = pid;
	w->uffd = fd;
	return 0;
}

int dbg_wtrack_protect(struct dbg_wtrack *w, uint64_t start, uint64_t end)
{
	return w->on ? protect_fd(w->uffd, start, end) : -EBADF;
}

static void push(struct dbg_wlist *l, uint64_t s, uint64_t e)
{
	if (l->n && l->v[l->n - 1].end == s) {
		l->v[l->n - 1].end = e;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = dbg_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (struct dbg_wrange){ s, e };
}

bool dbg_wlist_has(const struct dbg_wlist *l, uint64_t a)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->v[mid].end <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->v[lo].start <= a;
}

int dbg_wtrack_scan(struct dbg_wtrack *w, int pmfd, struct dbg_wlist *tracked,
		    struct dbg_wlist *written, struct dbg_wlist *present)
{
	tracked->n = written->n = present->n = 0;
	if (!w->on)
		return -EBADF;
	enum { NV = 256 };
	struct page_region vec[NV];
	uint64_t at = 0;
	while (at < USER_END) {
		uint64_t we = USER_END;
		long k = scan_once(pmfd, at, USER_END, vec, NV, &we);
		if (k < 0)
			return (int)k;
		for (long i = 0; i < k; i++) {
			push(tracked, vec[i].start, vec[i].end);
			if (vec[i].categories & PAGE_IS_WRITTEN)
				push(written, vec[i].start, vec[i].end);
			if (vec[i].categories & PAGE_IS_PRESENT)
				push(present, vec[i].start, vec[i].end);
		}
		if ((size_t)k < NV || we <= at)
			break;
		at = we;
	}
	return 0;
}

void dbg_wtrack_close(struct dbg_wtrack *w)
{
	if (w->on)
		close(w->uffd);
	w->on = false;
}
