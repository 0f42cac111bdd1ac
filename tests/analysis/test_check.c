/*
 * analysis/check: plan targets on reported indicators, against values
 * derived by hand for levels, complete and gapped growth series, weighted
 * and plain TFP-share means, complete periods; and the bundled Bac Giang
 * figures (2023: labour productivity +12.5 %, TFP share 31.5 %) against the
 * 2021-2025 plan.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/check.h"
#include "tfp/config.h"
#include "tfp_test.h"

TestSuite(check, .init = quiet_gsl);

static tfp_check *
run_text(int slot, const char *text, int percent, int from, int to)
{
    tfp_reported_opts ro;
    tfp_check_opts co;
    tfp_reported *r = NULL;
    tfp_check *c = NULL;
    tfp_error err;
    tfp_reported_opts_init(&ro);
    ro.percent = percent;
    tfp_check_opts_init(&co);
    co.from = from;
    co.to = to;
    tfp_error_init(&err);
    cr_assert_eq(tfp_reported_read(tfp_test_tmpfile(slot, text, strlen(text)), &ro, &r, &err),
                 TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_check_run(r, &co, &c, &err), TFP_OK, "%s", err.msg);
    return c;
}

static int
has_warning(const tfp_check *c, const char *needle)
{
    for (size_t i = 0; i < c->warnings.n; i++)
        if (strstr(c->warnings.msg[i], needle) != NULL)
            return 1;
    return 0;
}

/*
 * Levels: LP 100 in the base year 2020 and 140.4928 = 100 x 1.12^3 in 2023,
 * plan 2021-2025, goal 12.5 %: lp_growth = 1.12^(3/3) - 1 = 0.12, off
 * track; required over 2024-2025: ((1.125^5 x 100 / 140.4928)^(1/2)) - 1
 * = (1.802032470703125 / 1.404928)^(1/2) - 1. Growth rates in the same file
 * are not used.
 */
Test(check, levels_give_the_compound_rate_and_required_growth)
{
    tfp_check *c = run_text(0,
                            "year,labour_productivity,labour_productivity_growth\n"
                            "2020,100,\n"
                            "2021,,0.5\n"
                            "2023,140.4928,\n",
                            0, 2021, 2025);
    const tfp_target_check *t = &c->region[0].t[TFP_TARGET_LP];
    const tfp_check_source *s = &c->region[0].src[TFP_TARGET_LP];
    tfp_test_rel(t->value, 0.12, 1e-14);
    cr_assert_str_eq(t->status, "off-track");
    tfp_test_rel(t->required_growth, sqrt(1.802032470703125 / 1.404928) - 1.0, 1e-14);
    cr_assert_eq(s->basis, TFP_BASIS_LEVELS);
    cr_assert_str_eq(s->column, "labour_productivity");
    cr_assert_eq(s->years, 3);
    cr_assert_eq(s->first, 2020);
    cr_assert_eq(s->last, 2023);
    cr_assert_str_eq(c->region[0].t[TFP_TARGET_TFP_PERIOD].status, "undefined");
    tfp_check_free(c);
}

/*
 * Growth rates for every year from the period's start, in percent: 10 % in
 * 2021 and 15 % in 2022. lp_growth = (1.10 x 1.15)^(1/2) - 1 = 1.265^(1/2) - 1
 * = 0.12472..., off track; required over 2023-2025:
 * (1.125^5 / 1.265)^(1/3) - 1.
 */
Test(check, complete_growth_series_gives_required_growth)
{
    tfp_check *c = run_text(1,
                            "year,labour_productivity_growth_pct\n"
                            "2020,30\n"
                            "2021,10\n"
                            "2022,15\n",
                            1, 2021, 2025);
    const tfp_target_check *t = &c->region[0].t[TFP_TARGET_LP];
    tfp_test_rel(t->value, sqrt(1.265) - 1.0, 1e-14);
    cr_assert_str_eq(t->status, "off-track");
    tfp_test_rel(t->required_growth, cbrt(1.802032470703125 / 1.265) - 1.0, 1e-14);
    cr_assert_eq(c->region[0].src[TFP_TARGET_LP].basis, TFP_BASIS_GROWTH);
    cr_assert_eq(c->region[0].src[TFP_TARGET_LP].years, 2);
    cr_assert_eq(c->warnings.n, 0); /* complete: nothing to say; no TFP column */
    tfp_check_free(c);
}

/*
 * A gapped series (2021 and 2023 reported, 2022 not): lp_growth is the
 * compound average of the years reported, (1.2 x 1.08)^(1/2) - 1 = 1.296^(1/2)
 * - 1 = 0.13842..., on track; the growth still required needs LP_2023 /
 * LP_2020, which the gap hides: left undefined, with a warning naming 2022.
 */
Test(check, gapped_growth_series_has_no_required_growth)
{
    tfp_check *c = run_text(2,
                            "year,lp_growth\n"
                            "2021,0.2\n"
                            "2023,0.08\n",
                            0, 2021, 2025);
    const tfp_target_check *t = &c->region[0].t[TFP_TARGET_LP];
    tfp_test_rel(t->value, sqrt(1.296) - 1.0, 1e-14);
    cr_assert_str_eq(t->status, "on-track");
    cr_assert(isnan(t->required_growth));
    cr_assert(has_warning(c, "data: lp_growth has 2 of the 3 years 2021-2023 (none for 2022)"));
    tfp_check_free(c);
}

/*
 * TFP shares 0.4, 0.2, 0.3 in 2021-2023 with output growth 0.10, 0.05,
 * 0.05: weighted (0.04 + 0.01 + 0.015) / 0.20 = 0.325 (the plain mean would
 * be 0.3); last year 0.3. Both on track against 30-35 % (period open to
 * 2025). Region B lacks output growth for 2022: plain mean (0.3 + 0.5) / 2
 * = 0.4, with a warning; a complete period (to 2022) gives "above" and
 * "above".
 */
Test(check, tfp_share_weighted_by_output_growth_or_plain_mean)
{
    tfp_check *c = run_text(3,
                            "region,year,tfp_share,output_growth\n"
                            "A,2021,0.4,0.10\n"
                            "A,2022,0.2,0.05\n"
                            "A,2023,0.3,0.05\n",
                            0, 2021, 2025);
    tfp_check_region *x = &c->region[0];
    tfp_test_rel(x->t[TFP_TARGET_TFP_PERIOD].value, 0.325, 1e-15);
    cr_assert_str_eq(x->t[TFP_TARGET_TFP_PERIOD].status, "on-track");
    cr_assert_eq(x->src[TFP_TARGET_TFP_PERIOD].basis, TFP_BASIS_WEIGHTED_MEAN);
    cr_assert_str_eq(x->src[TFP_TARGET_TFP_PERIOD].weights, "output_growth");
    cr_assert_eq(x->t[TFP_TARGET_TFP_LAST].value, 0.3);
    cr_assert_eq(x->src[TFP_TARGET_TFP_LAST].basis, TFP_BASIS_LAST_YEAR);
    cr_assert_eq(x->src[TFP_TARGET_TFP_LAST].first, 2023);
    cr_assert_str_eq(x->t[TFP_TARGET_LP].status, "undefined");
    tfp_check_free(c);

    c = run_text(4,
                 "region,year,tfp_share,output_growth\n"
                 "B,2021,0.3,0.10\n"
                 "B,2022,0.5,\n",
                 0, 2021, 2022);
    x = &c->region[0];
    tfp_test_rel(x->t[TFP_TARGET_TFP_PERIOD].value, 0.4, 1e-15);
    cr_assert_eq(x->src[TFP_TARGET_TFP_PERIOD].basis, TFP_BASIS_MEAN);
    cr_assert_str_eq(x->t[TFP_TARGET_TFP_PERIOD].status, "above");
    cr_assert_str_eq(x->t[TFP_TARGET_TFP_LAST].status, "above");
    cr_assert(has_warning(c, "B: output_growth is missing for a year with a TFP share in "
                             "2021-2022; tfp_share_period is the plain mean"));
    tfp_check_free(c);
}

/* A complete period on levels that meets the goal exactly: LP 100 in 2020
 * and 100 x 1.125^2 = 126.5625 in 2022, period 2021-2022: lp_growth = 0.125
 * (1.265625^(1/2) = 1.125, exact in binary), met. TFP shares 0.33 and 0.29:
 * mean 0.31, within 30-35 %; last year 0.29, below. */
Test(check, complete_period_met)
{
    tfp_check *c = run_text(5,
                            "year,labour_productivity,tfp_share\n"
                            "2020,100,\n"
                            "2021,112.5,0.33\n"
                            "2022,126.5625,0.29\n",
                            0, 2021, 2022);
    cr_assert_eq(c->region[0].t[TFP_TARGET_LP].value, 0.125);
    cr_assert_str_eq(c->region[0].t[TFP_TARGET_LP].status, "met");
    tfp_test_rel(c->region[0].t[TFP_TARGET_TFP_PERIOD].value, 0.31, 1e-15);
    cr_assert_str_eq(c->region[0].t[TFP_TARGET_TFP_PERIOD].status, "within");
    cr_assert_str_eq(c->region[0].t[TFP_TARGET_TFP_LAST].status, "below");
    tfp_check_free(c);
}

/*
 * The bundled Bac Giang figures (percent), default period: the data reach
 * 2024, so 2021-2025 (base 2020). Only 2023 has labour-productivity growth
 * (12.5 %) and a TFP share (31.5 %, with GRDP growth 13.45 % as its weight):
 * lp_growth = 0.125 exactly, on track against 12.5 %; both TFP shares
 * 0.315, on track against 30-35 %; no required growth (2021-2022 missing).
 */
Test(check, bac_giang_2023_against_the_2021_2025_plan)
{
    tfp_reported_opts ro;
    tfp_check_opts co;
    tfp_reported *r = NULL;
    tfp_check *c = NULL;
    tfp_error err;
    tfp_check_region *x;
    tfp_reported_opts_init(&ro);
    ro.percent = 1;
    tfp_check_opts_init(&co);
    tfp_error_init(&err);
    cr_assert_eq(
        tfp_reported_read(tfp_test_path("datasets/vietnam/bac_giang_reported.csv"), &ro, &r, &err),
        TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_check_run(r, &co, &c, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(c->opts.from, 2021);
    cr_assert_eq(c->opts.to, 2025);
    x = &c->region[0];
    cr_assert_eq(x->t[TFP_TARGET_LP].value, 0.125);
    cr_assert_str_eq(x->t[TFP_TARGET_LP].status, "on-track");
    cr_assert(isnan(x->t[TFP_TARGET_LP].required_growth));
    cr_assert_eq(x->src[TFP_TARGET_LP].first, 2023);
    cr_assert_eq(x->src[TFP_TARGET_LP].last, 2023);
    cr_assert_eq(x->t[TFP_TARGET_TFP_PERIOD].value, 0.315);
    cr_assert_str_eq(x->t[TFP_TARGET_TFP_PERIOD].status, "on-track");
    cr_assert_eq(x->src[TFP_TARGET_TFP_PERIOD].basis, TFP_BASIS_WEIGHTED_MEAN);
    cr_assert_eq(x->t[TFP_TARGET_TFP_LAST].value, 0.315);
    cr_assert_str_eq(x->t[TFP_TARGET_TFP_LAST].status, "on-track");
    cr_assert(has_warning(c, "labour_productivity_growth_pct has 1 of the 3 years 2021-2023 (none "
                             "for 2021-2022)"));
    tfp_check_free(c);
}

Test(check, bad_period_is_rejected)
{
    tfp_reported_opts ro;
    tfp_check_opts co;
    tfp_reported *r = NULL;
    tfp_check *c = NULL;
    tfp_error err;
    static const char text[] = "year,tfp_share\n2021,0.3\n";
    tfp_reported_opts_init(&ro);
    tfp_check_opts_init(&co);
    co.from = 2023;
    co.to = 2021;
    tfp_error_init(&err);
    cr_assert_eq(tfp_reported_read(tfp_test_tmpfile(0, text, sizeof text - 1), &ro, &r, &err),
                 TFP_OK);
    cr_assert_eq(tfp_check_run(r, &co, &c, &err), TFP_EINVAL);
    cr_assert_null(c);
}
