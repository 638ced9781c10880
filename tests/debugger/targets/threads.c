/*
 * threads — a small multi-threaded inferior (clone via pthreads, a PIE with
 * an interpreter): two workers each call worker_mark() once, main joins
 * them, prints to stdout and stderr, and exits 5.
 */
#include <pthread.h>
#include <stdio.h>

volatile int marks;

__attribute__((noinline)) void worker_mark(int id)
{
	__atomic_add_fetch(&marks, id, __ATOMIC_SEQ_CST);
}

static void *worker(void *arg)
{
	worker_mark((int)(long)arg);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)(i + 1));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("threads: marks=%d\n", marks);
	fprintf(stderr, "threads: done\n");
	return 5;
}
