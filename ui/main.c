/*
 * bootscope — entry point: options, the program to debug (or a lab's), then
 * the batch front end, the line mode, or the TUI.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "bootscope_config.h"
#include "cmd.h"
#include "elf.h"
#include "lab.h"
#include "labreport.h"
#include "paths.h"
#include "render.h"
#include "session.h"
#include "sig.h"
#include "timeline.h"
#include "trace.h"

#ifdef BOOTSCOPE_HAVE_TUI
/* The TUI owns the terminal; it runs commands through ctx (it may replace
 * ctx->emit with its own sink) and returns an exit status:
 * int ui_tui_run(struct dbg_session *, struct dbg_cmd_ctx *,
 *                const struct ui_options *). */
#include "term.h"
#include "tui.h"
#endif

/* tui.h defines UI_TUI_LAB_PANE once ui_tui_run shows o->lab in a pane. */
#if defined(BOOTSCOPE_HAVE_TUI) && defined(UI_TUI_LAB_PANE)
#define HAVE_LAB_PANE 1
#endif

extern char **environ;

/* Ctrl-C, or the first exit signal, while batch commands run. */
static void batch_interrupt(void *arg)
{
	(void)arg;
	ui_batch_interrupt();
}

/*
 * Before every wait for the program in batch and line mode: an exit signal
 * that came while no command ran (before the program was even launched)
 * found nothing to interrupt; the program is interrupted now, once, so that
 * the wait ends and bootscope can leave in order.
 */
static void batch_wait_hook(void *arg)
{
	static bool done;

	/* a reader sees every event before a wait that may last, and
	 * within 50 ms while the program takes step after step */
	if (dbg_session_wait_may_last(arg))
		ui_sink_flush();
	else
		ui_sink_flush_older(50);
	if (!done && ui_sig_exit_signal()) {
		done = true;
		dbg_session_interrupt(arg);
	}
}

/* A startup failure, as an event so --json output stays JSON. */
/* Every -x script can be read (checked before any front end starts, so the
 * TUI never opens only to report it). */
static int check_scripts(const struct ui_options *o, struct dbg_err *err)
{
	for (size_t i = 0; i < o->nscripts; i++) {
		struct stat st;
		int fd = open(o->scripts[i], O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return dbg_err_errno(err, -errno, "cannot open script %s", o->scripts[i]);
		int rc = fstat(fd, &st) < 0 ? -errno : S_ISDIR(st.st_mode) ? -EISDIR : 0;
		close(fd);
		if (rc < 0)
			return dbg_err_errno(err, rc, "cannot read script %s", o->scripts[i]);
	}
	return 0;
}

static int fail(struct ui_sink *sink, const char *msg)
{
	struct dbg_arena a;
	struct dbg_val *ev;

	dbg_arena_init(&a);
	ev = dbg_event_new(&a, "error");
	dbg_obj_str(ev, "message", msg);
	if (sink->json) {
		ui_sink_emit(sink, ev);
	} else {
		ui_sink_flush();
		fprintf(stderr, "bootscope: %s\n", msg);
	}
	dbg_arena_release(&a);
	return UI_EXIT_FAIL;
}

/* --lab list. */
static int list_labs(struct ui_sink *sink)
{
	struct dbg_err err;
	char dir[PATH_MAX];

	if (ui_paths_labs(dir, sizeof(dir), &err) < 0 ||
	    ui_batch_list_labs(ui_sink_emit, sink, dir, &err) < 0)
		return fail(sink, err.msg);
	return UI_EXIT_OK;
}

/* A lab run in batch mode (--batch --lab N, or --batch -x LAB.bs): what it
 * reports about itself, its results, and why it could not run. */
struct lab_batch {
	bool on;
	int number;                /* --lab N; a script's is its #@lab */
	const struct dbg_lab *lab; /* NULL until found and parsed */
	struct ui_lab_meta meta;
	struct ui_lab_results results;
	struct ui_answers answers;                    /* --answers */
	char msg[sizeof(((struct dbg_err *)0)->msg)]; /* why it could not run */
	bool started;                                 /* lab_start was sent */
};

/* A start-up failure: for a lab in batch mode, its lab_start, the error and
 * a lab_summary, exit status 3; else the error, exit status 1. */
static int start_fail(struct ui_sink *sink, struct lab_batch *lb, const char *msg)
{
	if (!lb->on)
		return fail(sink, msg);
	snprintf(lb->msg, sizeof(lb->msg), "%s", msg);
	int rc = ui_batch_lab_not_run(ui_sink_emit, sink, lb->lab, lb->number, &lb->meta, msg,
				      lb->started);
	lb->started = true;
	return rc;
}

/* The lab's reports (--report KIND FILE): a failure to write one is said on
 * stderr and fails the run. */
static int write_reports(const struct ui_options *o, struct lab_batch *lb, int status)
{
	struct dbg_err err;

	for (int k = 0; k < 2; k++) {
		if (!o->reports[k])
			continue;
		if (ui_lab_report_write((enum ui_report_kind)k, o->reports[k], &lb->meta, lb->lab,
					lb->number, &lb->results, lb->msg[0] ? lb->msg : NULL,
					&err) < 0) {
			fprintf(stderr, "bootscope: %s\n", err.msg);
			if (status == UI_EXIT_OK)
				status = UI_EXIT_FAIL;
		}
	}
	return status;
}

/* What a run launches: argv (and the environment, for a lab). */
struct launch {
	char path[PATH_MAX];
	char **argv; /* malloc'd when built here */
	char **envp; /* malloc'd by dbg_lab_merge_env, or NULL: ours */
};

static void launch_release(struct launch *l, char *const *given)
{
	if (l->argv != given)
		free(l->argv);
	free(l->envp);
}

/* PROGRAM ARGS when given; else the lab's #@program and arguments; else
 * the bundled hello. A lab's #@env applies in every case. */
static int launch_init(struct launch *l, const struct ui_options *o, struct dbg_err *err)
{
	const struct dbg_lab *lab = o->lab;
	const char *name = lab && lab->program ? lab->program : "hello";
	size_t nargs = lab && !o->prog_argv ? lab->nargs : 0, i;
	int rc;

	l->argv = NULL;
	l->envp = NULL;
	if (lab) {
		rc = dbg_lab_merge_env(lab, environ, &l->envp, err);
		if (rc < 0)
			return rc;
	}
	if (o->prog_argv) {
		l->argv = o->prog_argv;
		return 0;
	}
	rc = ui_paths_program(name, l->path, sizeof(l->path), err);
	if (rc < 0 && lab && lab->program) {
		/* a lab's program this build lacks (gohello: no Go toolchain
		 * when it was built): say how to give it one */
		char why[sizeof(err->msg)];
		snprintf(why, sizeof(why), "%s", err->msg);
		return dbg_err_set(err, rc,
				   "lab %d needs the program %s, which this build does not have (%s)%s; "
				   "build one and pass it: bootscope --lab %d ./PROGRAM",
				   lab->number, name, why,
				   strncmp(name, "go", 2) == 0 ?
					   ": it is built with bootscope when the Go toolchain (go) is "
					   "installed, or by hand: GO111MODULE=off go build -o hello hello.go "
					   "for a hello world" :
					   "",
				   lab->number);
	}
	if (rc < 0)
		return rc;
	l->argv = calloc(nargs + 2, sizeof(*l->argv));
	if (!l->argv)
		abort();
	l->argv[0] = l->path;
	for (i = 0; i < nargs; i++)
		l->argv[i + 1] = lab->args[i];
	return 0;
}

/* --replay FILE: the recording's program, opened but never run. */
static int replay_init(struct launch *l, const char *file, struct dbg_timeline **tl,
		       struct dbg_err *err)
{
	l->envp = NULL;
	l->argv = calloc(2, sizeof(*l->argv));
	if (!l->argv)
		abort();
	l->argv[0] = l->path;
	return dbg_tl_load(tl, file, l->path, sizeof(l->path), err);
}

int main(int argc, char **argv)
{
	struct ui_sink sink = { .json = false, .out = stdout, .err = stderr };
	struct launch launch = { .argv = NULL, .envp = NULL };
	struct dbg_session *s = NULL;
	struct dbg_timeline *tl = NULL;
	struct ui_trace *trace = NULL;
	struct dbg_lab lab;
	bool lab_loaded = false;
	struct lab_batch lb = { .on = false };
	struct ui_options o;
	struct dbg_cmd_ctx ctx;
	struct dbg_err err;
	char dir[PATH_MAX];
	bool tui = false;
	char why[160] = "";
	char variant[512] = "";
	int status, exit_sig = 0;
	bool batch_ran = false; /* the batch or line mode ran the commands */

	if (ui_options_parse(&o, argc, argv, &err) < 0) {
		fprintf(stderr, "bootscope: %s (try 'bootscope --help')\n", err.msg);
		return UI_EXIT_USAGE;
	}
	if (o.help) {
		ui_usage(stdout);
		ui_options_release(&o);
		return ui_sink_finish(&sink, UI_EXIT_OK);
	}
	if (o.version) {
		printf("bootscope %s\n", BOOTSCOPE_VERSION);
		ui_options_release(&o);
		return ui_sink_finish(&sink, UI_EXIT_OK);
	}
	sink.json = o.json;

	if (o.lab_list) {
		status = list_labs(&sink);
		goto out;
	}
	lb.on = o.batch && (o.lab_given || o.check_lab ||
			    (o.nscripts == 1 && o.nex == 0 && ui_batch_lab_file(o.scripts[0])));
	lb.number = o.lab_number;
	ui_lab_meta_init(&lb.meta, BOOTSCOPE_VERSION, NULL, NULL, o.student);
	if (o.answers && ui_answers_load(&lb.answers, o.answers, &err) < 0) {
		fprintf(stderr, "bootscope: %s (try 'bootscope --help')\n", err.msg);
		status = UI_EXIT_USAGE;
		goto out;
	}
	if (!lb.on && (o.answers || o.reports[0] || o.reports[1] || (o.student && !o.lab_given))) {
		fprintf(stderr,
			"bootscope: --student, --answers and --report need a lab: %s is not a lab file (try 'bootscope --help')\n",
			o.nscripts ? o.scripts[0] : "-x");
		status = UI_EXIT_USAGE;
		goto out;
	}
	if (o.lab_given) {
#ifndef HAVE_LAB_PANE
		if (!o.batch) {
			snprintf(err.msg, sizeof(err.msg),
				 "this build's TUI has no lab pane; run the lab's checks with --batch --lab %d",
				 o.lab_number);
			status = fail(&sink, err.msg);
			goto out;
		}
#endif
		if (ui_paths_labs(dir, sizeof(dir), &err) < 0 ||
		    dbg_lab_open(&lab, dir, o.lab_number, &err) < 0) {
			status = start_fail(&sink, &lb, err.msg);
			goto out;
		}
		lab_loaded = true;
		o.lab = &lab;
		/* the student's variant: the lab's #@vary choices for this id */
		if (o.student &&
		    dbg_lab_apply_variant(&lab, o.student, variant, sizeof(variant), &err) < 0) {
			status = start_fail(&sink, &lb, err.msg);
			goto out;
		}
		if (variant[0])
			lb.meta.variant = variant;
	} else if (o.check_lab) {
		/* --check-lab FILE runs as --lab N: the lab's program and
		 * environment */
		if (dbg_lab_load(&lab, o.check_lab, &err) < 0) {
			status = start_fail(&sink, &lb, err.msg);
			goto out;
		}
		lab_loaded = true;
		lb.number = lab.number;
		o.lab = &lab;
	} else if (lb.on) {
		/* -x LAB.bs runs as the lab, with the program and environment
		 * of the command line */
		if (dbg_lab_load(&lab, o.scripts[0], &err) < 0) {
			status = start_fail(&sink, &lb, err.msg);
			goto out;
		}
		lab_loaded = true;
		lb.number = lab.number;
	}
	if (lab_loaded)
		lb.lab = &lab;

	/* an unwritable --record fails now, not after the session's work */
	if (o.record && dbg_tl_save_check(o.record, &err) < 0) {
		status = start_fail(&sink, &lb, err.msg);
		goto out;
	}
	if ((o.replay ? replay_init(&launch, o.replay, &tl, &err) :
			launch_init(&launch, &o, &err)) < 0) {
		dbg_tl_free(tl);
		status = start_fail(&sink, &lb, err.msg);
		goto out;
	}
	/* the program's sha256 goes in a lab's events and reports only:
	 * hashing a Go binary costs as much as reading its DWARF */
	if (lb.on || o.reports[0] || o.reports[1])
		ui_lab_meta_set_program(&lb.meta, launch.argv[0], NULL);
	else
		lb.meta.program = launch.argv[0];
	if (dbg_session_open(&s, launch.argv[0], &err) < 0) {
		dbg_tl_free(tl);
		status = start_fail(&sink, &lb, err.msg);
		goto out;
	}
	lb.meta.go_version = dbg_elf_go_version(dbg_session_elf(s));
	/* The timeline records every step (reverse-stepi, goto); the session
	 * owns it. */
	if (!tl && dbg_tl_new(&tl, &err) < 0) {
		status = start_fail(&sink, &lb, err.msg);
		goto out;
	}
	dbg_session_set_timeline(s, tl);
	/* continue records every instruction where the whole run is short
	 * (a bundled program, a lab); elsewhere it runs freely, one jump in
	 * the record (set record-continue on|off) */
	if (o.record || o.lab || (!o.replay && ui_paths_is_bundled(launch.argv[0])))
		dbg_tl_set_full(tl, true);
	if (o.trace && ui_trace_open(&trace, tl, o.trace, &err) < 0) {
		status = start_fail(&sink, &lb, err.msg);
		goto out;
	}
	/* A program that cannot run fails here, before any front end: the
	 * TUI would only find out after taking over the screen. */
	if (!o.list_stages && !o.replay && access(launch.argv[0], X_OK) < 0) {
		dbg_err_errno(&err, -errno, "cannot execute %s", launch.argv[0]);
		status = start_fail(&sink, &lb, err.msg);
		goto out;
	}
	if (check_scripts(&o, &err) < 0) {
		status = start_fail(&sink, &lb, err.msg);
		goto out;
	}

	dbg_cmd_ctx_init(&ctx, s, launch.argv, launch.envp, ui_sink_emit, &sink);
	ctx.start_opts.keep_aslr = o.keep_aslr;
	/* a recording has run: stages reached, no implicit start */
	ctx.started = o.replay != NULL;

	/* SIGTERM, SIGHUP, SIGQUIT, SIGPIPE: the front end stops, then the
	 * recording is saved below as after quit (ui/sig.h). A crash cannot
	 * save it: it says so. */
	ui_sig_install(false);
	if (o.record) {
		char note[PATH_MAX + 64];
		snprintf(note, sizeof note, "bootscope: the recording %s was not saved\n",
			 o.record);
		ui_sig_set_note(note);
	}
#ifdef BOOTSCOPE_HAVE_TUI
	snprintf(why, sizeof why, "the TUI needs a terminal on stdout");
	tui = !o.list_stages && !o.batch && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) &&
	      ui_term_usable(why, sizeof why);
#else
	snprintf(why, sizeof why, "the TUI is not built");
#endif
	/* the TUI says itself what Ctrl-C stops */
	if (!tui) {
		ui_sig_set_busy(batch_interrupt, NULL);
		dbg_session_set_wait_hook(batch_wait_hook, s);
		/* events written a block at a time (see ui_sink_hold) */
		ui_sink_hold(&sink);
	}

	if (o.list_stages) {
		status = dbg_cmd_emit_stages(&ctx) < 0 ? UI_EXIT_FAIL : UI_EXIT_OK;
	} else if (o.check_lab) {
		status = ui_batch_check_lab(&ctx, lb.lab, &lb.meta);
		lb.started = true;
	} else if (lb.on) {
		status = ui_batch_run_lab(&ctx, lb.lab, &lb.meta, &lb.results,
					  o.answers ? &lb.answers : NULL);
		lb.started = true;
	} else if (o.batch) {
		status = ui_batch_run(&ctx, &o);
		batch_ran = true;
#ifdef BOOTSCOPE_HAVE_TUI
	} else if (tui) {
		status = ui_tui_run(s, &ctx, &o);
#endif
	} else if (o.lab) {
		snprintf(err.msg, sizeof(err.msg),
			 "the lab pane needs a terminal (%s); run the lab's checks with --batch --lab %d",
			 why, o.lab->number);
		status = fail(&sink, err.msg);
	} else {
		/* No TUI, or no terminal: the same commands, line by line. */
		status = ui_batch_run(&ctx, &o);
		if (!ui_batch_stopped(&ctx) && !ui_sig_exit_signal()) {
			bool tty = isatty(STDIN_FILENO);

			ui_sink_flush();
			if (tty)
				fprintf(stderr,
					"bootscope: %s; reading commands from stdin (help, quit)\n",
					why);
			if (ui_lines_run(&ctx, stdin, tty) != UI_EXIT_OK)
				status = UI_EXIT_FAIL;
		}
		batch_ran = true;
	}
	/* A program killed by a signal (SIGSEGV …) is a failed run; the TUI
	 * showed it to the user, who chose what came next. */
	if (batch_ran && ctx.killed && status == UI_EXIT_OK)
		status = UI_EXIT_FAIL;
	ui_sig_set_busy(NULL, NULL);
	if (!tui)
		dbg_session_set_wait_hook(NULL, NULL);
	/* what the commands said comes before anything the way out says
	 * (a write to a pipe nobody reads raises SIGPIPE now) */
	ui_sink_flush();
	/* Leaving on a signal: stdout may be the broken pipe, so errors go to
	 * stderr as text. */
	exit_sig = ui_sig_exit_signal();
	if (exit_sig)
		sink.json = false;
	if (o.record && dbg_session_record_save(s, o.record, &err) < 0)
		status = fail(&sink, err.msg);
	ui_sig_set_note(NULL);
	if (ui_trace_close(trace, &err) < 0)
		status = fail(&sink, err.msg);
	trace = NULL;
	dbg_cmd_ctx_release(&ctx);
out:
	if (lb.on && !exit_sig)
		status = write_reports(&o, &lb, status);
	/* Lost output is a failure (a full disk, /dev/full); the TUI's
	 * output is the terminal, not a file. */
	if (!tui && !exit_sig)
		status = ui_sink_finish(&sink, status);
	/* leaving on a signal: what is held still goes out, if it can */
	if (!tui && exit_sig)
		ui_sink_finish(&sink, status);
	ui_trace_close(trace, NULL); /* opened before a start-up failure */
	/* Kills the tracee if it still runs. */
	dbg_session_free(s);
	ui_sig_set_tracee(0);
	launch_release(&launch, o.prog_argv);
	if (lab_loaded)
		dbg_lab_release(&lab);
	ui_lab_results_release(&lb.results);
	ui_answers_release(&lb.answers);
	ui_options_release(&o);
	if (exit_sig)
		ui_sig_reraise(exit_sig);
	return status;
}
