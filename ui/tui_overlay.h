/*
 * tui_overlay — the boxes the TUI draws over its panes:
 *
 *   help     every action of the key map with its keys (the lab's only in
 *            lab mode), then notes on the `:` line and the timeline bar;
 *            in two or three columns when one does not fit the screen,
 *            its last row saying so when even three do not; any key
 *            closes it, and does nothing else
 *   chooser  the catalog's stages, the current one marked *, those already
 *            reached + (running to one restarts); Up/Down (k/j), PgUp/PgDn
 *            move the selection, Enter runs to it, Esc, q or g close it
 *
 * At most one overlay is open: struct tui's ov (ui/tui_int.h). The quit
 * question (q, Ctrl-C) counts as one, though the status line asks it
 * (ui/tui_bar.h). The open box is drawn again at every frame, after the
 * panes and above the timeline bar, status line and key legend; opening
 * or closing one redraws the whole screen.
 */
#ifndef UI_TUI_OVERLAY_H
#define UI_TUI_OVERLAY_H

enum ui_overlay {
	UI_OV_NONE,
	UI_OV_HELP,
	UI_OV_CHOOSER,
	UI_OV_QUIT, /* "quit? (y/n)" on the status line */
};

struct tui;

void ui_overlay_help(struct tui *t);

/* Open the chooser on the stage after the current one; when the program
 * has no stages, say why on the status line instead. */
void ui_overlay_chooser(struct tui *t);

void ui_overlay_close(struct tui *t);

/* Draw the open help or chooser box (wnoutrefresh; the caller updates the
 * screen). */
void ui_overlay_draw(struct tui *t);

/* A key while the chooser is open: the stage Enter chose (the chooser is
 * then closed), else -1. */
int ui_overlay_chooser_key(struct tui *t, int ch);

#endif
