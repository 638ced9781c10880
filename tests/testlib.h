/*
 * testlib — a tiny C test framework, header only.
 *
 *   #include "testlib.h"
 *   static void test_add(void) { T_EQ_INT(1 + 1, 2); }
 *   static const struct t_case cases[] = { T_CASE(test_add), };
 *   int main(int argc, char **argv) { return t_main(argc, argv, cases, T_COUNT(cases)); }
 *
 * Each case runs in a forked child, so a crash, an abort or a stuck tracee
 * fails that case alone (a case gets T_TIMEOUT seconds, default 60).
 * Assertions print the expression and both values, then end the case.
 * T_SKIP() ends a case as skipped (e.g. when ptrace is refused).
 *
 * Exit status of the program (meson's protocol): 0 when every case passed
 * (skipped ones aside), 1 when one failed, 77 when every case was skipped,
 * 99 on a setup error (T_SETUP_FAIL).
 *
 * Arguments: names of cases to run (default: all). Output: one line per case,
 * "ok NAME", "FAIL NAME", "skip NAME: why".
 *
 * Compile with -D_GNU_SOURCE (popen, mkstemp under -std=c17).
 */
#ifndef BOOTSCOPE_TESTLIB_H
#define BOOTSCOPE_TESTLIB_H

#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef T_TIMEOUT
#define T_TIMEOUT 60
#endif

struct t_case {
	const char *name;
	void (*fn)(void);
};

/* clang-format off */
#define T_CASE(f) { #f, f }
/* clang-format on */
#define T_COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum { T_EXIT_OK = 0, T_EXIT_FAIL = 1, T_EXIT_SKIP = 77, T_EXIT_SETUP = 99 };

__attribute__((noreturn, format(printf, 3, 4))) static inline void
t_fail_(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	_exit(T_EXIT_FAIL);
}

#define T_FAIL(...) t_fail_(__FILE__, __LINE__, __VA_ARGS__)

/* clang-format off */
/* End the case as skipped with a reason. */
#define T_SKIP(...) do { \
	fprintf(stderr, "skip: "); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
	fflush(stderr); _exit(T_EXIT_SKIP); } while (0)

/* End the case with a setup error (a missing input, not a wrong value). */
#define T_SETUP_FAIL(...) do { \
	fprintf(stderr, "setup error: "); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
	fflush(stderr); _exit(T_EXIT_SETUP); } while (0)

#define T_TRUE(c) do { if (!(c)) T_FAIL("expected true: %s", #c); } while (0)
/* c, or the case fails with a message: T_CHECK(ok, "what %d", x) (the
 * format is a string literal). */
#define T_CHECK(c, ...) do { if (!(c)) T_FAIL("check failed: " #c ": " __VA_ARGS__); } while (0)
#define T_FALSE(c) do { if (c) T_FAIL("expected false: %s", #c); } while (0)

#define T_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) T_FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_); } while (0)
#define T_NE_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ == b_) T_FAIL("%s != %s: both %lld", #a, #b, a_); } while (0)
#define T_GE_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ < b_) T_FAIL("%s >= %s: %lld < %lld", #a, #b, a_, b_); } while (0)
#define T_LT_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (!(a_ < b_)) T_FAIL("%s < %s: %lld >= %lld", #a, #b, a_, b_); } while (0)

#define T_EQ_HEX(a, b) do { uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b); \
	if (a_ != b_) T_FAIL("%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, #b, a_, b_); } while (0)
#define T_NE_HEX(a, b) do { uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b); \
	if (a_ == b_) T_FAIL("%s != %s: both 0x%" PRIx64, #a, #b, a_); } while (0)

#define T_EQ_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (!a_ || !b_ || strcmp(a_, b_) != 0) \
		T_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)
#define T_CONTAINS(hay, needle) do { const char *h_ = (hay), *n_ = (needle); \
	if (!h_ || !strstr(h_, n_)) \
		T_FAIL("%s contains %s: \"%s\" lacks \"%s\"", #hay, #needle, h_ ? h_ : "(null)", n_); \
	} while (0)

#define T_NOT_NULL(p) do { if ((p) == NULL) T_FAIL("%s is NULL", #p); } while (0)
#define T_NULL(p) do { if ((p) != NULL) T_FAIL("%s is not NULL", #p); } while (0)

/* rc >= 0, else fail with the error record's message. */
#define T_OK(rc, err) do { long long r_ = (long long)(rc); \
	if (r_ < 0) T_FAIL("%s failed (%lld): %s", #rc, r_, (err).msg); } while (0)
/* clang-format on */

/* Run a shell command; its output (up to n - 1 bytes) goes into buf.
 * Returns the exit status, or -1. */
static inline int t_capture(const char *cmd, char *buf, size_t n)
{
	FILE *f = popen(cmd, "r");
	if (!f)
		return -1;
	size_t k = fread(buf, 1, n - 1, f);
	buf[k] = '\0';
	int st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* An environment variable that must be set (a setup error otherwise). */
static inline const char *t_env(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v)
		T_SETUP_FAIL("environment variable %s is not set", name);
	return v;
}

static inline int t_run_case(const struct t_case *c)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return T_EXIT_SETUP;
	}
	if (pid == 0) {
		alarm(T_TIMEOUT);
		c->fn();
		fflush(stdout);
		fflush(stderr);
		_exit(T_EXIT_OK);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	fprintf(stderr, "%s: killed by signal %d%s\n", c->name, WTERMSIG(st),
		WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
	return T_EXIT_FAIL;
}

static inline int t_main(int argc, char **argv, const struct t_case *cases, size_t n)
{
	int failed = 0, passed = 0, skipped = 0, setup = 0;
	for (size_t i = 0; i < n; i++) {
		if (argc > 1) {
			bool want = false;
			for (int a = 1; a < argc; a++)
				if (strcmp(argv[a], cases[i].name) == 0)
					want = true;
			if (!want)
				continue;
		}
		int rc = t_run_case(&cases[i]);
		const char *what = rc == T_EXIT_OK    ? "ok" :
				   rc == T_EXIT_SKIP  ? "skip" :
				   rc == T_EXIT_SETUP ? "SETUP-ERROR" :
							"FAIL";
		printf("%s %s\n", what, cases[i].name);
		fflush(stdout);
		if (rc == T_EXIT_OK)
			passed++;
		else if (rc == T_EXIT_SKIP)
			skipped++;
		else if (rc == T_EXIT_SETUP)
			setup++;
		else
			failed++;
	}
	printf("%d passed, %d failed, %d skipped, %d setup errors\n", passed, failed, skipped,
	       setup);
	if (failed)
		return T_EXIT_FAIL;
	if (setup)
		return T_EXIT_SETUP;
	if (skipped && !passed)
		return T_EXIT_SKIP;
	return T_EXIT_OK;
}

#endif
