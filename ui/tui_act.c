#include "tui_act.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "elf.h"
#include "lab.h"
#include "sig.h"
#include "timeline.h"
#include "tui_bar.h"
#include "tui_int.h"

/* ---- stages and threads -------------------------------------------------- */

/* The command pane's line for how a stepping run ended. */
static void step_note(struct tui *t, const struct dbg_stop *stop, uint64_t steps, int rc,
		      const struct dbg_err *err)
{
	const struct dbg_stages *st = dbg_session_stages(t->s);
	char line[640], sym[160];
	if (rc < 0) {
		ui_tui_note(t, UI_CMD_ERROR, err->msg);
		ui_tui_msg(t, true, "%s", err->msg);
		return;
	}
	dbg_session_symbolize(t->s, stop->pc, sym, sizeof sym);
	switch (stop->reason) {
	case DBG_STOP_UNTIL:
		snprintf(line, sizeof line,
			 "stage %s reached after %" PRIu64 " steps (step count %" PRIu64 "%s)",
			 stop->stage >= 0 ? st->v[stop->stage].name : sym, steps,
			 dbg_session_steps(t->s),
			 dbg_session_steps_exact(t->s) ? "" : ", not exact: a continue ran");
		break;
	case DBG_STOP_BREAKPOINT:
		snprintf(line, sizeof line, "breakpoint %d at %s after %" PRIu64 " steps",
			 stop->bp_id, sym, steps);
		break;
	case DBG_STOP_INTERRUPTED:
		snprintf(line, sizeof line, "interrupted at %s after %" PRIu64 " steps", sym,
			 steps);
		break;
	case DBG_STOP_SIGNAL:
		snprintf(line, sizeof line, "signal %d (%s) at %s after %" PRIu64 " steps",
			 stop->signo, strsignal(stop->signo), sym, steps);
		break;
	case DBG_STOP_EXITED:
		snprintf(line, sizeof line,
			 "the program exited with code %d after %" PRIu64 " steps", stop->code,
			 steps);
		break;
	case DBG_STOP_SIGNALED:
		snprintf(line, sizeof line, "the program was killed by signal %d (%s)", stop->signo,
			 strsignal(stop->signo));
		break;
	default:
		snprintf(line, sizeof line, "stopped (%s) at %s after %" PRIu64 " steps",
			 dbg_stop_reason_name(stop->reason), sym, steps);
		break;
	}
	ui_tui_note(t, UI_CMD_NOTE, line);
}

/*
 * Single-step to a stage through the interpreter's `stage` command (line):
 * every instruction is stepped, so each stage passed gets an exact count;
 * the count shows on the status line while it runs (its progress events)
 * and the command pane says how the run ended.
 */
static void step_to(struct tui *t, const char *line, const char *what)
{
	uint64_t from = dbg_session_steps(t->s);
	ui_tui_msg(t, false, "running to %s... (Ctrl-C interrupts)", what);
	ui_tui_draw(t);
	int rc = ui_tui_run_cmd(t, line, UI_RUN_QUIET);
	t->msg[0] = '\0';
	if (rc == 0) {
		const struct dbg_stop *stop = dbg_session_last_stop(t->s);
		uint64_t now = dbg_session_steps(t->s);
		step_note(t, stop, now >= from ? now - from : now, 0, NULL);
	}
	t->dirty |= UI_DIRTY_STATUS;
}

/* t: the thread after the current one in the Threads list (wrapping),
 * through the interpreter's `thread TID`, as the `:` line would. */
void ui_act_next_thread(struct tui *t)
{
	size_t n = t->m.nthreads, i;
	if (n == 0) {
		ui_tui_msg(t, true, "no threads");
		return;
	}
	for (i = 0; i < n && !t->m.threads[i].info.current; i++)
		;
	char line[32];
	snprintf(line, sizeof line, "thread %d",
		 (int)t->m.threads[i < n ? (i + 1) % n : 0].info.tid);
	ui_tui_run_cmd(t, line, UI_RUN_ECHO);
}

/* ] : single-step to the first stage reached that comes later in the
 * catalog than the current one (stages may be skipped at run time). */
void ui_act_next_stage(struct tui *t)
{
	if (!dbg_session_running(t->s)) {
		ui_tui_msg(t, true, "the program is not being run (r starts it)");
		return;
	}
	step_to(t, "stage next", "the next stage");
}

/* g: single-step to stage i, restarting first when it is behind us. */
void ui_act_goto_stage(struct tui *t, int i)
{
	const struct dbg_stages *st = dbg_session_stages(t->s);
	if (i < 0 || (size_t)i >= st->n)
		return;
	char line[32];
	snprintf(line, sizeof line, "stage %d", i);
	step_to(t, line, st->v[i].name);
}

/* ---- the lab ------------------------------------------------------------- */

/* Run step k's commands; false when one failed or was interrupted (the
 * lab pane says which), or the user quit. */
static bool lab_step(struct tui *t, size_t k)
{
	const struct dbg_lab *lab = t->lab.lab;
	const struct dbg_lab_step *st = &lab->steps[k];
	unsigned kinds = dbg_lab_program_kinds(t->s);
	ui_lab_start_step(&t->lab, k);
	for (size_t j = 0; j < st->ncmds; j++) {
		const struct dbg_lab_cmd *c = &st->cmds[j];
		if (!dbg_lab_runs(c->only, kinds))
			continue; /* not for this kind of binary: left unchecked */
		ui_lab_begin(&t->lab, k, j);
		t->interrupted = 0;
		int rc = ui_tui_run_cmd_at(t, c->text, lab->path, c->line,
					   UI_RUN_ECHO | UI_RUN_SLOW);
		ui_lab_end(&t->lab);
		bool intr = t->interrupted || ui_sig_take_sigint() > 0;
		if (rc < 0 || intr || t->quit) {
			char why[64];
			snprintf(why, sizeof why, "line %d: %s", c->line,
				 intr    ? "interrupted" :
				 t->quit ? "quit" :
					   "failed");
			ui_lab_stop_step(&t->lab, k, why);
			return false;
		}
	}
	ui_lab_finish_step(&t->lab, k, t->s);
	return true;
}

/* L: run the step on show. Its commands start where the previous step's
 * left the process; when the student went elsewhere since, the lab starts
 * again and replays the steps before it (breakpoints are the lab's: the
 * ones set by hand go, so the lab's own break commands do not collide). */
static void lab_run(struct tui *t)
{
	size_t k = t->lab.view;
	char msg[128];
	if (!ui_lab_in_step(&t->lab, k, t->s)) {
		if (k)
			snprintf(msg, sizeof msg, "lab: starting again, replaying steps 1-%zu", k);
		else
			snprintf(msg, sizeof msg, "lab: starting again");
		ui_tui_note(t, UI_CMD_NOTE, msg);
		dbg_session_delete_all(t->s);
		if (ui_tui_run_cmd(t, "starti", UI_RUN_QUIET) < 0)
			return;
		ui_lab_rewind(&t->lab, t->s);
		for (size_t j = 0; j < k; j++) {
			if (!lab_step(t, j)) {
				t->lab.view = j;
				goto out;
			}
		}
	}
	lab_step(t, k);
out:
	t->lab.show_checks = true;
	/* at 80x24 the results are on the lab's tab: show it */
	if (t->lay.mode == UI_LAYOUT_TABS && ui_tui_tab(t) != UI_PANE_LAB)
		ui_tui_focus(t, UI_PANE_LAB);
	size_t n, pass, fail;
	ui_lab_count(&t->lab, t->lab.view, &n, &pass, &fail);
	ui_tui_msg(t, fail > 0 || pass < n, "lab step %zu: %zu of %zu checks passed",
		   t->lab.view + 1, pass, n);
	t->dirty |= UI_DIRTY_PANE(UI_PANE_LAB);
}

void ui_act_lab(struct tui *t, enum ui_action a)
{
	if (!t->lab_on) {
		ui_tui_msg(t, true, "no lab is open (bootscope --lab N)");
		return;
	}
	size_t last = t->lab.lab->nsteps - 1;
	if (a == UI_ACT_LAB_RUN) {
		lab_run(t);
		return;
	}
	if (a == UI_ACT_LAB_NEXT && t->lab.view < last)
		t->lab.view++;
	else if (a == UI_ACT_LAB_PREV && t->lab.view > 0)
		t->lab.view--;
	else
		ui_tui_msg(t, false, "this is the %s step",
			   a == UI_ACT_LAB_NEXT ? "last" : "first");
	t->panes.pane[UI_PANE_LAB].view.top = 0;
	t->dirty |= UI_DIRTY_PANE(UI_PANE_LAB);
}

/* ---- the timeline -------------------------------------------------------- */

/* Show recorded step `step` (the interpreter's goto). */
void ui_act_tl_goto(struct tui *t, uint64_t step)
{
	char line[64];
	snprintf(line, sizeof line, "goto %" PRIu64, step);
	ui_tui_run_cmd(t, line, UI_RUN_QUIET);
}

/* { } (and < > outside lab mode): the view moves one bar cell. */
void ui_act_tl_move(struct tui *t, int dir)
{
	const struct ui_model *m = &t->m;
	if (!m->have_tl) {
		ui_tui_msg(t, true, "nothing recorded yet: s steps and records");
		return;
	}
	uint64_t cell = ui_bar_cell(t);
	uint64_t to;
	if (dir < 0)
		to = m->steps > m->tl_first + cell ? m->steps - cell : m->tl_first;
	else
		to = m->steps + cell < m->tl_last ? m->steps + cell : m->tl_last;
	if (to == m->steps) {
		ui_tui_msg(t, false, "at the %s recorded step", dir < 0 ? "first" : "last");
		return;
	}
	ui_act_tl_goto(t, to);
}

/* ---- why did this change? ------------------------------------------------ */

void ui_act_why(struct tui *t)
{
	struct dbg_timeline *tl = dbg_session_timeline(t->s);
	struct ui_model *m = &t->m;
	struct dbg_tl_info in;
	char what[160];
	uint64_t addr = 0, len = 8, upto;

	if (!tl || !m->have_tl) {
		ui_tui_msg(t, true, "nothing recorded yet: s steps and records");
		return;
	}
	dbg_tl_info(tl, &in);
	upto = in.view;
	switch (t->focus) {
	case UI_PANE_CHANGES: {
		const struct ui_changes *c = &t->changes;
		int sel = t->panes.pane[UI_PANE_CHANGES].view.sel;
		if (!c->valid || !c->n || sel < 0 || (size_t)sel >= c->n) {
			ui_tui_msg(t, true, "w: this step changed no field to ask about");
			return;
		}
		addr = c->v[sel].addr;
		len = c->v[sel].size;
		const char *colon = strstr(c->v[sel].text, ": ");
		int n = colon ? (int)(colon - c->v[sel].text) : (int)strlen(c->v[sel].text);
		snprintf(what, sizeof what, "%.*s", n, c->v[sel].text);
		/* the step shown wrote it: who wrote it before */
		upto = c->step ? c->step - 1 : 0;
		break;
	}
	case UI_PANE_TLS:
		if (!m->have_regs || m->regs.fs_base < 8) {
			ui_tui_msg(t, true, "w: fs_base is not set yet: no g at fs:-8");
			return;
		}
		addr = m->regs.fs_base - 8;
		snprintf(what, sizeof what, "fs:-8 (the current g)");
		break;
	case UI_PANE_STACK:
		if (!m->have_regs) {
			ui_tui_msg(t, true, "w: no registers at this stop");
			return;
		}
		addr = m->regs.rsp + 8 * (int64_t)m->stack_off;
		snprintf(what, sizeof what, "the stack slot at 0x%" PRIx64, addr);
		break;
	default:
		ui_tui_msg(t, true,
			   "w: focus the Changes pane (a field), TLS / g (fs:-8) or Stack (its top slot)");
		return;
	}
	if (!len || len > DBG_TL_WRITES_MAX)
		len = DBG_TL_WRITES_MAX;
	uint64_t step;
	if (dbg_tl_last_write(tl, addr, (size_t)len, upto, &step) < 0) {
		ui_tui_msg(t, true,
			   "no recorded step wrote %s up to step %" PRIu64 " (steps %" PRIu64
			   "..%" PRIu64 ")",
			   what, upto, in.first, in.last);
		return;
	}
	ui_act_tl_goto(t, step);
	/* the Changes pane shows that step: select the field, say what was
	 * asked */
	struct ui_changes *c = &t->changes;
	snprintf(c->why, sizeof c->why, "why: %s was last written at step %" PRIu64, what, step);
	c->why_step = step;
	for (size_t i = 0; i < c->n; i++)
		if (addr < c->v[i].addr + c->v[i].size && c->v[i].addr < addr + len) {
			t->panes.pane[UI_PANE_CHANGES].view.sel = (int)i;
			break;
		}
	ui_tui_focus(t, UI_PANE_CHANGES);
	ui_tui_msg(t, false, "%s: last written at step %" PRIu64 " (w again: the write before)",
		   what, step);
	t->dirty |= UI_DIRTY_PANE(UI_PANE_CHANGES);
}
