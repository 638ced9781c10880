/* elf — executable facts and symbols through libelf (see elf.h). */
#include "elf.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pclntab.h"

struct dbg_elf {
	char *path;
	int fd;
	Elf *elf;
	const char *image; /* the mapped file */
	char *copy;        /* an image from memory: the bytes libelf reads */
	size_t image_size;
	uint64_t entry;     /* run-time */
	uint16_t type;      /* ET_EXEC / ET_DYN */
	const char *interp; /* into image, or NULL */
	bool has_symtab;
	int pcln_go;         /* symbols from Go's pclntab: 118 or 120 (its format); 0 */
	char go_version[48]; /* from the build info ("go1.19.8"), or "" */
	bool has_tlsg;       /* runtime.tlsg, a TLS symbol, was in .symtab */
	uint64_t tlsg;       /* its offset in the TLS segment */
	uint64_t bias;

	struct dbg_section *sections;
	size_t nsections;
	struct dbg_segment *segments;
	size_t nsegments;
	struct dbg_sym *syms; /* by address */
	size_t nsyms;
	/* open addressing by name: the index + 1 of the symbol of that name
	 * that find_exact returns (a global one first, then the lowest
	 * address); 0 empty. A hash rather than a sorted array: sorting
	 * 5,000 names by strcmp cost more than the rest of the load. */
	uint32_t *by_name;
	size_t by_name_cap; /* a power of two, at least twice nsyms */
};

static pthread_once_t version_once = PTHREAD_ONCE_INIT;
static void init_version(void)
{
	elf_version(EV_CURRENT);
}

static bool is_abi0(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".abi0") == 0;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct dbg_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind == DBG_SYM_FUNC ? -1 : 1;
	bool ax = is_abi0(x->name), ay = is_abi0(y->name);
	if (ax != ay)
		return ax ? 1 : -1;
	/* the vDSO's clock_gettime before its alias __vdso_clock_gettime,
	 * the name gdb shows */
	bool vx = strncmp(x->name, "__vdso_", 7) == 0, vy = strncmp(y->name, "__vdso_", 7) == 0;
	if (vx != vy)
		return vx ? 1 : -1;
	if (x->global != y->global)
		return x->global ? -1 : 1;
	if ((x->size == 0) != (y->size == 0))
		return x->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Index the symbols (in address order) by name. */
static int index_names(struct dbg_elf *e)
{
	size_t cap = 16;
	while (cap < 2 * e->nsyms)
		cap *= 2;
	if (e->nsyms >= UINT32_MAX)
		return -ENOMEM;
	e->by_name = calloc(cap, sizeof(*e->by_name));
	if (!e->by_name)
		return -ENOMEM;
	e->by_name_cap = cap;
	for (size_t i = 0; i < e->nsyms; i++) {
		const struct dbg_sym *d = &e->syms[i];
		for (size_t k = hash_name(d->name) & (cap - 1);; k = (k + 1) & (cap - 1)) {
			uint32_t v = e->by_name[k];
			if (!v) {
				e->by_name[k] = (uint32_t)i + 1;
				break;
			}
			const struct dbg_sym *o = &e->syms[v - 1];
			if (strcmp(o->name, d->name) == 0) {
				/* a global one wins; else the first by address */
				if (d->global && !o->global)
					e->by_name[k] = (uint32_t)i + 1;
				break;
			}
		}
	}
	return 0;
}

/* The Go release that built the file, from its build info blob (the
 * .go.buildinfo section, or the start of the first writable segment):
 * 14 bytes "\xff Go buildinf:", pointer size, flags; with flags bit 2
 * (go1.18 and later) the version follows at +32 as a uvarint-prefixed
 * string, before that the blob points at a Go string header. */
static void load_go_version(struct dbg_elf *e)
{
	static const char magic[14] = "\xff Go buildinf:";
	const uint8_t *p = NULL;
	size_t n = 0;
	const struct dbg_section *bi = dbg_elf_section_by_name(e, ".go.buildinfo");
	if (bi && bi->type != SHT_NOBITS && bi->offset < e->image_size) {
		p = (const uint8_t *)e->image + bi->offset;
		n = e->image_size - bi->offset < bi->size ? e->image_size - bi->offset : bi->size;
	}
	for (size_t i = 0; !p && i < e->nsegments; i++) {
		const struct dbg_segment *g = &e->segments[i];
		if (g->type == PT_LOAD && (g->flags & PF_W) && g->offset < e->image_size) {
			p = (const uint8_t *)e->image + g->offset;
			n = e->image_size - g->offset < g->filesz ? e->image_size - g->offset :
								    g->filesz;
			if (n > 65536)
				n = 65536;
		}
	}
	size_t off = 0;
	while (p && off + 32 <= n && memcmp(p + off, magic, sizeof(magic)) != 0)
		off += 16;
	if (!p || off + 32 > n)
		return;
	const uint8_t *b = p + off;
	uint64_t len = 0, addr = 0;
	const uint8_t *str = NULL;
	char tmp[48];
	if (b[15] & 2) {
		size_t k = 32;
		for (unsigned shift = 0; k < n - off && shift < 64; shift += 7) {
			uint8_t c = b[k++];
			len |= (uint64_t)(c & 0x7f) << shift;
			if (!(c & 0x80))
				break;
		}
		if (len <= n - off - k)
			str = b + k;
	} else if (b[14] == 8 && b[15] == 0) {
		uint64_t hdr[2];
		memcpy(&addr, b + 16, 8);
		if (dbg_elf_read(e, addr, hdr, sizeof(hdr), NULL) == 0 && hdr[1] < 48) {
			len = hdr[1];
			if (dbg_elf_read(e, hdr[0], tmp, (size_t)len, NULL) == 0)
				str = (const uint8_t *)tmp;
		}
	}
	if (!str || len == 0 || len >= sizeof(e->go_version))
		return;
	for (uint64_t i = 0; i < len; i++)
		if (str[i] < 0x20 || str[i] > 0x7e)
			return;
	memcpy(e->go_version, str, (size_t)len);
	e->go_version[len] = '\0';
}

/* Where Go's runtime.text is: .text, or the first executable segment. */
static uint64_t text_start(const struct dbg_elf *e)
{
	for (size_t i = 0; i < e->nsections; i++)
		if (strcmp(e->sections[i].name, ".text") == 0)
			return e->sections[i].addr;
	for (size_t i = 0; i < e->nsegments; i++)
		if (e->segments[i].type == PT_LOAD && (e->segments[i].flags & PF_X))
			return e->segments[i].vaddr;
	return 0;
}

/* The pcHeader of Go's function table: the .gopclntab section, or without
 * section headers the first pcHeader in a read-only loaded segment. */
static const uint8_t *find_pclntab(const struct dbg_elf *e, size_t *n)
{
	for (size_t i = 0; i < e->nsections; i++) {
		const struct dbg_section *sc = &e->sections[i];
		if (strcmp(sc->name, ".gopclntab") == 0 && sc->type != SHT_NOBITS &&
		    sc->offset < e->image_size && sc->size <= e->image_size - sc->offset) {
			*n = (size_t)sc->size;
			return (const uint8_t *)e->image + sc->offset;
		}
	}
	for (size_t i = 0; i < e->nsegments; i++) {
		const struct dbg_segment *g = &e->segments[i];
		if (g->type != PT_LOAD || (g->flags & (PF_X | PF_W)) || g->offset >= e->image_size)
			continue;
		size_t end = g->filesz < e->image_size - g->offset ? (size_t)g->filesz :
								     e->image_size - g->offset;
		const uint8_t *p = (const uint8_t *)e->image + g->offset;
		for (size_t off = 0; off + 8 <= end; off += 8)
			if (dbg_pcln_is_header(p + off, end - off) &&
			    dbg_pcln_walk(p + off, end - off, text_start(e), NULL, NULL, NULL,
					  NULL) > 0) {
				*n = end - off;
				return p + off;
			}
	}
	return NULL;
}

static void add_pcln_func(void *arg, const char *name, uint64_t entry, uint64_t end)
{
	struct dbg_elf *e = arg;
	struct dbg_sym *d = &e->syms[e->nsyms++];
	*d = (struct dbg_sym){ .name = name,
			       .addr = entry,
			       .size = end - entry,
			       .kind = DBG_SYM_FUNC,
			       .global = true };
}

/* Functions from Go's pclntab, for a file without a symbol table: 0 when
 * there is none (or it does not read), else the number of functions. */
static int load_pclntab(struct dbg_elf *e)
{
	size_t n = 0;
	const uint8_t *p = find_pclntab(e, &n);
	int count;
	if (!p || (count = dbg_pcln_walk(p, n, text_start(e), NULL, NULL, NULL, NULL)) <= 0)
		return 0;
	free(e->syms);
	e->syms = calloc((size_t)count, sizeof(*e->syms));
	if (!e->syms)
		abort();
	e->nsyms = 0;
	dbg_pcln_walk(p, n, text_start(e), add_pcln_func, e, &e->pcln_go, NULL);
	return count;
}

static int load_symbols(struct dbg_elf *e, struct dbg_err *err)
{
	Elf_Scn *scn = NULL, *symscn = NULL, *dynscn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(e->elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB)
			symscn = scn;
		else if (sh.sh_type == SHT_DYNSYM)
			dynscn = scn;
	}
	e->has_symtab = symscn != NULL;
	if (!symscn && load_pclntab(e) > 0)
		goto sort;
	if (!symscn)
		symscn = dynscn;
	if (!symscn)
		return 0;
	gelf_getshdr(symscn, &sh);
	Elf_Data *data = elf_getdata(symscn, NULL);
	if (!data || sh.sh_entsize == 0)
		return dbg_err_set(err, -EINVAL, "cannot read the symbol table of %s: %s", e->path,
				   elf_errmsg(-1));
	size_t count = sh.sh_size / sh.sh_entsize;
	e->syms = calloc(count ? count : 1, sizeof(*e->syms));
	if (!e->syms)
		return dbg_err_errno(err, -ENOMEM, "cannot load symbols of %s", e->path);
	for (size_t i = 0; i < count; i++) {
		GElf_Sym s;
		if (!gelf_getsym(data, (int)i, &s))
			continue;
		int type = GELF_ST_TYPE(s.st_info);
		int bind = GELF_ST_BIND(s.st_info);
		if (s.st_shndx == SHN_UNDEF || s.st_shndx == SHN_ABS || s.st_name == 0)
			continue;
		enum dbg_sym_kind kind;
		if (type == STT_FUNC || type == STT_GNU_IFUNC) {
			kind = DBG_SYM_FUNC;
		} else if (type == STT_OBJECT || type == STT_COMMON) {
			kind = DBG_SYM_OBJECT;
		} else if (type == STT_TLS) {
			/* Go's g slot in a binary linked with libc: an offset
			 * in the TLS segment, not an address */
			const char *name = elf_strptr(e->elf, sh.sh_link, s.st_name);
			if (name && strcmp(name, "runtime.tlsg") == 0) {
				e->has_tlsg = true;
				e->tlsg = s.st_value;
			}
			continue;
		} else if (type == STT_NOTYPE && bind != STB_LOCAL && s.st_shndx < e->nsections &&
			   (e->sections[s.st_shndx].flags & SHF_EXECINSTR)) {
			/* hand-written assembly without .type */
			kind = DBG_SYM_FUNC;
		} else {
			continue;
		}
		const char *name = elf_strptr(e->elf, sh.sh_link, s.st_name);
		if (!name || !*name)
			continue;
		struct dbg_sym *d = &e->syms[e->nsyms++];
		d->name = name;
		d->addr = s.st_value;
		d->size = s.st_size;
		d->kind = kind;
		d->global = bind == STB_GLOBAL || bind == STB_WEAK;
	}
sort:;
	/* the linker's order is often the address order already */
	bool sorted = true;
	for (size_t i = 1; i < e->nsyms && sorted; i++)
		sorted = cmp_addr(&e->syms[i - 1], &e->syms[i]) <= 0;
	if (!sorted)
		qsort(e->syms, e->nsyms, sizeof(*e->syms), cmp_addr);
	if (index_names(e) < 0)
		return dbg_err_errno(err, -ENOMEM, "cannot load symbols of %s", e->path);
	return 0;
}

static int load_headers(struct dbg_elf *e, GElf_Ehdr *eh, struct dbg_err *err)
{
	size_t shnum = 0, shstrndx = 0, phnum = 0;
	if (elf_getshdrnum(e->elf, &shnum) < 0 || elf_getphdrnum(e->elf, &phnum) < 0)
		return dbg_err_set(err, -EINVAL, "%s: truncated ELF file", e->path);
	if (eh->e_shoff + (uint64_t)shnum * eh->e_shentsize > e->image_size ||
	    eh->e_phoff + (uint64_t)phnum * eh->e_phentsize > e->image_size)
		return dbg_err_set(err, -EINVAL, "%s: truncated ELF file", e->path);
	if (shnum && elf_getshdrstrndx(e->elf, &shstrndx) < 0)
		return dbg_err_set(err, -EINVAL, "%s: truncated ELF file", e->path);

	e->sections = calloc(shnum ? shnum : 1, sizeof(*e->sections));
	e->segments = calloc(phnum ? phnum : 1, sizeof(*e->segments));
	if (!e->sections || !e->segments)
		return dbg_err_errno(err, -ENOMEM, "cannot load %s", e->path);
	for (size_t i = 0; i < shnum; i++) {
		Elf_Scn *scn = elf_getscn(e->elf, i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh))
			return dbg_err_set(err, -EINVAL, "%s: truncated ELF file", e->path);
		if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
		    sh.sh_offset + sh.sh_size > e->image_size)
			return dbg_err_set(err, -EINVAL, "%s: truncated ELF file", e->path);
		struct dbg_section *d = &e->sections[i];
		const char *nm = i ? elf_strptr(e->elf, shstrndx, sh.sh_name) : "";
		d->name = nm ? nm : "";
		d->type = sh.sh_type;
		d->flags = sh.sh_flags;
		d->addr = sh.sh_addr;
		d->size = sh.sh_size;
		d->offset = sh.sh_offset;
	}
	e->nsections = shnum;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e->elf, (int)i, &ph))
			return dbg_err_set(err, -EINVAL, "%s: truncated ELF file", e->path);
		struct dbg_segment *d = &e->segments[i];
		d->type = ph.p_type;
		d->flags = ph.p_flags;
		d->offset = ph.p_offset;
		d->vaddr = ph.p_vaddr;
		d->filesz = ph.p_filesz;
		d->memsz = ph.p_memsz;
		d->align = ph.p_align;
		if (ph.p_type == PT_INTERP && ph.p_offset + ph.p_filesz <= e->image_size &&
		    ph.p_filesz > 0 && e->image[ph.p_offset + ph.p_filesz - 1] == '\0')
			e->interp = e->image + ph.p_offset;
	}
	e->nsegments = phnum;
	return 0;
}

/* The machines a wrong binary is most likely built for. */
static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386:
		return "i386";
	case EM_ARM:
		return "ARM";
	case EM_AARCH64:
		return "AArch64";
	case EM_RISCV:
		return "RISC-V";
	case EM_PPC64:
		return "PowerPC64";
	case EM_S390:
		return "s390";
	case EM_MIPS:
		return "MIPS";
	default:
		return "another machine";
	}
}

/* The checks and tables every image shares, once e->elf is open. */
static int load_image(struct dbg_elf *e, struct dbg_err *err)
{
	const char *path = e->path;
	int rc;

	e->image = elf_rawfile(e->elf, &e->image_size);
	if (!e->image || e->image_size < 16)
		return dbg_err_set(err, -ENOEXEC, "%s: truncated ELF file", path);
	int cls = gelf_getclass(e->elf);
	if (cls == ELFCLASS32)
		return dbg_err_set(err, -ENOEXEC, "%s: 32-bit ELF file; bootscope needs x86-64",
				   path);
	GElf_Ehdr eh;
	if (cls != ELFCLASS64 || !gelf_getehdr(e->elf, &eh))
		return dbg_err_set(err, -ENOEXEC, "%s: truncated ELF file", path);
	if (eh.e_machine != EM_X86_64)
		return dbg_err_set(err, -ENOEXEC,
				   "%s: ELF file for %s (e_machine %u); bootscope needs x86-64",
				   path, machine_name(eh.e_machine), (unsigned)eh.e_machine);
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return dbg_err_set(err, -ENOEXEC, "%s: not an executable (ELF type %u)", path,
				   (unsigned)eh.e_type);
	e->type = eh.e_type;
	e->entry = eh.e_entry;
	rc = load_headers(e, &eh, err);
	if (rc < 0)
		return rc;
	rc = load_symbols(e, err);
	if (rc < 0)
		return rc;
	load_go_version(e);
	return 0;
}

int dbg_elf_open(struct dbg_elf **out, const char *path, struct dbg_err *err)
{
	*out = NULL;
	pthread_once(&version_once, init_version);

	struct stat st;
	if (stat(path, &st) < 0)
		return dbg_err_errno(err, -errno, "cannot open %s", path);
	if (S_ISDIR(st.st_mode))
		return dbg_err_errno(err, -EISDIR, "cannot open %s", path);
	/* a FIFO would block the open, a device would be read forever */
	if (!S_ISREG(st.st_mode))
		return dbg_err_set(err, -EINVAL, "cannot open %s: not a regular file", path);

	struct dbg_elf *e = calloc(1, sizeof(*e));
	if (!e)
		return dbg_err_errno(err, -ENOMEM, "cannot open %s", path);
	e->fd = -1;
	e->path = strdup(path);
	int rc = -ENOMEM;
	if (!e->path)
		goto fail_errno;
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0) {
		rc = -errno;
		goto fail_errno;
	}
	e->elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF) {
		/* libelf does not recognise the magic alone, shorter than a
		 * header: that is a cut-off ELF file, not some other file */
		char magic[SELFMAG];
		bool cut = pread(e->fd, magic, SELFMAG, 0) == SELFMAG &&
			   memcmp(magic, ELFMAG, SELFMAG) == 0;
		rc = dbg_err_set(err, -ENOEXEC,
				 cut ? "%s: truncated ELF file" : "%s: not an ELF file", path);
		goto fail;
	}
	rc = load_image(e, err);
	if (rc < 0)
		goto fail;
	*out = e;
	return 0;

fail_errno:
	rc = dbg_err_errno(err, rc, "cannot open %s", path);
fail:
	dbg_elf_free(e);
	return rc;
}

int dbg_elf_open_image(struct dbg_elf **out, const char *name, const void *bytes, size_t n,
		       struct dbg_err *err)
{
	*out = NULL;
	pthread_once(&version_once, init_version);
	struct dbg_elf *e = calloc(1, sizeof(*e));
	if (!e)
		return dbg_err_errno(err, -ENOMEM, "cannot load %s", name);
	e->fd = -1;
	e->path = strdup(name);
	e->copy = malloc(n ? n : 1);
	int rc;
	if (!e->path || !e->copy) {
		rc = dbg_err_errno(err, -ENOMEM, "cannot load %s", name);
		goto fail;
	}
	memcpy(e->copy, bytes, n);
	e->elf = elf_memory(e->copy, n);
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF) {
		rc = dbg_err_set(err, -ENOEXEC, "%s: not an ELF image", name);
		goto fail;
	}
	rc = load_image(e, err);
	if (rc < 0)
		goto fail;
	*out = e;
	return 0;
fail:
	dbg_elf_free(e);
	return rc;
}

void dbg_elf_free(struct dbg_elf *e)
{
	if (!e)
		return;
	if (e->elf)
		elf_end(e->elf);
	if (e->fd >= 0)
		close(e->fd);
	free(e->sections);
	free(e->segments);
	free(e->syms);
	free(e->by_name);
	free(e->path);
	free(e->copy);
	free(e);
}

uint64_t dbg_elf_entry(const struct dbg_elf *e)
{
	return e->entry;
}
bool dbg_elf_is_pie(const struct dbg_elf *e)
{
	return e->type == ET_DYN;
}
const char *dbg_elf_interp(const struct dbg_elf *e)
{
	return e->interp;
}
bool dbg_elf_has_symtab(const struct dbg_elf *e)
{
	return e->has_symtab;
}
int dbg_elf_pclntab(const struct dbg_elf *e)
{
	return e->pcln_go;
}
int dbg_elf_tls_g(const struct dbg_elf *e, int64_t *off)
{
	if (!e->has_tlsg)
		return -ENOENT;
	for (size_t i = 0; i < e->nsegments; i++) {
		const struct dbg_segment *g = &e->segments[i];
		if (g->type != PT_TLS)
			continue;
		/* x86-64 puts the executable's block right below the thread
		 * pointer, at the segment's size rounded up to its alignment
		 * (keeping the first byte's offset within that alignment) */
		uint64_t align = g->align > 1 ? g->align : 1;
		uint64_t first = (0 - (g->vaddr - e->bias)) & (align - 1);
		if (g->memsz > (1u << 30) || e->tlsg >= g->memsz)
			return -ENOENT;
		uint64_t block = (g->memsz - first + align - 1) / align * align + first;
		*off = (int64_t)e->tlsg - (int64_t)block;
		return 0;
	}
	return -ENOENT;
}

const char *dbg_elf_go_version(const struct dbg_elf *e)
{
	return e->go_version[0] ? e->go_version : NULL;
}
uint64_t dbg_elf_bias(const struct dbg_elf *e)
{
	return e->bias;
}

void dbg_elf_set_bias(struct dbg_elf *e, uint64_t bias)
{
	uint64_t d = bias - e->bias;
	if (d == 0)
		return;
	e->entry += d;
	for (size_t i = 0; i < e->nsections; i++)
		if (e->sections[i].flags & SHF_ALLOC)
			e->sections[i].addr += d;
	for (size_t i = 0; i < e->nsegments; i++)
		e->segments[i].vaddr += d;
	for (size_t i = 0; i < e->nsyms; i++)
		e->syms[i].addr += d;
	e->bias = bias;
}

size_t dbg_elf_nsections(const struct dbg_elf *e)
{
	return e->nsections;
}

const struct dbg_section *dbg_elf_section(const struct dbg_elf *e, size_t i)
{
	if (i >= e->nsections)
		abort();
	return &e->sections[i];
}

const struct dbg_section *dbg_elf_section_by_name(const struct dbg_elf *e, const char *name)
{
	for (size_t i = 0; i < e->nsections; i++)
		if (strcmp(e->sections[i].name, name) == 0)
			return &e->sections[i];
	return NULL;
}

const struct dbg_section *dbg_elf_section_at(const struct dbg_elf *e, uint64_t addr)
{
	for (size_t i = 0; i < e->nsections; i++) {
		const struct dbg_section *s = &e->sections[i];
		if ((s->flags & SHF_ALLOC) && addr >= s->addr && addr < s->addr + s->size)
			return s;
	}
	return NULL;
}

size_t dbg_elf_nsegments(const struct dbg_elf *e)
{
	return e->nsegments;
}

const struct dbg_segment *dbg_elf_segment(const struct dbg_elf *e, size_t i)
{
	if (i >= e->nsegments)
		abort();
	return &e->segments[i];
}

size_t dbg_elf_nsyms(const struct dbg_elf *e)
{
	return e->nsyms;
}

const struct dbg_sym *dbg_elf_sym(const struct dbg_elf *e, size_t i)
{
	if (i >= e->nsyms)
		abort();
	return &e->syms[i];
}

static const struct dbg_sym *find_exact(const struct dbg_elf *e, const char *name)
{
	if (!e->by_name_cap)
		return NULL;
	size_t mask = e->by_name_cap - 1;
	for (size_t k = hash_name(name) & mask;; k = (k + 1) & mask) {
		uint32_t v = e->by_name[k];
		if (!v)
			return NULL;
		if (strcmp(e->syms[v - 1].name, name) == 0)
			return &e->syms[v - 1];
	}
}

const struct dbg_sym *dbg_elf_find(const struct dbg_elf *e, const char *name)
{
	const struct dbg_sym *s = find_exact(e, name);
	if (s)
		return s;
	char buf[512];
	if (snprintf(buf, sizeof(buf), "%s.abi0", name) >= (int)sizeof(buf))
		return NULL;
	return find_exact(e, buf);
}

int dbg_elf_lookup(const struct dbg_elf *e, const char *name, uint64_t *addr)
{
	const struct dbg_sym *s = dbg_elf_find(e, name);
	if (!s)
		return -ENOENT;
	*addr = s->addr;
	return 0;
}

const struct dbg_sym *dbg_elf_sym_at(const struct dbg_elf *e, uint64_t addr)
{
	/* last symbol with sym.addr <= addr */
	size_t lo = 0, hi = e->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	size_t i = lo - 1;
	/* start of the group at that address: the best candidate comes first */
	size_t g = i;
	while (g > 0 && e->syms[g - 1].addr == e->syms[i].addr)
		g--;
	for (size_t k = g; k <= i; k++) {
		const struct dbg_sym *s = &e->syms[k];
		if (s->size ? addr < s->addr + s->size : true) {
			if (s->size == 0) {
				/* A label outside every section (Go's runtime.end
				 * just past .noptrbss) contains nothing: heap
				 * addresses are not "runtime.end+0xbfff…". */
				const struct dbg_section *a = dbg_elf_section_at(e, s->addr);
				const struct dbg_section *b = dbg_elf_section_at(e, addr);
				if (addr != s->addr && (!a || a != b))
					continue;
			}
			return s;
		}
	}
	/* an enclosing symbol that starts further below (nested labels) */
	size_t stop = g > 64 ? g - 64 : 0;
	for (size_t k = g; k-- > stop;) {
		const struct dbg_sym *s = &e->syms[k];
		if (s->size && addr < s->addr + s->size)
			return s;
	}
	return NULL;
}

int dbg_elf_symbolize(const struct dbg_elf *e, uint64_t addr, char *buf, size_t n)
{
	const struct dbg_sym *s = dbg_elf_sym_at(e, addr);
	if (!s) {
		snprintf(buf, n, "0x%" PRIx64, addr);
		return -ENOENT;
	}
	/* at every stop: written out by hand, as snprintf would, truncated */
	if (n == 0)
		return 0;
	char tail[24];
	size_t tl = 0;
	if (addr != s->addr) {
		static const char hex[] = "0123456789abcdef";
		char digits[16];
		size_t nd = 0;
		for (uint64_t off = addr - s->addr; off; off >>= 4)
			digits[nd++] = hex[off & 15];
		tail[tl++] = '+';
		tail[tl++] = '0';
		tail[tl++] = 'x';
		while (nd)
			tail[tl++] = digits[--nd];
	}
	size_t nl = strlen(s->name), at = nl < n - 1 ? nl : n - 1;
	memcpy(buf, s->name, at);
	size_t tk = tl < n - 1 - at ? tl : n - 1 - at;
	memcpy(buf + at, tail, tk);
	buf[at + tk] = '\0';
	return 0;
}

int dbg_elf_read(const struct dbg_elf *e, uint64_t addr, void *buf, size_t n, struct dbg_err *err)
{
	uint8_t *out = buf;
	size_t done = 0;
	while (done < n) {
		uint64_t a = addr + done;
		const struct dbg_segment *seg = NULL;
		for (size_t i = 0; i < e->nsegments; i++) {
			const struct dbg_segment *s = &e->segments[i];
			if (s->type == PT_LOAD && a >= s->vaddr && a < s->vaddr + s->memsz) {
				seg = s;
				break;
			}
		}
		if (!seg)
			return dbg_err_set(err, -EFAULT,
					   "cannot read 0x%" PRIx64
					   " from %s: not in a loaded segment",
					   a, e->path);
		uint64_t off = a - seg->vaddr;
		size_t take = (size_t)(seg->vaddr + seg->memsz - a);
		if (take > n - done)
			take = n - done;
		for (size_t k = 0; k < take; k++) {
			uint64_t o = off + k;
			out[done + k] = o < seg->filesz && seg->offset + o < e->image_size ?
						(uint8_t)e->image[seg->offset + o] :
						0;
		}
		done += take;
	}
	return 0;
}
