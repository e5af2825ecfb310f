/* Overrides: walk a dotted path to a setting and give it a new value parsed
 * by libconfig itself. libconfig cannot insert a member at a position, so a
 * member replaced by one of another type is rebuilt in place together with
 * its later siblings: entity order (and hence indices) must not change. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/override.h"
#include "scenario/source.h"
#include "scenario/tree.h"

#define MAX_COMPONENTS 32

/* Splits "a.b[2].c" into components {"a", "b", "2", "c"} in buf. */
static int split_path(const char *path, char *buf, size_t size, char **parts)
{
	if (strlen(path) >= size || !path[0])
		return -1;
	int n = 0;
	char *w = buf;
	parts[n++] = w;
	for (const char *p = path; *p; p++) {
		if (*p == '.' || *p == '[') {
			if (w == parts[n - 1] || n == MAX_COMPONENTS)
				return -1;  /* empty component */
			*w++ = '\0';
			parts[n++] = w;
		} else if (*p == ']') {
			if (p[1] && p[1] != '.' && p[1] != '[')
				return -1;  /* a '.' or '[' after it starts the next part */
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return w == parts[n - 1] ? -1 : n;
}

static int element_index(const char *part)
{
	if (!isdigit((unsigned char)part[0]))
		return -1;
	char *end;
	long v = strtol(part, &end, 10);
	return (*end || v > INT_MAX) ? -1 : (int)v;
}

/* The id of a list's element: its string `id` if it is a group with one
 * (an entry of an entity table in the list form, docs/scenario.md), else NULL. */
static const char *element_id(const config_setting_t *e)
{
	const char *id = NULL;
	return config_setting_is_group(e) && config_setting_lookup_string(e, "id", &id) ? id : NULL;
}

/* Child `part` of an aggregate, or NULL: a member of a group, an element of
 * a list or array by index, or the element of a list whose `id` is `part`
 * (so that firms.F1.capacity names firm F1 in either form of the table). */
static config_setting_t *child(config_setting_t *s, const char *part)
{
	if (config_setting_is_group(s))
		return config_setting_get_member(s, part);
	int index = element_index(part);
	if (index >= 0 && config_setting_is_aggregate(s))
		return config_setting_get_elem(s, (unsigned)index);
	for (int i = 0; config_setting_is_list(s) && i < config_setting_length(s); i++) {
		config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *id = element_id(e);
		if (id && strcmp(id, part) == 0)
			return e;
	}
	return NULL;
}

/* Replaces child `index` of parent by a copy of value, keeping its place. */
static config_setting_t *replace_child(config_setting_t *parent, int index,
				       const config_setting_t *value)
{
	config_t hold;
	config_init(&hold);
	config_set_destructor(&hold, free);
	/* The later siblings wait in a container of the parent's kind: a group
	 * keeps their names. */
	bool group = config_setting_is_group(parent);
	config_setting_t *tail = config_setting_add(config_root_setting(&hold), "tail",
						    group ? CONFIG_TYPE_GROUP : CONFIG_TYPE_LIST);
	int length = config_setting_length(parent);
	const char *old_name = config_setting_name(config_setting_get_elem(parent, (unsigned)index));
	char *name = strdup(old_name ? old_name : "");
	bool ok = tail && name;
	for (int i = index + 1; ok && i < length; i++) {
		const config_setting_t *e = config_setting_get_elem(parent, (unsigned)i);
		ok = ts_tree_copy_setting(tail, config_setting_name(e), e) != NULL;
	}
	config_setting_t *added = NULL;
	if (ok) {
		for (int i = length - 1; i >= index; i--)
			config_setting_remove_elem(parent, (unsigned)i);
		added = ts_tree_copy_setting(parent, name, value);
		for (int i = 0; added && i < config_setting_length(tail); i++) {
			const config_setting_t *e = config_setting_get_elem(tail, (unsigned)i);
			if (!ts_tree_copy_setting(parent, config_setting_name(e), e))
				added = NULL;
		}
	}
	free(name);
	config_destroy(&hold);
	return added;
}

/* Whether a number of type `to` holds the number in `from` exactly. */
static bool coerce_number(config_setting_t *to, const config_setting_t *from)
{
	int tt = config_setting_type(to), ft = config_setting_type(from);
	bool from_int = ft == CONFIG_TYPE_INT || ft == CONFIG_TYPE_INT64;
	if (tt == CONFIG_TYPE_FLOAT && (from_int || ft == CONFIG_TYPE_FLOAT))
		return config_setting_set_float(to, from_int ? (double)config_setting_get_int64(from) :
						config_setting_get_float(from));
	if (tt != CONFIG_TYPE_INT && tt != CONFIG_TYPE_INT64)
		return false;
	long long v;
	if (from_int) {
		v = config_setting_get_int64(from);
	} else if (ft == CONFIG_TYPE_FLOAT) {
		double d = config_setting_get_float(from);
		if (!(d == floor(d) && fabs(d) < 9e18))
			return false;
		v = (long long)d;
	} else {
		return false;
	}
	if (tt == CONFIG_TYPE_INT)
		return v >= INT_MIN && v <= INT_MAX && config_setting_set_int(to, (int)v);
	return config_setting_set_int64(to, v);
}

/* Stores a scalar of the same type in place. */
static bool set_same_type(config_setting_t *to, const config_setting_t *from)
{
	switch (config_setting_type(from)) {
	case CONFIG_TYPE_STRING: return config_setting_set_string(to, config_setting_get_string(from));
	case CONFIG_TYPE_BOOL: return config_setting_set_bool(to, config_setting_get_bool(from));
	default: return coerce_number(to, from);
	}
}

static bool is_number(const config_setting_t *s)
{
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

/* A bare word: the text itself, without surrounding quotes, as a string
 * setting `v` of tmp (emptied first). */
static config_setting_t *bare_string(config_t *tmp, const char *value, ts_cfg *c)
{
	size_t n = strlen(value);
	if (n >= 2 && ((value[0] == '"' && value[n - 1] == '"') || (value[0] == '\'' && value[n - 1] == '\''))) {
		value++;
		n -= 2;
	}
	char *text = malloc(n + 1);
	config_destroy(tmp);
	config_init(tmp);
	config_setting_t *v = text ? config_setting_add(config_root_setting(tmp), "v", CONFIG_TYPE_STRING) : NULL;
	if (v) {
		memcpy(text, value, n);
		text[n] = '\0';
	}
	if (!v || !config_setting_set_string(v, text)) {
		c->nomem = true;
		v = NULL;
	}
	free(text);
	return v;
}

/* Reports, for a value that reads as libconfig, the integer literal
 * libconfig would not keep; true if there was one. */
static bool integer_lost(const ts_value_scan *scan, const ts_override *o, ts_cfg *c)
{
	if (!scan->literal[0])
		return false;
	c->n_errors++;
	if (scan->beyond_64)
		ts_error_set(c->err, TS_EINPUT, "--set %s: integer %s is too large even for 64 bits",
			     o->path, scan->literal);
	else
		ts_error_set(c->err, TS_EINPUT, "--set %s: integer %s is too large for a plain "
			     "(32-bit) integer, which libconfig would wrap; write it with the L suffix (%sL)",
			     o->path, scan->literal, scan->literal);
	return true;
}

/* Parses an override value: libconfig syntax, else the raw text as a string. */
static config_setting_t *parse_value(config_t *tmp, const ts_override *o, ts_cfg *c)
{
	size_t len = strlen(o->value);
	char *text = malloc(len + 8);
	if (!text) {
		c->nomem = true;
		return NULL;
	}
	snprintf(text, len + 8, "v = %s;", o->value);
	config_setting_t *v = NULL;
	ts_value_scan scan;
	/* The scan first: a huge group would keep libconfig's parser busy for
	 * minutes. No newline: no @include smuggling. A value ending inside a
	 * string or comment is no libconfig value: a bare word. */
	if (!ts_source_scan_value(c, o->value, o->path, &scan)) {
		free(text);
		return NULL;
	}
	if (!strchr(o->value, '\n') && !scan.open && config_read_string(tmp, text) == CONFIG_TRUE &&
	    config_setting_length(config_root_setting(tmp)) == 1)
		v = config_lookup(tmp, "v");
	if (v && integer_lost(&scan, o, c))
		v = NULL;
	else if (!v)
		v = bare_string(tmp, o->value, c);
	free(text);
	return v;
}

/* The names of a group's members, or the ids of a list's elements. */
static void names_of(const config_setting_t *parent, const char **names, int max, int *n)
{
	*n = 0;
	bool group = config_setting_is_group(parent);
	for (int i = 0; i < config_setting_length(parent) && *n < max; i++) {
		const config_setting_t *e = config_setting_get_elem(parent, (unsigned)i);
		const char *name = group ? config_setting_name(e) : element_id(e);
		if (name)
			names[(*n)++] = name;
	}
}

static bool mark(config_setting_t *s, const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return false;
	free(config_setting_get_hook(s));  /* an earlier override's mark */
	config_setting_set_hook(s, copy);
	return true;
}

/* Reports an error of a change as "WHERE: message" ("--set PATH: ..."). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int override_error(ts_cfg *c, const char *where, const char *fmt, ...);
static int override_error(ts_cfg *c, const char *where, const char *fmt, ...)
{
	char message[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	c->n_errors++;
	ts_error_set(c->err, TS_EINPUT, "%s: %s", where, message);
	return -1;
}

/* The aggregate holding the last part of the path, or NULL (reported) when a
 * part before it is missing or not a group or list. */
static config_setting_t *path_parent(config_t *cfg, const char *where, char **parts, int n, ts_cfg *c)
{
	config_setting_t *parent = config_root_setting(cfg);
	for (int i = 0; i < n - 1; i++) {
		config_setting_t *next = child(parent, parts[i]);
		if (next && config_setting_is_aggregate(next)) {
			parent = next;
			continue;
		}
		/* Shown as written: the path up to and including this part. */
		char upto[1024] = "";
		for (int k = 0; k <= i; k++)
			snprintf(upto + strlen(upto), sizeof upto - strlen(upto), "%s%s", k ? "." : "", parts[k]);
		const char *names[512];
		int n_names = 0;
		char hint[256] = "";
		if (config_setting_is_group(parent) || config_setting_is_list(parent)) {
			names_of(parent, names, 512, &n_names);
			ts_cfg_hint(hint, sizeof hint, parts[i], names, (size_t)n_names);
		}
		if (next)
			override_error(c, where, "'%s' is %s, not a group or list", upto, ts_cfg_type_phrase(next));
		else
			override_error(c, where, "no setting '%s'%s", upto, hint);
		return NULL;
	}
	return parent;
}

/* Stores value as member `last` of parent (target: the member, or NULL to
 * add it), marked with `path` (NULL: unmarked, located at value's line);
 * 0 or -1. */
static int store(config_setting_t *parent, config_setting_t *target, const char *last,
		 const config_setting_t *value, const char *path)
{
	if (!target) {
		target = ts_tree_copy_setting(parent, last, value);
	} else if (config_setting_is_scalar(target) && config_setting_is_scalar(value) &&
		   (config_setting_type(target) == config_setting_type(value) ||
		    (is_number(target) && is_number(value))) &&
		   set_same_type(target, value)) {
		/* same or exactly coerced type: kept in place */
		if (!path)
			target->line = value->line;  /* a variant's value: reported at its line */
	} else {
		/* A new type: validation will say whether it is acceptable here. */
		target = replace_child(parent, config_setting_index(target), value);
	}
	return target && (!path || mark(target, path)) ? 0 : -1;
}

/* Sets o->path to `given`, or (given NULL) to o->value parsed, the stored
 * setting marked with the path; problems reported as "WHERE: ...". */
static int apply_one(config_t *cfg, const ts_override *o, const config_setting_t *given, const char *where,
		     ts_cfg *c)
{
	char buf[1024], *parts[MAX_COMPONENTS];
	int n = o->path ? split_path(o->path, buf, sizeof buf, parts) : -1;
	if (n < 0)
		return override_error(c, where, "not a setting path (write it like run.steps)");
	if (!o->value && !given)
		return override_error(c, where, "no value");
	config_setting_t *parent = path_parent(cfg, where, parts, n, c);
	if (!parent)
		return -1;
	const char *last = parts[n - 1];
	config_setting_t *target = child(parent, last);
	if (!target && !config_setting_is_group(parent))
		return override_error(c, where, "no element %s (the %s has %d)", last,
				      config_setting_is_array(parent) ? "array" : "list", config_setting_length(parent));
	config_t tmp;
	config_init(&tmp);
	const config_setting_t *value = given ? given : parse_value(&tmp, o, c);
	int rc = value ? store(parent, target, last, value, given ? NULL : o->path) : -1;
	if (value && rc != 0)
		override_error(c, where, "cannot store %s here", ts_cfg_type_phrase(value));
	config_destroy(&tmp);
	return rc;
}

int ts_override_apply(config_t *cfg, const ts_override *overrides, size_t n, ts_cfg *c)
{
	int before = c->n_errors;
	config_set_destructor(cfg, free);  /* frees the path marks */
	for (size_t i = 0; i < n; i++) {
		char where[1100];
		snprintf(where, sizeof where, "--set %s", overrides[i].path ? overrides[i].path : "");
		apply_one(cfg, &overrides[i], NULL, where, c);
	}
	return c->n_errors - before;
}

bool ts_override_own_path(config_t *cfg, const ts_override *o)
{
	char buf[1024], *parts[MAX_COMPONENTS];
	int n = o->path ? split_path(o->path, buf, sizeof buf, parts) : -1;
	config_setting_t *parent = config_root_setting(cfg);
	for (int i = 0; i < n - 1; i++) {
		config_setting_t *next = child(parent, parts[i]);
		if (!next || !config_setting_is_aggregate(next))
			return true;  /* no change: ts_override_apply reports the path */
		unsigned k = 0;  /* its place in parent (config_setting_index would read a shared one's first parent) */
		while (parent->value.list->elements[k] != next)
			k++;
		parent = ts_tree_own_child(parent, k, false);
		if (!parent)
			return false;
	}
	return n < 0 || ts_tree_own_members(parent);
}

int ts_override_set(config_t *cfg, const char *path, const config_setting_t *value, const char *where, ts_cfg *c)
{
	ts_override o = { .path = path, .value = NULL };
	return apply_one(cfg, &o, value, where, c);
}
