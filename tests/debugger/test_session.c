/* session: starting, stepping (checked against gdb), breakpoints, nexti,
 * finish, until, signals, exit, output, threads, clone children, interrupt. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "session.h"
#include "timeline.h"

static uint64_t nm_addr(const char *path, const char *name)
{
	char cmd[1024], out[256];
	snprintf(cmd, sizeof(cmd), "nm '%s' | awk '$3 == \"%s\" { print $1; exit }'", path, name);
	if (t_capture(cmd, out, sizeof(out)) != 0 || !out[0])
		T_SETUP_FAIL("nm finds no %s in %s", name, path);
	return strtoull(out, NULL, 16);
}

/*
 * Run gdb in batch mode on path with the given -ex commands; the values it
 * prints ("$1 = 0x401000") go into vals. Returns how many it printed.
 */
static size_t gdb_values(const char *path, const char *cmds, uint64_t *vals, size_t max)
{
	const char *gdb = getenv("GDB");
	if (!gdb)
		T_SKIP("gdb is not installed");
	char cmd[4096], out[8192];
	snprintf(cmd, sizeof(cmd),
		 "'%s' -nx -batch -ex 'set startup-with-shell off' %s '%s' 2>/dev/null"
		 " | sed -n 's/^\\$[0-9]* = \\(0x[0-9a-f]*\\).*/\\1/p'",
		 gdb, cmds, path);
	if (t_capture(cmd, out, sizeof(out)) != 0)
		T_SETUP_FAIL("gdb failed: %s", cmd);
	size_t n = 0;
	char *p = out;
	while (n < max && *p) {
		char *end;
		vals[n++] = strtoull(p, &end, 16);
		p = end;
		while (*p == '\n')
			p++;
	}
	return n;
}

static struct dbg_session *open_session(const char *path)
{
	struct dbg_session *s;
	struct dbg_err err;
	T_OK(dbg_session_open(&s, path, &err), err);
	return s;
}

/* Start path with argv {path, arg}; skip when ptrace is refused. */
static void start(struct dbg_session *s, const char *arg, struct dbg_stop *stop)
{
	struct dbg_err err;
	char *argv[3] = { (char *)dbg_session_path(s), (char *)arg, NULL };
	int rc = dbg_session_start(s, argv, NULL, NULL, stop, &err);
	if (rc == -EPERM)
		T_SKIP("ptrace refused: %s", err.msg);
	T_OK(rc, err);
}

static int stage(struct dbg_session *s, const char *name)
{
	int i = dbg_stages_find(dbg_session_stages(s), name);
	if (i < 0)
		T_FAIL("no stage %s", name);
	return i;
}

static void test_start_at_entry(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	start(s, NULL, &stop);
	T_EQ_INT(stop.reason, DBG_STOP_ENTRY);
	T_EQ_HEX(stop.pc, nm_addr(path, "_rt0_amd64_linux"));
	T_EQ_INT(stop.tid, dbg_session_pid(s));
	T_EQ_INT(stop.stage, stage(s, "_rt0_amd64_linux"));
	T_EQ_INT(dbg_session_current_stage(s), stop.stage);
	const struct dbg_regs *r = dbg_session_regs(s);
	T_NOT_NULL(r);
	T_EQ_HEX(r->fs_base, 0);
	T_EQ_HEX(dbg_session_entry_sp(s), r->rsp);
	/* [rsp] = argc = 1, [rsp+8] = argv[0] = the path */
	uint64_t argc, argv0;
	struct dbg_err err;
	T_OK(dbg_session_read_u64(s, r->rsp, &argc, &err), err);
	T_EQ_INT(argc, 1);
	T_OK(dbg_session_read_u64(s, r->rsp + 8, &argv0, &err), err);
	char name[256] = "";
	T_OK(dbg_session_read(s, argv0, name, strlen(path) + 1, &err), err);
	T_EQ_STR(name, path);
	T_EQ_INT(dbg_session_steps(s), 0);
	/* restart kills the first process */
	pid_t first = dbg_session_pid(s);
	start(s, NULL, &stop);
	T_NE_INT(dbg_session_pid(s), first);
	T_EQ_INT(kill(first, 0), -1);
	dbg_session_free(s);
}

/*
 * stepi N lands where gdb lands. gdb is stopped by breakpoints with ignore
 * counts at the k-th arrival at each pc (k counted while bootscope steps),
 * not by its own stepi: under a hypervisor that emulates cpuid (minirt runs
 * one), gdb's single step over cpuid runs one instruction too far.
 */
static void test_stepi_matches_gdb(void)
{
	const char *path = t_env("MINIRT");
	const uint64_t counts[] = { 1, 3, 9, 17, 23, 40, 61 };
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	uint64_t pcs[62];
	pcs[0] = stop.pc;
	size_t next = 0;
	uint64_t got[T_COUNT(counts)];
	for (uint64_t n = 1; n <= 61; n++) {
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
		T_EQ_INT(stop.reason, DBG_STOP_STEP);
		T_EQ_INT(dbg_session_steps(s), n);
		T_EQ_HEX(dbg_session_regs(s)->rip, stop.pc);
		pcs[n] = stop.pc;
		if (n == counts[next])
			got[next++] = stop.pc;
	}
	dbg_session_free(s);

	char cmds[4096] = "";
	uint64_t done = 0;
	for (size_t i = 0; i < T_COUNT(counts); i++) {
		uint64_t ignore = 0;
		for (uint64_t j = done + 1; j < counts[i]; j++)
			ignore += pcs[j] == pcs[counts[i]];
		size_t len = strlen(cmds);
		snprintf(cmds + len, sizeof(cmds) - len,
			 " -ex delete -ex 'break *0x%llx' -ex 'ignore $bpnum %llu' -ex %s -ex 'p/x $pc'",
			 (unsigned long long)pcs[counts[i]], (unsigned long long)ignore,
			 i ? "continue" : "run");
		done = counts[i];
	}
	uint64_t want[16];
	T_EQ_INT(gdb_values(path, cmds, want, 16), T_COUNT(counts));
	for (size_t i = 0; i < T_COUNT(counts); i++)
		T_EQ_HEX(got[i], want[i]);
}

/* A single step over cpuid ends at the next instruction, also where the
 * hypervisor loses cpuid's single-step trap. */
static void test_stepi_over_cpuid(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	uint64_t n = 0;
	for (;;) {
		uint8_t b[2];
		T_OK(dbg_session_read(s, stop.pc, b, 2, &err), err);
		if (b[0] == 0x0f && b[1] == 0xa2)
			break;
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
		T_LT_INT(++n, 100);
	}
	uint64_t at = stop.pc;
	T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_STEP);
	T_EQ_HEX(stop.pc, at + 2);
	T_EQ_INT(dbg_session_steps(s), n + 1);
	/* cpuid's leaf 0 answered: eax holds the highest leaf, at least 1 */
	T_TRUE(dbg_session_regs(s)->rax >= 1);
	dbg_session_free(s);
}

/* The stages of minirt are reached in boot order while stepping, and
 * settls sets fs_base to &m0.tls[0] + 8. */
static void test_stepping_reaches_stages(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	int check = stage(s, "check");
	uint64_t prev = 0;
	while (dbg_session_current_stage(s) != check) {
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
		T_EQ_INT(stop.reason, DBG_STOP_STEP);
		T_LT_INT(dbg_session_steps(s), 1000);
	}
	T_EQ_HEX(stop.pc, nm_addr(path, "runtime.check"));
	T_EQ_HEX(dbg_session_regs(s)->fs_base, nm_addr(path, "runtime.m0") + 136 + 8);
	const struct dbg_stages *st = dbg_session_stages(s);
	for (int i = 0; i <= check; i++) {
		uint64_t at;
		if (!dbg_session_stage_reached(s, (size_t)i, &at))
			T_FAIL("stage %s not reached", st->v[i].name);
		T_TRUE(at >= prev);
		prev = at;
	}
	T_EQ_INT(prev, dbg_session_steps(s));
	dbg_session_free(s);
}

/* stepi_until stops at the first of its addresses reached, after exactly
 * as many steps as stepping one by one to it takes; a continue makes the
 * count (and the stages reached after it) inexact until a restart. */
static void test_stepi_until(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	uint64_t check = nm_addr(path, "runtime.check");
	uint64_t args = nm_addr(path, "runtime.args");
	uint64_t addrs[2] = { check < args ? check : args, check < args ? args : check };

	start(s, NULL, &stop);
	while (dbg_session_regs(s)->rip != check) {
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
		T_LT_INT(dbg_session_steps(s), 1000);
	}
	uint64_t one_by_one = dbg_session_steps(s);

	start(s, NULL, &stop);
	T_OK(dbg_session_stepi_until(s, addrs, 2, one_by_one - 1, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_STEP);
	T_EQ_INT(dbg_session_steps(s), one_by_one - 1);
	T_OK(dbg_session_stepi_until(s, addrs, 2, 1000, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_UNTIL);
	T_EQ_HEX(stop.pc, check);
	T_EQ_INT(dbg_session_last_stop(s)->reason, DBG_STOP_UNTIL);
	T_EQ_INT(dbg_session_steps(s), one_by_one);
	T_TRUE(dbg_session_steps_exact(s));
	uint64_t at;
	T_TRUE(dbg_session_stage_reached(s, (size_t)stage(s, "check"), &at));
	T_EQ_INT(at, one_by_one);
	T_TRUE(dbg_session_stage_steps_exact(s, (size_t)stage(s, "check")));

	T_TRUE(dbg_session_break(s, args, false, &err) > 0);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
	T_FALSE(dbg_session_steps_exact(s));
	T_TRUE(dbg_session_stage_reached(s, (size_t)stage(s, "args"), NULL));
	T_FALSE(dbg_session_stage_steps_exact(s, (size_t)stage(s, "args")));
	T_TRUE(dbg_session_stage_steps_exact(s, (size_t)stage(s, "check")));

	start(s, NULL, &stop);
	T_TRUE(dbg_session_steps_exact(s));
	T_FALSE(dbg_session_stage_steps_exact(s, (size_t)stage(s, "check")));
	dbg_session_free(s);
}

static void test_breakpoints_hidden(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	uint64_t mm = nm_addr(path, "main.main"), chk = nm_addr(path, "runtime.check");
	uint8_t file[16], live[16];
	T_OK(dbg_session_read(s, mm, file, sizeof(file), &err), err); /* no process: the file */
	int id = dbg_session_break(s, mm, false, &err); /* before start: inserted at start */
	T_OK(id, err);
	start(s, NULL, &stop);
	int id2 = dbg_session_break(s, chk, false, &err);
	T_OK(id2, err);
	T_NE_INT(id, id2);
	T_EQ_INT(dbg_session_break(s, chk, false, &err), -EEXIST);

	/* the int3 is in memory, but no read shows it */
	char memp[64];
	snprintf(memp, sizeof(memp), "/proc/%d/mem", (int)dbg_session_pid(s));
	int fd = open(memp, O_RDONLY);
	T_TRUE(fd >= 0);
	uint8_t raw = 0;
	T_EQ_INT(pread(fd, &raw, 1, (off_t)mm), 1);
	T_EQ_HEX(raw, 0xcc);
	T_OK(dbg_session_read(s, mm - 3, live, sizeof(live), &err), err);
	T_EQ_INT(memcmp(live + 3, file, sizeof(live) - 3), 0);
	struct dbg_insn a, b;
	T_OK(dbg_session_disasm(s, mm, 1, &a, &err), err);
	T_OK(dbg_disasm_one(dbg_session_disasm_handle(s), file, sizeof(file), mm, &b, &err), err);
	T_EQ_STR(a.mnemonic, b.mnemonic);
	T_EQ_STR(a.ops, b.ops);

	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
	T_EQ_INT(stop.bp_id, id2);
	T_EQ_HEX(stop.pc, chk);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
	T_EQ_INT(stop.bp_id, id);
	T_EQ_HEX(stop.pc, mm);
	T_EQ_INT(stop.stage, stage(s, "main.main"));
	const struct dbg_bp *bps;
	T_EQ_INT(dbg_session_breakpoints(s, &bps), 2);
	T_EQ_INT(bps[0].hits, 1);
	T_EQ_INT(bps[1].hits, 1);

	/* deleting restores the byte */
	T_OK(dbg_session_delete(s, id, &err), err);
	T_EQ_INT(pread(fd, &raw, 1, (off_t)mm), 1);
	T_EQ_HEX(raw, file[0]);
	T_EQ_INT(dbg_session_delete(s, id, &err), -ENOENT);
	T_CONTAINS(err.msg, "no breakpoint number");
	close(fd);

	/* continuing from a breakpoint steps over it; the program ends normally */
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_EQ_INT(stop.code, 3);
	dbg_session_free(s);
}

static void test_stepi_stops_at_breakpoint(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	uint64_t rt0 = nm_addr(path, "runtime.rt0_go");
	int id = dbg_session_break(s, rt0, true, &err);
	T_OK(id, err);
	T_OK(dbg_session_stepi(s, 1000, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
	T_EQ_INT(stop.bp_id, id);
	T_EQ_HEX(stop.pc, rt0);
	T_EQ_INT(dbg_session_steps(s), 4); /* jmp; mov; lea; jmp */
	const struct dbg_bp *bps;
	T_EQ_INT(dbg_session_breakpoints(s, &bps), 0); /* temporary: gone */
	dbg_session_free(s);
}

/* Step from main.main until the pc is on a call instruction. */
static struct dbg_insn step_to_call(struct dbg_session *s, struct dbg_stop *stop)
{
	struct dbg_err err;
	struct dbg_insn in;
	for (int i = 0; i < 50; i++) {
		T_OK(dbg_session_disasm(s, dbg_session_regs(s)->rip, 1, &in, &err), err);
		if (in.is_call)
			return in;
		T_OK(dbg_session_stepi(s, 1, stop, &err), err);
	}
	T_FAIL("no call within 50 instructions");
}

static void test_nexti_over_call(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	T_OK(dbg_session_until(s, nm_addr(path, "main.main"), &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_UNTIL);
	T_EQ_HEX(stop.pc, nm_addr(path, "main.main"));
	struct dbg_insn call = step_to_call(s, &stop);
	T_EQ_HEX(call.target, nm_addr(path, "leaf"));
	uint64_t sp = dbg_session_regs(s)->rsp;
	uint64_t steps = dbg_session_steps(s);
	T_OK(dbg_session_nexti(s, 1, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_STEP);
	T_EQ_HEX(stop.pc, call.addr + call.size);
	T_EQ_HEX(dbg_session_regs(s)->rsp, sp);
	T_EQ_INT(dbg_session_regs(s)->rax & 0xffffffff, 4 * 3 + 1); /* leaf(4), per minirt.c */
	T_EQ_INT(dbg_session_steps(s), steps + 1); /* the call ran: one jump, not stepped */
	/* nexti on a plain instruction is a stepi */
	struct dbg_insn next;
	T_OK(dbg_session_disasm(s, stop.pc, 1, &next, &err), err);
	if (!next.is_call) {
		T_OK(dbg_session_nexti(s, 1, &stop, &err), err);
		T_EQ_INT(dbg_session_steps(s), steps + 2);
	}
	dbg_session_free(s);
}

static void test_finish(void)
{
	const char *path = t_env("MINIRT");
	/* gdb: break at leaf, run, finish → pc; and the same from depth's
	 * third activation (depth(1)) */
	uint64_t want[4];
	T_EQ_INT(gdb_values(path,
			    "-ex 'break *leaf' -ex run -ex finish -ex 'p/x $pc'"
			    " -ex 'delete' -ex 'break *depth' -ex c -ex c -ex c -ex delete -ex 'stepi 4'"
			    " -ex finish -ex 'p/x $pc'",
			    want, 4),
		 2);

	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	uint64_t leaf = nm_addr(path, "leaf"), depth = nm_addr(path, "depth");
	T_OK(dbg_session_until(s, leaf, &stop, &err), err);
	uint64_t sp = dbg_session_regs(s)->rsp;
	T_OK(dbg_session_finish(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_FINISH);
	T_EQ_HEX(stop.pc, want[0]);
	T_EQ_HEX(dbg_session_regs(s)->rsp, sp + 8);

	/* recursion: finish from the third activation stops in the second */
	int id = dbg_session_break(s, depth, false, &err);
	T_OK(id, err);
	for (int i = 0; i < 3; i++) {
		T_OK(dbg_session_cont(s, &stop, &err), err);
		T_EQ_INT(stop.bp_id, id);
	}
	T_OK(dbg_session_delete(s, id, &err), err);
	sp = dbg_session_regs(s)->rsp;
	/* step into the body, past the prologue, so rbp is the frame */
	T_OK(dbg_session_stepi(s, 4, &stop, &err), err);
	T_OK(dbg_session_finish(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_FINISH);
	T_EQ_HEX(stop.pc, want[1]);
	T_EQ_HEX(dbg_session_regs(s)->rsp, sp + 8);
	dbg_session_free(s);
}

/* finish in Go code (frame set with sub/mov/lea, no push) at three points:
 * the first instruction, inside the stack check, and deep in the body. The
 * oracle is objdump: the instruction after the wrapper's call. */
static void test_finish_go(void)
{
	const char *path = getenv("GOHELLO");
	if (!path)
		T_SKIP("no Go toolchain");
	char cmd[1024], out[256];
	snprintf(cmd, sizeof(cmd),
		 "objdump -d --no-show-raw-insn --disassemble=runtime.newproc.abi0 '%s'"
		 " | awk '/call.*<runtime.newproc>/ { getline; print $1; exit }'",
		 path);
	T_EQ_INT(t_capture(cmd, out, sizeof(out)), 0);
	uint64_t ret = strtoull(out, NULL, 16);
	T_NE_HEX(ret, 0);
	uint64_t newproc = nm_addr(path, "runtime.newproc");
	for (int depth = 0; depth < 3; depth++) {
		struct dbg_session *s = open_session(path);
		struct dbg_stop stop;
		struct dbg_err err;
		start(s, NULL, &stop);
		T_OK(dbg_session_until(s, newproc, &stop, &err), err);
		uint64_t sp = dbg_session_regs(s)->rsp;
		if (depth == 1)
			T_OK(dbg_session_stepi(s, 1, &stop, &err), err); /* after the cmp */
		if (depth == 2)
			T_OK(dbg_session_stepi(s, 12, &stop, &err), err);
		T_EQ_STR(dbg_elf_sym_at(dbg_session_elf(s), stop.pc)->name, "runtime.newproc");
		T_OK(dbg_session_finish(s, &stop, &err), err);
		T_EQ_INT(stop.reason, DBG_STOP_FINISH);
		T_EQ_HEX(stop.pc, ret);
		T_EQ_HEX(dbg_session_regs(s)->rsp, sp + 8);
		dbg_session_free(s);
	}
}

static void test_disable_write_set_reg(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	/* a register written before resuming reaches the thread */
	T_OK(dbg_session_set_reg(s, "rax", 0x1234, &err), err);
	T_EQ_INT(dbg_session_set_reg(s, "xmm9", 1, &err), -ENOENT);
	T_OK(dbg_session_stepi(s, 1, &stop, &err), err); /* jmp: rax untouched */
	T_EQ_HEX(dbg_session_regs(s)->rax, 0x1234);

	/* writing over a breakpoint keeps the int3 and updates the hidden byte */
	uint64_t chk = nm_addr(path, "runtime.check"), checked = nm_addr(path, "checked");
	int id = dbg_session_break(s, chk, false, &err);
	T_OK(id, err);
	uint8_t orig;
	T_OK(dbg_session_read(s, chk, &orig, 1, &err), err);
	T_OK(dbg_session_write(s, chk, &orig, 1, &err), err);
	char memp[64];
	snprintf(memp, sizeof(memp), "/proc/%d/mem", (int)dbg_session_pid(s));
	int fd = open(memp, O_RDONLY);
	uint8_t raw = 0;
	T_EQ_INT(pread(fd, &raw, 1, (off_t)chk), 1);
	T_EQ_HEX(raw, 0xcc);
	uint32_t v = 5, back = 0;
	T_OK(dbg_session_write(s, checked, &v, 4, &err), err);
	T_EQ_INT(pread(fd, &back, 4, (off_t)checked), 4);
	T_EQ_INT(back, 5);
	close(fd);

	/* a disabled breakpoint is not hit; enabled again, it is */
	T_OK(dbg_session_enable(s, id, false, &err), err);
	int mm = dbg_session_break(s, nm_addr(path, "main.main"), false, &err);
	T_OK(mm, err);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.bp_id, mm);
	T_OK(dbg_session_enable(s, id, true, &err), err);
	T_EQ_INT(dbg_session_enable(s, 99, true, &err), -ENOENT);
	start(s, NULL, &stop); /* restart: both are inserted again */
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.bp_id, id);
	T_EQ_INT(dbg_session_steps(s), 1); /* the free run is one step */
	dbg_session_free(s);
}

static void test_segfault(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, "segv", &stop);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_SIGNAL);
	T_EQ_INT(stop.signo, SIGSEGV);
	T_EQ_HEX(stop.fault_addr, 0x10);
	const struct dbg_sym *sym = dbg_elf_sym_at(dbg_session_elf(s), stop.pc);
	T_NOT_NULL(sym);
	T_EQ_STR(sym->name, "main.main");
	/* the signal is delivered on resume and kills the program */
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_SIGNALED);
	T_EQ_INT(stop.signo, SIGSEGV);
	T_FALSE(dbg_session_running(s));
	T_EQ_INT(dbg_session_stepi(s, 1, &stop, &err), -ESRCH);
	T_EQ_STR(err.msg, "the program is not being run");
	dbg_session_free(s);
}

static void test_exit_and_output(void)
{
	const char *path = t_env("MINIRT");
	/* oracle: the program's own exit status and output, run directly */
	char cmd[1024], direct[256];
	snprintf(cmd, sizeof(cmd), "'%s'", path);
	int status = t_capture(cmd, direct, sizeof(direct));
	T_GE_INT(status, 1);

	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_EQ_INT(stop.code, status);
	char out[256] = "";
	ssize_t n = dbg_session_read_output(s, DBG_STREAM_STDOUT, out, sizeof(out) - 1);
	T_GE_INT(n, 1);
	out[n] = '\0';
	T_EQ_STR(out, direct);
	T_EQ_INT(dbg_session_read_output(s, DBG_STREAM_STDERR, out, sizeof(out)), 0);
	T_EQ_INT(dbg_session_cont(s, &stop, &err), -ESRCH);
	dbg_session_free(s);
}

static void test_threads(void)
{
	const char *path = t_env("THREADS");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	/* a PIE: stopped at its loader's first instruction (as gdb's starti),
	 * which is AT_BASE + the loader's e_entry, with the program's
	 * addresses already relocated */
	T_EQ_INT(stop.reason, DBG_STOP_ENTRY);
	struct dbg_elf *elf = dbg_session_elf(s);
	T_NOT_NULL(dbg_elf_interp(elf));
	char cmd[512], hex[64];
	snprintf(cmd, sizeof(cmd), "readelf -h '%s' | awk '/Entry point/ { print $4 }'",
		 dbg_elf_interp(elf));
	T_EQ_INT(t_capture(cmd, hex, sizeof(hex)), 0);
	uint64_t auxv[64][2] = { { 0 } }, at_base = 0;
	char auxv_path[64];
	snprintf(auxv_path, sizeof(auxv_path), "/proc/%d/auxv", (int)dbg_session_pid(s));
	FILE *af = fopen(auxv_path, "rb");
	T_NOT_NULL(af);
	size_t na = fread(auxv, sizeof(auxv[0]), 64, af);
	fclose(af);
	for (size_t i = 0; i < na; i++)
		if (auxv[i][0] == 7 /* AT_BASE */)
			at_base = auxv[i][1];
	T_NE_HEX(at_base, 0);
	T_EQ_HEX(stop.pc, at_base + strtoull(hex, NULL, 16));
	T_EQ_INT(stop.stage, dbg_stages_find(dbg_session_stages(s), "ld.so"));
	char maps[64], line[256];
	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)dbg_session_pid(s));
	FILE *f = fopen(maps, "r");
	T_NOT_NULL(f);
	/* the PIE's mapping at file offset 0 (not simply the first line: a
	 * sanitizer runtime maps its shadow memory below it) */
	uint64_t base = 0;
	while (!base && fgets(line, sizeof(line), f)) {
		unsigned long long start, end, off;
		char perm[8];
		if (sscanf(line, "%llx-%llx %7s %llx", &start, &end, perm, &off) == 4 && off == 0 &&
		    strstr(line, "/threads"))
			base = start;
	}
	fclose(f);
	T_EQ_HEX(dbg_elf_bias(elf), base);
	uint64_t mark;
	T_EQ_INT(dbg_elf_lookup(elf, "worker_mark", &mark), 0);
	int id = dbg_session_break(s, mark, false, &err);
	T_OK(id, err);
	pid_t seen[2] = { 0, 0 };
	for (int i = 0; i < 2; i++) {
		T_OK(dbg_session_cont(s, &stop, &err), err);
		T_EQ_INT(stop.reason, DBG_STOP_BREAKPOINT);
		T_EQ_HEX(stop.pc, mark);
		T_NE_INT(stop.tid, dbg_session_pid(s));
		seen[i] = stop.tid;
		struct dbg_thread_info ti[16];
		size_t n = dbg_session_threads(s, ti, 16);
		T_GE_INT(n, 2);
		bool found = false;
		for (size_t k = 0; k < n && k < 16; k++)
			if (ti[k].tid == stop.tid) {
				found = true;
				T_TRUE(ti[k].current);
				T_EQ_HEX(ti[k].rip, mark);
				T_NE_HEX(ti[k].fs_base, 0);
			}
		T_TRUE(found);
	}
	T_NE_INT(seen[0], seen[1]);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_EQ_INT(stop.code, 5);
	char out[256] = "";
	ssize_t n = dbg_session_read_output(s, DBG_STREAM_STDOUT, out, sizeof(out) - 1);
	T_GE_INT(n, 1);
	out[n] = '\0';
	T_EQ_STR(out, "threads: marks=3\n");
	n = dbg_session_read_output(s, DBG_STREAM_STDERR, out, sizeof(out) - 1);
	T_GE_INT(n, 1);
	out[n] = '\0';
	T_EQ_STR(out, "threads: done\n");
	dbg_session_free(s);
}

/*
 * A breakpoint in the first function of freshly cloned threads, with
 * system calls traced (PTRACE_SYSCALL): clones makes 64 raw clone children
 * that each call clone_first(id) right after the syscall, 32 one at a time
 * and 32 in a burst, so that a child's int3 comes before or after its
 * initial SIGSTOP and the parent's clone event, and while the other
 * threads are being stopped. Every id's hit is reported once, in a thread
 * other than main (rdi its id), and the program's own count
 * (its exit status) and the log's clone calls witness the 64 children.
 */
static void test_clone_breakpoints(void)
{
	enum { NCLONES = 64 };
	const char *path = t_env("CLONES");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, NULL, &stop);
	uint64_t first;
	T_EQ_INT(dbg_elf_lookup(dbg_session_elf(s), "clone_first", &first), 0);
	T_OK(dbg_session_break(s, first, false, &err), err);
	bool seen_id[NCLONES] = { false };
	for (int i = 0; i < NCLONES; i++) {
		T_OK(dbg_session_cont(s, &stop, &err), err);
		if (stop.reason != DBG_STOP_BREAKPOINT)
			T_FAIL("hit %d of %d: stopped for reason %d, not at clone_first", i,
			       (int)NCLONES, (int)stop.reason);
		T_EQ_HEX(stop.pc, first);
		T_NE_INT(stop.tid, dbg_session_pid(s));
		const struct dbg_regs *r = dbg_session_regs(s);
		T_NOT_NULL(r);
		T_EQ_HEX(r->rip, first);
		if (r->rdi >= NCLONES || seen_id[r->rdi])
			T_FAIL("hit %d: clone_first(%llu) again or out of range", i,
			       (unsigned long long)r->rdi);
		seen_id[r->rdi] = true;
		/* the first 32 are made one at a time: in order */
		if (i < NCLONES / 2)
			T_EQ_INT((int)r->rdi, i);
	}
	/* at the last hit the parent has made every clone call */
	const struct dbg_sys_event *ev;
	size_t n = dbg_session_syscalls(s, &ev);
	int clones = 0;
	for (size_t i = 0; i < n; i++)
		if (ev[i].kind == DBG_SYS_CALL && ev[i].nr == SYS_clone &&
		    ev[i].tid == dbg_session_pid(s))
			clones++;
	T_EQ_INT(clones, NCLONES);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_EQ_INT(stop.code, NCLONES);
	dbg_session_free(s);
}

static struct dbg_session *alarm_session;
static void on_alarm(int sig)
{
	(void)sig;
	dbg_session_interrupt(alarm_session);
}

static void test_interrupt(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_session *s = open_session(path);
	struct dbg_stop stop;
	struct dbg_err err;
	start(s, "loop", &stop);
	alarm_session = s;
	signal(SIGALRM, on_alarm);
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_INTERRUPTED);
	const struct dbg_sym *sym = dbg_elf_sym_at(dbg_session_elf(s), stop.pc);
	T_NOT_NULL(sym);
	T_EQ_STR(sym->name, "main.main");
	/* still usable: step, then the interrupt does not come back */
	T_OK(dbg_session_stepi(s, 3, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_STEP);
	T_EQ_INT(dbg_session_steps(s), 1 + 3); /* the free run, then 3 */
	/* a long stepi is interrupted the same way */
	setitimer(ITIMER_REAL, &it, NULL);
	T_OK(dbg_session_stepi(s, 1000000000, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_INTERRUPTED);
	T_LT_INT(dbg_session_steps(s), 1000000000);
	uint64_t steps = dbg_session_steps(s);
	T_OK(dbg_session_stepi(s, 2, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_STEP);
	T_EQ_INT(dbg_session_steps(s), steps + 2);
	setitimer(ITIMER_REAL, &it, NULL);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_INTERRUPTED);
	pid_t pid = dbg_session_pid(s);
	dbg_session_free(s);
	T_EQ_INT(kill(pid, 0), -1);
}

/*
 * Ctrl-C while one thread steps over a blocking system call and the others
 * run (sleepstep: the worker in nanosleep, the leader spinning). The
 * interrupt's SIGSTOP is sent to the process, and the kernel gives a
 * process-directed signal to the leader first when it is running: a
 * thread that is not the one stepping. That stop is the interrupt, and the
 * step or the run reports it, whether the step ends (stepi) or is given up
 * for a free run (continue recording every step).
 */
struct sleep_watch {
	struct dbg_session *s;
	pid_t pid, worker;
	bool fired;
};

/* 'S' in nanosleep for the worker, 'R' for the leader (/proc). */
static bool in_state(pid_t pid, pid_t tid, char want, long nr)
{
	char path[96], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || p[2] != want)
		return false;
	if (nr < 0)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid, (int)tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strtol(buf, NULL, 10) == nr;
}

static void *sleep_watcher(void *arg)
{
	struct sleep_watch *w = arg;
	for (int i = 0; i < 20000; i++) {
		if (in_state(w->pid, w->worker, 'S', SYS_nanosleep) &&
		    in_state(w->pid, w->pid, 'R', -1)) {
			w->fired = true;
			dbg_session_interrupt(w->s);
			return NULL;
		}
		usleep(200);
	}
	return NULL;
}

/* At worker_sleep's breakpoint, in the worker. */
static pid_t sleepstep_start(struct dbg_session *s, struct dbg_stop *stop)
{
	struct dbg_err err;
	start(s, NULL, stop);
	uint64_t at;
	T_EQ_INT(dbg_elf_lookup(dbg_session_elf(s), "worker_sleep", &at), 0);
	T_OK(dbg_session_break(s, at, false, &err), err);
	T_OK(dbg_session_cont(s, stop, &err), err);
	T_EQ_INT(stop->reason, DBG_STOP_BREAKPOINT);
	T_NE_INT(stop->tid, dbg_session_pid(s));
	return stop->tid;
}

/* Steps over the worker's nanosleep (stepi 1, or continue), interrupted
 * once the worker sleeps in it and the leader runs; then the program runs
 * to its end, not interrupted again. Frees s. */
static void interrupt_in_sleep(struct dbg_session *s, pid_t worker, bool cont)
{
	struct dbg_err err;
	struct dbg_stop stop;
	struct sleep_watch w = { .s = s, .pid = dbg_session_pid(s), .worker = worker };
	pthread_t th;
	T_EQ_INT(pthread_create(&th, NULL, sleep_watcher, &w), 0);
	if (cont)
		T_OK(dbg_session_cont(s, &stop, &err), err);
	else
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
	pthread_join(th, NULL);
	T_TRUE(w.fired);
	T_EQ_INT(stop.reason, DBG_STOP_INTERRUPTED);
	T_OK(dbg_session_cont(s, &stop, &err), err);
	T_EQ_INT(stop.reason, DBG_STOP_EXITED);
	T_EQ_INT(stop.code, 7);
	dbg_session_free(s);
}

static void test_interrupt_other_thread(void)
{
	const char *path = t_env("SLEEPSTEP");
	struct dbg_err err;
	struct dbg_stop stop;

	/* stepi onto the worker's syscall instruction, then over it */
	struct dbg_session *s = open_session(path);
	pid_t worker = sleepstep_start(s, &stop);
	for (int i = 0;; i++) {
		uint8_t insn[2] = { 0, 0 };
		T_OK(dbg_session_read(s, stop.pc, insn, 2, &err), err);
		if (insn[0] == 0x0f && insn[1] == 0x05)
			break;
		if (i == 2000)
			T_FAIL("no syscall instruction in 2000 steps of worker_sleep");
		T_OK(dbg_session_stepi(s, 1, &stop, &err), err);
		T_EQ_INT(stop.reason, DBG_STOP_STEP);
		T_EQ_INT(stop.tid, worker);
	}
	T_EQ_INT((int)dbg_session_regs(s)->rax, SYS_nanosleep);
	interrupt_in_sleep(s, worker, false);

	/* continue single-stepping to record every step: the step over the
	 * call is given up when the leader stops, and the run reports it */
	s = open_session(path);
	struct dbg_timeline *tl;
	T_OK(dbg_tl_new(&tl, &err), err);
	dbg_tl_set_full(tl, true);
	dbg_session_set_timeline(s, tl);
	interrupt_in_sleep(s, sleepstep_start(s, &stop), true);
}

static const struct t_case cases[] = {
	T_CASE(test_start_at_entry),
	T_CASE(test_stepi_matches_gdb),
	T_CASE(test_stepi_over_cpuid),
	T_CASE(test_stepping_reaches_stages),
	T_CASE(test_stepi_until),
	T_CASE(test_breakpoints_hidden),
	T_CASE(test_stepi_stops_at_breakpoint),
	T_CASE(test_nexti_over_call),
	T_CASE(test_finish),
	T_CASE(test_finish_go),
	T_CASE(test_disable_write_set_reg),
	T_CASE(test_segfault),
	T_CASE(test_exit_and_output),
	T_CASE(test_threads),
	T_CASE(test_clone_breakpoints),
	T_CASE(test_interrupt),
	T_CASE(test_interrupt_other_thread),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
