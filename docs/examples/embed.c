/* Embedding tradesim: load a scenario, step it yourself, and read any
 * value of its tables after each step as the CSV would hold it. Prints
 * "step,revenue" of one firm, one line a step. README.md ("Using the
 * library") builds it against an installed tradesim:
 *     cc docs/examples/embed.c $(pkg-config --cflags --libs tradesim gsl) -o embed
 * (gsl because it calls GSL itself, to turn GSL's abort-on-error off).
 * usage: embed SCENARIO FIRM */
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <tradesim/tradesim.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: embed SCENARIO FIRM\n");
		return 2;
	}
	gsl_set_error_handler_off();  /* the library checks GSL's return codes */
	if (strcmp(ts_version(), TS_VERSION_STRING) != 0)
		fprintf(stderr, "embed: built with tradesim %s, running %s\n", TS_VERSION_STRING, ts_version());
	ts_error err = TS_ERROR_INIT;
	ts_scenario *s = NULL;
	ts_sim *sim = NULL;
	int rc = ts_scenario_load(&s, argv[1], NULL, 0, &err);
	if (rc == TS_OK)
		rc = ts_sim_alloc(&sim, s, ts_scenario_seed(s), &err);
	while (rc == TS_OK && ts_sim_current_step(sim) < ts_scenario_steps(s)) {
		double revenue = 0.0;
		rc = ts_sim_step(sim, &err);
		if (rc == TS_OK)
			rc = ts_sim_value(sim, "firms", argv[2], "revenue_bn_usd", &revenue, &err);
		if (rc == TS_OK)
			printf("%d,%.17g\n", ts_sim_current_step(sim) - 1, revenue);
	}
	if (rc != TS_OK)
		fprintf(stderr, "embed: %s\n", err.message);
	ts_sim_free(sim);
	ts_scenario_free(s);
	return rc == TS_OK ? 0 : 1;
}
