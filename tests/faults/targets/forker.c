/*
 * forker — a program whose child outlives what the debugger sees: it
 * forks a child that waits forever (or, given arguments, runs them with
 * execv, as fork+exec and Go's os/exec do), prints the child's pid, stops
 * itself with SIGUSR1 (a debugger reports the signal: the child exists
 * then), and waits for the child.
 *
 * usage: forker [PROGRAM ARGS...]
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pid_t child;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	child = fork();
	if (child < 0) {
		perror("forker: fork");
		return 1;
	}
	if (child == 0) {
		if (argc > 1) {
			execv(argv[1], argv + 1);
			perror("forker: execv");
			_exit(127);
		}
		for (;;)
			pause();
	}
	printf("forker: child %d\n", (int)child);
	fflush(stdout);
	kill(getpid(), SIGUSR1);
	waitpid(child, NULL, 0);
	return 0;
}
