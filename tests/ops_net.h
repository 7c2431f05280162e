/* SPDX-License-Identifier: MIT */
/*
 * Shared by the test_ops_net_* suites: the socket opcodes on real loopback
 * sockets, each prepared by its iou_prep_* helper, run on the running
 * kernel and judged by its effect: bytes arrive intact at the peer,
 * addresses are the ones getsockname(2) and getpeername(2) report, a
 * fixed-file slot really is the connection, the peer reads EOF.  Where a
 * helper carries an argument into an SQE field, one case makes the kernel
 * act on that field (a short address length, a MSG_* flag, a buffer
 * index), so a helper writing the wrong field fails here and not in
 * production.
 *
 * Every wait is bounded: CQEs through t_next_cqe() (5 s), plain socket
 * reads and accepts behind poll(2) with 5 s.
 *
 * What follows is the plumbing more than one suite uses; helpers one suite
 * needs stay in its file.
 */
#ifndef IOU_TEST_OPS_NET_H
#define IOU_TEST_OPS_NET_H

#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iou/prep.h>

/*
 * user_data: an ASCII tag per opcode, an index per SQE.  The whole table
 * lives here, so the tags of all the net suites stay distinct and a stray
 * user_data is looked up in one place.
 */
#define UD_SOCK(i) UD_TAG(0x534f434b, i) /* "SOCK" */
#define UD_BIND(i) UD_TAG(0x42494e44, i) /* "BIND" */
#define UD_LSTN(i) UD_TAG(0x4c53544e, i) /* "LSTN" */
#define UD_ACPT(i) UD_TAG(0x41435054, i) /* "ACPT" */
#define UD_CONN(i) UD_TAG(0x434f4e4e, i) /* "CONN" */
#define UD_SEND(i) UD_TAG(0x53454e44, i) /* "SEND" */
#define UD_RECV(i) UD_TAG(0x52454356, i) /* "RECV" */
#define UD_SMSG(i) UD_TAG(0x534d5347, i) /* "SMSG" */
#define UD_RMSG(i) UD_TAG(0x524d5347, i) /* "RMSG" */
#define UD_SHUT(i) UD_TAG(0x53485554, i) /* "SHUT" */
#define UD_SZC(i) UD_TAG(0x535a4300, i)	 /* "SZC" */
#define UD_UCMD(i) UD_TAG(0x55434d44, i) /* "UCMD" */
#define UD_RZC(i) UD_TAG(0x525a4300, i)	 /* "RZC" */
#define UD_CNCL(i) UD_TAG(0x434e434c, i) /* "CNCL" */

#define WAIT_MS 5000

/*
 * Plain-syscall plumbing around the opcode under test
 */

void lo_addr(struct sockaddr_in *a, unsigned short port);

void name_of(int fd, struct sockaddr_in *a);

void assert_same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b);

int sockopt_int(int fd, int level, int name);

int tcp_socket(void);

/* A TCP listener on 127.0.0.1, any port; its address in *@addr. */
int listener(struct sockaddr_in *addr);

/* connect(2) to @addr; on loopback the handshake is done on return. */
int dial(const struct sockaddr_in *addr);

void wait_readable(int fd);

int accept_within(int lfd);

/* A connected TCP pair over loopback, no listener left behind. */
void tcp_pair(int sv[2]);

/* A UDP socket bound to 127.0.0.1, any port; its address in *@addr. */
int udp_socket(struct sockaddr_in *addr);

/* Read exactly @n bytes (waiting at most 5 s for each chunk); compare. */
void read_exactly(int fd, const void *want, size_t n);

void fill_pattern(unsigned char *p, size_t n, unsigned seed);

/* Bytes queued for reading, once they stop changing (max ~5 s). */
int settled_inq(int fd, int want);

/*
 * Cancel the request tagged @target (multishot) and reap both CQEs: the
 * cancel's own (0), and the target's last one: -ECANCELED, without
 * IORING_CQE_F_MORE.  They may come in either order.
 */
void cancel_multishot(struct iou_ring *ring, uint64_t target, uint64_t ud);

#endif /* IOU_TEST_OPS_NET_H */
