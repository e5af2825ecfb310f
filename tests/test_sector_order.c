/* Sectors ordered along the supply chain (sim/scenario/sector_order.c):
 * every buyer before the sectors it buys critical inputs from. */
#include "testutil.h"
#include <string.h>
#include "scenario/spec.h"

/* phones buy chips, chips buy tools, screens buy nothing. Kahn's algorithm
 * walks the sectors in index order and takes each as soon as no sector left
 * buys from it: phones (no buyer), then chips (its one buyer, phones, is
 * taken), tools likewise, and screens. */
static const char chain[] =
	"run = { steps = 2; start = \"2018Q1\"; };\n"
	"countries = { US = { markets = { screens = { size = 10.0; }; }; }; };\n"
	"sectors = { phones = { inputs = { chips = 0.3; }; }; chips = { inputs = { tools = 0.2; }; };\n"
	"            tools = { }; screens = { }; };\n"
	"firms = { A = { country = \"US\"; sector = \"screens\"; capacity = 10.0; }; };\n";

static void buyers_come_before_their_inputs(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(chain);
	int order[4], n = -1;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sector_order(order, &n, s, &err), TS_OK);
	assert_int_equal(n, 4);
	const char *expected[] = { "phones", "chips", "tools", "screens" };
	for (int k = 0; k < 4; k++)
		assert_string_equal(s->sectors[order[k]].id, expected[k]);
	ts_scenario_free(s);
}

static void a_cycle_is_refused_naming_the_sectors_on_it(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(chain);
	/* phones made from phones (the loader refuses it: done by hand) */
	int phones = ts_scenario_sector_index(s, "phones");
	ts_input_spec saved = s->inputs[s->sectors[phones].input_first];
	s->inputs[s->sectors[phones].input_first].sector = phones;
	int order[4], n = -1;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sector_order(order, &n, s, &err), TS_EINPUT);
	assert_string_equal(err.message, "critical inputs form a cycle among: phones");
	/* screens, chips and tools are ordered: nothing left buys from them */
	assert_int_equal(n, 3);
	s->inputs[s->sectors[phones].input_first] = saved;
	ts_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buyers_come_before_their_inputs),
		cmocka_unit_test(a_cycle_is_refused_naming_the_sectors_on_it),
	};
	return cmocka_run_group_tests_name("sector_order", tests, NULL, NULL);
}
