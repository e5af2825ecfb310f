/* JSON strings for run.json and sweep.json (sim/output/json.c): escapes,
 * and bytes that are not UTF-8 written as U+FFFD so the file stays JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "output/json.h"

/* ts_json_string(text) as a string (caller frees). */
static char *json(const char *text)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	ts_json_string(f, text);
	fclose(f);
	return out;
}

static void expect_json(const char *text, const char *expected)
{
	char *got = json(text);
	if (strcmp(got, expected) != 0)
		fail_msg("json of '%s': got %s, expected %s", text, got, expected);
	free(got);
}

static void quotes_backslashes_and_control_characters_are_escaped(void **state)
{
	(void)state;
	expect_json("plain", "\"plain\"");
	expect_json("say \"hi\"", "\"say \\\"hi\\\"\"");
	expect_json("C:\\dir", "\"C:\\\\dir\"");
	expect_json("a\nb\tc\x01", "\"a\\u000ab\\u0009c\\u0001\"");
	expect_json(NULL, "\"\"");
}

static void well_formed_utf8_is_copied(void **state)
{
	(void)state;
	expect_json("caf\xc3\xa9", "\"caf\xc3\xa9\"");                       /* U+00E9, 2 bytes */
	expect_json("\xe2\x82\xac 5", "\"\xe2\x82\xac 5\"");                  /* U+20AC, 3 bytes */
	expect_json("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");              /* U+1F600, 4 bytes */
	expect_json("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");              /* U+10FFFF, the last */
}

/* Unicode's table 3-7 of well-formed sequences: each byte outside one is
 * written as U+FFFD. */
static void bytes_that_are_not_utf8_become_replacement_characters(void **state)
{
	(void)state;
	expect_json("ab\xff" "cd", "\"ab\\ufffdcd\"");                   /* never a UTF-8 byte */
	expect_json("\xe9t\xe9", "\"\\ufffdt\\ufffd\"");                   /* Latin-1 */
	expect_json("\xc0\xaf", "\"\\ufffd\\ufffd\"");                     /* overlong '/' */
	expect_json("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");          /* overlong, 3 bytes */
	expect_json("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");          /* a surrogate, U+D800 */
	expect_json("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* above U+10FFFF */
	expect_json("x\xe2\x82", "\"x\\ufffd\\ufffd\"");                   /* cut short by the end */
	expect_json("\xe2\x82x", "\"\\ufffd\\ufffdx\"");                   /* cut short by ASCII */
	expect_json("\x80", "\"\\ufffd\"");                                /* a lone continuation */
}

static void overrides_are_listed_with_path_and_value(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ts_override ov[] = {{"run.steps", "8"}, {"title", "t\xff"}};
	ts_json_overrides(f, ov, 2);
	ts_json_overrides(f, NULL, 0);
	fclose(f);
	assert_string_equal(out, "  \"overrides\": [\n"
	                         "    {\"path\": \"run.steps\", \"value\": \"8\"},\n"
	                         "    {\"path\": \"title\", \"value\": \"t\\ufffd\"}\n"
	                         "  ],\n"
	                         "  \"overrides\": [],\n");
	free(out);
}

/* The first and last sequence of each row of table 3-7 are copied as they
 * are; the bytes just outside each row's ranges are each replaced. */
static void every_edge_of_the_well_formed_table_is_copied_and_one_step_outside_replaced(void **state)
{
	(void)state;
	const char *edges[] = {
		"\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xe0\xbf\xbf", "\xe1\x80\x80", "\xec\xbf\xbf",
		"\xed\x80\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80",
		"\xf0\xbf\xbf\xbf", "\xf1\x80\x80\x80", "\xf3\xbf\xbf\xbf", "\xf4\x80\x80\x80", "\xf4\x8f\xbf\xbf",
	};
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
		char expected[16];
		snprintf(expected, sizeof expected, "\"%s\"", edges[i]);
		expect_json(edges[i], expected);
	}
	const char *outside[][2] = {
		{"\xc1\xbf", "\"\\ufffd\\ufffd\""},                            /* C1: overlong lead */
		{"\xc2\x7f", "\"\\ufffd\x7f\""},                               /* continuation below 80 */
		{"\xc2\xc0", "\"\\ufffd\\ufffd\""},                            /* continuation above BF */
		{"\xe0\x9f\xbf", "\"\\ufffd\\ufffd\\ufffd\""},                 /* E0 needs A0..BF */
		{"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""},                 /* ED needs 80..9F */
		{"\xe1\x80\x7f", "\"\\ufffd\\ufffd\x7f\""},                    /* third byte below 80 */
		{"\xe1\x80\xc0", "\"\\ufffd\\ufffd\\ufffd\""},                 /* third byte above BF */
		{"\xf0\x8f\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},      /* F0 needs 90..BF */
		{"\xf1\x80\x80\xc0", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},      /* fourth byte above BF */
		{"\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},      /* F5: no such lead */
	};
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
		expect_json(outside[i][0], outside[i][1]);
}

/* Below 0x20 is escaped; 0x20 to 0x7f are copied. */
static void control_characters_end_at_0x1f(void **state)
{
	(void)state;
	expect_json("\x1f \x7f~", "\"\\u001f \x7f~\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quotes_backslashes_and_control_characters_are_escaped),
		cmocka_unit_test(well_formed_utf8_is_copied),
		cmocka_unit_test(bytes_that_are_not_utf8_become_replacement_characters),
		cmocka_unit_test(overrides_are_listed_with_path_and_value),
		cmocka_unit_test(every_edge_of_the_well_formed_table_is_copied_and_one_step_outside_replaced),
		cmocka_unit_test(control_characters_end_at_0x1f),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
