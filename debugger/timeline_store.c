/*
 * timeline_store — the page store (base image, view and state-at-last
 * copies, found by a hash) and the ring of encoded step records: appending,
 * dropping the oldest into the base image, applying a record's XOR deltas.
 */
#include "timeline_int.h"

/* ---- pages -------------------------------------------------------------- */

static size_t phash_slot(uint64_t addr, size_t cap)
{
	uint64_t h = (addr >> 12) * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 20) & (cap - 1);
}

struct page *tl_page_find(const struct dbg_timeline *tl, uint64_t addr)
{
	if (!tl->phash_cap)
		return NULL;
	for (size_t i = phash_slot(addr, tl->phash_cap);; i = (i + 1) & (tl->phash_cap - 1)) {
		uint32_t v = tl->phash[i];
		if (!v)
			return NULL;
		if (tl->pages[v - 1].addr == addr)
			return &tl->pages[v - 1];
	}
}

static void phash_put(struct dbg_timeline *tl, uint64_t addr, uint32_t idx)
{
	size_t i = phash_slot(addr, tl->phash_cap);
	while (tl->phash[i])
		i = (i + 1) & (tl->phash_cap - 1);
	tl->phash[i] = idx + 1;
}

/* Add a page (addr aligned, not yet present); base is taken over. */
struct page *tl_page_add(struct dbg_timeline *tl, uint64_t addr, uint8_t *base)
{
	if (base && tl_all_zero(base, PAGE)) {
		free(base);
		base = NULL;
	}
	if ((tl->npages + 1) * 2 > tl->phash_cap) {
		size_t cap = tl->phash_cap ? tl->phash_cap * 2 : 1024;
		free(tl->phash);
		tl->phash = calloc(cap, sizeof(*tl->phash));
		if (!tl->phash)
			abort();
		tl->phash_cap = cap;
		for (size_t i = 0; i < tl->npages; i++)
			phash_put(tl, tl->pages[i].addr, (uint32_t)i);
	}
	if (tl->npages == tl->pages_cap) {
		tl->pages_cap = tl->pages_cap ? tl->pages_cap * 2 : 256;
		tl->pages = dbg_xrealloc(tl->pages, tl->pages_cap * sizeof(*tl->pages));
	}
	struct page *p = &tl->pages[tl->npages];
	*p = (struct page){ .addr = addr, .base = base, .view = NULL, .cur = base };
	phash_put(tl, addr, (uint32_t)tl->npages);
	tl->npages++;
	if (base)
		tl->page_bytes += PAGE;
	return p;
}

void tl_views_clear(struct dbg_timeline *tl)
{
	for (size_t i = 0; i < tl->nviews; i++) {
		struct page *p = &tl->pages[tl->views[i]];
		free(p->view);
		p->view = NULL;
	}
	tl->nviews = 0;
}

void tl_pages_clear(struct dbg_timeline *tl)
{
	tl_views_clear(tl);
	for (size_t i = 0; i < tl->npages; i++) {
		if (tl->pages[i].cur != tl->pages[i].base)
			free(tl->pages[i].cur);
		free(tl->pages[i].base);
		free(tl->pages[i].ws);
	}
	tl->npages = 0;
	tl->page_bytes = 0;
	if (tl->phash)
		memset(tl->phash, 0, tl->phash_cap * sizeof(*tl->phash));
}

/* The page's contents at step last, its own copy, to be changed. */
static uint8_t *cur_own(struct page *pg)
{
	if (pg->cur && pg->cur != pg->base)
		return pg->cur;
	uint8_t *c = dbg_xrealloc(NULL, PAGE);
	if (pg->cur)
		memcpy(c, pg->cur, PAGE);
	else
		memset(c, 0, PAGE);
	pg->cur = c;
	return c;
}

bool tl_in_zero(const struct dbg_timeline *tl, uint64_t addr)
{
	for (size_t i = 0; i < tl->nzero; i++)
		if (addr >= tl->zero[i].addr && addr - tl->zero[i].addr < tl->zero[i].len)
			return true;
	return false;
}

void tl_zero_add(struct dbg_timeline *tl, uint64_t addr, uint64_t len)
{
	if (tl->nzero == tl->zero_cap) {
		tl->zero_cap = tl->zero_cap ? tl->zero_cap * 2 : 16;
		tl->zero = dbg_xrealloc(tl->zero, tl->zero_cap * sizeof(*tl->zero));
	}
	tl->zero[tl->nzero++] = (struct region){ addr, len };
}

/* ---- the record ring ---------------------------------------------------- */

/* The frame starting at logical position pos: its body and the position
 * after it. Frames are [uv L][body][uv L, bytes reversed]. */
int tl_frame_fwd(const struct dbg_timeline *tl, uint64_t pos, const uint8_t **body, size_t *len,
		 uint64_t *next)
{
	struct rd r = { tl->rec + (pos - tl->rbase), tl->rec + tl->rtail, false };
	const uint8_t *p0 = r.p;
	uint64_t l = tl_rd_uv(&r);
	size_t nh = (size_t)(r.p - p0);
	const uint8_t *b = tl_rd_bytes(&r, l);
	const uint8_t *t = r.bad ? NULL : tl_rd_bytes(&r, nh);
	if (r.bad || !t)
		return -EINVAL;
	/* the trailing copy is what frame_back reads: it must agree */
	for (size_t i = 0; i < nh; i++)
		if (t[i] != p0[nh - 1 - i])
			return -EINVAL;
	*body = b;
	*len = (size_t)l;
	*next = pos + nh + l + nh;
	return 0;
}

/* The frame ending at logical position pos. */
int tl_frame_back(const struct dbg_timeline *tl, uint64_t pos, const uint8_t **body, size_t *len,
		  uint64_t *start)
{
	const uint8_t *lo = tl->rec + tl->rhead, *q = tl->rec + (pos - tl->rbase);
	uint64_t l = 0;
	unsigned shift = 0;
	size_t nt = 0;
	uint8_t b;
	do {
		if (q <= lo || shift >= 64)
			return -EINVAL;
		b = *--q;
		l |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		nt++;
	} while (b & 0x80);
	if ((uint64_t)(q - lo) < l + nt)
		return -EINVAL;
	*body = q - l;
	*len = (size_t)l;
	*start = pos - nt - l - nt;
	return 0;
}

static uint8_t *materialize(struct dbg_timeline *tl, struct dbg_target *t, struct page *pg)
{
	if (pg->view)
		return pg->view;
	uint8_t *buf = dbg_xrealloc(NULL, PAGE);
	struct dbg_read v = { pg->addr, buf, PAGE };
	if (!tl->has_process || dbg_target_readv(t, &v, 1, NULL) < 0) {
		if (pg->base)
			memcpy(buf, pg->base, PAGE);
		else
			memset(buf, 0, PAGE);
	}
	if (tl->nviews == tl->views_cap) {
		tl->views_cap = tl->views_cap ? tl->views_cap * 2 : 64;
		tl->views = dbg_xrealloc(tl->views, tl->views_cap * sizeof(*tl->views));
	}
	tl->views[tl->nviews++] = (uint32_t)(pg - tl->pages);
	pg->view = buf;
	return buf;
}

void tl_xor_mem(struct dbg_timeline *tl, struct dbg_target *t, enum target tg, uint64_t addr,
		const uint8_t *x, size_t n)
{
	while (n) {
		uint64_t pa = addr & PAGE_MASK;
		size_t off = (size_t)(addr - pa), k = PAGE - off < n ? PAGE - off : n;
		struct page *pg = tl_page_at(tl, pa);
		if (!pg)
			pg = tl_page_add(tl, pa, NULL);
		uint8_t *dst;
		if (tg == TG_CUR) {
			memcpy(cur_own(pg) + off, x, k);
			addr += k;
			x += k;
			n -= k;
			continue;
		}
		if (tg == TG_VIEW) {
			dst = materialize(tl, t, pg);
		} else {
			if (pg->cur == pg->base && pg->base)
				cur_own(pg); /* the base changes, step last does not */
			if (!pg->base) {
				pg->base = calloc(1, PAGE);
				if (!pg->base)
					abort();
				tl->page_bytes += PAGE;
			}
			dst = pg->base;
		}
		for (size_t i = 0; i < k; i++)
			dst[off + i] ^= x[i];
		addr += k;
		x += k;
		n -= k;
	}
}

/*
 * The register part of a record body, applied to regs and tid forward
 * (dir 1: state k-1 becomes k) or backward (dir -1). Registers are stored
 * as old XOR new, rip as a difference. *rsp0 receives rsp before the step,
 * the base of the write addresses that follow in r.
 */
int tl_body_regs(struct rd *r, struct dbg_regs *regs, pid_t *tid, int dir, uint8_t *flags,
		 uint64_t *rsp0)
{
	*flags = tl_rd_u8(r);
	int64_t drip = tl_unzz(tl_rd_uv(r));
	uint8_t nregs = tl_rd_u8(r);
	*rsp0 = regs->rsp;
	for (uint8_t k = 0; k < nregs && !r->bad; k++) {
		uint8_t idx = tl_rd_u8(r);
		uint64_t x = tl_rd_uv(r);
		if (idx >= NREGS || idx == RIP)
			return -EINVAL;
		tl_words(regs)[idx] ^= x;
	}
	regs->rip += dir > 0 ? (uint64_t)drip : (uint64_t)-drip;
	if (dir < 0)
		*rsp0 = regs->rsp;
	if (*flags & F_TID)
		*tid ^= (pid_t)tl_rd_uv(r);
	return r->bad ? -EINVAL : 0;
}

/* Apply one record body to the view or the base state (memory as old XOR
 * new at rsp0-relative addresses). */
int tl_apply(struct dbg_timeline *tl, struct dbg_target *t, const uint8_t *body, size_t len,
	     int dir, enum target tg)
{
	struct dbg_regs *regs = tg == TG_VIEW ? &tl->view_regs : &tl->base_regs;
	pid_t *tid = tg == TG_VIEW ? &tl->view_tid : &tl->base_tid;
	struct dbg_regs nregs = *regs;
	pid_t ntid = *tid;
	struct rd r = { body, body + len, false };
	uint8_t flags;
	uint64_t rsp0;
	if (tl_body_regs(&r, &nregs, &ntid, dir, &flags, &rsp0) < 0)
		return -EINVAL;
	/* a damaged record changes nothing: check it whole first */
	struct rd w = r;
	uint64_t nw = 0;
	if (flags & F_MEM) {
		nw = tl_rd_uv(&r);
		for (uint64_t k = 0; k < nw && !r.bad; k++) {
			uint64_t addr = rsp0 + (uint64_t)tl_unzz(tl_rd_uv(&r));
			uint64_t n = tl_rd_uv(&r);
			if (tl_rd_bytes(&r, n) && addr + n < addr)
				r.bad = true;
		}
	}
	if (r.bad || r.p != r.end)
		return -EINVAL;
	*regs = nregs;
	*tid = ntid;
	if (flags & F_MEM) {
		tl_rd_uv(&w);
		for (uint64_t k = 0; k < nw; k++) {
			uint64_t addr = rsp0 + (uint64_t)tl_unzz(tl_rd_uv(&w));
			uint64_t n = tl_rd_uv(&w);
			tl_xor_mem(tl, t, tg, addr, tl_rd_bytes(&w, n), (size_t)n);
		}
	}
	return 0;
}

/* Fold the oldest record into the base image. */
static void drop_oldest(struct dbg_timeline *tl)
{
	const uint8_t *body;
	size_t len;
	uint64_t next;
	if (tl_frame_fwd(tl, tl_rec_start(tl), &body, &len, &next) < 0 ||
	    tl_apply(tl, NULL, body, len, 1, TG_BASE) < 0)
		abort(); /* records made by this process: a bug, not bad input */
	tl->rhead = (size_t)(next - tl->rbase);
	tl->first++;
	tl->dropped++;
	if (tl->view < tl->first) {
		tl->view = tl->first;
		tl->view_pos = tl_rec_start(tl);
	}
}

/* Room for need more bytes at the tail, within the limit: the oldest
 * records go in bulk (an eighth of the limit) so compaction stays rare. */
static void make_room(struct dbg_timeline *tl, size_t need)
{
	if (tl->rtail - tl->rhead + need > tl->limit) {
		size_t target = tl->limit - tl->limit / 8;
		while (tl->rhead < tl->rtail && tl->rtail - tl->rhead + need > target)
			drop_oldest(tl);
	}
	if (tl->rtail + need <= tl->rcap)
		return;
	if (tl->rhead) {
		memmove(tl->rec, tl->rec + tl->rhead, tl->rtail - tl->rhead);
		tl->rbase += tl->rhead;
		tl->rtail -= tl->rhead;
		tl->rhead = 0;
		if (tl->rtail + need <= tl->rcap)
			return;
	}
	size_t want = tl->rtail + need;
	size_t cap = tl->rcap ? tl->rcap * 2 : (size_t)64 << 10;
	if (cap < want)
		cap = want;
	if (cap > tl->limit && tl->limit >= want)
		cap = tl->limit;
	tl->rec = dbg_xrealloc(tl->rec, cap);
	tl->rcap = cap;
}

/* tl_frame_begin when the tail has no room yet. */
uint8_t *tl_frame_room(struct dbg_timeline *tl, size_t need)
{
	if (tl->rtail - tl->rhead + need > tl->limit)
		return NULL;
	make_room(tl, need);
	return tl->rec + tl->rtail + 1;
}

/* tl_frame_commit of a body of 128 bytes or more. */
void tl_frame_commit_long(struct dbg_timeline *tl, size_t n)
{
	uint8_t hdr[10];
	size_t nh = tl_put_uv(hdr, n);
	uint8_t *p = tl->rec + tl->rtail;
	memmove(p + nh, p + 1, n);
	for (size_t i = 0; i < nh; i++) {
		p[i] = hdr[i];
		p[nh + n + i] = hdr[nh - 1 - i];
	}
	tl->rtail += nh + n + nh;
}

void tl_append_frame(struct dbg_timeline *tl, const uint8_t *body, size_t n)
{
	uint8_t hdr[10];
	size_t nh = tl_put_uv(hdr, n);
	make_room(tl, nh + n + nh);
	uint8_t *p = tl->rec + tl->rtail;
	memcpy(p, hdr, nh);
	memcpy(p + nh, body, n);
	for (size_t i = 0; i < nh; i++)
		p[nh + n + i] = hdr[nh - 1 - i];
	tl->rtail += nh + n + nh;
}
