/* Step numbers <-> calendar labels: "2019Q2" (quarter), "2019-05" (month),
 * "2019" (year); a label of any calendar resolves in a run of any step. Steps before 0 or after the run have labels too. Years
 * have at least four digits, zero-padded ("0999Q4"), and years before 0 a
 * minus sign ("-0001"): every label written parses back to its step. */
#include <limits.h>
#include <math.h>
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

bool ts_calendar_label(const ts_run_spec *run, int step, char *buf, size_t size)
{
	if (!run || !buf || !valid_calendar(run))
		return false;
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
	return n >= 0 && (size_t)n < size;
}

/* Reads exactly `count` decimal digits. */
static bool read_digits(const char *s, int count, int *value)
{
	int v = 0;
	for (int i = 0; i < count; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return true;
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

/* A label of any calendar ("2019-05", "2019Q2", "2019"): the month its
 * period begins, counted from January of year 0, and its length in months. */
bool ts_calendar_months(const char *label, long long *first_month, int *months)
{
	int period = 1;
	long long year;
	const char *rest = label ? read_year(label, &year) : NULL;
	if (!rest)
		return false;
	if (rest[0] == '\0') {
		*months = 12;
	} else if ((rest[0] == 'Q' || rest[0] == 'q') && read_digits(rest + 1, 1, &period) &&
		   rest[2] == '\0' && period >= 1 && period <= 4) {
		*months = 3;
	} else if (rest[0] == '-' && read_digits(rest + 1, 2, &period) && rest[3] == '\0' &&
		   period >= 1 && period <= 12) {
		*months = 1;
	} else {
		return false;
	}
	*first_month = year * 12 + (long long)(period - 1) * *months;
	return true;
}

/* floor(a / b) for b > 0, also for a < 0. */
static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && a < 0);
}

/* A date is the instant its period begins. It falls in the step whose
 * midpoint is the first at or after it (docs/scenario.md, "Dates"): the
 * nearest step boundary, a tie going to the earlier, so a measure is in
 * force in exactly the steps at whose midpoint it is in force. Step k's
 * midpoint is t0 + (k + 1/2) dt, in months: k = ceil((2 (a - t0) - dt) / (2 dt)). */
bool ts_calendar_parse(const ts_run_spec *run, const char *label, int *step)
{
	long long first;
	int months;
	if (!run || !valid_calendar(run) || !ts_calendar_months(label, &first, &months))
		return false;
	long long dt = 12 / run->steps_per_year;
	long long offset = first - base_index(run) * dt;
	long long index = -floor_div(-(2 * offset - dt), 2 * dt);  /* ceil */
	if (index < INT_MIN || index > INT_MAX)
		return false;
	*step = (int)index;
	return true;
}

int ts_calendar_span_steps(const ts_run_spec *run, double months)
{
	/* The same rule as dates: a span of n months from a step boundary ends
	 * at the nearest boundary, a tie going to the earlier. */
	double steps = months * run->steps_per_year / 12.0;
	double whole = ceil(steps - 0.5);
	return whole >= INT_MAX ? INT_MAX : (int)whole;
}
