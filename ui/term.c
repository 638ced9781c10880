#include "term.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
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

/* ---- full repaint ---------------------------------------------------------
 *
 * The screen as curses holds it (curscr) written out again from a cleared
 * terminal. Each change of attributes is the sequence ncurses itself would
 * write for it (vid_puts, from one look to the next), or only smacs or
 * rmacs where only the line-drawing set changes, computed once per pair of
 * looks and kept; each cursor address (cup) once per cell. Blank
 * cells that look as the clear leaves them are not written, and long runs
 * of coloured blanks are erased (ech) where the terminal erases in colour.
 */

struct look {
	attr_t attr; /* without the colour bits */
	int pair;
};

/* An arena of strings: what the terminal is sent for a change of look and
 * for a cursor address. */
struct seq {
	uint64_t key; /* 0: free */
	uint32_t off, len;
};

static struct {
	bool tried, ok;
	struct seq *slots;
	size_t cap, used;
	char *arena;
	size_t arena_len, arena_cap;
	char *out;
	size_t out_len, out_cap;
	bool failed;
	bool *pair_default; /* per pair: the terminal's foreground and background */
	int npair;
	bool utf8;
	bool ech;       /* erase_chars, in the current background (bce) */
	char acsc[128]; /* per line-drawing character: the terminal's, or 0 */
} rp;

static bool out_grow(size_t n)
{
	size_t cap = rp.out_cap ? rp.out_cap : 32768;
	while (cap < rp.out_len + n)
		cap *= 2;
	char *p = realloc(rp.out, cap);
	if (!p) {
		rp.failed = true;
		return false;
	}
	rp.out = p;
	rp.out_cap = cap;
	return true;
}

static inline bool out_room(size_t n)
{
	return rp.out_len + n <= rp.out_cap || out_grow(n);
}

static void out_bytes(const char *s, size_t n)
{
	if (!out_room(n))
		return;
	memcpy(rp.out + rp.out_len, s, n);
	rp.out_len += n;
}

/* vid_puts' output, caught. */
static int catch_char(int c)
{
	if (rp.arena_len + 1 > rp.arena_cap) {
		size_t cap = rp.arena_cap ? rp.arena_cap * 2 : 8192;
		char *p = realloc(rp.arena, cap);
		if (!p) {
			rp.failed = true;
			return c;
		}
		rp.arena = p;
		rp.arena_cap = cap;
	}
	rp.arena[rp.arena_len++] = (char)c;
	return c;
}

static int drop_char(int c)
{
	return c;
}

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static struct seq *seq_slot(uint64_t key)
{
	if (rp.used * 2 >= rp.cap) {
		size_t cap = rp.cap ? rp.cap * 2 : 1024;
		struct seq *t = calloc(cap, sizeof *t);
		if (!t) {
			rp.failed = true;
			return NULL;
		}
		for (size_t i = 0; i < rp.cap; i++) {
			if (!rp.slots[i].key)
				continue;
			size_t j = mix(rp.slots[i].key) & (cap - 1);
			while (t[j].key)
				j = (j + 1) & (cap - 1);
			t[j] = rp.slots[i];
		}
		free(rp.slots);
		rp.slots = t;
		rp.cap = cap;
	}
	size_t j = mix(key) & (rp.cap - 1);
	while (rp.slots[j].key && rp.slots[j].key != key)
		j = (j + 1) & (rp.cap - 1);
	return &rp.slots[j];
}

static void out_seq(const struct seq *s)
{
	out_bytes(rp.arena + s->off, s->len);
}

/* What ncurses writes to go from one look to the other. */
static void change_look(struct look from, struct look to)
{
	/* exact: the attributes are bits 16..31 once the colour and the
	 * character are taken out; pairs are below 2^15 (the caller checks) */
	uint64_t key = 1ull << 63 | (uint64_t)(from.attr >> 16) << 46 | (uint64_t)from.pair << 31 |
		       (uint64_t)(to.attr >> 16) << 15 | (uint64_t)to.pair;
	struct seq *s = seq_slot(key);
	if (!s)
		return;
	if (!s->key) {
		size_t start = rp.arena_len;
		const char *acs = NULL;
		/* Into or out of the line-drawing set and nothing else:
		 * smacs or rmacs, where ncurses would reset every attribute
		 * and set them again (sgr). */
		if (from.pair == to.pair && ((from.attr ^ to.attr) & ~A_CHARTEXT) == A_ALTCHARSET)
			acs = (to.attr & A_ALTCHARSET) ? enter_alt_charset_mode :
							 exit_alt_charset_mode;
		if (valid(acs)) {
			tputs(acs, 1, catch_char);
		} else {
			vid_puts(from.attr, (short)from.pair, NULL, drop_char);
			vid_puts(to.attr, (short)to.pair, NULL, catch_char);
		}
		if (rp.failed)
			return; /* not kept: it may be cut short */
		s->key = key;
		s->off = (uint32_t)start;
		s->len = (uint32_t)(rp.arena_len - start);
		rp.used++;
	}
	out_seq(s);
}

static void move_to(int y, int x)
{
	uint64_t key = (uint64_t)1 << 62 | (uint64_t)(unsigned)y << 20 | (uint64_t)(unsigned)x;
	struct seq *s = seq_slot(key);
	if (!s)
		return;
	if (!s->key) {
		size_t start = rp.arena_len;
		tputs(tiparm(cursor_address, y, x), 1, catch_char);
		if (rp.failed)
			return;
		s->key = key;
		s->off = (uint32_t)start;
		s->len = (uint32_t)(rp.arena_len - start);
		rp.used++;
	}
	out_seq(s);
}

static bool same_look(struct look a, struct look b)
{
	return a.attr == b.attr && a.pair == b.pair;
}

/* A blank in this look is what the clear leaves: the terminal's own
 * colours, and no attribute that shows on a blank (what ncurses' update
 * also leaves to a clear: bold, dim, blink and italic do not show). */
static bool blank_default(struct look l)
{
	return (l.attr & ~(A_CHARTEXT | A_BOLD | A_DIM | A_BLINK | A_ITALIC)) == A_NORMAL &&
	       (l.pair <= 0 || (l.pair < rp.npair && rp.pair_default[l.pair]));
}

/* Blanks erased together with ech rather than written, from this many:
 * an ech and a cursor address cost about as much as a dozen blanks. */
#define ECH_MIN 16

/* How many cells from c on are blanks of look l, when those may be erased
 * with ech (the terminal erases in the current background, and l has no
 * attribute that shows on a blank); 0 otherwise. */
static int blank_run(const cchar_t *c, int room, struct look l)
{
	if (!rp.ech || (l.attr & ~(A_CHARTEXT | A_BOLD | A_DIM | A_BLINK | A_ITALIC)) != A_NORMAL)
		return 0;
	int k = 0;
	while (k < room && c[k].chars[0] == L' ' && !c[k].chars[1] &&
	       (c[k].attr & ~(A_COLOR | A_CHARTEXT)) == l.attr &&
	       (c[k].ext_color ? c[k].ext_color : PAIR_NUMBER(c[k].attr)) == l.pair)
		k++;
	return k;
}

static void erase_run(int k)
{
	uint64_t key = (uint64_t)1 << 61 | (uint64_t)(unsigned)k;
	struct seq *s = seq_slot(key);
	if (!s)
		return;
	if (!s->key) {
		size_t start = rp.arena_len;
		tputs(tiparm(erase_chars, k), 1, catch_char);
		if (rp.failed)
			return;
		s->key = key;
		s->off = (uint32_t)start;
		s->len = (uint32_t)(rp.arena_len - start);
		rp.used++;
	}
	out_seq(s);
}

static bool repaint_supported(void)
{
	if (rp.tried)
		return rp.ok;
	rp.tried = true;
	/* a terminal that scrolls when its last cell is written, or that
	 * takes a cell for an attribute, is left to curses */
	rp.ok = valid(cursor_address) && valid(clear_screen) && valid(exit_attribute_mode) &&
		!(auto_right_margin && !eat_newline_glitch) && magic_cookie_glitch <= 0;
	rp.utf8 = MB_CUR_MAX > 1;
	rp.ech = back_color_erase && valid(erase_chars);
	/* the line-drawing characters this terminal has (acsc: pairs of the
	 * VT100 name and the character in the alternate set) */
	const char *acsc = acs_chars;
	for (size_t i = 0; valid(acsc) && acsc[i] && acsc[i + 1]; i += 2)
		if ((unsigned char)acsc[i] < 128)
			rp.acsc[(unsigned char)acsc[i]] = acsc[i + 1];
	if (rp.ok && has_colors()) {
		rp.npair = COLOR_PAIRS < 256 ? COLOR_PAIRS : 256;
		rp.pair_default = calloc((size_t)rp.npair, sizeof *rp.pair_default);
		if (!rp.pair_default)
			rp.ok = false;
		for (int i = 0; rp.ok && i < rp.npair; i++) {
			short fg, bg;
			rp.pair_default[i] =
				pair_content((short)i, &fg, &bg) == OK && fg < 0 && bg < 0;
		}
	}
	return rp.ok;
}

/* One cell of curscr: its look, and the bytes of its character. */
static int cell_bytes(const cchar_t *c, struct look *l, char *buf, size_t n)
{
	wchar_t wc = c->chars[0];
	size_t len = 0;
	if ((l->attr & A_ALTCHARSET) && wc >= 0 && wc < 128) {
		/* a line-drawing character: the locale's own (Unicode) when
		 * it has one, else the terminal's alternate set */
		const cchar_t *w = _nc_wacs ? &_nc_wacs[wc] : NULL;
		if (rp.utf8 && w && w->chars[0] >= 128) {
			l->attr &= ~A_ALTCHARSET;
			wc = w->chars[0];
		} else if (rp.acsc[wc]) {
			buf[0] = rp.acsc[wc];
			return 1;
		} else {
			/* the terminal lacks it: ncurses writes its own stand-in
			 * (acs_map does not say which), so ncurses repaints */
			rp.failed = true;
			return 0;
		}
	}
	for (int i = 0; i < CCHARW_MAX && (i == 0 || c->chars[i]); i++) {
		wchar_t ch = i == 0 ? wc : c->chars[i];
		if (ch >= 0 && ch < 128) {
			buf[len++] = (char)(ch ? ch : ' ');
			continue;
		}
		if (len + MB_LEN_MAX > n)
			break;
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t k = wcrtomb(buf + len, ch, &st);
		if (k == (size_t)-1)
			buf[len++] = '?';
		else
			len += k;
	}
	return (int)len;
}

/* out of line: bench/tui_repaint.py counts inside it */
__attribute__((noinline)) bool ui_term_repaint(void)
{
	if (!active || !repaint_supported())
		return false;
	/* what is pending first: curscr is then the screen wanted */
	doupdate();
	rp.failed = false;
	rp.out_len = 0;
	int rows = getmaxy(curscr), cols = getmaxx(curscr);
	cchar_t *line = malloc(((size_t)cols + 1) * sizeof *line);
	if (!line)
		return false;

	struct look normal = { A_NORMAL, 0 }, cur = normal;
	out_bytes(exit_attribute_mode, strlen(exit_attribute_mode));
	out_bytes(clear_screen, strlen(clear_screen));
	/* vid_puts starts from what ncurses believes; its own last look
	 * is the one after the clear */
	vid_puts(A_NORMAL, 0, NULL, drop_char);
	for (int y = 0; y < rows; y++) {
		int n = mvwin_wchnstr(curscr, y, 0, line, cols);
		if (n == ERR)
			break;
		int x = 0, at_x = -1; /* where the cursor is on this row */
		for (int i = 0; line[i].chars[0] && x < cols; i++) {
			const cchar_t *c = &line[i];
			struct look l = { c->attr & ~(A_COLOR | A_CHARTEXT),
					  c->ext_color ? c->ext_color : PAIR_NUMBER(c->attr) };
			if (l.pair < 0 || l.pair >= 1 << 15) {
				rp.failed = true;
				break;
			}
			int w = c->chars[0] < 128 ? 1 : wcwidth(c->chars[0]);
			if (w < 1)
				w = 1;
			bool blank =
				c->chars[0] == L' ' && !c->chars[1] && !(l.attr & A_ALTCHARSET);
			if (blank && blank_default(l)) {
				x += w;
				continue;
			}
			if (at_x != x) {
				int gap = x - at_x;
				if (at_x >= 0 && gap <= 4 && blank_default(cur)) {
					out_bytes("    ", (size_t)gap);
				} else {
					move_to(y, x);
				}
			}
			int k = blank ? blank_run(line + i, cols - x, l) : 0;
			if (k >= ECH_MIN) {
				/* a run of coloured blanks: erased (ech), then
				 * the cursor is placed again */
				if (!same_look(l, cur)) {
					change_look(cur, l);
					cur = l;
				}
				erase_run(k);
				x += k;
				i += k - 1;
				at_x = -1;
				continue;
			}
			wchar_t wc = c->chars[0];
			if (wc < 128 && !c->chars[1] && !(l.attr & A_ALTCHARSET)) {
				/* the usual cell: one ASCII character */
				if (!same_look(l, cur)) {
					change_look(cur, l);
					cur = l;
				}
				if (out_room(1))
					rp.out[rp.out_len++] = (char)wc;
				x++;
				at_x = x;
				continue;
			}
			char buf[CCHARW_MAX * MB_LEN_MAX + 1];
			int len = cell_bytes(c, &l, buf, sizeof buf);
			if (!same_look(l, cur)) {
				change_look(cur, l);
				cur = l;
			}
			out_bytes(buf, (size_t)len);
			x += w;
			at_x = x;
		}
	}
	free(line);
	if (!same_look(cur, normal))
		change_look(cur, normal);
	vid_puts(A_NORMAL, 0, NULL, drop_char);
	/* the cursor where curses left it */
	int cy, cx;
	getyx(curscr, cy, cx);
	move_to(cy, cx);
	if (rp.failed)
		return false;
	size_t done = 0;
	while (done < rp.out_len) {
		ssize_t k = write(STDOUT_FILENO, rp.out + done, rp.out_len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	return true;
}
