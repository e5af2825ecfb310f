/* The scenario loader's shared helpers (sim/scenario/loader.c): hashed id
 * tables, lookups by id with a did-you-mean, name tables, the marks that
 * find repeats in a list, counts and id lengths against the limits. */
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libconfig.h>
#include "scenario/limits.h"
#include "scenario/loader.h"

static const char *const world =
	"run = { steps = 4; start = \"2018Q1\"; };\n"
	"countries = { US = { }; CN = { }; };\n"
	"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = { Qualcomm = { country = \"US\"; sector = \"chips\"; capacity = 1.0; };\n"
	"          ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 1.0;\n"
	"                  suppliers = { chips = { Qualcomm = 0.5; US = 0.5; }; }; }; };\n";

/* A loader over a parsed text, as ts_scenario_load_string sets one up. */
typedef struct fixture {
	struct loader L;
	config_t cfg;
	ts_error err;
} fixture;

static fixture *fixture_new(const char *text)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	config_init(&f->cfg);
	assert_int_equal(config_read_string(&f->cfg, text), CONFIG_TRUE);
	f->L.s = calloc(1, sizeof *f->L.s);
	assert_non_null(f->L.s);
	f->L.root = config_root_setting(&f->cfg);
	ts_cfg_init(&f->L.cfg, &f->err, "test.cfg", NULL, text);
	return f;
}

static void fixture_free(fixture *f)
{
	ts_loader_table_free(&f->L.ids);
	ts_loader_table_free(&f->L.measure_ids);
	ts_loader_marks_free(&f->L.seen_countries);
	ts_cfg_release(&f->L.cfg);
	ts_scenario_free(f->L.s);
	config_destroy(&f->cfg);
	free(f);
}

static void every_id_put_in_a_table_is_found_again(void **state)
{
	(void)state;
	fixture *f = fixture_new("x = 1;");
	enum { N = 5000 };
	char (*ids)[16] = malloc(N * sizeof *ids);
	assert_non_null(ids);
	assert_true(ts_loader_table_init(&f->L, &f->L.ids, N));
	assert_true(f->L.ids.cap >= 2 * N && (f->L.ids.cap & (f->L.ids.cap - 1)) == 0);
	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof ids[i], "id%d", i);
		struct id_entry *e = ts_loader_table_slot(&f->L.ids, ids[i]);
		assert_null(e->id);  /* each one new */
		*e = (struct id_entry){ .id = ids[i], .kind = KIND_FIRM, .index = i };
	}
	for (int i = 0; i < N; i++) {
		const struct id_entry *e = ts_loader_table_find(&f->L.ids, ids[i]);
		assert_non_null(e);
		assert_int_equal(e->index, i);
	}
	assert_null(ts_loader_table_find(&f->L.ids, "id5000"));
	assert_null(ts_loader_table_find(&f->L.measure_ids, "id1"));  /* an empty table finds nothing */
	free(ids);
	fixture_free(f);
}

static void ids_start_with_a_letter_and_hold_letters_digits_underscores_and_dashes(void **state)
{
	(void)state;
	assert_true(ts_loader_valid_id("SK-hynix_2"));
	assert_false(ts_loader_valid_id("2nd"));
	assert_false(ts_loader_valid_id("a*b"));
	assert_false(ts_loader_valid_id("_x"));
}

static void a_reference_resolves_to_its_entity_or_says_what_it_is(void **state)
{
	(void)state;
	fixture *f = fixture_new(world);
	assert_true(ts_loader_parse_world(&f->L));
	assert_int_equal(f->L.cfg.n_errors, 0);
	config_setting_t *at = config_lookup(&f->cfg, "run.steps");
	int kind = 0;
	assert_int_equal(ts_loader_resolve(&f->L, at, "ZTE", KIND_FIRM | KIND_COUNTRY, "firm or country", &kind), 1);
	assert_int_equal(kind, KIND_FIRM);
	assert_int_equal(ts_loader_resolve(&f->L, at, "chips", KIND_COUNTRY, "country", NULL), -1);
	assert_non_null(strstr(f->err.message, "test.cfg:1: run.steps: 'chips' is a sector, expected a country"));
	assert_int_equal(ts_loader_resolve(&f->L, at, "Qualcom", KIND_FIRM, "firm", NULL), -1);
	assert_non_null(strstr(f->err.message, "no firm 'Qualcom' (did you mean 'Qualcomm'?)"));
	fixture_free(f);
}

static void a_name_outside_its_table_is_reported_in_either_style(void **state)
{
	(void)state;
	static const char *const kinds[] = { "none", "tit_for_tat", "escalate" };
	fixture *f = fixture_new("k = 1;");
	config_setting_t *at = config_lookup(&f->cfg, "k");
	assert_int_equal(ts_loader_name(&f->L, at, "escalate", kinds, 3, NULL), 2);
	assert_int_equal(ts_loader_name(&f->L, at, "tit_for_tit", kinds, 3, "rule kind"), -1);
	assert_int_equal(ts_loader_name(&f->L, at, "nane", kinds, 3, NULL), -1);
	assert_string_equal(f->err.message,
			    "test.cfg:1: k: unknown rule kind \"tit_for_tit\" (did you mean 'tit_for_tat'?); "
			    "expected none, tit_for_tat or escalate\n"
			    "test.cfg:1: k: expected \"none\", \"tit_for_tat\" or \"escalate\", got \"nane\" (did you mean 'none'?)");
	fixture_free(f);
}

static void marks_find_a_repeat_within_a_list_and_forget_it_in_the_next(void **state)
{
	(void)state;
	fixture *f = fixture_new("x = 1;");
	struct marks *m = &f->L.seen_countries;
	assert_true(ts_loader_marks_begin(&f->L, m, 4));
	assert_false(ts_loader_marks_repeat(m, 2));
	assert_false(ts_loader_marks_repeat(m, 3));
	assert_true(ts_loader_marks_repeat(m, 2));
	assert_true(ts_loader_marks_begin(&f->L, m, 4));
	assert_false(ts_loader_marks_repeat(m, 2));  /* a new list */
	fixture_free(f);
}

static void counts_and_id_lengths_are_checked_against_their_limits(void **state)
{
	(void)state;
	fixture *f = fixture_new("g = { };");
	config_setting_t *at = config_lookup(&f->cfg, "g");
	assert_true(ts_loader_check_count(&f->L, at, 1000, 1000, "countries"));
	assert_false(ts_loader_check_count(&f->L, at, 1001, 1000, "countries"));
	char id[TS_MAX_ID_LENGTH + 1];
	memset(id, 'x', TS_MAX_ID_LENGTH);
	id[TS_MAX_ID_LENGTH] = '\0';
	assert_true(ts_loader_check_id_length(&f->L, at, id));
	assert_string_equal(f->err.message, "test.cfg:1: g: 1001 countries, at most 1000 (docs/scenario.md, \"Limits\")");
	fixture_free(f);
}

static void supplier_links_past_the_limit_are_refused_at_the_group_that_passes_it(void **state)
{
	(void)state;
	/* A million links take a text of 14 MiB and seconds to parse: the
	 * scenario starts with the limit's worth already counted instead. */
	fixture *f = fixture_new(world);
	f->L.s->n_links = TS_MAX_LINKS - 1;
	ts_loader_parse_world(&f->L);
	assert_int_equal(f->L.s->n_links, TS_MAX_LINKS);  /* ZTE's first link fits, its second not */
	assert_non_null(strstr(f->err.message, "test.cfg:6: firms.ZTE.suppliers.chips: more than 1000000 supplier "
				"links and technology dependences together, at most 1000000"));
	fixture_free(f);
}

static void a_measure_is_found_by_its_id_or_reported_with_the_closest(void **state)
{
	(void)state;
	fixture *f = fixture_new("measures = { zte_denial = { }; huawei_listing = { }; };");
	f->L.s->n_measures = 2;
	f->L.s->measures = calloc(2, sizeof *f->L.s->measures);
	assert_non_null(f->L.s->measures);
	assert_true(ts_loader_table_init(&f->L, &f->L.measure_ids, 2));
	const char *ids[] = { "zte_denial", "huawei_listing" };
	for (int j = 0; j < 2; j++) {
		f->L.s->measures[j].id = strdup(ids[j]);
		*ts_loader_table_slot(&f->L.measure_ids, ids[j]) = (struct id_entry){ .id = ids[j], .index = j };
	}
	config_setting_t *at = config_lookup(&f->cfg, "measures");
	assert_int_equal(ts_loader_measure(&f->L, at, "huawei_listing"), 1);
	assert_int_equal(ts_loader_measure(&f->L, at, "zte_denail"), -1);
	assert_string_equal(f->err.message, "test.cfg:1: measures: no measure 'zte_denail' (did you mean 'zte_denial'?)");
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_id_put_in_a_table_is_found_again),
		cmocka_unit_test(ids_start_with_a_letter_and_hold_letters_digits_underscores_and_dashes),
		cmocka_unit_test(a_reference_resolves_to_its_entity_or_says_what_it_is),
		cmocka_unit_test(a_name_outside_its_table_is_reported_in_either_style),
		cmocka_unit_test(marks_find_a_repeat_within_a_list_and_forget_it_in_the_next),
		cmocka_unit_test(counts_and_id_lengths_are_checked_against_their_limits),
		cmocka_unit_test(supplier_links_past_the_limit_are_refused_at_the_group_that_passes_it),
		cmocka_unit_test(a_measure_is_found_by_its_id_or_reported_with_the_closest),
	};
	return cmocka_run_group_tests_name("loader", tests, NULL, NULL);
}
