/* lines — line tables through libdw, and the source files (see lines.h). */
#include "lines.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <glob.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct row {
	uint64_t addr; /* link-time */
	uint32_t file; /* index in files */
	uint32_t line; /* 0: end of a sequence */
	uint32_t col;
	uint32_t seq; /* order read, to keep rows of one address in order */
	bool stmt;
	bool prologue_end;
	bool asm_cu; /* its unit is assembly source */
};

struct src {
	char *file, *path;
	char *text;
	size_t *starts; /* nlines + 1 offsets into text */
	struct dbg_source pub;
};

struct dbg_lines {
	struct dbg_dwarf *d;
	struct row *rows;
	size_t n, cap;
	char **files;
	char **dirs; /* each file's compilation directory, or NULL */
	size_t nfiles, files_cap, dirs_cap;
	uint32_t *fhash; /* open addressing: index + 1, 0 empty */
	size_t fhash_cap;
	struct src **srcs; /* each its own block: dbg_source pointers stay */
	size_t nsrcs, srcs_cap;

	/* Units are read when a look-up needs them: a pc, the unit whose
	 * address ranges hold it; a file name, all of them. */
	Dwarf_Off *cus; /* each unit's DIE */
	bool *loaded;
	size_t ncus, cus_cap;
	struct span {
		uint64_t lo, hi; /* link-time [lo, hi) */
		size_t cu;
	} * spans; /* by address, disjoint */
	size_t nspans, spans_cap;
	bool all;     /* every unit read, in unit order (as files are) */
	bool partial; /* some unit read before the others */
	char **old;   /* file names of a partial table, kept for the
			 pointers handed out */
	size_t nold, old_cap;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static uint32_t intern(struct dbg_lines *l, const char *name, const char *dir)
{
	if (l->nfiles * 2 >= l->fhash_cap) {
		size_t cap = l->fhash_cap ? l->fhash_cap * 2 : 256;
		uint32_t *h = calloc(cap, sizeof(*h));
		if (!h)
			abort();
		for (size_t i = 0; i < l->nfiles; i++) {
			size_t j = hash_str(l->files[i]) & (cap - 1);
			while (h[j])
				j = (j + 1) & (cap - 1);
			h[j] = (uint32_t)i + 1;
		}
		free(l->fhash);
		l->fhash = h;
		l->fhash_cap = cap;
	}
	size_t j = hash_str(name) & (l->fhash_cap - 1);
	while (l->fhash[j]) {
		if (strcmp(l->files[l->fhash[j] - 1], name) == 0)
			return l->fhash[j] - 1;
		j = (j + 1) & (l->fhash_cap - 1);
	}
	l->files = dbg_grow(l->files, &l->files_cap, l->nfiles + 1, sizeof(*l->files));
	l->dirs = dbg_grow(l->dirs, &l->dirs_cap, l->nfiles + 1, sizeof(*l->dirs));
	char *c = strdup(name), *d = dir && name[0] != '/' ? strdup(dir) : NULL;
	if (!c || (dir && name[0] != '/' && !d))
		abort();
	l->files[l->nfiles] = c;
	l->dirs[l->nfiles] = d;
	l->fhash[j] = (uint32_t)l->nfiles + 1;
	return (uint32_t)l->nfiles++;
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* an end of sequence first: it ends what came before this address */
	if ((x->line == 0) != (y->line == 0))
		return x->line == 0 ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void add_cu(struct dbg_lines *l, Dwarf_Die *cu)
{
	Dwarf_Lines *lines;
	size_t n;
	if (dwarf_getsrclines(cu, &lines, &n) != 0)
		return;
	size_t start = l->n; /* rows of this unit */
	bool asm_cu = dwarf_srclang(cu) == DW_LANG_Mips_Assembler;
	Dwarf_Attribute at;
	const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &at));
	for (size_t i = 0; i < n; i++) {
		Dwarf_Line *ln = dwarf_onesrcline(lines, i);
		Dwarf_Addr addr;
		int lineno = 0, col = 0;
		bool end = false, stmt = false, pe = false;
		if (!ln || dwarf_lineaddr(ln, &addr) != 0)
			continue;
		dwarf_lineendsequence(ln, &end);
		dwarf_linebeginstatement(ln, &stmt);
		dwarf_lineprologueend(ln, &pe);
		dwarf_lineno(ln, &lineno);
		dwarf_linecol(ln, &col);
		if (end) {
			/* as gdb: rows at the address of the end are empty */
			while (l->n > start && l->rows[l->n - 1].addr == addr &&
			       l->rows[l->n - 1].line)
				l->n--;
			if (l->n == start || l->rows[l->n - 1].line == 0)
				continue; /* an empty sequence */
			lineno = 0;
		} else if (lineno <= 0) {
			continue;
		}
		if (addr == 0)
			continue; /* code the linker dropped */
		const char *f = end ? NULL : dwarf_linesrc(ln, NULL, NULL);
		l->rows = dbg_grow(l->rows, &l->cap, l->n + 1, sizeof(*l->rows));
		l->rows[l->n] = (struct row){
			.addr = addr,
			.file = f ? intern(l, f, dir) : 0,
			.line = (uint32_t)lineno,
			.col = col > 0 ? (uint32_t)col : 0,
			.seq = (uint32_t)l->n,
			.stmt = stmt,
			.prologue_end = pe,
			.asm_cu = asm_cu,
		};
		l->n++;
	}
}

struct run {
	size_t at, n;
};

/*
 * The rows by address. A unit's rows come in address order within each of
 * its sequences, so the rows are a few dozen runs in order (a Go binary's
 * units follow its packages, not their addresses): merging the runs two
 * by two sorts them in a few passes over the rows, not the n log n
 * comparisons of a sort of every row.
 */
static void sort_rows(struct dbg_lines *l)
{
	struct run *runs = NULL;
	size_t nruns = 0, runs_cap = 0;
	for (size_t i = 0; i < l->n;) {
		size_t j = i + 1;
		while (j < l->n && cmp_row(&l->rows[j - 1], &l->rows[j]) <= 0)
			j++;
		runs = dbg_grow(runs, &runs_cap, nruns + 1, sizeof(*runs));
		runs[nruns++] = (struct run){ i, j - i };
		i = j;
	}
	if (nruns < 2) {
		free(runs);
		return;
	}
	struct row *src = l->rows, *dst = malloc(l->n * sizeof(*dst));
	if (!dst)
		abort();
	while (nruns > 1) {
		size_t out = 0;
		for (size_t k = 0; k < nruns; k += 2) {
			const struct run *a = &runs[k];
			if (k + 1 == nruns) {
				memcpy(dst + a->at, src + a->at, a->n * sizeof(*dst));
				runs[out++] = *a;
				break;
			}
			const struct run *b = &runs[k + 1];
			size_t x = a->at, xe = a->at + a->n, y = b->at, ye = b->at + b->n,
			       at = a->at;
			while (x < xe && y < ye)
				dst[at++] = cmp_row(&src[x], &src[y]) <= 0 ? src[x++] : src[y++];
			while (x < xe)
				dst[at++] = src[x++];
			while (y < ye)
				dst[at++] = src[y++];
			runs[out++] = (struct run){ a->at, a->n + b->n };
		}
		nruns = out;
		struct row *t = src;
		src = dst;
		dst = t;
	}
	free(runs);
	free(dst);
	l->rows = src;
	l->cap = l->n;
}

static void load_cu(struct dbg_lines *l, size_t i)
{
	Dwarf_Die cu;
	l->loaded[i] = true;
	if (dwarf_offdie(dbg_dwarf_libdw(l->d), l->cus[i], &cu))
		add_cu(l, &cu);
}

/* Every unit, in unit order: the table and its files as if read at once
 * (a table read in part before starts over; the names it handed out
 * stay valid). */
static void load_all(struct dbg_lines *l)
{
	if (l->all)
		return;
	l->all = true;
	if (l->partial) {
		for (size_t i = 0; i < l->nfiles; i++) {
			l->old = dbg_grow(l->old, &l->old_cap, l->nold + 1, sizeof(*l->old));
			l->old[l->nold++] = l->files[i];
			free(l->dirs[i]);
		}
		l->nfiles = 0;
		if (l->fhash)
			memset(l->fhash, 0, l->fhash_cap * sizeof(*l->fhash));
		l->n = 0;
	}
	for (size_t i = 0; i < l->ncus; i++)
		load_cu(l, i);
	sort_rows(l);
}

/* The units holding link-time [lo, hi) are read. */
static void load_range(const struct dbg_lines *cl, uint64_t lo, uint64_t hi)
{
	struct dbg_lines *l = (struct dbg_lines *)cl; /* a cache of the table */
	if (l->all)
		return;
	size_t a = 0, b = l->nspans;
	while (a < b) { /* the first span ending above lo */
		size_t mid = a + (b - a) / 2;
		if (l->spans[mid].hi <= lo)
			a = mid + 1;
		else
			b = mid;
	}
	if (a == l->nspans || l->spans[a].lo > lo) {
		/* no unit says it holds lo: read them all, as if at once */
		load_all(l);
		return;
	}
	size_t before = l->n;
	for (; a < l->nspans && l->spans[a].lo < hi; a++) {
		if (l->loaded[l->spans[a].cu])
			continue;
		l->partial = true;
		load_cu(l, l->spans[a].cu);
	}
	if (l->n != before)
		sort_rows(l);
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

int dbg_lines_open(struct dbg_lines **out, struct dbg_dwarf *d, struct dbg_err *err)
{
	*out = NULL;
	Dwarf *dw = dbg_dwarf_libdw(d);
	struct dbg_lines *l = calloc(1, sizeof(*l));
	if (!l)
		abort();
	l->d = d;
	Dwarf_Off off = 0, next;
	size_t hsize;
	bool any = false, ranged = true;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Attribute at;
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_attr(&cu, DW_AT_stmt_list, &at)) {
			any = true;
			l->cus = dbg_grow(l->cus, &l->cus_cap, l->ncus + 1, sizeof(*l->cus));
			l->cus[l->ncus] = off + hsize;
			Dwarf_Addr base, lo, hi;
			ptrdiff_t o = 0;
			size_t had = l->nspans;
			while ((o = dwarf_ranges(&cu, o, &base, &lo, &hi)) > 0)
				if (hi > lo) {
					l->spans = dbg_grow(l->spans, &l->spans_cap, l->nspans + 1,
							    sizeof(*l->spans));
					l->spans[l->nspans++] = (struct span){ lo, hi, l->ncus };
				}
			/* a unit with lines and no addresses: nothing says where
			 * its rows are */
			if (o < 0 || l->nspans == had)
				ranged = false;
			l->ncus++;
		}
		off = next;
	}
	if (!any) {
		dbg_lines_free(l);
		return dbg_err_set(err, -ENODATA, "no line table in the DWARF");
	}
	l->loaded = calloc(l->ncus, sizeof(*l->loaded));
	if (!l->loaded)
		abort();
	if (l->nspans)
		qsort(l->spans, l->nspans, sizeof(*l->spans), cmp_span);
	/* units whose ranges overlap: a pc's rows may come from several */
	for (size_t i = 1; ranged && i < l->nspans; i++)
		if (l->spans[i].lo < l->spans[i - 1].hi)
			ranged = false;
	if (!ranged)
		load_all(l);
	*out = l;
	return 0;
}

void dbg_lines_forget_sources(struct dbg_lines *l)
{
	for (size_t i = 0; i < l->nsrcs; i++) {
		free(l->srcs[i]->file);
		free(l->srcs[i]->path);
		free(l->srcs[i]->text);
		free(l->srcs[i]->starts);
		free(l->srcs[i]);
	}
	l->nsrcs = 0;
}

void dbg_lines_free(struct dbg_lines *l)
{
	if (!l)
		return;
	dbg_lines_forget_sources(l);
	free(l->srcs);
	for (size_t i = 0; i < l->nfiles; i++) {
		free(l->files[i]);
		free(l->dirs[i]);
	}
	free(l->files);
	free(l->dirs);
	free(l->fhash);
	free(l->rows);
	for (size_t i = 0; i < l->nold; i++)
		free(l->old[i]);
	free(l->old);
	free(l->cus);
	free(l->loaded);
	free(l->spans);
	free(l);
}

/* Index of the first row above link-time address a. */
static size_t upper(const struct dbg_lines *l, uint64_t a)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->rows[mid].addr <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool dbg_lines_at(const struct dbg_lines *l, uint64_t pc, struct dbg_line *out)
{
	if (!l)
		return false;
	uint64_t bias = dbg_dwarf_bias(l->d);
	if (pc < bias)
		return false;
	uint64_t a = pc - bias;
	load_range(l, a, a + 1);
	size_t hi = upper(l, a);
	if (hi == 0)
		return false;
	size_t p = hi - 1;
	if (l->rows[p].line == 0)
		return false;
	/* a statement row at the same address wins */
	for (size_t q = p; !l->rows[p].stmt && q > 0 && l->rows[q - 1].addr == l->rows[p].addr &&
			   l->rows[q - 1].line;
	     q--)
		if (l->rows[q - 1].stmt) {
			p = q - 1;
			break;
		}
	const struct row *r = &l->rows[p];
	size_t e = hi;
	out->file = l->files[r->file];
	out->line = r->line;
	out->col = r->col;
	out->is_stmt = r->stmt;
	out->asm_source = r->asm_cu;
	out->addr = r->addr + bias;
	out->end = (e < l->n ? l->rows[e].addr : r->addr + 1) + bias;
	return true;
}

uint64_t dbg_lines_prologue_end(const struct dbg_lines *l, uint64_t lo, uint64_t hi)
{
	uint64_t bias = dbg_dwarf_bias(l->d);
	if (lo < bias)
		return 0;
	if (hi > lo)
		load_range(l, lo - bias, hi - bias);
	for (size_t i = upper(l, lo - bias - 1); i < l->n && l->rows[i].addr + bias < hi; i++)
		if (l->rows[i].line && l->rows[i].prologue_end && l->rows[i].addr + bias >= lo)
			return l->rows[i].addr + bias;
	return 0;
}

static bool file_matches(const char *full, const char *want)
{
	size_t fl = strlen(full), wl = strlen(want);
	if (fl == wl)
		return strcmp(full, want) == 0;
	return fl > wl && full[fl - wl - 1] == '/' && strcmp(full + fl - wl, want) == 0;
}

bool dbg_lines_has_file(const struct dbg_lines *l, const char *file, const char **full)
{
	load_all((struct dbg_lines *)l); /* a cache of the table */
	for (size_t i = 0; i < l->nfiles; i++)
		if (file_matches(l->files[i], file)) {
			if (full)
				*full = l->files[i];
			return true;
		}
	return false;
}

size_t dbg_lines_find(const struct dbg_lines *l, const char *file, unsigned line, uint64_t *addrs,
		      size_t max, unsigned *line_out, const char **file_out)
{
	*file_out = NULL;
	*line_out = 0;
	load_all((struct dbg_lines *)l); /* a cache of the table */
	bool *match = calloc(l->nfiles ? l->nfiles : 1, sizeof(*match));
	if (!match)
		abort();
	for (size_t i = 0; i < l->nfiles; i++)
		if (file_matches(l->files[i], file)) {
			match[i] = true;
			if (!*file_out)
				*file_out = l->files[i];
		}
	/* the exact line, else the nearest one after it with code */
	unsigned best = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct row *r = &l->rows[i];
		if (!r->line || !r->stmt || !match[r->file] || r->line < line)
			continue;
		if (!best || r->line < best)
			best = r->line;
	}
	size_t k = 0;
	uint64_t bias = dbg_dwarf_bias(l->d);
	for (size_t i = 0; best && i < l->n && k < max; i++) {
		const struct row *r = &l->rows[i];
		if (r->line != best || !r->stmt || !match[r->file])
			continue;
		if (k && addrs[k - 1] == r->addr + bias)
			continue;
		addrs[k++] = r->addr + bias;
	}
	free(match);
	*line_out = best;
	return k;
}

/* ---- source files -------------------------------------------------------- */

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The first line of a file (a GOROOT's VERSION), or "". */
static void first_line(const char *path, char *buf, size_t n)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(buf, (int)n, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
}

/* "go1.19.8" -> length of "go1.19" (the release), or the whole. */
static size_t major_len(const char *v)
{
	const char *dot = strchr(v, '.');
	if (dot)
		dot = strchr(dot + 1, '.');
	return dot ? (size_t)(dot - v) : strlen(v);
}

const char *dbg_lines_goroot(const char *go_version)
{
	static bool done;
	static char *goenv;
	static char best[4096];
	if (!done) {
		done = true;
		FILE *p = popen("go env GOROOT 2>/dev/null", "re");
		if (p) {
			char buf[4096];
			if (fgets(buf, sizeof(buf), p)) {
				buf[strcspn(buf, "\r\n")] = '\0';
				if (buf[0] == '/')
					goenv = strdup(buf);
			}
			pclose(p);
		}
	}
	const char *v = go_version ? go_version : "";
	/* 3: same release, 2: same major, 1: go env's */
	int score = 0;
	best[0] = '\0';
	if (goenv) {
		char ver[128], vp[4200];
		snprintf(vp, sizeof(vp), "%s/VERSION", goenv);
		first_line(vp, ver, sizeof(ver));
		score = v[0] && strcmp(ver, v) == 0 ? 3 :
			v[0] && major_len(v) == major_len(ver) &&
					strncmp(ver, v, major_len(v)) == 0 ?
						      2 :
						      1;
		snprintf(best, sizeof(best), "%s", goenv);
	}
	glob_t g;
	if (score < 3 && glob("/usr/lib/go-*", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char ver[128], vp[4200];
			snprintf(vp, sizeof(vp), "%s/VERSION", g.gl_pathv[i]);
			first_line(vp, ver, sizeof(ver));
			int sc = v[0] && strcmp(ver, v) == 0 ? 3 :
				 v[0] && major_len(v) == major_len(ver) &&
						 strncmp(ver, v, major_len(v)) == 0 ?
							       2 :
							       0;
			if (sc > score) {
				score = sc;
				snprintf(best, sizeof(best), "%s", g.gl_pathv[i]);
			}
		}
		globfree(&g);
	}
	if (score < 3 && glob("/usr/share/go-*", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char vp[4200];
			/* no VERSION here: /usr/share/go-1.19 is release go1.19 */
			const char *dash = strrchr(g.gl_pathv[i], '-');
			snprintf(vp, sizeof(vp), "go%s", dash ? dash + 1 : "");
			int sc = v[0] && major_len(v) == strlen(vp) &&
						 strncmp(vp, v, strlen(vp)) == 0 ?
					 2 :
					 0;
			if (sc > score) {
				score = sc;
				snprintf(best, sizeof(best), "%s", g.gl_pathv[i]);
			}
		}
		globfree(&g);
	}
	return best[0] ? best : NULL;
}

/* Where to look for file (joined to its compilation directory):
 * substitutions, then the GOROOT rewrite. */
static void source_path(const char *file, const struct dbg_subst *subst, size_t nsubst,
			const char *go_version, char *out, size_t n)
{
	snprintf(out, n, "%s", file);
	for (size_t i = 0; i < nsubst; i++) {
		size_t fl = strlen(subst[i].from);
		if (fl && strncmp(file, subst[i].from, fl) == 0 &&
		    (file[fl] == '/' || file[fl] == '\0' || subst[i].from[fl - 1] == '/')) {
			snprintf(out, n, "%s%s", subst[i].to, file + fl);
			break;
		}
	}
	if (!go_version || is_file(out))
		return;
	/* Go's sources named by the build machine's GOROOT: the local one */
	const char *src = strstr(out, "/src/");
	const char *root = src ? dbg_lines_goroot(go_version) : NULL;
	if (root) {
		char alt[4096];
		snprintf(alt, sizeof(alt), "%s%s", root, src);
		if (is_file(alt))
			snprintf(out, n, "%s", alt);
	}
}

static int load_text(struct src *s)
{
	FILE *f = fopen(s->path, "re");
	if (!f)
		return -errno;
	size_t cap = 0, len = 0;
	char *text = NULL;
	for (;;) {
		text = dbg_grow(text, &cap, len + 65536, 1);
		size_t k = fread(text + len, 1, cap - len, f);
		len += k;
		if (k == 0)
			break;
	}
	fclose(f);
	text = dbg_xrealloc(text, len + 1);
	text[len] = '\0';
	size_t nl = 0, scap = 0;
	size_t *starts = NULL;
	for (size_t i = 0; i < len;) {
		starts = dbg_grow(starts, &scap, nl + 2, sizeof(*starts));
		starts[nl++] = i;
		char *e = memchr(text + i, '\n', len - i);
		i = e ? (size_t)(e - text) + 1 : len;
	}
	starts = dbg_grow(starts, &scap, nl + 2, sizeof(*starts));
	starts[nl] = len;
	s->text = text;
	s->starts = starts;
	s->pub.nlines = nl;
	return 0;
}

int dbg_lines_source(struct dbg_lines *l, const char *file, const struct dbg_subst *subst,
		     size_t nsubst, const char *go_version, const struct dbg_source **out,
		     struct dbg_err *err)
{
	struct src *s = NULL;
	for (size_t i = 0; i < l->nsrcs; i++)
		if (strcmp(l->srcs[i]->file, file) == 0)
			s = l->srcs[i];
	if (!s) {
		char path[4096], joined[4096];
		const char *dir = NULL;
		for (size_t j = 0; !dir && j < l->nfiles; j++)
			if (strcmp(l->files[j], file) == 0)
				dir = l->dirs[j];
		if (dir)
			snprintf(joined, sizeof(joined), "%s/%s", dir, file);
		else
			snprintf(joined, sizeof(joined), "%s", file);
		source_path(joined, subst, nsubst, go_version, path, sizeof(path));
		l->srcs = dbg_grow(l->srcs, &l->srcs_cap, l->nsrcs + 1, sizeof(*l->srcs));
		s = calloc(1, sizeof(*s));
		if (!s)
			abort();
		l->srcs[l->nsrcs++] = s;
		s->file = strdup(file);
		s->path = strdup(path);
		if (!s->file || !s->path)
			abort();
		s->pub.file = s->file;
		s->pub.path = s->path;
		s->pub.found = is_file(path) && load_text(s) == 0;
	}
	*out = &s->pub;
	if (s->pub.found)
		return 0;
	return dbg_err_set(err, -ENOENT, "cannot find source file %s (tried %s)", file, s->path);
}

const char *dbg_source_line(const struct dbg_source *src, size_t n, size_t *len)
{
	const struct src *s = (const struct src *)((const char *)src - offsetof(struct src, pub));
	if (!src->found || n == 0 || n > src->nlines)
		return NULL;
	size_t a = s->starts[n - 1], b = s->starts[n];
	while (b > a && (s->text[b - 1] == '\n' || s->text[b - 1] == '\r'))
		b--;
	*len = b - a;
	return s->text + a;
}
