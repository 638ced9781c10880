/* rt — the Go runtime decoder, DWARF-driven (see rt.h). */
#include "rt.h"

#include "golayout.h"
#include "timeline.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Upper bounds that keep a corrupt list from running away. */
#define MAX_GS 100000
#define MAX_MS 4096
#define MAX_PS 1024
#define MAX_LIST 100000
/* Largest g, m, p or schedt believed (Go's are a few KiB): a DWARF size
 * beyond it is damage, not a layout. */
#define MAX_OBJ (1u << 20)

const char *dbg_rt_gstatus_name(uint32_t status)
{
	static const char *const plain[] = {
		[DBG_G_IDLE] = "_Gidle",           [DBG_G_RUNNABLE] = "_Grunnable",
		[DBG_G_RUNNING] = "_Grunning",     [DBG_G_SYSCALL] = "_Gsyscall",
		[DBG_G_WAITING] = "_Gwaiting",     [5] = "_Gmoribund_unused",
		[DBG_G_DEAD] = "_Gdead",           [7] = "_Genqueue_unused",
		[DBG_G_COPYSTACK] = "_Gcopystack", [DBG_G_PREEMPTED] = "_Gpreempted",
	};
	static const char *const scan[] = {
		[DBG_G_IDLE] = "_Gscan",           [DBG_G_RUNNABLE] = "_Gscanrunnable",
		[DBG_G_RUNNING] = "_Gscanrunning", [DBG_G_SYSCALL] = "_Gscansyscall",
		[DBG_G_WAITING] = "_Gscanwaiting", [DBG_G_PREEMPTED] = "_Gscanpreempted",
	};
	if (status < sizeof(plain) / sizeof(plain[0]) && plain[status])
		return plain[status];
	uint32_t base = status & ~(uint32_t)DBG_G_SCAN;
	if ((status & DBG_G_SCAN) && base < sizeof(scan) / sizeof(scan[0]) && scan[base])
		return scan[base];
	return "_G?";
}

const char *dbg_rt_pstatus_name(uint32_t status)
{
	static const char *const names[] = {
		[DBG_P_IDLE] = "_Pidle",       [DBG_P_RUNNING] = "_Prunning",
		[DBG_P_SYSCALL] = "_Psyscall", [DBG_P_GCSTOP] = "_Pgcstop",
		[DBG_P_DEAD] = "_Pdead",
	};
	if (status < sizeof(names) / sizeof(names[0]))
		return names[status];
	return "_P?";
}

/* ---- field access ------------------------------------------------------- */

/* Where a field lives and how wide it is; size 0 = absent. */
struct fld {
	uint64_t off;
	uint64_t size;
};

static void note_extent(const struct dbg_type *t, uint64_t end);

/* Resolve path in t; an atomic wrapper (a struct with a `value` member, as
 * newer Go uses for atomicstatus, goidgen, npidle …) resolves to its value.
 * The decoder reads scalars only: a field that is not 1 to 8 bytes inside
 * t (damaged DWARF) is absent. */
static struct fld field(const struct dbg_type *t, const char *path)
{
	struct fld f = { 0, 0 };
	const struct dbg_type *ft;
	if (!t || dbg_type_field(t, path, &f.off, &ft, NULL) < 0)
		return f;
	for (int depth = 0; depth < 3 && ft->kind == DBG_TYPE_STRUCT; depth++) {
		const struct dbg_field *v = dbg_type_member(ft, "value");
		if (!v || v->offset > UINT64_MAX - f.off)
			break;
		f.off += v->offset;
		ft = v->type;
	}
	if (ft->size < 1 || ft->size > 8 || f.off > t->size || ft->size > t->size - f.off)
		return (struct fld){ 0, 0 };
	f.size = ft->size;
	note_extent(t, f.off + f.size);
	return f;
}

/* The little-endian scalar f in buf, or 0 when f is absent or not inside
 * buf. */
static uint64_t get(const uint8_t *buf, size_t buflen, struct fld f)
{
	uint64_t v = 0;

	if (!f.size || f.size > 8 || f.off > buflen || f.size > buflen - f.off)
		return 0;
	memcpy(&v, buf + f.off, f.size);
	return v;
}

static int64_t get_signed(const uint8_t *buf, size_t buflen, struct fld f)
{
	uint64_t v = get(buf, buflen, f);
	switch (f.size) {
	case 1:
		return (int8_t)v;
	case 2:
		return (int16_t)v;
	case 4:
		return (int32_t)v;
	default:
		return (int64_t)v;
	}
}

/* Entries of p.runq, an array of 8-byte g pointers from runq (its first
 * element) to the end of p; 0 when DWARF says otherwise. */
static uint64_t runq_len(const struct dbg_type *p, struct fld runq)
{
	const struct dbg_field *rq = dbg_type_member(p, "runq");
	if (!rq || rq->type->kind != DBG_TYPE_ARRAY || runq.size != 8 || rq->offset != runq.off ||
	    rq->type->count > (p->size - runq.off) / 8)
		return 0;
	return rq->type->count;
}

/* Layouts of the runtime's structs, from DWARF or from golayout's table. */
struct layout {
	const struct dbg_golayout *table; /* NULL: from DWARF */
	const struct dbg_type *g, *m, *p, *schedt;
	struct fld g_lo, g_hi, g_m, g_pc, g_sp, g_bp, g_status, g_goid, g_schedlink, g_startpc;
	struct fld m_id, m_procid, m_g0, m_curg, m_p, m_gsignal, m_tls0, m_alllink;
	struct fld m_oldp, m_nextp, m_mstartfn, m_spinning, m_schedlink;
	struct fld p_id, p_status, p_m, p_head, p_tail, p_runq, p_runnext, p_tick, p_link;
	uint64_t p_runq_len;
	struct fld s_goidgen, s_runqhead, s_runqsize, s_pidle, s_npidle, s_midle, s_nmidle;
	struct fld s_nmspinning, s_nmsys, s_mnext;
	struct fld g_waitreason; /* DWARF only (golayout's table lacks it) */
	struct fld g_lockedm, m_lockedg;
};

/* Where each field of dbg_gofields lands in a struct layout. */
static const size_t slot[DBG_GOF_COUNT] = {
	[DBG_GOF_G_STACK_LO] = offsetof(struct layout, g_lo),
	[DBG_GOF_G_STACK_HI] = offsetof(struct layout, g_hi),
	[DBG_GOF_G_M] = offsetof(struct layout, g_m),
	[DBG_GOF_G_SCHED_PC] = offsetof(struct layout, g_pc),
	[DBG_GOF_G_SCHED_SP] = offsetof(struct layout, g_sp),
	[DBG_GOF_G_SCHED_BP] = offsetof(struct layout, g_bp),
	[DBG_GOF_G_STATUS] = offsetof(struct layout, g_status),
	[DBG_GOF_G_GOID] = offsetof(struct layout, g_goid),
	[DBG_GOF_G_SCHEDLINK] = offsetof(struct layout, g_schedlink),
	[DBG_GOF_G_STARTPC] = offsetof(struct layout, g_startpc),
	[DBG_GOF_M_ID] = offsetof(struct layout, m_id),
	[DBG_GOF_M_PROCID] = offsetof(struct layout, m_procid),
	[DBG_GOF_M_G0] = offsetof(struct layout, m_g0),
	[DBG_GOF_M_CURG] = offsetof(struct layout, m_curg),
	[DBG_GOF_M_P] = offsetof(struct layout, m_p),
	[DBG_GOF_M_GSIGNAL] = offsetof(struct layout, m_gsignal),
	[DBG_GOF_M_TLS0] = offsetof(struct layout, m_tls0),
	[DBG_GOF_M_ALLLINK] = offsetof(struct layout, m_alllink),
	[DBG_GOF_M_OLDP] = offsetof(struct layout, m_oldp),
	[DBG_GOF_M_NEXTP] = offsetof(struct layout, m_nextp),
	[DBG_GOF_M_MSTARTFN] = offsetof(struct layout, m_mstartfn),
	[DBG_GOF_M_SPINNING] = offsetof(struct layout, m_spinning),
	[DBG_GOF_M_SCHEDLINK] = offsetof(struct layout, m_schedlink),
	[DBG_GOF_P_ID] = offsetof(struct layout, p_id),
	[DBG_GOF_P_STATUS] = offsetof(struct layout, p_status),
	[DBG_GOF_P_M] = offsetof(struct layout, p_m),
	[DBG_GOF_P_RUNQHEAD] = offsetof(struct layout, p_head),
	[DBG_GOF_P_RUNQTAIL] = offsetof(struct layout, p_tail),
	[DBG_GOF_P_RUNQ] = offsetof(struct layout, p_runq),
	[DBG_GOF_P_RUNNEXT] = offsetof(struct layout, p_runnext),
	[DBG_GOF_P_SCHEDTICK] = offsetof(struct layout, p_tick),
	[DBG_GOF_P_LINK] = offsetof(struct layout, p_link),
	[DBG_GOF_S_GOIDGEN] = offsetof(struct layout, s_goidgen),
	[DBG_GOF_S_RUNQHEAD] = offsetof(struct layout, s_runqhead),
	[DBG_GOF_S_RUNQSIZE] = offsetof(struct layout, s_runqsize),
	[DBG_GOF_S_PIDLE] = offsetof(struct layout, s_pidle),
	[DBG_GOF_S_NPIDLE] = offsetof(struct layout, s_npidle),
	[DBG_GOF_S_MIDLE] = offsetof(struct layout, s_midle),
	[DBG_GOF_S_NMIDLE] = offsetof(struct layout, s_nmidle),
	[DBG_GOF_S_NMSPINNING] = offsetof(struct layout, s_nmspinning),
	[DBG_GOF_S_NMSYS] = offsetof(struct layout, s_nmsys),
	[DBG_GOF_S_MNEXT] = offsetof(struct layout, s_mnext),
	[DBG_GOF_G_LOCKEDM] = offsetof(struct layout, g_lockedm),
	[DBG_GOF_M_LOCKEDG] = offsetof(struct layout, m_lockedg),
};

/* The struct named name, or NULL when it is missing or its size is not
 * believable: every read of one fetches its size. */
static const struct dbg_type *layout_struct(struct dbg_dwarf *d, const char *name)
{
	const struct dbg_type *t = d ? dbg_dwarf_struct(d, name) : NULL;
	return t && t->size > 0 && t->size <= MAX_OBJ ? t : NULL;
}

/* The fields of dbg_gofields, from table when it is given, else from
 * DWARF. */
static void load_layout(struct dbg_dwarf *d, const struct dbg_golayout *table, struct layout *L)
{
	memset(L, 0, sizeof(*L));
	L->table = table;
	const struct dbg_type **st[DBG_GO_NSTRUCT] = { &L->g, &L->m, &L->p, &L->schedt };
	for (size_t i = 0; i < DBG_GO_NSTRUCT; i++)
		*st[i] = table ? &table->types[i] : layout_struct(d, dbg_gostruct_names[i]);
	for (size_t i = 0; i < DBG_GOF_COUNT; i++) {
		const struct dbg_type *t = *st[dbg_gofields[i].in];
		struct fld *f = (struct fld *)((char *)L + slot[i]);
		if (!table) {
			*f = field(t, dbg_gofields[i].path);
			continue;
		}
		*f = (struct fld){ table->f[i].off, table->f[i].size };
		if (f->size)
			note_extent(t, f->off + f->size);
	}
	L->p_runq_len = table ? table->p_runq_len : runq_len(L->p, L->p_runq);
	if (!table)
		L->g_waitreason = field(L->g, "waitreason");
}

/*
 * Where the layout comes from: DWARF when it describes runtime.g, else the
 * table entry of the binary's Go release (its build info), which needs the
 * runtime's globals in the symbol table. 0 with *table NULL (DWARF) or the
 * entry, or -ENODATA saying what is missing.
 */
static int pick_layout(struct dbg_session *s, const struct dbg_golayout **table, bool *partial,
		       struct dbg_err *err)
{
	struct dbg_dwarf *d = dbg_session_dwarf(s);
	const struct dbg_elf *e = dbg_session_elf(s);
	const char *v = dbg_elf_go_version(e);
	uint64_t a;

	*table = NULL;
	*partial = false;
	if (layout_struct(d, "runtime.g"))
		return 0;
	if (!v && d)
		return dbg_err_set(err, -ENODATA, "the runtime view needs DWARF: no struct g in %s",
				   dbg_session_path(s));
	if (!v)
		return dbg_err_set(err, -ENODATA,
				   "the G/M/P view needs DWARF: %s has no debug info (e.g. built with go build -ldflags=-w); stages, registers and memory still work",
				   dbg_session_path(s));
	/* without symbols the globals are unknown: what the current g
	 * leads to is all there is */
	*partial = dbg_elf_lookup(e, "runtime.allgs", &a) < 0;
	*table = dbg_golayout_find(v);
	if (!*table)
		return dbg_err_set(err, -ENODATA,
				   "the G/M/P view needs DWARF: %s has no debug info, and bootscope's table of layouts covers %s, not %s",
				   dbg_session_path(s), dbg_golayout_releases(), v);
	return 0;
}

/* ---- growth (dbg_grow, err.h) -------------------------------------------- */

static size_t push_goid(struct dbg_rt *rt, int64_t goid)
{
	rt->goids = dbg_grow(rt->goids, &rt->goids_cap, rt->goids_len + 1, sizeof(*rt->goids));
	rt->goids[rt->goids_len] = goid;
	return rt->goids_len++;
}

/* ---- reading ------------------------------------------------------------ */

/* Layouts and globals, looked up once per process rather than per decode,
 * and the storage of the batched reads. */
/* A piece of the target's memory the snapshot holds. */
struct span {
	uint64_t addr;
	size_t n, off;
	size_t fetch; /* bytes read; the rest of n is zeros */
	bool ok;      /* fetched at this stop */
	bool needed;  /* asked for by this decode */
};

/* A read made outside the snapshot. */
struct learned {
	uint64_t addr;
	size_t n, fetch;
};

struct dbg_rt_cache {
	const struct dbg_session *s;      /* what it was built for: the session, */
	const struct dbg_dwarf *d;        /* its DWARF or */
	const struct dbg_golayout *table; /* table entry, */
	pid_t pid;                        /* and the process (globals move with a
					PIE's bias) */
	unsigned gen;                     /* the program image (an execve changes
					the DWARF, at a reused address maybe) */
	struct layout L;
	struct cglobal {
		const char *name;
		uint64_t addr;
		const struct dbg_type *type;
		struct fld array, len; /* a slice's fields */
	} globals[16];
	size_t nglobals;
	struct extent {
		const struct dbg_type *t;
		uint64_t end;
	} ext[8]; /* see note_extent */
	size_t next;
	uint8_t *obj; /* read_obj's buffer */
	size_t obj_cap;
	struct span *spans; /* what the snapshot holds */
	size_t nspans, spans_cap;
	/* spans kept from the last decode; the next one span_add expects */
	size_t kept, cursor;
	bool reuse; /* the next decode starts from these */
	/* the last decode is still rt's: it succeeded, every read it made
	 * lies in spans, at step `steps` with this fs_base and record epoch
	 * (dbg_tl_step_writes says whether the next step wrote any span) */
	bool decoded;
	bool missed; /* this decode had a read fail */
	uint64_t steps, epoch;
	/* reads this decode made outside the snapshot: spans of the next one */
	struct learned *learn;
	size_t nlearn, learn_cap;
	struct dbg_read *reads; /* one batch being fetched */
	size_t reads_cap;
	size_t *order; /* the batch's spans by address */
	size_t order_cap;
	size_t order_all; /* order holds all nspans spans sorted
					(the next decode's first batch), or 0 */
	uint8_t *scratch; /* the batch's merged ranges */
	size_t scratch_cap;
	uint8_t *data; /* the bytes of the spans */
	size_t data_len, data_cap;
	size_t hint; /* the span the last read hit */
	/* runtime.waitReasonStrings, loaded once per image and process */
	struct {
		const struct dbg_session *s;
		pid_t pid;
		unsigned gen;
		bool loaded;
		char *text;    /* the names, NUL-terminated, back to back */
		uint32_t *off; /* name i at text + off[i] */
		size_t n;      /* entries in the table (0: none) */
		size_t off_cap, text_cap, text_len;
	} wr;
};

struct reader {
	struct dbg_session *s;
	struct layout L;
	const uint8_t *buf; /* the object read_obj read last: in the
					snapshot, or in own */
	uint8_t *own;
	size_t cap;
	struct dbg_rt_cache *c; /* NULL: every read goes to the process */
};

/*
 * How much of a g, m, p or schedt a decode reads: the end of the last field
 * the layout uses. Go's p and schedt are kilobytes long (a P is 8.9 KiB in
 * the bundled runtime) and the decoder needs only their first part (2.4 KiB
 * of a P, its run queue included); the snapshot fetches that prefix only,
 * and the rest of the object reads as zeros. Every field() of the layout is noted while load_layout runs, so
 * a field added there is fetched without further ado.
 */
static _Thread_local struct dbg_rt_cache *noting; /* during load_layout */

static void note_extent(const struct dbg_type *t, uint64_t end)
{
	struct dbg_rt_cache *c = noting;
	if (!c || !t)
		return;
	size_t i = 0;
	while (i < c->next && c->ext[i].t != t)
		i++;
	if (i == c->next) {
		if (c->next == sizeof(c->ext) / sizeof(c->ext[0]))
			return;
		c->ext[c->next++] = (struct extent){ t, 0 };
	}
	if (end > c->ext[i].end)
		c->ext[i].end = end;
}

/* Bytes of a t that a decode needs (all of it when nothing was noted). */
static uint64_t extent(const struct dbg_rt_cache *c, const struct dbg_type *t)
{
	for (size_t i = 0; i < c->next; i++)
		if (c->ext[i].t == t)
			return c->ext[i].end < t->size ? c->ext[i].end : t->size;
	return t->size;
}

/*
 * Reads inside one decode. A decode reads dozens of small objects; rather
 * than a syscall each, prefetch() fetches them into a snapshot of the
 * stopped process, in one dbg_session_readv per level (see prefetch), and
 * usually in a single one. r_read serves a read from the snapshot when it
 * holds it, else reads the process and notes the read, so that the next
 * decode fetches it with the rest.
 */

/* The n bytes at addr in the snapshot, or NULL. */
static const uint8_t *snap_at(struct reader *r, uint64_t addr, size_t n)
{
	struct dbg_rt_cache *c = r->c;
	if (!c)
		return NULL;
	for (size_t k = 0, i = c->hint; k < c->nspans; k++, i++) {
		if (i == c->nspans)
			i = 0;
		struct span *sp = &c->spans[i];
		if (sp->ok && addr >= sp->addr && n <= sp->n && addr - sp->addr <= sp->n - n) {
			c->hint = i;
			sp->needed = true;
			return c->data + sp->off + (addr - sp->addr);
		}
	}
	return NULL;
}

/* A read outside the snapshot, for the next decode's (see reader_done). */
static void learn(struct reader *r, uint64_t addr, size_t n, size_t fetch)
{
	struct dbg_rt_cache *c = r->c;
	if (!c)
		return;
	for (size_t i = 0; i < c->nlearn; i++)
		if (c->learn[i].addr == addr && c->learn[i].n == n)
			return;
	c->learn = dbg_grow(c->learn, &c->learn_cap, c->nlearn + 1, sizeof(*c->learn));
	c->learn[c->nlearn++] = (struct learned){ addr, n, fetch };
}

static int r_read(struct reader *r, uint64_t addr, void *buf, size_t n, struct dbg_err *err)
{
	const uint8_t *p = snap_at(r, addr, n);
	if (p) {
		memcpy(buf, p, n);
		return 0;
	}
	int rc = dbg_session_read(r->s, addr, buf, n, err);
	if (rc == 0)
		learn(r, addr, n, n);
	else if (r->c)
		r->c->missed = true;
	return rc;
}

static int r_read_u64(struct reader *r, uint64_t addr, uint64_t *v, struct dbg_err *err)
{
	return r_read(r, addr, v, sizeof(*v), err);
}

/* Read a struct of type t at addr: r->buf points at it, in the snapshot
 * or in a buffer kept across calls. */
static int read_obj(struct reader *r, uint64_t addr, const struct dbg_type *t, struct dbg_err *err)
{
	size_t n = t->size;
	const uint8_t *p = snap_at(r, addr, n);
	if (p) {
		r->buf = p;
		return 0;
	}
	r->own = dbg_grow(r->own, &r->cap, n ? n : 1, 1);
	r->buf = r->own;
	int rc = dbg_session_read(r->s, addr, r->own, n, err);
	if (rc == 0 && r->c)
		learn(r, addr, n, extent(r->c, t));
	else if (r->c)
		r->c->missed = true;
	return rc;
}

static int64_t read_goid(struct reader *r, uint64_t g)
{
	uint64_t v = 0;
	if (!r->L.g_goid.size || r_read(r, g + r->L.g_goid.off, &v, r->L.g_goid.size, NULL) < 0)
		return -1;
	return (int64_t)v;
}

static const struct dbg_rt_g *find_g(const struct dbg_rt *rt, uint64_t addr)
{
	for (size_t i = 0; i < rt->ngs; i++)
		if (rt->gs[i].addr == addr)
			return &rt->gs[i];
	return NULL;
}

static int64_t goid_of(struct reader *r, const struct dbg_rt *rt, uint64_t g)
{
	const struct dbg_rt_g *x = find_g(rt, g);
	return x ? x->goid : read_goid(r, g);
}

/* ---- wait reasons --------------------------------------------------------- */

/* Largest table and name believed (Go's waitReason is a uint8). */
#define MAX_WR 256
#define MAX_WR_TEXT 128

/* Read n bytes at addr from the file's image, else from the process. */
static int wr_read(struct dbg_session *s, uint64_t addr, void *buf, size_t n)
{
	if (dbg_elf_read(dbg_session_elf(s), addr, buf, n, NULL) == 0)
		return 0;
	return dbg_session_running(s) ? dbg_session_read(s, addr, buf, n, NULL) : -EIO;
}

static void wr_put(struct dbg_rt_cache *c, const char *text, size_t len)
{
	c->wr.off = dbg_grow(c->wr.off, &c->wr.off_cap, c->wr.n + 1, sizeof(*c->wr.off));
	c->wr.text = dbg_grow(c->wr.text, &c->wr.text_cap, c->wr.text_len + len + 1, 1);
	c->wr.off[c->wr.n++] = (uint32_t)c->wr.text_len;
	memcpy(c->wr.text + c->wr.text_len, text, len);
	c->wr.text[c->wr.text_len + len] = '\0';
	c->wr.text_len += len + 1;
}

/* Load runtime.waitReasonStrings, an array of Go strings {str, len}: its
 * length from DWARF, else from the symbol's size. A table that cannot be
 * read whole counts as absent. */
static void wr_load(struct dbg_rt_cache *c, struct dbg_session *s)
{
	const struct dbg_sym *sym = dbg_elf_find(dbg_session_elf(s), "runtime.waitReasonStrings");
	struct dbg_dwarf *d = dbg_session_dwarf(s);
	c->wr.n = c->wr.text_len = 0;
	if (!sym)
		return;
	const struct dbg_type *t = d ? dbg_dwarf_var_type(d, sym->addr, NULL) : NULL;
	uint64_t count = sym->size / 16;
	if (t && t->kind == DBG_TYPE_ARRAY && t->target && t->target->size == 16 && t->count)
		count = t->count;
	if (count > MAX_WR)
		count = MAX_WR;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t hdr[2];
		char text[MAX_WR_TEXT];
		if (wr_read(s, sym->addr + i * 16, hdr, sizeof(hdr)) < 0 || hdr[1] >= MAX_WR_TEXT ||
		    (hdr[1] && wr_read(s, hdr[0], text, hdr[1]) < 0)) {
			c->wr.n = c->wr.text_len = 0;
			return;
		}
		wr_put(c, text, hdr[1]);
	}
}

static const char *wr_name(struct dbg_rt_cache *c, struct dbg_session *s, uint32_t reason)
{
	pid_t pid = dbg_session_pid(s);
	unsigned gen = dbg_session_image_gen(s);
	if (!c->wr.loaded || c->wr.s != s || c->wr.pid != pid || c->wr.gen != gen) {
		c->wr.s = s;
		c->wr.pid = pid;
		c->wr.gen = gen;
		c->wr.loaded = true;
		wr_load(c, s);
	}
	return reason < c->wr.n ? c->wr.text + c->wr.off[reason] : NULL;
}

static struct dbg_rt_cache *cache_of(struct dbg_rt *rt)
{
	if (!rt->cache) {
		rt->cache = calloc(1, sizeof(*rt->cache));
		if (!rt->cache)
			abort();
	}
	return rt->cache;
}

const char *dbg_rt_waitreason_name(struct dbg_rt *rt, struct dbg_session *s, uint32_t reason)
{
	return wr_name(cache_of(rt), s, reason);
}

static int add_g(struct reader *r, struct dbg_rt *rt, uint64_t addr, struct dbg_err *err)
{
	if (!addr || find_g(rt, addr))
		return 0;
	int rc = read_obj(r, addr, r->L.g, err);
	if (rc < 0)
		return rc;
	rt->gs = dbg_grow(rt->gs, &rt->gs_cap, rt->ngs + 1, sizeof(*rt->gs));
	struct dbg_rt_g *g = &rt->gs[rt->ngs++];
	const uint8_t *b = r->buf;
	size_t n = r->L.g->size;
	memset(g, 0, sizeof(*g));
	g->addr = addr;
	g->goid = get_signed(b, n, r->L.g_goid);
	g->status = (uint32_t)get(b, n, r->L.g_status);
	g->status_name = dbg_rt_gstatus_name(g->status);
	g->sched_pc = get(b, n, r->L.g_pc);
	g->sched_sp = get(b, n, r->L.g_sp);
	g->sched_bp = get(b, n, r->L.g_bp);
	g->stack_lo = get(b, n, r->L.g_lo);
	g->stack_hi = get(b, n, r->L.g_hi);
	g->m = get(b, n, r->L.g_m);
	g->schedlink = get(b, n, r->L.g_schedlink);
	g->startpc = get(b, n, r->L.g_startpc);
	g->waitreason = r->L.g_waitreason.size ? (int32_t)get(b, n, r->L.g_waitreason) : -1;
	g->waitreason_name =
		g->waitreason >= 0 && r->c ? wr_name(r->c, r->s, (uint32_t)g->waitreason) : NULL;
	g->has_locked = r->L.g_lockedm.size != 0;
	g->lockedm = get(b, n, r->L.g_lockedm);
	return 0;
}

/* Decode the M at mp; *next = its alllink. */
static int add_m(struct reader *r, struct dbg_rt *rt, uint64_t mp, uint64_t *next,
		 struct dbg_err *err)
{
	int rc = read_obj(r, mp, r->L.m, err);
	if (rc < 0)
		return rc;
	const uint8_t *b = r->buf;
	size_t n = r->L.m->size;
	rt->ms = dbg_grow(rt->ms, &rt->ms_cap, rt->nms + 1, sizeof(*rt->ms));
	struct dbg_rt_m *m = &rt->ms[rt->nms++];
	m->addr = mp;
	m->id = get_signed(b, n, r->L.m_id);
	m->procid = get(b, n, r->L.m_procid);
	m->g0 = get(b, n, r->L.m_g0);
	m->curg = get(b, n, r->L.m_curg);
	m->p = get(b, n, r->L.m_p);
	m->gsignal = get(b, n, r->L.m_gsignal);
	m->tls0 = get(b, n, r->L.m_tls0);
	m->tls = r->L.m_tls0.size ? mp + r->L.m_tls0.off : 0;
	m->oldp = get(b, n, r->L.m_oldp);
	m->nextp = get(b, n, r->L.m_nextp);
	m->mstartfn = get(b, n, r->L.m_mstartfn);
	m->spinning = get(b, n, r->L.m_spinning) != 0;
	m->has_locked = r->L.m_lockedg.size != 0;
	m->lockedg = get(b, n, r->L.m_lockedg);
	m->idle = m->sysmon = false;
	*next = get(b, n, r->L.m_alllink);
	return 0;
}

/* A global's address and, through its DWARF variable, its type. */
static uint64_t global(struct dbg_session *s, const char *name, const struct dbg_type **t)
{
	uint64_t a = 0;
	if (dbg_elf_lookup(dbg_session_elf(s), name, &a) < 0)
		return 0;
	if (t)
		*t = dbg_session_dwarf(s) ? dbg_dwarf_var_type(dbg_session_dwarf(s), a, NULL) :
					    NULL;
	return a;
}

/* global() through the reader's cache; *sl (optional) receives the
 * global's slice fields, array and len. */
static uint64_t cglobal_slice(struct reader *r, const char *name, struct fld sl[2])
{
	struct dbg_rt_cache *c = r->c;
	const struct cglobal *x = NULL;
	/* the callers' names are string literals: the pointer usually matches */
	for (size_t i = 0; c && !x && i < c->nglobals; i++)
		if (c->globals[i].name == name)
			x = &c->globals[i];
	for (size_t i = 0; c && !x && i < c->nglobals; i++)
		if (strcmp(c->globals[i].name, name) == 0)
			x = &c->globals[i];
	struct cglobal g = { name, 0, NULL, { 0, 8 }, { 8, 8 } };
	if (!x) {
		g.addr = global(r->s, name, &g.type);
		if (g.type && g.type->kind == DBG_TYPE_STRUCT) {
			g.array = field(g.type, "array");
			g.len = field(g.type, "len");
		}
		if (c && c->nglobals < sizeof(c->globals) / sizeof(c->globals[0]))
			c->globals[c->nglobals++] = g;
		x = &g;
	}
	if (sl) {
		sl[0] = x->array;
		sl[1] = x->len;
	}
	return x->addr;
}

static uint64_t cglobal(struct reader *r, const char *name)
{
	return cglobal_slice(r, name, NULL);
}

/* A Go slice global: its array pointer and length. */
static int read_slice(struct reader *r, const char *name, uint64_t *array, uint64_t *len,
		      struct dbg_err *err)
{
	struct fld sl[2];
	uint64_t a = cglobal_slice(r, name, sl);
	*array = *len = 0;
	if (!a)
		return 0;
	struct fld fa = sl[0], fl = sl[1];
	uint8_t buf[24];
	int rc = r_read(r, a, buf, sizeof(buf), err);
	if (rc < 0)
		return rc;
	*array = get(buf, sizeof(buf), fa);
	*len = get(buf, sizeof(buf), fl);
	return 0;
}

/* Most g structs worth holding in the snapshot; more are read one by one. */
#define PREFETCH_GS 4096

/* The kept span for exactly this request, fetched at this stop, or NULL.
 * Requests come in the order of the last decode: look where the last
 * match left off first. */
static struct span *kept_span(struct dbg_rt_cache *c, uint64_t addr, size_t n, size_t fetch)
{
	for (size_t k = 0; k < c->kept; k++) {
		size_t i = (c->cursor + k) % c->kept;
		struct span *sp = &c->spans[i];
		if (sp->addr == addr && sp->n == n && sp->fetch == fetch) {
			c->cursor = i + 1;
			return sp->ok ? sp : NULL;
		}
	}
	return NULL;
}

/* n bytes at addr, of which the first fetch are read from the process:
 * a span of the last decode when one matches, else a new one for the next
 * span_fetch. */
static void span_add(struct reader *r, uint64_t addr, size_t n, size_t fetch)
{
	struct dbg_rt_cache *c = r->c;
	/* an object that would wrap past the top of the address space is
	 * no object (a pointer read through a damaged layout) */
	if (!addr || !n || n - 1 > UINT64_MAX - addr)
		return;
	struct span *sp = kept_span(c, addr, n, fetch);
	if (sp) {
		sp->needed = true;
		return;
	}
	c->spans = dbg_grow(c->spans, &c->spans_cap, c->nspans + 1, sizeof(*c->spans));
	c->data = dbg_grow(c->data, &c->data_cap, c->data_len + n, 1);
	c->spans[c->nspans++] = (struct span){ addr, n, c->data_len, fetch, false, true };
	memset(c->data + c->data_len + fetch, 0, n - fetch);
	c->data_len += n;
}

/* A whole object of type t, its needed prefix fetched. */
static void span_obj(struct reader *r, uint64_t addr, const struct dbg_type *t)
{
	span_add(r, addr, t->size, extent(r->c, t));
}

/* Spans closer than this are fetched as one range: the kernel's cost is
 * per range (a page-table walk and a page pin each), and a few hundred
 * bytes more to copy cost less than that. */
#define MERGE_GAP 1024

static int by_addr(const void *a, const void *b, void *spans)
{
	const struct span *v = spans;
	uint64_t x = v[*(const size_t *)a].addr, y = v[*(const size_t *)b].addr;
	return x < y ? -1 : x > y;
}

/* Read the spans first.. as merged ranges into scratch, then copy each
 * span's bytes out. False when a range could not be read. */
static bool fetch_merged(struct reader *r, size_t first, size_t n)
{
	struct dbg_rt_cache *c = r->c;
	if (first != 0 || n != c->order_all) {
		c->order = dbg_grow(c->order, &c->order_cap, n, sizeof(*c->order));
		for (size_t i = 0; i < n; i++)
			c->order[i] = first + i;
		qsort_r(c->order, n, sizeof(*c->order), by_addr, c->spans);
	}
	c->order_all = 0;

	/* Spans are sorted and none wraps (span_add), so each span with
	 * bytes to fetch lies inside the range it was merged into; spans
	 * that fetch nothing are left out. */
	c->reads = dbg_grow(c->reads, &c->reads_cap, n, sizeof(*c->reads));
	size_t nr = 0, total = 0;
	for (size_t i = 0; i < n; i++) {
		const struct span *sp = &c->spans[c->order[i]];
		struct dbg_read *rg = nr ? &c->reads[nr - 1] : NULL;
		if (!sp->fetch)
			continue;
		if (rg && sp->addr - rg->addr <= rg->n + MERGE_GAP) {
			if (sp->addr - rg->addr + sp->fetch > rg->n)
				rg->n = sp->addr - rg->addr + sp->fetch;
			continue;
		}
		c->reads[nr++] = (struct dbg_read){ sp->addr, NULL, sp->fetch };
	}
	for (size_t k = 0; k < nr; k++)
		total += c->reads[k].n;
	c->scratch = dbg_grow(c->scratch, &c->scratch_cap, total ? total : 1, 1);
	for (size_t k = 0, at = 0; k < nr; k++) {
		c->reads[k].buf = c->scratch + at;
		at += c->reads[k].n;
	}
	if (dbg_session_readv(r->s, c->reads, nr, NULL) < 0)
		return false;
	for (size_t i = 0, k = 0; i < n; i++) {
		const struct span *sp = &c->spans[c->order[i]];
		if (!sp->fetch)
			continue;
		while (k < nr && sp->addr - c->reads[k].addr >= c->reads[k].n)
			k++;
		if (k == nr)
			abort(); /* a span outside every range: a bug above */
		const uint8_t *src =
			(const uint8_t *)c->reads[k].buf + (sp->addr - c->reads[k].addr);
		memcpy(c->data + sp->off, src, sp->fetch);
	}
	return true;
}

/* Fetch the spans added since span first, in one batch. A failure leaves
 * them out of the snapshot: their reads then go to the process and fail
 * there with their own message. */
static void span_fetch(struct reader *r, size_t first)
{
	struct dbg_rt_cache *c = r->c;
	size_t n = c->nspans - first;
	if (!n)
		return;
	bool ok = fetch_merged(r, first, n);
	if (!ok) {
		/* a gap between two spans may be unmapped: span by span */
		for (size_t i = 0; i < n; i++) {
			const struct span *sp = &c->spans[first + i];
			c->reads[i] = (struct dbg_read){ sp->addr, c->data + sp->off, sp->fetch };
		}
		ok = dbg_session_readv(r->s, c->reads, n, NULL) == 0;
	}
	for (size_t i = first; i < c->nspans; i++)
		c->spans[i].ok = ok;
}

static uint64_t snap_u64(struct reader *r, uint64_t addr)
{
	uint64_t v = 0;
	struct dbg_rt_cache *c = r->c;
	for (size_t i = 0; i < c->nspans; i++) {
		const struct span *sp = &c->spans[i];
		if (sp->ok && addr >= sp->addr && sp->n >= 8 && addr - sp->addr <= sp->n - 8) {
			memcpy(&v, c->data + sp->off + (addr - sp->addr), 8);
			break;
		}
	}
	return v;
}

/*
 * The snapshot of one decode: what dbg_rt_read will read. Each level needs
 * the one before (the globals, the arrays they point to, the objects in
 * those): three batches. But from one step to the next the objects rarely
 * change, so the spans of the last decode are fetched first, in one batch,
 * and a level only fetches what they lack: one syscall per decode while
 * the set of G, M and P objects stays the same.
 */
static void prefetch(struct reader *r, uint64_t fs_base)
{
	struct dbg_rt_cache *c = r->c;
	const struct layout *L = &r->L;
	c->hint = c->cursor = 0;
	c->kept = c->reuse ? c->nspans : 0;
	if (!c->kept)
		c->nspans = c->data_len = c->order_all = 0;
	for (size_t i = 0; i < c->kept; i++)
		c->spans[i].needed = false;
	span_fetch(r, 0);
	size_t first = c->nspans;

	struct fld gsl[2], psl[2];
	uint64_t g0 = cglobal(r, "runtime.g0");
	uint64_t allgs = cglobal_slice(r, "runtime.allgs", gsl);
	uint64_t allm = cglobal(r, "runtime.allm");
	uint64_t allp = cglobal_slice(r, "runtime.allp", psl);
	uint64_t sched = cglobal(r, "runtime.sched");
	uint64_t slot;
	if (dbg_session_g_slot(r->s, fs_base, &slot))
		span_add(r, slot, 8, 8);
	span_obj(r, g0, L->g);
	span_add(r, allgs, 24, 24);
	span_add(r, allm, 8, 8);
	span_add(r, allp, 24, 24);
	if (L->schedt)
		span_obj(r, sched, L->schedt);
	span_fetch(r, first);

	first = c->nspans;
	uint64_t garr = allgs ? snap_u64(r, allgs + gsl[0].off) : 0;
	uint64_t glen = allgs ? snap_u64(r, allgs + gsl[1].off) : 0;
	uint64_t parr = allp ? snap_u64(r, allp + psl[0].off) : 0;
	uint64_t plen = allp ? snap_u64(r, allp + psl[1].off) : 0;
	uint64_t m = allm ? snap_u64(r, allm) : 0;
	glen = glen > PREFETCH_GS ? PREFETCH_GS : glen;
	plen = plen > MAX_PS ? MAX_PS : plen;
	span_add(r, garr, glen * 8, glen * 8);
	if (L->p)
		span_add(r, parr, plen * 8, plen * 8);
	if (L->m)
		span_obj(r, m, L->m);
	span_fetch(r, first);

	first = c->nspans;
	for (uint64_t i = 0; garr && i < glen; i++)
		span_obj(r, snap_u64(r, garr + i * 8), L->g);
	for (uint64_t i = 0; L->p && parr && i < plen; i++)
		span_obj(r, snap_u64(r, parr + i * 8), L->p);
	span_fetch(r, first);
	c->nlearn = 0;
}

/*
 * After a decode: the next one starts from this one's spans, and those of
 * the reads it made outside them, unless some span went unused (an object
 * left its list) or could not be read; then it starts afresh.
 */
static void plan_next(struct reader *r)
{
	struct dbg_rt_cache *c = r->c;
	c->reuse = true;
	for (size_t i = 0; i < c->nspans; i++)
		if (!c->spans[i].needed || !c->spans[i].ok)
			c->reuse = false;
	if (!c->reuse)
		return;
	size_t before = c->nspans;
	for (size_t i = 0; i < c->nlearn; i++)
		span_add(r, c->learn[i].addr, c->learn[i].n, c->learn[i].fetch);
	/* the next first batch is all these spans: sort them now, once, when
	 * this decode changed them */
	if (c->nspans != before || c->nspans != c->kept || !c->kept) {
		c->order = dbg_grow(c->order, &c->order_cap, c->nspans, sizeof(*c->order));
		for (size_t i = 0; i < c->nspans; i++)
			c->order[i] = i;
		qsort_r(c->order, c->nspans, sizeof(*c->order), by_addr, c->spans);
	}
	c->order_all = c->nspans;
}

/* Layouts and globals from the cache (built when the session, its DWARF
 * or the process changed), and the snapshot of this decode. */
static void reader_init(struct reader *r, struct dbg_session *s, struct dbg_rt *rt,
			struct dbg_dwarf *d, const struct dbg_golayout *table)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	struct dbg_rt_cache *c = cache_of(rt);
	pid_t pid = dbg_session_pid(s);
	unsigned gen = dbg_session_image_gen(s);
	if (c->s != s || c->d != d || c->table != table || c->pid != pid || c->gen != gen) {
		c->s = s;
		c->d = d;
		c->table = table;
		c->pid = pid;
		c->gen = gen;
		c->nglobals = 0;
		c->next = 0;
		c->reuse = false;
		noting = c;
		load_layout(d, table, &c->L);
		/* the P's run queue is walked by index, beyond runq[0] */
		if (c->L.p_runq_len)
			note_extent(c->L.p, c->L.p_runq.off + c->L.p_runq_len * 8);
		noting = NULL;
	}
	r->c = c;
	c->missed = false;
	r->L = c->L;
	r->own = c->obj;
	r->cap = c->obj_cap;
	if (r->L.g)
		prefetch(r, dbg_session_regs(s)->fs_base);
}

/* The reader's buffer goes back to the cache, and the next decode is
 * planned. */
static void reader_done(struct reader *r)
{
	r->c->obj = r->own;
	r->c->obj_cap = r->cap;
	if (r->L.g)
		plan_next(r);
}

/* pre, v in decimal (or hex with "0x" for hex), post into buf: labels are
 * made for every g at every decode, so without printf. */
static void put_num(char *buf, size_t n, const char *pre, uint64_t v, bool neg, bool hex,
		    const char *post)
{
	char digits[24];
	size_t k = 0, at = 0;
	do {
		digits[k++] = "0123456789abcdef"[hex ? v % 16 : v % 10];
		v = hex ? v / 16 : v / 10;
	} while (v);
	for (; *pre && at + 1 < n; pre++)
		buf[at++] = *pre;
	if (neg && at + 1 < n)
		buf[at++] = '-';
	while (k && at + 1 < n)
		buf[at++] = digits[--k];
	for (; *post && at + 1 < n; post++)
		buf[at++] = *post;
	buf[at] = '\0';
}

static void put_signed(char *buf, size_t n, const char *pre, int64_t v, const char *post)
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	put_num(buf, n, pre, u, v < 0, false, post);
}

/* The label of the g at addr (g: its decode, or NULL to look it up). */
static void put_label(char *buf, size_t n, const struct dbg_rt *rt, uint64_t addr,
		      const struct dbg_rt_g *g)
{
	if (!addr || addr == rt->g0) {
		const char *l = addr ? "g0" : "none";
		size_t k = strlen(l) < n ? strlen(l) : n - 1;
		memcpy(buf, l, k);
		buf[k] = '\0';
		return;
	}
	for (size_t i = 0; i < rt->nms; i++) {
		if (rt->ms[i].g0 == addr) {
			put_signed(buf, n, "m", rt->ms[i].id, ".g0");
			return;
		}
		if (rt->ms[i].gsignal == addr) {
			put_signed(buf, n, "m", rt->ms[i].id, ".gsignal");
			return;
		}
	}
	if (!g)
		g = find_g(rt, addr);
	if (g)
		put_signed(buf, n, "g", g->goid, "");
	else
		put_num(buf, n, "0x", addr, false, true, "");
}

static void set_labels(struct dbg_rt *rt)
{
	for (size_t i = 0; i < rt->ngs; i++) {
		struct dbg_rt_g *g = &rt->gs[i];
		put_label(g->label, sizeof(g->label), rt, g->addr, g);
	}
	put_label(rt->g_label, sizeof(rt->g_label), rt, rt->g, NULL);
}

struct touched {
	const struct dbg_rt_cache *c;
	bool hit;
};

/* Whether [addr, addr + len) meets the fetched bytes of a span. */
static void touch(void *arg, uint64_t addr, size_t len)
{
	struct touched *t = arg;
	const struct dbg_rt_cache *c = t->c;
	for (size_t i = 0; !t->hit && i < c->nspans; i++) {
		const struct span *sp = &c->spans[i];
		if (sp->fetch && addr < sp->addr + sp->fetch && sp->addr < addr + len)
			t->hit = true;
	}
}

/*
 * Whether the last decode in rt still holds: one step later, recorded as an
 * instruction that ran alone, which wrote none of the bytes the decode
 * read (its spans: the globals, the lists, every g, m and p, the current g's
 * slot), on the same thread's fs_base. Then nothing the decode depends on
 * changed and it stands as it is.
 */
static bool still_holds(struct dbg_session *s, struct dbg_rt *rt)
{
	struct dbg_rt_cache *c = rt->cache;
	if (!c || !c->decoded || c->s != s || c->pid != dbg_session_pid(s) ||
	    c->gen != dbg_session_image_gen(s))
		return false;
	struct dbg_timeline *tl = dbg_session_timeline(s);
	uint64_t steps = dbg_session_steps(s);
	if (!tl || steps != c->steps + 1 || dbg_session_regs(s)->fs_base != rt->fs_base)
		return false;
	struct touched t = { c, false };
	if (!dbg_tl_step_writes(tl, steps, c->epoch, touch, &t) || t.hit)
		return false;
	c->steps = steps;
	return true;
}

int dbg_rt_read(struct dbg_session *s, struct dbg_rt *rt, struct dbg_err *err)
{
	rt->unchanged = dbg_session_running(s) && still_holds(s, rt);
	if (rt->unchanged)
		return 0;
	if (rt->cache)
		rt->cache->decoded = false;
	rt->ngs = rt->nms = rt->nps = 0;
	rt->goids_len = rt->pids_len = 0;
	memset(&rt->sched, 0, sizeof(rt->sched));
	rt->fs_base = rt->g = rt->g0 = rt->m0 = 0;
	snprintf(rt->g_label, sizeof(rt->g_label), "none");

	if (!dbg_session_running(s))
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	const struct dbg_golayout *table;
	int rc = pick_layout(s, &table, &rt->partial, err);
	if (rc < 0)
		return rc;
	snprintf(rt->layout, sizeof(rt->layout), "%s%s", table ? table->release : "dwarf",
		 table ? " table" : "");
	struct reader r;
	reader_init(&r, s, rt, dbg_session_dwarf(s), table);

	rt->fs_base = dbg_session_regs(s)->fs_base;
	uint64_t slot;
	rc = dbg_session_g_slot(s, rt->fs_base, &slot) ? r_read_u64(&r, slot, &rt->g, err) : 0;
	if (rc < 0)
		goto out;
	rt->g0 = cglobal(&r, "runtime.g0");
	rt->m0 = cglobal(&r, "runtime.m0");

	/* g0 first, then allgs */
	if (rt->g0 && (rc = add_g(&r, rt, rt->g0, err)) < 0)
		goto out;
	uint64_t arr, len;
	if ((rc = read_slice(&r, "runtime.allgs", &arr, &len, err)) < 0)
		goto out;
	if (len > MAX_GS)
		len = MAX_GS;
	for (uint64_t i = 0; i < len; i++) {
		uint64_t gp;
		if ((rc = r_read_u64(&r, arr + i * 8, &gp, err)) < 0)
			goto out;
		if ((rc = add_g(&r, rt, gp, err)) < 0)
			goto out;
	}

	/* allm; before mcommoninit links m0 into it, m0 is known as g0.m */
	if (r.L.m) {
		uint64_t mp = 0;
		uint64_t allm = cglobal(&r, "runtime.allm");
		if (allm && (rc = r_read_u64(&r, allm, &mp, err)) < 0)
			goto out;
		for (size_t k = 0; mp && k < MAX_MS; k++)
			if ((rc = add_m(&r, rt, mp, &mp, err)) < 0)
				goto out;
		const struct dbg_rt_g *g0 = rt->g0 ? find_g(rt, rt->g0) : NULL;
		if (!rt->nms && g0 && g0->m && (rc = add_m(&r, rt, g0->m, &mp, err)) < 0)
			goto out;
		/* no symbols: the current g and its M */
		if (rt->partial && rt->g && (rc = add_g(&r, rt, rt->g, err)) < 0)
			goto out;
		const struct dbg_rt_g *cur = rt->partial && rt->g ? find_g(rt, rt->g) : NULL;
		if (!rt->nms && cur && cur->m && (rc = add_m(&r, rt, cur->m, &mp, err)) < 0)
			goto out;
		/* m0's g0 is runtime.g0 */
		if (rt->partial && rt->nms && rt->ms[0].id == 0) {
			rt->m0 = rt->ms[0].addr;
			rt->g0 = rt->ms[0].g0;
		}
	}
	/* sysmon's M: its mstartfn is runtime.sysmon (in Go a func value,
	 * a pointer to a word holding that pc). */
	uint64_t sysmon_pc = cglobal(&r, "runtime.sysmon");
	for (size_t i = 0; sysmon_pc && i < rt->nms; i++) {
		uint64_t f = rt->ms[i].mstartfn, w = 0;
		rt->ms[i].sysmon = f && (f == sysmon_pc ||
					 (r_read_u64(&r, f, &w, NULL) == 0 && w == sysmon_pc));
	}
	/* Each M's g0, and the gsignal its signal handlers run on, are made
	 * by malg and never enter allgs; threads run on them all the same. */
	for (size_t i = 0; i < rt->nms; i++) {
		if ((rc = add_g(&r, rt, rt->ms[i].g0, err)) < 0)
			goto out;
		if ((rc = add_g(&r, rt, rt->ms[i].gsignal, err)) < 0)
			goto out;
	}

	/* allp (no symbols: the current M's P) */
	if (r.L.p) {
		if ((rc = read_slice(&r, "runtime.allp", &arr, &len, err)) < 0)
			goto out;
		if (len > MAX_PS)
			len = MAX_PS;
		uint64_t own = rt->partial && rt->nms ? rt->ms[0].p : 0;
		if (own)
			len = 1;
		for (uint64_t i = 0; i < len; i++) {
			uint64_t pp = own;
			if ((!own && (rc = r_read_u64(&r, arr + i * 8, &pp, err)) < 0) ||
			    (pp && (rc = read_obj(&r, pp, r.L.p, err)) < 0))
				goto out;
			if (!pp)
				continue;
			const uint8_t *b = r.buf;
			size_t n = r.L.p->size;
			rt->ps = dbg_grow(rt->ps, &rt->ps_cap, rt->nps + 1, sizeof(*rt->ps));
			struct dbg_rt_p *p = &rt->ps[rt->nps];
			memset(p, 0, sizeof(*p));
			p->addr = pp;
			p->id = (int32_t)get_signed(b, n, r.L.p_id);
			p->status = (uint32_t)get(b, n, r.L.p_status);
			p->status_name = dbg_rt_pstatus_name(p->status);
			p->m = get(b, n, r.L.p_m);
			p->runqhead = (uint32_t)get(b, n, r.L.p_head);
			p->runqtail = (uint32_t)get(b, n, r.L.p_tail);
			p->runnext = get(b, n, r.L.p_runnext);
			p->runnext_goid = p->runnext ? goid_of(&r, rt, p->runnext) : -1;
			p->schedtick = (uint32_t)get(b, n, r.L.p_tick);
			uint32_t count = p->runqtail - p->runqhead;
			/* the ring's goids go to rt->goids; P runqs come first
			 * there, in P order (pointers set at the end) */
			if (r.L.p_runq_len && count <= r.L.p_runq_len) {
				for (uint32_t k = 0; k < count; k++) {
					struct fld f = { r.L.p_runq.off + ((p->runqhead + k) %
									   r.L.p_runq_len) *
										  8,
							 8 };
					push_goid(rt, goid_of(&r, rt, get(b, n, f)));
				}
				p->nrunq = count;
			}
			rt->nps++;
		}
	}

	/* sched */
	uint64_t sa = cglobal(&r, "runtime.sched");
	if (sa && r.L.schedt) {
		if ((rc = read_obj(&r, sa, r.L.schedt, err)) < 0)
			goto out;
		size_t n = r.L.schedt->size;
		uint8_t *b = malloc(n ? n : 1);
		if (!b) {
			rc = dbg_err_errno(err, -ENOMEM, "cannot decode runtime.sched");
			goto out;
		}
		memcpy(b, r.buf, n);
		struct dbg_rt_sched *sc = &rt->sched;
		sc->valid = true;
		sc->addr = sa;
		sc->goidgen = get(b, n, r.L.s_goidgen);
		sc->runqsize = get_signed(b, n, r.L.s_runqsize);
		sc->npidle = get_signed(b, n, r.L.s_npidle);
		sc->midle = get(b, n, r.L.s_midle);
		sc->nmidle = get_signed(b, n, r.L.s_nmidle);
		sc->nmspinning = get_signed(b, n, r.L.s_nmspinning);
		sc->nmsys = get_signed(b, n, r.L.s_nmsys);
		sc->mnext = get_signed(b, n, r.L.s_mnext);
		/* the idle Ms, through m.schedlink */
		uint64_t im = sc->midle;
		for (size_t k = 0; im && k < MAX_MS && r.L.m_schedlink.size; k++) {
			uint64_t next = 0;
			for (size_t i = 0; i < rt->nms; i++)
				if (rt->ms[i].addr == im)
					rt->ms[i].idle = true;
			if (r_read_u64(&r, im + r.L.m_schedlink.off, &next, NULL) < 0)
				break;
			im = next;
		}
		size_t at = rt->goids_len;
		uint64_t gp = get(b, n, r.L.s_runqhead);
		for (size_t k = 0; gp && k < MAX_LIST; k++) {
			push_goid(rt, goid_of(&r, rt, gp));
			uint64_t next = 0;
			if (!r.L.g_schedlink.size ||
			    r_read_u64(&r, gp + r.L.g_schedlink.off, &next, NULL) < 0)
				break;
			gp = next;
		}
		sc->nrunq = rt->goids_len - at;
		uint64_t pp = get(b, n, r.L.s_pidle);
		for (size_t k = 0; pp && k < MAX_PS; k++) {
			int32_t id = -1;
			uint64_t next = 0;
			for (size_t i = 0; i < rt->nps; i++)
				if (rt->ps[i].addr == pp)
					id = rt->ps[i].id;
			rt->pids = dbg_grow(rt->pids, &rt->pids_cap, rt->pids_len + 1,
					    sizeof(*rt->pids));
			rt->pids[rt->pids_len++] = id;
			if (!r.L.p_link.size ||
			    r_read_u64(&r, pp + r.L.p_link.off, &next, NULL) < 0)
				break;
			pp = next;
		}
		sc->pidle = rt->pids;
		sc->npidle_list = rt->pids_len;
		free(b);
		/* no goids at all: no array to point into (NULL + 0 is
		 * undefined in C) */
		sc->runq = rt->goids ? rt->goids + at : NULL;
	}
	/* pointers into goids, which may have moved while growing */
	for (size_t i = 0, off = 0; i < rt->nps; i++) {
		rt->ps[i].runq = rt->goids ? rt->goids + off : NULL;
		off += rt->ps[i].nrunq;
	}
	set_labels(rt);
	rc = 0;
out:
	reader_done(&r);
	if (rc == 0 && r.L.g && r.c->reuse && !r.c->missed) {
		struct dbg_timeline *tl = dbg_session_timeline(s);
		r.c->decoded = tl != NULL;
		r.c->steps = dbg_session_steps(s);
		r.c->epoch = tl ? dbg_tl_epoch(tl) : 0;
	}
	return rc;
}

void dbg_rt_release(struct dbg_rt *rt)
{
	if (rt->cache) {
		free(rt->cache->obj);
		free(rt->cache->spans);
		free(rt->cache->reads);
		free(rt->cache->order);
		free(rt->cache->scratch);
		free(rt->cache->data);
		free(rt->cache->learn);
		free(rt->cache->wr.off);
		free(rt->cache->wr.text);
		free(rt->cache);
	}
	free(rt->gs);
	free(rt->ms);
	free(rt->ps);
	free(rt->goids);
	free(rt->pids);
	memset(rt, 0, sizeof(*rt));
}

const struct dbg_rt_g *dbg_rt_find_g(const struct dbg_rt *rt, uint64_t addr)
{
	return find_g(rt, addr);
}

const char *dbg_rt_thread_state(const struct dbg_rt *rt, const struct dbg_rt_m *m, uint64_t g,
				char *buf, size_t n)
{
	const struct dbg_rt_g *gp = g ? find_g(rt, g) : NULL;

	if (!m)
		snprintf(buf, n, "no M");
	else if (!g)
		snprintf(buf, n, "starting"); /* TLS set by clone, g not yet */
	else if (gp && g != m->g0 && g != m->gsignal && g != rt->g0 &&
		 (gp->status & ~(uint32_t)DBG_G_SCAN) == DBG_G_SYSCALL)
		snprintf(buf, n, "syscall g%" PRId64, gp->goid);
	else if (gp && g != m->g0 && g != m->gsignal && g != rt->g0)
		snprintf(buf, n, "running g%" PRId64, gp->goid);
	else if (g == m->gsignal)
		snprintf(buf, n, "signal handler");
	else if (m->sysmon)
		snprintf(buf, n, "sysmon");
	else if (m->idle)
		snprintf(buf, n, "idle");
	else if (m->spinning)
		snprintf(buf, n, "spinning");
	else if (m->p)
		snprintf(buf, n, "scheduler");
	else
		snprintf(buf, n, "no P");
	return buf;
}

const struct dbg_rt_m *dbg_rt_m_of(const struct dbg_rt *rt, const struct dbg_thread_info *th)
{
	/* Go's own TLS: fs_base = &m.tls[0] + 8 */
	for (size_t i = 0; th->fs_base && i < rt->nms; i++)
		if (rt->ms[i].tls && rt->ms[i].tls + 8 == th->fs_base)
			return &rt->ms[i];
	/* libc's TLS (cgo): the thread id minit recorded */
	for (size_t i = 0; i < rt->nms; i++)
		if (rt->ms[i].procid && rt->ms[i].procid == (uint64_t)th->tid)
			return &rt->ms[i];
	/* before minit: the M whose g0 or goroutine the thread runs */
	for (size_t i = 0; th->g && i < rt->nms; i++)
		if (th->g == rt->ms[i].g0 || th->g == rt->ms[i].curg)
			return &rt->ms[i];
	return NULL;
}

const char *dbg_rt_g_label(const struct dbg_rt *rt, uint64_t addr)
{
	static _Thread_local char buf[32];
	put_label(buf, sizeof(buf), rt, addr, NULL);
	return buf;
}

int dbg_rt_cur_g(struct dbg_session *s, uint64_t *g, struct dbg_err *err)
{
	*g = 0;
	const struct dbg_regs *r = dbg_session_regs(s);
	if (!r)
		return dbg_err_set(err, -ESRCH, "the program is not being run");
	uint64_t slot;
	if (!dbg_session_g_slot(s, r->fs_base, &slot))
		return 0;
	/* read at every stop: kept while no step writes the slot */
	return dbg_session_read_kept(s, slot, g, err);
}

static const struct layout *ids_layout(struct dbg_session *s);

/* A field of at most 8 bytes, little-endian, through the kept words. */
static int kept_field(struct dbg_session *s, uint64_t addr, size_t size, uint64_t *v)
{
	uint64_t w = 0;
	int rc = size && size <= 8 ? dbg_session_read_kept(s, addr, &w, NULL) : -EINVAL;
	if (rc < 0)
		return rc;
	*v = size == 8 ? w : w & ((1ull << (8 * size)) - 1);
	return 0;
}

static int label_of(struct dbg_session *s, uint64_t g, char *buf, size_t n)
{
	if (!g) {
		snprintf(buf, n, "none");
		return 0;
	}
	if (g == global(s, "runtime.g0", NULL)) {
		snprintf(buf, n, "g0");
		return 0;
	}
	const struct layout *L = ids_layout(s);
	if (!L) {
		snprintf(buf, n, "0x%" PRIx64, g);
		return -ENODATA;
	}
	/* another M's g0 or gsignal: along allm, or without symbols g's own
	 * M (m0's g0 is runtime.g0); every word read is kept from stop to
	 * stop (dbg_session_read_kept) */
	uint64_t allm = global(s, "runtime.allm", NULL), mp = 0;
	bool own = false;
	if (!allm && L->g_m.size && dbg_session_read_kept(s, g + L->g_m.off, &mp, NULL) == 0)
		own = true;
	if ((own || (allm && dbg_session_read_kept(s, allm, &mp, NULL) == 0)) && L->m) {
		for (size_t k = 0; mp && k < 64; k++) {
			uint64_t g0 = 0, gs = 0, id = 0, next = 0;
			dbg_session_read_kept(s, mp + L->m_g0.off, &g0, NULL);
			if (L->m_gsignal.size)
				dbg_session_read_kept(s, mp + L->m_gsignal.off, &gs, NULL);
			if (L->m_id.size)
				dbg_session_read_kept(s, mp + L->m_id.off, &id, NULL);
			if (own && g == g0 && id == 0) {
				snprintf(buf, n, "g0");
				return 0;
			}
			if (g == g0 || g == gs) {
				snprintf(buf, n, "m%" PRId64 ".%s", (int64_t)id,
					 g == g0 ? "g0" : "gsignal");
				return 0;
			}
			if (own || !L->m_alllink.size ||
			    dbg_session_read_kept(s, mp + L->m_alllink.off, &next, NULL) < 0)
				break;
			mp = next;
		}
	}
	uint64_t goid = 0;
	if (g < 4096 || kept_field(s, g + L->g_goid.off, L->g_goid.size, &goid) < 0 ||
	    (int64_t)goid < 0)
		snprintf(buf, n, "0x%" PRIx64, g);
	else
		snprintf(buf, n, "g%" PRId64, (int64_t)goid);
	return 0;
}

/* The last label, while every word it was made of is kept (a label is
 * asked for at every stop). */
static _Thread_local struct {
	const struct dbg_session *s;
	unsigned image_gen, kept_gen;
	uint64_t g;
	int rc;
	char text[64];
} last_label;

int dbg_rt_label(struct dbg_session *s, uint64_t g, char *buf, size_t n)
{
	unsigned gen;
	if (n && dbg_session_kept_gen(s, &gen) && last_label.s == s && last_label.g == g &&
	    last_label.image_gen == dbg_session_image_gen(s) && last_label.kept_gen == gen) {
		size_t l = strlen(last_label.text);
		if (l >= n)
			l = n - 1;
		memcpy(buf, last_label.text, l);
		buf[l] = '\0';
		return last_label.rc;
	}
	int rc = label_of(s, g, buf, n);
	last_label.s = NULL;
	if (!n || strlen(buf) >= sizeof(last_label.text) || !dbg_session_kept_gen(s, &gen))
		return rc;
	snprintf(last_label.text, sizeof(last_label.text), "%s", buf);
	last_label.s = s;
	last_label.g = g;
	last_label.image_gen = dbg_session_image_gen(s);
	last_label.kept_gen = gen;
	last_label.rc = rc;
	return rc;
}

/*
 * The layout of the look-ups the system-call log makes at every call
 * (dbg_rt_g_ids, dbg_rt_m_id_at, dbg_rt_m_tls): found once per image of a
 * session, not in DWARF at every call.
 */
static _Thread_local struct {
	const struct dbg_session *s;
	const struct dbg_dwarf *d;
	unsigned gen;
	int rc;
	struct layout L;
} ids;

static const struct layout *ids_layout(struct dbg_session *s)
{
	struct dbg_dwarf *d = dbg_session_dwarf(s);
	unsigned gen = dbg_session_image_gen(s);
	if (ids.s != s || ids.d != d || ids.gen != gen) {
		const struct dbg_golayout *table;
		bool partial;
		ids.s = s;
		ids.d = d;
		ids.gen = gen;
		ids.rc = pick_layout(s, &table, &partial, NULL);
		if (ids.rc == 0)
			load_layout(d, table, &ids.L);
	}
	return ids.rc == 0 ? &ids.L : NULL;
}

void dbg_rt_forget_session(const struct dbg_session *s)
{
	if (ids.s == s)
		ids.s = NULL;
	if (last_label.s == s)
		last_label.s = NULL;
}

int dbg_rt_g_ids(struct dbg_session *s, uint64_t g, int64_t *goid, int64_t *mid)
{
	*goid = -1;
	*mid = -1;
	if (!g)
		return 0;
	const struct layout *L = ids_layout(s);
	if (!L)
		return -ENODATA;
	uint64_t mp = 0, id = 0;
	/* goid and m with one read of the g when they are close (the log
	 * asks at every call: go1.19's are 104 bytes apart) */
	uint64_t lo = L->g_m.off < L->g_goid.off ? L->g_m.off : L->g_goid.off;
	uint64_t hm = L->g_m.off + 8, hg = L->g_goid.off + L->g_goid.size;
	uint64_t hi = hm > hg ? hm : hg;
	uint8_t span[256];
	if (L->g_m.size == 8 && L->g_goid.size && L->g_goid.size <= 8 && hi - lo <= sizeof(span) &&
	    dbg_session_read(s, g + lo, span, hi - lo, NULL) == 0) {
		uint64_t v = 0;
		memcpy(&v, span + (L->g_goid.off - lo), L->g_goid.size);
		*goid = (int64_t)v;
		memcpy(&mp, span + (L->g_m.off - lo), 8);
		if (mp && L->m_id.size && dbg_session_read_u64(s, mp + L->m_id.off, &id, NULL) == 0)
			*mid = (int64_t)id;
		return 0;
	}
	struct reader r = { .s = s, .L = *L };
	*goid = read_goid(&r, g);
	if (L->g_m.size && dbg_session_read_u64(s, g + L->g_m.off, &mp, NULL) == 0 && mp &&
	    L->m_id.size && dbg_session_read_u64(s, mp + L->m_id.off, &id, NULL) == 0)
		*mid = (int64_t)id;
	free(r.own);
	return 0;
}

int dbg_rt_ids_layout(struct dbg_session *s, struct dbg_rt_ids *out)
{
	const struct layout *L = ids_layout(s);
	if (!L)
		return -ENODATA;
	if (L->g_m.size != 8 || !L->g_goid.size || L->g_goid.size > 8 || L->m_id.size != 8)
		return -ENOENT;
	*out = (struct dbg_rt_ids){ .goid_off = L->g_goid.off,
				    .goid_size = L->g_goid.size,
				    .m_off = L->g_m.off,
				    .id_off = L->m_id.off };
	return 0;
}

int dbg_rt_m_id_at(struct dbg_session *s, uint64_t m, int64_t *id)
{
	const struct layout *L = m ? ids_layout(s) : NULL;
	if (!L)
		return -ENODATA;
	uint64_t g0 = 0, back = 0, v = 0;
	if (!L->m_g0.size || !L->g_m.size || !L->m_id.size ||
	    dbg_session_read_u64(s, m + L->m_g0.off, &g0, NULL) < 0 || !g0 ||
	    dbg_session_read_u64(s, g0 + L->g_m.off, &back, NULL) < 0 || back != m ||
	    dbg_session_read_u64(s, m + L->m_id.off, &v, NULL) < 0)
		return -ENOENT;
	*id = (int64_t)v;
	return 0;
}

int dbg_rt_m_tls(struct dbg_session *s, uint64_t *off)
{
	const struct layout *L = ids_layout(s);
	if (!L)
		return -ENODATA;
	if (!L->m_tls0.size)
		return -ENOENT;
	*off = L->m_tls0.off;
	return 0;
}

const struct dbg_type *dbg_rt_type(struct dbg_session *s, const char *name)
{
	struct dbg_dwarf *d = dbg_session_dwarf(s);
	return d ? dbg_dwarf_struct(d, name) : NULL;
}
