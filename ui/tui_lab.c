#include "tui_lab.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ui_lab_init(struct ui_lab *l, const struct dbg_lab *lab)
{
	size_t n = 0;

	memset(l, 0, sizeof *l);
	l->lab = lab;
	l->cur_step = l->cur_cmd = -1;
	for (size_t k = 0; k < lab->nsteps; k++)
		n += lab->steps[k].ncmds;
	size_t nq = 0;
	for (size_t k = 0; k < lab->nsteps; k++)
		nq += lab->steps[k].nask;
	l->checks = calloc(n ? n : 1, sizeof *l->checks);
	l->first = calloc(lab->nsteps ? lab->nsteps : 1, sizeof *l->first);
	l->state = calloc(lab->nsteps ? lab->nsteps : 1, sizeof *l->state);
	l->answers = calloc(nq ? nq : 1, sizeof *l->answers);
	l->qfirst = calloc(lab->nsteps ? lab->nsteps : 1, sizeof *l->qfirst);
	if (!l->checks || !l->first || !l->state || !l->answers || !l->qfirst) {
		ui_lab_release(l);
		return -ENOMEM;
	}
	n = nq = 0;
	for (size_t k = 0; k < lab->nsteps; k++) {
		const struct dbg_lab_step *st = &lab->steps[k];
		size_t last_move = 0;
		bool moves = false;

		l->first[k] = n;
		l->qfirst[k] = nq;
		for (size_t j = 0; j < st->ncmds; j++)
			if (st->cmds[j].moves || st->cmds[j].restarts || st->cmds[j].switches) {
				last_move = j;
				moves = true;
			}
		for (size_t j = 0; j < st->ncmds; j++)
			l->checks[n + j].final = !moves || j > last_move;
		n += st->ncmds;
		nq += st->nask;
	}
	return 0;
}

void ui_lab_release(struct ui_lab *l)
{
	free(l->checks);
	free(l->first);
	free(l->state);
	free(l->answers);
	free(l->qfirst);
	memset(l, 0, sizeof *l);
	l->cur_step = l->cur_cmd = -1;
}

void ui_lab_start_step(struct ui_lab *l, size_t k)
{
	const struct dbg_lab_step *st = &l->lab->steps[k];
	for (size_t j = 0; j < st->ncmds; j++)
		l->checks[l->first[k] + j].state = UI_CHECK_PENDING;
	l->state[k] = UI_STEP_NEW;
	if (l->err_step == k)
		l->err[0] = '\0';
	l->gen++;
}

void ui_lab_begin(struct ui_lab *l, size_t k, size_t j)
{
	l->cur_step = (int)k;
	l->cur_cmd = (int)j;
}

void ui_lab_end(struct ui_lab *l)
{
	l->cur_step = l->cur_cmd = -1;
}

/* A value of an expect event, as a lab shows it: small numbers in decimal,
 * addresses and masks in hex. */
static void value_str(char *buf, size_t n, const struct dbg_val *v)
{
	if (!v || v->kind == DBG_VAL_NULL)
		snprintf(buf, n, "?");
	else if (v->kind == DBG_VAL_BOOL)
		snprintf(buf, n, "%s", v->b ? "true" : "false");
	else if (v->kind == DBG_VAL_INT && v->i < 0)
		snprintf(buf, n, "%" PRId64, v->i);
	else if (v->u < 65536)
		snprintf(buf, n, "%" PRIu64, v->u);
	else
		snprintf(buf, n, "%#" PRIx64, v->u);
}

void ui_lab_event(struct ui_lab *l, const struct dbg_val *ev)
{
	const char *name = dbg_event_name(ev);
	if (l->cur_step < 0 || !name)
		return;
	size_t k = (size_t)l->cur_step, j = (size_t)l->cur_cmd;
	const struct dbg_lab_step *st = &l->lab->steps[k];

	if (strcmp(name, "error") == 0) {
		const char *msg = dbg_val_get_str(ev, "message");
		snprintf(l->err, sizeof l->err, "line %d: %s", st->cmds[j].line,
			 msg ? msg : "error");
		l->err_step = k;
		l->gen++;
		return;
	}
	if (strcmp(name, "expect") != 0 || !st->cmds[j].expect)
		return;
	struct ui_lab_check *c = &l->checks[l->first[k] + j];
	struct dbg_lab_check chk;
	dbg_lab_check_of(ev, &chk);
	c->state = chk.pass ? UI_CHECK_PASS : UI_CHECK_FAIL;
	value_str(c->expected, sizeof c->expected, chk.expected);
	value_str(c->actual, sizeof c->actual, chk.actual);
	l->gen++;
}

void ui_lab_stop_step(struct ui_lab *l, size_t k, const char *msg)
{
	l->state[k] = UI_STEP_STOPPED;
	if (msg && !(l->err_step == k && l->err[0]))
		snprintf(l->err, sizeof l->err, "%s", msg);
	l->err_step = k;
	l->mark.valid = false;
	l->gen++;
}

static uint64_t bps_hash(struct dbg_session *s)
{
	const struct dbg_bp *bps;
	size_t n = dbg_session_breakpoints(s, &bps);
	uint64_t h = 0xcbf29ce484222325ull ^ n;
	for (size_t i = 0; i < n; i++) {
		uint64_t v[] = { (uint64_t)bps[i].id, bps[i].addr, bps[i].enabled };
		for (size_t b = 0; b < sizeof v / sizeof v[0]; b++)
			h = (h ^ v[b]) * 0x100000001b3ull;
	}
	return h;
}

static void take_mark(struct ui_lab_mark *m, struct dbg_session *s)
{
	const struct dbg_regs *r = dbg_session_regs(s);
	m->valid = true;
	m->pid = dbg_session_pid(s);
	m->steps = dbg_session_steps(s);
	m->pc = r ? r->rip : 0;
	m->sp = r ? r->rsp : 0;
	m->bps = bps_hash(s);
}

void ui_lab_finish_step(struct ui_lab *l, size_t k, struct dbg_session *s)
{
	l->state[k] = UI_STEP_DONE;
	l->done = k + 1;
	take_mark(&l->mark, s);
	l->gen++;
}

void ui_lab_rewind(struct ui_lab *l, struct dbg_session *s)
{
	l->done = 0;
	take_mark(&l->mark, s);
}

bool ui_lab_in_step(const struct ui_lab *l, size_t k, struct dbg_session *s)
{
	struct ui_lab_mark now;
	if (k != l->done || !l->mark.valid || !dbg_session_running(s))
		return false;
	take_mark(&now, s);
	return now.pid == l->mark.pid && now.steps == l->mark.steps && now.pc == l->mark.pc &&
	       now.sp == l->mark.sp && now.bps == l->mark.bps;
}

void ui_lab_count(const struct ui_lab *l, size_t k, size_t *n, size_t *pass, size_t *fail)
{
	size_t from = k == SIZE_MAX ? 0 : k;
	size_t to = k == SIZE_MAX ? l->lab->nsteps : k + 1;
	*n = *pass = *fail = 0;
	for (size_t i = from; i < to; i++) {
		const struct dbg_lab_step *st = &l->lab->steps[i];
		for (size_t j = 0; j < st->ncmds; j++) {
			if (!st->cmds[j].expect)
				continue;
			const struct ui_lab_check *c = &l->checks[l->first[i] + j];
			(*n)++;
			*pass += c->state == UI_CHECK_PASS;
			*fail += c->state == UI_CHECK_FAIL;
		}
	}
}

const struct ui_lab_check *ui_lab_check_at(const struct ui_lab *l, size_t k, size_t j)
{
	if (k >= l->lab->nsteps || j >= l->lab->steps[k].ncmds || !l->lab->steps[k].cmds[j].expect)
		return NULL;
	return &l->checks[l->first[k] + j];
}

struct ui_lab_answer *ui_lab_answer_at(const struct ui_lab *l, size_t k, size_t q)
{
	if (k >= l->lab->nsteps || q >= l->lab->steps[k].nask)
		return NULL;
	return &l->answers[l->qfirst[k] + q];
}

void ui_lab_set_answer(struct ui_lab *l, size_t k, size_t q, const char *text)
{
	struct ui_lab_answer *a = ui_lab_answer_at(l, k, q);
	if (!a)
		return;
	snprintf(a->text, sizeof a->text, "%s", text);
	a->state = *text ? UI_ANSWER_TYPED : UI_ANSWER_NONE;
	a->expected[0] = '\0';
	l->gen++;
}

void ui_lab_start_check(struct ui_lab *l, size_t k)
{
	const struct dbg_lab_step *st = &l->lab->steps[k];
	for (size_t j = 0; j < st->ncmds; j++)
		if (l->checks[l->first[k] + j].final)
			l->checks[l->first[k] + j].state = UI_CHECK_PENDING;
	if (l->err_step == k)
		l->err[0] = '\0';
	l->gen++;
}

void ui_lab_checked(struct ui_lab *l, size_t k)
{
	l->state[k] = UI_STEP_CHECKED;
	l->gen++;
}
