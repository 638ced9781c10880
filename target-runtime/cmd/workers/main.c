/*
 * workers - keeps every P busy. main starts 16 CPU-bound jobs at once: they
 * all land on main's P (runnext and the ring), newproc's wakep starts a
 * spinning M for an idle P, and that M steals half of the ring; the next
 * one steals from whoever is busiest. Job k does k units of work, calling
 * runtime.preemptcheck as it goes, so the longest ones (over 10 ms) are
 * preempted by sysmon and go to the global queue. main waits and prints
 * each job's result, in job order: the output does not depend on how
 * many Ms ran them. jobs[k].p records the P that finished job k.
 * `workers N` makes every job N times longer (default 1).
 *
 * With more than one P, a steal is not left to the OS's timing: after
 * queueing the jobs, main keeps its P busy until some job has finished: it
 * spins with no system call (sysmon cannot hand its P off) and no
 * preemption check (sysmon's request waits): main.firstDone is that job's
 * number. No job can run on main's P meanwhile, so the first one to
 * finish was stolen by another P. If stealing were broken, workers would
 * never finish.
 */
#include "runtime.h"

enum { njobs = 16, unit = 300000 };

struct job {
	struct funcval fv; /* first: newproc gets &job.fv */
	int32_t id;
	int64_t goid;
	int32_t p; /* the P it finished on */
	uint64_t result;
};

struct job main_jobs[njobs + 1] GO("main.jobs");
/* The first job to finish (0 until one has). */
int32_t main_firstDone GO("main.firstDone");
static struct WaitGroup wg;
static int32_t scale = 1;

static void work(struct funcval *fv) GO("main.work");
static void waitStolen(void) GO("main.waitStolen");

/* A little mixing per step, so the loop cannot be folded away. */
static uint64_t step(uint64_t x, uint64_t i)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ull;
	return x + i;
}

static void work(struct funcval *fv)
{
	struct job *j = (struct job *)fv;
	uint64_t x = (uint64_t)j->id, i, n = (uint64_t)j->id * (uint64_t)scale * unit;

	for (i = 1; i <= n; i++) {
		x = step(x, i);
		if (i % 1024 == 0)
			runtime_preemptcheck();
	}
	j->result = x;
	j->goid = getg()->goid;
	j->p = p_ptr(getg()->m->p)->id;
	{
		int32_t none = 0;

		__atomic_compare_exchange_n(&main_firstDone, &none, j->id, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
	}
	sync_WaitGroup_Done(&wg);
}

/* Holds this M's P, busy, until a job has finished elsewhere (see the top). */
static void waitStolen(void)
{
	while (__atomic_load_n(&main_firstDone, __ATOMIC_SEQ_CST) == 0)
		runtime_procyield(30);
}

void main_main(void)
{
	int32_t k;
	uint64_t total = 0;

	if (runtime_argc > 1 && (!runtime_atoi32(runtime_argv[1], &scale) || scale < 1)) {
		runtime_fdprintf(2, "usage: workers [N >= 1]\n");
		runtime_exit(2);
	}
	/* Written for several Ms: idle Ps may take goroutines. */
	runtime_wakeIdlePs = true;
	runtime_printf("workers: %d jobs on GOMAXPROCS=%d\n", njobs, runtime_gomaxprocs);
	for (k = 1; k <= njobs; k++) {
		main_jobs[k].fv.fn = (uintptr_t)work;
		main_jobs[k].id = k;
		sync_WaitGroup_Add(&wg, 1);
		runtime_newproc(&main_jobs[k].fv);
	}
	if (runtime_gomaxprocs > 1)
		waitStolen();
	sync_WaitGroup_Wait(&wg);
	for (k = 1; k <= njobs; k++) {
		runtime_printf("job %d (goid %ld): %x\n", k, main_jobs[k].goid,
			       (uint32_t)main_jobs[k].result);
		total ^= main_jobs[k].result;
	}
	runtime_printf("workers: all %d done, xor %lx\n", njobs, total);
}
