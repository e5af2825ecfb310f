#ifndef TS_SUMS_H
#define TS_SUMS_H
/* How the markets sum a segment's row of cells (market.c, clearing.c,
 * accounts.c, invariants.c): in eight interleaved partial sums, element a
 * going to sum a mod 8, added as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) +
 * (s6 + s7)), then the last n mod 8 elements in order. Eight independent
 * chains instead of one let the additions overlap (a compiler keeps them
 * as four pairs in vector registers, so that an addition's latency is
 * hidden behind the three others); the order is fixed by this code, not
 * by the compiler or its flags, so a sum rounds the same in every build
 * and run. */

#define TS_SUM_CHAINS_(term)                                                         \
	double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0; \
	int a = 0;                                                                       \
	for (; a + 8 <= n; a += 8) {                                                     \
		s0 += term(a);                                                           \
		s1 += term(a + 1);                                                       \
		s2 += term(a + 2);                                                       \
		s3 += term(a + 3);                                                       \
		s4 += term(a + 4);                                                       \
		s5 += term(a + 5);                                                       \
		s6 += term(a + 6);                                                       \
		s7 += term(a + 7);                                                       \
	}                                                                                \
	double sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));                  \
	for (; a < n; a++)                                                               \
		sum += term(a);                                                          \
	return sum

/* sum_a x[a] */
static inline double ts_sum(const double *x, int n)
{
#define TS_SUM_X_(a) x[a]
	TS_SUM_CHAINS_(TS_SUM_X_);
#undef TS_SUM_X_
}

/* sum_a x[a] y[a] */
static inline double ts_sum_xy(const double *x, const double *y, int n)
{
#define TS_SUM_XY_(a) (x[a] * y[a])
	TS_SUM_CHAINS_(TS_SUM_XY_);
#undef TS_SUM_XY_
}

/* sum_a (x[a] y[a]) z[a] */
static inline double ts_sum_xyz(const double *x, const double *y, const double *z, int n)
{
#define TS_SUM_XYZ_(a) (x[a] * y[a] * z[a])
	TS_SUM_CHAINS_(TS_SUM_XYZ_);
#undef TS_SUM_XYZ_
}

#undef TS_SUM_CHAINS_

/* One pass over a row for the accounts (accounts.c): *xy = ts_sum_xy(x, y,
 * n) and *xx = ts_sum_xy(x, x, n), bit for bit (the same partial sums,
 * held as pairs, in the same order), and acc[a] += x[a] y[a]. */
typedef double ts_pair_ __attribute__((vector_size(16)));
static inline void ts_sum_xy_xx_add(const double *restrict x, const double *restrict y, double *restrict acc, int n,
                                    double *xy, double *xx)
{
	ts_pair_ p[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}}, q[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}};
	int a = 0;
	for (; a + 8 <= n; a += 8)
		for (int j = 0; j < 4; j++) {
			ts_pair_ u, v, s;
			__builtin_memcpy(&u, x + a + 2 * j, sizeof u);
			__builtin_memcpy(&v, y + a + 2 * j, sizeof v);
			__builtin_memcpy(&s, acc + a + 2 * j, sizeof s);
			ts_pair_ t = u * v;
			p[j] += t;
			q[j] += u * u;
			s += t;
			__builtin_memcpy(acc + a + 2 * j, &s, sizeof s);
		}
	double sp = ((p[0][0] + p[0][1]) + (p[1][0] + p[1][1])) + ((p[2][0] + p[2][1]) + (p[3][0] + p[3][1]));
	double sq = ((q[0][0] + q[0][1]) + (q[1][0] + q[1][1])) + ((q[2][0] + q[2][1]) + (q[3][0] + q[3][1]));
	for (; a < n; a++) {
		double t = x[a] * y[a];
		sp += t;
		sq += x[a] * x[a];
		acc[a] += t;
	}
	*xy = sp;
	*xx = sq;
}

/* One pass over a row for the invariants (invariants.c): ts_sum(x, n), bit
 * for bit, and the bitwise or of the elements' bits into *bits (its sign
 * bit is set if any element's is). */
typedef unsigned long long ts_bits_pair_ __attribute__((vector_size(16)));
static inline double ts_sum_or_bits(const double *x, int n, unsigned long long *bits)
{
	ts_pair_ p[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}};
	ts_bits_pair_ b = {0, 0};
	int a = 0;
	for (; a + 8 <= n; a += 8)
		for (int j = 0; j < 4; j++) {
			ts_pair_ u;
			ts_bits_pair_ v;
			__builtin_memcpy(&u, x + a + 2 * j, sizeof u);
			__builtin_memcpy(&v, x + a + 2 * j, sizeof v);
			p[j] += u;
			b |= v;
		}
	double sum = ((p[0][0] + p[0][1]) + (p[1][0] + p[1][1])) + ((p[2][0] + p[2][1]) + (p[3][0] + p[3][1]));
	unsigned long long all = b[0] | b[1];
	for (; a < n; a++) {
		unsigned long long v;
		__builtin_memcpy(&v, x + a, sizeof v);
		sum += x[a];
		all |= v;
	}
	*bits = all;
	return sum;
}

#endif
