/*
 * SHA-256 message digest (util layer), for the input file's fingerprint in
 * reports: a reader can check that a report was made from the file at hand.
 * Reference: NIST FIPS 180-4, Secure Hash Standard (2015), sections 4.1.2,
 * 4.2.2, 5.1.1, 5.3.3 and 6.2.
 */
#ifndef TFP_SHA256_H
#define TFP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define TFP_SHA256_SIZE 32 /* digest bytes */
#define TFP_SHA256_HEX  65 /* hexadecimal digest with its NUL */

/* Running state; caller storage (init/update/final, no heap). */
typedef struct tfp_sha256 {
    uint32_t h[8];   /* intermediate hash value H(i) */
    uint64_t nbytes; /* message length so far, in bytes */
    unsigned char block[64];
    size_t nblock; /* bytes waiting in block */
} tfp_sha256;

void tfp_sha256_init(tfp_sha256 *s);
/* Adds n bytes at data (borrowed; may be NULL when n is 0). */
void tfp_sha256_update(tfp_sha256 *s, const void *data, size_t n);
/* Pads the message, writes the 32-byte digest to out and leaves s spent
 * (call tfp_sha256_init to reuse it). */
void tfp_sha256_final(tfp_sha256 *s, unsigned char out[TFP_SHA256_SIZE]);
/* The digest as 64 lower-case hexadecimal digits and a NUL, into hex. */
void tfp_sha256_hex(const unsigned char digest[TFP_SHA256_SIZE], char hex[TFP_SHA256_HEX]);

#endif /* TFP_SHA256_H */
