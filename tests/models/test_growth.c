/*
 * models/growth: annual growth accounting and period summaries against
 * hand-derived values, plus the identity contributions + TFP = output growth.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/config.h"
#include "tfp/growth.h"
#include "tfp_test.h"

TestSuite(growth, .init = quiet_gsl);

/* Hand example: Y grows 10 %, persons 2 %, capital 10 % a year. */
static const int yr3[] = {2019, 2020, 2021};
static const double Y3[] = {100.0, 110.0, 121.0};
static const double L3[] = {50.0, 51.0, 52.02};
static const double K3[] = {200.0, 220.0, 242.0};

static tfp_growth_series
series3(void)
{
    tfp_growth_series s = {3, yr3, Y3, L3, K3, L3, NULL};
    return s;
}

Test(growth, gso_hand_example_matches_derivation)
{
    tfp_growth_series in = series3();
    tfp_growth_opts o;
    tfp_growth_result *r = tfp_growth_result_alloc(3, NULL);
    tfp_growth_opts_init(&o);
    cr_assert_eq(tfp_growth_fit(&in, &o, r, NULL), TFP_OK);
    cr_assert(isnan(r->g_Y[0]));
    /* 2020: g_Y = 0.1, g_L = 0.02, g_K = 0.1; c_K = 0.4 * 0.1 = 0.04,
     * c_L = 0.6 * 0.02 = 0.012, g_A = 0.1 - 0.04 - 0.012 = 0.048, share 0.48. */
    tfp_test_rel(r->g_Y[1], 0.1, 1e-15);
    tfp_test_rel(r->g_L[1], 0.02, 1e-14);
    tfp_test_rel(r->c_K[1], 0.04, 1e-15);
    tfp_test_rel(r->c_L[1], 0.012, 1e-14);
    tfp_test_rel(r->g_A[1], 0.048, 1e-14);
    tfp_test_rel(r->share_A[1], 0.48, 1e-14);
    tfp_test_rel(r->share_K[1], 0.4, 1e-14);
    tfp_test_rel(r->share_L[1], 0.12, 1e-13);
    /* LP 2019 = 100 / 50 = 2; LP 2020 = 110 / 51; growth = 55/51 - 1 = 4/51. */
    tfp_test_rel(r->LP[0], 2.0, 0);
    tfp_test_rel(r->g_LP[1], 4.0 / 51.0, 1e-14);
    tfp_growth_result_free(r);
}

Test(growth, gso_period_summary_is_compound)
{
    tfp_growth_series in = series3();
    tfp_growth_opts o;
    tfp_growth_summary s;
    tfp_growth_result *r = tfp_growth_result_alloc(3, NULL);
    tfp_growth_opts_init(&o);
    tfp_growth_fit(&in, &o, r, NULL);
    cr_assert_eq(tfp_growth_summarize(&in, r, &o, 2020, 2021, "X", &s, NULL, NULL), TFP_OK);
    cr_assert_eq(s.base, 2019);
    cr_assert_eq(s.last, 2021);
    cr_assert_eq(s.years, 2);
    cr_assert(s.complete);
    /* (121/100)^(1/2) - 1 = 0.1; (52.02/50)^(1/2) - 1 = 0.02; same g_A = 0.048. */
    tfp_test_rel(s.g_Y, 0.1, 1e-14);
    tfp_test_rel(s.g_L, 0.02, 1e-13);
    tfp_test_rel(s.g_A, 0.048, 1e-13);
    tfp_test_rel(s.share_A, 0.48, 1e-13);
    tfp_test_rel(s.share_A_last, 0.48, 1e-13);
    /* LP_2021 / LP_2019 = (1.1 / 1.02)^2, so the compound rate is 4/51. */
    tfp_test_rel(s.lp_compound, 4.0 / 51.0, 1e-13);
    tfp_growth_result_free(r);
}

Test(growth, tornqvist_uses_average_labour_share_and_log_growth)
{
    static const double sL[] = {0.6, 0.5, 0.52};
    tfp_growth_series in = series3();
    tfp_growth_opts o;
    tfp_growth_result *r = tfp_growth_result_alloc(3, NULL);
    double a = 1.0 - (0.6 + 0.5) / 2.0; /* 0.45 */
    in.s_L = sL;
    tfp_growth_opts_init(&o);
    o.method = TFP_METHOD_TORNQVIST;
    tfp_growth_fit(&in, &o, r, NULL);
    tfp_test_rel(r->a[1], 0.45, 1e-15);
    tfp_test_rel(r->g_Y[1], log(1.1), 1e-15);
    tfp_test_rel(r->g_A[1], log(1.1) - a * log(1.1) - (1 - a) * log(1.02), 1e-13);
    tfp_growth_result_free(r);
}

Test(growth, contributions_sum_to_output_growth_in_both_methods)
{
    /* High-entropy series; the identity c_K + c_L + g_A = g_Y must hold
     * to rounding in every year for each method. */
    enum { N = 12 };
    int year[N];
    double Y[N], L[N], K[N], sL[N];
    for (int t = 0; t < N; t++) {
        year[t] = 2001 + t;
        Y[t] = 1000.0 * exp(0.0731 * t + 0.013 * sin(3.1 * t));
        L[t] = 382.5 * exp(0.0127 * t + 0.007 * cos(1.7 * t));
        K[t] = 2385.0 * exp(0.0913 * t - 0.011 * sin(2.3 * t));
        sL[t] = 0.47 + 0.03 * sin(0.9 * t);
    }
    for (int m = 0; m < 2; m++) {
        tfp_growth_series in = {N, year, Y, L, K, L, sL};
        tfp_growth_opts o;
        tfp_growth_result *r = tfp_growth_result_alloc(N, NULL);
        tfp_growth_opts_init(&o);
        o.method = m ? TFP_METHOD_TORNQVIST : TFP_METHOD_GSO;
        o.capital_share = 0.385;
        tfp_growth_fit(&in, &o, r, NULL);
        for (int t = 1; t < N; t++) {
            tfp_test_rel(r->c_K[t] + r->c_L[t] + r->g_A[t], r->g_Y[t], 1e-14);
            tfp_test_rel(r->share_K[t] + r->share_L[t] + r->share_A[t], 1.0, 1e-13);
        }
        tfp_growth_result_free(r);
    }
}

Test(growth, gap_year_leaves_growth_undefined)
{
    static const int year[] = {2001, 2002, 2004, 2005};
    static const double Y[] = {10, 11, 13, 14};
    static const double L[] = {5, 5.1, 5.2, 5.3};
    static const double K[] = {20, 21, 23, 24};
    tfp_growth_series in = {4, year, Y, L, K, L, NULL};
    tfp_growth_opts o;
    tfp_growth_result *r = tfp_growth_result_alloc(4, NULL);
    tfp_growth_opts_init(&o);
    tfp_growth_fit(&in, &o, r, NULL);
    cr_assert(isfinite(r->g_Y[1]));
    cr_assert(isnan(r->g_Y[2]));
    cr_assert(isnan(r->share_A[2]));
    cr_assert(isfinite(r->g_A[3]));
    tfp_growth_result_free(r);
}

Test(growth, zero_output_growth_gives_undefined_share_with_warning)
{
    static const int year[] = {2010, 2011};
    static const double Y[] = {50, 50};
    static const double L[] = {5, 5.1};
    static const double K[] = {20, 21};
    tfp_growth_series in = {2, year, Y, L, K, L, NULL};
    tfp_growth_opts o;
    tfp_growth_summary s;
    tfp_warnings w;
    tfp_growth_result *r = tfp_growth_result_alloc(2, NULL);
    tfp_warnings_init(&w);
    tfp_growth_opts_init(&o);
    tfp_growth_fit(&in, &o, r, NULL);
    cr_assert(isnan(r->share_A[1]));
    cr_assert(isfinite(r->g_A[1]));
    tfp_growth_summarize(&in, r, &o, 2011, 2011, "Z", &s, &w, NULL);
    cr_assert(isnan(s.share_A));
    cr_assert_geq(w.n, 1);
    tfp_warnings_fini(&w);
    tfp_growth_result_free(r);
}

/* Regression, found by fuzz_estimate: output 1234.5 per 6.00251e-306 of labour overflows the
 * doubles; labour productivity is then undefined (NaN, not inf) with a warning naming the
 * year, and so is its growth. */
Test(growth, labour_productivity_beyond_the_doubles_is_undefined_with_a_warning)
{
    static const int year[] = {2019, 2020, 2021};
    static const double Y[] = {1000.0, 1234.5, 1300.0};
    static const double L[] = {50.0, 6.00251e-306, 52.0};
    static const double K[] = {300.0, 320.0, 340.0};
    tfp_growth_series in = {3, year, Y, L, K, L, NULL};
    tfp_growth_opts o;
    tfp_growth_summary s;
    tfp_warnings w;
    tfp_growth_result *r = tfp_growth_result_alloc(3, NULL);
    tfp_warnings_init(&w);
    tfp_growth_opts_init(&o);
    cr_assert_eq(tfp_growth_fit(&in, &o, r, NULL), TFP_OK);
    cr_assert(isnan(r->LP[1]));
    cr_assert(isnan(r->g_LP[1]) && isnan(r->g_LP[2]));
    tfp_test_rel(r->LP[2], 1300.0 / 52.0, 1e-15);
    cr_assert_eq(tfp_growth_summarize(&in, r, &o, 2020, 2021, "X", &s, &w, NULL), TFP_OK);
    cr_assert_geq(w.n, 1);
    cr_assert_not_null(strstr(w.msg[0], "X: labour productivity in 2020"), "%s", w.msg[0]);
    cr_assert_not_null(strstr(w.msg[0], "left undefined"), "%s", w.msg[0]);
    tfp_warnings_fini(&w);
    tfp_growth_result_free(r);
}

/* Labour productivity from 1e-300 to 1e300 in a year: the compound growth overflows the
 * doubles and is undefined (NaN), not inf; the log growth is still finite. */
Test(growth, compound_growth_beyond_the_doubles_is_undefined)
{
    static const int year[] = {2020, 2021};
    static const double Y[] = {1e-298, 1e302};
    static const double L[] = {100.0, 100.0};
    static const double K[] = {300.0, 320.0};
    tfp_growth_series in = {2, year, Y, L, K, L, NULL};
    tfp_growth_opts o;
    tfp_growth_summary s;
    tfp_growth_result *r = tfp_growth_result_alloc(2, NULL);
    tfp_growth_opts_init(&o);
    o.form = TFP_GROWTH_LOG;
    cr_assert_eq(tfp_growth_fit(&in, &o, r, NULL), TFP_OK);
    cr_assert_eq(tfp_growth_summarize(&in, r, &o, 2021, 2021, "X", &s, NULL, NULL), TFP_OK);
    cr_assert(isnan(s.lp_compound));
    cr_assert(isfinite(r->g_LP[1]) && r->g_LP[1] > 1380.0);
    tfp_growth_result_free(r);
}

/* Regression, found by fuzz_estimate: labour from 2.161e-307 to 23.208 (simple growth 1.07e308,
 * finite) makes the TFP growth about -6.4e307 and its share of 14 % output growth overflow:
 * the share is undefined (NaN), not -inf. */
Test(growth, share_beyond_the_doubles_is_undefined)
{
    static const int year[] = {2020, 2021};
    static const double Y[] = {68.8, 78.564};
    static const double L[] = {21.61e-308, 23.208};
    static const double K[] = {157.6, 177.104};
    tfp_growth_series in = {2, year, Y, L, K, L, NULL};
    tfp_growth_opts o;
    tfp_growth_result *r = tfp_growth_result_alloc(2, NULL);
    tfp_growth_opts_init(&o);
    o.form = TFP_GROWTH_SIMPLE;
    cr_assert_eq(tfp_growth_fit(&in, &o, r, NULL), TFP_OK);
    cr_assert(isfinite(r->g_L[1]) && r->g_L[1] > 1e307);
    cr_assert(isfinite(r->g_A[1]));
    cr_assert(isnan(r->share_A[1]) && isnan(r->share_L[1]));
    tfp_test_rel(r->share_K[1], 0.4 * (177.104 / 157.6 - 1.0) / (78.564 / 68.8 - 1.0), 1e-13);
    tfp_growth_result_free(r);
}

Test(growth, missing_base_year_is_a_warning_not_an_error)
{
    tfp_growth_series in = series3();
    tfp_growth_opts o;
    tfp_growth_summary s;
    tfp_warnings w;
    tfp_growth_result *r = tfp_growth_result_alloc(3, NULL);
    tfp_warnings_init(&w);
    tfp_growth_opts_init(&o);
    tfp_growth_fit(&in, &o, r, NULL);
    cr_assert_eq(tfp_growth_summarize(&in, r, &o, 2019, 2021, "X", &s, &w, NULL), TFP_OK);
    cr_assert(isnan(s.g_Y));
    cr_assert_eq(w.n, 1);
    cr_assert(strstr(w.msg[0], "base year 2018") != NULL);
    tfp_warnings_fini(&w);
    tfp_growth_result_free(r);
}

Test(growth, rejects_capital_share_outside_unit_interval)
{
    tfp_growth_series in = series3();
    tfp_growth_opts o;
    tfp_error err;
    tfp_growth_result *r = tfp_growth_result_alloc(3, NULL);
    tfp_error_init(&err);
    tfp_growth_opts_init(&o);
    o.capital_share = 1.2;
    cr_assert_eq(tfp_growth_fit(&in, &o, r, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "capital share") != NULL);
    tfp_growth_result_free(r);
}

/* Regression, found by fuzz_estimate: output falling from 110 to 1.211e-305.
 * (x1 - x0) / x0 rounds to -1 there, so log1p alone gave -inf; the log
 * growth must be the finite log(x1) - log(x0), and extreme ratios that
 * overflow the simple form are undefined (NaN), never infinite. */
Test(growth, extreme_ratios_give_finite_or_undefined_growth)
{
    double g = tfp_growth_rate(110.0, 1.211e-305, TFP_GROWTH_LOG);
    cr_assert(isfinite(g));
    cr_assert(fabs(g - (log(1.211e-305) - log(110.0))) <= 1e-15 * fabs(g), "g = %.17g", g);
    g = tfp_growth_rate(1e-308, 1e308, TFP_GROWTH_LOG); /* ratio overflows */
    cr_assert(isfinite(g));
    cr_assert(fabs(g - (log(1e308) - log(1e-308))) <= 1e-15 * fabs(g), "g = %.17g", g);
    g = tfp_growth_rate(4.9e-324, 1e308, TFP_GROWTH_LOG); /* subnormal start */
    cr_assert(isfinite(g) && g > 1400.0);
    cr_assert(isnan(tfp_growth_rate(1e-308, 1e308, TFP_GROWTH_SIMPLE)));
    cr_assert(tfp_growth_rate(110.0, 1.211e-305, TFP_GROWTH_SIMPLE) == -1.0);
    /* Near no change the log1p form stays: exact to the last bit here. */
    cr_assert(tfp_growth_rate(1.0, 1.0 + 0x1p-40, TFP_GROWTH_LOG) == log1p(0x1p-40));
    /* Both sides of the switch agree with the direct log to 1e-15. */
    cr_assert(fabs(tfp_growth_rate(2.0, 0.999, TFP_GROWTH_LOG) - log(0.999 / 2.0)) < 1e-15);
    cr_assert(fabs(tfp_growth_rate(2.0, 1.001, TFP_GROWTH_LOG) - log(1.001 / 2.0)) < 1e-15);
}
