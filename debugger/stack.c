/* stack — the initial stack and annotated stack windows (see stack.h). */
#include "stack.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

#define MAX_STR 4096
#define MAX_ENV 4096
#define MAX_AUXV 256

const char *dbg_auxv_name(uint64_t type)
{
	static const char *const names[] = {
		[0] = "AT_NULL",
		[1] = "AT_IGNORE",
		[2] = "AT_EXECFD",
		[3] = "AT_PHDR",
		[4] = "AT_PHENT",
		[5] = "AT_PHNUM",
		[6] = "AT_PAGESZ",
		[7] = "AT_BASE",
		[8] = "AT_FLAGS",
		[9] = "AT_ENTRY",
		[10] = "AT_NOTELF",
		[11] = "AT_UID",
		[12] = "AT_EUID",
		[13] = "AT_GID",
		[14] = "AT_EGID",
		[15] = "AT_PLATFORM",
		[16] = "AT_HWCAP",
		[17] = "AT_CLKTCK",
		[23] = "AT_SECURE",
		[24] = "AT_BASE_PLATFORM",
		[25] = "AT_RANDOM",
		[26] = "AT_HWCAP2",
		[27] = "AT_RSEQ_FEATURE_SIZE",
		[28] = "AT_RSEQ_ALIGN",
		[31] = "AT_EXECFN",
		[32] = "AT_SYSINFO",
		[33] = "AT_SYSINFO_EHDR",
		[51] = "AT_MINSIGSTKSZ",
	};
	if (type < sizeof(names) / sizeof(names[0]))
		return names[type];
	return NULL;
}

/* A NUL-terminated string of the target at addr (at most MAX_STR bytes). */
static char *read_cstr(struct dbg_session *s, uint64_t addr)
{
	char *out = malloc(MAX_STR + 1);
	if (!out)
		return NULL;
	size_t len = 0;
	while (len < MAX_STR) {
		/* read up to the page end, so an unmapped next page is no error */
		uint64_t a = addr + len;
		size_t chunk = (size_t)(((a | 0xfff) + 1) - a);
		if (chunk > MAX_STR - len)
			chunk = MAX_STR - len;
		if (dbg_session_read(s, a, out + len, chunk, NULL) < 0)
			break;
		void *nul = memchr(out + len, '\0', chunk);
		if (nul) {
			len = (size_t)((char *)nul - out);
			break;
		}
		len += chunk;
	}
	out[len] = '\0';
	return out;
}

void dbg_initstack_release(struct dbg_initstack *st)
{
	for (size_t i = 0; i < st->nargv; i++)
		free(st->argv[i].str);
	for (size_t i = 0; i < st->nenvp; i++)
		free(st->envp[i].str);
	free(st->argv);
	free(st->envp);
	free(st->auxv);
	memset(st, 0, sizeof(*st));
}

static int read_strs(struct dbg_session *s, uint64_t at, size_t max, bool stop_at_null,
		     struct dbg_strslot **out, size_t *n, uint64_t *next, struct dbg_err *err)
{
	size_t cap = 16, len = 0;
	struct dbg_strslot *v = malloc(cap * sizeof(*v));
	if (!v)
		return dbg_err_errno(err, -ENOMEM, "cannot read the initial stack");
	for (;;) {
		uint64_t p;
		int rc = dbg_session_read_u64(s, at, &p, err);
		if (rc < 0) {
			for (size_t i = 0; i < len; i++)
				free(v[i].str);
			free(v);
			return rc;
		}
		if ((stop_at_null && p == 0) || len == max)
			break;
		v = dbg_grow(v, &cap, len + 1, sizeof(*v));
		v[len].slot = at;
		v[len].ptr = p;
		v[len].str = p ? read_cstr(s, p) : NULL;
		len++;
		at += 8;
	}
	*out = v;
	*n = len;
	*next = at + 8; /* past the NULL */
	return 0;
}

int dbg_stack_initial(struct dbg_session *s, struct dbg_initstack *st, struct dbg_err *err)
{
	memset(st, 0, sizeof(*st));
	if (!dbg_session_running(s))
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	st->sp = dbg_session_entry_sp(s);
	int rc = dbg_session_read_u64(s, st->sp, &st->argc, err);
	if (rc < 0)
		return rc;
	if (st->argc > 1u << 20)
		return dbg_err_set(err, -EINVAL, "implausible argc %" PRIu64 " at 0x%" PRIx64,
				   st->argc, st->sp);
	uint64_t next;
	rc = read_strs(s, st->sp + 8, (size_t)st->argc, false, &st->argv, &st->nargv, &next, err);
	if (rc < 0)
		goto fail;
	rc = read_strs(s, next, MAX_ENV, true, &st->envp, &st->nenvp, &next, err);
	if (rc < 0)
		goto fail;
	st->auxv = calloc(MAX_AUXV, sizeof(*st->auxv));
	if (!st->auxv) {
		rc = dbg_err_errno(err, -ENOMEM, "cannot read the initial stack");
		goto fail;
	}
	for (uint64_t at = next; st->nauxv < MAX_AUXV; at += 16) {
		uint64_t pair[2];
		rc = dbg_session_read(s, at, pair, sizeof(pair), err);
		if (rc < 0)
			goto fail;
		if (pair[0] == 0) {
			st->end = at + 16;
			break;
		}
		struct dbg_auxv *a = &st->auxv[st->nauxv++];
		a->slot = at;
		a->type = pair[0];
		a->name = dbg_auxv_name(pair[0]);
		a->value = pair[1];
	}
	return 0;
fail:
	dbg_initstack_release(st);
	return rc;
}

/* What the initial stack says about slot a, if anything. */
static bool init_what(const struct dbg_initstack *in, uint64_t a, char *buf, size_t n)
{
	if (!in || !in->sp)
		return false;
	if (a == in->sp) {
		snprintf(buf, n, "argc");
		return true;
	}
	if (a > in->sp && a <= in->sp + 8 * in->nargv) {
		snprintf(buf, n, "argv[%" PRIu64 "]", (a - in->sp) / 8 - 1);
		return true;
	}
	if (a == in->sp + 8 * (in->nargv + 1)) {
		snprintf(buf, n, "argv end (NULL)");
		return true;
	}
	uint64_t env0 = in->sp + 8 * (in->nargv + 2);
	if (a >= env0 && a < env0 + 8 * in->nenvp) {
		snprintf(buf, n, "envp[%" PRIu64 "]", (a - env0) / 8);
		return true;
	}
	if (a == env0 + 8 * in->nenvp) {
		snprintf(buf, n, "envp end (NULL)");
		return true;
	}
	for (size_t i = 0; i < in->nauxv; i++) {
		const struct dbg_auxv *x = &in->auxv[i];
		char num[32];
		const char *nm = x->name;
		if (!nm) {
			snprintf(num, sizeof(num), "AT_%" PRIu64, x->type);
			nm = num;
		}
		if (a == x->slot) {
			snprintf(buf, n, "auxv %s", nm);
			return true;
		}
		if (a == x->slot + 8) {
			snprintf(buf, n, "auxv %s value", nm);
			return true;
		}
	}
	if (in->end && (a == in->end - 16 || a == in->end - 8)) {
		snprintf(buf, n, "auxv AT_NULL");
		return true;
	}
	return false;
}

/* Whether the bytes before v end in a call instruction (v is then a
 * return address). */
static bool after_call(struct dbg_session *s, uint64_t v)
{
	uint8_t b[7];
	if (v < 7 || dbg_session_read(s, v - 7, b, sizeof(b), NULL) < 0)
		return false;
	if (b[2] == 0xe8) /* call rel32 */
		return true;
	if (b[5] == 0xff && (b[6] & 0xf8) == 0xd0) /* call *%reg */
		return true;
	if (b[4] == 0x41 && b[5] == 0xff && (b[6] & 0xf8) == 0xd0)
		return true;
	if (b[1] == 0xff && b[2] == 0x15) /* call *disp32(%rip) */
		return true;
	if (b[4] == 0xff && (b[5] & 0x38) == 0x10 && (b[5] & 0xc0) == 0x40) /* call *d8(%reg) */
		return true;
	return false;
}

/* Whether sym is runtime.goexit (Go's ABI wrappers add a suffix). */
static bool is_goexit(const struct dbg_sym *sym)
{
	return sym && strncmp(sym->name, "runtime.goexit", 14) == 0 &&
	       (sym->name[14] == 0 || strcmp(sym->name + 14, ".abi0") == 0);
}

/*
 * Name a code address found in a stack slot. A return address is named by
 * its call site: the function holding v - 1, since a call that never
 * returns may be the last instruction of its function, so that v itself
 * already lies in the next one. newproc plants goexit+1 as the return
 * address of every goroutine's first frame; it follows no call.
 */
static void code_what(struct dbg_session *s, uint64_t v, char *buf, size_t n)
{
	const struct dbg_sym *at = dbg_session_sym_at(s, v);
	if (at && is_goexit(at) && v == at->addr + 1) {
		snprintf(buf, n, "ret %s+0x1 (planted by newproc)", at->name);
		return;
	}
	if (after_call(s, v)) {
		const struct dbg_sym *caller = dbg_session_sym_at(s, v - 1);
		if (caller) {
			snprintf(buf, n, "ret %s+0x%" PRIx64, caller->name, v - caller->addr);
			return;
		}
	}
	char sym[48];
	dbg_session_symbolize(s, v, sym, sizeof(sym));
	snprintf(buf, n, "%s %s", after_call(s, v) ? "ret" : "code", sym);
}

int dbg_stack_window(struct dbg_session *s, const struct dbg_rt *rt,
		     const struct dbg_initstack *init, uint64_t addr, size_t n,
		     struct dbg_stack_slot *out, struct dbg_err *err)
{
	if (!dbg_session_running(s))
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	addr &= ~7ull;
	struct dbg_map *maps = NULL;
	size_t nmaps = 0;
	dbg_session_maps(s, &maps, &nmaps, NULL);
	const struct dbg_map *os = NULL;
	for (size_t i = 0; i < nmaps; i++)
		if (strcmp(maps[i].name, "[stack]") == 0)
			os = &maps[i];
	/* the window ends at the top (hi) of the stack it starts in */
	uint64_t top = 0;
	for (size_t k = 0; rt && k < rt->ngs && !top; k++) {
		const struct dbg_rt_g *g = &rt->gs[k];
		if (g->stack_lo < g->stack_hi && addr >= g->stack_lo && addr < g->stack_hi)
			top = g->stack_hi;
	}
	if (!top && os && addr >= os->start && addr < os->end)
		top = os->end;
	if (top && n > (top - addr) / 8)
		n = (size_t)((top - addr) / 8);
	size_t got = 0;
	for (; got < n; got++) {
		uint64_t v;
		int rc = dbg_session_read_u64(s, addr + 8 * got, &v, got ? NULL : err);
		if (rc < 0) {
			if (got == 0) {
				free(maps);
				return rc;
			}
			break;
		}
		memset(&out[got], 0, sizeof(out[got]));
		out[got].addr = addr + 8 * got;
		out[got].value = v;
	}

	struct dbg_elf *elf = dbg_session_elf(s);

	for (size_t i = 0; i < got; i++) {
		struct dbg_stack_slot *sl = &out[i];
		uint64_t a = sl->addr, v = sl->value;

		/* which stack */
		if (rt) {
			for (size_t k = 0; k < rt->ngs && !sl->region[0]; k++) {
				const struct dbg_rt_g *g = &rt->gs[k];
				if (g->stack_lo < g->stack_hi && a >= g->stack_lo &&
				    a < g->stack_hi)
					snprintf(sl->region, sizeof(sl->region), "%s", g->label);
			}
		}
		if (!sl->region[0] && os && a >= os->start && a < os->end)
			snprintf(sl->region, sizeof(sl->region), "os");

		/* what the slot is */
		if (init_what(init, a, sl->what, sizeof(sl->what)))
			continue;
		if (rt) {
			for (size_t k = 0; k < rt->ngs; k++)
				if (rt->gs[k].sched_sp == a) {
					snprintf(sl->what, sizeof(sl->what), "%s.sched.sp",
						 rt->gs[k].label);
					break;
				}
			if (sl->what[0])
				continue;
		}
		const struct dbg_section *sec = dbg_elf_section_at(elf, v);
		if (sec && (sec->flags & 0x4 /* SHF_EXECINSTR */))
			code_what(s, v, sl->what, sizeof(sl->what));
	}
	free(maps);
	return (int)got;
}
