/*
 * print.c - a small printf on raw write(2), buffered per call. Goroutine
 * stacks are 2 KiB, so the buffer stays small.
 */
#include "runtime.h"

struct printbuf {
	int fd;
	int32_t n;
	char b[120];
};

static void pb_flush(struct printbuf *pb)
{
	int32_t off = 0;

	while (off < pb->n) {
		intptr_t r = runtime_write1((uintptr_t)pb->fd, pb->b + off, pb->n - off);

		if (r <= 0)
			break;
		off += (int32_t)r;
	}
	pb->n = 0;
}

static void pb_putc(struct printbuf *pb, char c)
{
	if (pb->n == (int32_t)sizeof pb->b)
		pb_flush(pb);
	pb->b[pb->n++] = c;
}

static void pb_puts(struct printbuf *pb, const char *s)
{
	if (s == NULL)
		s = "<nil>";
	while (*s != '\0')
		pb_putc(pb, *s++);
}

static void pb_putu(struct printbuf *pb, uint64_t v, unsigned base)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	while (i > 0)
		pb_putc(pb, tmp[--i]);
}

void runtime_vfdprintf(int fd, const char *fmt, va_list ap)
{
	struct printbuf pb;

	pb.fd = fd;
	pb.n = 0;
	for (; *fmt != '\0'; fmt++) {
		bool wide = false;
		int64_t sv;

		if (*fmt != '%') {
			pb_putc(&pb, *fmt);
			continue;
		}
		fmt++;
		while (*fmt == 'l' || *fmt == 'z') {
			wide = true;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
			sv = wide ? va_arg(ap, int64_t) : va_arg(ap, int32_t);
			if (sv < 0) {
				pb_putc(&pb, '-');
				pb_putu(&pb, -(uint64_t)sv, 10);
			} else {
				pb_putu(&pb, (uint64_t)sv, 10);
			}
			break;
		case 'u':
			pb_putu(&pb, wide ? va_arg(ap, uint64_t) : va_arg(ap, uint32_t), 10);
			break;
		case 'x':
			pb_putu(&pb, wide ? va_arg(ap, uint64_t) : va_arg(ap, uint32_t), 16);
			break;
		case 'p':
			pb_puts(&pb, "0x");
			pb_putu(&pb, (uintptr_t)va_arg(ap, void *), 16);
			break;
		case 's':
			pb_puts(&pb, va_arg(ap, const char *));
			break;
		case 'c':
			pb_putc(&pb, (char)va_arg(ap, int));
			break;
		case '%':
			pb_putc(&pb, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			pb_putc(&pb, '%');
			pb_putc(&pb, *fmt);
			break;
		}
	}
	pb_flush(&pb);
}

void runtime_fdprintf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	runtime_vfdprintf(fd, fmt, ap);
	va_end(ap);
}

void runtime_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	runtime_vfdprintf(1, fmt, ap);
	va_end(ap);
}
