/*
 * source — the commands of source lines: list, info line, step, next,
 * set/unset/show substitute-path; FILE:LINE locations; the source fields
 * of the stop event.
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* lines a bare list shows, as gdb's default listsize */
#define LIST_SIZE 10

/* "FILE:LINE": true with the file part copied into file and *line. */
bool cmd_file_line(const char *loc, char *file, size_t n, unsigned *line)
{
	const char *colon = strrchr(loc, ':');
	uint64_t v;

	if (!colon || colon == loc || loc[0] == '*' || !colon[1])
		return false;
	if (!cmd_parse_u64(colon + 1, strlen(colon + 1), &v) || v == 0 || v > UINT32_MAX)
		return false;
	if ((size_t)(colon - loc) >= n)
		return false;
	memcpy(file, loc, (size_t)(colon - loc));
	file[colon - loc] = '\0';
	*line = (unsigned)v;
	return true;
}

/* FILE:LINE's first address; *got (optional): the line that has it (the
 * next one with code when LINE has none). */
static int file_line_addr(struct dbg_cmd_ctx *ctx, const char *file, unsigned line, uint64_t *addr,
			  unsigned *got, struct dbg_err *err)
{
	uint64_t addrs[16];
	unsigned taken;
	const char *full;
	int n = dbg_session_find_line(ctx->s, file, line, addrs, 16, &taken, &full, err);

	if (n < 0)
		return n;
	*addr = addrs[0];
	if (got)
		*got = taken;
	return 0;
}

int cmd_resolve_file_line(struct dbg_cmd_ctx *ctx, const char *file, unsigned line, uint64_t *addr,
			  struct dbg_err *err)
{
	return file_line_addr(ctx, file, line, addr, NULL, err);
}

/* ---- the stop event ------------------------------------------------------ */

void cmd_add_source(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, uint64_t pc)
{
	const struct dbg_source *src;
	struct dbg_line ln;
	const char *text;
	size_t len;

	if (!dbg_session_line_at(ctx->s, pc, &ln))
		return;
	dbg_obj_str(ev, "file", ln.file);
	dbg_obj_uint(ev, "line", ln.line);
	if (dbg_session_source(ctx->s, ln.file, &src, NULL) < 0) {
		dbg_obj_str(ev, "source_tried", src ? src->path : ln.file);
	} else if ((text = dbg_source_line(src, ln.line, &len)) != NULL) {
		const char *nul = memchr(text, '\0', len);

		dbg_obj_set(ev, "source",
			    dbg_val_strn(ev->list.arena, text, nul ? (size_t)(nul - text) : len));
	}
	/* the next bare list centres on this line */
	len = strlen(ln.file);
	if (len >= sizeof(ctx->list_file))
		len = sizeof(ctx->list_file) - 1;
	memcpy(ctx->list_file, ln.file, len);
	ctx->list_file[len] = '\0';
	ctx->list_center = ln.line;
	ctx->list_first = ctx->list_last = 0;
}

/* ---- list ---------------------------------------------------------------- */

/* The line of an address (a function's entry: the line gdb centres on). */
static int addr_line(struct dbg_cmd_ctx *ctx, uint64_t addr, struct dbg_line *ln,
		     struct dbg_err *err)
{
	if (dbg_session_line_at(ctx->s, addr, ln))
		return 0;
	if (!dbg_session_lines(ctx->s))
		return dbg_err_set(err, -ENODATA, "%s has no line information",
				   dbg_session_path(ctx->s));
	return dbg_err_set(err, -ENOENT, "no line number information for 0x%" PRIx64 " <%s>", addr,
			   cmd_symbolize(ctx, addr));
}

/* LOC as list takes it: file and the line to centre on. */
static int list_loc(struct dbg_cmd_ctx *ctx, const char *loc, char *file, size_t n, unsigned *line,
		    struct dbg_err *err)
{
	struct dbg_line ln;
	const char *full;
	uint64_t addr, v;
	int rc;

	if (cmd_parse_u64(loc, strlen(loc), &v)) {
		if (!ctx->list_file[0])
			return dbg_err_set(err, -ENOENT,
					   "no default source file; list FUNCTION or FILE:LINE first");
		if (v == 0 || v > UINT32_MAX)
			return dbg_err_set(err, -EINVAL, "invalid line number '%s'", loc);
		snprintf(file, n, "%s", ctx->list_file);
		*line = (unsigned)v;
		return 0;
	}
	if (cmd_file_line(loc, file, n, line)) {
		struct dbg_lines *l = dbg_session_lines(ctx->s);
		if (!l)
			return dbg_err_set(err, -ENODATA, "%s has no line information",
					   dbg_session_path(ctx->s));
		if (!dbg_lines_has_file(l, file, &full))
			return dbg_err_set(err, -ENOENT, "no source file named %s", file);
		snprintf(file, n, "%s", full);
		return 0;
	}
	rc = dbg_cmd_resolve_loc(ctx, loc, &addr, err);
	if (rc < 0)
		return rc;
	rc = addr_line(ctx, addr, &ln, err);
	if (rc < 0)
		return rc;
	snprintf(file, n, "%s", ln.file);
	*line = ln.line;
	return 0;
}

/* Emit the "list" event for lines first..last of file (clipped). */
static int emit_list(struct dbg_cmd_ctx *ctx, const char *file, unsigned first, unsigned last,
		     struct dbg_err *err)
{
	const struct dbg_source *src;
	const struct dbg_regs *r;
	struct dbg_line cur;
	struct dbg_val *ev, *arr, *o;
	const char *text;
	size_t len;
	int rc = dbg_session_source(ctx->s, file, &src, err);

	if (rc < 0)
		return rc;
	if (first > src->nlines)
		return dbg_err_set(err, -ERANGE,
				   "line number %u out of range; \"%s\" has %zu lines", first, file,
				   src->nlines);
	if (last > src->nlines)
		last = (unsigned)src->nlines;
	ev = cmd_ev_new(ctx, "list");
	dbg_obj_str(ev, "file", file);
	dbg_obj_str(ev, "path", src->path);
	dbg_obj_uint(ev, "first", first);
	dbg_obj_uint(ev, "last", last);
	arr = dbg_obj_array(ev, "lines");
	for (unsigned i = first; i <= last; i++) {
		text = dbg_source_line(src, i, &len);
		o = dbg_arr_object(arr);
		dbg_obj_uint(o, "line", i);
		dbg_obj_strf(o, "text", "%.*s", (int)(text ? len : 0), text ? text : "");
	}
	r = dbg_session_running(ctx->s) ? dbg_session_regs(ctx->s) : NULL;
	if (r && dbg_session_line_at(ctx->s, r->rip, &cur) && strcmp(cur.file, file) == 0 &&
	    cur.line >= first && cur.line <= last)
		dbg_obj_uint(ev, "current", cur.line);
	cmd_ev_emit(ctx, ev);
	snprintf(ctx->list_file, sizeof(ctx->list_file), "%s", file);
	ctx->list_first = first;
	ctx->list_last = last;
	ctx->list_center = 0;
	return 0;
}

/* The file and the lines to centre on when nothing was listed yet: the
 * current line, else main's. */
static int list_default(struct dbg_cmd_ctx *ctx, struct dbg_err *err)
{
	struct dbg_line ln;
	const struct dbg_regs *r = dbg_session_running(ctx->s) ? dbg_session_regs(ctx->s) : NULL;
	uint64_t addr;

	if (r && dbg_session_line_at(ctx->s, r->rip, &ln)) {
		snprintf(ctx->list_file, sizeof(ctx->list_file), "%s", ln.file);
		ctx->list_center = ln.line;
		return 0;
	}
	if ((dbg_elf_lookup(dbg_session_elf(ctx->s), "main.main", &addr) == 0 ||
	     dbg_elf_lookup(dbg_session_elf(ctx->s), "main", &addr) == 0) &&
	    dbg_session_line_at(ctx->s, addr, &ln)) {
		snprintf(ctx->list_file, sizeof(ctx->list_file), "%s", ln.file);
		ctx->list_center = ln.line;
		return 0;
	}
	return dbg_err_set(err, -ENOENT, "no default source file; list FUNCTION or FILE:LINE");
}

static unsigned centre_first(unsigned line)
{
	return line > LIST_SIZE / 2 ? line - LIST_SIZE / 2 : 1;
}

int cmd_list(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	char file[4096];
	unsigned line, first;
	int rc;

	if (!dbg_session_lines(ctx->s))
		return dbg_err_set(err, -ENODATA, "%s has no line information",
				   dbg_session_path(ctx->s));
	if (strcmp(cmd->args, "-") == 0) {
		if (!ctx->list_file[0] || (!ctx->list_first && !ctx->list_center))
			return dbg_err_set(err, -ENOENT, "no listing to go back from");
		first = ctx->list_first ? ctx->list_first : centre_first(ctx->list_center);
		if (first <= 1)
			return dbg_err_set(err, -ERANGE, "already at the start of %s",
					   ctx->list_file);
		snprintf(file, sizeof(file), "%s", ctx->list_file);
		line = first > LIST_SIZE ? first - LIST_SIZE : 1;
		return emit_list(ctx, file, line, first - 1, err);
	}
	if (!cmd->args[0]) {
		if (!ctx->list_file[0] || (!ctx->list_first && !ctx->list_center)) {
			rc = list_default(ctx, err);
			if (rc < 0)
				return rc;
		}
		snprintf(file, sizeof(file), "%s", ctx->list_file);
		if (ctx->list_center) {
			first = centre_first(ctx->list_center);
			return emit_list(ctx, file, first, first + LIST_SIZE - 1, err);
		}
		return emit_list(ctx, file, ctx->list_last + 1, ctx->list_last + LIST_SIZE, err);
	}
	rc = list_loc(ctx, cmd->args, file, sizeof(file), &line, err);
	if (rc < 0)
		return rc;
	first = centre_first(line);
	return emit_list(ctx, file, first, first + LIST_SIZE - 1, err);
}

/* ---- info line ----------------------------------------------------------- */

int cmd_info_line(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_line ln;
	struct dbg_val *ev;
	char file[4096];
	unsigned line, got = 0;
	uint64_t addr;
	const struct dbg_regs *r;
	int rc;

	if (!cmd->args[0]) {
		r = dbg_session_running(ctx->s) ? dbg_session_regs(ctx->s) : NULL;
		if (!r)
			return dbg_err_set(err, -ESRCH, "the program is not being run");
		addr = r->rip;
	} else if (cmd_file_line(cmd->args, file, sizeof(file), &line)) {
		rc = file_line_addr(ctx, file, line, &addr, &got, err);
		if (rc < 0)
			return rc;
	} else {
		rc = dbg_cmd_resolve_loc(ctx, cmd->args, &addr, err);
		if (rc < 0)
			return rc;
	}
	rc = addr_line(ctx, addr, &ln, err);
	if (rc < 0)
		return rc;
	ev = cmd_ev_new(ctx, "line");
	dbg_obj_str(ev, "file", ln.file);
	if (got && got != line) {
		/* gdb: "Line 97 of "proc.c" is at address … but contains no
		 * code." (the address of the next line that has some) */
		dbg_obj_uint(ev, "line", line);
		dbg_obj_addr(ev, "start", ln.addr);
		dbg_obj_str(ev, "start_symbol", cmd_symbolize(ctx, ln.addr));
		dbg_obj_addr(ev, "end", ln.addr);
		dbg_obj_str(ev, "end_symbol", cmd_symbolize(ctx, ln.addr));
		dbg_obj_bool(ev, "is_stmt", ln.is_stmt);
		dbg_obj_bool(ev, "no_code", true);
		cmd_ev_emit(ctx, ev);
		return 0;
	}
	dbg_obj_uint(ev, "line", ln.line);
	dbg_obj_addr(ev, "start", ln.addr);
	dbg_obj_str(ev, "start_symbol", cmd_symbolize(ctx, ln.addr));
	dbg_obj_addr(ev, "end", ln.end);
	dbg_obj_str(ev, "end_symbol", cmd_symbolize(ctx, ln.end));
	dbg_obj_bool(ev, "is_stmt", ln.is_stmt);
	cmd_ev_emit(ctx, ev);
	return 0;
}

/* ---- step and next ------------------------------------------------------- */

static int step_lines(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, bool over,
		      struct dbg_err *err)
{
	struct dbg_stop stop;
	int rc = cmd_need_process(ctx, err);

	if (rc < 0)
		return rc;
	rc = dbg_session_step_line(ctx->s, over, cmd->count, &stop, err);
	return cmd_resumed(ctx, rc, &stop);
}

int cmd_step(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return step_lines(ctx, cmd, false, err);
}

int cmd_next(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return step_lines(ctx, cmd, true, err);
}

/* ---- substitute-path ----------------------------------------------------- */

static void emit_substs(struct dbg_cmd_ctx *ctx)
{
	const struct dbg_subst *v;
	size_t n = dbg_session_substs(ctx->s, &v);
	struct dbg_val *ev = cmd_ev_new(ctx, "substitute_path");
	struct dbg_val *arr = dbg_obj_array(ev, "rules"), *o;

	for (size_t i = 0; i < n; i++) {
		o = dbg_arr_object(arr);
		dbg_obj_str(o, "from", v[i].from);
		dbg_obj_str(o, "to", v[i].to);
	}
	cmd_ev_emit(ctx, ev);
}

/* The next word of *p (spaces end it) into buf; false when none. */
static bool word(const char **p, char *buf, size_t n)
{
	const char *s = cmd_skip_ws(*p);
	size_t l = strcspn(s, " \t");

	if (!l || l >= n)
		return false;
	memcpy(buf, s, l);
	buf[l] = '\0';
	*p = cmd_skip_ws(s + l);
	return true;
}

/* set substitute-path FROM TO (args: after the setting's name). */
int cmd_set_subst(struct dbg_cmd_ctx *ctx, const char *args, struct dbg_err *err)
{
	char from[4096], to[4096];

	if (!word(&args, from, sizeof(from)) || !word(&args, to, sizeof(to)) || *args)
		return dbg_err_set(err, -EINVAL, "usage: set substitute-path FROM TO");
	return dbg_session_subst_set(ctx->s, from, to, err);
}

int cmd_unset(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	static const char what[] = "substitute-path";
	const char *p = cmd->args;
	size_t l = strcspn(p, " \t");
	char from[4096];

	if (l != sizeof(what) - 1 || strncmp(p, what, l) != 0)
		return dbg_err_set(err, -EINVAL,
				   "unknown setting '%.*s'; try unset substitute-path", (int)l, p);
	p = cmd_skip_ws(p + l);
	if (!*p)
		return dbg_session_subst_unset(ctx->s, NULL, err);
	if (!word(&p, from, sizeof(from)) || *p)
		return dbg_err_set(err, -EINVAL, "usage: unset substitute-path [FROM]");
	return dbg_session_subst_unset(ctx->s, from, err);
}

int cmd_show(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	if (strcmp(cmd->args, "substitute-path") != 0)
		return dbg_err_set(err, -EINVAL, "unknown setting '%s'; try show substitute-path",
				   cmd->args);
	emit_substs(ctx);
	return 0;
}
