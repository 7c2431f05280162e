#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Writes the seed corpora of the scripted harnesses into
# fuzz/corpus/<harness>/ (the seeds of cq and sqe are plain files).  Each
# seed is a few script steps written out by hand to reach one path; the
# byte layouts are documented at the top of each harness and in its
# step() comment.  Run it again after changing a layout, and commit what
# changes.
#
#   sh fuzz/seeds.sh
set -eu
cd "$(dirname "$0")/corpus"

# seed <harness> <name> <hex bytes...>: spaces between bytes are ignored.
seed() {
	dir=$1 name=$2
	shift 2
	mkdir -p "$dir"
	hex=$(printf '%s' "$*" | tr -d ' \n')
	out=""
	while [ -n "$hex" ]; do
		out="$out\\$(printf '%03o' "0x$(printf '%s' "$hex" | cut -c1-2)")"
		hex=$(printf '%s' "$hex" | cut -c3-)
	done
	printf "$out" > "$dir/$name"
}

# enter: [sq/cq/regring] [flags] then steps [op a b]; ops (op % 15):
# 0 fail 1 short 2 reset 3 queue 4 submit 5 submit_and_wait
# 6 submit_and_wait_timeout 7 wait_cqe_timeout 8 wait_cqes 9 wait_cqe
# 10 reap 11 get_events 12 fill+submit 13 sqring_wait 14 bounds
seed enter nop_submit_reap   13 00  03 05 00  04 00 00  0a 03 00
# -EINTR four times under a timed wait on a DEFER_TASKRUN ring.
seed enter eintr_timed_wait  02 02  03 03 00  00 00 0c  06 82 03  0a 03 00  02 00 00
# -EBUSY more often than the library retries it (66 > 64).
seed enter ebusy_past_bound  02 00  03 07 00  00 02 c0  07 01 00  02 00 00  0a 03 00
# to_submit clamped to 1: SQEs stay queued for the next submit.
seed enter short_submit      03 01  03 07 00  01 01 04  04 00 00  05 00 03  04 00 00  0a 01 08
# SQ 1, CQ 1, eight full submits: CQ overflow, then every way to reap.
seed enter cq_overflow       00 08  0c 07 00  0e 00 00  0a 00 00  0b 00 00  0a 02 08  0a 03 00
# -ETIME more than 64 times on a wait without a timeout.
seed enter etime_untimed     01 03  03 01 00  04 00 00  00 01 c0  09 00 00  02 00 00  0a 03 00
# SQPOLL: submit, wait for SQ room, wait for CQEs, refill.
seed enter sqpoll            02 04  03 03 00  04 00 00  0d 00 00  08 83 02  0c 01 00  0d 00 00  0a 03 00
# A kernel that claims three SQEs were consumed when none were.
seed enter lying_count       02 00  03 03 00  00 0f 00  05 00 03  04 00 00  0a 03 00
# CQE32 and CQE_MIXED rings: min_wait, copies, batches.
seed enter cqe32_min_wait    0b 06  03 03 00  04 00 00  06 93 32  0a 02 08  0a 01 08
seed enter cqe_mixed         0b 07  03 03 00  04 00 00  08 93 32  0a 02 08  0a 03 00

# loop: [backend/entries/fixed] then steps [op a b]; ops (op % 19):
# 0-6 spawn sleeper/receiver/yielder/producer/consumer/locker/poller
# 7 send 8 fail 9 short 10 reset 11 corrupt 12 cancel 13 stop 14 sleep
# 15 pipe write or reader 16 post 17 fd (un)register 18 shutdown
mix="00 03 01  01 00 05  02 05 00  03 07 01  04 00 01  05 00 01  06 00 01  07 00 20  0f 01 10  0f 00 05  0e 02 00  10 00 00"
seed loop uring_mix          00 $mix
seed loop epoll_mix          01 $mix
# -EINTR and -EBUSY answers to enters, then a short submit.
seed loop enter_faults       00  00 03 03  01 00 05  08 00 05  0e 01 00  08 02 fc  0e 01 00  09 01 04  00 03 00  0e 01 00  0a 00 00  07 00 10
# -EBADF from an enter: the backend fails, the run drains and returns.
seed loop backend_error      00  00 07 03  01 00 07  08 04 00  0e 03 00
# A CQ tail a whole ring ahead: -EUCLEAN.
seed loop corrupt_tail       02  00 03 03  01 00 07  0e 01 00  0b 00 01  0e 01 00
# CQEs forged by the kernel (MSG_RING) naming low op slots.
seed loop forged_cqes        00  01 00 07  00 05 03  0b 02 11  0b 02 10  0b 02 51  0e 02 00  07 00 10
# The next CQE's res rewritten between the kernel's store and our read.
seed loop garbage_res        00  00 00 03  00 00 03  01 00 07  07 00 10  0b 01 55  00 01 03  0e 01 00  0b 09 aa  0e 01 00
# Cancels, then a stop with six receives in flight on a 4-entry SQ.
seed loop cancel_stop        00  01 00 07  01 01 07  01 00 07  01 01 07  01 00 07  01 01 07  0c 00 00  0c 01 00  0e 00 00  0d 00 00
# epoll: reads and writes of the pipe failing.
seed loop epoll_rw_faults    01  0f 00 05  08 11 00  0f 01 10  0e 01 00  08 26 00  0f 01 10  10 00 00  0e 01 00
# Sockets as registered files, registered and taken out again.
seed loop fixed_files        08  01 00 03  07 00 08  11 00 00  11 02 00  0e 01 00  12 00 00

# setup: [mode] then params: [sel] [entries] [flags x4] [cq x2 or x4]
# [cpu] [idle] [wq] ([resv]); mode 0 then resize: [sq x2] [cq x2]
# [flags] [go]; mode 1 then [delta] [misalign] ([off x2]); mode 3 then
# [what] [when] after the params.
seed setup default           00  00 07 00000000 0000 00 00 03
# DEFER_TASKRUN|SINGLE_ISSUER|NO_SQARRAY, resized to 16/64 entries.
seed setup defer_resize      00  00 07 00300100 0000 00 00 03  1000 4000 08 01
seed setup sqpoll_aff        00  00 03 06000000 0000 01 01 03
seed setup cqsize_clamp      00  04 07 18000000 00001000 00 00 03
seed setup attach_wq         00  00 03 20000000 0000 00 00 00
seed setup disabled_big_sqe  00  00 03 400c0000 0000 00 00 03
seed setup mem_exact         01  00 07 00000000 0000 00 00 03  00 00
seed setup mem_short         01  00 07 00000000 0000 00 00 03  f0 00
seed setup mem_misaligned    01  00 07 00000000 0000 00 00 03  00 01 1000
seed setup mem_regfd_only    01  00 07 00800000 0000 00 00 03  00 00
# attach: [entries] [flags x4] [features x4] [sq sel][sq] [cq sel][cq]
# [14 offsets x2] [fix] [ring bytes...]: a kernel's usual layout for
# 8 SQ / 16 CQ entries, words fixed up; then the same with the CQEs
# placed past the memory.
attach="03 00000000 01000000 00 03 00 04"
offs_sq="0000 0400 1000 1800 2400 2000 c000"
seed setup attach_layout     02  $attach $offs_sq 0800 0c00 1400 1c00 2c00 4000 2800 01
seed setup attach_bad_cqes   02  $attach $offs_sq 0800 0c00 1400 1c00 2c00 ffff 2800 01
# Faults: mmap fails at the 2nd call; io_uring_setup says -EINVAL once
# (the NO_SQARRAY retry), with library mappings and in caller memory.
seed setup fault_mmap        03  00 07 00000000 0000 00 00 03  00 01
seed setup fault_sqarray     03  00 07 00000100 0000 00 00 03  05 00
seed setup fault_mem         07  00 07 00800100 0000 00 00 03  00 00  05 00

# register: [sel] then steps [op a b ...]; ops (op % 11):
# 0 files 1 buffers 2 misc 3 buf ring setup 4 free 5 add 6 raw
# 7 rw fixed 8 recv select 9 nop personality 10 reap
# A buffer ring of 8 in group 1, two buffers added and published, three
# receives (the third finds none), freed.
seed register bufring_recv   00  03 04 03  05 80 01 0100 0000 4000 0200 0001 4000  08 01 09 20  08 01 04 20  08 01 04 20  0a 01 00  04 00 00
# Pipe, socketpair, eventfd as fixed files 0-3; tags; update; unregister.
files="00 00 01 00 02 00 03 00 04 00 05 00 06 00 07 00"
seed register files          00  00 04 00 $files  00 04 01 $files  00 02 03 $files 00  07 03 00 01  00 00 04 $files  0a 01 00
# Two fixed buffers from the arena; READ_FIXED and WRITE_FIXED on the pipe.
iovs="00 0000 0010 00  00 0020 0010 00  00 0000 0000 00  00 0000 0000 00"
seed register read_fixed     00  01 02 00 $iovs  07 01 10 08  07 00 10 08  01 02 03 $iovs 00  07 01 10 08  0a 01 00
# Disabled ring: restrictions (NOP only), enable, NOPs.
seed register restrictions   01  02 03 02 01 00 02 00 00 00 00 00  02 04 00  09 00 00  09 01 00  0a 01 00
# eventfd, probe, personality (and a NOP under it), io-wq, clock, ring
# fd, sync cancel, NAPI, buffer ring head.
seed register misc           02  02 00 04  02 01 00 0001  02 02 01  09 01 00  02 02 02  02 05 02 ffffffffffffffffffffffffffffffff  02 06 00 02 02  02 07 07  02 08 00  02 08 01  02 08 02  02 09 00 00 05 00 00 10  02 0a 00 05 01 00 00  02 0b 01
# Kernel-allocated (MMAP) and incremental buffer rings; a raw one in
# our page; heads.
seed register bufring_kinds  00  03 24 02  03 45 04  05 81 02 0300 1000 0800 0400 2000 0800 0500 3000 0800  08 05 09 04  06 00 0c 00  02 0b 06  02 0b 03  0a 01 00
