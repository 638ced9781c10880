/*
 * layout — where each pane of the TUI goes, as plain arithmetic (no curses),
 * so the rectangles can be tested without a terminal.
 *
 *   struct ui_layout l;
 *   ui_layout_compute(&l, COLS, LINES, UI_PANE_REGS, false);
 *   if (l.pane[UI_PANE_CODE].h > 0) draw the code pane in that rectangle;
 *
 * Modes, chosen from the terminal size:
 *   WIDE  (>= 160x40)  three columns: code, source, frames and stack | registers,
 *                      TLS and G/M/P | stages, system calls, output and
 *                      commands.
 *   TWO   (>= 100x30)  two columns: code, source, frames, stack, stages |
 *                      registers, TLS, G/M/P, system calls, commands,
 *                      output. Every pane visible at 120x40.
 *   TABS  (>= 40x13)   a tab strip naming every pane, the code pane on top
 *                      and one other pane (the `tab` argument) below it.
 *   SMALL (smaller)    nothing but a "terminal too small" message.
 *
 * The lab pane exists only in lab mode (`lab` true): on top of the third
 * column (WIDE), at the bottom of the first (TWO), or in TABS mode in the
 * code pane's place on top, the code being one more tab below it.
 * Without it, its rectangle stays hidden.
 *
 * Invariants (checked by tests/tui/test_layout.c): visible rectangles lie
 * inside the screen, never overlap each other or the status, legend and tab
 * rows, and are at least ui_pane_min_w x ui_pane_min_h. The last three rows
 * are the timeline bar, the status line and the key legend in every mode
 * but SMALL. A pane's
 * rectangle includes its title row (its first row).
 */
#ifndef UI_LAYOUT_H
#define UI_LAYOUT_H

#include <stdbool.h>

enum ui_pane {
	UI_PANE_CODE,
	UI_PANE_REGS,
	UI_PANE_TLS,
	UI_PANE_STACK,
	UI_PANE_GMP,
	UI_PANE_STAGES,
	UI_PANE_OUTPUT,
	UI_PANE_CMD,
	UI_PANE_FRAMES,   /* the call stack at the stop */
	UI_PANE_SOURCE,   /* the source lines around pc */
	UI_PANE_SYSCALLS, /* the system calls and signals seen */
	UI_PANE_CHANGES,  /* what the shown step changed */
	UI_PANE_LAB,      /* lab mode only */
	UI_PANE_COUNT,
};

enum ui_layout_mode {
	UI_LAYOUT_SMALL,
	UI_LAYOUT_TABS,
	UI_LAYOUT_TWO,
	UI_LAYOUT_WIDE,
};

/* y, x: top-left cell; h == 0 means hidden. */
struct ui_rect {
	int y, x, h, w;
};

#define UI_LAYOUT_MAX_SEPS 2

struct ui_layout {
	enum ui_layout_mode mode;
	int cols, rows;
	struct ui_rect pane[UI_PANE_COUNT];
	struct ui_rect tabs;                    /* the tab strip (TABS mode), else h == 0 */
	struct ui_rect timeline;                /* the recorded steps, stage marks, the view */
	struct ui_rect status;                  /* stop reason, steps, stage; the `:` prompt */
	struct ui_rect legend;                  /* key legend */
	struct ui_rect sep[UI_LAYOUT_MAX_SEPS]; /* vertical lines between columns */
	int nsep;
};

/* Smallest screens of each mode. */
#define UI_LAYOUT_WIDE_COLS 160
#define UI_LAYOUT_WIDE_ROWS 40
#define UI_LAYOUT_TWO_COLS 100
#define UI_LAYOUT_TWO_ROWS 30
#define UI_LAYOUT_TABS_COLS 40
#define UI_LAYOUT_TABS_ROWS 13

/*
 * Lay out a cols x rows screen. tab: the pane shown below the code pane in
 * TABS mode (UI_PANE_CODE there means the registers; UI_PANE_LAB without
 * lab means the registers too), below the lab pane in lab mode
 * (UI_PANE_LAB there means the code); ignored otherwise. lab: lab mode.
 */
void ui_layout_compute(struct ui_layout *l, int cols, int rows, enum ui_pane tab, bool lab);

/*
 * Give the rows a pane's content does not fill to the panes of its column
 * whose content is longer. want[p] is the rows pane p's title and content
 * take, or 0 when unknown or unbounded (the code, a source file): such a
 * pane keeps its rows. A pane taller than its want shrinks to it (never
 * below its minimum); the rows freed go one at a time, in turn, to the
 * panes whose want is more than their height. G/M/P, still short, then
 * takes rows from the logs of its column (commands, output) down to a
 * floor (4 and 3 rows): their older lines scroll back. Rows no pane wants
 * go to the code, else the lab's text, else the source (when their want is
 * 0), else back.
 * Call after ui_layout_compute, before ui_layout_zoom; nothing changes in
 * TABS and SMALL modes. The invariants above still hold.
 */
void ui_layout_fit(struct ui_layout *l, const int *want);

/* Zoom (the TUI's z): pane p takes every row above the timeline (below the
 * tab strip in TABS mode) and the whole width; the other panes and the
 * column lines are hidden. Nothing changes in SMALL mode. */
void ui_layout_zoom(struct ui_layout *l, enum ui_pane p);

/* True when pane p is visible in l. */
bool ui_layout_visible(const struct ui_layout *l, enum ui_pane p);

/* A w x h rectangle centred on the screen, shrunk to fit (overlays). */
struct ui_rect ui_layout_center(const struct ui_layout *l, int w, int h);

/* True when a and b share a cell (hidden rectangles share none). */
bool ui_rect_overlap(struct ui_rect a, struct ui_rect b);

/* Minimum sizes of each pane (their titles and what they do: the pane
 * classes of ui/tui_panes.h). */
int ui_pane_min_w(enum ui_pane p);
int ui_pane_min_h(enum ui_pane p);

#endif
