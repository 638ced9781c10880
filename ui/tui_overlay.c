#include "tui_overlay.h"

#include <curses.h>
#include <string.h>

#include "keymap.h"
#include "layout.h"
#include "theme.h"
#include "tui_int.h"

void ui_overlay_help(struct tui *t)
{
	t->ov = UI_OV_HELP;
	t->dirty = UI_DIRTY_ALL;
}

void ui_overlay_chooser(struct tui *t)
{
	const struct dbg_stages *st = dbg_session_stages(t->s);
	if (st->n == 0) {
		ui_tui_msg(t, true, "%s",
			   dbg_session_no_symbols(t->s) ? dbg_session_no_symbols(t->s) :
							  "no boot stages in this program");
		return;
	}
	t->ov = UI_OV_CHOOSER;
	int cur = t->m.stage;
	t->chooser_sel = cur + 1 < (int)st->n ? cur + 1 : (int)st->n - 1;
	t->dirty = UI_DIRTY_ALL;
}

void ui_overlay_close(struct tui *t)
{
	t->ov = UI_OV_NONE;
	t->dirty = UI_DIRTY_ALL;
}

/* A centred w x h box in the overlay colours, titled, its rectangle in *r;
 * NULL when curses cannot make the window. */
static WINDOW *open_box(struct tui *t, int width, int h, const char *title, struct ui_rect *r)
{
	*r = ui_layout_center(&t->lay, width, h);
	/* above the timeline bar, the status line and the key legend */
	int bottom = t->lay.rows - 3;
	if (bottom >= 3 && r->h > bottom)
		r->h = bottom;
	if (bottom >= 3 && r->y + r->h > bottom)
		r->y = bottom - r->h;
	WINDOW *w = newwin(r->h, r->w, r->y, r->x);
	if (!w)
		return NULL;
	wbkgd(w, ' ' | ui_theme_attr(UI_COLOR_OVERLAY));
	box(w, 0, 0);
	wattrset(w, ui_theme_attr(UI_COLOR_OVERLAY) | A_BOLD);
	mvwaddnstr(w, 0, 2, title, r->w - 4);
	return w;
}

/* The help's text: a row per action of the key map (its keys, then what
 * it does), then notes. */
static const char *const help_notes[] = {
	"",
	": takes every batch command, e.g. break schedinit, tbreak *0x401000, delete 2, "
	"x/8gx $rsp, x/4i $pc, print $g.goid, info g 1, info gmp, info tls, until newproc.",
	"On the : line Left Right Home End (C-a C-e) move, C-u C-k C-w cut, Up Down walk "
	"the history, Tab completes (twice: lists them), Esc cancels.",
	"The bar above the status line is the timeline: the recorded steps, stage numbers "
	"where each was reached, | the step shown. Click it to show a step; s and n go "
	"forward again.",
	"Ctrl-C interrupts a running target; at a stop it asks to quit.",
	"",
	"any key closes this help, and does nothing else",
};

#define HELP_NOTES (sizeof help_notes / sizeof help_notes[0])
#define HELP_KEYS_W 9 /* the keys' column, before what they do */
#define HELP_ITEMS_MAX 64

struct help_item {
	char keys[32]; /* "" for a note */
	const char *text;
};

/* The items: one per action (its keys together, "s i"), then the notes. */
static size_t help_items(const struct tui *t, struct help_item *it, size_t max)
{
	size_t n, k = 0;
	const struct ui_key_binding *b = ui_keymap_table(&n);
	for (size_t i = 0; i < n && k < max; i++) {
		if (b[i].lab && !t->lab_on)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= b[j].act == b[i].act;
		if (seen)
			continue;
		it[k].keys[0] = '\0';
		for (size_t j = i; j < n; j++)
			if (b[j].act == b[i].act)
				snprintf(it[k].keys + strlen(it[k].keys),
					 sizeof it[k].keys - strlen(it[k].keys), "%s%s",
					 it[k].keys[0] ? " " : "", b[j].label);
		it[k++].text = b[i].help;
	}
	for (size_t i = 0; i < HELP_NOTES && k < max; i++) {
		it[k].keys[0] = '\0';
		it[k++].text = help_notes[i];
	}
	return k;
}

/* The length of the next line of s in w columns, broken after a blank
 * where it can be; *next: where the line after it starts. */
static size_t wrap(const char *s, size_t w, const char **next)
{
	size_t len = strlen(s);
	if (len <= w) {
		*next = s + len;
		return len;
	}
	size_t cut = w;
	while (cut > w / 2 && s[cut] != ' ')
		cut--;
	if (s[cut] != ' ')
		cut = w;
	*next = s + cut + (s[cut] == ' ');
	return cut;
}

/* The rows item takes in a column cw wide. */
static int item_rows(const struct help_item *it, int cw)
{
	int x = it->keys[0] ? HELP_KEYS_W : 0;
	const char *p = it->text, *next;
	int rows = 0;
	if (!*p)
		return 1;
	while (*p) {
		/* a wrapped line of a key's text stays in its column */
		wrap(p, (size_t)(cw - x), &next);
		p = next;
		rows++;
		if (it->keys[0] == '\0')
			x = 2; /* a note's continuation, indented */
	}
	return rows;
}

/* Items in columns of cw: the rows of the tallest column (an item is
 * never split between two). */
static int columns_rows(const struct help_item *it, size_t n, int ncols, int cw)
{
	int total = 0;
	for (size_t i = 0; i < n; i++)
		total += item_rows(&it[i], cw);
	int target = (total + ncols - 1) / ncols, col = 0, rows = 0, tallest = 0;
	for (size_t i = 0; i < n; i++) {
		int r = item_rows(&it[i], cw);
		if (rows > 0 && rows + r > target && col + 1 < ncols) {
			col++;
			rows = 0;
		}
		rows += r;
		tallest = rows > tallest ? rows : tallest;
	}
	return tallest;
}

/*
 * One column 72 wide when it fits the screen; else two or three side by
 * side, the text wrapped in them. When even three do not fit, the last
 * row says that a larger terminal shows the rest.
 */
static void draw_help(struct tui *t)
{
	struct help_item it[HELP_ITEMS_MAX];
	size_t n = help_items(t, it, HELP_ITEMS_MAX);
	/* the box's inside, above the three rows at the bottom */
	int room_h = t->lay.rows - 3 - 2, ncols = 1, cw = 68, rows = 0;
	for (ncols = 1; ncols <= 3; ncols++) {
		cw = ncols == 1 ? 68 : (t->lay.cols - 2 - 2 * ncols - 2 * (ncols - 1)) / ncols;
		if (cw > 68)
			cw = 68;
		if (cw < HELP_KEYS_W + 8)
			cw = HELP_KEYS_W + 8;
		rows = columns_rows(it, n, ncols, cw);
		if (rows <= room_h || ncols == 3)
			break;
	}
	if (ncols > 3)
		ncols = 3;
	bool cut = rows > room_h;
	int width = ncols * cw + 2 * ncols + 2 * (ncols - 1) + 2;
	struct ui_rect r;
	WINDOW *w = open_box(t, width, rows + 2, " Help: bootscope keys ", &r);
	if (!w)
		return;
	int last = r.h - 2 - (cut ? 1 : 0); /* the rows for items */
	int total = 0;
	for (size_t i = 0; i < n; i++)
		total += item_rows(&it[i], cw);
	int target = (total + ncols - 1) / ncols, col = 0, y = 0;
	for (size_t i = 0; i < n; i++) {
		int need = item_rows(&it[i], cw);
		if (y > 0 && y + need > target && col + 1 < ncols) {
			col++;
			y = 0;
		}
		int x0 = 2 + col * (cw + 4);
		const char *p = it[i].text, *next;
		int x = it[i].keys[0] ? HELP_KEYS_W : 0;
		if (it[i].keys[0] && y < last) {
			wattrset(w, ui_theme_attr(UI_COLOR_OVERLAY) | A_BOLD);
			mvwaddnstr(w, 1 + y, x0, it[i].keys, HELP_KEYS_W - 1);
		}
		wattrset(w, ui_theme_attr(UI_COLOR_OVERLAY));
		if (!*p)
			y++;
		while (*p) {
			size_t l = wrap(p, (size_t)(cw - x), &next);
			if (y < last)
				mvwaddnstr(w, 1 + y, x0 + x, p, (int)l);
			p = next;
			y++;
			if (it[i].keys[0] == '\0')
				x = 2;
		}
	}
	if (cut) {
		wattrset(w, ui_theme_attr(UI_COLOR_OVERLAY) | A_BOLD);
		mvwaddnstr(w, r.h - 2, 2, "... more in a larger terminal (or man bootscope, KEYS)",
			   r.w - 4);
	}
	wnoutrefresh(w);
	delwin(w);
}

static void draw_chooser(struct tui *t)
{
	const struct dbg_stages *st = dbg_session_stages(t->s);
	int rows = (int)st->n;
	struct ui_rect r;
	WINDOW *w = open_box(t, 56, rows + 2, " Run to stage (Enter, Esc) ", &r);
	if (!w)
		return;
	int vis = r.h - 2;
	int top = t->chooser_sel - vis / 2;
	if (top > rows - vis)
		top = rows - vis;
	if (top < 0)
		top = 0;
	for (int i = 0; i < vis && top + i < rows; i++) {
		int k = top + i;
		bool reached = dbg_session_stage_reached(t->s, (size_t)k, NULL);
		attr_t a = k == t->chooser_sel ? ui_theme_attr(UI_COLOR_SELECTED) | A_BOLD :
						 ui_theme_attr(UI_COLOR_OVERLAY);
		wattrset(w, a);
		mvwhline(w, 1 + i, 1, ' ' | a, r.w - 2);
		char line[128];
		/* > is the selection (what Enter runs to), * the current
		 * stage, + a stage already reached */
		snprintf(line, sizeof line, "%s%s %2d %s%s", k == t->chooser_sel ? ">" : " ",
			 k == t->m.stage ? "*" :
			 reached         ? "+" :
					   " ",
			 k + 1, st->v[k].name, reached ? "  (restarts)" : "");
		mvwaddnstr(w, 1 + i, 2, line, r.w - 4);
	}
	wnoutrefresh(w);
	delwin(w);
}

int ui_overlay_chooser_key(struct tui *t, int ch)
{
	const struct dbg_stages *st = dbg_session_stages(t->s);
	int n = (int)st->n;
	switch (ch) {
	case KEY_UP:
	case 'k':
		t->chooser_sel--;
		break;
	case KEY_DOWN:
	case 'j':
		t->chooser_sel++;
		break;
	case KEY_PPAGE:
		t->chooser_sel -= 10;
		break;
	case KEY_NPAGE:
		t->chooser_sel += 10;
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		ui_overlay_close(t);
		return t->chooser_sel;
	case 27:
	case 'q':
	case 'g':
		ui_overlay_close(t);
		return -1;
	default:
		break;
	}
	if (t->chooser_sel >= n)
		t->chooser_sel = n - 1;
	if (t->chooser_sel < 0)
		t->chooser_sel = 0;
	t->dirty = UI_DIRTY_ALL;
	return -1;
}

void ui_overlay_draw(struct tui *t)
{
	if (t->ov == UI_OV_HELP)
		draw_help(t);
	else if (t->ov == UI_OV_CHOOSER)
		draw_chooser(t);
}
