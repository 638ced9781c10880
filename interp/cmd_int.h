/*
 * cmd_int — what the interpreter's files share (parse.c reads a command
 * line and holds the command tables, cmd.c runs the commands, info.c
 * builds the `info` views, values.c shows memory and values, printval.c
 * gives them their types' shape (print's tree, ptype), record.c
 * moves on the timeline); not an API.
 */
#ifndef DBG_CMD_INT_H
#define DBG_CMD_INT_H

#include "cmd.h"
#include "syslog.h"

/*
 * A command, or an `info` view, as its table has it (parse.c). run does
 * the work: 0, or a negative errno with err set. The `info` command's
 * entry holds the table of its views in subs (nsubs entries); its run
 * runs the view the line named (cmd->sub).
 */
typedef int dbg_cmd_run_fn(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err);

struct dbg_cmd_def {
	const char *name;
	const char *aliases; /* exact short forms, space separated */
	int id;              /* enum dbg_cmd_id, or enum dbg_info_id in subs */
	unsigned flags;      /* how the arguments read (parse.c) */
	const char *usage;
	const char *summary; /* with subs: followed by their names in help */
	const char *full;    /* info views: "info registers" */
	dbg_cmd_run_fn *run;
	const struct dbg_cmd_def *subs;
	size_t nsubs;
};

/* complete.c: sort c's candidates and drop the repeated ones. */
void cmd_completion_finish(struct dbg_completion *c);

/* cmd.c: events, the process, registers, stages, expressions. */
struct dbg_val *cmd_ev_new(struct dbg_cmd_ctx *ctx, const char *name);
void cmd_ev_emit(struct dbg_cmd_ctx *ctx, struct dbg_val *ev);
const char *cmd_skip_ws(const char *s);
/* file and line of a script command into ev (nothing when file is NULL). */
void cmd_add_loc(struct dbg_val *ev, const char *file, int line);
const struct dbg_stages *cmd_stages_of(struct dbg_cmd_ctx *ctx);
const char *cmd_symbolize(struct dbg_cmd_ctx *ctx, uint64_t addr);
int cmd_need_process(struct dbg_cmd_ctx *ctx, struct dbg_err *err);
void cmd_add_regs(struct dbg_val *obj, const char *key, const struct dbg_regs *r);
void cmd_add_cur_g(struct dbg_cmd_ctx *ctx, struct dbg_val *ev);
void cmd_add_stage_at(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, const char *key, uint64_t addr);
int cmd_eval(struct dbg_cmd_ctx *ctx, const char *text, struct dbg_expr_value *v,
	     struct dbg_err *err);

/* printval.c: typed values and types as gdb shows them. */
/* t's name as gdb spells it: "runtime.g *", "struct g", "uintptr_t [6]",
 * "void *"; NULL is "void". */
void cmd_type_name(const struct dbg_type *t, char *buf, size_t n);
/* A C declaration of name with type t: "struct g *g0", "uintptr tls[6]". */
void cmd_type_decl(const struct dbg_type *t, const char *name, char *buf, size_t n);
/* The name of a status field's value (g.atomicstatus "_Grunning", p.status
 * "_Pidle", g.waitreason "chan receive"), or NULL. */
const char *cmd_field_value_name(struct dbg_cmd_ctx *ctx, const struct dbg_type *parent,
				 const char *field, uint64_t v);
/* The tree of v (docs/json.md, print's `tree`) into the object o: 0, or
 * a negative errno when its memory cannot be read. */
dbg_cmd_run_fn cmd_ptype, cmd_whatis;
int cmd_value_tree(struct dbg_cmd_ctx *ctx, struct dbg_val *o, const struct dbg_expr_value *v,
		   struct dbg_err *err);
/* The tree of an object of type t whose bytes are b (t->size of them), a
 * member field of parent when those are given (status names). */
void cmd_value_tree_bytes(struct dbg_cmd_ctx *ctx, struct dbg_val *o, const struct dbg_type *t,
			  const struct dbg_type *parent, const char *field, const uint8_t *b);

/* How a command that resumed the program ended: rc, after reporting the
 * stop ("stop", "exited" or "signaled") when it is 0. */
int cmd_resumed(struct dbg_cmd_ctx *ctx, int rc, const struct dbg_stop *stop);

/* cmd.c: the commands that run the program, breakpoints, threads and
 * settings. */
dbg_cmd_run_fn cmd_break, cmd_tbreak, cmd_delete, cmd_run, cmd_starti, cmd_kill, cmd_continue,
	cmd_stepi, cmd_nexti, cmd_finish, cmd_until, cmd_stage, cmd_thread, cmd_set, cmd_quit;

/* record.c: the timeline's commands; the session's timeline, or NULL with
 * err set when it has none. */
dbg_cmd_run_fn cmd_reverse_stepi, cmd_reverse_nexti, cmd_reverse_continue, cmd_goto, cmd_record,
	cmd_info_record;
struct dbg_timeline *cmd_timeline(struct dbg_cmd_ctx *ctx, struct dbg_err *err);

/* info.c: info runs the view named, each view emits one event
 * (docs/json.md). */
dbg_cmd_run_fn cmd_info, cmd_info_breakpoints, cmd_info_registers, cmd_info_tls, cmd_info_g,
	cmd_info_gmp, cmd_info_stack, cmd_info_auxv, cmd_info_stages, cmd_info_sections,
	cmd_info_target, cmd_info_threads;
/* The g of a thread (its fs:-8) and what it is, into o (info threads, thread). */
void cmd_add_thread_g(struct dbg_cmd_ctx *ctx, struct dbg_val *o, const struct dbg_thread_info *th,
		      bool have_rt);

/* source.c: the commands of source lines; FILE:LINE locations (true with
 * the file part and the line); the source fields of a stop at pc. */
dbg_cmd_run_fn cmd_list, cmd_info_line, cmd_step, cmd_next, cmd_unset, cmd_show;
int cmd_set_subst(struct dbg_cmd_ctx *ctx, const char *args, struct dbg_err *err);
bool cmd_file_line(const char *loc, char *file, size_t n, unsigned *line);
int cmd_resolve_file_line(struct dbg_cmd_ctx *ctx, const char *file, unsigned line, uint64_t *addr,
			  struct dbg_err *err);
void cmd_add_source(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, uint64_t pc);
/* where.c: info proc mappings, info symbol, xinfo. */
dbg_cmd_run_fn cmd_info_proc, cmd_info_symbol, cmd_xinfo;

/* parse.c: help, from the command tables; a decimal or 0x-hex number
 * filling all n characters of s. */
bool cmd_parse_u64(const char *s, size_t n, uint64_t *out);
dbg_cmd_run_fn cmd_help;

/* frames.c: the call stack. cmd_frame_var gives $pc, $rip, $sp, $rsp,
 * $rbp of the selected frame when it is not frame 0: 0, 1 when the name is
 * not one of those or frame 0 is selected (the registers then), or a
 * negative errno. */
dbg_cmd_run_fn cmd_backtrace, cmd_frame, cmd_up, cmd_down, cmd_info_frame, cmd_goroutine;
int cmd_frame_var(struct dbg_cmd_ctx *ctx, const char *name, uint64_t *val, struct dbg_err *err);
/* watch.c: watch, rwatch, awatch; a watchpoint stop's keys into the
 * "stop" event; one watchpoint's entry of info breakpoints into arr. */
dbg_cmd_run_fn cmd_watch, cmd_rwatch, cmd_awatch;
void cmd_add_watch_stop(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, const struct dbg_stop *stop);
void cmd_add_watch_entry(struct dbg_cmd_ctx *ctx, struct dbg_val *arr, const struct dbg_watch *w);

/* catch.c: catch syscall, tcatch syscall, enable, disable, info
 * syscalls; a catchpoint's entry of info breakpoints into arr; the
 * "syscall" object of log entry e (its index in the log) into o; what a
 * syscall stop (or a step that ran a `syscall`) adds to the stop event. */
dbg_cmd_run_fn cmd_catch, cmd_tcatch, cmd_enable, cmd_disable, cmd_info_syscalls;
void cmd_add_catch_entry(struct dbg_cmd_ctx *ctx, struct dbg_val *arr, const struct dbg_catch *c);
void cmd_add_sys_event(struct dbg_cmd_ctx *ctx, struct dbg_val *o, long index,
		       const struct dbg_sys_event *e);
void cmd_add_sys_stop(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, const struct dbg_stop *stop);
/* dataflow.c: info writes, info reads. */
dbg_cmd_run_fn cmd_info_writes, cmd_info_reads;
/* The type print shows len bytes with when no type describes them: an
 * unsigned integer of 1, 2, 4 or 8 bytes, else an array of bytes built in
 * *arr; cmd_raw_type_is: t is one of those integers. */
const struct dbg_type *cmd_raw_type(uint64_t len, struct dbg_type *arr);
bool cmd_raw_type_is(const struct dbg_type *t);
/* changes.c: info changes. */
dbg_cmd_run_fn cmd_info_changes;

/* disas.c: disassemble. */
dbg_cmd_run_fn cmd_disassemble;

/* display.c: display, undisplay, info display; every display shown (after
 * a stop); the list freed. */
dbg_cmd_run_fn cmd_display, cmd_undisplay, cmd_info_display;
void cmd_show_displays(struct dbg_cmd_ctx *ctx);
void cmd_displays_release(struct dbg_cmd_ctx *ctx);

/* values.c: x, print, expect, echo. */
dbg_cmd_run_fn cmd_x, cmd_print, cmd_expect, cmd_echo;

#endif
