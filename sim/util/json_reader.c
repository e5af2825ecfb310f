/* A strict JSON reader: recursive descent over the grammar of RFC 8259,
 * section 2-7, with UTF-8 checked as RFC 3629 defines it. Only the top-level
 * object's members are kept (json_reader.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/json_reader.h"

enum { MAX_DEPTH = 64 };

typedef struct reader {
	const char *text;
	size_t length, pos;
	int line;
	const char *name;
	ts_error *err;
	int failed;
} reader;

/* What stands at the reader's position, for messages: 'x', end of file, a byte. */
static void describe_here(const reader *r, char *buf, size_t size)
{
	if (r->pos >= r->length) {
		snprintf(buf, size, "the end of the text");
		return;
	}
	unsigned char c = (unsigned char)r->text[r->pos];
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else
		snprintf(buf, size, "byte 0x%02x", c);
}

/* Records the first error only: later ones would be echoes. */
static int fail(reader *r, const char *expected)
{
	if (!r->failed) {
		char here[32];
		describe_here(r, here, sizeof here);
		ts_error_set(r->err, TS_EINPUT, "%s:%d: expected %s, got %s", r->name, r->line, expected, here);
	}
	r->failed = 1;
	return TS_EINPUT;
}

static int peek(const reader *r)
{
	return r->pos < r->length ? (unsigned char)r->text[r->pos] : -1;
}

static void skip_space(reader *r)
{
	for (int c; (c = peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r'; r->pos++)
		if (c == '\n')
			r->line++;
}

static int literal(reader *r, const char *word)
{
	size_t n = strlen(word);
	if (r->length - r->pos < n || memcmp(r->text + r->pos, word, n) != 0)
		return fail(r, "a value (object, array, string, number, true, false or null)");
	r->pos += n;
	return TS_OK;
}

static int digits(reader *r)
{
	size_t start = r->pos;
	while (peek(r) >= '0' && peek(r) <= '9')
		r->pos++;
	return r->pos > start;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int number(reader *r)
{
	if (peek(r) == '-')
		r->pos++;
	if (peek(r) == '0')
		r->pos++;
	else if (!digits(r))
		return fail(r, "a digit");
	if (peek(r) == '.') {
		r->pos++;
		if (!digits(r))
			return fail(r, "a digit after the decimal point");
	}
	if (peek(r) == 'e' || peek(r) == 'E') {
		r->pos++;
		if (peek(r) == '+' || peek(r) == '-')
			r->pos++;
		if (!digits(r))
			return fail(r, "a digit in the exponent");
	}
	return TS_OK;
}

static int hex4(reader *r, unsigned *out)
{
	unsigned v = 0;
	*out = 0;  /* defined on failure too */
	for (int k = 0; k < 4; k++) {
		int c = peek(r);
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return fail(r, "four hexadecimal digits after \\u");
		v = v * 16 + (unsigned)d;
		r->pos++;
	}
	*out = v;
	return TS_OK;
}

static size_t put_utf8(char *w, unsigned cp)
{
	if (cp < 0x80) {
		w[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		w[0] = (char)(0xc0 | (cp >> 6));
		w[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		w[0] = (char)(0xe0 | (cp >> 12));
		w[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		w[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	w[0] = (char)(0xf0 | (cp >> 18));
	w[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	w[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	w[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* \uXXXX, or a surrogate pair \uD8XX\uDCXX; never U+0000. */
static int escaped_code_point(reader *r, unsigned *cp)
{
	if (hex4(r, cp) != TS_OK)
		return TS_EINPUT;
	if (*cp >= 0xdc00 && *cp <= 0xdfff)
		return fail(r, "a high surrogate before a low one (\\uDC00-\\uDFFF alone)");
	if (*cp >= 0xd800 && *cp <= 0xdbff) {
		unsigned low;
		if (peek(r) != '\\' || r->pos + 1 >= r->length || r->text[r->pos + 1] != 'u')
			return fail(r, "a low surrogate \\uDC00-\\uDFFF after a high one");
		r->pos += 2;
		if (hex4(r, &low) != TS_OK)
			return TS_EINPUT;
		if (low < 0xdc00 || low > 0xdfff)
			return fail(r, "a low surrogate \\uDC00-\\uDFFF after a high one");
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (low - 0xdc00);
	}
	if (*cp == 0)
		return fail(r, "no NUL character (\\u0000) in a string");
	return TS_OK;
}

static int escape(reader *r, char *w, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	int c = peek(r);
	const char *at = c > 0 ? strchr(from, c) : NULL;
	r->pos++;
	if (at) {
		if (w)
			w[*n] = to[at - from];
		++*n;
		return TS_OK;
	}
	if (c != 'u') {
		r->pos--;
		return fail(r, "an escape \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
	}
	unsigned cp;
	if (escaped_code_point(r, &cp) != TS_OK)
		return TS_EINPUT;
	char buf[4];
	size_t k = put_utf8(buf, cp);
	if (w)
		memcpy(w + *n, buf, k);
	*n += k;
	return TS_OK;
}

/* Length of the well-formed UTF-8 sequence at the position (RFC 3629,
 * section 4: no overlong forms, no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_sequence(const reader *r)
{
	const unsigned char *s = (const unsigned char *)r->text + r->pos;
	size_t left = r->length - r->pos;
	unsigned char c = s[0];
	size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	if (n == 0 || left < n)
		return 0;
	unsigned char lo = 0x80, hi = 0xbf;  /* the second byte's range */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < n; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return n;
}

/* Checks the string at the position (after its opening quote) and measures
 * its decoded length; decodes into w when w != NULL. */
static int string_body(reader *r, char *w, size_t *n)
{
	*n = 0;
	for (int c; (c = peek(r)) != '"'; ) {
		if (c < 0)
			return fail(r, "a closing '\"'");
		if (c < 0x20)
			return fail(r, "no control character in a string (escape it)");
		if (c == '\\') {
			r->pos++;
			if (escape(r, w, n) != TS_OK)
				return TS_EINPUT;
			continue;
		}
		size_t k = c < 0x80 ? 1 : utf8_sequence(r);
		if (k == 0)
			return fail(r, "UTF-8 text");
		if (w)
			memcpy(w + *n, r->text + r->pos, k);
		*n += k;
		r->pos += k;
	}
	r->pos++;  /* the closing quote */
	return TS_OK;
}

/* A string at the position; decoded into a malloc'd *out when out != NULL:
 * a first pass checks and measures, a second decodes. */
static int string(reader *r, char **out)
{
	size_t start = ++r->pos, n;
	if (string_body(r, NULL, &n) != TS_OK || !out)
		return r->failed ? TS_EINPUT : TS_OK;
	char *w = malloc(n + 1);
	if (!w)
		return ts_error_set(r->err, TS_ENOMEM, "out of memory");
	r->pos = start;
	string_body(r, w, &n);
	w[n] = '\0';
	*out = w;
	return TS_OK;
}

static int value(reader *r, int depth, ts_json_member *m);

static int array(reader *r, int depth)
{
	r->pos++;
	skip_space(r);
	if (peek(r) == ']') {
		r->pos++;
		return TS_OK;
	}
	for (;;) {
		if (value(r, depth + 1, NULL) != TS_OK)
			return TS_EINPUT;
		skip_space(r);
		if (peek(r) == ']') {
			r->pos++;
			return TS_OK;
		}
		if (peek(r) != ',')
			return fail(r, "',' or ']' after an array element");
		r->pos++;
		skip_space(r);
	}
}

static int add_member(ts_json_object *o, reader *r, char *key, ts_json_member **m)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->members[i].key, key) == 0) {
			ts_error_set(r->err, TS_EINPUT, "%s:%d: \"%s\" appears twice", r->name, r->line, key);
			r->failed = 1;
			free(key);
			return TS_EINPUT;
		}
	ts_json_member *grown = realloc(o->members, (size_t)(o->n + 1) * sizeof *grown);
	if (!grown) {
		free(key);
		return ts_error_set(r->err, TS_ENOMEM, "out of memory");
	}
	o->members = grown;
	*m = &o->members[o->n++];
	memset(*m, 0, sizeof **m);
	(*m)->key = key;
	return TS_OK;
}

/* An object; its members go to o when o != NULL (the top level). */
static int object(reader *r, int depth, ts_json_object *o)
{
	r->pos++;
	skip_space(r);
	if (peek(r) == '}') {
		r->pos++;
		return TS_OK;
	}
	for (;;) {
		if (peek(r) != '"')
			return fail(r, "a member name in double quotes");
		char *key = NULL;
		ts_json_member *m = NULL;
		if (string(r, o ? &key : NULL) != TS_OK)
			return TS_EINPUT;
		if (o && add_member(o, r, key, &m) != TS_OK)
			return TS_EINPUT;
		skip_space(r);
		if (peek(r) != ':')
			return fail(r, "':' after a member name");
		r->pos++;
		skip_space(r);
		if (value(r, depth + 1, m) != TS_OK)
			return TS_EINPUT;
		skip_space(r);
		if (peek(r) == '}') {
			r->pos++;
			return TS_OK;
		}
		if (peek(r) != ',')
			return fail(r, "',' or '}' after a member");
		r->pos++;
		skip_space(r);
	}
}

/* A value at the position (space skipped); described in m when m != NULL. */
static int value(reader *r, int depth, ts_json_member *m)
{
	if (depth > MAX_DEPTH)
		return fail(r, "at most 64 levels of nesting");
	int c = peek(r), rc;
	size_t start = r->pos;
	int line = r->line;
	ts_json_type type;
	if (c == '{') {
		type = TS_JSON_OBJECT;
		rc = object(r, depth, NULL);
	} else if (c == '[') {
		type = TS_JSON_ARRAY;
		rc = array(r, depth);
	} else if (c == '"') {
		type = TS_JSON_STRING;
		rc = string(r, m ? &m->string : NULL);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		type = TS_JSON_NUMBER;
		rc = number(r);
		if (rc == TS_OK && m && !(m->number = strndup(r->text + start, r->pos - start)))
			rc = ts_error_set(r->err, TS_ENOMEM, "out of memory");
	} else {
		type = c == 'n' ? TS_JSON_NULL : TS_JSON_BOOL;
		rc = literal(r, c == 't' ? "true" : c == 'f' ? "false" : "null");
	}
	if (m) {
		m->type = type;
		m->boolean = c == 't';
		m->start = start;
		m->end = r->pos;
		m->line = line;
	}
	return rc;
}

int ts_json_parse_object(ts_json_object *out, const char *text, size_t length, const char *name, ts_error *err)
{
	memset(out, 0, sizeof *out);
	if (!(out->name = strdup(name)))
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	reader r = {text, length, 0, 1, name, err, 0};
	skip_space(&r);
	int rc = peek(&r) == '{' ? object(&r, 1, out) : fail(&r, "a JSON object '{'");
	if (rc == TS_OK) {
		skip_space(&r);
		if (r.pos < r.length)
			rc = fail(&r, "nothing after the object");
	}
	if (rc != TS_OK) {
		ts_json_object_free(out);
		return err && err->status != TS_OK ? err->status : rc;
	}
	return TS_OK;
}

void ts_json_object_free(ts_json_object *o)
{
	for (int i = 0; i < o->n; i++) {
		free(o->members[i].key);
		free(o->members[i].string);
		free(o->members[i].number);
	}
	free(o->members);
	free(o->name);
	memset(o, 0, sizeof *o);
}

const ts_json_member *ts_json_find(const ts_json_object *o, const char *key)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->members[i].key, key) == 0)
			return &o->members[i];
	return NULL;
}

int ts_json_get_string(const ts_json_object *o, const char *key, const char **out, ts_error *err)
{
	const ts_json_member *m = ts_json_find(o, key);
	if (!m)
		return ts_error_set(err, TS_EINPUT, "%s: %s: missing", o->name, key);
	if (m->type != TS_JSON_STRING)
		return ts_error_set(err, TS_EINPUT, "%s:%d: %s: expected a string", o->name, m->line, key);
	*out = m->string;
	return TS_OK;
}

int ts_json_get_integer(const ts_json_object *o, const char *key, long long lo, long long hi, long long *out,
                        ts_error *err)
{
	const ts_json_member *m = ts_json_find(o, key);
	if (!m)
		return ts_error_set(err, TS_EINPUT, "%s: %s: missing", o->name, key);
	/* The parser checked the grammar: an integer is what has no '.', 'e' or 'E'. */
	long long v = 0;
	int ok = m->type == TS_JSON_NUMBER && !strpbrk(m->number, ".eE");
	if (ok) {
		char *end;
		errno = 0;
		v = strtoll(m->number, &end, 10);
		ok = errno == 0 && *end == '\0' && v >= lo && v <= hi;
	}
	if (!ok)
		return ts_error_set(err, TS_EINPUT, "%s:%d: %s: expected an integer in [%lld, %lld]", o->name, m->line,
		                    key, lo, hi);
	*out = v;
	return TS_OK;
}
