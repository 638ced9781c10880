/*
 * render — events (interp/event.h) as JSON Lines or as readable text.
 *
 * JSON: one object per line, keys in the event's order, addresses as
 * "0x…" strings, strings escaped so the output is valid UTF-8 JSON. A
 * member string that is not valid UTF-8 is written with U+FFFD for each
 * bad byte and followed by a member KEY_hex with its exact bytes in hex,
 * so nothing is lost (docs/json.md). docs/json.md documents every event.
 *
 * Text: gdb-like lines ("Breakpoint 1, 0x401000 in runtime.schedinit ()",
 * a register table, G/M/P tables). The target's output is prefixed with
 * "[stdout] " / "[stderr] " so it is never mistaken for ours. Events this
 * renderer does not know are written as JSON.
 *
 * Both write to a FILE*; the *_str variants return a malloc'd string (for
 * a TUI pane). Nothing here touches the terminal.
 */
#ifndef UI_RENDER_H
#define UI_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "event.h"

/* Any value as JSON, without a trailing newline. */
void ui_render_json(FILE *out, const struct dbg_val *v);

/* The same and a newline, handed to put(arg, p, n) in one piece (no
 * stdio: a sink that holds events in its own buffer). */
void ui_render_json_line(const struct dbg_val *v, void (*put)(void *arg, const char *p, size_t n),
			 void *arg);

/* An event as text: zero or more complete lines (echo writes its text as
 * is; progress none). */
void ui_render_text(FILE *out, const struct dbg_val *ev);

/* g's TLS slot as a student reads it in objdump: "fs:-8", "fs:-0x10".
 * Returns buf. */
const char *ui_render_fs_slot(int64_t off, char *buf, size_t n);

/* The ith event name ui_render_text has a form for, in the order of
 * docs/json.md (which lists the same events), or NULL past the last. */
const char *ui_render_text_event(size_t i);

/* The same into a new NUL-terminated string; the caller frees it. */
char *ui_render_json_str(const struct dbg_val *v);
char *ui_render_text_str(const struct dbg_val *ev);

/* Write len bytes of s as a JSON string literal (quotes included), bytes
 * that are not valid UTF-8 as U+FFFD. False when there was such a byte. */
bool ui_json_string(FILE *out, const char *s, size_t len);

#endif
