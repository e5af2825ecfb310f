/* The effective tree written out (tree.h): libconfig syntax that reads back
 * to the same tree, every real with the fewest significant digits (at most
 * 17) that strtod reads back to the same double. libconfig 1.5's own writer
 * kept 15 digits, so two runs whose settings differed in the 16th or 17th
 * digit shared a scenario hash, and re-running a recorded scenario.cfg did
 * not reproduce its run. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/tree.h"
#include "util/parallel.h"

/* The fewest significant digits (1 to 17) of v that strtod reads back to v
 * bit for bit (-0.0 is not 0.0); 17 always do (IEEE 754 double). */
static int round_trip_digits(double v)
{
	char buf[40];
	for (int digits = 1; digits < 17; digits++) {
		snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
		double back = strtod(buf, NULL);
		if (memcmp(&back, &v, sizeof v) == 0)
			return digits;
	}
	return 17;
}

/* v (finite) with its round-trip digits as a libconfig real: plainly written
 * from 1e-4 to below 1e16, else with an exponent; always with a '.' or an
 * exponent. 0.1 -> "0.1", 1.0/3 -> "0.33333333333333331", 250 -> "250.0",
 * 5e-5 -> "5e-05", 1e300 -> "1e+300", -0.0 -> "-0.0". */
static void format_real(char *buf, size_t size, double v)
{
	int digits = round_trip_digits(v);
	snprintf(buf, size, "%.*e", digits - 1, v);
	int exponent = atoi(strchr(buf, 'e') + 1);
	if (exponent >= -4 && exponent < 16)
		snprintf(buf, size, "%.*f", digits - 1 - exponent > 0 ? digits - 1 - exponent : 0, v);
	if (!strpbrk(buf, ".eE"))
		strncat(buf, ".0", size - strlen(buf) - 1);
}

/* A string as libconfig 1.5's scanner reads it back: quote and backslash
 * escaped, control characters as \n \r \t \f or \xHH, other bytes as they
 * are (UTF-8 passes through). */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\x%02X", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void indent(FILE *f, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", f);
}

static int put_member(FILE *f, const config_setting_t *s, int depth);

/* A scalar; TS_EINPUT for a real that is not finite (libconfig cannot read
 * it back; validation lets none through). */
static int put_scalar(FILE *f, const config_setting_t *s)
{
	char buf[64];
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		fprintf(f, "%d", config_setting_get_int(s));
		return TS_OK;
	case CONFIG_TYPE_INT64:
		fprintf(f, "%lldL", config_setting_get_int64(s));
		return TS_OK;
	case CONFIG_TYPE_FLOAT:
		if (!isfinite(config_setting_get_float(s)))
			return TS_EINPUT;
		format_real(buf, sizeof buf, config_setting_get_float(s));
		fputs(buf, f);
		return TS_OK;
	case CONFIG_TYPE_BOOL:
		fputs(config_setting_get_bool(s) ? "true" : "false", f);
		return TS_OK;
	case CONFIG_TYPE_STRING:
		put_string(f, config_setting_get_string(s));
		return TS_OK;
	default:
		return TS_EINPUT;
	}
}

/* A value at `depth`: groups and lists one element a line, arrays (of
 * scalars) on one line. */
static int put_value(FILE *f, const config_setting_t *s, int depth)
{
	int n = config_setting_length(s), rc = TS_OK;
	if (config_setting_is_array(s)) {
		fputs("[ ", f);
		for (int i = 0; i < n && rc == TS_OK; i++) {
			rc = put_scalar(f, config_setting_get_elem(s, (unsigned)i));
			fputs(i + 1 < n ? ", " : " ", f);
		}
		fputc(']', f);
		return rc;
	}
	if (!config_setting_is_group(s) && !config_setting_is_list(s))
		return put_scalar(f, s);
	bool group = config_setting_is_group(s);
	fputs(group ? "{" : "(", f);
	fputs(n > 0 ? "\n" : " ", f);
	for (int i = 0; i < n && rc == TS_OK; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		if (group) {
			rc = put_member(f, e, depth + 1);
			continue;
		}
		indent(f, depth + 1);
		rc = put_value(f, e, depth + 1);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	if (n > 0)
		indent(f, depth);
	fputs(group ? "}" : ")", f);
	return rc;
}

static int put_member(FILE *f, const config_setting_t *s, int depth)
{
	indent(f, depth);
	fprintf(f, "%s = ", config_setting_name(s));
	int rc = put_value(f, s, depth);
	fputs(";\n", f);
	return rc;
}

int ts_tree_write(const struct ts_scenario_tree *t, FILE *f, ts_error *err)
{
	ts_c_locale c_locale;
	int rc = ts_c_locale_enter(&c_locale, err);  /* '.' decimals whatever the process locale */
	if (rc != TS_OK)
		return rc;
	const config_setting_t *root = config_root_setting(&t->config);
	for (int i = 0; i < config_setting_length(root) && rc == TS_OK; i++)
		rc = put_member(f, config_setting_get_elem(root, (unsigned)i), 0);
	ts_c_locale_leave(&c_locale);
	if (rc != TS_OK)
		return ts_error_set(err, rc, "the scenario holds a number that is not finite");
	return TS_OK;
}
