/* What a run of a sweep is: run r is design point r / replications,
 * replication r % replications, with its seed; the point's coordinates come
 * from the design plan on demand, through a pool of cursors shared by the
 * threads, and become parameter values as libconfig text (for the scenario)
 * and as CSV text (for sweep.csv and points.csv). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/design.h>
#include <tradesim/stats.h>
#include "batch/sweep_impl.h"
#include "output/csv.h"
#include "util/assert.h"

uint32_t ts_sweep_seed(const ts_sweep *s, long run)
{
	/* Common seeds: replication r of every point sees the same random numbers. */
	return ts_seed_derive(s->seed, (uint64_t)(s->common_seeds ? run % s->reps : run));
}

/* The idle cursor closest to point i, or NULL when none is idle; lock held. */
static ts_design_cursor *take_cursor(ts_sweep *s, size_t i)
{
	int best = -1;
	size_t best_distance = 0;
	for (int c = 0; c < s->n_cursors; c++) {
		size_t d = ts_design_cursor_distance(s->cursors[c], i);
		if (best < 0 || d < best_distance) {
			best = c;
			best_distance = d;
		}
	}
	if (best < 0)
		return NULL;
	ts_design_cursor *cursor = s->cursors[best];
	s->cursors[best] = s->cursors[--s->n_cursors];
	return cursor;
}

/* Back to the pool, which grows to as many cursors as threads ask at once;
 * whether it kept c (without room, the caller frees it). Lock held. */
static int kept_in_pool(ts_sweep *s, ts_design_cursor *c)
{
	if (s->n_cursors == s->cap_cursors) {
		int cap = s->cap_cursors ? 2 * s->cap_cursors : 4;
		ts_design_cursor **grown = realloc(s->cursors, (size_t)cap * sizeof *grown);
		if (!grown)
			return 0;
		s->cursors = grown;
		s->cap_cursors = cap;
	}
	s->cursors[s->n_cursors++] = c;
	return 1;
}

int ts_sweep_point(const ts_sweep *cs, long point, double *u, ts_error *err)
{
	TS_ASSERT(point >= 0 && point < cs->n_points);
	ts_sweep *s = (ts_sweep *)cs;  /* the cursor pool is a cache: the design's values do not change */
	pthread_mutex_lock(&s->lock);
	ts_design_cursor *c = take_cursor(s, (size_t)point);
	pthread_mutex_unlock(&s->lock);
	if (!c) {
		int rc = ts_design_cursor_alloc(&c, s->plan, err);
		if (rc != TS_OK)
			return rc;
	}
	ts_design_point(c, (size_t)point, u);
	pthread_mutex_lock(&s->lock);
	int kept = kept_in_pool(s, c);
	pthread_mutex_unlock(&s->lock);
	if (!kept)
		ts_design_cursor_free(c);  /* the next caller makes another */
	return TS_OK;
}

void ts_sweep_float_literal(char *buf, size_t size, double v)
{
	ts_format_double(buf, size, v);
	if (!strpbrk(buf, ".eEn"))
		strncat(buf, ".0", size - strlen(buf) - 1);
}

/* A value list's entry at coordinate u: the grid's levels are evenly spaced
 * over [0, 1] (docs/sweep.md), other designs take floor(u * count). */
static int list_index(const ts_sweep *s, const ts_sweep_param *p, double u)
{
	int k = s->design == TS_SWEEP_GRID ? (int)lround(u * (p->n_values - 1)) : (int)floor(u * p->n_values);
	return k < 0 ? 0 : k >= p->n_values ? p->n_values - 1 : k;
}

const char *ts_sweep_value_cfg(const ts_sweep *s, int j, double u, char *buf, size_t size)
{
	TS_ASSERT(j >= 0 && j < s->n_params);
	const ts_sweep_param *p = &s->params[j];
	if (!p->is_range)
		return p->values_cfg[list_index(s, p, u)];
	double v = ts_design_scale(u, p->lo, p->hi, p->log_scale);
	if (p->integer)
		snprintf(buf, size, "%.0f", round(v));
	else
		ts_sweep_float_literal(buf, size, v);
	return buf;
}

const char *ts_sweep_value_csv(const ts_sweep *s, int j, double u, char *buf, size_t size)
{
	TS_ASSERT(j >= 0 && j < s->n_params);
	const ts_sweep_param *p = &s->params[j];
	if (!p->is_range)
		return p->values_csv[list_index(s, p, u)];
	double v = ts_design_scale(u, p->lo, p->hi, p->log_scale);
	ts_format_double(buf, size, p->integer ? round(v) : v);
	return buf;
}
