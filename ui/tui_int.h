/*
 * tui_int — the TUI's state, shared by the files of the ncurses front end
 * (tui.c, tui_act.c, tui_bar.c, tui_overlay.c). Not an API: only those
 * include it; the front end's one entry point is ui_tui_run (ui/tui.h).
 *
 * ui_tui_run allocates one struct tui for the whole session. The screen is
 * drawn by dirty bits (UI_DIRTY_*, ui/tui_model.h): whatever changes what a
 * part of the screen shows sets that part's bit, and the next frame redraws
 * only the parts whose bits are set.
 */
#ifndef UI_TUI_INT_H
#define UI_TUI_INT_H

#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "keymap.h"
#include "layout.h"
#include "session.h"
#include "tui_edit.h"
#include "tui_lab.h"
#include "tui_model.h"
#include "tui_overlay.h"
#include "tui_panes.h"
#include "tui_ring.h"

/* BOOTSCOPE_TUI_TIMING: one sample per handled key, kept until exit. */
struct ui_sample {
	enum ui_action act;
	uint64_t ns;
};

struct ui_timing {
	FILE *f;
	struct ui_sample *v;
	size_t n, cap;
};

struct tui {
	struct dbg_session *s;
	struct dbg_cmd_ctx *ctx;
	struct ui_model m;
	struct ui_layout lay;
	WINDOW *pane[UI_PANE_COUNT];
	WINDOW *status, *legend, *tabs, *tline, *sep[UI_LAYOUT_MAX_SEPS], *small;
	unsigned dirty;
	enum ui_pane focus, tab;
	struct ui_panes panes; /* each pane's view and cache */
	struct ui_ring out, cmdlog;

	/* event rendering into a fixed buffer */
	FILE *render_f;
	char *render_buf;
	bool quiet_stop;

	char msg[256]; /* status-line message */
	bool msg_err;

	struct ui_edit edit;   /* the `:` line */
	const char *hist_file; /* BOOTSCOPE_HISTORY: the lines entered, kept */
	bool cursor_on;        /* the terminal cursor is shown (edit.open) */

	enum ui_overlay ov;
	char quit_why[128]; /* UI_OV_QUIT: what quitting loses */
	bool saves_record;  /* --record FILE: the recording is saved at the end */
	bool loaded_record; /* --replay FILE: the recording came from a file */
	int chooser_sel;    /* the stage the chooser selects */
	bool quit;
	struct ui_timing timing;

	volatile sig_atomic_t interrupted; /* Ctrl-C during a command */
	bool refetch;                      /* resized while a command ran: code and
				   stack rows to fetch again */

	bool drawn_history; /* the screen carries HISTORY/REPLAY marks */

	/* lab mode (--lab N) */
	bool lab_on;
	bool zoom;     /* z: the focused pane has the screen */
	bool cmd_keys; /* after a `:` command: PgUp/PgDn/End scroll the
			* command pane (the focus stays) until another key */
	/* the Changes pane: `info changes` after every command, its event
	 * taken (capture) instead of shown in the command pane */
	struct ui_changes changes;
	bool capture;
	struct ui_lab lab;
};

/* How ui_tui_run_cmd treats a command. */
enum {
	UI_RUN_ECHO = 1,  /* write the command line into the command pane */
	UI_RUN_QUIET = 2, /* no stop event in the command pane (s, n) */
	UI_RUN_SLOW = 4,  /* may run long: show "running" first */
};

/* Run one interpreter command with UI_RUN_* flags: Ctrl-C interrupts it,
 * a resize while it runs lays the screen out at once, and the model is
 * refreshed after it. Returns the interpreter's result (negative: failed). */
int ui_tui_run_cmd(struct tui *t, const char *line, unsigned flags);
/* The same for a command read from a file (a lab's): file and line_no
 * name where it came from in the interpreter's messages. */
int ui_tui_run_cmd_at(struct tui *t, const char *line, const char *file, int line_no,
		      unsigned flags);

/* Add a line of kind to the command pane, scrolled to its end. */
void ui_tui_note(struct tui *t, enum ui_cmd_kind kind, const char *text);

/* Draw what the dirty bits say changed, and update the terminal. */
void ui_tui_draw(struct tui *t);

/* Give pane p the focus (in TABS mode, showing it). */
void ui_tui_focus(struct tui *t, enum ui_pane p);

/* Set the status-line message (err: in the error colour). */
void ui_tui_msg(struct tui *t, bool err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Run `info changes` for the step shown into the Changes pane. */
void ui_tui_changes(struct tui *t);

/* Which pane shares the code pane's screen in TABS mode. */
enum ui_pane ui_tui_tab(const struct tui *t);

#endif
