/*
 * runtime.h - the bundled teaching runtime: Go's boot path and scheduler
 * (G, M, P) in freestanding C and a little assembly, for linux/amd64.
 *
 * Vocabulary, as in Go's runtime/HACKING.md:
 *   G     a goroutine: a stack plus the saved registers (g.sched) to resume it.
 *   M     an OS thread. m0 is the process's first thread; runtime.main
 *         starts sysmon on a second one (newm), and idle Ps get Ms of their
 *         own (wakep, startm, handoffp). Ms without work sleep on m.park.
 *   P     the right to run Go code; owns a local run queue (runnext + a
 *         256-slot ring) and a cache of dead Gs (gFree). GOMAXPROCS exist.
 *   g0    the M's scheduling goroutine: m0's is a window of the OS stack,
 *         every other M's an 8 KiB stack (malg) its thread starts on.
 *   curg  the user G the M is running (m.curg); nil while on g0.
 *
 * One switch decides whether idle Ps ever run goroutines:
 * runtime.wakeIdlePs. The programs written for one M (hello, pingpong,
 * spawn, deadlock) leave it false: their goroutines share data without
 * locks and the order of their output is part of their lessons, so every
 * goroutine runs on m0 while sysmon watches. workers and sleeper set it,
 * and then wakep starts spinning Ms that steal from busy Ps.
 *
 * Locks are futex mutexes (lock_futex.c); run queues are shared between
 * Ms with Go's atomics (load-acquire of runqhead, CAS-release to consume).
 *
 * The debugger never includes this header. It finds everything through ELF
 * symbols spelled as Go spells them (C names carry Go's symbol through an
 * asm label) and through DWARF, so struct, field and typedef names below are
 * Go's, with Go 1.19's offsets (checked in asm_offsets.c and below).
 *
 * Calling conventions: C code follows the SysV ABI. g lives at %fs:-8 (and
 * is mirrored in R14, which -ffixed-r14 keeps C from touching). A goroutine
 * started by newproc enters its function with the funcval in both RDX (Go's
 * closure-context register) and RDI, so a C body can be written as
 * `void body(struct funcval *self)`.
 */
#ifndef RUNTIME_H
#define RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GO(sym) __asm__(sym)
#define NORETURN __attribute__((noreturn))
#define NOINLINE __attribute__((noinline))
#define ALWAYS_INLINE __attribute__((always_inline)) static inline

/* Pointers Go types as uintptr-sized handles (no write barriers there). */
typedef uintptr_t guintptr;
typedef uintptr_t puintptr;
typedef uintptr_t muintptr;

/* G status values (Go's _Gidle ...; C reserves _G...). */
enum {
	G_IDLE = 0,
	G_RUNNABLE = 1,
	G_RUNNING = 2,
	G_SYSCALL = 3,
	G_WAITING = 4,
	G_MORIBUND_UNUSED = 5,
	G_DEAD = 6,
	G_ENQUEUE_UNUSED = 7,
	G_COPYSTACK = 8,
	G_PREEMPTED = 9,
};

/* P status values (Go's _Pidle ...). */
enum {
	P_IDLE = 0,
	P_RUNNING = 1,
	P_SYSCALL = 2,
	P_GCSTOP = 3,
	P_DEAD = 4,
};

/* Go 1.19's waitReason values (runtime2.go), in its order; their texts are
 * runtime.waitReasonStrings (proc.c). */
enum {
	waitReasonZero = 0,
	waitReasonGCAssistMarking = 1,
	waitReasonIOWait = 2,
	waitReasonChanReceiveNilChan = 3,
	waitReasonChanSendNilChan = 4,
	waitReasonDumpingHeap = 5,
	waitReasonGarbageCollection = 6,
	waitReasonGarbageCollectionScan = 7,
	waitReasonPanicWait = 8,
	waitReasonSelect = 9,
	waitReasonSelectNoCases = 10,
	waitReasonGCAssistWait = 11,
	waitReasonGCSweepWait = 12,
	waitReasonGCScavengeWait = 13,
	waitReasonChanReceive = 14,
	waitReasonChanSend = 15,
	waitReasonFinalizerWait = 16,
	waitReasonForceGCIdle = 17,
	waitReasonSemacquire = 18,
	waitReasonSleep = 19,
	waitReasonSyncCondWait = 20,
	waitReasonTimerGoroutineIdle = 21,
	waitReasonTraceReaderBlocked = 22,
	waitReasonWaitForGCCycle = 23,
	waitReasonGCWorkerIdle = 24,
	waitReasonPreempted = 25,
	waitReasonDebugCall = 26,
	waitReasonCount = 27,
};

enum {
	StackMin = 2048,     /* a new goroutine's stack */
	StackGuard = 928,    /* stackguard0 = stack.lo + StackGuard */
	GoidCacheBatch = 16, /* goids a P takes from sched.goidgen at once */
	RunqSize = 256,      /* the P's local ring */
	SchedFairness = 61,  /* every 61st schedtick looks at the global queue first */
	MaxGomaxprocs = 256,
	TlsSlots = 6,
	GsignalStackSize = 32 * 1024,
	G0StackSize = 8192, /* a new M's g0 (Go 1.19's malg(8192) in allocm) */
	StealTries = 4,     /* findRunnable's passes over the other Ps */
};

/*
 * g.stackguard0 when a preemption is requested: larger than any stack
 * pointer, so Go's prologue check fails and the goroutine yields. Here
 * runtime.preemptcheck looks for it. Go's value: uintptrMask & -1314.
 */
#define StackPreempt ((uintptr_t)-1314)

/* sysmon preempts a goroutine that ran this long without yielding (10 ms). */
#define ForcePreemptNS (10 * 1000 * 1000)

/* clone(2) flags of a new M (Go's cloneFlags); runtime.clone adds CLONE_SETTLS. */
enum {
	CLONE_VM = 0x100,
	CLONE_FS = 0x200,
	CLONE_FILES = 0x400,
	CLONE_SIGHAND = 0x800,
	CLONE_THREAD = 0x10000,
	CLONE_SYSVSEM = 0x40000,
	CLONE_SETTLS = 0x80000,
};

enum {
	FUTEX_WAIT_PRIVATE = 128,
	FUTEX_WAKE_PRIVATE = 129,
};

/* The kernel's struct timespec (nanosleep, futex, clock_gettime). */
struct timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* Written at stack.lo of every goroutine stack; checked at each switch. */
#define STACK_CANARY 0x5ca1ab1ec0ffee00ull

struct stack {
	uintptr_t lo;
	uintptr_t hi;
};

/* The registers that survive a switch: all Go's ABI keeps (see gogo, mcall). */
struct gobuf {
	uintptr_t sp;
	uintptr_t pc;
	guintptr g;
	void *ctxt;
	uintptr_t ret;
	uintptr_t lr;
	uintptr_t bp;
};

/* A func value: the code pointer, then (for closures) the captured data. */
struct funcval {
	uintptr_t fn;
};

/* Go's string and slice headers. */
struct string {
	const char *str;
	intptr_t len;
};

struct slice {
	void *array;
	intptr_t len;
	intptr_t cap;
};

/* clang-format off */
struct g {
	struct stack stack;         /* 0: [lo, hi) */
	uintptr_t stackguard0;      /* 16 */
	uintptr_t stackguard1;      /* 24 */
	void *_panic;               /* 32 */
	void *_defer;               /* 40 */
	struct m *m;                /* 48: the M running this G, or nil */
	struct gobuf sched;         /* 56 */
	uintptr_t syscallsp;        /* 112 */
	uintptr_t syscallpc;        /* 120 */
	uintptr_t stktopsp;         /* 128 */
	void *param;                /* 136 */
	uint32_t atomicstatus;      /* 144: G_* */
	uint32_t stackLock;         /* 148 */
	int64_t goid;               /* 152 */
	guintptr schedlink;         /* 160: next G on a queue or free list */
	int64_t waitsince;          /* 168 */
	uint8_t waitreason;         /* 176 */
	bool preempt;               /* 177 */
	bool preemptStop;
	bool preemptShrink;
	bool asyncSafePoint;
	bool paniconfault;
	bool gcscandone;
	bool throwsplit;
	bool activeStackChans;      /* 184 */
	uint8_t parkingOnChan;
	int8_t raceignore;
	bool sysblocktraced;
	bool tracking;
	uint8_t trackingSeq;
	int64_t runnableStamp;      /* 192 */
	int64_t runnableTime;
	int64_t sysexitticks;
	uint64_t traceseq;
	puintptr tracelastp;
	muintptr lockedm;           /* 232 */
	uint32_t sig;
	struct slice writebuf;      /* 248 */
	uintptr_t sigcode0;
	uintptr_t sigcode1;
	uintptr_t sigpc;
	uintptr_t gopc;             /* 296: pc of the go statement */
	void *ancestors;
	uintptr_t startpc;          /* 312: pc of the goroutine function */
	uintptr_t racectx;
	void *waiting;
	struct slice cgoCtxt;
	void *labels;
	void *timer;
	uint32_t selectDone;
	uint32_t goroutineProfiled;
	int64_t gcAssistBytes;      /* 384 */
};

struct note {
	uintptr_t key;
};

struct mutex {
	uintptr_t key;
};

struct gsignalStack {
	struct stack stack;
	uintptr_t stackguard0;
	uintptr_t stackguard1;
	uintptr_t stktopsp;
};

struct libcall {
	uintptr_t fn;
	uintptr_t n;
	uintptr_t args;
	uintptr_t r1;
	uintptr_t r2;
	uintptr_t err;
};

struct mOS {
	int32_t profileTimer;
	uint32_t profileTimerValid;
	uint8_t needPerThreadSyscall;
};

struct heldLockInfo {
	uintptr_t lockAddr;
	intptr_t rank;
};

struct m {
	struct g *g0;               /* 0: the scheduling goroutine */
	struct gobuf morebuf;       /* 8 */
	uint32_t divmod;            /* 64 */
	uint32_t _pad_divmod;
	uint64_t procid;            /* 72 */
	struct g *gsignal;          /* 80 */
	struct gsignalStack goSigStack;
	uint32_t sigmask[2];        /* 128 */
	uintptr_t tls[TlsSlots];    /* 136: fs points at &tls[0] + 8 */
	uintptr_t mstartfn;         /* 184 */
	struct g *curg;             /* 192: the user G running, nil on g0 */
	guintptr caughtsig;         /* 200 */
	puintptr p;                 /* 208: the P held */
	puintptr nextp;             /* 216 */
	puintptr oldp;              /* 224 */
	int64_t id;                 /* 232 */
	int32_t mallocing;
	uint32_t throwing;
	struct string preemptoff;   /* 248 */
	int32_t locks;              /* 264 */
	int32_t dying;
	int32_t profilehz;
	bool spinning;              /* 276 */
	bool blocked;
	bool newSigstack;
	int8_t printlock;
	bool incgo;                 /* 280 */
	uint32_t freeWait;
	uint64_t fastrand;          /* 288 */
	bool needextram;
	uint8_t traceback;
	uint64_t ncgocall;          /* 304 */
	int32_t ncgo;
	uint32_t cgoCallersUse;
	void *cgoCallers;
	struct note park;           /* 328 */
	struct m *alllink;          /* 336: next on allm */
	muintptr schedlink;
	guintptr lockedg;
	uintptr_t createstack[32];  /* 360 */
	uint32_t lockedExt;         /* 616 */
	uint32_t lockedInt;
	muintptr nextwaitm;
	bool (*waitunlockf)(struct g *gp, void *lock); /* 632 */
	void *waitlock;             /* 640 */
	uint8_t waittraceev;
	intptr_t waittraceskip;
	bool startingtrace;         /* 664 */
	uint32_t syscalltick;
	struct m *freelink;         /* 672 */
	struct libcall libcall;     /* 680 */
	uintptr_t libcallpc;
	uintptr_t libcallsp;
	guintptr libcallg;
	struct libcall syscall;     /* 752 */
	uintptr_t vdsoSP;           /* 800 */
	uintptr_t vdsoPC;
	uint32_t preemptGen;        /* 816 */
	uint32_t signalPending;
	struct mOS mOS;             /* 824 */
	intptr_t locksHeldLen;      /* 840 */
	struct heldLockInfo locksHeld[10]; /* 848 */
};

struct sysmontick {
	uint32_t schedtick;
	int64_t schedwhen;
	uint32_t syscalltick;
	int64_t syscallwhen;
};

struct pageCache {
	uintptr_t base;
	uint64_t cache;
	uint64_t scav;
};

/* A list of Gs linked through g.schedlink. */
struct gList {
	guintptr head;
};

/* A queue of Gs linked through g.schedlink, with a tail for O(1) append. */
struct gQueue {
	guintptr head;
	guintptr tail;
};

struct p {
	int32_t id;                 /* 0 */
	uint32_t status;            /* 4: P_* */
	puintptr link;              /* 8: next on sched.pidle */
	uint32_t schedtick;         /* 16: incremented on every scheduler call */
	uint32_t syscalltick;       /* 20 */
	struct sysmontick sysmontick; /* 24 */
	muintptr m;                 /* 56: the M holding this P */
	void *mcache;               /* 64 */
	struct pageCache pcache;    /* 72 */
	uintptr_t raceprocctx;      /* 96 */
	struct slice deferpool;     /* 104 */
	void *deferpoolbuf[32];     /* 128 */
	uint64_t goidcache;         /* 384: next goid to hand out */
	uint64_t goidcacheend;      /* 392 */
	uint32_t runqhead;          /* 400 */
	uint32_t runqtail;          /* 404 */
	guintptr runq[RunqSize];    /* 408 */
	guintptr runnext;           /* 2456: runs next, inheriting the time slice */
	struct {
		struct gList gList;
		int32_t n;
	} gFree;                    /* 2464: dead Gs with stacks, for reuse */
	struct slice sudogcache;    /* 2480 */
	void *sudogbuf[128];        /* 2504 */
	uint8_t mspancache[1032];   /* 3528 */
	void *tracebuf;             /* 4560 */
	bool traceSweep;
	uintptr_t traceSwept;
	uintptr_t traceReclaimed;
	uint8_t palloc[16];         /* 4592 */
	uint32_t _pad_timer0When;   /* Go: _ uint32, aligning the atomics below */
	uint64_t timer0When;        /* 4616 */
	uint64_t timerModifiedEarliest;
	int64_t gcAssistTime;
	int64_t gcFractionalMarkTime;
	uint8_t limiterEvent[8];
	uint32_t gcMarkWorkerMode;
	int64_t gcMarkWorkerStartTime;
	uint8_t gcw[40];            /* 4672 */
	uint8_t wbBuf[4112];        /* 4712 */
	uint32_t runSafePointFn;    /* 8824 */
	uint32_t statsSeq;
	struct mutex timersLock;    /* 8832 */
	struct slice timers;
	uint32_t numTimers;         /* 8864 */
	uint32_t deletedTimers;
	uintptr_t timerRaceCtx;
	int64_t maxStackScanDelta;
	uint64_t scannedStackSize;
	uint64_t scannedStacks;
	bool preempt;               /* 8904 */
};

struct timeHistogram {
	uint64_t counts[45 * 16];
	uint64_t underflow;
};

struct schedt {
	uint64_t goidgen;           /* 0: goids handed out so far (in batches) */
	uint64_t lastpoll;          /* 8 */
	uint64_t pollUntil;
	struct mutex lock;          /* 24 */
	muintptr midle;             /* 32 */
	int32_t nmidle;             /* 40 */
	int32_t nmidlelocked;
	int64_t mnext;              /* 48: next M id */
	int32_t maxmcount;          /* 56 */
	int32_t nmsys;
	int64_t nmfreed;
	uint32_t ngsys;             /* 72 */
	puintptr pidle;             /* 80: idle Ps through p.link */
	uint32_t npidle;            /* 88 */
	uint32_t nmspinning;        /* 92 */
	struct gQueue runq;         /* 96: the global run queue */
	int32_t runqsize;           /* 112 */
	struct {
		bool user;
		struct gQueue runnable;
		int32_t n;
	} disable;                  /* 120 */
	struct {
		struct mutex lock;
		struct gList stack;
		struct gList noStack;
		int32_t n;
	} gFree;                    /* 152: dead Gs shared between Ps */
	struct mutex sudoglock;     /* 184 */
	void *sudogcache;
	struct mutex deferlock;
	void *deferpool;
	struct m *freem;            /* 216 */
	uint32_t gcwaiting;         /* 224 */
	int32_t stopwait;
	struct note stopnote;
	uint32_t sysmonwait;        /* 240 */
	struct note sysmonnote;
	uintptr_t safePointFn;      /* 256 */
	int32_t safePointWait;
	struct note safePointNote;
	int32_t profilehz;          /* 280 */
	int64_t procresizetime;
	int64_t totaltime;
	struct mutex sysmonlock;    /* 304 */
	struct timeHistogram timeToRun; /* 312 */
};
/* clang-format on */

/* Go's []*g and []*p. */
struct gslice {
	struct g **array;
	intptr_t len;
	intptr_t cap;
};

struct pslice {
	struct p **array;
	intptr_t len;
	intptr_t cap;
};

/* ---- globals (proc.c, runtime1.c, os_linux.c) ---- */
extern struct g runtime_g0 GO("runtime.g0");
extern struct m runtime_m0 GO("runtime.m0");
extern const struct funcval runtime_mainPC GO("runtime.mainPC");
extern struct schedt runtime_sched GO("runtime.sched");
extern struct gslice runtime_allgs GO("runtime.allgs");
extern uintptr_t runtime_allglen GO("runtime.allglen");
extern struct pslice runtime_allp GO("runtime.allp");
extern struct m *runtime_allm GO("runtime.allm");
extern int32_t runtime_gomaxprocs GO("runtime.gomaxprocs");
extern int32_t runtime_ncpu GO("runtime.ncpu");
extern bool runtime_isIntel GO("runtime.isIntel");
extern uint32_t runtime_processorVersionInfo GO("runtime.processorVersionInfo");
extern uintptr_t runtime_physPageSize GO("runtime.physPageSize");
extern int32_t runtime_argc GO("runtime.argc");
extern char **runtime_argv GO("runtime.argv");
extern bool runtime_mainStarted GO("runtime.mainStarted");
extern void *runtime_cgo_init GO("_cgo_init");
extern uint8_t *runtime_startupRandomData GO("runtime.startupRandomData");
extern bool runtime_wakeIdlePs GO("runtime.wakeIdlePs");
extern const struct string
	runtime_waitReasonStrings[waitReasonCount] GO("runtime.waitReasonStrings");

/* ---- assembly: asm_amd64.S ---- */
/* Entry chain; never called from C. */
void runtime_rt0_go(void) GO("runtime.rt0_go");
/* Sets fs so that fs:-8 is *tls (arch_prctl); crashes on failure. */
void runtime_settls(uintptr_t *tls) GO("runtime.settls");
/* int3, then spin. Must not return. */
void runtime_abort(void) GO("runtime.abort") NORETURN;
/* Switches to buf->g and jumps to buf->pc. Must not return. */
void runtime_gogo(struct gobuf *buf) GO("runtime.gogo") NORETURN;
/*
 * Saves the caller into g.sched, switches to g0 and calls fn(g); fn must
 * not return (badmcall2). Call it only through mcall() below.
 */
void runtime_mcall(void (*fn)(struct g *)) GO("runtime.mcall");
/* The return address faked into every new goroutine's frame (+1). */
void runtime_goexit(void) GO("runtime.goexit");
/* Starts scheduling on this M. Must not return. */
void runtime_mstart(void) GO("runtime.mstart") NORETURN;

/* ---- assembly: sys_linux_amd64.S (raw system calls; -errno on failure) ---- */
intptr_t runtime_write1(uintptr_t fd, const void *p, int32_t n) GO("runtime.write1");
void runtime_exit(int32_t code) GO("runtime.exit") NORETURN;
intptr_t runtime_mmap(void *addr, uintptr_t n, int32_t prot, int32_t flags, int32_t fd,
		      uint32_t off) GO("runtime.mmap");
int32_t runtime_sched_getaffinity(uintptr_t pid, uintptr_t len, uint8_t *buf)
	GO("runtime.sched_getaffinity");
/*
 * A new thread on stack stk. With mp and gp non-nil the kernel points its
 * FS at &mp->tls[0] + 8 (CLONE_SETTLS, added here); the child records its
 * tid in mp->procid, makes gp its g (fs:-8, R14, gp->m = mp) and calls fn,
 * which must not return. The parent gets the child's tid.
 */
intptr_t runtime_clone(int32_t flags, void *stk, struct m *mp, struct g *gp, void (*fn)(void))
	GO("runtime.clone");
int32_t runtime_futex(uint32_t *addr, int32_t op, uint32_t val, const struct timespec *ts,
		      uint32_t *addr2, uint32_t val3) GO("runtime.futex");
/* Sleeps usec microseconds (nanosleep), without leaving the P: sysmon's tick. */
void runtime_usleep(uint32_t usec) GO("runtime.usleep");
/* CLOCK_MONOTONIC in nanoseconds. */
int64_t runtime_nanotime1(void) GO("runtime.nanotime1");
int32_t runtime_gettid(void) GO("runtime.gettid");
/* sched_yield: let another thread run. */
void runtime_osyield(void) GO("runtime.osyield");
/* cycles PAUSE instructions (cycles > 0): a polite busy wait. */
void runtime_procyield(uint32_t cycles) GO("runtime.procyield");
/* A system call with no scheduler bookkeeping: the result or -errno. */
intptr_t syscall_RawSyscall6(uintptr_t trap, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
			     uintptr_t a5, uintptr_t a6) GO("syscall.RawSyscall6");

/* ---- lock_futex.c ---- */
void runtime_futexsleep(uint32_t *addr, uint32_t val, int64_t ns) GO("runtime.futexsleep");
void runtime_futexwakeup(uint32_t *addr, uint32_t cnt) GO("runtime.futexwakeup");
void runtime_noteclear(struct note *n) GO("runtime.noteclear");
void runtime_notewakeup(struct note *n) GO("runtime.notewakeup");
/* Sleeps until notewakeup(n). */
void runtime_notesleep(struct note *n) GO("runtime.notesleep");
/* Sleeps until notewakeup(n) or ns nanoseconds (ns < 0: no limit); true if woken. */
bool runtime_notetsleep(struct note *n, int64_t ns) GO("runtime.notetsleep");

/* ---- runtime1.c ---- */
void runtime_check(void) GO("runtime.check");
void runtime_args(int32_t c, char **v) GO("runtime.args");
/* The value of environment variable key, or NULL. */
const char *runtime_gogetenv(const char *key) GO("runtime.gogetenv");
/* Parses a decimal int32; false on junk or overflow. */
bool runtime_atoi32(const char *s, int32_t *out) GO("runtime.atoi32");

/* ---- os_linux.c ---- */
void runtime_osinit(void) GO("runtime.osinit");
/* Starts mp's thread on mp->g0's stack, running runtime.mstart. */
void runtime_newosproc(struct m *mp) GO("runtime.newosproc");
/* Per-thread setup on the new M: its procid. */
void runtime_minit(void) GO("runtime.minit");
int64_t runtime_nanotime(void) GO("runtime.nanotime");
void runtime_sysargs(int32_t c, char **v) GO("runtime.sysargs");
int32_t runtime_getproccount(void) GO("runtime.getproccount");

/* ---- malloc.c ---- */
/* Zeroed memory that is never freed; align is a power of two. */
void *runtime_persistentalloc(uintptr_t size, uintptr_t align) GO("runtime.persistentalloc");
/* n bytes (a multiple of the page size) of fresh zeroed memory: its own mmap. */
uintptr_t runtime_sysAlloc(uintptr_t n) GO("runtime.sysAlloc");

/* ---- proc.c ---- */
void runtime_schedinit(void) GO("runtime.schedinit");
void runtime_mcommoninit(struct m *mp, int64_t id) GO("runtime.mcommoninit");
struct p *runtime_procresize(int32_t nprocs) GO("runtime.procresize");
void runtime_acquirep(struct p *pp) GO("runtime.acquirep");
void runtime_pidleput(struct p *pp) GO("runtime.pidleput");
/* Starts fn on a new goroutine (Go's `go` statement). */
void runtime_newproc(struct funcval *fn) GO("runtime.newproc");
struct g *runtime_newproc1(struct funcval *fn, struct g *callergp, uintptr_t callerpc)
	GO("runtime.newproc1");
struct g *runtime_malg(int32_t stacksize) GO("runtime.malg");
void runtime_allgadd(struct g *gp) GO("runtime.allgadd");
void runtime_gostartcall(struct gobuf *buf, uintptr_t fn, void *ctxt) GO("runtime.gostartcall");
void runtime_casgstatus(struct g *gp, uint32_t oldval, uint32_t newval) GO("runtime.casgstatus");
void runtime_runqput(struct p *pp, struct g *gp, bool next) GO("runtime.runqput");
struct g *runtime_runqget(struct p *pp, bool *inheritTime) GO("runtime.runqget");
void runtime_globrunqput(struct g *gp) GO("runtime.globrunqput");
struct g *runtime_globrunqget(struct p *pp, int32_t max) GO("runtime.globrunqget");
void runtime_mstart0(void) GO("runtime.mstart0");
void runtime_mstart1(void) GO("runtime.mstart1");
void runtime_schedule(void) GO("runtime.schedule") NORETURN;
struct g *runtime_findRunnable(bool *inheritTime) GO("runtime.findRunnable");
void runtime_execute(struct g *gp, bool inheritTime) GO("runtime.execute") NORETURN;
/*
 * Puts the current goroutine to sleep with reason; if unlockf is non-nil
 * it runs on g0 with (gp, lock) and a false result resumes gp at once.
 */
void runtime_gopark(bool (*unlockf)(struct g *, void *), void *lock, uint8_t reason)
	GO("runtime.gopark");
void runtime_park_m(struct g *gp) GO("runtime.park_m") NORETURN;
/* Makes a parked goroutine runnable; it runs next. */
void runtime_goready(struct g *gp) GO("runtime.goready");
/* Yields: the current goroutine goes to the back of the global queue. */
void runtime_Gosched(void) GO("runtime.Gosched");
void runtime_gosched_m(struct g *gp) GO("runtime.gosched_m") NORETURN;
void runtime_goexit1(void) GO("runtime.goexit1") NORETURN;
void runtime_goexit0(struct g *gp) GO("runtime.goexit0") NORETURN;
void runtime_main(void) GO("runtime.main") NORETURN;
void runtime_lock(struct mutex *l) GO("runtime.lock");
void runtime_unlock(struct mutex *l) GO("runtime.unlock");

/* Ms (proc.c). */
/* A new M whose thread runs fn (if any), then schedules with P pp (if any). */
void runtime_newm(void (*fn)(void), struct p *pp, int64_t id) GO("runtime.newm");
struct m *runtime_allocm(void (*fn)(void), int64_t id) GO("runtime.allocm");
/* Runs pp (an idle P, or one taken from sched.pidle when nil) on an idle or new M. */
void runtime_startm(struct p *pp, bool spinning) GO("runtime.startm");
/* Parks the current M on m.park until startm hands it a P. */
void runtime_stopm(void) GO("runtime.stopm");
/* Starts a spinning M for an idle P, if there is one and no M spins yet. */
void runtime_wakep(void) GO("runtime.wakep");
/* Gives away pp, a P taken from an M in a syscall (or a dying M). */
void runtime_handoffp(struct p *pp) GO("runtime.handoffp");
void runtime_mspinning(void) GO("runtime.mspinning");
struct p *runtime_releasep(void) GO("runtime.releasep");
struct p *runtime_pidleget(void) GO("runtime.pidleget");
/* Throws when no M can run any goroutine again. sched.lock must be held. */
void runtime_checkdead(void) GO("runtime.checkdead");
int32_t runtime_mcount(void) GO("runtime.mcount");
/* Whether pp has nothing in runnext and its ring. */
bool runtime_runqempty(struct p *pp) GO("runtime.runqempty");
/* Takes half of p2's ring (or its runnext) into pp's ring; returns one of them. */
struct g *runtime_runqsteal(struct p *pp, struct p *p2, bool stealRunNextG) GO("runtime.runqsteal");
uint32_t runtime_runqgrab(struct p *pp, guintptr *batch, uint32_t batchHead, bool stealRunNextG)
	GO("runtime.runqgrab");
/* 32 random bits from the current M's state (wyrand). */
uint32_t runtime_fastrand(void) GO("runtime.fastrand");

/* System calls (proc.c): the goroutine keeps its M, the P may be taken. */
void runtime_entersyscall(void) GO("runtime.entersyscall");
void runtime_exitsyscall(void) GO("runtime.exitsyscall");
void runtime_exitsyscall0(struct g *gp) GO("runtime.exitsyscall0") NORETURN;

/* sysmon (proc.c): the M without a P that retakes and preempts. */
void runtime_sysmon(void) GO("runtime.sysmon");
uint32_t runtime_retake(int64_t now) GO("runtime.retake");
bool runtime_preemptone(struct p *pp) GO("runtime.preemptone");
/*
 * A cooperative preemption point for long loops: yields (to the global
 * queue) when sysmon asked for it through stackguard0.
 */
void runtime_preemptcheck(void) GO("runtime.preemptcheck");
void runtime_gopreempt_m(struct g *gp) GO("runtime.gopreempt_m") NORETURN;
/* Called by mcall when misused; must not return. */
void runtime_badmcall(void (*fn)(struct g *)) GO("runtime.badmcall") NORETURN;
void runtime_badmcall2(void (*fn)(struct g *)) GO("runtime.badmcall2") NORETURN;

/* ---- panic.c ---- */
/* Prints "fatal error: s" to stderr and exits with status 2. */
void runtime_throw(const char *s) GO("runtime.throw") NORETURN;

/* ---- print.c ---- */
/*
 * printf on raw write(2): %d %u %x %s %c %p %% with an optional l/z size
 * (ignored: every integer argument is read as 64 bits if l or z, else 32).
 */
void runtime_printf(const char *fmt, ...) GO("runtime.printf");
void runtime_fdprintf(int fd, const char *fmt, ...) GO("runtime.fdprintf");
void runtime_vfdprintf(int fd, const char *fmt, va_list ap) GO("runtime.vfdprintf");

/* ---- syscall_linux.c: Go's package syscall, with entersyscall/exitsyscall ---- */
intptr_t syscall_Syscall6(uintptr_t trap, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
			  uintptr_t a5, uintptr_t a6) GO("syscall.Syscall6");
intptr_t syscall_Syscall(uintptr_t trap, uintptr_t a1, uintptr_t a2, uintptr_t a3)
	GO("syscall.Syscall");
/* read(2): bytes read or -errno; blocks this goroutine's M, not its P. */
intptr_t syscall_Read(int32_t fd, void *p, intptr_t n) GO("syscall.Read");
intptr_t syscall_Write(int32_t fd, const void *p, intptr_t n) GO("syscall.Write");
/* nanosleep(2) for ns nanoseconds, as a blocking system call. */
intptr_t syscall_Nanosleep(int64_t ns) GO("syscall.Nanosleep");
/* pipe2(2): fds[0] reads, fds[1] writes. 0 or -errno. */
intptr_t syscall_Pipe2(int32_t fds[2], int32_t flags) GO("syscall.Pipe2");

/* ---- sync.c: a WaitGroup for the example programs (one waiter) ---- */
struct WaitGroup {
	int32_t n;
	struct g *waiter;
	struct mutex lock; /* n and waiter, between Ms */
};
void sync_WaitGroup_Add(struct WaitGroup *wg, int32_t delta) GO("sync.WaitGroup.Add");
void sync_WaitGroup_Done(struct WaitGroup *wg) GO("sync.WaitGroup.Done");
void sync_WaitGroup_Wait(struct WaitGroup *wg) GO("sync.WaitGroup.Wait");

/* ---- each program's main.c ---- */
void main_main(void) GO("main.main");

/* ---- helpers ---- */

/* The running goroutine (Go's getg()). */
ALWAYS_INLINE struct g *getg(void)
{
	struct g *gp;
	__asm__ volatile("movq %%fs:-8, %0" : "=r"(gp));
	return gp;
}

/*
 * mcall(fn): Go's ABI has no callee-saved registers, so runtime.mcall saves
 * only pc/sp/bp. Telling the compiler that the call clobbers every register
 * but RBP (restored from g.sched.bp) and RSP makes C callers save their own
 * live values on the goroutine's stack, where they survive the switch.
 */
#define mcall(fn)                                                                               \
	do {                                                                                    \
		void (*mcall_fn_)(struct g *) = (fn);                                           \
		__asm__ volatile("call runtime.mcall"                                           \
				 : "+D"(mcall_fn_)                                              \
				 :                                                              \
				 : "rax", "rbx", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", \
				   "r12", "r13", "r15", "memory", "cc");                        \
	} while (0)

ALWAYS_INLINE struct p *p_ptr(puintptr p)
{
	return (struct p *)p;
}
ALWAYS_INLINE struct g *g_ptr(guintptr g)
{
	return (struct g *)g;
}
ALWAYS_INLINE struct m *m_ptr(muintptr m)
{
	return (struct m *)m;
}

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t runtime_findnull(const char *s) GO("runtime.findnull");

#endif
