/* Layout arithmetic: pane rectangles for many screen sizes. */
#include "layout.h"
#include "testlib.h"

/* Panes by name in the messages (the titles are the TUI's pane classes). */
static const char *pane_name(enum ui_pane p)
{
	static const char *const names[UI_PANE_COUNT] = {
		[UI_PANE_CODE] = "code",       [UI_PANE_REGS] = "registers",
		[UI_PANE_TLS] = "tls",         [UI_PANE_STACK] = "stack",
		[UI_PANE_GMP] = "gmp",         [UI_PANE_STAGES] = "stages",
		[UI_PANE_OUTPUT] = "output",   [UI_PANE_CMD] = "command",
		[UI_PANE_LAB] = "lab",         [UI_PANE_FRAMES] = "frames",
		[UI_PANE_SOURCE] = "source",   [UI_PANE_SYSCALLS] = "syscalls",
		[UI_PANE_CHANGES] = "changes",
	};
	return names[p] ? names[p] : "?";
}

static int inside(struct ui_rect r, int cols, int rows)
{
	return r.y >= 0 && r.x >= 0 && r.y + r.h <= rows && r.x + r.w <= cols;
}

static long area(struct ui_rect r)
{
	return (long)r.h * r.w;
}

/* Every invariant of layout.h for one size; returns the covered area. */
static void check_layout(const struct ui_layout *lp, int cols, int rows, enum ui_pane tab, bool lab)
{
	struct ui_layout l = *lp;
	T_EQ_INT(l.cols, cols);
	T_EQ_INT(l.rows, rows);
	if (l.mode == UI_LAYOUT_SMALL) {
		T_CHECK(cols < UI_LAYOUT_TABS_COLS || rows < UI_LAYOUT_TABS_ROWS,
			"%dx%d is big enough for tabs", cols, rows);
		for (int p = 0; p < UI_PANE_COUNT; p++)
			T_CHECK(!ui_layout_visible(&l, p), "%dx%d: pane %s shown", cols, rows,
				pane_name(p));
		return;
	}

	struct ui_rect all[UI_PANE_COUNT + 4 + UI_LAYOUT_MAX_SEPS];
	const char *name[UI_PANE_COUNT + 4 + UI_LAYOUT_MAX_SEPS];
	int n = 0;
	for (int p = 0; p < UI_PANE_COUNT; p++) {
		if (!ui_layout_visible(&l, p))
			continue;
		struct ui_rect r = l.pane[p];
		T_CHECK(r.w >= ui_pane_min_w(p) && r.h >= ui_pane_min_h(p),
			"%dx%d: %s is %dx%d, minimum %dx%d", cols, rows, pane_name(p), r.w, r.h,
			ui_pane_min_w(p), ui_pane_min_h(p));
		name[n] = pane_name(p);
		all[n++] = r;
	}
	name[n] = "status";
	all[n++] = l.status;
	name[n] = "legend";
	all[n++] = l.legend;
	name[n] = "timeline";
	all[n++] = l.timeline;
	name[n] = "tabs";
	all[n++] = l.tabs;
	for (int i = 0; i < l.nsep; i++) {
		name[n] = "separator";
		all[n++] = l.sep[i];
	}
	T_EQ_INT(l.timeline.y, rows - 3);
	T_EQ_INT(l.timeline.w, cols);
	T_EQ_INT(l.status.y, rows - 2);
	T_EQ_INT(l.legend.y, rows - 1);
	T_EQ_INT(l.status.w, cols);

	long covered = 0;
	for (int i = 0; i < n; i++) {
		T_CHECK(inside(all[i], cols, rows), "%dx%d: %s at %d,%d size %dx%d is outside",
			cols, rows, name[i], all[i].y, all[i].x, all[i].w, all[i].h);
		covered += area(all[i]);
		for (int j = i + 1; j < n; j++)
			T_CHECK(!ui_rect_overlap(all[i], all[j]), "%dx%d: %s overlaps %s", cols,
				rows, name[i], name[j]);
	}
	/* No hole: the panes, bars and separators tile the screen, so extra
	 * space always goes to some pane. */
	T_CHECK(covered == (long)cols * rows, "%dx%d: %ld of %ld cells covered", cols, rows,
		covered, (long)cols * rows);

	if (l.mode == UI_LAYOUT_TABS) {
		/* the code on top with a tab below; in lab mode the lab on
		 * top with a tab below, the code one of them */
		enum ui_pane fixed = lab ? UI_PANE_LAB : UI_PANE_CODE;
		enum ui_pane want = lab ? (tab == UI_PANE_LAB ? UI_PANE_CODE : tab) :
				    tab == UI_PANE_CODE || tab == UI_PANE_LAB ? UI_PANE_REGS :
										tab;
		T_CHECK(ui_layout_visible(&l, fixed), "%dx%d: no %s pane on top", cols, rows,
			pane_name(fixed));
		T_EQ_INT(l.pane[fixed].y, 1);
		T_CHECK(ui_layout_visible(&l, want), "%dx%d: tab %s not shown", cols, rows,
			pane_name(want));
		T_EQ_INT(l.tabs.h, 1);
		int shown = 0;
		for (int p = 0; p < UI_PANE_COUNT; p++)
			shown += ui_layout_visible(&l, p);
		T_EQ_INT(shown, 2);
	} else {
		/* every pane on screen; the lab's only in lab mode */
		for (int p = 0; p < UI_PANE_COUNT; p++)
			T_CHECK(ui_layout_visible(&l, p) == (p != UI_PANE_LAB || lab),
				"%dx%d%s: %s %s", cols, rows, lab ? " lab" : "", pane_name(p),
				ui_layout_visible(&l, p) ? "shown" : "hidden");
	}
}

static void check_size(int cols, int rows, enum ui_pane tab, bool lab)
{
	struct ui_layout l;
	ui_layout_compute(&l, cols, rows, tab, lab);
	check_layout(&l, cols, rows, tab, lab);
}

static void test_layout(void)
{
	struct ui_layout l;

	/* The sizes the task names. */
	ui_layout_compute(&l, 120, 40, UI_PANE_CODE, false);
	T_EQ_INT(l.mode, UI_LAYOUT_TWO);
	ui_layout_compute(&l, 200, 60, UI_PANE_CODE, false);
	T_EQ_INT(l.mode, UI_LAYOUT_WIDE);
	ui_layout_compute(&l, 80, 24, UI_PANE_STACK, false);
	T_EQ_INT(l.mode, UI_LAYOUT_TABS);
	T_CHECK(ui_layout_visible(&l, UI_PANE_STACK), "80x24: stack tab hidden");
	T_CHECK(!ui_layout_visible(&l, UI_PANE_REGS), "80x24: two tabs shown");
	ui_layout_compute(&l, 30, 10, UI_PANE_CODE, false);
	T_EQ_INT(l.mode, UI_LAYOUT_SMALL);

	/* Registers show 16 general registers in two columns (8 rows), rip,
	 * eflags and fs_base below: 11 rows with the title at 120x40. */
	ui_layout_compute(&l, 120, 40, UI_PANE_CODE, false);
	T_EQ_INT(l.pane[UI_PANE_REGS].h, 11);
	T_CHECK(l.pane[UI_PANE_REGS].w >= 46, "registers %d wide", l.pane[UI_PANE_REGS].w);
	T_CHECK(l.pane[UI_PANE_TLS].h >= 8, "tls %d high", l.pane[UI_PANE_TLS].h);

	/* The system calls take no row from what the tmux tests read at
	 * 120x40: P0's row of G/M/P, the stages reached, four command lines;
	 * at 200x60 every stage of the catalog (22) fits. */
	T_CHECK(l.pane[UI_PANE_GMP].h >= 8, "g/m/p %d rows at 120x40", l.pane[UI_PANE_GMP].h);
	T_CHECK(l.pane[UI_PANE_STAGES].h >= 11, "stages %d rows at 120x40",
		l.pane[UI_PANE_STAGES].h);
	T_CHECK(l.pane[UI_PANE_CMD].h >= 5, "command %d rows at 120x40", l.pane[UI_PANE_CMD].h);
	T_CHECK(l.pane[UI_PANE_SYSCALLS].h >= 3, "syscalls %d rows at 120x40",
		l.pane[UI_PANE_SYSCALLS].h);

	/* More room goes to the panes. */
	struct ui_layout big;
	ui_layout_compute(&big, 200, 60, UI_PANE_CODE, false);
	T_CHECK(big.pane[UI_PANE_CODE].h > l.pane[UI_PANE_CODE].h,
		"code %d rows at 200x60, %d at 120x40", big.pane[UI_PANE_CODE].h,
		l.pane[UI_PANE_CODE].h);
	T_CHECK(big.pane[UI_PANE_GMP].h > l.pane[UI_PANE_GMP].h,
		"g/m/p %d rows at 200x60, %d at 120x40", big.pane[UI_PANE_GMP].h,
		l.pane[UI_PANE_GMP].h);
	T_CHECK(big.pane[UI_PANE_STAGES].h >= 23, "stages %d rows at 200x60",
		big.pane[UI_PANE_STAGES].h);
	T_CHECK(big.pane[UI_PANE_SYSCALLS].h > l.pane[UI_PANE_SYSCALLS].h,
		"syscalls %d rows at 200x60, %d at 120x40", big.pane[UI_PANE_SYSCALLS].h,
		l.pane[UI_PANE_SYSCALLS].h);

	for (int lab = 0; lab < 2; lab++) {
		for (int p = 0; p < UI_PANE_COUNT; p++) {
			check_size(80, 24, p, lab);
			check_size(120, 40, p, lab);
			check_size(200, 60, p, lab);
		}
		for (int cols = 1; cols <= 260; cols += 3)
			for (int rows = 1; rows <= 90; rows++)
				check_size(cols, rows,
					   (enum ui_pane)((cols + rows) % UI_PANE_COUNT), lab);
	}

	/* Lab mode: the lab pane has room for its text at the sizes the
	 * task names, and the others keep theirs. */
	struct ui_layout lab;
	ui_layout_compute(&lab, 120, 40, UI_PANE_CODE, true);
	T_CHECK(lab.pane[UI_PANE_LAB].h >= 10, "lab %d rows at 120x40", lab.pane[UI_PANE_LAB].h);
	T_EQ_INT(lab.pane[UI_PANE_REGS].h, 11);
	ui_layout_compute(&lab, 200, 60, UI_PANE_CODE, true);
	T_CHECK(lab.pane[UI_PANE_LAB].h >= 20, "lab %d rows at 200x60", lab.pane[UI_PANE_LAB].h);
	T_CHECK(lab.pane[UI_PANE_LAB].w >= 50, "lab %d wide at 200x60", lab.pane[UI_PANE_LAB].w);
	ui_layout_compute(&lab, 80, 24, UI_PANE_LAB, true);
	T_CHECK(ui_layout_visible(&lab, UI_PANE_LAB), "80x24: lab tab hidden");
	/* at 80x24 the lab's text stays whatever tab is chosen */
	for (int p = 0; p < UI_PANE_COUNT; p++) {
		ui_layout_compute(&lab, 80, 24, (enum ui_pane)p, true);
		T_CHECK(lab.pane[UI_PANE_LAB].h >= 8, "80x24 lab %d rows with tab %s",
			lab.pane[UI_PANE_LAB].h, pane_name(p));
		T_CHECK(p == UI_PANE_LAB || ui_layout_visible(&lab, p), "80x24 lab: tab %s hidden",
			pane_name(p));
	}
	ui_layout_compute(&lab, 80, 24, UI_PANE_LAB, false);
	T_CHECK(!ui_layout_visible(&lab, UI_PANE_LAB), "80x24: lab tab without a lab");

	/* 100x30: G/M/P keeps rows under the registers and TLS. */
	ui_layout_compute(&l, 100, 30, UI_PANE_CODE, false);
	T_EQ_INT(l.mode, UI_LAYOUT_TWO);
	T_CHECK(l.pane[UI_PANE_GMP].h >= 5, "g/m/p %d rows at 100x30", l.pane[UI_PANE_GMP].h);
	T_CHECK(l.pane[UI_PANE_CMD].h >= 3, "command %d rows at 100x30", l.pane[UI_PANE_CMD].h);
	ui_layout_compute(&l, 100, 30, UI_PANE_CODE, true);
	/* (lab mode: the lab's text and the system calls take two panes more) */
	T_CHECK(l.pane[UI_PANE_GMP].h >= 4, "g/m/p %d rows at 100x30 lab", l.pane[UI_PANE_GMP].h);

	/* 200x60: G/M/P and the stages are wide enough for their tables and
	 * descriptions (60 columns), the code keeps 64. */
	ui_layout_compute(&l, 200, 60, UI_PANE_CODE, false);
	T_CHECK(l.pane[UI_PANE_GMP].w >= 62, "g/m/p %d wide at 200x60", l.pane[UI_PANE_GMP].w);
	T_CHECK(l.pane[UI_PANE_STAGES].w >= 62, "stages %d wide at 200x60",
		l.pane[UI_PANE_STAGES].w);
	T_CHECK(l.pane[UI_PANE_CODE].w >= 64, "code %d wide at 200x60", l.pane[UI_PANE_CODE].w);

	/* Overlays fit the screen. */
	ui_layout_compute(&l, 80, 24, UI_PANE_CODE, false);
	struct ui_rect c = ui_layout_center(&l, 100, 30);
	T_CHECK(inside(c, 80, 24), "overlay outside: %d,%d %dx%d", c.y, c.x, c.w, c.h);
	c = ui_layout_center(&l, 40, 10);
	T_EQ_INT(c.x, 20);
	T_EQ_INT(c.y, 7);

	struct ui_rect a = { 0, 0, 2, 2 }, b = { 1, 1, 2, 2 }, d = { 2, 0, 1, 5 };
	T_CHECK(ui_rect_overlap(a, b), "overlap not seen");
	T_CHECK(!ui_rect_overlap(a, d), "touching rectangles overlap");
}

/* z: the zoomed pane has every row above the timeline and the whole
 * width, below the tab strip in TABS mode; the others are hidden. */
static void test_zoom(void)
{
	const int sizes[][2] = { { 200, 60 }, { 120, 40 }, { 80, 24 } };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		int cols = sizes[k][0], rows = sizes[k][1];
		for (int p = 0; p < UI_PANE_COUNT; p++) {
			struct ui_layout l;
			ui_layout_compute(&l, cols, rows, UI_PANE_REGS, false);
			struct ui_rect tl = l.timeline, st = l.status;
			ui_layout_zoom(&l, (enum ui_pane)p);
			int top = l.mode == UI_LAYOUT_TABS ? 1 : 0;
			T_EQ_INT(l.pane[p].y, top);
			T_EQ_INT(l.pane[p].x, 0);
			T_EQ_INT(l.pane[p].w, cols);
			T_EQ_INT(l.pane[p].h, tl.y - top);
			T_EQ_INT(l.nsep, 0);
			T_EQ_INT(l.timeline.y, tl.y);
			T_EQ_INT(l.status.y, st.y);
			for (int q = 0; q < UI_PANE_COUNT; q++)
				if (q != p)
					T_EQ_INT(l.pane[q].h, 0);
		}
	}
	struct ui_layout l;
	ui_layout_compute(&l, 30, 10, UI_PANE_REGS, false);
	ui_layout_zoom(&l, UI_PANE_CODE);
	T_EQ_INT(l.mode, UI_LAYOUT_SMALL);
	T_EQ_INT(l.pane[UI_PANE_CODE].h, 0);
}

/* Fit: rows a pane's content leaves go to the longer ones of its column;
 * the invariants hold for every want. */
static void test_fit(void)
{
	struct ui_layout l, base;
	int want[UI_PANE_COUNT] = { 0 };
	/* 120x40: an empty output and one frame; G/M/P and the commands long */
	want[UI_PANE_OUTPUT] = 2;
	want[UI_PANE_FRAMES] = 2;
	want[UI_PANE_SYSCALLS] = 2;
	want[UI_PANE_GMP] = 30;
	want[UI_PANE_CMD] = 40;
	want[UI_PANE_STAGES] = 23;
	ui_layout_compute(&base, 120, 40, UI_PANE_CODE, false);
	l = base;
	ui_layout_fit(&l, want);
	T_EQ_INT(l.pane[UI_PANE_OUTPUT].h, 3); /* its minimum */
	T_EQ_INT(l.pane[UI_PANE_FRAMES].h, 3);
	/* G/M/P (its content has an end) takes the output's rows, then the
	 * command pane's down to 4 rows; the stages take the frames' and
	 * the system calls' */
	T_EQ_INT(l.pane[UI_PANE_CMD].h, 4);
	T_EQ_INT(l.pane[UI_PANE_GMP].h, base.pane[UI_PANE_GMP].h + base.pane[UI_PANE_OUTPUT].h - 3 +
						base.pane[UI_PANE_CMD].h - 4);
	T_EQ_INT(l.pane[UI_PANE_STAGES].h, base.pane[UI_PANE_STAGES].h +
						   base.pane[UI_PANE_FRAMES].h - 3 +
						   base.pane[UI_PANE_SYSCALLS].h - 3);
	/* a G/M/P that fits leaves the rest to the commands */
	want[UI_PANE_GMP] = base.pane[UI_PANE_GMP].h + 1;
	l = base;
	ui_layout_fit(&l, want);
	T_EQ_INT(l.pane[UI_PANE_GMP].h, base.pane[UI_PANE_GMP].h + 1);
	T_EQ_INT(l.pane[UI_PANE_CMD].h,
		 base.pane[UI_PANE_CMD].h + base.pane[UI_PANE_OUTPUT].h - 3 - 1);
	/* the registers and TLS (want 0) keep theirs */
	T_EQ_INT(l.pane[UI_PANE_REGS].h, base.pane[UI_PANE_REGS].h);
	T_EQ_INT(l.pane[UI_PANE_TLS].h, base.pane[UI_PANE_TLS].h);

	/* the stack's slots end at its hi: the code takes its other rows */
	int w3[UI_PANE_COUNT] = { 0 };
	w3[UI_PANE_STACK] = 4;
	l = base;
	ui_layout_fit(&l, w3);
	T_EQ_INT(l.pane[UI_PANE_STACK].h, 4);
	T_EQ_INT(l.pane[UI_PANE_CODE].h,
		 base.pane[UI_PANE_CODE].h + base.pane[UI_PANE_STACK].h - 4);
	T_EQ_INT(l.pane[UI_PANE_CODE].y, 0);

	/* a short G/M/P gives its rows to the commands; nobody wanting
	 * them, they go back */
	int w2[UI_PANE_COUNT] = { 0 };
	w2[UI_PANE_GMP] = 4;
	l = base;
	ui_layout_fit(&l, w2);
	T_EQ_INT(l.pane[UI_PANE_GMP].h + l.pane[UI_PANE_CMD].h + l.pane[UI_PANE_OUTPUT].h,
		 base.pane[UI_PANE_GMP].h + base.pane[UI_PANE_CMD].h + base.pane[UI_PANE_OUTPUT].h);
	T_EQ_INT(l.pane[UI_PANE_GMP].h, base.pane[UI_PANE_GMP].h);

	/* every invariant, for wants from nothing to more than the screen */
	for (int lab = 0; lab < 2; lab++)
		for (int cols = 40; cols <= 260; cols += 7)
			for (int rows = 13; rows <= 90; rows += 3)
				for (int k = 0; k < 4; k++) {
					int w[UI_PANE_COUNT];
					for (int p = 0; p < UI_PANE_COUNT; p++)
						w[p] = (p * 7 + k * 13 + cols) % (rows + 5) *
						       (k & 1);
					ui_layout_compute(&l, cols, rows, UI_PANE_REGS, lab);
					ui_layout_fit(&l, w);
					check_layout(&l, cols, rows, UI_PANE_REGS, lab);
				}
}

static const struct t_case cases[] = { T_CASE(test_layout), T_CASE(test_zoom), T_CASE(test_fit) };

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
