/* dwarf — the type model and global variables via libdw (see dwarf.h). */
#include "dwarf.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if BOOTSCOPE_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

/* Bump allocator for types, fields and strings: all live as long as d. */
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

struct named {
	const char *name;
	Dwarf_Off off;
	int rank;      /* higher is better: complete definitions win */
	uint32_t next; /* the next entry of this name + 1, in DIE order; 0: none */
};

struct var {
	uint64_t addr; /* link-time */
	Dwarf_Off off;
};

struct type_slot {
	Dwarf_Off off; /* 0 = empty */
	struct dbg_type *type;
};

struct dbg_dwarf {
	int fd;
	Dwarf *dw; /* through dw_of(): a worker may still be opening it */
	pthread_t worker;
	bool working; /* the worker opens dw: joined at its first use */
	Elf *elf;     /* NULL when libdw opened the file itself */
	void *map;    /* the file, a private copy-on-write mapping */
	size_t map_len;
	char *path;
	uint64_t bias;
	struct arena_block *arena;

	bool indexed;
	struct named *names; /* in DIE order */
	size_t nnames, names_cap;
	uint32_t *nhash; /* open addressing by name: first entry + 1, 0 empty */
	size_t nhash_cap;
	struct var *vars; /* sorted by address */
	size_t nvars, vars_cap;

	struct type_slot *types; /* open addressing by DIE offset */
	size_t types_cap, ntypes;
	struct dbg_type void_type;

	bool cfi_read;
	Dwarf_CFI *cfi, *cfi_eh; /* .debug_frame (libdw's), .eh_frame (ours) */
};

static void *arena_alloc(struct dbg_dwarf *d, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct arena_block *b = d->arena;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		b = malloc(sizeof(*b) + cap);
		if (!b)
			abort();
		b->next = d->arena;
		b->used = 0;
		b->cap = cap;
		d->arena = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

/*
 * libdw inflates every compressed DWARF section when it opens a file
 * (dwarf_begin_elf), the location lists included, which nothing here reads
 * (global variables' locations are expressions, and no location list is
 * evaluated): in a Go binary .debug_loc is 40% of the inflated DWARF. The
 * file is mapped privately and libdw shown it with the location-list
 * sections marked SHT_NOBITS, which it skips; the file is not changed.
 *
 * The other compressed sections (Go compresses .debug_info, .debug_line,
 * .debug_frame, .debug_ranges with zlib) are inflated here with libdeflate,
 * about three times faster than the zlib libelf uses, into pages after the
 * file's mapping: their section headers (in the private mapping) then name
 * the inflated bytes, and libdw finds nothing to inflate. A section that
 * cannot be inflated so is left compressed, for libdw.
 * NULL (nothing open) when that cannot be done: libdw then opens the file.
 */
static bool is_loc(const char *name)
{
	return strcmp(name, ".debug_loc") == 0 || strcmp(name, ".debug_loclists") == 0;
}

/* The section headers of an x86-64 ELF image of len bytes, or NULL. */
static Elf64_Shdr *raw_shdrs(uint8_t *img, size_t len, size_t *n, const char **strtab,
			     size_t *strtab_len)
{
	if (len < sizeof(Elf64_Ehdr) || memcmp(img, ELFMAG, SELFMAG) != 0 ||
	    img[EI_CLASS] != ELFCLASS64 || img[EI_DATA] != ELFDATA2LSB)
		return NULL;
	Elf64_Ehdr eh;
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 || eh.e_shoff % 8 ||
	    eh.e_shoff > len || (len - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum ||
	    eh.e_shstrndx >= eh.e_shnum)
		return NULL;
	Elf64_Shdr *sh = (Elf64_Shdr *)(void *)(img + eh.e_shoff);
	const Elf64_Shdr *st = &sh[eh.e_shstrndx];
	if (st->sh_type == SHT_NOBITS || st->sh_offset > len || st->sh_size > len - st->sh_offset)
		return NULL;
	*n = eh.e_shnum;
	*strtab = (const char *)img + st->sh_offset;
	*strtab_len = st->sh_size;
	return sh;
}

static const char *raw_name(const Elf64_Shdr *sh, const char *strtab, size_t strtab_len)
{
	if (sh->sh_name >= strtab_len || !memchr(strtab + sh->sh_name, 0, strtab_len - sh->sh_name))
		return NULL;
	return strtab + sh->sh_name;
}

/* The inflated size of a compressed section that is ours to inflate, else 0. */
static size_t inflatable(const uint8_t *img, size_t len, const Elf64_Shdr *sh, const char *name)
{
	Elf64_Chdr ch;
	if (!(sh->sh_flags & SHF_COMPRESSED) || sh->sh_type == SHT_NOBITS || is_loc(name) ||
	    strncmp(name, ".debug_", 7) != 0 || sh->sh_offset > len ||
	    sh->sh_size > len - sh->sh_offset || sh->sh_size < sizeof(ch))
		return 0;
	memcpy(&ch, img + sh->sh_offset, sizeof(ch));
	/* deflate inflates at most about 1,032 times: a larger size is a lie
	 * that would only reserve memory */
	if (ch.ch_type != ELFCOMPRESS_ZLIB || ch.ch_size == 0 ||
	    ch.ch_size / 1040 > sh->sh_size - sizeof(ch))
		return 0;
	return (size_t)ch.ch_size;
}

static Dwarf *begin_without_loc(struct dbg_dwarf *d, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size <= 0)
		return NULL;
	size_t len = (size_t)st.st_size;
	void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return NULL;
	size_t map_len = len, img_len = len;
	size_t nsh = 0, strtab_len = 0;
	const char *strtab = NULL;
	Elf64_Shdr *sh = raw_shdrs(map, len, &nsh, &strtab, &strtab_len);
	if (!sh)
		goto no_inflate;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t at = (len + page - 1) / page * page, extra = 0;
	for (size_t i = 0; i < nsh; i++) {
		const char *name = raw_name(&sh[i], strtab, strtab_len);
		size_t n = name ? inflatable(map, len, &sh[i], name) : 0;
		extra += (n + 15) / 16 * 16;
	}
#if BOOTSCOPE_HAVE_LIBDEFLATE
	if (extra) {
		/* the file's mapping, then anonymous pages for the inflated
		 * sections, in one reservation */
		size_t total = at + extra;
		void *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				  -1, 0);
		if (base == MAP_FAILED)
			goto no_inflate;
		if (mmap(base, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0) ==
		    MAP_FAILED) {
			munmap(base, total);
			goto no_inflate;
		}
		munmap(map, len);
		map = base;
		map_len = total;
#ifdef MADV_POPULATE_WRITE
		/* the pages the sections are inflated into, in one call rather
		 * than a fault each (Linux 5.14; older kernels fault them), when
		 * they are as many as real DWARF inflates to */
		if (extra / 16 <= len)
			madvise((uint8_t *)base + at, extra, MADV_POPULATE_WRITE);
#endif
		sh = raw_shdrs(map, len, &nsh, &strtab, &strtab_len);
		struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
		size_t off = at;
		for (size_t i = 0; z && i < nsh; i++) {
			const char *name = raw_name(&sh[i], strtab, strtab_len);
			size_t n = name ? inflatable(map, len, &sh[i], name) : 0;
			if (!n)
				continue;
			Elf64_Chdr ch;
			const uint8_t *src = (const uint8_t *)map + sh[i].sh_offset;
			memcpy(&ch, src, sizeof(ch));
			size_t got = 0;
			enum libdeflate_result res =
				libdeflate_zlib_decompress(z, src + sizeof(ch),
							   sh[i].sh_size - sizeof(ch),
							   (uint8_t *)map + off, n, &got);
			if (res == LIBDEFLATE_SUCCESS && got == n) {
				sh[i].sh_offset = off;
				sh[i].sh_size = n;
				sh[i].sh_flags &= ~(uint64_t)SHF_COMPRESSED;
				/* the inflated bytes start 16-aligned */
				uint64_t al = ch.ch_addralign;
				sh[i].sh_addralign = al && al <= 16 && !(al & (al - 1)) ? al : 1;
				img_len = off + n;
			}
			off += (n + 15) / 16 * 16;
		}
		if (z)
			libdeflate_free_decompressor(z);
	}
#else
	(void)at;
	(void)extra;
#endif
no_inflate:;
	/* elf_version: set by dbg_dwarf_open, on the caller's thread */
	Elf *elf = elf_memory(map, img_len);
	size_t shstrndx;
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx) < 0)
		goto fail;
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr gsh;
		if (!gelf_getshdr(scn, &gsh))
			goto fail;
		const char *name = elf_strptr(elf, shstrndx, gsh.sh_name);
		if (!name || gsh.sh_type == SHT_NOBITS || !is_loc(name))
			continue;
		gsh.sh_type = SHT_NOBITS;
		if (!gelf_update_shdr(scn, &gsh))
			goto fail;
	}
	Dwarf *dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	if (!dw)
		goto fail;
	d->elf = elf;
	d->map = map;
	d->map_len = map_len;
	return dw;
fail:
	if (elf)
		elf_end(elf);
	munmap(map, map_len);
	return NULL;
}

/*
 * Whether the file has what libdw opens (.debug_info, .debug_line or
 * .debug_frame, compressed or not): 1 or 0, -1 when its section headers
 * cannot be read here.
 */
static int has_dwarf(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size <= 0)
		return -1;
	size_t len = (size_t)st.st_size;
	void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return -1;
	size_t nsh = 0, strtab_len = 0;
	const char *strtab = NULL;
	const Elf64_Shdr *sh = raw_shdrs(map, len, &nsh, &strtab, &strtab_len);
	int has = sh ? 0 : -1;
	for (size_t i = 0; sh && i < nsh && !has; i++) {
		const char *name = raw_name(&sh[i], strtab, strtab_len);
		if (name && sh[i].sh_type != SHT_NOBITS &&
		    (strcmp(name, ".debug_info") == 0 || strcmp(name, ".debug_line") == 0 ||
		     strcmp(name, ".debug_frame") == 0 || strcmp(name, ".zdebug_info") == 0 ||
		     strcmp(name, ".zdebug_line") == 0 || strcmp(name, ".zdebug_frame") == 0))
			has = 1;
	}
	munmap(map, len);
	return has;
}

/* Open d's libdw handle (d->dw; NULL when libdw cannot read it). */
static void begin(struct dbg_dwarf *d)
{
	Dwarf *dw = begin_without_loc(d, d->fd);
	if (!dw)
		dw = dwarf_begin(d->fd, DWARF_C_READ);
	d->dw = dw;
}

static void *begin_worker(void *arg)
{
	begin(arg);
	return NULL;
}

/* d's libdw handle, once the worker opening it is done. */
static Dwarf *dw_of(struct dbg_dwarf *d)
{
	if (d->working) {
		pthread_join(d->worker, NULL);
		d->working = false;
	}
	return d->dw;
}

int dbg_dwarf_open(struct dbg_dwarf **out, const char *path, struct dbg_err *err)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dbg_err_errno(err, -errno, "cannot open %s", path);
	struct dbg_dwarf *d = calloc(1, sizeof(*d));
	if (!d || !(d->path = strdup(path))) {
		free(d);
		close(fd);
		return dbg_err_errno(err, -ENOMEM, "cannot load DWARF of %s", path);
	}
	d->fd = fd;
	elf_version(EV_CURRENT);
	/*
	 * Inflating and opening take a few milliseconds (a go1.19 hello: 11
	 * million instructions): a file that has DWARF is opened by a worker
	 * thread while the caller goes on (a program is launched meanwhile),
	 * joined at the first use of the handle.
	 */
	int has = has_dwarf(fd);
	if (has == 1) {
		/* every signal blocked in the worker: the process's signals
		 * (SIGCHLD ending a wait's ppoll, Ctrl-C, a resize) are for the
		 * caller's thread */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		d->working = pthread_create(&d->worker, NULL, begin_worker, d) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (has != 0 && !d->working)
		begin(d);
	if (!d->working && !d->dw) {
		free(d->path);
		free(d);
		close(fd);
		return dbg_err_set(err, -ENODATA, "%s has no DWARF debug info", path);
	}
	d->void_type.kind = DBG_TYPE_VOID;
	d->void_type.name = "void";
	*out = d;
	return 0;
}

void dbg_dwarf_free(struct dbg_dwarf *d)
{
	if (!d)
		return;
	if (d->cfi_eh)
		dwarf_cfi_end(d->cfi_eh);
	dwarf_end(dw_of(d));
	if (d->elf)
		elf_end(d->elf);
	if (d->map)
		munmap(d->map, d->map_len);
	close(d->fd);
	while (d->arena) {
		struct arena_block *n = d->arena->next;
		free(d->arena);
		d->arena = n;
	}
	free(d->names);
	free(d->nhash);
	free(d->vars);
	free(d->types);
	free(d->path);
	free(d);
}

void dbg_dwarf_set_bias(struct dbg_dwarf *d, uint64_t bias)
{
	d->bias = bias;
}

uint64_t dbg_dwarf_bias(const struct dbg_dwarf *d)
{
	return d->bias;
}

bool dbg_dwarf_outermost(struct dbg_dwarf *d, uint64_t pc)
{
	if (!d->cfi_read) {
		d->cfi_read = true;
		d->cfi = dwarf_getcfi(dw_of(d));
		Elf *elf = dwarf_getelf(dw_of(d));
		d->cfi_eh = elf ? dwarf_getcfi_elf(elf) : NULL;
	}
	Dwarf_CFI *v[2] = { d->cfi_eh, d->cfi };
	for (size_t i = 0; i < 2; i++) {
		Dwarf_Frame *fr;
		if (!v[i] || pc < d->bias || dwarf_cfi_addrframe(v[i], pc - d->bias, &fr) != 0)
			continue;
		Dwarf_Op mem[3], *ops = NULL;
		size_t nops = 1;
		int ra = dwarf_frame_info(fr, NULL, NULL, NULL);
		bool undef = ra >= 0 && dwarf_frame_register(fr, ra, mem, &ops, &nops) == 0 &&
			     nops == 0 && ops == mem;
		free(fr);
		return undef;
	}
	return false;
}

Dwarf *dbg_dwarf_libdw(struct dbg_dwarf *d)
{
	return dw_of(d);
}

/* ---- index -------------------------------------------------------------- */

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The slot of name: its first entry + 1, or the empty slot it would take. */
static uint32_t *name_slot(const struct dbg_dwarf *d, const char *name)
{
	size_t mask = d->nhash_cap - 1, j = hash_name(name) & mask;
	while (d->nhash[j] && strcmp(d->names[d->nhash[j] - 1].name, name) != 0)
		j = (j + 1) & mask;
	return &d->nhash[j];
}

/* The hash of the names: each name's entries chained in DIE order. */
static void hash_names(struct dbg_dwarf *d)
{
	size_t cap = 16;
	while (cap < d->nnames * 2)
		cap *= 2;
	d->nhash = calloc(cap, sizeof(*d->nhash));
	if (!d->nhash)
		abort();
	d->nhash_cap = cap;
	uint32_t *tail = calloc(cap, sizeof(*tail)); /* last entry + 1, by slot */
	if (!tail)
		abort();
	for (size_t i = 0; i < d->nnames; i++) {
		uint32_t *slot = name_slot(d, d->names[i].name);
		size_t j = (size_t)(slot - d->nhash);
		if (*slot)
			d->names[tail[j] - 1].next = (uint32_t)i + 1;
		else
			*slot = (uint32_t)i + 1;
		tail[j] = (uint32_t)i + 1;
	}
	free(tail);
}

static int cmp_var(const void *a, const void *b)
{
	const struct var *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void add_name(struct dbg_dwarf *d, const char *name, Dwarf_Off off, int rank)
{
	d->names = dbg_grow(d->names, &d->names_cap, d->nnames + 1, sizeof(*d->names));
	d->names[d->nnames++] = (struct named){ name, off, rank, 0 };
}

static void add_var(struct dbg_dwarf *d, uint64_t addr, Dwarf_Off off)
{
	d->vars = dbg_grow(d->vars, &d->vars_cap, d->nvars + 1, sizeof(*d->vars));
	d->vars[d->nvars++] = (struct var){ addr, off };
}

/* The static address of a variable whose location is DW_OP_addr X. */
static bool var_addr(Dwarf_Die *die, uint64_t *addr)
{
	Dwarf_Attribute at;
	if (!dwarf_attr(die, DW_AT_location, &at))
		return false;
	Dwarf_Op *ops;
	size_t nops;
	if (dwarf_getlocation(&at, &ops, &nops) == 0) {
		if (nops != 1 || ops[0].atom != DW_OP_addr)
			return false;
		*addr = ops[0].number;
		return true;
	}
	/* Go writes DWARF 4 locations as plain blocks, which libdw's
	 * location reader refuses: decode DW_OP_addr by hand. */
	Dwarf_Block b;
	if (dwarf_formblock(&at, &b) != 0 || b.length != 9 || b.data[0] != DW_OP_addr)
		return false;
	uint64_t a;
	memcpy(&a, b.data + 1, 8);
	*addr = a;
	return true;
}

/* The tags of the named types the index keeps. */
static bool named_type_tag(uint64_t tag)
{
	switch (tag) {
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_base_type:
	case DW_TAG_typedef:
	case DW_TAG_enumeration_type:
	case DW_TAG_pointer_type:
	case DW_TAG_array_type:
		return true;
	default:
		return false;
	}
}

static void index_die(struct dbg_dwarf *d, Dwarf_Die *die)
{
	int tag = dwarf_tag(die);
	if (named_type_tag((uint64_t)tag)) {
		const char *name = dwarf_diename(die);
		if (!name)
			return;
		Dwarf_Attribute at;
		int rank = dwarf_hasattr(die, DW_AT_declaration) ? 0 : 2;
		if (tag == DW_TAG_typedef)
			rank = 1; /* the struct itself beats a typedef of it */
		else if (rank && !dwarf_attr(die, DW_AT_byte_size, &at) &&
			 tag != DW_TAG_pointer_type && tag != DW_TAG_array_type)
			rank = 1;
		add_name(d, name, dwarf_dieoffset(die), rank);
	} else if (tag == DW_TAG_variable) {
		uint64_t a;
		if (var_addr(die, &a))
			add_var(d, a, dwarf_dieoffset(die));
	}
}

/* ---- skipping a DIE's children ------------------------------------------ */

/*
 * Go writes no DW_AT_sibling, so libdw's dwarf_siblingof steps over a
 * function's DIE by decoding every attribute of every DIE under it. The
 * index only needs where the next top-level DIE starts: the raw DIEs are
 * skipped here by the sizes of their forms, from the unit's abbreviations.
 * Anything not understood (a form, an abbreviation, a bound) gives up, and
 * dwarf_siblingof does the step. A unit whose abbreviations use
 * DW_FORM_implicit_const (GCC's DWARF 5) is left to dwarf_siblingof.
 */
struct raw_abbrev {
	bool known, children;
	uint32_t tag;
	uint32_t first, n; /* forms: raw_skip.forms[first .. first + n) */
};

struct raw_skip {
	bool ok;
	const uint8_t *info, *abbrev;
	size_t info_len, abbrev_len;
	Dwarf_Off abbrev_off; /* of the table below; (Dwarf_Off)-1: none */
	struct raw_abbrev *ab;
	size_t nab;
	uint16_t *forms; /* DW_FORM_implicit_const is refused, so a form is all */
	size_t nforms, forms_cap;
	/* the unit being indexed */
	uint8_t addr_size, off_size;
	uint16_t version;
	Dwarf_Off unit_end;
};

static bool uleb(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t r = 0;
	for (unsigned sh = 0; *p < end && sh < 64; sh += 7) {
		uint8_t b = *(*p)++;
		r |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

static const uint8_t *section_data(Elf *elf, size_t shstrndx, const char *want, size_t *len)
{
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			return NULL;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, want) != 0)
			continue;
		/* libdw inflated it in place when it opened the file */
		if (sh.sh_flags & SHF_COMPRESSED)
			return NULL;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			return NULL;
		*len = data->d_size;
		return data->d_buf;
	}
	return NULL;
}

static void raw_init(struct raw_skip *r, Dwarf *dw)
{
	memset(r, 0, sizeof(*r));
	r->abbrev_off = (Dwarf_Off)-1;
	Elf *elf = dwarf_getelf(dw);
	size_t shstrndx;
	if (!elf || elf_getshdrstrndx(elf, &shstrndx) < 0)
		return;
	r->info = section_data(elf, shstrndx, ".debug_info", &r->info_len);
	r->abbrev = section_data(elf, shstrndx, ".debug_abbrev", &r->abbrev_len);
	r->ok = r->info && r->abbrev;
}

static void raw_free(struct raw_skip *r)
{
	free(r->ab);
	free(r->forms);
}

/* The abbreviation table at off of .debug_abbrev; false if not read. */
static bool raw_abbrevs(struct raw_skip *r, Dwarf_Off off)
{
	if (off == r->abbrev_off)
		return true;
	r->abbrev_off = (Dwarf_Off)-1;
	for (size_t i = 0; i < r->nab; i++)
		r->ab[i].known = false;
	r->nforms = 0;
	if (off >= r->abbrev_len)
		return false;
	const uint8_t *p = r->abbrev + off, *end = r->abbrev + r->abbrev_len;
	for (;;) {
		uint64_t code, tag, name, form;
		if (!uleb(&p, end, &code))
			return false;
		if (code == 0)
			break;
		if (code > 65536 || !uleb(&p, end, &tag) || p >= end)
			return false;
		bool children = *p++ != 0;
		if (code >= r->nab) {
			size_t n = code + 1 > r->nab * 2 ? code + 1 : r->nab * 2;
			struct raw_abbrev *ab = realloc(r->ab, n * sizeof(*ab));
			if (!ab)
				abort();
			memset(ab + r->nab, 0, (n - r->nab) * sizeof(*ab));
			r->ab = ab;
			r->nab = n;
		}
		struct raw_abbrev *a = &r->ab[code];
		a->known = true;
		a->children = children;
		a->tag = (uint32_t)tag;
		a->first = (uint32_t)r->nforms;
		for (;;) {
			if (!uleb(&p, end, &name) || !uleb(&p, end, &form))
				return false;
			if (name == 0 && form == 0)
				break;
			if (form == DW_FORM_implicit_const || form > 0xffff)
				return false;
			r->forms =
				dbg_grow(r->forms, &r->forms_cap, r->nforms + 1, sizeof(*r->forms));
			r->forms[r->nforms++] = (uint16_t)form;
		}
		a->n = (uint32_t)(r->nforms - a->first);
	}
	r->abbrev_off = off;
	return true;
}

/* Past one attribute of form at *p; false if the form is not known. */
static bool raw_form(const struct raw_skip *r, uint64_t form, const uint8_t **p, const uint8_t *end)
{
	uint64_t n;
	size_t k;
	switch (form) {
	case DW_FORM_flag_present:
		return true;
	case DW_FORM_addr:
		k = r->addr_size;
		break;
	case DW_FORM_data1:
	case DW_FORM_ref1:
	case DW_FORM_flag:
	case DW_FORM_strx1:
	case DW_FORM_addrx1:
		k = 1;
		break;
	case DW_FORM_data2:
	case DW_FORM_ref2:
	case DW_FORM_strx2:
	case DW_FORM_addrx2:
		k = 2;
		break;
	case DW_FORM_strx3:
	case DW_FORM_addrx3:
		k = 3;
		break;
	case DW_FORM_data4:
	case DW_FORM_ref4:
	case DW_FORM_strx4:
	case DW_FORM_addrx4:
	case DW_FORM_ref_sup4:
		k = 4;
		break;
	case DW_FORM_data8:
	case DW_FORM_ref8:
	case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		k = 8;
		break;
	case DW_FORM_data16:
		k = 16;
		break;
	case DW_FORM_ref_addr:
		k = r->version <= 2 ? r->addr_size : r->off_size;
		break;
	case DW_FORM_strp:
	case DW_FORM_line_strp:
	case DW_FORM_sec_offset:
	case DW_FORM_strp_sup:
	case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		k = r->off_size;
		break;
	case DW_FORM_sdata:
	case DW_FORM_udata:
	case DW_FORM_ref_udata:
	case DW_FORM_strx:
	case DW_FORM_addrx:
	case DW_FORM_loclistx:
	case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index:
		return uleb(p, end, &n);
	case DW_FORM_string: {
		const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
		if (!z)
			return false;
		*p = z + 1;
		return true;
	}
	case DW_FORM_block1:
		if (*p >= end)
			return false;
		k = 1 + (size_t) * *p;
		break;
	case DW_FORM_block2:
		if (end - *p < 2)
			return false;
		k = 2 + (size_t)((*p)[0] | (*p)[1] << 8);
		break;
	case DW_FORM_block4:
		if (end - *p < 4)
			return false;
		k = 4 + (size_t)((uint32_t)(*p)[0] | (uint32_t)(*p)[1] << 8 |
				 (uint32_t)(*p)[2] << 16 | (uint32_t)(*p)[3] << 24);
		break;
	case DW_FORM_block:
	case DW_FORM_exprloc:
		if (!uleb(p, end, &n) || n > (uint64_t)(end - *p))
			return false;
		k = (size_t)n;
		break;
	default: /* DW_FORM_indirect and anything newer */
		return false;
	}
	if ((size_t)(end - *p) < k)
		return false;
	*p += k;
	return true;
}

/* The offset of the DIE after die and all its children (its sibling, or
 * the 0 that ends its parent's children); false if not worked out. */
static bool raw_after(const struct raw_skip *r, Dwarf_Off off, Dwarf_Off *out)
{
	if (off >= r->unit_end || r->unit_end > r->info_len)
		return false;
	const uint8_t *p = r->info + off, *end = r->info + r->unit_end;
	unsigned depth = 0;
	do {
		uint64_t code;
		if (!uleb(&p, end, &code))
			return false;
		if (code == 0) {
			if (!depth)
				return false;
			depth--;
			continue;
		}
		if (code >= r->nab || !r->ab[code].known)
			return false;
		const struct raw_abbrev *a = &r->ab[code];
		for (uint32_t i = 0; i < a->n; i++)
			if (!raw_form(r, r->forms[a->first + i], &p, end))
				return false;
		if (a->children)
			depth++;
	} while (depth);
	*out = (Dwarf_Off)(p - r->info);
	return true;
}

/* Whether index_die may keep a DIE of tag (the others are not read). */
static bool indexed_tag(uint64_t tag)
{
	return named_type_tag(tag) || tag == DW_TAG_variable;
}

/* The top-level DIEs of a unit from child (its first) on, index_die on
 * those of an indexed tag: the others are skipped by their raw bytes,
 * without libdw, where that works. */
static void index_unit_raw(struct dbg_dwarf *d, const struct raw_skip *r, Dwarf_Die *child)
{
	Dwarf_Off o = dwarf_dieoffset(child);
	bool have_die = true; /* *child is the DIE at o */
	for (;;) {
		const uint8_t *p = r->info + o;
		uint64_t code;
		bool keep = true;
		if (o < r->unit_end && uleb(&p, r->info + r->unit_end, &code) && code < r->nab &&
		    r->ab[code].known)
			keep = indexed_tag(r->ab[code].tag);
		if (keep) {
			if (!have_die && !dwarf_offdie(d->dw, o, child))
				return;
			have_die = true;
			index_die(d, child);
		}
		Dwarf_Off nx;
		if (raw_after(r, o, &nx)) {
			if (nx >= r->unit_end || r->info[nx] == 0)
				return;
			o = nx;
			have_die = false;
			continue;
		}
		if (!have_die && !dwarf_offdie(d->dw, o, child))
			return;
		if (dwarf_siblingof(child, child) != 0)
			return;
		o = dwarf_dieoffset(child);
		have_die = true;
	}
}

static void build_index(struct dbg_dwarf *d)
{
	if (d->indexed)
		return;
	d->indexed = true;
	dw_of(d);
	struct raw_skip r;
	raw_init(&r, d->dw);
	Dwarf_Off off = 0, next, abbrev_off;
	size_t hsize;
	Dwarf_Half version;
	uint8_t addr_size, off_size;
	while (dwarf_next_unit(d->dw, off, &next, &hsize, &version, &abbrev_off, &addr_size,
			       &off_size, NULL, NULL) == 0) {
		Dwarf_Die cu, child;
		r.version = version;
		r.addr_size = addr_size;
		r.off_size = off_size;
		r.unit_end = next;
		bool raw = r.ok && raw_abbrevs(&r, abbrev_off);
		/* C++-style namespaces are not expected; Go and C keep globals
		 * and types at the top of each unit. */
		if (dwarf_offdie(d->dw, off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			if (raw)
				index_unit_raw(d, &r, &child);
			else
				do
					index_die(d, &child);
				while (dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	raw_free(&r);
	hash_names(d);
	/* qsort's pointer must not be NULL, even for no elements */
	if (d->nvars)
		qsort(d->vars, d->nvars, sizeof(*d->vars), cmp_var);
}

/* The best entry of name (a complete definition before a declaration or
 * a typedef; the first in DIE order among equals); want_struct: of a
 * struct, union or typedef only. */
static const struct named *find_name(struct dbg_dwarf *d, const char *name, bool want_struct)
{
	const struct named *best = NULL;
	for (uint32_t i = *name_slot(d, name); i; i = d->names[i - 1].next) {
		const struct named *n = &d->names[i - 1];
		if (want_struct) {
			Dwarf_Die die;
			if (!dwarf_offdie(d->dw, n->off, &die))
				continue;
			int tag = dwarf_tag(&die);
			if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type &&
			    tag != DW_TAG_typedef)
				continue;
		}
		if (!best || n->rank > best->rank)
			best = n;
	}
	return best;
}

/* ---- type model --------------------------------------------------------- */

static struct dbg_type **type_slot(struct dbg_dwarf *d, Dwarf_Off off, bool insert)
{
	if (insert && (d->ntypes + 1) * 2 > d->types_cap) {
		size_t cap = d->types_cap ? d->types_cap * 2 : 1024;
		struct type_slot *nt = calloc(cap, sizeof(*nt));
		if (!nt)
			abort();
		for (size_t i = 0; i < d->types_cap; i++) {
			if (!d->types[i].off)
				continue;
			size_t h = (size_t)(d->types[i].off * 0x9e3779b97f4a7c15ull) & (cap - 1);
			while (nt[h].off)
				h = (h + 1) & (cap - 1);
			nt[h] = d->types[i];
		}
		free(d->types);
		d->types = nt;
		d->types_cap = cap;
	}
	if (!d->types_cap)
		return NULL;
	size_t h = (size_t)(off * 0x9e3779b97f4a7c15ull) & (d->types_cap - 1);
	while (d->types[h].off && d->types[h].off != off)
		h = (h + 1) & (d->types_cap - 1);
	if (d->types[h].off == off)
		return &d->types[h].type;
	if (!insert)
		return NULL;
	d->types[h].off = off;
	d->ntypes++;
	return &d->types[h].type;
}

static const struct dbg_type *build_type(struct dbg_dwarf *d, Dwarf_Die *die);

static const struct dbg_type *type_of(struct dbg_dwarf *d, Dwarf_Die *die)
{
	Dwarf_Attribute at;
	Dwarf_Die t;
	if (!dwarf_attr_integrate(die, DW_AT_type, &at) || !dwarf_formref_die(&at, &t))
		return &d->void_type;
	return build_type(d, &t);
}

static uint64_t udata(Dwarf_Die *die, unsigned name, uint64_t def)
{
	Dwarf_Attribute at;
	Dwarf_Word w;
	if (!dwarf_attr_integrate(die, name, &at) || dwarf_formudata(&at, &w) != 0)
		return def;
	return w;
}

static uint64_t member_offset(Dwarf_Die *m)
{
	Dwarf_Attribute at;
	if (!dwarf_attr(m, DW_AT_data_member_location, &at))
		return 0;
	Dwarf_Word w;
	if (dwarf_formudata(&at, &w) == 0)
		return w;
	Dwarf_Op *ops;
	size_t n;
	if (dwarf_getlocation(&at, &ops, &n) == 0 && n == 1 && ops[0].atom == DW_OP_plus_uconst)
		return ops[0].number;
	return 0;
}

/* Array dimensions from subrange children; builds nested arrays for C's
 * multi-dimensional ones. */
static const struct dbg_type *build_array(struct dbg_dwarf *d, Dwarf_Die *die, struct dbg_type *t)
{
	const struct dbg_type *elem = type_of(d, die);
	uint64_t counts[8];
	size_t ndim = 0;
	Dwarf_Die c;
	if (dwarf_child(die, &c) == 0) {
		do {
			if (dwarf_tag(&c) != DW_TAG_subrange_type || ndim == 8)
				continue;
			uint64_t cnt = udata(&c, DW_AT_count, UINT64_MAX);
			if (cnt == UINT64_MAX) {
				/* libdw sign-extends data1 through formsdata
				 * (255 would read as -1): unsigned unless the
				 * form says signed */
				Dwarf_Attribute at;
				Dwarf_Word ub;
				Dwarf_Sword sb;
				cnt = 0;
				bool has = dwarf_attr(&c, DW_AT_upper_bound, &at) != NULL;
				if (has && dwarf_whatform(&at) == DW_FORM_sdata) {
					if (dwarf_formsdata(&at, &sb) == 0 && sb >= 0)
						cnt = (uint64_t)sb + 1;
				} else if (has && dwarf_formudata(&at, &ub) == 0) {
					cnt = ub + 1;
				}
			}
			counts[ndim++] = cnt;
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	if (ndim == 0)
		counts[ndim++] = 0;
	/* innermost first */
	for (size_t i = ndim; i-- > 1;) {
		struct dbg_type *inner = arena_alloc(d, sizeof(*inner));
		inner->kind = DBG_TYPE_ARRAY;
		inner->target = elem;
		inner->count = counts[i];
		inner->size = elem->size * counts[i];
		elem = inner;
	}
	t->kind = DBG_TYPE_ARRAY;
	t->target = elem;
	t->count = counts[0];
	t->size = udata(die, DW_AT_byte_size, elem->size * counts[0]);
	return t;
}

static const struct dbg_type *build_type(struct dbg_dwarf *d, Dwarf_Die *die)
{
	Dwarf_Off off = dwarf_dieoffset(die);
	struct dbg_type **slot = type_slot(d, off, false);
	if (slot && *slot)
		return *slot;

	int tag = dwarf_tag(die);
	const char *name = dwarf_diename(die);
	switch (tag) {
	case DW_TAG_typedef:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type: {
		/* Transparent: intern the DIE to the type it stands for. Peel
		 * the chain of such DIEs here rather than by recursion, so that
		 * a struct reached through one is slotted before its members
		 * are built: Go's *runtime.g points at the typedef runtime.g,
		 * and g's members lead back to it through *runtime.m. A loop
		 * of typedefs alone ends as void. */
		Dwarf_Die cur = *die;
		const struct dbg_type *target = &d->void_type;
		for (int depth = 0; depth < 16; depth++) {
			Dwarf_Attribute at;
			Dwarf_Die next;
			if (!dwarf_attr_integrate(&cur, DW_AT_type, &at) ||
			    !dwarf_formref_die(&at, &next))
				break;
			int nt = dwarf_tag(&next);
			if (nt != DW_TAG_typedef && nt != DW_TAG_const_type &&
			    nt != DW_TAG_volatile_type && nt != DW_TAG_restrict_type &&
			    nt != DW_TAG_atomic_type) {
				target = build_type(d, &next);
				break;
			}
			struct dbg_type **done = type_slot(d, dwarf_dieoffset(&next), false);
			if (done && *done) {
				target = *done;
				break;
			}
			cur = next;
		}
		struct dbg_type *tt = (struct dbg_type *)target;
		if (tag == DW_TAG_typedef && name && !tt->name && tt != &d->void_type)
			tt->name = name;
		*type_slot(d, off, true) = tt;
		return tt;
	}
	default:
		break;
	}

	struct dbg_type *t = arena_alloc(d, sizeof(*t));
	*type_slot(d, off, true) = t;
	t->name = name;
	t->size = udata(die, DW_AT_byte_size, 0);
	switch (tag) {
	case DW_TAG_base_type: {
		uint64_t enc = udata(die, DW_AT_encoding, DW_ATE_unsigned);
		switch (enc) {
		case DW_ATE_signed:
		case DW_ATE_signed_char:
			t->kind = DBG_TYPE_INT;
			break;
		case DW_ATE_boolean:
			t->kind = DBG_TYPE_BOOL;
			break;
		case DW_ATE_float:
			t->kind = DBG_TYPE_FLOAT;
			break;
		default:
			t->kind = DBG_TYPE_UINT;
			break;
		}
		break;
	}
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
		t->kind = DBG_TYPE_PTR;
		if (!t->size)
			t->size = 8;
		t->target = type_of(d, die);
		break;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type: {
		t->kind = tag == DW_TAG_union_type ? DBG_TYPE_UNION : DBG_TYPE_STRUCT;
		size_t n = 0;
		Dwarf_Die c;
		if (dwarf_child(die, &c) == 0) {
			do
				if (dwarf_tag(&c) == DW_TAG_member)
					n++;
			while (dwarf_siblingof(&c, &c) == 0);
		}
		struct dbg_field *f = arena_alloc(d, (n ? n : 1) * sizeof(*f));
		t->fields = f;
		t->nfields = n;
		size_t i = 0;
		if (n && dwarf_child(die, &c) == 0) {
			do {
				if (dwarf_tag(&c) != DW_TAG_member)
					continue;
				const char *fn = dwarf_diename(&c);
				f[i].name = fn ? fn : "";
				f[i].offset = tag == DW_TAG_union_type ? 0 : member_offset(&c);
				f[i].type = type_of(d, &c);
				i++;
			} while (dwarf_siblingof(&c, &c) == 0 && i < n);
		}
		break;
	}
	case DW_TAG_array_type:
		return build_array(d, die, t);
	case DW_TAG_enumeration_type:
		t->kind = DBG_TYPE_ENUM;
		break;
	case DW_TAG_subroutine_type:
		t->kind = DBG_TYPE_FUNC;
		break;
	default:
		t->kind = DBG_TYPE_VOID;
		break;
	}
	return t;
}

static const struct named *lookup_either(struct dbg_dwarf *d, const char *name, bool want_struct)
{
	build_index(d);
	const struct named *n = find_name(d, name, want_struct);
	if (n)
		return n;
	if (strncmp(name, "runtime.", 8) == 0)
		return find_name(d, name + 8, want_struct);
	char buf[256];
	if (snprintf(buf, sizeof(buf), "runtime.%s", name) >= (int)sizeof(buf))
		return NULL;
	return find_name(d, buf, want_struct);
}

const struct dbg_type *dbg_dwarf_type(struct dbg_dwarf *d, const char *name)
{
	if (strncmp(name, "struct ", 7) == 0)
		return dbg_dwarf_struct(d, name + 7);
	const struct named *n = lookup_either(d, name, false);
	Dwarf_Die die;
	if (!n || !dwarf_offdie(dw_of(d), n->off, &die))
		return NULL;
	return build_type(d, &die);
}

const struct dbg_type *dbg_dwarf_struct(struct dbg_dwarf *d, const char *name)
{
	const struct named *n = lookup_either(d, name, true);
	Dwarf_Die die;
	if (!n || !dwarf_offdie(dw_of(d), n->off, &die))
		return NULL;
	const struct dbg_type *t = build_type(d, &die);
	if (t->kind != DBG_TYPE_STRUCT && t->kind != DBG_TYPE_UNION)
		return NULL;
	return t;
}

const struct dbg_field *dbg_type_member(const struct dbg_type *t, const char *name)
{
	if (!t || (t->kind != DBG_TYPE_STRUCT && t->kind != DBG_TYPE_UNION))
		return NULL;
	for (size_t i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

static const char *tname(const struct dbg_type *t)
{
	return t && t->name ? t->name : "(anonymous)";
}

int dbg_type_field(const struct dbg_type *t, const char *path, uint64_t *off,
		   const struct dbg_type **ft, struct dbg_err *err)
{
	uint64_t o = 0;
	const char *p = path;
	while (*p) {
		/* identifier */
		const char *s = p;
		while (*p && *p != '.' && *p != '[')
			p++;
		size_t len = (size_t)(p - s);
		if (len) {
			char name[128];
			if (len >= sizeof(name))
				return dbg_err_set(err, -EINVAL, "field name too long in '%s'",
						   path);
			memcpy(name, s, len);
			name[len] = '\0';
			if (t->kind == DBG_TYPE_PTR)
				return dbg_err_set(err, -EINVAL,
						   "cannot take field '%s' of pointer type %s without a read",
						   name, tname(t));
			const struct dbg_field *f = dbg_type_member(t, name);
			if (!f)
				return dbg_err_set(err, -ENOENT, "no field '%s' in %s", name,
						   tname(t));
			o += f->offset;
			t = f->type;
		} else if (*p != '[') {
			return dbg_err_set(err, -EINVAL, "bad field path '%s'", path);
		}
		/* indices */
		while (*p == '[') {
			char *end;
			unsigned long long idx = strtoull(p + 1, &end, 0);
			if (end == p + 1 || *end != ']')
				return dbg_err_set(err, -EINVAL, "bad index in '%s'", path);
			if (t->kind != DBG_TYPE_ARRAY)
				return dbg_err_set(err, -EINVAL, "cannot index %s: not an array",
						   tname(t));
			if (t->count && idx >= t->count)
				return dbg_err_set(err, -ERANGE,
						   "index %llu out of range [0, %" PRIu64 ")", idx,
						   t->count);
			o += idx * t->target->size;
			t = t->target;
			p = end + 1;
		}
		if (*p == '.')
			p++;
		else if (*p)
			return dbg_err_set(err, -EINVAL, "bad field path '%s'", path);
	}
	*off = o;
	if (ft)
		*ft = t;
	return 0;
}

int dbg_dwarf_field(struct dbg_dwarf *d, const char *sname, const char *path, uint64_t *off,
		    uint64_t *size, struct dbg_err *err)
{
	const struct dbg_type *t = dbg_dwarf_struct(d, sname);
	if (!t)
		return dbg_err_set(err, -ENOENT, "no struct %s in the DWARF of %s", sname, d->path);
	const struct dbg_type *ft;
	int rc = dbg_type_field(t, path, off, &ft, err);
	if (rc < 0)
		return rc;
	if (size)
		*size = ft->size;
	return 0;
}

const struct dbg_type *dbg_dwarf_var_type(struct dbg_dwarf *d, uint64_t addr, const char **name)
{
	build_index(d);
	uint64_t a = addr - d->bias;
	size_t lo = 0, hi = d->nvars;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->vars[mid].addr < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= d->nvars || d->vars[lo].addr != a)
		return NULL;
	Dwarf_Die die;
	if (!dwarf_offdie(dw_of(d), d->vars[lo].off, &die))
		return NULL;
	if (name) {
		Dwarf_Attribute at;
		const char *n = NULL;
		if (dwarf_attr_integrate(&die, DW_AT_name, &at))
			n = dwarf_formstring(&at);
		*name = n;
	}
	return type_of(d, &die);
}

void dbg_type_describe(const struct dbg_type *t, char *buf, size_t n)
{
	if (!t) {
		snprintf(buf, n, "?");
		return;
	}
	switch (t->kind) {
	case DBG_TYPE_PTR: {
		char inner[128];
		if (t->name) {
			snprintf(buf, n, "%s", t->name);
			return;
		}
		dbg_type_describe(t->target, inner, sizeof(inner));
		snprintf(buf, n, "*%s", inner);
		return;
	}
	case DBG_TYPE_ARRAY: {
		char inner[128];
		dbg_type_describe(t->target, inner, sizeof(inner));
		snprintf(buf, n, "[%" PRIu64 "]%s", t->count, inner);
		return;
	}
	case DBG_TYPE_STRUCT:
		snprintf(buf, n, "%s%s", t->name && !strchr(t->name, '.') ? "struct " : "",
			 tname(t));
		return;
	case DBG_TYPE_UNION:
		snprintf(buf, n, "union %s", tname(t));
		return;
	case DBG_TYPE_VOID:
		snprintf(buf, n, "void");
		return;
	default:
		snprintf(buf, n, "%s", t->name ? t->name : "?");
		return;
	}
}
