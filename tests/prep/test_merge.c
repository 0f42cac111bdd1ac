/*
 * prep/merge: merged regions against values summed and weighted by hand,
 * the mapping file's errors (code, line, column, message), warnings for
 * pairs the data lack and for years a former region is missing, and clean
 * failure under every allocation failure.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "tfp/alloc.h"
#include "tfp/config.h"
#include "tfp/prep.h"
#include "tfp_test.h"

TestSuite(merge, .init = quiet_gsl);

static void
assert_no_leaks(void)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (report above)");
#endif
}

static tfp_panel *
read_panel(const char *path)
{
    tfp_panel_opts o;
    tfp_panel *p = NULL;
    tfp_error err;
    tfp_error_init(&err);
    tfp_panel_opts_init(&o);
    cr_assert_eq(tfp_panel_read(path, &o, &p, &err), TFP_OK, "%s", err.msg);
    return p;
}

static tfp_merge_map *
read_map_text(int slot, const char *text, tfp_error *err)
{
    tfp_merge_map *m = NULL;
    const char *path = tfp_test_tmpfile(slot, text, strlen(text));
    tfp_error_init(err);
    tfp_merge_map_read(path, NULL, &m, err);
    return m;
}

static int
has_warning(const tfp_warnings *w, const char *needle)
{
    for (size_t i = 0; i < w->n; i++)
        if (strstr(w->msg[i], needle) != NULL)
            return 1;
    return 0;
}

/*
 * tests/fixtures/cli/merge.csv, merged by merge_map.csv (A, B -> AB; C -> C):
 *   AB 2018: A only (B starts in 2019): undefined, with a warning
 *   AB 2019: output 100 + 60 = 160, labour 50 + 40 = 90, capital 200 + 100 = 300,
 *            labour share (100 x 0.6 + 60 x 0.5) / 160 = 90 / 160 = 0.5625 (output-weighted),
 *            hc (50 x 2.0 + 40 x 2.5) / 90 = 200 / 90 (employment-weighted)
 *   AB 2020: 110 + 63 = 173, 51 + 41 = 92, 220 + 105 = 325,
 *            (110 x 0.6 + 63 x 0.5) / 173 = 97.5 / 173, (51 x 2 + 41 x 2.5) / 92 = 204.5 / 92
 *   AB 2021: 121 + 66.15 = 187.15, 52.02 + 42 = 94.02, 242 + 110.25 = 352.25,
 *            (72.6 + 33.075) / 187.15 = 105.675 / 187.15
 *   C: as given.
 */
Test(merge, sums_and_weighted_means_by_hand)
{
    tfp_panel *p = read_panel(tfp_test_path("tests/fixtures/cli/merge.csv")), *q = NULL;
    tfp_merge_map *m = NULL;
    tfp_error err;
    const double *Y, *L, *K, *s, *hc;
    tfp_error_init(&err);
    cr_assert_eq(
        tfp_merge_map_read(tfp_test_path("tests/fixtures/cli/merge_map.csv"), NULL, &m, &err),
        TFP_OK, "%s", err.msg);
    cr_assert_eq(m->n, 3);
    cr_assert_eq(tfp_prep_merge(p, m, &q, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(q->nregion, 2);
    cr_assert_str_eq(q->region_names[0], "AB");
    cr_assert_str_eq(q->region_names[1], "C");
    cr_assert_eq(q->nunit, 2);
    cr_assert_eq(q->n, 7); /* AB 2018-2021, C 2019-2021 */
    Y = q->x[TFP_ROLE_OUTPUT];
    L = q->x[TFP_ROLE_LABOUR];
    K = q->x[TFP_ROLE_CAPITAL];
    s = q->x[TFP_ROLE_LABOUR_SHARE];
    hc = q->x[TFP_ROLE_HUMAN_CAPITAL];
    cr_assert_eq(q->year[0], 2018);
    cr_assert(isnan(Y[0]) && isnan(L[0]) && isnan(K[0]) && isnan(s[0]) && isnan(hc[0]));
    cr_assert_eq(q->year[1], 2019);
    tfp_test_rel(Y[1], 160.0, 1e-15);
    tfp_test_rel(L[1], 90.0, 1e-15);
    tfp_test_rel(K[1], 300.0, 1e-15);
    tfp_test_rel(s[1], 0.5625, 1e-15);
    tfp_test_rel(hc[1], 200.0 / 90.0, 1e-15);
    tfp_test_rel(Y[2], 173.0, 1e-15);
    tfp_test_rel(s[2], 97.5 / 173.0, 1e-15);
    tfp_test_rel(hc[2], 204.5 / 92.0, 1e-15);
    tfp_test_rel(Y[3], 187.15, 1e-15);
    tfp_test_rel(L[3], 94.02, 1e-15);
    tfp_test_rel(K[3], 352.25, 1e-15);
    tfp_test_rel(s[3], 105.675 / 187.15, 1e-14);
    cr_assert_eq(q->region[4], 1);
    cr_assert_eq(q->year[4], 2019);
    tfp_test_rel(Y[6], 36.3, 1e-15);
    tfp_test_rel(s[6], 0.7, 1e-15);
    cr_assert(has_warning(&q->warnings, "AB: 1 of 2 former regions have data for 2018; the merged "
                                        "value is undefined that year"));
    cr_assert_eq(q->warnings.n, 1);
    tfp_panel_free(q);
    tfp_merge_map_free(m);
    tfp_panel_free(p);
}

/* Sectors are kept: each new region's sector sums its former regions' rows
 * of that sector; product-tax rows (no labour) stay without labour. */
Test(merge, keeps_sectors)
{
    static const char data[] = "region,sector,year,output,labour,capital\n"
                               "P,agri,2020,10,5,20\n"
                               "P,product_taxes,2020,1.5,,\n"
                               "Q,agri,2020,12.5,6,30\n"
                               "Q,industry,2020,40,8,90\n"
                               "Q,product_taxes,2020,2.25,,\n";
    const char *path = tfp_test_tmpfile(0, data, sizeof data - 1);
    tfp_panel *p = read_panel(path), *q = NULL;
    tfp_error err;
    tfp_merge_map *m = read_map_text(1, "region,new_region\nP,PQ\nQ,PQ\n", &err);
    cr_assert_not_null(m, "%s", err.msg);
    cr_assert_eq(tfp_prep_merge(p, m, &q, &err), TFP_OK, "%s", err.msg);
    cr_assert_eq(q->nsector, 3);
    cr_assert_eq(q->n, 3); /* PQ x (agri, industry, product_taxes) */
    cr_assert_str_eq(q->sector_names[q->sector[0]], "agri");
    tfp_test_rel(q->x[TFP_ROLE_OUTPUT][0], 22.5, 1e-15); /* 10 + 12.5 */
    tfp_test_rel(q->x[TFP_ROLE_LABOUR][0], 11.0, 1e-15); /* 5 + 6 */
    tfp_test_rel(q->x[TFP_ROLE_OUTPUT][1], 40.0, 1e-15); /* Q's industry alone */
    tfp_test_rel(q->x[TFP_ROLE_OUTPUT][2], 3.75, 1e-15); /* 1.5 + 2.25 */
    cr_assert(isnan(q->x[TFP_ROLE_LABOUR][2]));
    tfp_panel_free(q);
    tfp_merge_map_free(m);
    tfp_panel_free(p);
}

Test(merge, region_missing_from_the_mapping_is_an_input_error)
{
    tfp_panel *p = read_panel(tfp_test_path("tests/fixtures/cli/merge.csv")), *q = NULL;
    tfp_error err;
    tfp_merge_map *m = read_map_text(0, "old,new\nA,AB\nC,C\n", &err);
    cr_assert_not_null(m, "%s", err.msg);
    cr_assert_eq(tfp_prep_merge(p, m, &q, &err), TFP_EINPUT);
    cr_assert_null(q);
    /* B's first row is line 6 of the data file. */
    cr_assert(strstr(err.file, "merge.csv") != NULL, "%s", err.file);
    cr_assert_eq(err.line, 6);
    cr_assert(strstr(err.msg, "region \"B\" is not in the merge mapping") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "add a line \"B,NEW\", or \"B,B\" to keep it") != NULL, "%s",
              err.msg);
    tfp_merge_map_free(m);
    tfp_panel_free(p);
}

Test(merge, mapping_errors_have_line_and_column)
{
    tfp_error err;
    cr_assert_null(read_map_text(0, "old,new\nA,AB\nB,AB\nA,C\n", &err));
    cr_assert_eq(err.code, TFP_EINPUT);
    cr_assert_eq(err.line, 4);
    cr_assert_eq(err.col, 1);
    cr_assert_str_eq(err.msg, "merge mapping: region \"A\" is mapped twice (first at line 2)");

    cr_assert_null(read_map_text(1, "from,to\nA,AB\n", &err));
    cr_assert_eq(err.code, TFP_EINPUT);
    cr_assert_eq(err.line, 1);
    cr_assert(strstr(err.msg, "no former region column (looked for old, old_region, region)") !=
                  NULL,
              "%s", err.msg);

    cr_assert_null(read_map_text(2, "old,new\nA,\n", &err));
    cr_assert_eq(err.code, TFP_EINPUT);
    cr_assert_eq(err.line, 2);
    cr_assert_eq(err.col, 3);
    cr_assert_str_eq(err.msg, "merge mapping: column \"new\" is empty");

    cr_assert_null(read_map_text(3, "old,new\n", &err));
    cr_assert_eq(err.code, TFP_EINPUT);
}

Test(merge, unknown_former_region_is_a_warning)
{
    tfp_panel *p = read_panel(tfp_test_path("tests/fixtures/cli/merge.csv")), *q = NULL;
    tfp_error err;
    tfp_merge_map *m =
        read_map_text(0, "old_region,new_region,note\nA,AB,x\nB,AB,y\nC,C,\nD,C,\n", &err);
    cr_assert_not_null(m, "%s", err.msg);
    cr_assert_eq(tfp_prep_merge(p, m, &q, &err), TFP_OK, "%s", err.msg);
    cr_assert(has_warning(&q->warnings, ":5: region \"D\" is not in the data; line ignored"));
    cr_assert_eq(q->nregion, 2);
    tfp_panel_free(q);
    tfp_merge_map_free(m);
    tfp_panel_free(p);
}

Test(merge, data_without_regions_cannot_merge)
{
    static const char data[] = "year,output,labour,capital\n2020,1,1,1\n";
    tfp_panel *p = read_panel(tfp_test_tmpfile(0, data, sizeof data - 1)), *q = NULL;
    tfp_error err;
    tfp_merge_map *m = read_map_text(1, "old,new\nA,B\n", &err);
    cr_assert_eq(tfp_prep_merge(p, m, &q, &err), TFP_EINPUT);
    cr_assert(strstr(err.msg, "needs a region column") != NULL, "%s", err.msg);
    tfp_merge_map_free(m);
    tfp_panel_free(p);
}

/* Every allocation from the k-th on fails, k = 1, 2, ...: each run returns
 * TFP_ENOMEM and leaks nothing, until the merge succeeds. */
Test(merge, fails_cleanly_when_every_later_allocation_fails)
{
    tfp_panel *p = read_panel(tfp_test_path("tests/fixtures/cli/merge.csv"));
    const char *mpath = tfp_test_path("tests/fixtures/cli/merge_map.csv");
    for (size_t k = 1; k < 10000; k++) {
        tfp_merge_map *m = NULL;
        tfp_panel *q = NULL;
        tfp_error err;
        int rc;
        tfp_error_init(&err);
        tfp_alloc_fail_at(k, 1);
        rc = tfp_merge_map_read(mpath, NULL, &m, &err);
        if (rc == TFP_OK)
            rc = tfp_prep_merge(p, m, &q, &err);
        tfp_alloc_fail_at(0, 0);
        tfp_merge_map_free(m);
        if (rc == TFP_OK) {
            cr_assert_gt(k, 10);
            cr_assert_eq(q->n, 7);
            tfp_panel_free(q);
            tfp_panel_free(p);
            assert_no_leaks();
            return;
        }
        cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu: code %d (%s)", k, rc, err.msg);
        cr_assert_null(q);
    }
    cr_assert_fail("the merge never succeeded");
}
