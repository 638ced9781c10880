/*
 * cmd_int — what the interpreter's files share (parse.c reads a command
 * line, cmd.c runs the commands, info.c builds the `info` views, values.c
 * shows memory and values); not an API.
 */
#ifndef DBG_CMD_INT_H
#define DBG_CMD_INT_H

#include "cmd.h"

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
void cmd_add_stage_at(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, const char *key,
		      uint64_t addr);
int cmd_eval(struct dbg_cmd_ctx *ctx, const char *text, struct dbg_expr_value *v,
	     struct dbg_err *err);

/* info.c: the views, one event each (docs/json.md). */
int cmd_info_registers(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd,
		       struct dbg_err *err);
int cmd_info_tls(struct dbg_cmd_ctx *ctx, struct dbg_err *err);
int cmd_info_g(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err);
int cmd_info_gmp(struct dbg_cmd_ctx *ctx, struct dbg_err *err);
int cmd_info_stack(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err);
int cmd_info_auxv(struct dbg_cmd_ctx *ctx, struct dbg_err *err);
int cmd_emit_stages(struct dbg_cmd_ctx *ctx, struct dbg_err *err);
int cmd_info_sections(struct dbg_cmd_ctx *ctx);
int cmd_info_threads(struct dbg_cmd_ctx *ctx, struct dbg_err *err);
int cmd_info_breakpoints(struct dbg_cmd_ctx *ctx);
/* The g of a thread (its fs:-8) and what it is, into o (info threads, thread). */
void cmd_add_thread_g(struct dbg_cmd_ctx *ctx, struct dbg_val *o, const struct dbg_thread_info *th, bool have_rt);

/* parse.c: help, from the command tables; a decimal or 0x-hex number
 * filling all n characters of s. */
bool cmd_parse_u64(const char *s, size_t n, uint64_t *out);
int cmd_help(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err);

/* values.c: x, print, expect, echo. */
int cmd_x(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err);
int cmd_print(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err);
int cmd_expect(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err);
int cmd_echo(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd);

#endif
