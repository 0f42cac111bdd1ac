/*
 * util layer: SHA-256 against the published test vectors. "abc" and the
 * 448-bit message are the examples of NIST's FIPS 180-4 example document
 * (csrc.nist.gov, "SHA256.pdf", Examples with Intermediate Values); the empty
 * message and one million "a" are the vectors of NIST's Cryptographic
 * Algorithm Validation Program and of RFC 6234 section 8.5 (TEST3).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/sha256.h"
#include "tfp_test.h"

TestSuite(sha256, .init = quiet_gsl);

static const char *
digest_of(const char *msg, size_t n, size_t chunk, char hex[TFP_SHA256_HEX])
{
    tfp_sha256 s;
    unsigned char d[TFP_SHA256_SIZE];
    size_t i;
    tfp_sha256_init(&s);
    for (i = 0; i < n; i += chunk)
        tfp_sha256_update(&s, msg + i, n - i < chunk ? n - i : chunk);
    tfp_sha256_final(&s, d);
    tfp_sha256_hex(d, hex);
    return hex;
}

Test(sha256, fips_180_4_abc)
{
    char hex[TFP_SHA256_HEX];
    cr_assert_str_eq(digest_of("abc", 3, 3, hex),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* 448 bits: the padding needs a second block (FIPS 180-4 example 2). Fed
 * at every chunk size from 1 to 56 bytes, so that every split of the
 * buffered block is crossed. */
Test(sha256, fips_180_4_two_block_message_at_every_chunk_size)
{
    static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[TFP_SHA256_HEX];
    size_t chunk;
    cr_assert_eq(strlen(msg), 56u);
    for (chunk = 1; chunk <= 56; chunk++)
        cr_assert_str_eq(digest_of(msg, 56, chunk, hex),
                         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                         "chunk %zu", chunk);
}

Test(sha256, empty_message)
{
    char hex[TFP_SHA256_HEX];
    cr_assert_str_eq(digest_of("", 0, 1, hex),
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(sha256, one_million_a)
{
    static char msg[1000000];
    char hex[TFP_SHA256_HEX];
    memset(msg, 'a', sizeof msg);
    cr_assert_str_eq(digest_of(msg, sizeof msg, 4096, hex),
                     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* 55 and 64 bytes: the last lengths that pad into one block and the first
 * that needs a block of padding alone. Digests from coreutils' sha256sum
 * (printf 'a%.0s' $(seq 55) | sha256sum), an implementation independent of this one. */
Test(sha256, padding_boundaries)
{
    char msg[64], hex[TFP_SHA256_HEX];
    memset(msg, 'a', sizeof msg);
    cr_assert_str_eq(digest_of(msg, 55, 55, hex),
                     "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    cr_assert_str_eq(digest_of(msg, 64, 7, hex),
                     "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}
