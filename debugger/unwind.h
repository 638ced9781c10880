/*
 * unwind — the call stack of a thread or of a goroutine, frame by frame, as
 * gdb's backtrace has it, and aware of Go's goroutine stacks.
 *
 * Each caller is found with the program's call frame information through
 * libdw (dwarf_cfi_addrframe, dwarf_frame_cfa, dwarf_frame_register):
 * .eh_frame first, then .debug_frame (a Go binary has only the latter);
 * inside the vDSO, the vDSO's own .eh_frame, read from the process.
 * Where no CFI covers a pc, the frame-pointer chain is followed (at a
 * function's first instruction the return address is at rsp; after that
 * rbp holds the caller's rbp and rbp+8 the return address). A return
 * address the CFI calls undefined (the hand-written entry chain,
 * _rt0_amd64_linux → _rt0_amd64 → runtime.rt0_go, and the top of every
 * thread: runtime.mstart, runtime.goexit) ends the stack cleanly, as does
 * a return address of 0 or a frame that is not above the previous one.
 * runtime.rt0_go, runtime.mstart and runtime.goexit end it too (Go marks
 * them TOPFRAME; its CFI does not say that nothing called them).
 * Memory and registers are read through the session, so this works the
 * same on a recorded state shown by the timeline.
 *
 * Go: when the thread runs on an M's g0 or gsignal and the walk reaches
 * the frame that left its goroutine (runtime.systemstack, runtime.mcall or
 * runtime.morestack), it goes on from that M's current goroutine (m.curg)
 * at its saved g.sched (pc, sp, bp), as Go's own traceback does; the first
 * frame found there is marked DBG_FRAME_GSWITCH and every frame carries
 * the goid whose stack it is on (-1 for a g0 or unknown).
 *
 * Signals: a return address at the trampoline that returns from a signal
 * handler (`mov $15,%rax; syscall`: rt_sigreturn) is a signal frame; the
 * walk goes on at the registers the kernel saved in its ucontext (frames
 * marked DBG_FRAME_SIGNAL), on the goroutine or g0 the signal interrupted
 * when the handler ran on an M's gsignal.
 *
 *   struct dbg_unwind *u = dbg_unwind_new();
 *   struct dbg_frame f[32];
 *   int n = dbg_unwind_frames(u, s, dbg_session_regs(s), g, &rt, f, 32, &err);
 *   dbg_unwind_free(u);
 *
 * A struct dbg_unwind keeps the CFI of the program image (opened again when
 * dbg_session_image_gen changes); a walk allocates nothing else.
 */
#ifndef DBG_UNWIND_H
#define DBG_UNWIND_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rt.h"
#include "session.h"

/* How a frame was found. */
enum dbg_frame_how {
	DBG_FRAME_INNER,   /* the registers the walk started from */
	DBG_FRAME_CFI,     /* the callee's call frame information */
	DBG_FRAME_FP,      /* the callee's frame pointer (no CFI there) */
	DBG_FRAME_GSWITCH, /* a goroutine's saved g.sched, after the system
			      stack that ran its work */
	DBG_FRAME_SIGNAL,  /* the registers a signal interrupted, saved by
			      the kernel in the ucontext of its frame */
};

/* "inner", "cfi", "frame pointer", "goroutine switch", "signal". Static. */
const char *dbg_frame_how_name(enum dbg_frame_how how);

/* DWARF register numbers of x86-64 that frames keep: rax … r15, and 16,
 * the return address. */
#define DBG_UNWIND_NREGS 17

struct dbg_frame {
	uint64_t pc;        /* the frame's pc (a return address past frame 0) */
	uint64_t sp;        /* rsp in this frame */
	uint64_t bp;        /* rbp in this frame (0 when unknown) */
	uint64_t cfa;       /* the canonical frame address: the caller's rsp
			 before its call (gdb's "frame at"); 0 unknown */
	uint64_t caller_pc; /* the return address (0: outermost) */
	const char *func;   /* the function's symbol, or NULL */
	uint64_t func_addr; /* its address (0 without a symbol) */
	enum dbg_frame_how how;
	int64_t goid;        /* the goroutine whose stack this is, -1 none */
	uint64_t g;          /* that g's address, 0 when unknown */
	uint32_t saved_mask; /* bit r: this frame saved its caller's
				 register r (DWARF number) at saved_at[r] */
	uint64_t saved_at[DBG_UNWIND_NREGS];
	bool signal;          /* the signal's return trampoline (gdb's
				 "<signal handler called>"): its caller is
				 the interrupted code, at the registers the
				 kernel saved */
	const char *stop_why; /* outermost frame: why the walk ended, else
				 NULL ("outermost", "return address 0" …) */
};

struct dbg_unwind; /* opaque */

/* The size (and alignment) of the blocks a walk reads the stack in. */
#define DBG_UNWIND_BLOCK 1024

struct dbg_unwind *dbg_unwind_new(void);
void dbg_unwind_free(struct dbg_unwind *u); /* NULL: no-op */

/*
 * Walk the stack from regs (rip, rsp, rbp and what else they hold). g is
 * the g the registers belong to (the thread's g, or the goroutine's for a
 * saved g.sched; 0 when unknown) and rt a decode of the runtime (NULL: no
 * goroutine switch). Up to max frames into out (max >= 1). Returns the
 * count (>= 1; frame 0 is always there), or a negative errno when the
 * program's image cannot be read. A frame whose stack cannot be read ends
 * the walk (stop_why says so), it is no error.
 */
int dbg_unwind_frames(struct dbg_unwind *u, struct dbg_session *s, const struct dbg_regs *regs,
		      uint64_t g, const struct dbg_rt *rt, struct dbg_frame *out, size_t max,
		      struct dbg_err *err);

/*
 * The block at base (aligned to DBG_UNWIND_BLOCK), read by the caller at
 * the current stop together with other reads: the walks take it from
 * bytes rather than reading it again, until dbg_unwind_prime(u, 0, NULL)
 * (before anything can write the memory: the program runs, a write).
 */
void dbg_unwind_prime(struct dbg_unwind *u, uint64_t base, const uint8_t *bytes);

#endif
