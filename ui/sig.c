#include "sig.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t tracee;
static volatile sig_atomic_t sigints;
static volatile sig_atomic_t exit_sig;
static struct timespec exit_at;
static void (*volatile busy_fn)(void *);
static void *volatile busy_arg;

/* Read by the crash path: written only while no handler runs, with the
 * signals concerned blocked. */
static char tty_seq[256];
static size_t tty_len;
static struct termios tty_modes;
static volatile sig_atomic_t have_tty;
static char note[512];
static size_t note_len;
/* The events a holding sink has not written yet (ui_sig_set_output). */
static volatile int out_fd = -1;
static const char *volatile out_buf;
static const volatile size_t *volatile out_done, *volatile out_ready;
static const volatile sig_atomic_t *volatile out_writing;

static const int exit_signals[] = { SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The whole events held and not written yet; none while a write of
 * them is under way (the handler may have cut it anywhere). */
static void write_held(void)
{
	const char *buf = out_buf;
	if (!buf || out_fd < 0 || *out_writing)
		return;
	size_t done = *out_done, ready = *out_ready;
	while (ready > done) {
		ssize_t k = write(out_fd, buf + done, ready - done);
		if (k <= 0)
			return;
		done += (size_t)k;
	}
}

/* Async-signal-safe: write, tcsetattr and kill only. */
static void restore_and_kill(void)
{
	if (have_tty) {
		if (tty_len)
			(void)!write(STDOUT_FILENO, tty_seq, tty_len);
		tcsetattr(STDIN_FILENO, TCSANOW, &tty_modes);
		(void)!write(STDOUT_FILENO, "\r\n", 2);
	}
	write_held();
	pid_t pid = (pid_t)tracee;
	if (pid > 0)
		kill(pid, SIGKILL);
	if (note_len)
		(void)!write(STDERR_FILENO, note, note_len);
}

/* From a handler of sig: the default action follows its return. */
static void die_now(int sig)
{
	restore_and_kill();
	signal(sig, SIG_DFL);
	/* blocked while this handler runs: pending until it returns */
	raise(sig);
}

static void on_crash(int sig)
{
	die_now(sig);
}

static void interrupt_busy(void)
{
	void (*fn)(void *) = busy_fn;
	if (fn)
		fn(busy_arg);
}

static void on_exit_signal(int sig)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!exit_sig) {
		exit_at = now;
		exit_sig = sig;
		interrupt_busy();
		return;
	}
	/* A pipe's reader gone makes every later write signal again; two
	 * signals at once (a hangup and the pane's SIGHUP) are one request. */
	if (sig == SIGPIPE)
		return;
	if (now.tv_sec - exit_at.tv_sec > 1 ||
	    (now.tv_sec - exit_at.tv_sec == 1 && now.tv_nsec >= exit_at.tv_nsec))
		die_now(sig);
}

static void on_sigint(int sig)
{
	(void)sig;
	void (*fn)(void *) = busy_fn;
	if (fn)
		fn(busy_arg);
	else
		sigints = sigints + 1;
}

/* Installs handler for sig. SIGHUP and SIGPIPE ignored when we started
 * (nohup, trap '' PIPE) stay ignored; a shell also ignores SIGINT and
 * SIGQUIT for its background jobs, but Ctrl-C must still interrupt. */
static void install_handler(int sig, void (*handler)(int), bool restart)
{
	struct sigaction sa, old;
	if ((sig == SIGHUP || sig == SIGPIPE) && sigaction(sig, NULL, &old) == 0 &&
	    old.sa_handler == SIG_IGN)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	/* one exit at a time: an exit handler is not cut by another */
	for (size_t i = 0; i < COUNT(exit_signals); i++)
		sigaddset(&sa.sa_mask, exit_signals[i]);
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(sig, &sa, NULL);
}

void ui_sig_install(bool tui)
{
	install_handler(SIGINT, on_sigint, !tui);
	for (size_t i = 0; i < COUNT(exit_signals); i++)
		install_handler(exit_signals[i], on_exit_signal, false);
	for (size_t i = 0; i < COUNT(crash_signals); i++)
		install_handler(crash_signals[i], on_crash, true);
}

void ui_sig_set_busy(void (*fn)(void *arg), void *arg)
{
	busy_fn = NULL;
	busy_arg = arg;
	busy_fn = fn;
	/* an exit signal that came just before this command started */
	if (fn && exit_sig)
		fn(arg);
}

int ui_sig_take_sigint(void)
{
	int n = sigints;
	sigints = 0;
	return n;
}

int ui_sig_exit_signal(void)
{
	return exit_sig;
}

void ui_sig_request_exit(int sig)
{
	if (!exit_sig) {
		clock_gettime(CLOCK_MONOTONIC, &exit_at);
		exit_sig = sig;
		interrupt_busy();
	}
}

void ui_sig_reraise(int sig)
{
	sigset_t set;
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

void ui_sig_set_tracee(pid_t pid)
{
	tracee = pid;
}

/* Changes what the crash path reads with every signal blocked, so no
 * handler sees it half written. */
static void block_all(sigset_t *old)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

void ui_sig_set_tty(const char *seq, size_t len, const struct termios *modes)
{
	sigset_t old;
	block_all(&old);
	have_tty = 0;
	if (seq) {
		if (len > sizeof tty_seq)
			len = sizeof tty_seq;
		memcpy(tty_seq, seq, len);
		tty_len = len;
		tty_modes = *modes;
		have_tty = 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void ui_sig_set_output(int fd, const char *buf, const volatile size_t *done,
		       const volatile size_t *ready, const volatile sig_atomic_t *writing)
{
	sigset_t old;
	block_all(&old);
	out_buf = NULL;
	out_fd = fd;
	out_done = done;
	out_ready = ready;
	out_writing = writing;
	out_buf = buf;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void ui_sig_set_note(const char *text)
{
	sigset_t old;
	block_all(&old);
	note_len = 0;
	if (text) {
		size_t n = strlen(text);
		if (n > sizeof note)
			n = sizeof note;
		memcpy(note, text, n);
		note_len = n;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}
