/*
 * Tables of a sensitivity grid (report layer): the grid of period TFP
 * shares and the bands of capital shares where each target status holds,
 * labelled in English and Vietnamese.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfp/config.h"
#include "tfp/tables.h"

typedef struct col {
    const char *key, *en, *vi;
    tfp_cell_type type;
    int pim;   /* only when capital comes from the perpetual inventory */
    int share; /* only when the capital share varies */
} col;

static const col grid_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0, 0},
    {"capital_share", "Capital share", "Hệ số vốn", TFP_CELL_FRACTION, 0, 1},
    {"delta", "Depreciation", "Tỷ lệ khấu hao", TFP_CELL_FRACTION, 1, 0},
    {"k0_method", "Initial capital", "Vốn ban đầu", TFP_CELL_TEXT, 1, 0},
    {"tfp_share", "TFP share of growth", "Tỷ trọng đóng góp của TFP", TFP_CELL_FRACTION, 0, 0},
    {"tfp_status", "Status", "Đánh giá", TFP_CELL_STATUS, 0, 0},
};

static const col band_cols[] = {
    {"region", "Region", "Địa phương", TFP_CELL_TEXT, 0, 0},
    {"delta", "Depreciation", "Tỷ lệ khấu hao", TFP_CELL_FRACTION, 1, 0},
    {"k0_method", "Initial capital", "Vốn ban đầu", TFP_CELL_TEXT, 1, 0},
    {"status", "TFP share status", "Đánh giá đóng góp TFP", TFP_CELL_STATUS, 0, 0},
    {"capital_share_from", "Capital share from", "Hệ số vốn từ", TFP_CELL_FRACTION, 0, 1},
    {"capital_share_to", "to", "đến", TFP_CELL_FRACTION, 0, 1},
};

#define NCOLS 6

/* A table with the columns that apply (all of them unless compact). */
static tfp_table *
make(const col *defs,
     const tfp_sensitivity *s,
     unsigned flags,
     const char *key,
     const char *en,
     const char *vi,
     size_t *map,
     tfp_error *err)
{
    tfp_table *t = tfp_table_alloc(key, en, vi, err);
    size_t j, k = 0;
    if (t == NULL)
        return NULL;
    for (j = 0; j < NCOLS; j++) {
        int drop = (flags & TFP_TABLE_COMPACT) &&
                   ((defs[j].pim && !s->capital_from_pim) || (defs[j].share && !s->share_varies));
        if (drop) {
            map[j] = SIZE_MAX;
            continue;
        }
        if (tfp_table_add_col(t, defs[j].key, defs[j].en, defs[j].vi, defs[j].type, err) !=
            TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
        map[j] = k++;
    }
    return t;
}

static int
put(tfp_table *t,
    const size_t *map,
    size_t row,
    size_t j,
    double v,
    const char *text,
    tfp_error *err)
{
    if (map[j] == SIZE_MAX)
        return TFP_OK;
    if (text != NULL)
        return tfp_table_set_text(t, row, map[j], text, err);
    tfp_table_set_num(t, row, map[j], v);
    return TFP_OK;
}

static const char *
k0_text(int k0)
{
    return k0 < 0 ? NULL : tfp_k0_method_name((tfp_k0_method)k0);
}

tfp_table *
tfp_table_sensitivity_grid(const tfp_sensitivity *s, unsigned flags, tfp_error *err)
{
    size_t map[NCOLS];
    tfp_table *t = make(grid_cols, s, flags, "grid", "Period TFP share by assumption",
                        "Tỷ trọng đóng góp của TFP theo giả định", map, err);
    if (t == NULL)
        return NULL;
    for (size_t i = 0; i < s->ncell; i++) {
        const tfp_sensitivity_cell *c = &s->cell[i];
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            put(t, map, row, 0, 0, c->region, err) != TFP_OK ||
            put(t, map, row, 1, c->capital_share, NULL, err) != TFP_OK ||
            put(t, map, row, 2, c->delta, NULL, err) != TFP_OK ||
            (c->k0 >= 0 && put(t, map, row, 3, 0, k0_text(c->k0), err) != TFP_OK) ||
            put(t, map, row, 4, c->tfp_share, NULL, err) != TFP_OK ||
            put(t, map, row, 5, 0, c->status, err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
    }
    return t;
}

tfp_table *
tfp_table_sensitivity_bands(const tfp_sensitivity *s, unsigned flags, tfp_error *err)
{
    size_t map[NCOLS];
    tfp_table *t = make(band_cols, s, flags, "bands", "Capital shares where each status holds",
                        "Khoảng hệ số vốn cho từng mức đánh giá", map, err);
    if (t == NULL)
        return NULL;
    for (size_t i = 0; i < s->nband; i++) {
        const tfp_sensitivity_band *b = &s->band[i];
        size_t row;
        if (tfp_table_add_row(t, &row, err) != TFP_OK ||
            put(t, map, row, 0, 0, b->region, err) != TFP_OK ||
            put(t, map, row, 1, b->delta, NULL, err) != TFP_OK ||
            (b->k0 >= 0 && put(t, map, row, 2, 0, k0_text(b->k0), err) != TFP_OK) ||
            put(t, map, row, 3, 0, b->status, err) != TFP_OK ||
            put(t, map, row, 4, b->from, NULL, err) != TFP_OK ||
            put(t, map, row, 5, b->to, NULL, err) != TFP_OK) {
            tfp_table_free(t);
            return NULL;
        }
    }
    return t;
}

/* "%g" with the language's decimal mark. */
static const char *
num(char *buf, size_t n, double v, int vi)
{
    snprintf(buf, n, "%g", v);
    for (char *p = buf; vi && *p; p++)
        if (*p == '.')
            *p = ',';
    return buf;
}

/* "FROM-TO by STEP", or the one value. */
static const char *
range(char *buf, size_t n, double from, double to, double step, int vi)
{
    char a[32], b[32], c[32];
    if (from == to)
        return num(buf, n, from, vi);
    snprintf(buf, n, vi ? "%s-%s, bước %s" : "%s-%s by %s", num(a, sizeof a, from, vi),
             num(b, sizeof b, to, vi), num(c, sizeof c, step, vi));
    return buf;
}

const char *
tfp_sensitivity_grid_text(const tfp_sensitivity *s, tfp_lang lang, char *buf, size_t n)
{
    int vi = lang == TFP_LANG_VI;
    const tfp_sensitivity_opts *o = &s->opts;
    char r1[100], r2[100], shares[200], pim[400];
    size_t k, len = 0;
    if (s->share_varies)
        snprintf(shares, sizeof shares, vi ? "hệ số vốn %s" : "capital share %s",
                 range(r1, sizeof r1, o->share_from, o->share_to, o->share_step, vi));
    else
        snprintf(shares, sizeof shares, "%s",
                 vi ? "hệ số vốn theo tỷ phần lao động của dữ liệu (không thay đổi)"
                    : "capital shares from the labour_share column (not varied)");
    if (s->capital_from_pim) {
        len = (size_t)snprintf(pim, sizeof pim,
                               vi ? "; khấu hao %s; vốn ban đầu"
                                  : "; depreciation %s; initial capital",
                               range(r2, sizeof r2, o->delta_from, o->delta_to, o->delta_step, vi));
        for (k = 0; k < TFP_K0_COUNT && len < sizeof pim; k++)
            if (o->k0_methods & (1u << k))
                len += (size_t)snprintf(pim + len, sizeof pim - len, " %s",
                                        tfp_k0_method_name((tfp_k0_method)k));
    } else {
        snprintf(pim, sizeof pim, "%s",
                 vi ? "; vốn lấy từ cột dữ liệu: khấu hao và vốn ban đầu không áp dụng"
                    : "; capital from a column: depreciation and initial capital do not apply");
    }
    snprintf(buf, n, "%s%s", shares, pim);
    return buf;
}

const char *
tfp_sensitivity_note_text(tfp_lang lang)
{
    return lang == TFP_LANG_VI
               ? "tăng năng suất lao động không phụ thuộc các giả định này; các khoảng hệ số "
                 "vốn là chính xác (tỷ trọng TFP tuyến tính theo hệ số vốn)"
               : "labour-productivity growth does not depend on these assumptions; the bands' "
                 "ends are exact (the TFP share is linear in the capital share)";
}
