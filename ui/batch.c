/*
 * batch — options, scripts, -ex commands, and the event sink. See batch.h.
 */
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "elf.h"
#include "expr.h"
#include "labreport.h"
#include "render.h"
#include "session.h"
#include "sig.h"

/* ---- options ------------------------------------------------------------ */

static int push(const char ***v, size_t *n, const char *s)
{
	const char **nv = dbg_xrealloc(*v, (*n + 1) * sizeof(**v));

	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

/* "--name" or "-name" (gdb accepts both), optionally "=value". */
static bool opt_is(const char *arg, const char *name, const char **value)
{
	size_t n = strlen(name);

	if (arg[0] != '-')
		return false;
	arg += arg[1] == '-' ? 2 : 1;
	if (strncmp(arg, name, n) != 0)
		return false;
	if (arg[n] == '\0') {
		if (value)
			*value = NULL;
		return true;
	}
	if (arg[n] == '=' && value) {
		*value = arg + n + 1;
		return true;
	}
	return false;
}

/* "list", or a lab number 1..999. */
static int parse_lab(struct ui_options *o, const char *val)
{
	char *end;
	long n;

	if (strcmp(val, "list") == 0) {
		o->lab_list = true;
		o->lab_number = 0;
		o->lab_given = false;
		return 0;
	}
	if (val[0] < '0' || val[0] > '9')
		return -EINVAL;
	errno = 0;
	n = strtol(val, &end, 10);
	if (errno || *end || n > 999)
		return -EINVAL;
	o->lab_number = (int)n;
	o->lab_given = true;
	o->lab_list = false;
	return 0;
}

int ui_options_parse(struct ui_options *o, int argc, char **argv, struct dbg_err *err)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const char ***list = NULL;
		size_t *nlist = NULL;
		const char *what = NULL;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (opt_is(a, "batch", NULL)) {
			o->batch = true;
		} else if (opt_is(a, "json", NULL)) {
			o->json = true;
		} else if (opt_is(a, "list-stages", NULL)) {
			o->list_stages = true;
		} else if (opt_is(a, "keep-aslr", NULL)) {
			o->keep_aslr = true;
		} else if (opt_is(a, "record", &val) || opt_is(a, "replay", &val) ||
			   opt_is(a, "trace", &val)) {
			const char *name = a + (a[1] == '-' ? 2 : 1);
			const char **dst = name[0] == 't' ? &o->trace :
					   name[2] == 'c' ? &o->record :
							    &o->replay;
			if (!val && i + 1 >= argc) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL, "%s needs a file", a);
			}
			*dst = val ? val : argv[++i];
		} else if (opt_is(a, "theme", &val)) {
			if (!val && i + 1 >= argc) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL, "--theme needs 'dark' or 'light'");
			}
			const char *t = val ? val : argv[++i];
			if (strcmp(t, "dark") != 0 && strcmp(t, "light") != 0) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL,
						   "--theme takes 'dark' or 'light', not '%s'", t);
			}
			o->theme = t;
		} else if (opt_is(a, "help", NULL) || strcmp(a, "-h") == 0) {
			o->help = true;
		} else if (opt_is(a, "version", NULL)) {
			o->version = true;
		} else if (opt_is(a, "lab", &val)) {
			if (!val && i + 1 >= argc) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL, "%s needs a number or 'list'", a);
			}
			if (!val)
				val = argv[++i];
			if (parse_lab(o, val) < 0) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL,
						   "--lab takes a number or 'list', not '%s'", val);
			}
		} else if (opt_is(a, "student", &val)) {
			if (!val && i + 1 >= argc) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL, "%s needs an id", a);
			}
			o->student = val ? val : argv[++i];
			if (!*o->student || strlen(o->student) > 128 ||
			    o->student[strspn(o->student,
					      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					      "0123456789._@+-")]) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL,
						   "--student takes an id of letters, digits and ._@+-, not '%s'",
						   o->student);
			}
		} else if (opt_is(a, "check-lab", &val)) {
			if (!val && i + 1 >= argc) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL, "%s needs a lab file", a);
			}
			o->check_lab = val ? val : argv[++i];
			o->batch = true;
		} else if (opt_is(a, "answers", &val)) {
			if (!val && i + 1 >= argc) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL, "%s needs a file", a);
			}
			o->answers = val ? val : argv[++i];
		} else if (opt_is(a, "report", &val)) {
			enum ui_report_kind kind;
			if (val || i + 2 >= argc) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL,
						   "%s needs a kind (gradescope or junit) and a file",
						   a);
			}
			if (ui_report_kind_parse(argv[i + 1], &kind) < 0) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL,
						   "--report takes gradescope or junit, not '%s'",
						   argv[i + 1]);
			}
			o->reports[kind] = argv[i + 2];
			i += 2;
		} else if (opt_is(a, "ex", &val) || opt_is(a, "eval-command", &val)) {
			list = &o->ex;
			nlist = &o->nex;
			what = "a command";
		} else if (opt_is(a, "x", &val) || opt_is(a, "script", &val)) {
			list = &o->scripts;
			nlist = &o->nscripts;
			what = "a file";
		} else {
			ui_options_release(o);
			return dbg_err_set(err, -EINVAL, "unknown option '%s'", a);
		}
		if (!list)
			continue;
		if (!val) {
			if (i + 1 >= argc) {
				ui_options_release(o);
				return dbg_err_set(err, -EINVAL, "%s needs %s", a, what);
			}
			val = argv[++i];
		}
		push(list, nlist, val);
	}
	if (i < argc)
		o->prog_argv = argv + i;
	if (o->list_stages && (o->nex || o->nscripts)) {
		ui_options_release(o);
		return dbg_err_set(err, -EINVAL, "--list-stages cannot be combined with -ex or -x");
	}
	if ((o->lab_given || o->lab_list) && (o->nex || o->nscripts || o->list_stages)) {
		ui_options_release(o);
		return dbg_err_set(err, -EINVAL,
				   "--lab cannot be combined with -ex, -x or --list-stages");
	}
	if (o->check_lab &&
	    (o->lab_given || o->lab_list || o->nex || o->nscripts || o->list_stages || o->replay ||
	     o->record || o->student || o->answers || o->reports[0] || o->reports[1])) {
		ui_options_release(o);
		return dbg_err_set(err, -EINVAL,
				   "--check-lab FILE takes only --json and a PROGRAM");
	}
	if (o->lab_list && o->prog_argv) {
		ui_options_release(o);
		return dbg_err_set(err, -EINVAL, "--lab list takes no PROGRAM");
	}
	/* --student alone also goes with --lab N in the TUI: the student's
	 * variant of the lab */
	if (((o->answers || o->reports[0] || o->reports[1]) &&
	     (!o->batch || (!o->lab_given && o->nscripts != 1) || o->nex)) ||
	    (o->student && ((!o->lab_given && (!o->batch || o->nscripts != 1)) || o->nex))) {
		ui_options_release(o);
		return dbg_err_set(err, -EINVAL,
				   "--student, --answers and --report need --batch and a lab: --lab N or -x LAB.bs (--student also goes with --lab N alone)");
	}
	if (o->replay && (o->prog_argv || o->lab_given || o->lab_list || o->list_stages)) {
		ui_options_release(o);
		return dbg_err_set(err, -EINVAL,
				   "--replay takes no PROGRAM, --lab or --list-stages: the recording holds its program");
	}
	return 0;
}

void ui_options_release(struct ui_options *o)
{
	free(o->scripts);
	free(o->ex);
	o->scripts = o->ex = NULL;
	o->nscripts = o->nex = 0;
}

/* Columns of the --help paragraph that lists the commands. */
#define USAGE_WIDTH 75

/* The commands paragraph of --help, the info views from the
 * interpreter's table (dbg_cmd_info_name), wrapped at USAGE_WIDTH. */
static void put_commands(FILE *out)
{
	char *text = NULL, *p, *word;
	size_t len = 0, col = 0, i;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	fputs("Commands (gdb names): break, tbreak, watch, rwatch, awatch, catch syscall, tcatch, "
	      "enable, disable, delete, run, starti, kill, "
	      "continue, stepi, nexti, step, next, finish, until, advance, list, info {",
	      f);
	for (i = 0; dbg_cmd_info_name(i); i++)
		fprintf(f, "%s%s", i ? ", " : "", dbg_cmd_info_name(i));
	fputs("}, x/NFU, xinfo, print, ptype, whatis, display, undisplay, disassemble, expect, "
	      "echo, thread, backtrace, frame, up, down, goroutine, set, unset, show, record, "
	      "reverse-stepi, reverse-nexti, reverse-continue, goto, stage, "
	      "help, quit. Examples:",
	      f);
	if (fclose(f) != 0)
		abort();
	for (word = strtok_r(text, " ", &p); word; word = strtok_r(NULL, " ", &p)) {
		size_t l = strlen(word);

		if (col && col + 1 + l > USAGE_WIDTH) {
			putc('\n', out);
			col = 0;
		} else if (col) {
			putc(' ', out);
			col++;
		}
		fputs(word, out);
		col += l;
	}
	putc('\n', out);
	free(text);
}

void ui_usage(FILE *out)
{
	fputs("Usage: bootscope [OPTIONS] [--] [PROGRAM [ARGS...]]\n"
	      "Single-step and inspect the boot of a Go-style runtime (linux/amd64).\n"
	      "\n"
	      "  PROGRAM                the program to debug; default: the bundled hello\n"
	      "  --batch                no TUI: run the commands, print the results, exit\n"
	      "  -x, --script FILE      run commands from FILE (one per line, # comments)\n"
	      "  -ex, --eval-command CMD\n"
	      "                         run one command (repeatable; after the scripts)\n"
	      "  --json                 batch output as JSON Lines (see bootscope(1))\n"
	      "  --lab N                teaching lab N: its program and environment; with\n"
	      "                         --batch, run its steps and report each check\n"
	      "  --lab list             list the labs with their numbers and titles\n"
	      "  --student ID           (a lab) the student, in the output and the\n"
	      "                         reports; with --lab N, the student's variant\n"
	      "  --answers FILE         (a lab in batch mode) the student's answers, one\n"
	      "                         STEP.Q: ANSWER a line, graded\n"
	      "  --report KIND FILE     (a lab in batch mode) write a report to FILE:\n"
	      "                         gradescope (results.json) or junit (XML)\n"
	      "  --check-lab FILE       check a lab file: run its checks, report steps\n"
	      "                         never reached, checks true before their step,\n"
	      "                         answers that cannot be evaluated\n"
	      "  --list-stages          print the boot stages of PROGRAM with addresses\n"
	      "  --keep-aslr            leave address-space randomisation on\n"
	      "  --theme dark|light     the TUI's colours for a dark or light background\n"
	      "                         (else $BOOTSCOPE_THEME, else the terminal's)\n"
	      "  --record FILE          record every instruction (continue single-steps)\n"
	      "                         and save the recording to FILE at the end\n"
	      "  --replay FILE          open a recording: every view, stepping both ways,\n"
	      "                         no process\n"
	      "  --trace FILE           write one JSON object per executed step to FILE\n"
	      "  -h, --help             show this help\n"
	      "  --version              print the version\n"
	      "\n",
	      out);
	put_commands(out);
	fputs("  bootscope --batch -ex 'break schedinit' -ex run -ex 'info gmp'\n"
	      "  bootscope --batch --json --lab 4\n"
	      "\n"
	      "Exit status: 0 success, 1 an error, a failed expect or check, or (without\n"
	      "the TUI) the program killed by a signal, 2 bad options, 3 a lab that\n"
	      "could not run. The manual: man bootscope.\n",
	      out);
}

/* ---- the sink ----------------------------------------------------------- */

/* Set once the sink's output could not be written: the commands stop,
 * since what they report would be lost. */
static bool output_failed;

/* A write of sink->out failed (err: its errno, or 0 when unknown): say so
 * once, on sink->err. */
static void output_error(struct ui_sink *sink, int err)
{
	if (sink->write_errno)
		return;
	struct dbg_err e;

	sink->write_errno = err ? err : EIO;
	output_failed = true;
	/* a reader that went away (| head): SIGPIPE ends bootscope quietly,
	 * as it does other programs, once the recording is saved */
	if (sink->write_errno == EPIPE)
		return;
	dbg_err_errno(&e, -sink->write_errno, "cannot write %s",
		      sink->out == stdout ? "standard output" : "the output");
	fprintf(sink->err, "bootscope: %s\n", e.msg);
	fflush(sink->err);
}

/* Flush sink->out and check that everything written so far arrived. */
static void flush_out(struct ui_sink *sink)
{
	errno = 0;
	if (fflush(sink->out) == EOF || ferror(sink->out))
		output_error(sink, errno);
}

/* What a holding sink holds. The buffer never moves: a crash writes
 * buf[done, ready) with async-signal-safe calls only (ui_sig_set_output). */
#define HOLD_CAP (64 * 1024)
struct ui_sink_hold {
	char buf[HOLD_CAP];
	size_t len;                    /* bytes in buf */
	volatile size_t done;          /* of them written */
	volatile size_t ready;         /* the end of the last whole event */
	volatile sig_atomic_t writing; /* a write(2) of buf is under way */
	FILE *text;                    /* text mode: a stream into buf */
	int64_t since_ms;              /* when buf last went from empty */
	bool written;                  /* the first event went out */
};

static int64_t coarse_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct ui_sink *holding;

/* Write buf[from, to) to out's descriptor; false after a failure (said
 * once) or when an exit signal cut the write short (what is left stays
 * for the way out). */
static bool write_all(struct ui_sink *sink, const char *p, size_t n, volatile size_t *done)
{
	int fd = fileno(sink->out);

	while (*done < n) {
		ssize_t k = write(fd, p + *done, n - *done);

		if (k > 0) {
			*done += (size_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR) {
			if (ui_sig_exit_signal())
				return false;
			continue;
		}
		output_error(sink, k < 0 ? errno : EIO);
		return false;
	}
	return true;
}

static void hold_write(struct ui_sink *sink)
{
	struct ui_sink_hold *h = sink->hold;

	if (h->done == h->len)
		goto empty;
	if (sink->write_errno)
		goto empty; /* the commands stop: what they said is lost */
	h->writing = 1;
	bool ok = write_all(sink, h->buf, h->len, &h->done);
	h->writing = 0;
	if (!ok && !sink->write_errno)
		return; /* an exit signal: left for the way out */
empty:
	h->ready = 0;
	h->done = 0;
	h->len = 0;
}

static void hold_put(void *arg, const char *p, size_t n)
{
	struct ui_sink *sink = arg;
	struct ui_sink_hold *h = sink->hold;

	if (HOLD_CAP - h->len < n)
		hold_write(sink);
	if (HOLD_CAP - h->len < n) {
		/* larger than the buffer (or a write left it full): at once */
		volatile size_t done = 0;

		if (!sink->write_errno)
			write_all(sink, p, n, &done);
		return;
	}
	if (h->len == 0)
		h->since_ms = coarse_ms();
	memcpy(h->buf + h->len, p, n);
	h->len += n;
}

static ssize_t text_write(void *arg, const char *p, size_t n)
{
	hold_put(arg, p, n);
	return (ssize_t)n;
}

void ui_sink_hold(struct ui_sink *sink)
{
	struct ui_sink_hold *h;

	if (sink->hold)
		return;
	flush_out(sink);
	h = calloc(1, sizeof(*h));
	if (!h)
		abort();
	if (!sink->json) {
		h->text = fopencookie(sink, "w", (cookie_io_functions_t){ .write = text_write });
		if (!h->text)
			abort();
		setvbuf(h->text, NULL, _IOFBF, 4096);
	}
	sink->hold = h;
	holding = sink;
	ui_sig_set_output(fileno(sink->out), h->buf, &h->done, &h->ready, &h->writing);
}

void ui_sink_flush(void)
{
	if (holding)
		hold_write(holding);
}

void ui_sink_flush_older(int64_t ms)
{
	if (holding && holding->hold->len && coarse_ms() - holding->hold->since_ms >= ms)
		hold_write(holding);
}

/* The end of one event: a crash writes it from now on. */
static void hold_commit(struct ui_sink *sink)
{
	struct ui_sink_hold *h = sink->hold;

	if (h->text)
		fflush(h->text);
	h->ready = h->len;
	/* the first event at once: an output that cannot be written (a full
	 * disk, a closed pipe) stops the commands before any other runs, as
	 * when every event was written at once */
	if (!h->written) {
		h->written = true;
		hold_write(sink);
	}
}

void ui_sink_emit(void *arg, const struct dbg_val *ev)
{
	struct ui_sink *sink = arg;
	const char *name = dbg_event_name(ev);

	if (sink->json) {
		if (sink->hold) {
			ui_render_json_line(ev, hold_put, sink);
			hold_commit(sink);
			return;
		}
		ui_render_json(sink->out, ev);
		putc('\n', sink->out);
		flush_out(sink);
		return;
	}
	if (name && strcmp(name, "error") == 0) {
		if (sink->hold)
			hold_write(sink);
		flush_out(sink);
		ui_render_text(sink->err, ev);
		fflush(sink->err);
		return;
	}
	if (sink->hold) {
		ui_render_text(sink->hold->text, ev);
		hold_commit(sink);
		return;
	}
	ui_render_text(sink->out, ev);
	flush_out(sink);
}

int ui_sink_finish(struct ui_sink *sink, int status)
{
	struct ui_sink_hold *h = sink->hold;

	if (h) {
		if (h->text)
			fflush(h->text);
		hold_write(sink);
		ui_sig_set_output(-1, NULL, NULL, NULL, NULL);
		if (h->text)
			fclose(h->text);
		holding = NULL;
		sink->hold = NULL;
		free(h);
	}
	flush_out(sink);
	return sink->write_errno ? UI_EXIT_FAIL : status;
}

/* ---- running commands --------------------------------------------------- */

static struct dbg_session *volatile running;
static volatile sig_atomic_t interrupted;

void ui_batch_interrupt(void)
{
	struct dbg_session *s = running;

	interrupted = 1;
	if (s)
		dbg_session_interrupt(s);
}

static int exit_status(const struct dbg_cmd_ctx *ctx, bool failed)
{
	return failed || ctx->expect_failures || output_failed ? UI_EXIT_FAIL : UI_EXIT_OK;
}

/* Nothing more runs after quit, Ctrl-C or lost output. */
static bool stopped(const struct dbg_cmd_ctx *ctx)
{
	return ctx->quit || interrupted || output_failed;
}

/* Script and standard-input lines, read a large block at a time. */
#define IN_CHUNK (64 * 1024)
struct line_in {
	int fd;
	char *buf; /* IN_CHUNK bytes */
	size_t pos, end;
	bool eof;
};

static void line_in_init(struct line_in *in, int fd)
{
	in->fd = fd;
	in->buf = malloc(IN_CHUNK);
	if (!in->buf)
		abort();
	in->pos = in->end = 0;
	in->eof = false;
}

/* The next block: 1, 0 at the end, or a negative errno. What the sink
 * holds is written first: the line may be typed only after the reader
 * saw the events so far. */
static int line_in_fill(struct line_in *in)
{
	if (in->eof)
		return 0;
	ui_sink_flush();
	for (;;) {
		ssize_t k = read(in->fd, in->buf, IN_CHUNK);

		if (k > 0) {
			in->pos = 0;
			in->end = (size_t)k;
			return 1;
		}
		if (k == 0) {
			in->eof = true;
			return 0;
		}
		if (errno != EINTR)
			return -errno;
		/* an exit signal ends the read; Ctrl-C does not */
		if (ui_sig_exit_signal())
			return 0;
	}
}

/*
 * One line of in into buf (UI_INPUT_LINE_MAX + 1 bytes), without its newline and
 * NUL-terminated: 1 with *len, 0 at the end of in, -E2BIG when the line is
 * longer than UI_INPUT_LINE_MAX (the rest is left unread: it may never end, as
 * on /dev/zero), or the negative errno of a read error.
 */
static int read_line(struct line_in *in, char *buf, size_t *len)
{
	size_t n = 0;

	for (;;) {
		if (in->pos == in->end) {
			int rc = line_in_fill(in);

			if (rc < 0)
				return rc;
			if (rc == 0) {
				if (n == 0)
					return 0;
				break;
			}
		}
		const char *p = in->buf + in->pos;
		size_t avail = in->end - in->pos;
		const char *nl = memchr(p, '\n', avail);
		size_t take = nl ? (size_t)(nl - p) : avail;

		if (take > UI_INPUT_LINE_MAX - n) {
			in->pos += UI_INPUT_LINE_MAX - n;
			return -E2BIG;
		}
		memcpy(buf + n, p, take);
		n += take;
		in->pos += take;
		if (nl) {
			in->pos++;
			break;
		}
	}
	buf[n] = '\0';
	*len = n;
	return 1;
}

/* A line that is no command: too long, or with a NUL byte (which would
 * end it early). 0, or the error emitted with file and line (file NULL:
 * standard input, which has no location, so the text says where). */
static int check_line(struct dbg_cmd_ctx *ctx, int rc, const char *buf, size_t len,
		      const char *file, int line_no)
{
	char what[64], msg[sizeof(what) + 48];

	if (rc == -E2BIG)
		snprintf(what, sizeof(what), "is longer than %d bytes", UI_INPUT_LINE_MAX);
	else if (memchr(buf, '\0', len))
		snprintf(what, sizeof(what), "contains a NUL byte");
	else
		return 0;
	if (file)
		snprintf(msg, sizeof(msg), "line %s", what);
	else
		snprintf(msg, sizeof(msg), "line %d of standard input %s", line_no, what);
	return dbg_cmd_error(ctx, -EINVAL, file, line_no, msg);
}

static int run_script(struct dbg_cmd_ctx *ctx, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct line_in f;
	char *line = malloc(UI_INPUT_LINE_MAX + 1);
	size_t len;
	int line_no = 0, rc = 0, got;
	/* a lab file's #@only/#@bundled marks hold here too */
	unsigned kinds = dbg_lab_program_kinds(ctx->s), pending = 0, step_only = 0, bit;

	if (!line)
		abort();
	if (fd < 0) {
		struct dbg_err err;

		dbg_err_errno(&err, -errno, "cannot open script %s", path);
		free(line);
		return dbg_cmd_error(ctx, -ENOENT, NULL, 0, err.msg);
	}
	line_in_init(&f, fd);
	while ((got = read_line(&f, line, &len)) != 0) {
		line_no++;
		if (got < 0 && got != -E2BIG) {
			/* a directory opens fine, then reads fail with
			 * EISDIR */
			struct dbg_err err;

			dbg_err_errno(&err, got, "cannot read script %s", path);
			rc = dbg_cmd_error(ctx, -EIO, NULL, 0, err.msg);
			break;
		}
		rc = check_line(ctx, got, line, len, path, line_no);
		struct dbg_err merr;
		int mark = rc == 0 ? dbg_lab_line_mark(line, &bit, &merr) : 0;
		if (mark < 0) {
			rc = dbg_cmd_error(ctx, mark, path, line_no, merr.msg);
			break;
		}
		if (mark == 1) {
			pending |= bit;
			continue;
		}
		if (mark == 2) {
			step_only = pending;
			pending = 0;
			continue;
		}
		const char *cmd = line + strspn(line, " \t");
		if (rc == 0 && *cmd && *cmd != '#') {
			bool runs = dbg_lab_runs(step_only | pending, kinds);
			pending = 0;
			if (!runs)
				continue;
		}
		if (rc == 0)
			rc = dbg_cmd_exec(ctx, line, path, line_no);
		/* as in gdb, an error ends the script */
		if (rc < 0 || stopped(ctx))
			break;
	}
	free(line);
	free(f.buf);
	close(fd);
	return rc;
}

int ui_batch_run(struct dbg_cmd_ctx *ctx, const struct ui_options *o)
{
	bool failed = false;
	size_t i;

	/* As gdb: an error ends its script, and the next script or -ex
	 * command still runs; the status tells that something failed. */
	running = ctx->s;
	for (i = 0; i < o->nscripts && !stopped(ctx); i++)
		if (run_script(ctx, o->scripts[i]) < 0)
			failed = true;
	for (i = 0; i < o->nex && !stopped(ctx); i++)
		if (dbg_cmd_exec(ctx, o->ex[i], "-ex", (int)i + 1) < 0)
			failed = true;
	running = NULL;
	return exit_status(ctx, failed || interrupted);
}

bool ui_batch_stopped(const struct dbg_cmd_ctx *ctx)
{
	return stopped(ctx);
}

int ui_lines_run(struct dbg_cmd_ctx *ctx, FILE *file, bool prompt)
{
	char *line = malloc(UI_INPUT_LINE_MAX + 1);
	bool failed = false;
	size_t len;
	int line_no = 0, got;
	struct line_in in;

	if (!line)
		abort();
	line_in_init(&in, fileno(file));
	running = ctx->s;
	for (;;) {
		if (prompt) {
			/* the user types: the CPU pin of the steps goes */
			dbg_session_idle(ctx->s);
			ui_sink_flush();
			fputs("(bootscope) ", stdout);
			fflush(stdout);
		} else if (in.pos == in.end) {
			/* a line that may come late (a pipe): the CPU pin goes */
			dbg_session_idle(ctx->s);
		}
		got = read_line(&in, line, &len);
		if (got == 0)
			break;
		line_no++;
		interrupted = 0;
		if (got < 0 && got != -E2BIG) {
			struct dbg_err err;

			dbg_err_errno(&err, got, "cannot read standard input");
			dbg_cmd_error(ctx, got, NULL, 0, err.msg);
			failed = true;
			break;
		}
		if (check_line(ctx, got, line, len, NULL, line_no) < 0) {
			failed = true;
			/* the rest of an overlong line may never end */
			if (got == -E2BIG)
				break;
			continue;
		}
		if (dbg_cmd_exec(ctx, line, NULL, 0) < 0)
			failed = true;
		if (ctx->quit || output_failed || ui_sig_exit_signal())
			break;
	}
	running = NULL;
	free(line);
	free(in.buf);
	return exit_status(ctx, failed);
}

/* ---- labs --------------------------------------------------------------- */

/* A lab run: where the checks go, and where the lab is. */
struct lab_run {
	dbg_emit_fn *emit; /* the front end's sink */
	void *emit_arg;
	const struct dbg_lab *lab;
	const struct ui_lab_meta *meta;
	struct ui_lab_results *results;   /* each check kept for the reports */
	const struct ui_answers *answers; /* NULL: questions not graded */
	struct dbg_cmd_ctx *ctx;
	size_t step; /* index of the step being run */
	unsigned passed;
	unsigned right;         /* answers right */
	unsigned skipped;       /* checks for other kinds of binary, not run */
	unsigned errors;        /* --check-lab: findings that are errors */
	unsigned warnings;      /* and warnings */
	struct dbg_arena arena; /* the check event being built */
};

/* A number member copied into obj (INT or UINT keep their sign). */
static void copy_num(struct dbg_val *obj, const char *key, const struct dbg_val *v)
{
	if (!v || v->kind == DBG_VAL_NULL)
		dbg_obj_null(obj, key);
	else if (v->kind == DBG_VAL_INT)
		dbg_obj_int(obj, key, v->i);
	else if (v->kind == DBG_VAL_BOOL)
		dbg_obj_bool(obj, key, v->b);
	else
		dbg_obj_uint(obj, key, v->u);
}

/* A check's value as the reports' text. */
static void num_text(char *buf, size_t len, const struct dbg_val *v)
{
	if (!v || v->kind == DBG_VAL_NULL)
		snprintf(buf, len, "nothing");
	else if (v->kind == DBG_VAL_BOOL)
		snprintf(buf, len, "%s", v->b ? "true" : "false");
	else if (v->kind == DBG_VAL_INT)
		snprintf(buf, len, "%lld", (long long)v->i);
	else if (v->kind == DBG_VAL_ADDR || v->u > 0xffff)
		snprintf(buf, len, "%#llx", (unsigned long long)v->u);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v->u);
}

/* The name of a check in the reports: "step 2, line 30: expect $pc == X". */
static void check_name(char *buf, size_t len, size_t step, uint64_t line, const char *expr)
{
	snprintf(buf, len, "step %zu, line %llu: expect %s", step, (unsigned long long)line,
		 expr ? expr : "");
}

/* An expect event as the lab's check (dbg_lab_check_of): expected and
 * actual of one JSON type (a plain truth: true, and whether it held). */
static void lab_check(struct lab_run *r, const struct dbg_val *ex)
{
	const struct dbg_lab_step *st = &r->lab->steps[r->step];
	struct dbg_val *ev = dbg_event_new(&r->arena, "check");
	struct dbg_val truth = { .kind = DBG_VAL_BOOL };
	struct dbg_lab_check c;
	uint64_t line = 0;
	char name[512], out[256], e[64], a[64];

	dbg_lab_check_of(ex, &c);
	if (!c.op) {
		truth.b = c.pass;
		c.actual = &truth;
	}
	dbg_val_get_u64(ex, "line", &line);
	dbg_obj_int(ev, "lab", r->lab->number);
	dbg_obj_uint(ev, "step", r->step + 1);
	dbg_obj_str(ev, "step_title", st->title);
	dbg_obj_uint(ev, "line", line);
	dbg_obj_str(ev, "expr", dbg_val_get_str(ex, "expr"));
	dbg_obj_bool(ev, "pass", c.pass);
	copy_num(ev, "expected", c.expected);
	copy_num(ev, "actual", c.actual);
	dbg_obj_str(ev, "op", c.op);
	dbg_obj_uint(ev, "step_count", r->lab->nsteps);
	dbg_obj_str(ev, "file", r->lab->path);
	if (c.pass)
		r->passed++;
	check_name(name, sizeof(name), r->step + 1, line, dbg_val_get_str(ex, "expr"));
	num_text(e, sizeof(e), c.expected);
	num_text(a, sizeof(a), c.actual);
	snprintf(out, sizeof(out), "%s: expected %s%s%s, actual %s", c.pass ? "passed" : "failed",
		 c.op ? c.op : "", c.op ? " " : "", e, a);
	if (r->results)
		ui_lab_results_add(r->results, name, c.pass, false, out);
	r->emit(r->emit_arg, ev);
	dbg_arena_reset(&r->arena);
}

/* An expect for other kinds of binary, not run: a check with "skipped"
 * (why) and no values. */
static void lab_skip(struct lab_run *r, const struct dbg_lab_cmd *c, unsigned kinds)
{
	const struct dbg_lab_step *st = &r->lab->steps[r->step];
	struct dbg_val *ev = dbg_event_new(&r->arena, "check");
	const char *expr = c->text + strcspn(c->text, " \t");
	char name[512];

	expr += strspn(expr, " \t");
	dbg_obj_int(ev, "lab", r->lab->number);
	dbg_obj_uint(ev, "step", r->step + 1);
	dbg_obj_str(ev, "step_title", st->title);
	dbg_obj_uint(ev, "line", (uint64_t)c->line);
	dbg_obj_str(ev, "expr", expr);
	dbg_obj_bool(ev, "pass", false);
	dbg_obj_null(ev, "expected");
	dbg_obj_null(ev, "actual");
	dbg_obj_null(ev, "op");
	dbg_obj_uint(ev, "step_count", r->lab->nsteps);
	dbg_obj_str(ev, "file", r->lab->path);
	dbg_obj_str(ev, "skipped", dbg_lab_skip_reason(c->only, kinds));
	r->skipped++;
	check_name(name, sizeof(name), r->step + 1, (uint64_t)c->line, expr);
	if (r->results)
		ui_lab_results_add(r->results, name, false, true,
				   dbg_lab_skip_reason(c->only, kinds));
	r->emit(r->emit_arg, ev);
	dbg_arena_reset(&r->arena);
}

/* ctx->emit while a lab runs: each expect becomes the lab's check; every
 * other event (stops, prints, the target's output, errors) goes on as in
 * a script. */
static void lab_emit(void *arg, const struct dbg_val *ev)
{
	struct lab_run *r = arg;
	const char *name = dbg_event_name(ev);

	if (name && strcmp(name, "expect") == 0)
		lab_check(r, ev);
	else
		r->emit(r->emit_arg, ev);
}

/* Grade the answers to the questions of the step just run. */
static void lab_answers(struct lab_run *r)
{
	const struct dbg_lab_step *st = &r->lab->steps[r->step];
	char want[320], name[512], out[768];

	for (size_t q = 0; q < st->nask; q++) {
		const struct dbg_lab_answer *a = &st->answers[q];
		const char *given =
			ui_answers_find(r->answers, (unsigned)r->step + 1, (unsigned)q + 1);
		struct dbg_expr_value v = { .v = 0 };
		struct dbg_val *ev;
		struct dbg_err err;
		bool right, known = true;

		if (a->kind == DBG_LAB_ANS_NONE)
			continue;
		if (a->kind == DBG_LAB_ANS_EXPR) {
			struct dbg_expr_env env;

			dbg_cmd_expr_env(r->ctx, &env);
			known = dbg_expr_eval(a->text, &env, &r->arena, &v, &err) == 0;
		}
		right = known && dbg_lab_answer_right(a, given, v.v, want, sizeof(want));
		if (!known)
			snprintf(want, sizeof(want), "unknown (%.200s)", err.msg);
		ev = dbg_event_new(&r->arena, "answer");
		dbg_obj_int(ev, "lab", r->lab->number);
		dbg_obj_uint(ev, "step", r->step + 1);
		dbg_obj_uint(ev, "question", q + 1);
		dbg_obj_str(ev, "ask", st->ask[q]);
		dbg_obj_bool(ev, "pass", right);
		dbg_obj_str(ev, "expected", r->lab->reveal ? want : NULL);
		dbg_obj_str(ev, "actual", given);
		dbg_obj_str(ev, "file", r->lab->path);
		dbg_obj_uint(ev, "line", (uint64_t)a->line);
		if (right)
			r->right++;
		snprintf(name, sizeof(name), "step %zu, question %zu: %s", r->step + 1, q + 1,
			 st->ask[q]);
		snprintf(out, sizeof(out), "%s: answered %s%s%s%s", right ? "right" : "wrong",
			 given ? given : "nothing", !right && r->lab->reveal ? ", expected " : "",
			 !right && r->lab->reveal ? want : "", "");
		if (r->results)
			ui_lab_results_add(r->results, name, right, false, out);
		r->emit(r->emit_arg, ev);
		dbg_arena_reset(&r->arena);
	}
}

void ui_batch_lab_start(dbg_emit_fn *emit, void *arg, const struct dbg_lab *lab, int number,
			const struct ui_lab_meta *m)
{
	struct dbg_arena a;
	struct dbg_val *ev;

	dbg_arena_init(&a);
	ev = dbg_event_new(&a, "lab_start");
	dbg_obj_int(ev, "lab", lab ? lab->number : number);
	dbg_obj_str(ev, "title", lab ? lab->title : NULL);
	dbg_obj_str(ev, "file", lab ? lab->path : NULL);
	dbg_obj_str(ev, "version", m->version);
	dbg_obj_str(ev, "program", m->program);
	dbg_obj_str(ev, "sha256", m->sha256[0] ? m->sha256 : NULL);
	dbg_obj_str(ev, "go_version", m->go_version);
	dbg_obj_str(ev, "student", m->student);
	dbg_obj_str(ev, "variant", m->variant);
	dbg_obj_str(ev, "started", m->started);
	emit(arg, ev);
	dbg_arena_release(&a);
}

/* The last event of a lab run: the counts, and status, the exit status. */
static void lab_summary(dbg_emit_fn *emit, void *arg, const struct dbg_lab *lab, int number,
			const struct ui_lab_meta *m, unsigned passed, unsigned skipped,
			size_t answers, unsigned right, bool ran, int status)
{
	struct dbg_arena a;
	struct dbg_val *ev;
	size_t checks = lab ? lab->nexpect : 0;

	dbg_arena_init(&a);
	ev = dbg_event_new(&a, "lab_summary");
	dbg_obj_int(ev, "lab", lab ? lab->number : number);
	dbg_obj_str(ev, "title", lab ? lab->title : NULL);
	dbg_obj_uint(ev, "checks", checks);
	dbg_obj_uint(ev, "passed", passed);
	dbg_obj_uint(ev, "skipped", skipped);
	dbg_obj_uint(ev, "failed", checks - passed - skipped);
	dbg_obj_uint(ev, "answers", answers);
	dbg_obj_uint(ev, "answers_right", right);
	dbg_obj_bool(ev, "ran", ran);
	dbg_obj_int(ev, "status", status);
	dbg_obj_str(ev, "student", m->student);
	dbg_obj_uint(ev, "duration_ms", ui_lab_meta_elapsed_ms(m));
	emit(arg, ev);
	dbg_arena_release(&a);
}

int ui_batch_lab_not_run(dbg_emit_fn *emit, void *arg, const struct dbg_lab *lab, int number,
			 const struct ui_lab_meta *m, const char *msg, bool started)
{
	struct dbg_arena a;
	struct dbg_val *ev;

	if (!started)
		ui_batch_lab_start(emit, arg, lab, number, m);
	dbg_arena_init(&a);
	ev = dbg_event_new(&a, "error");
	dbg_obj_str(ev, "message", msg);
	emit(arg, ev);
	dbg_arena_release(&a);
	lab_summary(emit, arg, lab, number, m, 0, 0, 0, 0, false, UI_EXIT_NOT_RUN);
	return UI_EXIT_NOT_RUN;
}

int ui_batch_run_lab(struct dbg_cmd_ctx *ctx, const struct dbg_lab *lab,
		     const struct ui_lab_meta *meta, struct ui_lab_results *results,
		     const struct ui_answers *answers)
{
	struct lab_run r = {
		.emit = ctx->emit,
		.emit_arg = ctx->emit_arg,
		.lab = lab,
		.meta = meta,
		.results = results,
		.answers = answers,
		.ctx = ctx,
	};
	unsigned failures_before = ctx->expect_failures;
	unsigned kinds = dbg_lab_program_kinds(ctx->s);
	int rc = 0, status;
	size_t j;

	ui_batch_lab_start(r.emit, r.emit_arg, lab, lab->number, meta);
	dbg_arena_init(&r.arena);
	ctx->emit = lab_emit;
	ctx->emit_arg = &r;
	running = ctx->s;
	for (r.step = 0; r.step < lab->nsteps; r.step++) {
		const struct dbg_lab_step *st = &lab->steps[r.step];

		for (j = 0; j < st->ncmds && rc == 0; j++) {
			if (stopped(ctx))
				break;
			if (!dbg_lab_runs(st->cmds[j].only, kinds)) {
				if (st->cmds[j].expect)
					lab_skip(&r, &st->cmds[j], kinds);
				continue;
			}
			rc = dbg_cmd_exec(ctx, st->cmds[j].text, lab->path, st->cmds[j].line);
		}
		if (rc < 0 || stopped(ctx))
			break;
		if (answers)
			lab_answers(&r);
	}
	running = NULL;
	ctx->emit = r.emit;
	ctx->emit_arg = r.emit_arg;
	dbg_arena_release(&r.arena);

	/* the program never started (ptrace refused, exec failed): the lab
	 * could not run, which is not the student's failure */
	if (rc < 0 && !ctx->started)
		status = UI_EXIT_NOT_RUN;
	else if (rc < 0 || interrupted || output_failed || r.passed + r.skipped != lab->nexpect ||
		 ctx->expect_failures != failures_before || (answers && r.right != lab->nanswers))
		status = UI_EXIT_FAIL;
	else
		status = UI_EXIT_OK;
	lab_summary(r.emit, r.emit_arg, lab, lab->number, meta, r.passed, r.skipped,
		    answers ? lab->nanswers : 0, r.right, status != UI_EXIT_NOT_RUN, status);
	return status;
}

/* ---- checking a lab file (--check-lab) ----------------------------------- */

/* One finding about the lab file: a "lab_finding" event. error: it makes
 * the lab unsound (exit status 1); else a warning. */
static void lab_finding(struct lab_run *r, size_t step, int line, const char *kind, bool error,
			const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void lab_finding(struct lab_run *r, size_t step, int line, const char *kind, bool error,
			const char *expr, const char *fmt, ...)
{
	const struct dbg_lab_step *st = &r->lab->steps[step];
	struct dbg_val *ev = dbg_event_new(&r->arena, "lab_finding");
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dbg_obj_int(ev, "lab", r->lab->number);
	dbg_obj_uint(ev, "step", step + 1);
	dbg_obj_str(ev, "step_title", st->title);
	dbg_obj_str(ev, "file", r->lab->path);
	dbg_obj_uint(ev, "line", (uint64_t)line);
	dbg_obj_str(ev, "kind", kind);
	dbg_obj_str(ev, "severity", error ? "error" : "warning");
	dbg_obj_str(ev, "expr", expr);
	dbg_obj_str(ev, "message", msg);
	if (error)
		r->errors++;
	else
		r->warnings++;
	r->emit(r->emit_arg, ev);
	dbg_arena_reset(&r->arena);
}

/* The expression of an expect line. */
static const char *expect_expr(const struct dbg_lab_cmd *c)
{
	const char *e = c->text + strcspn(c->text, " \t");

	return e + strspn(e, " \t");
}

/* Whether text evaluates, on the program as it is, to a non-zero value. */
static bool holds_now(struct lab_run *r, const char *text)
{
	struct dbg_expr_env env;
	struct dbg_expr_value v = { .v = 0 };
	struct dbg_err err;
	bool ok;

	if (!dbg_session_running(r->ctx->s))
		return false;
	dbg_cmd_expr_env(r->ctx, &env);
	ok = dbg_expr_eval(text, &env, &r->arena, &v, &err) == 0 && v.v != 0;
	dbg_arena_reset(&r->arena);
	return ok;
}

/* Step k's checks that come after a command that runs the program on
 * (continue, stepi …) and already hold where step k-1 left it: each is a
 * warning; a step whose every such check held is an error (its commands
 * are not what makes its checks true). A step that starts the program
 * again (run, starti) has no state before it to compare with, and one
 * that only looks (info, print, x) checks the state it found: neither is
 * reported, nor is the first step. */
static void lint_before(struct lab_run *r, size_t k, unsigned kinds)
{
	const struct dbg_lab_step *st = &r->lab->steps[k];
	size_t n = 0, held = 0;
	bool moved = false;

	if (k == 0)
		return;
	for (size_t j = 0; j < st->ncmds; j++)
		if (st->cmds[j].restarts && dbg_lab_runs(st->cmds[j].only, kinds))
			return;
	for (size_t j = 0; j < st->ncmds; j++) {
		const struct dbg_lab_cmd *c = &st->cmds[j];

		if (!dbg_lab_runs(c->only, kinds))
			continue;
		moved |= c->moves;
		if (!c->expect || !moved)
			continue;
		n++;
		if (!holds_now(r, expect_expr(c)))
			continue;
		held++;
		lab_finding(r, k, c->line, "trivial", false, expect_expr(c),
			    "already holds before step %zu runs", k + 1);
	}
	if (n && held == n)
		lab_finding(r, k, st->line, "step-trivial", true, NULL,
			    "every check of step %zu already holds before its commands run", k + 1);
}

/* After step k: each #@ask has an #@answer (else a warning), and each
 * answer expression evaluates (else an error). */
static void lint_answers(struct lab_run *r, size_t k)
{
	const struct dbg_lab_step *st = &r->lab->steps[k];

	for (size_t q = 0; q < st->nask; q++) {
		const struct dbg_lab_answer *a = &st->answers[q];
		struct dbg_expr_env env;
		struct dbg_expr_value v = { .v = 0 };
		struct dbg_err err;

		if (a->kind == DBG_LAB_ANS_NONE) {
			lab_finding(r, k, st->line, "ungraded", false, NULL,
				    "question %zu has no #@answer: \"%.300s\"", q + 1, st->ask[q]);
			continue;
		}
		if (a->kind != DBG_LAB_ANS_EXPR)
			continue;
		dbg_cmd_expr_env(r->ctx, &env);
		if (dbg_expr_eval(a->text, &env, &r->arena, &v, &err) < 0) {
			char msg[sizeof(err.msg)];

			snprintf(msg, sizeof(msg), "%s", err.msg);
			dbg_arena_reset(&r->arena);
			lab_finding(r, k, a->line, "answer", true, a->text,
				    "the answer of question %zu cannot be evaluated: %s", q + 1,
				    msg);
		}
		dbg_arena_reset(&r->arena);
	}
}

/* ctx->emit while a lab is checked: only what the teacher needs (the
 * checks and the errors); stops, prints and output are left out. */
static void check_emit(void *arg, const struct dbg_val *ev)
{
	struct lab_run *r = arg;
	const char *name = dbg_event_name(ev);

	if (name && strcmp(name, "expect") == 0)
		lab_check(r, ev);
	else if (name && strcmp(name, "error") == 0)
		r->emit(r->emit_arg, ev);
}

int ui_batch_check_lab(struct dbg_cmd_ctx *ctx, const struct dbg_lab *lab,
		       const struct ui_lab_meta *meta)
{
	struct lab_run r = {
		.emit = ctx->emit,
		.emit_arg = ctx->emit_arg,
		.lab = lab,
		.meta = meta,
		.ctx = ctx,
	};
	unsigned failures_before = ctx->expect_failures;
	unsigned kinds = dbg_lab_program_kinds(ctx->s);
	int rc = 0, status;
	size_t j, reached = 0;

	ui_batch_lab_start(r.emit, r.emit_arg, lab, lab->number, meta);
	dbg_arena_init(&r.arena);
	ctx->emit = check_emit;
	ctx->emit_arg = &r;
	running = ctx->s;
	for (r.step = 0; r.step < lab->nsteps; r.step++) {
		const struct dbg_lab_step *st = &lab->steps[r.step];
		int bad_line = 0;

		if (r.step && !dbg_session_running(ctx->s))
			break;
		lint_before(&r, r.step, kinds);
		for (j = 0; j < st->ncmds && rc == 0; j++) {
			if (stopped(ctx))
				break;
			if (!dbg_lab_runs(st->cmds[j].only, kinds)) {
				if (st->cmds[j].expect)
					lab_skip(&r, &st->cmds[j], kinds);
				continue;
			}
			rc = dbg_cmd_exec(ctx, st->cmds[j].text, lab->path, st->cmds[j].line);
			if (rc < 0)
				bad_line = st->cmds[j].line;
		}
		if (rc < 0 || stopped(ctx)) {
			if (bad_line)
				lab_finding(&r, r.step, bad_line, "unreachable", true, NULL,
					    "step %zu ends early: line %d failed", r.step + 1,
					    bad_line);
			break;
		}
		reached = r.step + 1;
		lint_answers(&r, r.step);
	}
	for (j = reached + (rc < 0 ? 1 : 0); j < lab->nsteps && !stopped(ctx); j++)
		lab_finding(&r, j, lab->steps[j].line, "unreachable", true, NULL,
			    "step %zu is never reached: %s", j + 1,
			    rc < 0 ? "an earlier step failed" : "the program is no longer running");
	running = NULL;
	ctx->emit = r.emit;
	ctx->emit_arg = r.emit_arg;
	dbg_arena_release(&r.arena);

	if (rc < 0 && !ctx->started)
		status = UI_EXIT_NOT_RUN;
	else if (rc < 0 || interrupted || output_failed || r.errors ||
		 r.passed + r.skipped != lab->nexpect || ctx->expect_failures != failures_before)
		status = UI_EXIT_FAIL;
	else
		status = UI_EXIT_OK;
	lab_summary(r.emit, r.emit_arg, lab, lab->number, meta, r.passed, r.skipped, 0, 0,
		    status != UI_EXIT_NOT_RUN, status);
	return status;
}

bool ui_batch_lab_file(const char *path)
{
	char line[256];
	struct stat st;
	bool lab = false;

	/* only a regular file is looked into (a FIFO or /dev/zero would
	 * never end), and only its leading comment lines */
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	for (int n = 0; n < 1000 && fgets(line, sizeof(line), f); n++) {
		const char *p = line + strspn(line, " \t");

		if (strncmp(p, "#@", 2) == 0) {
			lab = strncmp(p, "#@lab", 5) == 0 && (p[5] == ' ' || p[5] == '\t');
			break;
		}
		if (*p != '#' && *p != '\n' && *p != '\0')
			break;
	}
	fclose(f);
	return lab;
}

int ui_batch_list_labs(dbg_emit_fn *emit, void *arg, const char *dir, struct dbg_err *err)
{
	struct dbg_lab_info *v;
	struct dbg_val *ev, *labs;
	struct dbg_arena a;
	size_t n, i;
	int rc;

	rc = dbg_lab_list(dir, &v, &n, err);
	if (rc < 0)
		return rc;
	dbg_arena_init(&a);
	ev = dbg_event_new(&a, "labs");
	dbg_obj_str(ev, "dir", dir);
	labs = dbg_obj_array(ev, "labs");
	for (i = 0; i < n; i++) {
		struct dbg_val *o = dbg_arr_object(labs);

		dbg_obj_int(o, "number", v[i].number);
		dbg_obj_str(o, "title", v[i].title);
		dbg_obj_str(o, "file", v[i].path);
	}
	emit(arg, ev);
	dbg_arena_release(&a);
	dbg_lab_list_free(v, n);
	return 0;
}
