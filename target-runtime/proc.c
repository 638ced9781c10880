/*
 * proc.c - the scheduler: schedinit, Ps, newproc, the run queues and the
 * schedule loop, parking and exiting. Modelled on Go 1.19's runtime/proc.go,
 * reduced to one M (m0): no sysmon, no stealing, no wakep, no spinning Ms.
 * A single M runs goroutines cooperatively, so the locks here never
 * contend; they are taken where Go takes them, and a recursive take throws.
 */
#include "runtime.h"

struct g runtime_g0 GO("runtime.g0");
struct m runtime_m0 GO("runtime.m0");
struct schedt runtime_sched GO("runtime.sched");
struct gslice runtime_allgs GO("runtime.allgs");
uintptr_t runtime_allglen GO("runtime.allglen");
struct pslice runtime_allp GO("runtime.allp");
struct m *runtime_allm GO("runtime.allm");
int32_t runtime_gomaxprocs GO("runtime.gomaxprocs");
bool runtime_isIntel GO("runtime.isIntel");
uint32_t runtime_processorVersionInfo GO("runtime.processorVersionInfo");
bool runtime_mainStarted GO("runtime.mainStarted");
/* Zero: this runtime has no cgo, so rt0_go installs TLS itself. */
void *runtime_cgo_init GO("_cgo_init");

/* The funcval for the first goroutine: rt0_go calls newproc(&mainPC). */
const struct funcval runtime_mainPC GO("runtime.mainPC") = {
	(uintptr_t)runtime_main,
};

static struct mutex allglock;

/* Internal functions, under Go's names so stack traces read like Go's. */
static void checkmcount(void) GO("runtime.checkmcount");
static int64_t mReserveID(void) GO("runtime.mReserveID");
static void p_init(struct p *pp, int32_t id) GO("runtime.p.init");
static void gfput(struct p *pp, struct g *gp) GO("runtime.gfput");
static struct g *gfget(struct p *pp) GO("runtime.gfget");
static void globrunqputbatch(struct gQueue *batch, int32_t n) GO("runtime.globrunqputbatch");
static bool runqputslow(struct p *pp, struct g *gp, uint32_t h, uint32_t t) GO("runtime.runqputslow");
static struct g *globrunqpop(void) GO("runtime.gQueue.pop");
static void checkstack(struct g *gp) GO("runtime.checkstack");
static void dropg(void) GO("runtime.dropg");

void runtime_lock(struct mutex *l)
{
	if (l->key != 0)
		runtime_throw("lock: lock already held (one M cannot wait for itself)");
	l->key = 1;
	getg()->m->locks++;
}

void runtime_unlock(struct mutex *l)
{
	if (l->key == 0)
		runtime_throw("unlock of unlocked lock");
	l->key = 0;
	getg()->m->locks--;
}

/*
 * The bootstrap sequence is rt0_go: check, args, osinit, schedinit,
 * newproc(runtime.main), mstart. schedinit sets up m0 and the Ps.
 */
void runtime_schedinit(void)
{
	struct g *gp = getg();
	int32_t procs, n;

	runtime_lock(&runtime_sched.lock);
	runtime_sched.lastpoll = 0;
	runtime_unlock(&runtime_sched.lock);

	runtime_sched.maxmcount = 10000;
	runtime_mcommoninit(gp->m, -1);

	procs = runtime_ncpu;
	if (runtime_atoi32(runtime_gogetenv("GOMAXPROCS"), &n) && n > 0)
		procs = n;
	if (procs > MaxGomaxprocs)
		procs = MaxGomaxprocs;
	if (procs < 1)
		procs = 1;

	runtime_lock(&runtime_sched.lock);
	if (runtime_procresize(procs) != NULL)
		runtime_throw("unknown runnable goroutine during bootstrap");
	runtime_unlock(&runtime_sched.lock);
}

static void checkmcount(void)
{
	if (runtime_sched.mnext > runtime_sched.maxmcount)
		runtime_throw("thread exhaustion");
}

static int64_t mReserveID(void)
{
	int64_t id = runtime_sched.mnext;

	runtime_sched.mnext++;
	checkmcount();
	return id;
}

/* Gives mp its id, seed and signal goroutine, and links it into allm. */
void runtime_mcommoninit(struct m *mp, int64_t id)
{
	const uint8_t *r;
	uint64_t seed = 0;
	int i;

	runtime_lock(&runtime_sched.lock);
	mp->id = id >= 0 ? id : mReserveID();

	r = runtime_startupRandomData;
	if (r != NULL)
		for (i = 0; i < 8; i++)
			seed |= (uint64_t)r[i] << (8 * i);
	mp->fastrand = seed ^ (uint64_t)mp->id ^ 0x9e3779b97f4a7c15ull;
	if ((uint32_t)mp->fastrand == 0 || (mp->fastrand >> 32) == 0)
		mp->fastrand = 0x1234567887654321ull;

	/* mpreinit: the signal-handling goroutine (never scheduled here). */
	mp->gsignal = runtime_malg(GsignalStackSize);
	mp->gsignal->m = mp;

	mp->alllink = runtime_allm;
	__atomic_store_n(&runtime_allm, mp, __ATOMIC_RELEASE);
	runtime_unlock(&runtime_sched.lock);
}

static void p_init(struct p *pp, int32_t id)
{
	pp->id = id;
	pp->status = P_GCSTOP;
	pp->sudogcache.array = pp->sudogbuf;
	pp->sudogcache.len = 0;
	pp->sudogcache.cap = (intptr_t)(sizeof pp->sudogbuf / sizeof pp->sudogbuf[0]);
	pp->deferpool.array = pp->deferpoolbuf;
	pp->deferpool.len = 0;
	pp->deferpool.cap = (intptr_t)(sizeof pp->deferpoolbuf / sizeof pp->deferpoolbuf[0]);
}

/* Associates P and the current M (Go's acquirep/wirep). */
void runtime_acquirep(struct p *pp)
{
	struct g *gp = getg();

	if (gp->m->p != 0)
		runtime_throw("wirep: already in go");
	if (pp->m != 0 || pp->status != P_IDLE)
		runtime_throw("wirep: invalid p state");
	gp->m->p = (puintptr)pp;
	pp->m = (muintptr)gp->m;
	pp->status = P_RUNNING;
}

/* Puts pp on the idle list. sched.lock must be held. */
void runtime_pidleput(struct p *pp)
{
	if (pp->runqhead != pp->runqtail || pp->runnext != 0)
		runtime_throw("pidleput: P has non-empty run queue");
	pp->link = runtime_sched.pidle;
	runtime_sched.pidle = (puintptr)pp;
	__atomic_add_fetch(&runtime_sched.npidle, 1, __ATOMIC_SEQ_CST);
}

/*
 * Changes the number of Ps to nprocs (only growth, as at boot). The current
 * M keeps or acquires P0; every other P becomes idle. sched.lock must be
 * held. Returns the list of Ps with local work (none at boot).
 */
struct p *runtime_procresize(int32_t nprocs)
{
	struct g *gp = getg();
	int32_t old = runtime_gomaxprocs;
	int32_t i;

	if (old < 0 || nprocs <= 0 || nprocs > MaxGomaxprocs)
		runtime_throw("procresize: invalid arg");
	if (nprocs < old)
		runtime_throw("procresize: shrinking is not supported");

	if (nprocs > runtime_allp.len) {
		struct p **a = runtime_persistentalloc((uintptr_t)nprocs * sizeof *a, 8);

		for (i = 0; i < runtime_allp.len; i++)
			a[i] = runtime_allp.array[i];
		runtime_allp.array = a;
		runtime_allp.len = nprocs;
		runtime_allp.cap = nprocs;
	}

	for (i = old; i < nprocs; i++) {
		struct p *pp = runtime_allp.array[i];

		if (pp == NULL)
			pp = runtime_persistentalloc(sizeof *pp, 64);
		p_init(pp, i);
		__atomic_store_n(&runtime_allp.array[i], pp, __ATOMIC_RELEASE);
	}

	if (gp->m->p != 0 && p_ptr(gp->m->p)->id < nprocs) {
		p_ptr(gp->m->p)->status = P_RUNNING;
	} else {
		struct p *pp = runtime_allp.array[0];

		gp->m->p = 0;
		pp->m = 0;
		pp->status = P_IDLE;
		runtime_acquirep(pp);
	}

	for (i = nprocs - 1; i >= 0; i--) {
		struct p *pp = runtime_allp.array[i];

		if (p_ptr(gp->m->p) == pp)
			continue;
		pp->status = P_IDLE;
		runtime_pidleput(pp);
	}

	__atomic_store_n(&runtime_gomaxprocs, nprocs, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Allocates a g with a stack of stacksize bytes (none if negative). */
struct g *runtime_malg(int32_t stacksize)
{
	struct g *newg = runtime_persistentalloc(sizeof *newg, 8);

	if (stacksize >= 0) {
		uintptr_t lo = (uintptr_t)runtime_persistentalloc((uintptr_t)stacksize, 16);

		newg->stack.lo = lo;
		newg->stack.hi = lo + (uintptr_t)stacksize;
		newg->stackguard0 = lo + StackGuard;
		newg->stackguard1 = ~(uintptr_t)0;
		*(uint64_t *)lo = STACK_CANARY;
	}
	return newg;
}

/* Publishes gp in allgs (Go's append) and allglen. */
void runtime_allgadd(struct g *gp)
{
	if (__atomic_load_n(&gp->atomicstatus, __ATOMIC_SEQ_CST) == G_IDLE)
		runtime_throw("allgadd: bad status Gidle");

	runtime_lock(&allglock);
	if (runtime_allgs.len == runtime_allgs.cap) {
		intptr_t ncap = runtime_allgs.cap ? 2 * runtime_allgs.cap : 64;
		struct g **a = runtime_persistentalloc((uintptr_t)ncap * sizeof *a, 8);
		intptr_t i;

		for (i = 0; i < runtime_allgs.len; i++)
			a[i] = runtime_allgs.array[i];
		runtime_allgs.array = a;
		runtime_allgs.cap = ncap;
	}
	runtime_allgs.array[runtime_allgs.len++] = gp;
	__atomic_store_n(&runtime_allglen, (uintptr_t)runtime_allgs.len, __ATOMIC_RELEASE);
	runtime_unlock(&allglock);
}

static const char *gstatusname(uint32_t s)
{
	switch (s) {
	case G_IDLE: return "idle";
	case G_RUNNABLE: return "runnable";
	case G_RUNNING: return "running";
	case G_SYSCALL: return "syscall";
	case G_WAITING: return "waiting";
	case G_DEAD: return "dead";
	default: return "???";
	}
}

/* Moves gp from oldval to newval; anything else is a runtime bug. */
void runtime_casgstatus(struct g *gp, uint32_t oldval, uint32_t newval)
{
	uint32_t cur = oldval;

	if (oldval == newval)
		runtime_throw("casgstatus: bad incoming values");
	if (!__atomic_compare_exchange_n(&gp->atomicstatus, &cur, newval, false,
			__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		runtime_fdprintf(2, "runtime: casgstatus: oldval=%s newval=%s, found %s\n",
			gstatusname(oldval), gstatusname(newval), gstatusname(cur));
		runtime_throw("casgstatus: bad status");
	}
}

/*
 * Fakes a call to fn from the pc in buf: pushes buf->pc as the return
 * address and makes fn the place to resume.
 */
void runtime_gostartcall(struct gobuf *buf, uintptr_t fn, void *ctxt)
{
	uintptr_t sp = buf->sp;

	sp -= sizeof(uintptr_t);
	*(uintptr_t *)sp = buf->pc;
	buf->sp = sp;
	buf->pc = fn;
	buf->ctxt = ctxt;
}

/* Puts a dead G on pp's free list, spilling a batch to sched.gFree. */
static void gfput(struct p *pp, struct g *gp)
{
	if (__atomic_load_n(&gp->atomicstatus, __ATOMIC_SEQ_CST) != G_DEAD)
		runtime_throw("gfput: bad status (not Gdead)");

	gp->schedlink = pp->gFree.gList.head;
	pp->gFree.gList.head = (guintptr)gp;
	pp->gFree.n++;
	if (pp->gFree.n >= 64) {
		runtime_lock(&runtime_sched.gFree.lock);
		while (pp->gFree.n >= 32) {
			struct g *g1 = g_ptr(pp->gFree.gList.head);

			pp->gFree.gList.head = g1->schedlink;
			pp->gFree.n--;
			g1->schedlink = runtime_sched.gFree.stack.head;
			runtime_sched.gFree.stack.head = (guintptr)g1;
			runtime_sched.gFree.n++;
		}
		runtime_unlock(&runtime_sched.gFree.lock);
	}
}

/* Takes a dead G from pp's free list, refilling it from sched.gFree. */
static struct g *gfget(struct p *pp)
{
	struct g *gp;

	if (pp->gFree.gList.head == 0 && runtime_sched.gFree.stack.head != 0) {
		runtime_lock(&runtime_sched.gFree.lock);
		while (pp->gFree.n < 32 && runtime_sched.gFree.stack.head != 0) {
			gp = g_ptr(runtime_sched.gFree.stack.head);
			runtime_sched.gFree.stack.head = gp->schedlink;
			runtime_sched.gFree.n--;
			gp->schedlink = pp->gFree.gList.head;
			pp->gFree.gList.head = (guintptr)gp;
			pp->gFree.n++;
		}
		runtime_unlock(&runtime_sched.gFree.lock);
	}
	gp = g_ptr(pp->gFree.gList.head);
	if (gp == NULL)
		return NULL;
	pp->gFree.gList.head = gp->schedlink;
	pp->gFree.n--;
	gp->schedlink = 0;
	return gp;
}

/*
 * Creates a new g running fn and returns it, runnable. The caller puts it
 * on a run queue.
 */
struct g *runtime_newproc1(struct funcval *fn, struct g *callergp, uintptr_t callerpc)
{
	struct m *mp = getg()->m;
	struct p *pp = p_ptr(mp->p);
	struct g *newg;
	uintptr_t totalSize, sp;

	(void)callergp;
	if (fn == NULL)
		runtime_throw("go of nil func value");
	mp->locks++;

	newg = gfget(pp);
	if (newg == NULL) {
		newg = runtime_malg(StackMin);
		runtime_casgstatus(newg, G_IDLE, G_DEAD);
		runtime_allgadd(newg);
	}
	if (newg->stack.hi == 0)
		runtime_throw("newproc1: newg missing stack");
	if (__atomic_load_n(&newg->atomicstatus, __ATOMIC_SEQ_CST) != G_DEAD)
		runtime_throw("newproc1: new g is not Gdead");

	/* Room for 4 words beyond the frame, keeping 16-byte alignment. */
	totalSize = (4 * sizeof(uintptr_t) + 15) & ~(uintptr_t)15;
	sp = newg->stack.hi - totalSize;
	memset(&newg->sched, 0, sizeof newg->sched);
	newg->sched.sp = sp;
	newg->stktopsp = sp;
	/* +1 so the "caller" pc lies inside goexit, as a return address would. */
	newg->sched.pc = (uintptr_t)runtime_goexit + 1;
	newg->sched.g = (guintptr)newg;
	runtime_gostartcall(&newg->sched, fn->fn, fn);
	newg->gopc = callerpc;
	newg->ancestors = NULL;
	newg->startpc = fn->fn;
	newg->waitreason = waitReasonZero;
	newg->trackingSeq = (uint8_t)mp->fastrand;
	runtime_casgstatus(newg, G_DEAD, G_RUNNABLE);

	if (pp->goidcache == pp->goidcacheend) {
		/* Take a batch of goids: with goidgen at 0, the first is 1. */
		pp->goidcache = __atomic_add_fetch(&runtime_sched.goidgen, GoidCacheBatch,
			__ATOMIC_SEQ_CST);
		pp->goidcache -= GoidCacheBatch - 1;
		pp->goidcacheend = pp->goidcache + GoidCacheBatch;
	}
	newg->goid = (int64_t)pp->goidcache;
	pp->goidcache++;

	mp->locks--;
	return newg;
}

/*
 * Go's `go fn()`: creates a goroutine running fn and puts it in the current
 * P's runnext, so it runs as soon as the current goroutine yields.
 */
NOINLINE void runtime_newproc(struct funcval *fn)
{
	struct g *gp = getg();
	uintptr_t pc = (uintptr_t)__builtin_return_address(0);
	struct g *newg = runtime_newproc1(fn, gp, pc);

	runtime_runqput(p_ptr(gp->m->p), newg, true);
	/* wakep() would start an idle P here once mainStarted; one M has none to start. */
}

/* Puts a batch of n Gs linked through schedlink on the global queue. */
static void globrunqputbatch(struct gQueue *batch, int32_t n)
{
	if (runtime_sched.runq.tail != 0)
		g_ptr(runtime_sched.runq.tail)->schedlink = batch->head;
	else
		runtime_sched.runq.head = batch->head;
	runtime_sched.runq.tail = batch->tail;
	runtime_sched.runqsize += n;
	batch->head = batch->tail = 0;
}

/*
 * The local ring is full: moves its first half plus gp to the global
 * queue, keeping their order.
 */
static bool runqputslow(struct p *pp, struct g *gp, uint32_t h, uint32_t t)
{
	uint32_t n = (t - h) / 2;
	uint32_t i;
	struct gQueue q;
	struct g *prev;

	if (n != RunqSize / 2)
		runtime_throw("runqputslow: queue is not full");
	q.head = pp->runq[h % RunqSize];
	prev = g_ptr(q.head);
	for (i = 1; i < n; i++) {
		struct g *next = g_ptr(pp->runq[(h + i) % RunqSize]);

		prev->schedlink = (guintptr)next;
		prev = next;
	}
	if (!__atomic_compare_exchange_n(&pp->runqhead, &h, h + n, false,
			__ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return false;
	prev->schedlink = (guintptr)gp;
	gp->schedlink = 0;
	q.tail = (guintptr)gp;

	runtime_lock(&runtime_sched.lock);
	globrunqputbatch(&q, (int32_t)(n + 1));
	runtime_unlock(&runtime_sched.lock);
	return true;
}

/*
 * Puts gp on pp's local run queue. With next, gp goes in runnext and the
 * G it displaces goes to the tail of the ring; a full ring spills half of
 * itself to the global queue.
 */
void runtime_runqput(struct p *pp, struct g *gp, bool next)
{
	uint32_t h, t;

	if (next) {
		guintptr oldnext = pp->runnext;

		pp->runnext = (guintptr)gp;
		if (oldnext == 0)
			return;
		gp = g_ptr(oldnext);
	}
	for (;;) {
		h = __atomic_load_n(&pp->runqhead, __ATOMIC_ACQUIRE);
		t = pp->runqtail;
		if (t - h < RunqSize) {
			pp->runq[t % RunqSize] = (guintptr)gp;
			__atomic_store_n(&pp->runqtail, t + 1, __ATOMIC_RELEASE);
			return;
		}
		if (runqputslow(pp, gp, h, t))
			return;
	}
}

/*
 * Takes a G from pp's local queue: runnext first (it inherits the time
 * slice: *inheritTime = true), then the head of the ring.
 */
struct g *runtime_runqget(struct p *pp, bool *inheritTime)
{
	guintptr next = pp->runnext;
	uint32_t h, t;

	if (next != 0 && __atomic_compare_exchange_n(&pp->runnext, &next, 0, false,
			__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		*inheritTime = true;
		return g_ptr(next);
	}
	for (;;) {
		struct g *gp;

		h = __atomic_load_n(&pp->runqhead, __ATOMIC_ACQUIRE);
		t = pp->runqtail;
		if (t == h) {
			*inheritTime = false;
			return NULL;
		}
		gp = g_ptr(pp->runq[h % RunqSize]);
		if (__atomic_compare_exchange_n(&pp->runqhead, &h, h + 1, false,
				__ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
			*inheritTime = false;
			return gp;
		}
	}
}

/* Appends gp to the global queue. sched.lock must be held. */
void runtime_globrunqput(struct g *gp)
{
	gp->schedlink = 0;
	if (runtime_sched.runq.tail != 0)
		g_ptr(runtime_sched.runq.tail)->schedlink = (guintptr)gp;
	else
		runtime_sched.runq.head = (guintptr)gp;
	runtime_sched.runq.tail = (guintptr)gp;
	runtime_sched.runqsize++;
}

static struct g *globrunqpop(void)
{
	struct g *gp = g_ptr(runtime_sched.runq.head);

	if (gp == NULL)
		return NULL;
	runtime_sched.runq.head = gp->schedlink;
	if (runtime_sched.runq.head == 0)
		runtime_sched.runq.tail = 0;
	gp->schedlink = 0;
	return gp;
}

/*
 * Takes a fair share of the global queue: returns one G and moves up to
 * min(size/gomaxprocs + 1, max, 128) - 1 more onto pp's ring. sched.lock
 * must be held.
 */
struct g *runtime_globrunqget(struct p *pp, int32_t max)
{
	int32_t n;
	struct g *gp;

	if (runtime_sched.runqsize == 0)
		return NULL;
	n = runtime_sched.runqsize / runtime_gomaxprocs + 1;
	if (n > runtime_sched.runqsize)
		n = runtime_sched.runqsize;
	if (max > 0 && n > max)
		n = max;
	if (n > RunqSize / 2)
		n = RunqSize / 2;
	runtime_sched.runqsize -= n;

	gp = globrunqpop();
	for (n--; n > 0; n--)
		runtime_runqput(pp, globrunqpop(), false);
	return gp;
}

/*
 * Called from mstart: g0 records in g0.sched where mstart0 continues and
 * the stack pointer there, the base every mcall restarts g0 from.
 */
NOINLINE void runtime_mstart0(void)
{
	struct g *gp = getg();

	/* g0's stack bounds were set by rt0_go; only the guards change. */
	gp->stackguard0 = gp->stack.lo + StackGuard;
	gp->stackguard1 = gp->stackguard0;
	runtime_mstart1();

	/* Exit this thread: only reachable through g0.sched, which nothing resumes. */
	runtime_throw("mstart1 returned");
}

/*
 * noipa: callers must not learn that this never returns (it ends in
 * schedule), or the return point recorded in g0.sched would not exist.
 */
__attribute__((noipa)) void runtime_mstart1(void)
{
	struct g *gp = getg();

	if (gp != gp->m->g0)
		runtime_throw("bad runtime.mstart");
	gp->sched.g = (guintptr)gp;
	gp->sched.pc = (uintptr_t)__builtin_return_address(0);
	gp->sched.sp = (uintptr_t)__builtin_frame_address(0) + 2 * sizeof(uintptr_t);
	gp->sched.bp = 0;
	/* minit and mstartm0 would install signal handlers; none are needed. */
	if (gp->m->mstartfn != 0)
		((void (*)(void))gp->m->mstartfn)();
	runtime_schedule();
}

/*
 * Finds a runnable goroutine: every 61st tick the global queue first (so
 * it cannot starve), then the local queue, then the global queue. With
 * one M nothing else can make work appear: finding none is a deadlock.
 */
struct g *runtime_findRunnable(bool *inheritTime)
{
	struct p *pp = p_ptr(getg()->m->p);
	struct g *gp;

	if (pp->schedtick % SchedFairness == 0 && runtime_sched.runqsize > 0) {
		runtime_lock(&runtime_sched.lock);
		gp = runtime_globrunqget(pp, 1);
		runtime_unlock(&runtime_sched.lock);
		if (gp != NULL) {
			*inheritTime = false;
			return gp;
		}
	}

	gp = runtime_runqget(pp, inheritTime);
	if (gp != NULL)
		return gp;

	if (runtime_sched.runqsize != 0) {
		runtime_lock(&runtime_sched.lock);
		gp = runtime_globrunqget(pp, 0);
		runtime_unlock(&runtime_sched.lock);
		if (gp != NULL) {
			*inheritTime = false;
			return gp;
		}
	}

	/* No netpoll, no other M to steal from or to wait for (checkdead). */
	runtime_throw("all goroutines are asleep - deadlock!");
}

/* One round of scheduling: find a runnable goroutine and run it. */
void runtime_schedule(void)
{
	struct g *gp = getg();
	struct m *mp = gp->m;
	bool inheritTime = false;
	struct g *next;

	if (gp != mp->g0)
		runtime_throw("schedule: not on g0");
	if (mp->locks != 0)
		runtime_throw("schedule: holding locks");
	p_ptr(mp->p)->preempt = false;

	next = runtime_findRunnable(&inheritTime);
	runtime_execute(next, inheritTime);
}

static void checkstack(struct g *gp)
{
	if (*(uint64_t *)gp->stack.lo != STACK_CANARY)
		runtime_throw("goroutine stack overflow (canary at stack.lo clobbered)");
}

/*
 * Runs gp on the current M. With inheritTime gp uses up the current time
 * slice; otherwise this starts a new one (schedtick++). Never returns.
 */
void runtime_execute(struct g *gp, bool inheritTime)
{
	struct m *mp = getg()->m;

	checkstack(gp);
	mp->curg = gp;
	gp->m = mp;
	runtime_casgstatus(gp, G_RUNNABLE, G_RUNNING);
	gp->waitsince = 0;
	gp->preempt = false;
	gp->stackguard0 = gp->stack.lo + StackGuard;
	if (!inheritTime)
		p_ptr(mp->p)->schedtick++;
	runtime_gogo(&gp->sched);
}

/* Disassociates m and its current goroutine (Go's dropg). */
static void dropg(void)
{
	struct m *mp = getg()->m;

	mp->curg->m = NULL;
	mp->curg = NULL;
}

/*
 * Puts the current goroutine into a waiting state with reason and calls
 * unlockf(gp, lock) on g0; it resumes when someone calls goready(gp).
 */
NOINLINE void runtime_gopark(bool (*unlockf)(struct g *, void *), void *lock, uint8_t reason)
{
	struct m *mp = getg()->m;
	struct g *gp = mp->curg;

	if (gp == NULL || gp == mp->g0)
		runtime_throw("gopark: not on a user goroutine");
	if (__atomic_load_n(&gp->atomicstatus, __ATOMIC_SEQ_CST) != G_RUNNING)
		runtime_throw("gopark: bad g status");
	mp->waitlock = lock;
	mp->waitunlockf = unlockf;
	gp->waitreason = reason;
	mcall(runtime_park_m);
}

/* gopark continued on g0. */
void runtime_park_m(struct g *gp)
{
	struct m *mp = getg()->m;
	bool (*fn)(struct g *, void *) = mp->waitunlockf;

	checkstack(gp);
	runtime_casgstatus(gp, G_RUNNING, G_WAITING);
	dropg();
	if (fn != NULL) {
		bool ok = fn(gp, mp->waitlock);

		mp->waitunlockf = NULL;
		mp->waitlock = NULL;
		if (!ok) {
			runtime_casgstatus(gp, G_WAITING, G_RUNNABLE);
			runtime_execute(gp, true);
		}
	}
	runtime_schedule();
}

/* Marks gp ready to run and puts it in runnext. */
NOINLINE void runtime_goready(struct g *gp)
{
	struct m *mp = getg()->m;

	mp->locks++;
	runtime_casgstatus(gp, G_WAITING, G_RUNNABLE);
	runtime_runqput(p_ptr(mp->p), gp, true);
	/* wakep() */
	mp->locks--;
}

/* Yields the processor: the caller goes to the back of the global queue. */
NOINLINE void runtime_Gosched(void)
{
	mcall(runtime_gosched_m);
}

/* Gosched continued on g0. */
void runtime_gosched_m(struct g *gp)
{
	checkstack(gp);
	runtime_casgstatus(gp, G_RUNNING, G_RUNNABLE);
	dropg();
	runtime_lock(&runtime_sched.lock);
	runtime_globrunqput(gp);
	runtime_unlock(&runtime_sched.lock);
	runtime_schedule();
}

/* The goroutine's function returned into goexit: finish it on g0. */
void runtime_goexit1(void)
{
	mcall(runtime_goexit0);
	runtime_throw("goexit1: goexit0 returned");
}

/* goexit continued on g0: the goroutine is dead, its g kept for reuse. */
void runtime_goexit0(struct g *gp)
{
	struct m *mp = getg()->m;
	struct p *pp = p_ptr(mp->p);

	checkstack(gp);
	runtime_casgstatus(gp, G_RUNNING, G_DEAD);
	gp->m = NULL;
	gp->lockedm = 0;
	mp->lockedg = 0;
	gp->preemptStop = false;
	gp->paniconfault = false;
	gp->_defer = NULL;
	gp->_panic = NULL;
	gp->writebuf.array = NULL;
	gp->writebuf.len = gp->writebuf.cap = 0;
	gp->waitreason = waitReasonZero;
	gp->param = NULL;
	gp->labels = NULL;
	gp->timer = NULL;
	dropg();
	gfput(pp, gp);
	runtime_schedule();
}

void runtime_badmcall(void (*fn)(struct g *))
{
	(void)fn;
	runtime_throw("runtime: mcall called on m->g0 stack");
}

void runtime_badmcall2(void (*fn)(struct g *))
{
	(void)fn;
	runtime_throw("runtime: mcall function returned");
}

/* The main goroutine (goid 1). */
void runtime_main(void)
{
	struct g *gp = getg();

	if (gp->m != &runtime_m0)
		runtime_throw("runtime.main not on m0");
	runtime_mainStarted = true;
	/* sysmon, package inits and the GC start here in Go; none exist here. */
	main_main();
	runtime_exit(0);
}
