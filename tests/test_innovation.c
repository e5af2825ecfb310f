/* R&D: K+S innovation and imitation, ceilings, government R&D support. */
#include <math.h>
#include <stdio.h>
#include <gsl/gsl_statistics_double.h>
#include "testutil.h"
#include <gsl/gsl_rng.h>
#include "model/innovation_sizes.h"
#include "model/world.h"

static const char *world_text =
	"run = { steps = %d; start = \"2020Q1\"; seed = 1; };\n"
	"countries = {\n"
	"  A = { rd_budget = %g; markets = { phones = { size = 400.0; }; }; };\n"
	"  B = { markets = { phones = { size = 200.0; }; chips = { size = 50.0; }; }; };\n"
	"};\n"
	"sectors = { chips = { base_tech = -2.0; }; phones = { ceiling_margin = %g; inputs = { chips = 0.2; }; }; };\n"
	"firms = {\n"
	"  C = { country = \"B\"; sector = \"chips\"; capacity = 500.0; tech = -1.0; };\n"
	"  P1 = { country = \"A\"; sector = \"phones\"; capacity = 500.0; rd_intensity = %g; suppliers = { chips = { C = 1.0; }; }; };\n"
	"  P2 = { country = \"A\"; sector = \"phones\"; capacity = 500.0; rd_intensity = %g; tech = 0.2; suppliers = { chips = { C = 1.0; }; }; };\n"
	"  P3 = { country = \"B\"; sector = \"phones\"; capacity = 500.0; rd_intensity = %g; tech = -0.2; suppliers = { chips = { B = 1.0; }; }; };\n"
	"};\n"
	"measures = { %s };\n";

static ts_scenario *world(int steps, double rd_budget, double margin, double intensity, const char *measures)
{
	char text[4096];
	snprintf(text, sizeof text, world_text, steps, rd_budget, margin, intensity, intensity, intensity, measures);
	return tu_load(text);
}

static ts_sim *run(const ts_scenario *s, uint32_t seed, int steps)
{
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, seed, &err), TS_OK);
	for (int t = 0; t < steps; t++)
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
	return w;
}

static void zero_rd_gives_no_innovation(void **state)
{
	(void)state;
	ts_scenario *s = world(60, 0.0, 10.0, 0.0, "");
	for (uint32_t seed = 1; seed <= 20; seed++) {
		ts_sim *w = run(s, seed, 60);
		for (int i = 0; i < w->nf; i++) {
			assert_true(w->tech[i] == s->firms[i].tech);
			assert_true(w->rd_spending[i] == 0.0);
		}
		ts_sim_free(w);
	}
	ts_scenario_free(s);
}

/* Mean phone technology after 40 quarters over 200 seeds, low vs high R&D.
 * Tolerance: the difference must exceed 5 standard errors of the difference
 * of means (Welch), a false failure probability below 1e-6 when the effect
 * is real, and it must be positive for more R&D. */
static void more_rd_raises_mean_technology_over_many_seeds(void **state)
{
	(void)state;
	enum { SEEDS = 200, STEPS = 40 };
	double low[SEEDS], high[SEEDS];
	ts_scenario *s_low = world(STEPS, 0.0, 10.0, 0.005, "");
	ts_scenario *s_high = world(STEPS, 0.0, 10.0, 0.05, "");
	for (int r = 0; r < SEEDS; r++) {
		ts_sim *a = run(s_low, (uint32_t)(1000 + r), STEPS);
		ts_sim *b = run(s_high, (uint32_t)(1000 + r), STEPS);
		low[r] = high[r] = 0.0;
		for (const char *const *f = (const char *const[]){"P1", "P2", "P3", NULL}; *f; f++) {
			int i = ts_scenario_firm_index(s_low, *f);
			low[r] += a->tech[i] / 3.0;
			high[r] += b->tech[i] / 3.0;
		}
		ts_sim_free(a);
		ts_sim_free(b);
	}
	double m_low = gsl_stats_mean(low, 1, SEEDS), m_high = gsl_stats_mean(high, 1, SEEDS);
	double se = sqrt(gsl_stats_variance(low, 1, SEEDS) / SEEDS + gsl_stats_variance(high, 1, SEEDS) / SEEDS);
	print_message("mean tech: low R&D %.4f, high R&D %.4f, SE of difference %.4f\n", m_low, m_high, se);
	assert_true(m_high - m_low > 5.0 * se);
	ts_scenario_free(s_low);
	ts_scenario_free(s_high);
}

static void technology_never_passes_the_ceiling_set_by_accessible_inputs(void **state)
{
	(void)state;
	/* P1 and P2 buy chips from C at tech -1.0: ceiling -1.0 + 0.3 = -0.7,
	 * below P1's 0 and P2's 0.2, so neither may progress at all. P3 buys
	 * from B's generic producers (C's -1.0 too). Heavy R&D to make sure. */
	ts_scenario *s = world(40, 0.0, 0.3, 0.5, "");
	ts_sim *w = run(s, 11, 40);
	for (int i = 1; i < w->nf; i++)
		assert_true(w->tech[i] == s->firms[i].tech);
	ts_sim_free(w);
	ts_scenario_free(s);
	/* With a roomy margin the same firms do progress. */
	s = world(40, 0.0, 3.0, 0.5, "");
	w = run(s, 11, 40);
	int p1 = ts_scenario_firm_index(s, "P1");
	assert_true(w->tech[p1] > 0.0);
	assert_true(w->tech[p1] <= w->ceiling[p1]);
	ts_sim_free(w);
	ts_scenario_free(s);
}

static void rd_investment_adds_its_budget_to_the_actors_firms_in_its_sectors(void **state)
{
	(void)state;
	ts_scenario *base = world(3, 8.0, 10.0, 0.1, "");
	ts_scenario *push = world(3, 8.0, 10.0, 0.1,
		"push = { type = \"rd_investment\"; actor = \"A\"; sectors = [\"phones\"]; budget = 40.0; start = 1; };");
	ts_sim *a = run(base, 5, 1), *b = run(push, 5, 1);
	int p1 = ts_scenario_firm_index(base, "P1"), p2 = ts_scenario_firm_index(base, "P2");
	int p3 = ts_scenario_firm_index(base, "P3");
	/* Step 0: the general budget alone, 8 a year = 2 a quarter over A's firms. */
	double own0 = 0.1 * (a->revenue[p1] + a->revenue[p2]);
	assert_double_equal(a->rd_spending[p1] + a->rd_spending[p2], own0 + 2.0, 1e-9);
	assert_double_equal(b->rd_spending[p1] + b->rd_spending[p2], own0 + 2.0, 1e-9);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_step(a, &err), TS_OK);
	assert_int_equal(ts_sim_step(b, &err), TS_OK);
	/* Step 1: the investment adds 40 a year = 10 a quarter, split by revenue. */
	double extra = (b->rd_spending[p1] + b->rd_spending[p2]) - 0.1 * (b->revenue[p1] + b->revenue[p2]) - 2.0;
	assert_double_equal(extra, 10.0, 1e-9);
	assert_double_equal(b->rd_spending[p1] - 0.1 * b->revenue[p1] - 2.0 * b->revenue[p1] / (b->revenue[p1] + b->revenue[p2]),
	                    10.0 * b->revenue[p1] / (b->revenue[p1] + b->revenue[p2]), 1e-9);
	assert_double_equal(b->rd_spending[p3], 0.1 * b->revenue[p3], 1e-12);
	ts_sim_free(a);
	ts_sim_free(b);
	ts_scenario_free(base);
	ts_scenario_free(push);
}

/* A laggard spending everything on imitation (success all but certain)
 * next to a leader doing no R&D, in monthly steps: each success (one a
 * month) closes the stated share of the gap, and the laggard never passes
 * the leader. */
static void imitation_closes_the_stated_fraction_of_the_gap(void **state)
{
	(void)state;
	const char *text =
		"run = { steps = 3; start = \"2020-01\"; step = \"month\"; };\n"
		"model = { innovation_share = 0.0; imitation_zeta = 1000.0; imitation_fraction = 0.25; };\n"
		"countries = { A = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = {\n"
		"  Leader = { country = \"A\"; sector = \"phones\"; capacity = 500.0; tech = 1.0; };\n"
		"  Laggard = { country = \"A\"; sector = \"phones\"; capacity = 500.0; rd_intensity = 0.5; };\n"
		"};\n";
	ts_scenario *s = tu_load(text);
	ts_sim *w = run(s, 9, 1);
	int lag = ts_scenario_firm_index(s, "Laggard");
	assert_double_equal(w->tech[lag], 0.25, 1e-12);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_step(w, &err), TS_OK);
	assert_double_equal(w->tech[lag], 0.25 + 0.25 * 0.75, 1e-12);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §8: a laggard imitating for certain (every R&D dollar on imitation,
 * zeta 1000, full copy) with two firms ahead of it: A (tech 1, from the US,
 * which denies the laggard its technology) and B (tech 2, from JP). It may
 * draw only B, so it copies B's 2 whatever the draw, never A's 1. One
 * month, one draw: were A a candidate, its proximity (1 against B's 1/2)
 * would win two draws in three, and a second month would copy B from A. */
static void imitation_never_copies_a_firm_of_a_country_that_denies_its_technology(void **state)
{
	(void)state;
	const char *text =
		"run = { steps = 3; start = \"2020-01\"; step = \"month\"; };\n"
		"model = { innovation_share = 0.0; imitation_zeta = 1000.0; imitation_fraction = 1.0; };\n"
		"countries = { CN = { markets = { phones = { size = 400.0; }; }; }; US = { }; JP = { }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = {\n"
		"  A = { country = \"US\"; sector = \"phones\"; capacity = 500.0; tech = 1.0; };\n"
		"  Laggard = { country = \"CN\"; sector = \"phones\"; capacity = 500.0; rd_intensity = 0.5; };\n"
		"  B = { country = \"JP\"; sector = \"phones\"; capacity = 500.0; tech = 2.0; };\n"
		"};\n"
		"measures = { deny = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; start = 0; }; };\n";
	ts_scenario *s = tu_load(text);
	int lag = ts_scenario_firm_index(s, "Laggard");
	for (uint32_t seed = 1; seed <= 10; seed++) {
		ts_sim *w = run(s, seed, 1);
		assert_double_equal(w->tech[lag], 2.0, 1e-12);
		ts_sim_free(w);
	}
	ts_scenario_free(s);
}

/* §8, §9: a lone firm innovating for certain (all R&D on innovation, zeta
 * 1000) moves each month by tech_step_min + (tech_step_max - tech_step_min)
 * x, x the Beta(a, b) quantile of its second uniform of the month. With seed
 * 1 the run's mt19937 gives, four per month, the uniforms 0.41702200,
 * 0.99718481, ... (month 0), 0.00011438, 0.12812445, ... (month 1),
 * 0.14675589, 0.23608898, ... (month 2); the Beta(2, 5) quantiles of the
 * second ones are 0.77493255, 0.10691263, 0.15532589; with steps in [0.05,
 * 0.25] the firm moves by 0.05 + 0.2 x = 0.20498651, 0.07138253, 0.08106518:
 * to 0.20498651, 0.27636904 and 0.35743421. */
static const char *const lone_innovator =
	"run = { steps = 3; start = \"2020-01\"; step = \"%s\"; };\n"
	"model = { innovation_share = 1.0; innovation_zeta = 1000.0; beta_a = 2.0; beta_b = 5.0;\n"
	"          tech_step_min = 0.05; tech_step_max = 0.25; };\n"
	"countries = { A = { markets = { phones = { size = 400.0; }; }; }; };\n"
	"sectors = { phones = { }; };\n"
	"firms = { F = { country = \"A\"; sector = \"phones\"; capacity = 500.0; rd_intensity = 0.5; }; };\n";
static const double lone_innovator_tech[] = {0.204986510603, 0.276369037250, 0.357434214363};

/* The lone innovator's tech after each of `steps` steps of `step`, seed 1. */
static void lone_innovator_run(const char *step, int steps, double *tech)
{
	char text[1024];
	snprintf(text, sizeof text, lone_innovator, step);
	ts_scenario *s = tu_load(text);
	ts_sim *w = run(s, 1, 0);
	for (int t = 0; t < steps; t++) {
		ts_error err = TS_ERROR_INIT;
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
		tech[t] = w->tech[0];
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

static void an_innovation_moves_technology_by_the_beta_draw_scaled_to_the_step_range(void **state)
{
	(void)state;
	double tech[3];
	lone_innovator_run("month", 3, tech);
	for (int t = 0; t < 3; t++)
		assert_double_equal(tech[t], lone_innovator_tech[t], 1e-11);
}

/* §8, "Time": a quarter makes the three monthly draws of the run above, in
 * the same order from the same stream, so one quarterly step takes the firm
 * where three monthly steps did: up to three innovations a quarter, not one. */
static void a_quarterly_step_makes_the_three_monthly_draws_of_a_monthly_run(void **state)
{
	(void)state;
	double tech[1];
	lone_innovator_run("quarter", 1, tech);
	assert_double_equal(tech[0], lone_innovator_tech[2], 1e-11);
}

/* §8: the monthly hazard is zeta x the yearly R&D over 12. A lone firm
 * earning 400 a year spends 0.5 x 400 = 200 a year on innovation; at zeta
 * 0.003 the hazard is 0.6 a year, 0.05 a month: P = 1 - exp(-0.05) =
 * 0.048771 a month, the same in monthly and yearly runs. Each success adds
 * 0.01 (the draw's range is 1e-7 wide), so tech / 0.01 counts them. Over
 * 2000 seeds of one year the share of months with a success is within 4
 * standard errors (4 x sqrt(0.0488 x 0.9512 / 24000) = 0.0056) of it in both
 * (the old per-step draw gave a yearly run 1 - exp(-0.6) = 0.45 a year,
 * 0.038 a month). */
static void the_monthly_success_rate_is_the_yearly_hazard_over_twelve(void **state)
{
	(void)state;
	const char *steps[] = { "month", "year" };
	for (int k = 0; k < 2; k++) {
		char text[1024];
		snprintf(text, sizeof text,
			 "run = { steps = %d; start = \"2020-01\"; step = \"%s\"; };\n"
			 "model = { innovation_share = 1.0; innovation_zeta = 0.003; tech_step_min = 0.01; tech_step_max = 0.0100001; };\n"
			 "countries = { A = { markets = { phones = { size = 400.0; }; }; }; };\n"
			 "sectors = { phones = { }; };\n"
			 "firms = { F = { country = \"A\"; sector = \"phones\"; capacity = 500.0; rd_intensity = 0.5; }; };\n",
			 k == 0 ? 12 : 1, steps[k]);
		ts_scenario *s = tu_load(text);
		double successes = 0.0;
		for (uint32_t seed = 1; seed <= 2000; seed++) {
			ts_sim *w = run(s, seed, ts_scenario_steps(s));
			successes += floor(w->tech[0] / 0.01 + 0.5);  /* each success adds 0.01 */
			ts_sim_free(w);
		}
		double rate = successes / (2000.0 * 12.0), expected = -expm1(-0.05);
		print_message("%s steps: %.4f successes a month, expected %.4f\n", steps[k], rate, expected);
		assert_true(fabs(rate - expected) < 0.0056);
		ts_scenario_free(s);
	}
}

/* A table of sizes answers with the quantile itself, kept or not: 20,000
 * draws (more than its slots, so entries are replaced), each asked twice,
 * at one shape, then at three that share the draws (a kept entry of
 * another shape is not an answer). */
static void a_table_of_innovation_sizes_answers_with_the_quantile_itself(void **state)
{
	(void)state;
	ts_innovation_sizes *t = ts_innovation_sizes_new();
	assert_non_null(t);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	static double u[20000];
	for (int n = 0; n < 20000; n++)
		u[n] = gsl_rng_uniform(r);
	ts_beta_shape s33 = ts_beta_shape_of(3.0, 3.0);
	for (int pass = 0; pass < 2; pass++)  /* one shape: only the draw tells entries apart */
		for (int n = 0; n < 20000; n++)
			assert_true(ts_innovation_size_quantile(t, u[n], &s33) == ts_beta_quantile(&s33, u[n]));
	const ts_beta_shape shapes[] = {s33, ts_beta_shape_of(3.0, 2.0), ts_beta_shape_of(2.0, 3.0)};
	for (int pass = 0; pass < 2; pass++)
		for (int n = 0; n < 20000; n++)
			for (int k = 0; k < 3; k++) {
				assert_true(ts_innovation_size_quantile(t, u[n], &shapes[k]) == ts_beta_quantile(&shapes[k], u[n]));
				assert_true(ts_innovation_size_quantile(t, u[n], &shapes[k]) == ts_beta_quantile(&shapes[k], u[n]));
			}
	assert_true(ts_innovation_size_quantile(NULL, 0.25, &s33) == ts_beta_quantile(&s33, 0.25));
	assert_true(ts_innovation_size_quantile(t, 0.0, &s33) == 0.0);  /* the empty slots' entry, true */
	gsl_rng_free(r);
	ts_innovation_sizes_free(t);
}

/* Runs that share one table, one after another, at two shapes of the
 * size's Beta and several seeds, end where runs without one do, every
 * firm's tech to the bit. */
static void runs_sharing_a_table_of_sizes_end_where_runs_without_one_do(void **state)
{
	(void)state;
	ts_innovation_sizes *t = ts_innovation_sizes_new();
	assert_non_null(t);
	for (int shape = 0; shape < 2; shape++)
		for (uint32_t seed = 1; seed <= 3; seed++) {
			char text[1024];
			snprintf(text, sizeof text,
			         "run = { steps = 24; start = \"2020Q1\"; };\n"
			         "model = { innovation_zeta = 0.05; beta_b = %s; };\n"
			         "countries = { A = { markets = { phones = { size = 400.0; }; }; }; };\n"
			         "sectors = { phones = { }; };\n"
			         "firms = { F = { country = \"A\"; sector = \"phones\"; capacity = 500.0; rd_intensity = 0.5; };\n"
			         "          G = { country = \"A\"; sector = \"phones\"; capacity = 300.0; rd_intensity = 0.3; }; };\n",
			         shape == 0 ? "3.0" : "1.5");
			ts_scenario *s = tu_load(text);
			ts_sim *plain = run(s, seed, 24), *shared = NULL;
			ts_error err = TS_ERROR_INIT;
			assert_int_equal(ts_sim_alloc(&shared, s, seed, &err), TS_OK);
			ts_sim_use_innovation_sizes(shared, t);
			for (int step = 0; step < 24; step++)
				assert_int_equal(ts_sim_step(shared, &err), TS_OK);
			for (int i = 0; i < plain->nf; i++) {
				assert_true(shared->tech[i] == plain->tech[i]);
				assert_true(plain->tech[i] > s->firms[i].tech);  /* the runs innovated */
			}
			ts_sim_free(plain);
			ts_sim_free(shared);
			ts_scenario_free(s);
		}
	ts_innovation_sizes_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zero_rd_gives_no_innovation),
		cmocka_unit_test(more_rd_raises_mean_technology_over_many_seeds),
		cmocka_unit_test(technology_never_passes_the_ceiling_set_by_accessible_inputs),
		cmocka_unit_test(rd_investment_adds_its_budget_to_the_actors_firms_in_its_sectors),
		cmocka_unit_test(imitation_closes_the_stated_fraction_of_the_gap),
		cmocka_unit_test(imitation_never_copies_a_firm_of_a_country_that_denies_its_technology),
		cmocka_unit_test(an_innovation_moves_technology_by_the_beta_draw_scaled_to_the_step_range),
		cmocka_unit_test(a_quarterly_step_makes_the_three_monthly_draws_of_a_monthly_run),
		cmocka_unit_test(the_monthly_success_rate_is_the_yearly_hazard_over_twelve),
		cmocka_unit_test(a_table_of_innovation_sizes_answers_with_the_quantile_itself),
		cmocka_unit_test(runs_sharing_a_table_of_sizes_end_where_runs_without_one_do),
	};
	return cmocka_run_group_tests_name("innovation", tests, NULL, NULL);
}
