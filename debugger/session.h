/*
 * session — one debugging session: an executable (ELF, DWARF, disassembler,
 * boot stages), at most one running process, breakpoints, step accounting.
 * This is the API front ends use.
 *
 *   struct dbg_session *s;
 *   struct dbg_err err;
 *   struct dbg_stop stop;
 *   if (dbg_session_open(&s, "build/target-runtime/hello", &err) < 0) ...
 *   dbg_session_start(s, argv, NULL, NULL, &stop, &err);  // stop.reason == DBG_STOP_ENTRY
 *   dbg_session_break(s, addr_of_schedinit, false, &err);
 *   dbg_session_cont(s, &stop, &err);                     // DBG_STOP_BREAKPOINT
 *   dbg_session_stepi(s, 100, &stop, &err);
 *   dbg_session_free(s);                                  // kills the tracee
 *
 * Every resuming call fills a struct dbg_stop and returns 0 when the process
 * stopped or ended normally (exit and death by signal are stops too), or a
 * negative errno on failure (no process: -ESRCH "the program is not being
 * run"). After DBG_STOP_EXITED/SIGNALED the process is gone; start again.
 *
 * Threads: all-stop. By default stepi/nexti single-step only the current
 * thread (the others run only while it steps over a blocking syscall such
 * as futex, which may wait for them); cont, finish and until resume all
 * threads. dbg_session_set_sched_lock() changes that (gdb's
 * scheduler-locking: on, step, off; see ptrace.h). The thread that reports
 * a stop becomes current. Timer, child and Go's preemption signals
 * (SIGURG …) pass without a stop, as in gdb.
 *
 * Speed: a step is one PTRACE_SINGLESTEP, one waitpid and one GETREGS.
 * Stepping pins the debugger and the program's threads to one CPU, and the
 * pin stays across consecutive stepi calls, so one instruction at a time
 * steps as fast as a long stepi. It is released by a free run (continue,
 * run, finish …), the program's end and dbg_session_idle(), and the masks
 * are given back around the target's own sched_getaffinity calls, so the
 * target's CPU count is unchanged.
 *
 * Breakpoints are int3 bytes. They are inserted while the process runs and
 * hidden from every read through this API (dbg_session_read, disassembly).
 * Resuming from a breakpoint address steps over it first. Breakpoints may be
 * set before the process starts; they are inserted at start.
 *
 * Step accounting: dbg_session_steps() counts instructions single-stepped
 * since the start (stepi, and the step over a breakpoint when resuming).
 * Whenever a stop lands exactly on a stage's address (by single step or by
 * breakpoint) that stage is marked reached with the step count at that
 * moment, and becomes the current stage (the last reached, by time). The
 * count is exact (every instruction the thread ran) until the process runs
 * freely (cont, until, finish, nexti over a call); dbg_session_steps_exact()
 * says which, and a stage reached after that has an inexact count. A stop
 * by a signal also marks the innermost function on the call stack that is
 * a stage (found like finish's return slot, then up the frame-pointer
 * chain), so a crash in a callee of main.main names main.main.
 *
 * finish: the slot holding the return address of the current function is
 * found without unwind tables, so that it works on hand-written assembly:
 * at a ret instruction it is [rsp] (at `pop %rbp; ret` or `add $n,%rsp;
 * ret`, rsp+8 or rsp+n); once the function has set its frame pointer
 * (`push %rbp; mov %rsp,%rbp` as C does, or Go's `mov %rbp,n(%rsp);
 * lea n(%rsp),%rbp`, found by decoding from the function's symbol to the
 * pc) it is [rbp+8]; before that, on a straight-line prologue, it is
 * [rsp + the pushes/subs seen so far]. Otherwise finish fails with -EINVAL
 * "cannot find the return address of FUNC: no frame pointer". The run stops
 * at the return address once rsp is above that slot (recursion-safe) and,
 * when fs:-8 held a g at the start, with that g current again: the caller's
 * frame is on that goroutine's stack, though it may resume on another
 * thread (nexti over a call alike).
 *
 * Async: dbg_session_interrupt() is async-signal-safe (SIGINT handlers):
 * it sends SIGSTOP to the tracee and sets a flag; the running cont/stepi N
 * returns DBG_STOP_INTERRUPTED.
 */
#ifndef DBG_SESSION_H
#define DBG_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lines.h"
#include "target.h"

struct dbg_session; /* opaque */

struct dbg_start_opts {
	bool keep_aslr; /* leave address-space randomisation on */
	int stdin_fd;   /* the target's stdin; -1 = /dev/null */
};

/* ---- lifecycle ---------------------------------------------------------- */

/*
 * Load path: ELF (required), DWARF (optional: dbg_session_dwarf() is NULL
 * without it), disassembler, stage catalog. No process yet.
 */
int dbg_session_open(struct dbg_session **out, const char *path, struct dbg_err *err);

/* Kill and reap the process if any, free everything. NULL is a no-op. */
void dbg_session_free(struct dbg_session *s);

/*
 * Launch path with argv (argv[0] conventionally the path) and envp (NULL:
 * our environment), stopped at the ELF entry point: for a dynamically
 * linked or PIE executable the process runs to its real entry with a
 * temporary breakpoint. A running process is killed first (restart).
 * Resets the step count and the reached stages; stop->reason = ENTRY.
 */
int dbg_session_start(struct dbg_session *s, char *const argv[], char *const envp[],
		      const struct dbg_start_opts *opts, struct dbg_stop *stop,
		      struct dbg_err *err);

/* Kill the process (if any). The session stays open. */
void dbg_session_kill(struct dbg_session *s);

/* True while a process exists (stopped between calls). */
bool dbg_session_running(const struct dbg_session *s);

/* Process id, or 0. */
pid_t dbg_session_pid(const struct dbg_session *s);

/* The last stop (reason DBG_STOP_NONE before the first start). */
const struct dbg_stop *dbg_session_last_stop(const struct dbg_session *s);

/* ---- execution ---------------------------------------------------------- */

/* Single-step n instructions of the current thread (n >= 1). Stops early on
 * an enabled breakpoint address (reason BREAKPOINT, after at least one
 * step), a signal, exit or interrupt; else reason STEP. */
int dbg_session_stepi(struct dbg_session *s, uint64_t n, struct dbg_stop *stop,
		      struct dbg_err *err);

/* Called by dbg_session_stepi_each() after every finished step, the
 * process stopped (registers, memory and the runtime decoder can be read).
 * Returning true ends the stepi there (reason STEP). */
typedef bool dbg_step_fn(struct dbg_session *s, void *arg);

/*
 * stepi that also stops where the pc is one of addrs (n_addrs addresses,
 * sorted ascending; a programmer error otherwise): up to max steps, checked
 * after each step (so at least one runs), with a binary search and no
 * allocation. Reason UNTIL at one of addrs; else as stepi (BREAKPOINT at
 * an enabled breakpoint, a signal, exit, interrupt; STEP when max steps
 * ran). Front ends call it in chunks to show progress between calls.
 */
int dbg_session_stepi_until(struct dbg_session *s, const uint64_t *addrs, size_t n_addrs,
			    uint64_t max, struct dbg_stop *stop, struct dbg_err *err);

/* stepi with an observer: fn runs after every step that did not end the
 * run (a breakpoint, signal, exit or interrupt ends it first), inside the
 * stepping loop, so the CPU pin of a long stepi holds across the calls:
 * a per-step trace or decode costs what fn costs, not an unpinned step. */
int dbg_session_stepi_each(struct dbg_session *s, uint64_t n, dbg_step_fn *fn, void *arg,
			   struct dbg_stop *stop, struct dbg_err *err);

/* Like stepi, but a call is run to its return (temporary breakpoint at the
 * next instruction, continue) and counts as one instruction. */
int dbg_session_nexti(struct dbg_session *s, uint64_t n, struct dbg_stop *stop,
		      struct dbg_err *err);

/*
 * With the timeline's full mode (set record-continue on), continue, finish,
 * until and nexti over a call single-step at most this many instructions;
 * the rest of the run is free, one jump of the record (timeline.h).
 */
#define DBG_RECORD_CONTINUE_MAX 50000

/* Continue until a breakpoint, signal, exit or interrupt. */
int dbg_session_cont(struct dbg_session *s, struct dbg_stop *stop, struct dbg_err *err);

/* Run to the return address of the current function (see top); reason
 * FINISH, or an earlier breakpoint/signal/exit. */
int dbg_session_finish(struct dbg_session *s, struct dbg_stop *stop, struct dbg_err *err);

/* Temporary breakpoint at addr + continue: reason UNTIL, or earlier stop.
 * (gdb's advance; `until LOC` is the same here.) */
int dbg_session_until(struct dbg_session *s, uint64_t addr, struct dbg_stop *stop,
		      struct dbg_err *err);

/* Async-signal-safe: stop the running tracee (SIGSTOP). */
void dbg_session_interrupt(struct dbg_session *s);

/*
 * fn(arg) runs while bootscope waits for the running program: before each
 * wait (of the waits for steps that end at once, one in 16) and when a
 * signal handler cut one short. A front end reacts there
 * to what its handlers noted (the TUI lays its screen out again after a
 * resize); fn may read the session but must not change it or run the
 * program. Process-wide, as signal handlers are; NULL: none.
 */
void dbg_session_set_wait_hook(void (*fn)(void *arg), void *arg);

/* In the wait hook: whether the wait may last (anything but a single step
 * of one instruction that is no system call, the other threads stopped:
 * that one ends at once). */
bool dbg_session_wait_may_last(const struct dbg_session *s);

/* The front end waits for its user (a key, a command line): the CPU pin
 * that stepping keeps is released, the next step takes it again. */
void dbg_session_idle(struct dbg_session *s);

/* ---- breakpoints -------------------------------------------------------- */

/* New breakpoint at addr: its id (> 0), or a negative errno
 * (-EEXIST "breakpoint 2 is already at 0x401000" for a duplicate, -EFAULT
 * when the address is not in executable code — an executable mapping of
 * the process, or an executable segment of the file before it runs — or
 * cannot be written). */
int dbg_session_break(struct dbg_session *s, uint64_t addr, bool temporary, struct dbg_err *err);

/* A pending breakpoint (no address yet; see execve below): its id. */
int dbg_session_break_pending(struct dbg_session *s, bool temporary, struct dbg_err *err);

/* Remember how breakpoint id's location was written (copied): 0, -ENOENT
 * or -ENOMEM. */
int dbg_session_bp_set_spec(struct dbg_session *s, int id, const char *spec, struct dbg_err *err);

/* Give breakpoint id the address addr in the current program (it stops
 * being pending): 0, -ENOENT, or -EFAULT as dbg_session_break (then it
 * stays pending). */
int dbg_session_rebind(struct dbg_session *s, int id, uint64_t addr, struct dbg_err *err);

/* Delete breakpoint or watchpoint id: 0 or -ENOENT "no breakpoint number
 * 7". */
int dbg_session_delete(struct dbg_session *s, int id, struct dbg_err *err);

/* Delete all breakpoints and watchpoints. */
void dbg_session_delete_all(struct dbg_session *s);

/* Enable/disable: 0 or -ENOENT. */
int dbg_session_enable(struct dbg_session *s, int id, bool on, struct dbg_err *err);

/* All breakpoints, by id. *out stays valid until the next breakpoint call. */
size_t dbg_session_breakpoints(const struct dbg_session *s, const struct dbg_bp **out);

/* ---- watchpoints -------------------------------------------------------- */

/*
 * Watchpoints stop the program when len bytes at addr are written (watch:
 * with a new value), read (rwatch) or either (awatch). They share the
 * breakpoints' numbers, and dbg_session_delete removes them too.
 *
 * A hardware watchpoint holds one of the CPU's four debug registers
 * (DR0-DR3, with DR7), written to every thread, to a thread created later
 * before it runs, and again at each start: the CPU traps right after the
 * accessing instruction, whether the program runs freely or is single-
 * stepped. Where the CPU's debug registers do not fire (some virtual
 * machines, probed once: dbg_session_hw_watch) or when they are turned off
 * (dbg_session_set_hw_watch false), a watchpoint is a software one: while
 * one exists continue, finish and until single-step the current thread,
 * and each step is checked: a write watchpoint by its value after it (as
 * gdb's), a read or access one by the instruction's memory operands (and
 * the stack word of pop, ret, push and call) before it.
 *
 * A stop on one has reason WATCHPOINT, bp_id the watchpoint's id,
 * watch_old and watch_new the value before and after the access (equal
 * for a read), pc the thread's pc (after the accessing instruction) and
 * watch_pc the instruction that accessed: the single step's start, or
 * for a free run the instruction that ends at pc, decoded from the start
 * of its function. As in gdb a write watchpoint ignores a write of the
 * same value, and a read watchpoint (x86 traps reads and writes alike) an
 * access that changed it.
 */

/*
 * New watchpoint: its id, or -EINVAL "cannot watch 16 bytes at 0x…: …"
 * (len other than 1, 2, 4 or 8, or addr not a multiple of it), -ENOSPC
 * "no free debug register: 4 watchpoints in use". expr: how the front end
 * wrote it (copied).
 */
int dbg_session_watch(struct dbg_session *s, enum dbg_watch_kind kind, uint64_t addr, unsigned len,
		      const char *expr, struct dbg_err *err);

/* How watchpoint id's values are shown (a front end's note: signed, a
 * pointer): 0 or -ENOENT. */
int dbg_session_watch_set_format(struct dbg_session *s, int id, bool is_signed, bool is_ptr);

/* All watchpoints, by id; *out valid until the next watchpoint call. */
size_t dbg_session_watchpoints(const struct dbg_session *s, const struct dbg_watch **out);

/* gdb's can-use-hw-watchpoints: off makes new watchpoints software
 * ones; on makes them hardware
 * ones even where the debug registers were not seen to fire. Until it is
 * set, they are hardware ones where the debug registers fire. */
void dbg_session_set_hw_watch(struct dbg_session *s, bool on);
/* Whether new watchpoints are hardware ones. */
bool dbg_session_hw_watch(const struct dbg_session *s);

/* ---- system calls and catchpoints (session_sys.c) ------------------------ */

/*
 * Every system call the program makes and every signal it receives is
 * logged (syslog.h), with its thread, M, g, boot stage and the runtime
 * function that made it: while single-stepping, from the `syscall`
 * instruction itself (no extra stop); in a free run (cont, finish, until)
 * from the kernel's syscall stops (PTRACE_SYSCALL), which are passed over
 * without stopping the other threads unless a catchpoint wants the call.
 *
 * A catchpoint (gdb's catch syscall) stops at a call's entry and again at
 * its return: reason SYSCALL, bp_id its id, sys_index the log entry,
 * sys_return which. Single-stepped, the entry stop is at the `syscall`
 * instruction before it runs and the return stop just after it; in a free
 * run both are inside the kernel with pc after the instruction, as gdb's
 * (rax is then -ENOSYS at the entry).
 */

/* New catchpoint for the n calls nrs (n 0: every call), temporary for
 * tcatch; spec is how they were written (copied; NULL for any). Its id,
 * or -EINVAL for a number >= DBG_SYSCALL_MAX. */
int dbg_session_catch_syscall(struct dbg_session *s, const uint64_t *nrs, size_t n, bool temporary,
			      const char *spec, struct dbg_err *err);

/* All catchpoints, by id; *out valid until the next catchpoint call.
 * dbg_session_delete and dbg_session_enable take their ids too. */
size_t dbg_session_catchpoints(const struct dbg_session *s, const struct dbg_catch **out);

/* The log since the start (a recording's when replaying one from a file):
 * its entries in order; *out valid until the program runs again. */
size_t dbg_session_syscalls(struct dbg_session *s, const struct dbg_sys_event **out);

/* The call the current thread is about to make: when its pc is at a
 * `syscall` instruction, *out is decoded from its registers (returned
 * false, caller found): 0, or -ENOENT when the pc is elsewhere. */
int dbg_session_syscall_next(struct dbg_session *s, struct dbg_sys_event *out, struct dbg_err *err);

/* ---- state -------------------------------------------------------------- */

/* Registers of the current thread (cached at the stop), NULL without a
 * process. */
const struct dbg_regs *dbg_session_regs(struct dbg_session *s);

/* Set a register of the current thread (64-bit names, pc, sp): 0, -ENOENT,
 * -ESRCH. Written back before the next resume. */
int dbg_session_set_reg(struct dbg_session *s, const char *name, uint64_t v, struct dbg_err *err);

/* Read n bytes of the target at addr, breakpoints hidden. Without a process,
 * reads the ELF file image. 0 or negative errno
 * ("cannot read memory at 0x...: input/output error"). */
int dbg_session_read(struct dbg_session *s, uint64_t addr, void *buf, size_t n,
		     struct dbg_err *err);

/* Several reads at once (struct dbg_read in proc.h: addr, buf, n), in as
 * few syscalls as the kernel allows, breakpoints hidden: 0, or the error
 * of the first read that fails, as dbg_session_read would give it. */
int dbg_session_readv(struct dbg_session *s, const struct dbg_read *v, size_t n,
		      struct dbg_err *err);

/* Convenience: one little-endian 8-byte word. */
int dbg_session_read_u64(struct dbg_session *s, uint64_t addr, uint64_t *v, struct dbg_err *err);

/* Write n bytes (breakpoint-aware: the saved original bytes are updated). */
int dbg_session_write(struct dbg_session *s, uint64_t addr, const void *buf, size_t n,
		      struct dbg_err *err);

/*
 * A word of the live process's memory as dbg_session_read_u64 reads it,
 * kept from one stop to the next while nothing can have written it: the
 * program was not resumed since, or only took a single step of an
 * instruction that is no system call (the other threads stopped) which the
 * record saw write elsewhere; the debugger wrote nothing meanwhile. For
 * the few words read at every stop (the current g, its label's) of memory
 * private to the program. In the record's history or after any other run:
 * read as dbg_session_read_u64.
 */
int dbg_session_read_kept(struct dbg_session *s, uint64_t addr, uint64_t *v, struct dbg_err *err);

/* A value that changes whenever a word or block of code that
 * dbg_session_read_kept (or the disassembly of one instruction) kept is
 * dropped: what was computed from kept words alone holds while it is the
 * same. False when nothing is kept (no live process, the history). */
bool dbg_session_kept_gen(struct dbg_session *s, unsigned *gen);

/* Where a thread with this fs_base keeps its g (see dbg_target_tls_g:
 * fs:-8, or the slot the binary's TLS layout gives); false before TLS. */
bool dbg_session_g_slot(struct dbg_session *s, uint64_t fs_base, uint64_t *slot);
/* That slot's offset from fs_base: -8, -0x10 … */
int64_t dbg_session_tls_g(struct dbg_session *s);

/* Threads: up to max entries into out; returns the total count. */
size_t dbg_session_threads(struct dbg_session *s, struct dbg_thread_info *out, size_t max);

/* Make tid the current thread: 0 or -ESRCH "no thread 123". */
int dbg_session_select_thread(struct dbg_session *s, pid_t tid, struct dbg_err *err);

/* Scheduler locking (see ptrace.h), kept across restarts; default STEP. */
void dbg_session_set_sched_lock(struct dbg_session *s, enum dbg_sched_lock l);
enum dbg_sched_lock dbg_session_sched_lock(const struct dbg_session *s);

/* rsp at the entry stop (0 before the first start). */
uint64_t dbg_session_entry_sp(const struct dbg_session *s);

/* ---- disassembly -------------------------------------------------------- */

/* Decode up to n instructions from addr (live memory with breakpoints
 * hidden, or the ELF file without a process) into out. Returns the number
 * decoded (>= 1) or a negative errno. */
int dbg_session_disasm(struct dbg_session *s, uint64_t addr, size_t n, struct dbg_insn *out,
		       struct dbg_err *err);

/*
 * Instructions around pc: up to `before` instructions ending just before pc
 * (decoded forward from the start of pc's symbol, so the boundaries are
 * right), then pc's and `after` more. out must hold before + 1 + after.
 * *pc_index receives pc's index in out. Returns the count or negative errno.
 */
int dbg_session_disasm_around(struct dbg_session *s, uint64_t pc, size_t before, size_t after,
			      struct dbg_insn *out, size_t *pc_index, struct dbg_err *err);

/*
 * Whether addr starts an instruction of the function (symbol) holding it,
 * found by decoding from the function's start (breakpoints hidden): 0 when
 * it does, or when that cannot be told (no function symbol, bytes that do
 * not decode before addr); -EINVAL when addr is inside an instruction,
 * with *prev and *next (optional) the boundaries around it: the start of
 * that instruction and of the next one. An int3 inside an instruction
 * changes it into another one. No error text: the caller words it.
 */
int dbg_session_insn_boundary(struct dbg_session *s, uint64_t addr, uint64_t *prev, uint64_t *next);

/* ---- source lines (lines.h) ---------------------------------------------- */

/* The program's line tables, read at first use (per image); NULL without
 * DWARF or without a line table. */
struct dbg_lines *dbg_session_lines(struct dbg_session *s);

/* The line row of pc (lines.h's dbg_lines_at): false without one. */
bool dbg_session_line_at(struct dbg_session *s, uint64_t pc, struct dbg_line *out);

/*
 * Where `step` into the function at entry stops, as gdb picks it: past
 * `push %rbp; mov %rsp,%rbp` (not in assembly units; Go's functions have
 * no such prologue and stop at their entry), then, when that is inside a
 * line, at the start of the next one if it is still in the function.
 * entry itself when nothing is known.
 */
uint64_t dbg_session_step_into_addr(struct dbg_session *s, uint64_t entry);

/*
 * The addresses of FILE:LINE as `break` takes them (lines.h's
 * dbg_lines_find; one per function, its lowest; in Go code a function's
 * entry moves to the end of its prologue as the line table marks it). Up
 * to max into addrs; the count (>= 1), *line_out the line taken and
 * *file_out its DWARF file; or -ENOENT "no source file named x.c" /
 * "no line 99 in file "x.c"", -ENODATA without line tables.
 */
int dbg_session_find_line(struct dbg_session *s, const char *file, unsigned line, uint64_t *addrs,
			  size_t max, unsigned *line_out, const char **file_out,
			  struct dbg_err *err);

/* The source file of a DWARF file name (lines.h's dbg_lines_source with
 * the session's substitutions and, for a Go binary, the local GOROOT). */
int dbg_session_source(struct dbg_session *s, const char *file, const struct dbg_source **out,
		       struct dbg_err *err);

/* gdb's substitute-path: add or replace the rule for from; remove it (all
 * rules when from is NULL: 0; -ENOENT "no substitution rule defined for
 * 'x'" when from has none); the rules in order. Changing them drops the
 * sources read so far. */
int dbg_session_subst_set(struct dbg_session *s, const char *from, const char *to,
			  struct dbg_err *err);
int dbg_session_subst_unset(struct dbg_session *s, const char *from, struct dbg_err *err);
size_t dbg_session_substs(const struct dbg_session *s, const struct dbg_subst **out);

/*
 * step N (over false) and next N (over true) by source line, as gdb:
 * single steps of the current thread (each one recorded by the timeline)
 * until the pc reaches the start of a statement row of another line, or
 * code without line information; in the middle of a line (back in the
 * caller after a return, too) stepping goes on to the next line's start.
 * A call is run to its return (a free run, as nexti) by next, and by step
 * when the callee has no line information; step stops in a callee that
 * has lines at dbg_session_step_into_addr. A call into a function whose
 * CFI marks it the outermost frame (mstart: no caller to return to) is
 * stepped into by both, as gdb, which cannot tell it from a jump. From
 * code without line information the function is run to its return
 * (finish). Reason STEP, or an earlier breakpoint, signal, exit or
 * interrupt.
 */
int dbg_session_step_line(struct dbg_session *s, bool over, uint64_t n, struct dbg_stop *stop,
			  struct dbg_err *err);

/* ---- parts and stages --------------------------------------------------- */

struct dbg_elf *dbg_session_elf(struct dbg_session *s);
struct dbg_dwarf *dbg_session_dwarf(struct dbg_session *s); /* NULL: no DWARF */

/*
 * NULL when the executable has a symbol table; otherwise one line for
 * messages: "./hello has no symbol table (stripped, e.g. by go build
 * -ldflags=-s)". Without one there are no boot stages and no symbol
 * names; the entry point, registers, memory and disassembly still work.
 */
const char *dbg_session_no_symbols(const struct dbg_session *s);
struct dbg_disasm *dbg_session_disasm_handle(struct dbg_session *s);
/* The program whose image the process runs (after an execve, the new
 * one), or that it will run. */
const char *dbg_session_path(const struct dbg_session *s);

/* The stage catalog of this binary (boot order). */
const struct dbg_stages *dbg_session_stages(const struct dbg_session *s);

/* Instructions single-stepped since the start. */
uint64_t dbg_session_steps(const struct dbg_session *s);

/* True while dbg_session_steps() counts every instruction run since the
 * start: no free run (cont, until, finish, nexti over a call) since. */
bool dbg_session_steps_exact(const struct dbg_session *s);

/* Index of the last stage reached (boot catalog index), or -1. */
int dbg_session_current_stage(const struct dbg_session *s);

/* Whether stage i was reached since the start; *steps (optional) receives
 * the step count when it was first reached. */
bool dbg_session_stage_reached(const struct dbg_session *s, size_t i, uint64_t *steps);

/* Whether stage i was reached with an exact step count (see the top): false
 * when it was not reached, or reached after a free run. */
bool dbg_session_stage_steps_exact(const struct dbg_session *s, size_t i);

/*
 * Rank of stage i in the order stages were reached (1 = the first), 0 when
 * not reached; in history, the order of the record's first arrivals. Every resume — stepping, continue, finish,
 * until — marks the stages it passes: a free run stops once at each stage
 * not reached yet (an internal one-shot breakpoint), so the order is known
 * even where the step count is not.
 */
unsigned dbg_session_stage_rank(const struct dbg_session *s, size_t i);

/* Symbolize with the session's ELF, or inside the process's vDSO with the
 * vDSO's own symbols: "runtime.rt0_go+0x4c", "clock_gettime+0x3c" or
 * "0x...". */
int dbg_session_symbolize(struct dbg_session *s, uint64_t addr, char *buf, size_t n);

/* The symbol containing addr, the program's or the vDSO's; NULL when none. */
const struct dbg_sym *dbg_session_sym_at(struct dbg_session *s, uint64_t addr);

/* The vDSO image of the process (its symbols and sections at run-time
 * addresses) with its mapping [*lo, *hi), or NULL before a start or when
 * the kernel maps none. */
const struct dbg_elf *dbg_session_vdso(struct dbg_session *s, uint64_t *lo, uint64_t *hi);

/* ---- the target's output ------------------------------------------------ */

enum dbg_stream { DBG_STREAM_STDOUT = 1, DBG_STREAM_STDERR = 2 };

/* Read what the target wrote: bytes read, 0 when nothing is pending (or
 * the pipe is closed), negative errno on error. Output written before the
 * process ended can still be read after it is gone (until the next start). */
ssize_t dbg_session_read_output(struct dbg_session *s, enum dbg_stream stream, void *buf, size_t n);
/* Whether a read of either stream may return something (output pending, a
 * closed pipe, or an error to report): one poll instead of a read of each. */
bool dbg_session_output_pending(struct dbg_session *s);

/* ---- execve ------------------------------------------------------------- */

/*
 * When the process calls execve, the old program's memory is gone, and
 * with it the int3 bytes and the saved bytes under them: nothing is
 * written back. The session then loads the new program (/proc/PID/exe:
 * ELF, DWARF, stages, symbols, the PIE bias from AT_ENTRY; the old program
 * stays what dbg_session_start runs), keeps only the thread that called
 * execve (the kernel ended the others), takes the new initial stack as the
 * entry stack, resets the reached stages, drops the timeline's record (a
 * record holds one program; it restarts at the next step), makes every
 * breakpoint pending and calls the image hook with exec true: the front
 * end resolves each breakpoint's spec again in the new program
 * (dbg_session_rebind) and reports the exec. Breakpoints still pending
 * afterwards are not inserted. The resuming call goes on: continue runs on
 * into the new program (a breakpoint at its first instruction stops it
 * there), and a step that ran the execve ends at that first instruction.
 * dbg_session_start() after an exec loads the first program again and
 * calls the hook with exec false, to resolve the breakpoints there.
 * Without a hook, breakpoints stay pending after an image change.
 */
typedef void dbg_image_fn(struct dbg_session *s, bool exec, void *arg);
void dbg_session_set_image_hook(struct dbg_session *s, dbg_image_fn *fn, void *arg);

/* Counts program images loaded (1 after open, +1 per exec or reload):
 * caches of symbols or DWARF types compare it to know they are stale. */
unsigned dbg_session_image_gen(const struct dbg_session *s);

/*
 * Receives what the target writes while it runs: during a cont, finish,
 * until, a step over a write or a step while other threads run, the pipes
 * are read as they fill and fn gets each piece (buf valid during the call
 * only), so a target that writes more than a pipe holds never blocks.
 * Output pending at a stop is still read with dbg_session_read_output().
 * fn NULL (the default): nothing is read while the target runs, and a
 * target that fills a pipe (1 MiB) waits until it is read.
 */
typedef void dbg_output_fn(void *arg, enum dbg_stream stream, const void *buf, size_t n);
void dbg_session_set_output_fn(struct dbg_session *s, dbg_output_fn *fn, void *arg);

/* ---- timeline (timeline.h) ---------------------------------------------- */

/*
 * Attach a timeline (the session takes it over; NULL detaches and frees
 * the old one). With one attached, single steps are recorded, and while it
 * shows history — or replays a loaded recording without a process — the
 * accessors above (running, regs, read, readv, threads, steps, stages,
 * last stop) answer for the step shown, resuming calls replay the record
 * forward up to the live step, and set_reg, write and select_thread fail
 * with -EROFS. dbg_session_start() on a loaded recording goes back to its
 * first step.
 */
struct dbg_timeline;
void dbg_session_set_timeline(struct dbg_session *s, struct dbg_timeline *tl);
struct dbg_timeline *dbg_session_timeline(const struct dbg_session *s);

/*
 * The timeline's navigation and saving on this session (timeline.h:
 * dbg_tl_goto, dbg_tl_reverse_step, dbg_tl_reverse_cont, dbg_tl_save):
 * -ENODATA "no recorded history: recording is off (record on)" without a
 * timeline.
 */
int dbg_session_goto(struct dbg_session *s, uint64_t step, struct dbg_stop *stop,
		     struct dbg_err *err);
int dbg_session_reverse_step(struct dbg_session *s, uint64_t n, bool over, struct dbg_stop *stop,
			     struct dbg_err *err);
int dbg_session_reverse_cont(struct dbg_session *s, struct dbg_stop *stop, struct dbg_err *err);
int dbg_session_record_save(struct dbg_session *s, const char *path, struct dbg_err *err);

/* The recorded steps that changed a byte of [addr, addr + len)
 * (timeline.h: dbg_tl_writes); dbg_tl_wlist_release frees *out. */
struct dbg_tl_wlist;
int dbg_session_writes(struct dbg_session *s, uint64_t addr, size_t len, struct dbg_tl_wlist *out,
		       struct dbg_err *err);

/* The enabled breakpoint a thread arriving at addr stops at, or NULL
 * (bps.h's dbg_bps_at). */
const struct dbg_bp *dbg_session_bp_at(const struct dbg_session *s, uint64_t addr);

/* The current thread sits on an enabled breakpoint before running (a
 * breakpoint on the first instruction, hit as `run` starts): count the
 * hit, delete it if temporary, fill *stop as a breakpoint stop and return
 * true; false when there is none. */
bool dbg_session_hit_here(struct dbg_session *s, struct dbg_stop *stop);

/* Any placed breakpoint at addr, enabled or disabled (what a code view
 * marks and a toggle deletes), or NULL (bps.h's dbg_bps_placed). */
const struct dbg_bp *dbg_session_bp_placed(const struct dbg_session *s, uint64_t addr);

/* The memory mappings (proc.h's dbg_proc_maps of the process, or the
 * recorded ones while replaying without a process); *maps is malloc'd. */
int dbg_session_maps(struct dbg_session *s, struct dbg_map **maps, size_t *n, struct dbg_err *err);

#endif
