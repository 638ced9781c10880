/*
 * hello - the default target: greets, then runs three goroutines that
 * take turns through Gosched, and waits for them on a WaitGroup.
 */
#include "runtime.h"

enum { nworkers = 3, nsteps = 2 };

struct worker {
	struct funcval fv; /* first: newproc gets &w->fv */
	int32_t id;
};

static struct WaitGroup wg;

static void worker(struct funcval *fv) GO("main.worker");

static void worker(struct funcval *fv)
{
	struct worker *w = (struct worker *)fv;
	int32_t step;

	for (step = 1; step <= nsteps; step++) {
		runtime_printf("worker %d (goid %ld): step %d\n", w->id, getg()->goid, step);
		runtime_Gosched();
	}
	sync_WaitGroup_Done(&wg);
}

void main_main(void)
{
	int32_t i;

	runtime_printf("hello from bootscope: argc=%d GOMAXPROCS=%d\n", runtime_argc,
		       runtime_gomaxprocs);
	for (i = 1; i <= nworkers; i++) {
		struct worker *w = runtime_persistentalloc(sizeof *w, 8);

		w->fv.fn = (uintptr_t)worker;
		w->id = i;
		sync_WaitGroup_Add(&wg, 1);
		runtime_newproc(&w->fv);
	}
	sync_WaitGroup_Wait(&wg);
	runtime_printf("main: %d workers done, goodbye\n", nworkers);
}
