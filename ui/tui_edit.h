/*
 * tui_edit — the TUI's `:` command line: a one-line editor with a history
 * of the lines entered, drawn on the status line.
 *
 *   ui_edit_open(&e);                  // `:` pressed: an empty line
 *   if (ui_edit_key(&e, ch) && e.len)  // Enter: e.text is the line
 *           run(e.text);
 *   ui_edit_draw(&e, status_window);   // ":" and the text, the cursor in it
 *
 * Keys: printable ASCII inserts at the cursor; Left, Right, Home (Ctrl-A),
 * End (Ctrl-E) move it; Backspace and Delete remove a character; Ctrl-U
 * empties the line; Up and Down walk the history (the last UI_EDIT_HISTORY
 * lines entered; past the newest, an empty line). Esc, or Backspace on an
 * empty line, closes the line without running it.
 *
 * Everything lives in struct ui_edit: no allocation.
 */
#ifndef UI_TUI_EDIT_H
#define UI_TUI_EDIT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#define UI_EDIT_MAX 512
#define UI_EDIT_HISTORY 64

struct ui_edit {
	bool open; /* shown, and taking the keys */
	char text[UI_EDIT_MAX];
	size_t len, pos; /* bytes of text, the cursor's offset */
	char history[UI_EDIT_HISTORY][UI_EDIT_MAX];
	int nhist;    /* lines ever entered; line i is at
				       history[i % UI_EDIT_HISTORY] */
	int hist_pos; /* the line Up and Down recalled */
};

/* Open an empty line, the history walk at its end. */
void ui_edit_open(struct ui_edit *e);

/*
 * One key while the line is open. True on Enter: the line is closed, text
 * is NUL-terminated, and a line that is not empty and not the same as the
 * newest in the history is added to it. False otherwise (the line may have
 * closed: Esc, Backspace on an empty line).
 */
bool ui_edit_key(struct ui_edit *e, int ch);

/* Draw ":" and the text on row 0 of w, from the column that keeps the end
 * of a long line in view, and put w's cursor where e's is. */
void ui_edit_draw(const struct ui_edit *e, WINDOW *w);

#endif
