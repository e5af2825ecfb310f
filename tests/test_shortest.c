/* The shortest round-trip decimal of a double (sim/util/shortest.c,
 * Schubfach):
 * every finite double reads back exactly with strtod, in no more digits
 * than printf's smallest round-trip precision gives, and in the same text
 * wherever that precision is also the shortest; values pinned by hand. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "util/shortest.h"

/* The formatter it replaces: "%.*g" from 15 significant digits (1 for a
 * subnormal) up to 17, the first that reads back. */
static void printf_format(char *buf, size_t size, double value)
{
	if (value == 0.0) {
		snprintf(buf, size, "0");
		return;
	}
	for (int digits = fabs(value) < DBL_MIN ? 1 : 15; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, value);
		if (strtod(buf, NULL) == value)
			return;
	}
}

/* Significant digits of a %g-style number: those of its mantissa. */
static int significant(const char *text)
{
	int n = 0, leading = 1;
	for (const char *p = text; *p && *p != 'e'; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (*p == '0' && leading)
			continue;
		leading = 0;
		n++;
	}
	return n;
}

static long shorter;  /* values where ours has fewer digits than printf's loop */

/* v reads back; its text is printf's, or has fewer digits and reads back. */
static void check(double v)
{
	char fast[40], slow[40];
	size_t len = ts_shortest_format(fast, v);
	assert_int_equal(len, strlen(fast));
	printf_format(slow, sizeof slow, v);
	if (v != 0.0 && strtod(fast, NULL) != v)
		fail_msg("%a: %s does not read back", v, fast);
	if (strcmp(fast, slow) == 0)
		return;
	if (!(significant(fast) < significant(slow)))
		fail_msg("%a: %s, printf's loop %s", v, fast, slow);
	shorter++;
}

static uint64_t state = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void)  /* xorshift64 */
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* v's text reads back exactly. */
static void check_round_trip(double v)
{
	char text[40];
	ts_shortest_format(text, v);
	if (strtod(text, NULL) != v)
		fail_msg("%a: %s does not read back", v, text);
}

/* A million random bit patterns, every finite one (subnormals included,
 * about 1 in 2048), read back; and against printf's loop, which is slower,
 * a hundred thousand of them plus as many decimals with few digits and
 * scaled integers. */
static void a_million_random_doubles_read_back(void **st)
{
	(void)st;
	for (long n = 0; n < 1000000;) {
		uint64_t bits = next_random();
		double v;
		memcpy(&v, &bits, sizeof v);
		if (!isfinite(v))
			continue;
		check_round_trip(v);
		if (n % 10 == 0) {
			check(v);
			check((double)(bits % 100000000) / 1000.0);
			check(ldexp((double)(bits >> 11), -(int)(bits % 1100)));
		}
		n++;
	}
	print_message("%ld in fewer digits than printf's loop\n", shorter);
}

/* Both zeros, the extremes, every power of two with its neighbours, every
 * power of ten 1e-323 .. 1e308 with its neighbours, the first 10^5
 * integers with their negatives, the 10^5 below 2^53 and even ones above
 * it, and the first 10^5 subnormals. */
static void the_edges_read_back(void **st)
{
	(void)st;
	const double edges[] = {0.0, -0.0, DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN,
				nextafter(DBL_MIN, 0.0), 9007199254740992.0, 9007199254740993.0};
	for (size_t k = 0; k < sizeof edges / sizeof *edges; k++)
		check(edges[k]);
	for (int e = -1074; e <= 1023; e++) {
		double v = ldexp(1.0, e);
		check(v);
		check(-v);
		check(nextafter(v, 0.0));
		check(nextafter(v, INFINITY));
	}
	for (int e = -323; e <= 308; e++) {
		char text[16];
		snprintf(text, sizeof text, "1e%d", e);
		double v = strtod(text, NULL);
		check(v);
		check(nextafter(v, 0.0));
		check(nextafter(v, INFINITY));
	}
	for (int i = 1; i <= 100000; i++) {
		check((double)i);
		check(-(double)i);
		check(9007199254740992.0 - i);  /* the integers just below 2^53 */
		check(9007199254740992.0 + 2.0 * i);  /* and the even ones above it */
		check((double)i * 1e10);
	}
	for (uint64_t bits = 1; bits <= 100000; bits++) {
		double v;
		memcpy(&v, &bits, sizeof v);
		check(v);
	}
}

static void expect_text(double v, const char *text)
{
	char buf[40];
	ts_shortest_format(buf, v);
	assert_string_equal(buf, text);
}

/* printf's "%.15g" layout: fixed for decimal exponents -4 .. 14 (up to the
 * precision, 16 or 17 where the value needs it), else d.ddde+XX with at
 * least two exponent digits; no trailing zeros. 2^-1017 is
 * 7.1202363472230444...e-307: the gap below a power of two is half the
 * gap above, so 7.120236347223045e-307, above it, reads back in 16 digits
 * where the nearest 16-digit decimal, ...044e-307, below it, does not. */
static void the_layout_is_printfs(void **st)
{
	(void)st;
	expect_text(0.1, "0.1");
	expect_text(1e-4, "0.0001");
	expect_text(1e-5, "1e-05");
	expect_text(1e14, "100000000000000");
	expect_text(1e15, "1e+15");
	expect_text(-2.5, "-2.5");
	expect_text(1.0 / 3.0, "0.3333333333333333");
	expect_text(123456789012345.6, "123456789012345.6");
	expect_text(123456789012345678.0, "1.2345678901234568e+17");
	expect_text(DBL_MAX, "1.7976931348623157e+308");
	expect_text(DBL_MIN, "2.2250738585072014e-308");
	expect_text(DBL_TRUE_MIN, "5e-324");
	expect_text(ldexp(1.0, -1017), "7.120236347223045e-307");
	expect_text(-0.0, "0");
	/* Integers the doubles hold exactly take their own digits (no
	 * scaling): trailing zeros, signs and 2^53 - 1 itself. */
	expect_text(1.0, "1");
	expect_text(-120.0, "-120");
	expect_text(4503599627370497.0, "4503599627370497");
	expect_text(9007199254740991.0, "9007199254740991");
	expect_text(-9007199254740991.0, "-9007199254740991");
	expect_text(9007199254740992.0, "9007199254740992");
	/* Each layout with its digits written in place. */
	expect_text(1e100, "1e+100");
	expect_text(-1.5e-300, "-1.5e-300");
	expect_text(2.5e-7, "2.5e-07");
	expect_text(-0.00012, "-0.00012");
	expect_text(1234.5678, "1234.5678");
	expect_text(987654321.25, "987654321.25");
}

/* The table is what its generator writes (pow10_table.py, which also
 * checks the fixed-point logarithms against exact powers). */
static void the_tables_are_their_generators(void **st)
{
	(void)st;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "python3 '%s/sim/util/pow10_table.py' | cmp - '%s/sim/util/pow10_table.h'",
		 TS_SOURCE_DIR, TS_SOURCE_DIR);
	int status = system(cmd);
	if (status != 0)
		fail_msg("pow10_table.h is not what pow10_table.py writes (%s: status %d)", cmd, status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_layout_is_printfs),
		cmocka_unit_test(the_edges_read_back),
		cmocka_unit_test(a_million_random_doubles_read_back),
		cmocka_unit_test(the_tables_are_their_generators),
	};
	return cmocka_run_group_tests_name("shortest", tests, NULL, NULL);
}
