/*
 * Table-versus-reference comparison for tests: see ref_compare.h.
 */
#include "ref_compare.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tfp/io.h"

/* The text of a table cell as a key: text cells as is, numbers as %.0f. */
static const char *
cell_key(const tfp_table *t, size_t row, size_t col, char *buf, size_t n)
{
    const char *s = tfp_table_text(t, row, col);
    if (s != NULL)
        return s;
    double v = tfp_table_num(t, row, col);
    if (isnan(v))
        return "";
    snprintf(buf, n, "%.0f", v);
    return buf;
}

static const char *
ref_key(const tfp_frame *f, size_t row, size_t j, char *buf, size_t n)
{
    const tfp_column *c = &f->col[j];
    if (c->kind == TFP_COL_TEXT)
        return c->levels[c->code[row]];
    if (isnan(c->num[row]))
        return "";
    snprintf(buf, n, "%.0f", c->num[row]);
    return buf;
}

size_t
tfp_test_compare_table(const tfp_table *t,
                       const char *ref_path,
                       const char *const *keys,
                       size_t nkeys,
                       double rtol,
                       double atol,
                       size_t *ncols)
{
    tfp_csv_opts o;
    tfp_csv_reader *r;
    tfp_frame *f = NULL;
    tfp_error err;
    size_t ncol, j, row, checked = 0, shared = 0;
    size_t tcol[256], kref[16], ktab[16];

    tfp_error_init(&err);
    tfp_csv_opts_init(&o);
    r = tfp_csv_reader_alloc(ref_path, &o, &err);
    cr_assert_not_null(r, "%s: %s", ref_path, err.msg);
    ncol = tfp_csv_reader_ncol(r);
    cr_assert_lt(ncol, 256);
    cr_assert_lt(nkeys, 16);
    for (j = 0; j < ncol; j++) {
        const char *name = tfp_csv_reader_name(r, j);
        int is_key = 0;
        tcol[j] = tfp_table_col(t, name);
        for (size_t k = 0; k < nkeys; k++)
            if (strcmp(keys[k], name) == 0) {
                is_key = 1;
                kref[k] = j;
                ktab[k] = tcol[j];
                cr_assert_neq(tcol[j], SIZE_MAX, "key column %s not in the table", name);
            }
        if (tcol[j] == SIZE_MAX)
            continue;
        if (is_key || tfp_table_text(t, 0, tcol[j]) != NULL)
            tfp_csv_reader_set_kind(r, j, TFP_COL_TEXT);
        else
            tfp_csv_reader_set_kind(r, j, TFP_COL_NUMBER);
        if (!is_key)
            shared++;
    }
    cr_assert_eq(tfp_csv_reader_read(r, &f, &err), TFP_OK, "%s: %s", ref_path, err.msg);
    for (row = 0; row < f->nrow; row++) {
        size_t tr, nt = tfp_table_nrow(t);
        char b1[64], b2[64];
        for (tr = 0; tr < nt; tr++) {
            size_t k;
            for (k = 0; k < nkeys; k++)
                if (strcmp(ref_key(f, row, kref[k], b1, sizeof b1),
                           cell_key(t, tr, ktab[k], b2, sizeof b2)) != 0)
                    break;
            if (k == nkeys)
                break;
        }
        cr_assert_lt(tr, nt, "%s line %zu: no matching row in the table", ref_path, f->line[row]);
        for (j = 0; j < ncol; j++) {
            const tfp_column *c = &f->col[j];
            if (tcol[j] == SIZE_MAX || c->kind == TFP_COL_SKIP)
                continue;
            if (c->kind == TFP_COL_TEXT) {
                const char *want = c->levels[c->code[row]];
                const char *got = cell_key(t, tr, tcol[j], b2, sizeof b2);
                cr_assert_str_eq(got, want, "%s line %zu column %s", ref_path, f->line[row],
                                 c->name);
            } else {
                double want = c->num[row], got = tfp_table_num(t, tr, tcol[j]);
                if (isnan(want) || isnan(got)) {
                    cr_assert(isnan(want) && isnan(got),
                              "%s line %zu column %s: got %.17g, want %.17g", ref_path,
                              f->line[row], c->name, got, want);
                    continue;
                }
                cr_assert_leq(fabs(got - want), rtol * fabs(want) + atol,
                              "%s line %zu column %s: got %.17g, want %.17g", ref_path,
                              f->line[row], c->name, got, want);
            }
        }
        checked++;
    }
    tfp_frame_free(f);
    tfp_csv_reader_free(r);
    if (ncols != NULL)
        *ncols = shared;
    return checked;
}
