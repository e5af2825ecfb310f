#ifndef TS_TIMING_H
#define TS_TIMING_H
/* How a rate or memory stated per year becomes one step's (docs/model.md,
 * "Time"). A step lasts dt = 1 / steps_per_year years. Each conversion is
 * exact for the continuous-time process it describes, so that k steps of
 * length dt / k compound to one step of length dt: changing run.step alone
 * leaves the world's course unchanged. */
#include <math.h>

/* Share of a gap closed in one step by an adjustment at `rate` per year
 * (dx/dt = rate (target - x)): 1 - exp(-rate dt). 0 for rate 0; tends to
 * 1 as rate grows. */
static inline double ts_step_share_of_rate(double rate_per_year, double dt)
{
	return -expm1(-rate_per_year * dt);
}

/* The same adjustment given by its half-life in years: half the gap is
 * closed after half_life years, 1 - 2^(-dt / half_life). A half-life of 0
 * closes the whole gap in every step. */
static inline double ts_step_share_of_half_life(double half_life_years, double dt)
{
	return half_life_years > 0.0 ? -expm1(-0.69314718055994530942 * dt / half_life_years) : 1.0;
}

/* Weight kept by an exponential memory after one step, given the weight
 * kept after a year: memory_per_year^dt (0 forgets at once, 1 never). */
static inline double ts_step_memory(double memory_per_year, double dt)
{
	return memory_per_year > 0.0 ? pow(memory_per_year, dt) : 0.0;
}

/* Probability that a Poisson process of `hazard` events per year has at
 * least one event in one step: 1 - exp(-hazard dt). */
static inline double ts_step_probability(double hazard_per_year, double dt)
{
	return -expm1(-hazard_per_year * dt);
}

#endif
