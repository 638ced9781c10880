/*
 * pingpong - two goroutines hand a token back and forth N times
 * (N = argv[1], default 5), parking with gopark while the other holds it
 * and waking each other with goready. Each hit is printed in order.
 */
#include "runtime.h"

struct player {
	struct funcval fv;
	int32_t me; /* 0 = ping, 1 = pong */
};

static struct {
	int32_t turn; /* who holds the token */
	int32_t hits;
	int32_t n;
	struct g *parked[2]; /* a player waiting for the token */
} table;

static struct WaitGroup wg;

static void player(struct funcval *fv) GO("main.player");

/* Gives the token to the other player, waking it if it waits. */
static void pass(int32_t me)
{
	struct g *other = table.parked[1 - me];

	table.turn = 1 - me;
	if (other != NULL) {
		table.parked[1 - me] = NULL;
		runtime_goready(other);
	}
}

static void player(struct funcval *fv)
{
	int32_t me = ((struct player *)fv)->me;

	for (;;) {
		while (table.turn != me) {
			table.parked[me] = getg();
			runtime_gopark(NULL, NULL, waitReasonChanReceive);
		}
		if (table.hits >= table.n) {
			pass(me);
			break;
		}
		table.hits++;
		runtime_printf("%s %d\n", me == 0 ? "ping" : "pong", table.hits);
		pass(me);
	}
	sync_WaitGroup_Done(&wg);
}

void main_main(void)
{
	static struct player players[2] = {
		{ { 0 }, 0 },
		{ { 0 }, 1 },
	};
	int32_t i;

	table.n = 5;
	if (runtime_argc > 1 && (!runtime_atoi32(runtime_argv[1], &table.n) || table.n < 0)) {
		runtime_fdprintf(2, "usage: pingpong [N >= 0]\n");
		runtime_exit(2);
	}
	for (i = 0; i < 2; i++) {
		players[i].fv.fn = (uintptr_t)player;
		sync_WaitGroup_Add(&wg, 1);
		runtime_newproc(&players[i].fv);
	}
	sync_WaitGroup_Wait(&wg);
	runtime_printf("pingpong: %d hits\n", table.hits);
}
