#include "tui_draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "render.h"
#include "syscalls.h"
#include "theme.h"
#include "tui_panes.h"

/* ---- a pen: writes along one row, clipped at the window's right edge,
 * where a '>' says the row goes on ------------------------------------ */

struct pen {
	WINDOW *w;
	int y, x, maxx;
	attr_t base; /* row highlight (PC line…): overrides roles when set */
};

static void pen_row(struct pen *p, WINDOW *w, int y, attr_t base)
{
	p->w = w;
	p->y = y;
	p->x = 0;
	p->maxx = w ? getmaxx(w) : 0;
	p->base = base;
	if (base != A_NORMAL && w)
		mvwhline(w, y, 0, ' ' | base, p->maxx);
}

static attr_t role(const struct pen *p, enum ui_color c)
{
	return p->base != A_NORMAL ? p->base : ui_theme_attr(c);
}

/* Text cut at the right edge is marked there with '>' (as the `:` line
 * marks its hidden end): nothing is cut off silently. */
static void mark_cut(struct pen *p, const char *s, int from, int n)
{
	for (int i = from; i < n; i++)
		if (s[i] != ' ') {
			if (p->w && p->maxx > 0)
				mvwaddch(p->w, p->y, p->maxx - 1, '>' | role(p, UI_COLOR_DIM));
			return;
		}
}

static void putn(struct pen *p, attr_t a, const char *s, int n)
{
	int room = p->maxx - p->x;
	if (n > room) {
		int keep = room > 0 ? room : 0;
		if (keep > 0 && p->w) {
			wattrset(p->w, a);
			mvwaddnstr(p->w, p->y, p->x, s, keep);
			wattrset(p->w, A_NORMAL);
			p->x += keep;
		}
		mark_cut(p, s, keep, n);
		return;
	}
	if (n <= 0)
		return;
	if (p->w) {
		wattrset(p->w, a);
		mvwaddnstr(p->w, p->y, p->x, s, n);
		wattrset(p->w, A_NORMAL);
	}
	p->x += n;
}

static void put(struct pen *p, enum ui_color c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void put(struct pen *p, enum ui_color c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof buf)
		n = sizeof buf - 1;
	putn(p, role(p, c), buf, n);
}

/* Move to column col (spaces in between keep the row's highlight). */
static void pad_to(struct pen *p, int col)
{
	if (col > p->maxx)
		col = p->maxx;
	if (p->x < col)
		p->x = col;
}

static void title_row(WINDOW *w, enum ui_pane pane, bool focus, const char *extra)
{
	attr_t a = ui_theme_attr(focus ? UI_COLOR_TITLE_FOCUS : UI_COLOR_TITLE);
	struct pen p;
	pen_row(&p, w, 0, a);
	put(&p, UI_COLOR_TITLE, "%s%s ", focus ? ">" : " ", ui_pane_class(pane)->title);
	if (extra && extra[0])
		put(&p, UI_COLOR_TITLE, " %s", extra);
}

/* Append to a title what a pane cannot show: "  3 above  +5 more". */
static void hidden_note(char *extra, size_t n, int above, int below)
{
	size_t len = strlen(extra);
	if (above > 0 && len < n)
		len += (size_t)snprintf(extra + len, n - len, "%s%d above", len ? "  " : "", above);
	if (below > 0 && len < n)
		snprintf(extra + len, n - len, "%s+%d more", len ? "  " : "", below);
}

static void message(WINDOW *w, int y, enum ui_color c, const char *text)
{
	struct pen p;
	pen_row(&p, w, y, A_NORMAL);
	put(&p, c, " %s", text);
}

/* "0x4c5e40" or "-" for 0. */
static const char *hex_or_dash(char *buf, size_t n, uint64_t v)
{
	if (v == 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%#lx", (unsigned long)v);
	return buf;
}

/* ---- code -------------------------------------------------------------- */

static void code_title(WINDOW *w, struct ui_model *m, bool focus)
{
	char extra[256], sym[160];
	uint64_t pc = m->have_regs ? m->regs.rip : 0;
	if (pc) {
		dbg_session_symbolize(m->s, pc, sym, sizeof sym);
		snprintf(extra, sizeof extra, "pc %#lx <%s>", (unsigned long)pc, sym);
	} else {
		snprintf(extra, sizeof extra, "(no process: the file image)");
	}
	title_row(w, UI_PANE_CODE, focus, extra);
}

/* One instruction on row y: marks, address, offset, text, what it names,
 * the stage at it. */
static void code_line(WINDOW *w, int y, struct ui_model *m, size_t i, const struct dbg_sym *s,
		      bool focus, int digits)
{
	const struct dbg_insn *in = &m->insns[i];
	const struct dbg_stages *st = dbg_session_stages(m->s);
	int width = getmaxx(w);
	char sym[160];
	bool is_pc = i == m->pc_index;
	bool is_sel = focus && m->code_sel && i == m->sel_index;
	attr_t base = is_pc  ? ui_theme_attr(UI_COLOR_PC) :
		      is_sel ? ui_theme_attr(UI_COLOR_SELECTED) :
			       A_NORMAL;
	wmove(w, y, 0);
	wclrtoeol(w);
	struct pen p;
	pen_row(&p, w, y, base);
	const struct dbg_bp *bp = dbg_session_bp_placed(m->s, in->addr);
	if (bp)
		put(&p, UI_COLOR_BREAKPOINT, "%c", bp->enabled ? '*' : 'o');
	else
		put(&p, UI_COLOR_NORMAL, " ");
	put(&p, UI_COLOR_NORMAL, "%c 0x%0*lx", is_pc ? '>' : ' ', digits, (unsigned long)in->addr);
	if (s)
		put(&p, UI_COLOR_DIM, " <+%lu>", (unsigned long)(in->addr - s->addr));
	pad_to(&p, digits + 13);
	put(&p, UI_COLOR_NORMAL, " %-7s %s", in->mnemonic, in->ops);
	if (in->target && (in->is_call || in->is_jump) &&
	    dbg_session_symbolize(m->s, in->target, sym, sizeof sym) == 0)
		put(&p, UI_COLOR_SYMBOL, " <%s>", sym);
	/* a static memory operand: name what it touches (runtime.g0+16) */
	for (int k = 0; k < in->nops; k++) {
		const struct dbg_operand *op = &in->op[k];
		if (op->type == DBG_OP_MEM && op->mem.addr &&
		    dbg_session_symbolize(m->s, op->mem.addr, sym, sizeof sym) == 0) {
			put(&p, UI_COLOR_SYMBOL, "  # %s", sym);
			break;
		}
	}
	/* a system call: decoded from the registers at the pc, elsewhere
	 * its name when the code before it loads the number */
	if (in->is_syscall) {
		char call[1024], nbuf[32];
		int64_t nr;
		if (is_pc && m->have_sys_next)
			put(&p, UI_COLOR_SYSCALL, " ; %s",
			    ui_sys_text(&m->sys_next, false, call, sizeof call));
		else if (m->have_sys_stop && in->addr == m->sys_stop.pc)
			put(&p, UI_COLOR_SYSCALL, " ; %s",
			    ui_sys_text(&m->sys_stop, m->sys_stop.returned, call, sizeof call));
		else if ((nr = ui_model_sys_nr(m, i)) >= 0)
			put(&p, UI_COLOR_SYSCALL, " ; %s",
			    ui_sys_name((uint64_t)nr, nbuf, sizeof nbuf));
	}
	int si = dbg_stages_at(st, in->addr);
	if (si >= 0) {
		const char *name = st->v[si].name;
		if (p.x + 5 + (int)strlen(name) > width)
			name = dbg_stage_short(name);
		int len = (int)strlen(name) + 3;
		pad_to(&p, width - len > p.x + 2 ? width - len : p.x + 2);
		put(&p, UI_COLOR_STAGE, "<- %s", name);
	}
}

static bool code_header(const struct dbg_sym *const *syms, size_t i, size_t start, uint64_t addr)
{
	return syms[i] && (i == start || syms[i] != syms[i - 1] || syms[i]->addr == addr);
}

/* Source text with its tabs expanded (8 columns), at most n - 1 bytes. */
static void expand_tabs(char *out, size_t n, const char *s, size_t len)
{
	size_t k = 0;
	for (size_t i = 0; i < len && k + 1 < n; i++) {
		if (s[i] == '\t') {
			do
				out[k++] = ' ';
			while (k % 8 && k + 1 < n);
		} else {
			out[k++] = s[i] == '\r' ? ' ' : s[i];
		}
	}
	out[k] = '\0';
}

/* The file's last part ("proc.c") for titles. */
static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* With the code pane's source lines on: whether instruction i starts
 * another source line than the one before it (a header row above it,
 * FILE:LINE and the text), *ln its line. */
static bool src_header(struct ui_model *m, size_t i, size_t start, struct dbg_line *ln)
{
	struct dbg_line prev;
	if (!m->code_source || !dbg_session_line_at(m->s, m->insns[i].addr, ln))
		return false;
	if (i == start || !dbg_session_line_at(m->s, m->insns[i - 1].addr, &prev))
		return true;
	return prev.line != ln->line || strcmp(prev.file, ln->file) != 0;
}

static void src_row(WINDOW *w, int y, struct ui_model *m, const struct dbg_line *ln)
{
	const struct dbg_source *src;
	const char *text = NULL;
	size_t len = 0;
	char buf[512];
	struct pen p;
	if (dbg_session_source(m->s, ln->file, &src, NULL) == 0)
		text = dbg_source_line(src, ln->line, &len);
	expand_tabs(buf, sizeof buf, text ? text : "", text ? len : 0);
	pen_row(&p, w, y, A_NORMAL);
	put(&p, UI_COLOR_DIM, "%s:%u  %s", base_name(ln->file), ln->line, buf);
}

void ui_draw_source(WINDOW *w, struct ui_model *m, bool focus)
{
	struct dbg_line ln;
	const struct dbg_source *src;
	struct dbg_err err;
	char title[512], buf[512];
	int rows = getmaxy(w) - 1;

	werase(w);
	uint64_t pc = m->have_regs ? m->regs.rip : 0;
	if (!pc || !dbg_session_line_at(m->s, pc, &ln)) {
		title_row(w, UI_PANE_SOURCE, focus, NULL);
		if (!dbg_session_lines(m->s))
			snprintf(buf, sizeof buf, "%s has no line information",
				 dbg_session_path(m->s));
		else if (pc)
			snprintf(buf, sizeof buf, "no line information at %#lx", (unsigned long)pc);
		else
			snprintf(buf, sizeof buf, "no process");
		message(w, 1, UI_COLOR_DIM, buf);
		return;
	}
	snprintf(title, sizeof title, "%s:%u", base_name(ln.file), ln.line);
	title_row(w, UI_PANE_SOURCE, focus, title);
	dbg_err_clear(&err);
	src = NULL;
	if (dbg_session_source(m->s, ln.file, &src, &err) < 0) {
		/* two rows: the file, and where it was looked for */
		snprintf(buf, sizeof buf, "cannot find source file %s", ln.file);
		message(w, 1, UI_COLOR_ERROR, buf);
		snprintf(buf, sizeof buf, "(tried %s)", src ? src->path : ln.file);
		if (rows >= 2)
			message(w, 2, UI_COLOR_ERROR, buf);
		return;
	}
	/* the pc's line a third of the way down */
	unsigned first = ln.line > (unsigned)rows / 3 ? ln.line - (unsigned)rows / 3 : 1;
	if (src->nlines > (size_t)rows && first + (unsigned)rows - 1 > src->nlines)
		first = (unsigned)(src->nlines - (size_t)rows + 1);
	for (int y = 1; y <= rows; y++) {
		unsigned n = first + (unsigned)y - 1;
		size_t len;
		const char *text = dbg_source_line(src, n, &len);
		if (!text)
			break;
		bool cur = n == ln.line;
		struct pen p;
		expand_tabs(buf, sizeof buf, text, len);
		pen_row(&p, w, y, cur ? ui_theme_attr(UI_COLOR_PC) : A_NORMAL);
		put(&p, UI_COLOR_DIM, "%s%5u ", cur ? "=>" : "  ", n);
		put(&p, UI_COLOR_NORMAL, "%s", buf);
	}
}

void ui_draw_code(WINDOW *w, struct ui_model *m, bool focus, struct ui_code_cache *c)
{
	int rows = getmaxy(w) - 1;
	int width = getmaxx(w);
	if (m->ninsns == 0) {
		werase(w);
		code_title(w, m, focus);
		message(w, 1, UI_COLOR_ERROR, m->code_err[0] ? m->code_err : "no code here");
		c->valid = false;
		return;
	}

	const struct dbg_sym *syms[UI_CODE_MAX];
	for (size_t i = 0; i < m->ninsns; i++)
		syms[i] = dbg_session_sym_at(m->s, m->insns[i].addr);

	/* Start so that the selected (or pc) line fits under the symbol
	 * headers above it. */
	size_t target = m->sel_index != SIZE_MAX ? m->sel_index :
			m->pc_index != SIZE_MAX  ? m->pc_index :
						   0;
	size_t start = 0;
	for (; start < target; start++) {
		int r = 0;
		for (size_t i = start; i <= target; i++) {
			struct dbg_line ln;
			r += 1 + code_header(syms, i, start, m->insns[i].addr) +
			     src_header(m, i, start, &ln);
		}
		if (r <= rows)
			break;
	}
	/* Address width from the largest address, so columns line up. */
	char buf[32];
	int digits = snprintf(buf, sizeof buf, "%lx", (unsigned long)m->insns[m->ninsns - 1].addr);

	/* The same window as last time: only the pc moved. */
	/* a decoded call changed: it may be on any line (a catchpoint's) */
	if (c->valid && c->gen == m->code_gen && c->bps == m->hash_bps && c->start == start &&
	    c->sys == m->hash_sys_next && c->source == m->code_source && c->focus == focus &&
	    c->code_sel == m->code_sel && (!m->code_sel || c->sel_index == m->sel_index) &&
	    c->rows == rows && c->cols == width) {
		code_title(w, m, focus);
		if (c->pc_index != m->pc_index) {
			size_t redo[2] = { c->pc_index, m->pc_index };
			for (int k = 0; k < 2; k++)
				if (redo[k] < m->ninsns && c->row_of[redo[k]] > 0)
					code_line(w, c->row_of[redo[k]], m, redo[k], syms[redo[k]],
						  focus, digits);
		}
		c->pc_index = m->pc_index;
		c->sys = m->hash_sys_next;
		return;
	}

	werase(w);
	code_title(w, m, focus);
	memset(c->row_of, 0, sizeof c->row_of);
	int y = 1;
	for (size_t i = start; i < m->ninsns && y <= rows; i++) {
		const struct dbg_sym *s = syms[i];
		if (code_header(syms, i, start, m->insns[i].addr)) {
			struct pen p;
			pen_row(&p, w, y++, A_NORMAL);
			put(&p, UI_COLOR_SYMBOL, "<%s>:", s->name);
			if (y > rows)
				break;
		}
		struct dbg_line ln;
		if (src_header(m, i, start, &ln)) {
			src_row(w, y++, m, &ln);
			if (y > rows)
				break;
		}
		c->row_of[i] = (int16_t)y;
		code_line(w, y++, m, i, s, focus, digits);
	}
	c->valid = true;
	c->gen = m->code_gen;
	c->bps = m->hash_bps;
	c->start = start;
	c->focus = focus;
	c->code_sel = m->code_sel;
	c->source = m->code_source;
	c->sel_index = m->sel_index;
	c->pc_index = m->pc_index;
	c->sys = m->hash_sys_next;
	c->rows = rows;
	c->cols = width;
}

/* ---- registers --------------------------------------------------------- */

/* Display items of the register pane: the 16 general registers (their
 * dbg_regs_table order), then rip, eflags, fs_base, the segment row. */
enum { R_RIP = 16, R_EFLAGS, R_FS_BASE, R_SEGS };

static size_t reg_index(const char *name)
{
	for (size_t i = 0; i < dbg_regs_count; i++)
		if (strcmp(dbg_regs_table[i].name, name) == 0)
			return i;
	return 63;
}

static uint64_t reg_val(const struct dbg_regs *r, size_t i)
{
	uint64_t v;
	memcpy(&v, (const char *)r + dbg_regs_table[i].offset, 8);
	return v;
}

static bool reg_changed(const struct ui_model *m, const char *name)
{
	return (m->reg_changed >> reg_index(name)) & 1;
}

/* The value shown for each item, and whether it is marked changed. */
static void regs_items(const struct ui_model *m, uint64_t *vals, uint64_t *changed)
{
	const struct dbg_regs *r = &m->regs;
	*changed = 0;
	for (size_t i = 0; i < 16; i++) {
		vals[i] = reg_val(r, i);
		if ((m->reg_changed >> i) & 1)
			*changed |= 1ull << i;
	}
	vals[R_RIP] = r->rip;
	vals[R_EFLAGS] = r->eflags;
	vals[R_FS_BASE] = r->fs_base;
	vals[R_SEGS] = r->cs ^ r->ss << 8 ^ r->ds << 16 ^ r->es << 24 ^ r->fs << 32 ^ r->gs << 40;
	if (reg_changed(m, "rip"))
		*changed |= 1ull << R_RIP;
	if (reg_changed(m, "eflags"))
		*changed |= 1ull << R_EFLAGS;
	if (reg_changed(m, "fs_base"))
		*changed |= 1ull << R_FS_BASE;
}

/* The names of the register pane's items (UI_REGS_SEL). */
static const char *reg_item_name(int i)
{
	return i < 16        ? dbg_regs_table[i].name :
	       i == R_RIP    ? "rip" :
	       i == R_EFLAGS ? "eflags" :
			       "fs_base";
}

static void regs_title(WINDOW *w, struct ui_model *m, bool focus, int sel)
{
	char extra[160] = "";
	size_t len = 0;
	if (sel >= 0 && sel < UI_REGS_SEL)
		len = (size_t)snprintf(extra, sizeof extra, "%s (w: why)  ", reg_item_name(sel));
	size_t start = len;
	for (size_t i = 0; i < dbg_regs_count && i < 64; i++) {
		if (!(m->reg_changed & (1ull << i)))
			continue;
		int n = snprintf(extra + len, sizeof extra - len, "%s%s",
				 len > start ? " " : "changed: ", dbg_regs_table[i].name);
		if (n < 0 || (size_t)n >= sizeof extra - len)
			break;
		len += (size_t)n;
	}
	title_row(w, UI_PANE_REGS, focus, extra);
}

static int regs_ncol(int width)
{
	/* "rax 0x0000000000000000" is 22 cells; columns 2 apart */
	int ncol = (width + 2) / 24;
	return ncol < 1 ? 1 : ncol > 4 ? 4 : ncol;
}

/* A register's name, in the selection's colour when it is item sel. */
static void reg_name(struct pen *p, const char *name, size_t i, int sel)
{
	put(p, (int)i == sel ? UI_COLOR_SELECTED : UI_COLOR_DIM, "%s", name);
}

static void regs_gpr(WINDOW *w, struct ui_model *m, size_t i, int ncol, int sel)
{
	int y = 1 + (int)i / ncol;
	if (y >= getmaxy(w))
		return;
	struct pen p;
	pen_row(&p, w, y, A_NORMAL);
	p.x = (int)(i % (size_t)ncol) * 24;
	reg_name(&p, dbg_regs_table[i].name, i, sel);
	put(&p, UI_COLOR_DIM, "%*s", 4 - (int)strlen(dbg_regs_table[i].name), "");
	put(&p, (m->reg_changed >> i) & 1 ? UI_COLOR_CHANGED : UI_COLOR_NORMAL, "0x%016lx",
	    (unsigned long)reg_val(&m->regs, i));
}

static void clear_row(WINDOW *w, int y)
{
	wmove(w, y, 0);
	wclrtoeol(w);
}

/* The rows under the general registers: rip; eflags and fs_base (on one
 * row when it fits); the segment registers. Each part is drawn when its
 * bit is in `parts` (1 rip, 2 flags, 4 segments). */
static void regs_tail(WINDOW *w, struct ui_model *m, int ncol, unsigned parts, int sel)
{
	int rows = getmaxy(w) - 1, width = getmaxx(w);
	int y = 1 + (16 + ncol - 1) / ncol;
	char sym[160], fl[64];
	struct pen p;
	if (y > rows)
		return;
	if (parts & 1) {
		clear_row(w, y);
		pen_row(&p, w, y, A_NORMAL);
		dbg_session_symbolize(m->s, m->regs.rip, sym, sizeof sym);
		reg_name(&p, "rip", R_RIP, sel);
		put(&p, UI_COLOR_DIM, " ");
		put(&p, reg_changed(m, "rip") ? UI_COLOR_CHANGED : UI_COLOR_NORMAL, "0x%016lx",
		    (unsigned long)m->regs.rip);
		put(&p, UI_COLOR_SYMBOL, " <%s>", sym);
	}
	if (++y > rows)
		return;
	ui_eflags_str(m->regs.eflags, fl, sizeof fl);
	/* eflags 0x246 [ PF ZF IF ]  fs_base 0x4c63b8 */
	int flags_len = 7 + 18 + 4 + (int)strlen(fl) + 2;
	bool one_row = flags_len + 2 + 8 + 18 <= width || y + 1 > rows;
	if (parts & 2) {
		clear_row(w, y);
		pen_row(&p, w, y, A_NORMAL);
		reg_name(&p, "eflags", R_EFLAGS, sel);
		put(&p, UI_COLOR_DIM, " ");
		put(&p, reg_changed(m, "eflags") ? UI_COLOR_CHANGED : UI_COLOR_NORMAL,
		    "%#lx [ %s ]", (unsigned long)m->regs.eflags, fl);
		if (one_row) {
			p.x += 2;
		} else {
			clear_row(w, y + 1);
			pen_row(&p, w, y + 1, A_NORMAL);
		}
		reg_name(&p, "fs_base", R_FS_BASE, sel);
		put(&p, UI_COLOR_DIM, " ");
		put(&p, reg_changed(m, "fs_base") ? UI_COLOR_CHANGED : UI_COLOR_NORMAL, "%#lx",
		    (unsigned long)m->regs.fs_base);
	}
	y += one_row ? 1 : 2;
	if (y <= rows && (parts & 4)) {
		clear_row(w, y);
		pen_row(&p, w, y, A_NORMAL);
		put(&p, UI_COLOR_DIM, "cs %#lx  ss %#lx  ds %#lx  es %#lx  fs %#lx  gs %#lx",
		    (unsigned long)m->regs.cs, (unsigned long)m->regs.ss, (unsigned long)m->regs.ds,
		    (unsigned long)m->regs.es, (unsigned long)m->regs.fs,
		    (unsigned long)m->regs.gs);
	}
}

void ui_draw_regs(WINDOW *w, struct ui_model *m, bool focus, int sel, struct ui_regs_cache *c)
{
	int rows = getmaxy(w) - 1, width = getmaxx(w);
	if (!m->have_regs) {
		werase(w);
		regs_title(w, m, focus, sel);
		message(w, 1, UI_COLOR_DIM, "the program is not being run");
		c->valid = false;
		return;
	}
	uint64_t vals[UI_REGS_ITEMS], changed;
	regs_items(m, vals, &changed);
	int ncol = regs_ncol(width);

	if (c->valid && c->focus == focus && c->rows == rows && c->cols == width && c->sel == sel) {
		if (c->title_changed != m->reg_changed)
			regs_title(w, m, focus, sel);
		for (size_t i = 0; i < 16; i++)
			if (vals[i] != c->vals[i] || ((changed ^ c->changed) >> i & 1))
				regs_gpr(w, m, i, ncol, sel);
		unsigned parts = 0;
		for (size_t i = R_RIP; i <= R_SEGS; i++) {
			if (vals[i] == c->vals[i] && !((changed ^ c->changed) >> i & 1))
				continue;
			parts |= i == R_RIP ? 1 : i == R_SEGS ? 4 : 2;
		}
		if (parts)
			regs_tail(w, m, ncol, parts, sel);
	} else {
		werase(w);
		regs_title(w, m, focus, sel);
		for (size_t i = 0; i < 16; i++)
			regs_gpr(w, m, i, ncol, sel);
		regs_tail(w, m, ncol, 7, sel);
	}
	c->valid = true;
	c->focus = focus;
	c->sel = sel;
	c->rows = rows;
	c->cols = width;
	memcpy(c->vals, vals, sizeof vals);
	c->changed = changed;
	c->title_changed = m->reg_changed;
}

/* ---- TLS / g ----------------------------------------------------------- */

/* A row's key; row `row` in the selection's colour when it is sel. */
static void kv(struct pen *p, const char *key, int row, int sel)
{
	put(p, row == sel ? UI_COLOR_SELECTED : UI_COLOR_DIM, "%s", key);
	put(p, UI_COLOR_DIM, "%*s", 9 - (int)strlen(key) > 0 ? 9 - (int)strlen(key) : 0, "");
}

void ui_draw_tls(WINDOW *w, struct ui_model *m, bool focus, int sel)
{
	werase(w);
	int rows = getmaxy(w) - 1;
	const struct dbg_rt *rt = &m->rt;
	char extra[64] = "";
	if (m->rt_ok)
		snprintf(extra, sizeof extra, "g = %s", rt->g_label);
	title_row(w, UI_PANE_TLS, focus, extra);
	if (!m->have_regs) {
		message(w, 1, UI_COLOR_DIM, "the program is not being run");
		return;
	}
	char a[32], b[32];
	struct pen p;
	int y = 1;
	uint64_t fs = m->regs.fs_base;

	/* g's slot: fs:-8, or where a cgo binary's TLS layout puts it */
	int64_t off = dbg_session_tls_g(m->s);
	bool libc = dbg_session_stages(m->s)->cgo;
	char slot[24];
	ui_render_fs_slot(off, slot, sizeof slot);

	pen_row(&p, w, y++, A_NORMAL);
	kv(&p, "fs_base", 0, sel);
	if (fs == 0) {
		put(&p, UI_COLOR_NORMAL, "0x0  ");
		put(&p, UI_COLOR_DIM, "%s",
		    libc ? "not set yet (libc's loader sets it)" :
		    dbg_elf_interp(dbg_session_elf(m->s)) ?
			   "not set yet (ld.so sets it, then runtime.settls)" :
			   "not set yet (before runtime.settls)");
	} else if (libc) {
		put(&p, UI_COLOR_NORMAL, "%#lx", (unsigned long)fs);
		put(&p, UI_COLOR_SYMBOL, "  libc's thread pointer (cgo: no settls)");
	} else {
		put(&p, UI_COLOR_NORMAL, "%#lx", (unsigned long)fs);
		/* which M's tls[0] fs:-8 aliases (m0 may not be on allm yet) */
		if (m->rt_ok && m->have_tls_off) {
			if (rt->m0 && rt->m0 + m->m_tls_off + 8 == fs) {
				put(&p, UI_COLOR_SYMBOL, "  = &m0.tls[0] + 8");
			} else {
				for (size_t i = 0; i < rt->nms; i++)
					if (rt->ms[i].addr + m->m_tls_off + 8 == fs)
						put(&p, UI_COLOR_SYMBOL, "  = &m%ld.tls[0] + 8",
						    (long)rt->ms[i].id);
			}
		}
	}
	if (y > rows)
		return;

	pen_row(&p, w, y++, A_NORMAL);
	kv(&p, slot, 1, sel);
	if (fs == 0) {
		put(&p, UI_COLOR_DIM, "not set yet");
	} else if (!m->rt_ok) {
		put(&p, UI_COLOR_ERROR, "%s", m->rt_err);
	} else {
		put(&p, UI_COLOR_NORMAL, "%#lx", (unsigned long)rt->g);
		put(&p, rt->g && rt->g == rt->g0 ? UI_COLOR_G_RUNNING : UI_COLOR_SYMBOL, "  %s",
		    rt->g_label);
	}

	const struct dbg_rt_g *g = m->rt_ok ? dbg_rt_find_g(rt, rt->g) : NULL;
	const struct ui_cur_m *mm = m->cur_m.valid ? &m->cur_m : NULL;
	if (y <= rows) {
		pen_row(&p, w, y++, A_NORMAL);
		kv(&p, "g.m", 2, sel);
		if (!g) {
			put(&p, UI_COLOR_DIM, fs ? "no g in %s" : "-", slot);
		} else {
			put(&p, UI_COLOR_NORMAL, "%s", hex_or_dash(a, sizeof a, g->m));
			if (mm)
				put(&p, UI_COLOR_SYMBOL, "  m%ld", (long)mm->id);
			put(&p, UI_COLOR_DIM, "  (%s %s)", g->label, g->status_name);
		}
	}
	if (y <= rows) {
		pen_row(&p, w, y++, A_NORMAL);
		kv(&p, "m.g0", 3, sel);
		if (mm) {
			put(&p, UI_COLOR_NORMAL, "%s", hex_or_dash(a, sizeof a, mm->g0));
			if (mm->g0)
				put(&p, UI_COLOR_SYMBOL, "  %s", dbg_rt_g_label(rt, mm->g0));
		} else {
			put(&p, UI_COLOR_DIM, "-");
		}
	}
	if (y <= rows) {
		pen_row(&p, w, y++, A_NORMAL);
		kv(&p, "m.curg", 4, sel);
		if (mm) {
			put(&p, UI_COLOR_NORMAL, "%s", hex_or_dash(a, sizeof a, mm->curg));
			if (mm->curg)
				put(&p, UI_COLOR_G_RUNNING, "  %s", dbg_rt_g_label(rt, mm->curg));
		} else {
			put(&p, UI_COLOR_DIM, "-");
		}
	}
	if (y <= rows) {
		pen_row(&p, w, y++, A_NORMAL);
		kv(&p, "m.p", 5, sel);
		const struct dbg_rt_p *pp = mm ? ui_model_find_p(m, mm->p) : NULL;
		if (mm) {
			put(&p, UI_COLOR_NORMAL, "%s", hex_or_dash(a, sizeof a, mm->p));
			if (pp)
				put(&p, UI_COLOR_SYMBOL, "  p%d %s", pp->id, pp->status_name);
		} else {
			put(&p, UI_COLOR_DIM, "-");
		}
	}
	if (y <= rows && m->rt_ok) {
		pen_row(&p, w, y++, A_NORMAL);
		put(&p, sel == 6 ? UI_COLOR_SELECTED : UI_COLOR_DIM, "runtime.g0");
		put(&p, UI_COLOR_DIM, " ");
		put(&p, UI_COLOR_NORMAL, "%s", hex_or_dash(a, sizeof a, rt->g0));
		put(&p, UI_COLOR_DIM, "  runtime.m0 ");
		put(&p, UI_COLOR_NORMAL, "%s", hex_or_dash(b, sizeof b, rt->m0));
	}
}

/* ---- stack ------------------------------------------------------------- */

static void stack_title(struct ui_model *m, char *extra, size_t size, int width)
{
	extra[0] = '\0';
	if (!m->have_regs)
		return;
	int n = snprintf(extra, size, "rsp %#lx", (unsigned long)m->regs.rsp);
	/* the stack rsp is on (a G's), else g0's bounds for reference */
	const struct dbg_rt_g *g = NULL;
	for (size_t i = 0; m->rt_ok && m->nslots && i < m->rt.ngs; i++)
		if (m->slots[0].addr == m->regs.rsp &&
		    strcmp(m->rt.gs[i].label, m->slots[0].region) == 0)
			g = &m->rt.gs[i];
	const char *where = g ? " in" : " ";
	/* else the g0 of the current thread's M (m0's: runtime.g0) */
	for (size_t i = 0; !g && m->rt_ok && m->tid_m >= 0 && i < m->rt.nms; i++)
		if (m->rt.ms[i].id == m->tid_m)
			g = dbg_rt_find_g(&m->rt, m->rt.ms[i].g0);
	if (!g && m->rt_ok && (m->tid_m <= 0 || !m->rt.nms))
		g = dbg_rt_find_g(&m->rt, m->rt.g0);
	if (g && g->stack_hi && n > 0 && width >= 72)
		snprintf(extra + n, size - (size_t)n, "%s %s stack [%#lx, %#lx)", where, g->label,
			 (unsigned long)g->stack_lo, (unsigned long)g->stack_hi);
	else if (g && g->stack_hi && n > 0) /* its end, where the slots stop */
		snprintf(extra + n, size - (size_t)n, "%s %s stack, hi %#lx", where, g->label,
			 (unsigned long)g->stack_hi);
	if (m->stack_off)
		snprintf(extra + strlen(extra), size - strlen(extra), "  (%+d slots)",
			 m->stack_off);
}

static void stack_row(WINDOW *w, struct ui_model *m, size_t i, int width, int sel)
{
	const struct dbg_stack_slot *s = &m->slots[i];
	struct pen p;
	pen_row(&p, w, 1 + (int)i, A_NORMAL);
	bool at_sp = s->addr == m->regs.rsp;
	put(&p, at_sp ? UI_COLOR_PC : UI_COLOR_NORMAL, "%s ", at_sp ? ">" : " ");
	put(&p, (int)i == sel ? UI_COLOR_SELECTED : UI_COLOR_DIM, "%#lx", (unsigned long)s->addr);
	put(&p, UI_COLOR_DIM, " ");
	put(&p, m->slot_changed[i] ? UI_COLOR_CHANGED : UI_COLOR_NORMAL, " 0x%016lx",
	    (unsigned long)s->value);
	if (s->what[0])
		put(&p, strncmp(s->what, "ret ", 4) == 0 ? UI_COLOR_SYMBOL : UI_COLOR_NORMAL,
		    "  %s", s->what);
	if (s->region[0]) {
		int len = (int)strlen(s->region) + 2;
		pad_to(&p, width - len > p.x + 1 ? width - len : p.x + 1);
		put(&p, UI_COLOR_DIM, "[%s]", s->region);
	}
}

static bool same_slot(const struct dbg_stack_slot *a, bool a_changed,
		      const struct dbg_stack_slot *b, bool b_changed)
{
	return a->addr == b->addr && a->value == b->value && a_changed == b_changed &&
	       strcmp(a->what, b->what) == 0 && strcmp(a->region, b->region) == 0;
}

void ui_draw_stack(WINDOW *w, struct ui_model *m, bool focus, int sel, struct ui_stack_cache *c)
{
	int rows = getmaxy(w) - 1, width = getmaxx(w);
	char extra[sizeof c->title];
	stack_title(m, extra, sizeof extra, width);
	size_t shown = m->nslots < (size_t)(rows > 0 ? rows : 0) ? m->nslots :
								   (size_t)(rows > 0 ? rows : 0);

	if (shown == 0) {
		werase(w);
		title_row(w, UI_PANE_STACK, focus, extra);
		message(w, 1, UI_COLOR_DIM, m->stack_err[0] ? m->stack_err : "-");
		c->valid = false;
		return;
	}
	if (c->valid && c->focus == focus && c->rows == rows && c->cols == width && c->sel == sel) {
		/* only the rows that differ from what is on screen */
		if (strcmp(c->title, extra) != 0)
			title_row(w, UI_PANE_STACK, focus, extra);
		for (size_t i = 0; i < shown; i++) {
			bool sp_was = i < c->nslots && c->slots[i].addr == c->rsp;
			bool sp_is = m->slots[i].addr == m->regs.rsp;
			if (i < c->nslots && sp_was == sp_is &&
			    same_slot(&c->slots[i], c->changed[i], &m->slots[i],
				      m->slot_changed[i]))
				continue;
			clear_row(w, 1 + (int)i);
			stack_row(w, m, i, width, sel);
		}
		for (size_t i = shown; i < c->nslots; i++)
			clear_row(w, 1 + (int)i);
	} else {
		werase(w);
		title_row(w, UI_PANE_STACK, focus, extra);
		for (size_t i = 0; i < shown; i++)
			stack_row(w, m, i, width, sel);
	}
	c->valid = true;
	c->focus = focus;
	c->sel = sel;
	c->rows = rows;
	c->cols = width;
	memcpy(c->title, extra, sizeof c->title);
	c->rsp = m->regs.rsp;
	c->nslots = shown;
	memcpy(c->slots, m->slots, shown * sizeof *c->slots);
	memcpy(c->changed, m->slot_changed, shown * sizeof *c->changed);
}

/* ---- G/M/P ------------------------------------------------------------- */

/* Emits the pane's lines in order, drawing only those in [top, top+rows). */
struct lines_out {
	WINDOW *w; /* NULL: count only */
	int top, rows, idx;
	/* the selection (G/M/P): the selected row among the rows with
	 * fields (sel; -1: none) and its column; where it was drawn */
	int sel, col, srow, sel_line, x0, x1;
};

/* The columns of the G, M and P rows and the scheduler's row that name
 * a field, in the order they are drawn (Left and Right move along them):
 * their heading, and their field in struct g, m, p or schedt. */
struct gmp_col {
	const char *name, *path;
};
static const struct gmp_col g_cols[] = {
	{ "goid", "goid" },
	{ "status", "atomicstatus" },
	{ "m", "m" },
	{ "pc", "sched.pc" },
};
static const struct gmp_col m_cols[] = {
	{ "procid", "procid" },
	{ "g0", "g0" },
	{ "curg", "curg" },
	{ "p", "p" },
};
static const struct gmp_col p_cols[] = {
	{ "status", "status" },
	{ "m", "m" },
	{ "runnext", "runnext" },
	{ "runq", "runqtail" },
};
static const struct gmp_col s_cols[] = {
	{ "runq", "runqsize" },
	{ "goidgen", "goidgen" },
	{ "npidle", "npidle" },
	{ "nmidle", "nmidle" },
};
#define GMP_NCOLS 4

/* A row with fields begins: whether it is the selected one. */
static bool sel_row(struct lines_out *o)
{
	bool is = o->srow++ == o->sel;
	if (is)
		o->sel_line = o->idx;
	return is;
}

/* Column k of a row starts / ends at the pen (the selected row's). */
static void cell_at(struct lines_out *o, const struct pen *p, bool is_sel, int k, bool end)
{
	if (!is_sel || k != o->col)
		return;
	if (end)
		o->x1 = p->x;
	else
		o->x0 = p->x;
}

/* The selected cell highlighted, when its row is on screen. */
static void cell_mark(struct lines_out *o, bool is_sel)
{
	int y = 1 + o->sel_line - o->top;
	if (!is_sel || !o->w || o->sel_line < o->top || o->sel_line >= o->top + o->rows ||
	    o->x1 <= o->x0)
		return;
	mvwchgat(o->w, y, o->x0, o->x1 - o->x0, ui_theme_attr(UI_COLOR_SELECTED), 0, NULL);
}

static bool next_line(struct lines_out *o, struct pen *p)
{
	int i = o->idx++;
	bool vis = o->w && i >= o->top && i < o->top + o->rows;
	pen_row(p, vis ? o->w : NULL, 1 + i - o->top, A_NORMAL);
	return vis;
}

static void runq_str(char *buf, size_t n, const int64_t *q, size_t nq)
{
	size_t len = 0;
	buf[0] = '\0';
	len += (size_t)snprintf(buf, n, "[");
	for (size_t i = 0; i < nq && len + 8 < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%sg%ld", i ? " " : "", (long)q[i]);
	if (len + 2 < n)
		snprintf(buf + len, n - len, "]");
}

/* The traced threads, last: the G, M and P tables keep their rows at the
 * top of a short pane. */
static void thread_lines(const struct ui_model *m, struct lines_out *o)
{
	struct pen p;
	char a[32];
	if (m->nthreads) {
		next_line(o, &p);
		put(&p, UI_COLOR_DIM, "Threads  tid    M     fs_base         g       state");
	}
	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ui_thread *th = &m->threads[i];
		if (!next_line(o, &p))
			continue;
		if (th->m_id >= 0)
			snprintf(a, sizeof a, "m%ld", (long)th->m_id);
		else
			snprintf(a, sizeof a, "-");
		bool cur = th->info.current;
		put(&p, cur ? UI_COLOR_G_RUNNING : UI_COLOR_NORMAL,
		    "%-8s %-6d %-5s %#-15lx %-7s %s", cur ? "*" : "", (int)th->info.tid, a,
		    (unsigned long)th->info.fs_base, th->g_label, th->state);
	}
}

/* Whether g is an M's gsignal. */
static bool is_gsignal(const struct dbg_rt *rt, uint64_t g)
{
	for (size_t i = 0; i < rt->nms; i++)
		if (rt->ms[i].gsignal == g)
			return true;
	return false;
}

static void gmp_lines(struct ui_model *m, struct lines_out *o)
{
	struct pen p;
	const struct dbg_rt *rt = &m->rt;
	char a[32], b[32], c[32], sym[128], q[160];
	if (!m->rt_ok) {
		next_line(o, &p);
		put(&p, UI_COLOR_DIM, " %s", m->rt_err);
		thread_lines(m, o);
		return;
	}
	/* the stack column only whole: "0x7fffffffe000+65536" */
	bool stack_col = o->w && getmaxx(o->w) >= 76;
	next_line(o, &p);
	put(&p, UI_COLOR_DIM, "G      goid status       m     pc / function         %s",
	    stack_col ? "stack" : "");
	for (size_t i = 0; i < rt->ngs; i++) {
		const struct dbg_rt_g *g = &rt->gs[i];
		/* a signal stack's g only while a handler runs on it: the pane
		 * keeps its rows for goroutines */
		if (g->addr != rt->g && is_gsignal(rt, g->addr))
			continue;
		bool running =
			g->addr == rt->g || (g->status & ~(uint32_t)DBG_G_SCAN) == DBG_G_RUNNING;
		enum ui_color col = running                     ? UI_COLOR_G_RUNNING :
				    g->status == DBG_G_RUNNABLE ? UI_COLOR_G_RUNNABLE :
								  UI_COLOR_NORMAL;
		bool is_sel = sel_row(o);
		if (!next_line(o, &p))
			continue;
		const struct dbg_rt_m *gm = ui_model_find_m(m, g->m);
		if (gm)
			snprintf(a, sizeof a, "m%ld", (long)gm->id);
		else if (g->m && g->m == rt->m0)
			snprintf(a, sizeof a, "m0");
		else
			hex_or_dash(a, sizeof a, g->m);
		put(&p, col, "%-6s ", g->label);
		cell_at(o, &p, is_sel, 0, false);
		put(&p, col, "%4ld", (long)g->goid);
		cell_at(o, &p, is_sel, 0, true);
		put(&p, col, " ");
		cell_at(o, &p, is_sel, 1, false);
		put(&p, col, "%-12s", g->status_name);
		cell_at(o, &p, is_sel, 1, true);
		put(&p, col, " ");
		cell_at(o, &p, is_sel, 2, false);
		put(&p, col, "%-5s", a);
		cell_at(o, &p, is_sel, 2, true);
		put(&p, col, " ");
		cell_at(o, &p, is_sel, 3, false);
		/* where it runs or would resume; the function it starts in */
		uint64_t pc = g->sched_pc ? g->sched_pc : g->startpc;
		if (g->addr == rt->g)
			snprintf(sym, sizeof sym, "(running)");
		else if (pc)
			dbg_session_symbolize(m->s, pc, sym, sizeof sym);
		else
			snprintf(sym, sizeof sym, "-");
		put(&p, g->addr == rt->g ? col : UI_COLOR_SYMBOL, "%-21s", sym);
		cell_at(o, &p, is_sel, 3, true);
		put(&p, col, " ");
		if (g->stack_hi && stack_col)
			put(&p, UI_COLOR_DIM, "%#lx+%lu", (unsigned long)g->stack_lo,
			    (unsigned long)(g->stack_hi - g->stack_lo));
		/* why it waits (the runtime's own words), and LockOSThread */
		if ((g->status & ~(uint32_t)DBG_G_SCAN) == DBG_G_WAITING && g->waitreason_name &&
		    *g->waitreason_name)
			put(&p, UI_COLOR_DIM, " [%s]", g->waitreason_name);
		if (g->lockedm) {
			const struct dbg_rt_m *lm = ui_model_find_m(m, g->lockedm);
			if (lm)
				put(&p, UI_COLOR_DIM, " locked to m%ld", (long)lm->id);
			else
				put(&p, UI_COLOR_DIM, " locked to %#lx", (unsigned long)g->lockedm);
		}
		cell_mark(o, is_sel);
	}
	next_line(o, &p);
	put(&p, UI_COLOR_DIM, "M      id  procid  g0      curg    p");
	for (size_t i = 0; i < rt->nms; i++) {
		const struct dbg_rt_m *mm = &rt->ms[i];
		bool is_sel = sel_row(o);
		if (!next_line(o, &p))
			continue;
		const struct dbg_rt_p *pp = ui_model_find_p(m, mm->p);
		if (pp)
			snprintf(c, sizeof c, "p%d", pp->id);
		else
			hex_or_dash(c, sizeof c, mm->p);
		snprintf(a, sizeof a, "%s", mm->g0 ? dbg_rt_g_label(rt, mm->g0) : "-");
		snprintf(b, sizeof b, "%s", mm->curg ? dbg_rt_g_label(rt, mm->curg) : "-");
		enum ui_color mc = mm->curg ? UI_COLOR_G_RUNNING : UI_COLOR_NORMAL;
		put(&p, mc, "m%-5ld %2ld  ", (long)mm->id, (long)mm->id);
		cell_at(o, &p, is_sel, 0, false);
		put(&p, mc, "%6lu", (unsigned long)mm->procid);
		cell_at(o, &p, is_sel, 0, true);
		put(&p, mc, "  ");
		cell_at(o, &p, is_sel, 1, false);
		put(&p, mc, "%-7s", a);
		cell_at(o, &p, is_sel, 1, true);
		put(&p, mc, " ");
		cell_at(o, &p, is_sel, 2, false);
		put(&p, mc, "%-7s", b);
		cell_at(o, &p, is_sel, 2, true);
		put(&p, mc, " ");
		cell_at(o, &p, is_sel, 3, false);
		put(&p, mc, "%s", c);
		cell_at(o, &p, is_sel, 3, true);
		if (mm->lockedg)
			put(&p, UI_COLOR_DIM, "  locked %s", dbg_rt_g_label(rt, mm->lockedg));
		cell_mark(o, is_sel);
	}
	next_line(o, &p);
	put(&p, UI_COLOR_DIM, "P      id  status     m     runnext  runq");
	for (size_t i = 0; i < rt->nps; i++) {
		const struct dbg_rt_p *pp = &rt->ps[i];
		bool is_sel = sel_row(o);
		if (!next_line(o, &p))
			continue;
		const struct dbg_rt_m *pm = ui_model_find_m(m, pp->m);
		if (pm)
			snprintf(a, sizeof a, "m%ld", (long)pm->id);
		else
			hex_or_dash(a, sizeof a, pp->m);
		if (pp->runnext_goid >= 0)
			snprintf(b, sizeof b, "g%ld", (long)pp->runnext_goid);
		else
			hex_or_dash(b, sizeof b, pp->runnext);
		runq_str(q, sizeof q, pp->runq, pp->nrunq);
		enum ui_color pc =
			pp->status == DBG_P_RUNNING ? UI_COLOR_G_RUNNING : UI_COLOR_NORMAL;
		put(&p, pc, "p%-5d %2d  ", pp->id, pp->id);
		cell_at(o, &p, is_sel, 0, false);
		put(&p, pc, "%-10s", pp->status_name);
		cell_at(o, &p, is_sel, 0, true);
		put(&p, pc, " ");
		cell_at(o, &p, is_sel, 1, false);
		put(&p, pc, "%-5s", a);
		cell_at(o, &p, is_sel, 1, true);
		put(&p, pc, " ");
		cell_at(o, &p, is_sel, 2, false);
		put(&p, pp->runnext ? UI_COLOR_G_RUNNABLE : UI_COLOR_NORMAL, "%-8s", b);
		cell_at(o, &p, is_sel, 2, true);
		put(&p, UI_COLOR_NORMAL, " ");
		cell_at(o, &p, is_sel, 3, false);
		put(&p, UI_COLOR_NORMAL, "%s", q);
		cell_at(o, &p, is_sel, 3, true);
		cell_mark(o, is_sel);
	}
	if (rt->sched.valid) {
		bool is_sel = sel_row(o);
		next_line(o, &p);
		runq_str(q, sizeof q, rt->sched.runq, rt->sched.nrunq);
		put(&p, UI_COLOR_DIM, "sched ");
		cell_at(o, &p, is_sel, 0, false);
		put(&p, UI_COLOR_NORMAL, "runq %s", q);
		cell_at(o, &p, is_sel, 0, true);
		put(&p, UI_COLOR_NORMAL, "  ");
		cell_at(o, &p, is_sel, 1, false);
		put(&p, UI_COLOR_NORMAL, "goidgen %lu", (unsigned long)rt->sched.goidgen);
		cell_at(o, &p, is_sel, 1, true);
		put(&p, UI_COLOR_NORMAL, "  ");
		cell_at(o, &p, is_sel, 2, false);
		put(&p, UI_COLOR_NORMAL, "npidle %ld", (long)rt->sched.npidle);
		cell_at(o, &p, is_sel, 2, true);
		put(&p, UI_COLOR_NORMAL, "  ");
		cell_at(o, &p, is_sel, 3, false);
		put(&p, UI_COLOR_NORMAL, "nmidle %ld", (long)rt->sched.nmidle);
		cell_at(o, &p, is_sel, 3, true);
		cell_mark(o, is_sel);
	}
	thread_lines(m, o);
}

int ui_draw_gmp_rows(const struct ui_model *m)
{
	struct lines_out o = { .sel = -1, .sel_line = -1 };
	gmp_lines((struct ui_model *)m, &o);
	return o.idx;
}

/* Whether a G row is drawn (a signal stack's g only while it runs). */
static bool g_shown(const struct dbg_rt *rt, const struct dbg_rt_g *g)
{
	return g->addr == rt->g || !is_gsignal(rt, g->addr);
}

int ui_gmp_field(const struct ui_model *m, int sel, int col, struct ui_gmp_field *out)
{
	const struct dbg_rt *rt = &m->rt;
	memset(out, 0, sizeof *out);
	if (!m->rt_ok || sel < 0)
		return -1;
	if (col < 0)
		col = 0;
	if (col >= GMP_NCOLS)
		col = GMP_NCOLS - 1;
	int k = 0;
	for (size_t i = 0; i < rt->ngs; i++) {
		const struct dbg_rt_g *g = &rt->gs[i];
		if (!g_shown(rt, g) || k++ != sel)
			continue;
		out->type = "g";
		out->obj = g->addr;
		out->path = g_cols[col].path;
		snprintf(out->what, sizeof out->what, "%s.%s", g->label, out->path);
		return 0;
	}
	for (size_t i = 0; i < rt->nms; i++) {
		if (k++ != sel)
			continue;
		out->type = "m";
		out->obj = rt->ms[i].addr;
		out->path = m_cols[col].path;
		snprintf(out->what, sizeof out->what, "m%ld.%s", (long)rt->ms[i].id, out->path);
		return 0;
	}
	for (size_t i = 0; i < rt->nps; i++) {
		if (k++ != sel)
			continue;
		out->type = "p";
		out->obj = rt->ps[i].addr;
		out->path = p_cols[col].path;
		snprintf(out->what, sizeof out->what, "p%d.%s", rt->ps[i].id, out->path);
		return 0;
	}
	if (rt->sched.valid && k == sel) {
		out->type = "schedt";
		out->obj = rt->sched.addr;
		out->path = s_cols[col].path;
		snprintf(out->what, sizeof out->what, "sched.%s", out->path);
		return 0;
	}
	return -1;
}

/* The rows with fields: every G row shown, the Ms, the Ps, sched. */
static int gmp_nsel(const struct ui_model *m)
{
	const struct dbg_rt *rt = &m->rt;
	int n = 0;
	if (!m->rt_ok)
		return 0;
	for (size_t i = 0; i < rt->ngs; i++)
		n += g_shown(rt, &rt->gs[i]);
	return n + (int)rt->nms + (int)rt->nps + (rt->sched.valid ? 1 : 0);
}

void ui_draw_gmp(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v)
{
	werase(w);
	int rows = getmaxy(w) - 1;
	char extra[128] = "";
	if (m->rt_ok)
		snprintf(extra, sizeof extra, "%zu G  %zu M  %zu P  %zu threads", m->rt.ngs,
			 m->rt.nms, m->rt.nps, m->nthreads_all);
	/* the selection, clamped; the rows scroll to keep it in view */
	int nsel = gmp_nsel(m);
	if (v->sel >= nsel)
		v->sel = nsel - 1;
	if (v->sel < 0)
		v->sel = 0;
	if (v->col >= GMP_NCOLS)
		v->col = GMP_NCOLS - 1;
	if (v->col < 0)
		v->col = 0;
	struct lines_out cnt = { .sel = focus && nsel ? v->sel : -1, .sel_line = -1 };
	gmp_lines(m, &cnt);
	int total = cnt.idx;
	if (focus && cnt.sel_line >= 0 && rows > 0) {
		if (cnt.sel_line < v->top)
			v->top = cnt.sel_line;
		if (cnt.sel_line >= v->top + rows)
			v->top = cnt.sel_line - rows + 1;
	}
	if (v->top > total - rows)
		v->top = total - rows;
	if (v->top < 0)
		v->top = 0;
	struct ui_gmp_field f;
	if (focus && ui_gmp_field(m, v->sel, v->col, &f) == 0) {
		size_t len = strlen(extra);
		snprintf(extra + len, sizeof extra - len, "%s%s (w: why)", len ? "  " : "", f.what);
	}
	hidden_note(extra, sizeof extra, v->top, total - v->top - rows);
	title_row(w, UI_PANE_GMP, focus, extra);
	struct lines_out o = { w, v->top, rows, 0, cnt.sel, v->col, 0, -1, 0, 0 };
	gmp_lines(m, &o);
}

/* The box-drawing characters of dbg_gmp_diagram as curses line
 * characters (they draw in any locale); 0 for other text. *len: the
 * bytes of the UTF-8 character at s. */
static chtype line_char(const char *s, int *len)
{
	static const struct {
		const char *utf8;
		int acs; /* index into acs_map, as the ACS_ macros are */
	} map[] = {
		{ "─", 'q' }, { "│", 'x' }, { "┌", 'l' }, { "┐", 'k' },
		{ "└", 'm' }, { "┘", 'j' }, { "▶", '+' },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		size_t n = strlen(map[i].utf8);
		if (strncmp(s, map[i].utf8, n) == 0) {
			*len = (int)n;
			return NCURSES_ACS(map[i].acs);
		}
	}
	*len = 1;
	return 0;
}

/* Rows of the diagram text: its lines. */
static int text_lines(const char *t)
{
	int n = 0;
	for (; t && *t; t++)
		n += *t == '\n';
	return n;
}

int ui_draw_gmp_diagram_rows(const struct ui_model *m)
{
	if (!m->rt_ok)
		return 1;
	char *t = dbg_gmp_diagram(&m->rt, false);
	int n = text_lines(t);
	free(t);
	return n;
}

void ui_draw_gmp_diagram(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v)
{
	werase(w);
	int rows = getmaxy(w) - 1, width = getmaxx(w);
	char extra[96];
	char *t = m->rt_ok ? dbg_gmp_diagram(&m->rt, false) : NULL;
	snprintf(extra, sizeof extra, "diagram (v: tables)");
	if (!t) {
		title_row(w, UI_PANE_GMP, focus, extra);
		message(w, 1, UI_COLOR_DIM, m->rt_ok ? "out of memory" : m->rt_err);
		return;
	}
	int total = text_lines(t);
	if (v->top > total - rows)
		v->top = total - rows;
	if (v->top < 0)
		v->top = 0;
	hidden_note(extra, sizeof extra, v->top, total - v->top - rows);
	title_row(w, UI_PANE_GMP, focus, extra);
	const char *s = t;
	for (int i = 0; i < v->top + rows && *s; i++) {
		const char *e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		if (i >= v->top) {
			int y = 1 + i - v->top, x = 0;
			wmove(w, y, 0);
			/* the boxes dim, the names in them plain; runs, the arrows,
			 * in the running colour */
			for (const char *c = s; c < e && x < width; x++) {
				int len;
				chtype lc = line_char(c, &len);
				if (lc == NCURSES_ACS('+'))
					waddch(w, lc | ui_theme_attr(UI_COLOR_G_RUNNABLE));
				else if (lc)
					waddch(w, lc | ui_theme_attr(UI_COLOR_DIM));
				else
					waddch(w, (chtype)(unsigned char)*c |
							  ui_theme_attr(UI_COLOR_NORMAL));
				c += len;
			}
		}
		s = *e ? e + 1 : e;
	}
	free(t);
}

/* ---- stages ------------------------------------------------------------ */

void ui_draw_stages(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v)
{
	werase(w);
	int rows = getmaxy(w) - 1;
	const struct dbg_stages *st = dbg_session_stages(m->s);
	char extra[64];
	snprintf(extra, sizeof extra, "%zu of %zu reached", m->nreached, st->n);
	int n = (int)st->n;
	if (n == 0) {
		title_row(w, UI_PANE_STAGES, focus, extra);
		message(w, 1, UI_COLOR_DIM,
			dbg_session_no_symbols(m->s) ?
				"no boot stages: the program has no symbol table (stripped)" :
				"no boot stages in this program");
		return;
	}
	if (v->sel < 0)
		v->sel = 0;
	if (v->sel >= n)
		v->sel = n - 1;
	/* Focused: keep the selection in view. Otherwise follow the current
	 * stage, a third down, so the stages ahead are visible. */
	if (focus) {
		if (v->sel < v->top)
			v->top = v->sel;
		if (v->sel >= v->top + rows)
			v->top = v->sel - rows + 1;
	} else {
		v->top = (m->stage >= 0 ? m->stage : 0) - rows / 3;
	}
	if (v->top > n - rows)
		v->top = n - rows;
	if (v->top < 0)
		v->top = 0;
	hidden_note(extra, sizeof extra, v->top, n - v->top - rows);
	title_row(w, UI_PANE_STAGES, focus, extra);

	for (int r = 0; r < rows && v->top + r < n; r++) {
		int i = v->top + r;
		uint64_t steps = 0;
		bool reached = dbg_session_stage_reached(m->s, (size_t)i, &steps);
		bool cur = i == m->stage;
		attr_t base = cur                  ? ui_theme_attr(UI_COLOR_STAGE_CURRENT) :
			      focus && i == v->sel ? ui_theme_attr(UI_COLOR_SELECTED) :
						     A_NORMAL;
		struct pen p;
		pen_row(&p, w, 1 + r, base);
		const struct dbg_bp *bp = dbg_session_bp_placed(m->s, st->v[i].addr);
		put(&p, UI_COLOR_BREAKPOINT, "%c", bp ? (bp->enabled ? '*' : 'o') : ' ');
		put(&p, reached ? UI_COLOR_STAGE_REACHED : UI_COLOR_DIM, "%s %2d %-22s",
		    cur     ? ">" :
		    reached ? "+" :
			      " ",
		    i + 1, st->v[i].name);
		/* a count that missed a free run (continue) is unknown */
		if (reached && dbg_session_stage_steps_exact(m->s, (size_t)i))
			put(&p, UI_COLOR_STAGE_REACHED, " @%-8lu", (unsigned long)steps);
		else if (reached)
			put(&p, UI_COLOR_STAGE_REACHED, " @%-8s", "?");
		else
			put(&p, UI_COLOR_DIM, " %-9s", "");
		if (st->v[i].check)
			put(&p, UI_COLOR_DIM, " %s", st->v[i].check);
	}
}

/* ---- system calls ------------------------------------------------------- */

/* "@312", "@40+?" after a free run. */
static void sys_step(char *buf, size_t n, uint64_t step)
{
	if (step & DBG_STEPS_INEXACT)
		snprintf(buf, n, "@%lu+?", (unsigned long)(step & ~DBG_STEPS_INEXACT));
	else
		snprintf(buf, n, "@%lu", (unsigned long)step);
}

/* Entry e: its step, thread, M and g, the function that made the call,
 * the call (or signal) and its result, the stage. Wide: one row with
 * columns; else two, the call on the second. dim: it lies ahead of the
 * step shown. */
static void sys_entry(WINDOW *w, int y, struct ui_model *m, const struct dbg_sys_event *e,
		      bool wide, bool dim)
{
	const struct dbg_stages *st = dbg_session_stages(m->s);
	const struct dbg_sym *fn = e->caller ? dbg_session_sym_at(m->s, e->caller) : NULL;
	char step[32], mm[24], g[24], text[1024];
	struct pen p;
	int width = getmaxx(w);
	sys_step(step, sizeof step, e->step);
	if (e->m >= 0)
		snprintf(mm, sizeof mm, "m%ld", (long)e->m);
	else
		snprintf(mm, sizeof mm, "-");
	if (e->goid >= 0)
		snprintf(g, sizeof g, "g%ld", (long)e->goid);
	else
		snprintf(g, sizeof g, "-");
	const char *caller = e->kind == DBG_SYS_SIGNAL ? "" : fn ? fn->name : "?";
	const char *stage = e->stage >= 0 && (size_t)e->stage < st->n ? st->v[e->stage].name : "";
	enum ui_color meta = dim ? UI_COLOR_DIM : UI_COLOR_NORMAL;
	enum ui_color call = dim                                       ? UI_COLOR_DIM :
			     e->kind == DBG_SYS_SIGNAL                 ? UI_COLOR_STDERR :
			     e->returned && dbg_syscall_failed(e->ret) ? UI_COLOR_ERROR :
									 UI_COLOR_SYSCALL;
	ui_sys_text(e, true, text, sizeof text);

	pen_row(&p, w, y, A_NORMAL);
	put(&p, meta, "%-9s %-7d %-4s %-4s ", step, (int)e->tid, mm, g);
	if (wide) {
		put(&p, UI_COLOR_SYMBOL, "%-24s ", caller);
		put(&p, call, "%s", text);
	} else {
		put(&p, UI_COLOR_SYMBOL, "%s", caller);
	}
	if (stage[0]) {
		if (p.x + 5 + (int)strlen(stage) > width)
			stage = dbg_stage_short(stage);
		int len = (int)strlen(stage) + 2;
		if (p.x + 2 + len <= width) {
			pad_to(&p, width - len);
			put(&p, UI_COLOR_DIM, "[%s]", stage);
		}
	}
	if (wide || y + 1 >= getmaxy(w))
		return;
	pen_row(&p, w, y + 1, A_NORMAL);
	put(&p, call, "  %s", text);
}

void ui_draw_syscalls(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v)
{
	const struct dbg_sys_event *ev;
	size_t n = dbg_session_syscalls(m->s, &ev);
	int rows = getmaxy(w) - 1, width = getmaxx(w);
	size_t nsig = 0;
	char extra[128];
	werase(w);
	for (size_t i = 0; i < n; i++)
		nsig += ev[i].kind == DBG_SYS_SIGNAL;
	if (v->back > (int)n - 1)
		v->back = (int)n - 1;
	if (v->back < 0)
		v->back = 0;
	int len = snprintf(extra, sizeof extra, "%zu call%s", n - nsig, n - nsig == 1 ? "" : "s");
	if (nsig)
		len += snprintf(extra + len, sizeof extra - (size_t)len, ", %zu signal%s", nsig,
				nsig == 1 ? "" : "s");
	if (v->back)
		snprintf(extra + len, sizeof extra - (size_t)len, "  %d back (End: newest)",
			 v->back);
	title_row(w, UI_PANE_SYSCALLS, focus, extra);
	if (rows <= 0)
		return;
	if (n == 0) {
		message(w, 1, UI_COLOR_DIM,
			m->live ? "none seen yet (:catch syscall NAME stops at one)" :
				  "the program is not being run");
		return;
	}
	bool wide = width >= 120;
	int y = 1;
	if (wide && rows >= 3) {
		struct pen p;
		pen_row(&p, w, y++, A_NORMAL);
		put(&p, UI_COLOR_DIM, "%-9s %-7s %-4s %-4s %-24s %s", "step", "tid", "M", "g",
		    "caller", "call = result");
	}
	/* the newest at the bottom, v->back entries back */
	int per = wide ? 1 : 2;
	int fit = (rows - y + 1) / per;
	if (fit < 1)
		fit = 1;
	size_t last = n - 1 - (size_t)v->back;
	size_t first = last + 1 >= (size_t)fit ? last + 1 - (size_t)fit : 0;
	bool back_in_time = m->history || m->replay;
	for (size_t i = first; i <= last && y <= rows; i++, y += per) {
		uint64_t at = ev[i].step & ~DBG_STEPS_INEXACT;
		sys_entry(w, y, m, &ev[i], wide, back_in_time && at > m->steps);
	}
}

/* ---- output and command ------------------------------------------------- */

/* Where the segment of a wrapped line that starts at s ends (exclusive),
 * and where the next one starts: at the last space that fits, or cut. */
static int wrap_end(const char *text, int len, int s, int width, int *next)
{
	if (len - s <= width) {
		*next = len;
		return len;
	}
	for (int i = s + width; i > s; i--) {
		if (text[i] == ' ') {
			*next = i + 1;
			return i;
		}
	}
	*next = s + width;
	return s + width;
}

static int wrap_rows(const struct ui_line *ln, int width)
{
	int n = 0, s = 0, next;
	do {
		wrap_end(ln->text, ln->len, s, width, &next);
		s = next;
		n++;
	} while (s < ln->len);
	return n;
}

int ui_draw_lines_rows(const struct ui_ring *l, int width, int max)
{
	int rows = 0;
	for (size_t i = l->n; i > 0 && rows < max; i--)
		rows += wrap_rows(ui_ring_at(l, i - 1), width);
	return rows < max ? rows : max;
}

void ui_draw_lines(WINDOW *w, enum ui_pane pane, const struct ui_ring *l,
		   enum ui_color (*color)(uint8_t kind), bool focus, struct ui_pane_view *v)
{
	werase(w);
	int rows = getmaxy(w) - 1, width = getmaxx(w);
	int total = (int)l->n;
	if (v->back > total - 1)
		v->back = total - 1;
	if (v->back < 0)
		v->back = 0;
	char extra[96] = "";
	if (v->back)
		snprintf(extra, sizeof extra, "%d lines back (End: newest)", v->back);
	if (total == 0 || rows <= 0 || width <= 0) {
		title_row(w, pane, focus, extra);
		return;
	}

	/* Newest line at the bottom; long lines wrap at spaces. */
	int last = total - 1 - v->back;
	int first = last, used = 0;
	while (first >= 0) {
		int r = wrap_rows(ui_ring_at(l, (size_t)first), width);
		if (used > 0 && used + r > rows)
			break;
		used += r;
		first--;
	}
	first++;
	/* the lines above the first shown: PgUp scrolls back to them */
	hidden_note(extra, sizeof extra, first, 0);
	title_row(w, pane, focus, extra);
	int skip = used > rows ? used - rows : 0;
	int y = 1;
	for (int i = first; i <= last && y <= rows; i++) {
		const struct ui_line *ln = ui_ring_at(l, (size_t)i);
		attr_t a = ui_theme_attr(color(ln->kind));
		int s = 0, next;
		do {
			int e = wrap_end(ln->text, ln->len, s, width, &next);
			if (skip > 0) {
				skip--;
			} else {
				struct pen p;
				pen_row(&p, w, y++, A_NORMAL);
				putn(&p, a, ln->text + s, e - s);
			}
			s = next;
		} while (s < ln->len && y <= rows);
	}
}

/* ---- lab ---------------------------------------------------------------- */

/* Emits wrapped rows in order, drawing only those in [top, top + rows). */
struct wrap_out {
	WINDOW *w; /* NULL: count only */
	int top, rows, idx, width;
};

static bool wrap_row(struct wrap_out *o, struct pen *p)
{
	int i = o->idx++;
	bool vis = o->w && i >= o->top && i < o->top + o->rows;
	pen_row(p, vis ? o->w : NULL, 1 + i - o->top, A_NORMAL);
	return vis;
}

/* text (len bytes) wrapped at spaces after a lead ("?", "PASS") drawn in
 * lead_c and a space; continuation rows are indented to match. */
static void wrap_text(struct wrap_out *o, enum ui_color lead_c, const char *lead, enum ui_color c,
		      const char *text, int len)
{
	int lead_len = (int)strlen(lead);
	int ind = lead_len ? lead_len + 1 : 0;
	int width = o->width - ind > 8 ? o->width - ind : 8;
	int s = 0, next;
	do {
		struct pen p;
		int e = wrap_end(text, len, s, width, &next);
		wrap_row(o, &p);
		if (s == 0)
			putn(&p, role(&p, lead_c), lead, lead_len);
		pad_to(&p, ind);
		putn(&p, role(&p, c), text + s, e - s);
		s = next;
	} while (s < len);
}

/* '\n'-separated paragraphs. */
static void wrap_paras(struct wrap_out *o, enum ui_color c, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);
		wrap_text(o, c, "", c, text, len);
		text = nl ? nl + 1 : NULL;
	}
}

/* The student's answer under its question: what was typed, and once L
 * checked it, right or wrong (with the expected one when the lab reveals
 * it). */
static void lab_answer_line(struct wrap_out *o, const struct ui_lab_answer *a)
{
	char buf[320];
	int len;
	enum ui_color c = UI_COLOR_DIM;
	const char *verdict = "";
	switch (a->state) {
	case UI_ANSWER_NONE:
		return;
	case UI_ANSWER_TYPED:
		verdict = "  (L checks it)";
		break;
	case UI_ANSWER_RIGHT:
		verdict = "  RIGHT";
		c = UI_COLOR_PASS;
		break;
	case UI_ANSWER_WRONG:
		verdict = "  WRONG";
		c = UI_COLOR_FAIL;
		break;
	case UI_ANSWER_UNGRADED:
		verdict = "  (not graded)";
		break;
	}
	len = snprintf(buf, sizeof buf, "%s%s%s%s", a->text, verdict,
		       a->expected[0] ? ", expected " : "", a->expected);
	if (len >= (int)sizeof buf)
		len = sizeof buf - 1;
	wrap_text(o, c, "  =", c, buf, len);
}

static void lab_lines(struct ui_lab *l, struct wrap_out *o, int *checks_row)
{
	const struct dbg_lab *lab = l->lab;
	size_t k = l->view;
	const struct dbg_lab_step *st = &lab->steps[k];
	char buf[512];
	struct pen p;
	size_t n, pass, fail;

	int len = snprintf(buf, sizeof buf, "Step %zu of %zu: %s", k + 1, lab->nsteps, st->title);
	wrap_text(o, UI_COLOR_STAGE, "", UI_COLOR_STAGE, buf, len);
	if (k == 0 && lab->intro)
		wrap_paras(o, UI_COLOR_DIM, lab->intro);
	if (lab->variant) {
		len = snprintf(buf, sizeof buf, "your variant: %s", lab->variant);
		wrap_text(o, UI_COLOR_DIM, "", UI_COLOR_DIM, buf,
			  len < (int)sizeof buf ? len : (int)sizeof buf - 1);
	}
	wrap_paras(o, UI_COLOR_NORMAL, st->say);
	/* the questions, the selected one (a answers it) marked */
	for (size_t i = 0; i < st->nask; i++) {
		char lead[24];
		snprintf(lead, sizeof lead, "%s%zu", i == l->sel ? ">" : "?", i + 1);
		wrap_text(o, UI_COLOR_KEY, lead, i == l->sel ? UI_COLOR_STAGE : UI_COLOR_SYMBOL,
			  st->ask[i], (int)strlen(st->ask[i]));
		lab_answer_line(o, ui_lab_answer_at(l, k, i));
	}
	wrap_row(o, &p);

	*checks_row = o->idx;
	ui_lab_count(l, k, &n, &pass, &fail);
	size_t nf = 0, pf = 0;
	for (size_t j = 0; j < st->ncmds; j++) {
		const struct ui_lab_check *c = ui_lab_check_at(l, k, j);
		nf += c && c->final;
		pf += c && c->final && c->state == UI_CHECK_PASS;
	}
	wrap_row(o, &p);
	/* the checks say what to find: hidden until the student asks for
	 * them (L) or for the demo (D) */
	if (l->state[k] == UI_STEP_NEW) {
		put(&p, UI_COLOR_DIM, "Checks: %zu, hidden until L checks where you are", n);
	} else if (l->state[k] == UI_STEP_CHECKED) {
		put(&p, pf < nf ? UI_COLOR_ERROR : UI_COLOR_DIM, "Checks here: %zu of %zu passed",
		    pf, nf);
	} else {
		put(&p, fail || l->state[k] == UI_STEP_STOPPED ? UI_COLOR_ERROR : UI_COLOR_DIM,
		    "Checks: %zu of %zu passed", pass, n);
	}
	for (size_t j = 0; l->state[k] != UI_STEP_NEW && j < st->ncmds; j++) {
		const struct ui_lab_check *c = ui_lab_check_at(l, k, j);
		const char *expr = st->cmds[j].text + strlen("expect");
		if (!c)
			continue;
		while (*expr == ' ')
			expr++;
		if (c->state == UI_CHECK_FAIL)
			len = snprintf(buf, sizeof buf, "%s  expected %s, actual %s", expr,
				       c->expected, c->actual);
		else if (c->state == UI_CHECK_PENDING && !c->final)
			len = snprintf(buf, sizeof buf, "%s  (earlier in the step: D shows it)",
				       expr);
		else
			len = snprintf(buf, sizeof buf, "%s", expr);
		if (len >= (int)sizeof buf)
			len = sizeof buf - 1;
		wrap_text(o,
			  c->state == UI_CHECK_PASS ? UI_COLOR_PASS :
			  c->state == UI_CHECK_FAIL ? UI_COLOR_FAIL :
						      UI_COLOR_DIM,
			  c->state == UI_CHECK_PASS ? "PASS" :
			  c->state == UI_CHECK_FAIL ? "FAIL" :
						      " -- ",
			  c->state == UI_CHECK_FAIL ? UI_COLOR_ERROR : UI_COLOR_NORMAL, buf, len);
	}
	/* why the demo stopped, or why a check could not be evaluated here
	 * (no program running, a pointer that is still 0) */
	if ((l->state[k] == UI_STEP_STOPPED || l->state[k] == UI_STEP_CHECKED) &&
	    l->err_step == k && l->err[0]) {
		len = snprintf(buf, sizeof buf, "%s", l->err);
		wrap_text(o, UI_COLOR_ERROR,
			  l->state[k] == UI_STEP_STOPPED ? "stopped:" : "error:", UI_COLOR_ERROR,
			  buf, len < (int)sizeof buf ? len : (int)sizeof buf - 1);
	}
	wrap_row(o, &p);
	if (l->state[k] == UI_STEP_CHECKED && pf == nf && k + 1 < lab->nsteps)
		len = snprintf(buf, sizeof buf,
			       "every check passed here: > next step  a answer  D demo");
	else
		len = snprintf(buf, sizeof buf,
			       "a answer  L check where you are  D demo  > next step  < previous");
	wrap_text(o, UI_COLOR_DIM, "", UI_COLOR_DIM, buf, len);
}

void ui_draw_lab(WINDOW *w, struct ui_lab *l, bool focus, struct ui_pane_view *v)
{
	int rows = getmaxy(w) - 1, width = getmaxx(w);
	char extra[160];
	size_t n, pass, fail;

	werase(w);
	ui_lab_count(l, SIZE_MAX, &n, &pass, &fail);
	/* the numbers first: the title is cut at the pane's edge */
	snprintf(extra, sizeof extra, "%d, step %zu/%zu, %zu/%zu checks passed: %s", l->lab->number,
		 l->view + 1, l->lab->nsteps, pass, n, l->lab->title);
	title_row(w, UI_PANE_LAB, focus, extra);
	if (rows <= 0 || width <= 0)
		return;

	int checks_row = 0;
	struct wrap_out o = { NULL, 0, rows, 0, width };
	lab_lines(l, &o, &checks_row);
	int total = o.idx;
	if (l->show_checks) {
		v->top = checks_row;
		l->show_checks = false;
	}
	if (v->top > total - rows)
		v->top = total - rows;
	if (v->top < 0)
		v->top = 0;
	o = (struct wrap_out){ w, v->top, rows, 0, width };
	lab_lines(l, &o, &checks_row);
}

/* ---- frames ------------------------------------------------------------ */

void ui_draw_frames(WINDOW *w, struct ui_model *m, bool focus, struct ui_pane_view *v)
{
	int rows = getmaxy(w) - 1;
	char extra[64] = "";
	size_t sel = m->frame_sel ? *m->frame_sel : 0;
	werase(w);
	if (m->nframes)
		snprintf(extra, sizeof extra, "%zu%s, frame %zu selected", m->nframes,
			 m->nframes == UI_FRAMES_MAX && !m->frames[m->nframes - 1].stop_why ? "+" :
											      "",
			 sel);
	title_row(w, UI_PANE_FRAMES, focus, extra);
	if (!m->nframes) {
		message(w, 1, UI_COLOR_DIM, m->frames_err[0] ? m->frames_err : "-");
		return;
	}
	if (rows <= 0)
		return;
	/* keep the selected frame in view */
	if (v->top < 0 || (size_t)v->top >= m->nframes)
		v->top = 0;
	if (sel >= (size_t)v->top + (size_t)rows)
		v->top = (int)(sel - (size_t)rows + 1);
	for (int y = 0; y < rows && (size_t)(v->top + y) < m->nframes; y++) {
		size_t i = (size_t)(v->top + y);
		const struct dbg_frame *f = &m->frames[i];
		struct pen p;
		pen_row(&p, w, y + 1, A_NORMAL);
		put(&p, i == sel ? UI_COLOR_PC : UI_COLOR_NORMAL, "%s#%-2zu", i == sel ? ">" : " ",
		    i);
		put(&p, UI_COLOR_NORMAL, " %#lx ", (unsigned long)f->pc);
		if (f->func)
			put(&p, UI_COLOR_SYMBOL, "%s+%#lx", f->func,
			    (unsigned long)(f->pc - f->func_addr));
		else
			put(&p, UI_COLOR_DIM, "??");
		if (f->how == DBG_FRAME_GSWITCH)
			put(&p, UI_COLOR_G_RUNNING, "  [goroutine %ld]", (long)f->goid);
		else if (f->how == DBG_FRAME_FP)
			put(&p, UI_COLOR_DIM, "  (frame pointer)");
		/* its source line (a return address's: its call's, at pc - 1) */
		bool exact = f->how == DBG_FRAME_INNER || f->how == DBG_FRAME_GSWITCH ||
			     f->how == DBG_FRAME_SIGNAL || f->signal;
		struct dbg_line ln;
		if (f->pc && dbg_session_line_at(m->s, exact ? f->pc : f->pc - 1, &ln))
			put(&p, UI_COLOR_DIM, "  %s:%u", base_name(ln.file), ln.line);
	}
}
