/*
 * frames — the call stack commands: backtrace, frame, up, down, info frame,
 * goroutine N bt, and the selected frame that $pc, $sp and $rbp read.
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unwind.h"

/* Frames a walk keeps at most (a backtrace longer than this is cut). */
#define MAX_FRAMES 1024

static const char *const reg_names[DBG_UNWIND_NREGS] = {
	"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8",
	"r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip",
};

static struct dbg_frame *frame_buf(struct dbg_cmd_ctx *ctx)
{
	if (!ctx->frames) {
		ctx->frames = calloc(MAX_FRAMES, sizeof(*ctx->frames));
		if (!ctx->frames)
			abort();
	}
	if (!ctx->unwind)
		ctx->unwind = dbg_unwind_new();
	return ctx->frames;
}

/* Walk the stack from regs (g the registers' g); the count or -errno. */
static int walk(struct dbg_cmd_ctx *ctx, const struct dbg_regs *regs, uint64_t g, size_t max,
		struct dbg_err *err)
{
	struct dbg_frame *f = frame_buf(ctx);
	bool have_rt = dbg_rt_read(ctx->s, &ctx->rt, NULL) == 0;

	if (max > MAX_FRAMES)
		max = MAX_FRAMES;
	return dbg_unwind_frames(ctx->unwind, ctx->s, regs, g, have_rt ? &ctx->rt : NULL, f, max,
				 err);
}

/* The current thread's frames, up to max. */
static int thread_frames(struct dbg_cmd_ctx *ctx, size_t max, struct dbg_err *err)
{
	const struct dbg_regs *r;
	uint64_t g = 0;
	int rc = cmd_need_process(ctx, err);

	if (rc < 0)
		return rc;
	r = dbg_session_regs(ctx->s);
	if (!r)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	(void)dbg_rt_cur_g(ctx->s, &g, NULL);
	return walk(ctx, r, g, max, err);
}

int dbg_cmd_frames(struct dbg_cmd_ctx *ctx, size_t max, const struct dbg_frame **out,
		   struct dbg_err *err)
{
	int n = thread_frames(ctx, max, err);

	*out = n > 0 ? ctx->frames : NULL;
	return n;
}

/* One frame as an object of the events. */
static void add_frame(struct dbg_val *o, const struct dbg_frame *f, size_t level)
{
	dbg_obj_uint(o, "level", level);
	dbg_obj_addr(o, "pc", f->pc);
	dbg_obj_str(o, "func", f->func);
	if (f->func)
		dbg_obj_uint(o, "offset", f->pc - f->func_addr);
	else
		dbg_obj_null(o, "offset");
	dbg_obj_addr(o, "sp", f->sp);
	if (f->cfa)
		dbg_obj_addr(o, "cfa", f->cfa);
	else
		dbg_obj_null(o, "cfa");
	dbg_obj_str(o, "how", dbg_frame_how_name(f->how));
	if (f->goid >= 0)
		dbg_obj_int(o, "goroutine", f->goid);
	else
		dbg_obj_null(o, "goroutine");
}

/* "bt", "bt N", "bt -N"; the count into *count (0: all), from_outer for -N. */
static int parse_count(struct dbg_cmd_ctx *ctx, const char *arg, uint64_t *count, bool *from_outer,
		       struct dbg_err *err)
{
	struct dbg_expr_value v;
	int rc;

	*count = 0;
	*from_outer = false;
	arg = cmd_skip_ws(arg);
	if (!*arg)
		return 0;
	if (*arg == '-') {
		*from_outer = true;
		arg++;
	}
	if (cmd_parse_u64(arg, strlen(arg), count))
		return 0;
	rc = cmd_eval(ctx, arg, &v, err);
	if (rc < 0)
		return rc;
	*count = v.v;
	return 0;
}

static int emit_backtrace(struct dbg_cmd_ctx *ctx, int n, const char *args, int64_t goid,
			  struct dbg_err *err)
{
	const struct dbg_frame *f = ctx->frames;
	uint64_t count;
	bool outer;
	size_t first = 0, last = (size_t)n, i;
	struct dbg_val *ev, *arr;
	int rc = parse_count(ctx, args, &count, &outer, err);

	if (rc < 0)
		return rc;
	if (count && count < (uint64_t)n) {
		if (outer)
			first = (size_t)n - count;
		else
			last = count;
	}
	ev = cmd_ev_new(ctx, "backtrace");
	if (goid >= 0)
		dbg_obj_int(ev, "goroutine", goid);
	arr = dbg_obj_array(ev, "frames");
	for (i = first; i < last; i++)
		add_frame(dbg_arr_object(arr), &f[i], i);
	dbg_obj_bool(ev, "more", last < (size_t)n || (n == MAX_FRAMES && !f[n - 1].stop_why));
	dbg_obj_str(ev, "stop_why", last == (size_t)n ? f[n - 1].stop_why : NULL);
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_backtrace(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	int n = thread_frames(ctx, MAX_FRAMES, err);

	if (n < 0)
		return n;
	return emit_backtrace(ctx, n, cmd->args, -1, err);
}

/* The "frame" event for the selected frame. */
static int emit_selected(struct dbg_cmd_ctx *ctx, struct dbg_err *err)
{
	int n = thread_frames(ctx, ctx->frame_sel + 1, err);
	struct dbg_val *ev;

	if (n < 0)
		return n;
	if ((size_t)n <= ctx->frame_sel)
		ctx->frame_sel = (size_t)n - 1;
	ev = cmd_ev_new(ctx, "frame");
	add_frame(ev, &ctx->frames[ctx->frame_sel], ctx->frame_sel);
	cmd_ev_emit(ctx, ev);
	return 0;
}

static int level_arg(struct dbg_cmd_ctx *ctx, const char *arg, uint64_t dflt, uint64_t *out,
		     struct dbg_err *err)
{
	struct dbg_expr_value v;
	int rc;

	arg = cmd_skip_ws(arg);
	if (!*arg) {
		*out = dflt;
		return 0;
	}
	if (cmd_parse_u64(arg, strlen(arg), out))
		return 0;
	rc = cmd_eval(ctx, arg, &v, err);
	if (rc < 0)
		return rc;
	if ((int64_t)v.v < 0)
		return dbg_err_set(err, -EINVAL, "invalid frame count '%s'", arg);
	*out = v.v;
	return 0;
}

int cmd_frame(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	uint64_t level;
	int n, rc = level_arg(ctx, cmd->args, ctx->frame_sel, &level, err);

	if (rc < 0)
		return rc;
	n = thread_frames(ctx, level < MAX_FRAMES ? level + 1 : MAX_FRAMES, err);
	if (n < 0)
		return n;
	if (level >= (uint64_t)n)
		return dbg_err_set(err, -EINVAL, "no frame at level %" PRIu64, level);
	ctx->frame_sel = (size_t)level;
	return emit_selected(ctx, err);
}

static int move(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, bool up, struct dbg_err *err)
{
	uint64_t k;
	int n, rc = level_arg(ctx, cmd->args, 1, &k, err);

	if (rc < 0)
		return rc;
	/* as gdb: only a bare up or down that cannot move is an error */
	if (!up) {
		if (!cmd->args[0] && ctx->frame_sel == 0)
			return dbg_err_set(err, -EINVAL,
					   "bottom (innermost) frame selected; you cannot go down");
		ctx->frame_sel = k > ctx->frame_sel ? 0 : ctx->frame_sel - (size_t)k;
		return emit_selected(ctx, err);
	}
	n = thread_frames(ctx, MAX_FRAMES, err);
	if (n < 0)
		return n;
	if (!cmd->args[0] && ctx->frame_sel + 1 >= (size_t)n)
		return dbg_err_set(err, -EINVAL, "initial frame selected; you cannot go up");
	ctx->frame_sel = k >= (size_t)n - 1 - ctx->frame_sel ? (size_t)n - 1 : ctx->frame_sel + k;
	return emit_selected(ctx, err);
}

int cmd_up(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return move(ctx, cmd, true, err);
}

int cmd_down(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return move(ctx, cmd, false, err);
}

int cmd_info_frame(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	size_t sel = ctx->frame_sel;
	int n = thread_frames(ctx, sel + 3, err);
	const struct dbg_frame *f;
	struct dbg_val *ev, *arr;
	int r;

	(void)cmd;
	if (n < 0)
		return n;
	if ((size_t)n <= sel)
		sel = ctx->frame_sel = (size_t)n - 1;
	f = &ctx->frames[sel];
	ev = cmd_ev_new(ctx, "frame_info");
	add_frame(ev, f, sel);
	if (f->caller_pc)
		dbg_obj_addr(ev, "saved_pc", f->caller_pc);
	else
		dbg_obj_null(ev, "saved_pc");
	if ((size_t)n > sel + 1 && ctx->frames[sel + 1].cfa)
		dbg_obj_addr(ev, "caller_cfa", ctx->frames[sel + 1].cfa);
	else
		dbg_obj_null(ev, "caller_cfa");
	if (sel > 0 && ctx->frames[sel - 1].cfa)
		dbg_obj_addr(ev, "callee_cfa", ctx->frames[sel - 1].cfa);
	else
		dbg_obj_null(ev, "callee_cfa");
	dbg_obj_str(ev, "stop_why", f->stop_why);
	arr = dbg_obj_array(ev, "saved");
	for (r = 0; r < DBG_UNWIND_NREGS; r++) {
		if (f->saved_mask & (1u << r)) {
			struct dbg_val *o = dbg_arr_object(arr);

			dbg_obj_str(o, "reg", reg_names[r]);
			dbg_obj_addr(o, "addr", f->saved_at[r]);
		}
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}

/* The registers where goroutine g's stack continues: its g.sched when it is
 * not running, else the registers of the thread running it. */
static int goroutine_regs(struct dbg_cmd_ctx *ctx, const struct dbg_rt_g *g, struct dbg_regs *r,
			  struct dbg_err *err)
{
	uint32_t st = g->status & ~(uint32_t)DBG_G_SCAN;
	struct dbg_thread_info th[64];
	size_t i, n;

	memset(r, 0, sizeof(*r));
	if (st != DBG_G_RUNNING && st != DBG_G_SYSCALL) {
		r->rip = g->sched_pc;
		r->rsp = g->sched_sp;
		r->rbp = g->sched_bp;
		return 0;
	}
	n = dbg_session_threads(ctx->s, th, 64);
	for (i = 0; i < n && i < 64; i++) {
		const struct dbg_rt_m *m = dbg_rt_m_of(&ctx->rt, &th[i]);
		pid_t cur = 0;
		size_t j;
		int rc;

		if (!m || m->addr != g->m || m->curg != g->addr)
			continue;
		if (th[i].current) {
			*r = *dbg_session_regs(ctx->s);
			return 0;
		}
		for (j = 0; j < n && j < 64; j++)
			if (th[j].current)
				cur = th[j].tid;
		rc = dbg_session_select_thread(ctx->s, th[i].tid, err);
		if (rc < 0)
			return rc;
		*r = *dbg_session_regs(ctx->s);
		if (cur)
			(void)dbg_session_select_thread(ctx->s, cur, NULL);
		return 0;
	}
	/* in a system call without its thread known: the saved state */
	r->rip = g->sched_pc;
	r->rsp = g->sched_sp;
	r->rbp = g->sched_bp;
	if (!r->rsp)
		return dbg_err_set(err, -ESRCH, "goroutine %" PRId64 " is running on no thread",
				   g->goid);
	return 0;
}

/* goroutine N bt|backtrace [COUNT] (runtime-gdb.py's syntax). */
int cmd_goroutine(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const char *p = cmd->args, *sub;
	size_t l = strcspn(p, " \t"), sl, i;
	const struct dbg_rt_g *g = NULL;
	struct dbg_regs regs;
	uint64_t goid;
	int n, rc;

	if (!cmd_parse_u64(p, l, &goid) || goid > INT64_MAX)
		return dbg_err_set(err, -EINVAL, "invalid goroutine number '%.*s'", (int)l, p);
	sub = cmd_skip_ws(p + l);
	sl = strcspn(sub, " \t");
	if (!((sl == 2 && strncmp(sub, "bt", 2) == 0) ||
	      (sl == 9 && strncmp(sub, "backtrace", 9) == 0)))
		return sl ? dbg_err_set(err, -EINVAL,
					"unknown goroutine subcommand '%.*s'; try goroutine N bt",
					(int)sl, sub) :
			    dbg_err_set(err, -EINVAL,
					"goroutine %" PRIu64
					" needs a subcommand; try goroutine N bt",
					goid);
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	rc = dbg_rt_read(ctx->s, &ctx->rt, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < ctx->rt.ngs; i++) {
		const struct dbg_rt_g *c = &ctx->rt.gs[i];

		if (c->goid == (int64_t)goid && c->addr != ctx->rt.g0 && c->status != DBG_G_DEAD &&
		    c->status != DBG_G_IDLE && strchr(c->label, '.') == NULL) {
			g = c;
			break;
		}
	}
	if (!g)
		return dbg_err_set(err, -ENOENT, "no goroutine %" PRIu64, goid);
	rc = goroutine_regs(ctx, g, &regs, err);
	if (rc < 0)
		return rc;
	n = walk(ctx, &regs, g->addr, MAX_FRAMES, err);
	if (n < 0)
		return n;
	return emit_backtrace(ctx, n, cmd_skip_ws(sub + sl), (int64_t)goid, err);
}

/* $pc, $sp, $rbp … of the selected frame (gdb's frame registers). */
int cmd_frame_var(struct dbg_cmd_ctx *ctx, const char *name, uint64_t *val, struct dbg_err *err)
{
	const struct dbg_frame *f;
	int n;

	if (ctx->frame_sel == 0)
		return 1;
	if (strcmp(name, "pc") && strcmp(name, "rip") && strcmp(name, "sp") &&
	    strcmp(name, "rsp") && strcmp(name, "rbp"))
		return 1;
	n = thread_frames(ctx, ctx->frame_sel + 1, err);
	if (n < 0)
		return n;
	if ((size_t)n <= ctx->frame_sel)
		ctx->frame_sel = (size_t)n - 1;
	f = &ctx->frames[ctx->frame_sel];
	if (name[0] == 'p' || name[1] == 'i')
		*val = f->pc;
	else if (name[0] == 's' || name[1] == 's')
		*val = f->sp;
	else
		*val = f->bp;
	return 0;
}
