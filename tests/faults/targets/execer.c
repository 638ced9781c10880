/*
 * execer — a static program without libc that replaces itself: it
 * execve()s argv[1] with the arguments after it and its own environment.
 * Its main function carries Go's name main.main (the new program has one
 * too, elsewhere), and execer.exec, which makes the system call, exists
 * only here: breakpoints on both show how they follow the exec.
 */
enum { SYS_execve = 59, SYS_exit = 60 };

static long syscall3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

/* Must not return when the exec works. */
void execer_exec(char **argv, char **envp) __asm__("execer.exec");
void execer_main(long argc, char **argv, char **envp) __asm__("main.main");

__attribute__((noinline)) void execer_exec(char **argv, char **envp)
{
	syscall3(SYS_execve, (long)argv[0], (long)argv, (long)envp);
	syscall3(SYS_exit, 127, 0, 0);
}

void execer_main(long argc, char **argv, char **envp)
{
	if (argc < 2)
		syscall3(SYS_exit, 2, 0, 0);
	execer_exec(argv + 1, envp);
}

/* The entry: argc at (%rsp), argv after it, envp after argv's NULL. */
__asm__(".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	movq (%rsp), %rdi\n"
	"	leaq 8(%rsp), %rsi\n"
	"	leaq 16(%rsp,%rdi,8), %rdx\n"
	"	andq $-16, %rsp\n"
	"	call main.main\n"
	"	hlt\n"
	".size _start, .-_start\n");
