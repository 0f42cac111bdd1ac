/*
 * analysis/bootstrap: the building blocks against hand derivations and
 * closed forms (block counts enumerated, type-7 quantiles by sorting, the
 * truncated normal's moments from its formula), a two-year example whose
 * four resamples are enumerated by hand, the whole run against a plain
 * reference written here (every replicate recomputed from the public
 * building blocks, sorted), and determinism over seeds and threads.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "../../src/analysis/analysis_int.h"
#include "tfp/alloc.h"
#include "tfp/bootstrap.h"
#include "tfp/config.h"
#include "tfp/estimate.h"
#include "tfp_test.h"

TestSuite(bootstrap, .init = quiet_gsl);

/* ---- helpers ----------------------------------------------------------------------- */

/* Reads csv text and runs the estimate with o (NULL: defaults). */
static tfp_estimate *
estimate_of(const char *csv, const tfp_estimate_opts *o)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_error err;
    tfp_error_init(&err);
    tfp_panel_opts_init(&po);
    po.required =
        TFP_ROLE_BIT(TFP_ROLE_YEAR) | TFP_ROLE_BIT(TFP_ROLE_OUTPUT) | TFP_ROLE_BIT(TFP_ROLE_LABOUR);
    cr_assert_eq(tfp_panel_read(tfp_test_tmpfile(0, csv, strlen(csv)), &po, &p, &err), TFP_OK, "%s",
                 err.msg);
    if (o != NULL)
        eo = *o;
    else
        tfp_estimate_opts_init(&eo);
    cr_assert_eq(tfp_estimate_run(p, &eo, &e, &err), TFP_OK, "%s", err.msg);
    return e;
}

static tfp_bootstrap *
boot_of(const tfp_estimate *e, const tfp_bootstrap_opts *o)
{
    tfp_bootstrap *b = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_bootstrap_run(e, o, &b, &err), TFP_OK, "%s", err.msg);
    return b;
}

/* A gsl_rng on the stack's state, as the library makes its own. */
typedef struct stream {
    gsl_rng r;
    unsigned char state[64];
} stream;

static gsl_rng *
stream_at(stream *s, uint64_t seed, size_t rep)
{
    cr_assert_leq(gsl_rng_taus2->size, sizeof s->state);
    s->r.type = gsl_rng_taus2;
    s->r.state = s->state;
    gsl_rng_set(&s->r, tfp_bootstrap_stream_seed(seed, rep));
    return &s->r;
}

static int
cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's quantile(x, p, type = 7) by sorting a copy (R 4.2 quantile.default). */
static double
r_type7(const double *x, size_t n, double p)
{
    double *s = malloc(n * sizeof *s), idx, h, q;
    size_t lo, hi;
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_d);
    idx = 1.0 + (double)(n - 1) * p;
    lo = (size_t)floor(idx);
    hi = (size_t)ceil(idx);
    q = s[lo - 1];
    h = idx - (double)lo;
    if (idx > (double)lo && s[hi - 1] != q)
        q = (1.0 - h) * q + h * s[hi - 1];
    free(s);
    return q;
}

/* ---- building blocks ------------------------------------------------------------- */

Test(bootstrap, default_block_is_cube_root_rounded)
{
    /* round(n^(1/3)): 3^(1/3) = 1.44, 4^(1/3) = 1.59, 15^(1/3) = 2.47,
     * 16^(1/3) = 2.52, 34^(1/3) = 3.24, 42^(1/3) = 3.48, 43^(1/3) = 3.50. */
    size_t n[] = {1, 2, 3, 4, 5, 15, 16, 34, 42, 43};
    size_t want[] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4};
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
        cr_assert_eq(tfp_bootstrap_block_default(n[i]), want[i], "n = %zu", n[i]);
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

Test(bootstrap, stream_seeds_of_one_run_are_distinct)
{
    size_t n = 200000;
    uint32_t *s = malloc(n * sizeof *s);
    for (size_t r = 0; r < n; r++)
        s[r] = tfp_bootstrap_stream_seed(42, r);
    cr_assert_eq(s[7], tfp_bootstrap_stream_seed(42, 7));
    cr_assert_neq(s[7], tfp_bootstrap_stream_seed(43, 7));
    qsort(s, n, sizeof *s, cmp_u32);
    for (size_t i = 1; i < n; i++)
        cr_assert_neq(s[i], s[i - 1], "two replicates share a stream seed");
    free(s);
}

/* The count vector of a resample as a small integer (base n + 1 digits). */
static size_t
code_of(const uint16_t *c, size_t n)
{
    size_t k = 0;
    for (size_t t = 0; t < n; t++)
        k = k * (n + 1) + c[t];
    return k;
}

Test(bootstrap, block_counts_match_the_enumerated_resamples)
{
    /* n = 2, blocks of 1: the starts (0,0), (0,1), (1,0), (1,1) give the
     * counts (2,0), (1,1), (1,1), (0,2): probabilities 1/4, 1/2, 1/4.
     * n = 3, blocks of 2: two blocks, starts in {0, 1}, the second cut to one
     * year: (0,0) -> years 0,1,0 = (2,1,0); (0,1) -> 0,1,1 = (1,2,0);
     * (1,0) -> 1,2,0 = (1,1,1); (1,1) -> 1,2,1 = (0,2,1); 1/4 each. */
    size_t r, hits[64];
    double N = 40000.0;
    uint16_t c[3];
    stream st;
    memset(hits, 0, sizeof hits);
    for (r = 0; r < 40000; r++) {
        tfp_bootstrap_block_counts(stream_at(&st, 1, r), 2, 1, c);
        cr_assert_eq(c[0] + c[1], 2);
        hits[code_of(c, 2)]++;
    }
    /* codes: (2,0) = 6, (1,1) = 4, (0,2) = 2; 5 standard errors of N p. */
    cr_assert(fabs((double)hits[6] - N / 4.0) < 5 * sqrt(N * 0.1875), "%zu", hits[6]);
    cr_assert(fabs((double)hits[4] - N / 2.0) < 5 * sqrt(N * 0.25), "%zu", hits[4]);
    cr_assert(fabs((double)hits[2] - N / 4.0) < 5 * sqrt(N * 0.1875), "%zu", hits[2]);
    cr_assert_eq(hits[6] + hits[4] + hits[2], 40000);
    memset(hits, 0, sizeof hits);
    for (r = 0; r < 40000; r++) {
        tfp_bootstrap_block_counts(stream_at(&st, 2, r), 3, 2, c);
        hits[code_of(c, 3)]++;
    }
    /* (2,1,0) = 36, (1,2,0) = 24, (1,1,1) = 21, (0,2,1) = 9 in base 4. */
    {
        size_t codes[4] = {36, 24, 21, 9}, sum = 0;
        for (int i = 0; i < 4; i++) {
            cr_assert(fabs((double)hits[codes[i]] - N / 4.0) < 5 * sqrt(N * 0.1875),
                      "code %zu: %zu", codes[i], hits[codes[i]]);
            sum += hits[codes[i]];
        }
        cr_assert_eq(sum, 40000, "only the four enumerated resamples occur");
    }
    /* A block as long as the series: every year once. */
    tfp_bootstrap_block_counts(stream_at(&st, 3, 0), 3, 3, c);
    cr_assert(c[0] == 1 && c[1] == 1 && c[2] == 1);
}

/* Mean and sd of N(mu, sigma^2) truncated to (0, 1): Johnson, Kotz and
 * Balakrishnan (1994), Continuous Univariate Distributions 1, sec. 13.10.1:
 *   mean = mu + sigma (phi(a) - phi(b)) / Z,
 *   var = sigma^2 [1 + (a phi(a) - b phi(b)) / Z - ((phi(a) - phi(b)) / Z)^2],
 * a = -mu / sigma, b = (1 - mu) / sigma, Z = Phi(b) - Phi(a). */
static void
truncated_moments(double mu, double sigma, double *mean, double *sd)
{
    double a = -mu / sigma, b = (1.0 - mu) / sigma;
    double pa = gsl_ran_ugaussian_pdf(a), pb = gsl_ran_ugaussian_pdf(b);
    double Z = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a), d = (pa - pb) / Z;
    *mean = mu + sigma * d;
    *sd = sigma * sqrt(1.0 + (a * pa - b * pb) / Z - d * d);
}

static void
check_draws(double mu, double sigma)
{
    size_t N = 200000, r;
    double s = 0.0, ss = 0.0, mean, sd, m, v, want_mean, want_sd;
    stream st;
    gsl_rng *g = stream_at(&st, 2024, 0);
    for (r = 0; r < N; r++) {
        double b = tfp_bootstrap_draw_share(g, mu, sigma);
        cr_assert(b > 0.0 && b < 1.0, "draw %g outside (0, 1)", b);
        s += b;
        ss += b * b;
    }
    m = s / (double)N;
    v = (ss - (double)N * m * m) / (double)(N - 1);
    mean = m;
    sd = sqrt(v);
    truncated_moments(mu, sigma, &want_mean, &want_sd);
    /* 5 standard errors: of the mean sd/sqrt(N), of the sd about sd/sqrt(2N)
     * (normal approximation; the truncated law has lighter tails). */
    cr_assert(fabs(mean - want_mean) < 5.0 * want_sd / sqrt((double)N), "mean %.6f, want %.6f",
              mean, want_mean);
    cr_assert(fabs(sd - want_sd) < 5.0 * want_sd / sqrt(2.0 * (double)N), "sd %.6f, want %.6f", sd,
              want_sd);
}

Test(bootstrap, capital_share_draws_have_the_truncated_normal_moments)
{
    check_draws(0.4, 0.05);  /* hardly truncated: mean 0.4, sd 0.05 */
    check_draws(0.35, 0.2);  /* truncated at 0: a = -1.75 */
    check_draws(0.08, 0.15); /* mostly truncated: a = -0.53 */
    check_draws(0.9, 0.3);   /* truncated at 1 */
}

Test(bootstrap, quantiles_of_a_hand_example)
{
    /* R: quantile(c(1, 2, 3, 4, 10), c(0.05, 0.95)) = 1.2, 8.8: index 1.2
     * gives 1 + 0.2 (2 - 1); index 4.8 gives 4 + 0.8 (10 - 4). */
    double x[5] = {10, 3, 1, 4, 2}, p[2] = {0.05, 0.95}, q[2];
    uint32_t hist[TFP_BOOT_HIST_BINS];
    tfp_bootstrap_quantiles(x, 5, p, 2, NULL, q, hist, NULL);
    tfp_test_rel(q[0], 1.2, 4 * DBL_EPSILON);
    tfp_test_rel(q[1], 8.8, 4 * DBL_EPSILON);
}

/* Fills x with n values of kind k: 0 uniform, 1 few distinct values, 2 heavy
 * tails, 3 constant, 4 two clusters at the ends, 5 tiny spread on a large offset. */
static void
fill(double *x, size_t n, int kind, unsigned seed)
{
    stream st;
    gsl_rng *g = stream_at(&st, seed, (size_t)kind);
    for (size_t i = 0; i < n; i++) {
        double u = gsl_rng_uniform(g);
        switch (kind) {
        case 0:
            x[i] = u;
            break;
        case 1:
            x[i] = floor(u * 3.0);
            break;
        case 2:
            x[i] = gsl_ran_cauchy(g, 1.0);
            break;
        case 3:
            x[i] = 0.123;
            break;
        case 4:
            x[i] = u < 0.5 ? -1e300 : 1e300;
            break;
        default:
            x[i] = 1e6 + u * 1e-9;
            break;
        }
    }
}

Test(bootstrap, quantiles_equal_sorting_for_every_size_and_shape)
{
    size_t sizes[] = {1, 2, 3, 5, 47, 48, 49, 100, 1000, 4095, 4096, 5000, 20000};
    double probs[][2] = {{0.05, 0.95}, {0.025, 0.975}, {0.0, 1.0}, {0.45, 0.55}, {0.5, 0.5}};
    uint32_t *hist = malloc(TFP_BOOT_HIST_BINS * sizeof *hist);
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int kind = 0; kind < 6; kind++)
            for (size_t pi = 0; pi < sizeof probs / sizeof probs[0]; pi++)
                for (int with_scratch = 0; with_scratch < 2; with_scratch++) {
                    size_t n = sizes[si];
                    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
                    double *scratch = with_scratch ? malloc(n * sizeof *scratch) : NULL, q[2];
                    fill(x, n, kind, (unsigned)(si + 1));
                    memcpy(y, x, n * sizeof *x);
                    tfp_bootstrap_quantiles(y, n, probs[pi], 2, NULL, q, hist, scratch);
                    for (int j = 0; j < 2; j++) {
                        double want = r_type7(x, n, probs[pi][j]);
                        cr_assert(q[j] == want, "n %zu kind %d p %g: %.17g, want %.17g", n, kind,
                                  probs[pi][j], q[j], want);
                    }
                    if (kind == 0) {
                        /* expm1 of the order statistics = quantiles of expm1(x). */
                        for (size_t i = 0; i < n; i++)
                            y[i] = expm1(x[i]);
                        {
                            double qe[2], *z = malloc(n * sizeof *z);
                            memcpy(z, x, n * sizeof *x);
                            tfp_bootstrap_quantiles(z, n, probs[pi], 2, expm1, qe, hist, scratch);
                            for (int j = 0; j < 2; j++) {
                                double want = r_type7(y, n, probs[pi][j]);
                                cr_assert(qe[j] == want, "expm1: %.17g, want %.17g", qe[j], want);
                            }
                            free(z);
                        }
                    }
                    free(x);
                    free(y);
                    free(scratch);
                }
    free(hist);
}

Test(bootstrap, kernel_sums_equal_a_plain_loop_bit_for_bit)
{
    /* The count-weighted sums, one replicate or four at a time and at any
     * width, are a plain loop's, bit for bit: each column adds its terms in
     * the order of the years, whatever the vectorisation or the batch. */
    size_t n = 34, widths[] = {1, 7, 8, 131, 256}, r, t, j, wi;
    stream st;
    for (wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
        size_t m = widths[wi];
        double *X = malloc(n * m * sizeof *X), *acc = malloc(4 * m * sizeof *acc);
        double *one = malloc(m * sizeof *one), cw[4 * 34];
        uint16_t c[4 * 34];
        gsl_rng *g = stream_at(&st, 77, wi);
        for (j = 0; j < n * m; j++)
            X[j] = gsl_ran_gaussian(g, 0.05) + 0.01;
        for (r = 0; r < 4; r++)
            tfp_bootstrap_block_counts(g, n, r + 1, c + r * n);
        tfp_boot_accumulate4(n, m, c, X, acc, cw);
        for (r = 0; r < 4; r++) {
            tfp_boot_accumulate(n, m, c + r * n, X, one);
            for (j = 0; j < m; j++) {
                double want = 0.0;
                for (t = 0; t < n; t++)
                    if (c[r * n + t] != 0)
                        want += (double)c[r * n + t] * X[t * m + j];
                cr_assert(one[j] == want, "width %zu column %zu: %a vs %a", m, j, one[j], want);
                cr_assert(acc[r * m + j] == want, "four at a time, width %zu: %a vs %a", m,
                          acc[r * m + j], want);
            }
        }
        free(X);
        free(acc);
        free(one);
    }
}

/* ---- the two-year example, enumerated ------------------------------------------------ */

/*
 * One region, base year 2020, two annual growth rates (2021, 2022):
 *   output 100 -> 110 -> 115.5 (10 %, 5 %), persons 50 -> 51 -> 51 (2 %, 0 %),
 *   capital 200 -> 220 -> 231 (10 %, 5 %); gso, b_K = 0.4, simple growth.
 * Years resampled in blocks of 1: (g1,g1) 1/4, (g1,g2) or (g2,g1) 1/2,
 * (g2,g2) 1/4, and the compound rate of a resample is the geometric mean of
 * its (1 + g):
 *   (g1,g1): g_Y = g_K = 0.10, g_L = 0.02, g_A = 0.10 - 0.04 - 0.012 = 0.048,
 *            TFP share 0.48, LP growth 110/51/2 - 1 = 4/51;
 *   mixed:   g_Y = g_K = s = sqrt(1.155) - 1, g_L = l = sqrt(1.02) - 1,
 *            g_A = 0.6 (s - l), TFP share 0.6 (1 - l/s) = 0.52009,
 *            LP growth sqrt(55/51 x 1.05) - 1 = 0.06412;
 *   (g2,g2): g_Y = g_K = 0.05, g_L = 0, g_A = 0.03, TFP share 0.6, LP 0.05.
 * With level 0.90 the 5 % and 95 % quantiles of B = 4000 replicates fall
 * inside the outer atoms (1/4 each), so the interval is their values.
 * Targets lp = 0.06 (met by the first two atoms: 3/4) and tfp = 0.50:0.55
 * (within: the middle atom, 1/2); the last year's share, 0.05 - 0.02 - 0 =
 * 0.03 over 0.05 = 0.6, is above the band in every replicate.
 */
static const char two_years[] = "region,year,output,labour,capital\n"
                                "A,2020,100,50,200\n"
                                "A,2021,110,51,220\n"
                                "A,2022,115.5,51,231\n";

static tfp_estimate *
two_year_estimate(void)
{
    tfp_estimate_opts eo;
    tfp_error err;
    tfp_estimate_opts_init(&eo);
    eo.from = 2021;
    eo.to = 2022;
    tfp_error_init(&err);
    cr_assert_eq(tfp_targets_parse(&eo.targets, "lp=0.06", &err), TFP_OK);
    cr_assert_eq(tfp_targets_parse(&eo.targets, "tfp=0.50:0.55", &err), TFP_OK);
    return estimate_of(two_years, &eo);
}

Test(bootstrap, two_years_give_the_enumerated_intervals_and_probabilities)
{
    tfp_estimate *e = two_year_estimate();
    tfp_bootstrap_opts o;
    tfp_bootstrap *b;
    const tfp_bootstrap_unit *u;
    double s = sqrt(1.155) - 1.0, l = sqrt(1.02) - 1.0, B = 4000.0;
    tfp_bootstrap_opts_init(&o);
    o.replicates = 4000;
    o.seed = 7;
    o.block = 1;
    b = boot_of(e, &o);
    u = &b->unit[0];
    cr_assert(u->done);
    cr_assert_eq(u->n, 2);
    cr_assert_eq(u->block, 1);
    tfp_test_rel(u->lo[TFP_BOOT_SHARE_A], 0.48, 1e-13);
    tfp_test_rel(u->hi[TFP_BOOT_SHARE_A], 0.6, 1e-13);
    tfp_test_rel(u->lo[TFP_BOOT_G_Y], 0.05, 1e-13);
    tfp_test_rel(u->hi[TFP_BOOT_G_Y], 0.10, 1e-13);
    tfp_test_rel(u->lo[TFP_BOOT_G_L], 0.0, 1e-13);
    tfp_test_rel(u->hi[TFP_BOOT_G_L], 0.02, 1e-13);
    tfp_test_rel(u->lo[TFP_BOOT_G_A], 0.03, 1e-13);
    tfp_test_rel(u->hi[TFP_BOOT_G_A], 0.048, 1e-13);
    tfp_test_rel(u->lo[TFP_BOOT_G_LP], 0.05, 1e-13);
    tfp_test_rel(u->hi[TFP_BOOT_G_LP], 4.0 / 51.0, 1e-13);
    /* The capital share is not drawn: its interval is the point. */
    cr_assert_eq(u->lo[TFP_BOOT_A], 0.4);
    cr_assert_eq(u->hi[TFP_BOOT_A], 0.4);
    /* The point estimate is the middle atom. */
    tfp_test_rel(e->unit[0].s.share_A, 0.6 * (1.0 - l / s), 1e-13);
    /* Probabilities: 3/4 and 1/2 within 5 standard errors; 0 exactly. */
    cr_assert(fabs(u->prob[TFP_TARGET_LP] - 0.75) < 5 * sqrt(0.1875 / B), "%g",
              u->prob[TFP_TARGET_LP]);
    cr_assert(fabs(u->prob[TFP_TARGET_TFP_PERIOD] - 0.5) < 5 * sqrt(0.25 / B), "%g",
              u->prob[TFP_TARGET_TFP_PERIOD]);
    cr_assert_eq(u->prob[TFP_TARGET_TFP_LAST], 0.0);
    for (int f = 0; f < TFP_BOOT_NFIG; f++)
        cr_assert_eq(u->nvalid[f], 4000, "figure %d", f);
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
}

Test(bootstrap, capital_share_draw_alone_moves_the_shares_linearly)
{
    /* --resample none: only b_K varies. With g_Y = g_K = s and g_L = l the
     * TFP share is (1 - b)(1 - l/s), decreasing in b, so its interval is
     * (1 - l/s)(1 - Q_b(0.95)) .. (1 - l/s)(1 - Q_b(0.05)), Q_b the type-7
     * quantiles of the B draws, recomputed here from the public streams. */
    tfp_estimate *e = two_year_estimate();
    tfp_bootstrap_opts o;
    tfp_bootstrap *b;
    const tfp_bootstrap_unit *u;
    size_t B = 3000, r;
    double *bs = malloc(B * sizeof *bs), s = sqrt(1.155) - 1.0, l = sqrt(1.02) - 1.0;
    double c = 1.0 - l / s, qlo, qhi;
    stream st;
    tfp_bootstrap_opts_init(&o);
    o.replicates = B;
    o.seed = 99;
    o.resample = TFP_RESAMPLE_NONE;
    o.capital_share_sd = 0.05;
    o.threads = 2;
    b = boot_of(e, &o);
    u = &b->unit[0];
    for (r = 0; r < B; r++)
        bs[r] = tfp_bootstrap_draw_share(stream_at(&st, 99, r), 0.4, 0.05);
    qlo = r_type7(bs, B, 0.05);
    qhi = r_type7(bs, B, 0.95);
    cr_assert(b->share_drawn);
    cr_assert_eq(u->lo[TFP_BOOT_A], qlo, "%.17g %.17g", u->lo[TFP_BOOT_A], qlo);
    cr_assert_eq(u->hi[TFP_BOOT_A], qhi);
    tfp_test_rel(u->lo[TFP_BOOT_SHARE_A], c * (1.0 - qhi), 1e-12);
    tfp_test_rel(u->hi[TFP_BOOT_SHARE_A], c * (1.0 - qlo), 1e-12);
    /* The last year (g_Y = g_K = 0.05, g_L = 0): share 1 - b. */
    tfp_test_rel(u->lo[TFP_BOOT_SHARE_A_LAST], 1.0 - qhi, 1e-12);
    tfp_test_rel(u->hi[TFP_BOOT_SHARE_A_LAST], 1.0 - qlo, 1e-12);
    /* Output growth does not move: its interval is the point. */
    cr_assert_eq(u->lo[TFP_BOOT_G_Y], e->unit[0].s.g_Y);
    cr_assert_eq(u->hi[TFP_BOOT_G_Y], e->unit[0].s.g_Y);
    /* Within 0.50..0.55 when 1 - 0.55/c <= b <= 1 - 0.50/c. */
    {
        size_t met = 0;
        for (r = 0; r < B; r++) {
            double v = c * (1.0 - bs[r]);
            met += v >= 0.50 && v <= 0.55;
        }
        cr_assert(fabs(u->prob[TFP_TARGET_TFP_PERIOD] - (double)met / (double)B) <= 2.0 / (double)B,
                  "%g vs %g", u->prob[TFP_TARGET_TFP_PERIOD], (double)met / (double)B);
    }
    free(bs);
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
}

/* ---- the whole run against a plain reference ---------------------------------------- */

/*
 * A panel of 30 regions: most with 2000..2012 (12 growth rates in the period
 * 2001..2012), every fifth ending in 2010 (10 rates, an incomplete period),
 * one with a gap (left out, with a warning). Values follow smooth trends with
 * deterministic noise; labour shares vary around 0.6.
 */
static char *
panel_csv(void)
{
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    unsigned long x = 12345;
    len += (size_t)snprintf(s + len, cap - len, "region,year,output,labour,capital,labour_share\n");
    for (int r = 0; r < 30; r++) {
        double Y = 100.0 + r, L = 50.0 + r / 3.0, K = 250.0 + 2.0 * r;
        int last = r % 5 == 4 ? 2010 : 2012;
        for (int y = 2000; y <= last; y++) {
            double u[4];
            for (int k = 0; k < 4; k++) {
                x = x * 6364136223846793005UL + 1442695040888963407UL;
                u[k] = (double)(x >> 11) / 9007199254740992.0 - 0.5;
            }
            if (r == 7 && y == 2005)
                continue; /* the gap */
            len += (size_t)snprintf(s + len, cap - len, "R%02d,%d,%.6f,%.6f,%.6f,%.4f\n", r, y, Y,
                                    L, K, 0.6 + 0.1 * u[3]);
            Y *= 1.06 + 0.04 * u[0];
            L *= 1.015 + 0.02 * u[1];
            K *= 1.08 + 0.03 * u[2];
        }
    }
    return s;
}

typedef struct ref_cfg {
    tfp_method method;
    tfp_growth_form form;
    tfp_resample resample;
    size_t block; /* 0: default */
    double sd;
    size_t B;
    uint64_t seed;
} ref_cfg;

/* Every replicate of unit u, from the public streams, the panel's values and
 * DESIGN section 3's formulas; fig[f][r] (NaN where undefined) and met[j]. */
static void
reference(const tfp_estimate *e,
          size_t u,
          const ref_cfg *c,
          const size_t *ns,
          size_t nns,
          double **fig,
          size_t *met)
{
    const tfp_unit *un = &e->unit[u];
    const tfp_growth_series *in = &un->in;
    const tfp_growth_result *g = un->g;
    const tfp_targets *tg = &e->opts.targets;
    size_t n = (size_t)un->s.years, ib = 0, t, r, j;
    int data_shares = c->method == TFP_METHOD_TORNQVIST;
    double b0 = e->opts.growth.capital_share, nn = (double)n;
    double(*lv)[7] = malloc(n * sizeof *lv);
    uint16_t *cnt = malloc(64 * sizeof *cnt);
    stream st;
    while (in->year[ib] != un->s.base)
        ib++;
    for (t = 0; t < n; t++) {
        size_t i = ib + 1 + t;
        lv[t][0] = log(in->Y[i] / in->Y[i - 1]);
        lv[t][1] = log(in->L[i] / in->L[i - 1]);
        lv[t][2] = log(in->K[i] / in->K[i - 1]);
        lv[t][3] = log(g->LP[i] / g->LP[i - 1]);
        lv[t][4] = g->a[i];
        lv[t][5] = g->c_K[i];
        lv[t][6] = g->c_L[i];
    }
    memset(met, 0, TFP_TARGET_COUNT * sizeof *met);
    for (r = 0; r < c->B; r++) {
        gsl_rng *rng = stream_at(&st, c->seed, r);
        double b = c->sd > 0.0 ? tfp_bootstrap_draw_share(rng, b0, c->sd) : b0, S[7] = {0};
        double v[TFP_BOOT_NFIG], a, cK, cL;
        for (j = 0; j < nns && c->resample == TFP_RESAMPLE_YEARS; j++) {
            size_t l = c->block ? c->block : tfp_bootstrap_block_default(ns[j]);
            tfp_bootstrap_block_counts(rng, ns[j], l > ns[j] ? ns[j] : l, cnt);
            if (ns[j] == n)
                break;
        }
        for (t = 0; t < n; t++)
            for (j = 0; j < 7; j++)
                S[j] += (c->resample == TFP_RESAMPLE_YEARS ? cnt[t] : 1) * lv[t][j];
        if (c->form == TFP_GROWTH_LOG) {
            a = data_shares ? S[4] / nn : b;
            cK = data_shares ? S[5] : a * S[2];
            cL = data_shares ? S[6] : (1.0 - a) * S[1];
            v[TFP_BOOT_G_Y] = S[0] / nn;
            v[TFP_BOOT_G_L] = S[1] / nn;
            v[TFP_BOOT_G_K] = S[2] / nn;
            v[TFP_BOOT_A] = a;
            v[TFP_BOOT_G_A] = (S[0] - cK - cL) / nn;
            v[TFP_BOOT_SHARE_K] = cK / S[0];
            v[TFP_BOOT_SHARE_L] = cL / S[0];
            v[TFP_BOOT_SHARE_A] = (S[0] - cK - cL) / S[0];
            v[TFP_BOOT_G_LP] = S[3] / nn;
        } else {
            double y = expm1(S[0] / nn), l = expm1(S[1] / nn), k = expm1(S[2] / nn);
            a = data_shares ? S[4] / nn : b;
            v[TFP_BOOT_G_Y] = y;
            v[TFP_BOOT_G_L] = l;
            v[TFP_BOOT_G_K] = k;
            v[TFP_BOOT_A] = a;
            v[TFP_BOOT_G_A] = y - a * k - (1.0 - a) * l;
            v[TFP_BOOT_SHARE_K] = a * k / y;
            v[TFP_BOOT_SHARE_L] = (1.0 - a) * l / y;
            v[TFP_BOOT_SHARE_A] = v[TFP_BOOT_G_A] / y;
            v[TFP_BOOT_G_LP] = expm1(S[3] / nn);
        }
        {
            size_t il = ib + n;
            double gY = g->g_Y[il], gK = g->g_K[il], gL = g->g_L[il];
            v[TFP_BOOT_SHARE_A_LAST] =
                data_shares ? g->share_A[il] : (gY - b * gK - (1.0 - b) * gL) / gY;
        }
        for (j = 0; j < TFP_BOOT_NFIG; j++)
            fig[j][r] = v[j];
        met[TFP_TARGET_LP] += expm1(S[3] / nn) >= tg->lp;
        for (j = TFP_TARGET_TFP_PERIOD; j <= TFP_TARGET_TFP_LAST; j++) {
            double x = j == TFP_TARGET_TFP_PERIOD ? v[TFP_BOOT_SHARE_A] : v[TFP_BOOT_SHARE_A_LAST];
            met[j] += x >= tg->tfp_lo && (!un->s.complete || x <= tg->tfp_hi);
        }
    }
    free(lv);
    free(cnt);
}

/* got within 1e-12 of want, relative to max(|want|, 1): shares near zero
 * come from a difference of terms of order 1. */
#define assert_close(got, want)                                                                    \
    cr_assert(fabs((got) - (want)) <= 1e-12 * fmax(fabs(want), 1.0), "%s = %.17g, want %.17g",     \
              #got, (double)(got), (double)(want))

static void
check_against_reference(const ref_cfg *c, size_t threads)
{
    char *csv = panel_csv();
    tfp_estimate_opts eo;
    tfp_estimate *e;
    tfp_bootstrap_opts o;
    tfp_bootstrap *b;
    size_t ns[2] = {10, 12}, u, f, checked = 0;
    double *fig[TFP_BOOT_NFIG];
    tfp_estimate_opts_init(&eo);
    eo.growth.method = c->method;
    eo.growth.form = c->form;
    eo.labour_input = TFP_LABOUR_PERSONS;
    eo.from = 2001;
    eo.to = 2012;
    e = estimate_of(csv, &eo);
    tfp_bootstrap_opts_init(&o);
    o.replicates = c->B;
    o.seed = c->seed;
    o.threads = threads;
    o.block = c->block;
    o.resample = c->resample;
    o.capital_share_sd = c->sd;
    o.keep_share = 1;
    b = boot_of(e, &o);
    for (f = 0; f < TFP_BOOT_NFIG; f++)
        fig[f] = malloc(c->B * sizeof *fig[f]);
    cr_assert_eq(b->nunit, 30);
    for (u = 0; u < e->nunit; u++) {
        const tfp_bootstrap_unit *bu = &b->unit[u];
        size_t met[TFP_TARGET_COUNT];
        if (strcmp(e->unit[u].region, "R07") == 0) {
            cr_assert(!bu->done, "the unit with a gap is left out");
            cr_assert(isnan(bu->lo[TFP_BOOT_SHARE_A]));
            continue;
        }
        cr_assert(bu->done, "%s", e->unit[u].region);
        reference(e, u, c, ns, 2, fig, met);
        for (f = 0; f < TFP_BOOT_NFIG; f++) {
            double want_lo = r_type7(fig[f], c->B, b->p_lo),
                   want_hi = r_type7(fig[f], c->B, b->p_hi);
            assert_close(bu->lo[f], want_lo);
            assert_close(bu->hi[f], want_hi);
            cr_assert_eq(bu->nvalid[f], c->B);
        }
        for (f = 0; f < TFP_TARGET_COUNT; f++)
            cr_assert(fabs(bu->prob[f] * (double)c->B - (double)met[f]) <= 1.0,
                      "%s target %zu: %g vs %zu/%zu", e->unit[u].region, f, bu->prob[f], met[f],
                      c->B);
        for (size_t r = 0; r < c->B; r++)
            assert_close(bu->share[r], fig[TFP_BOOT_SHARE_A][r]);
        checked++;
    }
    cr_assert_eq(checked, 29);
    cr_assert_geq(b->warnings.n, 1);
    for (f = 0; f < TFP_BOOT_NFIG; f++)
        free(fig[f]);
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
    free(csv);
}

Test(bootstrap, gso_log_growth_matches_the_reference_with_blocks_and_draws)
{
    ref_cfg c = {TFP_METHOD_GSO, TFP_GROWTH_LOG, TFP_RESAMPLE_YEARS, 2, 0.03, 2500, 11};
    check_against_reference(&c, 3);
}

Test(bootstrap, gso_simple_growth_matches_the_reference)
{
    ref_cfg c = {TFP_METHOD_GSO, TFP_GROWTH_SIMPLE, TFP_RESAMPLE_YEARS, 0, 0.0, 1500, 12};
    check_against_reference(&c, 2);
}

Test(bootstrap, tornqvist_with_labour_shares_matches_the_reference)
{
    ref_cfg c = {TFP_METHOD_TORNQVIST, TFP_GROWTH_LOG, TFP_RESAMPLE_YEARS, 3, 0.0, 1200, 13};
    check_against_reference(&c, 1);
}

Test(bootstrap, capital_share_draw_alone_matches_the_reference)
{
    ref_cfg c = {TFP_METHOD_GSO, TFP_GROWTH_SIMPLE, TFP_RESAMPLE_NONE, 0, 0.08, 2100, 14};
    check_against_reference(&c, 4);
}

/* ---- determinism ------------------------------------------------------------------- */

static int
same_results(const tfp_bootstrap *a, const tfp_bootstrap *b)
{
    if (a->nunit != b->nunit)
        return 0;
    for (size_t u = 0; u < a->nunit; u++) {
        const tfp_bootstrap_unit *x = &a->unit[u], *y = &b->unit[u];
        if (memcmp(x->lo, y->lo, sizeof x->lo) != 0 || memcmp(x->hi, y->hi, sizeof x->hi) != 0 ||
            memcmp(x->prob, y->prob, sizeof x->prob) != 0 ||
            memcmp(x->nvalid, y->nvalid, sizeof x->nvalid) != 0 || x->done != y->done)
            return 0;
    }
    return 1;
}

Test(bootstrap, results_are_bitwise_the_same_for_any_number_of_threads)
{
    char *csv = panel_csv();
    tfp_estimate *e = estimate_of(csv, NULL);
    tfp_bootstrap_opts o;
    tfp_bootstrap *ref, *b;
    size_t threads[] = {2, 3, 5, 8, 31};
    tfp_bootstrap_opts_init(&o);
    o.replicates = 3000;
    o.seed = 5;
    o.capital_share_sd = 0.05;
    o.threads = 1;
    ref = boot_of(e, &o);
    for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++) {
        o.threads = threads[i];
        b = boot_of(e, &o);
        cr_assert(same_results(ref, b), "threads %zu differ from 1 thread", threads[i]);
        tfp_bootstrap_free(b);
    }
    /* The same seed again: the same; another seed: other draws. */
    o.threads = 2;
    b = boot_of(e, &o);
    cr_assert(same_results(ref, b));
    tfp_bootstrap_free(b);
    o.seed = 6;
    b = boot_of(e, &o);
    cr_assert(!same_results(ref, b), "seed 6 gave the draws of seed 5");
    tfp_bootstrap_free(b);
    tfp_bootstrap_free(ref);
    tfp_estimate_free(e);
    free(csv);
}

/* ---- edge cases ---------------------------------------------------------------------- */

Test(bootstrap, undefined_shares_are_left_out_of_the_intervals)
{
    /* Log growth of output ln 1.1 then ln(100/110) = -ln 1.1: the mixed
     * resamples (1/2 of them) have no output growth and no TFP share. */
    static const char csv[] = "year,output,labour,capital\n"
                              "2020,100,50,200\n"
                              "2021,110,51,220\n"
                              "2022,100,52,231\n";
    tfp_estimate_opts eo;
    tfp_estimate *e;
    tfp_bootstrap_opts o;
    tfp_bootstrap *b;
    size_t B = 4000;
    tfp_estimate_opts_init(&eo);
    eo.growth.form = TFP_GROWTH_LOG;
    eo.from = 2021;
    eo.to = 2022;
    e = estimate_of(csv, &eo);
    tfp_bootstrap_opts_init(&o);
    o.replicates = B;
    o.block = 1;
    b = boot_of(e, &o);
    cr_assert_eq(b->unit[0].nvalid[TFP_BOOT_G_Y], B);
    cr_assert(fabs((double)b->unit[0].nvalid[TFP_BOOT_SHARE_A] - 0.5 * (double)B) <
                  5 * sqrt(0.25 * (double)B),
              "%zu", b->unit[0].nvalid[TFP_BOOT_SHARE_A]);
    cr_assert(isfinite(b->unit[0].lo[TFP_BOOT_SHARE_A]));
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
}

Test(bootstrap, identical_replicates_take_the_exact_fallback)
{
    /* One growth rate in the period: every resample is the data, so a
     * figure's windows hold all values and overflow; the exact fallback
     * returns the value itself. B above the 1024-replicate pilot. */
    static const char csv[] = "year,output,labour,capital\n"
                              "2020,100,50,200\n"
                              "2021,110,51,220\n";
    tfp_estimate_opts eo;
    tfp_estimate *e;
    tfp_bootstrap_opts o;
    tfp_bootstrap *b;
    tfp_estimate_opts_init(&eo);
    eo.from = 2021;
    eo.to = 2021;
    e = estimate_of(csv, &eo);
    tfp_bootstrap_opts_init(&o);
    o.replicates = 3000;
    o.threads = 2;
    b = boot_of(e, &o);
    /* 0.10 - 0.4 x 0.10 - 0.6 x 0.02 = 0.048 over 0.10. */
    tfp_test_rel(b->unit[0].lo[TFP_BOOT_SHARE_A], 0.48, 1e-13);
    tfp_test_rel(b->unit[0].hi[TFP_BOOT_SHARE_A], 0.48, 1e-13);
    tfp_test_rel(b->unit[0].lo[TFP_BOOT_G_Y], 0.10, 1e-13);
    cr_assert_eq(b->unit[0].block, 1);
    /* The eight figures that vary (the capital share and the last year's
     * share do not), each recomputed. */
    cr_assert_eq(b->nfallback, 8);
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
}

Test(bootstrap, long_blocks_are_shortened_with_a_warning)
{
    tfp_estimate *e = two_year_estimate();
    tfp_bootstrap_opts o;
    tfp_bootstrap *b;
    tfp_bootstrap_opts_init(&o);
    o.replicates = 50;
    o.block = 5;
    b = boot_of(e, &o);
    cr_assert_eq(b->unit[0].block, 2);
    cr_assert_eq(b->warnings.n, 1);
    cr_assert(strstr(b->warnings.msg[0], "blocks of 5 years") != NULL, "%s", b->warnings.msg[0]);
    /* One block of both years: every resample is the data. */
    cr_assert_eq(b->unit[0].lo[TFP_BOOT_SHARE_A], b->unit[0].hi[TFP_BOOT_SHARE_A]);
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
}

Test(bootstrap, a_draw_without_effect_is_reported)
{
    char *csv = panel_csv();
    tfp_estimate_opts eo;
    tfp_estimate *e;
    tfp_bootstrap_opts o;
    tfp_bootstrap *b;
    tfp_estimate_opts_init(&eo);
    eo.growth.method = TFP_METHOD_TORNQVIST;
    e = estimate_of(csv, &eo);
    tfp_bootstrap_opts_init(&o);
    o.replicates = 100;
    o.capital_share_sd = 0.05;
    b = boot_of(e, &o);
    cr_assert(!b->share_drawn);
    cr_assert(strstr(b->warnings.msg[0], "labour_share column") != NULL, "%s", b->warnings.msg[0]);
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
    free(csv);
}

Test(bootstrap, bad_options_are_refused)
{
    tfp_estimate *e = two_year_estimate();
    tfp_bootstrap_opts o;
    tfp_bootstrap *b = NULL;
    tfp_error err;
    struct {
        const char *what;
        size_t B, T;
        double level, sd;
        tfp_resample rs;
    } bad[] = {
        {"replicates must be 1 to", 0, 1, 0.9, 0, TFP_RESAMPLE_YEARS},
        {"replicates must be 1 to", TFP_BOOT_MAX_REPLICATES + 1, 1, 0.9, 0, TFP_RESAMPLE_YEARS},
        {"threads must be 1 to", 10, 0, 0.9, 0, TFP_RESAMPLE_YEARS},
        {"confidence level", 10, 1, 1.0, 0, TFP_RESAMPLE_YEARS},
        {"capital-share sd", 10, 1, 0.9, 1.5, TFP_RESAMPLE_YEARS},
        {"nothing to draw", 10, 1, 0.9, 0, TFP_RESAMPLE_NONE}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tfp_bootstrap_opts_init(&o);
        o.replicates = bad[i].B;
        o.threads = bad[i].T;
        o.level = bad[i].level;
        o.capital_share_sd = bad[i].sd;
        o.resample = bad[i].rs;
        tfp_error_init(&err);
        cr_assert_eq(tfp_bootstrap_run(e, &o, &b, &err), TFP_EINVAL, "case %zu", i);
        cr_assert_null(b);
        cr_assert(strstr(err.msg, bad[i].what) != NULL, "%s", err.msg);
    }
    tfp_estimate_free(e);
}

typedef struct calls {
    size_t n, last_done, last_total;
    int monotone, stage_ok;
} calls;

static void
record(void *ctx, const char *stage, size_t done, size_t total)
{
    calls *c = ctx;
    c->monotone &= c->n == 0 || done >= c->last_done;
    c->stage_ok &= strcmp(stage, "bootstrap") == 0;
    c->last_done = done;
    c->last_total = total;
    c->n++;
}

Test(bootstrap, progress_ends_with_all_work_done)
{
    char *csv = panel_csv();
    tfp_estimate *e = estimate_of(csv, NULL);
    tfp_bootstrap_opts o;
    tfp_bootstrap *b;
    calls c = {0, 0, 0, 1, 1};
    tfp_bootstrap_opts_init(&o);
    o.replicates = 2000;
    o.threads = 3;
    o.progress.fn = record;
    o.progress.ctx = &c;
    b = boot_of(e, &o);
    cr_assert_geq(c.n, 1);
    cr_assert(c.monotone && c.stage_ok);
    /* 30 units bootstrapped (the default period, 2008-2012, misses the gap)
     * x 2000 replicates. */
    for (size_t u = 0; u < b->nunit; u++)
        cr_assert(b->unit[u].done);
    cr_assert_eq(c.last_total, 30 * 2000);
    cr_assert_eq(c.last_done, c.last_total);
    cr_assert_null(b->opts.progress.fn);
    tfp_bootstrap_free(b);
    tfp_estimate_free(e);
    free(csv);
}

Test(bootstrap, fails_cleanly_at_every_allocation)
{
    char *csv = panel_csv();
    tfp_estimate *e = estimate_of(csv, NULL);
    tfp_bootstrap_opts o;
    tfp_bootstrap *b = NULL;
    tfp_error err;
    size_t n, k;
    tfp_bootstrap_opts_init(&o);
    o.replicates = 1500;
    o.threads = 2;
    o.keep_share = 1;
    o.capital_share_sd = 0.02;
    tfp_alloc_fail_at(0, 0);
    cr_assert_eq(tfp_bootstrap_run(e, &o, &b, NULL), TFP_OK);
    n = tfp_alloc_fail_at(0, 0);
    tfp_bootstrap_free(b);
    cr_assert_gt(n, 10);
    for (k = 1; k <= n; k++) {
        int rc;
        b = NULL;
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 0);
        rc = tfp_bootstrap_run(e, &o, &b, &err);
        tfp_alloc_fail_at(0, 0);
        cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu: code %d", k, rc);
        cr_assert_null(b);
        tfp_test_assert_no_leaks();
    }
    tfp_estimate_free(e);
    free(csv);
}
