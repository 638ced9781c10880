/*
 * bench-rawstep — the raw single-step limit of this kernel: the smallest
 * tracer loop there is (PTRACE_SINGLESTEP, wait4, PTRACE_GETREGS) run over
 * a program from its first instruction to its exit. Every other stepping
 * figure of the benchmarks is a fraction of this one.
 *
 *   bench-rawstep [--pin] [--steps N] [--runs N] PROGRAM [ARGS...]
 *
 * Prints one JSON object per run on stdout:
 *   {"steps": 16248, "ns": 81234567, "cpu_ns": 80100000, "pinned": true,
 *    "last_pc": 4199269}
 * steps counts the finished single steps (SIGTRAP stops), the instruction
 * that ends the process excluded, as dbg_session_steps() counts them; ns is
 * the time of the stepping loop alone (fork and execve excluded); cpu_ns
 * the CPU time of this loop and of the program (user and system); last_pc
 * is rip after the last finished step (at the exit: the address of the
 * instruction that ended the process); cpuids the cpuid instructions among
 * the steps (run to an int3 after them: a hypervisor may lose their trap). --steps N stops after N steps and
 * kills the program.
 *
 * --pin puts the tracer and the tracee on the tracer's current CPU, as
 * bootscope does for a long stepi, and gives the tracee its own CPU mask
 * back for the step over a sched_getaffinity syscall, so the program sees
 * the same CPU count and runs the same instructions pinned or not.
 *
 * The program runs with address randomisation off and its stdout and
 * stderr on /dev/null, like a bootscope or gdb run.
 *
 * This is the benchmarks' reference, outside the engine on purpose: it
 * calls ptrace directly, which nothing else outside debugger/ptrace.c does.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* User and system time of who (RUSAGE_SELF, RUSAGE_CHILDREN). */
static uint64_t cpu_ns(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench-rawstep [--pin] [--steps N] [--runs N] PROGRAM [ARGS...]\n");
	exit(2);
}

/* fork + PTRACE_TRACEME + execve; returns the child stopped after execve. */
static pid_t launch(char **argv)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench-rawstep: cannot fork");
		exit(1);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		personality(ADDR_NO_RANDOMIZE);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
		if (WIFEXITED(st) && WEXITSTATUS(st) == 126) {
			fprintf(stderr, "bench-rawstep: ptrace refused\n");
			exit(77);
		}
		fprintf(stderr, "bench-rawstep: cannot start %s\n", argv[0]);
		exit(1);
	}
	/* Die with us if the benchmark is interrupted. */
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)PTRACE_O_EXITKILL);
	return pid;
}

static void set_cpus(pid_t pid, const cpu_set_t *set)
{
	if (sched_setaffinity(pid, sizeof(*set), set) < 0) {
		perror("bench-rawstep: sched_setaffinity");
		exit(1);
	}
}

static void one_run(char **argv, bool pin, uint64_t max_steps)
{
	cpu_set_t all, one;
	CPU_ZERO(&all);
	if (sched_getaffinity(0, sizeof(all), &all) < 0) {
		perror("bench-rawstep: sched_getaffinity");
		exit(1);
	}
	pid_t pid = launch(argv);
	if (pin) {
		CPU_ZERO(&one);
		CPU_SET(sched_getcpu(), &one);
		set_cpus(0, &one);
		set_cpus(pid, &one);
	}

	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) < 0) {
		perror("bench-rawstep: PTRACE_GETREGS");
		exit(1);
	}
	uint64_t steps = 0, cpuids = 0;
	int sig = 0;
	uint64_t c0 = cpu_ns(RUSAGE_SELF), k0 = cpu_ns(RUSAGE_CHILDREN);
	uint64_t t0 = now_ns();
	while (steps < max_steps) {
		bool unpinned = false;
		if (pin && regs.rax == SYS_sched_getaffinity) {
			errno = 0;
			long w = ptrace(PTRACE_PEEKTEXT, pid, (void *)regs.rip, NULL);
			if (errno == 0 && (w & 0xffff) == 0x050f) {
				set_cpus(pid, &all);
				unpinned = true;
			}
		}
		/* A hypervisor may lose the trap of a single-stepped cpuid (one
		 * step runs two instructions): cpuid runs to an int3 after it,
		 * as the engine does. Looked at only when eax holds a leaf. */
		long cpuid_next = 0, saved = 0;
		if (!sig && (regs.rax <= 0x20 || (regs.rax >= 0x80000000 && regs.rax <= 0x80000020))) {
			errno = 0;
			long w = ptrace(PTRACE_PEEKTEXT, pid, (void *)regs.rip, NULL);
			if (errno == 0 && (w & 0xffff) == 0xa20f) {
				cpuid_next = (long)regs.rip + 2;
				cpuids++;
				saved = ptrace(PTRACE_PEEKTEXT, pid, (void *)cpuid_next, NULL);
				ptrace(PTRACE_POKETEXT, pid, (void *)cpuid_next, (void *)((saved & ~0xffL) | 0xcc));
			}
		}
		if (ptrace(cpuid_next ? PTRACE_CONT : PTRACE_SINGLESTEP, pid, NULL, (void *)(long)sig) < 0) {
			perror("bench-rawstep: PTRACE_SINGLESTEP");
			exit(1);
		}
		int st;
		if (wait4(pid, &st, __WALL, NULL) < 0) {
			perror("bench-rawstep: wait4");
			exit(1);
		}
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (cpuid_next) {
			ptrace(PTRACE_POKETEXT, pid, (void *)cpuid_next, (void *)saved);
			ptrace(PTRACE_GETREGS, pid, NULL, &regs);
			if ((long)regs.rip == cpuid_next + 1) {
				regs.rip = (unsigned long long)cpuid_next;
				ptrace(PTRACE_SETREGS, pid, NULL, &regs);
			}
		}
		if (unpinned)
			set_cpus(pid, &one);
		sig = WSTOPSIG(st) == SIGTRAP ? 0 : WSTOPSIG(st);
		if (sig)
			continue; /* delivered by the next step, as a debugger does */
		if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) < 0) {
			perror("bench-rawstep: PTRACE_GETREGS");
			exit(1);
		}
		steps++;
	}
	uint64_t ns = now_ns() - t0;
	uint64_t c1 = cpu_ns(RUSAGE_SELF);
	if (steps == max_steps) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
	}
	uint64_t cpu = c1 - c0 + cpu_ns(RUSAGE_CHILDREN) - k0;
	if (pin)
		set_cpus(0, &all);
	printf("{\"steps\": %" PRIu64 ", \"ns\": %" PRIu64 ", \"cpu_ns\": %" PRIu64
	       ", \"pinned\": %s, \"last_pc\": %" PRIu64 ", \"cpuids\": %" PRIu64 "}\n",
	       steps, ns, cpu, pin ? "true" : "false", (uint64_t)regs.rip, cpuids);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	bool pin = false;
	long runs = 1;
	uint64_t max_steps = UINT64_MAX;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--pin") == 0) {
			pin = true;
		} else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc) {
			max_steps = strtoull(argv[++i], NULL, 10);
			if (max_steps < 1)
				usage();
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			runs = strtol(argv[++i], NULL, 10);
			if (runs < 1)
				usage();
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();
	for (long r = 0; r < runs; r++)
		one_run(argv + i, pin, max_steps);
	return 0;
}
