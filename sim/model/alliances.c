/* Alliance pressure (docs/model.md §12): while a bloc leader's pressure is
 * scheduled in force, each ally it asks adopts the pressed measure at
 * alignment x pressure_per_year a year; the ally's copy starts delay_months
 * later and ends with the original. One draw per pressure-ally pair and
 * month from the pressure's own generator, used or not (§9). */
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

/* §12: an ally adopts at alignment x pressure_per_year a year (a Poisson
 * process), drawn on a clock of one month whatever the step: every pair
 * draws one uniform a month from the pressure's own stream, months in order,
 * used or not, so that runs at any step share them (§9). An ally adopts in
 * the first month whose uniform falls below the month's probability
 * (timing.h); its copy starts delay_months after that month, at the nearest
 * step boundary (a tie to the earlier, as dates), never before this step.
 * Drawing all of a pair's months before the next pair's would tie a
 * quarterly run's stream to no monthly one's: each month's draws are taken
 * for every pair in turn, as a monthly run takes them (pair p's month j is
 * pa_draw[j x npa + p]). */
void ts_alliances_update(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int t = w->step, months = 12 / s->run.steps_per_year;
	for (int j = 0; j < months; j++)
		for (int p = 0; p < w->npa; p++)
			w->pa_draw[(size_t)j * (size_t)w->npa + (size_t)p] = gsl_rng_uniform(w->pressure_rng);
	for (int p = 0; p < w->npa; p++) {
		int pressure = w->pa_pressure[p], ally = w->pa_ally[p];
		const ts_measure_spec *m = &s->measures[pressure];
		/* Scenario measure j is instance j (world.c). */
		const ts_minst *lead = &w->minst[m->pressed_measure];
		if (w->pa_inst[p] >= 0) {
			follow_original(w, &w->minst[w->pa_inst[p]], lead);
			continue;
		}
		if (!ts_minst_in_force(w, pressure, t) || !s->measures[m->pressed_measure].enabled)
			continue;
		double prob = ts_step_probability(s->countries[ally].alignment * m->pressure_per_year, 1.0 / 12.0);
		int month = -1;
		for (int j = 0; j < months && month < 0; j++)
			if (w->pa_draw[(size_t)j * (size_t)w->npa + (size_t)p] < prob)
				month = j;
		if (month < 0)
			continue;
		double lag = ceil((month + m->delay_months) / months - 0.5);  /* steps, nearest boundary */
		int start = lag < INT_MAX - t ? t + (int)lag : INT_MAX - 1;
		int inst = ts_measures_add(w, m->pressed_measure, ally, start, lead->end, w->pa_name[p], m->id);
		TS_ASSERT(inst >= 0);  /* the loader counts one slot per pressure-ally pair */
		w->pa_inst[p] = inst;
	}
}
