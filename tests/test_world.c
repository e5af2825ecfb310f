/* The run state (sim/model/world.c): its layout (segments with demand
 * grouped by sector, firms grouped by sector, the blocks of sales[]), what
 * it holds before step 0 (markups, the open market solved once, stocks,
 * the scenario's measures as the first instances) and its contracts. */
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"
#include "small_world.h"
#include "model/world.h"

static ts_sim *fresh(ts_scenario **s)
{
	*s = tu_load(small_world);
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sim_alloc(&w, *s, 5, &err) != TS_OK)
		fail_msg("ts_sim_alloc: %s", err.message);
	return w;
}

/* The small world's markets (bn USD a year, quarterly steps): US chips 100
 * (private), US phones 300 (10% government), CN phones 400 (8% government).
 * Per step: US chips 25; US phones 7.5 and 67.5; CN phones 8 and 92; in
 * sector order, countries in order within a sector, no empty segment. */
static void market_segments_are_those_with_demand_grouped_by_sector(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = fresh(&s);
	int chips = ts_scenario_sector_index(s, "chips"), phones = ts_scenario_sector_index(s, "phones");
	assert_int_equal(w->nmseg, 5);
	assert_int_equal(w->sector_mseg_first[chips], 0);
	assert_int_equal(w->sector_mseg_count[chips], 1);
	assert_int_equal(w->sector_mseg_first[phones], 1);
	assert_int_equal(w->sector_mseg_count[phones], 4);
	const struct { int sector; const char *country; ts_segment g; double demand; } expected[] = {
		{chips, "US", TS_SEG_PRIVATE, 25.0},
		{phones, "US", TS_SEG_GOVERNMENT, 7.5}, {phones, "US", TS_SEG_PRIVATE, 67.5},
		{phones, "CN", TS_SEG_GOVERNMENT, 8.0}, {phones, "CN", TS_SEG_PRIVATE, 92.0},
	};
	for (int m = 0; m < 5; m++) {
		const ts_mseg *ms = &w->msegs[m];
		assert_int_equal(ms->sector, expected[m].sector);
		assert_int_equal(ms->country, ts_scenario_country_index(s, expected[m].country));
		assert_int_equal(ms->segment, expected[m].g);
		assert_double_equal(ms->base_demand, expected[m].demand, 1e-12);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Chips: Q, S; phones: Apple, ZTE (file order within a sector); sales[]
 * holds chips' 1 segment x 2 firms, then phones' 4 x 2. */
static void firms_are_grouped_by_sector_and_sales_blocks_follow(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = fresh(&s);
	int chips = ts_scenario_sector_index(s, "chips"), phones = ts_scenario_sector_index(s, "phones");
	const char *order[] = {"Q", "S", "Apple", "ZTE"};
	for (int n = 0; n < 4; n++)
		assert_int_equal(w->sector_firms[n], ts_scenario_firm_index(s, order[n]));
	assert_int_equal(w->sector_firm_first[chips], 0);
	assert_int_equal(w->sector_firm_count[chips], 2);
	assert_int_equal(w->sector_firm_first[phones], 2);
	assert_int_equal(w->sector_firm_count[phones], 2);
	assert_int_equal(w->sales_offset[chips], 0);
	assert_int_equal(w->sales_offset[phones], 2);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Default elasticity 4: markup 4/3, price = markup x unit cost (1). */
static void prices_are_the_ces_markup_over_unit_cost(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = fresh(&s);
	for (int k = 0; k < w->ns; k++)
		assert_double_equal(w->markup[k], 4.0 / 3.0, 1e-15);
	for (int i = 0; i < w->nf; i++)
		assert_double_equal(w->price[i], 4.0 / 3.0, 1e-15);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Before step 0: P0 is the open-market index, the open market has been
 * split once (step -1: every segment served, orders placed), stockpiles are
 * the scenario's and supply is whole. */
static void the_open_market_is_solved_before_step_0(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = fresh(&s);
	for (int m = 0; m < w->nmseg; m++) {
		assert_double_equal(w->msegs[m].p0, ts_market_price_index(w, m, 1), 0.0);
		assert_double_equal(w->served[m], w->demand[m], 1e-12);
		assert_double_equal(w->price_ratio[m], 1.0, 1e-15);
	}
	int zte = ts_scenario_firm_index(s, "ZTE"), q = ts_scenario_firm_index(s, "Q");
	assert_double_equal(w->stock[s->firms[zte].slot_first], 0.7, 1e-15);  /* 2.1 months in quarters */
	assert_true(w->input_orders[q] > 0.0);
	for (int i = 0; i < w->nf; i++)
		assert_double_equal(w->supply_factor[i], 1.0, 0.0);
	assert_int_equal(ts_sim_current_step(w), 0);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Scenario measure j is instance j (alliances.c reads the original of a
 * pressed measure so), with its id and schedule. */
static void the_scenarios_measures_are_the_first_instances_in_order(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = fresh(&s);
	assert_int_equal(w->n_minst, s->n_measures);
	assert_int_equal(w->cap_minst, s->n_measures + s->n_dynamic_measures);
	for (int j = 0; j < s->n_measures; j++) {
		assert_int_equal(w->minst[j].spec, j);
		assert_string_equal(w->minst[j].id, s->measures[j].id);
		assert_int_equal(w->minst[j].start, s->measures[j].start);
		assert_int_equal(w->minst[j].end, s->measures[j].end);
		assert_false(w->minst[j].active);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* The loader counts the slots rules and pressure can fill; running out is a
 * programming error: a debug build stops at the assertion, a release build
 * adds nothing and returns -1 rather than write past the table. */
static void adding_a_measure_beyond_the_counted_slots_is_a_programming_error(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = fresh(&s);
	assert_int_equal(w->cap_minst, w->n_minst);  /* the small world has no rules */
#ifdef NDEBUG
	assert_int_equal(ts_measures_add(w, 0, 0, 0, INT_MAX, "extra", ""), -1);
	assert_int_equal(w->n_minst, s->n_measures);
#else
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(STDERR_FILENO);  /* the assertion's report */
		ts_measures_add(w, 0, 0, 0, INT_MAX, "extra", "");
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
#endif
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* The loader refuses input cycles; a scenario built by hand with one (chips
 * made from chips) is refused with a message, not looped over. */
static void a_hand_built_scenario_whose_inputs_form_a_cycle_is_refused(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(small_world);
	int chips = ts_scenario_sector_index(s, "chips"), phones = ts_scenario_sector_index(s, "phones");
	s->sectors[chips].input_first = s->sectors[phones].input_first;  /* phones' input is chips */
	s->sectors[chips].n_inputs = 1;
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 5, &err), TS_EINPUT);
	assert_null(w);
	assert_non_null(strstr(err.message, "critical inputs form a cycle among: chips"));
	s->sectors[chips].n_inputs = 0;
	ts_scenario_free(s);
}

/* A firm's dynamics (docs/scenario.md; §7, §16): its gross margin defaults
 * to 1/sigma of its sector, so revenue over cost of goods is CES markup
 * pricing's sigma / (sigma - 1) (5/4 at sigma 5); a model setting is every
 * firm's default and a firm's own setting overrides it: depreciation 0.2 a
 * year is 1 - e^(-0.05) = 0.0487705755 a quarter, 0.04 a year
 * 1 - e^(-0.01) = 0.00995016625; a build lag of 0.5 years is 2 quarters. */
static void a_firms_dynamics_default_to_the_models_and_its_margin_to_one_over_sigma(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"model = { capacity_depreciation = 0.2; capacity_build_lag = 0.5; };\n"
		"countries = { A = { markets = { phones = { size = 10.0; }; }; }; };\n"
		"sectors = { phones = { elasticity = 5.0; }; };\n"
		"firms = { X = { country = \"A\"; sector = \"phones\"; capacity = 10.0; };\n"
		"          Y = { country = \"A\"; sector = \"phones\"; capacity = 10.0; gross_margin = 0.5;\n"
		"                capacity_depreciation = 0.04; capacity_build_lag = 0.0; }; };\n");
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sim_alloc(&w, s, 1, &err) != TS_OK)
		fail_msg("%s", err.message);
	assert_double_equal(s->firms[0].gross_margin, 0.2, 1e-15);
	assert_double_equal(w->cost_markup[0], 1.25, 1e-15);
	assert_double_equal(w->cost_markup[1], 2.0, 1e-15);
	assert_double_equal(w->depreciation_share[0], 0.0487705755, 1e-10);
	assert_double_equal(w->depreciation_share[1], 0.00995016625, 1e-11);
	assert_int_equal(w->pipeline_steps[0], 2);
	assert_int_equal(w->pipeline_steps[1], 0);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Each setting of a firm's dynamics is checked against its range, at its
 * line, in the firm and in the model. */
static void a_firms_dynamics_out_of_range_are_errors_naming_file_line_and_setting(void **state)
{
	(void)state;
	const char *head = "run = { steps = 2; start = \"2020Q1\"; };\n"
	                   "countries = { A = { }; };\n"
	                   "sectors = { phones = { }; };\n";
	char text[1024];
	snprintf(text, sizeof text, "%sfirms = { X = { country = \"A\"; sector = \"phones\"; capacity = 1.0;\n"
	         "  gross_margin = 0.99; }; };\n", head);
	tu_expect_load_error(text, "test.cfg:5: firms.X.gross_margin", "0.99", NULL);
	snprintf(text, sizeof text, "%sfirms = { X = { country = \"A\"; sector = \"phones\"; capacity = 1.0;\n"
	         "  capacity_target_use = 0.0; }; };\n", head);
	tu_expect_load_error(text, "test.cfg:5: firms.X.capacity_target_use", NULL);
	snprintf(text, sizeof text, "model = { capacity_build_lag = 11.0; };\n%sfirms = { X = { country = \"A\";\n"
	         "  sector = \"phones\"; capacity = 1.0; }; };\n", head);
	tu_expect_load_error(text, "test.cfg:1: model.capacity_build_lag", NULL);
	snprintf(text, sizeof text, "model = { jobs_half_life = -1.0; };\n%sfirms = { X = { country = \"A\";\n"
	         "  sector = \"phones\"; capacity = 1.0; capacity_profit_share = 2.0; }; };\n", head);
	tu_expect_load_error(text, "test.cfg:1: model.jobs_half_life", "test.cfg:6: firms.X.capacity_profit_share", NULL);
}

/* Phones (sigma 4) spend 0.8 of unit cost on chips, 0.8 x 3/4 = 0.6 of
 * revenue: a phone maker's gross margin may be at most 0.4 (§6, §7). */
static void a_gross_margin_that_leaves_too_little_for_the_inputs_is_an_error(void **state)
{
	(void)state;
	const char *text =
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"countries = { A = { }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.8; }; }; };\n"
		"firms = { K = { country = \"A\"; sector = \"chips\"; capacity = 1.0; gross_margin = 0.9; };\n"
		"          P = { country = \"A\"; sector = \"phones\"; capacity = 1.0; suppliers = { chips = { K = 1.0; }; };\n"
		"                gross_margin = 0.41; }; };\n";
	tu_expect_load_error(text, "test.cfg:6: firms.P.gross_margin: gross margin 0.41 leaves cost of goods below the cost "
	                     "of the inputs of sector 'phones' (0.6 of revenue); at most 0.4", NULL);
	ts_error err = tu_load_error(text);
	assert_null(strstr(err.message, "firms.K"));  /* chips have no inputs: any margin in range */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(market_segments_are_those_with_demand_grouped_by_sector),
		cmocka_unit_test(firms_are_grouped_by_sector_and_sales_blocks_follow),
		cmocka_unit_test(prices_are_the_ces_markup_over_unit_cost),
		cmocka_unit_test(a_firms_dynamics_default_to_the_models_and_its_margin_to_one_over_sigma),
		cmocka_unit_test(a_firms_dynamics_out_of_range_are_errors_naming_file_line_and_setting),
		cmocka_unit_test(a_gross_margin_that_leaves_too_little_for_the_inputs_is_an_error),
		cmocka_unit_test(the_open_market_is_solved_before_step_0),
		cmocka_unit_test(the_scenarios_measures_are_the_first_instances_in_order),
		cmocka_unit_test(adding_a_measure_beyond_the_counted_slots_is_a_programming_error),
		cmocka_unit_test(a_hand_built_scenario_whose_inputs_form_a_cycle_is_refused),
	};
	return cmocka_run_group_tests_name("world", tests, NULL, NULL);
}
