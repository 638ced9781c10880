/*
 * session_src — source lines over the session: the image's line table,
 * FILE:LINE, where a step into a function stops, the source files and the
 * substitute-path rules (see session.h).
 */
#include "session_int.h"

/* The image changed: its line table goes with its DWARF. */
void sess_forget_lines(struct dbg_session *s)
{
	dbg_lines_free(s->lines);
	s->lines = NULL;
	s->lines_tried = false;
}

struct dbg_lines *dbg_session_lines(struct dbg_session *s)
{
	if (!s->lines_tried) {
		s->lines_tried = true;
		if (s->t.dwarf && dbg_lines_open(&s->lines, s->t.dwarf, NULL) < 0)
			s->lines = NULL;
	}
	return s->lines;
}

bool dbg_session_line_at(struct dbg_session *s, uint64_t pc, struct dbg_line *out)
{
	struct dbg_lines *l = dbg_session_lines(s);
	return l && dbg_lines_at(l, pc, out);
}

/* The end of the function symbol holding pc, or 0. */
static uint64_t func_end(struct dbg_session *s, uint64_t pc)
{
	const struct dbg_sym *sym = dbg_elf_sym_at(s->t.elf, pc);
	return sym && sym->kind == DBG_SYM_FUNC && sym->size ? sym->addr + sym->size : 0;
}

static bool is_reg_op(const struct dbg_operand *o, enum dbg_reg r)
{
	return o->type == DBG_OP_REG && o->reg == r;
}

uint64_t dbg_session_step_into_addr(struct dbg_session *s, uint64_t entry)
{
	struct dbg_line ln;
	uint64_t pc = entry, end = func_end(s, entry);
	if (!dbg_session_line_at(s, entry, &ln))
		return entry;
	if (!ln.asm_source) {
		/* amd64's prologue as gdb reads it: [endbr64] push %rbp;
		 * mov %rsp,%rbp (else the function is frameless) */
		struct dbg_insn in[3];
		int n = dbg_session_disasm(s, entry, 3, in, NULL);
		int i = n > 0 && strcmp(in[0].mnemonic, "endbr64") == 0 ? 1 : 0;
		if (n >= i + 2 && strncmp(in[i].mnemonic, "push", 4) == 0 &&
		    is_reg_op(&in[i].op[0], DBG_REG_RBP) &&
		    strncmp(in[i + 1].mnemonic, "mov", 3) == 0 && in[i + 1].nops == 2 &&
		    is_reg_op(&in[i + 1].op[0], DBG_REG_RSP) &&
		    is_reg_op(&in[i + 1].op[1], DBG_REG_RBP))
			pc = in[i + 1].addr + in[i + 1].size;
	}
	if (dbg_session_line_at(s, pc, &ln) && ln.addr != pc && (!end || ln.end < end))
		pc = ln.end;
	return pc;
}

/* In Go code, a function's entry moves to the row its line table marks
 * as the end of the prologue (gdb's breakpoints do so). */
static uint64_t go_past_prologue(struct dbg_session *s, uint64_t a)
{
	const struct dbg_sym *sym = dbg_elf_sym_at(s->t.elf, a);
	if (!dbg_elf_go_version(s->t.elf) || !sym || sym->addr != a || !sym->size)
		return a;
	uint64_t pe = dbg_lines_prologue_end(s->lines, a, a + sym->size);
	return pe ? pe : a;
}

int dbg_session_find_line(struct dbg_session *s, const char *file, unsigned line, uint64_t *addrs,
			  size_t max, unsigned *line_out, const char **file_out,
			  struct dbg_err *err)
{
	struct dbg_lines *l = dbg_session_lines(s);
	if (!l)
		return dbg_err_set(err, -ENODATA, "%s has no line information",
				   dbg_session_path(s));
	uint64_t found[256];
	size_t n = dbg_lines_find(l, file, line, found, 256, line_out, file_out);
	if (!*file_out)
		return dbg_err_set(err, -ENOENT, "no source file named %s", file);
	if (n == 0)
		return dbg_err_set(err, -ENOENT, "no line %u in file \"%s\"", line, file);
	/* one address per function: its lowest (found is sorted) */
	size_t k = 0;
	const struct dbg_sym *last = NULL;
	for (size_t i = 0; i < n && k < max; i++) {
		const struct dbg_sym *sym = dbg_elf_sym_at(s->t.elf, found[i]);
		if (sym && sym == last)
			continue;
		last = sym;
		addrs[k++] = go_past_prologue(s, found[i]);
	}
	return (int)k;
}

int dbg_session_source(struct dbg_session *s, const char *file, const struct dbg_source **out,
		       struct dbg_err *err)
{
	struct dbg_lines *l = dbg_session_lines(s);
	if (!l)
		return dbg_err_set(err, -ENODATA, "%s has no line information",
				   dbg_session_path(s));
	return dbg_lines_source(l, file, s->subst, s->nsubst, dbg_elf_go_version(s->t.elf), out,
				err);
}

static void sources_changed(struct dbg_session *s)
{
	if (s->lines)
		dbg_lines_forget_sources(s->lines);
}

int dbg_session_subst_set(struct dbg_session *s, const char *from, const char *to,
			  struct dbg_err *err)
{
	if (!from[0])
		return dbg_err_set(err, -EINVAL, "substitute-path needs a path to replace");
	char *t = strdup(to), *f = strdup(from);
	if (!t || !f)
		abort();
	sources_changed(s);
	for (size_t i = 0; i < s->nsubst; i++)
		if (strcmp(s->subst[i].from, from) == 0) {
			free(f);
			free((char *)s->subst[i].to);
			s->subst[i].to = t;
			return 0;
		}
	s->subst = dbg_grow(s->subst, &s->subst_cap, s->nsubst + 1, sizeof(*s->subst));
	s->subst[s->nsubst++] = (struct dbg_subst){ f, t };
	return 0;
}

int dbg_session_subst_unset(struct dbg_session *s, const char *from, struct dbg_err *err)
{
	sources_changed(s);
	size_t k = 0;
	bool hit = false;
	for (size_t i = 0; i < s->nsubst; i++) {
		if (!from || strcmp(s->subst[i].from, from) == 0) {
			free((char *)s->subst[i].from);
			free((char *)s->subst[i].to);
			hit = true;
			continue;
		}
		s->subst[k++] = s->subst[i];
	}
	s->nsubst = k;
	if (from && !hit)
		return dbg_err_set(err, -ENOENT, "no substitution rule defined for '%s'", from);
	return 0;
}

size_t dbg_session_substs(const struct dbg_session *s, const struct dbg_subst **out)
{
	*out = s->subst;
	return s->nsubst;
}

void sess_free_src(struct dbg_session *s)
{
	sess_forget_lines(s);
	dbg_session_subst_unset(s, NULL, NULL);
	free(s->subst);
	s->subst = NULL;
}
