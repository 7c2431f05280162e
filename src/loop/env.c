/* SPDX-License-Identifier: MIT */
/*
 * IOU_BACKEND=uring|epoll, read without a libc: the library has no environ
 * pointer, so it reads /proc/self/environ (a no-libc program's _start gets
 * its environment on the stack, which a library cannot reach).
 */
#include "internal.h"

static int name_is(const char *entry, unsigned len, const char *want)
{
	unsigned i;

	for (i = 0; want[i]; i++)
		if (i >= len || entry[i] != want[i])
			return 0;
	return i == len;
}

int iou__env_backend(void)
{
	static const char key[] = "IOU_BACKEND=";
	char buf[4096];
	unsigned start = 0, i, n = 0, carry;
	long got;
	int fd, ret = IOU_BACKEND_AUTO;

	fd = iou__sys_openat(-100, "/proc/self/environ",
			     IOU_O_RDONLY | IOU_O_CLOEXEC, 0);
	if (fd < 0)
		return IOU_BACKEND_AUTO;
	for (;;) {
		got = iou__sys_read(fd, buf + n, sizeof(buf) - n);
		if (got <= 0)
			break;
		n += (unsigned)got;
		for (i = start; i < n; i++) {
			unsigned len = i - start, k;

			if (buf[i])
				continue;
			for (k = 0; k < sizeof(key) - 1 && k < len; k++)
				if (buf[start + k] != key[k])
					break;
			if (k == sizeof(key) - 1) {
				const char *v = buf + start + k;
				unsigned vlen = len - k;

				if (name_is(v, vlen, "uring"))
					ret = IOU_BACKEND_URING;
				else if (name_is(v, vlen, "epoll"))
					ret = IOU_BACKEND_EPOLL;
			}
			start = i + 1;
		}
		/* Keep the unfinished entry; drop one too long to matter. */
		carry = n - start;
		if (carry == sizeof(buf))
			carry = 0;
		for (i = 0; i < carry; i++)
			buf[i] = buf[start + i];
		n = carry;
		start = 0;
	}
	iou__sys_close(fd);
	return ret;
}
