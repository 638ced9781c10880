/* stack: argc/argv/envp/auxv at the entry point against what the kernel
 * reports in /proc, and the annotations of stack windows. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>

#include "stack.h"

static struct dbg_session *start(const char *path, char *const argv[], char *const envp[])
{
	struct dbg_session *s;
	struct dbg_err err;
	struct dbg_stop stop;
	T_OK(dbg_session_open(&s, path, &err), err);
	int rc = dbg_session_start(s, argv, envp, NULL, &stop, &err);
	if (rc == -EPERM)
		T_SKIP("ptrace refused: %s", err.msg);
	T_OK(rc, err);
	return s;
}

static uint64_t nm_addr(const char *path, const char *name)
{
	char cmd[1024], out[256];
	snprintf(cmd, sizeof(cmd), "nm '%s' | awk '$3 == \"%s\" { print $1; exit }'", path, name);
	if (t_capture(cmd, out, sizeof(out)) != 0 || !out[0])
		T_SETUP_FAIL("nm finds no %s", name);
	return strtoull(out, NULL, 16);
}

static void test_initial_stack(void)
{
	const char *path = t_env("MINIRT");
	char *argv[] = { (char *)path, "first", "second arg", NULL };
	char *envp[] = { "FOO=bar", "BOOTSCOPE_TEST=1", NULL };
	struct dbg_session *s = start(path, argv, envp);
	struct dbg_initstack st;
	struct dbg_err err;
	T_OK(dbg_stack_initial(s, &st, &err), err);
	T_EQ_HEX(st.sp, dbg_session_regs(s)->rsp);
	T_EQ_INT(st.argc, 3);
	T_EQ_INT(st.nargv, 3);
	for (int i = 0; i < 3; i++) {
		T_EQ_STR(st.argv[i].str, argv[i]);
		T_EQ_HEX(st.argv[i].slot, st.sp + 8 + 8 * (uint64_t)i);
	}
	T_EQ_INT(st.nenvp, 2);
	T_EQ_STR(st.envp[0].str, "FOO=bar");
	T_EQ_STR(st.envp[1].str, "BOOTSCOPE_TEST=1");
	T_EQ_HEX(st.envp[0].slot, st.sp + 8 * 5);

	/* the oracle: the kernel's copy of the auxiliary vector */
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/auxv", (int)dbg_session_pid(s));
	int fd = open(p, O_RDONLY);
	T_TRUE(fd >= 0);
	uint64_t kv[128][2];
	ssize_t k = read(fd, kv, sizeof(kv));
	close(fd);
	size_t nk = (size_t)k / 16;
	while (nk && kv[nk - 1][0] == 0)
		nk--;
	T_EQ_INT(st.nauxv, nk);
	bool pagesz = false, random = false;
	for (size_t i = 0; i < nk; i++) {
		T_EQ_INT(st.auxv[i].type, kv[i][0]);
		T_EQ_HEX(st.auxv[i].value, kv[i][1]);
		if (st.auxv[i].type == 6) {
			pagesz = true;
			T_EQ_STR(st.auxv[i].name, "AT_PAGESZ");
			T_EQ_INT(st.auxv[i].value, sysconf(_SC_PAGESIZE));
		}
		if (st.auxv[i].type == 25) {
			random = true;
			T_EQ_STR(st.auxv[i].name, "AT_RANDOM");
		}
		if (st.auxv[i].type == 9)
			T_EQ_HEX(st.auxv[i].value, nm_addr(path, "_rt0_amd64_linux"));
	}
	T_TRUE(pagesz && random);
	T_EQ_HEX(st.auxv[0].slot, st.envp[1].slot + 16);
	dbg_initstack_release(&st);
	dbg_session_free(s);
}

static void test_window_at_entry(void)
{
	const char *path = t_env("MINIRT");
	char *argv[] = { (char *)path, "x", NULL };
	char *envp[] = { "A=1", NULL };
	struct dbg_session *s = start(path, argv, envp);
	struct dbg_initstack st;
	struct dbg_err err;
	T_OK(dbg_stack_initial(s, &st, &err), err);
	struct dbg_stack_slot w[12];
	int n = dbg_stack_window(s, NULL, &st, st.sp, 12, w, &err);
	T_OK(n, err);
	T_EQ_INT(n, 12);
	const char *want[] = { "argc",    "argv[0]",        "argv[1]", "argv end (NULL)",
			       "envp[0]", "envp end (NULL)" };
	for (size_t i = 0; i < T_COUNT(want); i++) {
		T_EQ_STR(w[i].what, want[i]);
		T_EQ_STR(w[i].region, "os");
	}
	T_EQ_INT(w[0].value, 2);
	T_EQ_HEX(w[1].value, st.argv[0].ptr);
	char name[32];
	snprintf(name, sizeof(name), "auxv %s", st.auxv[0].name);
	T_EQ_STR(w[6].what, name);
	T_EQ_INT(w[6].value, st.auxv[0].type);
	snprintf(name, sizeof(name), "auxv %s value", st.auxv[0].name);
	T_EQ_STR(w[7].what, name);
	dbg_initstack_release(&st);
	dbg_session_free(s);
}

/* Inside runtime.check (called from rt0_go on g0's stack) the top slot is
 * the return address: the instruction after the call, by objdump. */
static void test_window_return_address(void)
{
	const char *path = t_env("MINIRT");
	char cmd[1024], out[256];
	snprintf(cmd, sizeof(cmd),
		 "objdump -d --no-show-raw-insn --disassemble=runtime.rt0_go '%s'"
		 " | awk '/call.*<runtime.check>/ { getline; print $1; exit }'",
		 path);
	T_EQ_INT(t_capture(cmd, out, sizeof(out)), 0);
	uint64_t ret = strtoull(out, NULL, 16);
	T_NE_HEX(ret, 0);

	struct dbg_session *s = start(path, NULL, NULL);
	struct dbg_stop stop;
	struct dbg_err err;
	T_OK(dbg_session_until(s, nm_addr(path, "runtime.check"), &stop, &err), err);
	struct dbg_rt rt = { 0 };
	T_OK(dbg_rt_read(s, &rt, &err), err);
	struct dbg_stack_slot w[4];
	T_OK(dbg_stack_window(s, &rt, NULL, dbg_session_regs(s)->rsp, 4, w, &err), err);
	T_EQ_HEX(w[0].value, ret);
	char sym[64], want[80];
	dbg_session_symbolize(s, ret, sym, sizeof(sym));
	snprintf(want, sizeof(want), "ret %s", sym);
	T_EQ_STR(w[0].what, want);
	T_CONTAINS(w[0].what, "runtime.rt0_go+0x");
	T_EQ_STR(w[0].region, "g0");
	dbg_rt_release(&rt);
	dbg_session_free(s);
}

/* hello at runtime.main: rsp lies in goroutine 1's stack; g0's saved
 * sched.sp is labelled. */
static void test_window_goroutine(void)
{
	const char *path = getenv("HELLO");
	if (!path)
		T_SKIP("the bundled runtime is not built");
	struct dbg_session *s = start(path, NULL, NULL);
	int i = dbg_stages_find(dbg_session_stages(s), "runtime.main");
	T_GE_INT(i, 0);
	struct dbg_stop stop;
	struct dbg_err err;
	T_OK(dbg_session_until(s, dbg_session_stages(s)->v[i].addr, &stop, &err), err);
	struct dbg_rt rt = { 0 };
	T_OK(dbg_rt_read(s, &rt, &err), err);
	struct dbg_stack_slot w[2];
	T_OK(dbg_stack_window(s, &rt, NULL, dbg_session_regs(s)->rsp, 2, w, &err), err);
	T_EQ_STR(w[0].region, "g1");
	const struct dbg_rt_g *g0 = dbg_rt_find_g(&rt, rt.g0);
	T_NOT_NULL(g0);
	T_NE_HEX(g0->sched_sp, 0);
	T_OK(dbg_stack_window(s, &rt, NULL, g0->sched_sp, 2, w, &err), err);
	T_EQ_STR(w[0].what, "g0.sched.sp");
	T_EQ_STR(w[0].region, "g0");
	dbg_rt_release(&rt);
	dbg_session_free(s);
}

static void test_no_process(void)
{
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, t_env("MINIRT"), &err), err);
	struct dbg_initstack st;
	T_EQ_INT(dbg_stack_initial(s, &st, &err), -ESRCH);
	T_EQ_STR(err.msg, "the program is not being run");
	T_EQ_STR(dbg_auxv_name(33), "AT_SYSINFO_EHDR");
	T_NULL(dbg_auxv_name(1000));
	dbg_session_free(s);
}

static const struct t_case cases[] = {
	T_CASE(test_initial_stack),
	T_CASE(test_window_at_entry),
	T_CASE(test_window_return_address),
	T_CASE(test_window_goroutine),
	T_CASE(test_no_process),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
