/*
 * writeset — the memory one x86-64 instruction may write, found before it
 * runs, from its decoded form and the registers: its written memory
 * operands, the bytes push, call and enter put below rsp, string stores
 * through rdi, and for `syscall` the user buffers the kernel fills (a
 * table of the calls that write user memory: read, the stat family,
 * clock_gettime, sched_getaffinity, rt_sigaction's old action, pipe,
 * getrandom …; arch_prctl's ARCH_GET_FS/GS; a fixed mmap or madvise that
 * drops pages; clone's tid words). Pure: no process and no state. The
 * timeline (timeline.h) reads these ranges before a step and after it.
 *
 * capstone 4's access flags miss many stores (cmpxchg, stos, SSE and AVX
 * stores), so a memory operand in the destination place counts as written
 * unless the instruction only reads it (cmp, test, bt, push, mul …): the
 * set may hold bytes the step leaves unchanged, never miss a plain store.
 */
#ifndef DBG_WRITESET_H
#define DBG_WRITESET_H

#include <stdbool.h>
#include <stdint.h>

#include "disasm.h"
#include "ptrace.h"

/* The largest buffer taken from one system call (more is cut off). */
#define DBG_WS_MAX_RANGE ((uint64_t)1 << 20)

enum {
	DBG_WS_SYSCALL = 1, /* the instruction is `syscall` */
	DBG_WS_UNKNOWN = 2, /* a written operand's address cannot be computed */
};

/* System call numbers and flags the recorder needs after the call. */
enum { DBG_WS_SYS_MMAP = 9, DBG_WS_MAP_ANON = 0x20 };

/* A written memory operand: registers as enum dbg_reg (disasm.h). */
struct dbg_ws_mem {
	uint8_t seg, base, index, scale;
	uint32_t size;
	int64_t disp;
};

struct dbg_ws_insn {
	uint64_t pc;
	uint8_t size;
	uint8_t flags; /* DBG_WS_* */
	uint8_t push;  /* bytes written below rsp (push, call, enter) */
	uint8_t nmem;
	struct dbg_ws_mem mem[4];
	uint8_t bytes[16];
};

/* What in may write, in registers-independent form. */
void dbg_ws_decode(const struct dbg_insn *in, struct dbg_ws_insn *d);

/*
 * The same from the raw bytes code[0..n) at pc, without a disassembler, for
 * the common instructions (moves, arithmetic, compares, branches, calls,
 * push and pop, SSE loads and arithmetic, nops, syscall): true with d
 * filled exactly as dbg_ws_decode fills it from capstone's decoding of the
 * same bytes; false for anything else (string stores, lock, xchg and
 * cmpxchg with memory, VEX, SSE stores, unusual prefixes …), which the
 * caller decodes with capstone.
 */
bool dbg_ws_fast(const uint8_t *code, size_t n, uint64_t pc, struct dbg_ws_insn *d);

/* Receives one range: addr, len bytes; syscall: a system call's buffer
 * (the kernel may fill less of it). */
typedef void dbg_ws_fn(void *arg, uint64_t addr, uint64_t len, bool syscall);

/* The ranges d writes with registers r (r->rip = d->pc): fn for each. */
void dbg_ws_ranges(const struct dbg_ws_insn *d, const struct dbg_regs *r, dbg_ws_fn *fn, void *arg);

/* The user buffers the system call in r (rax and the argument registers,
 * before the call) may fill: fn for each. */
void dbg_ws_syscall(const struct dbg_regs *r, dbg_ws_fn *fn, void *arg);

#endif
