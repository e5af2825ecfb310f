#ifndef TS_UTIL_SHORTEST_H
#define TS_UTIL_SHORTEST_H
/* The shortest decimal that reads back as a given double (round to nearest,
 * ties to even, as strtod reads), and among those of that length the
 * nearest to it: Ryu's algorithm (Adams 2018, "Ryu: fast float-to-string
 * conversion", PLDI). */
#include <stddef.h>
#include <stdint.h>

/* For a finite, nonzero |value|: its shortest decimal is digits x
 * 10^exponent, digits without trailing zeros (at most 17 of them). */
void ts_shortest_decimal(double value, uint64_t *digits, int *exponent);

/* Writes finite `value`'s shortest decimal into buf (at least 32 bytes) in
 * the layout of printf's "%.Pg", P = max(15, its digits): fixed notation
 * for decimal exponents -4 .. P - 1, else d.ddde+XX (two exponent digits at
 * least); no trailing zeros; 0 for both zeros. That is "%.Pg" of the value
 * with the smallest P >= 15 that reads back, except at a few powers of two,
 * where the gap below the value is half the gap above and a decimal above
 * it reads back in fewer digits. Returns the length written. */
size_t ts_shortest_format(char *buf, double value);

#endif
