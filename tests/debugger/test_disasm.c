/* disasm: instruction boundaries and call targets against objdump, operand
 * details, and the session's disassembly around a pc. */
#include "testlib.h"

#include <errno.h>

#include "session.h"

static uint64_t nm_addr(const char *path, const char *name)
{
	char cmd[1024], out[256];
	snprintf(cmd, sizeof(cmd), "nm '%s' | awk '$3 == \"%s\" { print $1; exit }'", path, name);
	if (t_capture(cmd, out, sizeof(out)) != 0 || !out[0])
		T_SETUP_FAIL("nm finds no %s", name);
	return strtoull(out, NULL, 16);
}

/* objdump's instruction addresses and direct call/jump targets for sym. */
static size_t objdump_insns(const char *path, const char *sym, uint64_t *addr, uint64_t *target,
			    size_t max)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "objdump -d --no-show-raw-insn --disassemble='%s' '%s'", sym,
		 path);
	FILE *f = popen(cmd, "r");
	if (!f)
		T_SETUP_FAIL("cannot run objdump");
	char line[512];
	size_t n = 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon || colon[1] != '\t')
			continue;
		addr[n] = strtoull(line, NULL, 16);
		target[n] = 0;
		char *text = colon + 2;
		if (text[0] == 'j' || strncmp(text, "call", 4) == 0) {
			char *sp = strpbrk(text, " \t");
			while (sp && (*sp == ' ' || *sp == '\t'))
				sp++;
			if (sp && *sp != '*')
				target[n] = strtoull(sp, NULL, 16);
		}
		n++;
	}
	pclose(f);
	return n;
}

static void compare_function(const char *path, const char *sym)
{
	uint64_t oa[512], ot[512];
	size_t on = objdump_insns(path, sym, oa, ot, 512);
	T_GE_INT(on, 2);
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	struct dbg_insn *in = calloc(on, sizeof(*in));
	int n = dbg_session_disasm(s, oa[0], on, in, &err); /* from the file */
	T_OK(n, err);
	T_EQ_INT(n, on);
	for (size_t i = 0; i < on; i++) {
		T_EQ_HEX(in[i].addr, oa[i]);
		if (i + 1 < on)
			T_EQ_INT(in[i].size, oa[i + 1] - oa[i]);
		T_EQ_HEX(in[i].target, ot[i]);
	}
	free(in);
	dbg_session_free(s);
}

static void test_boundaries_minirt(void)
{
	compare_function(t_env("MINIRT"), "runtime.rt0_go");
	compare_function(t_env("MINIRT"), "main.main");
}

static void test_boundaries_hello(void)
{
	const char *path = getenv("HELLO");
	if (!path)
		T_SKIP("the bundled runtime is not built");
	compare_function(path, "runtime.rt0_go");
	compare_function(path, "runtime.schedinit");
}

static void test_operands(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	uint64_t rt0 = nm_addr(path, "runtime.rt0_go"), g0 = nm_addr(path, "runtime.g0");
	struct dbg_insn in[64];
	int n = dbg_session_disasm(s, rt0, 64, in, &err);
	T_OK(n, err);
	bool saw_lea = false, saw_tls = false, saw_cpuid = false;
	for (int i = 0; i < n; i++) {
		if (!saw_lea && strncmp(in[i].mnemonic, "lea", 3) == 0 &&
		    in[i].op[0].mem.addr == g0) {
			saw_lea = true;
			T_EQ_INT(in[i].op[0].mem.base, DBG_REG_RIP);
			T_EQ_INT(in[i].op[1].type, DBG_OP_REG);
			T_EQ_INT(in[i].op[1].reg, DBG_REG_RDI);
		}
		if (strstr(in[i].ops, "$0x123, %fs:")) {
			saw_tls = true;
			T_EQ_INT(in[i].op[0].type, DBG_OP_IMM);
			T_EQ_INT(in[i].op[0].imm, 0x123);
			const struct dbg_operand *d = dbg_insn_dst(&in[i]);
			T_EQ_INT(d->type, DBG_OP_MEM);
			T_EQ_INT(d->mem.seg, DBG_REG_FS);
			T_EQ_INT(d->mem.disp, -8);
			T_TRUE(d->write);
		}
		if (strcmp(in[i].mnemonic, "cpuid") == 0)
			saw_cpuid = true;
	}
	T_TRUE(saw_lea && saw_tls && saw_cpuid);
	uint64_t settls = nm_addr(path, "runtime.settls");
	n = dbg_session_disasm(s, settls, 16, in, &err);
	T_OK(n, err);
	bool saw_syscall = false, saw_ret = false;
	for (int i = 0; i < n && !saw_ret; i++) {
		saw_syscall |= in[i].is_syscall;
		saw_ret |= in[i].is_ret;
	}
	T_TRUE(saw_syscall && saw_ret);
	char text[200];
	dbg_insn_text(&in[0], text, sizeof(text));
	T_EQ_STR(text, "addq $8, %rdi");
	dbg_session_free(s);
}

static void test_around_pc(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	uint64_t rt0 = nm_addr(path, "runtime.rt0_go");
	struct dbg_insn all[40];
	T_OK(dbg_session_disasm(s, rt0, 40, all, &err), err);
	uint64_t pc = all[20].addr;
	struct dbg_insn out[4 + 1 + 3];
	size_t at;
	int n = dbg_session_disasm_around(s, pc, 4, 3, out, &at, &err);
	T_OK(n, err);
	T_EQ_INT(n, 8);
	T_EQ_INT(at, 4);
	for (int i = 0; i < n; i++)
		T_EQ_HEX(out[i].addr, all[16 + i].addr);
	/* near the start of the function fewer come before */
	n = dbg_session_disasm_around(s, all[2].addr, 4, 1, out, &at, &err);
	T_OK(n, err);
	T_EQ_INT(at, 2);
	T_EQ_HEX(out[0].addr, rt0);
	T_EQ_HEX(out[at].addr, all[2].addr);
	dbg_session_free(s);
}

/* Decodes are kept by address, checked against the bytes: other bytes at the
 * same address decode afresh, and a kept decode equals a new decoder's. */
static void test_cache_bytes(void)
{
	static const uint8_t a[] = { 0x48, 0x83, 0xc7, 0x08 }; /* addq $8, %rdi */
	static const uint8_t b[] = { 0x48, 0x89, 0xc3 };       /* movq %rax, %rbx */
	static const uint8_t c[] = { 0x48, 0x83, 0xc7, 0x10 }; /* addq $0x10, %rdi */
	struct dbg_disasm *d, *fresh;
	struct dbg_insn in, want;
	struct dbg_err err;
	char text[64];

	T_OK(dbg_disasm_open(&d, &err), err);
	for (int round = 0; round < 2; round++) {
		T_OK(dbg_disasm_one(d, a, sizeof(a), 0x401000, &in, &err), err);
		dbg_insn_text(&in, text, sizeof(text));
		T_EQ_STR(text, "addq $8, %rdi");
		T_OK(dbg_disasm_one(d, b, sizeof(b), 0x401000, &in, &err), err);
		dbg_insn_text(&in, text, sizeof(text));
		T_EQ_STR(text, "movq %rax, %rbx");
		T_EQ_INT(in.size, 3);
		/* same length, one byte differs */
		T_OK(dbg_disasm_one(d, c, sizeof(c), 0x401000, &in, &err), err);
		dbg_insn_text(&in, text, sizeof(text));
		T_EQ_STR(text, "addq $0x10, %rdi");
		T_EQ_INT(in.op[0].imm, 0x10);
	}
	/* too few bytes for the kept instruction: not taken from the cache */
	T_TRUE(dbg_disasm_one(d, c, 2, 0x401000, &in, NULL) < 0);
	/* a kept decode is the whole decode */
	T_OK(dbg_disasm_open(&fresh, &err), err);
	T_OK(dbg_disasm_one(fresh, c, sizeof(c), 0x401000, &want, &err), err);
	T_OK(dbg_disasm_one(d, c, sizeof(c), 0x401000, &in, &err), err);
	T_TRUE(memcmp(&in, &want, sizeof(in)) == 0);
	/* truncation as snprintf's */
	dbg_insn_text(&in, text, 6);
	T_EQ_STR(text, "addq ");
	dbg_insn_text(&in, text, 3);
	T_EQ_STR(text, "ad");
	dbg_disasm_free(fresh);
	dbg_disasm_free(d);
}

static const struct t_case cases[] = {
	T_CASE(test_boundaries_minirt), T_CASE(test_boundaries_hello), T_CASE(test_operands),
	T_CASE(test_around_pc),         T_CASE(test_cache_bytes),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
