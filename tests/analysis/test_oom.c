/*
 * Fault injection over the whole estimate path: reading, validation, prep
 * (sectors, perpetual inventory), growth accounting, summaries, targets,
 * tables and every renderer. Each allocation of a clean run fails in turn;
 * every run must end in TFP_ENOMEM (or succeed where a library retries)
 * and leak nothing.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/alloc.h"
#include "tfp/estimate.h"
#include "tfp/tables.h"
#include "tfp_test.h"

TestSuite(oom, .init = quiet_gsl);

/* One full run; returns the first error code, TFP_OK on success. */
static int
run_all(const char *path, tfp_method method)
{
    tfp_panel_opts po;
    tfp_estimate_opts eo;
    tfp_panel *p = NULL;
    tfp_estimate *e = NULL;
    tfp_table *t[3] = {NULL, NULL, NULL};
    tfp_error err;
    int rc;
    tfp_error_init(&err);
    tfp_panel_opts_init(&po);
    po.required =
        TFP_ROLE_BIT(TFP_ROLE_YEAR) | TFP_ROLE_BIT(TFP_ROLE_OUTPUT) | TFP_ROLE_BIT(TFP_ROLE_LABOUR);
    rc = tfp_panel_read(path, &po, &p, &err);
    if (rc != TFP_OK)
        return rc;
    tfp_estimate_opts_init(&eo);
    eo.growth.method = method;
    rc = tfp_estimate_run(p, &eo, &e, &err);
    if (rc != TFP_OK)
        return rc;
    t[0] = tfp_table_estimate_annual(e, 0, &err);
    t[1] = t[0] ? tfp_table_estimate_summary(e, TFP_TABLE_COMPACT, &err) : NULL;
    t[2] = t[1] ? tfp_table_estimate_targets(e, 0, &err) : NULL;
    rc = t[2] != NULL ? TFP_OK : err.code;
    for (int f = 0; rc == TFP_OK && f < 4; f++) {
        tfp_render_opts ro;
        tfp_strbuf sb;
        tfp_doc d;
        memset(&d, 0, sizeof d);
        d.tables = (const tfp_table *const *)t;
        d.ntables = f == TFP_FORMAT_CSV ? 1 : 3;
        d.warnings = &e->warnings;
        tfp_render_opts_init(&ro);
        ro.lang = f == TFP_FORMAT_MD ? TFP_LANG_VI : TFP_LANG_EN;
        tfp_strbuf_init(&sb);
        rc = tfp_doc_render(&d, (tfp_format)f, &ro, &sb, &err);
        tfp_strbuf_fini(&sb);
    }
    for (int k = 0; k < 3; k++)
        tfp_table_free(t[k]);
    tfp_estimate_free(e);
    return rc;
}

/* Counts the allocations of a clean run (N), then fails each k = 1..N in
 * turn. libcsv retries a failed buffer growth with a smaller size, so a
 * run may survive one failure; every other run must fail with TFP_ENOMEM. */
static void
oom_loop(const char *path, tfp_method method)
{
    size_t k, n, failed = 0;
    tfp_alloc_fail_at(0, 0);
    cr_assert_eq(run_all(path, method), TFP_OK);
    n = tfp_alloc_fail_at(0, 0);
    cr_assert_gt(n, 20, "a run allocates more than 20 times (%zu)", n);
    for (k = 1; k <= n; k++) {
        int rc;
        tfp_alloc_fail_at(k, 0);
        rc = run_all(path, method);
        tfp_alloc_fail_at(0, 0);
        tfp_test_assert_no_leaks();
        cr_assert(rc == TFP_OK || rc == TFP_ENOMEM, "allocation %zu failed: code %d", k, rc);
        failed += rc == TFP_ENOMEM;
    }
    cr_assert_geq(failed, n - n / 10, "%zu of %zu failures reported", failed, n);
}

Test(oom, estimate_with_sectors_fails_cleanly_at_every_allocation)
{
    oom_loop(tfp_test_path("tests/fixtures/cli/sectors.csv"), TFP_METHOD_GSO);
}

Test(oom, estimate_with_investment_fails_cleanly_at_every_allocation)
{
    oom_loop(tfp_test_path("tests/fixtures/cli/investment.csv"), TFP_METHOD_TORNQVIST);
}

Test(oom, estimate_with_gap_fails_cleanly_at_every_allocation)
{
    oom_loop(tfp_test_path("tests/fixtures/cli/gap.csv"), TFP_METHOD_GSO);
}
