/* Deals (sim/model/deals.c; docs/model.md §11): when a settlement
 * triggers, what it lifts, its fine and its purchases. */
#include "policy_world.h"

static const char *deal_text(double fine, double purchase)
{
	static char tail[512];
	snprintf(tail, sizeof tail,
		 "deals = { settle = { lifts = [\"us_denial\", \"cn_apple\"]; earliest = 3; loss_threshold = 0.5;\n"
		 "  fine = %.17g; payer = \"ZTE\"; purchase = %.17g; buyer = \"CN\"; seller = \"US\"; sector = \"chips\";\n"
		 "  purchase_steps = 2; }; };\n", fine, purchase);
	return world("", "", DEAL_MEASURES, tail);
}

/* Runs the deal world; returns the step the deal triggered and, per step,
 * ZTE's profit and Q's final sales. */
static int run_deal(double fine, double purchase, double *profit, double *q_sales, double *fine_received)
{
	ts_scenario *s = tu_load(deal_text(fine, purchase));
	ts_sim *w = sim_new(s, 7);
	int us = country(w, "US"), cn = country(w, "CN");
	int zte = ts_scenario_firm_index(s, "ZTE"), q = ts_scenario_firm_index(s, "Q");
	int expected = -1, triggered = -1;
	for (int t = 0; t < s->run.steps; t++) {
		/* The condition, read at the end of step t-1. */
		if (expected < 0 && t >= 3 && w->minst[0].active && w->damage_cum[us * w->nc + cn] > 0.5 &&
		    w->damage_cum[cn * w->nc + us] > 0.5)
			expected = t;
		step(w);
		profit[t] = w->profit[zte];
		q_sales[t] = w->final_sales[q];
		fine_received[t] = w->fines[us];
		if (w->minst[0].end == t && triggered < 0) {
			triggered = t;
			for (int j = 0; j < 2; j++) {
				assert_int_equal(w->minst[j].end, t);
				assert_string_equal(w->minst[j].end_cause, "settle");
				const ts_event *e = event_of(w, j);
				assert_non_null(e);
				assert_int_equal(e->action, TS_EVENT_END);
				assert_string_equal(e->cause, "settle");
			}
		}
	}
	assert_true(expected >= 3);
	assert_int_equal(triggered, expected);
	assert_int_equal(w->deal_step[0], expected);
	ts_sim_free(w);
	ts_scenario_free(s);
	return triggered;
}

static void a_deal_lifts_its_measures_at_the_first_step_its_condition_holds_and_fines_the_payer(void **state)
{
	(void)state;
	double p0[20], p1[20], q0[20], q1[20], f0[20], f1[20];
	int t0 = run_deal(0.0, 0.0, p0, q0, f0);
	int t1 = run_deal(1.4, 0.0, p1, q1, f1);
	assert_int_equal(t0, t1);
	for (int t = 0; t < 20; t++) {
		assert_double_equal(p0[t] - p1[t], t == t1 ? 1.4 : 0.0, 1e-9);
		assert_double_equal(f1[t], t == t1 ? 1.4 : 0.0, 0.0);
	}
}

static void a_deal_purchase_adds_to_the_sellers_sales_for_its_steps(void **state)
{
	(void)state;
	double p0[20], p1[20], q0[20], q1[20], f0[20], f1[20];
	run_deal(0.0, 0.0, p0, q0, f0);
	int t = run_deal(0.0, 8.0, p1, q1, f1);
	for (int k = 0; k < t; k++)
		assert_true(q0[k] == q1[k]);
	/* 8 bn USD a year = 2 a quarter, all to Q, the US's only chip maker. */
	assert_double_equal(q1[t] - q0[t], 2.0, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_deal_lifts_its_measures_at_the_first_step_its_condition_holds_and_fines_the_payer),
		cmocka_unit_test(a_deal_purchase_adds_to_the_sellers_sales_for_its_steps),
	};
	return cmocka_run_group_tests_name("deals", tests, NULL, NULL);
}
