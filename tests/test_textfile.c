/* Whole files read into memory (sim/util/textfile.c): every byte, a NUL
 * after them, and which step failed when reading is impossible. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "util/textfile.h"

/* 20000 bytes: more than two of the reader's 8192-byte chunks, with NUL
 * bytes inside, so that the length cannot come from strlen. */
static void a_file_is_read_whole_with_its_length_and_a_final_nul(void **state)
{
	(void)state;
	enum { N = 20000 };
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "textfile_whole");
	snprintf(path, sizeof path, "%s/data.bin", dir);
	static char bytes[N];
	for (int i = 0; i < N; i++)
		bytes[i] = (char)(i % 251);  /* 0 at every multiple of 251 */
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, N, f), N);
	assert_int_equal(fclose(f), 0);
	size_t length = 0;
	ts_read_status st = TS_READ_IO;
	char *text = ts_read_file(path, &length, &st);
	assert_non_null(text);
	assert_int_equal(st, TS_READ_OK);
	assert_int_equal(length, N);
	assert_memory_equal(text, bytes, N);
	assert_int_equal(text[N], '\0');
	free(text);
}

static void an_empty_file_is_an_empty_string(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "textfile_empty");
	snprintf(path, sizeof path, "%s/empty.txt", dir);
	tu_write_file(path, "");
	size_t length = 99;
	ts_read_status st = TS_READ_IO;
	char *text = ts_read_file(path, &length, &st);
	assert_non_null(text);
	assert_int_equal(st, TS_READ_OK);
	assert_int_equal(length, 0);
	assert_string_equal(text, "");
	free(text);
}

static void a_missing_file_fails_to_open_and_keeps_errno(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "textfile_missing");
	snprintf(path, sizeof path, "%s/absent.cfg", dir);
	size_t length = 99;
	ts_read_status st = TS_READ_OK;
	errno = 0;
	assert_null(ts_read_file(path, &length, &st));
	assert_int_equal(st, TS_READ_OPEN);
	assert_int_equal(errno, ENOENT);
}

/* A directory opens on Linux, but reading it fails (EISDIR). */
static void a_directory_opens_but_fails_to_read(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "textfile_dir");
	size_t length = 99;
	ts_read_status st = TS_READ_OK;
	assert_null(ts_read_file(dir, &length, &st));
	assert_int_equal(st, TS_READ_IO);
	assert_int_equal(length, 0);
}

/* Descriptors open in this process (entries of /proc/self/fd, less the
 * one the listing itself holds). */
static int open_descriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

/* Read after read, successful or not, no file stays open. */
static void reading_leaves_no_file_open(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "textfile_fds");
	snprintf(path, sizeof path, "%s/small.txt", dir);
	tu_write_file(path, "abc");
	int before = open_descriptors();
	for (int k = 0; k < 3; k++) {
		free(ts_read_file(path, NULL, NULL));
		assert_null(ts_read_file(dir, NULL, NULL));  /* a directory: opened, then a failed read */
	}
	assert_int_equal(open_descriptors(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_file_is_read_whole_with_its_length_and_a_final_nul),
		cmocka_unit_test(an_empty_file_is_an_empty_string),
		cmocka_unit_test(a_missing_file_fails_to_open_and_keeps_errno),
		cmocka_unit_test(a_directory_opens_but_fails_to_read),
		cmocka_unit_test(reading_leaves_no_file_open),
	};
	return cmocka_run_group_tests_name("textfile", tests, NULL, NULL);
}
