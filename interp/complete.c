/*
 * complete — Tab completion of a command line: the tables' words
 * (parse.c: dbg_cmd_complete_words), then the session's stage names and
 * ELF symbols where the word may be a location or an expression.
 */
#include "cmd_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "regs.h"
#include "stages.h"

/* The expression language's variables besides the registers (cmd.c's
 * env_var; pc and sp are dbg_regs_get's aliases). */
static const char *const expr_vars[] = { "g", "steps", "stage", "pc", "sp" };

/* $NAME: the registers and variables, the word after the '$'. */
static int complete_var(struct dbg_completion *c, const char *word, size_t wl)
{
	int rc = 0;
	for (size_t i = 0; i < dbg_regs_count && rc == 0; i++)
		rc = dbg_completion_add(c, word, wl, dbg_regs_table[i].name,
					strlen(dbg_regs_table[i].name));
	for (size_t i = 0; i < sizeof expr_vars / sizeof expr_vars[0] && rc == 0; i++)
		rc = dbg_completion_add(c, word, wl, expr_vars[i], strlen(expr_vars[i]));
	return rc;
}

int dbg_completion_add(struct dbg_completion *c, const char *word, size_t wlen, const char *s,
		       size_t n)
{
	if (n < wlen || strncmp(s, word, wlen) != 0)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct dbg_cand *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].s = s;
	c->v[c->n].n = n;
	c->n++;
	return 0;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct dbg_cand *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int r = memcmp(x->s, y->s, n);
	if (r)
		return r;
	return x->n < y->n ? -1 : x->n > y->n;
}

void cmd_completion_finish(struct dbg_completion *c)
{
	size_t i, j;

	if (c->n < 2)
		return;
	qsort(c->v, c->n, sizeof *c->v, cand_cmp);
	for (i = 1, j = 1; i < c->n; i++)
		if (cand_cmp(&c->v[i], &c->v[j - 1]) != 0)
			c->v[j++] = c->v[i];
	c->n = j;
}

void dbg_completion_release(struct dbg_completion *c)
{
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* A symbol's name as a command line writes it: without ".abi0"
 * (dbg_elf_find adds it back); 0 for a name no line can hold. */
static size_t sym_len(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || strpbrk(name, " \t\"'"))
		return 0;
	if (n > 5 && strcmp(name + n - 5, ".abi0") == 0)
		n -= 5;
	return n;
}

int dbg_cmd_complete(struct dbg_cmd_ctx *ctx, const char *line, struct dbg_completion *c)
{
	int rc = dbg_cmd_complete_words(line, c);
	const char *word = line + c->start;
	size_t wl = strlen(word);

	if (rc < 0)
		return rc;
	if (c->symbols && word[0] == '$') {
		c->start++;
		rc = complete_var(c, word + 1, wl - 1);
		cmd_completion_finish(c);
		return rc;
	}
	if (c->stages) {
		const struct dbg_stages *st = cmd_stages_of(ctx);
		for (size_t i = 0; i < st->n + st->nthread && rc == 0; i++) {
			const char *name = i < st->n ? st->v[i].name : st->thread[i - st->n].name;
			const char *sh = dbg_stage_short(name);
			rc = dbg_completion_add(c, word, wl, name, strlen(name));
			if (rc == 0 && sh && strcmp(sh, name) != 0)
				rc = dbg_completion_add(c, word, wl, sh, strlen(sh));
		}
	}
	struct dbg_elf *elf = dbg_session_elf(ctx->s);
	if (c->symbols && elf) {
		size_t n = dbg_elf_nsyms(elf);
		for (size_t i = 0; i < n && rc == 0; i++) {
			const struct dbg_sym *sym = dbg_elf_sym(elf, i);
			if (c->funcs && sym->kind != DBG_SYM_FUNC)
				continue;
			size_t l = sym_len(sym->name);
			if (l)
				rc = dbg_completion_add(c, word, wl, sym->name, l);
		}
	}
	cmd_completion_finish(c);
	return rc;
}
