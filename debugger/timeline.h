/*
 * timeline — the record of a run, one entry per executed instruction, and
 * the state at any recorded step: reverse stepping, goto, saved recordings
 * that replay without a process, and an observer told about every
 * recorded step (the front end's --trace writes it as JSON Lines).
 *
 * A timeline is attached to a session (dbg_session_set_timeline, which
 * takes ownership). It sees the program only through the session's target
 * (target.h: the image, the live process, breakpoints, stages reached) and
 * never calls the session. From then on:
 *
 *  - every single step of the live process is recorded (stepi, nexti's
 *    steps, the step over a breakpoint): the registers that changed and,
 *    for every byte the instruction wrote, old XOR new. The writes are found
 *    before the step by decoding the instruction (its written memory
 *    operands; push/call through rsp; stos/movs through rdi) and by a table
 *    of the system calls that fill user buffers (read, clock_gettime,
 *    sched_getaffinity, rt_sigaction's old action …). When the full mode is
 *    on (dbg_tl_set_full, the `record` command, --record, --trace),
 *    continue, finish, until and nexti single-step too, so every
 *    instruction is recorded. Otherwise they run freely and the record
 *    restarts at the step where they stop.
 *
 *  - the state at step `first` (the oldest kept) is kept as a base image:
 *    the registers, every page of the writable mappings at the start, and
 *    the old contents of each later page the first time a write touches it.
 *    The state at any step in [first, last] is the base image with the
 *    XOR deltas of the records up to that step applied; a live process is
 *    the state at `last`, so going back from it undoes records.
 *
 *  - while the view is at an earlier step ("history"), or when there is no
 *    process (a loaded recording, or a recording of a program that ended
 *    after going back into it), the session's accessors answer from the
 *    reconstruction: dbg_session_regs/read/readv/threads/steps/
 *    current_stage/last_stop, so every view shows that step. Stepping
 *    forward from history replays the record (breakpoints stop it) up to
 *    the live point, then steps the real process. Writing registers or
 *    memory is refused in history.
 *
 * The records live in a ring bounded by a byte limit (default
 * DBG_TL_DEFAULT_LIMIT); when it is full the oldest records are folded into
 * the base image and `first` moves up. Record sizes and the file format:
 * docs/timeline.md.
 *
 * Not recorded: what other threads write while the stepped thread waits in
 * a blocking system call is found by comparing every known page around
 * that system call (pages that only such threads touch are not known);
 * signal frames written by the kernel on delivery; system calls outside
 * the table that write user memory.
 *
 * Commands (cmd.h): reverse-stepi|rsi [N], reverse-nexti|rni [N],
 * reverse-continue|rc, goto STEP, record [on|off|save FILE], info record.
 * Options (ui): --record FILE, --replay FILE, --trace FILE.
 */
#ifndef DBG_TIMELINE_H
#define DBG_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "proc.h"
#include "ptrace.h"
#include "target.h"

struct dbg_timeline; /* opaque */

#define DBG_TL_DEFAULT_LIMIT ((size_t)64 << 20) /* bytes of step records */
#define DBG_TL_FORMAT_VERSION 3                 /* reads 1 to 3 */

/* ---- lifecycle ---------------------------------------------------------- */

/* A new timeline: recording on, full mode off, the default limit. */
int dbg_tl_new(struct dbg_timeline **out, struct dbg_err *err);

/* Free everything. NULL is a no-op. */
void dbg_tl_free(struct dbg_timeline *tl);

/* Keep at most bytes of step records (at least 64 KiB). */
void dbg_tl_set_limit(struct dbg_timeline *tl, size_t bytes);

/* Full mode: continue and friends single-step so every instruction is
 * recorded. Turning it on also turns recording on. */
void dbg_tl_set_full(struct dbg_timeline *tl, bool on);

/* Recording on/off. Off drops the record; stepping records nothing. */
void dbg_tl_set_enabled(struct dbg_timeline *tl, bool on);

/* Whether a step of the live process is recorded: on, and not a record
 * loaded from a file. */
bool dbg_tl_records(const struct dbg_timeline *tl);

/* ---- the observer ------------------------------------------------------ */

/* A register a step changed (dbg_regs_table's name), before and after. */
struct dbg_tl_reg {
	const char *name;
	uint64_t old, new;
};

/* A memory write of a step: size bytes at addr, before and after (memory
 * order). For a system call's buffer only the bytes from the first to the
 * last that changed; a buffer where none changed is not listed. */
struct dbg_tl_write {
	uint64_t addr;
	size_t size;
	const uint8_t *old, *new;
};

/* A recorded step as the observer is told it. The pointers are valid
 * during the call only. */
struct dbg_tl_step {
	uint64_t step;                 /* the step count after the instruction ran */
	uint64_t pc;                   /* the instruction's address */
	const char *symbol;            /* pc as symbol+offset, or NULL */
	int stage;                     /* the boot stage in effect after it, or -1 */
	const char *stage_name;        /* its name, or NULL */
	const char *insn;              /* mnemonic and operands, or NULL (not decoded) */
	const struct dbg_tl_reg *regs; /* the registers that changed since
					    the step before, in dbg_regs_table
					    order */
	size_t nregs;
	const struct dbg_tl_write *mem; /* what the instruction wrote */
	size_t nmem;
};

/* 0, or a negative errno with err filled ("cannot write the trace
 * t.jsonl: no space left on device"). */
typedef int dbg_tl_observer(void *arg, const struct dbg_tl_step *step, struct dbg_err *err);

/*
 * Call fn(arg, step, err) after every single step of the live process the
 * timeline records (not for free runs, nor for steps replayed from the
 * record); the --trace file is such an observer (ui/trace.h). Setting one
 * turns full mode on, so every instruction is a step. fn NULL: none. Either
 * forgets a failure not yet returned by dbg_tl_observer_status.
 *
 * The first negative return ends the observing: fn is not called again,
 * and dbg_tl_observer_status returns that error once, with fn's message;
 * the session fails the step that met it.
 */
void dbg_tl_set_observer(struct dbg_timeline *tl, dbg_tl_observer *fn, void *arg);

/* The observer's failure, once: its negative errno with err filled; 0 when
 * nothing failed or it was returned already (or tl is NULL). */
int dbg_tl_observer_status(struct dbg_timeline *tl, struct dbg_err *err);

/* ---- files -------------------------------------------------------------- */

/*
 * Save the record (base image, steps, the executable itself) to path.
 * 0, or -ENODATA "nothing recorded" when no process was started, or the
 * errno of a failed write. The file is written under a new temporary name
 * next to path (PATH.XXXXXX.tmp, created exclusively), synced, and renamed
 * over path, so two sessions saving to one path leave one whole recording;
 * on failure the temporary file is removed. SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT and SIGPIPE are held back while it exists. A device or pipe path
 * is written in place.
 */
int dbg_tl_save(struct dbg_timeline *tl, struct dbg_target *t, const char *path,
		struct dbg_err *err);

/*
 * Whether dbg_tl_save could write path, before any work is done (--record
 * checks it at the start): a temporary file can be created next to it and
 * path is not a directory. 0 or negative errno, "cannot save the recording
 * x.bstl: permission denied".
 */
int dbg_tl_save_check(const char *path, struct dbg_err *err);

/*
 * Load a recording and check it (magic, version, sizes, checksum, every
 * section and step record). The executable to open with dbg_session_open is
 * written to prog (size n): the recorded path when that file still has the
 * recorded contents, else a private copy ("/proc/self/fd/N") kept open by
 * the timeline. Errors name the file and what is wrong: "cannot load
 * recording x.bstl: checksum mismatch (the file is damaged)".
 */
int dbg_tl_load(struct dbg_timeline **out, const char *path, char *prog, size_t n,
		struct dbg_err *err);

/* ---- state -------------------------------------------------------------- */

struct dbg_tl_info {
	bool enabled, full;
	bool replay;          /* no process: a loaded recording, or the program
			       ended and the view went back into it */
	bool history;         /* views answer from the record */
	uint64_t first, last; /* recorded steps [first, last] */
	uint64_t view;        /* the step shown */
	size_t record_bytes;  /* encoded step records held */
	size_t pages;         /* pages in the base image */
	size_t page_bytes;    /* their memory (zero pages take none) */
	size_t limit;
	uint64_t dropped;               /* records folded into the base image */
	uint64_t writes;                /* memory writes held */
	uint64_t jumps;                 /* free runs among the recorded steps */
	bool soft_dirty;                /* the last jump found its pages by soft-dirty
			       bits (else every writable page was compared) */
	bool write_tracking;            /* the last jump found its pages by the kernel's
				write tracking (wtrack.h) */
	uint64_t write_tracking_missed; /* with BOOTSCOPE_CHECK_WRITE_TRACKING
					   set: pages a tracked jump changed
					   that the tracking did not name
					   (0 when it is exact) */
	uint64_t old_bytes_missed;      /* with BOOTSCOPE_CHECK_OLD_BYTES set:
					   writes of recorded steps whose bytes
					   before the step the record held
					   wrong (0 when it is exact) */
};
void dbg_tl_info(const struct dbg_timeline *tl, struct dbg_tl_info *out);

/* Whether the session's accessors answer from the record now. */
bool dbg_tl_active(const struct dbg_timeline *tl);

/* Whether continue must single-step (full mode, or replaying history). */
bool dbg_tl_single_steps(const struct dbg_timeline *tl);

/* While it records the live process: the first two bytes of the
 * instruction at pc when the step recorded last ended there (the record
 * decoded it for the next step; the program's own bytes, breakpoints
 * hidden). True with *w set, little-endian. */
bool dbg_tl_insn_start(const struct dbg_timeline *tl, uint64_t pc, uint16_t *w);

/* The step shown. */
uint64_t dbg_tl_view(const struct dbg_timeline *tl);

/* ---- navigation (the reverse commands) ---------------------------------- */

/*
 * Go back n steps (stops early at an enabled breakpoint after at least one
 * step, reason BREAKPOINT, or at the oldest recorded step, reason
 * NO_HISTORY); reason STEP otherwise. over: reverse-nexti (a call run by
 * the step before is stepped back over as a whole). Fills stop. 0 or
 * -ENODATA "no recorded history: ...".
 */
int dbg_tl_reverse_step(struct dbg_timeline *tl, struct dbg_target *t, uint64_t n, bool over,
			struct dbg_stop *stop, struct dbg_err *err);

/* Go back to the previous step at an enabled breakpoint (BREAKPOINT) or at
 * a stage's address (STEP, stop->stage set), or to the oldest step
 * (NO_HISTORY). */
int dbg_tl_reverse_cont(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_stop *stop,
			struct dbg_err *err);

/* Show step `step`, in [first, last]: 0, or -ERANGE "step 9 is not
 * recorded (the record holds steps 10..57)". The live step leaves history. */
int dbg_tl_goto(struct dbg_timeline *tl, struct dbg_target *t, uint64_t step, struct dbg_stop *stop,
		struct dbg_err *err);

/* Back to the first recorded step (reason ENTRY): a loaded recording's
 * "start". */
int dbg_tl_rewind(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_stop *stop,
		  struct dbg_err *err);

/* ---- dataflow: which steps changed a range ------------------------------- */

/*
 * The record keeps the old XOR new bytes of every memory write per step;
 * an index of them by page (built on the first query, brought up to date
 * by each later one) lets a query read only the records of the steps that
 * wrote the range's pages. Only changes are recorded: a store of the value
 * already there is not a write of the record.
 */
#define DBG_TL_WRITES_MAX 4096 /* bytes of one range */

/* One step that changed bytes of the range. */
struct dbg_tl_wr {
	uint64_t step; /* the step (the state after the write) */
	uint64_t pc;   /* the instruction; a free run: where it started; 0:
			  not known (a thread not stepped before) */
	pid_t tid;     /* the thread stepped (a free run: the one that stopped) */
	int stage;     /* the boot stage the instruction ran in, or -1 */
	bool jump;     /* a free run: everything it wrote is one step */
	size_t off;    /* the range before the step at bytes + off, after it
			  at bytes + off + len */
};

struct dbg_tl_wlist {
	struct dbg_tl_wr *v;
	size_t n;
	uint8_t *bytes;
	size_t len;
	uint64_t looked; /* records read: the steps that wrote its pages */
};

/*
 * Every recorded step in (first, last] that changed a byte of
 * [addr, addr + len), oldest first, with the range's bytes before and
 * after it (computed from the state shown and the records' XOR deltas).
 * 0; -ENODATA "no recorded history: ..."; -EINVAL for len 0 or over
 * DBG_TL_WRITES_MAX; the error of reading the range at the step shown.
 * dbg_tl_wlist_release frees *out.
 */
int dbg_tl_writes(struct dbg_timeline *tl, struct dbg_target *t, uint64_t addr, size_t len,
		  struct dbg_tl_wlist *out, struct dbg_err *err);
void dbg_tl_wlist_release(struct dbg_tl_wlist *l);

/* Whether step (in (first, last]) changed a byte of [addr, addr + len);
 * x (len bytes, may be NULL) receives old XOR new of the range. */
bool dbg_tl_step_wrote(struct dbg_timeline *tl, uint64_t step, uint64_t addr, size_t len,
		       uint8_t *x);

/* The newest step in (first, upto] that changed a byte of
 * [addr, addr + len): 0 with *step set, or -ENOENT. */
int dbg_tl_last_write(struct dbg_timeline *tl, uint64_t addr, size_t len, uint64_t upto,
		      uint64_t *step);

/* One range a step wrote, as the record keeps it. */
struct dbg_tl_range {
	uint64_t addr;
	uint64_t len;
};

/* The step whose ranges dbg_tl_step_ranges gave. */
struct dbg_tl_stepw {
	uint64_t pc; /* the instruction (a free run: where it started); 0:
			not known */
	pid_t tid;
	int stage; /* the boot stage it ran in, or -1 */
	bool jump; /* a free run */
	size_t n;  /* ranges recorded (more than max: v holds the first max) */
};

/*
 * The memory writes of step (in (first, last]): up to max ranges into v,
 * in the record's order, and the step's pc, thread and stage into *info.
 * The bytes before and after each: dbg_tl_writes on the range. 0;
 * -ENOENT when the step wrote no memory (*info zeroed, stage -1);
 * -ENODATA "no recorded history: ..."; -ERANGE "step 9 is not recorded
 * (the record holds steps 10..57)".
 */
int dbg_tl_step_ranges(struct dbg_timeline *tl, uint64_t step, struct dbg_tl_range *v, size_t max,
		       struct dbg_tl_stepw *info, struct dbg_err *err);

/*
 * The newest step before `step` (a step that wrote memory, in (first,
 * last]) whose record changed general register `reg` (its index in struct
 * dbg_regs seen as 64-bit words: 0 rax … 7 rsp, 8 r8 … 15 r15), looking at
 * most max records back: 0 with *out set (a free run that changed it is
 * such a step); -ENOENT when none is found, or a step of another thread
 * comes first (the registers then are that thread's).
 */
int dbg_tl_reg_last_set(struct dbg_timeline *tl, uint64_t step, unsigned reg, size_t max,
			uint64_t *out);

/* The step that last changed a register, and its instruction. */
struct dbg_tl_regset {
	uint64_t step; /* the step (the state after it has `after`) */
	uint64_t pc;   /* its instruction (a free run: where it started) */
	uint64_t before, after;
	bool jump;         /* a free run */
	bool other_thread; /* -ESRCH: step is where the thread stepped
				changed (the registers before it are another
				thread's) */
};

/*
 * The newest step in (first, upto] (upto at most the step shown) whose
 * record changed register `reg` of the thread shown (its index in struct
 * dbg_regs seen as 64-bit words: 0 rax … 15 r15, 17 eflags … 24 fs_base;
 * not rip, 16, which every step changes), read back from the step shown,
 * at most max records: 0 with *out set; -ESRCH when a step of another
 * thread comes first (out->step: the step where the thread changed);
 * -ENOENT when none is found; -EINVAL for rip or without a record.
 * Unlike dbg_tl_reg_last_set, any step shown serves, not only one that
 * wrote memory.
 */
int dbg_tl_reg_last_change(struct dbg_timeline *tl, uint64_t upto, unsigned reg, size_t max,
			   struct dbg_tl_regset *out);

/*
 * What the newest step of the live process may have written, for a front
 * end that keeps a decode of memory from the step before: a value that
 * changes whenever the record is cleared or restarts (memory changed
 * outside it), and for step (the live step, recorded as one instruction
 * that ran alone, epoch unchanged since the step before) fn(arg, addr,
 * len) for every range the instruction could write, then true. False when
 * the record cannot tell: recording off, history, a system call, other
 * threads ran, a free run, a restart, step not the newest.
 */
uint64_t dbg_tl_epoch(const struct dbg_timeline *tl);
bool dbg_tl_step_writes(const struct dbg_timeline *tl, uint64_t step, uint64_t epoch,
			void (*fn)(void *arg, uint64_t addr, size_t len), void *arg);

/* ---- session hooks (session.c calls these; nobody else should) ---------- */

/* The timeline was attached to s (dbg_session_set_timeline). */
void dbg_tl_on_attach(struct dbg_timeline *tl, struct dbg_target *t);

/* The process was (re)started at its entry. */
void dbg_tl_on_start(struct dbg_timeline *tl, struct dbg_target *t);

/* The process state changed outside the record (free continue, a write to
 * registers or memory): the record restarts at the next step. */
void dbg_tl_on_gap(struct dbg_timeline *tl);

/* The process replaced its program (execve), or a start goes back to the
 * first program: the record is dropped (it holds one program; it restarts
 * at the next step), and the instructions decoded so far are forgotten. */
void dbg_tl_on_exec(struct dbg_timeline *tl);

/* The process is gone: the record stays, based on its base image. */
void dbg_tl_on_exit(struct dbg_timeline *tl);

/* Around one single step of the live process (tid, its registers).
 * before: true when the step is being recorded (then after, or
 * dbg_tl_abandon_step, must follow). after: trapped says the step
 * completed (a SIGTRAP); r are the new registers; 0, or the error of an
 * observer that failed on this step (dbg_tl_observer_status). */
bool dbg_tl_before_step(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r,
			pid_t tid);
int dbg_tl_after_step(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r,
		      pid_t tid, bool trapped, struct dbg_err *err);

/*
 * Around a free run (continue, finish, until, nexti over a call without
 * full mode): before it, the state is kept (the record starts if it has
 * not) and the kernel's soft-dirty bits are cleared; the stages the run
 * passes are told with dbg_tl_run_stage; after it, the run becomes one
 * step of the record, a "jump": the registers of the thread that stopped
 * and, for every page the run wrote (every writable page where the kernel
 * keeps no soft-dirty bits), its bytes before XOR after. Stepping back
 * across it shows the state before the run. r NULL: the process is gone.
 */
void dbg_tl_before_run(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r,
		       pid_t tid);
void dbg_tl_run_stage(struct dbg_timeline *tl, int stage);

/* r NULL: the run starts now, with the threads already running (a step
 * given up, dbg_ptrace_step's -EINPROGRESS): every writable page is
 * compared after it. dbg_tl_abandon_step drops the step before_step began. */
void dbg_tl_abandon_step(struct dbg_timeline *tl);
void dbg_tl_after_run(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r,
		      pid_t tid);

/* Whether step is a free run; the steps that are, ascending. */
bool dbg_tl_is_jump(const struct dbg_timeline *tl, uint64_t step);
size_t dbg_tl_jumps(const struct dbg_timeline *tl, const uint64_t **steps);

/* One step forward in history: 0, or -ENODATA at the last recorded step
 * when there is no process to go on with. */
int dbg_tl_replay_step(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_err *err);

/* Accessors while active. */
const struct dbg_regs *dbg_tl_regs(const struct dbg_timeline *tl);
pid_t dbg_tl_tid(const struct dbg_timeline *tl);
int dbg_tl_read(struct dbg_timeline *tl, struct dbg_target *t, uint64_t addr, void *buf, size_t n,
		struct dbg_err *err);
const struct dbg_stop *dbg_tl_last_stop(const struct dbg_timeline *tl);
int dbg_tl_current_stage(const struct dbg_timeline *tl);
bool dbg_tl_stage_reached(const struct dbg_timeline *tl, size_t i, uint64_t *steps);

/* Whether stage i, reached at the step shown, was counted exactly (no
 * free run before it), and its place in the order of arrival (1 = first;
 * 0 when not reached at the step shown). */
bool dbg_tl_stage_exact(const struct dbg_timeline *tl, size_t i);
unsigned dbg_tl_stage_rank(const struct dbg_timeline *tl, size_t i);

/* The step at which the record first reached stage i, wherever the view
 * is (the TUI's timeline bar marks them); false when it never did. */
bool dbg_tl_stage_first(const struct dbg_timeline *tl, size_t i, uint64_t *steps);

/* The threads at the step shown: the stepped one there, the others where
 * they were last seen stopped (ptrace lets them run only while the stepped
 * thread is in a system call). Up to max into out; returns the count. */
int dbg_tl_threads(struct dbg_timeline *tl, struct dbg_target *t, struct dbg_thread_info *out,
		   size_t max);

/* A loaded recording: its load bias and rsp at the entry. */
uint64_t dbg_tl_bias(const struct dbg_timeline *tl);
/* The pc of the oldest recorded step (its number in *step); 0 when
 * nothing is recorded. */
uint64_t dbg_tl_first_pc(const struct dbg_timeline *tl, uint64_t *step);
uint64_t dbg_tl_entry_sp(const struct dbg_timeline *tl);
bool dbg_tl_from_file(const struct dbg_timeline *tl);

/* The mappings recorded at the start plus anonymous ones mapped later
 * (malloc'd copy into *maps). 0 or -ENODATA. */
int dbg_tl_maps(const struct dbg_timeline *tl, struct dbg_map **maps, size_t *n,
		struct dbg_err *err);

#endif
