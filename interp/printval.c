/*
 * printval — typed values for print, ptype and whatis: the tree of a value
 * read from memory through its DWARF type (structs field by field, arrays
 * with runs of equal elements, pointers, Go strings and slices, the
 * runtime's status fields by name), and types spelled as gdb spells them
 * ("runtime.g *", "struct g", "uintptr_t [6]"). docs/json.md describes the
 * tree; ui/render.c writes it as gdb's text.
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* gdb's limits: elements of an array or characters of a string shown, and
 * the run length from which equal elements are folded. */
#define PV_ELEMENTS 200
#define PV_REPEATS 10
/* Nesting of structs and arrays followed (types cannot nest by value
 * forever; this only stops damaged DWARF). */
#define PV_DEPTH 32
/* Largest object read whole. */
#define PV_MAX_OBJ (1u << 20)

void cmd_type_name(const struct dbg_type *t, char *buf, size_t n)
{
	char inner[192];

	if (!t) {
		snprintf(buf, n, "void");
		return;
	}
	switch (t->kind) {
	case DBG_TYPE_PTR:
		if (!t->target || t->target->kind == DBG_TYPE_VOID) {
			snprintf(buf, n, "void *");
			return;
		}
		if (t->target->kind == DBG_TYPE_FUNC) {
			snprintf(buf, n, "void (*)(void)");
			return;
		}
		cmd_type_name(t->target, inner, sizeof(inner));
		snprintf(buf, n, "%s%s*", inner, inner[strlen(inner) - 1] == '*' ? "" : " ");
		return;
	case DBG_TYPE_ARRAY:
		if (t->name) {
			snprintf(buf, n, "%s", t->name);
			return;
		}
		cmd_type_name(t->target, inner, sizeof(inner));
		snprintf(buf, n, "%s [%" PRIu64 "]", inner, t->count);
		return;
	case DBG_TYPE_STRUCT:
	case DBG_TYPE_UNION: {
		const char *tag = t->kind == DBG_TYPE_STRUCT ? "struct" : "union";
		if (!t->name)
			snprintf(buf, n, "%s {...}", tag);
		else if (strchr(t->name, '.') || strncmp(t->name, "[]", 2) == 0 ||
			 strcmp(t->name, "string") == 0)
			snprintf(buf, n, "%s", t->name);
		else
			snprintf(buf, n, "%s %s", tag, t->name);
		return;
	}
	case DBG_TYPE_VOID:
		snprintf(buf, n, "void");
		return;
	case DBG_TYPE_FUNC:
		snprintf(buf, n, "%s", t->name ? t->name : "void (void)");
		return;
	default:
		snprintf(buf, n, "%s", t->name ? t->name : "?");
		return;
	}
}

void cmd_type_decl(const struct dbg_type *t, const char *name, char *buf, size_t n)
{
	char inner[192];

	if (t && t->kind == DBG_TYPE_ARRAY && !t->name) {
		char sub[256];
		snprintf(sub, sizeof(sub), "%s[%" PRIu64 "]", name, t->count);
		cmd_type_decl(t->target, sub, buf, n);
		return;
	}
	if (t && t->kind == DBG_TYPE_PTR && t->target && t->target->kind == DBG_TYPE_FUNC) {
		snprintf(buf, n, "void (*%s)(void)", name);
		return;
	}
	cmd_type_name(t, inner, sizeof(inner));
	snprintf(buf, n, "%s%s%s", inner, inner[strlen(inner) - 1] == '*' || !*name ? "" : " ",
		 name);
}

/* ---- values ------------------------------------------------------------- */

struct pv {
	struct dbg_cmd_ctx *ctx;
	struct dbg_err *err;
};

static bool is_named(const struct dbg_type *t, const char *name)
{
	if (!t || !t->name)
		return false;
	if (strcmp(t->name, name) == 0)
		return true;
	return strncmp(t->name, "runtime.", 8) == 0 && strcmp(t->name + 8, name) == 0;
}

/* A Go string: a struct named "string" with str and len. */
static bool is_gostring(const struct dbg_type *t)
{
	return t && t->kind == DBG_TYPE_STRUCT && t->name && strcmp(t->name, "string") == 0 &&
	       dbg_type_member(t, "str") && dbg_type_member(t, "len");
}

/* A Go slice: a struct named "[]T" with array, len and cap. */
static bool is_goslice(const struct dbg_type *t)
{
	const struct dbg_field *a;
	return t && t->kind == DBG_TYPE_STRUCT && t->name && strncmp(t->name, "[]", 2) == 0 &&
	       (a = dbg_type_member(t, "array")) && a->type && a->type->kind == DBG_TYPE_PTR &&
	       dbg_type_member(t, "len") && dbg_type_member(t, "cap");
}

static bool is_char(const struct dbg_type *t)
{
	return t->size == 1 && t->name &&
	       (strcmp(t->name, "char") == 0 || strcmp(t->name, "unsigned char") == 0 ||
		strcmp(t->name, "signed char") == 0);
}

static uint64_t get_le(const uint8_t *b, size_t size)
{
	uint64_t v = 0;
	for (size_t i = 0; i < size && i < 8; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

/* The name a status field's value has, when the field and the struct it
 * is in leave no doubt: g.atomicstatus, p.status, g.waitreason. */
const char *cmd_field_value_name(struct dbg_cmd_ctx *ctx, const struct dbg_type *parent,
				 const char *field, uint64_t v)
{
	if (!parent || !field)
		return NULL;
	if (is_named(parent, "g") && strcmp(field, "atomicstatus") == 0)
		return dbg_rt_gstatus_name((uint32_t)v);
	if (is_named(parent, "p") && strcmp(field, "status") == 0)
		return dbg_rt_pstatus_name((uint32_t)v);
	if (is_named(parent, "g") && strcmp(field, "waitreason") == 0 && v < 256) {
		const char *s = dbg_rt_waitreason_name(&ctx->rt, ctx->s, (uint32_t)v);
		return s && *s ? s : NULL;
	}
	return NULL;
}

static void put_scalar(struct pv *pv, struct dbg_val *o, const struct dbg_type *t, uint64_t v,
		       const struct dbg_type *parent, const char *field)
{
	char tn[192];
	const char *kind = "uint";

	cmd_type_name(t, tn, sizeof(tn));
	if (t->size < 8)
		v &= (~(uint64_t)0) >> (64 - 8 * t->size);
	switch (t->kind) {
	case DBG_TYPE_INT:
	case DBG_TYPE_ENUM:
		kind = is_char(t) ? "char" : "int";
		if (t->size < 8 && (v >> (8 * t->size - 1)) & 1)
			v |= ~(uint64_t)0 << (8 * t->size);
		break;
	case DBG_TYPE_UINT:
		kind = is_char(t) ? "char" : "uint";
		break;
	case DBG_TYPE_BOOL:
		kind = "bool";
		break;
	case DBG_TYPE_FLOAT:
		kind = "float";
		break;
	case DBG_TYPE_PTR:
	case DBG_TYPE_FUNC:
		kind = "pointer";
		break;
	default:
		break;
	}
	dbg_obj_str(o, "kind", kind);
	dbg_obj_str(o, "type", tn);
	dbg_obj_uint(o, "size", t->size);
	if (t->kind == DBG_TYPE_INT || t->kind == DBG_TYPE_ENUM)
		dbg_obj_int(o, "value", (int64_t)v);
	else
		dbg_obj_uint(o, "value", v);
	if (t->kind == DBG_TYPE_FLOAT) {
		double d;
		if (t->size == 4) {
			float f;
			uint32_t u = (uint32_t)v;
			memcpy(&f, &u, 4);
			d = f;
		} else {
			memcpy(&d, &v, 8);
		}
		dbg_obj_strf(o, "float", "%g", d);
	}
	if (t->kind == DBG_TYPE_PTR || t->kind == DBG_TYPE_FUNC)
		dbg_obj_str(o, "symbol", v ? cmd_symbolize(pv->ctx, v) : NULL);
	const char *name = cmd_field_value_name(pv->ctx, parent, field, v);
	if (name)
		dbg_obj_str(o, "name", name);
}

static int read_mem(struct pv *pv, uint64_t addr, void *buf, size_t n)
{
	return dbg_session_read(pv->ctx->s, addr, buf, n, pv->err);
}

static void node(struct pv *pv, struct dbg_val *o, const uint8_t *b, const struct dbg_type *t,
		 const struct dbg_type *parent, const char *field, int depth);

/* Elements of count objects of type et in b: equal neighbours in runs. */
static void put_elements(struct pv *pv, struct dbg_val *o, const uint8_t *b,
			 const struct dbg_type *et, uint64_t count, int depth)
{
	struct dbg_val *arr = dbg_obj_array(o, "elements");
	uint64_t shown = 0, i = 0;
	size_t es = et ? (size_t)et->size : 0;

	while (i < count && shown < PV_ELEMENTS) {
		uint64_t run = 1;
		while (es && i + run < count && memcmp(b + i * es, b + (i + run) * es, es) == 0)
			run++;
		if (run < PV_REPEATS)
			run = 1;
		struct dbg_val *e = dbg_arr_object(arr);
		node(pv, e, b + i * es, et, NULL, NULL, depth + 1);
		if (run > 1)
			dbg_obj_uint(e, "repeat", run);
		i += run;
		shown += run > 1 ? PV_REPEATS : 1;
	}
	dbg_obj_bool(o, "truncated", i < count);
}

static void put_gostring(struct pv *pv, struct dbg_val *o, const uint8_t *b,
			 const struct dbg_type *t)
{
	const struct dbg_field *fs = dbg_type_member(t, "str"), *fl = dbg_type_member(t, "len");
	uint64_t str = get_le(b + fs->offset, 8);
	int64_t len = (int64_t)get_le(b + fl->offset, fl->type ? fl->type->size : 8);
	char text[PV_ELEMENTS];
	size_t n = len < 0 ? 0 : len > PV_ELEMENTS ? PV_ELEMENTS : (size_t)len;

	dbg_obj_str(o, "kind", "string");
	dbg_obj_str(o, "type", t->name);
	dbg_obj_addr(o, "str", str);
	dbg_obj_int(o, "len", len);
	if (n && read_mem(pv, str, text, n) < 0)
		n = 0;
	dbg_obj_set(o, "text", dbg_val_strn(&pv->ctx->arena, text, n));
	dbg_obj_bool(o, "truncated", (int64_t)n < len);
}

static void put_goslice(struct pv *pv, struct dbg_val *o, const uint8_t *b,
			const struct dbg_type *t, int depth)
{
	const struct dbg_field *fa = dbg_type_member(t, "array"), *fl = dbg_type_member(t, "len"),
			       *fc = dbg_type_member(t, "cap");
	uint64_t arr = get_le(b + fa->offset, 8);
	int64_t len = (int64_t)get_le(b + fl->offset, 8), cap = (int64_t)get_le(b + fc->offset, 8);
	const struct dbg_type *et = fa->type->target;
	uint64_t n = len < 0 ? 0 : len > PV_ELEMENTS ? PV_ELEMENTS : (uint64_t)len;

	dbg_obj_str(o, "kind", "slice");
	dbg_obj_str(o, "type", t->name);
	dbg_obj_addr(o, "array", arr);
	dbg_obj_int(o, "len", len);
	dbg_obj_int(o, "cap", cap);
	uint8_t *buf = NULL;
	if (et && et->size && n && et->size * n <= PV_MAX_OBJ) {
		buf = malloc(et->size * n);
		if (!buf)
			abort();
		if (read_mem(pv, arr, buf, et->size * n) < 0)
			n = 0;
	} else {
		n = 0;
	}
	put_elements(pv, o, buf, et, n, depth);
	if ((int64_t)n < len) {
		/* the elements not read count as left out */
		struct dbg_val *tr = (struct dbg_val *)dbg_val_get(o, "truncated");
		if (tr)
			tr->b = true;
	}
	free(buf);
}

static void node(struct pv *pv, struct dbg_val *o, const uint8_t *b, const struct dbg_type *t,
		 const struct dbg_type *parent, const char *field, int depth)
{
	char tn[192];

	if (!t || t->kind == DBG_TYPE_VOID || (t->kind == DBG_TYPE_FUNC && t->size != 8) ||
	    depth > PV_DEPTH) {
		dbg_obj_str(o, "kind", "unknown");
		cmd_type_name(t, tn, sizeof(tn));
		dbg_obj_str(o, "type", tn);
		return;
	}
	if (is_gostring(t)) {
		put_gostring(pv, o, b, t);
		return;
	}
	if (is_goslice(t)) {
		put_goslice(pv, o, b, t, depth);
		return;
	}
	switch (t->kind) {
	case DBG_TYPE_STRUCT:
	case DBG_TYPE_UNION: {
		cmd_type_name(t, tn, sizeof(tn));
		dbg_obj_str(o, "kind", t->kind == DBG_TYPE_STRUCT ? "struct" : "union");
		dbg_obj_str(o, "type", tn);
		struct dbg_val *fields = dbg_obj_array(o, "fields");
		for (size_t i = 0; i < t->nfields; i++) {
			const struct dbg_field *f = &t->fields[i];
			if (!f->type || f->offset + f->type->size > t->size)
				continue;
			struct dbg_val *fo = dbg_arr_object(fields);
			dbg_obj_str(fo, "name", f->name);
			node(pv, dbg_obj_object(fo, "value"), b + f->offset, f->type, t, f->name,
			     depth + 1);
		}
		return;
	}
	case DBG_TYPE_ARRAY:
		cmd_type_name(t, tn, sizeof(tn));
		dbg_obj_str(o, "kind", "array");
		dbg_obj_str(o, "type", tn);
		/* no more elements than the array's bytes hold (damaged DWARF) */
		put_elements(pv, o, b, t->target,
			     t->target && t->target->size ? (t->count < t->size / t->target->size ?
								     t->count :
								     t->size / t->target->size) :
							    0,
			     depth);
		return;
	default:
		put_scalar(pv, o, t, get_le(b, t->size), parent, field);
		return;
	}
}

int cmd_value_tree(struct dbg_cmd_ctx *ctx, struct dbg_val *o, const struct dbg_expr_value *v,
		   struct dbg_err *err)
{
	struct pv pv = { ctx, err };
	const struct dbg_type *t = v->type;

	if (!t || v->symbol) {
		/* a plain number, or a label's address */
		dbg_obj_str(o, "kind", v->symbol ? "pointer" : v->is_signed ? "int" : "uint");
		dbg_obj_null(o, "type");
		dbg_obj_uint(o, "size", 8);
		if (v->is_signed)
			dbg_obj_int(o, "value", (int64_t)v->v);
		else
			dbg_obj_uint(o, "value", v->v);
		if (v->symbol)
			dbg_obj_str(o, "symbol", v->v ? cmd_symbolize(ctx, v->v) : NULL);
		return 0;
	}
	if (!v->aggregate && !is_gostring(t) && !is_goslice(t)) {
		uint8_t b[8];
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(v->v >> (8 * i));
		node(&pv, o, b, t, v->parent, v->field, 0);
		return 0;
	}
	if (t->size > PV_MAX_OBJ)
		return dbg_err_set(err, -EFBIG,
				   "the value is too large to print (%" PRIu64 " bytes)", t->size);
	uint8_t *buf = malloc(t->size ? t->size : 1);
	if (!buf)
		abort();
	int rc = dbg_session_read(ctx->s, v->addr, buf, t->size, err);
	if (rc == 0)
		node(&pv, o, buf, t, v->parent, v->field, 0);
	free(buf);
	return rc;
}

void cmd_value_tree_bytes(struct dbg_cmd_ctx *ctx, struct dbg_val *o, const struct dbg_type *t,
			  const struct dbg_type *parent, const char *field, const uint8_t *b)
{
	struct dbg_err e;
	struct pv pv = { ctx, &e };

	node(&pv, o, b, t, parent, field, 0);
}

/* ---- ptype and whatis ---------------------------------------------------- */

/* Reads for ptype and whatis: the value does not matter, so memory that
 * cannot be read (no process) reads as zeros. */
static int zero_read(void *arg, uint64_t addr, void *buf, size_t n, struct dbg_err *err)
{
	struct dbg_cmd_ctx *ctx = arg;
	(void)err;
	if (!dbg_session_running(ctx->s) || dbg_session_read(ctx->s, addr, buf, n, NULL) < 0)
		memset(buf, 0, n);
	return 0;
}

/* The type of text: a type name, else an expression's. *label is set for
 * a symbol without a type. */
static int type_of_arg(struct dbg_cmd_ctx *ctx, const char *text, const struct dbg_type **t,
		       bool *label, struct dbg_err *err)
{
	struct dbg_expr_env env;
	struct dbg_expr_value v;
	struct dbg_err terr;

	*label = false;
	dbg_cmd_expr_env(ctx, &env);
	env.read = zero_read;
	if (dbg_expr_type(text, &env, &ctx->tmp, t, &terr) == 0)
		return 0;
	int rc = dbg_expr_eval(text, &env, &ctx->tmp, &v, err);
	if (rc == -ENOENT && strchr(text, '(') == NULL && strchr(text, '$') == NULL)
		return dbg_err_set(err, -ENOENT, "no symbol or type named '%s'", text);
	if (rc < 0)
		return rc;
	*t = v.symbol ? NULL : v.type;
	*label = v.symbol;
	return 0;
}

static void put_type_name(struct dbg_val *ev, const struct dbg_type *t, bool label)
{
	char tn[192];
	if (label)
		snprintf(tn, sizeof(tn), "<text variable, no debug info>");
	else if (!t)
		snprintf(tn, sizeof(tn), "long");
	else
		cmd_type_name(t, tn, sizeof(tn));
	dbg_obj_str(ev, "type", tn);
}

int cmd_whatis(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_type *t;
	bool label;
	int rc = type_of_arg(ctx, cmd->args, &t, &label, err);
	if (rc < 0)
		return rc;
	struct dbg_val *ev = cmd_ev_new(ctx, "whatis");
	dbg_obj_str(ev, "expr", cmd->args);
	put_type_name(ev, t, label);
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_ptype(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_type *t, *st;
	bool label;
	char buf[384], suffix[64] = "";
	int rc = type_of_arg(ctx, cmd->args, &t, &label, err);
	if (rc < 0)
		return rc;
	struct dbg_val *ev = cmd_ev_new(ctx, "ptype");
	dbg_obj_str(ev, "expr", cmd->args);
	put_type_name(ev, t, label);
	/* the struct the type is, or points to: its members are shown */
	st = t;
	for (int i = 0; st && st->kind == DBG_TYPE_PTR && i < 8; i++) {
		snprintf(suffix + strlen(suffix), sizeof(suffix) - strlen(suffix), "*");
		st = st->target;
	}
	if (st && (st->kind == DBG_TYPE_STRUCT || st->kind == DBG_TYPE_UNION)) {
		const char *tag = st->kind == DBG_TYPE_STRUCT ? "struct" : "union";
		if (st->name)
			snprintf(buf, sizeof(buf), "%s %s", tag, st->name);
		else
			snprintf(buf, sizeof(buf), "%s", tag);
		dbg_obj_str(ev, "aggregate", buf);
		dbg_obj_uint(ev, "size", st->size);
		dbg_obj_str(ev, "suffix", *suffix ? suffix : "");
		struct dbg_val *fields = dbg_obj_array(ev, "fields");
		for (size_t i = 0; i < st->nfields; i++) {
			const struct dbg_field *f = &st->fields[i];
			struct dbg_val *fo = dbg_arr_object(fields);
			dbg_obj_str(fo, "name", f->name);
			cmd_type_name(f->type, buf, sizeof(buf));
			dbg_obj_str(fo, "type", buf);
			cmd_type_decl(f->type, f->name, buf, sizeof(buf));
			dbg_obj_str(fo, "decl", buf);
			dbg_obj_uint(fo, "offset", f->offset);
			dbg_obj_uint(fo, "size", f->type ? f->type->size : 0);
		}
	} else {
		dbg_obj_null(ev, "aggregate");
		dbg_obj_uint(ev, "size", t ? t->size : 8);
		dbg_obj_null(ev, "suffix");
		dbg_obj_null(ev, "fields");
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}
