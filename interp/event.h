/*
 * event — a small JSON-like value tree for what the interpreter reports.
 *
 * Every command produces zero or more events: objects whose first key is
 * "event" (see docs/json.md). A tree is made of struct dbg_val nodes of the
 * kinds null, bool, int, uint, addr (an unsigned number that front ends
 * show as "0x…"), string, array and object (keys kept in insertion order).
 *
 * Nodes, keys and strings live in a struct dbg_arena: building an event is
 * a few pointer bumps, and the owner drops everything at once with
 * dbg_arena_reset() after the event was rendered. Containers remember their
 * arena, so the member builders need only the container:
 *
 *     struct dbg_val *ev = dbg_event_new(&arena, "print");
 *     dbg_obj_str(ev, "expr", "$rsp");
 *     dbg_obj_addr(ev, "value", 0x7fffffffe3a0);
 *     emit(ev);
 *     dbg_arena_reset(&arena);
 *
 * Running out of memory aborts (like every allocation in this library that
 * has no sensible recovery).
 */
#ifndef DBG_EVENT_H
#define DBG_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A bump allocator made of chunks; reset keeps the first chunk for reuse. */
struct dbg_arena {
	struct dbg_arena_chunk *head; /* chunk being filled (newest first) */
	size_t used;                  /* bytes used in head */
};

void dbg_arena_init(struct dbg_arena *a);
/* Forget every allocation; keeps one chunk so the next command does not
 * call malloc again. */
void dbg_arena_reset(struct dbg_arena *a);
/* Free every chunk; the arena may be initialised again. */
void dbg_arena_release(struct dbg_arena *a);
/* n bytes aligned for any scalar, uninitialised. */
void *dbg_arena_alloc(struct dbg_arena *a, size_t n);
/* Copies of s (len bytes, NUL appended). */
char *dbg_arena_strndup(struct dbg_arena *a, const char *s, size_t len);
char *dbg_arena_strdup(struct dbg_arena *a, const char *s);

enum dbg_val_kind {
	DBG_VAL_NULL,
	DBG_VAL_BOOL,
	DBG_VAL_INT,    /* signed 64-bit */
	DBG_VAL_UINT,   /* unsigned 64-bit, shown in decimal */
	DBG_VAL_ADDR,   /* unsigned 64-bit, shown as "0x…" */
	DBG_VAL_STRING, /* bytes (may hold NUL), length-counted */
	DBG_VAL_ARRAY,
	DBG_VAL_OBJECT,
};

struct dbg_val {
	enum dbg_val_kind kind;
	const char *key;      /* member name inside an object, else NULL */
	struct dbg_val *next; /* next element/member of the parent, or NULL */
	union {
		bool b;     /* BOOL */
		int64_t i;  /* INT */
		uint64_t u; /* UINT, ADDR */
		struct {    /* STRING: NUL-terminated too */
			const char *s;
			size_t len;
		} str;
		struct { /* ARRAY, OBJECT */
			struct dbg_val *first, *last;
			size_t n;
			struct dbg_arena *arena; /* where members are allocated */
		} list;
	};
};

/* Leaf and container builders (strings are copied into the arena). */
struct dbg_val *dbg_val_null(struct dbg_arena *a);
struct dbg_val *dbg_val_bool(struct dbg_arena *a, bool b);
struct dbg_val *dbg_val_int(struct dbg_arena *a, int64_t i);
struct dbg_val *dbg_val_uint(struct dbg_arena *a, uint64_t u);
struct dbg_val *dbg_val_addr(struct dbg_arena *a, uint64_t u);
struct dbg_val *dbg_val_str(struct dbg_arena *a, const char *s); /* NULL → null */
struct dbg_val *dbg_val_strn(struct dbg_arena *a, const char *s, size_t len);
struct dbg_val *dbg_val_array(struct dbg_arena *a);
struct dbg_val *dbg_val_object(struct dbg_arena *a);

/* An object whose first member is "event": name. */
struct dbg_val *dbg_event_new(struct dbg_arena *a, const char *name);

/* Append v to an array; returns v. v must not be in another container. */
struct dbg_val *dbg_arr_push(struct dbg_val *arr, struct dbg_val *v);
/* Append key: v to an object (key copied; keys are not checked for
 * duplicates: each is set once by construction); returns v. */
struct dbg_val *dbg_obj_set(struct dbg_val *obj, const char *key, struct dbg_val *v);
/* The same with key not copied: it must outlive the tree (a literal or a
 * static table's name), as for the many members of a stop event. */
struct dbg_val *dbg_obj_set_static(struct dbg_val *obj, const char *key, struct dbg_val *v);

/* Shorthands: build in the container's arena and append. */
struct dbg_val *dbg_obj_null(struct dbg_val *obj, const char *key);
struct dbg_val *dbg_obj_bool(struct dbg_val *obj, const char *key, bool b);
struct dbg_val *dbg_obj_int(struct dbg_val *obj, const char *key, int64_t i);
struct dbg_val *dbg_obj_uint(struct dbg_val *obj, const char *key, uint64_t u);
struct dbg_val *dbg_obj_addr(struct dbg_val *obj, const char *key, uint64_t u);
struct dbg_val *dbg_obj_str(struct dbg_val *obj, const char *key, const char *s);
struct dbg_val *dbg_obj_strf(struct dbg_val *obj, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct dbg_val *dbg_obj_array(struct dbg_val *obj, const char *key);
struct dbg_val *dbg_obj_object(struct dbg_val *obj, const char *key);
struct dbg_val *dbg_arr_object(struct dbg_val *arr);

/* Look-ups for renderers: the member named key, or NULL. */
const struct dbg_val *dbg_val_get(const struct dbg_val *obj, const char *key);
/* The string of member key, or NULL when absent or not a string. */
const char *dbg_val_get_str(const struct dbg_val *obj, const char *key);
/* The number in member key (INT/UINT/ADDR/BOOL) into *out: true when found. */
bool dbg_val_get_u64(const struct dbg_val *obj, const char *key, uint64_t *out);
/* An event's name ("stop", "print" …), or NULL when v is not an event. */
const char *dbg_event_name(const struct dbg_val *v);

#endif
