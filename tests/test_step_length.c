/* Step-length invariance (docs/model.md, "Time"; issue 9): each shipped
 * scenario run at its own step and at the other sub-year step, by changing
 * run.step alone (an override), describes the same world. Over 20 seeds the
 * ensemble means of every firm's revenue and every country's consumer
 * welfare, summed over each calendar year of the run, agree within
 * TOLERANCE of the larger (amounts below FLOOR of the largest of their kind
 * are compared against FLOOR, so that a firm selling next to nothing does
 * not fail on noise). The episodes' facts at the other step are checked by
 * tests/test_episodes.c itself, run a second time with every scenario's
 * run.step overridden (ctest test_episodes_at_the_other_step). Measured
 * worst gaps: about 3.6% (Huawei's 2020 revenue in huawei_2019_2020.cfg:
 * its chip stockpile runs out a month or so earlier at quarterly steps,
 * docs/model.md "Simplifications"), under 1.3% elsewhere. */
#include "testutil.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/world.h"

#define SEEDS 20
#define TOLERANCE 0.05
#define FLOOR 0.02
#define MAX_YEARS 16

/* Ensemble means of one scenario at one step: [year * n + entity]. */
typedef struct yearly {
	ts_scenario *scn;
	int years, first_year;
	double *revenue;   /* firms, bn USD a calendar year */
	double *welfare;   /* countries, consumer welfare, bn USD a calendar year */
} yearly;

static ts_scenario *load(const char *path, const char *step)
{
	ts_override o[] = { { "run.step", step } };
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_scenario_load(&s, path, o, step ? 1 : 0, &err) != TS_OK)
		fail_msg("%s at step %s did not load: %s", path, step ? step : "(own)", err.message);
	return s;
}

static int year_of(const ts_run_spec *run, int t)
{
	int index = run->start_period - 1 + t;
	return run->start_year + index / run->steps_per_year;
}

static yearly run_yearly(const char *path, const char *step)
{
	yearly y = { .scn = load(path, step) };
	const ts_scenario *s = y.scn;
	int steps = ts_scenario_steps(s);
	y.first_year = year_of(&s->run, 0);
	y.years = year_of(&s->run, steps - 1) - y.first_year + 1;
	assert_true(y.years <= MAX_YEARS);
	y.revenue = calloc((size_t)y.years * s->n_firms, sizeof *y.revenue);
	y.welfare = calloc((size_t)y.years * s->n_countries, sizeof *y.welfare);
	assert_true(y.revenue && y.welfare);
	for (uint32_t seed = 1; seed <= SEEDS; seed++) {
		ts_sim *sim = NULL;
		ts_error err = TS_ERROR_INIT;
		assert_int_equal(ts_sim_alloc(&sim, s, seed, &err), TS_OK);
		const struct ts_sim *w = (const struct ts_sim *)sim;
		for (int t = 0; t < steps; t++) {
			if (ts_sim_step(sim, &err) != TS_OK)
				fail_msg("%s step %d: %s", path, t, err.message);
			int k = year_of(&s->run, t) - y.first_year;
			for (int i = 0; i < s->n_firms; i++)
				y.revenue[(size_t)k * s->n_firms + i] += w->revenue[i] / SEEDS;
			for (int c = 0; c < s->n_countries; c++)
				y.welfare[(size_t)k * s->n_countries + c] += w->welfare[c] / SEEDS;
		}
		ts_sim_free(sim);
	}
	return y;
}

static void free_yearly(yearly *y)
{
	free(y->revenue);
	free(y->welfare);
	ts_scenario_free(y->scn);
}

/* The largest relative gap between a and b over n x years amounts, each
 * against max(|a|, |b|, FLOOR x the largest); its entity and year. */
static double worst_gap(const double *a, const double *b, int n, int years, int *entity, int *year)
{
	double largest = 0.0, worst = 0.0;
	for (int k = 0; k < n * years; k++)
		largest = fmax(largest, fmax(fabs(a[k]), fabs(b[k])));
	for (int k = 0; k < n * years; k++) {
		double gap = fabs(a[k] - b[k]) / fmax(FLOOR * largest, fmax(fabs(a[k]), fabs(b[k])));
		if (gap > worst) {
			worst = gap;
			*entity = k % n;
			*year = k / n;
		}
	}
	return worst;
}

static void same_world_at(const char *name, const char *other)
{
	char path[512];
	snprintf(path, sizeof path, "%s/scenarios/%s", TS_SOURCE_DIR, name);
	yearly own = run_yearly(path, NULL), alt = run_yearly(path, other);
	assert_int_equal(own.years, alt.years);
	assert_int_equal(own.first_year, alt.first_year);
	const ts_scenario *s = own.scn;
	int firm = 0, country = 0, fy = 0, cy = 0;
	double rev = worst_gap(own.revenue, alt.revenue, s->n_firms, own.years, &firm, &fy);
	double wel = worst_gap(own.welfare, alt.welfare, s->n_countries, own.years, &country, &cy);
	print_message("%s at its step vs %s: worst firm revenue %.2f%% (%s, %d), worst welfare %.2f%% (%s, %d)\n",
		      name, other, 100 * rev, s->firms[firm].id, own.first_year + fy, 100 * wel,
		      s->countries[country].id, own.first_year + cy);
	if (rev > TOLERANCE)
		fail_msg("%s: %s's revenue in %d differs by %.1f%% at step %s", name, s->firms[firm].id,
			 own.first_year + fy, 100 * rev, other);
	if (wel > TOLERANCE)
		fail_msg("%s: %s's welfare in %d differs by %.1f%% at step %s", name, s->countries[country].id,
			 own.first_year + cy, 100 * wel, other);
	free_yearly(&own);
	free_yearly(&alt);
}

static void default_is_the_same_world_monthly(void **state)
{
	(void)state;
	same_world_at("default.cfg", "month");
}

static void zte_2018_is_the_same_world_quarterly(void **state)
{
	(void)state;
	same_world_at("zte_2018.cfg", "quarter");
}

static void huawei_2019_2020_is_the_same_world_monthly(void **state)
{
	(void)state;
	same_world_at("huawei_2019_2020.cfg", "month");
}

static void tit_for_tat_2023_is_the_same_world_monthly(void **state)
{
	(void)state;
	same_world_at("tit_for_tat_2023.cfg", "month");
}

static void cyberlaw_2017_is_the_same_world_monthly(void **state)
{
	(void)state;
	same_world_at("cyberlaw_2017.cfg", "month");
}

static void decoupling_is_the_same_world_monthly(void **state)
{
	(void)state;
	same_world_at("decoupling.cfg", "month");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_is_the_same_world_monthly),
		cmocka_unit_test(zte_2018_is_the_same_world_quarterly),
		cmocka_unit_test(huawei_2019_2020_is_the_same_world_monthly),
		cmocka_unit_test(tit_for_tat_2023_is_the_same_world_monthly),
		cmocka_unit_test(cyberlaw_2017_is_the_same_world_monthly),
		cmocka_unit_test(decoupling_is_the_same_world_monthly),
	};
	return cmocka_run_group_tests_name("step_length", tests, NULL, NULL);
}
