/*
 * stages — the boot-stage catalog of a Go-style binary, in boot order.
 *
 * Works from ELF symbols and the decoded code of runtime.rt0_go only, so it
 * serves the bundled runtime and a real `go build` binary alike:
 *
 *   ld.so              a dynamic binary's first instruction: the loader
 *   _rt0_amd64_linux   the ELF entry of a Go-linked binary
 *   _start  main       the ELF entry and C main of a binary linked by the
 *                      C toolchain (cgo): libc starts first
 *   _rt0_amd64
 *   runtime.rt0_go
 *   rt0_go.g0_stack    first store into runtime.g0 (its stack bounds)
 *   rt0_go.cpuid       first cpuid
 *   rt0_go.cgo_init    the call through _cgo_init (cgo binaries only)
 *   rt0_go.settls      the call to runtime.settls (not in cgo binaries)
 *   runtime.settls     (not in cgo binaries)
 *   rt0_go.tls_check   the store of 0x123 through fs (not in cgo binaries)
 *   rt0_go.wire        the next store to g's slot (&g0)
 *   runtime.check  runtime.args  runtime.osinit  runtime.schedinit
 *   runtime.newproc  runtime.mstart  runtime.schedule
 *   runtime.findRunnable (or runtime.findrunnable)
 *   runtime.execute  runtime.gogo  runtime.main  main.main  runtime.exit
 *
 * A cgo binary is one whose rt0_go calls through a pointer that is set in
 * the file (_cgo_init = x_cgo_init): rt0_go then never runs settls or the
 * 0x123 check, and those stages are left out. The sub-stages are found by
 * what the instructions do (a store of 0x123 through fs, by displacement
 * or through a register holding a constant), so the g slot's offset from
 * fs_base is learnt on the way (tls_g, unless the ELF file says it). Where a check reads differently in
 * a dynamic or a cgo binary (fs_base set by ld.so, g in libc's TLS block),
 * the stage carries that text.
 *
 * Function stages sit at the function's first instruction (NAME preferred
 * over NAME.abi0); rt0_go.* sub-stages at the matching instruction. A stage
 * whose symbol or pattern is missing is left out; the catalog keeps boot
 * order. Short names are accepted everywhere: "schedinit" =
 * "runtime.schedinit", "wire" = "rt0_go.wire", "findrunnable" =
 * "runtime.findRunnable"; matching is case-sensitive except that
 * findRunnable/findrunnable are one stage.
 *
 * Thread-event stages mark where an M's life changes rather than a step
 * of the boot; they are kept apart from the boot order (st->thread), are
 * found by symbol the same way, and break accepts their names:
 *
 *   clone         runtime.clone: newosproc creates a new M's thread
 *   sysmon        runtime.sysmon: the system monitor starts on its own M
 *   entersyscall  runtime.entersyscall: a goroutine leaves its P for the kernel
 *   exitsyscall   runtime.exitsyscall: back from the kernel, it needs a P
 *   steal         runtime.runqsteal: an M takes half of another P's queue
 */
#ifndef DBG_STAGES_H
#define DBG_STAGES_H

#include <stddef.h>
#include <stdint.h>

#include "disasm.h"
#include "elf.h"
#include "err.h"

struct dbg_stage {
	const char *name;   /* catalog name: "runtime.schedinit", "rt0_go.wire" */
	const char *symbol; /* ELF symbol it was found in: "runtime.rt0_go.abi0" */
	uint64_t addr;      /* run-time address of its first instruction */
	const char *check;  /* one line: what a student can check there */
};

struct dbg_stages {
	struct dbg_stage *v; /* boot order */
	size_t n;
	size_t *by_addr;          /* indices of v sorted by address (internal) */
	uint64_t filter[4];       /* a bit per hash of each stage address, so that
				     most other addresses are told apart without
				     the search (internal) */
	struct dbg_stage *thread; /* thread-event stages, catalog order */
	size_t nthread;
	bool cgo;      /* rt0_go calls _cgo_init and skips settls */
	int64_t tls_g; /* g's slot relative to fs_base: runtime.tlsg in the
			     PT_TLS block (dbg_elf_tls_g), else the slot of
			     rt0_go's 0x123 check, else -8 */
};

/*
 * Build the catalog for elf (run-time addresses: set the ELF bias first, or
 * rebuild after it changes). Decodes rt0_go from the file image.
 * interp_entry is the run-time address of the dynamic loader's first
 * instruction, 0 when unknown (not started yet) or none. Only
 * allocation failure is an error; missing stages are simply absent.
 */
int dbg_stages_build(struct dbg_stages *st, const struct dbg_elf *elf, struct dbg_disasm *dis,
		     uint64_t interp_entry, struct dbg_err *err);
void dbg_stages_release(struct dbg_stages *st);

/* Index of the stage named name (full or short name), or -1. */
int dbg_stages_find(const struct dbg_stages *st, const char *name);

/* Index of the stage whose address is exactly addr, or -1 (binary search).
 * When two stages share an address, the later in boot order. */
int dbg_stages_at(const struct dbg_stages *st, uint64_t addr);

/* Index in st->thread of the thread-event stage named name ("steal",
 * or its symbol "runtime.runqsteal", with or without .abi0), or -1. */
int dbg_stages_thread_find(const struct dbg_stages *st, const char *name);

/* Index in st->thread of the thread-event stage at exactly addr, or -1. */
int dbg_stages_thread_at(const struct dbg_stages *st, uint64_t addr);

/*
 * Up to max catalog names nearest to an unknown name (edit distance on the
 * full and the short name; closest first) into out. Returns the count.
 * Used for "no stage 'schedinti'; did you mean runtime.schedinit?".
 */
size_t dbg_stages_suggest(const struct dbg_stages *st, const char *name, const char **out,
			  size_t max);

/* The short form of a catalog name: "schedinit", "wire", "_rt0_amd64". */
const char *dbg_stage_short(const char *name);

/* Every catalog name in boot order (present in the binary or not). */
extern const char *const dbg_stage_catalog[];
extern const size_t dbg_stage_catalog_len;

/* Every thread-event stage name, in catalog order. */
extern const char *const dbg_thread_stage_catalog[];
extern const size_t dbg_thread_stage_catalog_len;

#endif
