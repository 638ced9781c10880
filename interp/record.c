/*
 * record — the commands over the timeline (debugger/timeline.h,
 * docs/timeline.md): reverse-stepi, reverse-nexti, reverse-continue,
 * goto, record and info record.
 */
#include "cmd_int.h"

#include <errno.h>
#include <string.h>

#include "timeline.h"

struct dbg_timeline *cmd_timeline(struct dbg_cmd_ctx *ctx, struct dbg_err *err)
{
	struct dbg_timeline *tl = dbg_session_timeline(ctx->s);

	if (!tl)
		dbg_err_set(err, -ENODATA, "no recorded history: this session has no timeline");
	return tl;
}

int cmd_goto(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_timeline *tl = cmd_timeline(ctx, err);
	struct dbg_expr_value v;
	struct dbg_stop stop;
	int rc;

	if (!tl)
		return -ENODATA;
	rc = cmd_eval(ctx, cmd->args, &v, err);
	if (rc == 0)
		rc = dbg_session_goto(ctx->s, v.v, &stop, err);
	return cmd_resumed(ctx, rc, &stop);
}

int cmd_reverse_continue(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_timeline *tl = cmd_timeline(ctx, err);
	struct dbg_stop stop;

	(void)cmd;
	if (!tl)
		return -ENODATA;
	return cmd_resumed(ctx, dbg_session_reverse_cont(ctx->s, &stop, err), &stop);
}

/* reverse-stepi N, or reverse-nexti N (over): N recorded steps back. */
static int reverse_step(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, bool over,
			struct dbg_err *err)
{
	struct dbg_timeline *tl = cmd_timeline(ctx, err);
	struct dbg_stop stop;

	if (!tl)
		return -ENODATA;
	return cmd_resumed(ctx, dbg_session_reverse_step(ctx->s, cmd->count, over, &stop, err),
			   &stop);
}

int cmd_reverse_stepi(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return reverse_step(ctx, cmd, false, err);
}

int cmd_reverse_nexti(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	return reverse_step(ctx, cmd, true, err);
}

/* The "record" event: what the timeline holds (info record, record). */
static void emit_record(struct dbg_cmd_ctx *ctx, struct dbg_timeline *tl, const char *saved)
{
	struct dbg_val *ev = cmd_ev_new(ctx, "record");
	struct dbg_tl_info in;
	uint64_t n;

	dbg_tl_info(tl, &in);
	n = in.last - in.first;
	dbg_obj_bool(ev, "enabled", in.enabled);
	dbg_obj_bool(ev, "full", in.full);
	dbg_obj_bool(ev, "replay", in.replay);
	dbg_obj_bool(ev, "history", in.history);
	dbg_obj_uint(ev, "first", in.first);
	dbg_obj_uint(ev, "last", in.last);
	dbg_obj_uint(ev, "step", in.view);
	dbg_obj_uint(ev, "record_bytes", in.record_bytes);
	dbg_obj_uint(ev, "bytes_per_step", n ? (in.record_bytes + n / 2) / n : 0);
	dbg_obj_uint(ev, "writes", in.writes);
	dbg_obj_uint(ev, "pages", in.pages);
	dbg_obj_uint(ev, "page_bytes", in.page_bytes);
	dbg_obj_uint(ev, "limit", in.limit);
	dbg_obj_uint(ev, "dropped", in.dropped);
	dbg_obj_uint(ev, "jumps", in.jumps);
	dbg_obj_bool(ev, "soft_dirty", in.soft_dirty);
	dbg_obj_bool(ev, "write_tracking", in.write_tracking);
	dbg_obj_uint(ev, "write_tracking_missed", in.write_tracking_missed);
	dbg_obj_uint(ev, "old_bytes_missed", in.old_bytes_missed);
	if (saved)
		dbg_obj_str(ev, "saved", saved);
	cmd_ev_emit(ctx, ev);
}

int cmd_record(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_timeline *tl = cmd_timeline(ctx, err);
	const char *a = cmd->args, *saved = NULL;
	int rc;

	if (!tl)
		return -ENODATA;
	if (!*a || strcmp(a, "on") == 0) {
		dbg_tl_set_full(tl, true);
	} else if (strcmp(a, "off") == 0) {
		dbg_tl_set_enabled(tl, false);
	} else if (strncmp(a, "save", 4) == 0 && (a[4] == ' ' || a[4] == '\t')) {
		saved = cmd_skip_ws(a + 4);
		rc = dbg_session_record_save(ctx->s, saved, err);
		if (rc < 0)
			return rc;
	} else {
		return dbg_err_set(err, -EINVAL, "record takes on, off or save FILE, not '%s'", a);
	}
	emit_record(ctx, tl, saved);
	return 0;
}

int cmd_info_record(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_timeline *tl = cmd_timeline(ctx, err);

	(void)cmd;
	if (!tl)
		return -ENODATA;
	emit_record(ctx, tl, NULL);
	return 0;
}
