/*
 * analysis/targets: statuses and required growth against hand-derived values.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/config.h"
#include "tfp/targets.h"
#include "tfp_test.h"

TestSuite(targets, .init = quiet_gsl);

/* The growth test's hand example: LP grows 4/51 a year from LP_2019 = 2,
 * TFP share 0.48, data to 2021. */
static tfp_growth_summary
example(int from, int to)
{
    tfp_growth_summary s;
    memset(&s, 0, sizeof s);
    s.from = from;
    s.to = to;
    s.base = from - 1;
    s.last = 2021;
    s.years = 2021 - s.base;
    s.complete = s.last == to;
    s.LP_base = 2.0;
    s.LP_last = 2.0 * pow(55.0 / 51.0, s.years);
    s.lp_compound = 4.0 / 51.0;
    s.share_A = 0.48;
    s.share_A_last = 0.48;
    return s;
}

Test(targets, complete_period_statuses)
{
    tfp_targets t;
    tfp_target_check c[TFP_TARGET_COUNT];
    tfp_growth_summary s = example(2020, 2021);
    tfp_targets_init(&t);
    tfp_targets_check(&s, &t, c);
    cr_assert_str_eq(c[TFP_TARGET_LP].target, "lp_growth");
    cr_assert_str_eq(c[TFP_TARGET_LP].status, "below"); /* 0.0784 < 0.125 */
    cr_assert(isnan(c[TFP_TARGET_LP].required_growth));
    cr_assert_str_eq(c[TFP_TARGET_TFP_PERIOD].status, "above"); /* 0.48 > 0.35 */
    cr_assert_str_eq(c[TFP_TARGET_TFP_LAST].status, "above");
    t.lp = 0.07;
    t.tfp_lo = 0.40;
    t.tfp_hi = 0.50;
    tfp_targets_check(&s, &t, c);
    cr_assert_str_eq(c[TFP_TARGET_LP].status, "met");
    cr_assert_str_eq(c[TFP_TARGET_TFP_PERIOD].status, "within");
    t.tfp_lo = 0.49;
    tfp_targets_check(&s, &t, c);
    cr_assert_str_eq(c[TFP_TARGET_TFP_PERIOD].status, "below");
}

Test(targets, incomplete_period_required_growth_by_hand)
{
    tfp_targets t;
    tfp_target_check c[TFP_TARGET_COUNT];
    tfp_growth_summary s = example(2020, 2023);
    tfp_targets_init(&t);
    tfp_targets_check(&s, &t, c);
    cr_assert_str_eq(c[TFP_TARGET_LP].status, "off-track");
    cr_assert_str_eq(c[TFP_TARGET_TFP_PERIOD].status, "on-track");
    /* Required: ((1.125)^4 * LP_base / LP_last)^(1/2) - 1 with
     * LP_last / LP_base = (1.1/1.02)^2, i.e. 1.125^2 * 1.02 / 1.1 - 1
     * = 1.2909375 / 1.1 - 1 = 0.17357954545454... */
    tfp_test_rel(c[TFP_TARGET_LP].required_growth, 1.2909375 / 1.1 - 1.0, 1e-13);
}

Test(targets, undefined_value_has_undefined_status)
{
    tfp_targets t;
    tfp_target_check c[TFP_TARGET_COUNT];
    tfp_growth_summary s = example(2020, 2021);
    s.share_A = TFP_NAN;
    tfp_targets_init(&t);
    tfp_targets_check(&s, &t, c);
    cr_assert_str_eq(c[TFP_TARGET_TFP_PERIOD].status, "undefined");
}

Test(targets, parse_accepts_lp_and_band)
{
    tfp_targets t;
    tfp_targets_init(&t);
    cr_assert_eq(tfp_targets_parse(&t, "lp=0.1", NULL), TFP_OK);
    cr_assert_eq(tfp_targets_parse(&t, "tfp=0.25:0.4", NULL), TFP_OK);
    tfp_test_rel(t.lp, 0.1, 0);
    tfp_test_rel(t.tfp_lo, 0.25, 0);
    tfp_test_rel(t.tfp_hi, 0.4, 0);
}

Test(targets, parse_rejects_bad_specs)
{
    static const char *bad[] = {"lp",      "lp=",        "lp=12.5%", "tfp=0.4:0.3",
                                "xyz=0.1", "lp=0.1:0.2", "lp=abc",   "tfp=0.3:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tfp_targets t;
        tfp_error err;
        tfp_error_init(&err);
        tfp_targets_init(&t);
        cr_assert_eq(tfp_targets_parse(&t, bad[i], &err), TFP_EINVAL, "%s", bad[i]);
        cr_assert(strstr(err.msg, "target") != NULL);
    }
}
