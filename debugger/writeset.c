/* writeset — what one instruction may write (see writeset.h). */
#include "writeset.h"

#include <string.h>

/* fn(arg, …) for a range that can be written by user code: none in the
 * kernel's half (such a write faults, and a page loop over the last page
 * would wrap around), none empty or larger than a system call fills. */
static void put(dbg_ws_fn *fn, void *arg, uint64_t addr, uint64_t len, bool syscall)
{
	if (!len || len > DBG_WS_MAX_RANGE || addr + len < addr || addr + len > (uint64_t)1 << 63)
		return;
	fn(arg, addr, len, syscall);
}

static bool mnem_is(const char *m, const char *prefix)
{
	return strncmp(m, prefix, strlen(prefix)) == 0;
}

/* Instructions whose memory operand is only read even where AT&T puts it
 * last (the destination place). */
static bool only_reads(const char *m)
{
	/* clang-format off */
#define R(s) { s, sizeof(s) - 1 }
	/* clang-format on */
	static const struct {
		const char *s;
		size_t n;
	} readers[] = {
		R("test"),   R("ucomis"), R("comis"),   R("vucomis"), R("vcomis"),   R("ptest"),
		R("vptest"), R("push"),   R("mul"),     R("imul"),    R("div"),      R("idiv"),
		R("fld"),    R("fild"),   R("fbld"),    R("ldmxcsr"), R("vldmxcsr"), R("fldcw"),
		R("fldenv"), R("frstor"), R("fxrstor"), R("xrstor"),  R("clflush"),  R("prefetch"),
		R("lea"),    R("nop"),    R("scas"),    R("lgdt"),    R("lidt"),     R("lldt"),
		R("ltr"),    R("verr"),   R("verw"),    R("fcom"),    R("ficom"),    R("fucom"),
		R("fadd"),   R("fiadd"),  R("fsub"),    R("fisub"),   R("fmul"),     R("fimul"),
		R("fdiv"),   R("fidiv"),
	};
#undef R
	if (mnem_is(m, "cmp"))
		return !mnem_is(m, "cmpxchg");
	if (m[0] == 'b' && m[1] == 't' && (!m[2] || (strchr("wlq", m[2]) && !m[3])))
		return true; /* bt; bts, btr and btc write */
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (m[0] == readers[i].s[0] && strncmp(m, readers[i].s, readers[i].n) == 0)
			return true;
	return false;
}

/*
 * What one instruction may write, from its decoded form. capstone 4's
 * access flags miss many stores (cmpxchg, stos, SSE and AVX stores), so a
 * memory operand in the destination place counts as written unless the
 * instruction only reads it; a write that changes nothing costs a read
 * and is not stored.
 */
void dbg_ws_decode(const struct dbg_insn *in, struct dbg_ws_insn *d)
{
	memset(d, 0, sizeof(*d));
	d->pc = in->addr;
	d->size = in->size;
	memcpy(d->bytes, in->bytes, sizeof(d->bytes));
	if (in->is_syscall)
		d->flags |= DBG_WS_SYSCALL;
	/* capstone keeps prefixes in the mnemonic: "rep stosq", "lock xaddl" */
	const char *m = strrchr(in->mnemonic, ' ');
	m = m ? m + 1 : in->mnemonic;
	if (in->is_call || mnem_is(m, "enter"))
		d->push = 8;
	else if (mnem_is(m, "push"))
		d->push = strcmp(m, "pushw") == 0 ? 2 : 8;
	bool reads = in->is_call || in->is_jump || only_reads(m);
	bool no_access = mnem_is(m, "lea") || mnem_is(m, "nop") || mnem_is(m, "prefetch");
	for (uint8_t i = 0; i < in->nops && !no_access; i++) {
		const struct dbg_operand *op = &in->op[i];
		if (op->type != DBG_OP_MEM)
			continue;
		if (!op->write && (reads || i + 1 != in->nops))
			continue;
		if (op->mem.base == DBG_REG_OTHER || op->mem.index == DBG_REG_OTHER) {
			d->flags |= DBG_WS_UNKNOWN;
			continue;
		}
		if (d->nmem == 4)
			break;
		uint32_t size = op->size ? op->size : 8;
		if (mnem_is(m, "fxsave"))
			size = 512;
		else if (mnem_is(m, "xsave"))
			size = 4096;
		else if (mnem_is(m, "cmpxchg16b"))
			size = 16;
		d->mem[d->nmem++] = (struct dbg_ws_mem){
			.seg = (uint8_t)op->mem.seg,
			.base = (uint8_t)op->mem.base,
			.index = (uint8_t)op->mem.index,
			.scale = (uint8_t)op->mem.scale,
			.size = size,
			.disp = op->mem.disp,
		};
	}
	/* string stores through rdi when capstone lists no operand */
	if (!d->nmem && strlen(m) == 5 && (mnem_is(m, "stos") || mnem_is(m, "movs"))) {
		static const char sfx[] = "bwlqd";
		static const uint8_t sz[] = { 1, 2, 4, 8, 4 };
		const char *k = strchr(sfx, m[4]);
		if (k)
			d->mem[d->nmem++] =
				(struct dbg_ws_mem){ .base = DBG_REG_RDI, .size = sz[k - sfx] };
	}
}

static bool reg_value(const struct dbg_regs *r, uint8_t reg, uint64_t next_pc, uint64_t *v)
{
	if (reg == DBG_REG_NONE)
		*v = 0;
	else if (reg >= DBG_REG_RAX && reg <= DBG_REG_R15)
		*v = ((const uint64_t *)(const void *)r)[reg - DBG_REG_RAX];
	else if (reg == DBG_REG_RIP)
		*v = next_pc;
	else
		return false;
	return true;
}

void dbg_ws_ranges(const struct dbg_ws_insn *d, const struct dbg_regs *r, dbg_ws_fn *fn, void *arg)
{
	uint64_t next = r->rip + d->size;
	if (d->push)
		put(fn, arg, r->rsp - d->push, d->push, false);
	for (uint8_t i = 0; i < d->nmem; i++) {
		const struct dbg_ws_mem *m = &d->mem[i];
		uint64_t b, x;
		if (!reg_value(r, m->base, next, &b) || !reg_value(r, m->index, next, &x))
			continue;
		uint64_t ea = b + x * m->scale + (uint64_t)m->disp;
		if (m->seg == DBG_REG_FS)
			ea += r->fs_base;
		else if (m->seg == DBG_REG_GS)
			ea += r->gs_base;
		put(fn, arg, ea, m->size, false);
	}
}

/* User buffers the kernel fills, by system call: args[ptr] for
 * len + args[len_arg] * mul bytes (len_arg -1: len only). */
static const struct {
	uint16_t nr;
	int8_t ptr, len_arg;
	uint16_t len, mul;
} sc_bufs[] = {
	{ 0, 1, 2, 0, 1 },    /* read(fd, buf, count) */
	{ 4, 1, -1, 144, 0 }, /* stat(path, st) */
	{ 5, 1, -1, 144, 0 }, /* fstat(fd, st) */
	{ 6, 1, -1, 144, 0 }, /* lstat(path, st) */
	{ 7, 0, 1, 0, 8 },    /* poll(fds, nfds, timeout) */
	{ 13, 2, 3, 24, 1 },  /* rt_sigaction(sig, act, oact, sigsetsize) */
	{ 14, 2, 3, 0, 1 },   /* rt_sigprocmask(how, set, oset, sigsetsize) */
	{ 17, 1, 2, 0, 1 },   /* pread64(fd, buf, count, off) */
	{ 22, 0, -1, 8, 0 },  /* pipe(fds) */
	{ 35, 1, -1, 16, 0 }, /* nanosleep(req, rem) */
	{ 61, 1, -1, 4, 0 },  /* wait4(pid, status, options, rusage) */
	{ 61, 3, -1, 144, 0 },  { 63, 0, -1, 390, 0 }, /* uname(buf) */
	{ 79, 0, 1, 0, 1 },                            /* getcwd(buf, size) */
	{ 89, 1, 2, 0, 1 },                            /* readlink(path, buf, size) */
	{ 96, 0, -1, 16, 0 },                          /* gettimeofday(tv, tz) */
	{ 97, 1, -1, 16, 0 },                          /* getrlimit(resource, rlim) */
	{ 98, 1, -1, 144, 0 },                         /* getrusage(who, usage) */
	{ 131, 1, -1, 24, 0 },                         /* sigaltstack(ss, old) */
	{ 204, 2, 1, 0, 1 },                           /* sched_getaffinity(pid, len, mask) */
	{ 228, 1, -1, 16, 0 },                         /* clock_gettime(clock, tp) */
	{ 229, 1, -1, 16, 0 },                         /* clock_getres(clock, res) */
	{ 230, 3, -1, 16, 0 },                         /* clock_nanosleep(clock, flags, req, rem) */
	{ 232, 1, 2, 0, 12 },                          /* epoll_wait(epfd, events, max, timeout) */
	{ 262, 2, -1, 144, 0 },                        /* newfstatat(dirfd, path, st, flags) */
	{ 267, 2, 3, 0, 1 },                           /* readlinkat(dirfd, path, buf, size) */
	{ 281, 1, 2, 0, 12 },                          /* epoll_pwait(epfd, events, max, …) */
	{ 293, 0, -1, 8, 0 },                          /* pipe2(fds, flags) */
	{ 302, 3, -1, 16, 0 },                         /* prlimit64(pid, resource, new, old) */
	{ 318, 0, 1, 0, 1 },                           /* getrandom(buf, len, flags) */
	{ 332, 4, -1, 256, 0 },                        /* statx(dirfd, path, flags, mask, buf) */
};

enum {
	SYS_MADVISE = 28,
	SYS_CLONE = 56,
	SYS_ARCH_PRCTL = 158,
	ARCH_GET_FS = 0x1003,
	ARCH_GET_GS = 0x1004,
	MAP_FIXED_FLAG = 0x10,
	MADV_DONTNEED_ADVICE = 4,
	MADV_REMOVE_ADVICE = 9,
	CLONE_PARENT_SETTID_FLAG = 0x00100000,
	CLONE_CHILD_SETTID_FLAG = 0x01000000,
};

void dbg_ws_syscall(const struct dbg_regs *r, dbg_ws_fn *fn, void *arg)
{
	const uint64_t nr = r->rax, a[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };
	for (size_t i = 0; i < sizeof(sc_bufs) / sizeof(sc_bufs[0]); i++) {
		if (sc_bufs[i].nr != nr || !a[sc_bufs[i].ptr])
			continue;
		uint64_t len = sc_bufs[i].len;
		if (sc_bufs[i].len_arg >= 0) {
			uint64_t v = a[sc_bufs[i].len_arg];
			if (v > DBG_WS_MAX_RANGE)
				v = DBG_WS_MAX_RANGE;
			len += v * sc_bufs[i].mul;
		}
		put(fn, arg, a[sc_bufs[i].ptr], len > DBG_WS_MAX_RANGE ? DBG_WS_MAX_RANGE : len,
		    true);
	}
	if (nr == SYS_ARCH_PRCTL && (a[0] == ARCH_GET_FS || a[0] == ARCH_GET_GS) && a[1])
		put(fn, arg, a[1], 8, true);
	/* a mapping over existing memory, or pages dropped, read as zeros
	 * afterwards (the first DBG_WS_MAX_RANGE bytes are recorded) */
	if ((nr == DBG_WS_SYS_MMAP && (a[3] & MAP_FIXED_FLAG)) ||
	    (nr == SYS_MADVISE && (a[2] == MADV_DONTNEED_ADVICE || a[2] == MADV_REMOVE_ADVICE)))
		put(fn, arg, a[0], a[1] > DBG_WS_MAX_RANGE ? DBG_WS_MAX_RANGE : a[1], true);
	if (nr == SYS_CLONE) {
		if ((a[0] & CLONE_PARENT_SETTID_FLAG) && a[2])
			put(fn, arg, a[2], 4, true);
		if ((a[0] & CLONE_CHILD_SETTID_FLAG) && a[3])
			put(fn, arg, a[3], 4, true);
	}
}
