/*
 * dataflow — "who wrote this?" over the record: info writes EXPR lists
 * every recorded step that changed a byte of EXPR's location, with the
 * value before and after it as print shows it; info reads says why it
 * cannot (docs/json.md: "writes"; debugger/timeline.h: dbg_tl_writes).
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "timeline.h"

/* Bytes no type describes (a location given as *ADDR@LEN, a write into
 * memory no variable covers), shown as print shows an unsigned integer of
 * their size, or as an array of bytes. */
static const struct dbg_type raw_scalar[] = {
	{ .kind = DBG_TYPE_UINT, .name = "uint8_t", .size = 1 },
	{ .kind = DBG_TYPE_UINT, .name = "uint16_t", .size = 2 },
	{ .kind = DBG_TYPE_UINT, .name = "uint32_t", .size = 4 },
	{ .kind = DBG_TYPE_UINT, .name = "uint64_t", .size = 8 },
};

/* What a query is over: the range, and how its bytes are shown. */
struct loc {
	uint64_t addr;
	uint64_t len;
	const struct dbg_type *type; /* NULL: raw bytes */
	const struct dbg_type *parent;
	const char *field;
	struct dbg_type arr; /* raw bytes of another length */
};

/* The top-level '@' of text, or NULL. */
static const char *top_at(const char *text)
{
	int depth = 0;
	const char *at = NULL;
	for (const char *p = text; *p; p++) {
		if (*p == '(' || *p == '[')
			depth++;
		else if (*p == ')' || *p == ']')
			depth--;
		else if (*p == '@' && depth == 0)
			at = p;
	}
	return at;
}

const struct dbg_type *cmd_raw_type(uint64_t len, struct dbg_type *arr)
{
	switch (len) {
	case 1:
		return &raw_scalar[0];
	case 2:
		return &raw_scalar[1];
	case 4:
		return &raw_scalar[2];
	case 8:
		return &raw_scalar[3];
	}
	*arr = (struct dbg_type){
		.kind = DBG_TYPE_ARRAY,
		.size = len,
		.target = &raw_scalar[0],
		.count = len,
	};
	return arr;
}

bool cmd_raw_type_is(const struct dbg_type *t)
{
	return t >= raw_scalar && t < raw_scalar + 4;
}

/*
 * EXPR as `watch` takes it (a symbol, a field path, an lvalue), or
 * *ADDR@LEN: LEN bytes at ADDR, when ADDR is not a typed pointer (a typed
 * one makes X@N the usual array of N objects).
 */
static int locate(struct dbg_cmd_ctx *ctx, const char *what, const char *text, struct loc *l,
		  struct dbg_err *err)
{
	struct dbg_expr_value v;
	const char *at = text[0] == '*' ? top_at(text) : NULL;
	int rc;

	memset(l, 0, sizeof(*l));
	if (!*text)
		return dbg_err_set(err, -EINVAL, "info %s needs an expression", what);
	if (at) {
		char head[256];
		size_t n = (size_t)(at - text - 1);
		struct dbg_expr_value a, c;

		if (n >= sizeof(head))
			return dbg_err_set(err, -EINVAL, "the expression '%s' is too long", text);
		memcpy(head, text + 1, n);
		head[n] = 0;
		rc = cmd_eval(ctx, head, &a, err);
		if (rc < 0)
			return rc;
		if (!a.type || a.symbol || a.type->kind != DBG_TYPE_PTR || !a.type->target ||
		    !a.type->target->size) {
			rc = cmd_eval(ctx, at + 1, &c, err);
			if (rc < 0)
				return rc;
			if ((int64_t)c.v <= 0)
				return dbg_err_set(err, -EINVAL,
						   "the length in '%s' is not positive", text);
			l->addr = a.v;
			l->len = c.v;
			l->type = cmd_raw_type(l->len, &l->arr);
			return 0;
		}
	}
	rc = cmd_eval(ctx, text, &v, err);
	if (rc < 0)
		return rc;
	if (v.symbol || !v.type) {
		if (!v.symbol && !v.has_addr)
			return dbg_err_set(err, -EINVAL,
					   "cannot look for writes of '%s': it is not in memory",
					   text);
		l->addr = v.symbol ? v.v : v.addr;
		l->len = 8;
		l->type = cmd_raw_type(l->len, &l->arr);
		return 0;
	}
	if (!v.has_addr)
		return dbg_err_set(err, -EINVAL,
				   "cannot look for writes of '%s': it is not in memory", text);
	l->addr = v.addr;
	l->len = v.type->size;
	l->type = v.type;
	l->parent = v.parent;
	l->field = v.field;
	return 0;
}

int cmd_info_writes(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_tl_wlist wl;
	struct loc l;
	char tn[192];
	int rc = locate(ctx, "writes", cmd->args, &l, err);

	if (rc < 0)
		return rc;
	if (!l.len || l.len > DBG_TL_WRITES_MAX)
		return dbg_err_set(err, -EINVAL,
				   "cannot look for writes of '%s': it is %" PRIu64
				   " bytes, the most is %u",
				   cmd->args, l.len, DBG_TL_WRITES_MAX);
	rc = dbg_session_writes(ctx->s, l.addr, (size_t)l.len, &wl, err);
	if (rc < 0)
		return rc;

	struct dbg_tl_info in;
	dbg_tl_info(dbg_session_timeline(ctx->s), &in);
	const struct dbg_stages *st = cmd_stages_of(ctx);
	struct dbg_val *ev = cmd_ev_new(ctx, "writes");
	bool raw = cmd_raw_type_is(l.type);
	raw |= l.type == &l.arr;
	dbg_obj_str(ev, "expr", cmd->args);
	dbg_obj_addr(ev, "addr", l.addr);
	dbg_obj_uint(ev, "len", l.len);
	cmd_type_name(l.type, tn, sizeof(tn));
	if (raw)
		dbg_obj_null(ev, "type");
	else
		dbg_obj_str(ev, "type", tn);
	dbg_obj_uint(ev, "first", in.first);
	dbg_obj_uint(ev, "last", in.last);
	dbg_obj_uint(ev, "records_read", wl.looked);
	struct dbg_val *arr = dbg_obj_array(ev, "writes");
	for (size_t i = 0; i < wl.n; i++) {
		const struct dbg_tl_wr *w = &wl.v[i];
		struct dbg_val *o = dbg_arr_object(arr);
		dbg_obj_uint(o, "step", w->step);
		dbg_obj_int(o, "tid", w->tid);
		if (w->pc) {
			dbg_obj_addr(o, "pc", w->pc);
			dbg_obj_str(o, "symbol", cmd_symbolize(ctx, w->pc));
		} else {
			dbg_obj_null(o, "pc");
			dbg_obj_null(o, "symbol");
		}
		if (w->stage >= 0 && (size_t)w->stage < st->n)
			dbg_obj_str(o, "stage", st->v[w->stage].name);
		else
			dbg_obj_null(o, "stage");
		dbg_obj_bool(o, "free_run", w->jump);
		cmd_value_tree_bytes(ctx, dbg_obj_object(o, "old"), l.type, l.parent, l.field,
				     wl.bytes + w->off);
		cmd_value_tree_bytes(ctx, dbg_obj_object(o, "new"), l.type, l.parent, l.field,
				     wl.bytes + w->off + wl.len);
	}
	dbg_tl_wlist_release(&wl);
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_info_reads(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct loc l;
	int rc = locate(ctx, "reads", cmd->args, &l, err);

	if (rc < 0)
		return rc;
	return dbg_err_set(err, -ENODATA,
			   "cannot list the reads of '%s': the record keeps what each step wrote, "
			   "not what it read (rwatch stops at reads while the program runs)",
			   cmd->args);
}
