/*
 * lock_futex.c - runtime mutexes (sched.lock, the allocator's lock ...)
 * and notes, the one-shot events an M sleeps on (m.park, sched.sysmonnote),
 * both on Linux futexes. After Go's runtime/lock_futex.go.
 *
 * A mutex key is 0 (unlocked), 1 (locked) or 2 (locked, and someone may
 * sleep in the kernel waiting for it: unlock must wake one). A contended
 * lock spins a little (PAUSE, then sched_yield) before it sleeps. A note
 * key is 0 until notewakeup sets it to 1 and wakes the sleeper.
 */
#include "runtime.h"

enum {
	mutex_unlocked = 0,
	mutex_locked = 1,
	mutex_sleeping = 2,
	active_spin = 4,
	active_spin_cnt = 30,
	passive_spin = 1,
};

/* The futex word: the low half of a uintptr key (little-endian). */
static uint32_t *key32(uintptr_t *p) GO("runtime.key32");

static uint32_t *key32(uintptr_t *p)
{
	return (uint32_t *)p;
}

/* Sleeps while *addr == val, at most ns nanoseconds (ns < 0: no limit). */
void runtime_futexsleep(uint32_t *addr, uint32_t val, int64_t ns)
{
	struct timespec ts;

	if (ns < 0) {
		runtime_futex(addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
		return;
	}
	ts.tv_sec = ns / 1000000000;
	ts.tv_nsec = ns % 1000000000;
	runtime_futex(addr, FUTEX_WAIT_PRIVATE, val, &ts, NULL, 0);
}

/* Wakes up to cnt threads sleeping on addr. */
void runtime_futexwakeup(uint32_t *addr, uint32_t cnt)
{
	int32_t ret = runtime_futex(addr, FUTEX_WAKE_PRIVATE, cnt, NULL, NULL, 0);

	if (ret >= 0)
		return;
	runtime_fdprintf(2, "futexwakeup addr=%p returned %d\n", (void *)addr, ret);
	runtime_throw("futexwakeup");
}

void runtime_lock(struct mutex *l)
{
	struct m *mp = getg()->m;
	uint32_t *key = key32(&l->key);
	uint32_t v, wait;
	int spin = runtime_ncpu > 1 ? active_spin : 0;
	int i;

	mp->locks++;
	v = __atomic_exchange_n(key, mutex_locked, __ATOMIC_ACQUIRE);
	if (v == mutex_unlocked)
		return;

	/*
	 * wait is what to leave in the key once we own it: mutex_locked if
	 * nobody sleeps on it yet, else mutex_sleeping, so that our unlock
	 * wakes the next sleeper.
	 */
	wait = v;
	for (;;) {
		for (i = 0; i < spin; i++) {
			while (__atomic_load_n(key, __ATOMIC_RELAXED) == mutex_unlocked) {
				uint32_t old = mutex_unlocked;

				if (__atomic_compare_exchange_n(key, &old, wait, false,
								__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
					return;
			}
			runtime_procyield(active_spin_cnt);
		}
		for (i = 0; i < passive_spin; i++) {
			while (__atomic_load_n(key, __ATOMIC_RELAXED) == mutex_unlocked) {
				uint32_t old = mutex_unlocked;

				if (__atomic_compare_exchange_n(key, &old, wait, false,
								__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
					return;
			}
			runtime_osyield();
		}
		v = __atomic_exchange_n(key, mutex_sleeping, __ATOMIC_ACQUIRE);
		if (v == mutex_unlocked)
			return;
		wait = mutex_sleeping;
		runtime_futexsleep(key, mutex_sleeping, -1);
	}
}

void runtime_unlock(struct mutex *l)
{
	struct m *mp = getg()->m;
	uint32_t v = __atomic_exchange_n(key32(&l->key), mutex_unlocked, __ATOMIC_RELEASE);

	if (v == mutex_unlocked)
		runtime_throw("unlock of unlocked lock");
	if (v == mutex_sleeping)
		runtime_futexwakeup(key32(&l->key), 1);
	if (--mp->locks < 0)
		runtime_throw("runtime.unlock: lock count");
}

void runtime_noteclear(struct note *n)
{
	__atomic_store_n(&n->key, 0, __ATOMIC_RELEASE);
}

void runtime_notewakeup(struct note *n)
{
	uint32_t old = __atomic_exchange_n(key32(&n->key), 1, __ATOMIC_SEQ_CST);

	if (old != 0) {
		runtime_fdprintf(2, "notewakeup - double wakeup (%u)\n", old);
		runtime_throw("notewakeup - double wakeup");
	}
	runtime_futexwakeup(key32(&n->key), 1);
}

void runtime_notesleep(struct note *n)
{
	struct g *gp = getg();

	if (gp != gp->m->g0)
		runtime_throw("notesleep not on g0");
	while (__atomic_load_n(key32(&n->key), __ATOMIC_ACQUIRE) == 0)
		runtime_futexsleep(key32(&n->key), 0, -1);
}

bool runtime_notetsleep(struct note *n, int64_t ns)
{
	uint32_t *key = key32(&n->key);
	int64_t deadline, now;

	if (ns < 0) {
		runtime_notesleep(n);
		return true;
	}
	if (__atomic_load_n(key, __ATOMIC_ACQUIRE) != 0)
		return true;
	deadline = runtime_nanotime() + ns;
	for (;;) {
		runtime_futexsleep(key, 0, ns);
		if (__atomic_load_n(key, __ATOMIC_ACQUIRE) != 0)
			break;
		now = runtime_nanotime();
		if (now >= deadline)
			break;
		ns = deadline - now;
	}
	return __atomic_load_n(key, __ATOMIC_ACQUIRE) != 0;
}
