/* writeset: the memory an instruction or system call may write, from
 * encoded bytes and register values, with no process. */
#include "testlib.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "writeset.h"

struct got {
	size_t n;
	uint64_t addr[8], len[8];
	bool syscall[8];
};

static void collect(void *arg, uint64_t addr, uint64_t len, bool syscall)
{
	struct got *g = arg;
	if (g->n == 8)
		T_FAIL("more than 8 ranges");
	g->addr[g->n] = addr;
	g->len[g->n] = len;
	g->syscall[g->n] = syscall;
	g->n++;
}

/* The ranges the instruction in code (at 0x401000) writes with regs r. */
static struct got ranges(const uint8_t *code, size_t n, struct dbg_regs r)
{
	struct dbg_disasm *d;
	struct dbg_err err;
	struct dbg_insn in;
	struct dbg_ws_insn ws;
	struct got g = { 0 };
	T_OK(dbg_disasm_open(&d, &err), err);
	T_OK(dbg_disasm_one(d, code, n, 0x401000, &in, &err), err);
	dbg_ws_decode(&in, &ws);
	T_EQ_INT(ws.size, n);
	r.rip = 0x401000;
	dbg_ws_ranges(&ws, &r, collect, &g);
	dbg_disasm_free(d);
	return g;
}

#define RANGES(r, ...) \
	ranges((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }), r)

static void one(const struct got *g, uint64_t addr, uint64_t len)
{
	T_EQ_INT(g->n, 1);
	T_EQ_HEX(g->addr[0], addr);
	T_EQ_INT(g->len[0], len);
	T_FALSE(g->syscall[0]);
}

static void test_store_through_rsp(void)
{
	/* mov %rax,0x8(%rsp) */
	struct got g =
		RANGES(((struct dbg_regs){ .rsp = 0x7ffe0000 }), 0x48, 0x89, 0x44, 0x24, 0x08);
	one(&g, 0x7ffe0008, 8);
}

static void test_push_and_call(void)
{
	struct got g = RANGES(((struct dbg_regs){ .rsp = 0x7ffe0000 }), 0x55); /* push %rbp */
	one(&g, 0x7ffe0000 - 8, 8);
	g = RANGES(((struct dbg_regs){ .rsp = 0x7ffe0000 }), 0xe8, 0, 0, 0, 0); /* call */
	one(&g, 0x7ffe0000 - 8, 8);
}

static void test_indexed(void)
{
	/* mov %eax,(%rbx,%rcx,4): 4 bytes at rbx + 4*rcx */
	struct got g = RANGES(((struct dbg_regs){ .rbx = 0x500000, .rcx = 3 }), 0x89, 0x04, 0x8b);
	one(&g, 0x50000c, 4);
}

static void test_fs_store(void)
{
	/* movq $0x123,%fs:-8: rt0_go's TLS check */
	struct got g = RANGES(((struct dbg_regs){ .fs_base = 0x560000 }), 0x64, 0x48, 0xc7, 0x04,
			      0x25, 0xf8, 0xff, 0xff, 0xff, 0x23, 0x01, 0, 0);
	one(&g, 0x560000 - 8, 8);
}

static void test_string_store(void)
{
	/* rep stosq: capstone lists the destination; 8 bytes at rdi */
	struct got g = RANGES(((struct dbg_regs){ .rdi = 0x600000, .rcx = 4 }), 0xf3, 0x48, 0xab);
	T_GE_INT(g.n, 1);
	T_EQ_HEX(g.addr[0], 0x600000);
	T_EQ_INT(g.len[0], 8);
}

static void test_cmpxchg_writes(void)
{
	/* lock cmpxchg %rcx,(%rbx): capstone 4 misses the write flag */
	struct got g = RANGES(((struct dbg_regs){ .rbx = 0x700010 }), 0xf0, 0x48, 0x0f, 0xb1, 0x0b);
	one(&g, 0x700010, 8);
}

static void test_reads_write_nothing(void)
{
	struct dbg_regs r = { .rbx = 0x700000, .rsp = 0x7ffe0000 };
	T_EQ_INT(RANGES(r, 0x48, 0x39, 0x03).n, 0);             /* cmp %rax,(%rbx) */
	T_EQ_INT(RANGES(r, 0x48, 0x85, 0x03).n, 0);             /* test %rax,(%rbx) */
	T_EQ_INT(RANGES(r, 0x48, 0x8d, 0x44, 0x24, 0x08).n, 0); /* lea 0x8(%rsp),%rax */
	T_EQ_INT(RANGES(r, 0x48, 0x8b, 0x03).n, 0);             /* mov (%rbx),%rax */
	T_EQ_INT(RANGES(r, 0x48, 0x0f, 0xa3, 0x03).n, 0);       /* bt %rax,(%rbx) */
}

static void test_kernel_half_left_out(void)
{
	/* a store to a kernel address faults: nothing to record */
	struct got g =
		RANGES(((struct dbg_regs){ .rbx = 0xffff800000000000ull }), 0x48, 0x89, 0x03);
	T_EQ_INT(g.n, 0);
}

static struct got sys(struct dbg_regs r)
{
	struct got g = { 0 };
	dbg_ws_syscall(&r, collect, &g);
	return g;
}

static void test_syscall_buffers(void)
{
	/* read(0, buf, 100) */
	struct got g = sys((struct dbg_regs){ .rax = 0, .rsi = 0x800000, .rdx = 100 });
	T_EQ_INT(g.n, 1);
	T_EQ_HEX(g.addr[0], 0x800000);
	T_EQ_INT(g.len[0], 100);
	T_TRUE(g.syscall[0]);
	/* sched_getaffinity(0, 8192, mask) */
	g = sys((struct dbg_regs){ .rax = 204, .rsi = 8192, .rdx = 0x810000 });
	T_EQ_INT(g.n, 1);
	T_EQ_HEX(g.addr[0], 0x810000);
	T_EQ_INT(g.len[0], 8192);
	/* arch_prctl(ARCH_GET_FS, p) writes 8 bytes; ARCH_SET_FS nothing */
	g = sys((struct dbg_regs){ .rax = 158, .rdi = 0x1003, .rsi = 0x820000 });
	T_EQ_INT(g.n, 1);
	T_EQ_HEX(g.addr[0], 0x820000);
	T_EQ_INT(g.len[0], 8);
	T_EQ_INT(sys((struct dbg_regs){ .rax = 158, .rdi = 0x1002, .rsi = 0x820000 }).n, 0);
	/* read with a huge count: cut to the largest buffer */
	g = sys((struct dbg_regs){ .rax = 0, .rsi = 0x800000, .rdx = 1ull << 40 });
	T_EQ_INT(g.n, 1);
	T_EQ_INT(g.len[0], DBG_WS_MAX_RANGE);
	/* write(1, buf, n) fills nothing; a NULL buffer is no range */
	T_EQ_INT(sys((struct dbg_regs){ .rax = 1, .rsi = 0x800000, .rdx = 10 }).n, 0);
	T_EQ_INT(sys((struct dbg_regs){ .rax = 0, .rsi = 0, .rdx = 10 }).n, 0);
}

/* ---- the fast path against capstone ------------------------------------- */

/* Whether two decoded forms say the same: size, flags, pushes and every
 * written operand. */
static bool ws_same(const struct dbg_ws_insn *a, const struct dbg_ws_insn *b)
{
	if (a->pc != b->pc || a->size != b->size || a->flags != b->flags || a->push != b->push ||
	    a->nmem != b->nmem || memcmp(a->bytes, b->bytes, sizeof(a->bytes)) != 0)
		return false;
	for (uint8_t i = 0; i < a->nmem; i++)
		if (a->mem[i].seg != b->mem[i].seg || a->mem[i].base != b->mem[i].base ||
		    a->mem[i].index != b->mem[i].index || a->mem[i].scale != b->mem[i].scale ||
		    a->mem[i].size != b->mem[i].size || a->mem[i].disp != b->mem[i].disp)
			return false;
	return true;
}

static void ws_show(const char *who, const struct dbg_ws_insn *d)
{
	fprintf(stderr, "  %s: size %u flags %u push %u nmem %u", who, d->size, d->flags, d->push,
		d->nmem);
	for (uint8_t i = 0; i < d->nmem; i++)
		fprintf(stderr, " [seg %u base %u index %u scale %u size %u disp %lld]",
			d->mem[i].seg, d->mem[i].base, d->mem[i].index, d->mem[i].scale,
			d->mem[i].size, (long long)d->mem[i].disp);
	fprintf(stderr, "\n");
}

struct fast_check {
	struct dbg_disasm *dis;
	size_t answered, agreed, failed;
};

/*
 * The fast path on code[0..n) at pc, checked against capstone when it
 * answers: capstone must decode the same bytes to the same form. Returns
 * whether the fast path answered.
 */
static bool fast_check(struct fast_check *c, const uint8_t *code, size_t n, uint64_t pc)
{
	struct dbg_ws_insn fast, slow;
	if (!dbg_ws_fast(code, n, pc, &fast))
		return false;
	c->answered++;
	struct dbg_insn in;
	bool ok = dbg_disasm_one(c->dis, code, n, pc, &in, NULL) == 0;
	if (ok) {
		dbg_ws_decode(&in, &slow);
		ok = ws_same(&fast, &slow);
	}
	if (ok) {
		c->agreed++;
		return true;
	}
	if (c->failed++ < 20) {
		fprintf(stderr, "fast path differs at 0x%llx:", (unsigned long long)pc);
		for (size_t k = 0; k < n && k < 15; k++)
			fprintf(stderr, " %02x", code[k]);
		fprintf(stderr, "\n");
		ws_show("fast", &fast);
		if (dbg_disasm_one(c->dis, code, n, pc, &in, NULL) == 0) {
			char text[200];
			dbg_insn_text(&in, text, sizeof(text));
			fprintf(stderr, "  capstone: %s\n", text);
			ws_show("capstone", &slow);
		} else {
			fprintf(stderr, "  capstone: does not decode\n");
		}
	}
	return true;
}

/* Every opcode of the one- and two-byte maps, with every ModRM byte, behind
 * the prefixes compilers emit, followed by two SIB/displacement/immediate
 * patterns: wherever the fast path answers, capstone says the same. */
static void test_fast_path_every_form(void)
{
	static const uint8_t prefixes[][3] = {
		{ 0 },
		{ 1, 0x66 },
		{ 1, 0xf3 },
		{ 1, 0xf2 },
		{ 1, 0x48 },
		{ 1, 0x4c },
		{ 1, 0x41 },
		{ 1, 0x43 },
		{ 1, 0x40 },
		{ 1, 0x64 },
		{ 1, 0x65 },
		{ 2, 0x66, 0x48 },
		{ 2, 0x64, 0x48 },
		{ 2, 0xf3, 0x48 },
		{ 2, 0xf2, 0x48 },
		{ 2, 0x66, 0x41 },
		{ 2, 0x66, 0xf3 },
		{ 2, 0x65, 0x4c },
		{ 2, 0x66, 0x66 },
		{ 2, 0xf3, 0xf2 },
		{ 2, 0x64, 0x65 },
		{ 2, 0x48, 0x41 },
		{ 2, 0xf0, 0x48 },
		{ 1, 0x67 },
	};
	static const uint8_t tails[][8] = {
		{ 0x24, 0x08, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 },
		{ 0x85, 0xf0, 0xff, 0xff, 0xff, 0x80, 0x90, 0xa0 },
		{ 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	};
	struct fast_check c = { 0 };
	struct dbg_err err;
	T_OK(dbg_disasm_open(&c.dis, &err), err);
	for (size_t p = 0; p < T_COUNT(prefixes); p++)
		for (unsigned two = 0; two < 2; two++)
			for (unsigned op = 0; op < 256; op++)
				for (unsigned m = 0; m < 256; m++)
					for (size_t t = 0; t < T_COUNT(tails); t++) {
						uint8_t code[15], k = 0;
						for (uint8_t j = 0; j < prefixes[p][0]; j++)
							code[k++] = prefixes[p][1 + j];
						if (two)
							code[k++] = 0x0f;
						code[k++] = (uint8_t)op;
						code[k++] = (uint8_t)m;
						for (size_t j = 0; k < sizeof(code); j++)
							code[k++] = tails[t][j % 8];
						fast_check(&c, code, sizeof(code), 0x401000);
					}
	dbg_disasm_free(c.dis);
	fprintf(stderr, "every form: the fast path answered %zu encodings, %zu as capstone\n",
		c.answered, c.agreed);
	T_EQ_INT(c.failed, 0);
	T_GE_INT(c.answered, 100000);
}

/*
 * The text of a program: at every instruction of a linear sweep, and at
 * every byte offset besides (an instruction start for some jump, or not),
 * the fast path says what capstone says wherever it answers. min_share:
 * the least share of the sweep's instructions it must answer, in percent.
 */
static void fast_path_text(const char *path, unsigned min_share)
{
	struct dbg_elf *e;
	struct dbg_err err;
	T_OK(dbg_elf_open(&e, path, &err), err);
	struct fast_check c = { 0 };
	T_OK(dbg_disasm_open(&c.dis, &err), err);
	size_t insns = 0, fast = 0, offsets = 0;
	for (size_t s = 0; s < dbg_elf_nsections(e); s++) {
		const struct dbg_section *sec = dbg_elf_section(e, s);
		if (!(sec->flags & SHF_EXECINSTR) || sec->type != SHT_PROGBITS || !sec->size)
			continue;
		uint8_t *text = malloc(sec->size + 15);
		T_NOT_NULL(text);
		memset(text + sec->size, 0, 15);
		T_OK(dbg_elf_read(e, sec->addr, text, sec->size, &err), err);
		/* the sweep */
		for (uint64_t off = 0; off < sec->size;) {
			struct dbg_insn in;
			size_t n = sec->size - off < 15 ? (size_t)(sec->size - off) : 15;
			if (dbg_disasm_one(c.dis, text + off, n, sec->addr + off, &in, NULL) < 0) {
				off++;
				continue;
			}
			insns++;
			fast += fast_check(&c, text + off, n, sec->addr + off);
			off += in.size;
		}
		/* every offset */
		for (uint64_t off = 0; off < sec->size; off++, offsets++) {
			size_t n = sec->size - off < 15 ? (size_t)(sec->size - off) : 15;
			fast_check(&c, text + off, n, sec->addr + off);
		}
		free(text);
	}
	dbg_disasm_free(c.dis);
	dbg_elf_free(e);
	fprintf(stderr,
		"%s: %zu instructions, %zu (%zu%%) answered by the fast path; %zu offsets; "
		"%zu answers checked against capstone\n",
		path, insns, fast, insns ? fast * 100 / insns : 0, offsets, c.answered);
	T_EQ_INT(c.failed, 0);
	T_GE_INT(insns, 1000);
	T_GE_INT(fast * 100, insns * min_share);
}

static void test_fast_path_bundled_text(void)
{
	const char *path = getenv("HELLO");
	if (!path || !*path)
		T_SKIP("the bundled runtime is not built");
	fast_path_text(path, 70);
}

static void test_fast_path_go_text(void)
{
	const char *path = getenv("GOHELLO");
	if (!path || !*path)
		T_SKIP("no Go toolchain: the go1.19 hello is not built");
	fast_path_text(path, 70);
}

static const struct t_case cases[] = {
	T_CASE(test_store_through_rsp),
	T_CASE(test_push_and_call),
	T_CASE(test_indexed),
	T_CASE(test_fs_store),
	T_CASE(test_string_store),
	T_CASE(test_cmpxchg_writes),
	T_CASE(test_reads_write_nothing),
	T_CASE(test_kernel_half_left_out),
	T_CASE(test_syscall_buffers),
	T_CASE(test_fast_path_every_form),
	T_CASE(test_fast_path_bundled_text),
	T_CASE(test_fast_path_go_text),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
