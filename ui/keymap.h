/*
 * keymap — the TUI's keys (gdb SingleKey habits) and what each one does.
 *
 * One table binds a key code (a character or a curses KEY_* code) to an
 * action. Actions that the command interpreter implements carry its
 * command ("stepi", "continue" …), so a key and the `:` command line run
 * the same code. The legend line and the help overlay are made from the
 * same table, so they cannot drift from the bindings. Lab bindings work
 * and show only in lab mode (`bootscope --lab N`); outside it `<` and `>`
 * move the timeline view like `{` and `}` (ui_keymap_lookup's lab
 * argument).
 *
 *   enum ui_action a = ui_keymap_lookup(wgetch(w));
 *   const char *cmd = ui_action_command(a);   // "stepi" for 's'
 */
#ifndef UI_KEYMAP_H
#define UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

enum ui_action {
	UI_ACT_NONE,
	UI_ACT_STEP,       /* stepi */
	UI_ACT_NEXT,       /* nexti */
	UI_ACT_CONT,       /* continue */
	UI_ACT_FINISH,     /* finish */
	UI_ACT_NEXT_STAGE, /* run to the next stage(s) of the catalog */
	UI_ACT_BREAK,      /* toggle a breakpoint at the selected stage/line */
	UI_ACT_GOTO_STAGE, /* choose a stage and run to it */
	UI_ACT_RESTART,    /* starti: start again, stopped at the entry */
	UI_ACT_FOCUS_NEXT,
	UI_ACT_FOCUS_PREV,
	UI_ACT_UP,
	UI_ACT_DOWN,
	UI_ACT_PAGE_UP,
	UI_ACT_PAGE_DOWN,
	UI_ACT_LEFT,  /* the selection a column left (G/M/P, registers) */
	UI_ACT_RIGHT, /* a column right */
	UI_ACT_HOME,  /* back to the pc / the top */
	UI_ACT_END,
	UI_ACT_COMMAND, /* open the `:` command line */
	UI_ACT_HELP,
	UI_ACT_QUIT,
	UI_ACT_REDRAW,      /* Ctrl-L */
	UI_ACT_LAB_RUN,     /* check the lab step where the student is */
	UI_ACT_LAB_NEXT,    /* show the next lab step */
	UI_ACT_LAB_PREV,    /* show the previous lab step */
	UI_ACT_RSTEP,       /* reverse-stepi */
	UI_ACT_RNEXT,       /* reverse-nexti */
	UI_ACT_TL_BACK,     /* move the timeline view back a bar cell */
	UI_ACT_TL_FWD,      /* move it forward a bar cell */
	UI_ACT_THREAD_NEXT, /* make the next traced thread current (thread TID) */
	UI_ACT_SOURCE_MIX,  /* the code pane: source lines between the instructions */
	UI_ACT_ZOOM,        /* the focused pane fills the screen, and back */
	UI_ACT_WHY,         /* go to the step that last wrote the selected field */
	UI_ACT_LAB_ANSWER,  /* answer the lab step's selected question */
	UI_ACT_LAB_DEMO,    /* replay the lab step's own commands */
	UI_ACT_COUNT,
};

struct ui_key_binding {
	int key; /* character or KEY_* code */
	enum ui_action act;
	const char *label;  /* how the key is written: "s", "Tab", "PgUp" */
	const char *help;   /* what it does, for the help overlay */
	const char *legend; /* short word for the legend line, or NULL */
	bool lab;           /* lab mode only */
};

/* The action bound to key, or UI_ACT_NONE; lab: lab mode is on (else a
 * lab key means its timeline twin). */
enum ui_action ui_keymap_lookup(int key, bool lab);

/* The interpreter command behind an action ("stepi"), or NULL when the TUI
 * implements the action itself. */
const char *ui_action_command(enum ui_action a);

/* Every binding in display order. */
const struct ui_key_binding *ui_keymap_table(size_t *n);

/*
 * The legend line ("s step  n next  c cont …") for a screen width: the
 * leading entries that fit whole, NUL-terminated in buf (size n); lab
 * entries only when lab, and then first. Returns its length.
 */
size_t ui_keymap_legend(char *buf, size_t n, int width, bool lab);

#endif
