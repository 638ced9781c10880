/*
 * deadlock - main parks with nothing else runnable (Go's `select {}` with
 * no other goroutine), so the scheduler finds no work and throws
 * "all goroutines are asleep - deadlock!" (exit status 2).
 */
#include "runtime.h"

void main_main(void)
{
	runtime_printf("main: parking forever\n");
	runtime_gopark(NULL, NULL, waitReasonSelectNoCases);
	runtime_printf("main: unreachable\n");
}
