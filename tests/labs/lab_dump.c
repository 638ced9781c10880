/*
 * lab-dump FILE — print a lab file as the parser (interp/lab.h) sees it,
 * as one JSON object, so the lab runner (run_lab.py) works from the same
 * structure the lab mode does. Exit 1 with the parse error on stderr.
 */
#include <stdio.h>

#include "lab.h"

static void str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void str_or_null(const char *s)
{
	if (s)
		str(s);
	else
		fputs("null", stdout);
}

static void strv(char *const *v, size_t n)
{
	size_t i;

	putchar('[');
	for (i = 0; i < n; i++) {
		if (i)
			putchar(',');
		str(v[i]);
	}
	putchar(']');
}

int main(int argc, char **argv)
{
	struct dbg_lab lab;
	struct dbg_err err;
	size_t i, j;

	if (argc != 2) {
		fprintf(stderr, "usage: lab-dump FILE\n");
		return 2;
	}
	if (dbg_lab_load(&lab, argv[1], &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	printf("{\"number\":%d,\"title\":", lab.number);
	str(lab.title);
	fputs(",\"path\":", stdout);
	str(lab.path);
	fputs(",\"intro\":", stdout);
	str_or_null(lab.intro);
	fputs(",\"program\":", stdout);
	str_or_null(lab.program);
	fputs(",\"args\":", stdout);
	strv(lab.args, lab.nargs);
	fputs(",\"env\":", stdout);
	strv(lab.env, lab.nenv);
	printf(",\"nexpect\":%zu,\"steps\":[", lab.nexpect);
	for (i = 0; i < lab.nsteps; i++) {
		const struct dbg_lab_step *st = &lab.steps[i];

		printf("%s{\"title\":", i ? "," : "");
		str(st->title);
		printf(",\"line\":%d,\"say\":", st->line);
		str_or_null(st->say);
		fputs(",\"ask\":", stdout);
		strv(st->ask, st->nask);
		printf(",\"nexpect\":%zu,\"cmds\":[", st->nexpect);
		for (j = 0; j < st->ncmds; j++) {
			printf("%s{\"line\":%d,\"expect\":%s,\"only\":%u,\"text\":", j ? "," : "",
			       st->cmds[j].line, st->cmds[j].expect ? "true" : "false",
			       st->cmds[j].only);
			str(st->cmds[j].text);
			putchar('}');
		}
		fputs("]}", stdout);
	}
	fputs("]}\n", stdout);
	dbg_lab_release(&lab);
	return 0;
}
