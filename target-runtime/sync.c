/*
 * sync.c - a WaitGroup on gopark/goready for the example programs, one
 * waiter at a time. Its lock makes it safe between Ms: Wait parks with the
 * lock still held and park_m releases it once the goroutine is _Gwaiting,
 * so a Done on another M cannot wake it before it sleeps.
 */
#include "runtime.h"

static bool parkunlock(struct g *gp, void *lock) GO("runtime.parkunlock_c");

static bool parkunlock(struct g *gp, void *lock)
{
	(void)gp;
	runtime_unlock(lock);
	return true;
}

void sync_WaitGroup_Add(struct WaitGroup *wg, int32_t delta)
{
	struct g *gp;

	runtime_lock(&wg->lock);
	wg->n += delta;
	if (wg->n < 0)
		runtime_throw("sync: negative WaitGroup counter");
	if (wg->n > 0 || wg->waiter == NULL) {
		runtime_unlock(&wg->lock);
		return;
	}
	gp = wg->waiter;
	wg->waiter = NULL;
	runtime_unlock(&wg->lock);
	runtime_goready(gp);
}

void sync_WaitGroup_Done(struct WaitGroup *wg)
{
	sync_WaitGroup_Add(wg, -1);
}

void sync_WaitGroup_Wait(struct WaitGroup *wg)
{
	runtime_lock(&wg->lock);
	if (wg->n == 0) {
		runtime_unlock(&wg->lock);
		return;
	}
	if (wg->waiter != NULL)
		runtime_throw("sync: WaitGroup supports one waiter");
	wg->waiter = getg();
	runtime_gopark(parkunlock, &wg->lock, waitReasonSemacquire);
}
