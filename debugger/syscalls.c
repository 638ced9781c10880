/* syscalls — system call names, groups and decoding (see syscalls.h). */
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>

#include <asm/prctl.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/sched.h>

#include "regs.h"

/* gdb's groups, one bit each. */
enum {
	G_PROCESS = 1 << 0,
	G_SIGNAL = 1 << 1,
	G_MEMORY = 1 << 2,
	G_FILE = 1 << 3,
	G_DESCRIPTOR = 1 << 4,
	G_NETWORK = 1 << 5,
	G_IPC = 1 << 6,
};

static const struct {
	const char *name;
	unsigned bit;
} group_names[] = {
	{ "process", G_PROCESS }, { "signal", G_SIGNAL },         { "memory", G_MEMORY },
	{ "file", G_FILE },       { "descriptor", G_DESCRIPTOR }, { "network", G_NETWORK },
	{ "ipc", G_IPC },
};

struct sysent {
	const char *name;
	unsigned char nargs;  /* as strace's sysent table has it */
	unsigned char groups; /* gdb's, from gdb/syscalls/amd64-linux.xml */
};

/* Every call the kernel's header numbers: the name is the macro's, the
 * number the header's; calls newer than the header are left out. */
#define E(n, a, g) [__NR_##n] = { #n, a, g }
/* clang-format off */
static const struct sysent sysent[DBG_SYSCALL_MAX] = {
	E(read, 3, G_DESCRIPTOR),
	E(write, 3, G_DESCRIPTOR),
	E(open, 3, G_DESCRIPTOR|G_FILE),
	E(close, 1, G_DESCRIPTOR),
	E(stat, 2, G_FILE),
	E(fstat, 2, G_DESCRIPTOR),
	E(lstat, 2, G_FILE),
	E(poll, 3, G_DESCRIPTOR),
	E(lseek, 3, G_DESCRIPTOR),
	E(mmap, 6, G_DESCRIPTOR|G_MEMORY),
	E(mprotect, 3, G_MEMORY),
	E(munmap, 2, G_MEMORY),
	E(brk, 1, G_MEMORY),
	E(rt_sigaction, 4, G_SIGNAL),
	E(rt_sigprocmask, 4, G_SIGNAL),
	E(rt_sigreturn, 0, G_SIGNAL),
	E(ioctl, 3, G_DESCRIPTOR),
	E(pread64, 4, G_DESCRIPTOR),
	E(pwrite64, 4, G_DESCRIPTOR),
	E(readv, 3, G_DESCRIPTOR),
	E(writev, 3, G_DESCRIPTOR),
	E(access, 2, G_FILE),
	E(pipe, 1, G_DESCRIPTOR),
	E(select, 5, G_DESCRIPTOR),
	E(sched_yield, 0, 0),
	E(mremap, 5, G_MEMORY),
	E(msync, 3, G_MEMORY),
	E(mincore, 3, G_MEMORY),
	E(madvise, 3, G_MEMORY),
	E(shmget, 3, G_IPC),
	E(shmat, 3, G_IPC|G_MEMORY),
	E(shmctl, 3, G_IPC),
	E(dup, 1, G_DESCRIPTOR),
	E(dup2, 2, G_DESCRIPTOR),
	E(pause, 0, G_SIGNAL),
	E(nanosleep, 2, 0),
	E(getitimer, 2, 0),
	E(alarm, 1, 0),
	E(setitimer, 3, 0),
	E(getpid, 0, 0),
	E(sendfile, 4, G_DESCRIPTOR|G_NETWORK),
	E(socket, 3, G_NETWORK),
	E(connect, 3, G_NETWORK),
	E(accept, 3, G_NETWORK),
	E(sendto, 6, G_NETWORK),
	E(recvfrom, 6, G_NETWORK),
	E(sendmsg, 3, G_NETWORK),
	E(recvmsg, 3, G_NETWORK),
	E(shutdown, 2, G_NETWORK),
	E(bind, 3, G_NETWORK),
	E(listen, 2, G_NETWORK),
	E(getsockname, 3, G_NETWORK),
	E(getpeername, 3, G_NETWORK),
	E(socketpair, 4, G_NETWORK),
	E(setsockopt, 5, G_NETWORK),
	E(getsockopt, 5, G_NETWORK),
	E(clone, 5, G_PROCESS),
	E(fork, 0, G_PROCESS),
	E(vfork, 0, G_PROCESS),
	E(execve, 3, G_FILE|G_PROCESS),
	E(exit, 1, G_PROCESS),
	E(wait4, 4, G_PROCESS),
	E(kill, 2, G_SIGNAL),
	E(uname, 1, 0),
	E(semget, 3, G_IPC),
	E(semop, 3, G_IPC),
	E(semctl, 4, G_IPC),
	E(shmdt, 1, G_IPC|G_MEMORY),
	E(msgget, 2, G_IPC),
	E(msgsnd, 4, G_IPC),
	E(msgrcv, 5, G_IPC),
	E(msgctl, 3, G_IPC),
	E(fcntl, 3, G_DESCRIPTOR),
	E(flock, 2, G_DESCRIPTOR),
	E(fsync, 1, G_DESCRIPTOR),
	E(fdatasync, 1, G_DESCRIPTOR),
	E(truncate, 2, G_FILE),
	E(ftruncate, 2, G_DESCRIPTOR),
	E(getdents, 3, G_DESCRIPTOR),
	E(getcwd, 2, G_FILE),
	E(chdir, 1, G_FILE),
	E(fchdir, 1, G_DESCRIPTOR),
	E(rename, 2, G_FILE),
	E(mkdir, 2, G_FILE),
	E(rmdir, 1, G_FILE),
	E(creat, 2, G_DESCRIPTOR|G_FILE),
	E(link, 2, G_FILE),
	E(unlink, 1, G_FILE),
	E(symlink, 2, G_FILE),
	E(readlink, 3, G_FILE),
	E(chmod, 2, G_FILE),
	E(fchmod, 2, G_DESCRIPTOR),
	E(chown, 3, G_FILE),
	E(fchown, 3, G_DESCRIPTOR),
	E(lchown, 3, G_FILE),
	E(umask, 1, 0),
	E(gettimeofday, 2, 0),
	E(getrlimit, 2, 0),
	E(getrusage, 2, 0),
	E(sysinfo, 1, 0),
	E(times, 1, 0),
	E(ptrace, 4, 0),
	E(getuid, 0, 0),
	E(syslog, 3, 0),
	E(getgid, 0, 0),
	E(setuid, 1, 0),
	E(setgid, 1, 0),
	E(geteuid, 0, 0),
	E(getegid, 0, 0),
	E(setpgid, 2, 0),
	E(getppid, 0, 0),
	E(getpgrp, 0, 0),
	E(setsid, 0, 0),
	E(setreuid, 2, 0),
	E(setregid, 2, 0),
	E(getgroups, 2, 0),
	E(setgroups, 2, 0),
	E(setresuid, 3, 0),
	E(getresuid, 3, 0),
	E(setresgid, 3, 0),
	E(getresgid, 3, 0),
	E(getpgid, 1, 0),
	E(setfsuid, 1, 0),
	E(setfsgid, 1, 0),
	E(getsid, 1, 0),
	E(capget, 2, 0),
	E(capset, 2, 0),
	E(rt_sigpending, 2, G_SIGNAL),
	E(rt_sigtimedwait, 4, G_SIGNAL),
	E(rt_sigqueueinfo, 3, G_SIGNAL),
	E(rt_sigsuspend, 2, G_SIGNAL),
	E(sigaltstack, 2, G_SIGNAL),
	E(utime, 2, G_FILE),
	E(mknod, 3, G_FILE),
	E(uselib, 1, G_FILE),
	E(personality, 1, 0),
	E(ustat, 2, 0),
	E(statfs, 2, G_FILE),
	E(fstatfs, 2, G_DESCRIPTOR),
	E(sysfs, 3, 0),
	E(getpriority, 2, 0),
	E(setpriority, 3, 0),
	E(sched_setparam, 2, 0),
	E(sched_getparam, 2, 0),
	E(sched_setscheduler, 3, 0),
	E(sched_getscheduler, 1, 0),
	E(sched_get_priority_max, 1, 0),
	E(sched_get_priority_min, 1, 0),
	E(sched_rr_get_interval, 2, 0),
	E(mlock, 2, G_MEMORY),
	E(munlock, 2, G_MEMORY),
	E(mlockall, 1, G_MEMORY),
	E(munlockall, 0, G_MEMORY),
	E(vhangup, 0, 0),
	E(modify_ldt, 3, 0),
	E(pivot_root, 2, G_FILE),
	E(_sysctl, 1, 0),
	E(prctl, 5, 0),
	E(arch_prctl, 2, G_PROCESS),
	E(adjtimex, 1, 0),
	E(setrlimit, 2, 0),
	E(chroot, 1, G_FILE),
	E(sync, 0, 0),
	E(acct, 1, G_FILE),
	E(settimeofday, 2, 0),
	E(mount, 5, G_FILE),
	E(umount2, 2, G_FILE),
	E(swapon, 2, G_FILE),
	E(swapoff, 1, G_FILE),
	E(reboot, 4, 0),
	E(sethostname, 2, 0),
	E(setdomainname, 2, 0),
	E(iopl, 1, 0),
	E(ioperm, 3, 0),
	E(create_module, 2, 0),
	E(init_module, 3, 0),
	E(delete_module, 2, 0),
	E(get_kernel_syms, 1, 0),
	E(query_module, 5, 0),
	E(quotactl, 4, G_FILE),
	E(nfsservctl, 3, 0),
	E(getpmsg, 5, 0),
	E(putpmsg, 5, 0),
	E(afs_syscall, 5, 0),
	E(tuxcall, 3, 0),
	E(security, 3, 0),
	E(gettid, 0, 0),
	E(readahead, 3, G_DESCRIPTOR),
	E(setxattr, 5, G_FILE),
	E(lsetxattr, 5, G_FILE),
	E(fsetxattr, 5, G_DESCRIPTOR),
	E(getxattr, 4, G_FILE),
	E(lgetxattr, 4, G_FILE),
	E(fgetxattr, 4, G_DESCRIPTOR),
	E(listxattr, 3, G_FILE),
	E(llistxattr, 3, G_FILE),
	E(flistxattr, 3, G_DESCRIPTOR),
	E(removexattr, 2, G_FILE),
	E(lremovexattr, 2, G_FILE),
	E(fremovexattr, 2, G_DESCRIPTOR),
	E(tkill, 2, G_SIGNAL),
	E(time, 1, 0),
	E(futex, 6, 0),
	E(sched_setaffinity, 3, 0),
	E(sched_getaffinity, 3, 0),
	E(set_thread_area, 1, 0),
	E(io_setup, 2, 0),
	E(io_destroy, 1, 0),
	E(io_getevents, 5, 0),
	E(io_submit, 3, 0),
	E(io_cancel, 3, 0),
	E(get_thread_area, 1, 0),
	E(lookup_dcookie, 3, 0),
	E(epoll_create, 1, G_DESCRIPTOR),
	E(epoll_ctl_old, 4, 0),
	E(epoll_wait_old, 4, 0),
	E(remap_file_pages, 5, G_MEMORY),
	E(getdents64, 3, G_DESCRIPTOR),
	E(set_tid_address, 1, 0),
	E(restart_syscall, 0, 0),
	E(semtimedop, 4, G_IPC),
	E(fadvise64, 4, G_DESCRIPTOR),
	E(timer_create, 3, 0),
	E(timer_settime, 4, 0),
	E(timer_gettime, 2, 0),
	E(timer_getoverrun, 1, 0),
	E(timer_delete, 1, 0),
	E(clock_settime, 2, 0),
	E(clock_gettime, 2, 0),
	E(clock_getres, 2, 0),
	E(clock_nanosleep, 4, 0),
	E(exit_group, 1, G_PROCESS),
	E(epoll_wait, 4, G_DESCRIPTOR),
	E(epoll_ctl, 4, G_DESCRIPTOR),
	E(tgkill, 3, G_SIGNAL),
	E(utimes, 2, G_FILE),
	E(vserver, 5, 0),
	E(mbind, 6, G_MEMORY),
	E(set_mempolicy, 3, G_MEMORY),
	E(get_mempolicy, 5, G_MEMORY),
	E(mq_open, 4, 0),
	E(mq_unlink, 1, 0),
	E(mq_timedsend, 5, 0),
	E(mq_timedreceive, 5, 0),
	E(mq_notify, 2, 0),
	E(mq_getsetattr, 3, 0),
	E(kexec_load, 4, 0),
	E(waitid, 5, G_PROCESS),
	E(add_key, 5, 0),
	E(request_key, 4, 0),
	E(keyctl, 5, 0),
	E(ioprio_set, 3, 0),
	E(ioprio_get, 2, 0),
	E(inotify_init, 0, G_DESCRIPTOR),
	E(inotify_add_watch, 3, G_DESCRIPTOR),
	E(inotify_rm_watch, 2, G_DESCRIPTOR),
	E(migrate_pages, 4, G_MEMORY),
	E(openat, 4, G_DESCRIPTOR|G_FILE),
	E(mkdirat, 3, G_DESCRIPTOR|G_FILE),
	E(mknodat, 4, G_DESCRIPTOR|G_FILE),
	E(fchownat, 5, G_DESCRIPTOR|G_FILE),
	E(futimesat, 3, G_DESCRIPTOR|G_FILE),
	E(newfstatat, 4, G_DESCRIPTOR|G_FILE),
	E(unlinkat, 3, G_DESCRIPTOR|G_FILE),
	E(renameat, 4, G_DESCRIPTOR|G_FILE),
	E(linkat, 5, G_DESCRIPTOR|G_FILE),
	E(symlinkat, 3, G_DESCRIPTOR|G_FILE),
	E(readlinkat, 4, G_DESCRIPTOR|G_FILE),
	E(fchmodat, 3, G_DESCRIPTOR|G_FILE),
	E(faccessat, 3, G_DESCRIPTOR|G_FILE),
	E(pselect6, 6, G_DESCRIPTOR),
	E(ppoll, 5, G_DESCRIPTOR),
	E(unshare, 1, G_PROCESS),
	E(set_robust_list, 2, 0),
	E(get_robust_list, 3, 0),
	E(splice, 6, G_DESCRIPTOR),
	E(tee, 4, G_DESCRIPTOR),
	E(sync_file_range, 4, G_DESCRIPTOR),
	E(vmsplice, 4, G_DESCRIPTOR),
	E(move_pages, 6, G_MEMORY),
	E(utimensat, 4, G_DESCRIPTOR|G_FILE),
	E(epoll_pwait, 6, G_DESCRIPTOR),
	E(signalfd, 3, G_DESCRIPTOR|G_SIGNAL),
	E(timerfd_create, 2, G_DESCRIPTOR),
	E(eventfd, 1, G_DESCRIPTOR),
	E(fallocate, 4, G_DESCRIPTOR),
	E(timerfd_settime, 4, G_DESCRIPTOR),
	E(timerfd_gettime, 2, G_DESCRIPTOR),
	E(accept4, 4, G_NETWORK),
	E(signalfd4, 4, G_DESCRIPTOR|G_SIGNAL),
	E(eventfd2, 2, G_DESCRIPTOR),
	E(epoll_create1, 1, G_DESCRIPTOR),
	E(dup3, 3, G_DESCRIPTOR),
	E(pipe2, 2, G_DESCRIPTOR),
	E(inotify_init1, 1, G_DESCRIPTOR),
	E(preadv, 4, G_DESCRIPTOR),
	E(pwritev, 4, G_DESCRIPTOR),
	E(rt_tgsigqueueinfo, 4, G_PROCESS|G_SIGNAL),
	E(perf_event_open, 5, G_DESCRIPTOR),
	E(recvmmsg, 5, G_NETWORK),
	E(fanotify_init, 2, G_DESCRIPTOR),
	E(fanotify_mark, 5, G_DESCRIPTOR|G_FILE),
	E(prlimit64, 4, 0),
	E(name_to_handle_at, 5, G_DESCRIPTOR|G_FILE),
	E(open_by_handle_at, 3, G_DESCRIPTOR),
	E(clock_adjtime, 2, 0),
	E(syncfs, 1, G_DESCRIPTOR),
	E(sendmmsg, 4, G_NETWORK),
	E(setns, 2, G_DESCRIPTOR),
	E(getcpu, 3, 0),
	E(process_vm_readv, 6, 0),
	E(process_vm_writev, 6, 0),
	E(kcmp, 5, 0),
	E(finit_module, 3, G_DESCRIPTOR),
	E(sched_setattr, 3, 0),
	E(sched_getattr, 4, 0),
	E(renameat2, 5, 0),
	E(seccomp, 3, 0),
	E(getrandom, 3, 0),
	E(memfd_create, 2, 0),
	E(kexec_file_load, 5, 0),
	E(bpf, 3, 0),
	E(execveat, 5, 0),
	E(userfaultfd, 1, 0),
	E(membarrier, 3, 0),
	E(mlock2, 3, 0),
	E(copy_file_range, 6, 0),
	E(preadv2, 6, 0),
	E(pwritev2, 6, 0),
	E(pkey_mprotect, 4, 0),
	E(pkey_alloc, 2, 0),
	E(pkey_free, 1, 0),
	E(statx, 5, 0),
	E(io_pgetevents, 6, 0),
	E(rseq, 4, 0),
	E(pidfd_send_signal, 4, 0),
	E(io_uring_setup, 2, 0),
	E(io_uring_enter, 6, 0),
	E(io_uring_register, 4, 0),
	E(open_tree, 3, 0),
	E(move_mount, 5, 0),
	E(fsopen, 2, 0),
	E(fsconfig, 5, 0),
	E(fsmount, 3, 0),
	E(fspick, 3, 0),
	E(pidfd_open, 2, 0),
	E(clone3, 2, 0),
	E(close_range, 3, 0),
	E(openat2, 4, 0),
	E(pidfd_getfd, 3, 0),
	E(faccessat2, 4, 0),
	E(process_madvise, 5, 0),
	E(epoll_pwait2, 6, 0),
	E(mount_setattr, 5, 0),
	E(quotactl_fd, 4, 0),
	E(landlock_create_ruleset, 3, 0),
	E(landlock_add_rule, 4, 0),
	E(landlock_restrict_self, 2, 0),
	E(memfd_secret, 1, 0),
	E(process_mrelease, 2, 0),
	E(futex_waitv, 5, 0),
	E(set_mempolicy_home_node, 4, 0),
#ifdef __NR_cachestat
	E(cachestat, 4, 0),
#endif
#ifdef __NR_fchmodat2
	E(fchmodat2, 4, 0),
#endif
#ifdef __NR_map_shadow_stack
	E(map_shadow_stack, 3, 0),
#endif
#ifdef __NR_futex_wake
	E(futex_wake, 4, 0),
#endif
#ifdef __NR_futex_wait
	E(futex_wait, 6, 0),
#endif
#ifdef __NR_futex_requeue
	E(futex_requeue, 4, 0),
#endif
#ifdef __NR_statmount
	E(statmount, 4, 0),
#endif
#ifdef __NR_listmount
	E(listmount, 4, 0),
#endif
#ifdef __NR_lsm_get_self_attr
	E(lsm_get_self_attr, 4, 0),
#endif
#ifdef __NR_lsm_set_self_attr
	E(lsm_set_self_attr, 4, 0),
#endif
#ifdef __NR_lsm_list_modules
	E(lsm_list_modules, 3, 0),
#endif
#ifdef __NR_mseal
	E(mseal, 3, 0),
#endif
#ifdef __NR_setxattrat
	E(setxattrat, 6, 0),
#endif
#ifdef __NR_getxattrat
	E(getxattrat, 6, 0),
#endif
};
/* clang-format on */
#undef E

const char *dbg_syscall_name(uint64_t nr)
{
	return nr < DBG_SYSCALL_MAX ? sysent[nr].name : NULL;
}

int64_t dbg_syscall_by_name(const char *name)
{
	for (uint64_t nr = 0; nr < DBG_SYSCALL_MAX; nr++)
		if (sysent[nr].name && strcmp(sysent[nr].name, name) == 0)
			return (int64_t)nr;
	return -1;
}

unsigned dbg_syscall_nargs(uint64_t nr)
{
	return nr < DBG_SYSCALL_MAX && sysent[nr].name ? sysent[nr].nargs : 6;
}

static unsigned group_bit(const char *group)
{
	for (size_t i = 0; i < sizeof(group_names) / sizeof(group_names[0]); i++)
		if (strcmp(group_names[i].name, group) == 0)
			return group_names[i].bit;
	return 0;
}

bool dbg_syscall_group_known(const char *group)
{
	return group_bit(group) != 0;
}

bool dbg_syscall_in_group(uint64_t nr, const char *group)
{
	return nr < DBG_SYSCALL_MAX && (sysent[nr].groups & group_bit(group)) != 0;
}

/* The kernel's restart codes a tracer sees in rax (never a process). */
static const struct {
	int e;
	const char *name, *desc;
} restart_errnos[] = {
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ 513, "ERESTARTNOINTR", "To be restarted" },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ 515, "ENOIOCTLCMD", "No ioctl command" },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
};

const char *dbg_errno_name(int e)
{
	for (size_t i = 0; i < sizeof(restart_errnos) / sizeof(restart_errnos[0]); i++)
		if (restart_errnos[i].e == e)
			return restart_errnos[i].name;
	return e > 0 ? strerrorname_np(e) : NULL;
}

bool dbg_syscall_failed(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}

/* ---- text into a fixed buffer, cut with "..." when it does not fit ---- */

struct sb {
	char *buf;
	size_t cap, len;
	bool cut;
};

static void sb_init(struct sb *s, char *buf, size_t cap)
{
	s->buf = buf;
	s->cap = cap;
	s->len = 0;
	s->cut = false;
	buf[0] = '\0';
}

static void sb_putn(struct sb *s, const char *p, size_t n)
{
	if (s->cut)
		return;
	if (s->len + n >= s->cap) {
		s->cut = true;
		n = s->cap - 1 - s->len;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
	if (s->cut && s->cap > 4)
		memcpy(s->buf + s->cap - 4, "...", 4);
}

static void sb_puts(struct sb *s, const char *p)
{
	sb_putn(s, p, strlen(p));
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sb *s, const char *fmt, ...)
{
	if (s->cut)
		return;
	size_t room = s->cap - s->len;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(s->buf + s->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s->buf[s->len] = '\0';
	} else if ((size_t)n < room) {
		s->len += (size_t)n;
	} else {
		s->len = s->cap - 1;
		s->cut = true;
		if (s->cap > 4)
			memcpy(s->buf + s->cap - 4, "...", 4);
	}
}

/* ---- symbolic constants ---- */

struct xlat {
	uint64_t val;
	const char *name;
};
/* clang-format off */
#define X(c) { (uint64_t)(c), #c }
/* clang-format on */
#define XLEN(t) (sizeof(t) / sizeof((t)[0]))

/* Kernel values glibc's headers lack or define otherwise. */
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
#define K_O_LARGEFILE 0100000
#define K_O_TMPFILE 020000000 /* the kernel's __O_TMPFILE, without O_DIRECTORY */
#define K_O_SYNC_BIT 04000000 /* the kernel's __O_SYNC */

static const char *xlookup(const struct xlat *x, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (x[i].val == v)
			return x[i].name;
	return NULL;
}

/* A value by name, else in hex followed by the unknown name in a C comment,
 * as strace's printxval shows it. */
static void put_xval(struct sb *s, const struct xlat *x, size_t n, uint64_t v, const char *dflt)
{
	const char *name = xlookup(x, n, v);
	if (name)
		sb_puts(s, name);
	else
		sb_printf(s, "%#" PRIx64 " /* %s */", v, dflt);
}

/* Flags by name in the table's order, the rest in hex; 0 by its name when
 * the table has one (strace's printflags). */
static void put_flags(struct sb *s, const struct xlat *x, size_t n, uint64_t v, const char *dflt)
{
	unsigned found = 0;
	for (size_t i = 0; i < n && (v || !found); i++) {
		if (x[i].val == v || (x[i].val && (v & x[i].val) == x[i].val)) {
			if (found++)
				sb_puts(s, "|");
			sb_puts(s, x[i].name);
			v &= ~x[i].val;
			if (!v)
				break;
		}
	}
	if (found) {
		if (v)
			sb_printf(s, "|%#" PRIx64, v);
	} else if (v) {
		sb_printf(s, "%#" PRIx64, v);
		if (dflt)
			sb_printf(s, " /* %s */", dflt);
	} else {
		sb_puts(s, "0");
	}
}

static const struct xlat prot_x[] = {
	X(PROT_NONE), X(PROT_READ),      X(PROT_WRITE),   X(PROT_EXEC),
	X(PROT_SEM),  X(PROT_GROWSDOWN), X(PROT_GROWSUP),
};

static const struct xlat map_x[] = {
	X(MAP_SHARED),    X(MAP_PRIVATE),       X(MAP_SHARED_VALIDATE), X(MAP_FIXED),
	X(MAP_ANONYMOUS), X(MAP_32BIT),         X(MAP_NORESERVE),       X(MAP_POPULATE),
	X(MAP_NONBLOCK),  X(MAP_GROWSDOWN),     X(MAP_DENYWRITE),       X(MAP_EXECUTABLE),
	X(MAP_FILE),      X(MAP_LOCKED),        X(MAP_STACK),           X(MAP_HUGETLB),
	X(MAP_SYNC),      X(MAP_UNINITIALIZED), X(MAP_FIXED_NOREPLACE),
};

static const struct xlat madv_x[] = {
	X(MADV_NORMAL),          X(MADV_RANDOM),        X(MADV_SEQUENTIAL),
	X(MADV_WILLNEED),        X(MADV_DONTNEED),      X(MADV_FREE),
	X(MADV_REMOVE),          X(MADV_DONTFORK),      X(MADV_DOFORK),
	X(MADV_MERGEABLE),       X(MADV_UNMERGEABLE),   X(MADV_HUGEPAGE),
	X(MADV_NOHUGEPAGE),      X(MADV_DONTDUMP),      X(MADV_DODUMP),
	X(MADV_WIPEONFORK),      X(MADV_KEEPONFORK),    X(MADV_COLD),
	X(MADV_PAGEOUT),         X(MADV_POPULATE_READ), X(MADV_POPULATE_WRITE),
	X(MADV_DONTNEED_LOCKED),
#ifdef MADV_COLLAPSE
	X(MADV_COLLAPSE),
#endif
	X(MADV_HWPOISON),        X(MADV_SOFT_OFFLINE),
};

static const struct xlat arch_x[] = {
	X(ARCH_SET_GS),
	X(ARCH_SET_FS),
	X(ARCH_GET_FS),
	X(ARCH_GET_GS),
	X(ARCH_GET_CPUID),
	X(ARCH_SET_CPUID),
	X(ARCH_GET_XCOMP_SUPP),
	X(ARCH_GET_XCOMP_PERM),
	X(ARCH_REQ_XCOMP_PERM),
	X(ARCH_GET_XCOMP_GUEST_PERM),
	X(ARCH_REQ_XCOMP_GUEST_PERM),
	X(ARCH_MAP_VDSO_X32),
	X(ARCH_MAP_VDSO_32),
	X(ARCH_MAP_VDSO_64),
};

static const struct xlat clone_x[] = {
	X(CLONE_VM),
	X(CLONE_FS),
	X(CLONE_FILES),
	X(CLONE_SIGHAND),
	X(CLONE_PIDFD),
	X(CLONE_PTRACE),
	X(CLONE_VFORK),
	X(CLONE_PARENT),
	X(CLONE_THREAD),
	X(CLONE_NEWNS),
	X(CLONE_SYSVSEM),
	X(CLONE_SETTLS),
	X(CLONE_PARENT_SETTID),
	X(CLONE_CHILD_CLEARTID),
	X(CLONE_DETACHED),
	X(CLONE_UNTRACED),
	X(CLONE_CHILD_SETTID),
	X(CLONE_NEWCGROUP),
	X(CLONE_NEWUTS),
	X(CLONE_NEWIPC),
	X(CLONE_NEWUSER),
	X(CLONE_NEWPID),
	X(CLONE_NEWNET),
	X(CLONE_IO),
	X(CLONE_CLEAR_SIGHAND),
	X(CLONE_INTO_CGROUP),
	X(CLONE_NEWTIME),
};

static const struct xlat futex_x[] = {
	X(FUTEX_WAIT),
	X(FUTEX_WAKE),
	X(FUTEX_FD),
	X(FUTEX_REQUEUE),
	X(FUTEX_CMP_REQUEUE),
	X(FUTEX_WAKE_OP),
	X(FUTEX_LOCK_PI),
	X(FUTEX_UNLOCK_PI),
	X(FUTEX_TRYLOCK_PI),
	X(FUTEX_WAIT_BITSET),
	X(FUTEX_WAKE_BITSET),
	X(FUTEX_WAIT_REQUEUE_PI),
	X(FUTEX_CMP_REQUEUE_PI),
	X(FUTEX_LOCK_PI2),
	X(FUTEX_WAIT_PRIVATE),
	X(FUTEX_WAKE_PRIVATE),
	{ FUTEX_FD | FUTEX_PRIVATE_FLAG, "FUTEX_FD|FUTEX_PRIVATE_FLAG" },
	X(FUTEX_REQUEUE_PRIVATE),
	X(FUTEX_CMP_REQUEUE_PRIVATE),
	X(FUTEX_WAKE_OP_PRIVATE),
	X(FUTEX_LOCK_PI_PRIVATE),
	X(FUTEX_UNLOCK_PI_PRIVATE),
	X(FUTEX_TRYLOCK_PI_PRIVATE),
	X(FUTEX_WAIT_BITSET_PRIVATE),
	X(FUTEX_WAKE_BITSET_PRIVATE),
	X(FUTEX_WAIT_REQUEUE_PI_PRIVATE),
	X(FUTEX_CMP_REQUEUE_PI_PRIVATE),
	X(FUTEX_LOCK_PI2_PRIVATE),
#define RT(op)                                                           \
	{                                                                \
		(op) | FUTEX_CLOCK_REALTIME, #op "|FUTEX_CLOCK_REALTIME" \
	}
	RT(FUTEX_WAIT),
	RT(FUTEX_WAIT_PRIVATE),
	RT(FUTEX_WAIT_BITSET),
	RT(FUTEX_WAIT_BITSET_PRIVATE),
	RT(FUTEX_WAIT_REQUEUE_PI),
	RT(FUTEX_WAIT_REQUEUE_PI_PRIVATE),
#undef RT
};

static const struct xlat futex_wake_ops_x[] = {
	X(FUTEX_OP_SET), X(FUTEX_OP_ADD), X(FUTEX_OP_OR), X(FUTEX_OP_ANDN), X(FUTEX_OP_XOR),
};

static const struct xlat futex_cmp_x[] = {
	X(FUTEX_OP_CMP_EQ), X(FUTEX_OP_CMP_NE), X(FUTEX_OP_CMP_LT),
	X(FUTEX_OP_CMP_LE), X(FUTEX_OP_CMP_GT), X(FUTEX_OP_CMP_GE),
};

static const struct xlat sa_x[] = {
	X(SA_RESTORER),  X(SA_ONSTACK), X(SA_RESTART),   X(SA_NODEFER),
	X(SA_RESETHAND), X(SA_SIGINFO), X(SA_NOCLDSTOP), X(SA_NOCLDWAIT),
};

static const struct xlat sigprocmask_x[] = {
	X(SIG_BLOCK),
	X(SIG_UNBLOCK),
	X(SIG_SETMASK),
};

static const struct xlat ss_x[] = {
	X(SS_ONSTACK),
	X(SS_DISABLE),
	X(SS_AUTODISARM),
};

static const struct xlat clock_x[] = {
	X(CLOCK_REALTIME),          X(CLOCK_MONOTONIC),     X(CLOCK_PROCESS_CPUTIME_ID),
	X(CLOCK_THREAD_CPUTIME_ID), X(CLOCK_MONOTONIC_RAW), X(CLOCK_REALTIME_COARSE),
	X(CLOCK_MONOTONIC_COARSE),  X(CLOCK_BOOTTIME),      X(CLOCK_REALTIME_ALARM),
	X(CLOCK_BOOTTIME_ALARM),    X(CLOCK_TAI),
};

static const struct xlat timer_x[] = {
	X(TIMER_ABSTIME),
};

static const struct xlat access_x[] = {
	X(O_RDONLY),
	X(O_WRONLY),
	X(O_RDWR),
	X(O_ACCMODE),
};

static const struct xlat open_x[] = {
	X(O_CREAT),
	X(O_EXCL),
	X(O_NOCTTY),
	X(O_TRUNC),
	X(O_APPEND),
	X(O_NONBLOCK),
	X(O_SYNC),
	{ K_O_SYNC_BIT, "__O_SYNC" },
	X(O_DSYNC),
	X(O_DIRECT),
	{ K_O_LARGEFILE, "O_LARGEFILE" },
	X(O_NOFOLLOW),
	X(O_NOATIME),
	X(O_CLOEXEC),
	X(O_PATH),
	{ K_O_TMPFILE | O_DIRECTORY, "O_TMPFILE" },
	{ K_O_TMPFILE, "__O_TMPFILE" },
	X(O_DIRECTORY),
	X(FASYNC),
};

static const struct xlat fcntl_x[] = {
	X(F_DUPFD),         X(F_GETFD),      X(F_SETFD),      X(F_GETFL),     X(F_SETFL),
	X(F_GETLK),         X(F_SETLK),      X(F_SETLKW),     X(F_SETOWN),    X(F_GETOWN),
	X(F_SETSIG),        X(F_GETSIG),     X(F_SETOWN_EX),  X(F_GETOWN_EX), X(F_OFD_GETLK),
	X(F_OFD_SETLK),     X(F_OFD_SETLKW), X(F_SETLEASE),   X(F_GETLEASE),  X(F_NOTIFY),
	X(F_DUPFD_CLOEXEC), X(F_SETPIPE_SZ), X(F_GETPIPE_SZ), X(F_ADD_SEALS), X(F_GET_SEALS),
};

static const struct xlat fd_x[] = {
	X(FD_CLOEXEC),
};

static const struct xlat epoll_ctl_x[] = {
	X(EPOLL_CTL_ADD),
	X(EPOLL_CTL_DEL),
	X(EPOLL_CTL_MOD),
};

static const struct xlat epoll_ev_x[] = {
	X(EPOLLIN),     X(EPOLLPRI),       X(EPOLLOUT),    X(EPOLLRDNORM),  X(EPOLLRDBAND),
	X(EPOLLWRNORM), X(EPOLLWRBAND),    X(EPOLLMSG),    X(EPOLLERR),     X(EPOLLHUP),
	X(EPOLLRDHUP),  X(EPOLLEXCLUSIVE), X(EPOLLWAKEUP), X(EPOLLONESHOT), X(EPOLLET),
};

static const struct xlat rlimit_x[] = {
	X(RLIMIT_CPU),      X(RLIMIT_FSIZE), X(RLIMIT_DATA),   X(RLIMIT_STACK),
	X(RLIMIT_CORE),     X(RLIMIT_RSS),   X(RLIMIT_NPROC),  X(RLIMIT_NOFILE),
	X(RLIMIT_MEMLOCK),  X(RLIMIT_AS),    X(RLIMIT_LOCKS),  X(RLIMIT_SIGPENDING),
	X(RLIMIT_MSGQUEUE), X(RLIMIT_NICE),  X(RLIMIT_RTPRIO), X(RLIMIT_RTTIME),
};

static const struct xlat epoll_flags_x[] = {
	X(EPOLL_CLOEXEC),
};

/* ---- signals ---- */

#define K_SIGRTMIN 32 /* the kernel's; glibc's SIGRTMIN leaves two to itself */
#define K_SIGRTMAX 64

/* "SIGURG", "SIGRTMIN", "SIGRT_3" as strace names signals; NULL beyond. */
static const char *sig_name(unsigned sig, char *buf, size_t n)
{
	if (sig >= 1 && sig < K_SIGRTMIN)
		return dbg_signal_name((int)sig, buf, n);
	if (sig == K_SIGRTMIN)
		return "SIGRTMIN";
	if (sig > K_SIGRTMIN && sig <= K_SIGRTMAX) {
		snprintf(buf, n, "SIGRT_%u", sig - K_SIGRTMIN);
		return buf;
	}
	return NULL;
}

static void put_signal(struct sb *s, uint64_t sig)
{
	char buf[16];
	const char *name = sig <= K_SIGRTMAX ? sig_name((unsigned)sig, buf, sizeof(buf)) : NULL;
	if (name)
		sb_puts(s, name);
	else
		sb_printf(s, "%d", (int)sig);
}

/* A signal set as strace shows it: "[HUP INT]", "[]"; the complement
 * "~[KILL STOP]" when two thirds or more are in it. */
static void put_sigset(struct sb *s, uint64_t mask)
{
	if (__builtin_popcountll(mask) >= 64 * 2 / 3) {
		sb_puts(s, "~");
		mask = ~mask;
	}
	char sep = '[', buf[16];
	for (unsigned bit = 0; bit < 64; bit++) {
		if (!(mask & (1ULL << bit)))
			continue;
		unsigned sig = bit + 1;
		sb_putn(s, &sep, 1);
		const char *name = sig_name(sig, buf, sizeof(buf));
		if (name)
			sb_puts(s, name + 3);
		else
			sb_printf(s, "%u", sig);
		sep = ' ';
	}
	if (sep == '[')
		sb_puts(s, "[");
	sb_puts(s, "]");
}

/* ---- reading the process ---- */

static bool rd(const struct dbg_sysdec *d, uint64_t addr, void *buf, size_t n)
{
	return d && d->read && addr && d->read(d->arg, addr, buf, n) == 0;
}

/* An address: NULL, or hex with its name when the callback has one. */
static void put_addr(const struct dbg_sysdec *d, struct sb *s, uint64_t addr)
{
	if (!addr) {
		sb_puts(s, "NULL");
		return;
	}
	sb_printf(s, "%#" PRIx64, addr);
	char name[128];
	if (d && d->addr_name && d->addr_name(d->arg, addr, name, sizeof(name)))
		sb_printf(s, " <%s>", name);
}

/* Bytes as a C string in strace's quoting: \n \t \" \\ and octal for
 * the others ("\0", "\001" before a digit). */
static void put_quoted(struct sb *s, const unsigned char *p, size_t n, bool more)
{
	sb_puts(s, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];
		char e[5];
		size_t k = 0;
		switch (c) {
		case '"':
		case '\\':
			e[k++] = '\\';
			e[k++] = (char)c;
			break;
		case '\f':
			e[k++] = '\\';
			e[k++] = 'f';
			break;
		case '\n':
			e[k++] = '\\';
			e[k++] = 'n';
			break;
		case '\r':
			e[k++] = '\\';
			e[k++] = 'r';
			break;
		case '\t':
			e[k++] = '\\';
			e[k++] = 't';
			break;
		case '\v':
			e[k++] = '\\';
			e[k++] = 'v';
			break;
		default:
			if (c >= ' ' && c < 0x7f) {
				e[k++] = (char)c;
				break;
			}
			e[k++] = '\\';
			if (i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '9') {
				e[k++] = (char)('0' + (c >> 6));
				e[k++] = (char)('0' + ((c >> 3) & 7));
			} else if (c >> 6) {
				e[k++] = (char)('0' + (c >> 6));
				e[k++] = (char)('0' + ((c >> 3) & 7));
			} else if (c >> 3) {
				e[k++] = (char)('0' + (c >> 3));
			}
			e[k++] = (char)('0' + (c & 7));
		}
		sb_putn(s, e, k);
	}
	sb_puts(s, more ? "\"..." : "\"");
}

/* strace's default string limit (-s 32). */
enum { STR_MAX = 32 };

/* A buffer of len bytes: its first STR_MAX, quoted, or its address when
 * it cannot be read. */
static void put_buf(const struct dbg_sysdec *d, struct sb *s, uint64_t addr, uint64_t len)
{
	unsigned char b[STR_MAX];
	size_t n = len < STR_MAX ? (size_t)len : STR_MAX;
	if (n && !rd(d, addr, b, n)) {
		put_addr(d, s, addr);
		return;
	}
	if (!n && !addr) {
		sb_puts(s, "NULL");
		return;
	}
	put_quoted(s, b, n, len > n);
}

/* A NUL-terminated path, read in pieces that never cross a page, so the
 * end of a mapping right after the string does not make it unreadable. */
static void put_path(const struct dbg_sysdec *d, struct sb *s, uint64_t addr)
{
	unsigned char b[sizeof(((struct dbg_sysarg *)0)->text)];
	size_t n = 0;
	bool end = false;
	if (!addr) {
		sb_puts(s, "NULL");
		return;
	}
	while (n < sizeof(b) && !end) {
		size_t piece = 16 - ((addr + n) & 15);
		if (piece > sizeof(b) - n)
			piece = sizeof(b) - n;
		if (!rd(d, addr + n, b + n, piece)) {
			/* the readable part may end inside the piece */
			size_t k = 0;
			while (k < piece && rd(d, addr + n + k, b + n + k, 1) && b[n + k])
				k++;
			if (k < piece && rd(d, addr + n + k, b + n + k, 1))
				end = true;
			n += k;
			break;
		}
		for (size_t i = 0; i < piece; i++)
			if (!b[n + i]) {
				end = true;
				piece = i;
				break;
			}
		n += piece;
	}
	if (!end && n == 0) {
		put_addr(d, s, addr);
		return;
	}
	put_quoted(s, b, n, !end);
}

static void put_timespec(const struct dbg_sysdec *d, struct sb *s, uint64_t addr)
{
	int64_t ts[2];
	if (!rd(d, addr, ts, sizeof(ts))) {
		put_addr(d, s, addr);
		return;
	}
	sb_printf(s, "{tv_sec=%" PRId64 ", tv_nsec=%" PRId64 "}", ts[0], ts[1]);
}

/* The kernel's struct sigaction on x86-64. */
struct k_sigaction {
	uint64_t handler, flags, restorer, mask;
};

static void put_sigaction(const struct dbg_sysdec *d, struct sb *s, uint64_t addr)
{
	struct k_sigaction sa;
	if (!rd(d, addr, &sa, sizeof(sa))) {
		put_addr(d, s, addr);
		return;
	}
	sb_puts(s, "{sa_handler=");
	if (sa.handler == (uint64_t)(uintptr_t)SIG_DFL)
		sb_puts(s, "SIG_DFL");
	else if (sa.handler == (uint64_t)(uintptr_t)SIG_IGN)
		sb_puts(s, "SIG_IGN");
	else if (sa.handler == (uint64_t)-1)
		sb_puts(s, "SIG_ERR");
	else
		put_addr(d, s, sa.handler);
	sb_puts(s, ", sa_mask=");
	put_sigset(s, sa.mask);
	sb_puts(s, ", sa_flags=");
	put_flags(s, sa_x, XLEN(sa_x), (uint32_t)sa.flags, "SA_???");
	if (sa.flags & SA_RESTORER) {
		sb_puts(s, ", sa_restorer=");
		put_addr(d, s, sa.restorer);
	}
	sb_puts(s, "}");
}

static void put_sigset_at(const struct dbg_sysdec *d, struct sb *s, uint64_t addr)
{
	uint64_t mask;
	if (!rd(d, addr, &mask, sizeof(mask)))
		put_addr(d, s, addr);
	else
		put_sigset(s, mask);
}

static void put_stack_t(const struct dbg_sysdec *d, struct sb *s, uint64_t addr)
{
	struct {
		uint64_t sp;
		int32_t flags, pad;
		uint64_t size;
	} ss;
	if (!rd(d, addr, &ss, sizeof(ss))) {
		put_addr(d, s, addr);
		return;
	}
	sb_puts(s, "{ss_sp=");
	put_addr(d, s, ss.sp);
	sb_puts(s, ", ss_flags=");
	put_flags(s, ss_x, XLEN(ss_x), (uint32_t)ss.flags, "SS_???");
	sb_printf(s, ", ss_size=%" PRIu64 "}", ss.size);
}

/* open's flags: the access mode, then the others (strace's
 * sprint_open_modes). */
static void put_open_flags(struct sb *s, uint64_t flags)
{
	flags = (uint32_t)flags;
	const char *mode = xlookup(access_x, XLEN(access_x), flags & O_ACCMODE);
	if (mode) {
		sb_puts(s, mode);
		flags &= ~(uint64_t)O_ACCMODE;
		if (!flags)
			return;
		sb_puts(s, "|");
	}
	put_flags(s, open_x, XLEN(open_x), flags, NULL);
}

static void put_dirfd(struct sb *s, uint64_t fd)
{
	if ((int)fd == AT_FDCWD)
		sb_puts(s, "AT_FDCWD");
	else
		sb_printf(s, "%d", (int)fd);
}

static void put_mmap_flags(struct sb *s, uint64_t flags)
{
	const uint64_t huge = flags & ((uint64_t)MAP_HUGE_MASK << MAP_HUGE_SHIFT);
	put_xval(s, map_x, XLEN(map_x), flags & MAP_TYPE, "MAP_???");
	flags &= ~(uint64_t)MAP_TYPE & ~huge;
	if (flags) {
		sb_puts(s, "|");
		put_flags(s, map_x, XLEN(map_x), flags, NULL);
	}
	if (huge)
		sb_printf(s, "|%" PRIu64 "<<MAP_HUGE_SHIFT", huge >> MAP_HUGE_SHIFT);
}

/* CPUs of an affinity mask of n bytes: "[0 1]". */
static void put_cpus(const struct dbg_sysdec *d, struct sb *s, uint64_t addr, uint64_t n)
{
	uint64_t word;
	char sep = '[';
	for (uint64_t off = 0; off < n; off += sizeof(word)) {
		if (!rd(d, addr + off, &word, sizeof(word))) {
			if (off == 0) {
				put_addr(d, s, addr);
				return;
			}
			break;
		}
		for (unsigned bit = 0; bit < 64 && word; bit++)
			if (word & (1ULL << bit)) {
				word &= ~(1ULL << bit);
				sb_putn(s, &sep, 1);
				sb_printf(s, "%" PRIu64, off * 8 + bit);
				sep = ' ';
			}
		if (s->cut)
			break;
	}
	if (sep == '[')
		sb_puts(s, "[");
	sb_puts(s, "]");
}

/* struct epoll_event (packed on x86-64). */
static void put_epoll_event(struct sb *s, const unsigned char *p)
{
	uint32_t events;
	uint64_t data;
	memcpy(&events, p, 4);
	memcpy(&data, p + 4, 8);
	sb_puts(s, "{events=");
	put_flags(s, epoll_ev_x, XLEN(epoll_ev_x), events, "EPOLL???");
	sb_printf(s, ", data={u32=%" PRIu32 ", u64=%" PRIu64 "}}", (uint32_t)data, data);
}

static void put_epoll_event_at(const struct dbg_sysdec *d, struct sb *s, uint64_t addr)
{
	unsigned char ev[12];
	if (!rd(d, addr, ev, sizeof(ev)))
		put_addr(d, s, addr);
	else
		put_epoll_event(s, ev);
}

static void put_epoll_events(const struct dbg_sysdec *d, struct sb *s, uint64_t addr, int64_t n)
{
	sb_puts(s, "[");
	for (int64_t i = 0; i < n && !s->cut; i++) {
		unsigned char ev[12];
		if (i)
			sb_puts(s, ", ");
		if (!rd(d, addr + (uint64_t)i * 12, ev, sizeof(ev))) {
			sb_puts(s, "...");
			break;
		}
		put_epoll_event(s, ev);
	}
	sb_puts(s, "]");
}

/* A resource limit as strace shows it: "RLIM64_INFINITY", "8192*1024"
 * for a multiple of 1024, else decimal. */
static void put_rlim(struct sb *s, uint64_t v)
{
	if (v == UINT64_MAX)
		sb_puts(s, "RLIM64_INFINITY");
	else if (v > 1024 && v % 1024 == 0)
		sb_printf(s, "%" PRIu64 "*1024", v / 1024);
	else
		sb_printf(s, "%" PRIu64, v);
}

static void put_rlimit(const struct dbg_sysdec *d, struct sb *s, uint64_t addr)
{
	uint64_t r[2];
	if (!rd(d, addr, r, sizeof(r))) {
		put_addr(d, s, addr);
		return;
	}
	sb_puts(s, "{rlim_cur=");
	put_rlim(s, r[0]);
	sb_puts(s, ", rlim_max=");
	put_rlim(s, r[1]);
	sb_puts(s, "}");
}

/* ---- the calls ---- */

struct dec {
	const struct dbg_sysdec *d;
	const uint64_t *a;
	bool exited;
	int64_t ret;
	struct dbg_sysarg *out;
	unsigned n;
	struct sb sb;
};

/* The next argument's text, its raw value being raw. No call shows more
 * than six. */
static struct sb *next(struct dec *c, uint64_t raw)
{
	if (c->n >= 6)
		abort();
	struct dbg_sysarg *o = &c->out[c->n++];
	o->raw = raw;
	sb_init(&c->sb, o->text, sizeof(o->text));
	return &c->sb;
}

static void arg_int(struct dec *c, unsigned i)
{
	sb_printf(next(c, c->a[i]), "%d", (int)c->a[i]);
}

static void arg_uint(struct dec *c, unsigned i)
{
	sb_printf(next(c, c->a[i]), "%u", (unsigned)c->a[i]);
}

static void arg_ulong(struct dec *c, unsigned i)
{
	sb_printf(next(c, c->a[i]), "%" PRIu64, c->a[i]);
}

static void arg_hex(struct dec *c, unsigned i)
{
	sb_printf(next(c, c->a[i]), "%#" PRIx64, c->a[i]);
}

static void arg_addr(struct dec *c, unsigned i)
{
	put_addr(c->d, next(c, c->a[i]), c->a[i]);
}

static void arg_signal(struct dec *c, unsigned i)
{
	put_signal(next(c, c->a[i]), c->a[i]);
}

/* Whether out-parameters hold what the call wrote. */
static bool filled(const struct dec *c)
{
	return c->exited && !dbg_syscall_failed(c->ret);
}

static void dec_arch_prctl(struct dec *c)
{
	uint64_t code = (uint32_t)c->a[0], addr = c->a[1];
	put_xval(next(c, c->a[0]), arch_x, XLEN(arch_x), code, "ARCH_???");
	switch (code) {
	case ARCH_GET_FS:
	case ARCH_GET_GS: {
		uint64_t v;
		struct sb *s = next(c, addr);
		if (filled(c) && rd(c->d, addr, &v, sizeof(v))) {
			sb_puts(s, "[");
			put_addr(c->d, s, v);
			sb_puts(s, "]");
		} else {
			put_addr(c->d, s, addr);
		}
		return;
	}
	case ARCH_GET_CPUID:
		return;
	default: {
		struct sb *s = next(c, addr);
		if (addr)
			put_addr(c->d, s, addr);
		else
			sb_puts(s, "0");
	}
	}
}

static void dec_mmap(struct dec *c)
{
	arg_addr(c, 0);
	arg_ulong(c, 1);
	put_flags(next(c, c->a[2]), prot_x, XLEN(prot_x), c->a[2], "PROT_???");
	put_mmap_flags(next(c, c->a[3]), c->a[3]);
	arg_int(c, 4);
	arg_hex(c, 5);
}

static void dec_clone(struct dec *c)
{
	uint64_t flags = c->a[0] & ~(uint64_t)CSIGNAL, sig = c->a[0] & CSIGNAL;
	struct sb *s = next(c, c->a[1]);
	sb_puts(s, "child_stack=");
	put_addr(c->d, s, c->a[1]);
	s = next(c, c->a[0]);
	sb_puts(s, "flags=");
	if (flags) {
		put_flags(s, clone_x, XLEN(clone_x), flags, "CLONE_???");
		if (sig) {
			sb_puts(s, "|");
			put_signal(s, sig);
		}
	} else {
		put_signal(s, sig);
	}
	if (flags & (CLONE_PARENT_SETTID | CLONE_PIDFD)) {
		uint32_t v;
		s = next(c, c->a[2]);
		sb_puts(s, "parent_tid=");
		if (filled(c) && rd(c->d, c->a[2], &v, sizeof(v)))
			sb_printf(s, "[%u]", v);
		else
			put_addr(c->d, s, c->a[2]);
	}
	if (flags & CLONE_SETTLS) {
		s = next(c, c->a[4]);
		sb_puts(s, "tls=");
		put_addr(c->d, s, c->a[4]);
	}
	if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
		s = next(c, c->a[3]);
		sb_puts(s, "child_tidptr=");
		put_addr(c->d, s, c->a[3]);
	}
}

static void dec_clone3(struct dec *c)
{
	struct clone_args ca;
	uint64_t size = c->a[1];
	struct sb *s = next(c, c->a[0]);
	memset(&ca, 0, sizeof(ca));
	if (size < CLONE_ARGS_SIZE_VER0 ||
	    !rd(c->d, c->a[0], &ca, size < sizeof(ca) ? (size_t)size : sizeof(ca))) {
		put_addr(c->d, s, c->a[0]);
	} else {
		sb_puts(s, "{flags=");
		put_flags(s, clone_x, XLEN(clone_x), ca.flags, "CLONE_???");
		if (ca.flags & CLONE_PIDFD) {
			sb_puts(s, ", pidfd=");
			put_addr(c->d, s, ca.pidfd);
		}
		if (ca.flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
			sb_puts(s, ", child_tid=");
			put_addr(c->d, s, ca.child_tid);
		}
		if (ca.flags & CLONE_PARENT_SETTID) {
			sb_puts(s, ", parent_tid=");
			put_addr(c->d, s, ca.parent_tid);
		}
		sb_puts(s, ", exit_signal=");
		put_signal(s, ca.exit_signal);
		sb_puts(s, ", stack=");
		put_addr(c->d, s, ca.stack);
		sb_printf(s, ", stack_size=%#" PRIx64, (uint64_t)ca.stack_size);
		if (ca.flags & CLONE_SETTLS) {
			sb_puts(s, ", tls=");
			put_addr(c->d, s, ca.tls);
		}
		sb_puts(s, "}");
	}
	arg_ulong(c, 1);
}

static void dec_futex(struct dec *c)
{
	uint64_t op = (uint32_t)c->a[1];
	unsigned cmd = (unsigned)op & FUTEX_CMD_MASK;
	uint32_t val3 = (uint32_t)c->a[5];
	arg_addr(c, 0);
	put_xval(next(c, c->a[1]), futex_x, XLEN(futex_x), op, "FUTEX_???");
	switch (cmd) {
	case FUTEX_WAIT:
		arg_uint(c, 2);
		put_timespec(c->d, next(c, c->a[3]), c->a[3]);
		break;
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2:
		put_timespec(c->d, next(c, c->a[3]), c->a[3]);
		break;
	case FUTEX_WAIT_BITSET:
	case FUTEX_WAKE_BITSET:
		arg_uint(c, 2);
		if (cmd == FUTEX_WAIT_BITSET)
			put_timespec(c->d, next(c, c->a[3]), c->a[3]);
		if (val3 == FUTEX_BITSET_MATCH_ANY)
			sb_puts(next(c, c->a[5]), "FUTEX_BITSET_MATCH_ANY");
		else
			sb_printf(next(c, c->a[5]), "%#" PRIx32, val3);
		break;
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
	case FUTEX_CMP_REQUEUE_PI:
		arg_uint(c, 2);
		arg_uint(c, 3);
		arg_addr(c, 4);
		if (cmd != FUTEX_REQUEUE)
			arg_uint(c, 5);
		break;
	case FUTEX_WAIT_REQUEUE_PI:
		arg_uint(c, 2);
		put_timespec(c->d, next(c, c->a[3]), c->a[3]);
		arg_addr(c, 4);
		break;
	case FUTEX_WAKE_OP: {
		arg_uint(c, 2);
		arg_uint(c, 3);
		arg_addr(c, 4);
		struct sb *s = next(c, c->a[5]);
		unsigned wop = (val3 >> 28) & 0xf, cmp = (val3 >> 24) & 0xf;
		if (wop & FUTEX_OP_OPARG_SHIFT)
			sb_puts(s, "FUTEX_OP_OPARG_SHIFT<<28|");
		put_xval(s, futex_wake_ops_x, XLEN(futex_wake_ops_x), wop & 7, "FUTEX_OP_???");
		sb_printf(s, "<<28|%#x<<12|", (val3 >> 12) & 0xfff);
		put_xval(s, futex_cmp_x, XLEN(futex_cmp_x), cmp, "FUTEX_OP_CMP_???");
		sb_printf(s, "<<24|%#x", val3 & 0xfff);
		break;
	}
	case FUTEX_WAKE:
	case FUTEX_FD:
		arg_uint(c, 2);
		break;
	case FUTEX_UNLOCK_PI:
	case FUTEX_TRYLOCK_PI:
		break;
	default:
		arg_uint(c, 2);
		arg_hex(c, 3);
		arg_hex(c, 4);
		arg_hex(c, 5);
	}
}

static void dec_rt_sigaction(struct dec *c)
{
	arg_signal(c, 0);
	put_sigaction(c->d, next(c, c->a[1]), c->a[1]);
	if (filled(c))
		put_sigaction(c->d, next(c, c->a[2]), c->a[2]);
	else
		arg_addr(c, 2);
	arg_ulong(c, 3);
}

static void dec_rt_sigprocmask(struct dec *c)
{
	put_xval(next(c, c->a[0]), sigprocmask_x, XLEN(sigprocmask_x), (uint32_t)c->a[0],
		 "SIG_???");
	put_sigset_at(c->d, next(c, c->a[1]), c->a[1]);
	if (filled(c))
		put_sigset_at(c->d, next(c, c->a[2]), c->a[2]);
	else
		arg_addr(c, 2);
	arg_ulong(c, 3);
}

static void dec_sigaltstack(struct dec *c)
{
	put_stack_t(c->d, next(c, c->a[0]), c->a[0]);
	if (filled(c))
		put_stack_t(c->d, next(c, c->a[1]), c->a[1]);
	else
		arg_addr(c, 1);
}

/* The time left of an interrupted sleep; otherwise the pointer. */
static void arg_rem(struct dec *c, unsigned i)
{
	if (c->exited && (c->ret == -EINTR || c->ret == -516 /* ERESTART_RESTARTBLOCK */))
		put_timespec(c->d, next(c, c->a[i]), c->a[i]);
	else
		arg_addr(c, i);
}

/* A clock by name; strace shows the CPU clocks' negative ids in hex. */
static void arg_clock(struct dec *c, unsigned i)
{
	put_xval(next(c, c->a[i]), clock_x, XLEN(clock_x), (uint32_t)c->a[i], "CLOCK_???");
}

static void dec_openat(struct dec *c, unsigned i)
{
	if (i)
		put_dirfd(next(c, c->a[0]), c->a[0]);
	put_path(c->d, next(c, c->a[i]), c->a[i]);
	put_open_flags(next(c, c->a[i + 1]), c->a[i + 1]);
	if (c->a[i + 1] & (O_CREAT | K_O_TMPFILE))
		sb_printf(next(c, c->a[i + 2]), "%#03" PRIo64, c->a[i + 2] & 07777);
}

static void dec_fcntl(struct dec *c)
{
	int cmd = (int)c->a[1];
	arg_int(c, 0);
	put_xval(next(c, c->a[1]), fcntl_x, XLEN(fcntl_x), (uint32_t)c->a[1], "F_???");
	switch (cmd) {
	case F_SETFD:
		put_flags(next(c, c->a[2]), fd_x, XLEN(fd_x), (uint32_t)c->a[2], "FD_???");
		break;
	case F_SETFL:
		put_open_flags(next(c, c->a[2]), c->a[2]);
		break;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_SETOWN:
	case F_SETPIPE_SZ:
	case F_SETLEASE:
	case F_NOTIFY:
	case F_ADD_SEALS:
		arg_int(c, 2);
		break;
	case F_SETSIG:
		arg_signal(c, 2);
		break;
	case F_GETFD:
	case F_GETFL:
	case F_GETOWN:
	case F_GETSIG:
	case F_GETLEASE:
	case F_GETPIPE_SZ:
	case F_GET_SEALS:
		break;
	default:
		arg_addr(c, 2);
	}
}

static void dec_epoll_wait(struct dec *c, bool pwait)
{
	arg_int(c, 0);
	if (filled(c))
		put_epoll_events(c->d, next(c, c->a[1]), c->a[1], c->ret);
	else
		arg_addr(c, 1);
	arg_int(c, 2);
	arg_int(c, 3);
	if (pwait) {
		put_sigset_at(c->d, next(c, c->a[4]), c->a[4]);
		arg_ulong(c, 5);
	}
}

static void dec_pipe(struct dec *c, bool flags)
{
	int32_t fds[2];
	struct sb *s = next(c, c->a[0]);
	if (filled(c) && rd(c->d, c->a[0], fds, sizeof(fds)))
		sb_printf(s, "[%d, %d]", fds[0], fds[1]);
	else
		put_addr(c->d, s, c->a[0]);
	if (flags)
		put_flags(next(c, c->a[1]), open_x, XLEN(open_x), (uint32_t)c->a[1], "O_???");
}

unsigned dbg_syscall_decode(const struct dbg_sysdec *d, uint64_t nr, const uint64_t args[6],
			    bool exited, int64_t ret, struct dbg_sysarg out[6])
{
	struct dec c = { .d = d, .a = args, .exited = exited, .ret = ret, .out = out };

	switch (nr) {
	case __NR_arch_prctl:
		dec_arch_prctl(&c);
		break;
	case __NR_mmap:
		dec_mmap(&c);
		break;
	case __NR_munmap:
		arg_addr(&c, 0);
		arg_ulong(&c, 1);
		break;
	case __NR_mprotect:
		arg_addr(&c, 0);
		arg_ulong(&c, 1);
		put_flags(next(&c, args[2]), prot_x, XLEN(prot_x), args[2], "PROT_???");
		break;
	case __NR_madvise:
		arg_addr(&c, 0);
		arg_ulong(&c, 1);
		put_xval(next(&c, args[2]), madv_x, XLEN(madv_x), (uint32_t)args[2], "MADV_???");
		break;
	case __NR_brk:
	case __NR_set_tid_address:
		arg_addr(&c, 0);
		break;
	case __NR_clone:
		dec_clone(&c);
		break;
	case __NR_clone3:
		dec_clone3(&c);
		break;
	case __NR_futex:
		dec_futex(&c);
		break;
	case __NR_sched_getaffinity:
	case __NR_sched_setaffinity:
		arg_int(&c, 0);
		arg_uint(&c, 1);
		if (nr == __NR_sched_setaffinity)
			put_cpus(d, next(&c, args[2]), args[2], (uint32_t)args[1]);
		else if (filled(&c))
			put_cpus(d, next(&c, args[2]), args[2],
				 (uint64_t)ret < (uint32_t)args[1] ? (uint64_t)ret :
								     (uint32_t)args[1]);
		else
			arg_addr(&c, 2);
		break;
	case __NR_rt_sigaction:
		dec_rt_sigaction(&c);
		break;
	case __NR_rt_sigprocmask:
		dec_rt_sigprocmask(&c);
		break;
	case __NR_sigaltstack:
		dec_sigaltstack(&c);
		break;
	case __NR_nanosleep:
		put_timespec(d, next(&c, args[0]), args[0]);
		arg_rem(&c, 1);
		break;
	case __NR_clock_nanosleep:
		arg_clock(&c, 0);
		put_flags(next(&c, args[1]), timer_x, XLEN(timer_x), (uint32_t)args[1],
			  "TIMER_???");
		put_timespec(d, next(&c, args[2]), args[2]);
		arg_rem(&c, 3);
		break;
	case __NR_clock_gettime:
	case __NR_clock_getres:
		arg_clock(&c, 0);
		if (filled(&c))
			put_timespec(d, next(&c, args[1]), args[1]);
		else
			arg_addr(&c, 1);
		break;
	case __NR_write:
		arg_int(&c, 0);
		put_buf(d, next(&c, args[1]), args[1], args[2]);
		arg_ulong(&c, 2);
		break;
	case __NR_read:
		arg_int(&c, 0);
		if (filled(&c))
			put_buf(d, next(&c, args[1]), args[1], (uint64_t)ret);
		else
			arg_addr(&c, 1);
		arg_ulong(&c, 2);
		break;
	case __NR_openat:
		dec_openat(&c, 1);
		break;
	case __NR_open:
		dec_openat(&c, 0);
		break;
	case __NR_close:
	case __NR_exit:
	case __NR_exit_group:
	case __NR_epoll_create:
	case __NR_dup:
		arg_int(&c, 0);
		break;
	case __NR_tgkill:
		arg_int(&c, 0);
		arg_int(&c, 1);
		arg_signal(&c, 2);
		break;
	case __NR_tkill:
	case __NR_kill:
		arg_int(&c, 0);
		arg_signal(&c, 1);
		break;
	case __NR_epoll_create1:
		put_flags(next(&c, args[0]), epoll_flags_x, XLEN(epoll_flags_x), (uint32_t)args[0],
			  "EPOLL_???");
		break;
	case __NR_epoll_ctl:
		arg_int(&c, 0);
		put_xval(next(&c, args[1]), epoll_ctl_x, XLEN(epoll_ctl_x), (uint32_t)args[1],
			 "EPOLL_CTL_???");
		arg_int(&c, 2);
		put_epoll_event_at(d, next(&c, args[3]), args[3]);
		break;
	case __NR_epoll_wait:
		dec_epoll_wait(&c, false);
		break;
	case __NR_epoll_pwait:
		dec_epoll_wait(&c, true);
		break;
	case __NR_pipe:
		dec_pipe(&c, false);
		break;
	case __NR_pipe2:
		dec_pipe(&c, true);
		break;
	case __NR_fcntl:
		dec_fcntl(&c);
		break;
	case __NR_getrlimit:
	case __NR_setrlimit:
		put_xval(next(&c, args[0]), rlimit_x, XLEN(rlimit_x), (uint32_t)args[0],
			 "RLIMIT_???");
		if (nr == __NR_setrlimit || filled(&c))
			put_rlimit(d, next(&c, args[1]), args[1]);
		else
			arg_addr(&c, 1);
		break;
	case __NR_prlimit64:
		arg_int(&c, 0);
		put_xval(next(&c, args[1]), rlimit_x, XLEN(rlimit_x), (uint32_t)args[1],
			 "RLIMIT_???");
		put_rlimit(d, next(&c, args[2]), args[2]);
		if (filled(&c))
			put_rlimit(d, next(&c, args[3]), args[3]);
		else
			arg_addr(&c, 3);
		break;
	default:
		for (unsigned i = 0; i < dbg_syscall_nargs(nr); i++)
			arg_hex(&c, i);
	}
	return c.n;
}

/* Calls whose result is an address, shown in hex as strace does. */
static bool result_is_address(uint64_t nr)
{
	return nr == __NR_mmap || nr == __NR_brk || nr == __NR_mremap || nr == __NR_shmat;
}

void dbg_syscall_result(uint64_t nr, int64_t ret, char *buf, size_t n)
{
	dbg_syscall_result_args(nr, NULL, ret, buf, n);
}

void dbg_syscall_result_args(uint64_t nr, const uint64_t args[6], int64_t ret, char *buf, size_t n)
{
	if (!n)
		return;
	if (dbg_syscall_failed(ret)) {
		int e = (int)-ret;
		for (size_t i = 0; i < sizeof(restart_errnos) / sizeof(restart_errnos[0]); i++)
			if (restart_errnos[i].e == e) {
				snprintf(buf, n, "? %s (%s)", restart_errnos[i].name,
					 restart_errnos[i].desc);
				return;
			}
		const char *name = strerrorname_np(e), *desc = strerrordesc_np(e);
		if (name && desc)
			snprintf(buf, n, "-1 %s (%s)", name, desc);
		else
			snprintf(buf, n, "-1 %d (Unknown error %d)", e, e);
	} else if (nr == __NR_fcntl && args &&
		   ((int)args[1] == F_GETFL || ((int)args[1] == F_GETFD && ret != 0))) {
		struct sb s;
		sb_init(&s, buf, n);
		sb_printf(&s, "%#" PRIx64 " (flags ", (uint64_t)ret);
		if ((int)args[1] == F_GETFL)
			put_open_flags(&s, (uint64_t)ret);
		else
			put_flags(&s, fd_x, XLEN(fd_x), (uint64_t)ret, "FD_???");
		sb_puts(&s, ")");
	} else if (result_is_address(nr)) {
		snprintf(buf, n, "%#" PRIx64, (uint64_t)ret);
	} else {
		snprintf(buf, n, "%" PRId64, ret);
	}
}
