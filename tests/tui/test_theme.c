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

static const struct t_case cases[] = { T_CASE(test_theme) };

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
