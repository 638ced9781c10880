/*
 * tui_model — what the TUI shows, read from the session at each stop and
 * kept apart from the drawing (no curses here).
 *
 * After every command the TUI calls ui_model_refresh(), which re-reads the
 * registers, the runtime (G/M/P, the g at fs:-8), the stack window and the
 * disassembly, compares them with the previous stop and returns the set of
 * panes whose content changed (UI_DIRTY_* bits), so only those are redrawn.
 * Every buffer is allocated at init (or grown once by the runtime decoder
 * and kept), so a refresh allocates nothing.
 *
 * The code and stack windows depend on the view: the TUI sets code_rows,
 * code_sel, stack_rows and stack_off and calls ui_model_fetch_code() /
 * ui_model_fetch_stack() when it scrolls.
 */
#ifndef UI_TUI_MODEL_H
#define UI_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"
#include "expr.h"
#include "layout.h"
#include "rt.h"
#include "session.h"
#include "stack.h"
#include "syslog.h"
#include "unwind.h"

#define UI_CODE_MAX 256
#define UI_STACK_MAX 256
#define UI_THREADS_MAX 32
#define UI_FRAMES_MAX 32

/* Dirty bits: one per pane (1u << enum ui_pane), then the bars. */
#define UI_DIRTY_PANE(p) (1u << (p))
#define UI_DIRTY_STATUS (1u << UI_PANE_COUNT)
#define UI_DIRTY_LEGEND (1u << (UI_PANE_COUNT + 1))
#define UI_DIRTY_TABS (1u << (UI_PANE_COUNT + 2))
/* The windows lost their content (new layout, an overlay closed): redraw
 * every pane from scratch, not just the lines that changed. */
#define UI_DIRTY_FULL (1u << (UI_PANE_COUNT + 3))
#define UI_DIRTY_ALL ((1u << (UI_PANE_COUNT + 4)) - 1)

struct ui_model {
	struct dbg_session *s;

	/* process */
	bool live; /* a process exists */
	pid_t pid;
	struct dbg_stop stop; /* last stop */
	uint64_t steps;
	bool steps_exact; /* no free run (continue) since the start */
	int stage;        /* current stage (catalog index) or -1 */
	size_t nreached;  /* stages reached since the start */

	/* the timeline (timeline.h): what is recorded, and whether the
	 * screen shows a recorded step rather than the live one */
	bool have_tl; /* something is recorded */
	bool history; /* views answer from the record */
	bool replay;  /* no process: a recording */
	uint64_t tl_first, tl_last;

	/* registers; bit i of reg_changed: dbg_regs_table[i] changed */
	struct dbg_regs regs, prev_regs;
	bool have_regs;
	uint64_t reg_changed;

	/* runtime */
	struct dbg_rt rt;
	bool rt_ok;
	char rt_err[512];
	uint64_t m_tls_off; /* DWARF offset of m.tls, if known */
	bool have_tls_off;

	/* The M of the current g, for the TLS pane. Before mcommoninit m0 is
	 * not on allm yet, so the decoder does not list it: its fields are
	 * then read with the interpreter's expressions ($g.m.g0 …). */
	struct ui_cur_m {
		bool valid;
		uint64_t addr, g0, curg, p;
		int64_t id;
	} cur_m;
	struct dbg_expr_env env;
	bool have_env;
	struct dbg_arena arena;   /* parsed expressions, kept */
	struct dbg_arena scratch; /* evaluation, reset at each use */
	struct dbg_expr *x_m[5];  /* $g.m, .g0, .curg, .p, .id */

	/* traced threads, with the M known by fs_base, the label of the g at
	 * fs:-8 and what the runtime says the thread does; labels are made
	 * here so that drawing only copies */
	struct ui_thread {
		struct dbg_thread_info info;
		int64_t m_id; /* -1: no M has this fs_base */
		char g_label[24];
		char state[32];
	} threads[UI_THREADS_MAX];
	size_t nthreads;     /* shown (at most UI_THREADS_MAX) */
	size_t nthreads_all; /* traced */
	pid_t tid;           /* the current thread (its row is marked), 0 when
				unknown: the registers, stack and code are its */
	int64_t tid_m;       /* its M's id, -1 for none */

	/* initial stack, read once per process */
	struct dbg_initstack init;
	bool have_init;
	pid_t init_pid;

	/* code window */
	int code_rows;     /* instructions wanted */
	uint64_t code_sel; /* selected instruction; 0: follow the pc */
	struct dbg_insn insns[UI_CODE_MAX];
	size_t ninsns, pc_index, sel_index;
	uint64_t code_gen; /* bumped by every fetch of the window */
	bool code_source;  /* the code pane interleaves source lines */
	char code_err[512];

	/* stack window: slots from rsp + 8 * stack_off */
	int stack_rows;
	int stack_off;
	struct dbg_stack_slot slots[UI_STACK_MAX];
	size_t nslots;
	bool slot_changed[UI_STACK_MAX];
	char stack_err[512];
	/* values at the previous stop, to mark changed slots */
	uint64_t prev_base;
	uint64_t prev_vals[UI_STACK_MAX];
	size_t nprev;

	/* the call stack at the stop (unwind.h), the innermost
	 * UI_FRAMES_MAX frames; frame_sel: the interpreter's selected frame
	 * (NULL: none) */
	struct dbg_unwind *unwind;
	struct dbg_frame frames[UI_FRAMES_MAX];
	size_t nframes;
	const size_t *frame_sel;
	char frames_err[512];
	uint64_t hash_frames;

	/* system calls (syslog.h): the call a `syscall` instruction at the
	 * pc is about to make, decoded from the registers; the log's
	 * length, to tell when the Syscalls pane and the bar change */
	struct dbg_sys_event sys_next;
	bool have_sys_next;
	/* the call a catchpoint stopped at (in a free run the pc is past its
	 * `syscall`, inside the kernel), from the log */
	struct dbg_sys_event sys_stop;
	bool have_sys_stop;
	uint64_t hash_sys_next;
	size_t nsys;

	/* change detection */
	uint64_t hash_tls, hash_gmp, hash_bps, hash_stack, hash_sys;
	bool had_stack_marks;
};

/* env: the interpreter's expression environment (dbg_cmd_expr_env). */
void ui_model_init(struct ui_model *m, struct dbg_session *s, const struct dbg_expr_env *env);
void ui_model_release(struct ui_model *m);

/* Re-read everything after a command; returns the UI_DIRTY_* bits of what
 * changed. force: report everything as changed (first frame, restart). */
unsigned ui_model_refresh(struct ui_model *m, bool force);

/* Re-read the code / stack window for the current view settings without
 * moving the "previous stop" reference. */
void ui_model_fetch_code(struct ui_model *m);
void ui_model_fetch_stack(struct ui_model *m);

/* The instruction before / after addr in the code ("scroll"), or 0. */
uint64_t ui_model_insn_before(struct ui_model *m, uint64_t addr);
uint64_t ui_model_insn_after(struct ui_model *m, uint64_t addr);

/* The decoded g, M and P for addresses (NULL when unknown). */
const struct dbg_rt_m *ui_model_find_m(const struct ui_model *m, uint64_t addr);
const struct dbg_rt_p *ui_model_find_p(const struct ui_model *m, uint64_t addr);

/*
 * A log entry as one line into buf (size n): a call as strace writes it,
 * "arch_prctl(ARCH_SET_FS, 0x4089c8 <&runtime.m0.tls[0]+8>) = 0" (the
 * result when it returned and result is true, "= ?" when it has not
 * returned yet); a signal as "SIGURG (si_code -6) passed on". Returns buf.
 */
const char *ui_sys_text(const struct dbg_sys_event *e, bool result, char *buf, size_t n);

/* The name of call nr ("arch_prctl"), or "syscall_N" into buf. */
const char *ui_sys_name(uint64_t nr, char *buf, size_t n);

/*
 * The system call a `syscall` instruction in the code window will make,
 * when an instruction before it in the same function loads eax or rax
 * with a constant (`mov $0x9e, %eax`) and nothing between writes rax or
 * jumps: its number, or -1.
 */
int64_t ui_model_sys_nr(const struct ui_model *m, size_t i);

/* Decode the flags of eflags into buf: "CF ZF IF". */
void ui_eflags_str(uint64_t eflags, char *buf, size_t n);

#endif
