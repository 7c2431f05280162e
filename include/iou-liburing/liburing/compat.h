/* SPDX-License-Identifier: MIT */
/*
 * Types liburing's API names that older C libraries and kernel headers
 * may lack: struct __kernel_timespec (<linux/time_types.h>, 5.1) and
 * struct open_how (<linux/openat2.h>, 5.6).
 */
#ifndef LIBURING_COMPAT_H
#define LIBURING_COMPAT_H

#include <linux/time_types.h>
#include <linux/openat2.h>

#endif
