/* golayout — Go runtime struct layouts per release (see golayout.h). */
#include "golayout.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *const dbg_gostruct_names[DBG_GO_NSTRUCT] = {
	[DBG_GO_G] = "runtime.g",
	[DBG_GO_M] = "runtime.m",
	[DBG_GO_P] = "runtime.p",
	[DBG_GO_SCHEDT] = "runtime.schedt",
};

const struct dbg_gofield_desc dbg_gofields[DBG_GOF_COUNT] = {
	[DBG_GOF_G_STACK_LO] = { DBG_GO_G, "stack.lo" },
	[DBG_GOF_G_STACK_HI] = { DBG_GO_G, "stack.hi" },
	[DBG_GOF_G_M] = { DBG_GO_G, "m" },
	[DBG_GOF_G_SCHED_PC] = { DBG_GO_G, "sched.pc" },
	[DBG_GOF_G_SCHED_SP] = { DBG_GO_G, "sched.sp" },
	[DBG_GOF_G_SCHED_BP] = { DBG_GO_G, "sched.bp" },
	[DBG_GOF_G_STATUS] = { DBG_GO_G, "atomicstatus" },
	[DBG_GOF_G_GOID] = { DBG_GO_G, "goid" },
	[DBG_GOF_G_SCHEDLINK] = { DBG_GO_G, "schedlink" },
	[DBG_GOF_G_STARTPC] = { DBG_GO_G, "startpc" },
	[DBG_GOF_M_ID] = { DBG_GO_M, "id" },
	[DBG_GOF_M_PROCID] = { DBG_GO_M, "procid" },
	[DBG_GOF_M_G0] = { DBG_GO_M, "g0" },
	[DBG_GOF_M_CURG] = { DBG_GO_M, "curg" },
	[DBG_GOF_M_P] = { DBG_GO_M, "p" },
	[DBG_GOF_M_GSIGNAL] = { DBG_GO_M, "gsignal" },
	[DBG_GOF_M_TLS0] = { DBG_GO_M, "tls[0]" },
	[DBG_GOF_M_ALLLINK] = { DBG_GO_M, "alllink" },
	[DBG_GOF_M_OLDP] = { DBG_GO_M, "oldp" },
	[DBG_GOF_M_NEXTP] = { DBG_GO_M, "nextp" },
	[DBG_GOF_M_MSTARTFN] = { DBG_GO_M, "mstartfn" },
	[DBG_GOF_M_SPINNING] = { DBG_GO_M, "spinning" },
	[DBG_GOF_M_SCHEDLINK] = { DBG_GO_M, "schedlink" },
	[DBG_GOF_P_ID] = { DBG_GO_P, "id" },
	[DBG_GOF_P_STATUS] = { DBG_GO_P, "status" },
	[DBG_GOF_P_M] = { DBG_GO_P, "m" },
	[DBG_GOF_P_RUNQHEAD] = { DBG_GO_P, "runqhead" },
	[DBG_GOF_P_RUNQTAIL] = { DBG_GO_P, "runqtail" },
	[DBG_GOF_P_RUNQ] = { DBG_GO_P, "runq[0]" },
	[DBG_GOF_P_RUNNEXT] = { DBG_GO_P, "runnext" },
	[DBG_GOF_P_SCHEDTICK] = { DBG_GO_P, "schedtick" },
	[DBG_GOF_P_LINK] = { DBG_GO_P, "link" },
	[DBG_GOF_S_GOIDGEN] = { DBG_GO_SCHEDT, "goidgen" },
	[DBG_GOF_S_RUNQHEAD] = { DBG_GO_SCHEDT, "runq.head" },
	[DBG_GOF_S_RUNQSIZE] = { DBG_GO_SCHEDT, "runqsize" },
	[DBG_GOF_S_PIDLE] = { DBG_GO_SCHEDT, "pidle" },
	[DBG_GOF_S_NPIDLE] = { DBG_GO_SCHEDT, "npidle" },
	[DBG_GOF_S_MIDLE] = { DBG_GO_SCHEDT, "midle" },
	[DBG_GOF_S_NMIDLE] = { DBG_GO_SCHEDT, "nmidle" },
	[DBG_GOF_S_NMSPINNING] = { DBG_GO_SCHEDT, "nmspinning" },
	[DBG_GOF_S_NMSYS] = { DBG_GO_SCHEDT, "nmsys" },
	[DBG_GOF_S_MNEXT] = { DBG_GO_SCHEDT, "mnext" },
	[DBG_GOF_G_LOCKEDM] = { DBG_GO_G, "lockedm" },
	[DBG_GOF_M_LOCKEDG] = { DBG_GO_M, "lockedg" },
};

#define TYPE(n, sz)                                                \
	{                                                          \
		.kind = DBG_TYPE_STRUCT, .name = (n), .size = (sz) \
	}
#define TYPES(g, m, p, s)                                                         \
	{                                                                         \
		TYPE("runtime.g", g), TYPE("runtime.m", m), TYPE("runtime.p", p), \
			TYPE("runtime.schedt", s)                                 \
	}

/*
 * linux/amd64, as the DWARF of a program built by each release's toolchain
 * describes the structs (go1.19.8, go1.21.13, go1.22.12, go1.23.5,
 * go1.24.4). g.lockedm and m.lockedg are given for the releases whose
 * toolchains were at hand to read them (go1.19 to go1.23); go1.24 lacks
 * them (size 0: not read).
 */
static const struct dbg_golayout table[] = {
	{ "go1.19",
	  TYPES(392, 1008, 8912, 6080),
	  256,
	  {
		  [DBG_GOF_G_STACK_LO] = { 0, 8 },    [DBG_GOF_G_STACK_HI] = { 8, 8 },
		  [DBG_GOF_G_M] = { 48, 8 },          [DBG_GOF_G_SCHED_PC] = { 64, 8 },
		  [DBG_GOF_G_SCHED_SP] = { 56, 8 },   [DBG_GOF_G_SCHED_BP] = { 104, 8 },
		  [DBG_GOF_G_STATUS] = { 144, 4 },    [DBG_GOF_G_GOID] = { 152, 8 },
		  [DBG_GOF_G_SCHEDLINK] = { 160, 8 }, [DBG_GOF_G_STARTPC] = { 312, 8 },
		  [DBG_GOF_M_ID] = { 232, 8 },        [DBG_GOF_M_PROCID] = { 72, 8 },
		  [DBG_GOF_M_G0] = { 0, 8 },          [DBG_GOF_M_CURG] = { 192, 8 },
		  [DBG_GOF_M_P] = { 208, 8 },         [DBG_GOF_M_GSIGNAL] = { 80, 8 },
		  [DBG_GOF_M_TLS0] = { 136, 8 },      [DBG_GOF_M_ALLLINK] = { 336, 8 },
		  [DBG_GOF_M_OLDP] = { 224, 8 },      [DBG_GOF_M_NEXTP] = { 216, 8 },
		  [DBG_GOF_M_MSTARTFN] = { 184, 8 },  [DBG_GOF_M_SPINNING] = { 276, 1 },
		  [DBG_GOF_M_SCHEDLINK] = { 344, 8 }, [DBG_GOF_P_ID] = { 0, 4 },
		  [DBG_GOF_P_STATUS] = { 4, 4 },      [DBG_GOF_P_M] = { 56, 8 },
		  [DBG_GOF_P_RUNQHEAD] = { 400, 4 },  [DBG_GOF_P_RUNQTAIL] = { 404, 4 },
		  [DBG_GOF_P_RUNQ] = { 408, 8 },      [DBG_GOF_P_RUNNEXT] = { 2456, 8 },
		  [DBG_GOF_P_SCHEDTICK] = { 16, 4 },  [DBG_GOF_P_LINK] = { 8, 8 },
		  [DBG_GOF_S_GOIDGEN] = { 0, 8 },     [DBG_GOF_S_RUNQHEAD] = { 96, 8 },
		  [DBG_GOF_S_RUNQSIZE] = { 112, 4 },  [DBG_GOF_S_PIDLE] = { 80, 8 },
		  [DBG_GOF_S_NPIDLE] = { 88, 4 },     [DBG_GOF_S_MIDLE] = { 32, 8 },
		  [DBG_GOF_S_NMIDLE] = { 40, 4 },     [DBG_GOF_S_NMSPINNING] = { 92, 4 },
		  [DBG_GOF_S_NMSYS] = { 60, 4 },      [DBG_GOF_S_MNEXT] = { 48, 8 },
		  [DBG_GOF_G_LOCKEDM] = { 232, 8 },   [DBG_GOF_M_LOCKEDG] = { 352, 8 },
	  } },
	{ "go1.21",
	  TYPES(408, 1008, 8912, 1632),
	  256,
	  {
		  [DBG_GOF_G_STACK_LO] = { 0, 8 },    [DBG_GOF_G_STACK_HI] = { 8, 8 },
		  [DBG_GOF_G_M] = { 48, 8 },          [DBG_GOF_G_SCHED_PC] = { 64, 8 },
		  [DBG_GOF_G_SCHED_SP] = { 56, 8 },   [DBG_GOF_G_SCHED_BP] = { 104, 8 },
		  [DBG_GOF_G_STATUS] = { 144, 4 },    [DBG_GOF_G_GOID] = { 152, 8 },
		  [DBG_GOF_G_SCHEDLINK] = { 160, 8 }, [DBG_GOF_G_STARTPC] = { 296, 8 },
		  [DBG_GOF_M_ID] = { 232, 8 },        [DBG_GOF_M_PROCID] = { 72, 8 },
		  [DBG_GOF_M_G0] = { 0, 8 },          [DBG_GOF_M_CURG] = { 192, 8 },
		  [DBG_GOF_M_P] = { 208, 8 },         [DBG_GOF_M_GSIGNAL] = { 80, 8 },
		  [DBG_GOF_M_TLS0] = { 136, 8 },      [DBG_GOF_M_ALLLINK] = { 336, 8 },
		  [DBG_GOF_M_OLDP] = { 224, 8 },      [DBG_GOF_M_NEXTP] = { 216, 8 },
		  [DBG_GOF_M_MSTARTFN] = { 184, 8 },  [DBG_GOF_M_SPINNING] = { 276, 1 },
		  [DBG_GOF_M_SCHEDLINK] = { 344, 8 }, [DBG_GOF_P_ID] = { 0, 4 },
		  [DBG_GOF_P_STATUS] = { 4, 4 },      [DBG_GOF_P_M] = { 56, 8 },
		  [DBG_GOF_P_RUNQHEAD] = { 400, 4 },  [DBG_GOF_P_RUNQTAIL] = { 404, 4 },
		  [DBG_GOF_P_RUNQ] = { 408, 8 },      [DBG_GOF_P_RUNNEXT] = { 2456, 8 },
		  [DBG_GOF_P_SCHEDTICK] = { 16, 4 },  [DBG_GOF_P_LINK] = { 8, 8 },
		  [DBG_GOF_S_GOIDGEN] = { 0, 8 },     [DBG_GOF_S_RUNQHEAD] = { 104, 8 },
		  [DBG_GOF_S_RUNQSIZE] = { 120, 4 },  [DBG_GOF_S_PIDLE] = { 80, 8 },
		  [DBG_GOF_S_NPIDLE] = { 88, 4 },     [DBG_GOF_S_MIDLE] = { 32, 8 },
		  [DBG_GOF_S_NMIDLE] = { 40, 4 },     [DBG_GOF_S_NMSPINNING] = { 92, 4 },
		  [DBG_GOF_S_NMSYS] = { 60, 4 },      [DBG_GOF_S_MNEXT] = { 48, 8 },
		  [DBG_GOF_G_LOCKEDM] = { 208, 8 },   [DBG_GOF_M_LOCKEDG] = { 352, 8 },
	  } },
	{ "go1.22",
	  TYPES(424, 2024, 8944, 6824),
	  256,
	  {
		  [DBG_GOF_G_STACK_LO] = { 0, 8 },    [DBG_GOF_G_STACK_HI] = { 8, 8 },
		  [DBG_GOF_G_M] = { 48, 8 },          [DBG_GOF_G_SCHED_PC] = { 64, 8 },
		  [DBG_GOF_G_SCHED_SP] = { 56, 8 },   [DBG_GOF_G_SCHED_BP] = { 104, 8 },
		  [DBG_GOF_G_STATUS] = { 144, 4 },    [DBG_GOF_G_GOID] = { 152, 8 },
		  [DBG_GOF_G_SCHEDLINK] = { 160, 8 }, [DBG_GOF_G_STARTPC] = { 296, 8 },
		  [DBG_GOF_M_ID] = { 232, 8 },        [DBG_GOF_M_PROCID] = { 72, 8 },
		  [DBG_GOF_M_G0] = { 0, 8 },          [DBG_GOF_M_CURG] = { 192, 8 },
		  [DBG_GOF_M_P] = { 208, 8 },         [DBG_GOF_M_GSIGNAL] = { 80, 8 },
		  [DBG_GOF_M_TLS0] = { 136, 8 },      [DBG_GOF_M_ALLLINK] = { 328, 8 },
		  [DBG_GOF_M_OLDP] = { 224, 8 },      [DBG_GOF_M_NEXTP] = { 216, 8 },
		  [DBG_GOF_M_MSTARTFN] = { 184, 8 },  [DBG_GOF_M_SPINNING] = { 276, 1 },
		  [DBG_GOF_M_SCHEDLINK] = { 336, 8 }, [DBG_GOF_P_ID] = { 0, 4 },
		  [DBG_GOF_P_STATUS] = { 4, 4 },      [DBG_GOF_P_M] = { 56, 8 },
		  [DBG_GOF_P_RUNQHEAD] = { 400, 4 },  [DBG_GOF_P_RUNQTAIL] = { 404, 4 },
		  [DBG_GOF_P_RUNQ] = { 408, 8 },      [DBG_GOF_P_RUNNEXT] = { 2456, 8 },
		  [DBG_GOF_P_SCHEDTICK] = { 16, 4 },  [DBG_GOF_P_LINK] = { 8, 8 },
		  [DBG_GOF_S_GOIDGEN] = { 0, 8 },     [DBG_GOF_S_RUNQHEAD] = { 104, 8 },
		  [DBG_GOF_S_RUNQSIZE] = { 120, 4 },  [DBG_GOF_S_PIDLE] = { 80, 8 },
		  [DBG_GOF_S_NPIDLE] = { 88, 4 },     [DBG_GOF_S_MIDLE] = { 32, 8 },
		  [DBG_GOF_S_NMIDLE] = { 40, 4 },     [DBG_GOF_S_NMSPINNING] = { 92, 4 },
		  [DBG_GOF_S_NMSYS] = { 60, 4 },      [DBG_GOF_S_MNEXT] = { 48, 8 },
		  [DBG_GOF_G_LOCKEDM] = { 208, 8 },   [DBG_GOF_M_LOCKEDG] = { 344, 8 },
	  } },
	{ "go1.23",
	  TYPES(432, 1760, 8944, 6824),
	  256,
	  {
		  [DBG_GOF_G_STACK_LO] = { 0, 8 },    [DBG_GOF_G_STACK_HI] = { 8, 8 },
		  [DBG_GOF_G_M] = { 48, 8 },          [DBG_GOF_G_SCHED_PC] = { 64, 8 },
		  [DBG_GOF_G_SCHED_SP] = { 56, 8 },   [DBG_GOF_G_SCHED_BP] = { 104, 8 },
		  [DBG_GOF_G_STATUS] = { 152, 4 },    [DBG_GOF_G_GOID] = { 160, 8 },
		  [DBG_GOF_G_SCHEDLINK] = { 168, 8 }, [DBG_GOF_G_STARTPC] = { 304, 8 },
		  [DBG_GOF_M_ID] = { 232, 8 },        [DBG_GOF_M_PROCID] = { 72, 8 },
		  [DBG_GOF_M_G0] = { 0, 8 },          [DBG_GOF_M_CURG] = { 192, 8 },
		  [DBG_GOF_M_P] = { 208, 8 },         [DBG_GOF_M_GSIGNAL] = { 80, 8 },
		  [DBG_GOF_M_TLS0] = { 136, 8 },      [DBG_GOF_M_ALLLINK] = { 328, 8 },
		  [DBG_GOF_M_OLDP] = { 224, 8 },      [DBG_GOF_M_NEXTP] = { 216, 8 },
		  [DBG_GOF_M_MSTARTFN] = { 184, 8 },  [DBG_GOF_M_SPINNING] = { 276, 1 },
		  [DBG_GOF_M_SCHEDLINK] = { 336, 8 }, [DBG_GOF_P_ID] = { 0, 4 },
		  [DBG_GOF_P_STATUS] = { 4, 4 },      [DBG_GOF_P_M] = { 48, 8 },
		  [DBG_GOF_P_RUNQHEAD] = { 392, 4 },  [DBG_GOF_P_RUNQTAIL] = { 396, 4 },
		  [DBG_GOF_P_RUNQ] = { 400, 8 },      [DBG_GOF_P_RUNNEXT] = { 2448, 8 },
		  [DBG_GOF_P_SCHEDTICK] = { 16, 4 },  [DBG_GOF_P_LINK] = { 8, 8 },
		  [DBG_GOF_S_GOIDGEN] = { 0, 8 },     [DBG_GOF_S_RUNQHEAD] = { 104, 8 },
		  [DBG_GOF_S_RUNQSIZE] = { 120, 4 },  [DBG_GOF_S_PIDLE] = { 80, 8 },
		  [DBG_GOF_S_NPIDLE] = { 88, 4 },     [DBG_GOF_S_MIDLE] = { 32, 8 },
		  [DBG_GOF_S_NMIDLE] = { 40, 4 },     [DBG_GOF_S_NMSPINNING] = { 92, 4 },
		  [DBG_GOF_S_NMSYS] = { 60, 4 },      [DBG_GOF_S_MNEXT] = { 48, 8 },
		  [DBG_GOF_G_LOCKEDM] = { 216, 8 },   [DBG_GOF_M_LOCKEDG] = { 344, 8 },
	  } },
	{ "go1.24",
	  TYPES(440, 1808, 8952, 6824),
	  256,
	  {
		  [DBG_GOF_G_STACK_LO] = { 0, 8 },    [DBG_GOF_G_STACK_HI] = { 8, 8 },
		  [DBG_GOF_G_M] = { 48, 8 },          [DBG_GOF_G_SCHED_PC] = { 64, 8 },
		  [DBG_GOF_G_SCHED_SP] = { 56, 8 },   [DBG_GOF_G_SCHED_BP] = { 104, 8 },
		  [DBG_GOF_G_STATUS] = { 152, 4 },    [DBG_GOF_G_GOID] = { 160, 8 },
		  [DBG_GOF_G_SCHEDLINK] = { 168, 8 }, [DBG_GOF_G_STARTPC] = { 304, 8 },
		  [DBG_GOF_M_ID] = { 232, 8 },        [DBG_GOF_M_PROCID] = { 72, 8 },
		  [DBG_GOF_M_G0] = { 0, 8 },          [DBG_GOF_M_CURG] = { 192, 8 },
		  [DBG_GOF_M_P] = { 208, 8 },         [DBG_GOF_M_GSIGNAL] = { 80, 8 },
		  [DBG_GOF_M_TLS0] = { 136, 8 },      [DBG_GOF_M_ALLLINK] = { 328, 8 },
		  [DBG_GOF_M_OLDP] = { 224, 8 },      [DBG_GOF_M_NEXTP] = { 216, 8 },
		  [DBG_GOF_M_MSTARTFN] = { 184, 8 },  [DBG_GOF_M_SPINNING] = { 276, 1 },
		  [DBG_GOF_M_SCHEDLINK] = { 336, 8 }, [DBG_GOF_P_ID] = { 0, 4 },
		  [DBG_GOF_P_STATUS] = { 4, 4 },      [DBG_GOF_P_M] = { 48, 8 },
		  [DBG_GOF_P_RUNQHEAD] = { 392, 4 },  [DBG_GOF_P_RUNQTAIL] = { 396, 4 },
		  [DBG_GOF_P_RUNQ] = { 400, 8 },      [DBG_GOF_P_RUNNEXT] = { 2448, 8 },
		  [DBG_GOF_P_SCHEDTICK] = { 16, 4 },  [DBG_GOF_P_LINK] = { 8, 8 },
		  [DBG_GOF_S_GOIDGEN] = { 0, 8 },     [DBG_GOF_S_RUNQHEAD] = { 104, 8 },
		  [DBG_GOF_S_RUNQSIZE] = { 120, 4 },  [DBG_GOF_S_PIDLE] = { 80, 8 },
		  [DBG_GOF_S_NPIDLE] = { 88, 4 },     [DBG_GOF_S_MIDLE] = { 32, 8 },
		  [DBG_GOF_S_NMIDLE] = { 40, 4 },     [DBG_GOF_S_NMSPINNING] = { 92, 4 },
		  [DBG_GOF_S_NMSYS] = { 60, 4 },      [DBG_GOF_S_MNEXT] = { 48, 8 },
	  } },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

/* major.minor of "goM.N…" into *major, *minor; false when it is not one. */
static bool parse_release(const char *v, unsigned *major, unsigned *minor)
{
	unsigned a = 0, b = 0;
	int n = 0;
	if (!v || sscanf(v, "go%u.%u%n", &a, &b, &n) != 2 || n == 0)
		return false;
	*major = a;
	*minor = b;
	return true;
}

const struct dbg_golayout *dbg_golayout_find(const char *go_version)
{
	unsigned a, b, ta, tb;
	if (!parse_release(go_version, &a, &b))
		return NULL;
	for (size_t i = 0; i < NTABLE; i++)
		if (parse_release(table[i].release, &ta, &tb) && ta == a && tb == b)
			return &table[i];
	return NULL;
}

size_t dbg_golayout_count(void)
{
	return NTABLE;
}

const struct dbg_golayout *dbg_golayout_at(size_t i)
{
	return i < NTABLE ? &table[i] : NULL;
}

const char *dbg_golayout_releases(void)
{
	static _Thread_local char buf[16 * NTABLE];
	size_t at = 0;
	for (size_t i = 0; i < NTABLE; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%s", i ? ", " : "",
				       table[i].release);
	return buf;
}
