/* Alliance pressure (docs/model.md §12): while a bloc leader's pressure is
 * scheduled in force, each ally it asks adopts the pressed measure with
 * probability alignment x pressure per step; the ally's copy starts `delay`
 * steps later and ends with the original. One draw per pressure-ally pair
 * and step from the policy's own generator, used or not (§9). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <gsl/gsl_rng.h>
#include "scenario/policy.h"
#include "util/assert.h"
#include "model/timing.h"
#include "model/world.h"

/* Fills the pressure-ally pairs; returns the bytes their copies' names,
 * "<measure>@<ally>", need with their NULs. */
static size_t list_pairs(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	size_t name_bytes = 1;
	int n = 0;
	for (int j = 0; j < s->n_measures; j++) {
		int count = ts_policy_pressure_allies(s, j, w->pa_ally + n);
		for (int p = n; p < n + count; p++) {
			w->pa_pressure[p] = j;
			w->pa_inst[p] = -1;
			name_bytes += strlen(s->measures[s->measures[j].pressed_measure].id) +
				      strlen(s->countries[w->pa_ally[p]].id) + 2;
		}
		n += count;
	}
	TS_ASSERT(n == w->npa);  /* world.c sized the pairs with ts_policy_pressure_pairs() */
	return name_bytes;
}

int ts_alliances_init(struct ts_sim *w, ts_error *err)
{
	const ts_scenario *s = w->scn;
	w->pa_names = malloc(list_pairs(w));
	if (!w->pa_names)
		return ts_error_set(err, TS_ENOMEM, "out of memory naming allies' copies of pressed measures");
	char *at = w->pa_names;
	for (int p = 0; p < w->npa; p++) {
		const char *measure = s->measures[s->measures[w->pa_pressure[p]].pressed_measure].id;
		const char *ally = s->countries[w->pa_ally[p]].id;
		size_t lm = strlen(measure), la = strlen(ally);
		memcpy(at, measure, lm);
		at[lm] = '@';
		memcpy(at + lm + 1, ally, la + 1);
		w->pa_name[p] = at;
		at += lm + la + 2;
	}
	return TS_OK;
}

/* An adopted copy ends with its original, also when a deal or a negotiate
 * rule lifted the original before its scheduled end. */
static void follow_original(struct ts_sim *w, ts_minst *copy, const ts_minst *lead)
{
	if (lead->end < copy->end) {
		copy->end = lead->end > w->step ? lead->end : w->step;
		copy->end_cause = lead->end_cause;
	}
}

/* §12: an ally adopts at `rate` a year (alignment x pressure_per_year, a
 * Poisson process); the probability over one step (timing.h). */
static double adoption_probability(const struct ts_sim *w, double rate)
{
	return ts_step_probability(rate, 1.0 / w->scn->run.steps_per_year);
}

void ts_alliances_update(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int t = w->step;
	for (int p = 0; p < w->npa; p++) {
		double u = gsl_rng_uniform(w->policy_rng);  /* one draw per pair and step */
		int pressure = w->pa_pressure[p], ally = w->pa_ally[p];
		const ts_measure_spec *m = &s->measures[pressure];
		/* Scenario measure j is instance j (world.c). */
		const ts_minst *lead = &w->minst[m->pressed_measure];
		if (w->pa_inst[p] >= 0) {
			follow_original(w, &w->minst[w->pa_inst[p]], lead);
			continue;
		}
		if (!ts_minst_in_force(w, pressure, t) || !s->measures[m->pressed_measure].enabled ||
		    !(u < adoption_probability(w, s->countries[ally].alignment * m->pressure_per_year)))
			continue;
		int start = m->delay < INT_MAX - t ? t + m->delay : INT_MAX - 1;
		int inst = ts_measures_add(w, m->pressed_measure, ally, start, lead->end, w->pa_name[p], m->id);
		TS_ASSERT(inst >= 0);  /* the loader counts one slot per pressure-ally pair */
		w->pa_inst[p] = inst;
	}
}
