#!/usr/bin/env python3
"""Time from start to the main.main stop of a `go build` hello, batch mode:
bootscope (`--batch -ex 'break main.main' -ex run`) against gdb doing the
same (`gdb -batch -nx -ex 'break main.main' -ex run`), the median of five
runs of each, wall clock, whole command (start-up, symbol and DWARF
loading, the run, the kill at the end).

Every run must stop in main.main (gdb, reading the line table, puts its
breakpoint after the prologue; bootscope at nm's address). bootscope must not be slower than
gdb: it reads only the symbol table and the DWARF types it needs, where
gdb builds full symbol tables first.
"""
import json
import resource
import statistics
import subprocess
import time

import golib
from golib import addr, last

t = golib.Test(__doc__)
hello = t.program("hello")
t.need_tool("gdb")
main_main = golib.nm(hello)["main.main"]
RUNS = 5


def cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def timed(argv, cpu_times):
    c0, t0 = cpu(), time.perf_counter()
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    dt = time.perf_counter() - t0
    cpu_times.append(cpu() - c0)
    return dt, r


# One untimed run of each, so that both start from a warm page cache.
bs_argv = [t.bootscope, "--batch", "--json", "-ex", "break main.main", "-ex", "run", hello]
gdb_argv = ["gdb", "-batch", "-nx", "-ex", "break main.main", "-ex", "run",
            "-ex", "printf \"pc=%#lx\\n\", $pc", hello]
rc, events, _ = t.bs(hello, ["break main.main", "run"])
subprocess.run(gdb_argv, capture_output=True, timeout=120)

bs_times, gdb_times, bs_cpu, gdb_cpu = [], [], [], []
for i in range(RUNS):
    dt, r = timed(bs_argv, bs_cpu)
    stop = last([json.loads(l) for l in r.stdout.splitlines()], "stop")
    t.check("bootscope run %d stops at main.main" % i, stop and addr(stop["pc"]), main_main)
    bs_times.append(dt)
    dt, r = timed(gdb_argv, gdb_cpu)
    pc = golib.gdb_values(r.stdout).get("pc", 0)
    t.true("gdb run %d stops in main.main, after its prologue (%#x)" % (i, pc),
           main_main <= pc < main_main + 64)
    gdb_times.append(dt)

bs_med, gdb_med = statistics.median(bs_times), statistics.median(gdb_times)
print("start to main.main, median of %d: bootscope %.1f ms (runs %s), gdb %.1f ms (runs %s)"
      % (RUNS, bs_med * 1e3, " ".join("%.1f" % (x * 1e3) for x in bs_times),
         gdb_med * 1e3, " ".join("%.1f" % (x * 1e3) for x in gdb_times)))
print("CPU time (user + system, the program's included), median: bootscope %.1f ms, gdb %.1f ms"
      % (statistics.median(bs_cpu) * 1e3, statistics.median(gdb_cpu) * 1e3))
t.true("bootscope reaches main.main no slower than gdb (%.1f ms vs %.1f ms)"
       % (bs_med * 1e3, gdb_med * 1e3), bs_med <= gdb_med)
t.finish()
