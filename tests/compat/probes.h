/* SPDX-License-Identifier: MIT */
/*
 * The inline helpers of liburing 2.3 that compute or write something other
 * than an SQE, run the same way through either liburing.h: the includer
 * defines PROBE(name) to prefix the function names (real_ or ours_).
 */

/*
 * The recvmsg multishot helpers on a buffer main.c built: each pointer
 * they return, as an offset from @buf (-1 for NULL), into @out:
 * [0] validate, [1] name, [2] payload, [3] payload length, then the
 * control messages, first to last, ending with -1 (at most @n - 4).
 */
void PROBE(recvmsg)(void *buf, int buf_len, struct msghdr *msgh, long *out,
		    int n);
void PROBE(recvmsg)(void *buf, int buf_len, struct msghdr *msgh, long *out,
		    int n)
{
	struct io_uring_recvmsg_out *o;
	struct cmsghdr *c;
	int i;

	for (i = 0; i < n; i++)
		out[i] = -2;
	o = io_uring_recvmsg_validate(buf, buf_len, msgh);
	out[0] = o ? (char *)o - (char *)buf : -1;
	if (!o)
		return;
	out[1] = (char *)io_uring_recvmsg_name(o) - (char *)buf;
	out[2] = (char *)io_uring_recvmsg_payload(o, msgh) - (char *)buf;
	out[3] = (long)io_uring_recvmsg_payload_length(o, buf_len, msgh);
	i = 4;
	for (c = io_uring_recvmsg_cmsg_firsthdr(o, msgh); c && i < n - 1;
	     c = io_uring_recvmsg_cmsg_nexthdr(o, msgh, c))
		out[i++] = (char *)c - (char *)buf;
	out[i] = -1;
}

/*
 * The buffer ring helpers on @mem (@entries slots of 16 bytes, poisoned
 * by main.c), starting from tail @start so that the adds wrap; a CQ head
 * word handed to io_uring_buf_ring_cq_advance() goes back in *@cq_head.
 * Returns io_uring_buf_ring_mask(@entries).
 */
int PROBE(buf_ring)(void *mem, unsigned entries, unsigned short start,
		    unsigned *cq_head);
int PROBE(buf_ring)(void *mem, unsigned entries, unsigned short start,
		    unsigned *cq_head)
{
	struct io_uring_buf_ring *br = mem;
	int mask = io_uring_buf_ring_mask(entries);
	struct io_uring ring;

	io_uring_buf_ring_init(br);
	io_uring_buf_ring_advance(br, start);
	io_uring_buf_ring_add(br, (void *)(uintptr_t)0x1000, 0x100, 7, mask, 0);
	io_uring_buf_ring_add(br, (void *)(uintptr_t)0x2000, 0x200, 8, mask, 1);
	io_uring_buf_ring_add(br, (void *)(uintptr_t)0x3000, 0x300, 9, mask, 2);
	io_uring_buf_ring_advance(br, 2);
	/* Only the CQ head is used. */
	memset(&ring, 0, sizeof(ring));
	ring.cq.khead = cq_head;
	io_uring_buf_ring_cq_advance(&ring, br, 1);
	return mask;
}

/* __io_uring_prep_poll_mask() */
unsigned PROBE(poll_mask)(unsigned mask);
unsigned PROBE(poll_mask)(unsigned mask)
{
	return __io_uring_prep_poll_mask(mask);
}
