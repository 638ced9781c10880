/*
 * watch — watch, rwatch and awatch (gdb's), what a stop on a watchpoint
 * adds to the "stop" event, and the watchpoints' lines of
 * `info breakpoints` (docs/json.md). The engine's side is session.h.
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *kind_name(enum dbg_watch_kind k)
{
	switch (k) {
	case DBG_WATCH_WRITE:
		return "watch";
	case DBG_WATCH_READ:
		return "rwatch";
	case DBG_WATCH_ACCESS:
		return "awatch";
	}
	return "watch";
}

/* gdb's Type column of info breakpoints. */
static const char *type_name(const struct dbg_watch *w)
{
	switch (w->kind) {
	case DBG_WATCH_WRITE:
		return w->hw ? "hw watchpoint" : "watchpoint";
	case DBG_WATCH_READ:
		return "read watchpoint";
	case DBG_WATCH_ACCESS:
		return "acc watchpoint";
	}
	return "hw watchpoint";
}

/* "-l EXPR" / "-location EXPR": EXPR (every watchpoint here watches the
 * expression's location, so the option changes nothing). */
static const char *location_option(const char *args)
{
	static const char *const opts[] = { "-location", "-l" };
	size_t i;

	for (i = 0; i < 2; i++) {
		size_t l = strlen(opts[i]);

		if (strncmp(args, opts[i], l) == 0 && (args[l] == ' ' || args[l] == '\t'))
			return cmd_skip_ws(args + l);
	}
	return args;
}

static int set_watch(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, enum dbg_watch_kind kind,
		     struct dbg_err *err)
{
	const char *text = location_option(cmd->args);
	struct dbg_expr_value v;
	uint64_t addr;
	unsigned len;
	int id, rc;

	if (!*text)
		return dbg_err_set(err, -EINVAL, "%s needs an expression", cmd->name);
	rc = cmd_eval(ctx, text, &v, err);
	if (rc < 0)
		return rc;
	/* a global's name is its address (symbol) or its value (has_addr) */
	if (v.symbol)
		addr = v.v;
	else if (v.has_addr)
		addr = v.addr;
	else
		return dbg_err_set(err, -EINVAL, "cannot watch '%s': it is not in memory", text);
	len = v.type && v.type->size ? (unsigned)(v.type->size > 64 ? 64 : v.type->size) : 8;
	id = dbg_session_watch(ctx->s, kind, addr, len, text, err);
	if (id < 0)
		return id;
	dbg_session_watch_set_format(ctx->s, id,
				     v.type ? v.type->kind == DBG_TYPE_INT : v.is_signed,
				     v.type && v.type->kind == DBG_TYPE_PTR);

	struct dbg_val *ev = cmd_ev_new(ctx, "watch");
	dbg_obj_int(ev, "id", id);
	dbg_obj_str(ev, "kind", kind_name(kind));
	dbg_obj_str(ev, "expr", text);
	dbg_obj_addr(ev, "addr", addr);
	dbg_obj_uint(ev, "len", len);
	dbg_obj_bool(ev, "hardware", dbg_session_hw_watch(ctx->s));
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_watch(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return set_watch(ctx, cmd, DBG_WATCH_WRITE, err);
}

int cmd_rwatch(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return set_watch(ctx, cmd, DBG_WATCH_READ, err);
}

int cmd_awatch(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return set_watch(ctx, cmd, DBG_WATCH_ACCESS, err);
}

/* One watched value as its expression's type shows it. */
static void add_value(struct dbg_val *ev, const char *key, const struct dbg_watch *w, uint64_t v)
{
	if (w->is_ptr) {
		dbg_obj_addr(ev, key, v);
	} else if (w->is_signed) {
		unsigned bits = w->len * 8;
		int64_t s = bits < 64 && (v >> (bits - 1)) & 1 ? (int64_t)(v | ~0ull << bits) :
								 (int64_t)v;
		dbg_obj_int(ev, key, s);
	} else {
		dbg_obj_uint(ev, key, v);
	}
}

void cmd_add_watch_stop(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, const struct dbg_stop *stop)
{
	const struct dbg_watch *ws;
	size_t i, n = dbg_session_watchpoints(ctx->s, &ws);

	dbg_obj_int(ev, "watchpoint", stop->bp_id);
	for (i = 0; i < n; i++) {
		if (ws[i].id != stop->bp_id)
			continue;
		dbg_obj_str(ev, "watch_kind", kind_name(ws[i].kind));
		dbg_obj_bool(ev, "watch_hardware", ws[i].hw);
		dbg_obj_str(ev, "expr", ws[i].expr);
		add_value(ev, "old", &ws[i], stop->watch_old);
		add_value(ev, "new", &ws[i], stop->watch_new);
		break;
	}
	if (stop->watch_pc) {
		dbg_obj_addr(ev, "access_pc", stop->watch_pc);
		dbg_obj_str(ev, "access_symbol", cmd_symbolize(ctx, stop->watch_pc));
	} else {
		dbg_obj_null(ev, "access_pc");
		dbg_obj_null(ev, "access_symbol");
	}
}

void cmd_add_watch_entry(struct dbg_cmd_ctx *ctx, struct dbg_val *arr, const struct dbg_watch *w)
{
	struct dbg_val *o = dbg_arr_object(arr);

	dbg_obj_int(o, "id", w->id);
	dbg_obj_str(o, "type", type_name(w));
	dbg_obj_addr(o, "addr", w->addr);
	dbg_obj_str(o, "symbol", cmd_symbolize(ctx, w->addr));
	dbg_obj_null(o, "stage");
	dbg_obj_bool(o, "temporary", false);
	dbg_obj_bool(o, "enabled", true);
	dbg_obj_uint(o, "hits", w->hits);
	dbg_obj_bool(o, "pending", false);
	dbg_obj_str(o, "spec", w->expr);
	dbg_obj_uint(o, "len", w->len);
}
