/*
 * changeset — what one recorded step changed, by name: each memory write of
 * the step (timeline.h: dbg_tl_step_ranges) placed in the object that
 * holds it and split into the leaf fields whose bytes changed, with the
 * field's bytes before and after the step.
 *
 * An address is named by, in this order:
 *   - the runtime's objects in a decoded dbg_rt: every g ("g1", "g0",
 *     "m1.g0"), m ("m0"), p ("p0") and the scheduler ("sched"), typed by
 *     DWARF's struct g, m, p and schedt: "p0.runnext", "g1.atomicstatus",
 *     "m0.tls[0]", "sched.runqsize";
 *   - runtime.m0 as "m0" before it is on allm;
 *   - a global variable of the program (the object symbol holding the
 *     address, by the symbol's name, typed by its DWARF variable):
 *     "runtime.allglen", "runtime.mheap_.arenas[0]";
 *   - else nothing: a goroutine's stack ("stack of g1", from the decoded
 *     g's bounds) or unknown memory, shown as the written bytes.
 * A leaf is a field of a scalar, pointer or string type, or an array
 * element of one; a write into padding is shown as bytes too.
 *
 * The objects are those the runtime knows at the step shown (the rt given
 * was decoded there), whatever the step asked about.
 *
 *   struct dbg_changes c = {0};
 *   if (dbg_changes_at(s, &rt_or_NULL, step, &c, &err) == 0) use(c.v, c.n);
 *   dbg_changes_release(&c);
 *
 * And "why did this change?": dbg_changes_why decodes the instruction of
 * a step and says where the value it stored came from.
 */
#ifndef DBG_CHANGESET_H
#define DBG_CHANGESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "disasm.h"
#include "dwarf.h"
#include "err.h"
#include "rt.h"
#include "session.h"
#include "timeline.h"

#define DBG_CHANGES_RANGES \
	256                 /* ranges of one step looked at (a free run
				  may write many pages) */
#define DBG_CHANGES_MAX 512 /* changes listed for one step */

struct dbg_change {
	uint64_t addr, size;
	char path[160];                /* "p0.runnext", "runtime.allglen"; "" for
				  bytes no object names */
	char area[48];                 /* "stack of g1" for bytes on a known stack,
				  else "" */
	const struct dbg_type *type;   /* the leaf's type; NULL: bytes */
	const struct dbg_type *parent; /* the struct holding the leaf, or NULL */
	const char *field;             /* its member name in parent, or NULL */
	size_t off;                    /* before at bytes + off, after at
				  bytes + off + size */
};

struct dbg_changes {
	uint64_t step;
	struct dbg_tl_stepw info; /* the step's pc, thread, stage, free run */
	bool wrote;               /* the step wrote memory (else info is empty) */
	bool truncated;           /* more ranges or changes than are listed */
	struct dbg_change *v;
	size_t n;
	uint8_t *bytes;
	/* storage (internal) */
	size_t cap, bytes_len, bytes_cap;
};

/*
 * The changes of recorded step `step` (in (first, last] of the session's
 * record). rt (may be NULL: no runtime objects) is decoded at the step
 * shown. 0 (no write: n 0, wrote false); -ENODATA without a record;
 * -ERANGE for a step not recorded; the error of reading the record.
 */
int dbg_changes_at(struct dbg_session *s, const struct dbg_rt *rt, uint64_t step,
		   struct dbg_changes *out, struct dbg_err *err);

void dbg_changes_release(struct dbg_changes *c);

/* The name of the object holding addr, as above, and its field path: 0
 * with path written ("p0.runnext"), or -ENOENT. */
int dbg_changes_name(struct dbg_session *s, const struct dbg_rt *rt, uint64_t addr, char *path,
		     size_t n);

/* The runtime's label of a pointer value: "g1", "m0", "p0", "sched", or
 * NULL when v is none of the objects rt knows. Static storage, valid
 * until the next call. */
const char *dbg_changes_label(const struct dbg_rt *rt, uint64_t v);

/* Where the value a store instruction wrote came from. */
struct dbg_why {
	struct dbg_insn insn;
	char text[192];       /* "xchg %rax, 0x998(%rcx)" */
	enum dbg_reg src_reg; /* the register it stored (xchg, mov, push …),
				 DBG_REG_NONE when none */
	bool src_imm;         /* it stored an immediate */
	int64_t imm;
	bool src_mem; /* it copied memory (movs) */
	bool call;    /* a call: it pushed the return address */
};

/* Decode the instruction at pc (the step's) and find its stored value's
 * source: 0, or the error of reading or decoding it. */
int dbg_changes_why(struct dbg_session *s, uint64_t pc, struct dbg_why *out, struct dbg_err *err);

/* "rax" for DBG_REG_RAX … ; "" for NONE and OTHER. */
const char *dbg_changes_reg_name(enum dbg_reg r);

#endif
