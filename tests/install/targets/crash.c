/*
 * crash — a libc program that dies of SIGSEGV at a fixed address, so the
 * JSON check sees a signal stop and a "signaled" end.
 */
int main(void)
{
	volatile int *p = (volatile int *)16;

	return *p;
}
