/*
 * tui_act — the TUI's own actions: the keys whose work is more than one
 * interpreter command (ui_action_command, ui/keymap.h, has none for them).
 * Each runs its commands through the interpreter as the `:` line would
 * (ui_tui_run_cmd, ui/tui_int.h) and reports on the status line and in the
 * command pane.
 *
 *   ]      ui_act_next_stage   single-step to the next stage of the catalog
 *   g      ui_act_goto_stage   single-step to the stage the chooser chose
 *   t      ui_act_next_thread  the next traced thread becomes current
 *   { }    ui_act_tl_move      the timeline view moves one bar cell
 *                              (< > too, outside lab mode)
 *   click  ui_act_tl_goto      the timeline bar shows the step clicked
 *   L D a > <  ui_act_lab      check the lab step on show where the student
 *                              is (L), replay its commands (D, a demo),
 *                              answer its selected question (a); the next,
 *                              previous
 *
 * A stage run steps every instruction, so each stage it passes gets an
 * exact step count; its progress shows on the status line and the command
 * pane says how it ended. The lab's L runs the step's command lines with
 * their file and line; when the process is no longer where the step before
 * left it, the lab starts again and replays the steps before.
 */
#ifndef UI_TUI_ACT_H
#define UI_TUI_ACT_H

#include <stdint.h>

#include "keymap.h"

struct tui;

void ui_act_next_stage(struct tui *t);
/* Stage i of the catalog (restarting first when it is behind us); nothing
 * for an i out of the catalog. */
void ui_act_goto_stage(struct tui *t, int i);
void ui_act_next_thread(struct tui *t);
/* dir < 0: back, else forward. */
void ui_act_tl_move(struct tui *t, int dir);
void ui_act_tl_goto(struct tui *t, uint64_t step);
/* w: "why did this change?" — go to the step that last wrote the field
 * selected in the Changes pane (before the step shown), the row selected
 * in the TLS / g pane (fs:-8, g.m, m.g0, m.curg, m.p; fs_base: its last
 * change), the field selected in the G/M/P tables, the slot selected in
 * the Stack pane, or that last changed the register selected in the
 * Registers pane; the Changes pane then shows that step's instruction
 * and where its value came from. Again on the same thing at that step:
 * the change before. */
void ui_act_why(struct tui *t);
/* a: UI_ACT_LAB_RUN, UI_ACT_LAB_NEXT or UI_ACT_LAB_PREV. */
void ui_act_lab(struct tui *t, enum ui_action a);
/* A key while the lab's answer line (a) is open: the editor's keys; Up and
 * Down choose another question of the step; Enter keeps the answer for
 * L to grade. */
void ui_act_lab_answer_key(struct tui *t, int ch);

#endif
