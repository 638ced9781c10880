/*
 * The engine's fast paths that the benchmarks rely on, checked against the
 * plain paths they replace: dbg_session_readv against dbg_session_read
 * (batched reads, breakpoints hidden, the first failure reported as a
 * single read would report it), dbg_session_stepi_each (one observer call
 * per step, inside the CPU pin), and dbg_rt_read's snapshot (the decode of
 * a long-lived struct dbg_rt, which fetches the last decode's objects in
 * one batch, against a fresh one at every step, and both against plain
 * reads of the fields), with the timeline recording too, where a decode is
 * kept as it is when the step wrote none of its bytes (and a write of the
 * debugger's own in between is seen).
 *
 * The words and code a stop reads kept from one stop to the next
 * (dbg_session_read_kept) against plain reads at every stop.
 *
 * And the line table read a unit at a time, as look-ups need them, against
 * the whole table read at once: every address of the text, on the bundled
 * hello and (GOHELLO, when Go is installed) a go1.19 hello.
 *
 * Needs HELLO: the bundled hello.
 */
#include "testlib.h"

#include <errno.h>
#include <sched.h>

#include "lines.h"
#include "rt.h"
#include "session.h"
#include "timeline.h"

static struct dbg_session *start_hello(struct dbg_stop *stop)
{
	const char *path = t_env("HELLO");
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	char *argv[2] = { (char *)path, NULL };
	int rc = dbg_session_start(s, argv, NULL, NULL, stop, &err);
	if (rc == -EPERM)
		T_SKIP("ptrace refused: %s", err.msg);
	T_OK(rc, err);
	return s;
}

static uint64_t sym(struct dbg_session *s, const char *name)
{
	uint64_t a = 0;
	if (dbg_elf_lookup(dbg_session_elf(s), name, &a) < 0)
		T_SETUP_FAIL("no symbol %s in %s", name, dbg_session_path(s));
	return a;
}

/* ---- dbg_session_readv -------------------------------------------------- */

static void test_readv_matches_read(void)
{
	struct dbg_stop stop;
	struct dbg_session *s = start_hello(&stop);
	struct dbg_err err;
	T_OK(dbg_session_stepi(s, 3000, &stop, &err), err);
	uint64_t sp = dbg_session_regs(s)->rsp;
	uint64_t g0 = sym(s, "runtime.g0"), m0 = sym(s, "runtime.m0");

	/* 300 reads, more than one process_vm_readv takes: stack words,
	 * overlapping windows on g0 and m0, odd sizes and addresses */
	enum { N = 300 };
	static uint8_t a[N][64], b[N][64];
	struct dbg_read v[N];
	for (size_t i = 0; i < N; i++) {
		uint64_t base = i % 3 == 0 ? sp : i % 3 == 1 ? g0 : m0;
		v[i] = (struct dbg_read){ base + (i * 7) % 200, a[i], 1 + i % 64 };
	}
	T_OK(dbg_session_readv(s, v, N, &err), err);
	for (size_t i = 0; i < N; i++) {
		T_OK(dbg_session_read(s, v[i].addr, b[i], v[i].n, &err), err);
		if (memcmp(a[i], b[i], v[i].n) != 0)
			T_FAIL("read %zu (%zu bytes at 0x%" PRIx64 ") differs from dbg_session_read",
			       i, v[i].n, v[i].addr);
	}
	dbg_session_free(s);
}

static void test_readv_error_is_the_first_failure(void)
{
	struct dbg_stop stop;
	struct dbg_session *s = start_hello(&stop);
	struct dbg_err err, one;
	uint64_t g0 = sym(s, "runtime.g0");
	uint64_t x = 0, y = 0, z = 0;
	struct dbg_read v[3] = {
		{ g0, &x, 8 },
		{ 0x10, &y, 8 }, /* page 0 is never mapped */
		{ 0x20, &z, 8 },
	};
	int rc = dbg_session_readv(s, v, 3, &err);
	T_LT_INT(rc, 0);
	int rc1 = dbg_session_read(s, 0x10, &y, 8, &one);
	T_EQ_INT(rc, rc1);
	T_EQ_STR(err.msg, one.msg);
	T_CONTAINS(err.msg, "0x10");
	/* the read before the failing one is done */
	uint64_t want;
	T_OK(dbg_session_read_u64(s, g0, &want, &err), err);
	T_EQ_HEX(x, want);
	dbg_session_free(s);
}

static void test_readv_hides_breakpoints(void)
{
	struct dbg_stop stop;
	struct dbg_session *s = start_hello(&stop);
	struct dbg_err err;
	uint64_t mm = sym(s, "main.main");
	/* the bytes of the file, read before any int3 is there */
	uint8_t file[16], live[16], around[40];
	dbg_session_kill(s);
	T_OK(dbg_session_read(s, mm, file, sizeof(file), &err), err);
	T_OK(dbg_session_break(s, mm, false, &err), err);
	T_OK(dbg_session_break(s, mm + 1, false, &err), err);
	char *argv[2] = { (char *)dbg_session_path(s), NULL };
	T_OK(dbg_session_start(s, argv, NULL, NULL, &stop, &err), err);
	struct dbg_read v[2] = { { mm, live, sizeof(live) }, { mm - 12, around, sizeof(around) } };
	T_OK(dbg_session_readv(s, v, 2, &err), err);
	if (memcmp(live, file, sizeof(file)) != 0)
		T_FAIL("dbg_session_readv shows an int3 at main.main (0x%02x 0x%02x, file 0x%02x 0x%02x)",
		       live[0], live[1], file[0], file[1]);
	if (memcmp(around + 12, file, sizeof(file)) != 0)
		T_FAIL("dbg_session_readv shows an int3 inside a larger read");
	dbg_session_free(s);
}

/* ---- dbg_session_stepi_each --------------------------------------------- */

struct observed {
	uint64_t calls, first_steps, last_steps;
	uint64_t stop_after;    /* return true at this call (0: never) */
	bool steps_in_order;
	bool readable;          /* the code at pc could be read in fn */
	int cpus_min, cpus_max; /* CPUs the tracee may run on, seen in fn */
};

static int cpu_count(pid_t pid)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(pid, sizeof(set), &set) < 0)
		return -1;
	return CPU_COUNT(&set);
}

static bool observe(struct dbg_session *s, void *arg)
{
	struct observed *o = arg;
	uint64_t steps = dbg_session_steps(s);
	if (o->calls == 0)
		o->first_steps = steps;
	else if (steps != o->last_steps + 1)
		o->steps_in_order = false;
	o->last_steps = steps;
	o->calls++;
	uint8_t byte;
	if (dbg_session_read(s, dbg_session_regs(s)->rip, &byte, 1, NULL) < 0)
		o->readable = false;
	int n = cpu_count(dbg_session_pid(s));
	if (n < o->cpus_min)
		o->cpus_min = n;
	if (n > o->cpus_max)
		o->cpus_max = n;
	return o->stop_after && o->calls == o->stop_after;
}

static void test_stepi_each_calls_once_per_step(void)
{
	struct dbg_stop stop;
	struct dbg_session *s = start_hello(&stop);
	struct dbg_err err;
	int cpus_before = cpu_count(dbg_session_pid(s));
	struct observed o = { .steps_in_order = true, .readable = true, .cpus_min = 1 << 20 };
	T_OK(dbg_session_stepi_each(s, 500, observe, &o, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_STEP);
	T_EQ_INT(dbg_session_steps(s), 500);
	T_EQ_INT(o.calls, 500);
	T_EQ_INT(o.first_steps, 1);
	T_EQ_INT(o.last_steps, 500);
	T_TRUE(o.steps_in_order);
	T_TRUE(o.readable);
	T_EQ_HEX(stop.pc, dbg_session_regs(s)->rip);
	/* pinned to one CPU while it ran (when the machine has more than
	 * one), still after it (the next stepi goes on pinned), and given
	 * its mask back when the front end idles */
	if (cpus_before > 1) {
		T_EQ_INT(o.cpus_max, 1);
		T_EQ_INT(cpu_count(dbg_session_pid(s)), 1);
		dbg_session_idle(s);
		T_EQ_INT(cpu_count(dbg_session_pid(s)), cpus_before);
	}

	/* the same instructions as plain stepi: compare with a second run */
	uint64_t pc_each = stop.pc;
	char *argv[2] = { (char *)dbg_session_path(s), NULL };
	T_OK(dbg_session_start(s, argv, NULL, NULL, &stop, &err), err);
	T_OK(dbg_session_stepi(s, 500, &stop, &err), err);
	T_EQ_HEX(stop.pc, pc_each);
	dbg_session_free(s);
}

static void test_stepi_each_stops_when_asked(void)
{
	struct dbg_stop stop;
	struct dbg_session *s = start_hello(&stop);
	struct dbg_err err;
	struct observed o = { .steps_in_order = true, .readable = true, .stop_after = 10,
			      .cpus_min = 1 << 20 };
	T_OK(dbg_session_stepi_each(s, 1000, observe, &o, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_STEP);
	T_EQ_INT(o.calls, 10);
	T_EQ_INT(dbg_session_steps(s), 10);
	T_EQ_INT(dbg_session_last_stop(s)->reason, DBG_STOP_STEP);

	/* a breakpoint ends the run first, on the step that reaches it */
	uint64_t mm = sym(s, "main.main");
	T_OK(dbg_session_break(s, mm, false, &err), err);
	struct observed p = { .steps_in_order = true, .readable = true, .cpus_min = 1 << 20 };
	T_OK(dbg_session_stepi_each(s, 1000000, observe, &p, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
	T_EQ_HEX(stop.pc, mm);
	T_EQ_INT(p.calls, dbg_session_steps(s) - 10 - 1);
	dbg_session_free(s);
}

/* ---- dbg_rt_read's snapshot --------------------------------------------- */

#define SAME(f) do { if (a->f != b->f) \
	T_FAIL("step %" PRIu64 ": %s differs: 0x%" PRIx64 " (long-lived) != 0x%" PRIx64 " (fresh)", \
	       step, #f, (uint64_t)a->f, (uint64_t)b->f); } while (0)

static void same_rt(uint64_t step, const struct dbg_rt *a, const struct dbg_rt *b)
{
	SAME(g); SAME(fs_base); SAME(g0); SAME(m0); SAME(ngs); SAME(nms); SAME(nps);
	T_EQ_STR(a->g_label, b->g_label);
	for (size_t i = 0; i < a->ngs; i++) {
		SAME(gs[i].addr); SAME(gs[i].goid); SAME(gs[i].status); SAME(gs[i].sched_pc);
		SAME(gs[i].sched_sp); SAME(gs[i].stack_lo); SAME(gs[i].stack_hi);
		SAME(gs[i].m); SAME(gs[i].schedlink); SAME(gs[i].startpc);
		T_EQ_STR(a->gs[i].label, b->gs[i].label);
	}
	for (size_t i = 0; i < a->nms; i++) {
		SAME(ms[i].addr); SAME(ms[i].id); SAME(ms[i].procid); SAME(ms[i].g0);
		SAME(ms[i].curg); SAME(ms[i].p); SAME(ms[i].gsignal); SAME(ms[i].tls0);
		SAME(ms[i].oldp); SAME(ms[i].nextp); SAME(ms[i].mstartfn);
		SAME(ms[i].spinning); SAME(ms[i].idle); SAME(ms[i].sysmon);
	}
	for (size_t i = 0; i < a->nps; i++) {
		SAME(ps[i].addr); SAME(ps[i].id); SAME(ps[i].status); SAME(ps[i].m);
		SAME(ps[i].runqhead); SAME(ps[i].runqtail); SAME(ps[i].runnext);
		SAME(ps[i].runnext_goid); SAME(ps[i].schedtick); SAME(ps[i].nrunq);
		for (size_t k = 0; k < a->ps[i].nrunq; k++)
			SAME(ps[i].runq[k]);
	}
	SAME(sched.valid); SAME(sched.goidgen); SAME(sched.runqsize); SAME(sched.npidle);
	SAME(sched.midle); SAME(sched.nmidle); SAME(sched.nrunq); SAME(sched.npidle_list);
	SAME(sched.nmspinning); SAME(sched.nmsys); SAME(sched.mnext);
	for (size_t k = 0; k < a->sched.nrunq; k++)
		SAME(sched.runq[k]);
	for (size_t k = 0; k < a->sched.npidle_list; k++)
		SAME(sched.pidle[k]);
}

static uint64_t field_off(struct dbg_session *s, const char *type, const char *path,
			  uint64_t *size)
{
	uint64_t off, sz;
	struct dbg_err err;
	if (dbg_dwarf_field(dbg_session_dwarf(s), type, path, &off, &sz, &err) < 0)
		T_SETUP_FAIL("%s", err.msg);
	if (size)
		*size = sz;
	return off;
}

struct p_offsets {
	uint64_t status, head, tail, runq, runq_len, goid, tick;
};

/* P i's run queue read with plain reads: the goids from head to tail. */
static void check_runq(struct dbg_session *s, uint64_t step, const struct p_offsets *o,
		       const struct dbg_rt_p *p)
{
	struct dbg_err err;
	uint32_t head = 0, tail = 0;
	T_OK(dbg_session_read(s, p->addr + o->head, &head, 4, &err), err);
	T_OK(dbg_session_read(s, p->addr + o->tail, &tail, 4, &err), err);
	if (tail - head != p->nrunq)
		T_FAIL("step %" PRIu64 ": P%d holds %u goroutines, decoded %zu", step, p->id,
		       tail - head, p->nrunq);
	for (uint32_t k = 0; k < tail - head; k++) {
		uint64_t g = 0, goid = 0;
		uint64_t slot = p->addr + o->runq + ((head + k) % o->runq_len) * 8;
		T_OK(dbg_session_read_u64(s, slot, &g, &err), err);
		T_OK(dbg_session_read_u64(s, g + o->goid, &goid, &err), err);
		if ((int64_t)goid != p->runq[k])
			T_FAIL("step %" PRIu64 ": P%d runq[%u] is goid %" PRId64 ", decoded %" PRId64,
			       step, p->id, k, (int64_t)goid, p->runq[k]);
	}
}

static void decode_every_step(bool record)
{
	struct dbg_stop stop;
	struct dbg_session *s = start_hello(&stop);
	struct dbg_err err;
	if (record) {
		struct dbg_timeline *tl;
		T_OK(dbg_tl_new(&tl, &err), err);
		dbg_session_set_timeline(s, tl);
	}
	if (!dbg_session_dwarf(s))
		T_SETUP_FAIL("%s has no DWARF", dbg_session_path(s));
	uint64_t goid_off = field_off(s, "g", "goid", NULL);
	uint64_t status_off = field_off(s, "g", "atomicstatus", NULL);
	struct p_offsets po = { .goid = goid_off };
	po.status = field_off(s, "p", "status", NULL);
	po.head = field_off(s, "p", "runqhead", NULL);
	po.tail = field_off(s, "p", "runqtail", NULL);
	po.runq = field_off(s, "p", "runq", &po.runq_len);
	po.runq_len /= 8;
	po.tick = field_off(s, "p", "schedtick", NULL);
	uint64_t queued = 0;
	struct dbg_rt kept = { 0 };
	uint64_t step = 0, checked_gs = 0, max_gs = 0, unchanged = 0, poked = 0;
	uint64_t tick = 0, tick_at = 0;
	for (;;) {
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
		if (stop.reason != DBG_STOP_STEP)
			break;
		step++;
		struct dbg_rt fresh = { 0 };
		T_OK(dbg_rt_read(s, &kept, &err), err);
		T_OK(dbg_rt_read(s, &fresh, &err), err);
		same_rt(step, &kept, &fresh);
		T_FALSE(fresh.unchanged);
		dbg_rt_release(&fresh);
		unchanged += kept.unchanged;
		/* a write of the debugger's own between two decodes: the
		 * first P's schedtick, changed for one step and then put
		 * back; the decodes after it see each value */
		if (tick_at && step == tick_at + 1) {
			T_EQ_INT(kept.ps[0].schedtick, tick + 1000);
			T_OK(dbg_session_write(s, kept.ps[0].addr + po.tick, &tick, 4, &err), err);
			poked++;
		} else if (!tick_at && step > 2000 && kept.nps && kept.unchanged) {
			tick = kept.ps[0].schedtick;
			uint32_t v = (uint32_t)tick + 1000;
			T_OK(dbg_session_write(s, kept.ps[0].addr + po.tick, &v, 4, &err), err);
			tick_at = step;
			T_OK(dbg_rt_read(s, &kept, &err), err);
			T_FALSE(kept.unchanged);
			T_EQ_INT(kept.ps[0].schedtick, v);
		}
		/* and against plain reads of the target's memory */
		for (size_t i = 0; i < kept.ngs; i++) {
			uint64_t goid = 0;
			uint32_t status = 0;
			T_OK(dbg_session_read_u64(s, kept.gs[i].addr + goid_off, &goid, &err), err);
			T_OK(dbg_session_read(s, kept.gs[i].addr + status_off, &status, 4, &err), err);
			if ((int64_t)goid != kept.gs[i].goid || status != kept.gs[i].status)
				T_FAIL("step %" PRIu64 ": g at 0x%" PRIx64 " decoded as goid %" PRId64
				       " status %u, memory says %" PRId64 " %u", step, kept.gs[i].addr,
				       kept.gs[i].goid, kept.gs[i].status, (int64_t)goid, status);
			checked_gs++;
		}
		for (size_t i = 0; i < kept.nps; i++) {
			uint32_t st = 0;
			T_OK(dbg_session_read(s, kept.ps[i].addr + po.status, &st, 4, &err), err);
			T_EQ_INT(st, kept.ps[i].status);
			check_runq(s, step, &po, &kept.ps[i]);
			queued += kept.ps[i].nrunq > 1;
		}
		if (kept.ngs > max_gs)
			max_gs = kept.ngs;
	}
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	/* the run saw the goroutines come and go: g0, main, three workers */
	T_GE_INT(max_gs, 5);
	T_GE_INT(checked_gs, step);
	/* and run queues with more than one goroutine in them */
	T_GE_INT(queued, 1);
	if (record) {
		/* most steps write nothing the decode reads: kept */
		T_GE_INT(unchanged, step / 2);
		T_EQ_INT(poked, 1);
		printf("%" PRIu64 " steps, %" PRIu64 " decodes kept as they were\n", step,
		       unchanged);
	} else {
		T_EQ_INT(unchanged, 0); /* nothing says what a step wrote */
	}
	dbg_rt_release(&kept);
	dbg_session_free(s);
}

static void test_decode_snapshot_matches_plain_reads(void)
{
	decode_every_step(false);
}

static void test_decode_kept_when_the_step_wrote_none_of_it(void)
{
	decode_every_step(true);
}

/* ---- memory kept from one stop to the next ------------------------------ */

/*
 * At every stop of the recorded boot, what the stop event reads through the
 * kept words and code (the current g, its label, the instruction at pc)
 * against plain reads; a write of the debugger's own into the g slot is
 * seen at once; and most stops keep what the stop before read (the kept
 * generation unchanged), so the check is not vacuous.
 */
static void test_kept_memory_matches_plain_reads(void)
{
	struct dbg_stop stop;
	struct dbg_session *s = start_hello(&stop);
	struct dbg_err err;
	struct dbg_timeline *tl;
	T_OK(dbg_tl_new(&tl, &err), err);
	dbg_session_set_timeline(s, tl);
	uint64_t goid_off = field_off(s, "g", "goid", NULL);
	uint64_t g0 = sym(s, "runtime.g0");
	uint64_t step = 0, same_gen = 0, labels = 0, insns = 0, poked = 0;
	unsigned gen = 0, last_gen = 0;
	for (;;) {
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
		if (stop.reason != DBG_STOP_STEP)
			break;
		step++;
		T_TRUE(dbg_session_kept_gen(s, &gen));
		same_gen += step > 1 && gen == last_gen;
		/* the instruction at pc, from a kept block */
		struct dbg_insn in;
		if (dbg_session_disasm(s, stop.pc, 1, &in, NULL) == 1) {
			uint8_t b[16];
			T_OK(dbg_session_read(s, stop.pc, b, in.size, &err), err);
			if (memcmp(b, in.bytes, in.size) != 0)
				T_FAIL("step %" PRIu64 ": the instruction at 0x%" PRIx64
				       " decoded from bytes that are not in memory", step, stop.pc);
			insns++;
		}
		/* the current g */
		uint64_t g = 0, slot = 0, plain = 0;
		T_OK(dbg_rt_cur_g(s, &g, &err), err);
		const struct dbg_regs *r = dbg_session_regs(s);
		if (dbg_session_g_slot(s, r->fs_base, &slot)) {
			T_OK(dbg_session_read_u64(s, slot, &plain, &err), err);
			T_EQ_HEX(g, plain);
		}
		/* its label: a goroutine's goid read plainly */
		char label[64];
		if (g && dbg_rt_label(s, g, label, sizeof(label)) == 0) {
			if (g == g0) {
				T_EQ_STR(label, "g0");
			} else if (label[0] == 'g') {
				uint64_t goid = 0;
				T_OK(dbg_session_read_u64(s, g + goid_off, &goid, &err), err);
				char want[32];
				snprintf(want, sizeof(want), "g%" PRId64, (int64_t)goid);
				T_EQ_STR(label, want);
				labels++;
			}
		}
		/* the debugger writes the slot: seen at once, then put back */
		if (slot && plain && !poked && step > 1000) {
			uint64_t other = plain ^ 0x10;
			T_OK(dbg_session_write(s, slot, &other, 8, &err), err);
			T_OK(dbg_rt_cur_g(s, &g, &err), err);
			T_EQ_HEX(g, other);
			T_OK(dbg_session_write(s, slot, &plain, 8, &err), err);
			T_OK(dbg_rt_cur_g(s, &g, &err), err);
			T_EQ_HEX(g, plain);
			poked++;
		}
		T_TRUE(dbg_session_kept_gen(s, &last_gen));
	}
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_EQ_INT(poked, 1);
	T_GE_INT(insns, step - 1);
	T_GE_INT(labels, 1000); /* the main goroutine runs for thousands of steps */
	T_GE_INT(same_gen, step / 2);
	printf("%" PRIu64 " steps, %" PRIu64 " with every kept word kept\n", step, same_gen);
	dbg_session_free(s);
}

/* ---- the line table, a unit at a time ---------------------------------- */

static void same_line(const char *path, struct dbg_lines *lazy, struct dbg_lines *whole,
		      uint64_t pc, uint64_t *with_line)
{
	struct dbg_line a, b;
	bool la = dbg_lines_at(lazy, pc, &a), lb = dbg_lines_at(whole, pc, &b);
	if (la != lb)
		T_FAIL("%s 0x%" PRIx64 ": a line %s, read whole %s", path, pc,
		       la ? "read in part" : "not read in part", lb ? "has" : "has not");
	if (!la)
		return;
	(*with_line)++;
	if (strcmp(a.file, b.file) != 0 || a.line != b.line || a.col != b.col || a.addr != b.addr ||
	    a.end != b.end || a.is_stmt != b.is_stmt)
		T_FAIL("%s 0x%" PRIx64 ": %s:%u [0x%" PRIx64 ", 0x%" PRIx64 ") read in part, "
		       "%s:%u [0x%" PRIx64 ", 0x%" PRIx64 ") whole",
		       path, pc, a.file, a.line, a.addr, a.end, b.file, b.line, b.addr, b.end);
}

static void lines_match(const char *path)
{
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	struct dbg_dwarf *d = dbg_session_dwarf(s);
	if (!d)
		T_SETUP_FAIL("%s has no DWARF", path);
	struct dbg_lines *lazy, *whole;
	T_OK(dbg_lines_open(&lazy, d, &err), err);
	T_OK(dbg_lines_open(&whole, d, &err), err);
	/* a file look-up reads every unit */
	T_FALSE(dbg_lines_has_file(whole, "no such file.c", NULL));
	const struct dbg_section *text = dbg_elf_section_by_name(dbg_session_elf(s), ".text");
	T_NOT_NULL(text);
	uint64_t with_line = 0, at_funcs = 0;
	/* every function's first bytes, from the last down: units read
	 * one at a time, as stops need them, in an order not theirs */
	const struct dbg_elf *e = dbg_session_elf(s);
	for (size_t i = dbg_elf_nsyms(e); i-- > 0;) {
		const struct dbg_sym *f = dbg_elf_sym(e, i);
		if (f->kind != DBG_SYM_FUNC || f->addr < text->addr ||
		    f->addr >= text->addr + text->size)
			continue;
		for (uint64_t k = 0; k < 4 && k < (f->size ? f->size : 1); k++)
			same_line(path, lazy, whole, f->addr + k, &at_funcs);
		/* the prologue's end, over the function */
		if (f->size)
			T_EQ_HEX(dbg_lines_prologue_end(lazy, f->addr, f->addr + f->size),
				 dbg_lines_prologue_end(whole, f->addr, f->addr + f->size));
	}
	T_GE_INT(at_funcs, 10);
	/* a file look-up reads the rest, in unit order */
	const char *f1 = NULL, *f2 = NULL;
	T_EQ_INT(dbg_lines_has_file(lazy, "proc.c", &f1), dbg_lines_has_file(whole, "proc.c", &f2));
	if (f1)
		T_EQ_STR(f1, f2);
	/* and every byte of the text */
	for (uint64_t k = 0; k < text->size; k++)
		same_line(path, lazy, whole, text->addr + k, &with_line);
	T_GE_INT(with_line, text->size / 2);
	dbg_lines_free(lazy);
	dbg_lines_free(whole);
	dbg_session_free(s);
}

static void test_lines_read_in_part_match_the_whole(void)
{
	lines_match(t_env("HELLO"));
	const char *go = getenv("GOHELLO");
	if (go)
		lines_match(go);
}

static const struct t_case cases[] = {
	T_CASE(test_readv_matches_read),
	T_CASE(test_readv_error_is_the_first_failure),
	T_CASE(test_readv_hides_breakpoints),
	T_CASE(test_stepi_each_calls_once_per_step),
	T_CASE(test_stepi_each_stops_when_asked),
	T_CASE(test_decode_snapshot_matches_plain_reads),
	T_CASE(test_decode_kept_when_the_step_wrote_none_of_it),
	T_CASE(test_kept_memory_matches_plain_reads),
	T_CASE(test_lines_read_in_part_match_the_whole),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
