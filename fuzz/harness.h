/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the harnesses that run against the real kernel: a
 * trap that libFuzzer reports as a crash, a cursor over the input, and
 * the leak checks (open fds, mappings) taken around each input.
 *
 * The leak checks read /proc with plain syscalls into static buffers and
 * allocate nothing, so a malloc arena growing between the two readings
 * cannot look like a leak.
 */
#ifndef IOU_FUZZ_HARNESS_H
#define IOU_FUZZ_HARNESS_H

#include "sys.h"	/* iou__alloc_live() */

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * A violated invariant: say which (the traps of one function may be
 * merged into one instruction, so the debugger's line can be wrong), then
 * trap, which libFuzzer reports as a crash.
 */
__attribute__((noreturn, noinline, cold)) static void
check_failed(const char *file, int line, const char *what)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "%s:%d: CHECK(%s) failed\n", file,
			 line, what);

	if (n > 0) {
		ssize_t w = write(2, msg, (size_t)n < sizeof(msg) ?
						  (size_t)n : sizeof(msg) - 1);
		(void)w;
	}
	__builtin_trap();
}

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			check_failed(__FILE__, __LINE__, #c);                  \
	} while (0)

/* The input, consumed front to back; past its end every read is 0. */
struct cursor {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t take8(struct cursor *c)
{
	uint8_t v;

	if (!c->n)
		return 0;
	v = *c->p++;
	c->n--;
	return v;
}

static inline uint16_t take16(struct cursor *c)
{
	return (uint16_t)(take8(c) | take8(c) << 8);
}

static inline uint32_t take32(struct cursor *c)
{
	return (uint32_t)take16(c) | (uint32_t)take16(c) << 16;
}

/* Open fds of this process, the one used to count them excluded. */
static inline int fd_count(void)
{
	static char buf[8192];
	int fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int n = 0;
	long got, off;

	if (fd < 0)
		return -1;
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < got;) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			unsigned short reclen;
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (name[0] != '.')
				n++;
			off += reclen;
		}
	}
	close(fd);
	return n - 1;
}

struct maps {
	int lines;	/* mappings */
	int uring;	/* of which io_uring's (rings, SQEs, buffer rings) */
};

/* /proc/self/maps into @buf (NUL-terminated); its length. */
static inline size_t maps_read(char *buf, size_t size)
{
	size_t len = 0;
	long got;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while (len < size - 1 &&
	       (got = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)got;
	close(fd);
	buf[len] = 0;
	return len;
}

static inline struct maps maps_count_in(const char *buf)
{
	struct maps m = { 0, 0 };
	const char *p, *end;

	for (p = buf; *p; p = end + 1) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		m.lines++;
		if (memmem(p, (size_t)(end - p), "io_uring", 8))
			m.uring++;
		if (!*end)
			break;
	}
	return m;
}

/* What was open and mapped before an input, to compare after it. */
struct leak_mark {
	int fds;
	long allocs;	/* iou__alloc_live() */
	long map_bytes;	/* iou__map_bytes_live() */
	struct maps maps;
};

static char leak_maps_before[1 << 20], leak_maps_now[1 << 20];

static inline void leak_mark(struct leak_mark *m)
{
	m->fds = fd_count();
	m->allocs = iou__alloc_live();
	m->map_bytes = iou__map_bytes_live();
	maps_read(leak_maps_before, sizeof(leak_maps_before));
	m->maps = maps_count_in(leak_maps_before);
}

/* The mappings that are new since leak_mark(), on stderr. */
static inline void leak_report_maps(void)
{
	const char *p, *end;
	char line[512];
	size_t n;

	fprintf(stderr, "mappings not there before the input:\n");
	for (p = leak_maps_now; *p; p = end + 1) {
		end = strchr(p, '\n');
		if (!end)
			break;
		n = (size_t)(end - p) < sizeof(line) - 1 ? (size_t)(end - p) :
							   sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = 0;
		if (!strstr(leak_maps_before, line))
			fprintf(stderr, "  %s\n", line);
	}
}

/*
 * Nothing the input opened, mapped or had the library allocate is left.
 * The number of lines in /proc/self/maps is no measure: the sanitizers'
 * allocators map memory of their own between inputs.  What the library
 * mapped is counted in its syscall layer, the kernel's ring mappings by
 * their name.
 */
static inline void leak_check(const struct leak_mark *m)
{
	struct maps now;
	long bytes = iou__map_bytes_live();

	CHECK(fd_count() == m->fds);
	CHECK(iou__alloc_live() == m->allocs);
	maps_read(leak_maps_now, sizeof(leak_maps_now));
	now = maps_count_in(leak_maps_now);
	if (now.uring != m->maps.uring || bytes != m->map_bytes) {
		fprintf(stderr, "library mappings: %ld bytes before, %ld after\n",
			m->map_bytes, bytes);
		leak_report_maps();
	}
	CHECK(now.uring == m->maps.uring);
	CHECK(bytes == m->map_bytes);
}

#endif
