/*
 * event — value trees in a bump arena. See event.h.
 */
#include "event.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 16384

struct dbg_arena_chunk {
	struct dbg_arena_chunk *next; /* older chunk */
	size_t size;                  /* bytes in data */
	max_align_t data[];
};

static struct dbg_arena_chunk *chunk_new(size_t size)
{
	struct dbg_arena_chunk *c = malloc(sizeof(*c) + size);

	if (!c)
		abort();
	c->next = NULL;
	c->size = size;
	return c;
}

void dbg_arena_init(struct dbg_arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void dbg_arena_reset(struct dbg_arena *a)
{
	struct dbg_arena_chunk *keep = a->head;

	if (!keep)
		return;
	/* Keep the oldest (first allocated, standard-sized) chunk. */
	while (keep->next) {
		struct dbg_arena_chunk *next = keep->next;

		free(keep);
		keep = next;
	}
	a->head = keep;
	a->used = 0;
}

void dbg_arena_release(struct dbg_arena *a)
{
	while (a->head) {
		struct dbg_arena_chunk *next = a->head->next;

		free(a->head);
		a->head = next;
	}
	a->used = 0;
}

void *dbg_arena_alloc(struct dbg_arena *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	struct dbg_arena_chunk *c;
	size_t size;

	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	if (a->head && a->head->size - a->used >= n) {
		void *p = (char *)a->head->data + a->used;

		a->used += n;
		return p;
	}
	size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
	c = chunk_new(size);
	if (a->head && n > ARENA_CHUNK) {
		/* An oversized block goes behind the head, which keeps filling. */
		c->next = a->head->next;
		a->head->next = c;
		return c->data;
	}
	c->next = a->head;
	a->head = c;
	a->used = n;
	return c->data;
}

char *dbg_arena_strndup(struct dbg_arena *a, const char *s, size_t len)
{
	char *p = dbg_arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *dbg_arena_strdup(struct dbg_arena *a, const char *s)
{
	return dbg_arena_strndup(a, s, strlen(s));
}

static char *arena_vprintf(struct dbg_arena *a, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	int len;
	char *p;

	va_copy(ap2, ap);
	len = vsnprintf(small, sizeof(small), fmt, ap);
	if (len < 0)
		abort();
	if ((size_t)len < sizeof(small)) {
		va_end(ap2);
		return dbg_arena_strndup(a, small, (size_t)len);
	}
	p = dbg_arena_alloc(a, (size_t)len + 1);
	vsnprintf(p, (size_t)len + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

static struct dbg_val *val_new(struct dbg_arena *a, enum dbg_val_kind kind)
{
	struct dbg_val *v = dbg_arena_alloc(a, sizeof(*v));

	memset(v, 0, sizeof(*v));
	v->kind = kind;
	return v;
}

struct dbg_val *dbg_val_null(struct dbg_arena *a)
{
	return val_new(a, DBG_VAL_NULL);
}

struct dbg_val *dbg_val_bool(struct dbg_arena *a, bool b)
{
	struct dbg_val *v = val_new(a, DBG_VAL_BOOL);

	v->b = b;
	return v;
}

struct dbg_val *dbg_val_int(struct dbg_arena *a, int64_t i)
{
	struct dbg_val *v = val_new(a, DBG_VAL_INT);

	v->i = i;
	return v;
}

struct dbg_val *dbg_val_uint(struct dbg_arena *a, uint64_t u)
{
	struct dbg_val *v = val_new(a, DBG_VAL_UINT);

	v->u = u;
	return v;
}

struct dbg_val *dbg_val_addr(struct dbg_arena *a, uint64_t u)
{
	struct dbg_val *v = val_new(a, DBG_VAL_ADDR);

	v->u = u;
	return v;
}

struct dbg_val *dbg_val_strn(struct dbg_arena *a, const char *s, size_t len)
{
	struct dbg_val *v = val_new(a, DBG_VAL_STRING);

	v->str.s = dbg_arena_strndup(a, s, len);
	v->str.len = len;
	return v;
}

struct dbg_val *dbg_val_str(struct dbg_arena *a, const char *s)
{
	if (!s)
		return dbg_val_null(a);
	return dbg_val_strn(a, s, strlen(s));
}

struct dbg_val *dbg_val_array(struct dbg_arena *a)
{
	struct dbg_val *v = val_new(a, DBG_VAL_ARRAY);

	v->list.arena = a;
	return v;
}

struct dbg_val *dbg_val_object(struct dbg_arena *a)
{
	struct dbg_val *v = val_new(a, DBG_VAL_OBJECT);

	v->list.arena = a;
	return v;
}

struct dbg_val *dbg_event_new(struct dbg_arena *a, const char *name)
{
	struct dbg_val *ev = dbg_val_object(a);

	dbg_obj_str(ev, "event", name);
	return ev;
}

static void list_append(struct dbg_val *c, struct dbg_val *v)
{
	if (c->kind != DBG_VAL_ARRAY && c->kind != DBG_VAL_OBJECT)
		abort();
	if (v->next || c->list.last == v)
		abort();
	if (c->list.last)
		c->list.last->next = v;
	else
		c->list.first = v;
	c->list.last = v;
	c->list.n++;
}

struct dbg_val *dbg_arr_push(struct dbg_val *arr, struct dbg_val *v)
{
	if (arr->kind != DBG_VAL_ARRAY)
		abort();
	list_append(arr, v);
	return v;
}

struct dbg_val *dbg_obj_set_static(struct dbg_val *obj, const char *key, struct dbg_val *v)
{
	if (obj->kind != DBG_VAL_OBJECT)
		abort();
	v->key = key;
	list_append(obj, v);
	return v;
}

struct dbg_val *dbg_obj_set(struct dbg_val *obj, const char *key, struct dbg_val *v)
{
	if (obj->kind != DBG_VAL_OBJECT)
		abort();
	v->key = dbg_arena_strdup(obj->list.arena, key);
	list_append(obj, v);
	return v;
}

struct dbg_val *dbg_obj_null(struct dbg_val *obj, const char *key)
{
	return dbg_obj_set(obj, key, dbg_val_null(obj->list.arena));
}

struct dbg_val *dbg_obj_bool(struct dbg_val *obj, const char *key, bool b)
{
	return dbg_obj_set(obj, key, dbg_val_bool(obj->list.arena, b));
}

struct dbg_val *dbg_obj_int(struct dbg_val *obj, const char *key, int64_t i)
{
	return dbg_obj_set(obj, key, dbg_val_int(obj->list.arena, i));
}

struct dbg_val *dbg_obj_uint(struct dbg_val *obj, const char *key, uint64_t u)
{
	return dbg_obj_set(obj, key, dbg_val_uint(obj->list.arena, u));
}

struct dbg_val *dbg_obj_addr(struct dbg_val *obj, const char *key, uint64_t u)
{
	return dbg_obj_set(obj, key, dbg_val_addr(obj->list.arena, u));
}

struct dbg_val *dbg_obj_str(struct dbg_val *obj, const char *key, const char *s)
{
	return dbg_obj_set(obj, key, dbg_val_str(obj->list.arena, s));
}

struct dbg_val *dbg_obj_strf(struct dbg_val *obj, const char *key, const char *fmt, ...)
{
	struct dbg_val *v = val_new(obj->list.arena, DBG_VAL_STRING);
	va_list ap;

	va_start(ap, fmt);
	v->str.s = arena_vprintf(obj->list.arena, fmt, ap);
	va_end(ap);
	v->str.len = strlen(v->str.s);
	return dbg_obj_set(obj, key, v);
}

struct dbg_val *dbg_obj_array(struct dbg_val *obj, const char *key)
{
	return dbg_obj_set(obj, key, dbg_val_array(obj->list.arena));
}

struct dbg_val *dbg_obj_object(struct dbg_val *obj, const char *key)
{
	return dbg_obj_set(obj, key, dbg_val_object(obj->list.arena));
}

struct dbg_val *dbg_arr_object(struct dbg_val *arr)
{
	return dbg_arr_push(arr, dbg_val_object(arr->list.arena));
}

const struct dbg_val *dbg_val_get(const struct dbg_val *obj, const char *key)
{
	const struct dbg_val *m;

	if (!obj || obj->kind != DBG_VAL_OBJECT)
		return NULL;
	for (m = obj->list.first; m; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const char *dbg_val_get_str(const struct dbg_val *obj, const char *key)
{
	const struct dbg_val *m = dbg_val_get(obj, key);

	return m && m->kind == DBG_VAL_STRING ? m->str.s : NULL;
}

bool dbg_val_get_u64(const struct dbg_val *obj, const char *key, uint64_t *out)
{
	const struct dbg_val *m = dbg_val_get(obj, key);

	if (!m)
		return false;
	switch (m->kind) {
	case DBG_VAL_INT:
		*out = (uint64_t)m->i;
		return true;
	case DBG_VAL_UINT:
	case DBG_VAL_ADDR:
		*out = m->u;
		return true;
	case DBG_VAL_BOOL:
		*out = m->b;
		return true;
	default:
		return false;
	}
}

const char *dbg_event_name(const struct dbg_val *v)
{
	if (!v || v->kind != DBG_VAL_OBJECT || !v->list.first)
		return NULL;
	if (strcmp(v->list.first->key, "event") != 0 || v->list.first->kind != DBG_VAL_STRING)
		return NULL;
	return v->list.first->str.s;
}
