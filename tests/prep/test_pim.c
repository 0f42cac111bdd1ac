/*
 * prep/pim: perpetual inventory with the Harberger start, against values
 * derived by hand.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/config.h"
#include "tfp/prep.h"
#include "tfp_test.h"

TestSuite(pim, .init = quiet_gsl);

Test(pim, harberger_start_and_accumulation_by_hand)
{
    static const int year[] = {2000, 2001, 2002};
    static const double I[] = {10.0, 11.0, 12.1};
    double K[3];
    size_t broken;
    cr_assert_eq(tfp_pim_series(year, I, 3, 0.05, TFP_NAN, K, &broken, NULL), TFP_OK);
    cr_assert_eq(broken, 3);
    /* g_I = (12.1 / 10)^(1/2) - 1 = 0.1; K0 = 10 / (0.1 + 0.05) = 200/3;
     * K1 = 0.95 * 200/3 + 11 = 223/3; K2 = 0.95 * 223/3 + 12.1 = 248.15/3. */
    tfp_test_rel(K[0], 200.0 / 3.0, 1e-14);
    tfp_test_rel(K[1], 223.0 / 3.0, 1e-14);
    tfp_test_rel(K[2], 248.15 / 3.0, 1e-14);
}

Test(pim, given_initial_stock_is_used)
{
    static const int year[] = {2000, 2001};
    static const double I[] = {7.25, 8.5};
    double K[2];
    size_t broken;
    cr_assert_eq(tfp_pim_series(year, I, 2, 0.08, 123.5, K, &broken, NULL), TFP_OK);
    /* K1 = 0.92 * 123.5 + 8.5 = 122.12. */
    tfp_test_rel(K[0], 123.5, 0);
    tfp_test_rel(K[1], 122.12, 1e-14);
}

Test(pim, gap_or_missing_investment_breaks_the_series)
{
    static const int year[] = {2000, 2001, 2003, 2004};
    static const double I[] = {10.0, 11.0, 12.0, 13.0};
    double K[4];
    size_t broken;
    cr_assert_eq(tfp_pim_series(year, I, 4, 0.05, 100.0, K, &broken, NULL), TFP_OK);
    cr_assert_eq(broken, 2);
    cr_assert(isfinite(K[1]));
    cr_assert(isnan(K[2]) && isnan(K[3]));
}

Test(pim, harberger_undefined_when_investment_collapses)
{
    static const int year[] = {2000, 2001};
    static const double I[] = {10.0, 5.0};
    double K[2];
    size_t broken;
    tfp_error err;
    tfp_error_init(&err);
    /* g_I = -0.5, so g_I + delta = -0.45 <= 0. */
    cr_assert_eq(tfp_pim_series(year, I, 2, 0.05, TFP_NAN, K, &broken, &err), TFP_ENUMERIC);
    cr_assert(strstr(err.msg, "--k0") != NULL);
}
