/* MT19937's seeding and twist (mt19937.h). */
#include "util/mt19937.h"

#define SHIFT 397                /* m: the word each new one mixes in */
#define UPPER 0x80000000u        /* the top bit of a word ... */
#define LOWER 0x7fffffffu        /* ... joined to the other 31 of the next */
#define TWIST 0x9908b0dfu        /* a: the last row of the twist matrix */

void ts_mt19937_seed(ts_mt19937 *g, uint32_t seed)
{
	g->word[0] = seed ? seed : 4357u;
	for (uint32_t k = 1; k < TS_MT19937_WORDS; k++) {
		uint32_t prev = g->word[k - 1];
		g->word[k] = 1812433253u * (prev ^ (prev >> 30)) + k;  /* mod 2^32 */
	}
	g->next = TS_MT19937_WORDS;
}

/* x_k+n = x_k+m XOR (upper bit of x_k, lower bits of x_k+1) A, in place:
 * words past n - m read words already renewed, as the recurrence wants. */
static uint32_t twisted(uint32_t far, uint32_t here, uint32_t next)
{
	uint32_t y = (here & UPPER) | (next & LOWER);
	return far ^ (y >> 1) ^ (y & 1u ? TWIST : 0u);
}

void ts_mt19937_renew(ts_mt19937 *g)
{
	uint32_t *x = g->word;
	int k = 0;
	for (; k < TS_MT19937_WORDS - SHIFT; k++)
		x[k] = twisted(x[k + SHIFT], x[k], x[k + 1]);
	for (; k < TS_MT19937_WORDS - 1; k++)
		x[k] = twisted(x[k + SHIFT - TS_MT19937_WORDS], x[k], x[k + 1]);
	x[k] = twisted(x[SHIFT - 1], x[k], x[0]);
	g->next = 0;
}
