/* The thread executor (util/parallel.h): every item once, in-order hand-off
 * within the window, cancellation, failures, items claimed for elsewhere,
 * open-ended item streams; and the parallel for-loop on it. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"
#include "util/parallel.h"

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* A result that names its item. */
static int item_result(long item, void **result)
{
	long *r = malloc(sizeof *r);
	if (!r)
		return TS_ENOMEM;
	*r = item;
	*result = r;
	return TS_OK;
}

/* An executor over items begin .. end-1, started or the test fails. */
static ts_executor *start(int jobs, long begin, long end, long window, ts_executor_work work, void *ctx)
{
	ts_executor_options o = TS_EXECUTOR_OPTIONS_INIT;
	o.jobs = jobs;
	o.begin = begin;
	o.end = end;
	o.window = window;
	o.work = work;
	o.ctx = ctx;
	ts_executor *x = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_executor_start(&x, &o, &err) != TS_OK)
		fail_msg("%s", err.message);
	return x;
}

static void count_item(int i, int worker, void *ctx)
{
	(void)worker;
	int *count = ctx;
	count[i]++;  /* each item its own slot: no shared state */
}

static void the_parallel_for_runs_every_item_exactly_once(void **state)
{
	(void)state;
	enum { N = 1000 };
	int count[N] = {0};
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_parallel_for(N, 4, count_item, count, &err), TS_OK);
	for (int i = 0; i < N; i++)
		assert_int_equal(count[i], 1);
	assert_int_equal(ts_parallel_for(0, 4, count_item, count, &err), TS_OK);  /* nothing to do */
}

/* Early items take longest, so later ones finish first. */
static int slow_early_items(long item, int worker, void *ctx, void **result, ts_error *err)
{
	(void)worker;
	(void)ctx;
	(void)err;
	sleep_ms(item < 4 ? 20 - 5 * item : 0);
	return item_result(item, result);
}

static void results_are_handed_over_in_item_order_whatever_order_they_finish_in(void **state)
{
	(void)state;
	ts_executor *x = start(4, 3, 40, 8, slow_early_items, NULL);
	ts_error err = TS_ERROR_INIT;
	long item, expect = 3;
	void *result;
	while (ts_executor_next(x, -1, &item, &result) == TS_EXECUTOR_RESULT) {
		assert_int_equal(item, expect);
		assert_int_equal(*(long *)result, expect);
		free(result);
		expect++;
	}
	assert_int_equal(expect, 40);
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

/* Item 0 waits at a gate the test opens; every start is recorded. */
typedef struct gated {
	pthread_mutex_t lock;
	int open;
	long highest_started;
} gated;

static int gate_item(long item, int worker, void *ctx, void **result, ts_error *err)
{
	(void)worker;
	(void)err;
	gated *g = ctx;
	pthread_mutex_lock(&g->lock);
	if (item > g->highest_started)
		g->highest_started = item;
	pthread_mutex_unlock(&g->lock);
	for (int open = 0; item == 0 && !open; sleep_ms(1)) {
		pthread_mutex_lock(&g->lock);
		open = g->open;
		pthread_mutex_unlock(&g->lock);
	}
	return item_result(item, result);
}

static void no_item_starts_a_window_or_more_past_the_first_not_handed_over(void **state)
{
	(void)state;
	gated g = {PTHREAD_MUTEX_INITIALIZER, 0, -1};
	ts_executor *x = start(4, 0, 10, 3, gate_item, &g);
	ts_error err = TS_ERROR_INIT;
	long item;
	void *result;
	/* While item 0 runs, items 1 and 2 may finish, item 3 may not start:
	 * three rows at most wait in memory. Wait for item 2 to start (however
	 * loaded the machine), then give item 3 time it must not use. */
	for (long started = -1, waited_ms = 0; started < 2 && waited_ms < 10000; waited_ms += 5) {
		sleep_ms(5);
		pthread_mutex_lock(&g.lock);
		started = g.highest_started;
		pthread_mutex_unlock(&g.lock);
	}
	assert_int_equal(ts_executor_next(x, 100, &item, &result), TS_EXECUTOR_TIMEOUT);
	pthread_mutex_lock(&g.lock);
	assert_int_equal(g.highest_started, 2);
	g.open = 1;
	pthread_mutex_unlock(&g.lock);
	for (long expect = 0; expect < 10; expect++) {
		assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_RESULT);
		assert_int_equal(item, expect);
		free(result);
	}
	assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_DRAINED);
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

/* Item 2 sets the cancel flag, as a SIGINT handler would. */
static int cancel_at_two(long item, int worker, void *ctx, void **result, ts_error *err)
{
	(void)worker;
	(void)err;
	if (item == 2)
		*(volatile sig_atomic_t *)ctx = 1;
	return item_result(item, result);
}

static void a_set_cancel_flag_starts_no_further_item_and_hands_over_those_started(void **state)
{
	(void)state;
	volatile sig_atomic_t cancel = 0;
	ts_executor_options o = TS_EXECUTOR_OPTIONS_INIT;
	o.jobs = 1;
	o.end = 100;
	o.window = 10;
	o.cancel = &cancel;
	o.work = cancel_at_two;
	o.ctx = (void *)&cancel;
	ts_executor *x = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_executor_start(&x, &o, &err), TS_OK);
	long item, n = 0;
	void *result;
	while (ts_executor_next(x, -1, &item, &result) == TS_EXECUTOR_RESULT) {
		assert_int_equal(item, n++);
		free(result);
	}
	assert_int_equal(n, 3);  /* items 0, 1, 2; none after */
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

static int fail_at_five(long item, int worker, void *ctx, void **result, ts_error *err)
{
	(void)worker;
	if (ctx)
		*(long *)ctx = item;  /* the last item started (one worker) */
	if (item == 5)
		return ts_error_set(err, TS_EIO, "item five broke");
	return item_result(item, result);
}

static void a_failing_item_stops_the_executor_and_finish_returns_its_error(void **state)
{
	(void)state;
	long last_started = -1;
	ts_executor *x = start(1, 0, 100, 4, fail_at_five, &last_started);
	ts_error err = TS_ERROR_INIT;
	long item, n = 0;
	void *result;
	while (ts_executor_next(x, -1, &item, &result) == TS_EXECUTOR_RESULT) {
		free(result);
		n++;
	}
	assert_true(n <= 5);  /* nothing at or after the failed item */
	assert_int_equal(ts_executor_finish(x, &err), TS_EIO);
	assert_string_equal(err.message, "item five broke");
	assert_int_equal(last_started, 5);  /* the one worker started nothing after it */
}

static int plain_item(long item, int worker, void *ctx, void **result, ts_error *err)
{
	(void)worker;
	(void)ctx;
	(void)err;
	return item_result(item, result);
}

static long *boxed(long v)
{
	long *r = malloc(sizeof *r);
	assert_non_null(r);
	*r = v;
	return r;
}

static void claimed_items_put_back_in_any_order_are_handed_over_in_item_order(void **state)
{
	(void)state;
	gated g = {PTHREAD_MUTEX_INITIALIZER, 0, -1};
	ts_executor *x = start(1, 0, 30, 8, gate_item, &g);
	ts_error err = TS_ERROR_INIT;
	long first = -1, item;
	void *result;
	long m = ts_executor_claim(x, 3, &first);
	assert_int_equal(m, 3);
	assert_true(first == 0 || first == 1);
	/* Not claimed, or twice: refused, and the result is taken anyway. */
	assert_int_equal(ts_executor_put(x, first + m, boxed(-1), &err), TS_EIO);
	ts_error_clear(&err);
	for (long i = m - 1; i >= 0; i--)
		assert_int_equal(ts_executor_put(x, first + i, boxed(1000 + first + i), &err), TS_OK);
	assert_int_equal(ts_executor_put(x, first, boxed(-1), &err), TS_EIO);
	ts_error_clear(&err);
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_mutex_unlock(&g.lock);
	for (long expect = 0; expect < 30; expect++) {
		assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_RESULT);
		assert_int_equal(item, expect);
		int claimed = item >= first && item < first + m;
		assert_int_equal(*(long *)result, claimed ? 1000 + item : item);
		free(result);
	}
	assert_int_equal(ts_executor_next(x, 0, &item, &result), TS_EXECUTOR_DRAINED);
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

static void a_claimed_item_not_yet_put_keeps_the_executor_from_draining(void **state)
{
	(void)state;
	gated g = {PTHREAD_MUTEX_INITIALIZER, 0, -1};
	ts_executor *x = start(1, 0, 2, 4, gate_item, &g);
	ts_error err = TS_ERROR_INIT;
	long first = -1, item;
	void *result;
	assert_int_equal(ts_executor_claim(x, 1, &first), 1);  /* item 0 or 1, whichever the worker has not */
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_mutex_unlock(&g.lock);
	if (first == 1) {
		assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_RESULT);
		assert_int_equal(item, 0);
		free(result);
	}
	/* The worker has nothing left, but the claimed item's result may still come. */
	assert_int_equal(ts_executor_next(x, 50, &item, &result), TS_EXECUTOR_TIMEOUT);
	assert_int_equal(ts_executor_put(x, first, boxed(first), &err), TS_OK);
	for (long expect = first; expect < 2; expect++) {
		assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_RESULT);
		assert_int_equal(item, expect);
		free(result);
	}
	assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_DRAINED);
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

/* An open-ended executor of plain items with a window of 6, started or the
 * test fails. */
static ts_executor *start_open_ended(int jobs)
{
	ts_executor_options o = TS_EXECUTOR_OPTIONS_INIT;
	o.jobs = jobs;
	o.open_ended = 1;
	o.window = 6;
	o.work = plain_item;
	ts_executor *x = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_executor_start(&x, &o, &err) != TS_OK)
		fail_msg("%s", err.message);
	return x;
}

static void an_open_ended_executor_runs_items_as_they_are_added_until_closed(void **state)
{
	(void)state;
	ts_executor *x = start_open_ended(3);
	ts_error err = TS_ERROR_INIT;
	long item;
	void *result;
	assert_int_equal(ts_executor_room(x), 6);
	assert_int_equal(ts_executor_next(x, 20, &item, &result), TS_EXECUTOR_TIMEOUT);  /* nothing yet */
	ts_executor_extend(x, 4);
	assert_int_equal(ts_executor_room(x), 2);
	for (long expect = 0; expect < 4; expect++) {
		assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_RESULT);
		assert_int_equal(item, expect);
		free(result);
	}
	assert_true(ts_executor_has_work(x));  /* more may come */
	ts_executor_extend(x, 2);
	ts_executor_close(x);
	for (long expect = 4; expect < 6; expect++) {
		assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_RESULT);
		assert_int_equal(item, expect);
		free(result);
	}
	assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_DRAINED);
	assert_false(ts_executor_has_work(x));
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

static void finishing_early_releases_results_never_handed_over(void **state)
{
	(void)state;
	/* Under AddressSanitizer a result left behind would be a leak. */
	ts_executor *x = start(2, 0, 50, 10, plain_item, NULL);
	ts_error err = TS_ERROR_INIT;
	long item;
	void *result;
	assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_RESULT);
	free(result);
	sleep_ms(20);  /* let the window fill */
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

/* Results made and results released, counted under a lock. */
typedef struct tally {
	pthread_mutex_t lock;
	long made, released;
} tally;

static tally counted = {PTHREAD_MUTEX_INITIALIZER, 0, 0};

static void counted_release(void *result)
{
	pthread_mutex_lock(&counted.lock);
	counted.released++;
	pthread_mutex_unlock(&counted.lock);
	free(result);
}

/* Makes a result for every item; item 3 fails after making it. */
static int counted_item(long item, int worker, void *ctx, void **result, ts_error *err)
{
	(void)worker;
	(void)ctx;
	pthread_mutex_lock(&counted.lock);
	counted.made++;
	pthread_mutex_unlock(&counted.lock);
	int rc = item_result(item, result);
	if (rc == TS_OK && item == 3)
		return ts_error_set(err, TS_EIO, "item three broke");
	return rc;
}

static ts_executor *start_counted(long end, long window)
{
	counted.made = counted.released = 0;
	ts_executor_options o = TS_EXECUTOR_OPTIONS_INIT;
	o.jobs = 2;
	o.end = end;
	o.window = window;
	o.work = counted_item;
	o.release = counted_release;
	ts_executor *x = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_executor_start(&x, &o, &err) != TS_OK)
		fail_msg("%s", err.message);
	return x;
}

/* Every result is either handed over or given to the release function:
 * those of a failed item, those waiting when the executor finishes. */
static void every_result_not_handed_over_goes_to_the_release_function(void **state)
{
	(void)state;
	ts_executor *x = start_counted(50, 10);
	ts_error err = TS_ERROR_INIT;
	long item, handed = 0;
	void *result;
	while (ts_executor_next(x, -1, &item, &result) == TS_EXECUTOR_RESULT) {
		free(result);
		handed++;
	}
	assert_true(handed <= 3);
	assert_int_equal(ts_executor_finish(x, &err), TS_EIO);
	assert_string_equal(err.message, "item three broke");
	assert_true(counted.made >= 4);
	assert_int_equal(counted.made, handed + counted.released);
}

/* A failure reported from outside the workers stops the executor as an
 * item's would; a record without a status counts as a run failure. */
static void a_failure_reported_from_outside_stops_the_executor(void **state)
{
	(void)state;
	gated g = {PTHREAD_MUTEX_INITIALIZER, 0, -1};
	ts_executor *x = start(1, 0, 100, 4, gate_item, &g);
	ts_error outside = TS_ERROR_INIT;
	snprintf(outside.message, sizeof outside.message, "rank 2 died");
	ts_executor_fail(x, &outside);
	assert_false(ts_executor_has_work(x));
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_mutex_unlock(&g.lock);
	long item;
	void *result;
	assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_DRAINED);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_executor_finish(x, &err), TS_ERUN);
	assert_string_equal(err.message, "rank 2 died");
	assert_true(g.highest_started <= 0);  /* item 0 at most: it may have started before */
}

/* A stopped executor starts nothing more and has no work left. */
static void a_stopped_executor_has_no_work_and_drains(void **state)
{
	(void)state;
	gated g = {PTHREAD_MUTEX_INITIALIZER, 0, -1};
	ts_executor *x = start(1, 0, 100, 4, gate_item, &g);
	assert_true(ts_executor_has_work(x));
	ts_executor_stop(x);
	assert_false(ts_executor_has_work(x));
	long first = -1;
	assert_int_equal(ts_executor_claim(x, 5, &first), 0);  /* nothing to claim either */
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_mutex_unlock(&g.lock);
	long item, n = 0;
	void *result;
	while (ts_executor_next(x, -1, &item, &result) == TS_EXECUTOR_RESULT) {
		assert_int_equal(item, n++);
		free(result);
	}
	assert_true(n <= 1);  /* item 0 at most: it had started */
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

/* Claims stop at the window and at the last item; a second claim with the
 * window full gets nothing; results for items before the window or never
 * claimed are refused. */
static void claims_stop_at_the_window_and_at_the_last_item(void **state)
{
	(void)state;
	gated g = {PTHREAD_MUTEX_INITIALIZER, 0, -1};
	ts_executor *x = start(1, 0, 30, 8, gate_item, &g);  /* the worker holds item 0 or none yet */
	long first = -1, item;
	void *result;
	long m = ts_executor_claim(x, 100, &first);
	assert_int_equal(first + m, 8);  /* the window: items 0 .. 7 */
	long after = -1;
	assert_int_equal(ts_executor_claim(x, 100, &after), 0);
	assert_int_equal(after, 8);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_executor_put(x, -1, boxed(-1), &err), TS_EIO);
	ts_error_clear(&err);
	assert_int_equal(ts_executor_put(x, 8, boxed(-1), &err), TS_EIO);
	ts_error_clear(&err);
	for (long i = first; i < 8; i++)
		assert_int_equal(ts_executor_put(x, i, boxed(i), &err), TS_OK);
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_mutex_unlock(&g.lock);
	for (long expect = 0; expect < 30; expect++) {
		assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_RESULT);
		free(result);
		if (expect == 0) {  /* handed over: refused now */
			assert_int_equal(ts_executor_put(x, 0, boxed(-1), &err), TS_EIO);
			ts_error_clear(&err);
		}
	}
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
	g.open = 0;
	g.highest_started = -1;
	x = start(1, 0, 5, 8, gate_item, &g);
	m = ts_executor_claim(x, 100, &first);
	assert_int_equal(first + m, 5);  /* the last item */
	for (long i = first; i < 5; i++)
		assert_int_equal(ts_executor_put(x, i, boxed(i), &err), TS_OK);
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_mutex_unlock(&g.lock);
	while (ts_executor_next(x, -1, &item, &result) == TS_EXECUTOR_RESULT)
		free(result);
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

/* The room of an open-ended executor is what the window still takes beyond
 * the items added; never negative. */
static void the_room_beyond_the_items_added_is_never_negative(void **state)
{
	(void)state;
	ts_executor *x = start_open_ended(1);
	ts_error err = TS_ERROR_INIT;
	ts_executor_extend(x, 10);
	assert_int_equal(ts_executor_room(x), 0);
	ts_executor_close(x);
	long item;
	void *result;
	for (long expect = 0; expect < 10; expect++) {
		assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_RESULT);
		assert_int_equal(item, expect);
		free(result);
	}
	assert_int_equal(ts_executor_room(x), 6);
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

/* A timed wait lasts its time: 999 ms carry into the next second. */
static void a_timed_wait_for_nothing_lasts_its_timeout(void **state)
{
	(void)state;
	ts_executor *x = start_open_ended(1);
	ts_error err = TS_ERROR_INIT;
	struct timespec t0, t1;
	long item;
	void *result;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(ts_executor_next(x, 999, &item, &result), TS_EXECUTOR_TIMEOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double waited = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	assert_true(waited >= 0.998);
	assert_int_equal(ts_executor_next(x, 0, &item, &result), TS_EXECUTOR_TIMEOUT);  /* no wait at all */
	ts_executor_close(x);
	assert_int_equal(ts_executor_next(x, -1, &item, &result), TS_EXECUTOR_DRAINED);
	assert_int_equal(ts_executor_finish(x, &err), TS_OK);
}

/* Items of a for-loop beyond the workers' number still run, on worker ids
 * below it; jobs <= 0 means one worker. */
static void record_worker(int i, int worker, void *ctx)
{
	int *seen = ctx;
	seen[i] = worker;
}

static void a_for_loop_uses_worker_ids_below_its_job_count(void **state)
{
	(void)state;
	enum { N = 200 };
	int seen[N];
	ts_error err = TS_ERROR_INIT;
	for (int jobs = -1; jobs <= 3; jobs++) {
		memset(seen, -1, sizeof seen);
		assert_int_equal(ts_parallel_for(N, jobs, record_worker, seen, &err), TS_OK);
		for (int i = 0; i < N; i++)
			assert_true(seen[i] >= 0 && seen[i] < (jobs > 0 ? jobs : 1));
	}
	assert_int_equal(ts_parallel_for(-5, 2, record_worker, seen, &err), TS_OK);  /* nothing to do */
	assert_true(ts_cpu_count() >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_parallel_for_runs_every_item_exactly_once),
		cmocka_unit_test(results_are_handed_over_in_item_order_whatever_order_they_finish_in),
		cmocka_unit_test(no_item_starts_a_window_or_more_past_the_first_not_handed_over),
		cmocka_unit_test(a_set_cancel_flag_starts_no_further_item_and_hands_over_those_started),
		cmocka_unit_test(a_failing_item_stops_the_executor_and_finish_returns_its_error),
		cmocka_unit_test(claimed_items_put_back_in_any_order_are_handed_over_in_item_order),
		cmocka_unit_test(a_claimed_item_not_yet_put_keeps_the_executor_from_draining),
		cmocka_unit_test(an_open_ended_executor_runs_items_as_they_are_added_until_closed),
		cmocka_unit_test(finishing_early_releases_results_never_handed_over),
		cmocka_unit_test(every_result_not_handed_over_goes_to_the_release_function),
		cmocka_unit_test(a_failure_reported_from_outside_stops_the_executor),
		cmocka_unit_test(a_stopped_executor_has_no_work_and_drains),
		cmocka_unit_test(claims_stop_at_the_window_and_at_the_last_item),
		cmocka_unit_test(the_room_beyond_the_items_added_is_never_negative),
		cmocka_unit_test(a_timed_wait_for_nothing_lasts_its_timeout),
		cmocka_unit_test(a_for_loop_uses_worker_ids_below_its_job_count),
	};
	return cmocka_run_group_tests_name("parallel", tests, NULL, NULL);
}
