/*
 * tui_changes — the Changes pane: what the shown step changed, as the
 * interpreter's `info changes` event says it (docs/json.md, "changes"),
 * one line per field, and the note of the last "why did this change?"
 * jump (the `w` key: for a register, a second line with the instruction
 * that changed it). The TUI runs `info changes` after every stop and
 * timeline move and hands the event here; this file only keeps its lines
 * and draws them.
 *
 *   ui_changes_event(&c, ev);          // a "changes" event
 *   ui_changes_error(&c, step, msg);   // the command failed
 *   ui_draw_changes(w, &c, focus, &view);
 */
#ifndef UI_TUI_CHANGES_H
#define UI_TUI_CHANGES_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "tui_draw.h"

#define UI_CHANGES_MAX 64

struct ui_change_line {
	char text[256]; /* "p0.runnext: 0 -> g1 (runtime.runqput)" */
	uint64_t addr, size;
};

struct ui_changes {
	bool valid;     /* the lines are of step */
	uint64_t step;  /* the step they describe */
	char head[320]; /* "0x402c4f <runtime.runqput+0x39> [runtime.newproc]" */
	char insn[256]; /* "=> xchgq %r12, 0x998(%rdi), stored from %r12", or "" */
	char msg[256];  /* instead of lines: "no recorded history …" */
	char why[512];  /* the last `w` jump: "why: p0.runnext was last written at
			   step N", shown while the pane shows why_step */
	uint64_t why_step;
	char why_what[160]; /* what it asked about ("p0.runnext", "rax") */
	char why_by[320];   /* under the why line, for a register: the
			       instruction that changed it and its source */
	size_t n;
	bool more; /* the event listed more than UI_CHANGES_MAX */
	struct ui_change_line v[UI_CHANGES_MAX];
};

/* Keep a "changes" event's lines (its text form, ui/render.c). */
void ui_changes_event(struct ui_changes *c, const struct dbg_val *ev);

/* The command failed for step: keep its message instead of lines. */
void ui_changes_error(struct ui_changes *c, uint64_t step, const char *msg);

/* The pane: the title, the step's instruction, the why note, the
 * changes with v->sel selected (clamped). */
void ui_draw_changes(WINDOW *w, const struct ui_changes *c, bool focus, struct ui_pane_view *v);

#endif
