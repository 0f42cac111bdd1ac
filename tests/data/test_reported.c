/*
 * data/reported: reading reported indicators. The bundled Bac Giang file
 * (datasets/vietnam/bac_giang_reported.csv, percent) against its published
 * 2023 values; units, maps, sorting; every input error with its code,
 * line, column and message.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/config.h"
#include "tfp/reported.h"
#include "tfp_test.h"

TestSuite(reported, .init = quiet_gsl);

static int
read_text(int slot, const char *text, const tfp_reported_opts *o, tfp_reported **r, tfp_error *err)
{
    tfp_error_init(err);
    return tfp_reported_read(tfp_test_tmpfile(slot, text, strlen(text)), o, r, err);
}

/* The 2023 row of the bundled file holds the province's published figures
 * (source S07 in bac_giang_sources.csv): labour productivity +12.5 %, TFP
 * contribution 31.5 %, GRDP growth 13.45 % (S06). */
Test(reported, bac_giang_file_in_percent)
{
    tfp_reported_opts o;
    tfp_reported *r = NULL;
    tfp_error err;
    size_t i;
    tfp_reported_opts_init(&o);
    o.percent = 1;
    tfp_error_init(&err);
    cr_assert_eq(
        tfp_reported_read(tfp_test_path("datasets/vietnam/bac_giang_reported.csv"), &o, &r, &err),
        TFP_OK, "%s", err.msg);
    cr_assert_eq(r->nregion, 1);
    cr_assert_str_eq(r->region_names[0], "");
    cr_assert_eq(r->n, 15);           /* 2010-2024 */
    cr_assert_null(r->x[TFP_IND_LP]); /* the current-price level is no default */
    cr_assert_str_eq(r->column[TFP_IND_LP_GROWTH], "labour_productivity_growth_pct");
    cr_assert_str_eq(r->column[TFP_IND_TFP_SHARE], "tfp_contribution_pct");
    cr_assert_str_eq(r->column[TFP_IND_OUTPUT_GROWTH], "grdp_growth_pct");
    for (i = 0; i < r->n && r->year[i] != 2023; i++)
        ;
    cr_assert_lt(i, r->n);
    /* 12.5 / 100 and 31.5 / 100 round to the doubles nearest 0.125 and
     * 0.315; 13.45 / 100 is one division of the double nearest 13.45 (one
     * ulp from the double nearest 0.1345, checked in Python). */
    cr_assert_eq(r->x[TFP_IND_LP_GROWTH][i], 0.125);
    cr_assert_eq(r->x[TFP_IND_TFP_SHARE][i], 0.315);
    tfp_test_rel(r->x[TFP_IND_OUTPUT_GROWTH][i], 0.1345, 4 * DBL_EPSILON);
    cr_assert(isnan(r->x[TFP_IND_TFP_SHARE][i + 1]));     /* 2024: not reported */
    cr_assert(isnan(r->x[TFP_IND_OUTPUT_GROWTH][i - 3])); /* 2020: not found */
    tfp_reported_free(r);
}

Test(reported, region_name_for_a_file_without_regions)
{
    tfp_reported_opts o;
    tfp_reported *r = NULL;
    tfp_error err;
    tfp_reported_opts_init(&o);
    o.region_name = "Bắc Giang";
    cr_assert_eq(read_text(0, "year,tfp_share\n2021,0.3\n", &o, &r, &err), TFP_OK, "%s", err.msg);
    cr_assert_str_eq(r->region_names[0], "Bắc Giang");
    tfp_reported_free(r);
    cr_assert_eq(read_text(1, "year,tinh,tfp_share\n2021,A,0.3\n", &o, &r, &err), TFP_EINPUT);
    cr_assert_eq(err.col, 6);
    cr_assert(strstr(err.msg, "column \"tinh\" is one") != NULL, "%s", err.msg);
}

Test(reported, percent_named_column_needs_percent)
{
    tfp_reported_opts o;
    tfp_reported *r = NULL;
    tfp_error err;
    tfp_reported_opts_init(&o);
    tfp_error_init(&err);
    cr_assert_eq(
        tfp_reported_read(tfp_test_path("datasets/vietnam/bac_giang_reported.csv"), &o, &r, &err),
        TFP_EINPUT);
    cr_assert_eq(err.line, 1);
    /* labour_productivity_growth_pct: indicators are checked in their order,
     * and it comes before grdp_growth_pct's output_growth. */
    cr_assert_eq(err.col, 97);
    cr_assert(strstr(err.msg, "column \"labour_productivity_growth_pct\" is named as a "
                              "percentage: add --percent") != NULL,
              "%s", err.msg);
}

Test(reported, regions_sorted_maps_and_fractions)
{
    tfp_reported_opts o;
    tfp_reported *r = NULL;
    tfp_error err;
    tfp_reported_opts_init(&o);
    cr_assert_eq(tfp_reported_opts_map(&o, "tfp_share=tfp", &err), TFP_OK);
    cr_assert_eq(tfp_reported_opts_map(&o, "region=tinh_moi", &err), TFP_OK);
    cr_assert_eq(read_text(0,
                           "tinh_moi,nam,tfp,lp\n"
                           "Z,2022,0.3,120\n"
                           "A,2021,0.25,100\n"
                           "Z,2021,0.35,110\n",
                           &o, &r, &err),
                 TFP_OK, "%s", err.msg);
    cr_assert_eq(r->nregion, 2);
    cr_assert_str_eq(r->region_names[0], "A");
    cr_assert_eq(r->region_start[1], 1);
    cr_assert_eq(r->year[1], 2021);
    cr_assert_eq(r->year[2], 2022);
    cr_assert_eq(r->line[2], 2);
    cr_assert_eq(r->x[TFP_IND_TFP_SHARE][1], 0.35);
    cr_assert_eq(r->x[TFP_IND_LP][2], 120.0);
    cr_assert_null(r->x[TFP_IND_LP_GROWTH]);
    tfp_reported_free(r);
}

Test(reported, map_errors)
{
    tfp_reported_opts o;
    tfp_error err;
    tfp_reported_opts_init(&o);
    tfp_error_init(&err);
    cr_assert_eq(tfp_reported_opts_map(&o, "tfp=x", &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "unknown name \"tfp\"") != NULL, "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_reported_opts_map(&o, "tfp_share", &err), TFP_EINVAL);
    tfp_error_init(&err);
    cr_assert_eq(tfp_reported_opts_map(&o, "year=y", &err), TFP_OK);
    cr_assert_eq(tfp_reported_opts_map(&o, "year=z", &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "mapped twice") != NULL, "%s", err.msg);
}

Test(reported, input_errors_have_positions)
{
    tfp_reported_opts o;
    tfp_reported *r = NULL;
    tfp_error err;
    tfp_reported_opts_init(&o);

    cr_assert_eq(read_text(0, "year,output\n2021,5\n", &o, &r, &err), TFP_EINPUT);
    cr_assert(strstr(err.msg, "no indicator column") != NULL, "%s", err.msg);

    cr_assert_eq(read_text(1, "nam,tfp_share,tfp_contribution\n2021,0.3,0.3\n", &o, &r, &err),
                 TFP_EINPUT);
    cr_assert_eq(err.col, 15);
    cr_assert(strstr(err.msg, "columns \"tfp_share\" and \"tfp_contribution\" both look like the "
                              "tfp_share") != NULL,
              "%s", err.msg);

    cr_assert_eq(read_text(2, "year,lp_growth\n2021,0.1\n2021,0.2\n", &o, &r, &err), TFP_EINPUT);
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.col, 1);
    cr_assert_str_eq(err.msg, "duplicate row for year 2021 (first at line 2)");

    cr_assert_eq(read_text(3, "year,lp_growth\n2021,-1\n", &o, &r, &err), TFP_EINPUT);
    cr_assert_eq(err.line, 2);
    cr_assert_eq(err.col, 6);
    cr_assert(strstr(err.msg, "expected a growth rate above -1 (a fraction), found -1") != NULL,
              "%s", err.msg);

    cr_assert_eq(read_text(4, "year,labour_productivity\n2021,0\n", &o, &r, &err), TFP_EINPUT);
    cr_assert(strstr(err.msg, "expected a positive labour productivity") != NULL, "%s", err.msg);

    cr_assert_eq(read_text(5, "year,tfp_share\n2021.5,0.3\n", &o, &r, &err), TFP_EINPUT);
    cr_assert(strstr(err.msg, "expected a whole year") != NULL, "%s", err.msg);

    cr_assert_eq(read_text(6, "region,tfp_share\nA,0.3\n", &o, &r, &err), TFP_EINPUT);
    cr_assert(strstr(err.msg, "no year column") != NULL, "%s", err.msg);

    o.percent = 1;
    cr_assert_eq(read_text(7, "year,output_growth\n2021,-100\n", &o, &r, &err), TFP_EINPUT);
    cr_assert(strstr(err.msg, "expected a growth rate above -100 (percent), found -100") != NULL,
              "%s", err.msg);
    cr_assert_null(r);
}
