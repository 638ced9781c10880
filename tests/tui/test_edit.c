/* The `:` line editor: keys, the cursor, the history (no terminal). */
#include <string.h>

#include "tui_edit.h"
#include "testlib.h"

/* Type s (printable characters); false when one of them was Enter. */
static void type(struct ui_edit *e, const char *s)
{
	for (; *s; s++)
		T_FALSE(ui_edit_key(e, (unsigned char)*s));
}

/* The line as edited: its first len bytes. */
static const char *text(const struct ui_edit *e)
{
	static char buf[UI_EDIT_MAX + 1];
	memcpy(buf, e->text, e->len);
	buf[e->len] = '\0';
	return buf;
}

static void enter_line(struct ui_edit *e, const char *s)
{
	ui_edit_open(e);
	type(e, s);
	T_TRUE(ui_edit_key(e, '\r'));
	T_FALSE(e->open);
	T_EQ_STR(e->text, s);
}

static void test_keys(void)
{
	static struct ui_edit e;
	ui_edit_open(&e);
	T_TRUE(e.open);
	T_EQ_INT(e.len, 0);

	/* insert at the cursor, move, delete either side of it */
	type(&e, "stpi");
	T_FALSE(ui_edit_key(&e, KEY_LEFT));
	T_FALSE(ui_edit_key(&e, KEY_LEFT));
	type(&e, "e");
	T_EQ_STR(text(&e), "stepi");
	T_EQ_INT(e.pos, 3);
	ui_edit_key(&e, 'a' & 0x1f); /* Ctrl-A: the start */
	T_EQ_INT(e.pos, 0);
	ui_edit_key(&e, KEY_DC);
	T_EQ_STR(text(&e), "tepi");
	ui_edit_key(&e, KEY_BACKSPACE); /* nothing before the cursor */
	T_EQ_STR(text(&e), "tepi");
	ui_edit_key(&e, KEY_END);
	T_EQ_INT(e.pos, 4);
	ui_edit_key(&e, KEY_DC); /* nothing after it */
	ui_edit_key(&e, KEY_RIGHT);
	T_EQ_INT(e.pos, 4);
	ui_edit_key(&e, 127);
	T_EQ_STR(text(&e), "tep");
	ui_edit_key(&e, KEY_HOME);
	type(&e, "s");
	ui_edit_key(&e, 'e' & 0x1f); /* Ctrl-E: the end */
	type(&e, "i");
	T_EQ_STR(text(&e), "stepi");

	/* control characters and non-ASCII bytes are not inserted */
	ui_edit_key(&e, '\t');
	ui_edit_key(&e, 0xe9);
	T_EQ_STR(text(&e), "stepi");

	/* Ctrl-W: the word before the cursor and the blanks after it;
	 * Ctrl-K: the rest; Ctrl-U: all before the cursor */
	ui_edit_key(&e, 'u' & 0x1f);
	type(&e, "x/2gx  $sp");
	ui_edit_key(&e, 'w' & 0x1f);
	T_EQ_STR(text(&e), "x/2gx  ");
	ui_edit_key(&e, 'w' & 0x1f);
	T_EQ_STR(text(&e), "");
	type(&e, "break main if");
	for (int i = 0; i < 3; i++)
		ui_edit_key(&e, KEY_LEFT);
	ui_edit_key(&e, 'k' & 0x1f);
	T_EQ_STR(text(&e), "break main");
	T_EQ_INT(e.pos, 10);
	for (int i = 0; i < 5; i++)
		ui_edit_key(&e, 'b' & 0x1f);
	ui_edit_key(&e, 'u' & 0x1f);
	T_EQ_STR(text(&e), " main");
	T_EQ_INT(e.pos, 0);
	type(&e, "tbreak");
	ui_edit_key(&e, 'f' & 0x1f);
	ui_edit_key(&e, 'd' & 0x1f); /* Ctrl-D: the character under it */
	T_EQ_STR(text(&e), "tbreak ain");
	ui_edit_key(&e, 'e' & 0x1f);
	type(&e, "stepi");
	T_EQ_STR(text(&e), "tbreak ainstepi");

	/* Tab inserts nothing and is counted; another key resets the count */
	T_FALSE(ui_edit_key(&e, '\t'));
	T_FALSE(ui_edit_key(&e, '\t'));
	T_EQ_INT(e.tabs, 2);
	T_EQ_STR(text(&e), "tbreak ainstepi");
	ui_edit_key(&e, KEY_LEFT);
	T_EQ_INT(e.tabs, 0);

	/* replace: the bytes from start to the cursor (completion) */
	ui_edit_key(&e, KEY_END);
	ui_edit_replace(&e, 10, "", 0);
	T_EQ_STR(text(&e), "tbreak ain");
	ui_edit_replace(&e, 7, "runtime.main ", 13);
	T_EQ_STR(text(&e), "tbreak runtime.main ");
	T_EQ_INT(e.pos, e.len);
	ui_edit_key(&e, KEY_HOME);
	ui_edit_replace(&e, 0, "", 0);
	ui_edit_key(&e, KEY_RIGHT);
	ui_edit_key(&e, KEY_RIGHT);
	ui_edit_replace(&e, 0, "b", 1);
	T_EQ_STR(text(&e), "break runtime.main ");
	T_EQ_INT(e.pos, 1);
	ui_edit_key(&e, KEY_END);
	ui_edit_key(&e, 'u' & 0x1f);
	type(&e, "stepi");

	/* Ctrl-U empties it; Backspace on an empty line closes it */
	ui_edit_key(&e, 'u' & 0x1f);
	T_EQ_INT(e.len, 0);
	T_EQ_INT(e.pos, 0);
	T_TRUE(e.open);
	ui_edit_key(&e, 8);
	T_FALSE(e.open);

	/* Esc closes it, whatever it holds, and runs nothing */
	ui_edit_open(&e);
	type(&e, "continue");
	T_FALSE(ui_edit_key(&e, 27));
	T_FALSE(e.open);
	T_EQ_INT(e.nhist, 0);

	/* Enter: the line, closed; an empty line is not kept */
	ui_edit_open(&e);
	T_TRUE(ui_edit_key(&e, KEY_ENTER));
	T_EQ_INT(e.len, 0);
	T_EQ_INT(e.nhist, 0);
	enter_line(&e, "info g");
	T_EQ_INT(e.nhist, 1);

	/* a full line takes no more */
	ui_edit_open(&e);
	for (int i = 0; i < UI_EDIT_MAX + 10; i++)
		ui_edit_key(&e, 'x');
	T_EQ_INT(e.len, UI_EDIT_MAX - 1);
	T_TRUE(ui_edit_key(&e, '\n'));
	T_EQ_INT(strlen(e.text), UI_EDIT_MAX - 1);
}

static void test_history(void)
{
	static struct ui_edit e;
	enter_line(&e, "break main");
	enter_line(&e, "continue");
	enter_line(&e, "continue"); /* the same as the newest: kept once */
	T_EQ_INT(e.nhist, 2);

	/* Up walks back, not past the oldest; Down forward to an empty line */
	ui_edit_open(&e);
	type(&e, "x");
	ui_edit_key(&e, KEY_UP);
	T_EQ_STR(text(&e), "continue");
	T_EQ_INT(e.pos, e.len);
	ui_edit_key(&e, KEY_UP);
	T_EQ_STR(text(&e), "break main");
	ui_edit_key(&e, KEY_UP);
	T_EQ_STR(text(&e), "break main");
	ui_edit_key(&e, KEY_DOWN);
	ui_edit_key(&e, 'n' & 0x1f); /* Ctrl-N: Down */
	T_EQ_STR(text(&e), "x");     /* the line typed before Up */
	ui_edit_key(&e, KEY_DOWN);
	T_EQ_STR(text(&e), "x");
	ui_edit_key(&e, 'p' & 0x1f); /* Ctrl-P: Up */
	T_EQ_STR(text(&e), "continue");
	ui_edit_key(&e, KEY_DOWN);
	ui_edit_key(&e, 'u' & 0x1f);

	/* a recalled line is edited and entered as a new one */
	ui_edit_key(&e, KEY_UP);
	ui_edit_key(&e, KEY_BACKSPACE);
	type(&e, "1");
	T_TRUE(ui_edit_key(&e, '\r'));
	T_EQ_STR(e.text, "continu1");
	T_EQ_INT(e.nhist, 3);

	T_TRUE(e.added);
	enter_line(&e, "continu1");
	T_FALSE(e.added);

	/* lines from elsewhere (a history file): as Enter adds them */
	T_FALSE(ui_edit_remember(&e, ""));
	T_FALSE(ui_edit_remember(&e, "continu1"));
	T_TRUE(ui_edit_remember(&e, "info tls"));
	T_EQ_INT(e.nhist, 4);
	ui_edit_open(&e);
	ui_edit_key(&e, KEY_UP);
	T_EQ_STR(text(&e), "info tls");
	ui_edit_key(&e, 27);

	/* a line entered again moves to the newest place, kept once */
	enter_line(&e, "break main");
	T_TRUE(e.added);
	T_EQ_INT(e.nhist, 4);
	ui_edit_open(&e);
	const char *const walk[] = { "break main", "info tls", "continu1", "continue", "continue" };
	for (size_t i = 0; i < sizeof walk / sizeof walk[0]; i++) {
		ui_edit_key(&e, KEY_UP);
		T_EQ_STR(text(&e), walk[i]);
	}
	ui_edit_key(&e, 27);

	/* only the last UI_EDIT_HISTORY lines are kept */
	for (int i = 0; i < UI_EDIT_HISTORY + 5; i++) {
		char line[16];
		snprintf(line, sizeof line, "x/%dx $sp", i);
		enter_line(&e, line);
	}
	ui_edit_open(&e);
	for (int i = 0; i < UI_EDIT_HISTORY + 5; i++)
		ui_edit_key(&e, KEY_UP);
	T_EQ_STR(text(&e), "x/5x $sp");
	ui_edit_key(&e, KEY_DOWN);
	T_EQ_STR(text(&e), "x/6x $sp");
	ui_edit_key(&e, 27);

	/* the same in a full ring: x/10x moves to the newest place */
	enter_line(&e, "x/10x $sp");
	ui_edit_open(&e);
	ui_edit_key(&e, KEY_UP);
	T_EQ_STR(text(&e), "x/10x $sp");
	ui_edit_key(&e, KEY_UP);
	T_EQ_STR(text(&e), "x/68x $sp");
	for (int i = 0; i < UI_EDIT_HISTORY + 5; i++)
		ui_edit_key(&e, KEY_UP);
	/* the others in their order, from the oldest */
	T_EQ_STR(text(&e), "x/5x $sp");
	for (int i = 5; i <= 68; i++) {
		if (i == 10)
			continue;
		char line[16];
		snprintf(line, sizeof line, "x/%dx $sp", i);
		T_EQ_STR(text(&e), line);
		ui_edit_key(&e, KEY_DOWN);
	}
	T_EQ_STR(text(&e), "x/10x $sp");
}

static const struct t_case cases[] = { T_CASE(test_keys), T_CASE(test_history) };

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
