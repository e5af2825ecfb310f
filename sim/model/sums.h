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

/* A row of cells read for a sum: x[a] as stored, or, with weight (a
 * factored row of sales, market.c), scale x (weight[a] x unit[a]), each
 * element as the split computes it. */
typedef struct ts_row {
	const double *x, *weight, *unit;
	double scale;
} ts_row;

/* Element a of a row, and the pair from a; `factored` is whether it has
 * weights, a constant where inlined, so that each kind of row gets a loop
 * of its own. */
#define TS_ROW_INLINE static inline __attribute__((always_inline))

TS_ROW_INLINE ts_pair ts_row_pair_(const ts_row *r, int a, int factored)
{
	if (!factored)
		return ts_pair_load(r->x + a);
	return r->scale * (ts_pair_load(r->weight + a) * ts_pair_load(r->unit + a));
}

TS_ROW_INLINE double ts_row_at_(const ts_row *r, int a, int factored)
{
	return factored ? r->scale * (r->weight[a] * r->unit[a]) : r->x[a];
}

static inline double ts_row_at(const ts_row *r, int a)
{
	return ts_row_at_(r, a, r->weight != 0);
}

TS_ROW_INLINE void ts_sum_xy_xx_add_(const ts_row *x, const double *restrict y, double *restrict acc, int n,
                                     double *xy, double *xx, int factored)
{
	ts_pair p[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}}, q[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}};
	int a = 0;
	for (; a + 8 <= n; a += 8)
		for (int j = 0; j < 4; j++) {
			ts_pair u = ts_row_pair_(x, a + 2 * j, factored), t = u * ts_pair_load(y + a + 2 * j);
			p[j] += t;
			q[j] += u * u;
			ts_pair_store(acc + a + 2 * j, ts_pair_load(acc + a + 2 * j) + t);
		}
	double sp = ts_pairs_total(p), sq = ts_pairs_total(q);
	for (; a < n; a++) {
		double u = ts_row_at_(x, a, factored), t = u * y[a];
		sp += t;
		sq += u * u;
		acc[a] += t;
	}
	*xy = sp;
	*xx = sq;
}

/* One pass over a row for the accounts (accounts.c): *xy = ts_sum_xy(x, y,
 * n) and *xx = ts_sum_xy(x, x, n), bit for bit (the same partial sums,
 * held as pairs, in the same order), and acc[a] += x[a] y[a]. */
static inline void ts_sum_xy_xx_add(const ts_row *x, const double *restrict y, double *restrict acc, int n,
                                    double *xy, double *xx)
{
	if (x->weight)
		ts_sum_xy_xx_add_(x, y, acc, n, xy, xx, 1);
	else
		ts_sum_xy_xx_add_(x, y, acc, n, xy, xx, 0);
}

TS_ROW_INLINE double ts_sum_or_bits_(const ts_row *x, int n, unsigned long long *bits, int factored)
{
	typedef unsigned long long bits_pair __attribute__((vector_size(16)));
	ts_pair p[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}};
	bits_pair b = {0, 0};
	int a = 0;
	for (; a + 8 <= n; a += 8)
		for (int j = 0; j < 4; j++) {
			ts_pair u = ts_row_pair_(x, a + 2 * j, factored);
			bits_pair v;
			__builtin_memcpy(&v, &u, sizeof v);
			p[j] += u;
			b |= v;
		}
	double sum = ts_pairs_total(p);
	unsigned long long all = b[0] | b[1];
	for (; a < n; a++) {
		double u = ts_row_at_(x, a, factored);
		unsigned long long v;
		__builtin_memcpy(&v, &u, sizeof v);
		sum += u;
		all |= v;
	}
	*bits = all;
	return sum;
}

/* One pass over a row for the invariants (invariants.c): ts_sum(x, n), bit
 * for bit, and the bitwise or of the elements' bits into *bits (its sign
 * bit is set if any element's is). */
static inline double ts_sum_or_bits(const ts_row *x, int n, unsigned long long *bits)
{
	return x->weight ? ts_sum_or_bits_(x, n, bits, 1) : ts_sum_or_bits_(x, n, bits, 0);
}

#undef TS_ROW_INLINE

#endif
