#include "tui_edit.h"

#include <stdio.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)

void ui_edit_open(struct ui_edit *e)
{
	e->open = true;
	e->len = e->pos = e->off = 0;
	e->text[0] = '\0';
	e->tabs = 0;
	e->hist_pos = e->nhist;
}

bool ui_edit_remember(struct ui_edit *e, const char *line)
{
	int oldest = e->nhist > UI_EDIT_HISTORY ? e->nhist - UI_EDIT_HISTORY : 0;
	if (!line[0] ||
	    (e->nhist > 0 && strcmp(e->history[(e->nhist - 1) % UI_EDIT_HISTORY], line) == 0))
		return false;
	/* an older copy goes: the line moves to the newest place */
	for (int i = e->nhist - 2; i >= oldest; i--) {
		if (strcmp(e->history[i % UI_EDIT_HISTORY], line) != 0)
			continue;
		for (int j = i; j + 1 < e->nhist; j++)
			memcpy(e->history[j % UI_EDIT_HISTORY],
			       e->history[(j + 1) % UI_EDIT_HISTORY], UI_EDIT_MAX);
		e->nhist--;
		break;
	}
	snprintf(e->history[e->nhist % UI_EDIT_HISTORY], UI_EDIT_MAX, "%s", line);
	e->nhist++;
	e->hist_pos = e->nhist;
	return true;
}

static bool enter(struct ui_edit *e)
{
	e->open = false;
	e->text[e->len] = '\0';
	e->added = ui_edit_remember(e, e->text);
	return true;
}

/* Up (dir -1) and Down (+1): the previous or next line of the history;
 * past the newest, the line that was being typed. */
static void recall(struct ui_edit *e, int dir)
{
	int oldest = e->nhist > UI_EDIT_HISTORY ? e->nhist - UI_EDIT_HISTORY : 0;
	int h = e->hist_pos + dir;
	if (h < oldest || h > e->nhist)
		return;
	if (e->hist_pos == e->nhist) {
		memcpy(e->draft, e->text, e->len);
		e->draft[e->len] = '\0';
	}
	e->hist_pos = h;
	const char *src = h == e->nhist ? e->draft : e->history[h % UI_EDIT_HISTORY];
	e->len = e->pos = strlen(src);
	memmove(e->text, src, e->len + 1);
}

/* Remove the bytes from a to b (a <= b <= len); the cursor at a. */
static void cut(struct ui_edit *e, size_t a, size_t b)
{
	memmove(e->text + a, e->text + b, e->len - b);
	e->len -= b - a;
	e->pos = a;
	e->text[e->len] = '\0';
}

void ui_edit_replace(struct ui_edit *e, size_t start, const char *s, size_t n)
{
	if (start > e->pos)
		return;
	cut(e, start, e->pos);
	if (n > UI_EDIT_MAX - 1 - e->len)
		n = UI_EDIT_MAX - 1 - e->len;
	memmove(e->text + e->pos + n, e->text + e->pos, e->len - e->pos);
	memcpy(e->text + e->pos, s, n);
	e->pos += n;
	e->len += n;
	e->text[e->len] = '\0';
}

bool ui_edit_key(struct ui_edit *e, int ch)
{
	e->tabs = ch == '\t' ? e->tabs + 1 : 0;
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
	case CTRL('h'):
		if (e->pos > 0)
			cut(e, e->pos - 1, e->pos);
		else if (e->len == 0)
			e->open = false;
		break;
	case KEY_DC:
	case CTRL('d'):
		if (e->pos < e->len)
			cut(e, e->pos, e->pos + 1);
		break;
	case KEY_LEFT:
	case CTRL('b'):
		if (e->pos > 0)
			e->pos--;
		break;
	case KEY_RIGHT:
	case CTRL('f'):
		if (e->pos < e->len)
			e->pos++;
		break;
	case KEY_HOME:
	case CTRL('a'):
		e->pos = 0;
		break;
	case KEY_END:
	case CTRL('e'):
		e->pos = e->len;
		break;
	case CTRL('u'):
		cut(e, 0, e->pos);
		break;
	case CTRL('k'):
		cut(e, e->pos, e->len);
		e->pos = e->len;
		break;
	case CTRL('w'): {
		/* the blanks before the cursor, then the word before them */
		size_t a = e->pos;
		while (a > 0 && e->text[a - 1] == ' ')
			a--;
		while (a > 0 && e->text[a - 1] != ' ')
			a--;
		cut(e, a, e->pos);
		break;
	}
	case KEY_UP:
	case CTRL('p'):
		recall(e, -1);
		break;
	case KEY_DOWN:
	case CTRL('n'):
		recall(e, 1);
		break;
	default:
		if (ch >= 0x20 && ch < 0x7f && e->len + 1 < UI_EDIT_MAX) {
			char c = (char)ch;
			ui_edit_replace(e, e->pos, &c, 1);
		}
		break;
	}
	return false;
}

void ui_edit_draw(struct ui_edit *e, WINDOW *w)
{
	ui_edit_draw_prompt(e, w, ":");
}

void ui_edit_draw_prompt(struct ui_edit *e, WINDOW *w, const char *prompt)
{
	int width = getmaxx(w);
	int plen = (int)strlen(prompt);
	/* columns plen .. width-2 hold text; the last one the cursor at the
	 * end or a `>` */
	size_t room = width > plen + 2 ? (size_t)(width - plen - 1) : 1;
	if (e->pos < e->off)
		e->off = e->pos;
	if (e->pos > e->off + room)
		e->off = e->pos - room;
	/* shorter again (a cut): show as much as fits */
	if (e->off > 0 && e->len < e->off + room)
		e->off = e->len > room ? e->len - room : 0;
	if (e->off > e->pos)
		e->off = e->pos;
	wmove(w, 0, 0);
	wclrtoeol(w);
	mvwaddstr(w, 0, 0, prompt);
	if (e->off > 0)
		mvwaddch(w, 0, plen - 1, '<');
	wmove(w, 0, plen);
	size_t shown = e->len - e->off < room ? e->len - e->off : room;
	waddnstr(w, e->text + e->off, (int)shown);
	if (e->off + shown < e->len)
		mvwaddch(w, 0, width - 1, '>');
	wmove(w, 0, plen + (int)(e->pos - e->off));
}
