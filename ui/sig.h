/*
 * sig — how bootscope ends when a signal asks it to, in every front end
 * (batch, line mode, TUI).
 *
 *   ui_sig_install(tui)          catch the signals below (main, once; the
 *                                TUI again after initscr)
 *   ui_sig_set_busy(fn, arg)     while a command runs: SIGINT, and the
 *                                first exit signal, call fn(arg)
 *                                (async-signal-safe, e.g. an interrupt)
 *   ui_sig_take_sigint()         SIGINTs seen while idle, then reset
 *   ui_sig_exit_signal()         the exit signal received, or 0
 *   ui_sig_reraise(sig)          end the process by sig's default action
 *   ui_sig_set_tracee(pid)       what a crash kills
 *   ui_sig_set_tty(...)          how a crash restores the terminal
 *   ui_sig_set_note(text)        what a crash says on stderr
 *   ui_sig_set_output(...)       the events a crash writes out first
 *
 * SIGTERM, SIGHUP, SIGQUIT and SIGPIPE end bootscope in order: the handler
 * only records the signal and interrupts the running command (the busy
 * function); the front end's loop sees ui_sig_exit_signal() and stops;
 * then, as after quit, the --record recording is saved (or stderr says
 * why not), the program killed and the terminal restored, and bootscope
 * ends by the same signal, so the exit status shows it. A repeat of one of them (but
 * SIGPIPE) a second or more after the first ends bootscope at once, as a
 * crash does: the way out when the orderly one is stuck.
 *
 * SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT (bootscope itself crashed)
 * end it at once with only async-signal-safe calls: the terminal's reset
 * strings are written and its saved modes set back (tcsetattr), the tracee
 * is SIGKILLed, the whole events a holding sink had not written yet are
 * written (ui/batch.h: ui_sink_hold), the note is written, and the signal
 * is raised again with its default action (a core dump).
 *
 * SIGHUP or SIGPIPE ignored when bootscope starts (nohup, a shell's trap
 * '' PIPE) stays ignored. The exit signals interrupt blocking calls (no
 * SA_RESTART): a read of stdin or a write to a stuck pipe returns EINTR.
 */
#ifndef UI_SIG_H
#define UI_SIG_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <termios.h>

/* tui: SIGINT also interrupts blocking reads (the TUI's key wait); else
 * a read of a command line goes on after a Ctrl-C. */
void ui_sig_install(bool tui);

/* While fn is set, SIGINT and the first exit signal call fn(arg). */
void ui_sig_set_busy(void (*fn)(void *arg), void *arg);

/* How many SIGINTs arrived while not busy since the last call. */
int ui_sig_take_sigint(void);

/* SIGTERM, SIGHUP, SIGQUIT or SIGPIPE once received, else 0. */
int ui_sig_exit_signal(void);

/* Record sig as the exit signal and interrupt the running command, as if
 * sig had arrived (a front end that finds its terminal gone without a
 * SIGHUP). */
void ui_sig_request_exit(int sig);

/* End the process by sig with its default action; returns only when
 * that action does not end it. */
void ui_sig_reraise(int sig);

/* The traced process to SIGKILL on a crash (0: none). */
void ui_sig_set_tracee(pid_t pid);

/* What a crash writes to stdout and sets on stdin before dying: seq (len
 * bytes) and modes are copied; seq NULL forgets both. */
void ui_sig_set_tty(const char *seq, size_t len, const struct termios *modes);

/* A crash writes buf[*done, *ready) to fd unless *writing (a write of
 * buf was under way); buf NULL: nothing. The pointers stay valid until
 * the next call. */
void ui_sig_set_output(int fd, const char *buf, const volatile size_t *done,
		       const volatile size_t *ready, const volatile sig_atomic_t *writing);

/* One line a crash writes to stderr after restoring the terminal (copied,
 * at most 511 bytes; NULL: none). */
void ui_sig_set_note(const char *text);

#endif
