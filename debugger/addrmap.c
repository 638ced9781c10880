/* addrmap — the process's ranges and what they are for (see addrmap.h). */
#include "addrmap.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf.h"
#include "elf.h"

/* Go's heap arenas on linux/amd64 (malloc.go): 64 MiB each, arena i at
 * i * heapArenaBytes + arenaBaseOffset. */
#define HEAP_ARENA_BYTES (64ull << 20)
#define ARENA_BASE_OFFSET 0xffff800000000000ull
#define MAX_ARENAS 4096

static void add_area(struct dbg_addrmap *am, const struct dbg_area *a)
{
	am->areas = dbg_grow(am->areas, &am->areas_cap, am->nareas + 1, sizeof(*am->areas));
	am->areas[am->nareas++] = *a;
}

static int cmp_area(const void *a, const void *b)
{
	const struct dbg_area *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	/* the larger first: an arena before the stacks in it */
	if (x->hi != y->hi)
		return x->hi > y->hi ? -1 : 1;
	return 0;
}

/* Every g the decoder knows with a stack. */
static void add_stacks(struct dbg_addrmap *am, const struct dbg_rt *rt)
{
	for (size_t i = 0; i < rt->ngs; i++) {
		const struct dbg_rt_g *g = &rt->gs[i];
		if (!g->stack_lo || g->stack_hi <= g->stack_lo)
			continue;
		struct dbg_area a = { .lo = g->stack_lo,
				      .hi = g->stack_hi,
				      .kind = DBG_AREA_G_STACK,
				      .goid = -1,
				      .m_id = -1,
				      .tid = -1,
				      .g = g->addr };
		for (size_t k = 0; k < rt->nms; k++) {
			if (rt->ms[k].g0 == g->addr)
				a.kind = DBG_AREA_G0_STACK;
			else if (rt->ms[k].gsignal == g->addr)
				a.kind = DBG_AREA_GSIGNAL_STACK;
			else
				continue;
			a.m_id = rt->ms[k].id;
			if (rt->ms[k].procid)
				a.tid = (int64_t)rt->ms[k].procid;
			break;
		}
		if (a.kind == DBG_AREA_G_STACK && g->addr == rt->g0) {
			a.kind = DBG_AREA_G0_STACK;
			a.m_id = 0;
		}
		if (a.kind == DBG_AREA_G0_STACK)
			snprintf(a.what, sizeof(a.what), "g0 stack of m%" PRId64, a.m_id);
		else if (a.kind == DBG_AREA_GSIGNAL_STACK)
			snprintf(a.what, sizeof(a.what), "gsignal stack of m%" PRId64, a.m_id);
		else {
			a.goid = g->goid;
			snprintf(a.what, sizeof(a.what), "stack of goroutine %" PRId64 "%s",
				 g->goid, g->status == DBG_G_DEAD ? " (dead)" : "");
		}
		add_area(am, &a);
	}
}

/* Go's heap arenas: runtime.mheap_.allArenas, through DWARF. */
static void add_arenas(struct dbg_addrmap *am, struct dbg_session *s)
{
	struct dbg_dwarf *d = dbg_session_dwarf(s);
	uint64_t mheap, off, arr = 0, len = 0;
	const struct dbg_type *t, *ft;
	if (!d || dbg_elf_lookup(dbg_session_elf(s), "runtime.mheap_", &mheap) < 0 ||
	    !(t = dbg_dwarf_var_type(d, mheap, NULL)) ||
	    dbg_type_field(t, "allArenas", &off, &ft, NULL) < 0 || ft->kind != DBG_TYPE_STRUCT)
		return;
	const struct dbg_field *fa = dbg_type_member(ft, "array");
	const struct dbg_field *fl = dbg_type_member(ft, "len");
	if (!fa || !fl || dbg_session_read_u64(s, mheap + off + fa->offset, &arr, NULL) < 0 ||
	    dbg_session_read_u64(s, mheap + off + fl->offset, &len, NULL) < 0 || !arr)
		return;
	if (len > MAX_ARENAS)
		len = MAX_ARENAS;
	/* arenaIdx is a uint: 8 bytes on amd64 */
	for (uint64_t i = 0; i < len; i++) {
		uint64_t idx;
		if (dbg_session_read_u64(s, arr + i * 8, &idx, NULL) < 0)
			return;
		struct dbg_area a = { .lo = idx * HEAP_ARENA_BYTES + ARENA_BASE_OFFSET,
				      .kind = DBG_AREA_ARENA,
				      .goid = -1,
				      .m_id = -1,
				      .tid = -1 };
		a.hi = a.lo + HEAP_ARENA_BYTES;
		snprintf(a.what, sizeof(a.what), "heap arena");
		add_area(am, &a);
	}
}

static const char *base_name(const char *p)
{
	const char *b = strrchr(p, '/');
	return b ? b + 1 : p;
}

static void append(char *buf, size_t n, const char *word)
{
	size_t l = strlen(buf);
	/* once each: "data/bss", not "data/data/bss" */
	for (const char *p = buf; (p = strstr(p, word)) != NULL; p++) {
		size_t w = strlen(word);
		if ((p == buf || p[-1] == '/') && (p[w] == '\0' || p[w] == '/'))
			return;
	}
	snprintf(buf + l, n - l, "%s%s", l ? "/" : "", word);
}

/* The kinds of the program's sections in [lo, hi): "text", "data/bss" … */
static bool image_kinds(const struct dbg_elf *e, uint64_t lo, uint64_t hi, char *buf, size_t n)
{
	buf[0] = '\0';
	for (size_t i = 0; i < dbg_elf_nsections(e); i++) {
		const struct dbg_section *sc = dbg_elf_section(e, i);
		if (!(sc->flags & SHF_ALLOC) || (sc->flags & SHF_TLS) || !sc->size ||
		    sc->addr + sc->size <= lo || sc->addr >= hi)
			continue;
		append(buf, n,
		       (sc->flags & SHF_EXECINSTR) ? "text" :
		       !(sc->flags & SHF_WRITE)    ? "rodata" :
		       sc->type == SHT_NOBITS      ? "bss" :
						     "data");
	}
	if (buf[0])
		return true;
	/* no section headers: the segments */
	for (size_t i = 0; i < dbg_elf_nsegments(e); i++) {
		const struct dbg_segment *g = dbg_elf_segment(e, i);
		if (g->type != PT_LOAD || g->vaddr + g->memsz <= lo || g->vaddr >= hi)
			continue;
		append(buf, n,
		       (g->flags & PF_X)  ? "text" :
		       !(g->flags & PF_W) ? "rodata" :
					    "data/bss");
	}
	return buf[0] != '\0';
}

static bool overlaps(const struct dbg_area *a, const struct dbg_map *m)
{
	return a->lo < m->end && a->hi > m->start;
}

static void name_map(struct dbg_session *s, const struct dbg_addrmap *am, const struct dbg_rt *rt,
		     const char *exe, struct dbg_addrmap_entry *e)
{
	const struct dbg_map *m = &e->map;
	const char *nm = m->name, *b = base_name(nm);
	char *w = e->what;
	size_t n = sizeof(e->what);

	if (strcmp(nm, "[stack]") == 0) {
		const struct dbg_rt_g *g0 = rt && rt->g0 ? dbg_rt_find_g(rt, rt->g0) : NULL;
		bool m0 = g0 && g0->stack_hi > m->start && g0->stack_lo < m->end;
		snprintf(w, n, m0 ? "OS stack, g0 stack of m0" : "OS stack");
	} else if (strcmp(nm, "[vdso]") == 0) {
		snprintf(w, n, "vdso");
	} else if (strncmp(nm, "[vvar", 5) == 0) {
		snprintf(w, n, "vvar");
	} else if (strcmp(nm, "[vsyscall]") == 0) {
		snprintf(w, n, "vsyscall");
	} else if (strcmp(nm, "[heap]") == 0) {
		snprintf(w, n, "brk heap");
	} else if ((nm[0] == '/' && strcmp(nm, exe) == 0) || (!nm[0] || nm[0] == '[')) {
		if ((nm[0] == '/' || !nm[0]) &&
		    image_kinds(dbg_session_elf(s), m->start, m->end, w, n))
			return;
		bool arena = false, runtime = false;
		for (size_t i = 0; i < am->nareas; i++) {
			if (!overlaps(&am->areas[i], m))
				continue;
			if (am->areas[i].kind == DBG_AREA_ARENA)
				arena = true;
			else
				runtime = true;
		}
		for (size_t i = 0; rt && !runtime && i < rt->ngs; i++)
			runtime = rt->gs[i].addr >= m->start && rt->gs[i].addr < m->end;
		snprintf(w, n, "%.63s",
			 arena   ? "heap arena" :
			 runtime ? "runtime heap" :
			 nm[0]   ? nm :
				   "anonymous");
	} else if (strncmp(b, "ld-", 3) == 0 || strncmp(b, "ld.so", 5) == 0) {
		snprintf(w, n, "ld.so");
	} else if (strncmp(b, "libc.so", 7) == 0 || strncmp(b, "libc-", 5) == 0) {
		snprintf(w, n, "libc");
	} else if (strstr(b, ".so")) {
		snprintf(w, n, "shared library");
	} else {
		snprintf(w, n, "file");
	}
}

int dbg_addrmap_read(struct dbg_session *s, const struct dbg_rt *rt, struct dbg_addrmap *am,
		     struct dbg_err *err)
{
	pid_t pid = dbg_session_pid(s);
	am->nmaps = am->nareas = am->nidx = 0;
	am->rt = rt != NULL;
	if (!pid)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	struct dbg_map *maps = NULL;
	size_t nmaps = 0;
	int rc = dbg_proc_maps(pid, &maps, &nmaps, err);
	if (rc < 0)
		return rc;
	char exe[PATH_MAX];
	if (!realpath(dbg_session_path(s), exe))
		snprintf(exe, sizeof(exe), "%s", dbg_session_path(s));

	if (rt)
		add_stacks(am, rt);
	add_arenas(am, s);
	qsort(am->areas, am->nareas, sizeof(*am->areas), cmp_area);

	am->maps = dbg_grow(am->maps, &am->maps_cap, nmaps ? nmaps : 1, sizeof(*am->maps));
	for (size_t i = 0; i < nmaps; i++) {
		struct dbg_addrmap_entry *e = &am->maps[am->nmaps++];
		memset(e, 0, sizeof(*e));
		e->map = maps[i];
		e->first = am->nidx;
		for (size_t k = 0; k < am->nareas; k++) {
			if (!overlaps(&am->areas[k], &e->map))
				continue;
			am->idx = dbg_grow(am->idx, &am->idx_cap, am->nidx + 1, sizeof(*am->idx));
			am->idx[am->nidx++] = k;
			e->n++;
		}
		name_map(s, am, rt, exe, e);
	}
	free(maps);
	return 0;
}

void dbg_addrmap_release(struct dbg_addrmap *am)
{
	free(am->maps);
	free(am->areas);
	free(am->idx);
	memset(am, 0, sizeof(*am));
}

const struct dbg_addrmap_entry *dbg_addrmap_map_at(const struct dbg_addrmap *am, uint64_t addr)
{
	for (size_t i = 0; i < am->nmaps; i++)
		if (addr >= am->maps[i].map.start && addr < am->maps[i].map.end)
			return &am->maps[i];
	return NULL;
}

const struct dbg_area *dbg_addrmap_area_at(const struct dbg_addrmap *am, uint64_t addr)
{
	const struct dbg_area *best = NULL;
	for (size_t i = 0; i < am->nareas; i++) {
		const struct dbg_area *a = &am->areas[i];
		if (addr >= a->lo && addr < a->hi && (!best || a->hi - a->lo < best->hi - best->lo))
			best = a;
	}
	return best;
}

const struct dbg_area *dbg_addrmap_arena_at(const struct dbg_addrmap *am, uint64_t addr)
{
	for (size_t i = 0; i < am->nareas; i++)
		if (am->areas[i].kind == DBG_AREA_ARENA && addr >= am->areas[i].lo &&
		    addr < am->areas[i].hi)
			return &am->areas[i];
	return NULL;
}

const char *dbg_addrmap_perms(const struct dbg_map *m, char *buf)
{
	buf[0] = m->r ? 'r' : '-';
	buf[1] = m->w ? 'w' : '-';
	buf[2] = m->x ? 'x' : '-';
	buf[3] = m->shared ? 's' : 'p';
	buf[4] = '\0';
	return buf;
}

void dbg_addrmap_field_path(const struct dbg_type *t, uint64_t off, char *buf, size_t n)
{
	size_t l = 0;
	buf[0] = '\0';
	for (int depth = 0; t && depth < 16 && l + 1 < n; depth++) {
		if (t->kind == DBG_TYPE_ARRAY && t->target && t->target->size) {
			uint64_t i = off / t->target->size;
			if (t->count && i >= t->count)
				return;
			l += (size_t)snprintf(buf + l, n - l, "[%" PRIu64 "]", i);
			off -= i * t->target->size;
			t = t->target;
		} else if (t->kind == DBG_TYPE_STRUCT || t->kind == DBG_TYPE_UNION) {
			const struct dbg_field *f = NULL;
			for (size_t i = 0; i < t->nfields; i++) {
				const struct dbg_field *c = &t->fields[i];
				uint64_t sz = c->type ? c->type->size : 0;
				if (off >= c->offset && off < c->offset + (sz ? sz : 1))
					f = c;
			}
			if (!f)
				return;
			if (f->name[0])
				l += (size_t)snprintf(buf + l, n - l, ".%s", f->name);
			off -= f->offset;
			t = f->type;
		} else {
			return;
		}
		if (l >= n)
			l = n - 1;
	}
}
