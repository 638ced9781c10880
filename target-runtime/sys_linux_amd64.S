/*
 * sys_linux_amd64.S - raw Linux system calls, as in Go's
 * runtime/sys_linux_amd64.s. SysV arguments in; the kernel's result
 * (a negative errno on failure) out in RAX.
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

	.section .note.GNU-stack, "", @progbits
