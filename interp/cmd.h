/*
 * cmd — the command interpreter shared by the batch front end and the TUI.
 *
 * One line is one command, with gdb's names and short forms:
 *
 *   break|b LOC, tbreak LOC      LOC: a stage (full or short name, or a
 *                                thread-event stage: clone, sysmon,
 *                                entersyscall, exitsyscall, steal), a
 *                                symbol, FILE:LINE, *ADDR or *EXPR; an
 *                                address inside
 *                                an instruction of its function is refused
 *                                unless written -force LOC (also until)
 *   delete|d [N...]              all breakpoints when no N
 *   enable [N...], disable [N...] breakpoints and catchpoints (all when
 *                                no N)
 *   catch syscall [NAME|NUMBER|group:NAME|g:NAME ...], tcatch syscall ...
 *                                stop at the entry and the return of those
 *                                system calls (every call when none is
 *                                named), as gdb; tcatch: deleted when hit
 *   info syscalls [-c]           every system call and signal of this run,
 *                                decoded as strace does, with its thread,
 *                                M, g, stage and runtime caller; then the
 *                                count of each name (-c: the counts only)
 *   run|r, starti, kill          (re)start: to the first breakpoint / at the
 *                                entry point; kill the process
 *   continue|c [N]               N: stop at the Nth breakpoint hit
 *   stepi|si [N], nexti|ni [N], finish, until|advance LOC
 *   step|s [N], next|n [N]       by source line, as gdb (next: over calls)
 *   list|l [LOC|N|-]             source lines: around LOC, line N, after
 *                                the last listing, or before it (-)
 *   info line [LOC]              the addresses of a source line
 *   set substitute-path FROM TO, unset substitute-path [FROM],
 *   show substitute-path         where source files are looked for
 *   info breakpoints|registers [REG...]|tls|g [ADDR|GOID]|gmp|stack [N]|
 *        auxv|stages|sections|threads|frame|proc [mappings]|symbol ADDR|
 *        syscalls [-c]
 *                                (info may be written i)
 *   xinfo ADDR                   what an address is: symbol, section,
 *                                mapping, goroutine or g0/gsignal stack,
 *                                heap arena, global and field
 *   x/NFU ADDR                   F: x d u c s i a, U: b h w g (as gdb)
 *   print|p[/F] EXPR, expect EXPR, echo TEXT, help [CMD], quit|q
 *   ptype EXPR|TYPE, whatis EXPR|TYPE   a type as gdb writes it
 *   backtrace|bt|where [N|-N]    the call stack (unwind.h), on into the
 *                                goroutine behind a system stack
 *   frame|f [N], up [N], down [N] select a frame: $pc $sp $rbp read it
 *   info frame                   the selected frame, as gdb shows it
 *   goroutine N bt [COUNT]       goroutine N's stack (runtime-gdb.py)
 *   watch|rwatch|awatch [-l|-location] EXPR
 *                                stop when EXPR's location (1, 2, 4 or 8
 *                                bytes) is written with a new value, read,
 *                                or either (session.h); delete N removes it
 *   disassemble [/r] [LOC|START,END|START,+LEN]
 *                                the function holding pc (or LOC), or a
 *                                range; /r: the bytes too
 *   display[/F] [EXPR], undisplay [N...], info display
 *                                expressions shown after every stop
 *                                (print's, or x's for /i /s)
 *   thread [TID]                 show the current thread, or make thread
 *                                TID current (an expression: thread $rax
 *                                after clone returns); stepi then steps it
 *   set scheduler-locking step|on|off
 *                                which threads run while the current one
 *                                steps (step) or also continues (on) alone;
 *                                off: all run (ptrace.h); no event
 *   set breakpoint pending on|off
 *                                on: a break LOC that does not resolve
 *                                is kept pending, for a program the
 *                                target execs later; no event
 *   reverse-stepi|rsi [N], reverse-nexti|rni [N], reverse-continue|rc,
 *   goto STEP, record [on|off|save FILE], info record
 *                                the timeline (debugger/timeline.h,
 *                                docs/timeline.md); with a watchpoint,
 *                                reverse-continue stops at the step that
 *                                last wrote it, continue in history at
 *                                the next
 *   info writes EXPR|*ADDR@LEN   every recorded step that changed a byte
 *                                of EXPR's location: step, thread, pc,
 *                                stage, old and new value as print shows
 *                                them (the record's index by page)
 *   info reads EXPR              refused: the record keeps no reads
 *
 * Unique prefixes of command names are accepted ("cont", "del", "info reg").
 * A '#' starts a comment line. EXPR is expr.h's language.
 *
 * The interpreter never prints: each command emits events (event.h) through
 * ctx->emit, in order; docs/json.md lists them. A command that fails emits
 * one "error" event (with "file" and "line" when given) and returns a
 * negative errno.
 *
 * Process semantics follow gdb: run restarts the program and continues to
 * the first breakpoint or the end; a command that needs a process when none
 * was ever started starts one, stopped at the entry point, first; after the
 * program ended such commands fail with "the program is not being run".
 * Reading a register or memory is such a command (x, and print/expect of
 * an expression that reads); arithmetic on numbers and symbol addresses
 * needs no process.
 *
 *   struct dbg_cmd_ctx ctx;
 *   dbg_cmd_ctx_init(&ctx, session, argv, NULL, emit, arg);
 *   dbg_cmd_exec(&ctx, "break schedinit", "script.gdb", 3);
 *   ...
 *   dbg_cmd_ctx_release(&ctx);
 */
#ifndef DBG_CMD_H
#define DBG_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "event.h"
#include "expr.h"
#include "rt.h"
#include "session.h"
#include "unwind.h"

/* ---- parsing (no session needed) ---------------------------------------- */

enum dbg_cmd_id {
	DBG_CMD_NONE, /* an empty or comment line */
	DBG_CMD_BREAK,
	DBG_CMD_TBREAK,
	DBG_CMD_DELETE,
	DBG_CMD_RUN,
	DBG_CMD_STARTI,
	DBG_CMD_KILL,
	DBG_CMD_CONTINUE,
	DBG_CMD_STEPI,
	DBG_CMD_NEXTI,
	DBG_CMD_FINISH,
	DBG_CMD_UNTIL,
	DBG_CMD_ADVANCE,
	DBG_CMD_INFO,
	DBG_CMD_X,
	DBG_CMD_PRINT,
	DBG_CMD_EXPECT,
	DBG_CMD_ECHO,
	DBG_CMD_HELP,
	DBG_CMD_QUIT,
	DBG_CMD_THREAD,
	DBG_CMD_SET,
	DBG_CMD_REVERSE_STEPI,
	DBG_CMD_REVERSE_NEXTI,
	DBG_CMD_REVERSE_CONTINUE,
	DBG_CMD_GOTO,
	DBG_CMD_RECORD,
	DBG_CMD_STAGE,
	DBG_CMD_STEP,
	DBG_CMD_NEXT,
	DBG_CMD_LIST,
	DBG_CMD_UNSET,
	DBG_CMD_SHOW,
	DBG_CMD_BACKTRACE,
	DBG_CMD_FRAME,
	DBG_CMD_UP,
	DBG_CMD_DOWN,
	DBG_CMD_GOROUTINE,
	DBG_CMD_XINFO,
	DBG_CMD_WATCH,
	DBG_CMD_RWATCH,
	DBG_CMD_AWATCH,
	DBG_CMD_DISASSEMBLE,
	DBG_CMD_DISPLAY,
	DBG_CMD_UNDISPLAY,
	DBG_CMD_PTYPE,
	DBG_CMD_WHATIS,
	DBG_CMD_CATCH,
	DBG_CMD_TCATCH,
	DBG_CMD_ENABLE,
	DBG_CMD_DISABLE,
};

enum dbg_info_id {
	DBG_INFO_NONE,
	DBG_INFO_BREAKPOINTS,
	DBG_INFO_REGISTERS,
	DBG_INFO_TLS,
	DBG_INFO_G,
	DBG_INFO_GMP,
	DBG_INFO_STACK,
	DBG_INFO_AUXV,
	DBG_INFO_STAGES,
	DBG_INFO_SECTIONS,
	DBG_INFO_THREADS,
	DBG_INFO_RECORD,
	DBG_INFO_TARGET,
	DBG_INFO_LINE,
	DBG_INFO_FRAME,
	DBG_INFO_PROC,
	DBG_INFO_SYMBOL,
	DBG_INFO_DISPLAY,
	DBG_INFO_SYSCALLS,
	DBG_INFO_WRITES,
	DBG_INFO_READS,
	DBG_INFO_CHANGES,
	DBG_INFO_COUNT /* one past the last */
};

#define DBG_CMD_MAX 4096 /* longest command line accepted */

struct dbg_cmd_def; /* an entry of the command tables (private) */

struct dbg_cmd {
	enum dbg_cmd_id id;
	enum dbg_info_id info;         /* DBG_CMD_INFO: which view */
	const struct dbg_cmd_def *def; /* the command's entry, which runs
					  it; NULL for DBG_CMD_NONE */
	const struct dbg_cmd_def *sub; /* DBG_CMD_INFO: the view's entry */
	const char *name;              /* canonical name: "stepi", "info registers" */
	uint64_t count;                /* stepi/nexti/continue/x/info stack N; 1 (16
				  for info stack) when absent */
	bool has_count;                /* N was written */
	char fmt;                      /* x/print format letter, 0 when absent */
	char unit;                     /* x unit letter b h w g, 0 when absent */
	char args[DBG_CMD_MAX];        /* the rest of the line, trimmed; for echo
				   with escapes (\n \t \\ \") decoded */
};

/*
 * Parse one line. 0 (cmd->id may be DBG_CMD_NONE), or -EINVAL with a
 * message: "undefined command 'foo'; try help", "ambiguous command 's':
 * ...", "invalid count 'abc'", "bad format 'q' in x/q" ...
 */
int dbg_cmd_parse(const char *line, struct dbg_cmd *cmd, struct dbg_err *err);

/* The name of the ith `info` view ("breakpoints", "registers" …) in the
 * order help lists them, or NULL past the last. */
const char *dbg_cmd_info_name(size_t i);

/* ---- completion (the TUI's Tab) ------------------------------------------ */

/* A candidate: n bytes at s (not NUL-terminated: a symbol's name without
 * its ".abi0"). */
struct dbg_cand {
	const char *s;
	size_t n;
};

struct dbg_cmd_ctx;

struct dbg_completion {
	size_t start;       /* the completed word's offset in the line */
	struct dbg_cand *v; /* sorted, each once (malloc'd) */
	size_t n, cap;
	/* dbg_cmd_complete_words: what else the word may be */
	bool stages;  /* a stage name (full or short) */
	bool symbols; /* an ELF symbol */
	bool funcs;   /* only function symbols (a location) */
};

/*
 * The candidates for the word that ends at the end of line (the text
 * before the cursor) that the command tables give: a command's name (the
 * first word, or help's argument), an `info` view, a keyword (record
 * on|off|save, stage next, set's settings, info proc mappings); and in
 * c->stages/symbols/funcs whether the word is also a location (break,
 * tbreak, until, advance, list, disassemble, info line: stages and
 * function symbols), a stage (stage) or an expression (print, x, display,
 * watch ...: symbols and stages, or after a '$' the registers and $g,
 * $steps, $stage, $pc, $sp). Candidates point into the tables. 0, or -ENOMEM.
 * Start from a zeroed c; dbg_completion_release frees it.
 */
int dbg_cmd_complete_words(const char *line, struct dbg_completion *c);

/* dbg_cmd_complete_words, then the stage names and ELF symbols of ctx's
 * session that the word may be (pointing into the session: valid until
 * the next command), or the names after a '$'. 0, or -ENOMEM. */
int dbg_cmd_complete(struct dbg_cmd_ctx *ctx, const char *line, struct dbg_completion *c);

/* Add the candidate s[0..n) if it begins with the word being completed
 * (line + c->start, wlen bytes); 0 or -ENOMEM. */
int dbg_completion_add(struct dbg_completion *c, const char *word, size_t wlen, const char *s,
		       size_t n);

void dbg_completion_release(struct dbg_completion *c);

/* ---- execution ---------------------------------------------------------- */

typedef void dbg_emit_fn(void *arg, const struct dbg_val *event);

struct dbg_cmd_ctx {
	struct dbg_session *s; /* open session (not owned) */
	char *const *argv;     /* launch argv; argv[0] the program path */
	char *const *envp;     /* launch environment; NULL: ours */
	struct dbg_start_opts start_opts;
	dbg_emit_fn *emit; /* receives every event; the tree is
					valid only during the call */
	void *emit_arg;
	bool drain_output; /* emit "output" events with what the
					target wrote (default true), also
					while it runs (ctx_init sets the
					session's output fn); a front end that
					reads the output itself sets false and
					replaces that fn */
	bool bp_pending;   /* set breakpoint pending on: a break
					LOC that does not resolve makes a
					pending breakpoint (resolved again
					when the program execs) */

	/* Results front ends read. */
	bool quit;                /* a quit command ran */
	unsigned expect_failures; /* false expects so far */
	unsigned errors;          /* failed commands so far */
	unsigned killed;          /* runs that ended with the program
					killed by a signal (a "signaled"
					event) */

	/* Internal state. */
	bool started;                 /* a process was started at least once */
	struct dbg_arena arena;       /* reset after each event */
	struct dbg_arena out_arena;   /* "output" events sent while the target
					runs, in the middle of a command */
	struct dbg_arena tmp;         /* per command: expression trees */
	struct dbg_rt rt;             /* reused runtime decode */
	struct dbg_type g_ptr;        /* the type of $g: pointer to struct g */
	uint64_t history;             /* print results so far ($1, $2 …) */
	struct dbg_display *displays; /* display's expressions (display.c) */
	size_t ndisplays, displays_cap;
	int display_next; /* the last display number given */
	const char *file; /* location of the command being run */
	int line;
	/* list: the file listed last (its DWARF name), the lines shown, or
	 * the line a bare list centres on next (after a stop) */
	char list_file[4096];
	unsigned list_first, list_last, list_center;
	struct dbg_unwind *unwind; /* the call stack walker (frames.c) */
	struct dbg_frame *frames;  /* its last walk */
	size_t frame_sel;          /* the selected frame (frame, up, down):
				      0 again at every stop */
};

/* Set up ctx for session s; emit receives every event. It becomes s's
 * image hook (session.h): when the program execs, the breakpoints are
 * resolved again from their locations as written (gdb re-sets them the
 * same way) and an "exec" event reports it. */
void dbg_cmd_ctx_init(struct dbg_cmd_ctx *ctx, struct dbg_session *s, char *const *argv,
		      char *const *envp, dbg_emit_fn *emit, void *emit_arg);
void dbg_cmd_ctx_release(struct dbg_cmd_ctx *ctx);

/*
 * Run one command line. file/line_no say where it came from (file NULL for
 * interactive input; "-ex" for command-line commands, line_no their
 * position). Returns 0, or a negative errno after emitting an "error"
 * event. A false expect is not an error: it emits an "expect" event with
 * "ok": false, counts in ctx->expect_failures and returns 0.
 */
/*
 * The G/M/P diagram of a decoded runtime (what `info gmp diagram` and
 * `info gmp dot` print): dot false, box-drawing text (UTF-8), one box per
 * M (thread id, g0, curg) with an arrow to the P it holds, each P's
 * runnext and run queue ring, then the global run queue and the idle P and
 * M lists; dot true, a Graphviz digraph with nodes "m0", "p0", "g1" and
 * "sched", edges M->P (holds), M->G (curg), P->G (runnext, runq[i]),
 * sched->G (runq[i]) and sched->P / sched->M (pidle, midle). A malloc'd
 * string, or NULL when out of memory.
 */
char *dbg_gmp_diagram(const struct dbg_rt *rt, bool dot);

int dbg_cmd_exec(struct dbg_cmd_ctx *ctx, const char *line, const char *file, int line_no);

/*
 * Emit an "error" event from a front end (e.g. a script that cannot be
 * read), with file/line when file is not NULL. Returns code.
 */
int dbg_cmd_error(struct dbg_cmd_ctx *ctx, int code, const char *file, int line_no,
		  const char *msg);

/* Emit the "stages" event (the catalog; reached state when a process ran).
 * --list-stages uses it without a process. An executable without a symbol
 * table has no stages: then an "error" event says so and the result is
 * -ENOENT, else 0. */
int dbg_cmd_emit_stages(struct dbg_cmd_ctx *ctx);

/* Emit "output" events for what the target wrote since the last drain. */
void dbg_cmd_drain_output(struct dbg_cmd_ctx *ctx);

/*
 * Resolve a location as break does: *EXPR, a stage name, or a symbol.
 * 0 with *addr, or -ENOENT "no stage or symbol 'x'; did you mean ...?".
 */
int dbg_cmd_resolve_loc(struct dbg_cmd_ctx *ctx, const char *loc, uint64_t *addr,
			struct dbg_err *err);

/* The expression environment over ctx's session (for front ends that
 * evaluate expressions themselves, e.g. a TUI watch list). */
void dbg_cmd_expr_env(struct dbg_cmd_ctx *ctx, struct dbg_expr_env *env);

/*
 * The call stack of the current thread, up to max frames (unwind.h), as
 * backtrace walks it (the goroutine behind a system stack included): the
 * count, *out valid until the next command; or a negative errno.
 * ctx->frame_sel is the selected one.
 */
int dbg_cmd_frames(struct dbg_cmd_ctx *ctx, size_t max, const struct dbg_frame **out,
		   struct dbg_err *err);

#endif
