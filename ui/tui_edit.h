/*
 * tui_edit — the TUI's `:` command line: a one-line editor with a history
 * of the lines entered, drawn on the status line.
 *
 *   ui_edit_open(&e);                  // `:` pressed: an empty line
 *   if (ui_edit_key(&e, ch) && e.len)  // Enter: e.text is the line
 *           run(e.text);
 *   ui_edit_draw(&e, status_window);   // ":" and the text, the cursor in it
 *
 * Keys (readline's): printable ASCII inserts at the cursor; Left (Ctrl-B),
 * Right (Ctrl-F), Home (Ctrl-A), End (Ctrl-E) move it; Backspace (Ctrl-H)
 * and Delete (Ctrl-D) remove a character; Ctrl-U removes what is before
 * the cursor, Ctrl-K what is after it, Ctrl-W the word before it; Up
 * (Ctrl-P) and Down (Ctrl-N) walk the history (the last UI_EDIT_HISTORY
 * lines entered, each once: a line entered again moves to the newest; past the
 * newest, the line being typed). Esc, or Backspace on an empty line,
 * closes the line without running it. Tab is the caller's (completion):
 * ui_edit_key ignores it, and e.tabs counts the Tabs in a row.
 *
 * A line longer than the window scrolls sideways to keep the cursor in
 * view, with `<` and `>` where text is hidden.
 *
 * Everything lives in struct ui_edit: no allocation, no files (the TUI
 * keeps the history in BOOTSCOPE_HISTORY through ui_edit_remember).
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
	size_t off;      /* the first byte shown (ui_edit_draw) */
	int tabs;        /* Tabs pressed in a row, the last key included */
	char history[UI_EDIT_HISTORY][UI_EDIT_MAX];
	int nhist;               /* lines ever entered; line i is at
				       history[i % UI_EDIT_HISTORY] */
	int hist_pos;            /* the line Up and Down recalled */
	bool added;              /* the last Enter added its line to the history */
	char draft[UI_EDIT_MAX]; /* the line typed before Up, back after Down */
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

/* Add line to the history as Enter would (not when empty or the same
 * as the newest): true when added. */
bool ui_edit_remember(struct ui_edit *e, const char *line);

/* Replace the bytes from start to the cursor by the n bytes of s, the
 * cursor after them (completion); what does not fit is left out. */
void ui_edit_replace(struct ui_edit *e, size_t start, const char *s, size_t n);

/* Draw ":" and the text on row 0 of w, erasing what was there, scrolled
 * to keep the cursor in view, and put w's cursor where e's is. */
void ui_edit_draw(struct ui_edit *e, WINDOW *w);
/* The same after another prompt than ":" ("answer 1.2: "). */
void ui_edit_draw_prompt(struct ui_edit *e, WINDOW *w, const char *prompt);

#endif
