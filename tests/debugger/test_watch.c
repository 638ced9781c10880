/* Watchpoints' debug registers, read back from the kernel: a hardware
 * watchpoint set before the program runs is in DR0 and DR7 of the first
 * thread, of a thread the program creates later (runtime.mstart1 on a new
 * M's own thread, in the bundled sleeper) and of every thread after a restart; deleting it clears DR7
 * on all of them; the fifth is refused. The test process is the tracer, so
 * it reads the registers itself with PTRACE_PEEKUSER, independently of the
 * engine. Hardware watchpoints are forced on (set can-use-hw-watchpoints
 * 1): the registers are set whether or not this machine's CPU fires them. */
#include "testlib.h"

#include <errno.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "session.h"

static uint64_t dreg(pid_t tid, int i)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, (void *)offsetof(struct user, u_debugreg[i]), NULL);
	if (errno)
		T_FAIL("PTRACE_PEEKUSER DR%d of %d: %s", i, (int)tid, strerror(errno));
	return (uint64_t)v;
}

/* Every thread: DR0 = addr and DR7 as for one 8-byte write watchpoint in
 * slot 0 (L0, R/W0 = 01, LEN0 = 10), or DR7 = 0 when !armed. Returns the
 * number of threads checked. */
static size_t check_threads(struct dbg_session *s, uint64_t addr, bool armed)
{
	struct dbg_thread_info th[64];
	size_t n = dbg_session_threads(s, th, 64);
	for (size_t i = 0; i < n && i < 64; i++) {
		if (!armed) {
			T_EQ_HEX(dreg(th[i].tid, 7) & 0xff, 0);
			continue;
		}
		T_EQ_HEX(dreg(th[i].tid, 0), addr);
		T_EQ_HEX(dreg(th[i].tid, 7) & 0xf00ff, 0x90001);
	}
	return n;
}

static void test_dregs_on_every_thread(void)
{
	/* sleeper starts sysmon's M before anything else runs, and hands
	 * its P to another M: threads made after the start, every time */
	const char *path = getenv("SLEEPER");
	if (!path)
		T_SKIP("the bundled runtime is not built");
	struct dbg_session *s;
	struct dbg_err err;
	struct dbg_stop stop;
	T_OK(dbg_session_open(&s, path, &err), err);
	uint64_t m0, mstart1;
	T_EQ_INT(dbg_elf_lookup(dbg_session_elf(s), "runtime.m0", &m0), 0);
	T_EQ_INT(dbg_elf_lookup(dbg_session_elf(s), "runtime.mstart1", &mstart1), 0);

	dbg_session_set_hw_watch(s, true);
	int id = dbg_session_watch(s, DBG_WATCH_WRITE, m0 + 8, 8, "*(long*)(&runtime.m0+8)", &err);
	T_OK(id < 0 ? id : 0, err);
	T_TRUE(dbg_session_break(s, mstart1, false, &err) > 0);

	char *argv[2] = { (char *)path, NULL };
	int rc = dbg_session_start(s, argv, NULL, NULL, &stop, &err);
	if (rc == -EPERM)
		T_SKIP("ptrace refused: %s", err.msg);
	T_OK(rc, err);
	T_EQ_INT(check_threads(s, m0 + 8, true), 1);

	/* mstart1 on m0, then on the first M the runtime starts, on its own
	 * thread: created after the watchpoint was set */
	pid_t leader = dbg_session_pid(s);
	bool other = false;
	for (int i = 0; i < 8 && !other; i++) {
		T_OK(dbg_session_cont(s, &stop, &err), err);
		if (stop.reason != DBG_STOP_BREAKPOINT)
			break;
		other = stop.tid != leader;
	}
	T_TRUE(other);
	T_TRUE(check_threads(s, m0 + 8, true) >= 2);

	/* three more fill the registers; a fifth has none */
	for (int i = 1; i < 4; i++)
		T_TRUE(dbg_session_watch(s, DBG_WATCH_ACCESS, m0 + 16 * (uint64_t)i, 8, "x", &err) >
		       0);
	T_EQ_INT(dbg_session_watch(s, DBG_WATCH_WRITE, m0 + 64, 8, "y", &err), -ENOSPC);
	T_TRUE(strcmp(err.msg, "no free debug register: 4 watchpoints in use") == 0);

	/* deleted: DR7 off on every thread */
	dbg_session_delete_all(s);
	check_threads(s, 0, false);

	/* set again, then a restart arms the new process */
	T_TRUE(dbg_session_watch(s, DBG_WATCH_WRITE, m0 + 8, 8, "z", &err) > 0);
	check_threads(s, m0 + 8, true);
	T_OK(dbg_session_start(s, argv, NULL, NULL, &stop, &err), err);
	T_EQ_INT(check_threads(s, m0 + 8, true), 1);
	dbg_session_free(s);
}

static const struct t_case cases[] = {
	T_CASE(test_dregs_on_every_thread),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
