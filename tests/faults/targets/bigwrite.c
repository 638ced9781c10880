/*
 * bigwrite — writes what `seq 1 N` prints (N = argv[1], default 400000:
 * 2.7 MB, more than a pipe holds) in one write() to stdout, then in one
 * write() to stderr. Static, so `break write` finds libc's write.
 *
 * usage: bigwrite [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int write_all(int fd, const char *buf, size_t n)
{
	ssize_t k = write(fd, buf, n);

	return k == (ssize_t)n ? 0 : 1;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 400000;
	size_t cap = (size_t)n * 21 + 1, len = 0;
	char *buf = malloc(cap);

	if (n < 1 || !buf)
		return 2;
	for (long i = 1; i <= n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%ld\n", i);
	return write_all(1, buf, len) | write_all(2, buf, len);
}
