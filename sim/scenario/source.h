#ifndef TS_SOURCE_H
#define TS_SOURCE_H
/* A scenario's source text before libconfig reads it (source.c).
 *
 * Expansion: every `@include "FILE"` directive is replaced by the text of
 * FILE, read through textfile.c (regular files, size limit), absolute names
 * as they are and relative ones against the include directory; a map from
 * each line of the result back to its file and line locates what libconfig
 * reads from it.
 *
 * Scan: a small lexer over the tokens (strings and comments skipped) reports
 * what libconfig 1.5 would get wrong without a word: integer literals that do
 * not fit in 32 bits and have no L suffix (wrapped), or not in 64 bits at all
 * (saturated), each at its FILE:LINE with the setting's path and the
 * literal; and groups so large that libconfig's parser, which compares each
 * new member of a group with all earlier ones, would take minutes. */
#include <stdbool.h>
#include <stddef.h>
#include "scenario/cfgcheck.h"
#include "scenario/limits.h"

/* Most members of one group: the largest entity group a scenario may hold
 * (firms, docs/scenario.md "Limits"). */
#define TS_SOURCE_MAX_GROUP_MEMBERS TS_MAX_FIRMS
/* Most bytes of a text with its includes: libconfig's tree takes about 35
 * times its text (a 14 MiB file of one-line settings took 0.5 GB), and a
 * 25,000-firm scenario needs about 5 MiB. */
#define TS_SOURCE_MAX_BYTES (16L * 1024 * 1024)
/* Most name comparisons libconfig's parser may make over all groups (each
 * new member of a group is compared with every earlier one): a scenario at
 * every entity limit needs about half of it. */
#define TS_SOURCE_MAX_NAME_COMPARISONS 1000000000.0
/* Deepest chain of files including each other, as in libconfig 1.5. */
#define TS_SOURCE_MAX_INCLUDE_DEPTH 10

/* Expanded lines from `line` on (until the next span) come from file `file`,
 * from its line `file_line` on. */
struct ts_source_span {
	size_t line;
	int file;
	size_t file_line;
};

typedef struct ts_source {
	char *text;                  /* expanded, NUL-terminated */
	size_t len;
	char **files;                /* names as messages show them; [0] the main text's */
	int n_files;
	struct ts_source_span *spans;
	size_t n_spans, cap_spans;
	size_t cap_text, cap_files;
	size_t lines;                /* lines of text so far (expansion) */
} ts_source;

/* Expands text (the main file, named c->name; includes resolved against
 * c->include_dir) into *src, which the caller frees with ts_source_free()
 * whatever happens. Reports through c (n_errors, err; nomem): an include
 * that cannot be read or is nested too deep, a file ending inside a string
 * or comment, a result larger than TS_SOURCE_MAX_BYTES. */
void ts_source_expand(ts_source *src, ts_cfg *c, const char *text);
/* Appends the expansion of another file's text (the base of a variant),
 * named `name` in messages, its includes resolved against include_dir, on
 * lines after those of the text so far; reports as ts_source_expand does.
 * Returns the byte of src->text where the file's expansion begins. */
size_t ts_source_append(ts_source *src, ts_cfg *c, const char *text, const char *name, const char *include_dir);
void ts_source_free(ts_source *src);

/* The path a file name written in a scenario opens (an include, a
 * variant's base): absolute as written, else against dir (NULL, "" or ".":
 * the working directory). */
void ts_source_path(const char *dir, const char *name, char *buf, size_t size);

/* The file name and line that line `line` of the expanded text came from. */
const char *ts_source_locate(const ts_source *src, size_t line, size_t *file_line);

/* Scans the expanded text from byte first_byte on (0: all of it; a file
 * appended: where ts_source_append began it) and reports through c,
 * located through src. */
void ts_source_scan(ts_cfg *c, const ts_source *src, size_t first_byte);

/* What the scan finds in the text of a `--set PATH=VALUE` value. */
typedef struct ts_value_scan {
	char literal[128];           /* the first integer literal libconfig would not keep, or "" */
	bool beyond_64;              /* that literal does not fit in 64 bits either */
	bool open;                   /* the text ends inside a string or a comment: no
				      * libconfig value (and libconfig 1.5 leaks its string
				      * buffer reading it) */
} ts_value_scan;

/* Scans an override's value: reports a group too large to parse as
 * "--set PATH: ..." through c and returns false if so; else fills *out.
 * Whether a lost literal matters depends on whether the value reads as
 * libconfig at all (else it is a bare string). */
bool ts_source_scan_value(ts_cfg *c, const char *value, const char *override_path, ts_value_scan *out);

#endif
