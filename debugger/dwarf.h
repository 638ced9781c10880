/*
 * dwarf — types and global variables from DWARF, through libdw.
 *
 * A small type model, built lazily from DIEs and kept for the life of the
 * dbg_dwarf: typedefs, const and volatile are resolved away (a typedef's
 * name is kept when the type it names is anonymous), so `kind` is always
 * one of the concrete kinds below. Types are interned by DIE, so pointer
 * equality means the same type.
 *
 * Names: Go names its types "runtime.g"; a C runtime names them "g". Every
 * look-up by name accepts both spellings ("g" finds "runtime.g" and
 * "runtime.g" finds "g").
 *
 * Global variables are found by address: C globals that carry Go's names in
 * ELF only through asm labels ("runtime.g0") have another DWARF name, so the
 * ELF symbol's address is matched against each variable's DW_OP_addr
 * location.
 *
 * Addresses given to and returned by this module are run-time addresses
 * (link-time + bias, see dbg_dwarf_set_bias).
 *
 * Compressed debug sections (SHF_COMPRESSED, .zdebug) are handled by libdw.
 */
#ifndef DBG_DWARF_H
#define DBG_DWARF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct dbg_dwarf; /* opaque */

enum dbg_type_kind {
	DBG_TYPE_VOID, /* no type / unknown: size 0 */
	DBG_TYPE_INT,  /* signed integer (and signed char) */
	DBG_TYPE_UINT, /* unsigned integer, uintptr, unsigned char */
	DBG_TYPE_BOOL,
	DBG_TYPE_FLOAT,
	DBG_TYPE_PTR,    /* target = pointee (DBG_TYPE_VOID for void *) */
	DBG_TYPE_STRUCT, /* fields */
	DBG_TYPE_UNION,  /* fields, all at offset 0 */
	DBG_TYPE_ARRAY,  /* target = element, count = elements (0 if unknown) */
	DBG_TYPE_ENUM,   /* size only; values read as integers */
	DBG_TYPE_FUNC,   /* a subroutine type (target of function pointers) */
};

struct dbg_field;

struct dbg_type {
	enum dbg_type_kind kind;
	const char *name;               /* "runtime.g", "g", "uint32", or NULL */
	uint64_t size;                  /* byte size (arrays: count * element) */
	const struct dbg_type *target;  /* PTR: pointee; ARRAY: element */
	uint64_t count;                 /* ARRAY: number of elements */
	const struct dbg_field *fields; /* STRUCT/UNION: members in order */
	size_t nfields;
};

struct dbg_field {
	const char *name; /* member name; "" for anonymous members */
	uint64_t offset;  /* byte offset in the enclosing struct */
	const struct dbg_type *type;
};

/*
 * Open the DWARF of the ELF file at path. Returns 0, or -ENODATA with
 * "PATH has no DWARF debug info" (the session still works without it), or
 * another negative errno. A file with DWARF sections is inflated and
 * opened by a worker thread while the caller goes on; the first function
 * here that needs libdw's handle waits for it (a handle libdw could not
 * open after all then answers as a file without types would).
 */
int dbg_dwarf_open(struct dbg_dwarf **out, const char *path, struct dbg_err *err);
void dbg_dwarf_free(struct dbg_dwarf *d);

void dbg_dwarf_set_bias(struct dbg_dwarf *d, uint64_t bias);
uint64_t dbg_dwarf_bias(const struct dbg_dwarf *d);

/* Whether the call frame information at run-time address pc says the
 * return address is undefined (`.cfi_undefined rip`): the function is the
 * outermost frame, which has no caller to return to (mstart). */
bool dbg_dwarf_outermost(struct dbg_dwarf *d, uint64_t pc);

/* libdw's handle of d, for the other DWARF readers of the engine (lines,
 * unwind); NULL when libdw could not open it. */
struct Dwarf *dbg_dwarf_libdw(struct dbg_dwarf *d);

/* A named struct type ("g" or "runtime.g"), or NULL. */
const struct dbg_type *dbg_dwarf_struct(struct dbg_dwarf *d, const char *name);

/* Any named type (struct, base type, typedef resolved), or NULL. */
const struct dbg_type *dbg_dwarf_type(struct dbg_dwarf *d, const char *name);

/*
 * Resolve a field path inside type t without following pointers:
 * "goid", "sched.sp", "tls[0]", "runq[3]", "stack.hi". Array indices are
 * not bounds-checked against unknown counts but are against known ones.
 * Fills *off (bytes from the start of t) and *ft (the field's type).
 * 0, or -ENOENT "no field 'x' in runtime.g" / -EINVAL for bad syntax.
 */
int dbg_type_field(const struct dbg_type *t, const char *path, uint64_t *off,
		   const struct dbg_type **ft, struct dbg_err *err);

/* The direct member of struct/union t named name, or NULL. */
const struct dbg_field *dbg_type_member(const struct dbg_type *t, const char *name);

/*
 * dbg_type_field on the struct named sname: offset and size of a field.
 * dbg_dwarf_field(d, "g", "sched.sp", &off, &size, err).
 */
int dbg_dwarf_field(struct dbg_dwarf *d, const char *sname, const char *path, uint64_t *off,
		    uint64_t *size, struct dbg_err *err);

/*
 * The type of the global variable located exactly at run-time address addr,
 * or NULL. *name (optional) receives its DWARF name.
 */
const struct dbg_type *dbg_dwarf_var_type(struct dbg_dwarf *d, uint64_t addr, const char **name);

/* Format a type for humans: "*runtime.g", "[6]uintptr", "struct g". */
void dbg_type_describe(const struct dbg_type *t, char *buf, size_t n);

#endif
