#ifndef TS_UTIL_MT19937_H
#define TS_UTIL_MT19937_H
/* The Mersenne Twister MT19937 (Matsumoto and Nishimura 1998, "Mersenne
 * Twister: a 623-dimensionally equidistributed uniform pseudo-random
 * number generator", ACM TOMACS 8(1)), seeded as GSL's gsl_rng_mt19937 is
 * (their 2002 initialisation, seed 0 taken as 4357), so that its uniforms
 * are gsl_rng_uniform's on such a generator set to the same seed, bit for
 * bit. A draw is inline: the 624 words are renewed all at once, every 624
 * draws. */
#include <stdint.h>

#define TS_MT19937_WORDS 624

typedef struct ts_mt19937 {
	uint32_t word[TS_MT19937_WORDS];
	int next;                    /* the next word to temper; TS_MT19937_WORDS: renew first */
} ts_mt19937;

void ts_mt19937_seed(ts_mt19937 *g, uint32_t seed);
/* The next 624 words (the twist), from the first. */
void ts_mt19937_renew(ts_mt19937 *g);

/* A uniform in [0, 1): the next word, tempered, over 2^32. */
static inline double ts_mt19937_uniform(ts_mt19937 *g)
{
	if (g->next >= TS_MT19937_WORDS)
		ts_mt19937_renew(g);
	uint32_t y = g->word[g->next++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680u;
	y ^= (y << 15) & 0xefc60000u;
	y ^= y >> 18;
	return y / 4294967296.0;
}

#endif
