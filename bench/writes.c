/*
 * bench-writes — the time of the timeline's writes query (dbg_tl_writes,
 * `info writes`) on a saved recording, in-process: the first query (which
 * builds the index by page) and each later one, over the ranges given.
 *
 *   bench-writes RECORDING N ADDR:LEN...
 *
 * Prints one JSON object: {"load_ms":…, "first_ms":…, "query_ms":…,
 * "steps":…, "records_read":…, "writes":…}: load_ms the loading of the
 * recording (its records checked and indexed), query_ms the mean of N
 * rounds over the ranges. Exit 1 on a failure.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session.h"
#include "timeline.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct dbg_timeline *tl = NULL;
	struct dbg_session *s = NULL;
	struct dbg_err err;
	char prog[PATH_MAX];

	if (argc < 4) {
		fprintf(stderr, "usage: bench-writes RECORDING N ADDR:LEN...\n");
		return 2;
	}
	int rounds = atoi(argv[2]);
	double t_load = now_ms();
	if (dbg_tl_load(&tl, argv[1], prog, sizeof(prog), &err) < 0 ||
	    dbg_session_open(&s, prog, &err) < 0) {
		fprintf(stderr, "bench-writes: %s\n", err.msg);
		return 1;
	}
	dbg_session_set_timeline(s, tl);
	double load = now_ms() - t_load;
	size_t nr = (size_t)(argc - 3);
	uint64_t *addr = calloc(nr, sizeof(*addr)), *len = calloc(nr, sizeof(*len));
	if (!addr || !len)
		return 1;
	for (size_t i = 0; i < nr; i++) {
		char *colon = strchr(argv[3 + i], ':');
		if (!colon) {
			fprintf(stderr, "bench-writes: not ADDR:LEN: %s\n", argv[3 + i]);
			return 2;
		}
		addr[i] = strtoull(argv[3 + i], NULL, 0);
		len[i] = strtoull(colon + 1, NULL, 0);
	}
	struct dbg_tl_wlist wl;
	double t0 = now_ms();
	if (dbg_session_writes(s, addr[0], len[0], &wl, &err) < 0) {
		fprintf(stderr, "bench-writes: %s\n", err.msg);
		return 1;
	}
	double first = now_ms() - t0;
	uint64_t nw = wl.n, read = 0;
	dbg_tl_wlist_release(&wl);
	t0 = now_ms();
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < nr; i++) {
			if (dbg_session_writes(s, addr[i], len[i], &wl, &err) < 0) {
				fprintf(stderr, "bench-writes: %s\n", err.msg);
				return 1;
			}
			read += wl.looked;
			dbg_tl_wlist_release(&wl);
		}
	double each = (now_ms() - t0) / (double)(rounds * (int)nr);
	struct dbg_tl_info in;
	dbg_tl_info(tl, &in);
	printf("{\"load_ms\": %.3f, \"first_ms\": %.3f, \"query_ms\": %.3f, \"steps\": %" PRIu64
	       ", \"records_read\": %" PRIu64 ", \"writes\": %" PRIu64 "}\n",
	       load, first, each, in.last - in.first, read / (uint64_t)(rounds * (int)nr), nw);
	dbg_session_free(s);
	free(addr);
	free(len);
	return 0;
}
