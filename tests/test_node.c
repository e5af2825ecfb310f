/* Process-node labels (sim/model/node.c; docs/model.md §14): feature size
 * from log-tech by the 0.7x rule, the nearest standard node on a log scale,
 * the ends of the table, and sectors without a node group. */
#include <math.h>
#include "testutil.h"
#include "model/world.h"

/* A chip sector at 14 nm at log-tech 0.2, one node per 0.35 of log-tech. */
static const ts_sector_spec chips = { .has_node = true, .node_reference_tech = 0.2, .node_reference_nm = 14.0,
                                      .node_tech_per_node = 0.35 };

static void node_labels_follow_the_07x_rule_and_clamp_to_the_standard_nodes(void **state)
{
	(void)state;
	assert_double_equal(ts_node_nm(&chips, 0.2), 14.0, 1e-12);
	assert_string_equal(ts_node_label(&chips, 0.2), "14nm");
	/* One node on: features 0.7x, 9.8 nm, labelled 10nm; two: 6.86 nm, 7nm. */
	assert_double_equal(ts_node_nm(&chips, 0.55), 9.8, 1e-12);
	assert_string_equal(ts_node_label(&chips, 0.55), "10nm");
	assert_string_equal(ts_node_label(&chips, 0.9), "7nm");
	assert_string_equal(ts_node_label(&chips, 1.25), "5nm");
	/* Half a node back: 14 / sqrt(0.7) = 16.7 nm. */
	assert_string_equal(ts_node_label(&chips, 0.025), "16nm");
	/* Beyond the table: clamped to its ends. */
	assert_string_equal(ts_node_label(&chips, 20.0), "2nm");
	assert_string_equal(ts_node_label(&chips, -20.0), "250nm");
	ts_sector_spec phones = { .has_node = false };
	assert_string_equal(ts_node_label(&phones, 0.2), "");
}

/* Nearest on a log scale, not in nm: 17.95 nm is nearer 16 in nm (1.95
 * against 2.05) but nearer 20 in log size: ln(20 / 17.95) = 0.1081 <
 * ln(17.95 / 16) = 0.1150; so 20nm. */
static void the_label_is_the_nearest_standard_node_on_a_log_scale(void **state)
{
	(void)state;
	double tech = 0.2 + 0.35 * log(17.95 / 14.0) / log(0.7);  /* inverse of the 0.7x rule */
	assert_double_equal(ts_node_nm(&chips, tech), 17.95, 1e-12);
	assert_string_equal(ts_node_label(&chips, tech), "20nm");
}

/* Technology run off to infinity still has a label, the table's ends: +inf
 * is 0 nm, "2nm"; -inf infinitely large, "250nm". */
static void infinite_technology_is_labelled_with_the_ends_of_the_table(void **state)
{
	(void)state;
	assert_string_equal(ts_node_label(&chips, INFINITY), "2nm");
	assert_string_equal(ts_node_label(&chips, -INFINITY), "250nm");
}

/* A sector without a node group has no feature size (NaN) and an empty
 * label; undefined technology has an empty label too. */
static void without_a_node_group_or_a_defined_technology_there_is_no_label(void **state)
{
	(void)state;
	ts_sector_spec phones = { .has_node = false, .node_reference_nm = 14.0, .node_tech_per_node = 0.35 };
	assert_true(isnan(ts_node_nm(&phones, 0.2)));
	assert_string_equal(ts_node_label(&phones, INFINITY), "");
	assert_string_equal(ts_node_label(&chips, NAN), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(node_labels_follow_the_07x_rule_and_clamp_to_the_standard_nodes),
		cmocka_unit_test(the_label_is_the_nearest_standard_node_on_a_log_scale),
		cmocka_unit_test(infinite_technology_is_labelled_with_the_ends_of_the_table),
		cmocka_unit_test(without_a_node_group_or_a_defined_technology_there_is_no_label),
	};
	return cmocka_run_group_tests_name("node", tests, NULL, NULL);
}
