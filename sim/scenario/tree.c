/* The effective tree written out (tree.h): libconfig syntax that reads back
 * to the same tree, every real with the fewest significant digits (at most
 * 17) that strtod reads back to the same double. libconfig 1.5's own writer
 * kept 15 digits, so two runs whose settings differed in the 16th or 17th
 * digit shared a scenario hash, and re-running a recorded scenario.cfg did
 * not reproduce its run. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/tree.h"
#include "util/assert.h"
#include "util/parallel.h"
#include "util/shortest.h"

/* A growing text (the tree written out). */
struct out {
	char *text;
	size_t len, cap;
	bool nomem;
};

static void out_bytes(struct out *o, const char *p, size_t n)
{
	if (o->nomem)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap < o->len + n + 1)
			cap *= 2;
		char *grown = realloc(o->text, cap);
		if (!grown) {
			o->nomem = true;
			return;
		}
		o->text = grown;
		o->cap = cap;
	}
	memcpy(o->text + o->len, p, n);
	o->len += n;
	o->text[o->len] = '\0';
}

static void out_str(struct out *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

static void out_char(struct out *o, char c)
{
	if (!o->nomem && o->len + 2 <= o->cap) {
		o->text[o->len++] = c;
		o->text[o->len] = '\0';
		return;
	}
	out_bytes(o, &c, 1);
}

/* The fewest significant digits (1 to 17) of v that strtod reads back to v
 * bit for bit (-0.0 is not 0.0), searched with printf; 17 always do (IEEE
 * 754 double). */
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

/* format_real's layout, by printf: the round-trip digits as %e, then as %f
 * from 1e-4 to below 1e16. */
static void format_real_printf(char *buf, size_t size, double v)
{
	int digits = round_trip_digits(v);
	snprintf(buf, size, "%.*e", digits - 1, v);
	int exponent = atoi(strchr(buf, 'e') + 1);
	if (exponent >= -4 && exponent < 16)
		snprintf(buf, size, "%.*f", digits - 1 - exponent > 0 ? digits - 1 - exponent : 0, v);
	if (!strpbrk(buf, ".eE"))
		strncat(buf, ".0", size - strlen(buf) - 1);
}

/* Whether v is 0 or a normal power of two: the values whose rounding
 * interval is not symmetric (the gap below a power of two is half the gap
 * above), where the shortest decimal may lie above v while printf's
 * rounding to as many digits lies below and does not read back. */
static bool asymmetric(double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	return (bits & 0x000fffffffffffffu) == 0;
}

void ts_tree_format_real(char *buf, size_t size, double v)
{
	TS_ASSERT(size >= 40 && isfinite(v));
	if (asymmetric(v)) {
		format_real_printf(buf, size, v);
		return;
	}
	/* Elsewhere the interval is symmetric: the nearest decimal of the
	 * shortest length lies in it, so printf's rounding to that length is
	 * the shortest decimal (ties to even in both). */
	char digits[17], *p = buf;
	int x;  /* the exponent of the first digit */
	int n = ts_shortest_digits(v, digits, &x);
	if (v < 0)
		*p++ = '-';
	if (x < -4 || x >= 16) {  /* %e: d.ddde-XX */
		*p++ = digits[0];
		if (n > 1) {
			*p++ = '.';
			memcpy(p, digits + 1, (size_t)n - 1);
			p += n - 1;
		}
		snprintf(p, size - (size_t)(p - buf), "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
		return;
	}
	if (x < 0) {  /* 0.000ddd */
		memcpy(p, "0.", 2);
		p += 2;
		memset(p, '0', (size_t)(-x - 1));
		p += -x - 1;
		memcpy(p, digits, (size_t)n);
		p += n;
	} else if (x >= n - 1) {  /* ddd000.0 */
		memcpy(p, digits, (size_t)n);
		p += n;
		memset(p, '0', (size_t)(x - (n - 1)));
		p += x - (n - 1);
		memcpy(p, ".0", 2);
		p += 2;
	} else {  /* dd.ddd */
		memcpy(p, digits, (size_t)x + 1);
		p += x + 1;
		*p++ = '.';
		memcpy(p, digits + x + 1, (size_t)(n - 1 - x));
		p += n - 1 - x;
	}
	*p = '\0';
}

/* A string as libconfig 1.5's scanner reads it back: quote and backslash
 * escaped, control characters as \n \r \t \f or \xHH, other bytes as they
 * are (UTF-8 passes through). */
static void put_string(struct out *o, const char *s)
{
	out_char(o, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char hex[8];
		switch (*p) {
		case '"': out_str(o, "\\\""); break;
		case '\\': out_str(o, "\\\\"); break;
		case '\n': out_str(o, "\\n"); break;
		case '\r': out_str(o, "\\r"); break;
		case '\t': out_str(o, "\\t"); break;
		case '\f': out_str(o, "\\f"); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				snprintf(hex, sizeof hex, "\\x%02X", *p);
				out_str(o, hex);
			} else {
				out_char(o, (char)*p);
			}
		}
	}
	out_char(o, '"');
}

static void indent(struct out *o, int depth)
{
	for (int i = 0; i < depth; i++)
		out_bytes(o, "  ", 2);
}

static int put_member(struct out *o, const config_setting_t *s, int depth);

/* A scalar; TS_EINPUT for a real that is not finite (libconfig cannot read
 * it back; validation lets none through). */
static int put_scalar(struct out *o, const config_setting_t *s)
{
	char buf[64];
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		snprintf(buf, sizeof buf, "%d", config_setting_get_int(s));
		break;
	case CONFIG_TYPE_INT64:
		snprintf(buf, sizeof buf, "%lldL", config_setting_get_int64(s));
		break;
	case CONFIG_TYPE_FLOAT:
		if (!isfinite(config_setting_get_float(s)))
			return TS_EINPUT;
		ts_tree_format_real(buf, sizeof buf, config_setting_get_float(s));
		break;
	case CONFIG_TYPE_BOOL:
		snprintf(buf, sizeof buf, "%s", config_setting_get_bool(s) ? "true" : "false");
		break;
	case CONFIG_TYPE_STRING:
		put_string(o, config_setting_get_string(s));
		return TS_OK;
	default:
		return TS_EINPUT;
	}
	out_str(o, buf);
	return TS_OK;
}

/* A value at `depth`: groups and lists one element a line, arrays (of
 * scalars) on one line. */
static int put_value(struct out *o, const config_setting_t *s, int depth)
{
	int n = config_setting_length(s), rc = TS_OK;
	if (config_setting_is_array(s)) {
		out_str(o, "[ ");
		for (int i = 0; i < n && rc == TS_OK; i++) {
			rc = put_scalar(o, config_setting_get_elem(s, (unsigned)i));
			out_str(o, i + 1 < n ? ", " : " ");
		}
		out_char(o, ']');
		return rc;
	}
	if (!config_setting_is_group(s) && !config_setting_is_list(s))
		return put_scalar(o, s);
	bool group = config_setting_is_group(s);
	out_str(o, group ? "{" : "(");
	out_str(o, n > 0 ? "\n" : " ");
	for (int i = 0; i < n && rc == TS_OK; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		if (group) {
			rc = put_member(o, e, depth + 1);
			continue;
		}
		indent(o, depth + 1);
		rc = put_value(o, e, depth + 1);
		out_str(o, i + 1 < n ? ",\n" : "\n");
	}
	if (n > 0)
		indent(o, depth);
	out_str(o, group ? "}" : ")");
	return rc;
}

static int put_member(struct out *o, const config_setting_t *s, int depth)
{
	indent(o, depth);
	out_str(o, config_setting_name(s));
	out_str(o, " = ");
	int rc = put_value(o, s, depth);
	out_str(o, ";\n");
	return rc;
}

int ts_tree_text(const struct ts_scenario_tree *t, char **text, size_t *len, ts_error *err)
{
	*text = NULL;
	*len = 0;
	struct out o = { 0 };
	ts_c_locale c_locale;
	int rc = ts_c_locale_enter(&c_locale, err);  /* '.' decimals whatever the process locale */
	if (rc != TS_OK)
		return rc;
	out_bytes(&o, "", 0);  /* an empty tree is "" */
	const config_setting_t *root = config_root_setting(&t->config);
	for (int i = 0; i < config_setting_length(root) && rc == TS_OK; i++)
		rc = put_member(&o, config_setting_get_elem(root, (unsigned)i), 0);
	ts_c_locale_leave(&c_locale);
	if (rc == TS_OK && o.nomem)
		rc = ts_error_set(err, TS_ENOMEM, "out of memory writing the scenario");
	else if (rc != TS_OK)
		rc = ts_error_set(err, rc, "the scenario holds a number that is not finite");
	if (rc != TS_OK) {
		free(o.text);
		return rc;
	}
	*text = o.text;
	*len = o.len;
	return TS_OK;
}

int ts_tree_write(const struct ts_scenario_tree *t, FILE *f, ts_error *err)
{
	char *text;
	size_t len;
	int rc = ts_tree_text(t, &text, &len, err);
	if (rc == TS_OK)
		fwrite(text, 1, len, f);
	free(text);
	return rc;
}

/* A new last child of parent of the given type, named `name` in a group,
 * for the members of a group being copied: their names are those of a group
 * that holds each once, so the checks config_setting_add makes of a name
 * (its characters, then a scan of every earlier member: quadratic in a
 * group's size) would find nothing. The child is added as to a list, then
 * named with a malloc'd copy, which is how libconfig owns and frees a
 * setting's name. */
static config_setting_t *add_member_copy(config_setting_t *parent, const char *name, int type)
{
	if (!config_setting_is_group(parent))
		return config_setting_add(parent, NULL, type);
	char *own = strdup(name);
	if (!own)
		return NULL;
	parent->type = CONFIG_TYPE_LIST;  /* libconfig has no setter; the fields are public */
	config_setting_t *dst = config_setting_add(parent, NULL, type);
	parent->type = CONFIG_TYPE_GROUP;
	if (!dst) {
		free(own);
		return NULL;
	}
	dst->name = own;
	return dst;
}

/* src's format, position and override mark given to dst. */
static bool copy_fields(config_setting_t *dst, const config_setting_t *src)
{
	config_setting_set_format(dst, config_setting_get_format(src));
	dst->line = src->line;  /* libconfig has no setter; the fields are public */
	dst->file = src->file;  /* points into the owning config's file list */
	if (config_setting_get_hook(src)) {
		char *mark = strdup(config_setting_get_hook(src));
		if (!mark)
			return false;
		config_setting_set_hook(dst, mark);
	}
	return true;
}

/* src's value, format, position and override mark into dst, a new setting
 * of src's type; its members and elements copied in turn. */
static bool copy_value(config_setting_t *dst, const config_setting_t *src)
{
	int ok = CONFIG_TRUE;
	switch (config_setting_type(src)) {
	case CONFIG_TYPE_INT: ok = config_setting_set_int(dst, config_setting_get_int(src)); break;
	case CONFIG_TYPE_INT64: ok = config_setting_set_int64(dst, config_setting_get_int64(src)); break;
	case CONFIG_TYPE_FLOAT: ok = config_setting_set_float(dst, config_setting_get_float(src)); break;
	case CONFIG_TYPE_BOOL: ok = config_setting_set_bool(dst, config_setting_get_bool(src)); break;
	case CONFIG_TYPE_STRING: ok = config_setting_set_string(dst, config_setting_get_string(src)); break;
	default:
		for (int i = 0; ok && i < config_setting_length(src); i++) {
			const config_setting_t *e = config_setting_get_elem(src, (unsigned)i);
			config_setting_t *d = add_member_copy(dst, config_setting_name(e), config_setting_type(e));
			ok = d && copy_value(d, e);
		}
	}
	return ok && copy_fields(dst, src);
}

config_setting_t *ts_tree_copy_setting(config_setting_t *parent, const char *name, const config_setting_t *src)
{
	config_setting_t *dst = config_setting_add(parent, config_setting_is_group(parent) ? name : NULL,
						   config_setting_type(src));
	return dst && copy_value(dst, src) ? dst : NULL;
}

/* A new setting in parent's slot `index`, in place of the setting there
 * (not freed): added last, as libconfig grows a list, then moved. */
static config_setting_t *add_in_place(config_setting_t *parent, unsigned index, const char *name, int type)
{
	config_setting_t *dst = add_member_copy(parent, name, type);
	if (!dst)
		return NULL;
	config_list_t *list = parent->value.list;
	list->elements[index] = dst;
	list->length--;
	return dst;
}

/* src's members lent to dst, an empty aggregate of dst's config: each slot
 * made by libconfig (as for an integer in a list, freed at once: it holds
 * nothing else) and then given src's member itself. */
static bool lend_members(config_setting_t *dst, const config_setting_t *src)
{
	unsigned n = (unsigned)config_setting_length(src);
	short type = dst->type;
	dst->type = CONFIG_TYPE_LIST;  /* libconfig has no setter; the fields are public */
	bool ok = true;
	for (unsigned i = 0; ok && i < n; i++) {
		config_setting_t *slot = config_setting_add(dst, NULL, CONFIG_TYPE_INT);
		ok = slot != NULL;
		if (ok) {
			free(slot);
			dst->value.list->elements[i] = src->value.list->elements[i];
		}
	}
	dst->type = type;
	return ok;
}

bool ts_tree_share(struct ts_scenario_tree *dst, const struct ts_scenario_tree *src)
{
	dst->shares = true;
	return lend_members(config_root_setting(&dst->config), config_root_setting(&src->config));
}

/* Whether s belongs to the config of `owner` (a setting of that config). */
static bool is_own(const config_setting_t *s, const config_setting_t *owner)
{
	return s->config == owner->config;
}

config_setting_t *ts_tree_own_child(config_setting_t *parent, unsigned index, bool deep)
{
	config_setting_t *src = parent->value.list->elements[index];
	if (is_own(src, parent))
		return src;
	config_setting_t *dst = add_in_place(parent, index, config_setting_name(src), config_setting_type(src));
	if (!dst)
		return NULL;
	bool ok = deep || !config_setting_is_aggregate(src) ? copy_value(dst, src)
		: lend_members(dst, src) && copy_fields(dst, src);
	return ok ? dst : NULL;
}

bool ts_tree_own_members(config_setting_t *parent)
{
	unsigned n = config_setting_is_aggregate(parent) ? (unsigned)config_setting_length(parent) : 0;
	for (unsigned i = 0; i < n; i++) {
		config_setting_t *e = parent->value.list->elements[i];
		bool shared = !is_own(e, parent);
		e = ts_tree_own_child(parent, i, true);
		if (!e || (!shared && !ts_tree_own_members(e)))  /* an own copy may still lend its members */
			return false;
	}
	return true;
}

/* s's shared members taken out of its list, its own ones in turn. */
static void unshare(config_setting_t *s)
{
	if (!config_setting_is_aggregate(s) || !s->value.list)
		return;
	config_list_t *list = s->value.list;
	unsigned kept = 0;
	for (unsigned i = 0; i < list->length; i++) {
		config_setting_t *e = list->elements[i];
		if (!is_own(e, s))
			continue;
		unshare(e);
		list->elements[kept++] = e;
	}
	list->length = kept;
}

void ts_tree_unshare(struct ts_scenario_tree *t)
{
	if (t->shares)
		unshare(config_root_setting(&t->config));
	t->shares = false;
}

