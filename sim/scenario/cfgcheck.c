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
#include "scenario/source.h"
#include "util/assert.h"

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
	if (c->source)
		ts_source_free(c->source);
	free(c->source);
	c->source = NULL;
}

/* Expands and scans text into a source of c's; the number of problems. */
static int load_source(ts_cfg *c, ts_source *src, const char *text)
{
	int before = c->n_errors;
	ts_source_expand(src, c, text);
	if (c->n_errors == before && !c->nomem)
		ts_source_scan(c, src, 0);
	return c->n_errors - before;
}

const char *ts_cfg_read_source(ts_cfg *c, const char *text)
{
	ts_cfg_release(c);
	c->source = calloc(1, sizeof *c->source);
	if (!c->source) {
		c->nomem = true;
		return NULL;
	}
	if (load_source(c, c->source, text) > 0 || c->nomem)
		return NULL;
	return c->source->text;
}

const char *ts_cfg_read_more_source(ts_cfg *c, const char *text, const char *name, const char *include_dir,
				    size_t *first_line)
{
	TS_ASSERT(c->source);
	int before = c->n_errors;
	size_t first_byte = ts_source_append(c->source, c, text, name, include_dir);
	if (c->n_errors == before && !c->nomem)
		ts_source_scan(c, c->source, first_byte);
	if (c->n_errors > before || c->nomem)
		return NULL;
	*first_line = 1;
	for (size_t k = 0; k < first_byte; k++)
		*first_line += c->source->text[k] == '\n';
	return c->source->text + first_byte;
}

int ts_cfg_check_source(ts_cfg *c, const char *text)
{
	ts_source src;
	int problems = load_source(c, &src, text);
	ts_source_free(&src);
	return problems;
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

/* The id of an entry of an entity table in the list form (`firms = (
 * { id = "F1"; ... } )`, docs/scenario.md): its `id` string when that is a
 * valid id (a letter, then letters, digits, '_', '-'), so that paths read firms.F1.capacity in either form; else NULL. */
static const char *entry_id(const config_setting_t *e)
{
	const char *id = NULL;
	if (!config_setting_is_group(e) || !config_setting_lookup_string(e, "id", &id) || !isalpha((unsigned char)id[0]))
		return NULL;
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return NULL;
	return id;
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
		if (!name && i == depth - 2)
			name = entry_id(chain[i]);
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

/* The file (as shown) and line that libconfig's `file` and `line` stand for:
 * a line of an expanded source (file NULL) is mapped back to its file. */
static void locate(const ts_cfg *c, const char *file, unsigned line, char *buf, size_t size, size_t *file_line)
{
	*file_line = line;
	if (!file && c->source && line > 0)
		snprintf(buf, size, "%s", ts_source_locate(c->source, line, file_line));
	else
		ts_cfg_file_name(c, file, buf, size);
}

int ts_cfg_line(const ts_cfg *c, const config_setting_t *s)
{
	size_t line = config_setting_source_line(s);  /* as locate() maps it, without the file's name */
	if (!config_setting_source_file(s) && c->source && line > 0)
		ts_source_locate(c->source, line, &line);
	return line > INT_MAX ? INT_MAX : (int)line;
}

void ts_cfg_location(const ts_cfg *c, const config_setting_t *s, char *buf, size_t size)
{
	const char *override = ts_cfg_override_of(s);
	if (override) {
		snprintf(buf, size, "--set %s", override);
		return;
	}
	char file[1024];
	size_t line;
	locate(c, s ? config_setting_source_file(s) : NULL, s ? config_setting_source_line(s) : 0,
	       file, sizeof file, &line);
	if (line > 0)
		snprintf(buf, size, "%s:%zu", file, line);
	else
		snprintf(buf, size, "%s", file);
}

void ts_cfg_report_parse_error(ts_cfg *c, const config_t *cfg)
{
	const char *what = config_error_text(cfg) ? config_error_text(cfg) : "cannot parse";
	char file[1024];
	size_t line;
	int error_line = config_error_line(cfg);
	size_t at = error_line > 0 ? (size_t)error_line + c->line_offset : 0;
	locate(c, config_error_file(cfg), at > UINT_MAX ? UINT_MAX : (unsigned)at, file, sizeof file, &line);
	if (strcmp(what, "duplicate setting name") == 0)
		what = "duplicate id or setting name";
	c->n_errors++;
	ts_error_set(c->err, TS_EINPUT, "%s:%zu: %s", file, line, what);
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

bool ts_cfg_is_full(const ts_cfg *c)
{
	return c->err && c->err->count >= TS_ERROR_MAX_DIAGNOSTICS;
}

/* Levenshtein distance within the band |i - j| <= limit (Ukkonen 1985):
 * cells outside it cannot lead to a distance within the limit, so each of
 * a's characters costs at most 2 limit + 1 cells, and a row whose best cell
 * exceeds the limit ends the work. */
size_t ts_cfg_edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), over = limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return over;
	size_t small[TS_CFG_HINT_MAX_WORD + 2], *row = lb + 1 <= sizeof small / sizeof small[0] ? small
						  : malloc((lb + 1) * sizeof *row);
	if (!row)
		return over;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j <= limit ? j : over;  /* right of the band: never computed, stays over */
	size_t d = over;
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > limit ? i - limit : 1, hi = i + limit < lb ? i + limit : lb;
		size_t diagonal = row[lo - 1], best_in_row = over;
		row[lo - 1] = lo == 1 && i <= limit ? i : over;  /* left of the band */
		for (size_t j = lo; j <= hi; j++) {
			size_t above = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diagonal + cost;
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best < over ? best : over;
			diagonal = above;
			if (row[j] < best_in_row)
				best_in_row = row[j];
		}
		if (best_in_row > limit)
			goto done;
	}
	d = row[lb] < over ? row[lb] : over;
done:
	if (row != small)
		free(row);
	return d;
}

const char *ts_cfg_suggest(const char *word, const char *const *candidates, size_t n)
{
	size_t len = strlen(word);
	if (len > TS_CFG_HINT_MAX_WORD)
		return NULL;  /* no typo worth a hint; bounds the work by construction */
	/* Two edits catch most typos (a swap costs two); long words get more. */
	size_t limit = len / 3 < 2 ? 2 : len / 3;
	const char *best = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!candidates[i])
			continue;
		size_t d = ts_cfg_edit_distance(word, candidates[i], limit);
		if (d <= limit) {
			best = candidates[i];
			if (d == 0)
				break;
			limit = d - 1;  /* only a closer candidate can replace it */
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
	unsigned length = (unsigned)config_setting_length(group);
	config_setting_t *const *elements = length ? group->value.list->elements : NULL;  /* read directly */
	for (unsigned i = 0; i < length; i++) {
		const config_setting_t *member = elements[i];
		const char *name = member->name;
		size_t k;  /* the first characters first: most keys differ there */
		for (k = 0; k < n_allowed && (name[0] != allowed[k][0] || strcmp(name, allowed[k]) != 0); k++)
			;
		if (k < n_allowed)
			continue;
		char hint[256] = "";
		if (!ts_cfg_is_full(c))
			ts_cfg_hint(hint, sizeof hint, name, allowed, n_allowed);
		ts_cfg_error(c, member, "unknown setting '%s'%s", name, hint);
		unknown++;
	}
	return unknown;
}

int ts_cfg_int_value(ts_cfg *c, const config_setting_t *s, long long *out)
{
	int type = config_setting_type(s);
	if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64) {
		ts_cfg_error(c, s, "expected an integer, got %s", ts_cfg_type_phrase(s));
		return TS_CFG_BAD;
	}
	/* The source scan (ts_cfg_read_source, ts_cfg_check_source) refused
	 * any literal libconfig did not keep: the stored value is the written one. */
	*out = type == CONFIG_TYPE_INT64 ? config_setting_get_int64(s) : config_setting_get_int(s);
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
config_setting_t *ts_cfg_member(const config_setting_t *group, const char *key)
{
	if (!config_setting_is_group(group))
		return NULL;
	/* The members read directly: libconfig has no getter for the list; the fields are public. */
	unsigned n = group->value.list ? group->value.list->length : 0;
	for (unsigned i = 0; i < n; i++) {
		config_setting_t *m = group->value.list->elements[i];
		if (m->name[0] == key[0] && strcmp(m->name, key) == 0)
			return m;
	}
	return NULL;
}

static config_setting_t *member(ts_cfg *c, const config_setting_t *group, const char *key,
				unsigned flags)
{
	config_setting_t *s = ts_cfg_member(group, key);
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
