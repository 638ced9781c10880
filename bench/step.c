/*
 * bench-step — bootscope's engine stepping a program from its entry to its
 * exit, through the public API (session.h, rt.h), timed in-process.
 *
 *   bench-step [--each] [--decode] [--record] [--steps N] [--runs N] PROGRAM [ARGS...]
 *
 * Modes:
 *   (default)        one dbg_session_stepi() of "everything": what `stepi N`
 *                    of the batch mode runs, without the interpreter;
 *   --each           dbg_session_stepi(s, 1) per instruction (a front end
 *                    that stops after every instruction, as the TUI's s key);
 *   --decode         one dbg_session_stepi_each() whose observer runs
 *                    dbg_rt_read() after every step: the whole runtime state
 *                    (every G, M and P, the scheduler) decoded at every
 *                    instruction of a long stepi;
 *   --each --decode  dbg_session_stepi(s, 1) then dbg_rt_read(), per
 *                    instruction: what the TUI does for each s key.
 *
 * --record attaches the timeline, recording every step as the front ends
 * do by default; a decode one step after the last is then kept when the
 * step wrote none of its bytes (dbg_rt_read), "kept" counts those.
 *
 * --steps N stops after N instructions instead of at the exit (the program
 * is then killed): two counts give a per-step slope free of the start-up.
 *
 * Prints one JSON object per run on stdout:
 *   {"steps": 16248, "ns": 80123456, "cpu_ns": 79000000, "decodes": 16248,
 *    "kept": 15500, "max_gs": 5, "maxrss_kb": 7012}
 * steps is dbg_session_steps() at the exit; ns covers the stepping loop only
 * (the session is opened and the program started before the clock runs),
 * cpu_ns the CPU time of the loop and of the program (user and system);
 * max_gs is the largest number of Gs one decode saw, a check that the
 * decoding did decode; maxrss_kb is this process's peak RSS so far.
 *
 * Exit status 77 when ptrace is refused, 1 on any other failure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "rt.h"
#include "session.h"
#include "timeline.h"

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* User and system time of who (RUSAGE_SELF, RUSAGE_CHILDREN). */
static uint64_t cpu_ns(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench-step [--each] [--decode] [--record] [--steps N] "
		"[--runs N] PROGRAM [ARGS...]\n");
	exit(2);
}

static void die(const struct dbg_err *err, int rc)
{
	fprintf(stderr, "bench-step: %s\n", err->msg);
	exit(rc == -EPERM ? 77 : 1);
}

static bool ended(const struct dbg_stop *stop)
{
	return stop->reason == DBG_STOP_EXITED || stop->reason == DBG_STOP_SIGNALED;
}

struct opts {
	bool each, decode, record;
	uint64_t steps; /* UINT64_MAX: to the exit */
};

struct decoder {
	struct dbg_rt *rt;
	uint64_t decodes, kept;
	size_t max_gs;
	struct dbg_err err;
	int rc;
};

static bool decode(struct dbg_session *s, void *arg)
{
	struct decoder *d = arg;
	d->rc = dbg_rt_read(s, d->rt, &d->err);
	if (d->rc < 0)
		return true;
	d->decodes++;
	d->kept += d->rt->unchanged;
	if (d->rt->ngs > d->max_gs)
		d->max_gs = d->rt->ngs;
	return false;
}

static void one_run(struct dbg_session *s, char **argv, const struct opts *o,
		    struct dbg_rt *rt)
{
	struct dbg_err err;
	struct dbg_stop stop;
	int rc = dbg_session_start(s, argv, NULL, NULL, &stop, &err);
	if (rc < 0)
		die(&err, rc);

	struct decoder d = { .rt = rt };
	uint64_t c0 = cpu_ns(RUSAGE_SELF), k0 = cpu_ns(RUSAGE_CHILDREN);
	uint64_t t0 = now_ns();
	if (!o->each) {
		rc = o->decode ? dbg_session_stepi_each(s, o->steps, decode, &d, &stop, &err)
			       : dbg_session_stepi(s, o->steps, &stop, &err);
		if (rc < 0)
			die(&err, rc);
		if (d.rc < 0)
			die(&d.err, d.rc);
	} else {
		do {
			rc = dbg_session_stepi(s, 1, &stop, &err);
			if (rc < 0)
				die(&err, rc);
			if (o->decode && !ended(&stop) && decode(s, &d))
				die(&d.err, d.rc);
		} while (!ended(&stop) && stop.reason == DBG_STOP_STEP &&
			 dbg_session_steps(s) < o->steps);
	}
	uint64_t ns = now_ns() - t0;
	uint64_t steps = dbg_session_steps(s);
	uint64_t c1 = cpu_ns(RUSAGE_SELF);
	if (!ended(&stop))
		dbg_session_kill(s); /* reaped: its CPU time is counted */
	uint64_t cpu = c1 - c0 + cpu_ns(RUSAGE_CHILDREN) - k0;
	if (o->steps == UINT64_MAX && !ended(&stop)) {
		fprintf(stderr, "bench-step: the program stopped (%s) before its exit\n",
			dbg_stop_reason_name(stop.reason));
		exit(1);
	}

	/* Drain the program's output so a later run starts with empty pipes. */
	char buf[4096];
	while (dbg_session_read_output(s, DBG_STREAM_STDOUT, buf, sizeof(buf)) > 0)
		;
	while (dbg_session_read_output(s, DBG_STREAM_STDERR, buf, sizeof(buf)) > 0)
		;

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("{\"steps\": %" PRIu64 ", \"ns\": %" PRIu64 ", \"cpu_ns\": %" PRIu64
	       ", \"decodes\": %" PRIu64 ", \"kept\": %" PRIu64
	       ", \"max_gs\": %zu, \"maxrss_kb\": %ld}\n",
	       steps, ns, cpu, d.decodes, d.kept, d.max_gs, ru.ru_maxrss);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct opts o = { .steps = UINT64_MAX };
	long runs = 1;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--each") == 0) {
			o.each = true;
		} else if (strcmp(argv[i], "--decode") == 0) {
			o.decode = true;
		} else if (strcmp(argv[i], "--record") == 0) {
			o.record = true;
		} else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc) {
			o.steps = strtoull(argv[++i], NULL, 10);
			if (o.steps < 1)
				usage();
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			runs = strtol(argv[++i], NULL, 10);
			if (runs < 1)
				usage();
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();

	struct dbg_session *s;
	struct dbg_err err;
	int rc = dbg_session_open(&s, argv[i], &err);
	if (rc < 0)
		die(&err, rc);
	if (o.record) {
		struct dbg_timeline *tl;
		if ((rc = dbg_tl_new(&tl, &err)) < 0)
			die(&err, rc);
		dbg_session_set_timeline(s, tl);
	}
	struct dbg_rt rt = { 0 };
	for (long r = 0; r < runs; r++)
		one_run(s, argv + i, &o, &rt);
	dbg_rt_release(&rt);
	dbg_session_free(s);
	return 0;
}
