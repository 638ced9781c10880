/*
 * sys_linux_amd64.S - raw Linux system calls, as in Go's
 * runtime/sys_linux_amd64.s: SysV arguments in, the kernel's result (a
 * negative errno on failure) out in RAX. Also clone, which starts a new M
 * with its TLS, and the futex, sleep, clock and yield primitives of the
 * locks and of sysmon.
 */
#include "asm_offsets.h"

	.text

/* write1(fd, p, n int32) intptr */
FUNC(runtime.write1)
	.cfi_startproc
	movl	%edx, %edx
	movl	$SYS_write, %eax
	syscall
	ret
	.cfi_endproc
END(runtime.write1)

/* exit(code int32): exit_group, ending every thread. Does not return. */
FUNC(runtime.exit)
	.cfi_startproc
	movl	$SYS_exit_group, %eax
	syscall
	ret
	.cfi_endproc
END(runtime.exit)

/* mmap(addr, n, prot, flags, fd, off) intptr: the address or -errno. */
FUNC(runtime.mmap)
	.cfi_startproc
	movq	%rcx, %r10		/* the kernel's 4th argument register */
	movl	%r9d, %r9d
	movl	$SYS_mmap, %eax
	syscall
	ret
	.cfi_endproc
END(runtime.mmap)

/* sched_getaffinity(pid, len, buf) int32: bytes written, or -errno. */
FUNC(runtime.sched_getaffinity)
	.cfi_startproc
	movl	$SYS_sched_getaffinity, %eax
	syscall
	ret
	.cfi_endproc
END(runtime.sched_getaffinity)

/*
 * clone(flags DI, stk SI, mp DX, gp CX, fn R8) int32: a new thread whose
 * stack pointer starts at stk. The kernel keeps every register but RAX,
 * RCX and R11, so mp, gp and fn reach the child in R13, R9 and R12. With
 * mp and gp set, CLONE_SETTLS gives the child FS = &mp.tls[0] + 8, so its
 * fs:-8 is mp.tls[0]; the child stores its tid in mp.procid, makes gp its
 * g (fs:-8, R14, gp.m = mp) and calls fn, which must not return (if it
 * does, only that thread exits). The parent gets the tid or -errno.
 */
FUNC(runtime.clone)
	.cfi_startproc
	pushq	%r12
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r12, 0
	pushq	%r13
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r13, 0
	movq	%rdx, %r13		/* mp */
	movq	%rcx, %r9		/* gp */
	movq	%r8, %r12		/* fn */
	xorl	%edx, %edx		/* no parent_tid */
	xorl	%r10d, %r10d		/* no child_tid */
	xorl	%r8d, %r8d		/* no tls */
	testq	%r13, %r13
	jz	1f
	testq	%r9, %r9
	jz	1f
	leaq	(m_tls+8)(%r13), %r8	/* ELF TLS: the g slot is at -8(FS) */
	orl	$CLONE_SETTLS_FLAG, %edi
1:
	movl	$SYS_clone, %eax
	syscall
	testq	%rax, %rax
	jz	2f
	/* The parent (or a failed clone). */
	.cfi_remember_state
	popq	%r13
	.cfi_adjust_cfa_offset -8
	.cfi_restore r13
	popq	%r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore r12
	ret
2:
	/* The child, on stk: its first frame. */
	.cfi_restore_state
	.cfi_undefined rip
	movq	%rsi, %rsp
	xorl	%ebp, %ebp
	testq	%r13, %r13
	jz	3f
	testq	%r9, %r9
	jz	3f
	movl	$SYS_gettid, %eax
	syscall
	movq	%rax, m_procid(%r13)	/* mp.procid = the thread id */
	movq	%r13, g_m(%r9)		/* gp.m = mp */
	movq	%r9, %fs:-8		/* g = gp */
	movq	%r9, %r14
3:
	call	*%r12
4:
	/* fn returned: end this thread only. */
	movl	$111, %edi
	movl	$SYS_exit, %eax
	syscall
	jmp	4b
	.cfi_endproc
END(runtime.clone)

/* futex(addr, op, val, ts, addr2, val3) int32: 0, a count, or -errno. */
FUNC(runtime.futex)
	.cfi_startproc
	movq	%rcx, %r10		/* the kernel's 4th argument register */
	movl	$SYS_futex, %eax
	syscall
	ret
	.cfi_endproc
END(runtime.futex)

/* usleep(usec uint32): nanosleep({usec / 1e6, usec % 1e6 * 1000}). */
FUNC(runtime.usleep)
	.cfi_startproc
	subq	$24, %rsp
	.cfi_adjust_cfa_offset 24
	movl	%edi, %eax
	xorl	%edx, %edx
	movl	$1000000, %ecx
	divl	%ecx			/* eax = seconds, edx = microseconds */
	movq	%rax, 0(%rsp)
	imull	$1000, %edx, %edx
	movq	%rdx, 8(%rsp)
	movq	%rsp, %rdi
	xorl	%esi, %esi
	movl	$SYS_nanosleep, %eax
	syscall
	addq	$24, %rsp
	.cfi_adjust_cfa_offset -24
	ret
	.cfi_endproc
END(runtime.usleep)

/* nanotime1() int64: clock_gettime(CLOCK_MONOTONIC) in nanoseconds. */
FUNC(runtime.nanotime1)
	.cfi_startproc
	subq	$24, %rsp
	.cfi_adjust_cfa_offset 24
	movl	$CLOCK_MONOTONIC, %edi
	movq	%rsp, %rsi
	movl	$SYS_clock_gettime, %eax
	syscall
	movq	0(%rsp), %rax
	imulq	$1000000000, %rax, %rax
	addq	8(%rsp), %rax
	addq	$24, %rsp
	.cfi_adjust_cfa_offset -24
	ret
	.cfi_endproc
END(runtime.nanotime1)

/* gettid() int32 */
FUNC(runtime.gettid)
	.cfi_startproc
	movl	$SYS_gettid, %eax
	syscall
	ret
	.cfi_endproc
END(runtime.gettid)

/* osyield(): sched_yield */
FUNC(runtime.osyield)
	.cfi_startproc
	movl	$SYS_sched_yield, %eax
	syscall
	ret
	.cfi_endproc
END(runtime.osyield)

/* procyield(cycles DI > 0): that many PAUSE hints, spinning on a lock. */
FUNC(runtime.procyield)
	.cfi_startproc
1:
	pause
	subl	$1, %edi
	jnz	1b
	ret
	.cfi_endproc
END(runtime.procyield)

/*
 * syscall.RawSyscall6(trap DI, a1 SI, a2 DX, a3 CX, a4 R8, a5 R9, a6 8(SP))
 * uintptr: the kernel's result (-errno on failure), no scheduler calls.
 */
FUNC(syscall.RawSyscall6)
	.cfi_startproc
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	movq	8(%rsp), %r9
	syscall
	ret
	.cfi_endproc
END(syscall.RawSyscall6)

	.section .note.GNU-stack, "", @progbits
