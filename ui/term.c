#include "term.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

static bool active;
static struct termios saved_modes;
static bool have_modes;
/* sgr0, cnorm, rmkx and rmcup of this terminal, for the signal handlers */
static char reset_seq[256];
static size_t reset_len;

static volatile sig_atomic_t tracee;
static volatile sig_atomic_t sigints;
static void (*volatile busy_fn)(void *);
static void *volatile busy_arg;

static const int fatal_signals[] = {SIGTERM, SIGHUP, SIGSEGV, SIGBUS,
				    SIGFPE, SIGILL, SIGABRT};

static void append_cap(const char *name)
{
	char *s = tigetstr(name);
	if (s == NULL || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (reset_len + n >= sizeof reset_seq)
		return;
	memcpy(reset_seq + reset_len, s, n);
	reset_len += n;
}

/* Async-signal-safe: only tcsetattr, write and kill. */
static void restore_and_kill(void)
{
	if (active) {
		if (reset_len)
			(void)!write(STDOUT_FILENO, reset_seq, reset_len);
		if (have_modes)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_modes);
		(void)!write(STDOUT_FILENO, "\r\n", 2);
	}
	pid_t pid = (pid_t)tracee;
	if (pid > 0)
		kill(pid, SIGKILL);
}

static void on_fatal(int sig)
{
	restore_and_kill();
	signal(sig, SIG_DFL);
	/* Pending until this handler returns, then the default action. */
	raise(sig);
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

static void install(int sig, void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART for SIGINT: a blocking read returns so the loop
	 * sees the Ctrl-C at once. */
	sa.sa_flags = sig == SIGINT ? 0 : SA_RESTART;
	sigaction(sig, &sa, NULL);
}

int ui_term_init(struct dbg_err *err)
{
	if (active)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return dbg_err_set(err, -ENOTTY,
				   "the TUI needs a terminal: use --batch");
	have_modes = tcgetattr(STDIN_FILENO, &saved_modes) == 0;
	setlocale(LC_ALL, "");
	/* Esc closes overlays: do not wait a second for an escape sequence. */
	set_escdelay(25);
	if (initscr() == NULL)
		return dbg_err_set(err, -EIO, "cannot start curses on this terminal");
	active = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	/* Until the screen has been suspended once, ncurses 6.4 writes out
	 * every cursor movement on its own; one suspend and resume here makes
	 * each frame a single write. */
	endwin();
	refresh();

	reset_len = 0;
	append_cap("sgr0");
	append_cap("cnorm");
	append_cap("rmkx");
	append_cap("rmcup");

	/* After initscr: curses installs its own SIGINT/SIGTERM handlers when
	 * they are at their defaults; ours replace them. */
	install(SIGINT, on_sigint);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		install(fatal_signals[i], on_fatal);
	return 0;
}

void ui_term_end(void)
{
	if (!active)
		return;
	signal(SIGINT, SIG_DFL);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		signal(fatal_signals[i], SIG_DFL);
	endwin();
	active = false;
}

bool ui_term_active(void)
{
	return active;
}

void ui_term_set_tracee(pid_t pid)
{
	tracee = pid;
}

void ui_term_set_busy(void (*fn)(void *arg), void *arg)
{
	busy_arg = arg;
	busy_fn = fn;
}

int ui_term_take_sigint(void)
{
	int n = sigints;
	sigints = 0;
	return n;
}
