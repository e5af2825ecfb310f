/* R&D under denial (docs/model.md §8.1): a firm's R&D intensity moves toward
 * rd_intensity (1 + rd_denial_response D + rd_gap_response G) at its
 * half-life, and a government's support follows the denial of its firms. */
#include <math.h>
#include <stdio.h>
#include "testutil.h"
#include "model/world.h"

/* Phone makers in CN buy chips half from the US's C and half from CN's own
 * producers; a US export control on a phone maker cuts its C half (D = 0.5).
 * No innovation or imitation: technology, hence the gap, stays put. A year
 * of chips in stock keeps sales going. K, CN's chip maker, sells in the
 * US's chip market; it is where CN's support goes when CN lists chips. R, at home on chips, leads its
 * sector by 0.2 from the start: that gap is not a widening. */
static const char *const world_text =
	"run = { steps = %d; start = \"2020-01\"; step = \"%s\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; rd_response_half_life = 1.0; };\n"
	"countries = {\n"
	"  US = { markets = { chips = { size = 50.0; }; phones = { size = 200.0; }; }; };\n"
	"  CN = { rd_support_on_denial = %g; %s markets = { phones = { size = 400.0; }; }; };\n"
	"};\n"
	"sectors = { chips = { }; phones = { inputs = { chips = 0.2; }; }; };\n"
	"firms = {\n"
	"  C = { country = \"US\"; sector = \"chips\"; capacity = 500.0; };\n"
	"  K = { country = \"CN\"; sector = \"chips\"; capacity = 100.0; tech = -1.0; };\n"
	"  P = { country = \"CN\"; sector = \"phones\"; capacity = 300.0; rd_intensity = %g;\n"
	"        rd_denial_response = 0.8; rd_gap_response = 2.0;\n"
	"        suppliers = { chips = { C = 0.5; CN = 0.5; }; }; stockpile_months = { chips = 12.0; }; };\n"
	"  Q = { country = \"CN\"; sector = \"phones\"; capacity = 200.0; rd_intensity = %g;\n"
	"        suppliers = { chips = { C = 1.0; }; }; stockpile_months = { chips = 12.0; }; };\n"
	"  R = { country = \"CN\"; sector = \"phones\"; capacity = 100.0; tech = 0.2; rd_intensity = %g;\n"
	"        suppliers = { chips = { CN = 1.0; }; }; };\n"
	"};\n"
	"measures = { %s };\n";

static const char *const control_p =
	"cut = { type = \"export_control\"; actor = \"US\"; target = \"P\"; sectors = [\"chips\"]; start = 0; };";
static const char *const control_cn =
	"cut = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; sectors = [\"chips\"]; start = 0; };";

static ts_scenario *world_to(int steps, const char *step, double support, const char *support_to, double intensity,
			     const char *measures)
{
	char text[4096];
	snprintf(text, sizeof text, world_text, steps, step, support, support_to, intensity, intensity, intensity, measures);
	return tu_load(text);
}

static ts_scenario *world(int steps, const char *step, double support, double intensity, const char *measures)
{
	return world_to(steps, step, support, "", intensity, measures);
}

static ts_sim *run(const ts_scenario *s, int steps)
{
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 1, &err), TS_OK);
	for (int t = 0; t < steps; t++)
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
	return w;
}

/* D = 0.5 (half of P's chips from the US): target 0.1 (1 + 0.8 x 0.5) =
 * 0.14. After one half-life (a year, 4 quarters) half the gap from 0.1 is
 * closed: 0.14 - 0.04 / 2 = 0.12. After the first quarter, 0.14 - 0.04 x
 * 2^(-1/4) = 0.106364; the quarter spends the path's mean, 0.14 - 0.04 x
 * (1 - 2^(-1/4)) / (ln 2 / 4) = 0.14 - 0.04 x 0.159104 / 0.173287 = 0.103274. */
static void a_firm_under_denial_raises_its_rd_intensity_by_half_the_gap_in_a_half_life(void **state)
{
	(void)state;
	ts_scenario *s = world(4, "quarter", 0.0, 0.1, control_p);
	int p = ts_scenario_firm_index(s, "P");
	ts_sim *w = run(s, 1);
	assert_double_equal(w->rd_denial[p], 0.5, 1e-12);
	assert_double_equal(w->rd_level[p], 0.14 - 0.04 * pow(2.0, -0.25), 1e-12);
	assert_double_equal(w->rd_applied[p], 0.14 - 0.04 * (1.0 - pow(2.0, -0.25)) / (log(2.0) / 4.0), 1e-12);
	assert_double_equal(w->rd_applied[p], 0.103274, 1e-6);
	assert_double_equal(w->rd_spending[p], w->rd_applied[p] * w->revenue[p], 1e-12);
	/* Own R&D is a cost (§7): profit falls by what the raised intensity spends. */
	assert_double_equal(w->profit[p], w->revenue[p] - ts_firm_cost_of_goods(w, p) - w->rd_applied[p] * w->revenue[p],
	                    1e-9);
	ts_error err = TS_ERROR_INIT;
	for (int t = 1; t < 4; t++)
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
	assert_double_equal(w->rd_level[p], 0.12, 1e-12);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Without a control D = 0; with technology fixed the gap never widens: the
 * intensity stays rd_intensity exactly, whatever the responses. */
static void without_denial_or_a_wider_gap_the_intensity_stays_rd_intensity(void **state)
{
	(void)state;
	ts_scenario *s = world(4, "quarter", 30.0, 0.1, "");
	int p = ts_scenario_firm_index(s, "P");
	ts_sim *w = run(s, 4);
	assert_true(w->rd_denial[p] == 0.0);
	assert_true(w->rd_level[p] == 0.1);
	assert_true(w->rd_applied[p] == 0.1);
	assert_true(w->rd_spending[p] == 0.1 * w->revenue[p]);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* The frontier moves 0.3 further ahead of P (R's technology raised by hand
 * after init, from 0.2 to 0.5): G = 0.5 - 0.2 = 0.3, target 0.1 (1 + 2 x 0.3) = 0.16; after a year 0.16 - 0.06
 * / 2 = 0.13. A firm at the frontier (R) has no gap and stays at 0.1. */
static void a_gap_widened_since_the_start_raises_the_intensity_by_its_response(void **state)
{
	(void)state;
	ts_scenario *s = world(4, "quarter", 0.0, 0.1, "");
	int p = ts_scenario_firm_index(s, "P"), r = ts_scenario_firm_index(s, "R");
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 1, &err), TS_OK);
	w->tech[r] += 0.3;
	ts_accounts_technology(w);
	for (int t = 0; t < 4; t++)
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
	assert_double_equal(w->rd_level[p], 0.13, 1e-12);
	assert_true(w->rd_level[r] == 0.1);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* CN pays 12 a year at full denial. A control on all of CN: P has D = 0.5,
 * Q D = 1, R (home chips) 0. The budget is 12 x max D = 12 a year, 3 a
 * quarter, split by revenue x D: P gets 3 x 0.5 rev_P / (0.5 rev_P +
 * rev_Q), Q the rest, R nothing. Own R&D is 0 (rd_intensity 0), so R&D
 * spending is the support; it counts in CN's R&D spending and, like
 * rd_budget, not in subsidy spending (docs/model.md §7). */
static void support_on_denial_is_split_by_revenue_among_the_denied_firms(void **state)
{
	(void)state;
	ts_scenario *s = world(1, "quarter", 12.0, 0.0, control_cn);
	int p = ts_scenario_firm_index(s, "P"), q = ts_scenario_firm_index(s, "Q");
	int r = ts_scenario_firm_index(s, "R"), cn = ts_scenario_country_index(s, "CN");
	ts_sim *w = run(s, 1);
	assert_true(w->revenue[p] > 0.0 && w->revenue[q] > 0.0);
	double weight = 0.5 * w->revenue[p] + w->revenue[q];
	assert_double_equal(w->rd_spending[p], 3.0 * 0.5 * w->revenue[p] / weight, 1e-12);
	assert_double_equal(w->rd_spending[q], 3.0 * w->revenue[q] / weight, 1e-12);
	assert_true(w->rd_spending[r] == 0.0);
	assert_double_equal(w->country_rd[cn], 3.0, 1e-12);
	assert_true(w->subsidy_spending[cn] == 0.0);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Half denial of the country's firms gives half the budget: only P denied,
 * D = 0.5, 12 x 0.5 = 6 a year, 1.5 a quarter, all to P. */
static void support_on_denial_scales_with_the_largest_denial_of_the_countrys_firms(void **state)
{
	(void)state;
	ts_scenario *s = world(1, "quarter", 12.0, 0.0, control_p);
	int p = ts_scenario_firm_index(s, "P"), cn = ts_scenario_country_index(s, "CN");
	ts_sim *w = run(s, 1);
	assert_double_equal(w->rd_spending[p], 1.5, 1e-12);
	assert_double_equal(w->country_rd[cn], 1.5, 1e-12);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* With rd_support_sectors = ["chips"] the same 12 x max D = 3 a quarter
 * goes to CN's chip maker K (its only firm there, split by revenue as an
 * rd_investment budget), and none to the denied phone makers. */
static void support_on_denial_goes_to_the_listed_sectors_when_they_are_given(void **state)
{
	(void)state;
	ts_scenario *s = world_to(1, "quarter", 12.0, "rd_support_sectors = [\"chips\"];", 0.0, control_cn);
	int p = ts_scenario_firm_index(s, "P"), q = ts_scenario_firm_index(s, "Q");
	int k = ts_scenario_firm_index(s, "K"), cn = ts_scenario_country_index(s, "CN");
	ts_sim *w = run(s, 1);
	assert_double_equal(w->rd_spending[k], 3.0, 1e-12);
	assert_true(w->rd_spending[p] == 0.0 && w->rd_spending[q] == 0.0);
	assert_double_equal(w->country_rd[cn], 3.0, 1e-12);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* The same year in months and in quarters: the intensity at the end of each
 * quarter is the same, and a quarter's mean intensity is the mean of its
 * three months' (the target is constant: D = 0.5 from the start). */
static void monthly_and_quarterly_runs_give_the_same_intensity_path(void **state)
{
	(void)state;
	ts_scenario *ms = world(12, "month", 0.0, 0.1, control_p);
	ts_scenario *qs = world(4, "quarter", 0.0, 0.1, control_p);
	int p = ts_scenario_firm_index(ms, "P");
	ts_sim *m = run(ms, 0), *q = run(qs, 0);
	ts_error err = TS_ERROR_INIT;
	for (int quarter = 0; quarter < 4; quarter++) {
		double months = 0.0;
		for (int k = 0; k < 3; k++) {
			assert_int_equal(ts_sim_step(m, &err), TS_OK);
			months += m->rd_applied[p];
		}
		assert_int_equal(ts_sim_step(q, &err), TS_OK);
		assert_double_equal(m->rd_level[p], q->rd_level[p], 1e-12);
		assert_double_equal(months / 3.0, q->rd_applied[p], 1e-12);
	}
	assert_double_equal(q->rd_level[p], 0.12, 1e-12);
	ts_sim_free(m);
	ts_sim_free(q);
	ts_scenario_free(ms);
	ts_scenario_free(qs);
}

/* The settings are range-checked, naming file, line and setting. */
static void negative_responses_and_support_are_refused(void **state)
{
	(void)state;
	tu_expect_load_error(
		"model = { rd_response_half_life = -1.0; };\n"
		"countries = { A = { rd_support_on_denial = -2.0; markets = { phones = { size = 1.0; }; }; }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { X = { country = \"A\"; sector = \"phones\"; capacity = 1.0;\n"
		"  rd_denial_response = -0.5; rd_gap_response = -1.0; }; };\n",
		"test.cfg:1: model.rd_response_half_life", "test.cfg:2: countries.A.rd_support_on_denial",
		"test.cfg:5: firms.X.rd_denial_response", "test.cfg:5: firms.X.rd_gap_response", NULL);
	tu_expect_load_error(
		"countries = { A = { rd_support_sectors = [\"phone\"]; markets = { phones = { size = 1.0; }; }; }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { X = { country = \"A\"; sector = \"phones\"; capacity = 1.0; }; };\n",
		"test.cfg:1:", "phone", "did you mean 'phones'?", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_firm_under_denial_raises_its_rd_intensity_by_half_the_gap_in_a_half_life),
		cmocka_unit_test(without_denial_or_a_wider_gap_the_intensity_stays_rd_intensity),
		cmocka_unit_test(a_gap_widened_since_the_start_raises_the_intensity_by_its_response),
		cmocka_unit_test(support_on_denial_is_split_by_revenue_among_the_denied_firms),
		cmocka_unit_test(support_on_denial_scales_with_the_largest_denial_of_the_countrys_firms),
		cmocka_unit_test(support_on_denial_goes_to_the_listed_sectors_when_they_are_given),
		cmocka_unit_test(monthly_and_quarterly_runs_give_the_same_intensity_path),
		cmocka_unit_test(negative_responses_and_support_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
