/*
 * analysis/elasticity: the capital elasticity of the crs, within and
 * twoways fits on the bundled PWT extract against R (lm and plm 2.6), from
 * scripts/reference/elasticity_pwt.R (tests/fixtures/reference/elasticity_pwt.csv):
 *   crs      0.65238686440929927 (SE 0.014894075609865106)
 *   within   0.56385420655202867 (SE 0.032154567680060198)
 *   twoways  0.58549809910052131 (SE 0.036112914291464474), n = 305.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/elasticity.h"
#include "tfp/estimate.h"
#include "tfp_test.h"

TestSuite(elasticity, .init = quiet_gsl);

static tfp_estimate *
estimate_with(tfp_share_source src, tfp_error *err)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_panel_opts_init(&po);
    cr_assert_eq(tfp_panel_read(tfp_test_path("datasets/pwt/pwt91_asia5_tfp.csv"), &po, &p, err),
                 TFP_OK);
    tfp_estimate_opts_init(&eo);
    eo.share_source = src;
    if (tfp_estimate_run(p, &eo, &e, err) != TFP_OK)
        return NULL;
    return e;
}

Test(elasticity, fits_match_r_lm_and_plm)
{
    static const struct {
        tfp_share_source src;
        double b, se;
    } ref[] = {{TFP_SHARE_FIT_CRS, 0.65238686440929927, 0.014894075609865106},
               {TFP_SHARE_FIT_WITHIN, 0.56385420655202867, 0.032154567680060198},
               {TFP_SHARE_FIT_TWOWAYS, 0.58549809910052131, 0.036112914291464474}};
    for (size_t k = 0; k < 3; k++) {
        tfp_error err;
        tfp_estimate *e;
        tfp_error_init(&err);
        e = estimate_with(ref[k].src, &err);
        cr_assert_not_null(e, "%s", err.msg);
        tfp_test_rel(e->fitted.b, ref[k].b, 1e-10);
        tfp_test_rel(e->fitted.se, ref[k].se, 1e-9);
        cr_assert_eq(e->fitted.n, 305);
        /* The estimate becomes the capital share of every unit. */
        tfp_test_rel(e->opts.growth.capital_share, e->fitted.b, 0);
        tfp_test_rel(e->unit[0].g->a[e->unit[0].in.n - 1], e->fitted.b, 0);
        tfp_estimate_free(e);
    }
}

Test(elasticity, parses_sources)
{
    tfp_share_source s;
    cr_assert_eq(tfp_share_source_parse("fit", &s, NULL), TFP_OK);
    cr_assert_eq(s, TFP_SHARE_FIT_CRS);
    cr_assert_eq(tfp_share_source_parse("fit:twoways", &s, NULL), TFP_OK);
    cr_assert_eq(s, TFP_SHARE_FIT_TWOWAYS);
    cr_assert_eq(tfp_share_source_parse("fit:bogus", &s, NULL), TFP_EINVAL);
}

Test(elasticity, twoways_needs_more_than_one_region)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_error err;
    tfp_error_init(&err);
    tfp_panel_opts_init(&po);
    cr_assert_eq(tfp_panel_read(tfp_test_path("tests/fixtures/cli/gap.csv"), &po, &p, &err),
                 TFP_OK);
    tfp_estimate_opts_init(&eo);
    eo.share_source = TFP_SHARE_FIT_TWOWAYS;
    cr_assert_eq(tfp_estimate_run(p, &eo, &e, &err), TFP_ENUMERIC);
    cr_assert_null(e);
}
