/* SPDX-License-Identifier: MIT */
/*
 * Channels between fibers on a real loop.  The method and the shared
 * plumbing: loop_sync.h.
 */
#include "loop_sync.h"

/* Channels */

static int chan_fifo(struct iou_fiber *self)
{
	struct xfer s = { &ch, 100, 0, { 0 } };
	struct iou_chan c;
	struct iou_fiber *f;
	int i;

	FCHECK_EQ(iou_chan_init(&c, ibuf, sizeof(int), 0), -EINVAL);
	FCHECK_EQ(iou_chan_init(&c, ibuf, 0, 4), -EINVAL);
	FCHECK_EQ(iou_chan_init(&c, NULL, sizeof(int), 4), -EINVAL);
	FCHECK_EQ(iou_chan_init(&ch, ibuf, sizeof(int), 3), 0);
	SPAWN(sender, &s, &f);
	for (i = 0; i < 100; i++) {
		FCHECK_EQ(recv_int(self, &ch), 100 + i);
		FCHECK(ch.count <= 3);	/* never more than the capacity */
	}
	FCHECK_EQ(join_all(self, &f, 1, 0), 0);
	FCHECK(s.done == 100 && ch.count == 0);
	return 0;
}
SYNC_TEST(chan_init_einval_fifo_order, chan_fifo)

static int chan_full(struct iou_fiber *self)
{
	struct xfer s = { &ch, 3, 0, { 0 } };
	struct iou_fiber *f;

	FCHECK_EQ(iou_chan_init(&ch, ibuf, sizeof(int), 2), 0);
	SPAWN(sender, &s, &f);
	yield_n(self, 3);
	FCHECK_EQ(s.done, 2);	/* the third waits for room */
	FCHECK(ch.count == 2 && ch.senders == f);
	FCHECK_EQ(recv_int(self, &ch), 100);
	FCHECK_EQ(join_all(self, &f, 1, 0), 0);
	FCHECK_EQ(s.done, 3);
	FCHECK_EQ(recv_int(self, &ch), 101);
	FCHECK_EQ(recv_int(self, &ch), 102);
	return 0;
}
SYNC_TEST(chan_sender_blocks_when_full, chan_full)

static int chan_empty(struct iou_fiber *self)
{
	struct xfer r[2] = { { &ch, 1, 0, { 0 } }, { &ch, 1, 0, { 0 } } };
	struct iou_fiber *f[2];

	SPAWN(receiver, &r[0], &f[0]);
	SPAWN(receiver, &r[1], &f[1]);
	yield_n(self, 3);
	FCHECK(r[0].done + r[1].done == 0 && ch.receivers == f[0]);
	FCHECK_EQ(send_int(self, &ch, 7), 0);
	yield_n(self, 3);
	/* One item wakes one receiver: the first that waited. */
	FCHECK(r[0].done == 1 && r[0].vals[0] == 7 && r[1].done == 0);
	FCHECK_EQ(send_int(self, &ch, 8), 0);
	FCHECK_EQ(join_all(self, f, 2, 0), 0);
	FCHECK(r[1].done == 1 && r[1].vals[0] == 8);
	return 0;
}
SYNC_TEST(chan_receivers_block_when_empty, chan_empty)

static int chan_drain(struct iou_fiber *self)
{
	int i;

	for (i = 1; i <= 3; i++)
		FCHECK_EQ(send_int(self, &ch, i), 0);
	iou_chan_close(&ch);
	FCHECK_EQ(send_int(self, &ch, 10), -EPIPE);
	FCHECK_EQ(ch.count, 3);
	for (i = 1; i <= 3; i++)
		FCHECK_EQ(recv_int(self, &ch), i);
	FCHECK_EQ(recv_int(self, &ch), -EPIPE);
	FCHECK_EQ(recv_int(self, &ch), -EPIPE);
	return 0;
}
SYNC_TEST(chan_close_drains_then_epipe, chan_drain)

static int chan_close_wakes(struct iou_fiber *self)
{
	struct xfer x[5] = { { &ch2, 1, 0, { 0 } }, { &ch2, 1, 0, { 0 } },
			     { &ch, 1, 0, { 0 } }, { &ch, 1, 0, { 0 } },
			     { &ch, 1, 0, { 0 } } };
	struct iou_fiber *f[5];
	int i;

	FCHECK_EQ(send_int(self, &ch2, 5), 0);	/* ch2 full, ch empty */
	for (i = 0; i < 5; i++)
		SPAWN(i < 2 ? sender : receiver, &x[i], &f[i]);
	yield_n(self, 3);
	FCHECK(ch2.senders != NULL && ch.receivers != NULL);
	/* A blocked receiver cancelled first: the close still wakes the rest. */
	FCHECK_EQ(iou_cancel(f[4]), 0);
	FCHECK_EQ(join_all(self, &f[4], 1, -ECANCELED), 0);
	FCHECK_EQ(x[4].done, 0);
	iou_chan_close(&ch);
	iou_chan_close(&ch2);
	FCHECK_EQ(join_all(self, f, 4, -EPIPE), 0);
	for (i = 0; i < 4; i++)
		FCHECK_EQ(x[i].done, 0);
	FCHECK(ch2.senders == NULL && ch.receivers == NULL);
	/* What was queued before the close still comes out. */
	FCHECK_EQ(recv_int(self, &ch2), 5);
	FCHECK_EQ(recv_int(self, &ch2), -EPIPE);
	return 0;
}
SYNC_TEST(chan_close_wakes_blocked, chan_close_wakes)

struct rec {
	int id;
	char name[12];
	double val;
	uint64_t tag;
};
static struct rec rbuf[2];

static int rec_sender(struct iou_fiber *self, void *arg)
{
	struct rec r;
	int i;

	(void)arg;
	for (i = 0; i < 2; i++) {
		memset(&r, 0, sizeof(r));
		r.id = 7 + i;
		memcpy(r.name, i ? "eight" : "seven", 6);
		r.val = 7.5 + i;
		r.tag = 0x5245430000000000ULL | (uint64_t)i;
		FCHECK_EQ(iou_chan_send(self, &ch, &r), 0);
	}
	memset(&r, 0xff, sizeof(r));	/* and then its stack goes away */
	return 0;
}

static int chan_struct(struct iou_fiber *self)
{
	struct iou_fiber *f;
	struct rec r;
	int i;

	FCHECK_EQ(iou_chan_init(&ch, rbuf, sizeof(struct rec), 2), 0);
	SPAWN(rec_sender, 0, &f);
	FCHECK_EQ(join_all(self, &f, 1, 0), 0);
	for (i = 0; i < 2; i++) {
		memset(&r, 0, sizeof(r));
		FCHECK_EQ(iou_chan_recv(self, &ch, &r), 0);
		FCHECK_EQ(r.id, 7 + i);
		FCHECK_EQ(strcmp(r.name, i ? "eight" : "seven"), 0);
		FCHECK(r.val == 7.5 + i);
		FCHECK_EQ(r.tag, 0x5245430000000000ULL | (uint64_t)i);
	}
	return 0;
}
SYNC_TEST(chan_struct_items_are_copied, chan_struct)

static int chan_cancel(struct iou_fiber *self)
{
	struct xfer r = { &ch, 1, 0, { 0 } }, s = { &ch2, 1, 0, { 0 } };
	struct iou_fiber *f[2];

	FCHECK_EQ(send_int(self, &ch2, 9), 0);	/* ch2 full */
	SPAWN(receiver, &r, &f[0]);
	SPAWN(sender, &s, &f[1]);
	yield_n(self, 2);
	FCHECK(ch.receivers == f[0] && ch2.senders == f[1]);
	FCHECK_EQ(iou_cancel(f[0]), 0);
	FCHECK_EQ(iou_cancel(f[1]), 0);
	FCHECK_EQ(join_all(self, f, 2, -ECANCELED), 0);
	FCHECK(ch.receivers == NULL && ch2.senders == NULL);
	FCHECK(r.done == 0 && s.done == 0 && ch2.count == 1);
	/* An item sent now is not lost to the receiver that gave up. */
	FCHECK_EQ(send_int(self, &ch, 10), 0);
	FCHECK_EQ(recv_int(self, &ch), 10);
	return 0;
}
SYNC_TEST(chan_cancel_blocked, chan_cancel)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_sync_chan_init_einval_fifo_order),
		T_TEST(test_loop_sync_chan_sender_blocks_when_full),
		T_TEST(test_loop_sync_chan_receivers_block_when_empty),
		T_TEST(test_loop_sync_chan_close_drains_then_epipe),
		T_TEST(test_loop_sync_chan_close_wakes_blocked),
		T_TEST(test_loop_sync_chan_struct_items_are_copied),
		T_TEST(test_loop_sync_chan_cancel_blocked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
