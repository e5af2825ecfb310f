/* sweep.csv: its header, and its rows read back (the journal's recovery,
 * counting failed runs, the Sobol analysis) and checked against what the
 * sweep computes for each run. Rows are one line each: a sweep value
 * holding a line break or another control character is refused when the
 * sweep is loaded, and run messages are flattened to one line. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "batch/sweep_impl.h"

char *ts_sweep_header(const ts_sweep *s)
{
	size_t n = 64;
	for (int j = 0; j < s->n_params; j++)
		n += strlen(s->params[j].path) + 1;
	for (int k = 0; k < s->n_metrics; k++)
		n += 2 * strlen(s->metrics[k].name) + 3;
	char *h = malloc(n), *w = h;
	if (!h)
		return NULL;
	w += sprintf(w, "run,point,rep,seed");
	for (int j = 0; j < s->n_params; j++)
		w += sprintf(w, ",%s", s->params[j].path);
	for (int k = 0; k < s->n_metrics; k++) {
		*w++ = ',';
		/* names with a comma or quote are quoted as CSV text */
		int quote = strpbrk(s->metrics[k].name, ",\"") != NULL;
		if (quote)
			*w++ = '"';
		for (const char *p = s->metrics[k].name; *p; p++) {
			if (*p == '"')
				*w++ = '"';
			*w++ = *p;
		}
		if (quote)
			*w++ = '"';
	}
	strcpy(w, ",status,message");
	return h;
}

int ts_sweep_field_count(const ts_sweep *s)
{
	return 4 + s->n_params + s->n_metrics + 2;
}

/* A quoted field at p (after its opening quote), unquoted in place from w;
 * returns where it ends (after the closing quote) or NULL if it does not. */
static char *quoted_field(char *p)
{
	char *w = p;
	for (;;) {
		if (*p == '\0')
			return NULL;
		if (*p == '"' && p[1] == '"') {
			*w++ = '"';
			p += 2;
		} else if (*p == '"') {
			char *end = p + 1;
			*w = '\0';  /* w < end: the opening quote was skipped */
			return end;
		} else {
			*w++ = *p++;
		}
	}
}

int ts_csv_split(char *line, char **fields, int max, int *n_out, ts_error *err)
{
	size_t len = strlen(line);
	if (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	int n = 0;
	for (char *p = line;;) {
		if (n == max) {
			*n_out = max + 1;
			return TS_OK;
		}
		fields[n++] = *p == '"' ? p + 1 : p;
		if (*p == '"') {
			if (!(p = quoted_field(p + 1)))
				return ts_error_set(err, TS_EINPUT, "field %d: no closing quote", n);
		} else {
			p += strcspn(p, ",\"");
			if (*p == '"')
				return ts_error_set(err, TS_EINPUT, "field %d: a quote inside an unquoted field", n);
		}
		if (*p == '\0') {
			*n_out = n;
			return TS_OK;
		}
		if (*p != ',')
			return ts_error_set(err, TS_EINPUT, "field %d: text after its closing quote", n);
		*p++ = '\0';
	}
}

/* [-]digits[.digits][(e|E)[+-]digits] and finite: what ts_format_double writes. */
static int is_number(const char *t)
{
	const char *p = t + (*t == '-');
	size_t k = strspn(p, "0123456789");
	if (k == 0)
		return 0;
	p += k;
	if (*p == '.') {
		k = strspn(++p, "0123456789");
		if (k == 0)
			return 0;
		p += k;
	}
	if (*p == 'e' || *p == 'E') {
		p += (p[1] == '+' || p[1] == '-') ? 2 : 1;
		k = strspn(p, "0123456789");
		if (k == 0)
			return 0;
		p += k;
	}
	errno = 0;
	return *p == '\0' && isfinite(strtod(t, NULL));
}

static int expect_text(const char *got, const char *want, const char *what, ts_error *err)
{
	if (strcmp(got, want) == 0)
		return TS_OK;
	return ts_error_set(err, TS_EINPUT, "%s is '%.40s', expected '%.40s'", what, got, want);
}

/* run, point, rep, seed and the parameter values of run `run`. */
static int check_identity(const ts_sweep *s, long run, char **fields, ts_error *err)
{
	long point = run / s->reps;
	char want[64];
	const char *names[4] = {"run", "point", "rep", "seed"};
	long values[4] = {run, point, run % s->reps, (long)ts_sweep_seed(s, run)};
	for (int f = 0; f < 4; f++) {
		snprintf(want, sizeof want, "%ld", values[f]);
		if (expect_text(fields[f], want, names[f], err) != TS_OK)
			return TS_EINPUT;
	}
	double *u = malloc((size_t)s->n_params * sizeof *u);
	if (!u)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = ts_sweep_point(s, point, u, err);
	for (int j = 0; j < s->n_params && rc == TS_OK; j++)
		rc = expect_text(fields[4 + j], ts_sweep_value_csv(s, j, u[j], want, sizeof want), s->params[j].path, err);
	free(u);
	return rc;
}

/* status, metrics and message: ok with numbers or empty cells and no
 * message; failed with empty metrics and a message. */
static int check_outcome(const ts_sweep *s, char **fields, ts_error *err)
{
	int nf = ts_sweep_field_count(s);
	const char *status = fields[nf - 2], *message = fields[nf - 1];
	int ok = strcmp(status, "ok") == 0;
	if (!ok && strcmp(status, "failed") != 0)
		return ts_error_set(err, TS_EINPUT, "status is '%.40s', expected ok or failed", status);
	for (int k = 0; k < s->n_metrics; k++) {
		const char *v = fields[4 + s->n_params + k];
		if (ok ? v[0] && !is_number(v) : v[0] != '\0')
			return ts_error_set(err, TS_EINPUT, "%s is '%.40s', expected %s", s->metrics[k].name, v,
			                    ok ? "a number or an empty cell" : "an empty cell (failed run)");
	}
	if (ok != (message[0] == '\0'))
		return ts_error_set(err, TS_EINPUT, "%s", ok ? "an ok run with a message" : "a failed run without a message");
	return TS_OK;
}

int ts_sweep_row_check(const ts_sweep *s, long run, char *line, char **fields, ts_error *err)
{
	size_t len = strlen(line);
	if (len == 0 || line[len - 1] != '\n')
		return ts_error_set(err, TS_EINPUT, "torn row (no end of line)");
	int nf = ts_sweep_field_count(s), n = 0;
	if (ts_csv_split(line, fields, nf, &n, err) != TS_OK)
		return TS_EINPUT;
	if (n != nf)
		return ts_error_set(err, TS_EINPUT, "%s%d fields, expected %d", n > nf ? "more than " : "", n > nf ? nf : n, nf);
	int rc = check_identity(s, run, fields, err);
	return rc == TS_OK ? check_outcome(s, fields, err) : rc;
}

int ts_sweep_count_failed(const ts_sweep *s, const char *dir, long *failed, long *runs, ts_error *err)
{
	*failed = *runs = 0;
	int nf = ts_sweep_field_count(s);
	char **fields = malloc((size_t)(nf + 1) * sizeof *fields);
	char *path = ts_sweep_path(dir, "sweep.csv"), *line = NULL;
	FILE *f = path ? fopen(path, "rb") : NULL;
	size_t cap = 0;
	int rc = TS_OK;
	if (!fields || !path)
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	else if (!f)
		rc = ts_error_set(err, TS_EIO, "%s: cannot open: %s", path, strerror(errno));
	else if (getline(&line, &cap, f) <= 0)
		rc = ts_error_set(err, TS_EIO, "%s: empty", path);
	int n = 0;
	ts_error why = TS_ERROR_INIT;  /* written only when a row is bad: the loop stops then */
	while (rc == TS_OK && getline(&line, &cap, f) > 0) {
		if (ts_csv_split(line, fields, nf, &n, &why) != TS_OK || n != nf) {
			rc = ts_error_set(err, TS_EIO, "%s: malformed row %ld%s%s", path, *runs + 1, why.message[0] ? ": " : "",
			                  why.message);
			break;
		}
		++*runs;
		if (strcmp(fields[nf - 2], "failed") == 0)
			++*failed;
	}
	if (f)
		fclose(f);
	free(line);
	free(path);
	free(fields);
	return rc;
}
