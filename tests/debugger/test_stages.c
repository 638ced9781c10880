/* stages: the catalog of minirt, the bundled hello and a real Go binary,
 * checked against nm (function stages) and objdump's text (rt0_go
 * sub-stages); name look-ups and suggestions. */
#include "testlib.h"

#include "stages.h"

/* nm's address for name, or for name.abi0 when name is absent; 0 if none. */
static uint64_t nm_func(const char *path, const char *name)
{
	char cmd[1024], out[256];
	snprintf(cmd, sizeof(cmd),
		 "nm '%s' | awk '$3 == \"%s\" { a = $1 } $3 == \"%s.abi0\" { b = $1 }"
		 " END { if (a) print a; else if (b) print b }'",
		 path, name, name);
	if (t_capture(cmd, out, sizeof(out)) != 0 || !out[0])
		return 0;
	return strtoull(out, NULL, 16);
}

struct oracle {
	uint64_t g0_stack, cpuid, cgo_init, settls, tls_check, wire;
};

/* Read rt0_go's disassembly as objdump prints it and pick the
 * sub-stages by their text. */
static void objdump_substages(const char *path, struct oracle *o)
{
	memset(o, 0, sizeof(*o));
	char sym[64] = "runtime.rt0_go";
	char cmd[1024];
	if (nm_func(path, "runtime.rt0_go") == nm_func(path, "runtime.rt0_go.abi0") &&
	    nm_func(path, "runtime.rt0_go.abi0"))
		snprintf(sym, sizeof(sym), "runtime.rt0_go.abi0");
	uint64_t g0 = nm_func(path, "runtime.g0");
	snprintf(cmd, sizeof(cmd), "objdump -d --no-show-raw-insn --disassemble='%s' '%s'", sym,
		 path);
	FILE *f = popen(cmd, "r");
	if (!f)
		T_SETUP_FAIL("cannot run objdump");
	char line[512], g0reg[8] = "";
	char g0hex[32];
	snprintf(g0hex, sizeof(g0hex), "$0x%" PRIx64 ",", g0);
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon || colon[1] != '\t')
			continue;
		uint64_t addr = strtoull(line, NULL, 16);
		char *text = colon + 2;
		text[strcspn(text, "\n")] = '\0';
		char *comment = strchr(text, '#');
		if (!o->cpuid && strncmp(text, "cpuid", 5) == 0)
			o->cpuid = addr;
		if (!o->settls && strncmp(text, "call", 4) == 0 && strstr(text, "<runtime.settls"))
			o->settls = addr;
		if (strstr(text, ",%fs:0xfffffffffffffff8")) {
			if (!o->tls_check && strstr(text, "$0x123,%fs:0xfffffffffffffff8"))
				o->tls_check = addr;
			else if (o->tls_check && !o->wire)
				o->wire = addr;
		}
		if (!o->g0_stack && strncmp(text, "mov", 3) == 0) {
			const char *dst = strrchr(text, ',');
			char held[16];
			snprintf(held, sizeof(held), "(%s)", g0reg);
			if (dst &&
			    ((g0reg[0] && strstr(dst, held)) ||
			     (comment && strstr(comment, "<runtime.g0") && strstr(dst, "(%rip)"))))
				o->g0_stack = addr;
		}
		/* a register loaded with &runtime.g0 */
		bool loads = (strncmp(text, "lea", 3) == 0 && comment &&
			      (strstr(comment, "<runtime.g0>") != NULL)) ||
			     (strncmp(text, "mov", 3) == 0 && strstr(text, g0hex));
		if (loads) {
			const char *r = strrchr(text, '%');
			if (r) {
				size_t k = strcspn(r, " \t#");
				snprintf(g0reg, sizeof(g0reg), "%.*s", (int)k, r);
			}
		}
	}
	pclose(f);
	/* a cgo binary: _cgo_init is initialised data (x_cgo_init), and rt0_go
	 * calls through it: the first indirect call */
	snprintf(cmd, sizeof(cmd), "nm '%s' | awk '$3 == \"_cgo_init\" { print $2 }'", path);
	char type[8] = "";
	if (t_capture(cmd, type, sizeof(type)) == 0 && (type[0] == 'd' || type[0] == 'D')) {
		snprintf(cmd, sizeof(cmd),
			 "objdump -d --no-show-raw-insn --disassemble='%s' '%s' | "
			 "awk '/\\tcall +\\*%%/ { sub(\":\", \"\", $1); print $1; exit }'",
			 sym, path);
		char hex[32] = "";
		if (t_capture(cmd, hex, sizeof(hex)) == 0 && hex[0])
			o->cgo_init = strtoull(hex, NULL, 16);
	}
}

/* The stage named exactly name (no short names), or -1. */
static int exact_stage(const struct dbg_stages *st, const char *name)
{
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->v[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void check_binary(const char *path)
{
	struct dbg_elf *e;
	struct dbg_disasm *dis;
	struct dbg_err err;
	T_OK(dbg_elf_open(&e, path, &err), err);
	T_OK(dbg_disasm_open(&dis, &err), err);
	struct dbg_stages st;
	T_OK(dbg_stages_build(&st, e, dis, 0, &err), err);
	struct oracle o;
	objdump_substages(path, &o);

	size_t present = 0;
	int last = -1;
	for (size_t c = 0; c < dbg_stage_catalog_len; c++) {
		const char *name = dbg_stage_catalog[c];
		uint64_t want;
		if (strncmp(name, "rt0_go.", 7) == 0) {
			const char *n = name + 7;
			want = strcmp(n, "g0_stack") == 0  ? o.g0_stack :
			       strcmp(n, "cpuid") == 0     ? o.cpuid :
			       strcmp(n, "cgo_init") == 0  ? o.cgo_init :
			       strcmp(n, "settls") == 0    ? o.settls :
			       strcmp(n, "tls_check") == 0 ? o.tls_check :
							     o.wire;
		} else if (strcmp(name, "ld.so") == 0 ||
			   ((strcmp(name, "_start") == 0 || strcmp(name, "main") == 0) &&
			    !dbg_elf_interp(e))) {
			/* the loader's entry is known at run time only; libc's
			 * start-up exists in dynamic binaries only */
			want = 0;
		} else {
			want = nm_func(path, name);
			if (!want && strcmp(name, "runtime.findRunnable") == 0)
				want = nm_func(path, "runtime.findrunnable");
		}
		int i = want ? dbg_stages_find(&st, name) : exact_stage(&st, name);
		if (!want) {
			if (i >= 0)
				T_FAIL("%s: stage %s found at 0x%" PRIx64
				       " but the oracle has none",
				       path, name, st.v[i].addr);
			continue;
		}
		if (i < 0)
			T_FAIL("%s: stage %s missing (oracle: 0x%" PRIx64 ")", path, name, want);
		if (st.v[i].addr != want)
			T_FAIL("%s: stage %s at 0x%" PRIx64 ", oracle 0x%" PRIx64, path, name,
			       st.v[i].addr, want);
		T_TRUE(i > last); /* boot order kept */
		last = i;
		T_EQ_INT(dbg_stages_at(&st, want), i);
		T_NOT_NULL(st.v[i].check);
		present++;
	}
	T_EQ_INT(present, st.n);
	dbg_stages_release(&st);
	dbg_disasm_free(dis);
	dbg_elf_free(e);
}

static void test_minirt(void)
{
	const char *path = t_env("MINIRT");
	check_binary(path);
	/* every rt0_go sub-stage exists in minirt */
	struct oracle o;
	objdump_substages(path, &o);
	T_NE_HEX(o.g0_stack, 0);
	T_NE_HEX(o.cpuid, 0);
	T_NE_HEX(o.settls, 0);
	T_NE_HEX(o.tls_check, 0);
	T_NE_HEX(o.wire, 0);
}

static void test_hello(void)
{
	const char *path = getenv("HELLO");
	if (!path)
		T_SKIP("the bundled runtime is not built");
	check_binary(path);
}

static void test_go(void)
{
	const char *path = getenv("GOHELLO");
	if (!path)
		T_SKIP("no Go toolchain");
	check_binary(path);
}

static void test_names(void)
{
	struct dbg_elf *e;
	struct dbg_disasm *dis;
	struct dbg_err err;
	T_OK(dbg_elf_open(&e, t_env("MINIRT"), &err), err);
	T_OK(dbg_disasm_open(&dis, &err), err);
	struct dbg_stages st;
	T_OK(dbg_stages_build(&st, e, dis, 0, &err), err);
	int wire = dbg_stages_find(&st, "rt0_go.wire");
	T_GE_INT(wire, 0);
	T_EQ_INT(dbg_stages_find(&st, "wire"), wire);
	int check = dbg_stages_find(&st, "runtime.check");
	T_GE_INT(check, 0);
	T_EQ_INT(dbg_stages_find(&st, "check"), check);
	T_EQ_INT(dbg_stages_find(&st, "runtime.check.abi0"), check);
	T_EQ_INT(dbg_stages_find(&st, "schedinit"), -1); /* minirt has none */
	T_EQ_STR(dbg_stage_short("runtime.schedinit"), "schedinit");
	T_EQ_STR(dbg_stage_short("rt0_go.tls_check"), "tls_check");
	T_EQ_STR(dbg_stage_short("_rt0_amd64"), "_rt0_amd64");

	const char *sug[4];
	size_t n = dbg_stages_suggest(&st, "chek", sug, 4);
	T_GE_INT(n, 1);
	T_EQ_STR(sug[0], "runtime.check");
	n = dbg_stages_suggest(&st, "wier", sug, 4);
	T_GE_INT(n, 1);
	T_EQ_STR(sug[0], "rt0_go.wire");
	T_EQ_INT(dbg_stages_suggest(&st, "qqqqqqqqqqqqqqqqqqqq", sug, 4), 0);
	dbg_stages_release(&st);
	dbg_disasm_free(dis);
	dbg_elf_free(e);
}

static void test_findrunnable_alias(void)
{
	const char *path = getenv("HELLO");
	if (!path)
		path = getenv("GOHELLO");
	if (!path)
		T_SKIP("neither the bundled runtime nor a Go binary");
	struct dbg_elf *e;
	struct dbg_disasm *dis;
	struct dbg_err err;
	T_OK(dbg_elf_open(&e, path, &err), err);
	T_OK(dbg_disasm_open(&dis, &err), err);
	struct dbg_stages st;
	T_OK(dbg_stages_build(&st, e, dis, 0, &err), err);
	int i = dbg_stages_find(&st, "runtime.findRunnable");
	T_GE_INT(i, 0);
	T_EQ_INT(dbg_stages_find(&st, "findrunnable"), i);
	T_EQ_INT(dbg_stages_find(&st, "findRunnable"), i);
	T_EQ_INT(dbg_stages_find(&st, "schedinit"), dbg_stages_find(&st, "runtime.schedinit"));
	const char *sug[4];
	T_GE_INT(dbg_stages_suggest(&st, "schedinti", sug, 4), 1);
	T_EQ_STR(sug[0], "runtime.schedinit");
	dbg_stages_release(&st);
	dbg_disasm_free(dis);
	dbg_elf_free(e);
}

static const struct t_case cases[] = {
	T_CASE(test_minirt),
	T_CASE(test_hello),
	T_CASE(test_go),
	T_CASE(test_names),
	T_CASE(test_findrunnable_alias),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
