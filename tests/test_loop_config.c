/* SPDX-License-Identifier: MIT */
/*
 * How a loop is configured: options that are not understood are refused,
 * and IOU_BACKEND is read as the program's environment stands when
 * iou_loop_create() runs (setenv() counts), an unknown value being an
 * error that says so on stderr.
 */
#include "testutil.h"

#include <iou/loop.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* iou_loop_create() with @o under IOU_BACKEND=@env (NULL: unset). */
static int create_with(const char *env, const struct iou_loop_opts *o,
		       int *backend)
{
	struct iou_loop *loop;
	int ret;

	if (env)
		setenv("IOU_BACKEND", env, 1);
	else
		unsetenv("IOU_BACKEND");
	ret = iou_loop_create(&loop, o);
	if (!ret) {
		*backend = iou_loop_backend(loop);
		iou_loop_destroy(loop);
	}
	return ret;
}

static void test_loop_config_unknown_options_refused(void **state)
{
	struct iou_loop_opts o;
	struct iou_loop *loop = (struct iou_loop *)&o;
	unsigned i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.flags = 1U << 31;
	assert_int_equal(iou_loop_create(&loop, &o), -EINVAL);
	assert_null(loop);
	o.flags = 1U << 4;
	assert_int_equal(iou_loop_create(&loop, &o), -EINVAL);
	for (i = 0; i < sizeof(o.resv) / sizeof(o.resv[0]); i++) {
		memset(&o, 0, sizeof(o));
		o.resv[i] = 1;
		assert_int_equal(iou_loop_create(&loop, &o), -EINVAL);
	}
	memset(&o, 0, sizeof(o));
	o.backend = 3;
	assert_int_equal(iou_loop_create(&loop, &o), -EINVAL);
	/* Every known flag is taken. */
	memset(&o, 0, sizeof(o));
	o.backend = IOU_BACKEND_EPOLL;
	o.flags = IOU_LOOP_NO_FALLBACK | IOU_LOOP_NO_ENV |
		  IOU_LOOP_KEEP_ALIVE | IOU_LOOP_TRACK_WAITS;
	assert_int_equal(iou_loop_create(&loop, &o), 0);
	iou_loop_destroy(loop);
}

static void test_loop_config_setenv_is_seen(void **state)
{
	int backend = -1, ret;

	(void)state;
	assert_int_equal(create_with("epoll", NULL, &backend), 0);
	assert_int_equal(backend, IOU_BACKEND_EPOLL);
	ret = create_with("uring", NULL, &backend);
	if (ret == -ENOSYS || ret == -EPERM) {
		unsetenv("IOU_BACKEND");
		t_skip("io_uring refused (%s)", strerror(-ret));
	}
	assert_int_equal(ret, 0);
	assert_int_equal(backend, IOU_BACKEND_URING);
	assert_int_equal(create_with("io_uring", NULL, &backend), 0);
	assert_int_equal(backend, IOU_BACKEND_URING);
	/* auto, empty and unset: io_uring here, where the kernel has it. */
	assert_int_equal(create_with("auto", NULL, &backend), 0);
	assert_int_equal(backend, IOU_BACKEND_URING);
	assert_int_equal(create_with("", NULL, &backend), 0);
	assert_int_equal(backend, IOU_BACKEND_URING);
	assert_int_equal(create_with(NULL, NULL, &backend), 0);
	assert_int_equal(backend, IOU_BACKEND_URING);
}

static void test_loop_config_unknown_backend_is_an_error(void **state)
{
	struct iou_loop_opts o = { .flags = IOU_LOOP_NO_ENV };
	int err[2], saved, backend = -1, ret;
	char msg[512] = "";
	ssize_t n;

	(void)state;
	/* What the library says on stderr, caught in a pipe. */
	assert_int_equal(pipe2(err, O_NONBLOCK), 0);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_int_equal(dup2(err[1], 2), 2);
	ret = create_with("bogus", NULL, &backend);
	dup2(saved, 2);
	close(saved);
	n = read(err[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = 0;
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(msg, "IOU_BACKEND=\"bogus\""));
	assert_non_null(strstr(msg, "-EINVAL"));
	/* Not read at all with IOU_LOOP_NO_ENV, nor with a backend named. */
	assert_int_equal(create_with("bogus", &o, &backend), 0);
	o.flags = 0;
	o.backend = IOU_BACKEND_EPOLL;
	assert_int_equal(create_with("bogus", &o, &backend), 0);
	assert_int_equal(backend, IOU_BACKEND_EPOLL);
	unsetenv("IOU_BACKEND");
	close(err[0]);
	close(err[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_config_unknown_options_refused),
		cmocka_unit_test(test_loop_config_setenv_is_seen),
		cmocka_unit_test(test_loop_config_unknown_backend_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
