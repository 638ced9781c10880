/* The key map: bindings, interpreter commands, legend. */
#include <curses.h>

#include "keymap.h"
#include "tui_test.h"

int main(void)
{
	/* The task's keys. */
	CHECK_INT(ui_keymap_lookup('s', false), UI_ACT_STEP);
	CHECK_INT(ui_keymap_lookup('n', false), UI_ACT_NEXT);
	CHECK_INT(ui_keymap_lookup('c', false), UI_ACT_CONT);
	CHECK_INT(ui_keymap_lookup('f', false), UI_ACT_FINISH);
	CHECK_INT(ui_keymap_lookup(']', false), UI_ACT_NEXT_STAGE);
	CHECK_INT(ui_keymap_lookup('b', false), UI_ACT_BREAK);
	CHECK_INT(ui_keymap_lookup('g', false), UI_ACT_GOTO_STAGE);
	CHECK_INT(ui_keymap_lookup('r', false), UI_ACT_RESTART);
	CHECK_INT(ui_keymap_lookup('\t', false), UI_ACT_FOCUS_NEXT);
	CHECK_INT(ui_keymap_lookup(KEY_UP, false), UI_ACT_UP);
	CHECK_INT(ui_keymap_lookup(KEY_DOWN, false), UI_ACT_DOWN);
	CHECK_INT(ui_keymap_lookup(KEY_PPAGE, false), UI_ACT_PAGE_UP);
	CHECK_INT(ui_keymap_lookup(KEY_NPAGE, false), UI_ACT_PAGE_DOWN);
	CHECK_INT(ui_keymap_lookup(':', false), UI_ACT_COMMAND);
	CHECK_INT(ui_keymap_lookup('?', false), UI_ACT_HELP);
	CHECK_INT(ui_keymap_lookup('q', false), UI_ACT_QUIT);
	CHECK_INT(ui_keymap_lookup('Z', false), UI_ACT_NONE);
	CHECK_INT(ui_keymap_lookup(KEY_F(12), false), UI_ACT_NONE);

	/* Keys run the interpreter's commands; TUI-only actions have none. */
	CHECK_STR(ui_action_command(UI_ACT_STEP), "stepi");
	CHECK_STR(ui_action_command(UI_ACT_NEXT), "nexti");
	CHECK_STR(ui_action_command(UI_ACT_CONT), "continue");
	CHECK_STR(ui_action_command(UI_ACT_FINISH), "finish");
	CHECK_STR(ui_action_command(UI_ACT_RESTART), "starti");
	CHECK_STR(ui_action_command(UI_ACT_RSTEP), "reverse-stepi");
	CHECK_STR(ui_action_command(UI_ACT_RNEXT), "reverse-nexti");
	CHECK_INT(ui_keymap_lookup('S', false), UI_ACT_RSTEP);
	CHECK_INT(ui_keymap_lookup('N', false), UI_ACT_RNEXT);
	CHECK_INT(ui_keymap_lookup('{', false), UI_ACT_TL_BACK);
	CHECK_INT(ui_keymap_lookup('}', false), UI_ACT_TL_FWD);
	CHECK(ui_action_command(UI_ACT_HELP) == NULL, "help has a command");
	CHECK(ui_action_command(UI_ACT_COUNT) == NULL, "out of range");

	/* Every binding is documented; no key is bound twice; every action
	 * but NONE has a key. */
	size_t n;
	const struct ui_key_binding *t = ui_keymap_table(&n);
	int bound[UI_ACT_COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		CHECK(t[i].label && t[i].label[0], "binding %zu has no label", i);
		CHECK(t[i].help && t[i].help[0], "binding %s has no help",
		      t[i].label);
		CHECK(ui_keymap_lookup(t[i].key, true) == t[i].act,
		      "key %s found as another action", t[i].label);
		for (size_t j = i + 1; j < n; j++)
			CHECK(t[i].key != t[j].key, "key %s bound twice",
			      t[i].label);
		bound[t[i].act]++;
	}
	for (int a = UI_ACT_NONE + 1; a < UI_ACT_COUNT; a++)
		CHECK(bound[a] > 0, "action %d has no key", a);

	/* The legend fits and holds whole entries. */
	char buf[512];
	size_t len = ui_keymap_legend(buf, sizeof buf, 200, false);
	CHECK_INT(len, strlen(buf));
	CHECK(strstr(buf, "s step") == buf, "legend starts \"%s\"", buf);
	CHECK(strstr(buf, "q quit") != NULL, "no quit in \"%s\"", buf);
	CHECK(strstr(buf, ": cmd") != NULL, "no cmd in \"%s\"", buf);
	for (int w = 0; w <= 120; w++) {
		len = ui_keymap_legend(buf, sizeof buf, w, false);
		CHECK((int)len <= w, "legend %zu chars for width %d", len, w);
		CHECK(len == 0 || buf[len - 1] != ' ', "legend ends in a space");
	}
	/* at 80 columns the legend still names the command line, help, quit */
	ui_keymap_legend(buf, sizeof buf, 80, false);
	CHECK(strstr(buf, ": cmd") && strstr(buf, "? help") && strstr(buf, "q quit"),
	      "80-column legend \"%s\"", buf);
	len = ui_keymap_legend(buf, 10, 200, false);
	CHECK(len < 10, "legend overflows a 10-byte buffer: %zu", len);
	len = ui_keymap_legend(buf, sizeof buf, 6, false);
	CHECK_STR(buf, "s step");

	/* Lab keys: bound, shown only in lab mode, and at 80 columns the lab
	 * legend still names the command line, help and quit. */
	CHECK_INT(ui_keymap_lookup('L', true), UI_ACT_LAB_RUN);
	CHECK_INT(ui_keymap_lookup('>', true), UI_ACT_LAB_NEXT);
	CHECK_INT(ui_keymap_lookup('<', true), UI_ACT_LAB_PREV);
	/* outside lab mode < and > move the timeline view; L does nothing */
	CHECK_INT(ui_keymap_lookup('<', false), UI_ACT_TL_BACK);
	CHECK_INT(ui_keymap_lookup('>', false), UI_ACT_TL_FWD);
	CHECK_INT(ui_keymap_lookup('L', false), UI_ACT_NONE);
	CHECK(ui_action_command(UI_ACT_LAB_RUN) == NULL, "lab run has a command");
	for (size_t i = 0; i < n; i++)
		CHECK(t[i].lab == (t[i].act == UI_ACT_LAB_RUN ||
				   t[i].act == UI_ACT_LAB_NEXT ||
				   t[i].act == UI_ACT_LAB_PREV),
		      "binding %s lab flag %d", t[i].label, t[i].lab);
	ui_keymap_legend(buf, sizeof buf, 200, false);
	CHECK(strstr(buf, "L lab") == NULL, "lab key without a lab: \"%s\"", buf);
	ui_keymap_legend(buf, sizeof buf, 200, true);
	CHECK(strstr(buf, "L lab") && strstr(buf, "> next-step") &&
	      strstr(buf, "< prev-step"), "lab legend \"%s\"", buf);
	ui_keymap_legend(buf, sizeof buf, 80, true);
	CHECK(strstr(buf, "L lab") && strstr(buf, ": cmd") &&
	      strstr(buf, "? help") && strstr(buf, "q quit"),
	      "80-column lab legend \"%s\"", buf);
	for (int w = 0; w <= 120; w++) {
		len = ui_keymap_legend(buf, sizeof buf, w, true);
		CHECK((int)len <= w, "lab legend %zu chars for width %d", len, w);
	}
	TEST_DONE();
}
