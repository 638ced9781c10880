#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One look of a role: 8/16-colour pair, 256-colour pair (-1: the
 * terminal's default), and the attribute added to the pair. */
struct look {
	short fg, bg, fg256, bg256;
	attr_t attr;
};

struct theme_entry {
	const char *name;
	struct look dark, light;
	attr_t mono_attr; /* used alone on a monochrome terminal */
};

#define BLACK COLOR_BLACK
#define RED COLOR_RED
#define GREEN COLOR_GREEN
#define YELLOW COLOR_YELLOW
#define BLUE COLOR_BLUE
#define MAGENTA COLOR_MAGENTA
#define CYAN COLOR_CYAN
#define WHITE COLOR_WHITE
#define L(fg, bg, fg256, bg256, attr)      \
	{                                  \
		fg, bg, fg256, bg256, attr \
	}

/*
 * Text on a coloured background is black or white and never bold: xterm
 * draws bold black as grey. The light variant avoids yellow and cyan text,
 * which vanish on white; the 256-colour looks pick darker or paler shades
 * of the same hue.
 */
static const struct theme_entry table[UI_COLOR_COUNT] = {
	[UI_COLOR_NORMAL] = { "normal", L(-1, -1, -1, -1, A_NORMAL), L(-1, -1, -1, -1, A_NORMAL),
			      A_NORMAL },
	[UI_COLOR_TITLE] = { "title", L(BLACK, CYAN, 16, 116, A_NORMAL),
			     L(BLACK, CYAN, 16, 152, A_NORMAL), A_REVERSE },
	[UI_COLOR_TITLE_FOCUS] = { "title-focus", L(BLACK, YELLOW, 16, 220, A_NORMAL),
				   L(BLACK, YELLOW, 16, 220, A_NORMAL), A_REVERSE | A_BOLD },
	[UI_COLOR_PC] = { "pc", L(BLACK, GREEN, 16, 120, A_NORMAL),
			  L(BLACK, GREEN, 16, 120, A_NORMAL), A_REVERSE },
	[UI_COLOR_SELECTED] = { "selected", L(WHITE, BLUE, 231, 25, A_NORMAL),
				L(WHITE, BLUE, 231, 25, A_NORMAL), A_UNDERLINE },
	[UI_COLOR_BREAKPOINT] = { "breakpoint", L(RED, -1, 203, -1, A_BOLD),
				  L(RED, -1, 160, -1, A_BOLD), A_BOLD },
	[UI_COLOR_CHANGED] = { "changed", L(YELLOW, -1, 226, -1, A_BOLD),
			       L(BLACK, YELLOW, 16, 220, A_NORMAL), A_BOLD | A_UNDERLINE },
	[UI_COLOR_SYMBOL] = { "symbol", L(CYAN, -1, 116, -1, A_NORMAL),
			      L(BLUE, -1, 25, -1, A_NORMAL), A_NORMAL },
	[UI_COLOR_STAGE] = { "stage", L(MAGENTA, -1, 213, -1, A_BOLD),
			     L(MAGENTA, -1, 90, -1, A_BOLD), A_BOLD },
	[UI_COLOR_STAGE_REACHED] = { "stage-reached", L(GREEN, -1, 114, -1, A_NORMAL),
				     L(GREEN, -1, 28, -1, A_NORMAL), A_NORMAL },
	[UI_COLOR_STAGE_CURRENT] = { "stage-current", L(WHITE, MAGENTA, 231, 90, A_NORMAL),
				     L(WHITE, MAGENTA, 231, 90, A_NORMAL), A_REVERSE | A_BOLD },
	[UI_COLOR_G_RUNNING] = { "g-running", L(GREEN, -1, 120, -1, A_BOLD),
				 L(GREEN, -1, 28, -1, A_BOLD), A_BOLD },
	[UI_COLOR_G_RUNNABLE] = { "g-runnable", L(CYAN, -1, 116, -1, A_NORMAL),
				  L(BLUE, -1, 25, -1, A_NORMAL), A_UNDERLINE },
	[UI_COLOR_DIM] = { "dim", L(WHITE, -1, 248, -1, A_NORMAL), L(BLUE, -1, 242, -1, A_NORMAL),
			   A_DIM },
	[UI_COLOR_ERROR] = { "error", L(WHITE, RED, 231, 160, A_BOLD),
			     L(WHITE, RED, 231, 160, A_BOLD), A_REVERSE | A_BOLD },
	[UI_COLOR_STDERR] = { "stderr", L(RED, -1, 203, -1, A_NORMAL),
			      L(RED, -1, 160, -1, A_NORMAL), A_BOLD },
	[UI_COLOR_STATUS] = { "status", L(BLACK, WHITE, 16, 252, A_NORMAL),
			      L(WHITE, BLUE, 231, 24, A_NORMAL), A_REVERSE },
	[UI_COLOR_KEY] = { "key", L(YELLOW, -1, 221, -1, A_BOLD), L(BLUE, -1, 25, -1, A_BOLD),
			   A_BOLD },
	[UI_COLOR_OVERLAY] = { "overlay", L(WHITE, BLUE, 231, 24, A_NORMAL),
			       L(WHITE, BLUE, 231, 24, A_NORMAL), A_NORMAL },
	[UI_COLOR_PASS] = { "pass", L(BLACK, GREEN, 16, 120, A_NORMAL),
			    L(BLACK, GREEN, 16, 120, A_NORMAL), A_BOLD },
	[UI_COLOR_FAIL] = { "fail", L(WHITE, RED, 231, 160, A_BOLD),
			    L(WHITE, RED, 231, 160, A_BOLD), A_REVERSE | A_BOLD },
	[UI_COLOR_HISTORY] = { "history", L(BLACK, YELLOW, 16, 220, A_NORMAL),
			       L(BLACK, YELLOW, 16, 220, A_NORMAL), A_REVERSE | A_BOLD },
	[UI_COLOR_TL_MARK] = { "timeline-mark", L(MAGENTA, -1, 213, -1, A_BOLD),
			       L(MAGENTA, -1, 90, -1, A_BOLD), A_BOLD },
	[UI_COLOR_SYSCALL] = { "syscall", L(YELLOW, -1, 221, -1, A_NORMAL),
			       L(MAGENTA, -1, 130, -1, A_NORMAL), A_BOLD },
};

static bool use_color;
static enum ui_theme_bg variant = UI_THEME_DARK;

bool ui_theme_want_color(const char *no_color)
{
	return no_color == NULL || no_color[0] == '\0';
}

int ui_theme_parse(const char *name)
{
	if (!name)
		return -1;
	if (strcmp(name, "dark") == 0)
		return UI_THEME_DARK;
	if (strcmp(name, "light") == 0)
		return UI_THEME_LIGHT;
	return -1;
}

/* One channel of "rgb:RRRR/GGGG/BBBB" (1 to 4 hex digits) as 0..1. */
static const char *channel(const char *s, const char *end, double *out)
{
	int n = 0;
	unsigned long v = 0;
	while (s < end && n < 4) {
		char c = *s;
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 :
					       -1;
		if (d < 0)
			break;
		v = v * 16 + (unsigned long)d;
		n++;
		s++;
	}
	if (n == 0)
		return NULL;
	*out = (double)v / (double)((1ul << (4 * n)) - 1);
	return s;
}

enum ui_theme_bg ui_theme_bg_from_osc11(const char *reply, size_t n)
{
	const char *end = reply + n;
	const char *p = NULL;
	for (const char *s = reply; s + 4 <= end; s++)
		if (memcmp(s, "rgb:", 4) == 0) {
			p = s + 4;
			break;
		}
	if (!p)
		return UI_THEME_AUTO;
	double rgb[3];
	for (int i = 0; i < 3; i++) {
		p = channel(p, end, &rgb[i]);
		if (!p)
			return UI_THEME_AUTO;
		if (i < 2) {
			if (p >= end || *p != '/')
				return UI_THEME_AUTO;
			p++;
		}
	}
	/* relative luminance (Rec. 709 weights on the encoded values) */
	double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
	return y > 0.5 ? UI_THEME_LIGHT : UI_THEME_DARK;
}

enum ui_theme_bg ui_theme_bg_from_colorfgbg(const char *value)
{
	if (!value || !value[0])
		return UI_THEME_AUTO;
	const char *last = strrchr(value, ';');
	last = last ? last + 1 : value;
	char *end;
	long bg = strtol(last, &end, 10);
	if (end == last || *end != '\0' || bg < 0 || bg > 15)
		return UI_THEME_AUTO;
	/* rxvt's convention: 7 (white) and 9..15 but 8 (grey) are light */
	return bg == 7 || (bg >= 9 && bg <= 15) ? UI_THEME_LIGHT : UI_THEME_DARK;
}

static const struct look *look_of(enum ui_color c)
{
	return variant == UI_THEME_LIGHT ? &table[c].light : &table[c].dark;
}

void ui_theme_init(bool want_color, enum ui_theme_bg bg)
{
	variant = bg == UI_THEME_LIGHT ? UI_THEME_LIGHT : UI_THEME_DARK;
	use_color = want_color && has_colors() && start_color() == OK;
	if (!use_color)
		return;
	/* Without default colours, -1 is not a colour: use the variant's
	 * usual text and background. */
	bool dflt = use_default_colors() == OK;
	bool many = COLORS >= 256 && COLOR_PAIRS > UI_COLOR_COUNT;
	short text = variant == UI_THEME_LIGHT ? COLOR_BLACK : COLOR_WHITE;
	short paper = variant == UI_THEME_LIGHT ? COLOR_WHITE : COLOR_BLACK;
	for (int i = 1; i < UI_COLOR_COUNT; i++) {
		const struct look *l = look_of(i);
		short fg = many ? l->fg256 : l->fg, bg = many ? l->bg256 : l->bg;
		if (!dflt && fg < 0)
			fg = text;
		if (!dflt && bg < 0)
			bg = paper;
		init_pair((short)i, fg, bg);
	}
}

bool ui_theme_has_color(void)
{
	return use_color;
}

enum ui_theme_bg ui_theme_variant(void)
{
	return variant;
}

attr_t ui_theme_attr(enum ui_color c)
{
	if (!use_color)
		return table[c].mono_attr;
	if (c == UI_COLOR_NORMAL)
		return A_NORMAL;
	return (attr_t)COLOR_PAIR(c) | look_of(c)->attr;
}

const char *ui_theme_name(enum ui_color c)
{
	return table[c].name;
}
