#ifndef TS_FMINMAX_H
#define TS_FMINMAX_H
/* fmax and fmin inline. Built for plain x86-64 (no -ffast-math), GCC
 * calls the C library for fmax and fmin, and the model calls them on every
 * firm, input and month of a step. These return what glibc's return on
 * x86-64 for every input the model makes (all NaNs quiet): the larger
 * (smaller) of two numbers, the second of two equal ones (so of +0 and -0,
 * the second: the MAXSD/MINSD rule, which the compiler emits for the
 * comparison below), the number where the other is NaN, the first where
 * both are. */
#include <math.h>

static inline double ts_fmax(double x, double y)
{
	return isnan(y) ? x : x > y ? x : y;
}

static inline double ts_fmin(double x, double y)
{
	return isnan(y) ? x : x < y ? x : y;
}

#endif
