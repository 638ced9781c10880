#include "keymap.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)

/* Display order, most used first: the legend shows as many as fit, so
 * at 80 columns it still ends with the command line, help and quit. */
static const struct ui_key_binding bindings[] = {
	{ 's', UI_ACT_STEP, "s", "step one instruction (stepi)", "step", false },
	{ 'i', UI_ACT_STEP, "i", "step one instruction (stepi)", NULL, false },
	{ 'n', UI_ACT_NEXT, "n", "step over a call (nexti)", "next", false },
	{ 'o', UI_ACT_NEXT, "o", "step over a call (nexti)", NULL, false },
	{ 'c', UI_ACT_CONT, "c", "continue to a breakpoint or the end", "cont", false },
	{ 'f', UI_ACT_FINISH, "f", "run to the return of this function", "finish", false },
	{ ']', UI_ACT_NEXT_STAGE, "]", "single-step to the next boot stage (exact count)", "stage",
	  false },
	/* "L lab" still lets ": cmd  ? help  q quit" fit at 80 columns */
	{ 'L', UI_ACT_LAB_RUN, "L",
	  "lab: check this step where you are, and grade its answers (also Enter on the lab)",
	  "lab", true },
	{ 'b', UI_ACT_BREAK, "b", "toggle a breakpoint at the selected stage or code line", "break",
	  false },
	{ ':', UI_ACT_COMMAND, ":",
	  "command line: any batch command (break, x/8gx $rsp, info g 1 ...)", "cmd", false },
	{ '?', UI_ACT_HELP, "?", "this help", "help", false },
	{ 'q', UI_ACT_QUIT, "q", "quit (asks first if a program or recording is lost)", "quit",
	  false },
	/* after quit: at 80 columns the legend ends with it */
	{ 'S', UI_ACT_RSTEP, "S", "step one instruction back (reverse-stepi)", "back", false },
	{ 'N', UI_ACT_RNEXT, "N", "step back over a call (reverse-nexti)", NULL, false },
	{ 'a', UI_ACT_LAB_ANSWER, "a",
	  "lab: answer the selected question (Up/Down: another one, Enter: keep it)", NULL, true },
	{ 'D', UI_ACT_LAB_DEMO, "D", "lab: replay this step's own commands (a teacher's demo)",
	  NULL, true },
	{ '>', UI_ACT_LAB_NEXT, ">", "lab: show the next step", "next-step", true },
	{ '<', UI_ACT_LAB_PREV, "<", "lab: show the previous step", "prev-step", true },
	{ '{', UI_ACT_TL_BACK, "{", "timeline: one bar cell back (< too, outside lab mode)", NULL,
	  false },
	{ '}', UI_ACT_TL_FWD, "}", "timeline: one bar cell on (> too, outside lab mode)", NULL,
	  false },
	{ 'g', UI_ACT_GOTO_STAGE, "g", "choose a stage and single-step to it (exact count)", "goto",
	  false },
	{ 't', UI_ACT_THREAD_NEXT, "t", "switch to the next thread (thread TID)", NULL, false },
	{ 'v', UI_ACT_SOURCE_MIX, "v",
	  "code pane: show source lines between the instructions; G/M/P pane: draw its diagram (again: off)",
	  NULL, false },
	{ 'z', UI_ACT_ZOOM, "z", "zoom: the focused pane fills the screen (again: back)", NULL,
	  false },
	{ 'w', UI_ACT_WHY, "w",
	  "why did this change? go back to the step that last wrote the selected field or slot (Changes, TLS/g, G/M/P, Stack) or changed the selected register",
	  NULL, false },
	{ 'r', UI_ACT_RESTART, "r", "restart, stopped at the entry point", "restart", false },
	{ '\t', UI_ACT_FOCUS_NEXT, "Tab", "focus the next pane", "pane", false },
	{ KEY_BTAB, UI_ACT_FOCUS_PREV, "S-Tab", "focus the previous pane", NULL, false },
	{ KEY_UP, UI_ACT_UP, "Up", "scroll or move the selection up", NULL, false },
	{ 'k', UI_ACT_UP, "k", "scroll or move the selection up", NULL, false },
	{ KEY_DOWN, UI_ACT_DOWN, "Down", "scroll or move the selection down", NULL, false },
	{ 'j', UI_ACT_DOWN, "j", "scroll or move the selection down", NULL, false },
	{ KEY_LEFT, UI_ACT_LEFT, "Left", "the selection a column left (G/M/P fields, registers)",
	  NULL, false },
	{ KEY_RIGHT, UI_ACT_RIGHT, "Right", "the selection a column right", NULL, false },
	{ KEY_PPAGE, UI_ACT_PAGE_UP, "PgUp", "scroll a page up", NULL, false },
	{ KEY_NPAGE, UI_ACT_PAGE_DOWN, "PgDn", "scroll a page down", NULL, false },
	{ KEY_HOME, UI_ACT_HOME, "Home", "back to the pc (or the top)", NULL, false },
	{ KEY_END, UI_ACT_END, "End", "to the end (newest output)", NULL, false },
	{ CTRL('l'), UI_ACT_REDRAW, "C-l", "redraw the screen", NULL, false },
};

static const char *const commands[UI_ACT_COUNT] = {
	[UI_ACT_STEP] = "stepi",          [UI_ACT_NEXT] = "nexti",
	[UI_ACT_CONT] = "continue",       [UI_ACT_FINISH] = "finish",
	[UI_ACT_RESTART] = "starti",      [UI_ACT_RSTEP] = "reverse-stepi",
	[UI_ACT_RNEXT] = "reverse-nexti",
};

enum ui_action ui_keymap_lookup(int key, bool lab)
{
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		if (bindings[i].key != key)
			continue;
		if (bindings[i].lab && !lab)
			return bindings[i].act == UI_ACT_LAB_PREV ? UI_ACT_TL_BACK :
			       bindings[i].act == UI_ACT_LAB_NEXT ? UI_ACT_TL_FWD :
								    UI_ACT_NONE;
		return bindings[i].act;
	}
	return UI_ACT_NONE;
}

const char *ui_action_command(enum ui_action a)
{
	if ((int)a < 0 || a >= UI_ACT_COUNT)
		return NULL;
	return commands[a];
}

const struct ui_key_binding *ui_keymap_table(size_t *n)
{
	*n = sizeof bindings / sizeof bindings[0];
	return bindings;
}

/* One legend entry "KEY word" appended to buf, two spaces after the
 * last; false when it does not fit width (or n). */
static bool legend_add(char *buf, size_t n, size_t *len, int width, const struct ui_key_binding *b)
{
	/* "s step" plus two spaces of separation before it */
	size_t add = (*len ? 2 : 0) + strlen(b->label) + 1 + strlen(b->legend);
	if (*len + add > (size_t)(width > 0 ? width : 0) || *len + add + 1 > n)
		return false;
	*len += (size_t)snprintf(buf + *len, n - *len, "%s%s %s", *len ? "  " : "", b->label,
				 b->legend);
	return true;
}

size_t ui_keymap_legend(char *buf, size_t n, int width, bool lab)
{
	/* In lab mode the keys a lab step asks for come first, so that they
	 * stay on an 80-column screen: the step keys, ] and s and c to do
	 * what the text says, the command line, help and quit. */
	static const char lab_first[] = "><L]sc:?q";
	bool done[sizeof bindings / sizeof bindings[0]] = { false };
	size_t len = 0;
	if (n == 0)
		return 0;
	buf[0] = '\0';
	for (const char *k = lab ? lab_first : ""; *k; k++)
		for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
			const struct ui_key_binding *b = &bindings[i];
			if (b->key != *k || !b->legend)
				continue;
			if (!legend_add(buf, n, &len, width, b))
				return len;
			done[i] = true;
			break;
		}
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		const struct ui_key_binding *b = &bindings[i];
		if (done[i] || !b->legend || (b->lab && !lab))
			continue;
		if (!legend_add(buf, n, &len, width, b))
			break;
	}
	return len;
}
