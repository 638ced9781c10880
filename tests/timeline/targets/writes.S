/*
 * writes — a static program without libc that writes memory every way the
 * timeline must see: plain, rip-relative, indexed and %fs-relative stores,
 * rep stos/movs both ways, SSE stores, lock cmpxchg/xadd, xchg, push and
 * pop to memory, call/ret, read-modify-write instructions, a stack that
 * grows, system calls that fill buffers, mmap, and madvise dropping a page.
 */
	.set SYS_mmap, 9
	.set SYS_madvise, 28
	.set SYS_rt_sigaction, 13
	.set SYS_uname, 63
	.set SYS_arch_prctl, 158
	.set SYS_sched_getaffinity, 204
	.set SYS_clock_gettime, 228
	.set SYS_exit_group, 231
	.set SYS_getrandom, 318

	.text
	.globl	_start
	.type	_start, @function
_start:
	/* rep stos, forward: 16 quadwords */
	leaq	buf(%rip), %rdi
	movabsq	$0x1122334455667788, %rax
	movl	$16, %ecx
	cld
	rep stosq
	/* rep movs: 40 bytes */
	leaq	buf(%rip), %rsi
	leaq	buf2(%rip), %rdi
	movl	$40, %ecx
	rep movsb
	/* rep stos, backward */
	std
	leaq	buf2+63(%rip), %rdi
	movl	$8, %ecx
	movb	$0x5a, %al
	rep stosb
	cld
	/* single string stores */
	leaq	buf2+80(%rip), %rdi
	stosl
	/* SSE stores */
	pcmpeqd	%xmm0, %xmm0
	movups	%xmm0, buf+8(%rip)
	movq	%xmm0, buf2+100(%rip)
	/* atomics */
	movabsq	$0x1122334455667788, %rax
	movl	$7, %edx
	lock cmpxchgq %rdx, buf(%rip)
	movl	$5, %eax
	lock xaddq %rax, buf+16(%rip)
	xchgq	%rax, buf+24(%rip)
	/* push and pop through memory */
	pushq	buf(%rip)
	popq	buf+32(%rip)
	pushq	$0x1234
	popq	%rax
	/* read-modify-write */
	incq	buf+40(%rip)
	negl	buf+48(%rip)
	cmpq	$0, buf+40(%rip)
	setne	buf+56(%rip)
	btsq	$3, buf+64(%rip)
	leaq	buf(%rip), %rbx
	movl	$9, %ecx
	movw	$0x7777, 2(%rbx,%rcx,8)
	addq	%rax, (%rsp)
	call	leaf
	/* a stack that grows: 256 KiB below */
	subq	$0x40000, %rsp
	movq	$1, (%rsp)
	addq	$0x40000, %rsp
	/* %fs-relative stores */
	movl	$SYS_arch_prctl, %eax
	movl	$0x1002, %edi		/* ARCH_SET_FS */
	leaq	tls+64(%rip), %rsi
	syscall
	movq	$42, %fs:-8
	movl	$SYS_arch_prctl, %eax
	movl	$0x1003, %edi		/* ARCH_GET_FS */
	leaq	outfs(%rip), %rsi
	syscall
	/* system calls that fill buffers */
	movl	$SYS_clock_gettime, %eax
	movl	$1, %edi		/* CLOCK_MONOTONIC */
	leaq	ts(%rip), %rsi
	syscall
	movl	$SYS_getrandom, %eax
	leaq	rnd(%rip), %rdi
	movl	$16, %esi
	xorl	%edx, %edx
	syscall
	movl	$SYS_uname, %eax
	leaq	uts(%rip), %rdi
	syscall
	movl	$SYS_sched_getaffinity, %eax
	xorl	%edi, %edi
	movl	$128, %esi
	leaq	mask(%rip), %rdx
	syscall
	movl	$SYS_rt_sigaction, %eax
	movl	$10, %edi		/* SIGUSR1 */
	xorl	%esi, %esi
	leaq	oact(%rip), %rdx
	movl	$8, %r10d
	syscall
	/* a fresh mapping, written, then one page dropped */
	movl	$SYS_mmap, %eax
	xorl	%edi, %edi
	movl	$8192, %esi
	movl	$3, %edx		/* PROT_READ|PROT_WRITE */
	movl	$0x22, %r10d		/* MAP_PRIVATE|MAP_ANONYMOUS */
	movq	$-1, %r8
	xorl	%r9d, %r9d
	syscall
	movq	%rax, %rbx
	movq	$1, (%rbx)
	movq	$2, 4096(%rbx)
	movl	$SYS_madvise, %eax
	leaq	4096(%rbx), %rdi
	movl	$4096, %esi
	movl	$4, %edx		/* MADV_DONTNEED */
	syscall
	movq	$3, 8(%rbx)
	movl	$SYS_exit_group, %eax
	xorl	%edi, %edi
	syscall
	.size	_start, .-_start

	.type	leaf, @function
leaf:
	pushq	%rbp
	movq	%rsp, %rbp
	movb	$1, -1(%rbp)
	movq	$-1, -16(%rbp)
	popq	%rbp
	ret
	.size	leaf, .-leaf

	.bss
	.align	64
buf:	.zero	256
buf2:	.zero	256
tls:	.zero	128
	.globl	ts, rnd
	.type	ts, @object
	.size	ts, 16
ts:	.zero	16
	.type	rnd, @object
	.size	rnd, 16
rnd:	.zero	16
uts:	.zero	400
mask:	.zero	128
oact:	.zero	32
outfs:	.zero	8
	.section .note.GNU-stack,"",@progbits
