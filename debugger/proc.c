/* proc — target memory and /proc files (see proc.h). */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ptrace.h"

void dbg_proc_init(struct dbg_proc *p, pid_t pid)
{
	p->pid = pid;
	p->memfd = -1;
}

void dbg_proc_release(struct dbg_proc *p)
{
	if (p->memfd >= 0)
		close(p->memfd);
	p->memfd = -1;
	p->pid = 0;
}

static int open_mem(struct dbg_proc *p)
{
	if (p->memfd >= 0)
		return 0;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)p->pid);
	p->memfd = open(path, O_RDWR | O_CLOEXEC);
	return p->memfd < 0 ? -errno : 0;
}

/* Bytes readable through process_vm_readv from addr (stops at the first
 * refused page). */
static size_t vm_read(pid_t pid, uint64_t addr, void *buf, size_t n)
{
	size_t done = 0;
	while (done < n) {
		struct iovec l = { (char *)buf + done, n - done };
		struct iovec r = { (void *)(addr + done), n - done };
		ssize_t k = process_vm_readv(pid, &l, 1, &r, 1, 0);
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	return done;
}

int dbg_proc_read(struct dbg_proc *p, uint64_t addr, void *buf, size_t n, struct dbg_err *err)
{
	if (n == 0)
		return 0;
	if (addr + n < addr)
		return dbg_err_errno(err, -EIO, "cannot read memory at 0x%" PRIx64, addr);
	size_t done = vm_read(p->pid, addr, buf, n);
	if (done == n)
		return 0;

	/* Pages process_vm_readv refuses (no read permission) are still
	 * readable by the tracer through /proc/PID/mem. */
	if (open_mem(p) == 0) {
		while (done < n) {
			ssize_t k =
				pread(p->memfd, (char *)buf + done, n - done, (off_t)(addr + done));
			if (k <= 0)
				break;
			done += (size_t)k;
		}
		if (done == n)
			return 0;
	}
	while (done < n) {
		uint64_t a = addr + done, w;
		uint64_t aligned = a & ~7ull;
		if (dbg_ptrace_peek(p->pid, aligned, &w) < 0)
			break;
		size_t skip = (size_t)(a - aligned);
		size_t take = 8 - skip;
		if (take > n - done)
			take = n - done;
		memcpy((char *)buf + done, (char *)&w + skip, take);
		done += take;
	}
	if (done == n)
		return 0;
	return dbg_err_errno(err, -EIO, "cannot read memory at 0x%" PRIx64, addr + done);
}

int dbg_proc_readv(struct dbg_proc *p, const struct dbg_read *v, size_t n, struct dbg_err *err)
{
	struct iovec l[DBG_PROC_READV_MAX], r[DBG_PROC_READV_MAX];
	size_t i = 0;
	while (i < n) {
		size_t k = 0, want = 0;
		for (; k < DBG_PROC_READV_MAX && i + k < n; k++) {
			const struct dbg_read *x = &v[i + k];
			l[k] = (struct iovec){ x->buf, x->n };
			r[k] = (struct iovec){ (void *)x->addr, x->n };
			want += x->n;
		}
		ssize_t got = process_vm_readv(p->pid, l, k, r, k, 0);
		if (got == (ssize_t)want) {
			i += k;
			continue;
		}
		/* A short transfer ends inside the first read it could not
		 * finish: that one goes the slow way (with its fallbacks and its
		 * error), and the batch resumes after it. */
		size_t done = got > 0 ? (size_t)got : 0;
		while (i < n && done >= v[i].n) {
			done -= v[i].n;
			i++;
		}
		if (i == n)
			break;
		int rc = dbg_proc_read(p, v[i].addr, v[i].buf, v[i].n, err);
		if (rc < 0)
			return rc;
		i++;
	}
	return 0;
}

int dbg_proc_write(struct dbg_proc *p, uint64_t addr, const void *buf, size_t n,
		   struct dbg_err *err)
{
	size_t done = 0;
	p->writes++;
	if (open_mem(p) == 0) {
		while (done < n) {
			ssize_t k = pwrite(p->memfd, (const char *)buf + done, n - done,
					   (off_t)(addr + done));
			if (k <= 0)
				break;
			done += (size_t)k;
		}
		if (done == n)
			return 0;
	}
	while (done < n) {
		uint64_t a = addr + done, w;
		uint64_t aligned = a & ~7ull;
		if (dbg_ptrace_peek(p->pid, aligned, &w) < 0)
			break;
		size_t skip = (size_t)(a - aligned);
		size_t take = 8 - skip;
		if (take > n - done)
			take = n - done;
		memcpy((char *)&w + skip, (const char *)buf + done, take);
		if (dbg_ptrace_poke(p->pid, aligned, w) < 0)
			break;
		done += take;
	}
	if (done == n)
		return 0;
	return dbg_err_errno(err, -EIO, "cannot write memory at 0x%" PRIx64, addr + done);
}

int dbg_proc_maps(pid_t pid, struct dbg_map **maps, size_t *n, struct dbg_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return dbg_err_errno(err, -errno, "cannot open %s", path);
	struct dbg_map *v = NULL;
	size_t len = 0, cap = 0;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		struct dbg_map m;
		memset(&m, 0, sizeof(m));
		char perms[8] = "";
		unsigned long long s, e, off;
		int name_at = 0;
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &s, &e, perms, &off, &name_at) <
		    4)
			continue;
		m.start = s;
		m.end = e;
		m.offset = off;
		m.r = perms[0] == 'r';
		m.w = perms[1] == 'w';
		m.x = perms[2] == 'x';
		m.shared = perms[3] == 's';
		if (name_at > 0) {
			char *nm = line + name_at;
			nm[strcspn(nm, "\n")] = '\0';
			snprintf(m.name, sizeof(m.name), "%s", nm);
		}
		v = dbg_grow(v, &cap, len + 1, sizeof(*v));
		v[len++] = m;
	}
	fclose(f);
	*maps = v;
	*n = len;
	return 0;
}

static int read_link(pid_t pid, const char *what, char *buf, size_t n, struct dbg_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	ssize_t k = readlink(path, buf, n - 1);
	if (k < 0)
		return dbg_err_errno(err, -errno, "cannot read %s", path);
	buf[k] = '\0';
	return 0;
}

int dbg_proc_info(pid_t pid, struct dbg_proc_info *info, struct dbg_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dbg_err_errno(err, -errno, "cannot read %s", path);
	ssize_t k = read(fd, info->cmdline, sizeof(info->cmdline) - 1);
	int e = errno;
	close(fd);
	if (k < 0)
		return dbg_err_errno(err, -e, "cannot read %s", path);
	/* NUL-separated arguments, the last one NUL-terminated */
	while (k > 0 && info->cmdline[k - 1] == '\0')
		k--;
	for (ssize_t i = 0; i < k; i++)
		if (info->cmdline[i] == '\0')
			info->cmdline[i] = ' ';
	info->cmdline[k] = '\0';
	int rc = read_link(pid, "cwd", info->cwd, sizeof(info->cwd), err);
	if (rc == 0)
		rc = read_link(pid, "exe", info->exe, sizeof(info->exe), err);
	return rc;
}

const struct dbg_map *dbg_proc_map_at(const struct dbg_map *maps, size_t n, uint64_t addr)
{
	for (size_t i = 0; i < n; i++)
		if (addr >= maps[i].start && addr < maps[i].end)
			return &maps[i];
	return NULL;
}

int dbg_proc_auxv(pid_t pid, uint64_t (*out)[2], size_t max, struct dbg_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dbg_err_errno(err, -errno, "cannot open %s", path);
	size_t count = 0;
	uint64_t pair[2];
	while (count < max) {
		ssize_t k = read(fd, pair, sizeof(pair));
		if (k != (ssize_t)sizeof(pair) || pair[0] == 0)
			break;
		out[count][0] = pair[0];
		out[count][1] = pair[1];
		count++;
	}
	close(fd);
	return (int)count;
}

/* ---- soft-dirty bits ---------------------------------------------------- */

static int write_clear_refs(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = write(fd, "4", 1) == 1 ? 0 : -errno;
	close(fd);
	return rc;
}

static int pagemap_pread(int fd, uint64_t start, size_t npages, uint64_t *out)
{
	size_t want = npages * sizeof(uint64_t), got = 0;
	off_t off = (off_t)(start / 4096 * sizeof(uint64_t));
	while (got < want) {
		ssize_t k = pread(fd, (char *)out + got, want - got, off + (off_t)got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? -errno : -EIO;
		got += (size_t)k;
	}
	return 0;
}

static int pagemap_read(const char *path, uint64_t start, size_t npages, uint64_t *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = pagemap_pread(fd, start, npages, out);
	close(fd);
	return rc;
}

int dbg_proc_pagemap_open(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int dbg_proc_pagemap_fd(int fd, uint64_t start, size_t npages, uint64_t *out)
{
	return fd < 0 ? fd : pagemap_pread(fd, start, npages, out);
}

/* A page of a fresh mapping, once written, reads soft-dirty where the
 * kernel keeps the bits (a new mapping starts dirty); without them the bit
 * is always clear. No fork, and our own bits are left alone. */
static bool softdirty_probe(void)
{
	volatile uint8_t *pg =
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pg == MAP_FAILED)
		return false;
	pg[0] = 1;
	uint64_t e = 0;
	bool ok = pagemap_read("/proc/self/pagemap", (uint64_t)(uintptr_t)pg, 1, &e) == 0 &&
		  (e & DBG_PM_SOFT_DIRTY);
	munmap((void *)pg, 4096);
	return ok;
}

bool dbg_proc_softdirty_works(void)
{
	static int known = -1;
	if (known < 0) {
		const char *off = getenv("BOOTSCOPE_NO_SOFT_DIRTY");
		known = off && *off ? 0 : softdirty_probe();
	}
	return known == 1;
}

int dbg_proc_clear_softdirty(pid_t pid, struct dbg_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	int rc = write_clear_refs(path);
	if (rc < 0)
		return dbg_err_errno(err, rc, "cannot write %s", path);
	return 0;
}

int dbg_proc_pagemap(pid_t pid, uint64_t start, size_t npages, uint64_t *out, struct dbg_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	int rc = pagemap_read(path, start, npages, out);
	if (rc < 0)
		return dbg_err_errno(err, rc, "cannot read %s", path);
	return 0;
}
