/*
 * trace — the --trace file as an observer of the timeline. See trace.h.
 */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "render.h"

/* Lines are written when this much is buffered. */
enum { TRACE_FLUSH = 64 << 10 };

struct ui_trace {
	struct dbg_timeline *tl;
	char *path;
	int fd;     /* -1: the trace ended (a write failed) */
	FILE *buf;  /* whole lines not yet written (a memstream) */
	char *data; /* its contents, len bytes, after an fflush */
	size_t len;
	off_t off;              /* bytes of whole lines written */
	struct dbg_arena arena; /* the line being built */
	char *hex;              /* a write's bytes in hex */
	size_t hex_cap;
};

/* Write the buffered lines. On a failure the trace ends: what a short
 * write left of a line is cut off (where the file allows). */
static int flush(struct ui_trace *tr, struct dbg_err *err)
{
	int rc;

	if (fflush(tr->buf) != 0)
		abort();
	if (tr->fd < 0 || !tr->len)
		return 0;
	rc = dbg_write_all(tr->fd, tr->data, tr->len);
	if (rc < 0) {
		if (ftruncate(tr->fd, tr->off) < 0) {
			/* a device or a pipe: nothing to cut */
		}
		close(tr->fd);
		tr->fd = -1;
	} else {
		tr->off += (off_t)tr->len;
	}
	rewind(tr->buf);
	tr->len = 0;
	if (rc < 0)
		return dbg_err_errno(err, rc, "cannot write the trace %s", tr->path);
	return 0;
}

/* n bytes as a string of lowercase hex digits. */
static struct dbg_val *hex(struct ui_trace *tr, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	tr->hex = dbg_grow(tr->hex, &tr->hex_cap, 2 * n + 1, 1);
	for (size_t i = 0; i < n; i++) {
		tr->hex[2 * i] = digits[p[i] >> 4];
		tr->hex[2 * i + 1] = digits[p[i] & 15];
	}
	return dbg_val_strn(&tr->arena, tr->hex, 2 * n);
}

/* dbg_tl_observer: one line for the step. */
static int observe(void *arg, const struct dbg_tl_step *st, struct dbg_err *err)
{
	struct ui_trace *tr = arg;
	struct dbg_val *line, *regs, *mem;

	if (tr->fd < 0)
		return 0;
	line = dbg_val_object(&tr->arena);
	dbg_obj_uint(line, "step", st->step);
	dbg_obj_addr(line, "pc", st->pc);
	dbg_obj_str(line, "symbol", st->symbol);
	dbg_obj_str(line, "stage", st->stage_name);
	dbg_obj_str(line, "insn", st->insn);
	regs = dbg_obj_object(line, "regs");
	for (size_t i = 0; i < st->nregs; i++)
		dbg_obj_addr(regs, st->regs[i].name, st->regs[i].new);
	mem = dbg_obj_array(line, "mem");
	for (size_t i = 0; i < st->nmem; i++) {
		const struct dbg_tl_write *w = &st->mem[i];
		struct dbg_val *o = dbg_arr_object(mem);

		dbg_obj_addr(o, "addr", w->addr);
		dbg_obj_uint(o, "size", w->size);
		dbg_obj_set(o, "old", hex(tr, w->old, w->size));
		dbg_obj_set(o, "new", hex(tr, w->new, w->size));
	}
	ui_render_json(tr->buf, line);
	putc('\n', tr->buf);
	dbg_arena_reset(&tr->arena);
	/* the position is the buffered length */
	if (ftello(tr->buf) < TRACE_FLUSH)
		return 0;
	return flush(tr, err);
}

int ui_trace_open(struct ui_trace **out, struct dbg_timeline *tl, const char *path,
		  struct dbg_err *err)
{
	struct ui_trace *tr = calloc(1, sizeof(*tr));

	if (!tr)
		abort();
	tr->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (tr->fd < 0) {
		int rc = dbg_err_errno(err, -errno, "cannot write the trace %s", path);

		free(tr);
		return rc;
	}
	tr->path = strdup(path);
	tr->buf = open_memstream(&tr->data, &tr->len);
	if (!tr->path || !tr->buf)
		abort();
	tr->tl = tl;
	dbg_arena_init(&tr->arena);
	dbg_tl_set_observer(tl, observe, tr);
	*out = tr;
	return 0;
}

int ui_trace_close(struct ui_trace *tr, struct dbg_err *err)
{
	int rc;

	if (!tr)
		return 0;
	/* a failure a step met and did not report, else the last lines */
	rc = dbg_tl_observer_status(tr->tl, err);
	dbg_tl_set_observer(tr->tl, NULL, NULL);
	if (rc == 0)
		rc = flush(tr, err);
	if (tr->fd >= 0 && close(tr->fd) < 0 && rc == 0)
		rc = dbg_err_errno(err, -errno, "cannot write the trace %s", tr->path);
	fclose(tr->buf);
	free(tr->data);
	free(tr->path);
	free(tr->hex);
	dbg_arena_release(&tr->arena);
	free(tr);
	return rc;
}
