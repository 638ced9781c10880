/*
 * tui_panes — the TUI's panes as classes. One table, indexed by enum
 * ui_pane (ui/layout.h), gives each pane its title and its behaviour: how
 * it is drawn (ui/tui_draw.h), how the movement keys scroll it, what it
 * keeps of its last drawing (its cache), what Tab does on reaching it,
 * where `b` sets a breakpoint while it has the focus. The TUI holds one
 * struct ui_panes (what the panes show and each pane's view and cache) and
 * goes through the ui_panes_* functions, which dispatch on the table: it
 * never names a pane's drawing or scrolling.
 *
 *   ui_panes_init(&ps, &model, &out, &cmd, lab);  // every cache allocated
 *   ui_panes_draw(&ps, UI_PANE_CODE, w, focus);
 *   ui_panes_scroll(&ps, UI_PANE_STACK, UI_ACT_PAGE_DOWN, rows - 2);
 *   ui_panes_forget(&ps);                        // the windows were cleared
 *
 * A new pane is a value in enum ui_pane, its place and minimum size in
 * ui/layout.c, and one entry in the table in tui_panes.c.
 */
#ifndef UI_TUI_PANES_H
#define UI_TUI_PANES_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keymap.h"
#include "layout.h"
#include "tui_changes.h"
#include "tui_draw.h"
#include "tui_lab.h"
#include "tui_model.h"
#include "tui_ring.h"

/* Line kinds in the command pane's ring. */
enum ui_cmd_kind {
	UI_CMD_TEXT,
	UI_CMD_ECHO, /* the command line as typed */
	UI_CMD_ERROR,
	UI_CMD_NOTE, /* the TUI's own remarks */
};

/* Line kinds in the output pane's ring. */
enum ui_out_kind {
	UI_OUT_STDOUT = 1,
	UI_OUT_STDERR = 2,
};

/* One pane's own state. */
struct ui_pane_state {
	struct ui_pane_view view;
	void *cache; /* what it last drew: its class's cache_size bytes, all
			  zero when nothing is on screen; NULL without */
};

/* What the panes show, and each pane's state. */
struct ui_panes {
	struct ui_model *m;
	const struct ui_ring *out;  /* the target's output */
	const struct ui_ring *cmd;  /* the command pane's lines */
	struct ui_lab *lab;         /* NULL outside lab mode */
	struct ui_changes *changes; /* the Changes pane's lines (tui_changes.h) */
	bool gmp_diagram;           /* v on G/M/P: its diagram, not its tables */
	struct ui_pane_state pane[UI_PANE_COUNT];
};

struct ui_pane_class {
	const char *title;
	const char *short_title; /* in a tab strip too narrow for the titles,
				  * or NULL: the title */
	bool lab;                /* exists in lab mode only */
	bool stop;               /* shows the stop: on a recorded step, its title is
			      marked HISTORY or REPLAY */
	size_t cache_size;       /* bytes of its cache; 0: none */

	/* Draw pane p whole into w: its title row, then its content. */
	void (*draw)(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus);
	/* A movement key: a is UI_ACT_UP … UI_ACT_END, d the rows it moves
	 * (negative: up; 0 for Home and End). NULL: the pane does not scroll. */
	void (*scroll_key)(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int d);
	bool sideways; /* Left and Right reach scroll_key too (UI_ACT_LEFT,
			  UI_ACT_RIGHT, d 0) */
	/* Tab or Shift-Tab moved the focus to p. NULL: nothing to do. */
	void (*enter)(struct ui_panes *ps, enum ui_pane p);
	/* The address `b` toggles a breakpoint at while p has the focus, or 0
	 * for none. NULL: the code pane's (its selected line, else the pc). */
	uint64_t (*break_at)(struct ui_panes *ps, enum ui_pane p);
	/* Whether p shows something that changed since it was drawn though
	 * the model's refresh (its dirty bits) does not know it. NULL: never. */
	bool (*stale)(const struct ui_panes *ps, enum ui_pane p);
};

/* Pane p's class. */
const struct ui_pane_class *ui_pane_class(enum ui_pane p);

/* Set up the panes over what they show (lab NULL outside lab mode) and
 * allocate their caches: 0 or -ENOMEM. ui_panes_release frees what was
 * allocated, also after a failure. */
int ui_panes_init(struct ui_panes *ps, struct ui_model *m, const struct ui_ring *out,
		  const struct ui_ring *cmd, struct ui_lab *lab);
void ui_panes_release(struct ui_panes *ps);

/* Whether pane p exists (the lab's only in lab mode). */
bool ui_panes_has(const struct ui_panes *ps, enum ui_pane p);

/* Draw pane p into w (no refresh): its class's drawing, then, when the
 * screen shows a recorded step and p shows the stop, the HISTORY or
 * REPLAY mark at the right of its title. */
void ui_panes_draw(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus);

/* Whether pane p must be drawn again though no dirty bit says so. */
bool ui_panes_stale(const struct ui_panes *ps, enum ui_pane p);

/* The rows pane p's title and content take when every line shows (for
 * ui_layout_fit), or 0 when unknown or unbounded. width: its columns. */
int ui_panes_want(const struct ui_panes *ps, enum ui_pane p, int width);

/* The windows lost their content: every pane's next drawing is whole. */
void ui_panes_forget(struct ui_panes *ps);

/* A movement key on pane p, page rows to a page. */
void ui_panes_scroll(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int page);

/* Tab or Shift-Tab is about to move the focus to pane p. */
void ui_panes_enter(struct ui_panes *ps, enum ui_pane p);

/* The address `b` toggles a breakpoint at while pane p has the focus, or
 * 0 for none. */
uint64_t ui_panes_break_at(struct ui_panes *ps, enum ui_pane p);

#endif
