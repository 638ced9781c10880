/*
 * expr — parse to a small tree, then evaluate against an environment.
 * See expr.h for the language.
 */
#include "expr.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum node_kind {
	N_NUM,
	N_VAR,
	N_SYM,
	N_FIELD,
	N_INDEX,
	N_NEG,
	N_NOT,
	N_BNOT,
	N_DEREF,
	N_ADDR,
	N_BIN,
	N_CAST,
};

enum binop {
	OP_OR,
	OP_AND,
	OP_BOR,
	OP_BXOR,
	OP_BAND,
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_GT,
	OP_LE,
	OP_GE,
	OP_SHL,
	OP_SHR,
	OP_AT,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MOD,
};

static const struct {
	const char *text;
	int prec; /* higher binds tighter */
} binops[] = {
	[OP_OR] = { "||", 1 },  [OP_AND] = { "&&", 2 }, [OP_BOR] = { "|", 3 },
	[OP_BXOR] = { "^", 4 }, [OP_BAND] = { "&", 5 }, [OP_EQ] = { "==", 6 },
	[OP_NE] = { "!=", 6 },  [OP_LT] = { "<", 7 },   [OP_GT] = { ">", 7 },
	[OP_LE] = { "<=", 7 },  [OP_GE] = { ">=", 7 },  [OP_SHL] = { "<<", 8 },
	[OP_SHR] = { ">>", 8 }, [OP_AT] = { "@", 9 },   [OP_ADD] = { "+", 10 },
	[OP_SUB] = { "-", 10 }, [OP_MUL] = { "*", 11 }, [OP_DIV] = { "/", 11 },
	[OP_MOD] = { "%", 11 },
};

struct dbg_expr {
	enum node_kind kind;
	enum binop op;    /* N_BIN */
	uint64_t num;     /* N_NUM */
	bool num_signed;  /* N_NUM: a decimal literal */
	const char *name; /* N_VAR (without '$'), N_SYM, N_FIELD, N_CAST (the
			     type's name as written, "unsigned long") */
	int stars;        /* N_CAST: pointer levels after the name */
	struct dbg_expr *l, *r;
	const char *src; /* the text it was parsed from */
	size_t srclen;
};

/* ---- lexer and parser ---- */

enum tok_kind { T_END, T_NUM, T_VAR, T_SYM, T_OP };

struct parser {
	struct dbg_arena *a;
	const char *text;
	const char *p;        /* next unread character */
	enum tok_kind tk;     /* current token */
	const char *tstart;   /* where it starts */
	const char *prev_end; /* end of the previous token */
	size_t tlen;
	uint64_t tnum;
	bool tnum_signed;
	char *tname; /* T_VAR, T_SYM */
	struct dbg_err *err;
	int rc; /* first error, sticky */
};

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int fail(struct parser *ps, const char *at, const char *what)
{
	if (ps->rc)
		return ps->rc;
	if (*at)
		ps->rc = dbg_err_set(ps->err, -EINVAL, "cannot parse '%s': %s at column %d",
				     ps->text, what, (int)(at - ps->text) + 1);
	else
		ps->rc = dbg_err_set(ps->err, -EINVAL, "cannot parse '%s': %s at the end", ps->text,
				     what);
	return ps->rc;
}

static int lex_number(struct parser *ps)
{
	const char *s = ps->p;
	unsigned base = 10;
	uint64_t v = 0;
	int digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	}
	for (;; s++, digits++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (d >= base)
			return fail(ps, s, "bad digit in number");
		if (v > (UINT64_MAX - d) / base)
			return fail(ps, ps->p, "number too large");
		v = v * base + d;
	}
	if (digits == 0)
		return fail(ps, s, "missing digits after the number prefix");
	if (is_ident_char(*s) || *s == '.')
		return fail(ps, s, "bad character in number");
	ps->tk = T_NUM;
	ps->tnum = v;
	ps->tnum_signed = base == 10 && v <= INT64_MAX;
	ps->p = s;
	return 0;
}

/* Advance to the next token. */
static int lex(struct parser *ps)
{
	static const char *const ops[] = {
		"||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "->", "|", "^", "&", "<", ">",
		"+",  "-",  "*",  "/",  "%",  "!",  "~",  "(",  ")",  "[", "]", ".", "@",
	};
	const char *s;
	size_t i;

	if (ps->rc)
		return ps->rc;
	ps->prev_end = ps->p;
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
	s = ps->tstart = ps->p;
	if (!*s) {
		ps->tk = T_END;
		ps->tlen = 0;
		return 0;
	}
	if (*s >= '0' && *s <= '9')
		return lex_number(ps);
	if (*s == '$') {
		const char *e = s + 1;

		while (is_ident_char(*e))
			e++;
		if (e == s + 1)
			return fail(ps, s, "expected a name after '$'");
		ps->tk = T_VAR;
		ps->tname = dbg_arena_strndup(ps->a, s + 1, (size_t)(e - s - 1));
		ps->p = e;
		return 0;
	}
	if (is_ident_start(*s)) {
		const char *e = s;

		while (is_ident_char(*e) || (*e == '.' && is_ident_start(e[1])))
			e++;
		ps->tk = T_SYM;
		ps->tname = dbg_arena_strndup(ps->a, s, (size_t)(e - s));
		ps->p = e;
		return 0;
	}
	if (*s == '\'') {
		const char *e = strchr(s + 1, '\'');

		if (!e)
			return fail(ps, s, "unterminated quoted symbol");
		if (e == s + 1)
			return fail(ps, s, "empty quoted symbol");
		ps->tk = T_SYM;
		ps->tname = dbg_arena_strndup(ps->a, s + 1, (size_t)(e - s - 1));
		ps->p = e + 1;
		return 0;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i]);

		if (strncmp(s, ops[i], n) == 0) {
			ps->tk = T_OP;
			ps->tlen = n;
			ps->p = s + n;
			return 0;
		}
	}
	return fail(ps, s, "unexpected character");
}

static bool tok_is(const struct parser *ps, const char *op)
{
	return ps->tk == T_OP && ps->tlen == strlen(op) && strncmp(ps->tstart, op, ps->tlen) == 0;
}

static struct dbg_expr *node(struct parser *ps, enum node_kind k, struct dbg_expr *l,
			     struct dbg_expr *r)
{
	struct dbg_expr *n = dbg_arena_alloc(ps->a, sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->kind = k;
	n->l = l;
	n->r = r;
	return n;
}

static struct dbg_expr *parse_binary(struct parser *ps, int min_prec);

static struct dbg_expr *parse_postfix(struct parser *ps, struct dbg_expr *e)
{
	while (!ps->rc && e) {
		if (tok_is(ps, ".") || tok_is(ps, "->")) {
			const char *at;

			lex(ps);
			at = ps->tstart;
			if (ps->tk != T_SYM) {
				fail(ps, at, "expected a field name");
				return NULL;
			}
			e = node(ps, N_FIELD, e, NULL);
			e->name = ps->tname;
			lex(ps);
		} else if (tok_is(ps, "[")) {
			struct dbg_expr *idx;

			lex(ps);
			idx = parse_binary(ps, 1);
			if (!idx)
				return NULL;
			if (!tok_is(ps, "]")) {
				fail(ps, ps->tstart, "expected ']'");
				return NULL;
			}
			lex(ps);
			e = node(ps, N_INDEX, e, idx);
		} else {
			break;
		}
	}
	return ps->rc ? NULL : e;
}

static struct dbg_expr *parse_unary_inner(struct parser *ps);
static struct dbg_expr *parse_unary(struct parser *ps);

/* C's words that only begin a type name. */
static bool is_builtin_type(const char *name);

static bool is_type_word(const char *w)
{
	static const char *const words[] = {
		"struct", "union", "enum", "unsigned", "signed", "long",   "short",
		"int",    "char",  "void", "const",    "float",  "double", "_Bool",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(w, words[i]) == 0)
			return true;
	return false;
}

/* Whether the token after ')' can begin an operand that a cast applies to
 * ('-', '*', '&' would be ambiguous after a plain name). */
static bool starts_operand(const struct parser *ps, bool words)
{
	if (ps->tk == T_NUM || ps->tk == T_VAR || ps->tk == T_SYM)
		return true;
	if (tok_is(ps, "(") || tok_is(ps, "!") || tok_is(ps, "~"))
		return true;
	return words && (tok_is(ps, "-") || tok_is(ps, "*") || tok_is(ps, "&"));
}

/*
 * After '(': a cast "(TYPE)operand", TYPE being names ("long", "unsigned
 * long", "struct g", "runtime.g", "uint32") and then '*'s. NULL with the
 * parser where it was when the parenthesis holds an expression instead:
 * it is a type when a C type word is in it, '*' comes right before ')',
 * or it is several names; a single name is a type when an operand follows.
 */
static struct dbg_expr *parse_cast(struct parser *ps)
{
	struct parser save = *ps;
	char name[256] = "";
	size_t len = 0;
	int nwords = 0, stars = 0;
	bool words = false;

	while (ps->tk == T_SYM && nwords < 8) {
		size_t n = strlen(ps->tname);
		if (len + n + 2 > sizeof(name))
			break;
		words |= is_type_word(ps->tname) || is_builtin_type(ps->tname);
		len += (size_t)snprintf(name + len, sizeof(name) - len, "%s%s", len ? " " : "",
					ps->tname);
		nwords++;
		lex(ps);
	}
	while (nwords && tok_is(ps, "*")) {
		stars++;
		lex(ps);
	}
	if (!nwords || ps->rc || !tok_is(ps, ")")) {
		*ps = save;
		return NULL;
	}
	lex(ps);
	if (!(words || stars || nwords > 1) && !starts_operand(ps, false)) {
		*ps = save;
		return NULL;
	}
	struct dbg_expr *operand = parse_unary(ps);
	if (!operand)
		return NULL;
	struct dbg_expr *e = node(ps, N_CAST, operand, NULL);
	e->name = dbg_arena_strdup(ps->a, name);
	e->stars = stars;
	return e;
}

/* Record the source span of what parse_unary_inner consumed. */
static struct dbg_expr *parse_unary(struct parser *ps)
{
	const char *start = ps->tstart;
	struct dbg_expr *e = parse_unary_inner(ps);

	if (e && !e->src) {
		e->src = start;
		e->srclen = (size_t)(ps->prev_end - start);
	}
	return e;
}

static struct dbg_expr *parse_unary_inner(struct parser *ps)
{
	static const struct {
		const char *op;
		enum node_kind kind;
	} unops[] = {
		{ "-", N_NEG }, { "!", N_NOT }, { "~", N_BNOT }, { "*", N_DEREF }, { "&", N_ADDR },
	};
	struct dbg_expr *e = NULL;
	size_t i;

	if (ps->rc)
		return NULL;
	for (i = 0; i < sizeof(unops) / sizeof(unops[0]); i++) {
		if (tok_is(ps, unops[i].op)) {
			struct dbg_expr *operand;

			lex(ps);
			operand = parse_unary(ps);
			return operand ? node(ps, unops[i].kind, operand, NULL) : NULL;
		}
	}
	switch (ps->tk) {
	case T_NUM:
		e = node(ps, N_NUM, NULL, NULL);
		e->num = ps->tnum;
		e->num_signed = ps->tnum_signed;
		lex(ps);
		break;
	case T_VAR:
		e = node(ps, N_VAR, NULL, NULL);
		e->name = ps->tname;
		lex(ps);
		break;
	case T_SYM:
		e = node(ps, N_SYM, NULL, NULL);
		e->name = ps->tname;
		lex(ps);
		break;
	case T_OP:
		if (tok_is(ps, "(")) {
			lex(ps);
			if ((e = parse_cast(ps)) != NULL || ps->rc)
				return e;
			e = parse_binary(ps, 1);
			if (!e)
				return NULL;
			if (!tok_is(ps, ")")) {
				fail(ps, ps->tstart, "expected ')'");
				return NULL;
			}
			lex(ps);
			break;
		}
		fail(ps, ps->tstart, "expected an operand");
		return NULL;
	case T_END:
		fail(ps, ps->tstart, "expected an operand");
		return NULL;
	}
	return parse_postfix(ps, e);
}

static int current_binop(const struct parser *ps)
{
	size_t i;

	if (ps->tk != T_OP)
		return -1;
	for (i = 0; i < sizeof(binops) / sizeof(binops[0]); i++)
		if (tok_is(ps, binops[i].text))
			return (int)i;
	return -1;
}

/* Precedence climbing; every binary operator is left-associative. */
static struct dbg_expr *parse_binary(struct parser *ps, int min_prec)
{
	struct dbg_expr *l = parse_unary(ps);
	int op;

	while (l && !ps->rc && (op = current_binop(ps)) >= 0 && binops[op].prec >= min_prec) {
		struct dbg_expr *r;

		lex(ps);
		r = parse_binary(ps, binops[op].prec + 1);
		if (!r)
			return NULL;
		l = node(ps, N_BIN, l, r);
		l->op = (enum binop)op;
		l->src = l->l->src;
		l->srclen = (size_t)(r->src + r->srclen - l->l->src);
	}
	return ps->rc ? NULL : l;
}

int dbg_expr_parse(struct dbg_arena *a, const char *text, struct dbg_expr **out,
		   struct dbg_err *err)
{
	struct parser ps = { .a = a, .text = text, .p = text, .err = err };
	struct dbg_expr *e;

	if (lex(&ps))
		return ps.rc;
	e = parse_binary(&ps, 1);
	if (!e)
		return ps.rc ? ps.rc : fail(&ps, ps.tstart, "expected an operand");
	if (ps.tk != T_END)
		return fail(&ps, ps.tstart, "unexpected text");
	*out = e;
	return 0;
}

/* ---- dump ---- */

struct sbuf {
	char *buf;
	size_t n, len;
};

static void sb_put(struct sbuf *sb, const char *s)
{
	size_t l = strlen(s);

	if (sb->n == 0)
		return;
	if (sb->len + l >= sb->n)
		l = sb->n - 1 - sb->len;
	memcpy(sb->buf + sb->len, s, l);
	sb->len += l;
	sb->buf[sb->len] = '\0';
}

static void dump(const struct dbg_expr *e, struct sbuf *sb)
{
	static const char *const unname[] = {
		[N_NEG] = "-", [N_NOT] = "!", [N_BNOT] = "~", [N_DEREF] = "*", [N_ADDR] = "&",
	};
	char num[32];

	switch (e->kind) {
	case N_NUM:
		snprintf(num, sizeof(num), "%" PRIu64, e->num);
		sb_put(sb, num);
		return;
	case N_VAR:
		sb_put(sb, "$");
		sb_put(sb, e->name);
		return;
	case N_SYM:
		sb_put(sb, e->name);
		return;
	case N_FIELD:
		sb_put(sb, "(. ");
		dump(e->l, sb);
		sb_put(sb, " ");
		sb_put(sb, e->name);
		sb_put(sb, ")");
		return;
	case N_INDEX:
		sb_put(sb, "([] ");
		dump(e->l, sb);
		sb_put(sb, " ");
		dump(e->r, sb);
		sb_put(sb, ")");
		return;
	case N_NEG:
	case N_NOT:
	case N_BNOT:
	case N_DEREF:
	case N_ADDR:
		sb_put(sb, "(");
		sb_put(sb, unname[e->kind]);
		sb_put(sb, " ");
		dump(e->l, sb);
		sb_put(sb, ")");
		return;
	case N_CAST:
		sb_put(sb, "(cast ");
		sb_put(sb, e->name);
		for (int i = 0; i < e->stars; i++)
			sb_put(sb, i ? "*" : " *");
		sb_put(sb, " ");
		dump(e->l, sb);
		sb_put(sb, ")");
		return;
	case N_BIN:
		sb_put(sb, "(");
		sb_put(sb, binops[e->op].text);
		sb_put(sb, " ");
		dump(e->l, sb);
		sb_put(sb, " ");
		dump(e->r, sb);
		sb_put(sb, ")");
		return;
	}
}

void dbg_expr_dump(const struct dbg_expr *e, char *buf, size_t n)
{
	struct sbuf sb = { buf, n, 0 };

	if (n)
		buf[0] = '\0';
	dump(e, &sb);
}

/* ---- evaluation ---- */

/* An intermediate value: either a number, or an object in memory. */
struct xv {
	uint64_t v;                  /* the number (when !lval) */
	const struct dbg_type *type; /* NULL: untyped 64-bit */
	bool is_signed;
	bool lval; /* an object at addr, not read yet */
	uint64_t addr;
	bool bare; /* a symbol without a DWARF type (a label, a function):
		      its value is addr */
	/* the struct and member x was last taken from (g.atomicstatus) */
	const struct dbg_type *parent;
	const char *fname;
};

struct ev {
	const struct dbg_expr_env *env;
	struct dbg_arena *a;
	struct dbg_err *err;
};

static bool is_scalar(const struct dbg_type *t)
{
	switch (t->kind) {
	case DBG_TYPE_INT:
	case DBG_TYPE_UINT:
	case DBG_TYPE_BOOL:
	case DBG_TYPE_FLOAT:
	case DBG_TYPE_PTR:
	case DBG_TYPE_ENUM:
		return t->size >= 1 && t->size <= 8;
	case DBG_TYPE_FUNC:
		/* a Go func value: one word pointing at a funcval */
		return t->size == 8;
	default:
		return false;
	}
}

static bool is_aggregate(const struct dbg_type *t)
{
	return t && (t->kind == DBG_TYPE_STRUCT || t->kind == DBG_TYPE_UNION ||
		     t->kind == DBG_TYPE_ARRAY || !is_scalar(t));
}

static void type_name(const struct dbg_type *t, char *buf, size_t n)
{
	if (!t)
		snprintf(buf, n, "a plain number");
	else
		dbg_type_describe(t, buf, n);
}

/* Read a scalar of t's size at addr (8 bytes when t is NULL). */
static int read_scalar(struct ev *ev, uint64_t addr, const struct dbg_type *t, uint64_t *out,
		       bool *is_signed)
{
	size_t size = t ? (size_t)t->size : 8;
	uint8_t b[8] = { 0 };
	uint64_t v = 0;
	size_t i;
	int rc;

	rc = ev->env->read(ev->env->arg, addr, b, size, ev->err);
	if (rc < 0)
		return rc;
	for (i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	*is_signed = t && (t->kind == DBG_TYPE_INT || t->kind == DBG_TYPE_ENUM);
	if (*is_signed && size < 8 && (v >> (8 * size - 1)) & 1)
		v |= ~(uint64_t)0 << (8 * size);
	*out = v;
	return 0;
}

/* The object's contents as a number: a scalar read from memory, or the
 * address of an aggregate. Bare symbols are read too (for '.', '[]'). */
static int load(struct ev *ev, struct xv *x)
{
	int rc;

	if (!x->lval)
		return 0;
	if (!x->type || is_scalar(x->type)) {
		rc = read_scalar(ev, x->addr, x->type, &x->v, &x->is_signed);
		if (rc < 0)
			return rc;
	} else {
		x->v = x->addr;
		x->is_signed = false;
	}
	x->lval = false;
	x->bare = false;
	return 0;
}

/* The value of x in arithmetic: a bare symbol is its address. */
static int rvalue(struct ev *ev, struct xv *x)
{
	if (x->lval && x->bare) {
		x->v = x->addr;
		x->lval = false;
		x->bare = false;
		x->type = NULL;
		x->is_signed = false;
		return 0;
	}
	if (x->lval && x->type && x->type->kind == DBG_TYPE_ARRAY) {
		/* an array is the address of its first element, as in C */
		x->v = x->addr;
		x->lval = false;
		x->type = NULL;
		x->is_signed = false;
		return 0;
	}
	if (is_aggregate(x->type)) {
		char tn[128];
		type_name(x->type, tn, sizeof(tn));
		return dbg_err_set(ev->err, -EINVAL,
				   "%s is not a number: only scalars can be compared or computed with (take its address with '&')",
				   tn);
	}
	return load(ev, x);
}

static int eval(struct ev *ev, const struct dbg_expr *e, struct xv *out);

/* Follow pointers until x is a struct or union object in memory. */
static int to_struct(struct ev *ev, struct xv *x, const char *field)
{
	char tn[128];
	int depth;

	for (depth = 0; depth < 8; depth++) {
		const struct dbg_type *t = x->type;

		if (t && (t->kind == DBG_TYPE_STRUCT || t->kind == DBG_TYPE_UNION) && x->lval)
			return 0;
		if (!t || t->kind != DBG_TYPE_PTR)
			break;
		if (!t->target || t->target->kind == DBG_TYPE_VOID)
			return dbg_err_set(ev->err, -EINVAL,
					   "cannot take field '%s' through an untyped pointer",
					   field);
		if (load(ev, x) < 0)
			return -EFAULT;
		if (x->v == 0)
			return dbg_err_set(ev->err, -EFAULT,
					   "cannot take field '%s' through a nil pointer", field);
		x->addr = x->v;
		x->type = t->target;
		x->lval = true;
		x->bare = false;
	}
	type_name(x->type, tn, sizeof(tn));
	return dbg_err_set(ev->err, -EINVAL, "cannot take field '%s' of %s", field, tn);
}

/* x.field (one member name, no dots). */
static int field_of(struct ev *ev, struct xv *x, const char *field)
{
	const struct dbg_type *ft;
	uint64_t off;
	int rc;

	rc = to_struct(ev, x, field);
	if (rc < 0)
		return rc;
	rc = dbg_type_field(x->type, field, &off, &ft, ev->err);
	if (rc < 0)
		return rc;
	x->parent = x->type;
	x->fname = field;
	x->addr += off;
	x->type = ft;
	x->bare = false;
	return 0;
}

/* x.a.b.c: a dotted member path, pointers followed between members. */
static int path_of(struct ev *ev, struct xv *x, const char *path)
{
	while (*path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		int rc;

		if (n) {
			rc = field_of(ev, x, dbg_arena_strndup(ev->a, path, n));
			if (rc < 0)
				return rc;
		}
		path += n + (dot != NULL);
	}
	return 0;
}

static int eval_sym(struct ev *ev, const struct dbg_expr *e, struct xv *out)
{
	const struct dbg_expr_env *env = ev->env;
	char *name = dbg_arena_strdup(ev->a, e->name);
	const struct dbg_type *t = NULL;
	uint64_t addr;
	char *dot;

	/* The longest dot-separated prefix that is a symbol. */
	while (env->symbol(env->arg, name, &addr, &t) != 0) {
		dot = strrchr(name, '.');
		if (!dot)
			return dbg_err_set(ev->err, -ENOENT, "no symbol '%s'", e->name);
		*dot = '\0';
		t = NULL;
	}
	memset(out, 0, sizeof(*out));
	out->lval = true;
	out->bare = t == NULL;
	out->addr = addr;
	out->type = t;
	if (e->name[strlen(name)] == '\0')
		return 0;
	if (!t)
		return dbg_err_set(ev->err, -EINVAL,
				   "cannot take field '%s' of symbol '%s': it has no DWARF type",
				   e->name + strlen(name) + 1, name);
	return path_of(ev, out, e->name + strlen(name) + 1);
}

/*
 * A slice header in memory (Go: array, len, cap) becomes its array pointer,
 * after checking idx against len. 1 when x was a slice, 0 when it is not,
 * or a negative errno.
 */
static int slice_to_ptr(struct ev *ev, struct xv *x, uint64_t idx)
{
	const struct dbg_field *arr, *len;
	struct xv p, l;
	int rc;

	if (!x->lval || !x->type || x->type->kind != DBG_TYPE_STRUCT)
		return 0;
	arr = dbg_type_member(x->type, "array");
	len = dbg_type_member(x->type, "len");
	if (!arr || !len || !dbg_type_member(x->type, "cap") || !arr->type ||
	    arr->type->kind != DBG_TYPE_PTR || !len->type)
		return 0;
	p = (struct xv){ .lval = true, .addr = x->addr + arr->offset, .type = arr->type };
	l = (struct xv){ .lval = true, .addr = x->addr + len->offset, .type = len->type };
	if ((rc = load(ev, &p)) < 0 || (rc = load(ev, &l)) < 0)
		return rc;
	if (idx >= l.v)
		return dbg_err_set(ev->err, -ERANGE,
				   "index %" PRIu64 " out of range for a slice of length %" PRIu64,
				   idx, l.v);
	*x = p;
	return 1;
}

static int eval_index(struct ev *ev, const struct dbg_expr *e, struct xv *out)
{
	const struct dbg_type *t, *elem;
	struct xv idx;
	char tn[128];
	int rc;

	if ((rc = eval(ev, e->l, out)) < 0 || (rc = eval(ev, e->r, &idx)) < 0 ||
	    (rc = rvalue(ev, &idx)) < 0)
		return rc;
	if ((rc = slice_to_ptr(ev, out, idx.v)) < 0)
		return rc;
	t = out->type;
	if (t && t->kind == DBG_TYPE_ARRAY && out->lval) {
		if (t->count && idx.v >= t->count) {
			type_name(t, tn, sizeof(tn));
			return dbg_err_set(ev->err, -ERANGE,
					   "index %" PRIu64 " out of range for %s", idx.v, tn);
		}
		elem = t->target;
		out->addr += idx.v * (elem ? elem->size : 0);
	} else if (t && t->kind == DBG_TYPE_PTR) {
		elem = t->target;
		if (!elem || elem->size == 0)
			return dbg_err_set(ev->err, -EINVAL,
					   "cannot index through an untyped pointer");
		if ((rc = load(ev, out)) < 0)
			return rc;
		out->addr = out->v + idx.v * elem->size;
	} else {
		type_name(t, tn, sizeof(tn));
		return dbg_err_set(ev->err, -EINVAL,
				   "cannot index %s: not an array, slice or pointer", tn);
	}
	out->type = elem;
	out->lval = true;
	out->bare = false;
	out->parent = NULL;
	return 0;
}

/* *X: the object a pointer points at; the first element of an array; 8
 * untyped bytes at a label or a number ($rsp + 8). */
static int eval_deref(struct ev *ev, const struct dbg_expr *e, struct xv *out)
{
	const struct dbg_type *t = NULL;
	char tn[128];
	int rc;

	if ((rc = eval(ev, e->l, out)) < 0)
		return rc;
	if (out->lval && out->bare) {
		out->v = out->addr;
	} else if (out->lval && out->type && out->type->kind == DBG_TYPE_ARRAY) {
		out->v = out->addr;
		t = out->type->target;
	} else if (is_aggregate(out->type)) {
		type_name(out->type, tn, sizeof(tn));
		return dbg_err_set(ev->err, -EINVAL, "cannot dereference %s: not a pointer", tn);
	} else {
		const struct dbg_type *p = out->type;
		if ((rc = load(ev, out)) < 0)
			return rc;
		if (p && p->kind == DBG_TYPE_PTR && p->target && p->target->kind != DBG_TYPE_VOID &&
		    p->target->kind != DBG_TYPE_FUNC && p->target->size)
			t = p->target;
	}
	out->addr = out->v;
	out->type = t;
	out->lval = true;
	out->bare = false;
	out->parent = NULL;
	return 0;
}

/* Built-in C and Go scalar types, for casts a binary's DWARF may lack. */
static const struct dbg_type builtin_types[] = {
	{ DBG_TYPE_INT, "char", 1, NULL, 0, NULL, 0 },
	{ DBG_TYPE_INT, "signed char", 1, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "unsigned char", 1, NULL, 0, NULL, 0 },
	{ DBG_TYPE_INT, "short", 2, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "unsigned short", 2, NULL, 0, NULL, 0 },
	{ DBG_TYPE_INT, "int", 4, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "unsigned int", 4, NULL, 0, NULL, 0 },
	{ DBG_TYPE_INT, "long", 8, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "unsigned long", 8, NULL, 0, NULL, 0 },
	{ DBG_TYPE_INT, "long long", 8, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "unsigned long long", 8, NULL, 0, NULL, 0 },
	{ DBG_TYPE_VOID, "void", 0, NULL, 0, NULL, 0 },
	{ DBG_TYPE_BOOL, "_Bool", 1, NULL, 0, NULL, 0 },
	{ DBG_TYPE_INT, "int8", 1, NULL, 0, NULL, 0 },
	{ DBG_TYPE_INT, "int16", 2, NULL, 0, NULL, 0 },
	{ DBG_TYPE_INT, "int32", 4, NULL, 0, NULL, 0 },
	{ DBG_TYPE_INT, "int64", 8, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "uint8", 1, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "byte", 1, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "uint16", 2, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "uint32", 4, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "uint64", 8, NULL, 0, NULL, 0 },
	{ DBG_TYPE_UINT, "uintptr", 8, NULL, 0, NULL, 0 },
	{ DBG_TYPE_BOOL, "bool", 1, NULL, 0, NULL, 0 },
};

static bool is_builtin_type(const char *name)
{
	for (size_t i = 0; i < sizeof(builtin_types) / sizeof(builtin_types[0]); i++)
		if (strcmp(builtin_types[i].name, name) == 0)
			return true;
	return false;
}

/* C's spellings of one type, reduced to builtin_types' names. */
static void c_spelling(const char *in, char *out, size_t n)
{
	bool uns = false, sgn = false, chr = false, shrt = false, intw = false;
	int longs = 0;
	char rest[256] = "";
	const char *p = in;

	while (*p) {
		size_t w = strcspn(p, " ");
		if (w == 8 && strncmp(p, "unsigned", 8) == 0)
			uns = true;
		else if (w == 6 && strncmp(p, "signed", 6) == 0)
			sgn = true;
		else if (w == 4 && strncmp(p, "long", 4) == 0)
			longs++;
		else if (w == 5 && strncmp(p, "short", 5) == 0)
			shrt = true;
		else if (w == 4 && strncmp(p, "char", 4) == 0)
			chr = true;
		else if (w == 3 && strncmp(p, "int", 3) == 0)
			intw = true;
		else if (!(w == 5 && strncmp(p, "const", 5) == 0))
			snprintf(rest + strlen(rest), sizeof(rest) - strlen(rest), "%s%.*s",
				 *rest ? " " : "", (int)w, p);
		p += w;
		while (*p == ' ')
			p++;
	}
	if (*rest || !(uns || sgn || chr || shrt || intw || longs)) {
		snprintf(out, n, "%s", *rest ? rest : in);
		return;
	}
	const char *base = chr        ? "char" :
			   shrt       ? "short" :
			   longs >= 2 ? "long long" :
			   longs      ? "long" :
					"int";
	snprintf(out, n, "%s%s", uns ? "unsigned " : sgn && chr ? "signed " : "", base);
}

/* The type a cast names: a built-in C spelling, "struct X", or a DWARF
 * name. NULL with err set when there is none. */
static const struct dbg_type *cast_type(struct ev *ev, const struct dbg_expr *e)
{
	const struct dbg_type *t = NULL;
	char name[256];
	bool tag = false;

	c_spelling(e->name, name, sizeof(name));
	const char *n = name;
	if (strncmp(n, "struct ", 7) == 0 || strncmp(n, "union ", 6) == 0) {
		n = strchr(n, ' ') + 1;
		tag = true;
	}
	if (!tag)
		for (size_t i = 0; i < sizeof(builtin_types) / sizeof(builtin_types[0]); i++)
			if (strcmp(builtin_types[i].name, n) == 0 &&
			    (builtin_types[i].kind <= DBG_TYPE_BOOL ||
			     builtin_types[i].kind == DBG_TYPE_VOID))
				t = &builtin_types[i];
	if (!t && ev->env->type)
		t = ev->env->type(ev->env->arg, n);
	if (!t && !tag && ev->env->type)
		t = ev->env->type(ev->env->arg, name);
	if (t && tag && t->kind != DBG_TYPE_STRUCT && t->kind != DBG_TYPE_UNION)
		t = NULL;
	if (!t)
		dbg_err_set(ev->err, -ENOENT, "no type named '%s'", e->name);
	return t;
}

/* (TYPE)X and (TYPE *)X: a scalar converted to TYPE's size and sign, or a
 * pointer typed with TYPE. */
static int eval_cast(struct ev *ev, const struct dbg_expr *e, struct xv *out)
{
	const struct dbg_type *t = cast_type(ev, e);
	int rc;

	if (!t)
		return -ENOENT;
	for (int i = 0; i < e->stars; i++) {
		struct dbg_type *pt = dbg_arena_alloc(ev->a, sizeof(*pt));
		memset(pt, 0, sizeof(*pt));
		pt->kind = DBG_TYPE_PTR;
		pt->size = 8;
		pt->target = t;
		t = pt;
	}
	if (!is_scalar(t)) {
		char tn[128];
		type_name(t, tn, sizeof(tn));
		return dbg_err_set(ev->err, -EINVAL, "cannot cast to %s: not a scalar type", tn);
	}
	if ((rc = eval(ev, e->l, out)) < 0 || (rc = rvalue(ev, out)) < 0)
		return rc;
	uint64_t v = out->v;
	if (t->size < 8) {
		v &= (~(uint64_t)0) >> (64 - 8 * t->size);
		if (t->kind == DBG_TYPE_INT && (v >> (8 * t->size - 1)) & 1)
			v |= ~(uint64_t)0 << (8 * t->size);
	}
	memset(out, 0, sizeof(*out));
	out->v = v;
	out->type = t;
	out->is_signed = t->kind == DBG_TYPE_INT || t->kind == DBG_TYPE_ENUM;
	return 0;
}

/* X@N: N objects of X's type from X's address, as an array. */
static int eval_at(struct ev *ev, const struct dbg_expr *e, struct xv *out)
{
	struct xv n;
	int rc;

	if ((rc = eval(ev, e->l, out)) < 0)
		return rc;
	if (!out->lval || out->bare || !out->type || !out->type->size)
		return dbg_err_set(ev->err, -EINVAL,
				   "only a typed object in memory can be repeated with '@'");
	if ((rc = eval(ev, e->r, &n)) < 0 || (rc = rvalue(ev, &n)) < 0)
		return rc;
	if (n.v == 0 || (int64_t)n.v < 0 || n.v > 100000)
		return dbg_err_set(ev->err, -EINVAL,
				   "'@' needs a count from 1 to 100000, not %" PRId64,
				   (int64_t)n.v);
	struct dbg_type *at = dbg_arena_alloc(ev->a, sizeof(*at));
	memset(at, 0, sizeof(*at));
	at->kind = DBG_TYPE_ARRAY;
	at->target = out->type;
	at->count = n.v;
	at->size = n.v * out->type->size;
	out->type = at;
	out->parent = NULL;
	return 0;
}

static int eval_addr(struct ev *ev, const struct dbg_expr *e, struct xv *out)
{
	struct dbg_type *pt;
	int rc;

	if ((rc = eval(ev, e->l, out)) < 0)
		return rc;
	if (!out->lval)
		return dbg_err_set(ev->err, -EINVAL,
				   "cannot take the address of a value not in memory");
	pt = NULL;
	if (out->type) {
		pt = dbg_arena_alloc(ev->a, sizeof(*pt));
		memset(pt, 0, sizeof(*pt));
		pt->kind = DBG_TYPE_PTR;
		pt->size = 8;
		pt->target = out->type;
	}
	out->v = out->addr;
	out->type = pt;
	out->lval = false;
	out->bare = false;
	out->is_signed = false;
	out->parent = NULL;
	return 0;
}

static int eval_bin(struct ev *ev, const struct dbg_expr *e, struct xv *out)
{
	struct xv l, r;
	bool sgn;
	uint64_t v = 0;
	int rc;

	if (e->op == OP_AT)
		return eval_at(ev, e, out);
	if ((rc = eval(ev, e->l, &l)) < 0 || (rc = rvalue(ev, &l)) < 0)
		return rc;
	if (e->op == OP_OR || e->op == OP_AND) {
		bool lt = l.v != 0;

		memset(out, 0, sizeof(*out));
		if (e->op == OP_OR ? lt : !lt) {
			out->v = lt;
			return 0;
		}
		if ((rc = eval(ev, e->r, &r)) < 0 || (rc = rvalue(ev, &r)) < 0)
			return rc;
		out->v = r.v != 0;
		return 0;
	}
	if ((rc = eval(ev, e->r, &r)) < 0 || (rc = rvalue(ev, &r)) < 0)
		return rc;
	sgn = l.is_signed && r.is_signed;
	switch (e->op) {
	case OP_BOR:
		v = l.v | r.v;
		break;
	case OP_BXOR:
		v = l.v ^ r.v;
		break;
	case OP_BAND:
		v = l.v & r.v;
		break;
	case OP_EQ:
		v = l.v == r.v;
		sgn = false;
		break;
	case OP_NE:
		v = l.v != r.v;
		sgn = false;
		break;
	case OP_LT:
		v = sgn ? (int64_t)l.v < (int64_t)r.v : l.v < r.v;
		sgn = false;
		break;
	case OP_GT:
		v = sgn ? (int64_t)l.v > (int64_t)r.v : l.v > r.v;
		sgn = false;
		break;
	case OP_LE:
		v = sgn ? (int64_t)l.v <= (int64_t)r.v : l.v <= r.v;
		sgn = false;
		break;
	case OP_GE:
		v = sgn ? (int64_t)l.v >= (int64_t)r.v : l.v >= r.v;
		sgn = false;
		break;
	case OP_SHL:
		v = r.v >= 64 ? 0 : l.v << r.v;
		break;
	case OP_SHR:
		if (sgn)
			v = (uint64_t)((int64_t)l.v >> (r.v >= 63 ? 63 : r.v));
		else
			v = r.v >= 64 ? 0 : l.v >> r.v;
		break;
	case OP_ADD:
		v = l.v + r.v;
		break;
	case OP_SUB:
		v = l.v - r.v;
		break;
	case OP_MUL:
		v = l.v * r.v;
		break;
	case OP_DIV:
	case OP_MOD:
		if (r.v == 0)
			return dbg_err_set(ev->err, -EDOM, "division by zero");
		if (sgn && (int64_t)r.v == -1)
			v = e->op == OP_DIV ? (uint64_t)0 - l.v : 0;
		else if (sgn)
			v = (uint64_t)(e->op == OP_DIV ? (int64_t)l.v / (int64_t)r.v :
							 (int64_t)l.v % (int64_t)r.v);
		else
			v = e->op == OP_DIV ? l.v / r.v : l.v % r.v;
		break;
	case OP_OR:
	case OP_AND:
	case OP_AT:
		break;
	}
	memset(out, 0, sizeof(*out));
	out->v = v;
	out->is_signed = sgn;
	return 0;
}

static int eval(struct ev *ev, const struct dbg_expr *e, struct xv *out)
{
	const struct dbg_expr_env *env = ev->env;
	int rc;

	switch (e->kind) {
	case N_NUM:
		memset(out, 0, sizeof(*out));
		out->v = e->num;
		out->is_signed = e->num_signed;
		return 0;
	case N_VAR:
		memset(out, 0, sizeof(*out));
		rc = env->var(env->arg, e->name, &out->v, &out->type, ev->err);
		if (rc == -ENOENT)
			return dbg_err_set(ev->err, rc, "no register or variable '$%s'", e->name);
		return rc;
	case N_SYM:
		return eval_sym(ev, e, out);
	case N_FIELD:
		if ((rc = eval(ev, e->l, out)) < 0)
			return rc;
		return path_of(ev, out, e->name);
	case N_INDEX:
		return eval_index(ev, e, out);
	case N_DEREF:
		return eval_deref(ev, e, out);
	case N_ADDR:
		return eval_addr(ev, e, out);
	case N_NEG:
	case N_NOT:
	case N_BNOT:
		if ((rc = eval(ev, e->l, out)) < 0 || (rc = rvalue(ev, out)) < 0)
			return rc;
		if (e->kind == N_NEG) {
			out->v = (uint64_t)0 - out->v;
			out->is_signed = true;
		} else if (e->kind == N_NOT) {
			out->v = out->v == 0;
			out->is_signed = false;
		} else {
			out->v = ~out->v;
		}
		out->type = NULL;
		return 0;
	case N_BIN:
		return eval_bin(ev, e, out);
	case N_CAST:
		return eval_cast(ev, e, out);
	}
	abort();
}

int dbg_expr_run(const struct dbg_expr *e, const struct dbg_expr_env *env, struct dbg_arena *a,
		 struct dbg_expr_value *out, struct dbg_err *err)
{
	struct ev ev = { env, a, err };
	struct xv x;
	int rc;

	rc = eval(&ev, e, &x);
	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->type = x.type;
	out->parent = x.parent;
	out->field = x.fname;
	if (x.lval) {
		out->has_addr = true;
		out->addr = x.addr;
		if (x.bare) {
			out->v = x.addr;
			out->symbol = true;
			out->aggregate = is_aggregate(x.type);
			return 0;
		}
		if (is_aggregate(x.type)) {
			out->v = x.addr;
			out->aggregate = true;
			return 0;
		}
		rc = load(&ev, &x);
		if (rc < 0)
			return rc;
	}
	out->v = x.v;
	out->is_signed = x.is_signed;
	return 0;
}

int dbg_expr_eval(const char *text, const struct dbg_expr_env *env, struct dbg_arena *a,
		  struct dbg_expr_value *out, struct dbg_err *err)
{
	struct dbg_expr *e;
	int rc;

	rc = dbg_expr_parse(a, text, &e, err);
	if (rc < 0)
		return rc;
	return dbg_expr_run(e, env, a, out, err);
}

bool dbg_expr_comparison(const struct dbg_expr *e, const char **op, const struct dbg_expr **l,
			 const struct dbg_expr **r)
{
	if (e->kind != N_BIN)
		return false;
	switch (e->op) {
	case OP_EQ:
	case OP_NE:
	case OP_LT:
	case OP_GT:
	case OP_LE:
	case OP_GE:
		*op = binops[e->op].text;
		*l = e->l;
		*r = e->r;
		return true;
	default:
		return false;
	}
}

void dbg_expr_source(const struct dbg_expr *e, char *buf, size_t n)
{
	size_t len = e->src ? e->srclen : 0;

	if (n == 0)
		return;
	if (len >= n)
		len = n - 1;
	memcpy(buf, e->src, len);
	buf[len] = '\0';
}
