/*
 * libFuzzer harness: the input is an executable file. It is written to a
 * memfd and opened through /proc/self/fd/N with dbg_session_open (ELF,
 * DWARF, disassembler, stage catalog); then everything that needs no
 * process is read back: symbols, sections, segments, symbolization, the
 * stages and disassembly at the entry and at every stage, a few DWARF
 * types and field paths.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "session.h"

static int memfd = -1;

static void poke_types(struct dbg_dwarf *dw)
{
	static const char *const structs[] = { "g", "m", "p", "schedt", "gobuf" };
	static const char *const paths[] = { "sched.sp", "stack.hi", "tls[0]",
					     "runq[3]",  "goid",     "m.p" };
	uint64_t off, size;
	size_t i, j;

	for (i = 0; i < sizeof(structs) / sizeof(structs[0]); i++) {
		dbg_dwarf_struct(dw, structs[i]);
		for (j = 0; j < sizeof(paths) / sizeof(paths[0]); j++)
			dbg_dwarf_field(dw, structs[i], paths[j], &off, &size, NULL);
	}
	dbg_dwarf_type(dw, "uint64");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dbg_session *s;
	struct dbg_elf *e;
	struct dbg_insn insn[8];
	char path[64], buf[128];
	uint8_t bytes[32];
	size_t i, n;

	if (memfd < 0)
		memfd = memfd_create("fuzz-elf", 0);
	if (memfd < 0 || ftruncate(memfd, 0) < 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	if (dbg_session_open(&s, path, NULL) < 0)
		return 0;

	e = dbg_session_elf(s);
	for (i = 0; i < dbg_elf_nsections(e); i++)
		dbg_elf_section(e, i);
	for (i = 0; i < dbg_elf_nsegments(e); i++)
		dbg_elf_segment(e, i);
	n = dbg_elf_nsyms(e);
	for (i = 0; i < n && i < 64; i++) {
		const struct dbg_sym *sym = dbg_elf_sym(e, i);

		dbg_session_symbolize(s, sym->addr + 1, buf, sizeof(buf));
		dbg_elf_find(e, sym->name);
	}
	dbg_elf_interp(e);
	dbg_session_symbolize(s, dbg_elf_entry(e), buf, sizeof(buf));
	dbg_session_read(s, dbg_elf_entry(e), bytes, sizeof(bytes), NULL);
	dbg_session_disasm(s, dbg_elf_entry(e), 8, insn, NULL);

	const struct dbg_stages *st = dbg_session_stages(s);
	for (i = 0; i < st->n; i++) {
		size_t at;

		dbg_session_disasm_around(s, st->v[i].addr, 3, 4, insn, &at, NULL);
		dbg_stages_at(st, st->v[i].addr);
	}
	if (dbg_session_dwarf(s))
		poke_types(dbg_session_dwarf(s));
	dbg_session_free(s);
	return 0;
}
