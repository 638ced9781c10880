/*
 * libFuzzer harness: the input is a location as `break` takes it. It goes
 * through the stage resolver (dbg_stages_find, dbg_stages_suggest,
 * dbg_stage_short) and the full location resolver dbg_cmd_resolve_loc
 * (stage, symbol, *EXPR, "did you mean") over the bundled hello's
 * catalog, with no process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static struct dbg_session *session;
static struct dbg_cmd_ctx ctx;

static void emit(void *arg, const struct dbg_val *ev)
{
	(void)arg;
	(void)ev;
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
		fprintf(stderr, "fuzz-stages: %s\n", err.msg);
		exit(1);
	}
	dbg_cmd_ctx_init(&ctx, session, no_argv, NULL, emit, NULL);
	ctx.started = true; /* never start a process */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct dbg_stages *st = dbg_session_stages(session);
	const char *near[4];
	struct dbg_err err;
	uint64_t addr;
	char *loc = malloc(size + 1);
	size_t i, n;
	int k;

	if (!loc)
		return 0;
	memcpy(loc, data, size);
	loc[size] = '\0';
	k = dbg_stages_find(st, loc);
	if (k >= 0 && dbg_stages_find(st, st->v[k].name) != k)
		abort(); /* a found stage must be found again by its own name */
	n = dbg_stages_suggest(st, loc, near, 4);
	for (i = 0; i < n; i++)
		if (dbg_stages_find(st, near[i]) < 0)
			abort(); /* suggestions must be names that resolve */
	dbg_stage_short(loc);
	dbg_cmd_resolve_loc(&ctx, loc, &addr, &err);
	dbg_arena_reset(&ctx.tmp);
	free(loc);
	return 0;
}
