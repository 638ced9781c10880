/*
 * Unit tests of the lab file parser (interp/lab.h), and of the shipped
 * labs' structure: LAB_DIR names labs, LAB_COUNT how many labs
 * tests/labs/meson.build registers (every one must be there, numbered
 * 1..LAB_COUNT, and nothing else).
 */
#include <errno.h>
#include <sys/stat.h>

#include "lab.h"
#include "testlib.h"

#define PARSE(lab, text, err) dbg_lab_parse((lab), "t.bs", (text), strlen(text), (err))

/* Parse text, which must fail with -EINVAL and exactly message msg. */
static void expect_error(const char *text, const char *msg)
{
	struct dbg_lab lab;
	struct dbg_err err;

	dbg_err_clear(&err);
	T_EQ_INT(PARSE(&lab, text, &err), -EINVAL);
	T_EQ_STR(err.msg, msg);
	T_NULL(lab.steps);
	T_NULL(lab.title);
}

static const char good[] = "# a comment, then the header\n"
			   "#@lab 4 TLS: settls, arch_prctl and fs:-8\n"
			   "#@program pingpong 3 x\n"
			   "#@env GOMAXPROCS=1\n"
			   "#@env A=b=c\n"
			   "#@say Welcome.\n"
			   "\n"
			   "#@step Before settls\n"
			   "#@say Press ] until the stage pane shows rt0_go.settls.\n"
			   "#@say Look at the TLS pane.\n"
			   "#@say\n"
			   "#@say A second paragraph.\n"
			   "#@ask What is fs_base before settls runs?\n"
			   "#@ask And rdi?\n"
			   "  break rt0_go.settls  \n"
			   "run\n"
			   "expect $fs_base == 0\n"
			   "#@step After settls\r\n"
			   "stepi\r\n"
			   "# not a command\n"
			   "exp $fs_base != 0\n"
			   "print/x $fs_base";

static void parse_good(void)
{
	struct dbg_lab lab;
	struct dbg_err err;

	T_OK(PARSE(&lab, good, &err), err);
	T_EQ_INT(lab.number, 4);
	T_EQ_STR(lab.title, "TLS: settls, arch_prctl and fs:-8");
	T_EQ_STR(lab.path, "t.bs");
	T_EQ_STR(lab.intro, "Welcome.");
	T_EQ_STR(lab.program, "pingpong");
	T_EQ_INT(lab.nargs, 2);
	T_EQ_STR(lab.args[0], "3");
	T_EQ_STR(lab.args[1], "x");
	T_NULL(lab.args[2]);
	T_EQ_INT(lab.nenv, 2);
	T_EQ_STR(lab.env[0], "GOMAXPROCS=1");
	T_EQ_STR(lab.env[1], "A=b=c");
	T_NULL(lab.env[2]);
	T_EQ_INT(lab.nsteps, 2);
	T_EQ_INT(lab.nexpect, 2);

	const struct dbg_lab_step *s0 = &lab.steps[0], *s1 = &lab.steps[1];

	T_EQ_STR(s0->title, "Before settls");
	T_EQ_INT(s0->line, 8);
	T_EQ_STR(s0->say, "Press ] until the stage pane shows rt0_go.settls. "
			  "Look at the TLS pane.\nA second paragraph.");
	T_EQ_INT(s0->nask, 2);
	T_EQ_STR(s0->ask[0], "What is fs_base before settls runs?");
	T_EQ_STR(s0->ask[1], "And rdi?");
	T_NULL(s0->ask[2]);
	T_EQ_INT(s0->ncmds, 3);
	T_EQ_STR(s0->cmds[0].text, "break rt0_go.settls");
	T_EQ_INT(s0->cmds[0].line, 15);
	T_FALSE(s0->cmds[0].expect);
	T_EQ_STR(s0->cmds[2].text, "expect $fs_base == 0");
	T_EQ_INT(s0->cmds[2].line, 17);
	T_TRUE(s0->cmds[2].expect);
	T_EQ_INT(s0->nexpect, 1);

	T_EQ_STR(s1->title, "After settls");
	T_EQ_INT(s1->line, 18);
	T_NULL(s1->say);
	T_EQ_INT(s1->nask, 0);
	T_NOT_NULL(s1->ask);
	T_EQ_INT(s1->ncmds, 3);
	T_EQ_STR(s1->cmds[0].text, "stepi");
	T_EQ_INT(s1->cmds[0].line, 19);
	/* A unique prefix of expect is an expect, as the interpreter runs it. */
	T_TRUE(s1->cmds[1].expect);
	T_EQ_INT(s1->cmds[1].line, 21);
	T_EQ_STR(s1->cmds[2].text, "print/x $fs_base");
	T_EQ_INT(s1->cmds[2].line, 22);
	T_EQ_INT(s1->nexpect, 1);

	dbg_lab_release(&lab);
	T_NULL(lab.steps);
	T_EQ_INT(lab.nsteps, 0);
}

static void minimal_defaults(void)
{
	struct dbg_lab lab;
	struct dbg_err err;

	T_OK(PARSE(&lab, "#@lab 12 T\n#@step S\nstarti\n", &err), err);
	T_EQ_INT(lab.number, 12);
	T_NULL(lab.program);
	T_NULL(lab.intro);
	T_NOT_NULL(lab.args);
	T_NULL(lab.args[0]);
	T_NOT_NULL(lab.env);
	T_NULL(lab.env[0]);
	T_EQ_INT(lab.nexpect, 0);
	dbg_lab_release(&lab);
}

static void error_unknown_directive(void)
{
	expect_error("#@lab 1 T\n#@step S\n#@sya hello\nrun\n",
		     "t.bs:3: unknown directive '#@sya' (known: lab, program, env, vary, reveal, step, "
		     "say, ask, answer, bundled, only)");
	expect_error("#@lab 1 T\n#@step S\n#@answer words a\nrun\n",
		     "t.bs:3: #@answer must follow an #@ask");
	expect_error("#@lab 1 T\n#@step S\n#@ask Q\n#@answer words a\n#@answer words b\nrun\n",
		     "t.bs:5: a second #@answer for one question (line 4)");
	expect_error("#@lab 1 T\n#@step S\n#@ask Q\n#@answer guess a\nrun\n",
		     "t.bs:4: #@answer takes exact TEXT, expr EXPR, words W..., or number N [+- T], "
		     "not 'guess'");
	expect_error("#@lab 1 T\n#@step S\n#@ask Q\n#@answer number x\nrun\n",
		     "t.bs:4: #@answer number needs a number, not 'x'");
	expect_error("#@lab 1 T\n#@step S\n#@reveal after-submit\nrun\n",
		     "t.bs:3: #@reveal must come before the first #@step");
}

static void error_step_without_commands(void)
{
	expect_error("#@lab 1 T\n#@step First\n#@say nothing to run\n#@step Second\nrun\n",
		     "t.bs:2: step 'First' has no commands");
	/* The last step too, reported at its own line. */
	expect_error("#@lab 1 T\n#@step First\nrun\n\n#@step Last\n# only a comment\n",
		     "t.bs:5: step 'Last' has no commands");
}

static void error_header(void)
{
	expect_error("run\n", "t.bs:1: the file must start with #@lab N TITLE");
	expect_error("#@step S\nrun\n", "t.bs:1: the file must start with #@lab N TITLE");
	expect_error("# just a script\nrun\n", "t.bs:2: the file must start with #@lab N TITLE");
	expect_error("", "t.bs: not a lab file: no #@lab line");
	expect_error("#@lab 3 T\n", "t.bs: lab 3 has no #@step");
	expect_error("#@lab x Title\n",
		     "t.bs:1: #@lab needs a lab number (1, 2, ...) then a title, not 'x Title'");
	expect_error("#@lab 0 Zero\n",
		     "t.bs:1: #@lab needs a lab number (1, 2, ...) then a title, not '0 Zero'");
	expect_error("#@lab 2\n", "t.bs:1: #@lab 2 needs a title");
	expect_error("#@lab 2 A\n#@lab 3 B\n", "t.bs:2: a second #@lab line");
	expect_error("#@lab 1 T\nrun\n", "t.bs:2: command 'run' before the first #@step");
}

static void error_order(void)
{
	expect_error("#@lab 1 T\n#@step S\nrun\n#@program hello\n",
		     "t.bs:4: #@program must come before the first #@step");
	expect_error("#@lab 1 T\n#@step S\nrun\n#@env A=1\n",
		     "t.bs:4: #@env must come before the first #@step");
	expect_error("#@lab 1 T\n#@env GOMAXPROCS\n",
		     "t.bs:2: #@env needs NAME=VALUE or NAME?=VALUE, not 'GOMAXPROCS'");
	expect_error("#@lab 1 T\n#@env =1\n",
		     "t.bs:2: #@env needs NAME=VALUE or NAME?=VALUE, not '=1'");
	expect_error("#@lab 1 T\n#@program\n", "t.bs:2: #@program needs a program name");
	expect_error("#@lab 1 T\n#@program a\n#@program b\n", "t.bs:3: a second #@program line");
	expect_error("#@lab 1 T\n#@ask Why?\n",
		     "t.bs:2: #@ask outside a step (write #@step first)");
	expect_error("#@lab 1 T\n#@step\n", "t.bs:2: #@step needs a title");
}

static void error_bad_commands(void)
{
	expect_error("#@lab 1 T\n#@step S\nrun\nfrobnicate 3\n",
		     "t.bs:4: undefined command 'frobnicate'; try help");
	expect_error("#@lab 1 T\n#@step S\nstepi abc\n", "t.bs:3: invalid count 'abc' for stepi");

	/* Expressions of expect and print are parsed at load time. */
	struct dbg_lab lab;
	struct dbg_err err;

	T_EQ_INT(PARSE(&lab, "#@lab 1 T\n#@step S\nrun\n\nexpect $rax == (1 +\n", &err), -EINVAL);
	T_TRUE(strncmp(err.msg, "t.bs:5: cannot parse", 20) == 0);
	T_EQ_INT(PARSE(&lab, "#@lab 1 T\n#@step S\np 1 +* \n", &err), -EINVAL);
	T_TRUE(strncmp(err.msg, "t.bs:3: cannot parse", 20) == 0);
}

static void merge_env(void)
{
	char *base[] = { "HOME=/root", "GOMAXPROCS=8", "PATH=/bin", NULL };
	struct dbg_lab lab;
	struct dbg_err err;
	char **env;

	T_OK(PARSE(&lab, "#@lab 6 T\n#@env GOMAXPROCS=2\n#@env NEW=x\n#@step S\nrun\n", &err), err);
	T_OK(dbg_lab_merge_env(&lab, base, &env, &err), err);
	T_EQ_STR(env[0], "HOME=/root");
	T_EQ_STR(env[1], "GOMAXPROCS=2");
	T_EQ_STR(env[2], "PATH=/bin");
	T_EQ_STR(env[3], "NEW=x");
	T_EQ_STR(env[4], "GODEBUG=asyncpreemptoff=1"); /* the lab default */
	T_NULL(env[5]);
	free(env);

	/* A name that is a prefix of another is not that other. */
	char *base2[] = { "GOMAXPROCSX=1", NULL };
	T_OK(dbg_lab_merge_env(&lab, base2, &env, &err), err);
	T_EQ_STR(env[0], "GOMAXPROCSX=1");
	T_EQ_STR(env[1], "GOMAXPROCS=2");
	T_EQ_STR(env[2], "NEW=x");
	T_EQ_STR(env[3], "GODEBUG=asyncpreemptoff=1");
	T_NULL(env[4]);
	free(env);

	T_OK(dbg_lab_merge_env(&lab, NULL, &env, &err), err);
	T_EQ_STR(env[0], "GOMAXPROCS=2");
	T_EQ_STR(env[2], "GODEBUG=asyncpreemptoff=1");
	T_NULL(env[3]);
	free(env);

	/* A GODEBUG of the caller, even an empty one, replaces the default. */
	char *base3[] = { "GODEBUG=", NULL };
	T_OK(dbg_lab_merge_env(&lab, base3, &env, &err), err);
	T_EQ_STR(env[0], "GODEBUG=");
	T_EQ_STR(env[1], "GOMAXPROCS=2");
	T_EQ_STR(env[2], "NEW=x");
	T_NULL(env[3]);
	free(env);
	dbg_lab_release(&lab);

	/* So does the lab's own. */
	T_OK(PARSE(&lab, "#@lab 6 T\n#@env GODEBUG=inittrace=1\n#@step S\nrun\n", &err), err);
	T_OK(dbg_lab_merge_env(&lab, base, &env, &err), err);
	T_EQ_STR(env[3], "GODEBUG=inittrace=1");
	T_NULL(env[4]);
	free(env);
	dbg_lab_release(&lab);
}

/* NAME?=VALUE: a default the caller's environment overrides. */
static void env_defaults(void)
{
	char *base[] = { "GOMAXPROCS=1", NULL };
	struct dbg_lab lab;
	struct dbg_err err;
	char **env;

	T_OK(PARSE(&lab, "#@lab 6 T\n#@env GOMAXPROCS?=4\n#@env A?=b\n#@step S\nrun\n", &err), err);
	T_EQ_STR(lab.env[0], "GOMAXPROCS=4");
	T_OK(dbg_lab_merge_env(&lab, base, &env, &err), err);
	T_EQ_STR(env[0], "GOMAXPROCS=1");
	T_EQ_STR(env[1], "A=b");
	free(env);
	T_OK(dbg_lab_merge_env(&lab, NULL, &env, &err), err);
	T_EQ_STR(env[0], "GOMAXPROCS=4");
	free(env);
	dbg_lab_release(&lab);
	expect_error("#@lab 1 T\n#@env A?b\n#@step S\nrun\n",
		     "t.bs:2: #@env needs NAME=VALUE or NAME?=VALUE, not 'A?b'");
}

/* #@vary: parsed, and a student's variant is reproducible, within the
 * ranges, and differs between students. */
static void variants(void)
{
	struct dbg_lab lab;
	struct dbg_err err;
	char desc[256], first[256];
	const char *text = "#@lab 6 T\n#@program hello x\n#@env GOMAXPROCS=4\n"
			   "#@vary GOMAXPROCS 2..4\n#@vary ARGS a | b c\n#@vary ENVSIZE 0..16\n"
			   "#@step S\nrun\n";
	bool differ = false;

	T_OK(PARSE(&lab, text, &err), err);
	T_EQ_INT(lab.nvary, 3);
	T_TRUE(lab.vary[0].range);
	T_EQ_INT(lab.vary[0].lo, 2);
	T_EQ_INT(lab.vary[0].hi, 4);
	T_EQ_INT(lab.vary[1].nalts, 2);
	T_EQ_STR(lab.vary[1].alts[1], "b c");
	T_OK(dbg_lab_apply_variant(&lab, "s1", first, sizeof(first), &err), err);
	T_EQ_STR(lab.variant, first);
	dbg_lab_release(&lab);
	for (int i = 0; i < 20; i++) {
		char id[16];
		snprintf(id, sizeof(id), "s%d", i + 1);
		T_OK(PARSE(&lab, text, &err), err);
		T_OK(dbg_lab_apply_variant(&lab, id, desc, sizeof(desc), &err), err);
		if (i == 0)
			T_EQ_STR(desc, first);
		differ |= strcmp(desc, first) != 0;
		long procs = -1;
		size_t pad = 0;
		for (size_t e = 0; e < lab.nenv; e++) {
			if (strncmp(lab.env[e], "GOMAXPROCS=", 11) == 0)
				procs = strtol(lab.env[e] + 11, NULL, 10);
			if (strncmp(lab.env[e], DBG_LAB_PAD_VAR "=", strlen(DBG_LAB_PAD_VAR) + 1) ==
			    0)
				pad = strlen(lab.env[e]) - strlen(DBG_LAB_PAD_VAR) - 1;
		}
		T_TRUE(procs >= 2 && procs <= 4);
		T_TRUE(pad <= 16);
		T_TRUE((lab.nargs == 1 && strcmp(lab.args[0], "a") == 0) ||
		       (lab.nargs == 2 && strcmp(lab.args[1], "c") == 0));
		T_TRUE(strstr(desc, "GOMAXPROCS=") == desc);
		dbg_lab_release(&lab);
	}
	T_TRUE(differ);
	expect_error("#@lab 1 T\n#@step S\n#@vary A 1..2\nrun\n",
		     "t.bs:3: #@vary must come before the first #@step");
	expect_error("#@lab 1 T\n#@vary ENVSIZE a|b\n#@step S\nrun\n",
		     "t.bs:2: #@vary ENVSIZE takes a range of sizes in 0..65536, not 'a|b'");
	expect_error("#@lab 1 T\n#@vary A 3..1\n#@step S\nrun\n",
		     "t.bs:2: #@vary A: LO..HI needs LO <= HI, at most 1000001 values");
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		T_SETUP_FAIL("cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static void make_dir(char *tmpl)
{
	if (!mkdtemp(tmpl))
		T_SETUP_FAIL("mkdtemp failed");
}

static void dir_list_and_open(void)
{
	char dir[] = "/tmp/labtestXXXXXX";
	struct dbg_lab_info *v;
	struct dbg_lab lab;
	struct dbg_err err;
	size_t n;

	make_dir(dir);
	write_file(dir, "02-second.bs", "#@lab 2 Second lab\n#@step S\nrun\n");
	write_file(dir, "01-first.bs", "#@lab 1 First lab\n#@step S\nstarti\n");
	write_file(dir, "README.md", "not a lab\n");
	write_file(dir, "03-notes.txt", "not a lab either\n");

	T_OK(dbg_lab_list(dir, &v, &n, &err), err);
	T_EQ_INT(n, 2);
	T_EQ_INT(v[0].number, 1);
	T_EQ_STR(v[0].title, "First lab");
	T_CONTAINS(v[0].path, "/01-first.bs");
	T_EQ_INT(v[1].number, 2);
	T_EQ_STR(v[1].title, "Second lab");
	dbg_lab_list_free(v, n);

	T_OK(dbg_lab_open(&lab, dir, 2, &err), err);
	T_EQ_STR(lab.title, "Second lab");
	T_EQ_STR(lab.steps[0].cmds[0].text, "run");
	dbg_lab_release(&lab);

	char want[600];
	T_EQ_INT(dbg_lab_open(&lab, dir, 9, &err), -ENOENT);
	snprintf(want, sizeof(want), "no lab 9 in %s; labs: 1-2", dir);
	T_EQ_STR(err.msg, want);

	/* A lab whose file name and #@lab disagree is an error. */
	write_file(dir, "07-mislabeled.bs", "#@lab 8 Wrong\n#@step S\nrun\n");
	T_EQ_INT(dbg_lab_list(dir, &v, &n, &err), -EINVAL);
	T_CONTAINS(err.msg, "07-mislabeled.bs: the file name says lab 7 but #@lab says 8");
	T_NULL(v);
	T_EQ_INT(n, 0);
	write_file(dir, "07-mislabeled.bs", "#@lab 1 Twin\n#@step S\nrun\n");
	T_EQ_INT(dbg_lab_list(dir, &v, &n, &err), -EINVAL);
	T_CONTAINS(err.msg, "07-mislabeled.bs: the file name says lab 7 but #@lab says 1");

	/* Two files with one number. */
	write_file(dir, "07-mislabeled.bs", "#@lab 7 Seven\n#@step S\nrun\n");
	write_file(dir, "7-twin.bs", "#@lab 7 Twin\n#@step S\nrun\n");
	T_EQ_INT(dbg_lab_list(dir, &v, &n, &err), -EINVAL);
	T_CONTAINS(err.msg, "two files are lab 7:");

	/* A broken lab names its file and line. */
	write_file(dir, "7-twin.bs", "#@lab 7 Twin\n#@step S\n#@bogus\n");
	T_EQ_INT(dbg_lab_list(dir, &v, &n, &err), -EINVAL);
	T_CONTAINS(err.msg, "7-twin.bs:3: unknown directive '#@bogus'");

	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	T_EQ_INT(system(cmd), 0);

	T_TRUE(dbg_lab_list("/nonexistent/labs", &v, &n, &err) < 0);
	T_EQ_STR(err.msg,
		 "cannot open the lab directory /nonexistent/labs: no such file or directory");
	T_EQ_INT(dbg_lab_open(&lab, "/nonexistent/labs", 1, &err), -ENOENT);
}

static void load_missing_file(void)
{
	struct dbg_lab lab;
	struct dbg_err err;

	T_EQ_INT(dbg_lab_load(&lab, "/nonexistent/01-x.bs", &err), -ENOENT);
	T_EQ_STR(err.msg, "cannot read lab file /nonexistent/01-x.bs: no such file or directory");
}

/* The labs shipped in labs: all registered, numbered 1..N, each
 * step with instructions and at least one check, questions to answer. */
static void shipped_labs(void)
{
	const char *dir = t_env("LAB_DIR");
	int count = atoi(t_env("LAB_COUNT"));
	struct dbg_lab_info *v;
	struct dbg_err err;
	size_t n, i, j;

	T_OK(dbg_lab_list(dir, &v, &n, &err), err);
	T_GE_INT(count, 8);
	T_EQ_INT(n, count);
	for (i = 0; i < n; i++) {
		struct dbg_lab lab;
		size_t asks = 0;

		T_EQ_INT(v[i].number, (int)i + 1);
		T_OK(dbg_lab_load(&lab, v[i].path, &err), err);
		if (lab.program) {
			char prog[600], go[600];
			struct stat sb;

			/* A bundled program, or a Go program the go suite builds
			 * with the Go toolchain (lab 11). */
			snprintf(prog, sizeof(prog), "%s/../target-runtime/cmd/%s/main.c", dir,
				 lab.program);
			snprintf(go, sizeof(go), "%s/../tests/go/progs/%s.go", dir, lab.program);
			if (stat(prog, &sb) != 0 && stat(go, &sb) != 0)
				T_FAIL("%s: #@program %s is not a bundled program", v[i].path,
				       lab.program);
		}
		for (j = 0; j < lab.nsteps; j++) {
			const struct dbg_lab_step *st = &lab.steps[j];

			if (!st->say)
				T_FAIL("%s:%d: step '%s' tells the student nothing (#@say)",
				       v[i].path, st->line, st->title);
			if (st->nexpect == 0)
				T_FAIL("%s:%d: step '%s' checks nothing (no expect)", v[i].path,
				       st->line, st->title);
			asks += st->nask;
		}
		if (asks == 0)
			T_FAIL("%s: lab %d asks no question (#@ask)", v[i].path, lab.number);
		dbg_lab_release(&lab);
	}
	dbg_lab_list_free(v, n);
}

/* #@bundled marks the next command, or every command of the next step. */
static void bundled_marks(void)
{
	struct dbg_lab lab;
	struct dbg_err err;

	T_OK(PARSE(&lab,
		   "#@lab 1 T\n#@step A\nrun\n#@bundled\nexpect $rdi == 1\nexpect 1\n"
		   "#@bundled\n#@step B\n#@say s\nstepi\nexpect 2\n",
		   &err),
	     err);
	T_EQ_INT(lab.nexpect, 3);
	T_EQ_INT(lab.nonly, 2);
	T_EQ_INT(lab.steps[0].only, 0);
	T_EQ_INT(lab.steps[0].cmds[0].only, 0);
	T_EQ_INT(lab.steps[0].cmds[1].only, DBG_LAB_BUNDLED);
	T_EQ_INT(lab.steps[0].cmds[2].only, 0);
	T_EQ_INT(lab.steps[1].only, DBG_LAB_BUNDLED);
	T_TRUE(lab.steps[1].cmds[0].only == DBG_LAB_BUNDLED &&
	       lab.steps[1].cmds[1].only == DBG_LAB_BUNDLED);
	dbg_lab_release(&lab);
	T_TRUE(dbg_lab_runs(DBG_LAB_BUNDLED, dbg_lab_kinds(NULL, false, false)));
	T_FALSE(dbg_lab_runs(DBG_LAB_BUNDLED, dbg_lab_kinds("go1.19.8", false, false)));

	expect_error("#@lab 1 T\n#@step S\n#@bundled x\nrun\n",
		     "t.bs:3: #@bundled takes no argument, not 'x'");
	expect_error("#@lab 1 T\n#@step S\n#@bundled\n#@ask q\nrun\n",
		     "t.bs:4: #@only/#@bundled (line 3) must be followed by a command or #@step");
	expect_error("#@lab 1 T\n#@step S\nrun\n#@bundled\n",
		     "t.bs:4: #@only/#@bundled must be followed by a command or #@step");
}

/* #@only KIND: kinds of binary a command needs; several lines add up. */
static void only_marks(void)
{
	struct dbg_lab lab;
	struct dbg_err err;

	T_OK(PARSE(&lab,
		   "#@lab 1 T\n#@step A\nrun\n#@only cgo\nexpect 1\n#@only static\n"
		   "#@only nocgo\nexpect 2\n#@only dynamic\n#@step B\nexpect 3\n",
		   &err),
	     err);
	T_EQ_INT(lab.nonly, 3);
	T_EQ_INT(lab.steps[0].cmds[1].only, DBG_LAB_CGO);
	T_EQ_INT(lab.steps[0].cmds[2].only, DBG_LAB_STATIC | DBG_LAB_NOCGO);
	T_EQ_INT(lab.steps[1].cmds[0].only, DBG_LAB_DYNAMIC);
	dbg_lab_release(&lab);

	unsigned go_static = dbg_lab_kinds("go1.19.8", false, false);
	unsigned go_cgo = dbg_lab_kinds("go1.19.8", true, true);
	unsigned go_pie = dbg_lab_kinds("go1.19.8", true, false);
	T_TRUE(dbg_lab_runs(0, go_cgo));
	T_TRUE(dbg_lab_runs(DBG_LAB_CGO, go_cgo));
	T_FALSE(dbg_lab_runs(DBG_LAB_CGO, go_pie));
	T_TRUE(dbg_lab_runs(DBG_LAB_STATIC | DBG_LAB_NOCGO, go_static));
	T_FALSE(dbg_lab_runs(DBG_LAB_STATIC | DBG_LAB_NOCGO, go_pie));
	T_EQ_STR(dbg_lab_skip_reason(DBG_LAB_STATIC | DBG_LAB_NOCGO, go_pie),
		 "static binaries only");
	T_EQ_STR(dbg_lab_skip_reason(DBG_LAB_NOCGO, go_cgo), "binaries without cgo only");
	T_EQ_STR(dbg_lab_skip_reason(DBG_LAB_BUNDLED, go_static), "bundled runtime only");

	expect_error("#@lab 1 T\n#@step S\n#@only pie\nrun\n",
		     "t.bs:3: #@only takes one kind of binary: bundled, static, dynamic, cgo or nocgo, not 'pie'");
}

static const struct t_case cases[] = {
	T_CASE(bundled_marks),
	T_CASE(only_marks),
	T_CASE(parse_good),
	T_CASE(minimal_defaults),
	T_CASE(error_unknown_directive),
	T_CASE(error_step_without_commands),
	T_CASE(error_header),
	T_CASE(error_order),
	T_CASE(error_bad_commands),
	T_CASE(merge_env),
	T_CASE(env_defaults),
	T_CASE(variants),
	T_CASE(dir_list_and_open),
	T_CASE(load_missing_file),
	T_CASE(shipped_labs),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, T_COUNT(cases));
}
