/* The step loop (sim/model/engine.c; docs/model.md §2, §9, §15): what
 * ts_sim_alloc accepts, the step counter, determinism, and a step that
 * breaks an invariant stopping the run with a message. */
#include <math.h>
#include <string.h>
#include "testutil.h"
#include "small_world.h"
#include "model/world.h"

static void a_seed_of_zero_is_refused(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(small_world);
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 0, &err), TS_EINPUT);
	assert_null(w);
	assert_string_equal(err.message, "seed must be in [1, 4294967295], got 0");
	ts_scenario_free(s);
}

static void the_step_counter_counts_the_steps_done(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(small_world);
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 5, &err), TS_OK);
	for (int t = 0; t < 4; t++) {
		assert_int_equal(ts_sim_current_step(w), t);
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
		assert_int_equal(w->step, t);
	}
	assert_int_equal(ts_sim_current_step(w), 4);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §9: the same scenario and seed give the same state, bit for bit; another
 * seed other R&D draws. */
static void the_same_seed_gives_the_same_state_bit_for_bit(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(small_world);
	ts_sim *a = NULL, *b = NULL, *c = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&a, s, 5, &err), TS_OK);
	assert_int_equal(ts_sim_alloc(&b, s, 5, &err), TS_OK);
	assert_int_equal(ts_sim_alloc(&c, s, 6, &err), TS_OK);
	size_t nf = (size_t)a->nf * sizeof(double), nsales = 10 * sizeof(double);  /* 2 chips + 8 phones cells */
	int differ = 0;
	for (int t = 0; t < 10; t++) {
		assert_int_equal(ts_sim_step(a, &err), TS_OK);
		assert_int_equal(ts_sim_step(b, &err), TS_OK);
		assert_int_equal(ts_sim_step(c, &err), TS_OK);
		assert_memory_equal(a->tech, b->tech, nf);
		assert_memory_equal(a->revenue, b->revenue, nf);
		assert_memory_equal(a->sales, b->sales, nsales);
		assert_memory_equal(a->welfare, b->welfare, (size_t)a->nc * sizeof(double));
		differ |= memcmp(a->tech, c->tech, nf) != 0;
	}
	assert_true(differ);
	ts_sim_free(a);
	ts_sim_free(b);
	ts_sim_free(c);
	ts_scenario_free(s);
}

/* §15: a step whose state breaks an invariant returns TS_ERUN naming the
 * entity, the step and the value (here tension made NaN before step 3
 * stays NaN through the recursion). */
static void a_step_that_breaks_an_invariant_stops_with_a_message(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(small_world);
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 5, &err), TS_OK);
	for (int t = 0; t < 3; t++)
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
	w->tension[1] = w->tension[w->nc] = NAN;  /* US-CN */
	assert_int_equal(ts_sim_step(w, &err), TS_ERUN);
	assert_string_equal(err.message, "step 3: countries US and CN: tension nan is not a finite value >= 0");
	ts_sim_free(w);
	ts_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_seed_of_zero_is_refused),
		cmocka_unit_test(the_step_counter_counts_the_steps_done),
		cmocka_unit_test(the_same_seed_gives_the_same_state_bit_for_bit),
		cmocka_unit_test(a_step_that_breaks_an_invariant_stops_with_a_message),
	};
	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
