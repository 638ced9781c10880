/*
 * lab — teaching labs: a command script that is also the lab's structure.
 *
 * A lab file (labs/NN-name.bs) runs as-is with
 * `bootscope --batch -x FILE`: every line that is not a comment is an
 * interpreter command (cmd.h). Comments start with '#'; those starting
 * with "#@" are directives the lab mode reads:
 *
 *   #@lab 4 TLS: settls, arch_prctl and fs:-8   number and title (first, once)
 *   #@program hello [ARGS...]                   bundled program (optional;
 *                                               words split at white space)
 *   #@env GOMAXPROCS=1                          target environment (repeatable;
 *                                               NAME?=VALUE: unless the caller's
 *                                               environment sets NAME)
 *   #@vary GOMAXPROCS 2..4                      a per-student choice (repeatable,
 *   #@vary ARGS one|one two                     before the first step): LO..HI
 *   #@vary ENVSIZE 0..512                       or A|B|C; see dbg_lab_apply_variant
 *   #@say Text shown before the first step      (optional lab introduction)
 *   #@step Before settls                        a step begins: its title
 *   #@say Press ] until ...                     what to do (repeatable)
 *   #@ask What is fs_base before settls runs?   a question (repeatable)
 *   #@answer expr $fs_base                      its answer (optional; after
 *                                               its #@ask, see below)
 *   break rt0_go.settls                         the step's commands
 *   run
 *   expect $fs_base == 0                        each expect: one check
 *   #@bundled                                   the next command (or, before
 *   expect $rdi == runtime.allp.array[0]        #@step, the whole step) holds
 *                                               only for the bundled runtime
 *   #@only cgo                                  … only for a kind of binary:
 *   expect $fs_base != 0                        bundled, static, dynamic,
 *                                               cgo, nocgo
 *
 * Rules the parser enforces, each error reported as "FILE:LINE: message":
 * #@lab comes before anything else and once; #@program and #@env come
 * before the first #@step; every command belongs to a step; every step has
 * at least one command; every command parses (dbg_cmd_parse) and the
 * expression of every expect and print parses (dbg_expr_parse); unknown
 * directives are errors; #@bundled takes no argument, #@only one known
 * kind; both must be followed by a command, a #@step or another #@only or
 * #@bundled (which add to the kinds the next command needs), not another
 * directive or the end of the file.
 *
 * A command marked for kinds of binary is skipped, and such an expect
 * reported as skipped, when the program is not of every kind it names
 * (dbg_lab_kinds): bundled = no Go build info (not built by the Go
 * toolchain); static/dynamic = without/with a program interpreter (ld.so);
 * cgo/nocgo = rt0_go calls _cgo_init, or not. #@bundled is #@only bundled.
 * Every other check must hold on the bundled runtime and on any `go build`
 * binary alike.
 *
 * Consecutive #@say lines form one paragraph, joined with a space (front
 * ends wrap the text to their width); an empty #@say line starts a new
 * paragraph ('\n' in the text).
 *
 * An #@answer line gives the answer of the step's last #@ask, graded in
 * batch mode with --answers (ui/batch.h) once the step's commands ran:
 *
 *   #@answer exact TEXT        the answer is TEXT (case and the spaces
 *                              around it aside)
 *   #@answer expr EXPR [+- T]  a number equal to (within T of) EXPR's value
 *                              on the live program at the end of the step
 *                              (decimal or 0x hex); EXPR parses when the
 *                              lab loads
 *   #@answer words W1 W2 ...   any one of the words (case aside)
 *   #@answer number N [+- T]   a number within T of N (T default 0)
 *
 * #@reveal after-submit (before the first #@step) lets the feedback on a
 * wrong answer say the expected one; without it, it never does.
 *
 * #@env entries are added to (or replace in) the environment the debugger
 * was started with, except NAME?=VALUE ones, which only add NAME when that
 * environment has none; dbg_lab_merge_env builds that environment.
 *
 * Both front ends show each expect of a lab as a check with an expected
 * and an actual value, read from its "expect" event by dbg_lab_check_of.
 *
 *   struct dbg_lab lab;
 *   if (dbg_lab_open(&lab, "labs", 4, &err) < 0) show(err.msg);
 *   for (size_t i = 0; i < lab.nsteps; i++)
 *           for (size_t j = 0; j < lab.steps[i].ncmds; j++)
 *                   dbg_cmd_exec(ctx, lab.steps[i].cmds[j].text, lab.path,
 *                                lab.steps[i].cmds[j].line);
 *   dbg_lab_release(&lab);
 *
 * The module never prints and keeps no global state.
 */
#ifndef DBG_LAB_H
#define DBG_LAB_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "event.h"

/* One command line of a step. */
struct dbg_lab_cmd {
	char *text;    /* the line, trimmed */
	int line;      /* 1-based line number in the file */
	bool expect;   /* an expect command: one check of the step */
	bool moves;    /* runs the program on from where it is (continue,
			  stepi, finish, stage …) */
	bool restarts; /* starts the program again (run, starti) */
	bool switches; /* looks from elsewhere: another thread or frame
			  (thread, frame, up, down) */
	unsigned only; /* DBG_LAB_* kinds the program must have (its own
			  #@only/#@bundled lines and its step's); 0: any */
};

/* The answer of a question (#@answer). */
enum dbg_lab_answer_kind {
	DBG_LAB_ANS_NONE,   /* no #@answer: the question is not graded */
	DBG_LAB_ANS_EXACT,  /* text: the answer */
	DBG_LAB_ANS_EXPR,   /* text: the expression; tolerance */
	DBG_LAB_ANS_WORDS,  /* text: the words, separated by single spaces */
	DBG_LAB_ANS_NUMBER, /* value, tolerance */
};

struct dbg_lab_answer {
	enum dbg_lab_answer_kind kind;
	char *text;
	double value, tolerance;
	int line; /* of the #@answer */
};

/* One #@vary NAME SPEC: what a student's variant chooses among. */
struct dbg_lab_vary {
	char *name;  /* ARGS, ENVSIZE, or an environment variable */
	bool range;  /* SPEC is LO..HI */
	long lo, hi; /* when range */
	char **alts; /* else the alternatives (A|B|C), NULL-terminated */
	size_t nalts;
	int line;
};

struct dbg_lab_step {
	char *title; /* from #@step */
	int line;    /* line of the #@step directive */
	char *say;   /* #@say paragraphs ('\n' between); NULL if none */
	char **ask;  /* #@ask texts, NULL-terminated (never NULL) */
	size_t nask;
	struct dbg_lab_answer *answers; /* nask entries (NULL when nask is 0) */
	struct dbg_lab_cmd *cmds;       /* at least one */
	size_t ncmds;
	size_t nexpect; /* how many of cmds are expects */
	unsigned only;  /* #@only/#@bundled before #@step: every command's */
};

struct dbg_lab {
	int number; /* from #@lab, >= 1 */
	char *title;
	char *path;    /* the file it was read from */
	char *intro;   /* #@say text before the first step; NULL */
	char *program; /* #@program NAME, or NULL (the default one) */
	char **args;   /* program arguments after NAME, NULL-terminated
				     (never NULL; empty without #@program args) */
	size_t nargs;
	char **env; /* NAME=VALUE entries, NULL-terminated (never NULL) */
	size_t nenv;
	bool *env_default;         /* per env entry: written NAME?=VALUE, a
				       default the caller's environment
				       overrides (NULL when nenv is 0) */
	struct dbg_lab_vary *vary; /* #@vary lines, in order */
	size_t nvary;
	struct dbg_lab_step *steps; /* at least one */
	size_t nsteps;
	size_t nexpect;  /* expects over all steps */
	size_t nonly;    /* of those, the ones for some kinds of binary only */
	size_t nanswers; /* questions with an #@answer, over all steps */
	bool reveal;     /* #@reveal after-submit */
	char *variant;   /* the student's variant once applied
			    (dbg_lab_apply_variant), or NULL */
};

/* Kinds of binary a lab command can be limited to (#@only NAME). */
enum {
	DBG_LAB_BUNDLED = 1u << 0, /* the bundled runtime: no Go build info */
	DBG_LAB_STATIC = 1u << 1,  /* no program interpreter */
	DBG_LAB_DYNAMIC = 1u << 2, /* started by ld.so (a PIE, a cgo binary) */
	DBG_LAB_CGO = 1u << 3,     /* rt0_go calls _cgo_init (libc owns fs) */
	DBG_LAB_NOCGO = 1u << 4,   /* rt0_go runs settls itself */
};

/* The kinds of a program: go_version from its build info (NULL for none),
 * whether it has a program interpreter, whether it takes the cgo path. */
static inline unsigned dbg_lab_kinds(const char *go_version, bool dynamic, bool cgo)
{
	return (go_version ? 0u : DBG_LAB_BUNDLED) | (dynamic ? DBG_LAB_DYNAMIC : DBG_LAB_STATIC) |
	       (cgo ? DBG_LAB_CGO : DBG_LAB_NOCGO);
}

/* Whether a command limited to only runs on a program of these kinds. */
static inline bool dbg_lab_runs(unsigned only, unsigned kinds)
{
	return (only & kinds) == only;
}

/*
 * The marks of a script line, for a plain script (-x) that is a lab file:
 * "#@bundled" and "#@only KIND" give KIND's bit in *bit and return 1,
 * "#@step ..." returns 2, anything else 0; a malformed #@only or
 * #@bundled (no known kind, anything after it) is -EINVAL with the lab
 * parser's message. A script runner keeps the
 * bits of the marks before a command and skips the command when
 * dbg_lab_runs() says no; marks before a #@step hold for the whole step.
 */
int dbg_lab_line_mark(const char *line, unsigned *bit, struct dbg_err *err);

struct dbg_session;
/* dbg_lab_kinds of the program s runs (its ELF and boot stages). */
unsigned dbg_lab_program_kinds(struct dbg_session *s);

/* "bundled runtime only", "cgo binaries only" …: why a command limited to
 * only does not run on a program of these kinds (static storage). */
const char *dbg_lab_skip_reason(unsigned only, unsigned kinds);

/*
 * Parse text (len bytes, need not be NUL-terminated) read from path (used
 * in messages and kept in lab->path). 0, or -EINVAL with
 * "PATH:LINE: message"; -ENOMEM. On failure lab holds nothing to release.
 */
int dbg_lab_parse(struct dbg_lab *lab, const char *path, const char *text, size_t len,
		  struct dbg_err *err);

/* Read and parse the file at path: 0 or a negative errno
 * ("cannot read lab file x.bs: no such file or directory"). */
int dbg_lab_load(struct dbg_lab *lab, const char *path, struct dbg_err *err);

/* Free what a successful parse or load allocated; lab is zeroed. */
void dbg_lab_release(struct dbg_lab *lab);

/* ---- a directory of labs ------------------------------------------------- */

/* A lab as listed: its number and title, and the file. */
struct dbg_lab_info {
	int number;
	char *title;
	char *path;
};

/*
 * Every lab file in dir (names NN-*.bs; other files are ignored), parsed,
 * sorted by number. *out is an array of *n entries (NULL when empty) for
 * dbg_lab_list_free. Fails on an unreadable directory, on a lab that does
 * not parse (its message), on a file whose #@lab number differs from its
 * name's, and on two files with the same number.
 */
int dbg_lab_list(const char *dir, struct dbg_lab_info **out, size_t *n, struct dbg_err *err);
void dbg_lab_list_free(struct dbg_lab_info *v, size_t n);

/*
 * Find lab number in dir and load it. -ENOENT "no lab 9 in DIR; labs:
 * 1-8" when absent; the lab's parse error when it does not parse.
 */
int dbg_lab_open(struct dbg_lab *lab, const char *dir, int number, struct dbg_err *err);

/*
 * The environment to start the lab's program with: base (e.g. environ;
 * may be NULL) with each #@env entry added or replacing the entry of the
 * same name. When neither sets GODEBUG, dbg_lab_default_godebug
 * ("GODEBUG=asyncpreemptoff=1") is added: Go's asynchronous preemption
 * (SIGURG sent on a timer) would make every run of a lab on a real Go
 * binary differ; a GODEBUG in the environment, even an empty one, turns
 * the default off. *out is a NULL-terminated array the caller frees with
 * free(); its strings belong to base, lab and this module. 0 or -ENOMEM.
 */
extern const char dbg_lab_default_godebug[];

int dbg_lab_merge_env(const struct dbg_lab *lab, char *const *base, char ***out,
		      struct dbg_err *err);

/*
 * A student's variant of lab: for each #@vary line, one of its choices,
 * picked by a hash of student, the lab's number and the line's NAME
 * (FNV-1a, so the same student always gets the same variant), applied to
 * the lab: ARGS replaces the program's arguments (the choice split at
 * white space), ENVSIZE adds DBG_LAB_PAD_VAR=<that many x>, any other NAME
 * sets the environment variable NAME (replacing an #@env of that name,
 * default or not). desc gets "GOMAXPROCS=3, ARGS=one two" ("" for a lab
 * without #@vary). 0 or -ENOMEM.
 */
#define DBG_LAB_PAD_VAR "BOOTSCOPE_PAD"

int dbg_lab_apply_variant(struct dbg_lab *lab, const char *student, char *desc, size_t n,
			  struct dbg_err *err);

/* ---- checks ------------------------------------------------------------- */

/*
 * A check: what an "expect" event (docs/json.md) says in a lab. For
 * `expect A OP B` (the event has op, lhs and rhs), op is OP, expected is
 * B's value and actual A's; for a plain truth, op is NULL, expected the
 * value true and actual the expression's value. Values point into the
 * event (true: into this module); a missing one is NULL.
 */
struct dbg_lab_check {
	bool pass;
	const char *op;
	const struct dbg_val *expected;
	const struct dbg_val *actual;
};

void dbg_lab_check_of(const struct dbg_val *expect, struct dbg_lab_check *c);

/* ---- answers ------------------------------------------------------------ */

/*
 * Whether given (the student's answer) is right for a: for
 * DBG_LAB_ANS_EXPR, value is the expression's value at the step. The
 * expected answer as text for feedback goes into buf (len bytes): "158",
 * "0x1002", "one of: .bss bss", "64 +- 2".
 */
bool dbg_lab_answer_right(const struct dbg_lab_answer *a, const char *given, uint64_t value,
			  char *buf, size_t len);

#endif
