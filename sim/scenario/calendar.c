/* Step numbers <-> calendar labels: "2019Q2" (quarter), "2019-05" (month),
 * "2019" (year). Steps before 0 or after the run have labels too. */
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
	int n;
	if (per == 12)
		n = snprintf(buf, size, "%lld-%02d", year, period);
	else if (per == 4)
		n = snprintf(buf, size, "%lldQ%d", year, period);
	else
		n = snprintf(buf, size, "%lld", year);
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

int ts_calendar_parse(const ts_run_spec *run, const char *label, int *step)
{
	if (!run || !label || !valid_calendar(run))
		return -1;
	int per = run->steps_per_year, year, period = 1;
	size_t len = strlen(label);
	if (read_digits(label, 4, &year) != 0)  /* four-digit years only */
		return -1;
	if (per == 1 && len != 4)
		return -1;
	if (per == 4 && (len != 6 || (label[4] != 'Q' && label[4] != 'q') ||
			 read_digits(label + 5, 1, &period) != 0))
		return -1;
	if (per == 12 && (len != 7 || label[4] != '-' || read_digits(label + 5, 2, &period) != 0))
		return -1;
	if (period < 1 || period > per)
		return -1;
	long long index = (long long)year * per + (period - 1) - base_index(run);
	*step = (int)index;  /* |index| < 10000 * 12: fits */
	return 0;
}
