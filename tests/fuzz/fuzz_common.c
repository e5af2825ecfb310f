/* Pieces the harnesses share: the input as text, the error-convention check,
 * a few steps of what loads and the reload of its effective scenario. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "scenario/spec.h"

/* A few steps reach every phase (events, policy, supply, markets, accounts,
 * innovation) and the second step reads the first's state; more would only
 * make executions slower. */
#define FUZZ_STEPS 4
/* Worlds beyond these caps load (which is what is fuzzed) but are not
 * stepped: a step costs about firms x countries x segments (the sales
 * blocks) plus countries^2 (relations), and a slow execution is a wasted
 * one. The shipped scenarios are far below (default.cfg: 12 countries,
 * 30 firms). */
#define FUZZ_MAX_FIRM_COUNTRIES 20000L
#define FUZZ_MAX_COUNTRY_PAIRS 10000L
#define FUZZ_MAX_MEASURES 5000L

char *ts_fuzz_text(const uint8_t *data, size_t size)
{
	if (memchr(data, '\0', size))
		return NULL;
	char *text = malloc(size + 1);
	if (!text)
		return NULL;
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

void ts_fuzz_check_load(int rc, const void *result, const ts_error *err)
{
	if (rc == TS_OK) {
		if (!result)
			abort();
		return;
	}
	if (rc > 0 || result || err->status != rc || err->message[0] == '\0')
		abort();
}

static int small_enough(const ts_scenario *s)
{
	long nc = s->n_countries, nf = s->n_firms;
	return nf * nc <= FUZZ_MAX_FIRM_COUNTRIES && nc * nc <= FUZZ_MAX_COUNTRY_PAIRS &&
	       (long)s->n_measures + s->n_dynamic_measures <= FUZZ_MAX_MEASURES;
}

/* The effective scenario, as a run records it (scenario.cfg), must load
 * again and hash the same: re-running a recorded run reproduces it
 * (README, "Output"). */
static void check_round_trip(const ts_scenario *s)
{
	char *text = NULL;
	size_t length = 0;
	FILE *fp = open_memstream(&text, &length);
	if (!fp)
		return;
	ts_error err = TS_ERROR_INIT;
	int rc = ts_scenario_write(s, fp, &err);
	if (fclose(fp) == 0 && rc == TS_OK) {
		ts_scenario *again = NULL;
		if (ts_scenario_load_string(&again, text, "scenario.cfg", NULL, NULL, 0, &err) != TS_OK ||
		    strcmp(ts_scenario_hash(again), ts_scenario_hash(s)) != 0)
			abort();
		ts_scenario_free(again);
	}
	free(text);
}

void ts_fuzz_load_and_step(const char *text, const char *name, const char *dir, const ts_override *overrides,
                           size_t n_overrides)
{
	ts_error err = TS_ERROR_INIT;
	ts_scenario *s = NULL;
	int rc = ts_scenario_load_string(&s, text, name, dir, overrides, n_overrides, &err);
	ts_fuzz_check_load(rc, s, &err);
	if (s) {
		ts_fuzz_simulate(s);
		check_round_trip(s);
	}
	ts_scenario_free(s);
}

void ts_fuzz_simulate(const ts_scenario *s)
{
	if (!small_enough(s))
		return;
	ts_error err = TS_ERROR_INIT;
	ts_sim *sim = NULL;
	int rc = ts_sim_alloc(&sim, s, ts_scenario_seed(s), &err);
	ts_fuzz_check_load(rc, sim, &err);
	if (rc != TS_OK)
		return;
	int steps = ts_scenario_steps(s) < FUZZ_STEPS ? ts_scenario_steps(s) : FUZZ_STEPS;
	for (int t = 0; t < steps; t++) {
		ts_error step_err = TS_ERROR_INIT;
		rc = ts_sim_step(sim, &step_err);
		if (rc == TS_OK)
			continue;
		/* A broken invariant is reported, not a crash; anything else is. */
		if (rc != TS_ERUN || step_err.message[0] == '\0')
			abort();
		break;
	}
	ts_sim_free(sim);
}
