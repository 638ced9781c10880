#include "tui_ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ui_ring_init(struct ui_ring *l, size_t cap)
{
	memset(l, 0, sizeof *l);
	l->v = calloc(cap, sizeof *l->v);
	if (!l->v)
		return -ENOMEM;
	l->cap = cap;
	return 0;
}

void ui_ring_release(struct ui_ring *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

void ui_ring_clear(struct ui_ring *l)
{
	l->first = 0;
	l->n = 0;
	l->open = false;
}

static struct ui_line *last(struct ui_ring *l)
{
	return &l->v[(l->first + l->n - 1) % l->cap];
}

static struct ui_line *start_line(struct ui_ring *l, uint8_t kind)
{
	if (l->n == l->cap) {
		l->first = (l->first + 1) % l->cap;
		l->n--;
	}
	l->n++;
	l->total++;
	l->open = true;
	struct ui_line *ln = last(l);
	ln->len = 0;
	ln->text[0] = '\0';
	ln->kind = kind;
	return ln;
}

void ui_ring_append(struct ui_ring *l, const char *s, size_t len, uint8_t kind)
{
	struct ui_line *ln = l->open ? last(l) : NULL;
	if (ln && ln->kind != kind)
		ln = NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			if (!ln)
				start_line(l, kind);
			l->open = false;
			ln = NULL;
			continue;
		}
		if (c == '\r')
			continue;
		if (!ln || ln->len >= UI_LINE_MAX - 1)
			ln = start_line(l, kind);
		if (c == '\t') {
			/* to the next multiple of 8, within the line */
			do
				ln->text[ln->len++] = ' ';
			while (ln->len % 8 && ln->len < UI_LINE_MAX - 1);
		} else {
			ln->text[ln->len++] = (c < 0x20 || c == 0x7f) ? '.' : (char)c;
		}
		ln->text[ln->len] = '\0';
	}
}

void ui_ring_put(struct ui_ring *l, const char *s, uint8_t kind)
{
	l->open = false;
	size_t len = strlen(s);
	if (len == 0) {
		start_line(l, kind);
		l->open = false;
		return;
	}
	ui_ring_append(l, s, len, kind);
	l->open = false;
}

void ui_ring_end_line(struct ui_ring *l)
{
	l->open = false;
}

const struct ui_line *ui_ring_at(const struct ui_ring *l, size_t i)
{
	if (i >= l->n)
		return NULL;
	return &l->v[(l->first + i) % l->cap];
}
