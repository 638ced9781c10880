/*
 * lines — source lines from DWARF line tables (libdw's dwarf_getsrclines),
 * and the source files they name.
 *
 * The rows of the compilation units are read into one table sorted by
 * address (on the dwarf handle's own Dwarf) as look-ups need them: the
 * row of a pc reads the unit whose address ranges hold it (the first stop
 * of a go1.19 hello reads one unit of 45), a file name every unit, in
 * unit order, as if the table were read at once (so are all of them when
 * a pc lies in no unit's ranges, or ranges overlap). A look-up is then a
 * binary search. Addresses given and returned are run-time addresses
 * (link-time + the dwarf handle's bias, dbg_dwarf_set_bias).
 *
 * The row of a pc is chosen as gdb does: the last row at or below pc (at
 * one address, a statement row is preferred to a non-statement one), and
 * its range ends at the next row above it. A gap between sequences has no
 * line.
 *
 *   struct dbg_lines *l;
 *   dbg_lines_open(&l, dwarf, &err);
 *   struct dbg_line ln;
 *   if (dbg_lines_at(l, pc, &ln)) ... ln.file, ln.line, ln.addr .. ln.end
 *
 * Source files: dbg_lines_source() finds a DWARF file name on disk and
 * keeps its text (per image, until dbg_lines_forget_sources). The name is
 * tried as written after the substitutions (gdb's substitute-path: the
 * first rule whose FROM is a leading part of the name, ending at a '/');
 * for a Go binary, a name whose part before "/src/" is a GOROOT that is
 * not on this machine is tried in the local GOROOT (dbg_lines_goroot).
 */
#ifndef DBG_LINES_H
#define DBG_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dwarf.h"
#include "err.h"

struct dbg_lines; /* opaque */

struct dbg_line {
	const char *file; /* the DWARF path (directory joined), valid as
			     long as the dbg_lines */
	unsigned line;    /* 1-based */
	unsigned col;     /* 0: unknown */
	bool is_stmt;
	bool asm_source;    /* the unit is assembly (gdb skips no prologue) */
	uint64_t addr, end; /* the row's range [addr, end) */
};

/* The line tables of d, read as needed (see top): 0, -ENODATA "no line
 * table in the DWARF of PATH" (no unit has one), or another negative
 * errno. l keeps d, which must outlive it. */
int dbg_lines_open(struct dbg_lines **out, struct dbg_dwarf *d, struct dbg_err *err);
void dbg_lines_free(struct dbg_lines *l);

/* The row of pc (see top): true with *out filled, false without a line. */
bool dbg_lines_at(const struct dbg_lines *l, uint64_t pc, struct dbg_line *out);

/*
 * The statement rows of FILE:LINE: file matches a DWARF name that equals
 * it or ends with "/FILE". When no row has that line, the nearest line
 * after it that has rows is taken (as gdb). Up to max addresses, sorted
 * ascending, into addrs; returns their count (0: none), *line_out the line
 * taken and *file_out the first matching DWARF name (NULL when no file
 * matched at all).
 */
size_t dbg_lines_find(const struct dbg_lines *l, const char *file, unsigned line, uint64_t *addrs,
		      size_t max, unsigned *line_out, const char **file_out);

/* The first row in [lo, hi) marked as the end of a prologue (run-time
 * address), or 0. */
uint64_t dbg_lines_prologue_end(const struct dbg_lines *l, uint64_t lo, uint64_t hi);

/* Whether some DWARF file name matches file as dbg_lines_find matches it;
 * *full (optional) the first. */
bool dbg_lines_has_file(const struct dbg_lines *l, const char *file, const char **full);

/* ---- source files -------------------------------------------------------- */

struct dbg_subst {
	const char *from, *to;
};

struct dbg_source {
	const char *file; /* the DWARF name asked for */
	const char *path; /* where it was found; when not found, the path
			     tried last */
	bool found;
	size_t nlines;
};

/*
 * The source file of DWARF name file, found as the top says with the
 * rules subst[0..nsubst) and, when go_version is not NULL (a Go binary),
 * the local GOROOT. Always fills *out (cached: valid until the next
 * dbg_lines_forget_sources or the dbg_lines' end); returns 0 when found,
 * else -ENOENT with "cannot find source file FILE (tried PATH)".
 */
int dbg_lines_source(struct dbg_lines *l, const char *file, const struct dbg_subst *subst,
		     size_t nsubst, const char *go_version, const struct dbg_source **out,
		     struct dbg_err *err);

/* Line n (1-based) of a found source, without its newline: its text and
 * *len, or NULL past the end. */
const char *dbg_source_line(const struct dbg_source *src, size_t n, size_t *len);

/* Drop the cached sources (the substitutions changed). */
void dbg_lines_forget_sources(struct dbg_lines *l);

/*
 * The local GOROOT for a binary built by go_version ("go1.19.8"): found
 * once per process from `go env GOROOT` (when go is on PATH) and the
 * installed /usr/lib/go-* and /usr/share/go-* trees, preferring the one
 * whose VERSION names the same release, then the same major version, then
 * go env's. NULL when there is none.
 */
const char *dbg_lines_goroot(const char *go_version);

#endif
