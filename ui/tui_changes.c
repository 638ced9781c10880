#include "tui_changes.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "theme.h"
#include "tui_panes.h"

void ui_changes_event(struct ui_changes *c, const struct dbg_val *ev)
{
	const struct dbg_val *step = dbg_val_get(ev, "step");
	const struct dbg_val *cs = dbg_val_get(ev, "changes");
	char *text = ui_render_text_str(ev);

	c->valid = true;
	c->step = step && step->kind == DBG_VAL_UINT ? step->u : 0;
	if (c->step != c->why_step)
		c->why[0] = c->why_by[0] = '\0';
	c->head[0] = c->msg[0] = c->insn[0] = '\0';
	c->n = 0;
	c->more = false;
	/* the text form: the step's line, then one line per change in the
	 * event's order (ui/render.c: text_changes) */
	const struct dbg_val *e = cs && cs->kind == DBG_VAL_ARRAY ? cs->list.first : NULL;
	char *save = NULL;
	bool first = true;
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (first) {
			/* the title carries the step: "Step N: " is left out */
			const char *colon =
				strncmp(line, "Step ", 5) == 0 ? strstr(line, ": ") : NULL;
			if (e)
				snprintf(c->head, sizeof(c->head), "%s", colon ? colon + 2 : line);
			else
				snprintf(c->msg, sizeof(c->msg), "%s", line);
			first = false;
			continue;
		}
		if (!e)
			break;
		if (strncmp(line, "  => ", 5) == 0) {
			snprintf(c->insn, sizeof(c->insn), "%s", line + 2);
			continue;
		}
		if (c->n == UI_CHANGES_MAX) {
			c->more = true;
			break;
		}
		struct ui_change_line *l = &c->v[c->n++];
		while (*line == ' ')
			line++;
		snprintf(l->text, sizeof(l->text), "%s", line);
		const struct dbg_val *a = dbg_val_get(e, "addr"), *s = dbg_val_get(e, "size");
		l->addr = a && a->kind == DBG_VAL_ADDR ? a->u : 0;
		l->size = s && s->kind == DBG_VAL_UINT ? s->u : 0;
		e = e->next;
	}
	free(text);
}

void ui_changes_error(struct ui_changes *c, uint64_t step, const char *msg)
{
	c->valid = true;
	c->step = step;
	c->n = 0;
	c->more = false;
	c->head[0] = c->insn[0] = '\0';
	if (step != c->why_step)
		c->why[0] = c->why_by[0] = '\0';
	snprintf(c->msg, sizeof(c->msg), "%s", msg ? msg : "no changes known");
}

/* One row of text from column 0, cut to the window, in colour col. */
static void row(WINDOW *w, int y, enum ui_color col, attr_t extra, const char *text)
{
	int width = getmaxx(w);
	wattrset(w, ui_theme_attr(col) | extra);
	mvwhline(w, y, 0, ' ', width);
	mvwaddnstr(w, y, 1, text, width > 1 ? width - 1 : 0);
	wattrset(w, A_NORMAL);
}

void ui_draw_changes(WINDOW *w, const struct ui_changes *c, bool focus, struct ui_pane_view *v)
{
	int rows = getmaxy(w), width = getmaxx(w);
	char title[96];
	werase(w);
	if (c->valid)
		snprintf(title, sizeof title, "%s%s  step %" PRIu64 "%s", focus ? ">" : " ",
			 ui_pane_class(UI_PANE_CHANGES)->title, c->step, c->n ? "  (w: why)" : "");
	else
		snprintf(title, sizeof title, "%s%s", focus ? ">" : " ",
			 ui_pane_class(UI_PANE_CHANGES)->title);
	wattrset(w, ui_theme_attr(focus ? UI_COLOR_TITLE_FOCUS : UI_COLOR_TITLE));
	mvwhline(w, 0, 0, ' ', width);
	mvwaddnstr(w, 0, 0, title, width);
	wattrset(w, A_NORMAL);
	int y = 1;
	/* What fits, the changes first: without room for them all, the
	 * step's pc goes, then its instruction, then the why line. */
	int room = rows - 1, need = (int)c->n + (c->more ? 1 : 0);
	bool show_why = c->why[0] != '\0', show_head = true, show_insn = c->insn[0] != '\0';
	int why_rows = show_why ? 1 + (c->why_by[0] != '\0') : 0;
	if (c->valid && c->n) {
		if (need + why_rows + show_head + show_insn > room)
			show_head = false;
		if (need + why_rows + show_insn > room)
			show_insn = false;
		if (need + why_rows > room && room < 3)
			show_why = false;
	}
	if (show_why && y < rows)
		row(w, y++, UI_COLOR_STAGE, A_NORMAL, c->why);
	if (show_why && c->why_by[0] && y < rows)
		row(w, y++, UI_COLOR_NORMAL, A_NORMAL, c->why_by);
	if (!c->valid) {
		if (y < rows)
			row(w, y, UI_COLOR_DIM, A_NORMAL,
			    "recording is off or nothing is recorded yet");
		return;
	}
	if (!c->n) {
		if (y < rows)
			row(w, y, UI_COLOR_DIM, A_NORMAL, c->msg);
		return;
	}
	if (show_head && y < rows)
		row(w, y++, UI_COLOR_SYMBOL, A_NORMAL, c->head);
	if (show_insn && y < rows)
		row(w, y++, UI_COLOR_NORMAL, A_NORMAL, c->insn);
	if (v->sel >= (int)c->n)
		v->sel = (int)c->n - 1;
	if (v->sel < 0)
		v->sel = 0;
	int fit = rows - y;
	if (fit < 1)
		return;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + fit)
		v->top = v->sel - fit + 1;
	if (v->top < 0)
		v->top = 0;
	for (int i = v->top; i < (int)c->n && y < rows; i++, y++)
		row(w, y, focus && i == v->sel ? UI_COLOR_SELECTED : UI_COLOR_NORMAL, A_NORMAL,
		    c->v[i].text);
	if (c->more && y < rows)
		row(w, y, UI_COLOR_DIM, A_NORMAL, "... more (info changes lists them all)");
}
