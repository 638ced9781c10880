#!/usr/bin/env bash
# Every program is a static, libc-free ELF executable entered at
# _rt0_amd64_linux, with Go's symbol names and DWARF for g, m, p, schedt.
# usage: elf.sh PROGRAM...
set -u
. "$(dirname "$0")/lib.sh"
need nm readelf

functions="_rt0_amd64_linux _rt0_amd64 runtime.rt0_go runtime.settls runtime.abort
runtime.gogo runtime.mcall runtime.goexit runtime.mstart
runtime.write1 runtime.exit runtime.mmap runtime.sched_getaffinity
runtime.check runtime.args runtime.sysargs runtime.osinit runtime.getproccount
runtime.schedinit runtime.mcommoninit runtime.procresize runtime.acquirep runtime.pidleput
runtime.newproc runtime.newproc1 runtime.malg runtime.allgadd runtime.gostartcall
runtime.casgstatus runtime.runqput runtime.runqget runtime.globrunqput runtime.globrunqget
runtime.mstart0 runtime.mstart1 runtime.schedule runtime.findRunnable runtime.execute
runtime.gopark runtime.park_m runtime.goready runtime.Gosched runtime.gosched_m
runtime.goexit1 runtime.goexit0 runtime.main runtime.throw main.main
runtime.clone runtime.futex runtime.usleep runtime.nanotime1 runtime.gettid
runtime.osyield runtime.procyield syscall.RawSyscall6 runtime.newosproc runtime.minit
runtime.lock runtime.unlock runtime.notesleep runtime.notewakeup runtime.notetsleep
runtime.newm runtime.allocm runtime.startm runtime.stopm runtime.wakep runtime.handoffp
runtime.mspinning runtime.releasep runtime.pidleget runtime.checkdead runtime.runqempty
runtime.runqsteal runtime.runqgrab runtime.entersyscall runtime.exitsyscall
runtime.exitsyscall0 runtime.sysmon runtime.retake runtime.preemptone runtime.preemptcheck
runtime.gopreempt_m syscall.Syscall syscall.Read syscall.Nanosleep"
data="runtime.g0 runtime.m0 runtime.mainPC runtime.sched runtime.allgs runtime.allglen
runtime.allp runtime.allm runtime.gomaxprocs runtime.ncpu runtime.isIntel
runtime.processorVersionInfo runtime.physPageSize runtime.argc runtime.argv
runtime.mainStarted _cgo_init runtime.wakeIdlePs"

for prog in "$@"; do
	name=$(basename "$prog")
	syms=$(nm "$prog")
	for s in $functions; do
		check_match "$name: function $s" "$syms" " [Tt] ${s//./\\.}\$"
	done
	for s in $data; do
		check_match "$name: data $s" "$syms" " [BbDdRr] ${s//./\\.}\$"
	done
	check_eq "$name: no libc symbols" "$(printf '%s\n' "$syms" | grep -cE ' (__libc_start_main|_start|printf|malloc)$')" 0

	hdr=$(readelf -h "$prog")
	check_match "$name: ELF type" "$hdr" 'Type: +EXEC '
	entry=$(printf '%s\n' "$hdr" | awk '/Entry point address/ { print $4 }')
	check_eq "$name: entry is _rt0_amd64_linux" "$((entry))" "$(($(symaddr "$prog" _rt0_amd64_linux)))"
	phdrs=$(readelf -lW "$prog")
	check_eq "$name: no INTERP program header" "$(printf '%s\n' "$phdrs" | grep -c INTERP)" 0
	check_eq "$name: no DYNAMIC program header" "$(printf '%s\n' "$phdrs" | grep -c DYNAMIC)" 0
	check_eq "$name: no TLS program header" "$(printf '%s\n' "$phdrs" | grep -c ' TLS ')" 0
	check_eq "$name: no dynamic section" "$(readelf -SW "$prog" | grep -cE '\.(dynamic|interp|plt|got\.plt) ')" 0

	# The assembly's layout assumptions, read back from the symbol table.
	check_eq "$name: runtime.g0 size" "$(nm -S "$prog" | awk '$4 == "runtime.g0" { print $2 }')" 0000000000000188
	check_eq "$name: runtime.m0 size" "$(nm -S "$prog" | awk '$4 == "runtime.m0" { print $2 }')" 00000000000003f0

	info=$(readelf --debug-dump=info "$prog" 2>/dev/null)
	for t in g m p schedt gobuf stack funcval gQueue; do
		check_match "$name: DWARF struct $t" "$info" "DW_AT_name +: \(indirect string, offset: 0x[0-9a-f]+\): $t\$|DW_AT_name +: $t\$"
	done
	check_match "$name: DWARF linkage name runtime.allgs" "$info" 'DW_AT_linkage_name.*: runtime\.allgs$'
done

# DWARF field offsets, as a debugger would read them: gdb's ptype /o.
if command -v gdb >/dev/null 2>&1; then
	prog=$1
	ptype() { gdb -nx -batch -ex "set language c" -ex "ptype /o struct $1" "$prog" 2>/dev/null; }
	field_off() { printf '%s\n' "$1" | awk -v f="$2" '{ for (i = 1; i <= NF; i++) if ($i == f ";" || $i == "*" f ";") { gsub(/[^0-9]/, "", $2); print $2; exit } }'; }
	pg=$(ptype g); pm=$(ptype m); pp=$(ptype p); ps=$(ptype schedt)
	check_eq "DWARF g.goid" "$(field_off "$pg" goid)" 152
	check_eq "DWARF g.atomicstatus" "$(field_off "$pg" atomicstatus)" 144
	check_eq "DWARF g.sched.sp" "$(field_off "$pg" sp)" 56
	check_eq "DWARF g.m" "$(field_off "$pg" m)" 48
	check_eq "DWARF g.schedlink" "$(field_off "$pg" schedlink)" 160
	check_eq "DWARF g.startpc" "$(field_off "$pg" startpc)" 312
	check_eq "DWARF m.tls" "$(field_off "$pm" 'tls[6]')" 136
	check_eq "DWARF m.curg" "$(field_off "$pm" curg)" 192
	check_eq "DWARF m.alllink" "$(field_off "$pm" alllink)" 336
	check_eq "DWARF p.runqhead" "$(field_off "$pp" runqhead)" 400
	check_eq "DWARF p.runq" "$(field_off "$pp" 'runq[256]')" 408
	check_eq "DWARF p.runnext" "$(field_off "$pp" runnext)" 2456
	check_eq "DWARF schedt.runqsize" "$(field_off "$ps" runqsize)" 112
	check_eq "DWARF schedt.npidle" "$(field_off "$ps" npidle)" 88
	check_match "DWARF g size" "$pg" 'total size \(bytes\): +392'
	check_match "DWARF m size" "$pm" 'total size \(bytes\): +1008'
fi

finish
