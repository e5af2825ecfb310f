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

/* Two doubles in a vector register (the GCC and Clang vector extension),
 * read and written at any alignment, for the one-pass sums below and the
 * clearing's elimination. Eight partial sums held as four pairs, p[j]
 * holding sums 2j and 2j + 1, add up in TS_SUM_CHAINS_'s order by
 * ts_pairs_total(). */
typedef double ts_pair __attribute__((vector_size(16)));

static inline ts_pair ts_pair_load(const double *x)
{
	ts_pair v;
	__builtin_memcpy(&v, x, sizeof v);
	return v;
}

static inline void ts_pair_store(double *x, ts_pair v)
{
	__builtin_memcpy(x, &v, sizeof v);
}

static inline double ts_pairs_total(const ts_pair p[4])
{
	return ((p[0][0] + p[0][1]) + (p[1][0] + p[1][1])) + ((p[2][0] + p[2][1]) + (p[3][0] + p[3][1]));
}

/* One pass over a row for the accounts (accounts.c): *xy = ts_sum_xy(x, y,
 * n) and *xx = ts_sum_xy(x, x, n), bit for bit (the same partial sums,
 * held as pairs, in the same order), and acc[a] += x[a] y[a]. */
static inline void ts_sum_xy_xx_add(const double *restrict x, const double *restrict y, double *restrict acc, int n,
                                    double *xy, double *xx)
{
	ts_pair p[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}}, q[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}};
	int a = 0;
	for (; a + 8 <= n; a += 8)
		for (int j = 0; j < 4; j++) {
			ts_pair u = ts_pair_load(x + a + 2 * j), t = u * ts_pair_load(y + a + 2 * j);
			p[j] += t;
			q[j] += u * u;
			ts_pair_store(acc + a + 2 * j, ts_pair_load(acc + a + 2 * j) + t);
		}
	double sp = ts_pairs_total(p), sq = ts_pairs_total(q);
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
static inline double ts_sum_or_bits(const double *x, int n, unsigned long long *bits)
{
	typedef unsigned long long bits_pair __attribute__((vector_size(16)));
	ts_pair p[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}};
	bits_pair b = {0, 0};
	int a = 0;
	for (; a + 8 <= n; a += 8)
		for (int j = 0; j < 4; j++) {
			bits_pair v;
			__builtin_memcpy(&v, x + a + 2 * j, sizeof v);
			p[j] += ts_pair_load(x + a + 2 * j);
			b |= v;
		}
	double sum = ts_pairs_total(p);
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
