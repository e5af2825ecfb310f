/* JSON text: strings escaped so that any bytes make valid JSON. */
#include "output/json.h"

/* Length of the well-formed UTF-8 sequence at p (Unicode 15, table 3-7:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or 0. */
static int utf8_length(const unsigned char *p)
{
	unsigned char c = p[0];
	int n;
	unsigned char lo = 0x80, hi = 0xBF;  /* range of the second byte */
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		lo = c == 0xE0 ? 0xA0 : 0x80;    /* E0 80..9F: overlong */
		hi = c == 0xED ? 0x9F : 0xBF;    /* ED A0..BF: surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		lo = c == 0xF0 ? 0x90 : 0x80;    /* F0 80..8F: overlong */
		hi = c == 0xF4 ? 0x8F : 0xBF;    /* F4 90..: above U+10FFFF */
	} else {
		return 0;                        /* 80..C1 lead, F5..FF */
	}
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (int k = 2; k < n; k++)
		if (p[k] < 0x80 || p[k] > 0xBF)  /* a NUL ends the sequence here too */
			return 0;
	return n;
}

void ts_json_string(FILE *fp, const char *text)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p;) {
		if (*p == '"' || *p == '\\') {
			fprintf(fp, "\\%c", *p++);
		} else if (*p < 0x20) {
			fprintf(fp, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, fp);
		} else {
			int n = utf8_length(p);
			if (n == 0) {
				fputs("\\ufffd", fp);  /* the replacement character, one per bad byte */
				p++;
			} else {
				fwrite(p, 1, (size_t)n, fp);
				p += n;
			}
		}
	}
	fputc('"', fp);
}

void ts_json_overrides(FILE *fp, const ts_override *overrides, size_t n)
{
	fputs("  \"overrides\": [", fp);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", fp);
		ts_json_string(fp, overrides[i].path);
		fputs(", \"value\": ", fp);
		ts_json_string(fp, overrides[i].value);
		fputc('}', fp);
	}
	fputs(n ? "\n  ],\n" : "],\n", fp);
}
