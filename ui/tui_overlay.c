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
	WINDOW *w = newwin(r->h, r->w, r->y, r->x);
	if (!w)
		return NULL;
	wbkgd(w, ' ' | ui_theme_attr(UI_COLOR_OVERLAY));
	box(w, 0, 0);
	wattrset(w, ui_theme_attr(UI_COLOR_OVERLAY) | A_BOLD);
	mvwaddnstr(w, 0, 2, title, r->w - 4);
	return w;
}

static void draw_help(struct tui *t)
{
	size_t n;
	const struct ui_key_binding *b = ui_keymap_table(&n);
	static const char *const extra[] = {
		"",
		": takes every batch command, e.g.",
		"  break schedinit   tbreak *0x401000   delete 2",
		"  x/8gx $rsp   x/4i $pc   print $g.goid   info g 1",
		"  info gmp   info tls   info stack   until newproc",
		"  keys: Left Right Home End (C-a C-e) move; C-u C-k C-w cut;",
		"  Up Down: history; Tab completes (twice: lists); Esc cancels",
		"The bar above the status line is the timeline: the recorded",
		"steps, stage numbers where each was reached, | the step shown.",
		"Click it to show a step; s and n go forward again.",
		"Ctrl-C interrupts a running target; at a stop it asks to quit.",
		"",
		"any key closes this help, and does nothing else",
	};
	size_t actions = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i].lab && !t->lab_on)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= b[j].act == b[i].act;
		actions += !seen;
	}
	int h = (int)actions + (int)(sizeof extra / sizeof extra[0]) + 2;
	struct ui_rect r;
	WINDOW *w = open_box(t, 72, h, " Help: bootscope keys ", &r);
	if (!w)
		return;
	int y = 1;
	for (size_t i = 0; i < n && y < r.h - 1; i++) {
		if (b[i].lab && !t->lab_on)
			continue;
		/* one row per action: its keys together ("s i") */
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= b[j].act == b[i].act;
		if (seen)
			continue;
		char keys[32] = "";
		for (size_t j = i; j < n; j++)
			if (b[j].act == b[i].act)
				snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s",
					 keys[0] ? " " : "", b[j].label);
		wattrset(w, ui_theme_attr(UI_COLOR_OVERLAY) | A_BOLD);
		mvwaddnstr(w, y, 2, keys, r.w - 4);
		wattrset(w, ui_theme_attr(UI_COLOR_OVERLAY));
		mvwaddnstr(w, y, 14, b[i].help, r.w - 16);
		y++;
	}
	for (size_t i = 0; i < sizeof extra / sizeof extra[0] && y < r.h - 1; i++, y++)
		mvwaddnstr(w, y, 2, extra[i], r.w - 4);
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
