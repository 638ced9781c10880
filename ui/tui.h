/*
 * tui — the ncurses front end: every pane of the boot at once (code,
 * registers, TLS / g, stack, G/M/P, stages, the target's output, command
 * output, and with --lab N the lab's step), driven by single keys and a `:`
 * command line.
 *
 * It runs over the same command interpreter as the batch mode: keys that
 * have a command run it (s → "stepi", c → "continue" …), the `:` line takes
 * any batch command, and the interpreter's events are rendered into the
 * command pane by ui/render's text renderer. Only the TUI-specific actions
 * (run to the next stage, the stage chooser, toggling a breakpoint at the
 * selection) use the session API directly: ] and g single-step with
 * dbg_session_stepi_until (every instruction counted, no breakpoint set),
 * b ends in the interpreter's break and delete. A lab step's command lines
 * go through the interpreter too, with their file and line.
 *
 * ui_tui_run() takes over the terminal (ui/term.h), runs o's -x scripts
 * and -ex commands (their output goes to the command pane), starts the
 * program stopped at its entry point unless the script already started
 * it, and returns when the user quits or a signal asks bootscope to end
 * (ui/sig.h), with the terminal restored and the tracee stopped: the
 * caller saves a --record recording, then dbg_session_free kills it. ctx->emit is replaced while the TUI runs and restored
 * afterwards.
 *
 * BOOTSCOPE_TUI_TIMING=FILE makes it write, at exit, one line per handled
 * key: the action's name and the nanoseconds from reading the key to the
 * end of the screen update (tests/tui/bench.sh uses it).
 */
#ifndef UI_TUI_H
#define UI_TUI_H

#include "batch.h"
#include "cmd.h"
#include "session.h"

/* ui_tui_run shows o->lab (bootscope --lab N) in a lab pane: the step's
 * text and questions, L runs its commands and shows each check PASS or
 * FAIL with the expected and actual values (ui/tui_lab.h). */
#define UI_TUI_LAB_PANE 1

/* Exit status: UI_EXIT_OK, or UI_EXIT_FAIL when the terminal cannot be
 * used (the message is written to stderr). */
int ui_tui_run(struct dbg_session *s, struct dbg_cmd_ctx *ctx, const struct ui_options *o);

#endif
