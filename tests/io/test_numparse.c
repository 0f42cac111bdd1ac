/*
 * io layer: tfp_number_parse. Hand cases whose doubles are derived below, and
 * a bitwise comparison with the C library's strtod (C locale) on 200000
 * random decimal strings and on the exact midpoints between adjacent doubles.
 * References: Clinger (1990); IEEE 754-2008 section 5.12.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/io.h"
#include "tfp_test.h"

TestSuite(numparse, .init = quiet_gsl);

static int
parse(const char *s, char decimal, double *v)
{
    return tfp_number_parse(s, strlen(s), decimal, v);
}

static int
same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

#define assert_parses(text, decimal, want)                                                         \
    do {                                                                                           \
        double got_;                                                                               \
        int rc_ = parse((text), (decimal), &got_);                                                 \
        cr_assert_eq(rc_, TFP_NUM_OK, "\"%s\": code %d", (text), rc_);                             \
        cr_assert(same_bits(got_, (want)), "\"%s\" = %a, want %a", (text), got_, (double)(want));  \
    } while (0)

#define assert_code(text, decimal, code)                                                           \
    do {                                                                                           \
        double got_;                                                                               \
        int rc_ = parse((text), (decimal), &got_);                                                 \
        cr_assert_eq(rc_, (code), "\"%s\": code %d, want %d", (text), rc_, (code));                \
    } while (0)

/* ---- hand cases ---------------------------------------------------------- */

Test(numparse, rounds_classic_hard_cases_correctly)
{
    /* 0.1 lies between 0x1.9999999999999p-4 and 0x1.999999999999ap-4 and is
     * nearer the latter (0.1 * 2^56 = 7205759403792793.6, rounded up). */
    assert_parses("0.1", '.', 0x1.999999999999ap-4);
    /* 1e23 lies between 99999999999999991611392 (0x1.52d02c7e14af6p+76) and
     * 100000000000000008388608 (0x1.52d02c7e14af7p+76), 8388608 from each:
     * a tie, which goes to the even significand ...af6. */
    assert_parses("1e23", '.', 0x1.52d02c7e14af6p+76);
    /* 2^53 + 1 is halfway between 2^53 and 2^53 + 2; ties go to even, 2^53. */
    assert_parses("9007199254740993", '.', 0x1p53);
    /* The largest subnormal, 2^-1022 - 2^-1074 = 2.225073858507200889e-308;
     * the text is within half an ulp of it (the input that hung PHP). */
    assert_parses("2.2250738585072011e-308", '.', 0x0.fffffffffffffp-1022);
    /* The smallest subnormal is 2^-1074 = 4.940656458412465e-324. */
    assert_parses("4.9e-324", '.', 0x1p-1074);
    /* DBL_MAX = (2 - 2^-52) * 2^1023 = 1.7976931348623157081e308. */
    assert_parses("1.7976931348623157e308", '.', 0x1.fffffffffffffp+1023);
    /* 2^-1075 = 2.4703282292062327209e-324 is the midpoint between 0 and the
     * smallest subnormal: just below rounds to 0, just above to 2^-1074. */
    assert_parses("2.4703282292062327e-324", '.', 0.0);
    assert_parses("2.4703282292062328e-324", '.', 0x1p-1074);
    /* The exact value of the double nearest 0.1, written out in full. */
    assert_parses("0.1000000000000000055511151231257827021181583404541015625", '.',
                  0x1.999999999999ap-4);
}

Test(numparse, fast_path_handles_exponents_past_22_when_exact)
{
    /* 123e25 = 123000 * 10^22, both factors exact: 1.23e27 correctly rounded. */
    assert_parses("123e25", '.', 1.23e27);
    /* Trailing zeros are deferred: 15 followed by 20 zeros is 1.5e21. */
    assert_parses("1500000000000000000000", '.', 1.5e21);
    /* 0.000123 = 123 / 10^6. */
    assert_parses("0.000123", '.', 123e-6);
}

Test(numparse, reads_thousands_separators_and_either_decimal_mark)
{
    /* 1,234,567.25 = 1234567 + 1/4, exact in binary. */
    assert_parses("1,234,567.25", '.', 1234567.25);
    /* With ',' as the decimal mark, '.' separates thousands: 1234 + 1/2. */
    assert_parses("1.234,5", ',', 1234.5);
    assert_parses("1,234", '.', 1234.0);
    /* The same text with ',' decimal is one and 234 thousandths. */
    assert_parses("1,234", ',', 1.234);
    assert_parses("-12.345.678,125", ',', -12345678.125);
    assert_parses(".11019", '.', 0.11019);
    assert_parses("5.", '.', 5.0);
    assert_parses(",75", ',', 0.75);
}

Test(numparse, keeps_signs_and_trims_blanks)
{
    double v;
    cr_assert_eq(parse("-0", '.', &v), TFP_NUM_OK);
    cr_assert(v == 0.0 && signbit(v), "-0 must stay negative zero");
    cr_assert_eq(parse("-0.000e12", '.', &v), TFP_NUM_OK);
    cr_assert(v == 0.0 && signbit(v));
    assert_parses("+3", '.', 3.0);
    assert_parses("  7 ", '.', 7.0);
    assert_parses("\t-2.5\t", '.', -2.5);
    assert_parses("2.5E+3", '.', 2500.0);
    assert_parses("2.5e-3", '.', 0.0025);
}

Test(numparse, reads_only_the_n_bytes_given)
{
    double v;
    /* "12345" cut after 3 bytes is 123. */
    cr_assert_eq(tfp_number_parse("12345", 3, '.', &v), TFP_NUM_OK);
    cr_assert(same_bits(v, 123.0));
    cr_assert_eq(tfp_number_parse("7x", 1, '.', &v), TFP_NUM_OK);
    cr_assert(same_bits(v, 7.0));
}

Test(numparse, treats_missing_markers_as_missing)
{
    static const char *const markers[] = {"", "   ", "NA", " .. ", "-", "#N/A", "\t-\t"};
    size_t i;
    for (i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        double v = 1.0;
        cr_assert_eq(parse(markers[i], '.', &v), TFP_NUM_MISSING, "\"%s\"", markers[i]);
        cr_assert(isnan(v), "\"%s\" must give NaN", markers[i]);
    }
}

Test(numparse, rejects_text_outside_the_grammar)
{
    static const char *const bad[] = {
        "1,23",     "12,5a",    "12,5%",     "1 234", "inf",   "nan",   "NaN",   "Infinity", "0x10",
        "#DIV/0!",  "1e",       "1e+",       ".",     "+",     "--1",   "+-1",   "1,,234",   ",123",
        "1234,567", "1,234,56", "0,123",     "1.2.3", "1e5.5", "12%",   "1_000", "1.5d3",    "- 1",
        "na",       "N/A",      "1,234.5.6", "1,",    "e5",    "1e5e5", "١٢"};
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 0.0;
        cr_assert_eq(parse(bad[i], '.', &v), TFP_NUM_BAD, "\"%s\" must be rejected", bad[i]);
        cr_assert(isnan(v));
    }
    /* With ',' as the decimal mark, '.' groups must hold three digits. */
    assert_code("1.23", ',', TFP_NUM_BAD);
    assert_code("1.234.5", ',', TFP_NUM_BAD);
    assert_code("1,5,0", ',', TFP_NUM_BAD);
}

Test(numparse, reports_overflow_and_accepts_underflow)
{
    double v;
    cr_assert_eq(parse("1e999", '.', &v), TFP_NUM_RANGE);
    cr_assert(isinf(v) && v > 0);
    cr_assert_eq(parse("-1e999", '.', &v), TFP_NUM_RANGE);
    cr_assert(isinf(v) && v < 0);
    /* Above DBL_MAX's midpoint to 2^1024 (1.797693134862315807937e308). */
    cr_assert_eq(parse("1.7976931348623159e308", '.', &v), TFP_NUM_RANGE);
    cr_assert_eq(parse("1e99999999999999999999", '.', &v), TFP_NUM_RANGE);
    assert_parses("1e-400", '.', 0.0);
    cr_assert_eq(parse("-1e-400", '.', &v), TFP_NUM_OK);
    cr_assert(v == 0.0 && signbit(v));
    assert_parses("1e-99999999999999999999", '.', 0.0);
    assert_parses("0e999", '.', 0.0);
}

Test(numparse, keeps_digits_beyond_the_first_768_as_sticky)
{
    /* 1 + 2^-53 = 1.00000000000000011102230246251565404236316680908203125
     * exactly (2^-53 has 53 significant decimal digits) and is the midpoint
     * between 1 and 1 + 2^-52: it ties to the even one, 1.0. Any further
     * non-zero digit, however far out, must round up to 1 + 2^-52. */
    static char text[1200];
    const char *tie = "1.00000000000000011102230246251565404236316680908203125";
    size_t k;
    assert_parses(tie, '.', 1.0);
    k = (size_t)snprintf(text, sizeof text, "%s", tie);
    memset(text + k, '0', 900);
    text[k + 900] = '1';
    text[k + 901] = '\0';
    assert_parses(text, '.', 0x1.0000000000001p0);
    /* Zeros alone beyond the kept digits change nothing. */
    text[k + 900] = '0';
    assert_parses(text, '.', 1.0);
}

/* ---- bitwise comparison with strtod ------------------------------------- */

/* splitmix64: a deterministic generator, so that failures reproduce. */
static uint64_t
next_u64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static unsigned
below(uint64_t *state, unsigned n)
{
    return (unsigned)(next_u64(state) % n);
}

/* A random decimal in C syntax into buf; returns the length. */
static size_t
random_decimal(uint64_t *st, char *buf, size_t cap)
{
    size_t k = 0, i, nint, nfrac;
    unsigned r = below(st, 100);
    int long_form = r < 3;
    if (below(st, 4) == 0)
        buf[k++] = '-';
    else if (below(st, 10) == 0)
        buf[k++] = '+';
    if (long_form) {
        nint = below(st, 400);
        nfrac = below(st, 500);
    } else {
        nint = below(st, 21);
        nfrac = below(st, 2) ? below(st, 26) : 0;
    }
    if (nint + nfrac == 0)
        nint = 1;
    if (nint + nfrac + 16 > cap)
        nfrac = 0;
    for (i = 0; i < nint; i++) {
        /* Leading zeros now and then; otherwise any digit. */
        buf[k++] = (char)('0' + (i == 0 && below(st, 3) == 0 ? 0 : (int)below(st, 10)));
    }
    if (nfrac > 0 || below(st, 8) == 0) {
        buf[k++] = '.';
        for (i = 0; i < nfrac; i++)
            buf[k++] = (char)('0' + (int)below(st, 10));
        if (nint == 0 && nfrac == 0)
            buf[k++] = '5';
    }
    if (below(st, 2)) {
        int e;
        buf[k++] = below(st, 2) ? 'e' : 'E';
        /* Mostly near the fast path's limits, sometimes across the range. */
        e = below(st, 2) ? (int)below(st, 61) - 30 : (int)below(st, 700) - 360;
        k += (size_t)snprintf(buf + k, cap - k, "%+d", e);
    }
    buf[k] = '\0';
    return k;
}

static void
check_against_strtod(const char *text, const char *as_c, char decimal)
{
    double got, want;
    int rc = tfp_number_parse(text, strlen(text), decimal, &got);
    want = strtod(as_c, NULL);
    if (isinf(want)) {
        cr_assert_eq(rc, TFP_NUM_RANGE, "\"%s\": code %d", text, rc);
        return;
    }
    cr_assert_eq(rc, TFP_NUM_OK, "\"%s\": code %d", text, rc);
    cr_assert(same_bits(got, want), "\"%s\" = %a, strtod gives %a", text, got, want);
}

/* Inserts thousands separators into the integer part of a C-syntax decimal
 * and swaps the marks for decimal ','; returns 0 when the integer part has a
 * leading zero or fewer than four digits (no separator would be allowed). */
static int
with_separators(const char *c, char decimal, char *out, size_t cap)
{
    const char *p = c, *q;
    size_t k = 0, nint, i;
    char sep = decimal == ',' ? '.' : ',';
    if (*p == '-' || *p == '+')
        out[k++] = *p++;
    for (q = p; *q >= '0' && *q <= '9'; q++)
        ;
    nint = (size_t)(q - p);
    if (nint < 4 || *p == '0' || nint * 2 + strlen(q) + 4 > cap)
        return 0;
    for (i = 0; i < nint; i++) {
        if (i > 0 && (nint - i) % 3 == 0)
            out[k++] = sep;
        out[k++] = p[i];
    }
    for (; *q != '\0'; q++)
        out[k++] = *q == '.' ? decimal : *q;
    out[k] = '\0';
    return 1;
}

Test(numparse, matches_strtod_bitwise_on_random_strings)
{
    static char text[1100], alt[2300];
    uint64_t st = UINT64_C(20240607);
    size_t i, separated = 0;
    for (i = 0; i < 200000; i++) {
        random_decimal(&st, text, sizeof text);
        check_against_strtod(text, text, '.');
        if (i % 4 == 0 && with_separators(text, i % 8 == 0 ? ',' : '.', alt, sizeof alt)) {
            check_against_strtod(alt, text, i % 8 == 0 ? ',' : '.');
            separated++;
        }
    }
    cr_assert_gt(separated, 5000, "only %zu separated variants were tried", separated);
}

Test(numparse, matches_strtod_on_midpoints_between_doubles)
{
#if LDBL_MANT_DIG >= 64
    /* The midpoint of two adjacent doubles needs 54 significant bits, which
     * x87 long double holds, and glibc prints it exactly with %.800Le. Each
     * midpoint is tried as is (a tie), nudged up by a last digit, and cut to
     * 17-20 digits: the cases where a shortcut would round wrongly. */
    static char text[1000], nudged[1100];
    uint64_t st = UINT64_C(7);
    int i;
    for (i = 0; i < 3000; i++) {
        uint64_t bits = next_u64(&st) & ~(UINT64_C(1) << 63);
        double a, b;
        long double mid;
        size_t len, cut;
        char *e;
        memcpy(&a, &bits, sizeof a);
        if (!isfinite(a))
            continue;
        b = nextafter(a, INFINITY);
        if (!isfinite(b))
            continue;
        mid = ((long double)a + (long double)b) / 2.0L;
        snprintf(text, sizeof text, "%.800Le", mid);
        check_against_strtod(text, text, '.');
        /* Put a 1 just before the exponent: slightly above the midpoint. */
        e = strchr(text, 'e');
        len = (size_t)(e - text);
        snprintf(nudged, sizeof nudged, "%.*s1%s", (int)len, text, e);
        check_against_strtod(nudged, nudged, '.');
        for (cut = 18; cut <= 21; cut++) {
            snprintf(nudged, sizeof nudged, "%.*s%s", (int)cut, text, e);
            check_against_strtod(nudged, nudged, '.');
        }
    }
#else
    cr_skip_test("long double cannot hold the midpoints on this platform");
#endif
}
