/*
 * theme — colours by meaning. Drawing code asks for the attribute of a
 * role (the PC line, a breakpoint, a changed register …), never for a
 * colour. One table holds, per role, a colour pair and the attribute used
 * on a monochrome terminal, where bold/reverse/underline carry the meaning.
 *
 * Colour is used when the terminal has it and NO_COLOR is unset or empty
 * (https://no-color.org). Two variants, for a dark and for a light
 * terminal background, each with an 8/16-colour and a 256-colour look per
 * role. Text on a coloured background is plain black or white (never bold
 * black, which xterm draws grey); the light variant has no yellow or cyan
 * text. The front end picks the variant (--theme, BOOTSCOPE_THEME, the
 * terminal's answer to OSC 11, COLORFGBG; dark otherwise).
 *
 *   ui_theme_init(ui_theme_want_color(getenv("NO_COLOR")), UI_THEME_LIGHT);
 *   wattrset(w, ui_theme_attr(UI_COLOR_PC));
 */
#ifndef UI_THEME_H
#define UI_THEME_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

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

enum ui_theme_bg {
	UI_THEME_AUTO, /* not known (yet) */
	UI_THEME_DARK,
	UI_THEME_LIGHT,
};

/* "dark" or "light" as enum ui_theme_bg; -1 for anything else. */
int ui_theme_parse(const char *name);

/* The background from a terminal's answer to OSC 11 ("\033]11;rgb:ffff/
 * ffff/dddd\033\\", 1 to 4 hex digits a channel): light when its
 * luminance is above one half; UI_THEME_AUTO when reply holds no colour. */
enum ui_theme_bg ui_theme_bg_from_osc11(const char *reply, size_t n);

/* The background from $COLORFGBG ("15;0", "0;default;15"): its last field
 * as a colour number, 7 and 9..15 light; UI_THEME_AUTO when not a number. */
enum ui_theme_bg ui_theme_bg_from_colorfgbg(const char *value);

/* Whether to use colour, from the value of NO_COLOR (NULL when unset). */
bool ui_theme_want_color(const char *no_color);

/* Set up colour pairs of variant bg (UI_THEME_AUTO: dark) when want_color
 * and the terminal has colours: the 256-colour looks when it has 256.
 * Call after initscr. */
void ui_theme_init(bool want_color, enum ui_theme_bg bg);

/* The variant in use (UI_THEME_DARK before ui_theme_init). */
enum ui_theme_bg ui_theme_variant(void);

/* True when colours are in use. */
bool ui_theme_has_color(void);

/* The attribute of a role. */
attr_t ui_theme_attr(enum ui_color c);

/* The role's name ("pc", "breakpoint" …) for tests and docs. */
const char *ui_theme_name(enum ui_color c);

#endif
