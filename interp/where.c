/*
 * where — what an address is: `info proc` (the process: command line, cwd,
 * exe, as gdb shows it), `info proc mappings` (gdb's table of
 * /proc/PID/maps, each range named by its part in the program and the Go
 * runtime), `info symbol ADDR` (gdb's "NAME + OFF in section S") and
 * `xinfo ADDR` (everything at once: symbol, section, mapping, and the
 * runtime's stack, arena or global holding it). docs/json.md has their
 * events.
 */
#include "cmd_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrmap.h"

/* The decoded runtime of this stop, or NULL when it cannot be read (a
 * program without DWARF or layout: mappings are still named). */
static const struct dbg_rt *rt_of(struct dbg_cmd_ctx *ctx)
{
	return dbg_rt_read(ctx->s, &ctx->rt, NULL) == 0 ? &ctx->rt : NULL;
}

static void add_area(struct dbg_val *o, const struct dbg_area *a)
{
	static const char *const kinds[] = {
		[DBG_AREA_G_STACK] = "goroutine stack",
		[DBG_AREA_G0_STACK] = "g0 stack",
		[DBG_AREA_GSIGNAL_STACK] = "gsignal stack",
		[DBG_AREA_ARENA] = "heap arena",
	};
	dbg_obj_addr(o, "start", a->lo);
	dbg_obj_addr(o, "end", a->hi);
	dbg_obj_str(o, "kind", kinds[a->kind]);
	dbg_obj_str(o, "what", a->what);
	if (a->goid >= 0)
		dbg_obj_int(o, "goid", a->goid);
	else
		dbg_obj_null(o, "goid");
	if (a->m_id >= 0)
		dbg_obj_int(o, "m_id", a->m_id);
	else
		dbg_obj_null(o, "m_id");
	if (a->tid >= 0)
		dbg_obj_int(o, "tid", a->tid);
	else
		dbg_obj_null(o, "tid");
	if (a->g)
		dbg_obj_addr(o, "g", a->g);
	else
		dbg_obj_null(o, "g");
}

static void add_map(struct dbg_val *o, const struct dbg_addrmap_entry *e)
{
	char perms[5];
	dbg_obj_addr(o, "start", e->map.start);
	dbg_obj_addr(o, "end", e->map.end);
	dbg_obj_uint(o, "size", e->map.end - e->map.start);
	dbg_obj_addr(o, "offset", e->map.offset);
	dbg_obj_str(o, "perms", dbg_addrmap_perms(&e->map, perms));
	dbg_obj_str(o, "objfile", e->map.name);
	dbg_obj_str(o, "what", e->what);
}

/* info proc: the process as gdb shows it; info proc mappings: gdb's table
 * with what each range is for. */
int cmd_info_proc(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_addrmap am = { 0 };
	const char *a = cmd->args;
	int rc;

	if (*a && strcmp(a, "mappings") != 0)
		return dbg_err_set(err, -EINVAL, "unknown info proc view '%s' (mappings)", a);
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	if (!*a) {
		/* gdb's info proc: the process, its command line, cwd, exe */
		struct dbg_proc_info *pi = malloc(sizeof(*pi));
		if (!pi)
			return dbg_err_set(err, -ENOMEM, "cannot read the process's /proc files");
		rc = dbg_proc_info(dbg_session_pid(ctx->s), pi, err);
		if (rc == 0) {
			struct dbg_val *ev = cmd_ev_new(ctx, "proc");
			dbg_obj_int(ev, "pid", dbg_session_pid(ctx->s));
			dbg_obj_str(ev, "cmdline", pi->cmdline);
			dbg_obj_str(ev, "cwd", pi->cwd);
			dbg_obj_str(ev, "exe", pi->exe);
			cmd_ev_emit(ctx, ev);
		}
		free(pi);
		return rc;
	}
	rc = dbg_addrmap_read(ctx->s, rt_of(ctx), &am, err);
	if (rc < 0) {
		dbg_addrmap_release(&am);
		return rc;
	}
	struct dbg_val *ev = cmd_ev_new(ctx, "mappings");
	dbg_obj_int(ev, "pid", dbg_session_pid(ctx->s));
	dbg_obj_bool(ev, "runtime", am.rt);
	struct dbg_val *arr = dbg_obj_array(ev, "mappings");
	for (size_t i = 0; i < am.nmaps; i++) {
		const struct dbg_addrmap_entry *e = &am.maps[i];
		struct dbg_val *o = dbg_arr_object(arr);
		add_map(o, e);
		struct dbg_val *sub = dbg_obj_array(o, "ranges");
		for (size_t k = 0; k < e->n; k++) {
			const struct dbg_area *ar = &am.areas[am.idx[e->first + k]];
			/* an arena is the mapping's own name, not a range in it */
			if (ar->kind == DBG_AREA_ARENA && ar->lo <= e->map.start &&
			    ar->hi >= e->map.end)
				continue;
			add_area(dbg_arr_object(sub), ar);
		}
	}
	dbg_addrmap_release(&am);
	cmd_ev_emit(ctx, ev);
	return 0;
}

/* The address an argument names; err says what is missing or wrong. */
static int arg_addr(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, const char *what,
		    uint64_t *addr, struct dbg_err *err)
{
	struct dbg_expr_value v;
	if (!cmd->args[0])
		return dbg_err_set(err, -EINVAL, "%s needs an address", what);
	int rc = cmd_eval(ctx, cmd->args, &v, err);
	if (rc < 0)
		return rc;
	*addr = v.v;
	return 0;
}

/* The symbol at addr and its section, into o (symbol, name, offset,
 * section, objfile); the symbol or NULL. */
static const struct dbg_sym *add_symbol(struct dbg_cmd_ctx *ctx, struct dbg_val *o, uint64_t addr)
{
	uint64_t vlo = 0;
	const struct dbg_elf *vdso = dbg_session_vdso(ctx->s, &vlo, NULL);
	const struct dbg_sym *sym = dbg_session_sym_at(ctx->s, addr);
	const struct dbg_elf *img =
		vdso && dbg_elf_sym_at(vdso, addr) == sym && sym ? vdso : dbg_session_elf(ctx->s);
	const struct dbg_section *sec = sym ? dbg_elf_section_at(img, addr) : NULL;

	dbg_obj_str(o, "symbol", sym ? cmd_symbolize(ctx, addr) : NULL);
	dbg_obj_str(o, "name", sym ? sym->name : NULL);
	if (sym)
		dbg_obj_uint(o, "offset", addr - sym->addr);
	else
		dbg_obj_null(o, "offset");
	dbg_obj_str(o, "section", sec ? sec->name : NULL);
	if (sym && img == vdso)
		dbg_obj_strf(o, "objfile", "system-supplied DSO at 0x%" PRIx64, vlo);
	else
		dbg_obj_null(o, "objfile");
	return sym;
}

/* info symbol ADDR: gdb's "runtime.schedinit + 12 in section .text". */
int cmd_info_symbol(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	uint64_t addr = 0;
	int rc = arg_addr(ctx, cmd, "info symbol", &addr, err);
	if (rc < 0)
		return rc;
	struct dbg_val *ev = cmd_ev_new(ctx, "symbol");
	dbg_obj_str(ev, "expr", cmd->args);
	dbg_obj_addr(ev, "addr", addr);
	add_symbol(ctx, ev, addr);
	cmd_ev_emit(ctx, ev);
	return 0;
}

/* A global holding addr: its DWARF field path (".p", ".tls[1]"). */
static void add_global(struct dbg_cmd_ctx *ctx, struct dbg_val *ev, const struct dbg_sym *sym,
		       uint64_t addr)
{
	struct dbg_dwarf *d = dbg_session_dwarf(ctx->s);
	const struct dbg_type *t = d && sym && sym->kind == DBG_SYM_OBJECT ?
					   dbg_dwarf_var_type(d, sym->addr, NULL) :
					   NULL;
	char path[256] = "";
	if (t && addr - sym->addr < t->size)
		dbg_addrmap_field_path(t, addr - sym->addr, path, sizeof(path));
	if (path[0])
		dbg_obj_strf(ev, "field", "%s%s", sym->name, path);
	else
		dbg_obj_null(ev, "field");
}

/* xinfo ADDR: symbol, section, mapping and the runtime's part, in one. */
int cmd_xinfo(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_addrmap am = { 0 };
	uint64_t addr = 0;
	int rc = arg_addr(ctx, cmd, "xinfo", &addr, err);
	if (rc < 0)
		return rc;
	rc = cmd_need_process(ctx, err);
	if (rc < 0)
		return rc;
	rc = dbg_addrmap_read(ctx->s, rt_of(ctx), &am, err);
	if (rc < 0) {
		dbg_addrmap_release(&am);
		return rc;
	}
	struct dbg_val *ev = cmd_ev_new(ctx, "xinfo");
	dbg_obj_str(ev, "expr", cmd->args);
	dbg_obj_addr(ev, "addr", addr);
	const struct dbg_sym *sym = add_symbol(ctx, ev, addr);
	dbg_obj_str(ev, "kind", sym ? (sym->kind == DBG_SYM_FUNC ? "function" : "data") : NULL);
	add_global(ctx, ev, sym, addr);
	const struct dbg_addrmap_entry *e = dbg_addrmap_map_at(&am, addr);
	if (e)
		add_map(dbg_obj_object(ev, "mapping"), e);
	else
		dbg_obj_null(ev, "mapping");
	const struct dbg_area *a = dbg_addrmap_area_at(&am, addr);
	if (a && a->kind != DBG_AREA_ARENA)
		add_area(dbg_obj_object(ev, "stack"), a);
	else
		dbg_obj_null(ev, "stack");
	const struct dbg_area *ar = dbg_addrmap_arena_at(&am, addr);
	if (ar)
		dbg_obj_addr(ev, "arena", ar->lo);
	else
		dbg_obj_null(ev, "arena");
	/* one line: the most telling name */
	dbg_obj_str(ev, "what",
		    a && a->kind != DBG_AREA_ARENA ? a->what :
		    e                              ? e->what :
						     "not mapped");
	dbg_addrmap_release(&am);
	cmd_ev_emit(ctx, ev);
	return 0;
}
