/* SPDX-License-Identifier: MIT */
/* The plumbing declared in loop_sync.h, compiled once into iou_testutil. */
#include "loop_sync.h"

struct iou_waitgroup wg, gate;
struct iou_mutex mx, mx2;
struct iou_cond cv, cv2;
struct iou_chan ch, ch2;
int ibuf[8], ibuf2[8];
int hits, order[8], norder;

/* Fresh primitives (ch: 4 ints, ch2: 1, gate shut), then @fn as the
   main fiber. */
void t_sync_run(iou_fiber_fn fn)
{
	iou_waitgroup_init(&wg);
	iou_waitgroup_init(&gate);
	iou_waitgroup_add(&gate, 1);
	iou_mutex_init(&mx);
	iou_mutex_init(&mx2);
	iou_cond_init(&cv);
	iou_cond_init(&cv2);
	iou_chan_init(&ch, ibuf, sizeof(int), 4);
	iou_chan_init(&ch2, ibuf2, sizeof(int), 1);
	hits = norder = 0;
	memset(order, -1, sizeof(order));
	assert_int_equal(t_loop_run(fn, NULL), 0);
}

void yield_n(struct iou_fiber *self, int n)
{
	while (n-- > 0)
		iou_yield(self);
}

/* Join @n fibers; each must exit with @want. */
int join_all(struct iou_fiber *self, struct iou_fiber **f, int n, int want)
{
	int i, st;

	for (i = 0; i < n; i++) {
		FCHECK_EQ(iou_join(self, f[i], &st), 0);
		FCHECK_EQ(st, want);
	}
	return 0;
}

int bump(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	return ++hits;
}

/* Records how many workers were done when its wait returned. */
int wg_waiter(struct iou_fiber *self, void *arg)
{
	int ret = iou_waitgroup_wait(self, &wg);

	(void)arg;
	order[norder++] = hits;
	return ret;
}

/* Records whether it owns mx when its lock returns. */
int locker(struct iou_fiber *self, void *arg)
{
	int ret = iou_mutex_lock(self, &mx);

	(void)arg;
	order[7] = mx.owner == self;
	if (!ret)
		iou_mutex_unlock(self, &mx);
	return ret;
}

int cond_waiter(struct iou_fiber *self, void *arg)
{
	int ret;

	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	hits++;
	ret = iou_cond_wait(self, &cv, &mx);
	FCHECK(mx.owner == self);	/* held again on return, always */
	order[norder++] = (int)(intptr_t)arg;
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	return ret;
}

int send_int(struct iou_fiber *self, struct iou_chan *c, int v)
{
	return iou_chan_send(self, c, &v);
}

/* The int received, or -errno. */
int recv_int(struct iou_fiber *self, struct iou_chan *c)
{
	int v = -1, ret = iou_chan_recv(self, c, &v);

	return ret ? ret : v;
}

int sender(struct iou_fiber *self, void *arg)
{
	struct xfer *x = arg;
	int ret;

	for (; x->done < x->n; x->done++) {
		ret = send_int(self, x->c, 100 + x->done);
		if (ret)
			return ret;
	}
	return 0;
}

int receiver(struct iou_fiber *self, void *arg)
{
	struct xfer *x = arg;
	int ret;

	for (; x->done < x->n; x->done++) {
		ret = recv_int(self, x->c);
		if (ret < 0)
			return ret;
		x->vals[x->done % 4] = ret;
	}
	return 0;
}
