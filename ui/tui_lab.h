/*
 * tui_lab — the lab pane's model (no curses): the step on show, the last
 * result of each check, and where the lab's commands left the process.
 *
 * A lab (interp/lab.h) is a script cut into steps. In the TUI the
 * student reads a step and its questions, does what it says with the
 * usual keys, types answers (a: the selected question), then presses L:
 * the step's checks of where it ends (those after its last command that
 * runs the program) are evaluated where the student is, and the answers
 * graded, without running a command that moves the program: the process
 * and its history stay as they are. The checks stay hidden until then.
 * D replays the step's own commands (a teacher's demo): each expect then
 * becomes a check shown PASS or FAIL with its expected and actual values,
 * read as the batch lab mode reads them (dbg_lab_check_of in
 * interp/lab.h).
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
	bool final; /* after the step's last command that runs the program
		       or looks from another thread or frame: a check of
		       where the step ends, which L checks */
};

/* A question's answer, typed with `a` and graded by L. */
enum ui_answer_state {
	UI_ANSWER_NONE,    /* not answered */
	UI_ANSWER_TYPED,   /* answered, not checked since */
	UI_ANSWER_RIGHT,   /* checked: right */
	UI_ANSWER_WRONG,   /* checked: wrong */
	UI_ANSWER_UNGRADED /* the lab has no #@answer for it */
};

#define UI_LAB_ANSWER_MAX 128

struct ui_lab_answer {
	enum ui_answer_state state;
	char text[UI_LAB_ANSWER_MAX]; /* what the student typed */
	char expected[96];            /* after a wrong answer, when the lab says
			      #@reveal after-submit; else "" */
};

enum ui_step_state {
	UI_STEP_NEW,     /* not run */
	UI_STEP_DONE,    /* every command ran (checks may have failed) */
	UI_STEP_STOPPED, /* a command failed or was interrupted: err */
	UI_STEP_CHECKED, /* L checked where the student is (no command ran) */
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
	struct ui_lab_check *checks;   /* one per command of every step */
	size_t *first;                 /* each step's first index in checks */
	struct ui_lab_answer *answers; /* one per question of every step */
	size_t *qfirst;                /* each step's first index in answers */
	size_t sel;                    /* the selected question of the step on
					  show (a answers it) */
	bool answering;                /* the answer line is open */
	enum ui_step_state *state;     /* per step */
	char err[320];                 /* why the step err_step stopped */
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

/* The answer to question q of step k (both from 0); NULL when none. */
struct ui_lab_answer *ui_lab_answer_at(const struct ui_lab *l, size_t k, size_t q);
/* The student typed text for question q of step k: it waits for L. */
void ui_lab_set_answer(struct ui_lab *l, size_t k, size_t q, const char *text);
/* Step k's checks that L checks (final ones) go back to pending, the
 * others stay as they are. */
void ui_lab_start_check(struct ui_lab *l, size_t k);
/* L checked step k: its state is UI_STEP_CHECKED. */
void ui_lab_checked(struct ui_lab *l, size_t k);

/* Whether step k may run from the process as s has it now. */
bool ui_lab_in_step(const struct ui_lab *l, size_t k, struct dbg_session *s);

/* Checks of step k (or of every step for SIZE_MAX): how many, how many
 * passed, how many failed. */
void ui_lab_count(const struct ui_lab *l, size_t k, size_t *n, size_t *pass, size_t *fail);

/* The check of command j of step k; NULL when that command is no expect. */
const struct ui_lab_check *ui_lab_check_at(const struct ui_lab *l, size_t k, size_t j);

#endif
