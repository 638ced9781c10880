/*
 * display — display[/F] EXPR, undisplay [N...] and info display (gdb's):
 * expressions shown after every stop, each as a "display" event that
 * follows the "stop" event. A display runs print (or, for /i, /s and a
 * count or unit, x) through its own command table entry, so it shows
 * values exactly as print and x do; the print or x event is carried
 * inside the display event (docs/json.md).
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dbg_display {
	int id;
	char *expr;   /* as written (owned) */
	char fmt[32]; /* "/x", "/i", "/3xg", or "" */
	bool x_style; /* shown by x (/i, /s, a count or a unit) */
};

void cmd_displays_release(struct dbg_cmd_ctx *ctx)
{
	for (size_t i = 0; i < ctx->ndisplays; i++)
		free(ctx->displays[i].expr);
	free(ctx->displays);
	ctx->displays = NULL;
	ctx->ndisplays = ctx->displays_cap = 0;
}

/* While a display runs its command: the event it emits, wrapped. */
struct capture {
	struct dbg_cmd_ctx *ctx;
	const struct dbg_display *d;
	dbg_emit_fn *emit;
	void *emit_arg;
};

static void wrap(void *arg, const struct dbg_val *inner)
{
	struct capture *c = arg;
	struct dbg_val *ev = cmd_ev_new(c->ctx, "display");
	const struct dbg_val *name = dbg_val_get(inner, "event");

	dbg_obj_int(ev, "id", c->d->id);
	dbg_obj_str(ev, "expr", c->d->expr);
	if (c->d->fmt[0])
		dbg_obj_str(ev, "format", c->d->fmt + 1);
	else
		dbg_obj_null(ev, "format");
	/* the inner event lives in the same arena until emit returns */
	dbg_obj_set(ev, name && name->kind == DBG_VAL_STRING ? name->str.s : "value",
		    (struct dbg_val *)inner);
	c->emit(c->emit_arg, ev);
}

/* Show display d now: one "display" event, with its error when the
 * expression cannot be shown (it stays). */
static void show(struct dbg_cmd_ctx *ctx, const struct dbg_display *d)
{
	char line[DBG_CMD_MAX + 64];
	struct dbg_cmd cmd;
	struct dbg_err err;
	struct capture c = { ctx, d, ctx->emit, ctx->emit_arg };
	uint64_t history = ctx->history;
	int rc;

	snprintf(line, sizeof(line), "%s%s %s", d->x_style ? "x" : "print", d->fmt, d->expr);
	rc = dbg_cmd_parse(line, &cmd, &err);
	if (rc == 0) {
		ctx->emit = wrap;
		ctx->emit_arg = &c;
		rc = cmd.def->run(ctx, &cmd, &err);
		ctx->emit = c.emit;
		ctx->emit_arg = c.emit_arg;
	}
	/* a display is not a value of the history ($1, $2 …) */
	ctx->history = history;
	dbg_arena_reset(&ctx->tmp);
	if (rc < 0) {
		struct dbg_val *ev;

		dbg_arena_reset(&ctx->arena);
		ev = cmd_ev_new(ctx, "display");
		dbg_obj_int(ev, "id", d->id);
		dbg_obj_str(ev, "expr", d->expr);
		if (d->fmt[0])
			dbg_obj_str(ev, "format", d->fmt + 1);
		else
			dbg_obj_null(ev, "format");
		dbg_obj_str(ev, "error", err.msg);
		cmd_ev_emit(ctx, ev);
	}
}

void cmd_show_displays(struct dbg_cmd_ctx *ctx)
{
	if (!dbg_session_running(ctx->s))
		return;
	for (size_t i = 0; i < ctx->ndisplays; i++)
		show(ctx, &ctx->displays[i]);
}

int cmd_display(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_display *d;
	char fmt[32] = "";
	bool x_style = cmd->fmt == 'i' || cmd->fmt == 's' || cmd->unit || cmd->has_count;
	size_t l;

	if (!cmd->args[0]) {
		cmd_show_displays(ctx);
		return 0;
	}
	if (x_style) {
		char count[24] = "";

		if (cmd->has_count)
			snprintf(count, sizeof(count), "%" PRIu64, cmd->count);
		snprintf(fmt, sizeof(fmt), "/%s%c", count, cmd->fmt ? cmd->fmt : 'x');
		if (cmd->unit) {
			l = strlen(fmt);
			fmt[l] = cmd->unit;
			fmt[l + 1] = '\0';
		}
	} else if (cmd->fmt) {
		snprintf(fmt, sizeof(fmt), "/%c", cmd->fmt);
	}
	if (!x_style && cmd->fmt && !strchr("xduotca", cmd->fmt))
		return dbg_err_set(err, -EINVAL, "invalid display format '/%c'", cmd->fmt);
	ctx->displays = dbg_grow(ctx->displays, &ctx->displays_cap, ctx->ndisplays + 1,
				 sizeof(*ctx->displays));
	d = &ctx->displays[ctx->ndisplays++];
	memset(d, 0, sizeof(*d));
	d->id = ++ctx->display_next;
	l = strlen(cmd->args) + 1;
	d->expr = memcpy(dbg_xrealloc(NULL, l), cmd->args, l);
	snprintf(d->fmt, sizeof(d->fmt), "%s", fmt);
	d->x_style = x_style;
	/* as gdb: shown at once when typed (not from a script or -ex) while
	 * the program runs */
	if (!ctx->file && dbg_session_running(ctx->s))
		show(ctx, d);
	return 0;
}

int cmd_undisplay(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_val *ev, *ids;
	const char *p = cmd->args;

	if (!*p) {
		ev = cmd_ev_new(ctx, "undisplay");
		ids = dbg_obj_array(ev, "ids");
		for (size_t i = 0; i < ctx->ndisplays; i++)
			dbg_arr_push(ids, dbg_val_int(&ctx->arena, ctx->displays[i].id));
		cmd_displays_release(ctx);
		cmd_ev_emit(ctx, ev);
		return 0;
	}
	/* check every number first: nothing is removed on a bad one */
	while (*(p = cmd_skip_ws(p))) {
		size_t l = strcspn(p, " \t"), i;
		uint64_t id = 0;

		if (!cmd_parse_u64(p, l, &id))
			return dbg_err_set(err, -EINVAL, "invalid display number '%.*s'", (int)l,
					   p);
		for (i = 0; i < ctx->ndisplays && (uint64_t)ctx->displays[i].id != id; i++)
			;
		if (i == ctx->ndisplays)
			return dbg_err_set(err, -ENOENT, "no display number %" PRIu64, id);
		p += l;
	}
	ev = cmd_ev_new(ctx, "undisplay");
	ids = dbg_obj_array(ev, "ids");
	p = cmd->args;
	while (*(p = cmd_skip_ws(p))) {
		size_t l = strcspn(p, " \t"), i;
		uint64_t id = 0;

		cmd_parse_u64(p, l, &id);
		for (i = 0; i < ctx->ndisplays; i++) {
			if ((uint64_t)ctx->displays[i].id != id)
				continue;
			free(ctx->displays[i].expr);
			memmove(&ctx->displays[i], &ctx->displays[i + 1],
				(ctx->ndisplays - i - 1) * sizeof(*ctx->displays));
			ctx->ndisplays--;
			dbg_arr_push(ids, dbg_val_int(&ctx->arena, (int64_t)id));
			break;
		}
		p += l;
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_info_display(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_val *ev = cmd_ev_new(ctx, "displays");
	struct dbg_val *arr = dbg_obj_array(ev, "displays");

	(void)cmd;
	(void)err;
	for (size_t i = 0; i < ctx->ndisplays; i++) {
		struct dbg_val *o = dbg_arr_object(arr);

		dbg_obj_int(o, "id", ctx->displays[i].id);
		dbg_obj_str(o, "expr", ctx->displays[i].expr);
		if (ctx->displays[i].fmt[0])
			dbg_obj_str(o, "format", ctx->displays[i].fmt + 1);
		else
			dbg_obj_null(o, "format");
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}
