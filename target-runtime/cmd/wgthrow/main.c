/*
 * wgthrow - main.main calls Done on a WaitGroup that was never added to;
 * the runtime throws "sync: negative WaitGroup counter" (exit status 2),
 * as Go does.
 */
#include "runtime.h"

static struct WaitGroup wg;

void main_main(void)
{
	runtime_printf("wgthrow: Done without Add\n");
	sync_WaitGroup_Done(&wg);
	runtime_printf("wgthrow: unreachable\n");
}
