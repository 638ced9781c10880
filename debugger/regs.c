/* regs — register, signal and system call names (see regs.h). */
#include "regs.h"

#include <errno.h>
#include <immintrin.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* clang-format off */
#define REG(n) { #n, offsetof(struct dbg_regs, n) }
/* clang-format on */
const struct dbg_reg_desc dbg_regs_table[] = {
	REG(rax), REG(rbx), REG(rcx), REG(rdx),     REG(rsi),     REG(rdi),      REG(rbp),
	REG(rsp), REG(r8),  REG(r9),  REG(r10),     REG(r11),     REG(r12),      REG(r13),
	REG(r14), REG(r15), REG(rip), REG(eflags),  REG(cs),      REG(ss),       REG(ds),
	REG(es),  REG(fs),  REG(gs),  REG(fs_base), REG(gs_base), REG(orig_rax),
};
#undef REG
const size_t dbg_regs_count = sizeof(dbg_regs_table) / sizeof(dbg_regs_table[0]);

/* Sub-register names: name, full register, shift, width in bits. */
/* clang-format off */
static const struct subreg {
	const char *name, *full;
	unsigned shift, bits;
} subregs[] = {
	{ "eax", "rax", 0, 32 }, { "ax", "rax", 0, 16 }, { "al", "rax", 0, 8 }, { "ah", "rax", 8, 8 },
	{ "ebx", "rbx", 0, 32 }, { "bx", "rbx", 0, 16 }, { "bl", "rbx", 0, 8 }, { "bh", "rbx", 8, 8 },
	{ "ecx", "rcx", 0, 32 }, { "cx", "rcx", 0, 16 }, { "cl", "rcx", 0, 8 }, { "ch", "rcx", 8, 8 },
	{ "edx", "rdx", 0, 32 }, { "dx", "rdx", 0, 16 }, { "dl", "rdx", 0, 8 }, { "dh", "rdx", 8, 8 },
	{ "esi", "rsi", 0, 32 }, { "si", "rsi", 0, 16 }, { "sil", "rsi", 0, 8 },
	{ "edi", "rdi", 0, 32 }, { "di", "rdi", 0, 16 }, { "dil", "rdi", 0, 8 },
	{ "ebp", "rbp", 0, 32 }, { "bp", "rbp", 0, 16 }, { "bpl", "rbp", 0, 8 },
	{ "esp", "rsp", 0, 32 }, { "spl", "rsp", 0, 8 },
	{ "eip", "rip", 0, 32 }, { "flags", "eflags", 0, 16 },
	{ "pc", "rip", 0, 64 }, { "sp", "rsp", 0, 64 }, { "fp", "rbp", 0, 64 },
};
/* clang-format on */

static uint64_t *reg_slot(struct dbg_regs *r, const char *name)
{
	for (size_t i = 0; i < dbg_regs_count; i++)
		if (strcmp(dbg_regs_table[i].name, name) == 0)
			return (uint64_t *)((char *)r + dbg_regs_table[i].offset);
	return NULL;
}

int dbg_regs_get(const struct dbg_regs *r, const char *name, uint64_t *val)
{
	uint64_t *p = reg_slot((struct dbg_regs *)r, name);
	if (p) {
		*val = *p;
		return 0;
	}
	/* r8d, r8w, r8b … r15b */
	if (name[0] == 'r' && name[1] >= '0' && name[1] <= '9') {
		char full[8];
		size_t len = strlen(name);
		char last = name[len - 1];
		unsigned bits = last == 'd' ? 32 : last == 'w' ? 16 : last == 'b' ? 8 : 0;
		if (bits && len - 1 < sizeof(full)) {
			memcpy(full, name, len - 1);
			full[len - 1] = '\0';
			p = reg_slot((struct dbg_regs *)r, full);
			if (p) {
				*val = *p & ((1ull << bits) - 1);
				return 0;
			}
		}
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(subregs) / sizeof(subregs[0]); i++) {
		if (strcmp(subregs[i].name, name) != 0)
			continue;
		uint64_t v = *reg_slot((struct dbg_regs *)r, subregs[i].full) >> subregs[i].shift;
		if (subregs[i].bits < 64)
			v &= (1ull << subregs[i].bits) - 1;
		*val = v;
		return 0;
	}
	return -ENOENT;
}

int dbg_regs_set(struct dbg_regs *r, const char *name, uint64_t val)
{
	uint64_t *p = reg_slot(r, name);
	if (!p) {
		for (size_t i = 0; i < sizeof(subregs) / sizeof(subregs[0]); i++)
			if (subregs[i].bits == 64 && strcmp(subregs[i].name, name) == 0)
				p = reg_slot(r, subregs[i].full);
	}
	if (!p)
		return -ENOENT;
	*p = val;
	return 0;
}

const char *dbg_signal_name(int signo, char *buf, size_t n)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP",       [SIGINT] = "SIGINT",       [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL",       [SIGTRAP] = "SIGTRAP",     [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS",       [SIGFPE] = "SIGFPE",       [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1",     [SIGSEGV] = "SIGSEGV",     [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE",     [SIGALRM] = "SIGALRM",     [SIGTERM] = "SIGTERM",
		[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD",     [SIGCONT] = "SIGCONT",
		[SIGSTOP] = "SIGSTOP",     [SIGTSTP] = "SIGTSTP",     [SIGTTIN] = "SIGTTIN",
		[SIGTTOU] = "SIGTTOU",     [SIGURG] = "SIGURG",       [SIGXCPU] = "SIGXCPU",
		[SIGXFSZ] = "SIGXFSZ",     [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
		[SIGWINCH] = "SIGWINCH",   [SIGIO] = "SIGIO",         [SIGPWR] = "SIGPWR",
		[SIGSYS] = "SIGSYS",
	};
	if (signo > 0 && (size_t)signo < sizeof(names) / sizeof(names[0]) && names[signo])
		return names[signo];
	snprintf(buf, n, "SIG%d", signo);
	return buf;
}

/* ---- which words differ ---------------------------------------------------- */

_Static_assert(sizeof(struct dbg_regs) == DBG_REGS_WORDS * sizeof(uint64_t),
	       "struct dbg_regs is 27 words");

static inline const uint64_t *words(const struct dbg_regs *r)
{
	return (const uint64_t *)(const void *)r;
}

/* Two words at a time: a word is equal when both its 32-bit halves are. */
uint64_t dbg_regs_diff_sse2(const struct dbg_regs *a, const struct dbg_regs *b)
{
	const uint64_t *o = words(a), *w = words(b);
	uint64_t eq = 0;
#pragma GCC unroll 16
	for (unsigned i = 0; i + 2 <= DBG_REGS_WORDS; i += 2) {
		__m128i e =
			_mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)(o + i)),
					_mm_loadu_si128((const __m128i *)(const void *)(w + i)));
		e = _mm_and_si128(e, _mm_shuffle_epi32(e, _MM_SHUFFLE(2, 3, 0, 1)));
		eq |= (uint64_t)_mm_movemask_pd(_mm_castsi128_pd(e)) << i;
	}
	eq |= (uint64_t)(o[DBG_REGS_WORDS - 1] == w[DBG_REGS_WORDS - 1]) << (DBG_REGS_WORDS - 1);
	return ~eq & ((1ull << DBG_REGS_WORDS) - 1);
}

/* Four words at a time; the last four overlap the ones before them. */
__attribute__((target("avx2"))) uint64_t dbg_regs_diff_avx2(const struct dbg_regs *a,
							    const struct dbg_regs *b)
{
	const uint64_t *o = words(a), *w = words(b);
	uint64_t eq = 0;
#pragma GCC unroll 8
	for (unsigned i = 0; i + 4 <= DBG_REGS_WORDS; i += 4) {
		__m256i e = _mm256_cmpeq_epi64(_mm256_loadu_si256(
						       (const __m256i *)(const void *)(o + i)),
					       _mm256_loadu_si256(
						       (const __m256i *)(const void *)(w + i)));
		eq |= (uint64_t)_mm256_movemask_pd(_mm256_castsi256_pd(e)) << i;
	}
	enum { LAST = DBG_REGS_WORDS - 4 };
	__m256i e =
		_mm256_cmpeq_epi64(_mm256_loadu_si256((const __m256i *)(const void *)(o + LAST)),
				   _mm256_loadu_si256((const __m256i *)(const void *)(w + LAST)));
	eq |= (uint64_t)_mm256_movemask_pd(_mm256_castsi256_pd(e)) << LAST;
	return ~eq & ((1ull << DBG_REGS_WORDS) - 1);
}

bool dbg_regs_have_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}
