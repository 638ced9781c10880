/*
 * tui_draw — drawing of each pane from the model (ui/tui_model.h).
 *
 * Every function draws one pane into its own window: the title row (row 0,
 * the pane class's title (ui/tui_panes.h), highlighted and marked '>' when
 * focused), then the content, clipped to the window. They read the model
 * and the session's static parts (symbols, stages, breakpoints) and format
 * into fixed buffers: no allocation. The TUI calls them through the pane
 * classes of ui/tui_panes.h, not by name.
 *
 * Scrolling state lives in struct ui_pane_view, owned by the caller; the
 * draw functions clamp it to what exists. The code, register and stack
 * panes keep what they last drew in a cache (all zero: nothing drawn, the
 * next call draws everything), so a step rewrites only the lines it changed.
 */
#ifndef UI_TUI_DRAW_H
#define UI_TUI_DRAW_H

#include <curses.h>
#include <stdbool.h>

#include "layout.h"
#include "theme.h"
#include "tui_lab.h"
#include "tui_model.h"
#include "tui_ring.h"

struct ui_pane_view {
	int top;  /* first line shown (stages, G/M/P) */
	int back; /* lines scrolled back from the end (output, command) */
	int sel;  /* selected line (stages, Changes, TLS / g, Stack, G/M/P's
		     rows with fields) or register (Registers) */
	int col;  /* selected column (G/M/P) */
};

/*
 * What the code and register panes last drew, so that a step, which
 * usually moves the pc by one line and changes a register or two, rewrites
 * only those lines. Set valid = false when the window lost its content.
 */
struct ui_code_cache {
	bool valid;
	uint64_t gen, bps; /* model code_gen and breakpoint hash */
	uint64_t code_sel;
	size_t start, pc_index, sel_index;
	bool focus;
	bool source;  /* source lines between the instructions */
	uint64_t sys; /* model hash_sys_next: the call decoded at the pc */
	int rows, cols;
	int16_t row_of[UI_CODE_MAX]; /* window row of each instruction, or 0 */
};

#define UI_REGS_ITEMS 20

struct ui_regs_cache {
	bool valid;
	bool focus;
	int sel;
	int rows, cols;
	uint64_t vals[UI_REGS_ITEMS];
	uint64_t changed;
	uint64_t title_changed;
};

/* What the stack pane last drew: a step that changes a slot or two (a
 * push, a store) rewrites only those rows. */
struct ui_stack_cache {
	bool valid;
	bool focus;
	int sel;
	int rows, cols;
	char title[160];
	uint64_t rsp;
	size_t nslots;
	struct dbg_stack_slot slots[UI_STACK_MAX];
	bool changed[UI_STACK_MAX];
};

void ui_draw_code(WINDOW *w, struct ui_model *m, bool focus, struct ui_code_cache *c);
/* The source lines around the pc's line, that line marked (=>), the file
 * in the title; one line saying why when there are none. */
void ui_draw_source(WINDOW *w, struct ui_model *m, bool focus);
/* The registers pane selects one of UI_REGS_SEL registers (sel, -1: none):
 * the 16 general ones in dbg_regs_table order, rip, eflags, fs_base. */
#define UI_REGS_SEL 19
void ui_draw_regs(WINDOW *w, struct ui_model *m, bool focus, int sel, struct ui_regs_cache *c);
/* The TLS / g pane, row sel (of UI_TLS_ROWS, -1: none) selected: fs_base,
 * g's slot, g.m, m.g0, m.curg, m.p, runtime.g0 and m0. */
#define UI_TLS_ROWS 7
void ui_draw_tls(WINDOW *w, struct ui_model *m, bool focus, int sel);
/* The stack, its row sel (-1: none) selected. */
void ui_draw_stack(WINDOW *w, struct ui_model *m, bool focus, int sel, struct ui_stack_cache *c);
/* The G, M and P tables; focused, the field at v->col of the row v->sel
 * among the rows with fields (the G rows, the M rows, the P rows, sched)
 * is selected, both clamped, and the rows scroll to show it. */
void ui_draw_gmp(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v);
/* A field of the G/M/P tables: the object and its DWARF struct, the
 * field's path in it, and its name ("p0.runnext"). */
struct ui_gmp_field {
	const char *type; /* "g", "m", "p", "schedt" */
	const char *path; /* "runnext", "sched.pc" */
	uint64_t obj;
	char what[64];
};
/* The field at row sel, column col (clamped) of the tables: 0, or -1
 * when there is no such row. */
int ui_gmp_field(const struct ui_model *m, int sel, int col, struct ui_gmp_field *out);
/* The rows the G/M/P pane's content takes (without its title). */
int ui_draw_gmp_rows(const struct ui_model *m);
/* The G/M/P pane as a diagram (dbg_gmp_diagram: an M's box, an arrow to
 * the box of the P it holds, the run queues, the idle lists), drawn with
 * curses' line characters, from line v->top; and the rows it takes. */
void ui_draw_gmp_diagram(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v);
int ui_draw_gmp_diagram_rows(const struct ui_model *m);
void ui_draw_stages(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v);
/* The call stack, innermost first, the selected frame marked; v->top is
 * the first frame shown. */
void ui_draw_frames(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v);
/* The system calls and signals the session has seen (syslog.h), the
 * newest at the bottom, v->back entries back: step, thread, M and g, the
 * function that made the call, the call and its result, the stage; on a
 * recorded step the entries after it are dim. */
void ui_draw_syscalls(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v);
/* The rows the newest lines of l take wrapped at width, up to max. */
int ui_draw_lines_rows(const struct ui_ring *l, int width, int max);
/* The output or command pane p: the newest lines, v->back lines back,
 * each in the colour color gives its kind (struct ui_line). */
void ui_draw_lines(WINDOW *w, enum ui_pane p, const struct ui_ring *l,
		   enum ui_color (*color)(uint8_t kind), bool focus, struct ui_pane_view *v);
/* The lab pane: the step on show (its text, questions and checks), from
 * row v->top; l->show_checks scrolls the checks into view (and is reset). */
void ui_draw_lab(WINDOW *w, struct ui_lab *l, bool focus, struct ui_pane_view *v);

#endif
