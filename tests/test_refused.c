/* SPDX-License-Identifier: MIT */
/*
 * Hosts that refuse io_uring: a seccomp filter answering EPERM (Docker's
 * default profile) or ENOSYS (qemu-user, old kernels), and the
 * kernel.io_uring_disabled sysctl.  The checks run in forked children so
 * the filter never reaches the test runner.
 */
#include "deny_uring.h"
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* In the child: every way in reports @err, and nothing leaks. */
static void expect_refused(int err)
{
	struct io_uring_params p;
	struct iou_ring ring;
	int fds = t_count_fds();

	CHILD_CHECK(iou_available() == -err);
	CHILD_CHECK(iou_ring_init(&ring, 8, 0) == -err);
	CHILD_CHECK(ring.ring_fd == -1);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	CHILD_CHECK(iou_ring_init_params(&ring, 8, &p) == -err);
	/* Exiting a ring that never came up is harmless. */
	iou_ring_exit(&ring);
	CHILD_CHECK(t_count_fds() == fds);
}

/* Run fn(arg) in a child; its exit code (-1: did not exit normally). */
static int child_status(void (*fn)(int), int arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#define NO_SECCOMP 77	/* the child's exit code: no seccomp filters here */

static void seccomp_child(int err)
{
	if (t_deny_io_uring_setup(err) != 0)
		_exit(NO_SECCOMP);	/* qemu-user refuses them: EINVAL */
	expect_refused(err);
}

static void run_seccomp_child(int err)
{
	int status = child_status(seccomp_child, err);

	if (status == NO_SECCOMP)
		t_skip("seccomp filters are not available here");
	assert_int_equal(status, 0);
}

static void test_refused_seccomp_eperm(void **state)
{
	(void)state;
	run_seccomp_child(EPERM);
}

static void test_refused_seccomp_enosys(void **state)
{
	(void)state;
	run_seccomp_child(ENOSYS);
}

/* The availability probe creates nothing, so it cannot leak. */
static void test_refused_available_no_leak(void **state)
{
	int fds = t_count_fds(), i;

	(void)state;
	for (i = 0; i < 100; i++)
		iou_available();
	assert_int_equal(t_count_fds(), fds);
}

static int read_sysctl(const char *path)
{
	char buf[16] = { 0 };
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) <= 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return buf[0] - '0';
}

static int write_sysctl(const char *path, int v)
{
	char c = (char)('0' + v);
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, &c, 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

static void disabled_child(int err)
{
	expect_refused(err);
}

/* kernel.io_uring_disabled = 2: io_uring_setup answers EPERM to everyone. */
static void test_refused_sysctl_disabled(void **state)
{
	static const char path[] = "/proc/sys/kernel/io_uring_disabled";
	int old = read_sysctl(path), status;

	(void)state;
	if (old < 0)
		t_skip("no %s on this kernel (needs Linux 6.6)", path);
	if (iou_available() != 0)
		t_skip("io_uring unavailable here (%d): nothing to disable",
		       iou_available());
	if (old != 0)
		t_skip("io_uring already disabled here (%d)", old);
	if (write_sysctl(path, 2))
		t_skip("cannot write %s (not root?)", path);
	/* Restore before judging: a failed assert must not leave it set. */
	status = child_status(disabled_child, EPERM);
	assert_int_equal(write_sysctl(path, old), 0);
	assert_int_equal(status, 0);
	assert_int_equal(read_sysctl(path), old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_refused_seccomp_eperm),
		T_TEST(test_refused_seccomp_enosys),
		T_TEST(test_refused_available_no_leak),
		T_TEST(test_refused_sysctl_disabled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
