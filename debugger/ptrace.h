/*
 * ptrace — process control: launch, threads, stepping, registers, wait.
 *
 * This is the only module that includes <sys/ptrace.h>, and
 * dbg_ptrace_wait() holds the only wait-status decoder of the project.
 * Front ends use session.h instead; this layer is for the library.
 *
 * Model: one traced process (thread group), all-stop. When any thread stops,
 * every other thread is stopped too (tgkill SIGSTOP, the stop absorbed), so
 * between calls all threads are stopped and their registers are cached.
 * What the others do while one thread runs is pt->sched_lock (gdb's
 * scheduler-locking): by default (STEP) dbg_ptrace_step() steps only the
 * current thread (the others stay stopped), except over a syscall that may
 * block (futex, nanosleep, read, poll …) while other threads exist: then
 * the others run until the step completes, since the syscall may wait for
 * them; dbg_ptrace_cont() resumes all threads. ON runs only the current
 * thread for cont too (no exception: a thread waiting for another waits
 * until interrupted); OFF lets all threads run while one steps. New
 * threads (clone) are followed.
 *
 * Signals: SIGALRM, SIGURG, SIGIO, SIGVTALRM, SIGPROF, SIGCHLD and SIGWINCH
 * are passed to the program without a stop (gdb's defaults); any other
 * signal stops it and is delivered on the next resume of that thread.
 *
 * Hot path: a step is one PTRACE_SINGLESTEP, one waitpid and one
 * PTRACE_GETREGS; nothing is allocated per step.
 *
 * Lifecycle: dbg_ptrace_launch() → stepping/cont … → dbg_ptrace_free(),
 * which kills the process (SIGKILL) and reaps it if it still exists.
 */
#ifndef DBG_PTRACE_H
#define DBG_PTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "regs.h"

/* How a process was launched. */
struct dbg_launch_opts {
	bool keep_aslr; /* false: personality(ADDR_NO_RANDOMIZE) in the child */
	int stdin_fd;   /* dup2'd to the child's 0; -1: /dev/null */
	int stdout_fd;  /* dup2'd to the child's 1; -1: inherit */
	int stderr_fd;  /* dup2'd to the child's 2; -1: inherit */
};

/* One traced thread. */
struct dbg_thread {
	pid_t tid;
	struct dbg_regs regs;  /* valid when regs_valid */
	bool regs_valid;       /* fetched since the thread last ran */
	bool regs_dirty;       /* regs were changed; written back before it runs */
	bool running;          /* resumed and not yet seen stopped */
	bool sigstop_expected; /* a SIGSTOP from us is on its way: absorb it */
	int pending_sig;       /* signal to deliver on the next resume, or 0 */
	bool deferred;         /* a stop seen while stopping it, reported at the
			       * next cont instead of resuming */
	int deferred_sig;
	int deferred_code;
	uint64_t deferred_addr;
	bool deferred_has_addr;
	pid_t deferred_sender;
	uint64_t saved_mask; /* CPU mask before pinning (first 64 CPUs) */
	bool fresh;          /* created by a clone, its first stop not
			       * seen yet */
	bool held_bp;        /* it hit an int3 while another thread was
			       * waited for: rip is back on the int3, which it
			       * hits again when it runs */
	bool in_sys;         /* its syscall-entry stop was seen, the exit not
			       * yet (in_sys_nr: the call) */
	uint32_t in_sys_nr;
};

/* Why dbg_ptrace_wait/step/cont returned. */
enum dbg_pt_event {
	DBG_PT_TRAP,     /* SIGTRAP: a finished single step or an int3 */
	DBG_PT_SIGNAL,   /* another signal (queued for delivery on resume) */
	DBG_PT_STOPPED,  /* a SIGSTOP we did not send (interrupt) */
	DBG_PT_EXITED,   /* the whole process exited: code */
	DBG_PT_SIGNALED, /* the whole process was killed by signo */
	DBG_PT_EXEC,     /* the process called execve */
	DBG_PT_SYSCALL,  /* a syscall stop the on_sys hook asked to report
			  * (sys_exit: the return, else the entry) */
};

/* A decoded stop. */
struct dbg_pt_stop {
	enum dbg_pt_event event;
	pid_t tid;     /* the thread that reported it (0 for EXITED/SIGNALED) */
	int signo;     /* TRAP: SIGTRAP; SIGNAL/STOPPED/SIGNALED: the signal */
	int code;      /* SIGNAL/TRAP: si_code; EXITED: the exit status */
	uint64_t addr; /* SIGNAL: si_addr when has_addr, else 0 */
	bool has_addr; /* SIGNAL: a fault the kernel raised (SIGSEGV, SIGBUS,
			   * SIGILL, SIGFPE, SIGTRAP with a positive si_code
			   * other than SI_KERNEL): si_addr is meaningful */
	pid_t sender;  /* SIGNAL: the process that sent it with kill,
			   * tgkill or sigqueue (si_code <= 0), else 0 */
	bool sys_exit; /* SYSCALL: the return (else the entry) */
};

/*
 * What the on_sys hook is told: a thread's syscall stop (entry or exit,
 * from PTRACE_SYSCALL), or a signal it received.
 */
struct dbg_pt_sys {
	bool signal;      /* a signal (signo, code), else a syscall stop */
	bool exit;        /* syscall: the return (ret), else the entry */
	uint64_t nr;      /* entry: the number */
	uint64_t args[6]; /* entry: rdi, rsi, rdx, r10, r8, r9 */
	int64_t ret;      /* exit: rax */
	uint64_t pc;      /* the thread's rip (after the instruction) */
	int signo, code;  /* signal */
	bool reported;    /* signal: it stops the program (else passed on) */
	bool may_report;  /* a syscall stop may be reported (not while the
			   * other threads are being stopped) */
};

/* Which threads run while the current one is stepped or continued. */
enum dbg_sched_lock {
	DBG_SCHED_LOCK_STEP, /* stepping runs the current thread alone (see top) */
	DBG_SCHED_LOCK_ON,   /* stepping and continuing run it alone */
	DBG_SCHED_LOCK_OFF,  /* all threads run, also while one steps */
};

/* "step", "on", "off". */
const char *dbg_sched_lock_name(enum dbg_sched_lock l);

struct dbg_ptrace {
	pid_t pid;                  /* thread-group leader; 0 once reaped */
	struct dbg_thread *threads; /* live threads, leader first */
	size_t nthreads, cap;
	size_t cur;             /* index of the current thread */
	bool gone;              /* exited or killed and reaped */
	int pin_cpu;            /* CPU both sides are pinned to, or -1 */
	uint64_t tracer_mask;   /* our CPU mask before pinning */
	bool pin_runs;          /* free runs pin while the program has one
				   thread (see dbg_ptrace_cont) */
	bool pin_never;         /* the program set a CPU mask of its own:
				   free runs pin no more */
	bool running_free;      /* internal: dbg_ptrace_cont's wait */
	volatile int interrupt; /* set by an async interrupt (SIGSTOP sent) */
	int stale_sigstops;     /* interrupt SIGSTOPs still to absorb */
	pid_t interrupt_held;   /* a thread the interrupt stopped while another
				   stepped: its stop is owed to the caller */
	bool cur_gone;          /* the current thread exited while waited for */
	enum dbg_sched_lock sched_lock;
	pid_t guard;  /* the guard process (see dbg_ptrace_launch), or 0 */
	int guard_fd; /* our end of its pipe, or -1 */
	/*
	 * Output while the process runs: whenever a wait for a stop may last
	 * (cont, a step over a write or with other threads running) the fds
	 * in out_fd (-1: none) are polled too, and on_output(output_arg, fd)
	 * is called when one is readable. It returns > 0 after reading, 0 at
	 * end of file or a negative errno (the fd is then left alone for the
	 * rest of that wait). Without on_output a program that fills a pipe
	 * blocks until the pipe is read between calls.
	 */
	int out_fd[2];
	int (*on_output)(void *arg, int fd);
	void *output_arg;
	bool drain;           /* internal: the current wait polls out_fd */
	int64_t give_up_ms;   /* dbg_ptrace_step while others run: after
				       this long, or when another thread
				       stops, -EINPROGRESS (0: wait on) */
	int64_t give_up_at;   /* internal: CLOCK_MONOTONIC ms */
	int next_sys;         /* whether the current thread's next
				       instruction is `syscall`, when the
				       caller of a step knows: 1 or 0 (-1:
				       not known, it is read) */
	bool held;            /* a thread's held_bp was set since the
				       caller last cleared this */
	bool quiet_next;      /* set by the caller of dbg_ptrace_step: the
				       current thread's next instruction is no
				       system call and it is inside none, so a
				       step of it alone ends at once and
				       writes nothing to a pipe (cleared by
				       the step) */
	bool waiting_quiet;   /* internal: the wait under way is for such
				       a step, the other threads stopped */
	unsigned quiet_waits; /* internal: such waits, for the wait hook */
	bool may_output;      /* the program ran other than by such steps
				       since the caller last cleared this:
				       it may have written to out_fd */
	uint64_t resumes;     /* threads resumed, ever */
	uint64_t loud;        /* of them, other than for such a step */
	uint64_t dr[4];       /* the debug registers every thread gets
				       (dbg_ptrace_set_dregs) */
	uint64_t dr7;
	/*
	 * System calls: with trace_sys, a thread resumed to run (not
	 * single-stepped) is resumed with PTRACE_SYSCALL, and each of its
	 * syscall stops calls on_sys(sys_arg, t, e) with the thread stopped
	 * (its registers can be fetched). The hook returns true to report
	 * the stop (DBG_PT_SYSCALL, the others then stopped as for any
	 * event), false to let the thread go on alone. Signals a thread
	 * receives (passed on or reported) are told to the hook too, with
	 * or without trace_sys. NULL: none.
	 */
	bool trace_sys;
	bool (*on_sys)(void *arg, struct dbg_thread *t, const struct dbg_pt_sys *e);
	void *sys_arg;
	bool stopping; /* internal: stop_others is collecting stops */
};

/*
 * Async-signal-safe: SIGSTOP the process and mark the interrupt so the
 * stop is reported as DBG_PT_STOPPED.
 */
void dbg_ptrace_interrupt(struct dbg_ptrace *pt);

/*
 * After a step that ended normally: whether an interrupt came meanwhile
 * (its stop is consumed here; a SIGSTOP still on its way is absorbed when
 * it arrives). A stepping loop ends there, as on DBG_PT_STOPPED.
 */
static inline bool dbg_ptrace_take_interrupt(struct dbg_ptrace *pt)
{
	if (pt->interrupt_held) {
		pt->interrupt_held = 0;
		return true;
	}
	if (pt->interrupt) {
		/* the SIGSTOP is still on its way: absorbed when it comes */
		pt->interrupt = 0;
		pt->stale_sigstops++;
		return true;
	}
	return false;
}

/*
 * fn(arg) runs in every wait for the tracee: before it, and again each time
 * a signal handler cut it short (EINTR); before the wait for a quiet step
 * (one that ends at once, waiting_quiet), only at one in QUIET_HOOK_EVERY.
 * Process-wide, as the handlers that feed it are; NULL: none. See
 * dbg_session_set_wait_hook.
 */
#define QUIET_HOOK_EVERY 16
void dbg_ptrace_set_wait_hook(void (*fn)(void *arg), void *arg);

/* Registers of thread t, fetched if not cached. 0 or negative errno. */
int dbg_ptrace_regs(struct dbg_ptrace *pt, struct dbg_thread *t, struct dbg_err *err);

/*
 * fork + PTRACE_TRACEME + execve(path, argv, envp), stopped after execve at
 * the ELF entry (or the interpreter's entry for a dynamic binary). Options:
 * EXITKILL, TRACECLONE, TRACESYSGOOD, TRACEEXEC. envp NULL = our environ.
 * Returns 0 with *pt filled, or a negative errno: "cannot execute PATH: ...".
 *
 * Nothing launched outlives the caller, however it ends:
 * - the child asks for PR_SET_PDEATHSIG(SIGKILL) before anything else and
 *   exits if its parent already changed, so a debugger killed before
 *   PTRACE_O_EXITKILL is set takes the program along (the death signal
 *   stays set in the program after execve; it follows the calling thread,
 *   so launch from a thread that lives as long as the session);
 * - the program leads its own process group, which its children (fork,
 *   os/exec) inherit: dbg_ptrace_free() kills the whole group;
 * - a guard process (a fork of the caller that only waits, member of that
 *   group so the group id cannot be reused) kills the group when the
 *   caller dies by any signal, SIGKILL included. It ignores catchable
 *   signals, and is reaped by dbg_ptrace_free(). A program that leaves
 *   the group (setsid, setpgid) takes its own processes out of reach.
 */
int dbg_ptrace_launch(struct dbg_ptrace *pt, const char *path, char *const argv[],
		      char *const envp[], const struct dbg_launch_opts *opts, struct dbg_err *err);

/* Kill the process and its process group (what it forked), reap, release.
 * Safe on a zeroed or already freed struct. */
void dbg_ptrace_free(struct dbg_ptrace *pt);

/* The current thread (the one that last reported a stop, or selected). */
static inline struct dbg_thread *dbg_ptrace_cur(struct dbg_ptrace *pt)
{
	return pt->nthreads ? &pt->threads[pt->cur] : NULL;
}

/* Make tid current: 0, or -ESRCH if we do not trace it. */
int dbg_ptrace_select(struct dbg_ptrace *pt, pid_t tid);

/*
 * Single-step the current thread; fills *stop (TRAP when the step finished).
 * A pending signal of the thread is delivered by this step, like gdb.
 * Registers of the stopping thread are refreshed.
 *
 * With give_up_ms set, a step during which the other threads run (a
 * blocking system call) that takes longer, or during which another thread
 * hits a breakpoint or gets a signal, returns -EINPROGRESS without an error
 * message: every thread then runs (the stepped one still stepping, its trap
 * comes later), and dbg_ptrace_cont collects the next stop as for a free
 * run.
 */
int dbg_ptrace_step(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err);

/*
 * Like dbg_ptrace_step for an instruction whose single-step trap the CPU may
 * lose (cpuid under a hypervisor that emulates it, seen on AMD hosts: the
 * trap comes one instruction late). The current thread runs alone to an
 * int3 at next, the address after the instruction, which is then removed;
 * the stop reads as a finished step with rip = next. With a signal pending
 * for the thread this is a plain single step.
 */
int dbg_ptrace_step_to(struct dbg_ptrace *pt, uint64_t next, struct dbg_pt_stop *stop,
		       struct dbg_err *err);

/*
 * Resume every thread (each with its pending signal) and wait for the next
 * stop of any of them; then stop all others. Fills *stop; the thread that
 * stopped becomes current.
 *
 * With pin_runs and trace_sys, a run of a program that has one thread
 * pins the tracer and that thread to the tracer's CPU (dbg_ptrace_pin), so
 * that each syscall stop wakes a task on the same CPU rather than another
 * CPU's. The program does not see it: its own mask is put back around
 * each sched_getaffinity (at the entry stop; pinned again at the exit),
 * and before any clone, clone3, fork or vfork runs (so that the child
 * starts with the real mask); a second thread that appears anyway ends
 * the pin, and after the program's own sched_setaffinity runs pin no
 * more. The pin is kept when the run stops (the next run goes on with it;
 * dbg_ptrace_pin(pt, false) gives the masks back) except at the program's
 * end or on an error, where the masks are given back at once. Without
 * pin_runs, or with more than one thread, a run gives the masks back
 * first.
 */
int dbg_ptrace_cont(struct dbg_ptrace *pt, struct dbg_pt_stop *stop, struct dbg_err *err);

/* Write back t's cached registers now (PTRACE_SETREGS). */
int dbg_ptrace_set_regs(struct dbg_ptrace *pt, struct dbg_thread *t, struct dbg_err *err);

/* PTRACE_PEEKDATA / POKEDATA of one aligned word (fallback memory access). */
int dbg_ptrace_peek(pid_t tid, uint64_t addr, uint64_t *word);
int dbg_ptrace_poke(pid_t tid, uint64_t addr, uint64_t word);

/*
 * Thread tid, stopped at a trap (a breakpoint or a step: not a signal's
 * stop, not inside a system call), runs one system call nr(a0, a1) of its
 * own: a `syscall` written over the two bytes at its pc, one single step,
 * then the bytes and every register put back as they were. *ret is the
 * call's result (-errno from the kernel). 0; -EBUSY when the thread is
 * not in such a stop (nothing done); -EINTR when a signal stopped it
 * instead (the signal is queued for it again); -ESRCH when it is gone; or
 * another -errno.
 */
int dbg_ptrace_syscall_in(struct dbg_ptrace *pt, pid_t tid, long nr, long a0, long a1, long *ret);

/* PTRACE_GETSIGINFO of a stopped thread: signo, si_code, si_addr. */
int dbg_ptrace_siginfo(pid_t tid, int *signo, int *code, uint64_t *addr);

/*
 * Hardware debug registers (x86-64): DR0-DR3 hold addresses, DR7 says
 * which are on, for what access and how long (Intel SDM 17.2.4). Writes
 * DR7 = 0, dr[0..3], then dr7 on every traced thread (PTRACE_POKEUSER at
 * offsetof(struct user, u_debugreg[i])) and remembers them: a thread the
 * program creates later, and the thread left after an execve
 * (dbg_ptrace_reapply_dregs), get the same ones before they run. 0 or a
 * negative errno ("cannot set debug register 7 of thread 123: ...").
 */
int dbg_ptrace_set_dregs(struct dbg_ptrace *pt, const uint64_t dr[4], uint64_t dr7,
			 struct dbg_err *err);

/* Write the remembered debug registers to every thread again (the kernel
 * clears them at execve). 0 or a negative errno. */
int dbg_ptrace_reapply_dregs(struct dbg_ptrace *pt, struct dbg_err *err);

/* DR6 of a stopped thread (B0-B3: which DR's condition was met; BS: a
 * single step): 0 or a negative errno. */
int dbg_ptrace_dr6(pid_t tid, uint64_t *dr6);

/* Clear DR6 of a stopped thread after a hit was handled (the kernel keeps
 * the B bits until then). 0 or a negative errno. */
int dbg_ptrace_clear_dr6(pid_t tid);

/*
 * Whether this machine's CPU fires data breakpoints: a write to one of our
 * own words is watched through perf_event_open (the kernel's interface to
 * the same debug registers) and the hits counted. Some virtual machines
 * accept debug register writes and never trap. True when it cannot be
 * told (perf_event_open refused). Probed once per process.
 */
bool dbg_ptrace_dregs_fire(void);

/*
 * Pin the tracer and the program's threads to one CPU (true) or restore
 * their masks (false; the tracer's alone once the program is gone).
 * Stepping on one CPU avoids a cross-CPU wake-up per step (about 3x faster
 * on an idle machine). A free run of more than one thread (see
 * dbg_ptrace_cont) and dbg_ptrace_free restore the masks first. A thread
 * inside a sched_getaffinity keeps its own mask until the call's exit
 * stop. 0 or negative errno; failure is harmless.
 */
int dbg_ptrace_pin(struct dbg_ptrace *pt, bool on);

#endif
