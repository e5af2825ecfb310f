/* CSV streams (sim/output/csv.c): number formatting, quoting, temporary
 * names, commit, discard, stale temporaries, and write errors. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "dir_listing.h"
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
	struct rlimit old, small;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 4096;
	void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	for (int i = 0; i < 20000; i++) {
		ts_csv_num(&csv, 1.0 / (i + 3));
		ts_csv_end_row(&csv);
	}
	fflush(csv.fp);  /* the failing write happens here, if not before */
	ts_csv_text(&csv, "more");
	ts_csv_end_row(&csv);
	int rc = ts_csv_close(&csv, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);
	assert_int_equal(rc, TS_EIO);
	assert_int_equal(err.status, TS_EIO);
	assert_non_null(strstr(err.message, "big.csv: write failed"));
	assert_non_null(strstr(err.message, strerror(EFBIG)));
	ts_csv_discard(&csv);
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
		cmocka_unit_test(discarding_removes_the_temporary_and_can_be_repeated),
		cmocka_unit_test(temporary_names_are_recognised_by_their_exact_form),
		cmocka_unit_test(stale_temporaries_are_removed_and_nothing_else),
		cmocka_unit_test(a_write_error_sticks_and_is_reported_at_close),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
