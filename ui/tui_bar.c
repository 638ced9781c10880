#include "tui_bar.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "keymap.h"
#include "theme.h"
#include "timeline.h"
#include "tui_int.h"

/* The status message, right-aligned after the n columns of the line. */
static void draw_msg(struct tui *t, WINDOW *w, attr_t a, int n, int width)
{
	if (t->msg[0] && n + 3 < width) {
		int len = (int)strlen(t->msg);
		int room = width - n - 3;
		int x = len < room ? width - len - 1 : n + 2;
		wattrset(w, t->msg_err ? ui_theme_attr(UI_COLOR_ERROR) : a);
		mvwaddnstr(w, 0, x, t->msg, room);
	}
}

/* Which continue is in force, at the bar's right end: every instruction
 * recorded, or one jump per free run. */
static const char *rc_label(const struct tui *t)
{
	struct dbg_tl_info in = { 0 };
	struct dbg_timeline *tl = dbg_session_timeline(t->s);
	if (tl)
		dbg_tl_info(tl, &in);
	return in.enabled && in.full ? "record-continue on " : "record-continue off ";
}

/* The timeline bar's track: its first column and width, for drawing and
 * for mapping a click to a step. */
static void tl_track(const struct tui *t, int *x0, int *w)
{
	int width = t->tline ? getmaxx(t->tline) : 0;
	char l[32], r[32];
	int nl = snprintf(l, sizeof l, " steps %" PRIu64 " ", t->m.tl_first);
	int nr = snprintf(r, sizeof r, " %" PRIu64 " ", t->m.tl_last) + (int)strlen(rc_label(t));
	*x0 = nl;
	*w = width - nl - nr;
}

/* The column of step on a track w columns wide from first to last. */
static int tl_col(uint64_t step, uint64_t first, uint64_t last, int w)
{
	if (last <= first || w <= 1 || step <= first)
		return 0;
	if (step >= last)
		return w - 1;
	return (int)((step - first) * (uint64_t)(w - 1) / (last - first));
}

bool ui_bar_step_at(const struct tui *t, int x, uint64_t *step)
{
	int x0, w;
	tl_track(t, &x0, &w);
	const struct ui_model *m = &t->m;
	if (!m->have_tl || w < 2 || x < x0 || x >= x0 + w)
		return false;
	/* the cell's first step, so a click on a mark lands on it */
	uint64_t span = m->tl_last - m->tl_first;
	*step = m->tl_first + ((uint64_t)(x - x0) * span + (uint64_t)(w - 2)) / (uint64_t)(w - 1);
	if (*step > m->tl_last)
		*step = m->tl_last;
	return true;
}

uint64_t ui_bar_cell(const struct tui *t)
{
	int x0, w;
	tl_track(t, &x0, &w);
	uint64_t span = t->m.tl_last - t->m.tl_first;
	uint64_t cell = w > 1 ? span / (uint64_t)(w - 1) : span;
	return cell ? cell : 1;
}

/*
 * One row: " steps FIRST [track] LAST" where the track spans the recorded
 * steps, a stage's number marks the step where it was first reached, and
 * the step shown is a highlighted cell (in the history colour when it is
 * not the live one).
 */
void ui_bar_draw_timeline(struct tui *t)
{
	WINDOW *w = t->tline;
	const struct ui_model *m = &t->m;
	werase(w);
	if (!m->have_tl) {
		wattrset(w, ui_theme_attr(UI_COLOR_DIM));
		mvwaddnstr(w, 0, 0,
			   " timeline: nothing recorded yet (s steps and records; S steps back)",
			   getmaxx(w));
		wattrset(w, A_NORMAL);
		return;
	}
	int x0, tw;
	tl_track(t, &x0, &tw);
	if (tw < 4)
		return;
	wattrset(w, ui_theme_attr(UI_COLOR_DIM));
	mvwprintw(w, 0, 0, " steps %" PRIu64 " ", m->tl_first);
	/* plain dashes: they read the same in any terminal and capture */
	mvwhline(w, 0, x0, '-', tw);
	mvwprintw(w, 0, x0 + tw, " %" PRIu64 " %s", m->tl_last, rc_label(t));
	struct dbg_timeline *tl = dbg_session_timeline(t->s);
	const struct dbg_stages *st = dbg_session_stages(t->s);
	/* a free run is one step: a gap in the line */
	const uint64_t *jumps;
	size_t nj = tl ? dbg_tl_jumps(tl, &jumps) : 0;
	for (size_t i = 0; i < nj; i++) {
		if (jumps[i] <= m->tl_first || jumps[i] > m->tl_last)
			continue;
		/* the columns between the step before the run and its end */
		int a = tl_col(jumps[i] - 1, m->tl_first, m->tl_last, tw);
		int b = tl_col(jumps[i], m->tl_first, m->tl_last, tw);
		if (b - a <= 1)
			mvwaddch(w, 0, x0 + b, ' ');
		for (int x = a + 1; x < b; x++)
			mvwaddch(w, 0, x0 + x, ' ');
	}
	/* each system call a '*', a signal a '!' (under the stage marks) */
	const struct dbg_sys_event *ev;
	size_t nev = dbg_session_syscalls(t->s, &ev);
	for (size_t i = 0; i < nev; i++) {
		uint64_t at = ev[i].step & ~DBG_STEPS_INEXACT;
		if (at < m->tl_first || at > m->tl_last)
			continue;
		bool sig = ev[i].kind == DBG_SYS_SIGNAL;
		wattrset(w, ui_theme_attr(sig ? UI_COLOR_ERROR : UI_COLOR_SYSCALL));
		mvwaddch(w, 0, x0 + tl_col(at, m->tl_first, m->tl_last, tw), sig ? '!' : '*');
	}
	wattrset(w, ui_theme_attr(UI_COLOR_TL_MARK));
	for (size_t i = 0; i < st->n; i++) {
		uint64_t at;
		bool got = tl && dbg_tl_stage_first(tl, i, &at);
		if (!got && !m->history && !m->replay)
			got = dbg_session_stage_reached(t->s, i, &at);
		if (!got || at < m->tl_first || at > m->tl_last)
			continue;
		/* stage numbers as in the stages pane, 1-9 then a-z */
		int k = (int)i + 1;
		chtype c = k < 10 ? (chtype)('0' + k) : k < 36 ? (chtype)('a' + k - 10) : '+';
		mvwaddch(w, 0, x0 + tl_col(at, m->tl_first, m->tl_last, tw), c);
	}
	int vx = x0 + tl_col(m->steps, m->tl_first, m->tl_last, tw);
	chtype vc = mvwinch(w, 0, vx) & A_CHARTEXT;
	wattrset(w, ui_theme_attr(m->history || m->replay ? UI_COLOR_HISTORY : UI_COLOR_PC));
	mvwaddch(w, 0, vx, vc == '-' ? '|' : vc);
	wattrset(w, A_NORMAL);
}

void ui_bar_draw_status(struct tui *t)
{
	WINDOW *w = t->status;
	attr_t a = ui_theme_attr(UI_COLOR_STATUS);
	wbkgdset(w, ' ' | a);
	werase(w);
	wattrset(w, a);
	int width = getmaxx(w);
	if (t->edit.open) {
		ui_edit_draw(&t->edit, w);
		return;
	}
	if (t->ov == UI_OV_QUIT) {
		wattrset(w, ui_theme_attr(UI_COLOR_ERROR));
		mvwaddnstr(w, 0, 0, " quit? (y/n) ", width);
		if (t->quit_why[0] && width > 13) {
			wattrset(w, a);
			mvwaddnstr(w, 0, 13, t->quit_why, width - 13);
		}
		return;
	}
	const struct ui_model *m = &t->m;
	const struct dbg_stages *st = dbg_session_stages(t->s);
	char line[512], sym[128], thr[48] = "";
	/* where the current thread is (thread TID moves it off the stop),
	 * and which thread that is when there are several */
	uint64_t pc = m->have_regs ? m->regs.rip : m->stop.pc;
	if (m->tid && m->nthreads_all > 1 && m->tid_m >= 0)
		snprintf(thr, sizeof thr, " | thread %d m%" PRId64, (int)m->tid, m->tid_m);
	else if (m->tid && m->nthreads_all > 1)
		snprintf(thr, sizeof thr, " | thread %d", (int)m->tid);
	const char *reason = dbg_stop_reason_name(m->stop.reason);
	int n;
	if (!m->live && m->stop.reason == DBG_STOP_EXITED)
		n = snprintf(line, sizeof line, " exited (code %d)", m->stop.code);
	else if (!m->live && m->stop.reason == DBG_STOP_SIGNALED)
		n = snprintf(line, sizeof line, " killed by signal %d", m->stop.signo);
	else if (!m->live)
		n = snprintf(line, sizeof line, " not running (r starts it)");
	else if (m->history || m->replay) {
		/* a recorded step: marked apart from the live state */
		char tag[64];
		int nt = snprintf(tag, sizeof tag, " %s step %" PRIu64 " of %" PRIu64 " ",
				  m->replay ? "REPLAY" : "HISTORY", m->steps, m->tl_last);
		dbg_session_symbolize(t->s, pc, sym, sizeof sym);
		n = snprintf(line, sizeof line, "| %s | stage %s | %s%s", reason,
			     m->stage >= 0 ? st->v[m->stage].name : "-", sym, thr);
		wattrset(w, ui_theme_attr(UI_COLOR_HISTORY));
		mvwaddnstr(w, 0, 0, tag, width);
		wattrset(w, a);
		if (nt < width)
			waddnstr(w, line, width - nt);
		draw_msg(t, w, a, nt + n, width);
		return;
	} else {
		dbg_session_symbolize(t->s, pc, sym, sizeof sym);
		/* after a free run (c) the count misses what ran freely */
		n = snprintf(line, sizeof line,
			     " %s | pid %d | steps %" PRIu64 "%s | stage %s | %s%s", reason,
			     (int)m->pid, m->steps, m->steps_exact ? "" : "+?",
			     m->stage >= 0 ? st->v[m->stage].name : "-", sym, thr);
	}
	mvwaddnstr(w, 0, 0, line, width);
	draw_msg(t, w, a, n, width);
}

void ui_bar_draw_legend(struct tui *t)
{
	WINDOW *w = t->legend;
	werase(w);
	char buf[512];
	ui_keymap_legend(buf, sizeof buf, getmaxx(w), t->lab_on);
	/* keys in the key colour: each entry is "KEY word", two spaces apart */
	int x = 0;
	bool key = true;
	for (char *p = buf; *p; p++, x++) {
		if (p[0] == ' ' && p[1] == ' ')
			key = true;
		else if (*p == ' ' && key)
			key = false;
		wattrset(w, *p != ' ' && key ? ui_theme_attr(UI_COLOR_KEY) : A_NORMAL);
		mvwaddch(w, 0, x, (chtype)(unsigned char)*p);
	}
	wattrset(w, A_NORMAL);
}

/* TABS mode: every pane's title; the two on screen highlighted. */
void ui_bar_draw_tabs(struct tui *t)
{
	WINDOW *w = t->tabs;
	werase(w);
	int x = 0, width = getmaxx(w);
	enum ui_pane shown = ui_tui_tab(t);
	enum ui_pane fixed = t->lab_on ? UI_PANE_LAB : UI_PANE_CODE;
	if (shown == fixed)
		shown = t->lab_on ? UI_PANE_CODE : UI_PANE_REGS;
	/* " Title " with a space between; " Title" when that is too wide,
	 * without the space between when even that is, and then the short
	 * titles, from the last tab back, until they fit */
	int total = 0, n_tabs = 0;
	bool shorten[UI_PANE_COUNT] = { false };
	for (int p = 0; p < UI_PANE_COUNT; p++)
		if (ui_panes_has(&t->panes, p)) {
			total += (int)strlen(ui_pane_class(p)->title) + 3;
			n_tabs++;
		}
	const char *fmt = total > width ? " %s" : " %s ";
	int gap = total - n_tabs > width ? 0 : 1;
	for (int p = UI_PANE_COUNT - 1, tight = total - 2 * n_tabs; p >= 0 && tight > width; p--) {
		const struct ui_pane_class *c = ui_pane_class(p);
		if (!ui_panes_has(&t->panes, p) || !c->short_title)
			continue;
		shorten[p] = true;
		tight -= (int)(strlen(c->title) - strlen(c->short_title));
	}
	for (int p = 0; p < UI_PANE_COUNT && x < width; p++) {
		if (!ui_panes_has(&t->panes, p))
			continue;
		char label[32];
		const struct ui_pane_class *c = ui_pane_class(p);
		int n = snprintf(label, sizeof label, fmt, shorten[p] ? c->short_title : c->title);
		attr_t a = p == (int)t->focus ? ui_theme_attr(UI_COLOR_TITLE_FOCUS) :
			   p == (int)shown || p == (int)fixed ? ui_theme_attr(UI_COLOR_TITLE) :
								A_NORMAL;
		wattrset(w, a);
		mvwaddnstr(w, 0, x, label, width - x);
		x += n + gap;
	}
	wattrset(w, A_NORMAL);
}
