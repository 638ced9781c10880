/*
 * minirt — the C half of the purpose-built inferior: runtime structs named
 * as Go names them (DWARF for the debugger), globals carrying Go's symbol
 * names through asm labels (g.atomicstatus wrapped as newer Go does), and
 * small functions for stepping, nexti and finish. Behaviour by argv[1]: none = print and exit 3; "segv" = store
 * to address 0x10; "loop" = spin for a long time.
 */
#include <stddef.h>
#include <stdint.h>

struct stack {
	uintptr_t lo, hi;
};

struct gobuf {
	uintptr_t sp, pc, g, ctxt, ret, lr, bp;
};

struct m;

/* Newer Go wraps atomics in a struct with a `value` member. */
struct Uint32 {
	uint32_t value;
};

struct g {
	struct stack stack;
	uintptr_t stackguard0, stackguard1;
	void *_panic, *_defer;
	struct m *m;
	struct gobuf sched;
	uintptr_t syscallsp, syscallpc, stktopsp;
	void *param;
	struct Uint32 atomicstatus;
	uint32_t stackLock;
	int64_t goid;
	uintptr_t schedlink;
};

struct m {
	struct g *g0;
	uintptr_t morebuf[7];
	uintptr_t divmod;
	uintptr_t procid;
	struct g *gsignal;
	uintptr_t goSigStack[6];
	uintptr_t tls[6];
	void (*mstartfn)(void);
	struct g *curg;
	int64_t id;
	struct m *alllink;
};

_Static_assert(offsetof(struct g, m) == 48, "g.m at 48 (minirt.S)");
_Static_assert(offsetof(struct m, tls) == 136, "m.tls at 136 (minirt.S)");

struct g runtime_g0 __asm__("runtime.g0");
struct m runtime_m0 __asm__("runtime.m0");
struct g runtime_g0;
struct m runtime_m0;
int32_t runtime_argc __asm__("runtime.argc");
int32_t runtime_argc;
char **runtime_argv __asm__("runtime.argv");
char **runtime_argv;
volatile int checked;

void runtime_check(void) __asm__("runtime.check");
void runtime_args(int32_t argc, char **argv) __asm__("runtime.args");
int main_main(void) __asm__("main.main");
long runtime_write1(long fd, const void *p, long n) __asm__("runtime.write1");
int foo(void);
int depth(int n);
int leaf(int x);

void runtime_check(void)
{
	checked = 1;
	runtime_g0.atomicstatus.value = 2; /* _Grunning, read through the wrapper */
}

void runtime_args(int32_t argc, char **argv)
{
	runtime_argc = argc;
	runtime_argv = argv;
}

int foo(void)
{
	return 42;
}

int leaf(int x)
{
	return x * 3 + 1;
}

int depth(int n)
{
	if (n == 0)
		return leaf(n);
	return depth(n - 1) + 1;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int main_main(void)
{
	int r = leaf(4);
	r += depth(3);
	if (runtime_argc > 1 && streq(runtime_argv[1], "segv"))
		*(volatile int *)0x10 = r;
	if (runtime_argc > 1 && streq(runtime_argv[1], "loop")) {
		for (volatile unsigned long i = 0; i < 4000000000ul; i++)
			;
	}
	static const char msg[] = "minirt: main.main\n";
	runtime_write1(1, msg, sizeof(msg) - 1);
	return r == 13 + 4 ? 3 : 99;
}
