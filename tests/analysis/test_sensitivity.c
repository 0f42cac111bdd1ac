/*
 * analysis/sensitivity: grid points, grid cells against independent runs of
 * the estimate pipeline with the same assumptions, band ends against a
 * hand derivation and against re-estimates at the ends, and the cases where
 * a dimension does not apply.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/estimate.h"
#include "tfp/sensitivity.h"
#include "tfp_test.h"

TestSuite(sensitivity, .init = quiet_gsl);

static tfp_panel *
read_panel(const char *path)
{
    tfp_panel_opts po;
    tfp_panel *p = NULL;
    tfp_error err;
    tfp_error_init(&err);
    tfp_panel_opts_init(&po);
    po.required =
        TFP_ROLE_BIT(TFP_ROLE_YEAR) | TFP_ROLE_BIT(TFP_ROLE_OUTPUT) | TFP_ROLE_BIT(TFP_ROLE_LABOUR);
    cr_assert_eq(tfp_panel_read(path, &po, &p, &err), TFP_OK, "%s", err.msg);
    return p;
}

static tfp_estimate *
estimate(const char *path, const tfp_estimate_opts *o)
{
    tfp_estimate *e = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_estimate_run(read_panel(path), o, &e, &err), TFP_OK, "%s", err.msg);
    return e;
}

static tfp_sensitivity *
grid(const tfp_estimate *e, const tfp_sensitivity_opts *o)
{
    tfp_sensitivity *s = NULL;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_sensitivity_run(e, o, &s, &err), TFP_OK, "%s", err.msg);
    return s;
}

Test(sensitivity, points_are_the_decimal_grid)
{
    double x[16];
    size_t n;
    tfp_error err;
    tfp_error_init(&err);
    cr_assert_eq(tfp_sensitivity_points(0.30, 0.55, 0.05, x, 16, &n, &err), TFP_OK);
    cr_assert_eq(n, 6);
    /* Each point is the double nearest its decimal, as strtod reads it. */
    cr_assert_eq(x[1], strtod("0.35", NULL));
    cr_assert_eq(x[5], strtod("0.55", NULL));
    cr_assert_eq(tfp_sensitivity_points(0.03, 0.10, 0.01, x, 16, &n, &err), TFP_OK);
    cr_assert_eq(n, 8);
    cr_assert_eq(x[7], strtod("0.1", NULL));
    cr_assert_eq(tfp_sensitivity_points(0.4, 0.4, 0.0, x, 16, &n, &err), TFP_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(tfp_sensitivity_points(0.5, 0.4, 0.05, x, 16, &n, &err), TFP_EINVAL);
    tfp_error_init(&err);
    cr_assert_eq(tfp_sensitivity_points(0.3, 0.5, 0.0, x, 16, &n, &err), TFP_EINVAL);
    tfp_error_init(&err);
    cr_assert_eq(tfp_sensitivity_points(0.0, 1.0, 0.01, x, 16, &n, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "more than 16 points") != NULL, "%s", err.msg);
}

Test(sensitivity, k0_method_names_round_trip)
{
    tfp_k0_method m;
    for (int k = 0; k < TFP_K0_COUNT; k++) {
        cr_assert_eq(tfp_k0_method_parse(tfp_k0_method_name((tfp_k0_method)k), &m, NULL), TFP_OK);
        cr_assert_eq((int)m, k);
    }
    cr_assert_eq(tfp_k0_method_parse("half", &m, NULL), TFP_OK);
    cr_assert_eq(m, TFP_K0_HALF);
    cr_assert_eq(tfp_k0_method_parse("triple", &m, NULL), TFP_EINVAL);
}

/*
 * The hand example (tests/fixtures/cli/hand.csv): g_Y = g_K = 10 %, g_L = 2 %
 * each year, so with b_K = b the period TFP share is
 *   (0.10 - 0.10 b - 0.02 (1 - b)) / 0.10 = 0.8 (1 - b);
 * it is 0.35 at b = 1 - 0.35/0.8 = 0.5625 and 0.30 at b = 0.625. Over
 * 0.30..0.70: above up to 0.5625, within to 0.625, below beyond; at the grid
 * points 0.8 (1 - b): 0.56, 0.52, 0.48, 0.44, 0.40, 0.36, 0.32, 0.28, 0.24.
 */
Test(sensitivity, hand_example_bands_and_cells)
{
    tfp_estimate_opts eo;
    tfp_sensitivity_opts so;
    tfp_estimate *e;
    tfp_sensitivity *s;
    const char *want_status[] = {"above", "above",  "above", "above", "above",
                                 "above", "within", "below", "below"};
    tfp_estimate_opts_init(&eo);
    eo.from = 2020;
    eo.to = 2021;
    e = estimate(tfp_test_path("tests/fixtures/cli/hand.csv"), &eo);
    tfp_sensitivity_opts_init(&so);
    so.share_from = 0.30;
    so.share_to = 0.70;
    s = grid(e, &so);
    cr_assert(!s->capital_from_pim);
    cr_assert(s->share_varies);
    cr_assert_eq(s->ncell, 9);
    for (size_t i = 0; i < 9; i++) {
        double b = 0.30 + 0.05 * (double)i;
        cr_assert(isnan(s->cell[i].delta));
        cr_assert_eq(s->cell[i].k0, -1);
        tfp_test_rel(s->cell[i].capital_share, b, 1e-15);
        tfp_test_rel(s->cell[i].tfp_share, 0.8 * (1.0 - b), 1e-13);
        cr_assert_str_eq(s->cell[i].status, want_status[i]);
    }
    cr_assert_eq(s->nband, 3);
    cr_assert_str_eq(s->band[0].status, "above");
    tfp_test_rel(s->band[0].from, 0.30, 1e-15);
    tfp_test_rel(s->band[0].to, 0.5625, 1e-13);
    cr_assert_str_eq(s->band[1].status, "within");
    tfp_test_rel(s->band[1].from, 0.5625, 1e-13);
    tfp_test_rel(s->band[1].to, 0.625, 1e-13);
    cr_assert_str_eq(s->band[2].status, "below");
    tfp_test_rel(s->band[2].from, 0.625, 1e-13);
    tfp_test_rel(s->band[2].to, 0.70, 1e-15);
    tfp_sensitivity_free(s);
    tfp_estimate_free(e);
}

/* An independent run: read the file again and estimate with these options. */
static double
rerun_share(const char *path,
            const tfp_estimate_opts *base,
            double share,
            double delta,
            double k0,
            size_t unit)
{
    tfp_estimate_opts eo = *base;
    tfp_estimate *e;
    double v;
    eo.growth.capital_share = share;
    eo.delta = delta;
    eo.k0 = k0;
    e = estimate(path, &eo);
    v = e->unit[unit].s.share_A;
    tfp_estimate_free(e);
    return v;
}

Test(sensitivity, cells_equal_independent_estimates)
{
    const char *path = tfp_test_path("tests/fixtures/cli/sens_invest.csv");
    tfp_estimate_opts eo;
    tfp_sensitivity_opts so;
    tfp_estimate *e;
    tfp_sensitivity *s;
    size_t checked = 0;
    tfp_estimate_opts_init(&eo);
    eo.from = 2018;
    eo.to = 2022;
    eo.k0 = 300.0;
    e = estimate(path, &eo);
    tfp_sensitivity_opts_init(&so);
    so.share_from = 0.30;
    so.share_to = 0.50;
    so.share_step = 0.10;
    so.delta_from = 0.04;
    so.delta_to = 0.06;
    so.delta_step = 0.02;
    s = grid(e, &so);
    cr_assert(s->capital_from_pim);
    cr_assert_eq(s->nk0, 4);
    cr_assert_eq(s->ncell, 2 * 2 * 4 * 3);
    for (size_t i = 0; i < s->ncell; i++) {
        const tfp_sensitivity_cell *c = &s->cell[i];
        size_t unit = strcmp(c->region, "Bac Giang") == 0 ? 0 : 1;
        double want;
        if (c->k0 != TFP_K0_HARBERGER && c->k0 != TFP_K0_GIVEN)
            continue;
        /* The same pipeline with --capital-share, --delta and --k0: identical. */
        want = rerun_share(path, &eo, c->capital_share, c->delta,
                           c->k0 == TFP_K0_GIVEN ? 300.0 : TFP_NAN, unit);
        cr_assert_eq(c->tfp_share, want, "%s b %g d %g %s: %.17g vs %.17g", c->region,
                     c->capital_share, c->delta, tfp_k0_method_name((tfp_k0_method)c->k0),
                     c->tfp_share, want);
        checked++;
    }
    cr_assert_eq(checked, 24);
    tfp_sensitivity_free(s);
    tfp_estimate_free(e);
}

/*
 * Half and double the Harberger stock, for one region: Bac Giang's
 * investment 20, 22, 24.5, 27, 29.6, 31, ... grows at g_I = (31/20)^(1/5) - 1
 * over its first five years (TFP_HARBERGER_YEARS), so K_0 = 20 / (g_I + d);
 * the grid's halved and doubled cells equal estimates with --k0 K_0/2, 2 K_0.
 */
Test(sensitivity, scaled_initial_stocks_equal_estimates_with_that_k0)
{
    static const char one[] = "province,year,grdp,employment,investment\n"
                              "Bac Giang,2015,100,50,20\n"
                              "Bac Giang,2016,108,51,22\n"
                              "Bac Giang,2017,117,52,24.5\n"
                              "Bac Giang,2018,126.5,52.8,27\n"
                              "Bac Giang,2019,137,53.5,29.6\n"
                              "Bac Giang,2020,145,54,31\n"
                              "Bac Giang,2021,158,54.6,34\n"
                              "Bac Giang,2022,171,55.3,37.5\n";
    const char *path = tfp_test_tmpfile(1, one, strlen(one));
    tfp_estimate_opts eo;
    tfp_sensitivity_opts so;
    tfp_estimate *e;
    tfp_sensitivity *s;
    double d = 0.07, g_I = pow(31.0 / 20.0, 1.0 / 5.0) - 1.0, K0 = 20.0 / (g_I + d);
    tfp_estimate_opts_init(&eo);
    eo.from = 2018;
    eo.to = 2022;
    e = estimate(path, &eo);
    tfp_sensitivity_opts_init(&so);
    so.share_from = so.share_to = 0.4;
    so.delta_from = so.delta_to = d;
    so.k0_methods = (1u << TFP_K0_HALF) | (1u << TFP_K0_DOUBLE) | (1u << TFP_K0_GIVEN);
    s = grid(e, &so);
    /* given is dropped: the estimate has no k0. */
    cr_assert_eq(s->ncell, 2);
    cr_assert_eq(s->cell[0].k0, TFP_K0_HALF);
    tfp_test_rel(s->cell[0].tfp_share, rerun_share(path, &eo, 0.4, d, 0.5 * K0, 0), 1e-12);
    cr_assert_eq(s->cell[1].k0, TFP_K0_DOUBLE);
    tfp_test_rel(s->cell[1].tfp_share, rerun_share(path, &eo, 0.4, d, 2.0 * K0, 0), 1e-12);
    tfp_sensitivity_free(s);
    tfp_estimate_free(e);
}

Test(sensitivity, band_ends_are_where_the_share_meets_the_goals)
{
    const char *path = tfp_test_path("datasets/pwt/pwt91_asia5_tfp.csv");
    tfp_estimate_opts eo;
    tfp_sensitivity_opts so;
    tfp_estimate *e;
    tfp_sensitivity *s;
    size_t inner = 0;
    tfp_estimate_opts_init(&eo);
    e = estimate(path, &eo);
    tfp_sensitivity_opts_init(&so);
    s = grid(e, &so);
    for (size_t i = 0; i < s->nband; i++) {
        const tfp_sensitivity_band *b = &s->band[i];
        size_t unit = 0;
        while (strcmp(e->unit[unit].region, b->region) != 0)
            unit++;
        /* An end inside the grid's range is where the share meets a goal:
         * re-estimate there. */
        for (int end = 0; end < 2; end++) {
            double x = end == 0 ? b->from : b->to, v;
            if (x <= 0.30 + 1e-12 || x >= 0.55 - 1e-12)
                continue;
            v = rerun_share(path, &eo, x, eo.delta, TFP_NAN, unit);
            cr_assert(fabs(v - 0.30) < 1e-12 || fabs(v - 0.35) < 1e-12, "%s at %.17g: %.17g",
                      b->region, x, v);
            inner++;
        }
    }
    cr_assert_geq(inner, 4);
    /* Every cell's status is its band's. */
    for (size_t i = 0; i < s->ncell; i++) {
        const tfp_sensitivity_cell *c = &s->cell[i];
        int found = 0;
        for (size_t j = 0; j < s->nband && !found; j++)
            found = s->band[j].region == c->region && strcmp(s->band[j].status, c->status) == 0 &&
                    c->capital_share >= s->band[j].from - 1e-12 &&
                    c->capital_share <= s->band[j].to + 1e-12;
        cr_assert(found, "%s %g %s outside its band", c->region, c->capital_share, c->status);
    }
    tfp_sensitivity_free(s);
    tfp_estimate_free(e);
}

Test(sensitivity, data_labour_shares_leave_the_capital_share_out)
{
    tfp_estimate_opts eo;
    tfp_sensitivity_opts so;
    tfp_estimate *e;
    tfp_sensitivity *s;
    tfp_estimate_opts_init(&eo);
    eo.growth.method = TFP_METHOD_TORNQVIST;
    e = estimate(tfp_test_path("datasets/pwt/pwt91_asia5_tfp.csv"), &eo);
    tfp_sensitivity_opts_init(&so);
    s = grid(e, &so);
    cr_assert(!s->share_varies);
    cr_assert_eq(s->ncell, 5, "one cell per country");
    cr_assert(isnan(s->cell[0].capital_share));
    cr_assert_eq(s->cell[0].tfp_share, e->unit[0].s.share_A);
    cr_assert_eq(s->nband, 5);
    cr_assert(isnan(s->band[0].from));
    tfp_sensitivity_free(s);
    tfp_estimate_free(e);
}

Test(sensitivity, a_point_that_cannot_be_estimated_is_left_undefined)
{
    /* Investment falls 10 % a year: the Harberger stock needs g_I + d > 0,
     * so d = 0.05 fails (-0.10 + 0.05) and d = 0.15 works. */
    static const char falling[] = "year,output,labour,investment\n"
                                  "2015,100,50,20\n"
                                  "2016,104,50.5,18\n"
                                  "2017,108,51,16.2\n"
                                  "2018,113,51.4,14.58\n"
                                  "2019,117,51.9,13.122\n";
    tfp_estimate_opts eo;
    tfp_sensitivity_opts so;
    tfp_estimate *e;
    tfp_sensitivity *s;
    tfp_estimate_opts_init(&eo);
    eo.delta = 0.15;
    eo.from = 2016;
    eo.to = 2019;
    e = estimate(tfp_test_tmpfile(2, falling, strlen(falling)), &eo);
    tfp_sensitivity_opts_init(&so);
    so.share_from = so.share_to = 0.4;
    so.delta_from = 0.05;
    so.delta_to = 0.15;
    so.delta_step = 0.10;
    so.k0_methods = 1u << TFP_K0_HARBERGER;
    s = grid(e, &so);
    cr_assert_eq(s->ncell, 2);
    cr_assert(isnan(s->cell[0].tfp_share));
    cr_assert_str_eq(s->cell[0].status, "undefined");
    cr_assert(isfinite(s->cell[1].tfp_share));
    cr_assert_eq(s->warnings.n, 1);
    cr_assert(strstr(s->warnings.msg[0], "Harberger") != NULL, "%s", s->warnings.msg[0]);
    tfp_sensitivity_free(s);
    tfp_estimate_free(e);
}

Test(sensitivity, fails_cleanly_at_every_allocation)
{
    tfp_estimate_opts eo;
    tfp_sensitivity_opts so;
    tfp_estimate *e;
    tfp_sensitivity *s = NULL;
    size_t n, k;
    tfp_estimate_opts_init(&eo);
    eo.from = 2018;
    eo.to = 2022;
    e = estimate(tfp_test_path("tests/fixtures/cli/sens_invest.csv"), &eo);
    tfp_sensitivity_opts_init(&so);
    so.delta_from = 0.04;
    so.delta_to = 0.05;
    tfp_alloc_fail_at(0, 0);
    cr_assert_eq(tfp_sensitivity_run(e, &so, &s, NULL), TFP_OK);
    n = tfp_alloc_fail_at(0, 0);
    tfp_sensitivity_free(s);
    for (k = 1; k <= n; k++) {
        tfp_error err;
        int rc;
        s = NULL;
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 0);
        rc = tfp_sensitivity_run(e, &so, &s, &err);
        tfp_alloc_fail_at(0, 0);
        cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu: code %d (%s)", k, rc, err.msg);
        cr_assert_null(s);
        tfp_test_assert_no_leaks();
    }
    tfp_estimate_free(e);
}
