/* writeset: the memory an instruction or system call may write, from
 * encoded bytes and register values, with no process. */
#include "testlib.h"

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
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
