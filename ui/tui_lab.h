/*
 * tui_lab — the lab pane's model (no curses): the step on show, the last
 * result of each check, and where the lab's commands left the process.
 *
 * A lab (interp/lab.h) is a script cut into steps. In the TUI the
 * student reads a step, explores with the usual keys, then presses L: the
 * step's command lines run through the interpreter and each expect becomes
 * a check shown PASS or FAIL with its expected and actual values, read
 * as the batch lab mode reads them (dbg_lab_check_of in interp/lab.h).
 *
 * Step k's commands assume the process is where step k-1's left it. The
 * model remembers that state (pid, step count, pc, sp, breakpoints) after
 * each run; ui_lab_in_step() says whether running step k may start from
 * here or the TUI must replay steps 1..k-1 from the start first.
 *
 * The TUI calls ui_lab_begin(k, j) before running command j of step k,
 * passes the interpreter's events to ui_lab_event() and ends with
 * ui_lab_end(). Everything is allocated at init.
 */
#ifndef UI_TUI_LAB_H
#define UI_TUI_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"
#include "lab.h"
#include "session.h"

enum ui_check_state {
	UI_CHECK_PENDING, /* not run since the step was last started */
	UI_CHECK_PASS,
	UI_CHECK_FAIL,
};

struct ui_lab_check {
	enum ui_check_state state;
	char expected[48];
	char actual[48];
};

enum ui_step_state {
	UI_STEP_NEW,     /* not run */
	UI_STEP_DONE,    /* every command ran (checks may have failed) */
	UI_STEP_STOPPED, /* a command failed or was interrupted: err */
};

struct ui_lab {
	const struct dbg_lab *lab;
	size_t view; /* the step on show */
	size_t done; /* steps [0, done) ran in order in the
					 process at `mark` */
	struct ui_lab_mark {
		bool valid;
		pid_t pid;
		uint64_t steps, pc, sp, bps;
	} mark;
	struct ui_lab_check *checks; /* one per command of every step */
	size_t *first;               /* each step's first index in checks */
	enum ui_step_state *state;   /* per step */
	char err[320];               /* why the step err_step stopped */
	size_t err_step;
	int cur_step, cur_cmd; /* the command running, or -1 */
	bool show_checks;      /* the pane should scroll to the checks */
	uint64_t gen;          /* bumped at every change */
};

/* 0 or -ENOMEM. lab stays the caller's. */
int ui_lab_init(struct ui_lab *l, const struct dbg_lab *lab);
void ui_lab_release(struct ui_lab *l);

/* Step k is about to run: its checks go back to pending. */
void ui_lab_start_step(struct ui_lab *l, size_t k);
/* Command j of step k runs next (events are its); ui_lab_end: none. */
void ui_lab_begin(struct ui_lab *l, size_t k, size_t j);
void ui_lab_end(struct ui_lab *l);
/* An interpreter event while a command runs: expect and error count. */
void ui_lab_event(struct ui_lab *l, const struct dbg_val *ev);
/* Step k stopped early: msg says why (when no error event said it). */
void ui_lab_stop_step(struct ui_lab *l, size_t k, const char *msg);
/* Step k's commands all ran: it is done, and s is where they left it. */
void ui_lab_finish_step(struct ui_lab *l, size_t k, struct dbg_session *s);
/* The process was just started again, at its entry: the lab is at its
 * beginning (step 1 may run from here). */
void ui_lab_rewind(struct ui_lab *l, struct dbg_session *s);

/* Whether step k may run from the process as s has it now. */
bool ui_lab_in_step(const struct ui_lab *l, size_t k, struct dbg_session *s);

/* Checks of step k (or of every step for SIZE_MAX): how many, how many
 * passed, how many failed. */
void ui_lab_count(const struct ui_lab *l, size_t k, size_t *n, size_t *pass, size_t *fail);

/* The check of command j of step k; NULL when that command is no expect. */
const struct ui_lab_check *ui_lab_check_at(const struct ui_lab *l, size_t k, size_t j);

#endif
