/*
 * disas — disassemble (gdb's): the function holding pc, a location's
 * function, or a range START,END / START,+LEN, each instruction with its
 * address, its offset in the function, and with /r its bytes; the
 * instruction at pc is marked (docs/json.md, "disassemble").
 */
#include "cmd_int.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Instructions decoded per read. */
#define CHUNK 32

/* The largest range dumped at once. */
#define MAX_RANGE (1u << 20)

/* An address: a symbol's (as break takes it), else an expression's value. */
static int loc_addr(struct dbg_cmd_ctx *ctx, const char *text, uint64_t *addr, struct dbg_err *err)
{
	struct dbg_expr_value v;
	int rc;

	if (dbg_elf_lookup(dbg_session_elf(ctx->s), text, addr) == 0)
		return 0;
	rc = cmd_eval(ctx, text, &v, err);
	if (rc < 0)
		return rc;
	*addr = v.symbol ? v.v : v.has_addr && v.aggregate ? v.addr : v.v;
	return 0;
}

/* "/r", "/s", "/rs" … before the location: raw into *raw. */
static const char *modifiers(const char *p, bool *raw, struct dbg_err *err, int *rc)
{
	*rc = 0;
	while (*p == '/') {
		p++;
		while (*p && *p != ' ' && *p != '\t' && *p != '/') {
			if (*p == 'r') {
				*raw = true;
			} else if (*p == 's' || *p == 'm') {
				*rc = dbg_err_set(err, -EINVAL,
						  "disassemble /%c: no line information in this build "
						  "of bootscope",
						  *p);
				return p;
			} else {
				*rc = dbg_err_set(err, -EINVAL,
						  "invalid disassemble modifier '/%c'; try /r", *p);
				return p;
			}
			p++;
		}
		p = cmd_skip_ws(p);
	}
	return p;
}

int cmd_disassemble(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	bool raw = false, have_pc = false;
	const char *p;
	const struct dbg_sym *fn = NULL;
	uint64_t start, end, pc = 0;
	int rc;

	p = modifiers(cmd->args, &raw, err, &rc);
	if (rc < 0)
		return rc;
	if (dbg_session_running(ctx->s) || !*p) {
		const struct dbg_regs *r;

		rc = cmd_need_process(ctx, err);
		if (rc < 0)
			return rc;
		r = dbg_session_regs(ctx->s);
		if (r) {
			pc = r->rip;
			have_pc = true;
		}
	}
	if (!*p) {
		if (!have_pc)
			return dbg_err_set(err, -ESRCH, "the program is not being run");
		start = pc;
	} else {
		const char *comma = strchr(p, ',');
		char first[DBG_CMD_MAX];

		snprintf(first, sizeof(first), "%.*s", (int)(comma ? comma - p : (long)strlen(p)),
			 p);
		for (size_t l = strlen(first); l && isspace((unsigned char)first[l - 1]); l--)
			first[l - 1] = '\0';
		rc = loc_addr(ctx, first, &start, err);
		if (rc < 0)
			return rc;
		if (comma) {
			const char *second = cmd_skip_ws(comma + 1);
			bool plus = *second == '+';
			uint64_t v;

			if (plus)
				second = cmd_skip_ws(second + 1);
			if (!*second)
				return dbg_err_set(err, -EINVAL,
						   "disassemble %s: the range needs an end", p);
			rc = loc_addr(ctx, second, &v, err);
			if (rc < 0)
				return rc;
			end = plus ? start + v : v;
			if (end <= start)
				return dbg_err_set(err, -EINVAL,
						   "disassemble %s: the end 0x%" PRIx64
						   " is not after the start 0x%" PRIx64,
						   p, end, start);
			goto dump;
		}
	}
	fn = dbg_elf_sym_at(dbg_session_elf(ctx->s), start);
	if (!fn || fn->kind != DBG_SYM_FUNC || !fn->size)
		return dbg_err_set(err, -ENOENT,
				   "no function contains 0x%" PRIx64
				   "; give a range: disassemble START,END or START,+LEN",
				   start);
	start = fn->addr;
	end = fn->addr + fn->size;
dump:
	if (end - start > MAX_RANGE)
		return dbg_err_set(err, -E2BIG,
				   "disassemble: 0x%" PRIx64 "..0x%" PRIx64
				   " is more than %u bytes; give a smaller range",
				   start, end, MAX_RANGE);

	struct dbg_val *ev = cmd_ev_new(ctx, "disassemble");
	struct dbg_val *arr;
	struct dbg_insn in[CHUNK];
	uint64_t at = start;

	if (fn)
		dbg_obj_str(ev, "function", fn->name);
	else
		dbg_obj_null(ev, "function");
	dbg_obj_addr(ev, "start", start);
	dbg_obj_addr(ev, "end", end);
	dbg_obj_bool(ev, "raw", raw);
	if (have_pc)
		dbg_obj_addr(ev, "pc", pc);
	else
		dbg_obj_null(ev, "pc");
	arr = dbg_obj_array(ev, "insns");
	while (at < end) {
		size_t want = CHUNK;
		int k = dbg_session_disasm(ctx->s, at, want, in, err);

		if (k < 0) {
			dbg_arena_reset(&ctx->arena);
			return k;
		}
		for (int i = 0; i < k && at < end; i++) {
			struct dbg_val *o = dbg_arr_object(arr);
			char text[256];

			dbg_obj_addr(o, "addr", in[i].addr);
			if (fn)
				dbg_obj_uint(o, "offset", in[i].addr - fn->addr);
			dbg_obj_str(o, "symbol", cmd_symbolize(ctx, in[i].addr));
			dbg_obj_uint(o, "size", in[i].size);
			if (raw) {
				char hex[16 * 3 + 1];
				size_t l = 0;

				for (unsigned b = 0; b < in[i].size; b++)
					l += (size_t)snprintf(hex + l, sizeof(hex) - l, "%s%02x",
							      b ? " " : "", in[i].bytes[b]);
				dbg_obj_str(o, "bytes", hex);
			}
			dbg_insn_text(&in[i], text, sizeof(text));
			dbg_obj_str(o, "text", text);
			dbg_obj_bool(o, "current", have_pc && in[i].addr == pc);
			at = in[i].addr + in[i].size;
		}
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}
