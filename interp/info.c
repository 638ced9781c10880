/*
 * info — the `info` views of the interpreter: registers, TLS and g, G/M/P,
 * the stack, auxv, stages, sections, threads, breakpoints (cmd.h lists
 * the commands, docs/json.md their events).
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack.h"
#include "syscalls.h"
#include "timeline.h"

/* info WHAT: the view the line named. */
int cmd_info(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return cmd->sub->run(ctx, cmd, err);
}

int cmd_info_registers(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_regs *r;
	struct dbg_val *ev, *regs;
	const char *p = cmd->args;
	int rc;

	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	r = dbg_session_regs(ctx->s);
	ev = cmd_ev_new(ctx, "registers");
	dbg_obj_int(ev, "tid", dbg_session_last_stop(ctx->s)->tid);
	if (!*p) {
		cmd_add_regs(ev, "regs", r);
	} else {
		regs = dbg_obj_object(ev, "regs");
		while (*(p = cmd_skip_ws(p))) {
			size_t l = strcspn(p, " \t");
			char name[32];
			uint64_t v;

			if (*p == '$') {
				p++;
				l--;
			}
			snprintf(name, sizeof(name), "%.*s", (int)l, p);
			if (l >= sizeof(name) || dbg_regs_get(r, name, &v) < 0) {
				dbg_arena_reset(&ctx->arena);
				return dbg_err_set(err, -EINVAL, "invalid register '%.*s'", (int)l,
						   p);
			}
			if (!dbg_val_get(regs, name))
				dbg_obj_addr(regs, name, v);
			p += l;
		}
	}
	dbg_obj_str(ev, "pc_symbol", cmd_symbolize(ctx, r->rip));
	cmd_ev_emit(ctx, ev);
	return 0;
}

static int read_rt(struct dbg_cmd_ctx *ctx, struct dbg_err *err)
{
	int rc = cmd_need_process(ctx, err);

	if (rc < 0)
		return rc;
	return dbg_rt_read(ctx->s, &ctx->rt, err);
}

int cmd_info_tls(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_rt_m *m;
	const struct dbg_regs *r;
	struct dbg_val *ev;
	uint64_t m0, tls0, slot;
	bool libc = cmd_stages_of(ctx)->cgo;
	int64_t off = dbg_session_tls_g(ctx->s);
	bool have_rt;
	int rc;

	(void)cmd;
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	r = dbg_session_regs(ctx->s);
	ev = cmd_ev_new(ctx, "tls");
	dbg_obj_addr(ev, "fs_base", r->fs_base);
	/* who sets the thread pointer: Go's settls, or libc (cgo) */
	dbg_obj_str(ev, "owner", libc ? "libc" : "go");
	dbg_obj_int(ev, "g_offset", off);
	if (dbg_session_g_slot(ctx->s, r->fs_base, &slot)) {
		dbg_obj_addr(ev, "g_slot", slot);
		cmd_add_cur_g(ctx, ev);
	} else {
		dbg_obj_null(ev, "g_slot");
		dbg_obj_null(ev, "g");
		dbg_obj_null(ev, "g_label");
	}
	/* Where settls points FS in a binary that runs it: &m0.tls[0] + 8. */
	if (!libc && dbg_elf_lookup(dbg_session_elf(ctx->s), "runtime.m0", &m0) == 0 &&
	    dbg_rt_m_tls(ctx->s, &tls0) == 0) {
		dbg_obj_addr(ev, "m0_tls", m0 + tls0);
		dbg_obj_addr(ev, "expected_fs_base", m0 + tls0 + 8);
		dbg_obj_bool(ev, "fs_is_m0_tls", r->fs_base == m0 + tls0 + 8);
	}
	/* The M this thread is: by its TLS, its thread id or its g. */
	struct dbg_thread_info th[64], *cur = NULL;
	size_t n = dbg_session_threads(ctx->s, th, 64);
	for (size_t i = 0; i < n && i < 64 && !cur; i++)
		if (th[i].current)
			cur = &th[i];
	have_rt = dbg_rt_read(ctx->s, &ctx->rt, NULL) == 0;
	if (cur && have_rt && (m = dbg_rt_m_of(&ctx->rt, cur)))
		dbg_obj_int(ev, "m_id", m->id);
	else
		dbg_obj_null(ev, "m_id");
	dbg_obj_str(ev, "layout", have_rt ? ctx->rt.layout : NULL);
	cmd_ev_emit(ctx, ev);
	return 0;
}

static void add_g(struct dbg_cmd_ctx *ctx, struct dbg_val *o, const struct dbg_rt_g *g)
{
	dbg_obj_addr(o, "addr", g->addr);
	dbg_obj_int(o, "goid", g->goid);
	dbg_obj_str(o, "label", g->label);
	dbg_obj_uint(o, "status", g->status);
	dbg_obj_str(o, "status_name", g->status_name);
	if (g->waitreason >= 0)
		dbg_obj_int(o, "waitreason", g->waitreason);
	else
		dbg_obj_null(o, "waitreason");
	dbg_obj_str(o, "waitreason_name", g->waitreason_name);
	dbg_obj_addr(o, "m", g->m);
	dbg_obj_addr(o, "sched_pc", g->sched_pc);
	dbg_obj_str(o, "sched_pc_symbol", g->sched_pc ? cmd_symbolize(ctx, g->sched_pc) : NULL);
	dbg_obj_addr(o, "sched_sp", g->sched_sp);
	dbg_obj_addr(o, "stack_lo", g->stack_lo);
	dbg_obj_addr(o, "stack_hi", g->stack_hi);
	dbg_obj_addr(o, "startpc", g->startpc);
	dbg_obj_str(o, "startpc_symbol", g->startpc ? cmd_symbolize(ctx, g->startpc) : NULL);
	if (g->has_locked)
		dbg_obj_addr(o, "lockedm", g->lockedm);
	else
		dbg_obj_null(o, "lockedm");
	dbg_obj_bool(o, "current", g->addr == ctx->rt.g);
}

int cmd_info_g(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_rt_g *g = NULL;
	struct dbg_expr_value v;
	struct dbg_val *ev;
	size_t i;
	int rc;

	rc = read_rt(ctx, err);
	if (rc < 0)
		return rc;
	if (!cmd->args[0]) {
		if (!ctx->rt.g && !ctx->rt.fs_base)
			return dbg_err_set(err, -ENOENT, "no current g: fs_base is 0 (no TLS yet)");
		if (!ctx->rt.g)
			return dbg_err_set(err, -ENOENT,
					   "no current g: g's TLS slot (fs%+" PRId64
					   ") holds 0 (the runtime has not stored one yet)",
					   dbg_session_tls_g(ctx->s));
		g = dbg_rt_find_g(&ctx->rt, ctx->rt.g);
		if (!g)
			return dbg_err_set(err, -ENOENT,
					   "the current g 0x%" PRIx64
					   " is not in allgs, nor an M's g0 or gsignal",
					   ctx->rt.g);
	} else {
		rc = cmd_eval(ctx, cmd->args, &v, err);
		if (rc < 0)
			return rc;
		/* Small numbers are goids, others addresses. */
		if (v.v < 0x10000) {
			for (i = 0; i < ctx->rt.ngs && !g; i++)
				if (ctx->rt.gs[i].goid == (int64_t)v.v &&
				    ctx->rt.gs[i].status != DBG_G_DEAD)
					g = &ctx->rt.gs[i];
			for (i = 0; i < ctx->rt.ngs && !g; i++)
				if (ctx->rt.gs[i].goid == (int64_t)v.v)
					g = &ctx->rt.gs[i];
			if (!g)
				return dbg_err_set(err, -ENOENT, "no goroutine with goid %" PRIu64,
						   v.v);
		} else {
			g = dbg_rt_find_g(&ctx->rt, v.v);
			if (!g)
				return dbg_err_set(err, -ENOENT,
						   "no g at 0x%" PRIx64
						   " (not in allgs, nor an M's g0 or gsignal)",
						   v.v);
		}
	}
	ev = cmd_ev_new(ctx, "g");
	add_g(ctx, ev, g);
	dbg_obj_str(ev, "layout", ctx->rt.layout);
	cmd_ev_emit(ctx, ev);
	return 0;
}

static void add_goids(struct dbg_val *o, const char *key, const int64_t *v, size_t n)
{
	struct dbg_val *a = dbg_obj_array(o, key);
	size_t i;

	for (i = 0; i < n; i++)
		dbg_arr_push(a, dbg_val_int(a->list.arena, v[i]));
}

static const struct dbg_rt_m *m_by_addr(const struct dbg_rt *rt, uint64_t a)
{
	size_t i;

	for (i = 0; a && i < rt->nms; i++)
		if (rt->ms[i].addr == a)
			return &rt->ms[i];
	return NULL;
}

static const struct dbg_rt_p *p_by_addr(const struct dbg_rt *rt, uint64_t a)
{
	size_t i;

	for (i = 0; a && i < rt->nps; i++)
		if (rt->ps[i].addr == a)
			return &rt->ps[i];
	return NULL;
}

/* ---- the G/M/P diagram ---------------------------------------------------- */

/* The g of goid in rt, or NULL. */
static const struct dbg_rt_g *g_of_goid(const struct dbg_rt *rt, int64_t goid)
{
	for (size_t i = 0; i < rt->ngs; i++)
		if (rt->gs[i].goid == goid && rt->gs[i].status != DBG_G_DEAD)
			return &rt->gs[i];
	return NULL;
}

/* "g3 g4 g5" from goids, at most width columns ("… +N" when cut). */
static void goid_list(char *buf, size_t n, const int64_t *v, size_t nv, int width)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < nv; i++) {
		char one[32];
		int k = snprintf(one, sizeof one, "%sg%" PRId64, i ? " " : "", v[i]);
		char more[24];
		int km = snprintf(more, sizeof more, " +%zu", nv - i);
		if ((int)len + k + (i + 1 < nv ? km : 0) > width || len + (size_t)k + 1 > n) {
			snprintf(buf + len, n - len, "%s", i ? more : more + 1);
			return;
		}
		memcpy(buf + len, one, (size_t)k + 1);
		len += (size_t)k;
	}
	if (nv == 0)
		snprintf(buf, n, "-");
}

/* A run of the box-drawing character s, n times. */
static void rule(FILE *f, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		fputs(s, f);
}

#define DIAG_MW 20 /* inner width of an M's box */
#define DIAG_PW 23 /* inner width of a P's box */
#define DIAG_ARROW "──────▶"
#define DIAG_ARROW_W 7

/* Row r (0 top border … 4 bottom) of the box of M m, DIAG_MW + 2 wide. */
static void m_row(FILE *f, const struct dbg_rt *rt, const struct dbg_rt_m *m, int r)
{
	char t[64];
	switch (r) {
	case 0:
		snprintf(t, sizeof t, " m%" PRId64 "%s ", m->id,
			 m->sysmon   ? " sysmon" :
			 m->idle     ? " idle" :
			 m->spinning ? " spinning" :
				       "");
		fprintf(f, "┌─%s", t);
		rule(f, "─", DIAG_MW - 1 - (int)strlen(t));
		fputs("┐", f);
		return;
	case 1:
		/* minit records the thread id: before it, none */
		if (m->procid)
			snprintf(t, sizeof t, "tid  %" PRIu64, m->procid);
		else
			snprintf(t, sizeof t, "tid  -");
		break;
	case 2:
		snprintf(t, sizeof t, "g0   %s", m->g0 ? dbg_rt_g_label(rt, m->g0) : "-");
		break;
	case 3:
		snprintf(t, sizeof t, "curg ▶ %s", m->curg ? dbg_rt_g_label(rt, m->curg) : "-");
		/* ▶ is one column, three bytes */
		fprintf(f, "│ %-*s│", DIAG_MW - 1 + 2, t);
		return;
	default:
		fputs("└", f);
		rule(f, "─", DIAG_MW);
		fputs("┘", f);
		return;
	}
	fprintf(f, "│ %-*s│", DIAG_MW - 1, t);
}

/* Row r of the box of P p, DIAG_PW + 2 wide. */
static void p_row(FILE *f, const struct dbg_rt_p *p, int r)
{
	char t[96], q[80];
	switch (r) {
	case 0:
		snprintf(t, sizeof t, " p%d %s ", p->id, p->status_name);
		fprintf(f, "┌─%s", t);
		rule(f, "─", DIAG_PW - 1 - (int)strlen(t));
		fputs("┐", f);
		return;
	case 1:
		if (p->runnext_goid >= 0)
			snprintf(t, sizeof t, "runnext ▶ g%" PRId64, p->runnext_goid);
		else
			snprintf(t, sizeof t, "runnext ▶ -");
		fprintf(f, "│ %-*s│", DIAG_PW - 1 + 2, t);
		return;
	case 2:
		goid_list(q, sizeof q, p->runq, p->nrunq, DIAG_PW - 1 - 7);
		snprintf(t, sizeof t, "runq ▶ %s", q);
		fprintf(f, "│ %-*s│", DIAG_PW - 1 + 2, t);
		return;
	case 3:
		snprintf(t, sizeof t, "ring %" PRIu32 "..%" PRIu32, p->runqhead, p->runqtail);
		break;
	default:
		fputs("└", f);
		rule(f, "─", DIAG_PW);
		fputs("┘", f);
		return;
	}
	fprintf(f, "│ %-*s│", DIAG_PW - 1, t);
}

static void diagram_text(FILE *f, const struct dbg_rt *rt)
{
	char q[256];
	bool *held = calloc(rt->nps ? rt->nps : 1, sizeof *held);
	fputs("M ──▶ P: the P the M holds; curg: the g it runs; runq: head to tail\n", f);
	if (!rt->nms)
		fputs("(no M yet: runtime.m0 is not set up)\n", f);
	for (size_t i = 0; i < rt->nms; i++) {
		const struct dbg_rt_m *m = &rt->ms[i];
		const struct dbg_rt_p *p = p_by_addr(rt, m->p);
		if (p && held)
			held[p - rt->ps] = true;
		for (int r = 0; r < 5; r++) {
			m_row(f, rt, m, r);
			if (p) {
				fputs(r == 1 ? DIAG_ARROW : "       ", f);
				p_row(f, p, r);
			} else if (r == 1) {
				const struct dbg_rt_p *np = p_by_addr(rt, m->nextp);
				if (np) /* the P it is to start with (startm) */
					fprintf(f, "  (no P; nextp p%d)", np->id);
				else
					fputs("  (no P)", f);
			}
			fputc('\n', f);
		}
	}
	/* the Ps no M holds, under the held ones */
	for (size_t i = 0; i < rt->nps; i++) {
		if (held && held[i])
			continue;
		for (int r = 0; r < 5; r++) {
			fprintf(f, "%-*s", DIAG_MW + 2 + DIAG_ARROW_W, r == 1 ? "   (no M)" : "");
			p_row(f, &rt->ps[i], r);
			fputc('\n', f);
		}
	}
	free(held);
	if (!rt->sched.valid) {
		fputs("sched: not found (no runtime.sched)\n", f);
		return;
	}
	goid_list(q, sizeof q, rt->sched.runq, rt->sched.nrunq, 60);
	fprintf(f, "global runq ▶ %s\n", q);
	size_t len = 0;
	q[0] = '\0';
	for (size_t i = 0; i < rt->sched.npidle_list && len + 8 < sizeof q; i++)
		len += (size_t)snprintf(q + len, sizeof q - len, "%sp%" PRId32, i ? " " : "",
					rt->sched.pidle[i]);
	fprintf(f, "idle Ps ▶ %s\n", len ? q : "-");
	len = 0;
	q[0] = '\0';
	for (size_t i = 0; i < rt->nms && len + 24 < sizeof q; i++)
		if (rt->ms[i].idle)
			len += (size_t)snprintf(q + len, sizeof q - len, "%sm%" PRId64,
						len ? " " : "", rt->ms[i].id);
	fprintf(f, "idle Ms ▶ %s\n", len ? q : "-");
}

/* A G's node, once: its label and status. */
static void dot_g(FILE *f, const struct dbg_rt *rt, const struct dbg_rt_g *g, bool *seen)
{
	if (!g || seen[g - rt->gs])
		return;
	seen[g - rt->gs] = true;
	fprintf(f, "  \"%s\" [shape=ellipse, label=\"%s\\n%s\"];\n", g->label, g->label,
		g->status_name);
}

static void dot_g_goid(FILE *f, const struct dbg_rt *rt, int64_t goid, bool *seen)
{
	const struct dbg_rt_g *g = g_of_goid(rt, goid);
	if (g)
		dot_g(f, rt, g, seen);
	else
		fprintf(f, "  \"g%" PRId64 "\" [shape=ellipse];\n", goid);
}

static void diagram_dot(FILE *f, const struct dbg_rt *rt)
{
	bool *seen = calloc(rt->ngs ? rt->ngs : 1, sizeof *seen);
	if (!seen)
		return;
	fputs("digraph gmp {\n  rankdir=LR;\n  node [fontname=\"monospace\"];\n", f);
	for (size_t i = 0; i < rt->nms; i++) {
		const struct dbg_rt_m *m = &rt->ms[i];
		fprintf(f,
			"  \"m%" PRId64 "\" [shape=box, label=\"m%" PRId64 "\\ntid %" PRIu64
			"\\ng0 %s\"];\n",
			m->id, m->id, m->procid, m->g0 ? dbg_rt_g_label(rt, m->g0) : "-");
	}
	for (size_t i = 0; i < rt->nps; i++)
		fprintf(f, "  \"p%d\" [shape=box, style=rounded, label=\"p%d\\n%s\"];\n",
			rt->ps[i].id, rt->ps[i].id, rt->ps[i].status_name);
	for (size_t i = 0; i < rt->nms; i++) {
		const struct dbg_rt_m *m = &rt->ms[i];
		const struct dbg_rt_p *p = p_by_addr(rt, m->p);
		if (p)
			fprintf(f, "  \"m%" PRId64 "\" -> \"p%d\" [label=\"holds\"];\n", m->id,
				p->id);
		if (m->curg) {
			const struct dbg_rt_g *g = dbg_rt_find_g(rt, m->curg);
			dot_g(f, rt, g, seen);
			fprintf(f, "  \"m%" PRId64 "\" -> \"%s\" [label=\"curg\"];\n", m->id,
				dbg_rt_g_label(rt, m->curg));
		}
	}
	for (size_t i = 0; i < rt->nps; i++) {
		const struct dbg_rt_p *p = &rt->ps[i];
		if (p->runnext_goid >= 0) {
			dot_g_goid(f, rt, p->runnext_goid, seen);
			fprintf(f, "  \"p%d\" -> \"g%" PRId64 "\" [label=\"runnext\"];\n", p->id,
				p->runnext_goid);
		}
		for (size_t k = 0; k < p->nrunq; k++) {
			dot_g_goid(f, rt, p->runq[k], seen);
			fprintf(f, "  \"p%d\" -> \"g%" PRId64 "\" [label=\"runq[%zu]\"];\n", p->id,
				p->runq[k], k);
		}
	}
	if (rt->sched.valid) {
		fputs("  \"sched\" [shape=box, style=dashed, label=\"sched\"];\n", f);
		for (size_t k = 0; k < rt->sched.nrunq; k++) {
			dot_g_goid(f, rt, rt->sched.runq[k], seen);
			fprintf(f, "  \"sched\" -> \"g%" PRId64 "\" [label=\"runq[%zu]\"];\n",
				rt->sched.runq[k], k);
		}
		for (size_t k = 0; k < rt->sched.npidle_list; k++)
			fprintf(f,
				"  \"sched\" -> \"p%" PRId32
				"\" [style=dotted, label=\"pidle\"];\n",
				rt->sched.pidle[k]);
		for (size_t k = 0; k < rt->nms; k++)
			if (rt->ms[k].idle)
				fprintf(f,
					"  \"sched\" -> \"m%" PRId64
					"\" [style=dotted, label=\"midle\"];\n",
					rt->ms[k].id);
	}
	fputs("}\n", f);
	free(seen);
}

char *dbg_gmp_diagram(const struct dbg_rt *rt, bool dot)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	if (dot)
		diagram_dot(f, rt);
	else
		diagram_text(f, rt);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int cmd_info_gmp(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_rt *rt = &ctx->rt;
	struct dbg_val *ev, *arr, *o;
	size_t i;
	int rc;
	bool dot = strcmp(cmd->args, "dot") == 0;

	if (cmd->args[0] && !dot && strcmp(cmd->args, "diagram") != 0)
		return dbg_err_set(err, -EINVAL,
				   "info gmp: unknown view '%s' (diagram or dot, or nothing)",
				   cmd->args);
	rc = read_rt(ctx, err);
	if (rc < 0)
		return rc;
	if (cmd->args[0]) {
		char *text = dbg_gmp_diagram(rt, dot);
		if (!text)
			return dbg_err_set(err, -ENOMEM, "info gmp: out of memory");
		ev = cmd_ev_new(ctx, dot ? "dot" : "diagram");
		dbg_obj_str(ev, "text", text);
		free(text);
		cmd_ev_emit(ctx, ev);
		return 0;
	}
	ev = cmd_ev_new(ctx, "gmp");
	dbg_obj_str(ev, "layout", rt->layout);
	dbg_obj_bool(ev, "partial", rt->partial);
	if (rt->g)
		dbg_obj_addr(ev, "current_g", rt->g);
	else
		dbg_obj_null(ev, "current_g");
	dbg_obj_str(ev, "current_g_label", rt->g ? rt->g_label : NULL);
	arr = dbg_obj_array(ev, "g");
	for (i = 0; i < rt->ngs; i++)
		add_g(ctx, dbg_arr_object(arr), &rt->gs[i]);
	arr = dbg_obj_array(ev, "m");
	for (i = 0; i < rt->nms; i++) {
		const struct dbg_rt_m *m = &rt->ms[i];
		const struct dbg_rt_p *p = p_by_addr(rt, m->p);

		o = dbg_arr_object(arr);
		dbg_obj_addr(o, "addr", m->addr);
		dbg_obj_int(o, "id", m->id);
		dbg_obj_uint(o, "procid", m->procid);
		dbg_obj_addr(o, "g0", m->g0);
		dbg_obj_addr(o, "curg", m->curg);
		dbg_obj_str(o, "curg_label", m->curg ? dbg_rt_g_label(rt, m->curg) : NULL);
		dbg_obj_addr(o, "p", m->p);
		if (p)
			dbg_obj_int(o, "p_id", p->id);
		else
			dbg_obj_null(o, "p_id");
		dbg_obj_addr(o, "gsignal", m->gsignal);
		dbg_obj_addr(o, "tls0", m->tls0);
		dbg_obj_addr(o, "oldp", m->oldp);
		dbg_obj_addr(o, "nextp", m->nextp);
		dbg_obj_bool(o, "spinning", m->spinning);
		dbg_obj_bool(o, "idle", m->idle);
		dbg_obj_bool(o, "sysmon", m->sysmon);
		if (m->has_locked)
			dbg_obj_addr(o, "lockedg", m->lockedg);
		else
			dbg_obj_null(o, "lockedg");
		dbg_obj_str(o, "lockedg_label", m->lockedg ? dbg_rt_g_label(rt, m->lockedg) : NULL);
	}
	arr = dbg_obj_array(ev, "p");
	for (i = 0; i < rt->nps; i++) {
		const struct dbg_rt_p *p = &rt->ps[i];
		const struct dbg_rt_m *m = m_by_addr(rt, p->m);

		o = dbg_arr_object(arr);
		dbg_obj_addr(o, "addr", p->addr);
		dbg_obj_int(o, "id", p->id);
		dbg_obj_uint(o, "status", p->status);
		dbg_obj_str(o, "status_name", p->status_name);
		dbg_obj_addr(o, "m", p->m);
		if (m)
			dbg_obj_int(o, "m_id", m->id);
		else
			dbg_obj_null(o, "m_id");
		dbg_obj_uint(o, "runqhead", p->runqhead);
		dbg_obj_uint(o, "runqtail", p->runqtail);
		add_goids(o, "runq", p->runq, p->nrunq);
		dbg_obj_addr(o, "runnext", p->runnext);
		if (p->runnext)
			dbg_obj_int(o, "runnext_goid", p->runnext_goid);
		else
			dbg_obj_null(o, "runnext_goid");
		dbg_obj_uint(o, "schedtick", p->schedtick);
	}
	o = dbg_obj_object(ev, "sched");
	dbg_obj_bool(o, "valid", rt->sched.valid);
	if (rt->sched.valid) {
		struct dbg_val *pidle;

		dbg_obj_addr(o, "addr", rt->sched.addr);
		dbg_obj_uint(o, "goidgen", rt->sched.goidgen);
		add_goids(o, "runq", rt->sched.runq, rt->sched.nrunq);
		dbg_obj_int(o, "runqsize", rt->sched.runqsize);
		pidle = dbg_obj_array(o, "pidle");
		for (i = 0; i < rt->sched.npidle_list; i++)
			dbg_arr_push(pidle, dbg_val_int(&ctx->arena, rt->sched.pidle[i]));
		dbg_obj_int(o, "npidle", rt->sched.npidle);
		dbg_obj_addr(o, "midle", rt->sched.midle);
		dbg_obj_int(o, "nmidle", rt->sched.nmidle);
		dbg_obj_int(o, "nmspinning", rt->sched.nmspinning);
		dbg_obj_int(o, "nmsys", rt->sched.nmsys);
		dbg_obj_int(o, "mnext", rt->sched.mnext);
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_info_stack(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_initstack init;
	struct dbg_stack_slot *slots;
	const struct dbg_regs *r;
	struct dbg_val *ev, *arr;
	bool have_init, have_rt;
	size_t n = cmd->count;
	int rc, i;

	if (n > 4096)
		return dbg_err_set(err, -EINVAL, "info stack: at most 4096 slots");
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	r = dbg_session_regs(ctx->s);
	memset(&init, 0, sizeof(init));
	have_init = dbg_stack_initial(ctx->s, &init, NULL) == 0;
	have_rt = dbg_rt_read(ctx->s, &ctx->rt, NULL) == 0;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		abort();
	rc = dbg_stack_window(ctx->s, have_rt ? &ctx->rt : NULL, have_init ? &init : NULL, r->rsp,
			      n, slots, err);
	if (rc < 0)
		goto out;
	ev = cmd_ev_new(ctx, "stack");
	dbg_obj_addr(ev, "sp", r->rsp);
	arr = dbg_obj_array(ev, "slots");
	for (i = 0; i < rc; i++) {
		struct dbg_val *o = dbg_arr_object(arr);

		dbg_obj_addr(o, "addr", slots[i].addr);
		dbg_obj_addr(o, "value", slots[i].value);
		dbg_obj_str(o, "what", slots[i].what);
		dbg_obj_str(o, "region", slots[i].region);
	}
	cmd_ev_emit(ctx, ev);
	rc = 0;
out:
	free(slots);
	if (have_init)
		dbg_initstack_release(&init);
	return rc;
}

int cmd_info_auxv(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_initstack init;
	struct dbg_val *ev, *arr;
	size_t i;
	int rc;

	(void)cmd;
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	memset(&init, 0, sizeof(init));
	rc = dbg_stack_initial(ctx->s, &init, err);
	if (rc < 0)
		return rc;
	ev = cmd_ev_new(ctx, "auxv");
	dbg_obj_addr(ev, "sp", init.sp);
	dbg_obj_uint(ev, "argc", init.argc);
	arr = dbg_obj_array(ev, "auxv");
	for (i = 0; i < init.nauxv; i++) {
		struct dbg_val *o = dbg_arr_object(arr);

		dbg_obj_addr(o, "slot", init.auxv[i].slot);
		dbg_obj_uint(o, "type", init.auxv[i].type);
		dbg_obj_str(o, "name", init.auxv[i].name);
		dbg_obj_addr(o, "value", init.auxv[i].value);
	}
	cmd_ev_emit(ctx, ev);
	dbg_initstack_release(&init);
	return 0;
}

int cmd_info_stages(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_stages *st = cmd_stages_of(ctx);
	int cur = ctx->started ? dbg_session_current_stage(ctx->s) : -1;
	struct dbg_val *ev, *arr;
	size_t i;

	(void)cmd;
	if (st->n == 0 && dbg_session_no_symbols(ctx->s))
		return dbg_err_set(err, -ENOENT,
				   "no boot stages: they are found by symbol and %s; the entry point, registers, memory and disassembly still work",
				   dbg_session_no_symbols(ctx->s));
	ev = cmd_ev_new(ctx, "stages");
	if (dbg_elf_pclntab(dbg_session_elf(ctx->s)))
		dbg_obj_str(ev, "symbols_note",
			    dbg_elf_pclntab(dbg_session_elf(ctx->s)) == 118 ?
				    "function names from Go's pclntab (go1.18 format): the file has no symbol table" :
				    "function names from Go's pclntab (go1.20 format): the file has no symbol table");
	if (dbg_elf_go_version(dbg_session_elf(ctx->s)))
		dbg_obj_str(ev, "go_version", dbg_elf_go_version(dbg_session_elf(ctx->s)));
	if (dbg_elf_is_pie(dbg_session_elf(ctx->s)) && !dbg_session_running(ctx->s) &&
	    !ctx->started)
		dbg_obj_str(ev, "addresses_note",
			    "link-time addresses: the program is position-independent and has not started; its run-time addresses are these plus the load bias");
	arr = dbg_obj_array(ev, "stages");

	for (i = 0; i < st->n; i++) {
		struct dbg_val *o = dbg_arr_object(arr);
		uint64_t steps = 0;
		bool reached = ctx->started && dbg_session_stage_reached(ctx->s, i, &steps);

		dbg_obj_int(o, "index", (int64_t)i);
		dbg_obj_str(o, "name", st->v[i].name);
		dbg_obj_str(o, "short", dbg_stage_short(st->v[i].name));
		dbg_obj_str(o, "symbol", st->v[i].symbol);
		dbg_obj_addr(o, "addr", st->v[i].addr);
		dbg_obj_str(o, "check", st->v[i].check);
		dbg_obj_bool(o, "reached", reached);
		/* a count that missed a free run (continue) is unknown: the
		 * stage was reached after step `after_step` */
		if (reached && dbg_session_stage_steps_exact(ctx->s, i)) {
			dbg_obj_uint(o, "steps", steps);
		} else {
			dbg_obj_null(o, "steps");
			if (reached)
				dbg_obj_uint(o, "after_step", steps);
		}
		if (reached && dbg_session_stage_rank(ctx->s, i))
			dbg_obj_uint(o, "order", dbg_session_stage_rank(ctx->s, i));
		dbg_obj_bool(o, "current", (int)i == cur);
	}
	arr = dbg_obj_array(ev, "thread_stages");
	for (i = 0; i < st->nthread; i++) {
		struct dbg_val *o = dbg_arr_object(arr);

		dbg_obj_str(o, "name", st->thread[i].name);
		dbg_obj_str(o, "symbol", st->thread[i].symbol);
		dbg_obj_addr(o, "addr", st->thread[i].addr);
		dbg_obj_str(o, "check", st->thread[i].check);
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}

int dbg_cmd_emit_stages(struct dbg_cmd_ctx *ctx)
{
	struct dbg_err err;
	int rc;

	dbg_err_clear(&err);
	/* A dynamic binary's stages move with its load bias, and its loader's
	 * entry is known only once it runs: start it to its first
	 * instruction, as starti would. Without a process (ptrace refused)
	 * the list keeps link-time addresses and says so. */
	if (dbg_elf_interp(dbg_session_elf(ctx->s)) && !ctx->started)
		cmd_need_process(ctx, NULL);
	rc = cmd_info_stages(ctx, NULL, &err);
	if (rc < 0)
		dbg_cmd_error(ctx, rc, ctx->file, ctx->line, err.msg);
	return rc;
}

/* Section flags of the ELF ABI (SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR),
 * spelled here because "elf.h" is this library's own header. */
enum { SEC_WRITE = 0x1, SEC_ALLOC = 0x2, SEC_EXEC = 0x4 };

int cmd_info_sections(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_elf *elf = dbg_session_elf(ctx->s);
	struct dbg_val *ev = cmd_ev_new(ctx, "sections");
	struct dbg_val *arr = dbg_obj_array(ev, "sections");
	size_t i;

	(void)cmd;
	(void)err;
	for (i = 1; i < dbg_elf_nsections(elf); i++) {
		const struct dbg_section *sec = dbg_elf_section(elf, i);
		struct dbg_val *o = dbg_arr_object(arr);
		char flags[4], *f = flags;

		if (sec->flags & SEC_ALLOC)
			*f++ = 'A';
		if (sec->flags & SEC_WRITE)
			*f++ = 'W';
		if (sec->flags & SEC_EXEC)
			*f++ = 'X';
		*f = '\0';
		dbg_obj_str(o, "name", sec->name);
		dbg_obj_addr(o, "addr", sec->addr);
		dbg_obj_uint(o, "size", sec->size);
		dbg_obj_addr(o, "offset", sec->offset);
		dbg_obj_str(o, "flags", flags);
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_info_target(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_elf *elf = dbg_session_elf(ctx->s);
	struct dbg_val *ev = cmd_ev_new(ctx, "target");
	const char *symbols = dbg_elf_has_symtab(elf) ? "symtab" :
			      dbg_elf_pclntab(elf)    ? "pclntab" :
			      dbg_elf_nsyms(elf) != 0 ? "dynsym" :
							"none";

	(void)cmd;
	(void)err;
	dbg_obj_str(ev, "path", dbg_session_path(ctx->s));
	dbg_obj_str(ev, "kind",
		    dbg_elf_is_pie(elf) ? "pie" :
		    dbg_elf_interp(elf) ? "dynamic" :
					  "static");
	dbg_obj_addr(ev, "entry", dbg_elf_entry(elf));
	if (dbg_elf_interp(elf))
		dbg_obj_str(ev, "interp", dbg_elf_interp(elf));
	dbg_obj_str(ev, "symbols", symbols);
	dbg_obj_uint(ev, "nsyms", dbg_elf_nsyms(elf));
	dbg_obj_bool(ev, "dwarf", dbg_session_dwarf(ctx->s) != NULL);
	if (dbg_elf_go_version(elf))
		dbg_obj_str(ev, "go_version", dbg_elf_go_version(elf));
	cmd_ev_emit(ctx, ev);
	return 0;
}

/* A thread's g (fs:-8), the M it is, known by its TLS pointer, what it
 * does and the system call it is in. */
void cmd_add_thread_g(struct dbg_cmd_ctx *ctx, struct dbg_val *o, const struct dbg_thread_info *th,
		      bool have_rt)
{
	uint64_t fs_base = th->fs_base, g = th->g;
	const struct dbg_rt_m *m = have_rt ? dbg_rt_m_of(&ctx->rt, th) : NULL;
	const char *sys = th->syscall >= 0 ? dbg_syscall_name((uint64_t)th->syscall) : NULL;
	char label[64];

	if (g) {
		dbg_obj_addr(o, "g", g);
		if (dbg_rt_label(ctx->s, g, label, sizeof(label)) < 0)
			dbg_obj_null(o, "g_label");
		else
			dbg_obj_str(o, "g_label", label);
	} else {
		dbg_obj_null(o, "g");
		dbg_obj_null(o, "g_label");
	}
	if (m)
		dbg_obj_int(o, "m_id", m->id);
	else
		dbg_obj_null(o, "m_id");
	if (have_rt && fs_base)
		dbg_obj_str(o, "state", dbg_rt_thread_state(&ctx->rt, m, g, label, sizeof(label)));
	else
		dbg_obj_null(o, "state");
	if (th->syscall < 0)
		dbg_obj_null(o, "syscall");
	else if (sys)
		dbg_obj_str(o, "syscall", sys);
	else
		dbg_obj_strf(o, "syscall", "%" PRId64, th->syscall);
}

int cmd_info_threads(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_thread_info th[64];
	struct dbg_val *ev, *arr;
	bool have_rt;
	size_t i, n;
	int rc;

	(void)cmd;
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	n = dbg_session_threads(ctx->s, th, 64);
	if (n > 64)
		n = 64;
	have_rt = dbg_rt_read(ctx->s, &ctx->rt, NULL) == 0;
	ev = cmd_ev_new(ctx, "threads");
	dbg_obj_str(ev, "scheduler_locking", dbg_sched_lock_name(dbg_session_sched_lock(ctx->s)));
	arr = dbg_obj_array(ev, "threads");
	for (i = 0; i < n; i++) {
		struct dbg_val *o = dbg_arr_object(arr);

		dbg_obj_int(o, "tid", th[i].tid);
		dbg_obj_addr(o, "rip", th[i].rip);
		dbg_obj_str(o, "symbol", cmd_symbolize(ctx, th[i].rip));
		dbg_obj_addr(o, "fs_base", th[i].fs_base);
		cmd_add_thread_g(ctx, o, &th[i], have_rt);
		dbg_obj_bool(o, "current", th[i].current);
	}
	dbg_obj_str(ev, "layout", have_rt ? ctx->rt.layout : NULL);
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_info_breakpoints(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_bp *bps;
	const struct dbg_watch *ws;
	size_t i, j = 0, n = dbg_session_breakpoints(ctx->s, &bps);
	size_t nw = dbg_session_watchpoints(ctx->s, &ws);
	const struct dbg_catch *cs;
	size_t k = 0, nc = dbg_session_catchpoints(ctx->s, &cs);
	struct dbg_val *ev = cmd_ev_new(ctx, "breakpoints");
	struct dbg_val *arr = dbg_obj_array(ev, "breakpoints");

	(void)cmd;
	(void)err;
	for (i = 0; i <= n; i++) {
		/* watchpoints and catchpoints share the numbers: by number, as
		 * gdb lists them */
		for (;;) {
			int next = i < n ? bps[i].id : INT32_MAX;
			bool w = j < nw && ws[j].id < next;
			bool c = k < nc && cs[k].id < next;

			if (w && (!c || ws[j].id < cs[k].id))
				cmd_add_watch_entry(ctx, arr, &ws[j++]);
			else if (c)
				cmd_add_catch_entry(ctx, arr, &cs[k++]);
			else
				break;
		}
		if (i == n)
			break;
		struct dbg_val *o = dbg_arr_object(arr);

		dbg_obj_int(o, "id", bps[i].id);
		dbg_obj_str(o, "type", "breakpoint");
		if (bps[i].pending) {
			dbg_obj_null(o, "addr");
			dbg_obj_null(o, "symbol");
			dbg_obj_null(o, "stage");
		} else {
			dbg_obj_addr(o, "addr", bps[i].addr);
			dbg_obj_str(o, "symbol", cmd_symbolize(ctx, bps[i].addr));
			cmd_add_stage_at(ctx, o, "stage", bps[i].addr);
		}
		dbg_obj_bool(o, "temporary", bps[i].temporary);
		dbg_obj_bool(o, "enabled", bps[i].enabled);
		dbg_obj_uint(o, "hits", bps[i].hits);
		dbg_obj_bool(o, "pending", bps[i].pending);
		dbg_obj_str(o, "spec", bps[i].spec);
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}
