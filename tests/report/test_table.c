/*
 * report layer: the table model. Building columns and rows, typed cell
 * access, the errors of misuse, geometric growth that keeps every value,
 * and an OOM loop over building (SQLite's pattern; run under ASan).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/alloc.h"
#include "tfp/error.h"
#include "tfp/report.h"
#include "tfp_test.h"

TestSuite(table, .init = quiet_gsl);

/* Under AddressSanitizer, asserts that nothing allocated is unreachable.
 * Criterion does not fail a test on LeakSanitizer's exit status, so the OOM
 * tests ask for a leak check themselves; without ASan this does nothing. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define assert_no_leaks() cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked")
#else
#define assert_no_leaks() ((void)0)
#endif

/* Stored values come back unchanged: compare the bits, not with ==. */
static int
same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

Test(table, columns_rows_and_cells_read_back)
{
    tfp_error err;
    tfp_table *t;
    size_t r;
    tfp_error_init(&err);
    t = tfp_table_alloc("annual", "Annual", "Hằng năm", &err);
    cr_assert_not_null(t);
    cr_assert_eq(tfp_table_add_col(t, "region", "Region", "Tỉnh", TFP_CELL_TEXT, &err), TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "year", "Year", "Năm", TFP_CELL_INT, &err), TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "tfp_share", "TFP share", NULL, TFP_CELL_FRACTION, &err),
                 TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "status", "Status", NULL, TFP_CELL_STATUS, &err), TFP_OK);
    cr_assert_eq(tfp_table_add_row(t, &r, &err), TFP_OK);
    cr_assert_eq(r, 0);
    cr_assert_eq(tfp_table_set_text(t, r, 0, "Bắc Giang", &err), TFP_OK);
    cr_assert_eq(tfp_table_set_num(t, r, 1, 2021.0), TFP_OK);
    cr_assert_eq(tfp_table_set_num(t, r, 2, 0.2385), TFP_OK);
    cr_assert_eq(tfp_table_set_text(t, r, 3, "within", &err), TFP_OK);

    cr_assert_eq(tfp_table_ncol(t), 4);
    cr_assert_eq(tfp_table_nrow(t), 1);
    cr_assert_eq(tfp_table_col(t, "tfp_share"), 2);
    cr_assert_eq(tfp_table_col(t, "nope"), SIZE_MAX);
    cr_assert_str_eq(tfp_table_text(t, 0, 0), "Bắc Giang");
    cr_assert_str_eq(tfp_table_text(t, 0, 3), "within");
    /* Values are stored as given: read back bit for bit. */
    cr_assert(same_bits(tfp_table_num(t, 0, 2), 0.2385));
    cr_assert(same_bits(tfp_table_num(t, 0, 1), 2021.0));
    /* The other type, or a cell outside the table, reads as missing. */
    cr_assert(isnan(tfp_table_num(t, 0, 0)));
    cr_assert_null(tfp_table_text(t, 0, 1));
    cr_assert(isnan(tfp_table_num(t, 1, 1)));
    cr_assert_null(tfp_table_text(t, 0, 4));
    /* A text cell can be replaced and cleared. */
    cr_assert_eq(tfp_table_set_text(t, 0, 0, "Hà Nội", &err), TFP_OK);
    cr_assert_str_eq(tfp_table_text(t, 0, 0), "Hà Nội");
    cr_assert_eq(tfp_table_set_text(t, 0, 0, NULL, &err), TFP_OK);
    cr_assert_null(tfp_table_text(t, 0, 0));
    tfp_table_free(t);
}

Test(table, new_row_has_every_cell_missing)
{
    tfp_table *t = tfp_table_alloc("x", NULL, NULL, NULL);
    size_t r;
    cr_assert_not_null(t);
    cr_assert_eq(tfp_table_add_col(t, "a", "A", NULL, TFP_CELL_NUMBER, NULL), TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "b", "B", NULL, TFP_CELL_TEXT, NULL), TFP_OK);
    cr_assert_eq(tfp_table_add_row(t, &r, NULL), TFP_OK);
    cr_assert(isnan(tfp_table_num(t, r, 0)));
    cr_assert_null(tfp_table_text(t, r, 1));
    tfp_table_free(t);
}

Test(table, misuse_is_einval_with_a_message)
{
    tfp_error err;
    tfp_table *t;
    size_t r;
    tfp_error_init(&err);
    cr_assert_null(tfp_table_alloc("", "T", NULL, &err));
    cr_assert_eq(err.code, TFP_EINVAL);

    t = tfp_table_alloc("annual", "Annual", NULL, NULL);
    cr_assert_not_null(t);
    cr_assert_eq(tfp_table_add_col(t, "year", "Year", NULL, TFP_CELL_INT, NULL), TFP_OK);
    tfp_error_init(&err);
    cr_assert_eq(tfp_table_add_col(t, "year", "Year", NULL, TFP_CELL_INT, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "already has a column \"year\"") != NULL, "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_table_add_col(t, "bad", "Bad", NULL, (tfp_cell_type)9, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "unknown cell type") != NULL, "%s", err.msg);

    cr_assert_eq(tfp_table_add_row(t, &r, NULL), TFP_OK);
    tfp_error_init(&err);
    cr_assert_eq(tfp_table_add_col(t, "late", "Late", NULL, TFP_CELL_TEXT, &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "before rows") != NULL, "%s", err.msg);

    tfp_error_init(&err);
    cr_assert_eq(tfp_table_set_text(t, 0, 0, "2021", &err), TFP_EINVAL);
    cr_assert(strstr(err.msg, "holds numbers") != NULL, "%s", err.msg);
    tfp_error_init(&err);
    cr_assert_eq(tfp_table_set_text(t, 1, 0, "x", &err), TFP_EINVAL);
    cr_assert_eq(tfp_table_set_num(t, 1, 0, 2021.0), TFP_EINVAL);
    cr_assert_eq(tfp_table_set_num(t, 0, 1, 2021.0), TFP_EINVAL);
    tfp_table_free(t);

    t = tfp_table_alloc("s", NULL, NULL, NULL);
    cr_assert_eq(tfp_table_add_col(t, "status", "Status", NULL, TFP_CELL_STATUS, NULL), TFP_OK);
    cr_assert_eq(tfp_table_add_row(t, &r, NULL), TFP_OK);
    cr_assert_eq(tfp_table_set_num(t, 0, 0, 1.0), TFP_EINVAL);
    tfp_table_free(t);
    tfp_table_free(NULL);
}

Test(table, growth_keeps_every_row)
{
    /* 1000 rows cross several doublings of the row arrays (16, 32, ...). */
    tfp_table *t = tfp_table_alloc("grow", NULL, NULL, NULL);
    char name[32];
    size_t i, r;
    cr_assert_eq(tfp_table_add_col(t, "name", "Name", NULL, TFP_CELL_TEXT, NULL), TFP_OK);
    cr_assert_eq(tfp_table_add_col(t, "v", "V", NULL, TFP_CELL_NUMBER, NULL), TFP_OK);
    for (i = 0; i < 1000; i++) {
        cr_assert_eq(tfp_table_add_row(t, &r, NULL), TFP_OK);
        cr_assert_eq(r, i);
        snprintf(name, sizeof name, "row %zu", i);
        cr_assert_eq(tfp_table_set_text(t, r, 0, name, NULL), TFP_OK);
        cr_assert_eq(tfp_table_set_num(t, r, 1, 2.385 * (double)i), TFP_OK);
    }
    cr_assert_eq(tfp_table_nrow(t), 1000);
    for (i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "row %zu", i);
        cr_assert_str_eq(tfp_table_text(t, i, 0), name);
        cr_assert(same_bits(tfp_table_num(t, i, 1), 2.385 * (double)i));
    }
    tfp_table_free(t);
}

/* Builds a 3-column, 40-row table; returns TFP_OK or the first error. */
static int
build(tfp_table **out)
{
    tfp_error err;
    tfp_table *t;
    size_t i, r;
    int rc;
    tfp_error_init(&err);
    *out = NULL;
    t = tfp_table_alloc("annual", "Annual", "Hằng năm", &err);
    if (t == NULL)
        return err.code;
    rc = tfp_table_add_col(t, "region", "Region", "Tỉnh", TFP_CELL_TEXT, &err);
    if (rc == TFP_OK)
        rc = tfp_table_add_col(t, "year", "Year", "Năm", TFP_CELL_INT, &err);
    if (rc == TFP_OK)
        rc = tfp_table_add_col(t, "status", "Status", NULL, TFP_CELL_STATUS, &err);
    for (i = 0; rc == TFP_OK && i < 40; i++) {
        rc = tfp_table_add_row(t, &r, &err);
        if (rc == TFP_OK)
            rc = tfp_table_set_text(t, r, 0, "Bắc Giang", &err);
        if (rc == TFP_OK)
            rc = tfp_table_set_num(t, r, 1, 2000.0 + (double)i);
        if (rc == TFP_OK)
            rc = tfp_table_set_text(t, r, 2, "met", &err);
    }
    if (rc != TFP_OK) {
        cr_assert_eq(err.code, rc, "the code returned is the one recorded");
        tfp_table_free(t);
        return rc;
    }
    *out = t;
    return TFP_OK;
}

Test(table, oom_while_building_is_enomem_without_leaks)
{
    tfp_table *t = NULL;
    size_t k;
    int rc = TFP_ENOMEM;
    for (k = 1; k < 10000; k++) {
        tfp_alloc_fail_at(k, 0);
        rc = build(&t);
        tfp_alloc_fail_at(0, 0);
        if (rc == TFP_OK)
            break;
        cr_assert_eq(rc, TFP_ENOMEM, "allocation %zu failed: got code %d", k, rc);
        cr_assert_null(t);
    }
    cr_assert_eq(rc, TFP_OK);
    cr_assert_gt(k, 1, "the loop must provoke at least one failure");
    cr_assert_eq(tfp_table_nrow(t), 40);
    cr_assert_str_eq(tfp_table_text(t, 39, 2), "met");
    tfp_table_free(t);
    assert_no_leaks();
}
