/* Schubfach (Giulietti 2020, "The Schubfach way to render doubles";
 * shortest.h). A double v = c 2^q rounds from the reals between its
 * neighbours' midpoints, (c -+ 1/2) 2^q (c - 1/4 below a power of two,
 * where the gap below is half the gap above), closed when c is even. With
 * k = floor(log10 of that interval's width), the interval in units of
 * 10^k is at least one wide and under ten: it holds one or more of the
 * integers s = floor(v 10^-k) and s + 1, and at most one multiple of ten.
 * That multiple, if there is one, is the shortest decimal (its trailing
 * zeros dropped); else the nearer of s and s + 1 that lies in it (ties to
 * even). The bounds and v are scaled to four times their value in units of
 * 10^k by one 64 x 126-bit product each with 10^-k (pow10_table.h),
 * rounded to odd, which keeps every comparison with the candidates exact
 * (the paper's proof). */
#include <stdint.h>
#include <string.h>
#include "util/pow10_table.h"
#include "util/shortest.h"

__extension__ typedef unsigned __int128 ts_u128;

#define MANTISSA_BITS 52
#define EXPONENT_BIAS 1075  /* of the integer significand: v = c 2^(biased - 1075) */

/* floor(x / 2^s), whatever x's sign. */
static int floor_shift(int64_t x, int s)
{
	return (int)(x >= 0 ? x >> s : -((-x + ((INT64_C(1) << s) - 1)) >> s));
}

/* floor(q log10 2), floor(q log10 2 + log10 3/4) for -1074 <= q <= 971 and
 * floor(x log2 10) for -292 <= x <= 324: fixed-point logarithms, checked
 * against exact powers over these ranges by pow10_table.py. */
static int log10_pow2(int q) { return floor_shift((int64_t)q * INT64_C(661971961083), 41); }
static int log10_three_quarters_pow2(int q)
{
	return floor_shift((int64_t)q * INT64_C(661971961083) - INT64_C(274743187321), 41);
}
static int log2_pow10(int x) { return floor_shift((int64_t)x * 1741647, 19); }

/* (g cp) / 2^127 for the 126-bit g, rounded to odd: its integer part, its
 * last bit set if bits 64 to 126 of the product are not all zero. The
 * product's low 64 bits are left out: there lies all that g's extra unit
 * (pow10_table.py) adds where 10^-k is whole. */
static uint64_t round_to_odd(const uint64_t *g, uint64_t cp)
{
	ts_u128 low = (ts_u128)g[0] * cp, high = (ts_u128)g[1] * cp;
	ts_u128 mid = high + (uint64_t)(low >> 64);  /* (g cp) / 2^64 */
	return (uint64_t)(mid >> 63) | (((uint64_t)mid & ((UINT64_C(1) << 63) - 1)) != 0);
}

/* |value|'s shortest decimal: digits x 10^exponent, digits without
 * trailing zeros. Long because the candidates are weighed in place, as the
 * paper lays them out. */
static void shortest_decimal(double value, uint64_t *digits, int *exponent)
{
	double magnitude = value < 0.0 ? -value : value;
	if (magnitude >= 1.0 && magnitude < 0x1p53 && magnitude == (double)(uint64_t)magnitude) {
		/* An integer the doubles hold exactly: its neighbours are at most 1
		 * away, so no decimal with fewer digits reads back as it. */
		uint64_t v = (uint64_t)magnitude;
		int zeros = 0;
		for (; v % 10 == 0; v /= 10)
			zeros++;
		*digits = v;
		*exponent = zeros;
		return;
	}
	uint64_t bits;
	memcpy(&bits, &value, sizeof bits);
	uint64_t fraction = bits & ((UINT64_C(1) << MANTISSA_BITS) - 1);
	int biased = (int)((bits >> MANTISSA_BITS) & 0x7ff);
	uint64_t c = biased ? fraction | (UINT64_C(1) << MANTISSA_BITS) : fraction;
	int q = biased ? biased - EXPONENT_BIAS : 1 - EXPONENT_BIAS;
	/* v and the interval's bounds in units of 2^(q - 2); out: the bounds
	 * themselves are out (c odd: a tie would read back as the even
	 * neighbour) */
	uint64_t out = c & 1, cb = c << 2, cbr = cb + 2, cbl;
	int k;
	if (fraction != 0 || biased <= 1) {
		cbl = cb - 2;
		k = log10_pow2(q);
	} else {  /* a power of two: the gap below is half as wide */
		cbl = cb - 1;
		k = log10_three_quarters_pow2(q);
	}
	const uint64_t *g = ts_pow10[-k - TS_POW10_LOW];
	int h = q + log2_pow10(-k) + 2;  /* 2 .. 5: cb << h < 2^60 */
	uint64_t vb = round_to_odd(g, cb << h), vbl = round_to_odd(g, cbl << h), vbr = round_to_odd(g, cbr << h);
	uint64_t s = vb >> 2, d;  /* s = floor(v 10^-k) */
	int e = k;
	uint64_t sp10 = s / 10 * 10, tp10 = sp10 + 10;  /* the multiples of ten around s */
	int up_in = vbl + out <= sp10 << 2, wp_in = (tp10 << 2) + out <= vbr;
	if (s >= 10 && up_in != wp_in) {  /* a shorter decimal: its zeros go (d <= c < 10^16: 15 at most) */
		d = (up_in ? sp10 : tp10) / 10;
		e = k + 1;
		if (d % 100000000 == 0)
			d /= 100000000, e += 8;
		if (d % 10000 == 0)
			d /= 10000, e += 4;
		if (d % 100 == 0)
			d /= 100, e += 2;
		if (d % 10 == 0)
			d /= 10, e += 1;
	} else {
		uint64_t t = s + 1;
		int u_in = vbl + out <= s << 2, w_in = (t << 2) + out <= vbr;
		if (u_in != w_in)
			d = u_in ? s : t;
		else {  /* both: the nearer, ties to even (v 10^-k is s + 1/2 exactly: vb even) */
			uint64_t mid = (s + t) << 1;
			d = vb < mid || (vb == mid && (s & 1) == 0) ? s : t;
		}
		if (d == 10)  /* s < 10: t may be 10; no other multiple of ten gets here */
			d = 1, e += 1;
	}
	*digits = d;
	*exponent = e;
}

/* "00" to "99": two digits a division. */
static const char two_digits[200] = {
#define TS_D_(t) t, '0', t, '1', t, '2', t, '3', t, '4', t, '5', t, '6', t, '7', t, '8', t, '9'
	TS_D_('0'), TS_D_('1'), TS_D_('2'), TS_D_('3'), TS_D_('4'),
	TS_D_('5'), TS_D_('6'), TS_D_('7'), TS_D_('8'), TS_D_('9')
#undef TS_D_
};

/* 10^0 .. 10^17. */
static const uint64_t pow10_u64[18] = {
	UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000), UINT64_C(100000),
	UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000), UINT64_C(1000000000),
	UINT64_C(10000000000), UINT64_C(100000000000), UINT64_C(1000000000000), UINT64_C(10000000000000),
	UINT64_C(100000000000000), UINT64_C(1000000000000000), UINT64_C(10000000000000000),
	UINT64_C(100000000000000000)
};

/* Digits of 0 < v < 10^17: how many (1 to 17). A v of b bits has
 * floor((b - 1) log10 2) + 1 digits or one more: (b - 1) x 1233 / 4096
 * is that floor for b <= 64 (1233 / 4096 = 0.30103 less 5e-6), and one
 * comparison with the power of ten above tells which. */
static int digit_count(uint64_t v)
{
	int bits = 64 - __builtin_clzll(v);
	int n = ((bits - 1) * 1233 >> 12) + 1;
	return n + (v >= pow10_u64[n]);
}

/* x < 10^8 as eight digits at p: two halves of four, each two pairs, so
 * that no division waits on more than one other. */
static void put_eight(char *p, uint32_t x)
{
	uint32_t high = x / 10000, low = x % 10000;
	memcpy(p, two_digits + 2 * (high / 100), 2);
	memcpy(p + 2, two_digits + 2 * (high % 100), 2);
	memcpy(p + 4, two_digits + 2 * (low / 100), 2);
	memcpy(p + 6, two_digits + 2 * (low % 100), 2);
}

/* v's n decimal digits (v < 10^n) written to end[-n] .. end[-1], eight at a
 * time from the bottom. */
static void put_digits(char *end, uint64_t v, int n)
{
	for (; n >= 8; n -= 8, end -= 8, v /= 100000000u)
		put_eight(end - 8, (uint32_t)(v % 100000000u));
	uint32_t w = (uint32_t)v;
	for (; n >= 2; n -= 2, end -= 2, w /= 100)
		memcpy(end - 2, two_digits + 2 * (w % 100), 2);
	if (n)
		end[-1] = (char)('0' + w);
}

int ts_shortest_digits(double value, char digits[17], int *first)
{
	uint64_t d;
	int exponent;
	shortest_decimal(value, &d, &exponent);
	int n = digit_count(d);
	put_digits(digits + n, d, n);
	*first = exponent + n - 1;
	return n;
}

size_t ts_shortest_format(char *buf, double value)
{
	if (value == 0.0) {
		memcpy(buf, "0", 2);
		return 1;
	}
	uint64_t d;
	int e;
	shortest_decimal(value, &d, &e);
	int n = digit_count(d), x = e + n - 1;  /* x: the decimal exponent of the first digit */
	int precision = n > 15 ? n : 15;  /* "%.15g", or more where the value needs it */
	char *p = buf;
	if (value < 0.0)
		*p++ = '-';
	/* The digits go straight to their place; where a '.' follows the
	 * first x + 1 of them, they are written one further and those moved
	 * back over it (at most 17 bytes, at least 25 of buf's 32 in use). */
	if (x < -4 || x >= precision) {  /* d.ddde+XX */
		put_digits(p + 1 + n, d, n);
		p[0] = p[1];
		p[1] = '.';
		p += n > 1 ? n + 1 : 1;
		*p++ = 'e';
		*p++ = x < 0 ? '-' : '+';
		int ax = x < 0 ? -x : x;
		if (ax >= 100)
			*p++ = (char)('0' + ax / 100);
		memcpy(p, two_digits + 2 * (ax % 100), 2);
		p += 2;
	} else if (x < 0) {  /* 0.000ddd */
		*p++ = '0';
		*p++ = '.';
		for (int k = 0; k < -x - 1; k++)
			*p++ = '0';
		put_digits(p + n, d, n);
		p += n;
	} else if (n > x + 1) {  /* ddd.ddd */
		put_digits(p + 1 + n, d, n);
		for (int k = 0; k <= x; k++)
			p[k] = p[k + 1];
		p[x + 1] = '.';
		p += n + 1;
	} else {  /* ddd or ddd000 */
		put_digits(p + n, d, n);
		for (p += n; n <= x; n++)
			*p++ = '0';
	}
	*p = '\0';
	return (size_t)(p - buf);
}
