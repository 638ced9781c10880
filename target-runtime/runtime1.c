/*
 * runtime1.c - runtime.check, runtime.args and the environment, after Go's
 * runtime/runtime1.go and env_posix.go.
 */
#include "runtime.h"

int32_t runtime_argc GO("runtime.argc");
char **runtime_argv GO("runtime.argv");

/* Kept volatile so the checks below are computed at run time, as in Go. */
static volatile int64_t check_divisor = 7;
static volatile uint64_t check_word;

/* Self-tests of the assumptions the rest of the runtime makes; no state changes. */
void runtime_check(void)
{
	uint64_t old = 1;

	if (sizeof(struct g) != 392 || sizeof(struct m) != 1008)
		runtime_throw("bad struct g or m size");
	if (sizeof(struct gobuf) != 56 || sizeof(struct stack) != 16)
		runtime_throw("bad gobuf or stack size");
	if (sizeof(uintptr_t) != 8 || sizeof(int32_t) != 4 || sizeof(int64_t) != 8)
		runtime_throw("bad integer sizes");
	if (-100 / check_divisor != -14 || -100 % check_divisor != -2)
		runtime_throw("bad 64-bit division");

	check_word = 1;
	if (!__atomic_compare_exchange_n(&check_word, &old, 2, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST) ||
	    check_word != 2)
		runtime_throw("cas1");
	old = 1;
	if (__atomic_compare_exchange_n(&check_word, &old, 3, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST) ||
	    old != 2)
		runtime_throw("cas2");
	if (__atomic_add_fetch(&check_word, 5, __ATOMIC_SEQ_CST) != 7)
		runtime_throw("xadd64 failed");

	if ((StackMin & (StackMin - 1)) != 0)
		runtime_throw("StackMin is not a power of 2");
}

/* Keeps argc/argv and reads the auxiliary vector that follows envp. */
void runtime_args(int32_t c, char **v)
{
	runtime_argc = c;
	runtime_argv = v;
	runtime_sysargs(c, v);
}

/* The value of key in the environment (argv + argc + 1), or NULL. */
const char *runtime_gogetenv(const char *key)
{
	size_t klen = runtime_findnull(key);
	char **env;

	if (runtime_argv == NULL)
		return NULL;
	for (env = runtime_argv + runtime_argc + 1; *env != NULL; env++) {
		const char *e = *env;

		if (memcmp(e, key, klen) == 0 && e[klen] == '=')
			return e + klen + 1;
	}
	return NULL;
}

bool runtime_atoi32(const char *s, int32_t *out)
{
	int64_t n = 0;
	bool neg = false;

	if (s == NULL || *s == '\0')
		return false;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (*s - '0');
		if (n > INT32_MAX + (int64_t)neg)
			return false;
	}
	*out = (int32_t)(neg ? -n : n);
	return true;
}

size_t runtime_findnull(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	while (s[n] != '\0')
		n++;
	return n;
}
