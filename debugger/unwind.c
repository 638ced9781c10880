/* unwind — call stacks from CFI, frame pointers and goroutines (see unwind.h). */
#include "unwind.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dwarf.h"
#include "elf.h"

enum { R_RBP = 6, R_RSP = 7, R_RA = 16 };

/* The memory one walk reads, a block at a time: the words of a stack are
 * read with one process_vm_readv per block rather than one each. Blocks
 * are aligned to their size, so one never spans two pages. */
enum { MC_BLOCK = DBG_UNWIND_BLOCK, MC_N = 6, FC_N = 64 };

struct mc_block {
	uint64_t base;
	bool used;
	bool ok; /* read whole; else every read in it goes to the session */
	uint8_t b[MC_BLOCK];
};

struct dbg_unwind {
	unsigned gen; /* dbg_session_image_gen of what is open; 0 none */
	int fd;
	Elf *elf;
	Dwarf *dw;
	Dwarf_CFI *eh;  /* .eh_frame (dwarf_cfi_end) */
	Dwarf_CFI *dbg; /* .debug_frame (owned by dw) */
	/* the process's vDSO, read from its memory: its .eh_frame */
	uint64_t vdso_lo, vdso_hi, vdso_bias;
	pid_t vdso_pid;
	void *vdso_bytes;
	Elf *vdso_elf;
	Dwarf_CFI *vdso_eh;
	struct mc_block mc[MC_N]; /* emptied at the start of each walk */
	unsigned mc_next;
	bool primed; /* mc[0] holds the block dbg_unwind_prime gave */
	/* the program's frame states by pc, kept while its image is open:
	 * the system-call log walks the same few call sites again and again */
	struct {
		uint64_t pc;
		Dwarf_Frame *fr;
	} fc[FC_N];
};

/* A register set by DWARF number, with the ones known. */
struct uregs {
	uint64_t r[DBG_UNWIND_NREGS];
	uint32_t known;
};

const char *dbg_frame_how_name(enum dbg_frame_how how)
{
	switch (how) {
	case DBG_FRAME_INNER:
		return "inner";
	case DBG_FRAME_CFI:
		return "cfi";
	case DBG_FRAME_FP:
		return "frame pointer";
	case DBG_FRAME_GSWITCH:
		return "goroutine switch";
	case DBG_FRAME_SIGNAL:
		return "signal";
	}
	return "?";
}

struct dbg_unwind *dbg_unwind_new(void)
{
	struct dbg_unwind *u = calloc(1, sizeof(*u));

	if (!u)
		abort();
	u->fd = -1;
	return u;
}

static void close_vdso(struct dbg_unwind *u)
{
	if (u->vdso_eh)
		dwarf_cfi_end(u->vdso_eh);
	if (u->vdso_elf)
		elf_end(u->vdso_elf);
	free(u->vdso_bytes);
	u->vdso_eh = NULL;
	u->vdso_elf = NULL;
	u->vdso_bytes = NULL;
	u->vdso_lo = u->vdso_hi = 0;
	u->vdso_pid = 0;
}

/* The vDSO's CFI when pc is inside it (read once per process), else NULL. */
static Dwarf_CFI *vdso_cfi(struct dbg_unwind *u, struct dbg_session *s, uint64_t pc)
{
	uint64_t lo, hi;
	const struct dbg_elf *v = dbg_session_vdso(s, &lo, &hi);
	pid_t pid = dbg_session_pid(s);

	if (!v || pc < lo || pc >= hi || hi - lo > (1u << 24))
		return NULL;
	if (u->vdso_elf && u->vdso_lo == lo && u->vdso_hi == hi && u->vdso_pid == pid)
		return u->vdso_eh;
	close_vdso(u);
	u->vdso_lo = lo;
	u->vdso_hi = hi;
	u->vdso_pid = pid;
	u->vdso_bias = dbg_elf_bias(v);
	u->vdso_bytes = malloc(hi - lo);
	if (!u->vdso_bytes)
		abort();
	if (dbg_session_read(s, lo, u->vdso_bytes, hi - lo, NULL) < 0)
		return NULL;
	u->vdso_elf = elf_memory(u->vdso_bytes, hi - lo);
	if (u->vdso_elf)
		u->vdso_eh = dwarf_getcfi_elf(u->vdso_elf);
	return u->vdso_eh;
}

static void close_image(struct dbg_unwind *u)
{
	close_vdso(u);
	for (size_t i = 0; i < FC_N; i++) {
		free(u->fc[i].fr);
		u->fc[i].fr = NULL;
	}
	if (u->eh)
		dwarf_cfi_end(u->eh);
	if (u->dw)
		dwarf_end(u->dw);
	if (u->elf)
		elf_end(u->elf);
	if (u->fd >= 0)
		close(u->fd);
	u->eh = NULL;
	u->dbg = NULL;
	u->dw = NULL;
	u->elf = NULL;
	u->fd = -1;
	u->gen = 0;
}

void dbg_unwind_free(struct dbg_unwind *u)
{
	if (!u)
		return;
	close_image(u);
	free(u);
}

static int open_image(struct dbg_unwind *u, struct dbg_session *s, struct dbg_err *err)
{
	unsigned gen = dbg_session_image_gen(s);
	const char *path = dbg_session_path(s);

	if (u->gen == gen && u->elf)
		return 0;
	close_image(u);
	elf_version(EV_CURRENT);
	u->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (u->fd < 0)
		return dbg_err_errno(err, -errno, "cannot open %s", path);
	u->elf = elf_begin(u->fd, ELF_C_READ_MMAP, NULL);
	if (!u->elf) {
		close_image(u);
		return dbg_err_set(err, -EINVAL, "cannot read the call frame information of %s: %s",
				   path, elf_errmsg(-1));
	}
	/* .debug_frame from the session's DWARF, already read (libdw
	 * inflates every compressed section of a file it opens) */
	struct dbg_dwarf *sd = dbg_session_dwarf(s);
	Dwarf *dw = sd ? dbg_dwarf_libdw(sd) : NULL;
	if (!dw)
		dw = u->dw = dwarf_begin_elf(u->elf, DWARF_C_READ, NULL); /* NULL: no DWARF */
	u->eh = dwarf_getcfi_elf(u->elf);
	u->dbg = dw ? dwarf_getcfi(dw) : NULL;
	u->gen = gen;
	return 0;
}

static void from_regs(struct uregs *ur, const struct dbg_regs *r)
{
	const uint64_t v[DBG_UNWIND_NREGS] = {
		r->rax, r->rdx, r->rcx, r->rbx, r->rsi, r->rdi, r->rbp, r->rsp, r->r8,
		r->r9,  r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->rip,
	};

	memcpy(ur->r, v, sizeof(v));
	ur->known = (1u << DBG_UNWIND_NREGS) - 1;
}

static void mc_reset(struct dbg_unwind *u)
{
	for (size_t i = u->primed; i < MC_N; i++)
		u->mc[i].used = false;
	u->mc_next = u->primed;
}

void dbg_unwind_prime(struct dbg_unwind *u, uint64_t base, const uint8_t *bytes)
{
	u->primed = bytes != NULL;
	u->mc[0].used = u->primed;
	if (!bytes)
		return;
	u->mc[0].base = base;
	u->mc[0].ok = true;
	memcpy(u->mc[0].b, bytes, MC_BLOCK);
}

/* A word of the process (or of the recorded state shown), as
 * dbg_session_read gives it, through the walk's blocks. */
static bool rd64(struct dbg_unwind *u, struct dbg_session *s, uint64_t addr, uint64_t *v)
{
	uint64_t base = addr & ~(uint64_t)(MC_BLOCK - 1);
	if (addr - base <= MC_BLOCK - 8) {
		struct mc_block *b = NULL;
		for (size_t i = 0; i < MC_N && !b; i++)
			if (u->mc[i].used && u->mc[i].base == base)
				b = &u->mc[i];
		if (!b) {
			b = &u->mc[u->mc_next];
			u->mc_next = (u->mc_next + 1) % MC_N;
			if (u->mc_next == 0)
				u->mc_next = u->primed;
			b->base = base;
			b->used = true;
			b->ok = dbg_session_read(s, base, b->b, MC_BLOCK, NULL) == 0;
		}
		if (b->ok) {
			memcpy(v, b->b + (addr - base), 8);
			return true;
		}
	}
	return dbg_session_read_u64(s, addr, v, NULL) == 0;
}

/*
 * Evaluate the DWARF expression CFI gives for a CFA or a register rule
 * (bregN, call_frame_cfa, constants, plus, deref, stack_value): the value
 * on top of the stack, and whether it is a value rather than an address.
 */
static bool eval_ops(struct dbg_unwind *u, struct dbg_session *s, const Dwarf_Op *ops, size_t nops,
		     const struct uregs *ur, uint64_t cfa, uint64_t *out, bool *is_value)
{
	uint64_t st[8];
	size_t sp = 0, i;

	*is_value = false;
	for (i = 0; i < nops; i++) {
		uint8_t op = ops[i].atom;
		uint64_t a;

		if (sp >= 8)
			return false;
		if (op >= DW_OP_breg0 && op <= DW_OP_breg31) {
			unsigned r = op - DW_OP_breg0;

			if (r >= DBG_UNWIND_NREGS || !(ur->known & (1u << r)))
				return false;
			st[sp++] = ur->r[r] + (uint64_t)(int64_t)ops[i].number;
			continue;
		}
		if (op >= DW_OP_lit0 && op <= DW_OP_lit31) {
			st[sp++] = op - DW_OP_lit0;
			continue;
		}
		switch (op) {
		case DW_OP_bregx:
			if (ops[i].number >= DBG_UNWIND_NREGS ||
			    !(ur->known & (1u << ops[i].number)))
				return false;
			st[sp++] = ur->r[ops[i].number] + (uint64_t)(int64_t)ops[i].number2;
			break;
		case DW_OP_call_frame_cfa:
			st[sp++] = cfa;
			break;
		case DW_OP_const1u:
		case DW_OP_const2u:
		case DW_OP_const4u:
		case DW_OP_const8u:
		case DW_OP_constu:
		case DW_OP_const1s:
		case DW_OP_const2s:
		case DW_OP_const4s:
		case DW_OP_const8s:
		case DW_OP_consts:
			st[sp++] = ops[i].number;
			break;
		case DW_OP_plus_uconst:
			if (!sp)
				return false;
			st[sp - 1] += ops[i].number;
			break;
		case DW_OP_plus:
		case DW_OP_minus:
			if (sp < 2)
				return false;
			a = st[--sp];
			st[sp - 1] = op == DW_OP_plus ? st[sp - 1] + a : st[sp - 1] - a;
			break;
		case DW_OP_deref:
			if (!sp || !rd64(u, s, st[sp - 1], &st[sp - 1]))
				return false;
			break;
		case DW_OP_stack_value:
			*is_value = true;
			break;
		case DW_OP_nop:
			break;
		default:
			return false;
		}
	}
	if (!sp)
		return false;
	*out = st[sp - 1];
	return true;
}

/* The FDE for pc (a run-time address): the vDSO's, or the program's
 * (.eh_frame first). *cached: the frame is the cache's (not to be freed). */
static Dwarf_Frame *cfi_frame(struct dbg_unwind *u, struct dbg_session *s, uint64_t bias,
			      uint64_t rpc, bool *cached)
{
	Dwarf_CFI *v = vdso_cfi(u, s, rpc);
	Dwarf_Frame *fr = NULL;
	uint64_t pc = rpc - bias;

	*cached = false;
	if (v)
		return dwarf_cfi_addrframe(v, rpc - u->vdso_bias, &fr) == 0 ? fr : NULL;
	size_t k = (size_t)((pc ^ (pc >> 6) ^ (pc >> 12)) % FC_N);
	if (u->fc[k].fr && u->fc[k].pc == pc) {
		*cached = true;
		return u->fc[k].fr;
	}
	if (!(u->eh && dwarf_cfi_addrframe(u->eh, pc, &fr) == 0) &&
	    !(u->dbg && dwarf_cfi_addrframe(u->dbg, pc, &fr) == 0))
		return NULL;
	free(u->fc[k].fr);
	u->fc[k].pc = pc;
	u->fc[k].fr = fr;
	*cached = true;
	return fr;
}

enum step { STEP_OK, STEP_END_UNDEFINED, STEP_END_UNREADABLE, STEP_NOCFI };

/*
 * One frame up with CFI: the caller's registers into caller, f's cfa and
 * saved-register slots filled.
 */
static enum step step_cfi(struct dbg_unwind *u, struct dbg_session *s, uint64_t bias,
			  uint64_t lookup_pc, const struct uregs *ur, struct uregs *caller,
			  struct dbg_frame *f)
{
	bool cached;
	Dwarf_Frame *fr = cfi_frame(u, s, bias, lookup_pc, &cached);
	Dwarf_Op *ops, mem[3];
	size_t nops;
	uint64_t cfa;
	bool isval;
	int r;
	enum step res = STEP_OK;

	if (!fr)
		return STEP_NOCFI;
	if (dwarf_frame_cfa(fr, &ops, &nops) < 0 || nops == 0 ||
	    !eval_ops(u, s, ops, nops, ur, 0, &cfa, &isval)) {
		if (!cached)
			free(fr);
		return STEP_NOCFI;
	}
	f->cfa = cfa;
	caller->known = 0;
	for (r = 0; r < DBG_UNWIND_NREGS; r++) {
		uint64_t v;

		if (dwarf_frame_register(fr, r, mem, &ops, &nops) < 0)
			continue;
		if (nops == 0) {
			if (ops == NULL && (ur->known & (1u << r))) { /* same value */
				caller->r[r] = ur->r[r];
				caller->known |= 1u << r;
			} else if (r == R_RA) { /* undefined */
				res = STEP_END_UNDEFINED;
			}
			continue;
		}
		if (!eval_ops(u, s, ops, nops, ur, cfa, &v, &isval))
			continue;
		if (!isval) {
			f->saved_mask |= 1u << r;
			f->saved_at[r] = v;
			if (!rd64(u, s, v, &v)) {
				if (r == R_RA)
					res = STEP_END_UNREADABLE;
				continue;
			}
		}
		caller->r[r] = v;
		caller->known |= 1u << r;
	}
	if (!cached)
		free(fr);
	/* The caller's rsp is the CFA (x86-64 psABI). */
	caller->r[R_RSP] = cfa;
	caller->known |= 1u << R_RSP;
	if (res == STEP_OK && !(caller->known & (1u << R_RA)))
		res = STEP_END_UNDEFINED;
	return res;
}

/* One frame up by the frame pointer (no CFI at pc). */
static enum step step_fp(struct dbg_unwind *u, struct dbg_session *s, bool innermost,
			 uint64_t func_addr, const struct uregs *ur, struct uregs *caller,
			 struct dbg_frame *f)
{
	uint64_t pc = ur->r[R_RA], sp = ur->r[R_RSP], bp = ur->r[R_RBP], ra, nbp;

	*caller = *ur;
	caller->known &= (1u << R_RBP) | (1u << 3) | (1u << 12) | (1u << 13) | (1u << 14) |
			 (1u << 15); /* the callee-saved ones */
	if (innermost && func_addr && pc == func_addr) {
		/* at the first instruction: nothing pushed yet */
		if (!rd64(u, s, sp, &ra))
			return STEP_END_UNREADABLE;
		f->cfa = sp + 8;
		f->saved_mask |= 1u << R_RA;
		f->saved_at[R_RA] = sp;
	} else {
		if (!(ur->known & (1u << R_RBP)) || bp == 0 || bp < sp)
			return STEP_END_UNDEFINED;
		if (!rd64(u, s, bp + 8, &ra) || !rd64(u, s, bp, &nbp))
			return STEP_END_UNREADABLE;
		f->cfa = bp + 16;
		f->saved_mask |= (1u << R_RA) | (1u << R_RBP);
		f->saved_at[R_RA] = bp + 8;
		f->saved_at[R_RBP] = bp;
		caller->r[R_RBP] = nbp;
		caller->known |= 1u << R_RBP;
	}
	caller->r[R_RA] = ra;
	caller->r[R_RSP] = f->cfa;
	caller->known |= (1u << R_RA) | (1u << R_RSP);
	return STEP_OK;
}

/* The M whose g0 or gsignal g is, with a goroutine of its own to go on to. */
static const struct dbg_rt_g *system_stack_curg(const struct dbg_rt *rt, uint64_t g)
{
	size_t i;

	if (!rt || !g)
		return NULL;
	for (i = 0; i < rt->nms; i++) {
		const struct dbg_rt_m *m = &rt->ms[i];

		if ((m->g0 == g || m->gsignal == g) && m->curg && m->curg != g)
			return dbg_rt_find_g(rt, m->curg);
	}
	return NULL;
}

/* Whether func is name, or its ABI0 wrapper "name.abi0" (Go's assembly). */
static bool is_func(const char *func, const char *name)
{
	size_t n = strlen(name);

	return func && strncmp(func, name, n) == 0 &&
	       (func[n] == '\0' || strcmp(func + n, ".abi0") == 0);
}

static bool leaves_goroutine(const char *func)
{
	return is_func(func, "runtime.systemstack") || is_func(func, "runtime.mcall") ||
	       is_func(func, "runtime.morestack");
}

/* The functions at the top of every stack (Go's TOPFRAME): nothing called
 * them, though Go's CFI does not say so. */
static bool top_frame(const char *func)
{
	return is_func(func, "runtime.rt0_go") || is_func(func, "runtime.mstart") ||
	       is_func(func, "runtime.goexit");
}

static int64_t goid_of(const struct dbg_rt *rt, uint64_t g)
{
	const struct dbg_rt_g *gg = rt && g ? dbg_rt_find_g(rt, g) : NULL;

	if (!gg || (rt && gg->addr == rt->g0))
		return -1;
	/* an M's g0 or gsignal has no goroutine of its own */
	for (size_t i = 0; i < rt->nms; i++)
		if (rt->ms[i].g0 == g || rt->ms[i].gsignal == g)
			return -1;
	return gg->goid;
}

/* Whether pc is a signal's return trampoline: `mov $15,%rax; syscall`
 * (rt_sigreturn), libc's __restore_rt and Go's runtime.sigreturn alike. */
static bool is_sigreturn(struct dbg_session *s, uint64_t pc)
{
	static const uint8_t code[9] = { 0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05 };
	uint8_t b[9];

	if (!pc)
		return false;
	/* In the program's own text the file says (no read of the process):
	 * text is mapped read-only, and the breakpoints are hidden by the
	 * session's read anyway. */
	const struct dbg_elf *e = dbg_session_elf(s);
	for (size_t i = 0, n = e ? dbg_elf_nsegments(e) : 0; i < n; i++) {
		const struct dbg_segment *sg = dbg_elf_segment(e, i);
		if (sg->type == PT_LOAD && (sg->flags & PF_X) && pc >= sg->vaddr &&
		    pc - sg->vaddr + sizeof(b) <= sg->filesz) {
			if (dbg_elf_read(e, pc, b, sizeof(b), NULL) == 0 &&
			    memcmp(b, code, sizeof(b)) != 0)
				return false;
			break;
		}
	}
	return dbg_session_read(s, pc, b, sizeof(b), NULL) == 0 && memcmp(b, code, sizeof(b)) == 0;
}

/*
 * The registers the kernel saved when it delivered the signal: the
 * ucontext the trampoline's rsp points at (uc_flags, uc_link, uc_stack,
 * then the general registers of uc_mcontext, r8 … r15, rdi, rsi, rbp,
 * rbx, rdx, rax, rcx, rsp, rip).
 */
static bool signal_regs(struct dbg_session *s, uint64_t sp, struct uregs *out)
{
	/* DWARF numbers of gregs[0..16] */
	static const int order[17] = { 8, 9, 10, 11, 12, 13, 14, 15, 5, 4, 6, 3, 1, 0, 2, 7, 16 };
	uint64_t gregs[17];
	int i;

	if (dbg_session_read(s, sp + 40, gregs, sizeof(gregs), NULL) < 0)
		return false;
	for (i = 0; i < 17; i++)
		out->r[order[i]] = gregs[i];
	out->known = (1u << DBG_UNWIND_NREGS) - 1;
	return true;
}

/* The g a signal interrupted on the M whose gsignal g is: its goroutine
 * when sp is on that goroutine's stack, else its g0. */
static uint64_t interrupted_g(const struct dbg_rt *rt, uint64_t g, uint64_t sp)
{
	size_t i;

	if (!rt || !g)
		return 0;
	for (i = 0; i < rt->nms; i++) {
		const struct dbg_rt_m *m = &rt->ms[i];
		const struct dbg_rt_g *cg;

		if (m->gsignal != g)
			continue;
		cg = m->curg ? dbg_rt_find_g(rt, m->curg) : NULL;
		if (cg && sp >= cg->stack_lo && sp < cg->stack_hi)
			return cg->addr;
		return m->g0;
	}
	return g;
}

int dbg_unwind_frames(struct dbg_unwind *u, struct dbg_session *s, const struct dbg_regs *regs,
		      uint64_t g, const struct dbg_rt *rt, struct dbg_frame *out, size_t max,
		      struct dbg_err *err)
{
	uint64_t bias = dbg_elf_bias(dbg_session_elf(s));
	struct uregs cur, caller;
	enum dbg_frame_how how = DBG_FRAME_INNER;
	bool switched = false, exact = true;
	int64_t goid = goid_of(rt, g);
	size_t n = 0;
	int rc;

	if (max == 0)
		abort();
	rc = open_image(u, s, err);
	if (rc < 0)
		return rc;
	mc_reset(u);
	from_regs(&cur, regs);
	for (;;) {
		struct dbg_frame *f = &out[n];
		const struct dbg_sym *sym;
		uint64_t pc = cur.r[R_RA];
		enum step st;

		memset(f, 0, sizeof(*f));
		f->pc = pc;
		f->sp = cur.r[R_RSP];
		f->bp = cur.known & (1u << R_RBP) ? cur.r[R_RBP] : 0;
		f->how = how;
		f->goid = goid;
		f->g = g;
		/* a return address may be past the end of a call that does not
		 * return: the caller is the function holding pc - 1 */
		sym = dbg_session_sym_at(s, exact || pc == 0 ? pc : pc - 1);
		if (sym && sym->kind == DBG_SYM_FUNC) {
			f->func = sym->name;
			f->func_addr = sym->addr;
		}
		if (!exact && is_sigreturn(s, pc)) {
			/* the handler returned into the trampoline: pc is exact */
			sym = dbg_session_sym_at(s, pc);
			f->func = sym && sym->kind == DBG_SYM_FUNC ? sym->name : NULL;
			f->func_addr = f->func ? sym->addr : 0;
			f->signal = true;
		}
		n++;
		if (n == max)
			break;
		if (f->signal) {
			if (!signal_regs(s, f->sp, &cur)) {
				f->stop_why = "cannot read the signal's context";
				break;
			}
			f->caller_pc = cur.r[R_RA];
			how = DBG_FRAME_SIGNAL;
			g = interrupted_g(rt, g, cur.r[R_RSP]);
			goid = goid_of(rt, g);
			exact = true; /* the interrupted instruction itself */
			continue;
		}
		/* A return address is past the call: its CFI is at pc - 1. */
		st = step_cfi(u, s, bias, exact ? pc : pc - 1, &cur, &caller, f);
		if (st == STEP_NOCFI) {
			f->cfa = 0;
			f->saved_mask = 0;
			st = step_fp(u, s, n == 1, f->func_addr, &cur, &caller, f);
			how = DBG_FRAME_FP;
		} else {
			how = DBG_FRAME_CFI;
		}
		if (!switched && leaves_goroutine(f->func)) {
			const struct dbg_rt_g *cg = system_stack_curg(rt, g);

			if (cg && cg->sched_sp) {
				f->caller_pc = cg->sched_pc;
				memset(&cur, 0, sizeof(cur));
				cur.r[R_RA] = cg->sched_pc;
				cur.r[R_RSP] = cg->sched_sp;
				cur.r[R_RBP] = cg->sched_bp;
				cur.known = (1u << R_RA) | (1u << R_RSP) | (1u << R_RBP);
				how = DBG_FRAME_GSWITCH;
				g = cg->addr;
				goid = cg->goid;
				switched = true;
				exact = true; /* a saved pc, not a return address */
				continue;
			}
		}
		if (st == STEP_END_UNDEFINED || top_frame(f->func)) {
			f->stop_why = "outermost";
			break;
		}
		if (st == STEP_END_UNREADABLE) {
			f->stop_why = "cannot read the return address";
			break;
		}
		if (caller.r[R_RA] == 0) {
			f->stop_why = "return address 0";
			break;
		}
		if (caller.r[R_RSP] <= cur.r[R_RSP]) {
			f->stop_why = "previous frame inner to this frame";
			break;
		}
		f->caller_pc = caller.r[R_RA];
		cur = caller;
		exact = false;
	}
	return (int)n;
}
