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
	scaled x = scale(value);
	uint64_t vr = x.vr, vp = x.vp, vm = x.vm;
	int removed = 0, last = 0, vm_zeros = x.vm_zeros, vr_zeros = x.vr_zeros;
	if (vm_zeros || vr_zeros) {  /* rare: exact digits matter for the bounds and the tie */
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

int ts_shortest_digits(double value, char digits[17], int *first)
{
	uint64_t d;
	int exponent, n = 1;
	shortest_decimal(value, &d, &exponent);
	for (uint64_t t = d; t >= 10; t /= 10)
		n++;
	for (int k = n - 1; k >= 0; k--, d /= 10)
		digits[k] = (char)('0' + d % 10);
	*first = exponent + n - 1;
	return n;
}

size_t ts_shortest_format(char *buf, double value)
{
	if (value == 0.0) {
		memcpy(buf, "0", 2);
		return 1;
	}
	char d[17], *p = buf;
	int x;  /* the decimal exponent of the first digit */
	int n = ts_shortest_digits(value, d, &x);
	int precision = n > 15 ? n : 15;  /* "%.15g", or more where the value needs it */
	if (value < 0.0)
		*p++ = '-';
	if (x < -4 || x >= precision) {  /* d.ddde+XX */
		*p++ = d[0];
		if (n > 1) {
			*p++ = '.';
			memcpy(p, d + 1, (size_t)n - 1);
			p += n - 1;
		}
		*p++ = 'e';
		*p++ = x < 0 ? '-' : '+';
		int ax = x < 0 ? -x : x;
		if (ax >= 100)
			*p++ = (char)('0' + ax / 100);
		*p++ = (char)('0' + ax / 10 % 10);
		*p++ = (char)('0' + ax % 10);
	} else if (x < 0) {  /* 0.000ddd */
		*p++ = '0';
		*p++ = '.';
		for (int k = 0; k < -x - 1; k++)
			*p++ = '0';
		memcpy(p, d, (size_t)n);
		p += n;
	} else {  /* ddd[.ddd] or ddd000 */
		for (int k = 0; k <= x; k++)
			*p++ = k < n ? d[k] : '0';
		if (n > x + 1) {
			*p++ = '.';
			memcpy(p, d + x + 1, (size_t)(n - x - 1));
			p += n - x - 1;
		}
	}
	*p = '\0';
	return (size_t)(p - buf);
}
