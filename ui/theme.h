/*
 * theme — colours by meaning. Drawing code asks for the attribute of a
 * role (the PC line, a breakpoint, a changed register …), never for a
 * colour. One table holds, per role, a colour pair and the attribute used
 * on a monochrome terminal, where bold/reverse/underline carry the meaning.
 *
 * Colour is used when the terminal has it and NO_COLOR is unset or empty
 * (https://no-color.org).
 *
 *   ui_theme_init(ui_theme_want_color(getenv("NO_COLOR")));  // after initscr
 *   wattrset(w, ui_theme_attr(UI_COLOR_PC));
 */
#ifndef UI_THEME_H
#define UI_THEME_H

#include <curses.h>
#include <stdbool.h>

enum ui_color {
	UI_COLOR_NORMAL,
	UI_COLOR_TITLE,       /* a pane's title row */
	UI_COLOR_TITLE_FOCUS, /* the focused pane's title row */
	UI_COLOR_PC,          /* the current instruction */
	UI_COLOR_SELECTED,    /* the selected line of a focused pane */
	UI_COLOR_BREAKPOINT,  /* a breakpoint mark */
	UI_COLOR_CHANGED,     /* a register or stack slot changed by the last stop */
	UI_COLOR_SYMBOL,      /* symbol headers and symbolic addresses */
	UI_COLOR_STAGE,       /* a stage name beside its instruction */
	UI_COLOR_STAGE_REACHED,
	UI_COLOR_STAGE_CURRENT,
	UI_COLOR_G_RUNNING, /* the running G (and its M and P) */
	UI_COLOR_G_RUNNABLE,
	UI_COLOR_DIM, /* headers, "not set yet", empty slots */
	UI_COLOR_ERROR,
	UI_COLOR_STDERR,  /* the target's stderr in the output pane */
	UI_COLOR_STATUS,  /* the status line */
	UI_COLOR_KEY,     /* a key in the legend */
	UI_COLOR_OVERLAY, /* help and chooser boxes */
	UI_COLOR_PASS,    /* a lab check that held */
	UI_COLOR_FAIL,    /* a lab check that did not */
	UI_COLOR_HISTORY, /* the screen shows a recorded step, not the live one */
	UI_COLOR_TL_MARK, /* a stage mark on the timeline bar */
	UI_COLOR_SYSCALL, /* a system call: decoded on its line, its mark on the bar */
	UI_COLOR_COUNT,
};

/* Whether to use colour, from the value of NO_COLOR (NULL when unset). */
bool ui_theme_want_color(const char *no_color);

/* Set up colour pairs (when want_color and the terminal has colours).
 * Call after initscr. */
void ui_theme_init(bool want_color);

/* True when colours are in use. */
bool ui_theme_has_color(void);

/* The attribute of a role. */
attr_t ui_theme_attr(enum ui_color c);

/* The role's name ("pc", "breakpoint" …) for tests and docs. */
const char *ui_theme_name(enum ui_color c);

#endif
