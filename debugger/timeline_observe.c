/*
 * timeline_observe — the observer told about every recorded step
 * (dbg_tl_set_observer), with the step's data as plain values.
 */
#include "timeline_int.h"

void dbg_tl_set_observer(struct dbg_timeline *tl, dbg_tl_observer *fn, void *arg)
{
	tl->obs_fn = fn;
	tl->obs_arg = arg;
	tl->obs_rc = 0;
	tl->obs_told = false;
	dbg_err_clear(&tl->obs_err);
	if (fn)
		dbg_tl_set_full(tl, true);
}

int dbg_tl_observer_status(struct dbg_timeline *tl, struct dbg_err *err)
{
	if (!tl || !tl->obs_rc || tl->obs_told)
		return 0;
	tl->obs_told = true;
	if (!tl->obs_err.msg[0])
		return dbg_err_errno(err, tl->obs_rc, "the step observer failed");
	if (err)
		*err = tl->obs_err;
	return tl->obs_rc;
}

/* The step just recorded (tl->last), from the state before it (pre_rip,
 * pre_dec, last_regs, the ranges read around it) and the registers r
 * after it. */
void tl_observe_step(struct dbg_timeline *tl, struct dbg_target *t, const struct dbg_regs *r)
{
	char sym[256], text[256];
	struct dbg_tl_reg regs[NREGS];
	struct dbg_tl_step s = {
		.step = tl->last,
		.pc = tl->pre_rip,
		.stage = -1,
		.regs = regs,
	};

	if (dbg_target_symbolize(t, s.pc, sym, sizeof(sym)) == 0)
		s.symbol = sym;
	int st = tl_stage_at(tl, tl->last);
	if (st >= 0 && (size_t)st < t->stages.n) {
		s.stage = st;
		s.stage_name = t->stages.v[st].name;
	}
	struct dbg_insn in;
	if (tl->pre_dec && dbg_disasm_one(t->dis, tl->pre_dec->ws.bytes, tl->pre_dec->ws.size, s.pc,
					  &in, NULL) == 0) {
		dbg_insn_text(&in, text, sizeof(text));
		s.insn = text;
	}
	const uint64_t *o = tl_cwords(&tl->last_regs), *w = tl_cwords(r);
	for (size_t i = 0; i < dbg_regs_count && s.nregs < NREGS; i++) {
		size_t k = dbg_regs_table[i].offset / 8;
		if (o[k] != w[k])
			regs[s.nregs++] = (struct dbg_tl_reg){ dbg_regs_table[i].name, o[k], w[k] };
	}
	tl->obs_mem = dbg_grow(tl->obs_mem, &tl->obs_mem_cap, tl->nranges, sizeof(*tl->obs_mem));
	for (size_t i = 0; i < tl->nranges; i++) {
		const struct range *rg = &tl->ranges[i];
		if (!rg->old_ok || !rg->new_ok)
			continue;
		const uint8_t *a = tl->old + rg->off, *b = tl->new + rg->off;
		size_t lo = 0, hi = rg->len;
		if (rg->syscall) { /* the kernel fills what it fills: show that */
			while (lo < hi && a[lo] == b[lo])
				lo++;
			while (hi > lo && a[hi - 1] == b[hi - 1])
				hi--;
			if (lo == hi)
				continue;
		}
		tl->obs_mem[s.nmem++] =
			(struct dbg_tl_write){ rg->addr + lo, hi - lo, a + lo, b + lo };
	}
	s.mem = tl->obs_mem;

	dbg_err_clear(&tl->obs_err);
	int rc = tl->obs_fn(tl->obs_arg, &s, &tl->obs_err);
	if (rc < 0) {
		/* the observer is done: the error waits for dbg_tl_observer_status */
		tl->obs_fn = NULL;
		tl->obs_arg = NULL;
		tl->obs_rc = rc;
		tl->obs_told = false;
	}
}
