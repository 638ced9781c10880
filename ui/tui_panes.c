#include "tui_panes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

/* The lab pane's cache: the lab's generation (struct ui_lab) on screen. */
struct lab_cache {
	uint64_t gen;
};

/* ---- drawing ------------------------------------------------------------- */

static void draw_code(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	ui_draw_code(w, ps->m, focus, ps->pane[p].cache);
}

/* The view's selection clamped to [0, n): shown only while focused. */
static int selected(struct ui_panes *ps, enum ui_pane p, bool focus, int n)
{
	struct ui_pane_view *v = &ps->pane[p].view;
	if (v->sel >= n)
		v->sel = n - 1;
	if (v->sel < 0)
		v->sel = 0;
	return focus ? v->sel : -1;
}

static void draw_regs(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	ui_draw_regs(w, ps->m, focus, selected(ps, p, focus, UI_REGS_SEL), ps->pane[p].cache);
}

static void draw_tls(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	ui_draw_tls(w, ps->m, focus, selected(ps, p, focus, UI_TLS_ROWS));
}

static void draw_source(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	(void)p;
	ui_draw_source(w, ps->m, focus);
}

static void draw_stack(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	int n = getmaxy(w) - 1;
	if ((size_t)n > ps->m->nslots)
		n = (int)ps->m->nslots;
	ui_draw_stack(w, ps->m, focus, selected(ps, p, focus, n > 0 ? n : 1), ps->pane[p].cache);
}

static void draw_gmp(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	if (ps->gmp_diagram)
		ui_draw_gmp_diagram(w, ps->m, focus, &ps->pane[p].view);
	else
		ui_draw_gmp(w, ps->m, focus, &ps->pane[p].view);
}

static void draw_stages(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	ui_draw_stages(w, ps->m, focus, &ps->pane[p].view);
}

static void draw_frames(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	ui_draw_frames(w, ps->m, focus, &ps->pane[p].view);
}

static void draw_syscalls(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	ui_draw_syscalls(w, ps->m, focus, &ps->pane[p].view);
}

static void draw_changes(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	if (ps->changes)
		ui_draw_changes(w, ps->changes, focus, &ps->pane[p].view);
}

static enum ui_color out_color(uint8_t kind)
{
	return kind == UI_OUT_STDERR ? UI_COLOR_STDERR : UI_COLOR_NORMAL;
}

static void draw_output(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	ui_draw_lines(w, p, ps->out, out_color, focus, &ps->pane[p].view);
}

static enum ui_color cmd_color(uint8_t kind)
{
	switch (kind) {
	case UI_CMD_ECHO:
		return UI_COLOR_KEY;
	case UI_CMD_ERROR:
		return UI_COLOR_ERROR;
	case UI_CMD_NOTE:
		return UI_COLOR_DIM;
	default:
		return UI_COLOR_NORMAL;
	}
}

static void draw_cmd(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	ui_draw_lines(w, p, ps->cmd, cmd_color, focus, &ps->pane[p].view);
}

static void draw_lab(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	struct lab_cache *c = ps->pane[p].cache;
	if (!ps->lab)
		return;
	ui_draw_lab(w, ps->lab, focus, &ps->pane[p].view);
	c->gen = ps->lab->gen;
}

/* The lab changes when its commands run, not at a stop. */
static bool lab_stale(const struct ui_panes *ps, enum ui_pane p)
{
	const struct lab_cache *c = ps->pane[p].cache;
	return ps->lab && ps->lab->gen != c->gen;
}

/* ---- scrolling ----------------------------------------------------------- */

/* The selection moves by instructions (from the pc when there is none);
 * past the window's ends the code is read before or after it. Home: back
 * to following the pc. */
static void scroll_code(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int d)
{
	struct ui_model *m = ps->m;
	(void)p;
	if (a == UI_ACT_HOME) {
		m->code_sel = 0;
	} else if (m->ninsns) {
		uint64_t at = m->code_sel ? m->code_sel : m->regs.rip;
		long idx = m->sel_index != SIZE_MAX ? (long)m->sel_index : 0;
		long want = idx + d;
		if (want >= 0 && want < (long)m->ninsns)
			at = m->insns[want].addr;
		else if (d < 0)
			at = ui_model_insn_before(m, m->insns[0].addr);
		else
			at = ui_model_insn_after(m, m->insns[m->ninsns - 1].addr);
		if (at)
			m->code_sel = at;
	}
	ui_model_fetch_code(m);
}

/* The selection moves by slots; past the window's ends the window moves
 * by slots from rsp, at most 64 below it. Home: rsp's slot. */
static void scroll_stack(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int d)
{
	struct ui_model *m = ps->m;
	struct ui_pane_view *v = &ps->pane[p].view;
	int rows = m->stack_rows > 0 ? m->stack_rows : 1;
	if (a == UI_ACT_HOME) {
		m->stack_off = 0;
		v->sel = 0;
	} else {
		int to = v->sel + d;
		if (to < 0) {
			m->stack_off += to;
			to = 0;
		} else if (to >= rows) {
			m->stack_off += to - rows + 1;
			to = rows - 1;
		}
		v->sel = to;
	}
	if (m->stack_off < -64)
		m->stack_off = -64;
	ui_model_fetch_stack(m);
}

/* The register selection moves along the registers (Up and Down, Left
 * and Right alike); the drawing clamps it. */
static void scroll_item(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int d)
{
	struct ui_pane_view *v = &ps->pane[p].view;
	if (a == UI_ACT_LEFT || a == UI_ACT_RIGHT)
		d = a == UI_ACT_LEFT ? -1 : 1;
	v->sel = a == UI_ACT_HOME ? 0 : a == UI_ACT_END ? 1 << 20 : v->sel + d;
}

/* The tables: Up and Down move over the rows with fields, Left and Right
 * over their columns (the drawing clamps both and scrolls to the row);
 * the diagram scrolls. */
static void scroll_gmp(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int d)
{
	struct ui_pane_view *v = &ps->pane[p].view;
	if (a == UI_ACT_LEFT || a == UI_ACT_RIGHT) {
		if (!ps->gmp_diagram)
			v->col += a == UI_ACT_LEFT ? -1 : 1;
		return;
	}
	if (ps->gmp_diagram) {
		v->top = a == UI_ACT_HOME ? 0 : a == UI_ACT_END ? 1 << 20 : v->top + d;
		return;
	}
	v->sel = a == UI_ACT_HOME ? 0 : a == UI_ACT_END ? 1 << 20 : v->sel + d;
}

/* The first line shown moves (its drawing clamps it). */
static void scroll_top(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int d)
{
	struct ui_pane_view *v = &ps->pane[p].view;
	v->top = a == UI_ACT_HOME ? 0 : a == UI_ACT_END ? 1 << 20 : v->top + d;
}

/* The selected line moves (its drawing clamps it). */
static void scroll_sel(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int d)
{
	struct ui_pane_view *v = &ps->pane[p].view;
	v->sel = a == UI_ACT_HOME ? 0 : a == UI_ACT_END ? 1 << 20 : v->sel + d;
}

/* The newest lines stay at the bottom: up goes back in time, End returns
 * to the newest. */
static void scroll_back(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int d)
{
	struct ui_pane_view *v = &ps->pane[p].view;
	v->back = a == UI_ACT_END ? 0 : a == UI_ACT_HOME ? 1 << 20 : v->back - d;
}

/* ---- the stages' selection ----------------------------------------------- */

/* Tab to the stages: the selection starts at the current stage. */
static void enter_stages(struct ui_panes *ps, enum ui_pane p)
{
	if (ps->m->stage >= 0)
		ps->pane[p].view.sel = ps->m->stage;
}

static uint64_t break_at_stage(struct ui_panes *ps, enum ui_pane p)
{
	const struct dbg_stages *st = dbg_session_stages(ps->m->s);
	int i = ps->pane[p].view.sel;
	if (i < 0 || (size_t)i >= st->n)
		return 0;
	return st->v[i].addr;
}

static uint64_t break_at_code(struct ui_panes *ps, enum ui_pane p)
{
	(void)p;
	return ps->m->code_sel ? ps->m->code_sel : ps->m->regs.rip;
}

/* `b` in the frames: the selected frame's pc (where its callee returns). */
static uint64_t break_at_frame(struct ui_panes *ps, enum ui_pane p)
{
	const struct ui_model *m = ps->m;
	size_t sel = m->frame_sel ? *m->frame_sel : 0;
	(void)p;
	return sel < m->nframes ? m->frames[sel].pc : 0;
}

/* ---- the classes --------------------------------------------------------- */

static const struct ui_pane_class classes[UI_PANE_COUNT] = {
	[UI_PANE_CODE] = {
		.title = "Code",
		.stop = true,
		.cache_size = sizeof(struct ui_code_cache),
		.draw = draw_code,
		.scroll_key = scroll_code,
		.break_at = break_at_code,
	},
	[UI_PANE_REGS] = {
		.title = "Registers",
		.short_title = "Regs",
		.stop = true,
		.cache_size = sizeof(struct ui_regs_cache),
		.draw = draw_regs,
		.scroll_key = scroll_item,
		.sideways = true,
	},
	[UI_PANE_TLS] = {
		.title = "TLS / g",
		.stop = true,
		.draw = draw_tls,
		.scroll_key = scroll_item,
	},
	[UI_PANE_STACK] = {
		.title = "Stack",
		.stop = true,
		.cache_size = sizeof(struct ui_stack_cache),
		.draw = draw_stack,
		.scroll_key = scroll_stack,
	},
	[UI_PANE_GMP] = {
		.title = "G/M/P",
		.stop = true,
		.draw = draw_gmp,
		.scroll_key = scroll_gmp,
		.sideways = true,
	},
	[UI_PANE_STAGES] = {
		.title = "Stages",
		.stop = true,
		.draw = draw_stages,
		.scroll_key = scroll_sel,
		.enter = enter_stages,
		.break_at = break_at_stage,
	},
	[UI_PANE_OUTPUT] = {
		.title = "Output",
		.draw = draw_output,
		.scroll_key = scroll_back,
	},
	[UI_PANE_CMD] = {
		.title = "Command",
		.short_title = "Cmd",
		.draw = draw_cmd,
		.scroll_key = scroll_back,
	},
	[UI_PANE_FRAMES] = {
		.title = "Frames",
		.stop = true,
		.draw = draw_frames,
		.scroll_key = scroll_top,
		.break_at = break_at_frame,
	},
	[UI_PANE_SOURCE] = {
		.title = "Source",
		.stop = true,
		.draw = draw_source,
	},
	[UI_PANE_CHANGES] = {
		.title = "Changes",
		.short_title = "Chg",
		.stop = true,
		.draw = draw_changes,
		.scroll_key = scroll_sel,
	},
	[UI_PANE_LAB] = {
		.title = "Lab",
		.lab = true,
		.cache_size = sizeof(struct lab_cache),
		.draw = draw_lab,
		.scroll_key = scroll_top,
		.stale = lab_stale,
	},
	[UI_PANE_SYSCALLS] = {
		.title = "Syscalls",
		.short_title = "Sys",
		.draw = draw_syscalls,
		.scroll_key = scroll_back,
	},
};

const struct ui_pane_class *ui_pane_class(enum ui_pane p)
{
	return &classes[p];
}

/* ---- the panes ----------------------------------------------------------- */

int ui_panes_init(struct ui_panes *ps, struct ui_model *m, const struct ui_ring *out,
		  const struct ui_ring *cmd, struct ui_lab *lab)
{
	memset(ps, 0, sizeof *ps);
	ps->m = m;
	ps->out = out;
	ps->cmd = cmd;
	ps->lab = lab;
	for (int p = 0; p < UI_PANE_COUNT; p++) {
		const struct ui_pane_class *c = &classes[p];
		/* a pane without its entry in the table */
		if (!c->title || !c->draw)
			abort();
		if (!c->cache_size)
			continue;
		ps->pane[p].cache = calloc(1, c->cache_size);
		if (!ps->pane[p].cache)
			return -ENOMEM;
	}
	return 0;
}

void ui_panes_release(struct ui_panes *ps)
{
	for (int p = 0; p < UI_PANE_COUNT; p++) {
		free(ps->pane[p].cache);
		ps->pane[p].cache = NULL;
	}
}

bool ui_panes_has(const struct ui_panes *ps, enum ui_pane p)
{
	return !ui_pane_class(p)->lab || ps->lab;
}

void ui_panes_draw(struct ui_panes *ps, enum ui_pane p, WINDOW *w, bool focus)
{
	const struct ui_pane_class *c = ui_pane_class(p);
	c->draw(ps, p, w, focus);
	/* every view of the stop shows the recorded step: say so on each title */
	if ((ps->m->history || ps->m->replay) && c->stop) {
		/* no step number: a pane whose data did not change is not
		 * redrawn; the status line and the bar carry the step */
		char tag[16];
		int n = snprintf(tag, sizeof tag, " %s ", ps->m->replay ? "REPLAY" : "HISTORY");
		if (n < getmaxx(w) - 12) {
			wattrset(w, ui_theme_attr(UI_COLOR_HISTORY));
			mvwaddstr(w, 0, getmaxx(w) - n, tag);
			wattrset(w, A_NORMAL);
		}
	}
}

bool ui_panes_stale(const struct ui_panes *ps, enum ui_pane p)
{
	const struct ui_pane_class *c = ui_pane_class(p);
	return c->stale && c->stale(ps, p);
}

/* Rows of a text pane counted for its want: past this, it wants all. */
#define WANT_LINES_MAX 200

int ui_panes_want(const struct ui_panes *ps, enum ui_pane p, int width)
{
	const struct ui_model *m = ps->m;
	size_t n;
	switch (p) {
	case UI_PANE_GMP:
		return 1 + (ps->gmp_diagram ? ui_draw_gmp_diagram_rows(m) : ui_draw_gmp_rows(m));
	case UI_PANE_STAGES:
		n = dbg_session_stages(m->s)->n;
		return 1 + (n ? (int)n : 1);
	case UI_PANE_STACK:
		/* the slots from rsp up to its g's stack hi, when known */
		if (!m->have_regs || !m->rt_ok || m->stack_off)
			return 0;
		for (size_t i = 0; i < m->rt.ngs; i++) {
			const struct dbg_rt_g *g = &m->rt.gs[i];
			if (g->stack_hi && m->regs.rsp >= g->stack_lo &&
			    m->regs.rsp < g->stack_hi &&
			    (g->stack_hi - m->regs.rsp) / 8 < WANT_LINES_MAX)
				return 1 + (int)((g->stack_hi - m->regs.rsp) / 8);
		}
		return 0;
	case UI_PANE_FRAMES:
		return 1 + (m->nframes ? (int)m->nframes : 1);
	case UI_PANE_SYSCALLS: {
		const struct dbg_sys_event *ev;
		n = dbg_session_syscalls(m->s, &ev);
		/* a header row when wide; two rows an entry when narrow */
		return n == 0 ? 2 : width >= 120 ? 2 + (int)n : 1 + 2 * (int)n;
	}
	case UI_PANE_OUTPUT:
	case UI_PANE_CMD: {
		int rows = ui_draw_lines_rows(p == UI_PANE_CMD ? ps->cmd : ps->out, width,
					      WANT_LINES_MAX);
		return 1 + (rows ? rows : 1);
	}
	default:
		return 0;
	}
}

void ui_panes_forget(struct ui_panes *ps)
{
	for (int p = 0; p < UI_PANE_COUNT; p++)
		if (ps->pane[p].cache)
			memset(ps->pane[p].cache, 0, classes[p].cache_size);
}

void ui_panes_scroll(struct ui_panes *ps, enum ui_pane p, enum ui_action a, int page)
{
	const struct ui_pane_class *c = ui_pane_class(p);
	int d = a == UI_ACT_UP        ? -1 :
		a == UI_ACT_DOWN      ? 1 :
		a == UI_ACT_PAGE_UP   ? -page :
		a == UI_ACT_PAGE_DOWN ? page :
					0;
	if ((a == UI_ACT_LEFT || a == UI_ACT_RIGHT) && !c->sideways)
		return;
	if (c->scroll_key)
		c->scroll_key(ps, p, a, d);
}

void ui_panes_enter(struct ui_panes *ps, enum ui_pane p)
{
	const struct ui_pane_class *c = ui_pane_class(p);
	if (c->enter)
		c->enter(ps, p);
}

uint64_t ui_panes_break_at(struct ui_panes *ps, enum ui_pane p)
{
	const struct ui_pane_class *c = ui_pane_class(p);
	if (!c->break_at)
		c = ui_pane_class(UI_PANE_CODE);
	return c->break_at(ps, p);
}
