#include "layout.h"

static const struct {
	int min_w, min_h;
} pane_info[UI_PANE_COUNT] = {
	[UI_PANE_CODE] = { 30, 5 },    [UI_PANE_REGS] = { 30, 4 },   [UI_PANE_TLS] = { 30, 4 },
	[UI_PANE_STACK] = { 30, 3 },   [UI_PANE_GMP] = { 30, 4 },    [UI_PANE_STAGES] = { 30, 4 },
	[UI_PANE_OUTPUT] = { 30, 3 },  [UI_PANE_CMD] = { 30, 3 },    [UI_PANE_LAB] = { 30, 4 },
	[UI_PANE_FRAMES] = { 30, 3 },  [UI_PANE_SOURCE] = { 30, 3 }, [UI_PANE_SYSCALLS] = { 30, 3 },
	[UI_PANE_CHANGES] = { 30, 3 },
};

int ui_pane_min_w(enum ui_pane p)
{
	return pane_info[p].min_w;
}

int ui_pane_min_h(enum ui_pane p)
{
	return pane_info[p].min_h;
}

static struct ui_rect rect(int y, int x, int h, int w)
{
	struct ui_rect r = { y, x, h, w };
	return r;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * Stack panes top to bottom in a column of height h starting at y. want[i]
 * is each pane's share of h in percent, or minus a fixed height; the last
 * pane takes what is left. Every pane gets at least its minimum height.
 */
static void column(struct ui_layout *l, int y, int x, int w, int h, const enum ui_pane *p,
		   const int *want, int n)
{
	int total = h, min_rest = 0;
	for (int i = 0; i < n; i++)
		min_rest += ui_pane_min_h(p[i]);
	for (int i = 0; i < n; i++) {
		int min = ui_pane_min_h(p[i]);
		min_rest -= min;
		int ph;
		if (i == n - 1 || want[i] == 0)
			ph = h;
		else if (want[i] < 0)
			ph = -want[i]; /* a fixed height */
		else
			ph = total * want[i] / 100;
		ph = clamp(ph, min, h - min_rest);
		l->pane[p[i]] = rect(y, x, ph, w);
		y += ph;
		h -= ph;
	}
}

static void wide(struct ui_layout *l, int cols, int h, bool lab)
{
	/* the code keeps some 68 columns at 200x60; G/M/P and the stages
	 * take the rest, their tables and descriptions whole */
	int w1 = cols * 34 / 100;
	int w2 = (cols - w1 - 2) / 2;
	int w3 = cols - w1 - w2 - 2;
	int x2 = w1 + 1, x3 = x2 + w2 + 1;

	static const enum ui_pane c1[] = { UI_PANE_CODE, UI_PANE_SOURCE, UI_PANE_FRAMES,
					   UI_PANE_STACK };
	static const int c1w[] = { 36, 28, -7, 0 };
	column(l, 0, 0, w1, h, c1, c1w, 4);

	static const enum ui_pane c2[] = { UI_PANE_REGS, UI_PANE_TLS, UI_PANE_GMP };
	static const int c2w[] = { -12, -11, 0 };
	column(l, 0, x2, w2, h, c2, c2w, 3);

	/* every stage of the catalog fits at 200x60 */
	static const enum ui_pane c3[] = { UI_PANE_STAGES, UI_PANE_SYSCALLS, UI_PANE_CHANGES,
					   UI_PANE_OUTPUT, UI_PANE_CMD };
	static const int c3w[] = { 42, 16, 14, 10, 0 };
	/* The lab's text and checks first: in lab mode they lead. */
	static const enum ui_pane c3lab[] = { UI_PANE_LAB,     UI_PANE_STAGES, UI_PANE_SYSCALLS,
					      UI_PANE_CHANGES, UI_PANE_OUTPUT, UI_PANE_CMD };
	static const int c3labw[] = { 42, 22, 10, 10, 6, 0 };
	if (lab)
		column(l, 0, x3, w3, h, c3lab, c3labw, 6);
	else
		column(l, 0, x3, w3, h, c3, c3w, 5);

	l->sep[0] = rect(0, w1, h, 1);
	l->sep[1] = rect(0, x2 + w2, h, 1);
	l->nsep = 2;
}

/* Below this many rows of panes the TWO layout moves the output left. */
#define TWO_LOW_H 34

static void two(struct ui_layout *l, int cols, int h, bool lab)
{
	int wr = cols * 45 / 100;
	if (wr < 50)
		wr = 50;
	int wl = cols - wr - 1;

	/* the Stages pane keeps its rows (11 at 120x40) */
	static const enum ui_pane left[] = { UI_PANE_CODE,  UI_PANE_SOURCE,  UI_PANE_FRAMES,
					     UI_PANE_STACK, UI_PANE_CHANGES, UI_PANE_SYSCALLS,
					     UI_PANE_STAGES };
	static const int leftw[] = { 20, 12, -5, 11, -3, 9, 0 };
	static const enum ui_pane leftlab[] = { UI_PANE_CODE,  UI_PANE_SOURCE,  UI_PANE_FRAMES,
						UI_PANE_STACK, UI_PANE_CHANGES, UI_PANE_STAGES,
						UI_PANE_LAB };
	static const int leftlabw[] = { 20, 11, -5, 10, -3, 12, 0 };
	/* Short screens (100x30): the output moves under the stages, so
	 * that G/M/P keeps rows under the registers and TLS; every pane of
	 * the column has its smallest height. */
	bool low = h < TWO_LOW_H;
	static const enum ui_pane leftlow[] = { UI_PANE_CODE,   UI_PANE_SOURCE,  UI_PANE_FRAMES,
						UI_PANE_STACK,  UI_PANE_CHANGES, UI_PANE_SYSCALLS,
						UI_PANE_STAGES, UI_PANE_OUTPUT };
	static const int leftloww[] = { 22, 12, -3, 12, -3, -3, 0, -3 };
	static const enum ui_pane leftlablow[] = { UI_PANE_CODE,  UI_PANE_SOURCE,  UI_PANE_FRAMES,
						   UI_PANE_STACK, UI_PANE_CHANGES, UI_PANE_STAGES,
						   UI_PANE_LAB };
	static const int leftlabloww[] = { 22, 12, -3, 12, -3, 14, 0 };
	if (lab && low)
		column(l, 0, 0, wl, h, leftlablow, leftlabloww, 7);
	else if (low)
		column(l, 0, 0, wl, h, leftlow, leftloww, 8);
	else if (lab)
		column(l, 0, 0, wl, h, leftlab, leftlabw, 7);
	else
		column(l, 0, 0, wl, h, left, leftw, 7);

	/* Registers and TLS have a fixed number of lines; what is left
	 * goes mostly to G/M/P, whose tables grow with the boot (P0's row
	 * shows at 120x40). The lab's column has no room left for the
	 * system calls: they come here, before the commands. */
	static const enum ui_pane right[] = { UI_PANE_REGS, UI_PANE_TLS, UI_PANE_GMP, UI_PANE_CMD,
					      UI_PANE_OUTPUT };
	static const enum ui_pane rightlab[] = { UI_PANE_REGS,     UI_PANE_TLS, UI_PANE_GMP,
						 UI_PANE_SYSCALLS, UI_PANE_CMD, UI_PANE_OUTPUT };
	int rest = h - 11 - 8;
	int gmp = rest * 48 / 100, cmd = rest * 32 / 100;
	const int rightw[] = { -11, -8, -gmp, -cmd, 0 };
	int sys = rest * 18 / 100, labcmd = rest * 24 / 100;
	const int rightlabw[] = { -11, -8, -gmp, -sys, -labcmd, 0 };
	if (low) {
		static const enum ui_pane rightlow[] = { UI_PANE_REGS, UI_PANE_TLS, UI_PANE_GMP,
							 UI_PANE_CMD };
		static const enum ui_pane rightlablow[] = { UI_PANE_REGS, UI_PANE_TLS,
							    UI_PANE_GMP,  UI_PANE_SYSCALLS,
							    UI_PANE_CMD,  UI_PANE_OUTPUT };
		int lowgmp = rest - 3;
		const int rightloww[] = { -11, -8, -lowgmp, 0 };
		const int rightlabloww[] = { -11, -8, -4, -3, -3, 0 };
		if (lab)
			column(l, 0, wl + 1, wr, h, rightlablow, rightlabloww, 6);
		else
			column(l, 0, wl + 1, wr, h, rightlow, rightloww, 4);
	} else if (lab) {
		column(l, 0, wl + 1, wr, h, rightlab, rightlabw, 6);
	} else {
		column(l, 0, wl + 1, wr, h, right, rightw, 5);
	}

	l->sep[0] = rect(0, wl, h, 1);
	l->nsep = 1;
}

static void tabs(struct ui_layout *l, int cols, int h, enum ui_pane tab, bool lab)
{
	l->tabs = rect(0, 0, 1, cols);
	if (lab) {
		/* the lab's text stays on top, its step always in view; the
		 * code is one more tab below it */
		if (tab == UI_PANE_LAB)
			tab = UI_PANE_CODE;
		int top = h * 40 / 100;
		top = clamp(top, ui_pane_min_h(UI_PANE_LAB), h - ui_pane_min_h(tab));
		l->pane[UI_PANE_LAB] = rect(1, 0, top, cols);
		l->pane[tab] = rect(1 + top, 0, h - top, cols);
		return;
	}
	if (tab == UI_PANE_CODE || tab == UI_PANE_LAB)
		tab = UI_PANE_REGS;
	int code = h * 42 / 100;
	code = clamp(code, ui_pane_min_h(UI_PANE_CODE), h - ui_pane_min_h(tab));
	l->pane[UI_PANE_CODE] = rect(1, 0, code, cols);
	l->pane[tab] = rect(1 + code, 0, h - code, cols);
}

void ui_layout_compute(struct ui_layout *l, int cols, int rows, enum ui_pane tab, bool lab)
{
	*l = (struct ui_layout){ 0 };
	l->cols = cols;
	l->rows = rows;
	if (cols < UI_LAYOUT_TABS_COLS || rows < UI_LAYOUT_TABS_ROWS) {
		l->mode = UI_LAYOUT_SMALL;
		return;
	}
	l->timeline = rect(rows - 3, 0, 1, cols);
	l->status = rect(rows - 2, 0, 1, cols);
	l->legend = rect(rows - 1, 0, 1, cols);
	if (cols >= UI_LAYOUT_WIDE_COLS && rows >= UI_LAYOUT_WIDE_ROWS) {
		l->mode = UI_LAYOUT_WIDE;
		wide(l, cols, rows - 3, lab);
	} else if (cols >= UI_LAYOUT_TWO_COLS && rows >= UI_LAYOUT_TWO_ROWS) {
		l->mode = UI_LAYOUT_TWO;
		two(l, cols, rows - 3, lab);
	} else {
		l->mode = UI_LAYOUT_TABS;
		tabs(l, cols, rows - 4, tab, lab);
	}
}

bool ui_layout_visible(const struct ui_layout *l, enum ui_pane p)
{
	return l->pane[p].h > 0 && l->pane[p].w > 0;
}

struct ui_rect ui_layout_center(const struct ui_layout *l, int w, int h)
{
	if (w > l->cols)
		w = l->cols;
	if (h > l->rows)
		h = l->rows;
	return rect((l->rows - h) / 2, (l->cols - w) / 2, h, w);
}

bool ui_rect_overlap(struct ui_rect a, struct ui_rect b)
{
	if (a.h <= 0 || a.w <= 0 || b.h <= 0 || b.w <= 0)
		return false;
	return a.y < b.y + b.h && b.y < a.y + a.h && a.x < b.x + b.w && b.x < a.x + a.w;
}

/* The visible panes of the column at x (width w), top to bottom. */
static int column_of(const struct ui_layout *l, int x, int w, enum ui_pane *out)
{
	int n = 0;
	for (int p = 0; p < UI_PANE_COUNT; p++)
		if (ui_layout_visible(l, (enum ui_pane)p) && l->pane[p].x == x && l->pane[p].w == w)
			out[n++] = (enum ui_pane)p;
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && l->pane[out[j]].y < l->pane[out[j - 1]].y; j--) {
			enum ui_pane tmp = out[j];
			out[j] = out[j - 1];
			out[j - 1] = tmp;
		}
	return n;
}

/* The rows a log pane keeps for its newest lines when ui_layout_fit
 * takes rows for another pane; 0 for a pane that is not a log. */
static int log_floor(enum ui_pane p)
{
	return p == UI_PANE_CMD ? 4 : p == UI_PANE_OUTPUT ? 3 : 0;
}

static void fit_column(struct ui_layout *l, const enum ui_pane *c, int n, const int *want)
{
	int h[UI_PANE_COUNT], spare = 0;
	for (int i = 0; i < n; i++) {
		enum ui_pane p = c[i];
		h[i] = l->pane[p].h;
		int keep = want[p] > ui_pane_min_h(p) ? want[p] : ui_pane_min_h(p);
		if (want[p] > 0 && h[i] > keep) {
			spare += h[i] - keep;
			h[i] = keep;
		}
	}
	/* one row at a time to each pane still short of its content, in
	 * turn, so that no one long pane takes every row */
	bool gave = true;
	while (spare > 0 && gave) {
		gave = false;
		for (int i = 0; i < n && spare > 0; i++)
			if (want[c[i]] > h[i]) {
				h[i]++;
				spare--;
				gave = true;
			}
	}
	/* Panes whose content is a log (the commands, the output) give rows
	 * down to a floor to G/M/P, whose tables the labs read whole: a
	 * log's older lines can be scrolled back to. */
	for (int i = 0; i < n; i++) {
		enum ui_pane p = c[i];
		if (p != UI_PANE_GMP || want[p] <= h[i])
			continue;
		for (int j = 0; j < n && want[p] > h[i]; j++) {
			int floor = log_floor(c[j]);
			while (floor && h[j] > floor && want[p] > h[i]) {
				h[j]--;
				h[i]++;
			}
		}
	}
	/* what nobody wants goes to a pane whose content has no end (the
	 * code, the lab's text, the source: want 0), else back where it came
	 * from, top first */
	static const enum ui_pane open_ended[] = { UI_PANE_CODE, UI_PANE_LAB, UI_PANE_SOURCE };
	for (int k = 0; k < (int)(sizeof open_ended / sizeof open_ended[0]) && spare > 0; k++)
		for (int i = 0; i < n; i++)
			if (c[i] == open_ended[k] && want[c[i]] == 0) {
				h[i] += spare;
				spare = 0;
			}
	for (int i = 0; i < n && spare > 0; i++) {
		int had = l->pane[c[i]].h;
		if (h[i] < had) {
			int d = had - h[i] < spare ? had - h[i] : spare;
			h[i] += d;
			spare -= d;
		}
	}
	int y = l->pane[c[0]].y;
	for (int i = 0; i < n; i++) {
		l->pane[c[i]].y = y;
		l->pane[c[i]].h = h[i];
		y += h[i];
	}
}

void ui_layout_fit(struct ui_layout *l, const int *want)
{
	if (l->mode != UI_LAYOUT_TWO && l->mode != UI_LAYOUT_WIDE)
		return;
	bool done[UI_PANE_COUNT] = { false };
	for (int p = 0; p < UI_PANE_COUNT; p++) {
		if (done[p] || !ui_layout_visible(l, (enum ui_pane)p))
			continue;
		enum ui_pane c[UI_PANE_COUNT];
		int n = column_of(l, l->pane[p].x, l->pane[p].w, c);
		for (int i = 0; i < n; i++)
			done[c[i]] = true;
		fit_column(l, c, n, want);
	}
}

void ui_layout_zoom(struct ui_layout *l, enum ui_pane p)
{
	if (l->mode == UI_LAYOUT_SMALL || (int)p < 0 || p >= UI_PANE_COUNT)
		return;
	int top = l->tabs.h > 0 ? l->tabs.y + l->tabs.h : 0;
	for (int i = 0; i < UI_PANE_COUNT; i++)
		l->pane[i] = rect(0, 0, 0, 0);
	l->pane[p] = rect(top, 0, l->timeline.y - top, l->cols);
	l->nsep = 0;
	for (int i = 0; i < UI_LAYOUT_MAX_SEPS; i++)
		l->sep[i] = rect(0, 0, 0, 0);
}
