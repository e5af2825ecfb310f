#ifndef TS_UTIL_BETA_QUANTILE_H
#define TS_UTIL_BETA_QUANTILE_H
/* The Beta(a, b) distribution's CDF, the regularised incomplete beta
 * function I_x(a, b), and its inverse, for shapes a, b in [0.5, 50] (the
 * range a scenario may give them, scenario/limits.h). The CDF is the
 * continued fraction of DLMF 8.17.22, evaluated by the modified Lentz
 * method (Press et al., Numerical Recipes, 3rd ed., §5.2), on the side of
 * the mean where it converges fast (8.17.4 for the other); the quantile is
 * Halley's method on it inside a bracket that bisection keeps, solved in
 * the tail below the median, from the leading term of I_x near 0. */

/* A shape and ln B(a, b), computed once for many quantiles. */
typedef struct ts_beta_shape {
	double a, b, ln_beta;
} ts_beta_shape;

ts_beta_shape ts_beta_shape_of(double a, double b);

/* I_x(a, b), x in [0, 1]. */
double ts_beta_cdf(const ts_beta_shape *s, double x);

/* The x in [0, 1] with I_x(a, b) = p, p in [0, 1]: 0 at p = 0, 1 at p = 1. */
double ts_beta_quantile(const ts_beta_shape *s, double p);

#endif
