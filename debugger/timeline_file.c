/*
 * timeline_file — saving and loading recordings (docs/timeline.md).
 */
#include "timeline_int.h"

/* ---- the recording file (docs/timeline.md) ------------------------------ */

static const char MAGIC[8] = { 'B', 'S', 'C', 'O', 'P', 'E', 'T', 'L' };
enum { HEADER_SIZE = 48 };
enum {
	S_PROGRAM = 1,
	S_STATE = 2,
	S_MAPS = 3,
	S_ZERO = 4,
	S_PAGES = 5,
	S_STEPS = 6,
	S_THREADS = 7,
	S_STAGES = 8,
	S_SYSCALLS = 9
};

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
	return S_ISDIR(m)  ? "a directory" :
	       S_ISFIFO(m) ? "a FIFO" :
	       S_ISCHR(m)  ? "a character device" :
	       S_ISBLK(m)  ? "a block device" :
	       S_ISSOCK(m) ? "a socket" :
			     "of an unknown kind";
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
		return dbg_err_set(err, -EINVAL, "cannot %s %s: not a regular file (%s)", what,
				   path, file_kind(st.st_mode));
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
		int rc = dbg_write_all(fd, p, n);
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
	rc = dbg_write_all(fd, p, n);
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
			tl_restart(tl, t, r, (&t->last)->tid);
	}
	if (!tl->started || tl->gap)
		return dbg_err_set(err, -ENODATA, "cannot save the recording %s: nothing recorded",
				   path);
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
		wb_le(&w, tl_cwords(&tl->base_regs)[i], 8);
	wb_le(&w,
	      tl->stage_at_first >= 0 && (size_t)tl->stage_at_first < st->n ?
		      st->v[tl->stage_at_first].addr :
		      0,
	      8);
	section_end(&w, at);
	nsec++;

	at = section_begin(&w, S_MAPS);
	wb_le(&w, tl->nmaps, 8);
	for (size_t i = 0; i < tl->nmaps; i++) {
		const struct dbg_map *m = &tl->maps[i];
		wb_le(&w, m->start, 8);
		wb_le(&w, m->end, 8);
		wb_le(&w, m->offset, 8);
		wb_le(&w,
		      (uint64_t)m->r | (uint64_t)m->w << 1 | (uint64_t)m->x << 2 |
			      (uint64_t)m->shared << 3,
		      4);
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

	/* the system calls and signals seen, decoded as they happened */
	at = section_begin(&w, S_SYSCALLS);
	wb_le(&w, t->sys.n, 8);
	for (size_t i = 0; i < t->sys.n; i++) {
		const struct dbg_sys_event *e = &t->sys.v[i];
		uint64_t flags = (e->returned ? 1 : 0) | (e->in_kernel ? 2 : 0) |
				 (e->restarting ? 4 : 0) | (e->stopped ? 8 : 0);
		const uint64_t f[] = { e->kind,
				       e->step,
				       (uint64_t)e->tid,
				       (uint64_t)e->m,
				       (uint64_t)e->goid,
				       (uint64_t)(int64_t)e->stage,
				       e->pc,
				       e->caller,
				       e->nr,
				       e->args[0],
				       e->args[1],
				       e->args[2],
				       e->args[3],
				       e->args[4],
				       e->args[5],
				       e->nargs,
				       flags,
				       (uint64_t)e->ret,
				       (uint64_t)(int64_t)e->signo,
				       (uint64_t)(int64_t)e->code };
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
			wb_le(&w, f[k], 8);
		for (unsigned k = 0; k < e->nargs && k < 6; k++) {
			size_t len = strnlen(e->arg[k].text, sizeof(e->arg[k].text) - 1);
			wb_le(&w, e->arg[k].raw, 8);
			wb_le(&w, len, 8);
			wb_bytes(&w, e->arg[k].text, len);
			wb_pad8(&w);
		}
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
	uint32_t crc = tl_crc32_update(0, w.p, w.n);
	for (size_t i = 0; i < 4; i++)
		w.p[28 + i] = (uint8_t)(crc >> (8 * i));
	int rc = write_file(path, w.p, w.n, err);
	free(w.p);
	if (!tl->from_file)
		free(elf);
	return rc;
}

/* Check every step record: well-formed, and writing only recorded pages.
 * The writes index is built on the way (timeline_index.c). */
static int check_steps(struct dbg_timeline *tl, const char *path, struct dbg_err *err)
{
	struct dbg_regs regs = tl->base_regs;
	pid_t tid = tl->base_tid;
	uint64_t pos = tl_rec_start(tl), step = tl->first;
	tl_index_start(tl);
	while (pos < tl_rec_end(tl)) {
		const uint8_t *body;
		size_t len;
		uint64_t next;
		if (tl_frame_fwd(tl, pos, &body, &len, &next) < 0)
			return dbg_err_set(err, -EINVAL,
					   "cannot load recording %s: step %" PRIu64
					   " is tl_damaged (bad frame)",
					   path, step + 1);
		struct rd r = { body, body + len, false };
		uint8_t flags;
		uint64_t rsp0, rip0 = regs.rip;
		pid_t tid0 = tid;
		bool bad = tl_body_regs(&r, &regs, &tid, 1, &flags, &rsp0) < 0;
		uint64_t pc = bad ? 0 : tl_index_thread(tl, tid0, rip0, tid);
		if (!bad && (flags & F_MEM)) {
			uint32_t e = tl_index_add(tl, &(struct wstep){
							      .step = step + 1,
							      .pos = pos,
							      .pc = pc,
							      .rsp0 = rsp0,
							      .tid = tid,
							      .jump = (flags & F_JUMP) != 0,
						      });
			uint64_t nw = tl_rd_uv(&r);
			for (uint64_t k = 0; k < nw && !r.bad; k++) {
				uint64_t addr = rsp0 + (uint64_t)tl_unzz(tl_rd_uv(&r));
				uint64_t n = tl_rd_uv(&r);
				if (!tl_rd_bytes(&r, n))
					break;
				if (addr + n < addr) {
					r.bad = true;
					break;
				}
				for (uint64_t pa = addr & PAGE_MASK; pa < addr + n; pa += PAGE) {
					struct page *pg = tl_page_find(tl, pa);
					if (!pg)
						return dbg_err_set(err, -EINVAL,
								   "cannot load recording %s: step %" PRIu64
								   " writes to 0x%" PRIx64
								   ", outside the recorded pages",
								   path, step + 1, addr);
					tl_index_page(tl, pg, e);
				}
			}
		}
		if (bad || r.bad || r.p != r.end)
			return dbg_err_set(err, -EINVAL,
					   "cannot load recording %s: step %" PRIu64
					   " is tl_damaged (bad record)",
					   path, step + 1);
		pos = next;
		step++;
		if (flags & F_JUMP)
			tl_jump_add(tl, step);
	}
	if (step != tl->last)
		return dbg_err_set(err, -EINVAL,
				   "cannot load recording %s: %" PRIu64
				   " step records, the header says %" PRIu64,
				   path, step - tl->first, tl->last - tl->first);
	tl->last_regs = tl->ix_regs = regs;
	tl->last_tid = tl->ix_tid = tid;
	tl->ix_pos = pos;
	tl->ix_step = step;
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
		return dbg_err_errno(err, -errno,
				     "cannot load recording %s: cannot place the program", path);
	size_t done = 0;
	while (done < tl->elf_size) {
		ssize_t k = write(fd, tl->elf + done, tl->elf_size - done);
		if (k <= 0) {
			int rc = k < 0 ? -errno : -EIO;
			close(fd);
			return dbg_err_errno(err, rc,
					     "cannot load recording %s: cannot place the program",
					     path);
		}
		done += (size_t)k;
	}
	tl->elf_fd = fd;
	snprintf(prog, n, "/proc/self/fd/%d", fd);
	return 0;
}

/* A section's count of entries of at least per bytes each: more than the
 * section can hold marks it damaged. */
static uint64_t count(struct rd *q, uint64_t per)
{
	uint64_t ssize = (uint64_t)(q->end - q->p), cnt = tl_rd_u64(q);
	if (cnt > ssize / per)
		q->bad = true;
	return q->bad ? 0 : cnt;
}

/* the load bias, rsp at the entry, the program's path and its bytes */
static void sec_program(struct dbg_timeline *tl, struct rd *q)
{
	tl->bias = tl_rd_u64(q);
	tl->entry_sp = tl_rd_u64(q);
	uint32_t plen = tl_rd_u32(q);
	tl_rd_u32(q);
	const uint8_t *pp = tl_rd_bytes(q, plen);
	tl_rd_bytes(q, (8 - plen % 8) % 8);
	uint64_t esize = tl_rd_u64(q);
	const uint8_t *ep = tl_rd_bytes(q, esize);
	if (q->bad || !pp || !ep || !plen)
		return;
	tl->prog_path = strndup((const char *)pp, plen);
	tl->elf = malloc(esize ? (size_t)esize : 1);
	if (!tl->prog_path || !tl->elf)
		abort();
	memcpy(tl->elf, ep, (size_t)esize);
	tl->elf_size = (size_t)esize;
}

/* the thread and registers at the first step, the stage there */
static void sec_state(struct dbg_timeline *tl, struct rd *q)
{
	tl->base_tid = (pid_t)tl_rd_u32(q);
	if (tl_rd_u32(q) != NREGS) {
		q->bad = true;
		return;
	}
	for (size_t k = 0; k < NREGS; k++)
		tl_words(&tl->base_regs)[k] = tl_rd_u64(q);
	tl->stage_at_first = -1;
	tl->stage_first_addr = tl_rd_u64(q); /* resolved at attach */
}

/* the mappings at the start */
static void sec_maps(struct dbg_timeline *tl, struct rd *q)
{
	uint64_t cnt = count(q, 32);
	tl->maps = calloc(cnt + 1, sizeof(*tl->maps));
	if (!tl->maps)
		abort();
	for (uint64_t k = 0; k < cnt && !q->bad; k++) {
		struct dbg_map *m = &tl->maps[k];
		m->start = tl_rd_u64(q);
		m->end = tl_rd_u64(q);
		m->offset = tl_rd_u64(q);
		uint32_t fl = tl_rd_u32(q), nl = tl_rd_u32(q);
		m->r = fl & 1;
		m->w = fl & 2;
		m->x = fl & 4;
		m->shared = fl & 8;
		const uint8_t *np = tl_rd_bytes(q, nl);
		tl_rd_bytes(q, (8 - nl % 8) % 8);
		if (np)
			snprintf(m->name, sizeof(m->name), "%.*s", (int)nl, (const char *)np);
	}
	tl->nmaps = (size_t)cnt;
}

/* anonymous mappings made by the program (read as zeros) */
static void sec_zero(struct dbg_timeline *tl, struct rd *q)
{
	uint64_t cnt = count(q, 16);
	for (uint64_t k = 0; k < cnt && !q->bad; k++) {
		uint64_t a = tl_rd_u64(q), l = tl_rd_u64(q);
		tl_zero_add(tl, a, l);
	}
}

/* the base image: each page's address and its bytes (or zeros) */
static void sec_pages(struct dbg_timeline *tl, struct rd *q)
{
	uint64_t cnt = count(q, 16);
	for (uint64_t k = 0; k < cnt && !q->bad; k++) {
		uint64_t a = tl_rd_u64(q), kind = tl_rd_u64(q);
		const uint8_t *d = kind ? tl_rd_bytes(q, PAGE) : NULL;
		if (q->bad || (a & ~PAGE_MASK) || kind > 1 || tl_page_find(tl, a)) {
			q->bad = true;
			break;
		}
		uint8_t *copy = NULL;
		if (d) {
			copy = dbg_xrealloc(NULL, PAGE);
			memcpy(copy, d, PAGE);
		}
		tl_page_add(tl, a, copy);
	}
}

/* the encoded step records */
static void sec_steps(struct dbg_timeline *tl, struct rd *q)
{
	uint64_t cnt = tl_rd_u64(q), bytes = tl_rd_u64(q);
	const uint8_t *d = tl_rd_bytes(q, bytes);
	if (q->bad || cnt != tl->last - tl->first) {
		q->bad = true;
		return;
	}
	tl->rec = dbg_xrealloc(NULL, bytes ? (size_t)bytes : 1);
	memcpy(tl->rec, d, (size_t)bytes);
	tl->rcap = tl->rtail = (size_t)bytes;
}

/* the threads each time their set or places changed */
static void sec_threads(struct dbg_timeline *tl, struct rd *q)
{
	uint64_t ssize = (uint64_t)(q->end - q->p);
	uint64_t cnt = count(q, 16);
	uint64_t prev = 0;
	for (uint64_t k = 0; k < cnt && !q->bad; k++) {
		uint64_t step = tl_rd_u64(q), nt = tl_rd_u64(q);
		if (nt > ssize / 32 || step < prev || step > tl->last) {
			q->bad = true;
			break;
		}
		prev = step;
		size_t off = tl->nthr;
		for (uint64_t j = 0; j < nt && !q->bad; j++) {
			struct thr t;
			t.tid = (pid_t)tl_rd_u64(q);
			t.rip = tl_rd_u64(q);
			t.fs_base = tl_rd_u64(q);
			t.syscall = (int64_t)tl_rd_u64(q);
			tl_thr_add(tl, &t);
		}
		tl_tsnap_add(tl, step, off, (size_t)nt);
	}
}

/* each stage's first step, count shown, exactness and rank; the stage hits */
static void sec_stages(struct dbg_timeline *tl, struct rd *q)
{
	uint64_t ssize = (uint64_t)(q->end - q->p);
	uint64_t cnt = count(q, 40);
	tl->fstages = dbg_xrealloc(NULL, (size_t)(cnt ? cnt : 1) * sizeof(*tl->fstages));
	for (uint64_t k = 0; k < cnt && !q->bad; k++) {
		struct file_stage *f = &tl->fstages[k];
		f->addr = tl_rd_u64(q);
		f->first = tl_rd_u64(q);
		f->shown = tl_rd_u64(q);
		f->seq = tl_rd_u64(q);
		uint64_t ex = tl_rd_u64(q);
		f->exact = ex == 1;
		if (ex > 1 || f->seq > cnt ||
		    (f->first != NOT_REACHED && (f->first > tl->last || f->shown > tl->last)))
			q->bad = true;
	}
	tl->nfstages = (size_t)cnt;
	uint64_t nh = tl_rd_u64(q), prev = 0;
	if (q->bad || nh > ssize / 16) {
		q->bad = true;
		return;
	}
	tl->fhits = dbg_xrealloc(NULL, (size_t)(nh ? nh : 1) * sizeof(*tl->fhits));
	for (uint64_t k = 0; k < nh && !q->bad; k++) {
		tl->fhits[k].step = tl_rd_u64(q);
		tl->fhits[k].addr = tl_rd_u64(q);
		if (tl->fhits[k].step < prev || tl->fhits[k].step < tl->first ||
		    tl->fhits[k].step > tl->last)
			q->bad = true;
		prev = tl->fhits[k].step;
	}
	tl->nfhits = (size_t)nh;
	tl->file_stages = true;
}

/* the system calls and signals (syslog.h), decoded as they happened */
static void sec_syscalls(struct dbg_timeline *tl, struct rd *q)
{
	uint64_t cnt = count(q, 160);
	for (uint64_t k = 0; k < cnt && !q->bad; k++) {
		struct dbg_sys_event *e = dbg_syslog_add(&tl->fsys);
		uint64_t f[20];
		for (size_t i = 0; i < 20; i++)
			f[i] = tl_rd_u64(q);
		if (f[0] > DBG_SYS_SIGNAL || f[15] > 6 || f[16] > 15) {
			q->bad = true;
			break;
		}
		e->kind = (enum dbg_sys_kind)f[0];
		e->step = f[1];
		e->tid = (pid_t)f[2];
		e->m = (int64_t)f[3];
		e->goid = (int64_t)f[4];
		e->stage = (int)(int64_t)f[5];
		e->pc = f[6];
		e->caller = f[7];
		e->nr = f[8];
		memcpy(e->args, &f[9], sizeof(e->args));
		e->nargs = (unsigned)f[15];
		e->returned = f[16] & 1;
		e->in_kernel = f[16] & 2;
		e->restarting = f[16] & 4;
		e->stopped = f[16] & 8;
		e->ret = (int64_t)f[17];
		e->signo = (int)(int64_t)f[18];
		e->code = (int)(int64_t)f[19];
		for (unsigned a = 0; a < e->nargs && !q->bad; a++) {
			e->arg[a].raw = tl_rd_u64(q);
			uint64_t len = tl_rd_u64(q);
			if (len >= sizeof(e->arg[a].text)) {
				q->bad = true;
				break;
			}
			const uint8_t *p = tl_rd_bytes(q, len);
			if (!p)
				break;
			memcpy(e->arg[a].text, p, (size_t)len);
			e->arg[a].text[len] = 0;
			tl_rd_bytes(q, (8 - len % 8) % 8);
		}
	}
}

/* The sections this version reads (docs/timeline.md), by type. */
static const struct section {
	const char *name;
	void (*read)(struct dbg_timeline *tl, struct rd *q);
} sections[] = {
	[S_PROGRAM] = { "program", sec_program },
	[S_STATE] = { "state", sec_state },
	[S_MAPS] = { "maps", sec_maps },
	[S_ZERO] = { "zero", sec_zero },
	[S_PAGES] = { "pages", sec_pages },
	[S_STEPS] = { "steps", sec_steps },
	[S_THREADS] = { "threads", sec_threads },
	[S_STAGES] = { "stages", sec_stages },
	[S_SYSCALLS] = { "syscalls", sec_syscalls },
};

static const struct section *section(uint32_t type)
{
	return type < sizeof(sections) / sizeof(sections[0]) && sections[type].name ?
		       &sections[type] :
		       NULL;
}

static const char *section_name(uint32_t type)
{
	const struct section *sec = section(type);
	return sec ? sec->name : "unknown";
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
		rc = dbg_err_set(err, -EINVAL,
				 "cannot load recording %s: truncated (%zu bytes, shorter than the header)",
				 path, size);
		goto fail;
	}
	r.p += 8;
	uint32_t version = tl_rd_u32(&r), hsize = tl_rd_u32(&r);
	uint64_t fsize = tl_rd_u64(&r);
	uint32_t nsec = tl_rd_u32(&r), crc = tl_rd_u32(&r);
	uint64_t first = tl_rd_u64(&r), last = tl_rd_u64(&r);
	if (version < 1 || version > DBG_TL_FORMAT_VERSION) {
		rc = dbg_err_set(err, -EINVAL,
				 "cannot load recording %s: format version %u is not supported (this bootscope reads versions 1 to %d)",
				 path, version, DBG_TL_FORMAT_VERSION);
		goto fail;
	}
	if (hsize != HEADER_SIZE) {
		rc = dbg_err_set(err, -EINVAL, "cannot load recording %s: bad header size %u", path,
				 hsize);
		goto fail;
	}
	if (fsize != size) {
		rc = dbg_err_set(err, -EINVAL,
				 fsize > size ?
					 "cannot load recording %s: truncated (the header says %" PRIu64
					 " bytes, the file has %zu)" :
					 "cannot load recording %s: wrong size (the header says %" PRIu64
					 " bytes, the file has %zu)",
				 path, fsize, size);
		goto fail;
	}
	memset(buf + 28, 0, 4);
	uint32_t got = tl_crc32_update(0, buf, size);
	if (got != crc) {
		rc = dbg_err_set(err, -EINVAL,
				 "cannot load recording %s: checksum mismatch (stored 0x%08x, computed 0x%08x): the file is damaged",
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
	bool have[S_SYSCALLS + 1] = { false };
	r.p = buf + HEADER_SIZE;
	for (uint32_t i = 0; i < nsec; i++) {
		uint32_t type = tl_rd_u32(&r);
		tl_rd_u32(&r);
		uint64_t ssize = tl_rd_u64(&r);
		const uint8_t *sp = tl_rd_bytes(&r, ssize);
		if (r.bad || !sp) {
			rc = dbg_err_set(err, -EINVAL,
					 "cannot load recording %s: section %u runs past the end of the file",
					 path, i + 1);
			goto fail;
		}
		tl_rd_bytes(&r, (8 - ssize % 8) % 8);
		struct rd q = { sp, sp + ssize, false };
		const struct section *sec = section(type);
		if (type >= S_PROGRAM && type <= S_SYSCALLS) {
			/* a second copy would replace (and leak) the first */
			if (have[type]) {
				rc = dbg_err_set(err, -EINVAL,
						 "cannot load recording %s: section %u repeats the %s section (type %u)",
						 path, i + 1, section_name(type), type);
				goto fail;
			}
			have[type] = true;
		}
		if (sec && sec->read)
			sec->read(tl, &q);
		if (q.bad || q.p != q.end) {
			char what[96];
			snprintf(what, sizeof(what), "section %u (type %u) is damaged", i + 1,
				 type);
			rc = bad_file(err, path, what);
			goto fail;
		}
	}
	if (r.bad || r.p != r.end) {
		rc = dbg_err_set(err, -EINVAL,
				 "cannot load recording %s: %zu bytes after the last of its %u sections",
				 path, (size_t)(r.end - r.p), nsec);
		goto fail;
	}
	static const uint32_t required[] = { S_PROGRAM, S_STATE, S_PAGES, S_STEPS };
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!have[required[i]]) {
			rc = dbg_err_set(err, -EINVAL,
					 "cannot load recording %s: the %s section (type %u) is missing",
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
	tl->view_pos = tl_rec_start(tl);
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
	if (tl_move_to(tl, t, tl->last, NULL) < 0 || tl->view != tl->last) {
		tl_view_stop(tl, t, DBG_STOP_ENTRY, 0);
		return;
	}
	tl_view_stop(tl, t, tl->first == tl->last ? DBG_STOP_ENTRY : DBG_STOP_NO_HISTORY, 0);
}

void dbg_tl_on_attach(struct dbg_timeline *tl, struct dbg_target *t)
{
	if (!tl->from_file) {
		if (t->live)
			tl->gap = true;
		return;
	}
	const struct dbg_stages *st = &t->stages;
	/* the calls the recorded run made */
	dbg_syslog_clear(&t->sys);
	for (size_t k = 0; k < tl->fsys.n; k++)
		*dbg_syslog_add(&t->sys) = tl->fsys.v[k];
	tl_stages_init(tl, t, false);
	tl->stage_at_first = tl->stage_first_addr ? dbg_stages_at(st, tl->stage_first_addr) : -1;
	if (tl->file_stages) {
		/* as the live session counted them, free runs included */
		for (size_t k = 0; k < tl->nfhits; k++) {
			int i = dbg_stages_at(st, tl->fhits[k].addr);
			if (i >= 0)
				tl_hit_add(tl, tl->fhits[k].step, i, tl->fhits[k].step, true);
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
		tl_hit_add(tl, tl->first, i, tl->first, true);
	uint64_t pos = tl_rec_start(tl), step = tl->first;
	while (pos < tl_rec_end(tl)) {
		const uint8_t *body;
		size_t len;
		uint64_t next, rsp0;
		uint8_t flags;
		if (tl_frame_fwd(tl, pos, &body, &len, &next) < 0)
			break;
		struct rd r = { body, body + len, false };
		tl_body_regs(&r, &regs, &tid, 1, &flags, &rsp0);
		step++;
		if ((i = dbg_stages_at(st, regs.rip)) >= 0)
			tl_hit_add(tl, step, i, step, true);
		pos = next;
	}
	at_end(tl, t);
}

int dbg_tl_rewind(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_stop *stop,
		  struct dbg_err *err)
{
	int rc = tl_ready(tl, t, err);
	if (rc < 0)
		return rc;
	rc = tl_move_to(tl, t, tl->first, err);
	if (rc < 0)
		return rc;
	tl_view_stop(tl, t, DBG_STOP_ENTRY, 0);
	*stop = tl->view_stop;
	return 0;
}
