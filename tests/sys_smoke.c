/* SPDX-License-Identifier: MIT */
/*
 * The sys/ layer with no libc at all: the raw stubs and typed wrappers on
 * this architecture, natively or under qemu-user.  Built -nostdlib with its
 * own _start; prints "ok - ..." / "not ok - ..." per check through the
 * write stub and exits 0 only if every check passed.
 */
#include <iou/ring.h>

#include "sys.h"
#include "sys/start.h"
#include "sys/syscall.h"

static int failures;

static unsigned long str_len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	iou_syscall3(IOU_NR_write, 1, (long)s, (long)str_len(s));
}

static void check(int ok, const char *what)
{
	say(ok ? "ok - " : "not ok - ");
	say(what);
	say("\n");
	if (!ok)
		failures++;
}

/* The 120-byte params, zeroed by hand: no memset in a -nostdlib program. */
static void zero(void *p, unsigned long n)
{
	volatile unsigned char *b = p;

	while (n--)
		*b++ = 0;
}

static void smoke(void)
{
	static const char line[] = "sys_smoke on " IOU_ARCH_NAME "\n";
	struct io_uring_params p;
	volatile unsigned char *mem;
	unsigned long i, bad = 0;
	long ret;
	int avail;

	ret = iou_syscall3(IOU_NR_write, 1, (long)line, sizeof(line) - 1);
	check(ret == (long)sizeof(line) - 1, "write(1) returns its length");

	ret = iou_syscall0(IOU_NR_getpid);
	check(ret > 0, "getpid() > 0");

	mem = iou__sys_mmap(0, 65536, IOU_PROT_READ | IOU_PROT_WRITE,
			    IOU_MAP_PRIVATE | IOU_MAP_ANONYMOUS, -1, 0);
	check(!iou__is_err((void *)mem), "mmap of 64 KiB anonymous memory");
	if (!iou__is_err((void *)mem)) {
		/* Every byte, through a volatile pointer: no memset. */
		for (i = 0; i < 65536; i++)
			mem[i] = (unsigned char)(i * 7 + 3);
		for (i = 0; i < 65536; i++)
			bad += mem[i] != (unsigned char)(i * 7 + 3);
		check(bad == 0, "the memory is writable and reads back");
		check(iou__sys_munmap((void *)mem, 65536) == 0, "munmap returns 0");
	}

	check(iou__sys_close(-1) == -9, "close(-1) returns -EBADF (-9)");
	check(IOU_SYSCALL_IS_ERR(iou_syscall1(IOU_NR_close, -1)),
	      "a raw error is in -4095..-1");
	check(iou__page_size() >= 4096 &&
		      (iou__page_size() & (iou__page_size() - 1)) == 0,
	      "the page size is a power of two >= 4096");

	zero(&p, sizeof(p));
	ret = iou__sys_io_uring_setup(1, &p);
	if (ret >= 0) {
		check(p.sq_entries == 1, "io_uring_setup gives a ring");
		check(iou__sys_close((int)ret) == 0, "the ring fd closes");
	} else {
		check(ret == -38 || ret == -1,
		      "io_uring_setup answers -ENOSYS (emulator) or -EPERM");
	}
	avail = iou_available();
	check((ret >= 0 && avail == 0) || (ret < 0 && avail == ret),
	      "iou_available() agrees with io_uring_setup");
}

__attribute__((used, noreturn)) void smoke_main(long *sp)
{
	(void)sp;
	smoke();
	iou_syscall1(IOU_NR_exit_group, failures ? 1 : 0);
	__builtin_unreachable();
}

IOU_DEFINE_START(smoke_main);
