/*
 * The estimate's indicator tables against an independent implementation:
 * scripts/reference/growth_pwt.R computes the same growth accounting,
 * period summary and target checks in R on the bundled PWT 9.1 extract
 * (outputs in tests/fixtures/reference/). Also checks the DESIGN section 4
 * column sets.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "ref_compare.h"
#include "tfp/estimate.h"
#include "tfp/tables.h"
#include "tfp_test.h"

TestSuite(tables, .init = quiet_gsl);

static tfp_estimate *
estimate_default(tfp_method method)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_error err;
    tfp_error_init(&err);
    tfp_panel_opts_init(&po);
    tfp_estimate_opts_init(&eo);
    eo.growth.method = method;
    if (method == TFP_METHOD_TORNQVIST) {
        /* PWT's own inputs: capital services, labour emp x avh x hc. */
        po.map[TFP_ROLE_CAPITAL] = "capital_services";
    }
    cr_assert_eq(tfp_panel_read(tfp_test_path("datasets/pwt/pwt91_asia5_tfp.csv"), &po, &p, &err),
                 TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_estimate_run(p, &eo, &e, &err), TFP_OK, "%s", err.msg);
    return e;
}

static const char *const key_year[] = {"region", "year"};
static const char *const key_region[] = {"region"};
static const char *const key_target[] = {"region", "target"};

Test(tables, gso_annual_matches_independent_r_computation)
{
    tfp_estimate *e = estimate_default(TFP_METHOD_GSO);
    tfp_table *t = tfp_table_estimate_annual(e, 0, NULL);
    size_t ncols = 0;
    size_t n =
        tfp_test_compare_table(t, tfp_test_path("tests/fixtures/reference/pwt_gso_annual.csv"),
                               key_year, 2, 1e-10, 1e-13, &ncols);
    cr_assert_eq(n, 340); /* 5 countries x 68 years */
    cr_assert_eq(ncols, 9);
    tfp_table_free(t);
    tfp_estimate_free(e);
}

Test(tables, gso_summary_and_targets_match_independent_r_computation)
{
    tfp_estimate *e = estimate_default(TFP_METHOD_GSO);
    tfp_table *s = tfp_table_estimate_summary(e, 0, NULL);
    tfp_table *t = tfp_table_estimate_targets(e, 0, NULL);
    size_t ncols = 0;
    cr_assert_eq(e->opts.from, 2013); /* data end in 2017: the last five years */
    cr_assert_eq(e->opts.to, 2017);
    cr_assert_eq(
        tfp_test_compare_table(s, tfp_test_path("tests/fixtures/reference/pwt_gso_summary.csv"),
                               key_region, 1, 1e-10, 1e-13, &ncols),
        5);
    cr_assert_eq(ncols, 13);
    cr_assert_eq(
        tfp_test_compare_table(t, tfp_test_path("tests/fixtures/reference/pwt_gso_targets.csv"),
                               key_target, 2, 1e-10, 1e-13, &ncols),
        15);
    tfp_table_free(s);
    tfp_table_free(t);
    tfp_estimate_free(e);
}

Test(tables, tornqvist_annual_matches_independent_r_computation)
{
    tfp_estimate *e = estimate_default(TFP_METHOD_TORNQVIST);
    tfp_table *t = tfp_table_estimate_annual(e, 0, NULL);
    size_t ncols = 0;
    size_t n = tfp_test_compare_table(
        t, tfp_test_path("tests/fixtures/reference/pwt_tornqvist_annual.csv"), key_year, 2, 1e-10,
        1e-13, &ncols);
    cr_assert_eq(n, 340);
    cr_assert_eq(ncols, 5);
    tfp_table_free(t);
    tfp_estimate_free(e);
}

Test(tables, csv_column_sets_are_design_section_4)
{
    static const char *annual =
        "region,sector,year,output,labour,capital,labour_productivity,output_growth,"
        "labour_growth,capital_growth,capital_share,capital_contribution,labour_contribution,"
        "tfp_growth,tfp_share,labour_productivity_growth";
    static const char *summary =
        "region,sector,from,to,years,output_growth,labour_growth,capital_growth,capital_share,"
        "tfp_growth,capital_contribution_share,labour_contribution_share,tfp_share,"
        "tfp_share_last_year,labour_productivity_growth";
    static const char *targets = "region,target,value,goal_low,goal_high,status,required_growth";
    tfp_estimate *e = estimate_default(TFP_METHOD_GSO);
    tfp_table *t[3] = {tfp_table_estimate_annual(e, 0, NULL),
                       tfp_table_estimate_summary(e, 0, NULL),
                       tfp_table_estimate_targets(e, 0, NULL)};
    const char *want[3] = {annual, summary, targets};
    tfp_render_opts ro;
    tfp_render_opts_init(&ro);
    for (int k = 0; k < 3; k++) {
        tfp_strbuf sb;
        tfp_strbuf_init(&sb);
        cr_assert_eq(tfp_table_render(t[k], TFP_FORMAT_CSV, &ro, &sb, NULL), TFP_OK);
        cr_assert(strncmp(tfp_strbuf_cstr(&sb), want[k], strlen(want[k])) == 0 &&
                      tfp_strbuf_cstr(&sb)[strlen(want[k])] == '\n',
                  "header: %.200s", tfp_strbuf_cstr(&sb));
        tfp_strbuf_fini(&sb);
        tfp_table_free(t[k]);
    }
    tfp_estimate_free(e);
}
