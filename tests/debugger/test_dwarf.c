/* dwarf: field offsets and sizes of g, m, p, schedt checked against gdb
 * (the oracle) on minirt, the bundled hello and a real Go binary; typed
 * globals by address; both type spellings; a binary without DWARF; the
 * compressed sections of a Go binary as libdw is shown them, against
 * libelf's own inflation. */
#include "testlib.h"

#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <string.h>
#include <unistd.h>

#include "dwarf.h"
#include "elf.h"

struct probe {
	const char *sname; /* C spelling; Go binaries get "runtime." */
	const char *path;
};

static const struct probe runtime_fields[] = {
	{ "g", "stack.lo" },
	{ "g", "stack.hi" },
	{ "g", "m" },
	{ "g", "sched" },
	{ "g", "sched.sp" },
	{ "g", "sched.pc" },
	{ "g", "sched.ctxt" },
	{ "g", "atomicstatus" },
	{ "g", "goid" },
	{ "g", "schedlink" },
	{ "m", "g0" },
	{ "m", "procid" },
	{ "m", "gsignal" },
	{ "m", "tls" },
	{ "m", "tls[0]" },
	{ "m", "tls[5]" },
	{ "m", "curg" },
	{ "m", "p" },
	{ "m", "id" },
	{ "m", "alllink" },
	{ "p", "id" },
	{ "p", "status" },
	{ "p", "link" },
	{ "p", "m" },
	{ "p", "runqhead" },
	{ "p", "runqtail" },
	{ "p", "runq" },
	{ "p", "runq[1]" },
	{ "p", "runnext" },
	{ "schedt", "goidgen" },
	{ "schedt", "midle" },
	{ "schedt", "nmidle" },
	{ "schedt", "pidle" },
	{ "schedt", "npidle" },
	{ "schedt", "runq.head" },
	{ "schedt", "runq.tail" },
	{ "schedt", "runqsize" },
};

static const struct probe minirt_fields[] = {
	{ "g", "stack.hi" },  { "g", "m" },       { "g", "sched.sp" }, { "g", "goid" },
	{ "g", "schedlink" }, { "m", "tls" },     { "m", "tls[3]" },   { "m", "curg" },
	{ "m", "id" },        { "m", "alllink" },
};

/* gdb prints "$N = 0x98" lines for "p/x offset" and "p size". */
static void check_against_gdb(const char *bin, bool go, const struct probe *pr, size_t n)
{
	const char *gdb = getenv("GDB");
	if (!gdb)
		T_SKIP("gdb is not installed");
	struct dbg_dwarf *d;
	struct dbg_err err;
	T_OK(dbg_dwarf_open(&d, bin, &err), err);

	size_t cap = 64 + n * 200;
	char *cmd = malloc(cap + strlen(bin) + strlen(gdb));
	if (!cmd)
		T_SETUP_FAIL("out of memory");
	size_t len = (size_t)sprintf(cmd, "'%s' -nx -batch -ex 'set language c'", gdb);
	for (size_t i = 0; i < n; i++) {
		char sname[64];
		snprintf(sname, sizeof(sname), go ? "'runtime.%s'" : "%s", pr[i].sname);
		len += (size_t)sprintf(cmd + len,
				       " -ex \"p/x (long)&((struct %s *)0)->%s\""
				       " -ex \"p/x sizeof(((struct %s *)0)->%s)\"",
				       sname, pr[i].path, sname, pr[i].path);
	}
	sprintf(cmd + len, " '%s' 2>/dev/null | sed -n 's/^\\$[0-9]* = //p'", bin);
	char *out = malloc(1 << 16);
	T_EQ_INT(t_capture(cmd, out, 1 << 16), 0);
	char *p = out;
	for (size_t i = 0; i < n; i++) {
		char *end;
		uint64_t off = strtoull(p, &end, 16);
		if (end == p)
			T_FAIL("gdb printed no offset for %s.%s in %s", pr[i].sname, pr[i].path,
			       bin);
		p = end + 1;
		uint64_t size = strtoull(p, &end, 16);
		p = end + 1;
		uint64_t o = 0, s = 0;
		char sname[64];
		snprintf(sname, sizeof(sname), go ? "runtime.%s" : "%s", pr[i].sname);
		if (dbg_dwarf_field(d, sname, pr[i].path, &o, &s, &err) < 0)
			T_FAIL("%s: %s", bin, err.msg);
		if (o != off || s != size)
			T_FAIL("%s %s.%s: offset/size %" PRIu64 "/%" PRIu64 ", gdb says %" PRIu64
			       "/%" PRIu64,
			       bin, sname, pr[i].path, o, s, off, size);
	}
	free(out);
	free(cmd);
	dbg_dwarf_free(d);
}

static void test_minirt_offsets(void)
{
	check_against_gdb(t_env("MINIRT"), false, minirt_fields, T_COUNT(minirt_fields));
}

static void test_hello_offsets(void)
{
	const char *hello = getenv("HELLO");
	if (!hello)
		T_SKIP("the bundled runtime is not built");
	check_against_gdb(hello, false, runtime_fields, T_COUNT(runtime_fields));
}

static void test_go_offsets(void)
{
	const char *go = getenv("GOHELLO");
	if (!go)
		T_SKIP("no Go toolchain");
	check_against_gdb(go, true, runtime_fields, T_COUNT(runtime_fields));
}

static void test_names_and_paths(void)
{
	struct dbg_dwarf *d;
	struct dbg_err err;
	T_OK(dbg_dwarf_open(&d, t_env("MINIRT"), &err), err);
	const struct dbg_type *g = dbg_dwarf_struct(d, "g");
	T_NOT_NULL(g);
	T_TRUE(dbg_dwarf_struct(d, "runtime.g") == g);
	T_EQ_INT(g->kind, DBG_TYPE_STRUCT);
	const struct dbg_field *m = dbg_type_member(g, "m");
	T_NOT_NULL(m);
	T_EQ_INT(m->type->kind, DBG_TYPE_PTR);
	T_TRUE(m->type->target == dbg_dwarf_struct(d, "m"));
	const struct dbg_field *tls = dbg_type_member(dbg_dwarf_struct(d, "m"), "tls");
	T_EQ_INT(tls->type->kind, DBG_TYPE_ARRAY);
	T_EQ_INT(tls->type->count, 6);
	T_EQ_INT(tls->type->target->size, 8);
	uint64_t off;
	T_EQ_INT(dbg_dwarf_field(d, "m", "tls[6]", &off, NULL, &err), -ERANGE);
	T_EQ_INT(dbg_dwarf_field(d, "g", "nosuch", &off, NULL, &err), -ENOENT);
	T_CONTAINS(err.msg, "no field 'nosuch'");
	T_EQ_INT(dbg_dwarf_field(d, "g", "m.id", &off, NULL, &err),
		 -EINVAL); /* through a pointer */
	T_NULL(dbg_dwarf_struct(d, "nosuchstruct"));
	char desc[64];
	dbg_type_describe(m->type, desc, sizeof(desc));
	T_EQ_STR(desc, "*struct m");
	dbg_dwarf_free(d);
}

static void test_var_type_by_address(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_elf *e;
	struct dbg_dwarf *d;
	struct dbg_err err;
	T_OK(dbg_elf_open(&e, path, &err), err);
	T_OK(dbg_dwarf_open(&d, path, &err), err);
	uint64_t g0, m0, argc;
	T_EQ_INT(dbg_elf_lookup(e, "runtime.g0", &g0), 0);
	T_EQ_INT(dbg_elf_lookup(e, "runtime.m0", &m0), 0);
	T_EQ_INT(dbg_elf_lookup(e, "runtime.argc", &argc), 0);
	const char *name = NULL;
	/* the C variable is runtime_g0; ELF knows it as runtime.g0 */
	T_TRUE(dbg_dwarf_var_type(d, g0, &name) == dbg_dwarf_struct(d, "g"));
	T_EQ_STR(name, "runtime_g0");
	T_TRUE(dbg_dwarf_var_type(d, m0, NULL) == dbg_dwarf_struct(d, "m"));
	const struct dbg_type *t = dbg_dwarf_var_type(d, argc, NULL);
	T_NOT_NULL(t);
	T_EQ_INT(t->kind, DBG_TYPE_INT);
	T_EQ_INT(t->size, 4);
	T_NULL(dbg_dwarf_var_type(d, g0 + 8, NULL));
	dbg_dwarf_free(d);
	dbg_elf_free(e);
}

static void test_go_globals(void)
{
	const char *path = getenv("GOHELLO");
	if (!path)
		T_SKIP("no Go toolchain");
	struct dbg_elf *e;
	struct dbg_dwarf *d;
	struct dbg_err err;
	T_OK(dbg_elf_open(&e, path, &err), err);
	T_OK(dbg_dwarf_open(&d, path, &err), err);
	uint64_t a;
	T_EQ_INT(dbg_elf_lookup(e, "runtime.allgs", &a), 0);
	const char *name = NULL;
	const struct dbg_type *t = dbg_dwarf_var_type(d, a, &name);
	T_NOT_NULL(t);
	T_EQ_STR(name, "runtime.allgs");
	T_EQ_INT(t->kind, DBG_TYPE_STRUCT);
	const struct dbg_field *arr = dbg_type_member(t, "array");
	T_NOT_NULL(arr);
	T_EQ_INT(arr->type->kind, DBG_TYPE_PTR);
	T_EQ_INT(arr->type->target->kind, DBG_TYPE_PTR);
	T_TRUE(arr->type->target->target == dbg_dwarf_struct(d, "g"));
	T_NOT_NULL(dbg_type_member(t, "len"));
	dbg_dwarf_free(d);
	dbg_elf_free(e);
}

/* The section named name of elf, inflated by libelf when compressed;
 * *was_compressed tells whether it was. NULL when absent. */
static Elf_Data *section(Elf *elf, const char *name, bool *was_compressed, GElf_Shdr *out)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return NULL;
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr sh;
		const char *n;
		if (!gelf_getshdr(scn, &sh) || !(n = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(n, name) != 0)
			continue;
		*out = sh;
		if (sh.sh_type == SHT_NOBITS)
			return NULL;
		*was_compressed = (sh.sh_flags & SHF_COMPRESSED) != 0;
		if (*was_compressed && elf_compress(scn, 0, 0) < 0)
			return NULL;
		gelf_getshdr(scn, out);
		return elf_getdata(scn, NULL);
	}
	return NULL;
}

/* The DWARF sections libdw reads from dbg_dwarf_open's image (inflated
 * before libdw opens it, or by libdw) hold, byte for byte, what libelf
 * inflates from the file; the location lists are left out. */
static void test_go_inflated(void)
{
	const char *path = getenv("GOHELLO");
	if (!path)
		T_SKIP("no Go toolchain");
	struct dbg_dwarf *d;
	struct dbg_err err;
	T_OK(dbg_dwarf_open(&d, path, &err), err);
	Elf *ours = dwarf_getelf(dbg_dwarf_libdw(d));
	T_NOT_NULL(ours);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	T_TRUE(fd >= 0);
	elf_version(EV_CURRENT);
	Elf *ref = elf_begin(fd, ELF_C_READ, NULL);
	T_NOT_NULL(ref);
	static const char *const names[] = { ".debug_info", ".debug_abbrev", ".debug_line",
					     ".debug_frame", ".debug_ranges" };
	int compressed = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		bool rc = false, oc = false;
		GElf_Shdr rsh, osh;
		Elf_Data *r = section(ref, names[i], &rc, &rsh);
		Elf_Data *o = section(ours, names[i], &oc, &osh);
		T_NOT_NULL(r);
		T_NOT_NULL(o);
		compressed += rc;
		T_EQ_INT(o->d_size, r->d_size);
		T_TRUE(memcmp(o->d_buf, r->d_buf, r->d_size) == 0);
		T_EQ_INT(osh.sh_flags & SHF_COMPRESSED, 0);
	}
	/* go1.19 compresses them: the test read inflated bytes */
	T_TRUE(compressed >= 3);
	bool lc = false;
	GElf_Shdr lsh = { 0 };
	section(ours, ".debug_loc", &lc, &lsh);
	T_EQ_INT(lsh.sh_type, SHT_NOBITS);
	elf_end(ref);
	close(fd);
	dbg_dwarf_free(d);
}

static void test_no_dwarf(void)
{
	char cmd[1024], out[64];
	const char *tmp = "/tmp/bootscope-nodwarf";
	snprintf(cmd, sizeof(cmd), "objcopy --strip-debug '%s' %s", t_env("MINIRT"), tmp);
	if (t_capture(cmd, out, sizeof(out)) != 0)
		T_SETUP_FAIL("objcopy failed");
	struct dbg_dwarf *d = NULL;
	struct dbg_err err;
	T_EQ_INT(dbg_dwarf_open(&d, tmp, &err), -ENODATA);
	T_NULL(d);
	T_CONTAINS(err.msg, "has no DWARF debug info");
	unlink(tmp);
}

static const struct t_case cases[] = {
	T_CASE(test_minirt_offsets),      T_CASE(test_hello_offsets),
	T_CASE(test_go_offsets),          T_CASE(test_names_and_paths),
	T_CASE(test_var_type_by_address), T_CASE(test_go_globals),
	T_CASE(test_go_inflated),         T_CASE(test_no_dwarf),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
