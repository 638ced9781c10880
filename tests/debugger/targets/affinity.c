/*
 * affinity — its CPU mask as the program sees it: sched_getaffinity's
 * answer and the kernel's own (/proc/self/task/TID/status,
 * Cpus_allowed_list), one line each, in the main thread, in the child of a
 * fork and in a new thread (whose first call is thread_started, a
 * breakpoint site). Written with write(2): nothing is buffered across the
 * fork. Under a debugger that pins the main thread to its CPU while it is
 * alone, only the "main status" line may differ from an untraced run's.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The mask as the kernel lists it: "0-3,6". */
static void list(const cpu_set_t *set, char *out, size_t n)
{
	size_t k = 0;
	out[0] = 0;
	for (int c = 0; c < CPU_SETSIZE && k + 24 < n; c++) {
		if (!CPU_ISSET(c, set))
			continue;
		int e = c;
		while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, set))
			e++;
		k += (size_t)(e > c ? snprintf(out + k, n - k, "%s%d-%d", k ? "," : "", c, e) :
				      snprintf(out + k, n - k, "%s%d", k ? "," : "", c));
		c = e;
	}
}

static void report(const char *who)
{
	char buf[512], mine[256] = "?", st[256] = "?";
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		list(&set, mine, sizeof(mine));
	snprintf(buf, sizeof(buf), "/proc/self/task/%ld/status", (long)syscall(SYS_gettid));
	FILE *f = fopen(buf, "r");
	while (f && fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "Cpus_allowed_list: %255s", st) == 1)
			break;
	if (f)
		fclose(f);
	int len = snprintf(buf, sizeof(buf), "%s: %s\n%s status: %s\n", who, mine, who, st);
	if (write(1, buf, (size_t)len) != len)
		_exit(3);
}

__attribute__((noinline)) void thread_started(void)
{
	__asm__ volatile("");
}

static void *worker(void *arg)
{
	(void)arg;
	thread_started();
	report("thread");
	return NULL;
}

int main(void)
{
	report("main");
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		report("fork");
		_exit(0);
	}
	int st;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 2;
	pthread_t th;
	if (pthread_create(&th, NULL, worker, NULL) != 0)
		return 4;
	pthread_join(th, NULL);
	return 0;
}
