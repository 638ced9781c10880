/* The text ring of the output and command panes. */
#include <string.h>

#include "tui_ring.h"
#include "testlib.h"

static const char *line(const struct ui_ring *r, size_t i)
{
	const struct ui_line *l = ui_ring_at(r, i);
	return l ? l->text : NULL;
}

static void test_ring(void)
{
	struct ui_ring r;
	T_EQ_INT(ui_ring_init(&r, 4), 0);

	/* a line arrives in pieces and is held open until its newline */
	ui_ring_append(&r, "hel", 3, 1);
	ui_ring_append(&r, "lo\nwor", 6, 1);
	T_EQ_INT(r.n, 2);
	T_EQ_STR(line(&r, 0), "hello");
	T_EQ_STR(line(&r, 1), "wor");
	T_CHECK(r.open, "the partial line is closed");
	ui_ring_append(&r, "ld\n", 3, 1);
	T_EQ_STR(line(&r, 1), "world");
	T_CHECK(!r.open, "the line is still open after its newline");

	/* another stream (kind) starts its own line */
	ui_ring_append(&r, "out", 3, 1);
	ui_ring_append(&r, "err\n", 4, 2);
	T_EQ_STR(line(&r, 2), "out");
	T_EQ_STR(line(&r, 3), "err");
	T_EQ_INT(ui_ring_at(&r, 3)->kind, 2);

	/* full: the oldest line goes */
	ui_ring_put(&r, "fifth", 0);
	T_EQ_INT(r.n, 4);
	T_EQ_STR(line(&r, 0), "world");
	T_EQ_STR(line(&r, 3), "fifth");
	T_CHECK(ui_ring_at(&r, 4) == NULL, "a line past the end");
	T_EQ_INT(r.total, 5);

	/* tabs to the next multiple of 8, control bytes shown as '.',
	 * carriage returns dropped, empty lines kept */
	ui_ring_clear(&r);
	ui_ring_append(&r, "a\tb\x01\r\n\n", 7, 0);
	T_EQ_STR(line(&r, 0), "a       b.");
	T_EQ_STR(line(&r, 1), "");
	T_EQ_INT(r.n, 2);

	/* an over-long line continues on the next one, nothing is lost */
	ui_ring_clear(&r);
	char big[UI_LINE_MAX + 10];
	memset(big, 'x', sizeof big);
	ui_ring_append(&r, big, sizeof big, 0);
	ui_ring_end_line(&r);
	T_EQ_INT(r.n, 2);
	T_EQ_INT(ui_ring_at(&r, 0)->len, UI_LINE_MAX - 1);
	T_EQ_INT(ui_ring_at(&r, 1)->len, sizeof big - (UI_LINE_MAX - 1));
	ui_ring_put(&r, "after", 0);
	T_EQ_STR(line(&r, 2), "after");

	ui_ring_release(&r);
}

static const struct t_case cases[] = { T_CASE(test_ring) };

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
