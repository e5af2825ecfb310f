/* tradesim check (sim/batch/check.c, sim/cli/cmd_check.c): the simulated
 * values are the runs `run --reps` makes, read back from their CSV by hand;
 * counterfactuals run with the same seeds; the pass rule; check.csv; exit
 * statuses; the same bytes whatever -j. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "small_world.h"

static int setup(void **state)
{
	(void)state;
	tu_write_file("check_world.cfg", small_world);
	return 0;
}

/* A firm's revenue_bn_usd at `step` of replication `rep` in DIR/firms.csv. */
static double revenue_of(const char *dir, const char *firm, int rep, int step)
{
	char *csv = tu_read_in(dir, "firms.csv");
	char *header_end = strchr(csv, '\n');
	assert_non_null(header_end);
	*header_end = '\0';
	int col = 0, revenue = -1;
	for (char *p = csv, *tok; (tok = strsep(&p, ",")) != NULL; col++)
		if (strcmp(tok, "revenue_bn_usd") == 0)
			revenue = col;
	assert_true(revenue >= 0);
	double value = NAN;
	for (char *line = header_end + 1, *next; *line && isnan(value); line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		char *fields[64];
		int n = 0;
		for (char *p = line, *tok; n < 64 && (tok = strsep(&p, ",")) != NULL;)
			fields[n++] = tok;
		if (atoi(fields[0]) == rep && atoi(fields[1]) == step && strcmp(fields[3], firm) == 0)
			value = strtod(fields[revenue], NULL);
	}
	free(csv);
	assert_false(isnan(value));
	return value;
}

/* A firm's revenue over 2018Q2 .. 2018Q4 (steps 1-3) of replication rep. */
static double firm_sum(const char *dir, const char *firm, int rep)
{
	return revenue_of(dir, firm, rep, 1) + revenue_of(dir, firm, rep, 2) + revenue_of(dir, firm, rep, 3);
}

static double zte_sum(const char *dir, int rep)
{
	return firm_sum(dir, "ZTE", rep);
}

static ts_check *run_check(ts_scenario **s, const char *facts_text, int reps, int jobs)
{
	tu_write_file("check_facts.cfg", facts_text);
	ts_error err = TS_ERROR_INIT;
	ts_check *c = NULL;
	if (ts_scenario_load(s, "check_world.cfg", NULL, 0, &err) != TS_OK ||
	    ts_check_load(&c, *s, "check_facts.cfg", NULL, 0, &err) != TS_OK)
		fail_msg("%s", err.message);
	ts_check_options o = TS_CHECK_OPTIONS_INIT;
	o.reps = reps;
	o.jobs = jobs;
	if (ts_check_run(c, &o, &err) != TS_OK)
		fail_msg("%s", err.message);
	return c;
}

#define SUM_FACT(name, observed, tolerance, extra) \
	"{ name = \"" name "\"; series = \"firms.ZTE.revenue_bn_usd\"; stat = \"sum\"; from = \"2018Q2\"; " \
	"to = \"2018Q4\"; observed = " observed "; tolerance = " tolerance "; source = \"test\"; " extra " }"

static void the_simulated_values_are_those_of_run_reps_with_the_same_seeds(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "check_reps");
	assert_int_equal(tu_cli(NULL, "run check_world.cfg --reps 2 -o %s >/dev/null", dir), 0);
	double a = zte_sum(dir, 0), b = zte_sum(dir, 1);
	assert_true(a != b);  /* the seeds differ, so the mean and range below are not one run's */
	ts_scenario *s = NULL;
	ts_check *c = run_check(&s, "facts = ( " SUM_FACT("zte", "0.0", "1e9", "") " );\n", 2, 1);
	ts_fact_score sc;
	ts_check_score(c, 0, &sc);
	assert_double_equal(sc.mean, (a + b) / 2, 1e-12 * fabs(a));
	double lo = fmin(a, b), hi = fmax(a, b);
	assert_double_equal(sc.q05, lo + 0.05 * (hi - lo), 1e-12 * fabs(a));  /* quantile 7 of two values */
	assert_double_equal(sc.q95, lo + 0.95 * (hi - lo), 1e-12 * fabs(a));
	ts_check_free(c);
	ts_scenario_free(s);
}

static void a_counterfactual_is_subtracted_seed_by_seed(void **state)
{
	(void)state;
	char dir[256], cf[256];
	tu_make_dir(dir, sizeof dir, "check_cf_base");
	tu_make_dir(cf, sizeof cf, "check_cf_off");
	assert_int_equal(tu_cli(NULL, "run check_world.cfg --reps 2 -o %s >/dev/null", dir), 0);
	assert_int_equal(tu_cli(NULL, "run check_world.cfg --reps 2 --set measures.zte_denial.enabled=false -o %s "
	                        ">/dev/null", cf), 0);
	double d0 = zte_sum(dir, 0) - zte_sum(cf, 0), d1 = zte_sum(dir, 1) - zte_sum(cf, 1);
	assert_true(d0 + d1 < 0.0);  /* the denial costs ZTE revenue (in replication 0: its stockpile lasts in 1) */
	ts_scenario *s = NULL;
	ts_check *c = run_check(&s, "facts = ( " SUM_FACT("zte", "0.0", "1e9",
	                                                  "counterfactual = [\"measures.zte_denial.enabled=false\"];")
	                        " );\n", 2, 2);
	ts_fact_score sc;
	ts_check_score(c, 0, &sc);
	assert_double_equal(sc.mean, (d0 + d1) / 2, 1e-9);
	ts_check_free(c);
	ts_scenario_free(s);
}

/* --set applies to the scenario and, before its own, to every
 * counterfactual: with the denial off in both, a counterfactual that only
 * lifts a ban starting after the window leaves no difference in ZTE's
 * revenue; with the denial off in the scenario alone there would be one. */
static void set_overrides_the_scenario_and_its_counterfactuals(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "check_set");
	tu_write_file("check_set.cfg", "facts = ( " SUM_FACT("zte", "0.0", "1e-9",
	              "counterfactual = [\"measures.state_ban.enabled=false\"];") " );\n");
	assert_int_equal(tu_cli(NULL, "check check_world.cfg check_set.cfg --reps 2 -o %s "
	                        "--set measures.zte_denial.enabled=false >/dev/null", dir), 0);
	char *csv = tu_read_in(dir, "check.csv");
	assert_non_null(strstr(csv, "\nzte,0,1e-09,0,0,0,2,2,1,pass,test\n"));
	free(csv);
	tu_expect_cli_refusal("check check_world.cfg check_set.cfg --set measures.zte_denial.enabled",
	                      "--set expects PATH=VALUE");
}

/* ZTE's revenue over the window per Q's, seed by seed, as run --reps. */
static void per_divides_seed_by_seed(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "check_per");
	assert_int_equal(tu_cli(NULL, "run check_world.cfg --reps 2 -o %s >/dev/null", dir), 0);
	double r0 = zte_sum(dir, 0) / firm_sum(dir, "Q", 0), r1 = zte_sum(dir, 1) / firm_sum(dir, "Q", 1);
	ts_scenario *s = NULL;
	ts_check *c = run_check(&s, "facts = ( " SUM_FACT("zte_per_q", "1.0", "1e9", "per = \"firms.Q.revenue_bn_usd\";")
	                        " );\n", 2, 2);
	ts_fact_score sc;
	ts_check_score(c, 0, &sc);
	assert_double_equal(sc.mean, (r0 + r1) / 2, 1e-12);
	ts_check_free(c);
	ts_scenario_free(s);
}

static void seeds_within_tolerance_are_counted_and_decide_the_fact(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_check *c = run_check(&s, "facts = ( " SUM_FACT("wide", "0.0", "1e9", "") ",\n"
	                        SUM_FACT("far", "-1000.0", "1.0", "") " );\n", 20, 2);
	ts_fact_score wide, far;
	ts_check_score(c, 0, &wide);
	ts_check_score(c, 1, &far);
	assert_int_equal(wide.within, 20);
	assert_int_equal(wide.reps, 20);
	assert_true(wide.pass);
	assert_int_equal(far.within, 0);
	assert_false(far.pass);
	assert_false(ts_check_passed(c));
	ts_check_free(c);
	ts_scenario_free(s);
}

/* Observed at one seed's value, tolerance the distance to the other's:
 * both within (the bound is inclusive); half of it: only the first. */
static void a_value_at_the_tolerance_is_within_and_one_beyond_is_not(void **state)
{
	(void)state;
	char dir[256], text[1024];
	tu_make_dir(dir, sizeof dir, "check_bound");
	assert_int_equal(tu_cli(NULL, "run check_world.cfg --reps 2 -o %s >/dev/null", dir), 0);
	double a = zte_sum(dir, 0), b = zte_sum(dir, 1);
	const char *fact = "{ name = \"%s\"; series = \"firms.ZTE.revenue_bn_usd\"; stat = \"sum\"; from = \"2018Q2\"; "
	                   "to = \"2018Q4\"; observed = %.17g; tolerance = %.17g; source = \"test\"; }";
	char at[400], half[400];
	snprintf(at, sizeof at, fact, "at", a, fabs(b - a) * (1 + 1e-12));  /* the sum in another order may round */
	snprintf(half, sizeof half, fact, "half", a, fabs(b - a) / 2);
	snprintf(text, sizeof text, "facts = ( %s,\n %s );\n", at, half);
	ts_scenario *s = NULL;
	ts_check *c = run_check(&s, text, 2, 1);
	ts_fact_score sc;
	ts_check_score(c, 0, &sc);
	assert_int_equal(sc.within, 2);
	ts_check_score(c, 1, &sc);
	assert_int_equal(sc.within, 1);
	ts_check_free(c);
	ts_scenario_free(s);
}

static void a_fact_passes_with_95_percent_of_its_seeds_within_tolerance(void **state)
{
	(void)state;
	assert_true(ts_check_passes(19, 20));
	assert_false(ts_check_passes(18, 20));
	assert_true(ts_check_passes(95, 100));
	assert_false(ts_check_passes(94, 100));
	assert_true(ts_check_passes(1, 1));
	assert_false(ts_check_passes(0, 1));
}

static void check_csv_holds_one_row_per_fact(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "check_csv");
	tu_write_file("check_facts_csv.cfg", "facts = ( " SUM_FACT("wide", "0.0", "1e9", "") ",\n"
	              SUM_FACT("far", "-1000.0", "1.0", "") " );\n");
	assert_int_equal(tu_cli(NULL, "check check_world.cfg check_facts_csv.cfg --reps 4 -o %s >/dev/null", dir), 1);
	char *csv = tu_read_in(dir, "check.csv");
	assert_int_equal(tu_count_lines(csv), 3);
	assert_non_null(strstr(csv, "fact,observed,tolerance,mean,q05,q95,within,reps,share_within,pass,source\n"));
	assert_non_null(strstr(csv, "\nwide,0,1000000000,"));
	assert_non_null(strstr(csv, ",4,4,1,pass,test\n"));
	assert_non_null(strstr(csv, "\nfar,-1000,1,"));
	assert_non_null(strstr(csv, ",0,4,0,fail,test\n"));
	free(csv);
}

static void the_exit_status_says_whether_every_fact_passes(void **state)
{
	(void)state;
	tu_write_file("check_pass.cfg", "facts = ( " SUM_FACT("wide", "0.0", "1e9", "") " );\n");
	tu_write_file("check_fail.cfg", "facts = ( " SUM_FACT("wide", "0.0", "1e9", "") ",\n"
	              SUM_FACT("far", "-1000.0", "1.0", "") " );\n");
	assert_int_equal(tu_cli(NULL, "check check_world.cfg check_pass.cfg --reps 3 >/dev/null"), 0);
	assert_int_equal(tu_cli(NULL, "check check_world.cfg check_fail.cfg --reps 3 >/dev/null"), 1);
}

static void bad_input_exits_2_naming_file_line_and_setting(void **state)
{
	(void)state;
	tu_write_file("check_bad.cfg", "facts = (\n" SUM_FACT("wide", "0.0", "1e9", "sorce = 1;") " );\n");
	tu_expect_cli_refusal("check check_world.cfg check_bad.cfg",
	                      "check_bad.cfg:2: facts[0].sorce: unknown setting 'sorce' (did you mean 'source'?)");
	tu_expect_cli_refusal("check check_world.cfg", "missing FACTS");
	tu_expect_cli_refusal("check check_world.cfg check_pass.cfg --reps 0", "--reps must be an integer");
	tu_expect_cli_refusal("check check_world.cfg no_such_facts.cfg", "no_such_facts.cfg");
}

static void the_outputs_are_the_same_bytes_whatever_jobs(void **state)
{
	(void)state;
	char d1[256], d2[256];
	tu_make_dir(d1, sizeof d1, "check_j1");
	tu_make_dir(d2, sizeof d2, "check_j2");
	tu_write_file("check_det.cfg", "facts = ( " SUM_FACT("zte", "10.0", "5.0",
	              "counterfactual = [\"measures.zte_denial.enabled=false\"]; contrast = \"relative\";") ",\n"
	              SUM_FACT("plain", "10.0", "5.0", "") " );\n");
	tu_cli(NULL, "check check_world.cfg check_det.cfg --reps 7 -j 1 -o %s > %s/stdout", d1, d1);
	tu_cli(NULL, "check check_world.cfg check_det.cfg --reps 7 -j 2 -o %s > %s/stdout", d2, d2);
	const char *files[] = {"check.csv", "stdout"};
	for (int k = 0; k < 2; k++) {
		char *a = tu_read_in(d1, files[k]), *b = tu_read_in(d2, files[k]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_simulated_values_are_those_of_run_reps_with_the_same_seeds),
		cmocka_unit_test(a_counterfactual_is_subtracted_seed_by_seed),
		cmocka_unit_test(set_overrides_the_scenario_and_its_counterfactuals),
		cmocka_unit_test(per_divides_seed_by_seed),
		cmocka_unit_test(seeds_within_tolerance_are_counted_and_decide_the_fact),
		cmocka_unit_test(a_value_at_the_tolerance_is_within_and_one_beyond_is_not),
		cmocka_unit_test(a_fact_passes_with_95_percent_of_its_seeds_within_tolerance),
		cmocka_unit_test(check_csv_holds_one_row_per_fact),
		cmocka_unit_test(the_exit_status_says_whether_every_fact_passes),
		cmocka_unit_test(bad_input_exits_2_naming_file_line_and_setting),
		cmocka_unit_test(the_outputs_are_the_same_bytes_whatever_jobs),
	};
	return cmocka_run_group_tests_name("check", tests, setup, NULL);
}
