/*
 * pclntab — Go's own function table, which every Go binary keeps for its
 * runtime (tracebacks, stack maps) even when the symbol table is stripped
 * (go build -ldflags=-s, strip): the .gopclntab section, or the pcHeader
 * that runtime.pclntab points to. This module reads the go1.18 and later
 * layouts (src/runtime/symtab.go at those releases):
 *
 *   pcHeader  magic u32 (0xfffffff0: go1.18, go1.19; 0xfffffff1: go1.20
 *             and later), pad u8 u8 (0, 0), minLC u8, ptrSize u8 (8),
 *             nfunc, nfiles, textStart, funcnameOffset, cuOffset,
 *             filetabOffset, pctabOffset, pclnOffset (8 bytes each;
 *             offsets from the pcHeader)
 *   functab   at pclnOffset: nfunc + 1 entries { entryoff u32, funcoff u32 }
 *             (entryoff from textStart; the last one ends the last function)
 *   _func     at pclnOffset + funcoff: entryoff u32, nameoff i32 (into the
 *             NUL-terminated names at funcnameOffset), …
 *
 * Pure: bytes in, functions out. Every offset is checked against the
 * buffer; a table that does not hold together is refused.
 */
#ifndef DBG_PCLNTAB_H
#define DBG_PCLNTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define DBG_PCLN_MAGIC_118 0xfffffff0u
#define DBG_PCLN_MAGIC_120 0xfffffff1u

/* Receives one function: its name (pointing into the buffer, valid as
 * long as it is), its entry (link-time address) and end. */
typedef void dbg_pcln_fn(void *arg, const char *name, uint64_t entry, uint64_t end);

/* Whether p (n bytes) starts like a pcHeader this module reads. */
bool dbg_pcln_is_header(const uint8_t *p, size_t n);

/*
 * Walk the table at p (n bytes, p at the pcHeader): fn (when not NULL) for
 * every function in entry order. Entries count from textStart, or from
 * text_hint where the file holds 0 there (a PIE relocates it at load: the
 * start of .text). The number of functions, or -EINVAL "the Go function
 * table is damaged (…)" / "… has an unknown format (magic 0x…)".
 * *go_since (optional) receives 118 or 120: the first release of its format.
 */
int dbg_pcln_walk(const uint8_t *p, size_t n, uint64_t text_hint, dbg_pcln_fn *fn, void *arg,
		  int *go_since, struct dbg_err *err);

#endif
