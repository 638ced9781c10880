#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keymap.h"
#include "layout.h"
#include "render.h"
#include "sig.h"
#include "syscalls.h"
#include "term.h"
#include "theme.h"
#include "tui_act.h"
#include "tui_bar.h"
#include "tui_edit.h"
#include "tui_int.h"
#include "tui_lab.h"
#include "tui_model.h"
#include "tui_overlay.h"
#include "tui_panes.h"
#include "tui_ring.h"

#define CMD_LINES 2000
#define OUT_LINES 2000
#define RENDER_CAP (256 * 1024)
#define KEY_POLL_MS 200

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ui_tui_msg(struct tui *t, bool err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_err = err;
	t->dirty |= UI_DIRTY_STATUS;
}

void ui_tui_note(struct tui *t, enum ui_cmd_kind kind, const char *text)
{
	ui_ring_put(&t->cmdlog, text, (uint8_t)kind);
	t->panes.pane[UI_PANE_CMD].view.back = 0;
	t->dirty |= UI_DIRTY_PANE(UI_PANE_CMD);
}

/* ---- events from the interpreter ---------------------------------------- */

static void on_event(void *arg, const struct dbg_val *ev)
{
	struct tui *t = arg;
	const char *name = dbg_event_name(ev);
	if (t->capture && name && strcmp(name, "changes") == 0) {
		ui_changes_event(&t->changes, ev);
		return;
	}
	if (t->capture && name && strcmp(name, "error") == 0) {
		ui_changes_error(&t->changes, dbg_session_steps(t->s),
				 dbg_val_get_str(ev, "message"));
		return;
	}
	if (t->lab_on)
		ui_lab_event(&t->lab, ev);
	if (name && strcmp(name, "progress") == 0) {
		/* a long `stage` command: the count so far, on the status line */
		const struct dbg_val *n = dbg_val_get(ev, "steps");
		const char *to = dbg_val_get_str(ev, "to");
		ui_tui_msg(t, false, "running to %s... %" PRIu64 " steps (Ctrl-C interrupts)",
			   to && strcmp(to, "next") ? to : "the next stage",
			   n && n->kind == DBG_VAL_UINT ? n->u : 0);
		t->m.steps = dbg_session_steps(t->s);
		ui_tui_draw(t);
		return;
	}
	if (name && strcmp(name, "output") == 0) {
		const struct dbg_val *d = dbg_val_get(ev, "data");
		const char *stream = dbg_val_get_str(ev, "stream");
		uint8_t kind =
			stream && strcmp(stream, "stderr") == 0 ? UI_OUT_STDERR : UI_OUT_STDOUT;
		if (d && d->kind == DBG_VAL_STRING)
			ui_ring_append(&t->out, d->str.s, d->str.len, kind);
		t->panes.pane[UI_PANE_OUTPUT].view.back = 0;
		t->dirty |= UI_DIRTY_PANE(UI_PANE_OUTPUT);
		return;
	}
	bool err = name && strcmp(name, "error") == 0;
	if (err)
		ui_tui_msg(t, true, "%s",
			   dbg_val_get_str(ev, "message") ? dbg_val_get_str(ev, "message") :
							    "error");
	if (name && strcmp(name, "stop") == 0 && t->quiet_stop)
		return;

	rewind(t->render_f);
	ui_render_text(t->render_f, ev);
	fflush(t->render_f);
	long n = ftell(t->render_f);
	if (n < 0)
		return;
	if (n > RENDER_CAP - 1)
		n = RENDER_CAP - 1;
	ui_ring_append(&t->cmdlog, t->render_buf, (size_t)n, err ? UI_CMD_ERROR : UI_CMD_TEXT);
	ui_ring_end_line(&t->cmdlog);
	t->panes.pane[UI_PANE_CMD].view.back = 0;
	t->dirty |= UI_DIRTY_PANE(UI_PANE_CMD);
}

/* ---- windows ------------------------------------------------------------ */

static void del(WINDOW **w)
{
	if (*w)
		delwin(*w);
	*w = NULL;
}

static WINDOW *make(struct ui_rect r)
{
	if (r.h <= 0 || r.w <= 0)
		return NULL;
	return newwin(r.h, r.w, r.y, r.x);
}

enum ui_pane ui_tui_tab(const struct tui *t)
{
	/* in lab mode the lab's pane is the fixed one at 80x24, not the code */
	enum ui_pane fixed = t->lab_on ? UI_PANE_LAB : UI_PANE_CODE;
	return t->focus == fixed ? t->tab : t->focus;
}

/* The code and stack windows fetch as many rows as their panes show. */
static void size_model(struct tui *t)
{
	int code = t->lay.pane[UI_PANE_CODE].h - 1;
	int stack = t->lay.pane[UI_PANE_STACK].h - 1;
	t->m.code_rows = code > 0 ? code : 1;
	t->m.stack_rows = stack > 0 ? stack : 1;
}

/* Rows the panes' content does not fill go to the longer ones. */
static void fit(struct tui *t, struct ui_layout *l)
{
	int want[UI_PANE_COUNT];
	for (int p = 0; p < UI_PANE_COUNT; p++)
		want[p] = ui_layout_visible(l, (enum ui_pane)p) ?
				  ui_panes_want(&t->panes, (enum ui_pane)p, l->pane[p].w) :
				  0;
	ui_layout_fit(l, want);
}

/* Windows for the current size. fetch: refill the code and stack windows
 * when their row counts changed; else (a command runs: the session is not
 * to be read) that waits for after_run. */
static void relayout_windows(struct tui *t, bool fetch)
{
	for (int p = 0; p < UI_PANE_COUNT; p++)
		del(&t->pane[p]);
	del(&t->status);
	del(&t->legend);
	del(&t->tabs);
	del(&t->tline);
	del(&t->small);
	for (int i = 0; i < UI_LAYOUT_MAX_SEPS; i++)
		del(&t->sep[i]);

	ui_layout_compute(&t->lay, COLS, LINES, ui_tui_tab(t), t->lab_on);
	/* (while a command runs the session is not to be read) */
	if (fetch)
		fit(t, &t->lay);
	if (t->zoom)
		ui_layout_zoom(&t->lay, t->focus);
	if (t->lay.mode == UI_LAYOUT_SMALL) {
		t->small = newwin(LINES > 0 ? LINES : 1, COLS > 0 ? COLS : 1, 0, 0);
	} else {
		for (int p = 0; p < UI_PANE_COUNT; p++)
			t->pane[p] = make(t->lay.pane[p]);
		t->status = make(t->lay.status);
		t->legend = make(t->lay.legend);
		t->tabs = make(t->lay.tabs);
		t->tline = make(t->lay.timeline);
		for (int i = 0; i < t->lay.nsep; i++)
			t->sep[i] = make(t->lay.sep[i]);
	}
	WINDOW *k = t->status ? t->status : t->small;
	keypad(k, TRUE);
	wtimeout(k, KEY_POLL_MS);

	if (fetch) {
		int old_code = t->m.code_rows, old_stack = t->m.stack_rows;
		size_model(t);
		if (t->m.code_rows != old_code)
			ui_model_fetch_code(&t->m);
		if (t->m.stack_rows != old_stack)
			ui_model_fetch_stack(&t->m);
	} else {
		t->refetch = true;
	}
	clearok(curscr, TRUE);
	t->dirty = UI_DIRTY_ALL;
}

static void relayout(struct tui *t)
{
	relayout_windows(t, true);
}

/* The panes' content changed their wants: lay the screen out again
 * when the rectangles move. */
static void refit(struct tui *t)
{
	if (t->zoom || (t->lay.mode != UI_LAYOUT_TWO && t->lay.mode != UI_LAYOUT_WIDE))
		return;
	struct ui_layout l;
	ui_layout_compute(&l, COLS, LINES, ui_tui_tab(t), t->lab_on);
	fit(t, &l);
	if (memcmp(l.pane, t->lay.pane, sizeof l.pane) != 0)
		relayout(t);
}

static WINDOW *key_window(struct tui *t)
{
	return t->status ? t->status : t->small;
}

/* ---- drawing ------------------------------------------------------------ */

static void draw_pane(struct tui *t, enum ui_pane p)
{
	ui_panes_draw(&t->panes, p, t->pane[p], t->focus == p);
	wnoutrefresh(t->pane[p]);
}

/* out of line: bench/tui_repaint.py counts inside it */
__attribute__((noinline)) void ui_tui_draw(struct tui *t)
{
	if (t->lay.mode == UI_LAYOUT_SMALL) {
		werase(t->small);
		mvwprintw(t->small, 0, 0, "terminal too small (%dx%d): %dx%d needed", COLS, LINES,
			  UI_LAYOUT_TABS_COLS, UI_LAYOUT_TABS_ROWS);
		wnoutrefresh(t->small);
		doupdate();
		t->dirty = 0;
		return;
	}
	for (int p = 0; p < UI_PANE_COUNT; p++)
		if (ui_panes_stale(&t->panes, (enum ui_pane)p))
			t->dirty |= UI_DIRTY_PANE(p);
	/* the marks on the titles come and go with a full redraw */
	if ((t->m.history || t->m.replay) != t->drawn_history) {
		t->dirty = UI_DIRTY_ALL;
		t->drawn_history = t->m.history || t->m.replay;
	}
	if (t->dirty & UI_DIRTY_FULL)
		ui_panes_forget(&t->panes);
	for (int p = 0; p < UI_PANE_COUNT; p++)
		if (t->pane[p] && (t->dirty & UI_DIRTY_PANE(p)))
			draw_pane(t, (enum ui_pane)p);
	for (int i = 0; i < t->lay.nsep; i++) {
		if ((t->dirty & UI_DIRTY_FULL) && t->sep[i]) {
			werase(t->sep[i]);
			wattrset(t->sep[i], ui_theme_attr(UI_COLOR_DIM));
			mvwvline(t->sep[i], 0, 0, ACS_VLINE, getmaxy(t->sep[i]));
			wnoutrefresh(t->sep[i]);
		}
	}
	if (t->tabs && (t->dirty & UI_DIRTY_TABS)) {
		ui_bar_draw_tabs(t);
		wnoutrefresh(t->tabs);
	}
	if (t->legend && (t->dirty & UI_DIRTY_LEGEND)) {
		ui_bar_draw_legend(t);
		wnoutrefresh(t->legend);
	}
	ui_overlay_draw(t);
	if (t->tline && (t->dirty & (UI_DIRTY_STATUS | UI_DIRTY_FULL))) {
		ui_bar_draw_timeline(t);
		wnoutrefresh(t->tline);
	}
	/* the status window last: it holds the cursor of the `:` line */
	if (t->dirty & UI_DIRTY_STATUS) {
		ui_bar_draw_status(t);
		wnoutrefresh(t->status);
	}
	if ((t->edit.open || t->ans.open) != t->cursor_on) {
		curs_set(t->edit.open || t->ans.open ? 1 : 0);
		t->cursor_on = t->edit.open || t->ans.open;
	}
	doupdate();
	t->dirty = 0;
}

/* ---- running commands ---------------------------------------------------- */

/* SIGINT while a command runs (async-signal-safe). */
static void interrupt_session(void *arg)
{
	struct tui *t = arg;
	t->interrupted = 1;
	dbg_session_interrupt(t->s);
}

/* A command starts (fn: what Ctrl-C and the exit signals call to stop
 * it) or ends (NULL); while it runs, the tick wakes while_running. */
static void busy(struct tui *t, void (*fn)(void *))
{
	ui_sig_set_busy(fn, t);
	ui_term_tick(fn != NULL);
}

/* In every wait for the running program (dbg_session_set_wait_hook): a
 * resize lays the screen out and draws it again at once, not only when
 * the program stops. */
static void while_running(void *arg)
{
	struct tui *t = arg;
	/* a closed terminal signals only its session's leader: bootscope
	 * under a shell may get no SIGHUP */
	if (ui_term_take_tick() && ui_term_gone())
		ui_sig_request_exit(SIGHUP);
	if (!ui_term_take_resize())
		return;
	relayout_windows(t, false);
	ui_tui_draw(t);
}

/* After a command: what a resize while it ran left to do. */
static void after_run(struct tui *t)
{
	if (!t->refetch)
		return;
	t->refetch = false;
	relayout(t);
}

/* A stop at a system call (a catchpoint's), or after a step that ran
 * one, names the call on the status line; a quiet step (s, n), whose
 * stop the command pane does not show, writes the whole call there. */
static void note_syscall(struct tui *t, unsigned flags, uint64_t steps_before)
{
	const struct dbg_stop *st = &t->m.stop;
	const struct dbg_sys_event *ev;
	size_t n = dbg_session_syscalls(t->s, &ev);
	char nbuf[32], res[96], text[1200];
	if (st->sys_index < 0 || (size_t)st->sys_index >= n || t->msg_err ||
	    (st->reason != DBG_STOP_STEP && st->reason != DBG_STOP_SYSCALL))
		return;
	const struct dbg_sys_event *e = &ev[st->sys_index];
	/* a step forward (not back), on a recorded step the call made from
	 * the step before it */
	if (e->kind != DBG_SYS_CALL ||
	    (st->reason == DBG_STOP_STEP &&
	     (t->m.steps <= steps_before ||
	      ((t->m.history || t->m.replay) && (e->step & ~DBG_STEPS_INEXACT) + 1 != t->m.steps))))
		return;
	const char *name = ui_sys_name(e->nr, nbuf, sizeof nbuf);
	if (e->returned)
		dbg_syscall_result(e->nr, e->ret, res, sizeof res);
	/* short: the status line's own text leaves some 40 columns at 120 */
	if (st->reason == DBG_STOP_SYSCALL && !st->sys_return)
		ui_tui_msg(t, false, "catchpoint %d: call to %s", st->bp_id, name);
	else if (st->reason == DBG_STOP_SYSCALL)
		ui_tui_msg(t, false, "catchpoint %d: %s returned %s", st->bp_id, name,
			   e->returned ? res : "?");
	else
		ui_tui_msg(t, false, "syscall %s = %s", name, e->returned ? res : "?");
	if (st->reason == DBG_STOP_STEP && (flags & UI_RUN_QUIET)) {
		char call[1024];
		snprintf(text, sizeof text, "syscall: %s", ui_sys_text(e, true, call, sizeof call));
		ui_tui_note(t, UI_CMD_NOTE, text);
	}
}

/* Run one interpreter command; file/line_no say where it came from (a lab
 * file), or file is NULL. */
int ui_tui_run_cmd_at(struct tui *t, const char *line, const char *file, int line_no,
		      unsigned flags)
{
	if (flags & UI_RUN_ECHO) {
		char echo[UI_EDIT_MAX + 16];
		snprintf(echo, sizeof echo, "(bootscope) %s", line);
		ui_tui_note(t, UI_CMD_ECHO, echo);
	}
	/* the message stays while it runs (a resize redraws it); an error
	 * replaces it */
	if (flags & UI_RUN_SLOW) {
		ui_tui_msg(t, false, "running %s... (Ctrl-C interrupts)", line);
		ui_tui_draw(t);
	} else {
		t->msg[0] = '\0';
	}
	t->quiet_stop = (flags & UI_RUN_QUIET) != 0;
	/* A new stop shows the pc again. */
	t->m.code_sel = 0;
	uint64_t steps_before = t->m.steps;
	busy(t, interrupt_session);
	int rc = dbg_cmd_exec(t->ctx, line, file, line_no);
	busy(t, NULL);
	if ((flags & UI_RUN_SLOW) && !t->msg_err)
		t->msg[0] = '\0';
	t->quiet_stop = false;
	ui_sig_set_tracee(dbg_session_pid(t->s));
	after_run(t);
	if (t->ctx->quit)
		t->quit = true;
	t->dirty |= ui_model_refresh(&t->m, false) | UI_DIRTY_STATUS;
	note_syscall(t, flags, steps_before);
	ui_tui_changes(t);
	return rc;
}

void ui_tui_changes(struct tui *t)
{
	unsigned errors = t->ctx->errors;
	t->capture = true;
	dbg_cmd_exec(t->ctx, "info changes", NULL, 0);
	t->capture = false;
	t->ctx->errors = errors;
	t->dirty |= UI_DIRTY_PANE(UI_PANE_CHANGES);
}

int ui_tui_run_cmd(struct tui *t, const char *line, unsigned flags)
{
	return ui_tui_run_cmd_at(t, line, NULL, 0, flags);
}

/* b: toggle a breakpoint at the selected stage or code line. */
static void toggle_break(struct tui *t)
{
	uint64_t addr = ui_panes_break_at(&t->panes, t->focus);
	if (addr == 0)
		return;
	char line[64];
	const struct dbg_bp *bp = dbg_session_bp_placed(t->s, addr);
	if (bp)
		snprintf(line, sizeof line, "delete %d", bp->id);
	else
		snprintf(line, sizeof line, "break *%#" PRIx64, addr);
	uint64_t keep = t->m.code_sel;
	ui_tui_run_cmd(t, line, 0);
	t->m.code_sel = keep;
	ui_model_fetch_code(&t->m);
	t->dirty |= UI_DIRTY_PANE(UI_PANE_CODE) | UI_DIRTY_PANE(UI_PANE_STAGES);
}

/* ---- keys ---------------------------------------------------------------- */

void ui_tui_focus(struct tui *t, enum ui_pane p)
{
	enum ui_pane old_tab = ui_tui_tab(t), old = t->focus;
	t->focus = p;
	if (p != (t->lab_on ? UI_PANE_LAB : UI_PANE_CODE))
		t->tab = p;
	if ((t->lay.mode == UI_LAYOUT_TABS && ui_tui_tab(t) != old_tab) || (t->zoom && p != old))
		relayout(t);
	t->dirty |= UI_DIRTY_PANE(old) | UI_DIRTY_PANE(p) | UI_DIRTY_TABS;
}

static void scroll_pane_p(struct tui *t, enum ui_pane p, enum ui_action a)
{
	int page = t->lay.pane[p].h > 2 ? t->lay.pane[p].h - 2 : 1;
	ui_panes_scroll(&t->panes, p, a, page);
	t->dirty |= UI_DIRTY_PANE(p);
}

static void scroll_pane(struct tui *t, enum ui_action a)
{
	scroll_pane_p(t, t->focus, a);
}

/* PgUp/PgDn (and End) that read back through a command's output: on the
 * open `:` line, right after a command, and Shift-PgUp/PgDn at any time. */
static bool cmd_scroll_key(struct tui *t, int ch)
{
	enum ui_action a = ch == KEY_PPAGE || ch == KEY_SPREVIOUS ? UI_ACT_PAGE_UP :
			   ch == KEY_NPAGE || ch == KEY_SNEXT     ? UI_ACT_PAGE_DOWN :
			   ch == KEY_END || ch == KEY_SEND        ? UI_ACT_END :
								    UI_ACT_NONE;
	bool any = t->edit.open || t->cmd_keys;
	if (a == UI_ACT_NONE || (!any && ch != KEY_SPREVIOUS && ch != KEY_SNEXT && ch != KEY_SEND))
		return false;
	/* End on the `:` line moves its cursor */
	if (t->edit.open && a == UI_ACT_END && ch == KEY_END)
		return false;
	if (!t->pane[UI_PANE_CMD])
		return false;
	scroll_pane_p(t, UI_PANE_CMD, a);
	return true;
}

static void run_input(struct tui *t)
{
	if (t->edit.len == 0)
		return;
	/* at 80x24 the command pane is a tab: show it */
	if (t->lay.mode == UI_LAYOUT_TABS && ui_tui_tab(t) != UI_PANE_CMD)
		ui_tui_focus(t, UI_PANE_CMD);
	ui_tui_run_cmd(t, t->edit.text, UI_RUN_ECHO | UI_RUN_SLOW);
	t->cmd_keys = true;
}

/* The candidates of a second Tab, packed into rows of the command pane
 * as wide as it is. */
#define LIST_MAX 400

static void list_candidates(struct tui *t, const struct dbg_completion *c)
{
	int width = t->lay.pane[UI_PANE_CMD].w > 20 ? t->lay.pane[UI_PANE_CMD].w - 1 : 79;
	char row[512];
	size_t shown = c->n < LIST_MAX ? c->n : LIST_MAX, len = 0, widest = 0;
	if (width > (int)sizeof row - 1)
		width = (int)sizeof row - 1;
	for (size_t i = 0; i < shown; i++)
		widest = c->v[i].n > widest ? c->v[i].n : widest;
	/* columns two blanks apart, as many as fit */
	size_t colw = widest + 2 < (size_t)width ? widest + 2 : (size_t)width;
	/* (the last column needs no blanks after it) */
	size_t ncols = ((size_t)width + 2) / colw ? ((size_t)width + 2) / colw : 1;
	if (t->lay.mode == UI_LAYOUT_TABS && ui_tui_tab(t) != UI_PANE_CMD)
		ui_tui_focus(t, UI_PANE_CMD);
	snprintf(row, sizeof row, "%zu completions of '%.*s':", c->n, (int)(t->edit.pos - c->start),
		 t->edit.text + c->start);
	ui_tui_note(t, UI_CMD_NOTE, row);
	for (size_t i = 0; i < shown; i++) {
		int n = snprintf(row + len, sizeof row - len, "%-*.*s", (int)colw, (int)c->v[i].n,
				 c->v[i].s);
		len += n > 0 ? (size_t)n : 0;
		if ((i + 1) % ncols == 0 || i + 1 == shown) {
			while (len && row[len - 1] == ' ')
				len--;
			row[len] = '\0';
			ui_tui_note(t, UI_CMD_TEXT, row);
			len = 0;
		}
	}
	if (shown < c->n) {
		snprintf(row, sizeof row, "... and %zu more: type more of the name", c->n - shown);
		ui_tui_note(t, UI_CMD_NOTE, row);
	}
}

/* Tab: complete the word before the cursor (dbg_cmd_complete). One
 * candidate: it, and a blank; several: as much as they share, and at a
 * second Tab in a row, the list in the command pane. */
static void complete(struct tui *t)
{
	struct ui_edit *e = &t->edit;
	struct dbg_completion c = { 0 };
	char line[UI_EDIT_MAX];
	memcpy(line, e->text, e->pos);
	line[e->pos] = '\0';
	if (dbg_cmd_complete(t->ctx, line, &c) < 0) {
		ui_tui_msg(t, true, "completion: out of memory");
		dbg_completion_release(&c);
		return;
	}
	size_t typed = e->pos - c.start;
	if (c.n == 0) {
		beep();
	} else if (c.n == 1) {
		char buf[UI_EDIT_MAX];
		int n = snprintf(buf, sizeof buf, "%.*s ", (int)c.v[0].n, c.v[0].s);
		/* a blank already after the cursor is not doubled */
		if (e->pos < e->len && e->text[e->pos] == ' ')
			n--;
		ui_edit_replace(e, c.start, buf, n > 0 ? (size_t)n : 0);
	} else {
		size_t common = c.v[0].n;
		for (size_t i = 1; i < c.n; i++) {
			size_t k = 0;
			while (k < common && k < c.v[i].n && c.v[i].s[k] == c.v[0].s[k])
				k++;
			common = k;
		}
		if (common > typed)
			ui_edit_replace(e, c.start, c.v[0].s, common);
		else if (e->tabs >= 2)
			list_candidates(t, &c);
		else
			beep();
	}
	dbg_completion_release(&c);
}

/* ---- the history file (BOOTSCOPE_HISTORY) ---------------------------------- */

/* A file of more lines than this is cut to the last UI_EDIT_HISTORY when
 * read. */
#define HIST_FILE_MAX (4 * UI_EDIT_HISTORY)

/* The history from the file: its last UI_EDIT_HISTORY lines (lines that
 * the `:` line cannot hold are skipped). A missing file is an empty one. */
static void hist_load(struct tui *t)
{
	FILE *f = fopen(t->hist_file, "r");
	if (!f)
		return;
	char line[UI_EDIT_MAX + 2];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		size_t l = strcspn(line, "\n");
		bool whole = line[l] == '\n' || feof(f);
		line[l] = '\0';
		bool ok = whole && l < UI_EDIT_MAX;
		for (size_t i = 0; ok && i < l; i++)
			ok = line[i] >= 0x20 && line[i] < 0x7f;
		if (!whole) /* the rest of a line too long */
			while (fgets(line, sizeof line, f) && !strchr(line, '\n'))
				;
		if (ok)
			n += ui_edit_remember(&t->edit, line);
	}
	fclose(f);
	if (n <= HIST_FILE_MAX)
		return;
	/* rewrite it short: the lines kept, oldest first */
	f = fopen(t->hist_file, "w");
	if (!f)
		return;
	int nh = t->edit.nhist;
	for (int i = nh > UI_EDIT_HISTORY ? nh - UI_EDIT_HISTORY : 0; i < nh; i++)
		fprintf(f, "%s\n", t->edit.history[i % UI_EDIT_HISTORY]);
	fclose(f);
}

/* A line added to the history goes to the end of the file too. */
static void hist_append(struct tui *t, const char *line)
{
	FILE *f = fopen(t->hist_file, "a");
	bool ok = f && fprintf(f, "%s\n", line) >= 0;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok) {
		char note[UI_EDIT_MAX + 64];
		snprintf(note, sizeof note, "cannot write the history file %s: %s", t->hist_file,
			 strerror(errno));
		ui_tui_note(t, UI_CMD_ERROR, note);
		t->hist_file = NULL;
	}
}

static void prompt_key(struct tui *t, int ch)
{
	if (ui_edit_key(&t->edit, ch)) {
		if (t->edit.added && t->hist_file)
			hist_append(t, t->edit.text);
		run_input(t);
	} else if (ch == '\t' && t->edit.open)
		complete(t);
	t->dirty |= UI_DIRTY_STATUS;
}

/* A click on the timeline bar shows that step; on a pane, focuses it. */
static void mouse_key(struct tui *t)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	if (t->tline && ev.y == t->lay.timeline.y) {
		uint64_t step;
		if (ui_bar_step_at(t, ev.x, &step))
			ui_act_tl_goto(t, step);
		return;
	}
	for (int p = 0; p < UI_PANE_COUNT; p++) {
		struct ui_rect r = t->lay.pane[p];
		if (t->pane[p] && ev.y >= r.y && ev.y < r.y + r.h && ev.x >= r.x &&
		    ev.x < r.x + r.w) {
			ui_tui_focus(t, (enum ui_pane)p);
			return;
		}
	}
}

/* Ask "quit? (y/n)" on the status line, saying what quitting loses. */
static void ask_quit(struct tui *t)
{
	const struct ui_model *m = &t->m;
	uint64_t n = m->have_tl ? m->tl_last - m->tl_first : 0;
	/* a replay shows a recording: no process behind it */
	if (m->live && !m->replay && m->pid > 0)
		snprintf(t->quit_why, sizeof t->quit_why, "the program (pid %d) is killed%s",
			 (int)m->pid,
			 n && !t->saves_record ? "; the recording is not saved (record save FILE)" :
						 "");
	else if (n && !t->saves_record && !t->loaded_record)
		snprintf(t->quit_why, sizeof t->quit_why,
			 "%" PRIu64 " recorded steps are not saved (record save FILE)", n);
	else
		t->quit_why[0] = '\0';
	t->edit.open = false;
	t->ov = UI_OV_QUIT;
	t->dirty |= UI_DIRTY_STATUS;
}

/* q: quit at once when nothing is lost, else ask as gdb does. */
static void on_quit_key(struct tui *t)
{
	ask_quit(t);
	if (!t->quit_why[0]) {
		t->ov = UI_OV_NONE;
		t->quit = true;
	}
}

/* Returns the action handled (for timing). */
static enum ui_action handle_key(struct tui *t, int ch)
{
	if (ch == KEY_RESIZE) {
		relayout(t);
		return UI_ACT_REDRAW;
	}
	if (t->ov == UI_OV_NONE && cmd_scroll_key(t, ch))
		return ch == KEY_END || ch == KEY_SEND ? UI_ACT_END : UI_ACT_PAGE_UP;
	if (t->edit.open) {
		prompt_key(t, ch);
		return UI_ACT_COMMAND;
	}
	if (t->ans.open) {
		ui_act_lab_answer_key(t, ch);
		return UI_ACT_LAB_ANSWER;
	}
	if (t->ov == UI_OV_HELP) {
		ui_overlay_close(t);
		return UI_ACT_HELP;
	}
	if (t->ov == UI_OV_CHOOSER) {
		int k = ui_overlay_chooser_key(t, ch);
		if (k >= 0)
			ui_act_goto_stage(t, k);
		return UI_ACT_GOTO_STAGE;
	}
	if (t->ov == UI_OV_QUIT) {
		if (ch == 'y' || ch == 'Y' || ch == 'q')
			t->quit = true;
		t->ov = UI_OV_NONE;
		t->dirty |= UI_DIRTY_STATUS;
		return UI_ACT_QUIT;
	}

	if (ch == KEY_MOUSE) {
		mouse_key(t);
		return UI_ACT_NONE;
	}
	enum ui_action a = ui_keymap_lookup(ch, t->lab_on);
	/* Enter on the lab pane checks its step, as L */
	if ((ch == '\n' || ch == '\r' || ch == KEY_ENTER) && t->lab_on && t->focus == UI_PANE_LAB)
		a = UI_ACT_LAB_RUN;
	const char *cmd = ui_action_command(a);
	if (a != UI_ACT_NONE && a != UI_ACT_COMMAND)
		t->cmd_keys = false;
	switch (a) {
	case UI_ACT_STEP:
	case UI_ACT_NEXT:
	case UI_ACT_RSTEP:
	case UI_ACT_RNEXT:
		ui_tui_run_cmd(t, cmd, UI_RUN_QUIET);
		break;
	case UI_ACT_TL_BACK:
	case UI_ACT_TL_FWD:
		ui_act_tl_move(t, a == UI_ACT_TL_FWD ? 1 : -1);
		break;
	case UI_ACT_CONT:
	case UI_ACT_FINISH:
		ui_tui_run_cmd(t, cmd, UI_RUN_SLOW);
		break;
	case UI_ACT_RESTART:
		ui_tui_run_cmd(t, cmd, 0);
		ui_ring_clear(&t->out);
		t->dirty |= UI_DIRTY_PANE(UI_PANE_OUTPUT);
		break;
	case UI_ACT_NEXT_STAGE:
		ui_act_next_stage(t);
		break;
	case UI_ACT_THREAD_NEXT:
		ui_act_next_thread(t);
		break;
	case UI_ACT_SOURCE_MIX:
		/* on G/M/P: its diagram or its tables */
		if (t->focus == UI_PANE_GMP) {
			t->panes.gmp_diagram = !t->panes.gmp_diagram;
			t->panes.pane[UI_PANE_GMP].view.top = 0;
			t->dirty |= UI_DIRTY_PANE(UI_PANE_GMP);
			break;
		}
		t->m.code_source = !t->m.code_source;
		t->dirty |= UI_DIRTY_PANE(UI_PANE_CODE);
		break;
	case UI_ACT_BREAK:
		toggle_break(t);
		break;
	case UI_ACT_GOTO_STAGE:
		ui_overlay_chooser(t);
		break;
	case UI_ACT_FOCUS_NEXT:
	case UI_ACT_FOCUS_PREV: {
		int step = a == UI_ACT_FOCUS_NEXT ? 1 : UI_PANE_COUNT - 1;
		enum ui_pane p = (enum ui_pane)((t->focus + step) % UI_PANE_COUNT);
		if (!ui_panes_has(&t->panes, p))
			p = (enum ui_pane)((p + step) % UI_PANE_COUNT);
		ui_panes_enter(&t->panes, p);
		ui_tui_focus(t, p);
		break;
	}
	case UI_ACT_UP:
	case UI_ACT_DOWN:
	case UI_ACT_LEFT:
	case UI_ACT_RIGHT:
	case UI_ACT_PAGE_UP:
	case UI_ACT_PAGE_DOWN:
	case UI_ACT_HOME:
	case UI_ACT_END:
		scroll_pane(t, a);
		break;
	case UI_ACT_WHY:
		ui_act_why(t);
		break;
	case UI_ACT_ZOOM:
		t->zoom = !t->zoom;
		relayout(t);
		break;
	case UI_ACT_COMMAND:
		ui_edit_open(&t->edit);
		t->dirty |= UI_DIRTY_STATUS;
		break;
	case UI_ACT_HELP:
		ui_overlay_help(t);
		break;
	case UI_ACT_QUIT:
		on_quit_key(t);
		break;
	case UI_ACT_REDRAW:
		/* The windows hold the screen: write it out again from a
		 * cleared terminal. Curses clears and repaints it instead
		 * where the terminal needs its care (ui_term_repaint). */
		if (t->dirty)
			ui_tui_draw(t);
		if (!ui_term_repaint()) {
			clearok(curscr, TRUE);
			t->dirty = UI_DIRTY_ALL;
		}
		break;
	case UI_ACT_LAB_RUN:
	case UI_ACT_LAB_NEXT:
	case UI_ACT_LAB_PREV:
	case UI_ACT_LAB_ANSWER:
	case UI_ACT_LAB_DEMO:
		ui_act_lab(t, a);
		break;
	case UI_ACT_NONE:
	case UI_ACT_COUNT:
		break;
	}
	return a;
}

/* Ctrl-C at a stop: ask; a second one (or one while asking) quits. */
static void on_sigint(struct tui *t, int n)
{
	if (n >= 2 || t->ov == UI_OV_QUIT) {
		t->quit = true;
		return;
	}
	ask_quit(t);
}

/* ---- set-up and the loop -------------------------------------------------- */

static const char *action_name(enum ui_action a)
{
	static const char *const names[UI_ACT_COUNT] = {
		[UI_ACT_NONE] = "none",          [UI_ACT_STEP] = "step",
		[UI_ACT_NEXT] = "next",          [UI_ACT_CONT] = "cont",
		[UI_ACT_FINISH] = "finish",      [UI_ACT_NEXT_STAGE] = "stage",
		[UI_ACT_BREAK] = "break",        [UI_ACT_GOTO_STAGE] = "goto",
		[UI_ACT_RESTART] = "restart",    [UI_ACT_FOCUS_NEXT] = "focus",
		[UI_ACT_FOCUS_PREV] = "focus",   [UI_ACT_UP] = "scroll",
		[UI_ACT_DOWN] = "scroll",        [UI_ACT_PAGE_UP] = "scroll",
		[UI_ACT_PAGE_DOWN] = "scroll",   [UI_ACT_HOME] = "scroll",
		[UI_ACT_END] = "scroll",         [UI_ACT_COMMAND] = "command",
		[UI_ACT_LEFT] = "scroll",        [UI_ACT_RIGHT] = "scroll",
		[UI_ACT_HELP] = "help",          [UI_ACT_QUIT] = "quit",
		[UI_ACT_REDRAW] = "redraw",      [UI_ACT_LAB_RUN] = "lab-run",
		[UI_ACT_LAB_NEXT] = "lab-next",  [UI_ACT_LAB_PREV] = "lab-prev",
		[UI_ACT_THREAD_NEXT] = "thread", [UI_ACT_SOURCE_MIX] = "source",
		[UI_ACT_ZOOM] = "zoom",          [UI_ACT_WHY] = "why",
		[UI_ACT_LAB_ANSWER] = "lab-ans", [UI_ACT_LAB_DEMO] = "lab-demo",
	};
	return (int)a >= 0 && a < UI_ACT_COUNT && names[a] ? names[a] : "none";
}

static void timing_open(struct ui_timing *tm)
{
	const char *path = getenv("BOOTSCOPE_TUI_TIMING");
	memset(tm, 0, sizeof *tm);
	if (!path || !path[0])
		return;
	tm->f = fopen(path, "w");
	if (!tm->f)
		return;

	/* preallocated: recording a key costs no allocation */
	tm->cap = 1 << 20;
	tm->v = calloc(tm->cap, sizeof *tm->v);
	if (!tm->v) {
		fclose(tm->f);
		tm->f = NULL;
	}
}

static void timing_close(struct ui_timing *tm)
{
	if (!tm->f)
		return;
	for (size_t i = 0; i < tm->n; i++)
		fprintf(tm->f, "%s %" PRIu64 "\n", action_name(tm->v[i].act), tm->v[i].ns);
	fprintf(tm->f, "# screen %dx%d\n", COLS, LINES);
	fclose(tm->f);
	free(tm->v);
	memset(tm, 0, sizeof *tm);
}

static int setup(struct tui *t, struct dbg_session *s, struct dbg_cmd_ctx *ctx,
		 const struct ui_options *o)
{
	memset(t, 0, sizeof *t);
	t->s = s;
	t->saves_record = o->record != NULL;
	t->loaded_record = o->replay != NULL;
	t->ctx = ctx;
	t->focus = UI_PANE_CODE;
	t->tab = UI_PANE_REGS;
	if (o->lab) {
		if (ui_lab_init(&t->lab, o->lab) < 0)
			return -ENOMEM;
		t->lab_on = true;
		/* at 80x24 the lab keeps the top, the code is the tab below */
		t->tab = UI_PANE_CODE;
	}
	if (ui_ring_init(&t->out, OUT_LINES) < 0 || ui_ring_init(&t->cmdlog, CMD_LINES) < 0)
		return -ENOMEM;
	if (ui_panes_init(&t->panes, &t->m, &t->out, &t->cmdlog, t->lab_on ? &t->lab : NULL) < 0)
		return -ENOMEM;
	t->panes.changes = &t->changes;
	t->render_buf = malloc(RENDER_CAP);
	if (!t->render_buf)
		return -ENOMEM;
	t->render_f = fmemopen(t->render_buf, RENDER_CAP, "w");
	if (!t->render_f)
		return -errno;
	struct dbg_expr_env env;
	dbg_cmd_expr_env(ctx, &env);
	ui_model_init(&t->m, s, &env);
	t->m.frame_sel = &ctx->frame_sel;
	t->hist_file = getenv("BOOTSCOPE_HISTORY");
	if (t->hist_file && !t->hist_file[0])
		t->hist_file = NULL;
	if (t->hist_file)
		hist_load(t);
	timing_open(&t->timing);
	return 0;
}

static void teardown(struct tui *t)
{
	for (int p = 0; p < UI_PANE_COUNT; p++)
		del(&t->pane[p]);
	del(&t->status);
	del(&t->legend);
	del(&t->tabs);
	del(&t->tline);
	del(&t->small);
	for (int i = 0; i < UI_LAYOUT_MAX_SEPS; i++)
		del(&t->sep[i]);
	ui_panes_release(&t->panes);
	ui_model_release(&t->m);
	if (t->lab_on)
		ui_lab_release(&t->lab);
	if (t->render_f)
		fclose(t->render_f);
	free(t->render_buf);
	ui_ring_release(&t->out);
	ui_ring_release(&t->cmdlog);
}

static void interrupt_script(void *arg)
{
	(void)arg;
	ui_batch_interrupt();
}

/* -x scripts and -ex commands first, then the program at its entry. */
static void start(struct tui *t, const struct ui_options *o)
{
	if (o->nscripts || o->nex) {
		ui_tui_msg(t, false, "running the script... (Ctrl-C interrupts)");
		ui_tui_draw(t);
		busy(t, interrupt_script);
		int rc = ui_batch_run(t->ctx, o);
		busy(t, NULL);
		t->msg[0] = '\0';
		if (rc != UI_EXIT_OK)
			ui_tui_note(t, UI_CMD_ERROR, "the script had errors or false expects");
		else
			ui_tui_note(t, UI_CMD_NOTE, "script done");
		if (t->ctx->quit || ui_sig_exit_signal())
			t->quit = true;
	}
	if (!t->quit && !t->ctx->started)
		ui_tui_run_cmd(t, "starti", UI_RUN_QUIET);
	ui_sig_set_tracee(dbg_session_pid(t->s));
	t->dirty |= ui_model_refresh(&t->m, true);
	ui_tui_changes(t);
	if (t->lab_on)
		ui_lab_rewind(&t->lab, t->s);
	if (!t->msg[0])
		ui_tui_msg(t, false,
			   t->lab_on ? "lab: read the step, do what it says, a answers, L checks" :
				       "? help  : command line  q quit");
}

int ui_tui_run(struct dbg_session *s, struct dbg_cmd_ctx *ctx, const struct ui_options *o)
{
	struct tui *t = malloc(sizeof *t);
	struct dbg_err err;
	int status = UI_EXIT_OK;
	if (!t) {
		fprintf(stderr, "bootscope: out of memory\n");
		return UI_EXIT_FAIL;
	}
	if (setup(t, s, ctx, o) < 0) {
		fprintf(stderr, "bootscope: cannot set up the TUI: out of memory\n");
		teardown(t);
		free(t);
		return UI_EXIT_FAIL;
	}
	enum ui_theme_bg bg = UI_THEME_AUTO;
	int named = ui_theme_parse(o->theme ? o->theme : getenv("BOOTSCOPE_THEME"));
	if (named > 0)
		bg = (enum ui_theme_bg)named;
	if (bg == UI_THEME_AUTO && ui_theme_want_color(getenv("NO_COLOR")))
		bg = ui_term_query_bg(200);
	if (bg == UI_THEME_AUTO)
		bg = ui_theme_bg_from_colorfgbg(getenv("COLORFGBG"));
	if (ui_term_init(&err) < 0) {
		fprintf(stderr, "bootscope: %s\n", err.msg);
		teardown(t);
		free(t);
		return UI_EXIT_FAIL;
	}
	ui_theme_init(ui_theme_want_color(getenv("NO_COLOR")), bg);
	/* Timing every frame: curses would otherwise skip output while more
	 * keys are queued. */
	if (t->timing.f)
		typeahead(-1);

	dbg_emit_fn *saved_emit = ctx->emit;
	void *saved_arg = ctx->emit_arg;
	ctx->emit = on_event;
	ctx->emit_arg = t;

	/* clicks on the timeline bar and the panes; no motion reports */
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
	mouseinterval(0);
	relayout(t);
	dbg_session_set_wait_hook(while_running, t);
	start(t, o);

	while (!t->quit && !ui_sig_exit_signal()) {
		if (ui_term_take_resize())
			relayout(t);
		if (t->dirty) {
			refit(t);
			ui_tui_draw(t);
		}
		int ch = wgetch(key_window(t));
		if (ui_sig_exit_signal())
			break;
		/* a closed terminal reads as end of file, and no SIGHUP
		 * need come: leave as if it had */
		if (ch == ERR && ui_term_gone()) {
			ui_sig_request_exit(SIGHUP);
			break;
		}
		int n = ui_sig_take_sigint();
		if (n) {
			on_sigint(t, n);
			continue;
		}
		if (ch == ERR) {
			/* no key for a while: the CPU pin of the steps goes */
			dbg_session_idle(t->s);
			continue;
		}
		uint64_t t0 = now_ns();
		enum ui_action a = handle_key(t, ch);
		if (t->dirty && !t->quit) {
			refit(t);
			ui_tui_draw(t);
		}
		if (t->timing.f && t->timing.n < t->timing.cap) {
			t->timing.v[t->timing.n].act = a;
			t->timing.v[t->timing.n].ns = now_ns() - t0;
			t->timing.n++;
		}
	}

	dbg_session_set_wait_hook(NULL, NULL);
	/* The tracee stays, stopped, for main to save the recording from
	 * (it may still need the live registers); a crash until then kills
	 * it (ui_sig_set_tracee). */
	timing_close(&t->timing);
	teardown(t);
	ui_term_end();
	ctx->emit = saved_emit;
	ctx->emit_arg = saved_arg;
	free(t);
	return status;
}
