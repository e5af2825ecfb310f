/* Checked reads from libconfig trees. libconfig checks syntax only: it takes
 * any key, stores plain integers in 32 bits without a word when they do not
 * fit, and has no notion of ranges. This module adds all that, and formats
 * every diagnostic as "FILE:LINE: PATH: what was expected". */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/cfgcheck.h"
#include "util/textfile.h"

/* A source text read on demand for source-line checks, with where each of
 * its lines starts (big scenarios have thousands of settings to check). */
struct ts_cfg_text {
	char *file;            /* display name and path it was read from; NULL: main */
	const char *text;      /* NULL if unreadable */
	char *owned;           /* text read here (the main text is the caller's) */
	size_t *line_start;    /* offset of line i+1 */
	size_t n_lines;
};

void ts_cfg_init(ts_cfg *c, ts_error *err, const char *name,
		 const char *include_dir, const char *text)
{
	memset(c, 0, sizeof *c);
	c->err = err;
	c->name = name;
	c->include_dir = include_dir;
	c->text = text;
}

void ts_cfg_release(ts_cfg *c)
{
	for (size_t i = 0; i < c->n_texts; i++) {
		free(c->texts[i].file);
		free(c->texts[i].owned);
		free(c->texts[i].line_start);
	}
	free(c->texts);
	c->texts = NULL;
	c->n_texts = 0;
}

void ts_cfg_file_name(const ts_cfg *c, const char *file, char *buf, size_t size)
{
	const char *dir = c->include_dir;
	if (!file)
		snprintf(buf, size, "%s", c->name);
	else if (file[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
		snprintf(buf, size, "%s", file);
	else
		snprintf(buf, size, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", file);
}

const char *ts_cfg_override_of(const config_setting_t *s)
{
	for (; s; s = config_setting_parent(s))
		if (config_setting_get_hook(s))
			return config_setting_get_hook(s);
	return NULL;
}

void ts_cfg_path(const config_setting_t *s, char *buf, size_t size)
{
	const config_setting_t *chain[64];
	int depth = 0;
	for (; s && !config_setting_is_root(s) && depth < 64; s = config_setting_parent(s))
		chain[depth++] = s;
	size_t used = 0;
	buf[0] = '\0';
	for (int i = depth - 1; i >= 0 && used < size; i--) {
		const char *name = config_setting_name(chain[i]);
		int n;
		if (name)
			n = snprintf(buf + used, size - used, "%s%s", used ? "." : "", name);
		else
			n = snprintf(buf + used, size - used, "[%d]", config_setting_index(chain[i]));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int ts_cfg_line(const ts_cfg *c, const config_setting_t *s)
{
	(void)c;
	return (int)config_setting_source_line(s);
}

void ts_cfg_location(const ts_cfg *c, const config_setting_t *s, char *buf, size_t size)
{
	const char *override = ts_cfg_override_of(s);
	if (override) {
		snprintf(buf, size, "--set %s", override);
		return;
	}
	char file[1024];
	ts_cfg_file_name(c, s ? config_setting_source_file(s) : NULL, file, sizeof file);
	unsigned line = s ? config_setting_source_line(s) : 0;
	if (line > 0)
		snprintf(buf, size, "%s:%u", file, line);
	else
		snprintf(buf, size, "%s", file);
}

static void report(ts_cfg *c, const config_setting_t *at, const char *path,
		   const char *fmt, va_list ap)
{
	char location[1100], message[2048];
	ts_cfg_location(c, at, location, sizeof location);
	vsnprintf(message, sizeof message, fmt, ap);
	c->n_errors++;
	const char *override = ts_cfg_override_of(at);
	if (override && strcmp(override, path) == 0)
		path = "";  /* "--set run.steps: ..." says it already */
	ts_error_set(c->err, TS_EINPUT, "%s: %s%s%s", location, path, path[0] ? ": " : "", message);
}

void ts_cfg_error(ts_cfg *c, const config_setting_t *s, const char *fmt, ...)
{
	char path[1024];
	ts_cfg_path(s, path, sizeof path);
	va_list ap;
	va_start(ap, fmt);
	report(c, s, path, fmt, ap);
	va_end(ap);
}

void ts_cfg_error_in(ts_cfg *c, const config_setting_t *group, const char *key,
		     const char *fmt, ...)
{
	char path[1024];
	ts_cfg_path(group, path, sizeof path);
	size_t used = strlen(path);
	snprintf(path + used, sizeof path - used, "%s%s", used ? "." : "", key);
	va_list ap;
	va_start(ap, fmt);
	report(c, group, path, fmt, ap);
	va_end(ap);
}

size_t ts_cfg_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t small[64], *row = lb + 1 <= 64 ? small : malloc((lb + 1) * sizeof *row);
	if (!row)
		return la > lb ? la : lb;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diagonal + cost;
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	size_t d = row[lb];
	if (row != small)
		free(row);
	return d;
}

const char *ts_cfg_suggest(const char *word, const char *const *candidates, size_t n)
{
	/* Two edits catch most typos (a swap costs two); long words get more. */
	size_t limit = strlen(word) / 3;
	if (limit < 2)
		limit = 2;
	const char *best = NULL;
	size_t best_distance = limit + 1;
	for (size_t i = 0; i < n; i++) {
		if (!candidates[i])
			continue;
		size_t d = ts_cfg_edit_distance(word, candidates[i]);
		if (d < best_distance) {
			best = candidates[i];
			best_distance = d;
		}
	}
	return best;
}

const char *ts_cfg_hint(char *buf, size_t size, const char *word,
			const char *const *candidates, size_t n)
{
	const char *s = ts_cfg_suggest(word, candidates, n);
	if (s)
		snprintf(buf, size, " (did you mean '%s'?)", s);
	else if (size > 0)
		buf[0] = '\0';
	return buf;
}

int ts_cfg_check_keys(ts_cfg *c, const config_setting_t *group, const char *const *allowed)
{
	size_t n_allowed = 0;
	while (allowed[n_allowed])
		n_allowed++;
	int unknown = 0;
	int length = config_setting_length(group);
	for (int i = 0; i < length; i++) {
		const config_setting_t *member = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(member);
		size_t k;
		for (k = 0; k < n_allowed && strcmp(name, allowed[k]) != 0; k++)
			;
		if (k < n_allowed)
			continue;
		char hint[256];
		ts_cfg_error(c, member, "unknown setting '%s'%s", name,
			     ts_cfg_hint(hint, sizeof hint, name, allowed, n_allowed));
		unknown++;
	}
	return unknown;
}

static bool index_lines(struct ts_cfg_text *t)
{
	size_t n = 1;
	for (const char *p = t->text; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	t->line_start = malloc(n * sizeof *t->line_start);
	if (!t->line_start)
		return false;
	t->n_lines = 0;
	t->line_start[t->n_lines++] = 0;
	for (const char *p = t->text; (p = strchr(p, '\n')) != NULL; p++)
		t->line_start[t->n_lines++] = (size_t)(p + 1 - t->text);
	return true;
}

/* The source text a setting was read from, indexed by line, or NULL. */
static const struct ts_cfg_text *source_text(ts_cfg *c, const config_setting_t *s)
{
	const char *file = config_setting_source_file(s);
	char shown[1024];
	if (file)
		ts_cfg_file_name(c, file, shown, sizeof shown);
	for (size_t i = 0; i < c->n_texts; i++) {
		const struct ts_cfg_text *t = &c->texts[i];
		if (file ? t->file && strcmp(t->file, shown) == 0 : !t->file)
			return t->text ? t : NULL;
	}
	struct ts_cfg_text *grown = realloc(c->texts, (c->n_texts + 1) * sizeof *grown);
	if (!grown) {
		c->nomem = true;
		return NULL;
	}
	c->texts = grown;
	struct ts_cfg_text *t = &c->texts[c->n_texts];
	memset(t, 0, sizeof *t);
	if (file) {
		t->file = strdup(shown);
		if (!t->file) {
			c->nomem = true;
			return NULL;
		}
		ts_read_file(&t->owned, NULL, shown, NULL);
		t->text = t->owned;
	} else {
		t->text = c->text;
	}
	c->n_texts++;
	if (t->text && !index_lines(t)) {
		c->nomem = true;
		return NULL;
	}
	return t->text ? t : NULL;
}

static int is_name_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '-' || ch == '*';
}

/* Parses an integer literal at p. Returns 0 and sets *magnitude, *negative,
 * *hex, *overflow; -1 if p holds no integer literal (e.g. a real). */
static int parse_int_literal(const char *p, const char *end, unsigned long long *magnitude,
			     bool *negative, bool *hex, bool *overflow, size_t *length)
{
	const char *start = p;
	*negative = false;
	if (p < end && (*p == '-' || *p == '+'))
		*negative = *p++ == '-';
	*hex = end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
	const char *digits = *hex ? p + 2 : p;
	const char *q = digits;
	while (q < end && (*hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q)))
		q++;
	if (q == digits)
		return -1;
	if (q < end && (*q == '.' || *q == 'e' || *q == 'E'))
		return -1;  /* a real number */
	char literal[128];
	size_t n = (size_t)(q - digits);
	if (n >= sizeof literal) {
		*overflow = true;
		*magnitude = ULLONG_MAX;
	} else {
		memcpy(literal, digits, n);
		literal[n] = '\0';
		errno = 0;
		*magnitude = strtoull(literal, NULL, *hex ? 16 : 10);
		*overflow = errno == ERANGE;
	}
	while (q < end && (*q == 'L' || *q == 'l'))
		q++;
	*length = (size_t)(q - start);
	return 0;
}

/* Would the literal be stored as `stored` by libconfig in a setting of type? */
static bool literal_kept(unsigned long long magnitude, bool negative, bool hex,
			 bool overflow, int type, long long stored)
{
	if (overflow)
		return false;
	if (hex) {  /* libconfig keeps hex bit patterns */
		if (type == CONFIG_TYPE_INT)
			return magnitude <= UINT32_MAX && (int32_t)(uint32_t)magnitude == stored;
		return (long long)magnitude == stored;
	}
	long long limit_pos = type == CONFIG_TYPE_INT ? INT_MAX : LLONG_MAX;
	if (negative) {
		if (magnitude > (unsigned long long)limit_pos + 1)
			return false;
		long long value = magnitude == (unsigned long long)limit_pos + 1 ?
				  -limit_pos - 1 : -(long long)magnitude;
		return value == stored;
	}
	return magnitude <= (unsigned long long)limit_pos && (long long)magnitude == stored;
}

bool ts_cfg_literal_lost(const char *line, size_t line_len, const char *name,
			 int type, long long stored, char *buf, size_t size, bool *beyond_64_bits)
{
	const char *end = line + line_len;
	size_t name_len = strlen(name);
	bool lost = false;
	for (const char *p = line; p + name_len <= end; p++) {
		if (memcmp(p, name, name_len) != 0 || (p > line && is_name_char(p[-1])) ||
		    (p + name_len < end && is_name_char(p[name_len])))
			continue;
		const char *q = p + name_len;
		while (q < end && isspace((unsigned char)*q))
			q++;
		if (q >= end || (*q != '=' && *q != ':'))
			continue;
		q++;
		while (q < end && isspace((unsigned char)*q))
			q++;
		unsigned long long magnitude;
		bool negative, hex, overflow;
		size_t length;
		if (parse_int_literal(q, end, &magnitude, &negative, &hex, &overflow, &length) != 0)
			continue;
		if (literal_kept(magnitude, negative, hex, overflow, type, stored))
			return false;  /* this occurrence is the setting, intact */
		if (!lost) {
			lost = true;
			*beyond_64_bits = overflow || (!hex && magnitude > (unsigned long long)LLONG_MAX + negative);
			snprintf(buf, size, "%.*s", (int)length, q);
		}
	}
	return lost;
}

int ts_cfg_int_value(ts_cfg *c, const config_setting_t *s, long long *out)
{
	int type = config_setting_type(s);
	long long stored = type == CONFIG_TYPE_INT64 ? config_setting_get_int64(s) :
			   config_setting_get_int(s);
	const char *name = config_setting_name(s);
	/* An override's value was checked when parsed; the file line is stale. */
	if (name && !ts_cfg_override_of(s) && config_setting_source_line(s) > 0) {
		/* A few lines around the recorded one, for `name =` and its value
		 * split over lines; another setting of the same name nearby does no
		 * harm, as any occurrence holding the stored value clears it. */
		const struct ts_cfg_text *t = source_text(c, s);
		size_t line = config_setting_source_line(s);
		size_t first = line > 2 ? line - 2 : 1, last = line + 3;
		const char *text = NULL;
		size_t window = 0;
		if (t && first <= t->n_lines) {
			text = t->text + t->line_start[first - 1];
			window = last < t->n_lines ? t->line_start[last] - t->line_start[first - 1] :
				 strlen(text);
		}
		char literal[128];
		bool huge = false;
		if (text && ts_cfg_literal_lost(text, window, name, type, stored, literal, sizeof literal, &huge)) {
			if (huge)
				ts_cfg_error(c, s, "integer %s is too large even for 64 bits", literal);
			else
				ts_cfg_error(c, s, "integer %s is too large for a plain (32-bit) integer: libconfig "
					     "read it as %lld; write it with the L suffix (%sL)", literal, stored, literal);
			return TS_CFG_BAD;
		}
	}
	*out = stored;
	return TS_CFG_SET;
}

const char *ts_cfg_type_phrase(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return "an integer";
	case CONFIG_TYPE_FLOAT: return "a real number";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "a boolean";
	case CONFIG_TYPE_GROUP: return "a group";
	case CONFIG_TYPE_ARRAY: return "an array";
	case CONFIG_TYPE_LIST: return "a list";
	}
	return "nothing";
}

/* "a string \"abc\"", "a real number 2.5", ... */
static const char *got(const config_setting_t *s, char *buf, size_t size)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		snprintf(buf, size, "an integer %lld", config_setting_get_int64(s));
		break;
	case CONFIG_TYPE_FLOAT:
		snprintf(buf, size, "a real number %g", config_setting_get_float(s));
		break;
	case CONFIG_TYPE_STRING:
		snprintf(buf, size, "a string \"%s\"", config_setting_get_string(s));
		break;
	case CONFIG_TYPE_BOOL:
		snprintf(buf, size, "a boolean %s", config_setting_get_bool(s) ? "true" : "false");
		break;
	default:
		snprintf(buf, size, "%s", ts_cfg_type_phrase(s));
	}
	return buf;
}

/* " >= 0", " in (0, 1]", or "" for an unbounded range. */
static const char *range_phrase(char *buf, size_t size, unsigned flags, double lo, double hi)
{
	bool has_lo = lo > -INFINITY, has_hi = hi < INFINITY;
	bool lo_open = flags & TS_CFG_LO_OPEN, hi_open = flags & TS_CFG_HI_OPEN;
	if (has_lo && has_hi)
		snprintf(buf, size, " in %c%g, %g%c", lo_open ? '(' : '[', lo, hi, hi_open ? ')' : ']');
	else if (has_lo)
		snprintf(buf, size, " %s %g", lo_open ? ">" : ">=", lo);
	else if (has_hi)
		snprintf(buf, size, " %s %g", hi_open ? "<" : "<=", hi);
	else
		buf[0] = '\0';
	return buf;
}

int ts_cfg_float_value(ts_cfg *c, const config_setting_t *s, unsigned flags,
		       double lo, double hi, double *out)
{
	char seen[1200], range[96];
	double v;
	long long integer;
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		if (ts_cfg_int_value(c, s, &integer) != TS_CFG_SET)
			return TS_CFG_BAD;
		v = (double)integer;
		break;
	case CONFIG_TYPE_FLOAT:
		v = config_setting_get_float(s);
		break;
	default:
		ts_cfg_error(c, s, "expected a number, got %s", got(s, seen, sizeof seen));
		return TS_CFG_BAD;
	}
	bool below = (flags & TS_CFG_LO_OPEN) ? !(v > lo) : !(v >= lo);
	bool above = (flags & TS_CFG_HI_OPEN) ? !(v < hi) : !(v <= hi);
	if (!isfinite(v) || below || above) {
		ts_cfg_error(c, s, "expected a %snumber%s, got %g", isfinite(v) ? "" : "finite ",
			     range_phrase(range, sizeof range, flags, lo, hi), v);
		return TS_CFG_BAD;
	}
	*out = v;
	return TS_CFG_SET;
}

int ts_cfg_int_range(ts_cfg *c, const config_setting_t *s, long long lo, long long hi,
		     long long *out)
{
	char seen[1200];
	long long v;
	int type = config_setting_type(s);
	if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64) {
		ts_cfg_error(c, s, "expected an integer, got %s", got(s, seen, sizeof seen));
		return TS_CFG_BAD;
	}
	if (ts_cfg_int_value(c, s, &v) != TS_CFG_SET)
		return TS_CFG_BAD;
	if (v < lo || v > hi) {
		if (hi == LLONG_MAX)
			ts_cfg_error(c, s, "expected an integer >= %lld, got %lld", lo, v);
		else
			ts_cfg_error(c, s, "expected an integer in [%lld, %lld], got %lld", lo, hi, v);
		return TS_CFG_BAD;
	}
	*out = v;
	return TS_CFG_SET;
}

/* The member `key` of group, reporting its absence when required. */
static config_setting_t *member(ts_cfg *c, const config_setting_t *group, const char *key,
				unsigned flags)
{
	config_setting_t *s = config_setting_get_member(group, key);
	if (!s && (flags & TS_CFG_REQUIRED))
		ts_cfg_error_in(c, group, key, "required setting missing");
	return s;
}

int ts_cfg_float(ts_cfg *c, const config_setting_t *group, const char *key,
		 unsigned flags, double lo, double hi, double *out)
{
	config_setting_t *s = member(c, group, key, flags);
	if (!s)
		return (flags & TS_CFG_REQUIRED) ? TS_CFG_BAD : TS_CFG_ABSENT;
	return ts_cfg_float_value(c, s, flags, lo, hi, out);
}

int ts_cfg_int(ts_cfg *c, const config_setting_t *group, const char *key,
	       unsigned flags, long long lo, long long hi, long long *out)
{
	config_setting_t *s = member(c, group, key, flags);
	if (!s)
		return (flags & TS_CFG_REQUIRED) ? TS_CFG_BAD : TS_CFG_ABSENT;
	return ts_cfg_int_range(c, s, lo, hi, out);
}

int ts_cfg_string(ts_cfg *c, const config_setting_t *group, const char *key,
		  unsigned flags, const char **out)
{
	char seen[1200];
	config_setting_t *s = member(c, group, key, flags);
	if (!s)
		return (flags & TS_CFG_REQUIRED) ? TS_CFG_BAD : TS_CFG_ABSENT;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		ts_cfg_error(c, s, "expected a string, got %s", got(s, seen, sizeof seen));
		return TS_CFG_BAD;
	}
	*out = config_setting_get_string(s);
	return TS_CFG_SET;
}

int ts_cfg_bool(ts_cfg *c, const config_setting_t *group, const char *key,
		unsigned flags, bool *out)
{
	char seen[1200];
	config_setting_t *s = member(c, group, key, flags);
	if (!s)
		return (flags & TS_CFG_REQUIRED) ? TS_CFG_BAD : TS_CFG_ABSENT;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		ts_cfg_error(c, s, "expected true or false, got %s", got(s, seen, sizeof seen));
		return TS_CFG_BAD;
	}
	*out = config_setting_get_bool(s);
	return TS_CFG_SET;
}

int ts_cfg_group(ts_cfg *c, const config_setting_t *group, const char *key,
		 unsigned flags, config_setting_t **out)
{
	char seen[1200];
	config_setting_t *s = member(c, group, key, flags);
	if (!s)
		return (flags & TS_CFG_REQUIRED) ? TS_CFG_BAD : TS_CFG_ABSENT;
	if (!config_setting_is_group(s)) {
		ts_cfg_error(c, s, "expected a group { ... }, got %s", got(s, seen, sizeof seen));
		return TS_CFG_BAD;
	}
	*out = s;
	return TS_CFG_SET;
}
