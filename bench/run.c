/*
 * bench-run — run a command and report its wall time and peak memory.
 *
 *   bench-run REPORT PROGRAM [ARGS...]
 *
 * Writes one JSON object to the file REPORT once PROGRAM has ended:
 *   {"status": 0, "signal": 0, "wall_ns": 8712345, "cpu_ns": 7012000,
 *    "maxrss_kb": 6120}
 * status is the exit status (or 0 when killed, with signal set); cpu_ns is
 * the user and system time, and maxrss_kb the peak resident set size, that
 * wait4() reports for PROGRAM and the children it reaped (its tracee, for a
 * debugger). Exits with PROGRAM's status.
 *
 * Why not the harness's own wait4(): Linux carries a process's peak RSS
 * across execve, so a child forked from a large parent (the Python harness)
 * starts with the parent's peak. Forked from this small program, the
 * figure is the program's own.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench-run REPORT PROGRAM [ARGS...]\n");
		return 2;
	}
	uint64_t t0 = now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench-run: cannot fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("bench-run: cannot execute");
		_exit(127);
	}
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("bench-run: wait4");
		return 1;
	}
	uint64_t ns = now_ns() - t0;
	FILE *f = fopen(argv[1], "w");
	if (!f) {
		perror("bench-run: cannot write the report");
		return 1;
	}
	uint64_t cpu = ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
		       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
	fprintf(f, "{\"status\": %d, \"signal\": %d, \"wall_ns\": %" PRIu64
		", \"cpu_ns\": %" PRIu64 ", \"maxrss_kb\": %ld}\n",
		WIFEXITED(st) ? WEXITSTATUS(st) : 0, WIFSIGNALED(st) ? WTERMSIG(st) : 0,
		ns, cpu, ru.ru_maxrss);
	if (fclose(f) != 0) {
		perror("bench-run: cannot write the report");
		return 1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
