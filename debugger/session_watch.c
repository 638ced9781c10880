/*
 * session_watch — watchpoints (see session.h): the CPU's debug registers
 * for hardware ones, a comparison after every single step for software
 * ones, and what a stop on either reports.
 */
#include "session_int.h"

/* DR6: which of DR0-DR3 met its condition. */
#define DR6_HITS 0xfull

/* DR7 bits of one watchpoint in its slot (Intel SDM 17.2.4): the local
 * enable bit, R/W (01 writes, 11 reads and writes) and LEN (00 one byte,
 * 01 two, 11 four, 10 eight). */
static uint64_t dr7_bits(const struct dbg_watch *w)
{
	uint64_t rw = w->kind == DBG_WATCH_WRITE ? 1 : 3;
	uint64_t len = w->len == 1 ? 0 : w->len == 2 ? 1 : w->len == 8 ? 2 : 3;
	unsigned i = (unsigned)w->slot;
	return (1ull << (2 * i)) | ((rw | len << 2) << (16 + 4 * i));
}

/* A register's value for an effective address (dbg_regs holds rax … r15
 * in enum dbg_reg's order); rip: the next instruction. */
static bool reg_value(const struct dbg_regs *r, enum dbg_reg reg, uint64_t next_pc, uint64_t *v)
{
	if (reg == DBG_REG_NONE)
		*v = 0;
	else if (reg >= DBG_REG_RAX && reg <= DBG_REG_R15)
		*v = ((const uint64_t *)(const void *)r)[reg - DBG_REG_RAX];
	else if (reg == DBG_REG_RIP)
		*v = next_pc;
	else if (reg == DBG_REG_FS)
		*v = r->fs_base;
	else if (reg == DBG_REG_GS)
		*v = r->gs_base;
	else
		return false;
	return true;
}

static bool overlaps(const struct dbg_watch *w, uint64_t addr, uint64_t len)
{
	return addr < w->addr + w->len && w->addr < addr + len;
}

static bool mnem_is(const char *m, const char *prefix)
{
	return strncmp(m, prefix, strlen(prefix)) == 0;
}

/*
 * Before a single step of the current thread, for software read and
 * access watchpoints: whether the instruction at pc accesses each one
 * (w->touched): its memory operands (lea and nop only compute an
 * address), the stack word pop and ret read and push and call write.
 * String instructions' implicit rsi/rdi operands are not seen.
 */
uint64_t sess_watch_before(struct dbg_session *s)
{
	s->watch_replay = false;
	if (!s->t.bps.nw)
		return 0;
	uint64_t from = sess_now(s)->rip;
	s->watch_replay = sess_history(s);
	bool any = false;
	for (size_t i = 0; i < s->t.bps.nw; i++) {
		struct dbg_watch *w = &s->t.bps.w[i];
		w->touched = false;
		any |= !w->hw && w->kind != DBG_WATCH_WRITE;
	}
	if (!any || !s->t.live || sess_history(s))
		return from;
	const struct dbg_regs *r = sess_now(s);
	struct dbg_insn in;
	if (dbg_target_insn(&s->t, r->rip, &in) < 0)
		return from;
	uint64_t next = r->rip + in.size;
	bool addr_only = mnem_is(in.mnemonic, "lea") || mnem_is(in.mnemonic, "nop");
	for (size_t i = 0; i < s->t.bps.nw; i++) {
		struct dbg_watch *w = &s->t.bps.w[i];
		if (w->hw || w->kind == DBG_WATCH_WRITE)
			continue;
		bool access = w->kind == DBG_WATCH_ACCESS;
		for (unsigned k = 0; k < in.nops && !addr_only; k++) {
			const struct dbg_operand *op = &in.op[k];
			uint64_t base, index, seg;
			if (op->type != DBG_OP_MEM)
				continue;
			/* a read, or for awatch any access (capstone's flags
			 * miss some reads: an operand not only written counts) */
			if (!access && op->write && !op->read)
				continue;
			if (!reg_value(r, op->mem.base, next, &base) ||
			    !reg_value(r, op->mem.index, next, &index) ||
			    !reg_value(r, op->mem.seg, next, &seg))
				continue;
			uint64_t ea = seg + base + index * (uint64_t)op->mem.scale +
				      (uint64_t)op->mem.disp;
			if (overlaps(w, ea, op->size ? op->size : 8))
				w->touched = true;
		}
		if ((mnem_is(in.mnemonic, "pop") || in.is_ret) && overlaps(w, r->rsp, 8))
			w->touched = true;
		if (access && (mnem_is(in.mnemonic, "push") || in.is_call) &&
		    overlaps(w, r->rsp - 8, 8))
			w->touched = true;
	}
	return from;
}

bool sess_soft_watches(const struct dbg_session *s)
{
	for (size_t i = 0; i < s->t.bps.nw; i++)
		if (!s->t.bps.w[i].hw)
			return true;
	return false;
}

static bool hw_watches(const struct dbg_session *s)
{
	for (size_t i = 0; i < s->t.bps.nw; i++)
		if (s->t.bps.w[i].hw)
			return true;
	return false;
}

static int read_value(struct dbg_session *s, const struct dbg_watch *w, uint64_t *v,
		      struct dbg_err *err)
{
	*v = 0;
	return dbg_target_read(&s->t, w->addr, v, w->len, err);
}

/* The debug registers of every thread from the hardware watchpoints, and
 * the value each watchpoint starts from. */
int sess_arm_watches(struct dbg_session *s, struct dbg_err *err)
{
	if (!s->t.live)
		return 0;
	uint64_t dr[4] = { 0 }, dr7 = 0;
	for (size_t i = 0; i < s->t.bps.nw; i++) {
		struct dbg_watch *w = &s->t.bps.w[i];
		w->old_valid = read_value(s, w, &w->old, NULL) == 0;
		if (!w->hw)
			continue;
		dr[w->slot] = w->addr;
		dr7 |= dr7_bits(w);
	}
	return dbg_ptrace_set_dregs(&s->t.pt, dr, dr7, err);
}

void dbg_session_set_hw_watch(struct dbg_session *s, bool on)
{
	s->hw_watch = on ? 1 : -1;
}

bool dbg_session_hw_watch(const struct dbg_session *s)
{
	return s->hw_watch > 0 || (s->hw_watch == 0 && dbg_ptrace_dregs_fire());
}

int dbg_session_watch(struct dbg_session *s, enum dbg_watch_kind kind, uint64_t addr, unsigned len,
		      const char *expr, struct dbg_err *err)
{
	if ((len != 1 && len != 2 && len != 4 && len != 8) || addr % len)
		return dbg_err_set(err, -EINVAL,
				   "cannot watch %u bytes at 0x%" PRIx64
				   ": a watchpoint covers 1, 2, 4 or 8 bytes at an address "
				   "that is a multiple of its length",
				   len, addr);
	bool hw = dbg_session_hw_watch(s);
	int slot = -1;
	if (hw) {
		bool used[4] = { false };
		for (size_t i = 0; i < s->t.bps.nw; i++)
			if (s->t.bps.w[i].hw)
				used[s->t.bps.w[i].slot] = true;
		for (int i = 3; i >= 0; i--)
			if (!used[i])
				slot = i;
		if (slot < 0)
			return dbg_err_set(err, -ENOSPC,
					   "no free debug register: 4 watchpoints in use");
	}
	struct dbg_watch *w = dbg_bps_watch_add(&s->t.bps, kind, addr, len, expr);
	w->hw = hw;
	w->slot = slot;
	int id = w->id;
	if (s->t.live && !sess_history(s)) {
		int rc = sess_arm_watches(s, err);
		if (rc < 0) {
			dbg_bps_watch_remove(&s->t.bps, (size_t)dbg_bps_watch_index(&s->t.bps, id));
			sess_arm_watches(s, NULL);
			return rc;
		}
	}
	return id;
}

int sess_watch_delete(struct dbg_session *s, size_t i, struct dbg_err *err)
{
	bool hw = s->t.bps.w[i].hw;
	dbg_bps_watch_remove(&s->t.bps, i);
	return hw && s->t.live ? sess_arm_watches(s, err) : 0;
}

size_t dbg_session_watchpoints(const struct dbg_session *s, const struct dbg_watch **out)
{
	*out = s->t.bps.w;
	return s->t.bps.nw;
}

int dbg_session_watch_set_format(struct dbg_session *s, int id, bool is_signed, bool is_ptr)
{
	int i = dbg_bps_watch_index(&s->t.bps, id);
	if (i < 0)
		return -ENOENT;
	s->t.bps.w[i].is_signed = is_signed;
	s->t.bps.w[i].is_ptr = is_ptr;
	return 0;
}

/*
 * The start of the instruction that ends exactly at pc: decoded forward
 * from the start of pc's function (a data breakpoint traps after the
 * access, on the next instruction). 0 when it cannot be told.
 */
static uint64_t insn_before(struct dbg_session *s, uint64_t pc)
{
	const struct dbg_sym *sym = dbg_elf_sym_at(s->t.elf, pc - 1);
	if (!sym || pc <= sym->addr || pc - sym->addr > 1 << 20)
		return 0;
	size_t len = (size_t)(pc - sym->addr);
	uint8_t *code = malloc(len);
	if (!code)
		return 0;
	uint64_t found = 0;
	if (dbg_session_read(s, sym->addr, code, len, NULL) == 0) {
		size_t pos = 0;
		struct dbg_insn in;
		while (pos < len && dbg_disasm_one(s->t.dis, code + pos, len - pos, sym->addr + pos,
						   &in, NULL) == 0) {
			if (pos + in.size == len)
				found = sym->addr + pos;
			pos += in.size;
		}
	}
	free(code);
	return found;
}

/*
 * Watchpoint w's condition against its new value: whether the program
 * stops (gdb: a write watchpoint ignores writes of the same value; on x86
 * a read watchpoint traps writes too, and an access that changed the value
 * was a write).
 */
static bool watch_stops(struct dbg_watch *w, uint64_t now, bool trapped)
{
	bool changed = !w->old_valid || now != w->old;
	switch (w->kind) {
	case DBG_WATCH_WRITE:
		return changed;
	case DBG_WATCH_READ:
		return trapped && !changed;
	case DBG_WATCH_ACCESS:
		return trapped || changed;
	}
	return false;
}

static void fill_watch_stop(struct dbg_session *s, struct dbg_watch *w, uint64_t now,
			    uint64_t access_pc, struct dbg_stop *stop)
{
	w->hits++;
	sess_fill_stop(s, stop, DBG_STOP_WATCHPOINT);
	stop->bp_id = w->id;
	stop->watch_old = w->old_valid ? w->old : now;
	stop->watch_new = now;
	stop->watch_pc = access_pc;
}

/*
 * A step replayed from the record (continue or stepi in history): whether
 * it changed a byte watched by a write or access watchpoint, as the
 * record says (a store of the same value is not recorded, and a write
 * watchpoint ignores it anyway). The stop is the one the live step gave.
 */
static int replay_check(struct dbg_session *s, uint64_t step_pc, struct dbg_stop *stop)
{
	uint64_t step = dbg_tl_view(s->tl);
	for (size_t i = 0; s->tl && i < s->t.bps.nw; i++) {
		struct dbg_watch *w = &s->t.bps.w[i];
		uint8_t x[8] = { 0 };
		uint64_t now, xv = 0;
		if (w->kind == DBG_WATCH_READ ||
		    !dbg_tl_step_wrote(s->tl, step, w->addr, w->len, x))
			continue;
		now = 0;
		if (dbg_session_read(s, w->addr, &now, w->len, NULL) < 0)
			continue;
		memcpy(&xv, x, w->len);
		w->old = now ^ xv;
		w->old_valid = true;
		fill_watch_stop(s, w, now, step_pc, stop);
		w->old = now;
		return 1;
	}
	return 0;
}

/*
 * After the current thread stopped with SIGTRAP, or after one of its
 * single steps that started at step_pc (0: a free run's trap): whether a
 * watchpoint stops it there (*stop filled, 1), its trap was a
 * watchpoint's that does not stop (2: run on), or neither (0). DR6 is
 * cleared once read.
 */
int sess_watch_check(struct dbg_session *s, uint64_t step_pc, struct dbg_stop *stop)
{
	if (s->watch_replay) {
		s->watch_replay = false;
		return replay_check(s, step_pc, stop);
	}
	if (!s->t.bps.nw || !s->t.live || sess_history(s) || s->t.pt.gone || !s->t.pt.nthreads)
		return 0;
	struct dbg_thread *t = sess_cur(s);
	uint64_t dr6 = 0;
	if (hw_watches(s) && dbg_ptrace_dr6(t->tid, &dr6) == 0 && (dr6 & DR6_HITS))
		dbg_ptrace_clear_dr6(t->tid);
	int result = 0;
	struct dbg_watch *hit = NULL;
	uint64_t hit_now = 0;
	for (size_t i = 0; i < s->t.bps.nw; i++) {
		struct dbg_watch *w = &s->t.bps.w[i];
		bool trapped = w->hw ? (dr6 & (1ull << w->slot)) != 0 : w->touched;
		if (w->hw && !trapped)
			continue;
		w->touched = false;
		uint64_t now;
		if (read_value(s, w, &now, NULL) < 0)
			continue;
		if (trapped && result == 0)
			result = 2;
		if (!hit && watch_stops(w, now, trapped)) {
			hit = w;
			hit_now = now;
		} else {
			w->old = now;
			w->old_valid = true;
		}
	}
	if (!hit)
		return result;
	uint64_t pc = t->regs.rip;
	fill_watch_stop(s, hit, hit_now, step_pc ? step_pc : insn_before(s, pc), stop);
	hit->old = hit_now;
	hit->old_valid = true;
	return 1;
}
