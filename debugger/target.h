/*
 * target — the program image and the process a session drives, as plain
 * handles: the image's ELF, DWARF, disassembler and stage catalog; the
 * traced process (threads, memory) while it lives; the breakpoints and the
 * int3 bytes in memory; the step count and the stages reached; the last
 * stop. The session (session.h) owns one, changes it and keeps it true;
 * the timeline (timeline.h) is given it, so it reads the live process
 * without going through the session. The functions here answer for the
 * live process only (never for recorded history) and resume nothing.
 */
#ifndef DBG_TARGET_H
#define DBG_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bps.h"
#include "disasm.h"
#include "dwarf.h"
#include "elf.h"
#include "err.h"
#include "proc.h"
#include "ptrace.h"
#include "stages.h"
#include "syslog.h"

enum dbg_stop_reason {
	DBG_STOP_NONE,        /* no process has run yet */
	DBG_STOP_ENTRY,       /* just started, at the ELF entry point */
	DBG_STOP_STEP,        /* stepi/nexti finished */
	DBG_STOP_BREAKPOINT,  /* hit a user breakpoint (bp_id) */
	DBG_STOP_FINISH,      /* finish reached the return address */
	DBG_STOP_UNTIL,       /* until/advance reached its location */
	DBG_STOP_SIGNAL,      /* the target got a signal (signo, code, fault_addr);
			       * it is delivered on the next resume, like gdb */
	DBG_STOP_EXITED,      /* the process exited: code = exit status */
	DBG_STOP_SIGNALED,    /* the process was killed by signo */
	DBG_STOP_INTERRUPTED, /* dbg_session_interrupt() */
	DBG_STOP_NO_HISTORY,  /* the timeline has no step further that way
			       * (timeline.h): its first step going back, its
			       * last one replaying without a process */
	DBG_STOP_WATCHPOINT,  /* a watchpoint's condition was met (bp_id, watch_*) */
	DBG_STOP_SYSCALL,     /* a catchpoint's system call was entered or
			       * returned (bp_id, sys_index, sys_return) */
};

struct dbg_stop {
	enum dbg_stop_reason reason;
	int tid;             /* thread that stopped (0 after exit) */
	int signo;           /* SIGNAL, SIGNALED: the signal */
	int code;            /* SIGNAL: si_code; EXITED: exit status */
	uint64_t pc;         /* rip of tid (0 after exit) */
	uint64_t fault_addr; /* SIGNAL, when has_fault_addr: si_addr */
	bool has_fault_addr; /* SIGNAL: a fault the kernel raised (SIGSEGV,
			      * SIGBUS, SIGILL, SIGFPE, SIGTRAP) with an
			      * address; false for sent signals */
	int sender_pid;      /* SIGNAL: the process that sent it (kill,
			      * tgkill, sigqueue), else 0 */
	int bp_id;           /* BREAKPOINT: the breakpoint's id, else 0;
			      * WATCHPOINT: the watchpoint's id */
	uint64_t watch_old;  /* WATCHPOINT: the value before the access */
	uint64_t watch_new;  /* WATCHPOINT: the value after it */
	uint64_t watch_pc;   /* WATCHPOINT: the instruction that accessed it
			      * (pc is the one after it), or 0 when unknown */
	int stage;           /* index in dbg_session_stages() of the stage at
			      * pc, or -1 */
	long sys_index;      /* SYSCALL: the call's entry in the log
			      * (syslog.h); STEP: the call the last step
			      * made, when it was a `syscall`; else -1 */
	bool sys_return;     /* SYSCALL: at its return (else its entry) */
};

/* Human name of a stop reason: "entry", "step", "breakpoint", "finish",
 * "until", "signal", "exited", "signaled", "interrupted", "watchpoint",
 * "no-history", "syscall",
 * "none". */
const char *dbg_stop_reason_name(enum dbg_stop_reason r);

struct dbg_thread_info {
	pid_t tid;
	uint64_t rip;
	uint64_t fs_base;
	uint64_t g; /* the word at fs_base - 8 (Go's current g on that
			   * thread); 0 when fs_base is 0 or unreadable */
	bool current;
	int64_t syscall; /* the system call it is stopped in (orig_rax),
			   * or -1 when it stopped in user code */
};

/* A stage reached after a free run has an inexact count (stage_steps):
 * counts never come near 2^63, so the flag takes the top bit. */
#define DBG_STEPS_INEXACT (1ull << 63)
#define DBG_NOT_REACHED UINT64_MAX

struct dbg_target {
	char *path;  /* the program dbg_session_start runs */
	char *image; /* the program the process runs after an execve, or
		      * NULL: path */
	struct dbg_elf *elf;
	struct dbg_dwarf *dwarf; /* NULL: no DWARF */
	struct dbg_disasm *dis;
	struct dbg_stages stages;

	bool live; /* a process exists: pt and mem are valid */
	struct dbg_ptrace pt;
	struct dbg_proc mem;
	struct dbg_bps bps;
	enum dbg_sched_lock sched_lock; /* kept across restarts (ptrace.h) */
	uint64_t entry_sp;              /* rsp at the entry stop */
	uint64_t interp_entry;          /* the dynamic loader's first
					   instruction (where the kernel
					   started the program), or 0 */
	struct dbg_stop last;           /* the last stop of the live process */
	struct dbg_elf *vdso;           /* the kernel's vDSO image as the process
					   maps it (read at each start and exec),
					   or NULL */
	uint64_t vdso_lo, vdso_hi;      /* its mapping [lo, hi) */

	uint64_t steps;        /* instructions single-stepped since the start */
	bool steps_exact;      /* no free run since the start */
	uint64_t *stage_steps; /* per stage: DBG_NOT_REACHED, or the count when
				* first reached (| DBG_STEPS_INEXACT) */
	uint32_t *stage_rank;  /* 1, 2, … in the order reached; 0 = not yet */
	uint32_t nreached;
	int cur_stage;         /* the last stage reached, or -1 */
	struct dbg_syslog sys; /* the calls and signals seen since the start */
};

/* The program the process runs (path, or the image after an execve). */
const char *dbg_target_path(const struct dbg_target *t);

/* Registers of the current thread, NULL without a process. */
const struct dbg_regs *dbg_target_regs(struct dbg_target *t);

/* Reads of the live process with our int3 bytes hidden: 0, or -ESRCH
 * "the program is not being run", or the first read's error. */
int dbg_target_readv(struct dbg_target *t, const struct dbg_read *v, size_t n, struct dbg_err *err);
int dbg_target_read(struct dbg_target *t, uint64_t addr, void *buf, size_t n, struct dbg_err *err);

/*
 * Where a thread's g is: fs_base + dbg_target_tls_g(). The offset comes
 * from the binary: runtime.tlsg in libc's TLS block (a cgo binary whose C
 * code has thread-locals puts g lower than fs:-8), else the slot rt0_go's
 * 0x123 check stores through, else -8 (Go's own fs_base = &m.tls[0] + 8);
 * worked out once per image by dbg_stages_build.
 * dbg_target_g_slot is false when fs_base is 0 (no TLS yet).
 */
int64_t dbg_target_tls_g(const struct dbg_target *t);
bool dbg_target_g_slot(const struct dbg_target *t, uint64_t fs_base, uint64_t *slot);

/*
 * Read the vDSO the kernel mapped into the live process (AT_SYSINFO_EHDR
 * of its auxv, the bytes of its [vdso] mapping) and keep it as an ELF
 * image placed at that address (t->vdso), replacing the one of an earlier
 * process. A process without one leaves t->vdso NULL. 0 or negative errno.
 */
int dbg_target_load_vdso(struct dbg_target *t, struct dbg_err *err);

/* The symbol containing addr: the program's, else the vDSO's when addr is
 * in its mapping; NULL when none (as dbg_elf_sym_at). */
const struct dbg_sym *dbg_target_sym_at(const struct dbg_target *t, uint64_t addr);

/* The image holding addr's symbol names: t->vdso inside its mapping,
 * else the program's ELF. */
const struct dbg_elf *dbg_target_elf_at(const struct dbg_target *t, uint64_t addr);

/* "runtime.rt0_go+0x4c", "clock_gettime+0x3c" (vDSO) or "0x…" with
 * -ENOENT, as dbg_elf_symbolize. */
int dbg_target_symbolize(const struct dbg_target *t, uint64_t addr, char *buf, size_t n);

/* The live threads: up to max entries into out; returns the total. */
size_t dbg_target_threads(struct dbg_target *t, struct dbg_thread_info *out, size_t max);

/* Decode the live instruction at pc (int3 bytes hidden): 0 or negative. */
int dbg_target_insn(struct dbg_target *t, uint64_t pc, struct dbg_insn *in);

/* Stage i reached since the start (*steps, optional, the count then);
 * with an exact count; its rank in the order of arrival (0: not yet). */
bool dbg_target_stage_reached(const struct dbg_target *t, size_t i, uint64_t *steps);
bool dbg_target_stage_exact(const struct dbg_target *t, size_t i);
unsigned dbg_target_stage_rank(const struct dbg_target *t, size_t i);

#endif
