/*
 * libFuzzer harness: the input is an expression. It is parsed, dumped,
 * and evaluated against the bundled hello's ELF symbols and DWARF types,
 * with memory read from the file image and a fixed register file ($rsp
 * and $g point into runtime.g0, so field paths through g, m and p are
 * followed for real).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "session.h"

static struct dbg_session *session;
static struct dbg_regs regs;
static struct dbg_type g_ptr;
static uint64_t g0;
static struct dbg_arena arena;

static int var(void *arg, const char *name, uint64_t *val, const struct dbg_type **type,
	       struct dbg_err *err)
{
	(void)arg;
	(void)err;
	*type = NULL;
	if (strcmp(name, "g") == 0) {
		*val = g0;
		if (g_ptr.kind == DBG_TYPE_PTR)
			*type = &g_ptr;
		return 0;
	}
	if (strcmp(name, "steps") == 0 || strcmp(name, "stage") == 0) {
		*val = 3;
		return 0;
	}
	return dbg_regs_get(&regs, name, val) < 0 ? -ENOENT : 0;
}

static int symbol(void *arg, const char *name, uint64_t *addr, const struct dbg_type **type)
{
	const struct dbg_sym *sym = dbg_elf_find(dbg_session_elf(session), name);
	struct dbg_dwarf *dw = dbg_session_dwarf(session);

	(void)arg;
	*type = NULL;
	if (!sym)
		return -ENOENT;
	*addr = sym->addr;
	if (dw)
		*type = dbg_dwarf_var_type(dw, sym->addr, NULL);
	return 0;
}

static int readmem(void *arg, uint64_t addr, void *buf, size_t n, struct dbg_err *err)
{
	(void)arg;
	return dbg_session_read(session, addr, buf, n, err);
}

static const struct dbg_expr_env env = {
	.arg = NULL,
	.var = var,
	.symbol = symbol,
	.read = readmem,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *hello = getenv("BOOTSCOPE_FUZZ_HELLO");
	struct dbg_err err;
	const struct dbg_type *g;

	(void)argc;
	(void)argv;
	if (!hello)
		hello = FUZZ_HELLO;
	if (dbg_session_open(&session, hello, &err) < 0 ||
	    dbg_elf_lookup(dbg_session_elf(session), "runtime.g0", &g0) < 0) {
		fprintf(stderr, "fuzz-expr: cannot load %s\n", hello);
		exit(1);
	}
	g = dbg_session_dwarf(session) ? dbg_dwarf_struct(dbg_session_dwarf(session), "g") : NULL;
	if (g) {
		g_ptr.kind = DBG_TYPE_PTR;
		g_ptr.size = 8;
		g_ptr.target = g;
	}
	regs.rsp = g0 + 64;
	regs.rip = dbg_elf_entry(dbg_session_elf(session));
	regs.fs_base = g0 + 8;
	regs.rax = (uint64_t)-1;
	regs.rdi = 1;
	dbg_arena_init(&arena);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dbg_expr_value v;
	struct dbg_expr *e;
	const struct dbg_expr *l, *r;
	const char *op;
	char *text = malloc(size + 1);
	char buf[256];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (dbg_expr_parse(&arena, text, &e, NULL) == 0) {
		dbg_expr_dump(e, buf, sizeof(buf));
		dbg_expr_source(e, buf, sizeof(buf));
		if (dbg_expr_comparison(e, &op, &l, &r)) {
			dbg_expr_source(l, buf, sizeof(buf));
			dbg_expr_run(l, &env, &arena, &v, NULL);
		}
		dbg_expr_run(e, &env, &arena, &v, NULL);
	}
	dbg_arena_reset(&arena);
	free(text);
	return 0;
}
