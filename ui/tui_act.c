#include "tui_act.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "changeset.h"
#include "dwarf.h"
#include "elf.h"
#include "expr.h"
#include "lab.h"
#include "render.h"
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

/* D: the teacher's demo of the step on show: its own commands run. They
 * start where the previous step's left the process; when the student
 * went elsewhere since, the lab starts again and replays the steps before
 * it (breakpoints are the lab's: the ones set by hand go, so the lab's
 * own break commands do not collide). */
static void lab_demo(struct tui *t)
{
	size_t k = t->lab.view;
	char msg[128];
	if (!ui_lab_in_step(&t->lab, k, t->s)) {
		if (k)
			snprintf(msg, sizeof msg, "lab demo: starting again, replaying steps 1-%zu",
				 k);
		else
			snprintf(msg, sizeof msg, "lab demo: starting again");
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
	ui_tui_msg(t, fail > 0 || pass < n, "lab step %zu (demo): %zu of %zu checks passed",
		   t->lab.view + 1, pass, n);
	t->dirty |= UI_DIRTY_PANE(UI_PANE_LAB);
}

/* Grade the answers of step k where the program is now; *right of *n
 * graded ones were right. */
static void lab_grade(struct tui *t, size_t k, size_t *n, size_t *right)
{
	const struct dbg_lab *lab = t->lab.lab;
	const struct dbg_lab_step *st = &lab->steps[k];
	struct dbg_arena arena;
	dbg_arena_init(&arena);
	*n = *right = 0;
	for (size_t q = 0; q < st->nask; q++) {
		const struct dbg_lab_answer *spec = &st->answers[q];
		struct ui_lab_answer *a = ui_lab_answer_at(&t->lab, k, q);
		struct dbg_expr_value v = { .v = 0 };
		struct dbg_err err;
		char want[sizeof a->expected];
		bool known = true;
		if (spec->kind == DBG_LAB_ANS_NONE) {
			a->state = a->text[0] ? UI_ANSWER_UNGRADED : UI_ANSWER_NONE;
			continue;
		}
		(*n)++;
		if (spec->kind == DBG_LAB_ANS_EXPR) {
			struct dbg_expr_env env;
			dbg_cmd_expr_env(t->ctx, &env);
			known = dbg_expr_eval(spec->text, &env, &arena, &v, &err) == 0;
			dbg_arena_reset(&arena);
		}
		bool ok = known && dbg_lab_answer_right(spec, a->text[0] ? a->text : NULL, v.v,
							want, sizeof want);
		if (!known)
			snprintf(want, sizeof want, "unknown here");
		a->state = !a->text[0] ? UI_ANSWER_NONE : ok ? UI_ANSWER_RIGHT : UI_ANSWER_WRONG;
		/* what was expected, only when the lab allows it */
		snprintf(a->expected, sizeof a->expected, "%s", !ok && lab->reveal ? want : "");
		*right += ok;
	}
	dbg_arena_release(&arena);
}

/* L (or Enter on the lab pane): check where the student is. The step's
 * checks of where it ends are evaluated on the program as it is, and its
 * answers graded; no command that runs the program: the process and its
 * history are left as they are. */
static void lab_check(struct tui *t)
{
	const struct dbg_lab *lab = t->lab.lab;
	size_t k = t->lab.view;
	const struct dbg_lab_step *st = &lab->steps[k];
	unsigned kinds = dbg_lab_program_kinds(t->s);
	size_t n = 0, pass = 0, nq, right;
	ui_lab_start_check(&t->lab, k);
	for (size_t j = 0; j < st->ncmds; j++) {
		const struct dbg_lab_cmd *c = &st->cmds[j];
		const struct ui_lab_check *chk = ui_lab_check_at(&t->lab, k, j);
		if (!chk || !chk->final || !dbg_lab_runs(c->only, kinds))
			continue;
		ui_lab_begin(&t->lab, k, j);
		ui_tui_run_cmd_at(t, c->text, lab->path, c->line, UI_RUN_QUIET);
		ui_lab_end(&t->lab);
		n++;
		pass += chk->state == UI_CHECK_PASS;
	}
	lab_grade(t, k, &nq, &right);
	ui_lab_checked(&t->lab, k);
	t->lab.show_checks = true;
	if (t->lay.mode == UI_LAYOUT_TABS && ui_tui_tab(t) != UI_PANE_LAB)
		ui_tui_focus(t, UI_PANE_LAB);
	if (nq)
		ui_tui_msg(t, pass < n || right < nq,
			   "lab step %zu: %zu of %zu checks passed here, %zu of %zu answers right",
			   k + 1, pass, n, right, nq);
	else
		ui_tui_msg(t, pass < n, "lab step %zu: %zu of %zu checks passed here", k + 1, pass,
			   n);
	t->dirty |= UI_DIRTY_PANE(UI_PANE_LAB);
}

/* The answer line for the selected question, holding its answer so far. */
static void open_answer(struct tui *t)
{
	const struct ui_lab_answer *a = ui_lab_answer_at(&t->lab, t->lab.view, t->lab.sel);
	ui_edit_open(&t->ans);
	if (a)
		ui_edit_replace(&t->ans, 0, a->text, strlen(a->text));
	t->lab.answering = true;
	t->lab.gen++;
	t->dirty |= UI_DIRTY_STATUS | UI_DIRTY_PANE(UI_PANE_LAB);
}

void ui_act_lab_answer_key(struct tui *t, int ch)
{
	size_t nask = t->lab.lab->steps[t->lab.view].nask;
	if (ch == KEY_UP || ch == KEY_DOWN) {
		/* another question of the step */
		t->lab.sel = (t->lab.sel + (ch == KEY_UP ? nask - 1 : 1)) % nask;
		open_answer(t);
		return;
	}
	if (ui_edit_key(&t->ans, ch)) {
		ui_lab_set_answer(&t->lab, t->lab.view, t->lab.sel, t->ans.text);
		ui_tui_msg(t, false, "answer %zu.%zu kept; L checks it", t->lab.view + 1,
			   t->lab.sel + 1);
		t->lab.sel = (t->lab.sel + 1) % nask;
	}
	if (!t->ans.open)
		t->lab.answering = false;
	t->lab.gen++;
	t->dirty |= UI_DIRTY_STATUS | UI_DIRTY_PANE(UI_PANE_LAB);
}

void ui_act_lab(struct tui *t, enum ui_action a)
{
	if (!t->lab_on) {
		ui_tui_msg(t, true, "no lab is open (bootscope --lab N)");
		return;
	}
	size_t last = t->lab.lab->nsteps - 1;
	if (a == UI_ACT_LAB_RUN) {
		lab_check(t);
		return;
	}
	if (a == UI_ACT_LAB_DEMO) {
		lab_demo(t);
		return;
	}
	if (a == UI_ACT_LAB_ANSWER) {
		if (!t->lab.lab->steps[t->lab.view].nask) {
			ui_tui_msg(t, true, "step %zu asks no question", t->lab.view + 1);
			return;
		}
		if (t->lab.sel >= t->lab.lab->steps[t->lab.view].nask)
			t->lab.sel = 0;
		open_answer(t);
		return;
	}
	if (a == UI_ACT_LAB_NEXT && t->lab.view < last)
		t->lab.view++;
	else if (a == UI_ACT_LAB_PREV && t->lab.view > 0)
		t->lab.view--;
	else
		ui_tui_msg(t, false, "this is the %s step",
			   a == UI_ACT_LAB_NEXT ? "last" : "first");
	t->lab.sel = 0;
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

/* How far back `w` looks for a register's change (records). */
#define WHY_REG_LOOKBACK ((size_t)1 << 26)

/* What `w` asks about: a range of memory, or a register (reg >= 0: its
 * word in struct dbg_regs). */
struct why_q {
	char what[160];
	uint64_t addr, len;
	int reg;
};

/* The address and size of field path of the runtime's struct type at
 * obj: 0, or -1 with the status line saying why. */
static int field_at(struct tui *t, const char *type, uint64_t obj, const char *path,
		    struct why_q *q)
{
	const struct dbg_type *ty = dbg_rt_type(t->s, type);
	const struct dbg_type *ft = NULL;
	uint64_t off;
	struct dbg_err e;
	if (!obj) {
		ui_tui_msg(t, true, "w: %s: there is no %s yet", q->what, type);
		return -1;
	}
	if (!ty || dbg_type_field(ty, path, &off, &ft, &e) < 0) {
		ui_tui_msg(t, true, "w: the address of %s needs the DWARF of struct %s", q->what,
			   type);
		return -1;
	}
	q->addr = obj + off;
	q->len = ft && ft->size ? ft->size : 8;
	return 0;
}

#define REG_WORD(f) ((int)(offsetof(struct dbg_regs, f) / sizeof(uint64_t)))

/* The TLS / g pane's selected row. */
static int why_tls(struct tui *t, int row, struct why_q *q)
{
	const struct ui_model *m = &t->m;
	const struct ui_cur_m *mm = m->cur_m.valid ? &m->cur_m : NULL;
	static const char *const m_fields[] = { "g0", "curg", "p" };
	if (!m->have_regs) {
		ui_tui_msg(t, true, "w: no registers at this stop");
		return -1;
	}
	switch (row) {
	case 0:
		snprintf(q->what, sizeof q->what, "fs_base");
		q->reg = REG_WORD(fs_base);
		return 0;
	case 1: {
		int64_t off = dbg_session_tls_g(t->s);
		char slot[24];
		ui_render_fs_slot(off, slot, sizeof slot);
		if (!m->regs.fs_base) {
			ui_tui_msg(t, true, "w: fs_base is not set yet: no g at %s", slot);
			return -1;
		}
		q->addr = m->regs.fs_base + (uint64_t)off;
		q->len = 8;
		snprintf(q->what, sizeof q->what, "%s (the current g)", slot);
		return 0;
	}
	case 2:
		if (!m->rt_ok || !m->rt.g) {
			ui_tui_msg(t, true, "w: there is no current g: no g.m");
			return -1;
		}
		snprintf(q->what, sizeof q->what, "%s.m", m->rt.g_label);
		return field_at(t, "g", m->rt.g, "m", q);
	case 3:
	case 4:
	case 5:
		if (!mm) {
			ui_tui_msg(t, true, "w: the current g has no M");
			return -1;
		}
		snprintf(q->what, sizeof q->what, "m%ld.%s", (long)mm->id, m_fields[row - 3]);
		return field_at(t, "m", mm->addr, m_fields[row - 3], q);
	default:
		ui_tui_msg(t, true,
			   "w: runtime.g0 and runtime.m0 are the addresses of globals: no step writes them");
		return -1;
	}
}

/* The registers pane's selected register. */
static int why_reg(struct tui *t, int item, struct why_q *q)
{
	if (item < 16) {
		snprintf(q->what, sizeof q->what, "%s", dbg_regs_table[item].name);
		q->reg = (int)(dbg_regs_table[item].offset / sizeof(uint64_t));
		return 0;
	}
	if (item == 16) {
		ui_tui_msg(t, true, "w: every step changes rip (S: the step before)");
		return -1;
	}
	snprintf(q->what, sizeof q->what, "%s", item == 17 ? "eflags" : "fs_base");
	q->reg = item == 17 ? REG_WORD(eflags) : REG_WORD(fs_base);
	return 0;
}

/* The register an instruction that wrote register `word` read it from,
 * as a word of struct dbg_regs, or -1 (an immediate, memory, none). */
static int reg_source(const struct dbg_insn *in, int word)
{
	int src = -1;
	bool dst = false;
	for (uint8_t i = 0; i < in->nops; i++) {
		const struct dbg_operand *o = &in->op[i];
		if (o->type != DBG_OP_REG || o->reg < DBG_REG_RAX || o->reg > DBG_REG_R15)
			continue;
		int w = (int)(o->reg - DBG_REG_RAX);
		if (o->write && w == word)
			dst = true;
		else if (o->read && !o->write && src < 0)
			src = w;
	}
	return dst ? src : -1;
}

/* A register's last change: go there and say what set it. */
static void why_reg_go(struct tui *t, struct dbg_timeline *tl, const struct why_q *q, uint64_t upto,
		       const struct dbg_tl_info *in)
{
	struct dbg_tl_regset rs;
	int rc = dbg_tl_reg_last_change(tl, upto, (unsigned)q->reg, WHY_REG_LOOKBACK, &rs);
	if (rc == -ESRCH) {
		ui_tui_msg(t, true,
			   "%s: not changed since step %" PRIu64
			   ", where another thread's steps end (its registers before are theirs)",
			   q->what, rs.step);
		return;
	}
	if (rc < 0) {
		ui_tui_msg(t, true,
			   "no recorded step changed %s up to step %" PRIu64 " (steps %" PRIu64
			   "..%" PRIu64 ")",
			   q->what, upto, in->first, in->last);
		return;
	}
	if (rs.step != in->view)
		ui_act_tl_goto(t, rs.step);
	struct ui_changes *c = &t->changes;
	char sym[160], chain[96] = "";
	struct dbg_why why;
	struct dbg_err e;
	dbg_session_symbolize(t->s, rs.pc, sym, sizeof sym);
	if (rs.jump) {
		snprintf(why.text, sizeof why.text, "a free run from %#" PRIx64, rs.pc);
	} else if (dbg_changes_why(t->s, rs.pc, &why, &e) < 0) {
		snprintf(why.text, sizeof why.text, "%#" PRIx64 " <%s>", rs.pc, sym);
	} else {
		int src = reg_source(&why.insn, q->reg);
		struct dbg_tl_regset ss;
		if (src >= 0 && rs.step > in->first + 1 &&
		    dbg_tl_reg_last_change(tl, rs.step - 1, (unsigned)src, WHY_REG_LOOKBACK, &ss) ==
			    0)
			snprintf(chain, sizeof chain, ", from %%%s set at step %" PRIu64,
				 dbg_regs_table[src].name, ss.step);
		else if (src >= 0)
			snprintf(chain, sizeof chain, ", from %%%s", dbg_regs_table[src].name);
	}
	snprintf(c->why, sizeof c->why, "why: %s was last changed at step %" PRIu64, q->what,
		 rs.step);
	snprintf(c->why_by, sizeof c->why_by,
		 "  %#" PRIx64 " -> %#" PRIx64 " by %#" PRIx64 ": %s%s", rs.before, rs.after, rs.pc,
		 why.text, chain);
	c->why_step = rs.step;
	snprintf(c->why_what, sizeof c->why_what, "%s", q->what);
	/* the panes as tabs: the Changes pane shows the chain */
	if (t->lay.mode == UI_LAYOUT_TABS)
		ui_tui_focus(t, UI_PANE_CHANGES);
	ui_tui_msg(t, false,
		   "%s: last changed at step %" PRIu64 " <%s> (w again: the change before)",
		   q->what, rs.step, sym);
	t->dirty |= UI_DIRTY_PANE(UI_PANE_CHANGES) | UI_DIRTY_PANE(t->focus);
}

void ui_act_why(struct tui *t)
{
	struct dbg_timeline *tl = dbg_session_timeline(t->s);
	struct ui_model *m = &t->m;
	struct ui_changes *c = &t->changes;
	struct dbg_tl_info in;
	struct why_q q = { .len = 8, .reg = -1 };
	struct ui_gmp_field gf = { 0 };
	enum ui_pane from = t->focus;
	int sel = t->panes.pane[from].view.sel;
	uint64_t upto;

	if (!tl || !m->have_tl) {
		ui_tui_msg(t, true, "nothing recorded yet: s steps and records");
		return;
	}
	dbg_tl_info(tl, &in);
	upto = in.view;
	switch (from) {
	case UI_PANE_CHANGES:
		if (!c->valid || !c->n || sel < 0 || (size_t)sel >= c->n) {
			ui_tui_msg(t, true, "w: this step changed no field to ask about");
			return;
		}
		q.addr = c->v[sel].addr;
		q.len = c->v[sel].size;
		const char *colon = strstr(c->v[sel].text, ": ");
		int n = colon ? (int)(colon - c->v[sel].text) : (int)strlen(c->v[sel].text);
		snprintf(q.what, sizeof q.what, "%.*s", n, c->v[sel].text);
		/* the step shown wrote it: who wrote it before */
		upto = c->step ? c->step - 1 : 0;
		break;
	case UI_PANE_TLS:
		if (why_tls(t, sel, &q) < 0)
			return;
		break;
	case UI_PANE_REGS:
		if (!m->have_regs) {
			ui_tui_msg(t, true, "w: no registers at this stop");
			return;
		}
		if (why_reg(t, sel, &q) < 0)
			return;
		break;
	case UI_PANE_GMP:
		if (t->panes.gmp_diagram) {
			ui_tui_msg(t, true, "w: a field of the tables (v: back to the tables)");
			return;
		}
		if (ui_gmp_field(m, sel, t->panes.pane[from].view.col, &gf) < 0) {
			ui_tui_msg(t, true, "w: no G, M or P row selected");
			return;
		}
		snprintf(q.what, sizeof q.what, "%s", gf.what);
		if (field_at(t, gf.type, gf.obj, gf.path, &q) < 0)
			return;
		break;
	case UI_PANE_STACK:
		if (!m->have_regs || sel < 0 || (size_t)sel >= m->nslots) {
			ui_tui_msg(t, true, "w: no stack slot selected");
			return;
		}
		q.addr = m->slots[sel].addr;
		snprintf(q.what, sizeof q.what, "stack slot 0x%" PRIx64, q.addr);
		break;
	default:
		ui_tui_msg(t, true,
			   "w: focus the Changes pane (a field), TLS / g, G/M/P (a field), Stack (a slot) or Registers");
		return;
	}
	/* w again on what the last w found at this step: the change before */
	if (from != UI_PANE_CHANGES && c->why[0] && c->why_step == in.view && in.view > 0 &&
	    strcmp(c->why_what, q.what) == 0)
		upto = in.view - 1;
	if (q.reg >= 0) {
		why_reg_go(t, tl, &q, upto, &in);
		return;
	}
	if (!q.len || q.len > DBG_TL_WRITES_MAX)
		q.len = DBG_TL_WRITES_MAX;
	uint64_t step;
	if (dbg_tl_last_write(tl, q.addr, (size_t)q.len, upto, &step) < 0) {
		ui_tui_msg(t, true,
			   "no recorded step wrote %s up to step %" PRIu64 " (steps %" PRIu64
			   "..%" PRIu64 ")",
			   q.what, upto, in.first, in.last);
		return;
	}
	if (step != in.view)
		ui_act_tl_goto(t, step);
	/* the Changes pane shows that step: select the field, say what was
	 * asked */
	snprintf(c->why, sizeof c->why, "why: %s was last written at step %" PRIu64, q.what, step);
	c->why_by[0] = '\0';
	c->why_step = step;
	snprintf(c->why_what, sizeof c->why_what, "%s", q.what);
	for (size_t i = 0; i < c->n; i++)
		if (q.addr < c->v[i].addr + c->v[i].size && c->v[i].addr < q.addr + q.len) {
			t->panes.pane[UI_PANE_CHANGES].view.sel = (int)i;
			break;
		}
	/* the same object's row, which may have moved in the tables */
	if (from == UI_PANE_GMP) {
		struct ui_gmp_field f;
		for (int i = 0; ui_gmp_field(m, i, t->panes.pane[from].view.col, &f) == 0; i++)
			if (f.obj == gf.obj && strcmp(f.type, gf.type) == 0) {
				t->panes.pane[from].view.sel = i;
				break;
			}
	}
	if (from == UI_PANE_CHANGES || t->lay.mode == UI_LAYOUT_TABS)
		ui_tui_focus(t, UI_PANE_CHANGES);
	ui_tui_msg(t, false, "%s: last written at step %" PRIu64 " (w again: the write before)",
		   q.what, step);
	t->dirty |= UI_DIRTY_PANE(UI_PANE_CHANGES) | UI_DIRTY_PANE(from);
}
