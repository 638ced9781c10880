/* elf: symbols (lookup, .abi0 preference, symbolize) against nm, and the
 * error cases of dbg_elf_open. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "elf.h"

/* Address of symbol name in path according to nm (the oracle), or 0. */
static uint64_t nm_addr(const char *path, const char *name)
{
	char cmd[1024], out[256];
	snprintf(cmd, sizeof(cmd), "nm '%s' | awk '$3 == \"%s\" { print $1; exit }'", path, name);
	if (t_capture(cmd, out, sizeof(out)) != 0 || !out[0])
		return 0;
	return strtoull(out, NULL, 16);
}

static struct dbg_elf *open_minirt(void)
{
	struct dbg_elf *e;
	struct dbg_err err;
	T_OK(dbg_elf_open(&e, t_env("MINIRT"), &err), err);
	return e;
}

static void test_lookup_matches_nm(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_elf *e = open_minirt();
	const char *names[] = { "runtime.rt0_go", "runtime.settls", "main.main",
				"runtime.g0",     "runtime.m0",     "foo",
				"foo.abi0",       "bar.abi0" };
	for (size_t i = 0; i < T_COUNT(names); i++) {
		uint64_t want = nm_addr(path, names[i]), got = 0;
		T_NE_HEX(want, 0);
		T_EQ_INT(dbg_elf_lookup(e, names[i], &got), 0);
		T_EQ_HEX(got, want);
	}
	uint64_t a;
	T_EQ_INT(dbg_elf_lookup(e, "no.such.symbol", &a), -ENOENT);
	dbg_elf_free(e);
}

static void test_abi0_preference(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_elf *e = open_minirt();
	uint64_t foo = nm_addr(path, "foo"), foo_abi0 = nm_addr(path, "foo.abi0");
	T_NE_HEX(foo, foo_abi0);
	uint64_t got;
	/* NAME prefers the real body over NAME.abi0 */
	T_EQ_INT(dbg_elf_lookup(e, "foo", &got), 0);
	T_EQ_HEX(got, foo);
	/* NAME finds NAME.abi0 when that is all there is */
	T_EQ_INT(dbg_elf_lookup(e, "bar", &got), 0);
	T_EQ_HEX(got, nm_addr(path, "bar.abi0"));
	const struct dbg_sym *s = dbg_elf_find(e, "bar");
	T_NOT_NULL(s);
	T_EQ_STR(s->name, "bar.abi0");
	dbg_elf_free(e);
}

static void test_symbolize(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_elf *e = open_minirt();
	uint64_t rt0 = nm_addr(path, "runtime.rt0_go");
	char buf[128];
	T_EQ_INT(dbg_elf_symbolize(e, rt0, buf, sizeof(buf)), 0);
	T_EQ_STR(buf, "runtime.rt0_go");
	T_EQ_INT(dbg_elf_symbolize(e, rt0 + 0x4c, buf, sizeof(buf)), 0);
	T_EQ_STR(buf, "runtime.rt0_go+0x4c");
	uint64_t fa = nm_addr(path, "foo.abi0");
	T_EQ_INT(dbg_elf_symbolize(e, fa + 1, buf, sizeof(buf)), 0);
	T_EQ_STR(buf, "foo.abi0+0x1");
	/* an object */
	uint64_t m0 = nm_addr(path, "runtime.m0");
	T_EQ_INT(dbg_elf_symbolize(e, m0 + 136, buf, sizeof(buf)), 0);
	T_EQ_STR(buf, "runtime.m0+0x88");
	/* nothing there */
	T_EQ_INT(dbg_elf_symbolize(e, 0x10, buf, sizeof(buf)), -ENOENT);
	T_EQ_STR(buf, "0x10");
	dbg_elf_free(e);
}

static void test_headers(void)
{
	const char *path = t_env("MINIRT");
	struct dbg_elf *e = open_minirt();
	T_EQ_HEX(dbg_elf_entry(e), nm_addr(path, "_rt0_amd64_linux"));
	T_FALSE(dbg_elf_is_pie(e));
	T_NULL(dbg_elf_interp(e));
	T_TRUE(dbg_elf_has_symtab(e));
	const struct dbg_section *text = dbg_elf_section_by_name(e, ".text");
	T_NOT_NULL(text);
	char cmd[512], out[256];
	snprintf(cmd, sizeof(cmd),
		 "readelf -SW '%s' | awk '{ for (i = 1; i < NF; i++) if ($i == \".text\") { print $(i + 2); exit } }'",
		 path);
	T_EQ_INT(t_capture(cmd, out, sizeof(out)), 0);
	T_EQ_HEX(text->addr, strtoull(out, NULL, 16));
	T_TRUE(dbg_elf_section_at(e, dbg_elf_entry(e)) == text);
	T_GE_INT(dbg_elf_nsegments(e), 1);
	/* symbols come sorted by address */
	for (size_t i = 1; i < dbg_elf_nsyms(e); i++)
		T_TRUE(dbg_elf_sym(e, i - 1)->addr <= dbg_elf_sym(e, i)->addr);
	/* the file image reads like the file */
	uint8_t b[2];
	struct dbg_err err;
	T_OK(dbg_elf_read(e, dbg_elf_entry(e), b, 2, &err), err);
	T_EQ_HEX(b[0], 0xeb); /* jmp rel8 to _rt0_amd64 */
	dbg_elf_free(e);

	const char *threads = t_env("THREADS");
	T_OK(dbg_elf_open(&e, threads, &err), err);
	T_TRUE(dbg_elf_is_pie(e));
	T_NOT_NULL(dbg_elf_interp(e));
	T_CONTAINS(dbg_elf_interp(e), "ld-linux");
	dbg_elf_free(e);
}

/* Write n bytes to a fresh temporary file; returns its path (static). */
static const char *temp_file(const void *data, size_t n)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/bootscope-elf-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		T_SETUP_FAIL("cannot write a temporary file");
	close(fd);
	return path;
}

static void *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		T_SETUP_FAIL("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	void *p = malloc(*n);
	if (fread(p, 1, *n, f) != *n)
		T_SETUP_FAIL("cannot read %s", path);
	fclose(f);
	return p;
}

static void expect_open_error(const char *path, int code, const char *text)
{
	struct dbg_elf *e = NULL;
	struct dbg_err err = { "" };
	T_EQ_INT(dbg_elf_open(&e, path, &err), code);
	T_NULL(e);
	T_CONTAINS(err.msg, text);
	T_CONTAINS(err.msg, path);
}

static void test_open_errors(void)
{
	expect_open_error("/nonexistent/bootscope-missing", -ENOENT,
			  "cannot open /nonexistent/bootscope-missing: no such file or directory");
	expect_open_error("/tmp", -EISDIR, "is a directory");

	const char text[] = "#!/bin/sh\necho not an elf file\n";
	const char *p = temp_file(text, sizeof(text));
	expect_open_error(p, -ENOEXEC, "not an ELF file");
	unlink(p);

	size_t n;
	uint8_t *img = slurp(t_env("MINIRT"), &n);
	p = temp_file(img, 200);
	expect_open_error(p, -EINVAL, "truncated");
	unlink(p);

	/* same file, e_machine = AArch64 (183) */
	uint8_t *copy = malloc(n);
	memcpy(copy, img, n);
	copy[18] = 183;
	copy[19] = 0;
	p = temp_file(copy, n);
	expect_open_error(p, -ENOEXEC, "ELF file for AArch64");
	unlink(p);

	/* a 32-bit ELF header: EI_CLASS = ELFCLASS32 */
	uint8_t h32[52] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };
	h32[16] = 2;  /* ET_EXEC */
	h32[18] = 3;  /* EM_386 */
	h32[20] = 1;  /* EV_CURRENT */
	h32[40] = 52; /* e_ehsize */
	p = temp_file(h32, sizeof(h32));
	expect_open_error(p, -ENOEXEC, "32-bit");
	unlink(p);
	free(copy);
	free(img);
}

static const struct t_case cases[] = {
	T_CASE(test_lookup_matches_nm), T_CASE(test_abi0_preference), T_CASE(test_symbolize),
	T_CASE(test_headers),           T_CASE(test_open_errors),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
