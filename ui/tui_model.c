#include "tui_model.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "regs.h"
#include "syscalls.h"
#include "timeline.h"

/* FNV-1a: a cheap fingerprint to tell whether a pane's data changed. */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t fnv64(uint64_t h, uint64_t v)
{
	return fnv(h, &v, sizeof v);
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return s ? fnv(h, s, strlen(s) + 1) : fnv64(h, 0);
}

void ui_model_init(struct ui_model *m, struct dbg_session *s, const struct dbg_expr_env *env)
{
	static const char *const exprs[5] = { "$g.m", "$g.m.g0", "$g.m.curg", "$g.m.p", "$g.m.id" };
	memset(m, 0, sizeof *m);
	m->s = s;
	m->env = *env;
	m->unwind = dbg_unwind_new();
	dbg_arena_init(&m->arena);
	dbg_arena_init(&m->scratch);
	m->have_env = true;
	for (int i = 0; i < 5; i++)
		if (dbg_expr_parse(&m->arena, exprs[i], &m->x_m[i], NULL) < 0)
			m->have_env = false;
	m->stage = -1;
	m->code_rows = 16;
	m->stack_rows = 16;

	/* Where m.tls lives, to say that fs_base is &m.tls[0] + 8. */
	if (dbg_rt_m_tls(s, &m->m_tls_off) == 0)
		m->have_tls_off = true;
}

void ui_model_release(struct ui_model *m)
{
	dbg_arena_release(&m->arena);
	dbg_arena_release(&m->scratch);
	dbg_rt_release(&m->rt);
	dbg_unwind_free(m->unwind);
	m->unwind = NULL;
	if (m->have_init)
		dbg_initstack_release(&m->init);
	m->have_init = false;
}

const struct dbg_rt_m *ui_model_find_m(const struct ui_model *m, uint64_t addr)
{
	if (!m->rt_ok || addr == 0)
		return NULL;
	for (size_t i = 0; i < m->rt.nms; i++)
		if (m->rt.ms[i].addr == addr)
			return &m->rt.ms[i];
	return NULL;
}

const struct dbg_rt_p *ui_model_find_p(const struct ui_model *m, uint64_t addr)
{
	if (!m->rt_ok || addr == 0)
		return NULL;
	for (size_t i = 0; i < m->rt.nps; i++)
		if (m->rt.ps[i].addr == addr)
			return &m->rt.ps[i];
	return NULL;
}

void ui_eflags_str(uint64_t eflags, char *buf, size_t n)
{
	static const struct {
		int bit;
		const char *name;
	} flags[] = {
		{ 0, "CF" }, { 2, "PF" }, { 4, "AF" },  { 6, "ZF" },  { 7, "SF" },
		{ 8, "TF" }, { 9, "IF" }, { 10, "DF" }, { 11, "OF" },
	};
	size_t len = 0;
	if (n == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		if (!(eflags & (1ull << flags[i].bit)))
			continue;
		if (len + 4 > n)
			break;
		if (len)
			buf[len++] = ' ';
		memcpy(buf + len, flags[i].name, 2);
		len += 2;
		buf[len] = '\0';
	}
}

/* ---- system calls ------------------------------------------------------- */

/* Append to buf (size n, *len used so far), cut at its end. */
static void add(char *buf, size_t n, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	if (*len + 1 >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *len, n - *len, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len = *len + (size_t)k < n ? *len + (size_t)k : n - 1;
}

const char *ui_sys_name(uint64_t nr, char *buf, size_t n)
{
	const char *name = dbg_syscall_name(nr);
	if (name)
		return name;
	snprintf(buf, n, "syscall_%" PRIu64, nr);
	return buf;
}

const char *ui_sys_text(const struct dbg_sys_event *e, bool result, char *buf, size_t n)
{
	char tmp[96];
	size_t len = 0;
	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (e->kind == DBG_SYS_SIGNAL) {
		add(buf, n, &len, "%s (si_code %d) %s", dbg_signal_name(e->signo, tmp, sizeof tmp),
		    e->code, e->stopped ? "stopped" : "passed on");
		return buf;
	}
	add(buf, n, &len, "%s(", ui_sys_name(e->nr, tmp, sizeof tmp));
	for (unsigned i = 0; i < e->nargs && i < 6; i++)
		add(buf, n, &len, "%s%s", i ? ", " : "", e->arg[i].text);
	add(buf, n, &len, ")");
	if (!result)
		return buf;
	if (e->returned) {
		dbg_syscall_result(e->nr, e->ret, tmp, sizeof tmp);
		add(buf, n, &len, " = %s", tmp);
	} else {
		add(buf, n, &len, " = ?");
	}
	return buf;
}

int64_t ui_model_sys_nr(const struct ui_model *m, size_t i)
{
	if (i >= m->ninsns || !m->insns[i].is_syscall)
		return -1;
	const struct dbg_sym *fn = dbg_session_sym_at(m->s, m->insns[i].addr);
	/* Go's wrappers load the number a few instructions before */
	for (size_t k = i; k-- > 0 && i - k <= 8;) {
		const struct dbg_insn *in = &m->insns[k];
		if (in->is_call || in->is_jump || in->is_ret || in->is_syscall ||
		    dbg_session_sym_at(m->s, in->addr) != fn)
			return -1;
		const struct dbg_operand *dst = dbg_insn_dst(in);
		if (!dst || dst->type != DBG_OP_REG || dst->reg != DBG_REG_RAX || !dst->write)
			continue;
		if (strncmp(in->mnemonic, "mov", 3) == 0 && in->nops == 2 &&
		    in->op[0].type == DBG_OP_IMM && dst->size >= 4 && in->op[0].imm >= 0 &&
		    in->op[0].imm < DBG_SYSCALL_MAX)
			return in->op[0].imm;
		return -1;
	}
	return -1;
}

/* The call about to be made when the pc is at a `syscall`, and the one
 * a catchpoint stopped at. */
static void read_sys_next(struct ui_model *m)
{
	struct dbg_err err;
	const struct dbg_sys_event *v;
	size_t n = dbg_session_syscalls(m->s, &v);
	long i = m->stop.sys_index;
	m->have_sys_next = m->have_regs && m->pc_index < m->ninsns &&
			   m->insns[m->pc_index].is_syscall &&
			   dbg_session_syscall_next(m->s, &m->sys_next, &err) == 0;
	m->have_sys_stop = m->stop.reason == DBG_STOP_SYSCALL && i >= 0 && (size_t)i < n &&
			   v[i].kind == DBG_SYS_CALL;
	if (m->have_sys_stop)
		m->sys_stop = v[i];
}

static uint64_t code_pc(const struct ui_model *m)
{
	if (m->have_regs)
		return m->regs.rip;
	return dbg_elf_entry(dbg_session_elf(m->s));
}

void ui_model_fetch_code(struct ui_model *m)
{
	struct dbg_err err;
	uint64_t pc = code_pc(m);
	uint64_t at = m->code_sel ? m->code_sel : pc;
	size_t rows = m->code_rows < 1           ? 1 :
		      m->code_rows > UI_CODE_MAX ? UI_CODE_MAX :
						   (size_t)m->code_rows;
	/* Following the pc: keep a quarter of the window above it, so the
	 * code ahead is visible. */
	size_t before = m->code_sel ? rows / 2 : rows / 4;
	size_t after = rows - before - 1;
	size_t idx = 0;
	int n = dbg_session_disasm_around(m->s, at, before, after, m->insns, &idx, &err);
	/* fewer instructions above (a function's start, where the code
	 * before cannot be read back): the rows left go to the code ahead */
	if (n > 0 && idx < before && (size_t)n == idx + 1 + after)
		n = dbg_session_disasm_around(m->s, at, before, after + (before - idx), m->insns,
					      &idx, &err);
	m->pc_index = m->sel_index = SIZE_MAX;
	m->code_gen++;
	if (n < 0) {
		m->ninsns = 0;
		snprintf(m->code_err, sizeof m->code_err, "%s", err.msg);
		return;
	}
	m->code_err[0] = '\0';
	m->ninsns = (size_t)n;
	m->sel_index = idx;
	for (size_t i = 0; i < m->ninsns; i++)
		if (m->insns[i].addr == pc)
			m->pc_index = i;
}

uint64_t ui_model_insn_before(struct ui_model *m, uint64_t addr)
{
	struct dbg_insn two[2];
	size_t idx = 0;
	int n = dbg_session_disasm_around(m->s, addr, 1, 0, two, &idx, NULL);
	if (n < 2 || idx != 1)
		return 0;
	return two[0].addr;
}

uint64_t ui_model_insn_after(struct ui_model *m, uint64_t addr)
{
	struct dbg_insn one;
	if (dbg_session_disasm(m->s, addr, 1, &one, NULL) < 1)
		return 0;
	return addr + one.size;
}

void ui_model_fetch_stack(struct ui_model *m)
{
	struct dbg_err err;
	m->nslots = 0;
	if (!m->have_regs) {
		snprintf(m->stack_err, sizeof m->stack_err, "the program is not being run");
		return;
	}
	size_t rows = m->stack_rows < 1            ? 1 :
		      m->stack_rows > UI_STACK_MAX ? UI_STACK_MAX :
						     (size_t)m->stack_rows;
	uint64_t base = m->regs.rsp + 8 * (int64_t)m->stack_off;
	int n = dbg_stack_window(m->s, m->rt_ok ? &m->rt : NULL, m->have_init ? &m->init : NULL,
				 base, rows, m->slots, &err);
	if (n < 0) {
		snprintf(m->stack_err, sizeof m->stack_err, "%s", err.msg);
		return;
	}
	m->stack_err[0] = '\0';
	m->nslots = (size_t)n;
	uint64_t prev_end = m->prev_base + 8 * m->nprev;
	for (size_t i = 0; i < m->nslots; i++) {
		uint64_t a = m->slots[i].addr;
		bool changed = false;
		if (m->nprev) {
			if (a >= m->prev_base && a < prev_end)
				changed = m->prev_vals[(a - m->prev_base) / 8] != m->slots[i].value;
			else if (a < m->prev_base && a >= m->regs.rsp)
				changed = true; /* pushed since the last stop */
		}
		m->slot_changed[i] = changed;
	}
}

/* The current g's M: from the decoded allm, else through expressions. */
static void read_cur_m(struct ui_model *m)
{
	struct ui_cur_m *c = &m->cur_m;
	memset(c, 0, sizeof *c);
	const struct dbg_rt_g *g = m->rt_ok ? dbg_rt_find_g(&m->rt, m->rt.g) : NULL;
	if (!g || !g->m)
		return;
	const struct dbg_rt_m *mm = ui_model_find_m(m, g->m);
	if (mm) {
		*c = (struct ui_cur_m){ true, mm->addr, mm->g0, mm->curg, mm->p, mm->id };
		return;
	}
	if (!m->have_env)
		return;
	uint64_t v[5];
	for (int i = 0; i < 5; i++) {
		struct dbg_expr_value out;
		dbg_arena_reset(&m->scratch);
		if (dbg_expr_run(m->x_m[i], &m->env, &m->scratch, &out, NULL) < 0)
			return;
		v[i] = out.v;
	}
	*c = (struct ui_cur_m){ true, v[0], v[1], v[2], v[3], (int64_t)v[4] };
}

static uint64_t hash_tls(const struct ui_model *m)
{
	const struct dbg_rt *rt = &m->rt;
	uint64_t h = fnv64(FNV_OFFSET, m->rt_ok);
	h = fnv64(h, m->have_regs ? m->regs.fs_base : 0);
	if (!m->rt_ok)
		return fnv_str(h, m->rt_err);
	h = fnv64(h, rt->fs_base);
	h = fnv64(h, rt->g);
	h = fnv64(h, rt->g0);
	h = fnv64(h, rt->m0);
	h = fnv_str(h, rt->g_label);
	const struct dbg_rt_g *g = dbg_rt_find_g(rt, rt->g);
	if (g) {
		h = fnv64(h, g->m);
		h = fnv64(h, g->status);
	}
	const struct ui_cur_m *c = &m->cur_m;
	uint64_t v[] = { c->valid, c->addr, c->g0, c->curg, c->p, (uint64_t)c->id };
	h = fnv(h, v, sizeof v);
	const struct dbg_rt_p *p = ui_model_find_p(m, c->p);
	if (p)
		h = fnv64(h, p->status);
	return h;
}

/* The threads, their M, g and state (the same source as the
 * interpreter's `info threads`). */
static void read_threads(struct ui_model *m, bool live)
{
	struct dbg_thread_info info[UI_THREADS_MAX];
	m->nthreads = m->nthreads_all = 0;
	m->tid = 0;
	m->tid_m = -1;
	if (!live || m->replay)
		return;
	size_t n = dbg_session_threads(m->s, info, UI_THREADS_MAX);
	m->nthreads_all = n;
	if (n > UI_THREADS_MAX)
		n = UI_THREADS_MAX;
	for (size_t i = 0; i < n; i++) {
		struct ui_thread *t = &m->threads[i];
		const struct dbg_rt_m *mm = m->rt_ok ? dbg_rt_m_of(&m->rt, &info[i]) : NULL;
		/* Before mcommoninit puts m0 on allm the decoder lists no M;
		 * the current thread's M is then the one its g names (g.m),
		 * as the TLS pane shows it: the same source for both. */
		struct dbg_rt_m cur;
		if (!mm && info[i].current && m->cur_m.valid) {
			const struct ui_cur_m *c = &m->cur_m;
			cur = (struct dbg_rt_m){ .addr = c->addr,
						 .id = c->id,
						 .g0 = c->g0,
						 .curg = c->curg,
						 .p = c->p };
			mm = &cur;
		}
		t->info = info[i];
		if (info[i].current) {
			m->tid = info[i].tid;
			m->tid_m = mm ? mm->id : -1;
		}
		t->m_id = mm ? mm->id : -1;
		if (!info[i].g)
			snprintf(t->g_label, sizeof t->g_label, "-");
		else
			dbg_rt_label(m->s, info[i].g, t->g_label, sizeof t->g_label);
		if (m->rt_ok && info[i].fs_base)
			dbg_rt_thread_state(&m->rt, mm, info[i].g, t->state, sizeof t->state);
		else
			snprintf(t->state, sizeof t->state, "%s",
				 info[i].current ? "current" : "stopped");
	}
	m->nthreads = n;
}

static uint64_t hash_gmp(const struct ui_model *m)
{
	const struct dbg_rt *rt = &m->rt;
	uint64_t h = fnv64(FNV_OFFSET, m->rt_ok);
	h = fnv64(h, m->nthreads_all);
	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ui_thread *t = &m->threads[i];
		uint64_t v[] = { (uint64_t)t->info.tid, t->info.fs_base, t->info.g, t->info.current,
				 (uint64_t)t->m_id };
		h = fnv(h, v, sizeof v);
		h = fnv_str(h, t->g_label);
		h = fnv_str(h, t->state);
	}
	if (!m->rt_ok)
		return fnv_str(h, m->rt_err);
	h = fnv64(h, rt->g);
	for (size_t i = 0; i < rt->ngs; i++) {
		const struct dbg_rt_g *g = &rt->gs[i];
		uint64_t v[] = { g->addr,     (uint64_t)g->goid, g->status,   g->sched_pc,
				 g->sched_sp, g->stack_lo,       g->stack_hi, g->m,
				 g->startpc };
		h = fnv(h, v, sizeof v);
	}
	for (size_t i = 0; i < rt->nms; i++) {
		const struct dbg_rt_m *mm = &rt->ms[i];
		uint64_t v[] = { mm->addr, (uint64_t)mm->id, mm->procid, mm->g0, mm->curg, mm->p };
		h = fnv(h, v, sizeof v);
	}
	for (size_t i = 0; i < rt->nps; i++) {
		const struct dbg_rt_p *p = &rt->ps[i];
		uint64_t v[] = { p->addr,     (uint64_t)p->id,
				 p->status,   p->m,
				 p->runqhead, p->runqtail,
				 p->runnext,  (uint64_t)p->runnext_goid,
				 p->schedtick };
		h = fnv(h, v, sizeof v);
		h = fnv(h, p->runq, p->nrunq * sizeof *p->runq);
	}
	const struct dbg_rt_sched *sc = &rt->sched;
	uint64_t v[] = { sc->valid,
			 sc->goidgen,
			 (uint64_t)sc->runqsize,
			 (uint64_t)sc->npidle,
			 sc->midle,
			 (uint64_t)sc->nmidle,
			 sc->nrunq,
			 sc->npidle_list };
	h = fnv(h, v, sizeof v);
	if (sc->nrunq)
		h = fnv(h, sc->runq, sc->nrunq * sizeof *sc->runq);
	if (sc->npidle_list)
		h = fnv(h, sc->pidle, sc->npidle_list * sizeof *sc->pidle);
	return h;
}

static uint64_t hash_bps(struct dbg_session *s)
{
	const struct dbg_bp *bps;
	size_t n = dbg_session_breakpoints(s, &bps);
	uint64_t h = fnv64(FNV_OFFSET, n);
	for (size_t i = 0; i < n; i++) {
		uint64_t v[] = { (uint64_t)bps[i].id, bps[i].addr, bps[i].enabled, bps[i].pending };
		h = fnv(h, v, sizeof v);
	}
	return h;
}

static uint64_t hash_stack(const struct ui_model *m)
{
	uint64_t h = fnv64(FNV_OFFSET, m->nslots);
	h = fnv_str(h, m->stack_err);
	for (size_t i = 0; i < m->nslots; i++) {
		h = fnv64(h, m->slots[i].addr);
		h = fnv64(h, m->slots[i].value);
		h = fnv64(h, m->slot_changed[i]);
		h = fnv_str(h, m->slots[i].what);
		h = fnv_str(h, m->slots[i].region);
	}
	return h;
}

static uint64_t hash_frames(const struct ui_model *m)
{
	uint64_t h = fnv64(FNV_OFFSET, m->nframes);
	h = fnv_str(h, m->frames_err);
	h = fnv64(h, m->frame_sel ? *m->frame_sel : 0);
	for (size_t i = 0; i < m->nframes; i++) {
		h = fnv64(h, m->frames[i].pc);
		h = fnv64(h, m->frames[i].sp);
		h = fnv64(h, (uint64_t)m->frames[i].goid);
	}
	return h;
}

static uint64_t hash_sys_event(const struct dbg_sys_event *e)
{
	uint64_t v[] = { e->kind,     e->step,          (uint64_t)e->tid,   e->nr,
			 e->returned, (uint64_t)e->ret, (uint64_t)e->signo, e->caller };
	uint64_t h = fnv(FNV_OFFSET, v, sizeof v);
	h = fnv(h, e->args, sizeof e->args);
	for (unsigned i = 0; i < e->nargs && i < 6; i++)
		h = fnv_str(h, e->arg[i].text);
	return h;
}

/* What the Syscalls pane shows: the log (an entry changes only while it
 * is the open call of its thread: its return), and in history which
 * entries lie ahead of the step shown. */
static uint64_t hash_syslog(struct ui_model *m)
{
	const struct dbg_sys_event *v;
	size_t n = dbg_session_syscalls(m->s, &v);
	uint64_t h = fnv64(FNV_OFFSET, n);
	size_t open = 0;
	for (size_t i = n; i-- > 0 && open < 8;) {
		if (v[i].kind != DBG_SYS_CALL || v[i].returned)
			continue;
		h = fnv64(h, i);
		open++;
	}
	if (n)
		h = fnv64(h, hash_sys_event(&v[n - 1]));
	h = fnv64(h, m->history || m->replay ? m->steps : UINT64_MAX);
	m->nsys = n;
	return h;
}

/* The call stack of the current thread, as backtrace walks it. */
static void read_frames(struct ui_model *m)
{
	struct dbg_err err;
	m->nframes = 0;
	m->frames_err[0] = '\0';
	if (!m->have_regs) {
		snprintf(m->frames_err, sizeof m->frames_err, "the program is not being run");
		return;
	}
	uint64_t g = 0;
	if (m->rt_ok)
		g = m->rt.g;
	else
		(void)dbg_rt_cur_g(m->s, &g, NULL);
	int n = dbg_unwind_frames(m->unwind, m->s, &m->regs, g, m->rt_ok ? &m->rt : NULL, m->frames,
				  UI_FRAMES_MAX, &err);
	if (n < 0)
		snprintf(m->frames_err, sizeof m->frames_err, "%s", err.msg);
	else
		m->nframes = (size_t)n;
}

/*
 * Whether executing in can have written memory. Conservative: any memory
 * operand not known to be read only, and the instructions that write
 * through rsp or rdi implicitly, or ask the kernel to.
 */
static bool insn_may_write(const struct dbg_insn *in)
{
	static const char *const implicit[] = { "push", "stos", "movs",  "enter",
						"int",  "ins",  "xsave", "cmpxchg" };
	if (in->is_call || in->is_syscall)
		return true;
	for (size_t i = 0; i < sizeof implicit / sizeof implicit[0]; i++)
		if (strstr(in->mnemonic, implicit[i]))
			return true;
	/* lea and nop name an address without touching it */
	if (strncmp(in->mnemonic, "lea", 3) == 0 || strncmp(in->mnemonic, "nop", 3) == 0)
		return false;
	for (int i = 0; i < in->nops; i++)
		if (in->op[i].type == DBG_OP_MEM && (in->op[i].write || !in->op[i].read))
			return true;
	return false;
}

/* The code window still shows pc with room around it: no decode needed. */
static bool code_window_holds(struct ui_model *m, uint64_t pc)
{
	if (m->code_sel || m->ninsns < (size_t)m->code_rows || m->ninsns < 4)
		return false;
	for (size_t i = 1; i + 2 < m->ninsns; i++) {
		if (m->insns[i].addr == pc) {
			m->pc_index = m->sel_index = i;
			return true;
		}
	}
	return false;
}

unsigned ui_model_refresh(struct ui_model *m, bool force)
{
	struct dbg_session *s = m->s;
	struct dbg_err err;
	unsigned dirty = UI_DIRTY_STATUS;

	/* One instruction was single-stepped and it wrote no memory: the
	 * stack window's contents cannot have changed. */
	bool mem_same = false;
	uint64_t old_steps = m->steps, old_rsp = m->regs.rsp;
	if (m->have_regs && m->pc_index < m->ninsns && m->insns[m->pc_index].addr == m->regs.rip)
		mem_same = !insn_may_write(&m->insns[m->pc_index]);

	bool live = dbg_session_running(s);
	pid_t pid = dbg_session_pid(s);
	bool restarted = pid != m->pid || live != m->live;
	if (restarted)
		force = true;
	m->live = live;
	m->pid = pid;
	m->stop = *dbg_session_last_stop(s);
	m->steps = dbg_session_steps(s);
	m->steps_exact = dbg_session_steps_exact(s);
	mem_same = mem_same && !restarted && m->stop.reason == DBG_STOP_STEP &&
		   m->steps == old_steps + 1;

	/* entering or leaving history retitles every pane */
	struct dbg_timeline *tl = dbg_session_timeline(s);
	struct dbg_tl_info ti = { 0 };
	if (tl)
		dbg_tl_info(tl, &ti);
	bool have_tl = tl && ti.enabled && ti.last > ti.first;
	if (ti.history != m->history || ti.replay != m->replay)
		force = true;
	if (have_tl != m->have_tl || ti.first != m->tl_first || ti.last != m->tl_last)
		dirty |= UI_DIRTY_STATUS;
	/* On a recorded step the views describe that step: what it changed
	 * is known when it follows the step shown before (one step on);
	 * after a jump or a step back, nothing is marked changed. */
	bool jumped =
		(ti.history || ti.replay || m->history || m->replay) && m->steps != old_steps + 1;
	m->have_tl = have_tl;
	m->history = ti.history;
	m->replay = ti.replay;
	m->tl_first = ti.first;
	m->tl_last = ti.last;

	/* stages */
	const struct dbg_stages *st = dbg_session_stages(s);
	size_t nreached = 0;
	for (size_t i = 0; i < st->n; i++)
		nreached += dbg_session_stage_reached(s, i, NULL);
	int stage = dbg_session_current_stage(s);
	uint64_t hb = hash_bps(s);
	bool bps_changed = hb != m->hash_bps;
	if (force || stage != m->stage || nreached != m->nreached || bps_changed)
		dirty |= UI_DIRTY_PANE(UI_PANE_STAGES);
	m->stage = stage;
	m->nreached = nreached;
	m->hash_bps = hb;

	/* registers */
	const struct dbg_regs *r = live ? dbg_session_regs(s) : NULL;
	uint64_t changed = 0;
	uint64_t old_rip = m->have_regs ? m->regs.rip : 0;
	if (r) {
		if (m->have_regs && !restarted) {
			for (size_t i = 0; i < dbg_regs_count && i < 64; i++) {
				size_t off = dbg_regs_table[i].offset;
				uint64_t a, b;
				memcpy(&a, (const char *)&m->regs + off, 8);
				memcpy(&b, (const char *)r + off, 8);
				if (a != b)
					changed |= 1ull << i;
			}
			m->prev_regs = m->regs;
		} else {
			m->prev_regs = *r;
		}
		m->regs = *r;
		m->have_regs = true;
	} else {
		m->have_regs = false;
	}
	if (force || changed || m->reg_changed)
		dirty |= UI_DIRTY_PANE(UI_PANE_REGS);
	m->reg_changed = jumped ? 0 : changed;

	/* runtime */
	if (live) {
		m->rt_ok = dbg_rt_read(s, &m->rt, &err) == 0;
		if (!m->rt_ok)
			snprintf(m->rt_err, sizeof m->rt_err, "%s", err.msg);
	} else {
		m->rt_ok = false;
		snprintf(m->rt_err, sizeof m->rt_err, "the program is not being run");
	}
	read_cur_m(m);
	pid_t old_tid = m->tid;
	read_threads(m, live);
	/* Another thread made current (thread TID, t) at the same step:
	 * nothing changed, its registers and stack are compared with
	 * themselves from now on, not with the other thread's. */
	bool switched =
		!restarted && old_tid && m->tid && m->tid != old_tid && m->steps == old_steps;
	if (switched) {
		m->prev_regs = m->regs;
		if (m->reg_changed)
			dirty |= UI_DIRTY_PANE(UI_PANE_REGS);
		m->reg_changed = 0;
		mem_same = false;
	}
	uint64_t h = hash_tls(m);
	if (force || h != m->hash_tls)
		dirty |= UI_DIRTY_PANE(UI_PANE_TLS);
	m->hash_tls = h;
	h = hash_gmp(m);
	bool gmp_changed = h != m->hash_gmp;
	if (force || gmp_changed)
		dirty |= UI_DIRTY_PANE(UI_PANE_GMP);
	m->hash_gmp = h;

	/* the initial stack, once per process */
	if (live && (!m->have_init || m->init_pid != pid)) {
		if (m->have_init)
			dbg_initstack_release(&m->init);
		m->have_init = dbg_stack_initial(s, &m->init, NULL) == 0;
		m->init_pid = pid;
	}

	/* code */
	uint64_t pc = code_pc(m);
	if (restarted)
		m->code_sel = 0;
	if (force || bps_changed || !code_window_holds(m, pc))
		ui_model_fetch_code(m);
	if (force || bps_changed || pc != old_rip)
		dirty |= UI_DIRTY_PANE(UI_PANE_CODE) | UI_DIRTY_PANE(UI_PANE_SOURCE);

	/* the call at the pc (another thread at the same pc may make
	 * another), and the log */
	read_sys_next(m);
	h = m->have_sys_next ? hash_sys_event(&m->sys_next) : 0;
	h = fnv64(h, m->have_sys_stop ? hash_sys_event(&m->sys_stop) : 0);
	if (h != m->hash_sys_next)
		dirty |= UI_DIRTY_PANE(UI_PANE_CODE);
	m->hash_sys_next = h;
	h = hash_syslog(m);
	if (force || h != m->hash_sys)
		dirty |= UI_DIRTY_PANE(UI_PANE_SYSCALLS);
	m->hash_sys = h;

	/* stack: the last stop's window becomes the reference */
	if (mem_same && m->have_regs && m->regs.rsp == old_rsp && !gmp_changed && m->nslots > 0) {
		/* same memory, same window: only the change marks go */
		for (size_t i = 0; i < m->nslots; i++)
			m->slot_changed[i] = false;
		m->nprev = m->nslots;
		m->prev_base = m->slots[0].addr;
		for (size_t i = 0; i < m->nslots; i++)
			m->prev_vals[i] = m->slots[i].value;
	} else {
		if (restarted || switched || jumped) {
			m->nprev = 0;
			if (!jumped)
				m->stack_off = 0;
		} else {
			m->nprev = m->nslots;
			m->prev_base = m->nslots ? m->slots[0].addr : 0;
			for (size_t i = 0; i < m->nslots; i++)
				m->prev_vals[i] = m->slots[i].value;
		}
		ui_model_fetch_stack(m);
	}
	h = hash_stack(m);
	if (force || h != m->hash_stack)
		dirty |= UI_DIRTY_PANE(UI_PANE_STACK);
	m->hash_stack = h;

	/* frames */
	read_frames(m);
	h = hash_frames(m);
	if (force || h != m->hash_frames)
		dirty |= UI_DIRTY_PANE(UI_PANE_FRAMES);
	m->hash_frames = h;
	return dirty;
}
