/*
 * stack — the process's initial stack (argc, argv, envp, auxv) and
 * annotated windows of stack memory.
 *
 * The initial stack is read from the rsp recorded at the entry stop
 * (dbg_session_entry_sp): [sp] = argc, then argv[0..argc), NULL, envp[],
 * NULL, auxv (type, value) pairs up to AT_NULL.
 *
 * A window is n 8-byte slots upward from an address, each annotated with
 * what it is: an initial-stack slot ("argc", "argv[0]", "envp[3]",
 * "auxv AT_RANDOM"), a code address ("ret runtime.mstart+0x12", when the
 * value points into an executable section), a saved gobuf.sp of some g
 * ("g1.sched.sp"), and which stack the slot lies in ("g0" for
 * runtime.g0's [stack.lo, stack.hi), "g3" for goroutine 3's, "os" for the
 * initial OS stack otherwise).
 */
#ifndef DBG_STACK_H
#define DBG_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rt.h"
#include "session.h"

struct dbg_strslot {
	uint64_t slot; /* address of the pointer on the stack */
	uint64_t ptr;  /* the pointer */
	char *str;     /* the string it points to (malloc'd, truncated at 4 KiB) */
};

struct dbg_auxv {
	uint64_t slot; /* address of the type word on the stack */
	uint64_t type;
	const char *name; /* "AT_PAGESZ", "AT_RANDOM", or "AT_<n>" (static) */
	uint64_t value;
};

struct dbg_initstack {
	uint64_t sp; /* rsp at entry: the argc slot */
	uint64_t argc;
	struct dbg_strslot *argv; /* argc entries */
	size_t nargv;
	struct dbg_strslot *envp;
	size_t nenvp;
	struct dbg_auxv *auxv; /* AT_NULL excluded */
	size_t nauxv;
	uint64_t end; /* first address past the AT_NULL pair */
};

/* Read the initial stack of the running process. 0 or negative errno
 * (-ESRCH without a process). Release with dbg_initstack_release. */
int dbg_stack_initial(struct dbg_session *s, struct dbg_initstack *st, struct dbg_err *err);
void dbg_initstack_release(struct dbg_initstack *st);

/* "AT_PAGESZ" etc., NULL for unknown types. */
const char *dbg_auxv_name(uint64_t type);

struct dbg_stack_slot {
	uint64_t addr;
	uint64_t value;
	char what[64];   /* "argc", "argv[0]", "auxv AT_RANDOM", "ret main.main+0x1c",
			   * "g1.sched.sp", "" */
	char region[24]; /* "g0", "g1", "os", "" (unknown) */
};

/*
 * Read n slots upward from addr (8-byte aligned down) into out and annotate
 * them. rt may be NULL (no G annotations) or a fresh dbg_rt_read result.
 * init may be NULL or a dbg_stack_initial result. Returns the number of
 * slots filled (stops at the top, hi, of the goroutine or OS stack addr is
 * in, and at unreadable memory; at least 1) or negative errno. A return
 * address is named by its call site: the function holding addr - 1, with
 * the return address's offset in it ("ret runtime.mstart1+0x79").
 */
int dbg_stack_window(struct dbg_session *s, const struct dbg_rt *rt,
		     const struct dbg_initstack *init, uint64_t addr, size_t n,
		     struct dbg_stack_slot *out, struct dbg_err *err);

#endif
