/*
 * stagecount - single-steps a program from its first instruction to its
 * exit and reports when each boot stage is first reached, in instructions.
 *
 * usage: stagecount PROGRAM NAME=ADDRESS... [-- ARG...]
 *
 * Prints one line per stage, in the order given:
 *   stage NAME STEP DELTA        (STEP: instructions executed before the
 *                                 stage's first instruction; DELTA: since
 *                                 the previous stage reached; - if never)
 * then "fs_base STEP" (the first step with a non-zero FS base), "syscalls N",
 * "total N" and "status N" (the exit status). The program's own output goes
 * to /dev/null. Exit status: 0 if the program exited 0, 1 otherwise,
 * 2 on a usage or tracing error, 77 if ptrace is not permitted.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

struct stage {
	const char *name;
	uint64_t addr;
	long step; /* -1 until reached */
};

static void pin_to_cpu0(void)
{
	cpu_set_t set;

	/* Tracer and tracee on one CPU: every step wakes the other otherwise. */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	(void)sched_setaffinity(0, sizeof set, &set);
}

int main(int argc, char **argv)
{
	struct stage *stages;
	int nstages = 0, i, argi, status;
	char **child_argv;
	long step = 0, fs_step = -1, syscalls = 0, prev;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: stagecount PROGRAM NAME=ADDRESS... [-- ARG...]\n");
		return 2;
	}
	stages = calloc((size_t)argc, sizeof *stages);
	child_argv = calloc((size_t)argc + 1, sizeof *child_argv);
	if (stages == NULL || child_argv == NULL) {
		perror("stagecount: calloc");
		return 2;
	}
	for (argi = 2; argi < argc && strcmp(argv[argi], "--") != 0; argi++) {
		char *eq = strchr(argv[argi], '='), *end;

		if (eq == NULL) {
			fprintf(stderr, "stagecount: bad stage %s: want NAME=ADDRESS\n",
				argv[argi]);
			return 2;
		}
		*eq = '\0';
		stages[nstages].name = argv[argi];
		stages[nstages].addr = strtoull(eq + 1, &end, 0);
		stages[nstages].step = -1;
		if (*end != '\0') {
			fprintf(stderr, "stagecount: bad address for %s: %s\n", argv[argi], eq + 1);
			return 2;
		}
		nstages++;
	}
	child_argv[0] = argv[1];
	for (i = 1, argi++; argi < argc; argi++)
		child_argv[i++] = argv[argi];

	pin_to_cpu0();
	pid = fork();
	if (pid < 0) {
		perror("stagecount: fork");
		return 2;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 1);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(77);
		execv(argv[1], child_argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("stagecount: waitpid");
		return 2;
	}
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 77) {
			fprintf(stderr, "stagecount: cannot trace %s (ptrace refused)\n", argv[1]);
			return 77;
		}
		fprintf(stderr, "stagecount: %s did not start under ptrace (status %d)\n", argv[1],
			WEXITSTATUS(status));
		return 2;
	}

	for (;;) {
		struct user_regs_struct regs;
		long word;

		if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) < 0) {
			perror("stagecount: PTRACE_GETREGS");
			kill(pid, SIGKILL);
			return 2;
		}
		for (i = 0; i < nstages; i++)
			if (stages[i].step < 0 && stages[i].addr == regs.rip)
				stages[i].step = step;
		if (fs_step < 0 && regs.fs_base != 0)
			fs_step = step;
		errno = 0;
		word = ptrace(PTRACE_PEEKTEXT, pid, (void *)regs.rip, NULL);
		if (errno == 0 && (word & 0xffff) == 0x050f) /* syscall */
			syscalls++;

		if (ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL) < 0) {
			perror("stagecount: PTRACE_SINGLESTEP");
			kill(pid, SIGKILL);
			return 2;
		}
		if (waitpid(pid, &status, 0) < 0) {
			perror("stagecount: waitpid");
			return 2;
		}
		step++;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (WIFSTOPPED(status) && WSTOPSIG(status) != SIGTRAP) {
			fprintf(stderr, "stagecount: %s stopped by signal %d at step %ld\n",
				argv[1], WSTOPSIG(status), step);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 1;
		}
	}

	prev = 0;
	for (i = 0; i < nstages; i++) {
		if (stages[i].step < 0) {
			printf("stage %s - -\n", stages[i].name);
			continue;
		}
		printf("stage %s %ld %ld\n", stages[i].name, stages[i].step, stages[i].step - prev);
		prev = stages[i].step;
	}
	printf("fs_base %ld\n", fs_step);
	printf("syscalls %ld\n", syscalls);
	printf("total %ld\n", step);
	free(stages);
	free(child_argv);
	if (WIFEXITED(status)) {
		printf("status %d\n", WEXITSTATUS(status));
		return WEXITSTATUS(status) == 0 ? 0 : 1;
	}
	printf("status signal %d\n", WTERMSIG(status));
	return 1;
}
