/*
 * ptrace — process control (see ptrace.h). The only file that includes
 * <sys/ptrace.h>; decode_status() is the only wait-status decoder.
 */
#include "ptrace.h"

#include <emmintrin.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * ptrace(2) without libc's wrapper (variadic, errno, PEEK requests turned
 * into a return value): the stepping loop makes two of these per step.
 * Returns the kernel's result, -errno on failure; PEEK requests store the
 * word at data.
 */
static inline long sys_ptrace(long req, pid_t tid, void *addr, void *data)
{
	long ret;
	register long r10 __asm__("r10") = (long)data;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_ptrace), "D"(req), "S"((long)tid), "d"(addr), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

/* wait4 without libc's wrapper (the step's path waits once per step):
 * the thread's id, or -errno. */
static inline long sys_wait4(pid_t pid, int *status, int options)
{
	long ret;
	register long r10 __asm__("r10") = 0;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_wait4), "D"((long)pid), "S"(status), "d"((long)options),
			   "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The words of a user_regs_struct that sit in pairs in struct dbg_regs
 * too, in the same order or swapped, are moved two at a time (SSE2). */
static inline void pair_move(void *to, const void *from, bool swap)
{
	__m128i v = _mm_loadu_si128((const __m128i *)from);
	if (swap)
		v = _mm_shuffle_epi32(v, 0x4e);
	_mm_storeu_si128((__m128i *)to, v);
}

static void from_user(struct dbg_regs *r, const struct user_regs_struct *u)
{
	pair_move(&r->r14, &u->r15, true);
	pair_move(&r->r12, &u->r13, true);
	pair_move(&r->r10, &u->r11, true);
	pair_move(&r->r8, &u->r9, true);
	pair_move(&r->rdx, &u->rdx, false); /* rdx, rsi */
	pair_move(&r->eflags, &u->cs, true);
	pair_move(&r->ds, &u->ds, false); /* ds, es */
	pair_move(&r->fs, &u->fs, false); /* fs, gs */
	pair_move(&r->fs_base, &u->fs_base, false);
	r->rax = u->rax;
	r->rbx = u->rbx;
	r->rcx = u->rcx;
	r->rdi = u->rdi;
	r->rbp = u->rbp;
	r->rsp = u->rsp;
	r->rip = u->rip;
	r->ss = u->ss;
	r->orig_rax = u->orig_rax;
}

_Static_assert(offsetof(struct dbg_regs, r15) == offsetof(struct dbg_regs, r14) + 8 &&
		       offsetof(struct user_regs_struct, r14) ==
			       offsetof(struct user_regs_struct, r15) + 8 &&
		       offsetof(struct dbg_regs, r13) == offsetof(struct dbg_regs, r12) + 8 &&
		       offsetof(struct user_regs_struct, r12) ==
			       offsetof(struct user_regs_struct, r13) + 8 &&
		       offsetof(struct dbg_regs, r11) == offsetof(struct dbg_regs, r10) + 8 &&
		       offsetof(struct user_regs_struct, r10) ==
			       offsetof(struct user_regs_struct, r11) + 8 &&
		       offsetof(struct dbg_regs, r9) == offsetof(struct dbg_regs, r8) + 8 &&
		       offsetof(struct user_regs_struct, r8) ==
			       offsetof(struct user_regs_struct, r9) + 8 &&
		       offsetof(struct dbg_regs, rsi) == offsetof(struct dbg_regs, rdx) + 8 &&
		       offsetof(struct user_regs_struct, rsi) ==
			       offsetof(struct user_regs_struct, rdx) + 8 &&
		       offsetof(struct dbg_regs, cs) == offsetof(struct dbg_regs, eflags) + 8 &&
		       offsetof(struct user_regs_struct, eflags) ==
			       offsetof(struct user_regs_struct, cs) + 8 &&
		       offsetof(struct dbg_regs, es) == offsetof(struct dbg_regs, ds) + 8 &&
		       offsetof(struct user_regs_struct, es) ==
			       offsetof(struct user_regs_struct, ds) + 8 &&
		       offsetof(struct dbg_regs, gs) == offsetof(struct dbg_regs, fs) + 8 &&
		       offsetof(struct user_regs_struct, gs) ==
			       offsetof(struct user_regs_struct, fs) + 8 &&
		       offsetof(struct dbg_regs, gs_base) ==
			       offsetof(struct dbg_regs, fs_base) + 8 &&
		       offsetof(struct user_regs_struct, gs_base) ==
			       offsetof(struct user_regs_struct, fs_base) + 8,
	       "the register pairs from_user moves together");

static void to_user(struct user_regs_struct *u, const struct dbg_regs *r)
{
	u->rax = r->rax;
	u->rbx = r->rbx;
	u->rcx = r->rcx;
	u->rdx = r->rdx;
	u->rsi = r->rsi;
	u->rdi = r->rdi;
	u->rbp = r->rbp;
	u->rsp = r->rsp;
	u->r8 = r->r8;
	u->r9 = r->r9;
	u->r10 = r->r10;
	u->r11 = r->r11;
	u->r12 = r->r12;
	u->r13 = r->r13;
	u->r14 = r->r14;
	u->r15 = r->r15;
	u->rip = r->rip;
	u->eflags = r->eflags;
	u->cs = r->cs;
	u->ss = r->ss;
	u->ds = r->ds;
	u->es = r->es;
	u->fs = r->fs;
	u->gs = r->gs;
	u->fs_base = r->fs_base;
	u->gs_base = r->gs_base;
	u->orig_rax = r->orig_rax;
}

const char *dbg_sched_lock_name(enum dbg_sched_lock l)
{
	switch (l) {
	case DBG_SCHED_LOCK_STEP:
		return "step";
	case DBG_SCHED_LOCK_ON:
		return "on";
	case DBG_SCHED_LOCK_OFF:
		return "off";
	}
	return "step";
}

/* ---- threads ------------------------------------------------------------ */

static struct dbg_thread *find_thread(struct dbg_ptrace *pt, pid_t tid)
{
	/* most often the current thread: the one stepped */
	if (pt->cur < pt->nthreads && pt->threads[pt->cur].tid == tid)
		return &pt->threads[pt->cur];
	for (size_t i = 0; i < pt->nthreads; i++)
		if (pt->threads[i].tid == tid)
			return &pt->threads[i];
	return NULL;
}

static struct dbg_thread *add_thread(struct dbg_ptrace *pt, pid_t tid)
{
	pt->threads = dbg_grow(pt->threads, &pt->cap, pt->nthreads + 1, sizeof(*pt->threads));
	struct dbg_thread *t = &pt->threads[pt->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	return t;
}

static void remove_thread(struct dbg_ptrace *pt, struct dbg_thread *t)
{
	size_t i = (size_t)(t - pt->threads);
	pid_t cur = pt->threads[pt->cur].tid;
	if (t->tid == cur)
		pt->cur_gone = true;
	memmove(&pt->threads[i], &pt->threads[i + 1], (pt->nthreads - i - 1) * sizeof(*t));
	pt->nthreads--;
	pt->cur = 0;
	for (size_t j = 0; j < pt->nthreads; j++)
		if (pt->threads[j].tid == cur)
			pt->cur = j;
}

int dbg_ptrace_select(struct dbg_ptrace *pt, pid_t tid)
{
	struct dbg_thread *t = find_thread(pt, tid);
	if (!t)
		return -ESRCH;
	pt->cur = (size_t)(t - pt->threads);
	return 0;
}

int dbg_ptrace_regs(struct dbg_ptrace *pt, struct dbg_thread *t, struct dbg_err *err)
{
	(void)pt;
	if (t->regs_valid)
		return 0;
	struct user_regs_struct u;
	long rc = sys_ptrace(PTRACE_GETREGS, t->tid, NULL, &u);
	if (rc < 0)
		return dbg_err_errno(err, (int)rc, "cannot read registers of thread %d",
				     (int)t->tid);
	from_user(&t->regs, &u);
	t->regs_valid = true;
	return 0;
}

int dbg_ptrace_set_regs(struct dbg_ptrace *pt, struct dbg_thread *t, struct dbg_err *err)
{
	(void)pt;
	struct user_regs_struct u;
	to_user(&u, &t->regs);
	if (ptrace(PTRACE_SETREGS, t->tid, NULL, &u) < 0)
		return dbg_err_errno(err, -errno, "cannot write registers of thread %d",
				     (int)t->tid);
	t->regs_dirty = false;
	return 0;
}

int dbg_ptrace_peek(pid_t tid, uint64_t addr, uint64_t *word)
{
	long rc = sys_ptrace(PTRACE_PEEKDATA, tid, (void *)addr, word);
	return rc < 0 ? (int)rc : 0;
}

int dbg_ptrace_poke(pid_t tid, uint64_t addr, uint64_t word)
{
	if (ptrace(PTRACE_POKEDATA, tid, (void *)addr, (void *)word) < 0)
		return -errno;
	return 0;
}

int dbg_ptrace_siginfo(pid_t tid, int *signo, int *code, uint64_t *addr)
{
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, tid, NULL, &si) < 0)
		return -errno;
	if (signo)
		*signo = si.si_signo;
	if (code)
		*code = si.si_code;
	if (addr)
		*addr = (uint64_t)si.si_addr;
	return 0;
}

/* ---- debug registers ---------------------------------------------------- */

static int poke_dreg(pid_t tid, int i, uint64_t v, struct dbg_err *err)
{
	if (ptrace(PTRACE_POKEUSER, tid, (void *)offsetof(struct user, u_debugreg[i]), (void *)v) <
	    0)
		return dbg_err_errno(err, -errno, "cannot set debug register %d of thread %d", i,
				     (int)tid);
	return 0;
}

/* DR7 off first: an address change is checked against the length DR7
 * gives the slot. */
static int thread_dregs(const struct dbg_ptrace *pt, pid_t tid, struct dbg_err *err)
{
	int rc = poke_dreg(tid, 7, 0, err);
	for (int i = 0; i < 4 && rc == 0; i++)
		rc = poke_dreg(tid, i, pt->dr[i], err);
	if (rc == 0 && pt->dr7)
		rc = poke_dreg(tid, 7, pt->dr7, err);
	return rc;
}

/* The debug registers of every traced thread from pt->dr and pt->dr7. */
static int each_thread_dregs(struct dbg_ptrace *pt, struct dbg_err *err)
{
	for (size_t i = 0; i < pt->nthreads; i++) {
		int rc = thread_dregs(pt, pt->threads[i].tid, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int dbg_ptrace_reapply_dregs(struct dbg_ptrace *pt, struct dbg_err *err)
{
	return pt->dr7 ? each_thread_dregs(pt, err) : 0;
}

int dbg_ptrace_set_dregs(struct dbg_ptrace *pt, const uint64_t dr[4], uint64_t dr7,
			 struct dbg_err *err)
{
	bool was = pt->dr7 != 0;
	memcpy(pt->dr, dr, sizeof(pt->dr));
	pt->dr7 = dr7;
	if (!was && !dr7)
		return 0;
	return each_thread_dregs(pt, err);
}

int dbg_ptrace_dr6(pid_t tid, uint64_t *dr6)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, (void *)offsetof(struct user, u_debugreg[6]), NULL);
	if (errno)
		return -errno;
	*dr6 = (uint64_t)v;
	return 0;
}

int dbg_ptrace_clear_dr6(pid_t tid)
{
	return poke_dreg(tid, 6, 0, NULL);
}

bool dbg_ptrace_dregs_fire(void)
{
	static int known = -1;
	if (known >= 0)
		return known;
	static volatile uint64_t word;
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_BREAKPOINT;
	a.size = sizeof(a);
	a.bp_type = HW_BREAKPOINT_W;
	a.bp_addr = (uint64_t)(uintptr_t)&word;
	a.bp_len = HW_BREAKPOINT_LEN_8;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	int fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		known = 1;
		return true;
	}
	for (int i = 0; i < 4; i++)
		word = (uint64_t)i;
	uint64_t count = 0;
	known = read(fd, &count, sizeof(count)) == (ssize_t)sizeof(count) && count > 0;
	close(fd);
	return known;
}

/* ---- launch ------------------------------------------------------------- */

static void child_exec(const char *path, char *const argv[], char *const envp[],
		       const struct dbg_launch_opts *o, int report_fd, pid_t parent)
{
	/* Die with the debugger, from here on: until PTRACE_O_EXITKILL is set
	 * nothing else ends us when it is killed. A parent already gone
	 * before the prctl would not be noticed, hence the check. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);

	int in = o->stdin_fd;
	if (in < 0)
		in = open("/dev/null", O_RDONLY);
	if (in >= 0 && in != 0)
		dup2(in, 0);
	if (o->stdout_fd >= 0 && o->stdout_fd != 1)
		dup2(o->stdout_fd, 1);
	if (o->stderr_fd >= 0 && o->stderr_fd != 2)
		dup2(o->stderr_fd, 2);

	/* Keep the terminal's Ctrl-C for the debugger. */
	setpgid(0, 0);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);

	if (!o->keep_aslr)
		personality(ADDR_NO_RANDOMIZE);
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		goto fail;
	execve(path, argv, envp ? envp : environ);
fail:;
	int e = errno;
	ssize_t w = write(report_fd, &e, sizeof(e));
	(void)w;
	_exit(127);
}

/*
 * The guard: a fork of ours in the program's process group that waits for
 * the end of a pipe only we hold (close-on-exec), then kills the group. It
 * outlives our death by any signal, SIGKILL included, just long enough to
 * take the program's children along. Its membership keeps the group id
 * from being reused while we might still signal it.
 */
static int start_guard(struct dbg_ptrace *pt, struct dbg_err *err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return dbg_err_errno(err, -errno, "cannot create a pipe");
	pid_t pgid = pt->pid;
	pid_t g = fork();
	if (g < 0) {
		int e = -errno;
		close(p[0]);
		close(p[1]);
		return dbg_err_errno(err, e, "cannot fork");
	}
	if (g == 0) {
		/* Signals meant for the program's group or our terminal
		 * (kill(0, SIGTERM), SIGHUP) must not end the guard first. */
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		setpgid(0, pgid);
		/* Hold nothing of ours: a copy of the write end of the
		 * program's output pipe would hide its end of file. */
		if (dup2(p[0], 0) < 0)
			_exit(1);
		if (close_range(1, ~0u, 0) < 0) /* before Linux 5.9 */
			for (int fd = 1; fd < 1024; fd++)
				close(fd);
		char c;
		ssize_t r;
		do
			r = read(0, &c, 1);
		while (r > 0 || (r < 0 && errno == EINTR));
		kill(-pgid, SIGKILL);
		_exit(0);
	}
	setpgid(g, pgid);
	close(p[0]);
	pt->guard = g;
	pt->guard_fd = p[1];
	return 0;
}

int dbg_ptrace_launch(struct dbg_ptrace *pt, const char *path, char *const argv[],
		      char *const envp[], const struct dbg_launch_opts *opts, struct dbg_err *err)
{
	memset(pt, 0, sizeof(*pt));
	pt->pin_cpu = -1;
	pt->next_sys = -1;
	pt->may_output = true;
	pt->guard_fd = -1;
	pt->out_fd[0] = pt->out_fd[1] = -1;

	struct dbg_launch_opts def = { .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
	if (!opts)
		opts = &def;

	int rep[2];
	if (pipe2(rep, O_CLOEXEC) < 0)
		return dbg_err_errno(err, -errno, "cannot create a pipe");
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int e = -errno;
		close(rep[0]);
		close(rep[1]);
		return dbg_err_errno(err, e, "cannot fork");
	}
	if (pid == 0) {
		close(rep[0]);
		child_exec(path, argv, envp, opts, rep[1], parent);
	}
	/* The child does the same: whichever runs first, the group exists
	 * before either goes on. */
	setpgid(pid, pid);
	close(rep[1]);

	int child_errno = 0;
	ssize_t r;
	do
		r = read(rep[0], &child_errno, sizeof(child_errno));
	while (r < 0 && errno == EINTR);
	close(rep[0]);

	int status;
	pid_t w;
	do
		w = waitpid(pid, &status, __WALL);
	while (w < 0 && errno == EINTR);

	if (r == (ssize_t)sizeof(child_errno)) {
		if (child_errno == EPERM)
			return dbg_err_errno(err, -EPERM, "cannot trace %s (ptrace refused)", path);
		return dbg_err_errno(err, -child_errno, "cannot execute %s", path);
	}
	if (w < 0 || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) {
		if (w >= 0 && !WIFSTOPPED(status)) {
			return dbg_err_set(err, -ECHILD,
					   "cannot start %s: it ended before the first instruction",
					   path);
		}
		kill(pid, SIGKILL);
		waitpid(pid, &status, __WALL);
		return dbg_err_set(err, -ECHILD, "cannot start %s: unexpected first stop", path);
	}

	long o = PTRACE_O_EXITKILL | PTRACE_O_TRACECLONE | PTRACE_O_TRACESYSGOOD |
		 PTRACE_O_TRACEEXEC;
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)o) < 0) {
		int e = -errno;
		kill(pid, SIGKILL);
		waitpid(pid, &status, __WALL);
		return dbg_err_errno(err, e, "cannot set ptrace options on %d", (int)pid);
	}
	pt->pid = pid;
	add_thread(pt, pid);
	pt->cur = 0;
	int rc = start_guard(pt, err);
	if (rc == 0)
		rc = dbg_ptrace_regs(pt, &pt->threads[0], err);
	if (rc < 0) {
		dbg_ptrace_free(pt);
		return rc;
	}
	return 0;
}

void dbg_ptrace_free(struct dbg_ptrace *pt)
{
	/* The group: what the program forked, the guard, the program. The
	 * guard still pins the id even when the program is gone. */
	if (pt->pid > 0 && pt->guard > 0)
		kill(-pt->pid, SIGKILL);
	if (pt->pid > 0 && !pt->gone) {
		kill(pt->pid, SIGKILL);
		/* Reap every thread and the leader; __WALL sees clones too. */
		for (;;) {
			int st;
			pid_t w = waitpid(-pt->pid, &st, __WALL);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				break;
			if (w == pt->pid && (WIFEXITED(st) || WIFSIGNALED(st)))
				break;
		}
	}
	if (pt->guard > 0) {
		close(pt->guard_fd);
		while (waitpid(pt->guard, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (pt->pin_cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		for (int c = 0; c < 64; c++)
			if (pt->tracer_mask & (1ull << c))
				CPU_SET(c, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	free(pt->threads);
	memset(pt, 0, sizeof(*pt));
	pt->pin_cpu = -1;
	pt->next_sys = -1;
	pt->may_output = true;
	pt->guard_fd = -1;
	pt->out_fd[0] = pt->out_fd[1] = -1;
}

void dbg_ptrace_interrupt(struct dbg_ptrace *pt)
{
	if (pt->pid > 0 && !pt->gone) {
		pt->interrupt = 1;
		kill(pt->pid, SIGSTOP);
	}
}

/* ---- waiting ------------------------------------------------------------ */

/* What handle_status() made of one waitpid result. */
enum wres {
	W_REPORT,   /* *stop holds an event for the caller */
	W_ABSORBED, /* internal (our SIGSTOP, a clone, a thread exit): keep waiting */
};

/* Signals a program takes in its stride (timers, child status, window
 * size, Go's preemption SIGURG): passed on without stopping. */
static bool quiet_signal(int sig)
{
	switch (sig) {
	case SIGALRM:
	case SIGURG:
	case SIGIO:
	case SIGVTALRM:
	case SIGPROF:
	case SIGCHLD:
	case SIGWINCH:
		return true;
	default:
		return false;
	}
}

/* Tell the on_sys hook that t received sig (passed on or reported). */
static void tell_signal(struct dbg_ptrace *pt, struct dbg_thread *t, int sig, bool reported)
{
	if (!pt->on_sys)
		return;
	struct dbg_pt_sys e = { .signal = true, .signo = sig, .reported = reported };
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, t->tid, NULL, &si) == 0)
		e.code = si.si_code;
	pt->on_sys(pt->sys_arg, t, &e);
}

static void set_mask(pid_t tid, uint64_t mask);

/* Calls that make a thread or a process: the child takes the caller's
 * CPU mask. */
static bool clone_like(uint64_t nr)
{
	return nr == SYS_clone || nr == SYS_clone3 || nr == SYS_fork || nr == SYS_vfork;
}

/* Whether a free run may pin (see dbg_ptrace_cont): one thread, which is
 * not inside a call whose child would take the pin. */
static bool run_may_pin(const struct dbg_ptrace *pt)
{
	return pt->pin_runs && pt->trace_sys && !pt->pin_never && pt->nthreads == 1 &&
	       !(pt->threads[0].in_sys && clone_like(pt->threads[0].in_sys_nr));
}

/*
 * The pin kept out of the program's sight at its syscall stops (entry: nr;
 * exit: the call of the entry seen): its own mask around sched_getaffinity,
 * no pin while a clone-like call runs (pinned again after one that made no
 * thread), none at all once it sets a mask itself.
 */
static void pin_at_sys(struct dbg_ptrace *pt, struct dbg_thread *t, bool exit, uint64_t nr)
{
	if (!exit) {
		t->in_sys = true;
		t->in_sys_nr = (uint32_t)nr;
		if (nr == SYS_sched_setaffinity) {
			pt->pin_never = true;
			if (pt->pin_cpu >= 0)
				dbg_ptrace_pin(pt, false);
		} else if (pt->pin_cpu >= 0 && nr == SYS_sched_getaffinity) {
			set_mask(t->tid, t->saved_mask);
		} else if (pt->pin_cpu >= 0 && clone_like(nr)) {
			dbg_ptrace_pin(pt, false);
		}
		return;
	}
	if (!t->in_sys)
		return;
	t->in_sys = false;
	if (pt->pin_cpu >= 0 && t->in_sys_nr == SYS_sched_getaffinity)
		set_mask(t->tid, 1ull << pt->pin_cpu);
	else if (pt->pin_cpu < 0 && pt->running_free && clone_like(t->in_sys_nr) && run_may_pin(pt))
		dbg_ptrace_pin(pt, true);
}

/*
 * A syscall stop (PTRACE_SYSCALL with TRACESYSGOOD): told to the hook,
 * reported when it asks, else the thread goes on (wait_report resumes a
 * stopped thread that must keep running).
 */
static enum wres syscall_stop(struct dbg_ptrace *pt, struct dbg_thread *t, struct dbg_pt_stop *stop)
{
	struct dbg_pt_sys e = { .may_report = !pt->stopping };
	/*
	 * A stop where an entry is due (none seen since the thread last
	 * left one) whose rax holds -ENOSYS is an entry: the kernel puts
	 * -ENOSYS there before the entry stop (strace's test). The hook
	 * needs the registers of an entry anyway, so one PTRACE_GETREGS
	 * serves both. Anything else asks the kernel which stop it is.
	 */
	if (!t->in_sys && dbg_ptrace_regs(pt, t, NULL) == 0 && t->regs.rax == (uint64_t)-ENOSYS) {
		const struct dbg_regs *r = &t->regs;
		e.pc = r->rip;
		e.nr = r->orig_rax;
		e.args[0] = r->rdi;
		e.args[1] = r->rsi;
		e.args[2] = r->rdx;
		e.args[3] = r->r10;
		e.args[4] = r->r8;
		e.args[5] = r->r9;
		goto known;
	}
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info) <= 0)
		return W_ABSORBED;
	e.pc = info.instruction_pointer;
	if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
		e.nr = info.entry.nr;
		memcpy(e.args, info.entry.args, sizeof(e.args));
	} else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
		e.exit = true;
		e.ret = info.exit.rval;
	} else {
		return W_ABSORBED;
	}
known:
	pin_at_sys(pt, t, e.exit, e.nr);
	if (!pt->on_sys)
		return W_ABSORBED;
	if (!pt->on_sys(pt->sys_arg, t, &e) || pt->stopping)
		return W_ABSORBED;
	stop->event = DBG_PT_SYSCALL;
	stop->signo = SIGTRAP;
	stop->sys_exit = e.exit;
	return W_REPORT;
}

/*
 * The single wait-status decoder. Updates thread bookkeeping and decides
 * whether the status is an event for the caller. A thread that stops is
 * left stopped (running = false) unless noted.
 */
static enum wres decode_status(struct dbg_ptrace *pt, pid_t tid, int status,
			       struct dbg_pt_stop *stop)
{
	memset(stop, 0, sizeof(*stop));
	stop->tid = tid;
	struct dbg_thread *t = find_thread(pt, tid);

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (tid == pt->pid) {
			pt->gone = true;
			stop->tid = 0;
			if (WIFEXITED(status)) {
				stop->event = DBG_PT_EXITED;
				stop->code = WEXITSTATUS(status);
			} else {
				stop->event = DBG_PT_SIGNALED;
				stop->signo = WTERMSIG(status);
			}
			pt->nthreads = 0;
			pt->cur = 0;
			return W_REPORT;
		}
		if (t)
			remove_thread(pt, t);
		return W_ABSORBED;
	}
	if (!WIFSTOPPED(status))
		return W_ABSORBED;

	int sig = WSTOPSIG(status);
	int event = status >> 16;
	if (!t) {
		/* A new clone whose first stop arrived before its parent's
		 * PTRACE_EVENT_CLONE. Its SIGSTOP is the one we absorb here. */
		t = add_thread(pt, tid);
		t->running = false;
		if (pt->pin_cpu >= 0)
			t->saved_mask = pt->threads[pt->cur].saved_mask;
		if (pt->dr7)
			thread_dregs(pt, tid, NULL); /* before it runs */
		if (pt->pin_cpu >= 0 && pt->running_free)
			dbg_ptrace_pin(pt, false); /* a second thread: no pin */
		return W_ABSORBED;
	}
	t->running = false;
	t->regs_valid = false;

	if (sig == SIGTRAP && event) {
		if (event == PTRACE_EVENT_CLONE) {
			unsigned long nt = 0;
			ptrace(PTRACE_GETEVENTMSG, tid, NULL, &nt);
			if (!find_thread(pt, (pid_t)nt)) {
				uint64_t mask = t->saved_mask;
				struct dbg_thread *n = add_thread(pt, (pid_t)nt);
				n->running = true; /* until its SIGSTOP shows */
				n->sigstop_expected = true;
				n->fresh = true;
				n->saved_mask = mask;
				if (pt->pin_cpu >= 0 && pt->running_free)
					dbg_ptrace_pin(pt, false);
			}
			stop->event = DBG_PT_TRAP;
			stop->code = -PTRACE_EVENT_CLONE; /* internal marker */
			return W_ABSORBED;
		}
		if (event == PTRACE_EVENT_EXEC) {
			/* Only the leader survives an execve; the CPU mask
			 * to restore after pinning is the exec'ing thread's. */
			pid_t leader = pt->pid;
			uint64_t mask = t->saved_mask;
			pt->nthreads = 0;
			struct dbg_thread *l = add_thread(pt, leader);
			l->running = false;
			l->saved_mask = mask;
			pt->cur = 0;
			stop->tid = leader;
			stop->event = DBG_PT_EXEC;
			return W_REPORT;
		}
		return W_ABSORBED;
	}
	if (sig == (SIGTRAP | 0x80))
		return syscall_stop(pt, t, stop);

	if (sig == SIGSTOP) {
		if (t->sigstop_expected) {
			t->sigstop_expected = false;
			/* a new thread's first stop: the kernel gave it no
			 * debug registers */
			if (t->fresh && pt->dr7)
				thread_dregs(pt, tid, NULL);
			t->fresh = false;
			return W_ABSORBED;
		}
		if (pt->interrupt) {
			pt->interrupt = 0;
			stop->event = DBG_PT_STOPPED;
			stop->signo = SIGSTOP;
			return W_REPORT;
		}
		if (pt->stale_sigstops > 0) {
			pt->stale_sigstops--;
			return W_ABSORBED;
		}
	}
	if (sig == SIGTRAP) {
		stop->event = DBG_PT_TRAP;
		stop->signo = SIGTRAP;
		return W_REPORT;
	}
	if (quiet_signal(sig)) {
		/* delivered without a stop, as gdb's "nostop noprint pass" */
		t->pending_sig = sig;
		tell_signal(pt, t, sig, false);
		return W_ABSORBED;
	}
	stop->event = DBG_PT_SIGNAL;
	stop->signo = sig;
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, tid, NULL, &si) == 0) {
		stop->code = si.si_code;
		if (si.si_code <= 0) {
			/* SI_USER, SI_TKILL, SI_QUEUE …: sent, not a fault */
			stop->sender = si.si_pid;
		} else if (si.si_code != SI_KERNEL &&
			   (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
			    sig == SIGTRAP)) {
			stop->addr = (uint64_t)si.si_addr;
			stop->has_addr = true;
		}
	}
	t->pending_sig = sig;
	tell_signal(pt, t, sig, true);
	return W_REPORT;
}

static void on_sigchld(int sig)
{
	(void)sig; /* only there to end ppoll */
}

/* Called before each wait for the tracee and when a signal cut one short
 * (dbg_ptrace_set_wait_hook). */
static void (*wait_hook)(void *);
static void *wait_hook_arg;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * SIGCHLD blocked, with a handler that only ends ppoll, for as long as a
 * wait loop lasts: set up once per loop (wait_report's, which absorbs the
 * syscall stops of a whole free run) rather than once per stop. Nested
 * holds count; the outermost restores the mask and the handler.
 */
static struct {
	int depth;
	sigset_t old, during;
	struct sigaction old_sa;
} chld_hold;

static void chld_hold_begin(void)
{
	if (chld_hold.depth++ > 0)
		return;
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &chld_hold.old);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, &chld_hold.old_sa);
	chld_hold.during = chld_hold.old;
	sigdelset(&chld_hold.during, SIGCHLD);
}

static void chld_hold_end(void)
{
	if (--chld_hold.depth > 0)
		return;
	sigaction(SIGCHLD, &chld_hold.old_sa, NULL);
	sigprocmask(SIG_SETMASK, &chld_hold.old, NULL);
}

/*
 * wait_one while handing the program's output to pt->on_output: a program
 * blocked writing to a full pipe would never stop by itself. Every stop
 * and exit of a tracee sends us SIGCHLD; it is blocked except inside
 * ppoll, so none is lost between waitpid and ppoll. The timeout covers a
 * SIGCHLD taken by another thread of ours.
 */
static int wait_draining(struct dbg_ptrace *pt, pid_t *tid, int *status, struct dbg_err *err)
{
	chld_hold_begin();
	const sigset_t *during = &chld_hold.during;

	struct pollfd pfd[2];
	nfds_t n = 0;
	for (int i = 0; i < 2; i++)
		if (pt->out_fd[i] >= 0)
			pfd[n++] = (struct pollfd){ .fd = pt->out_fd[i], .events = POLLIN };
	const struct timespec tick = { .tv_sec = 0, .tv_nsec = 200 * 1000 * 1000 };
	int rc;
	for (;;) {
		/* also after a signal cut ppoll short (a resize, a quit) */
		if (wait_hook)
			wait_hook(wait_hook_arg);
		pid_t w = waitpid(-pt->pid, status, __WALL | WNOHANG);
		if (w > 0) {
			*tid = w;
			rc = 0;
			break;
		}
		if (w < 0 && errno != EINTR) {
			rc = dbg_err_errno(err, -errno, "cannot wait for the process");
			break;
		}
		struct timespec wait = tick;
		if (pt->give_up_at) {
			int64_t left = pt->give_up_at - now_ms();
			if (left <= 0) {
				rc = -EINPROGRESS;
				break;
			}
			if (left < 200)
				wait = (struct timespec){ 0, (long)left * 1000000L };
		}
		if (ppoll(pfd, n, &wait, during) <= 0)
			continue;
		for (nfds_t i = 0; i < n; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			/* At end of file (the program closed it) or on an error,
			 * stop watching, or poll would return at once forever. */
			if (pt->on_output(pt->output_arg, pfd[i].fd) <= 0)
				pfd[i].fd = -1;
		}
	}
	chld_hold_end();
	return rc;
}

void dbg_ptrace_set_wait_hook(void (*fn)(void *arg), void *arg)
{
	wait_hook = fn;
	wait_hook_arg = arg;
}

/* Wait for any thread of the tracee. The tracee leads its own process
 * group (setpgid in the child), so other children of ours are left alone. */
static int wait_one(struct dbg_ptrace *pt, pid_t *tid, int *status, struct dbg_err *err)
{
	if ((pt->drain && pt->on_output) || pt->give_up_at)
		return wait_draining(pt, tid, status, err);
	for (;;) {
		/* before each wait too: a signal that came just outside one
		 * does not cut it short */
		if (wait_hook)
			wait_hook(wait_hook_arg);
		long w = sys_wait4(-pt->pid, status, __WALL);
		if (w >= 0) {
			*tid = (pid_t)w;
			return 0;
		}
		if (w != -EINTR)
			return dbg_err_errno(err, (int)w, "cannot wait for the process");
	}
}

/* Resume a stopped thread that must keep going (after an absorbed stop). */
static int resume_thread(struct dbg_ptrace *pt, struct dbg_thread *t, bool step)
{
	int sig = t->pending_sig;
	t->pending_sig = 0;
	if (t->regs_dirty) {
		struct user_regs_struct u;
		to_user(&u, &t->regs);
		if (ptrace(PTRACE_SETREGS, t->tid, NULL, &u) < 0)
			return -errno;
		t->regs_dirty = false;
	}
	pt->resumes++;
	if (!step || !pt->waiting_quiet) {
		pt->may_output = true;
		pt->loud++;
	}
	enum __ptrace_request req = step          ? PTRACE_SINGLESTEP :
				    pt->trace_sys ? PTRACE_SYSCALL :
						    PTRACE_CONT;
	long rc = sys_ptrace(req, t->tid, NULL, (void *)(long)sig);
	if (rc < 0)
		return (int)rc;
	if (req != PTRACE_SYSCALL)
		t->in_sys = false; /* its call ends without an exit stop */
	t->held_bp = false;
	t->running = true;
	t->regs_valid = false;
	return 0;
}

/*
 * A stop of a thread other than the one the caller waits for is kept for
 * later: an int3 hit is undone (rip moved back onto the breakpoint, which
 * hits again on resume), a signal is deferred and reported by the next
 * cont.
 */
static void hold_event(struct dbg_ptrace *pt, struct dbg_thread *t, const struct dbg_pt_stop *other)
{
	if (other->event == DBG_PT_TRAP) {
		if (dbg_ptrace_regs(pt, t, NULL) == 0) {
			uint64_t w;
			if (dbg_ptrace_peek(t->tid, t->regs.rip - 1, &w) == 0 &&
			    (w & 0xff) == 0xcc) {
				t->regs.rip -= 1;
				t->regs_dirty = true;
				t->held_bp = true;
				pt->held = true;
			}
		}
	} else if (other->event == DBG_PT_SIGNAL) {
		t->pending_sig = 0;
		t->deferred = true;
		t->deferred_sig = other->signo;
		t->deferred_code = other->code;
		t->deferred_addr = other->addr;
		t->deferred_has_addr = other->has_addr;
		t->deferred_sender = other->sender;
	} else if (other->event == DBG_PT_STOPPED) {
		/* the interrupt reached this thread: the next cont, or the
		 * stepping loop (dbg_ptrace_take_interrupt), reports it */
		pt->interrupt_held = t->tid;
	}
}

/*
 * All-stop: stop every thread still running and collect their stops
 * (see hold_event). If the process ends meanwhile, *stop is replaced by the
 * exit.
 */
static int stop_others_loop(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err);

static int stop_others(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err)
{
	pt->stopping = true;
	int rc = stop_others_loop(pt, stop, err);
	pt->stopping = false;
	return rc;
}

static int stop_others_loop(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err)
{
	for (size_t i = 0; i < pt->nthreads; i++) {
		struct dbg_thread *t = &pt->threads[i];
		if (t->running && !t->sigstop_expected) {
			syscall(SYS_tgkill, pt->pid, t->tid, SIGSTOP);
			t->sigstop_expected = true;
		}
	}
	for (;;) {
		bool any = false;
		for (size_t i = 0; i < pt->nthreads; i++)
			if (pt->threads[i].running)
				any = true;
		if (!any || pt->gone)
			return 0;
		pid_t tid = 0;
		int status = 0;
		int rc = wait_one(pt, &tid, &status, err);
		if (rc < 0)
			return rc;
		struct dbg_pt_stop other;
		if (decode_status(pt, tid, status, &other) == W_ABSORBED)
			continue;
		if (other.event == DBG_PT_EXITED || other.event == DBG_PT_SIGNALED) {
			*stop = other;
			return 0;
		}
		struct dbg_thread *t = find_thread(pt, tid);
		if (t)
			hold_event(pt, t, &other);
	}
}

/* The reporting thread becomes current, with fresh registers. */
/*
 * A stopped thread vanished (its registers cannot be read): only SIGKILL
 * ends a thread in a ptrace stop, and it ends the whole process, as
 * another thread's exit_group does. Collect the exits and report the
 * process's end instead of the stop.
 */
static int reap_process(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err)
{
	while (!pt->gone) {
		pid_t tid = 0;
		int status = 0;
		int rc = wait_one(pt, &tid, &status, err);
		if (rc < 0)
			return rc;
		struct dbg_pt_stop other;
		if (decode_status(pt, tid, status, &other) == W_REPORT && pt->gone)
			*stop = other;
	}
	return 0;
}

static int finish_stop(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err)
{
	if (pt->gone)
		return 0;
	struct dbg_thread *t = find_thread(pt, stop->tid);
	if (!t)
		return 0;
	pt->cur = (size_t)(t - pt->threads);
	int rc = dbg_ptrace_regs(pt, t, err);
	if (rc == -ESRCH)
		return reap_process(pt, stop, err);
	return rc;
}

/* The others stopped too (those that ran, a clone child the step made),
 * then the stop finished as finish_stop does. */
static int all_stopped(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err)
{
	/* a single thread that is stopped has no others to stop */
	if (!pt->gone && !(pt->nthreads == 1 && !pt->threads[0].running)) {
		int rc = stop_others(pt, stop, err);
		if (rc < 0)
			return rc;
	}
	return finish_stop(pt, stop, err);
}

enum wait_mode {
	WAIT_CONT,      /* all threads run; any stop is reported */
	WAIT_STEP,      /* only the current thread runs */
	WAIT_STEP_FREE, /* the current thread steps, the others run */
	WAIT_CONT_ONE,  /* only the current thread runs, not stepping */
};

/* wait_report from a status already waited for (tid0 0: none). */
static int wait_report_loop(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, enum wait_mode mode,
			    pid_t tid0, int status0, struct dbg_err *err)
{
	pid_t stepper = mode == WAIT_CONT ? 0 : pt->threads[pt->cur].tid;
	pt->cur_gone = false;
	for (;;) {
		pid_t tid = tid0;
		int status = status0;
		if (tid0) {
			tid0 = 0;
		} else {
			int rc = wait_one(pt, &tid, &status, err);
			if (rc < 0)
				return rc;
		}
		if (tid == stepper && mode == WAIT_STEP && status == ((SIGTRAP << 8) | 0x7f) &&
		    pt->threads[pt->cur].tid == tid) {
			/* the step's own trap, as decode_status reports it */
			struct dbg_thread *t = &pt->threads[pt->cur];
			t->running = false;
			t->regs_valid = false;
			*stop = (struct dbg_pt_stop){ .event = DBG_PT_TRAP,
						      .tid = tid,
						      .signo = SIGTRAP };
			return 0;
		}
		enum wres res = decode_status(pt, tid, status, stop);
		if (pt->gone)
			return 0;
		struct dbg_thread *t = find_thread(pt, tid);
		if (res == W_REPORT) {
			if (mode == WAIT_CONT || tid == stepper || !t || stop->event == DBG_PT_EXEC)
				return 0;
			hold_event(pt, t, stop);
			/* another thread stopped: a free run reports it */
			if (pt->give_up_at && (t->held_bp || t->deferred || pt->interrupt_held))
				return -EINPROGRESS;
			continue;
		}
		if (pt->cur_gone && stepper) {
			/* The stepped thread exited: the step ends on the first
			 * remaining thread. */
			pt->cur = 0;
			memset(stop, 0, sizeof(*stop));
			stop->event = DBG_PT_TRAP;
			stop->signo = SIGTRAP;
			stop->tid = pt->threads[0].tid;
			return 0;
		}
		if (!t || t->running)
			continue;
		bool is_stepper = tid == stepper;
		if ((mode == WAIT_STEP || mode == WAIT_CONT_ONE) && !is_stepper)
			continue; /* e.g. a new thread: it stays stopped */
		int rc = resume_thread(pt, t, is_stepper && mode != WAIT_CONT_ONE);
		if (rc < 0 && rc != -ESRCH)
			return dbg_err_errno(err, rc, "cannot resume thread %d", (int)tid);
	}
}

/* wait_report_loop with SIGCHLD's set-up held over all its waits when they
 * drain the program's output (a free run's stops are absorbed there). */
static int wait_report_from(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, enum wait_mode mode,
			    pid_t tid0, int status0, struct dbg_err *err)
{
	bool hold = (pt->drain && pt->on_output) || pt->give_up_at;
	if (hold)
		chld_hold_begin();
	int rc = wait_report_loop(pt, stop, mode, tid0, status0, err);
	if (hold)
		chld_hold_end();
	return rc;
}

static int wait_report(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, enum wait_mode mode,
		       struct dbg_err *err)
{
	return wait_report_from(pt, stop, mode, 0, 0, err);
}

/* Restore the thread's own CPU mask around a sched_getaffinity syscall so
 * that pinning stays invisible to the target. */
static void set_mask(pid_t tid, uint64_t mask)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	for (int c = 0; c < 64; c++)
		if (mask & (1ull << c))
			CPU_SET(c, &set);
	sched_setaffinity(tid, sizeof(set), &set);
}

/* Syscalls that may wait for another thread of the process. */
static bool may_block(uint64_t nr)
{
	switch (nr) {
	case SYS_futex:
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
	case SYS_read:
	case SYS_wait4:
	case SYS_waitid:
	case SYS_poll:
	case SYS_ppoll:
	case SYS_select:
	case SYS_pselect6:
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
	case SYS_pause:
	case SYS_rt_sigsuspend:
	case SYS_rt_sigtimedwait:
	case SYS_accept:
	case SYS_accept4:
	case SYS_recvfrom:
	case SYS_recvmsg:
	case SYS_connect:
	case SYS_sched_yield:
		return true;
	default:
		return false;
	}
}

/* Whether the current thread is about to execute `syscall`. One PEEK, done
 * only when rax already holds an interesting number. */
static bool at_syscall(const struct dbg_ptrace *pt, const struct dbg_thread *t)
{
	if (t == &pt->threads[pt->cur] && pt->next_sys >= 0)
		return pt->next_sys;
	uint64_t w;
	return t->regs_valid && dbg_ptrace_peek(t->tid, t->regs.rip, &w) == 0 &&
	       (w & 0xffff) == 0x050f;
}

/* Syscalls that may wait for room in a pipe. */
static bool may_write(uint64_t nr)
{
	switch (nr) {
	case SYS_write:
	case SYS_writev:
	case SYS_pwrite64:
	case SYS_pwritev:
	case SYS_pwritev2:
	case SYS_sendfile:
	case SYS_splice:
	case SYS_tee:
	case SYS_vmsplice:
	case SYS_sendto:
	case SYS_sendmsg:
	case SYS_sendmmsg:
		return true;
	default:
		return false;
	}
}

int dbg_ptrace_step(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err)
{
	if (pt->gone || pt->nthreads == 0)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	struct dbg_thread *t = &pt->threads[pt->cur];
	bool unpinned = false;
	if (pt->pin_cpu >= 0 && t->regs_valid && t->regs.rax == SYS_sched_getaffinity &&
	    at_syscall(pt, t)) {
		set_mask(t->tid, t->saved_mask);
		unpinned = true;
	}
	/* A blocking syscall may wait for another thread: let the others
	 * run until the step completes (always, without scheduler locking). */
	enum wait_mode mode = WAIT_STEP;
	if (pt->nthreads > 1 && (pt->sched_lock == DBG_SCHED_LOCK_OFF ||
				 (pt->sched_lock == DBG_SCHED_LOCK_STEP && t->regs_valid &&
				  may_block(t->regs.rax) && at_syscall(pt, t)))) {
		mode = WAIT_STEP_FREE;
		for (size_t i = 0; i < pt->nthreads; i++) {
			struct dbg_thread *o = &pt->threads[i];
			if (i != pt->cur && !o->running && !o->deferred)
				resume_thread(pt, o, false);
		}
	}
	pid_t tid = t->tid;
	pt->waiting_quiet = mode == WAIT_STEP && pt->quiet_next && !t->pending_sig;
	pt->quiet_next = false;
	/* A step waits as long as the program does only over a write to a
	 * full pipe or while others run; only then is the output read
	 * meanwhile (it costs a few syscalls per wait). */
	pt->drain = mode != WAIT_STEP || (pt->next_sys != 0 && t->regs_valid &&
					  may_write(t->regs.rax) && at_syscall(pt, t));
	int rc = resume_thread(pt, t, true);
	if (rc < 0)
		pt->waiting_quiet = false;
	if (rc == -ESRCH) {
		/* killed meanwhile (another thread's exit_group): what comes
		 * next is its exit, or the process's */
		rc = wait_report(pt, stop, WAIT_CONT, err);
		pt->drain = false;
		if (rc < 0)
			return rc;
		return all_stopped(pt, stop, err);
	}
	if (rc < 0) {
		pt->drain = false;
		return dbg_err_errno(err, rc, "cannot single-step thread %d", (int)tid);
	}
	if (mode == WAIT_STEP && !pt->drain && !pt->give_up_at) {
		/* the step's own trap, the usual outcome, waited for here;
		 * anything else goes on through wait_report */
		int status = 0;
		long w;
		/* a quiet step ends at once: the hook runs at one in
		 * QUIET_HOOK_EVERY of them (and after EINTR) */
		bool hook = wait_hook && (!pt->waiting_quiet ||
					  (++pt->quiet_waits & (QUIET_HOOK_EVERY - 1)) == 0);
		for (;;) {
			if (hook)
				wait_hook(wait_hook_arg);
			w = sys_wait4(-pt->pid, &status, __WALL);
			if (w != -EINTR)
				break;
			hook = wait_hook != NULL;
		}
		if (w < 0)
			return dbg_err_errno(err, (int)w, "cannot wait for the process");
		if (w == tid && status == ((SIGTRAP << 8) | 0x7f) && pt->nthreads == 1 &&
		    !unpinned) {
			/* as wait_report, then all_stopped, report it */
			pt->cur_gone = false;
			t->running = false;
			t->regs_valid = false;
			stop->event = DBG_PT_TRAP;
			stop->tid = tid;
			stop->signo = SIGTRAP;
			stop->code = 0;
			stop->addr = 0;
			stop->has_addr = false;
			stop->sender = 0;
			stop->sys_exit = false;
			rc = dbg_ptrace_regs(pt, t, err);
			return rc == -ESRCH ? reap_process(pt, stop, err) : rc;
		}
		rc = wait_report_from(pt, stop, mode, (pid_t)w, status, err);
	} else {
		if (mode == WAIT_STEP_FREE && pt->give_up_ms > 0)
			pt->give_up_at = now_ms() + pt->give_up_ms;
		rc = wait_report(pt, stop, mode, err);
	}
	pt->drain = false;
	pt->give_up_at = 0;
	pt->waiting_quiet = false;
	if (rc < 0)
		return rc;
	if (unpinned && !pt->gone && find_thread(pt, tid))
		set_mask(tid, 1ull << pt->pin_cpu);
	/* Others that ran, and a clone child created by this step, are
	 * stopped again so that all threads are stopped; a lone thread that
	 * stopped has none (all_stopped and finish_stop, without the look-up). */
	if (!pt->gone && pt->nthreads == 1 && !pt->threads[0].running &&
	    pt->threads[0].tid == stop->tid) {
		pt->cur = 0;
		rc = dbg_ptrace_regs(pt, &pt->threads[0], err);
		return rc == -ESRCH ? reap_process(pt, stop, err) : rc;
	}
	return all_stopped(pt, stop, err);
}

int dbg_ptrace_step_to(struct dbg_ptrace *pt, uint64_t next, struct dbg_pt_stop *stop,
		       struct dbg_err *err)
{
	if (pt->gone || pt->nthreads == 0)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	struct dbg_thread *t = &pt->threads[pt->cur];
	if (t->pending_sig)
		return dbg_ptrace_step(pt, stop, err);
	pid_t tid = t->tid;
	uint64_t word;
	int rc = dbg_ptrace_peek(tid, next, &word);
	if (rc == 0)
		rc = dbg_ptrace_poke(tid, next, (word & ~0xffull) | 0xcc);
	if (rc < 0)
		return dbg_ptrace_step(pt, stop, err);
	rc = resume_thread(pt, t, false);
	if (rc < 0) {
		dbg_ptrace_poke(tid, next, word);
		return dbg_err_errno(err, rc, "cannot single-step thread %d", (int)tid);
	}
	rc = wait_report(pt, stop, WAIT_CONT_ONE, err);
	if (!pt->gone && stop->event != DBG_PT_EXEC)
		dbg_ptrace_poke(tid, next, word);
	if (rc < 0)
		return rc;
	rc = all_stopped(pt, stop, err);
	if (rc < 0 || pt->gone || stop->event != DBG_PT_TRAP)
		return rc;
	t = find_thread(pt, tid);
	if (t && t->regs_valid && t->regs.rip == next + 1) {
		t->regs.rip = next;
		return dbg_ptrace_set_regs(pt, t, err);
	}
	return 0;
}

static int cont_run(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err);

int dbg_ptrace_cont(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err)
{
	if (pt->gone || pt->nthreads == 0)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	/* An interrupt that stopped another thread while one stepped. */
	if (pt->interrupt_held) {
		struct dbg_thread *t = find_thread(pt, pt->interrupt_held);
		pt->interrupt_held = 0;
		if (t) {
			memset(stop, 0, sizeof(*stop));
			stop->event = DBG_PT_STOPPED;
			stop->tid = t->tid;
			stop->signo = SIGSTOP;
			int rc = stop_others(pt, stop, err);
			if (rc < 0)
				return rc;
			return finish_stop(pt, stop, err);
		}
	}
	/* A stop collected earlier from another thread goes first. */
	for (size_t i = 0; i < pt->nthreads; i++) {
		struct dbg_thread *t = &pt->threads[i];
		if (!t->deferred)
			continue;
		t->deferred = false;
		memset(stop, 0, sizeof(*stop));
		stop->event = DBG_PT_SIGNAL;
		stop->tid = t->tid;
		stop->signo = t->deferred_sig;
		stop->code = t->deferred_code;
		stop->addr = t->deferred_addr;
		stop->has_addr = t->deferred_has_addr;
		stop->sender = t->deferred_sender;
		t->pending_sig = t->deferred_sig;
		/* others may still run after a step given up */
		int rc = stop_others(pt, stop, err);
		if (rc < 0)
			return rc;
		return finish_stop(pt, stop, err);
	}
	if (run_may_pin(pt)) {
		if (pt->pin_cpu < 0)
			dbg_ptrace_pin(pt, true);
	} else if (pt->pin_cpu >= 0) {
		dbg_ptrace_pin(pt, false);
	}
	pt->running_free = true;
	int rc = cont_run(pt, stop, err);
	pt->running_free = false;
	/* the program's end or an error: the masks go back now */
	if (pt->pin_cpu >= 0 && (rc < 0 || pt->gone))
		dbg_ptrace_pin(pt, false);
	return rc;
}

/* dbg_ptrace_cont's run, from the resume of every thread. */
static int cont_run(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err)
{
	/* Current thread first: it may have been single-stepped just now
	 * (or still be: a step given up runs on). */
	struct dbg_thread *cur = &pt->threads[pt->cur];
	int rc = cur->running ? 0 : resume_thread(pt, cur, false);
	if (rc < 0)
		return dbg_err_errno(err, rc, "cannot continue thread %d", (int)cur->tid);
	if (pt->sched_lock == DBG_SCHED_LOCK_ON) {
		pt->drain = true;
		rc = wait_report(pt, stop, WAIT_CONT_ONE, err);
		pt->drain = false;
		if (rc < 0)
			return rc;
		rc = stop_others(pt, stop, err);
		if (rc < 0)
			return rc;
		return finish_stop(pt, stop, err);
	}
	for (size_t i = 0; i < pt->nthreads; i++) {
		struct dbg_thread *t = &pt->threads[i];
		if (t->running)
			continue;
		rc = resume_thread(pt, t, false);
		if (rc < 0 && rc != -ESRCH)
			return dbg_err_errno(err, rc, "cannot continue thread %d", (int)t->tid);
	}
	pt->drain = true;
	rc = wait_report(pt, stop, WAIT_CONT, err);
	pt->drain = false;
	if (rc < 0)
		return rc;
	rc = stop_others(pt, stop, err);
	if (rc < 0)
		return rc;
	return finish_stop(pt, stop, err);
}

/* set as a mask of the first 64 CPUs; false when it names another (a
 * larger machine's: the mask could not be given back whole, so no pin) */
static bool mask64(const cpu_set_t *set, uint64_t *out)
{
	*out = 0;
	for (int c = 0; c < 64; c++)
		if (CPU_ISSET(c, set))
			*out |= 1ull << c;
	return CPU_COUNT(set) == __builtin_popcountll(*out);
}

int dbg_ptrace_pin(struct dbg_ptrace *pt, bool on)
{
	if (on == (pt->pin_cpu >= 0))
		return 0;
	if (pt->gone || pt->nthreads == 0) {
		/* the program is gone: only the tracer has a mask to restore */
		if (!on) {
			set_mask(0, pt->tracer_mask);
			pt->pin_cpu = -1;
		}
		return -ESRCH;
	}
	cpu_set_t set;
	if (on) {
		int cpu = sched_getcpu();
		if (cpu < 0 || cpu >= 64)
			return -EINVAL;
		CPU_ZERO(&set);
		if (sched_getaffinity(0, sizeof(set), &set) < 0)
			return -errno;
		if (!mask64(&set, &pt->tracer_mask))
			return -EOVERFLOW;
		for (size_t i = 0; i < pt->nthreads; i++) {
			struct dbg_thread *t = &pt->threads[i];
			CPU_ZERO(&set);
			t->saved_mask = 0;
			if (sched_getaffinity(t->tid, sizeof(set), &set) == 0 &&
			    !mask64(&set, &t->saved_mask))
				return -EOVERFLOW;
			if (!t->saved_mask)
				t->saved_mask = pt->tracer_mask;
		}
		set_mask(0, 1ull << cpu);
		for (size_t i = 0; i < pt->nthreads; i++) {
			const struct dbg_thread *t = &pt->threads[i];
			/* inside sched_getaffinity: pinned at its exit stop */
			if (!(t->in_sys && t->in_sys_nr == SYS_sched_getaffinity))
				set_mask(t->tid, 1ull << cpu);
		}
		pt->pin_cpu = cpu;
		return 0;
	}
	for (size_t i = 0; i < pt->nthreads; i++)
		set_mask(pt->threads[i].tid, pt->threads[i].saved_mask);
	set_mask(0, pt->tracer_mask);
	pt->pin_cpu = -1;
	return 0;
}

/* ---- a system call run by a stopped thread ------------------------------- */

int dbg_ptrace_syscall_in(struct dbg_ptrace *pt, pid_t tid, long nr, long a0, long a1, long *ret)
{
	struct user_regs_struct saved, r;
	siginfo_t si;
	/* only at a trap: resuming from a signal's stop without the signal
	 * would drop it */
	if (ptrace(PTRACE_GETSIGINFO, tid, NULL, &si) < 0 || si.si_signo != SIGTRAP)
		return -EBUSY;
	if (sys_ptrace(PTRACE_GETREGS, tid, NULL, &saved) < 0)
		return -EBUSY;
	if ((long)saved.orig_rax != -1)
		return -EBUSY;
	long word;
	long rc = sys_ptrace(PTRACE_PEEKDATA, tid, (void *)saved.rip, &word);
	if (rc < 0)
		return (int)rc;
	long patched = (long)(((unsigned long)word & ~0xfffful) | 0x050fu); /* syscall */
	rc = sys_ptrace(PTRACE_POKEDATA, tid, (void *)saved.rip, (void *)patched);
	if (rc < 0)
		return (int)rc;
	r = saved;
	r.rax = (unsigned long)nr;
	r.rdi = (unsigned long)a0;
	r.rsi = (unsigned long)a1;
	rc = sys_ptrace(PTRACE_SETREGS, tid, NULL, &r);
	if (rc == 0)
		rc = sys_ptrace(PTRACE_SINGLESTEP, tid, NULL, NULL);
	int resend = 0;
	while (rc == 0) {
		int status;
		pid_t w = waitpid(tid, &status, __WALL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (!WIFSTOPPED(status)) {
			/* gone: the bookkeeping of its end, nothing to put back */
			struct dbg_pt_stop stop;
			decode_status(pt, tid, status, &stop);
			return -ESRCH;
		}
		if (WSTOPSIG(status) != SIGTRAP) {
			resend = WSTOPSIG(status);
			rc = -EINTR;
		} else if ((rc = sys_ptrace(PTRACE_GETREGS, tid, NULL, &r)) == 0) {
			if (r.rip == saved.rip + 2)
				*ret = (long)r.rax;
			else
				rc = -EAGAIN;
		}
		break;
	}
	long back = sys_ptrace(PTRACE_POKEDATA, tid, (void *)saved.rip, (void *)word);
	if (back == 0)
		back = sys_ptrace(PTRACE_SETREGS, tid, NULL, &saved);
	if (resend && resend != SIGSTOP)
		syscall(SYS_tgkill, pt->pid, tid, resend);
	return (int)(rc ? rc : back);
}
