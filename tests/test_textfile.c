/* Whole files read into memory (sim/util/textfile.c): regular files only, at
 * most TS_TEXTFILE_MAX_BYTES, every failure a status and a message naming
 * the file. */
#define _GNU_SOURCE
#include "testutil.h"
#include "open_files.h"
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/textfile.h"

static void a_regular_file_is_read_whole_with_its_length_past_a_nul_byte(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "textfile_nul");
	snprintf(path, sizeof path, "%s/nul.txt", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite("ab\0cd", 1, 5, f), 5);
	assert_int_equal(fclose(f), 0);
	char *text = NULL;
	size_t len = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, &len, path, &err), TS_OK);
	assert_int_equal(len, 5);
	assert_memory_equal(text, "ab\0cd", 6);  /* and a NUL after the last byte */
	free(text);
}

static void a_missing_file_is_an_io_error_naming_it(void **state)
{
	(void)state;
	char *text = (char *)"untouched";
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, NULL, "no/such/file.cfg", &err), TS_EIO);
	assert_null(text);
	assert_non_null(strstr(err.message, "no/such/file.cfg: cannot open: No such file or directory"));
}

static void a_directory_is_refused_as_bad_input(void **state)
{
	(void)state;
	char dir[256], *text;
	tu_make_dir(dir, sizeof dir, "textfile_dir");
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, NULL, dir, &err), TS_EINPUT);
	assert_null(text);
	assert_non_null(strstr(err.message, ": a directory, not a regular file"));
}

static void dev_zero_is_refused_as_a_device_at_once(void **state)
{
	(void)state;
	char *text;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, NULL, "/dev/zero", &err), TS_EINPUT);
	assert_null(text);
	assert_string_equal(err.message, "/dev/zero: a character device, not a regular file");
}

static void a_fifo_is_refused_without_waiting_for_a_writer(void **state)
{
	(void)state;
	char dir[256], path[512], *text;
	tu_make_dir(dir, sizeof dir, "textfile_fifo");
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);  /* a blocking open would hang: the alarm turns that into a failure */
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, NULL, path, &err), TS_EINPUT);
	alarm(0);
	assert_null(text);
	assert_non_null(strstr(err.message, ": a FIFO, not a regular file"));
}

static void a_file_over_the_limit_is_refused_before_it_is_read(void **state)
{
	(void)state;
	char dir[256], path[512], *text;
	tu_make_dir(dir, sizeof dir, "textfile_big");
	snprintf(path, sizeof path, "%s/big.cfg", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, TS_TEXTFILE_MAX_BYTES + 1), 0);  /* sparse: no disk used */
	assert_int_equal(close(fd), 0);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, NULL, path, &err), TS_EINPUT);
	assert_null(text);
	assert_non_null(strstr(err.message, "big.cfg: larger than 64 MiB, the most tradesim reads of a file"));
}

static void a_file_at_the_limit_is_read(void **state)
{
	(void)state;
	char dir[256], path[512], *text;
	tu_make_dir(dir, sizeof dir, "textfile_limit");
	snprintf(path, sizeof path, "%s/limit.cfg", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, TS_TEXTFILE_MAX_BYTES), 0);
	assert_int_equal(close(fd), 0);
	size_t len = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, &len, path, &err), TS_OK);
	assert_int_equal(len, TS_TEXTFILE_MAX_BYTES);
	free(text);
	unlink(path);
}

static void validating_dev_zero_exits_2_with_the_message(void **state)
{
	(void)state;
	char *err = NULL;
	assert_int_equal(tu_cli(&err, "validate /dev/zero"), 2);
	assert_non_null(err);
	assert_non_null(strstr(err, "/dev/zero: a character device, not a regular file"));
	free(err);
}

/* 20000 bytes with NUL bytes inside: every byte, the length past them, and
 * a NUL after the last. */
static void a_file_of_many_blocks_is_read_byte_for_byte(void **state)
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
	char *text = NULL;
	size_t length = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, &length, path, &err), TS_OK);
	assert_int_equal(length, N);
	assert_memory_equal(text, bytes, N);
	assert_int_equal(text[N], '\0');
	free(text);
}

/* A file that must be text: read whole when it is, refused with its path
 * and nothing returned when it holds a NUL byte. */
static void a_text_file_is_read_and_one_holding_a_nul_byte_refused(void **state)
{
	(void)state;
	char dir[256], path[512], expected[600], *text = NULL;
	tu_make_dir(dir, sizeof dir, "textfile_text");
	snprintf(path, sizeof path, "%s/a.cfg", dir);
	tu_write_file(path, "x = 1;\n");
	size_t length = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_text_file(&text, &length, path, &err), TS_OK);
	assert_string_equal(text, "x = 1;\n");
	assert_int_equal(length, 7);
	free(text);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite("x = 1;\0\n", 1, 8, f), 8);
	assert_int_equal(fclose(f), 0);
	text = (char *)path;
	length = 99;
	assert_int_equal(ts_read_text_file(&text, &length, path, &err), TS_EINPUT);
	assert_null(text);
	assert_int_equal(length, 0);
	snprintf(expected, sizeof expected, "%s: not a text file (holds a NUL byte)", path);
	assert_string_equal(err.message, expected);
}

static void an_empty_file_is_an_empty_string(void **state)
{
	(void)state;
	char dir[256], path[512], *text = NULL;
	tu_make_dir(dir, sizeof dir, "textfile_empty");
	snprintf(path, sizeof path, "%s/empty.txt", dir);
	tu_write_file(path, "");
	size_t length = 99;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, &length, path, &err), TS_OK);
	assert_int_equal(length, 0);
	assert_string_equal(text, "");
	free(text);
}

/* Read after read, successful or refused, no file stays open. */
static void reading_leaves_no_file_open(void **state)
{
	(void)state;
	char dir[256], path[512], *text = NULL;
	tu_make_dir(dir, sizeof dir, "textfile_fds");
	snprintf(path, sizeof path, "%s/small.txt", dir);
	tu_write_file(path, "abc");
	int before = open_descriptors();
	for (int k = 0; k < 3; k++) {
		ts_error err = TS_ERROR_INIT;
		assert_int_equal(ts_read_file(&text, NULL, path, &err), TS_OK);
		free(text);
		assert_int_equal(ts_read_file(&text, NULL, dir, &err), TS_EINPUT);  /* a directory: opened, then refused */
	}
	assert_int_equal(open_descriptors(), before);
}

/* /proc files report size 0 and hold bytes: the buffer grows as they come. */
static void a_file_the_system_sizes_as_empty_is_still_read_whole(void **state)
{
	(void)state;
	char expected[4096];
	FILE *f = fopen("/proc/self/cmdline", "rb");
	assert_non_null(f);
	size_t n = fread(expected, 1, sizeof expected, f);
	fclose(f);
	assert_true(n > 8);  /* the test's own path, at least */
	char *text = NULL;
	size_t length = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_read_file(&text, &length, "/proc/self/cmdline", &err), TS_OK);
	assert_int_equal(length, n);
	assert_memory_equal(text, expected, n);
	assert_int_equal(text[n], '\0');
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_regular_file_is_read_whole_with_its_length_past_a_nul_byte),
		cmocka_unit_test(a_missing_file_is_an_io_error_naming_it),
		cmocka_unit_test(a_directory_is_refused_as_bad_input),
		cmocka_unit_test(dev_zero_is_refused_as_a_device_at_once),
		cmocka_unit_test(a_fifo_is_refused_without_waiting_for_a_writer),
		cmocka_unit_test(a_file_over_the_limit_is_refused_before_it_is_read),
		cmocka_unit_test(a_file_at_the_limit_is_read),
		cmocka_unit_test(validating_dev_zero_exits_2_with_the_message),
		cmocka_unit_test(a_file_of_many_blocks_is_read_byte_for_byte),
		cmocka_unit_test(a_text_file_is_read_and_one_holding_a_nul_byte_refused),
		cmocka_unit_test(an_empty_file_is_an_empty_string),
		cmocka_unit_test(reading_leaves_no_file_open),
		cmocka_unit_test(a_file_the_system_sizes_as_empty_is_still_read_whole),
	};
	return cmocka_run_group_tests_name("textfile", tests, NULL, NULL);
}
