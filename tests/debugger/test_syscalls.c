/*
 * syscalls: names, argument counts, gdb's groups and strace-style
 * decoding. Witnesses: the kernel's header for the numbers, gdb's
 * amd64-linux.xml for the groups, strace for the texts (the lines quoted
 * next to the fixed cases, and a run of this program under strace that
 * makes real calls and decodes them from its own memory).
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#include "session.h"
#include "syscalls.h"
#include "syslog.h"

/* ---- a fake memory: a few regions at fixed addresses ---- */

struct region {
	uint64_t addr;
	const void *bytes;
	size_t n;
};

struct fake {
	const struct region *r;
	size_t n;
};

static int fake_read(void *arg, uint64_t addr, void *buf, size_t n)
{
	const struct fake *f = arg;
	for (size_t i = 0; i < f->n; i++)
		if (addr >= f->r[i].addr && addr + n <= f->r[i].addr + f->r[i].n) {
			memcpy(buf, (const char *)f->r[i].bytes + (addr - f->r[i].addr), n);
			return 0;
		}
	return -EFAULT;
}

/* Names as the debugger gives them for the Go runtime's addresses. */
static const char *fake_name(void *arg, uint64_t addr, char *buf, size_t n)
{
	(void)arg;
	if (addr == 0x5a3b08)
		snprintf(buf, n, "&runtime.m0.tls[0]+8");
	else if (addr == 0x45e9e0)
		snprintf(buf, n, "runtime.sigtramp");
	else if (addr == 0xc00003e090)
		snprintf(buf, n, "&runtime.m.tls[0]+8");
	else
		return NULL;
	return buf;
}

/* The call as strace prints it, "name(a, b) = r", into line. */
static void format(const struct dbg_sysdec *d, uint64_t nr, const uint64_t a[6], bool exited,
		   int64_t ret, char *line, size_t n)
{
	struct dbg_sysarg out[6];
	unsigned k = dbg_syscall_decode(d, nr, a, exited, ret, out);
	size_t len = (size_t)snprintf(line, n, "%s(", dbg_syscall_name(nr));
	for (unsigned i = 0; i < k && len < n; i++)
		len += (size_t)snprintf(line + len, n - len, "%s%s", i ? ", " : "", out[i].text);
	if (len < n && exited) {
		char r[80];
		dbg_syscall_result_args(nr, a, ret, r, sizeof(r));
		len += (size_t)snprintf(line + len, n - len, ") = %s", r);
	} else if (len < n) {
		snprintf(line + len, n - len, ")");
	}
}

static char line[1024];

#define DEC(d, nr, exited, ret, ...)                                                  \
	(format((d), (nr), (const uint64_t[6]){ __VA_ARGS__ }, (exited), (ret), line, \
		sizeof(line)),                                                        \
	 line)

/* ---- names, argument counts, groups ---- */

static void test_names(void)
{
	T_EQ_STR(dbg_syscall_name(0), "read");
	T_EQ_STR(dbg_syscall_name(59), "execve");
	T_EQ_STR(dbg_syscall_name(233), "epoll_ctl");
	T_EQ_STR(dbg_syscall_name(158), "arch_prctl");
	T_EQ_STR(dbg_syscall_name(SYS_clone3), "clone3");
	T_EQ_STR(dbg_syscall_name(SYS_rseq), "rseq");
	T_EQ_STR(dbg_syscall_name(156), "_sysctl");
	T_NULL(dbg_syscall_name(335)); /* the gap before 424 */
	T_NULL(dbg_syscall_name(DBG_SYSCALL_MAX - 1));
	T_NULL(dbg_syscall_name(DBG_SYSCALL_MAX));
	T_NULL(dbg_syscall_name(UINT64_MAX));
	T_EQ_INT(dbg_syscall_by_name("write"), 1);
	T_EQ_INT(dbg_syscall_by_name("exit_group"), SYS_exit_group);
	T_EQ_INT(dbg_syscall_by_name("futex"), 202);
	T_EQ_INT(dbg_syscall_by_name("no_such_call"), -1);
	T_EQ_INT(dbg_syscall_by_name(""), -1);
}

/* Every number the kernel's header defines has its name. */
static void test_names_match_header(void)
{
	static const char *const paths[] = { "/usr/include/x86_64-linux-gnu/asm/unistd_64.h",
					     "/usr/include/asm/unistd_64.h" };
	FILE *f = NULL;
	for (size_t i = 0; !f && i < T_COUNT(paths); i++)
		f = fopen(paths[i], "r");
	if (!f)
		T_SKIP("no asm/unistd_64.h");
	char l[256], name[128];
	unsigned nr, n = 0;
	while (fgets(l, sizeof(l), f)) {
		if (sscanf(l, "#define __NR_%127s %u", name, &nr) != 2 || nr >= DBG_SYSCALL_MAX)
			continue;
		T_CHECK(dbg_syscall_name(nr) != NULL, "%u (%s) has no name", nr, name);
		T_EQ_STR(dbg_syscall_name(nr), name);
		T_EQ_INT(dbg_syscall_by_name(name), nr);
		n++;
	}
	fclose(f);
	unsigned ours = 0;
	for (uint64_t i = 0; i < DBG_SYSCALL_MAX; i++)
		ours += dbg_syscall_name(i) != NULL;
	T_EQ_INT(ours, n);
	T_GE_INT(n, 360);
}

static void test_nargs(void)
{
	T_EQ_INT(dbg_syscall_nargs(SYS_mmap), 6);
	T_EQ_INT(dbg_syscall_nargs(SYS_futex), 6);
	T_EQ_INT(dbg_syscall_nargs(SYS_clone), 5);
	T_EQ_INT(dbg_syscall_nargs(SYS_write), 3);
	T_EQ_INT(dbg_syscall_nargs(SYS_arch_prctl), 2);
	T_EQ_INT(dbg_syscall_nargs(SYS_rt_sigaction), 4);
	T_EQ_INT(dbg_syscall_nargs(SYS_exit_group), 1);
	T_EQ_INT(dbg_syscall_nargs(SYS_getpid), 0);
	T_EQ_INT(dbg_syscall_nargs(SYS_sched_yield), 0);
	T_EQ_INT(dbg_syscall_nargs(SYS_epoll_pwait), 6);
	T_EQ_INT(dbg_syscall_nargs(SYS_openat), 4);
	T_EQ_INT(dbg_syscall_nargs(SYS_clone3), 2);
	T_EQ_INT(dbg_syscall_nargs(335), 6);
	T_EQ_INT(dbg_syscall_nargs(100000), 6);
}

static void test_groups(void)
{
	static const char *const groups[] = { "process",    "signal",  "memory", "file",
					      "descriptor", "network", "ipc" };
	for (size_t i = 0; i < T_COUNT(groups); i++)
		T_TRUE(dbg_syscall_group_known(groups[i]));
	T_FALSE(dbg_syscall_group_known("memor"));
	T_FALSE(dbg_syscall_group_known(""));
	T_TRUE(dbg_syscall_in_group(SYS_mmap, "memory"));
	T_TRUE(dbg_syscall_in_group(SYS_mmap, "descriptor"));
	T_FALSE(dbg_syscall_in_group(SYS_mmap, "file"));
	T_TRUE(dbg_syscall_in_group(SYS_clone, "process"));
	T_TRUE(dbg_syscall_in_group(SYS_rt_sigaction, "signal"));
	T_TRUE(dbg_syscall_in_group(SYS_socket, "network"));
	T_TRUE(dbg_syscall_in_group(SYS_shmat, "ipc"));
	T_TRUE(dbg_syscall_in_group(SYS_shmat, "memory"));
	T_FALSE(dbg_syscall_in_group(SYS_futex, "memory"));
	T_FALSE(dbg_syscall_in_group(SYS_mmap, "nogroup"));
	T_FALSE(dbg_syscall_in_group(335, "memory"));
}

/* Our groups against gdb's own file, call by call. */
static void test_groups_match_gdb(void)
{
	static const char *const groups[] = { "process",    "signal",  "memory", "file",
					      "descriptor", "network", "ipc" };
	const char *path = getenv("GDB_SYSCALLS_XML");
	FILE *f = fopen(path ? path : "/usr/share/gdb/syscalls/amd64-linux.xml", "r");
	if (!f)
		T_SKIP("gdb's amd64-linux.xml is not installed");
	char l[512];
	unsigned n = 0, newer = 0;
	bool seen[DBG_SYSCALL_MAX] = { false };
	while (fgets(l, sizeof(l), f)) {
		char name[128], grp[256] = "";
		unsigned nr;
		const char *p = strstr(l, "<syscall name=\"");
		if (!p || sscanf(p, "<syscall name=\"%127[^\"]\" number=\"%u\"", name, &nr) != 2)
			continue;
		const char *g = strstr(p, "groups=\"");
		if (g)
			sscanf(g, "groups=\"%255[^\"]\"", grp);
		T_CHECK(nr < DBG_SYSCALL_MAX, "%s: %u", name, nr);
		if (!dbg_syscall_name(nr)) {
			/* a call newer than the kernel header this was built with */
			newer++;
			continue;
		}
		seen[nr] = true;
		T_EQ_STR(dbg_syscall_name(nr), name);
		for (size_t i = 0; i < T_COUNT(groups); i++) {
			char want[64];
			snprintf(want, sizeof(want), ",%s,", groups[i]);
			char have[270];
			snprintf(have, sizeof(have), ",%s,", grp);
			T_CHECK(dbg_syscall_in_group(nr, groups[i]) == (strstr(have, want) != NULL),
				"%s (%u) in group %s: gdb says groups=\"%s\"", name, nr, groups[i],
				grp);
		}
		n++;
	}
	fclose(f);
	for (uint64_t nr = 0; nr < DBG_SYSCALL_MAX; nr++)
		if (dbg_syscall_name(nr) && !seen[nr])
			for (size_t i = 0; i < T_COUNT(groups); i++)
				T_CHECK(!dbg_syscall_in_group(nr, groups[i]),
					"%s is in %s but not in gdb's file", dbg_syscall_name(nr),
					groups[i]);
	fprintf(stderr, "%u calls compared with gdb's groups (%u newer than the header)\n", n,
		newer);
	T_GE_INT(n, 300);
}

/* ---- decoding fixed arguments (the strace line each matches above it) ---- */

static const uint64_t ts_20us[2] = { 0, 20000 };
static const uint64_t ts_now[2] = { 51289, 528777958 };
static const uint64_t sa_go[4] = { 0x45e9e0, 0x04000000 | SA_ONSTACK | SA_RESTART | SA_SIGINFO,
				   0x45eb20, ~0ULL };
static const uint64_t sa_dfl[4] = { 0, 0, 0, 0 };
static const uint64_t set_all = ~0ULL, set_none = 0;
static const uint64_t set_some = (1ULL << (SIGHUP - 1)) | (1ULL << (SIGURG - 1)) | (1ULL << 32);
static const struct {
	uint64_t sp;
	int32_t flags, pad;
	uint64_t size;
} ss_go = { 0xc000008000, 0, 0, 32768 }, ss_off = { 0, SS_DISABLE, 0, 0 };
static const unsigned char cpus[32] = { 3 };
static const char hello[] = "hello from bootscope: argc=1 GOMAXPROCS=2\n";
static const char hpage[] = "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size";
static const char num[] = "2097152\n";
static char longpath[300];
static unsigned char many_cpus[128];

static const struct region regions[] = {
	{ 0x1000, ts_20us, sizeof(ts_20us) },
	{ 0x1010, ts_now, sizeof(ts_now) },
	{ 0x2000, sa_go, sizeof(sa_go) },
	{ 0x2100, sa_dfl, sizeof(sa_dfl) },
	{ 0x3000, &set_all, 8 },
	{ 0x3008, &set_none, 8 },
	{ 0x3010, &set_some, 8 },
	{ 0x4000, &ss_go, sizeof(ss_go) },
	{ 0x4100, &ss_off, sizeof(ss_off) },
	{ 0x5000, cpus, sizeof(cpus) },
	{ 0x6000, hello, sizeof(hello) },
	{ 0x7000, hpage, sizeof(hpage) },
	{ 0x8000, num, sizeof(num) },
	{ 0x9000, longpath, sizeof(longpath) },
	{ 0xa000, many_cpus, sizeof(many_cpus) },
};
static const struct fake mem = { regions, T_COUNT(regions) };
static const struct dbg_sysdec dec = { .read = fake_read,
				       .addr_name = fake_name,
				       .arg = (void *)&mem };

static void test_decode_boot(void)
{
	/* arch_prctl(ARCH_SET_FS, 0x529b10) = 0 */
	T_EQ_STR(DEC(&dec, SYS_arch_prctl, false, 0, 0x1002, 0x5a3b08),
		 "arch_prctl(ARCH_SET_FS, 0x5a3b08 <&runtime.m0.tls[0]+8>)");
	/* sched_getaffinity(0, 8192, [0 1]) = 32 */
	T_EQ_STR(DEC(&dec, SYS_sched_getaffinity, true, 32, 0, 8192, 0x5000),
		 "sched_getaffinity(0, 8192, [0 1]) = 32");
	T_EQ_STR(DEC(&dec, SYS_sched_getaffinity, false, 0, 0, 8192, 0x5000),
		 "sched_getaffinity(0, 8192, 0x5000)");
	/* mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f6a78a7e000 */
	T_EQ_STR(DEC(&dec, SYS_mmap, true, 0x7f6a78a7e000, 0, 262144, 3, 0x22, (uint64_t)-1, 0),
		 "mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = "
		 "0x7f6a78a7e000");
	/* mmap(0xc000000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0xc000000000 */
	T_EQ_STR(DEC(&dec, SYS_mmap, true, 0xc000000000, 0xc000000000, 4194304, 3, 0x32,
		     (uint64_t)-1, 0),
		 "mmap(0xc000000000, 4194304, PROT_READ|PROT_WRITE, "
		 "MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0xc000000000");
	/* mmap(NULL, 8388608, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f4822800000 */
	T_EQ_STR(DEC(&dec, SYS_mmap, false, 0, 0, 8388608, 0, 0x4022, (uint64_t)-1, 0),
		 "mmap(NULL, 8388608, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)");
	/* madvise(0x7f4822800000, 4194304, MADV_HUGEPAGE) = 0 */
	T_EQ_STR(DEC(&dec, SYS_madvise, true, 0, 0x7f4822800000, 4194304, 14),
		 "madvise(0x7f4822800000, 4194304, MADV_HUGEPAGE) = 0");
	/* munmap(0x1000, 4096) = 0 */
	T_EQ_STR(DEC(&dec, SYS_munmap, true, 0, 0x7f0000001000, 4096),
		 "munmap(0x7f0000001000, 4096) = 0");
	/* mprotect(0x1000, 4096, PROT_READ|PROT_EXEC|PROT_GROWSDOWN) = -1 ENOMEM (Cannot allocate memory) */
	T_EQ_STR(DEC(&dec, SYS_mprotect, true, -ENOMEM, 0x1000, 4096, 0x01000005),
		 "mprotect(0x1000, 4096, PROT_READ|PROT_EXEC|PROT_GROWSDOWN) = -1 ENOMEM (Cannot "
		 "allocate memory)");
	/* clone(child_stack=0xc00004e000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|
	 * CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS, tls=0xc00003e090) = 9669 */
	T_EQ_STR(DEC(&dec, SYS_clone, true, 9669, 0xd0f00, 0xc00004e000, 0, 0, 0xc00003e090, 0),
		 "clone(child_stack=0xc00004e000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|"
		 "CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS, tls=0xc00003e090 <&runtime.m.tls[0]+8>) "
		 "= 9669");
	/* clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD,
	 * child_tidptr=0x7f...) = 1234 (fork in glibc) */
	T_EQ_STR(DEC(&dec, SYS_clone, false, 0, 0x1200011, 0, 0, 0x7f0000000a10, 0, 0),
		 "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
		 "child_tidptr=0x7f0000000a10)");
	T_EQ_STR(DEC(&dec, SYS_clone, false, 0, SIGCHLD, 0, 0, 0, 0, 0),
		 "clone(child_stack=NULL, flags=SIGCHLD)");
	/* futex(0x529d48, FUTEX_WAIT_PRIVATE, 0, NULL) = 0 */
	T_EQ_STR(DEC(&dec, SYS_futex, true, 0, 0x529d48, 128, 0, 0, 0, 0),
		 "futex(0x529d48, FUTEX_WAIT_PRIVATE, 0, NULL) = 0");
	/* futex(0x7fff60704da4, FUTEX_WAIT_PRIVATE, 1, {tv_sec=1, tv_nsec=5}) = -1 EAGAIN (...) */
	T_EQ_STR(DEC(&dec, SYS_futex, true, -EAGAIN, 0x529d48, 128, 1, 0x1000, 0, 0),
		 "futex(0x529d48, FUTEX_WAIT_PRIVATE, 1, {tv_sec=0, tv_nsec=20000}) = -1 EAGAIN "
		 "(Resource temporarily unavailable)");
	/* futex(0x529d48, FUTEX_WAKE_PRIVATE, 1) = 1 */
	T_EQ_STR(DEC(&dec, SYS_futex, true, 1, 0x529d48, 129, 1, 0, 0, 0),
		 "futex(0x529d48, FUTEX_WAKE_PRIVATE, 1) = 1");
	/* futex(0x7fff60704da4, 0x63 / * FUTEX_??? * /, 1, 0x2, 0x3, 0x4) = -1 ENOSYS (...) */
	T_EQ_STR(DEC(&dec, SYS_futex, false, 0, 0x529d48, 0x63, 1, 2, 3, 4),
		 "futex(0x529d48, 0x63 /* FUTEX_??? */, 1, 0x2, 0x3, 0x4)");
	/* nanosleep({tv_sec=0, tv_nsec=20000}, NULL) = 0 */
	T_EQ_STR(DEC(&dec, SYS_nanosleep, true, 0, 0x1000, 0),
		 "nanosleep({tv_sec=0, tv_nsec=20000}, NULL) = 0");
	/* clock_gettime(CLOCK_MONOTONIC, {tv_sec=51289, tv_nsec=528777958}) = 0 */
	T_EQ_STR(DEC(&dec, SYS_clock_gettime, true, 0, 1, 0x1010),
		 "clock_gettime(CLOCK_MONOTONIC, {tv_sec=51289, tv_nsec=528777958}) = 0");
	T_EQ_STR(DEC(&dec, SYS_clock_gettime, false, 0, 1, 0x1010),
		 "clock_gettime(CLOCK_MONOTONIC, 0x1010)");
	/* gettid() = 9614; exit_group(0) = ? */
	T_EQ_STR(DEC(&dec, SYS_gettid, true, 9614, 0), "gettid() = 9614");
	T_EQ_STR(DEC(&dec, SYS_exit_group, false, 0, 0), "exit_group(0)");
	/* tgkill(9668, 9668, SIGURG) = 0 */
	T_EQ_STR(DEC(&dec, SYS_tgkill, true, 0, 9668, 9668, SIGURG),
		 "tgkill(9668, 9668, SIGURG) = 0");
}

static void test_decode_signals(void)
{
	/* rt_sigaction(SIGHUP, {sa_handler=0x45e9e0, sa_mask=~[], sa_flags=SA_RESTORER|
	 * SA_ONSTACK|SA_RESTART|SA_SIGINFO, sa_restorer=0x45eb20}, NULL, 8) = 0 */
	T_EQ_STR(DEC(&dec, SYS_rt_sigaction, false, 0, SIGHUP, 0x2000, 0, 8),
		 "rt_sigaction(SIGHUP, {sa_handler=0x45e9e0 <runtime.sigtramp>, sa_mask=~[], "
		 "sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_SIGINFO, sa_restorer=0x45eb20}, "
		 "NULL, 8)");
	/* rt_sigaction(SIGRT_1, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0 */
	T_EQ_STR(DEC(&dec, SYS_rt_sigaction, true, 0, 33, 0, 0x2100, 8),
		 "rt_sigaction(SIGRT_1, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0");
	/* rt_sigaction(SIGRTMIN, NULL, ...) at the entry: the old action not yet written */
	T_EQ_STR(DEC(&dec, SYS_rt_sigaction, false, 0, 32, 0, 0x2100, 8),
		 "rt_sigaction(SIGRTMIN, NULL, 0x2100, 8)");
	/* rt_sigprocmask(SIG_SETMASK, ~[], [], 8) = 0 */
	T_EQ_STR(DEC(&dec, SYS_rt_sigprocmask, true, 0, SIG_SETMASK, 0x3000, 0x3008, 8),
		 "rt_sigprocmask(SIG_SETMASK, ~[], [], 8) = 0");
	/* rt_sigprocmask(SIG_BLOCK, [USR2 URG], [], 8) = 0 */
	T_EQ_STR(DEC(&dec, SYS_rt_sigprocmask, false, 0, SIG_BLOCK, 0x3010, 0, 8),
		 "rt_sigprocmask(SIG_BLOCK, [HUP URG RT_1], NULL, 8)");
	/* sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0 */
	T_EQ_STR(DEC(&dec, SYS_sigaltstack, true, 0, 0, 0x4100),
		 "sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0");
	/* sigaltstack({ss_sp=0xc000008000, ss_flags=0, ss_size=32768}, NULL) = 0 */
	T_EQ_STR(DEC(&dec, SYS_sigaltstack, true, 0, 0x4000, 0),
		 "sigaltstack({ss_sp=0xc000008000, ss_flags=0, ss_size=32768}, NULL) = 0");
}

static void test_decode_files(void)
{
	/* write(1, "hello from bootscope: argc=1 GOM"..., 42) = 42 */
	T_EQ_STR(DEC(&dec, SYS_write, true, 42, 1, 0x6000, 42),
		 "write(1, \"hello from bootscope: argc=1 GOM\"..., 42) = 42");
	/* openat(AT_FDCWD, "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", O_RDONLY) = 3 */
	T_EQ_STR(DEC(&dec, SYS_openat, true, 3, (uint64_t)AT_FDCWD, 0x7000, O_RDONLY, 0),
		 "openat(AT_FDCWD, \"/sys/kernel/mm/transparent_hugepage/hpage_pmd_size\", "
		 "O_RDONLY) = 3");
	/* openat(AT_FDCWD, "x", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = -1 ENOENT (...) */
	T_EQ_STR(DEC(&dec, SYS_openat, true, -ENOENT, (uint64_t)AT_FDCWD, 0x7000,
		     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666),
		 "openat(AT_FDCWD, \"/sys/kernel/mm/transparent_hugepage/hpage_pmd_size\", "
		 "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = -1 ENOENT (No such file or directory)");
	/* read(3, "2097152\n", 20) = 8 */
	T_EQ_STR(DEC(&dec, SYS_read, true, 8, 3, 0x8000, 20), "read(3, \"2097152\\n\", 20) = 8");
	T_EQ_STR(DEC(&dec, SYS_read, false, 0, 3, 0x8000, 20), "read(3, 0x8000, 20)");
	/* close(3) = 0 */
	T_EQ_STR(DEC(&dec, SYS_close, true, 0, 3), "close(3) = 0");
	/* fcntl(2, F_GETFL) = 0x8001 (flags O_WRONLY|O_LARGEFILE) */
	T_EQ_STR(DEC(&dec, SYS_fcntl, true, 0x8001, 2, F_GETFL),
		 "fcntl(2, F_GETFL) = 0x8001 (flags "
		 "O_WRONLY|O_LARGEFILE)");
	/* a pointer that cannot be read shows as the address */
	T_EQ_STR(DEC(&dec, SYS_write, false, 0, 1, 0xdead000, 5), "write(1, 0xdead000, 5)");
	T_EQ_STR(DEC(NULL, SYS_nanosleep, false, 0, 0x1000, 0), "nanosleep(0x1000, NULL)");
	/* a text longer than an argument's room is cut with "..." */
	memset(longpath, 'p', sizeof(longpath) - 1);
	struct dbg_sysarg out[6];
	uint64_t a[6] = { (uint64_t)AT_FDCWD, 0x9000, 0, 0, 0, 0 };
	T_EQ_INT(dbg_syscall_decode(&dec, SYS_openat, a, false, 0, out), 3);
	T_EQ_INT(strlen(out[1].text), sizeof(out[1].text) - 1);
	T_EQ_STR(out[1].text + sizeof(out[1].text) - 4, "...");
	T_EQ_INT(strncmp(out[1].text, "\"ppp", 4), 0);
	T_EQ_HEX(out[1].raw, 0x9000);
	/* 1024 CPUs: the list is cut too */
	memset(many_cpus, 0xff, sizeof(many_cpus));
	uint64_t aff[6] = { 0, 128, 0xa000, 0, 0, 0 };
	T_EQ_INT(dbg_syscall_decode(&dec, SYS_sched_getaffinity, aff, true, 128, out), 3);
	T_EQ_INT(strlen(out[2].text), sizeof(out[2].text) - 1);
	T_EQ_INT(strncmp(out[2].text, "[0 1 2 3 4 5 6 7 8 9 10 ", 24), 0);
	T_EQ_STR(out[2].text + sizeof(out[2].text) - 4, "...");
}

static void test_decode_others(void)
{
	struct dbg_sysarg out[6];
	uint64_t a[6] = { 1, 0x20, 0, 0x7fff, 5, 6 };
	/* a call without its own decoder: as many raw arguments as it takes */
	T_EQ_INT(dbg_syscall_decode(&dec, SYS_getxattr, a, false, 0, out), 4);
	T_EQ_STR(out[0].text, "0x1");
	T_EQ_STR(out[2].text, "0");
	T_EQ_STR(out[3].text, "0x7fff");
	/* a number the kernel does not define: six */
	T_EQ_INT(dbg_syscall_decode(&dec, 400, a, false, 0, out), 6);
	T_EQ_STR(out[5].text, "0x6");
	T_EQ_INT(dbg_syscall_decode(&dec, SYS_getpid, a, false, 0, out), 0);
}

static void test_results(void)
{
	char r[128];
	dbg_syscall_result(SYS_openat, -ENOENT, r, sizeof(r));
	T_EQ_STR(r, "-1 ENOENT (No such file or directory)");
	dbg_syscall_result(SYS_futex, -EAGAIN, r, sizeof(r));
	T_EQ_STR(r, "-1 EAGAIN (Resource temporarily unavailable)");
	dbg_syscall_result(SYS_mmap, 0x7f48479c6000, r, sizeof(r));
	T_EQ_STR(r, "0x7f48479c6000");
	dbg_syscall_result(SYS_mmap, -ENOMEM, r, sizeof(r));
	T_EQ_STR(r, "-1 ENOMEM (Cannot allocate memory)");
	dbg_syscall_result(SYS_write, 42, r, sizeof(r));
	T_EQ_STR(r, "42");
	dbg_syscall_result(SYS_fcntl, 0x8001, r, sizeof(r));
	T_EQ_STR(r, "32769");
	/* nanosleep(..., <unfinished ...>) = ? ERESTART_RESTARTBLOCK (Interrupted by signal) */
	dbg_syscall_result(SYS_nanosleep, -516, r, sizeof(r));
	T_EQ_STR(r, "? ERESTART_RESTARTBLOCK (Interrupted by signal)");
	dbg_syscall_result(SYS_read, -4000, r, sizeof(r));
	T_EQ_STR(r, "-1 4000 (Unknown error 4000)");
	dbg_syscall_result(SYS_read, -4096, r, sizeof(r));
	T_EQ_STR(r, "-4096");
	dbg_syscall_result(SYS_openat, -ENOENT, r, 8);
	T_EQ_STR(r, "-1 ENOE");
	T_TRUE(dbg_syscall_failed(-1));
	T_TRUE(dbg_syscall_failed(-4095));
	T_FALSE(dbg_syscall_failed(-4096));
	T_FALSE(dbg_syscall_failed(0));
	T_EQ_STR(dbg_errno_name(ENOENT), "ENOENT");
	T_EQ_STR(dbg_errno_name(512), "ERESTARTSYS");
	T_NULL(dbg_errno_name(4000));
	T_NULL(dbg_errno_name(0));
}

/* ---- the strace witness: real calls, decoded from our own memory ---- */

static pid_t self_pid;

static int self_read(void *arg, uint64_t addr, void *buf, size_t n)
{
	(void)arg;
	struct iovec local = { buf, n }, remote = { (void *)(uintptr_t)addr, n };
	ssize_t got = process_vm_readv(self_pid, &local, 1, &remote, 1, 0);
	return got == (ssize_t)n ? 0 : -EFAULT;
}

static char witness_out[1 << 16];
static size_t witness_len;

/* Our line for a call made, as strace would log it. */
static void record(uint64_t nr, const uint64_t a[6], int64_t ret)
{
	static const struct dbg_sysdec self = { .read = self_read };
	format(&self, nr, a, true, ret, line, sizeof(line));
	witness_len += (size_t)snprintf(witness_out + witness_len,
					sizeof(witness_out) - witness_len, "%s\n", line);
}

static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5)
{
	long r = syscall((long)nr, a0, a1, a2, a3, a4, a5);
	int64_t ret = r == -1 ? -(int64_t)errno : r;
	uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };
	record(nr, a, ret);
	return ret;
}

#define P(x) ((uint64_t)(uintptr_t)(x))
#define C0(nr) call(nr, 0, 0, 0, 0, 0, 0)
#define C1(nr, a) call(nr, (uint64_t)(a), 0, 0, 0, 0, 0)
#define C2(nr, a, b) call(nr, (uint64_t)(a), (uint64_t)(b), 0, 0, 0, 0)
#define C3(nr, a, b, c) call(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0, 0, 0)
#define C4(nr, a, b, c, d) \
	call(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d), 0, 0)
#define C6(nr, a, b, c, d, e, f)                                                            \
	call(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d), (uint64_t)(e), \
	     (uint64_t)(f))

/* The marker that starts the compared part of strace's log. */
static const char witness_begin[] = "witness begins";

static void sig_handler(int sig)
{
	(void)sig;
}

static int witness(const char *out_path)
{
	self_pid = getpid();
	call(SYS_write, (uint64_t)-1, P(witness_begin), sizeof(witness_begin) - 1, 0, 0, 0);

	/* memory */
	int64_t m =
		C6(SYS_mmap, 0, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	C6(SYS_mmap, m + 4096, 4096, PROT_NONE,
	   MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	C6(SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, 1000, 8192);
	C3(SYS_mprotect, m + 4096, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
	C3(SYS_madvise, m, 65536, MADV_DONTNEED);
	C3(SYS_madvise, m, 65536, MADV_HUGEPAGE);
	C3(SYS_madvise, m, 65536, 77);
	C2(SYS_munmap, m + 8192, 4096);

	/* thread state */
	uint64_t fs = 0;
	C2(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, P(&fs));
	C2(SYS_arch_prctl, 0x3333, 1);
	C0(SYS_getpid);
	int64_t tid = C0(SYS_gettid);
	C0(SYS_sched_yield);
	unsigned char mask[128] = { 0 };
	C3(SYS_sched_getaffinity, 0, sizeof(mask), P(mask));
	C3(SYS_sched_getaffinity, 0, 8192, 1);

	/* futexes: the value never matches, so no wait */
	uint32_t *w = (uint32_t *)(uintptr_t)m, *w2 = w + 1;
	struct timespec ts = { 0, 5000 }, rem = { 0, 0 };
	C6(SYS_futex, P(w), FUTEX_WAIT_PRIVATE, 1, 0, 0, 0);
	C6(SYS_futex, P(w), FUTEX_WAIT_PRIVATE, 1, P(&ts), 0, 0);
	C6(SYS_futex, P(w), FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
	C6(SYS_futex, P(w), FUTEX_WAKE, 2, 0, 0, 0);
	C6(SYS_futex, P(w), FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, 0, 0, 0xffffffff);
	C6(SYS_futex, P(w), FUTEX_WAKE_BITSET_PRIVATE, 1, 0, 0, 0x10);
	C6(SYS_futex, P(w), FUTEX_WAKE_OP_PRIVATE, 1, 1, P(w2),
	   FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 0));
	C6(SYS_futex, P(w), FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, P(w2), 7);
	C6(SYS_futex, P(w), FUTEX_REQUEUE_PRIVATE, 1, 2, P(w2), 0);
	C6(SYS_futex, P(w), 99, 1, 2, 3, 4);

	/* signals */
	struct {
		uint64_t handler, flags, restorer, mask;
	} act = { P(sig_handler), 0x04000000 | SA_ONSTACK | SA_RESTART | SA_SIGINFO, P(sig_handler),
		  ~0ULL },
	  old;
	C4(SYS_rt_sigaction, SIGUSR1, 0, P(&old), 8);
	C4(SYS_rt_sigaction, SIGUSR1, P(&act), P(&old), 8);
	act.flags = SA_NODEFER | SA_RESETHAND;
	act.mask = (1ULL << (SIGINT - 1)) | (1ULL << (SIGHUP - 1)) | (1ULL << 33) | (1ULL << 40);
	act.handler = (uint64_t)(uintptr_t)SIG_IGN;
	C4(SYS_rt_sigaction, SIGUSR1, P(&act), P(&old), 8);
	C4(SYS_rt_sigaction, SIGUSR1, P(&old), 0, 8);
	C4(SYS_rt_sigaction, 64, 0, P(&old), 8);
	C4(SYS_rt_sigaction, 32, 0, P(&old), 8);
	uint64_t set = (1ULL << (SIGUSR2 - 1)) | (1ULL << (SIGURG - 1)), oset = 0;
	C4(SYS_rt_sigprocmask, SIG_SETMASK, 0, P(&oset), 8);
	C4(SYS_rt_sigprocmask, SIG_BLOCK, P(&set), P(&oset), 8);
	set = ~(1ULL << (SIGKILL - 1));
	C4(SYS_rt_sigprocmask, SIG_UNBLOCK, P(&set), 0, 8);
	C4(SYS_rt_sigprocmask, SIG_SETMASK, P(&oset), 0, 8);
	struct {
		uint64_t sp;
		int32_t flags, pad;
		uint64_t size;
	} ss = { P(w) + 32768, 0, 0, 32768 }, oss;
	C2(SYS_sigaltstack, 0, P(&oss));
	C2(SYS_sigaltstack, P(&ss), 0);
	ss.flags = SS_DISABLE;
	C2(SYS_sigaltstack, P(&ss), P(&oss));
	C3(SYS_tgkill, self_pid, tid, 0);
	C2(SYS_kill, self_pid, 0);

	/* time */
	C2(SYS_nanosleep, P(&ts), 0);
	C4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, P(&ts), P(&rem));
	C4(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, P(&ts), 0);
	C2(SYS_clock_gettime, CLOCK_MONOTONIC, P(&ts));
	C2(SYS_clock_getres, CLOCK_BOOTTIME, P(&ts));
	C2(SYS_clock_gettime, 55, P(&ts));
	C2(SYS_clock_gettime, -6, P(&ts)); /* this thread's CPU time */

	/* files */
	static const char text[] =
		"hello\n\t\"q\\\001\0012\x7f\xff end of the first 32 bytes, and more";
	int64_t fd = C4(SYS_openat, AT_FDCWD, P("/dev/null"), O_WRONLY | O_CLOEXEC, 0);
	C3(SYS_write, fd, P(text), sizeof(text) - 1);
	C3(SYS_write, fd, P(text), 6);
	C3(SYS_write, fd, 0, 0);
	C1(SYS_close, fd);
	C4(SYS_openat, AT_FDCWD, P("/nonexistent/dir"), O_RDONLY, 0);
	C4(SYS_openat, AT_FDCWD, P("/dev/null"), O_RDWR | O_CREAT | O_EXCL | O_TRUNC | O_APPEND,
	   0640);
	C4(SYS_openat, 12345, P("rel/path"), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK, 0);
	fd = C4(SYS_openat, AT_FDCWD, P("/dev/zero"), O_RDONLY, 0);
	char buf[64];
	C3(SYS_read, fd, P(buf), 40);
	C3(SYS_read, fd, P(buf), 3);
	C1(SYS_close, fd);
	C1(SYS_close, -1);
	C3(SYS_read, -1, P(buf), 3);

	/* pipes, fcntl, epoll */
	int fds[2];
	C2(SYS_pipe2, P(fds), O_CLOEXEC | O_NONBLOCK);
	C3(SYS_fcntl, fds[0], F_GETFL, 0);
	C3(SYS_fcntl, fds[0], F_SETFL, O_RDONLY | O_NONBLOCK);
	C3(SYS_fcntl, fds[0], F_GETFD, 0);
	C3(SYS_fcntl, fds[0], F_SETFD, FD_CLOEXEC);
	int64_t dup = C3(SYS_fcntl, fds[0], F_DUPFD_CLOEXEC, 20);
	C1(SYS_close, dup);
	int64_t ep = C1(SYS_epoll_create1, EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET,
				  .data.u64 = 0x1234567890 };
	C4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, fds[0], P(&ev));
	C4(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, fds[0], 0);
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.u64 = 7;
	C4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, fds[1], P(&ev));
	struct epoll_event evs[4];
	C6(SYS_epoll_pwait, ep, P(evs), 4, 0, 0, 8);
	C4(SYS_epoll_wait, ep, P(evs), 4, 0);
	C1(SYS_close, ep);
	C1(SYS_close, fds[0]);
	C1(SYS_close, fds[1]);

	/* clones the kernel refuses: CLONE_SIGHAND needs CLONE_VM */
	int ptid = 0;
	C6(SYS_clone,
	   CLONE_SIGHAND | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
	   m + 65536, P(&ptid), P(w2), P(w), 0);
	C6(SYS_clone, CLONE_SIGHAND | CLONE_THREAD, 0, 0, 0, 0, 0);
	C6(SYS_clone, SIGCHLD | CLONE_SIGHAND, 0, 0, 0, 0, 0);
	C2(SYS_clone3, 0, 0);
	struct clone_args ca = { .flags = CLONE_SIGHAND | CLONE_SETTLS,
				 .exit_signal = SIGCHLD,
				 .stack = P(w),
				 .stack_size = 4096,
				 .tls = P(w2) };
	C2(SYS_clone3, P(&ca), sizeof(ca));
	/* a child that leaves at once; strace does not follow it (no -f) */
	uint64_t fork_args[6] = { CLONE_PARENT_SETTID | SIGCHLD, 0, P(&ptid), 0, 0, 0 };
	long child = syscall(SYS_clone, fork_args[0], 0, P(&ptid), 0, 0);
	if (child == 0)
		_exit(0);
	record(SYS_clone, fork_args, child == -1 ? -(int64_t)errno : child);
	C3(SYS_sched_setaffinity, 0, sizeof(mask), P(mask));
	uint64_t rl[2] = { 0, 0 }, rl_new[2] = { 1000, 8192 * 1024 };
	C2(SYS_getrlimit, RLIMIT_STACK, P(rl));
	C2(SYS_getrlimit, RLIMIT_NOFILE, P(rl));
	C2(SYS_getrlimit, 99, P(rl));
	C4(SYS_prlimit64, 0, RLIMIT_CORE, 0, P(rl));
	C4(SYS_prlimit64, 0, RLIMIT_CORE, P(rl), 0);
	C2(SYS_setrlimit, RLIMIT_CORE, P(rl));
	C2(SYS_setrlimit, RLIMIT_CORE, P(rl_new));
	C2(SYS_setrlimit, RLIMIT_CORE, P(rl));
	C1(SYS_brk, 0);
	C1(SYS_set_tid_address, P(w));
	C1(SYS_set_tid_address, 0x10);

	C4(__NR_epoll_ctl_old, 1, 2, 3, 4); /* strace: raw arguments */
	call(SYS_write, (uint64_t)-1, P(witness_begin), 3, 0, 0, 0);

	FILE *f = fopen(out_path, "w");
	if (!f)
		return 2;
	fwrite(witness_out, 1, witness_len, f);
	fclose(f);
	return 0;
}

/* strace's line with the spaces before " = " taken out. */
static void strace_norm(char *s)
{
	char *eq = strstr(s, " = ");
	if (!eq)
		return;
	char *p = eq;
	while (p > s && p[-1] == ' ')
		p--;
	if (p[-1] == ')' && p != eq)
		memmove(p, eq, strlen(eq) + 1);
}

static void test_strace_witness(void)
{
	char dir[] = "/tmp/bs-sysdec-XXXXXX", cmd[1024], ours[300], theirs[300], a[1024], b[1024];

	if (system("strace -V >/dev/null 2>&1") != 0)
		T_SKIP("strace is not installed");
	char self[256];
	ssize_t sn = readlink("/proc/self/exe", self, sizeof(self) - 1);
	T_TRUE(sn > 0);
	self[sn] = '\0';
	T_TRUE(mkdtemp(dir) != NULL);
	snprintf(ours, sizeof(ours), "%s/ours", dir);
	snprintf(theirs, sizeof(theirs), "%s/strace", dir);
	snprintf(cmd, sizeof(cmd),
		 "strace -qq -e signal=none -e trace='!process_vm_readv' -o %s %s --witness %s",
		 theirs, self, ours);
	/* strace refused (no ptrace in this sandbox) skips; a witness run that
	 * fails is a failure */
	int rc = system(cmd);
	if (rc != 0) {
		FILE *t = fopen(theirs, "r");
		if (!t || fgetc(t) == EOF)
			T_SKIP("strace cannot trace here");
		fclose(t);
		T_FAIL("the witness run failed: %d", rc);
	}
	/* strace's log from the marker to the last call of ours, without
	 * signals and the padding before " = " */
	char norm[300];
	snprintf(norm, sizeof(norm), "%s/strace.norm", dir);
	FILE *ft = fopen(theirs, "r"), *fn = fopen(norm, "w"), *fo = fopen(ours, "r");
	T_TRUE(ft && fn && fo);
	unsigned lines = 0, theirs_n = 0;
	while (fgets(a, sizeof(a), fo))
		lines++;
	fclose(fo);
	bool begun = false;
	while (theirs_n < lines && fgets(b, sizeof(b), ft)) {
		begun = begun || strstr(b, witness_begin) != NULL;
		if (!begun || strncmp(b, "---", 3) == 0)
			continue;
		strace_norm(b);
		fputs(b, fn);
		theirs_n++;
	}
	fclose(ft);
	fclose(fn);
	fprintf(stderr, "%u calls compared with strace\n", lines);
	T_GE_INT(lines, 80);
	snprintf(cmd, sizeof(cmd), "diff -u %s %s >&2", norm, ours);
	T_EQ_INT(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	T_EQ_INT(system(cmd), 0);
}

/* s without the " <name>" the debugger adds to addresses it can name, and
 * with the result of a call that returns a thread id made "N". */
static void go_norm(char *s)
{
	char *p;
	while ((p = strstr(s, " <")) != NULL) {
		char *end = strchr(p, '>');
		if (!end)
			break;
		memmove(p, end + 1, strlen(end + 1) + 1);
	}
	if (strncmp(s, "gettid(", 7) == 0 || strncmp(s, "clone(", 6) == 0) {
		p = strstr(s, ") = ");
		if (p && p[4] >= '1' && p[4] <= '9')
			strcpy(p + 4, "N\n");
	}
}

/*
 * A program's boot, logged by the session (its memory read through
 * ptrace, its addresses named) against strace's log of the same program:
 * the main thread's calls up to its first clone, which no other thread
 * can reorder, are the same calls with the same texts. Both run without
 * address randomisation.
 */
static void boot_matches_strace(const char *env, unsigned min)
{
	const char *prog = getenv(env);
	if (!prog || access(prog, X_OK) != 0)
		T_SKIP("no program (%s)", env);
	if (system("strace -V >/dev/null 2>&1 && setarch --version >/dev/null 2>&1") != 0)
		T_SKIP("strace or setarch is not installed");
	char dir[] = "/tmp/bs-sysgo-XXXXXX", cmd[1024], theirs[300], l[2048];
	T_TRUE(mkdtemp(dir) != NULL);
	snprintf(theirs, sizeof(theirs), "%s/strace", dir);
	/* not through system(): /bin/sh hands its children signals 32 and 33
	 * ignored, which the program's rt_sigaction would show; and with no
	 * descriptor of ours open, so its first open gets 3 as under the
	 * debugger */
	pid_t pid = fork();
	T_TRUE(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		execlp("setarch", "setarch", "x86_64", "-R", "strace", "-qq", "-e", "signal=none",
		       "-o", theirs, prog, (char *)NULL);
		_exit(127);
	}
	int status;
	T_EQ_INT(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		T_SKIP("strace cannot trace here");

	struct dbg_session *s;
	struct dbg_err err;
	struct dbg_stop stop;
	char *argv[] = { (char *)prog, NULL };
	T_OK(dbg_session_open(&s, prog, &err), err);
	if (dbg_session_start(s, argv, NULL, NULL, &stop, &err) < 0)
		T_SKIP("cannot start the program: %s", err.msg);
	for (int i = 0; i < 200; i++) {
		T_OK(dbg_session_cont(s, &stop, &err), err);
		if (stop.reason == DBG_STOP_EXITED || stop.reason == DBG_STOP_SIGNALED)
			break;
	}
	T_CHECK(stop.reason == DBG_STOP_EXITED, "the program did not exit: %d", stop.reason);
	const struct dbg_sys_event *e;
	size_t n = dbg_session_syscalls(s, &e);
	T_GE_INT(n, 1);

	FILE *ft = fopen(theirs, "r");
	T_TRUE(ft != NULL);
	T_TRUE(fgets(l, sizeof(l), ft) && strncmp(l, "execve(", 7) == 0);
	unsigned compared = 0;
	bool clone_seen = false;
	for (size_t i = 0; i < n && !clone_seen; i++) {
		if (e[i].kind != DBG_SYS_CALL || e[i].tid != e[0].tid)
			continue;
		size_t len = (size_t)snprintf(line, sizeof(line), "%s(", dbg_syscall_name(e[i].nr));
		for (unsigned k = 0; k < e[i].nargs; k++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
						k ? ", " : "", e[i].arg[k].text);
		char r[128];
		dbg_syscall_result_args(e[i].nr, e[i].args, e[i].ret, r, sizeof(r));
		snprintf(line + len, sizeof(line) - len, ") = %s\n", e[i].returned ? r : "?");
		go_norm(line);
		do {
			T_CHECK(fgets(l, sizeof(l), ft) != NULL, "strace's log ends before %s",
				line);
		} while (strncmp(l, "---", 3) == 0);
		strace_norm(l);
		go_norm(l);
		T_EQ_STR(line, l);
		compared++;
		clone_seen = e[i].nr == SYS_clone;
	}
	fclose(ft);
	dbg_session_free(s);
	fprintf(stderr, "%s: %u calls of the main thread compared with strace\n", env, compared);
	T_TRUE(clone_seen);
	T_GE_INT(compared, min);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	T_EQ_INT(system(cmd), 0);
}

static void test_go_boot_matches_strace(void)
{
	boot_matches_strace("GOHELLO", 100);
}

/* The bundled runtime's hello: arch_prctl, sched_getaffinity, mmap,
 * gettid, clone. */
static void test_hello_boot_matches_strace(void)
{
	boot_matches_strace("HELLO", 5);
}

static const struct t_case cases[] = {
	T_CASE(test_names),
	T_CASE(test_names_match_header),
	T_CASE(test_nargs),
	T_CASE(test_groups),
	T_CASE(test_groups_match_gdb),
	T_CASE(test_decode_boot),
	T_CASE(test_decode_signals),
	T_CASE(test_decode_files),
	T_CASE(test_decode_others),
	T_CASE(test_results),
	T_CASE(test_strace_witness),
	T_CASE(test_go_boot_matches_strace),
	T_CASE(test_hello_boot_matches_strace),
};

int main(int argc, char **argv)
{
	/* _exit: a leak checker at exit would need ptrace, which strace holds */
	if (argc == 3 && strcmp(argv[1], "--witness") == 0)
		_exit(witness(argv[2]));
	return t_main(argc, argv, cases, T_COUNT(cases));
}
