/*
 * analysis/shiftshare: the decomposition of labour productivity against a
 * three-sector example with product taxes worked out by hand, the identity
 * (within + static + dynamic + taxes = total) on random high-entropy data,
 * and the region decomposition of the estimate pipeline on the CLI fixture.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>

#include "tfp/config.h"
#include "tfp/estimate.h"
#include "tfp/shiftshare.h"
#include "tfp_test.h"

TestSuite(shiftshare, .init = quiet_gsl);

/*
 * Hand example (tests/fixtures/cli/shiftshare.csv, region North), base year
 * 2020 and last year 2021:
 *
 *   sector      Y0    L0   P0    S0     Y1    L1   P1    S1
 *   agri        30    20   1.5   0.50   32    20   1.6   0.40
 *   industry    50    10   5     0.25   82.5  15   5.5   0.30
 *   services    40    10   4     0.25   63    15   4.2   0.30
 *   taxes T      8                      12.5
 *   total      128    40                190   50
 *
 * LP0 = 128 / 40 = 3.2 (= 1.5*0.5 + 5*0.25 + 4*0.25 + 8/40 = 3.0 + 0.2),
 * LP1 = 190 / 50 = 3.8 (= 1.6*0.4 + 5.5*0.3 + 4.2*0.3 + 12.5/50 = 3.55 + 0.25),
 * total 0.6. dP = (0.1, 0.5, 0.2), dS = (-0.1, 0.05, 0.05):
 *   within  = 0.1*0.5 + 0.5*0.25 + 0.2*0.25        = 0.05 + 0.125 + 0.05 = 0.225
 *   static  = 1.5*(-0.1) + 5*0.05 + 4*0.05         = -0.15 + 0.25 + 0.2  = 0.3
 *   dynamic = 0.1*(-0.1) + 0.5*0.05 + 0.2*0.05     = -0.01 + 0.025 + 0.01 = 0.025
 *   taxes   = 12.5/50 - 8/40                       = 0.25 - 0.2 = 0.05
 * and 0.225 + 0.3 + 0.025 + 0.05 = 0.6.
 */
static const double north_Y0[] = {30, 50, 40}, north_L0[] = {20, 10, 10};
static const double north_Y1[] = {32, 82.5, 63}, north_L1[] = {20, 15, 15};

static void
assert_north(const tfp_shiftshare_parts *x)
{
    /* Each part is a few roundings from its exact decimal value. */
    tfp_test_rel(x->lp_base, 3.2, 1e-15);
    tfp_test_rel(x->lp_last, 3.8, 1e-15);
    tfp_test_rel(x->total, 0.6, 1e-14);
    tfp_test_rel(x->within, 0.225, 1e-14);
    tfp_test_rel(x->static_shift, 0.3, 1e-14);
    tfp_test_rel(x->dynamic_shift, 0.025, 1e-13);
    tfp_test_rel(x->taxes, 0.05, 1e-14);
}

Test(shiftshare, three_sectors_with_product_taxes_by_hand)
{
    tfp_shiftshare_parts x;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_shiftshare_fit(3, north_Y0, north_L0, north_Y1, north_L1, 8.0, 12.5, &x, &err),
                 TFP_OK);
    assert_north(&x);
}

/*
 * Region South of the fixture, two sectors and no product taxes:
 *   agri      Y 10 -> 11, L 10 -> 10: P 1 -> 1.1
 *   industry  Y 20 -> 24, L  5 ->  6: P 4 -> 4
 * L 15 -> 16, S0 = (2/3, 1/3), S1 = (10/16, 6/16) = (0.625, 0.375).
 * LP0 = 30/15 = 2, LP1 = 35/16 = 2.1875, total 0.1875.
 *   within  = 0.1 * 2/3 + 0 * 1/3                    = 1/15
 *   static  = 1 * (0.625 - 2/3) + 4 * (0.375 - 1/3)  = -1/24 + 1/6 = 1/8
 *   dynamic = 0.1 * (-1/24) + 0 * (1/24)             = -1/240
 * 1/15 + 1/8 - 1/240 = (16 + 30 - 1)/240 = 45/240 = 0.1875.
 */
Test(shiftshare, two_sectors_in_thirds_by_hand)
{
    static const double Y0[] = {10, 20}, L0[] = {10, 5}, Y1[] = {11, 24}, L1[] = {10, 6};
    tfp_shiftshare_parts x;
    cr_assert_eq(tfp_shiftshare_fit(2, Y0, L0, Y1, L1, 0.0, 0.0, &x, NULL), TFP_OK);
    tfp_test_rel(x.lp_base, 2.0, 1e-15);
    tfp_test_rel(x.lp_last, 2.1875, 1e-15);
    tfp_test_rel(x.within, 1.0 / 15.0, 1e-14);
    tfp_test_rel(x.static_shift, 0.125, 1e-14);
    tfp_test_rel(x.dynamic_shift, -1.0 / 240.0, 1e-13);
    cr_assert_eq(x.taxes, 0.0);
}

Test(shiftshare, nan_in_nan_out_and_no_sectors_rejected)
{
    double Y0[] = {10, 20}, L0[] = {10, TFP_NAN}, Y1[] = {11, 24}, L1[] = {10, 6};
    tfp_shiftshare_parts x;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_shiftshare_fit(2, Y0, L0, Y1, L1, 0.0, 0.0, &x, NULL), TFP_OK);
    cr_assert(isnan(x.lp_base) && isnan(x.total) && isnan(x.within) && isnan(x.static_shift) &&
              isnan(x.dynamic_shift) && isnan(x.taxes));
    cr_assert_eq(tfp_shiftshare_fit(0, Y0, L0, Y1, L1, 0.0, 0.0, &x, &err), TFP_EINVAL);
}

/* Regression, found by fuzz_estimate: a labour input near zero (6e-306) makes a sector's
 * productivity overflow; every part is then undefined (NaN), never infinite. */
Test(shiftshare, productivity_beyond_the_doubles_is_undefined)
{
    double Y0[] = {1234.5, 20}, L0[] = {6.00251e-306, 4}, Y1[] = {1300, 24}, L1[] = {7e-306, 6};
    tfp_shiftshare_parts x;
    cr_assert_eq(tfp_shiftshare_fit(2, Y0, L0, Y1, L1, 0.0, 0.0, &x, NULL), TFP_OK);
    cr_assert(isnan(x.lp_base) && isnan(x.lp_last) && isnan(x.total) && isnan(x.within) &&
              isnan(x.static_shift) && isnan(x.dynamic_shift) && isnan(x.taxes));
}

/*
 * The identity LP1 - LP0 = within + static + dynamic + taxes holds exactly
 * in real arithmetic (expand sum P1 S1 - P0 S0 with P1 = P0 + dP, S1 = S0 +
 * dS). In floating point, on random data (2 to 40 sectors, outputs and
 * employment spread over four orders of magnitude, productivity changes of
 * -30 % to +60 %, product taxes in half of the draws):
 *  - wherever labour productivity changed by at least 1 % (19346 of the
 *    20000 draws), the parts sum to the total to 1e-12 relative (measured
 *    worst: 5.8e-14);
 *  - always, they agree to 1e-14 of the productivity level (measured worst:
 *    1.2e-15): LP1 - LP0 is a difference of two rounded levels, so a change
 *    that nearly vanishes has no better relative accuracy, whatever the
 *    decomposition.
 */
Test(shiftshare, parts_sum_to_the_total_on_random_panels)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    double Y0[40], L0[40], Y1[40], L1[40], worst = 0.0, worst_level = 0.0;
    int checked = 0;
    gsl_rng_set(rng, 20250701UL);
    for (int draw = 0; draw < 20000; draw++) {
        size_t k = 2 + gsl_rng_uniform_int(rng, 39);
        double T0 = 0.0, T1 = 0.0, sum, gap, level;
        tfp_shiftshare_parts x;
        for (size_t i = 0; i < k; i++) {
            L0[i] = pow(10.0, 4.0 * gsl_rng_uniform(rng)) * (1.0 + gsl_rng_uniform(rng));
            Y0[i] = L0[i] * pow(10.0, 2.0 * gsl_rng_uniform(rng) - 1.0);
            L1[i] = L0[i] * (0.5 + gsl_rng_uniform(rng));
            Y1[i] = Y0[i] / L0[i] * (0.7 + 0.9 * gsl_rng_uniform(rng)) * L1[i];
        }
        if (draw % 2 == 0) {
            T0 = 0.1 * Y0[0] * (0.5 + gsl_rng_uniform(rng));
            T1 = T0 * (0.8 + 0.5 * gsl_rng_uniform(rng));
        }
        cr_assert_eq(tfp_shiftshare_fit(k, Y0, L0, Y1, L1, T0, T1, &x, NULL), TFP_OK);
        sum = x.within + x.static_shift + x.dynamic_shift + x.taxes;
        gap = fabs(sum - x.total);
        level = fmax(x.lp_base, x.lp_last);
        worst_level = fmax(worst_level, gap / level);
        cr_assert_leq(gap, 1e-14 * level, "draw %d: parts %.17g, total %.17g, level %.17g", draw,
                      sum, x.total, level);
        if (fabs(x.total) >= 0.01 * x.lp_base) {
            checked++;
            worst = fmax(worst, gap / fabs(x.total));
            cr_assert_leq(gap, 1e-12 * fabs(x.total), "draw %d: parts %.17g, total %.17g", draw,
                          sum, x.total);
        }
    }
    cr_assert_gt(checked, 15000);
    cr_log_info("%d draws with |change| >= 1 %%: worst gap %.3g of the change; all: %.3g of the "
                "level",
                checked, worst, worst_level);
    gsl_rng_free(rng);
}

static tfp_estimate *
estimate_path(const char *path, int from, int to, const char *tax, tfp_error *err)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_panel_opts_init(&po);
    tfp_estimate_opts_init(&eo);
    eo.from = from;
    eo.to = to;
    eo.tax_sector = tax;
    if (tfp_panel_read(path, &po, &p, err) != TFP_OK)
        return NULL;
    if (tfp_estimate_run(p, &eo, &e, err) != TFP_OK)
        return NULL;
    return e;
}

static tfp_estimate *
estimate_file(const char *rel, int from, int to, const char *tax, tfp_error *err)
{
    return estimate_path(tfp_test_path(rel), from, to, tax, err);
}

/* The pipeline on the fixture: North as by hand (its product taxes moved
 * out of the sectors and into the total), South without taxes; the region
 * totals' labour productivity is the decomposition's level. */
Test(shiftshare, estimate_pipeline_on_the_fixture)
{
    tfp_error err;
    tfp_estimate *e;
    const tfp_shiftshare *s;
    tfp_error_init(&err);
    e = estimate_file("tests/fixtures/cli/shiftshare.csv", 2021, 2021, NULL, &err);
    cr_assert_not_null(e, "%s", err.msg);
    s = e->shiftshare;
    cr_assert_not_null(s);
    cr_assert_eq(s->n, 2);
    cr_assert_str_eq(s->region[0].region, "North");
    cr_assert_eq(s->region[0].base, 2020);
    cr_assert_eq(s->region[0].last, 2021);
    cr_assert_eq(s->region[0].nsector, 3);
    cr_assert(s->region[0].has_taxes);
    assert_north(&s->region[0].parts);
    cr_assert_str_eq(s->region[1].region, "South");
    cr_assert(!s->region[1].has_taxes);
    tfp_test_rel(s->region[1].parts.total, 0.1875, 1e-14);
    /* Units: North and South totals, then 3 + 2 production sectors (the
     * product taxes are none). The North total's output is GRDP: 128 and
     * 190 with the taxes; its labour 40 and 50 without them. */
    cr_assert_eq(e->nunit, 7);
    cr_assert_null(e->unit[0].sector);
    tfp_test_rel(e->unit[0].in.Y[0], 128.0, 1e-15);
    tfp_test_rel(e->unit[0].in.Y[1], 190.0, 1e-15);
    tfp_test_rel(e->unit[0].in.P[1], 50.0, 1e-15);
    tfp_test_rel(e->unit[0].g->LP[0], s->region[0].parts.lp_base, 1e-15);
    tfp_test_rel(e->unit[0].g->LP[1], s->region[0].parts.lp_last, 1e-15);
    for (size_t u = 0; u < e->nunit; u++)
        cr_assert(e->unit[u].sector == NULL || strcmp(e->unit[u].sector, "product_taxes") != 0);
    cr_assert_not_null(e->taxes);
    cr_assert_eq(e->taxes->n, 2);
    tfp_estimate_free(e);
}

/* Without the tax sector named, the taxes are an ordinary sector without
 * labour: North's total becomes undefined (missing labour) and so does
 * its decomposition. */
Test(shiftshare, another_tax_sector_name_leaves_taxes_as_a_sector)
{
    tfp_error err;
    tfp_estimate *e;
    tfp_error_init(&err);
    e = estimate_file("tests/fixtures/cli/shiftshare.csv", 2021, 2021, "excise", &err);
    cr_assert_not_null(e, "%s", err.msg);
    cr_assert_null(e->taxes);
    cr_assert(isnan(e->shiftshare->region[0].parts.total));
    cr_assert(isnan(e->unit[0].in.P[0]));
    tfp_estimate_free(e);
}

Test(shiftshare, tax_rows_with_labour_are_an_input_error)
{
    static const char csv[] = "region,sector,year,output,labour,capital\n"
                              "A,agri,2020,10,5,20\n"
                              "A,agri,2021,11,5,21\n"
                              "A,product_taxes,2020,1,,\n"
                              "A,product_taxes,2021,1.2,3,\n";
    const char *path = tfp_test_tmpfile(0, csv, sizeof csv - 1);
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_null(estimate_path(path, 2021, 2021, NULL, &err));
    cr_assert_eq(err.code, TFP_EINPUT);
    cr_assert_eq(err.line, 5);
    cr_assert(strstr(err.msg, "sector \"product_taxes\" holds product taxes less subsidies") !=
                  NULL,
              "%s", err.msg);
    cr_assert(strstr(err.msg, "column \"labour\" must be empty (found 3)") != NULL, "%s", err.msg);
}

/* A sector without a base-year row: the region's decomposition (and its
 * total, by the missing-sector rule) is undefined, with a warning. */
Test(shiftshare, missing_base_year_sector_gives_undefined_parts_and_a_warning)
{
    static const char csv[] = "region,sector,year,output,labour,capital\n"
                              "A,agri,2020,10,5,20\n"
                              "A,agri,2021,11,5,21\n"
                              "A,industry,2021,30,4,50\n";
    const char *path = tfp_test_tmpfile(1, csv, sizeof csv - 1);
    tfp_error err;
    tfp_estimate *e;
    int found = 0;
    tfp_error_init(&err);
    e = estimate_path(path, 2021, 2021, NULL, &err);
    cr_assert_not_null(e, "%s", err.msg);
    cr_assert_eq(e->shiftshare->region[0].last, 2021);
    cr_assert(isnan(e->shiftshare->region[0].parts.within));
    for (size_t i = 0; i < e->warnings.n; i++)
        found |= strstr(e->warnings.msg[i], "A: output or labour missing for a sector in the base "
                                            "year 2020; shift-share undefined") != NULL;
    cr_assert(found);
    tfp_estimate_free(e);
}
