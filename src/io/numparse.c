/*
 * Locale-independent decimal number parsing (io layer): a grammar scanner for
 * the numbers statistics tables hold ("1,234.5", "1.234,5", "-0", "2.5e-3"),
 * missing-value markers, and correctly rounded conversion to double.
 * References: Clinger (1990), "How to read floating point numbers accurately",
 * PLDI '90 (the exact fast path); IEEE 754-2008 section 5.12 (correct rounding).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io_int.h"
#include "tfp/io.h"

/* tfp_exact_pow10 (io_int.h): every power of ten up to 10^22, exactly (5^22 < 2^53), so one
 * multiplication or division by an entry rounds once: Clinger's fast path. */
#define EXACT_POW10_MAX 22

static const uint64_t pow10_u64[] = {1u,
                                     10u,
                                     100u,
                                     1000u,
                                     10000u,
                                     100000u,
                                     1000000u,
                                     10000000u,
                                     100000000u,
                                     1000000000u,
                                     10000000000u,
                                     100000000000u,
                                     1000000000000u,
                                     10000000000000u,
                                     100000000000000u,
                                     1000000000000000u,
                                     10000000000000000u,
                                     100000000000000000u,
                                     1000000000000000000u,
                                     10000000000000000000u};

/* A uint64 holds any 19-digit decimal integer (10^19 - 1 < 2^64). */
#define U64_DIGITS 19
/* Integers up to 2^53 convert to double exactly. */
#define EXACT_INT_MAX (UINT64_C(1) << DBL_MANT_DIG)

/* The exact midpoint between two adjacent doubles has at most 767 significant
 * decimal digits. Keeping 768 digits and, when any later digit is non-zero, one
 * more non-zero "sticky" digit puts the shortened number on the same side of
 * every midpoint as the full one, so strtod rounds both alike. */
#define SIG_DIGITS_KEPT 768
/* Exponents beyond this make every kept significand overflow or underflow;
 * clamping them keeps the text handed to strtod short. */
#define EXPONENT_CLAMP 99999
/* Sign, digits, sticky digit, 'e', exponent sign and digits, NUL. */
#define STRTOD_BUF_SIZE (1 + SIG_DIGITS_KEPT + 1 + 2 + 6 + 1)

static int
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The significand as scanned: its first U64_DIGITS significant digits exactly
 * (trailing zeros deferred so that "1500000000000000000000" still fits), and
 * the count of all significant digits. */
typedef struct digits {
    uint64_t m;    /* significant digits without the deferred zeros */
    int64_t m_len; /* decimal digits in m */
    int64_t zeros; /* zeros seen after the last non-zero digit */
    int64_t nsig;  /* digits from the first non-zero one on */
    int inexact;   /* m could not hold every non-zero digit */
} digits;

static void
digits_add(digits *d, int v)
{
    if (v == 0) {
        if (d->nsig > 0) {
            d->nsig++;
            d->zeros++;
        }
        return;
    }
    d->nsig++;
    if (!d->inexact && d->m_len + d->zeros + 1 <= U64_DIGITS) {
        d->m = d->m * pow10_u64[d->zeros + 1] + (uint64_t)v;
        d->m_len += d->zeros + 1;
    } else {
        d->inexact = 1;
    }
    d->zeros = 0;
}

static int
is_missing(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '-') || (n == 2 && memcmp(s, "NA", 2) == 0) ||
           (n == 2 && memcmp(s, "..", 2) == 0) || (n == 4 && memcmp(s, "#N/A", 4) == 0);
}

/* Writes the significant digits of [s, end) (the integer and fraction parts;
 * separators, the decimal mark and leading zeros are left out), shortened as described
 * at SIG_DIGITS_KEPT, followed by "e" and exp10 adjusted for the digits left
 * out, and returns strtod's value. The text has no decimal point, so the
 * locale's decimal point cannot change how strtod reads it. */
static double
slow_path(const char *s, const char *end, int neg, int64_t nsig, int64_t exp10)
{
    char buf[STRTOD_BUF_SIZE];
    size_t k = 0;
    int64_t kept = 0;
    int sticky = 0;
    int started = 0;
    int64_t e;
    const char *p;
    char *tail;

    if (neg)
        buf[k++] = '-';
    for (p = s; p < end; p++) {
        if (!is_digit(*p))
            continue;
        if (!started && *p == '0')
            continue;
        started = 1;
        if (kept < SIG_DIGITS_KEPT) {
            buf[k++] = *p;
            kept++;
        } else if (*p != '0') {
            sticky = 1;
            break;
        }
    }
    if (sticky) {
        buf[k++] = '1';
        kept++;
    }
    /* value = digits * 10^exp10 with nsig digits; kept of them were written. */
    e = exp10 + (nsig - kept);
    if (e > EXPONENT_CLAMP)
        e = EXPONENT_CLAMP;
    if (e < -EXPONENT_CLAMP)
        e = -EXPONENT_CLAMP;
    buf[k++] = 'e';
    if (e < 0) {
        buf[k++] = '-';
        e = -e;
    }
    {
        char rev[8];
        size_t r = 0;
        do {
            rev[r++] = (char)('0' + (int)(e % 10));
            e /= 10;
        } while (e > 0);
        while (r > 0)
            buf[k++] = rev[--r];
    }
    buf[k] = '\0';
    return strtod(buf, &tail);
}

int
tfp_number_parse(const char *s, size_t n, char decimal, double *out)
{
    const char *p, *end, *digits_start, *digits_end;
    char sep = decimal == ',' ? '.' : ',';
    int neg = 0, seen_sep = 0, any_digit = 0;
    int64_t group = 0, nfrac = 0, exp_part = 0, exp10;
    digits d = {0, 0, 0, 0, 0};
    double v;

    if (tfp_number_parse_simple(s, n, decimal, out))
        return TFP_NUM_OK;
    *out = NAN;
    p = s;
    end = s + n;
    while (p < end && is_blank(*p))
        p++;
    while (end > p && is_blank(end[-1]))
        end--;
    if (is_missing(p, (size_t)(end - p)))
        return TFP_NUM_MISSING;

    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    digits_start = p;

    /* Integer part, with optional thousands separators between groups of
     * three digits. The first group holds 1-3 digits and may not start with
     * 0: "0,123" is far more likely a decimal written with the other mark
     * than the number 123, and reading it as 123 would be silently wrong. */
    while (p < end) {
        if (is_digit(*p)) {
            digits_add(&d, *p - '0');
            group++;
            any_digit = 1;
            p++;
        } else if (*p == sep) {
            if (seen_sep ? group != 3 : (group < 1 || group > 3 || *digits_start == '0'))
                return TFP_NUM_BAD;
            seen_sep = 1;
            group = 0;
            p++;
        } else {
            break;
        }
    }
    if (seen_sep && group != 3)
        return TFP_NUM_BAD;

    /* Fraction: "5." and ".11019" are both numbers. */
    if (p < end && *p == decimal) {
        p++;
        while (p < end && is_digit(*p)) {
            digits_add(&d, *p - '0');
            nfrac++;
            any_digit = 1;
            p++;
        }
    }
    if (!any_digit)
        return TFP_NUM_BAD;
    digits_end = p;

    /* Exponent; its value saturates far beyond any double's range. */
    if (p < end && (*p == 'e' || *p == 'E')) {
        int eneg = 0;
        int edigits = 0;
        p++;
        if (p < end && (*p == '+' || *p == '-')) {
            eneg = *p == '-';
            p++;
        }
        while (p < end && is_digit(*p)) {
            if (exp_part < 100000000)
                exp_part = exp_part * 10 + (*p - '0');
            edigits++;
            p++;
        }
        if (edigits == 0)
            return TFP_NUM_BAD;
        if (eneg)
            exp_part = -exp_part;
    }
    if (p != end)
        return TFP_NUM_BAD;

    if (d.nsig == 0) {
        *out = neg ? -0.0 : 0.0;
        return TFP_NUM_OK;
    }

    /* value = (all significant digits) * 10^exp10 */
    exp10 = exp_part - nfrac;

#if FLT_EVAL_METHOD == 0
    /* Clinger's fast path: m and 10^|e| are exact doubles and IEEE
     * arithmetic rounds the one product or quotient correctly. It needs
     * double evaluation without extra precision (FLT_EVAL_METHOD 0). */
    if (!d.inexact && d.m <= EXACT_INT_MAX) {
        int64_t e = exp10 + d.zeros;
        double m = (double)d.m;
        if (e >= 0 && e <= EXACT_POW10_MAX) {
            v = m * tfp_exact_pow10[e];
            *out = neg ? -v : v;
            return TFP_NUM_OK;
        }
        if (e < 0 && e >= -EXACT_POW10_MAX) {
            v = m / tfp_exact_pow10[-e];
            *out = neg ? -v : v;
            return TFP_NUM_OK;
        }
        /* 123e25 = (123 * 10^3) * 10^22 while 123 * 10^3 is still exact. */
        if (e > EXACT_POW10_MAX && e - EXACT_POW10_MAX < U64_DIGITS) {
            uint64_t scale = pow10_u64[e - EXACT_POW10_MAX];
            if (d.m <= EXACT_INT_MAX / scale) {
                v = (double)(d.m * scale) * tfp_exact_pow10[EXACT_POW10_MAX];
                *out = neg ? -v : v;
                return TFP_NUM_OK;
            }
        }
    }
#endif

    v = slow_path(digits_start, digits_end, neg, d.nsig, exp10);
    *out = v;
    return isinf(v) ? TFP_NUM_RANGE : TFP_NUM_OK;
}
