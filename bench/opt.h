/* SPDX-License-Identifier: MIT */
/* Command-line options shared by the benchmark programs. */
#ifndef IOU_BENCH_OPT_H
#define IOU_BENCH_OPT_H

#include <string.h>

/* The value after @name on the command line, or @def. */
static inline const char *opt(int argc, char **argv, const char *name,
			      const char *def)
{
	int i;

	for (i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return def;
}

#endif
