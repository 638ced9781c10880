/*
 * expr — the expression language of print, expect, x and break *EXPR.
 *
 *   expr    := or
 *   or      := and ('||' and)*          and := bitor ('&&' bitor)*
 *   bitor   := bitxor ('|' bitxor)*      bitxor := bitand ('^' bitand)*
 *   bitand  := eq ('&' eq)*              eq := rel (('==' | '!=') rel)*
 *   rel     := shift (('<' | '>' | '<=' | '>=') shift)*
 *   shift   := at (('<<' | '>>') at)*   at := add ('@' add)*
 *   add     := mul (('+' | '-') mul)*   mul := unary (('*' | '/' | '%') unary)*
 *   unary   := ('-' | '!' | '~' | '*' | '&') unary | '(' TYPE ')' unary | postfix
 *   postfix := primary ('.' NAME | '->' NAME | '[' expr ']')*
 *   primary := NUMBER | '$' NAME | SYMBOL | "'" any symbol text "'" | '(' expr ')'
 *   TYPE    := NAME+ '*'*   ("long", "unsigned long", "struct g", "runtime.g",
 *                            "uint32", then pointer levels)
 *
 * NUMBER is decimal, 0x hex or 0b binary. '$' names are registers ($rip,
 * $eax, $fs_base, $pc, $sp …) and the session's variables ($g, $stage,
 * $steps), all supplied by the environment. A SYMBOL may contain dots
 * (runtime.m0.tls): the longest dot-separated prefix that is a symbol is
 * the symbol and the rest is a field path, so runtime.allp.array[0].m is
 * the symbol runtime.allp, then .array, [0], .m. A parenthesised TYPE is a
 * cast when it holds a C type word, several names or '*'s, or a built-in
 * scalar name, or when an operand follows a single name: (x) - 1 is x - 1.
 *
 * Values are 64-bit integers, optionally typed by DWARF, as in gdb:
 * - a symbol with a DWARF type is the object there: runtime.ncpu is ncpu's
 *   value, runtime.g0 the struct; a symbol without one (a function, a
 *   label, a stage name) is its address;
 * - a field or element is read with its DWARF size (signed types are sign
 *   extended); a struct- or array-valued result is an object in memory
 *   (dbg_expr_value.v is its address);
 * - '.', '->' and '[]' follow pointers automatically ($g.m.id);
 * - '*X' is the object X points at with X's pointee type, the first element
 *   of an array, or 8 untyped bytes when X is a label, a number or a
 *   pointer without a pointee type (*($rsp+8), *runtime.main); a struct is
 *   not a pointer;
 * - '&X' is the address of a symbol, field, element or dereference;
 * - (TYPE)X converts a scalar to TYPE's size and sign; (TYPE *)X types a
 *   pointer (*(long *)$rsp reads 8 signed bytes). TYPE is a built-in C or
 *   Go scalar name or a DWARF type through the environment;
 * - X@N is N objects of X's type from X's address, an array;
 * - arithmetic is on bytes (no pointer scaling) and gives an untyped number;
 *   comparisons and '!', '&&', '||' give 0 or 1 ('&&' and '||' short-circuit).
 *   An array in arithmetic is its address; a struct is an error.
 * Comparisons and '/', '%', '>>' are signed when both sides are signed.
 */
#ifndef DBG_EXPR_H
#define DBG_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dwarf.h"
#include "err.h"
#include "event.h"

/* Where names and memory come from: the session in cmd.c, a fake in tests. */
struct dbg_expr_env {
	void *arg;
	/*
	 * The value of $name (name without '$'), with its DWARF type or NULL.
	 * 0; -ENOENT for an unknown name (expr writes the message); another
	 * negative errno with err filled (e.g. "the program is not being run").
	 */
	int (*var)(void *arg, const char *name, uint64_t *val, const struct dbg_type **type,
		   struct dbg_err *err);
	/* The address of symbol name and the DWARF type of the object located
	 * there (NULL when unknown). 0 or -ENOENT. */
	int (*symbol)(void *arg, const char *name, uint64_t *addr, const struct dbg_type **type);
	/* Read target memory: 0, or a negative errno with err filled. */
	int (*read)(void *arg, uint64_t addr, void *buf, size_t n, struct dbg_err *err);
	/* The DWARF type named name ("runtime.g", "g", "uint32"), for casts,
	 * or NULL. Optional (NULL: casts to built-in C and Go scalar types
	 * only). */
	const struct dbg_type *(*type)(void *arg, const char *name);
};

/* The result of an evaluation. */
struct dbg_expr_value {
	uint64_t v;                  /* the value (an address for aggregates
					and bare symbols) */
	const struct dbg_type *type; /* DWARF type of what v was read as, or
					NULL for a plain number */
	bool is_signed;              /* print v as int64_t */
	bool has_addr;               /* the value lives in memory at addr */
	uint64_t addr;
	bool aggregate; /* a struct or array: v is its address */
	bool symbol;    /* a symbol without a DWARF type (a function,
			   a label): v is its address */
	/* when the value is a member: the struct it was taken from and
	   the member's name (runtime.m0.curg.atomicstatus: g, "atomicstatus") */
	const struct dbg_type *parent;
	const char *field;
};

struct dbg_expr; /* a parsed expression (arena-allocated) */

/*
 * Parse text into nodes allocated in a. 0, or -EINVAL with
 * "cannot parse '1 +': expected an operand at column 4".
 */
int dbg_expr_parse(struct dbg_arena *a, const char *text, struct dbg_expr **out,
		   struct dbg_err *err);

/*
 * Evaluate a parsed expression. Types made up on the way (for '&') are
 * allocated in a, so *out is valid until a is reset.
 */
int dbg_expr_run(const struct dbg_expr *e, const struct dbg_expr_env *env, struct dbg_arena *a,
		 struct dbg_expr_value *out, struct dbg_err *err);

/* Parse and evaluate in one go. */
int dbg_expr_eval(const char *text, const struct dbg_expr_env *env, struct dbg_arena *a,
		  struct dbg_expr_value *out, struct dbg_err *err);

/*
 * Write the parse tree in prefix form, for tests and diagnostics:
 * "1 + 2 * 3" → "(+ 1 (* 2 3))", "$g.goid" → "(. $g goid)",
 * "*($rsp+8)" → "(* (+ $rsp 8))", "a[1]" → "([] a 1)".
 */
void dbg_expr_dump(const struct dbg_expr *e, char *buf, size_t n);

/*
 * When e is a comparison (== != < > <= >=), its operator text and its two
 * sides, so a failed expect can show both values. Else false.
 */
bool dbg_expr_comparison(const struct dbg_expr *e, const char **op, const struct dbg_expr **l,
			 const struct dbg_expr **r);

/* The text e was parsed from (a sub-expression as written) into buf. */
void dbg_expr_source(const struct dbg_expr *e, char *buf, size_t n);

#endif
