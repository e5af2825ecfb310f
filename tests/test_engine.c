/* The step loop (sim/model/engine.c; docs/model.md §2, §9, §15): what
 * ts_sim_alloc accepts, the step counter, determinism, and a step that
 * breaks an invariant stopping the run with a message. */
#include <math.h>
#include <stdlib.h>
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

/* The broken step is not done, and nothing steps after it: a caller that
 * goes on is told, instead of being handed steps computed from a broken
 * state. */
static void after_a_broken_step_the_run_refuses_to_go_on(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(small_world);
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 5, &err), TS_OK);
	for (int t = 0; t < 2; t++)
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
	w->tension[1] = w->tension[w->nc] = NAN;
	assert_int_equal(ts_sim_step(w, &err), TS_ERUN);
	assert_int_equal(ts_sim_current_step(w), 2);
	w->tension[1] = w->tension[w->nc] = 0.0;  /* repaired by hand: still refused */
	ts_error again = TS_ERROR_INIT;
	assert_int_equal(ts_sim_step(w, &again), TS_ERUN);
	assert_string_equal(again.message, "step 2 broke an invariant: the run cannot go on");
	assert_int_equal(ts_sim_current_step(w), 2);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Blocks the C library holds for this program: malloc, calloc and realloc
 * here count them and hand on to glibc's own (a program may replace them,
 * and the shared libraries, GSL's included, then call these). Not under
 * AddressSanitizer, which replaces them itself and whose LeakSanitizer
 * checks the same at exit. */
#if defined(__SANITIZE_ADDRESS__)
#define TS_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TS_TEST_ASAN 1
#endif
#endif

#ifndef TS_TEST_ASAN
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *block, size_t size);
extern void __libc_free(void *block);

static long blocks_in_use;

void *malloc(size_t size)
{
	void *block = __libc_malloc(size);
	blocks_in_use += block != NULL;
	return block;
}

void *calloc(size_t count, size_t size)
{
	void *block = __libc_calloc(count, size);
	blocks_in_use += block != NULL;
	return block;
}

void *realloc(void *old, size_t size)
{
	void *block = __libc_realloc(old, size);
	if (!old)
		blocks_in_use += block != NULL;
	else if (size == 0 && !block)
		blocks_in_use--;  /* realloc(p, 0) freed p */
	return block;
}

void free(void *block)
{
	blocks_in_use -= block != NULL;
	__libc_free(block);
}
#endif

/* world.h: ts_sim_free() releases everything ts_sim_alloc() and the steps
 * took (the run state, the names of allies' copies, both generators), here
 * for a world with a rule and alliance pressure that made instances. */
static void freeing_a_run_returns_every_block_it_allocated(void **state)
{
	(void)state;
#ifdef TS_TEST_ASAN
	skip();
#else
	ts_scenario *s = tu_load(
		"run = { steps = 4; start = \"2020Q1\"; };\n"
		"countries = { US = { bloc = \"west\"; markets = { phones = { size = 100.0; }; };\n"
		"                     rules = ( { rival = \"CN\"; kind = \"tit_for_tat\"; menu = [\"us_gov\"]; } ); };\n"
		"              JP = { bloc = \"west\"; markets = { phones = { size = 100.0; }; }; };\n"
		"              CN = { markets = { phones = { size = 100.0; }; }; }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { Apple = { country = \"US\"; sector = \"phones\"; capacity = 200.0; rd_intensity = 0.1; };\n"
		"          ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 200.0; }; };\n"
		"measures = {\n"
		"  cn_ban = { type = \"market_ban\"; actor = \"CN\"; target = \"Apple\"; start = 1; };\n"
		"  us_gov = { type = \"procurement_ban\"; actor = \"US\"; target = \"ZTE\"; segment = \"government\"; };\n"
		"  press = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"us_gov\"; pressure_per_year = 1.0; start = 0; };\n"
		"};\n");
	long before = blocks_in_use;
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 5, &err), TS_OK);
	assert_true(blocks_in_use > before);
	for (int t = 0; t < 4; t++)
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
	assert_true(w->n_minst > w->nm);  /* the rule and the pressure made instances */
	ts_sim_free(w);
	assert_int_equal(blocks_in_use, before);
	ts_scenario_free(s);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_seed_of_zero_is_refused),
		cmocka_unit_test(the_step_counter_counts_the_steps_done),
		cmocka_unit_test(the_same_seed_gives_the_same_state_bit_for_bit),
		cmocka_unit_test(a_step_that_breaks_an_invariant_stops_with_a_message),
		cmocka_unit_test(after_a_broken_step_the_run_refuses_to_go_on),
		cmocka_unit_test(freeing_a_run_returns_every_block_it_allocated),
	};
	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
