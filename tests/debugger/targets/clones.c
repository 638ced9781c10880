/*
 * clones — threads whose first function has the breakpoint: 64 raw
 * clone(CLONE_THREAD) children, each of which calls clone_first(id) as the
 * first thing it runs after the syscall. The first 32 are made one at a
 * time (main waits for each to finish), the last 32 in a burst (all made
 * before main waits for any), so their breakpoint hits, initial SIGSTOPs
 * and the parent's clone events interleave. The children use no libc and
 * no TLS. Exits with the number of children that ran clone_first.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NCLONES 64
#define STACK_SIZE (64 * 1024)

static char stacks[NCLONES][STACK_SIZE] __attribute__((aligned(16)));
static volatile int done[NCLONES];
static volatile int ran;

__attribute__((noinline)) void clone_first(long id)
{
	__atomic_add_fetch(&ran, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&done[id], 1, __ATOMIC_SEQ_CST);
}

static int child(void *arg)
{
	clone_first((long)arg);
	return 0; /* glibc's clone makes the exit syscall for the thread */
}

static void make(long id)
{
	int flags =
		CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
	if (clone(child, stacks[id] + STACK_SIZE, flags, (void *)id) < 0)
		_exit(100);
}

static void wait_for(long id)
{
	while (!__atomic_load_n(&done[id], __ATOMIC_SEQ_CST))
		sched_yield();
}

int main(void)
{
	for (long i = 0; i < NCLONES / 2; i++) {
		make(i);
		wait_for(i);
	}
	for (long i = NCLONES / 2; i < NCLONES; i++)
		make(i);
	for (long i = NCLONES / 2; i < NCLONES; i++)
		wait_for(i);
	/* the children's exit syscalls: let them finish before the group */
	for (int k = 0; k < 100; k++)
		sched_yield();
	_exit(ran);
}
