/* err: message formatting. */
#include "testlib.h"

#include <errno.h>

#include "err.h"

static void test_set_returns_code(void)
{
	struct dbg_err e;
	T_EQ_INT(dbg_err_set(&e, -ENOENT, "no symbol '%s'", "x"), -ENOENT);
	T_EQ_STR(e.msg, "no symbol 'x'");
	T_EQ_INT(dbg_err_set(NULL, -EIO, "ignored"), -EIO);
}

static void test_errno_suffix(void)
{
	struct dbg_err e;
	T_EQ_INT(dbg_err_errno(&e, -EIO, "cannot read memory at 0x%x", 0x4010a0), -EIO);
	T_EQ_STR(e.msg, "cannot read memory at 0x4010a0: input/output error");
	dbg_err_errno(&e, -ENOENT, "cannot open %s", "/x");
	T_EQ_STR(e.msg, "cannot open /x: no such file or directory");
}

static void test_prefix_and_clear(void)
{
	struct dbg_err e;
	dbg_err_set(&e, -EINVAL, "bad index");
	dbg_err_prefix(&e, "line %d", 3);
	T_EQ_STR(e.msg, "line 3: bad index");
	/* a long message is cut, never overflows */
	char big[600];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	dbg_err_set(&e, -EINVAL, "%s", big);
	T_EQ_INT(strlen(e.msg), sizeof(e.msg) - 1);
	dbg_err_prefix(&e, "ctx");
	T_EQ_INT(strlen(e.msg), sizeof(e.msg) - 1);
	T_EQ_INT(strncmp(e.msg, "ctx: aaa", 8), 0);
	dbg_err_clear(&e);
	T_EQ_STR(e.msg, "");
}

/* Input quoted in a message cannot break its line or drive a terminal. */
static void test_escape(void)
{
	struct dbg_err e;
	char buf[16];

	dbg_err_set(&e, -EINVAL, "undefined command '%s'", "a\x1b[2Jb\nc\td\x7f\r");
	T_EQ_STR(e.msg, "undefined command 'a\\x1b[2Jb\\nc\\td\\x7f\\r'");
	/* valid UTF-8 and backslashes stay; bad bytes and C1 controls do not */
	dbg_err_set(&e, -EINVAL, "'%s'", "\xc3\xbf \\ \xff \xc2\x9b \xe2\x82");
	T_EQ_STR(e.msg, "'\xc3\xbf \\ \\xff \\xc2\\x9b \\xe2\\x82'");
	dbg_err_errno(&e, -ENOENT, "cannot open %s", "/tmp/\x1b]0;x\x07");
	T_EQ_STR(e.msg, "cannot open /tmp/\\x1b]0;x\\x07: no such file or directory");
	dbg_err_prefix(&e, "%s", "a\nb");
	T_EQ_INT(strncmp(e.msg, "a\\nb: cannot open", 17), 0);
	/* the length needed is returned; an escape is never cut */
	T_EQ_INT(dbg_escape(buf, sizeof(buf), "abcdefghijklm\x01", 14), 17);
	T_EQ_STR(buf, "abcdefghijklm");
	T_EQ_INT(dbg_escape(buf, sizeof(buf), "a\0b", 3), 6);
	T_EQ_STR(buf, "a\\x00b");
}

static const struct t_case cases[] = {
	T_CASE(test_set_returns_code),
	T_CASE(test_errno_suffix),
	T_CASE(test_prefix_and_clear),
	T_CASE(test_escape),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
