/*
 * term — the one module that owns the terminal: it calls initscr and endwin
 * and installs the signal handlers, so every way out leaves the terminal
 * sane and no traced process behind.
 *
 *   ui_term_init(&err)            curses on, cbreak (Ctrl-C stays a signal),
 *                                 no echo, keypad, handlers installed
 *   ui_term_set_tracee(pid)       the process to SIGKILL if we are killed
 *   ui_term_set_busy(fn, arg)     while a command runs: Ctrl-C calls fn(arg)
 *                                 (async-signal-safe, e.g. an interrupt)
 *   ui_term_take_sigint()         Ctrl-Cs seen while idle, then reset
 *   ui_term_end()                 endwin, handlers back to default
 *
 * Signals: SIGINT as above. SIGTERM and SIGHUP restore the terminal, kill
 * the tracee and end the process by the same signal. SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL and SIGABRT (a crash of bootscope itself) do the same, so
 * the default action (a core dump) still happens. The restore in a handler
 * uses only async-signal-safe calls: tcsetattr with the modes saved before
 * initscr, and a write of the terminal's reset strings captured at init.
 * SIGWINCH stays with curses (it turns into KEY_RESIZE).
 */
#ifndef UI_TERM_H
#define UI_TERM_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

/* 0, or -ENOTTY "the TUI needs a terminal: use --batch" when stdin or
 * stdout is not a terminal, or -EIO when curses cannot start. */
int ui_term_init(struct dbg_err *err);

/* Leave curses and restore default signal dispositions. Idempotent. */
void ui_term_end(void);

/* True between ui_term_init and ui_term_end. */
bool ui_term_active(void);

/* The traced process to kill on a fatal signal (0: none). */
void ui_term_set_tracee(pid_t pid);

/* While fn is set, SIGINT calls fn(arg) instead of being counted. */
void ui_term_set_busy(void (*fn)(void *arg), void *arg);

/* How many SIGINTs arrived while not busy since the last call. */
int ui_term_take_sigint(void);

#endif
