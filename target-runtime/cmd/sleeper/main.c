/*
 * sleeper - goroutines that block in system calls. A reader blocks in
 * read(2) on a pipe until a writer, after a 50 ms nanosleep, writes to it;
 * three sleepers each take three 5 ms naps. While a goroutine is in the
 * kernel its P sits in _Psyscall; sysmon retakes it after a tick and
 * hands it off (handoffp), so the others run on other Ms meanwhile. With
 * GOMAXPROCS=1 every nap and the read hand the single P to another M.
 * main prints what each did once all are done: the output does not depend
 * on which M ran what.
 *
 * The reader is started last, so it is in runnext and runs first when
 * main waits: the first system call is its read, which cannot return
 * before the writer, still queued behind it, has run and slept. So with
 * GOMAXPROCS=1 the first handoff always takes a P with runnable
 * goroutines from an M that stays in the kernel, however late sysmon
 * comes.
 */
#include "runtime.h"

enum { nsleepers = 3, naps = 3, napNS = 5 * 1000 * 1000, writerNS = 50 * 1000 * 1000 };

struct sleeper {
	struct funcval fv;
	int32_t id;
	int32_t naps;
};

static struct sleeper sleepers[nsleepers];
static struct funcval readerfv, writerfv;
static int32_t fds[2];
static char msg[32];
static intptr_t nread;
static struct WaitGroup wg;

static void sleeper(struct funcval *fv) GO("main.sleeper");
static void reader(struct funcval *fv) GO("main.reader");
static void writer(struct funcval *fv) GO("main.writer");

static void sleeper(struct funcval *fv)
{
	struct sleeper *s = (struct sleeper *)fv;
	int32_t i;

	for (i = 0; i < naps; i++)
		if (syscall_Nanosleep(napNS) == 0)
			s->naps++;
	sync_WaitGroup_Done(&wg);
}

static void reader(struct funcval *fv)
{
	(void)fv;
	nread = syscall_Read(fds[0], msg, sizeof msg - 1);
	if (nread > 0)
		msg[nread] = '\0';
	sync_WaitGroup_Done(&wg);
}

static void writer(struct funcval *fv)
{
	static const char text[] = "wake up";

	(void)fv;
	syscall_Nanosleep(writerNS);
	if (syscall_Write(fds[1], text, sizeof text - 1) != sizeof text - 1)
		runtime_throw("sleeper: short write to the pipe");
	sync_WaitGroup_Done(&wg);
}

void main_main(void)
{
	int32_t i;

	/* Written for several Ms: idle Ps may take goroutines. */
	runtime_wakeIdlePs = true;
	if (syscall_Pipe2(fds, 0) != 0)
		runtime_throw("sleeper: pipe2 failed");
	runtime_printf("sleeper: %d sleepers, a reader and a writer on GOMAXPROCS=%d\n", nsleepers,
		       runtime_gomaxprocs);
	sync_WaitGroup_Add(&wg, nsleepers + 2);
	writerfv.fn = (uintptr_t)writer;
	runtime_newproc(&writerfv);
	for (i = 0; i < nsleepers; i++) {
		sleepers[i].fv.fn = (uintptr_t)sleeper;
		sleepers[i].id = i + 1;
		runtime_newproc(&sleepers[i].fv);
	}
	/* Last: in runnext, the first to run (see the top). */
	readerfv.fn = (uintptr_t)reader;
	runtime_newproc(&readerfv);
	sync_WaitGroup_Wait(&wg);
	for (i = 0; i < nsleepers; i++)
		runtime_printf("sleeper %d: %d naps\n", sleepers[i].id, sleepers[i].naps);
	runtime_printf("reader: %ld bytes from the pipe: %s\n", (int64_t)nread, msg);
	runtime_printf("sleeper: done\n");
}
