/*
 * spawn - starts 300 goroutines from main. P0's runnext holds the newest,
 * its 256-slot ring the rest, until the ring overflows and half of it
 * (128) plus one goes to the global run queue. Each goroutine does a
 * little work; main waits and prints the count. A second wave of 40 then
 * reuses dead Gs from P0's free list (refilled from sched.gFree) instead
 * of allocating new ones.
 */
#include "runtime.h"

enum { ngoroutines = 300, nsecond = 40 };

struct job {
	struct funcval fv;
	int32_t id;
};

static struct WaitGroup wg;
static int32_t done;
static uint64_t total;

static void job(struct funcval *fv) GO("main.job");

static void job(struct funcval *fv)
{
	int32_t id = ((struct job *)fv)->id;
	uint64_t sum = 0;
	int32_t i;

	for (i = 1; i <= id; i++)
		sum += (uint64_t)i * (uint64_t)i;
	total += sum;
	done++;
	sync_WaitGroup_Done(&wg);
}

static void start_jobs(int32_t n)
{
	int32_t i;

	for (i = 1; i <= n; i++) {
		struct job *j = runtime_persistentalloc(sizeof *j, 8);

		j->fv.fn = (uintptr_t)job;
		j->id = i;
		sync_WaitGroup_Add(&wg, 1);
		runtime_newproc(&j->fv);
	}
}

void main_main(void)
{
	struct p *pp = p_ptr(getg()->m->p);

	start_jobs(ngoroutines);
	runtime_printf("spawned %d goroutines: runnext=%d local=%u global=%d\n", ngoroutines,
		       pp->runnext != 0, pp->runqtail - pp->runqhead, runtime_sched.runqsize);
	sync_WaitGroup_Wait(&wg);
	runtime_printf("spawn: %d goroutines done, sum of squares total=%lu, allglen=%lu\n", done,
		       total, runtime_allglen);
	runtime_printf("dead gs: P0.gFree.n=%d sched.gFree.n=%d\n", pp->gFree.n,
		       runtime_sched.gFree.n);

	start_jobs(nsecond);
	sync_WaitGroup_Wait(&wg);
	runtime_printf("second wave: %d more done, allglen=%lu, P0.gFree.n=%d sched.gFree.n=%d\n",
		       done - ngoroutines, runtime_allglen, pp->gFree.n, runtime_sched.gFree.n);
}
