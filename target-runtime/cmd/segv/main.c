/*
 * segv - boots normally, then main.main stores through a pointer into
 * unmapped memory: the process dies of SIGSEGV with a known fault address
 * (main.badptr), the way a nil or wild pointer kills a Go program.
 */
#include "runtime.h"

/* Far from any mapping of this static, non-PIE program. */
uintptr_t main_badptr GO("main.badptr") = 0xdead0000;

static void crash(void) GO("main.crash");

static NOINLINE void crash(void)
{
	*(volatile uint64_t *)main_badptr = 1;
}

void main_main(void)
{
	runtime_printf("segv: storing to %p\n", (void *)main_badptr);
	crash();
	runtime_printf("segv: unreachable\n");
}
