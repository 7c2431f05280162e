/* SPDX-License-Identifier: MIT */
/* Helpers shared by the test binaries (libc is fine here). */
#ifndef IOU_TESTUTIL_H
#define IOU_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iou/ring.h>
#include <iou/register.h>

/* Fixed user_data patterns: a failure message shows which one went astray. */
#define UD_NOP(i) (0x4e4f500000000000ULL | (uint64_t)(i))	/* "NOP" */
#define UD_TAG(t, i) (((uint64_t)(t) << 32) | (uint32_t)(i))

/*
 * Create a ring or skip the test: a kernel refusing io_uring (ENOSYS under
 * qemu-user, EPERM under seccomp) or lacking a flag (EINVAL) is not a
 * failure of ours.  Returns 0 on success; on skip it does not return.
 */
int t_ring_init(struct iou_ring *ring, unsigned entries, unsigned flags);
int t_ring_init_params(struct iou_ring *ring, unsigned entries,
		       struct io_uring_params *p);

/* skip() with a printed reason, and the running kernel after it. */
#define t_skip(...)                                                            \
	do {                                                                   \
		print_message("SKIP: " __VA_ARGS__);                           \
		print_message(" [Linux %s]\n", t_kernel_release());             \
		skip();                                                        \
	} while (0)

/* The running kernel's release string (uname -r). */
const char *t_kernel_release(void);

/*
 * Skip unless the running kernel is at least @major.@minor, the minimum
 * kernel that @what's doc block promises.  On that kernel and later the
 * test goes on and checks the feature as usual, so a feature that does
 * not work where its doc block says it should still fails.
 */
#define t_require_kernel(major, minor, what)                                   \
	do {                                                                   \
		if (!t_kernel_at_least(major, minor))                          \
			t_skip("%s needs Linux %d.%d", what, major, minor);    \
	} while (0)

/*
 * The running kernel lacks @what, which came in Linux @major.@minor: skip
 * on an older kernel, fail on that one or later (a promise broken).  Does
 * not return.  Clean up before calling it.
 */
void t_missing(int major, int minor, const char *what);

/*
 * @len bytes of fresh anonymous memory, page aligned, in a mapping of
 * their own: what registered buffers need on every kernel (6.1 refuses
 * memory of a file mapping, or one that spans two mappings, as a static
 * array in .data/.bss can).  Fails the test if mmap(2) does.
 */
void *t_anon(size_t len);
void t_anon_free(void *p, size_t len);

/*
 * T_TEST(fn): a cmocka test.  In the injection suites (built with
 * IOU_FAULT_INJECTION against the hooked library) it has a setup and a
 * teardown that disarm every rule (faultutil.c), so a test failing
 * half-way cannot leave a rule armed for the next one.
 */
#ifdef IOU_FAULT_INJECTION
int t_fault_reset(void **state);
#define T_TEST(fn) cmocka_unit_test_setup_teardown(fn, t_fault_reset, t_fault_reset)
#else
#define T_TEST(fn) cmocka_unit_test(fn)
#endif

/* Queue a NOP with @ud; fails the test if the SQ is full. */
struct io_uring_sqe *t_nop(struct iou_ring *ring, uint64_t ud);

/* One NOP submitted and its CQE (res 0, @ud) reaped. */
void t_nop_roundtrip(struct iou_ring *ring, uint64_t ud);

/* In a forked child: on a failed check, say where and _exit(1). */
#define CHILD_CHECK(cond)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "child: %s:%d: %s\n", __FILE__,        \
				__LINE__, #cond);                              \
			_exit(1);                                              \
		}                                                              \
	} while (0)

/*
 * Skip the test (with the reason printed) unless the running kernel
 * supports IORING_OP_@op according to IORING_REGISTER_PROBE.
 */
void t_require_op(struct iou_ring *ring, unsigned op);

/*
 * Record that IORING_OP_@op ran on the kernel and its result was checked:
 * prints "OPCODE_CHECKED IORING_OP_<NAME>" on stdout, once per opcode per
 * test binary, so coverage can be counted from the test log.
 */
void t_opcode_checked(unsigned op);

/*
 * An SQE with its user_data already set (prep helpers must keep it).
 * Fails the test when the SQ is full.
 */
struct io_uring_sqe *t_sqe(struct iou_ring *ring, uint64_t ud);

/* Submit what is queued; copy out the next CQE (5 s at most); its res. */
int t_next_cqe(struct iou_ring *ring, struct io_uring_cqe *out);

/* Submit; the next CQE must carry @ud; returns its res. */
int t_result_of(struct iou_ring *ring, uint64_t ud);

/* Submit; no CQE may arrive within @ms milliseconds. */
void t_expect_quiet(struct iou_ring *ring, long ms);

/* Open file descriptors of this process right now. */
int t_count_fds(void);

/* Mappings (lines of /proc/self/maps) of this process right now. */
int t_count_maps(void);

/*
 * The path of this test program, to exec it again: argv[0] when it has a
 * slash (as ctest runs it), else /proc/self/exe, which under valgrind or
 * qemu-user names the tool rather than the test.
 */
const char *t_self_exe(void);

/*
 * ThreadSanitizer maps shadow memory beside the program's own mappings, so
 * there mapping counts say nothing about what the library left behind.
 */
#if defined(__SANITIZE_THREAD__)
#define T_MAPS_COUNTABLE 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define T_MAPS_COUNTABLE 0
#endif
#endif
/* Under valgrind (an IOU_VALGRIND build run by it)? */
#ifdef IOU_VALGRIND
#include <valgrind/valgrind.h>
#define T_ON_VALGRIND (RUNNING_ON_VALGRIND != 0)
#else
#define T_ON_VALGRIND 0
#endif

/* Valgrind's own mappings come and go in the same list. */
#if !defined(T_MAPS_COUNTABLE) && defined(IOU_VALGRIND)
#define T_MAPS_COUNTABLE (!T_ON_VALGRIND)
#endif
#ifndef T_MAPS_COUNTABLE
#define T_MAPS_COUNTABLE 1
#endif

/* Monotonic nanoseconds. */
int64_t t_now_ns(void);

/* Is the running kernel at least major.minor? */
int t_kernel_at_least(int major, int minor);

/* A bitmap of seen user_data indexes, to find lost and duplicated CQEs. */
struct t_seen {
	unsigned nr;
	unsigned dups;
	unsigned count;
	unsigned char *bits;
};
void t_seen_init(struct t_seen *s, unsigned nr);
/* Records @idx; counts a duplicate or an out-of-range index as an error. */
void t_seen_mark(struct t_seen *s, uint64_t idx);
void t_seen_free(struct t_seen *s);

/*
 * Every call on an exited ring answers as its doc block says, without
 * touching the memory exit unmapped: -EBADF, 0 or NULL.
 */
void t_check_exited(struct iou_ring *ring);

/*
 * A group setup and teardown sharing one 8-entry ring among a suite's
 * cases (*state; NULL where io_uring is refused), and the ring for a case,
 * which skips when there is none.
 */
int t_ring_group_setup(void **state);
int t_ring_group_teardown(void **state);
struct iou_ring *t_group_ring(void **state);

/* Reap every CQE ready, marking its index in @seen (may be NULL); how many. */
unsigned t_drain(struct iou_ring *ring, struct t_seen *seen);

#endif
