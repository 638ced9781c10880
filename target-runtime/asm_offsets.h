/*
 * asm_offsets.h - the one table of struct offsets and constants the
 * assembly uses, spelled as Go's generated go_asm.h spells them
 * (g_sched, gobuf_sp, m_tls ...). Values are Go 1.19's on linux/amd64.
 *
 * Included by the .S files (which also get the FUNC/END macros) and by
 * asm_offsets.c, which checks every offset against the C structs in
 * runtime.h with _Static_assert. Keep it free of C so the assembler can
 * read it; keep it out of other C files so the lower-case names never
 * meet C identifiers.
 */
#ifndef ASM_OFFSETS_H
#define ASM_OFFSETS_H

/* struct stack */
#define stack_lo 0
#define stack_hi 8

/* struct gobuf */
#define gobuf_sp 0
#define gobuf_pc 8
#define gobuf_g 16
#define gobuf_ctxt 24
#define gobuf_ret 32
#define gobuf_lr 40
#define gobuf_bp 48

/* struct g */
#define g_stack 0
#define g_stackguard0 16
#define g_stackguard1 24
#define g_m 48
#define g_sched 56
#define g_atomicstatus 144
#define g_goid 152

/* struct m */
#define m_g0 0
#define m_procid 72
#define m_gsignal 80
#define m_tls 136
#define m_curg 192
#define m_p 208
#define m_id 232

/* struct funcval */
#define funcval_fn 0

/*
 * g0's stack is carved out of the OS stack below rt0_go's frame: Go 1.19's
 * LEAQ (-64*1024+104)(SP), BX (1.21+ uses the whole 64 KiB).
 */
#define G0_STACK_SIZE (64 * 1024 - 104)

/* Linux/amd64 system call numbers and arguments. */
#define SYS_write 1
#define SYS_mmap 9
#define SYS_munmap 11
#define SYS_sched_yield 24
#define SYS_nanosleep 35
#define SYS_clone 56
#define SYS_exit 60
#define SYS_arch_prctl 158
#define SYS_gettid 186
#define SYS_futex 202
#define SYS_sched_getaffinity 204
#define SYS_clock_gettime 228
#define SYS_exit_group 231
#define ARCH_SET_FS 0x1002
#define CLONE_SETTLS_FLAG 0x80000
#define CLOCK_MONOTONIC 1

/* The value rt0_go writes through fs:-8 to test TLS. */
#define TLS_TEST_VALUE 0x123

/* clang-format off */
#ifdef __ASSEMBLER__
/* A global function symbol with its type; END records its size. */
#define FUNC(name)              \
	.globl name;                \
	.type name, @function;      \
	.p2align 4;                 \
name:

#define END(name) .size name, . - name
#endif
/* clang-format on */

#endif
