/*
 * sync.c - a WaitGroup on gopark/goready for the example programs. One M
 * runs goroutines cooperatively, so no lock is needed; one waiter at a time.
 */
#include "runtime.h"

void sync_WaitGroup_Add(struct WaitGroup *wg, int32_t delta)
{
	struct g *gp;

	wg->n += delta;
	if (wg->n < 0)
		runtime_throw("sync: negative WaitGroup counter");
	if (wg->n > 0 || wg->waiter == NULL)
		return;
	gp = wg->waiter;
	wg->waiter = NULL;
	runtime_goready(gp);
}

void sync_WaitGroup_Done(struct WaitGroup *wg)
{
	sync_WaitGroup_Add(wg, -1);
}

void sync_WaitGroup_Wait(struct WaitGroup *wg)
{
	if (wg->n == 0)
		return;
	if (wg->waiter != NULL)
		runtime_throw("sync: WaitGroup supports one waiter");
	wg->waiter = getg();
	runtime_gopark(NULL, NULL, waitReasonSemacquire);
}
