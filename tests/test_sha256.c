/* SHA-256 (sim/util/sha256.c) against known digests: the FIPS 180-4 example
 * vectors (NIST's "SHA-256 examples" and the one-million-'a' test of
 * FIPS 180-2, appendix B.3), and messages whose lengths sit on either side of
 * the padding's edges (55 bytes fit the length in the first block, 56 do
 * not; 64 fill a block exactly). The boundary digests were computed with an
 * independent implementation (Python's hashlib). The one-block vectors
 * ("abc", "", the 448-bit one) are pinned in test_scenario.c's sha256 group. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "util/sha256.h"

/* 896 bits: two blocks of message, a third of padding. */
static const char two_block_message[] =
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	"ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
static const char two_block_digest[] = "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";

static void hex_of(const unsigned char digest[32], char hex[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

static void the_896_bit_fips_vector_hashes_to_its_published_digest(void **state)
{
	(void)state;
	char hex[65];
	ts_sha256_hex(two_block_message, strlen(two_block_message), hex);
	assert_string_equal(hex, two_block_digest);
}

static void one_million_repetitions_of_a_hash_to_the_fips_digest(void **state)
{
	(void)state;
	enum { N = 1000000 };
	char *a = malloc(N);
	assert_non_null(a);
	memset(a, 'a', N);
	char hex[65];
	ts_sha256_hex(a, N, hex);
	free(a);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* n copies of 'a', for n on either side of 56 (room for the 8-byte length
 * in the last block) and of 64 (a full block) and 120 (56 + 64). */
static void messages_around_the_padding_edges_hash_to_their_known_digests(void **state)
{
	(void)state;
	static const struct { size_t n; const char *digest; } cases[] = {
		{55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
		{56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
		{57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
		{63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
		{64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
		{65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
		{119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
		{120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
	};
	char a[120], hex[65];
	memset(a, 'a', sizeof a);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		ts_sha256_hex(a, cases[k].n, hex);
		if (strcmp(hex, cases[k].digest) != 0)
			fail_msg("%zu bytes: %s, expected %s", cases[k].n, hex, cases[k].digest);
	}
}

/* Every split of the two-block message into two updates, so that the first
 * update ends before, at and after the block edge at byte 64. */
static void a_message_split_at_any_byte_hashes_as_in_one_piece(void **state)
{
	(void)state;
	size_t n = strlen(two_block_message);
	char hex[65];
	for (size_t cut = 0; cut <= n; cut++) {
		ts_sha256 ctx;
		unsigned char digest[32];
		ts_sha256_init(&ctx);
		ts_sha256_update(&ctx, two_block_message, cut);
		ts_sha256_update(&ctx, two_block_message + cut, n - cut);
		ts_sha256_final(&ctx, digest);
		hex_of(digest, hex);
		if (strcmp(hex, two_block_digest) != 0)
			fail_msg("split at %zu: %s", cut, hex);
	}
}

/* init starts afresh: a context reused after a digest gives the same digest. */
static void a_context_initialised_again_forgets_the_previous_message(void **state)
{
	(void)state;
	ts_sha256 ctx;
	unsigned char digest[32];
	char hex[65];
	ts_sha256_init(&ctx);
	ts_sha256_update(&ctx, "something else entirely", 23);
	ts_sha256_final(&ctx, digest);
	ts_sha256_init(&ctx);
	ts_sha256_update(&ctx, two_block_message, strlen(two_block_message));
	ts_sha256_final(&ctx, digest);
	hex_of(digest, hex);
	assert_string_equal(hex, two_block_digest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_896_bit_fips_vector_hashes_to_its_published_digest),
		cmocka_unit_test(one_million_repetitions_of_a_hash_to_the_fips_digest),
		cmocka_unit_test(messages_around_the_padding_edges_hash_to_their_known_digests),
		cmocka_unit_test(a_message_split_at_any_byte_hashes_as_in_one_piece),
		cmocka_unit_test(a_context_initialised_again_forgets_the_previous_message),
	};
	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
