/*
 * timeline_trace — the JSON Lines trace, one line per recorded step.
 */
#include "timeline_int.h"

/* ---- the trace ---------------------------------------------------------- */

/* Trace lines are built whole in tbuf and written whole, so a failed write
 * can be cut off at the last complete line. */
enum { TRACE_FLUSH = 64 << 10 };

static void tb_room(struct dbg_timeline *tl, size_t n)
{
	if (tl->tbuf_n + n <= tl->tbuf_cap)
		return;
	size_t cap = tl->tbuf_cap ? tl->tbuf_cap : 2 * TRACE_FLUSH;
	while (cap < tl->tbuf_n + n)
		cap *= 2;
	tl->tbuf = dbg_xrealloc(tl->tbuf, cap);
	tl->tbuf_cap = cap;
}

static void tb_put(struct dbg_timeline *tl, const char *p, size_t n)
{
	tb_room(tl, n);
	memcpy(tl->tbuf + tl->tbuf_n, p, n);
	tl->tbuf_n += n;
}

static void tb_puts(struct dbg_timeline *tl, const char *p) { tb_put(tl, p, strlen(p)); }

static void tb_printf(struct dbg_timeline *tl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void tb_printf(struct dbg_timeline *tl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	tb_room(tl, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(tl->tbuf + tl->tbuf_n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	tl->tbuf_n += (size_t)n;
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0:
 * overlong forms, surrogates and values past U+10FFFF are not valid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp;
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* A JSON string as docs/json.md writes them: valid UTF-8 as is, control
 * characters and DEL escaped, and a byte that is not valid UTF-8 as
 * \u00XX (its Latin-1 reading), so any bytes give valid JSON. */
static void json_str(struct dbg_timeline *tl, const char *str)
{
	const unsigned char *p = (const unsigned char *)str;
	size_t n = strlen(str);
	tb_put(tl, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t l = utf8_len(p + i, n - i);
		if (c == '"' || c == '\\') {
			tb_printf(tl, "\\%c", c);
			i++;
		} else if (c < 0x20 || c == 0x7f || l == 0) {
			tb_printf(tl, "\\u%04x", c);
			i++;
		} else {
			tb_put(tl, str + i, l);
			i += l;
		}
	}
	tb_put(tl, "\"", 1);
}

static void hex(struct dbg_timeline *tl, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	tb_room(tl, 2 * n + 2);
	char *o = tl->tbuf + tl->tbuf_n;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		*o++ = digits[p[i] >> 4];
		*o++ = digits[p[i] & 15];
	}
	*o++ = '"';
	tl->tbuf_n += 2 * n + 2;
}

/* Write the buffered lines. On the first failure the trace stops: what a
 * short write left of a line is cut off (where the file allows), and the
 * error waits for dbg_tl_trace_status. */
static int trace_flush(struct dbg_timeline *tl)
{
	if (tl->trace_fd < 0 || !tl->tbuf_n)
		return tl->trace_err;
	int rc = tl_write_all(tl->trace_fd, (const uint8_t *)tl->tbuf, tl->tbuf_n);
	if (rc < 0) {
		if (ftruncate(tl->trace_fd, tl->trace_off) < 0) {
			/* a device or a pipe: nothing to cut */
		}
		close(tl->trace_fd);
		tl->trace_fd = -1;
		tl->trace_err = rc;
	} else {
		tl->trace_off += (off_t)tl->tbuf_n;
	}
	tl->tbuf_n = 0;
	return rc;
}

void tl_trace_step(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r)
{
	char sym[256], text[256];
	uint64_t pc = tl->pre_rip;
	tb_printf(tl, "{\"step\":%" PRIu64 ",\"pc\":\"0x%" PRIx64 "\",\"symbol\":", tl->last, pc);
	if (dbg_elf_symbolize(t->elf, pc, sym, sizeof(sym)) < 0)
		tb_puts(tl, "null");
	else
		json_str(tl, sym);
	int st = tl_stage_at(tl, tl->last);
	const struct dbg_stages *stages = &t->stages;
	tb_puts(tl, ",\"stage\":");
	if (st >= 0 && (size_t)st < stages->n)
		json_str(tl, stages->v[st].name);
	else
		tb_puts(tl, "null");
	struct dbg_insn in;
	tb_puts(tl, ",\"insn\":");
	if (tl->pre_dec && dbg_disasm_one(t->dis, tl->pre_dec->ws.bytes,
					  tl->pre_dec->ws.size, pc, &in, NULL) == 0) {
		dbg_insn_text(&in, text, sizeof(text));
		json_str(tl, text);
	} else {
		tb_puts(tl, "null");
	}
	tb_puts(tl, ",\"regs\":{");
	const uint64_t *o = tl_cwords(&tl->last_regs), *w = tl_cwords(r);
	bool comma = false;
	for (size_t i = 0; i < dbg_regs_count; i++) {
		size_t k = dbg_regs_table[i].offset / 8;
		if (o[k] == w[k])
			continue;
		tb_printf(tl, "%s\"%s\":\"0x%" PRIx64 "\"", comma ? "," : "", dbg_regs_table[i].name,
			  w[k]);
		comma = true;
	}
	tb_puts(tl, "},\"mem\":[");
	comma = false;
	for (size_t i = 0; i < tl->nranges; i++) {
		const struct range *rg = &tl->ranges[i];
		if (!rg->old_ok || !rg->new_ok)
			continue;
		const uint8_t *a = tl->old + rg->off, *b = tl->new + rg->off;
		size_t lo = 0, hi = rg->len;
		if (rg->syscall) { /* the kernel fills what it fills: show that */
			while (lo < hi && a[lo] == b[lo])
				lo++;
			while (hi > lo && a[hi - 1] == b[hi - 1])
				hi--;
			if (lo == hi)
				continue;
		}
		tb_printf(tl, "%s{\"addr\":\"0x%" PRIx64 "\",\"size\":%zu,\"old\":", comma ? "," : "",
			  rg->addr + lo, hi - lo);
		hex(tl, a + lo, hi - lo);
		tb_puts(tl, ",\"new\":");
		hex(tl, b + lo, hi - lo);
		tb_put(tl, "}", 1);
		comma = true;
	}
	tb_puts(tl, "]}\n");
	if (tl->tbuf_n >= TRACE_FLUSH)
		trace_flush(tl);
}

int dbg_tl_trace_open(struct dbg_timeline *tl, const char *path, struct dbg_err *err)
{
	dbg_tl_trace_close(tl, NULL);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return dbg_err_errno(err, -errno, "cannot write the trace %s", path);
	tl->trace_path = strdup(path);
	if (!tl->trace_path)
		abort();
	tl->trace_fd = fd;
	tl->tbuf_n = 0;
	tl->trace_off = 0;
	tl->trace_err = 0;
	tl->trace_told = false;
	dbg_tl_set_full(tl, true);
	return 0;
}

int dbg_tl_trace_status(struct dbg_timeline *tl, struct dbg_err *err)
{
	if (!tl->trace_err || tl->trace_told)
		return 0;
	tl->trace_told = true;
	return dbg_err_errno(err, tl->trace_err, "cannot write the trace %s", tl->trace_path);
}

int dbg_tl_trace_close(struct dbg_timeline *tl, struct dbg_err *err)
{
	if (!tl->trace_path)
		return 0;
	trace_flush(tl);
	if (tl->trace_fd >= 0 && close(tl->trace_fd) < 0 && !tl->trace_err)
		tl->trace_err = -errno;
	tl->trace_fd = -1;
	int rc = dbg_tl_trace_status(tl, err);
	free(tl->trace_path);
	tl->trace_path = NULL;
	free(tl->tbuf);
	tl->tbuf = NULL;
	tl->tbuf_n = tl->tbuf_cap = 0;
	tl->trace_err = 0;
	return rc;
}
