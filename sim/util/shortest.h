#ifndef TS_UTIL_SHORTEST_H
#define TS_UTIL_SHORTEST_H
/* The shortest decimal that reads back as a given double (round to nearest,
 * ties to even, as strtod reads), and among those of that length the
 * nearest to it (ties to even): Schubfach (Giulietti 2020, "The Schubfach
 * way to render doubles"), which gives the same decimal as Ryu (Adams 2018,
 * PLDI) in a fixed number of steps. */
#include <stddef.h>

/* For a finite, nonzero value: its shortest decimal's n digits (returned,
 * at most 17, no trailing zeros, not terminated) into digits, and in *first
 * the decimal exponent of the first: |value| ~ d1.d2d3... x 10^first. */
int ts_shortest_digits(double value, char digits[17], int *first);

/* Writes finite `value`'s shortest decimal into buf (at least 32 bytes) in
 * the layout of printf's "%.Pg", P = max(15, its digits): fixed notation
 * for decimal exponents -4 .. P - 1, else d.ddde+XX (two exponent digits at
 * least); no trailing zeros; 0 for both zeros. That is "%.Pg" of the value
 * with the smallest P >= 15 that reads back, except at a few powers of two,
 * where the gap below the value is half the gap above and a decimal above
 * it reads back in fewer digits. Returns the length written. */
size_t ts_shortest_format(char *buf, double value);

#endif
