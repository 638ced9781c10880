/*
 * regs — the x86-64 user registers of a thread under their usual names, the
 * names of their parts (eax, al, r8d …), and the names of signals and
 * system calls. No process access: ptrace.h fills and writes struct
 * dbg_regs.
 */
#ifndef DBG_REGS_H
#define DBG_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The x86-64 user registers of one thread, under their usual names. */
struct dbg_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
	uint64_t eflags;
	uint64_t cs, ss, ds, es, fs, gs;
	uint64_t fs_base, gs_base; /* segment bases: fs_base is the TLS pointer */
	uint64_t orig_rax;         /* syscall number at a syscall stop, else -1 */
};

/* One entry of dbg_regs_table: a 64-bit register and where it lives. */
struct dbg_reg_desc {
	const char *name; /* "rax" … "gs_base", "orig_rax" */
	size_t offset;    /* offsetof(struct dbg_regs, <name>) */
};

/* Every field of struct dbg_regs in display order (rax … r15, rip, eflags,
 * cs … gs, fs_base, gs_base, orig_rax). */
extern const struct dbg_reg_desc dbg_regs_table[];
extern const size_t dbg_regs_count;

/*
 * Read a register by name: the 64-bit names of dbg_regs_table, their 32/16/8
 * bit parts (eax, ax, al, ah, r8d, r8w, r8b, …, eip, flags) and the aliases
 * pc (rip) and sp (rsp). No leading '$'. Returns 0, or -ENOENT for an
 * unknown name.
 */
int dbg_regs_get(const struct dbg_regs *r, const char *name, uint64_t *val);

/* Write a register by name (64-bit names and aliases only): 0 or -ENOENT. */
int dbg_regs_set(struct dbg_regs *r, const char *name, uint64_t val);

/* The number of 64-bit words in struct dbg_regs. */
#define DBG_REGS_WORDS 27

/*
 * The words of two register sets that differ, as struct dbg_regs orders
 * them: bit i set when word i differs. With AVX2 where the CPU has it,
 * else SSE2 (every x86-64 has it); dbg_regs_diff_sse2 and _avx2 are the
 * two, for tests (_avx2 only where dbg_regs_have_avx2()).
 */
uint64_t dbg_regs_diff_sse2(const struct dbg_regs *a, const struct dbg_regs *b);
uint64_t dbg_regs_diff_avx2(const struct dbg_regs *a, const struct dbg_regs *b);
bool dbg_regs_have_avx2(void);
static inline uint64_t dbg_regs_diff(const struct dbg_regs *a, const struct dbg_regs *b)
{
	return __builtin_cpu_supports("avx2") ? dbg_regs_diff_avx2(a, b) : dbg_regs_diff_sse2(a, b);
}

/* Name of a signal: "SIGSEGV"; "SIG<n>" for unknown numbers. Static storage
 * for known signals; buf for others. */
const char *dbg_signal_name(int signo, char *buf, size_t n);

#endif
