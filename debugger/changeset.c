/*
 * changeset — what one recorded step changed, by name (changeset.h).
 */
#include "changeset.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"

/* An object holding an address: its start, type and name. */
struct owner {
	uint64_t base;
	const struct dbg_type *type;
	char name[64];
};

/* The runtime object of rt holding addr, typed by DWARF. */
static bool rt_owner(struct dbg_session *s, const struct dbg_rt *rt, uint64_t addr, struct owner *o)
{
	const struct dbg_type *t;
	if (!rt)
		return false;
	t = dbg_rt_type(s, "g");
	for (size_t i = 0; t && t->size && i < rt->ngs; i++)
		if (addr >= rt->gs[i].addr && addr - rt->gs[i].addr < t->size) {
			*o = (struct owner){ rt->gs[i].addr, t, "" };
			snprintf(o->name, sizeof(o->name), "%s", rt->gs[i].label);
			return true;
		}
	t = dbg_rt_type(s, "m");
	for (size_t i = 0; t && t->size && i < rt->nms; i++)
		if (addr >= rt->ms[i].addr && addr - rt->ms[i].addr < t->size) {
			*o = (struct owner){ rt->ms[i].addr, t, "" };
			snprintf(o->name, sizeof(o->name), "m%" PRId64, rt->ms[i].id);
			return true;
		}
	/* m0 before mcommoninit puts it on allm */
	if (t && t->size && rt->m0 && addr >= rt->m0 && addr - rt->m0 < t->size) {
		*o = (struct owner){ rt->m0, t, "m0" };
		return true;
	}
	t = dbg_rt_type(s, "p");
	for (size_t i = 0; t && t->size && i < rt->nps; i++)
		if (addr >= rt->ps[i].addr && addr - rt->ps[i].addr < t->size) {
			*o = (struct owner){ rt->ps[i].addr, t, "" };
			snprintf(o->name, sizeof(o->name), "p%" PRId32, rt->ps[i].id);
			return true;
		}
	t = dbg_rt_type(s, "schedt");
	if (t && t->size && rt->sched.valid && addr >= rt->sched.addr &&
	    addr - rt->sched.addr < t->size) {
		*o = (struct owner){ rt->sched.addr, t, "sched" };
		return true;
	}
	return false;
}

/* The global variable holding addr: its object symbol, typed by DWARF. */
static bool global_owner(struct dbg_session *s, uint64_t addr, struct owner *o)
{
	struct dbg_dwarf *d = dbg_session_dwarf(s);
	const struct dbg_sym *sym = dbg_session_sym_at(s, addr);
	if (!d || !sym || sym->kind != DBG_SYM_OBJECT)
		return false;
	const struct dbg_type *t = dbg_dwarf_var_type(d, sym->addr, NULL);
	if (!t || !t->size || addr - sym->addr >= t->size)
		return false;
	/* the symbol's name: Go's ("runtime.allglen"), also where the DWARF
	 * name is a C one (the bundled runtime's runtime_allglen) */
	size_t n = strlen(sym->name);
	if (n > 5 && strcmp(sym->name + n - 5, ".abi0") == 0)
		n -= 5;
	*o = (struct owner){ sym->addr, t, "" };
	snprintf(o->name, sizeof(o->name), "%.*s", (int)n, sym->name);
	return true;
}

static bool owner_of(struct dbg_session *s, const struct dbg_rt *rt, uint64_t addr, struct owner *o)
{
	return rt_owner(s, rt, addr, o) || global_owner(s, addr, o);
}

/* The leaf of t holding byte off: its path appended to buf (at *l), its
 * offset in t, its type, the struct holding it and its member name.
 * false in padding. */
struct leaf {
	uint64_t off;
	const struct dbg_type *type, *parent;
	const char *field;
};

static bool leaf_of(const struct dbg_type *t, uint64_t off, char *buf, size_t n, struct leaf *lf)
{
	size_t l = strlen(buf);
	uint64_t base = 0;
	lf->parent = NULL;
	lf->field = NULL;
	for (int depth = 0; t && depth < 16; depth++) {
		if (t->kind == DBG_TYPE_ARRAY && t->target && t->target->size) {
			uint64_t i = off / t->target->size;
			if (t->count && i >= t->count)
				return false;
			if (l < n)
				l += (size_t)snprintf(buf + l, n - l, "[%" PRIu64 "]", i);
			off -= i * t->target->size;
			base += i * t->target->size;
			t = t->target;
		} else if (t->kind == DBG_TYPE_STRUCT || t->kind == DBG_TYPE_UNION) {
			const struct dbg_field *f = NULL;
			for (size_t i = 0; i < t->nfields && !f; i++) {
				const struct dbg_field *c = &t->fields[i];
				uint64_t sz = c->type ? c->type->size : 0;
				if (sz && off >= c->offset && off < c->offset + sz)
					f = c;
			}
			if (!f)
				return false;
			if (f->name[0] && l < n)
				l += (size_t)snprintf(buf + l, n - l, ".%s", f->name);
			lf->parent = t;
			lf->field = f->name;
			off -= f->offset;
			base += f->offset;
			t = f->type;
		} else {
			if (!t->size)
				return false;
			lf->off = base;
			lf->type = t;
			return true;
		}
	}
	return false;
}

int dbg_changes_name(struct dbg_session *s, const struct dbg_rt *rt, uint64_t addr, char *path,
		     size_t n)
{
	struct owner o;
	struct leaf lf;
	if (!n)
		return -ENOENT;
	path[0] = '\0';
	if (!owner_of(s, rt, addr, &o))
		return -ENOENT;
	snprintf(path, n, "%s", o.name);
	if (!leaf_of(o.type, addr - o.base, path, n, &lf))
		snprintf(path, n, "%s+%" PRIu64, o.name, addr - o.base);
	return 0;
}

const char *dbg_changes_label(const struct dbg_rt *rt, uint64_t v)
{
	static char buf[32];
	if (!rt || !v)
		return NULL;
	const struct dbg_rt_g *g = dbg_rt_find_g(rt, v);
	if (g)
		return g->label;
	for (size_t i = 0; i < rt->nms; i++)
		if (rt->ms[i].addr == v) {
			snprintf(buf, sizeof(buf), "m%" PRId64, rt->ms[i].id);
			return buf;
		}
	for (size_t i = 0; i < rt->nps; i++)
		if (rt->ps[i].addr == v) {
			snprintf(buf, sizeof(buf), "p%" PRId32, rt->ps[i].id);
			return buf;
		}
	if (rt->sched.valid && rt->sched.addr == v)
		return "sched";
	return NULL;
}

/* The stack of a known g holding addr, as "stack of g1", into buf. */
static void stack_area(const struct dbg_rt *rt, uint64_t addr, char *buf, size_t n)
{
	buf[0] = '\0';
	for (size_t i = 0; rt && i < rt->ngs; i++) {
		const struct dbg_rt_g *g = &rt->gs[i];
		if (g->stack_lo < g->stack_hi && addr >= g->stack_lo && addr < g->stack_hi) {
			snprintf(buf, n, "stack of %s", g->label);
			return;
		}
	}
}

/* Room for one more change with size bytes before and after. */
static struct dbg_change *add(struct dbg_changes *c, uint64_t size)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = dbg_xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	if (c->bytes_len + 2 * size > c->bytes_cap) {
		c->bytes_cap = (c->bytes_len + 2 * size) * 2;
		c->bytes = dbg_xrealloc(c->bytes, c->bytes_cap);
	}
	struct dbg_change *ch = &c->v[c->n++];
	memset(ch, 0, sizeof(*ch));
	ch->size = size;
	ch->off = c->bytes_len;
	c->bytes_len += 2 * size;
	return ch;
}

/* The bytes of [addr, addr + len) before and after step, into before and
 * after: 1 when the step changed them, 0 when not, or a negative errno. */
static int bytes_at(struct dbg_session *s, uint64_t step, uint64_t addr, size_t len,
		    uint8_t *before, uint8_t *after, struct dbg_err *err)
{
	struct dbg_tl_wlist wl;
	int rc = dbg_session_writes(s, addr, len, &wl, err);
	if (rc < 0)
		return rc;
	rc = 0;
	for (size_t i = 0; i < wl.n; i++)
		if (wl.v[i].step == step) {
			memcpy(before, wl.bytes + wl.v[i].off, len);
			memcpy(after, wl.bytes + wl.v[i].off + len, len);
			rc = 1;
			break;
		}
	dbg_tl_wlist_release(&wl);
	return rc;
}

/* The changes inside one range the step wrote, [addr, addr + len), len
 * at most DBG_TL_WRITES_MAX. */
static int range_changes(struct dbg_session *s, const struct dbg_rt *rt, uint64_t step,
			 uint64_t addr, size_t len, struct dbg_changes *c, struct dbg_err *err)
{
	uint8_t before[DBG_TL_WRITES_MAX], after[DBG_TL_WRITES_MAX];
	int rc = bytes_at(s, step, addr, len, before, after, err);
	if (rc <= 0)
		return rc;
	size_t i = 0;
	while (i < len) {
		if (c->n >= DBG_CHANGES_MAX) {
			c->truncated = true;
			return 0;
		}
		uint64_t a = addr + i;
		struct owner o;
		struct leaf lf = { 0 };
		char path[sizeof(c->v[0].path)] = "";
		bool named = owner_of(s, rt, a, &o);
		if (named) {
			snprintf(path, sizeof(path), "%s", o.name);
			named = leaf_of(o.type, a - o.base, path, sizeof(path), &lf);
		}
		if (named && lf.type->size <= DBG_TL_WRITES_MAX) {
			/* the whole leaf: the bytes of it this range wrote */
			uint64_t lo = o.base + lf.off, hi = lo + lf.type->size;
			size_t end = hi - addr < len ? (size_t)(hi - addr) : len;
			if (memcmp(before + i, after + i, end - i) != 0) {
				struct dbg_change *ch = add(c, lf.type->size);
				ch->addr = lo;
				snprintf(ch->path, sizeof(ch->path), "%s", path);
				ch->type = lf.type;
				ch->parent = lf.parent;
				ch->field = lf.field;
				uint8_t *b = c->bytes + ch->off;
				if (lo >= addr && hi <= addr + len) {
					memcpy(b, before + (lo - addr), ch->size);
					memcpy(b + ch->size, after + (lo - addr), ch->size);
				} else {
					rc = bytes_at(s, step, lo, ch->size, b, b + ch->size, err);
					if (rc < 0)
						return rc;
				}
			}
			i = end;
			continue;
		}
		/* bytes no object names: up to the next named byte */
		size_t j = i + 1;
		while (j < len && !owner_of(s, rt, addr + j, &o))
			j++;
		uint64_t q = a & ~(uint64_t)7;
		if (memcmp(before + i, after + i, j - i) == 0) {
			i = j;
			continue;
		}
		if (addr + j <= q + 8 && !owner_of(s, rt, q, &o) && !owner_of(s, rt, q + 7, &o)) {
			/* a part of an unnamed 8-byte word (the record keeps only
			 * the bytes that changed): the whole word, as a stack slot
			 * or a pointer is read */
			struct dbg_change *ch = add(c, 8);
			uint8_t *b = c->bytes + ch->off;
			ch->addr = q;
			stack_area(rt, q, ch->area, sizeof(ch->area));
			rc = bytes_at(s, step, q, 8, b, b + 8, err);
			if (rc < 0)
				return rc;
			i = q + 8 - addr < len ? (size_t)(q + 8 - addr) : len;
			continue;
		}
		struct dbg_change *ch = add(c, j - i);
		ch->addr = a;
		stack_area(rt, a, ch->area, sizeof(ch->area));
		memcpy(c->bytes + ch->off, before + i, ch->size);
		memcpy(c->bytes + ch->off + ch->size, after + i, ch->size);
		i = j;
	}
	return 0;
}

int dbg_changes_at(struct dbg_session *s, const struct dbg_rt *rt, uint64_t step,
		   struct dbg_changes *out, struct dbg_err *err)
{
	struct dbg_timeline *tl = dbg_session_timeline(s);
	struct dbg_tl_range r[DBG_CHANGES_RANGES];

	out->n = 0;
	out->bytes_len = 0;
	out->step = step;
	out->wrote = false;
	out->truncated = false;
	if (!tl)
		return dbg_err_set(err, -ENODATA, "no recorded history: recording is off");
	int rc = dbg_tl_step_ranges(tl, step, r, DBG_CHANGES_RANGES, &out->info, err);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	out->wrote = true;
	out->truncated = out->info.n > DBG_CHANGES_RANGES;
	size_t nr = out->info.n < DBG_CHANGES_RANGES ? out->info.n : DBG_CHANGES_RANGES;
	for (size_t k = 0; k < nr; k++)
		for (uint64_t o = 0; o < r[k].len; o += DBG_TL_WRITES_MAX) {
			uint64_t n = r[k].len - o;
			rc = range_changes(s, rt, step, r[k].addr + o,
					   n < DBG_TL_WRITES_MAX ? (size_t)n : DBG_TL_WRITES_MAX,
					   out, err);
			if (rc < 0)
				return rc;
		}
	return 0;
}

void dbg_changes_release(struct dbg_changes *c)
{
	free(c->v);
	free(c->bytes);
	memset(c, 0, sizeof(*c));
}

const char *dbg_changes_reg_name(enum dbg_reg r)
{
	static const char *const names[] = {
		[DBG_REG_RAX] = "rax", [DBG_REG_RBX] = "rbx", [DBG_REG_RCX] = "rcx",
		[DBG_REG_RDX] = "rdx", [DBG_REG_RSI] = "rsi", [DBG_REG_RDI] = "rdi",
		[DBG_REG_RBP] = "rbp", [DBG_REG_RSP] = "rsp", [DBG_REG_R8] = "r8",
		[DBG_REG_R9] = "r9",   [DBG_REG_R10] = "r10", [DBG_REG_R11] = "r11",
		[DBG_REG_R12] = "r12", [DBG_REG_R13] = "r13", [DBG_REG_R14] = "r14",
		[DBG_REG_R15] = "r15", [DBG_REG_RIP] = "rip",
	};
	if ((size_t)r < sizeof(names) / sizeof(names[0]) && names[r])
		return names[r];
	return "";
}

int dbg_changes_why(struct dbg_session *s, uint64_t pc, struct dbg_why *out, struct dbg_err *err)
{
	memset(out, 0, sizeof(*out));
	int rc = dbg_session_disasm(s, pc, 1, &out->insn, err);
	if (rc < 0)
		return rc;
	const struct dbg_insn *in = &out->insn;
	dbg_insn_text(in, out->text, sizeof(out->text));
	if (in->is_call) {
		out->call = true;
		out->src_reg = DBG_REG_RIP;
		return 0;
	}
	const char *m = in->mnemonic;
	if (strncmp(m, "movs", 4) == 0 && in->nops != 2) {
		out->src_mem = true;
		return 0;
	}
	if (strncmp(m, "stos", 4) == 0) {
		out->src_reg = DBG_REG_RAX;
		return 0;
	}
	if (strncmp(m, "push", 4) == 0 && in->nops == 1) {
		const struct dbg_operand *o = &in->op[0];
		if (o->type == DBG_OP_REG)
			out->src_reg = o->reg;
		else if (o->type == DBG_OP_IMM)
			out->src_imm = true, out->imm = o->imm;
		else if (o->type == DBG_OP_MEM)
			out->src_mem = true;
		return 0;
	}
	/* a store to a memory operand: the other operand (mov, xchg, add …) */
	bool mem_dst = false;
	for (uint8_t i = 0; i < in->nops; i++)
		mem_dst |= in->op[i].type == DBG_OP_MEM && in->op[i].write;
	if (!mem_dst)
		return 0;
	for (uint8_t i = 0; i < in->nops; i++) {
		const struct dbg_operand *o = &in->op[i];
		if (o->type == DBG_OP_REG && o->reg != DBG_REG_OTHER && o->reg != DBG_REG_NONE) {
			out->src_reg = o->reg;
			return 0;
		}
		if (o->type == DBG_OP_IMM) {
			out->src_imm = true;
			out->imm = o->imm;
			return 0;
		}
	}
	return 0;
}
