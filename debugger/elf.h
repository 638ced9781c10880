/*
 * elf — an ELF executable through libelf: header facts, sections, segments,
 * and the symbol table.
 *
 * dbg_elf_open() maps the file (ELF_C_READ_MMAP), checks it is a 64-bit
 * x86-64 executable, and loads FUNC and OBJECT symbols (plus untyped
 * symbols in executable sections, which hand-written assembly often has)
 * from .symtab — or, when the file is stripped, from a Go binary's
 * pclntab, else .dynsym — once, sorted by address. Look-ups are binary
 * searches.
 *
 * Addresses: every address this module returns or accepts is a run-time
 * address = link-time address + bias. The bias is 0 for ET_EXEC files and
 * for a PIE before it is loaded; the session sets it once the process runs
 * (dbg_elf_set_bias).
 *
 * Go naming: assembly functions carry ".abi0" (runtime.rt0_go.abi0) and Go
 * functions called from assembly have both NAME and a NAME.abi0 wrapper.
 * Name look-ups accept NAME for NAME.abi0 and prefer the real body NAME when
 * both exist.
 */
#ifndef DBG_ELF_H
#define DBG_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct dbg_elf; /* opaque */

enum dbg_sym_kind {
	DBG_SYM_FUNC,   /* STT_FUNC, or untyped in an executable section */
	DBG_SYM_OBJECT, /* STT_OBJECT (and STT_TLS/COMMON) */
};

struct dbg_sym {
	const char *name; /* owned by the dbg_elf */
	uint64_t addr;    /* run-time address */
	uint64_t size;    /* st_size; 0 for labels of unknown extent */
	enum dbg_sym_kind kind;
	bool global; /* STB_GLOBAL or STB_WEAK */
};

struct dbg_section {
	const char *name; /* ".text" */
	uint32_t type;    /* SHT_* */
	uint64_t flags;   /* SHF_* (SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE …) */
	uint64_t addr;    /* run-time address (0 when not allocated) */
	uint64_t size;
	uint64_t offset; /* file offset */
};

struct dbg_segment {
	uint32_t type;   /* PT_* */
	uint32_t flags;  /* PF_R | PF_W | PF_X */
	uint64_t offset; /* file offset */
	uint64_t vaddr;  /* run-time address */
	uint64_t filesz, memsz, align;
};

/*
 * Open path. Errors (negative errno, message naming the path):
 * missing file, a directory, not an ELF file, truncated, 32-bit,
 * not x86-64, not an executable (relocatable object or core).
 */
int dbg_elf_open(struct dbg_elf **out, const char *path, struct dbg_err *err);

/*
 * An ELF image held in memory (the vDSO the kernel maps into a process,
 * read from its memory): the bytes are copied, libelf reads the copy
 * (elf_memory), and name stands for the path in messages and
 * messages. Same checks and tables as dbg_elf_open; its symbols come
 * from .dynsym when it has no .symtab. Set its bias to place it.
 */
int dbg_elf_open_image(struct dbg_elf **out, const char *name, const void *bytes, size_t n,
		       struct dbg_err *err);
void dbg_elf_free(struct dbg_elf *e);

uint64_t dbg_elf_entry(const struct dbg_elf *e);     /* run-time e_entry */
bool dbg_elf_is_pie(const struct dbg_elf *e);        /* ET_DYN */
const char *dbg_elf_interp(const struct dbg_elf *e); /* PT_INTERP path or NULL */
bool dbg_elf_has_symtab(const struct dbg_elf *e);    /* .symtab (not only .dynsym) */

/* Without .symtab, a Go binary's function names and ranges come from its
 * own function table (pclntab.h: .gopclntab, or found by its header in a
 * read-only segment): then 118 or 120, the Go release whose table format
 * it has (go1.18/1.19, or go1.20 and later); else 0. */
int dbg_elf_pclntab(const struct dbg_elf *e);

/* The Go release that built the file, from its build info (the
 * .go.buildinfo blob that `go version FILE` reads): "go1.19.8"; NULL when
 * the file has none (not built by Go, or the blob is unreadable). */
const char *dbg_elf_go_version(const struct dbg_elf *e);

/* Where Go's g slot sits relative to the thread pointer (fs_base), when
 * the file says: runtime.tlsg, Go's TLS symbol, at its offset in the
 * PT_TLS block that libc's loader puts right below the thread pointer.
 * -0x10 for a cgo binary whose C code has 8 bytes of thread-locals, -8
 * when Go's slot is the whole block. 0, or -ENOENT (no runtime.tlsg or no
 * PT_TLS segment: a statically linked Go binary sets fs_base itself, and
 * its g is at fs:-8). */
int dbg_elf_tls_g(const struct dbg_elf *e, int64_t *off);

/* Load bias: run-time minus link-time addresses. */
void dbg_elf_set_bias(struct dbg_elf *e, uint64_t bias);
uint64_t dbg_elf_bias(const struct dbg_elf *e);

/* Sections in file order (index 0 = SHN_UNDEF is included, with name ""). */
size_t dbg_elf_nsections(const struct dbg_elf *e);
const struct dbg_section *dbg_elf_section(const struct dbg_elf *e, size_t i);
const struct dbg_section *dbg_elf_section_by_name(const struct dbg_elf *e, const char *name);
/* The allocated section containing addr, or NULL. */
const struct dbg_section *dbg_elf_section_at(const struct dbg_elf *e, uint64_t addr);

/* Program headers in file order. */
size_t dbg_elf_nsegments(const struct dbg_elf *e);
const struct dbg_segment *dbg_elf_segment(const struct dbg_elf *e, size_t i);

/* Symbols sorted by address (ties: real names before .abi0, then by name). */
size_t dbg_elf_nsyms(const struct dbg_elf *e);
const struct dbg_sym *dbg_elf_sym(const struct dbg_elf *e, size_t i);

/*
 * The symbol named name (exact, or name + ".abi0"); when both NAME and
 * NAME.abi0 exist, NAME. NULL when absent.
 */
const struct dbg_sym *dbg_elf_find(const struct dbg_elf *e, const char *name);

/* dbg_elf_find's address: 0 or -ENOENT. */
int dbg_elf_lookup(const struct dbg_elf *e, const char *name, uint64_t *addr);

/*
 * The symbol containing addr: addr in [sym.addr, sym.addr + size); for a
 * size-0 symbol, the nearest one at or below addr within the same section.
 * Functions are preferred over objects at the same address, and NAME over
 * NAME.abi0. NULL when none.
 */
const struct dbg_sym *dbg_elf_sym_at(const struct dbg_elf *e, uint64_t addr);

/*
 * Write "runtime.rt0_go+0x4c" ("runtime.rt0_go" at offset 0) into buf (size
 * n, always NUL-terminated). Returns 0, or -ENOENT with "0x4010a0" written
 * when no symbol contains addr.
 */
int dbg_elf_symbolize(const struct dbg_elf *e, uint64_t addr, char *buf, size_t n);

/*
 * Copy n bytes of the file image at run-time address addr (from a section
 * with file contents; .bss reads as zeros). For disassembly before the
 * process runs. 0, or -EFAULT "cannot read 0x... from FILE: not in a section".
 */
int dbg_elf_read(const struct dbg_elf *e, uint64_t addr, void *buf, size_t n, struct dbg_err *err);

#endif
