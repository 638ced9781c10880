/*
 * Unit tests of the command parser (interp/cmd.h), the option parser
 * (ui/batch.h), the event tree (interp/event.h) and the renderers
 * (ui/render.h), and of the lists written from the command tables and
 * the renderer's table (docs/json.md: BOOTSCOPE_JSON_MD). No process is
 * involved.
 */
#include <errno.h>

#include "batch.h"
#include "cmd.h"
#include "event.h"
#include "render.h"
#include "testlib.h"

static struct dbg_cmd cmd;

static const struct dbg_cmd *parse_ok(const char *line)
{
	struct dbg_err err = { "" };

	if (dbg_cmd_parse(line, &cmd, &err) < 0)
		T_FAIL("'%s' failed: %s", line, err.msg);
	return &cmd;
}

static const char *parse_err(const char *line)
{
	static struct dbg_err err;

	if (dbg_cmd_parse(line, &cmd, &err) >= 0)
		T_FAIL("'%s' should fail", line);
	return err.msg;
}

static void test_x_formats(void)
{
	parse_ok("x/8gx $rsp");
	T_EQ_INT(cmd.id, DBG_CMD_X);
	T_EQ_INT(cmd.count, 8);
	T_TRUE(cmd.has_count);
	T_EQ_INT(cmd.fmt, 'x');
	T_EQ_INT(cmd.unit, 'g');
	T_EQ_STR(cmd.args, "$rsp");

	parse_ok("x/2gx $rsp");
	T_EQ_INT(cmd.count, 2);

	parse_ok("x/i $pc");
	T_EQ_INT(cmd.count, 1);
	T_FALSE(cmd.has_count);
	T_EQ_INT(cmd.fmt, 'i');
	T_EQ_INT(cmd.unit, 0);

	parse_ok("x/4wd *($rsp + 8)");
	T_EQ_INT(cmd.count, 4);
	T_EQ_INT(cmd.fmt, 'd');
	T_EQ_INT(cmd.unit, 'w');
	T_EQ_STR(cmd.args, "*($rsp + 8)");

	/* unit and format in either order, as gdb */
	parse_ok("x/3bx 0x401000");
	T_EQ_INT(cmd.unit, 'b');
	T_EQ_INT(cmd.fmt, 'x');
	parse_ok("x/3xb 0x401000");
	T_EQ_INT(cmd.unit, 'b');
	T_EQ_INT(cmd.fmt, 'x');

	parse_ok("x/s runtime.argv");
	T_EQ_INT(cmd.fmt, 's');
	parse_ok("x $sp");
	T_EQ_INT(cmd.fmt, 0);
	T_EQ_STR(cmd.args, "$sp");

	T_CONTAINS(parse_err("x/8q $rsp"), "invalid format letter 'q' in x/8q");
	T_CONTAINS(parse_err("x/0x $rsp"), "invalid count '0'");
	T_CONTAINS(parse_err("x/8gx"), "x needs an argument");
	T_CONTAINS(parse_err("x/99999999999999999999x $sp"), "invalid count");
}

static void test_break_forms(void)
{
	parse_ok("b *0x401000");
	T_EQ_INT(cmd.id, DBG_CMD_BREAK);
	T_EQ_STR(cmd.args, "*0x401000");
	T_EQ_STR(cmd.name, "break");

	parse_ok("  break   runtime.schedinit  ");
	T_EQ_INT(cmd.id, DBG_CMD_BREAK);
	T_EQ_STR(cmd.args, "runtime.schedinit");

	parse_ok("tbreak wire");
	T_EQ_INT(cmd.id, DBG_CMD_TBREAK);
	T_EQ_STR(cmd.args, "wire");

	parse_ok("br *$pc + 4");
	T_EQ_INT(cmd.id, DBG_CMD_BREAK);
	T_EQ_STR(cmd.args, "*$pc + 4");

	T_CONTAINS(parse_err("break"), "break needs an argument: break [-force] LOC");
	T_CONTAINS(parse_err("until"), "until needs an argument");
}

static void test_short_forms(void)
{
	static const struct {
		const char *line;
		int id;
	} forms[] = {
		{ "b x", DBG_CMD_BREAK },     { "r", DBG_CMD_RUN },
		{ "c", DBG_CMD_CONTINUE },    { "cont", DBG_CMD_CONTINUE },
		{ "si", DBG_CMD_STEPI },      { "ni", DBG_CMD_NEXTI },
		{ "stepi", DBG_CMD_STEPI },   { "nexti", DBG_CMD_NEXTI },
		{ "q", DBG_CMD_QUIT },        { "quit", DBG_CMD_QUIT },
		{ "p 1", DBG_CMD_PRINT },     { "print 1", DBG_CMD_PRINT },
		{ "d", DBG_CMD_DELETE },      { "del 1", DBG_CMD_DELETE },
		{ "fin", DBG_CMD_FINISH },    { "finish", DBG_CMD_FINISH },
		{ "adv x", DBG_CMD_ADVANCE }, { "u x", DBG_CMD_UNTIL },
		{ "starti", DBG_CMD_STARTI }, { "exp 1", DBG_CMD_EXPECT },
		{ "echo hi", DBG_CMD_ECHO },  { "help", DBG_CMD_HELP },
		{ "tb x", DBG_CMD_TBREAK },   { "s", DBG_CMD_STEP },
		{ "n 3", DBG_CMD_NEXT },      { "l proc.c:93", DBG_CMD_LIST },
	};

	for (size_t i = 0; i < T_COUNT(forms); i++) {
		parse_ok(forms[i].line);
		if ((int)cmd.id != forms[i].id)
			T_FAIL("'%s' parsed as %d, not %d", forms[i].line, (int)cmd.id,
			       forms[i].id);
	}
	T_CONTAINS(parse_err("ste"), "ambiguous command 'ste': stepi, step");
	T_CONTAINS(parse_err("frobnicate"), "undefined command 'frobnicate'; try help");
	T_CONTAINS(parse_err("x7"), "undefined command 'x7'");
	T_CONTAINS(parse_err("@"), "undefined command '@'");
}

static void test_counts(void)
{
	parse_ok("si");
	T_EQ_INT(cmd.count, 1);
	T_FALSE(cmd.has_count);
	parse_ok("si 3");
	T_EQ_INT(cmd.count, 3);
	T_TRUE(cmd.has_count);
	parse_ok("stepi 0x10");
	T_EQ_INT(cmd.count, 16);
	parse_ok("c 2");
	T_EQ_INT(cmd.id, DBG_CMD_CONTINUE);
	T_EQ_INT(cmd.count, 2);
	parse_ok("stepi 1000000");
	T_EQ_INT(cmd.count, 1000000);
	T_CONTAINS(parse_err("si abc"), "invalid count 'abc' for stepi");
	T_CONTAINS(parse_err("si 3x"), "invalid count '3x'");
	T_CONTAINS(parse_err("si -1"), "invalid count '-1'");
	T_CONTAINS(parse_err("si 0"), "stepi count must be at least 1");
	T_CONTAINS(parse_err("ni 1 2"), "invalid count '1 2'");
	T_CONTAINS(parse_err("stepi 18446744073709551616"), "invalid count");
	T_CONTAINS(parse_err("finish now"), "finish takes no arguments");
	T_CONTAINS(parse_err("run 1"), "run takes no arguments");
	parse_ok("delete 1 2 3");
	T_EQ_STR(cmd.args, "1 2 3");
	T_CONTAINS(parse_err("delete 1 x"), "invalid breakpoint number 'x'");
	T_CONTAINS(parse_err("delete 0"), "invalid breakpoint number '0'");
}

static void test_info(void)
{
	parse_ok("info registers");
	T_EQ_INT(cmd.id, DBG_CMD_INFO);
	T_EQ_INT(cmd.info, DBG_INFO_REGISTERS);
	T_EQ_STR(cmd.name, "info registers");
	parse_ok("info regs rip rsp");
	T_EQ_INT(cmd.info, DBG_INFO_REGISTERS);
	T_EQ_STR(cmd.args, "rip rsp");
	parse_ok("i r");
	T_EQ_INT(cmd.info, DBG_INFO_REGISTERS);
	parse_ok("info reg $rip");
	T_EQ_STR(cmd.args, "$rip");
	parse_ok("info g");
	T_EQ_INT(cmd.info, DBG_INFO_G);
	parse_ok("info gm");
	T_EQ_INT(cmd.info, DBG_INFO_GMP);
	parse_ok("info g 1");
	T_EQ_INT(cmd.info, DBG_INFO_G);
	T_EQ_STR(cmd.args, "1");
	parse_ok("info stack");
	T_EQ_INT(cmd.info, DBG_INFO_STACK);
	T_EQ_INT(cmd.count, 16);
	parse_ok("info stack 4");
	T_EQ_INT(cmd.count, 4);
	parse_ok("info b");
	T_EQ_INT(cmd.info, DBG_INFO_BREAKPOINTS);
	parse_ok("info break");
	T_EQ_INT(cmd.info, DBG_INFO_BREAKPOINTS);
	parse_ok("info stag");
	T_EQ_INT(cmd.info, DBG_INFO_STAGES);
	parse_ok("info sec");
	T_EQ_INT(cmd.info, DBG_INFO_SECTIONS);
	parse_ok("info th");
	T_EQ_INT(cmd.info, DBG_INFO_THREADS);
	parse_ok("info tls");
	T_EQ_INT(cmd.info, DBG_INFO_TLS);
	parse_ok("info auxv");
	T_EQ_INT(cmd.info, DBG_INFO_AUXV);
	T_CONTAINS(parse_err("info"), "info needs a subcommand");
	T_CONTAINS(parse_err("info st"), "ambiguous info command 'st': stack, stages");
	T_CONTAINS(parse_err("info bogus"), "undefined info command 'bogus'");
	T_CONTAINS(parse_err("info stack x"), "invalid count 'x' for info stack");
	T_CONTAINS(parse_err("info tls now"), "info tls takes no arguments");
}

static void test_print_echo_comments(void)
{
	parse_ok("p/x $rsp");
	T_EQ_INT(cmd.id, DBG_CMD_PRINT);
	T_EQ_INT(cmd.fmt, 'x');
	T_EQ_STR(cmd.args, "$rsp");
	parse_ok("print $g.goid == 1");
	T_EQ_INT(cmd.fmt, 0);
	T_EQ_STR(cmd.args, "$g.goid == 1");
	T_CONTAINS(parse_err("p/q 1"), "invalid print format '/q'");
	T_CONTAINS(parse_err("p/xx 1"), "invalid print format '/xx'");
	T_CONTAINS(parse_err("si/x"), "stepi takes no /FORMAT");
	T_CONTAINS(parse_err("print"), "print needs an argument");

	parse_ok("echo hello\\tworld\\n");
	T_EQ_INT(cmd.id, DBG_CMD_ECHO);
	T_EQ_STR(cmd.args, "hello\tworld\n");
	parse_ok("echo a  b  ");
	T_EQ_STR(cmd.args, "a  b  ");
	T_CONTAINS(parse_err("echo bad\\q"), "unknown escape '\\q'");

	parse_ok("");
	T_EQ_INT(cmd.id, DBG_CMD_NONE);
	parse_ok("   # a comment");
	T_EQ_INT(cmd.id, DBG_CMD_NONE);
	parse_ok("\n");
	T_EQ_INT(cmd.id, DBG_CMD_NONE);
	/* A script line keeps its newline until the parser trims it. */
	parse_ok("stepi 3\n");
	T_EQ_INT(cmd.count, 3);
}

/* ---- options ------------------------------------------------------------ */

static int opts(struct ui_options *o, const char *const *args, struct dbg_err *err)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"bootscope";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return ui_options_parse(o, argc, argv, err);
}

static void test_options(void)
{
	struct ui_options o;
	struct dbg_err err;

	{
		const char *a[] = { "--batch", "--json", "-x",        "s.gdb",          "-ex",
				    "si 3",    "--ex",   "info regs", "--script=t.gdb", "--",
				    "prog",    "--json", NULL };

		T_OK(opts(&o, a, &err), err);
		T_TRUE(o.batch);
		T_TRUE(o.json);
		T_EQ_INT(o.nscripts, 2);
		T_EQ_STR(o.scripts[0], "s.gdb");
		T_EQ_STR(o.scripts[1], "t.gdb");
		T_EQ_INT(o.nex, 2);
		T_EQ_STR(o.ex[0], "si 3");
		T_EQ_STR(o.ex[1], "info regs");
		T_NOT_NULL(o.prog_argv);
		T_EQ_STR(o.prog_argv[0], "prog");
		/* After PROGRAM, options belong to the program. */
		T_EQ_STR(o.prog_argv[1], "--json");
		T_NULL(o.prog_argv[2]);
		ui_options_release(&o);
	}
	{
		const char *a[] = { "-batch", "--keep-aslr", "./hello", "a", "-x", NULL };

		T_OK(opts(&o, a, &err), err);
		T_TRUE(o.batch);
		T_TRUE(o.keep_aslr);
		T_EQ_STR(o.prog_argv[0], "./hello");
		T_EQ_STR(o.prog_argv[2], "-x");
		T_EQ_INT(o.nscripts, 0);
		ui_options_release(&o);
	}
	{
		const char *a[] = { "--list-stages", NULL };

		T_OK(opts(&o, a, &err), err);
		T_TRUE(o.list_stages);
		T_NULL(o.prog_argv);
		ui_options_release(&o);
	}
	{
		const char *a[] = { "--bogus", NULL };

		T_EQ_INT(opts(&o, a, &err), -EINVAL);
		T_EQ_STR(err.msg, "unknown option '--bogus'");
	}
	{
		const char *a[] = { "--batch", "-ex", NULL };

		T_EQ_INT(opts(&o, a, &err), -EINVAL);
		T_EQ_STR(err.msg, "-ex needs a command");
	}
	{
		const char *a[] = { "-x", NULL };

		T_EQ_INT(opts(&o, a, &err), -EINVAL);
		T_EQ_STR(err.msg, "-x needs a file");
	}
	{
		const char *a[] = { "--batchy", NULL };

		T_EQ_INT(opts(&o, a, &err), -EINVAL);
	}
}

/* ---- events and JSON ---------------------------------------------------- */

static char *json(const struct dbg_val *v)
{
	return ui_render_json_str(v);
}

static void test_event_tree(void)
{
	struct dbg_arena a;
	struct dbg_val *ev, *arr, *o;
	uint64_t u = 0;

	dbg_arena_init(&a);
	ev = dbg_event_new(&a, "stop");
	dbg_obj_str(ev, "reason", "breakpoint");
	dbg_obj_null(ev, "stage");
	dbg_obj_addr(ev, "pc", 0x401000);
	dbg_obj_int(ev, "tid", -5);
	dbg_obj_uint(ev, "steps", UINT64_MAX);
	dbg_obj_bool(ev, "ok", true);
	arr = dbg_obj_array(ev, "list");
	dbg_arr_push(arr, dbg_val_int(&a, 1));
	o = dbg_arr_object(arr);
	dbg_obj_strf(o, "s", "%d-%s", 7, "x");
	dbg_obj_array(ev, "empty");
	dbg_obj_object(ev, "none");

	T_EQ_STR(dbg_event_name(ev), "stop");
	T_EQ_STR(dbg_val_get_str(ev, "reason"), "breakpoint");
	T_TRUE(dbg_val_get_u64(ev, "pc", &u));
	T_EQ_HEX(u, 0x401000);
	T_FALSE(dbg_val_get_u64(ev, "missing", &u));
	T_EQ_STR(json(ev), "{\"event\":\"stop\",\"reason\":\"breakpoint\",\"stage\":null,"
			   "\"pc\":\"0x401000\",\"tid\":-5,\"steps\":18446744073709551615,"
			   "\"ok\":true,\"list\":[1,{\"s\":\"7-x\"}],\"empty\":[],\"none\":{}}");
	T_NULL(dbg_event_name(arr));

	/* Reset keeps working and the arena grows past one chunk. */
	dbg_arena_reset(&a);
	ev = dbg_event_new(&a, "big");
	arr = dbg_obj_array(ev, "v");
	for (int i = 0; i < 5000; i++)
		dbg_arr_push(arr, dbg_val_uint(&a, (uint64_t)i));
	T_EQ_INT(arr->list.n, 5000);
	T_EQ_INT(arr->list.last->u, 4999);
	{
		char *big = dbg_arena_alloc(&a, 100000);

		memset(big, 'x', 100000);
	}
	dbg_obj_str(ev, "after", "ok");
	T_EQ_STR(dbg_val_get_str(ev, "after"), "ok");
	dbg_arena_release(&a);
}

static void test_json_escaping(void)
{
	struct dbg_arena a;
	struct dbg_val *v;

	dbg_arena_init(&a);
	v = dbg_val_str(&a, "quote\" backslash\\ nl\n tab\t cr\r");
	T_EQ_STR(json(v), "\"quote\\\" backslash\\\\ nl\\n tab\\t cr\\r\"");
	v = dbg_val_strn(&a, "a\0b\x01\x1f\x7f", 6);
	T_EQ_STR(json(v), "\"a\\u0000b\\u0001\\u001f\\u007f\"");
	/* Valid UTF-8 passes through; invalid bytes become U+FFFD, and a
	 * member gets a KEY_hex twin with the exact bytes. */
	v = dbg_val_str(&a, "G\xc3\xb6 \xe2\x86\x92 \xf0\x9f\x98\x80");
	T_EQ_STR(json(v), "\"G\xc3\xb6 \xe2\x86\x92 \xf0\x9f\x98\x80\"");
	v = dbg_val_str(&a, "bad\xff\xc3(\xe2\x86");
	T_EQ_STR(json(v), "\"bad\\ufffd\\ufffd(\\ufffd\\ufffd\"");
	/* Overlong and surrogate encodings are not valid UTF-8. */
	v = dbg_val_str(&a, "\xc0\xaf\xed\xa0\x80");
	T_EQ_STR(json(v), "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
	/* 0xff and U+00FF differ, and so do U+FFFD and a bad byte */
	v = dbg_val_object(&a);
	dbg_obj_str(v, "raw", "\xff");
	dbg_obj_str(v, "y", "\xc3\xbf");
	dbg_obj_str(v, "r", "\xef\xbf\xbd");
	dbg_obj_int(v, "n", 1);
	T_EQ_STR(json(v), "{\"raw\":\"\\ufffd\",\"raw_hex\":\"ff\",\"y\":\"\xc3\xbf\","
			  "\"r\":\"\xef\xbf\xbd\",\"n\":1}");
	v = dbg_val_str(&a, NULL);
	T_EQ_STR(json(v), "null");
	/* Keys are escaped too. */
	v = dbg_val_object(&a);
	dbg_obj_int(v, "k\"ey", 1);
	T_EQ_STR(json(v), "{\"k\\\"ey\":1}");
	dbg_arena_release(&a);
}

static void test_text_render(void)
{
	struct dbg_arena a;
	struct dbg_val *ev, *arr, *o;
	char *t;

	dbg_arena_init(&a);
	ev = dbg_event_new(&a, "stop");
	dbg_obj_str(ev, "reason", "breakpoint");
	dbg_obj_str(ev, "stage", "runtime.schedinit");
	dbg_obj_str(ev, "symbol", "runtime.schedinit");
	dbg_obj_addr(ev, "pc", 0x401a20);
	dbg_obj_int(ev, "tid", 100);
	dbg_obj_addr(ev, "fs_base", 0x4c5f18);
	dbg_obj_addr(ev, "g", 0x4c5e00);
	dbg_obj_str(ev, "g_label", "g0");
	dbg_obj_uint(ev, "steps", 12);
	dbg_obj_int(ev, "breakpoint", 1);
	dbg_obj_str(ev, "insn", "push %rbp");
	t = ui_render_text_str(ev);
	T_CONTAINS(t, "Breakpoint 1, 0x401a20 in runtime.schedinit ()\n");
	T_CONTAINS(t, "=> 0x401a20 <runtime.schedinit>:\tpush %rbp\n");
	T_CONTAINS(t, "stage runtime.schedinit | step 12 | g g0 0x4c5e00");
	free(t);

	ev = dbg_event_new(&a, "output");
	dbg_obj_str(ev, "stream", "stdout");
	dbg_obj_str(ev, "data", "hello\nworld");
	t = ui_render_text_str(ev);
	T_EQ_STR(t, "[stdout] hello\n[stdout] world\n");
	free(t);

	ev = dbg_event_new(&a, "error");
	dbg_obj_str(ev, "message", "no stage or symbol 'x'");
	dbg_obj_str(ev, "file", "-ex");
	dbg_obj_int(ev, "line", 2);
	t = ui_render_text_str(ev);
	T_EQ_STR(t, "-ex 2: no stage or symbol 'x'\n");
	free(t);

	ev = dbg_event_new(&a, "error");
	dbg_obj_str(ev, "message", "boom");
	dbg_obj_str(ev, "file", "s.gdb");
	dbg_obj_int(ev, "line", 7);
	t = ui_render_text_str(ev);
	T_EQ_STR(t, "s.gdb:7: boom\n");
	free(t);

	ev = dbg_event_new(&a, "x");
	dbg_obj_str(ev, "format", "x");
	dbg_obj_str(ev, "unit", "g");
	dbg_obj_uint(ev, "size", 8);
	arr = dbg_obj_array(ev, "items");
	for (int i = 0; i < 3; i++) {
		o = dbg_arr_object(arr);
		dbg_obj_addr(o, "addr", 0x1000 + 8 * (uint64_t)i);
		dbg_obj_null(o, "addr_symbol");
		dbg_obj_uint(o, "value", (uint64_t)i + 1);
	}
	t = ui_render_text_str(ev);
	T_EQ_STR(t, "0x1000:\t0x0000000000000001\t0x0000000000000002\n"
		    "0x1010:\t0x0000000000000003\n");
	free(t);

	ev = dbg_event_new(&a, "print");
	dbg_obj_uint(ev, "index", 3);
	dbg_obj_int(ev, "value", -2);
	dbg_obj_str(ev, "hex", "0xfffffffffffffffe");
	dbg_obj_null(ev, "format");
	dbg_obj_null(ev, "type");
	dbg_obj_null(ev, "symbol");
	o = dbg_obj_object(ev, "tree");
	dbg_obj_str(o, "kind", "int");
	dbg_obj_null(o, "type");
	dbg_obj_uint(o, "size", 8);
	dbg_obj_int(o, "value", -2);
	t = ui_render_text_str(ev);
	T_EQ_STR(t, "$3 = -2\n");
	free(t);

	/* a struct with a status field and a folded array, as gdb writes them */
	ev = dbg_event_new(&a, "print");
	dbg_obj_uint(ev, "index", 4);
	dbg_obj_null(ev, "format");
	dbg_obj_str(ev, "type", "struct g");
	o = dbg_obj_object(ev, "tree");
	dbg_obj_str(o, "kind", "struct");
	arr = dbg_obj_array(o, "fields");
	struct dbg_val *f = dbg_arr_object(arr), *n;
	dbg_obj_str(f, "name", "atomicstatus");
	n = dbg_obj_object(f, "value");
	dbg_obj_str(n, "kind", "uint");
	dbg_obj_uint(n, "size", 4);
	dbg_obj_uint(n, "value", 2);
	dbg_obj_str(n, "name", "_Grunning");
	f = dbg_arr_object(arr);
	dbg_obj_str(f, "name", "tls");
	n = dbg_obj_object(f, "value");
	dbg_obj_str(n, "kind", "array");
	struct dbg_val *els = dbg_obj_array(n, "elements");
	struct dbg_val *e = dbg_arr_object(els);
	dbg_obj_str(e, "kind", "uint");
	dbg_obj_uint(e, "size", 8);
	dbg_obj_uint(e, "value", 7);
	e = dbg_arr_object(els);
	dbg_obj_str(e, "kind", "uint");
	dbg_obj_uint(e, "size", 8);
	dbg_obj_uint(e, "value", 0);
	dbg_obj_uint(e, "repeat", 12);
	dbg_obj_bool(n, "truncated", false);
	f = dbg_arr_object(arr);
	dbg_obj_str(f, "name", "name");
	n = dbg_obj_object(f, "value");
	dbg_obj_str(n, "kind", "string");
	dbg_obj_str(n, "text", "a\"b");
	dbg_obj_bool(n, "truncated", false);
	t = ui_render_text_str(ev);
	T_EQ_STR(t, "$4 = {atomicstatus = 2 <_Grunning>, tls = {7, 0 <repeats 12 times>}, "
		    "name = \"a\\\"b\"}\n");
	free(t);
	dbg_arena_release(&a);
}

/* ---- lists written from the tables -------------------------------------- */

/* The events of commands run without a process, as JSON Lines. */
struct collected {
	FILE *f;
	char *text;
	size_t len;
};

static void collect(void *arg, const struct dbg_val *ev)
{
	struct collected *c = arg;

	ui_render_json(c->f, ev);
	putc('\n', c->f);
}

/* The JSON Lines of line run in ctx. */
static char *run_line(struct dbg_cmd_ctx *ctx, struct collected *c, const char *line)
{
	c->f = open_memstream(&c->text, &c->len);
	if (!c->f)
		T_SETUP_FAIL("open_memstream");
	dbg_cmd_exec(ctx, line, NULL, 0);
	fclose(c->f);
	return c->text;
}

/* Every info view: help info, the info command's summary, the errors of
 * info without a view and of an unknown view, and --help name it. */
static void test_info_lists(void)
{
	static char *const argv[] = { (char *)"/proc/self/exe", NULL };
	char *names = NULL, *usage = NULL, *summary, *t, *nl, want[128];
	size_t names_len = 0, usage_len = 0, i, n;
	struct dbg_session *s;
	struct dbg_cmd_ctx ctx;
	struct collected c = { 0 };
	struct dbg_err err;
	bool seen[DBG_INFO_COUNT] = { false }, has_record = false;
	FILE *f = open_memstream(&names, &names_len);

	for (n = 0; dbg_cmd_info_name(n); n++) {
		const char *name = dbg_cmd_info_name(n);

		fprintf(f, "%s%s", n ? ", " : "", name);
		has_record |= strcmp(name, "record") == 0;
		snprintf(want, sizeof(want), "info %s", name);
		/* a view that needs an argument (info symbol ADDR) says so */
		struct dbg_err perr = { "" };
		if (dbg_cmd_parse(want, &cmd, &perr) < 0) {
			T_CONTAINS(perr.msg, "needs an argument");
			snprintf(want + strlen(want), sizeof(want) - strlen(want), " 0");
			parse_ok(want);
			want[strlen(want) - 2] = '\0';
		}
		T_EQ_INT(cmd.id, DBG_CMD_INFO);
		T_EQ_STR(cmd.name, want);
		T_TRUE(cmd.info > DBG_INFO_NONE && cmd.info < DBG_INFO_COUNT);
		T_FALSE(seen[cmd.info]);
		seen[cmd.info] = true;
	}
	fclose(f);
	T_TRUE(has_record);
	/* one name for each view */
	T_EQ_INT(n, DBG_INFO_COUNT - 1);

	T_CONTAINS(parse_err("info"), names);
	T_CONTAINS(parse_err("info frobnicate"), names);

	T_OK(dbg_session_open(&s, "/proc/self/exe", &err), err);
	dbg_cmd_ctx_init(&ctx, s, argv, NULL, collect, &c);
	t = run_line(&ctx, &c, "help info");
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "{\"name\":\"info %s\",", dbg_cmd_info_name(i));
		T_CONTAINS(t, want);
	}
	free(t);
	t = run_line(&ctx, &c, "help");
	if (asprintf(&summary, "\"usage\":\"info WHAT\",\"summary\":\"show %s\"", names) < 0)
		T_FAIL("out of memory");
	T_CONTAINS(t, summary);
	free(summary);
	free(t);
	t = run_line(&ctx, &c, "info frobnicate");
	T_CONTAINS(t, "{\"event\":\"error\",\"message\":\"undefined info command 'frobnicate'");
	T_CONTAINS(t, names);
	T_CONTAINS(t, "record");
	free(t);
	dbg_cmd_ctx_release(&ctx);
	dbg_session_free(s);

	/* --help, its lines joined */
	f = open_memstream(&usage, &usage_len);
	ui_usage(f);
	fclose(f);
	while ((nl = strchr(usage, '\n')))
		*nl = ' ';
	if (asprintf(&t, "info {%s}", names) < 0)
		T_FAIL("out of memory");
	T_CONTAINS(usage, t);
	free(t);
	free(usage);
	free(names);
}

/* ---- completion ------------------------------------------------------------ */

static struct dbg_completion comp;

/* The candidates for line, space separated; ctx NULL: the tables' only. */
static const char *cands(struct dbg_cmd_ctx *ctx, const char *line)
{
	static char buf[8192];
	size_t l = 0;

	if ((ctx ? dbg_cmd_complete(ctx, line, &comp) : dbg_cmd_complete_words(line, &comp)) < 0)
		T_FAIL("completing '%s': out of memory", line);
	buf[0] = '\0';
	for (size_t i = 0; i < comp.n && l < sizeof(buf); i++)
		l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s%.*s", i ? " " : "",
				      (int)comp.v[i].n, comp.v[i].s);
	return buf;
}

static bool has_cand(const char *name)
{
	for (size_t i = 0; i < comp.n; i++)
		if (comp.v[i].n == strlen(name) && memcmp(comp.v[i].s, name, comp.v[i].n) == 0)
			return true;
	return false;
}

static void test_completion(void)
{
	static char *const argv[] = { (char *)"/proc/self/exe", NULL };
	struct dbg_session *s;
	struct dbg_cmd_ctx ctx;
	struct collected c = { 0 };
	struct dbg_err err;

	/* command names: the first word, or help's argument */
	T_EQ_STR(cands(NULL, "br"), "break");
	T_EQ_INT(comp.start, 0);
	T_EQ_STR(cands(NULL, "  rev"), "reverse-continue reverse-nexti reverse-stepi");
	T_EQ_INT(comp.start, 2);
	T_FALSE(comp.symbols || comp.stages);
	T_EQ_STR(cands(NULL, "help wa"), "watch");
	T_EQ_INT(comp.start, 5);
	cands(NULL, "");
	T_TRUE(has_cand("advance") && has_cand("xinfo") && has_cand("info"));
	T_FALSE(has_cand("bt")); /* names, not aliases */
	T_EQ_STR(cands(NULL, "zz"), "");

	/* info's views, in the tables' names */
	cands(NULL, "info ");
	T_EQ_INT(comp.n, DBG_INFO_COUNT - 1);
	for (size_t i = 0; dbg_cmd_info_name(i); i++)
		T_TRUE(has_cand(dbg_cmd_info_name(i)));
	T_EQ_STR(cands(NULL, "i reg"), "registers");
	T_EQ_INT(comp.start, 2);
	T_EQ_STR(cands(NULL, "info s"), "sections stack stages symbol");
	T_EQ_STR(cands(NULL, "info proc m"), "mappings");

	/* keywords */
	T_EQ_STR(cands(NULL, "record s"), "save");
	T_EQ_STR(cands(NULL, "set sch"), "scheduler-locking");
	T_EQ_STR(cands(NULL, "stage n"), "next");
	T_TRUE(comp.stages);
	T_FALSE(comp.symbols);

	/* what else the word may be, and where it starts */
	cands(NULL, "break runtime.sch");
	T_TRUE(comp.stages && comp.symbols && comp.funcs);
	T_EQ_INT(comp.start, 6);
	cands(NULL, "tbreak *runtime.m0");
	T_TRUE(comp.symbols && comp.stages);
	T_FALSE(comp.funcs);
	T_EQ_INT(comp.start, 8);
	cands(NULL, "x/8gx $rs");
	T_TRUE(comp.symbols && comp.stages);
	T_FALSE(comp.funcs);
	T_EQ_INT(comp.start, 6);
	cands(NULL, "print &runtime.m0.tls[0] + ru");
	T_EQ_INT(comp.start, 27);
	cands(NULL, "info line asm");
	T_TRUE(comp.funcs);
	T_EQ_INT(comp.start, 10);
	cands(NULL, "stepi 3");
	T_FALSE(comp.symbols || comp.stages);
	T_EQ_STR(cands(NULL, "frobnicate x"), "");
	T_FALSE(comp.symbols || comp.stages);

	/* with a session: this program's symbols; a location only functions */
	T_OK(dbg_session_open(&s, "/proc/self/exe", &err), err);
	dbg_cmd_ctx_init(&ctx, s, argv, NULL, collect, &c);
	cands(&ctx, "break test_comp");
	T_TRUE(has_cand("test_completion"));
	cands(&ctx, "print com");
	T_TRUE(has_cand("comp"));
	cands(&ctx, "break com");
	T_FALSE(has_cand("comp"));
	T_EQ_STR(cands(&ctx, "print zzq_no_such_symbol"), "");
	/* after a '$': the registers and the language's variables */
	T_EQ_STR(cands(&ctx, "x/2gx $rs"), "rsi rsp");
	T_EQ_INT(comp.start, 7);
	T_EQ_STR(cands(&ctx, "print $g.m + $st"), "stage steps");
	T_EQ_STR(cands(&ctx, "print $fs"), "fs fs_base");
	/* each once, sorted */
	cands(&ctx, "print ");
	T_TRUE(comp.n > 10);
	for (size_t i = 1; i < comp.n; i++) {
		size_t n = comp.v[i].n < comp.v[i - 1].n ? comp.v[i].n : comp.v[i - 1].n;
		int r = memcmp(comp.v[i - 1].s, comp.v[i].s, n);
		T_TRUE(r < 0 || (r == 0 && comp.v[i - 1].n < comp.v[i].n));
	}
	dbg_cmd_ctx_release(&ctx);
	dbg_session_free(s);
	dbg_completion_release(&comp);
}

/* ---- the text renderer and docs/json.md ---------------------------------- */

/* Every event docs/json.md documents (a "### name" heading in an
 * "## Events ..." section) has a text form, and every text form is a
 * documented event. */
static void test_render_table(void)
{
	const char *path = t_env("BOOTSCOPE_JSON_MD");
	FILE *f = fopen(path, "r");
	char line[512], *doc[64];
	bool in_events = false, found;
	size_t ndoc = 0, i, j;

	if (!f)
		T_SETUP_FAIL("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		size_t l = strcspn(line, "\n");

		line[l] = '\0';
		if (strncmp(line, "## ", 3) == 0) {
			in_events = strncmp(line + 3, "Events", 6) == 0;
			continue;
		}
		if (!in_events || strncmp(line, "### ", 4) != 0 ||
		    strspn(line + 4, "abcdefghijklmnopqrstuvwxyz_") != l - 4)
			continue;
		T_LT_INT(ndoc, T_COUNT(doc));
		doc[ndoc++] = strdup(line + 4);
	}
	fclose(f);
	T_GE_INT(ndoc, 30);

	for (i = 0; i < ndoc; i++) {
		for (found = false, j = 0; ui_render_text_event(j); j++)
			found |= strcmp(doc[i], ui_render_text_event(j)) == 0;
		T_CHECK(found, "event %s of docs/json.md has no text form", doc[i]);
	}
	for (j = 0; ui_render_text_event(j); j++) {
		for (found = false, i = 0; i < ndoc; i++)
			found |= strcmp(doc[i], ui_render_text_event(j)) == 0;
		T_CHECK(found, "text form %s is not in docs/json.md", ui_render_text_event(j));
		for (i = 0; i < j; i++)
			T_CHECK(strcmp(ui_render_text_event(i), ui_render_text_event(j)) != 0,
				"two text forms of %s", ui_render_text_event(j));
	}
	T_EQ_INT(j, ndoc);
	for (i = 0; i < ndoc; i++)
		free(doc[i]);
}

static const struct t_case cases[] = {
	T_CASE(test_x_formats),   T_CASE(test_break_forms), T_CASE(test_short_forms),
	T_CASE(test_counts),      T_CASE(test_info),        T_CASE(test_print_echo_comments),
	T_CASE(test_options),     T_CASE(test_event_tree),  T_CASE(test_json_escaping),
	T_CASE(test_text_render), T_CASE(test_info_lists),  T_CASE(test_render_table),
	T_CASE(test_completion),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
