/* Error records (sim/util/error.c): diagnostics accumulate one per line, the
 * first status wins, the first TS_ERROR_MAX_DIAGNOSTICS are kept, and a full
 * buffer is never overrun. */
#include <string.h>
#include "testutil.h"

static void the_first_diagnostic_is_the_whole_message_and_sets_the_status(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_error_set(&err, TS_EINPUT, "a.cfg:%d: run.steps: %s", 3, "must be > 0"), TS_EINPUT);
	assert_int_equal(err.status, TS_EINPUT);
	assert_int_equal(err.count, 1);
	assert_string_equal(err.message, "a.cfg:3: run.steps: must be > 0");
}

static void later_diagnostics_go_on_lines_of_their_own(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	ts_error_set(&err, TS_EINPUT, "first");
	ts_error_set(&err, TS_EINPUT, "second");
	ts_error_set(&err, TS_EINPUT, "third");
	assert_int_equal(err.count, 3);
	assert_string_equal(err.message, "first\nsecond\nthird");
}

static void the_first_status_is_kept_and_each_call_returns_its_own(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_error_set(&err, TS_EIO, "disk"), TS_EIO);
	assert_int_equal(ts_error_set(&err, TS_ENOMEM, "memory"), TS_ENOMEM);
	assert_int_equal(err.status, TS_EIO);
}

/* 30 diagnostics: every one counted, the first 25 kept. */
static void diagnostics_past_the_maximum_are_counted_but_not_kept(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	for (int i = 1; i <= TS_ERROR_MAX_DIAGNOSTICS + 5; i++)
		ts_error_set(&err, TS_EINPUT, "d%d", i);
	assert_int_equal(err.count, TS_ERROR_MAX_DIAGNOSTICS + 5);
	assert_int_equal(tu_count_lines(err.message) + 1, TS_ERROR_MAX_DIAGNOSTICS);
	const char *last = strrchr(err.message, '\n') + 1;
	assert_string_equal(last, "d25");
}

/* A first diagnostic longer than the buffer is cut to TS_ERROR_MESSAGE_MAX - 1
 * characters; a second one then finds no room, not even for its newline, and
 * writes nothing past the buffer (the guard bytes after it stay as set). */
static void a_full_message_buffer_takes_no_more_and_is_not_overrun(void **state)
{
	(void)state;
	struct {
		ts_error err;
		char guard[16];
	} s;
	memset(&s, 0, sizeof s);
	memset(s.guard, 'G', sizeof s.guard);
	static char long_text[TS_ERROR_MESSAGE_MAX + 100];
	memset(long_text, 'x', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	ts_error_set(&s.err, TS_EINPUT, "%s", long_text);
	assert_int_equal(strlen(s.err.message), TS_ERROR_MESSAGE_MAX - 1);
	ts_error_set(&s.err, TS_EINPUT, "second");
	assert_int_equal(s.err.count, 2);
	assert_int_equal(strlen(s.err.message), TS_ERROR_MESSAGE_MAX - 1);
	assert_int_equal(s.err.message[TS_ERROR_MESSAGE_MAX - 2], 'x');
	for (size_t k = 0; k < sizeof s.guard; k++)
		assert_int_equal(s.guard[k], 'G');
}

/* One character short of full: the newline fits, the text is cut to nothing. */
static void a_nearly_full_buffer_takes_the_newline_and_cuts_the_text(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	memset(err.message, 'x', TS_ERROR_MESSAGE_MAX - 2);
	err.message[TS_ERROR_MESSAGE_MAX - 2] = '\0';
	ts_error_set(&err, TS_EINPUT, "second");
	assert_int_equal(strlen(err.message), TS_ERROR_MESSAGE_MAX - 1);
	assert_int_equal(err.message[TS_ERROR_MESSAGE_MAX - 2], '\n');
}

static void clearing_resets_status_count_and_message(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	ts_error_set(&err, TS_EIO, "gone");
	ts_error_clear(&err);
	assert_int_equal(err.status, TS_OK);
	assert_int_equal(err.count, 0);
	assert_string_equal(err.message, "");
	ts_error_set(&err, TS_EINPUT, "fresh");
	assert_int_equal(err.status, TS_EINPUT);
	assert_string_equal(err.message, "fresh");
}

static void a_null_record_is_allowed_and_the_status_still_returned(void **state)
{
	(void)state;
	ts_error_clear(NULL);
	assert_int_equal(ts_error_set(NULL, TS_ERUN, "nobody listens"), TS_ERUN);
}

static void every_status_has_a_name(void **state)
{
	(void)state;
	assert_string_equal(ts_status_name(TS_OK), "ok");
	assert_string_equal(ts_status_name(TS_ENOMEM), "out of memory");
	assert_string_equal(ts_status_name(TS_EINPUT), "bad input");
	assert_string_equal(ts_status_name(TS_EIO), "input/output error");
	assert_string_equal(ts_status_name(TS_ERUN), "run failure");
	assert_string_equal(ts_status_name(TS_ECANCELED), "canceled");
	assert_string_equal(ts_status_name(TS_EBUSY), "in use");
	assert_string_equal(ts_status_name((ts_status)-99), "unknown status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_first_diagnostic_is_the_whole_message_and_sets_the_status),
		cmocka_unit_test(later_diagnostics_go_on_lines_of_their_own),
		cmocka_unit_test(the_first_status_is_kept_and_each_call_returns_its_own),
		cmocka_unit_test(diagnostics_past_the_maximum_are_counted_but_not_kept),
		cmocka_unit_test(a_full_message_buffer_takes_no_more_and_is_not_overrun),
		cmocka_unit_test(a_nearly_full_buffer_takes_the_newline_and_cuts_the_text),
		cmocka_unit_test(clearing_resets_status_count_and_message),
		cmocka_unit_test(a_null_record_is_allowed_and_the_status_still_returned),
		cmocka_unit_test(every_status_has_a_name),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
