/*
 * session_int.h — what session.c and session_run.c share (not an API:
 * only debugger/session*.c include it): the session's state and its
 * internal helpers.
 */
#ifndef DBG_SESSION_INT_H
#define DBG_SESSION_INT_H

#include "session.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "timeline.h"

/* si_code of a finished single step (asm-generic/siginfo.h). */
#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif

/*
 * Memory of the live process kept from one stop to the next (session.c,
 * dbg_session_read_kept): a few words and blocks of code, each read once
 * and kept while nothing can have written it: the program was not resumed
 * since, or took one single step of an instruction that is no system
 * call, the other threads stopped, which the record saw write elsewhere
 * (dbg_tl_step_writes); and the debugger wrote nothing.
 */
#define KEPT_WORDS 32
#define KEPT_CODE 4
#define KEPT_CODE_LEN 256
struct sess_kept {
	pid_t pid;
	uint64_t resumes, loud; /* the ptrace counters when last in step */
	uint64_t writes;        /* dbg_proc_write calls then */
	uint64_t steps, epoch;  /* the step and the record's epoch then */
	unsigned gen;           /* changes whenever anything kept goes */
	size_t nwords;
	struct {
		uint64_t addr, val;
	} words[KEPT_WORDS];
	size_t next_code; /* the block replaced next */
	struct {
		uint64_t addr;
		size_t len; /* 0: empty */
		uint8_t b[KEPT_CODE_LEN];
	} code[KEPT_CODE];
};

struct dbg_session {
	struct dbg_target t; /* the image, the process, breakpoints, progress */
	struct sess_kept kept;
	unsigned image_gen;
	dbg_image_fn *image_hook;
	void *image_arg;
	/* one internal temporary breakpoint (nexti, finish, until, start) */
	bool internal_on;
	uint64_t internal_addr;

	bool free_ran;       /* a free run of this command is under way: it
				  counts as one step (the timeline's jump) */
	pid_t gaveup_tid;    /* its single step was given up: its trap
				  comes during the free run and is dropped */
	uint64_t run_budget; /* instructions a command may still single-step
				  in full mode before it runs freely */

	int out_fd, err_fd;
	int64_t polled_ms;        /* when a poll of them last found nothing
				     (CLOCK_MONOTONIC_COARSE) */
	dbg_output_fn *output_fn; /* dbg_session_set_output_fn(), or NULL */
	void *output_arg;
	char *no_symbols;        /* dbg_session_no_symbols() text, or NULL */
	struct dbg_timeline *tl; /* the record (owned), or NULL */
	/* pcs known to be plain (see insn_kind in session_run.c): neither
	 * cpuid nor `syscall`, no breakpoint site and no stage there;
	 * 0 = empty slot; cleared for each new image and stage catalog, a
	 * pc dropped when a site is put there */
	uint64_t *plain_pcs;
	uint64_t nostage_pc; /* a pc of no stage, the last one looked up */
	bool sys_in_kernel;  /* a call of the log may be inside the kernel
			       (entered in a free run): a step may complete
			       it */
	bool watch_replay;   /* the step being checked replays the record
			    (session_watch.c) */
	int hw_watch;        /* can-use-hw-watchpoints: 0 not set (hardware where
			 * the debug registers fire), 1 hardware, -1 software */

	/* source lines: the image's line table, built at first use */
	struct dbg_lines *lines;
	bool lines_tried;
	struct dbg_subst *subst; /* substitute-path rules, strings owned */
	size_t nsubst, subst_cap;

	/* system calls (session_sys.c) */
	struct dbg_unwind *sys_unwind; /* finds who made a call */
	long step_sys;                 /* the log entry of the call the last
					  step ran, or -1 */
	long sys_hit;                  /* the entry a free run's catchpoint
					  stop is for */
	int sys_hit_catch;             /* and that catchpoint's id */
	/* the stack's block at the stop of a call being logged, read with
	 * the g slot in one go: the caller's walk and the decoding take
	 * their reads inside it from there (sys_blk_ok: until the call is
	 * decoded) */
	uint64_t sys_blk_base;
	bool sys_blk_ok;
	uint8_t sys_blk[1024];
	/* each thread's g and g.m at its last logged stop: read again with
	 * the g slot (one read for all), and used when the slot and g.m
	 * read at the same stop say they still hold */
	struct {
		pid_t tid;
		uint64_t g, m;
	} sys_guess[8];
	unsigned sys_guess_next;
};

#define PLAIN_PCS 4096

/* session_run.c: the plain-pc cache (see plain_pcs) */
void sess_forget_pcs(struct dbg_session *s);
/* The first n (<= 16) bytes at addr from a kept block of code: true with
 * buf filled. When none holds them, fill reads a new block from addr;
 * without fill (or when that read fails) false. */
bool sess_kept_code(struct dbg_session *s, uint64_t addr, void *buf, size_t n, bool fill);
static inline uint64_t *sess_pc_slot(const struct dbg_session *s, uint64_t pc)
{
	return &s->plain_pcs[(pc ^ (pc >> 12)) & (PLAIN_PCS - 1)];
}
static inline bool sess_pc_plain(const struct dbg_session *s, uint64_t pc)
{
	return s->plain_pcs && pc && *sess_pc_slot(s, pc) == pc;
}

/* Outcome of run(): a final stop, or the internal breakpoint was reached. */
enum run_result { RUN_STOP, RUN_INTERNAL };

/* ---- shared functions ---------------------------------------------------- */

void sess_reset_stages(struct dbg_session *s);
/* session_sys.c */
void sess_sys_attach(struct dbg_session *s);
long sess_sys_before_step(struct dbg_session *s, struct dbg_thread *t);
void sess_sys_after_step(struct dbg_session *s, long idx, const struct dbg_thread *t);
void sess_sys_stop(struct dbg_session *s, long idx, int catch_id, bool ret, struct dbg_stop *stop);
int sess_sys_catch_entry(struct dbg_session *s, struct dbg_stop *stop);
int sess_sys_catch_return(struct dbg_session *s, struct dbg_stop *stop);
int sess_build_stages(struct dbg_session *s, struct dbg_err *err);
int sess_load_image(struct dbg_session *s, const char *path, struct dbg_err *err);
void sess_close_output(struct dbg_session *s);
bool sess_history(const struct dbg_session *s);
int sess_no_process(struct dbg_err *err);
bool sess_can_run(const struct dbg_session *s);
int sess_sync_site(struct dbg_session *s, uint64_t addr, struct dbg_err *err);
int sess_set_internal(struct dbg_session *s, uint64_t addr, struct dbg_err *err);
void sess_clear_internal(struct dbg_session *s);
int sess_arm_stages(struct dbg_session *s, struct dbg_err *err);
static inline struct dbg_thread *sess_cur(struct dbg_session *s)
{
	return dbg_ptrace_cur(&s->t.pt);
}
const struct dbg_regs *sess_now(struct dbg_session *s);
int sess_note_pc(struct dbg_session *s, uint64_t pc);
void sess_fill_stop(struct dbg_session *s, struct dbg_stop *stop, enum dbg_stop_reason r);
void sess_event_stop(struct dbg_session *s, const struct dbg_pt_stop *ps, struct dbg_stop *stop);
int sess_user_bp_index(const struct dbg_session *s, uint64_t addr);
void sess_bp_stop(struct dbg_session *s, int i, struct dbg_stop *stop);
int sess_run(struct dbg_session *s, struct dbg_stop *stop, enum run_result *res,
	     struct dbg_err *err);
int sess_return_slot(struct dbg_session *s, uint64_t *slot, struct dbg_err *err);
void sess_watch_output(struct dbg_session *s);
/* session_watch.c */
bool sess_soft_watches(const struct dbg_session *s);
int sess_arm_watches(struct dbg_session *s, struct dbg_err *err);
int sess_watch_delete(struct dbg_session *s, size_t i, struct dbg_err *err);
/* Before one single step: the pc it starts from (0 without watchpoints),
 * and which read or access watchpoints its instruction touches. */
uint64_t sess_watch_before(struct dbg_session *s);
int sess_watch_check(struct dbg_session *s, uint64_t step_pc, struct dbg_stop *stop);
/* session_src.c: drop the line table (the image changes); free it all. */
void sess_forget_lines(struct dbg_session *s);
void sess_free_src(struct dbg_session *s);

#endif
