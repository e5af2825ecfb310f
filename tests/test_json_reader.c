/* The strict JSON reader (util/json_reader.h): what sweep.json holds is read back
 * exactly, and malformed text is refused with its line. */
#include <stdio.h>
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
		if (err.count != 1)  /* the first error only: later ones would be echoes */
			fail_msg("case %zu: %d errors: %s", i, err.count, err.message);
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

/* The one member "k" of {"k": VALUE}, decoded; fails the test if refused. */
static char *decoded(const char *value)
{
	char text[256];
	snprintf(text, sizeof text, "{\"k\": \"%s\"}", value);
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	if (ts_json_parse_object(&o, text, strlen(text), "t.json", &err) != TS_OK)
		fail_msg("refused %s: %s", text, err.message);
	char *s = strdup(o.members[0].string);
	ts_json_object_free(&o);
	return s;
}

static void expect_decoded(const char *value, const char *bytes)
{
	char *s = decoded(value);
	if (strcmp(s, bytes) != 0)
		fail_msg("%s decoded to %zu bytes, not the %zu expected", value, strlen(s), strlen(bytes));
	free(s);
}

/* RFC 8259, section 7: the two-character escapes, and \u in either case. */
static void every_escape_decodes_to_its_character(void **state)
{
	(void)state;
	expect_decoded("\\\" \\\\ \\/ \\b \\f \\n \\r \\t", "\" \\ / \b \f \n \r \t");
	expect_decoded("\\u00e9\\u00E9\\u00C9", "\xc3\xa9\xc3\xa9\xc3\x89");
	expect_decoded("\\u0041\\u005a\\u0061\\u007A", "AZaz");
	expect_decoded("\\u00FF\\u00fF\\u0030", "\xc3\xbf\xc3\xbf" "0");  /* the last hex digit in each case */
}

/* UTF-8 of a code point (RFC 3629, section 3): one byte below U+0080, two
 * below U+0800, three below U+10000, four above; the pair \uD800\uDC00 is
 * U+10000 and \uDBFF\uDFFF is U+10FFFF (0x10000 + 0x3FF * 0x400 + 0x3FF). */
static void escaped_code_points_on_each_side_of_the_utf8_length_steps_decode_exactly(void **state)
{
	(void)state;
	expect_decoded("\\u0001\\u007f", "\x01\x7f");
	expect_decoded("\\u0080", "\xc2\x80");
	expect_decoded("\\u07ff", "\xdf\xbf");
	expect_decoded("\\u0800", "\xe0\xa0\x80");
	expect_decoded("\\ud7ff", "\xed\x9f\xbf");  /* just below the surrogates */
	expect_decoded("\\ue000", "\xee\x80\x80");  /* just above them */
	expect_decoded("\\uffff", "\xef\xbf\xbf");
	expect_decoded("\\ud800\\udc00", "\xf0\x90\x80\x80");
	expect_decoded("\\udbff\\udfff", "\xf4\x8f\xbf\xbf");
}

/* RFC 3629, section 4: the first and last well-formed sequences of each
 * row of its table pass through unchanged. */
static void well_formed_utf8_at_every_edge_of_rfc_3629_is_kept(void **state)
{
	(void)state;
	const char *edges[] = {
		"\xc2\x80", "\xdf\xbf",                   /* U+0080, U+07FF */
		"\xe0\xa0\x80", "\xe0\xbf\xbf",           /* U+0800, U+0FFF */
		"\xe1\x80\x80", "\xec\xbf\xbf",           /* U+1000, U+CFFF */
		"\xed\x80\x80", "\xed\x9f\xbf",           /* U+D000, U+D7FF */
		"\xee\x80\x80", "\xef\xbf\xbf",           /* U+E000, U+FFFF */
		"\xf0\x90\x80\x80", "\xf0\xbf\xbf\xbf",   /* U+10000, U+3FFFF */
		"\xf1\x80\x80\x80", "\xf3\xbf\xbf\xbf",   /* U+40000, U+FFFFF */
		"\xf4\x80\x80\x80", "\xf4\x8f\xbf\xbf",   /* U+100000, U+10FFFF */
	};
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		expect_decoded(edges[i], edges[i]);
}

/* One step outside each edge above: refused as "UTF-8 text". */
static void ill_formed_utf8_just_outside_each_edge_is_refused(void **state)
{
	(void)state;
	const char *bad[] = {
		"\x80", "\xbf",                           /* a continuation byte first */
		"\xc1\xbf",                               /* overlong U+007F */
		"\xc2\x7f", "\xc2\xc0",                   /* second byte outside 80..BF */
		"\xe0\x9f\xbf",                           /* overlong U+07FF */
		"\xe1\x7f\x80", "\xe1\xc0\x80",
		"\xe1\x80\x7f", "\xe1\x80\xc0",           /* third byte outside 80..BF */
		"\xed\xa0\x80",                           /* U+D800, a surrogate */
		"\xf0\x8f\xbf\xbf",                       /* overlong U+FFFF */
		"\xf1\x80\x80\x7f", "\xf1\x80\x80\xc0",   /* fourth byte outside 80..BF */
		"\xf4\x90\x80\x80",                       /* U+110000 */
		"\xf5\x80\x80\x80", "\xff",               /* no such lead byte */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[64];
		snprintf(text, sizeof text, "{\"k\": \"%s\"}", bad[i]);
		ts_error err = parse_error(text);
		if (!strstr(err.message, "expected UTF-8 text"))
			fail_msg("case %zu: %s", i, err.message);
	}
}

/* A lead byte whose sequence the end of the text cuts short (the bytes
 * after the text's length, which would complete it, are not read). */
static void a_utf8_sequence_cut_by_the_end_of_the_text_is_refused(void **state)
{
	(void)state;
	const char text[] = "{\"k\": \"\xe2\x82\xac\"}";
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, sizeof text - 4, "t.json", &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "expected UTF-8 text, got byte 0xe2"));
	/* A whole sequence that ends the text is read; the string then lacks its quote. */
	ts_error_clear(&err);
	assert_int_equal(ts_json_parse_object(&o, text, sizeof text - 3, "t.json", &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "expected a closing '\"', got the end of the text"));
}

/* Just outside the surrogate ranges on the wrong side of a pair. */
static void a_high_surrogate_needs_a_low_one_right_after_it(void **state)
{
	(void)state;
	const char *bad[] = {
		"\\udbff",              /* the last high surrogate, alone */
		"\\ud800\\udbff",       /* followed by a high one (just below DC00) */
		"\\ud800\\ue000",       /* followed by U+E000 (just above DFFF) */
		"\\ud800\\n",           /* followed by another escape */
		"\\ud800\\",            /* cut after the backslash */
		"\\ud800xudc00",         /* a 'u' but no backslash before it */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[64];
		snprintf(text, sizeof text, "{\"k\": \"%s\"}", bad[i]);
		ts_error err = parse_error(text);
		if (!strstr(err.message, "expected a low surrogate"))
			fail_msg("case %zu: %s", i, err.message);
	}
	ts_error err = parse_error("{\"k\": \"\\udfff\"}");  /* the last low surrogate, alone */
	assert_non_null(strstr(err.message, "expected a high surrogate before a low one"));
}

/* RFC 8259, section 6: each part of the number grammar, kept as written. */
static void numbers_of_every_form_are_kept_as_written(void **state)
{
	(void)state;
	const char *text = "{\"a\": 0, \"b\": -0, \"c\": 90, \"d\": -1.05, \"e\": 1e9, \"f\": 2E+3, \"g\": 5e-1, "
	                   "\"h\": 0.5e07}";
	const char *expect[] = {"0", "-0", "90", "-1.05", "1e9", "2E+3", "5e-1", "0.5e07"};
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, strlen(text), "t.json", &err), TS_OK);
	assert_int_equal(o.n, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(o.members[i].type, TS_JSON_NUMBER);
		assert_string_equal(o.members[i].number, expect[i]);
	}
	ts_json_object_free(&o);
}

static void literals_and_nested_values_have_their_types(void **state)
{
	(void)state;
	const char *text = "{\"t\": true, \"f\": false, \"n\": null, \"a\": [], \"o\": {\"x\": [{}]}, \"s\": \"\"}";
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, strlen(text), "t.json", &err), TS_OK);
	assert_int_equal(ts_json_find(&o, "t")->type, TS_JSON_BOOL);
	assert_true(ts_json_find(&o, "t")->boolean);
	assert_int_equal(ts_json_find(&o, "f")->type, TS_JSON_BOOL);
	assert_false(ts_json_find(&o, "f")->boolean);
	assert_int_equal(ts_json_find(&o, "n")->type, TS_JSON_NULL);
	assert_int_equal(ts_json_find(&o, "a")->type, TS_JSON_ARRAY);
	assert_int_equal(ts_json_find(&o, "o")->type, TS_JSON_OBJECT);
	assert_int_equal(ts_json_find(&o, "s")->type, TS_JSON_STRING);
	assert_string_equal(ts_json_find(&o, "s")->string, "");
	ts_json_object_free(&o);
	parse_error("{\"a\": nul}");
	parse_error("{\"a\": fals}");
}

/* Space, tab, carriage return and newline may surround every token; only
 * newlines count lines. */
static void all_four_kinds_of_white_space_are_skipped_and_newlines_counted(void **state)
{
	(void)state;
	const char *text = " \t\r\n{\r\n\t\"a\"\t:\r1 ,\n\n \"b\" : [ 1 ,\t2 ] \r\n}\t \r\n";
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, strlen(text), "t.json", &err), TS_OK);
	assert_int_equal(ts_json_find(&o, "a")->line, 3);
	assert_int_equal(ts_json_find(&o, "b")->line, 5);
	ts_json_object_free(&o);
}

/* The top object is level 1, so a member's value is level 2 and k nested
 * arrays reach level k + 1: 63 are the most allowed. */
static void sixty_three_nested_arrays_in_a_member_are_the_most_allowed(void **state)
{
	(void)state;
	char text[300];
	for (int k = 63; k <= 64; k++) {
		strcpy(text, "{\"a\": ");
		for (int i = 0; i < k; i++)
			strcat(text, "[");
		for (int i = 0; i < k; i++)
			strcat(text, "]");
		strcat(text, "}");
		ts_json_object o;
		ts_error err = TS_ERROR_INIT;
		int rc = ts_json_parse_object(&o, text, strlen(text), "t.json", &err);
		assert_int_equal(rc, k == 63 ? TS_OK : TS_EINPUT);
		ts_json_object_free(&o);
	}
}

/* The bounds of an integer read are inclusive. */
static void an_integer_at_either_bound_is_accepted_and_one_past_it_refused(void **state)
{
	(void)state;
	const char *text = "{\"lo\": -5, \"hi\": 7}";
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, strlen(text), "t.json", &err), TS_OK);
	long long v = 0;
	assert_int_equal(ts_json_get_integer(&o, "lo", -5, 7, &v, &err), TS_OK);
	assert_int_equal(v, -5);
	assert_int_equal(ts_json_get_integer(&o, "hi", -5, 7, &v, &err), TS_OK);
	assert_int_equal(v, 7);
	assert_int_equal(ts_json_get_integer(&o, "lo", -4, 7, &v, &err), TS_EINPUT);
	assert_int_equal(ts_json_get_integer(&o, "hi", -5, 6, &v, &err), TS_EINPUT);
	ts_error_clear(&err);
	assert_int_equal(ts_json_get_integer(&o, "absent", 0, 1, &v, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "t.json: absent: missing"));
	ts_json_object_free(&o);
}

/* A hexadecimal digit is 0-9, a-f or A-F: the letter after each range is not. */
static void a_letter_past_f_is_not_a_hexadecimal_digit(void **state)
{
	(void)state;
	const char *bad[] = {"{\"k\": \"\\u00G0\"}", "{\"k\": \"\\u00g0\"}", "{\"k\": \"\\u00:0\"}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ts_error err = parse_error(bad[i]);
		if (!strstr(err.message, "expected four hexadecimal digits after \\u"))
			fail_msg("%s: %s", bad[i], err.message);
	}
}

/* The text ends where its length says, whatever the bytes after it: a
 * literal cut by the end is refused as a value, a whole one then lacks its
 * closing brace. */
static void a_literal_at_the_end_of_the_text_is_read_within_its_length(void **state)
{
	(void)state;
	const char text[] = "{\"a\": true}";
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, sizeof text - 3, "t.json", &err), TS_EINPUT);  /* ...tru */
	assert_non_null(strstr(err.message, "expected a value (object, array, string, number, true, false or null), "
	                                    "got 't'"));
	ts_error_clear(&err);
	assert_int_equal(ts_json_parse_object(&o, text, sizeof text - 2, "t.json", &err), TS_EINPUT);  /* ...true */
	assert_non_null(strstr(err.message, "expected ',' or '}' after a member, got the end of the text"));
}

/* Messages show a printable byte (space to '~') quoted, others in hex. */
static void messages_quote_printable_bytes_and_give_others_in_hex(void **state)
{
	(void)state;
	ts_error err = parse_error("{\"a\": - 1}");
	assert_non_null(strstr(err.message, "expected a digit, got ' '"));
	err = parse_error("{\"a\": ~}");
	assert_non_null(strstr(err.message, "got '~'"));
	err = parse_error("{\"a\": \x7f}");
	assert_non_null(strstr(err.message, "got byte 0x7f"));
	err = parse_error("{\"a\": \x1f}");
	assert_non_null(strstr(err.message, "got byte 0x1f"));
}

/* A high surrogate whose "\u" the end of the text cuts after the backslash:
 * the 'u' beyond the length is not read. */
static void a_surrogate_pair_cut_by_the_end_of_the_text_is_refused(void **state)
{
	(void)state;
	const char text[] = "{\"k\": \"\\ud800\\udc00\"}";
	size_t length = (size_t)(strstr(text, "\\udc00") - text) + 1;
	ts_json_object o;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_json_parse_object(&o, text, length, "t.json", &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "expected a low surrogate \\uDC00-\\uDFFF after a high one"));
}

/* Without an error record the result alone tells good text from bad. */
static void parsing_without_an_error_record_still_returns_the_status(void **state)
{
	(void)state;
	const char *good = "{\"a\": [1, {\"b\": null}]}", *bad = "{\"a\": [1, {\"b\": nul}]}";
	ts_json_object o;
	assert_int_equal(ts_json_parse_object(&o, good, strlen(good), "t.json", NULL), TS_OK);
	assert_int_equal(o.n, 1);
	ts_json_object_free(&o);
	assert_int_equal(ts_json_parse_object(&o, bad, strlen(bad), "t.json", NULL), TS_EINPUT);
	assert_int_equal(o.n, 0);
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
		cmocka_unit_test(every_escape_decodes_to_its_character),
		cmocka_unit_test(escaped_code_points_on_each_side_of_the_utf8_length_steps_decode_exactly),
		cmocka_unit_test(well_formed_utf8_at_every_edge_of_rfc_3629_is_kept),
		cmocka_unit_test(ill_formed_utf8_just_outside_each_edge_is_refused),
		cmocka_unit_test(a_utf8_sequence_cut_by_the_end_of_the_text_is_refused),
		cmocka_unit_test(a_high_surrogate_needs_a_low_one_right_after_it),
		cmocka_unit_test(numbers_of_every_form_are_kept_as_written),
		cmocka_unit_test(literals_and_nested_values_have_their_types),
		cmocka_unit_test(all_four_kinds_of_white_space_are_skipped_and_newlines_counted),
		cmocka_unit_test(sixty_three_nested_arrays_in_a_member_are_the_most_allowed),
		cmocka_unit_test(an_integer_at_either_bound_is_accepted_and_one_past_it_refused),
		cmocka_unit_test(a_letter_past_f_is_not_a_hexadecimal_digit),
		cmocka_unit_test(a_literal_at_the_end_of_the_text_is_read_within_its_length),
		cmocka_unit_test(messages_quote_printable_bytes_and_give_others_in_hex),
		cmocka_unit_test(a_surrogate_pair_cut_by_the_end_of_the_text_is_refused),
		cmocka_unit_test(parsing_without_an_error_record_still_returns_the_status),
	};
	return cmocka_run_group_tests_name("json_reader", tests, NULL, NULL);
}
