/* The sweep file that `tradesim sweep --scenario S --param ... --metric ...`
 * stands for: the flags written out in the sweep-file syntax
 * (docs/sweep.md), which ts_sweep_load_string() then checks like a file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/sweep_opts.h"

/* A list item of --values as a libconfig literal: a number stays one. */
static void literal(FILE *f, const char *item, size_t len)
{
	char buf[256], *end;
	snprintf(buf, sizeof buf, "%.*s", (int)len, item);
	errno = 0;
	if (buf[0] && (strtod(buf, &end), *end == '\0') && !errno)
		fputs(buf, f);
	else if (strcmp(buf, "true") == 0 || strcmp(buf, "false") == 0)
		fputs(buf, f);
	else
		fprintf(f, "\"%s\"", buf);
}

/* "rPATH=LO:HI" as { path; min; max; }, "vPATH=A,B" as { path; values; }. */
static void write_param(FILE *f, const char *tagged)
{
	const char *p = tagged + 1, *eq = strchr(p, '=');
	fprintf(f, "  { path = \"%.*s\"; ", (int)(eq - p), p);
	if (tagged[0] == 'r') {
		const char *colon = strchr(eq, ':');
		fputs("min = ", f);
		literal(f, eq + 1, (size_t)(colon - eq - 1));
		fputs("; max = ", f);
		literal(f, colon + 1, strlen(colon + 1));
		fputs("; }", f);
		return;
	}
	fputs("values = (", f);
	for (const char *q = eq + 1;;) {
		size_t n = strcspn(q, ",");
		literal(f, q, n);
		if (!q[n])
			break;
		fputs(", ", f);
		q += n + 1;
	}
	fputs("); }", f);
}

/* A metric in its text form, "[diff:][annualise:]STAT:WHAT[:FROM[:TO]]",
 * which the sweep file takes as it is (its name too). */
static void write_metric(FILE *f, const char *metric)
{
	fprintf(f, "  \"%s\"", metric);
}

char *quick_sweep_text(const sweep_args *a)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	fprintf(f, "scenario = \"%s\";\nparameters = (\n", a->scenario);
	for (int i = 0; i < a->n_params; i++) {
		write_param(f, a->params[i]);
		fputs(i + 1 < a->n_params ? ",\n" : "\n", f);
	}
	fputs(");\nmetrics = (\n", f);
	for (int i = 0; i < a->n_metrics; i++) {
		write_metric(f, a->metrics[i]);
		fputs(i + 1 < a->n_metrics ? ",\n" : "\n", f);
	}
	fputs(");\n", f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
