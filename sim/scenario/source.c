/* A scenario's source text before libconfig reads it (source.h): @include
 * expansion with a line map, and a scan of the tokens for integers libconfig
 * 1.5 would wrap and groups too large for its parser.
 *
 * The lexer follows libconfig 1.5's scanner (lib/scanner.l): comments are
 * `#` and `//` to the end of the line and `/ * ... * /`; strings are "..."
 * with backslash escapes and may span lines; a name is [A-Za-z*] then
 * [-A-Za-z0-9_*]; a number is an integer [-+]?[0-9]+ or hex 0x[0-9A-Fa-f]+,
 * either with an optional L or LL (64 bits), or a real with a '.' or an
 * exponent; `@include "FILE"` is a directive only where nothing but blanks
 * precedes it on its line. libconfig stores a plain integer in 32 bits with
 * no word when it does not fit, and saturates a 64-bit one. */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/source.h"
#include "util/textfile.h"

/* ---- the lexer ---- */

enum tok_kind {
	TOK_END, TOK_NAME, TOK_INT, TOK_FLOAT, TOK_STRING, TOK_PUNCT, TOK_OTHER,
	TOK_OPEN_STRING,             /* the text ends inside a string */
	TOK_OPEN_COMMENT             /* the text ends inside a block comment */
};

struct token {
	enum tok_kind kind;
	const char *start;
	size_t len;
	size_t line;                 /* 1-based line of its first character */
	bool line_start;             /* nothing but blanks before it on its line */
};

struct lexer {
	const char *p, *end;
	size_t line;
	bool line_start;
};

static void lexer_init(struct lexer *lx, const char *text, size_t len)
{
	*lx = (struct lexer){ .p = text, .end = text + len, .line = 1, .line_start = true };
}

static bool at(const struct lexer *lx, size_t k, char ch)
{
	return (size_t)(lx->end - lx->p) > k && lx->p[k] == ch;
}

/* Skips blanks and comments; false if the text ends inside a block comment. */
static bool skip_space(struct lexer *lx)
{
	while (lx->p < lx->end) {
		char ch = *lx->p;
		if (ch == '\n') {
			lx->line++;
			lx->line_start = true;
			lx->p++;
		} else if (ch == ' ' || ch == '\t') {
			lx->p++;
		} else if (ch == '\r' || ch == '\f' || ch == '\v') {
			lx->line_start = false;
			lx->p++;
		} else if (ch == '#' || (ch == '/' && at(lx, 1, '/'))) {
			lx->line_start = false;
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (ch == '/' && at(lx, 1, '*')) {
			size_t opened = lx->line;
			lx->line_start = false;
			for (lx->p += 2; lx->p < lx->end && !(*lx->p == '*' && at(lx, 1, '/')); lx->p++)
				lx->line += *lx->p == '\n';
			if (lx->p >= lx->end) {
				lx->line = opened;  /* the text ends: say where the comment began */
				return false;
			}
			lx->p += 2;
		} else {
			break;
		}
	}
	return true;
}

static bool is_name_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '-' || ch == '*';
}

/* A number at lx->p (a sign, a digit or a '.'): TOK_INT or TOK_FLOAT. */
static enum tok_kind lex_number(struct lexer *lx)
{
	const char *q = lx->p, *end = lx->end;
	bool sign = *q == '+' || *q == '-';
	if (sign)
		q++;
	if (!sign && end - q > 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X') && isxdigit((unsigned char)q[2])) {
		for (q += 2; q < end && isxdigit((unsigned char)*q); q++)
			;
	} else {
		bool digits = false, real = false;
		for (; q < end && isdigit((unsigned char)*q); q++)
			digits = true;
		if (q < end && *q == '.') {
			real = true;
			for (q++; q < end && isdigit((unsigned char)*q); q++)
				;
		}
		const char *e = q;
		if ((digits || real) && e < end && (*e == 'e' || *e == 'E')) {
			e++;
			if (e < end && (*e == '+' || *e == '-'))
				e++;
			if (e < end && isdigit((unsigned char)*e)) {
				for (; e < end && isdigit((unsigned char)*e); e++)
					;
				q = e;
				real = true;
			}
		}
		if (real) {
			lx->p = q;
			return TOK_FLOAT;
		}
	}
	for (int k = 0; k < 2 && q < end && *q == 'L'; k++)
		q++;
	lx->p = q;
	return TOK_INT;
}

/* A string at lx->p (its opening quote); false if the text ends inside it. */
static bool lex_string(struct lexer *lx)
{
	for (lx->p++; lx->p < lx->end && *lx->p != '"'; lx->p++) {
		if (*lx->p == '\\' && lx->p + 1 < lx->end)
			lx->p++;
		lx->line += *lx->p == '\n';
	}
	if (lx->p >= lx->end)
		return false;
	lx->p++;
	return true;
}

static struct token next_token(struct lexer *lx)
{
	bool closed = skip_space(lx);
	struct token t = { .start = lx->p, .line = lx->line, .line_start = lx->line_start };
	lx->line_start = false;
	if (!closed) {
		t.kind = TOK_OPEN_COMMENT;
	} else if (lx->p >= lx->end) {
		t.kind = TOK_END;
	} else {
		char ch = *lx->p;
		bool signed_number = (ch == '+' || ch == '-') &&
				     (lx->p + 1 < lx->end && (isdigit((unsigned char)lx->p[1]) || lx->p[1] == '.'));
		if (ch == '"') {
			t.kind = lex_string(lx) ? TOK_STRING : TOK_OPEN_STRING;
		} else if (isalpha((unsigned char)ch) || ch == '*') {
			for (lx->p++; lx->p < lx->end && is_name_char(*lx->p); lx->p++)
				;
			t.kind = TOK_NAME;
		} else if (isdigit((unsigned char)ch) || ch == '.' || signed_number) {
			t.kind = lex_number(lx);
		} else {
			t.kind = strchr("{}()[]=:;,", ch) ? TOK_PUNCT : TOK_OTHER;
			lx->p++;
		}
	}
	t.len = (size_t)(lx->p - t.start);
	return t;
}

/* ---- reports ---- */

static void source_report(ts_cfg *c, const char *where, const char *path, const char *fmt, va_list ap)
{
	char message[1200];
	vsnprintf(message, sizeof message, fmt, ap);
	c->n_errors++;
	ts_error_set(c->err, TS_EINPUT, "%s: %s%s%s", where, path, path[0] ? ": " : "", message);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void report_at(ts_cfg *c, const char *file, size_t line, const char *fmt, ...)
{
	char where[1100];
	snprintf(where, sizeof where, "%s:%zu", file, line);
	va_list ap;
	va_start(ap, fmt);
	source_report(c, where, "", fmt, ap);
	va_end(ap);
}

/* ---- expansion ---- */

static bool reserve(ts_cfg *c, void *array, size_t *cap, size_t need, size_t size)
{
	void **p = array;
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *grown = realloc(*p, n * size);
	if (!grown) {
		c->nomem = true;
		return false;
	}
	*p = grown;
	*cap = n;
	return true;
}

struct expansion {
	ts_source *src;
	ts_cfg *c;
	const char *include_dir;     /* where the file being expanded looks for its includes */
	bool too_large;              /* reported once: expansion stops */
};

static void append(struct expansion *x, const char *p, size_t n)
{
	ts_source *src = x->src;
	if (x->too_large || x->c->nomem || n == 0)
		return;
	if (src->len + n > (size_t)TS_SOURCE_MAX_BYTES) {
		x->too_large = true;
		x->c->n_errors++;
		ts_error_set(x->c->err, TS_EINPUT, "%s: larger than %ld MiB with the files it includes, the most "
			     "tradesim parses (docs/scenario.md, \"Limits\")", src->files[0], TS_SOURCE_MAX_BYTES >> 20);
		return;
	}
	if (!reserve(x->c, &src->text, &src->cap_text, src->len + n + 1, 1))
		return;
	memcpy(src->text + src->len, p, n);
	src->len += n;
	src->text[src->len] = '\0';
	for (size_t k = 0; k < n; k++)
		src->lines += p[k] == '\n';
}

/* Lines of the text from the next one appended on come from `file`, from its
 * line `file_line` on. */
static void add_span(struct expansion *x, int file, size_t file_line)
{
	ts_source *src = x->src;
	size_t line = src->lines + 1;
	if (src->n_spans > 0 && src->spans[src->n_spans - 1].line == line)
		src->n_spans--;  /* the last span got no line */
	if (!reserve(x->c, &src->spans, &src->cap_spans, src->n_spans + 1, sizeof *src->spans))
		return;
	src->spans[src->n_spans++] = (struct ts_source_span){ .line = line, .file = file, .file_line = file_line };
}

static int add_file(struct expansion *x, const char *name, size_t len)
{
	ts_source *src = x->src;
	char *copy = malloc(len + 1);
	if (!copy || !reserve(x->c, &src->files, &src->cap_files, (size_t)src->n_files + 1, sizeof *src->files)) {
		free(copy);
		x->c->nomem = true;
		return -1;
	}
	memcpy(copy, name, len);
	copy[len] = '\0';
	src->files[src->n_files] = copy;
	return src->n_files++;
}

/* After `@` at the start of a line: `include`, blanks and a quoted name on
 * the same line. Returns the name's length (its text unescaped into buf),
 * with *after just past the closing quote; -1 if this is no directive. */
static long include_name(const char *p, const char *end, char *buf, size_t size, const char **after)
{
	static const char keyword[] = "@include";
	size_t k = sizeof keyword - 1;
	if ((size_t)(end - p) <= k || memcmp(p, keyword, k) != 0 || (p[k] != ' ' && p[k] != '\t'))
		return -1;
	for (p += k; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p >= end || *p != '"')
		return -1;
	size_t n = 0;
	for (p++; p < end && *p != '"' && *p != '\n'; p++) {
		if (*p == '\\' && p + 1 < end && (p[1] == '\\' || p[1] == '"'))
			p++;  /* libconfig reads \\ and \" in include names */
		if (n + 1 < size)
			buf[n++] = *p;
	}
	if (p >= end || *p != '"')
		return -1;
	buf[n] = '\0';
	*after = p + 1;
	return (long)n;
}

/* libconfig 1.5 prefixed the include directory even to an absolute name,
 * which then failed. */
void ts_source_path(const char *dir, const char *name, char *buf, size_t size)
{
	if (name[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
}

static void expand_text(struct expansion *x, const char *text, size_t len, int file, int depth);

/* Expands the file an include directive names (at `line` of `file`). */
static void expand_include(struct expansion *x, const char *name, int file, size_t line, int depth)
{
	ts_cfg *c = x->c;
	const char *shown = x->src->files[file];
	char path[4096];
	ts_source_path(x->include_dir, name, path, sizeof path);
	if (depth >= TS_SOURCE_MAX_INCLUDE_DEPTH) {
		report_at(c, shown, line, "@include \"%s\": files include each other more than %d deep "
			  "(does a file include itself?)", name, TS_SOURCE_MAX_INCLUDE_DEPTH);
		return;
	}
	char *text = NULL;
	size_t text_len = 0;
	ts_error read_err = TS_ERROR_INIT;
	int rc = ts_read_text_file(&text, &text_len, path, &read_err);
	if (rc == TS_ENOMEM)
		c->nomem = true;
	else if (rc != TS_OK)
		report_at(c, shown, line, "@include \"%s\": %s", name, read_err.message);
	int included = rc == TS_OK ? add_file(x, path, strlen(path)) : -1;
	if (included >= 0) {
		expand_text(x, text, text_len, included, depth + 1);
		if (x->src->len > 0 && x->src->text[x->src->len - 1] != '\n')
			append(x, "\n", 1);
	}
	free(text);
}

/* Copies text (file `file`, included `depth` deep) into the source,
 * replacing each include directive by the file it names. */
static void expand_text(struct expansion *x, const char *text, size_t len, int file, int depth)
{
	struct lexer lx;
	lexer_init(&lx, text, len);
	const char *copied = text;
	add_span(x, file, 1);
	for (struct token t = next_token(&lx); t.kind != TOK_END && !x->too_large && !x->c->nomem;
	     t = next_token(&lx)) {
		if (t.kind == TOK_OPEN_STRING || t.kind == TOK_OPEN_COMMENT) {
			/* An included file's would run on into the including file, and
			 * libconfig 1.5 leaks its string buffer on a text ending in a string. */
			report_at(x->c, x->src->files[file], t.line, "the file ends inside a %s",
				  t.kind == TOK_OPEN_STRING ? "string (a '\"' is missing)" : "comment (a '*/' is missing)");
			break;
		}
		char name[2048];
		const char *after;
		if (t.kind != TOK_OTHER || *t.start != '@' || !t.line_start ||
		    include_name(t.start, lx.end, name, sizeof name, &after) < 0)
			continue;
		append(x, copied, (size_t)(t.start - copied));
		expand_include(x, name, file, t.line, depth);
		add_span(x, file, t.line);  /* the rest of the directive's line */
		lx.p = copied = after;
	}
	append(x, copied, (size_t)(lx.end - copied));
}

void ts_source_expand(ts_source *src, ts_cfg *c, const char *text)
{
	memset(src, 0, sizeof *src);
	ts_source_append(src, c, text, c->name, c->include_dir);
}

size_t ts_source_append(ts_source *src, ts_cfg *c, const char *text, const char *name, const char *include_dir)
{
	struct expansion x = { .src = src, .c = c, .include_dir = include_dir };
	if (src->len > 0 && src->text[src->len - 1] != '\n')
		append(&x, "\n", 1);  /* the file starts on a line of its own */
	size_t first_byte = src->len;
	int file = add_file(&x, name, strlen(name));
	if (file >= 0)
		expand_text(&x, text, strlen(text), file, 0);
	if (!src->text && !c->nomem && reserve(c, &src->text, &src->cap_text, 1, 1))
		src->text[0] = '\0';
	return first_byte;
}

void ts_source_free(ts_source *src)
{
	for (int i = 0; i < src->n_files; i++)
		free(src->files[i]);
	free(src->files);
	free(src->spans);
	free(src->text);
	memset(src, 0, sizeof *src);
}

const char *ts_source_locate(const ts_source *src, size_t line, size_t *file_line)
{
	size_t lo = 0, hi = src->n_spans;
	while (hi - lo > 1) {  /* the last span starting at or before `line` */
		size_t mid = lo + (hi - lo) / 2;
		if (src->spans[mid].line <= line)
			lo = mid;
		else
			hi = mid;
	}
	if (src->n_spans == 0 || src->spans[lo].line > line) {
		*file_line = line;
		return src->n_files > 0 ? src->files[0] : "";
	}
	*file_line = src->spans[lo].file_line + (line - src->spans[lo].line);
	return src->files[src->spans[lo].file];
}

/* ---- the scan ---- */

#define MAX_FRAMES 64

/* An open group, list or array, and where the scan is in it. */
struct frame {
	char kind;                   /* 'r' (root), '{', '(' or '[' */
	const char *name;            /* its name in a group, or NULL */
	size_t name_len;
	long label_index;            /* its index in a list or array (name NULL) */
	long index;                  /* list, array: the element being read */
	long members;                /* group: members so far */
	size_t line;
	bool reported;               /* group: already reported too large */
};

struct scan {
	ts_cfg *c;
	const ts_source *src;        /* NULL for an override's value */
	size_t line_offset;          /* lines of src before the text scanned */
	const char *override_path;
	struct frame frames[MAX_FRAMES];
	int depth;                   /* frames in use, the root included */
	int hidden;                  /* open beyond MAX_FRAMES: not tracked */
	const char *name;            /* the member being read in a group */
	size_t name_len;
	double comparisons;          /* libconfig's, so far */
	bool budget_reported, group_reported;
	bool open;                   /* the text ends inside a string or comment */
	ts_value_scan *value;        /* value mode: what the caller decides on */
};

static int label(char *buf, size_t size, bool dot, const char *name, size_t len, long index)
{
	if (name)
		return snprintf(buf, size, "%s%.*s", dot ? "." : "", (int)len, name);
	return snprintf(buf, size, "[%ld]", index);
}

/* Dotted path of the innermost open group, list or array, and with `member`
 * of the element being read in it: "countries.CN.rules[0].kind". */
static void scan_path(const struct scan *sc, bool member, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 1; i <= sc->depth && used < size; i++) {
		const struct frame *f = &sc->frames[i < sc->depth ? i : sc->depth - 1];
		int n;
		if (i < sc->depth)
			n = label(buf + used, size - used, used > 0, f->name, f->name_len, f->label_index);
		else if (!member)
			break;
		else if (f->kind == 'r' || f->kind == '{')
			n = sc->name ? label(buf + used, size - used, used > 0, sc->name, sc->name_len, 0) : 0;
		else
			n = label(buf + used, size - used, false, NULL, 0, f->index);
		used += n > 0 ? (size_t)n : 0;
	}
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void scan_report(struct scan *sc, size_t line, bool member, const char *fmt, ...)
{
	char path[1024], where[1200];
	scan_path(sc, member, path, sizeof path);
	if (sc->override_path) {
		snprintf(where, sizeof where, "--set %s", sc->override_path);
		path[0] = '\0';
	} else {
		size_t file_line;
		const char *file = ts_source_locate(sc->src, line + sc->line_offset, &file_line);
		snprintf(where, sizeof where, "%s:%zu", file, file_line);
	}
	va_list ap;
	va_start(ap, fmt);
	source_report(sc->c, where, path, fmt, ap);
	va_end(ap);
}

static unsigned digit_value(char ch)
{
	return isdigit((unsigned char)ch) ? (unsigned)(ch - '0') : (unsigned)(tolower((unsigned char)ch) - 'a' + 10);
}

/* An integer literal libconfig would not keep: a plain one beyond 32 bits
 * (wrapped), any beyond 64 (saturated). Hex literals are bit patterns: a
 * plain one keeps up to 32 bits, an L one up to 64. */
static void check_integer(struct scan *sc, const struct token *t)
{
	const char *s = t->start, *e = s + t->len;
	int suffix = 0;
	for (; e > s && e[-1] == 'L'; e--)
		suffix++;
	bool negative = *s == '-', hex = false;
	const char *d = (*s == '-' || *s == '+') ? s + 1 : s;
	if (e - d > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
		hex = true;
		d += 2;
	}
	unsigned base = hex ? 16 : 10;
	unsigned long long magnitude = 0;
	bool overflow = false;
	for (; d < e; d++) {
		unsigned v = digit_value(*d);
		if (magnitude > (ULLONG_MAX - v) / base)
			overflow = true;
		else
			magnitude = magnitude * base + v;
	}
	bool beyond_64 = overflow || (!hex && magnitude > (unsigned long long)LLONG_MAX + negative);
	bool beyond_32 = hex ? magnitude > UINT32_MAX : magnitude > (unsigned long long)INT_MAX + negative;
	if (!beyond_64 && (suffix > 0 || !beyond_32))
		return;
	int n = (int)(t->len > 60 ? 60 : t->len);
	const char *more = t->len > 60 ? "..." : "";
	if (sc->value) {  /* value mode: the caller decides whether it is a number */
		if (!sc->value->literal[0]) {
			snprintf(sc->value->literal, sizeof sc->value->literal, "%.*s%s", n, t->start, more);
			sc->value->beyond_64 = beyond_64;
		}
		return;
	}
	if (beyond_64)
		scan_report(sc, t->line, true, "integer %.*s%s is too large even for 64 bits", n, t->start, more);
	else
		scan_report(sc, t->line, true, "integer %.*s is too large for a plain (32-bit) integer, "
			    "which libconfig would wrap; write it with the L suffix (%.*sL)", n, t->start, n, t->start);
}

/* A member of the innermost group: libconfig compares its name with every
 * earlier member's, so a group's parse is quadratic in its size. */
static void count_member(struct scan *sc, const struct token *name)
{
	struct frame *f = &sc->frames[sc->depth - 1];
	sc->name = name->start;
	sc->name_len = name->len;
	sc->comparisons += (double)f->members;
	f->members++;
	if (f->members > TS_SOURCE_MAX_GROUP_MEMBERS && !f->reported) {
		f->reported = sc->group_reported = true;
		scan_report(sc, f->line, false, "more than %d settings in one group, the most "
			    "a scenario may hold (docs/scenario.md, \"Limits\")", TS_SOURCE_MAX_GROUP_MEMBERS);
	}
	/* A group past its own limit says enough. */
	if (sc->comparisons > TS_SOURCE_MAX_NAME_COMPARISONS && !sc->budget_reported) {
		sc->budget_reported = true;
		if (sc->group_reported)
			return;
		int depth = sc->depth;
		sc->depth = 1;  /* about the whole text: no path */
		scan_report(sc, name->line, false, "too many settings in large groups: libconfig "
			    "compares each new member of a group with all earlier ones, and this text needs more "
			    "than %.0e comparisons (docs/scenario.md, \"Limits\"); write big entity tables as lists "
			    "of groups with an id, which cost none (\"Two forms of the entity tables\")",
			    TS_SOURCE_MAX_NAME_COMPARISONS);
		sc->depth = depth;
	}
}

static void open_frame(struct scan *sc, const struct token *t)
{
	if (sc->depth >= MAX_FRAMES) {
		sc->hidden++;
		return;
	}
	struct frame *parent = &sc->frames[sc->depth - 1];
	bool named = parent->kind == 'r' || parent->kind == '{';
	sc->frames[sc->depth++] = (struct frame){
		.kind = *t->start, .name = named ? sc->name : NULL, .name_len = named ? sc->name_len : 0,
		.label_index = named ? 0 : parent->index, .line = t->line,
	};
	sc->name = NULL;
}

static void close_frame(struct scan *sc)
{
	if (sc->hidden > 0)
		sc->hidden--;
	else if (sc->depth > 1)
		sc->depth--;
	sc->name = NULL;
}

static void scan_text(struct scan *sc, const char *text, size_t len)
{
	struct lexer lx;
	lexer_init(&lx, text, len);
	sc->frames[0] = (struct frame){ .kind = 'r', .line = 1 };
	sc->depth = 1;
	struct token t = next_token(&lx), next;
	for (; t.kind != TOK_END; t = next) {
		if (t.kind == TOK_OPEN_STRING || t.kind == TOK_OPEN_COMMENT) {
			sc->open = true;
			break;
		}
		next = next_token(&lx);
		struct frame *top = &sc->frames[sc->depth - 1];
		bool in_group = sc->hidden == 0 && (top->kind == 'r' || top->kind == '{');
		char ch = t.kind == TOK_PUNCT ? *t.start : '\0';
		if (t.kind == TOK_NAME && in_group && next.kind == TOK_PUNCT && (*next.start == '=' || *next.start == ':'))
			count_member(sc, &t);
		else if (t.kind == TOK_INT && sc->hidden == 0)
			check_integer(sc, &t);
		else if (ch == '{' || ch == '(' || ch == '[')
			open_frame(sc, &t);
		else if (ch == '}' || ch == ')' || ch == ']')
			close_frame(sc);
		else if (ch == ',' && !in_group && sc->hidden == 0)
			top->index++;
		else if ((ch == ';' || ch == ',') && in_group)
			sc->name = NULL;
	}
}

void ts_source_scan(ts_cfg *c, const ts_source *src, size_t first_byte)
{
	struct scan *sc = calloc(1, sizeof *sc);
	if (!sc) {
		c->nomem = true;
		return;
	}
	sc->c = c;
	sc->src = src;
	for (size_t k = 0; k < first_byte; k++)
		sc->line_offset += src->text[k] == '\n';
	scan_text(sc, src->text + first_byte, src->len - first_byte);
	free(sc);
}

bool ts_source_scan_value(ts_cfg *c, const char *value, const char *override_path, ts_value_scan *out)
{
	*out = (ts_value_scan){ .literal = "" };
	struct scan *sc = calloc(1, sizeof *sc);
	if (!sc) {
		c->nomem = true;
		return false;
	}
	int before = c->n_errors;
	sc->c = c;
	sc->override_path = override_path;
	sc->value = out;
	scan_text(sc, value, strlen(value));
	out->open = sc->open;
	free(sc);
	return c->n_errors == before;
}
