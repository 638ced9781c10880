/*
 * disasm — x86-64 disassembly through capstone (AT&T syntax, like gdb).
 *
 * One capstone handle and one cs_insn are allocated at open; decoding walks
 * with cs_disasm_iter, so decoding allocates nothing. Detail is on: each
 * instruction carries its operands in our own form (below), which the
 * stage finder uses to recognise stores into g0 or through %fs.
 *
 * This module decodes bytes it is given. Reading them from the live process
 * (with breakpoints hidden) or from the ELF file is session.h's job:
 * dbg_session_disasm() and dbg_session_disasm_around().
 */
#ifndef DBG_DISASM_H
#define DBG_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct dbg_disasm; /* opaque */

/* Full 64-bit registers (sub-registers map to their full register). */
enum dbg_reg {
	DBG_REG_NONE = 0,
	DBG_REG_RAX,
	DBG_REG_RBX,
	DBG_REG_RCX,
	DBG_REG_RDX,
	DBG_REG_RSI,
	DBG_REG_RDI,
	DBG_REG_RBP,
	DBG_REG_RSP,
	DBG_REG_R8,
	DBG_REG_R9,
	DBG_REG_R10,
	DBG_REG_R11,
	DBG_REG_R12,
	DBG_REG_R13,
	DBG_REG_R14,
	DBG_REG_R15,
	DBG_REG_RIP,
	DBG_REG_FS,
	DBG_REG_GS,    /* as segment overrides */
	DBG_REG_OTHER, /* vector, x87, control … */
};

enum dbg_op_type { DBG_OP_NONE, DBG_OP_REG, DBG_OP_IMM, DBG_OP_MEM };

struct dbg_operand {
	enum dbg_op_type type;
	uint8_t size;     /* operand size in bytes */
	bool read, write; /* access, as capstone reports it */
	enum dbg_reg reg; /* REG */
	int64_t imm;      /* IMM */
	struct {
		enum dbg_reg seg;  /* DBG_REG_FS/GS or NONE */
		enum dbg_reg base; /* NONE for absolute */
		enum dbg_reg index;
		int scale;
		int64_t disp;
		/* the static address when computable (rip-relative: next
		 * insn + disp; absolute with no base/index/segment: disp),
		 * else 0 */
		uint64_t addr;
	} mem; /* MEM */
};

struct dbg_insn {
	uint64_t addr;
	uint8_t size;
	uint8_t bytes[16];
	char mnemonic[32];             /* "movq" */
	char ops[160];                 /* "$0x123, %fs:0xfffffffffffffff8" */
	bool is_call, is_ret, is_jump; /* jump: conditional or not */
	bool is_syscall;               /* syscall instruction */
	uint64_t target;               /* direct call/jump target, or 0 */
	uint8_t nops;                  /* operands in op[] (AT&T order: source first) */
	struct dbg_operand op[4];
};

/* Open capstone (x86-64, AT&T, detail on). 0 or -ENOMEM/-EINVAL. */
int dbg_disasm_open(struct dbg_disasm **out, struct dbg_err *err);
void dbg_disasm_free(struct dbg_disasm *d);

/*
 * Decode up to max instructions from code[0..n) at address addr into out.
 * Stops early at bytes that do not decode. Returns the number decoded.
 * Decodes are kept by address (1,024 of them) and reused when the bytes are
 * the same, so decoding a pc again costs a compare of its bytes.
 */
size_t dbg_disasm_buf(struct dbg_disasm *d, const uint8_t *code, size_t n, uint64_t addr,
		      struct dbg_insn *out, size_t max);

/* Decode one instruction: 0, or -EILSEQ "cannot decode instruction at 0x…". */
int dbg_disasm_one(struct dbg_disasm *d, const uint8_t *code, size_t n, uint64_t addr,
		   struct dbg_insn *out, struct dbg_err *err);

/* The destination operand (AT&T: the last one), or NULL. */
const struct dbg_operand *dbg_insn_dst(const struct dbg_insn *in);

/* "mov %rax, 0x...(%rip)"-style one-line text: "mnemonic ops". */
void dbg_insn_text(const struct dbg_insn *in, char *buf, size_t n);

#endif
