/*
 * syscalls — the x86-64 Linux system calls by number: their names, gdb's
 * groups (`catch syscall group:memory`), and strace-style decoding of the
 * arguments and the result of a call.
 *
 * Pure: the memory a pointer argument points to and the names of addresses
 * come from callbacks (struct dbg_sysdec), so a live process and a
 * recording decode alike. Nothing is allocated; texts go into the caller's
 * fixed buffers and are cut (ending in "...") when they do not fit.
 *
 * The names are the kernel header's (<asm/unistd_64.h>) for every number
 * it defines, the argument counts strace's, the groups gdb's.
 *
 * The calls a Go boot makes are decoded as strace 6 prints them, argument
 * by argument: arch_prctl (code by name, the address; ARCH_GET_FS the value
 * stored), mmap/munmap/madvise/mprotect (prot, MAP_* flags and advice by
 * name), clone (child stack, flags by name with the exit signal, then
 * parent_tid, tls and child_tidptr as the flags ask for them), clone3 (the
 * struct), futex (op by name and the arguments that op takes), sched_get/
 * setaffinity (the mask as "[0 1]"), rt_sigaction (signal, the struct
 * sigaction with handler, mask, flags, restorer), rt_sigprocmask (how and
 * the sets: "[HUP INT]", "~[]"), sigaltstack (the stack_t), nanosleep,
 * clock_nanosleep, clock_gettime/getres (clock by name, the timespec),
 * write and read (the first 32 bytes of the buffer as a quoted C string),
 * open/openat (AT_FDCWD, the path, O_* flags, the mode when O_CREAT),
 * epoll_create/create1/ctl/wait/pwait, pipe/pipe2, fcntl (command by name,
 * its argument), close, dup, exit, exit_group, kill, tkill, tgkill, brk,
 * set_tid_address, getrlimit/setrlimit/prlimit64 (resource by name, the
 * limits: "{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}"). Others
 * (getpid, gettid, sched_yield take none): raw arguments in hex, as many as
 * the call takes.
 */
#ifndef DBG_SYSCALLS_H
#define DBG_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Numbers from 0 to DBG_SYSCALL_MAX - 1 have names (gaps: NULL). */
#define DBG_SYSCALL_MAX 512

/* "arch_prctl"; NULL for a number the kernel does not define. */
const char *dbg_syscall_name(uint64_t nr);

/* The number of a name ("write" -> 1), or -1. */
int64_t dbg_syscall_by_name(const char *name);

/* How many arguments call nr takes (0-6; 6 when unknown). */
unsigned dbg_syscall_nargs(uint64_t nr);

/* gdb's groups (gdb/syscalls/amd64-linux.xml): "process", "signal",
 * "memory", "file", "descriptor", "network", "ipc". Whether group is one,
 * and whether nr is in it. */
bool dbg_syscall_group_known(const char *group);
bool dbg_syscall_in_group(uint64_t nr, const char *group);

/* errno's name ("ENOENT", "ERESTARTSYS"), NULL when unknown. */
const char *dbg_errno_name(int e);

/* Where pointer arguments are read and addresses named. */
struct dbg_sysdec {
	/* n bytes at addr into buf: 0, or a negative errno (unreadable) */
	int (*read)(void *arg, uint64_t addr, void *buf, size_t n);
	/* A name for addr ("runtime.sigtramp", "&runtime.m0.tls[0]+8") into
	 * buf, returning buf, or NULL when it has none. May be NULL. */
	const char *(*addr_name)(void *arg, uint64_t addr, char *buf, size_t n);
	void *arg;
};

/* One decoded argument. */
struct dbg_sysarg {
	uint64_t raw;   /* the register's value */
	char text[256]; /* as strace shows it: "ARCH_SET_FS",
			 * "PROT_READ|PROT_WRITE", "\"hello\\n\"...",
			 * an address named "0x5a3b08 <&runtime.m0.tls[0]+8>";
			 * strace's "name=" in front where it prints one
			 * (clone's "flags=CLONE_VM|...") */
};

/*
 * Decode the arguments of call nr (args: rdi, rsi, rdx, r10, r8, r9) into
 * out, in the order strace prints them, which for clone is not the
 * registers' (raw says which register each shows); how many depends on the
 * call and on its flags (futex's op, clone's flags, fcntl's command).
 * At the entry (exited false) the inputs are read and an out-parameter is
 * its address; at the return (exited true, ret the result) the
 * out-parameters a successful call filled are read too: read's buffer, the
 * mask of sched_getaffinity, the old action of rt_sigaction, the old set of
 * rt_sigprocmask, the timespec of clock_gettime, pipe2's descriptors,
 * epoll_wait's events. A pointer that cannot be read shows as its address.
 * Returns the number of arguments filled into out (0-6).
 */
unsigned dbg_syscall_decode(const struct dbg_sysdec *d, uint64_t nr, const uint64_t args[6],
			    bool exited, int64_t ret, struct dbg_sysarg out[6]);

/* The result as strace shows it into buf: "0", "3", "0x7f3a1c000000"
 * (mmap, brk, mremap, shmat), "-1 ENOENT (No such file or directory)",
 * "? ERESTARTSYS (To be restarted if SA_RESTART is set)" for the kernel's
 * restart codes. */
void dbg_syscall_result(uint64_t nr, int64_t ret, char *buf, size_t n);

/* The same knowing the call's arguments, which some results need:
 * fcntl's F_GETFL and F_GETFD ("0x8001 (flags O_WRONLY|O_LARGEFILE)").
 * args may be NULL. */
void dbg_syscall_result_args(uint64_t nr, const uint64_t args[6], int64_t ret, char *buf, size_t n);

/* True when ret (rax after the call) is a failure (-4095..-1). */
bool dbg_syscall_failed(int64_t ret);

#endif
