/* Step numbers <-> calendar labels: "2019Q2" (quarter), "2019-05" (month),
 * "2019" (year). Steps before 0 or after the run have labels too. Years
 * have at least four digits, zero-padded ("0999Q4"), and years before 0 a
 * minus sign ("-0001"): every label written parses back to its step. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "scenario/spec.h"

/* Periods since year 0 of a run's step 0. */
static long long base_index(const ts_run_spec *run)
{
	return (long long)run->start_year * run->steps_per_year + (run->start_period - 1);
}

static int valid_calendar(const ts_run_spec *run)
{
	int per = run->steps_per_year;
	return (per == 1 || per == 4 || per == 12) &&
	       run->start_period >= 1 && run->start_period <= per;
}

int ts_calendar_label(const ts_run_spec *run, int step, char *buf, size_t size)
{
	if (!run || !buf || !valid_calendar(run))
		return -1;
	int per = run->steps_per_year;
	long long index = base_index(run) + step;
	long long year = index >= 0 ? index / per : -((-index + per - 1) / per);  /* floor */
	int period = (int)(index - year * per) + 1;
	const char *sign = year < 0 ? "-" : "";
	long long digits = year < 0 ? -year : year;
	int n;
	if (per == 12)
		n = snprintf(buf, size, "%s%04lld-%02d", sign, digits, period);
	else if (per == 4)
		n = snprintf(buf, size, "%s%04lldQ%d", sign, digits, period);
	else
		n = snprintf(buf, size, "%s%04lld", sign, digits);
	return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

/* Reads exactly `count` decimal digits. */
static int read_digits(const char *s, int count, int *value)
{
	int v = 0;
	for (int i = 0; i < count; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return 0;
}

/* A year as labels write it: an optional '-', then 4 to 9 digits. Returns
 * the text after it, or NULL. */
static const char *read_year(const char *label, long long *year)
{
	const char *p = label + (label[0] == '-');
	size_t digits = strspn(p, "0123456789");
	if (digits < 4 || digits > 9)  /* "218" is no year of a label; 9 digits fit an int */
		return NULL;
	*year = 0;
	for (size_t i = 0; i < digits; i++)
		*year = *year * 10 + (p[i] - '0');
	if (label[0] == '-')
		*year = -*year;
	return p + digits;
}

int ts_calendar_parse(const ts_run_spec *run, const char *label, int *step)
{
	if (!run || !label || !valid_calendar(run))
		return -1;
	int per = run->steps_per_year, period = 1;
	long long year;
	const char *rest = read_year(label, &year);
	if (!rest)
		return -1;
	if (per == 1 && rest[0] != '\0')
		return -1;
	if (per == 4 && ((rest[0] != 'Q' && rest[0] != 'q') || read_digits(rest + 1, 1, &period) != 0 ||
			 rest[2] != '\0'))
		return -1;
	if (per == 12 && (rest[0] != '-' || read_digits(rest + 1, 2, &period) != 0 || rest[3] != '\0'))
		return -1;
	if (period < 1 || period > per)
		return -1;
	long long index = year * per + (period - 1) - base_index(run);
	if (index < INT_MIN || index > INT_MAX)
		return -1;
	*step = (int)index;
	return 0;
}
