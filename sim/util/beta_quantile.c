/* The Beta CDF and its inverse (beta_quantile.h). */
#include <float.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>
#include "util/beta_quantile.h"

/* Lentz's stand-in for a zero denominator, and the most terms or
 * iterations taken: at shapes up to 50 the fraction converges in about
 * sqrt(max(a, b)) x 10 terms, Newton in a few steps. */
#define TINY 1e-300
#define MAX_TERMS 1000
#define MAX_STEPS 200

ts_beta_shape ts_beta_shape_of(double a, double b)
{
	return (ts_beta_shape){a, b, gsl_sf_lnbeta(a, b)};
}

/* DLMF 8.17.22: I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) / K, K = 1 + d1 /
 * (1 + d2 / (1 + ...)), d_2m+1 = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m
 * + 1)), d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m)); K by the modified
 * Lentz method, each term the ratio of two convergents. It converges fast
 * for x < (a + 1) / (a + b + 2). */
static double continued_fraction(double a, double b, double x)
{
	double k = 1.0, c = 1.0, d = 0.0;
	for (int n = 1; n <= MAX_TERMS; n++) {
		int m = n / 2;
		double term = n % 2 ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
		                    : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		d = 1.0 + term * d;
		c = 1.0 + term / c;
		d = 1.0 / (fabs(d) < TINY ? TINY : d);
		c = fabs(c) < TINY ? TINY : c;
		double ratio = c * d;
		k *= ratio;
		if (fabs(ratio - 1.0) <= DBL_EPSILON)
			break;
	}
	return k;
}

/* I_x(a, b) with ln x = lx and ln(1 - x) = l1x, 0 < x < 1: the fraction
 * below (a + 1) / (a + b + 2), else 1 - I_(1-x)(b, a) (8.17.4). */
static double cdf_at(const ts_beta_shape *s, double x, double lx, double l1x)
{
	double front = exp(s->a * lx + s->b * l1x - s->ln_beta);
	if (x < (s->a + 1.0) / (s->a + s->b + 2.0))
		return front / (s->a * continued_fraction(s->a, s->b, x));
	return 1.0 - front / (s->b * continued_fraction(s->b, s->a, 1.0 - x));
}

double ts_beta_cdf(const ts_beta_shape *s, double x)
{
	if (!(x > 0.0))
		return 0.0;
	if (!(x < 1.0))
		return 1.0;
	return cdf_at(s, x, log(x), log1p(-x));
}

/* The x with I_x(a, b) = p for 0 < p <= 1/2: Halley's method (Newton's
 * where the curvature would more than double its step) from x^a / (a B) ~
 * p (the leading term of I_x at 0), the root kept in [lo, hi] (I_x - p < 0
 * at lo, > 0 at hi), bisecting where a step would leave them; done when a
 * step moves x by at most a few ulps. */
static double lower_quantile(const ts_beta_shape *s, double p)
{
	double lo = 0.0, hi = 1.0;
	double x = exp((log(p) + log(s->a) + s->ln_beta) / s->a);
	if (!(x > 0.0 && x < 1.0))
		x = s->a / (s->a + s->b);
	for (int step = 0; step < MAX_STEPS; step++) {
		double lx = log(x), l1x = log1p(-x);
		double f = cdf_at(s, x, lx, l1x) - p;
		if (f == 0.0)
			return x;
		if (f < 0.0)
			lo = x;
		else
			hi = x;
		double density = exp((s->a - 1.0) * lx + (s->b - 1.0) * l1x - s->ln_beta);
		double newton = f / density, bend = 0.5 * ((s->a - 1.0) / x - (s->b - 1.0) / (1.0 - x));
		double halley = newton / (1.0 - newton * bend);  /* I'' = I' ((a - 1) / x - (b - 1) / (1 - x)) */
		double next = x - (newton * bend < 0.5 ? halley : newton);
		if (!(next > lo && next < hi))
			next = 0.5 * (lo + hi);
		if (fabs(next - x) <= 4.0 * DBL_EPSILON * next)
			return next;
		x = next;
	}
	return x;
}

/* Below the median in the tail of x, above it in that of 1 - x, which is
 * Beta(b, a) (1 - p is then exact). */
double ts_beta_quantile(const ts_beta_shape *s, double p)
{
	if (!(p > 0.0))
		return 0.0;
	if (!(p < 1.0))
		return 1.0;
	if (p <= 0.5)
		return lower_quantile(s, p);
	ts_beta_shape flipped = {s->b, s->a, s->ln_beta};
	return 1.0 - lower_quantile(&flipped, 1.0 - p);
}
