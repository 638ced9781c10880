/* rt: the runtime decoder on the bundled hello and a real Go binary, each
 * value checked against gdb reading the same stop. */
#include "testlib.h"

#include <errno.h>

#include "rt.h"

/* Values gdb prints ("$1 = 0x..", "$2 = 3") for the -ex commands, after
 * running path to a breakpoint at addr (gdb -batch; env via -ex). */
static size_t gdb_at(const char *path, uint64_t addr, const char *env, const char *exprs,
		     uint64_t *vals, size_t max)
{
	const char *gdb = getenv("GDB");
	if (!gdb)
		T_SKIP("gdb is not installed");
	char cmd[8192], out[8192];
	snprintf(cmd, sizeof(cmd),
		 "'%s' -nx -batch -ex 'set startup-with-shell off' -ex 'set language c' %s"
		 " -ex 'break *0x%" PRIx64 "' -ex run %s '%s' 2>/dev/null"
		 " | sed -n 's/^\\$[0-9]* = \\(-*[0-9a-fx]*\\).*/\\1/p'",
		 gdb, env ? env : "", addr, exprs, path);
	if (t_capture(cmd, out, sizeof(out)) != 0)
		T_SETUP_FAIL("gdb failed: %s", cmd);
	size_t n = 0;
	char *p = out;
	while (n < max && *p) {
		char *end;
		vals[n++] = (uint64_t)strtoll(p, &end, 0);
		if (end == p)
			break;
		p = end;
		while (*p == '\n')
			p++;
	}
	return n;
}

static struct dbg_session *run_to(const char *path, const char *stage, struct dbg_stop *stop)
{
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	int rc = dbg_session_start(s, NULL, NULL, NULL, stop, &err);
	if (rc == -EPERM)
		T_SKIP("ptrace refused: %s", err.msg);
	T_OK(rc, err);
	int i = dbg_stages_find(dbg_session_stages(s), stage);
	T_GE_INT(i, 0);
	T_OK(dbg_session_until(s, dbg_session_stages(s)->v[i].addr, stop, &err), err);
	T_EQ_INT(stop->reason, DBG_STOP_UNTIL);
	return s;
}

static uint64_t stage_addr(struct dbg_session *s, const char *stage)
{
	int i = dbg_stages_find(dbg_session_stages(s), stage);
	T_GE_INT(i, 0);
	return dbg_session_stages(s)->v[i].addr;
}

/* hello after newproc: runtime.main's g is runnable in P0's runnext. */
static void test_hello_at_mstart(void)
{
	const char *path = getenv("HELLO");
	if (!path)
		T_SKIP("the bundled runtime is not built");
	struct dbg_stop stop;
	struct dbg_session *s = run_to(path, "mstart", &stop);
	uint64_t v[16];
	const char *ex =
		"-ex \"p/x *(unsigned long *)&'runtime.allglen'\""
		" -ex \"p/x *(unsigned long *)*(unsigned long *)&'runtime.allgs'\""
		" -ex \"p ((struct g *)*(unsigned long *)*(unsigned long *)&'runtime.allgs')->goid\""
		" -ex \"p ((struct g *)*(unsigned long *)*(unsigned long *)&'runtime.allgs')->atomicstatus\""
		" -ex \"p/x *(unsigned long *)*(unsigned long *)&'runtime.allp'\""
		" -ex \"p ((unsigned long *)&'runtime.allp')[1]\""
		" -ex \"p/x ((struct p *)*(unsigned long *)*(unsigned long *)&'runtime.allp')->runnext\""
		" -ex \"p ((struct p *)*(unsigned long *)*(unsigned long *)&'runtime.allp')->status\""
		" -ex \"p/x ((struct p *)*(unsigned long *)*(unsigned long *)&'runtime.allp')->m\""
		" -ex \"p ((struct schedt *)&'runtime.sched')->npidle\""
		" -ex \"p ((struct schedt *)&'runtime.sched')->goidgen\""
		" -ex \"p/x &'runtime.m0'\""
		" -ex \"p/x ((struct m *)&'runtime.m0')->gsignal\"";
	T_EQ_INT(gdb_at(path, stage_addr(s, "mstart"), NULL, ex, v, 16), 13);

	struct dbg_rt rt = { 0 };
	struct dbg_err err;
	T_OK(dbg_rt_read(s, &rt, &err), err);
	/* g0 first, then allgs, then each M's gsignal (one M: m0) */
	T_EQ_INT(rt.ngs, v[0] + 2);
	T_EQ_STR(rt.gs[0].label, "g0");
	T_EQ_HEX(rt.gs[rt.ngs - 1].addr, v[12]);
	T_EQ_STR(rt.gs[rt.ngs - 1].label, "m0.gsignal");
	T_EQ_HEX(rt.gs[1].addr, v[1]);
	T_EQ_INT(rt.gs[1].goid, v[2]);
	T_EQ_INT(rt.gs[1].status, v[3]);
	T_EQ_STR(rt.gs[1].status_name, dbg_rt_gstatus_name((uint32_t)v[3]));
	T_EQ_STR(rt.gs[1].label, "g1");
	T_EQ_INT(rt.nps, v[5]);
	T_EQ_HEX(rt.ps[0].addr, v[4]);
	T_EQ_HEX(rt.ps[0].runnext, v[6]);
	T_EQ_INT(rt.ps[0].runnext_goid, v[2]);
	T_EQ_INT(rt.ps[0].status, v[7]);
	T_EQ_HEX(rt.ps[0].m, v[8]);
	T_TRUE(rt.sched.valid);
	T_EQ_INT(rt.sched.npidle, v[9]);
	T_EQ_INT(rt.sched.npidle_list, v[9]);
	T_EQ_INT(rt.sched.goidgen, v[10]);
	T_EQ_HEX(rt.m0, v[11]);
	T_EQ_INT(rt.nms, 1);
	T_EQ_HEX(rt.ms[0].addr, v[11]);
	T_EQ_HEX(rt.ms[0].p, v[4]);
	/* the current g is still g0 */
	T_EQ_HEX(rt.g, rt.g0);
	T_EQ_STR(rt.g_label, "g0");
	char label[32];
	T_OK(dbg_rt_label(s, v[1], label, sizeof(label)), err);
	T_EQ_STR(label, "g1");
	dbg_rt_release(&rt);
	dbg_session_free(s);
}

/* GOMAXPROCS=3: three Ps, P0 running, the idle ones on sched.pidle in
 * list order. */
static void test_hello_gomaxprocs(void)
{
	const char *path = getenv("HELLO");
	if (!path)
		T_SKIP("the bundled runtime is not built");
	setenv("GOMAXPROCS", "3", 1);
	struct dbg_stop stop;
	struct dbg_session *s = run_to(path, "newproc", &stop);
	uint64_t v[8];
	const char *ex =
		" -ex \"p ((unsigned long *)&'runtime.allp')[1]\""
		" -ex \"p ((struct p *)((struct schedt *)&'runtime.sched')->pidle)->id\""
		" -ex \"p ((struct p *)((struct p *)((struct schedt *)&'runtime.sched')->pidle)->link)->id\""
		" -ex \"p ((struct schedt *)&'runtime.sched')->npidle\"";
	T_EQ_INT(gdb_at(path, stage_addr(s, "newproc"), "-ex 'set environment GOMAXPROCS 3'", ex, v,
			8),
		 4);
	T_EQ_INT(v[0], 3);
	struct dbg_rt rt = { 0 };
	struct dbg_err err;
	T_OK(dbg_rt_read(s, &rt, &err), err);
	T_EQ_INT(rt.nps, 3);
	T_EQ_INT(rt.ps[0].status, DBG_P_RUNNING);
	T_EQ_STR(rt.ps[0].status_name, "_Prunning");
	T_EQ_STR(rt.ps[1].status_name, "_Pidle");
	T_EQ_INT(rt.sched.npidle, v[3]);
	T_EQ_INT(rt.sched.npidle_list, 2);
	T_EQ_INT(rt.sched.pidle[0], v[1]);
	T_EQ_INT(rt.sched.pidle[1], v[2]);
	/* reuse of the same struct: counts are replaced, not appended */
	T_OK(dbg_rt_read(s, &rt, &err), err);
	T_EQ_INT(rt.nps, 3);
	T_EQ_INT(rt.sched.npidle_list, 2);
	dbg_rt_release(&rt);
	dbg_session_free(s);
}

/* At runtime.main (hello or Go): fs:-8 is g1, running on m0. */
static void check_at_main(const char *path)
{
	struct dbg_stop stop;
	struct dbg_session *s = run_to(path, "runtime.main", &stop);
	uint64_t v[4];
	T_EQ_INT(gdb_at(path, stage_addr(s, "runtime.main"), NULL,
			"-ex 'p/x *(unsigned long *)($fs_base - 8)' -ex 'p/x $fs_base'", v, 4),
		 2);
	struct dbg_rt rt = { 0 };
	struct dbg_err err;
	T_OK(dbg_rt_read(s, &rt, &err), err);
	T_EQ_HEX(rt.fs_base, v[1]);
	T_EQ_HEX(rt.g, v[0]);
	T_EQ_STR(rt.g_label, "g1");
	const struct dbg_rt_g *g = dbg_rt_find_g(&rt, rt.g);
	T_NOT_NULL(g);
	T_EQ_INT(g->goid, 1);
	T_EQ_STR(g->status_name, "_Grunning");
	T_EQ_HEX(g->m, rt.m0);
	bool on_m0 = false;
	for (size_t i = 0; i < rt.nms; i++)
		if (rt.ms[i].addr == rt.m0) {
			on_m0 = true;
			T_EQ_HEX(rt.ms[i].curg, rt.g);
			T_EQ_HEX(rt.ms[i].tls0, rt.g); /* fs:-8 aliases m0.tls[0] */
			T_EQ_INT(rt.ms[i].id, 0);
		}
	T_TRUE(on_m0);
	uint64_t cur;
	T_OK(dbg_rt_cur_g(s, &cur, &err), err);
	T_EQ_HEX(cur, v[0]);
	dbg_rt_release(&rt);
	dbg_session_free(s);
}

static void test_hello_at_main(void)
{
	const char *path = getenv("HELLO");
	if (!path)
		T_SKIP("the bundled runtime is not built");
	check_at_main(path);
}

static void test_go_at_main(void)
{
	const char *path = getenv("GOHELLO");
	if (!path)
		T_SKIP("no Go toolchain");
	check_at_main(path);
}

static void test_before_settls(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_stop stop;
	struct dbg_session *s = run_to(path, "rt0_go.settls", &stop);
	struct dbg_rt rt = { 0 };
	struct dbg_err err;
	T_OK(dbg_rt_read(s, &rt, &err), err);
	T_EQ_HEX(rt.fs_base, 0);
	T_EQ_HEX(rt.g, 0);
	T_EQ_STR(rt.g_label, "none");
	T_EQ_INT(rt.ngs, 1); /* g0 only: minirt has no allgs */
	/* g0's stack bounds were just carved */
	T_EQ_HEX(rt.gs[0].stack_hi - rt.gs[0].stack_lo, 65536);
	/* after the wire store, fs:-8 = &g0 */
	int wire = dbg_stages_find(dbg_session_stages(s), "wire");
	T_OK(dbg_session_until(s, dbg_session_stages(s)->v[wire].addr, &stop, &err), err);
	T_OK(dbg_rt_read(s, &rt, &err), err);
	T_EQ_HEX(rt.g, 0x123); /* the self-test value is still there */
	T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
	T_OK(dbg_rt_read(s, &rt, &err), err);
	T_EQ_HEX(rt.g, rt.g0);
	T_EQ_STR(rt.g_label, "g0");
	dbg_rt_release(&rt);
	dbg_session_free(s);
}

/* minirt wraps g.atomicstatus in a struct { value } as newer Go does. */
static void test_atomic_wrapper(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_stop stop;
	struct dbg_session *s = run_to(path, "main.main", &stop);
	uint64_t v[2];
	T_EQ_INT(gdb_at(path, stage_addr(s, "main.main"), NULL,
			"-ex \"p ((struct g *)&'runtime.g0')->atomicstatus.value\"", v, 2),
		 1);
	T_EQ_INT(v[0], DBG_G_RUNNING);
	struct dbg_rt rt = { 0 };
	struct dbg_err err;
	T_OK(dbg_rt_read(s, &rt, &err), err);
	T_EQ_INT(rt.gs[0].status, v[0]);
	T_EQ_STR(rt.gs[0].status_name, "_Grunning");
	dbg_rt_release(&rt);
	dbg_session_free(s);
}

static void test_needs_dwarf(void)
{
	const char *tmp = "/tmp/bootscope-rt-nodwarf";
	char cmd[1024], out[64];
	snprintf(cmd, sizeof(cmd), "objcopy --strip-debug '%s' %s", t_env("MINIRT"), tmp);
	if (t_capture(cmd, out, sizeof(out)) != 0)
		T_SETUP_FAIL("objcopy failed");
	struct dbg_stop stop;
	struct dbg_session *s = run_to(tmp, "check", &stop);
	T_NULL(dbg_session_dwarf(s));
	struct dbg_rt rt = { 0 };
	struct dbg_err err;
	T_EQ_INT(dbg_rt_read(s, &rt, &err), -ENODATA);
	T_CONTAINS(err.msg, "the G/M/P view needs DWARF");
	dbg_rt_release(&rt);
	dbg_session_free(s);
	unlink(tmp);
}

static void test_status_names(void)
{
	T_EQ_STR(dbg_rt_gstatus_name(1), "_Grunnable");
	T_EQ_STR(dbg_rt_gstatus_name(6), "_Gdead");
	T_EQ_STR(dbg_rt_gstatus_name(0x1002), "_Gscanrunning");
	T_EQ_STR(dbg_rt_gstatus_name(77), "_G?");
	T_EQ_STR(dbg_rt_pstatus_name(3), "_Pgcstop");
	T_EQ_STR(dbg_rt_pstatus_name(9), "_P?");
}

static const struct t_case cases[] = {
	T_CASE(test_hello_at_mstart), T_CASE(test_hello_gomaxprocs), T_CASE(test_hello_at_main),
	T_CASE(test_go_at_main),      T_CASE(test_before_settls),    T_CASE(test_atomic_wrapper),
	T_CASE(test_needs_dwarf),     T_CASE(test_status_names),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
