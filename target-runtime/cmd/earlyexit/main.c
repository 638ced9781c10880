/*
 * earlyexit - main.main exits with status 7 before it calls main.after,
 * so a breakpoint there is never reached.
 */
#include "runtime.h"

static void after(void) GO("main.after");

static NOINLINE void after(void)
{
	runtime_printf("earlyexit: unreachable\n");
}

void main_main(void)
{
	runtime_printf("earlyexit: leaving with status 7\n");
	/* always true, but the call below stays in the code */
	if (runtime_argc > 0)
		runtime_exit(7);
	after();
}
