#ifndef TS_SHA256_H
#define TS_SHA256_H
/* SHA-256 (FIPS 180-4), for the scenario hash recorded with every run. */
#include <stddef.h>
#include <stdint.h>

typedef struct ts_sha256 {
	uint32_t state[8];
	uint64_t total_bytes;
	unsigned char block[64];
	size_t block_used;
} ts_sha256;

void ts_sha256_init(ts_sha256 *ctx);
void ts_sha256_update(ts_sha256 *ctx, const void *data, size_t len);
void ts_sha256_final(ts_sha256 *ctx, unsigned char digest[32]);

/* One-shot digest of data as 64 lowercase hex digits plus NUL. */
void ts_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
