/*
 * panic.c - fatal errors, as Go's runtime.throw: one line on stderr,
 * exit status 2.
 */
#include "runtime.h"

void runtime_throw(const char *s)
{
	struct m *mp = getg()->m;

	if (mp != NULL && mp->throwing++ > 0) {
		/* A throw while throwing (say the printer failed): just stop. */
		runtime_exit(2);
	}
	runtime_fdprintf(2, "fatal error: %s\n", s);
	runtime_exit(2);
}
