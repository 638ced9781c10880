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
	/* string stores through rdi when capstone lists no operand (not the
	 * SSE movsd, whose operands are an xmm register and memory read) */
	bool vector = false;
	for (uint8_t i = 0; i < in->nops; i++)
		vector |= in->op[i].type == DBG_OP_REG && in->op[i].reg == DBG_REG_OTHER;
	if (!d->nmem && !vector && strlen(m) == 5 && (mnem_is(m, "stos") || mnem_is(m, "movs"))) {
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

/* ---- the fast path: common instructions from their bytes ---------------- */

/* ModRM/SIB register numbers as enum dbg_reg. */
static const uint8_t gpr_of[16] = {
	DBG_REG_RAX, DBG_REG_RCX, DBG_REG_RDX, DBG_REG_RBX, DBG_REG_RSP, DBG_REG_RBP,
	DBG_REG_RSI, DBG_REG_RDI, DBG_REG_R8,  DBG_REG_R9,  DBG_REG_R10, DBG_REG_R11,
	DBG_REG_R12, DBG_REG_R13, DBG_REG_R14, DBG_REG_R15,
};

/* What a form does with its r/m operand when that is memory. */
enum eff {
	E_BAIL,  /* not handled here: capstone decides */
	E_NONE,  /* reads it, or no access (lea, nop, prefetch) */
	E_STORE, /* may write it */
};

/* Prefixes an SSE form accepts: none, 66, f3, f2. */
enum { P_NONE = 1, P_66 = 2, P_F3 = 4, P_F2 = 8, P_ALL = 15 };

/* A form of the 0f map that only reads its memory operand (SSE moves
 * into a register, arithmetic, compares), with the prefixes it takes. */
static uint8_t sse_reads(uint8_t op)
{
	switch (op) {
	case 0x10: /* movups movupd movss movsd, loads */
	case 0x2a: /* cvt*2* */
	case 0x2c:
	case 0x2d:
	case 0x51: /* sqrt, add, mul, cvt, sub, min, div, max */
	case 0x58:
	case 0x59:
	case 0x5a:
	case 0x5c:
	case 0x5d:
	case 0x5e:
	case 0x5f:
		return P_ALL;
	case 0x6f: /* movq mm, movdqa, movdqu: loads */
		return P_NONE | P_66 | P_F3;
	case 0x28: /* movaps movapd: loads */
	case 0x2e: /* ucomis, comis */
	case 0x2f:
	case 0x54: /* and, andn, or, xor ps/pd */
	case 0x55:
	case 0x56:
	case 0x57:
	case 0x6e: /* movd/movq into mm/xmm */
	case 0x74: /* pcmpeq b/w/d */
	case 0x75:
	case 0x76:
	case 0xd4: /* paddq, pand, por, pxor, paddd */
	case 0xdb:
	case 0xeb:
	case 0xef:
	case 0xfe:
		return P_NONE | P_66;
	default:
		return 0;
	}
}

/* The read-modify-writes of memory a lock prefix may precede: add, or,
 * adc, sbb, and, sub, xor, xchg, not, neg, inc, dec, cmpxchg, xadd. */
static bool lockable(bool two, uint8_t op, uint8_t reg)
{
	if (two)
		return op == 0xb0 || op == 0xb1 || op == 0xc0 || op == 0xc1;
	return (op < 0x40 && (op & 7) < 2 && (op >> 3) != 7) ||
	       (op >= 0x80 && op <= 0x83 && op != 0x82 && reg != 7) || op == 0x86 || op == 0x87 ||
	       ((op == 0xf6 || op == 0xf7) && (reg == 2 || reg == 3)) ||
	       ((op == 0xfe || op == 0xff) && reg <= 1);
}

/* Bit op of a 256-bit map. */
static inline bool bit256(const uint32_t *m, uint8_t op)
{
	return (m[op >> 5] >> (op & 31)) & 1;
}

/* The forms with a ModRM byte, one-byte map: 00-3f with (op & 7) < 4,
 * 63, 69, 6b, 80-8f, c0, c1, c6, c7, d0-d3, f6, f7, fe, ff. */
static const uint32_t modrm_one[8] = {
	0x0f0f0f0fu, 0x0f0f0f0fu, 0x00000000u, 0x00000a08u,
	0x0000ffffu, 0x00000000u, 0x000f00c3u, 0xc0c00000u,
};
/* 0f map: all but 05, 0b, 31, a2, 80-8f and c8-cf. */
static const uint32_t modrm_two[8] = {
	0xfffff7dfu, 0xfffdffffu, 0xffffffffu, 0xffffffffu,
	0xffff0000u, 0xfffffffbu, 0xffff00ffu, 0xffffffffu,
};
/* The legacy prefixes taken here: 64, 65, 66, f0, f2, f3. */
static const uint32_t legacy_prefix[8] = {
	0, 0, 0, 0x00000070u, 0, 0, 0, 0x000d0000u,
};

bool dbg_ws_fast(const uint8_t *code, size_t n, uint64_t pc, struct dbg_ws_insn *d)
{
	size_t i = 0;
	bool o16 = false;
	uint8_t rep = 0, seg = DBG_REG_NONE, rex = 0;
	bool lock = false;
	if (n > 15)
		n = 15;
	if (!n)
		return false;
	for (; bit256(legacy_prefix, code[i]); i++) {
		uint8_t b = code[i];
		if (b == 0x66)
			o16 = true;
		else if ((b == 0xf2 || b == 0xf3) && !rep)
			rep = b;
		else if ((b == 0x64 || b == 0x65) && !seg)
			seg = b == 0x64 ? DBG_REG_FS : DBG_REG_GS;
		else if (b == 0xf0 && !lock)
			lock = true;
		else
			return false; /* a prefix repeated */
		if (i + 1 >= n || i + 1 >= 4)
			return false;
	}
	if ((code[i] & 0xf0) == 0x40)
		rex = code[i++];
	if (i >= n)
		return false;
	bool two = code[i] == 0x0f;
	if (two && ++i >= n)
		return false;
	const uint8_t op = code[i++];
	const bool w = rex & 8;
	const uint8_t osz = w ? 8 : o16 ? 2 : 4, iz = o16 && !w ? 2 : 4;
	const uint8_t pfx = rep == 0xf3 ? P_F3 : rep == 0xf2 ? P_F2 : o16 ? P_66 : P_NONE;

	/* which forms have a ModRM byte */
	const bool modrm = bit256(two ? modrm_two : modrm_one, op);

	uint8_t mod = 3, reg = 0, rm = 0;
	struct dbg_ws_mem mem = { .seg = seg, .scale = 1 };
	if (modrm) {
		if (i >= n)
			return false;
		uint8_t m = code[i++];
		mod = m >> 6;
		reg = (m >> 3) & 7;
		rm = m & 7;
		const uint8_t rexb = (rex & 1) << 3, rexx = (rex & 2) << 2;
		size_t dsz = mod == 1 ? 1 : mod == 2 ? 4 : 0;
		if (mod != 3 && rm == 4) {
			if (i >= n)
				return false;
			uint8_t sib = code[i++], idx = ((sib >> 3) & 7) | rexx, base = sib & 7;
			if (idx != 4) {
				mem.index = gpr_of[idx];
				mem.scale = (uint8_t)(1 << (sib >> 6));
			}
			if (base == 5 && mod == 0)
				dsz = 4;
			else
				mem.base = gpr_of[base | rexb];
		} else if (mod == 0 && rm == 5) {
			mem.base = DBG_REG_RIP;
			dsz = 4;
		} else if (mod != 3) {
			mem.base = gpr_of[rm | rexb];
		}
		if (i + dsz > n)
			return false;
		if (dsz == 1)
			mem.disp = (int8_t)code[i];
		else if (dsz == 4)
			mem.disp = (int32_t)((uint32_t)code[i] | (uint32_t)code[i + 1] << 8 |
					     (uint32_t)code[i + 2] << 16 |
					     (uint32_t)code[i + 3] << 24);
		i += dsz;
	}

	/* the form: what it does with memory, its immediate, its pushes */
	enum eff e = E_BAIL;
	size_t imm = 0;
	uint8_t push = 0, flags = 0, msize = osz;
	bool rep_ok = false, o16_ok = true;
	if (!two) {
		if (op < 0x40 && (op & 7) < 6) {
			uint8_t k = op & 7;
			bool cmp = (op >> 3) == 7;
			e = k >= 2 || cmp ? E_NONE : E_STORE;
			msize = k == 0 ? 1 : osz;
			imm = k == 4 ? 1 : k == 5 ? iz : 0;
		} else if (op >= 0x50 && op <= 0x57) {
			e = E_NONE, push = 8, o16_ok = false;
		} else if (op >= 0x58 && op <= 0x5f) {
			e = E_NONE, o16_ok = false;
		} else if (op == 0x63) {
			e = w ? E_NONE : E_BAIL;
		} else if (op == 0x68 || op == 0x6a) {
			e = E_NONE, push = 8, imm = op == 0x68 ? 4 : 1, o16_ok = false;
		} else if (op == 0x69 || op == 0x6b) {
			e = E_NONE, imm = op == 0x69 ? iz : 1;
		} else if (op >= 0x70 && op <= 0x7f) {
			e = E_NONE, imm = 1, o16_ok = false;
		} else if (op >= 0x80 && op <= 0x83 && op != 0x82) {
			e = reg == 7 ? E_NONE : E_STORE;
			msize = op == 0x80 ? 1 : osz;
			imm = op == 0x81 ? iz : 1;
		} else if (op == 0x84 || op == 0x85 || op == 0x8a || op == 0x8b) {
			e = E_NONE;
		} else if (op == 0x86 || op == 0x87) {
			e = mod == 3 ? E_NONE : E_STORE, msize = op == 0x86 ? 1 : osz;
		} else if (op == 0x88 || op == 0x89) {
			e = E_STORE, msize = op == 0x88 ? 1 : osz;
		} else if (op == 0x8d) {
			e = mod == 3 ? E_BAIL : E_NONE;
		} else if (op >= 0x90 && op <= 0x99) {
			e = E_NONE, rep_ok = op == 0x90 && !rex && !o16;
			o16_ok = op != 0x90 || rep != 0xf3;
		} else if (op == 0x9c || op == 0x9d) {
			e = E_NONE, push = op == 0x9c ? 8 : 0, o16_ok = false;
		} else if (op == 0xa8 || op == 0xa9) {
			e = E_NONE, imm = op == 0xa8 ? 1 : iz;
		} else if (op >= 0xb0 && op <= 0xbf) {
			e = E_NONE, imm = op < 0xb8 ? 1 : w ? 8 : iz;
		} else if ((op == 0xc0 || op == 0xc1 || (op >= 0xd0 && op <= 0xd3)) && reg != 6) {
			e = E_STORE, msize = op & 1 ? osz : 1, imm = op <= 0xc1 ? 1 : 0;
		} else if ((op == 0xc6 || op == 0xc7) && reg == 0) {
			e = E_STORE, msize = op == 0xc6 ? 1 : osz, imm = op == 0xc6 ? 1 : iz;
		} else if (op == 0xc3 || op == 0xc9 || op == 0xcc || op == 0xf4) {
			e = E_NONE, o16_ok = false;
		} else if (op == 0xe8 || op == 0xe9 || op == 0xeb) {
			e = E_NONE, imm = op == 0xeb ? 1 : 4, push = op == 0xe8 ? 8 : 0;
			o16_ok = false;
		} else if ((op == 0xf6 || op == 0xf7) && reg != 1) {
			/* capstone 4 marks test's memory operand written */
			e = reg <= 3 ? E_STORE : E_NONE;
			msize = op == 0xf6 ? 1 : osz;
			imm = reg ? 0 : op == 0xf6 ? 1 : iz;
		} else if (op == 0xfe && reg <= 1) {
			e = E_STORE, msize = 1;
		} else if (op == 0xff && reg <= 1) {
			e = E_STORE;
		} else if (op == 0xff && (reg == 2 || reg == 4 || reg == 6)) {
			e = E_NONE, push = reg == 4 ? 0 : 8, o16_ok = false;
		}
	} else {
		uint8_t sse = sse_reads(op);
		if (sse) {
			/* the prefix is part of the opcode here */
			e = (sse & pfx) ? E_NONE : E_BAIL;
			rep_ok = true;
			if (op == 0x6e && (pfx & P_66) == 0 && w)
				e = E_BAIL;
		} else if (op == 0x05) {
			e = E_NONE, flags = DBG_WS_SYSCALL, o16_ok = false;
		} else if (op == 0x0b || op == 0x31 || op == 0xa2) {
			e = E_NONE, o16_ok = false;
		} else if (op == 0x1e && rep == 0xf3 && !o16 && !rex && mod == 3 && reg == 7 &&
			   (rm == 2 || rm == 3)) {
			e = E_NONE, rep_ok = true; /* endbr64, endbr32 */
		} else if (op == 0x1f && reg == 0 && mod != 3) {
			e = E_NONE; /* nop r/m */
		} else if (op == 0x18 && reg <= 3) {
			e = mod == 3 ? E_BAIL : E_NONE, o16_ok = false; /* prefetch */
		} else if ((op >= 0x40 && op <= 0x4f) || op == 0xaf || op == 0xa3 || op == 0xb6 ||
			   op == 0xbe) {
			e = E_NONE;
		} else if (op == 0xb7 || op == 0xbf) {
			e = E_NONE, o16_ok = false;
		} else if (op == 0xbc || op == 0xbd) {
			e = E_NONE, rep_ok = rep == 0xf3;
		} else if (op == 0xb0 || op == 0xb1 || op == 0xc0 || op == 0xc1) {
			/* cmpxchg, xadd */
			e = E_STORE, msize = op & 1 ? osz : 1;
		} else if (op == 0xba && reg == 4) {
			e = E_NONE, imm = 1;
		} else if (op >= 0x80 && op <= 0x8f) {
			e = E_NONE, imm = 4, o16_ok = false;
		} else if (op >= 0x90 && op <= 0x9f) {
			e = E_STORE, msize = 1, o16_ok = false;
		} else if (op >= 0xc8 && op <= 0xcf) {
			e = E_NONE, o16_ok = false;
		}
	}
	if (e == E_BAIL || (rep && (!rep_ok || o16)) || (o16 && !o16_ok && !(two && sse_reads(op))))
		return false;
	/* lock: only on a read-modify-write of memory (else #UD) */
	if (lock && (e != E_STORE || mod == 3 || !lockable(two, op, reg)))
		return false;
	/* a segment override on no memory operand */
	if (seg && mod == 3)
		return false;
	if (i + imm > n)
		return false;
	i += imm;

	/* the fields set one by one; the mem entries past nmem are not read */
	d->pc = pc;
	d->size = (uint8_t)i;
	d->flags = flags;
	d->push = push;
	d->nmem = 0;
	if (e == E_STORE && mod != 3) {
		mem.size = msize;
		d->mem[d->nmem++] = mem;
	}
	/* the instruction's bytes, zeros after them */
	uint64_t lo = 0, hi = 0;
	if (n == 15 && i <= 15) {
		/* code[0..15) readable: two overlapping loads */
		uint64_t a, b;
		memcpy(&a, code, 8);
		memcpy(&b, code + 7, 8);
		b >>= 8;
		lo = i >= 8 ? a : a & ((1ull << (8 * i)) - 1);
		hi = i <= 8 ? 0 : b & ((1ull << (8 * (i - 8))) - 1);
	} else {
		uint8_t tmp[16] = { 0 };
		memcpy(tmp, code, i);
		memcpy(&lo, tmp, 8);
		memcpy(&hi, tmp + 8, 8);
	}
	memcpy(d->bytes, &lo, 8);
	memcpy(d->bytes + 8, &hi, 8);
	return true;
}
