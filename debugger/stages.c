/* stages — the boot-stage catalog (see stages.h). */
#include "stages.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The catalog: name, candidate symbols (for function stages; NULL for the
 * stages found by decoding or at run time), what to check there, and when
 * the check reads differently: in a dynamically linked binary (ld.so ran
 * first) and in a cgo binary (libc owns fs). */
enum { ALWAYS, NOT_CGO, ONLY_DYNAMIC };
/* clang-format off */
static const struct entry {
	const char *name;
	const char *syms[3];
	const char *check;
	const char *check_dyn, *check_cgo;
	int when;
} catalog[] = {
	{ "ld.so", { NULL },
	  "the dynamic loader's first instruction, where the kernel starts the program: it maps libc, relocates, sets fs_base to its thread control block and jumps to AT_ENTRY",
	  NULL, NULL, ONLY_DYNAMIC },
	{ "_rt0_amd64_linux", { "_rt0_amd64_linux" },
	  "the ELF entry: rsp points at argc, fs_base is 0",
	  "the ELF entry (AT_ENTRY), reached from ld.so: rsp points at argc, and fs_base already points at ld.so's thread control block",
	  NULL, ALWAYS },
	{ "_start", { "_start" },
	  "libc's entry (AT_ENTRY): it hands main, argc and argv to __libc_start_main, which starts libc and calls main",
	  NULL, NULL, ONLY_DYNAMIC },
	{ "main", { "main" },
	  "C's main, called by __libc_start_main with argc/argv in edi/rsi (in a cgo binary Go's own, which jumps to runtime.rt0_go)",
	  NULL, NULL, ONLY_DYNAMIC },
	{ "_rt0_amd64", { "_rt0_amd64" },
	  "argc is loaded into rdi and argv (rsp+8) into rsi", NULL, NULL, ALWAYS },
	{ "runtime.rt0_go", { "runtime.rt0_go" },
	  "argc/argv arrive in rdi/rsi; the stack gets aligned to 16", NULL, NULL, ALWAYS },
	{ "rt0_go.g0_stack", { NULL },
	  "g0.stack.lo/hi and the stack guards are carved from the OS stack", NULL, NULL, ALWAYS },
	{ "rt0_go.cpuid", { NULL },
	  "cpuid leaf 0: the vendor string in ebx/edx/ecx decides runtime.isIntel", NULL, NULL, ALWAYS },
	{ "rt0_go.cgo_init", { NULL },
	  "_cgo_init is set, so rt0_go calls it (x_cgo_init) instead of settls: g0's stack bounds come from the thread's stack, and fs stays libc's (g lives in its TLS block, at runtime.tlsg)",
	  NULL, NULL, ALWAYS },
	{ "rt0_go.settls", { NULL },
	  "rdi = &m0.tls[0]; fs_base is still 0",
	  "rdi = &m0.tls[0]; fs_base is still ld.so's thread control block", NULL, NOT_CGO },
	{ "runtime.settls", { "runtime.settls" },
	  "afterwards fs_base = &m0.tls[0] + 8 (arch_prctl ARCH_SET_FS)", NULL, NULL, NOT_CGO },
	{ "rt0_go.tls_check", { NULL },
	  "0x123 is stored through fs:-8 and must appear in m0.tls[0]", NULL, NULL, NOT_CGO },
	{ "rt0_go.wire", { NULL },
	  "fs:-8 = &g0; then m0.g0 = &g0 and g0.m = &m0", NULL,
	  "g's slot in libc's TLS block = &g0; then m0.g0 = &g0 and g0.m = &m0", ALWAYS },
	{ "runtime.check", { "runtime.check" },
	  "fs:-8 holds &g0 and g0.m is &m0", NULL,
	  "g's TLS slot holds &g0 and g0.m is &m0", ALWAYS },
	{ "runtime.args", { "runtime.args" },
	  "argc/argv are kept; the auxv gives the page size and AT_RANDOM", NULL, NULL, ALWAYS },
	{ "runtime.osinit", { "runtime.osinit" },
	  "ncpu comes from sched_getaffinity", NULL, NULL, ALWAYS },
	{ "runtime.schedinit", { "runtime.schedinit" },
	  "afterwards m0.id = 0, allp has GOMAXPROCS Ps and P0 is running on m0", NULL, NULL, ALWAYS },
	{ "runtime.newproc", { "runtime.newproc" },
	  "the funcval argument points at runtime.main; allgs has no goroutine yet", NULL, NULL, ALWAYS },
	{ "runtime.mstart", { "runtime.mstart" },
	  "g1 (runtime.main) waits in P0's runnext as _Grunnable", NULL, NULL, ALWAYS },
	{ "runtime.schedule", { "runtime.schedule" },
	  "the scheduler loop runs on g0's stack", NULL, NULL, ALWAYS },
	{ "runtime.findRunnable", { "runtime.findRunnable", "runtime.findrunnable" },
	  "runnext is taken first", NULL, NULL, ALWAYS },
	{ "runtime.execute", { "runtime.execute" },
	  "m.curg is set and the g becomes _Grunning", NULL, NULL, ALWAYS },
	{ "runtime.gogo", { "runtime.gogo" },
	  "the gobuf's sp and pc are loaded: the switch onto the goroutine's stack", NULL, NULL, ALWAYS },
	{ "runtime.main", { "runtime.main" },
	  "fs:-8 is g1, _Grunning on m0", NULL,
	  "g's TLS slot holds g1, _Grunning on m0", ALWAYS },
	{ "main.main", { "main.main" },
	  "user code, on goroutine 1", NULL, NULL, ALWAYS },
	{ "runtime.exit", { "runtime.exit" },
	  "exit_group with the status in rdi", NULL, NULL, ALWAYS },
};
/* clang-format on */

#define NCAT (sizeof(catalog) / sizeof(catalog[0]))

/* Thread-event stages: a new M, sysmon, system calls, stealing. */
/* clang-format off */
static const struct entry thread_catalog[] = {
	{ .name = "clone", .syms = { "runtime.clone", "runtime.clone.abi0" },
	  .check = "rdi = clone flags, rsi = the new g0's stack top, rdx = the new M, rcx = its g0; the thread gets fs_base = &m.tls[0] + 8" },
	{ .name = "sysmon", .syms = { "runtime.sysmon" },
	  .check = "the system monitor, on an M of its own without a P (m.p = 0)" },
	{ .name = "entersyscall", .syms = { "runtime.entersyscall" },
	  .check = "the goroutine becomes _Gsyscall and its P _Psyscall with no M (m.oldp keeps it)" },
	{ .name = "exitsyscall", .syms = { "runtime.exitsyscall" },
	  .check = "back from the kernel: the old P if sysmon did not retake it, else any idle P, else the global queue" },
	{ .name = "steal", .syms = { "runtime.runqsteal" },
	  .check = "rdi = the thief's P, rsi = the victim: half of its ring moves over" },
};
/* clang-format on */

#define NTHREAD (sizeof(thread_catalog) / sizeof(thread_catalog[0]))

const char *const dbg_thread_stage_catalog[] = {
	"clone", "sysmon", "entersyscall", "exitsyscall", "steal",
};
const size_t dbg_thread_stage_catalog_len =
	sizeof(dbg_thread_stage_catalog) / sizeof(dbg_thread_stage_catalog[0]);
_Static_assert(sizeof(dbg_thread_stage_catalog) / sizeof(dbg_thread_stage_catalog[0]) == NTHREAD,
	       "the exported thread catalog lists every entry");

const char *const dbg_stage_catalog[] = {
	"ld.so",
	"_rt0_amd64_linux",
	"_start",
	"main",
	"_rt0_amd64",
	"runtime.rt0_go",
	"rt0_go.g0_stack",
	"rt0_go.cpuid",
	"rt0_go.cgo_init",
	"rt0_go.settls",
	"runtime.settls",
	"rt0_go.tls_check",
	"rt0_go.wire",
	"runtime.check",
	"runtime.args",
	"runtime.osinit",
	"runtime.schedinit",
	"runtime.newproc",
	"runtime.mstart",
	"runtime.schedule",
	"runtime.findRunnable",
	"runtime.execute",
	"runtime.gogo",
	"runtime.main",
	"main.main",
	"runtime.exit",
};
const size_t dbg_stage_catalog_len = sizeof(dbg_stage_catalog) / sizeof(dbg_stage_catalog[0]);
_Static_assert(sizeof(dbg_stage_catalog) / sizeof(dbg_stage_catalog[0]) == NCAT,
	       "the exported catalog lists every entry");

const char *dbg_stage_short(const char *name)
{
	if (strncmp(name, "runtime.", 8) == 0)
		return name + 8;
	if (strncmp(name, "rt0_go.", 7) == 0)
		return name + 7;
	return name;
}

/* Sub-stage addresses found by decoding rt0_go; 0 when not found. */
struct substages {
	uint64_t g0_stack, cpuid, cgo_init, settls, tls_check, wire;
	bool tls_g_found; /* the g slot's offset from fs_base (tls_g) was seen */
	int64_t tls_g;
	uint64_t cgo_init_ptr; /* the global the cgo_init call goes through */
};

static bool in_g0(uint64_t a, uint64_t g0, uint64_t g0size)
{
	return g0 && a >= g0 && a < g0 + g0size;
}

/* Registers known to hold a constant (mov $imm, reg), for fs-relative
 * accesses through a register: a PIE's rt0_go reaches g's slot by
 * mov $-8, %rbx; movq $0x123, %fs:(%rbx). */
struct consts {
	bool known[DBG_REG_OTHER + 1];
	int64_t v[DBG_REG_OTHER + 1];
};

/* The offset from fs_base that o addresses, when o is fs-relative and the
 * offset is known. */
static bool fs_offset(const struct dbg_operand *o, const struct consts *k, int64_t *off)
{
	if (!o || o->type != DBG_OP_MEM || o->mem.seg != DBG_REG_FS || o->mem.index != DBG_REG_NONE)
		return false;
	if (o->mem.base == DBG_REG_NONE) {
		*off = o->mem.disp;
		return true;
	}
	if (o->mem.base <= DBG_REG_OTHER && k->known[o->mem.base]) {
		*off = k->v[o->mem.base] + o->mem.disp;
		return true;
	}
	return false;
}

static void find_substages(const struct dbg_elf *elf, struct dbg_disasm *dis, struct substages *ss)
{
	memset(ss, 0, sizeof(*ss));
	const struct dbg_sym *rt0 = dbg_elf_find(elf, "runtime.rt0_go");
	if (!rt0)
		return;
	uint64_t g0 = 0, g0size = 0;
	const struct dbg_sym *g0sym = dbg_elf_find(elf, "runtime.g0");
	if (g0sym) {
		g0 = g0sym->addr;
		g0size = g0sym->size ? g0sym->size : 512;
	}
	uint64_t settls = 0;
	dbg_elf_lookup(elf, "runtime.settls", &settls);
	/* Go's rt0_go calls the .abi0 body; either symbol counts. */
	const struct dbg_sym *settls_abi0 = dbg_elf_find(elf, "runtime.settls.abi0");

	size_t len = rt0->size ? rt0->size : 2048;
	if (len > 8192)
		len = 8192;
	uint8_t *code = malloc(len);
	if (!code)
		return;
	if (dbg_elf_read(elf, rt0->addr, code, len, NULL) < 0) {
		free(code);
		return;
	}
	/* registers currently holding an address inside g0 */
	bool holds_g0[DBG_REG_OTHER + 1] = { false };
	struct consts k = { 0 };
	uint64_t loaded_from[DBG_REG_OTHER + 1] = { 0 }; /* mov GLOBAL(%rip), reg */
	size_t pos = 0;
	struct dbg_insn in;
	while (pos < len &&
	       dbg_disasm_one(dis, code + pos, len - pos, rt0->addr + pos, &in, NULL) == 0) {
		pos += in.size;
		const struct dbg_operand *dst = dbg_insn_dst(&in);
		const struct dbg_operand *src = in.nops >= 2 ? &in.op[0] : NULL;

		if (!ss->cpuid && strcmp(in.mnemonic, "cpuid") == 0)
			ss->cpuid = in.addr;
		if (!ss->settls && in.is_call && in.target &&
		    (in.target == settls || (settls_abi0 && in.target == settls_abi0->addr)))
			ss->settls = in.addr;

		bool store = dst && dst->type == DBG_OP_MEM && dst->write &&
			     strncmp(in.mnemonic, "lea", 3) != 0;
		if (store && !ss->g0_stack) {
			bool hit = in_g0(dst->mem.addr, g0, g0size);
			if (!hit && dst->mem.base != DBG_REG_NONE &&
			    dst->mem.index == DBG_REG_NONE && dst->mem.seg == DBG_REG_NONE &&
			    dst->mem.base <= DBG_REG_OTHER && holds_g0[dst->mem.base])
				hit = true;
			if (hit)
				ss->g0_stack = in.addr;
		}
		/* 0x123 stored through fs: the slot of g, wherever the
		 * binary keeps it (fs:-8 when Go set fs_base itself) */
		int64_t off;
		if (store && fs_offset(dst, &k, &off)) {
			if (!ss->tls_check && src && src->type == DBG_OP_IMM && src->imm == 0x123) {
				ss->tls_check = in.addr;
				ss->tls_g = off;
				ss->tls_g_found = true;
			} else if (ss->tls_check && !ss->wire && off == ss->tls_g) {
				ss->wire = in.addr;
			}
		}
		/* if _cgo_init != nil { call it }: an indirect call through a
		 * register loaded from a global, before settls */
		if (!ss->cgo_init && !ss->settls && in.is_call && !in.target && in.nops >= 1 &&
		    in.op[0].type == DBG_OP_REG && in.op[0].reg <= DBG_REG_OTHER &&
		    loaded_from[in.op[0].reg]) {
			ss->cgo_init = in.addr;
			ss->cgo_init_ptr = loaded_from[in.op[0].reg];
		}

		/* track registers loaded with g0's address; without a symbol
		 * table (symbols from Go's pclntab name no data) g0 is the
		 * first address rt0_go loads into a register, as Go's
		 * MOVQ $runtime·g0(SB), DI does */
		if (dst && dst->type == DBG_OP_REG && dst->reg <= DBG_REG_OTHER) {
			bool loads_g0 = false;
			if (!g0sym && !g0 && src && strncmp(in.mnemonic, "lea", 3) == 0 &&
			    src->type == DBG_OP_MEM && src->mem.base == DBG_REG_RIP)
				g0 = src->mem.addr, g0size = 512;
			else if (!g0sym && !g0 && src && strncmp(in.mnemonic, "mov", 3) == 0 &&
				 src->type == DBG_OP_IMM && src->imm > 0x10000)
				g0 = (uint64_t)src->imm, g0size = 512;
			if (src && strncmp(in.mnemonic, "lea", 3) == 0 && src->type == DBG_OP_MEM)
				loads_g0 = in_g0(src->mem.addr, g0, g0size);
			else if (src && strncmp(in.mnemonic, "mov", 3) == 0 &&
				 src->type == DBG_OP_IMM)
				loads_g0 = in_g0((uint64_t)src->imm, g0, g0size);
			holds_g0[dst->reg] = loads_g0;
		}
		if (dst && dst->type == DBG_OP_REG && dst->write && dst->reg <= DBG_REG_OTHER) {
			bool imm = src && src->type == DBG_OP_IMM &&
				   strncmp(in.mnemonic, "mov", 3) == 0;
			k.known[dst->reg] = imm;
			k.v[dst->reg] = imm ? src->imm : 0;
			loaded_from[dst->reg] =
				src && src->type == DBG_OP_MEM &&
						strncmp(in.mnemonic, "mov", 3) == 0 &&
						src->mem.base == DBG_REG_RIP ?
					src->mem.addr :
					0;
		}
		if (in.is_call) {
			memset(holds_g0, 0, sizeof(holds_g0));
			memset(&k, 0, sizeof(k));
			memset(loaded_from, 0, sizeof(loaded_from));
		}
		if (ss->g0_stack && ss->cpuid && ss->settls && ss->tls_check && ss->wire)
			break;
	}
	free(code);
}

static const struct dbg_stages *sort_st;
/* The bit of dbg_stages.filter for addr. */
static unsigned filter_bit(uint64_t addr)
{
	return (unsigned)((addr * 0x9e3779b97f4a7c15ull) >> 56);
}

static int cmp_by_addr(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	uint64_t x = sort_st->v[i].addr, y = sort_st->v[j].addr;
	if (x != y)
		return x < y ? -1 : 1;
	return i < j ? -1 : i > j;
}

int dbg_stages_build(struct dbg_stages *st, const struct dbg_elf *elf, struct dbg_disasm *dis,
		     uint64_t interp_entry, struct dbg_err *err)
{
	memset(st, 0, sizeof(*st));
	st->v = calloc(NCAT, sizeof(*st->v));
	st->by_addr = calloc(NCAT, sizeof(*st->by_addr));
	st->thread = calloc(NTHREAD, sizeof(*st->thread));
	if (!st->v || !st->by_addr || !st->thread) {
		dbg_stages_release(st);
		return dbg_err_errno(err, -ENOMEM, "cannot build the stage catalog");
	}
	struct substages ss;
	find_substages(elf, dis, &ss);
	const struct dbg_sym *rt0 = dbg_elf_find(elf, "runtime.rt0_go");
	bool dynamic = dbg_elf_interp(elf) != NULL;
	/* rt0_go takes the cgo path when the pointer it calls through is
	 * set in the file (x_cgo_init); without cgo it is zero (.bss) */
	uint64_t fn = 0;
	st->cgo = ss.cgo_init && dbg_elf_read(elf, ss.cgo_init_ptr, &fn, sizeof(fn), NULL) == 0 &&
		  fn != 0;
	/* g's slot: where libc's TLS layout puts runtime.tlsg, else where
	 * rt0_go's 0x123 check stores, else Go's own fs:-8 */
	if (dbg_elf_tls_g(elf, &st->tls_g) < 0)
		st->tls_g = ss.tls_g_found ? ss.tls_g : -8;

	for (size_t i = 0; i < NCAT; i++) {
		const struct entry *c = &catalog[i];
		if ((c->when == NOT_CGO && st->cgo) || (c->when == ONLY_DYNAMIC && !dynamic))
			continue;
		struct dbg_stage s = { .name = c->name, .check = c->check };
		if (st->cgo && c->check_cgo)
			s.check = c->check_cgo;
		else if (dynamic && c->check_dyn)
			s.check = c->check_dyn;
		if (c->syms[0]) {
			const struct dbg_sym *sym = NULL;
			for (size_t k = 0; k < 3 && c->syms[k] && !sym; k++)
				sym = dbg_elf_find(elf, c->syms[k]);
			if (!sym)
				continue;
			s.symbol = sym->name;
			s.addr = sym->addr;
		} else if (strcmp(c->name, "ld.so") == 0) {
			if (!interp_entry)
				continue;
			s.symbol = dbg_elf_interp(elf);
			s.addr = interp_entry;
		} else {
			const char *n = c->name + 7;
			uint64_t a = strcmp(n, "g0_stack") == 0  ? ss.g0_stack :
				     strcmp(n, "cpuid") == 0     ? ss.cpuid :
				     strcmp(n, "cgo_init") == 0  ? (st->cgo ? ss.cgo_init : 0) :
				     strcmp(n, "settls") == 0    ? ss.settls :
				     strcmp(n, "tls_check") == 0 ? ss.tls_check :
				     strcmp(n, "wire") == 0      ? ss.wire :
								   0;
			if (!a || !rt0)
				continue;
			s.symbol = rt0->name;
			s.addr = a;
		}
		st->v[st->n++] = s;
	}
	for (size_t i = 0; i < NTHREAD; i++) {
		const struct entry *c = &thread_catalog[i];
		const struct dbg_sym *sym = NULL;
		for (size_t k = 0; k < 3 && c->syms[k] && !sym; k++)
			sym = dbg_elf_find(elf, c->syms[k]);
		if (sym)
			st->thread[st->nthread++] = (struct dbg_stage){
				.name = c->name,
				.symbol = sym->name,
				.addr = sym->addr,
				.check = c->check,
			};
	}
	for (size_t i = 0; i < st->n; i++)
		st->by_addr[i] = i;
	sort_st = st;
	qsort(st->by_addr, st->n, sizeof(size_t), cmp_by_addr);
	sort_st = NULL;
	memset(st->filter, 0, sizeof(st->filter));
	for (size_t i = 0; i < st->n; i++) {
		unsigned h = filter_bit(st->v[i].addr);
		st->filter[h / 64] |= 1ull << (h % 64);
	}
	return 0;
}

void dbg_stages_release(struct dbg_stages *st)
{
	free(st->v);
	free(st->by_addr);
	free(st->thread);
	memset(st, 0, sizeof(*st));
}

static bool name_eq(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	/* Go renamed findrunnable to findRunnable in 1.19. */
	return strcasecmp(a, "runtime.findRunnable") == 0 &&
	       strcasecmp(b, "runtime.findRunnable") == 0;
}

int dbg_stages_find(const struct dbg_stages *st, const char *name)
{
	char buf[128];
	size_t len = strlen(name);
	if (len > 5 && strcmp(name + len - 5, ".abi0") == 0 && len - 5 < sizeof(buf)) {
		memcpy(buf, name, len - 5);
		buf[len - 5] = '\0';
		name = buf;
	}
	for (size_t i = 0; i < st->n; i++)
		if (name_eq(st->v[i].name, name))
			return (int)i;
	for (size_t i = 0; i < st->n; i++) {
		const char *s = dbg_stage_short(st->v[i].name);
		if (strcmp(s, name) == 0 ||
		    (strcasecmp(s, "findRunnable") == 0 && strcasecmp(name, "findRunnable") == 0))
			return (int)i;
	}
	return -1;
}

int dbg_stages_at(const struct dbg_stages *st, uint64_t addr)
{
	unsigned h = filter_bit(addr);
	if (!(st->filter[h / 64] & (1ull << (h % 64))))
		return -1;
	size_t lo = 0, hi = st->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->v[st->by_addr[mid]].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || st->v[st->by_addr[lo - 1]].addr != addr)
		return -1;
	return (int)st->by_addr[lo - 1];
}

int dbg_stages_thread_find(const struct dbg_stages *st, const char *name)
{
	size_t len = strlen(name);
	size_t cut = len > 5 && strcmp(name + len - 5, ".abi0") == 0 ? len - 5 : len;
	for (size_t i = 0; i < st->nthread; i++) {
		const char *sym = st->thread[i].symbol;
		size_t sl = strlen(sym);
		if (sl > 5 && strcmp(sym + sl - 5, ".abi0") == 0)
			sl -= 5;
		if (strcmp(st->thread[i].name, name) == 0 ||
		    (sl == cut && strncmp(sym, name, cut) == 0))
			return (int)i;
	}
	return -1;
}

int dbg_stages_thread_at(const struct dbg_stages *st, uint64_t addr)
{
	for (size_t i = 0; i < st->nthread; i++)
		if (st->thread[i].addr == addr)
			return (int)i;
	return -1;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 64;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

size_t dbg_stages_suggest(const struct dbg_stages *st, const char *name, const char **out,
			  size_t max)
{
	size_t dist[NCAT];
	size_t idx[NCAT];
	size_t n = 0;
	size_t limit = strlen(name) / 2;
	if (limit < 3)
		limit = 3;
	for (size_t i = 0; i < st->n; i++) {
		size_t a = edit_distance(name, st->v[i].name);
		size_t b = edit_distance(name, dbg_stage_short(st->v[i].name));
		size_t d = a < b ? a : b;
		if (d > limit)
			continue;
		size_t k = n++;
		while (k > 0 && dist[k - 1] > d) {
			dist[k] = dist[k - 1];
			idx[k] = idx[k - 1];
			k--;
		}
		dist[k] = d;
		idx[k] = i;
	}
	size_t count = n < max ? n : max;
	for (size_t i = 0; i < count; i++)
		out[i] = st->v[idx[i]].name;
	return count;
}
