#ifndef TS_OUTPUT_JSON_H
#define TS_OUTPUT_JSON_H
/* The pieces of JSON that run.json and sweep.json are written from. */
#include <stddef.h>
#include <stdio.h>
#include <tradesim/scenario.h>

/* Writes `text` (NULL: "") quoted and escaped as JSON (RFC 8259): '"', '\'
 * and control characters escaped, well-formed UTF-8 copied, and every byte
 * that is not part of well-formed UTF-8 (a Latin-1 file name, a truncated
 * sequence) written as U+FFFD, so that the file is valid JSON whatever a
 * user typed. */
void ts_json_string(FILE *fp, const char *text);

/* `"overrides": [...],\n` with one {"path": ..., "value": ...} per override,
 * indented for run.json. */
void ts_json_overrides(FILE *fp, const ts_override *overrides, size_t n);

#endif
