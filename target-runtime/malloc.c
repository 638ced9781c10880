/*
 * malloc.c - a bump allocator over mmap for memory that is never freed
 * (Ps, Ms, Gs, goroutine stacks), like Go's persistentalloc; Ms on several
 * threads share it under a lock.
 */
#include "runtime.h"

enum {
	PROT_READ = 1,
	PROT_WRITE = 2,
	MAP_PRIVATE = 0x02,
	MAP_ANONYMOUS = 0x20,
	persistentChunkSize = 256 << 10,
};

struct persistentAlloc {
	uintptr_t base;
	uintptr_t off;
	uintptr_t end;
};

static struct persistentAlloc globalAlloc;
static struct mutex globalAllocLock;

uintptr_t runtime_sysAlloc(uintptr_t n)
{
	intptr_t p =
		runtime_mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p < 0 && p > -4096)
		runtime_throw("runtime: cannot allocate memory (mmap failed)");
	return (uintptr_t)p;
}

void *runtime_persistentalloc(uintptr_t size, uintptr_t align)
{
	struct persistentAlloc *a = &globalAlloc;
	uintptr_t p;

	if (size == 0)
		runtime_throw("persistentalloc: size == 0");
	if (align == 0 || (align & (align - 1)) != 0 || align > 4096)
		runtime_throw("persistentalloc: align is not a power of 2 up to 4096");

	if (size >= persistentChunkSize / 4)
		return (void *)runtime_sysAlloc((size + 4095) & ~(uintptr_t)4095);

	runtime_lock(&globalAllocLock);
	p = (a->base + a->off + align - 1) & ~(align - 1);
	if (a->base == 0 || p + size > a->end) {
		a->base = runtime_sysAlloc(persistentChunkSize);
		a->off = 0;
		a->end = a->base + persistentChunkSize;
		p = a->base;
	}
	a->off = p + size - a->base;
	runtime_unlock(&globalAllocLock);
	/* mmap'd memory is zero and nothing is ever handed out twice. */
	return (void *)p;
}
