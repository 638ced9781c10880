/*
 * term — the one module that owns the terminal: it calls initscr and endwin,
 * and hands ui/sig the strings and modes that put the terminal back, so
 * every way out leaves it sane (ui/sig.h: the signals and the order of the
 * way out).
 *
 *   ui_term_usable(why, n)        whether this terminal can show the TUI
 *   ui_term_init(&err)            curses on, cbreak (Ctrl-C stays a signal),
 *                                 no echo, keypad, SIGWINCH caught
 *   ui_term_take_resize()         the window changed size: curses resized
 *   ui_term_repaint()             Ctrl-L: the terminal cleared and written
 *                                 again from curses' screen
 *   ui_term_end()                 endwin; ui/sig forgets the terminal
 *
 * What a crash writes back, async-signal-safely (ui_sig_set_tty): the modes
 * saved before initscr (cooked, echo) and this terminal's mouse-off, sgr0,
 * cnorm, rmkx and rmcup strings.
 *
 * SIGWINCH: curses learns the new size in its key wait (KEY_RESIZE). While
 * a command runs and no key is read, ui_term_take_resize() asks curses to
 * resize at once, so the front end can lay the screen out again (from the
 * engine's wait hook, dbg_session_set_wait_hook, with ui_term_tick).
 */
#ifndef UI_TERM_H
#define UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "theme.h"

/* Whether $TERM names a terminal that can address the cursor (cup) and
 * clear the screen; false with the reason in why ("the terminal 'dumb'
 * cannot move the cursor"). */
bool ui_term_usable(char *why, size_t n);

/* 0, or -ENOTTY "the TUI needs a terminal: use --batch" when stdin or
 * stdout is not a terminal, or -EIO when curses cannot start. */
int ui_term_init(struct dbg_err *err);

/* The terminal's background colour, asked before curses starts: OSC 11
 * ("\033]11;?") then a primary device attributes request (DA1), which every
 * terminal answers, so that one that ignores OSC 11 costs no wait; at most
 * timeout_ms in all. UI_THEME_AUTO when stdin/stdout is not a terminal or
 * no colour came back. */
enum ui_theme_bg ui_term_query_bg(int timeout_ms);

/* Leave curses; a crash afterwards leaves the terminal alone. Idempotent. */
void ui_term_end(void);

/* True once after a SIGWINCH, with curses' LINES and COLS already the new
 * size (resizeterm); the caller lays out and redraws. */
bool ui_term_take_resize(void);

/* Ctrl-L: clear the terminal and write curses' screen (curscr, once what
 * is pending is drawn) out again, every cell, without curses' full
 * update: each change of attributes is ncurses' own sequence for it
 * (vid_puts), worked out once per pair of looks and kept, each cursor
 * address once per cell, and blank cells on the default background are
 * left to the clear. False, with nothing written, on a terminal that
 * scrolls when its last cell is written or that spends cells on
 * attributes: the caller then has curses clear and repaint (clearok). */
bool ui_term_repaint(void);

/* The terminal hung up (closed, or its emulator gone): reads see end of
 * file and a SIGHUP may never come. */
bool ui_term_gone(void);

/* While a command runs (on): SIGALRM every 250 ms cuts the wait for the
 * program short, so the wait hook runs though no other signal comes (the
 * terminal closed without a SIGHUP; a SIGWINCH just before the wait). A
 * timer is not inherited by fork: the program never sees it. */
void ui_term_tick(bool on);

/* True once after a tick. */
bool ui_term_take_tick(void);

#endif
