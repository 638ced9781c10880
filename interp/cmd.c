/*
 * cmd — run a parsed command against the session and emit its events (the
 * parser is parse.c). See cmd.h for the commands, docs/json.md for the events.
 */
#include "cmd_int.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack.h"
#include "timeline.h"

/* ---- context and events ------------------------------------------------- */

const struct dbg_stages *cmd_stages_of(struct dbg_cmd_ctx *ctx)
{
	return dbg_session_stages(ctx->s);
}

static void image_hook(struct dbg_session *s, bool exec, void *arg);

/* The session's output fn: what the target writes while it runs, as
 * "output" events at once. Its own arena: a command may be building an
 * event in ctx->arena meanwhile. */
static void output_while_running(void *arg, enum dbg_stream stream, const void *buf, size_t n)
{
	struct dbg_cmd_ctx *ctx = arg;
	struct dbg_val *ev;

	if (!ctx->drain_output)
		return;
	ev = dbg_event_new(&ctx->out_arena, "output");
	dbg_obj_str(ev, "stream", stream == DBG_STREAM_STDERR ? "stderr" : "stdout");
	dbg_obj_set(ev, "data", dbg_val_strn(&ctx->out_arena, buf, n));
	ctx->emit(ctx->emit_arg, ev);
	dbg_arena_reset(&ctx->out_arena);
}

void dbg_cmd_ctx_init(struct dbg_cmd_ctx *ctx, struct dbg_session *s, char *const *argv,
		      char *const *envp, dbg_emit_fn *emit, void *emit_arg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->s = s;
	ctx->argv = argv;
	ctx->envp = envp;
	ctx->start_opts.stdin_fd = -1;
	ctx->emit = emit;
	ctx->emit_arg = emit_arg;
	ctx->drain_output = true;
	dbg_arena_init(&ctx->arena);
	dbg_arena_init(&ctx->out_arena);
	dbg_arena_init(&ctx->tmp);
	dbg_session_set_image_hook(s, image_hook, ctx);
	dbg_session_set_output_fn(s, output_while_running, ctx);
}

void dbg_cmd_ctx_release(struct dbg_cmd_ctx *ctx)
{
	if (ctx->s) {
		dbg_session_set_image_hook(ctx->s, NULL, NULL);
		dbg_session_set_output_fn(ctx->s, NULL, NULL);
	}
	cmd_displays_release(ctx);
	dbg_arena_release(&ctx->arena);
	dbg_arena_release(&ctx->out_arena);
	dbg_arena_release(&ctx->tmp);
	dbg_rt_release(&ctx->rt);
	dbg_unwind_free(ctx->unwind);
	free(ctx->frames);
}

struct dbg_val *cmd_ev_new(struct dbg_cmd_ctx *ctx, const char *name)
{
	return dbg_event_new(&ctx->arena, name);
}

void cmd_ev_emit(struct dbg_cmd_ctx *ctx, struct dbg_val *ev)
{
	ctx->emit(ctx->emit_arg, ev);
	dbg_arena_reset(&ctx->arena);
}

void cmd_add_loc(struct dbg_val *ev, const char *file, int line)
{
	if (!file)
		return;
	dbg_obj_str(ev, "file", file);
	dbg_obj_int(ev, "line", line);
}

int dbg_cmd_error(struct dbg_cmd_ctx *ctx, int code, const char *file, int line_no, const char *msg)
{
	struct dbg_val *ev = cmd_ev_new(ctx, "error");

	dbg_obj_str(ev, "message", msg);
	cmd_add_loc(ev, file, line_no);
	cmd_ev_emit(ctx, ev);
	ctx->errors++;
	return code;
}

/* A symbol for addr, or NULL (as an event member: null). */
const char *cmd_symbolize(struct dbg_cmd_ctx *ctx, uint64_t addr)
{
	char buf[256];

	if (dbg_session_symbolize(ctx->s, addr, buf, sizeof(buf)) < 0)
		return NULL;
	return dbg_arena_strdup(&ctx->arena, buf);
}

void dbg_cmd_drain_output(struct dbg_cmd_ctx *ctx)
{
	static const struct {
		enum dbg_stream stream;
		const char *name;
	} streams[] = {
		{ DBG_STREAM_STDOUT, "stdout" },
		{ DBG_STREAM_STDERR, "stderr" },
	};
	char buf[4096];
	size_t i;

	if (!ctx->drain_output || !ctx->started || !dbg_session_output_pending(ctx->s))
		return;
	for (i = 0; i < 2; i++) {
		ssize_t n;

		while ((n = dbg_session_read_output(ctx->s, streams[i].stream, buf, sizeof(buf))) >
		       0) {
			struct dbg_val *ev = cmd_ev_new(ctx, "output");

			dbg_obj_str(ev, "stream", streams[i].name);
			dbg_obj_set(ev, "data", dbg_val_strn(&ctx->arena, buf, (size_t)n));
			cmd_ev_emit(ctx, ev);
		}
	}
}

/* ---- the process -------------------------------------------------------- */

static int start_process(struct dbg_cmd_ctx *ctx, struct dbg_stop *stop, struct dbg_err *err)
{
	int rc = dbg_session_start(ctx->s, ctx->argv, ctx->envp, &ctx->start_opts, stop, err);

	if (rc < 0)
		return rc;
	ctx->started = true;
	return 0;
}

/* A process to work on: the running one, or one started now (implicitly,
 * stopped at the entry point) when none ever ran. */
int cmd_need_process(struct dbg_cmd_ctx *ctx, struct dbg_err *err)
{
	struct dbg_stop stop;

	if (dbg_session_running(ctx->s))
		return 0;
	if (ctx->started)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	return start_process(ctx, &stop, err);
}

void cmd_add_regs(struct dbg_val *obj, const char *key, const struct dbg_regs *r)
{
	struct dbg_val *regs = dbg_obj_object(obj, key);
	size_t i;

	for (i = 0; i < dbg_regs_count; i++)
		dbg_obj_set_static(regs, dbg_regs_table[i].name,
				   dbg_val_addr(regs->list.arena,
						*(const uint64_t *)((const char *)r +
								    dbg_regs_table[i].offset)));
}

/* The current g and its label into ev (null before settls). */
void cmd_add_cur_g(struct dbg_cmd_ctx *ctx, struct dbg_val *ev)
{
	char label[64];
	uint64_t g = 0;

	if (dbg_rt_cur_g(ctx->s, &g, NULL) < 0 || g == 0) {
		dbg_obj_null(ev, "g");
		dbg_obj_null(ev, "g_label");
		return;
	}
	dbg_obj_addr(ev, "g", g);
	if (dbg_rt_label(ctx->s, g, label, sizeof(label)) < 0)
		dbg_obj_null(ev, "g_label");
	else
		dbg_obj_str(ev, "g_label", label);
}

static void add_stage(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, const char *key, int idx)
{
	const struct dbg_stages *st = cmd_stages_of(ctx);

	if (idx < 0 || (size_t)idx >= st->n)
		dbg_obj_null(ev, key);
	else
		dbg_obj_str(ev, key, st->v[idx].name);
}

/* The boot stage at exactly addr, else the thread-event stage there. */
void cmd_add_stage_at(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, const char *key, uint64_t addr)
{
	const struct dbg_stages *st = cmd_stages_of(ctx);
	int i = dbg_stages_at(st, addr);

	if (i < 0 && (i = dbg_stages_thread_at(st, addr)) >= 0)
		dbg_obj_str(ev, key, st->thread[i].name);
	else
		add_stage(ctx, ev, key, i);
}

static void add_insn(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, uint64_t pc)
{
	struct dbg_insn in;
	char text[256];

	if (dbg_session_disasm(ctx->s, pc, 1, &in, NULL) < 1) {
		dbg_obj_null(ev, "insn");
		return;
	}
	dbg_insn_text(&in, text, sizeof(text));
	dbg_obj_str(ev, "insn", text);
}

/* While the timeline shows history: which steps it holds. */
static void add_history(struct dbg_cmd_ctx *ctx, struct dbg_val *ev)
{
	struct dbg_timeline *tl = dbg_session_timeline(ctx->s);
	struct dbg_tl_info in;
	struct dbg_val *h;

	if (!tl || !dbg_tl_active(tl))
		return;
	dbg_tl_info(tl, &in);
	h = dbg_obj_object(ev, "history");
	dbg_obj_uint(h, "first", in.first);
	dbg_obj_uint(h, "last", in.last);
	dbg_obj_bool(h, "replay", in.replay);
}

/* Report how a resuming command ended: "stop", "exited" or "signaled". */
static void report_stop(struct dbg_cmd_ctx *ctx, const struct dbg_stop *stop)
{
	const struct dbg_regs *r;
	struct dbg_val *ev;
	char sig[32];

	dbg_cmd_drain_output(ctx);
	ctx->frame_sel = 0;
	if (stop->reason == DBG_STOP_EXITED) {
		ev = cmd_ev_new(ctx, "exited");
		dbg_obj_int(ev, "code", stop->code);
		dbg_obj_uint(ev, "steps", dbg_session_steps(ctx->s));
		cmd_ev_emit(ctx, ev);
		return;
	}
	if (stop->reason == DBG_STOP_SIGNALED) {
		ctx->killed++;
		ev = cmd_ev_new(ctx, "signaled");
		dbg_obj_str(ev, "signal", dbg_signal_name(stop->signo, sig, sizeof(sig)));
		dbg_obj_uint(ev, "steps", dbg_session_steps(ctx->s));
		cmd_ev_emit(ctx, ev);
		return;
	}
	ctx->frame_sel = 0;
	ev = cmd_ev_new(ctx, "stop");
	dbg_obj_str(ev, "reason", dbg_stop_reason_name(stop->reason));
	add_stage(ctx, ev, "stage", dbg_session_current_stage(ctx->s));
	dbg_obj_str(ev, "symbol", cmd_symbolize(ctx, stop->pc));
	dbg_obj_addr(ev, "pc", stop->pc);
	dbg_obj_int(ev, "tid", stop->tid);
	r = dbg_session_regs(ctx->s);
	if (r)
		dbg_obj_addr(ev, "fs_base", r->fs_base);
	else
		dbg_obj_null(ev, "fs_base");
	cmd_add_cur_g(ctx, ev);
	if (r)
		cmd_add_regs(ev, "regs", r);
	else
		dbg_obj_null(ev, "regs");
	dbg_obj_uint(ev, "steps", dbg_session_steps(ctx->s));
	dbg_obj_bool(ev, "steps_exact", dbg_session_steps_exact(ctx->s));
	add_history(ctx, ev);
	if (stop->reason == DBG_STOP_BREAKPOINT)
		dbg_obj_int(ev, "breakpoint", stop->bp_id);
	if (stop->reason == DBG_STOP_WATCHPOINT)
		cmd_add_watch_stop(ctx, ev, stop);
	if (stop->reason == DBG_STOP_SYSCALL || stop->reason == DBG_STOP_STEP)
		cmd_add_sys_stop(ctx, ev, stop);
	if (stop->reason == DBG_STOP_SIGNAL) {
		dbg_obj_str(ev, "signal", dbg_signal_name(stop->signo, sig, sizeof(sig)));
		if (stop->has_fault_addr)
			dbg_obj_addr(ev, "fault_addr", stop->fault_addr);
		if (stop->sender_pid)
			dbg_obj_int(ev, "sender_pid", stop->sender_pid);
	}
	cmd_add_stage_at(ctx, ev, "at_stage", stop->pc);
	add_insn(ctx, ev, stop->pc);
	cmd_add_source(ctx, ev, stop->pc);
	/* the program's first stop says which Go built it */
	if (stop->reason == DBG_STOP_ENTRY && dbg_elf_go_version(dbg_session_elf(ctx->s)))
		dbg_obj_str(ev, "go_version", dbg_elf_go_version(dbg_session_elf(ctx->s)));
	cmd_ev_emit(ctx, ev);
	cmd_show_displays(ctx);
}

/* ---- expressions over the session --------------------------------------- */

/* Registers that hold addresses print as pointers ("(*void) 0x… <sym>"). */
static const struct dbg_type void_type = { .kind = DBG_TYPE_VOID };
static const struct dbg_type void_ptr = {
	.kind = DBG_TYPE_PTR,
	.size = 8,
	.target = &void_type,
};

static bool is_addr_reg(const char *name)
{
	static const char *const regs[] = {
		"rip", "pc", "rsp", "sp", "rbp", "fs_base", "gs_base",
	};
	size_t i;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (strcmp(name, regs[i]) == 0)
			return true;
	return false;
}

static int env_var(void *arg, const char *name, uint64_t *val, const struct dbg_type **type,
		   struct dbg_err *err)
{
	struct dbg_cmd_ctx *ctx = arg;
	const struct dbg_regs *r;
	int rc;

	*type = NULL;
	if (strcmp(name, "steps") == 0) {
		*val = dbg_session_steps(ctx->s);
		return 0;
	}
	if (strcmp(name, "stage") == 0) {
		*val = (uint64_t)(int64_t)dbg_session_current_stage(ctx->s);
		return 0;
	}
	if (strcmp(name, "g") == 0) {
		rc = cmd_need_process(ctx, err);
		if (rc < 0)
			return rc;
		rc = dbg_rt_cur_g(ctx->s, val, err);
		if (rc < 0)
			return rc;
		if (ctx->g_ptr.kind != DBG_TYPE_PTR) {
			const struct dbg_type *g = dbg_rt_type(ctx->s, "g");

			if (g) {
				ctx->g_ptr.kind = DBG_TYPE_PTR;
				ctx->g_ptr.size = 8;
				ctx->g_ptr.target = g;
			}
		}
		if (ctx->g_ptr.kind == DBG_TYPE_PTR)
			*type = &ctx->g_ptr;
		return 0;
	}
	{
		struct dbg_regs probe;

		/* Tell unknown names from a missing process. */
		memset(&probe, 0, sizeof(probe));
		if (dbg_regs_get(&probe, name, val) < 0)
			return -ENOENT;
	}
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	r = dbg_session_regs(ctx->s);
	if (!r)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	rc = cmd_frame_var(ctx, name, val, err);
	if (rc <= 0) {
		if (rc == 0)
			*type = &void_ptr;
		return rc;
	}
	if (is_addr_reg(name))
		*type = &void_ptr;
	return dbg_regs_get(r, name, val);
}

static int env_symbol(void *arg, const char *name, uint64_t *addr, const struct dbg_type **type)
{
	struct dbg_cmd_ctx *ctx = arg;
	const struct dbg_sym *sym = dbg_elf_find(dbg_session_elf(ctx->s), name);
	struct dbg_dwarf *dw = dbg_session_dwarf(ctx->s);
	int i;

	*type = NULL;
	if (sym) {
		*addr = sym->addr;
		if (dw)
			*type = dbg_dwarf_var_type(dw, sym->addr, NULL);
		return 0;
	}
	/* Stage names work as labels too: $pc == rt0_go.wire. */
	i = dbg_stages_find(cmd_stages_of(ctx), name);
	if (i >= 0) {
		*addr = cmd_stages_of(ctx)->v[i].addr;
		return 0;
	}
	i = dbg_stages_thread_find(cmd_stages_of(ctx), name);
	if (i >= 0) {
		*addr = cmd_stages_of(ctx)->thread[i].addr;
		return 0;
	}
	return -ENOENT;
}

static int env_read(void *arg, uint64_t addr, void *buf, size_t n, struct dbg_err *err)
{
	struct dbg_cmd_ctx *ctx = arg;
	int rc = cmd_need_process(ctx, err);

	if (rc < 0)
		return rc;
	return dbg_session_read(ctx->s, addr, buf, n, err);
}

static const struct dbg_type *env_type(void *arg, const char *name)
{
	struct dbg_cmd_ctx *ctx = arg;
	struct dbg_dwarf *dw = dbg_session_dwarf(ctx->s);

	return dw ? dbg_dwarf_type(dw, name) : NULL;
}

void dbg_cmd_expr_env(struct dbg_cmd_ctx *ctx, struct dbg_expr_env *env)
{
	env->arg = ctx;
	env->var = env_var;
	env->symbol = env_symbol;
	env->read = env_read;
	env->type = env_type;
}

int cmd_eval(struct dbg_cmd_ctx *ctx, const char *text, struct dbg_expr_value *v,
	     struct dbg_err *err)
{
	struct dbg_expr_env env;

	dbg_cmd_expr_env(ctx, &env);
	return dbg_expr_eval(text, &env, &ctx->tmp, v, err);
}

/* ---- locations ---------------------------------------------------------- */

int dbg_cmd_resolve_loc(struct dbg_cmd_ctx *ctx, const char *loc, uint64_t *addr,
			struct dbg_err *err)
{
	const struct dbg_stages *st = cmd_stages_of(ctx);
	const char *near[3];
	struct dbg_expr_value v;
	uint64_t num;
	size_t n;
	int i, rc;

	char file[4096];
	unsigned line;

	if (loc[0] == '*') {
		rc = cmd_eval(ctx, loc + 1, &v, err);
		if (rc < 0)
			return rc;
		*addr = v.v;
		return 0;
	}
	if (cmd_file_line(loc, file, sizeof(file), &line))
		return cmd_resolve_file_line(ctx, file, line, addr, err);
	i = dbg_stages_find(st, loc);
	if (i >= 0) {
		*addr = st->v[i].addr;
		return 0;
	}
	i = dbg_stages_thread_find(st, loc);
	if (i >= 0) {
		*addr = st->thread[i].addr;
		return 0;
	}
	if (dbg_elf_lookup(dbg_session_elf(ctx->s), loc, addr) == 0)
		return 0;
	if (cmd_parse_u64(loc, strlen(loc), &num))
		return dbg_err_set(err, -EINVAL, "'%s' is not a location; write *%s for an address",
				   loc, loc);
	n = dbg_stages_suggest(st, loc, near, 3);
	if (n == 0 && dbg_session_no_symbols(ctx->s))
		return dbg_err_set(err, -ENOENT,
				   "no stage or symbol '%s': %s; break *ADDR still works", loc,
				   dbg_session_no_symbols(ctx->s));
	if (n == 0)
		return dbg_err_set(err, -ENOENT, "no stage or symbol '%s'", loc);
	if (n == 1)
		return dbg_err_set(err, -ENOENT, "no stage or symbol '%s'; did you mean %s?", loc,
				   near[0]);
	if (n == 2)
		return dbg_err_set(err, -ENOENT, "no stage or symbol '%s'; did you mean %s or %s?",
				   loc, near[0], near[1]);
	return dbg_err_set(err, -ENOENT, "no stage or symbol '%s'; did you mean %s, %s or %s?", loc,
			   near[0], near[1], near[2]);
}

/* ---- commands ----------------------------------------------------------- */

/* "-force LOC": LOC, with *force set; else args as they are. */
static const char *force_option(const char *args, bool *force)
{
	static const char opt[] = "-force";
	size_t l = sizeof(opt) - 1;

	*force = strncmp(args, opt, l) == 0 && (args[l] == ' ' || args[l] == '\t');
	return *force ? cmd_skip_ws(args + l) : args;
}

/* An int3 inside an instruction turns it into another one (the program
 * then crashes or worse): refuse addresses that do not start an
 * instruction of their function unless forced. */
static int check_insn_start(struct dbg_cmd_ctx *ctx, const char *what, uint64_t addr,
			    struct dbg_err *err)
{
	uint64_t prev = 0, next = 0;
	char ps[128], ns[128];

	if (dbg_session_insn_boundary(ctx->s, addr, &prev, &next) == 0)
		return 0;
	dbg_session_symbolize(ctx->s, prev, ps, sizeof(ps));
	dbg_session_symbolize(ctx->s, next, ns, sizeof(ns));
	return dbg_err_set(err, -EINVAL,
			   "cannot set a %s at 0x%" PRIx64
			   ": not an instruction boundary; the nearest are 0x%" PRIx64
			   " <%s> and 0x%" PRIx64 " <%s>; %s -force *0x%" PRIx64 " sets it anyway",
			   what, addr, prev, ps, next, ns,
			   strcmp(what, "breakpoint") == 0 ? "break" : "until", addr);
}

/* Section flag of the ELF ABI: SHF_EXECINSTR. */
enum { SEC_EXEC_CODE = 0x4 };

/* A position-independent program that runs is loaded bias higher than
 * its link-time addresses (the ones readelf and objdump print). An
 * address below the bias that is code once moved by it is such a
 * link-time address: move it (and say so). */
static bool pie_link_time(struct dbg_cmd_ctx *ctx, uint64_t *addr)
{
	const struct dbg_elf *elf = dbg_session_elf(ctx->s);
	uint64_t bias = dbg_elf_bias(elf);
	if (!dbg_elf_is_pie(elf) || !bias || *addr >= bias || !dbg_session_running(ctx->s))
		return false;
	const struct dbg_section *sec = dbg_elf_section_at(elf, *addr + bias);
	if (!sec || !(sec->flags & SEC_EXEC_CODE))
		return false;
	*addr += bias;
	return true;
}

static int set_break(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, bool temporary,
		     struct dbg_err *err)
{
	bool force;
	const char *loc = force_option(cmd->args, &force);
	struct dbg_val *ev;
	uint64_t addr;
	int id, rc;

	rc = dbg_cmd_resolve_loc(ctx, loc, &addr, err);
	if (rc == -ENOENT && ctx->bp_pending) {
		/* gdb's set breakpoint pending on: kept for a later exec */
		id = dbg_session_break_pending(ctx->s, temporary, err);
		if (id < 0 || (rc = dbg_session_bp_set_spec(ctx->s, id, cmd->args, err)) < 0) {
			if (id > 0)
				dbg_session_delete(ctx->s, id, NULL);
			return id < 0 ? id : rc;
		}
		ev = cmd_ev_new(ctx, "break");
		dbg_obj_int(ev, "id", id);
		dbg_obj_null(ev, "addr");
		dbg_obj_null(ev, "symbol");
		dbg_obj_null(ev, "stage");
		dbg_obj_bool(ev, "temporary", temporary);
		dbg_obj_bool(ev, "pending", true);
		dbg_obj_str(ev, "spec", cmd->args);
		cmd_ev_emit(ctx, ev);
		return 0;
	}
	if (rc < 0)
		return rc;
	uint64_t link_addr = 0;
	if (pie_link_time(ctx, &addr))
		link_addr = addr - dbg_elf_bias(dbg_session_elf(ctx->s));
	if (!force) {
		rc = check_insn_start(ctx, "breakpoint", addr, err);
		if (rc < 0)
			return rc;
	}
	id = dbg_session_break(ctx->s, addr, temporary, err);
	if (id < 0)
		return id;
	rc = dbg_session_bp_set_spec(ctx->s, id, cmd->args, err);
	if (rc < 0) {
		dbg_session_delete(ctx->s, id, NULL);
		return rc;
	}
	ev = cmd_ev_new(ctx, "break");
	dbg_obj_int(ev, "id", id);
	dbg_obj_addr(ev, "addr", addr);
	dbg_obj_str(ev, "symbol", cmd_symbolize(ctx, addr));
	cmd_add_stage_at(ctx, ev, "stage", addr);
	dbg_obj_bool(ev, "temporary", temporary);
	if (link_addr)
		dbg_obj_addr(ev, "link_addr", link_addr);
	cmd_ev_emit(ctx, ev);
	return 0;
}

int cmd_break(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return set_break(ctx, cmd, false, err);
}

int cmd_tbreak(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return set_break(ctx, cmd, true, err);
}

/*
 * The session's image hook: the program changed (an execve, or a start
 * back in the first program after one). Resolve every breakpoint again
 * from its location as written, as gdb re-sets breakpoints; one that does
 * not resolve stays pending. For an exec, report it in an "exec" event.
 */
static void image_hook(struct dbg_session *s, bool exec, void *arg)
{
	struct dbg_cmd_ctx *ctx = arg;
	const struct dbg_bp *bps;
	struct dbg_val *ev = NULL, *arr = NULL;
	struct dbg_timeline *tl = dbg_session_timeline(s);
	size_t i, n;

	/* $g's type pointed into the old program's DWARF */
	memset(&ctx->g_ptr, 0, sizeof(ctx->g_ptr));
	if (exec) {
		struct dbg_tl_info in;

		/* what the old program wrote comes before the exec */
		dbg_cmd_drain_output(ctx);
		ev = cmd_ev_new(ctx, "exec");
		dbg_obj_int(ev, "pid", dbg_session_pid(s));
		dbg_obj_str(ev, "path", dbg_session_path(s));
		if (tl)
			dbg_tl_info(tl, &in);
		dbg_obj_bool(ev, "history_dropped", tl && in.enabled);
		arr = dbg_obj_array(ev, "breakpoints");
	}
	n = dbg_session_breakpoints(s, &bps);
	for (i = 0; i < n; i++) {
		int id = bps[i].id;
		struct dbg_err err;
		const char *loc;
		bool force = false;
		uint64_t addr = bps[i].addr;
		int rc = 0;

		if (bps[i].spec) {
			loc = force_option(bps[i].spec, &force);
			rc = dbg_cmd_resolve_loc(ctx, loc, &addr, &err);
		}
		if (rc == 0 && !addr)
			rc = dbg_err_set(&err, -ENOENT, "no address");
		if (rc == 0 && !force)
			rc = check_insn_start(ctx, "breakpoint", addr, &err);
		if (rc == 0)
			rc = dbg_session_rebind(s, id, addr, &err);
		dbg_arena_reset(&ctx->tmp);
		/* rebind may have moved the array: look again */
		n = dbg_session_breakpoints(s, &bps);
		if (arr) {
			struct dbg_val *o = dbg_arr_object(arr);

			dbg_obj_int(o, "id", id);
			if (bps[i].spec)
				dbg_obj_str(o, "spec", bps[i].spec);
			else
				dbg_obj_null(o, "spec");
			if (rc == 0) {
				dbg_obj_addr(o, "addr", addr);
				dbg_obj_str(o, "symbol", cmd_symbolize(ctx, addr));
			} else {
				dbg_obj_null(o, "addr");
				dbg_obj_null(o, "symbol");
			}
			dbg_obj_bool(o, "pending", rc < 0);
			if (rc < 0)
				dbg_obj_str(o, "error", err.msg);
		}
	}
	if (ev)
		cmd_ev_emit(ctx, ev);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int cmd_delete(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_val *ev = cmd_ev_new(ctx, "delete");
	struct dbg_val *ids = dbg_obj_array(ev, "ids");
	const char *p = cmd->args;
	int rc;

	if (!*p) {
		const struct dbg_bp *bps;
		const struct dbg_watch *ws;
		const struct dbg_catch *cs;
		size_t i, n = dbg_session_breakpoints(ctx->s, &bps);
		size_t nw = dbg_session_watchpoints(ctx->s, &ws);
		size_t nc = dbg_session_catchpoints(ctx->s, &cs);

		int *all = malloc((n + nw + nc + 1) * sizeof(*all));
		size_t k = 0;

		if (!all)
			abort();
		for (i = 0; i < n; i++)
			all[k++] = bps[i].id;
		for (i = 0; i < nw; i++)
			all[k++] = ws[i].id;
		for (i = 0; i < nc; i++)
			all[k++] = cs[i].id;
		/* they share one sequence: in number order */
		qsort(all, k, sizeof(*all), cmp_int);
		for (i = 0; i < k; i++)
			dbg_arr_push(ids, dbg_val_int(&ctx->arena, all[i]));
		free(all);
		dbg_session_delete_all(ctx->s);
		cmd_ev_emit(ctx, ev);
		return 0;
	}
	while (*(p = cmd_skip_ws(p))) {
		size_t l = strcspn(p, " \t");
		uint64_t id = 0;

		cmd_parse_u64(p, l, &id);
		rc = dbg_session_delete(ctx->s, (int)id, err);
		if (rc < 0) {
			dbg_arena_reset(&ctx->arena);
			return rc;
		}
		dbg_arr_push(ids, dbg_val_int(&ctx->arena, (int64_t)id));
		p += l;
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}

/* A breakpoint enabled at addr, or 0. */
int cmd_run(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_stop stop;
	int rc;

	(void)cmd;
	rc = start_process(ctx, &stop, err);
	if (rc < 0)
		return rc;
	/* A breakpoint on the first instruction is hit before anything
	 * runs, as in gdb: counted, and deleted when temporary. */
	if (!dbg_session_hit_here(ctx->s, &stop)) {
		rc = dbg_session_cont(ctx->s, &stop, err);
		if (rc < 0)
			return rc;
	}
	report_stop(ctx, &stop);
	return 0;
}

int cmd_starti(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_stop stop;
	int rc;

	(void)cmd;
	rc = start_process(ctx, &stop, err);
	if (rc < 0)
		return rc;
	report_stop(ctx, &stop);
	return 0;
}

static int cmp_addr(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Steps between two progress events of a long stage command. */
#define STAGE_CHUNK 10000

/*
 * stage next|NAME|N: single-step (never a free run, so every stage passed
 * gets an exact count) to the first stage later in the catalog than the
 * current one, or to the stage named; a stage already behind is reached
 * again from a restart (starti). A "progress" event every STAGE_CHUNK
 * steps; an interrupt, breakpoint, signal or exit ends it early.
 */
int cmd_stage(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_stages *st = cmd_stages_of(ctx);
	const char *arg = cmd->args;
	bool next = strcmp(arg, "next") == 0;
	struct dbg_stop stop;
	uint64_t *addrs = NULL, from, idx;
	size_t n = 0, i;
	int target = -1, rc;

	if (st->n == 0)
		return dbg_err_set(err, -ENOENT, "no boot stages in this program");
	if (!next) {
		if (cmd_parse_u64(arg, strlen(arg), &idx)) {
			if (idx >= st->n)
				return dbg_err_set(err, -EINVAL,
						   "no stage %" PRIu64 ": the stages are 0 to %zu",
						   idx, st->n - 1);
			target = (int)idx;
		} else if ((target = dbg_stages_find(st, arg)) < 0) {
			return dbg_err_set(err, -ENOENT,
					   "no boot stage '%s'; info stages lists them", arg);
		}
	}
	if (!next && (!dbg_session_running(ctx->s) ||
		      dbg_session_stage_reached(ctx->s, (size_t)target, NULL))) {
		/* starting rebuilds the list (a dynamic program's loader stage
		 * comes first, a PIE's addresses move): find the stage meant,
		 * by its name, in the new one */
		char name[128];
		snprintf(name, sizeof(name), "%s", st->v[target].name);
		rc = start_process(ctx, &stop, err);
		if (rc < 0)
			return rc;
		report_stop(ctx, &stop);
		if ((target = dbg_stages_find(st, name)) < 0)
			return dbg_err_set(err, -ENOENT, "no boot stage '%s' once %s runs", name,
					   dbg_session_path(ctx->s));
		if (dbg_session_current_stage(ctx->s) == target)
			return 0;
	}
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	if (next) {
		int cur = dbg_session_current_stage(ctx->s);
		if ((size_t)(cur + 1) >= st->n)
			return dbg_err_set(err, -ENOENT, "no stage after %s", st->v[cur].name);
		addrs = malloc((st->n - (size_t)(cur + 1)) * sizeof(*addrs));
		if (!addrs)
			return dbg_err_errno(err, -ENOMEM, "cannot run to the next stage");
		for (i = (size_t)(cur + 1); i < st->n; i++)
			addrs[n++] = st->v[i].addr;
		qsort(addrs, n, sizeof(*addrs), cmp_addr);
	} else {
		addrs = malloc(sizeof(*addrs));
		if (!addrs)
			return dbg_err_errno(err, -ENOMEM, "cannot run to %s", st->v[target].name);
		addrs[n++] = st->v[target].addr;
	}
	from = dbg_session_steps(ctx->s);
	for (;;) {
		rc = dbg_session_stepi_until(ctx->s, addrs, n, STAGE_CHUNK, &stop, err);
		if (rc < 0 || stop.reason != DBG_STOP_STEP)
			break;
		struct dbg_val *ev = cmd_ev_new(ctx, "progress");
		dbg_obj_str(ev, "command", "stage");
		dbg_obj_str(ev, "to", next ? "next" : st->v[target].name);
		dbg_obj_uint(ev, "steps", dbg_session_steps(ctx->s) - from);
		cmd_ev_emit(ctx, ev);
	}
	free(addrs);
	if (rc < 0)
		return rc;
	report_stop(ctx, &stop);
	return 0;
}

int cmd_resumed(struct dbg_cmd_ctx *ctx, int rc, const struct dbg_stop *stop)
{
	if (rc < 0)
		return rc;
	report_stop(ctx, stop);
	return 0;
}

/* continue N: stop at the Nth breakpoint hit. */
int cmd_continue(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_stop stop;
	uint64_t i;
	int rc;

	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < cmd->count; i++) {
		rc = dbg_session_cont(ctx->s, &stop, err);
		if (rc < 0 || stop.reason != DBG_STOP_BREAKPOINT)
			break;
	}
	return cmd_resumed(ctx, rc, &stop);
}

/* stepi N and nexti N: a process, then the session's stepping. */
static int step_n(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd,
		  int (*step)(struct dbg_session *, uint64_t, struct dbg_stop *, struct dbg_err *),
		  struct dbg_err *err)
{
	struct dbg_stop stop;
	int rc = cmd_need_process(ctx, err);

	if (rc < 0)
		return rc;
	rc = step(ctx->s, cmd->count, &stop, err);
	return cmd_resumed(ctx, rc, &stop);
}

int cmd_stepi(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return step_n(ctx, cmd, dbg_session_stepi, err);
}

int cmd_nexti(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return step_n(ctx, cmd, dbg_session_nexti, err);
}

int cmd_finish(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_stop stop;
	int rc = cmd_need_process(ctx, err);

	(void)cmd;
	if (rc < 0)
		return rc;
	rc = dbg_session_finish(ctx->s, &stop, err);
	return cmd_resumed(ctx, rc, &stop);
}

/* until LOC and advance LOC. */
int cmd_until(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_stop stop;
	bool force;
	const char *loc = force_option(cmd->args, &force);
	uint64_t addr;
	int rc;

	/* the process first: a PIE's addresses are known once it runs */
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	rc = dbg_cmd_resolve_loc(ctx, loc, &addr, err);
	if (rc < 0)
		return rc;
	pie_link_time(ctx, &addr);
	if (!force) {
		rc = check_insn_start(ctx, "temporary breakpoint", addr, err);
		if (rc < 0)
			return rc;
	}
	rc = dbg_session_until(ctx->s, addr, &stop, err);
	return cmd_resumed(ctx, rc, &stop);
}

int cmd_kill(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_val *ev;

	(void)cmd;
	if (!dbg_session_running(ctx->s))
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	ev = cmd_ev_new(ctx, "killed");
	dbg_obj_int(ev, "pid", dbg_session_pid(ctx->s));
	dbg_session_kill(ctx->s);
	cmd_ev_emit(ctx, ev);
	return 0;
}

/* thread [TID]: select a thread (TID may be an expression), then describe
 * the current one. */
int cmd_thread(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_thread_info th[64];
	struct dbg_expr_value v;
	struct dbg_val *ev;
	bool have_rt;
	size_t i, n;
	int rc;

	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	if (cmd->args[0]) {
		rc = cmd_eval(ctx, cmd->args, &v, err);
		if (rc < 0)
			return rc;
		if (v.v == 0 || v.v > INT32_MAX)
			return dbg_err_set(err, -ESRCH, "no thread %" PRId64, (int64_t)v.v);
		rc = dbg_session_select_thread(ctx->s, (pid_t)v.v, err);
		if (rc < 0)
			return rc;
		ctx->frame_sel = 0;
	}
	n = dbg_session_threads(ctx->s, th, 64);
	for (i = 0; i < n && i < 64 && !th[i].current; i++)
		;
	if (i == n || i == 64)
		return dbg_err_set(err, -ESRCH, "no current thread");
	ev = cmd_ev_new(ctx, "thread");
	dbg_obj_int(ev, "tid", th[i].tid);
	dbg_obj_addr(ev, "rip", th[i].rip);
	dbg_obj_str(ev, "symbol", cmd_symbolize(ctx, th[i].rip));
	dbg_obj_addr(ev, "fs_base", th[i].fs_base);
	have_rt = dbg_rt_read(ctx->s, &ctx->rt, NULL) == 0;
	cmd_add_thread_g(ctx, ev, &th[i], have_rt);
	dbg_obj_str(ev, "layout", have_rt ? ctx->rt.layout : NULL);
	cmd_ev_emit(ctx, ev);
	return 0;
}

/* set scheduler-locking MODE: no event, as gdb prints nothing. */
int cmd_set(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	static const char what[] = "scheduler-locking";
	static const char bp[] = "breakpoint";
	static const char rc[] = "record-continue";
	static const char hw[] = "can-use-hw-watchpoints";
	static const char sp[] = "substitute-path";
	const char *p = cmd->args, *v;
	size_t l = strcspn(p, " \t");
	enum dbg_sched_lock mode;

	if (l == sizeof(hw) - 1 && strncmp(p, hw, l) == 0) {
		/* gdb's: 0 makes new write watchpoints software ones */
		v = cmd_skip_ws(p + l);
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			return dbg_err_set(err, -EINVAL,
					   "can-use-hw-watchpoints is 0 or 1, not '%s'", v);
		dbg_session_set_hw_watch(ctx->s, strcmp(v, "1") == 0);
		return 0;
	}
	if (l == sizeof(sp) - 1 && strncmp(p, sp, l) == 0)
		return cmd_set_subst(ctx, p + l, err);
	if (l == sizeof(bp) - 1 && strncmp(p, bp, l) == 0) {
		v = cmd_skip_ws(p + l);
		if (strncmp(v, "pending", 7) != 0 || (v[7] != ' ' && v[7] != '\t'))
			return dbg_err_set(err, -EINVAL,
					   "unknown setting 'breakpoint %s'; try set breakpoint pending on|off",
					   v);
		v = cmd_skip_ws(v + 7);
		if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
			return dbg_err_set(err, -EINVAL,
					   "breakpoint pending is on or off, not '%s'", v);
		ctx->bp_pending = strcmp(v, "on") == 0;
		return 0;
	}
	if (l == sizeof(rc) - 1 && strncmp(p, rc, l) == 0) {
		/* on: continue and friends single-step, every instruction
		 * recorded; off: they run freely, one jump in the record */
		struct dbg_timeline *tl = cmd_timeline(ctx, err);
		v = cmd_skip_ws(p + l);
		if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
			return dbg_err_set(err, -EINVAL, "record-continue is on or off, not '%s'",
					   v);
		if (!tl)
			return -ENODATA;
		dbg_tl_set_full(tl, strcmp(v, "on") == 0);
		return 0;
	}
	if (l != sizeof(what) - 1 || strncmp(p, what, l) != 0)
		return dbg_err_set(err, -EINVAL,
				   "unknown setting '%.*s'; try set scheduler-locking step|on|off, set breakpoint pending on|off, set record-continue on|off, set can-use-hw-watchpoints 0|1 or set substitute-path FROM TO",
				   (int)l, p);
	v = cmd_skip_ws(p + l);
	if (strcmp(v, "step") == 0)
		mode = DBG_SCHED_LOCK_STEP;
	else if (strcmp(v, "on") == 0)
		mode = DBG_SCHED_LOCK_ON;
	else if (strcmp(v, "off") == 0)
		mode = DBG_SCHED_LOCK_OFF;
	else
		return dbg_err_set(err, -EINVAL, "scheduler-locking is step, on or off, not '%s'",
				   v);
	dbg_session_set_sched_lock(ctx->s, mode);
	return 0;
}

int cmd_quit(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	(void)cmd;
	(void)err;
	ctx->quit = true;
	return 0;
}

int dbg_cmd_exec(struct dbg_cmd_ctx *ctx, const char *line, const char *file, int line_no)
{
	struct dbg_cmd *cmd = malloc(sizeof(*cmd));
	struct dbg_err err;
	int rc;

	if (!cmd)
		abort();
	dbg_err_clear(&err);
	ctx->file = file;
	ctx->line = line_no;
	rc = dbg_cmd_parse(line, cmd, &err);
	if (rc == 0 && cmd->def)
		rc = cmd->def->run(ctx, cmd, &err);
	free(cmd);
	dbg_arena_reset(&ctx->tmp);
	dbg_cmd_drain_output(ctx);
	if (rc < 0)
		dbg_cmd_error(ctx, rc, file, line_no, err.msg[0] ? err.msg : "command failed");
	ctx->file = NULL;
	ctx->line = 0;
	return rc;
}
