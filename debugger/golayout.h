/*
 * golayout — the offsets of the Go runtime's g, m, p and schedt that the
 * G/M/P decoder (rt) reads, per Go release, for binaries without DWARF
 * (`go build -ldflags=-w` keeps the symbols and drops the types).
 *
 * Each entry holds, for one release on linux/amd64, the size of each of
 * the four structs and the offset and size of each field of
 * dbg_gofields: the same fields, by the same paths, that rt resolves
 * through DWARF when the binary has it (an atomic wrapper such as
 * atomic.Uint32 stands for its `value`). The numbers were read from the
 * DWARF of programs built by each release's toolchain, the structs being
 * those of src/runtime/runtime2.go at that release; tests/go/layout.py
 * checks them against the DWARF of the toolchains found on the machine.
 * tests/go/gosrclayout.py computes the same numbers from a release's
 * sources alone (Go's size and alignment rules, for a release whose
 * toolchain cannot be run), and tests/go/srclayout.py checks that it
 * reproduces the table from the sources of the toolchains on the machine
 * (go1.19, go1.21, go1.22 and go1.23 here).
 *
 *   const struct dbg_golayout *t = dbg_golayout_find(dbg_elf_go_version(e));
 *   if (t) off = t->f[DBG_GOF_G_GOID].off;
 *
 * Pure data: no I/O, no allocation.
 */
#ifndef DBG_GOLAYOUT_H
#define DBG_GOLAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "dwarf.h"

enum dbg_gostruct { DBG_GO_G, DBG_GO_M, DBG_GO_P, DBG_GO_SCHEDT, DBG_GO_NSTRUCT };

enum dbg_gofield {
	DBG_GOF_G_STACK_LO,
	DBG_GOF_G_STACK_HI,
	DBG_GOF_G_M,
	DBG_GOF_G_SCHED_PC,
	DBG_GOF_G_SCHED_SP,
	DBG_GOF_G_SCHED_BP,
	DBG_GOF_G_STATUS,
	DBG_GOF_G_GOID,
	DBG_GOF_G_SCHEDLINK,
	DBG_GOF_G_STARTPC,
	DBG_GOF_M_ID,
	DBG_GOF_M_PROCID,
	DBG_GOF_M_G0,
	DBG_GOF_M_CURG,
	DBG_GOF_M_P,
	DBG_GOF_M_GSIGNAL,
	DBG_GOF_M_TLS0,
	DBG_GOF_M_ALLLINK,
	DBG_GOF_M_OLDP,
	DBG_GOF_M_NEXTP,
	DBG_GOF_M_MSTARTFN,
	DBG_GOF_M_SPINNING,
	DBG_GOF_M_SCHEDLINK,
	DBG_GOF_P_ID,
	DBG_GOF_P_STATUS,
	DBG_GOF_P_M,
	DBG_GOF_P_RUNQHEAD,
	DBG_GOF_P_RUNQTAIL,
	DBG_GOF_P_RUNQ,
	DBG_GOF_P_RUNNEXT,
	DBG_GOF_P_SCHEDTICK,
	DBG_GOF_P_LINK,
	DBG_GOF_S_GOIDGEN,
	DBG_GOF_S_RUNQHEAD,
	DBG_GOF_S_RUNQSIZE,
	DBG_GOF_S_PIDLE,
	DBG_GOF_S_NPIDLE,
	DBG_GOF_S_MIDLE,
	DBG_GOF_S_NMIDLE,
	DBG_GOF_S_NMSPINNING,
	DBG_GOF_S_NMSYS,
	DBG_GOF_S_MNEXT,
	DBG_GOF_G_LOCKEDM,
	DBG_GOF_M_LOCKEDG,
	DBG_GOF_COUNT
};

/* Which struct a field is in and its path there ("sched.pc", "tls[0]"). */
struct dbg_gofield_desc {
	enum dbg_gostruct in;
	const char *path;
};
extern const struct dbg_gofield_desc dbg_gofields[DBG_GOF_COUNT];

/* The DWARF names of the structs: "runtime.g" … */
extern const char *const dbg_gostruct_names[DBG_GO_NSTRUCT];

struct dbg_golayout {
	const char *release; /* "go1.19" */
	/* the structs as types of their size and name, without members,
	 * for code that reads objects by their dbg_type */
	struct dbg_type types[DBG_GO_NSTRUCT];
	uint64_t p_runq_len; /* entries of p.runq */
	struct dbg_gofield_off {
		uint32_t off, size;
	} f[DBG_GOF_COUNT];
};

/* The entry for the release of go_version ("go1.19.8", "go1.22",
 * "go1.21rc2": major.minor decides), or NULL (NULL, not "goN.M…", or a
 * release the table lacks). */
const struct dbg_golayout *dbg_golayout_find(const char *go_version);

/* The entries, oldest release first. */
size_t dbg_golayout_count(void);
const struct dbg_golayout *dbg_golayout_at(size_t i);

/* The releases covered, for messages: "go1.19, go1.21, go1.22, …". Static. */
const char *dbg_golayout_releases(void);

#endif
