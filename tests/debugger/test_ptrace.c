/* ptrace: register names, signal names, launch errors, and single-stepping
 * a whole program (pinned to one CPU) with output identical to a direct
 * run, in one stepi and one instruction per stepi (the pin kept across the
 * calls, given back by dbg_session_idle and at the exit); prints the
 * stepping rate. */
/* stepping the whole go1.19 boot (~370,000 steps) takes minutes on a busy machine */
#define T_TIMEOUT 240
#include "testlib.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include "session.h"

static void test_register_names(void)
{
	struct dbg_regs r;
	memset(&r, 0, sizeof(r));
	r.rax = 0x1122334455667788ull;
	r.r9 = 0xffffffff80000001ull;
	r.rip = 0x401000;
	uint64_t v;
	T_EQ_INT(dbg_regs_get(&r, "rax", &v), 0);
	T_EQ_HEX(v, 0x1122334455667788ull);
	T_EQ_INT(dbg_regs_get(&r, "eax", &v), 0);
	T_EQ_HEX(v, 0x55667788);
	T_EQ_INT(dbg_regs_get(&r, "ax", &v), 0);
	T_EQ_HEX(v, 0x7788);
	T_EQ_INT(dbg_regs_get(&r, "al", &v), 0);
	T_EQ_HEX(v, 0x88);
	T_EQ_INT(dbg_regs_get(&r, "ah", &v), 0);
	T_EQ_HEX(v, 0x77);
	T_EQ_INT(dbg_regs_get(&r, "r9d", &v), 0);
	T_EQ_HEX(v, 0x80000001);
	T_EQ_INT(dbg_regs_get(&r, "r9b", &v), 0);
	T_EQ_HEX(v, 0x01);
	T_EQ_INT(dbg_regs_get(&r, "pc", &v), 0);
	T_EQ_HEX(v, 0x401000);
	T_EQ_INT(dbg_regs_get(&r, "xmm0", &v), -ENOENT);
	T_EQ_INT(dbg_regs_get(&r, "r16", &v), -ENOENT);
	T_EQ_INT(dbg_regs_set(&r, "sp", 0x7fff0000), 0);
	T_EQ_HEX(r.rsp, 0x7fff0000);
	T_EQ_INT(dbg_regs_set(&r, "eax", 1), -ENOENT);
	T_EQ_INT(dbg_regs_count, 27);
	T_EQ_STR(dbg_regs_table[16].name, "rip");
}

static void test_signal_names(void)
{
	char buf[16];
	T_EQ_STR(dbg_signal_name(SIGSEGV, buf, sizeof(buf)), "SIGSEGV");
	T_EQ_STR(dbg_signal_name(SIGTRAP, buf, sizeof(buf)), "SIGTRAP");
	T_EQ_STR(dbg_signal_name(40, buf, sizeof(buf)), "SIG40");
}

static void test_launch_errors(void)
{
	const char *tmp = "/tmp/bootscope-noexec";
	char cmd[1024], out[64];
	snprintf(cmd, sizeof(cmd), "cp '%s' %s && chmod 644 %s", t_env("MINIRT"), tmp, tmp);
	if (t_capture(cmd, out, sizeof(out)) != 0)
		T_SETUP_FAIL("cannot copy minirt");
	struct dbg_session *s;
	struct dbg_err err;
	struct dbg_stop stop;
	T_OK(dbg_session_open(&s, tmp, &err), err); /* readable: the ELF is fine */
	int rc = dbg_session_start(s, NULL, NULL, NULL, &stop, &err);
	if (getuid() == 0) {
		/* root may execute a file without x bits only if some x bit is set */
		T_EQ_INT(rc, -EACCES);
	} else {
		T_EQ_INT(rc, -EACCES);
	}
	T_CONTAINS(err.msg, "cannot execute /tmp/bootscope-noexec: permission denied");
	T_FALSE(dbg_session_running(s));
	dbg_session_free(s);
	unlink(tmp);
}

/* Step every instruction of a program; its output must equal a direct
 * run's (so stepping, and pinning to one CPU, change nothing it sees). */
/* A session of path, started at its first instruction (the case skips
 * where ptrace is refused). */
static struct dbg_session *started(const char *path, struct dbg_stop *stop)
{
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	int rc = dbg_session_start(s, NULL, NULL, NULL, stop, &err);
	if (rc == -EPERM)
		T_SKIP("ptrace refused: %s", err.msg);
	T_OK(rc, err);
	return s;
}

/* What the program wrote to its stdout so far, NUL-terminated. */
static void read_stdout(struct dbg_session *s, char *out, size_t n)
{
	size_t len = 0;
	ssize_t k;
	while ((k = dbg_session_read_output(s, DBG_STREAM_STDOUT, out + len, n - 1 - len)) > 0)
		len += (size_t)k;
	out[len] = '\0';
}

static void step_whole(const char *path)
{
	char cmd[1024], direct[4096];
	snprintf(cmd, sizeof(cmd), "'%s'", path);
	int status = t_capture(cmd, direct, sizeof(direct));

	struct dbg_err err;
	struct dbg_stop stop;
	struct dbg_session *s = started(path, &stop);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		T_OK(dbg_session_stepi(s, 1000000, &stop, &err), err);
	while (stop.reason == DBG_STOP_STEP);
	clock_gettime(CLOCK_MONOTONIC, &b);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_EQ_INT(stop.code, status);
	char out[4096];
	read_stdout(s, out, sizeof(out));
	T_EQ_STR(out, direct);
	double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%s: %" PRIu64 " steps in %.3f s = %.0f steps/s\n", path, dbg_session_steps(s), t,
	       (double)dbg_session_steps(s) / t);
	/* every stage of the catalog was reached, in boot order */
	const struct dbg_stages *st = dbg_session_stages(s);
	uint64_t prev = 0, at;
	for (size_t i = 0; i < st->n; i++) {
		if (!dbg_session_stage_reached(s, i, &at))
			T_FAIL("stage %s never reached", st->v[i].name);
		T_TRUE(at >= prev);
		prev = at;
	}
	dbg_session_free(s);
}

static void test_step_whole_hello(void)
{
	const char *path = getenv("HELLO");
	if (!path)
		T_SKIP("the bundled runtime is not built");
	step_whole(path);
}

static void test_step_whole_go(void)
{
	const char *path = getenv("GOHELLO");
	if (!path)
		T_SKIP("no Go toolchain");
	step_whole(path);
}

/* The CPUs this thread may run on. */
static int my_cpus(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return -1;
	return CPU_COUNT(&set);
}

/* stepi 1 after stepi 1 to the exit: the pin holds across the calls (the
 * debugger on one CPU between them), the program's output is a direct
 * run's (the hello prints GOMAXPROCS, its CPU count from
 * sched_getaffinity), and the debugger gets its mask back when it idles
 * and when the program is gone. */
static void test_step_one_at_a_time(void)
{
	const char *path = getenv("HELLO");
	if (!path)
		T_SKIP("the bundled runtime is not built");
	int cpus = my_cpus();
	if (cpus < 2)
		T_SKIP("one CPU: nothing to pin");
	char cmd[1024], direct[4096];
	snprintf(cmd, sizeof(cmd), "'%s'", path);
	int status = t_capture(cmd, direct, sizeof(direct));
	T_TRUE(strstr(direct, "GOMAXPROCS=") != NULL);

	struct dbg_err err;
	struct dbg_stop stop;
	struct dbg_session *s = started(path, &stop);
	T_EQ_INT(my_cpus(), cpus);
	T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
	T_EQ_INT(my_cpus(), 1); /* pinned, and still after the call */
	dbg_session_idle(s);
	T_EQ_INT(my_cpus(), cpus);
	uint64_t calls = 0;
	do {
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
		calls++;
		if (stop.reason == DBG_STOP_STEP && my_cpus() != 1)
			T_FAIL("the pin was dropped after %" PRIu64 " steps", calls);
	} while (stop.reason == DBG_STOP_STEP);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_EQ_INT(stop.code, status);
	T_EQ_INT(my_cpus(), cpus); /* the program is gone: the mask is back */
	T_TRUE(calls > 1000);
	T_EQ_INT(dbg_session_steps(s), calls);
	char out[4096];
	read_stdout(s, out, sizeof(out));
	T_EQ_STR(out, direct);
	dbg_session_free(s);
}

/* Cpus_allowed_list of /proc/PID/task/TID/status, or "" */
static void task_cpus(pid_t pid, pid_t tid, char *out, size_t n)
{
	char path[96], line[256];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	out[0] = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Cpus_allowed_list:", 18) == 0) {
			char *v = line + 18;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = 0;
			snprintf(out, n, "%s", v);
		}
	fclose(f);
}

/* The value of line "KEY: VALUE" in text, or "" */
static void line_of(const char *text, const char *key, char *out, size_t n)
{
	out[0] = 0;
	size_t k = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, k) == 0 && p[k] == ':' && p[k + 1] == ' ') {
			snprintf(out, n, "%.*s", (int)strcspn(p + k + 2, "\n"), p + k + 2);
			return;
		}
}

/*
 * A free run of a program with one thread is pinned to the debugger's CPU
 * (its system-call stops then wake the debugger on the same CPU), and the
 * program cannot tell: the affinity target's sched_getaffinity answers, its
 * fork child's and its new thread's masks (as they see them and as the
 * kernel has them) are an untraced run's. Only the kernel's view of the
 * main thread, before its first clone, shows the pin (which is checked, so
 * that the test fails if runs stop pinning). The debugger's own mask is
 * back at the stop in the new thread and at the exit.
 */
static void test_free_run_pin(void)
{
	const char *path = t_env("AFFINITY");
	int cpus = my_cpus();
	if (cpus < 2)
		T_SKIP("one CPU: nothing to pin");
	char cmd[1024], direct[4096];
	snprintf(cmd, sizeof(cmd), "'%s'", path);
	T_EQ_INT(t_capture(cmd, direct, sizeof(direct)), 0);
	char real[64];
	line_of(direct, "main status", real, sizeof(real));
	T_TRUE(real[0] != 0);
	char v[64];
	line_of(direct, "main", v, sizeof(v));
	T_EQ_STR(v, real); /* untraced, both views agree */

	struct dbg_err err;
	struct dbg_stop stop;
	struct dbg_session *s = started(path, &stop);
	uint64_t site;
	T_EQ_INT(dbg_elf_lookup(dbg_session_elf(s), "thread_started", &site), 0);
	T_OK(dbg_session_break(s, site, false, &err), err);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
	T_NE_INT(stop.tid, dbg_session_pid(s));
	/* the new thread, stopped at its first call: the real mask */
	char got[64];
	task_cpus(dbg_session_pid(s), stop.tid, got, sizeof(got));
	T_EQ_STR(got, real);
	T_EQ_INT(my_cpus(), cpus);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_EQ_INT(stop.code, 0);
	T_EQ_INT(my_cpus(), cpus);
	char out[4096];
	read_stdout(s, out, sizeof(out));
	static const char *const same[] = { "main", "fork", "fork status", "thread",
					    "thread status" };
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char want[64];
		line_of(direct, same[i], want, sizeof(want));
		line_of(out, same[i], got, sizeof(got));
		if (strcmp(got, want) != 0)
			T_FAIL("%s: \"%s\" traced, \"%s\" untraced\n%s", same[i], got, want, out);
	}
	/* the kernel's view of the main thread while it ran alone: pinned */
	line_of(out, "main status", got, sizeof(got));
	T_TRUE(got[0] != 0 && strchr(got, '-') == NULL && strchr(got, ',') == NULL);
	dbg_session_free(s);
}

/* dbg_regs_diff: bit i where word i differs, against a word-by-word
 * comparison, for both ways of comparing: every single word changed,
 * changes in one 32-bit half only, and random sets of changes. */
static void test_regs_diff(void)
{
	uint64_t a[DBG_REGS_WORDS], b[DBG_REGS_WORDS];
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (int round = 0; round < 4000; round++) {
		for (int i = 0; i < DBG_REGS_WORDS; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			a[i] = b[i] = seed;
		}
		uint64_t want = 0;
		if (round < 2 * DBG_REGS_WORDS) {
			/* one word, its low half or its high half */
			int i = round % DBG_REGS_WORDS;
			b[i] ^= round < DBG_REGS_WORDS ? 1ull : 1ull << 63;
			want = 1ull << i;
		} else {
			for (int i = 0; i < DBG_REGS_WORDS; i++) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				if ((seed >> 33) % 3 == 0) {
					b[i] ^= 1ull << ((seed >> 40) % 64);
					want |= 1ull << i;
				}
			}
		}
		struct dbg_regs ra, rb;
		memcpy(&ra, a, sizeof(ra));
		memcpy(&rb, b, sizeof(rb));
		T_EQ_HEX(dbg_regs_diff_sse2(&ra, &rb), want);
		if (dbg_regs_have_avx2())
			T_EQ_HEX(dbg_regs_diff_avx2(&ra, &rb), want);
		T_EQ_HEX(dbg_regs_diff(&ra, &rb), want);
	}
}

static const struct t_case cases[] = {
	T_CASE(test_register_names),     T_CASE(test_regs_diff),        T_CASE(test_signal_names),
	T_CASE(test_launch_errors),      T_CASE(test_step_whole_hello), T_CASE(test_step_whole_go),
	T_CASE(test_step_one_at_a_time), T_CASE(test_free_run_pin),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
