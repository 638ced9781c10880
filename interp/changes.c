/*
 * changes — info changes [STEP]: what the shown step (or STEP) changed,
 * by the runtime's names and DWARF field paths, each value as print shows
 * it, and where the stored value came from (docs/json.md: "changes";
 * debugger/changeset.h).
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "changeset.h"
#include "timeline.h"

/* An 8-byte little-endian value of b. */
static uint64_t word(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* The runtime's label of a pointer-sized value ("g1", "m0", "p0"), or
 * null. */
static void add_label(struct dbg_val *o, const char *key, const struct dbg_rt *rt,
		      const struct dbg_type *t, const uint8_t *b)
{
	const char *l = NULL;
	if (t && t->size == 8 && (t->kind == DBG_TYPE_PTR || t->kind == DBG_TYPE_UINT))
		l = dbg_changes_label(rt, word(b));
	if (l)
		dbg_obj_str(o, key, l);
	else
		dbg_obj_null(o, key);
}

/* How far back the step that set a source register is looked for. */
#define SET_LOOKBACK 100000

/* Where the stored value came from (dbg_changes_why) into ev's "source";
 * for a register, the step before `step` that last changed it. */
static void add_source(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, uint64_t step, uint64_t pc,
		       bool jump)
{
	struct dbg_why why;
	struct dbg_err e;
	if (!pc || jump || dbg_changes_why(ctx->s, pc, &why, &e) < 0) {
		dbg_obj_null(ev, "insn");
		dbg_obj_null(ev, "source");
		return;
	}
	dbg_obj_str(ev, "insn", why.text);
	struct dbg_val *src = dbg_obj_object(ev, "source");
	if (why.call) {
		dbg_obj_str(src, "kind", "return address");
		dbg_obj_null(src, "register");
	} else if (why.src_reg != DBG_REG_NONE) {
		dbg_obj_str(src, "kind", "register");
		dbg_obj_str(src, "register", dbg_changes_reg_name(why.src_reg));
		uint64_t set;
		struct dbg_timeline *tl = dbg_session_timeline(ctx->s);
		if (why.src_reg >= DBG_REG_RAX && why.src_reg <= DBG_REG_R15 && tl &&
		    dbg_tl_reg_last_set(tl, step, (unsigned)(why.src_reg - DBG_REG_RAX),
					SET_LOOKBACK, &set) == 0)
			dbg_obj_uint(src, "set_step", set);
		else
			dbg_obj_null(src, "set_step");
	} else if (why.src_imm) {
		dbg_obj_str(src, "kind", "immediate");
		dbg_obj_null(src, "register");
		dbg_obj_int(src, "value", why.imm);
	} else if (why.src_mem) {
		dbg_obj_str(src, "kind", "memory");
		dbg_obj_null(src, "register");
	} else {
		dbg_obj_str(src, "kind", "unknown");
		dbg_obj_null(src, "register");
	}
}

int cmd_info_changes(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_timeline *tl = cmd_timeline(ctx, err);
	if (!tl)
		return -ENODATA;
	struct dbg_tl_info in;
	dbg_tl_info(tl, &in);
	uint64_t step = in.view;
	if (cmd->args[0]) {
		struct dbg_expr_value v;
		int rc = cmd_eval(ctx, cmd->args, &v, err);
		if (rc < 0)
			return rc;
		if ((int64_t)v.v < 0)
			return dbg_err_set(err, -ERANGE,
					   "step %" PRId64
					   " is not recorded (the record holds steps %" PRIu64
					   "..%" PRIu64 ")",
					   (int64_t)v.v, in.first + 1, in.last);
		step = v.v;
	}
	struct dbg_err rerr;
	const struct dbg_rt *rt = dbg_rt_read(ctx->s, &ctx->rt, &rerr) == 0 ? &ctx->rt : NULL;
	struct dbg_changes c = { 0 };
	int rc = dbg_changes_at(ctx->s, rt, step, &c, err);
	if (rc < 0) {
		dbg_changes_release(&c);
		return rc;
	}

	const struct dbg_stages *st = cmd_stages_of(ctx);
	struct dbg_val *ev = cmd_ev_new(ctx, "changes");
	dbg_obj_uint(ev, "step", step);
	dbg_obj_uint(ev, "first", in.first);
	dbg_obj_uint(ev, "last", in.last);
	dbg_obj_bool(ev, "wrote", c.wrote);
	if (c.wrote && c.info.pc) {
		dbg_obj_addr(ev, "pc", c.info.pc);
		dbg_obj_str(ev, "symbol", cmd_symbolize(ctx, c.info.pc));
	} else {
		dbg_obj_null(ev, "pc");
		dbg_obj_null(ev, "symbol");
	}
	if (c.wrote)
		dbg_obj_int(ev, "tid", c.info.tid);
	else
		dbg_obj_null(ev, "tid");
	if (c.info.stage >= 0 && (size_t)c.info.stage < st->n)
		dbg_obj_str(ev, "stage", st->v[c.info.stage].name);
	else
		dbg_obj_null(ev, "stage");
	dbg_obj_bool(ev, "free_run", c.info.jump);
	add_source(ctx, ev, step, c.wrote ? c.info.pc : 0, c.info.jump);
	dbg_obj_bool(ev, "truncated", c.truncated);
	struct dbg_val *arr = dbg_obj_array(ev, "changes");
	for (size_t i = 0; i < c.n; i++) {
		const struct dbg_change *ch = &c.v[i];
		struct dbg_val *o = dbg_arr_object(arr);
		struct dbg_type tarr;
		const struct dbg_type *t = ch->type ? ch->type : cmd_raw_type(ch->size, &tarr);
		const uint8_t *b = c.bytes + ch->off;
		char tn[192];
		if (ch->path[0])
			dbg_obj_str(o, "path", ch->path);
		else
			dbg_obj_null(o, "path");
		if (ch->area[0])
			dbg_obj_str(o, "area", ch->area);
		else
			dbg_obj_null(o, "area");
		dbg_obj_addr(o, "addr", ch->addr);
		dbg_obj_uint(o, "size", ch->size);
		if (ch->type) {
			cmd_type_name(ch->type, tn, sizeof(tn));
			dbg_obj_str(o, "type", tn);
		} else {
			dbg_obj_null(o, "type");
		}
		cmd_value_tree_bytes(ctx, dbg_obj_object(o, "old"), t, ch->parent, ch->field, b);
		cmd_value_tree_bytes(ctx, dbg_obj_object(o, "new"), t, ch->parent, ch->field,
				     b + ch->size);
		add_label(o, "old_label", rt, ch->type, b);
		add_label(o, "new_label", rt, ch->type, b + ch->size);
		dbg_obj_uint(o, "step", step);
		if (c.info.pc) {
			dbg_obj_addr(o, "pc", c.info.pc);
			dbg_obj_str(o, "symbol", cmd_symbolize(ctx, c.info.pc));
		} else {
			dbg_obj_null(o, "pc");
			dbg_obj_null(o, "symbol");
		}
	}
	dbg_changes_release(&c);
	cmd_ev_emit(ctx, ev);
	return 0;
}
