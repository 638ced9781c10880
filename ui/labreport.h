/*
 * labreport — what a lab run says about itself, and the files a course
 * imports: the run's identity (the lab_start event: bootscope's version,
 * the program's path, sha256 and Go version, the student, the start time),
 * every check and answer kept as a result, and the reports written from
 * them at the end (--report gradescope FILE, --report junit FILE).
 *
 *   struct ui_lab_meta m;
 *   ui_lab_meta_init(&m, "0.1.0", "/path/hello", go_version, "s123");
 *   ... ui_lab_results_add(&res, ...) for every check and answer ...
 *   if (ui_lab_report_write(UI_REPORT_JUNIT, "out.xml", &m, lab, &res, &err) < 0) ...
 *   ui_lab_results_release(&res);
 *
 * Gradescope's autograder reads results.json (its "Autograder
 * Specifications": top-level "score", "execution_time" in seconds,
 * "output", "stdout_visibility", "extra_data", "tests"; each test "name",
 * "number" (a string), "score", "max_score", "status" "passed"/"failed",
 * "output"); each check and each answer is one test worth one point, a
 * check skipped for another kind of binary is worth none (max_score 0, no
 * status). JUnit XML holds one <testcase> per
 * check and answer, in one <testsuite> named after the lab; a failed one
 * has a <failure> with what was expected and what was found, a skipped
 * one <skipped/>.
 */
#ifndef UI_LABREPORT_H
#define UI_LABREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "lab.h"

struct ui_lab_meta {
	const char *version;    /* bootscope's */
	const char *program;    /* the program's path; NULL when none */
	char sha256[65];        /* of the program's file, hex; "" unreadable */
	const char *go_version; /* from the ELF's build info; NULL: none */
	const char *student;    /* --student ID; NULL */
	const char *variant;    /* the student's variant ("GOMAXPROCS=3"); NULL */
	char started[32];       /* UTC, ISO 8601: "2026-12-06T22:30:00Z" */
	struct timespec t0;     /* CLOCK_MONOTONIC at the start */
};

/* Fill m; program may be NULL (not found). The strings are not copied. */
void ui_lab_meta_init(struct ui_lab_meta *m, const char *version, const char *program,
		      const char *go_version, const char *student);

/* The program, once known: its path (sha256 read now) and Go version. */
void ui_lab_meta_set_program(struct ui_lab_meta *m, const char *program, const char *go_version);

/* Milliseconds since ui_lab_meta_init. */
uint64_t ui_lab_meta_elapsed_ms(const struct ui_lab_meta *m);

/* One graded item: a check (an expect line) or an answer. */
struct ui_lab_result {
	char *name; /* "step 2 (The first instruction): expect $pc == ..." */
	bool pass;
	bool skipped; /* a check for another kind of binary */
	char *output; /* what the student reads: expected/actual, feedback */
};

struct ui_lab_results {
	struct ui_lab_result *v;
	size_t n, cap;
};

/* Append a result (name and output copied). */
void ui_lab_results_add(struct ui_lab_results *r, const char *name, bool pass, bool skipped,
			const char *output);
void ui_lab_results_release(struct ui_lab_results *r);

/*
 * A student's answers (--answers FILE): one "STEP.Q: ANSWER" a line (step
 * and question numbered from 1, as the lab shows them), blank lines and
 * lines starting with '#' ignored; a second answer to a question replaces
 * the first.
 */
struct ui_answer {
	unsigned step, q;
	char *text;
};

struct ui_answers {
	struct ui_answer *v;
	size_t n;
};

/* Read path: 0, or -EINVAL "FILE:LINE: want STEP.Q: ANSWER" / a read
 * error's errno. */
int ui_answers_load(struct ui_answers *a, const char *path, struct dbg_err *err);
/* The answer to question q of step (both from 1), or NULL. */
const char *ui_answers_find(const struct ui_answers *a, unsigned step, unsigned q);
void ui_answers_release(struct ui_answers *a);

enum ui_report_kind { UI_REPORT_GRADESCOPE, UI_REPORT_JUNIT };

/* "gradescope" or "junit" in *kind: 0, or -EINVAL. */
int ui_report_kind_parse(const char *name, enum ui_report_kind *kind);

/*
 * Write the report of a lab run to path (replaced whole: written to a
 * temporary file beside it, then renamed). lab may be NULL (no lab was
 * found); ran: whether the program ran (a run that could not start gives
 * score 0 and says why in the output, msg). 0 or a negative errno with
 * "cannot write report FILE: ...".
 */
int ui_lab_report_write(enum ui_report_kind kind, const char *path, const struct ui_lab_meta *m,
			const struct dbg_lab *lab, int number, const struct ui_lab_results *r,
			const char *msg, struct dbg_err *err);

#endif
