/* SPDX-License-Identifier: MIT */
/*
 * A main() for the harnesses without libFuzzer (gcc builds, ctest): runs
 * every file named (directories: every file in them), then a fixed number
 * of pseudo-random inputs from a fixed seed, so each surface is exercised
 * the same way on every run.  IOU_FUZZ_ITERS overrides the count (2000).
 * IOU_FUZZ_SAVE=<file>: each generated input is written there before it
 * runs, so after a crash or hang the file holds the input to replay.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long files;

static void run_file(const char *path)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		exit(1);
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	files++;
}

static void run_path(const char *path)
{
	char child[4096];
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (stat(path, &st)) {
		perror(path);
		exit(1);
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	d = opendir(path);
	if (!d) {
		perror(path);
		exit(1);
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		run_file(child);
	}
	closedir(d);
}

/* Keep @buf in @path (IOU_FUZZ_SAVE) while it runs. */
static void save(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		perror(path);
		exit(1);
	}
	if (fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int main(int argc, char **argv)
{
	const char *env = getenv("IOU_FUZZ_ITERS");
	const char *keep = getenv("IOU_FUZZ_SAVE");
	unsigned long iters = env ? strtoul(env, NULL, 10) : 2000, i;
	uint64_t seed = 0x105eedULL;
	uint8_t buf[512];
	size_t len, j;
	int a;

	for (a = 1; a < argc; a++)
		run_path(argv[a]);
	for (i = 0; i < iters; i++) {
		len = xorshift(&seed) % (sizeof(buf) + 1);
		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)xorshift(&seed);
		if (keep)
			save(keep, buf, len);
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("replayed %lu files, %lu generated inputs\n", files, iters);
	return 0;
}
