#ifndef TS_SUMS_H
#define TS_SUMS_H
/* How the markets sum a segment's row of cells (market.c, clearing.c):
 * in four interleaved partial sums, element a going to sum a mod 4, added
 * as (s0 + s1) + (s2 + s3), then the last n mod 4 elements in order. Four
 * independent chains instead of one let the additions overlap; the order
 * is fixed by this code, not by the compiler or its flags, so a sum
 * rounds the same in every build and run. */

/* sum_a x[a] */
static inline double ts_sum(const double *x, int n)
{
	double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
	int a = 0;
	for (; a + 4 <= n; a += 4) {
		s0 += x[a];
		s1 += x[a + 1];
		s2 += x[a + 2];
		s3 += x[a + 3];
	}
	double sum = (s0 + s1) + (s2 + s3);
	for (; a < n; a++)
		sum += x[a];
	return sum;
}

/* sum_a x[a] y[a] */
static inline double ts_sum_xy(const double *x, const double *y, int n)
{
	double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
	int a = 0;
	for (; a + 4 <= n; a += 4) {
		s0 += x[a] * y[a];
		s1 += x[a + 1] * y[a + 1];
		s2 += x[a + 2] * y[a + 2];
		s3 += x[a + 3] * y[a + 3];
	}
	double sum = (s0 + s1) + (s2 + s3);
	for (; a < n; a++)
		sum += x[a] * y[a];
	return sum;
}

/* sum_a (x[a] y[a]) z[a] */
static inline double ts_sum_xyz(const double *x, const double *y, const double *z, int n)
{
	double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
	int a = 0;
	for (; a + 4 <= n; a += 4) {
		s0 += x[a] * y[a] * z[a];
		s1 += x[a + 1] * y[a + 1] * z[a + 1];
		s2 += x[a + 2] * y[a + 2] * z[a + 2];
		s3 += x[a + 3] * y[a + 3] * z[a + 3];
	}
	double sum = (s0 + s1) + (s2 + s3);
	for (; a < n; a++)
		sum += x[a] * y[a] * z[a];
	return sum;
}

#endif
