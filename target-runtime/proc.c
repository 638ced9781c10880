/*
 * proc.c - the scheduler: schedinit, Ps, newproc, the run queues and the
 * schedule loop, parking and exiting; Ms (newm, startm, stopm, wakep,
 * handoffp), stealing, system calls (entersyscall, exitsyscall) and sysmon.
 * Modelled on Go 1.19's runtime/proc.go.
 *
 * Worker Ms park and unpark as in Go: a goroutine made runnable calls
 * wakep, which starts one spinning M if a P is idle and none spins yet;
 * a spinning M that finds work wakes the next one; an M that finds none
 * gives its P back and sleeps on m.park. sysmon runs on an M of its own,
 * without a P: it retakes Ps left in _Psyscall and flags goroutines that
 * ran for 10 ms. runtime.wakeIdlePs (see runtime.h) keeps the programs
 * written for one M on m0.
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
bool runtime_wakeIdlePs GO("runtime.wakeIdlePs");

/* What a parked goroutine waits for, by g.waitreason: Go 1.19's table,
 * read by debuggers (and Go's traceback) to name the reason. */
#define WAITREASON(name, text) [name] = { text, sizeof(text) - 1 }
const struct string runtime_waitReasonStrings[waitReasonCount] GO("runtime.waitReasonStrings") = {
	WAITREASON(waitReasonZero, ""),
	WAITREASON(waitReasonGCAssistMarking, "GC assist marking"),
	WAITREASON(waitReasonIOWait, "IO wait"),
	WAITREASON(waitReasonChanReceiveNilChan, "chan receive (nil chan)"),
	WAITREASON(waitReasonChanSendNilChan, "chan send (nil chan)"),
	WAITREASON(waitReasonDumpingHeap, "dumping heap"),
	WAITREASON(waitReasonGarbageCollection, "garbage collection"),
	WAITREASON(waitReasonGarbageCollectionScan, "garbage collection scan"),
	WAITREASON(waitReasonPanicWait, "panicwait"),
	WAITREASON(waitReasonSelect, "select"),
	WAITREASON(waitReasonSelectNoCases, "select (no cases)"),
	WAITREASON(waitReasonGCAssistWait, "GC assist wait"),
	WAITREASON(waitReasonGCSweepWait, "GC sweep wait"),
	WAITREASON(waitReasonGCScavengeWait, "GC scavenge wait"),
	WAITREASON(waitReasonChanReceive, "chan receive"),
	WAITREASON(waitReasonChanSend, "chan send"),
	WAITREASON(waitReasonFinalizerWait, "finalizer wait"),
	WAITREASON(waitReasonForceGCIdle, "force gc (idle)"),
	WAITREASON(waitReasonSemacquire, "semacquire"),
	WAITREASON(waitReasonSleep, "sleep"),
	WAITREASON(waitReasonSyncCondWait, "sync.Cond.Wait"),
	WAITREASON(waitReasonTimerGoroutineIdle, "timer goroutine (idle)"),
	WAITREASON(waitReasonTraceReaderBlocked, "trace reader (blocked)"),
	WAITREASON(waitReasonWaitForGCCycle, "wait for GC cycle"),
	WAITREASON(waitReasonGCWorkerIdle, "GC worker (idle)"),
	WAITREASON(waitReasonPreempted, "preempted"),
	WAITREASON(waitReasonDebugCall, "debug call"),
};
#undef WAITREASON

/* The funcval for the first goroutine: rt0_go calls newproc(&mainPC). */
const struct funcval runtime_mainPC GO("runtime.mainPC") = {
	(uintptr_t)runtime_main,
};

static struct mutex allglock;
/* Held by sysmon while it walks allp (Go's allpLock). */
static struct mutex allpLock;

/*
 * The order in which findRunnable visits the other Ps: from a random
 * start, in steps of a random number coprime to their count, so every P
 * is visited once and thieves spread over victims (Go's randomOrder).
 */
struct randomOrder {
	uint32_t count;
	uint32_t coprimes[MaxGomaxprocs];
	uint32_t ncoprimes;
};

struct randomEnum {
	uint32_t i;
	uint32_t count;
	uint32_t pos;
	uint32_t inc;
};

static struct randomOrder stealOrder;

/* Internal functions, under Go's names so stack traces read like Go's. */
static void checkmcount(void) GO("runtime.checkmcount");
static int64_t mReserveID(void) GO("runtime.mReserveID");
static uint64_t fastrandseed(int64_t id) GO("runtime.fastrandseed");
static void p_init(struct p *pp, int32_t id) GO("runtime.p.init");
static void gfput(struct p *pp, struct g *gp) GO("runtime.gfput");
static struct g *gfget(struct p *pp) GO("runtime.gfget");
static void globrunqputbatch(struct gQueue *batch, int32_t n) GO("runtime.globrunqputbatch");
static bool runqputslow(struct p *pp, struct g *gp, uint32_t h, uint32_t t)
	GO("runtime.runqputslow");
static struct g *globrunqpop(void) GO("runtime.gQueue.pop");
static void checkstack(struct g *gp) GO("runtime.checkstack");
static void dropg(void) GO("runtime.dropg");
static void goschedImpl(struct g *gp) GO("runtime.goschedImpl") NORETURN;
static void mput(struct m *mp) GO("runtime.mput");
static struct m *mget(void) GO("runtime.mget");
static void resetspinning(void) GO("runtime.resetspinning");
static void incidlelocked(int32_t v) GO("runtime.incidlelocked");
static struct g *stealWork(void) GO("runtime.stealWork");
static struct p *checkRunqsNoP(void) GO("runtime.checkRunqsNoP");
static void randomOrder_reset(struct randomOrder *ord, uint32_t count)
	GO("runtime.randomOrder.reset");
static struct randomEnum randomOrder_start(struct randomOrder *ord, uint32_t i)
	GO("runtime.randomOrder.start");
static bool exitsyscallfast(struct p *oldp) GO("runtime.exitsyscallfast");
static void entersyscall_sysmon(void) GO("runtime.entersyscall_sysmon");

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
/*
 * The seed of an M's fastrand: AT_RANDOM's first 8 bytes mixed with its
 * id. A leaf of its own, so the random bytes stay in scratch registers
 * and do not reach the stack in someone's saved registers.
 */
static uint64_t fastrandseed(int64_t id)
{
	const uint8_t *r = runtime_startupRandomData;
	uint64_t seed = 0, v;
	int i;

	if (r != NULL)
		for (i = 0; i < 8; i++)
			seed |= (uint64_t)r[i] << (8 * i);
	v = seed ^ (uint64_t)id ^ 0x9e3779b97f4a7c15ull;
	if ((uint32_t)v == 0 || (v >> 32) == 0)
		v = 0x1234567887654321ull;
	return v;
}

void runtime_mcommoninit(struct m *mp, int64_t id)
{
	runtime_lock(&runtime_sched.lock);
	mp->id = id >= 0 ? id : mReserveID();
	mp->fastrand = fastrandseed(mp->id);

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
	__atomic_store_n(&pp->status, P_RUNNING, __ATOMIC_SEQ_CST);
}

/* Disassociates the current M and its P, which becomes idle. */
struct p *runtime_releasep(void)
{
	struct m *mp = getg()->m;
	struct p *pp = p_ptr(mp->p);

	if (pp == NULL)
		runtime_throw("releasep: invalid arg");
	if (m_ptr(pp->m) != mp || pp->status != P_RUNNING) {
		runtime_fdprintf(2, "releasep: m=%p m->p=%p p->m=%p p->status=%u\n", (void *)mp,
				 (void *)pp, (void *)pp->m, pp->status);
		runtime_throw("releasep: invalid p state");
	}
	mp->p = 0;
	pp->m = 0;
	__atomic_store_n(&pp->status, P_IDLE, __ATOMIC_SEQ_CST);
	return pp;
}

/* Puts pp on the idle list. sched.lock must be held. */
void runtime_pidleput(struct p *pp)
{
	if (!runtime_runqempty(pp))
		runtime_throw("pidleput: P has non-empty run queue");
	pp->link = runtime_sched.pidle;
	runtime_sched.pidle = (puintptr)pp;
	__atomic_add_fetch(&runtime_sched.npidle, 1, __ATOMIC_SEQ_CST);
}

/* Takes a P off the idle list, or nil. sched.lock must be held. */
struct p *runtime_pidleget(void)
{
	struct p *pp = p_ptr(runtime_sched.pidle);

	if (pp != NULL) {
		runtime_sched.pidle = pp->link;
		__atomic_sub_fetch(&runtime_sched.npidle, 1, __ATOMIC_SEQ_CST);
	}
	return pp;
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

	randomOrder_reset(&stealOrder, (uint32_t)nprocs);
	__atomic_store_n(&runtime_gomaxprocs, nprocs, __ATOMIC_SEQ_CST);
	return NULL;
}

static uint32_t gcd(uint32_t a, uint32_t b) GO("runtime.gcd");

static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b != 0) {
		uint32_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static void randomOrder_reset(struct randomOrder *ord, uint32_t count)
{
	uint32_t i;

	ord->count = count;
	ord->ncoprimes = 0;
	for (i = 1; i <= count; i++)
		if (gcd(i, count) == 1)
			ord->coprimes[ord->ncoprimes++] = i;
}

static struct randomEnum randomOrder_start(struct randomOrder *ord, uint32_t i)
{
	struct randomEnum e = {
		.i = 0,
		.count = ord->count,
		.pos = i % ord->count,
		.inc = ord->coprimes[i / ord->count % ord->ncoprimes],
	};
	return e;
}

/* wyrand on m.fastrand, as Go 1.19 on 64-bit machines. */
uint32_t runtime_fastrand(void)
{
	__extension__ typedef unsigned __int128 u128;
	struct m *mp = getg()->m;
	u128 r;

	mp->fastrand += 0xa0761d6478bd642full;
	r = (u128)mp->fastrand * (mp->fastrand ^ 0xe7037ed1a0b428dbull);
	return (uint32_t)((uint64_t)(r >> 64) ^ (uint64_t)r);
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
	case G_IDLE:
		return "idle";
	case G_RUNNABLE:
		return "runnable";
	case G_RUNNING:
		return "running";
	case G_SYSCALL:
		return "syscall";
	case G_WAITING:
		return "waiting";
	case G_DEAD:
		return "dead";
	default:
		return "???";
	}
}

/* Moves gp from oldval to newval; anything else is a runtime bug. */
void runtime_casgstatus(struct g *gp, uint32_t oldval, uint32_t newval)
{
	uint32_t cur = oldval;

	if (oldval == newval)
		runtime_throw("casgstatus: bad incoming values");
	if (!__atomic_compare_exchange_n(&gp->atomicstatus, &cur, newval, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
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
	/* An idle P could run it: wake one (never during boot). */
	if (runtime_mainStarted)
		runtime_wakep();
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
	if (!__atomic_compare_exchange_n(&pp->runqhead, &h, h + n, false, __ATOMIC_RELEASE,
					 __ATOMIC_RELAXED))
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
		/* A thief may take runnext meanwhile: swap it atomically. */
		guintptr oldnext =
			__atomic_exchange_n(&pp->runnext, (guintptr)gp, __ATOMIC_SEQ_CST);

		if (oldnext == 0)
			return;
		gp = g_ptr(oldnext);
	}
	for (;;) {
		h = __atomic_load_n(&pp->runqhead, __ATOMIC_ACQUIRE);
		t = pp->runqtail; /* only the owner writes runqtail */
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
	guintptr next;
	uint32_t h, t;

	/* Thieves CAS runnext to 0 too: retry until it is ours or empty. */
	while ((next = __atomic_load_n(&pp->runnext, __ATOMIC_SEQ_CST)) != 0) {
		if (__atomic_compare_exchange_n(&pp->runnext, &next, 0, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST)) {
			*inheritTime = true;
			return g_ptr(next);
		}
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
		if (__atomic_compare_exchange_n(&pp->runqhead, &h, h + 1, false, __ATOMIC_RELEASE,
						__ATOMIC_RELAXED)) {
			*inheritTime = false;
			return gp;
		}
	}
}

/* Whether pp has no runnable G: head == tail and no runnext, read consistently. */
bool runtime_runqempty(struct p *pp)
{
	for (;;) {
		uint32_t head = __atomic_load_n(&pp->runqhead, __ATOMIC_SEQ_CST);
		uint32_t tail = __atomic_load_n(&pp->runqtail, __ATOMIC_SEQ_CST);
		guintptr runnext = __atomic_load_n(&pp->runnext, __ATOMIC_SEQ_CST);

		if (tail == __atomic_load_n(&pp->runqtail, __ATOMIC_SEQ_CST))
			return head == tail && runnext == 0;
	}
}

/*
 * Copies half of pp's ring (rounded up) into batch at batchHead, and
 * commits by advancing pp's runqhead. With an empty ring and
 * stealRunNextG, takes pp's runnext instead. Returns how many it took.
 * pp belongs to another M; every access is atomic.
 */
uint32_t runtime_runqgrab(struct p *pp, guintptr *batch, uint32_t batchHead, bool stealRunNextG)
{
	for (;;) {
		uint32_t h = __atomic_load_n(&pp->runqhead, __ATOMIC_ACQUIRE);
		uint32_t t = __atomic_load_n(&pp->runqtail, __ATOMIC_ACQUIRE);
		uint32_t n = t - h, i;

		n = n - n / 2;
		if (n == 0) {
			guintptr next;

			if (!stealRunNextG)
				return 0;
			next = __atomic_load_n(&pp->runnext, __ATOMIC_SEQ_CST);
			if (next == 0)
				return 0;
			/*
			 * A running P is probably about to schedule its runnext
			 * itself: give it a moment, so that a goroutine handed
			 * over (goready, newproc) is not bounced between Ps.
			 */
			if (__atomic_load_n(&pp->status, __ATOMIC_SEQ_CST) == P_RUNNING)
				runtime_usleep(3);
			if (!__atomic_compare_exchange_n(&pp->runnext, &next, 0, false,
							 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
				continue;
			batch[batchHead % RunqSize] = next;
			return 1;
		}
		if (n > RunqSize / 2) /* read an inconsistent h and t */
			continue;
		for (i = 0; i < n; i++)
			batch[(batchHead + i) % RunqSize] =
				__atomic_load_n(&pp->runq[(h + i) % RunqSize], __ATOMIC_RELAXED);
		if (__atomic_compare_exchange_n(&pp->runqhead, &h, h + n, false, __ATOMIC_RELEASE,
						__ATOMIC_RELAXED))
			return n;
	}
}

/*
 * Steals from p2 into pp's ring: half of p2's ring, or (on the last pass)
 * its runnext. Returns the last G taken, to run now, or nil.
 */
struct g *runtime_runqsteal(struct p *pp, struct p *p2, bool stealRunNextG)
{
	uint32_t t = pp->runqtail;
	uint32_t n = runtime_runqgrab(p2, pp->runq, t, stealRunNextG);
	uint32_t h;
	struct g *gp;

	if (n == 0)
		return NULL;
	n--;
	gp = g_ptr(pp->runq[(t + n) % RunqSize]);
	if (n == 0)
		return gp;
	h = __atomic_load_n(&pp->runqhead, __ATOMIC_ACQUIRE);
	if (t - h + n >= RunqSize)
		runtime_throw("runqsteal: runq overflow");
	__atomic_store_n(&pp->runqtail, t + n, __ATOMIC_RELEASE);
	return gp;
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

	/*
	 * g0's stack bounds were set by rt0_go (m0) or malg (every other M);
	 * only the guards change.
	 */
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
	struct m *mp = gp->m;

	if (gp != mp->g0)
		runtime_throw("bad runtime.mstart");
	gp->sched.g = (guintptr)gp;
	gp->sched.pc = (uintptr_t)__builtin_return_address(0);
	gp->sched.sp = (uintptr_t)__builtin_frame_address(0) + 2 * sizeof(uintptr_t);
	gp->sched.bp = 0;
	/* minit records the thread id; no signal handlers are installed (mstartm0). */
	runtime_minit();
	if (mp->mstartfn != 0)
		((void (*)(void))mp->mstartfn)();
	if (mp != &runtime_m0) {
		runtime_acquirep(p_ptr(mp->nextp));
		mp->nextp = 0;
	}
	runtime_schedule();
}

/* mstartfn of a new M started to spin (startm(nil, true)). */
void runtime_mspinning(void)
{
	/* startm's caller has already counted it in sched.nmspinning. */
	getg()->m->spinning = true;
}

/*
 * Tries to steal a runnable goroutine from the other Ps: StealTries passes
 * over them in random order, the last one also taking a runnext. (Go's
 * stealWork also runs other Ps' timers; there are none here.)
 */
static struct g *stealWork(void)
{
	struct p *pp = p_ptr(getg()->m->p);
	int i;

	for (i = 0; i < StealTries; i++) {
		bool stealRunNextG = i == StealTries - 1;
		struct randomEnum e = randomOrder_start(&stealOrder, runtime_fastrand());

		for (; e.i != e.count; e.i++, e.pos = (e.pos + e.inc) % e.count) {
			struct p *p2 = runtime_allp.array[e.pos];
			struct g *gp;

			if (p2 == pp)
				continue;
			/* An idle P has nothing to steal (pidleput checked). */
			if (__atomic_load_n(&p2->status, __ATOMIC_SEQ_CST) == P_IDLE)
				continue;
			gp = runtime_runqsteal(pp, p2, stealRunNextG);
			if (gp != NULL)
				return gp;
		}
	}
	return NULL;
}

/* After giving up the P: some P has work again; take an idle P for it. */
static struct p *checkRunqsNoP(void)
{
	intptr_t i;

	for (i = 0; i < runtime_allp.len; i++) {
		struct p *p2 = runtime_allp.array[i];

		if (__atomic_load_n(&p2->status, __ATOMIC_SEQ_CST) != P_IDLE &&
		    !runtime_runqempty(p2)) {
			struct p *pp;

			runtime_lock(&runtime_sched.lock);
			pp = runtime_pidleget();
			runtime_unlock(&runtime_sched.lock);
			return pp;
		}
	}
	return NULL;
}

/*
 * Finds a runnable goroutine, or sleeps until there is one: every 61st
 * tick the global queue first (so it cannot starve), then the local queue,
 * the global queue, and other Ps' queues (stealing, as a spinning M).
 * With nothing anywhere the M gives its P back and parks in stopm; the
 * last M to do so while every goroutine waits is a deadlock (checkdead).
 */
struct g *runtime_findRunnable(bool *inheritTime)
{
	struct m *mp = getg()->m;
	struct p *pp;
	struct g *gp;

top:
	pp = p_ptr(mp->p);
	if (pp->schedtick % SchedFairness == 0 &&
	    __atomic_load_n(&runtime_sched.runqsize, __ATOMIC_RELAXED) > 0) {
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

	if (__atomic_load_n(&runtime_sched.runqsize, __ATOMIC_RELAXED) != 0) {
		runtime_lock(&runtime_sched.lock);
		gp = runtime_globrunqget(pp, 0);
		runtime_unlock(&runtime_sched.lock);
		if (gp != NULL) {
			*inheritTime = false;
			return gp;
		}
	}

	/* Steal, as a spinning M; at most half the busy Ps have one spinning. */
	{
		uint32_t procs = (uint32_t)runtime_gomaxprocs;
		uint32_t busy = procs - __atomic_load_n(&runtime_sched.npidle, __ATOMIC_SEQ_CST);

		if (mp->spinning ||
		    2 * __atomic_load_n(&runtime_sched.nmspinning, __ATOMIC_SEQ_CST) < busy) {
			if (!mp->spinning) {
				mp->spinning = true;
				__atomic_add_fetch(&runtime_sched.nmspinning, 1, __ATOMIC_SEQ_CST);
			}
			gp = stealWork();
			if (gp != NULL) {
				*inheritTime = false;
				return gp;
			}
		}
	}

	/* Nothing: give the P back, unless work arrived meanwhile. */
	runtime_lock(&runtime_sched.lock);
	if (runtime_sched.runqsize != 0) {
		gp = runtime_globrunqget(pp, 0);
		runtime_unlock(&runtime_sched.lock);
		*inheritTime = false;
		return gp;
	}
	if (runtime_releasep() != pp)
		runtime_throw("findrunnable: wrong p");
	runtime_pidleput(pp);
	runtime_unlock(&runtime_sched.lock);

	/*
	 * A spinning M stops spinning before it looks at the queues a last
	 * time: anyone who makes a goroutine runnable after that sees
	 * nmspinning == 0 and starts an M (wakep), so no work is missed.
	 */
	if (mp->spinning) {
		mp->spinning = false;
		if ((int32_t)__atomic_sub_fetch(&runtime_sched.nmspinning, 1, __ATOMIC_SEQ_CST) < 0)
			runtime_throw("findrunnable: negative nmspinning");
		pp = checkRunqsNoP();
		if (pp != NULL) {
			runtime_acquirep(pp);
			mp->spinning = true;
			__atomic_add_fetch(&runtime_sched.nmspinning, 1, __ATOMIC_SEQ_CST);
			goto top;
		}
	}

	runtime_stopm();
	goto top;
}

/* One round of scheduling: find a runnable goroutine and run it. */
void runtime_schedule(void)
{
	struct g *gp = getg();
	struct m *mp = gp->m;
	bool inheritTime = false;
	struct g *next;
	struct p *pp;

	if (gp != mp->g0)
		runtime_throw("schedule: not on g0");
	if (mp->locks != 0)
		runtime_throw("schedule: holding locks");
	pp = p_ptr(mp->p);
	pp->preempt = false;
	if (mp->spinning && (pp->runnext != 0 || pp->runqhead != pp->runqtail))
		runtime_throw("schedule: spinning with local work");

	next = runtime_findRunnable(&inheritTime);
	/* No longer spinning: maybe another M should look for work now. */
	if (mp->spinning)
		resetspinning();
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
	__atomic_store_n(&mp->curg, gp, __ATOMIC_SEQ_CST);
	gp->m = mp;
	runtime_casgstatus(gp, G_RUNNABLE, G_RUNNING);
	gp->waitsince = 0;
	__atomic_store_n(&gp->preempt, false, __ATOMIC_RELAXED);
	__atomic_store_n(&gp->stackguard0, gp->stack.lo + StackGuard, __ATOMIC_RELAXED);
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
	runtime_wakep();
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
	goschedImpl(gp);
}

/* The yield itself: gp goes to the back of the global queue. */
static void goschedImpl(struct g *gp)
{
	checkstack(gp);
	runtime_casgstatus(gp, G_RUNNING, G_RUNNABLE);
	dropg();
	runtime_lock(&runtime_sched.lock);
	runtime_globrunqput(gp);
	runtime_unlock(&runtime_sched.lock);
	runtime_schedule();
}

/* A preemption request honoured (preemptcheck), continued on g0. */
void runtime_gopreempt_m(struct g *gp)
{
	goschedImpl(gp);
}

/*
 * Go's compiled code compares the stack pointer with g.stackguard0 in
 * every function prologue; sysmon sets stackguard0 to StackPreempt to make
 * that check fail, and the goroutine yields. C code has no such prologue,
 * so long loops call this.
 */
NOINLINE void runtime_preemptcheck(void)
{
	struct g *gp = getg();

	if (__atomic_load_n(&gp->stackguard0, __ATOMIC_RELAXED) != StackPreempt)
		return;
	if (gp == gp->m->g0 || gp->m->locks != 0) {
		/* Not at a safe point: drop the request, as newstack does. */
		__atomic_store_n(&gp->stackguard0, gp->stack.lo + StackGuard, __ATOMIC_RELAXED);
		return;
	}
	mcall(runtime_gopreempt_m);
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

/* ---- Ms ---------------------------------------------------------------- */

int32_t runtime_mcount(void)
{
	return (int32_t)(runtime_sched.mnext - runtime_sched.nmfreed);
}

/*
 * A new M: its id, signal g and place on allm (mcommoninit), and a g0
 * with an 8 KiB stack (Go 1.19's malg(8192)), the stack its thread starts
 * on; mstart0 sets both guards to lo + StackGuard. fn runs first on the
 * new thread. (Go's allocm also takes the P to allocate with;
 * persistentalloc needs none.)
 */
struct m *runtime_allocm(void (*fn)(void), int64_t id)
{
	struct m *mp = runtime_persistentalloc(sizeof *mp, 64);
	struct g *g0;

	mp->mstartfn = (uintptr_t)fn;
	runtime_mcommoninit(mp, id);
	g0 = runtime_malg(G0StackSize);
	g0->m = mp;
	mp->g0 = g0;
	return mp;
}

/*
 * Creates an M running fn (if not nil) and then scheduling on pp (if not
 * nil): runtime.main starts sysmon this way, startm a worker.
 */
void runtime_newm(void (*fn)(void), struct p *pp, int64_t id)
{
	struct m *mp = runtime_allocm(fn, id);

	mp->nextp = (puintptr)pp;
	runtime_newosproc(mp);
}

/* Puts mp on the idle M list. sched.lock must be held. */
static void mput(struct m *mp)
{
	mp->schedlink = runtime_sched.midle;
	runtime_sched.midle = (muintptr)mp;
	runtime_sched.nmidle++;
	runtime_checkdead();
}

/* Takes an M off the idle list, or nil. sched.lock must be held. */
static struct m *mget(void)
{
	struct m *mp = m_ptr(runtime_sched.midle);

	if (mp != NULL) {
		runtime_sched.midle = mp->schedlink;
		runtime_sched.nmidle--;
	}
	return mp;
}

/*
 * Stops the current M (without a P) until startm gives it one: it sleeps
 * on its note m.park, then takes the P from m.nextp.
 */
void runtime_stopm(void)
{
	struct m *mp = getg()->m;

	if (mp->locks != 0)
		runtime_throw("stopm holding locks");
	if (mp->p != 0)
		runtime_throw("stopm holding p");
	if (mp->spinning)
		runtime_throw("stopm spinning");

	runtime_lock(&runtime_sched.lock);
	mput(mp);
	runtime_unlock(&runtime_sched.lock);
	runtime_notesleep(&mp->park);
	runtime_noteclear(&mp->park);
	runtime_acquirep(p_ptr(mp->nextp));
	mp->nextp = 0;
}

/*
 * Schedules some M to run pp: an idle one (woken through m.park) or a new
 * one. pp nil: take an idle P, or do nothing. With spinning the caller
 * has counted the M in sched.nmspinning, and it starts out spinning.
 */
void runtime_startm(struct p *pp, bool spinning)
{
	struct m *mp = getg()->m;
	struct m *nmp;

	mp->locks++;
	runtime_lock(&runtime_sched.lock);
	if (pp == NULL) {
		pp = runtime_pidleget();
		if (pp == NULL) {
			runtime_unlock(&runtime_sched.lock);
			if (spinning && (int32_t)__atomic_sub_fetch(&runtime_sched.nmspinning, 1,
								    __ATOMIC_SEQ_CST) < 0)
				runtime_throw("startm: negative nmspinning");
			mp->locks--;
			return;
		}
	}
	nmp = mget();
	if (nmp == NULL) {
		/* Reserve the id under the lock, so checkdead counts the new M. */
		int64_t id = mReserveID();

		runtime_unlock(&runtime_sched.lock);
		runtime_newm(spinning ? runtime_mspinning : NULL, pp, id);
		mp->locks--;
		return;
	}
	runtime_unlock(&runtime_sched.lock);
	if (nmp->spinning)
		runtime_throw("startm: m is spinning");
	if (nmp->nextp != 0)
		runtime_throw("startm: m has p");
	if (spinning && !runtime_runqempty(pp))
		runtime_throw("startm: p has runnable gs");
	nmp->spinning = spinning;
	nmp->nextp = (puintptr)pp;
	runtime_notewakeup(&nmp->park);
	mp->locks--;
}

/*
 * Tries to add one more P to run goroutines: called when a goroutine
 * becomes runnable. Conservative: nothing if no P is idle or some M is
 * already spinning (it will find the work, and wake the next one).
 */
void runtime_wakep(void)
{
	uint32_t zero = 0;

	if (!runtime_wakeIdlePs)
		return;
	if (__atomic_load_n(&runtime_sched.npidle, __ATOMIC_SEQ_CST) == 0)
		return;
	if (__atomic_load_n(&runtime_sched.nmspinning, __ATOMIC_SEQ_CST) != 0 ||
	    !__atomic_compare_exchange_n(&runtime_sched.nmspinning, &zero, 1, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	runtime_startm(NULL, true);
}

/* The M found work and stops spinning; the next idle P may want an M. */
static void resetspinning(void)
{
	struct m *mp = getg()->m;

	if (!mp->spinning)
		runtime_throw("resetspinning: not a spinning m");
	mp->spinning = false;
	if ((int32_t)__atomic_sub_fetch(&runtime_sched.nmspinning, 1, __ATOMIC_SEQ_CST) < 0)
		runtime_throw("findrunnable: negative nmspinning");
	runtime_wakep();
}

/*
 * pp was taken from an M blocked in a syscall (retake). Start an M for it
 * at once if it has work, or if no M is spinning and no P idle (someone
 * must look for work); otherwise it goes on the idle list.
 */
void runtime_handoffp(struct p *pp)
{
	uint32_t zero = 0;

	if (!runtime_runqempty(pp) ||
	    __atomic_load_n(&runtime_sched.runqsize, __ATOMIC_RELAXED) != 0) {
		runtime_startm(pp, false);
		return;
	}
	if (__atomic_load_n(&runtime_sched.nmspinning, __ATOMIC_SEQ_CST) +
			    __atomic_load_n(&runtime_sched.npidle, __ATOMIC_SEQ_CST) ==
		    0 &&
	    __atomic_compare_exchange_n(&runtime_sched.nmspinning, &zero, 1, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		runtime_startm(pp, true);
		return;
	}
	runtime_lock(&runtime_sched.lock);
	if (runtime_sched.runqsize != 0) {
		runtime_unlock(&runtime_sched.lock);
		runtime_startm(pp, false);
		return;
	}
	runtime_pidleput(pp);
	runtime_unlock(&runtime_sched.lock);
}

/* Counts Ms idle with a locked goroutine; sysmon pretends one less (retake). */
static void incidlelocked(int32_t v)
{
	runtime_lock(&runtime_sched.lock);
	runtime_sched.nmidlelocked += v;
	if (v > 0)
		runtime_checkdead();
	runtime_unlock(&runtime_sched.lock);
}

/*
 * Called when an M goes idle: if no M is left to run goroutines (sysmon
 * does not count) and every goroutine waits, nothing can ever wake them.
 * sched.lock must be held.
 */
void runtime_checkdead(void)
{
	int32_t run = runtime_mcount() - runtime_sched.nmidle - runtime_sched.nmidlelocked -
		      runtime_sched.nmsys;
	int32_t grunning = 0;
	intptr_t i, n;

	if (run > 0)
		return;
	if (run < 0) {
		runtime_fdprintf(2,
				 "runtime: checkdead: nmidle=%d nmidlelocked=%d mcount=%d nmsys=%d\n",
				 runtime_sched.nmidle, runtime_sched.nmidlelocked, runtime_mcount(),
				 runtime_sched.nmsys);
		runtime_throw("checkdead: inconsistent counts");
	}
	n = (intptr_t)__atomic_load_n(&runtime_allglen, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++) {
		struct g *gp = runtime_allgs.array[i];

		switch (__atomic_load_n(&gp->atomicstatus, __ATOMIC_SEQ_CST)) {
		case G_WAITING:
		case G_PREEMPTED:
			grunning++;
			break;
		case G_RUNNABLE:
		case G_RUNNING:
		case G_SYSCALL:
			runtime_fdprintf(2, "runtime: checkdead: find g %ld in status %u\n",
					 gp->goid, gp->atomicstatus);
			runtime_throw("checkdead: runnable g");
		default:
			break;
		}
	}
	if (grunning == 0)
		runtime_throw("no goroutines (main called runtime.Goexit) - deadlock!");
	runtime_throw("all goroutines are asleep - deadlock!");
}

/* ---- system calls ------------------------------------------------------ */

/*
 * The goroutine is about to block in the kernel: _Grunning -> _Gsyscall,
 * and its P -> _Psyscall with no M (m.oldp remembers it). The goroutine
 * keeps its M; sysmon may hand the P to another M meanwhile. g.sched and
 * g.syscallsp/pc record the caller (syscall.Syscall), so the goroutine
 * can be shown, and its stack checked, while it is in the kernel.
 */
NOINLINE void runtime_entersyscall(void)
{
	struct g *gp = getg();
	struct m *mp = gp->m;
	uintptr_t pc = (uintptr_t)__builtin_return_address(0);
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0) + 2 * sizeof(uintptr_t);
	struct p *pp;

	mp->locks++;
	/* No preemption and no stack growth in here. */
	__atomic_store_n(&gp->stackguard0, StackPreempt, __ATOMIC_RELAXED);
	gp->throwsplit = true;
	gp->sched.pc = pc;
	gp->sched.sp = sp;
	gp->sched.bp = *(uintptr_t *)__builtin_frame_address(0); /* the caller's rbp */
	gp->sched.g = (guintptr)gp;
	gp->syscallsp = sp;
	gp->syscallpc = pc;
	runtime_casgstatus(gp, G_RUNNING, G_SYSCALL);

	if (__atomic_load_n(&runtime_sched.sysmonwait, __ATOMIC_SEQ_CST) != 0)
		entersyscall_sysmon();

	pp = p_ptr(mp->p);
	mp->syscalltick = pp->syscalltick;
	gp->sysblocktraced = true;
	pp->m = 0;
	mp->oldp = (puintptr)pp;
	mp->p = 0;
	__atomic_store_n(&pp->status, P_SYSCALL, __ATOMIC_SEQ_CST);
	mp->locks--;
}

/* sysmon sleeps deeply while every P is idle: this P may soon need it. */
static void entersyscall_sysmon(void)
{
	runtime_lock(&runtime_sched.lock);
	if (__atomic_load_n(&runtime_sched.sysmonwait, __ATOMIC_SEQ_CST) != 0) {
		__atomic_store_n(&runtime_sched.sysmonwait, 0, __ATOMIC_SEQ_CST);
		runtime_notewakeup(&runtime_sched.sysmonnote);
	}
	runtime_unlock(&runtime_sched.lock);
}

/*
 * The goroutine is back from the kernel and needs a P to run on: its old
 * one if sysmon left it in _Psyscall, else any idle one; else it queues
 * itself on the global run queue and its M stops (exitsyscall0).
 */
NOINLINE void runtime_exitsyscall(void)
{
	struct g *gp = getg();
	struct m *mp = gp->m;
	struct p *oldp;
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0) + 2 * sizeof(uintptr_t);

	mp->locks++;
	if (sp > gp->syscallsp)
		runtime_throw("exitsyscall: syscall frame is no longer valid");
	gp->waitsince = 0;
	oldp = p_ptr(mp->oldp);
	mp->oldp = 0;
	if (exitsyscallfast(oldp)) {
		p_ptr(mp->p)->syscalltick++;
		runtime_casgstatus(gp, G_SYSCALL, G_RUNNING);
		gp->syscallsp = 0;
		mp->locks--;
		if (gp->preempt)
			__atomic_store_n(&gp->stackguard0, StackPreempt, __ATOMIC_RELAXED);
		else
			__atomic_store_n(&gp->stackguard0, gp->stack.lo + StackGuard,
					 __ATOMIC_RELAXED);
		gp->throwsplit = false;
		return;
	}
	mp->locks--;
	/* Wait for a P on g0; this goroutine may resume on another M. */
	mcall(runtime_exitsyscall0);
	gp = getg();
	gp->syscallsp = 0;
	p_ptr(gp->m->p)->syscalltick++;
	gp->throwsplit = false;
}

static bool exitsyscallfast(struct p *oldp)
{
	struct m *mp = getg()->m;
	uint32_t s = P_SYSCALL;
	struct p *pp;

	/* The P we left, if sysmon did not retake it. */
	if (oldp != NULL && __atomic_load_n(&oldp->status, __ATOMIC_SEQ_CST) == P_SYSCALL &&
	    __atomic_compare_exchange_n(&oldp->status, &s, P_IDLE, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST)) {
		runtime_acquirep(oldp);
		/* Retaken and used for another syscall meanwhile: tell sysmon. */
		if (mp->syscalltick != oldp->syscalltick)
			oldp->syscalltick++;
		return true;
	}
	/* Any idle P. */
	if (__atomic_load_n(&runtime_sched.pidle, __ATOMIC_SEQ_CST) != 0) {
		runtime_lock(&runtime_sched.lock);
		pp = runtime_pidleget();
		if (pp != NULL &&
		    __atomic_load_n(&runtime_sched.sysmonwait, __ATOMIC_SEQ_CST) != 0) {
			__atomic_store_n(&runtime_sched.sysmonwait, 0, __ATOMIC_SEQ_CST);
			runtime_notewakeup(&runtime_sched.sysmonnote);
		}
		runtime_unlock(&runtime_sched.lock);
		if (pp != NULL) {
			runtime_acquirep(pp);
			return true;
		}
	}
	return false;
}

/* exitsyscall on g0, without a P: run gp on an idle P, or queue it and stop. */
void runtime_exitsyscall0(struct g *gp)
{
	struct p *pp;

	runtime_casgstatus(gp, G_SYSCALL, G_RUNNABLE);
	dropg();
	runtime_lock(&runtime_sched.lock);
	pp = runtime_pidleget();
	if (pp == NULL) {
		runtime_globrunqput(gp);
	} else if (__atomic_load_n(&runtime_sched.sysmonwait, __ATOMIC_SEQ_CST) != 0) {
		__atomic_store_n(&runtime_sched.sysmonwait, 0, __ATOMIC_SEQ_CST);
		runtime_notewakeup(&runtime_sched.sysmonnote);
	}
	runtime_unlock(&runtime_sched.lock);
	if (pp != NULL) {
		runtime_acquirep(pp);
		runtime_execute(gp, false);
	}
	runtime_stopm();
	runtime_schedule();
}

/* ---- sysmon ------------------------------------------------------------ */

/*
 * Asks the goroutine running on pp to yield: preempt and a stackguard0
 * that fails every stack check. Nothing to do for a P without an M (in a
 * syscall) or one running the scheduler.
 */
bool runtime_preemptone(struct p *pp)
{
	struct m *mp = m_ptr(__atomic_load_n(&pp->m, __ATOMIC_SEQ_CST));
	struct g *gp;

	if (mp == NULL || mp == getg()->m)
		return false;
	gp = __atomic_load_n(&mp->curg, __ATOMIC_SEQ_CST);
	if (gp == NULL || gp == mp->g0)
		return false;
	__atomic_store_n(&gp->preempt, true, __ATOMIC_RELAXED);
	__atomic_store_n(&gp->stackguard0, StackPreempt, __ATOMIC_RELAXED);
	return true;
}

/*
 * One sysmon look at every P. A P whose schedtick has not moved for 10 ms
 * runs one goroutine too long: preempt it. A P in _Psyscall for a whole
 * tick (20 us at least) is retaken and handed off, unless it has no work
 * and other Ms are spinning or Ps idle (then only after 10 ms). Returns
 * the number of Ps retaken.
 */
uint32_t runtime_retake(int64_t now)
{
	uint32_t n = 0;
	intptr_t i;

	runtime_lock(&allpLock);
	for (i = 0; i < runtime_allp.len; i++) {
		struct p *pp = runtime_allp.array[i];
		struct sysmontick *pd;
		uint32_t s, t;
		bool sysretake = false;

		if (pp == NULL)
			continue;
		pd = &pp->sysmontick;
		s = __atomic_load_n(&pp->status, __ATOMIC_SEQ_CST);
		if (s == P_RUNNING || s == P_SYSCALL) {
			t = __atomic_load_n(&pp->schedtick, __ATOMIC_RELAXED);
			if (pd->schedtick != t) {
				pd->schedtick = t;
				pd->schedwhen = now;
			} else if (pd->schedwhen + ForcePreemptNS <= now) {
				runtime_preemptone(pp);
				/* preemptone cannot reach a goroutine in a syscall */
				sysretake = true;
			}
		}
		if (s == P_SYSCALL) {
			t = __atomic_load_n(&pp->syscalltick, __ATOMIC_RELAXED);
			if (!sysretake && pd->syscalltick != t) {
				pd->syscalltick = t;
				pd->syscallwhen = now;
				continue;
			}
			if (runtime_runqempty(pp) &&
			    __atomic_load_n(&runtime_sched.nmspinning, __ATOMIC_SEQ_CST) +
					    __atomic_load_n(&runtime_sched.npidle,
							    __ATOMIC_SEQ_CST) >
				    0 &&
			    pd->syscallwhen + 10 * 1000 * 1000 > now)
				continue;
			/* sched.lock comes before allpLock: drop it meanwhile. */
			runtime_unlock(&allpLock);
			/*
			 * Count one more M as running before the CAS, or the M
			 * leaving its syscall could go idle and report a
			 * deadlock while the P is in flight.
			 */
			incidlelocked(-1);
			if (__atomic_compare_exchange_n(&pp->status, &s, P_IDLE, false,
							__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
				n++;
				pp->syscalltick++;
				runtime_handoffp(pp);
			}
			incidlelocked(1);
			runtime_lock(&allpLock);
		}
	}
	runtime_unlock(&allpLock);
	return n;
}

/*
 * The system monitor, on an M of its own without a P (started by
 * runtime.main with newm). It wakes every 20 us, backing off to 10 ms
 * while there is nothing to do, retakes Ps stuck in system calls and
 * preempts long-running goroutines. While every P is idle it sleeps on
 * sched.sysmonnote until a goroutine leaves or enters a syscall.
 */
void runtime_sysmon(void)
{
	uint32_t delay = 0;
	int32_t idle = 0;

	runtime_lock(&runtime_sched.lock);
	runtime_sched.nmsys++;
	runtime_checkdead();
	runtime_unlock(&runtime_sched.lock);

	for (;;) {
		int64_t now;

		if (idle == 0)
			delay = 20;
		else if (idle > 50)
			delay *= 2;
		if (delay > 10 * 1000)
			delay = 10 * 1000;
		runtime_usleep(delay);
		now = runtime_nanotime();
		if (__atomic_load_n(&runtime_sched.npidle, __ATOMIC_SEQ_CST) ==
		    (uint32_t)runtime_gomaxprocs) {
			runtime_lock(&runtime_sched.lock);
			if (__atomic_load_n(&runtime_sched.npidle, __ATOMIC_SEQ_CST) ==
			    (uint32_t)runtime_gomaxprocs) {
				bool syscallWake;

				__atomic_store_n(&runtime_sched.sysmonwait, 1, __ATOMIC_SEQ_CST);
				runtime_unlock(&runtime_sched.lock);
				/* Go wakes at least for the forced GC (2 min / 2). */
				syscallWake = runtime_notetsleep(&runtime_sched.sysmonnote,
								 60ll * 1000 * 1000 * 1000);
				runtime_lock(&runtime_sched.lock);
				__atomic_store_n(&runtime_sched.sysmonwait, 0, __ATOMIC_SEQ_CST);
				runtime_noteclear(&runtime_sched.sysmonnote);
				if (syscallWake) {
					idle = 0;
					delay = 20;
				}
			}
			runtime_unlock(&runtime_sched.lock);
		}
		runtime_lock(&runtime_sched.sysmonlock);
		now = runtime_nanotime();
		if (runtime_retake(now) != 0)
			idle = 0;
		else
			idle++;
		runtime_unlock(&runtime_sched.sysmonlock);
	}
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
	/* sysmon, without a P: the process's first clone. */
	runtime_newm(runtime_sysmon, NULL, -1);
	/* Package inits and the GC would start here in Go; there are none. */
	main_main();
	runtime_exit(0);
}
