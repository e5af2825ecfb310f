/* The regression driver: a harness's entry point run, without libFuzzer,
 * over files and every file of directories named on the command line
 * (tests/fuzz/regressions/<harness>/: inputs that once crashed, hung or
 * leaked). Linked with one harness per executable; ctest runs it in every
 * build, so a regression shows without clang: as a crash, a timeout, or
 * under ASan a leak. Files whose names start with '.' are skipped. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "util/textfile.h"

static int run_file(const char *path)
{
	size_t size = 0;
	char *data = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_read_file(&data, &size, path, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, size);
	free(data);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's files in name order (the same order on every machine). */
static int run_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int failed = 0;
	for (struct dirent *e; !failed && (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **grown = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
			failed = !grown;
			names = grown ? grown : names;
		}
		if (!failed && !(names[n] = strdup(e->d_name)))
			failed = 1;
		n += !failed;
	}
	closedir(d);
	if (!failed)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (!failed)
			failed = run_file(path);
		free(names[i]);
	}
	free(names);
	*count += (int)n;
	return failed;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	int count = 0;
	for (int i = 1; i < argc; i++) {
		int rc = run_dir(argv[i], &count);
		if (rc < 0) {  /* not a directory: a single input */
			rc = run_file(argv[i]);
			count++;
		}
		if (rc != 0)
			return 1;
	}
	printf("%s: %d inputs ran\n", argv[0], count);
	return 0;
}
