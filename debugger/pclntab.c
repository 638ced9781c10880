/* pclntab — Go's function table, go1.18 and later (see pclntab.h). */
#include "pclntab.h"

#include <errno.h>
#include <string.h>

enum { HDR_SIZE = 8 + 8 * 8 };

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t u64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

bool dbg_pcln_is_header(const uint8_t *p, size_t n)
{
	if (n < HDR_SIZE)
		return false;
	uint32_t magic = u32(p);
	return (magic == DBG_PCLN_MAGIC_118 || magic == DBG_PCLN_MAGIC_120) && p[4] == 0 &&
	       p[5] == 0 && (p[6] == 1 || p[6] == 2 || p[6] == 4) && p[7] == 8;
}

static int damaged(struct dbg_err *err, const char *what)
{
	return dbg_err_set(err, -EINVAL, "the Go function table is damaged (%s)", what);
}

int dbg_pcln_walk(const uint8_t *p, size_t n, uint64_t text_hint, dbg_pcln_fn *fn, void *arg,
		  int *go_since, struct dbg_err *err)
{
	if (n < HDR_SIZE)
		return damaged(err, "shorter than its header");
	if (!dbg_pcln_is_header(p, n))
		return dbg_err_set(err, -EINVAL,
				   "the Go function table has an unknown format (magic 0x%08x)",
				   u32(p));
	uint64_t nfunc = u64(p + 8), text = u64(p + 24), names = u64(p + 32), pcln = u64(p + 64);
	if (text == 0)
		text = text_hint;
	if (names >= n || pcln >= n)
		return damaged(err, "an offset past its end");
	if (nfunc > (n - pcln) / 8 - 1)
		return damaged(err, "more functions than it holds");
	const uint8_t *tab = p + pcln;
	for (uint64_t i = 0; i < nfunc; i++) {
		uint32_t entry = u32(tab + i * 8), funcoff = u32(tab + i * 8 + 4);
		uint32_t end = u32(tab + (i + 1) * 8);
		if (end < entry)
			return damaged(err, "functions out of order");
		if ((uint64_t)funcoff + 8 > n - pcln)
			return damaged(err, "a function record past its end");
		int32_t nameoff = (int32_t)u32(tab + funcoff + 4);
		if (nameoff < 0 || names + (uint64_t)nameoff >= n)
			return damaged(err, "a name past its end");
		const char *name = (const char *)p + names + nameoff;
		if (!memchr(name, 0, n - names - (uint64_t)nameoff))
			return damaged(err, "an unterminated name");
		if (fn)
			fn(arg, name, text + entry, text + end);
	}
	if (go_since)
		*go_since = u32(p) == DBG_PCLN_MAGIC_118 ? 118 : 120;
	return (int)nfunc;
}
