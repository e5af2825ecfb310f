/* Ryu (Adams 2018, PLDI; shortest.h): the double m x 2^e rounds from the
 * interval of reals halfway to its neighbours; scaled by a power of ten
 * chosen so that the interval's bounds and the value are integers of at most
 * 64 bits (an exact 125-bit power of five, pow5_table.h, times the 55-bit
 * mantissa, shifted), the shortest decimal in the interval is found by
 * dropping digits of all three while the bounds still differ, rounding the
 * value's digits to nearest (ties to even where the dropped digits are
 * exactly a half). The flags vm_zeros and vr_zeros track whether the
 * digits dropped so far, and the part below the scaled integers, are all
 * zero, which is known exactly only for small scales (the q bounds below). */
#include <stdint.h>
#include <string.h>
#include "util/pow5_table.h"
#include "util/shortest.h"

__extension__ typedef unsigned __int128 ts_u128;

#define MANTISSA_BITS 52
#define EXPONENT_BIAS 1023

/* floor(log10 2^e), 0 <= e <= 1650; floor(log10 5^e), 0 <= e <= 2620;
 * ceil(log2 5^e), 1 for e = 0: the constants are the logarithms scaled
 * to fixed point, exact over these ranges. */
static int log10_pow2(int e) { return (int)(((uint32_t)e * 78913u) >> 18); }
static int log10_pow5(int e) { return (int)(((uint32_t)e * 732923u) >> 20); }
static int pow5_bits(int e) { return (int)((((uint32_t)e * 1217359u) >> 19) + 1); }

static int pow5_factor(uint64_t v)
{
	int n = 0;
	for (; v % 5 == 0; v /= 5)
		n++;
	return n;
}

static int multiple_of_pow5(uint64_t v, int p) { return pow5_factor(v) >= p; }
static int multiple_of_pow2(uint64_t v, int p) { return (v & ((UINT64_C(1) << p) - 1)) == 0; }

/* (m x mul) >> j for the 128-bit mul {low, high} and j >= 64. */
static uint64_t mul_shift(uint64_t m, const uint64_t *mul, int j)
{
	ts_u128 low = (ts_u128)m * mul[0], high = (ts_u128)m * mul[1];
	return (uint64_t)(((low >> 64) + high) >> (j - 64));
}

/* The value and its interval's bounds scaled to integers: value =
 * vr x 10^e10 (with the part below vr dropped), the bounds vm and vp. */
typedef struct scaled {
	uint64_t vr, vp, vm;
	int e10;
	int accept_bounds;  /* m2 even: a bound reads back as the value (ties to even) */
	int vm_zeros, vr_zeros;  /* what lies below vm, vr is exactly zero */
} scaled;

static scaled scale(double value)
{
	uint64_t bits;
	memcpy(&bits, &value, sizeof bits);
	uint64_t mantissa = bits & ((UINT64_C(1) << MANTISSA_BITS) - 1);
	int biased = (int)((bits >> MANTISSA_BITS) & 0x7ff);
	/* value = mv x 2^e2 with mv = 4 m2: two extra bits for the bounds */
	int e2 = (biased == 0 ? 1 : biased) - EXPONENT_BIAS - MANTISSA_BITS - 2;
	uint64_t m2 = biased == 0 ? mantissa : mantissa | (UINT64_C(1) << MANTISSA_BITS);
	uint64_t mv = 4 * m2;
	uint64_t mm_shift = mantissa != 0 || biased <= 1;  /* the lower gap is half as wide at a power of two */
	scaled x = {.accept_bounds = (m2 & 1) == 0};
	if (e2 >= 0) {
		int q = log10_pow2(e2) - (e2 > 3);
		int j = -e2 + q + TS_POW5_BITS + pow5_bits(q) - 1;
		x.e10 = q;
		x.vr = mul_shift(mv, ts_pow5_inv[q], j);
		x.vp = mul_shift(mv + 2, ts_pow5_inv[q], j);
		x.vm = mul_shift(mv - 1 - mm_shift, ts_pow5_inv[q], j);
		if (q <= 21) {  /* 5^q may divide a 55-bit number: the division may be exact */
			if (mv % 5 == 0)
				x.vr_zeros = multiple_of_pow5(mv, q);
			else if (x.accept_bounds)
				x.vm_zeros = multiple_of_pow5(mv - 1 - mm_shift, q);
			else
				x.vp -= (uint64_t)multiple_of_pow5(mv + 2, q);  /* the upper bound itself is out */
		}
	} else {
		int q = log10_pow5(-e2) - (-e2 > 1);
		int i = -e2 - q;
		int j = q - (pow5_bits(i) - TS_POW5_BITS);
		x.e10 = q + e2;
		x.vr = mul_shift(mv, ts_pow5[i], j);
		x.vp = mul_shift(mv + 2, ts_pow5[i], j);
		x.vm = mul_shift(mv - 1 - mm_shift, ts_pow5[i], j);
		if (q <= 1) {  /* mv = 4 m2 and mv + 2 are even: exact */
			x.vr_zeros = 1;
			if (x.accept_bounds)
				x.vm_zeros = mm_shift == 1;
			else
				x.vp--;
		} else if (q < 63) {
			x.vr_zeros = multiple_of_pow2(mv, q);
		}
	}
	return x;
}

/* |value|'s shortest decimal: digits x 10^exponent, digits without
 * trailing zeros. */
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
	scaled x = scale(value);
	uint64_t vr = x.vr, vp = x.vp, vm = x.vm;
	int removed = 0, last = 0, vm_zeros = x.vm_zeros, vr_zeros = x.vr_zeros;
	if (vm_zeros || vr_zeros) {  /* exact digits matter for the bounds and the tie */
		for (; vp / 100 > vm / 100; removed += 2) {  /* two at once: the one-digit steps below, twice */
			vm_zeros &= vm % 100 == 0;
			vr_zeros &= last == 0 && vr % 10 == 0;
			last = (int)(vr % 100 / 10);
			vr /= 100, vp /= 100, vm /= 100;
		}
		for (; vp / 10 > vm / 10; removed++) {
			vm_zeros &= vm % 10 == 0;
			vr_zeros &= last == 0;
			last = (int)(vr % 10);
			vr /= 10, vp /= 10, vm /= 10;
		}
		if (vm_zeros)
			for (; vm % 10 == 0; removed++) {
				vr_zeros &= last == 0;
				last = (int)(vr % 10);
				vr /= 10, vp /= 10, vm /= 10;
			}
		if (vr_zeros && last == 5 && vr % 2 == 0)
			last = 4;  /* exactly half: to even */
		vr += (vr == vm && (!x.accept_bounds || !vm_zeros)) || last >= 5;
	} else {
		int round_up = 0;
		for (; vp / 100 > vm / 100; removed += 2) {  /* two at once: only the last one rounds */
			round_up = vr % 100 >= 50;
			vr /= 100, vp /= 100, vm /= 100;
		}
		for (; vp / 10 > vm / 10; removed++) {
			round_up = vr % 10 >= 5;
			vr /= 10, vp /= 10, vm /= 10;
		}
		vr += vr == vm || round_up;
	}
	for (; vr % 10 == 0; vr /= 10)
		removed++;
	*digits = vr;
	*exponent = x.e10 + removed;
}

/* "00" to "99": two digits a division. */
static const char two_digits[200] = {
#define TS_D_(t) t, '0', t, '1', t, '2', t, '3', t, '4', t, '5', t, '6', t, '7', t, '8', t, '9'
	TS_D_('0'), TS_D_('1'), TS_D_('2'), TS_D_('3'), TS_D_('4'),
	TS_D_('5'), TS_D_('6'), TS_D_('7'), TS_D_('8'), TS_D_('9')
#undef TS_D_
};

/* Digits of v < 10^17: how many (1 to 17). From the top, where most of our
 * values lie. */
static int digit_count(uint64_t v)
{
	uint64_t p = UINT64_C(10000000000000000);
	int n = 17;
	for (; n > 1 && v < p; n--)
		p /= 10;
	return n;
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
