/* SPDX-License-Identifier: MIT */
/*
 * IOU_BACKEND=uring|epoll|auto, read without a libc.  Where the program
 * has an environ (any C library keeps one, and setenv() changes it; a
 * no-libc program may define its own), that is the environment; the
 * library only refers to it weakly, so it still needs nothing from
 * outside.  Otherwise /proc/self/environ, the environment the process
 * started with.
 */
#include "internal.h"
#include "text.h"

extern char **environ __attribute__((weak));

/* Which backend @v (@len bytes) names: IOU_BACKEND_*, or -EINVAL. */
static int backend_named(const char *v, unsigned len)
{
	static const struct {
		const char *name;
		int backend;
	} names[] = {
		{ "", IOU_BACKEND_AUTO },
		{ "auto", IOU_BACKEND_AUTO },
		{ "uring", IOU_BACKEND_URING },
		{ "io_uring", IOU_BACKEND_URING },
		{ "epoll", IOU_BACKEND_EPOLL },
	};
	unsigned i, k;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (k = 0; k < len && names[i].name[k] == v[k]; k++)
			;
		if (k == len && !names[i].name[k])
			return names[i].backend;
	}
	return -IOU_EINVAL;
}

static const char key[] = "IOU_BACKEND=";
#define KEY_LEN (sizeof(key) - 1)

/* @entry (@len bytes, "NAME=value") sets IOU_BACKEND: its value, or NULL. */
static const char *value_of(const char *entry, unsigned len)
{
	unsigned k;

	if (len < KEY_LEN)
		return 0;
	for (k = 0; k < KEY_LEN; k++)
		if (entry[k] != key[k])
			return 0;
	return entry + KEY_LEN;
}

static unsigned str_len(const char *s)
{
	unsigned n = 0;

	while (s[n])
		n++;
	return n;
}

/* An unknown value is an error of the caller's: say which and why. */
static int refuse(const char *v, unsigned len)
{
	struct iou__line l;

	l.len = 0;
	iou__put(&l, "iou: IOU_BACKEND=\"");
	iou__put_n(&l, v, len);
	iou__put(&l, "\" is not uring, epoll or auto: "
		     "iou_loop_create() fails with -EINVAL\n");
	iou__line_write(2, &l);
	return -IOU_EINVAL;
}

/* The backend the entry @v (@len bytes after "IOU_BACKEND=") names. */
static int value_backend(const char *v, unsigned len)
{
	int backend = backend_named(v, len);

	return backend >= 0 ? backend : refuse(v, len);
}

static int from_environ(char **env)
{
	const char *v;
	unsigned len;

	for (; *env; env++) {
		len = str_len(*env);
		v = value_of(*env, len);
		if (v)
			return value_backend(v, len - KEY_LEN);
	}
	return IOU_BACKEND_AUTO;
}

static int from_proc(void)
{
	char buf[4096];
	unsigned start = 0, i, n = 0, carry, len;
	int fd, ret = IOU_BACKEND_AUTO;
	const char *v;
	long got;

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
			if (buf[i])
				continue;
			len = i - start;
			v = value_of(buf + start, len);
			if (v)
				ret = value_backend(v, len - KEY_LEN);
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

int iou__env_backend(void)
{
	if (&environ && environ)
		return from_environ(environ);
	return from_proc();
}
