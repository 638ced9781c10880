/* lab — parse teaching lab files, find them in a directory, read their
 * checks from expect events (see lab.h). */
#include "lab.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "event.h"
#include "expr.h"

/* ---- small helpers ------------------------------------------------------- */

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* v (elements of size sz, *cap of them) grown so that index n is valid
 * (err.h: running out of memory aborts). */
static void *grow(void *v, size_t *cap, size_t n, size_t sz)
{
	return dbg_grow(v, cap, n + 1, sz);
}

/* Append s to a NULL-terminated string vector (*v, *n entries). */
static int vec_push(char ***v, size_t *n, size_t *cap, char *s)
{
	char **nv = grow(*v, cap, *n + 1, sizeof(**v));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
	return 0;
}

static void vec_free(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/*
 * Add one #@say line to *text (may be NULL): consecutive lines form one
 * paragraph (joined with a space, so the front end can wrap it); an empty
 * #@say line ends the paragraph ('\n').
 */
static int append_say(char **text, const char *s)
{
	size_t old = *text ? strlen(*text) : 0, n = strlen(s);
	bool sep = old && n && (*text)[old - 1] != '\n';
	char *t;

	if (!n && (!old || (*text)[old - 1] == '\n'))
		return 0;
	t = realloc(*text, old + n + 2);
	if (!t)
		return -ENOMEM;
	if (sep)
		t[old++] = ' ';
	if (!n)
		t[old++] = '\n';
	memcpy(t + old, s, n + 1);
	*text = t;
	return 0;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* A positive decimal int filling [s, s + n). */
static bool parse_pos_int(const char *s, size_t n, int *out)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 9)
		return false;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1)
		return false;
	*out = (int)v;
	return true;
}

/* ---- parsing ------------------------------------------------------------- */

struct parser {
	struct dbg_lab *lab;
	const char *path;
	int line;
	struct dbg_err *err;
	size_t steps_cap, args_cap, env_cap, cmds_cap, ask_cap;
	struct dbg_cmd *cmd;    /* scratch for dbg_cmd_parse (large) */
	struct dbg_arena arena; /* scratch for expression trees */
	int only_line;          /* a #@only/#@bundled waiting for its line, or 0 */
	unsigned only;          /* the kinds it (and any before it) named */
};

__attribute__((format(printf, 3, 4))) static int fail(struct parser *p, int code, const char *fmt,
						      ...)
{
	char msg[sizeof(p->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dbg_err_set(p->err, code, "%s:%d: %s", p->path, p->line, msg);
}

static int oom(struct parser *p)
{
	return dbg_err_set(p->err, -ENOMEM, "%s:%d: out of memory", p->path, p->line);
}

static struct dbg_lab_step *cur_step(struct parser *p)
{
	return p->lab->nsteps ? &p->lab->steps[p->lab->nsteps - 1] : NULL;
}

/* A step is complete when it has a command; checked when the next starts
 * and at the end of the file. */
static int close_step(struct parser *p)
{
	struct dbg_lab_step *st = cur_step(p);

	if (st && st->ncmds == 0)
		return dbg_err_set(p->err, -EINVAL, "%s:%d: step '%s' has no commands", p->path,
				   st->line, st->title);
	return 0;
}

static int do_lab(struct parser *p, const char *arg)
{
	size_t n = strcspn(arg, " \t");
	const char *title = arg + n;

	while (is_ws(*title))
		title++;
	if (p->lab->number)
		return fail(p, -EINVAL, "a second #@lab line");
	if (!parse_pos_int(arg, n, &p->lab->number))
		return fail(p, -EINVAL,
			    "#@lab needs a lab number (1, 2, ...) then a title, not '%s'", arg);
	if (!*title)
		return fail(p, -EINVAL, "#@lab %d needs a title", p->lab->number);
	p->lab->title = strdup(title);
	return p->lab->title ? 0 : oom(p);
}

static int do_program(struct parser *p, const char *arg)
{
	const char *s = arg;

	if (p->lab->nsteps)
		return fail(p, -EINVAL, "#@program must come before the first #@step");
	if (p->lab->program)
		return fail(p, -EINVAL, "a second #@program line");
	if (!*arg)
		return fail(p, -EINVAL, "#@program needs a program name");
	while (*s) {
		size_t n = strcspn(s, " \t");
		char *w = dup_n(s, n);

		if (!w)
			return oom(p);
		if (!p->lab->program)
			p->lab->program = w;
		else if (vec_push(&p->lab->args, &p->lab->nargs, &p->args_cap, w) < 0) {
			free(w);
			return oom(p);
		}
		s += n;
		while (is_ws(*s))
			s++;
	}
	return 0;
}

static int do_env(struct parser *p, const char *arg)
{
	size_t name = strcspn(arg, "?=");
	bool weak = arg[name] == '?';
	bool *d;
	char *e;

	if (p->lab->nsteps)
		return fail(p, -EINVAL, "#@env must come before the first #@step");
	if (name == 0 || (weak && arg[name + 1] != '=') || (!weak && arg[name] != '=') ||
	    strcspn(arg, " \t") < name)
		return fail(p, -EINVAL, "#@env needs NAME=VALUE or NAME?=VALUE, not '%s'", arg);
	e = malloc(strlen(arg) + 1);
	if (!e)
		return oom(p);
	/* NAME?=VALUE is kept as NAME=VALUE, its weakness beside it */
	memcpy(e, arg, name);
	strcpy(e + name, arg + name + weak);
	d = realloc(p->lab->env_default, (p->lab->nenv + 1) * sizeof(*d));
	if (!d || vec_push(&p->lab->env, &p->lab->nenv, &p->env_cap, e) < 0) {
		if (d)
			p->lab->env_default = d;
		free(e);
		return oom(p);
	}
	p->lab->env_default = d;
	d[p->lab->nenv - 1] = weak;
	return 0;
}

static bool is_name(const char *s, size_t n)
{
	if (!n || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* "LO..HI" filling s: true with the bounds. */
static bool parse_range(const char *s, long *lo, long *hi)
{
	char *end;

	errno = 0;
	*lo = strtol(s, &end, 10);
	if (end == s || strncmp(end, "..", 2) != 0 || errno)
		return false;
	s = end + 2;
	*hi = strtol(s, &end, 10);
	return end != s && !*end && !errno;
}

static int do_vary(struct parser *p, const char *arg)
{
	struct dbg_lab *lab = p->lab;
	size_t n = strcspn(arg, " \t");
	const char *spec = arg + n;
	struct dbg_lab_vary *v;

	while (is_ws(*spec))
		spec++;
	if (lab->nsteps)
		return fail(p, -EINVAL, "#@vary must come before the first #@step");
	if (!is_name(arg, n) || !*spec)
		return fail(p, -EINVAL,
			    "#@vary needs NAME LO..HI or NAME A|B|C (NAME: ARGS, ENVSIZE or a variable), not '%s'",
			    arg);
	for (size_t i = 0; i < lab->nvary; i++)
		if (strlen(lab->vary[i].name) == n && strncmp(lab->vary[i].name, arg, n) == 0)
			return fail(p, -EINVAL, "a second #@vary %.*s (line %d)", (int)n, arg,
				    lab->vary[i].line);
	v = realloc(lab->vary, (lab->nvary + 1) * sizeof(*v));
	if (!v)
		return oom(p);
	lab->vary = v;
	v = &lab->vary[lab->nvary];
	memset(v, 0, sizeof(*v));
	v->line = p->line;
	v->name = dup_n(arg, n);
	if (!v->name)
		return oom(p);
	lab->nvary++;
	if (parse_range(spec, &v->lo, &v->hi)) {
		if (v->lo > v->hi || v->hi - v->lo > 1000000)
			return fail(p, -EINVAL,
				    "#@vary %s: LO..HI needs LO <= HI, at most 1000001 values",
				    v->name);
		v->range = true;
	} else {
		size_t cap = 1;

		v->alts = calloc(1, sizeof(*v->alts));
		if (!v->alts)
			return oom(p);
		for (const char *s = spec;;) {
			size_t k = strcspn(s, "|"), t = k;
			const char *a = s;
			char *w;

			while (t && is_ws(*a)) {
				a++;
				t--;
			}
			while (t && is_ws(a[t - 1]))
				t--;
			w = dup_n(a, t);
			if (!w || vec_push(&v->alts, &v->nalts, &cap, w) < 0) {
				free(w);
				return oom(p);
			}
			if (!s[k])
				break;
			s += k + 1;
		}
	}
	if (strcmp(v->name, "ENVSIZE") == 0 && (!v->range || v->lo < 0 || v->hi > 65536))
		return fail(p, -EINVAL,
			    "#@vary ENVSIZE takes a range of sizes in 0..65536, not '%s'", spec);
	return 0;
}

static int do_step(struct parser *p, const char *arg)
{
	struct dbg_lab *lab = p->lab;
	struct dbg_lab_step *st;
	int rc;

	if (!*arg)
		return fail(p, -EINVAL, "#@step needs a title");
	rc = close_step(p);
	if (rc < 0)
		return rc;
	st = grow(lab->steps, &p->steps_cap, lab->nsteps, sizeof(*lab->steps));
	if (!st)
		return oom(p);
	lab->steps = st;
	st = &lab->steps[lab->nsteps];
	memset(st, 0, sizeof(*st));
	st->line = p->line;
	st->title = strdup(arg);
	st->ask = calloc(1, sizeof(*st->ask));
	if (!st->title || !st->ask) {
		free(st->title);
		free(st->ask);
		return oom(p);
	}
	st->only = p->only;
	p->only_line = 0;
	p->only = 0;
	lab->nsteps++;
	p->cmds_cap = 0;
	p->ask_cap = 1;
	return 0;
}

static int do_say(struct parser *p, const char *arg)
{
	struct dbg_lab_step *st = cur_step(p);

	if (append_say(st ? &st->say : &p->lab->intro, arg) < 0)
		return oom(p);
	return 0;
}

static int do_ask(struct parser *p, const char *arg)
{
	struct dbg_lab_step *st = cur_step(p);
	struct dbg_lab_answer *a;
	char *q;

	if (!st)
		return fail(p, -EINVAL, "#@ask outside a step (write #@step first)");
	if (!*arg)
		return fail(p, -EINVAL, "#@ask needs a question");
	q = strdup(arg);
	if (!q || vec_push(&st->ask, &st->nask, &p->ask_cap, q) < 0) {
		free(q);
		return oom(p);
	}
	a = realloc(st->answers, st->nask * sizeof(*a));
	if (!a)
		return oom(p);
	st->answers = a;
	memset(&a[st->nask - 1], 0, sizeof(*a));
	return 0;
}

/* The step's last question, for #@answer. */
static int do_answer(struct parser *p, const char *arg)
{
	struct dbg_lab_step *st = cur_step(p);
	struct dbg_lab_answer *a;
	size_t n = strcspn(arg, " \t");
	const char *rest = arg + n;
	char *end;

	while (is_ws(*rest))
		rest++;
	if (!st || st->nask == 0)
		return fail(p, -EINVAL, "#@answer must follow an #@ask");
	a = &st->answers[st->nask - 1];
	if (a->kind != DBG_LAB_ANS_NONE)
		return fail(p, -EINVAL, "a second #@answer for one question (line %d)", a->line);
	if (!*rest)
		return fail(p, -EINVAL,
			    "#@answer takes exact TEXT, expr EXPR, words W..., or number N [+- T]");
	if (n == 5 && strncmp(arg, "exact", 5) == 0) {
		a->kind = DBG_LAB_ANS_EXACT;
	} else if (n == 4 && strncmp(arg, "expr", 4) == 0) {
		struct dbg_expr *e;
		struct dbg_err perr;
		const char *pm = strstr(rest, "+-");
		size_t elen = pm ? (size_t)(pm - rest) : strlen(rest);
		char *text;
		int rc;

		if (pm) {
			const char *t = pm + 2;

			a->tolerance = strtod(t, &end);
			while (is_ws(*end))
				end++;
			if (end == t || a->tolerance < 0 || *end)
				return fail(p, -EINVAL, "#@answer expr EXPR +- T needs T >= 0");
		}
		while (elen && is_ws(rest[elen - 1]))
			elen--;
		text = dup_n(rest, elen);
		if (!text)
			return oom(p);
		rc = dbg_expr_parse(&p->arena, text, &e, &perr);
		dbg_arena_reset(&p->arena);
		if (rc < 0) {
			free(text);
			return fail(p, -EINVAL, "%s", perr.msg);
		}
		a->kind = DBG_LAB_ANS_EXPR;
		a->line = p->line;
		a->text = text;
		p->lab->nanswers++;
		return 0;
	} else if (n == 5 && strncmp(arg, "words", 5) == 0) {
		a->kind = DBG_LAB_ANS_WORDS;
	} else if (n == 6 && strncmp(arg, "number", 6) == 0) {
		a->value = strtod(rest, &end);
		while (is_ws(*end))
			end++;
		if (end == rest)
			return fail(p, -EINVAL, "#@answer number needs a number, not '%s'", rest);
		if (strncmp(end, "+-", 2) == 0) {
			const char *t = end + 2;

			a->tolerance = strtod(t, &end);
			if (end == t || a->tolerance < 0)
				return fail(p, -EINVAL, "#@answer number N +- T needs T >= 0");
			while (is_ws(*end))
				end++;
		}
		if (*end)
			return fail(p, -EINVAL, "#@answer number N [+- T], not '%s'", rest);
		a->kind = DBG_LAB_ANS_NUMBER;
	} else {
		return fail(p, -EINVAL,
			    "#@answer takes exact TEXT, expr EXPR, words W..., or number N [+- T], not '%.*s'",
			    (int)n, arg);
	}
	a->line = p->line;
	a->text = strdup(rest);
	if (!a->text)
		return oom(p);
	p->lab->nanswers++;
	return 0;
}

static int do_reveal(struct parser *p, const char *arg)
{
	if (p->lab->nsteps)
		return fail(p, -EINVAL, "#@reveal must come before the first #@step");
	if (strcmp(arg, "after-submit") != 0)
		return fail(p, -EINVAL, "#@reveal takes after-submit, not '%s'", arg);
	p->lab->reveal = true;
	return 0;
}

static const struct kind {
	const char *name;
	unsigned bit;
	const char *reason; /* when a program lacks it */
} kinds[] = {
	{ "bundled", DBG_LAB_BUNDLED, "bundled runtime only" },
	{ "static", DBG_LAB_STATIC, "static binaries only" },
	{ "dynamic", DBG_LAB_DYNAMIC, "dynamically linked binaries only" },
	{ "cgo", DBG_LAB_CGO, "cgo binaries only" },
	{ "nocgo", DBG_LAB_NOCGO, "binaries without cgo only" },
};

#define ONLY_USAGE "#@only takes one kind of binary: bundled, static, dynamic, cgo or nocgo"

/* The bit of the kind named by the n bytes at name, or 0. */
static unsigned kind_bit(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].name) == n && strncmp(name, kinds[i].name, n) == 0)
			return kinds[i].bit;
	return 0;
}

const char *dbg_lab_skip_reason(unsigned only, unsigned have)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((only & kinds[i].bit) && !(have & kinds[i].bit))
			return kinds[i].reason;
	return "not for this program";
}

int dbg_lab_line_mark(const char *line, unsigned *bit, struct dbg_err *err)
{
	line += strspn(line, " \t");
	if (strncmp(line, "#@step", 6) == 0 && (!line[6] || isspace((unsigned char)line[6])))
		return 2;
	/* the mark and its argument, trailing blanks aside, as the lab
	 * parser takes them */
	size_t n = strlen(line);
	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	bool bundled = strncmp(line, "#@bundled", 9) == 0;
	bool only = strncmp(line, "#@only", 6) == 0;
	size_t name = bundled ? 9 : 6;
	if ((!bundled && !only) || (n > name && !isspace((unsigned char)line[name])))
		return 0;
	const char *arg = line + name + strspn(line + name, " \t");
	int k = (int)(n - (size_t)(arg - line));
	if (bundled && k > 0)
		return dbg_err_set(err, -EINVAL, "#@bundled takes no argument, not '%.*s'", k, arg);
	*bit = bundled ? DBG_LAB_BUNDLED : kind_bit(arg, (size_t)k);
	if (!*bit)
		return dbg_err_set(err, -EINVAL, "%s, not '%.*s'", ONLY_USAGE, k, arg);
	return 1;
}

unsigned dbg_lab_program_kinds(struct dbg_session *s)
{
	const struct dbg_elf *elf = dbg_session_elf(s);
	return dbg_lab_kinds(dbg_elf_go_version(elf), dbg_elf_interp(elf) != NULL,
			     dbg_session_stages(s)->cgo);
}

static int add_only(struct parser *p, unsigned bit)
{
	p->only_line = p->line;
	p->only |= bit;
	return 0;
}

static int do_bundled(struct parser *p, const char *arg)
{
	if (*arg)
		return fail(p, -EINVAL, "#@bundled takes no argument, not '%s'", arg);
	return add_only(p, DBG_LAB_BUNDLED);
}

static int do_only(struct parser *p, const char *arg)
{
	unsigned bit = kind_bit(arg, strlen(arg));
	return bit ? add_only(p, bit) : fail(p, -EINVAL, "%s, not '%s'", ONLY_USAGE, arg);
}

static const struct directive {
	const char *name;
	int (*fn)(struct parser *p, const char *arg);
} directives[] = {
	{ "lab", do_lab },         { "program", do_program }, { "env", do_env },
	{ "step", do_step },       { "say", do_say },         { "ask", do_ask },
	{ "bundled", do_bundled }, { "only", do_only },       { "answer", do_answer },
	{ "reveal", do_reveal },   { "vary", do_vary },
};

static int directive(struct parser *p, const char *s)
{
	size_t n = strcspn(s, " \t"), i;
	const char *arg = s + n;

	while (is_ws(*arg))
		arg++;
	for (i = 0; i < sizeof(directives) / sizeof(directives[0]); i++) {
		if (strlen(directives[i].name) != n || strncmp(directives[i].name, s, n) != 0)
			continue;
		if (!p->lab->number && directives[i].fn != do_lab)
			return fail(p, -EINVAL, "the file must start with #@lab N TITLE");
		if (p->only_line && directives[i].fn != do_step && directives[i].fn != do_only &&
		    directives[i].fn != do_bundled)
			return fail(p, -EINVAL,
				    "#@only/#@bundled (line %d) must be followed by a command or #@step",
				    p->only_line);
		return directives[i].fn(p, arg);
	}
	return fail(p, -EINVAL,
		    "unknown directive '#@%.*s' (known: lab, program, env, vary, reveal, step, say, ask, answer, bundled, only)",
		    (int)n, s);
}

/* A command line: it must parse, and so must an expect's or print's
 * expression, so a typo shows when the lab is loaded, not mid-way. */
static int command(struct parser *p, const char *s)
{
	struct dbg_lab_step *st = cur_step(p);
	struct dbg_lab_cmd *c;
	struct dbg_expr *e;
	struct dbg_err perr;

	if (!p->lab->number)
		return fail(p, -EINVAL, "the file must start with #@lab N TITLE");
	if (!st)
		return fail(p, -EINVAL, "command '%s' before the first #@step", s);
	if (dbg_cmd_parse(s, p->cmd, &perr) < 0)
		return fail(p, -EINVAL, "%s", perr.msg);
	if (p->cmd->id == DBG_CMD_EXPECT || p->cmd->id == DBG_CMD_PRINT) {
		int rc = dbg_expr_parse(&p->arena, p->cmd->args, &e, &perr);

		dbg_arena_reset(&p->arena);
		if (rc < 0)
			return fail(p, -EINVAL, "%s", perr.msg);
	}
	c = grow(st->cmds, &p->cmds_cap, st->ncmds, sizeof(*st->cmds));
	if (!c)
		return oom(p);
	st->cmds = c;
	c = &st->cmds[st->ncmds];
	c->text = strdup(s);
	if (!c->text)
		return oom(p);
	c->line = p->line;
	c->expect = p->cmd->id == DBG_CMD_EXPECT;
	c->restarts = p->cmd->id == DBG_CMD_RUN || p->cmd->id == DBG_CMD_STARTI;
	c->switches = p->cmd->id == DBG_CMD_THREAD || p->cmd->id == DBG_CMD_FRAME ||
		      p->cmd->id == DBG_CMD_UP || p->cmd->id == DBG_CMD_DOWN;
	switch (p->cmd->id) {
	case DBG_CMD_CONTINUE:
	case DBG_CMD_STEPI:
	case DBG_CMD_NEXTI:
	case DBG_CMD_FINISH:
	case DBG_CMD_UNTIL:
	case DBG_CMD_ADVANCE:
	case DBG_CMD_STEP:
	case DBG_CMD_NEXT:
	case DBG_CMD_STAGE:
		c->moves = true;
		break;
	default:
		c->moves = false;
	}
	c->only = st->only | p->only;
	p->only_line = 0;
	p->only = 0;
	st->ncmds++;
	if (c->expect) {
		st->nexpect++;
		p->lab->nexpect++;
		if (c->only)
			p->lab->nonly++;
	}
	return 0;
}

static int one_line(struct parser *p, const char *s, size_t n)
{
	char *line;
	int rc;

	while (n && is_ws(*s)) {
		s++;
		n--;
	}
	while (n && is_ws(s[n - 1]))
		n--;
	if (n == 0 || (s[0] == '#' && (n == 1 || s[1] != '@')))
		return 0;
	if (n >= DBG_CMD_MAX)
		return fail(p, -EINVAL, "line too long (%zu bytes)", n);
	line = dup_n(s, n);
	if (!line)
		return oom(p);
	if (memchr(line, '\0', n))
		rc = fail(p, -EINVAL, "a NUL byte in the line");
	else if (line[0] == '#')
		rc = directive(p, line + 2);
	else
		rc = command(p, line);
	free(line);
	return rc;
}

static int init_vectors(struct dbg_lab *lab)
{
	lab->args = calloc(1, sizeof(*lab->args));
	lab->env = calloc(1, sizeof(*lab->env));
	return lab->args && lab->env ? 0 : -ENOMEM;
}

int dbg_lab_parse(struct dbg_lab *lab, const char *path, const char *text, size_t len,
		  struct dbg_err *err)
{
	struct parser p;
	size_t pos = 0;
	int rc = 0;

	memset(lab, 0, sizeof(*lab));
	memset(&p, 0, sizeof(p));
	p.lab = lab;
	p.path = path;
	p.err = err;
	p.args_cap = p.env_cap = 1;
	p.cmd = malloc(sizeof(*p.cmd));
	lab->path = strdup(path);
	if (!p.cmd || !lab->path || init_vectors(lab) < 0) {
		rc = dbg_err_set(err, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	dbg_arena_init(&p.arena);
	while (pos < len && rc == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		p.line++;
		rc = one_line(&p, text + pos, n);
		pos += n + 1;
	}
	dbg_arena_release(&p.arena);
	if (rc < 0)
		goto out;
	if (p.only_line) {
		rc = dbg_err_set(err, -EINVAL,
				 "%s:%d: #@only/#@bundled must be followed by a command or #@step",
				 path, p.only_line);
		goto out;
	}
	if (!lab->number) {
		rc = dbg_err_set(err, -EINVAL, "%s: not a lab file: no #@lab line", path);
		goto out;
	}
	if (!lab->nsteps) {
		rc = dbg_err_set(err, -EINVAL, "%s: lab %d has no #@step", path, lab->number);
		goto out;
	}
	rc = close_step(&p);
out:
	free(p.cmd);
	if (rc < 0)
		dbg_lab_release(lab);
	return rc;
}

int dbg_lab_load(struct dbg_lab *lab, const char *path, struct dbg_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	memset(lab, 0, sizeof(*lab));
	if (!f)
		return dbg_err_errno(err, -errno, "cannot read lab file %s", path);
	for (;;) {
		char *nb = grow(buf, &cap, len + 4096, 1);
		size_t k;

		if (!nb) {
			rc = dbg_err_set(err, -ENOMEM, "%s: out of memory", path);
			goto out;
		}
		buf = nb;
		k = fread(buf + len, 1, cap - len, f);
		len += k;
		if (k == 0)
			break;
	}
	if (ferror(f)) {
		rc = dbg_err_errno(err, -EIO, "cannot read lab file %s", path);
		goto out;
	}
	rc = dbg_lab_parse(lab, path, buf, len, err);
out:
	free(buf);
	fclose(f);
	return rc;
}

void dbg_lab_release(struct dbg_lab *lab)
{
	size_t i, j;

	for (i = 0; i < lab->nsteps; i++) {
		struct dbg_lab_step *st = &lab->steps[i];

		free(st->title);
		free(st->say);
		vec_free(st->ask);
		for (j = 0; st->answers && j < st->nask; j++)
			free(st->answers[j].text);
		free(st->answers);
		for (j = 0; j < st->ncmds; j++)
			free(st->cmds[j].text);
		free(st->cmds);
	}
	free(lab->steps);
	free(lab->title);
	free(lab->path);
	free(lab->intro);
	free(lab->program);
	vec_free(lab->args);
	vec_free(lab->env);
	free(lab->env_default);
	free(lab->variant);
	for (i = 0; i < lab->nvary; i++) {
		free(lab->vary[i].name);
		vec_free(lab->vary[i].alts);
	}
	free(lab->vary);
	memset(lab, 0, sizeof(*lab));
}

/* ---- a directory of labs ------------------------------------------------- */

/* The number in a lab file name "NN-name.bs", or 0 for other names. */
static int name_number(const char *name)
{
	size_t d = strspn(name, "0123456789"), n = strlen(name);
	int num;

	if (d == 0 || name[d] != '-' || n < d + 4 || strcmp(name + n - 3, ".bs") != 0 ||
	    !parse_pos_int(name, d, &num))
		return 0;
	return num;
}

static int cmp_info(const void *a, const void *b)
{
	const struct dbg_lab_info *x = a, *y = b;

	return (x->number > y->number) - (x->number < y->number);
}

static char *join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%s%s", dir, *dir && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return s;
}

int dbg_lab_list(const char *dir, struct dbg_lab_info **out, size_t *n, struct dbg_err *err)
{
	struct dbg_lab_info *v = NULL;
	size_t nv = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	*out = NULL;
	*n = 0;
	d = opendir(dir);
	if (!d)
		return dbg_err_errno(err, -errno, "cannot open the lab directory %s", dir);
	while ((de = readdir(d)) != NULL) {
		int num = name_number(de->d_name);
		struct dbg_lab_info *nvv;
		struct dbg_lab lab;
		char *path;

		if (!num)
			continue;
		nvv = grow(v, &cap, nv, sizeof(*v));
		if (nvv)
			v = nvv;
		path = join_path(dir, de->d_name);
		if (!path || !nvv) {
			free(path);
			rc = dbg_err_set(err, -ENOMEM, "cannot list labs: out of memory");
			goto out;
		}
		rc = dbg_lab_load(&lab, path, err);
		if (rc < 0) {
			free(path);
			goto out;
		}
		if (lab.number != num) {
			rc = dbg_err_set(err, -EINVAL,
					 "%s: the file name says lab %d but #@lab says %d", path,
					 num, lab.number);
			dbg_lab_release(&lab);
			free(path);
			goto out;
		}
		v[nv].number = num;
		v[nv].title = lab.title;
		v[nv].path = path;
		lab.title = NULL;
		dbg_lab_release(&lab);
		nv++;
	}
	if (nv > 1)
		qsort(v, nv, sizeof(*v), cmp_info);
	for (i = 1; i < nv; i++)
		if (v[i].number == v[i - 1].number) {
			rc = dbg_err_set(err, -EINVAL, "two files are lab %d: %s and %s",
					 v[i].number, v[i - 1].path, v[i].path);
			goto out;
		}
out:
	closedir(d);
	if (rc < 0) {
		dbg_lab_list_free(v, nv);
		return rc;
	}
	*out = v;
	*n = nv;
	return 0;
}

void dbg_lab_list_free(struct dbg_lab_info *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].path);
	}
	free(v);
}

int dbg_lab_open(struct dbg_lab *lab, const char *dir, int number, struct dbg_err *err)
{
	struct dbg_lab_info *v;
	size_t n, i;
	int rc;

	memset(lab, 0, sizeof(*lab));
	rc = dbg_lab_list(dir, &v, &n, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (v[i].number == number)
			break;
	if (i == n) {
		if (n == 0)
			rc = dbg_err_set(err, -ENOENT, "no lab %d in %s: it has no lab files",
					 number, dir);
		else
			rc = dbg_err_set(err, -ENOENT, "no lab %d in %s; labs: %d-%d", number, dir,
					 v[0].number, v[n - 1].number);
	} else {
		rc = dbg_lab_load(lab, v[i].path, err);
	}
	dbg_lab_list_free(v, n);
	return rc;
}

const char dbg_lab_default_godebug[] = "GODEBUG=asyncpreemptoff=1";

int dbg_lab_merge_env(const struct dbg_lab *lab, char *const *base, char ***out,
		      struct dbg_err *err)
{
	size_t nbase = 0, n = 0, i, j;
	char **v;

	while (base && base[nbase])
		nbase++;
	v = calloc(nbase + lab->nenv + 2, sizeof(*v));
	if (!v)
		return dbg_err_set(err, -ENOMEM, "cannot build the environment: out of memory");
	for (i = 0; i < nbase; i++)
		v[n++] = base[i];
	for (i = 0; i < lab->nenv; i++) {
		size_t klen = strcspn(lab->env[i], "=") + 1;

		for (j = 0; j < n; j++)
			if (strncmp(v[j], lab->env[i], klen) == 0)
				break;
		/* NAME?=VALUE: the caller's NAME wins */
		if (j < n && j < nbase && lab->env_default && lab->env_default[i])
			continue;
		v[j] = lab->env[i];
		if (j == n)
			n++;
	}
	/* Go's asynchronous preemption (SIGURG from sysmon, on a timer)
	 * would make each run of a lab differ; an explicit GODEBUG wins. */
	for (j = 0; j < n; j++)
		if (strncmp(v[j], "GODEBUG=", 8) == 0)
			break;
	if (j == n)
		v[n++] = (char *)dbg_lab_default_godebug;
	v[n] = NULL;
	*out = v;
	return 0;
}

/* ---- variants ------------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* Set NAME=VALUE (value: len bytes) in lab->env, a strong entry. */
static int set_env(struct dbg_lab *lab, const char *name, const char *value, size_t len)
{
	size_t nl = strlen(name), i;
	char *e = malloc(nl + len + 2);
	char **nv;
	bool *nd;

	if (!e)
		return -ENOMEM;
	memcpy(e, name, nl);
	e[nl] = '=';
	memcpy(e + nl + 1, value, len);
	e[nl + 1 + len] = '\0';
	for (i = 0; i < lab->nenv; i++)
		if (strncmp(lab->env[i], e, nl + 1) == 0) {
			free(lab->env[i]);
			lab->env[i] = e;
			lab->env_default[i] = false;
			return 0;
		}
	nv = realloc(lab->env, (lab->nenv + 2) * sizeof(*nv));
	if (nv)
		lab->env = nv;
	nd = realloc(lab->env_default, (lab->nenv + 1) * sizeof(*nd));
	if (nd)
		lab->env_default = nd;
	if (!nv || !nd) {
		free(e);
		return -ENOMEM;
	}
	lab->env[lab->nenv] = e;
	lab->env_default[lab->nenv] = false;
	lab->env[++lab->nenv] = NULL;
	return 0;
}

/* Replace lab->args by the words of s. */
static int set_args(struct dbg_lab *lab, const char *s)
{
	char **v = calloc(strlen(s) / 2 + 2, sizeof(*v));
	size_t n = 0;

	if (!v)
		return -ENOMEM;
	while (is_ws(*s))
		s++;
	while (*s) {
		size_t k = strcspn(s, " \t");

		v[n] = dup_n(s, k);
		if (!v[n++]) {
			vec_free(v);
			return -ENOMEM;
		}
		s += k;
		while (is_ws(*s))
			s++;
	}
	vec_free(lab->args);
	lab->args = v;
	lab->nargs = n;
	return 0;
}

int dbg_lab_apply_variant(struct dbg_lab *lab, const char *student, char *desc, size_t n,
			  struct dbg_err *err)
{
	size_t used = 0;

	if (n)
		desc[0] = '\0';
	for (size_t i = 0; i < lab->nvary; i++) {
		const struct dbg_lab_vary *v = &lab->vary[i];
		uint64_t h = fnv(0xcbf29ce484222325ull, student, strlen(student) + 1);
		char num[32], *pad = NULL;
		const char *val;
		int rc;

		h = fnv(h, &lab->number, sizeof(lab->number));
		h = fnv(h, v->name, strlen(v->name));
		if (v->range) {
			snprintf(num, sizeof(num), "%ld",
				 v->lo + (long)(h % (uint64_t)(v->hi - v->lo + 1)));
			val = num;
		} else {
			val = v->alts[h % v->nalts];
		}
		if (strcmp(v->name, "ARGS") == 0) {
			rc = set_args(lab, val);
		} else if (strcmp(v->name, "ENVSIZE") == 0) {
			size_t k = (size_t)strtoul(val, NULL, 10);

			pad = malloc(k + 1);
			rc = pad ? 0 : -ENOMEM;
			if (pad) {
				memset(pad, 'x', k);
				rc = set_env(lab, DBG_LAB_PAD_VAR, pad, k);
			}
			free(pad);
		} else {
			rc = set_env(lab, v->name, val, strlen(val));
		}
		if (rc < 0)
			return dbg_err_set(err, rc, "cannot make the variant: out of memory");
		if (used < n) {
			int w = snprintf(desc + used, n - used, "%s%s=%s", i ? ", " : "", v->name,
					 val);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	free(lab->variant);
	lab->variant = lab->nvary && n ? strdup(desc) : NULL;
	if (lab->nvary && n && !lab->variant)
		return dbg_err_set(err, -ENOMEM, "cannot make the variant: out of memory");
	return 0;
}

/* ---- checks ------------------------------------------------------------- */

static const struct dbg_val truth = { .kind = DBG_VAL_BOOL, .b = true };

void dbg_lab_check_of(const struct dbg_val *expect, struct dbg_lab_check *c)
{
	const struct dbg_val *ok = dbg_val_get(expect, "ok");
	const struct dbg_val *lhs = dbg_val_get(expect, "lhs");
	const struct dbg_val *rhs = dbg_val_get(expect, "rhs");

	c->pass = ok && ok->kind == DBG_VAL_BOOL && ok->b;
	c->op = dbg_val_get_str(expect, "op");
	if (c->op && lhs && rhs) {
		c->expected = dbg_val_get(rhs, "value");
		c->actual = dbg_val_get(lhs, "value");
	} else {
		c->op = NULL;
		c->expected = &truth;
		c->actual = dbg_val_get(expect, "value");
	}
}

/* ---- answers ------------------------------------------------------------ */

/* given as a number (decimal, 0x hex, or a float): 1, or 0. */
static int number_of(const char *given, double *d, uint64_t *u, bool *is_int)
{
	char *end;

	while (is_ws(*given))
		given++;
	if (!*given)
		return 0;
	errno = 0;
	*u = strtoull(given, &end, 0);
	*is_int = errno == 0 && end != given && *given != '-';
	while (*is_int && is_ws(*end))
		end++;
	if (*is_int && !*end) {
		*d = (double)*u;
		return 1;
	}
	*is_int = false;
	*d = strtod(given, &end);
	while (is_ws(*end))
		end++;
	return end != given && !*end;
}

/* given trimmed equals the n bytes at w, case aside. */
static bool same_word(const char *given, const char *w, size_t n)
{
	size_t g;

	while (is_ws(*given))
		given++;
	g = strlen(given);
	while (g && is_ws(given[g - 1]))
		g--;
	return g == n && strncasecmp(given, w, n) == 0;
}

bool dbg_lab_answer_right(const struct dbg_lab_answer *a, const char *given, uint64_t value,
			  char *buf, size_t len)
{
	double d = 0;
	uint64_t u = 0;
	bool is_int = false, num = given && number_of(given, &d, &u, &is_int);
	const char *w;

	switch (a->kind) {
	case DBG_LAB_ANS_EXACT:
		snprintf(buf, len, "%s", a->text);
		return given && same_word(given, a->text, strlen(a->text));
	case DBG_LAB_ANS_EXPR:
		if (a->tolerance > 0) {
			snprintf(buf, len, "%llu +- %g", (unsigned long long)value, a->tolerance);
			return num && d - (double)value <= a->tolerance &&
			       (double)value - d <= a->tolerance;
		}
		if (value > 0xffff)
			snprintf(buf, len, "%#llx", (unsigned long long)value);
		else
			snprintf(buf, len, "%llu", (unsigned long long)value);
		return num && is_int && u == value;
	case DBG_LAB_ANS_WORDS:
		snprintf(buf, len, "one of: %s", a->text);
		for (w = a->text; given && *w;) {
			size_t n = strcspn(w, " \t");

			if (same_word(given, w, n))
				return true;
			w += n;
			while (is_ws(*w))
				w++;
		}
		return false;
	case DBG_LAB_ANS_NUMBER:
		if (a->tolerance > 0)
			snprintf(buf, len, "%g +- %g", a->value, a->tolerance);
		else
			snprintf(buf, len, "%g", a->value);
		return num && d - a->value <= a->tolerance && a->value - d <= a->tolerance;
	default:
		snprintf(buf, len, "anything");
		return true;
	}
}
