/*
 * timeline_codec — the varints, zigzag, bounds-checked reader and CRC-32 of
 * the record and file encodings (docs/timeline.md).
 */
#include "timeline_int.h"

/* ---- small helpers ------------------------------------------------------ */

uint64_t tl_rd_uv(struct rd *r)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end) {
			r->bad = true;
			return 0;
		}
		uint8_t b = *r->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

uint8_t tl_rd_u8(struct rd *r)
{
	if (r->p >= r->end) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

const uint8_t *tl_rd_bytes(struct rd *r, uint64_t n)
{
	if ((uint64_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	const uint8_t *q = r->p;
	r->p += n;
	return q;
}

uint64_t tl_rd_u64(struct rd *r)
{
	const uint8_t *q = tl_rd_bytes(r, 8);
	uint64_t v = 0;
	if (q)
		for (int i = 7; i >= 0; i--)
			v = v << 8 | q[i];
	return v;
}

uint32_t tl_rd_u32(struct rd *r)
{
	const uint8_t *q = tl_rd_bytes(r, 4);
	return q ? (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
			       (uint32_t)q[3] << 24 :
		   0;
}

/* CRC-32 (IEEE 802.3, as zlib's crc32). */
uint32_t tl_crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

bool tl_all_zero(const uint8_t *p, size_t n)
{
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		uint64_t w[4];
		memcpy(w, p + i, sizeof(w));
		if (w[0] | w[1] | w[2] | w[3])
			return false;
	}
	for (; i < n; i++)
		if (p[i])
			return false;
	return true;
}
