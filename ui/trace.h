/*
 * trace — the --trace file: one JSON object per recorded step, written by
 * observing the timeline (dbg_tl_set_observer):
 *
 *   {"step","pc","symbol","stage","insn","regs":{changed since the step
 *   before: new value},"mem":[{"addr","size","old","new"}]}
 *
 * (docs/timeline.md, "The trace"). Each line is a value tree (event.h)
 * rendered by ui_render_json, so strings follow docs/json.md.
 *
 * Lines are written whole, 64 KiB at a time. The first failed write
 * (ENOSPC …) ends the trace, cutting off a partly written line where the
 * file allows; the observer returns that error ("cannot write the trace
 * t.jsonl: no space left on device") and the session fails the step that
 * met it (dbg_tl_observer_status).
 */
#ifndef UI_TRACE_H
#define UI_TRACE_H

#include "err.h"
#include "timeline.h"

struct ui_trace; /* opaque */

/* Create (or truncate) path and observe tl's steps into it; full mode goes
 * on. 0, or a negative errno: "cannot write the trace t.jsonl: ...". */
int ui_trace_open(struct ui_trace **out, struct dbg_timeline *tl, const char *path,
		  struct dbg_err *err);

/* Stop observing, write the lines not written yet and close the file. 0,
 * or the negative errno of a failure not reported yet (by the step that
 * met it): the last write, or close. Frees tr; NULL is a no-op. */
int ui_trace_close(struct ui_trace *tr, struct dbg_err *err);

#endif
