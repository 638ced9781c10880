/*
 * tui_bar — the TUI's one-row bars at the bottom of the screen, and the tab
 * strip at its top:
 *
 *   timeline  the recorded steps as a track: a stage's number where it was
 *             first reached, a '*' at each system call and a '!' at each
 *             signal (syslog.h), a gap for each free run, the step shown
 *             highlighted (in the history colour when it is not the live
 *             one), and which continue is in force at the right end
 *   status    the stop (reason, pid, steps, stage, where), or HISTORY /
 *             REPLAY and the step shown, with the TUI's message at the right;
 *             the `:` line while it is open; the quit question after Ctrl-C
 *   legend    the keys that fit, from the key map (ui/keymap.h)
 *   tabs      TABS mode: every pane's title, the two on screen highlighted
 *
 * Each ui_bar_draw_* function draws its bar into its window of struct tui
 * (ui/tui_int.h), which must exist, and leaves the refresh to the caller
 * (wnoutrefresh). The timeline track maps a screen column to a step for
 * clicks, and its cell to a number of steps for { and }.
 */
#ifndef UI_TUI_BAR_H
#define UI_TUI_BAR_H

#include <stdbool.h>
#include <stdint.h>

struct tui;

void ui_bar_draw_timeline(struct tui *t);
void ui_bar_draw_status(struct tui *t);
void ui_bar_draw_legend(struct tui *t);
void ui_bar_draw_tabs(struct tui *t);

/* The first step of the track cell at screen column x (a click on a stage
 * mark lands on that stage's step); false when nothing is recorded or x is
 * off the track. */
bool ui_bar_step_at(const struct tui *t, int x, uint64_t *step);

/* How many steps one cell of the track spans (at least 1). */
uint64_t ui_bar_cell(const struct tui *t);

#endif
