/*
 * sleepstep — the thread-group leader spins while a second thread sleeps
 * in nanosleep (1 s, from worker_sleep): a process-directed signal that
 * comes while the worker is in the call goes to the running leader. The
 * leader ends the program (exit 7) when the worker has slept.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

volatile int slept;

__attribute__((noinline)) void worker_sleep(void)
{
	struct timespec ts = { .tv_sec = 1, .tv_nsec = 0 };
	syscall(SYS_nanosleep, &ts, NULL);
	slept = 1;
}

static void *worker(void *arg)
{
	(void)arg;
	worker_sleep();
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (!slept)
		;
	pthread_join(t, NULL);
	return 7;
}
