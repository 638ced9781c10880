/*
 * tui_test — the few assertion macros of the TUI's unit tests. A failed
 * check prints both values and the location, and the test exits 1.
 */
#ifndef TUI_TEST_H
#define TUI_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tui_test_failures;

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond);                             \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
			tui_test_failures++;                                  \
		}                                                             \
	} while (0)

#define CHECK_INT(a, b)                                                      \
	do {                                                                 \
		long long a_ = (long long)(a), b_ = (long long)(b);          \
		CHECK(a_ == b_, "%s = %lld, expected %s = %lld", #a, a_, #b, \
		      b_);                                                   \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		CHECK(a_ && b_ && strcmp(a_, b_) == 0,                       \
		      "%s = \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)", \
		      b_ ? b_ : "(null)");                                   \
	} while (0)

#define TEST_DONE()                                                           \
	do {                                                                  \
		if (tui_test_failures) {                                      \
			fprintf(stderr, "%d check(s) failed\n",               \
				tui_test_failures);                           \
			return 1;                                             \
		}                                                             \
		return 0;                                                     \
	} while (0)

#endif
