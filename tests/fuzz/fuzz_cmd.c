/*
 * libFuzzer harness: the input is one command line. It is completed
 * (dbg_cmd_complete: every candidate begins with the word completed), parsed
 * (dbg_cmd_parse), and every command that does not launch a process is
 * run by the interpreter over a session of the bundled hello with no
 * process (so process commands fail with "the program is not being run");
 * each event is rendered as JSON and as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "render.h"

static struct dbg_session *session;
static struct dbg_cmd_ctx ctx;
static FILE *sink;

static void emit(void *arg, const struct dbg_val *ev)
{
	(void)arg;
	ui_render_json(sink, ev);
	ui_render_text(sink, ev);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *hello = getenv("BOOTSCOPE_FUZZ_HELLO");
	static char *const no_argv[] = { NULL };
	struct dbg_err err;

	(void)argc;
	(void)argv;
	if (!hello)
		hello = FUZZ_HELLO;
	if (dbg_session_open(&session, hello, &err) < 0) {
		fprintf(stderr, "fuzz-cmd: %s\n", err.msg);
		exit(1);
	}
	sink = fopen("/dev/null", "w");
	dbg_cmd_ctx_init(&ctx, session, no_argv, NULL, emit, NULL);
	/* As after a program ended: nothing below starts a process. */
	ctx.started = true;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dbg_cmd cmd;
	char line[DBG_CMD_MAX + 64];

	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = '\0';

	struct dbg_completion c = { 0 };
	if (dbg_cmd_complete(&ctx, line, &c) == 0) {
		size_t len = strlen(line);
		if (c.start > len)
			abort();
		for (size_t i = 0; i < c.n; i++)
			if (c.v[i].n < len - c.start ||
			    memcmp(c.v[i].s, line + c.start, len - c.start) != 0)
				abort();
	}
	dbg_completion_release(&c);

	if (dbg_cmd_parse(line, &cmd, NULL) < 0)
		return 0;
	if (cmd.id == DBG_CMD_RUN || cmd.id == DBG_CMD_STARTI)
		return 0;
	dbg_cmd_exec(&ctx, line, "fuzz", 1);
	/* keep the breakpoint table small across inputs */
	dbg_session_delete_all(session);
	ctx.quit = false;
	return 0;
}
