/*
 * The methods table of `tfp compare` and of the report's Models section
 * (report layer): the list of methods compared and one row per method and
 * region total, labelled in English and Vietnamese.
 */
#include <stddef.h>

#include "tfp/config.h"
#include "tfp/tables.h"

static const tfp_compare_method methods[] = {
    {"gso_0.30", TFP_METHOD_GSO, 0.30, TFP_SHARE_FIXED},
    {"gso_0.40", TFP_METHOD_GSO, 0.40, TFP_SHARE_FIXED},
    {"gso_0.50", TFP_METHOD_GSO, 0.50, TFP_SHARE_FIXED},
    {"tornqvist", TFP_METHOD_TORNQVIST, 0.40, TFP_SHARE_FIXED},
    {"fit_crs", TFP_METHOD_GSO, 0.40, TFP_SHARE_FIT_CRS},
    {"fit_within", TFP_METHOD_GSO, 0.40, TFP_SHARE_FIT_WITHIN},
    {"fit_twoways", TFP_METHOD_GSO, 0.40, TFP_SHARE_FIT_TWOWAYS},
};

static const struct {
    const char *key, *en, *vi;
    tfp_cell_type type;
} cols[] = {
    {"method", "Method", "Phương pháp", TFP_CELL_STATUS},
    {"region", "Region", "Địa phương", TFP_CELL_TEXT},
    {"capital_share", "Capital share", "Hệ số vốn", TFP_CELL_FRACTION},
    {"capital_share_se", "SE", "Sai số chuẩn", TFP_CELL_FRACTION},
    {"tfp_share", "TFP share of growth", "Đóng góp TFP", TFP_CELL_FRACTION},
    {"tfp_status", "TFP status", "Đánh giá TFP", TFP_CELL_STATUS},
    {"tfp_share_last_year", "TFP share, last year", "Đóng góp TFP năm cuối", TFP_CELL_FRACTION},
    {"lp_growth", "LP growth", "Tăng NSLĐ", TFP_CELL_FRACTION},
    {"lp_status", "LP status", "Đánh giá NSLĐ", TFP_CELL_STATUS},
    {"r_squared", "Fit R²", "R² ước lượng", TFP_CELL_NUMBER},
    {"n", "Observations", "Số quan sát", TFP_CELL_INT},
};
#define NCOLS (sizeof cols / sizeof cols[0])

const tfp_compare_method *
tfp_compare_methods(size_t *n)
{
    *n = sizeof methods / sizeof methods[0];
    return methods;
}

tfp_table *
tfp_table_compare_alloc(tfp_error *err)
{
    tfp_table *t = tfp_table_alloc("compare", "Methods compared", "So sánh phương pháp", err);
    for (size_t j = 0; t != NULL && j < NCOLS; j++)
        if (tfp_table_add_col(t, cols[j].key, cols[j].en, cols[j].vi, cols[j].type, err) !=
            TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
    return t;
}

int
tfp_table_compare_add(tfp_table *t,
                      const tfp_compare_method *m,
                      const tfp_estimate *e,
                      tfp_error *err)
{
    for (size_t u = 0; u < e->nunit; u++) {
        const tfp_unit *un = &e->unit[u];
        size_t row;
        int fitted = e->fitted.source != TFP_SHARE_FIXED;
        if (un->sector != NULL && e->has_sectors)
            continue;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            tfp_table_set_text(t, row, 0, m->key, err) != TFP_OK ||
            tfp_table_set_text(t, row, 1, un->region, err) != TFP_OK ||
            tfp_table_set_text(t, row, 5, un->t[TFP_TARGET_TFP_PERIOD].status, err) != TFP_OK ||
            tfp_table_set_text(t, row, 8, un->t[TFP_TARGET_LP].status, err) != TFP_OK)
            return err != NULL ? err->code : TFP_ENOMEM;
        /* The share used: the period mean of a_t (Törnqvist), else b_K. */
        tfp_table_set_num(t, row, 2, un->s.a);
        tfp_table_set_num(t, row, 3, fitted ? e->fitted.se : TFP_NAN);
        tfp_table_set_num(t, row, 4, un->s.share_A);
        tfp_table_set_num(t, row, 6, un->s.share_A_last);
        tfp_table_set_num(t, row, 7, un->s.lp_compound);
        tfp_table_set_num(t, row, 9, fitted ? e->fitted.r_squared : TFP_NAN);
        tfp_table_set_num(t, row, 10, fitted ? (double)e->fitted.n : TFP_NAN);
    }
    return TFP_OK;
}
