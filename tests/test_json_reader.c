/* The strict JSON reader (util/json_reader.h): what sweep.json holds is read back
 * exactly, and malformed text is refused with its line. */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "util/json_reader.h"

static ts_error parse_error(const char *text)
{
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	if (ts_json_parse_object(&o, text, strlen(text), "t.json", &err) == TS_OK) {
		ts_json_object_free(&o);
		fail_msg("accepted: %s", text);
	}
	ts_json_object_free(&o);  /* empty after a failure: safe */
	return err;
}

static void a_sweep_json_reads_back_its_members_and_where_they_lie(void **state)
{
	(void)state;
	const char *text = "{\n  \"sweep_sha256\": \"ab\\u00e9\\n\\\"x\\\"\",\n  \"runs\": 12,\n  \"seed\": -3,\n"
	                   "  \"common_seeds\": true,\n  \"nested\": {\"a\": [1, 2.5e-3, null, {}]},\n"
	                   "  \"shard\": \"1/2\"\n}\n";
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, strlen(text), "t.json", &err), TS_OK);
	assert_int_equal(o.n, 6);
	const char *hash = NULL, *shard = NULL;
	assert_int_equal(ts_json_get_string(&o, "sweep_sha256", &hash, &err), TS_OK);
	assert_string_equal(hash, "ab\xc3\xa9\n\"x\"");  /* \u00e9 is U+00E9, two bytes of UTF-8 */
	long long runs = 0, seed = 0;
	assert_int_equal(ts_json_get_integer(&o, "runs", 0, 100, &runs, &err), TS_OK);
	assert_int_equal(runs, 12);
	assert_int_equal(ts_json_get_integer(&o, "seed", -10, 10, &seed, &err), TS_OK);
	assert_int_equal(seed, -3);
	const ts_json_member *b = ts_json_find(&o, "common_seeds");
	assert_non_null(b);
	assert_int_equal(b->type, TS_JSON_BOOL);
	assert_true(b->boolean);
	assert_int_equal(ts_json_find(&o, "nested")->type, TS_JSON_OBJECT);
	assert_int_equal(ts_json_get_string(&o, "shard", &shard, &err), TS_OK);
	const ts_json_member *m = ts_json_find(&o, "shard");
	assert_int_equal(m->line, 7);
	assert_int_equal((int)(m->end - m->start), 5);
	assert_memory_equal(text + m->start, "\"1/2\"", 5);
	assert_null(ts_json_find(&o, "missing"));
	ts_json_object_free(&o);
}

static void a_surrogate_pair_decodes_to_one_four_byte_character(void **state)
{
	(void)state;
	const char *text = "{\"k\": \"\\ud83d\\ude00\"}";  /* U+1F600 */
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, strlen(text), "t.json", &err), TS_OK);
	assert_string_equal(o.members[0].string, "\xf0\x9f\x98\x80");
	ts_json_object_free(&o);
}

static void malformed_text_is_refused_with_its_line_and_what_was_expected(void **state)
{
	(void)state;
	struct { const char *text, *message; } cases[] = {
		{"", "t.json:1: expected a JSON object '{', got the end of the text"},
		{"[1]", "t.json:1: expected a JSON object '{', got '['"},
		{"{\"a\": 1,}", "t.json:1: expected a member name in double quotes, got '}'"},
		{"{\"a\": 1\n\"b\": 2}", "t.json:2: expected ',' or '}' after a member, got '\"'"},
		{"{'a': 1}", "expected a member name in double quotes, got '''"},
		{"{\"a\": 01}", "expected ',' or '}' after a member, got '1'"},
		{"{\"a\": 1.}", "expected a digit after the decimal point"},
		{"{\"a\": -}", "expected a digit"},
		{"{\"a\": 1e}", "expected a digit in the exponent"},
		{"{\"a\": tru}", "expected a value"},
		{"{\"a\": \"x\ny\"}", "t.json:1: expected no control character in a string"},
		{"{\"a\": \"\\x\"}", "expected an escape"},
		{"{\"a\": \"\\u12\"}", "expected four hexadecimal digits"},
		{"{\"a\": \"\\ud800\"}", "expected a low surrogate"},
		{"{\"a\": \"\\udc00\"}", "expected a high surrogate before a low one"},
		{"{\"a\": \"\\u0000\"}", "expected no NUL character"},
		{"{\"a\": \"\xc3\x28\"}", "expected UTF-8 text, got byte 0xc3"},
		{"{\"a\": \"\xed\xa0\x80\"}", "expected UTF-8 text"},   /* an encoded surrogate */
		{"{\"a\": \"\xc0\xaf\"}", "expected UTF-8 text"},       /* an overlong '/' */
		{"{\"a\": \"x", "expected a closing '\"', got the end of the text"},
		{"{\"a\": 1} x", "expected nothing after the object, got 'x'"},
		{"{\"a\": 1, \"a\": 2}", "t.json:1: \"a\" appears twice"},
		{"{\"a\" 1}", "expected ':' after a member name"},
		{"{\"a\": [1 2]}", "expected ',' or ']' after an array element"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ts_error err = parse_error(cases[i].text);
		assert_int_equal(err.status, TS_EINPUT);
		if (!strstr(err.message, cases[i].message))
			fail_msg("case %zu: expected \"%s\" in \"%s\"", i, cases[i].message, err.message);
	}
}

static void a_nul_byte_inside_the_text_is_refused(void **state)
{
	(void)state;
	const char text[] = "{\"a\": 1}\0 junk";
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, sizeof text - 1, "t.json", &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "got byte 0x00"));
}

static void nesting_deeper_than_sixty_four_levels_is_refused(void **state)
{
	(void)state;
	char text[300] = "{\"a\": ";
	for (int i = 0; i < 70; i++)
		strcat(text, "[");
	ts_error err = parse_error(text);
	assert_non_null(strstr(err.message, "at most 64 levels of nesting"));
}

static void typed_reads_name_the_member_and_what_it_should_be(void **state)
{
	(void)state;
	const char *text = "{\"s\": 5, \"n\": \"5\", \"f\": 2.5, \"big\": 99999999999999999999, \"neg\": -1}";
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, strlen(text), "t.json", &err), TS_OK);
	const char *str;
	long long v;
	assert_int_equal(ts_json_get_string(&o, "s", &str, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "t.json:1: s: expected a string"));
	ts_error_clear(&err);
	assert_int_equal(ts_json_get_string(&o, "absent", &str, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "t.json: absent: missing"));
	const char *not_integers[] = {"n", "f", "big", "neg"};
	for (int i = 0; i < 4; i++) {
		ts_error_clear(&err);
		assert_int_equal(ts_json_get_integer(&o, not_integers[i], 0, 100, &v, &err), TS_EINPUT);
		assert_non_null(strstr(err.message, "expected an integer in [0, 100]"));
	}
	ts_json_object_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_sweep_json_reads_back_its_members_and_where_they_lie),
		cmocka_unit_test(a_surrogate_pair_decodes_to_one_four_byte_character),
		cmocka_unit_test(malformed_text_is_refused_with_its_line_and_what_was_expected),
		cmocka_unit_test(a_nul_byte_inside_the_text_is_refused),
		cmocka_unit_test(nesting_deeper_than_sixty_four_levels_is_refused),
		cmocka_unit_test(typed_reads_name_the_member_and_what_it_should_be),
	};
	return cmocka_run_group_tests_name("json_reader", tests, NULL, NULL);
}
