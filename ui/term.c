#include "term.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <ncursesw/term.h>

#include "sig.h"

static bool active;
static volatile sig_atomic_t resized;
static volatile sig_atomic_t ticked;
static struct sigaction curses_winch, old_alarm;

#define TICK_MS 250

/* What ncurses writes for mouse reporting when the terminal has no XM
 * string of its own (lib_mouse.c). */
#define XTERM_MOUSE "\033[?1000%?%p1%{1}%=%th%el%;"

static bool valid(const char *s)
{
	return s != NULL && s != (char *)-1 && s[0];
}

bool ui_term_usable(char *why, size_t n)
{
	const char *name = getenv("TERM");
	int errret = 0;

	if (!name || !name[0]) {
		snprintf(why, n, "TERM is not set");
		return false;
	}
	if (setupterm(NULL, STDOUT_FILENO, &errret) != OK) {
		snprintf(why, n, "the terminal '%s' is not known here (no terminfo entry)", name);
		return false;
	}
	bool ok = valid(tigetstr("cup")) && valid(tigetstr("clear")) && tigetflag("hc") <= 0 &&
		  tigetflag("gn") <= 0;
	del_curterm(cur_term);
	cur_term = NULL;
	if (!ok)
		snprintf(why, n, "the terminal '%s' cannot move the cursor", name);
	return ok;
}

static void append(char *buf, size_t *len, size_t cap, const char *s)
{
	if (!valid(s))
		return;
	size_t n = strlen(s);
	if (*len + n > cap)
		return;
	memcpy(buf + *len, s, n);
	*len += n;
}

static void append_cap(char *buf, size_t *len, size_t cap, const char *name)
{
	append(buf, len, cap, tigetstr(name));
}

static void on_winch(int sig)
{
	resized = 1;
	/* curses' own handler: its key wait then reports KEY_RESIZE */
	if ((curses_winch.sa_flags & SA_SIGINFO) == 0 && curses_winch.sa_handler != SIG_DFL &&
	    curses_winch.sa_handler != SIG_IGN)
		curses_winch.sa_handler(sig);
}

static void on_alarm(int sig)
{
	(void)sig;
	ticked = 1;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum ui_theme_bg ui_term_query_bg(int timeout_ms)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return UI_THEME_AUTO;
	struct termios saved, raw;
	if (tcgetattr(STDIN_FILENO, &saved) < 0)
		return UI_THEME_AUTO;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) < 0)
		return UI_THEME_AUTO;
	static const char ask[] = "\033]11;?\033\\\033[c";
	char reply[256];
	size_t n = 0;
	bool da1 = false;
	if (write(STDOUT_FILENO, ask, sizeof ask - 1) == (ssize_t)(sizeof ask - 1)) {
		long end = now_ms() + timeout_ms;
		/* read until the DA1 answer ("\033[?...c") ends the replies */
		while (!da1 && n < sizeof reply - 1) {
			long left = end - now_ms();
			struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
			if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
				break;
			ssize_t r = read(STDIN_FILENO, reply + n, sizeof reply - 1 - n);
			if (r <= 0)
				break;
			n += (size_t)r;
			reply[n] = '\0';
			char *q = strstr(reply, "\033[?");
			if (q && strchr(q, 'c'))
				da1 = true;
		}
	}
	tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	return ui_theme_bg_from_osc11(reply, n);
}

int ui_term_init(struct dbg_err *err)
{
	if (active)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return dbg_err_set(err, -ENOTTY, "the TUI needs a terminal: use --batch");
	struct termios modes;
	bool have_modes = tcgetattr(STDIN_FILENO, &modes) == 0;
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

	/* in endwin's order: mouse off, attributes, cursor, keypad, screen */
	char seq[256];
	size_t len = 0;
	if (valid(tigetstr("kmous"))) {
		const char *xm = tigetstr("XM");
		append(seq, &len, sizeof seq, tiparm(valid(xm) ? xm : XTERM_MOUSE, 0));
	}
	append_cap(seq, &len, sizeof seq, "sgr0");
	append_cap(seq, &len, sizeof seq, "cnorm");
	append_cap(seq, &len, sizeof seq, "rmkx");
	append_cap(seq, &len, sizeof seq, "rmcup");
	if (have_modes)
		ui_sig_set_tty(seq, len, &modes);

	/* After initscr: SIGINT stops the key wait; SIGWINCH is noted for the
	 * waits that are not curses' (a running program), then curses'. */
	ui_sig_install(true);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_winch;
	sigemptyset(&sa.sa_mask);
	resized = 0;
	sigaction(SIGWINCH, &sa, &curses_winch);
	/* no SA_RESTART: the tick cuts a wait for the program short */
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, &old_alarm);
	return 0;
}

void ui_term_end(void)
{
	if (!active)
		return;
	ui_term_tick(false);
	sigaction(SIGALRM, &old_alarm, NULL);
	sigaction(SIGWINCH, &curses_winch, NULL);
	endwin();
	ui_sig_set_tty(NULL, 0, NULL);
	/* Ctrl-C at a line prompt again goes on reading */
	ui_sig_install(false);
	active = false;
}

bool ui_term_take_resize(void)
{
	if (!resized)
		return false;
	resized = 0;
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	return true;
}

bool ui_term_gone(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

void ui_term_tick(bool on)
{
	struct itimerval it;
	memset(&it, 0, sizeof it);
	if (on) {
		it.it_interval.tv_usec = TICK_MS * 1000;
		it.it_value = it.it_interval;
	}
	setitimer(ITIMER_REAL, &it, NULL);
	ticked = 0;
}

bool ui_term_take_tick(void)
{
	if (!ticked)
		return false;
	ticked = 0;
	return true;
}
