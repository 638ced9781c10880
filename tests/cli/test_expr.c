/*
 * Unit tests of the expression language (interp/expr.h) against a fake
 * environment: a few hand-made DWARF-like types, a small memory image and
 * a register file, so every expected value below follows from the setup
 * in this file.
 */
#include <errno.h>

#include "expr.h"
#include "testlib.h"

/* ---- the fake target ---------------------------------------------------- */

#define MEM_BASE 0x1000u
#define MEM_SIZE 0x4000u

static uint8_t mem[MEM_SIZE];
static int reads; /* how many reads the evaluator made */

static const struct dbg_type t_u64 = { .kind = DBG_TYPE_UINT, .name = "uint64", .size = 8 };
static const struct dbg_type t_i64 = { .kind = DBG_TYPE_INT, .name = "int64", .size = 8 };
static const struct dbg_type t_u32 = { .kind = DBG_TYPE_UINT, .name = "uint32", .size = 4 };
static const struct dbg_type t_i32 = { .kind = DBG_TYPE_INT, .name = "int32", .size = 4 };
static const struct dbg_type t_i8 = { .kind = DBG_TYPE_INT, .name = "int8", .size = 1 };

static const struct dbg_field stack_fields[] = {
	{ "lo", 0, &t_u64 },
	{ "hi", 8, &t_u64 },
};
static const struct dbg_type t_stack = {
	.kind = DBG_TYPE_STRUCT,
	.name = "stack",
	.size = 16,
	.fields = stack_fields,
	.nfields = 2,
};

static const struct dbg_type t_g, t_m, t_p;
static const struct dbg_type t_pg = { .kind = DBG_TYPE_PTR, .size = 8, .target = &t_g };
static const struct dbg_type t_pm = { .kind = DBG_TYPE_PTR, .size = 8, .target = &t_m };
static const struct dbg_type t_pp = { .kind = DBG_TYPE_PTR, .size = 8, .target = &t_p };
static const struct dbg_type t_ppp = { .kind = DBG_TYPE_PTR, .size = 8, .target = &t_pp };
static const struct dbg_type t_pi32 = { .kind = DBG_TYPE_PTR, .size = 8, .target = &t_i32 };
static const struct dbg_type t_tls = {
	.kind = DBG_TYPE_ARRAY,
	.size = 48,
	.target = &t_u64,
	.count = 6,
};

static const struct dbg_field g_fields[] = {
	{ "stack", 0, &t_stack }, { "m", 48, &t_pm },      { "atomicstatus", 144, &t_u32 },
	{ "goid", 152, &t_i64 },  { "small", 160, &t_i8 },
};
static const struct dbg_type t_g = {
	.kind = DBG_TYPE_STRUCT,
	.name = "runtime.g",
	.size = 392,
	.fields = g_fields,
	.nfields = 5,
};
static const struct dbg_field m_fields[] = {
	{ "g0", 0, &t_pg },
	{ "tls", 136, &t_tls },
	{ "id", 232, &t_i64 },
	{ "ncpu_p", 240, &t_pi32 },
};
static const struct dbg_type t_m = {
	.kind = DBG_TYPE_STRUCT,
	.name = "runtime.m",
	.size = 256,
	.fields = m_fields,
	.nfields = 4,
};
static const struct dbg_field p_fields[] = {
	{ "id", 0, &t_i32 },
	{ "status", 4, &t_u32 },
	{ "m", 56, &t_pm },
};
static const struct dbg_type t_p = {
	.kind = DBG_TYPE_STRUCT,
	.name = "runtime.p",
	.size = 64,
	.fields = p_fields,
	.nfields = 3,
};
static const struct dbg_field slice_fields[] = {
	{ "array", 0, &t_ppp },
	{ "len", 8, &t_i64 },
	{ "cap", 16, &t_i64 },
};
static const struct dbg_type t_slice = {
	.kind = DBG_TYPE_STRUCT,
	.name = "[]*runtime.p",
	.size = 24,
	.fields = slice_fields,
	.nfields = 3,
};
static const struct dbg_field funcval_fields[] = { { "fn", 0, &t_u64 } };
static const struct dbg_type t_funcval = {
	.kind = DBG_TYPE_STRUCT,
	.name = "runtime.funcval",
	.size = 8,
	.fields = funcval_fields,
	.nfields = 1,
};

/* Addresses of the fake globals. */
enum {
	G0 = 0x1000,
	M0 = 0x1200,
	ALLP = 0x1400,
	P0 = 0x1500,
	P1 = 0x1580,
	ALLP_ARRAY = 0x1600,
	NCPU = 0x1700,
	MAINPC = 0x1800,
	STACK = 0x1900,
	RUNTIME_MAIN = 0x401000,
};

static const struct {
	const char *name;
	uint64_t addr;
	const struct dbg_type *type;
} syms[] = {
	{ "runtime.g0", G0, &t_g },
	{ "runtime.m0", M0, &t_m },
	{ "runtime.allp", ALLP, &t_slice },
	{ "runtime.ncpu", NCPU, &t_i32 },
	{ "runtime.mainPC", MAINPC, &t_funcval },
	{ "runtime.main", RUNTIME_MAIN, NULL },
	{ "runtime.m0.fake", 0x1ff0, NULL }, /* a dotted name that is a symbol */
};

static void put64(uint64_t addr, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		mem[addr - MEM_BASE + i] = (uint8_t)(v >> (8 * i));
}

static void put32(uint64_t addr, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		mem[addr - MEM_BASE + i] = (uint8_t)(v >> (8 * i));
}

static void setup_memory(void)
{
	memset(mem, 0, sizeof(mem));
	put64(G0 + 0, 0x7000);           /* g0.stack.lo */
	put64(G0 + 8, 0x8000);           /* g0.stack.hi */
	put64(G0 + 48, M0);              /* g0.m */
	put64(G0 + 152, 7);              /* g0.goid */
	mem[G0 + 160 - MEM_BASE] = 0xfe; /* g0.small = -2 */
	put64(M0 + 0, G0);               /* m0.g0 */
	put64(M0 + 136, 0x123);          /* m0.tls[0] */
	put64(M0 + 136 + 5 * 8, 0x555);  /* m0.tls[5] */
	put64(M0 + 232, 42);             /* m0.id */
	put64(M0 + 240, NCPU);           /* m0.ncpu_p */
	put64(ALLP + 0, ALLP_ARRAY);     /* allp.array */
	put64(ALLP + 8, 2);              /* allp.len */
	put64(ALLP + 16, 4);             /* allp.cap */
	put64(ALLP_ARRAY + 0, P0);
	put64(ALLP_ARRAY + 8, P1);
	put32(P0 + 0, 0);
	put32(P0 + 4, 1); /* _Prunning */
	put64(P0 + 56, M0);
	put32(P1 + 0, 1);
	put32(P1 + 4, 0);            /* _Pidle */
	put32(NCPU, 0xfffffffd);     /* -3, to see sign extension */
	put64(MAINPC, RUNTIME_MAIN); /* funcval.fn */
	put64(STACK + 0, 0x11);
	put64(STACK + 8, MAINPC); /* the funcval pointer above the ret */
}

static int f_var(void *arg, const char *name, uint64_t *val, const struct dbg_type **type,
		 struct dbg_err *err)
{
	(void)arg;
	*type = NULL;
	if (strcmp(name, "rsp") == 0 || strcmp(name, "sp") == 0)
		*val = STACK;
	else if (strcmp(name, "rip") == 0 || strcmp(name, "pc") == 0)
		*val = RUNTIME_MAIN;
	else if (strcmp(name, "rax") == 0)
		*val = 0xffffffff00000005;
	else if (strcmp(name, "eax") == 0)
		*val = 5;
	else if (strcmp(name, "g") == 0) {
		*val = G0;
		*type = &t_pg;
	} else if (strcmp(name, "dead") == 0)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	else
		return -ENOENT;
	return 0;
}

static int f_symbol(void *arg, const char *name, uint64_t *addr, const struct dbg_type **type)
{
	(void)arg;
	for (size_t i = 0; i < T_COUNT(syms); i++)
		if (strcmp(syms[i].name, name) == 0) {
			*addr = syms[i].addr;
			*type = syms[i].type;
			return 0;
		}
	return -ENOENT;
}

static int f_read(void *arg, uint64_t addr, void *buf, size_t n, struct dbg_err *err)
{
	(void)arg;
	reads++;
	if (addr < MEM_BASE || addr + n > MEM_BASE + MEM_SIZE || addr + n < addr)
		return dbg_err_set(err, -EIO,
				   "cannot read memory at 0x%" PRIx64 ": input/output error", addr);
	memcpy(buf, mem + (addr - MEM_BASE), n);
	return 0;
}

static const struct dbg_expr_env env = { NULL, f_var, f_symbol, f_read, NULL };

/* ---- helpers ------------------------------------------------------------ */

static struct dbg_arena arena;

static struct dbg_expr_value eval_ok(const char *text)
{
	struct dbg_expr_value v;
	struct dbg_err err = { "" };

	setup_memory();
	dbg_arena_init(&arena);
	if (dbg_expr_eval(text, &env, &arena, &v, &err) < 0)
		T_FAIL("'%s' failed: %s", text, err.msg);
	return v;
}

static uint64_t val(const char *text)
{
	return eval_ok(text).v;
}

/* The error message of a failing expression. */
static const char *eval_err(const char *text, int *code)
{
	static struct dbg_err err;
	struct dbg_expr_value v;
	int rc;

	setup_memory();
	dbg_arena_init(&arena);
	rc = dbg_expr_eval(text, &env, &arena, &v, &err);
	if (rc >= 0)
		T_FAIL("'%s' should fail, gave 0x%" PRIx64, text, v.v);
	if (code)
		*code = rc;
	return err.msg;
}

static const char *dump(const char *text)
{
	static char buf[512];
	struct dbg_expr *e;
	struct dbg_err err = { "" };

	dbg_arena_init(&arena);
	if (dbg_expr_parse(&arena, text, &e, &err) < 0)
		T_FAIL("parse of '%s' failed: %s", text, err.msg);
	dbg_expr_dump(e, buf, sizeof(buf));
	return buf;
}

/* ---- parsing ------------------------------------------------------------ */

static void test_precedence(void)
{
	T_EQ_STR(dump("1 + 2 * 3"), "(+ 1 (* 2 3))");
	T_EQ_STR(dump("(1 + 2) * 3"), "(* (+ 1 2) 3)");
	T_EQ_STR(dump("1 - 2 - 3"), "(- (- 1 2) 3)");
	T_EQ_STR(dump("a == b && c < d || e"), "(|| (&& (== a b) (< c d)) e)");
	T_EQ_STR(dump("a || b && c"), "(|| a (&& b c))");
	T_EQ_STR(dump("1 < 2 == 3 > 4"), "(== (< 1 2) (> 3 4))");
	T_EQ_STR(dump("a & b == c"), "(& a (== b c))");
	T_EQ_STR(dump("1 << 2 + 3"), "(<< 1 (+ 2 3))");
	T_EQ_STR(dump("a | b ^ c & d"), "(| a (^ b (& c d)))");
	T_EQ_STR(dump("-1 + !x"), "(+ (- 1) (! x))");
	T_EQ_STR(dump("x <= y != y >= x"), "(!= (<= x y) (>= y x))");
	T_EQ_STR(dump("7 % 4 / 2"), "(/ (% 7 4) 2)");
}

static void test_unary_postfix(void)
{
	T_EQ_STR(dump("*$rsp + 8"), "(+ (* $rsp) 8)");
	T_EQ_STR(dump("*($rsp+8)"), "(* (+ $rsp 8))");
	T_EQ_STR(dump("*(*($rsp+8))"), "(* (* (+ $rsp 8)))");
	T_EQ_STR(dump("$g.goid"), "(. $g goid)");
	T_EQ_STR(dump("$g->m.id"), "(. $g m.id)");
	T_EQ_STR(dump("$g->m->id"), "(. (. $g m) id)");
	T_EQ_STR(dump("runtime.m0.tls[0]"), "([] runtime.m0.tls 0)");
	T_EQ_STR(dump("runtime.allp.array[0].m"), "(. ([] runtime.allp.array 0) m)");
	T_EQ_STR(dump("&runtime.g0.m"), "(& runtime.g0.m)");
	T_EQ_STR(dump("-*&x"), "(- (* (& x)))");
	T_EQ_STR(dump("~0x10"), "(~ 16)");
	T_EQ_STR(dump("'internal/cpu.X86' + 1"), "(+ internal/cpu.X86 1)");
	T_EQ_STR(dump("a[b[1]]"), "([] a ([] b 1))");
}

static void test_numbers(void)
{
	T_EQ_STR(dump("0x401000"), "4198400");
	T_EQ_STR(dump("0b101"), "5");
	T_EQ_STR(dump("18446744073709551615"), "18446744073709551615");
	T_EQ_STR(dump("0XFF"), "255");
}

static void test_parse_errors(void)
{
	T_CONTAINS(eval_err("1 +", NULL), "expected an operand at the end");
	T_CONTAINS(eval_err("(1", NULL), "expected ')' at the end");
	T_CONTAINS(eval_err("1 2", NULL), "unexpected text at column 3");
	T_CONTAINS(eval_err("0x", NULL), "missing digits");
	T_CONTAINS(eval_err("0x1g", NULL), "bad character in number");
	T_CONTAINS(eval_err("12abc", NULL), "bad character in number");
	T_CONTAINS(eval_err("0b102", NULL), "bad digit");
	T_CONTAINS(eval_err("18446744073709551616", NULL), "number too large");
	T_CONTAINS(eval_err("$", NULL), "expected a name after '$'");
	T_CONTAINS(eval_err("1 # 2", NULL), "unexpected character at column 3");
	T_CONTAINS(eval_err("", NULL), "expected an operand");
	T_CONTAINS(eval_err("a[1", NULL), "expected ']'");
	T_CONTAINS(eval_err("$g.", NULL), "expected a field name");
	T_CONTAINS(eval_err("'abc", NULL), "unterminated quoted symbol");
	T_CONTAINS(eval_err("()", NULL), "expected an operand at column 2");
	/* The whole text is named in the message. */
	T_CONTAINS(eval_err("1 + * ", NULL), "cannot parse '1 + * '");
}

/* ---- evaluation --------------------------------------------------------- */

static void test_arithmetic(void)
{
	T_EQ_INT(val("1 + 2 * 3"), 7);
	T_EQ_INT(val("(1 + 2) * 3"), 9);
	T_EQ_INT(val("10 - 2 - 3"), 5);
	T_EQ_INT(val("7 / 2"), 3);
	T_EQ_INT(val("7 % 4"), 3);
	T_EQ_INT(val("-7 / 2"), -3);
	T_EQ_INT(val("1 << 4 | 1"), 17);
	T_EQ_INT(val("0xff & 0x0f ^ 0x3"), 0xc);
	T_EQ_HEX(val("~0"), UINT64_MAX);
	T_EQ_HEX(val("-1"), UINT64_MAX);
	T_TRUE(eval_ok("-1").is_signed);
	T_FALSE(eval_ok("0x10").is_signed);
	T_EQ_INT(val("1 + 2 * 3 == 7"), 1);
	T_EQ_INT(val("3 != 3"), 0);
	T_EQ_INT(val("!0 + !5"), 1);
}

static void test_comparisons_signedness(void)
{
	/* Two signed sides compare as signed, anything unsigned as unsigned. */
	T_EQ_INT(val("-1 < 0"), 1);
	T_EQ_INT(val("0xffffffffffffffff < 0"), 0);
	T_EQ_INT(val("-1 > 0x0"), 1);
	T_EQ_INT(val("runtime.g0.goid >= 7 && runtime.g0.goid <= 7"), 1);
	T_EQ_INT(val("runtime.ncpu < 0"), 1);
	T_EQ_INT(val("-8 >> 1 == -4"), 1);
}

static void test_short_circuit(void)
{
	/* *0 would fail; the right side must not be evaluated. */
	reads = 0;
	T_EQ_INT(val("0 && *0"), 0);
	T_EQ_INT(reads, 0);
	T_EQ_INT(val("1 || *0"), 1);
	T_EQ_INT(reads, 0);
	T_CONTAINS(eval_err("1 && *0", NULL), "cannot read memory at 0x0");
	T_EQ_INT(val("2 && 3"), 1);
}

static void test_registers_and_vars(void)
{
	T_EQ_HEX(val("$rsp"), STACK);
	T_EQ_HEX(val("$sp + 8"), STACK + 8);
	T_EQ_HEX(val("$pc"), RUNTIME_MAIN);
	T_EQ_HEX(val("$eax"), 5);
	T_EQ_HEX(val("$rax"), 0xffffffff00000005);
	T_CONTAINS(eval_err("$nosuch", NULL), "no register or variable '$nosuch'");
	T_CONTAINS(eval_err("$dead + 1", NULL), "the program is not being run");
}

static void test_symbols(void)
{
	struct dbg_expr_value v = eval_ok("runtime.g0");

	/* A global with a DWARF type is its value, as in gdb: a struct is
	 * an object in memory (v its address), a scalar is read. */
	T_EQ_HEX(v.v, G0);
	T_FALSE(v.symbol);
	T_TRUE(v.aggregate);
	T_TRUE(v.has_addr);
	T_TRUE(v.type == &t_g);
	v = eval_ok("runtime.ncpu");
	T_EQ_INT((int64_t)v.v, -3);
	T_TRUE(v.is_signed);
	T_EQ_HEX(v.addr, NCPU);
	/* A symbol without a type (a function) is its address, a label. */
	v = eval_ok("runtime.main");
	T_TRUE(v.symbol);
	T_EQ_HEX(v.v, RUNTIME_MAIN);
	T_EQ_HEX(val("runtime.main + 4"), RUNTIME_MAIN + 4);
	/* A struct is no number: arithmetic and comparisons refuse it. */
	T_CONTAINS(eval_err("runtime.g0 == 0", NULL), "runtime.g is not a number");
	T_CONTAINS(eval_err("runtime.mainPC + 1", NULL), "not a number");
	T_EQ_HEX(val("'runtime.main'"), RUNTIME_MAIN);
	T_EQ_INT(val("$pc == runtime.main"), 1);
	/* A dotted symbol wins over symbol + field when it exists. */
	T_EQ_HEX(val("runtime.m0.fake"), 0x1ff0);
	T_CONTAINS(eval_err("runtime.nope", NULL), "no symbol 'runtime.nope'");
	T_CONTAINS(eval_err("nope.x.y", NULL), "no symbol 'nope.x.y'");
}

static void test_fields(void)
{
	struct dbg_expr_value v;

	T_EQ_HEX(val("runtime.g0.m"), M0);
	T_EQ_INT(val("runtime.g0.m == &runtime.m0"), 1);
	T_EQ_INT(val("runtime.m0.g0 == &runtime.g0"), 1);
	T_EQ_HEX(val("runtime.g0.stack.hi"), 0x8000);
	T_EQ_HEX(val("runtime.g0.stack.hi - runtime.g0.stack.lo"), 0x1000);
	v = eval_ok("runtime.g0.goid");
	T_EQ_INT(v.v, 7);
	T_TRUE(v.is_signed);
	T_TRUE(v.has_addr);
	T_EQ_HEX(v.addr, G0 + 152);
	T_TRUE(v.type == &t_i64);
	/* A one-byte signed field is read with its size and sign-extended. */
	T_EQ_INT((int64_t)val("runtime.g0.small"), -2);
	/* Pointers are followed automatically, any number of times. */
	T_EQ_INT(val("runtime.g0.m.id"), 42);
	T_EQ_INT(val("runtime.g0.m.g0.m.id"), 42);
	T_EQ_INT(val("$g.goid"), 7);
	T_EQ_INT(val("$g->m->id"), 42);
	T_EQ_INT(val("(runtime.m0).id"), 42);
	/* A struct-valued result is its address. */
	v = eval_ok("runtime.g0.stack");
	T_TRUE(v.aggregate);
	T_EQ_HEX(v.v, G0);
	T_CONTAINS(eval_err("runtime.g0.nofield", NULL), "no field 'nofield' in runtime.g");
	T_CONTAINS(eval_err("$rsp.x", NULL), "cannot take field 'x' of a plain number");
	T_CONTAINS(eval_err("runtime.main.x", NULL), "has no DWARF type");
	T_CONTAINS(eval_err("runtime.g0.goid.x", NULL), "cannot take field 'x' of int64");
}

static void test_index(void)
{
	T_EQ_HEX(val("runtime.m0.tls[0]"), 0x123);
	T_EQ_HEX(val("runtime.m0.tls[5]"), 0x555);
	T_EQ_HEX(val("runtime.m0.tls[2 + 3]"), 0x555);
	T_CONTAINS(eval_err("runtime.m0.tls[6]", NULL), "index 6 out of range for [6]uint64");
	/* The spec's path: slice header, array pointer, element, field. */
	T_EQ_HEX(val("runtime.allp.array[0].m"), M0);
	T_EQ_INT(val("runtime.allp.array[1].id"), 1);
	T_EQ_INT(val("runtime.allp.array[0].status"), 1);
	/* A slice indexes like its array, checked against len. */
	T_EQ_INT(val("runtime.allp[1].id"), 1);
	T_EQ_HEX(val("runtime.allp[0].m.g0"), G0);
	T_CONTAINS(eval_err("runtime.allp[2]", NULL),
		   "index 2 out of range for a slice of length 2");
	T_CONTAINS(eval_err("$rsp[1]", NULL), "cannot index a plain number");
	T_CONTAINS(eval_err("runtime.g0.goid[0]", NULL), "cannot index int64");
}

static void test_deref(void)
{
	struct dbg_expr_value v;

	/* Untyped: 8 bytes. */
	T_EQ_HEX(val("*$rsp"), 0x11);
	T_EQ_HEX(val("*($rsp + 8)"), MAINPC);
	T_EQ_HEX(val("*(*($rsp+8))"), RUNTIME_MAIN);
	/* A struct is no pointer; a label is 8 untyped bytes. */
	T_CONTAINS(eval_err("*runtime.mainPC", NULL), "cannot dereference runtime.funcval");
	T_EQ_HEX(val("runtime.mainPC.fn"), RUNTIME_MAIN);
	T_CONTAINS(eval_err("*runtime.main", NULL), "cannot read memory at 0x401000");
	/* A typed pointer to a struct: the struct. */
	v = eval_ok("*runtime.g0.m");
	T_TRUE(v.aggregate);
	T_TRUE(v.type == &t_m);
	T_EQ_HEX(v.addr, M0);
	T_EQ_INT(val("(*runtime.g0.m).id"), 42);
	/* A typed pointer to a scalar: the pointee's size. */
	T_EQ_INT((int64_t)val("*runtime.m0.ncpu_p"), -3);
	T_CONTAINS(eval_err("*0x99999999", NULL), "cannot read memory at 0x99999999");
}

static void test_addr_of(void)
{
	struct dbg_expr_value v;

	v = eval_ok("&runtime.g0.m");
	T_EQ_HEX(v.v, G0 + 48);
	T_NOT_NULL(v.type);
	T_EQ_INT(v.type->kind, DBG_TYPE_PTR);
	T_TRUE(v.type->target == &t_pm);
	T_EQ_HEX(val("&runtime.m0.tls[1]"), M0 + 136 + 8);
	T_EQ_HEX(val("&runtime.g0"), G0);
	T_EQ_INT(val("*&runtime.g0.goid"), 7);
	T_EQ_HEX(val("(&runtime.g0)->m"), M0);
	T_CONTAINS(eval_err("&$rsp", NULL), "not in memory");
	T_CONTAINS(eval_err("&1", NULL), "not in memory");
}

static void test_errors_runtime(void)
{
	int code = 0;

	T_CONTAINS(eval_err("1 / 0", &code), "division by zero");
	T_EQ_INT(code, -EDOM);
	T_CONTAINS(eval_err("5 % (2 - 2)", NULL), "division by zero");
	eval_err("runtime.nope", &code);
	T_EQ_INT(code, -ENOENT);
}

static void test_comparison_split(void)
{
	const struct dbg_expr *l, *r;
	struct dbg_expr *e;
	struct dbg_err err;
	const char *op;
	char buf[128];

	dbg_arena_init(&arena);
	T_OK(dbg_expr_parse(&arena, "  $g.goid ==  (1+0) ", &e, &err), err);
	T_TRUE(dbg_expr_comparison(e, &op, &l, &r));
	T_EQ_STR(op, "==");
	dbg_expr_source(l, buf, sizeof(buf));
	T_EQ_STR(buf, "$g.goid");
	dbg_expr_source(r, buf, sizeof(buf));
	T_EQ_STR(buf, "1+0");
	T_OK(dbg_expr_parse(&arena, "*($rsp+8) != runtime.main", &e, &err), err);
	T_TRUE(dbg_expr_comparison(e, &op, &l, &r));
	T_EQ_STR(op, "!=");
	dbg_expr_source(l, buf, sizeof(buf));
	T_EQ_STR(buf, "*($rsp+8)");
	T_OK(dbg_expr_parse(&arena, "1 + 2", &e, &err), err);
	T_FALSE(dbg_expr_comparison(e, &op, &l, &r));
	T_OK(dbg_expr_parse(&arena, "a < b && c", &e, &err), err);
	T_FALSE(dbg_expr_comparison(e, &op, &l, &r));
}

static void test_casts(void)
{
	struct dbg_expr_value v;
	char buf[128];

	/* Parsing: a parenthesised type, then the operand. */
	T_EQ_STR(dump("*(long*)$rsp"), "(* (cast long * $rsp))");
	T_EQ_STR(dump("(struct g *)$rdi"), "(cast struct g * $rdi)");
	T_EQ_STR(dump("(runtime.g *)$r14"), "(cast runtime.g * $r14)");
	T_EQ_STR(dump("(unsigned long)1"), "(cast unsigned long 1)");
	T_EQ_STR(dump("(uint32)-1"), "(cast uint32 (- 1))");
	T_EQ_STR(dump("(uint32)x"), "(cast uint32 x)");
	/* A single name before an operator is an expression in parentheses. */
	T_EQ_STR(dump("(x) - 1"), "(- x 1)");
	T_EQ_STR(dump("(x)*2"), "(* x 2)");
	T_EQ_STR(dump("(runtime.ncpu)"), "runtime.ncpu");
	/* Evaluating: C and Go scalars, sizes and signs. */
	T_EQ_HEX(val("(uint32)-1"), 0xffffffff);
	T_EQ_INT((int64_t)val("(int8)255"), -1);
	T_EQ_HEX(val("(unsigned char)0x1234"), 0x34);
	T_EQ_HEX(val("*(long*)$rsp"), 0x11);
	v = eval_ok("*(int *)$rsp");
	T_EQ_INT(v.v, 0x11);
	T_EQ_INT(v.type->size, 4);
	v = eval_ok("(long *)$rsp");
	T_EQ_INT(v.type->kind, DBG_TYPE_PTR);
	T_EQ_STR(v.type->target->name, "long");
	T_CONTAINS(eval_err("(struct nosuch *)0", NULL), "no type named 'struct nosuch'");
	(void)buf;
}

static void test_at(void)
{
	struct dbg_expr_value v;

	T_EQ_STR(dump("runtime.m0.tls[0]@2"), "(@ ([] runtime.m0.tls 0) 2)");
	T_EQ_STR(dump("a@1+2"), "(@ a (+ 1 2))");
	v = eval_ok("runtime.m0.tls[0]@3");
	T_TRUE(v.aggregate);
	T_EQ_INT(v.type->kind, DBG_TYPE_ARRAY);
	T_EQ_INT(v.type->count, 3);
	T_EQ_INT(v.type->size, 24);
	T_EQ_HEX(v.addr, M0 + 136);
	T_CONTAINS(eval_err("1@2", NULL), "only a typed object in memory");
	T_CONTAINS(eval_err("runtime.ncpu@0", NULL), "a count from 1");
}

static const struct t_case cases[] = {
	T_CASE(test_precedence),
	T_CASE(test_unary_postfix),
	T_CASE(test_numbers),
	T_CASE(test_parse_errors),
	T_CASE(test_arithmetic),
	T_CASE(test_comparisons_signedness),
	T_CASE(test_short_circuit),
	T_CASE(test_registers_and_vars),
	T_CASE(test_symbols),
	T_CASE(test_fields),
	T_CASE(test_index),
	T_CASE(test_deref),
	T_CASE(test_addr_of),
	T_CASE(test_errors_runtime),
	T_CASE(test_comparison_split),
	T_CASE(test_casts),
	T_CASE(test_at),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
