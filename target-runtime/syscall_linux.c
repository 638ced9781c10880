/*
 * syscall_linux.c - Go's package syscall: a system call that may block is
 * bracketed by runtime.entersyscall and runtime.exitsyscall. Its goroutine
 * keeps the M (blocked in the kernel) and lends out the P: sysmon retakes
 * a P that stays in _Psyscall for a tick and hands it to another M, so the
 * other goroutines keep running.
 */
#include "runtime.h"

enum {
	SYS_read = 0,
	SYS_write = 1,
	SYS_nanosleep = 35,
	SYS_pipe2 = 293,
	EINTR = 4,
};

intptr_t syscall_Syscall6(uintptr_t trap, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
			  uintptr_t a5, uintptr_t a6)
{
	intptr_t r;

	runtime_entersyscall();
	r = syscall_RawSyscall6(trap, a1, a2, a3, a4, a5, a6);
	runtime_exitsyscall();
	return r;
}

intptr_t syscall_Syscall(uintptr_t trap, uintptr_t a1, uintptr_t a2, uintptr_t a3)
{
	intptr_t r;

	runtime_entersyscall();
	r = syscall_RawSyscall6(trap, a1, a2, a3, 0, 0, 0);
	runtime_exitsyscall();
	return r;
}

intptr_t syscall_Read(int32_t fd, void *p, intptr_t n)
{
	intptr_t r;

	do
		r = syscall_Syscall(SYS_read, (uintptr_t)fd, (uintptr_t)p, (uintptr_t)n);
	while (r == -EINTR);
	return r;
}

intptr_t syscall_Write(int32_t fd, const void *p, intptr_t n)
{
	intptr_t r;

	do
		r = syscall_Syscall(SYS_write, (uintptr_t)fd, (uintptr_t)p, (uintptr_t)n);
	while (r == -EINTR);
	return r;
}

intptr_t syscall_Nanosleep(int64_t ns)
{
	struct timespec ts, rem;
	intptr_t r;

	ts.tv_sec = ns / 1000000000;
	ts.tv_nsec = ns % 1000000000;
	for (;;) {
		r = syscall_Syscall(SYS_nanosleep, (uintptr_t)&ts, (uintptr_t)&rem, 0);
		if (r != -EINTR)
			return r;
		ts = rem;
	}
}

intptr_t syscall_Pipe2(int32_t fds[2], int32_t flags)
{
	return syscall_RawSyscall6(SYS_pipe2, (uintptr_t)fds, (uintptr_t)flags, 0, 0, 0, 0);
}
