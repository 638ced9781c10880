/* bps — the breakpoint list and the int3 sites (see bps.h). */
#include "bps.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

void dbg_bps_init(struct dbg_bps *b)
{
	*b = (struct dbg_bps){ .next_id = 1 };
}

void dbg_bps_release(struct dbg_bps *b)
{
	for (size_t i = 0; i < b->n; i++)
		free((char *)b->v[i].spec);
	free(b->v);
	for (size_t i = 0; i < b->nw; i++)
		free(b->w[i].expr);
	free(b->w);
	free(b->sites);
	for (size_t i = 0; i < b->nc; i++)
		free(b->c[i].spec);
	free(b->c);
	dbg_bps_init(b);
}

const struct dbg_bp *dbg_bps_at(const struct dbg_bps *b, uint64_t addr)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].enabled && !b->v[i].pending && b->v[i].addr == addr)
			return &b->v[i];
	return NULL;
}

const struct dbg_bp *dbg_bps_placed(const struct dbg_bps *b, uint64_t addr)
{
	for (size_t i = 0; i < b->n; i++)
		if (!b->v[i].pending && b->v[i].addr == addr)
			return &b->v[i];
	return NULL;
}

int dbg_bps_index(const struct dbg_bps *b, int id)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].id == id)
			return (int)i;
	return -1;
}

struct dbg_bp *dbg_bps_add(struct dbg_bps *b, uint64_t addr, bool temporary, bool pending)
{
	b->v = dbg_grow(b->v, &b->cap, b->n + 1, sizeof(*b->v));
	struct dbg_bp *bp = &b->v[b->n++];
	*bp = (struct dbg_bp){ .id = b->next_id++,
			       .addr = addr,
			       .temporary = temporary,
			       .enabled = true,
			       .pending = pending };
	return bp;
}

struct dbg_watch *dbg_bps_watch_add(struct dbg_bps *b, enum dbg_watch_kind kind, uint64_t addr,
				    unsigned len, const char *expr)
{
	b->w = dbg_grow(b->w, &b->wcap, b->nw + 1, sizeof(*b->w));
	struct dbg_watch *w = &b->w[b->nw++];
	*w = (struct dbg_watch){ .id = b->next_id++, .kind = kind, .addr = addr, .len = len };
	const char *e = expr ? expr : "";
	size_t l = strlen(e) + 1;
	w->expr = memcpy(dbg_xrealloc(NULL, l), e, l);
	return w;
}

int dbg_bps_watch_index(const struct dbg_bps *b, int id)
{
	for (size_t i = 0; i < b->nw; i++)
		if (b->w[i].id == id)
			return (int)i;
	return -1;
}

void dbg_bps_watch_remove(struct dbg_bps *b, size_t i)
{
	free(b->w[i].expr);
	memmove(&b->w[i], &b->w[i + 1], (b->nw - i - 1) * sizeof(*b->w));
	b->nw--;
}

void dbg_bps_remove(struct dbg_bps *b, size_t i)
{
	free((char *)b->v[i].spec);
	memmove(&b->v[i], &b->v[i + 1], (b->n - i - 1) * sizeof(*b->v));
	b->n--;
}

static char *copy_str(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(dbg_xrealloc(NULL, n), s, n);
}

struct dbg_catch *dbg_bps_catch_add(struct dbg_bps *b, bool temporary, const char *spec)
{
	b->c = dbg_grow(b->c, &b->ccap, b->nc + 1, sizeof(*b->c));
	struct dbg_catch *c = &b->c[b->nc++];
	*c = (struct dbg_catch){ .id = b->next_id++,
				 .temporary = temporary,
				 .enabled = true,
				 .any = spec == NULL,
				 .spec = spec ? copy_str(spec) : NULL };
	return c;
}

int dbg_bps_catch_index(const struct dbg_bps *b, int id)
{
	for (size_t i = 0; i < b->nc; i++)
		if (b->c[i].id == id)
			return (int)i;
	return -1;
}

void dbg_bps_catch_remove(struct dbg_bps *b, size_t i)
{
	free(b->c[i].spec);
	memmove(&b->c[i], &b->c[i + 1], (b->nc - i - 1) * sizeof(*b->c));
	b->nc--;
}

void dbg_catch_add(struct dbg_catch *c, uint64_t nr)
{
	if (nr < DBG_SYSCALL_MAX)
		c->set[nr / 64] |= 1ull << (nr % 64);
}

bool dbg_catch_has(const struct dbg_catch *c, uint64_t nr)
{
	if (c->any)
		return true;
	return nr < DBG_SYSCALL_MAX && (c->set[nr / 64] >> (nr % 64)) & 1;
}

struct dbg_catch *dbg_bps_catch_at(struct dbg_bps *b, uint64_t nr)
{
	for (size_t i = 0; i < b->nc; i++)
		if (b->c[i].enabled && dbg_catch_has(&b->c[i], nr))
			return &b->c[i];
	return NULL;
}

/* A site address's bit in site_filter. */
static unsigned site_bit(uint64_t addr)
{
	return (unsigned)((addr * 0x9e3779b97f4a7c15ull) >> 56);
}

struct dbg_site *dbg_bps_site(struct dbg_bps *b, uint64_t addr)
{
	unsigned h = site_bit(addr);
	if (!(b->site_filter[h / 64] & (1ull << (h % 64))))
		return NULL;
	for (size_t i = 0; i < b->nsites; i++)
		if (b->sites[i].addr == addr)
			return &b->sites[i];
	return NULL;
}

void dbg_bps_site_add(struct dbg_bps *b, uint64_t addr, uint8_t orig)
{
	if (!b->nsites)
		memset(b->site_filter, 0, sizeof(b->site_filter));
	unsigned h = site_bit(addr);
	b->site_filter[h / 64] |= 1ull << (h % 64);
	b->sites = dbg_grow(b->sites, &b->sites_cap, b->nsites + 1, sizeof(*b->sites));
	b->sites[b->nsites++] = (struct dbg_site){ addr, orig };
	if (!b->site_hi) {
		b->site_lo = addr;
		b->site_hi = addr + 1;
	} else if (addr < b->site_lo) {
		b->site_lo = addr;
	} else if (addr >= b->site_hi) {
		b->site_hi = addr + 1;
	}
}

void dbg_bps_site_remove(struct dbg_bps *b, struct dbg_site *st)
{
	*st = b->sites[--b->nsites];
}

void dbg_bps_hide(const struct dbg_bps *b, uint64_t addr, void *buf, size_t n)
{
	if (addr >= b->site_hi || addr + n <= b->site_lo)
		return;
	for (size_t i = 0; i < b->nsites; i++) {
		uint64_t a = b->sites[i].addr;
		if (a >= addr && a - addr < n)
			((uint8_t *)buf)[a - addr] = b->sites[i].orig;
	}
}
