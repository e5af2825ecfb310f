/* CSV streams (sim/output/csv.c): number formatting, quoting, temporary
 * names, commit, discard, stale temporaries, and write errors. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "open_files.h"
#include "dir_listing.h"
#include "file_limit.h"
#include "output/csv.h"

static const char *formatted(double value)
{
	static char buf[64];
	ts_format_double(buf, sizeof buf, value);
	return buf;
}

/* Known values, each the shortest decimal whose nearest double is the value:
 * 0.1 + 0.2 = 0.3000000000000000444..., 16 digits give 0.3 (another double);
 * 1/3 = 0.33333333333333331483..., and 0.3333333333333333 (16 digits) is
 * nearest to it while 15 digits are not; 1.2345678901234568e+17 needs 17. */
static void numbers_print_with_the_shortest_digits_that_read_back(void **state)
{
	(void)state;
	assert_string_equal(formatted(0.1), "0.1");
	assert_string_equal(formatted(0.1 + 0.2), "0.30000000000000004");
	assert_string_equal(formatted(1.0 / 3.0), "0.3333333333333333");
	assert_string_equal(formatted(123456789012345678.0), "1.2345678901234568e+17");
	assert_string_equal(formatted(1e-300), "1e-300");
	assert_string_equal(formatted(1e21), "1e+21");
	assert_string_equal(formatted(-2.5), "-2.5");
}

/* A subnormal has fewer significant bits than "%.15g" shows: 5e-324 (the
 * smallest, 2^-1074 = 4.94065645841246544e-324) would print as
 * 4.94065645841247e-324; one digit reads back. */
static void subnormals_print_with_the_shortest_digits_too(void **state)
{
	(void)state;
	assert_string_equal(formatted(5e-324), "5e-324");
	assert_string_equal(formatted(1e-310), "1e-310");
	assert_string_equal(formatted(-3e-320), "-3e-320");
}

static void zero_prints_as_0_whatever_its_sign(void **state)
{
	(void)state;
	assert_string_equal(formatted(0.0), "0");
	assert_string_equal(formatted(-0.0), "0");
}

static void non_finite_values_print_as_empty_cells(void **state)
{
	(void)state;
	assert_string_equal(formatted(NAN), "");
	assert_string_equal(formatted(INFINITY), "");
	assert_string_equal(formatted(-INFINITY), "");
}

static void every_printed_number_reads_back_to_the_same_double(void **state)
{
	(void)state;
	double x = 0.7;
	for (int i = 0; i < 2000; i++) {
		x = x * 1.37 + 1e-3 / (i + 1);   /* values spread over many magnitudes */
		if (x > 1e300)
			x = 1e-300 * (i + 1);
		const char *text = formatted(i % 2 ? -x : x);
		assert_true(strtod(text, NULL) == (i % 2 ? -x : x));
	}
}

/* Writes one row through a stream in dir and returns its committed text. */
static char *one_row(const char *dir, const char *text)
{
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "quote.csv", "a,b", &err), TS_OK);
	ts_csv_text(&csv, text);
	ts_csv_int(&csv, -7);
	ts_csv_end_row(&csv);
	assert_int_equal(ts_csv_close(&csv, &err), TS_OK);
	assert_int_equal(ts_csv_commit(&csv, &err), TS_OK);
	ts_csv_discard(&csv);
	return tu_read_in(dir, "quote.csv");
}

static void text_with_separators_or_quotes_is_quoted_as_rfc_4180_says(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "csv_quote");
	char *plain = one_row(dir, "plain");
	assert_string_equal(plain, "a,b\nplain,-7\n");
	char *quoted = one_row(dir, "say \"hi\", twice\n");
	assert_string_equal(quoted, "a,b\n\"say \"\"hi\"\", twice\n\",-7\n");
	free(plain);
	free(quoted);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void a_stream_writes_under_a_temporary_name_until_committed(void **state)
{
	(void)state;
	char dir[256], final_path[512];
	tu_make_dir(dir, sizeof dir, "csv_commit");
	snprintf(final_path, sizeof final_path, "%s/x.csv", dir);
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "x.csv", "h", &err), TS_OK);
	char expected_prefix[64];
	snprintf(expected_prefix, sizeof expected_prefix, ".x.csv.%ld.", (long)getpid());
	assert_true(strncmp(base_name(csv.tmp_path), expected_prefix, strlen(expected_prefix)) == 0);
	assert_true(ts_csv_is_temp_name(base_name(csv.tmp_path)));
	assert_int_equal(access(final_path, F_OK), -1);    /* not there before the commit */
	assert_int_equal(ts_csv_close(&csv, &err), TS_OK);
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", csv.tmp_path);
	assert_int_equal(ts_csv_commit(&csv, &err), TS_OK);
	assert_int_equal(access(tmp, F_OK), -1);
	char *text = tu_read_file(final_path);
	assert_string_equal(text, "h\n");
	free(text);
	ts_csv_discard(&csv);
}

/* Rows reach the file TS_CSV_BUFFER (64 KiB) bytes at a time: 60,000 bytes
 * written are all still in the buffer (glibc's default buffer, 4 KiB,
 * would have written 57,344 of them), and all there after the close. */
static void rows_reach_the_file_a_large_buffer_at_a_time(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "csv_buffer");
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "b.csv", NULL, &err), TS_OK);
	for (int i = 0; i < 6000; i++) {
		ts_csv_text(&csv, "123456789");  /* 10 bytes a row with its newline */
		ts_csv_end_row(&csv);
	}
	struct stat st;
	assert_int_equal(stat(csv.tmp_path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(ts_csv_close(&csv, &err), TS_OK);
	assert_int_equal(stat(csv.tmp_path, &st), 0);
	assert_int_equal(st.st_size, 60000);
	ts_csv_discard(&csv);
}

static void discarding_removes_the_temporary_and_can_be_repeated(void **state)
{
	(void)state;
	char dir[256], left[1024];
	tu_make_dir(dir, sizeof dir, "csv_discard");
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "y.csv", "h", &err), TS_OK);
	ts_csv_int(&csv, 1);
	ts_csv_discard(&csv);  /* still open: closed, then removed */
	ts_csv_discard(&csv);
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "");
}

static void temporary_names_are_recognised_by_their_exact_form(void **state)
{
	(void)state;
	assert_true(ts_csv_is_temp_name(".firms.csv.4242.7ffd1a2b.0.tmp"));
	assert_true(ts_csv_is_temp_name(".summary_firms.csv.1.a.12.tmp"));
	assert_true(ts_csv_is_temp_name(".a.b.csv.9.ff.0.tmp"));  /* NAME may hold dots */
	const char *others[] = {
		"firms.csv", ".firms.csv", ".firms.csv.tmp", "firms.csv.1.a.0.tmp", "..1.a.0.tmp",
		".x.1.a.0.tmpx", ".x.1.a.tmp", ".x.1.g.0.tmp", ".x.one.a.0.tmp", ".x..a.0.tmp", ".x.1.a..tmp",
		".tradesim.lock", "notes.tmp",
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		if (ts_csv_is_temp_name(others[i]))
			fail_msg("'%s' taken for a temporary", others[i]);
}

static void stale_temporaries_are_removed_and_nothing_else(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "csv_stale");
	const char *stale[] = {".firms.csv.12345.55d0c0.0.tmp", ".run.json.1.a.3.tmp"};
	const char *kept[] = {"firms.csv", ".notes.tmp", "my.1.a.0.tmp"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, stale[i]);
		tu_write_file(path, "old");
	}
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, kept[i]);
		tu_write_file(path, "mine");
	}
	snprintf(path, sizeof path, "%s/.sub.csv.1.a.0.tmp", dir);
	assert_int_equal(mkdir(path, 0755), 0);  /* a directory is not a file tradesim writes */
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_remove_stale(dir, &err), TS_OK);
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, stale[i]);
		assert_int_equal(access(path, F_OK), -1);
	}
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, kept[i]);
		assert_int_equal(access(path, F_OK), 0);
	}
	snprintf(path, sizeof path, "%s/.sub.csv.1.a.0.tmp", dir);
	assert_int_equal(access(path, F_OK), 0);
}

/* A file-size limit makes writes fail as a full disk would (EFBIG). The
 * error sticks in the stream, later writes change nothing, and close
 * reports it with the file's final name. */
static void a_write_error_sticks_and_is_reported_at_close(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "csv_full");
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "big.csv", "h", &err), TS_OK);
	file_limit limit;
	file_limit_set(&limit, 4096);
	for (int i = 0; i < 20000; i++) {
		ts_csv_num(&csv, 1.0 / (i + 3));
		ts_csv_end_row(&csv);
	}
	fflush(csv.fp);  /* the failing write happens here, if not before */
	ts_csv_text(&csv, "more");
	ts_csv_end_row(&csv);
	int rc = ts_csv_close(&csv, &err);
	file_limit_lift(&limit);
	assert_int_equal(rc, TS_EIO);
	assert_int_equal(err.status, TS_EIO);
	assert_non_null(strstr(err.message, "big.csv: write failed"));
	assert_non_null(strstr(err.message, strerror(EFBIG)));
	ts_csv_discard(&csv);
}

/* Fields are separated by commas within a row and not across rows; a
 * non-finite number is an empty cell that still takes its place; a zero
 * of either sign is "0". */
static void fields_are_separated_within_a_row_and_each_row_starts_afresh(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "csv_rows");
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "rows.csv", "a,b,c", &err), TS_OK);
	ts_csv_num(&csv, 1.5);
	ts_csv_int(&csv, 2);
	ts_csv_text(&csv, "x");
	ts_csv_end_row(&csv);
	ts_csv_num(&csv, NAN);
	ts_csv_num(&csv, 1.0);
	ts_csv_num(&csv, -INFINITY);
	ts_csv_end_row(&csv);
	ts_csv_num(&csv, 0.0);  /* zeros, either sign, as "0" */
	ts_csv_num(&csv, -0.0);
	ts_csv_num(&csv, 0.0);
	ts_csv_end_row(&csv);
	assert_int_equal(ts_csv_close(&csv, &err), TS_OK);
	assert_int_equal(ts_csv_commit(&csv, &err), TS_OK);
	ts_csv_discard(&csv);
	char *text = tu_read_in(dir, "rows.csv");
	assert_string_equal(text, "a,b,c\n1.5,2,x\n,1,\n0,0,0\n");
	free(text);
}

/* Integers to the ends of long; a row far longer than the row buffer's
 * first size; a quoted field after plain ones. */
static void integers_long_rows_and_late_quotes_come_out_whole(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "csv_long");
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "long.csv", NULL, &err), TS_OK);
	ts_csv_int(&csv, LONG_MIN);
	ts_csv_int(&csv, LONG_MAX);
	ts_csv_int(&csv, 0);
	ts_csv_int(&csv, -1);
	ts_csv_text(&csv, "a\rb");
	ts_csv_end_row(&csv);
	for (int i = 0; i < 2000; i++)
		ts_csv_num(&csv, 1.0 / 3.0);  /* 18 bytes each with its comma: 36,000 in the row */
	ts_csv_text(&csv, "say \"hi\"");
	ts_csv_end_row(&csv);
	assert_int_equal(ts_csv_close(&csv, &err), TS_OK);
	assert_int_equal(ts_csv_commit(&csv, &err), TS_OK);
	ts_csv_discard(&csv);
	char expect[40000], line[64];
	snprintf(expect, sizeof expect, "%ld,%ld,0,-1,\"a\rb\"\n", LONG_MIN, LONG_MAX);
	for (int i = 0; i < 2000; i++)
		strcat(expect, i ? ",0.3333333333333333" : "0.3333333333333333");
	snprintf(line, sizeof line, ",\"say \"\"hi\"\"\"\n");
	strcat(expect, line);
	char *text = tu_read_in(dir, "long.csv");
	assert_string_equal(text, expect);
	free(text);
}

/* A ts_csv over the caller's own stream: rows reach it whole as they end,
 * the stream stays the caller's to close. */
static void a_csv_over_a_callers_stream_writes_rows_there(void **state)
{
	(void)state;
	char *mem = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&mem, &len);
	assert_non_null(fp);
	ts_csv csv;
	ts_csv_over(&csv, fp);
	fputs("head\n", fp);
	ts_csv_int(&csv, 7);
	ts_csv_num(&csv, 0.25);
	ts_csv_end_row(&csv);
	fputs("between\n", fp);
	ts_csv_text(&csv, "x");
	ts_csv_end_row(&csv);
	assert_int_equal(ts_csv_release(&csv), 0);
	assert_null(csv.row);
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(mem, "head\n7,0.25\nbetween\nx\n");
	free(mem);
}

/* Without a header the file holds only what is written (run.json's case). */
static void a_stream_without_a_header_starts_with_its_first_field(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "csv_noheader");
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "plain.txt", NULL, &err), TS_OK);
	ts_csv_text(&csv, "only");
	assert_int_equal(ts_csv_close(&csv, &err), TS_OK);
	assert_int_equal(ts_csv_close(&csv, &err), TS_OK);  /* closed already: nothing to do */
	assert_int_equal(ts_csv_commit(&csv, &err), TS_OK);
	ts_csv_discard(&csv);
	char *text = tu_read_in(dir, "plain.txt");
	assert_string_equal(text, "only");
	free(text);
}

static void a_stream_in_a_missing_directory_fails_and_holds_nothing(void **state)
{
	(void)state;
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, "no/such/dir", "x.csv", "h", &err), TS_EIO);
	assert_non_null(strstr(err.message, "no/such/dir/x.csv: cannot create: "));
	assert_non_null(strstr(err.message, strerror(ENOENT)));
	assert_null(csv.fp);
	assert_null(csv.tmp_path);
	assert_null(csv.final_path);
	ts_csv_discard(&csv);
}

/* Pre-creates the temporary name attempt k of a stream at address `csv`
 * would take (ts_csv_open: ".NAME.<pid>.<address of tmp_path>.<k>.tmp"). */
static void take_temporary_name(const char *dir, const ts_csv *csv, const char *name, unsigned k)
{
	char path[512];
	snprintf(path, sizeof path, "%s/.%s.%ld.%lx.%u.tmp", dir, name, (long)getpid(),
	         (unsigned long)(uintptr_t)&csv->tmp_path, k);
	tu_write_file(path, "someone else's");
}

static void a_temporary_name_already_taken_moves_on_to_the_next_attempt(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "csv_taken");
	ts_csv csv;
	take_temporary_name(dir, &csv, "t.csv", 0);
	take_temporary_name(dir, &csv, "t.csv", 1);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "t.csv", "h", &err), TS_OK);
	assert_non_null(strstr(csv.tmp_path, ".2.tmp"));
	assert_int_equal(ts_csv_close(&csv, &err), TS_OK);
	assert_int_equal(ts_csv_commit(&csv, &err), TS_OK);
	ts_csv_discard(&csv);
	char *text = tu_read_in(dir, "t.csv");
	assert_string_equal(text, "h\n");
	free(text);
}

/* 100 attempts, all taken: the last one's error (EEXIST) is reported. */
static void a_hundred_taken_temporary_names_give_up_with_file_exists(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "csv_all_taken");
	ts_csv csv;
	for (unsigned k = 0; k < 100; k++)
		take_temporary_name(dir, &csv, "t.csv", k);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "t.csv", "h", &err), TS_EIO);
	assert_non_null(strstr(err.message, strerror(EEXIST)));
	assert_null(csv.fp);
}

/* The final name is a directory with something in it: rename(2) refuses,
 * and the stream's temporary is still there for discard to remove. */
static void a_commit_that_cannot_rename_names_the_final_file(void **state)
{
	(void)state;
	char dir[256], path[512], left[1024];
	tu_make_dir(dir, sizeof dir, "csv_commit_fail");
	snprintf(path, sizeof path, "%s/busy.csv", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/busy.csv/inside", dir);
	tu_write_file(path, "x");
	ts_csv csv;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_open(&csv, dir, "busy.csv", "h", &err), TS_OK);
	assert_int_equal(ts_csv_close(&csv, &err), TS_OK);
	assert_int_equal(ts_csv_commit(&csv, &err), TS_EIO);
	assert_non_null(strstr(err.message, "busy.csv: cannot rename into place"));
	assert_int_equal(access(csv.tmp_path, F_OK), 0);
	ts_csv_discard(&csv);
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "busy.csv");
}

static void stale_temporaries_in_a_missing_directory_cannot_be_listed(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_csv_remove_stale("no/such/dir", &err), TS_EIO);
	assert_non_null(strstr(err.message, "no/such/dir: cannot list"));
}

/* A stream discarded while open, and a listing for stale temporaries,
 * leave no descriptor behind. */
static void discarding_a_stream_and_clearing_temporaries_leave_no_file_open(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "csv_fds");
	int before = open_descriptors();
	ts_error err = TS_ERROR_INIT;
	for (int k = 0; k < 3; k++) {
		ts_csv csv;
		assert_int_equal(ts_csv_open(&csv, dir, "open.csv", "h", &err), TS_OK);
		ts_csv_int(&csv, k);
		ts_csv_discard(&csv);
		assert_int_equal(ts_csv_remove_stale(dir, &err), TS_OK);
	}
	assert_int_equal(open_descriptors(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_print_with_the_shortest_digits_that_read_back),
		cmocka_unit_test(subnormals_print_with_the_shortest_digits_too),
		cmocka_unit_test(zero_prints_as_0_whatever_its_sign),
		cmocka_unit_test(non_finite_values_print_as_empty_cells),
		cmocka_unit_test(every_printed_number_reads_back_to_the_same_double),
		cmocka_unit_test(text_with_separators_or_quotes_is_quoted_as_rfc_4180_says),
		cmocka_unit_test(a_stream_writes_under_a_temporary_name_until_committed),
		cmocka_unit_test(rows_reach_the_file_a_large_buffer_at_a_time),
		cmocka_unit_test(discarding_removes_the_temporary_and_can_be_repeated),
		cmocka_unit_test(temporary_names_are_recognised_by_their_exact_form),
		cmocka_unit_test(stale_temporaries_are_removed_and_nothing_else),
		cmocka_unit_test(a_write_error_sticks_and_is_reported_at_close),
		cmocka_unit_test(fields_are_separated_within_a_row_and_each_row_starts_afresh),
		cmocka_unit_test(integers_long_rows_and_late_quotes_come_out_whole),
		cmocka_unit_test(a_csv_over_a_callers_stream_writes_rows_there),
		cmocka_unit_test(a_stream_without_a_header_starts_with_its_first_field),
		cmocka_unit_test(a_stream_in_a_missing_directory_fails_and_holds_nothing),
		cmocka_unit_test(a_temporary_name_already_taken_moves_on_to_the_next_attempt),
		cmocka_unit_test(a_hundred_taken_temporary_names_give_up_with_file_exists),
		cmocka_unit_test(a_commit_that_cannot_rename_names_the_final_file),
		cmocka_unit_test(stale_temporaries_in_a_missing_directory_cannot_be_listed),
		cmocka_unit_test(discarding_a_stream_and_clearing_temporaries_leave_no_file_open),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
