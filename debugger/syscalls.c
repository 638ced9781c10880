/* syscalls — system call names, groups and decoding (see syscalls.h). */
#include "syscalls.h"

#include <stdio.h>
#include <string.h>

#include "regs.h"

int64_t dbg_syscall_by_name(const char *name)
{
	for (uint64_t nr = 0; nr < DBG_SYSCALL_MAX; nr++) {
		const char *n = dbg_syscall_name(nr);
		if (n && strcmp(n, name) == 0)
			return (int64_t)nr;
	}
	return -1;
}

unsigned dbg_syscall_nargs(uint64_t nr)
{
	(void)nr;
	return 6;
}

bool dbg_syscall_group_known(const char *group)
{
	(void)group;
	return false;
}

bool dbg_syscall_in_group(uint64_t nr, const char *group)
{
	(void)nr;
	(void)group;
	return false;
}

const char *dbg_errno_name(int e)
{
	return strerrorname_np(e);
}

bool dbg_syscall_failed(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}

unsigned dbg_syscall_decode(const struct dbg_sysdec *d, uint64_t nr, const uint64_t args[6],
			    bool exited, int64_t ret, struct dbg_sysarg out[6])
{
	(void)d;
	(void)exited;
	(void)ret;
	unsigned n = dbg_syscall_nargs(nr);
	for (unsigned i = 0; i < n; i++) {
		out[i].raw = args[i];
		snprintf(out[i].text, sizeof(out[i].text), "%#llx", (unsigned long long)args[i]);
	}
	return n;
}

void dbg_syscall_result(uint64_t nr, int64_t ret, char *buf, size_t n)
{
	(void)nr;
	if (dbg_syscall_failed(ret)) {
		const char *name = dbg_errno_name((int)-ret);
		snprintf(buf, n, "-1 %s (%s)", name ? name : "E?", strerror((int)-ret));
	} else {
		snprintf(buf, n, "%lld", (long long)ret);
	}
}
