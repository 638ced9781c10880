/*
 * os_linux.c - what the runtime learns from Linux at boot (the auxiliary
 * vector: page size, random seed; the CPU count) and how it makes threads
 * (newosproc: clone). After Go's runtime/os_linux.go.
 */
#include "runtime.h"

enum {
	AT_NULL = 0,
	AT_PAGESZ = 6,
	AT_SECURE = 23,
	AT_RANDOM = 25,
	AT_SYSINFO_EHDR = 33,
};

int32_t runtime_ncpu GO("runtime.ncpu");
uintptr_t runtime_physPageSize GO("runtime.physPageSize");
/* AT_RANDOM: 16 bytes from the kernel, the seed for m.fastrand. */
uint8_t *runtime_startupRandomData GO("runtime.startupRandomData");
static uintptr_t vdsoEHDR;

/* Walks past argv and envp to the auxv (tag, value) pairs. */
void runtime_sysargs(int32_t c, char **v)
{
	int32_t n = c + 1;
	uintptr_t *auxv;

	while (v[n] != NULL) /* skip envp */
		n++;
	n++; /* skip the NULL after envp */
	for (auxv = (uintptr_t *)&v[n]; auxv[0] != AT_NULL; auxv += 2) {
		uintptr_t tag = auxv[0], val = auxv[1];

		switch (tag) {
		case AT_PAGESZ:
			runtime_physPageSize = val;
			break;
		case AT_RANDOM:
			runtime_startupRandomData = (uint8_t *)val;
			break;
		case AT_SYSINFO_EHDR:
			vdsoEHDR = val;
			break;
		default:
			break;
		}
	}
	if (runtime_physPageSize == 0)
		runtime_throw("failed to get system page size");
}

/* CPUs this thread may run on: the set bits of sched_getaffinity's mask. */
int32_t runtime_getproccount(void)
{
	enum { maxCPUs = 64 * 1024 };
	uint8_t buf[maxCPUs / 8]; /* 8 KiB, as Go's: m0's g0 has 64 KiB */
	int32_t r = runtime_sched_getaffinity(0, sizeof buf, buf);
	int32_t n = 0, i;

	if (r < 0)
		return 1;
	for (i = 0; i < r; i++) {
		uint8_t b = buf[i];

		for (; b != 0; b &= (uint8_t)(b - 1)) /* clear the lowest set bit */
			n++;
	}
	return n > 0 ? n : 1;
}

void runtime_osinit(void)
{
	runtime_ncpu = runtime_getproccount();
}

/* A new M's thread shares everything a thread of a process shares. */
static const int32_t cloneFlags =
	CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_SYSVSEM | CLONE_THREAD;

/*
 * Starts mp's thread on the top of mp's g0 stack, entering runtime.mstart
 * with g = mp.g0. runtime.clone adds CLONE_SETTLS with &mp.tls[0] + 8.
 */
void runtime_newosproc(struct m *mp)
{
	void *stk = (void *)mp->g0->stack.hi;
	intptr_t ret = runtime_clone(cloneFlags, stk, mp, mp->g0, runtime_mstart);

	if (ret < 0) {
		runtime_fdprintf(2,
				 "runtime: failed to create new OS thread (have %d already; errno=%ld)\n",
				 runtime_mcount() - 1, (int64_t)-ret);
		runtime_throw("newosproc");
	}
}

/* Called on the new M's own thread. m0 learns its tid here. */
void runtime_minit(void)
{
	getg()->m->procid = (uint64_t)runtime_gettid();
}

int64_t runtime_nanotime(void)
{
	return runtime_nanotime1();
}
