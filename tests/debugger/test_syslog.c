/*
 * The system call log and catchpoints (session.h, syslog.h) on the bundled
 * hello. The test process is the tracer, so at each catchpoint stop it
 * reads the thread's registers from the kernel itself (PTRACE_GETREGS):
 * the entry's number is the kernel's orig_rax, the address arch_prctl was
 * given is the fs_base the kernel holds after the return. The log made by
 * single-stepping (the `syscall` instruction decoded) and the one made by
 * a free run (the kernel's syscall stops) list the same calls of the main
 * thread, in order, with the same arguments.
 */
#include "testlib.h"

#include <errno.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include "session.h"
#include "syscalls.h"

static struct user_regs_struct kregs(pid_t tid)
{
	struct user_regs_struct u;
	if (ptrace(PTRACE_GETREGS, tid, NULL, &u) < 0)
		T_FAIL("PTRACE_GETREGS of %d: %s", (int)tid, strerror(errno));
	return u;
}

static struct dbg_session *start(const char *path, struct dbg_stop *stop)
{
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	char *argv[2] = { (char *)path, NULL };
	char *envp[2] = { "GOMAXPROCS=1", NULL };
	int rc = dbg_session_start(s, argv, envp, NULL, stop, &err);
	if (rc == -EPERM)
		T_SKIP("ptrace refused: %s", err.msg);
	T_OK(rc, err);
	return s;
}

static const char *hello(void)
{
	const char *p = getenv("HELLO");
	if (!p)
		T_SKIP("the bundled runtime is not built");
	return p;
}

static void test_catch_arch_prctl(void)
{
	struct dbg_stop stop;
	struct dbg_err err;
	struct dbg_session *s = start(hello(), &stop);
	uint64_t nr = SYS_arch_prctl;
	int id = dbg_session_catch_syscall(s, &nr, 1, false, "arch_prctl", &err);
	T_OK(id < 0 ? id : 0, err);

	/* the entry: inside the kernel (a free run), as gdb's */
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_SYSCALL);
	T_EQ_INT(stop.bp_id, id);
	T_FALSE(stop.sys_return);
	struct user_regs_struct u = kregs(stop.tid);
	T_EQ_INT(u.orig_rax, SYS_arch_prctl);
	const struct dbg_sys_event *v;
	size_t n = dbg_session_syscalls(s, &v);
	T_TRUE(stop.sys_index >= 0 && (size_t)stop.sys_index < n);
	const struct dbg_sys_event *e = &v[stop.sys_index];
	T_EQ_INT(e->kind, DBG_SYS_CALL);
	T_EQ_INT(e->nr, SYS_arch_prctl);
	T_EQ_HEX(e->args[0], u.rdi);
	T_EQ_HEX(e->args[1], u.rsi);
	T_EQ_HEX(e->args[0], 0x1002); /* ARCH_SET_FS */
	T_FALSE(e->returned);
	T_EQ_HEX(e->pc, u.rip - 2);
	char fn[128];
	T_TRUE(e->caller != 0);
	dbg_session_symbolize(s, e->caller, fn, sizeof(fn));
	T_TRUE(strncmp(fn, "runtime.settls", 14) == 0);
	uint64_t want_fs = e->args[1];

	/* the return: the kernel now holds the address it was given */
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_SYSCALL);
	T_TRUE(stop.sys_return);
	u = kregs(stop.tid);
	T_EQ_HEX(u.fs_base, want_fs);
	n = dbg_session_syscalls(s, &v);
	e = &v[stop.sys_index];
	T_TRUE(e->returned);
	T_EQ_INT(e->ret, 0);
	T_EQ_INT((int64_t)u.rax, 0);

	/* no other arch_prctl: the program runs to its end */
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	const struct dbg_catch *c;
	T_EQ_INT(dbg_session_catchpoints(s, &c), 1);
	T_EQ_INT(c[0].hits, 2);
	dbg_session_free(s);
}

/* tcatch: gone after its first stop; a disabled catchpoint does not stop */
static void test_tcatch_and_disable(void)
{
	struct dbg_stop stop;
	struct dbg_err err;
	struct dbg_session *s = start(hello(), &stop);
	uint64_t w = SYS_write, m = SYS_mmap;
	int t = dbg_session_catch_syscall(s, &w, 1, true, "write", &err);
	int d = dbg_session_catch_syscall(s, &m, 1, false, "mmap", &err);
	T_TRUE(t > 0 && d > t);
	T_OK(dbg_session_enable(s, d, false, &err), err);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_SYSCALL);
	T_EQ_INT(stop.bp_id, t);
	T_EQ_INT(kregs(stop.tid).orig_rax, SYS_write);
	const struct dbg_catch *c;
	T_EQ_INT(dbg_session_catchpoints(s, &c), 1);
	T_EQ_INT(c[0].id, d);
	T_OK(dbg_session_delete(s, d, &err), err);
	T_EQ_INT(dbg_session_catchpoints(s, &c), 0);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	dbg_session_free(s);
}

struct call {
	uint64_t nr, args[6];
	int64_t ret;
	bool returned;
};

/* The main thread's calls, in order. */
static size_t main_calls(struct dbg_session *s, pid_t tid, struct call *out, size_t max)
{
	const struct dbg_sys_event *v;
	size_t n = dbg_session_syscalls(s, &v), k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		if (v[i].kind != DBG_SYS_CALL || v[i].tid != tid)
			continue;
		out[k].nr = v[i].nr;
		memcpy(out[k].args, v[i].args, sizeof(out[k].args));
		out[k].ret = v[i].ret;
		out[k].returned = v[i].returned;
		k++;
	}
	return k;
}

static void test_stepped_equals_free(void)
{
	struct dbg_stop stop;
	struct dbg_err err;
	struct call a[256], b[256];

	struct dbg_session *s = start(hello(), &stop);
	pid_t tid = dbg_session_pid(s);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	size_t na = main_calls(s, tid, a, 256);
	dbg_session_free(s);

	s = start(hello(), &stop);
	tid = dbg_session_pid(s);
	/* a stepped syscall is named on the step's stop */
	bool named = false;
	for (int i = 0; i < 200000 && stop.reason != DBG_STOP_EXITED; i++) {
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
		if (stop.reason == DBG_STOP_STEP && stop.sys_index >= 0) {
			const struct dbg_sys_event *v;
			size_t n = dbg_session_syscalls(s, &v);
			T_TRUE((size_t)stop.sys_index < n);
			T_TRUE(v[stop.sys_index].returned);
			T_EQ_HEX(v[stop.sys_index].pc + 2, stop.pc);
			named = true;
		}
	}
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_TRUE(named);
	size_t nb = main_calls(s, tid, b, 256);
	dbg_session_free(s);

	T_TRUE(na >= 8);
	T_EQ_INT(na, nb);
	for (size_t i = 0; i < na; i++) {
		T_EQ_INT(a[i].nr, b[i].nr);
		T_EQ_INT(a[i].returned, b[i].returned);
		if (a[i].nr == SYS_exit_group)
			T_FALSE(a[i].returned); /* it does not return */
		/* addresses and thread ids differ between runs only where
		 * the kernel picks them (mmap's result, clone's, gettid's) */
		if (a[i].nr == SYS_arch_prctl || a[i].nr == SYS_write)
			for (int k = 0; k < 3; k++)
				T_EQ_HEX(a[i].args[k], b[i].args[k]);
	}
	T_EQ_INT(a[na - 1].nr, SYS_exit_group);
}

static const struct t_case cases[] = {
	T_CASE(test_catch_arch_prctl),
	T_CASE(test_tcatch_and_disable),
	T_CASE(test_stepped_equals_free),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
