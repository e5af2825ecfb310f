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
#endif
