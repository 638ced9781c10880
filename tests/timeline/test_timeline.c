/*
 * timeline: the state rebuilt from the record at recorded steps, against
 * the same process read live at those steps, a fresh run stepped there,
 * gdb, and a saved recording replayed without a process; the ring limit;
 * continue in full mode; going back after the program ended.
 */
#include "testlib.h"

#include <cpuid.h>
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "dwarf.h"
#include "rt.h"
#include "session.h"
#include "timeline.h"

#define PAGE 4096u

static const char *hello(void)
{
	return t_env("HELLO");
}

static struct dbg_session *open_tl(const char *path, bool timeline)
{
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	if (timeline) {
		struct dbg_timeline *tl;
		T_OK(dbg_tl_new(&tl, &err), err);
		dbg_session_set_timeline(s, tl);
	}
	return s;
}

static void start(struct dbg_session *s)
{
	struct dbg_stop stop;
	struct dbg_err err;
	char *const argv[] = { (char *)dbg_session_path(s), NULL };
	char *const envp[] = { "BOOTSCOPE_TEST=1", NULL };
	int rc = dbg_session_start(s, argv, envp, NULL, &stop, &err);
	if (rc == -EPERM || rc == -EACCES)
		T_SKIP("ptrace refused: %s", err.msg);
	T_OK(rc, err);
	T_EQ_INT(stop.reason, DBG_STOP_ENTRY);
}

static void stepi(struct dbg_session *s, uint64_t n)
{
	struct dbg_stop stop;
	struct dbg_err err;
	if (n == 0)
		return;
	T_OK(dbg_session_stepi(s, n, &stop, &err), err);
	if (stop.reason != DBG_STOP_STEP)
		T_FAIL("stepi %" PRIu64 " stopped: %s", n, dbg_stop_reason_name(stop.reason));
}

/* Instructions hello runs from its entry to its exit, stepped alone. */
static uint64_t boot_steps(void)
{
	struct dbg_session *s = open_tl(hello(), false);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s);
	T_OK(dbg_session_stepi(s, UINT64_MAX, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	uint64_t n = dbg_session_steps(s);
	dbg_session_free(s);
	T_GE_INT(n, 1000);
	return n;
}

/* ---- snapshots of the live process --------------------------------------- */

struct snap {
	uint64_t step;
	struct dbg_regs regs;
	size_t n;
	uint64_t *addr;
	uint8_t *data; /* n pages */
};

/* Registers and every readable page of the writable private mappings. */
static void snap_take(struct dbg_session *s, struct snap *sn)
{
	struct dbg_map *maps;
	size_t nmaps;
	struct dbg_err err;
	memset(sn, 0, sizeof(*sn));
	sn->step = dbg_session_steps(s);
	sn->regs = *dbg_session_regs(s);
	T_OK(dbg_proc_maps(dbg_session_pid(s), &maps, &nmaps, &err), err);
	size_t cap = 0;
	for (size_t i = 0; i < nmaps; i++) {
		const struct dbg_map *m = &maps[i];
		if (!m->w || m->shared || strcmp(m->name, "[vvar]") == 0 ||
		    m->end - m->start > (64u << 20))
			continue;
		for (uint64_t a = m->start; a < m->end; a += PAGE) {
			if (sn->n == cap) {
				cap = cap ? cap * 2 : 256;
				sn->addr = realloc(sn->addr, cap * sizeof(*sn->addr));
				sn->data = realloc(sn->data, cap * PAGE);
				if (!sn->addr || !sn->data)
					abort();
			}
			if (dbg_session_read(s, a, sn->data + sn->n * PAGE, PAGE, NULL) < 0)
				continue;
			sn->addr[sn->n++] = a;
		}
	}
	free(maps);
}

static void snap_free(struct snap *sn)
{
	free(sn->addr);
	free(sn->data);
}

static void regs_equal(const struct dbg_regs *got, const struct dbg_regs *want, const char *what,
		       uint64_t step)
{
	for (size_t i = 0; i < dbg_regs_count; i++) {
		uint64_t a = *(const uint64_t *)((const char *)got + dbg_regs_table[i].offset);
		uint64_t b = *(const uint64_t *)((const char *)want + dbg_regs_table[i].offset);
		if (a != b)
			T_FAIL("%s, step %" PRIu64 ": %s is 0x%" PRIx64 ", live 0x%" PRIx64, what,
			       step, dbg_regs_table[i].name, a, b);
	}
}

/* The session (showing the snapshot's step from its record) reads what
 * the process held then: registers and every page. */
static void snap_check(struct dbg_session *s, const struct snap *sn, const char *what)
{
	struct dbg_err err;
	uint8_t page[PAGE];
	T_EQ_INT(dbg_session_steps(s), sn->step);
	regs_equal(dbg_session_regs(s), &sn->regs, what, sn->step);
	for (size_t i = 0; i < sn->n; i++) {
		T_OK(dbg_session_read(s, sn->addr[i], page, PAGE, &err), err);
		const uint8_t *want = sn->data + i * PAGE;
		for (size_t k = 0; k < PAGE; k++)
			if (page[k] != want[k]) {
				char sym[128];
				dbg_session_symbolize(s, sn->addr[i] + k, sym, sizeof(sym));
				T_FAIL("%s, step %" PRIu64 ": byte at 0x%" PRIx64
				       " (%s) is 0x%02x, live 0x%02x",
				       what, sn->step, sn->addr[i] + k, sym, page[k], want[k]);
			}
	}
}

static void go(struct dbg_session *s, uint64_t step)
{
	struct dbg_stop stop;
	struct dbg_err err;
	T_OK(dbg_session_goto(s, step, &stop, &err), err);
	T_EQ_INT(stop.pc, dbg_session_regs(s)->rip);
}

static void tmpname(char *buf, size_t n, const char *what)
{
	snprintf(buf, n, "/tmp/bootscope-tl-%d-%s.bstl", (int)getpid(), what);
}

/*
 * Record the whole run of hello; at steps spread over it, keep what the
 * process holds (registers, all writable memory). Then the record, shown at
 * each of those steps — going back from the live end, and replayed from a
 * saved file without a process — must read the same, byte for byte.
 */
static void test_record_matches_live(void)
{
	uint64_t total = boot_steps();
	enum { NS = 24 };
	struct snap sn[NS + 1];
	struct dbg_session *s = open_tl(hello(), true);
	struct dbg_err err;
	start(s);
	for (size_t i = 0; i <= NS; i++) {
		uint64_t at = i == NS ? total - 1 : (total - 1) * i / NS;
		stepi(s, at - dbg_session_steps(s));
		snap_take(s, &sn[i]);
	}
	struct dbg_timeline *tl = dbg_session_timeline(s);
	struct dbg_tl_info in;
	dbg_tl_info(tl, &in);
	T_EQ_INT(in.first, 0);
	T_EQ_INT(in.last, total - 1);
	T_FALSE(in.history);
	/* back from the live end, out of order */
	for (size_t k = 0; k <= NS; k++) {
		size_t i = (k * 7) % (NS + 1);
		go(s, sn[i].step);
		snap_check(s, &sn[i], "going back");
	}
	go(s, total - 1);
	T_FALSE(dbg_tl_active(tl));
	char path[128];
	tmpname(path, sizeof(path), "live");
	T_OK(dbg_session_record_save(s, path, &err), err);
	dbg_session_free(s);

	/* the saved recording, without a process */
	char prog[4096];
	struct dbg_timeline *rt;
	T_OK(dbg_tl_load(&rt, path, prog, sizeof(prog), &err), err);
	unlink(path);
	T_EQ_STR(prog, hello());
	struct dbg_session *r = open_tl(prog, false);
	dbg_session_set_timeline(r, rt);
	T_TRUE(dbg_session_running(r));
	T_EQ_INT(dbg_session_pid(r), 0);
	for (size_t k = 0; k <= NS; k++) {
		size_t i = (k * 5) % (NS + 1);
		go(r, sn[i].step);
		snap_check(r, &sn[i], "replaying");
	}
	dbg_session_free(r);
	for (size_t i = 0; i <= NS; i++)
		snap_free(&sn[i]);
}

/* ---- every kind of write -------------------------------------------------- */

static bool in_sym(struct dbg_session *s, const char *name, uint64_t a)
{
	const struct dbg_sym *sym = dbg_elf_find(dbg_session_elf(s), name);
	return sym && a >= sym->addr && a < sym->addr + 16;
}

/*
 * targets/writes.S writes memory every way the timeline must see. Record
 * its whole run; then at every step the record must read, page for page,
 * what a fresh run stepped alongside reads (the clock and random buffers
 * and AT_RANDOM's bytes aside, which differ between runs), and a saved
 * recording replayed to the last step must read all of the recording
 * run's memory.
 */
static void test_every_write_kind(void)
{
	const char *prog = t_env("WRITES");
	struct dbg_session *s = open_tl(prog, true), *f = open_tl(prog, false);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s);
	T_OK(dbg_session_stepi(s, UINT64_MAX, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	uint64_t last = dbg_session_steps(s);
	start(s);
	stepi(s, last);
	struct snap end;
	snap_take(s, &end);
	struct dbg_tl_info in;
	dbg_tl_info(dbg_session_timeline(s), &in);
	printf("%" PRIu64 " steps, %" PRIu64 " writes kept, %zu bytes\n", last, in.writes,
	       in.record_bytes);

	start(f);
	/* the kernel's 16 random bytes for AT_RANDOM differ between runs */
	uint64_t auxv[64][2], at_random = 0;
	int na = dbg_proc_auxv(dbg_session_pid(f), auxv, 64, &err);
	T_OK(na, err);
	for (int i = 0; i < na; i++)
		if (auxv[i][0] == 25)
			at_random = auxv[i][1];
	T_NE_HEX(at_random, 0);
	uint8_t page[PAGE];
	for (uint64_t k = 0; k <= last; k++) {
		struct snap fr;
		snap_take(f, &fr);
		go(s, k);
		regs_equal(dbg_session_regs(s), &fr.regs, "writes.S", k);
		for (size_t i = 0; i < fr.n; i++) {
			T_OK(dbg_session_read(s, fr.addr[i], page, PAGE, &err), err);
			for (size_t b = 0; b < PAGE; b++) {
				uint64_t a = fr.addr[i] + b;
				if (page[b] != fr.data[i * PAGE + b] && !in_sym(s, "ts", a) &&
				    !in_sym(s, "rnd", a) &&
				    (a < at_random || a >= at_random + 16)) {
					struct dbg_insn insn;
					go(s, k ? k - 1 : 0);
					dbg_session_disasm(s, dbg_session_regs(s)->rip, 1, &insn,
							   NULL);
					T_FAIL("step %" PRIu64 " (after %s %s): byte at 0x%" PRIx64
					       " is 0x%02x, a fresh run reads 0x%02x",
					       k, insn.mnemonic, insn.ops, a, page[b],
					       fr.data[i * PAGE + b]);
				}
			}
		}
		snap_free(&fr);
		if (k < last)
			stepi(f, 1);
	}
	char path[128], prog2[4096];
	tmpname(path, sizeof(path), "writes");
	T_OK(dbg_session_record_save(s, path, &err), err);
	struct dbg_timeline *rt;
	T_OK(dbg_tl_load(&rt, path, prog2, sizeof(prog2), &err), err);
	unlink(path);
	struct dbg_session *r = open_tl(prog2, false);
	dbg_session_set_timeline(r, rt);
	go(r, last);
	snap_check(r, &end, "writes.S replayed");
	go(r, 0);
	go(r, last);
	snap_check(r, &end, "writes.S replayed there and back");
	snap_free(&end);
	dbg_session_free(r);
	dbg_session_free(s);
	dbg_session_free(f);
}

/* ---- the views, against a fresh run ---------------------------------------- */

struct bytes {
	uint8_t *p;
	size_t n;
};

static void put(struct bytes *b, const void *p, size_t n)
{
	b->p = realloc(b->p, b->n + n);
	if (!b->p)
		abort();
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void put_mem(struct dbg_session *s, struct bytes *b, uint64_t addr, size_t n)
{
	uint8_t *buf = calloc(1, n);
	if (!buf)
		abort();
	dbg_session_read(s, addr, buf, n, NULL); /* unreadable: zeros, on both sides */
	put(b, buf, n);
	free(buf);
}

static uint64_t sym_size(struct dbg_session *s, const char *name, uint64_t *addr)
{
	const struct dbg_sym *sym = dbg_elf_find(dbg_session_elf(s), name);
	if (!sym)
		T_SETUP_FAIL("no symbol %s", name);
	*addr = sym->addr;
	return sym->size ? sym->size : 8;
}

/* What the views show at the current step, as bytes: the registers, a
 * stack window at rsp, g0, m0, sched, allgs and its gs, and P0. */
static void views(struct dbg_session *s, struct bytes *b)
{
	const struct dbg_regs *r = dbg_session_regs(s);
	const struct dbg_type *gt = dbg_rt_type(s, "g"), *pt = dbg_rt_type(s, "p");
	uint64_t a, n, v[3];
	if (!gt || !pt)
		T_SETUP_FAIL("hello has no DWARF types g and p");
	memset(b, 0, sizeof(*b));
	put(b, r, sizeof(*r));
	put_mem(s, b, r->rsp, 64 * 8);
	n = sym_size(s, "runtime.g0", &a);
	put_mem(s, b, a, n);
	n = sym_size(s, "runtime.m0", &a);
	put_mem(s, b, a, n);
	n = sym_size(s, "runtime.sched", &a);
	put_mem(s, b, a, n);
	sym_size(s, "runtime.allgs", &a);
	memset(v, 0, sizeof(v));
	dbg_session_read(s, a, v, sizeof(v), NULL);
	put(b, v, sizeof(v));
	for (uint64_t i = 0; i < v[1] && i < 8; i++) {
		uint64_t g = 0;
		dbg_session_read_u64(s, v[0] + 8 * i, &g, NULL);
		put_mem(s, b, g, gt->size);
	}
	sym_size(s, "runtime.allp", &a);
	uint64_t allp = 0, p0 = 0;
	dbg_session_read_u64(s, a, &allp, NULL);
	if (allp)
		dbg_session_read_u64(s, allp, &p0, NULL);
	if (p0)
		put_mem(s, b, p0, pt->size);
}

/*
 * Whether the 8-byte words at w of x and y differ only in the top byte of
 * a 32-bit EBX of CPUID leaf 1: its initial APIC id changes from run to
 * run under a hypervisor, even on one CPU, and the runtime's registers and
 * stack keep it. The other 24 bits are this machine's, read here.
 */
static bool cpuid_ebx_word(const uint8_t *x, const uint8_t *y, size_t n, size_t w)
{
	unsigned eax, ebx, ecx, edx;
	if (w + 8 > n || !__get_cpuid(1, &eax, &ebx, &ecx, &edx))
		return false;
	bool apic = false;
	for (size_t h = 0; h < 8; h += 4) {
		uint32_t u, v;
		memcpy(&u, x + w + h, 4);
		memcpy(&v, y + w + h, 4);
		if (u == v)
			continue;
		if ((u & 0xffffff) != (ebx & 0xffffff) || (v & 0xffffff) != (ebx & 0xffffff))
			return false;
		apic = true;
	}
	return apic;
}

static void fresh_views(uint64_t step, struct bytes *b)
{
	struct dbg_session *s = open_tl(hello(), false);
	start(s);
	stepi(s, step);
	views(s, b);
	dbg_session_free(s);
}

/*
 * At steps spread over the boot, the views rebuilt from the record equal
 * those of a fresh run stepped there (stepi N). Four fresh runs are taken,
 * two before the recording and two after it: 8-byte words where even they
 * differ (AT_RANDOM, clock readings, thread ids, a g's random trackingSeq
 * byte) are left out, and there must be few of them. A clock reading of
 * the recorded run falls between theirs; a random byte that all four
 * runs draw alike by chance is one in 2^24.
 */
static void test_fresh_run_views(void)
{
	enum { K = 10, FRESH = 4 };
	uint64_t total = boot_steps();
	struct bytes fresh[K][FRESH];
	for (int k = 1; k <= K; k++)
		for (int f = 0; f < FRESH / 2; f++)
			fresh_views((total - 1) * (uint64_t)k / K, &fresh[k - 1][f]);
	struct dbg_session *s = open_tl(hello(), true);
	start(s);
	stepi(s, total - 1);
	for (int k = 1; k <= K; k++) {
		uint64_t step = (total - 1) * (uint64_t)k / K;
		struct bytes *fr = fresh[k - 1], r;
		for (int f = FRESH / 2; f < FRESH; f++)
			fresh_views(step, &fr[f]);
		const struct bytes *a = &fr[0];
		go(s, step);
		views(s, &r);
		size_t masked = 0;
		T_EQ_INT(r.n, a->n);
		for (int f = 1; f < FRESH; f++)
			T_EQ_INT(fr[f].n, a->n);
		for (size_t i = 0; i < a->n; i++) {
			/* a word that differs anywhere between fresh runs (a
			 * thread id, a clock reading) is left out whole */
			size_t w = i & ~(size_t)7, len = w + 8 <= a->n ? 8 : a->n - w;
			bool varies = false;
			for (int f = 1; f < FRESH; f++)
				varies |= memcmp(a->p + w, fr[f].p + w, len) != 0;
			if (varies) {
				masked++;
				continue;
			}
			if (r.p[i] != a->p[i] && !cpuid_ebx_word(r.p, a->p, a->n, w))
				T_FAIL("step %" PRIu64
				       ": view byte %zu is 0x%02x, a fresh run reads 0x%02x",
				       step, i, r.p[i], a->p[i]);
		}
		printf("step %" PRIu64 ": %zu view bytes equal, %zu differ between fresh runs\n",
		       step, a->n - masked, masked);
		T_TRUE(masked * 20 < a->n);
		for (int f = 0; f < FRESH; f++)
			free(fr[f].p);
		free(r.p);
	}
	dbg_session_free(s);
}

/*
 * gdb, as a second witness: at the k-th arrival at the pc of step N (k
 * counted in the record), gdb stopped by `break *PC` with an ignore count
 * reads the same pc, rsp, fs_base and words at rsp as the record shows at
 * step N. Breakpoints rather than `stepi N`: under a hypervisor that
 * emulates cpuid, gdb's single step over cpuid runs one instruction too far.
 */
static void test_gdb_witness(void)
{
	const char *gdb = getenv("GDB");
	if (!gdb)
		T_SKIP("gdb is not installed");
	struct dbg_session *s = open_tl(hello(), true);
	start(s);
	uint64_t main_at;
	T_EQ_INT(dbg_elf_lookup(dbg_session_elf(s), "runtime.main", &main_at), 0);
	/* up to runtime.main only one thread runs, under gdb too */
	size_t cap = 1 << 16, n = 0;
	uint64_t *pcs = malloc(cap * sizeof(*pcs));
	T_TRUE(pcs != NULL);
	pcs[n++] = dbg_session_regs(s)->rip;
	while (pcs[n - 1] != main_at) {
		T_TRUE(n < cap);
		stepi(s, 1);
		pcs[n++] = dbg_session_regs(s)->rip;
	}
	uint64_t last = n - 1;
	struct dbg_err err;
	const uint64_t at[] = { 1, 50, last / 3, last / 2, last - 1, last };
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		uint64_t pc = pcs[at[i]], before = 0;
		for (uint64_t j = 0; j < at[i]; j++)
			before += pcs[j] == pc;
		char cmd[2048], out[4096];
		snprintf(cmd, sizeof(cmd),
			 "env -i BOOTSCOPE_TEST=1 '%s' -nx -batch -ex 'set startup-with-shell off' "
			 "-ex 'unset environment LINES' -ex 'unset environment COLUMNS' "
			 "-ex 'break *0x%" PRIx64 "' -ex 'ignore 1 %" PRIu64 "' -ex run "
			 "-ex 'p/x $pc' -ex 'p/x $rsp' -ex 'p/x $fs_base' "
			 "-ex 'p/x *(long *)$rsp' -ex 'p/x *(long *)($rsp + 8)' '%s' 2>/dev/null"
			 " | sed -n 's/^\\$[0-9]* = \\(0x[0-9a-f]*\\).*/\\1/p'",
			 gdb, pc, before, hello());
		if (t_capture(cmd, out, sizeof(out)) != 0)
			T_SETUP_FAIL("gdb failed: %s", cmd);
		uint64_t v[5] = { 0 };
		char *p = out;
		for (int k = 0; k < 5 && *p; k++) {
			v[k] = strtoull(p, &p, 16);
			while (*p == '\n')
				p++;
		}
		go(s, at[i]);
		const struct dbg_regs *r = dbg_session_regs(s);
		uint64_t w[2];
		T_OK(dbg_session_read(s, r->rsp, w, sizeof(w), &err), err);
		printf("step %" PRIu64 " (arrival %" PRIu64 " at its pc): pc 0x%" PRIx64
		       " rsp 0x%" PRIx64 " (gdb: 0x%" PRIx64 " 0x%" PRIx64 ")\n",
		       at[i], before + 1, r->rip, r->rsp, v[0], v[1]);
		T_EQ_HEX(r->rip, v[0]);
		T_EQ_HEX(r->rsp, v[1]);
		T_EQ_HEX(r->fs_base, v[2]);
		T_EQ_HEX(w[0], v[3]);
		T_EQ_HEX(w[1], v[4]);
	}
	free(pcs);
	dbg_session_free(s);
}

/* ---- moving through the record ------------------------------------------- */

/*
 * Stepping forward from history replays the record up to the live step and
 * then steps the process: the state after that equals a run that never
 * went back. A breakpoint stops the replay, in history.
 */
static void test_forward_from_history(void)
{
	struct dbg_session *s = open_tl(hello(), true), *f = open_tl(hello(), false);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s);
	start(f);
	stepi(s, 3000);
	struct snap at1000, at3500;
	go(s, 1000);
	T_TRUE(dbg_tl_active(dbg_session_timeline(s)));
	T_TRUE(dbg_session_running(s));
	stepi(s, 2500); /* 2000 replayed, 500 live */
	T_EQ_INT(dbg_session_steps(s), 3500);
	T_FALSE(dbg_tl_active(dbg_session_timeline(s)));
	stepi(f, 3500);
	regs_equal(dbg_session_regs(s), dbg_session_regs(f), "replayed into live", 3500);
	/* and the record goes on from there */
	snap_take(s, &at3500);
	stepi(s, 100);
	go(s, 3500);
	snap_check(s, &at3500, "recorded after the replay");
	snap_free(&at3500);

	/* a breakpoint at the pc of step 1000 stops the replay there */
	go(s, 1000);
	snap_take(s, &at1000);
	uint64_t pc = dbg_session_regs(s)->rip;
	go(s, 400);
	int id = dbg_session_break(s, pc, false, &err);
	T_OK(id, err);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
	T_EQ_INT(stop.bp_id, id);
	T_EQ_HEX(stop.pc, pc);
	T_TRUE(dbg_tl_active(dbg_session_timeline(s)));
	T_TRUE(dbg_session_steps(s) <= 1000);
	if (dbg_session_steps(s) == 1000)
		snap_check(s, &at1000, "stopped by a breakpoint while replaying");
	/* reverse-stepi stops at it too, after at least one step */
	go(s, 1003);
	T_OK(dbg_session_reverse_step(s, 100, false, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
	T_EQ_INT(dbg_session_steps(s), 1000);
	/* writing the past is refused */
	T_EQ_INT(dbg_session_set_reg(s, "rax", 1, &err), -EROFS);
	T_CONTAINS(err.msg, "history");
	snap_free(&at1000);
	dbg_session_free(s);
	dbg_session_free(f);
}

/*
 * reverse-continue stops, going back, at every step whose pc is a stage's
 * address, then at the first step: the same steps, in reverse, as a
 * forward walk of a fresh run finds one instruction at a time.
 */
static void test_reverse_continue(void)
{
	enum { N = 6000, MAXH = 4096 };
	static uint64_t want[MAXH], got[MAXH];
	size_t nw = 0, ng = 0;
	struct dbg_session *f = open_tl(hello(), false);
	start(f);
	const struct dbg_stages *st = dbg_session_stages(f);
	if (dbg_stages_at(st, dbg_session_regs(f)->rip) >= 0)
		want[nw++] = 0; /* the entry point is a stage */
	for (uint64_t i = 1; i <= N; i++) {
		stepi(f, 1);
		if (dbg_stages_at(st, dbg_session_regs(f)->rip) >= 0 && nw < MAXH && i < N)
			want[nw++] = i;
	}
	dbg_session_free(f);
	T_GE_INT(nw, 5);

	struct dbg_session *s = open_tl(hello(), true);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s);
	stepi(s, N);
	for (;;) {
		T_OK(dbg_session_reverse_cont(s, &stop, &err), err);
		if (stop.reason == DBG_STOP_NO_HISTORY)
			break;
		T_EQ_INT(stop.reason, DBG_STOP_STEP);
		T_TRUE(stop.stage >= 0);
		T_TRUE(ng < MAXH);
		got[ng++] = dbg_session_steps(s);
	}
	T_EQ_INT(dbg_session_steps(s), 0);
	T_EQ_INT(ng, nw);
	for (size_t i = 0; i < ng; i++)
		T_EQ_INT(got[i], want[nw - 1 - i]);
	/* the stage shown follows the step shown */
	go(s, want[1]);
	T_EQ_INT(dbg_session_current_stage(s),
		 dbg_stages_at(dbg_session_stages(s), dbg_session_regs(s)->rip));
	dbg_session_free(s);
}

/* A small limit keeps only the newest records; the oldest kept step is
 * rebuilt exactly from the base image the dropped records were folded
 * into. */
static void test_ring_limit(void)
{
	struct dbg_session *s = open_tl(hello(), true);
	struct dbg_timeline *tl = dbg_session_timeline(s);
	struct dbg_stop stop;
	struct dbg_err err;
	dbg_tl_set_limit(tl, 64 << 10);
	start(s);
	enum { NS = 6 };
	struct snap sn[NS];
	uint64_t total = boot_steps() - 1;
	for (int i = 0; i < NS; i++) {
		stepi(s, total - 3000 + 600 * (uint64_t)i - dbg_session_steps(s));
		snap_take(s, &sn[i]);
	}
	stepi(s, total - dbg_session_steps(s));
	struct dbg_tl_info in;
	dbg_tl_info(tl, &in);
	printf("limit 64 KiB: steps %" PRIu64 "..%" PRIu64 " kept, %" PRIu64 " folded, %zu bytes\n",
	       in.first, in.last, in.dropped, in.record_bytes);
	T_TRUE(in.dropped > 0);
	T_EQ_INT(in.first, in.dropped);
	T_TRUE(in.record_bytes <= 64 << 10);
	T_TRUE(in.first < total - 3000);
	for (int i = NS - 1; i >= 0; i--) {
		go(s, sn[i].step);
		snap_check(s, &sn[i], "with a small limit");
	}
	T_EQ_INT(dbg_session_goto(s, in.first - 1, &stop, &err), -ERANGE);
	T_CONTAINS(err.msg, "is not recorded");
	T_OK(dbg_session_reverse_step(s, UINT64_MAX, false, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_NO_HISTORY);
	T_EQ_INT(dbg_session_steps(s), in.first);
	for (int i = 0; i < NS; i++)
		snap_free(&sn[i]);
	dbg_session_free(s);
}

/*
 * Full mode: continue single-steps, so the run to main.main is recorded
 * instruction by instruction (as many as stepping there takes); after the
 * program exits its record stays, and going back into it works without a
 * process.
 */
static void test_full_mode_and_exit(void)
{
	struct dbg_session *f = open_tl(hello(), false);
	struct dbg_stop stop;
	struct dbg_err err;
	uint64_t main_main;
	start(f);
	T_EQ_INT(dbg_elf_lookup(dbg_session_elf(f), "main.main", &main_main), 0);
	T_OK(dbg_session_stepi_until(f, &main_main, 1, 10000000, &stop, &err), err);
	uint64_t to_main = dbg_session_steps(f);
	dbg_session_free(f);

	struct dbg_session *s = open_tl(hello(), true);
	struct dbg_timeline *tl = dbg_session_timeline(s);
	dbg_tl_set_full(tl, true);
	start(s);
	struct snap entry, mid;
	snap_take(s, &entry);
	T_OK(dbg_session_break(s, main_main, false, &err), err);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
	T_EQ_INT(dbg_session_steps(s), to_main);
	stepi(s, 200);
	snap_take(s, &mid);
	dbg_session_delete_all(s);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_FALSE(dbg_session_running(s));
	uint64_t last = dbg_session_steps(s);
	T_GE_INT(last, to_main + 200);

	T_OK(dbg_session_reverse_step(s, 1, false, &stop, &err), err);
	T_TRUE(dbg_session_running(s));
	T_EQ_INT(dbg_session_pid(s), 0);
	T_EQ_INT(dbg_session_steps(s), last - 1);
	go(s, mid.step);
	snap_check(s, &mid, "after the exit");
	go(s, 0);
	snap_check(s, &entry, "after the exit");
	/* forward to the end of the record: no more history */
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_NO_HISTORY);
	T_EQ_INT(dbg_session_steps(s), last);
	snap_free(&entry);
	snap_free(&mid);
	dbg_session_free(s);
}

/* Damaged recordings are refused with the file and the fault named. */
static void test_damaged_files(void)
{
	struct dbg_session *s = open_tl(hello(), true);
	struct dbg_err err;
	char path[128], bad[160], prog[4096];
	start(s);
	stepi(s, 500);
	tmpname(path, sizeof(path), "dmg");
	T_OK(dbg_session_record_save(s, path, &err), err);
	dbg_session_free(s);
	FILE *f = fopen(path, "rb");
	T_NOT_NULL(f);
	static uint8_t data[8 << 20];
	size_t n = fread(data, 1, sizeof(data), f);
	fclose(f);
	T_TRUE(n > 4096 && n < sizeof(data));
	unlink(path);
	struct {
		const char *what, *msg;
		size_t off; /* byte to change, or SIZE_MAX */
		uint8_t value;
		size_t len; /* bytes written */
	} cases[] = {
		{ "truncated", "truncated", SIZE_MAX, 0, n / 2 },
		{ "short", "truncated", SIZE_MAX, 0, 20 },
		{ "magic", "bad magic", 0, 'X', n },
		{ "version", "version 7 is not supported", 8, 7, n },
		{ "flipped", "checksum mismatch", n / 2, 0, n },
		{ "longer", "wrong size", SIZE_MAX, 0, n + 10 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(bad, sizeof(bad), "%s.%s", path, cases[i].what);
		uint8_t keep = 0;
		if (cases[i].off != SIZE_MAX) {
			keep = data[cases[i].off];
			data[cases[i].off] =
				cases[i].off == n / 2 ? (uint8_t)(keep ^ 0x10) : cases[i].value;
		}
		f = fopen(bad, "wb");
		T_NOT_NULL(f);
		fwrite(data, 1, cases[i].len, f);
		fclose(f);
		if (cases[i].off != SIZE_MAX)
			data[cases[i].off] = keep;
		struct dbg_timeline *tl = NULL;
		int rc = dbg_tl_load(&tl, bad, prog, sizeof(prog), &err);
		unlink(bad);
		printf("%s: %s\n", cases[i].what, err.msg);
		T_EQ_INT(rc, -EINVAL);
		T_NULL(tl);
		T_CONTAINS(err.msg, bad);
		T_CONTAINS(err.msg, cases[i].msg);
	}
}

/* The record's size per step over the boot (its speed is bench/'s business). */
static void test_record_size(void)
{
	uint64_t n = boot_steps() - 1;
	struct dbg_session *s = open_tl(hello(), true);
	start(s);
	stepi(s, n);
	struct dbg_tl_info in;
	dbg_tl_info(dbg_session_timeline(s), &in);
	dbg_session_free(s);
	double per = (double)in.record_bytes / (double)n;
	double mem = (double)(in.record_bytes + in.page_bytes + in.pages * 32) / (double)n;
	printf("record: %.2f bytes/step; with the base image %.2f bytes/step (%zu pages, %zu KiB "
	       "of data); %" PRIu64 " writes\n",
	       per, mem, in.pages, in.page_bytes / 1024, in.writes);
	T_EQ_INT(in.last - in.first, n);
	T_TRUE(per <= 64);
}

static const struct t_case cases[] = {
	T_CASE(test_record_matches_live),  T_CASE(test_every_write_kind),
	T_CASE(test_fresh_run_views),      T_CASE(test_gdb_witness),
	T_CASE(test_forward_from_history), T_CASE(test_reverse_continue),
	T_CASE(test_ring_limit),           T_CASE(test_full_mode_and_exit),
	T_CASE(test_damaged_files),        T_CASE(test_record_size),
};

int main(int argc, char **argv)
{
	/* every run on one CPU: cpuid reports the CPU's APIC id in rbx */
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	return t_main(argc, argv, cases, T_COUNT(cases));
}
