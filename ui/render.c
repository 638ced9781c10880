/*
 * render — JSON Lines and gdb-like text for events. See render.h.
 */
#include "render.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* ---- JSON --------------------------------------------------------------- */

/*
 * The JSON of a value is built in one buffer and written with one fwrite: a
 * stop event holds about 80 pieces, and a stdio call per piece cost more than
 * everything else of a `stepi 1`.
 */
struct jbuf {
	char *p;    /* stack or heap */
	size_t n;   /* bytes in p */
	size_t cap; /* size of p */
	bool heap;  /* p is malloc'd */
};

static void jb_grow(struct jbuf *b, size_t more)
{
	size_t cap = b->cap * 2;
	char *p;

	while (cap - b->n < more)
		cap *= 2;
	p = b->heap ? realloc(b->p, cap) : malloc(cap);
	if (!p)
		abort();
	if (!b->heap)
		memcpy(p, b->p, b->n);
	b->p = p;
	b->cap = cap;
	b->heap = true;
}

static inline void jb_put(struct jbuf *b, const void *s, size_t n)
{
	if (b->cap - b->n < n)
		jb_grow(b, n);
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static inline void jb_c(struct jbuf *b, char c)
{
	if (b->cap == b->n)
		jb_grow(b, 1);
	b->p[b->n++] = c;
}

#define JB_LIT(b, lit) jb_put((b), (lit), sizeof(lit) - 1)

static void jb_write(struct jbuf *b, FILE *out)
{
	if (b->n)
		fwrite(b->p, 1, b->n, out);
	if (b->heap)
		free(b->p);
}

static const char hexdig[] = "0123456789abcdef";

/* Bytes that go into a JSON string as they are: printable ASCII but " and \. */
static unsigned char plain_tab[256];

static void plain_init(void)
{
	for (unsigned c = 0x20; c < 0x7f; c++)
		plain_tab[c] = c != '"' && c != '\\';
}

static inline bool json_plain(unsigned char c)
{
	return plain_tab[c];
}

static bool json_string(struct jbuf *b, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	bool valid = true;
	size_t i = 0;

	jb_c(b, '"');
	while (i < len) {
		unsigned char c = s[i];
		size_t l;

		/* a run of plain ASCII goes in at once */
		l = 0;
		while (i + l < len && json_plain(s[i + l]))
			l++;
		if (l) {
			jb_put(b, s + i, l);
			i += l;
			continue;
		}
		switch (c) {
		case '"':
			JB_LIT(b, "\\\"");
			i++;
			continue;
		case '\\':
			JB_LIT(b, "\\\\");
			i++;
			continue;
		case '\n':
			JB_LIT(b, "\\n");
			i++;
			continue;
		case '\r':
			JB_LIT(b, "\\r");
			i++;
			continue;
		case '\t':
			JB_LIT(b, "\\t");
			i++;
			continue;
		case '\b':
			JB_LIT(b, "\\b");
			i++;
			continue;
		case '\f':
			JB_LIT(b, "\\f");
			i++;
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			char u[6] = { '\\', 'u', '0', '0', hexdig[c >> 4], hexdig[c & 15] };

			jb_put(b, u, sizeof(u));
			i++;
			continue;
		}
		l = dbg_utf8_len(s + i, len - i);
		if (l == 0) {
			/* the exact bytes go in the member's KEY_hex twin */
			JB_LIT(b, "\\ufffd");
			valid = false;
			i++;
			continue;
		}
		jb_put(b, s + i, l);
		i += l;
	}
	jb_c(b, '"');
	return valid;
}

bool ui_json_string(FILE *out, const char *str, size_t len)
{
	char stack[1024];
	struct jbuf b = { stack, 0, sizeof(stack), false };
	bool valid;

	if (!plain_tab['a'])
		plain_init();
	valid = json_string(&b, str, len);

	jb_write(&b, out);
	return valid;
}

/* ,"KEY_hex":"…" for member m: its string's bytes in lowercase hex. */
static void json_hex_member(struct jbuf *b, const struct dbg_val *m)
{
	const unsigned char *s = (const unsigned char *)m->str.s;

	jb_c(b, ',');
	/* the key itself through the escaper, as any key, then the suffix
	 * inside its quotes */
	json_string(b, m->key, strlen(m->key));
	b->n--;
	JB_LIT(b, "_hex\":\"");
	for (size_t i = 0; i < m->str.len; i++) {
		jb_c(b, hexdig[s[i] >> 4]);
		jb_c(b, hexdig[s[i] & 15]);
	}
	jb_c(b, '"');
}

/* v in decimal (hex: "0x" and lowercase hex digits, in quotes). */
static void json_num(struct jbuf *b, uint64_t v, bool neg, bool hex)
{
	char buf[32], *p = buf + sizeof(buf);

	if (hex) {
		/* registers and addresses, 30 of them a stop: a byte at a time */
		static const char pairs[] = "000102030405060708090a0b0c0d0e0f"
					    "101112131415161718191a1b1c1d1e1f"
					    "202122232425262728292a2b2c2d2e2f"
					    "303132333435363738393a3b3c3d3e3f"
					    "404142434445464748494a4b4c4d4e4f"
					    "505152535455565758595a5b5c5d5e5f"
					    "606162636465666768696a6b6c6d6e6f"
					    "707172737475767778797a7b7c7d7e7f"
					    "808182838485868788898a8b8c8d8e8f"
					    "909192939495969798999a9b9c9d9e9f"
					    "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
					    "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
					    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
					    "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
					    "e0e1e2e3e4e5e6e7e8e9eaebecedeeef"
					    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
		*--p = '"';
		while (v > 0xf) {
			p -= 2;
			memcpy(p, pairs + 2 * (v & 0xff), 2);
			v >>= 8;
		}
		if (v)
			*--p = hexdig[v];
		else if (*p == '"')
			*--p = '0';
		*--p = 'x';
		*--p = '0';
		*--p = '"';
	} else {
		do {
			*--p = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		if (neg)
			*--p = '-';
	}
	jb_put(b, p, (size_t)(buf + sizeof(buf) - p));
}

/* "key": (keys are nearly always plain ASCII: one copy) */
static void json_key(struct jbuf *b, const char *key)
{
	size_t l = 0;

	while (json_plain((unsigned char)key[l]))
		l++;
	if (key[l] != '\0') {
		json_string(b, key, l + strlen(key + l));
		jb_c(b, ':');
		return;
	}
	if (b->cap - b->n < l + 3)
		jb_grow(b, l + 3);
	b->p[b->n] = '"';
	memcpy(b->p + b->n + 1, key, l);
	b->p[b->n + 1 + l] = '"';
	b->p[b->n + 2 + l] = ':';
	b->n += l + 3;
}

static void json_val(struct jbuf *b, const struct dbg_val *v)
{
	const struct dbg_val *m;

	switch (v->kind) {
	case DBG_VAL_NULL:
		JB_LIT(b, "null");
		return;
	case DBG_VAL_BOOL:
		if (v->b)
			JB_LIT(b, "true");
		else
			JB_LIT(b, "false");
		return;
	case DBG_VAL_INT:
		json_num(b, v->i < 0 ? -(uint64_t)v->i : (uint64_t)v->i, v->i < 0, false);
		return;
	case DBG_VAL_UINT:
		json_num(b, v->u, false, false);
		return;
	case DBG_VAL_ADDR:
		json_num(b, v->u, false, true);
		return;
	case DBG_VAL_STRING:
		json_string(b, v->str.s, v->str.len);
		return;
	case DBG_VAL_ARRAY:
		jb_c(b, '[');
		for (m = v->list.first; m; m = m->next) {
			json_val(b, m);
			if (m->next)
				jb_c(b, ',');
		}
		jb_c(b, ']');
		return;
	case DBG_VAL_OBJECT:
		jb_c(b, '{');
		for (m = v->list.first; m; m = m->next) {
			json_key(b, m->key);
			/* A string that is not valid UTF-8 is followed by its
			 * exact bytes (docs/json.md); events hold strings only
			 * as object members. */
			if (m->kind == DBG_VAL_STRING) {
				if (!json_string(b, m->str.s, m->str.len))
					json_hex_member(b, m);
			} else {
				json_val(b, m);
			}
			if (m->next)
				jb_c(b, ',');
		}
		jb_c(b, '}');
		return;
	}
}

void ui_render_json(FILE *out, const struct dbg_val *v)
{
	char stack[8192];
	struct jbuf b = { stack, 0, sizeof(stack), false };

	if (!plain_tab['a'])
		plain_init();
	json_val(&b, v);
	jb_write(&b, out);
}

void ui_render_json_line(const struct dbg_val *v, void (*put)(void *arg, const char *p, size_t n),
			 void *arg)
{
	char stack[8192];
	struct jbuf b = { stack, 0, sizeof(stack), false };

	if (!plain_tab['a'])
		plain_init();
	json_val(&b, v);
	jb_c(&b, '\n');
	put(arg, b.p, b.n);
	if (b.heap)
		free(b.p);
}

/* ---- text helpers ------------------------------------------------------- */

static const char *str(const struct dbg_val *o, const char *key)
{
	return dbg_val_get_str(o, key);
}

static uint64_t u64(const struct dbg_val *o, const char *key)
{
	uint64_t v = 0;

	dbg_val_get_u64(o, key, &v);
	return v;
}

static bool has(const struct dbg_val *o, const char *key)
{
	const struct dbg_val *m = dbg_val_get(o, key);

	return m && m->kind != DBG_VAL_NULL;
}

static bool flag(const struct dbg_val *o, const char *key)
{
	const struct dbg_val *m = dbg_val_get(o, key);

	return m && m->kind == DBG_VAL_BOOL && m->b;
}

static const struct dbg_val *arr(const struct dbg_val *o, const char *key)
{
	const struct dbg_val *m = dbg_val_get(o, key);

	return m && m->kind == DBG_VAL_ARRAY ? m : NULL;
}

#define EACH(it, a) for (const struct dbg_val *it = (a) ? (a)->list.first : NULL; it; it = it->next)

/* A number member as decimal text (signed for INT). */
static void put_num(FILE *out, const struct dbg_val *o, const char *key)
{
	const struct dbg_val *m = dbg_val_get(o, key);

	if (!m || m->kind == DBG_VAL_NULL)
		fputs("-", out);
	else if (m->kind == DBG_VAL_INT)
		fprintf(out, "%" PRId64, m->i);
	else if (m->kind == DBG_VAL_ADDR)
		fprintf(out, "0x%" PRIx64, m->u);
	else
		fprintf(out, "%" PRIu64, m->u);
}

/* A C-escaped, quoted string. */
static void put_quoted(FILE *out, const char *s, size_t len)
{
	size_t i;

	putc('"', out);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\%03o", c);
		else
			putc(c, out);
	}
	putc('"', out);
}

/* A byte as a C character literal: 'A', '\n', '\001'. */
static void put_char(FILE *out, unsigned char c)
{
	putc('\'', out);
	if (c == '\'' || c == '\\')
		fprintf(out, "\\%c", c);
	else if (c == '\n')
		fputs("\\n", out);
	else if (c == '\t')
		fputs("\\t", out);
	else if (c < 0x20 || c >= 0x7f)
		fprintf(out, "\\%03o", c);
	else
		putc(c, out);
	putc('\'', out);
}

/* "file:line: " for events that came from a script or -ex. */
/* User input quoted in a report (a script's path, an expression), with
 * control characters escaped (dbg_escape): one line, inert on a terminal. */
static void put_esc(FILE *out, const char *s)
{
	size_t len = s ? strlen(s) : 0, need = dbg_escape(NULL, 0, s, len);
	char *buf = malloc(need + 1);

	if (!buf)
		abort();
	dbg_escape(buf, need + 1, s, len);
	fputs(buf, out);
	free(buf);
}

static void put_loc(FILE *out, const struct dbg_val *ev)
{
	const char *file = str(ev, "file");

	if (!file)
		return;
	if (strcmp(file, "-ex") == 0) {
		fprintf(out, "-ex %" PRIu64 ": ", u64(ev, "line"));
		return;
	}
	put_esc(out, file);
	fprintf(out, ":%" PRIu64 ": ", u64(ev, "line"));
}

/* ---- events ------------------------------------------------------------- */

/* gdb's name of a watchpoint of kind ("watch", "rwatch", "awatch"). */
static const char *watch_title(const char *kind, bool hw)
{
	if (kind && strcmp(kind, "rwatch") == 0)
		return hw ? "Hardware read watchpoint" : "Read watchpoint";
	if (kind && strcmp(kind, "awatch") == 0)
		return hw ? "Hardware access (read/write) watchpoint" :
			    "Access (read/write) watchpoint";
	return hw ? "Hardware watchpoint" : "Watchpoint";
}

/* A watched value: signed, unsigned or an address, as the event has it. */
static void watch_value(FILE *out, const struct dbg_val *v)
{
	if (!v)
		fputs("?", out);
	else if (v->kind == DBG_VAL_INT)
		fprintf(out, "%" PRId64, v->i);
	else if (v->kind == DBG_VAL_ADDR)
		fprintf(out, "0x%" PRIx64, v->u);
	else
		fprintf(out, "%" PRIu64, v->u);
}

/* As gdb: the watchpoint, then "Old value"/"New value" for a change or
 * "Value" for a read. */
static void text_watch_hit(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *o = dbg_val_get(ev, "old"), *n = dbg_val_get(ev, "new");
	const char *kind = str(ev, "watch_kind");
	bool changed = o && n && o->u != n->u;

	fprintf(out, "\n%s %" PRIu64 ": %s\n\n", watch_title(kind, flag(ev, "watch_hardware")),
		u64(ev, "watchpoint"), str(ev, "expr") ? str(ev, "expr") : "?");
	if (changed) {
		fputs("Old value = ", out);
		watch_value(out, o);
		fputs("\nNew value = ", out);
		watch_value(out, n);
	} else {
		fputs("Value = ", out);
		watch_value(out, n);
	}
	putc('\n', out);
	if (has(ev, "access_pc") && str(ev, "access_symbol"))
		fprintf(out, "(accessed by the instruction at 0x%" PRIx64 " <%s>)\n",
			u64(ev, "access_pc"), str(ev, "access_symbol"));
}

/* ---- system calls --------------------------------------------------------- */

/* A "syscall" object (docs/json.md) as strace writes the call:
 * "arch_prctl(ARCH_SET_FS, 0x408950) = 0", without the result before the
 * call returned; a signal as "--- SIGURG {si_code=SI_TKILL} ---". */
static void put_syscall(FILE *out, const struct dbg_val *o)
{
	const char *kind = str(o, "kind");
	bool first = true;

	if (kind && strcmp(kind, "signal") == 0) {
		fprintf(out, "--- %s {si_code=", str(o, "signal") ? str(o, "signal") : "?");
		if (str(o, "code_name"))
			fputs(str(o, "code_name"), out);
		else
			put_num(out, o, "code");
		fputs("} ---", out);
		return;
	}
	if (str(o, "name"))
		fputs(str(o, "name"), out);
	else
		fprintf(out, "syscall_%" PRIu64, u64(o, "nr"));
	putc('(', out);
	EACH(a, arr(o, "args")) {
		if (!first)
			fputs(", ", out);
		first = false;
		fputs(str(a, "text") ? str(a, "text") : "?", out);
	}
	putc(')', out);
	if (flag(o, "returned"))
		fprintf(out, " = %s", str(o, "ret_text") ? str(o, "ret_text") : "?");
}

/* Who made it: "by runtime.settls, thread 4242, m0, goid 0, stage
 * rt0_go.settls". */
static void put_syscall_where(FILE *out, const struct dbg_val *o)
{
	fprintf(out, "by %s, thread %" PRIu64, str(o, "caller") ? str(o, "caller") : "??",
		u64(o, "tid"));
	if (has(o, "m"))
		fprintf(out, ", m%" PRIu64, u64(o, "m"));
	else
		fputs(", no M", out);
	if (has(o, "goid"))
		fprintf(out, ", goid %" PRIu64, u64(o, "goid"));
	else
		fputs(", no g", out);
	fprintf(out, ", stage %s", str(o, "stage") ? str(o, "stage") : "-");
}

/* gdb's mention of a new catchpoint: "Catchpoint 1 (syscall 'arch_prctl'
 * [158])", "Catchpoint 2 (syscalls 'write' [1] 'read' [0])",
 * "Catchpoint 3 (any syscall)". */
static void text_catch(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *calls = arr(ev, "syscalls");

	fprintf(out, "Catchpoint %" PRIu64 " (", u64(ev, "id"));
	if (flag(ev, "any") || !calls || !calls->list.n) {
		fputs("any syscall)\n", out);
		return;
	}
	fputs(calls->list.n > 1 ? "syscalls" : "syscall", out);
	EACH(c, calls) {
		if (str(c, "name"))
			fprintf(out, " '%s' [%" PRIu64 "]", str(c, "name"), u64(c, "nr"));
		else
			fprintf(out, " %" PRIu64, u64(c, "nr"));
	}
	fputs(")\n", out);
}

/* gdb prints nothing for enable and disable. */
static void text_enable(FILE *out, const struct dbg_val *ev)
{
	(void)out;
	(void)ev;
}

/* Every call in order, then the count of each name in the order first
 * seen, with the stage and the runtime function of the first. */
static void text_syscalls(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *calls = arr(ev, "syscalls");
	const struct dbg_val *counts = arr(ev, "counts");

	if (!counts || !counts->list.n) {
		fputs("No system calls seen in this run.\n", out);
		return;
	}
	if (calls) {
		fprintf(out, "%-5s %-9s %-8s %-4s %-4s %-24s %-24s %s\n", "Num", "Step", "Thread",
			"M", "G", "Stage", "Caller", "Call");
		EACH(c, calls) {
			char step[24], m[24], g[24];

			if (flag(c, "step_exact"))
				snprintf(step, sizeof(step), "%" PRIu64, u64(c, "step"));
			else
				snprintf(step, sizeof(step), "?");
			snprintf(m, sizeof(m), has(c, "m") ? "m%" PRIu64 : "-", u64(c, "m"));
			snprintf(g, sizeof(g), has(c, "goid") ? "%" PRIu64 : "-", u64(c, "goid"));
			fprintf(out, "%-5" PRIu64 " %-9s %-8" PRIu64 " %-4s %-4s %-24s %-24s ",
				u64(c, "index"), step, u64(c, "tid"), m, g,
				str(c, "stage") ? str(c, "stage") : "-",
				str(c, "caller") ? str(c, "caller") : "??");
			put_syscall(out, c);
			/* strace's unknown result: still in the call, or the
			 * program ended in it (exit_group) */
			if (str(c, "kind") && strcmp(str(c, "kind"), "call") == 0 &&
			    !flag(c, "returned"))
				fputs(" = ?", out);
			putc('\n', out);
		}
		putc('\n', out);
	}
	fprintf(out, "%-6s %-6s %-20s %-6s %-24s %s\n", "Count", "Errors", "Name", "First",
		"First stage", "First caller");
	EACH(c, counts)
		fprintf(out, "%6" PRIu64 " %6" PRIu64 " %-20s %-6" PRIu64 " %-24s %s\n",
			u64(c, "count"), u64(c, "errors"), str(c, "name") ? str(c, "name") : "?",
			u64(c, "first"), str(c, "first_stage") ? str(c, "first_stage") : "-",
			str(c, "first_caller") ? str(c, "first_caller") : "??");
	fprintf(out, "%" PRIu64 " system calls and signals\n", u64(ev, "total"));
}

/* As gdb's disassemble: a function's dump with <+offset>, a range's with
 * <symbol+offset>, => at pc. */
static void text_disassemble(FILE *out, const struct dbg_val *ev)
{
	const char *fn = str(ev, "function");

	if (fn)
		fprintf(out, "Dump of assembler code for function %s:\n", fn);
	else
		fprintf(out, "Dump of assembler code from 0x%" PRIx64 " to 0x%" PRIx64 ":\n",
			u64(ev, "start"), u64(ev, "end"));
	const char *file = NULL;

	EACH(in, arr(ev, "insns")) {
		/* /s: a line's text before its first instruction, the file's
		 * name when it changes */
		if (has(in, "source")) {
			const char *f = str(in, "file");

			if (f && (!file || strcmp(f, file) != 0))
				fprintf(out, "%s:\n", f);
			file = f;
			fprintf(out, "%" PRIu64 "\t%s\n", u64(in, "line"),
				str(in, "source") ? str(in, "source") : "");
		}
		fprintf(out, "%s0x%016" PRIx64, flag(in, "current") ? "=> " : "   ",
			u64(in, "addr"));
		if (has(in, "offset"))
			fprintf(out, " <+%" PRIu64 ">", u64(in, "offset"));
		else if (str(in, "symbol"))
			fprintf(out, " <%s>", str(in, "symbol"));
		fputs(":\t", out);
		if (str(in, "bytes"))
			fprintf(out, "%s\t", str(in, "bytes"));
		fprintf(out, "%s\n", str(in, "text") ? str(in, "text") : "?");
	}
	fputs("End of assembler dump.\n", out);
}

static void text_print(FILE *out, const struct dbg_val *ev);
static void text_x(FILE *out, const struct dbg_val *ev);

/* As gdb: "1: $rsp = …", or "2: x/i $pc" and x's lines. */
static void text_display(FILE *out, const struct dbg_val *ev)
{
	const char *expr = str(ev, "expr") ? str(ev, "expr") : "?";
	const char *fmt = str(ev, "format");
	const struct dbg_val *p = dbg_val_get(ev, "print"), *x = dbg_val_get(ev, "x");

	if (x) {
		fprintf(out, "%" PRIu64 ": x/%s %s\n", u64(ev, "id"), fmt ? fmt : "x", expr);
		text_x(out, x);
		return;
	}
	fprintf(out, "%" PRIu64 ": ", u64(ev, "id"));
	if (fmt)
		fprintf(out, "/%s ", fmt);
	fprintf(out, "%s = ", expr);
	if (!p) {
		fprintf(out, "<error: %s>\n", str(ev, "error") ? str(ev, "error") : "?");
		return;
	}
	/* print's text without its "$N = " */
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		abort();
	text_print(m, p);
	fclose(m);
	const char *eq = strstr(text, " = ");
	fputs(eq ? eq + 3 : text, out);
	free(text);
}

static void text_undisplay(FILE *out, const struct dbg_val *ev)
{
	(void)out;
	(void)ev;
}

static void text_displays(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *a = arr(ev, "displays");

	if (!a || !a->list.n) {
		fputs("There are no auto-display expressions now.\n", out);
		return;
	}
	fputs("Auto-display expressions now in effect:\nNum Enb Expression\n", out);
	EACH(d, a) {
		fprintf(out, "%" PRIu64 ":   y  ", u64(d, "id"));
		if (str(d, "format"))
			fprintf(out, "/%s ", str(d, "format"));
		fprintf(out, "%s\n", str(d, "expr") ? str(d, "expr") : "?");
	}
}

static void text_watch(FILE *out, const struct dbg_val *ev)
{
	fprintf(out, "%s %" PRIu64 ": %s\n", watch_title(str(ev, "kind"), flag(ev, "hardware")),
		u64(ev, "id"), str(ev, "expr") ? str(ev, "expr") : "?");
}

static void text_stop(FILE *out, const struct dbg_val *ev)
{
	const char *reason = str(ev, "reason");
	const char *sym = str(ev, "symbol");
	const char *insn = str(ev, "insn");
	uint64_t pc = u64(ev, "pc");

	if (!reason)
		reason = "";
	if (strcmp(reason, "breakpoint") == 0)
		fprintf(out, "Breakpoint %" PRIu64 ", ", u64(ev, "breakpoint"));
	else if (strcmp(reason, "signal") == 0) {
		fprintf(out, "Program received signal %s",
			str(ev, "signal") ? str(ev, "signal") : "?");
		/* an address only for faults, a sender only for sent ones */
		if (has(ev, "fault_addr"))
			fprintf(out, " (fault address 0x%" PRIx64 ")", u64(ev, "fault_addr"));
		else if (has(ev, "sender_pid"))
			fprintf(out, " (sent by pid %" PRIu64 ")", u64(ev, "sender_pid"));
		fputs(", ", out);
	} else if (strcmp(reason, "entry") == 0)
		fputs("Program stopped at the entry point, ", out);
	else if (strcmp(reason, "finish") == 0)
		fputs("Run till exit: ", out);
	else if (strcmp(reason, "interrupted") == 0)
		fputs("Program interrupted, ", out);
	else if (strcmp(reason, "no-history") == 0)
		fputs("No more recorded history, ", out);
	else if (strcmp(reason, "watchpoint") == 0)
		text_watch_hit(out, ev);
	else if (strcmp(reason, "syscall") == 0) {
		const struct dbg_val *sc = dbg_val_get(ev, "syscall");
		const char *name = sc ? str(sc, "name") : NULL;

		fprintf(out, "Catchpoint %" PRIu64 " (%s syscall ", u64(ev, "catchpoint"),
			flag(ev, "syscall_return") ? "returned from" : "call to");
		if (name)
			fputs(name, out);
		else
			fprintf(out, "%" PRIu64, sc ? u64(sc, "nr") : 0);
		fputs("), ", out);
	}
	fprintf(out, "0x%" PRIx64 " in %s ()\n", pc, sym ? sym : "??");
	if (insn)
		fprintf(out, "=> 0x%" PRIx64 " <%s>:\t%s\n", pc, sym ? sym : "??", insn);
	/* the source line, as gdb's FILE:LINE and its text */
	if (has(ev, "line")) {
		fprintf(out, "%s:%" PRIu64 "\t", str(ev, "file"), u64(ev, "line"));
		if (has(ev, "source"))
			fputs(str(ev, "source"), out);
		else
			fprintf(out, "(no source: %s not found)", str(ev, "source_tried"));
		putc('\n', out);
	}
	/* the system call of this stop, or the one the last step made */
	if (dbg_val_get(ev, "syscall")) {
		const struct dbg_val *sc = dbg_val_get(ev, "syscall");

		put_syscall(out, sc);
		fputs("\n   ", out);
		put_syscall_where(out, sc);
		putc('\n', out);
	}
	fputs("   [stage ", out);
	fputs(str(ev, "stage") ? str(ev, "stage") : "-", out);
	if (has(ev, "steps_exact") && !flag(ev, "steps_exact"))
		fputs(" | step ?", out);
	else
		fprintf(out, " | step %" PRIu64, u64(ev, "steps"));
	if (has(ev, "g"))
		fprintf(out, " | g %s 0x%" PRIx64, str(ev, "g_label") ? str(ev, "g_label") : "?",
			u64(ev, "g"));
	else
		fputs(" | g none", out);
	fprintf(out, " | fs_base 0x%" PRIx64 " | tid %" PRIu64, u64(ev, "fs_base"), u64(ev, "tid"));
	/* a recorded step, not the live one (docs/timeline.md) */
	if (has(ev, "history")) {
		const struct dbg_val *h = dbg_val_get(ev, "history");
		fprintf(out, " | %s, recorded %" PRIu64 "..%" PRIu64,
			flag(h, "replay") ? "replay" : "history", u64(h, "first"), u64(h, "last"));
	}
	fputs("]\n", out);
}

static void text_registers(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *regs = dbg_val_get(ev, "regs");
	const char *pcsym = str(ev, "pc_symbol");

	EACH(r, regs) {
		fprintf(out, "%-10s0x%-18" PRIx64, r->key, r->u);
		if (strcmp(r->key, "rip") == 0 || strcmp(r->key, "pc") == 0)
			fprintf(out, "<%s>", pcsym ? pcsym : "??");
		else if (strcmp(r->key, "eflags") == 0)
			fprintf(out, "[%s%s%s%s%s%s ]", r->u & 1 ? " CF" : "",
				r->u & 0x4 ? " PF" : "", r->u & 0x40 ? " ZF" : "",
				r->u & 0x80 ? " SF" : "", r->u & 0x200 ? " IF" : "",
				r->u & 0x800 ? " OF" : "");
		else
			fprintf(out, "%" PRId64, (int64_t)r->u);
		putc('\n', out);
	}
}

/* One scalar of a print tree with format f (0: by its kind). */
static void put_scalar(FILE *out, const struct dbg_val *n, char f)
{
	const struct dbg_val *val = dbg_val_get(n, "value");
	const char *kind = str(n, "kind");
	const char *sym = str(n, "symbol"), *name = str(n, "name");
	uint64_t v = u64(n, "value"), size = u64(n, "size");
	uint64_t mask = size && size < 8 ? (~(uint64_t)0) >> (64 - 8 * size) : ~(uint64_t)0;

	if (!kind)
		kind = "uint";
	switch (f) {
	case 'x':
		fprintf(out, "0x%" PRIx64, v & mask);
		break;
	case 'o':
		fprintf(out, "0%" PRIo64, v & mask);
		break;
	case 't': {
		int bit = 63;
		v &= mask;
		while (bit > 0 && !((v >> bit) & 1))
			bit--;
		for (; bit >= 0; bit--)
			putc((v >> bit) & 1 ? '1' : '0', out);
		break;
	}
	case 'c':
		fprintf(out, "%" PRIu64 " ", v & 0xff);
		put_char(out, (unsigned char)v);
		break;
	case 'd': {
		int64_t sv = (int64_t)v;
		if (size && size < 8 && ((v & mask) >> (8 * size - 1)) & 1)
			sv = (int64_t)(v | ~mask);
		else if (size && size < 8)
			sv = (int64_t)(v & mask);
		fprintf(out, "%" PRId64, sv);
		break;
	}
	case 'u':
		fprintf(out, "%" PRIu64, v & mask);
		break;
	case 'a':
		fprintf(out, "0x%" PRIx64, v & mask);
		if (sym)
			fprintf(out, " <%s>", sym);
		break;
	default:
		if (strcmp(kind, "pointer") == 0) {
			fprintf(out, "0x%" PRIx64, v);
			if (sym)
				fprintf(out, " <%s>", sym);
		} else if (strcmp(kind, "bool") == 0 && v <= 1) {
			/* gdb shows a bool that is neither 0 nor 1 as its number */
			fputs(v ? "true" : "false", out);
		} else if (strcmp(kind, "float") == 0) {
			fputs(str(n, "float") ? str(n, "float") : "?", out);
		} else {
			if (val && val->kind == DBG_VAL_INT)
				fprintf(out, "%" PRId64, val->i);
			else
				fprintf(out, "%" PRIu64, v);
			if (strcmp(kind, "char") == 0) {
				putc(' ', out);
				put_char(out, (unsigned char)v);
			}
		}
		break;
	}
	if (name)
		fprintf(out, " <%s>", name);
}

static void put_tree(FILE *out, const struct dbg_val *n, char f);

/* {a, b, 0 <repeats 16 times>...}, as gdb folds runs. */
static void put_elements(FILE *out, const struct dbg_val *n, char f)
{
	const struct dbg_val *els = arr(n, "elements");
	const struct dbg_val *e;
	bool first = true;

	putc('{', out);
	for (e = els ? els->list.first : NULL; e; e = e->next) {
		if (!first)
			fputs(", ", out);
		first = false;
		put_tree(out, e, f);
		if (has(e, "repeat"))
			fprintf(out, " <repeats %" PRIu64 " times>", u64(e, "repeat"));
	}
	if (flag(n, "truncated"))
		fputs("...", out);
	putc('}', out);
}

/* A print tree (docs/json.md) as gdb writes the value. */
static void put_tree(FILE *out, const struct dbg_val *n, char f)
{
	const char *kind = str(n, "kind");

	if (!kind || strcmp(kind, "unknown") == 0) {
		fputs("<unknown type>", out);
	} else if (strcmp(kind, "struct") == 0 || strcmp(kind, "union") == 0) {
		const struct dbg_val *fs = arr(n, "fields"), *fl;
		bool first = true;
		putc('{', out);
		for (fl = fs ? fs->list.first : NULL; fl; fl = fl->next) {
			const char *name = str(fl, "name");
			if (!first)
				fputs(", ", out);
			first = false;
			if (name && *name)
				fprintf(out, "%s = ", name);
			put_tree(out, dbg_val_get(fl, "value"), f);
		}
		putc('}', out);
	} else if (strcmp(kind, "array") == 0) {
		put_elements(out, n, f);
	} else if (strcmp(kind, "string") == 0) {
		const struct dbg_val *t = dbg_val_get(n, "text");
		if (t && t->kind == DBG_VAL_STRING)
			put_quoted(out, t->str.s, t->str.len);
		if (flag(n, "truncated"))
			fputs("...", out);
	} else if (strcmp(kind, "slice") == 0) {
		fprintf(out, "%s len %" PRId64 " cap %" PRId64 " ", str(n, "type"),
			(int64_t)u64(n, "len"), (int64_t)u64(n, "cap"));
		put_elements(out, n, f);
	} else {
		put_scalar(out, n, f);
	}
}

static void text_print(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *tree = dbg_val_get(ev, "tree");
	const char *fmt = str(ev, "format");
	const char *type = str(ev, "type");
	const char *kind = tree ? str(tree, "kind") : NULL;
	char f = fmt ? fmt[0] : 0;

	fprintf(out, "$%" PRIu64 " = ", u64(ev, "index"));
	/* a pointer shows its type first, as gdb does */
	if (!f && type && kind && strcmp(kind, "pointer") == 0)
		fprintf(out, "(%s) ", type);
	if (tree && f == 'a' && kind && strcmp(kind, "pointer") != 0) {
		fprintf(out, "0x%" PRIx64, u64(ev, "value"));
		if (str(ev, "symbol"))
			fprintf(out, " <%s>", str(ev, "symbol"));
	} else if (tree) {
		put_tree(out, tree, f);
	}
	putc('\n', out);
}

/* info writes: one line per step, old and new as print shows them (raw
 * bytes in hex). */
static void text_writes(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *ws = arr(ev, "writes"), *w;
	const char *expr = str(ev, "expr");
	char f = has(ev, "type") && str(ev, "type") ? 0 : 'x';

	if (!ws || !ws->list.first) {
		fprintf(out, "No recorded step changed %s (steps %" PRIu64 "..%" PRIu64 ").\n",
			expr ? expr : "?", u64(ev, "first"), u64(ev, "last"));
		return;
	}
	fprintf(out,
		"Writes of %s (%" PRIu64 " bytes at 0x%" PRIx64 "), steps %" PRIu64 "..%" PRIu64
		":\n",
		expr ? expr : "?", u64(ev, "len"), u64(ev, "addr"), u64(ev, "first"),
		u64(ev, "last"));
	for (w = ws->list.first; w; w = w->next) {
		const char *sym = str(w, "symbol"), *stage = str(w, "stage");
		fprintf(out, "  step %-8" PRIu64 " ", u64(w, "step"));
		if (flag(w, "free_run"))
			fputs("free run from ", out);
		if (has(w, "pc") && dbg_val_get(w, "pc")->kind != DBG_VAL_NULL)
			fprintf(out, "0x%" PRIx64 " <%s>", u64(w, "pc"), sym ? sym : "??");
		else
			fputs("pc unknown", out);
		fprintf(out, " [%s] tid %" PRId64 ": ", stage ? stage : "-",
			(int64_t)u64(w, "tid"));
		put_tree(out, dbg_val_get(w, "old"), f);
		fputs(" -> ", out);
		put_tree(out, dbg_val_get(w, "new"), f);
		putc('\n', out);
	}
}

/* The function of a symbolized pc, without its offset: "runtime.runqput". */
static void put_func(FILE *out, const char *sym)
{
	const char *plus = sym ? strchr(sym, '+') : NULL;
	if (!sym)
		fputs("??", out);
	else
		fprintf(out, "%.*s", plus ? (int)(plus - sym) : (int)strlen(sym), sym);
}

/* A changed value: the runtime's label of a pointer, else as print. */
static void put_changed(FILE *out, const struct dbg_val *c, const char *label, const char *tree)
{
	const char *l = str(c, label);
	if (l)
		fputs(l, out);
	else
		put_tree(out, dbg_val_get(c, tree), str(c, "type") ? 0 : 'x');
}

/* info changes: the step, its instruction and the source of the value it
 * stored (a line starting "  => "), then one line per change. */
static void text_changes(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *cs = arr(ev, "changes"), *c;
	const char *sym = str(ev, "symbol"), *insn = str(ev, "insn"), *stage = str(ev, "stage");
	const struct dbg_val *src = dbg_val_get(ev, "source");

	if (!flag(ev, "wrote") || !cs || !cs->list.first) {
		fprintf(out, "Step %" PRIu64 " changed no memory.\n", u64(ev, "step"));
		return;
	}
	fprintf(out, "Step %" PRIu64 ": ", u64(ev, "step"));
	if (flag(ev, "free_run"))
		fputs("free run from ", out);
	if (has(ev, "pc") && dbg_val_get(ev, "pc")->kind != DBG_VAL_NULL)
		fprintf(out, "0x%" PRIx64 " <%s>", u64(ev, "pc"), sym ? sym : "??");
	else
		fputs("pc unknown", out);
	fprintf(out, " [%s]", stage ? stage : "-");
	if (insn)
		fprintf(out, "\n  => %s", insn);
	if (src && src->kind == DBG_VAL_OBJECT) {
		const char *kind = str(src, "kind"), *reg = str(src, "register");
		if (reg && strcmp(kind ? kind : "", "register") == 0) {
			fprintf(out, ", stored from %%%s", reg);
			if (has(src, "set_step") &&
			    dbg_val_get(src, "set_step")->kind == DBG_VAL_UINT)
				fprintf(out, " (set at step %" PRIu64 ")", u64(src, "set_step"));
		} else if (kind && strcmp(kind, "immediate") == 0)
			fprintf(out, ", stored the immediate %" PRId64, (int64_t)u64(src, "value"));
		else if (kind && strcmp(kind, "return address") == 0)
			fprintf(out, ", pushed the return address");
		else if (kind && strcmp(kind, "memory") == 0)
			fprintf(out, ", copied from memory");
	}
	putc('\n', out);
	for (c = cs->list.first; c; c = c->next) {
		const char *path = str(c, "path"), *area = str(c, "area");
		fputs("  ", out);
		if (path)
			fputs(path, out);
		else if (area)
			fprintf(out, "0x%" PRIx64 " (%s, %" PRIu64 " bytes)", u64(c, "addr"), area,
				u64(c, "size"));
		else
			fprintf(out, "0x%" PRIx64 " (%" PRIu64 " bytes)", u64(c, "addr"),
				u64(c, "size"));
		fputs(": ", out);
		put_changed(out, c, "old_label", "old");
		fputs(" -> ", out);
		put_changed(out, c, "new_label", "new");
		fputs(" (", out);
		put_func(out, str(c, "symbol"));
		fputs(")\n", out);
	}
	if (flag(ev, "truncated"))
		fputs("  ... (more changes than are listed)\n", out);
}

static void text_whatis(FILE *out, const struct dbg_val *ev)
{
	fprintf(out, "type = %s\n", str(ev, "type"));
}

/* gdb's ptype: a struct's members one per line, as C declarations. */
static void text_ptype(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *fs = arr(ev, "fields"), *f;
	const char *suffix = str(ev, "suffix");

	if (!str(ev, "aggregate")) {
		text_whatis(out, ev);
		return;
	}
	fprintf(out, "type = %s {\n", str(ev, "aggregate"));
	for (f = fs ? fs->list.first : NULL; f; f = f->next)
		fprintf(out, "    %s;\n", str(f, "decl"));
	fprintf(out, "}%s%s\n", suffix && *suffix ? " " : "", suffix ? suffix : "");
}

static void text_expect(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *l = dbg_val_get(ev, "lhs");
	const struct dbg_val *r = dbg_val_get(ev, "rhs");

	if (flag(ev, "ok")) {
		fputs("expect passed: ", out);
		put_esc(out, str(ev, "expr"));
		putc('\n', out);
		return;
	}
	put_loc(out, ev);
	fputs("expect failed: ", out);
	put_esc(out, str(ev, "expr"));
	fputs(": ", out);
	if (l && r) {
		put_esc(out, str(l, "expr"));
		fprintf(out, " is %s (", str(l, "hex"));
		put_num(out, l, "value");
		fputs("), ", out);
		put_esc(out, str(r, "expr"));
		fprintf(out, " is %s (", str(r, "hex"));
		put_num(out, r, "value");
		fputs(")\n", out);
	} else {
		fprintf(out, "the value is %s\n", str(ev, "hex"));
	}
}

static void text_x(FILE *out, const struct dbg_val *ev)
{
	const char *fmt = str(ev, "format");
	const char *unit = str(ev, "unit");
	uint64_t size = u64(ev, "size");
	unsigned per_line, col = 0;
	char f = fmt ? fmt[0] : 'x';

	if (f == 'i') {
		EACH(it, arr(ev, "items")) {
			const char *sym = str(it, "addr_symbol");

			fprintf(out, "   0x%" PRIx64, u64(it, "addr"));
			if (sym)
				fprintf(out, " <%s>", sym);
			fprintf(out, ":\t%s\n", str(it, "text"));
		}
		return;
	}
	if (f == 's') {
		EACH(it, arr(ev, "items")) {
			const struct dbg_val *s = dbg_val_get(it, "string");
			const char *sym = str(it, "addr_symbol");

			fprintf(out, "0x%" PRIx64, u64(it, "addr"));
			if (sym)
				fprintf(out, " <%s>", sym);
			fputs(":\t", out);
			if (s && s->kind == DBG_VAL_STRING)
				put_quoted(out, s->str.s, s->str.len);
			putc('\n', out);
		}
		return;
	}
	(void)unit;
	per_line = size == 8 ? 2 : size == 4 ? 4 : 8;
	if (f == 'a')
		per_line = 2;
	EACH(it, arr(ev, "items")) {
		uint64_t v = u64(it, "value");

		if (col == 0) {
			const char *sym = str(it, "addr_symbol");

			fprintf(out, "0x%" PRIx64, u64(it, "addr"));
			if (sym)
				fprintf(out, " <%s>", sym);
			putc(':', out);
		}
		putc('\t', out);
		switch (f) {
		case 'd':
			put_num(out, it, "value");
			break;
		case 'u':
			fprintf(out, "%" PRIu64, v);
			break;
		case 'c':
			fprintf(out, "%" PRIu64 " ", v);
			put_char(out, (unsigned char)v);
			break;
		case 'a':
			fprintf(out, "0x%" PRIx64, v);
			if (str(it, "symbol"))
				fprintf(out, " <%s>", str(it, "symbol"));
			break;
		default:
			fprintf(out, "0x%0*" PRIx64, (int)(size * 2), v);
			break;
		}
		if (++col == per_line || !it->next) {
			putc('\n', out);
			col = 0;
		}
	}
}

static void text_g_row(FILE *out, const struct dbg_val *g)
{
	const char *start = str(g, "startpc_symbol");
	const char *pc = str(g, "sched_pc_symbol");

	fprintf(out, "%c %-8s %-4" PRId64 " 0x%-12" PRIx64 " %-13s m 0x%-10" PRIx64,
		flag(g, "current") ? '*' : ' ', str(g, "label"), (int64_t)u64(g, "goid"),
		u64(g, "addr"), str(g, "status_name"), u64(g, "m"));
	fprintf(out, " stack [0x%" PRIx64 ", 0x%" PRIx64 ")", u64(g, "stack_lo"),
		u64(g, "stack_hi"));
	if (pc)
		fprintf(out, " pc %s", pc);
	if (start)
		fprintf(out, " fn %s", start);
	if ((start = str(g, "waitreason_name")) && *start)
		fprintf(out, " [%s]", start);
	if (u64(g, "lockedm"))
		fprintf(out, " lockedm 0x%" PRIx64, u64(g, "lockedm"));
	putc('\n', out);
}

static void put_ids(FILE *out, const struct dbg_val *a)
{
	bool first = true;

	putc('[', out);
	EACH(it, a) {
		fprintf(out, first ? "%" PRId64 : " %" PRId64,
			it->kind == DBG_VAL_INT ? it->i : (int64_t)it->u);
		first = false;
	}
	putc(']', out);
}

/* The line a view built from bootscope's table of layouts (no DWARF)
 * starts with: layout is "go1.19 table" there, "dwarf" otherwise. */
static void put_layout_note(FILE *out, const struct dbg_val *ev)
{
	const char *l = str(ev, "layout");
	size_t n = l ? strlen(l) : 0;

	if (n > 6 && strcmp(l + n - 6, " table") == 0)
		fprintf(out,
			"(runtime offsets from bootscope's table for %.*s: the binary has no DWARF)\n",
			(int)(n - 6), l);
}

static void text_gmp(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *sched = dbg_val_get(ev, "sched");

	put_layout_note(out, ev);
	if (flag(ev, "partial"))
		fputs("(no symbol table: only the current g, its M, that M's g0 and its P are "
		      "known)\n",
		      out);
	fprintf(out, "current g: %s",
		str(ev, "current_g_label") ? str(ev, "current_g_label") : "none");
	if (has(ev, "current_g"))
		fprintf(out, " (0x%" PRIx64 ")", u64(ev, "current_g"));
	fprintf(out, "\nG  label    goid addr           status\n");
	EACH(g, arr(ev, "g"))
		text_g_row(out, g);
	fputs("M  id  procid   addr           g0             curg       p\n", out);
	EACH(m, arr(ev, "m")) {
		fprintf(out,
			"   %-3" PRId64 " %-8" PRIu64 " 0x%-12" PRIx64 " 0x%-12" PRIx64 " %-10s ",
			(int64_t)u64(m, "id"), u64(m, "procid"), u64(m, "addr"), u64(m, "g0"),
			str(m, "curg_label") ? str(m, "curg_label") : "-");
		if (has(m, "p_id"))
			fprintf(out, "p%" PRIu64, u64(m, "p_id"));
		else
			fputs("-", out);
		if (str(m, "lockedg_label"))
			fprintf(out, "  lockedg %s", str(m, "lockedg_label"));
		putc('\n', out);
	}
	fputs("P  id  status     m    runnext  runq (head..tail)\n", out);
	EACH(p, arr(ev, "p")) {
		fprintf(out, "   %-3" PRId64 " %-10s ", (int64_t)u64(p, "id"),
			str(p, "status_name"));
		if (has(p, "m_id"))
			fprintf(out, "m%-3" PRIu64 " ", u64(p, "m_id"));
		else
			fputs("-    ", out);
		if (has(p, "runnext_goid"))
			fprintf(out, "g%-7" PRIu64 " ", u64(p, "runnext_goid"));
		else
			fputs("-        ", out);
		put_ids(out, arr(p, "runq"));
		fprintf(out, " (%" PRIu64 "..%" PRIu64 ")\n", u64(p, "runqhead"),
			u64(p, "runqtail"));
	}
	if (sched && flag(sched, "valid")) {
		fprintf(out, "sched: goidgen %" PRIu64 ", global runq ", u64(sched, "goidgen"));
		put_ids(out, arr(sched, "runq"));
		fprintf(out, " (runqsize %" PRId64 "), idle Ps ", (int64_t)u64(sched, "runqsize"));
		put_ids(out, arr(sched, "pidle"));
		fprintf(out, " (npidle %" PRId64 "), nmidle %" PRId64 "\n",
			(int64_t)u64(sched, "npidle"), (int64_t)u64(sched, "nmidle"));
	}
}

static void text_g(FILE *out, const struct dbg_val *g)
{
	const char *s;

	put_layout_note(out, g);
	fprintf(out, "g %s at 0x%" PRIx64 ": goid %" PRId64 ", %s (%" PRIu64 ")\n", str(g, "label"),
		u64(g, "addr"), (int64_t)u64(g, "goid"), str(g, "status_name"), u64(g, "status"));
	fprintf(out, "  m 0x%" PRIx64 "\n", u64(g, "m"));
	if ((s = str(g, "waitreason_name")) && *s)
		fprintf(out, "  waitreason %" PRIu64 " (%s)\n", u64(g, "waitreason"), s);
	if (u64(g, "lockedm"))
		fprintf(out, "  lockedm 0x%" PRIx64 " (runtime.LockOSThread)\n", u64(g, "lockedm"));
	fprintf(out, "  stack [0x%" PRIx64 ", 0x%" PRIx64 ")\n", u64(g, "stack_lo"),
		u64(g, "stack_hi"));
	fprintf(out, "  sched.pc 0x%" PRIx64, u64(g, "sched_pc"));
	if ((s = str(g, "sched_pc_symbol")))
		fprintf(out, " <%s>", s);
	fprintf(out, "  sched.sp 0x%" PRIx64 "\n", u64(g, "sched_sp"));
	if (u64(g, "startpc")) {
		fprintf(out, "  startpc 0x%" PRIx64, u64(g, "startpc"));
		if ((s = str(g, "startpc_symbol")))
			fprintf(out, " <%s>", s);
		putc('\n', out);
	}
}

const char *ui_render_fs_slot(int64_t off, char *buf, size_t n)
{
	uint64_t mag = off < 0 ? (uint64_t)-off : (uint64_t)off;
	snprintf(buf, n, mag < 10 ? "fs:%s%" PRIu64 : "fs:%s0x%" PRIx64, off < 0 ? "-" : "+", mag);
	return buf;
}

/* info gmp diagram / dot: the text as built. */
static void text_diagram(FILE *out, const struct dbg_val *ev)
{
	const char *t = str(ev, "text");
	fputs(t ? t : "", out);
}

static void text_tls(FILE *out, const struct dbg_val *ev)
{
	bool libc = str(ev, "owner") && strcmp(str(ev, "owner"), "libc") == 0;
	int64_t off = (int64_t)u64(ev, "g_offset");
	char slot[32];

	ui_render_fs_slot(off, slot, sizeof(slot));
	put_layout_note(out, ev);
	fprintf(out, "fs_base  0x%" PRIx64 "%s\n", u64(ev, "fs_base"),
		libc ? "  (libc's thread pointer: a cgo binary never runs settls)" : "");
	if (has(ev, "g_slot")) {
		fprintf(out, "%-8s 0x%" PRIx64 " holds ", slot, u64(ev, "g_slot"));
		if (has(ev, "g"))
			fprintf(out, "g 0x%" PRIx64 " (%s)\n", u64(ev, "g"),
				str(ev, "g_label") ? str(ev, "g_label") : "?");
		else
			fputs("0 (no g yet)\n", out);
	} else {
		fprintf(out, "%-8s (no TLS yet: %s)\n", slot,
			libc ? "libc has not set up this thread" : "runtime.settls has not run");
	}
	if (libc)
		fprintf(out, "tlsg     g lives in libc's TLS block, at runtime.tlsg's offset: %s\n",
			slot);
	if (has(ev, "m_id") && libc)
		fprintf(out, "m        this thread is m%" PRIu64 " (m.procid = its thread id)\n",
			u64(ev, "m_id"));
	else if (has(ev, "m_id") && u64(ev, "m_id") != 0)
		fprintf(out,
			"m.tls    fs_base = &m%" PRIu64 ".tls[0] + 8: this thread is m%" PRIu64
			"\n",
			u64(ev, "m_id"), u64(ev, "m_id"));
	else if (has(ev, "m0_tls"))
		fprintf(out, "m0.tls   0x%" PRIx64 "; settls sets fs_base to 0x%" PRIx64 " (%s)\n",
			u64(ev, "m0_tls"), u64(ev, "expected_fs_base"),
			flag(ev, "fs_is_m0_tls") ? "it does now" : "not yet");
}

static void text_stages(FILE *out, const struct dbg_val *ev)
{
	if (str(ev, "go_version"))
		fprintf(out, "(built by %s)\n", str(ev, "go_version"));
	if (str(ev, "symbols_note"))
		fprintf(out, "(%s)\n", str(ev, "symbols_note"));
	if (str(ev, "addresses_note"))
		fprintf(out, "(%s)\n", str(ev, "addresses_note"));
	/* addresses as wide as the widest (a PIE's or ld.so's are 12 digits) */
	int w = 8;
	EACH(s, arr(ev, "stages")) {
		uint64_t a = u64(s, "addr");
		int d = 1;
		while (a >>= 4)
			d++;
		if (d > w)
			w = d;
	}
	fprintf(out, "  #  stage                  %-*s reached  check\n", w + 2, "address");
	EACH(s, arr(ev, "stages")) {
		char reached[24] = "-";

		if (flag(s, "reached") && has(s, "steps"))
			snprintf(reached, sizeof(reached), "%" PRIu64, u64(s, "steps"));
		else if (flag(s, "reached") && has(s, "after_step"))
			snprintf(reached, sizeof(reached), "after %" PRIu64, u64(s, "after_step"));
		else if (flag(s, "reached"))
			snprintf(reached, sizeof(reached), "?");
		fprintf(out, "%c %2" PRIu64 "  %-22s 0x%-*" PRIx64 " %-8s %s\n",
			flag(s, "current") ? '*' : ' ', u64(s, "index"), str(s, "name"), w,
			u64(s, "addr"), reached, str(s, "check") ? str(s, "check") : "");
	}
}

static void text_breakpoints(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *a = arr(ev, "breakpoints");

	if (!a || !a->list.n) {
		fputs("No breakpoints.\n", out);
		return;
	}
	fputs("Num  Type            Disp Enb Address            Hits  What\n", out);
	EACH(b, a) {
		const char *type = str(b, "type") ? str(b, "type") : "breakpoint";

		if (strcmp(type, "catchpoint") == 0) {
			/* gdb's What: syscall "arch_prctl", syscalls "write, read" */
			const struct dbg_val *calls = arr(b, "syscalls");
			bool many = calls && calls->list.n > 1, first = true;

			fprintf(out, "%-4" PRIu64 " %-15s %-4s %-3s %-18s %-5" PRIu64 " %s \"",
				u64(b, "id"), type, flag(b, "temporary") ? "del" : "keep",
				flag(b, "enabled") ? "y" : "n", "", u64(b, "hits"),
				many ? "syscalls" : "syscall");
			if (flag(b, "any") || !calls || !calls->list.n)
				fputs("<any syscall>", out);
			EACH(c, calls) {
				if (!first)
					fputs(", ", out);
				first = false;
				if (str(c, "name"))
					fputs(str(c, "name"), out);
				else
					fprintf(out, "%" PRIu64, u64(c, "nr"));
			}
			fputs("\"\n", out);
			if (u64(b, "hits"))
				fprintf(out, "\tcatchpoint already hit %" PRIu64 " time%s\n",
					u64(b, "hits"), u64(b, "hits") == 1 ? "" : "s");
			continue;
		}
		if (strcmp(type, "breakpoint") != 0) {
			/* a watchpoint: its expression, and the address it watches */
			fprintf(out,
				"%-4" PRIu64 " %-15s keep y   0x%-16" PRIx64 " %-5" PRIu64 " %s\n",
				u64(b, "id"), type, u64(b, "addr"), u64(b, "hits"),
				str(b, "spec") ? str(b, "spec") : "?");
			continue;
		}
		if (flag(b, "pending")) {
			fprintf(out, "%-4" PRIu64 " %-15s %-4s %-3s %-18s %-5" PRIu64 " %s\n",
				u64(b, "id"), type, flag(b, "temporary") ? "del" : "keep",
				flag(b, "enabled") ? "y" : "n", "<PENDING>", u64(b, "hits"),
				str(b, "spec") ? str(b, "spec") : "??");
			continue;
		}
		fprintf(out, "%-4" PRIu64 " %-15s %-4s %-3s 0x%-16" PRIx64 " %-5" PRIu64 " %s",
			u64(b, "id"), type, flag(b, "temporary") ? "del" : "keep",
			flag(b, "enabled") ? "y" : "n", u64(b, "addr"), u64(b, "hits"),
			str(b, "symbol") ? str(b, "symbol") : "??");
		if (str(b, "stage"))
			fprintf(out, " (stage %s)", str(b, "stage"));
		putc('\n', out);
	}
}

/* As gdb: "process N is executing new program: PATH", then where each
 * breakpoint went in the new program. */
static void text_exec(FILE *out, const struct dbg_val *ev)
{
	fprintf(out, "process %" PRIu64 " is executing new program: %s\n", u64(ev, "pid"),
		str(ev, "path") ? str(ev, "path") : "?");
	EACH(b, arr(ev, "breakpoints")) {
		const char *spec = str(b, "spec");

		fprintf(out, "Breakpoint %" PRIu64 " (%s) ", u64(b, "id"), spec ? spec : "address");
		if (flag(b, "pending"))
			fprintf(out, "pending: %s\n", str(b, "error") ? str(b, "error") : "?");
		else
			fprintf(out, "at 0x%" PRIx64 ": %s\n", u64(b, "addr"),
				str(b, "symbol") ? str(b, "symbol") : "??");
	}
	if (flag(ev, "history_dropped"))
		fputs("(the recorded history before the exec is dropped: a record holds one program)\n",
		      out);
}

static void text_output(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *d = dbg_val_get(ev, "data");
	const char *stream = str(ev, "stream");
	size_t i = 0;

	if (!d || d->kind != DBG_VAL_STRING)
		return;
	while (i < d->str.len) {
		const char *nl = memchr(d->str.s + i, '\n', d->str.len - i);
		size_t end = nl ? (size_t)(nl - d->str.s) : d->str.len;

		fprintf(out, "[%s] ", stream ? stream : "?");
		fwrite(d->str.s + i, 1, end - i, out);
		putc('\n', out);
		i = end + 1;
	}
}

static void text_help(FILE *out, const struct dbg_val *ev)
{
	EACH(c, arr(ev, "commands")) {
		const char *al = str(c, "aliases");

		fprintf(out, "%-26s %s", str(c, "usage"), str(c, "summary"));
		if (al && *al)
			fprintf(out, " (also: %s)", al);
		putc('\n', out);
	}
}

/* A check's value: a number (with its hex when that says more), or a
 * truth. */
static void put_check_value(FILE *out, const struct dbg_val *v)
{
	if (!v || v->kind == DBG_VAL_NULL) {
		fputs("-", out);
	} else if (v->kind == DBG_VAL_BOOL) {
		fputs(v->b ? "true" : "false", out);
	} else if (v->kind == DBG_VAL_INT) {
		fprintf(out, "%" PRId64, v->i);
		if (v->i < -9 || v->i > 9)
			fprintf(out, " (0x%" PRIx64 ")", (uint64_t)v->i);
	} else {
		fprintf(out, "%" PRIu64, v->u);
		if (v->u > 9)
			fprintf(out, " (0x%" PRIx64 ")", v->u);
	}
}

/* "step 2/4: Inside settls: $rax == 158 ... PASS"; a failure starts with
 * FILE:LINE: and says what the values were. */
static void text_check(FILE *out, const struct dbg_val *ev)
{
	bool pass = flag(ev, "pass");
	const char *op = str(ev, "op");

	if (str(ev, "skipped")) {
		fprintf(out, "step %" PRIu64 "/%" PRIu64 ": %s: ", u64(ev, "step"),
			u64(ev, "step_count"), str(ev, "step_title"));
		put_esc(out, str(ev, "expr"));
		fprintf(out, " ... skipped (%s)\n", str(ev, "skipped"));
		return;
	}
	if (!pass)
		put_loc(out, ev);
	fprintf(out, "step %" PRIu64 "/%" PRIu64 ": %s: ", u64(ev, "step"), u64(ev, "step_count"),
		str(ev, "step_title"));
	put_esc(out, str(ev, "expr"));
	fprintf(out, " ... %s", pass ? "PASS" : "FAIL");
	if (!pass) {
		fputs(" (actual ", out);
		put_check_value(out, dbg_val_get(ev, "actual"));
		fprintf(out, ", expected %s%s", op ? op : "", op ? " " : "");
		put_check_value(out, dbg_val_get(ev, "expected"));
		putc(')', out);
	}
	putc('\n', out);
}

static void text_exited(FILE *out, const struct dbg_val *ev)
{
	fprintf(out, "Program exited with code %" PRId64 ".\n", (int64_t)u64(ev, "code"));
}

static void text_signaled(FILE *out, const struct dbg_val *ev)
{
	fprintf(out, "Program terminated with signal %s.\n", str(ev, "signal"));
}

static void text_killed(FILE *out, const struct dbg_val *ev)
{
	fprintf(out, "[process %" PRIu64 " killed]\n", u64(ev, "pid"));
}

static void text_break(FILE *out, const struct dbg_val *ev)
{
	const char *what = flag(ev, "temporary") ? "Temporary breakpoint" : "Breakpoint";

	if (flag(ev, "pending")) {
		fprintf(out, "%s %" PRIu64 " (%s) pending.\n", what, u64(ev, "id"),
			str(ev, "spec") ? str(ev, "spec") : "?");
		return;
	}
	fprintf(out, "%s %" PRIu64 " at 0x%" PRIx64 ": %s", what, u64(ev, "id"), u64(ev, "addr"),
		str(ev, "symbol") ? str(ev, "symbol") : "??");
	if (str(ev, "stage"))
		fprintf(out, " (stage %s)", str(ev, "stage"));
	if (has(ev, "link_addr"))
		fprintf(out,
			" (0x%" PRIx64 " is a link-time address: the program is loaded 0x%" PRIx64
			" higher)",
			u64(ev, "link_addr"), u64(ev, "addr") - u64(ev, "link_addr"));
	putc('\n', out);
}

static void text_delete(FILE *out, const struct dbg_val *ev)
{
	fputs("Deleted breakpoints ", out);
	put_ids(out, arr(ev, "ids"));
	putc('\n', out);
}

static void text_stack(FILE *out, const struct dbg_val *ev)
{
	EACH(s, arr(ev, "slots"))
		fprintf(out, "0x%" PRIx64 "  0x%016" PRIx64 "  %-4s %s\n", u64(s, "addr"),
			u64(s, "value"), str(s, "region") ? str(s, "region") : "",
			str(s, "what") ? str(s, "what") : "");
}

static void text_auxv(FILE *out, const struct dbg_val *ev)
{
	EACH(a, arr(ev, "auxv"))
		fprintf(out, "%-4" PRIu64 " %-20s 0x%" PRIx64 "\n", u64(a, "type"),
			str(a, "name") ? str(a, "name") : "?", u64(a, "value"));
}

static void text_sections(FILE *out, const struct dbg_val *ev)
{
	EACH(s, arr(ev, "sections"))
		fprintf(out, "0x%016" PRIx64 " - 0x%016" PRIx64 " %-3s %s\n", u64(s, "addr"),
			u64(s, "addr") + u64(s, "size"), str(s, "flags"), str(s, "name"));
}

static void text_target(FILE *out, const struct dbg_val *ev)
{
	static const char *const from[][2] = {
		{ "symtab", "its symbol table" },
		{ "pclntab", "Go's pclntab (the file has no symbol table)" },
		{ "dynsym", "its dynamic symbols only (the file has no symbol table)" },
		{ "none", "nowhere: the file has no symbols" },
	};
	const char *sym = str(ev, "symbols");

	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++)
		if (sym && strcmp(sym, from[i][0]) == 0)
			sym = from[i][1];
	fprintf(out, "program   %s\n", str(ev, "path"));
	fprintf(out, "kind      %s\n", str(ev, "kind"));
	fprintf(out, "entry     0x%" PRIx64 "\n", u64(ev, "entry"));
	if (str(ev, "interp"))
		fprintf(out, "interp    %s\n", str(ev, "interp"));
	fprintf(out, "symbols   %" PRIu64 ", from %s\n", u64(ev, "nsyms"), sym);
	fprintf(out, "DWARF     %s\n", flag(ev, "dwarf") ? "yes" : "no (the G/M/P views need it)");
	fprintf(out, "Go        %s\n",
		str(ev, "go_version") ? str(ev, "go_version") : "(no Go build info)");
}

/* info proc mappings: gdb's columns, then what the range is for; the
 * runtime's ranges inside a mapping on lines of their own below it. */
static void text_mappings(FILE *out, const struct dbg_val *ev)
{
	char a[24], b[24], c[24], d[24];

	fprintf(out, "process %" PRIu64 "\nMapped address spaces:\n\n", u64(ev, "pid"));
	fprintf(out, "%20s %18s %10s %10s  %-5s  %-40s %s\n", "Start Addr", "End Addr", "Size",
		"Offset", "Perms", "objfile", "what");
	EACH(m, arr(ev, "mappings")) {
		snprintf(a, sizeof a, "0x%" PRIx64, u64(m, "start"));
		snprintf(b, sizeof b, "0x%" PRIx64, u64(m, "end"));
		snprintf(c, sizeof c, "0x%" PRIx64, u64(m, "size"));
		snprintf(d, sizeof d, "0x%" PRIx64, u64(m, "offset"));
		fprintf(out, "%20s %18s %10s %10s  %-5s  %-40s %s\n", a, b, c, d, str(m, "perms"),
			str(m, "objfile"), str(m, "what"));
		EACH(r, arr(m, "ranges")) {
			snprintf(a, sizeof a, "0x%" PRIx64, u64(r, "start"));
			snprintf(b, sizeof b, "0x%" PRIx64, u64(r, "end"));
			snprintf(c, sizeof c, "0x%" PRIx64, u64(r, "end") - u64(r, "start"));
			fprintf(out, "%20s %18s %10s %10s  %-5s  %-40s %s", a, b, c, "", "", "",
				str(r, "what"));
			if (has(r, "tid"))
				fprintf(out, " (thread %" PRIu64 ")", u64(r, "tid"));
			putc('\n', out);
		}
	}
}

/* gdb's info proc. */
static void text_proc(FILE *out, const struct dbg_val *ev)
{
	fprintf(out, "process %" PRIu64 "\ncmdline = '%s'\ncwd = '%s'\nexe = '%s'\n",
		u64(ev, "pid"), str(ev, "cmdline"), str(ev, "cwd"), str(ev, "exe"));
}

/* gdb's info symbol: "NAME + OFF in section S", decimal offset. */
static void put_symbol_line(FILE *out, const struct dbg_val *ev)
{
	if (!str(ev, "name")) {
		fprintf(out, "No symbol matches %s.\n", str(ev, "expr"));
		return;
	}
	fputs(str(ev, "name"), out);
	if (u64(ev, "offset"))
		fprintf(out, " + %" PRIu64, u64(ev, "offset"));
	if (str(ev, "section"))
		fprintf(out, " in section %s", str(ev, "section"));
	if (str(ev, "objfile"))
		fprintf(out, " of %s", str(ev, "objfile"));
	putc('\n', out);
}

static void text_symbol(FILE *out, const struct dbg_val *ev)
{
	put_symbol_line(out, ev);
}

static void put_range(FILE *out, const char *label, const struct dbg_val *r)
{
	fprintf(out, "  %-8s 0x%" PRIx64 "-0x%" PRIx64 "  %s", label, u64(r, "start"),
		u64(r, "end"), str(r, "what"));
	if (has(r, "tid"))
		fprintf(out, " (thread %" PRIu64 ")", u64(r, "tid"));
	putc('\n', out);
}

static void text_xinfo(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *m = dbg_val_get(ev, "mapping");

	fprintf(out, "0x%" PRIx64 " is %s\n", u64(ev, "addr"), str(ev, "what"));
	if (str(ev, "name")) {
		fputs("  symbol   ", out);
		put_symbol_line(out, ev);
	}
	if (str(ev, "field"))
		fprintf(out, "  field    %s\n", str(ev, "field"));
	if (m && m->kind == DBG_VAL_OBJECT)
		fprintf(out, "  mapping  0x%" PRIx64 "-0x%" PRIx64 " %s %s  %s\n", u64(m, "start"),
			u64(m, "end"), str(m, "perms"), str(m, "objfile"), str(m, "what"));
	m = dbg_val_get(ev, "stack");
	if (m && m->kind == DBG_VAL_OBJECT)
		put_range(out, "stack", m);
	if (has(ev, "arena"))
		fprintf(out, "  arena    0x%" PRIx64 "-0x%" PRIx64 "  heap arena\n",
			u64(ev, "arena"), u64(ev, "arena") + ((uint64_t)64 << 20));
}

/* What info threads and thread add after a thread's registers. */
static void put_thread_state(FILE *out, const struct dbg_val *t)
{
	if (has(t, "g"))
		fprintf(out, " g %s", str(t, "g_label") ? str(t, "g_label") : "?");
	if (has(t, "m_id"))
		fprintf(out, " m%" PRIu64, u64(t, "m_id"));
	if (str(t, "state"))
		fprintf(out, " %s", str(t, "state"));
	if (str(t, "syscall"))
		fprintf(out, " (in %s)", str(t, "syscall"));
	putc('\n', out);
}

static void text_threads(FILE *out, const struct dbg_val *ev)
{
	put_layout_note(out, ev);
	EACH(t, arr(ev, "threads")) {
		fprintf(out, "%c %-8" PRIu64 " 0x%-12" PRIx64 " %-30s fs_base 0x%-12" PRIx64,
			flag(t, "current") ? '*' : ' ', u64(t, "tid"), u64(t, "rip"),
			str(t, "symbol") ? str(t, "symbol") : "??", u64(t, "fs_base"));
		put_thread_state(out, t);
	}
}

static void text_thread(FILE *out, const struct dbg_val *ev)
{
	put_layout_note(out, ev);
	fprintf(out, "[Current thread is %" PRIu64 "] 0x%" PRIx64 " in %s ()  fs_base 0x%" PRIx64,
		u64(ev, "tid"), u64(ev, "rip"), str(ev, "symbol") ? str(ev, "symbol") : "??",
		u64(ev, "fs_base"));
	put_thread_state(out, ev);
}

/* "#1  0x0000000000402fac in runtime.schedinit ()", as gdb's backtrace;
 * a frame found through a goroutine switch names the goroutine. */
static void put_frame(FILE *out, const struct dbg_val *f)
{
	if (flag(f, "signal_frame")) {
		fprintf(out, "#%-2" PRIu64 " <signal handler called>\n", u64(f, "level"));
		return;
	}
	fprintf(out, "#%-2" PRIu64 " 0x%016" PRIx64 " in %s ()", u64(f, "level"), u64(f, "pc"),
		str(f, "func") ? str(f, "func") : "??");
	if (str(f, "file"))
		fprintf(out, " at %s:%" PRIu64, str(f, "file"), u64(f, "line"));
	if (str(f, "how") && strcmp(str(f, "how"), "goroutine switch") == 0)
		fprintf(out, " [goroutine %" PRIu64 "]", u64(f, "goroutine"));
	putc('\n', out);
}

static void text_backtrace(FILE *out, const struct dbg_val *ev)
{
	if (has(ev, "goroutine"))
		fprintf(out, "goroutine %" PRIu64 ":\n", u64(ev, "goroutine"));
	EACH(f, arr(ev, "frames"))
		put_frame(out, f);
	if (flag(ev, "more"))
		fputs("(More stack frames follow...)\n", out);
}

static void text_frame(FILE *out, const struct dbg_val *ev)
{
	put_frame(out, ev);
}

static void text_frame_info(FILE *out, const struct dbg_val *ev)
{
	bool first = true;

	fprintf(out, "Stack level %" PRIu64 ", frame at 0x%" PRIx64 ":\n", u64(ev, "level"),
		u64(ev, "cfa"));
	fprintf(out, " rip = 0x%" PRIx64 " in %s; ", u64(ev, "pc"),
		str(ev, "func") ? str(ev, "func") : "??");
	if (has(ev, "saved_pc"))
		fprintf(out, "saved rip = 0x%" PRIx64 "\n", u64(ev, "saved_pc"));
	else
		fputs("saved rip = <not saved>\n", out);
	if (str(ev, "stop_why"))
		fprintf(out, " Outermost frame: %s\n", str(ev, "stop_why"));
	if (has(ev, "caller_cfa") || has(ev, "callee_cfa")) {
		putc(' ', out);
		if (has(ev, "caller_cfa"))
			fprintf(out, "called by frame at 0x%" PRIx64, u64(ev, "caller_cfa"));
		if (has(ev, "caller_cfa") && has(ev, "callee_cfa"))
			fputs(", ", out);
		if (has(ev, "callee_cfa"))
			fprintf(out, "caller of frame at 0x%" PRIx64, u64(ev, "callee_cfa"));
		putc('\n', out);
	}
	fprintf(out, " found by %s", str(ev, "how"));
	if (has(ev, "goroutine"))
		fprintf(out, ", on goroutine %" PRIu64, u64(ev, "goroutine"));
	putc('\n', out);
	EACH(r, arr(ev, "saved")) {
		if (first)
			fputs(" Saved registers:\n ", out);
		fprintf(out, "%s %s at 0x%" PRIx64, first ? "" : ",", str(r, "reg"),
			u64(r, "addr"));
		first = false;
	}
	if (!first)
		putc('\n', out);
}

static void text_record(FILE *out, const struct dbg_val *ev)
{
	fprintf(out,
		"Recording %s%s: steps %" PRIu64 "..%" PRIu64 ", showing %" PRIu64 "%s\n%" PRIu64
		" bytes of steps (%" PRIu64 " per step, limit %" PRIu64 "), %" PRIu64
		" pages, %" PRIu64 " dropped\n",
		flag(ev, "enabled") ? "on" : "off", flag(ev, "full") ? " (every instruction)" : "",
		u64(ev, "first"), u64(ev, "last"), u64(ev, "step"),
		flag(ev, "replay")  ? " (replay)" :
		flag(ev, "history") ? " (history)" :
				      "",
		u64(ev, "record_bytes"), u64(ev, "bytes_per_step"), u64(ev, "limit"),
		u64(ev, "pages"), u64(ev, "dropped"));
	if (str(ev, "saved"))
		fprintf(out, "Saved to %s\n", str(ev, "saved"));
}

static void text_echo(FILE *out, const struct dbg_val *ev)
{
	fputs(str(ev, "text") ? str(ev, "text") : "", out);
}

/* A count for a status line, not a line of its own. */
static void text_progress(FILE *out, const struct dbg_val *ev)
{
	(void)out;
	(void)ev;
}

static void text_error(FILE *out, const struct dbg_val *ev)
{
	put_loc(out, ev);
	fprintf(out, "%s\n", str(ev, "message"));
}

static void text_answer(FILE *out, const struct dbg_val *ev)
{
	bool pass = flag(ev, "pass");

	if (!pass)
		put_loc(out, ev);
	fprintf(out, "step %" PRIu64 ", question %" PRIu64 ": %s ... answered %s: %s",
		u64(ev, "step"), u64(ev, "question"), str(ev, "ask"),
		str(ev, "actual") ? str(ev, "actual") : "nothing", pass ? "RIGHT" : "WRONG");
	if (!pass && str(ev, "expected"))
		fprintf(out, " (expected %s)", str(ev, "expected"));
	putc('\n', out);
}

static void text_lab_finding(FILE *out, const struct dbg_val *ev)
{
	put_loc(out, ev);
	fprintf(out, "%s: step %" PRIu64 " (%s): ", str(ev, "severity"), u64(ev, "step"),
		str(ev, "step_title"));
	if (str(ev, "expr")) {
		put_esc(out, str(ev, "expr"));
		fputs(": ", out);
	}
	fprintf(out, "%s [%s]\n", str(ev, "message"), str(ev, "kind"));
}

static void text_lab_start(FILE *out, const struct dbg_val *ev)
{
	fprintf(out, "lab %" PRIu64, u64(ev, "lab"));
	if (str(ev, "title"))
		fprintf(out, " (%s)", str(ev, "title"));
	fprintf(out, ": bootscope %s, program %s", str(ev, "version"),
		str(ev, "program") ? str(ev, "program") : "not found");
	if (str(ev, "sha256"))
		fprintf(out, " (sha256 %s)", str(ev, "sha256"));
	if (str(ev, "go_version"))
		fprintf(out, ", %s", str(ev, "go_version"));
	if (str(ev, "student"))
		fprintf(out, ", student %s", str(ev, "student"));
	if (str(ev, "variant"))
		fprintf(out, ", variant %s", str(ev, "variant"));
	fprintf(out, ", started %s\n", str(ev, "started"));
}

static void text_lab_summary(FILE *out, const struct dbg_val *ev)
{
	const struct dbg_val *ran = dbg_val_get(ev, "ran");

	if (ran && ran->kind == DBG_VAL_BOOL && !ran->b) {
		fprintf(out, "lab %" PRIu64, u64(ev, "lab"));
		if (str(ev, "title"))
			fprintf(out, " (%s)", str(ev, "title"));
		fputs(": could not run\n", out);
		return;
	}
	fprintf(out,
		"lab %" PRIu64 " (%s): %" PRIu64 " checks, %" PRIu64 " passed, %" PRIu64 " failed",
		u64(ev, "lab"), str(ev, "title"), u64(ev, "checks"), u64(ev, "passed"),
		u64(ev, "failed"));
	if (u64(ev, "skipped"))
		fprintf(out, ", %" PRIu64 " skipped (for other kinds of binary)",
			u64(ev, "skipped"));
	if (u64(ev, "answers"))
		fprintf(out, "; answers: %" PRIu64 " of %" PRIu64 " right",
			u64(ev, "answers_right"), u64(ev, "answers"));
	putc('\n', out);
}

static void text_labs(FILE *out, const struct dbg_val *ev)
{
	EACH(l, arr(ev, "labs"))
		fprintf(out, "%2" PRIu64 "  %s\n", u64(l, "number"), str(l, "title"));
}

static void text_list(FILE *out, const struct dbg_val *ev)
{
	uint64_t cur = has(ev, "current") ? u64(ev, "current") : 0;

	EACH(l, arr(ev, "lines"))
		fprintf(out, "%s%" PRIu64 "\t%s\n", cur && u64(l, "line") == cur ? "=> " : "",
			u64(l, "line"), str(l, "text"));
}

static void text_line(FILE *out, const struct dbg_val *ev)
{
	if (has(ev, "no_code")) {
		fprintf(out,
			"Line %" PRIu64 " of \"%s\" is at address 0x%" PRIx64
			" <%s> but contains no code.\n",
			u64(ev, "line"), str(ev, "file"), u64(ev, "start"),
			str(ev, "start_symbol") ? str(ev, "start_symbol") : "??");
		return;
	}
	fprintf(out,
		"Line %" PRIu64 " of \"%s\" starts at address 0x%" PRIx64
		" <%s> and ends at 0x%" PRIx64 " <%s>.\n",
		u64(ev, "line"), str(ev, "file"), u64(ev, "start"),
		str(ev, "start_symbol") ? str(ev, "start_symbol") : "??", u64(ev, "end"),
		str(ev, "end_symbol") ? str(ev, "end_symbol") : "??");
}

static void text_substitute_path(FILE *out, const struct dbg_val *ev)
{
	fputs("List of all source path substitution rules:\n", out);
	EACH(r, arr(ev, "rules"))
		fprintf(out, "  `%s' -> `%s'.\n", str(r, "from"), str(r, "to"));
}

/* Every event by name, in the order of docs/json.md. */
static const struct {
	const char *name;
	void (*fn)(FILE *out, const struct dbg_val *ev);
} text_events[] = {
	{ "stop", text_stop },
	{ "exited", text_exited },
	{ "signaled", text_signaled },
	{ "output", text_output },
	{ "exec", text_exec },
	{ "killed", text_killed },
	{ "break", text_break },
	{ "watch", text_watch },
	{ "catch", text_catch },
	{ "enable", text_enable },
	{ "disable", text_enable },
	{ "disassemble", text_disassemble },
	{ "display", text_display },
	{ "undisplay", text_undisplay },
	{ "displays", text_displays },
	{ "delete", text_delete },
	{ "breakpoints", text_breakpoints },
	{ "syscalls", text_syscalls },
	{ "registers", text_registers },
	{ "tls", text_tls },
	{ "g", text_g },
	{ "gmp", text_gmp },
	{ "diagram", text_diagram },
	{ "dot", text_diagram },
	{ "stack", text_stack },
	{ "auxv", text_auxv },
	{ "stages", text_stages },
	{ "sections", text_sections },
	{ "target", text_target },
	{ "list", text_list },
	{ "line", text_line },
	{ "substitute_path", text_substitute_path },
	{ "proc", text_proc },
	{ "mappings", text_mappings },
	{ "symbol", text_symbol },
	{ "xinfo", text_xinfo },
	{ "threads", text_threads },
	{ "thread", text_thread },
	{ "backtrace", text_backtrace },
	{ "frame", text_frame },
	{ "frame_info", text_frame_info },
	{ "record", text_record },
	{ "x", text_x },
	{ "print", text_print },
	{ "ptype", text_ptype },
	{ "whatis", text_whatis },
	{ "writes", text_writes },
	{ "changes", text_changes },
	{ "expect", text_expect },
	{ "echo", text_echo },
	{ "help", text_help },
	{ "progress", text_progress },
	{ "error", text_error },
	{ "check", text_check },
	{ "lab_start", text_lab_start },
	{ "answer", text_answer },
	{ "lab_summary", text_lab_summary },
	{ "lab_finding", text_lab_finding },
	{ "labs", text_labs },
};

const char *ui_render_text_event(size_t i)
{
	return i < sizeof(text_events) / sizeof(text_events[0]) ? text_events[i].name : NULL;
}

void ui_render_text(FILE *out, const struct dbg_val *ev)
{
	const char *name = dbg_event_name(ev);
	size_t i;

	for (i = 0; name && i < sizeof(text_events) / sizeof(text_events[0]); i++) {
		if (strcmp(name, text_events[i].name) == 0) {
			text_events[i].fn(out, ev);
			return;
		}
	}
	ui_render_json(out, ev);
	putc('\n', out);
}

static char *to_str(void (*fn)(FILE *, const struct dbg_val *), const struct dbg_val *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	fn(f, v);
	if (fclose(f) != 0)
		abort();
	return buf;
}

char *ui_render_json_str(const struct dbg_val *v)
{
	return to_str(ui_render_json, v);
}

char *ui_render_text_str(const struct dbg_val *ev)
{
	return to_str(ui_render_text, ev);
}
