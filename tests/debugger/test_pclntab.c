/* pclntab: Go's function table read from bytes: a table built here in the
 * go1.18 layout, and the same table damaged (tests/go/stripped.py reads a
 * real stripped go1.19 binary's). */
#include "testlib.h"

#include <errno.h>
#include <string.h>

#include "pclntab.h"

struct fn_list {
	size_t n;
	char name[8][32];
	uint64_t entry[8], end[8];
};

static void collect(void *arg, const char *name, uint64_t entry, uint64_t end)
{
	struct fn_list *l = arg;
	if (l->n == 8)
		return;
	snprintf(l->name[l->n], sizeof(l->name[0]), "%s", name);
	l->entry[l->n] = entry;
	l->end[l->n] = end;
	l->n++;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}
static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* header (72 bytes) | names at 72 | functab at 128 | _funcs after it */
static size_t build(uint8_t *b, uint32_t magic)
{
	memset(b, 0, 256);
	put32(b, magic);
	b[6] = 1;
	b[7] = 8;
	put64(b + 8, 2);         /* nfunc */
	put64(b + 24, 0x401000); /* textStart */
	put64(b + 32, 72);       /* funcnameOffset */
	put64(b + 64, 128);      /* pclnOffset */
	memcpy(b + 72, "main.a\0runtime.b\0", 17);
	/* functab: {entryoff, funcoff} x 3, funcoffs from pclnOffset */
	put32(b + 128, 0x0);
	put32(b + 132, 24);
	put32(b + 136, 0x40);
	put32(b + 140, 32);
	put32(b + 144, 0x90);
	/* _func records: entryoff, nameoff */
	put32(b + 128 + 24, 0x0);
	put32(b + 128 + 28, 0);
	put32(b + 128 + 32, 0x40);
	put32(b + 128 + 36, 7);
	return 176;
}

static void test_table(void)
{
	uint8_t b[256];
	struct fn_list l = { 0 };
	struct dbg_err err;
	int go = 0;
	size_t n = build(b, DBG_PCLN_MAGIC_118);
	T_TRUE(dbg_pcln_is_header(b, n));
	T_EQ_INT(dbg_pcln_walk(b, n, 0, collect, &l, &go, &err), 2);
	T_EQ_INT(go, 118);
	T_EQ_INT(l.n, 2);
	T_EQ_STR(l.name[0], "main.a");
	T_EQ_HEX(l.entry[0], 0x401000);
	T_EQ_HEX(l.end[0], 0x401040);
	T_EQ_STR(l.name[1], "runtime.b");
	T_EQ_HEX(l.entry[1], 0x401040);
	T_EQ_HEX(l.end[1], 0x401090);
	n = build(b, DBG_PCLN_MAGIC_120);
	T_EQ_INT(dbg_pcln_walk(b, n, 0, NULL, NULL, &go, &err), 2);
	T_EQ_INT(go, 120);
}

static void test_text_hint(void)
{
	/* a PIE's textStart is 0 in the file: entries count from the hint */
	uint8_t b[256];
	struct fn_list l = { 0 };
	struct dbg_err err;
	size_t n = build(b, DBG_PCLN_MAGIC_118);
	put64(b + 24, 0);
	T_EQ_INT(dbg_pcln_walk(b, n, 0x1000, collect, &l, NULL, &err), 2);
	T_EQ_HEX(l.entry[1], 0x1040);
}

static void test_damaged(void)
{
	uint8_t b[256];
	struct dbg_err err;
	size_t n = build(b, 0xfffffffa); /* go1.16's magic */
	T_FALSE(dbg_pcln_is_header(b, n));
	T_EQ_INT(dbg_pcln_walk(b, n, 0, NULL, NULL, NULL, &err), -EINVAL);
	T_CONTAINS(err.msg, "unknown format (magic 0xfffffffa)");
	n = build(b, DBG_PCLN_MAGIC_118);
	put64(b + 8, 1000); /* more functions than the table holds */
	T_EQ_INT(dbg_pcln_walk(b, n, 0, NULL, NULL, NULL, &err), -EINVAL);
	T_CONTAINS(err.msg, "damaged");
	n = build(b, DBG_PCLN_MAGIC_118);
	put32(b + 128 + 36, 5000); /* a name past the end */
	T_EQ_INT(dbg_pcln_walk(b, n, 0, NULL, NULL, NULL, &err), -EINVAL);
	n = build(b, DBG_PCLN_MAGIC_118);
	put32(b + 140, 4000); /* a _func record past the end */
	T_EQ_INT(dbg_pcln_walk(b, n, 0, NULL, NULL, NULL, &err), -EINVAL);
	n = build(b, DBG_PCLN_MAGIC_118);
	put32(b + 144, 0x10); /* the end before the last entry */
	T_EQ_INT(dbg_pcln_walk(b, n, 0, NULL, NULL, NULL, &err), -EINVAL);
	n = build(b, DBG_PCLN_MAGIC_118);
	b[n - 1] = 'x'; /* a name that runs to the end without its NUL */
	put32(b + 128 + 36, (uint32_t)(n - 1 - 72));
	T_EQ_INT(dbg_pcln_walk(b, n, 0, NULL, NULL, NULL, &err), -EINVAL);
	T_CONTAINS(err.msg, "unterminated");
	T_EQ_INT(dbg_pcln_walk(b, 40, 0, NULL, NULL, NULL, &err), -EINVAL);
}

static const struct t_case cases[] = {
	T_CASE(test_table),
	T_CASE(test_text_hint),
	T_CASE(test_damaged),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
