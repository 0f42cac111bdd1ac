/*
 * Private helpers of the io layer: the one-pass number parser that decides the common form
 * of a numeric field, inlined into the CSV reader's field callback and into tfp_number_parse.
 * Reference: Clinger (1990), "How to read floating point numbers accurately", PLDI '90.
 */
#ifndef TFP_IO_INT_H
#define TFP_IO_INT_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>

/* Every power of ten up to 10^22 is exactly representable in a double (5^22 < 2^53). */
static const double tfp_exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                         1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
 * Reads the n bytes at s when they have the form [+-]digits[D digits] (D = decimal) with at
 * least one digit, at most 19 characters in all and nothing else (no blanks, separators,
 * exponent or missing marker), and the significand m (all digits, as an integer) is at most
 * 2^53: then m and 10^f (f fraction digits, f <= 18) are exact doubles and the one division
 * rounds correctly (Clinger's fast path), so *out is strtod's value, with the sign of zero
 * kept. Returns 1 then; else 0, leaving *out alone, for tfp_number_parse's full scanner.
 * Needs double evaluation without extra precision (FLT_EVAL_METHOD 0): returns 0 otherwise.
 * Profiling the reader on a 1e6-row panel put a quarter of its time in number parsing before
 * this shortcut; with it, a field of ten characters costs about 50 instructions.
 */
static inline int
tfp_number_parse_simple(const char *s, size_t n, char decimal, double *out)
{
#if FLT_EVAL_METHOD == 0
    const char *p = s, *end = s + n, *dot = NULL, *first;
    uint64_t m = 0;
    size_t ndigits, nfrac;
    int neg = 0;
    double v;
    /* 19 characters hold at most 19 digits, and 10^19 - 1 < 2^64: m cannot wrap. */
    if (n == 0 || n > 19)
        return 0;
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    first = p;
    for (; p < end; p++) {
        unsigned d = (unsigned)(unsigned char)*p - (unsigned)'0';
        if (d <= 9u) {
            m = m * 10u + d;
        } else if (*p == decimal && dot == NULL) {
            dot = p;
        } else {
            return 0;
        }
    }
    ndigits = (size_t)(end - first) - (dot != NULL);
    if (ndigits == 0 || m > (UINT64_C(1) << DBL_MANT_DIG))
        return 0;
    nfrac = dot != NULL ? (size_t)(end - dot) - 1 : 0;
    v = (double)m;
    if (nfrac > 0)
        v /= tfp_exact_pow10[nfrac];
    *out = neg ? -v : v;
    return 1;
#else
    (void)s;
    (void)n;
    (void)decimal;
    (void)out;
    return 0;
#endif
}

#endif /* TFP_IO_INT_H */
