/* SPDX-License-Identifier: MIT */
/* The echo server's report lines ("key=N key=N ..."), for the tests that drive it. */
#ifndef IOU_TESTS_ECHO_REPORT_H
#define IOU_TESTS_ECHO_REPORT_H

#include <stdlib.h>
#include <string.h>

/* KEY=N out of the report; -1 if absent. */
static inline long report_value(const char *report, const char *key)
{
	const char *p = report;
	size_t n = strlen(key);

	while ((p = strstr(p, key))) {
		if ((p == report || p[-1] == ' ' || p[-1] == '\n') && p[n] == '=')
			return strtol(p + n + 1, NULL, 10);
		p += n;
	}
	return -1;
}

#endif
