/*
 * ignoreterm - ignores SIGTERM, SIGHUP and SIGINT, then sleeps forever:
 * only SIGKILL ends it. Tests use it to check that whoever launched it
 * does not leave it behind.
 */
#include "runtime.h"

#define SYS_rt_sigaction 13
#define SYS_nanosleep 35
#define SIG_IGN_HANDLER 1
#define SIGHUP 1
#define SIGINT 2
#define SIGTERM 15

/* The kernel's struct sigaction on x86-64. */
struct ksigaction {
	uintptr_t handler;
	uint64_t flags;
	uintptr_t restorer;
	uint64_t mask;
};

struct ktimespec {
	int64_t sec, nsec;
};

static intptr_t syscall4(intptr_t nr, intptr_t a, intptr_t b, intptr_t c, intptr_t d)
{
	register intptr_t r10 __asm__("r10") = d;
	intptr_t ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static void ignore(int sig)
{
	struct ksigaction sa = { .handler = SIG_IGN_HANDLER };

	if (syscall4(SYS_rt_sigaction, sig, (intptr_t)&sa, 0, sizeof(sa.mask)) < 0)
		runtime_throw("ignoreterm: rt_sigaction failed");
}

void main_main(void)
{
	struct ktimespec ts = { .sec = 1 };

	ignore(SIGTERM);
	ignore(SIGHUP);
	ignore(SIGINT);
	runtime_printf("ignoreterm: ignoring SIGTERM, SIGHUP and SIGINT\n");
	for (;;)
		syscall4(SYS_nanosleep, (intptr_t)&ts, 0, 0, 0);
}
