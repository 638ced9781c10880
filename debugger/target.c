/* target — the image and the live process as handles (see target.h). */
#include "target.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

const char *dbg_stop_reason_name(enum dbg_stop_reason r)
{
	switch (r) {
	case DBG_STOP_NONE:
		return "none";
	case DBG_STOP_ENTRY:
		return "entry";
	case DBG_STOP_STEP:
		return "step";
	case DBG_STOP_BREAKPOINT:
		return "breakpoint";
	case DBG_STOP_FINISH:
		return "finish";
	case DBG_STOP_UNTIL:
		return "until";
	case DBG_STOP_SIGNAL:
		return "signal";
	case DBG_STOP_EXITED:
		return "exited";
	case DBG_STOP_SIGNALED:
		return "signaled";
	case DBG_STOP_INTERRUPTED:
		return "interrupted";
	case DBG_STOP_NO_HISTORY:
		return "no-history";
	case DBG_STOP_WATCHPOINT:
		return "watchpoint";
	case DBG_STOP_SYSCALL:
		return "syscall";
	}
	return "none";
}

const char *dbg_target_path(const struct dbg_target *t)
{
	return t->image ? t->image : t->path;
}

const struct dbg_regs *dbg_target_regs(struct dbg_target *t)
{
	if (!t->live)
		return NULL;
	struct dbg_thread *th = dbg_ptrace_cur(&t->pt);
	return dbg_ptrace_regs(&t->pt, th, NULL) < 0 ? NULL : &th->regs;
}

int dbg_target_readv(struct dbg_target *t, const struct dbg_read *v, size_t n, struct dbg_err *err)
{
	if (!t->live)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	int rc = dbg_proc_readv(&t->mem, v, n, err);
	if (rc < 0)
		return rc;
	/* the sites' span checked here first: most reads (the stack, data)
	 * lie outside it */
	for (size_t i = 0; t->bps.nsites && i < n; i++)
		if (v[i].addr < t->bps.site_hi && v[i].addr + v[i].n > t->bps.site_lo)
			dbg_bps_hide(&t->bps, v[i].addr, v[i].buf, v[i].n);
	return 0;
}

int dbg_target_read(struct dbg_target *t, uint64_t addr, void *buf, size_t n, struct dbg_err *err)
{
	struct dbg_read v = { addr, buf, n };
	return dbg_target_readv(t, &v, 1, err);
}

int64_t dbg_target_tls_g(const struct dbg_target *t)
{
	/* worked out once per image, with its stages */
	return t->stages.v ? t->stages.tls_g : -8;
}

bool dbg_target_g_slot(const struct dbg_target *t, uint64_t fs_base, uint64_t *slot)
{
	int64_t off = dbg_target_tls_g(t);
	if (!fs_base || (off < 0 && fs_base < (uint64_t)-off))
		return false;
	*slot = fs_base + (uint64_t)off;
	return true;
}

size_t dbg_target_threads(struct dbg_target *t, struct dbg_thread_info *out, size_t max)
{
	if (!t->live)
		return 0;
	for (size_t i = 0; i < t->pt.nthreads && i < max; i++) {
		struct dbg_thread *th = &t->pt.threads[i];
		dbg_ptrace_regs(&t->pt, th, NULL);
		out[i] = (struct dbg_thread_info){
			.tid = th->tid,
			.rip = th->regs.rip,
			.fs_base = th->regs.fs_base,
			.current = i == t->pt.cur,
		};
		uint64_t slot;
		if (!dbg_target_g_slot(t, th->regs.fs_base, &slot) ||
		    dbg_target_read(t, slot, &out[i].g, sizeof(out[i].g), NULL) < 0)
			out[i].g = 0;
		/* orig_rax is the number inside a syscall; -1 (or an IRQ's
		 * negative vector) when stopped in user code */
		out[i].syscall = (int64_t)th->regs.orig_rax >= 0 ? (int64_t)th->regs.orig_rax : -1;
	}
	return t->pt.nthreads;
}

int dbg_target_insn(struct dbg_target *t, uint64_t pc, struct dbg_insn *in)
{
	uint8_t code[16];
	size_t len = sizeof(code);
	/* the instruction may end just before an unreadable page */
	size_t to_page = (size_t)(((pc | 0xfff) + 1) - pc);
	if (dbg_target_read(t, pc, code, len, NULL) < 0) {
		if (to_page >= len || dbg_target_read(t, pc, code, to_page, NULL) < 0)
			return -EFAULT;
		len = to_page;
	}
	return dbg_disasm_one(t->dis, code, len, pc, in, NULL);
}

bool dbg_target_stage_reached(const struct dbg_target *t, size_t i, uint64_t *steps)
{
	if (i >= t->stages.n || t->stage_steps[i] == DBG_NOT_REACHED)
		return false;
	if (steps)
		*steps = t->stage_steps[i] & ~DBG_STEPS_INEXACT;
	return true;
}

bool dbg_target_stage_exact(const struct dbg_target *t, size_t i)
{
	return i < t->stages.n && t->stage_steps[i] != DBG_NOT_REACHED &&
	       !(t->stage_steps[i] & DBG_STEPS_INEXACT);
}

unsigned dbg_target_stage_rank(const struct dbg_target *t, size_t i)
{
	return i < t->stages.n ? t->stage_rank[i] : 0;
}

int dbg_target_load_vdso(struct dbg_target *t, struct dbg_err *err)
{
	dbg_elf_free(t->vdso);
	t->vdso = NULL;
	t->vdso_lo = t->vdso_hi = 0;
	if (!t->live)
		return 0;
	uint64_t auxv[64][2], base = 0;
	int na = dbg_proc_auxv(t->pt.pid, auxv, 64, NULL);
	for (int i = 0; i < na; i++)
		if (auxv[i][0] == AT_SYSINFO_EHDR)
			base = auxv[i][1];
	if (!base)
		return 0;
	struct dbg_map *maps = NULL;
	size_t nmaps = 0;
	int rc = dbg_proc_maps(t->pt.pid, &maps, &nmaps, err);
	if (rc < 0)
		return rc;
	const struct dbg_map *m = dbg_proc_map_at(maps, nmaps, base);
	uint64_t end = m ? m->end : 0;
	free(maps);
	if (!m || end - base > (64u << 20))
		return dbg_err_set(err, -ENOENT, "no mapping holds the vDSO at 0x%" PRIx64, base);
	size_t n = (size_t)(end - base);
	void *bytes = malloc(n);
	if (!bytes)
		return dbg_err_errno(err, -ENOMEM, "cannot read the vDSO");
	rc = dbg_proc_read(&t->mem, base, bytes, n, err);
	struct dbg_elf *e = NULL;
	if (rc == 0)
		rc = dbg_elf_open_image(&e, "[vdso]", bytes, n, err);
	free(bytes);
	if (rc < 0)
		return rc;
	/* placed where the kernel mapped its first byte: the bias of the
	 * segment that holds the ELF header */
	uint64_t link = 0;
	for (size_t i = 0; i < dbg_elf_nsegments(e); i++) {
		const struct dbg_segment *g = dbg_elf_segment(e, i);
		if (g->type == PT_LOAD && g->offset == 0) {
			link = g->vaddr;
			break;
		}
	}
	dbg_elf_set_bias(e, base - link);
	t->vdso = e;
	t->vdso_lo = base;
	t->vdso_hi = end;
	return 0;
}

const struct dbg_elf *dbg_target_elf_at(const struct dbg_target *t, uint64_t addr)
{
	if (t->vdso && addr >= t->vdso_lo && addr < t->vdso_hi)
		return t->vdso;
	return t->elf;
}

const struct dbg_sym *dbg_target_sym_at(const struct dbg_target *t, uint64_t addr)
{
	return dbg_elf_sym_at(dbg_target_elf_at(t, addr), addr);
}

int dbg_target_symbolize(const struct dbg_target *t, uint64_t addr, char *buf, size_t n)
{
	return dbg_elf_symbolize(dbg_target_elf_at(t, addr), addr, buf, n);
}
