/* The theme: NO_COLOR, and a monochrome fallback that still tells the
 * important roles apart. No terminal: without ui_theme_init the theme is
 * monochrome. */
#include "theme.h"
#include "testlib.h"

static void test_theme(void)
{
	T_CHECK(ui_theme_want_color(NULL), "colour refused without NO_COLOR");
	T_CHECK(ui_theme_want_color(""), "an empty NO_COLOR refuses colour");
	T_CHECK(!ui_theme_want_color("1"), "NO_COLOR=1 allows colour");
	T_CHECK(!ui_theme_want_color("yes"), "NO_COLOR=yes allows colour");

	T_CHECK(!ui_theme_has_color(), "colour on before init");
	T_EQ_INT(ui_theme_attr(UI_COLOR_NORMAL), A_NORMAL);
	/* Roles that carry meaning must show without colour, and the PC line
	 * must differ from a selection and from a breakpoint mark. */
	const enum ui_color marked[] = {
		UI_COLOR_TITLE,      UI_COLOR_TITLE_FOCUS, UI_COLOR_PC,    UI_COLOR_SELECTED,
		UI_COLOR_BREAKPOINT, UI_COLOR_CHANGED,     UI_COLOR_STAGE, UI_COLOR_STAGE_CURRENT,
		UI_COLOR_G_RUNNING,  UI_COLOR_G_RUNNABLE,  UI_COLOR_ERROR, UI_COLOR_STATUS,
		UI_COLOR_KEY,        UI_COLOR_PASS,        UI_COLOR_FAIL,  UI_COLOR_HISTORY,
		UI_COLOR_TL_MARK,    UI_COLOR_SYSCALL,
	};
	for (size_t i = 0; i < sizeof marked / sizeof marked[0]; i++)
		T_CHECK(ui_theme_attr(marked[i]) != A_NORMAL,
			"role %s is plain on a monochrome terminal", ui_theme_name(marked[i]));
	T_CHECK(ui_theme_attr(UI_COLOR_PC) != ui_theme_attr(UI_COLOR_SELECTED),
		"pc and selection look the same");
	T_CHECK(ui_theme_attr(UI_COLOR_TITLE) != ui_theme_attr(UI_COLOR_TITLE_FOCUS),
		"the focused title looks like the others");
	T_CHECK(ui_theme_attr(UI_COLOR_CHANGED) != ui_theme_attr(UI_COLOR_NORMAL),
		"changed values look unchanged");
	T_CHECK(ui_theme_attr(UI_COLOR_HISTORY) != ui_theme_attr(UI_COLOR_STATUS),
		"the history status looks like the live one");
	T_CHECK(ui_theme_attr(UI_COLOR_PASS) != ui_theme_attr(UI_COLOR_FAIL),
		"a passed check looks like a failed one");
	for (int c = 0; c < UI_COLOR_COUNT; c++)
		T_CHECK(ui_theme_name(c) && ui_theme_name(c)[0], "role %d has no name", c);
}

/* The variant from a name, from the terminal's OSC 11 answer and from
 * COLORFGBG. */
static void test_variant(void)
{
	T_EQ_INT(ui_theme_parse("dark"), UI_THEME_DARK);
	T_EQ_INT(ui_theme_parse("light"), UI_THEME_LIGHT);
	T_EQ_INT(ui_theme_parse("Light"), -1);
	T_EQ_INT(ui_theme_parse(""), -1);
	T_EQ_INT(ui_theme_parse(NULL), -1);
	T_EQ_INT(ui_theme_variant(), UI_THEME_DARK);

	/* xterm's answers, ended by ST or BEL, with the DA1 answer after */
	const char white[] = "\033]11;rgb:ffff/ffff/ffff\033\\\033[?64;1;2c";
	const char black[] = "\033]11;rgb:0000/0000/0000\007\033[?1;2c";
	T_EQ_INT(ui_theme_bg_from_osc11(white, sizeof white - 1), UI_THEME_LIGHT);
	T_EQ_INT(ui_theme_bg_from_osc11(black, sizeof black - 1), UI_THEME_DARK);
	/* solarized light (fdf6e3) and dark (002b36), 2 digits a channel */
	const char sol_l[] = "\033]11;rgb:fd/f6/e3\007";
	const char sol_d[] = "\033]11;rgb:00/2b/36\007";
	T_EQ_INT(ui_theme_bg_from_osc11(sol_l, sizeof sol_l - 1), UI_THEME_LIGHT);
	T_EQ_INT(ui_theme_bg_from_osc11(sol_d, sizeof sol_d - 1), UI_THEME_DARK);
	/* pure blue is dark, pure green light: luminance, not the mean */
	const char blue[] = "rgb:0000/0000/ffff";
	const char green[] = "rgb:0000/ffff/0000";
	T_EQ_INT(ui_theme_bg_from_osc11(blue, sizeof blue - 1), UI_THEME_DARK);
	T_EQ_INT(ui_theme_bg_from_osc11(green, sizeof green - 1), UI_THEME_LIGHT);
	/* no answer, only DA1, or a cut answer: unknown */
	const char da1[] = "\033[?1;2c";
	const char cut[] = "\033]11;rgb:ffff/ff";
	const char bad[] = "\033]11;rgb:zz/00/00\007";
	T_EQ_INT(ui_theme_bg_from_osc11("", 0), UI_THEME_AUTO);
	T_EQ_INT(ui_theme_bg_from_osc11(da1, sizeof da1 - 1), UI_THEME_AUTO);
	T_EQ_INT(ui_theme_bg_from_osc11(cut, sizeof cut - 1), UI_THEME_AUTO);
	T_EQ_INT(ui_theme_bg_from_osc11(bad, sizeof bad - 1), UI_THEME_AUTO);

	T_EQ_INT(ui_theme_bg_from_colorfgbg("15;0"), UI_THEME_DARK);
	T_EQ_INT(ui_theme_bg_from_colorfgbg("0;15"), UI_THEME_LIGHT);
	T_EQ_INT(ui_theme_bg_from_colorfgbg("0;default;7"), UI_THEME_LIGHT);
	T_EQ_INT(ui_theme_bg_from_colorfgbg("7;8"), UI_THEME_DARK);
	T_EQ_INT(ui_theme_bg_from_colorfgbg("15;default"), UI_THEME_AUTO);
	T_EQ_INT(ui_theme_bg_from_colorfgbg(""), UI_THEME_AUTO);
	T_EQ_INT(ui_theme_bg_from_colorfgbg(NULL), UI_THEME_AUTO);
}

static const struct t_case cases[] = { T_CASE(test_theme), T_CASE(test_variant) };

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
