#!/usr/bin/env bash
# Boot state at each stage of hello, with gdb as the independent witness.
# Breakpoints and expectations use addresses from nm and Go 1.19's offsets,
# not the program's DWARF.
# usage: gdb_boot.sh HELLO
set -u
. "$(dirname "$0")/lib.sh"
need gdb nm
prog=$1

g0=$(symaddr "$prog" runtime.g0)
m0=$(symaddr "$prog" runtime.m0)
mainpc=$(symaddr "$prog" runtime.mainPC)
rtmain=$(symaddr "$prog" runtime.main)
allglen=$(symaddr "$prog" runtime.allglen)
allp=$(symaddr "$prog" runtime.allp)
allm=$(symaddr "$prog" runtime.allm)
sched=$(symaddr "$prog" runtime.sched)
gomaxprocs=$(symaddr "$prog" runtime.gomaxprocs)
entry=$(symaddr "$prog" _rt0_amd64_linux)

# Runs hello under gdb with GOMAXPROCS=3; the probes print NAME=VALUE lines.
# ("set language c": gdb takes a program with main.main for Go.)
run_gdb() {
	GOMAXPROCS=3 gdb -nx -batch -ex 'set language c' -ex 'set startup-with-shell off' "$@" "$prog" 2>&1
}
val() { printf '%s\n' "$1" | awk -F= -v k="$2" '$1 == k { print $2; exit }'; }

GOMAXPROCS=3 gdb_ptrace_probe gdb -nx -batch -ex 'set startup-with-shell off' -ex starti \
	-ex 'info registers rip' "$prog"

# 1. The entry: RSP points at argc, FS base still 0.
out=$(run_gdb -ex starti -ex 'printf "rip=%#lx\n", $rip' -ex 'printf "fs_base=%#lx\n", $fs_base' \
	-ex 'printf "argc=%#lx\n", *(long*)$rsp')
check_eq "entry: rip = _rt0_amd64_linux" "$(val "$out" rip)" "$entry"
check_eq "entry: fs_base = 0" "$(val "$out" fs_base)" 0
check_eq "entry: *rsp = argc" "$(val "$out" argc)" 0x1

# 2. runtime.check: TLS installed, g0 and m0 wired together.
out=$(run_gdb -ex "break *'runtime.check'" -ex run \
	-ex 'printf "fs_base=%#lx\n", $fs_base' \
	-ex 'printf "tls_g=%#lx\n", *(long*)($fs_base - 8)' \
	-ex "printf \"g0_m=%#lx\n\", *(long*)($g0 + 48)" \
	-ex "printf \"m0_g0=%#lx\n\", *(long*)($m0 + 0)" \
	-ex "printf \"m0_tls0=%#lx\n\", *(long*)($m0 + 136)" \
	-ex "printf \"r14=%#lx\n\", \$r14" \
	-ex "printf \"g0_lo=%#lx\n\", *(long*)($g0 + 0)" \
	-ex "printf \"g0_hi=%#lx\n\", *(long*)($g0 + 8)" \
	-ex "printf \"g0_guard0=%#lx\n\", *(long*)($g0 + 16)" \
	-ex 'printf "rsp_align=%#lx\n", ((long)$rsp + 8) & 15')
check_eq "check: *(fs_base-8) = &runtime.g0" "$(val "$out" tls_g)" "$g0"
check_eq "check: fs_base = &runtime.m0 + 136 + 8" "$(val "$out" fs_base)" "$(printf '%#x' $((m0 + 144)))"
check_eq "check: g0.m = &m0" "$(val "$out" g0_m)" "$m0"
check_eq "check: m0.g0 = &g0" "$(val "$out" m0_g0)" "$g0"
check_eq "check: m0.tls[0] = &g0" "$(val "$out" m0_tls0)" "$g0"
check_eq "check: r14 = &g0" "$(val "$out" r14)" "$g0"
lo=$(val "$out" g0_lo) hi=$(val "$out" g0_hi)
check_eq "check: g0 stack is 64 KiB - 104" "$((hi - lo))" 65432
check_eq "check: g0 stackguard0 = stack.lo (before mstart)" "$(val "$out" g0_guard0)" "$lo"
check_eq "check: stack aligned for the call" "$(val "$out" rsp_align)" 0

# 3. First runtime.newproc: nothing in allgs yet; the argument is &mainPC.
out=$(run_gdb -ex "break *'runtime.newproc'" -ex run \
	-ex "printf \"allglen=%#lx\n\", *(long*)$allglen" \
	-ex 'printf "rdi=%#lx\n", $rdi' \
	-ex 'printf "fn=%#lx\n", *(long*)$rdi' \
	-ex "printf \"gomaxprocs=%#lx\n\", *(int*)$gomaxprocs" \
	-ex "printf \"allp_len=%#lx\n\", *(long*)($allp + 8)" \
	-ex "printf \"allm=%#lx\n\", *(long*)$allm" \
	-ex "printf \"m0_alllink=%#lx\n\", *(long*)($m0 + 336)" \
	-ex "printf \"m0_id=%#lx\n\", *(long*)($m0 + 232)" \
	-ex "printf \"maxmcount=%#lx\n\", *(int*)($sched + 56)" \
	-ex "printf \"p0=%#lx\n\", **(long**)$allp" \
	-ex "printf \"p1=%#lx\n\", (*(long**)$allp)[1]" \
	-ex "printf \"p2=%#lx\n\", (*(long**)$allp)[2]" \
	-ex "printf \"m0_p=%#lx\n\", *(long*)($m0 + 208)" \
	-ex "printf \"p0_status=%#lx\n\", *(int*)((*(long**)$allp)[0] + 4)" \
	-ex "printf \"p1_status=%#lx\n\", *(int*)((*(long**)$allp)[1] + 4)" \
	-ex "printf \"p2_id=%#lx\n\", *(int*)((*(long**)$allp)[2] + 0)" \
	-ex "printf \"pidle=%#lx\n\", *(long*)($sched + 80)" \
	-ex "printf \"p1_link=%#lx\n\", *(long*)((*(long**)$allp)[1] + 8)" \
	-ex "printf \"p2_link=%#lx\n\", *(long*)((*(long**)$allp)[2] + 8)" \
	-ex "printf \"npidle=%#lx\n\", *(int*)($sched + 88)" \
	-ex "printf \"mnext=%#lx\n\", *(long*)($sched + 48)" \
	-ex "printf \"isintel=%#lx\n\", *(unsigned char*)$(symaddr "$prog" runtime.isIntel)" \
	-ex "printf \"pvi=%#lx\n\", *(unsigned*)$(symaddr "$prog" runtime.processorVersionInfo)" \
	-ex "printf \"pagesize=%#lx\n\", *(long*)$(symaddr "$prog" runtime.physPageSize)" \
	-ex "printf \"ncpu=%#lx\n\", *(int*)$(symaddr "$prog" runtime.ncpu)" \
	-ex "printf \"argc=%#lx\n\", *(int*)$(symaddr "$prog" runtime.argc)" \
	-ex "printf \"argv0=%s\n\", **(char***)$(symaddr "$prog" runtime.argv)")
check_eq "newproc: allglen = 0" "$(val "$out" allglen)" 0
check_eq "newproc: argument = &runtime.mainPC" "$(val "$out" rdi)" "$mainpc"
check_eq "newproc: mainPC.fn = runtime.main" "$(val "$out" fn)" "$rtmain"
check_eq "schedinit: gomaxprocs from GOMAXPROCS=3" "$(val "$out" gomaxprocs)" 0x3
check_eq "schedinit: len(allp) = 3" "$(val "$out" allp_len)" 0x3
check_eq "schedinit: allm = &m0" "$(val "$out" allm)" "$m0"
check_eq "schedinit: m0.alllink = nil" "$(val "$out" m0_alllink)" 0
check_eq "schedinit: m0.id = 0" "$(val "$out" m0_id)" 0
check_eq "schedinit: sched.maxmcount = 10000" "$(val "$out" maxmcount)" 0x2710
check_eq "procresize: m0.p = allp[0]" "$(val "$out" m0_p)" "$(val "$out" p0)"
check_eq "procresize: P0 running" "$(val "$out" p0_status)" 0x1
check_eq "procresize: P1 idle" "$(val "$out" p1_status)" 0
check_eq "procresize: P2 id" "$(val "$out" p2_id)" 0x2
check_eq "procresize: sched.pidle = P1" "$(val "$out" pidle)" "$(val "$out" p1)"
check_eq "procresize: P1.link = P2" "$(val "$out" p1_link)" "$(val "$out" p2)"
check_eq "procresize: P2.link = nil" "$(val "$out" p2_link)" 0
check_eq "procresize: sched.npidle = 2" "$(val "$out" npidle)" 0x2
check_eq "mcommoninit: sched.mnext = 1" "$(val "$out" mnext)" 0x1
# Independent witnesses for what rt0_go, args and osinit read from the machine.
if grep -q '^vendor_id.*GenuineIntel' /proc/cpuinfo; then intel=0x1; else intel=0; fi
check_eq "rt0_go: isIntel matches /proc/cpuinfo" "$(val "$out" isintel)" "$intel"
check_match "rt0_go: processorVersionInfo (CPUID leaf 1 EAX) set" "$(val "$out" pvi)" '^0x[0-9a-f]+$'
check_eq "args: physPageSize from AT_PAGESZ" "$(val "$out" pagesize)" "$(printf '%#x' "$(getconf PAGESIZE)")"
check_eq "osinit: ncpu from sched_getaffinity" "$(val "$out" ncpu)" "$(printf '%#x' "$(nproc)")"
check_eq "args: runtime.argc" "$(val "$out" argc)" 0x1
check_eq "args: runtime.argv[0] (gdb runs the absolute path)" "$(val "$out" argv0)" "$(readlink -f "$prog")"

# 4. runtime.main: running as goid 1 on m0, taken from runnext.
out=$(run_gdb -ex "break *'runtime.main'" -ex run \
	-ex 'set $g = *(long*)($fs_base - 8)' \
	-ex 'printf "goid=%#lx\n", *(long*)($g + 152)' \
	-ex 'printf "status=%#lx\n", *(int*)($g + 144)' \
	-ex 'printf "g_m=%#lx\n", *(long*)($g + 48)' \
	-ex "printf \"m0_curg_is_g=%#lx\n\", *(long*)($m0 + 192) == \$g" \
	-ex 'printf "r14_is_g=%#lx\n", $r14 == $g' \
	-ex "printf \"allglen=%#lx\n\", *(long*)$allglen" \
	-ex "printf \"allgs0_is_g=%#lx\n\", **(long**)$(symaddr "$prog" runtime.allgs) == \$g" \
	-ex 'printf "ret_is_goexit1=%#lx\n", *(long*)$rsp' \
	-ex 'printf "startpc=%#lx\n", *(long*)($g + 312)' \
	-ex "printf \"g0_sched_pc=%#lx\n\", *(long*)($g0 + 56 + 8)" \
	-ex "printf \"g0_guard0_off=%#lx\n\", *(long*)($g0 + 16) - *(long*)($g0 + 0)" \
	-ex 'printf "g_guard0_off=%#lx\n", *(long*)($g + 16) - *(long*)($g + 0)' \
	-ex 'printf "stack_size=%#lx\n", *(long*)($g + 8) - *(long*)($g + 0)' \
	-ex 'printf "rsp_align=%#lx\n", ((long)$rsp + 8) & 15' \
	-ex "printf \"runnext=%#lx\n\", *(long*)((*(long**)$allp)[0] + 2456)")
goexit=$(symaddr "$prog" runtime.goexit)
check_eq "main: goid 1" "$(val "$out" goid)" 0x1
check_eq "main: status G_RUNNING" "$(val "$out" status)" 0x2
check_eq "main: g.m = &m0" "$(val "$out" g_m)" "$m0"
check_eq "main: m0.curg = g" "$(val "$out" m0_curg_is_g)" 0x1
check_eq "main: r14 = g" "$(val "$out" r14_is_g)" 0x1
check_eq "main: allglen = 1" "$(val "$out" allglen)" 0x1
check_eq "main: allgs[0] = g" "$(val "$out" allgs0_is_g)" 0x1
check_eq "main: returns to goexit+1" "$(val "$out" ret_is_goexit1)" "$(printf '%#x' $((goexit + 1)))"
check_eq "main: startpc = runtime.main" "$(val "$out" startpc)" "$rtmain"
check_match "main: g0.sched.pc lies in runtime.mstart0" \
	"$(gdb -nx -batch -ex "info symbol $(val "$out" g0_sched_pc)" "$prog" 2>&1)" '^runtime\.mstart0 \+ [0-9]+ in section \.text'
check_eq "main: g0 stackguard0 = lo + 928" "$(val "$out" g0_guard0_off)" 0x3a0
check_eq "main: g stackguard0 = lo + 928" "$(val "$out" g_guard0_off)" 0x3a0
check_eq "main: 2 KiB stack" "$(val "$out" stack_size)" 0x800
check_eq "main: entered with an aligned stack" "$(val "$out" rsp_align)" 0
check_eq "main: runnext consumed" "$(val "$out" runnext)" 0

# 5. main.main: P0 belongs to m0; runtime.main made sysmon's M (m1, first
# on allm, started by clone with CLONE_SETTLS: fs_base = &m1.tls[0] + 8).
out=$(run_gdb -ex "break *'main.main'" -ex run \
	-ex "printf \"p0_m=%#lx\n\", *(long*)((*(long**)$allp)[0] + 56)" \
	-ex "printf \"mainstarted=%#lx\n\", *(unsigned char*)$(symaddr "$prog" runtime.mainStarted)" \
	-ex "printf \"schedtick=%#lx\n\", *(unsigned*)((*(long**)$allp)[0] + 16)" \
	-ex "printf \"m1=%#lx\n\", *(long*)$allm" \
	-ex "printf \"m1_alllink=%#lx\n\", *(long*)(*(long*)$allm + 336)" \
	-ex "printf \"m1_id=%#lx\n\", *(long*)(*(long*)$allm + 232)" \
	-ex "printf \"m1_mstartfn=%#lx\n\", *(long*)(*(long*)$allm + 184)" \
	-ex "printf \"m1_p=%#lx\n\", *(long*)(*(long*)$allm + 208)" \
	-ex "printf \"m1_g0_hi_minus_lo=%#lx\n\", *(long*)(*(long*)*(long*)$allm + 8) - *(long*)*(long*)*(long*)$allm" \
	-ex "printf \"mnext=%#lx\n\", *(long*)($sched + 48)" \
	-ex 'info threads')
check_eq "main.main: allp[0].m = &m0" "$(val "$out" p0_m)" "$m0"
check_eq "main.main: mainStarted" "$(val "$out" mainstarted)" 0x1
check_eq "main.main: schedtick 0 (runtime.main inherited the slice)" "$(val "$out" schedtick)" 0
check_eq "main.main: sysmon's M is first on allm, then m0" "$(val "$out" m1_alllink)" "$m0"
check_eq "main.main: its id is 1" "$(val "$out" m1_id)" 0x1
check_eq "main.main: its mstartfn is runtime.sysmon" "$(val "$out" m1_mstartfn)" "$(symaddr "$prog" runtime.sysmon)"
check_eq "main.main: it holds no P" "$(val "$out" m1_p)" 0
check_eq "main.main: its g0 has an 8 KiB stack" "$(val "$out" m1_g0_hi_minus_lo)" 0x2000
check_eq "main.main: sched.mnext = 2" "$(val "$out" mnext)" 0x2
check_eq "main.main: gdb lists two threads (m0's and sysmon's)" \
	"$(printf '%s\n' "$out" | grep -cE '^[* ] +[0-9]+ +LWP [0-9]+')" 2

# 6. The end: exit_group(0) through runtime.exit.
out=$(run_gdb -ex "break *'runtime.exit'" -ex run -ex 'printf "code=%#lx\n", $rdi' -ex c)
check_eq "exit: runtime.exit(0)" "$(val "$out" code)" 0
check_match "exit: status 0" "$out" 'exited normally'

finish
