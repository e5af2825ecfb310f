/* sweep.csv (sim/batch/sweep_csv.c): the header, CSV lines split as RFC
 * 4180 quotes them, rows checked against the run they claim to be, and the
 * count of failed runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "small_world.h"
#include "batch/sweep_impl.h"

/* Two parameters (a range and a list), two metrics, one of them named with
 * a comma and quotes; 3 points x 2 replications. */
static const char *sweep_text =
	"scenario = \"csv_world.cfg\"; design = \"grid\"; replications = 2;\n"
	"parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 1.0; levels = 3; },\n"
	"               { path = \"measures.zte_denial.end\"; values = [\"2018Q3\"]; } );\n"
	"metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; },\n"
	"            { name = \"w, \\\"CN\\\"\"; series = \"countries.CN.consumer_welfare_bn_usd\"; } );\n";

static ts_sweep *sweep;

static int setup(void **state)
{
	(void)state;
	tu_write_file("csv_world.cfg", small_world);
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&sweep, sweep_text, "csv.cfg", ".", NULL, 0, 0, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ts_sweep_free(sweep);
	return 0;
}

static void the_header_names_each_field_and_quotes_a_metric_name_with_a_comma(void **state)
{
	(void)state;
	char *h = ts_sweep_header(sweep);
	assert_string_equal(h, "run,point,rep,seed,countries.CN.home_bias,measures.zte_denial.end,"
	                       "mean:firms.ZTE.revenue_bn_usd,\"w, \"\"CN\"\"\",status,message");
	free(h);
	assert_int_equal(ts_sweep_field_count(sweep), 4 + 2 + 2 + 2);
}

/* Splits text (a copy) into at most max fields; returns the count and
 * joins the fields with '|' into out. */
static int split(const char *text, int max, char *out, size_t size, ts_error *err)
{
	char line[256], *fields[16];
	snprintf(line, sizeof line, "%s", text);
	int n = -1;
	if (ts_csv_split(line, fields, max, &n, err) != TS_OK)
		return -1;
	out[0] = '\0';
	for (int k = 0; k < n && k < max; k++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", k ? "|" : "", fields[k]);
	return n;
}

static void a_line_splits_into_its_fields_with_quotes_undone(void **state)
{
	(void)state;
	char out[256];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(split("a,b,c\n", 8, out, sizeof out, &err), 3);
	assert_string_equal(out, "a|b|c");
	assert_int_equal(split(",,", 8, out, sizeof out, &err), 3);  /* three empty fields */
	assert_string_equal(out, "||");
	assert_int_equal(split("\"x, \"\"y\"\"\",2,\"\"\n", 8, out, sizeof out, &err), 3);
	assert_string_equal(out, "x, \"y\"|2|");
	assert_int_equal(split("", 8, out, sizeof out, &err), 1);
	assert_string_equal(out, "");
	assert_int_equal(err.status, TS_OK);
}

/* At most max fields are split: one more is reported as max + 1. */
static void a_line_with_more_fields_than_asked_counts_one_more(void **state)
{
	(void)state;
	char out[256];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(split("a,b,c", 3, out, sizeof out, &err), 3);
	assert_int_equal(split("a,b,c,d", 3, out, sizeof out, &err), 4);
	assert_string_equal(out, "a|b|c");
	assert_int_equal(split("a,b,c,d,e,f", 3, out, sizeof out, &err), 4);
}

static void misplaced_quotes_are_refused_naming_the_field(void **state)
{
	(void)state;
	char out[256];
	struct { const char *line, *message; } bad[] = {
		{"a,\"b", "field 2: no closing quote"},
		{"a,b\"c", "field 2: a quote inside an unquoted field"},
		{"\"a\"x,b", "field 1: text after its closing quote"},
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		ts_error err = TS_ERROR_INIT;
		assert_int_equal(split(bad[k].line, 8, out, sizeof out, &err), -1);
		assert_int_equal(err.status, TS_EINPUT);
		if (!strstr(err.message, bad[k].message))
			fail_msg("%s: %s", bad[k].line, err.message);
	}
}

/* Run r's row as the sweep writes it (malloc'd). */
static char *row_of(long run)
{
	char *row = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_run_row(sweep, run, NULL, 0, &row, &err) != TS_OK)
		fail_msg("%s", err.message);
	return row;
}

/* row with its field k (0-based) replaced by text; checked as run `run`. */
static int check_with_field(long run, const char *row, int k, const char *text, ts_error *err)
{
	char line[1024] = "", copy[1024], *fields[16];
	snprintf(copy, sizeof copy, "%s", row);
	copy[strlen(copy) - 1] = '\0';  /* the newline */
	int n = 0;
	assert_int_equal(ts_csv_split(copy, fields, 10, &n, err), TS_OK);
	assert_int_equal(n, 10);
	for (int f = 0; f < n; f++) {
		const char *v = f == k ? text : fields[f];
		int quote = strpbrk(v, ",\"") != NULL;
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s%s%s", f ? "," : "", quote ? "\"" : "",
		         v, quote ? "\"" : "");
	}
	strcat(line, "\n");
	char *f16[16];
	return ts_sweep_row_check(sweep, run, line, f16, err);
}

static void the_rows_a_sweep_writes_pass_their_check(void **state)
{
	(void)state;
	char *fields[16];
	for (long run = 0; run < 6; run++) {
		char *row = row_of(run);
		ts_error err = TS_ERROR_INIT;
		if (ts_sweep_row_check(sweep, run, row, fields, &err) != TS_OK)
			fail_msg("run %ld: %s", run, err.message);
		free(row);
	}
}

/* Each field of run 3's row (point 1, rep 1) altered: the check names it. */
static void a_row_that_is_not_its_run_s_is_refused_naming_the_field(void **state)
{
	(void)state;
	char *row = row_of(3);
	struct { int field; const char *text, *message; } bad[] = {
		{0, "4", "run is '4', expected '3'"},
		{1, "2", "point is '2', expected '1'"},
		{2, "0", "rep is '0', expected '1'"},
		{3, "1", "seed is '1', expected '"},
		{4, "0.4", "countries.CN.home_bias is '0.4', expected '0.5'"},
		{5, "2018Q4", "measures.zte_denial.end is '2018Q4', expected '2018Q3'"},
		{6, "abc", "mean:firms.ZTE.revenue_bn_usd is 'abc', expected a number or an empty cell"},
		{8, "done", "status is 'done', expected ok or failed"},
		{9, "why", "an ok run with a message"},
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		ts_error err = TS_ERROR_INIT;
		assert_int_equal(check_with_field(3, row, bad[k].field, bad[k].text, &err), TS_EINPUT);
		if (!strstr(err.message, bad[k].message))
			fail_msg("field %d = %s: %s", bad[k].field, bad[k].text, err.message);
	}
	free(row);
}

/* What ts_format_double writes passes; anything else in a metric does not. */
static void a_metric_must_be_a_finite_number_as_written_or_empty(void **state)
{
	(void)state;
	char *row = row_of(0);
	const char *good[] = {"", "0", "-1.5", "12", "2e-3", "1E+5", "6.02e23", "-0.5e-07"};
	const char *bad[] = {"1.", ".5", "-", "1e", "1e+", "nan", "inf", "1e999", "1x", "+1", "0x10", " 1"};
	for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
		ts_error err = TS_ERROR_INIT;
		if (check_with_field(0, row, 6, good[k], &err) != TS_OK)
			fail_msg("'%s' refused: %s", good[k], err.message);
	}
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		ts_error err = TS_ERROR_INIT;
		if (check_with_field(0, row, 7, bad[k], &err) == TS_OK)
			fail_msg("'%s' taken for a number", bad[k]);
	}
	free(row);
}

/* A failed run has empty metrics and a message; an ok one no message. */
static void a_failed_row_needs_empty_metrics_and_a_message(void **state)
{
	(void)state;
	char line[256], *fields[16];
	ts_error err = TS_ERROR_INIT;
	char *row = row_of(2), *cut = row;
	for (int commas = 0; commas < 6; cut++)  /* after run,point,rep,seed and both parameters */
		commas += *cut == ',';
	snprintf(line, sizeof line, "%.*s,,failed,it broke\n", (int)(cut - row), row);
	assert_int_equal(ts_sweep_row_check(sweep, 2, line, fields, &err), TS_OK);
	snprintf(line, sizeof line, "%.*s,,failed,\n", (int)(cut - row), row);
	assert_int_equal(ts_sweep_row_check(sweep, 2, line, fields, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "a failed run without a message"));
	ts_error_clear(&err);
	snprintf(line, sizeof line, "%.*s1,,failed,it broke\n", (int)(cut - row), row);
	assert_int_equal(ts_sweep_row_check(sweep, 2, line, fields, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "is '1', expected an empty cell (failed run)"));
	free(row);
}

static void a_torn_row_or_a_wrong_field_count_is_refused(void **state)
{
	(void)state;
	char *fields[16], line[1024];
	char *row = row_of(1);
	ts_error err = TS_ERROR_INIT;
	snprintf(line, sizeof line, "%.*s", (int)strlen(row) - 1, row);  /* no newline */
	assert_int_equal(ts_sweep_row_check(sweep, 1, line, fields, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "torn row (no end of line)"));
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_row_check(sweep, 1, strcpy(line, ""), fields, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "torn row"));
	ts_error_clear(&err);
	snprintf(line, sizeof line, "%.*s,x\n", (int)strlen(row) - 1, row);
	assert_int_equal(ts_sweep_row_check(sweep, 1, line, fields, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "more than 10 fields, expected 10"));
	ts_error_clear(&err);
	snprintf(line, sizeof line, "1,0,1\n");
	assert_int_equal(ts_sweep_row_check(sweep, 1, line, fields, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "3 fields, expected 10"));
	ts_error_clear(&err);
	snprintf(line, sizeof line, "1,0,1\"x,,,,,,\n");
	assert_int_equal(ts_sweep_row_check(sweep, 1, line, fields, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "field 3: a quote inside an unquoted field"));
	free(row);
}

static void failed_runs_are_counted_and_a_malformed_row_named(void **state)
{
	(void)state;
	char dir[256], path[512], text[4096];
	tu_make_dir(dir, sizeof dir, "sweep_csv_count");
	snprintf(path, sizeof path, "%s/sweep.csv", dir);
	char *h = ts_sweep_header(sweep);
	snprintf(text, sizeof text, "%s\n", h);
	free(h);
	for (long run = 0; run < 4; run++) {
		char *row = row_of(run);
		strcat(text, row);
		free(row);
	}
	strcat(text, "4,2,0,1,0,2018Q3,,,failed,no\n5,2,1,1,0,2018Q3,,,failed,\"a, b\"\n");
	tu_write_file(path, text);
	long failed = -1, runs = -1;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_count_failed(sweep, dir, &failed, &runs, &err), TS_OK);
	assert_int_equal(runs, 6);
	assert_int_equal(failed, 2);
	strcat(text, "6,3\n");
	tu_write_file(path, text);
	assert_int_equal(ts_sweep_count_failed(sweep, dir, &failed, &runs, &err), TS_EIO);
	assert_non_null(strstr(err.message, "sweep.csv: malformed row 7"));
	ts_error_clear(&err);
	strcat(text, "\"7\n");
	tu_write_file(path, text);
	assert_int_equal(ts_sweep_count_failed(sweep, dir, &failed, &runs, &err), TS_EIO);
	ts_error_clear(&err);
	tu_write_file(path, "");
	assert_int_equal(ts_sweep_count_failed(sweep, dir, &failed, &runs, &err), TS_EIO);
	assert_non_null(strstr(err.message, "sweep.csv: empty"));
	ts_error_clear(&err);
	unlink(path);
	assert_int_equal(ts_sweep_count_failed(sweep, dir, &failed, &runs, &err), TS_EIO);
	assert_non_null(strstr(err.message, "sweep.csv: cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_header_names_each_field_and_quotes_a_metric_name_with_a_comma),
		cmocka_unit_test(a_line_splits_into_its_fields_with_quotes_undone),
		cmocka_unit_test(a_line_with_more_fields_than_asked_counts_one_more),
		cmocka_unit_test(misplaced_quotes_are_refused_naming_the_field),
		cmocka_unit_test(the_rows_a_sweep_writes_pass_their_check),
		cmocka_unit_test(a_row_that_is_not_its_run_s_is_refused_naming_the_field),
		cmocka_unit_test(a_metric_must_be_a_finite_number_as_written_or_empty),
		cmocka_unit_test(a_failed_row_needs_empty_metrics_and_a_message),
		cmocka_unit_test(a_torn_row_or_a_wrong_field_count_is_refused),
		cmocka_unit_test(failed_runs_are_counted_and_a_malformed_row_named),
	};
	return cmocka_run_group_tests_name("sweep_csv", tests, setup, teardown);
}
