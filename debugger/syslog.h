/*
 * syslog — the system calls and signals a run has seen, in order: what
 * `info syscalls`, the stop events, the TUI's Syscalls tab and the
 * timeline's marks show, and what a recording keeps (docs/timeline.md).
 *
 * An entry is made when a call is seen entering (a `syscall` instruction
 * about to be single-stepped, or the kernel's syscall-entry stop of a free
 * run) and completed at its return; the arguments are decoded then, while
 * the memory they point to holds what the call was given (syscalls.h). A
 * signal the program receives (stopped for or passed on: SIGURG
 * preemption, SIGSEGV …) is an entry too.
 *
 * The log belongs to the target (target.h) and is cleared at each start.
 * Growth aborts on running out of memory (err.h).
 */
#ifndef DBG_SYSLOG_H
#define DBG_SYSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "syscalls.h"

enum dbg_sys_kind {
	DBG_SYS_CALL,   /* a system call */
	DBG_SYS_SIGNAL, /* a signal the program received */
};

struct dbg_sys_event {
	enum dbg_sys_kind kind;
	uint64_t step; /* the step count when it was seen (with
			* DBG_STEPS_INEXACT after a free run), the timeline's
			* step of the call */
	pid_t tid;
	int64_t m;       /* the thread's M (m.id), -1 when it has none yet */
	int64_t goid;    /* the g running (g.goid; 0 for g0 and gsignal), -1
			* before TLS */
	int stage;       /* the boot stage current then, -1 */
	uint64_t pc;     /* CALL: the `syscall` instruction; SIGNAL: where the
			* thread was */
	uint64_t caller; /* a pc in the runtime function that made the call:
			  * the innermost frame above the raw wrapper
			  * (runtime.settls, runtime.newosproc …), 0 when
			  * unknown */
	/* CALL */
	uint64_t nr;
	uint64_t args[6];
	unsigned nargs;
	struct dbg_sysarg arg[6]; /* decoded (at the return when seen) */
	bool returned;            /* ret is valid */
	bool in_kernel;           /* entered through a syscall stop (a free
				   * run), its return not seen yet */
	bool restarting;          /* interrupted (ret: -ERESTART…) by a stop
				   * of ours: the kernel runs it again when
				   * the thread resumes, the same call; a
				   * signal delivered meanwhile ends it */
	int64_t ret;
	/* SIGNAL */
	int signo;
	int code;     /* si_code */
	bool stopped; /* the program stopped for it (else passed on) */
};

struct dbg_syslog {
	struct dbg_sys_event *v;
	size_t n, cap;
};

void dbg_syslog_clear(struct dbg_syslog *l);
void dbg_syslog_release(struct dbg_syslog *l);

/* A new zeroed entry at the end (m, goid, stage -1), returned. */
struct dbg_sys_event *dbg_syslog_add(struct dbg_syslog *l);

/* The index of the call made by the instruction single-stepped from step
 * (an exact step count), or -1. */
long dbg_syslog_at_step(const struct dbg_syslog *l, uint64_t step);

/* The last call of tid that has not returned, or NULL. */
struct dbg_sys_event *dbg_syslog_open_call(struct dbg_syslog *l, pid_t tid);

#endif
