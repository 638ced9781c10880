/*
 * values — the commands that show memory and values: x, print, expect,
 * echo (cmd.h lists them, docs/json.md their events).
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* x/s: a NUL-terminated string, read in pieces (up to 4 KiB). */
static int read_cstring(struct dbg_cmd_ctx *ctx, uint64_t addr, char *buf, size_t max, size_t *len,
			struct dbg_err *err)
{
	size_t n = 0;

	while (n < max) {
		/* Read up to the end of the page, so an unmapped next page
		 * does not fail a short string. */
		size_t chunk = 4096 - ((addr + n) & 4095);
		size_t i;
		int rc;

		if (chunk > max - n)
			chunk = max - n;
		rc = dbg_session_read(ctx->s, addr + n, buf + n, chunk, err);
		if (rc < 0) {
			*len = n; /* the string runs into unreadable memory */
			return n ? 0 : rc;
		}
		for (i = 0; i < chunk; i++)
			if (buf[n + i] == '\0') {
				*len = n + i;
				return 0;
			}
		n += chunk;
	}
	*len = n;
	return 0;
}

int cmd_x(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	char fmt = cmd->fmt ? cmd->fmt : 'x';
	char unit = cmd->unit;
	struct dbg_expr_value v;
	struct dbg_val *ev, *items;
	uint64_t addr, i, count = cmd->count;
	size_t size;
	uint8_t *buf = NULL;
	int rc;

	if (count > 4096)
		return dbg_err_set(err, -EINVAL, "x: at most 4096 units");
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	rc = cmd_eval(ctx, cmd->args, &v, err);
	if (rc < 0)
		return rc;
	addr = v.v;
	if (!unit)
		unit = fmt == 'a' ? 'g' : fmt == 'c' ? 'b' : 'w';
	if (fmt == 'a')
		unit = 'g';
	size = unit == 'b' ? 1 : unit == 'h' ? 2 : unit == 'w' ? 4 : 8;

	ev = cmd_ev_new(ctx, "x");
	dbg_obj_str(ev, "expr", cmd->args);
	dbg_obj_addr(ev, "addr", addr);
	dbg_obj_strf(ev, "format", "%c", fmt);
	if (fmt != 'i' && fmt != 's') {
		dbg_obj_strf(ev, "unit", "%c", unit);
		dbg_obj_uint(ev, "size", size);
	}
	items = dbg_obj_array(ev, "items");

	if (fmt == 'i') {
		struct dbg_insn *ins = calloc(count, sizeof(*ins));

		if (!ins)
			abort();
		rc = dbg_session_disasm(ctx->s, addr, count, ins, err);
		for (i = 0; rc > 0 && i < (uint64_t)rc; i++) {
			struct dbg_val *o = dbg_arr_object(items);
			char text[256], hex[64] = "";
			size_t b;

			dbg_insn_text(&ins[i], text, sizeof(text));
			for (b = 0; b < ins[i].size && b < 16; b++)
				snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%s%02x",
					 b ? " " : "", ins[i].bytes[b]);
			dbg_obj_addr(o, "addr", ins[i].addr);
			dbg_obj_str(o, "addr_symbol", cmd_symbolize(ctx, ins[i].addr));
			dbg_obj_str(o, "bytes", hex);
			dbg_obj_str(o, "text", text);
		}
		free(ins);
		if (rc < 0) {
			dbg_arena_reset(&ctx->arena);
			return rc;
		}
		cmd_ev_emit(ctx, ev);
		return 0;
	}
	if (fmt == 's') {
		char *s = malloc(4096);
		uint64_t a = addr;

		if (!s)
			abort();
		for (i = 0; i < count; i++) {
			struct dbg_val *o;
			size_t len = 0;

			rc = read_cstring(ctx, a, s, 4096, &len, err);
			if (rc < 0)
				break;
			o = dbg_arr_object(items);
			dbg_obj_addr(o, "addr", a);
			dbg_obj_str(o, "addr_symbol", cmd_symbolize(ctx, a));
			dbg_obj_set(o, "string", dbg_val_strn(&ctx->arena, s, len));
			a += len + 1;
		}
		free(s);
		if (rc < 0 && i == 0) {
			dbg_arena_reset(&ctx->arena);
			return rc;
		}
		/* the strings read before an unreadable one, then the error */
		cmd_ev_emit(ctx, ev);
		return rc;
	}

	buf = malloc(count * size);
	if (!buf)
		abort();
	rc = dbg_session_read(ctx->s, addr, buf, count * size, err);
	if (rc < 0) {
		/* As gdb: the units before the first unreadable one are shown,
		 * then the error. The readable part is a prefix, so the
		 * longest readable run of units is found by bisection. */
		uint64_t lo = 0, hi = count;

		while (lo + 1 < hi) {
			uint64_t mid = lo + (hi - lo) / 2;

			if (dbg_session_read(ctx->s, addr, buf, mid * size, NULL) == 0)
				lo = mid;
			else
				hi = mid;
		}
		if (lo == 0 || dbg_session_read(ctx->s, addr, buf, lo * size, NULL) < 0) {
			free(buf);
			dbg_arena_reset(&ctx->arena);
			return rc;
		}
		dbg_session_read(ctx->s, addr + lo * size, buf + lo * size, size, err);
		count = lo;
	}
	for (i = 0; i < count; i++) {
		struct dbg_val *o = dbg_arr_object(items);
		uint64_t val = 0;
		size_t b;

		for (b = 0; b < size; b++)
			val |= (uint64_t)buf[i * size + b] << (8 * b);
		dbg_obj_addr(o, "addr", addr + i * size);
		dbg_obj_str(o, "addr_symbol", cmd_symbolize(ctx, addr + i * size));
		if (fmt == 'd') {
			int64_t sv = (int64_t)val;

			if (size < 8 && (val >> (8 * size - 1)) & 1)
				sv = (int64_t)(val | (~(uint64_t)0 << (8 * size)));
			dbg_obj_int(o, "value", sv);
		} else {
			dbg_obj_uint(o, "value", val);
		}
		if (fmt == 'a')
			dbg_obj_str(o, "symbol", cmd_symbolize(ctx, val));
	}
	free(buf);
	cmd_ev_emit(ctx, ev);
	return rc;
}

static void add_value(struct dbg_cmd_ctx *ctx, struct dbg_val *o, const struct dbg_expr_value *v)
{
	if (v->is_signed)
		dbg_obj_int(o, "value", (int64_t)v->v);
	else
		dbg_obj_uint(o, "value", v->v);
	dbg_obj_strf(o, "hex", "0x%" PRIx64, v->v);
	(void)ctx;
}

int cmd_print(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_expr_value v;
	struct dbg_val *ev;
	char tn[192];
	int rc;

	rc = cmd_eval(ctx, cmd->args, &v, err);
	if (rc < 0)
		return rc;
	ev = cmd_ev_new(ctx, "print");
	dbg_obj_uint(ev, "index", ++ctx->history);
	dbg_obj_str(ev, "expr", cmd->args);
	add_value(ctx, ev, &v);
	if (cmd->fmt)
		dbg_obj_strf(ev, "format", "%c", cmd->fmt);
	else
		dbg_obj_null(ev, "format");
	if (v.type && !v.symbol) {
		cmd_type_name(v.type, tn, sizeof(tn));
		dbg_obj_str(ev, "type", tn);
	} else {
		dbg_obj_null(ev, "type");
	}
	/* Name what an address points at: labels, pointers, aggregates. */
	if (v.symbol || v.aggregate || cmd->fmt == 'a' || (v.type && v.type->kind == DBG_TYPE_PTR))
		dbg_obj_str(ev, "symbol", v.v ? cmd_symbolize(ctx, v.v) : NULL);
	else
		dbg_obj_null(ev, "symbol");
	if (v.has_addr)
		dbg_obj_addr(ev, "addr", v.addr);
	else
		dbg_obj_null(ev, "addr");
	dbg_obj_bool(ev, "aggregate", v.aggregate);
	rc = cmd_value_tree(ctx, dbg_obj_object(ev, "tree"), &v, err);
	if (rc < 0) {
		dbg_arena_reset(&ctx->arena);
		ctx->history--;
		return rc;
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_expect(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_expr *l, *r;
	struct dbg_expr_value v, lv, rv;
	struct dbg_expr_env env;
	struct dbg_expr *e;
	struct dbg_val *ev;
	const char *op;
	bool cmp;
	int rc;

	dbg_cmd_expr_env(ctx, &env);
	rc = dbg_expr_parse(&ctx->tmp, cmd->args, &e, err);
	if (rc < 0)
		return rc;
	rc = dbg_expr_run(e, &env, &ctx->tmp, &v, err);
	if (rc < 0)
		return rc;
	if (v.aggregate) {
		char tn[192];
		cmd_type_name(v.type, tn, sizeof(tn));
		return dbg_err_set(err, -EINVAL,
				   "expect needs a number, not %s: compare one of its fields, or its address with '&'",
				   tn);
	}
	ev = cmd_ev_new(ctx, "expect");
	dbg_obj_str(ev, "expr", cmd->args);
	dbg_obj_bool(ev, "ok", v.v != 0);
	add_value(ctx, ev, &v);
	cmp = dbg_expr_comparison(e, &op, &l, &r);
	/* Both sides of a comparison, so a failure shows what differed. */
	if (cmp && dbg_expr_run(l, &env, &ctx->tmp, &lv, NULL) == 0 &&
	    dbg_expr_run(r, &env, &ctx->tmp, &rv, NULL) == 0) {
		struct dbg_val *side;
		char src[DBG_CMD_MAX];

		dbg_obj_str(ev, "op", op);
		side = dbg_obj_object(ev, "lhs");
		dbg_expr_source(l, src, sizeof(src));
		dbg_obj_str(side, "expr", src);
		add_value(ctx, side, &lv);
		side = dbg_obj_object(ev, "rhs");
		dbg_expr_source(r, src, sizeof(src));
		dbg_obj_str(side, "expr", src);
		add_value(ctx, side, &rv);
	}
	cmd_add_loc(ev, ctx->file, ctx->line);
	if (!v.v)
		ctx->expect_failures++;
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_echo(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_val *ev = cmd_ev_new(ctx, "echo");

	(void)err;
	dbg_obj_str(ev, "text", cmd->args);
	cmd_ev_emit(ctx, ev);
	return 0;
}
