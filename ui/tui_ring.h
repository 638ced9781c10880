/*
 * tui_ring — a fixed-size ring of text lines for the output and command
 * panes. All storage is allocated once at init; appending copies into it
 * and drops the oldest line when full, so a busy target cannot make the
 * TUI allocate or grow.
 *
 * Text is appended as a byte stream: '\n' ends a line, a partial line stays
 * open until more text (or ui_ring_end_line) completes it; tabs become
 * spaces, other control bytes '.', and a line longer than UI_LINE_MAX - 1
 * continues on the next line.
 */
#ifndef UI_TUI_RING_H
#define UI_TUI_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_LINE_MAX 240

struct ui_line {
	char text[UI_LINE_MAX];
	uint16_t len;
	uint8_t kind; /* caller's tag: stream or colour role */
};

struct ui_ring {
	struct ui_line *v;
	size_t cap;     /* lines the ring holds */
	size_t first;   /* index of the oldest line */
	size_t n;       /* lines held (the last may be open) */
	bool open;      /* the last line is not finished */
	uint64_t total; /* lines ever started: lets a view follow the end */
};

/* 0 or -ENOMEM. */
int ui_ring_init(struct ui_ring *l, size_t cap);
void ui_ring_release(struct ui_ring *l);
void ui_ring_clear(struct ui_ring *l);

/* Append len bytes of text tagged kind (a new tag starts a new line). */
void ui_ring_append(struct ui_ring *l, const char *s, size_t len, uint8_t kind);
/* Append one whole line (s without '\n'). */
void ui_ring_put(struct ui_ring *l, const char *s, uint8_t kind);
/* Close the open line, if any. */
void ui_ring_end_line(struct ui_ring *l);

/* Line i, 0 = oldest held; NULL when i >= n. */
const struct ui_line *ui_ring_at(const struct ui_ring *l, size_t i);

#endif
