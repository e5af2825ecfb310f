/* A calibration shared by processes (ts_calibrate_share; the CLI's MPI
 * ranks, here two threads exchanging through a barrier): the files are the
 * bytes of one process, process 1 touches nothing, every exchange is made
 * by both, and a failure on either side stops both with the same status. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include "testutil.h"

#define DATA TS_TEST_DATA_DIR "/"

static const char *const output_files[] = {"calibrate.csv", "best.csv", "best.cfg", "check.csv", "acceptance.csv",
                                           "profile.csv", "calibrate.json", NULL};

/* Two processes' meeting point: each puts its rows and status, waits for
 * the other, takes the other's rows (or the first failure), waits again.
 * A side that waits in vain (the other stopped exchanging: under MPI, a
 * job that hangs) gives up after 30 s and the test fails. */
typedef struct meeting {
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	int waiting, stuck;          /* stuck: a side waited 30 s for the other (a deadlock across processes) */
	long generation;
	char **rows[2];
	long n[2], exchanges[2];
	int status[2], mismatched, corrupt;  /* corrupt: damage the second row of the first batch process 0 receives */
	char message[2][TS_ERROR_MESSAGE_MAX];
	char dir[256];               /* both sides' output directory */
} meeting;

typedef struct side {
	meeting *l;
	int p;
	ts_calibration *c;
	ts_calibrate_share share;
	volatile sig_atomic_t cancel;
	ts_error err;
	int rc;
} side;

/* A barrier of two that gives up after 30 s: 0, or -1 (stuck, then for good). */
static int rendezvous(meeting *l)
{
	pthread_mutex_lock(&l->mutex);
	long generation = l->generation;
	if (!l->stuck && ++l->waiting == 2) {
		l->waiting = 0;
		l->generation++;
		pthread_cond_broadcast(&l->cond);
	}
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 30;
	while (!l->stuck && generation == l->generation)
		if (pthread_cond_timedwait(&l->cond, &l->mutex, &until) == ETIMEDOUT)
			l->stuck = 1;
	int rc = l->stuck ? -1 : 0;
	pthread_mutex_unlock(&l->mutex);
	return rc;
}

static int meet(void *ctx, char **rows, long n, int status, ts_error *err)
{
	side *s = ctx;
	meeting *l = s->l;
	int p = s->p, q = 1 - p;
	l->rows[p] = rows;
	l->n[p] = n;
	l->status[p] = status;
	snprintf(l->message[p], sizeof l->message[p], "%s", status == TS_OK ? "" : err->message);
	l->exchanges[p]++;
	if (rendezvous(l) != 0)
		return ts_error_set(err, TS_EIO, "the other side made no exchange");
	int first = l->status[0] != TS_OK ? 0 : l->status[1] != TS_OK ? 1 : -1, rc = TS_OK;
	l->mismatched |= first < 0 && l->n[0] != l->n[1];  /* a failure is told at whatever exchange comes */
	if (first >= 0) {
		rc = l->status[first];
		if (first != p)
			ts_error_set(err, rc, "process %d: %s", first, l->message[first]);
	} else {
		for (long i = q; i < n && i < l->n[q]; i += 2)
			rows[i] = strdup(l->rows[q][i]);
		if (p == 0 && l->corrupt && n > 1) {
			l->corrupt = 0;
			rows[1][strlen(rows[1]) - 2] ^= 1;  /* the last character of its row */
		}
	}
	if (rendezvous(l) != 0 && rc == TS_OK)  /* the other has taken its copies */
		rc = ts_error_set(err, TS_EIO, "the other side made no exchange");
	for (long i = 0; rc != TS_OK && rows && i < n; i++) {
		free(rows[i]);
		rows[i] = NULL;
	}
	return rc;
}

static void *run_side(void *arg)
{
	side *s = arg;
	ts_calibrate_options o = TS_CALIBRATE_OPTIONS_INIT;
	o.output_dir = s->l->dir;
	o.jobs = 1;
	o.cancel = &s->cancel;
	o.share = &s->share;
	s->rc = ts_calibration_run(s->c, &o, &s->err);
	return NULL;
}

/* The two sides of calib_share.cfg into dir, process `cancelled` (-1:
 * none) interrupted from the start; corrupt as in meeting. */
static void run_both(side *sides, meeting *l, const char *dir, int cancelled, int corrupt)
{
	memset(l, 0, sizeof *l);
	snprintf(l->dir, sizeof l->dir, "%s", dir);
	pthread_mutex_init(&l->mutex, NULL);
	pthread_cond_init(&l->cond, NULL);
	l->corrupt = corrupt;
	pthread_t t[2];
	for (int p = 0; p < 2; p++) {
		side *s = &sides[p];
		*s = (side){.l = l, .p = p, .cancel = p == cancelled, .err = TS_ERROR_INIT};
		s->share = (ts_calibrate_share){p, 2, 3, meet, s};
		if (ts_calibration_load(&s->c, "calib_share.cfg", &s->err) != TS_OK)
			fail_msg("%s", s->err.message);
	}
	for (int p = 0; p < 2; p++)
		assert_int_equal(pthread_create(&t[p], NULL, run_side, &sides[p]), 0);
	for (int p = 0; p < 2; p++)
		pthread_join(t[p], NULL);
	pthread_mutex_destroy(&l->mutex);
	pthread_cond_destroy(&l->cond);
	assert_false(l->stuck);
	assert_false(l->mismatched);
	assert_int_equal(l->exchanges[0], l->exchanges[1]);
}

static void free_both(side *sides)
{
	for (int p = 0; p < 2; p++)
		ts_calibration_free(sides[p].c);
}

static void write_calibration(void)
{
	tu_write_file("calib_share.cfg", "scenario = \"" DATA "calib_world.cfg\"; facts = \"" DATA "calib_facts.cfg\";\n"
	              "replications = 2; points = 16; starts = 1; evaluations = 20; profile = 5;\n"
	              "parameters = ( { path = \"countries.US.markets.phones.size\"; min = 250.0; max = 350.0; },\n"
	              "  { path = \"countries.CN.markets.phones.size\"; min = 350.0; max = 450.0; } );\n");
}

/* Interrupted on process 1 from the start: both stop (process 0 says
 * whose), the journal's header kept; then the whole calibration, shared,
 * writes the bytes of one process alone, and again resumed from them. */
static void two_processes_write_the_bytes_of_one(void **state)
{
	(void)state;
	write_calibration();
	char ref[256];
	tu_make_dir(ref, sizeof ref, "calib_share_ref");
	assert_int_equal(tu_cli(NULL, "calibrate calib_share.cfg -j 1 -o %s >/dev/null", ref), 0);
	char dir[256];
	tu_make_dir(dir, sizeof dir, "calib_share");
	side sides[2];
	meeting l;
	run_both(sides, &l, dir, 1, 0);
	assert_int_equal(sides[0].rc, TS_ECANCELED);
	assert_int_equal(sides[1].rc, TS_ECANCELED);
	assert_non_null(strstr(sides[0].err.message, "process 1: interrupted"));
	char path[300];
	snprintf(path, sizeof path, "%s/calibrate.csv.part", dir);
	assert_int_equal(access(path, F_OK), 0);
	free_both(sides);
	for (int round = 0; round < 2; round++) {  /* fresh, then resumed from the finished journal */
		run_both(sides, &l, dir, -1, 0);
		assert_int_equal(sides[0].rc, TS_OK);
		assert_int_equal(sides[1].rc, TS_OK);
		/* The journal's rows, the batches, the end; resumed: no batch. */
		if (round == 0)
			assert_true(l.exchanges[0] > 2);
		else
			assert_int_equal(l.exchanges[0], 2);
		for (const char *const *f = output_files; *f; f++) {
			char *x = tu_read_in(ref, *f), *y = tu_read_in(dir, *f);
			if (strcmp(x, y) != 0)
				fail_msg("%s differs between %s and %s", *f, ref, dir);
			free(x);
			free(y);
		}
		/* Process 1 holds the results as well, from the rows it was given. */
		assert_double_equal(ts_calibration_best_loss(sides[1].c), ts_calibration_best_loss(sides[0].c), 0.0);
		assert_int_equal(ts_calibration_accepted(sides[1].c), ts_calibration_accepted(sides[0].c));
		free_both(sides);
	}
}

/* A row that does not read back (damaged on its way to process 0) stops
 * process 0, which tells process 1 at the next exchange: both fail, none
 * waits for the other, the calibration stays unfinished. */
static void a_row_that_does_not_read_back_stops_both(void **state)
{
	(void)state;
	write_calibration();
	char dir[256];
	tu_make_dir(dir, sizeof dir, "calib_share");
	side sides[2];
	meeting l;
	run_both(sides, &l, dir, -1, 1);
	assert_int_equal(sides[0].rc, TS_EIO);
	assert_int_equal(sides[1].rc, TS_EIO);
	assert_non_null(strstr(sides[0].err.message, "evaluation 1: the row process 1 made does not read back"));
	assert_non_null(strstr(sides[1].err.message, "process 0: evaluation 1"));
	char path[300];
	snprintf(path, sizeof path, "%s/calibrate.csv", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	free_both(sides);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_processes_write_the_bytes_of_one),
		cmocka_unit_test(a_row_that_does_not_read_back_stops_both),
	};
	return cmocka_run_group_tests_name("calibrate_share", tests, NULL, NULL);
}
