#include "theme.h"

struct theme_entry {
	const char *name;
	short fg, bg;      /* -1: the terminal's default */
	attr_t color_attr; /* added to the pair when colours are on */
	attr_t mono_attr;  /* used alone on a monochrome terminal */
};

static const struct theme_entry table[UI_COLOR_COUNT] = {
	[UI_COLOR_NORMAL] = { "normal", -1, -1, A_NORMAL, A_NORMAL },
	[UI_COLOR_TITLE] = { "title", COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[UI_COLOR_TITLE_FOCUS] = { "title-focus", COLOR_BLACK, COLOR_YELLOW, A_BOLD,
				   A_REVERSE | A_BOLD },
	[UI_COLOR_PC] = { "pc", COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE },
	[UI_COLOR_SELECTED] = { "selected", COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_UNDERLINE },
	[UI_COLOR_BREAKPOINT] = { "breakpoint", COLOR_RED, -1, A_BOLD, A_BOLD },
	[UI_COLOR_CHANGED] = { "changed", COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[UI_COLOR_SYMBOL] = { "symbol", COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[UI_COLOR_STAGE] = { "stage", COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[UI_COLOR_STAGE_REACHED] = { "stage-reached", COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[UI_COLOR_STAGE_CURRENT] = { "stage-current", COLOR_BLACK, COLOR_MAGENTA, A_BOLD,
				     A_REVERSE | A_BOLD },
	[UI_COLOR_G_RUNNING] = { "g-running", COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[UI_COLOR_G_RUNNABLE] = { "g-runnable", COLOR_CYAN, -1, A_NORMAL, A_UNDERLINE },
	[UI_COLOR_DIM] = { "dim", COLOR_BLUE, -1, A_BOLD, A_DIM },
	[UI_COLOR_ERROR] = { "error", COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[UI_COLOR_STDERR] = { "stderr", COLOR_RED, -1, A_NORMAL, A_BOLD },
	[UI_COLOR_STATUS] = { "status", COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[UI_COLOR_KEY] = { "key", COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[UI_COLOR_OVERLAY] = { "overlay", COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_NORMAL },
	[UI_COLOR_PASS] = { "pass", COLOR_BLACK, COLOR_GREEN, A_BOLD, A_BOLD },
	[UI_COLOR_FAIL] = { "fail", COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[UI_COLOR_HISTORY] = { "history", COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD },
	[UI_COLOR_TL_MARK] = { "timeline-mark", COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[UI_COLOR_SYSCALL] = { "syscall", COLOR_YELLOW, -1, A_NORMAL, A_BOLD },
};

static bool use_color;

bool ui_theme_want_color(const char *no_color)
{
	return no_color == NULL || no_color[0] == '\0';
}

void ui_theme_init(bool want_color)
{
	use_color = want_color && has_colors() && start_color() == OK;
	if (!use_color)
		return;
	/* Without default colours, -1 is not a colour: use white on black. */
	bool dflt = use_default_colors() == OK;
	for (int i = 1; i < UI_COLOR_COUNT; i++) {
		short fg = table[i].fg, bg = table[i].bg;
		if (!dflt && fg < 0)
			fg = COLOR_WHITE;
		if (!dflt && bg < 0)
			bg = COLOR_BLACK;
		init_pair((short)i, fg, bg);
	}
}

bool ui_theme_has_color(void)
{
	return use_color;
}

attr_t ui_theme_attr(enum ui_color c)
{
	if (!use_color)
		return table[c].mono_attr;
	if (c == UI_COLOR_NORMAL)
		return A_NORMAL;
	return (attr_t)COLOR_PAIR(c) | table[c].color_attr;
}

const char *ui_theme_name(enum ui_color c)
{
	return table[c].name;
}
