/* The key map: bindings, interpreter commands, legend. */
#include <curses.h>

#include "keymap.h"
#include "testlib.h"

static void test_keymap(void)
{
	/* The task's keys. */
	T_EQ_INT(ui_keymap_lookup('s', false), UI_ACT_STEP);
	T_EQ_INT(ui_keymap_lookup('n', false), UI_ACT_NEXT);
	T_EQ_INT(ui_keymap_lookup('c', false), UI_ACT_CONT);
	T_EQ_INT(ui_keymap_lookup('f', false), UI_ACT_FINISH);
	T_EQ_INT(ui_keymap_lookup(']', false), UI_ACT_NEXT_STAGE);
	T_EQ_INT(ui_keymap_lookup('b', false), UI_ACT_BREAK);
	T_EQ_INT(ui_keymap_lookup('g', false), UI_ACT_GOTO_STAGE);
	T_EQ_INT(ui_keymap_lookup('r', false), UI_ACT_RESTART);
	T_EQ_INT(ui_keymap_lookup('\t', false), UI_ACT_FOCUS_NEXT);
	T_EQ_INT(ui_keymap_lookup(KEY_UP, false), UI_ACT_UP);
	T_EQ_INT(ui_keymap_lookup(KEY_DOWN, false), UI_ACT_DOWN);
	T_EQ_INT(ui_keymap_lookup(KEY_PPAGE, false), UI_ACT_PAGE_UP);
	T_EQ_INT(ui_keymap_lookup(KEY_NPAGE, false), UI_ACT_PAGE_DOWN);
	T_EQ_INT(ui_keymap_lookup(':', false), UI_ACT_COMMAND);
	T_EQ_INT(ui_keymap_lookup('?', false), UI_ACT_HELP);
	T_EQ_INT(ui_keymap_lookup('q', false), UI_ACT_QUIT);
	T_EQ_INT(ui_keymap_lookup('Z', false), UI_ACT_NONE);
	T_EQ_INT(ui_keymap_lookup(KEY_F(12), false), UI_ACT_NONE);

	/* Keys run the interpreter's commands; TUI-only actions have none. */
	T_EQ_STR(ui_action_command(UI_ACT_STEP), "stepi");
	T_EQ_STR(ui_action_command(UI_ACT_NEXT), "nexti");
	T_EQ_STR(ui_action_command(UI_ACT_CONT), "continue");
	T_EQ_STR(ui_action_command(UI_ACT_FINISH), "finish");
	T_EQ_STR(ui_action_command(UI_ACT_RESTART), "starti");
	T_EQ_STR(ui_action_command(UI_ACT_RSTEP), "reverse-stepi");
	T_EQ_STR(ui_action_command(UI_ACT_RNEXT), "reverse-nexti");
	T_EQ_INT(ui_keymap_lookup('S', false), UI_ACT_RSTEP);
	T_EQ_INT(ui_keymap_lookup('N', false), UI_ACT_RNEXT);
	T_EQ_INT(ui_keymap_lookup('{', false), UI_ACT_TL_BACK);
	T_EQ_INT(ui_keymap_lookup('}', false), UI_ACT_TL_FWD);
	T_CHECK(ui_action_command(UI_ACT_HELP) == NULL, "help has a command");
	T_CHECK(ui_action_command(UI_ACT_COUNT) == NULL, "out of range");

	/* Every binding is documented; no key is bound twice; every action
	 * but NONE has a key. */
	size_t n;
	const struct ui_key_binding *t = ui_keymap_table(&n);
	int bound[UI_ACT_COUNT] = { 0 };
	for (size_t i = 0; i < n; i++) {
		T_CHECK(t[i].label && t[i].label[0], "binding %zu has no label", i);
		T_CHECK(t[i].help && t[i].help[0], "binding %s has no help", t[i].label);
		T_CHECK(ui_keymap_lookup(t[i].key, true) == t[i].act,
			"key %s found as another action", t[i].label);
		for (size_t j = i + 1; j < n; j++)
			T_CHECK(t[i].key != t[j].key, "key %s bound twice", t[i].label);
		bound[t[i].act]++;
	}
	for (int a = UI_ACT_NONE + 1; a < UI_ACT_COUNT; a++)
		T_CHECK(bound[a] > 0, "action %d has no key", a);

	/* The legend fits and holds whole entries. */
	char buf[512];
	size_t len = ui_keymap_legend(buf, sizeof buf, 200, false);
	T_EQ_INT(len, strlen(buf));
	T_CHECK(strstr(buf, "s step") == buf, "legend starts \"%s\"", buf);
	T_CHECK(strstr(buf, "q quit") != NULL, "no quit in \"%s\"", buf);
	T_CHECK(strstr(buf, ": cmd") != NULL, "no cmd in \"%s\"", buf);
	for (int w = 0; w <= 120; w++) {
		len = ui_keymap_legend(buf, sizeof buf, w, false);
		T_CHECK((int)len <= w, "legend %zu chars for width %d", len, w);
		T_CHECK(len == 0 || buf[len - 1] != ' ', "legend ends in a space");
	}
	/* at 80 columns the legend still names the command line, help, quit */
	ui_keymap_legend(buf, sizeof buf, 80, false);
	T_CHECK(strstr(buf, ": cmd") && strstr(buf, "? help") && strstr(buf, "q quit"),
		"80-column legend \"%s\"", buf);
	len = ui_keymap_legend(buf, 10, 200, false);
	T_CHECK(len < 10, "legend overflows a 10-byte buffer: %zu", len);
	len = ui_keymap_legend(buf, sizeof buf, 6, false);
	T_EQ_STR(buf, "s step");

	/* Lab keys: bound, shown only in lab mode, and at 80 columns the lab
	 * legend still names the command line, help and quit. */
	T_EQ_INT(ui_keymap_lookup('L', true), UI_ACT_LAB_RUN);
	T_EQ_INT(ui_keymap_lookup('>', true), UI_ACT_LAB_NEXT);
	T_EQ_INT(ui_keymap_lookup('<', true), UI_ACT_LAB_PREV);
	/* outside lab mode < and > move the timeline view; L does nothing */
	T_EQ_INT(ui_keymap_lookup('<', false), UI_ACT_TL_BACK);
	T_EQ_INT(ui_keymap_lookup('>', false), UI_ACT_TL_FWD);
	T_EQ_INT(ui_keymap_lookup('L', false), UI_ACT_NONE);
	T_CHECK(ui_action_command(UI_ACT_LAB_RUN) == NULL, "lab run has a command");
	for (size_t i = 0; i < n; i++)
		T_CHECK(t[i].lab == (t[i].act == UI_ACT_LAB_RUN || t[i].act == UI_ACT_LAB_NEXT ||
				     t[i].act == UI_ACT_LAB_PREV),
			"binding %s lab flag %d", t[i].label, t[i].lab);
	ui_keymap_legend(buf, sizeof buf, 200, false);
	T_CHECK(strstr(buf, "L lab") == NULL, "lab key without a lab: \"%s\"", buf);
	ui_keymap_legend(buf, sizeof buf, 200, true);
	T_CHECK(strstr(buf, "L lab") && strstr(buf, "> next-step") && strstr(buf, "< prev-step"),
		"lab legend \"%s\"", buf);
	ui_keymap_legend(buf, sizeof buf, 80, true);
	T_CHECK(strstr(buf, "L lab") && strstr(buf, ": cmd") && strstr(buf, "? help") &&
			strstr(buf, "q quit") && strstr(buf, "> next-step") &&
			strstr(buf, "< prev-step") && strstr(buf, "] stage"),
		"80-column lab legend \"%s\"", buf);
	for (int w = 0; w <= 120; w++) {
		len = ui_keymap_legend(buf, sizeof buf, w, true);
		T_CHECK((int)len <= w, "lab legend %zu chars for width %d", len, w);
	}
}

static const struct t_case cases[] = { T_CASE(test_keymap) };

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
