/*
 * minirt — a purpose-built inferior shaped like Go's entry on linux/amd64:
 * _rt0_amd64_linux → _rt0_amd64 → runtime.rt0_go, which carves g0's stack,
 * runs cpuid, calls runtime.settls, checks fs:-8 with 0x123, wires &g0 into
 * fs:-8, then calls the C half (minirt.c). No libc.
 */
#define G_M 48
#define M_TLS 136

	.text

	.globl _rt0_amd64_linux
	.type _rt0_amd64_linux, @function
_rt0_amd64_linux:
	.cfi_startproc
	jmp _rt0_amd64
	.cfi_endproc
	.size _rt0_amd64_linux, . - _rt0_amd64_linux

	.globl _rt0_amd64
	.type _rt0_amd64, @function
_rt0_amd64:
	.cfi_startproc
	movq 0(%rsp), %rdi
	leaq 8(%rsp), %rsi
	jmp runtime.rt0_go
	.cfi_endproc
	.size _rt0_amd64, . - _rt0_amd64

	.globl runtime.rt0_go
	.type runtime.rt0_go, @function
runtime.rt0_go:
	.cfi_startproc
	.cfi_undefined rip
	movq %rdi, %rax
	movq %rsi, %rbx
	subq $40, %rsp
	andq $-16, %rsp
	movq %rax, 24(%rsp)
	movq %rbx, 32(%rsp)

	/* g0's stack: 64 KiB below the OS stack pointer, stored through a
	 * register holding &g0 (as Go does) */
	leaq runtime.g0(%rip), %rdi
	leaq -65536(%rsp), %rbx
	movq %rbx, 16(%rdi)
	movq %rbx, 24(%rdi)
	movq %rbx, 0(%rdi)
	movq %rsp, 8(%rdi)

	xorl %eax, %eax
	cpuid

	leaq runtime.m0+M_TLS(%rip), %rdi
	call runtime.settls

	movq $0x123, %fs:-8
	movq runtime.m0+M_TLS(%rip), %rax
	cmpq $0x123, %rax
	je 1f
	call runtime.abort
1:
	leaq runtime.g0(%rip), %rcx
	movq %rcx, %fs:-8
	leaq runtime.m0(%rip), %rax
	movq %rcx, 0(%rax)
	movq %rax, G_M(%rcx)
	cld

	call runtime.check
	movl 24(%rsp), %edi
	movq 32(%rsp), %rsi
	call runtime.args
	call foo.abi0
	call bar.abi0
	call main.main
	movl %eax, %edi
	call runtime.exit
	call runtime.abort
	.cfi_endproc
	.size runtime.rt0_go, . - runtime.rt0_go

	/* settls(DI = &m.tls[0]): fs base = DI + 8, so fs:-8 is m.tls[0] */
	.globl runtime.settls
	.type runtime.settls, @function
runtime.settls:
	.cfi_startproc
	addq $8, %rdi
	movq %rdi, %rsi
	movl $0x1002, %edi
	movl $158, %eax
	syscall
	cmpq $-4095, %rax
	jbe 1f
	movl $0xf1, 0xf1
1:
	ret
	.cfi_endproc
	.size runtime.settls, . - runtime.settls

	/* An ABI wrapper next to its real body foo (minirt.c). */
	.globl foo.abi0
	.type foo.abi0, @function
foo.abi0:
	.cfi_startproc
	jmp foo
	.cfi_endproc
	.size foo.abi0, . - foo.abi0

	/* An assembly function known only by its .abi0 name. */
	.globl bar.abi0
	.type bar.abi0, @function
bar.abi0:
	.cfi_startproc
	movl $7, %eax
	ret
	.cfi_endproc
	.size bar.abi0, . - bar.abi0

	.globl runtime.exit
	.type runtime.exit, @function
runtime.exit:
	.cfi_startproc
	movl $231, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.exit, . - runtime.exit

	.globl runtime.write1
	.type runtime.write1, @function
runtime.write1:
	.cfi_startproc
	movl $1, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.write1, . - runtime.write1

	.globl runtime.abort
	.type runtime.abort, @function
runtime.abort:
	.cfi_startproc
	int3
1:
	jmp 1b
	.cfi_endproc
	.size runtime.abort, . - runtime.abort

	.section .note.GNU-stack, "", @progbits
