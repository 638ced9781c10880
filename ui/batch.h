/*
 * batch — the command line of bootscope and the scripted front end.
 *
 *   bootscope [OPTIONS] [--] [PROGRAM [ARGS...]]
 *
 * ui_options_parse() reads the options (gdb spellings accepted: -ex,
 * -x, -batch); the first argument that is not an option starts PROGRAM
 * and its arguments. ui_batch_run() runs the -x scripts and then the -ex
 * commands through the interpreter (interp/cmd.h) as gdb does: an error
 * ends its script, and the next script or -ex command still runs;
 * ui_lines_run() reads commands from a stream and goes on after errors
 * (interactive use without the TUI). Both exit with UI_EXIT_FAIL when any
 * command failed. A line longer than UI_INPUT_LINE_MAX bytes, or holding a NUL
 * byte, is an error, never a command.
 *
 * ui_batch_run_lab() runs a teaching lab (interp/lab.h) step by step
 * through the same interpreter and reports each of its checks.
 *
 * Events are rendered by ui_sink_emit() (render.h): JSON Lines on stdout,
 * or text on stdout with error lines on stderr.
 *
 * Exit statuses: UI_EXIT_OK, UI_EXIT_FAIL (an error, a failed expect),
 * UI_EXIT_USAGE (bad options), UI_EXIT_NOT_RUN (a lab that could not run:
 * no such lab, its program missing or not started).
 */
#ifndef UI_BATCH_H
#define UI_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "err.h"
#include "lab.h"
#include "labreport.h"

enum { UI_EXIT_OK = 0, UI_EXIT_FAIL = 1, UI_EXIT_USAGE = 2, UI_EXIT_NOT_RUN = 3 };

/* Longest script or standard-input line read, newline excluded. */
#define UI_INPUT_LINE_MAX 65536

struct ui_options {
	bool batch;           /* --batch: no TUI */
	bool json;            /* --json: JSON Lines output */
	bool list_stages;     /* --list-stages */
	bool keep_aslr;       /* --keep-aslr */
	const char *theme;    /* --theme dark|light, NULL when not given */
	const char *record;   /* --record FILE: save the timeline at the end */
	const char *replay;   /* --replay FILE: a saved timeline, no process */
	const char *trace;    /* --trace FILE: one JSON line per step */
	bool help, version;   /* --help, --version */
	const char **scripts; /* -x FILE, in order (malloc'd array) */
	size_t nscripts;
	const char **ex; /* -ex CMD, in order (malloc'd array) */
	size_t nex;
	char **prog_argv;       /* PROGRAM ARGS..., NULL-terminated, pointing
				into the argv given; NULL when no PROGRAM */
	int lab_number;         /* --lab N: N >= 0 (0 is no lab: it fails) */
	bool lab_given;         /* --lab N was given */
	const char *student;    /* --student ID */
	const char *answers;    /* --answers FILE */
	const char *reports[2]; /* --report KIND FILE, by enum ui_report_kind */
	bool lab_list;          /* --lab list */
	const char *check_lab;  /* --check-lab FILE (batch mode implied) */
	struct dbg_lab *lab;    /* lab N, loaded by main before a front end
				runs (the TUI's lab pane reads it); the
				session's program, arguments and environment
				are already the lab's. NULL without --lab N */
};

/* Parse argv. 0, or -EINVAL with a one-line message ("unknown option
 * '--foo'", "-ex needs a command", "--lab takes a number or 'list'") for a
 * usage error. */
int ui_options_parse(struct ui_options *o, int argc, char **argv, struct dbg_err *err);
void ui_options_release(struct ui_options *o);

/* The --help text. */
void ui_usage(FILE *out);

/* Where events go. */
struct ui_sink {
	bool json;                 /* JSON Lines, else text */
	FILE *out;                 /* every event (JSON) or every event but errors (text) */
	FILE *err;                 /* error events in text mode */
	int write_errno;           /* set when writing out failed (said once on err) */
	struct ui_sink_hold *hold; /* events held (ui_sink_hold), or NULL */
};

/* dbg_emit_fn for a struct ui_sink: render and flush (while the sink
 * holds events: render into its buffer). A failed write of out ("cannot
 * write standard output: no space left on device" on err) stops the batch
 * commands and makes their status UI_EXIT_FAIL. */
void ui_sink_emit(void *sink, const struct dbg_val *ev);

/*
 * Batch and line mode: the sink holds the events in a buffer of its own
 * (64 KiB) and writes them with one write(2) when it is full and whenever
 * ui_sink_flush() is called: before bootscope reads a line that may not be
 * there yet (a script or standard input needing a read(2)), before a wait
 * for the program that may last (main's wait hook), before anything goes
 * to stderr, and at the end; and before any wait once it has held events
 * for 50 ms (ui_sink_flush_older). The first event goes out at once: an
 * output that cannot be written at all stops the commands there; a later
 * failure (a disk filling up) is found at the next block. A crash of bootscope (SIGSEGV …) writes the
 * complete events held (ui/sig.h). One sink at a time holds.
 */
void ui_sink_hold(struct ui_sink *sink);

/* Write what the holding sink holds (none: nothing). */
void ui_sink_flush(void);

/* The same when it has held something for ms or longer: a run of many
 * quiet steps (continue in full mode single-steps) shows its events at
 * most that late. */
void ui_sink_flush_older(int64_t ms);

/* At exit: flush out; status, or UI_EXIT_FAIL when a write of out failed
 * (said on err). The sink holds no more. */
int ui_sink_finish(struct ui_sink *sink, int status);

/*
 * Run o's scripts (each line a command, '#' comments) and then its -ex
 * commands. An error ends its script; the rest runs, unless a quit, Ctrl-C
 * or a failed write of the output stops everything. Returns UI_EXIT_OK,
 * or UI_EXIT_FAIL when a command failed, a script could not be read, or
 * an expect was false (a false expect is reported and does not end its
 * script).
 */
int ui_batch_run(struct dbg_cmd_ctx *ctx, const struct ui_options *o);

/* After ui_batch_run: a quit, Ctrl-C or failed output ended it, so
 * nothing more should run. */
bool ui_batch_stopped(const struct dbg_cmd_ctx *ctx);

/*
 * Commands from in until EOF or quit; errors are reported and reading goes
 * on, except after a line too long to end or a read error. prompt: write
 * "(bootscope) " to stdout before each line. Returns UI_EXIT_OK, or
 * UI_EXIT_FAIL when a command failed or an expect was false.
 */
int ui_lines_run(struct dbg_cmd_ctx *ctx, FILE *in, bool prompt);

/*
 * Run every command of every step of lab through ctx, in order, stopping
 * at the first failing command or at quit. The events are a script's
 * (stops, prints, output, errors) with three differences: a "lab_start"
 * first (meta: the program, its sha256 and Go version, the student, the
 * time), each expect as a "check" (its step, line, expression, pass, and
 * expected and actual values of one JSON type; also kept in results when
 * not NULL), with answers (--answers) one "answer" per question with an
 * #@answer after its step's commands (right or wrong; the expected answer
 * only when the lab says #@reveal after-submit), and a "lab_summary" last (checks, passed, failed, skipped; a
 * check not reached counts as failed; ran, status, duration_ms). Returns
 * UI_EXIT_OK when every check passed, UI_EXIT_NOT_RUN when the program
 * never started, else UI_EXIT_FAIL.
 */
int ui_batch_run_lab(struct dbg_cmd_ctx *ctx, const struct dbg_lab *lab,
		     const struct ui_lab_meta *meta, struct ui_lab_results *results,
		     const struct ui_answers *answers);

/*
 * --check-lab: run lab as ui_batch_run_lab does (its checks as "check"
 * events; stops, prints and output left out) and report what makes a lab
 * file unsound as "lab_finding" events: a step never reached or ended by a
 * failing command ("unreachable", an error), a check that already holds
 * where the step before left the program ("trivial", a warning; on the
 * first step nothing is reported), a step whose every check already held
 * ("step-trivial", an error), a question without #@answer ("ungraded", a
 * warning), an #@answer expr that cannot be evaluated ("answer", an
 * error). A lab_summary ends it. UI_EXIT_OK when every check passed and no
 * error was found, UI_EXIT_NOT_RUN when the program never started, else
 * UI_EXIT_FAIL.
 */
int ui_batch_check_lab(struct dbg_cmd_ctx *ctx, const struct dbg_lab *lab,
		       const struct ui_lab_meta *meta);

/* The lab_start event of lab (NULL when it could not be found: number). */
void ui_batch_lab_start(dbg_emit_fn *emit, void *arg, const struct dbg_lab *lab, int number,
			const struct ui_lab_meta *m);

/* A lab that could not run: lab_start (unless started: already sent), an
 * "error" with msg and a lab_summary with ran false. UI_EXIT_NOT_RUN. */
int ui_batch_lab_not_run(dbg_emit_fn *emit, void *arg, const struct dbg_lab *lab, int number,
			 const struct ui_lab_meta *m, const char *msg, bool started);

/* Whether the file at path is a lab file: its first "#@" directive, before
 * any command, is #@lab. */
bool ui_batch_lab_file(const char *path);

/*
 * --lab list: one "labs" event (number, title and file of each lab in
 * dir) through emit. 0, or the negative errno of dbg_lab_list with err.
 */
int ui_batch_list_labs(dbg_emit_fn *emit, void *arg, const char *dir, struct dbg_err *err);

/* Ask the running command to stop (async-signal-safe; SIGINT handler). */
void ui_batch_interrupt(void);

#endif
