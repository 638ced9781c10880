#include "tui_edit.h"

#include <stdio.h>
#include <string.h>

void ui_edit_open(struct ui_edit *e)
{
	e->open = true;
	e->len = e->pos = 0;
	e->hist_pos = e->nhist;
}

static bool enter(struct ui_edit *e)
{
	e->open = false;
	e->text[e->len] = '\0';
	if (e->len == 0)
		return true;
	if (e->nhist == 0 || strcmp(e->history[(e->nhist - 1) % UI_EDIT_HISTORY], e->text)) {
		snprintf(e->history[e->nhist % UI_EDIT_HISTORY], UI_EDIT_MAX, "%s", e->text);
		e->nhist++;
	}
	return true;
}

/* Up (dir -1) and Down (+1): the previous or next line of the history;
 * past the newest, an empty line. */
static void recall(struct ui_edit *e, int dir)
{
	int oldest = e->nhist > UI_EDIT_HISTORY ? e->nhist - UI_EDIT_HISTORY : 0;
	int h = e->hist_pos + dir;
	if (h < oldest || h > e->nhist)
		return;
	e->hist_pos = h;
	if (h == e->nhist)
		e->text[0] = '\0';
	else
		snprintf(e->text, UI_EDIT_MAX, "%s", e->history[h % UI_EDIT_HISTORY]);
	e->len = e->pos = strlen(e->text);
}

bool ui_edit_key(struct ui_edit *e, int ch)
{
	switch (ch) {
	case 27: /* Esc */
		e->open = false;
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		return enter(e);
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (e->pos > 0) {
			memmove(e->text + e->pos - 1, e->text + e->pos, e->len - e->pos);
			e->pos--;
			e->len--;
		} else if (e->len == 0) {
			e->open = false;
		}
		break;
	case KEY_DC:
		if (e->pos < e->len) {
			memmove(e->text + e->pos, e->text + e->pos + 1, e->len - e->pos - 1);
			e->len--;
		}
		break;
	case KEY_LEFT:
		if (e->pos > 0)
			e->pos--;
		break;
	case KEY_RIGHT:
		if (e->pos < e->len)
			e->pos++;
		break;
	case KEY_HOME:
	case 'a' & 0x1f:
		e->pos = 0;
		break;
	case KEY_END:
	case 'e' & 0x1f:
		e->pos = e->len;
		break;
	case 'u' & 0x1f:
		e->len = e->pos = 0;
		break;
	case KEY_UP:
	case KEY_DOWN:
		recall(e, ch == KEY_UP ? -1 : 1);
		break;
	default:
		if (ch >= 0x20 && ch < 0x7f && e->len + 1 < UI_EDIT_MAX) {
			memmove(e->text + e->pos + 1, e->text + e->pos, e->len - e->pos);
			e->text[e->pos++] = (char)ch;
			e->len++;
		}
		break;
	}
	return false;
}

void ui_edit_draw(const struct ui_edit *e, WINDOW *w)
{
	int width = getmaxx(w);
	mvwaddstr(w, 0, 0, ":");
	/* the end of long input stays visible */
	size_t off = e->len + 2 > (size_t)width ? e->len + 2 - (size_t)width : 0;
	waddnstr(w, e->text + off, width - 1);
	wmove(w, 0, 1 + (int)(e->pos - off));
}
