/*
 * report/tables: the structure tables. The shift-share columns are the
 * issue's (region,from,to,lp_base,lp_last,total,within,static,dynamic,
 * product_taxes); the check's targets table has the estimate's columns
 * (DESIGN section 4); the basis table its own. Values: the hand example of
 * tests/analysis/test_shiftshare.c.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/check.h"
#include "tfp/estimate.h"
#include "tfp/tables.h"
#include "tfp_test.h"

TestSuite(tables_struct, .init = quiet_gsl);

static void
assert_header(const tfp_table *t, const char *want)
{
    tfp_render_opts ro;
    tfp_strbuf sb;
    tfp_render_opts_init(&ro);
    tfp_strbuf_init(&sb);
    cr_assert_eq(tfp_table_render(t, TFP_FORMAT_CSV, &ro, &sb, NULL), TFP_OK);
    cr_assert(strncmp(tfp_strbuf_cstr(&sb), want, strlen(want)) == 0 &&
                  tfp_strbuf_cstr(&sb)[strlen(want)] == '\n',
              "header: %.200s", tfp_strbuf_cstr(&sb));
    tfp_strbuf_fini(&sb);
}

Test(tables_struct, shiftshare_columns_and_values)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_table *t;
    tfp_error err;
    tfp_error_init(&err);
    tfp_panel_opts_init(&po);
    tfp_estimate_opts_init(&eo);
    eo.from = eo.to = 2021;
    cr_assert_eq(tfp_panel_read(tfp_test_path("tests/fixtures/cli/shiftshare.csv"), &po, &p, &err),
                 TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_estimate_run(p, &eo, &e, &err), TFP_OK, "%s", err.msg);
    t = tfp_table_estimate_shiftshare(e, 0, &err);
    cr_assert_not_null(t);
    assert_header(t, "region,from,to,lp_base,lp_last,total,within,static,dynamic,product_taxes");
    cr_assert_eq(tfp_table_nrow(t), 2);
    cr_assert_str_eq(tfp_table_text(t, 0, 0), "North");
    cr_assert_eq(tfp_table_num(t, 0, 1), 2021.0);
    cr_assert_eq(tfp_table_num(t, 0, 2), 2021.0);
    tfp_test_rel(tfp_table_num(t, 0, tfp_table_col(t, "within")), 0.225, 1e-14);
    tfp_test_rel(tfp_table_num(t, 0, tfp_table_col(t, "product_taxes")), 0.05, 1e-14);
    /* South has no product taxes: the cell is empty, not 0. */
    cr_assert(isnan(tfp_table_num(t, 1, tfp_table_col(t, "product_taxes"))));
    tfp_table_free(t);
    tfp_estimate_free(e);
}

Test(tables_struct, check_tables_columns)
{
    static const char text[] = "year,tfp_share\n2021,0.3\n";
    tfp_reported_opts ro;
    tfp_check_opts co;
    tfp_reported *r = NULL;
    tfp_check *c = NULL;
    tfp_table *t;
    tfp_error err;
    tfp_reported_opts_init(&ro);
    tfp_check_opts_init(&co);
    tfp_error_init(&err);
    cr_assert_eq(tfp_reported_read(tfp_test_tmpfile(0, text, sizeof text - 1), &ro, &r, &err),
                 TFP_OK, "%s", err.msg);
    cr_assert_eq(tfp_check_run(r, &co, &c, &err), TFP_OK, "%s", err.msg);
    t = tfp_table_check_targets(c, &err);
    assert_header(t, "region,target,value,goal_low,goal_high,status,required_growth");
    cr_assert_eq(tfp_table_nrow(t), 3);
    cr_assert_str_eq(tfp_table_text(t, 1, 5), "on-track"); /* 0.30 in 2021, period to 2025 */
    tfp_table_free(t);
    t = tfp_table_check_basis(c, &err);
    assert_header(t, "region,target,basis,column,weights,years,first,last");
    cr_assert_str_eq(tfp_table_text(t, 0, 2), "none");
    cr_assert_str_eq(tfp_table_text(t, 1, 2), "mean");
    cr_assert_str_eq(tfp_table_text(t, 1, 3), "tfp_share");
    cr_assert_null(tfp_table_text(t, 1, 4));
    tfp_table_free(t);
    tfp_check_free(c);
}
