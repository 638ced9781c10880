/*
 * asm_amd64.S - the parts of the runtime C cannot express: the process
 * entry and rt0_go (Go's boot sequence, in Go's order), goroutine switching
 * (gogo, mcall), the goexit trampoline, settls and abort.
 * Modelled on Go 1.19's runtime/asm_amd64.s and rt0_linux_amd64.s.
 *
 * Offsets come from asm_offsets.h. C functions called from here follow the
 * SysV ABI: arguments in RDI, RSI, ...; RSP is 16-byte aligned at each call.
 * g is kept at %fs:-8 (the TLS slot m.tls[0]) and mirrored in R14, which
 * gogo, mcall and the ABI wrappers write (rt0_go does not, as in Go).
 */
#include "asm_offsets.h"

	.text

/*
 * The ELF entry point. The kernel leaves RSP pointing at argc, then
 * argv[], NULL, envp[], NULL, auxv. FS base is 0.
 */
FUNC(_rt0_amd64_linux)
	.cfi_startproc
	.cfi_undefined rip
	jmp	_rt0_amd64
	.cfi_endproc
END(_rt0_amd64_linux)

/* argc into DI, argv into SI, and on to rt0_go (a jump: nothing returns). */
FUNC(_rt0_amd64)
	.cfi_startproc
	.cfi_undefined rip
	movq	0(%rsp), %rdi		/* argc */
	leaq	8(%rsp), %rsi		/* argv */
	jmp	runtime.rt0_go
	.cfi_endproc
END(_rt0_amd64)

/*
 * rt0_go(argc DI, argv SI): builds g0 and m0, installs TLS, initialises the
 * runtime, queues runtime.main as the first goroutine and starts the
 * scheduler. The top frame: it never returns.
 */
FUNC(runtime.rt0_go)
	.cfi_startproc
	.cfi_undefined rip
	/* Copy the arguments forward on an even stack: 3 args, 2 autos. */
	movq	%rdi, %rax		/* argc */
	movq	%rsi, %rbx		/* argv */
	subq	$(5*8), %rsp
	andq	$~15, %rsp
	movq	%rax, 24(%rsp)
	movq	%rbx, 32(%rsp)

	/* g0's stack is a window of the OS stack we are on. */
	leaq	(-G0_STACK_SIZE)(%rsp), %rbx
	movq	%rbx, runtime.g0+g_stackguard0(%rip)
	movq	%rbx, runtime.g0+g_stackguard1(%rip)
	movq	%rbx, runtime.g0+g_stack+stack_lo(%rip)
	movq	%rsp, runtime.g0+g_stack+stack_hi(%rip)

	/* Find out which processor we are on. */
	movl	$0, %eax
	cpuid
	cmpl	$0, %eax
	je	.Lnocpuinfo

	cmpl	$0x756E6547, %ebx	/* "Genu" */
	jne	.Lnotintel
	cmpl	$0x49656E69, %edx	/* "ineI" */
	jne	.Lnotintel
	cmpl	$0x6C65746E, %ecx	/* "ntel" */
	jne	.Lnotintel
	movb	$1, runtime.isIntel(%rip)

.Lnotintel:
	/* CPUID leaf 1: family, model, stepping. */
	movl	$1, %eax
	cpuid
	movl	%eax, runtime.processorVersionInfo(%rip)

.Lnocpuinfo:
	/* With cgo, _cgo_init would set up TLS; a pure binary has none. */
	movq	_cgo_init(%rip), %rax
	testq	%rax, %rax
	jz	.Lneedtls
	call	runtime.abort		/* no cgo in this runtime */

.Lneedtls:
	leaq	runtime.m0+m_tls(%rip), %rdi
	call	runtime.settls

	/* Store through it, to make sure it works. */
	movq	$TLS_TEST_VALUE, %fs:-8
	movq	runtime.m0+m_tls(%rip), %rax
	cmpq	$TLS_TEST_VALUE, %rax
	je	.Lok
	call	runtime.abort

.Lok:
	/* Set the per-goroutine and per-mach "registers". */
	leaq	runtime.g0(%rip), %rcx
	movq	%rcx, %fs:-8		/* g = &g0 */
	leaq	runtime.m0(%rip), %rax
	movq	%rcx, m_g0(%rax)	/* m0.g0 = &g0 */
	movq	%rax, g_m(%rcx)		/* g0.m = &m0 */

	cld				/* the direction flag is always left clear */

	/*
	 * From here on rt0_go calls the runtime's compiled functions through
	 * their ABI wrappers (NAME.abi0), which load R14 from %fs:-8 as
	 * Go's ABI0-to-ABIInternal wrappers do. Arguments go on the stack.
	 */
	call	runtime.check.abi0

	movl	24(%rsp), %eax		/* copy argc */
	movl	%eax, 0(%rsp)
	movq	32(%rsp), %rax		/* copy argv */
	movq	%rax, 8(%rsp)
	call	runtime.args.abi0
	call	runtime.osinit.abi0
	call	runtime.schedinit.abi0

	/* Create a new goroutine to start the program: newproc(&mainPC). */
	leaq	runtime.mainPC(%rip), %rax
	pushq	%rax
	call	runtime.newproc.abi0
	popq	%rax

	/* Start this M. */
	call	runtime.mstart

	call	runtime.abort		/* mstart should never return */
	ret
	.cfi_endproc
END(runtime.rt0_go)

/*
 * mstart: the root of every M's g0 stack; calls mstart0, which never
 * returns. Marked as the top frame.
 */
FUNC(runtime.mstart)
	.cfi_startproc
	.cfi_undefined rip
	subq	$8, %rsp		/* the call below must see RSP % 16 == 0 */
	call	runtime.mstart0.abi0
	addq	$8, %rsp
	ret				/* not reached */
	.cfi_endproc
END(runtime.mstart)

/*
 * gogo(buf DI): restore the goroutine in *buf and jump to buf->pc.
 * Must not return. Clears the consumed gobuf fields, as Go does.
 */
FUNC(runtime.gogo)
	.cfi_startproc
	movq	%rdi, %rbx		/* gobuf */
	movq	gobuf_g(%rbx), %rdx
	movq	0(%rdx), %rcx		/* make sure g != nil */
	movq	%rdx, %fs:-8		/* g = buf->g */
	movq	%rdx, %r14
	movq	gobuf_sp(%rbx), %rsp	/* restore SP */
	.cfi_undefined rip
	movq	gobuf_ret(%rbx), %rax
	movq	gobuf_ctxt(%rbx), %rdx
	movq	%rdx, %rdi		/* a C body receives its funcval as arg 0 */
	movq	gobuf_bp(%rbx), %rbp
	movq	$0, gobuf_sp(%rbx)	/* clear, as Go does for the GC */
	movq	$0, gobuf_ret(%rbx)
	movq	$0, gobuf_ctxt(%rbx)
	movq	$0, gobuf_bp(%rbx)
	movq	gobuf_pc(%rbx), %rbx
	jmp	*%rbx
	.cfi_endproc
END(runtime.gogo)

/*
 * mcall(fn DI): switch from the current goroutine g to g0 and call fn(g).
 * Saves the caller's pc, sp and bp in g.sched so that gogo(&g.sched)
 * later resumes g as if mcall had returned. fn must not return: it
 * ends in gogo or schedule (badmcall2 otherwise). Calling mcall on g0 is
 * an error (badmcall).
 */
FUNC(runtime.mcall)
	.cfi_startproc
	movq	%fs:-8, %rax		/* g */
	movq	0(%rsp), %rbx		/* caller's pc */
	movq	%rbx, g_sched+gobuf_pc(%rax)
	leaq	8(%rsp), %rbx		/* caller's sp */
	movq	%rbx, g_sched+gobuf_sp(%rax)
	movq	%rbp, g_sched+gobuf_bp(%rax)

	/* Switch to m->g0 and its stack, call fn. */
	movq	g_m(%rax), %rbx
	movq	m_g0(%rbx), %rsi	/* g0 */
	cmpq	%rsi, %rax		/* if g == m->g0 call badmcall */
	jne	.Lgoodm
	jmp	runtime.badmcall
.Lgoodm:
	movq	%rsi, %fs:-8		/* g = g0 */
	movq	%rsi, %r14
	movq	g_sched+gobuf_sp(%rsi), %rsp	/* sp = g0.sched.sp */
	/* From here the caller's frame is on another stack: stop unwinding. */
	.cfi_undefined rip
	xorl	%ebp, %ebp
	movq	%rdi, %r12		/* fn */
	movq	%rax, %rdi		/* arg 0: the g we left */
	call	*%r12
	movq	%r12, %rdi
	jmp	runtime.badmcall2
	.cfi_endproc
END(runtime.mcall)

/*
 * goexit: the return address newproc fakes into every goroutine's first
 * frame is goexit+1 (just past the nop, so the pc still lies inside
 * goexit). A goroutine's function returns here and the goroutine ends.
 */
FUNC(runtime.goexit)
	.cfi_startproc
	.cfi_undefined rip
	nop
	call	runtime.goexit1		/* does not return */
	nop				/* traceback from goexit1 must hit code range of goexit */
	.cfi_endproc
END(runtime.goexit)

/*
 * settls(DI = &m.tls[0]): point FS at DI + 8 so that %fs:-8 is m.tls[0],
 * the slot ELF's TLS model gives the first 8-byte variable.
 */
FUNC(runtime.settls)
	.cfi_startproc
	/* Go's frame for TEXT runtime·settls(SB),NOSPLIT,$32: 32 bytes of
	 * locals and the saved BP. */
	subq	$40, %rsp
	.cfi_adjust_cfa_offset 40
	movq	%rbp, 32(%rsp)
	.cfi_offset rbp, -16
	leaq	32(%rsp), %rbp
	addq	$8, %rdi		/* ELF wants to use -8(FS) */
	movq	%rdi, %rsi
	movq	$ARCH_SET_FS, %rdi
	movq	$SYS_arch_prctl, %rax
	syscall
	cmpq	$0xfffffffffffff001, %rax
	jbe	1f
	movl	$0xf1, 0xf1		/* crash */
1:
	movq	32(%rsp), %rbp
	addq	$40, %rsp
	.cfi_adjust_cfa_offset -40
	ret
	.cfi_endproc
END(runtime.settls)

/*
 * The ABI wrappers rt0_go and mstart call: as Go's linker-made
 * ABI0-to-ABIInternal wrappers, each sets the g register (R14) from TLS
 * and enters the compiled body; args and newproc take their arguments
 * from the caller's stack into Go's argument registers (AX, BX) and, for
 * the C body, into RDI and RSI. (Go's wrappers also zero X15; this
 * runtime uses no SSE registers.)
 */
#define ABI0_JMP(name)				\
FUNC(name.abi0);				\
	.cfi_startproc;				\
	movq	%fs:-8, %r14;			\
	jmp	name;				\
	.cfi_endproc;				\
END(name.abi0)

ABI0_JMP(runtime.check)
ABI0_JMP(runtime.osinit)
ABI0_JMP(runtime.schedinit)
ABI0_JMP(runtime.mstart0)

/* args(argc int32, argv **byte) */
FUNC(runtime.args.abi0)
	.cfi_startproc
	subq	$24, %rsp
	.cfi_adjust_cfa_offset 24
	movq	%rbp, 16(%rsp)
	.cfi_offset rbp, -16
	leaq	16(%rsp), %rbp
	movl	32(%rsp), %eax		/* argc */
	movq	40(%rsp), %rbx		/* argv */
	movl	%eax, %edi
	movq	%rbx, %rsi
	movq	%fs:-8, %r14
	call	runtime.args
	movq	16(%rsp), %rbp
	addq	$24, %rsp
	.cfi_adjust_cfa_offset -24
	ret
	.cfi_endproc
END(runtime.args.abi0)

/* newproc(fn *funcval) */
FUNC(runtime.newproc.abi0)
	.cfi_startproc
	subq	$16, %rsp
	.cfi_adjust_cfa_offset 16
	movq	%rbp, 8(%rsp)
	.cfi_offset rbp, -16
	leaq	8(%rsp), %rbp
	movq	24(%rsp), %rax		/* fn */
	movq	%rax, %rdi
	movq	%fs:-8, %r14
	call	runtime.newproc
	movq	8(%rsp), %rbp
	addq	$16, %rsp
	.cfi_adjust_cfa_offset -16
	ret
	.cfi_endproc
END(runtime.newproc.abi0)

/* abort: trap (SIGTRAP), and never return. */
FUNC(runtime.abort)
	.cfi_startproc
	int3
1:
	jmp	1b
	.cfi_endproc
END(runtime.abort)

	.section .note.GNU-stack, "", @progbits
